/* SPDX-License-Identifier: MIT */
/*
 * The read verbs' output. The PowerShell list format is compared byte for byte with Azure's
 * classic peering how-to (README, "The how-to's cmdlets"); native text and JSON keep stable keys so
 * scripts can rely on them. The shared key is never written anywhere: only whether it is set.
 */
#include <inttypes.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/field.h"
#include "core/format.h"
#include "core/join.h"
#include "core/names.h"
#include "core/provider.h"

#define PS_NAME_MAX 64
#define PORT_MAX 256
#define NUM_MAX 16

/*
 * fields[] holds one object; an entry with a NULL name starts the next object, so a list prints
 * as one call with the blank line PowerShell puts between objects and no more.
 */
void format_ps_list(FILE *f, const struct ps_field *fields, unsigned n)
{
	unsigned start = 0;

	fputc('\n', f);
	while (start < n) {
		unsigned end = start, width = 0;

		while (end < n && fields[end].name) {
			size_t l = strlen(fields[end].name);

			if (l > width)
				width = (unsigned)l;
			end++;
		}
		for (unsigned i = start; i < end; i++) {
			const char *v = fields[i].value ? fields[i].value : "";

			/* PowerShell keeps the space after the colon when the value is blank. */
			fprintf(f, "%-*s : %s\n", (int)width, fields[i].name, v);
		}
		fputc('\n', f);
		start = end + 1;
	}
}

#define PS_TABLE_COLS 16

/* The next line of a wrapped cell: up to w characters of *text, broken after a word. */
static size_t wrap_line(const char **text, size_t w, char *out)
{
	const char *t = *text;
	size_t len = 0;

	while (*t == ' ')
		t++;
	while (*t) {
		size_t word = strcspn(t, " ");

		if (len + (len ? 1 : 0) + word <= w) {
			if (len)
				out[len++] = ' ';
			memcpy(out + len, t, word);
			len += word;
			t += word;
			while (*t == ' ')
				t++;
			continue;
		}
		if (len == 0) {   /* a word longer than the column: cut it */
			memcpy(out, t, w);
			len = w;
			t += w;
		}
		break;
	}
	out[len] = '\0';
	*text = t;
	return len;
}

void format_ps_table(FILE *f, const char *const *headers, const int *widths, unsigned ncols, const char *const *cells,
		     unsigned nrows, unsigned right_aligned)
{
	size_t width[PS_TABLE_COLS] = { 0 }, fixed = 0;
	bool wrap[PS_TABLE_COLS] = { false };
	unsigned c, r;

	if (ncols > PS_TABLE_COLS)
		ncols = PS_TABLE_COLS;
	for (c = 0; c < ncols; c++) {
		width[c] = strlen(headers[c]);
		if (widths && widths[c] > 0) {
			width[c] = (size_t)widths[c];
			wrap[c] = true;
			fixed += width[c] + 1;
			continue;
		}
		for (r = 0; r < nrows; r++) {
			size_t l = strlen(cells[r * ncols + c] ? cells[r * ncols + c] : "");

			if (l > width[c])
				width[c] = l;
		}
	}
	/* After fixed columns, the last one gets the rest of the console (PowerShell keeps its last
	 * character free) and wraps in it. */
	if (fixed && ncols && !(widths && widths[ncols - 1] > 0) && fixed + strlen(headers[ncols - 1]) < FORMAT_PS_CONSOLE - 1) {
		width[ncols - 1] = FORMAT_PS_CONSOLE - 1 - fixed;
		wrap[ncols - 1] = true;
	}

	fputc('\n', f);
	for (r = 0; r < nrows + 2; r++) {
		const char *rest[PS_TABLE_COLS];
		bool more = true;

		for (c = 0; c < ncols; c++) {
			static const char dashes[] = "--------------------------------------------------------------------------------";
			size_t hl = strlen(headers[c]);

			if (r == 0)
				rest[c] = headers[c];
			else if (r == 1)
				rest[c] = dashes + (hl < sizeof(dashes) - 1 ? sizeof(dashes) - 1 - hl : 0);
			else
				rest[c] = cells[(r - 2) * ncols + c] ? cells[(r - 2) * ncols + c] : "";
		}
		/* One line per pass; wrapped cells go on in the lines below. */
		while (more) {
			char *out = NULL;
			size_t out_len = 0;
			FILE *m = open_memstream(&out, &out_len);

			if (!m)
				return;
			more = false;
			for (c = 0; c < ncols; c++) {
				char line[512];
				const char *s = rest[c];
				bool right = right_aligned & (1u << c);

				if (wrap[c] && r >= 2) {
					wrap_line(&rest[c], width[c] < sizeof(line) ? width[c] : sizeof(line) - 1, line);
					s = line;
					more |= *rest[c] != '\0';
				} else {
					rest[c] = "";
				}
				if (c)
					fputc(' ', m);
				fprintf(m, right ? "%*s" : "%-*s", (int)width[c], s);
			}
			if (fclose(m) != 0)
				return;
			/* Padding ends where the text does: no blanks at the end of a line. */
			while (out_len && out[out_len - 1] == ' ')
				out[--out_len] = '\0';
			fprintf(f, "%s\n", out);
			free(out);
		}
	}
	fputs("\n\n", f);
}

