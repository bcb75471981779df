/* SPDX-License-Identifier: MIT */
/*
 * What the kernel has in one namespace: its links, their addresses and root qdiscs (link_dump),
 * for `status` and the drift check of `up` (issue 18). These run once per namespace for every
 * circuit of a lab, so they are made as cheap as the kernel allows: three kinds of dump on one
 * socket, each answer parsed once with libmnl straight into struct link_info (libnl's caches
 * allocate an object per link and address and parse every attribute, a fifth of `status`'s CPU);
 * a namespace that has no socket of ours yet is entered, dumped on a plain socket made there and
 * left, without the settings a socket for changes gets (nl.c: buffer sizes, extended acks).
 */
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <linux/if_addr.h>
#include <linux/if_link.h>
#include <linux/pkt_sched.h>
#include <linux/rtnetlink.h>
#include <net/if.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include <libmnl/libmnl.h>
#include <netlink/socket.h>

#include "kernel/nl_int.h"

/* A dump's answers arrive this much at a time at most (the kernel fills what the reader offers). */
#define DUMP_BUF 32768

/* Times the three dumps are taken again when the kernel says the namespace changed during one. */
#define DUMP_TRIES 10

/* Of each link, the ifindexes named once all links are in (0: none; lower is also 0 when it is
 * in another namespace, or a veth's peer). */
struct refs {
	int master, lower;
};

/* The links as they come. */
struct links {
	struct link_info *v;
	struct refs *refs;
	unsigned n, cap;
	int err;
};

/* Room for one more link: 0, or -ENOMEM. */
static int grow(struct links *l)
{
	unsigned cap = l->cap ? 2 * l->cap : 16;
	struct link_info *v;
	struct refs *refs;

	if (l->n < l->cap)
		return 0;
	if (!(v = realloc(l->v, cap * sizeof(*v))))
		return -ENOMEM;
	l->v = v;
	if (!(refs = realloc(l->refs, cap * sizeof(*refs))))
		return -ENOMEM;
	l->refs = refs;
	l->cap = cap;
	return 0;
}

/* Attributes of one level into tb[0..max], the valid ones only. */
struct attrs {
	const struct nlattr **tb;
	unsigned max;
};

static int put_attr(const struct nlattr *a, void *data)
{
	struct attrs *at = data;
	unsigned type = mnl_attr_get_type(a);

	if (type <= at->max)
		at->tb[type] = a;
	return MNL_CB_OK;
}

static void parse_nested(const struct nlattr *nest, const struct nlattr **tb, unsigned max)
{
	struct attrs at = { tb, max };

	memset(tb, 0, (max + 1) * sizeof(*tb));
	if (nest)
		mnl_attr_parse_nested(nest, put_attr, &at);
}

static bool is_u32(const struct nlattr *a) { return a && mnl_attr_validate(a, MNL_TYPE_U32) >= 0; }
static bool is_u16(const struct nlattr *a) { return a && mnl_attr_validate(a, MNL_TYPE_U16) >= 0; }
static bool is_u8(const struct nlattr *a) { return a && mnl_attr_validate(a, MNL_TYPE_U8) >= 0; }
static bool is_str(const struct nlattr *a) { return a && mnl_attr_validate(a, MNL_TYPE_NUL_STRING) >= 0; }

static void link_kind(struct link_info *li, const struct nlattr *linkinfo)
{
	const struct nlattr *info[IFLA_INFO_MAX + 1], *data[IFLA_VXLAN_MAX + 1];

	parse_nested(linkinfo, info, IFLA_INFO_MAX);
	if (!is_str(info[IFLA_INFO_KIND]))
		return;
	snprintf(li->kind, sizeof(li->kind), "%s", mnl_attr_get_str(info[IFLA_INFO_KIND]));
	if (strcmp(li->kind, "vlan") == 0) {
		parse_nested(info[IFLA_INFO_DATA], data, IFLA_VLAN_MAX);
		if (is_u16(data[IFLA_VLAN_ID]))
			li->vlan_id = mnl_attr_get_u16(data[IFLA_VLAN_ID]);
		if (is_u16(data[IFLA_VLAN_PROTOCOL]))
			li->vlan_proto = ntohs(mnl_attr_get_u16(data[IFLA_VLAN_PROTOCOL]));
	} else if (strcmp(li->kind, "vxlan") == 0) {
		parse_nested(info[IFLA_INFO_DATA], data, IFLA_VXLAN_MAX);
		if (is_u32(data[IFLA_VXLAN_ID]))
			li->vni = mnl_attr_get_u32(data[IFLA_VXLAN_ID]);
	}
}

