/* SPDX-License-Identifier: MIT */
/*
 * erlab(8) and erlab.ini(5) in roff (man(7) macros), from the same tables as `erlab help`
 * (cli/help.h). The build makes them with `erlab --gen-man` (cmake/ErlabDocs.cmake); they must
 * format without a warning under `groff -man -ww` (tests/netns/t_help.sh).
 */
#include <ctype.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "cli/cmdlet.h"
#include "cli/help.h"
#include "cli/options.h"
#include "lab/lab.h"
#include "erlab_version.h"   /* generated from CMake's project(VERSION) */

/* A lab, for erlab.ini(5)'s EXAMPLE; tests/unit/test_help.c loads it as a lab file. */
const char help_lab_example[] =
	"; MyTestCircuit of Azure's classic how-to, with its private peering\n"
	"[lab]\n"
	"datapath = auto\n"
	"\n"
	"[circuit er1]\n"
	"name = MyTestCircuit\n"
	"bandwidth = 200\n"
	"location = Silicon Valley\n"
	"service_provider_name = equinix\n"
	"\n"
	"[peering er1 private]\n"
	"primary_peer_subnet = 10.0.0.0/30\n"
	"secondary_peer_subnet = 10.0.0.4/30\n"
	"peer_asn = 1234\n"
	"vlan_id = 100\n"
	"shared_key = A1B2C3D4\n"
	"\n"
	"[vnet er1 hub]\n"
	"address_space = 10.1.0.0/16\n"
	"\n"
	"[bgp]\n"
	"msee = bird\n"
	"customer = bird\n";

/* ---- roff ---- */

/*
 * Text for a roff text line: a backslash as \e, a dot or a quote at the start of a line behind \&,
 * and '-' as \- (the ASCII minus a reader can paste) in code, or in prose where a word starts with
 * it (an option). In code, a dot may also break the line (\:), for the long .NET type names.
 */
static void roff_put(FILE *f, const char *s, bool code)
{
	bool word_start = true, in_option = false;

	if (*s == '.' || *s == '\'')
		fputs("\\&", f);
	for (; *s; s++) {
		if (word_start)
			in_option = *s == '-';
		word_start = *s == ' ' || *s == '(' || *s == '[' || *s == '|';
		if (*s == '\\')
			fputs("\\e", f);
		else if (*s == '-' && (code || in_option))
			fputs("\\-", f);
		else if (*s == '.' && code && s[1] && isupper((unsigned char)s[1]))
			fputs(".\\:", f);
		else
			fputc(*s, f);
	}
}

static void text(FILE *f, const char *s)
{
	roff_put(f, s, false);
}

static void code(FILE *f, const char *s)
{
	roff_put(f, s, true);
}

/* A text line of prose. */
static void para(FILE *f, const char *s)
{
	text(f, s);
	fputc('\n', f);
}

static void bold(FILE *f, const char *s)
{
	fputs("\\fB", f);
	code(f, s);
	fputs("\\fR", f);
}

static void italic(FILE *f, const char *s)
{
	fputs("\\fI", f);
	code(f, s);
	fputs("\\fR", f);
}

/*
 * A synopsis ("CIRCUIT --type private|public|microsoft [options]"): options and literal words in
 * bold, the names of values (capitals, "options") in italics, brackets and bars in roman.
 */
static void synopsis(FILE *f, const char *s)
{
	char word[256];

	while (*s) {
		size_t n = strcspn(s, " ");
		const char *w = word, *end;
		bool upper = false;

		snprintf(word, sizeof(word), "%.*s", (int)n, s);
		s += n;
		while (*s == ' ')
			s++;
		while (*w == '[') {
			fputc('[', f);
			w++;
		}
		for (end = w + strlen(w); end > w && end[-1] == ']'; end--)
			;
		for (const char *c = w; c < end; c++)
			upper |= isupper((unsigned char)*c) != 0;
		{
			char core[256];

			snprintf(core, sizeof(core), "%.*s", (int)(end - w), w);
			if (core[0] == '-' || (!upper && strcmp(core, "options") != 0))
				bold(f, core);
			else
				italic(f, core);
		}
		fputs(end, f);
		if (*s)
			fputc(' ', f);
	}
}

/* ---- erlab(8) ---- */

