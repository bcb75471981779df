/* SPDX-License-Identifier: MIT */
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "cli/cli.h"
#include "cli/options.h"
#include "core/names.h"
#include "kernel/sandbox.h"

#define CHECK_MAX 32
struct probe_result {
	int r;                       /* 0 yes, -errno no, 1 unknown (not probed) */
	struct err e;
};

/*
 * Every feature's probe: in this process (root), or in a child in a user namespace of its own (a
 * plain user: what the kernel supports, whatever this user may do). A plain user without user
 * namespaces probes here too, and a probe refused for want of privilege is "not probed" (r = 1),
 * never "no": it says nothing about the kernel.
 */
static unsigned probe_all(struct cli *x, bool root, bool in_userns, struct probe_result *res)
{
	struct engine_feature f;
	unsigned n = 0;
	int pfd[2];
	pid_t pid;

	for (n = 0; n < CHECK_MAX && engine_feature(n, &f); n++)
		res[n] = (struct probe_result){ .r = 1 };
	if (!in_userns) {
		for (unsigned i = 0; i < n; i++) {
			res[i].r = engine_probe(x->eng, i, &res[i].e);
			if (!root && (res[i].r == -EPERM || res[i].r == -EACCES))
				res[i].r = 1;
		}
		return n;
	}
	fflush(NULL);
	if (pipe2(pfd, O_CLOEXEC) < 0)
		return n;
	if ((pid = fork()) < 0) {
		close(pfd[0]);
		close(pfd[1]);
		return n;
	}
	if (pid == 0) {
		struct probe_result one;

		close(pfd[0]);
		if (sandbox_userns(0, &one.e) < 0)
			_exit(1);
		for (unsigned i = 0; i < n; i++) {
			memset(&one, 0, sizeof(one));
			one.r = engine_probe(x->eng, i, &one.e);
			if (write(pfd[1], &one, sizeof(one)) != (ssize_t)sizeof(one))
				_exit(1);
		}
		_exit(0);
	}
	close(pfd[1]);
	for (unsigned i = 0; i < n; i++) {
		size_t got = 0;

		while (got < sizeof(res[i])) {
			ssize_t k = read(pfd[0], (char *)&res[i] + got, sizeof(res[i]) - got);

			if (k < 0 && errno == EINTR)
				continue;
			if (k <= 0)
				break;
			got += (size_t)k;
		}
		if (got != sizeof(res[i])) {
			res[i] = (struct probe_result){ .r = 1 };
			break;
		}
	}
	close(pfd[0]);
	while (waitpid(pid, NULL, 0) < 0 && errno == EINTR)
		;
	return n;
}

/* One feature: yes, no (why; fix), or ? (not probed); in JSON true, false or null. */
static void check_line(struct cli *x, struct json *j, const char *name, int r, const struct err *e,
		       const char *fix)
{
	if (j) {
		jw_key(j, name);
		if (r > 0)
			jw_null(j);
		else
			jw_bool(j, r == 0);
		return;
	}
	if (r == 0)
		fprintf(x->out, "%-8s yes\n", name);
	else if (r > 0)
		fprintf(x->out, "%-8s ?    (not probed: %s; fix: run erlab check as root)\n", name, e->msg);
	else if (e->detail[0] || !e->what[0])
		fprintf(x->out, "%-8s no   (%s; fix: %s)\n", name, e->detail[0] ? e->detail : e->msg, fix);
	else
		fprintf(x->out, "%-8s no   (%s: %s; fix: %s)\n", name, e->what, e->msg, fix);
}

enum { OPT_JSON = OPT_OWN };
const struct verb_opt check_options[] = {
	{ .name = "json", .id = OPT_JSON,
	  .help = "print as one JSON object: true, false or null (not probed) per feature" },
	{ 0 },
};

/*
 * erlab check: what this machine supports, one line each. First whether this process may build
 * (root: CAP_SYS_ADMIN and CAP_NET_ADMIN) and whether it can make a user namespace (`erlab shell`);
 * then the kernel's features, probed as root or, for a plain user, inside a user namespace of its
 * own, so a missing privilege is never reported as missing kernel support. Exit 1 when a required
 * feature is missing, or when neither root nor a user namespace is to be had.
 */
int cmd_check(struct cli *x, int argc, char **argv)
{
	struct probe_result res[CHECK_MAX];
	struct engine_feature f;
	struct err pe = {0}, ue = {0};
	struct cli_opts o = { .verb = x->verb };
	bool json, root = sandbox_privileged();
	struct json doc, *j = NULL;
	int userns, missing = 0, r;
	unsigned n;

	if ((r = cli_getopt(x, "check", argc, argv, &o, NULL, NULL)) != 0)
		return r;
	if (o.optind != argc)
		return cli_usage(x, "check", "takes no arguments but --json");
	json = cli_own_given(&o, OPT_JSON);
	j = json ? &doc : NULL;
	userns = sandbox_userns_probe(&ue);
	if (!root && userns < 0)
		missing++;
	n = probe_all(x, root, !root && userns == 0, res);
	ue.detail[0] = '\0';   /* the fix below says it */
	if (j)
		jw_begin(j, x->out, "check");
	err_set(&pe, -EPERM, NULL, "uid %u without CAP_SYS_ADMIN and CAP_NET_ADMIN", (unsigned)geteuid());
	check_line(x, j, "root", root ? 0 : -EPERM, &pe,
		   "run erlab as root, or without root inside `erlab shell`");
	check_line(x, j, "userns", userns, &ue,
		   "for `erlab shell`: sysctl user.max_user_namespaces above 0, and kernel.unprivileged_userns_clone=1 "
		   "or kernel.apparmor_restrict_unprivileged_userns=0 where the kernel has them; or run erlab as root");
	err_set(&pe, -EPERM, NULL, "the probe needs root or a user namespace");
	for (unsigned i = 0; i < n && engine_feature(i, &f); i++) {
		if (res[i].r != 0 && f.required)
			missing++;
		check_line(x, j, f.name, res[i].r, res[i].r > 0 ? &pe : &res[i].e, f.fix);
	}
	if (j && (r = cli_json_written(x, "check", jw_end(j))) != 0)
		return r;
	return missing ? 1 : 0;
}

