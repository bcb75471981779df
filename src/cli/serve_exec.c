/* SPDX-License-Identifier: MIT */
/* erlab serve: the verb's options here, the server in erlab-serve (cli/serve.h, docs/arm.md). */
#include <errno.h>
#include <limits.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "cli/serve.h"

#ifndef ERLAB_SERVE_RELPATH
#define ERLAB_SERVE_RELPATH "../libexec/erlab/erlab-serve"
#endif
#ifndef ERLAB_SERVE_PATH
#define ERLAB_SERVE_PATH "/usr/libexec/erlab/erlab-serve"
#endif

const struct verb_opt serve_options[] = {
	{ .name = "listen", .id = OPT_LISTEN, .arg = "ADDR:PORT",
	  .help = "where to listen: a numeric address and port, or a port on 127.0.0.1 (default 127.0.0.1:8443)" },
	{ .name = "msi-port", .id = OPT_MSI, .arg = "PORT",
	  .help = "the managed-identity token endpoint's port (default: the listen port + 1)" },
	{ .name = "bgp", .id = OPT_BGP, .arg = "KEY=VALUE",
	  .help = "BGP for the circuits ARM creates, a key of a lab's [bgp] (msee=bird, customer=bird, "
		  "customer_prefixes=...; repeat for each)" },
	{ .name = "check", .id = OPT_CHECK,
	  .help = "print the URL of the endpoint serving this state dir, or \"not running\" (exit 3)" },
	{ 0 },
};

/* erlab-serve beside this erlab (a build tree), else in libexec next to erlab's bin (an install,
 * wherever its prefix), else where the build was told it would be installed. */
static void serve_path(char *buf, size_t len)
{
	static const char *const rel[] = { "erlab-serve", ERLAB_SERVE_RELPATH };
	char self[PATH_MAX];
	ssize_t n = readlink("/proc/self/exe", self, sizeof(self) - 1);
	char *slash;

	if (n > 0) {
		self[n] = '\0';
		if ((slash = strrchr(self, '/'))) {
			*slash = '\0';
			for (unsigned i = 0; i < sizeof(rel) / sizeof(rel[0]); i++)
				if ((size_t)snprintf(buf, len, "%s/%s", self, rel[i]) < len && access(buf, X_OK) == 0)
					return;
		}
	}
	snprintf(buf, len, "%s", ERLAB_SERVE_PATH);
}

int cmd_serve(struct cli *x, int argc, char **argv)
{
	char path[PATH_MAX];
	struct err e = {0};

	if (x->serve)
		return x->serve(x, argc, argv);
	if (!x->argv_given) {
		err_set(&e, -ENOMEM, "serve", "out of memory");
		e.system = true;
		return cli_error(x, &e);
	}
	serve_path(path, sizeof(path));
	fflush(x->out);
	fflush(x->log);
	/* The signals erlab holds back while it works are the server's own business. */
	sigprocmask(SIG_SETMASK, &x->sigmask, NULL);
	execv(path, x->argv_given);
	err_set(&e, -errno, path, "cannot run the ARM endpoint's program: %s", strerror(errno));
	e.system = true;
	return cli_error(x, &e);
}