static void man_option_tag(FILE *f, const char *name, char letter, const char *arg)
{
	fputs(".TP\n", f);
	if (letter) {
		char l[3] = { '-', letter, 0 };

		bold(f, l);
		fputs(", ", f);
	}
	fputs("\\fB\\-\\-", f);
	code(f, name);
	fputs("\\fR", f);
	if (arg) {
		fputc(' ', f);
		italic(f, arg);
	}
	fputc('\n', f);
}

static void man_verb_options(FILE *f, const struct verb *v)
{
	const struct field_table *t = v->fields;
	char arg[160];
	bool any = false;

	for (unsigned i = 0; t && i < t->n; i++) {
		const struct field *r = &t->rows[i];

		if (!cli_takes(v, r) || !r->option[0])
			continue;
		if (!any)
			fputs(".RS\n", f);
		any = true;
		man_option_tag(f, r->option[0], 0, help_field_arg(r, arg, sizeof(arg)));
		text(f, r->help);
		if (r->option[1]) {
			fputs(" (also \\fB\\-\\-", f);
			code(f, r->option[1]);
			fputs("\\fR)", f);
		}
		if ((v->flags & VERB_REQUIRED_FIELDS) && (r->required & 1u))
			fputs(" (required)", f);
		fputc('\n', f);
	}
	for (const struct verb_opt *o = v->opts; o && o->name; o++) {
		if (!any)
			fputs(".RS\n", f);
		any = true;
		man_option_tag(f, o->name, o->letter, o->arg);
		text(f, o->help);
		fputs((o->flags & VERB_OPT_REQUIRED) ? " (required)\n" : "\n", f);
	}
	if (any)
		fputs(".RE\n", f);
}

static void man_verb(FILE *f, const struct verb *v, const struct verb *parent)
{
	char syn[1024];

	help_synopsis(v, syn, sizeof(syn));
	fputs(".TP\n\\fBerlab ", f);
	if (parent) {
		code(f, parent->name);
		fputc(' ', f);
	}
	code(f, v->name);
	fputs("\\fR", f);
	if (syn[0]) {
		fputc(' ', f);
		synopsis(f, syn);
	}
	fputc('\n', f);
	para(f, v->summary);
	man_verb_options(f, v);
}

static void man_cmdlet(FILE *f, const struct cmdlet_doc *c)
{
	struct ps_param_doc *ps = calloc(PSARGS_MAX, sizeof(*ps));
	unsigned n;
	char t[96];

	if (!ps)
		return;
	n = cmdlet_param_docs(c, ps, PSARGS_MAX);
	n = n < PSARGS_MAX ? n : PSARGS_MAX;
	fputs(".TP\n", f);
	bold(f, c->name);
	fputc('\n', f);
	text(f, c->summary);
	if (c->native) {
		fputs(" (the native verb: \\fBerlab ", f);
		code(f, c->native);
		fputs("\\fR)", f);
	}
	fputs(".\n", f);
	for (unsigned i = 0; i < n; i++) {
		const struct ps_param_doc *p = &ps[i];

		if (p->common)
			continue;
		fputs(i == 0 ? ".RS\n.TP\n" : ".TP\n", f);
		fputs("\\fB\\-", f);
		code(f, p->name);
		fputs("\\fR", f);
		if (!p->is_switch) {
			fputs(" <", f);
			italic(f, help_short_type(p->type, t, sizeof(t)));
			fputc('>', f);
		}
		fputc('\n', f);
		para(f, p->help);
		fputs(".br\nType ", f);
		code(f, p->type);
		fputs((p->flags & PS_MANDATORY) ? "; mandatory" : "; optional", f);
		if (p->position >= 0)
			fprintf(f, "; position %d", p->position);
		if (p->alias) {
			fputs("; alias \\fB\\-", f);
			code(f, p->alias);
			fputs("\\fR", f);
		}
		if (p->flags & PS_NOT_EMPTY)
			fputs("; not null or empty", f);
		for (unsigned k = 0; p->en && k < p->en->count; k++) {
			fputs(k == 0 ? "; values " : ", ", f);
			bold(f, p->en->name((int)k));
		}
		fputs(".\n", f);
	}
	if (n && !ps[0].common)
		fputs(".RE\n", f);
	free(ps);
}

static void man_items(FILE *f, const struct help_item *items, bool names_bold)
{
	for (const struct help_item *i = items; i->name; i++) {
		fputs(".TP\n", f);
		if (names_bold)
			bold(f, i->name);
		else
			italic(f, i->name);
		fputc('\n', f);
		para(f, i->help);
	}
}

