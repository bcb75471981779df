/* SPDX-License-Identifier: MIT */
#include <errno.h>
#include <fcntl.h>
#include <unistd.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "cli/cli.h"
#include "core/num.h"
#include "kernel/sandbox.h"
#include "erlab_version.h"   /* generated from CMake's project(VERSION) */

static const struct {
	const char *name;
	int (*fn)(struct cli *x, int argc, char **argv);
	const char *help;
} verbs[] = {
	{ "circuit", cmd_circuit, "new | list | get | set | provision | deprovision | remove" },
	{ "peering", cmd_peering, "new | set | get | remove (--type private|public|microsoft)" },
	{ "up", cmd_up, "LAB.ini [--dry-run] [--json] [--wait [--timeout SECONDS]] [--shard K/N] [--side microsoft|customer]: converge the machine to a lab file" },
	{ "down", cmd_down, "NAME | LAB.ini [--shard K/N] [--json] | --all [--json]: remove what a lab (or erlab) made" },
	{ "labs", cmd_labs, "[--json]: the labs that are up, their files and circuits" },
	{ "wait", cmd_wait, "LAB|CIRCUIT [--timeout SECONDS]: until every BGP session is Established" },
	{ "status", cmd_status, "[CIRCUIT] [--json | --dot]: circuits as the kernel has them" },
	{ "graph", cmd_graph, "LAB.ini [--live]: the topology as Graphviz DOT" },
	{ "vnet", cmd_vnet, "link CIRCUIT VNET --address-space CIDR[,CIDR] | unlink CIRCUIT VNET" },
	{ "link", cmd_link, "down|up CIRCUIT primary|secondary: emulate a link failure" },
	{ "exec", cmd_exec, "CIRCUIT customer|microsoft -- COMMAND...: run inside a namespace" },
	{ "router-config", cmd_router_config, "CIRCUIT [--peering TYPE] --flavor frr|bird|ios-xe|junos: the customer router's config" },
	{ "serve", cmd_serve, "[--listen ADDR:PORT] [--msi-port PORT] | --check: an Azure Resource Manager endpoint (docs/arm.md)" },
	{ "check", cmd_check, "what this kernel and machine support" },
	{ "shell", cmd_shell, "[-- COMMAND...]: without root, in a sandbox of your own (README, \"Without root\")" },
};

static void usage(FILE *f)
{
	fprintf(f, "usage: erlab [--state-dir DIR] [--datapath auto|vlan|veth] [--wait SECONDS] [-v|-q] VERB ...\n"
		   "       erlab <Azure classic cmdlet> [-Parameter value ...]\n\nverbs:\n");
	for (unsigned i = 0; i < sizeof(verbs) / sizeof(verbs[0]); i++)
		fprintf(f, "  %-8s %s\n", verbs[i].name, verbs[i].help);
	fprintf(f, "\nExit codes: 0 done, 1 system failure, 2 invalid input, 3 refused by state, 4 not found.\n");
}

int cli_error(struct cli *x, const struct err *e)
{
	char buf[1400];

	cli_progress_clear(x);
	fprintf(x->log, "erlab: %s\n", err_format(e, buf, sizeof(buf)));
	return err_exit(e);
}

int cli_usage(struct cli *x, const char *verb, const char *fmt, ...)
{
	va_list ap;

	fprintf(x->log, "erlab %s: ", verb);
	va_start(ap, fmt);
	vfprintf(x->log, fmt, ap);
	va_end(ap);
	fprintf(x->log, " (see erlab --help)\n");
	return 2;
}

/*
 * "--wait" without something number-like after it (a digit, or a sign and a digit) is `up --wait`
 * (wait for BGP), not the lock's --wait SECONDS; a malformed number still gets --wait's message.
 */
static bool wait_without_seconds(int argc, char **argv, int i)
{
	const char *v = i + 1 < argc ? argv[i + 1] : "";

	if (strcmp(argv[i], "--wait") != 0)
		return false;
	if (*v == '-' || *v == '+')
		v++;
	return !(*v >= '0' && *v <= '9');
}

/*
 * Global options may stand anywhere before "--" (so `erlab peering new C --wait 5 ...` works);
 * they are taken out of argv. Returns the new argc, or -1 after printing a usage error.
 */
static int take_global_options(struct cli *x, struct engine_opts *o, int argc, char **argv)
{
	int out = 1;

	for (int i = 1; i < argc; i++) {
		const char *a = argv[i];
		const char *val = NULL;
		const char *name = a;

		if (strcmp(a, "--") == 0) {
			while (i < argc)
				argv[out++] = argv[i++];
			break;
		}
		if (strncmp(a, "--state-dir", 11) == 0 || strncmp(a, "--datapath", 10) == 0 ||
		    strncmp(a, "--wait", 6) == 0) {
			const char *eq = strchr(a, '=');
			size_t n = eq ? (size_t)(eq - a) : strlen(a);

			if (!(n == 11 && strncmp(a, "--state-dir", 11) == 0) &&
			    !(n == 10 && strncmp(a, "--datapath", 10) == 0) &&
			    !(n == 6 && strncmp(a, "--wait", 6) == 0)) {
				argv[out++] = argv[i];
				continue;
			}
			if (wait_without_seconds(argc, argv, i)) {
				argv[out++] = argv[i];
				continue;
			}
			if (eq) {
				val = eq + 1;
			} else if (i + 1 < argc) {
				val = argv[++i];
			} else {
				fprintf(x->log, "erlab: %s needs a value\n", a);
				return -1;
			}
			if (name[2] == 's') {
				o->state_dir = val;
			} else if (name[2] == 'd') {
				o->datapath = datapath_from_string(val);
				if ((int)o->datapath < 0) {
					fprintf(x->log, "erlab: --datapath %s: use auto, vlan or veth\n", val);
					return -1;
				}
			} else {
				uint32_t w;

				if (num_parse_u32(val, 0, 86400, &w) < 0) {
					fprintf(x->log, "erlab: --wait %s: give whole seconds, 0-86400\n", val);
					return -1;
				}
				o->wait = w;
			}
			continue;
		}
		if (strcmp(a, "-v") == 0 || strcmp(a, "--verbose") == 0) {
			x->verbosity = 1;
			continue;
		}
		if (strcmp(a, "-q") == 0 || strcmp(a, "--quiet") == 0) {
			x->verbosity = -1;
			continue;
		}
		argv[out++] = argv[i];
	}
	argv[out] = NULL;
	return out;
}

