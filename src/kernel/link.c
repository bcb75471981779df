/* SPDX-License-Identifier: MIT */
#include <arpa/inet.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <linux/pkt_sched.h>
#include <linux/rtnetlink.h>
#include <net/if.h>
#include <netlink/cache.h>
#include <netlink/route/addr.h>
#include <netlink/route/rtnl.h>
#include <netlink/route/link.h>
#include <netlink/route/qdisc.h>
#include <netlink/route/qdisc/tbf.h>
#include <netlink/route/tc.h>
#include <netlink/route/link/veth.h>
#include <netlink/route/link/vlan.h>
#include <netlink/route/link/macvlan.h>
#include <netlink/route/link/vxlan.h>
#include <linux/if_link.h>

#include "kernel/nl_int.h"

/* The a end of a hinted veth pair: its ifindex is the hint plus this. */
#define VETH_A_OFFSET 100000

static const char *what(char *buf, const char *ns, const char *name)
{
	snprintf(buf, WHAT_MAX, "%s/%s", ns ? ns : "(null)", name);
	return buf;
}

static bool ifname_valid(const char *name)
{
	size_t len = name ? strlen(name) : 0;

	return len > 0 && len < IFNAMSIZ && !strchr(name, '/');
}

int kernel_link_begin(struct kernel *k, const char *ns, const char *name, char w[WHAT_MAX], struct kernel_ns **ret,
		      struct err *e)
{
	what(w, ns, name ? name : "(null)");
	if (!ifname_valid(name))
		return err_set(e, -EINVAL, w, "invalid interface name");
	return kernel_ns_get(k, ns, ret, e);
}

static void kernel_ns_forget(struct kernel_ns *n, const char *name)
{
	for (unsigned i = 0; i < sizeof(n->known) / sizeof(n->known[0]); i++)
		if (n->known[i].ifindex && strcmp(n->known[i].name, name) == 0)
			n->known[i].ifindex = 0;
}

static void kernel_ns_learn(struct kernel_ns *n, const char *name, int ifindex)
{
	unsigned i = n->n_known++ % (sizeof(n->known) / sizeof(n->known[0]));

	kernel_ns_forget(n, name);
	snprintf(n->known[i].name, sizeof(n->known[i].name), "%s", name);
	n->known[i].ifindex = ifindex;
}

int kernel_ns_index(struct kernel *k, struct kernel_ns *n, const char *name, int *ret_ifindex)
{
	for (unsigned i = 0; i < sizeof(n->known) / sizeof(n->known[0]); i++) {
		if (n->known[i].ifindex && strcmp(n->known[i].name, name) == 0) {
			*ret_ifindex = n->known[i].ifindex;
			return 0;
		}
	}
	return kernel_link_index(k, n->sk, name, ret_ifindex);
}

int kernel_link_index(struct kernel *k, struct nl_sock *sk, const char *name, int *ret_ifindex)
{
	struct rtnl_link *link;
	int r;

	kernel_ack_reset(k);
	r = rtnl_link_get_kernel(sk, 0, name, &link);
	if (r < 0)
		return kernel_errno(k, r);
	*ret_ifindex = rtnl_link_get_ifindex(link);
	rtnl_link_put(link);
	return 0;
}

/* One RTM_NEWLINK on an existing link found by name (ifindex 0 + IFLA_IFNAME). */
static int link_change(struct kernel *k, struct nl_sock *sk, const char *name, struct rtnl_link *changes)
{
	struct rtnl_link *orig;
	int r;

	orig = rtnl_link_alloc();
	if (!orig)
		return -ENOMEM;
	rtnl_link_set_name(changes, name);
	kernel_ack_reset(k);
	r = rtnl_link_change(sk, orig, changes, 0);
	rtnl_link_put(orig);
	return kernel_errno(k, r);
}

int kernel_link_up(struct kernel *k, struct nl_sock *sk, const char *name, bool up, const char *alias)
{
	struct rtnl_link *changes;
	int r;

	changes = rtnl_link_alloc();
	if (!changes)
		return -ENOMEM;
	if (up)
		rtnl_link_set_flags(changes, IFF_UP);
	else
		rtnl_link_unset_flags(changes, IFF_UP);
	if (alias)
		rtnl_link_set_ifalias(changes, alias);
	r = link_change(k, sk, name, changes);
	rtnl_link_put(changes);
	return r;
}

