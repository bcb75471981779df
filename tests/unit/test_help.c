/* SPDX-License-Identifier: MIT */
/*
 * Help from one source (cli/help.h): every verb, option, field row, cmdlet and parameter has its
 * help text, and the help, erlab(8), erlab.ini(5) and the bash completion name every one of them;
 * "did you mean" for verbs, subverbs, options and cmdlets.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli/cmdlet.h"
#include "cli/help.h"
#include "cli/options.h"
#include "lab/lab.h"
#include "test.h"

/* What fn printed to a FILE, as a heap string. */
#define CAPTURE(buf, fn) do { size_t _len = 0; FILE *_m = open_memstream(&(buf), &_len); \
	CHECK(_m != NULL); if (_m) { fn; fclose(_m); } } while (0)
#define F _m

static bool has(const char *hay, const char *needle)
{
	bool ok = hay && strstr(hay, needle);

	if (!ok)
		fprintf(stderr, "  '%s' is missing\n", needle);
	return ok;
}

/* A cli that prints into memory. */
struct mem_cli {
	struct cli x;
	char *out, *log;
	size_t out_len, log_len;
};

static void mem_open(struct mem_cli *m)
{
	memset(m, 0, sizeof(*m));
	m->x.out = open_memstream(&m->out, &m->out_len);
	m->x.log = open_memstream(&m->log, &m->log_len);
}

static void mem_close(struct mem_cli *m)
{
	fclose(m->x.out);
	fclose(m->x.log);
}

static void mem_free(struct mem_cli *m)
{
	free(m->out);
	free(m->log);
}

/* ---- every help text is there ---- */

static void test_lint_tables(void)
{
	char *buf = NULL;
	unsigned bad = 0;

	CAPTURE(buf, bad = help_lint(F));
	CHECK_INT(bad, 0);
	CHECK_STR(buf, "");
	free(buf);
}

/* The check finds what is missing (else it could not fail). */
static int fake_fn(struct cli *x, int argc, char **argv)
{
	(void)x; (void)argc; (void)argv;
	return 0;
}

static void test_lint_finds_gaps(void)
{
	static const char *const keys[] = { "bandwidth", "no_such_key", NULL };
	static const struct verb_opt opts[] = { { .name = "quiet-please", .id = OPT_OWN }, { 0 } };
	static const struct verb subs[] = { { "sub", fake_fn, .summary = NULL }, { 0 } };
	static const struct verb verbs[] = {
		{ "nosummary", fake_fn, .summary = "" },
		{ "badopts", fake_fn, "summary", .fields = &circuit_fields, .keys = keys, .opts = opts },
		{ "parent", NULL, "summary", .subs = subs },
		{ "nothing", NULL, .summary = "neither a function nor subverbs" },
	};
	static const struct field rows[] = { { .key = "documented", .help = "yes" }, { .key = "undocumented" } };
	static const struct field_table table = { "fake", rows, 2, (size_t)-1, false, NULL };
	char *buf = NULL;
	unsigned bad = 0;

	CAPTURE(buf, bad = help_lint_verbs(F, verbs, 4));
	CHECK_INT(bad, 5);
	CHECK(has(buf, "verb nosummary: no summary"));
	CHECK(has(buf, "verb badopts: key no_such_key is no row"));
	CHECK(has(buf, "verb badopts: option --quiet-please has no help"));
	CHECK(has(buf, "verb parent sub: no summary"));
	CHECK(has(buf, "verb nothing: neither a function nor subverbs"));
	free(buf);
	CAPTURE(buf, bad = help_lint_table(F, "fake", &table));
	CHECK_INT(bad, 1);
	CHECK(has(buf, "fake: field undocumented has no help"));
	free(buf);
}

/* ---- erlab VERB --help ---- */

