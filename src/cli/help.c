/* SPDX-License-Identifier: MIT */
/*
 * `erlab help`, `erlab VERB [SUBVERB] --help`, `erlab help CMDLET` and "did you mean", all read
 * from the tables the parsers use (cli/help.h).
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "bgp/bird.h"
#include "cli/cmdlet.h"
#include "cli/help.h"
#include "cli/options.h"
#include "core/suggest.h"
#include "kernel/kernel.h"
#include "kernel/sandbox.h"
#include "store/state.h"

#define WIDTH 79          /* help lines end before this column */
#define LEFT 28           /* where the help of an option or a verb starts */

const struct help_item help_exit_codes[] = {
	{ "0", "done" },
	{ "1", "the system failed: the kernel, BIRD, a file (whatever the errno); erlab check: a required "
	       "feature is missing" },
	{ "2", "invalid input: usage, a value, a rule, any mistake of a lab file" },
	{ "3", "refused by the current state: exists, in use, not provisioned, locked, an object without "
	       "erlab's mark" },
	{ "4", "not found" },
	{ "126, 127", "erlab exec: the command could not be run, or was not found (erlab shell exits with "
		      "its command's code)" },
	{ "129, 130, 143", "ended by SIGHUP, SIGINT or SIGTERM, after rolling back the change under way" },
	{ 0 },
};

const struct help_item help_environment[] = {
	{ "ERLAB_STATE_DIR", "the state directory when --state-dir is not given (default " STATE_DIR_DEFAULT ")" },
	{ BIRD_ENV, "the BIRD daemon to run, a file named bird, when a lab's [bgp] bird_path does not say "
		    "(default: bird on PATH, else in " BIRD_SBIN_DIRS ")" },
	{ "PATH", "where bird is looked for, and erlab exec's command" },
	{ "SHELL", "what erlab shell runs when it is given no command (default /bin/sh)" },
	{ SANDBOX_ENV, "set to 1 inside erlab shell's sandbox (and ERLAB_STATE_DIR to " SANDBOX_STATE_DIR "), so "
		       "a script or a prompt can tell" },
	{ 0 },
};

const struct help_item help_files[] = {
	{ STATE_DIR_DEFAULT, "the state directory: circuits/NAME.ini (a state file per circuit), journal/ (the "
			     "intent journal of a change under way), bird/ (BIRD's configs, sockets, pid files and "
			     "logs); the lock is the directory itself" },
	{ KERNEL_NETNS_DIR, "the namespaces erlab makes: NAME-customer, NAME-microsoft and NAME-VNET for "
			    "circuit NAME, as ip netns sees them" },
	{ "share/erlab/labs/", "the shipped lab files (classic.ini, dual-stack.ini, two-circuits.ini, "
			       "mistakes.ini), under erlab's prefix: /usr for the package, /usr/local for cmake "
			       "--install" },
	{ "share/doc/erlab/", "README.md and docs/: the guide, the rules with their messages, the kernel layout, "
			      "BGP, the state directory" },
	{ 0 },
};

/* ---- lookups ---- */

const struct verb *help_find(const struct verb *list, unsigned n, const char *name)
{
	for (unsigned i = 0; list && (n ? i < n : list[i].name != NULL); i++)
		if (strcmp(list[i].name, name) == 0)
			return &list[i];
	return NULL;
}

static bool is_help(const char *a)
{
	return strcmp(a, "--help") == 0 || strcmp(a, "-h") == 0;
}

bool help_asked(const struct verb *v, int argc, char **argv)
{
	if (v->flags & VERB_COMMAND)
		return argc > 1 && is_help(argv[1]);
	for (int i = 1; i < argc; i++) {
		if (strcmp(argv[i], "--") == 0)
			return false;
		if (is_help(argv[i]))
			return true;
		if (cli_opt_takes_value(v, argv[i]))
			i++;
	}
	return false;
}

/* ---- text ---- */

