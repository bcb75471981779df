/* SPDX-License-Identifier: MIT */
#ifndef ERLAB_CLI_H
#define ERLAB_CLI_H

#include <stdbool.h>

#include "core/err.h"
#include "engine/ops.h"

/*
 * Command entry points. argv[0] is the verb ("circuit", "up", "New-AzureBGPPeering", ...);
 * each returns the process exit code (SPEC §4: 0 done, 1 system, 2 invalid input,
 * 3 refused by state, 4 not found) and prints its own errors through cli_error().
 */
int cmd_circuit(struct ctx *x, int argc, char **argv);   /* cmd_circuit.c */
int cmd_peering(struct ctx *x, int argc, char **argv);   /* cmd_peering.c */
int cmd_check(struct ctx *x, int argc, char **argv);     /* cmd_misc.c */
int cmd_link(struct ctx *x, int argc, char **argv);      /* cmd_misc.c */
int cmd_exec(struct ctx *x, int argc, char **argv);      /* cmd_misc.c */
int cmd_vnet(struct ctx *x, int argc, char **argv);      /* cmd_misc.c */
int cmd_up(struct ctx *x, int argc, char **argv);        /* cmd_lab.c */
int cmd_down(struct ctx *x, int argc, char **argv);      /* cmd_lab.c */
int cmd_status(struct ctx *x, int argc, char **argv);    /* cmd_lab.c */
int cmd_graph(struct ctx *x, int argc, char **argv);     /* cmd_lab.c */

/* The cmdlet face (cmdlet.c): is argv[0] one of the supported cmdlets (case-insensitive)? */
bool cmdlet_is(const char *name);
int cmdlet_main(struct ctx *x, int argc, char **argv);

/* "erlab: <what>: <msg> (<detail>)" on stderr; returns err_exit_code(e->errnum). */
int cli_error(struct ctx *x, const struct err *e);
/* Usage error: "erlab <verb>: <message>" plus a hint; returns 2. */
int cli_usage(struct ctx *x, const char *verb, const char *fmt, ...) __attribute__((format(printf, 3, 4)));

#endif