static const char *u32_str(uint32_t v, char buf[NUM_MAX])
{
	snprintf(buf, NUM_MAX, "%" PRIu32, v);
	return buf;
}

static const char *state_name(bool enabled)
{
	return enabled ? "Enabled" : "Disabled";
}

void format_circuit_ps(FILE *f, const struct circuit *c)
{
	char bw[NUM_MAX];
	const struct ps_field fields[] = {
		{ "Bandwidth", u32_str(c->bandwidth, bw) },
		{ "CircuitName", c->name },
		{ "Location", c->location },
		{ "ServiceKey", c->service_key },
		{ "ServiceProviderName", c->provider },
		{ "ServiceProviderProvisioningState", provisioning_name(c->prov) },
		{ "Sku", sku_name(c->sku) },
		{ "Status", state_name(c->enabled) },
	};

	format_ps_list(f, fields, sizeof(fields) / sizeof(fields[0]));
}

/* Comma-joined prefixes into a heap buffer (200 IPv6 prefixes exceed any sane stack buffer). */
static char *prefixes_join(const struct ms_config *m, const char *sep)
{
	size_t cap = (size_t)m->n_prefixes * (CIDR_STRLEN + strlen(sep)) + 1, used = 0;
	char *out = malloc(cap), buf[CIDR_STRLEN];

	if (!out)
		return NULL;
	out[0] = '\0';
	for (unsigned i = 0; i < m->n_prefixes; i++) {
		int n = snprintf(out + used, cap - used, "%s%s", i ? sep : "",
				 cidr_str(&m->prefixes[i], buf, sizeof(buf)));

		if (n < 0 || (size_t)n >= cap - used)
			break;
		used += (size_t)n;
	}
	return out;
}

static const char *azure_port(const struct circuit *c, const struct peering *p, enum link_side side,
			      char buf[PORT_MAX])
{
	if (!(p->has & PEERING_HAS_VLAN))
		return "";
	return names_azure_port(c, side, p->vlan_id, buf, PORT_MAX);
}

/*
 * The classic AzureBgpPeering object: its IPv4 properties as the how-to prints them, and, when the
 * peering has IPv6, the IPv6 properties of the later SDK model (…Ipv6), each after its IPv4
 * namesake as the model orders them (docs/rules.md, "Get-AzureBGPPeering").
 */
