/* SPDX-License-Identifier: MIT */
/*
 * erlab-floor: the least a single process can do to build the kernel objects of `erlab up` of
 * bench/gen-lab's lab, through erlab's own kernel layer (kernel.h) and in erlab's order, with no
 * lab parsing, validation, planning, state or lock. scripts/bench compares erlab against it: the
 * difference is what erlab's own code costs above the kernel layer.
 *
 *   erlab-floor up N [-v]     circuits c1..cN, veth datapath, 3 peerings each
 *   erlab-floor down N [-v]   remove their namespaces (the minimal teardown)
 *
 * -v prints where the time went (per kind of kernel request) to stderr.
 */
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "core/cidr.h"
#include "core/names.h"
#include "kernel/kernel.h"

#define BANDWIDTH_MBPS 1000

enum part { P_NETNS, P_VETH, P_TBF, P_ADDR, P_DEL, P_FLUSH, _P_MAX };

static const char *const part_names[_P_MAX] = { "netns add + lo alias", "veth create + up + alias",
						"tbf (2 per veth)", "addr add (2 per veth)", "netns del (recorded)",
						"netns del flush" };

/* The same three peerings gen-lab writes: VLAN, then the primary and secondary /30. */
static const struct {
	const char *type;
	uint16_t vlan;
	const char *subnet[_LINK_MAX];
} peerings[] = {
	{ "private", 100, { "10.0.0.0/30", "10.0.0.4/30" } },
	{ "public", 200, { "131.107.0.0/30", "131.107.0.4/30" } },
	{ "microsoft", 300, { "131.107.0.8/30", "131.107.0.12/30" } },
};

struct timing {
	double ms[_P_MAX];
	unsigned count[_P_MAX];
};

static double now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec * 1e3 + (double)ts.tv_nsec / 1e6;
}

static void account(struct timing *t, enum part p, double since)
{
	t->ms[p] += now_ms() - since;
	t->count[p]++;
}

static void circuit_ns(unsigned i, const char *role, char buf[NS_NAME_MAX])
{
	snprintf(buf, NS_NAME_MAX, "c%u-%s", i, role);
}

static void circuit_key(unsigned i, char buf[GUID_STRLEN])
{
	snprintf(buf, GUID_STRLEN, "00000000-0000-4000-8000-%012u", i);
}

/* apply.c's peer_ifindex_hint for a peering link: the Microsoft end gets an ifindex of its own. */
static int peer_ifindex(enum link_side side, uint16_t vlan)
{
	return 2000 + (int)side * 4096 + vlan;
}

static int ns_add(struct kernel *k, const char *ns, const char *key, const char *role, struct timing *t,
		  struct err *e)
{
	char mark[MARK_MAX];
	double t0 = now_ms();
	int r;

	r = netns_add(k, ns, names_mark(key, role, mark), e);
	account(t, P_NETNS, t0);
	return r;
}

/* One peering link: what apply.c's step_plink_add does on the veth datapath. */
static int plink_add(struct kernel *k, const char *ns_c, const char *ns_m, const char *key, unsigned p,
		     enum link_side side, struct timing *t, struct err *e)
{
	const char *ns[2] = { ns_c, ns_m };
	char ifname[IFNAMSIZ], role[48], mark[MARK_MAX];
	struct cidr net, a;
	double t0;
	int r;

	if (cidr_parse(peerings[p].subnet[side], &net) < 0)
		return -EINVAL;
	names_plink(side, peerings[p].vlan, ifname);
	snprintf(role, sizeof(role), "peering:%s:%s", peerings[p].type, link_side_name(side));
	t0 = now_ms();
	r = link_add_veth(k, ns_c, ifname, ns_m, ifname, peer_ifindex(side, peerings[p].vlan),
			  names_mark(key, role, mark), e);
	if (r < 0)
		return r;
	account(t, P_VETH, t0);
	for (unsigned i = 0; i < 2; i++) {
		t0 = now_ms();
		r = qdisc_set_rate(k, ns[i], ifname, BANDWIDTH_MBPS, e);
		if (r < 0)
			return r;
		account(t, P_TBF, t0);
	}
	for (unsigned i = 0; i < 2; i++) {
		a = cidr_host(&net, i + 1);
		t0 = now_ms();
		r = addr_add(k, ns[i], ifname, &a, e);
		if (r < 0)
			return r;
		account(t, P_ADDR, t0);
	}
	return 0;
}