/*
 * One transmit and one receive queue on each end, asked for at creation. Without them the kernel
 * makes one per possible CPU and veth_init_queues then cuts them to one on the registered device,
 * and that cut waits for an RCU grace period (synchronize_net) under rtnl: a third of `up`'s time
 * on this machine (bench/README.md). The cost is that `ethtool -L` cannot raise them later.
 */
static void veth_one_queue(struct rtnl_link *l)
{
	rtnl_link_set_num_tx_queues(l, 1);
	rtnl_link_set_num_rx_queues(l, 1);
}

int kernel_veth_create(struct kernel *k, struct nl_sock *sk, const char *name, int ifindex,
		       const char *peer, int peer_ns_fd, int peer_ifindex)
{
	struct rtnl_link *link, *p;
	int r;

	link = rtnl_link_veth_alloc();
	if (!link)
		return -ENOMEM;
	p = rtnl_link_veth_get_peer(link);
	rtnl_link_set_name(link, name);
	if (ifindex)
		rtnl_link_set_ifindex(link, ifindex);
	/* IFF_UP on the peer in the same request fails (ENOTCONN): it comes up in a second one. */
	rtnl_link_set_flags(link, IFF_UP);
	rtnl_link_set_name(p, peer);
	veth_one_queue(link);
	veth_one_queue(p);
	/* Without a namespace attribute the peer lands in the socket's namespace. */
	if (peer_ns_fd >= 0)
		rtnl_link_set_ns_fd(p, peer_ns_fd);
	if (peer_ifindex)
		rtnl_link_set_ifindex(p, peer_ifindex);
	kernel_ack_reset(k);
	r = rtnl_link_add(sk, link, NLM_F_CREATE | NLM_F_EXCL);
	rtnl_link_put(p);
	rtnl_link_put(link);
	return kernel_errno(k, r);
}

int kernel_vlan_create(struct kernel *k, struct nl_sock *sk, int parent_ifindex, const char *name,
		       uint16_t vlan_id)
{
	struct rtnl_link *link;
	int r;

	link = rtnl_link_vlan_alloc();
	if (!link)
		return -ENOMEM;
	rtnl_link_set_name(link, name);
	rtnl_link_set_link(link, parent_ifindex);
	rtnl_link_set_flags(link, IFF_UP);
	r = rtnl_link_vlan_set_id(link, vlan_id);
	if (r < 0) {
		r = kernel_errno(k, r);
		goto out;
	}
	kernel_ack_reset(k);
	r = kernel_errno(k, rtnl_link_add(sk, link, NLM_F_CREATE | NLM_F_EXCL));
out:
	rtnl_link_put(link);
	return r;
}

/*
 * The kernel honours the peer's ifindex only when the request also gives the main device one
 * (veth_newlink: `if (ifmp && (dev->ifindex != 0))`). So with a hint the b end is the main device:
 * created from ns_b's socket with the hinted index, and the a end is its peer with any index.
 * IFLA_IFALIAS is ignored at creation (rtnl_create_link does not read it; checked on 6.18), so
 * aliases are set in the requests that bring the ends up.
 */