void format_peering_ps(FILE *f, const struct circuit *c, const struct peering *p)
{
	char asn[NUM_MAX], cust[NUM_MAX], cust6[NUM_MAX], azure[NUM_MAX], vlan[NUM_MAX];
	char pri_port[PORT_MAX], sec_port[PORT_MAX], pri[CIDR_STRLEN], sec[CIDR_STRLEN], pri6[CIDR_STRLEN];
	char sec6[CIDR_STRLEN];
	const struct ms_config *m4 = &p->ms[FAMILY_V4], *m6 = &p->ms[FAMILY_V6];
	char *prefixes = prefixes_join(m4, ","), *prefixes6 = prefixes_join(m6, ",");
	bool v6 = peering_has_v6(p);
	const struct ps_field all[] = {
		{ "AdvertisedPublicPrefixes", prefixes },
		{ v6 ? "AdvertisedPublicPrefixesIpv6" : NULL, prefixes6 },
		{ "AdvertisedPublicPrefixesState", prefix_state_name(m4->prefix_state) },
		{ v6 ? "AdvertisedPublicPrefixesStateIpv6" : NULL, prefix_state_name(m6->prefix_state) },
		{ "AzureAsn", u32_str(AZURE_ASN, azure) },
		{ "CustomerAutonomousSystemNumber", m4->customer_asn ? u32_str(m4->customer_asn, cust) : "" },
		{ v6 ? "CustomerAutonomousSystemNumberIpv6" : NULL, m6->customer_asn ? u32_str(m6->customer_asn, cust6) : "" },
		{ "PeerAsn", (p->has & PEERING_HAS_PEER_ASN) ? u32_str(p->peer_asn, asn) : "" },
		{ "PrimaryAzurePort", azure_port(c, p, LINK_PRIMARY, pri_port) },
		{ "PrimaryPeerSubnet", (p->has & PEERING_HAS_PRIMARY4) ? cidr_str(&p->primary4, pri, sizeof(pri)) : "" },
		{ v6 ? "PrimaryPeerSubnetIpv6" : NULL, v6 ? cidr_str(&p->primary6, pri6, sizeof(pri6)) : "" },
		{ "RoutingRegistryName", m4->registry },
		{ v6 ? "RoutingRegistryNameIpv6" : NULL, m6->registry },
		{ "SecondaryAzurePort", azure_port(c, p, LINK_SECONDARY, sec_port) },
		{ "SecondaryPeerSubnet", (p->has & PEERING_HAS_SECONDARY4) ? cidr_str(&p->secondary4, sec, sizeof(sec)) : "" },
		{ v6 ? "SecondaryPeerSubnetIpv6" : NULL, v6 ? cidr_str(&p->secondary6, sec6, sizeof(sec6)) : "" },
		{ "State", state_name(p->enabled) },
		{ "VlanId", (p->has & PEERING_HAS_VLAN) ? u32_str(p->vlan_id, vlan) : "" },
	};
	struct ps_field shown[sizeof(all) / sizeof(all[0])];
	unsigned n = 0;

	/* A NULL name would start a second object: drop the IPv6 rows instead. */
	for (unsigned i = 0; i < sizeof(all) / sizeof(all[0]); i++)
		if (all[i].name)
			shown[n++] = all[i];
	format_ps_list(f, shown, n);
	free(prefixes);
	free(prefixes6);
}

/* ---- native text ---- */

static const char *peering_list(const struct circuit *c, const char *sep, char *buf, size_t len)
{
	size_t used = 0;

	buf[0] = '\0';
	for (int t = 0; t < _ACCESS_MAX; t++)
		if (c->peering_present[t])
			used = join_append(buf, len, used, sep, access_type_lower((enum access_type)t));
	return buf;
}

static void text_spaces(FILE *f, const struct vnet *v)
{
	char buf[CIDR_STRLEN];

	for (unsigned j = 0; j < v->n_spaces; j++)
		fprintf(f, "%s%s", j ? "," : "", cidr_str(&v->spaces[j], buf, sizeof(buf)));
}

void format_circuit_text(FILE *f, const struct circuit *c)
{
	char peerings[64];

	fprintf(f, "name: %s\n", c->name);
	fprintf(f, "service_key: %s\n", c->service_key);
	fprintf(f, "bandwidth_mbps: %" PRIu32 "\n", c->bandwidth);
	fprintf(f, "location: %s\n", c->location);
	fprintf(f, "provider: %s\n", c->provider);
	fprintf(f, "sku: %s\n", sku_name(c->sku));
	fprintf(f, "billing: %s\n", billing_name(c->billing));
	fprintf(f, "provisioning: %s\n", provisioning_name(c->prov));
	fprintf(f, "status: %s\n", state_name(c->enabled));
	fprintf(f, "datapath: %s\n", datapath_name(c->datapath));
	peering_list(c, " ", peerings, sizeof(peerings));
	fprintf(f, "peerings: %s\n", peerings[0] ? peerings : "none");
	for (unsigned i = 0; i < c->n_vnets; i++) {
		fprintf(f, "vnet: %s ", c->vnets[i].name);
		text_spaces(f, &c->vnets[i]);
		fputc('\n', f);
	}
	if (c->lab)
		fprintf(f, "lab: %s (%s)%s%s\n", c->lab, c->lab_file ? c->lab_file : "-", c->shard[0] ? ", shard " : "",
			c->shard);
}

/* "primary_subnet: 10.0.0.0/30", then the customer (+1) and Microsoft (+2) addresses. */
static void text_subnet(FILE *f, const char *side, const char *suffix, const struct cidr *s)
{
	char buf[CIDR_STRLEN];
	struct cidr h;

	fprintf(f, "%s_subnet%s: %s\n", side, suffix, cidr_str(s, buf, sizeof(buf)));
	h = cidr_host(s, 1);
	fprintf(f, "customer_%s%s: %s\n", side, suffix, cidr_addr_str(&h, buf, sizeof(buf)));
	h = cidr_host(s, 2);
	fprintf(f, "microsoft_%s%s: %s\n", side, suffix, cidr_addr_str(&h, buf, sizeof(buf)));
}