static int on_link(const struct nlmsghdr *nlh, void *data)
{
	struct links *l = data;
	const struct ifinfomsg *ifm = mnl_nlmsg_get_payload(nlh);
	const struct nlattr *tb[IFLA_MAX + 1] = { 0 };
	struct attrs at = { tb, IFLA_MAX };
	struct link_info *li;

	if (nlh->nlmsg_type != RTM_NEWLINK || nlh->nlmsg_len < mnl_nlmsg_size(sizeof(*ifm)))
		return MNL_CB_OK;
	if ((l->err = grow(l)) < 0)
		return MNL_CB_ERROR;
	li = &l->v[l->n];
	memset(li, 0, sizeof(*li));
	mnl_attr_parse(nlh, sizeof(*ifm), put_attr, &at);
	li->ifindex = ifm->ifi_index;
	li->flags = ifm->ifi_flags;
	if (is_str(tb[IFLA_IFNAME]))
		snprintf(li->name, sizeof(li->name), "%s", mnl_attr_get_str(tb[IFLA_IFNAME]));
	if (is_str(tb[IFLA_IFALIAS]))
		snprintf(li->alias, sizeof(li->alias), "%s", mnl_attr_get_str(tb[IFLA_IFALIAS]));
	li->carrier = is_u8(tb[IFLA_CARRIER]) && mnl_attr_get_u8(tb[IFLA_CARRIER]);
	if (is_u8(tb[IFLA_OPERSTATE]))
		li->operstate = mnl_attr_get_u8(tb[IFLA_OPERSTATE]);
	if (tb[IFLA_STATS64] && mnl_attr_get_payload_len(tb[IFLA_STATS64]) >= sizeof(struct rtnl_link_stats64)) {
		struct rtnl_link_stats64 st;

		memcpy(&st, mnl_attr_get_payload(tb[IFLA_STATS64]), sizeof(st));
		li->rx_bytes = st.rx_bytes;
		li->tx_bytes = st.tx_bytes;
		li->rx_packets = st.rx_packets;
		li->tx_packets = st.tx_packets;
	}
	link_kind(li, tb[IFLA_LINKINFO]);
	if (!li->kind[0] && (li->flags & IFF_LOOPBACK))
		snprintf(li->kind, sizeof(li->kind), "loopback");
	l->refs[l->n].master = is_u32(tb[IFLA_MASTER]) ? (int)mnl_attr_get_u32(tb[IFLA_MASTER]) : 0;
	/* The lower device of a vlan or macvlan (a veth's IFLA_LINK is its peer); one in another
	 * namespace has an index that means nothing here. */
	l->refs[l->n].lower = is_u32(tb[IFLA_LINK]) && !tb[IFLA_LINK_NETNSID] && strcmp(li->kind, "veth") != 0 ?
			 (int)mnl_attr_get_u32(tb[IFLA_LINK]) : 0;
	l->n++;
	return MNL_CB_OK;
}

static struct link_info *by_index(struct links *l, int ifindex)
{
	for (unsigned i = 0; i < l->n; i++)
		if (l->v[i].ifindex == ifindex)
			return &l->v[i];
	return NULL;
}

static int on_addr(const struct nlmsghdr *nlh, void *data)
{
	struct links *l = data;
	const struct ifaddrmsg *ifa = mnl_nlmsg_get_payload(nlh);
	const struct nlattr *tb[IFA_MAX + 1] = { 0 }, *local;
	struct attrs at = { tb, IFA_MAX };
	struct link_info *li;
	size_t len = ifa->ifa_family == AF_INET ? 4 : 16;
	struct cidr *c;

	if (nlh->nlmsg_type != RTM_NEWADDR || nlh->nlmsg_len < mnl_nlmsg_size(sizeof(*ifa)) ||
	    (ifa->ifa_family != AF_INET && ifa->ifa_family != AF_INET6))
		return MNL_CB_OK;
	/* erlab never configures link-local addresses; the kernel adds one to every up link. */
	if (ifa->ifa_family == AF_INET6 && ifa->ifa_scope == RT_SCOPE_LINK)
		return MNL_CB_OK;
	mnl_attr_parse(nlh, sizeof(*ifa), put_attr, &at);
	local = tb[IFA_LOCAL] ? tb[IFA_LOCAL] : tb[IFA_ADDRESS];
	li = by_index(l, (int)ifa->ifa_index);
	if (!li || !local || mnl_attr_get_payload_len(local) != len ||
	    li->n_addrs >= sizeof(li->addrs) / sizeof(li->addrs[0]))
		return MNL_CB_OK;
	c = &li->addrs[li->n_addrs++];
	memset(c, 0, sizeof(*c));
	c->family = ifa->ifa_family;
	c->prefixlen = ifa->ifa_prefixlen;
	memcpy(c->addr, mnl_attr_get_payload(local), len);
	return MNL_CB_OK;
}