static void check_verb_help(const struct verb *v, const struct verb *parent)
{
	const struct field_table *t = v->fields;
	char *buf = NULL, want[200], arg[160];

	CAPTURE(buf, help_verb(F, v, parent));
	snprintf(want, sizeof(want), "usage: erlab %s%s%s", parent ? parent->name : "", parent ? " " : "", v->name);
	CHECK(strncmp(buf, want, strlen(want)) == 0);
	/* The summary (its first words: the rest may wrap). */
	snprintf(want, sizeof(want), "%.20s", v->summary);
	CHECK(has(buf, want));
	for (const struct verb *s = v->subs; s && s->name; s++) {
		snprintf(want, sizeof(want), "\n  %s", s->name);
		CHECK(has(buf, want));
	}
	for (unsigned i = 0; t && i < t->n; i++) {
		const struct field *r = &t->rows[i];
		const char *a;

		if (!cli_takes(v, r) || !r->option[0])
			continue;
		a = help_field_arg(r, arg, sizeof(arg));
		snprintf(want, sizeof(want), "  --%s%s%s", r->option[0], a ? " " : "", a ? a : "");
		CHECK(has(buf, want));
		/* The row's help, its first words. */
		snprintf(want, sizeof(want), "%.16s", r->help);
		CHECK(has(buf, want));
	}
	for (const struct verb_opt *o = v->opts; o && o->name; o++) {
		snprintf(want, sizeof(want), "--%s%s%s", o->name, o->arg ? " " : "", o->arg ? o->arg : "");
		CHECK(has(buf, want));
		snprintf(want, sizeof(want), "%.16s", o->help);
		CHECK(has(buf, want));
	}
	if (!v->subs)
		CHECK(has(buf, "-h, --help"));
	free(buf);
}

static void test_verb_help(void)
{
	const struct verb *verbs;
	unsigned n;

	verbs = cli_verbs(&n);
	CHECK(n >= 12);
	for (unsigned i = 0; i < n; i++) {
		check_verb_help(&verbs[i], NULL);
		for (const struct verb *s = verbs[i].subs; s && s->name; s++)
			check_verb_help(s, &verbs[i]);
	}
}

static void test_circuit_new_help(void)
{
	const struct verb *verbs, *circuit;
	char *buf = NULL;
	unsigned n;

	verbs = cli_verbs(&n);
	circuit = help_find(verbs, n, "circuit");
	CHECK(circuit != NULL);
	if (!circuit)
		return;
	CHECK(help_find(circuit->subs, 0, "new") != NULL);
	CHECK(help_find(circuit->subs, 0, "nwe") == NULL);
	CAPTURE(buf, help_verb(F, help_find(circuit->subs, 0, "new"), circuit));
	/* The synopsis wraps before column 79. */
	CHECK(has(buf, "usage: erlab circuit new NAME --bandwidth N --location TEXT --provider TEXT\n        [options]\n"));
	CHECK(has(buf, "  --bandwidth N             Mbps, one the provider offers"));
	CHECK(has(buf, "(required)"));
	CHECK(has(buf, "  --sku Standard|Premium    Standard or Premium (default: Standard)\n"));
	CHECK(has(buf, "  --json                    print the circuit as JSON\n"));
	CHECK(has(buf, "global options (erlab help): --state-dir, --datapath, --wait, -v, -q\n"));
	free(buf);
}

static void test_usage(void)
{
	const struct verb *verbs;
	struct cmdlet_doc c;
	char *buf = NULL, want[200];
	unsigned n;

	verbs = cli_verbs(&n);
	CAPTURE(buf, help_usage(F));
	CHECK(has(buf, "usage: erlab [global options] VERB"));
	for (unsigned i = 0; i < n; i++) {
		snprintf(want, sizeof(want), "\n  %s ", verbs[i].name);
		CHECK(has(buf, want));
	}
	for (unsigned i = 0; cmdlet_doc_at(i, &c); i++) {
		snprintf(want, sizeof(want), "\n  %s\n", c.name);
		CHECK(has(buf, want));
	}
	for (const struct verb_opt *g = cli_global_options; g->name; g++) {
		snprintf(want, sizeof(want), "--%s", g->name);
		CHECK(has(buf, want));
	}
	for (const struct help_item *e = help_exit_codes; e->name; e++) {
		snprintf(want, sizeof(want), "\n  %s ", e->name);
		CHECK(has(buf, want));
	}
	free(buf);
}

