/* SPDX-License-Identifier: MIT */
/* erlab-serve: erlab with the ARM endpoint; erlab's `serve` runs its command line here (cli/serve.h). */
#include "cli/serve.h"

int main(int argc, char **argv)
{
	return cli_main_with(argc, argv, cmd_serve_run);
}
