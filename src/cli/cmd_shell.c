/* SPDX-License-Identifier: MIT */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "cli/cli.h"
#include "kernel/sandbox.h"

/*
 * erlab shell [--] [COMMAND [ARG...]]: erlab without root (README, "Without root"). COMMAND, or
 * the user's $SHELL (else /bin/sh), runs in a sandbox of the user's own (kernel/sandbox.h) where
 * erlab works as it does for root; everything made in it goes when COMMAND ends. Exit: COMMAND's.
 */
int cmd_shell(struct cli *x, int argc, char **argv)
{
	const char *shell = getenv("SHELL");
	char *def[2] = { (char *)(shell && *shell ? shell : "/bin/sh"), NULL };
	char **cmd = argv + 1;
	struct err e = {0};
	int status, r;

	if (argc > 1 && strcmp(argv[1], "--") == 0)
		cmd++;
	else if (argc > 1 && argv[1][0] == '-')
		return cli_usage(x, "shell", "unknown option '%s' (the command goes after --)", argv[1]);
	if (!*cmd)
		cmd = def;
	fflush(NULL);
	r = sandbox_run(cmd, &x->sigmask, &status, &e);
	if (r < 0) {
		int code = cli_error(x, &e);

		return status == 126 || status == 127 ? status : code;
	}
	return status;
}