void format_peering_text(FILE *f, const struct circuit *c, const struct peering *p)
{
	char port[PORT_MAX];

	fprintf(f, "circuit: %s\n", c->name);
	fprintf(f, "type: %s\n", access_type_lower(p->type));
	fprintf(f, "state: %s\n", state_name(p->enabled));
	if (p->has & PEERING_HAS_VLAN)
		fprintf(f, "vlan_id: %u\n", (unsigned)p->vlan_id);
	else
		fprintf(f, "vlan_id: none\n");
	if (p->has & PEERING_HAS_PEER_ASN)
		fprintf(f, "peer_asn: %" PRIu32 "\n", p->peer_asn);
	else
		fprintf(f, "peer_asn: none\n");
	fprintf(f, "azure_asn: %u\n", AZURE_ASN);
	if (p->has & PEERING_HAS_PRIMARY4)
		text_subnet(f, "primary", "", &p->primary4);
	if (p->has & PEERING_HAS_SECONDARY4)
		text_subnet(f, "secondary", "", &p->secondary4);
	if (p->has & PEERING_HAS_PRIMARY6)
		text_subnet(f, "primary", "_v6", &p->primary6);
	if (p->has & PEERING_HAS_SECONDARY6)
		text_subnet(f, "secondary", "_v6", &p->secondary6);
	if (p->has & PEERING_HAS_VLAN) {
		fprintf(f, "primary_azure_port: %s\n", azure_port(c, p, LINK_PRIMARY, port));
		fprintf(f, "secondary_azure_port: %s\n", azure_port(c, p, LINK_SECONDARY, port));
	}
	fprintf(f, "shared_key: %s\n", (p->has & PEERING_HAS_SHARED_KEY) && p->shared_key[0] ? "set" : "none");
	for (unsigned fam = 0; fam < _FAMILY_MAX; fam++) {
		const struct ms_config *m = &p->ms[fam];
		const char *suffix = fam == FAMILY_V6 ? "_v6" : "";
		char *prefixes;

		/* The IPv6 lines only where there is an IPv6 Microsoft config to speak of. */
		if (fam == FAMILY_V6 && (p->type != ACCESS_MICROSOFT || !peering_has_v6(p)))
			continue;
		prefixes = prefixes_join(m, ",");
		fprintf(f, "advertised_prefixes%s: %s\n", suffix, prefixes && prefixes[0] ? prefixes : "none");
		free(prefixes);
		fprintf(f, "advertised_prefixes_state%s: %s\n", suffix, prefix_state_name(m->prefix_state));
		if (m->customer_asn)
			fprintf(f, "customer_asn%s: %" PRIu32 "\n", suffix, m->customer_asn);
		else
			fprintf(f, "customer_asn%s: none\n", suffix);
		fprintf(f, "routing_registry%s: %s\n", suffix, m->registry[0] ? m->registry : "none");
	}
}

/* Long names push the row right rather than being cut: a name must stay copy-pasteable. */
#define LIST_FMT "%-20s  %-36s  %-9s  %-14s  %s\n"

void format_circuit_list_header(FILE *f)
{
	fprintf(f, LIST_FMT, "NAME", "SERVICE KEY", "BANDWIDTH", "PROVISIONING", "PEERINGS");
}

void format_circuit_list_row(FILE *f, const struct circuit *c)
{
	char bw[32], peerings[64];

	bandwidth_label(c->bandwidth, bw, sizeof(bw));
	peering_list(c, ",", peerings, sizeof(peerings));
	fprintf(f, LIST_FMT, c->name, c->service_key, bw, provisioning_name(c->prov),
		peerings[0] ? peerings : "-");
}

/* ---- JSON (docs/json.md) ---- */

/*
 * One row of a field table as a member: its key, its value typed as JSON — a number for U32/U16,
 * an array of strings for lists ([] when none), a string otherwise, null when the object has no
 * value for it (field_format's NULL). A secret row says only whether it is set, as "<key>_set".
 */