/*
 * A plain user (no CAP_SYS_ADMIN and CAP_NET_ADMIN) gets one error naming the two ways out before
 * anything is tried, instead of "Permission denied" on the state dir. What works without root
 * touches neither the kernel nor the state: check (it tells a missing privilege from missing
 * kernel support), graph (but graph --live, which asks cli_need_root itself), shell (the way out),
 * and the provider catalogue.
 */
int cli_need_root(struct cli *x, const char *verb)
{
	struct err e = {0};

	if (sandbox_privileged())
		return 0;
	err_set(&e, -EPERM, verb, "needs root (CAP_SYS_ADMIN and CAP_NET_ADMIN) to make namespaces and links");
	err_detail(&e, "run erlab as root, or without root inside `erlab shell`, a sandbox of your own");
	if (cmdlet_is(verb)) {
		/* As the cmdlets print every error: "<Cmdlet> : <Code>: <Message>". */
		fprintf(x->log, "%s : %s: %s (%s)\n", verb, err_azure_code_of(&e), e.msg, e.detail);
		return err_exit(&e);
	}
	return cli_error(x, &e);
}

static int refuse_unprivileged(struct cli *x, const char *verb)
{
	static const char *const free_verbs[] = { "check", "graph", "shell" };

	for (unsigned i = 0; i < sizeof(free_verbs) / sizeof(free_verbs[0]); i++)
		if (strcmp(verb, free_verbs[i]) == 0)
			return 0;
	if (strcasecmp(verb, "Get-AzureDedicatedCircuitServiceProvider") == 0)
		return 0;
	return cli_need_root(x, verb);
}

/*
 * Standard descriptors the caller closed would be the first ones erlab opens (the state dir, a
 * netlink socket), and a -v trace or a result would land there. Hold them with /dev/null opened
 * read-only: printing to them then fails, as it should, instead of writing somewhere else.
 */
static void hold_std_fds(void)
{
	for (int fd = 0; fd < 3; fd++)
		if (fcntl(fd, F_GETFD) < 0 && errno == EBADF && open("/dev/null", O_RDONLY) != fd)
			_exit(1);
}

int main(int argc, char **argv)
{
	struct cli x = { .out = stdout, .log = stderr };
	struct engine_opts o = { .datapath = DATAPATH_AUTO, .event = cli_event, .ud = &x };
	struct err e = {0};
	const char *env;
	sigset_t stops;
	int r = 2;

	hold_std_fds();
	/*
	 * SIGINT, SIGTERM and SIGHUP wait while erlab works: the engine looks for them between kernel
	 * steps and rolls back what is under way (engine.h); then they end the process as they would
	 * have, once everything is consistent again.
	 */
	sigemptyset(&stops);
	sigaddset(&stops, SIGINT);
	sigaddset(&stops, SIGTERM);
	sigaddset(&stops, SIGHUP);
	sigprocmask(SIG_BLOCK, &stops, &x.sigmask);
	if ((env = getenv("ERLAB_STATE_DIR")) && *env)
		o.state_dir = env;
	argc = take_global_options(&x, &o, argc, argv);
	if (argc < 0)
		return 2;
	o.steps = x.verbosity > 0;
	if (argc < 2) {
		usage(stderr);
		return 2;
	}
	if (strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "-h") == 0 || strcmp(argv[1], "help") == 0) {
		usage(stdout);
		r = 0;
		goto out;
	}
	if (strcmp(argv[1], "--version") == 0) {
		printf("erlab %s\n", ERLAB_VERSION);
		r = 0;
		goto out;
	}
	if (engine_new(&o, &x.eng, &e) < 0)
		return cli_error(&x, &e);

	if (cmdlet_is(argv[1])) {
		if ((r = refuse_unprivileged(&x, argv[1])) == 0)
			r = cmdlet_main(&x, argc - 1, argv + 1);
		goto out;
	}
	for (unsigned i = 0; i < sizeof(verbs) / sizeof(verbs[0]); i++) {
		if (strcmp(argv[1], verbs[i].name) == 0) {
			if ((r = refuse_unprivileged(&x, argv[1])) == 0)
				r = verbs[i].fn(&x, argc - 1, argv + 1);
			goto out;
		}
	}
	fprintf(stderr, "erlab: unknown verb or cmdlet '%s' (see erlab --help)\n", argv[1]);
out:
	engine_free(x.eng);
	/* A result that could not be printed is a failure (a closed or full stdout). */
	if ((fflush(stdout) != 0 || ferror(stdout)) && r == 0) {
		fprintf(stderr, "erlab: cannot write to standard output: %s\n", strerror(errno ? errno : EIO));
		r = 1;
	}
	/* A stop signal that came meanwhile ends the process now, everything consistent. */
	fflush(stderr);
	sigprocmask(SIG_SETMASK, &x.sigmask, NULL);
	return r;
}