/* link down|up CIRCUIT primary|secondary: argv[0] is down or up. */
static int link_run(struct cli *x, int argc, char **argv)
{
	struct err e = {0};
	enum link_side side;
	bool up = strcmp(argv[0], "up") == 0;
	const char *verb = up ? "link up" : "link down";

	if (argc != 3)
		return cli_usage(x, verb, "expects CIRCUIT primary|secondary");
	if ((int)(side = link_side_from_string(argv[2])) < 0)
		return cli_usage(x, verb, "'%s': use primary or secondary", argv[2]);
	if (op_link_carrier(x->eng, argv[1], side, up, &e) < 0)
		return cli_error(x, &e);
	return 0;
}

const struct verb link_verbs[] = {
	{ "down", link_run, "emulate a link failure: the path's links lose their carrier on both sides",
	  .args = "CIRCUIT primary|secondary" },
	{ "up", link_run, "bring a failed path back", .args = "CIRCUIT primary|secondary" },
	{ 0 },
};

/* erlab exec CIRCUIT customer|microsoft -- COMMAND...: like `ip netns exec`, by circuit. */
int cmd_exec(struct cli *x, int argc, char **argv)
{
	struct circuit c;
	struct err e = {0};
	char ns[NS_NAME_MAX];
	int cmd = 3, r;

	if (argc < 4)
		return cli_usage(x, "exec", "expects CIRCUIT customer|microsoft -- COMMAND...");
	if (strcmp(argv[3], "--") == 0)
		cmd = 4;
	if (cmd >= argc)
		return cli_usage(x, "exec", "no COMMAND given");
	circuit_init(&c);
	r = op_circuit_get(x->eng, argv[1], &c, &e);
	if (r == 0)
		r = engine_ns_of(&c, argv[2], ns, sizeof(ns), &e);
	circuit_clear(&c);
	if (r < 0 || (r = engine_enter(x->eng, ns, &e)) < 0)
		return cli_error(x, &e);
	/* The lock fd is close-on-exec: the command does not hold erlab's lock; it gets the signal
	 * mask erlab was started with. */
	fflush(NULL);
	sigprocmask(SIG_SETMASK, &x->sigmask, NULL);
	execvp(argv[cmd], argv + cmd);
	err_set(&e, -errno, argv[cmd], "cannot execute: %s", strerror(errno));
	return cli_error(x, &e) == 4 ? 127 : 126;
}

static int vnet_unlink(struct cli *x, int argc, char **argv)
{
	struct err e = {0};

	if (argc != 3)
		return cli_usage(x, "vnet unlink", "expects CIRCUIT VNET");
	if (op_vnet_unlink(x->eng, argv[1], argv[2], &e) < 0)
		return cli_error(x, &e);
	return 0;
}

/* erlab vnet link CIRCUIT VNET --address-space CIDR[,CIDR] */
static int vnet_link(struct cli *x, int argc, char **argv)
{
	struct cli_opts o = { .verb = x->verb };
	struct vnet v = {0};
	struct err e = {0};
	int r;

	if ((r = cli_getopt(x, "vnet link", argc, argv, &o, NULL, NULL)) != 0)
		return r;
	if (argc - o.optind != 2)
		return cli_usage(x, "vnet link", "expects CIRCUIT VNET --address-space CIDR[,CIDR]");
	if ((r = cli_required(x, "vnet link", &o)) != 0)
		return r;
	argv += o.optind;
	if (strlen(argv[1]) > VNET_NAME_MAX || names_check_vnet(argv[1]) < 0) {
		err_set(&e, -EINVAL, argv[1], "The virtual network name is not valid: use 1-%d of A-Z a-z 0-9 _ -.",
			VNET_NAME_MAX);
		return cli_error(x, &e);
	}
	snprintf(v.name, sizeof(v.name), "%s", argv[1]);
	if ((r = cli_bind(x, "vnet link", &o, &v)) == 0 && op_vnet_link(x->eng, argv[0], &v, &e) < 0)
		r = cli_error(x, &e);
	vnet_clear(&v);
	return r;
}

static const char *const vnet_keys[] = { "address_space", NULL };

const struct verb vnet_verbs[] = {
	{ "link", vnet_link, "link a virtual network behind the Microsoft edge (private peering); its VM is .4",
	  .args = "CIRCUIT VNET", .fields = &vnet_fields, .keys = vnet_keys, .flags = VERB_REQUIRED_FIELDS },
	{ "unlink", vnet_unlink, "unlink a virtual network and remove its namespace", .args = "CIRCUIT VNET" },
	{ 0 },
};
