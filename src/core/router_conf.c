/* SPDX-License-Identifier: MIT */
/*
 * Customer router configs (docs/bgp.md, "Customer router configs"): the circuit walked once into
 * a list of sessions, the comment every flavor starts with, and the flavors' table. The `bird`
 * flavor is erlab's own customer router config; FRR, IOS-XE and Junos are in router_conf_*.c.
 */
#include "core/router_conf.h"

#include <errno.h>
#include <net/if.h>
#include <stdlib.h>
#include <string.h>

#include "core/bird_conf.h"
#include "core/names.h"
#include "core/router_conf_int.h"

/* How many advertised prefixes the header lists before "and N more". */
#define HEADER_PREFIXES 4

static const struct {
	const char *name;     /* --flavor */
	const char *title;    /* in the header */
	void (*render)(struct rc *g);
} flavors[_ROUTER_MAX] = {
	[ROUTER_FRR] = { "frr", "FRR", rc_cli },
	[ROUTER_BIRD] = { "bird", "BIRD 2", NULL },
	[ROUTER_IOS_XE] = { "ios-xe", "Cisco IOS-XE", rc_cli },
	[ROUTER_JUNOS] = { "junos", "Juniper Junos", rc_junos },
};

const char *router_flavor_name(enum router_flavor f)
{
	return f >= 0 && f < _ROUTER_MAX ? flavors[f].name : NULL;
}

enum router_flavor router_flavor_from_string(const char *s)
{
	for (int f = 0; s && f < _ROUTER_MAX; f++)
		if (strcmp(s, flavors[f].name) == 0)
			return (enum router_flavor)f;
	return _ROUTER_INVALID;
}

bool rc_present(const struct rc *g, enum access_type t)
{
	return g->c->peering_present[t];
}

bool rc_has_family(const struct rc *g, enum access_type t, bool v6)
{
	return rc_present(g, t) && (v6 ? peering_has_v6(&g->c->peerings[t]) : peering_has_v4(&g->c->peerings[t]));
}

/* As erlab's customer BIRD (bird_conf.c, adv_list): private the circuit's [bgp] customer_prefixes,
 * Microsoft its AdvertisedPublicPrefixes, public nothing. */
unsigned rc_adv_count(const struct rc *g, enum access_type t)
{
	const struct peering *p = &g->c->peerings[t];

	if (!rc_present(g, t))
		return 0;
	if (t == ACCESS_PRIVATE)
		return g->c->bgp.n_prefixes;
	if (t == ACCESS_MICROSOFT)
		return p->ms[FAMILY_V4].n_prefixes + p->ms[FAMILY_V6].n_prefixes;
	return 0;
}

const struct cidr *rc_adv_at(const struct rc *g, enum access_type t, unsigned i)
{
	const struct peering *p = &g->c->peerings[t];
	unsigned n4 = p->ms[FAMILY_V4].n_prefixes;

	if (t == ACCESS_PRIVATE)
		return &g->c->bgp.prefixes[i];
	return i < n4 ? &p->ms[FAMILY_V4].prefixes[i] : &p->ms[FAMILY_V6].prefixes[i - n4];
}

static bool adv_used(const struct rc *g, enum access_type t, unsigned i)
{
	return rc_has_family(g, t, rc_adv_at(g, t, i)->family == AF_INET6);
}

bool rc_adv_first(const struct rc *g, enum access_type t, unsigned i)
{
	const struct cidr *cur = rc_adv_at(g, t, i);

	if (!adv_used(g, t, i))
		return false;
	for (int u = 0; u <= (int)t; u++) {
		unsigned n = u == (int)t ? i : rc_adv_count(g, u);

		for (unsigned j = 0; j < n; j++)
			if (adv_used(g, u, j) && cidr_equal(rc_adv_at(g, u, j), cur))
				return false;
	}
	return true;
}

const char *rc_out_name(enum access_type t, bool v6, char *buf, unsigned len)
{
	snprintf(buf, len, "%s_out%c", access_type_lower(t), v6 ? '6' : '4');
	return buf;
}

bool rc_other_as(const struct rc *g, const struct rc_session *s)
{
	return g->c->peerings[s->type].peer_asn != g->asn;
}

