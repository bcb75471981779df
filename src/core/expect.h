/* SPDX-License-Identifier: MIT */
#ifndef ERLAB_EXPECT_H
#define ERLAB_EXPECT_H

#include <net/if.h>
#include <stdbool.h>
#include <stdint.h>

#include "core/live.h"
#include "core/model.h"
#include "core/names.h"

/*
 * What a circuit must look like in the kernel (docs/layout.md), said once: the engine's apply
 * builds these objects and its drift check compares the kernel with them. Pure: names, marks,
 * addresses and rates are computed from the circuit, nothing is read.
 */

/* A namespace and the ownership mark its lo carries. */
struct xns {
	char name[NS_NAME_MAX];
	char mark[MARK_MAX];
};

/* XLINK_NONE: an end that is not on this host (core/attach.h); nothing is made or checked for it. */
enum xlink_kind { XLINK_VETH, XLINK_VLAN, XLINK_MACVLAN, XLINK_VXLAN, XLINK_NONE };

/* One end of a link erlab makes. */
struct xlink {
	enum xlink_kind kind;
	char ns[NS_NAME_MAX];        /* NS_SELF: the namespace erlab runs in (a bridge port) */
	char name[IFNAMSIZ];
	char parent[IFNAMSIZ];       /* vlan, macvlan: the lower link, in the same namespace */
	char master[IFNAMSIZ];       /* veth: the bridge this end is plugged into, "" none */
	uint32_t vni;                /* vxlan: made from NS_SELF (its underlay), living in ns */
	struct cidr local, remote;   /* vxlan: underlay addresses (local family 0: the kernel's choice) */
	char underlay[IFNAMSIZ];     /* vxlan: underlay device in NS_SELF, "" = as routed */
	char peer_ns[NS_NAME_MAX];   /* veth: where the other end is, and its name */
	char peer[IFNAMSIZ];
	int ifindex;                 /* veth: the pair's preset ifindex (the kernel layer's peer_ifindex) */
	uint16_t vlan_id;            /* vlan */
	char mark[MARK_MAX];
	const char *what;            /* what it belongs to, for messages: "trunk", "private peering", ... */
	struct cidr addrs[2];        /* with prefix length */
	unsigned n_addrs;
	uint32_t rate_mbps;          /* egress limit (tbf) on this end; 0 = none */
};

/* A static route in a namespace: dst via gw, or (gw.family == 0) onto dev. */
struct xroute {
	char ns[NS_NAME_MAX];
	struct cidr dst;
	struct cidr gw;
	char dev[IFNAMSIZ];
};

void expect_ns(const struct circuit *c, enum ns_role role, struct xns *ret);
void expect_vnet_ns(const struct circuit *c, unsigned vnet, struct xns *ret);

/* The namespace the link ends of role live in on this host (names_ns, or NS_SELF for bridge
 * ports); NULL when they are on another host. */
const char *expect_link_ns(const struct circuit *c, enum ns_role role, char buf[NS_NAME_MAX]);

/* A trunk (vlan datapath): a veth pair, ret[NS_CUSTOMER] and ret[NS_MICROSOFT] its ends; with the
 * customer on bridges the customer end is a port in NS_SELF, on another host each end here is a
 * VXLAN device and the other XLINK_NONE. */
void expect_trunk(const struct circuit *c, enum link_side side, struct xlink ret[_NS_MAX]);
/* The link of peering t on one side: on the vlan datapath a VLAN subinterface of the trunk in each
 * namespace, on the veth datapath a veth pair; the customer end holds network+1, Microsoft's +2. */
void expect_plink(const struct circuit *c, enum access_type t, enum link_side side, struct xlink ret[_NS_MAX]);

/*
 * A linked VNet: the veth into the Microsoft namespace (ret[0] "to-microsoft" in the VNet's
 * namespace, ret[1] "to-<vnet>" in the Microsoft one, holding the VNet's gateway .1 per family)
 * and ret[2], the VM's NIC "vm" (a macvlan on to-microsoft, holding .4 per family).
 */
#define XVNET_LINKS 3
void expect_vnet_links(const struct circuit *c, unsigned vnet, struct xlink ret[XVNET_LINKS]);
/* The VNet's routes in turn (i = 0, 1, ...): false past the last. Its default route via the
 * gateway per family, and in the Microsoft namespace each further space onto to-<vnet>. */
bool expect_vnet_route(const struct circuit *c, unsigned vnet, unsigned i, struct xroute *ret);

/*
 * Every link end of c on this host in turn (trunks, peering links, VNet links): expect_links_begin,
 * then expect_link_next until false. What drift walks; each link is made once.
 */
struct xlink_iter {
	const struct circuit *c;
	unsigned group;                /* the next group of ends to make */
	unsigned n, at;                /* ends of the current group, and the next to give */
	struct xlink v[XVNET_LINKS];
};
void expect_links_begin(struct xlink_iter *it, const struct circuit *c);
bool expect_link_next(struct xlink_iter *it, struct xlink *ret);

#endif
