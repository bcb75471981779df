/* SPDX-License-Identifier: MIT */
#include <stdio.h>
#include <string.h>

#include "core/attach.h"
#include "core/expect.h"

/*
 * Preset ifindexes (docs/DECISIONS.md, speed): the Microsoft end of every veth gets one of its own,
 * so the two ends of a pair differ and the kernel's linkwatch treats their carrier events as urgent.
 */
static int pair_ifindex(bool trunk, enum link_side side, uint16_t vlan)
{
	return trunk ? 1000 + (int)side : 2000 + (int)side * 4096 + vlan;
}
#define VNET_IFINDEX_BASE 3000

static void mark_of(const struct circuit *c, const char *role, char buf[MARK_MAX])
{
	names_mark(c->service_key, role, buf);
}

void expect_ns(const struct circuit *c, enum ns_role role, struct xns *ret)
{
	char r[32];

	names_ns(c, role, ret->name);
	snprintf(r, sizeof(r), "ns:%s", ns_role_name(role));
	mark_of(c, r, ret->mark);
}

void expect_vnet_ns(const struct circuit *c, unsigned vnet, struct xns *ret)
{
	char r[32];

	names_vnet_ns(c, &c->vnets[vnet], ret->name);
	snprintf(r, sizeof(r), "vnet:%s", c->vnets[vnet].name);
	mark_of(c, r, ret->mark);
}

/* The two ends of a veth pair, [0] in ns_a and [1] in ns_b. */
static void veth_pair(struct xlink ret[2], const char *ns_a, const char *name_a, const char *ns_b, const char *name_b,
		      int ifindex, const char *mark, const char *what, uint32_t rate)
{
	memset(ret, 0, 2 * sizeof(*ret));
	for (int i = 0; i < 2; i++) {
		ret[i].kind = XLINK_VETH;
		snprintf(ret[i].ns, sizeof(ret[i].ns), "%s", i ? ns_b : ns_a);
		snprintf(ret[i].name, sizeof(ret[i].name), "%s", i ? name_b : name_a);
		snprintf(ret[i].peer_ns, sizeof(ret[i].peer_ns), "%s", i ? ns_a : ns_b);
		snprintf(ret[i].peer, sizeof(ret[i].peer), "%s", i ? name_a : name_b);
		ret[i].ifindex = ifindex;
		memcpy(ret[i].mark, mark, MARK_MAX);
		ret[i].what = what;
		ret[i].rate_mbps = rate;
	}
}

const char *expect_link_ns(const struct circuit *c, enum ns_role role, char buf[NS_NAME_MAX])
{
	switch (attach_place(c, role)) {
	case PLACE_HOST:
		snprintf(buf, NS_NAME_MAX, "%s", NS_SELF);
		return buf;
	case PLACE_NONE:
		return NULL;
	case PLACE_NS:
		break;
	}
	return names_ns(c, role, buf);
}

/*
 * The two ends of one link between the sides (a trunk: vlan 0, or a peering link on the veth
 * datapath), named `name` in both namespaces, as the circuit's customer side has it (attach.h): a
 * veth pair between the namespaces, a veth pair whose customer end is a bridge port in NS_SELF, or
 * a VXLAN device on this host's side and nothing on the other.
 */
static void link_ends(const struct circuit *c, enum link_side side, uint16_t vlan, const char *name, int ifindex,
		      const char *mark, const char *what, struct xlink ret[_NS_MAX])
{
	char ns[_NS_MAX][NS_NAME_MAX], port[IFNAMSIZ];
	struct attach a;

	for (enum ns_role r = 0; r < _NS_MAX; r++)
		names_ns(c, r, ns[r]);
	attach_of(c, &a);
	if (a.kind == ATTACH_BRIDGE) {
		veth_pair(ret, NS_SELF, attach_port_name(c, side, vlan, port), ns[NS_MICROSOFT], name, ifindex, mark,
			  what, c->bandwidth);
		snprintf(ret[NS_CUSTOMER].master, sizeof(ret[NS_CUSTOMER].master), "%s", a.bridge[side]);
		return;
	}
	if (a.kind == ATTACH_NS) {
		veth_pair(ret, ns[NS_CUSTOMER], name, ns[NS_MICROSOFT], name, ifindex, mark, what, c->bandwidth);
		return;
	}
	memset(ret, 0, _NS_MAX * sizeof(*ret));
	for (enum ns_role r = 0; r < _NS_MAX; r++) {
		if (!attach_ns_here(c, r)) {
			ret[r].kind = XLINK_NONE;
			continue;
		}
		ret[r].kind = XLINK_VXLAN;
		memcpy(ret[r].ns, ns[r], sizeof(ret[r].ns));
		snprintf(ret[r].name, sizeof(ret[r].name), "%s", name);
		ret[r].vni = attach_vni(c, side, vlan);
		attach_tunnel_ends(c, &ret[r].local, &ret[r].remote);
		snprintf(ret[r].underlay, sizeof(ret[r].underlay), "%s", c->underlay_dev);
		memcpy(ret[r].mark, mark, MARK_MAX);
		ret[r].what = what;
		ret[r].rate_mbps = c->bandwidth;
	}
}

