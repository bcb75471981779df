/* SPDX-License-Identifier: MIT */
#ifndef ERLAB_CLI_H
#define ERLAB_CLI_H

#include <signal.h>
#include <stdbool.h>
#include <stdio.h>

#include "core/err.h"
#include "core/json.h"
#include "engine/engine.h"

struct cli;

/*
 * A verb's own option (not a field's: those come from the field rows): --json, --type TYPE,
 * -n/--dry-run. The verb's parser (cli_getopt), its help, the man page and the completion all read
 * the same rows.
 */
struct verb_opt {
	const char *name;        /* the long option, without "--" */
	int id;                  /* what the verb's callback gets (OPT_OWN and up, cli/options.h) */
	char letter;             /* also a short option ('n': -n); 0: none */
	const char *arg;         /* the value's name, "DIR"; values separated by '|' are the values
	                          * themselves, "ipv4|ipv6" (the completion offers them); NULL: a switch */
	const char *help;        /* one line */
	unsigned flags;          /* VERB_OPT_REQUIRED */
};
enum { VERB_OPT_REQUIRED = 1u << 0 };   /* cli_getopt refuses the command without it */

/*
 * A verb or a subverb: the row of main.c's verb table (or of a verb's `subs`) that runs it and
 * describes it (docs/ARCHITECTURE.md, "How to add a verb"). Its field options, own options and
 * positional arguments are the ones its parser takes, so `erlab VERB --help`, erlab(8) and the
 * bash completion cannot drift from it.
 */
struct verb {
	const char *name;
	int (*fn)(struct cli *x, int argc, char **argv);   /* argv[0] is the name; NULL: the subverbs */
	const char *summary;                                /* one line */
	const char *args;            /* the positional arguments as the synopsis shows them: "CIRCUIT",
	                              * "LAB.ini", "CIRCUIT customer|microsoft [--] COMMAND..."; the
	                              * completion reads them too (CIRCUIT: the state's circuits, *.ini:
	                              * lab files, a|b: those words, COMMAND: a command) */
	const struct field_table *fields;   /* its field options: rows of this table (core/fields.c) ... */
	const char *const *keys;            /* ... these, by key; NULL-terminated */
	const struct verb_opt *opts;        /* its own options, {0}-terminated */
	const struct verb *subs;            /* its subverbs ("circuit new"), {0}-terminated */
	unsigned flags;                     /* VERB_* */
};
enum {
	VERB_REQUIRED_FIELDS = 1u << 0,  /* the rows a lab section must give are required options here */
	VERB_COMMAND = 1u << 1,          /* ends in a command line of its own: only the word right after
	                                  * the verb may ask for help (erlab exec, erlab shell) */
};

/* The program (main.c; cli/erlab.c's main() calls it). */
int cli_main(int argc, char **argv);
/* The verb table (main.c), and the global options (main.c), {0}-terminated. */
const struct verb *cli_verbs(unsigned *ret_n);
extern const struct verb_opt cli_global_options[];

/* What every command of the CLI shares: the engine, where to print, how much. */
struct cli {
	const struct verb *verb;     /* the verb (or subverb) being run */
	const struct verb *parent;   /* its verb, for a subverb; NULL otherwise */
	struct engine *eng;
	FILE *out;                   /* stdout: results */
	FILE *log;                   /* stderr: errors, notices, progress */
	int verbosity;               /* -1 quiet, 0 normal, 1 verbose */
	bool progress_shown;         /* a progress line is on the terminal now */
	sigset_t sigmask;            /* the signal mask erlab was started with (exec restores it) */
	struct cli_report *report;   /* up/down --json: the engine's events gathered for the document
	                              * (cli_report.c); NULL: printed as they come */
	char **argv_given;           /* the command line as given: `serve` runs it again as erlab-serve */
	/* erlab-serve's server (cmd_serve.c); NULL in erlab, whose `serve` execs erlab-serve */
	int (*serve)(struct cli *x, int argc, char **argv);
};

/* The program: `erlab` passes serve = NULL, `erlab-serve` its server (serve_exec.c). */
int cli_main_with(int argc, char **argv, int (*serve)(struct cli *x, int argc, char **argv));

/*
 * Command entry points. argv[0] is the verb ("circuit", "up", "New-AzureBGPPeering", ...);
 * each returns the process exit code (0 done, 1 system, 2 invalid input, 3 refused by state,
 * 4 not found: docs/rules.md#exit-codes) and prints its own errors through cli_error().
 * A verb's options and arguments are described next to it (struct verb, struct verb_opt).
 */
/* Progress on a terminal (cli_events.c): every other line erlab prints clears it first. */
void cli_progress_clear(struct cli *x);