/* A space that does not break a line (in a cmdlet's syntax, between a parameter and its type). */
#define NBSP '\1'

/* text from column col (where the cursor is), lines up to WIDTH, continued at column indent. */
static void wrap(FILE *f, const char *text, int col, int indent)
{
	bool first = true;

	for (const char *p = text; *p;) {
		size_t n;

		while (*p == ' ')
			p++;
		if (!*p)
			break;
		n = strcspn(p, " ");
		if (!first && col + 1 + (int)n > WIDTH) {
			fprintf(f, "\n%*s", indent, "");
			col = indent;
		} else if (!first) {
			fputc(' ', f);
			col++;
		}
		for (size_t i = 0; i < n; i++)
			fputc(p[i] == NBSP ? ' ' : p[i], f);
		col += (int)n;
		p += n;
		first = false;
	}
	fputc('\n', f);
}

/* "  left      help", the help at column at (or on the next line when left is too wide). */
static void item_at(FILE *f, const char *left, const char *help, int at)
{
	int col = fprintf(f, "  %s", left);

	if (col + 2 > at)
		fprintf(f, "\n%*s", at, "");
	else
		fprintf(f, "%*s", at - col, "");
	wrap(f, help, at, at);
}

static void item(FILE *f, const char *left, const char *help)
{
	item_at(f, left, help, LEFT);
}

const char *help_field_arg(const struct field *f, char *buf, size_t len)
{
	size_t used = 0;

	if (f->flags & FIELD_FLAG)
		return NULL;
	switch (f->kind) {
	case FIELD_ENUM:
		buf[0] = '\0';
		for (unsigned i = 0; i < f->names->count && used < len; i++)
			used += (size_t)snprintf(buf + used, len - used, "%s%s", i ? "|" : "", f->names->name((int)i));
		return buf;
	case FIELD_U32:
	case FIELD_U16:
		return "N";
	case FIELD_GUID:
		return "GUID";
	case FIELD_SUBNET:
	case FIELD_PREFIX:
		return "CIDR";
	case FIELD_PREFIXES:
	case FIELD_CIDRS:
		return "CIDR[,CIDR...]";
	case FIELD_TEXT:
	case FIELD_STRING:
		break;
	}
	return "TEXT";
}

const char *help_field_type(const struct field *f, char *buf, size_t len)
{
	const char *v6 = f->family == AF_INET6 ? "IPv6" : "IPv4";
	size_t used = 0;

	switch (f->kind) {
	case FIELD_TEXT:
	case FIELD_STRING:
		snprintf(buf, len, "text, at most %zu characters", f->aux - 1);
		break;
	case FIELD_GUID:
		snprintf(buf, len, "a GUID, 8-4-4-4-12 hexadecimal digits");
		break;
	case FIELD_U32:
	case FIELD_U16:
		snprintf(buf, len, "a whole number");
		break;
	case FIELD_ENUM:
		used = (size_t)snprintf(buf, len, "one of");
		for (unsigned i = 0; i < f->names->count && used < len; i++)
			used += (size_t)snprintf(buf + used, len - used, "%s %s", i == 0 ? "" : i + 1 == f->names->count ?
						 " or" : ",", f->names->name((int)i));
		break;
	case FIELD_SUBNET:
		snprintf(buf, len, "an %s %s subnet", v6, f->family == AF_INET6 ? "/126" : "/30");
		break;
	case FIELD_PREFIXES:
		snprintf(buf, len, "%s prefixes, separated by commas", v6);
		break;
	case FIELD_CIDRS:
		snprintf(buf, len, "prefixes, IPv4 or IPv6, separated by commas");
		break;
	case FIELD_PREFIX:
		snprintf(buf, len, "a prefix, IPv4 or IPv6");
		break;
	}
	return buf;
}

const char *help_short_type(const char *type, char *buf, size_t len)
{
	const char *in = strchr(type, '['), *dot;
	size_t n;

	if (in)
		type = in + 1;
	n = strcspn(type, "]");
	for (dot = type; (in = memchr(dot, '.', n - (size_t)(dot - type))); dot = in + 1)
		;
	snprintf(buf, len, "%.*s", (int)(n - (size_t)(dot - type)), dot);
	return buf;
}