void expect_trunk(const struct circuit *c, enum link_side side, struct xlink ret[_NS_MAX])
{
	char role[32], mark[MARK_MAX];
	const char *name = names_trunk(side);

	snprintf(role, sizeof(role), "trunk:%s", name);
	mark_of(c, role, mark);
	link_ends(c, side, 0, name, pair_ifindex(true, side, 0), mark, "trunk", ret);
}

static const char *const peering_what[_ACCESS_MAX] = {
	[ACCESS_PRIVATE] = "private peering",
	[ACCESS_PUBLIC] = "public peering",
	[ACCESS_MICROSOFT] = "microsoft peering",
};

void expect_plink(const struct circuit *c, enum access_type t, enum link_side side, struct xlink ret[_NS_MAX])
{
	const struct peering *p = &c->peerings[t];
	char ns[_NS_MAX][NS_NAME_MAX], role[48], mark[MARK_MAX], ifname[IFNAMSIZ];

	for (enum ns_role r = 0; r < _NS_MAX; r++)
		names_ns(c, r, ns[r]);
	names_plink(side, p->vlan_id, ifname);
	snprintf(role, sizeof(role), "peering:%s:%s", access_type_lower(t), link_side_name(side));
	mark_of(c, role, mark);
	if (c->datapath == DATAPATH_VETH) {
		link_ends(c, side, p->vlan_id, ifname, pair_ifindex(false, side, p->vlan_id), mark, peering_what[t], ret);
	} else {
		memset(ret, 0, _NS_MAX * sizeof(*ret));
		for (enum ns_role r = 0; r < _NS_MAX; r++) {
			/* On bridges the customer's router makes its own VLAN subinterfaces. */
			if (!attach_ns_here(c, r)) {
				ret[r].kind = XLINK_NONE;
				continue;
			}
			ret[r].kind = XLINK_VLAN;
			memcpy(ret[r].ns, ns[r], sizeof(ret[r].ns));
			memcpy(ret[r].name, ifname, sizeof(ret[r].name));
			snprintf(ret[r].parent, sizeof(ret[r].parent), "%s", names_trunk(side));
			ret[r].vlan_id = p->vlan_id;
			memcpy(ret[r].mark, mark, MARK_MAX);
			ret[r].what = peering_what[t];
		}
	}
	/* network+1 on the customer side, +2 on Microsoft's, each family the peering has; only on the
	 * ends in a namespace of the circuit (a bridge's router holds its own). */
	for (int v6 = 0; v6 < 2; v6++) {
		enum subnet_slot s = subnet_slot_of(side, v6);

		if (!(p->has & subnet_slots[s].bit))
			continue;
		for (enum ns_role r = 0; r < _NS_MAX; r++)
			if (attach_ns_here(c, r))
				ret[r].addrs[ret[r].n_addrs++] = cidr_host(peering_subnet(p, s), r == NS_CUSTOMER ? 1 : 2);
	}
}

/* The first space of each family of a VNet: it holds the gateway and the VM. */
static bool first_of_family(const struct vnet *v, unsigned i)
{
	for (unsigned j = 0; j < i; j++)
		if (v->spaces[j].family == v->spaces[i].family)
			return false;
	return true;
}