static void test_help_asked(void)
{
	const struct verb *verbs, *circuit, *exec, *up;
	unsigned n;

	verbs = cli_verbs(&n);
	circuit = help_find(verbs, n, "circuit");
	exec = help_find(verbs, n, "exec");
	up = help_find(verbs, n, "up");
	CHECK(circuit && exec && up);
	if (!circuit || !exec || !up)
		return;
	{
		const struct verb *nw = help_find(circuit->subs, 0, "new");
		char *a1[] = { "new", "X", "--help", NULL };
		char *a2[] = { "new", "X", "-h", NULL };
		char *a3[] = { "new", "X", "--location", "--help", NULL };   /* a value, not a request */
		char *a4[] = { "new", "X", "--location=--help", "--json", NULL };
		char *a5[] = { "new", "X", "--", "--help", NULL };
		char *a6[] = { "new", "X", "--loc", "--help", NULL };         /* getopt's prefixes take values too */

		CHECK(help_asked(nw, 3, a1));
		CHECK(help_asked(nw, 3, a2));
		CHECK(!help_asked(nw, 4, a3));
		CHECK(!help_asked(nw, 4, a4));
		CHECK(!help_asked(nw, 4, a5));
		CHECK(!help_asked(nw, 4, a6));
	}
	{
		char *a1[] = { "exec", "--help", NULL };
		char *a2[] = { "exec", "C", "customer", "ls", "--help", NULL };
		char *a3[] = { "up", "-n", "-h", NULL };

		CHECK(help_asked(exec, 2, a1));
		CHECK(!help_asked(exec, 5, a2));
		CHECK(help_asked(up, 3, a3));
	}
}

/* ---- erlab help CMDLET ---- */

static void test_cmdlet_help(void)
{
	struct ps_param_doc *ps = calloc(PSARGS_MAX, sizeof(*ps));
	struct cmdlet_doc c;
	char *buf = NULL, want[300];
	unsigned total = 0;

	CHECK(ps != NULL);
	for (unsigned i = 0; ps && cmdlet_doc_at(i, &c); i++) {
		unsigned k = cmdlet_param_docs(&c, ps, PSARGS_MAX);
		int r = -1;

		total++;
		CHECK(k <= PSARGS_MAX);
		CAPTURE(buf, r = help_cmdlet(F, c.name));
		CHECK_INT(r, 0);
		snprintf(want, sizeof(want), "usage: erlab %s", c.name);
		CHECK(strncmp(buf, want, strlen(want)) == 0);
		for (unsigned j = 0; j < k && j < PSARGS_MAX; j++) {
			snprintf(want, sizeof(want), "  -%s", ps[j].name);
			CHECK(has(buf, want));
			if (!ps[j].is_switch) {
				snprintf(want, sizeof(want), "<%s>", ps[j].type);
				CHECK(has(buf, want));
			}
			snprintf(want, sizeof(want), "%.16s", ps[j].help);
			CHECK(has(buf, want));
		}
		free(buf);
		buf = NULL;
	}
	CHECK_INT(total, 16);
	/* Any case, as the cmdlets bind; the binder's own view: mandatory, position, alias, values. */
	CAPTURE(buf, help_cmdlet(F, "get-azurededicatedcircuitpeeringarpinfo"));
	CHECK(has(buf, "usage: erlab Get-AzureDedicatedCircuitPeeringArpInfo -ServiceKey <Guid>\n        -AccessType "
		       "<BgpPeeringAccessType> -Path <DevicePath>\n        [<CommonParameters>]\n"));
	CHECK(has(buf, "  -Path (-DevicePath) <Microsoft.WindowsAzure.Management.ExpressRoute.DevicePath>\n"));
	CHECK(has(buf, "mandatory: yes; position: named; values: Primary, Secondary\n"));
	CHECK(has(buf, "  -ErrorAction (-ea) <System.Management.Automation.ActionPreference>\n"));
	free(buf);
	CAPTURE(buf, help_cmdlet(F, "Get-AzureDedicatedCircuit"));
	CHECK(has(buf, "usage: erlab Get-AzureDedicatedCircuit [[-ServiceKey] <Guid>]\n        [<CommonParameters>]\n"));
	CHECK(has(buf, "mandatory: no; position: 0\n"));
	free(buf);
	/* Rows of one name bind as one parameter: both rows' help. */
	CAPTURE(buf, help_cmdlet(F, "New-AzureBGPPeering"));
	CHECK(has(buf, "  -PrimaryPeerSubnet <System.String>\n      IPv4 /30 of the primary link"));
	CHECK(has(buf, "; IPv6 /126 of the"));
	CHECK(!strstr(buf, "  -Sku"));
	free(buf);
	CAPTURE(buf, CHECK_INT(help_cmdlet(F, "Get-AzureVM"), -ENOENT));
	CHECK_STR(buf, "");
	free(buf);
	free(ps);
}

