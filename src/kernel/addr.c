/* SPDX-License-Identifier: MIT */
#include <arpa/inet.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <linux/if_addr.h>
#include <linux/neighbour.h>
#include <linux/rtnetlink.h>
#include <net/if.h>
#include <netlink/addr.h>
#include <netlink/attr.h>
#include <netlink/msg.h>
#include <netlink/route/addr.h>
#include <netlink/route/link.h>

#include "kernel/nl_int.h"

static int addr_len(const struct cidr *a)
{
	if (a->family == AF_INET && a->prefixlen <= 32)
		return 4;
	if (a->family == AF_INET6 && a->prefixlen <= 128)
		return 16;
	return -EINVAL;
}

/* The rtnl_addr for a: local = the address with its prefix length, like `ip addr add a brd +`. */
static int addr_build(const struct cidr *a, int ifindex, struct rtnl_addr **ret)
{
	struct nl_addr *local = NULL, *brd = NULL;
	struct rtnl_addr *ra;
	int len = addr_len(a), r;

	if (len < 0)
		return len;
	ra = rtnl_addr_alloc();
	if (!ra)
		return -ENOMEM;
	local = nl_addr_build(a->family, a->addr, (size_t)len);
	if (!local) {
		r = -ENOMEM;
		goto out_put;
	}
	nl_addr_set_prefixlen(local, a->prefixlen);
	rtnl_addr_set_ifindex(ra, ifindex);
	r = rtnl_addr_set_local(ra, local);
	if (r < 0) {
		r = -EINVAL;
		goto out_put;
	}
	if (a->family == AF_INET6) {
		/* Usable at once: no duplicate address detection on a point-to-point lab link. */
		rtnl_addr_set_flags(ra, IFA_F_NODAD);
	} else if (a->prefixlen <= 30) {
		/* iproute2's "brd +": host bits all ones; none for /31 and /32. */
		uint8_t b[4];
		uint32_t host = a->prefixlen ? 0xffffffffu >> a->prefixlen : 0xffffffffu;
		uint32_t v;

		memcpy(&v, a->addr, 4);
		v = htonl(ntohl(v) | host);
		memcpy(b, &v, 4);
		brd = nl_addr_build(AF_INET, b, 4);
		if (!brd) {
			r = -ENOMEM;
			goto out_put;
		}
		r = rtnl_addr_set_broadcast(ra, brd);
		if (r < 0) {
			r = -EINVAL;
			goto out_put;
		}
	}
	nl_addr_put(brd);
	nl_addr_put(local);
	*ret = ra;
	return 0;

out_put:
	nl_addr_put(brd);
	nl_addr_put(local);
	rtnl_addr_put(ra);
	return r;
}

static int addr_request(struct kernel *k, const char *ns, const char *ifname, const struct cidr *a,
			bool add, struct err *e)
{
	char w[WHAT_MAX], s[CIDR_STRLEN];
	struct rtnl_addr *ra;
	struct kernel_ns *n;
	int ifindex, r;

	if ((r = kernel_link_begin(k, ns, ifname, w, &n, e)) < 0)
		return r;
	if (!a || addr_len(a) < 0)
		return err_set(e, -EINVAL, w, "invalid address");
	cidr_str(a, s, sizeof(s));
	r = kernel_ns_index(k, n, ifname, &ifindex);
	if (r < 0)
		return kernel_fail(k, e, r, w, "%s address %s failed: link not found", add ? "adding" : "deleting", s);
	r = addr_build(a, ifindex, &ra);
	if (r < 0)
		return err_set(e, r, w, "%s address %s failed: %s", add ? "adding" : "deleting", s, strerror(-r));
	kernel_ack_reset(k);
	/* rtnl_addr_add adds NLM_F_CREATE itself; EXCL makes a second add fail with EEXIST. */
	r = add ? rtnl_addr_add(n->sk, ra, NLM_F_EXCL) : rtnl_addr_delete(n->sk, ra, 0);
	r = kernel_errno(k, r);
	rtnl_addr_put(ra);
	if (r < 0)
		return kernel_fail(k, e, r, w, "%s address %s failed", add ? "adding" : "deleting", s);
	return 0;
}

int addr_add(struct kernel *k, const char *ns, const char *ifname, const struct cidr *a, struct err *e)
{
	return addr_request(k, ns, ifname, a, true, e);
}

int addr_del(struct kernel *k, const char *ns, const char *ifname, const struct cidr *a, struct err *e)
{
	return addr_request(k, ns, ifname, a, false, e);
}

struct neigh_ctx {
	struct neigh_info *v;
	unsigned n, cap;
	long hz;
	struct nl_cache *links;
	int err;
};