int link_add_veth(struct kernel *k, const char *ns_a, const char *name_a,
		  const char *ns_b, const char *name_b, int peer_ifindex,
		  const char *mark, struct err *e)
{
	struct kernel_ns *a, *b, *main_ns, *peer_ns;
	const char *main_name, *peer_name, *main_ns_name, *peer_ns_name;
	char w[WHAT_MAX];
	int r, a_index;

	if (!ifname_valid(name_a) || !ifname_valid(name_b))
		return err_set(e, -EINVAL, what(w, ns_a, name_a ? name_a : "(null)"),
				  "invalid interface name for veth peer %s", name_b ? name_b : "(null)");
	r = kernel_ns_get(k, ns_a, &a, e);
	if (r < 0)
		return r;
	r = kernel_ns_get(k, ns_b, &b, e);
	if (r < 0)
		return r;
	/* Whatever was known of these names is of links gone by now (a veth's peer dies unseen). */
	kernel_ns_forget(a, name_a);
	kernel_ns_forget(b, name_b);
	if (peer_ifindex) {
		main_ns = b, main_ns_name = ns_b, main_name = name_b;
		peer_ns = a, peer_ns_name = ns_a, peer_name = name_a;
	} else {
		main_ns = a, main_ns_name = ns_a, main_name = name_a;
		peer_ns = b, peer_ns_name = ns_b, peer_name = name_b;
	}
	/*
	 * With a hint both ends get known indexes (the a end the hint + VETH_A_OFFSET, never equal to
	 * the b end's), so the addresses and qdiscs that follow need no lookup. An index already
	 * taken (EBUSY) falls back to the kernel's choice, the a end's first.
	 */
	a_index = peer_ifindex ? peer_ifindex + VETH_A_OFFSET : 0;
	r = kernel_veth_create(k, main_ns->sk, main_name, peer_ifindex, peer_name, peer_ns->fd, a_index);
	if (peer_ifindex && (r == -EBUSY || r == -EEXIST)) {
		a_index = 0;
		r = kernel_veth_create(k, main_ns->sk, main_name, peer_ifindex, peer_name, peer_ns->fd, 0);
	}
	if (peer_ifindex && (r == -EBUSY || r == -EEXIST)) {
		main_ns = a, main_ns_name = ns_a, main_name = name_a;
		peer_ns = b, peer_ns_name = ns_b, peer_name = name_b;
		r = kernel_veth_create(k, main_ns->sk, main_name, 0, peer_name, peer_ns->fd, 0);
	} else if (peer_ifindex && r == 0) {
		kernel_ns_learn(b, name_b, peer_ifindex);
		if (a_index)
			kernel_ns_learn(a, name_a, a_index);
	}
	if (r < 0)
		return kernel_fail(k, e, r, what(w, ns_a, name_a), "creating veth pair %s (peer %s/%s) failed",
				   name_a, ns_b, name_b);
	r = kernel_link_up(k, peer_ns->sk, peer_name, true, mark && *mark ? mark : NULL);
	if (r < 0) {
		kernel_fail(k, e, r, what(w, peer_ns_name, peer_name), "bringing up veth end %s failed", peer_name);
		goto out_del;
	}
	if (mark && *mark) {
		r = kernel_link_up(k, main_ns->sk, main_name, true, mark);
		if (r < 0) {
			kernel_fail(k, e, r, what(w, main_ns_name, main_name), "setting alias \"%s\" failed", mark);
			goto out_del;
		}
	}
	return 0;

out_del:
	/* Deleting one end takes the pair. */
	link_del(k, main_ns_name, main_name, NULL);
	return r;
}

int link_add_vlan(struct kernel *k, const char *ns, const char *parent, const char *name,
		  uint16_t vlan_id, const char *mark, struct err *e)
{
	struct kernel_ns *n;
	char w[WHAT_MAX];
	int r, parent_ifindex = 0;

	if (!ifname_valid(name) || !ifname_valid(parent))
		return err_set(e, -EINVAL, what(w, ns, name ? name : "(null)"), "invalid interface name");
	r = kernel_ns_get(k, ns, &n, e);
	if (r < 0)
		return r;
	/* The trunk's index is known from its creation: no lookup per VLAN. */
	r = kernel_ns_index(k, n, parent, &parent_ifindex);
	if (r == 0)
		r = kernel_vlan_create(k, n->sk, parent_ifindex, name, vlan_id);
	if (r == -ENODEV)
		return kernel_fail(k, e, r, what(w, ns, name), "creating vlan %u failed: parent %s not found",
				   vlan_id, parent);
	if (r < 0)
		return kernel_fail(k, e, r, what(w, ns, name), "creating vlan %u on %s failed", vlan_id, parent);
	if (mark && *mark) {
		r = kernel_link_up(k, n->sk, name, true, mark);
		if (r < 0) {
			kernel_fail(k, e, r, what(w, ns, name), "setting alias \"%s\" failed", mark);
			link_del(k, ns, name, NULL);
			return r;
		}
	}
	return 0;
}