static void test_short_type(void)
{
	char b[96];

	CHECK_STR(help_short_type("System.Guid", b, sizeof(b)), "Guid");
	CHECK_STR(help_short_type("System.Nullable`1[System.UInt32]", b, sizeof(b)), "UInt32");
	CHECK_STR(help_short_type("Microsoft.WindowsAzure.Management.ExpressRoute.Models.BgpPeeringAccessType", b,
				  sizeof(b)), "BgpPeeringAccessType");
	CHECK_STR(help_short_type("String", b, sizeof(b)), "String");
}

/* ---- erlab(8), erlab.ini(5), the completion ---- */

/* A name as the man page writes it: its dashes as \- (what a reader can paste). */
static const char *roff_dashes(const char *s, char *buf, size_t len)
{
	char *o = buf;

	for (; *s && o < buf + len - 3; s++) {
		if (*s == '-')
			*o++ = '\\';
		*o++ = *s;
	}
	*o = '\0';
	return buf;
}

static void test_man_erlab(void)
{
	static const char *const sections[] = { ".SH NAME\n", ".SH SYNOPSIS\n", ".SH DESCRIPTION\n", ".SH OPTIONS\n",
						".SH VERBS\n", ".SH CMDLETS\n", ".SH \"EXIT STATUS\"\n",
						".SH ENVIRONMENT\n", ".SH FILES\n", ".SH EXAMPLES\n", ".SH \"SEE ALSO\"\n" };
	const struct verb *verbs;
	struct cmdlet_doc c;
	char *buf = NULL, want[300], name[100];
	const char *at = NULL;
	unsigned n;

	verbs = cli_verbs(&n);
	CAPTURE(buf, help_man_erlab(F));
	CHECK(has(buf, ".TH ERLAB 8 "));
	/* Every section, in this order. */
	at = buf;
	for (unsigned i = 0; i < sizeof(sections) / sizeof(sections[0]); i++) {
		const char *s = at ? strstr(at, sections[i]) : NULL;

		CHECK(has(at, sections[i]));
		at = s;
	}
	for (unsigned i = 0; i < n; i++) {
		snprintf(want, sizeof(want), ".SS %s\n", roff_dashes(verbs[i].name, name, sizeof(name)));
		CHECK(has(buf, want));
		for (const struct verb *s = verbs[i].subs; s && s->name; s++) {
			snprintf(want, sizeof(want), "\\fBerlab %s %s\\fR", verbs[i].name, s->name);
			CHECK(has(buf, want));
		}
	}
	for (unsigned i = 0; cmdlet_doc_at(i, &c); i++) {
		snprintf(want, sizeof(want), ".TP\n\\fB%s\\fR\n", roff_dashes(c.name, name, sizeof(name)));
		CHECK(has(buf, want));
	}
	for (const struct help_item *e = help_exit_codes; e->name; e++) {
		snprintf(want, sizeof(want), ".TP\n\\fB%s\\fR\n", e->name);
		CHECK(has(buf, want));
	}
	CHECK(has(buf, ".TP\n\\fBERLAB_STATE_DIR\\fR\n"));
	CHECK(has(buf, ".TP\n\\fBERLAB_BIRD\\fR\n"));
	CHECK(has(buf, ".TP\n\\fB\\-\\-state\\-dir\\fR \\fIDIR\\fR\n"));
	CHECK(has(buf, ".TP\n\\fB\\-\\-bandwidth\\fR \\fIN\\fR\n"));
	/* No line of text starts with a dot or a quote that roff would take for a request. */
	for (const char *l = buf; l && *l; l = strchr(l, '\n') ? strchr(l, '\n') + 1 : NULL)
		if (*l == '\'' || (*l == '.' && !(l[1] >= 'A' && l[1] <= 'Z') && l[1] != '\\' && l[1] != 'n' &&
				   strncmp(l, ".ad", 3) != 0 && strncmp(l, ".br", 3) != 0 && strncmp(l, ".fi", 3) != 0))
			CHECK(!"a text line that roff would read as a request");
	free(buf);
}