static int neigh_add(struct neigh_ctx *x, const struct ndmsg *ndm, struct nlattr **tb)
{
	struct neigh_info *ni;
	unsigned len = ndm->ndm_family == AF_INET ? 4 : 16;

	if (x->n == x->cap) {
		unsigned cap = x->cap ? x->cap * 2 : 16;
		struct neigh_info *v = realloc(x->v, cap * sizeof(*v));

		if (!v)
			return -ENOMEM;
		x->v = v;
		x->cap = cap;
	}
	ni = &x->v[x->n++];
	memset(ni, 0, sizeof(*ni));
	rtnl_link_i2name(x->links, ndm->ndm_ifindex, ni->ifname, sizeof(ni->ifname));
	ni->addr.family = ndm->ndm_family;
	ni->addr.prefixlen = (uint8_t)(len * 8);
	memcpy(ni->addr.addr, nla_data(tb[NDA_DST]), len);
	ni->state = ndm->ndm_state;
	if (tb[NDA_LLADDR] && nla_len(tb[NDA_LLADDR]) == 6) {
		const uint8_t *m = nla_data(tb[NDA_LLADDR]);

		snprintf(ni->lladdr, sizeof(ni->lladdr), "%02x:%02x:%02x:%02x:%02x:%02x",
			 m[0], m[1], m[2], m[3], m[4], m[5]);
	}
	/* ndm_updated: clock ticks (USER_HZ) since the entry last changed, what `ip -s neigh` shows. */
	if (tb[NDA_CACHEINFO] && nla_len(tb[NDA_CACHEINFO]) >= (int)sizeof(struct nda_cacheinfo)) {
		const struct nda_cacheinfo *ci = nla_data(tb[NDA_CACHEINFO]);

		ni->age_s = x->hz > 0 ? (uint32_t)(ci->ndm_updated / (unsigned long)x->hz) : 0;
	}
	return 0;
}

static int neigh_parse(struct nl_msg *msg, void *arg)
{
	struct neigh_ctx *x = arg;
	struct nlmsghdr *nlh = nlmsg_hdr(msg);
	struct nlattr *tb[NDA_MAX + 1];
	const struct ndmsg *ndm;
	unsigned len;

	if (nlh->nlmsg_type != RTM_NEWNEIGH || nlmsg_parse(nlh, sizeof(*ndm), tb, NDA_MAX, NULL) < 0)
		return NL_SKIP;
	ndm = nlmsg_data(nlh);
	if (ndm->ndm_family != AF_INET && ndm->ndm_family != AF_INET6)
		return NL_SKIP;
	len = ndm->ndm_family == AF_INET ? 4 : 16;
	if (!tb[NDA_DST] || (unsigned)nla_len(tb[NDA_DST]) != len)
		return NL_SKIP;
	x->err = neigh_add(x, ndm, tb);
	return x->err < 0 ? NL_STOP : NL_OK;
}

/*
 * libnl 3.7 parses NDA_CACHEINFO but has no getter for it, and the age is the point of the ARP
 * table: so the neighbour dump is read raw, on the namespace's libnl socket.
 */
int neigh_dump(struct kernel *k, const char *ns, struct neigh_info **ret, unsigned *ret_n, struct err *e)
{
	struct neigh_ctx x = { .hz = sysconf(_SC_CLK_TCK) };
	struct ndmsg ndm = { .ndm_family = AF_UNSPEC };
	struct nl_cb *cb, *sk_cb;
	struct kernel_ns *n;
	int r;

	r = kernel_ns_get(k, ns, &n, e);
	if (r < 0)
		return r;
	kernel_ack_reset(k);
	r = kernel_errno(k, rtnl_link_alloc_cache(n->sk, AF_UNSPEC, &x.links));
	if (r < 0)
		return kernel_fail(k, e, r, ns, "dumping links failed");
	sk_cb = nl_socket_get_cb(n->sk);
	cb = nl_cb_clone(sk_cb);
	nl_cb_put(sk_cb);
	if (!cb) {
		r = err_set(e, -ENOMEM, ns, "out of memory");
		goto out_links;
	}
	nl_cb_set(cb, NL_CB_VALID, NL_CB_CUSTOM, neigh_parse, &x);
	kernel_ack_reset(k);
	r = nl_send_simple(n->sk, RTM_GETNEIGH, NLM_F_DUMP, &ndm, sizeof(ndm));
	if (r >= 0)
		r = nl_recvmsgs(n->sk, cb);
	nl_cb_put(cb);
	r = r < 0 ? kernel_errno(k, r) : x.err;
	if (r < 0) {
		kernel_fail(k, e, r, ns, "dumping neighbours failed");
		free(x.v);
		goto out_links;
	}
	*ret = x.v;
	*ret_n = x.n;
out_links:
	nl_cache_free(x.links);
	return r;
}