int link_add_vxlan(struct kernel *k, const char *ns, const char *name, uint32_t vni, const struct cidr *local,
		   const struct cidr *remote, const char *underlay, const char *mark, struct err *e)
{
	struct nl_addr *rem = NULL, *loc = NULL;
	struct kernel_ns *self, *n;
	struct rtnl_link *link;
	char w[WHAT_MAX], addr[CIDR_STRLEN];
	int r, under = 0;

	if ((r = kernel_link_begin(k, ns, name, w, &n, e)) < 0 || (r = kernel_ns_get(k, NS_SELF, &self, e)) < 0)
		return r;
	if (underlay && *underlay && (r = kernel_link_index(k, self->sk, underlay, &under)) < 0)
		return kernel_fail(k, e, r, w, "creating VXLAN %u failed: underlay device %s not found", vni, underlay);
	if (!(link = rtnl_link_vxlan_alloc()) ||
	    !(rem = nl_addr_build(remote->family, remote->addr, remote->family == AF_INET ? 4 : 16)) ||
	    (local->family && !(loc = nl_addr_build(local->family, local->addr, local->family == AF_INET ? 4 : 16)))) {
		r = err_set(e, -ENOMEM, w, "out of memory");
		goto out;
	}
	rtnl_link_set_name(link, name);
	/* Made from our own namespace, so its UDP socket is there; the device goes to ns. */
	rtnl_link_set_ns_fd(link, n->fd);
	if ((r = rtnl_link_vxlan_set_id(link, vni)) < 0 || (r = rtnl_link_vxlan_set_group(link, rem)) < 0 ||
	    (loc && (r = rtnl_link_vxlan_set_local(link, loc)) < 0) ||
	    (under && (r = rtnl_link_vxlan_set_link(link, (uint32_t)under)) < 0) ||
	    (r = rtnl_link_vxlan_set_port(link, 4789)) < 0) {
		r = kernel_fail(k, e, kernel_errno(k, r), w, "creating VXLAN %u failed", vni);
		goto out;
	}
	kernel_ack_reset(k);
	kernel_ns_forget(n, name);
	r = kernel_errno(k, rtnl_link_add(self->sk, link, NLM_F_CREATE | NLM_F_EXCL));
	if (r < 0) {
		kernel_fail(k, e, r, w, "creating VXLAN %u to %s failed%s", vni, cidr_addr_str(remote, addr, sizeof(addr)),
			    r == -EEXIST ? " (a device of that name, or a VXLAN with that VNI, exists already)" : "");
		goto out;
	}
	if ((r = kernel_link_up(k, n->sk, name, true, mark && *mark ? mark : NULL)) < 0) {
		kernel_fail(k, e, r, w, "bringing up VXLAN %u failed", vni);
		link_del(k, ns, name, NULL);
	}
out:
	nl_addr_put(loc);
	nl_addr_put(rem);
	rtnl_link_put(link);
	return r;
}

/* The ifindex of bridge `master` in n's namespace; -ENOENT or -EMEDIUMTYPE naming it otherwise. */
static int bridge_index(struct kernel *k, struct kernel_ns *n, const char *w, const char *master, int *ret,
			struct err *e)
{
	struct rtnl_link *br = NULL;
	const char *type;
	int r;

	if (!ifname_valid(master))
		return err_set(e, -EINVAL, w, "invalid bridge name");
	kernel_ack_reset(k);
	if ((r = kernel_errno(k, rtnl_link_get_kernel(n->sk, 0, master, &br))) < 0) {
		if (r != -ENODEV)
			return kernel_fail(k, e, r, w, "reading bridge %s failed", master);
		err_set(e, -ENOENT, w, "bridge %s not found", master);
		err_detail(e, "erlab plugs into an existing bridge and never makes one: ip link add %s type bridge",
			   master);
		return -ENOENT;
	}
	type = rtnl_link_get_type(br);
	*ret = rtnl_link_get_ifindex(br);
	r = type && strcmp(type, "bridge") == 0 ? 0 : -EMEDIUMTYPE;
	if (r < 0)
		err_set(e, r, w, "%s is not a bridge (a %s link)", master, type ? type : "plain");
	rtnl_link_put(br);
	return r;
}

int link_check_bridge(struct kernel *k, const char *ns, const char *name, struct err *e)
{
	struct kernel_ns *n;
	char w[WHAT_MAX];
	int r, index;

	if ((r = kernel_link_begin(k, ns, name, w, &n, e)) < 0)
		return r;
	return bridge_index(k, n, w, name, &index, e);
}

int link_set_master(struct kernel *k, const char *ns, const char *name, const char *master, struct err *e)
{
	struct rtnl_link *changes;
	struct kernel_ns *n;
	char w[WHAT_MAX];
	int r, index;

	if ((r = kernel_link_begin(k, ns, name, w, &n, e)) < 0 || (r = bridge_index(k, n, w, master, &index, e)) < 0)
		return r;
	if (!(changes = rtnl_link_alloc()))
		return err_set(e, -ENOMEM, w, "out of memory");
	rtnl_link_set_master(changes, index);
	r = link_change(k, n->sk, name, changes);
	rtnl_link_put(changes);
	if (r < 0)
		return kernel_fail(k, e, r, w, "plugging into bridge %s failed", master);
	return 0;
}