const char *rc_mask4(unsigned prefixlen, char buf[16])
{
	uint32_t m = prefixlen ? ~0u << (32 - prefixlen) : 0;

	snprintf(buf, 16, "%u.%u.%u.%u", m >> 24, (m >> 16) & 0xff, (m >> 8) & 0xff, m & 0xff);
	return buf;
}

static void header_adv(struct rc *g, const char *lead, enum access_type t)
{
	unsigned n = rc_adv_count(g, t), shown = 0;
	char buf[CIDR_STRLEN];

	fprintf(g->f, "%s  Advertises ", lead);
	if (!n)
		fprintf(g->f, "nothing");
	for (unsigned i = 0; i < n && shown < HEADER_PREFIXES; i++, shown++)
		fprintf(g->f, "%s%s", i ? ", " : "", cidr_str(rc_adv_at(g, t, i), buf, sizeof(buf)));
	if (n > shown)
		fprintf(g->f, " and %u more", n - shown);
	if (t == ACCESS_PRIVATE)
		fprintf(g->f, n ? " ([bgp] customer_prefixes)" : " (the circuit has no [bgp] customer_prefixes)");
	else if (t == ACCESS_MICROSOFT && n)
		fprintf(g->f, " (AdvertisedPublicPrefixes)");
	fprintf(g->f, ".\n");
}

/* What keeps Microsoft's side of a peering (or of one family) down, said where the sessions are. */
static void header_down(struct rc *g, const char *lead, enum access_type t)
{
	const struct peering *p = &g->c->peerings[t];

	if (!p->enabled) {
		fprintf(g->f, "%s  State is Disabled: Microsoft keeps these sessions down.\n", lead);
		return;
	}
	if (t != ACCESS_MICROSOFT)
		return;
	for (int v6 = 0; v6 < 2; v6++) {
		enum prefix_state st = p->ms[v6 ? FAMILY_V6 : FAMILY_V4].prefix_state;

		if (rc_has_family(g, t, v6) && st != PREFIX_CONFIGURED)
			fprintf(g->f, "%s  IPv%c prefixes are %s: Microsoft keeps the IPv%c sessions down until they are Configured.\n",
				lead, v6 ? '6' : '4', prefix_state_name(st), v6 ? '6' : '4');
	}
}

void rc_header(struct rc *g, const char *open, const char *lead, const char *close)
{
	const struct circuit *c = g->c;

	if (open)
		fprintf(g->f, "%s\n", open);
	fprintf(g->f, "%serlab router-config %s --flavor %s: the customer router of circuit %s (%s).\n", lead,
		c->name, flavors[g->flavor].name, c->name, flavors[g->flavor].title);
	for (int t = 0; t < _ACCESS_MAX; t++) {
		const struct peering *p = &c->peerings[t];

		if (!rc_present(g, t))
			continue;
		fprintf(g->f, "%s%s peering: VLAN %u, AS %u; Microsoft's edge (AS %u) at\n", lead, access_type_name(t),
			p->vlan_id, p->peer_asn, AZURE_ASN);
		for (int v6 = 0; v6 < 2; v6++) {
			const char *sep = "";

			if (!rc_has_family(g, t, v6))
				continue;
			fprintf(g->f, "%s  IPv%c ", lead, v6 ? '6' : '4');
			for (unsigned i = 0; i < g->n; i++) {
				char a[CIDR_STRLEN];

				if (g->s[i].type != (enum access_type)t || g->s[i].v6 != (bool)v6)
					continue;
				fprintf(g->f, "%s%s (%s link)", sep, cidr_addr_str(&g->s[i].peer, a, sizeof(a)),
					link_side_name(g->s[i].side));
				sep = " and ";
			}
			fprintf(g->f, "\n");
		}
		header_adv(g, lead, t);
		header_down(g, lead, t);
	}
	if (close)
		fprintf(g->f, "%s\n", close);
}

