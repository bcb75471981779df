/* SPDX-License-Identifier: MIT */
#include <errno.h>

#include "cli/cli.h"

/* Lab files (issue 5): up, down, status, graph. */
static int not_yet(struct ctx *x, const char *verb)
{
	struct err e = {0};

	err_set(&e, -ENOSYS, verb, "not implemented yet");
	return cli_error(x, &e);
}

int cmd_up(struct ctx *x, int argc, char **argv) { (void)argc; (void)argv; return not_yet(x, "up"); }
int cmd_down(struct ctx *x, int argc, char **argv) { (void)argc; (void)argv; return not_yet(x, "down"); }
int cmd_status(struct ctx *x, int argc, char **argv) { (void)argc; (void)argv; return not_yet(x, "status"); }
int cmd_graph(struct ctx *x, int argc, char **argv) { (void)argc; (void)argv; return not_yet(x, "graph"); }
