/* SPDX-License-Identifier: MIT */
/*
 * The native verbs' options: a verb (struct verb, cli.h) names the field rows it takes
 * (core/fields.c) and its own options; getopt_long's table is made from the rows' --options and
 * the own ones, and the field values are bound through the rows once every option is read (so a
 * peering's --type may come last). The same description gives `erlab VERB --help` (cli/help.c).
 */
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/options.h"
#include "core/suggest.h"

#define OPT_FIELD 0x2000   /* + 2 * row + which of its two names */
#define OPTS_MAX 64

bool cli_takes(const struct verb *v, const struct field *f)
{
	for (const char *const *k = v->keys; k && *k; k++)
		if (strcmp(*k, f->key) == 0)
			return true;
	return false;
}

/* getopt_long's table: the field rows' options, then the verb's own. Returns its size. */
static unsigned option_table(const struct verb *v, struct option *table)
{
	const struct field_table *t = v->fields;
	unsigned n = 0;

	for (unsigned i = 0; t && i < t->n; i++) {
		const struct field *f = &t->rows[i];

		if (!cli_takes(v, f))
			continue;
		for (int j = 0; j < 2 && n < OPTS_MAX; j++)
			if (f->option[j])
				table[n++] = (struct option){ f->option[j],
					(f->flags & FIELD_FLAG) ? no_argument : required_argument, NULL,
					OPT_FIELD + 2 * (int)i + j };
	}
	for (const struct verb_opt *p = v->opts; p && p->name && n < OPTS_MAX; p++)
		table[n++] = (struct option){ p->name, p->arg ? required_argument : no_argument, NULL, p->id };
	table[n] = (struct option){ 0 };
	return n;
}

/*
 * "--vlna": an option of this verb (or a global one, typed after the verb) that is near, or the
 * usual text when none is.
 */
static int unknown_option(struct cli *x, const char *verb, const struct option *table, unsigned n, const char *arg)
{
	const char *cands[OPTS_MAX + 16], *best;
	char name[SUGGEST_LEN_MAX + 1];
	unsigned k = 0;

	if (strncmp(arg, "--", 2) != 0 || !arg[2])
		return cli_usage(x, verb, "unknown option or missing value: '%s'", arg);
	snprintf(name, sizeof(name), "%.*s", (int)strcspn(arg + 2, "="), arg + 2);
	for (unsigned i = 0; i < n; i++)
		cands[k++] = table[i].name;
	for (const struct verb_opt *g = cli_global_options; g->name && k < OPTS_MAX + 15; g++)
		cands[k++] = g->name;
	cands[k++] = "help";
	/* An option of this verb given without its value is not mistyped. */
	for (unsigned i = 0; i < n; i++)
		if (strcmp(table[i].name, name) == 0)
			return cli_usage(x, verb, "unknown option or missing value: '%s'", arg);
	if (!(best = suggest_best(name, cands, k, false)))
		return cli_usage(x, verb, "unknown option or missing value: '%s'", arg);
	fprintf(x->log, "erlab %s: unknown option '--%s' (did you mean '--%s'?)\n", verb, name, best);
	return 2;
}

/* "--flavor is required: use frr, bird, ios-xe or junos"; "--name is required" (a named value). */
static int missing_option(struct cli *x, const char *verb, const struct verb_opt *opt)
{
	char use[256];
	size_t used = 0;
	unsigned n = 0, k = 0;

	if (!opt->arg || !strchr(opt->arg, '|'))
		return cli_usage(x, verb, "--%s is required", opt->name);
	for (const char *p = opt->arg; *p; p += strcspn(p, "|"), p += *p == '|')
		n++;
	use[0] = '\0';
	for (const char *p = opt->arg; *p && used < sizeof(use); p += strcspn(p, "|"), p += *p == '|', k++)
		used += (size_t)snprintf(use + used, sizeof(use) - used, "%s%.*s", k == 0 ? "" : k + 1 == n ? " or " : ", ",
					 (int)strcspn(p, "|"), p);
	return cli_usage(x, verb, "--%s is required: use %s", opt->name, use);
}