int link_del(struct kernel *k, const char *ns, const char *name, struct err *e)
{
	struct rtnl_link *link;
	struct kernel_ns *n;
	char w[WHAT_MAX];
	int r;

	if ((r = kernel_link_begin(k, ns, name, w, &n, e)) < 0)
		return r;
	link = rtnl_link_alloc();
	if (!link)
		return err_set(e, -ENOMEM, what(w, ns, name), "out of memory");
	rtnl_link_set_name(link, name);
	kernel_ack_reset(k);
	kernel_ns_forget(n, name);
	r = kernel_errno(k, rtnl_link_delete(n->sk, link));
	rtnl_link_put(link);
	if (r < 0)
		return kernel_fail(k, e, r, what(w, ns, name), r == -ENODEV ? "link not found" : "deleting link failed");
	return 0;
}

int link_del_marked(struct kernel *k, const char *ns, const char *mark, unsigned *ret_n, struct err *e)
{
	struct nl_cache *links = NULL;
	struct kernel_ns *n;
	unsigned deleted = 0;
	int r;

	if ((r = kernel_ns_get(k, ns, &n, e)) < 0)
		return r;
	kernel_ack_reset(k);
	if ((r = kernel_errno(k, rtnl_link_alloc_cache(n->sk, AF_UNSPEC, &links))) < 0)
		return kernel_fail(k, e, r, ns, "dumping links failed");
	for (struct nl_object *o = nl_cache_get_first(links); o; o = nl_cache_get_next(o)) {
		struct rtnl_link *l = (struct rtnl_link *)o;
		const char *alias = rtnl_link_get_ifalias(l), *name = rtnl_link_get_name(l);
		char w[WHAT_MAX];

		if (!alias || strcmp(alias, mark) != 0)
			continue;
		kernel_ns_forget(n, name ? name : "");
		kernel_ack_reset(k);
		r = kernel_errno(k, rtnl_link_delete(n->sk, l));
		/* A veth's other end, deleted with its peer a moment ago. */
		if (r == -ENODEV)
			continue;
		if (r < 0) {
			kernel_fail(k, e, r, what(w, ns, name ? name : "?"), "deleting link failed");
			goto out;
		}
		deleted++;
	}
	r = 0;
	if (ret_n)
		*ret_n = deleted;
out:
	nl_cache_free(links);
	return r;
}

int link_set_up(struct kernel *k, const char *ns, const char *name, bool up, struct err *e)
{
	struct kernel_ns *n;
	char w[WHAT_MAX];
	int r;

	if ((r = kernel_link_begin(k, ns, name, w, &n, e)) < 0)
		return r;
	r = kernel_link_up(k, n->sk, name, up, NULL);
	if (r < 0)
		return kernel_fail(k, e, r, what(w, ns, name), "setting link %s failed", up ? "up" : "down");
	return 0;
}

/*
 * veth has no ndo_change_carrier (IFLA_CARRIER gives EOPNOTSUPP, checked on 6.18); its carrier
 * is "both ends up". So a veth end loses carrier by going administratively down, which also
 * drops its peer's carrier: a link failure as both sides see it. (The peer could be taken down
 * instead, but it may sit in a namespace we have no handle on: RTM_SETLINK with
 * IFLA_TARGET_NETNSID *moves* a device there rather than changing it.)
 */
