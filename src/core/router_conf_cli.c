/* SPDX-License-Identifier: MIT */
/*
 * The flavors of the industry-standard CLI: FRR and Cisco IOS-XE say `router bgp`, `neighbor`,
 * `address-family` and `prefix-list` alike, so one writer serves both, differing where the two
 * differ (interfaces, IPv4 networks, static routes for what is advertised).
 *
 * FRR: an integrated frr.conf for FRR 8 (zebra's interfaces, bgpd's sessions), loaded with
 * `vtysh -f` or kept as /etc/frr/frr.conf. Its interfaces carry erlab's own names (primary.<vlan>,
 * secondary.<vlan>), which exist in the customer namespace on both datapaths, so the text runs
 * there unchanged (tests/netns/t_router_frr.sh).
 *
 * IOS-XE: after Azure's router configuration samples — a dot1Q subinterface per peering and link,
 * `router bgp <PeerAsn>`, neighbors in AS 12076 activated per address family, `network`
 * statements with a Null0 route each so they are in the RIB.
 */
#include <net/if.h>

#include "core/names.h"
#include "core/router_conf_int.h"

/* Stand-ins for the ports of the two links on an IOS-XE router. */
static const char *const ios_port[_LINK_MAX] = { "GigabitEthernet0/0/0", "GigabitEthernet0/0/1" };

static bool ios(const struct rc *g)
{
	return g->flavor == ROUTER_IOS_XE;
}

static void put_addr(struct rc *g, const struct rc_session *s)
{
	char a[CIDR_STRLEN], m[16];

	if (s->v6)
		fprintf(g->f, " ipv6 address %s\n", cidr_str(&s->me, a, sizeof(a)));
	else if (ios(g))
		fprintf(g->f, " ip address %s %s\n", cidr_addr_str(&s->me, a, sizeof(a)), rc_mask4(s->me.prefixlen, m));
	else
		fprintf(g->f, " ip address %s\n", cidr_str(&s->me, a, sizeof(a)));
}

static void put_interfaces(struct rc *g)
{
	const struct circuit *c = g->c;

	for (int t = 0; t < _ACCESS_MAX; t++)
		for (int side = 0; side < _LINK_MAX; side++) {
			uint16_t vlan = c->peerings[t].vlan_id;
			char name[IFNAMSIZ];

			if (!rc_present(g, t))
				continue;
			if (ios(g))
				fprintf(g->f, "interface %s.%u\n", ios_port[side], vlan);
			else
				fprintf(g->f, "interface %s\n", names_plink(side, vlan, name));
			fprintf(g->f, " description %s peering, %s link\n", access_type_name(t), link_side_name(side));
			if (ios(g))
				fprintf(g->f, " encapsulation dot1Q %u\n", vlan);
			for (unsigned i = 0; i < g->n; i++)
				if (g->s[i].type == (enum access_type)t && g->s[i].side == (enum link_side)side)
					put_addr(g, &g->s[i]);
			fprintf(g->f, ios(g) ? "!\n" : "exit\n!\n");
		}
}

static void put_neighbors(struct rc *g)
{
	const struct circuit *c = g->c;

	for (unsigned i = 0; i < g->n; i++) {
		const struct rc_session *s = &g->s[i];
		const struct peering *p = &c->peerings[s->type];
		char a[CIDR_STRLEN];

		cidr_addr_str(&s->peer, a, sizeof(a));
		fprintf(g->f, " neighbor %s remote-as %u\n", a, AZURE_ASN);
		fprintf(g->f, " neighbor %s description %s peering, %s link\n", a, access_type_name(s->type),
			link_side_name(s->side));
		/* A peering of another AS than the router's: that AS towards this neighbor only. */
		if (rc_other_as(g, s))
			fprintf(g->f, " neighbor %s local-as %u no-prepend replace-as\n", a, p->peer_asn);
		if ((p->has & PEERING_HAS_SHARED_KEY) && p->shared_key[0])
			fprintf(g->f, " neighbor %s password %s\n", a, p->shared_key);
	}
}

static void put_network(struct rc *g, const struct cidr *p)
{
	char a[CIDR_STRLEN], m[16];

	if (ios(g) && p->family == AF_INET)
		fprintf(g->f, "  network %s mask %s\n", cidr_addr_str(p, a, sizeof(a)), rc_mask4(p->prefixlen, m));
	else
		fprintf(g->f, "  network %s\n", cidr_str(p, a, sizeof(a)));
}

