/* SPDX-License-Identifier: MIT */
#ifndef ERLAB_CLI_H
#define ERLAB_CLI_H

#include <signal.h>
#include <stdbool.h>
#include <stdio.h>

#include "core/err.h"
#include "core/json.h"
#include "engine/engine.h"

/* What every command of the CLI shares: the engine, where to print, how much. */
struct cli {
	struct engine *eng;
	FILE *out;                   /* stdout: results */
	FILE *log;                   /* stderr: errors, notices, progress */
	int verbosity;               /* -1 quiet, 0 normal, 1 verbose */
	bool progress_shown;         /* a progress line is on the terminal now */
	sigset_t sigmask;            /* the signal mask erlab was started with (exec restores it) */
	struct cli_report *report;   /* up/down --json: the engine's events gathered for the document
	                              * (cli_report.c); NULL: printed as they come */
};

/*
 * Command entry points. argv[0] is the verb ("circuit", "up", "New-AzureBGPPeering", ...);
 * each returns the process exit code (0 done, 1 system, 2 invalid input, 3 refused by state,
 * 4 not found: docs/rules.md#exit-codes) and prints its own errors through cli_error().
 */
/* Progress on a terminal (cli_events.c): every other line erlab prints clears it first. */
void cli_progress_clear(struct cli *x);

int cmd_circuit(struct cli *x, int argc, char **argv);   /* cmd_circuit.c */
int cmd_peering(struct cli *x, int argc, char **argv);   /* cmd_peering.c */
int cmd_check(struct cli *x, int argc, char **argv);     /* cmd_misc.c */
int cmd_link(struct cli *x, int argc, char **argv);      /* cmd_misc.c */
int cmd_exec(struct cli *x, int argc, char **argv);      /* cmd_misc.c */
int cmd_vnet(struct cli *x, int argc, char **argv);      /* cmd_misc.c */
int cmd_up(struct cli *x, int argc, char **argv);        /* cmd_lab.c */
int cmd_down(struct cli *x, int argc, char **argv);      /* cmd_lab.c */
int cmd_status(struct cli *x, int argc, char **argv);    /* cmd_lab.c */
int cmd_graph(struct cli *x, int argc, char **argv);     /* cmd_lab.c */
int cmd_labs(struct cli *x, int argc, char **argv);      /* cmd_labs.c */
int cmd_wait(struct cli *x, int argc, char **argv);      /* cmd_wait.c */

/* cmd_wait.c: until every BGP session of circuits cs[idx[0..n)] is Established (those disabled on
 * purpose aside); on timeout, name the others and return 3. */
int cli_wait_sessions(struct cli *x, const char *verb, const struct circuit *cs, const unsigned *idx, unsigned n,
		      double timeout);
/* --timeout SECONDS: 0 or the usage error's exit code. */
int cli_parse_timeout(struct cli *x, const char *verb, const char *arg, double *ret);
int cmd_shell(struct cli *x, int argc, char **argv);     /* cmd_shell.c */
int cmd_router_config(struct cli *x, int argc, char **argv); /* cmd_router.c */
int cmd_serve(struct cli *x, int argc, char **argv);     /* cmd_serve.c */

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
/* Usage error: "erlab <verb>: <message>" plus a hint; returns 2. */
int cli_usage(struct cli *x, const char *verb, const char *fmt, ...) __attribute__((format(printf, 3, 4)));

#endif
