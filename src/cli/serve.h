/* SPDX-License-Identifier: MIT */
#ifndef ERLAB_CLI_SERVE_H
#define ERLAB_CLI_SERVE_H

#include "cli/cli.h"
#include "cli/options.h"

/*
 * `erlab serve` is a program of its own, erlab-serve (libexec), so that erlab does not load
 * libmicrohttpd, GnuTLS and jansson for every command: erlab's `serve` (serve_exec.c) runs the
 * same command line as erlab-serve, which is the whole CLI with the server (cmd_serve.c).
 */
enum { OPT_LISTEN = OPT_OWN, OPT_MSI, OPT_CHECK, OPT_BGP };

/* The server: erlab-serve's `serve` (cmd_serve.c). */
int cmd_serve_run(struct cli *x, int argc, char **argv);

#endif