int link_set_carrier(struct kernel *k, const char *ns, const char *name, bool on, struct err *e)
{
	struct rtnl_link *link, *changes;
	struct kernel_ns *n;
	char w[WHAT_MAX];
	bool veth;
	int r;

	if ((r = kernel_link_begin(k, ns, name, w, &n, e)) < 0)
		return r;
	/* The kind decides: a veth has no IFLA_CARRIER (see above), so asking first would waste a request. */
	kernel_ack_reset(k);
	if ((r = kernel_errno(k, rtnl_link_get_kernel(n->sk, 0, name, &link))) < 0)
		return kernel_fail(k, e, r, w, "setting carrier %s failed", on ? "on" : "off");
	/* A VXLAN device has no carrier to set either: down, it neither sends nor takes a frame. */
	veth = rtnl_link_get_type(link) && (strcmp(rtnl_link_get_type(link), "veth") == 0 ||
					    strcmp(rtnl_link_get_type(link), "vxlan") == 0);
	rtnl_link_put(link);
	if (veth) {
		r = kernel_link_up(k, n->sk, name, on, NULL);
	} else {
		if (!(changes = rtnl_link_alloc()))
			return err_set(e, -ENOMEM, w, "out of memory");
		rtnl_link_set_carrier(changes, on ? 1 : 0);
		r = link_change(k, n->sk, name, changes);
		rtnl_link_put(changes);
	}
	if (r < 0)
		return kernel_fail(k, e, r, w, "setting carrier %s failed", on ? "on" : "off");
	return 0;
}

int link_set_alias(struct kernel *k, const char *ns, const char *name, const char *alias, struct err *e)
{
	struct rtnl_link *changes;
	struct kernel_ns *n;
	char w[WHAT_MAX];
	int r;

	if ((r = kernel_link_begin(k, ns, name, w, &n, e)) < 0)
		return r;
	changes = rtnl_link_alloc();
	if (!changes)
		return err_set(e, -ENOMEM, what(w, ns, name), "out of memory");
	rtnl_link_set_ifalias(changes, alias ? alias : "");
	r = link_change(k, n->sk, name, changes);
	rtnl_link_put(changes);
	if (r < 0)
		return kernel_fail(k, e, r, what(w, ns, name), "setting alias \"%s\" failed", alias ? alias : "");
	return 0;
}

/* A macvlan `name` on `parent` (same namespace), alias `mark`, up: the "vm" NIC of a VNet. */
int link_add_macvlan(struct kernel *k, const char *ns, const char *parent, const char *name, const char *mark,
		     struct err *e)
{
	struct rtnl_link *link;
	struct kernel_ns *n;
	char w[WHAT_MAX];
	int ifindex = 0, r;

	if (!ifname_valid(name) || !ifname_valid(parent))
		return err_set(e, -EINVAL, what(w, ns, name ? name : "(null)"), "invalid interface name");
	if ((r = kernel_ns_get(k, ns, &n, e)) < 0)
		return r;
	if ((r = kernel_ns_index(k, n, parent, &ifindex)) < 0)
		return kernel_fail(k, e, r, what(w, ns, name), "creating macvlan failed: parent %s not found", parent);
	if (!(link = rtnl_link_macvlan_alloc()))
		return err_set(e, -ENOMEM, what(w, ns, name), "out of memory");
	rtnl_link_set_name(link, name);
	rtnl_link_set_link(link, ifindex);
	rtnl_link_set_flags(link, IFF_UP);
	rtnl_link_macvlan_set_mode(link, MACVLAN_MODE_BRIDGE);
	kernel_ack_reset(k);
	r = kernel_errno(k, rtnl_link_add(n->sk, link, NLM_F_CREATE | NLM_F_EXCL));
	rtnl_link_put(link);
	if (r < 0)
		return kernel_fail(k, e, r, what(w, ns, name), "creating macvlan on %s failed", parent);
	if (mark && *mark && (r = kernel_link_up(k, n->sk, name, true, mark)) < 0) {
		kernel_fail(k, e, r, what(w, ns, name), "setting alias \"%s\" failed", mark);
		link_del(k, ns, name, NULL);
		return r;
	}
	return 0;
}

/* One RTM_GETLINK for one link's alias (cheaper than a dump when only the mark matters). */
int link_get_alias(struct kernel *k, const char *ns, const char *name, char *buf, size_t len, struct err *e)
{
	struct rtnl_link *link = NULL;
	struct kernel_ns *n;
	const char *alias;
	char w[WHAT_MAX];
	int r;

	buf[0] = '\0';
	if ((r = kernel_link_begin(k, ns, name, w, &n, e)) < 0)
		return r;
	kernel_ack_reset(k);
	r = kernel_errno(k, rtnl_link_get_kernel(n->sk, 0, name, &link));
	if (r < 0)
		return kernel_fail(k, e, r, what(w, ns, name), "reading the link failed");
	alias = rtnl_link_get_ifalias(link);
	snprintf(buf, len, "%s", alias ? alias : "");
	rtnl_link_put(link);
	return 0;
}
