/* SPDX-License-Identifier: MIT */
/* `erlab status`: a circuit as the kernel has it, its BGP sessions and its drift, as text or JSON. */
#include <net/if.h>
#include <stdio.h>
#include <string.h>

#include "cli/cli.h"
#include "core/attach.h"
#include "core/bird_conf.h"
#include "core/format.h"
#include "core/names.h"

static const char *oper_name(uint8_t s)
{
	static const char *const names[] = { "unknown", "notpresent", "down", "lowerlayerdown", "testing",
					     "dormant", "up" };

	return s < sizeof(names) / sizeof(names[0]) ? names[s] : "unknown";
}

static void link_text(FILE *f, const struct link_info *l)
{
	char buf[CIDR_STRLEN];

	fprintf(f, "%-14s %-5s", l->name, l->kind);
	if (l->vlan_id)
		fprintf(f, " vlan %-4u", l->vlan_id);
	fprintf(f, " %s%s", (l->flags & IFF_UP) ? "up" : "down", l->carrier ? "" : " no-carrier");
	fprintf(f, " oper %s", oper_name(l->operstate));
	for (unsigned i = 0; i < l->n_addrs; i++)
		fprintf(f, " %s", cidr_str(&l->addrs[i], buf, sizeof(buf)));
	if (l->rate_bps)
		fprintf(f, " rate %lluMbit", (unsigned long long)(l->rate_bps / 1000000));
	fputc('\n', f);
}

void print_status_text(FILE *f, const struct circuit *c, const struct observed *o, const struct drift *d)
{
	char ns[NS_NAME_MAX];
	unsigned np = 0;

	for (enum access_type t = 0; t < _ACCESS_MAX; t++)
		np += c->peering_present[t];
	fprintf(f, "%s  %s  %u Mbps  %s  %s  %u peering%s\n", c->name, c->service_key, c->bandwidth,
		provisioning_name(c->prov), datapath_name(c->datapath), np, np == 1 ? "" : "s");
	for (enum access_type t = 0; t < _ACCESS_MAX; t++) {
		const struct peering *p = &c->peerings[t];
		char a[CIDR_STRLEN], b[CIDR_STRLEN];

		if (!c->peering_present[t])
			continue;
		fprintf(f, "  %-9s vlan %-4u peer-asn %u", access_type_lower(t), p->vlan_id, p->peer_asn);
		if (p->has & PEERING_HAS_PRIMARY4)
			fprintf(f, "  %s %s", cidr_str(&p->primary4, a, sizeof(a)), cidr_str(&p->secondary4, b, sizeof(b)));
		if (p->has & PEERING_HAS_PRIMARY6)
			fprintf(f, "  %s %s", cidr_str(&p->primary6, a, sizeof(a)), cidr_str(&p->secondary6, b, sizeof(b)));
		fputc('\n', f);
	}
	for (enum ns_role role = 0; role < _NS_MAX; role++) {
		if (attach_place(c, role) == PLACE_NONE) {
			fprintf(f, "  %s  (on the other host)\n", names_ns(c, role, ns));
			continue;
		}
		if (attach_place(c, role) == PLACE_HOST)
			fprintf(f, "  %s  (ports on bridges %s)\n", names_ns(c, role, ns), c->customer + 7);
		else
			fprintf(f, "  %s%s\n", names_ns(c, role, ns), o->ns_present[role] ? "" : "  (missing)");
		for (unsigned j = 0; j < o->n_links[role]; j++) {
			if (strcmp(o->links[role][j].name, "lo") == 0)
				continue;
			fputs("    ", f);
			link_text(f, &o->links[role][j]);
		}
	}
	for (unsigned i = 0; i < c->n_vnets && attach_ns_here(c, NS_MICROSOFT); i++) {
		char a[CIDR_STRLEN];

		fprintf(f, "  vnet %-12s %s%s ", c->vnets[i].name, names_vnet_ns(c, &c->vnets[i], ns),
			o->vnet_present && o->vnet_present[i] ? "" : " (missing)");
		for (unsigned j = 0; j < c->vnets[i].n_spaces; j++)
			fprintf(f, " %s", cidr_str(&c->vnets[i].spaces[j], a, sizeof(a)));
		fputc('\n', f);
	}
	for (unsigned i = 0; i < o->n_sessions; i++) {
		const struct bird_session *b = &o->sessions[i];

		fprintf(f, "  bgp %-22s %-11s", b->name, b->state);
		if (strcmp(b->state, "Established") == 0)
			fprintf(f, " imported %u exported %u", b->imported, b->exported);
		if (b->last_error[0])
			fprintf(f, " (%s)", b->last_error);
		fputc('\n', f);
	}
	if (!d->n)
		fprintf(f, "  drift: none\n");
	for (unsigned i = 0; i < d->n; i++) {
		char line[400];

		fprintf(f, "  drift: %s\n", drift_text(&d->items[i], line, sizeof(line)));
	}
}

/* ---- JSON (docs/json.md, "status") ---- */

