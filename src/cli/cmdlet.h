/* SPDX-License-Identifier: MIT */
#ifndef ERLAB_CMDLET_H
#define ERLAB_CMDLET_H

#include <stdio.h>

#include "core/model.h"
#include "core/psargs.h"
#include "cli/cli.h"

/* Helpers the cmdlet face's files share (cmdlet.c, cmdlet_diag.c). */
int cmdlet_fail(struct cli *x, const char *cmdlet, const struct err *e);
int cmdlet_fail_code(struct cli *x, const char *cmdlet, const char *code, int exit_code, const char *msg);
int cmdlet_bind(struct cli *x, const char *cmdlet, const struct psparam *params, unsigned n,
		unsigned mandatory, int argc, char **argv, struct psbound *b);
int cmdlet_service_key(struct cli *x, const char *cmdlet, const char *text, char ret[GUID_STRLEN]);
int cmdlet_access_type(struct cli *x, const char *cmdlet, const char *text, enum access_type *ret);
int cmdlet_circuit(struct cli *x, const char *cmdlet, const char *key, struct circuit *ret);
int cmdlet_validate_set(struct cli *x, const char *cmdlet, const char *param, const char *value,
			const char *set);
void cmdlet_table(FILE *f, const char *const *headers, unsigned ncols, const char *const *cells,
		  unsigned nrows, unsigned right_aligned);

/* Diagnostics, cmdlet_diag.c: they bind their own parameters. */
int cmdlet_diag_arp(struct cli *x, const char *cmdlet, int argc, char **argv);
int cmdlet_diag_route_summary(struct cli *x, const char *cmdlet, int argc, char **argv);
int cmdlet_diag_route_info(struct cli *x, const char *cmdlet, int argc, char **argv);
int cmdlet_diag_stats(struct cli *x, const char *cmdlet, int argc, char **argv);

#endif
