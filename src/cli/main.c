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
#include "cli/help.h"
#include "core/num.h"
#include "kernel/sandbox.h"
#include "store/state.h"
#include "erlab_version.h"   /* generated from CMake's project(VERSION) */

/*
 * The verbs: a row each, in the order `erlab help` lists them. A row describes the verb as well
 * (struct verb, cli.h): summary, positional arguments, options, subverbs; `erlab VERB --help`,
 * erlab(8) and the bash completion are made from these rows (cli/help.c).
 */
static const struct verb verbs[] = {
	{ "circuit", NULL, "circuits: the physical pair of links, as the provider provisions them",
	  .subs = circuit_verbs },
	{ "peering", NULL, "BGP peerings of a circuit: private, public, microsoft", .subs = peering_verbs },
	{ "up", cmd_up, "converge the machine to a lab file (idempotent)", .args = "LAB.ini", .opts = up_options },
	{ "down", cmd_down, "remove what a lab made (by its name or file), or with --all what erlab made",
	  .args = "[LAB|LAB.ini]", .opts = down_options },
	{ "labs", cmd_labs, "the labs that are up: their names, files and circuits", .opts = labs_options },
	{ "wait", cmd_wait, "until every BGP session of a lab or a circuit is Established", .args = "LAB|CIRCUIT",
	  .opts = wait_options },
	{ "status", cmd_status, "circuits as the kernel has them: links, BGP sessions, drift from the state",
	  .args = "[CIRCUIT]", .opts = status_options },
	{ "graph", cmd_graph, "a lab's topology as Graphviz DOT", .args = "LAB.ini", .opts = graph_options },
	{ "vnet", NULL, "virtual networks linked behind a circuit's Microsoft edge", .subs = vnet_verbs },
	{ "link", NULL, "emulate the failure of a circuit's primary or secondary path", .subs = link_verbs },
	{ "exec", cmd_exec, "run a command inside a circuit's customer or Microsoft namespace",
	  .args = "CIRCUIT customer|microsoft [--] COMMAND...", .flags = VERB_COMMAND },
	{ "router-config", cmd_router_config, "the customer router's config for a circuit's peerings",
	  .args = "CIRCUIT", .opts = router_config_options },
	{ "serve", cmd_serve, "an Azure Resource Manager endpoint for az and the SDKs (docs/arm.md)",
	  .opts = serve_options },
	{ "check", cmd_check, "what this kernel and machine support, and whether erlab may build here",
	  .opts = check_options },
	{ "shell", cmd_shell, "without root: a sandbox of your own in which erlab works as for root",
	  .args = "[-- COMMAND...]", .flags = VERB_COMMAND },
	{ "help", cmd_help, "help for a verb, a subverb or a cmdlet", .args = "[VERB [SUBVERB] | CMDLET]" },
};

const struct verb *cli_verbs(unsigned *ret_n)
{
	*ret_n = sizeof(verbs) / sizeof(verbs[0]);
	return verbs;
}

/* Global options: anywhere before "--" (take_global_options). */
enum { GOPT_STATE_DIR = 1, GOPT_DATAPATH, GOPT_WAIT, GOPT_VERBOSE, GOPT_QUIET };
const struct verb_opt cli_global_options[] = {
	{ .name = "state-dir", .id = GOPT_STATE_DIR, .arg = "DIR",
	  .help = "the state directory (default: $ERLAB_STATE_DIR, else " STATE_DIR_DEFAULT ")" },
	{ .name = "datapath", .id = GOPT_DATAPATH, .arg = "auto|vlan|veth",
	  .help = "802.1Q subinterfaces on trunks (vlan), a veth pair per peering link (veth), or vlan where the "
		  "kernel has it (auto, the default)" },
	{ .name = "wait", .id = GOPT_WAIT, .arg = "SECONDS",
	  .help = "wait up to this long for another erlab's lock (default 0: refuse at once)" },
	{ .name = "verbose", .id = GOPT_VERBOSE, .letter = 'v', .help = "one line per kernel step" },
	{ .name = "quiet", .id = GOPT_QUIET, .letter = 'q', .help = "no notices, no results: errors only" },
	{ 0 },
};

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
	fprintf(x->log, " (see erlab %s --help)\n", verb);
	return 2;
}