static int on_qdisc(const struct nlmsghdr *nlh, void *data)
{
	struct links *l = data;
	const struct tcmsg *tcm = mnl_nlmsg_get_payload(nlh);
	const struct nlattr *tb[TCA_MAX + 1] = { 0 }, *opt[TCA_TBF_MAX + 1];
	struct attrs at = { tb, TCA_MAX };
	struct link_info *li;
	uint64_t rate = 0;

	if (nlh->nlmsg_type != RTM_NEWQDISC || nlh->nlmsg_len < mnl_nlmsg_size(sizeof(*tcm)) ||
	    tcm->tcm_parent != TC_H_ROOT || !(li = by_index(l, tcm->tcm_ifindex)))
		return MNL_CB_OK;
	mnl_attr_parse(nlh, sizeof(*tcm), put_attr, &at);
	if (!is_str(tb[TCA_KIND]))
		return MNL_CB_OK;
	snprintf(li->qdisc, sizeof(li->qdisc), "%s", mnl_attr_get_str(tb[TCA_KIND]));
	if (strcmp(li->qdisc, "tbf") != 0)
		return MNL_CB_OK;
	parse_nested(tb[TCA_OPTIONS], opt, TCA_TBF_MAX);
	if (opt[TCA_TBF_PARMS] && mnl_attr_get_payload_len(opt[TCA_TBF_PARMS]) >= sizeof(struct tc_tbf_qopt)) {
		struct tc_tbf_qopt q;

		memcpy(&q, mnl_attr_get_payload(opt[TCA_TBF_PARMS]), sizeof(q));
		rate = q.rate.rate;
	}
	if (opt[TCA_TBF_RATE64] && mnl_attr_validate(opt[TCA_TBF_RATE64], MNL_TYPE_U64) >= 0)
		rate = mnl_attr_get_u64(opt[TCA_TBF_RATE64]);
	li->rate_bps = rate * 8;
	return MNL_CB_OK;
}

/* The next part of a dump's answer into buf: its length, or -errno. */
static ssize_t recv_part(int fd, char *buf)
{
	ssize_t n;

	while ((n = recv(fd, buf, DUMP_BUF, 0)) < 0 && errno == EINTR)
		;
	return n < 0 ? -errno : n;
}

/*
 * The rest of a dump the kernel marked interrupted (NLM_F_DUMP_INTR: the namespace changed while
 * it was being read, so the answers may be inconsistent), read and dropped up to its end, the
 * first n bytes already in buf. Returns -EINTR (take it again), or the socket's -errno.
 */
static int drain(int fd, uint32_t seq, char *buf, ssize_t n)
{
	for (;;) {
		int len = (int)n;

		for (const struct nlmsghdr *h = (const void *)buf; mnl_nlmsg_ok(h, len); h = mnl_nlmsg_next(h, &len))
			if (h->nlmsg_seq == seq && (h->nlmsg_type == NLMSG_DONE || h->nlmsg_type == NLMSG_ERROR))
				return -EINTR;
		if ((n = recv_part(fd, buf)) < 0)
			return (int)n;
	}
}

/*
 * One dump on fd: a request of `type` with family header hdr (hlen bytes), every answer through cb
 * until the kernel says done. Returns 0, -EINTR when the kernel marked the dump interrupted (after
 * reading it to its end), or -errno (the kernel's error, or the socket's).
 */
static int dump(int fd, uint32_t seq, uint16_t type, const void *hdr, size_t hlen, mnl_cb_t cb, struct links *l,
		char *buf)
{
	struct sockaddr_nl kernel = { .nl_family = AF_NETLINK };
	struct nlmsghdr *nlh;

	memset(buf, 0, MNL_ALIGN(sizeof(*nlh)) + MNL_ALIGN(hlen));
	nlh = mnl_nlmsg_put_header(buf);
	nlh->nlmsg_type = type;
	nlh->nlmsg_flags = NLM_F_REQUEST | NLM_F_DUMP;
	nlh->nlmsg_seq = seq;
	memcpy(mnl_nlmsg_put_extra_header(nlh, hlen), hdr, hlen);
	if (sendto(fd, nlh, nlh->nlmsg_len, 0, (struct sockaddr *)&kernel, sizeof(kernel)) < 0)
		return -errno;
	for (;;) {
		ssize_t n = recv_part(fd, buf);
		int r;

		if (n < 0)
			return (int)n;
		/* A message of another request fails the dump (EPROTO); none is left behind on a socket
		 * that is used again, as every dump, an interrupted one too, is read to its end. */
		errno = 0;
		r = mnl_cb_run(buf, (size_t)n, seq, 0, cb, l);
		if (r == MNL_CB_STOP)
			return 0;
		if (r == MNL_CB_ERROR && !l->err && errno == EINTR)
			return drain(fd, seq, buf, n);
		if (r == MNL_CB_ERROR)
			return l->err ? l->err : errno ? -errno : -EIO;
	}
}

