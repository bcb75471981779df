/* SPDX-License-Identifier: MIT */
/*
 * `erlab graph` and `status --dot`: the topology as Graphviz DOT. A cluster per circuit; its
 * namespaces as boxes (customer edge, Microsoft edge, each VNet); per link (primary, secondary) an
 * edge per peering, labelled with the link, VLAN and addresses; per VNet the edge of its veth to
 * the Microsoft edge. With a live observation, each edge says whether its link is up and, per
 * family, its BGP session's state, in colour and style too (README, "Lab files"):
 *
 *   link down                     red, dashed
 *   up, a session not Established orange
 *   up, sessions Established      dark green (no BGP: green as well)
 *
 * Every node and edge carries an id ("<circuit>/primary/private", "<circuit>/vnet/hub") that
 * Graphviz keeps in its SVG, so a drawing can be checked by id.
 */
#include <net/if.h>
#include <stdio.h>
#include <string.h>

#include "cli/cli.h"
#include "core/bird_conf.h"
#include "core/expect.h"
#include "core/names.h"

/*
 * A DOT string: quoted, '"' and '\' escaped, a control character as a blank, and bytes that are
 * not well-formed UTF-8 (Graphviz's default charset) as U+FFFD. Escapes such as "\n" in a label
 * are written by the callers, never taken from the data.
 */
static void dot_text(FILE *f, const char *s)
{
	size_t n = strlen(s), i = 0, bad;

	while (i < n) {
		unsigned char c = (unsigned char)s[i];
		size_t l;

		if (c == '"' || c == '\\') {
			fputc('\\', f);
			fputc(c, f);
			i++;
		} else if (c < 0x20 || c == 0x7f) {
			fputc(' ', f);
			i++;
		} else if ((l = jw_utf8_next(s + i, n - i, &bad)) == 0) {
			fputs("\xEF\xBF\xBD", f);
			i += bad;
		} else {
			fwrite(s + i, 1, l, f);
			i += l;
		}
	}
}

static void dot_string(FILE *f, const char *s)
{
	fputc('"', f);
	dot_text(f, s);
	fputc('"', f);
}

/* The observed end x of c's link: NULL when its namespace or the link is not there. */
static const struct link_info *end_of(const struct circuit *c, const struct observed *o, const struct xlink *x)
{
	char ns[NS_NAME_MAX];

	for (enum ns_role role = 0; role < _NS_MAX; role++)
		if (strcmp(names_ns(c, role, ns), x->ns) == 0)
			return o->ns_present[role] ? observed_link(o, role, x->name) : NULL;
	for (unsigned i = 0; i < c->n_vnets && i < o->n_vnets; i++) {
		if (strcmp(names_vnet_ns(c, &c->vnets[i], ns), x->ns) != 0 || !o->vnet_present[i])
			continue;
		for (unsigned j = 0; j < o->n_vnet_links[i]; j++)
			if (strcmp(o->vnet_links[i][j].name, x->name) == 0)
				return &o->vnet_links[i][j];
	}
	return NULL;
}

/* Every end there, administratively up, with carrier. */
static bool ends_up(const struct circuit *c, const struct observed *o, const struct xlink *x, unsigned n)
{
	for (unsigned i = 0; i < n; i++) {
		const struct link_info *l = end_of(c, o, &x[i]);

		if (!l || !(l->flags & IFF_UP) || !l->carrier)
			return false;
	}
	return true;
}

/* A link of side `side` (with peering t, or t < 0 for the bare link): its ends up? */
static bool side_up(const struct circuit *c, const struct observed *o, enum link_side side, int t)
{
	struct xlink x[_NS_MAX];

	if (c->datapath == DATAPATH_VLAN) {
		expect_trunk(c, side, x);
		if (!ends_up(c, o, x, _NS_MAX))
			return false;
	}
	if (t < 0)
		return true;
	expect_plink(c, (enum access_type)t, side, x);
	return ends_up(c, o, x, _NS_MAX);
}

static const struct bird_session *session_of(const struct observed *o, const char *name)
{
	for (unsigned i = 0; i < o->n_sessions; i++)
		if (strcmp(o->sessions[i].name, name) == 0)
			return &o->sessions[i];
	return NULL;
}