void expect_vnet_links(const struct circuit *c, unsigned vnet, struct xlink ret[XVNET_LINKS])
{
	const struct vnet *v = &c->vnets[vnet];
	struct xns vns;
	char ms[NS_NAME_MAX], to_v[IFNAMSIZ];

	expect_vnet_ns(c, vnet, &vns);
	names_ns(c, NS_MICROSOFT, ms);
	names_vnet_link(v, to_v);
	veth_pair(ret, vns.name, NAMES_VNET_UPLINK, ms, to_v, VNET_IFINDEX_BASE + (int)vnet, vns.mark,
		  "virtual network", 0);
	memset(&ret[2], 0, sizeof(ret[2]));
	ret[2].kind = XLINK_MACVLAN;
	memcpy(ret[2].ns, vns.name, sizeof(ret[2].ns));
	snprintf(ret[2].name, sizeof(ret[2].name), "%s", NAMES_VM);
	snprintf(ret[2].parent, sizeof(ret[2].parent), "%s", NAMES_VNET_UPLINK);
	memcpy(ret[2].mark, vns.mark, MARK_MAX);
	ret[2].what = "virtual network";
	/* .1, the VNet's gateway, on the Microsoft side; .4, the first VM address (Azure's), on vm. */
	for (unsigned i = 0; i < v->n_spaces; i++) {
		if (!first_of_family(v, i) || ret[1].n_addrs == 2)
			continue;
		ret[1].addrs[ret[1].n_addrs++] = cidr_host(&v->spaces[i], 1);
		ret[2].addrs[ret[2].n_addrs++] = cidr_host(&v->spaces[i], 4);
	}
}

bool expect_vnet_route(const struct circuit *c, unsigned vnet, unsigned i, struct xroute *ret)
{
	const struct vnet *v = &c->vnets[vnet];
	const struct cidr *sp;

	if (i >= v->n_spaces)
		return false;
	sp = &v->spaces[i];
	memset(ret, 0, sizeof(*ret));
	if (first_of_family(v, i)) {
		/* The VNet routes everything via its gateway. */
		names_vnet_ns(c, v, ret->ns);
		ret->dst.family = sp->family;
		ret->gw = cidr_host(sp, 1);
		ret->gw.prefixlen = sp->family == AF_INET ? 32 : 128;
		return true;
	}
	/* The Microsoft edge reaches the first space directly; the others through to-<vnet>. */
	names_ns(c, NS_MICROSOFT, ret->ns);
	ret->dst = *sp;
	names_vnet_link(v, ret->dev);
	return true;
}

/*
 * The ends in groups: the trunks (vlan datapath), each present peering's two links, each VNet's
 * links (on the Microsoft edge's host only). Each group is made once, so a walk of every end costs
 * one making of each link, not one per end before it.
 */
static bool iter_fill(struct xlink_iter *it)
{
	const struct circuit *c = it->c;
	unsigned g = it->group++, trunks = c->datapath == DATAPATH_VLAN ? _LINK_MAX : 0;

	it->at = 0;
	if (g < trunks) {
		expect_trunk(c, (enum link_side)g, it->v);
		it->n = _NS_MAX;
		return true;
	}
	g -= trunks;
	if (g < _ACCESS_MAX * _LINK_MAX) {
		it->n = 0;
		if (c->peering_present[g / _LINK_MAX]) {
			expect_plink(c, (enum access_type)(g / _LINK_MAX), (enum link_side)(g % _LINK_MAX), it->v);
			it->n = _NS_MAX;
		}
		return true;
	}
	g -= _ACCESS_MAX * _LINK_MAX;
	if (!attach_ns_here(c, NS_MICROSOFT) || g >= c->n_vnets)
		return false;
	expect_vnet_links(c, g, it->v);
	it->n = XVNET_LINKS;
	return true;
}

void expect_links_begin(struct xlink_iter *it, const struct circuit *c)
{
	it->c = c;
	it->group = 0;
	it->n = 0;
	it->at = 0;
}

bool expect_link_next(struct xlink_iter *it, struct xlink *ret)
{
	for (;;) {
		while (it->at < it->n) {
			const struct xlink *x = &it->v[it->at++];

			if (x->kind != XLINK_NONE) {
				*ret = *x;
				return true;
			}
		}
		if (!iter_fill(it))
			return false;
	}
}