int cli_getopt(struct cli *x, const char *verb, int argc, char **argv, struct cli_opts *o, cli_own_fn own, void *ud)
{
	const struct verb *v = o->verb;
	struct option table[OPTS_MAX + 1];
	char shorts[2 * CLI_OWN_MAX + 2];
	unsigned n = option_table(v, table), s = 0, i;
	int opt, r;

	o->n = 0;
	memset(o->own_given, 0, sizeof(o->own_given));
	memset(o->own_value, 0, sizeof(o->own_value));
	/* ':' first: a missing value is told from an unknown option. */
	shorts[s++] = ':';
	for (i = 0; v->opts && v->opts[i].name && i < CLI_OWN_MAX; i++)
		if (v->opts[i].letter) {
			shorts[s++] = v->opts[i].letter;
			if (v->opts[i].arg)
				shorts[s++] = ':';
		}
	shorts[s] = '\0';

	optind = 1;
	opterr = 0;
	while ((opt = getopt_long(argc, argv, shorts, table, NULL)) != -1) {
		if (opt == '?' || opt == ':')
			return unknown_option(x, verb, table, n, argv[optind - 1]);
		if (opt >= OPT_FIELD) {
			const struct field *f = &v->fields->rows[(opt - OPT_FIELD) / 2];

			if (o->n == sizeof(o->v) / sizeof(o->v[0]))
				return cli_usage(x, verb, "too many options");
			o->v[o->n++] = (struct cli_opt_value){ f->option[(opt - OPT_FIELD) % 2], optarg };
			continue;
		}
		for (i = 0; v->opts && v->opts[i].name && i < CLI_OWN_MAX; i++)
			if (opt == v->opts[i].id || (v->opts[i].letter && opt == v->opts[i].letter))
				break;
		if (!v->opts || !v->opts[i].name || i == CLI_OWN_MAX)
			return cli_usage(x, verb, "unknown option '%s'", argv[optind - 1]);
		o->own_given[i] = true;
		o->own_value[i] = optarg;
		if (own && (r = own(x, verb, v->opts[i].id, optarg, ud)) != 0)
			return r;
	}
	o->optind = optind;
	for (i = 0; v->opts && v->opts[i].name && i < CLI_OWN_MAX; i++)
		if ((v->opts[i].flags & VERB_OPT_REQUIRED) && !o->own_given[i])
			return missing_option(x, verb, &v->opts[i]);
	return 0;
}

/* A value the rows refused: the rule's own message, or the type's with the option and value. */
static int option_error(struct cli *x, const struct field *f, const struct cli_opt_value *v, struct err *e)
{
	char shown[ERR_SHOW_MAX + 4];

	/* Quoted: a value's blanks and signs are what is wrong with it as often as not. */
	if (!e->what[0] && (f->flags & FIELD_SECRET))
		snprintf(e->what, sizeof(e->what), "--%s", v->name);
	else if (!e->what[0])
		snprintf(e->what, sizeof(e->what), "--%s '%s'", v->name, err_show(v->value ? v->value : "", shown));
	return cli_error(x, e);
}

int cli_bind(struct cli *x, const char *verb, const struct cli_opts *o, void *obj)
{
	for (unsigned i = 0; i < o->n; i++) {
		const struct cli_opt_value *v = &o->v[i];
		const struct field *f, *first = NULL;
		enum field_fail how = FIELD_OK;
		struct err e = {0};
		char what[80];
		int r = 0;

		snprintf(what, sizeof(what), "--%s", v->name);
		for (f = field_by_option(o->verb->fields, v->name, NULL); f;
		     f = field_by_option(o->verb->fields, v->name, f)) {
			if (!cli_takes(o->verb, f))
				continue;
			first = first ? first : f;
			r = field_parse(o->verb->fields, f, what, v->value ? v->value : "yes", obj, what, &e, &how);
			if (r >= 0 || how != FIELD_OTHER_FAMILY)
				break;
		}
		if (!first)
			return cli_usage(x, verb, "--%s: not an option here", v->name);
		if (r < 0)
			return option_error(x, first, v, &e);
	}
	return 0;
}

int cli_required(struct cli *x, const char *verb, const struct cli_opts *o)
{
	const struct field_table *t = o->verb->fields;

	for (unsigned i = 0; t && i < t->n; i++) {
		const struct field *f = &t->rows[i];
		bool given = false;

		if (!cli_takes(o->verb, f) || !f->option[0] || !(f->required & 1u))
			continue;
		for (unsigned j = 0; j < o->n && !given; j++)
			given = strcmp(o->v[j].name, f->option[0]) == 0 ||
				(f->option[1] && strcmp(o->v[j].name, f->option[1]) == 0);
		if (!given)
			return cli_usage(x, verb, "--%s is required", f->option[0]);
	}
	return 0;
}

const char *cli_opt_value(const struct cli_opts *o, const char *name)
{
	const char *v = NULL;

	for (unsigned i = 0; i < o->n; i++)
		if (strcmp(o->v[i].name, name) == 0)
			v = o->v[i].value;
	return v;
}

bool cli_own_given(const struct cli_opts *o, int id)
{
	for (unsigned i = 0; o->verb->opts && o->verb->opts[i].name && i < CLI_OWN_MAX; i++)
		if (o->verb->opts[i].id == id)
			return o->own_given[i];
	return false;
}

bool cli_opt_takes_value(const struct verb *v, const char *arg)
{
	struct option table[OPTS_MAX + 1];
	unsigned n = option_table(v, table);
	size_t len;

	if (arg[0] != '-' || !arg[1])
		return false;
	if (arg[1] != '-') {
		for (const struct verb_opt *p = v->opts; p && p->name; p++)
			if (p->letter == arg[1] && p->arg)
				return !arg[2];   /* "-xVALUE" holds its value */
		return false;
	}
	if (strchr(arg, '='))
		return false;
	/* getopt_long takes an unambiguous prefix, too. */
	len = strlen(arg + 2);
	for (unsigned i = 0; i < n; i++)
		if (strncmp(table[i].name, arg + 2, len) == 0 && table[i].has_arg == required_argument)
			return true;
	return false;
}