static bool field_required(const struct verb *v, const struct field *f)
{
	return (v->flags & VERB_REQUIRED_FIELDS) && (f->required & 1u);
}

const char *help_synopsis(const struct verb *v, char *buf, size_t len)
{
	const struct field_table *t = v->fields;
	bool more = false;
	char arg[160];
	size_t used = 0;

	buf[0] = '\0';
	if (v->subs) {
		snprintf(buf, len, "SUBVERB ...");
		return buf;
	}
	if (v->args)
		used += (size_t)snprintf(buf + used, len - used, "%s", v->args);
	for (unsigned i = 0; t && i < t->n && used < len; i++) {
		const struct field *f = &t->rows[i];
		const char *a;

		if (!cli_takes(v, f) || !f->option[0])
			continue;
		if (!field_required(v, f)) {
			more = true;
			continue;
		}
		a = help_field_arg(f, arg, sizeof(arg));
		used += (size_t)snprintf(buf + used, len - used, "%s--%s%s%s", used ? " " : "", f->option[0],
					 a ? " " : "", a ? a : "");
	}
	for (const struct verb_opt *o = v->opts; o && o->name && used < len; o++) {
		if (!(o->flags & VERB_OPT_REQUIRED)) {
			more = true;
			continue;
		}
		used += (size_t)snprintf(buf + used, len - used, "%s--%s%s%s", used ? " " : "", o->name,
					 o->arg ? " " : "", o->arg ? o->arg : "");
	}
	if (more && used < len)
		snprintf(buf + used, len - used, "%s[options]", used ? " " : "");
	return buf;
}

static const char *verb_path(const struct verb *v, const struct verb *parent, char *buf, size_t len)
{
	if (parent)
		snprintf(buf, len, "%s %s", parent->name, v->name);
	else
		snprintf(buf, len, "%s", v->name);
	return buf;
}

static void own_option_item(FILE *f, const struct verb_opt *o)
{
	char left[160], help[600];

	snprintf(left, sizeof(left), "%s%c%s--%s%s%s", o->letter ? "-" : "", o->letter ? o->letter : ' ',
		 o->letter ? ", " : "", o->name, o->arg ? " " : "", o->arg ? o->arg : "");
	snprintf(help, sizeof(help), "%s%s", o->help, (o->flags & VERB_OPT_REQUIRED) ? " (required)" : "");
	item(f, o->letter ? left : left + 1, help);
}

static void options(FILE *f, const struct verb *v)
{
	const struct field_table *t = v->fields;
	char left[200], arg[160], help[700];

	for (unsigned i = 0; t && i < t->n; i++) {
		const struct field *r = &t->rows[i];
		const char *a;
		size_t used;

		if (!cli_takes(v, r) || !r->option[0])
			continue;
		a = help_field_arg(r, arg, sizeof(arg));
		snprintf(left, sizeof(left), "--%s%s%s", r->option[0], a ? " " : "", a ? a : "");
		used = (size_t)snprintf(help, sizeof(help), "%s", r->help ? r->help : "");
		if (r->option[1] && used < sizeof(help))
			used += (size_t)snprintf(help + used, sizeof(help) - used, " (also --%s)", r->option[1]);
		if (field_required(v, r) && used < sizeof(help))
			snprintf(help + used, sizeof(help) - used, " (required)");
		item(f, left, help);
	}
	for (const struct verb_opt *o = v->opts; o && o->name; o++)
		own_option_item(f, o);
	item(f, "-h, --help", "this help");
}