static void link_json(struct json *j, const struct link_info *l)
{
	char buf[CIDR_STRLEN];

	jw_object(j);
	jw_kstring(j, "name", l->name);
	jw_kstring(j, "kind", l->kind[0] ? l->kind : NULL);
	jw_kstring(j, "parent", l->parent[0] ? l->parent : NULL);
	jw_key(j, "vlan_id");
	if (strcmp(l->kind, "vlan") == 0)
		jw_u64(j, l->vlan_id);
	else
		jw_null(j);
	jw_kbool(j, "up", l->flags & IFF_UP);
	jw_kbool(j, "carrier", l->carrier);
	jw_kstring(j, "operstate", oper_name(l->operstate));
	jw_kstring(j, "alias", l->alias[0] ? l->alias : NULL);
	jw_ku64(j, "rate_bps", l->rate_bps);
	jw_ku64(j, "rx_bytes", l->rx_bytes);
	jw_ku64(j, "tx_bytes", l->tx_bytes);
	jw_key(j, "addresses");
	jw_array(j);
	for (unsigned i = 0; i < l->n_addrs; i++)
		jw_string(j, cidr_str(&l->addrs[i], buf, sizeof(buf)));
	jw_array_end(j);
	jw_object_end(j);
}

/* One namespace of the kernel view, under its role's key. marked: -1 when not observed (VNets). */
static void ns_json(struct json *j, const char *role, const char *ns, bool vnet, bool present, int marked,
		    const struct link_info *links, unsigned n)
{
	jw_key(j, role);
	jw_object(j);
	jw_kstring(j, "namespace", ns);
	jw_kbool(j, "vnet", vnet);
	jw_kbool(j, "present", present);
	jw_key(j, "marked");
	if (marked < 0)
		jw_null(j);
	else
		jw_bool(j, marked);
	jw_key(j, "links");
	jw_array(j);
	for (unsigned i = 0; i < n; i++)
		link_json(j, &links[i]);
	jw_array_end(j);
	jw_object_end(j);
}

static void drift_value_json(struct json *j, const char *key, const struct drift_value *v)
{
	jw_key(j, key);
	switch (v->type) {
	case DRIFT_BOOL:
		jw_bool(j, v->b);
		break;
	case DRIFT_NUMBER:
		jw_u64(j, v->n);
		break;
	case DRIFT_STRING:
		jw_string(j, v->s);
		break;
	default:
		jw_null(j);
	}
}

static void session_json(struct json *j, const struct bird_session *b)
{
	char buf[CIDR_STRLEN];
	enum access_type t;
	enum link_side side;
	bool v6, known = bird_session_parse(b->name, &t, &side, &v6) == 0;

	jw_object(j);
	jw_kstring(j, "name", b->name);
	jw_kstring(j, "state", b->state);
	jw_kstring(j, "peering", known ? access_type_lower(t) : NULL);
	jw_kstring(j, "link", known ? link_side_name(side) : NULL);
	jw_kstring(j, "family", known ? (v6 ? "ipv6" : "ipv4") : NULL);
	jw_kstring(j, "proto_state", b->proto_state[0] ? b->proto_state : NULL);
	jw_kstring(j, "since", b->since[0] ? b->since : NULL);
	jw_kstring(j, "neighbor", b->neighbor.family ? cidr_addr_str(&b->neighbor, buf, sizeof(buf)) : NULL);
	jw_ku64(j, "neighbor_as", b->neighbor_as);
	jw_ku64(j, "imported", b->imported);
	jw_ku64(j, "filtered", b->filtered);
	jw_ku64(j, "exported", b->exported);
	jw_ku64(j, "preferred", b->preferred);
	jw_kstring(j, "last_error", b->last_error[0] ? b->last_error : NULL);
	jw_object_end(j);
}

void print_status_json(struct json *j, const struct circuit *c, const struct observed *o, const struct drift *d)
{
	char ns[NS_NAME_MAX], line[400];

	jw_object(j);
	jw_key(j, "circuit");
	format_circuit_json(j, c);
	/* The kernel view by role (docs/json.md): customer, microsoft, then each VNet by its name. */
	jw_key(j, "kernel");
	jw_object(j);
	for (enum ns_role role = 0; role < _NS_MAX; role++)
		ns_json(j, ns_role_name(role), names_ns(c, role, ns), false, o->ns_present[role], o->ns_marked[role],
			o->links[role], o->n_links[role]);
	for (unsigned i = 0; i < c->n_vnets; i++) {
		bool seen = i < o->n_vnets;

		ns_json(j, c->vnets[i].name, names_vnet_ns(c, &c->vnets[i], ns), true, seen && o->vnet_present[i], -1,
			seen ? o->vnet_links[i] : NULL, seen ? o->n_vnet_links[i] : 0);
	}
	jw_object_end(j);
	jw_key(j, "bgp");
	jw_array(j);
	for (unsigned i = 0; i < o->n_sessions; i++)
		session_json(j, &o->sessions[i]);
	jw_array_end(j);
	jw_key(j, "drift");
	jw_array(j);
	for (unsigned i = 0; i < d->n; i++) {
		const struct drift_item *it = &d->items[i];

		jw_object(j);
		jw_kstring(j, "kind", drift_kind_name(it->kind));
		jw_kstring(j, "object", it->object);
		jw_kstring(j, "role", it->role[0] ? it->role : NULL);
		jw_kstring(j, "property", it->property);
		drift_value_json(j, "expected", &it->expected);
		drift_value_json(j, "found", &it->found);
		jw_kstring(j, "text", drift_text(it, line, sizeof(line)));
		jw_object_end(j);
	}
	jw_array_end(j);
	jw_object_end(j);
}
