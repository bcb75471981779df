/* SPDX-License-Identifier: MIT */
/*
 * The native verbs' options: a verb names the field rows it takes (core/fields.c) and its own
 * switches; getopt_long's table is made from the rows' --options, and the values are bound through
 * the rows once every option is read (so a peering's --type may come last).
 */
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/options.h"

#define OPT_FIELD 0x2000   /* + 2 * row + which of its two names */
#define OPTS_MAX 64

static bool takes(const struct cli_opts *o, const struct field *f)
{
	for (const char *const *k = o->keys; k && *k; k++)
		if (strcmp(*k, f->key) == 0)
			return true;
	return false;
}

int cli_getopt(struct cli *x, const char *verb, int argc, char **argv, struct cli_opts *o, cli_own_fn own, void *ud)
{
	struct option table[OPTS_MAX + 1];
	unsigned n = 0;
	int opt, r;

	o->n = 0;
	for (unsigned i = 0; o->t && i < o->t->n; i++) {
		const struct field *f = &o->t->rows[i];

		if (!takes(o, f))
			continue;
		for (int j = 0; j < 2 && n < OPTS_MAX; j++)
			if (f->option[j])
				table[n++] = (struct option){ f->option[j],
					(f->flags & FIELD_FLAG) ? no_argument : required_argument, NULL,
					OPT_FIELD + 2 * (int)i + j };
	}
	for (const struct option *p = o->own; p && p->name && n < OPTS_MAX; p++)
		table[n++] = *p;
	table[n] = (struct option){ 0 };

	optind = 1;
	opterr = 0;
	while ((opt = getopt_long(argc, argv, "", table, NULL)) != -1) {
		if (opt == '?' || opt == ':')
			return cli_usage(x, verb, "unknown option or missing value: '%s'", argv[optind - 1]);
		if (opt >= OPT_FIELD) {
			const struct field *f = &o->t->rows[(opt - OPT_FIELD) / 2];

			if (o->n == sizeof(o->v) / sizeof(o->v[0]))
				return cli_usage(x, verb, "too many options");
			o->v[o->n++] = (struct cli_opt_value){ f->option[(opt - OPT_FIELD) % 2], optarg };
			continue;
		}
		if (!own || (r = own(x, verb, opt, optarg, ud)) != 0)
			return own ? r : cli_usage(x, verb, "unknown option '%s'", argv[optind - 1]);
	}
	o->optind = optind;
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
		for (f = field_by_option(o->t, v->name, NULL); f; f = field_by_option(o->t, v->name, f)) {
			if (!takes(o, f))
				continue;
			first = first ? first : f;
			r = field_parse(o->t, f, what, v->value ? v->value : "yes", obj, what, &e, &how);
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

int cli_required(struct cli *x, const char *verb, const struct cli_opts *o, const void *obj)
{
	unsigned has = *(const unsigned *)((const char *)obj + o->t->has_offset);

	for (unsigned i = 0; i < o->t->n; i++) {
		const struct field *f = &o->t->rows[i];

		if (takes(o, f) && f->option[0] && (f->required & 1u) && f->has && !(has & f->has))
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