static void global_options_line(FILE *f)
{
	char line[400];
	size_t used = 0;

	for (const struct verb_opt *g = cli_global_options; g->name && used < sizeof(line); g++) {
		if (g->letter)
			used += (size_t)snprintf(line + used, sizeof(line) - used, "%s-%c", used ? ", " : "", g->letter);
		else
			used += (size_t)snprintf(line + used, sizeof(line) - used, "%s--%s", used ? ", " : "", g->name);
	}
	fputs("global options (erlab help): ", f);
	wrap(f, line, 29, 4);
}

/* In a synopsis, "--option VALUE" stays on one line. */
static void keep_values(char *s)
{
	for (char *w = s; *w; w += strcspn(w, " "), w += *w == ' ') {
		char *sp = w + strcspn(w, " ");

		if (*sp == ' ' && (w[0] == '-' || (w[0] == '[' && w[1] == '-')) && sp[1] != '-' && sp[1] != '[' &&
		    strncmp(sp + 1, "options]", 8) != 0)
			*sp = NBSP;
	}
}

void help_verb(FILE *f, const struct verb *v, const struct verb *parent)
{
	char path[64], syn[1024], left[200], line[1200];

	verb_path(v, parent, path, sizeof(path));
	help_synopsis(v, syn, sizeof(syn));
	snprintf(line, sizeof(line), "usage: erlab %s%s%s", path, syn[0] ? " " : "", syn);
	keep_values(line);
	wrap(f, line, 0, 8);
	fputc('\n', f);
	wrap(f, v->summary ? v->summary : "", 0, 0);
	if (v->subs) {
		fprintf(f, "\nsubverbs (erlab %s SUBVERB --help):\n", path);
		for (const struct verb *s = v->subs; s->name; s++) {
			snprintf(left, sizeof(left), "%s%s%s", s->name, s->args ? " " : "", s->args ? s->args : "");
			item(f, left, s->summary ? s->summary : "");
		}
	} else {
		fputs("\noptions:\n", f);
		options(f, v);
	}
	fputc('\n', f);
	global_options_line(f);
}

void help_usage(FILE *f)
{
	const struct verb *verbs;
	struct cmdlet_doc c;
	unsigned n;
	char left[200], list[400];

	verbs = cli_verbs(&n);
	fputs("usage: erlab [global options] VERB [SUBVERB] [options] [arguments]\n"
	      "       erlab [global options] CMDLET [-Parameter value ...]\n"
	      "       erlab help [VERB [SUBVERB] | CMDLET]\n\n"
	      "verbs (erlab help VERB):\n", f);
	for (unsigned i = 0; i < n; i++) {
		size_t used = 0;

		list[0] = '\0';
		for (const struct verb *s = verbs[i].subs; s && s->name && used < sizeof(list); s++)
			used += (size_t)snprintf(list + used, sizeof(list) - used, "%s%s", used ? " | " : "", s->name);
		item_at(f, verbs[i].name, verbs[i].subs ? list : verbs[i].summary ? verbs[i].summary : "", 17);
	}
	fputs("\nAzure's classic cmdlets, with their parameters (erlab help CMDLET):\n", f);
	for (unsigned i = 0; cmdlet_doc_at(i, &c); i++)
		fprintf(f, "  %s\n", c.name);
	fputs("\nglobal options, anywhere before --:\n", f);
	for (const struct verb_opt *g = cli_global_options; g->name; g++) {
		snprintf(left, sizeof(left), "%s%c%s--%s%s%s", g->letter ? "-" : "", g->letter ? g->letter : ' ',
			 g->letter ? ", " : "", g->name, g->arg ? " " : "", g->arg ? g->arg : "");
		item(f, g->letter ? left : left + 1, g->help);
	}
	item(f, "--version", "print erlab's version");
	fputs("\nexit codes:\n", f);
	for (const struct help_item *e = help_exit_codes; e->name; e++)
		item_at(f, e->name, e->help, 17);
}

/* ---- cmdlets ---- */

