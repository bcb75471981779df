/* SPDX-License-Identifier: MIT */
/*
 * The build's hidden modes (`erlab --gen-man`, `erlab --gen-completion`) and the check that every
 * table the help is made from has its help text (cli/help.h). The build runs them
 * (cmake/ErlabDocs.cmake), so a verb, an option, a field row, a cmdlet or a parameter without
 * help fails the build; tests/unit/test_help.c runs the same check.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "cli/cmdlet.h"
#include "cli/help.h"
#include "lab/lab.h"

static bool missing(const char *s)
{
	return !s || !s[0];
}

unsigned help_lint_table(FILE *f, const char *where, const struct field_table *t)
{
	unsigned bad = 0;

	for (unsigned i = 0; t && i < t->n; i++)
		if (missing(t->rows[i].help)) {
			fprintf(f, "%s: field %s has no help\n", where, t->rows[i].key);
			bad++;
		}
	return bad;
}

static unsigned lint_verb(FILE *f, const struct verb *v, const char *parent)
{
	char path[128];
	unsigned bad = 0;

	snprintf(path, sizeof(path), "verb %s%s%s", parent ? parent : "", parent ? " " : "", v->name);
	if (missing(v->summary)) {
		fprintf(f, "%s: no summary\n", path);
		bad++;
	}
	if (!v->fn && !v->subs) {
		fprintf(f, "%s: neither a function nor subverbs\n", path);
		bad++;
	}
	for (const char *const *k = v->keys; k && *k; k++) {
		const struct field *r = v->fields ? field_by_key(v->fields, *k) : NULL;

		if (!r || !r->option[0])
			fprintf(f, "%s: key %s is no row with an option of its field table\n", path, *k);
		else if (missing(r->help))
			fprintf(f, "%s: option --%s (field %s) has no help\n", path, r->option[0], *k);
		else
			continue;
		bad++;
	}
	for (const struct verb_opt *o = v->opts; o && o->name; o++)
		if (missing(o->help)) {
			fprintf(f, "%s: option --%s has no help\n", path, o->name);
			bad++;
		}
	for (const struct verb *s = v->subs; s && s->name; s++)
		bad += lint_verb(f, s, v->name);
	return bad;
}

unsigned help_lint_verbs(FILE *f, const struct verb *verbs, unsigned n)
{
	unsigned bad = 0;

	for (unsigned i = 0; i < n; i++)
		bad += lint_verb(f, &verbs[i], NULL);
	return bad;
}

unsigned help_lint(FILE *f)
{
	struct ps_param_doc *ps = calloc(PSARGS_MAX, sizeof(*ps));
	const struct verb *verbs;
	struct lab_section_doc s;
	struct cmdlet_doc c;
	unsigned n, bad = 0;

	verbs = cli_verbs(&n);
	bad += help_lint_verbs(f, verbs, n);
	for (const struct verb_opt *g = cli_global_options; g->name; g++)
		if (missing(g->help)) {
			fprintf(f, "global option --%s has no help\n", g->name);
			bad++;
		}
	/* Every field table is a lab section's: its rows are every field there is. */
	for (unsigned i = 0; lab_section_doc(i, &s); i++) {
		if (missing(s.help)) {
			fprintf(f, "lab section %s has no help\n", s.form);
			bad++;
		}
		bad += help_lint_table(f, s.form, s.fields);
	}
	for (unsigned i = 0; cmdlet_doc_at(i, &c); i++) {
		unsigned k;

		if (missing(c.summary)) {
			fprintf(f, "cmdlet %s: no summary\n", c.name);
			bad++;
		}
		if (!ps) {
			bad++;
			continue;
		}
		k = cmdlet_param_docs(&c, ps, PSARGS_MAX);
		if (k > PSARGS_MAX) {
			fprintf(f, "cmdlet %s: more than %d parameters\n", c.name, PSARGS_MAX);
			bad++;
			k = PSARGS_MAX;
		}
		for (unsigned j = 0; j < k; j++) {
			if (missing(ps[j].name)) {
				fprintf(f, "cmdlet %s: parameter %u names no row of its field table\n", c.name, j);
				bad++;
			} else if (missing(ps[j].help)) {
				fprintf(f, "cmdlet %s: parameter -%s has no help\n", c.name, ps[j].name);
				bad++;
			}
		}
	}
	free(ps);
	return bad;
}

int help_generate(struct cli *x, int argc, char **argv)
{
	const char *what = argc > 1 ? argv[1] : "";
	unsigned bad;

	if (argc != 2 || (strcmp(argv[0], "--gen-man") == 0 && strcmp(what, "erlab.8") != 0 &&
			  strcmp(what, "erlab.ini.5") != 0) ||
	    (strcmp(argv[0], "--gen-completion") == 0 && strcmp(what, "bash") != 0)) {
		fprintf(x->log, "erlab: %s: expects erlab.8 or erlab.ini.5 (--gen-man), bash (--gen-completion)\n",
			argv[0]);
		return 2;
	}
	if ((bad = help_lint(x->log)) != 0) {
		fprintf(x->log, "erlab: %s %s: %u help texts are missing (src/cli/help.h)\n", argv[0], what, bad);
		return 1;
	}
	if (strcmp(what, "erlab.8") == 0)
		help_man_erlab(x->out);
	else if (strcmp(what, "erlab.ini.5") == 0)
		help_man_ini(x->out);
	else
		help_bash_completion(x->out);
	return 0;
}