static void test_man_ini(void)
{
	struct lab_section_doc s;
	char *buf = NULL, want[200];
	unsigned keys = 0;

	CAPTURE(buf, help_man_ini(F));
	CHECK(has(buf, ".TH ERLAB.INI 5 "));
	CHECK(has(buf, ".SH NAME\n"));
	CHECK(has(buf, ".SH SECTIONS\n"));
	CHECK(has(buf, ".SH EXAMPLE\n"));
	for (unsigned i = 0; lab_section_doc(i, &s); i++) {
		char *sec, *end;

		snprintf(want, sizeof(want), ".SS \"%s\"\n", s.form);
		CHECK(has(buf, want));
		if (!(sec = strstr(buf, want)))
			continue;
		/* This section's part of the page. */
		sec += strlen(want);
		if ((end = strstr(sec, ".SS ")) || (end = strstr(sec, ".SH ")))
			*end = '\0';
		for (unsigned k = 0; k < s.fields->n; k++) {
			const struct field *r = &s.fields->rows[k];

			snprintf(want, sizeof(want), ".TP\n.B %s\n", r->key);
			/* Every key a lab may have; none that only state files have. */
			if (r->flags & FIELD_STATE_ONLY) {
				CHECK(!strstr(sec, want));
				continue;
			}
			CHECK(has(sec, want));
			keys++;
		}
		if (end)
			*end = '.';
	}
	CHECK(keys >= 29);
	CHECK(has(buf, "Only for private and microsoft peering"));
	CHECK(has(buf, "Only for microsoft peering"));
	CHECK(has(buf, "Default: \\fByes\\fR"));
	CHECK(has(buf, "Cmdlets: \\fB\\-VlanId\\fR; native verbs: \\fB\\-\\-vlan\\fR"));
	free(buf);
}

/* The EXAMPLE of erlab.ini(5) is a lab file erlab loads. */
static void test_lab_example(void)
{
	char path[] = "/tmp/erlab-test-help-XXXXXX";
	struct lab_errors errs = { 0 };
	struct lab lab;
	int fd = mkstemp(path), r;

	CHECK(fd >= 0);
	if (fd < 0)
		return;
	CHECK_INT(write(fd, help_lab_example, strlen(help_lab_example)), (long long)strlen(help_lab_example));
	close(fd);
	memset(&lab, 0, sizeof(lab));
	r = lab_load(path, &lab, &errs);
	CHECK_INT(r, 0);
	for (unsigned i = 0; i < errs.n; i++)
		fprintf(stderr, "  %s: %s\n", errs.v[i].what, errs.v[i].msg);
	if (r == 0) {
		CHECK_INT(lab.n_circuits, 1);
		CHECK_STR(lab.circuits[0].name, "MyTestCircuit");
		lab_clear(&lab);
	}
	lab_errors_clear(&errs);
	unlink(path);
}