/* PowerShell's syntax line: -Name <Type>, [-Name <Type>] when optional, [-Name] <Type> by position. */
static size_t syntax_param(char *buf, size_t len, const struct ps_param_doc *p)
{
	char t[96];
	bool opt = !(p->flags & PS_MANDATORY);

	help_short_type(p->type, t, sizeof(t));
	if (p->is_switch)
		return (size_t)snprintf(buf, len, " [-%s]", p->name);
	if (p->position >= 0)
		return (size_t)snprintf(buf, len, " %s[-%s]%c<%s>%s", opt ? "[" : "", p->name, NBSP, t, opt ? "]" : "");
	return (size_t)snprintf(buf, len, " %s-%s%c<%s>%s", opt ? "[" : "", p->name, NBSP, t, opt ? "]" : "");
}

static void enum_values(const struct ps_enum *en, char *buf, size_t len)
{
	size_t used = 0;

	buf[0] = '\0';
	for (unsigned i = 0; en && i < en->count && used < len; i++)
		used += (size_t)snprintf(buf + used, len - used, "%s%s", i ? ", " : "", en->name((int)i));
}

int help_cmdlet(FILE *f, const char *name)
{
	struct ps_param_doc *ps;
	struct cmdlet_doc c;
	char line[2048], attrs[400], values[256], head[200], pos[16];
	size_t used = 0;
	unsigned n;

	if (!cmdlet_doc_find(name, &c))
		return -ENOENT;
	if (!(ps = calloc(PSARGS_MAX, sizeof(*ps))))
		return -ENOMEM;
	n = cmdlet_param_docs(&c, ps, PSARGS_MAX);
	n = n < PSARGS_MAX ? n : PSARGS_MAX;
	used = (size_t)snprintf(line, sizeof(line), "usage: erlab %s", c.name);
	/* Mandatory first, as Get-Help lists them; then the rest in the module's order. */
	for (int pass = 0; pass < 2; pass++)
		for (unsigned i = 0; i < n && used < sizeof(line); i++)
			if (!ps[i].common && (pass == 0) == ((ps[i].flags & PS_MANDATORY) != 0))
				used += syntax_param(line + used, sizeof(line) - used, &ps[i]);
	if (used < sizeof(line))
		snprintf(line + used, sizeof(line) - used, " [<CommonParameters>]");
	wrap(f, line, 0, 8);
	fputc('\n', f);
	snprintf(line, sizeof(line), "%s%s%s%s", c.summary ? c.summary : "", c.native ? " (the native verb: erlab " : "",
		 c.native ? c.native : "", c.native ? ")" : "");
	wrap(f, line, 0, 0);
	for (int common = 0; common < 2; common++) {
		bool any = false;

		for (unsigned i = 0; i < n; i++) {
			const struct ps_param_doc *p = &ps[i];

			if (p->common != common)
				continue;
			if (!any)
				fputs(common ? "\nPowerShell's common parameters, which every cmdlet takes:\n" : "\nparameters:\n", f);
			any = true;
			snprintf(head, sizeof(head), "-%s%s%s%s%s", p->name, p->alias ? " (-" : "", p->alias ? p->alias : "",
				 p->alias ? ")" : "", p->is_switch ? "" : " <");
			if (!p->is_switch) {
				size_t k = strlen(head);

				snprintf(head + k, sizeof(head) - k, "%s>", p->type);
			}
			if (common) {
				item(f, head, p->help);
				continue;
			}
			fprintf(f, "  %s\n%*s", head, 6, "");
			wrap(f, p->help, 6, 6);
			enum_values(p->en, values, sizeof(values));
			if (p->position >= 0)
				snprintf(pos, sizeof(pos), "%d", p->position);
			snprintf(attrs, sizeof(attrs), "mandatory: %s; position: %s%s%s%s",
				 (p->flags & PS_MANDATORY) ? "yes" : "no", p->position >= 0 ? pos : "named",
				 (p->flags & PS_NOT_EMPTY) ? "; not null or empty" : "", values[0] ? "; values: " : "",
				 values);
			fprintf(f, "%*s", 6, "");
			wrap(f, attrs, 6, 6);
		}
	}
	free(ps);
	return 0;
}