void rc_links_note(struct rc *g, const char *lead)
{
	const struct circuit *c = g->c;
	char ns[NS_NAME_MAX], name[IFNAMSIZ];
	int first = 0;

	while (!rc_present(g, first))
		first++;
	names_ns(c, NS_CUSTOMER, ns);
	if (c->datapath == DATAPATH_VETH)
		fprintf(g->f, "%sThe interfaces exist in %s: on the veth datapath each link is a veth pair\n"
			"%sof its own, without an 802.1Q tag.", lead, ns, lead);
	else
		fprintf(g->f, "%sThe interfaces exist in %s: 802.1Q subinterfaces of the trunks primary and\n"
			"%ssecondary.", lead, ns, lead);
	fprintf(g->f, " On a router of your own, make each first, for example\n"
		"%s  ip link add link eth0 name %s type vlan id %u\n", lead,
		names_plink(LINK_PRIMARY, c->peerings[first].vlan_id, name), c->peerings[first].vlan_id);
}

static void add_sessions(struct rc *g)
{
	for (int t = 0; t < _ACCESS_MAX; t++)
		for (int side = 0; side < _LINK_MAX; side++)
			for (int v6 = 0; v6 < 2; v6++) {
				const struct cidr *net;
				struct rc_session *s;

				if (!rc_has_family(g, t, v6))
					continue;
				net = peering_subnet(&g->c->peerings[t], subnet_slot_of(side, v6));
				s = &g->s[g->n++];
				s->type = t;
				s->side = side;
				s->v6 = v6;
				s->me = cidr_host(net, 1);
				s->peer = cidr_host(net, 2);
				g->fam[v6] = true;
			}
}

/* The circuit as the config sees it: only the chosen peerings present (a shallow copy; c owns it all). */
static int choose(const struct circuit *c, unsigned peerings, struct circuit *view, struct err *e)
{
	bool any = false;

	*view = *c;
	for (int t = 0; t < _ACCESS_MAX; t++) {
		bool asked = peerings & (1u << t);

		if (asked && !c->peering_present[t])
			return err_set(e, -ENOENT, c->name, "The %s peering of circuit '%s' was not found.",
				       access_type_lower(t), c->name);
		if (peerings && !asked)
			view->peering_present[t] = false;
		any = any || view->peering_present[t];
	}
	if (peerings >> _ACCESS_MAX)
		return err_set(e, -EINVAL, c->name, "no such peering type");
	if (!any)
		return err_set(e, -ENOENT, c->name, "circuit '%s' has no peering: there is no BGP session to configure",
			       c->name);
	return 0;
}

int router_conf(const struct circuit *c, enum router_flavor f, unsigned peerings, char **ret_text, struct err *e)
{
	struct bird_customer_opts co = { 0 };
	struct circuit view;
	char *bird = NULL, *buf = NULL;
	struct rc g = { 0 };
	size_t len;
	int r;

	*ret_text = NULL;
	if (f < 0 || f >= _ROUTER_MAX)
		return err_set(e, -EINVAL, "--flavor", "use " ROUTER_FLAVOR_CHOICES);
	if ((r = choose(c, peerings, &view, e)) < 0)
		return r;
	/* BIRD's writer checks every value that any flavor writes (names, ASNs, keys, subnets, prefixes):
	 * what it refuses, no flavor prints. */
	co.adv[ACCESS_PRIVATE] = c->bgp.prefixes;
	co.n_adv[ACCESS_PRIVATE] = c->bgp.n_prefixes;
	if ((r = bird_conf_customer(&view, &co, &bird, e)) < 0)
		return r;
	g.c = &view;
	g.flavor = f;
	g.asn = 0;
	for (int t = _ACCESS_MAX - 1; t >= 0; t--)
		if (view.peering_present[t])
			g.asn = view.peerings[t].peer_asn;
	bird_customer_router_id(&view, g.rid);
	add_sessions(&g);
	if (!(g.f = open_memstream(&buf, &len))) {
		free(bird);
		return err_set(e, -ENOMEM, "router config", "out of memory");
	}
	if (f == ROUTER_BIRD) {
		rc_header(&g, NULL, "# ", NULL);
		fprintf(g.f, "# BIRD sets up no interface and logs to stderr (erlab's own logs to its state dir).\n");
		rc_links_note(&g, "# ");
		fprintf(g.f, "\n%s", bird);
	} else {
		flavors[f].render(&g);
	}
	free(bird);
	/* open_memstream sets buf only on fflush/fclose. */
	if (fclose(g.f) != 0) {
		free(buf);
		return err_set(e, -ENOMEM, "router config", "out of memory");
	}
	*ret_text = buf;
	return 0;
}