static void field_json(struct json *j, const struct field_table *t, const struct field *f, const void *obj)
{
	char *text = NULL, key[64];
	int r = field_format(t, f, obj, &text);

	if (r < 0) {
		jw_fail(j, r);
		return;
	}
	if (f->flags & FIELD_SECRET) {
		snprintf(key, sizeof(key), "%s_set", f->key);
		jw_kbool(j, key, text && text[0]);
		free(text);
		return;
	}
	jw_key(j, f->key);
	switch (f->kind) {
	case FIELD_U32:
	case FIELD_U16:
		if (text)
			jw_u64(j, strtoull(text, NULL, 10));
		else
			jw_null(j);
		break;
	case FIELD_PREFIXES:
	case FIELD_CIDRS:
		jw_array(j);
		/* field_format joins the list with commas; no address holds one. */
		for (char *item = text, *next; item && *item; item = next) {
			next = strchr(item, ',');
			jw_string_n(j, item, next ? (size_t)(next - item) : strlen(item));
			next = next ? next + 1 : NULL;
		}
		jw_array_end(j);
		break;
	default:
		jw_string(j, text);
	}
	free(text);
}

/* Every row of table t for obj, in the table's order. */
static void fields_json(struct json *j, const struct field_table *t, const void *obj)
{
	for (unsigned i = 0; i < t->n; i++)
		field_json(j, t, &t->rows[i], obj);
}

static void json_cidr_host(struct json *j, const char *key, bool present, const struct cidr *c, uint32_t n)
{
	char buf[CIDR_STRLEN];
	struct cidr h;

	if (!present) {
		jw_knull(j, key);
		return;
	}
	h = cidr_host(c, n);
	jw_kstring(j, key, cidr_addr_str(&h, buf, sizeof(buf)));
}

static void peering_members(struct json *j, const struct circuit *c, const struct peering *p)
{
	/* The hosts of each subnet: the customer's (network+1) and Microsoft's (+2). */
	static const char *const hosts[_SUBNET_MAX][2] = {
		{ "customer_primary", "microsoft_primary" },
		{ "customer_secondary", "microsoft_secondary" },
		{ "customer_primary_v6", "microsoft_primary_v6" },
		{ "customer_secondary_v6", "microsoft_secondary_v6" },
	};
	char port[PORT_MAX];
	bool vlan = p->has & PEERING_HAS_VLAN;

	jw_kstring(j, "type", access_type_lower(p->type));
	fields_json(j, &peering_fields, p);
	jw_ku64(j, "azure_asn", AZURE_ASN);
	for (enum subnet_slot i = 0; i < _SUBNET_MAX; i++) {
		bool has = p->has & subnet_slots[i].bit;

		json_cidr_host(j, hosts[i][0], has, peering_subnet(p, i), 1);
		json_cidr_host(j, hosts[i][1], has, peering_subnet(p, i), 2);
	}
	jw_kstring(j, "primary_azure_port", vlan ? azure_port(c, p, LINK_PRIMARY, port) : NULL);
	jw_kstring(j, "secondary_azure_port", vlan ? azure_port(c, p, LINK_SECONDARY, port) : NULL);
}

static void circuit_members(struct json *j, const struct circuit *c)
{
	fields_json(j, &circuit_fields, c);
	jw_key(j, "bgp");
	jw_object(j);
	fields_json(j, &bgp_fields, &c->bgp);
	jw_object_end(j);
	jw_key(j, "peerings");
	jw_array(j);
	for (int t = 0; t < _ACCESS_MAX; t++)
		if (c->peering_present[t]) {
			jw_object(j);
			peering_members(j, c, &c->peerings[t]);
			jw_object_end(j);
		}
	jw_array_end(j);
	jw_key(j, "vnets");
	jw_array(j);
	for (unsigned i = 0; i < c->n_vnets; i++) {
		jw_object(j);
		jw_kstring(j, "name", c->vnets[i].name);
		fields_json(j, &vnet_fields, &c->vnets[i]);
		jw_object_end(j);
	}
	jw_array_end(j);
	}

void format_circuit_json(struct json *j, const struct circuit *c)
{
	jw_object(j);
	circuit_members(j, c);
	jw_object_end(j);
}

int format_circuit_doc(FILE *f, const struct circuit *c)
{
	struct json j;

	jw_begin(&j, f, "circuit");
	circuit_members(&j, c);
	return jw_end(&j);
}

int format_circuit_list_doc(FILE *f, const struct circuit *v, unsigned n)
{
	struct json j;

	jw_begin(&j, f, "circuits");
	jw_key(&j, "circuits");
	jw_array(&j);
	for (unsigned i = 0; i < n; i++)
		format_circuit_json(&j, &v[i]);
	jw_array_end(&j);
	return jw_end(&j);
}

int format_peering_doc(FILE *f, const struct circuit *c, const struct peering *p)
{
	struct json j;

	jw_begin(&j, f, "peering");
	jw_kstring(&j, "circuit", c->name);
	peering_members(&j, c, p);
	return jw_end(&j);
}