static const char *const examples[][2] = {
	{ "The how-to's circuit from the shipped lab: up, look, ping across, down.", NULL },
	{ NULL, "erlab up /usr/share/erlab/labs/classic.ini" },
	{ NULL, "erlab status MyTestCircuit" },
	{ NULL, "ip netns exec MyTestCircuit-customer ping -c1 10.0.0.2" },
	{ NULL, "erlab down /usr/share/erlab/labs/classic.ini" },
	{ "The same circuit with the native verbs:", NULL },
	{ NULL, "erlab circuit new MyTestCircuit --bandwidth 200 --location \"Silicon Valley\" \\" },
	{ NULL, "      --provider equinix" },
	{ NULL, "erlab circuit provision MyTestCircuit" },
	{ NULL, "erlab peering new MyTestCircuit --type private --primary-subnet 10.0.0.0/30 \\" },
	{ NULL, "      --secondary-subnet 10.0.0.4/30 --peer-asn 1234 --vlan 100 --shared-key A1B2C3D4" },
	{ NULL, "erlab link down MyTestCircuit primary" },
	{ "With the how-to's cmdlets, as written:", NULL },
	{ NULL, "KEY=$(erlab circuit list | awk '$1 == \"MyTestCircuit\" { print $2 }')" },
	{ NULL, "erlab Get-AzureBGPPeering -AccessType Private -ServiceKey \"$KEY\"" },
	{ NULL, "erlab help New-AzureBGPPeering" },
	{ "Without root, in a sandbox of one's own:", NULL },
	{ NULL, "erlab shell -- sh -c 'erlab up lab.ini && erlab status'" },
};