static void put_family(struct rc *g, bool v6)
{
	int family = v6 ? AF_INET6 : AF_INET;
	char a[CIDR_STRLEN], name[32];

	fprintf(g->f, " !\n address-family %s%s\n", v6 ? "ipv6" : "ipv4", ios(g) ? "" : " unicast");
	for (int t = 0; t < _ACCESS_MAX; t++)
		for (unsigned i = 0; i < rc_adv_count(g, t); i++)
			if (rc_adv_at(g, t, i)->family == family && rc_adv_first(g, t, i))
				put_network(g, rc_adv_at(g, t, i));
	for (unsigned i = 0; i < g->n; i++) {
		const struct rc_session *s = &g->s[i];

		if (s->v6 != v6)
			continue;
		cidr_addr_str(&s->peer, a, sizeof(a));
		fprintf(g->f, "  neighbor %s activate\n", a);
		fprintf(g->f, "  neighbor %s prefix-list %s out\n", a, rc_out_name(s->type, v6, name, sizeof(name)));
	}
	/* Both links at once: Azure's two links are active-active. */
	fprintf(g->f, "  maximum-paths 2\n exit-address-family\n");
}

/* IOS-XE advertises a `network` only when the RIB has it: a discard route for each, as BIRD's
 * blackholes (FRR is told `no bgp network import-check` instead). */
static void put_null_routes(struct rc *g)
{
	char a[CIDR_STRLEN], m[16];
	bool any = false;

	for (int t = 0; t < _ACCESS_MAX; t++)
		for (unsigned i = 0; i < rc_adv_count(g, t); i++) {
			const struct cidr *p = rc_adv_at(g, t, i);

			if (!rc_adv_first(g, t, i))
				continue;
			if (p->family == AF_INET)
				fprintf(g->f, "ip route %s %s Null0\n", cidr_addr_str(p, a, sizeof(a)),
					rc_mask4(p->prefixlen, m));
			else
				fprintf(g->f, "ipv6 route %s Null0\n", cidr_str(p, a, sizeof(a)));
			any = true;
		}
	if (any)
		fprintf(g->f, "!\n");
}

/* What each peering advertises, per family: the outbound filter of its neighbors. */
static void put_prefix_lists(struct rc *g)
{
	char a[CIDR_STRLEN], name[32];

	for (int v6 = 0; v6 < 2; v6++)
		for (int t = 0; t < _ACCESS_MAX; t++) {
			const char *ip = v6 ? "ipv6" : "ip";
			unsigned seq = 0;

			if (!rc_has_family(g, t, v6))
				continue;
			rc_out_name(t, v6, name, sizeof(name));
			for (unsigned i = 0; i < rc_adv_count(g, t); i++) {
				const struct cidr *p = rc_adv_at(g, t, i);

				if (p->family == (v6 ? AF_INET6 : AF_INET))
					fprintf(g->f, "%s prefix-list %s seq %u permit %s\n", ip, name, seq += 5,
						cidr_str(p, a, sizeof(a)));
			}
			if (!seq)
				fprintf(g->f, "%s prefix-list %s seq 5 deny %s\n", ip, name,
					v6 ? "::/0 le 128" : "0.0.0.0/0 le 32");
		}
}

static void frr_preamble(struct rc *g)
{
	fprintf(g->f, "! Load it into running zebra and bgpd with `vtysh -f FILE`, or use it as /etc/frr/frr.conf.\n");
	rc_links_note(g, "! ");
	fprintf(g->f, "frr defaults traditional\n!\n");
	/* The kernel drops a nexthop from its groups when the link goes administratively down, as
	 * `erlab link down` takes it; FRR 8's zebra does not put it back on `link up`, and ECMP
	 * stays on one link. Plain multipath routes have no such state. */
	fprintf(g->f, "! Plain multipath routes: after a link comes back, kernel nexthop groups would keep\n"
		"! only the other link (FRR 8).\nno zebra nexthop kernel enable\n!\n");
}

static void ios_preamble(struct rc *g)
{
	fprintf(g->f, "! %s stands for the primary link's port and %s for the secondary's:\n"
		"! put your own. Azure recommends a router per link; each then keeps its link's half.\n!\n",
		ios_port[LINK_PRIMARY], ios_port[LINK_SECONDARY]);
	if (g->fam[1])
		fprintf(g->f, "ipv6 unicast-routing\n!\n");
}

void rc_cli(struct rc *g)
{
	rc_header(g, NULL, "! ", NULL);
	if (ios(g))
		ios_preamble(g);
	else
		frr_preamble(g);
	put_interfaces(g);
	fprintf(g->f, "router bgp %u\n bgp router-id %s\n bgp log-neighbor-changes\n", g->asn, g->rid);
	/* FRR: its RFC 8212 default takes nothing in without an inbound policy, and inbound takes
	 * all (as the customer BIRD's `import all`); what is advertised needs no route of its own
	 * (as BIRD's blackholes, never installed). */
	if (!ios(g))
		fprintf(g->f, " no bgp ebgp-requires-policy\n");
	fprintf(g->f, " no bgp default ipv4-unicast\n");
	if (!ios(g))
		fprintf(g->f, " no bgp network import-check\n");
	put_neighbors(g);
	for (int v6 = 0; v6 < 2; v6++)
		if (g->fam[v6])
			put_family(g, v6);
	fprintf(g->f, ios(g) ? "!\n" : "exit\n!\n");
	if (ios(g))
		put_null_routes(g);
	put_prefix_lists(g);
	if (ios(g))
		fprintf(g->f, "!\nend\n");
}