/* One global option's value: 0, or -1 after printing why it is refused. */
static int global_value(struct cli *x, struct engine_opts *o, int id, const char *val)
{
	uint32_t w;

	switch (id) {
	case GOPT_STATE_DIR:
		o->state_dir = val;
		return 0;
	case GOPT_DATAPATH:
		o->datapath = datapath_from_string(val);
		if ((int)o->datapath < 0) {
			fprintf(x->log, "erlab: --datapath %s: use auto, vlan or veth\n", val);
			return -1;
		}
		return 0;
	default:
		if (num_parse_u32(val, 0, 86400, &w) < 0) {
			fprintf(x->log, "erlab: --wait %s: give whole seconds, 0-86400\n", val);
			return -1;
		}
		o->wait = w;
		return 0;
	}
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
 * Global options (cli_global_options) may stand anywhere before "--" (so `erlab peering new C
 * --wait 5 ...` works); they are taken out of argv. Returns the new argc, or -1 after printing a
 * usage error.
 */
static int take_global_options(struct cli *x, struct engine_opts *o, int argc, char **argv)
{
	int out = 1;

	for (int i = 1; i < argc; i++) {
		const char *a = argv[i];
		const struct verb_opt *g;

		if (strcmp(a, "--") == 0) {
			while (i < argc)
				argv[out++] = argv[i++];
			break;
		}
		for (g = cli_global_options; g->name; g++) {
			size_t n = strlen(g->name);

			if ((g->letter && a[0] == '-' && a[1] == g->letter && !a[2]) ||
			    (strncmp(a, "--", 2) == 0 && strncmp(a + 2, g->name, n) == 0 &&
			     (a[2 + n] == '\0' || (g->arg && a[2 + n] == '='))))
				break;
		}
		if (!g->name || (g->id == GOPT_WAIT && wait_without_seconds(argc, argv, i))) {
			argv[out++] = argv[i];
			continue;
		}
		if (!g->arg) {
			x->verbosity = g->id == GOPT_VERBOSE ? 1 : -1;
			continue;
		}
		if (strchr(a, '=')) {
			if (global_value(x, o, g->id, strchr(a, '=') + 1) < 0)
				return -1;
		} else if (i + 1 < argc) {
			if (global_value(x, o, g->id, argv[++i]) < 0)
				return -1;
		} else {
			fprintf(x->log, "erlab: %s needs a value\n", a);
			return -1;
		}
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

/* The verb (and subverb) argv names, run; or its help. Returns the exit code. */
static int run_verb(struct cli *x, struct engine_opts *o, int argc, char **argv)
{
	const struct verb *verbs, *v, *s;
	const char *name = argv[1];
	struct err e = {0};
	unsigned n;
	int r;

	verbs = cli_verbs(&n);
	if (!(v = help_find(verbs, n, name)))
		return help_unknown_verb(x, name);
	argc--;
	argv++;
	x->verb = v;
	if (v->subs) {
		if (argc > 1 && !(s = help_find(v->subs, 0, argv[1]))) {
			if (help_asked(v, argc, argv)) {
				help_verb(x->out, v, NULL);
				return 0;
			}
			return help_unknown_subverb(x, v, argv[1]);
		}
		if (argc < 2)
			return help_unknown_subverb(x, v, NULL);
		x->parent = v;
		x->verb = s;
		argc--;
		argv++;
	}
	if (help_asked(x->verb, argc, argv)) {
		help_verb(x->out, x->verb, x->parent);
		return 0;
	}
	if (engine_new(o, &x->eng, &e) < 0)
		return cli_error(x, &e);
	if ((r = refuse_unprivileged(x, name)) != 0)
		return r;
	return (x->verb->fn ? x->verb->fn : v->fn)(x, argc, argv);
}

/* A cmdlet, or its help (`erlab CMDLET -?`, PowerShell's way to ask). */
static int run_cmdlet(struct cli *x, struct engine_opts *o, int argc, char **argv)
{
	struct err e = {0};
	int r;

	if (argc == 3 && (strcmp(argv[2], "-?") == 0 || strcmp(argv[2], "--help") == 0))
		return help_cmdlet(x->out, argv[1]) == 0 ? 0 : 1;
	if (engine_new(o, &x->eng, &e) < 0)
		return cli_error(x, &e);
	if ((r = refuse_unprivileged(x, argv[1])) != 0)
		return r;
	return cmdlet_main(x, argc - 1, argv + 1);
}

/* main() is in cli/erlab.c, so that the tests can link the CLI and its tables (tests/unit/test_help.c). */
int cli_main(int argc, char **argv)
{
	return cli_main_with(argc, argv, NULL);
}

int cli_main_with(int argc, char **argv, int (*serve)(struct cli *x, int argc, char **argv))
{
	struct cli x = { .out = stdout, .log = stderr, .serve = serve };
	struct engine_opts o = { .datapath = DATAPATH_AUTO, .event = cli_event, .ud = &x };
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
	/* take_global_options moves the words; `serve` runs the line as it was given (serve_exec.c). */
	if ((x.argv_given = calloc((size_t)argc + 1, sizeof(*x.argv_given))))
		memcpy(x.argv_given, argv, (size_t)argc * sizeof(*argv));
	argc = take_global_options(&x, &o, argc, argv);
	if (argc < 0) {
		free(x.argv_given);
		return 2;
	}
	o.steps = x.verbosity > 0;
	if (argc < 2) {
		free(x.argv_given);
		help_usage(stderr);
		return 2;
	}
	if (strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "-h") == 0 || strcmp(argv[1], "help") == 0)
		r = cmd_help(&x, argc - 1, argv + 1);
	else if (strcmp(argv[1], "--version") == 0)
		r = printf("erlab %s\n", ERLAB_VERSION) < 0;
	else if (strcmp(argv[1], "--gen-man") == 0 || strcmp(argv[1], "--gen-completion") == 0)
		r = help_generate(&x, argc - 1, argv + 1);
	else if (cmdlet_is(argv[1]))
		r = run_cmdlet(&x, &o, argc, argv);
	else
		r = run_verb(&x, &o, argc, argv);
	engine_free(x.eng);
	free(x.argv_given);
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