static void test_completion(void)
{
	const struct verb *verbs;
	struct cmdlet_doc c;
	char *buf = NULL, want[300];
	unsigned n;

	verbs = cli_verbs(&n);
	CAPTURE(buf, help_bash_completion(F));
	CHECK(has(buf, "\ncomplete -F _erlab erlab\n"));
	for (unsigned i = 0; i < n; i++) {
		snprintf(want, sizeof(want), " %s", verbs[i].name);
		CHECK(has(buf, want));
		if (verbs[i].subs) {
			snprintf(want, sizeof(want), "\t'subs:%s') echo '", verbs[i].name);
			CHECK(has(buf, want));
		}
	}
	for (unsigned i = 0; cmdlet_doc_at(i, &c); i++) {
		snprintf(want, sizeof(want), " %s", c.name);
		CHECK(has(buf, want));
	}
	CHECK(has(buf, "\t'vals:peering new --type') echo 'private public microsoft' ;;\n"));
	CHECK(has(buf, "\t'arg:up 0') echo '@ini' ;;\n"));
	CHECK(has(buf, "\t'arg:circuit get 0') echo '@circuits' ;;\n"));
	CHECK(has(buf, "\t'pvals:new-azurebgppeering servicekey') echo '@keys' ;;\n"));
	CHECK(has(buf, "\t'pvals:new-azurebgppeering accesstype') echo 'Private Public Microsoft' ;;\n"));
	free(buf);
}

/* ---- did you mean ---- */

static void test_unknown_verb(void)
{
	static const struct { const char *word, *said; } cases[] = {
		{ "circiut", "erlab: unknown verb 'circiut' (did you mean 'circuit'?)\n" },
		{ "stauts", "erlab: unknown verb 'stauts' (did you mean 'status'?)\n" },
		{ "Get-AzureDedicatedCircut", "erlab: unknown cmdlet 'Get-AzureDedicatedCircut' (did you mean "
					      "'Get-AzureDedicatedCircuit'?)\n" },
		{ "new-azurebgpperring", "erlab: unknown cmdlet 'new-azurebgpperring' (did you mean 'New-AzureBGPPeering'?)\n" },
		{ "--stat-dir", "erlab: unknown option '--stat-dir' (did you mean '--state-dir'?)\n" },
		{ "--verison", "erlab: unknown option '--verison' (did you mean '--version'?)\n" },
		{ "xyzzy", "erlab: unknown verb or cmdlet 'xyzzy' (see erlab --help)\n" },
		{ "--nothing-like-it", "erlab: unknown verb or cmdlet '--nothing-like-it' (see erlab --help)\n" },
	};

	for (unsigned i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct mem_cli m;
		int r;

		mem_open(&m);
		r = help_unknown_verb(&m.x, cases[i].word);
		mem_close(&m);
		CHECK_INT(r, 2);
		CHECK_STR(m.log, cases[i].said);
		CHECK_STR(m.out, "");
		mem_free(&m);
	}
}

static void test_unknown_subverb(void)
{
	const struct verb *verbs, *circuit;
	struct mem_cli m;
	unsigned n;

	verbs = cli_verbs(&n);
	circuit = help_find(verbs, n, "circuit");
	CHECK(circuit != NULL);
	if (!circuit)
		return;
	mem_open(&m);
	CHECK_INT(help_unknown_subverb(&m.x, circuit, "nwe"), 2);
	mem_close(&m);
	CHECK_STR(m.log, "erlab circuit: unknown subverb 'nwe' (did you mean 'new'?)\n");
	mem_free(&m);
	/* Nothing near, or nothing given: what the verb expects, as before. */
	mem_open(&m);
	CHECK_INT(help_unknown_subverb(&m.x, circuit, "frobnicate"), 2);
	CHECK_INT(help_unknown_subverb(&m.x, circuit, NULL), 2);
	mem_close(&m);
	CHECK_STR(m.log, "erlab circuit: expects new, list, get, set, provision, deprovision or remove (see erlab "
			 "circuit --help)\nerlab circuit: expects new, list, get, set, provision, deprovision or remove "
			 "(see erlab circuit --help)\n");
	mem_free(&m);
}

