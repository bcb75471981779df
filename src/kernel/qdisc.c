/* SPDX-License-Identifier: MIT */
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <string.h>

#include <linux/pkt_sched.h>
#include <net/if.h>
#include <netlink/route/link.h>
#include <netlink/route/qdisc.h>
#include <netlink/route/qdisc/tbf.h>
#include <netlink/route/tc.h>

#include "kernel/nl_int.h"

/* A full-size frame plus Ethernet header, the unit of the minimum bucket. */
#define TBF_FRAME 1514
#define TBF_MTU 1500
/* Queue at most this long before tbf drops (`tc ... tbf latency 50ms`). */
#define TBF_LATENCY_US 50000

/*
 * The bucket must cover what arrives between two dequeues at the rate, or bursty senders (iperf,
 * TSO) never reach it: 10 ms worth of bytes (HZ=100 worst case), and never less than ten frames.
 */
static uint64_t tbf_bucket(uint64_t rate_bytes)
{
	uint64_t b = rate_bytes / 100;

	return b < 10 * TBF_FRAME ? 10 * TBF_FRAME : b;
}

int kernel_tbf_set(struct kernel *k, struct nl_sock *sk, int ifindex, uint64_t rate_bytes)
{
	struct rtnl_qdisc *q;
	uint64_t bucket = tbf_bucket(rate_bytes);
	int r;

	/* libnl 3.7's tbf takes an int of bytes per second (no TCA_TBF_RATE64). */
	if (rate_bytes == 0 || rate_bytes > INT_MAX || bucket > INT_MAX)
		return -ERANGE;
	q = rtnl_qdisc_alloc();
	if (!q)
		return -ENOMEM;
	/* erlab's links all have the Ethernet MTU the rate table is computed for. */
	rtnl_tc_set_ifindex(TC_CAST(q), ifindex);
	rtnl_tc_set_mtu(TC_CAST(q), TBF_MTU);
	rtnl_tc_set_parent(TC_CAST(q), TC_H_ROOT);
	rtnl_tc_set_handle(TC_CAST(q), TC_HANDLE(1, 0));
	/* Before any tbf setter: they look up the kind's private data. */
	r = rtnl_tc_set_kind(TC_CAST(q), "tbf");
	if (r < 0) {
		r = kernel_errno(k, r);
		goto out;
	}
	rtnl_qdisc_tbf_set_rate(q, (int)rate_bytes, (int)bucket, 0);
	r = rtnl_qdisc_tbf_set_limit_by_latency(q, TBF_LATENCY_US);
	if (r < 0) {
		r = kernel_errno(k, r);
		goto out;
	}
	kernel_ack_reset(k);
	r = kernel_errno(k, rtnl_qdisc_add(sk, q, NLM_F_CREATE | NLM_F_REPLACE));
out:
	rtnl_qdisc_put(q);
	return r;
}

int qdisc_set_rate(struct kernel *k, const char *ns, const char *ifname, uint32_t rate_mbps, struct err *e)
{
	uint64_t rate_bytes = (uint64_t)rate_mbps * 1000000 / 8;
	struct kernel_ns *n;
	char w[WHAT_MAX];
	int ifindex, r;

	if ((r = kernel_link_begin(k, ns, ifname, w, &n, e)) < 0)
		return r;
	if (rate_bytes == 0 || rate_bytes > INT_MAX)
		return err_set(e, -ERANGE, w, "rate %u Mbps out of range (1..%d)", rate_mbps,
				  (int)((uint64_t)INT_MAX * 8 / 1000000));
	r = kernel_ns_index(k, n, ifname, &ifindex);
	if (r == 0)
		r = kernel_tbf_set(k, n->sk, ifindex, rate_bytes);
	if (r == -ENODEV)
		return kernel_fail(k, e, r, w, "setting rate %u Mbps failed: link not found", rate_mbps);
	if (r < 0)
		return kernel_fail(k, e, r, w, "setting rate %u Mbps (tbf) failed", rate_mbps);
	return 0;
}