/* Live attributes and the label's last lines for an edge. */
static void live_attrs(FILE *f, bool up, bool sessions_ok)
{
	if (!up)
		fputs(", color=red, fontcolor=red, style=dashed", f);
	else if (!sessions_ok)
		fputs(", color=orange, fontcolor=darkorange3", f);
	else
		fputs(", color=darkgreen, fontcolor=darkgreen", f);
}

/* One edge between the customer and the Microsoft edge: side, and peering t (t < 0: none). */
static void peering_edge(FILE *f, const struct circuit *c, const struct observed *o, enum link_side side, int t)
{
	const struct peering *p = t >= 0 ? &c->peerings[t] : NULL;
	char cu[NS_NAME_MAX], ms[NS_NAME_MAX], ifn[IFNAMSIZ], a[CIDR_STRLEN], b[CIDR_STRLEN], id[256];
	bool up = true, sessions_ok = true;

	names_ns(c, NS_CUSTOMER, cu);
	names_ns(c, NS_MICROSOFT, ms);
	fprintf(f, "    ");
	dot_string(f, cu);
	fputs(" -- ", f);
	dot_string(f, ms);
	snprintf(id, sizeof(id), "%s/%s/%s", c->name, link_side_name(side), p ? access_type_lower(p->type) : "link");
	fputs(" [id=", f);
	dot_string(f, id);
	if (!p) {
		fprintf(f, ", label=\"%s\\n(no peering)", link_side_name(side));
	} else {
		fprintf(f, ", label=\"%s\\nVLAN %u %s", names_plink(side, p->vlan_id, ifn), (unsigned)p->vlan_id,
			access_type_lower(p->type));
		for (int v6 = 0; v6 < 2; v6++) {
			enum subnet_slot sl = subnet_slot_of(side, v6);
			struct cidr h1 = cidr_host(peering_subnet(p, sl), 1), h2 = cidr_host(peering_subnet(p, sl), 2);

			if (p->has & subnet_slots[sl].bit)
				fprintf(f, "%s%s - %s", v6 ? "\\n" : " ", cidr_str(&h1, a, sizeof(a)),
					cidr_addr_str(&h2, b, sizeof(b)));
		}
	}
	if (o) {
		up = side_up(c, o, side, t);
		fprintf(f, "\\nlink %s", up ? "up" : "down");
		/* Each family's session, when the circuit runs BIRD as the Microsoft edge. */
		for (int v6 = 0; p && c->bgp.msee && v6 < 2; v6++) {
			enum subnet_slot sl = subnet_slot_of(side, v6);
			const struct bird_session *s;
			char name[64];

			if (!(p->has & subnet_slots[sl].bit))
				continue;
			s = session_of(o, bird_session_name(p->type, side, v6, name, sizeof(name)));
			fprintf(f, "\\nBGP %s %s", v6 ? "IPv6" : "IPv4", s ? s->state : "no session");
			sessions_ok &= s && strcmp(s->state, "Established") == 0;
		}
	}
	fputc('"', f);
	if (o)
		live_attrs(f, up, sessions_ok);
	fputs("];\n", f);
}

static void vnet_edge(FILE *f, const struct circuit *c, const struct observed *o, unsigned i)
{
	const struct vnet *v = &c->vnets[i];
	struct xlink x[XVNET_LINKS];
	char ms[NS_NAME_MAX], vn[NS_NAME_MAX], a[CIDR_STRLEN], id[256];

	expect_vnet_links(c, i, x);
	fputs("    ", f);
	dot_string(f, names_ns(c, NS_MICROSOFT, ms));
	fputs(" -- ", f);
	dot_string(f, names_vnet_ns(c, v, vn));
	snprintf(id, sizeof(id), "%s/vnet/%s", c->name, v->name);
	fputs(" [id=", f);
	dot_string(f, id);
	fprintf(f, ", label=\"%s", x[1].name);
	for (unsigned j = 0; j < x[1].n_addrs; j++)
		fprintf(f, "\\n%s", cidr_str(&x[1].addrs[j], a, sizeof(a)));
	if (o) {
		bool up = ends_up(c, o, x, 2);

		fprintf(f, "\\nlink %s\"", up ? "up" : "down");
		live_attrs(f, up, true);
	} else {
		fputc('"', f);
	}
	fputs("];\n", f);
}

