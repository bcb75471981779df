/* SPDX-License-Identifier: MIT */
/* `erlab status`: a circuit as the kernel has it, its BGP sessions and its drift, as text or JSON. */
#include <net/if.h>
#include <stdio.h>
#include <string.h>

#include "cli/cli.h"
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
		fprintf(f, "  %s%s\n", names_ns(c, role, ns), o->ns_present[role] ? "" : "  (missing)");
		for (unsigned j = 0; j < o->n_links[role]; j++) {
			if (strcmp(o->links[role][j].name, "lo") == 0)
				continue;
			fputs("    ", f);
			link_text(f, &o->links[role][j]);
		}
	}
	for (unsigned i = 0; i < c->n_vnets; i++) {
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

	json_object(j);
	json_kstring(j, "name", l->name);
	json_kstring(j, "kind", l->kind[0] ? l->kind : NULL);
	json_kstring(j, "parent", l->parent[0] ? l->parent : NULL);
	json_key(j, "vlan_id");
	if (strcmp(l->kind, "vlan") == 0)
		json_u64(j, l->vlan_id);
	else
		json_null(j);
	json_kbool(j, "up", l->flags & IFF_UP);
	json_kbool(j, "carrier", l->carrier);
	json_kstring(j, "operstate", oper_name(l->operstate));
	json_kstring(j, "alias", l->alias[0] ? l->alias : NULL);
	json_ku64(j, "rate_bps", l->rate_bps);
	json_ku64(j, "rx_bytes", l->rx_bytes);
	json_ku64(j, "tx_bytes", l->tx_bytes);
	json_key(j, "addresses");
	json_array(j);
	for (unsigned i = 0; i < l->n_addrs; i++)
		json_string(j, cidr_str(&l->addrs[i], buf, sizeof(buf)));
	json_array_end(j);
	json_object_end(j);
}

/* One namespace of the kernel view, under its role's key. marked: -1 when not observed (VNets). */
static void ns_json(struct json *j, const char *role, const char *ns, bool vnet, bool present, int marked,
		    const struct link_info *links, unsigned n)
{
	json_key(j, role);
	json_object(j);
	json_kstring(j, "namespace", ns);
	json_kbool(j, "vnet", vnet);
	json_kbool(j, "present", present);
	json_key(j, "marked");
	if (marked < 0)
		json_null(j);
	else
		json_bool(j, marked);
	json_key(j, "links");
	json_array(j);
	for (unsigned i = 0; i < n; i++)
		link_json(j, &links[i]);
	json_array_end(j);
	json_object_end(j);
}

static void drift_value_json(struct json *j, const char *key, const struct drift_value *v)
{
	json_key(j, key);
	switch (v->type) {
	case DRIFT_BOOL:
		json_bool(j, v->b);
		break;
	case DRIFT_NUMBER:
		json_u64(j, v->n);
		break;
	case DRIFT_STRING:
		json_string(j, v->s);
		break;
	default:
		json_null(j);
	}
}

static void session_json(struct json *j, const struct bird_session *b)
{
	char buf[CIDR_STRLEN];
	enum access_type t;
	enum link_side side;
	bool v6, known = bird_session_parse(b->name, &t, &side, &v6) == 0;

	json_object(j);
	json_kstring(j, "name", b->name);
	json_kstring(j, "state", b->state);
	json_kstring(j, "peering", known ? access_type_lower(t) : NULL);
	json_kstring(j, "link", known ? link_side_name(side) : NULL);
	json_kstring(j, "family", known ? (v6 ? "ipv6" : "ipv4") : NULL);
	json_kstring(j, "proto_state", b->proto_state[0] ? b->proto_state : NULL);
	json_kstring(j, "since", b->since[0] ? b->since : NULL);
	json_kstring(j, "neighbor", b->neighbor.family ? cidr_addr_str(&b->neighbor, buf, sizeof(buf)) : NULL);
	json_ku64(j, "neighbor_as", b->neighbor_as);
	json_ku64(j, "imported", b->imported);
	json_ku64(j, "filtered", b->filtered);
	json_ku64(j, "exported", b->exported);
	json_ku64(j, "preferred", b->preferred);
	json_kstring(j, "last_error", b->last_error[0] ? b->last_error : NULL);
	json_object_end(j);
}

void print_status_json(struct json *j, const struct circuit *c, const struct observed *o, const struct drift *d)
{
	char ns[NS_NAME_MAX], line[400];

	json_object(j);
	json_key(j, "circuit");
	format_circuit_json(j, c);
	/* The kernel view by role (docs/json.md): customer, microsoft, then each VNet by its name. */
	json_key(j, "kernel");
	json_object(j);
	for (enum ns_role role = 0; role < _NS_MAX; role++)
		ns_json(j, ns_role_name(role), names_ns(c, role, ns), false, o->ns_present[role], o->ns_marked[role],
			o->links[role], o->n_links[role]);
	for (unsigned i = 0; i < c->n_vnets; i++) {
		bool seen = i < o->n_vnets;

		ns_json(j, c->vnets[i].name, names_vnet_ns(c, &c->vnets[i], ns), true, seen && o->vnet_present[i], -1,
			seen ? o->vnet_links[i] : NULL, seen ? o->n_vnet_links[i] : 0);
	}
	json_object_end(j);
	json_key(j, "bgp");
	json_array(j);
	for (unsigned i = 0; i < o->n_sessions; i++)
		session_json(j, &o->sessions[i]);
	json_array_end(j);
	json_key(j, "drift");
	json_array(j);
	for (unsigned i = 0; i < d->n; i++) {
		const struct drift_item *it = &d->items[i];

		json_object(j);
		json_kstring(j, "kind", drift_kind_name(it->kind));
		json_kstring(j, "object", it->object);
		json_kstring(j, "role", it->role[0] ? it->role : NULL);
		json_kstring(j, "property", it->property);
		drift_value_json(j, "expected", &it->expected);
		drift_value_json(j, "found", &it->found);
		json_kstring(j, "text", drift_text(it, line, sizeof(line)));
		json_object_end(j);
	}
	json_array_end(j);
	json_object_end(j);
}