void help_man_erlab(FILE *f)
{
	const struct verb *verbs;
	struct cmdlet_doc c;
	struct ps_param_doc *ps;
	bool in_example = false;
	unsigned n;

	verbs = cli_verbs(&n);
	fputs(".\\\" Generated by `erlab --gen-man erlab.8` from erlab's own tables (src/cli/help_man.c).\n", f);
	fprintf(f, ".TH ERLAB 8 \"\" \"erlab %s\" \"System Administration\"\n.nh\n.ad l\n", ERLAB_VERSION);
	fputs(".SH NAME\nerlab \\- emulated Azure ExpressRoute circuits on real Linux datapaths\n"
	      ".SH SYNOPSIS\n"
	      "\\fBerlab\\fR [\\fIglobal options\\fR] \\fIverb\\fR [\\fIsubverb\\fR] [\\fIoptions\\fR] [\\fIarguments\\fR]\n"
	      ".br\n"
	      "\\fBerlab\\fR [\\fIglobal options\\fR] \\fIcmdlet\\fR [\\fB\\-\\fIParameter value\\fR ...]\n"
	      ".br\n"
	      "\\fBerlab help\\fR [\\fIverb\\fR [\\fIsubverb\\fR] | \\fIcmdlet\\fR]\n"
	      ".SH DESCRIPTION\n", f);
	para(f, "erlab turns an Azure ExpressRoute circuit and its BGP peerings (private, public, Microsoft) into "
		"real kernel objects, over netlink: a customer and a Microsoft network namespace per circuit, a "
		"primary and a secondary link between them, a VLAN subinterface (or a veth pair) per peering on "
		"each link with its addresses, the circuit's bandwidth on every link end, and BIRD as the "
		"Microsoft edge and the customer router. It removes all of it again, never touching a namespace "
		"or link without its ownership mark.");
	fputs(".PP\n", f);
	para(f, "There are three ways in: native verbs, Azure's classic PowerShell cmdlets run as written with "
		"erlab in front (validated as Azure validates them, with Azure's texts), and lab files "
		"(erlab.ini(5)) that erlab up converges the machine to. Every change is one transaction: a "
		"failure, a kill or a signal leaves nothing half-done.");
	fputs(".PP\n", f);
	para(f, "erlab needs root (CAP_SYS_ADMIN and CAP_NET_ADMIN); without it, erlab shell gives a sandbox of "
		"one's own in which it works as for root. Every verb and cmdlet answers --help (a cmdlet also -?), "
		"and erlab help lists them.");
	fputs(".SH OPTIONS\n", f);
	para(f, "Global options may stand anywhere before --, before or after the verb.");
	for (const struct verb_opt *g = cli_global_options; g->name; g++) {
		man_option_tag(f, g->name, g->letter, g->arg);
		para(f, g->help);
	}
	man_option_tag(f, "help", 'h', NULL);
	para(f, "the verbs, cmdlets, global options and exit codes; after a verb or subverb, its own help");
	man_option_tag(f, "version", 0, NULL);
	para(f, "print erlab's version");
	fputs(".SH VERBS\n", f);
	para(f, "CIRCUIT is a circuit's name or its service key. Each verb's options follow it, in any order "
		"with its arguments.");
	for (unsigned i = 0; i < n; i++) {
		fputs(".SS ", f);
		code(f, verbs[i].name);
		fputc('\n', f);
		if (!verbs[i].subs) {
			man_verb(f, &verbs[i], NULL);
			continue;
		}
		para(f, verbs[i].summary);
		for (const struct verb *s = verbs[i].subs; s->name; s++)
			man_verb(f, s, &verbs[i]);
	}
	fputs(".SH CMDLETS\n", f);
	para(f, "Azure's classic ExpressRoute cmdlets, with the parameters the classic module declares: names "
		"and unambiguous prefixes bind in any case, values convert to their .NET type as PowerShell "
		"converts them, binder errors print as PowerShell prints them and the service's as "
		"<Cmdlet> : <Code>: <Message>.");
	for (unsigned i = 0; cmdlet_doc_at(i, &c); i++)
		man_cmdlet(f, &c);
	fputs(".PP\n", f);
	para(f, "Every cmdlet also takes PowerShell's common parameters:");
	if (cmdlet_doc_at(0, &c) && (ps = calloc(PSARGS_MAX, sizeof(*ps)))) {
		unsigned k = cmdlet_param_docs(&c, ps, PSARGS_MAX);

		for (unsigned i = 0; i < k && i < PSARGS_MAX; i++) {
			if (!ps[i].common)
				continue;
			fputs(".TP\n\\fB\\-", f);
			code(f, ps[i].name);
			fputs("\\fR", f);
			if (ps[i].alias) {
				fputs(" (\\fB\\-", f);
				code(f, ps[i].alias);
				fputs("\\fR)", f);
			}
			fputc('\n', f);
			para(f, ps[i].help);
		}
		free(ps);
	}
	fputs(".SH \"EXIT STATUS\"\n", f);
	man_items(f, help_exit_codes, true);
	fputs(".SH ENVIRONMENT\n", f);
	man_items(f, help_environment, true);
	fputs(".SH FILES\n", f);
	man_items(f, help_files, false);
	fputs(".SH EXAMPLES\n", f);
	for (unsigned i = 0; i < sizeof(examples) / sizeof(examples[0]); i++) {
		if (examples[i][0]) {
			if (in_example)
				fputs(".fi\n.RE\n", f);
			in_example = false;
			fputs(".PP\n", f);
			para(f, examples[i][0]);
			continue;
		}
		if (!in_example)
			fputs(".RS 4\n.nf\n", f);
		in_example = true;
		code(f, examples[i][1]);
		fputc('\n', f);
	}
	if (in_example)
		fputs(".fi\n.RE\n", f);
	fputs(".SH \"SEE ALSO\"\n"
	      "\\fBerlab.ini\\fR(5), \\fBip\\-netns\\fR(8), \\fBbird\\fR(8);\n", f);
	para(f, "the guide and the rules with every message: /usr/share/doc/erlab/README.md and docs/ beside it.");
}

/* ---- erlab.ini(5) ---- */

/* The variants (peering types) of a table: every one some row has or needs. */
static unsigned all_variants(const struct field_table *t)
{
	unsigned all = 0;

	for (unsigned i = 0; i < t->n; i++)
		all |= t->rows[i].required | t->rows[i].variants;
	return all;
}

/* "private, public and microsoft" */
static void variant_list(FILE *f, const struct field_table *t, unsigned set)
{
	unsigned count = 0, k = 0;

	for (unsigned v = 0; v < 32; v++)
		count += (set >> v) & 1u;
	for (unsigned v = 0; v < 32; v++)
		if (set & (1u << v)) {
			k++;
			fprintf(f, "%s%s", k == 1 ? "" : k == count ? " and " : ", ", t->variant_name(v));
		}
}

