/* SPDX-License-Identifier: MIT */
/* `erlab status`: a circuit as the kernel has it, its BGP sessions and its drift, as text or JSON. */
#include <net/if.h>
#include <stdio.h>
#include <string.h>

#include "cli/cli.h"
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
	for (unsigned i = 0; i < d->n; i++)
		fprintf(f, "  drift: %s\n", d->lines[i]);
}

void print_status_json(FILE *f, const struct circuit *c, const struct observed *o, const struct drift *d)
{
	char ns[NS_NAME_MAX], buf[CIDR_STRLEN];

	fputs("{\"circuit\":", f);
	format_circuit_json(f, c);
	/* format_circuit_json ends with a newline: JSON allows whitespace between tokens. */
	fputs(",\"kernel\":{", f);
	for (enum ns_role role = 0; role < _NS_MAX; role++) {
		fprintf(f, "%s\"", role ? "," : "");
		format_json_string(f, names_ns(c, role, ns));
		fprintf(f, "\":{\"present\":%s,\"marked\":%s,\"links\":[", o->ns_present[role] ? "true" : "false",
			o->ns_marked[role] ? "true" : "false");
		for (unsigned j = 0; j < o->n_links[role]; j++) {
			const struct link_info *l = &o->links[role][j];

			fprintf(f, "%s{\"name\":\"", j ? "," : "");
			format_json_string(f, l->name);
			fprintf(f, "\",\"kind\":\"%s\",\"vlan_id\":%u,\"up\":%s,\"carrier\":%s,\"operstate\":\"%s\","
				   "\"rate_bps\":%llu,\"rx_bytes\":%llu,\"tx_bytes\":%llu,\"addresses\":[",
				l->kind, l->vlan_id, (l->flags & IFF_UP) ? "true" : "false", l->carrier ? "true" : "false",
				oper_name(l->operstate), (unsigned long long)l->rate_bps,
				(unsigned long long)l->rx_bytes, (unsigned long long)l->tx_bytes);
			for (unsigned i = 0; i < l->n_addrs; i++)
				fprintf(f, "%s\"%s\"", i ? "," : "", cidr_str(&l->addrs[i], buf, sizeof(buf)));
			fputs("]}", f);
		}
		fputs("]}", f);
	}
	fputs("},\"bgp\":[", f);
	for (unsigned i = 0; i < o->n_sessions; i++) {
		const struct bird_session *b = &o->sessions[i];

		fprintf(f, "%s{\"name\":\"", i ? "," : "");
		format_json_string(f, b->name);
		fputs("\",\"state\":\"", f);
		format_json_string(f, b->state);
		fprintf(f, "\",\"neighbor_as\":%u,\"imported\":%u,\"exported\":%u,\"last_error\":\"", b->neighbor_as,
			b->imported, b->exported);
		format_json_string(f, b->last_error);
		fputs("\"}", f);
	}
	fputs("],\"drift\":[", f);
	for (unsigned i = 0; i < d->n; i++) {
		fprintf(f, "%s\"", i ? "," : "");
		format_json_string(f, d->lines[i]);
		fputc('"', f);
	}
	fputs("]}\n", f);
}