static void test_unknown_option(void)
{
	const struct verb *verbs, *peering;
	struct cli_opts o;
	struct mem_cli m;
	unsigned n;

	verbs = cli_verbs(&n);
	peering = help_find(verbs, n, "peering");
	CHECK(peering != NULL);
	if (!peering)
		return;
	{
		char *argv[] = { "new", "C", "--type", "private", "--vlna", "100", NULL };

		mem_open(&m);
		m.x.verb = help_find(peering->subs, 0, "new");
		o = (struct cli_opts){ .verb = m.x.verb };
		CHECK_INT(cli_getopt(&m.x, "peering new", 6, argv, &o, NULL, NULL), 2);
		mem_close(&m);
		CHECK_STR(m.log, "erlab peering new: unknown option '--vlna' (did you mean '--vlan'?)\n");
		mem_free(&m);
	}
	{
		/* A global option typed wrong after the verb. */
		char *argv[] = { "get", "C", "--type=private", "--wiat=5", NULL };

		mem_open(&m);
		m.x.verb = help_find(peering->subs, 0, "get");
		o = (struct cli_opts){ .verb = m.x.verb };
		CHECK_INT(cli_getopt(&m.x, "peering get", 4, argv, &o, NULL, NULL), 2);
		mem_close(&m);
		CHECK_STR(m.log, "erlab peering get: unknown option '--wiat' (did you mean '--wait'?)\n");
		mem_free(&m);
	}
	{
		/* Nothing near, and a missing value: the texts as before. */
		char *argv[] = { "get", "C", "--zzzzzzzz", NULL };
		char *argv2[] = { "get", "C", "--type", NULL };

		mem_open(&m);
		m.x.verb = help_find(peering->subs, 0, "get");
		o = (struct cli_opts){ .verb = m.x.verb };
		CHECK_INT(cli_getopt(&m.x, "peering get", 3, argv, &o, NULL, NULL), 2);
		CHECK_INT(cli_getopt(&m.x, "peering get", 3, argv2, &o, NULL, NULL), 2);
		mem_close(&m);
		CHECK_STR(m.log, "erlab peering get: unknown option or missing value: '--zzzzzzzz' (see erlab peering get "
				 "--help)\nerlab peering get: unknown option or missing value: '--type' (see erlab "
				 "peering get --help)\n");
		mem_free(&m);
	}
	{
		/* A required own option. */
		char *argv[] = { "get", "C", "--json", NULL };

		mem_open(&m);
		m.x.verb = help_find(peering->subs, 0, "get");
		o = (struct cli_opts){ .verb = m.x.verb };
		CHECK_INT(cli_getopt(&m.x, "peering get", 3, argv, &o, NULL, NULL), 2);
		mem_close(&m);
		CHECK_STR(m.log, "erlab peering get: --type is required: use private, public or microsoft (see erlab "
				 "peering get --help)\n");
		mem_free(&m);
	}
}

int main(void)
{
	RUN(test_lint_tables);
	RUN(test_lint_finds_gaps);
	RUN(test_verb_help);
	RUN(test_circuit_new_help);
	RUN(test_usage);
	RUN(test_help_asked);
	RUN(test_cmdlet_help);
	RUN(test_short_type);
	RUN(test_man_erlab);
	RUN(test_man_ini);
	RUN(test_lab_example);
	RUN(test_completion);
	RUN(test_unknown_verb);
	RUN(test_unknown_subverb);
	RUN(test_unknown_option);
	return TEST_DONE();
}