static void ini_key(FILE *f, const struct field_table *t, const struct field *r, const char *role)
{
	char type[400];
	unsigned all = t->variant_name ? all_variants(t) : 1u;

	fputs(".TP\n.B ", f);
	code(f, r->key);
	fputc('\n', f);
	para(f, r->help);
	fputs(".br\nValue: ", f);
	text(f, help_field_type(r, type, sizeof(type)));
	if (role)
		fprintf(f, ", %s", role);
	if (r->def) {
		fputs(". Default: ", f);
		bold(f, r->def);
	}
	if (r->required && (r->required & all) != all) {
		fputs(". Required for ", f);
		variant_list(f, t, r->required);
		fputs(" peering", f);
	} else if (r->required) {
		fputs(". Required", f);
	}
	if (t->variant_name && r->variants && r->variants != all) {
		fputs(". Only for ", f);
		variant_list(f, t, r->variants);
		fputs(" peering", f);
	}
	if (r->param) {
		fputs(". Cmdlets: \\fB\\-", f);
		code(f, r->param);
		fputs("\\fR", f);
	}
	if (r->option[0]) {
		fputs(r->param ? "; native verbs: \\fB\\-\\-" : ". Native verbs: \\fB\\-\\-", f);
		code(f, r->option[0]);
		fputs("\\fR", f);
	}
	fputs(".\n", f);
}

void help_man_ini(FILE *f)
{
	struct lab_section_doc s;

	fputs(".\\\" Generated by `erlab --gen-man erlab.ini.5` from erlab's own tables (src/cli/help_man.c).\n", f);
	fprintf(f, ".TH ERLAB.INI 5 \"\" \"erlab %s\" \"File Formats\"\n.nh\n.ad l\n", ERLAB_VERSION);
	fputs(".SH NAME\nerlab.ini \\- erlab's lab files: circuits, peerings, virtual networks and BGP\n"
	      ".SH SYNOPSIS\n\\fBerlab up\\fR \\fILAB.ini\\fR [\\fB\\-\\-dry\\-run\\fR]\n.br\n"
	      "\\fBerlab down\\fR \\fILAB.ini\\fR\n.br\n\\fBerlab graph\\fR \\fILAB.ini\\fR\n"
	      ".SH DESCRIPTION\n", f);
	para(f, "A lab file declares circuits, their peerings and virtual networks, and BGP. erlab up makes the "
		"machine match it and is idempotent; erlab down removes exactly what that lab made; erlab up "
		"--dry-run prints the plan.");
	fputs(".PP\n", f);
	para(f, "The file is INI: [section] headers, key = value lines, comments on lines of their own starting "
		"with ; or #. A value may be quoted; ; or # glued to a value, or broken quotes, are refused. "
		"Section names and keys are case-insensitive. The keys are the cmdlets' parameter names in "
		"snake_case; a list longer than a line continues in key_2, key_3, and so on. Every mistake of a "
		"file is reported in one run, FILE:LINE: first, as compilers do, and the lab is refused (exit "
		"2). Files over 1 MiB are refused.");
	fputs(".SH SECTIONS\n", f);
	for (unsigned i = 0; lab_section_doc(i, &s); i++) {
		fputs(".SS \"", f);
		code(f, s.form);
		fputs("\"\n", f);
		para(f, s.help);
		if (s.lines) {
			ini_key(f, s.fields, &s.fields->rows[0], NULL);
			ini_key(f, s.fields, &s.fields->rows[1], NULL);
			continue;
		}
		for (unsigned k = 0; k < s.fields->n; k++)
			if (!(s.fields->rows[k].flags & FIELD_STATE_ONLY))
				ini_key(f, s.fields, &s.fields->rows[k], NULL);
	}
	fputs(".SH EXAMPLE\n.RS 4\n.nf\n", f);
	for (const char *l = help_lab_example; *l;) {
		size_t len = strcspn(l, "\n");
		char line[256];

		snprintf(line, sizeof(line), "%.*s", (int)len, l);
		code(f, line);
		fputc('\n', f);
		l += len + (l[len] == '\n');
	}
	fputs(".fi\n.RE\n.PP\n", f);
	para(f, "More in /usr/share/erlab/labs: classic.ini (the how-to's circuit, all three peerings), "
		"dual-stack.ini, two-circuits.ini, and mistakes.ini, the classic mistakes for teaching.");
	fputs(".SH \"SEE ALSO\"\n\\fBerlab\\fR(8)\n", f);
}
