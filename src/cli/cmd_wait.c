/* SPDX-License-Identifier: MIT */
#include <errno.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <time.h>

#include "cli/cli.h"
#include "core/attach.h"
#include "core/bird_conf.h"
#include "cli/options.h"
#include "core/guid.h"
#include "core/num.h"

/*
 * erlab wait LAB|CIRCUIT [--timeout SECONDS], and `up --wait` (README, "BGP"): until every BGP
 * session of those circuits' Microsoft edges is Established — or, on a host that has only a
 * circuit's customer side (docs/multihost.md), every session of its customer router. A session
 * erlab keeps disabled on purpose (a peering that is Disabled, a family whose prefixes are
 * ValidationNeeded: "Down" at the edge; the customer router's end of such a session) is not waited
 * for. On timeout, each session that is not Established is named with its state and
 * BIRD's last error, and erlab exits 3.
 */

/* Between looks: twice what a look took (each asks every BIRD of the lab), within these bounds, so
 * that a small lab is seen up within tens of ms and a large one is not kept busy answering. */
#define WAIT_POLL_MIN_MS 20
#define WAIT_POLL_MAX_MS 200
#define WAIT_DEFAULT_SECONDS 60.0

static double now_s(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* What a session is at the moment: done, disabled on purpose, or still to come. The customer
 * router keeps trying a session the Microsoft edge has disabled: the circuit's state says which. */
static bool session_done(const struct circuit *c, enum ns_role role, const struct bird_session *s)
{
	enum access_type t;
	enum link_side side;
	bool v6;

	if (role == NS_CUSTOMER && bird_session_parse(s->name, &t, &side, &v6) == 0 && !bird_session_enabled(c, t, v6))
		return true;
	return strcmp(s->state, "Established") == 0 || strcmp(s->state, "Down") == 0;
}

/* One look at every circuit: 0 all done, 1 some not yet; with report, print those. early: stop at
 * the first circuit that is not done (its counts then say nothing of the circuits after it). */
static int look(struct cli *x, const struct circuit *cs, const unsigned *idx, unsigned n, bool report, bool early,
		unsigned *ret_pending, unsigned *ret_total)
{
	unsigned pending = 0, total = 0;

	for (unsigned i = 0; i < n; i++) {
		const struct circuit *c = &cs[idx[i]];
		struct bird_session *ss = NULL;
		struct err e = {0};
		unsigned m = 0;
		int r;

		enum ns_role role;

		/* The Microsoft edge when it is on this host; else the customer router when that is. */
		if (c->bgp.msee && attach_ns_here(c, NS_MICROSOFT))
			role = NS_MICROSOFT;
		else if (c->bgp.customer && attach_ns_here(c, NS_CUSTOMER) && !attach_ns_here(c, NS_MICROSOFT))
			role = NS_CUSTOMER;
		else
			continue;
		r = engine_bgp_sessions(x->eng, c, role, &ss, &m, &e);
		if (r < 0) {
			pending++;
			total++;
			if (report)
				fprintf(x->log, "  %s: the %s's BIRD is not answering%s%s\n", c->name,
					role == NS_MICROSOFT ? "Microsoft edge" : "customer router", r == -ENOENT ? "" : ": ",
					r == -ENOENT ? "" : e.msg);
			if (early)
				break;
			continue;
		}
		for (unsigned j = 0; j < m; j++) {
			total++;
			if (session_done(c, role, &ss[j]))
				continue;
			pending++;
			if (report)
				fprintf(x->log, "  %s %s: %s%s%s\n", c->name, ss[j].name, ss[j].state,
					ss[j].last_error[0] ? ", BIRD's last error: " : "", ss[j].last_error);
		}
		free(ss);
		if (early && pending)
			break;
	}
	*ret_pending = pending;
	*ret_total = total;
	return pending ? 1 : 0;
}

static int wait_sessions(struct cli *x, const char *verb, const struct circuit *cs, const unsigned *idx, unsigned n,
		      double timeout)
{
	double deadline = now_s() + timeout;
	unsigned pending = 0, total = 0;
	struct err e = {0};

	for (;;) {
		double began = now_s(), nap;

		if (look(x, cs, idx, n, false, true, &pending, &total) == 0) {
			if (x->verbosity > 0)
				fprintf(x->out, "%u BGP session%s Established\n", total, total == 1 ? "" : "s");
			return 0;
		}
		if (engine_interrupted(&e) < 0)
			return cli_error(x, &e);
		if (now_s() >= deadline)
			break;
		nap = 2 * (now_s() - began);
		if (nap < WAIT_POLL_MIN_MS / 1e3)
			nap = WAIT_POLL_MIN_MS / 1e3;
		if (nap > WAIT_POLL_MAX_MS / 1e3)
			nap = WAIT_POLL_MAX_MS / 1e3;
		nanosleep(&(struct timespec){ 0, (long)(nap * 1e9) }, NULL);
	}
	cli_progress_clear(x);
	look(x, cs, idx, n, false, false, &pending, &total);
	fprintf(x->log, "erlab: %s: after %g s, %u of %u BGP sessions are not Established:\n", verb, timeout, pending,
		total);
	look(x, cs, idx, n, true, false, &pending, &total);
	return err_exit_code(-ETIMEDOUT);
}

/* The circuits a wait is about: a lab's (by name or file), else one circuit (by name or key). */
static int pick(const struct circuit *all, unsigned n, const char *target, unsigned *idx, unsigned *ret_m)
{
	char real[PATH_MAX], key[GUID_STRLEN];
	bool by_key = guid_parse(target, key) == 0, by_file = realpath(target, real) != NULL;
	unsigned m = 0;

	for (unsigned i = 0; i < n; i++)
		if (all[i].lab && (strcmp(all[i].lab, target) == 0 ||
				   (by_file && all[i].lab_file && strcmp(all[i].lab_file, real) == 0)))
			idx[m++] = i;
	for (unsigned i = 0; i < n && m == 0; i++)
		if (strcasecmp(all[i].name, target) == 0 || (by_key && strcmp(all[i].service_key, key) == 0))
			idx[m++] = i;
	*ret_m = m;
	return m ? 0 : -ENOENT;
}

int cli_parse_timeout(struct cli *x, const char *verb, const char *arg, double *ret)
{
	char *end;
	double v;

	errno = 0;
	v = arg ? strtod(arg, &end) : 0;
	if (!arg || errno || end == arg || *end || !(v >= 0) || v > 86400)
		return cli_usage(x, verb, "--timeout expects SECONDS (0 to 86400), got '%s'", arg ? arg : "");
	*ret = v;
	return 0;
}

enum { OPT_TIMEOUT = OPT_OWN };
const struct verb_opt wait_options[] = {
	{ .name = "timeout", .id = OPT_TIMEOUT, .arg = "SECONDS",
	  .help = "give up after this long, naming the sessions not Established (exit 3; default 60)" },
	{ 0 },
};

static int timeout_option(struct cli *x, const char *verb, int id, const char *arg, void *ud)
{
	(void)id;
	return cli_parse_timeout(x, verb, arg, ud);
}

int cli_wait_for(struct cli *x, const char *verb, const char *target, bool none_ok, double timeout)
{
	struct circuit *all = NULL;
	unsigned *idx = NULL, n = 0, m = 0;
	struct err e = {0};
	int r;

	if ((r = op_circuit_list(x->eng, &all, &n, &e)) < 0)
		return cli_error(x, &e);
	if (!(idx = calloc(n ? n : 1, sizeof(*idx)))) {
		err_set(&e, -ENOMEM, verb, "out of memory");
		r = cli_error(x, &e);
		goto out;
	}
	if (pick(all, n, target, idx, &m) < 0 && !none_ok) {
		err_set(&e, -ENOENT, target, "no lab or circuit of that name is up");
		r = cli_error(x, &e);
		goto out;
	}
	r = wait_sessions(x, verb, all, idx, m, timeout);
out:
	free(idx);
	circuit_list_free(all, n);
	return r;
}

int cmd_wait(struct cli *x, int argc, char **argv)
{
	const char *target = NULL;
	double timeout = WAIT_DEFAULT_SECONDS;
	struct cli_opts o = { .verb = x->verb };
	int r;

	if ((r = cli_getopt(x, "wait", argc, argv, &o, timeout_option, &timeout)) != 0)
		return r;
	if (argc - o.optind > 1)
		return cli_usage(x, "wait", "unexpected argument '%s'", argv[o.optind + 1]);
	target = o.optind < argc ? argv[o.optind] : NULL;
	if (!target)
		return cli_usage(x, "wait", "expects a lab (NAME or FILE) or a CIRCUIT");
	return cli_wait_for(x, "wait", target, false, timeout);
}
