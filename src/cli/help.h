/* SPDX-License-Identifier: MIT */
#ifndef ERLAB_HELP_H
#define ERLAB_HELP_H

#include <stdbool.h>
#include <stdio.h>

#include "cli/cli.h"
#include "core/field.h"

/*
 * Help, made from the tables the parsers use and nothing else (docs/ARCHITECTURE.md, "Help"):
 * the verb table and its subverbs (main.c, cmd_*.c: struct verb), the field rows their options
 * bind through (core/fields.c), the global options (main.c), the cmdlets and their parameters as
 * the binder binds them (cmdlet.c, cmdlet_bind.c), and the lab sections (lab/lab.c). From them:
 * `erlab help` and `erlab VERB [SUBVERB] --help` (help.c), erlab(8) and erlab.ini(5) (help_man.c)
 * and the bash completion (help_bash.c), generated at build time (cmake/ErlabDocs.cmake).
 */

/* ---- help.c: what `erlab help` prints ---- */

/* The usage: verbs, cmdlets, global options, exit codes. */
void help_usage(FILE *f);
/* A verb, or a subverb of parent: synopsis, summary, subverbs or options. */
void help_verb(FILE *f, const struct verb *v, const struct verb *parent);
/* A cmdlet by name (any case): synopsis, summary, each parameter as the binder knows it.
 * Returns 0, or -ENOENT (nothing printed) when there is no such cmdlet. */
int help_cmdlet(FILE *f, const char *name);

/* The verb of that name in list (n rows; n = 0: {0}-terminated), NULL when none. */
const struct verb *help_find(const struct verb *list, unsigned n, const char *name);
/* Is help asked for in argv[1..] (after the verb's name): --help or -h, before "--" and not
 * the value of an option; for a VERB_COMMAND verb only as argv[1]. */
bool help_asked(const struct verb *v, int argc, char **argv);

/* "erlab: unknown verb 'circiut' (did you mean 'circuit'?)", or a cmdlet or global option that is
 * near; the old text when nothing is. Returns 2. */
int help_unknown_verb(struct cli *x, const char *word);
/* "erlab circuit: unknown subverb 'nwe' (did you mean 'new'?)", or "expects new, list ..." when
 * nothing is near (or no subverb was given). Returns 2. */
int help_unknown_subverb(struct cli *x, const struct verb *v, const char *word);

/* A field option's value as the synopsis names it ("N", "CIDR", "Standard|Premium"); NULL: a switch. */
const char *help_field_arg(const struct field *f, char *buf, size_t len);
/* A field's value as erlab.ini(5) describes it ("a whole number", "an IPv4 /30 subnet"). */
const char *help_field_type(const struct field *f, char *buf, size_t len);
/* The synopsis of v after "erlab PATH": its arguments, required options, "[options]". */
const char *help_synopsis(const struct verb *v, char *buf, size_t len);
/* A .NET type without its namespace ("System.Nullable`1[System.UInt32]" -> "UInt32"). */
const char *help_short_type(const char *type, char *buf, size_t len);

/* Exit codes, environment variables and files, for `erlab help` and erlab(8); {0}-terminated. */
struct help_item {
	const char *name;
	const char *help;
};
extern const struct help_item help_exit_codes[];
extern const struct help_item help_environment[];
extern const struct help_item help_files[];

/* ---- help_man.c ---- */
void help_man_erlab(FILE *f);      /* erlab(8) */
void help_man_ini(FILE *f);        /* erlab.ini(5) */

/* ---- help_bash.c ---- */
void help_bash_completion(FILE *f);

/*
 * The build's hidden modes (cmake/ErlabDocs.cmake): `erlab --gen-man erlab.8|erlab.ini.5` and
 * `erlab --gen-completion bash` print the file on stdout. argv[0] is the mode. Before printing,
 * every verb, option, field row, cmdlet and parameter must have its help, or it names what lacks
 * it and exits 1 (so the build fails). Returns the exit code.
 */
int help_generate(struct cli *x, int argc, char **argv);
/* Every help text the tables should have: each missing one printed to f, one line each ("verb
 * circuit new: option --json has no help"). Returns how many are missing. */
unsigned help_lint(FILE *f);
/* The same for n verbs (and their subverbs, options and field keys), and for one field table. */
unsigned help_lint_verbs(FILE *f, const struct verb *verbs, unsigned n);
unsigned help_lint_table(FILE *f, const char *where, const struct field_table *t);

/* erlab.ini(5)'s EXAMPLE, a lab file (help_man.c). */
extern const char help_lab_example[];

#endif
