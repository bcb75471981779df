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

#define CLI_OWN_MAX 16

struct cli_opts {
	const struct verb *verb;       /* its field rows and own options (cli.h) */
	struct cli_opt_value v[64];    /* the field options given, in order */
	unsigned n;
	bool own_given[CLI_OWN_MAX];   /* per own option (index in verb->opts): given */
	const char *own_value[CLI_OWN_MAX];   /* ... its last value */
	int optind;                    /* argv[optind..]: the positional arguments */
};

/* The verb's own options, one at a time: 0 to go on, or the exit code (after printing). */
typedef int (*cli_own_fn)(struct cli *x, const char *verb, int id, const char *arg, void *ud);

/*
 * getopt_long over argv with the verb's options (o->verb): field options are collected into o->v,
 * own ones handed to own (NULL: the verb has none that need handling). A mistyped option gets the
 * nearest one suggested; an own option marked VERB_OPT_REQUIRED must be there. Returns 0 or the
 * exit code after printing a usage error.
 */
int cli_getopt(struct cli *x, const char *verb, int argc, char **argv, struct cli_opts *o, cli_own_fn own, void *ud);
/* Bind the collected field options into obj through the rows (an option several rows share, as
 * --primary-subnet does for IPv4 and IPv6, goes to the first row that takes its value). Returns 0
 * or the exit code after printing the error. */
int cli_bind(struct cli *x, const char *verb, const struct cli_opts *o, void *obj);
/* The option of every row the verb takes that a lab section must give (core/fields.c) was given:
 * 0, or exit 2. For verbs flagged VERB_REQUIRED_FIELDS (their help marks the options required). */
int cli_required(struct cli *x, const char *verb, const struct cli_opts *o);
/* The last value given for field option `name`, NULL when none. */
const char *cli_opt_value(const struct cli_opts *o, const char *name);
/* Was own option `id` given? */
bool cli_own_given(const struct cli_opts *o, int id);

/* Does the verb take field row f (its `keys` name it)? */
bool cli_takes(const struct verb *v, const struct field *f);
/* Does option `arg` (as typed: "--vlan", "-n") take a value that is the next argument? */
bool cli_opt_takes_value(const struct verb *v, const char *arg);

#endif