/* A namespace's node; with live, a missing one is dashed and red. */
static void ns_node(FILE *f, const char *ns, const char *what, const struct observed *o, bool present, const char *shape)
{
	fputs("    ", f);
	dot_string(f, ns);
	fputs(" [id=", f);
	dot_string(f, ns);
	fputs(", label=\"", f);
	dot_text(f, ns);
	fprintf(f, "\\n%s%s\"", what, o && !present ? "\\n(missing)" : "");
	if (shape)
		fprintf(f, ", shape=%s", shape);
	if (o && !present)
		fputs(", color=red, fontcolor=red, style=dashed", f);
	fputs("];\n", f);
}

static void graph_circuit(FILE *f, const struct circuit *c, const struct observed *o, bool live)
{
	char cu[NS_NAME_MAX], ms[NS_NAME_MAX], vn[NS_NAME_MAX], what[256], a[CIDR_STRLEN], cluster[CIRCUIT_NAME_MAX + 16];
	bool any = false;

	snprintf(cluster, sizeof(cluster), "cluster_%s", c->name);
	fputs("  subgraph ", f);
	dot_string(f, cluster);
	fprintf(f, " {\n    label=\"");
	dot_text(f, c->name);
	fprintf(f, "\\n%u Mbps, ", c->bandwidth);
	dot_text(f, c->location);
	fputs(", ", f);
	dot_text(f, c->provider);
	fprintf(f, "%s\";\n", live && !o ? "\\nnot up" : "");
	ns_node(f, names_ns(c, NS_CUSTOMER, cu), "customer edge", o, o && o->ns_present[NS_CUSTOMER], NULL);
	ns_node(f, names_ns(c, NS_MICROSOFT, ms), "Microsoft edge (AS 12076)", o, o && o->ns_present[NS_MICROSOFT], NULL);
	for (unsigned i = 0; i < c->n_vnets; i++) {
		const struct vnet *v = &c->vnets[i];
		size_t used = (size_t)snprintf(what, sizeof(what), "virtual network %s", v->name);

		struct xlink x[XVNET_LINKS];

		for (unsigned j = 0; j < v->n_spaces && used < sizeof(what); j++)
			used += (size_t)snprintf(what + used, sizeof(what) - used, "\\n%s",
						 cidr_str(&v->spaces[j], a, sizeof(a)));
		/* The VM's addresses, on its NIC "vm". */
		expect_vnet_links(c, i, x);
		for (unsigned j = 0; j < x[2].n_addrs && used < sizeof(what); j++)
			used += (size_t)snprintf(what + used, sizeof(what) - used, "\\nvm %s",
						 cidr_addr_str(&x[2].addrs[j], a, sizeof(a)));
		ns_node(f, names_vnet_ns(c, v, vn), what, o, o && i < o->n_vnets && o->vnet_present[i], "box3d");
	}
	for (enum link_side side = 0; side < _LINK_MAX; side++) {
		any = false;
		for (int t = 0; t < _ACCESS_MAX; t++)
			if (c->peering_present[t]) {
				peering_edge(f, c, o, side, t);
				any = true;
			}
		if (!any)
			peering_edge(f, c, o, side, -1);
	}
	for (unsigned i = 0; i < c->n_vnets; i++)
		vnet_edge(f, c, o, i);
	fputs("  }\n", f);
}

void print_graph(FILE *f, const char *title, const struct circuit *v, unsigned n, const struct observed *const *live)
{
	fputs("graph ", f);
	dot_string(f, title);
	fputs(" {\n  rankdir=LR;\n  node [shape=box];\n", f);
	for (unsigned i = 0; i < n; i++)
		graph_circuit(f, &v[i], live ? live[i] : NULL, live != NULL);
	fputs("}\n", f);
}