static int circuit_up(struct kernel *k, unsigned i, struct timing *t, struct err *e)
{
	char ns_c[NS_NAME_MAX], ns_m[NS_NAME_MAX], key[GUID_STRLEN];
	int r;

	circuit_ns(i, "customer", ns_c);
	circuit_ns(i, "microsoft", ns_m);
	circuit_key(i, key);
	if ((r = ns_add(k, ns_c, key, "ns:customer", t, e)) < 0 ||
	    (r = ns_add(k, ns_m, key, "ns:microsoft", t, e)) < 0)
		return r;
	for (unsigned p = 0; p < sizeof(peerings) / sizeof(peerings[0]); p++)
		for (enum link_side side = 0; side < _LINK_MAX; side++)
			if ((r = plink_add(k, ns_c, ns_m, key, p, side, t, e)) < 0)
				return r;
	return 0;
}

/* Microsoft first, as erlab's plan_remove does; recorded, and removed together at the end as
 * erlab's down does (netns_del_flush). */
static int circuit_down(struct kernel *k, unsigned i, struct timing *t, struct err *e)
{
	static const char *const roles[] = { "microsoft", "customer" };
	char ns[NS_NAME_MAX];
	double t0;
	int r;

	for (unsigned j = 0; j < 2; j++) {
		circuit_ns(i, roles[j], ns);
		t0 = now_ms();
		r = netns_del_later(k, ns, e);
		if (r < 0)
			return r;
		account(t, P_DEL, t0);
	}
	return 0;
}

static void timing_print(const struct timing *t, unsigned n, double total)
{
	fprintf(stderr, "erlab-floor: %u circuits in %.1f ms (%.3f ms/circuit)\n", n, total, n ? total / n : 0);
	for (unsigned p = 0; p < _P_MAX; p++)
		if (t->count[p])
			fprintf(stderr, "  %-26s %5u x %8.3f ms = %9.1f ms (%.3f ms/circuit)\n", part_names[p],
				t->count[p], t->ms[p] / t->count[p], t->ms[p], t->ms[p] / n);
}

static int usage(void)
{
	fprintf(stderr, "usage: erlab-floor up|down N [-v]\n");
	return 2;
}

int main(int argc, char **argv)
{
	struct timing t = {0};
	struct kernel *k;
	struct err e = {0};
	unsigned long n;
	char *end;
	bool up, verbose;
	double t0;
	int r = 0;

	if (argc < 3 || argc > 4 || (argc == 4 && strcmp(argv[3], "-v") != 0))
		return usage();
	if (strcmp(argv[1], "up") != 0 && strcmp(argv[1], "down") != 0)
		return usage();
	up = strcmp(argv[1], "up") == 0;
	verbose = argc == 4;
	errno = 0;
	n = strtoul(argv[2], &end, 10);
	if (errno || *end || argv[2][0] < '0' || argv[2][0] > '9' || n == 0 || n > 100000) {
		fprintf(stderr, "erlab-floor: N: not a count from 1 to 100000: \"%s\"\n", argv[2]);
		return 2;
	}
	if (kernel_open(&k, &e) < 0)
		goto fail;
	t0 = now_ms();
	for (unsigned i = 1; i <= n; i++) {
		r = up ? circuit_up(k, i, &t, &e) : circuit_down(k, i, &t, &e);
		if (r < 0)
			break;
	}
	if (!up && r == 0) {
		double t1 = now_ms();

		r = netns_del_flush(k, &e);
		account(&t, P_FLUSH, t1);
	}
	if (verbose && r == 0)
		timing_print(&t, (unsigned)n, now_ms() - t0);
	kernel_close(k);
	if (r == 0)
		return 0;
fail:
	fprintf(stderr, "erlab-floor: %s: %s%s%s\n", e.what, e.msg, e.detail[0] ? ": " : "", e.detail);
	return 1;
}