/* ---- did you mean ---- */

int help_unknown_verb(struct cli *x, const char *word)
{
	const char *cands[64], *verb, *cmdlet;
	const struct verb *verbs;
	struct cmdlet_doc c;
	unsigned n, k = 0;

	verbs = cli_verbs(&n);
	if (word[0] == '-') {
		char name[SUGGEST_LEN_MAX + 1];

		snprintf(name, sizeof(name), "%.*s", (int)strcspn(word + strspn(word, "-"), "="), word + strspn(word, "-"));
		for (const struct verb_opt *g = cli_global_options; g->name && k < 60; g++)
			cands[k++] = g->name;
		cands[k++] = "help";
		cands[k++] = "version";
		if ((verb = suggest_best(name, cands, k, false))) {
			fprintf(x->log, "erlab: unknown option '%s' (did you mean '--%s'?)\n", word, verb);
			return 2;
		}
	} else {
		for (unsigned i = 0; i < n && k < 64; i++)
			cands[k++] = verbs[i].name;
		verb = suggest_best(word, cands, k, false);
		for (k = 0; k < 64 && cmdlet_doc_at(k, &c); k++)
			cands[k] = c.name;
		cmdlet = suggest_best(word, cands, k, true);
		if (verb && (!cmdlet || suggest_distance(word, verb, false) <= suggest_distance(word, cmdlet, true))) {
			fprintf(x->log, "erlab: unknown verb '%s' (did you mean '%s'?)\n", word, verb);
			return 2;
		}
		if (cmdlet) {
			fprintf(x->log, "erlab: unknown cmdlet '%s' (did you mean '%s'?)\n", word, cmdlet);
			return 2;
		}
	}
	fprintf(x->log, "erlab: unknown verb or cmdlet '%s' (see erlab --help)\n", word);
	return 2;
}

int help_unknown_subverb(struct cli *x, const struct verb *v, const char *word)
{
	const char *cands[32] = { NULL }, *best = NULL;
	char list[400];
	unsigned k = 0;
	size_t used = 0;

	for (const struct verb *s = v->subs; s->name && k < 32; s++)
		cands[k++] = s->name;
	if (word && *word && (best = suggest_best(word, cands, k, false))) {
		fprintf(x->log, "erlab %s: unknown subverb '%s' (did you mean '%s'?)\n", v->name, word, best);
		return 2;
	}
	list[0] = '\0';
	for (unsigned i = 0; i < k && used < sizeof(list); i++)
		used += (size_t)snprintf(list + used, sizeof(list) - used, "%s%s", i == 0 ? "" : i + 1 == k ? " or " : ", ",
					 cands[i]);
	return cli_usage(x, v->name, "expects %s", list);
}

/* erlab help [VERB [SUBVERB] | CMDLET]; also erlab --help, erlab -h (argv[0]). */
int cmd_help(struct cli *x, int argc, char **argv)
{
	const struct verb *verbs, *v, *s = NULL;
	unsigned n;

	if (argc < 2) {
		help_usage(x->out);
		return 0;
	}
	verbs = cli_verbs(&n);
	if (!(v = help_find(verbs, n, argv[1]))) {
		if (help_cmdlet(x->out, argv[1]) == 0) {
			if (argc > 2)
				return cli_usage(x, "help", "a cmdlet has no subverbs: '%s'", argv[2]);
			return 0;
		}
		return help_unknown_verb(x, argv[1]);
	}
	if (argc > 2) {
		if (!v->subs)
			return cli_usage(x, "help", "%s has no subverbs: '%s'", v->name, argv[2]);
		if (!(s = help_find(v->subs, 0, argv[2])))
			return help_unknown_subverb(x, v, argv[2]);
		if (argc > 3)
			return cli_usage(x, "help", "expects VERB [SUBVERB] or CMDLET");
	}
	help_verb(x->out, s ? s : v, s ? v : NULL);
	return 0;
}
