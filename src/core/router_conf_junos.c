/* SPDX-License-Identifier: MIT */
/*
 * The Junos flavor, after Azure's router configuration samples for Juniper MX: a VLAN-tagged unit
 * per peering on each link's port (unit number = VLAN ID), a BGP group per peering and family with
 * `peer-as 12076` and the SharedKey as `authentication-key`, an export policy per group of exactly
 * what that peering advertises, and a discard static route for each such prefix so the policy has
 * a route to export. Hierarchical text, as `show configuration` prints it (`load merge terminal`).
 */
#include <stdarg.h>

#include "core/router_conf_int.h"

/* Stand-ins for the ports of the two links on an MX. */
static const char *const port[_LINK_MAX] = { "xe-0/0/0", "xe-0/0/1" };

static void line(struct rc *g, int depth, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
static void line(struct rc *g, int depth, const char *fmt, ...)
{
	va_list ap;

	fprintf(g->f, "%*s", depth * 4, "");
	va_start(ap, fmt);
	vfprintf(g->f, fmt, ap);
	va_end(ap);
	fputc('\n', g->f);
}

static void put_interfaces(struct rc *g)
{
	char a[CIDR_STRLEN];

	line(g, 0, "interfaces {");
	for (int side = 0; side < _LINK_MAX; side++) {
		line(g, 1, "%s {", port[side]);
		line(g, 2, "description \"%s link\";", link_side_name(side));
		line(g, 2, "vlan-tagging;");
		for (int t = 0; t < _ACCESS_MAX; t++) {
			uint16_t vlan = g->c->peerings[t].vlan_id;

			if (!rc_present(g, t))
				continue;
			line(g, 2, "unit %u {", vlan);
			line(g, 3, "description \"%s peering, %s link\";", access_type_name(t), link_side_name(side));
			line(g, 3, "vlan-id %u;", vlan);
			for (unsigned i = 0; i < g->n; i++) {
				const struct rc_session *s = &g->s[i];

				if (s->type != (enum access_type)t || s->side != (enum link_side)side)
					continue;
				line(g, 3, "family %s {", s->v6 ? "inet6" : "inet");
				line(g, 4, "address %s;", cidr_str(&s->me, a, sizeof(a)));
				line(g, 3, "}");
			}
			line(g, 2, "}");
		}
		line(g, 1, "}");
	}
	line(g, 0, "}");
}

/* Is the i-th prefix of peering t one that gets a discard route: of a family with sessions, the
 * first time it is seen? */
static bool static_route(const struct rc *g, enum access_type t, unsigned i, bool v6)
{
	const struct cidr *p = rc_adv_at(g, t, i);

	return (p->family == AF_INET6) == v6 && rc_adv_first(g, t, i);
}

static bool any_static(const struct rc *g, bool v6)
{
	for (int t = 0; t < _ACCESS_MAX; t++)
		for (unsigned i = 0; i < rc_adv_count(g, t); i++)
			if (static_route(g, t, i, v6))
				return true;
	return false;
}

/* One discard route per advertised prefix, so the export policy has a route to send. */
static void put_statics(struct rc *g, bool v6, int depth)
{
	char a[CIDR_STRLEN];

	if (!any_static(g, v6))
		return;
	if (v6)
		line(g, depth++, "rib inet6.0 {");
	line(g, depth, "static {");
	for (int t = 0; t < _ACCESS_MAX; t++)
		for (unsigned i = 0; i < rc_adv_count(g, t); i++)
			if (static_route(g, t, i, v6))
				line(g, depth + 1, "route %s discard;", cidr_str(rc_adv_at(g, t, i), a, sizeof(a)));
	line(g, depth, "}");
	if (v6)
		line(g, depth - 1, "}");
}

static void put_routing_options(struct rc *g)
{
	line(g, 0, "routing-options {");
	line(g, 1, "router-id %s;", g->rid);
	line(g, 1, "autonomous-system %u;", g->asn);
	put_statics(g, false, 1);
	put_statics(g, true, 1);
	line(g, 0, "}");
}

static void put_policies(struct rc *g)
{
	char a[CIDR_STRLEN], name[32];

	line(g, 0, "policy-options {");
	for (int t = 0; t < _ACCESS_MAX; t++)
		for (int v6 = 0; v6 < 2; v6++) {
			bool any = false;

			if (!rc_has_family(g, t, v6))
				continue;
			line(g, 1, "policy-statement %s {", rc_out_name(t, v6, name, sizeof(name)));
			for (unsigned i = 0; i < rc_adv_count(g, t); i++) {
				const struct cidr *p = rc_adv_at(g, t, i);

				if ((p->family == AF_INET6) != v6)
					continue;
				if (!any) {
					line(g, 2, "term advertise {");
					line(g, 3, "from {");
					line(g, 4, "protocol static;");
				}
				line(g, 4, "route-filter %s exact;", cidr_str(p, a, sizeof(a)));
				any = true;
			}
			if (any) {
				line(g, 3, "}");
				line(g, 3, "then accept;");
				line(g, 2, "}");
			}
			line(g, 2, "then reject;");
			line(g, 1, "}");
		}
	line(g, 0, "}");
}

static void put_group(struct rc *g, enum access_type t, bool v6)
{
	const struct peering *p = &g->c->peerings[t];
	char a[CIDR_STRLEN], name[32];

	line(g, 2, "group %s%s {", access_type_lower(t), v6 ? "_v6" : "");
	line(g, 3, "type external;");
	line(g, 3, "description \"%s peering, IPv%c\";", access_type_name(t), v6 ? '6' : '4');
	line(g, 3, "family %s {", v6 ? "inet6" : "inet");
	line(g, 4, "unicast;");
	line(g, 3, "}");
	line(g, 3, "export %s;", rc_out_name(t, v6, name, sizeof(name)));
	line(g, 3, "peer-as %u;", AZURE_ASN);
	/* A peering of another AS than the router's: that AS alone towards this group. */
	if (p->peer_asn != g->asn)
		line(g, 3, "local-as %u private no-prepend-global-as;", p->peer_asn);
	if ((p->has & PEERING_HAS_SHARED_KEY) && p->shared_key[0])
		line(g, 3, "authentication-key \"%s\";", p->shared_key);
	/* Both links at once: Azure's two links are active-active. */
	line(g, 3, "multipath;");
	for (unsigned i = 0; i < g->n; i++) {
		const struct rc_session *s = &g->s[i];

		if (s->type != t || s->v6 != v6)
			continue;
		line(g, 3, "neighbor %s {", cidr_addr_str(&s->peer, a, sizeof(a)));
		line(g, 4, "description \"%s link\";", link_side_name(s->side));
		line(g, 3, "}");
	}
	line(g, 2, "}");
}

void rc_junos(struct rc *g)
{
	rc_header(g, "/*", " * ", NULL);
	fprintf(g->f, " * %s stands for the primary link's port and %s for the secondary's: put your\n"
		" * own. Azure recommends a router per link; each then keeps its link's half.\n */\n",
		port[LINK_PRIMARY], port[LINK_SECONDARY]);
	put_interfaces(g);
	put_routing_options(g);
	put_policies(g);
	line(g, 0, "protocols {");
	line(g, 1, "bgp {");
	for (int t = 0; t < _ACCESS_MAX; t++)
		for (int v6 = 0; v6 < 2; v6++)
			if (rc_has_family(g, t, v6))
				put_group(g, t, v6);
	line(g, 1, "}");
	line(g, 0, "}");
}
