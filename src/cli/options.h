/* SPDX-License-Identifier: MIT */
#ifndef ERLAB_OPTIONS_H
#define ERLAB_OPTIONS_H

#include <getopt.h>

#include "cli/cli.h"
#include "core/field.h"

/* A verb's own options (--json, --type, ...) take ids from here up. */
#define OPT_OWN 0x100

/* A field option as given: its name (without --) and value (NULL: a switch). */
struct cli_opt_value {
	const char *name;
	const char *value;
};

struct cli_opts {
	const struct field_table *t;   /* the object the verb's field options fill */
	const char *const *keys;       /* the rows it takes, by key */
	const struct option *own;      /* its own options, {0}-terminated; val >= OPT_OWN */
	struct cli_opt_value v[64];    /* the field options given, in order */
	unsigned n;
	int optind;                    /* argv[optind..]: the positional arguments */
};

/* The verb's own options, one at a time: 0 to go on, or the exit code (after printing). */
typedef int (*cli_own_fn)(struct cli *x, const char *verb, int id, const char *arg, void *ud);

/* getopt_long over argv: field options are collected into o->v, own ones handed to own. Returns 0
 * or the exit code after printing a usage error. */
int cli_getopt(struct cli *x, const char *verb, int argc, char **argv, struct cli_opts *o, cli_own_fn own, void *ud);
/* Bind the collected field options into obj through the rows (an option several rows share, as
 * --primary-subnet does for IPv4 and IPv6, goes to the first row that takes its value). Returns 0
 * or the exit code after printing the error. */
int cli_bind(struct cli *x, const char *verb, const struct cli_opts *o, void *obj);
/* Every row the verb takes that a lab section must give (core/fields.c) was given: 0, or exit 2. */
int cli_required(struct cli *x, const char *verb, const struct cli_opts *o, const void *obj);
/* The last value given for option `name`, NULL when none. */
const char *cli_opt_value(const struct cli_opts *o, const char *name);

#endif