/* The three dumps on fd into l, the names of masters and lower devices filled in at the end. */
static int dump_all(int fd, const char *ns, struct links *l, struct err *e)
{
	struct ifinfomsg ifm = { .ifi_family = AF_UNSPEC };
	struct ifaddrmsg ifa4 = { .ifa_family = AF_INET }, ifa6 = { .ifa_family = AF_INET6 };
	struct tcmsg tcm = { .tcm_family = AF_UNSPEC };
	char *buf = malloc(DUMP_BUF);
	uint32_t seq = 0x45000000;
	const char *what = "links";
	int r, tries = 0;

	if (!buf)
		return err_set(e, -ENOMEM, ns, "out of memory");
	/*
	 * Addresses one family at a time: a dump of all families at once holds rtnl throughout, which
	 * parallel drift checks (drift_scan.c) then wait on; the per-family dumps run under RCU alone.
	 * A dump the kernel marks interrupted (an address settling after `up`, a link going) starts
	 * all three over, as libnl's cache refill does; a namespace that never holds still is an error.
	 */
	do {
		l->n = 0;
		l->err = 0;
		if ((r = dump(fd, ++seq, RTM_GETLINK, &ifm, sizeof(ifm), on_link, l, buf)) < 0)
			what = "links";
		else if ((r = dump(fd, ++seq, RTM_GETADDR, &ifa4, sizeof(ifa4), on_addr, l, buf)) < 0 ||
			 (r = dump(fd, ++seq, RTM_GETADDR, &ifa6, sizeof(ifa6), on_addr, l, buf)) < 0)
			what = "addresses";
		else if ((r = dump(fd, ++seq, RTM_GETQDISC, &tcm, sizeof(tcm), on_qdisc, l, buf)) < 0)
			what = "qdiscs";
	} while (r == -EINTR && ++tries < DUMP_TRIES);
	free(buf);
	/* Not -EINTR: to the engine that means a stop signal. */
	if (r == -EINTR)
		err_set(e, r = -EAGAIN, ns, "dumping %s failed: the namespace changed during each of %d dumps", what,
			DUMP_TRIES);
	else if (r < 0)
		err_set(e, r, ns, "dumping %s failed: %s", what, strerror(-r));
	for (unsigned i = 0; r == 0 && i < l->n; i++) {
		struct link_info *m = l->refs[i].master ? by_index(l, l->refs[i].master) : NULL;
		struct link_info *p = l->refs[i].lower ? by_index(l, l->refs[i].lower) : NULL;

		if (m)
			snprintf(l->v[i].master, sizeof(l->v[i].master), "%s", m->name);
		if (p)
			snprintf(l->v[i].parent, sizeof(l->v[i].parent), "%s", p->name);
	}
	return r;
}

int link_dump(struct kernel *k, const char *ns, struct link_info **ret, unsigned *ret_n, struct err *e)
{
	struct links l = { 0 };
	struct kernel_ns *n;
	char path[PATH_MAX];
	int fd, nsfd, r;

	if (!kernel_ns_name_valid(ns) && !(ns && strcmp(ns, NS_SELF) == 0))
		return err_set(e, -EINVAL, ns ? ns : "(null)", "invalid namespace name");
	if ((r = kernel_ns_path(ns, path, sizeof(path))) < 0)
		return err_set(e, r, ns, "namespace name too long");
	if ((n = kernel_ns_cached(k, ns, path))) {
		/* A socket of ours is there already (we are changing this namespace): use it. */
		r = dump_all(nl_socket_get_fd(n->sk), ns, &l, e);
	} else {
		if ((nsfd = kernel_open_fd(k, path, O_RDONLY | O_CLOEXEC, 0)) < 0)
			return err_set(e, nsfd, ns, nsfd == -ENOENT ? "namespace not found" : "cannot open %s: %s", path,
				       strerror(-nsfd));
		if (setns(nsfd, CLONE_NEWNET) < 0) {
			r = err_set(e, -errno, ns, "cannot enter namespace %s: %s", path, strerror(errno));
			close(nsfd);
			return r;
		}
		close(nsfd);
		fd = socket(AF_NETLINK, SOCK_RAW | SOCK_CLOEXEC, NETLINK_ROUTE);
		kernel_restore(k);
		if (fd < 0)
			return err_set(e, -errno, ns, "cannot open a netlink socket in the namespace: %s", strerror(errno));
		r = dump_all(fd, ns, &l, e);
		close(fd);
	}
	free(l.refs);
	if (r < 0) {
		free(l.v);
		return r;
	}
	if (!l.v && !(l.v = calloc(1, sizeof(*l.v))))
		return err_set(e, -ENOMEM, ns, "out of memory");
	*ret = l.v;
	*ret_n = l.n;
	return 0;
}