extern const struct verb circuit_verbs[];                /* cmd_circuit.c: circuit new, list, ... */
extern const struct verb peering_verbs[];                /* cmd_peering.c */
extern const struct verb vnet_verbs[];                   /* cmd_misc.c */
extern const struct verb link_verbs[];                   /* cmd_misc.c */
extern const struct verb_opt check_options[];            /* cmd_misc.c */
extern const struct verb_opt up_options[];               /* cmd_lab.c */
extern const struct verb_opt down_options[];             /* cmd_lab.c */
extern const struct verb_opt status_options[];           /* cmd_lab.c */
extern const struct verb_opt graph_options[];            /* cmd_lab.c */
extern const struct verb_opt labs_options[];             /* cmd_labs.c */
extern const struct verb_opt wait_options[];             /* cmd_wait.c */
extern const struct verb_opt router_config_options[];    /* cmd_router.c */
extern const struct verb_opt serve_options[];            /* serve_exec.c */
int cmd_check(struct cli *x, int argc, char **argv);     /* cmd_misc.c */
int cmd_exec(struct cli *x, int argc, char **argv);      /* cmd_misc.c */
int cmd_up(struct cli *x, int argc, char **argv);        /* cmd_lab.c */
int cmd_down(struct cli *x, int argc, char **argv);      /* cmd_lab.c */
int cmd_status(struct cli *x, int argc, char **argv);    /* cmd_lab.c */
int cmd_graph(struct cli *x, int argc, char **argv);     /* cmd_lab.c */
int cmd_labs(struct cli *x, int argc, char **argv);      /* cmd_labs.c */
int cmd_wait(struct cli *x, int argc, char **argv);      /* cmd_wait.c */

/* cmd_wait.c: until every BGP session of target's circuits (a lab by name or file, else one circuit)
 * is Established, those disabled on purpose aside; on timeout, name the others and return 3. A
 * target with no circuit up is exit 4, or nothing to wait for with none_ok (`up --wait` of an
 * empty shard). */
int cli_wait_for(struct cli *x, const char *verb, const char *target, bool none_ok, double timeout);
/* --timeout SECONDS: 0 or the usage error's exit code. */
int cli_parse_timeout(struct cli *x, const char *verb, const char *arg, double *ret);
int cmd_shell(struct cli *x, int argc, char **argv);     /* cmd_shell.c */
int cmd_router_config(struct cli *x, int argc, char **argv); /* cmd_router.c */
int cmd_serve(struct cli *x, int argc, char **argv);     /* serve_exec.c */
int cmd_help(struct cli *x, int argc, char **argv);      /* help.c */

/* The cmdlet face (cmdlet.c): is argv[0] one of the supported cmdlets (case-insensitive)? */
bool cmdlet_is(const char *name);
int cmdlet_main(struct cli *x, int argc, char **argv);

/* The engine's events, printed (cli_events.c). */
void cli_event(void *ud, const struct engine_event *ev);

/* `status` output for one circuit (print_status.c): text, or one object of the status document. */
void print_status_text(FILE *f, const struct circuit *c, const struct observed *o, const struct drift *d);
void print_status_json(struct json *j, const struct circuit *c, const struct observed *o, const struct drift *d);

/* The topology as Graphviz DOT (print_graph.c): circuits, links, peerings, VNets; with live (one
 * observation per circuit, NULL entries for a circuit not up), each link's up/down and each BGP
 * session's state. */
void print_graph(FILE *f, const char *title, const struct circuit *v, unsigned n, const struct observed *const *live);

/*
 * JSON documents (cli_report.c, docs/json.md). cli_json_written: what a document writer returned
 * (jw_end's 0 or -errno) as an exit code, saying why on stderr when it failed.
 */
int cli_json_written(struct cli *x, const char *verb, int r);
/* up/down --json: the events of one command, gathered (cli_event hands them over), then printed as
 * one document. */
struct cli_report;
struct cli_report *cli_report_new(void);
void cli_report_free(struct cli_report *r);
/* Take ev for the document: true, or false when it is printed as usual (steps, progress). */
bool cli_report_event(struct cli_report *r, const struct engine_event *ev);
/* An error for the document's "errors" (lab mistakes, the command's failure). */
void cli_report_error(struct cli_report *r, const struct err *e);
/* The documents: erlab/plan/v1 (dry_run), erlab/up/v1; erlab/down/v1 (lab NULL: down --all).
 * Return an exit code, as cli_json_written. */
int cli_report_up(struct cli *x, struct cli_report *r, const char *lab, bool dry_run, unsigned changed);
int cli_report_down(struct cli *x, struct cli_report *r, const char *lab, unsigned removed);

/* "erlab: <what>: <msg> (<detail>)" on stderr; returns err_exit(e). */
int cli_error(struct cli *x, const struct err *e);
/* Without CAP_SYS_ADMIN and CAP_NET_ADMIN: the one error naming root and `erlab shell`, its exit
 * code returned; 0 with them (main.c). */
int cli_need_root(struct cli *x, const char *verb);
/* Usage error: "erlab <verb>: <message> (see erlab <verb> --help)"; returns 2. */
int cli_usage(struct cli *x, const char *verb, const char *fmt, ...) __attribute__((format(printf, 3, 4)));

#endif
