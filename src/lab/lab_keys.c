/* SPDX-License-Identifier: MIT */
/*
 * The table of section kind -> key -> parser -> field (systemd-networkd's gperf tables, by hand),
 * the section headers it knows, and every key of a section read through it.
 */
#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "core/join.h"
#include "lab/lab_int.h"

#define CIRCUIT_ID_MAX 63

#define FIELD(type, member) offsetof(type, member)
#define TEXT(type, member) offsetof(type, member), sizeof(((type *)0)->member)

static const struct key_def key_table[] = {
	{ SEC_LAB, "datapath", lab_parse_datapath, FIELD(struct lab, datapath), 0, 0, T_ALL, 0, false },

	{ SEC_CIRCUIT, "name", lab_parse_text, TEXT(struct circuit, name), 0, T_ALL, 0, false },
	{ SEC_CIRCUIT, "service_key", lab_parse_guid, FIELD(struct circuit, service_key), 0, CIRCUIT_HAS_KEY, T_ALL, 0, false },
	{ SEC_CIRCUIT, "bandwidth", lab_parse_bandwidth, FIELD(struct circuit, bandwidth), 0, CIRCUIT_HAS_BANDWIDTH, T_ALL, T_ALL, false },
	{ SEC_CIRCUIT, "location", lab_parse_text, TEXT(struct circuit, location), CIRCUIT_HAS_LOCATION, T_ALL, T_ALL, false },
	{ SEC_CIRCUIT, "service_provider_name", lab_parse_text, TEXT(struct circuit, provider), CIRCUIT_HAS_PROVIDER, T_ALL, T_ALL, false },
	{ SEC_CIRCUIT, "sku", lab_parse_sku, FIELD(struct circuit, sku), 0, CIRCUIT_HAS_SKU, T_ALL, 0, false },
	{ SEC_CIRCUIT, "billing_type", lab_parse_billing, FIELD(struct circuit, billing), 0, CIRCUIT_HAS_BILLING, T_ALL, 0, false },
	{ SEC_CIRCUIT, "provisioned", lab_parse_provisioned, FIELD(struct circuit, prov), 0, CIRCUIT_HAS_PROV, T_ALL, 0, false },

	{ SEC_PEERING, "primary_peer_subnet", lab_parse_subnet, FIELD(struct peering, primary4), AF_INET, PEERING_HAS_PRIMARY4, T_ALL, 0, false },
	{ SEC_PEERING, "secondary_peer_subnet", lab_parse_subnet, FIELD(struct peering, secondary4), AF_INET, PEERING_HAS_SECONDARY4, T_ALL, 0, false },
	{ SEC_PEERING, "primary_peer_subnet_v6", lab_parse_subnet, FIELD(struct peering, primary6), AF_INET6, PEERING_HAS_PRIMARY6, T_PRIV | T_MS, 0, false },
	{ SEC_PEERING, "secondary_peer_subnet_v6", lab_parse_subnet, FIELD(struct peering, secondary6), AF_INET6, PEERING_HAS_SECONDARY6, T_PRIV | T_MS, 0, false },
	{ SEC_PEERING, "peer_asn", lab_parse_peer_asn, FIELD(struct peering, peer_asn), 0, PEERING_HAS_PEER_ASN, T_ALL, T_ALL, false },
	{ SEC_PEERING, "vlan_id", lab_parse_vlan, FIELD(struct peering, vlan_id), 0, PEERING_HAS_VLAN, T_ALL, T_ALL, false },
	{ SEC_PEERING, "shared_key", lab_parse_shared_key, TEXT(struct peering, shared_key), PEERING_HAS_SHARED_KEY, T_ALL, 0, true },
	{ SEC_PEERING, "advertised_public_prefixes", lab_parse_prefixes, FIELD(struct peering, prefixes), FIELD(struct peering, n_prefixes), PEERING_HAS_PREFIXES, T_MS, T_MS, false },
	{ SEC_PEERING, "customer_asn", lab_parse_customer_asn, FIELD(struct peering, customer_asn), 0, PEERING_HAS_CUSTOMER_ASN, T_MS, 0, false },
	{ SEC_PEERING, "routing_registry_name", lab_parse_registry_name, TEXT(struct peering, registry), PEERING_HAS_REGISTRY, T_MS, 0, false },

	{ SEC_VNET, "address_space", lab_parse_cidr_list, FIELD(struct vnet, spaces), FIELD(struct vnet, n_spaces), 0, T_ALL, T_ALL, false },

	{ SEC_BGP, "msee", lab_parse_bird, FIELD(struct lab, bgp.msee), 0, 0, T_ALL, 0, false },
	{ SEC_BGP, "customer", lab_parse_bird, FIELD(struct lab, bgp.customer), 0, 0, T_ALL, 0, false },
	{ SEC_BGP, "customer_prefixes", lab_parse_cidr_list, FIELD(struct lab, bgp.prefixes), FIELD(struct lab, bgp.n_prefixes), 0, T_ALL, 0, false },
	/* [registry] keys are prefixes, not names: lab_parse_registry_entry() reads them. */
};

struct section_def {
	const char *word;
	unsigned n_words;
	const char *form;
};

static const struct section_def section_defs[_SEC_MAX] = {
	[SEC_LAB] = { "lab", 1, "[lab]" },
	[SEC_CIRCUIT] = { "circuit", 2, "[circuit ID]" },
	[SEC_PEERING] = { "peering", 3, "[peering ID private|public|microsoft]" },
	[SEC_VNET] = { "vnet", 3, "[vnet ID NAME]" },
	[SEC_BGP] = { "bgp", 1, "[bgp]" },
	[SEC_REGISTRY] = { "registry", 1, "[registry]" },
};

const struct key_def *lab_key_find(enum section_kind kind, const char *key)
{
	for (size_t i = 0; i < ARRAY_SIZE(key_table); i++)
		if (key_table[i].kind == kind && strcmp(key_table[i].key, key) == 0)
			return &key_table[i];
	return NULL;
}

bool lab_key_is_secret(const char *key)
{
	for (size_t i = 0; i < ARRAY_SIZE(key_table); i++)
		if (key_table[i].secret && strcmp(key_table[i].key, key) == 0)
			return true;
	return false;
}

static bool id_ok(const char *id)
{
	size_t len = strlen(id);

	if (len < 1 || len > CIRCUIT_ID_MAX)
		return false;
	for (size_t i = 0; i < len; i++)
		if (!isalnum((unsigned char)id[i]) && !strchr("._-", id[i]))
			return false;
	return true;
}

/* Kind and words of a header; reports unknown and malformed ones. */
void lab_classify(struct loader *ld, struct section *s)
{
	char d[160], *save = NULL, *w;
	unsigned n = 0;

	s->kind = SEC_UNKNOWN;
	s->circuit = -1;
	s->words_buf = strdup(s->pre->written);
	if (!s->words_buf) {
		ld->oom = true;
		return;
	}
	for (w = strtok_r(s->words_buf, " \t\r\v\f", &save); w; w = strtok_r(NULL, " \t\r\v\f", &save)) {
		if (n < ARRAY_SIZE(s->words))
			s->words[n] = w;
		n++;
	}

	for (int k = 0; k < _SEC_MAX; k++) {
		if (strcasecmp(s->words[0], section_defs[k].word) != 0)
			continue;
		if (n != section_defs[k].n_words) {
			lab_section_err(ld, s, -EINVAL, "malformed section header",
					err_fmt(d, sizeof(d), "expected %s", section_defs[k].form));
			return;
		}
		s->kind = (enum section_kind)k;
		break;
	}
	if (s->kind == SEC_UNKNOWN) {
		lab_section_err(ld, s, -EINVAL, "unknown section",
				"expected [lab], [circuit ID], [peering ID TYPE], [vnet ID NAME], [bgp] or [registry]");
		return;
	}
	if ((s->kind == SEC_CIRCUIT || s->kind == SEC_PEERING || s->kind == SEC_VNET) && !id_ok(s->words[1])) {
		lab_section_err(ld, s, -EINVAL, "invalid circuit ID", "use 1-63 of A-Z a-z 0-9 . _ -");
		s->kind = SEC_UNKNOWN;
		return;
	}
	if (s->kind == SEC_PEERING) {
		s->type = access_type_from_string(s->words[2]);
		if (s->type < 0 || s->type >= _ACCESS_MAX) {
			lab_section_err(ld, s, -EINVAL, "unknown peering type", "use private, public or microsoft");
			s->kind = SEC_UNKNOWN;
		}
	}
}

static void set_has(const struct section *s, void *obj, unsigned has)
{
	if (s->kind == SEC_CIRCUIT)
		((struct circuit *)obj)->has |= has;
	else if (s->kind == SEC_PEERING)
		((struct peering *)obj)->has |= has;
}

static void missing(struct loader *ld, struct section *s, const char *key, const char *detail)
{
	char m[96];

	lab_section_err(ld, s, -EINVAL, err_fmt(m, sizeof(m), "missing required key %s", key), detail);
	s->bad = true;
}

static bool key_seen(const bool *seen, enum section_kind kind, const char *key)
{
	return seen[lab_key_find(kind, key) - key_table];
}

/* A subnet pair: IPv4, IPv6 (not on Public), or both; never half of one. */
static void check_subnet_pairs(struct loader *ld, struct section *s, const bool *seen)
{
	bool p4 = key_seen(seen, SEC_PEERING, "primary_peer_subnet");
	bool s4 = key_seen(seen, SEC_PEERING, "secondary_peer_subnet");
	bool p6 = key_seen(seen, SEC_PEERING, "primary_peer_subnet_v6");
	bool s6 = key_seen(seen, SEC_PEERING, "secondary_peer_subnet_v6");
	const char *either = s->type == ACCESS_PUBLIC ? NULL :
			     "or primary_peer_subnet_v6 and secondary_peer_subnet_v6";

	if (!p4 && !s4 && !p6 && !s6) {
		missing(ld, s, "primary_peer_subnet", either);
		missing(ld, s, "secondary_peer_subnet", either);
		return;
	}
	if (p4 != s4)
		missing(ld, s, p4 ? "secondary_peer_subnet" : "primary_peer_subnet", NULL);
	if (p6 != s6)
		missing(ld, s, p6 ? "secondary_peer_subnet_v6" : "primary_peer_subnet_v6", NULL);
}

static void key_list(enum section_kind kind, char *buf, size_t len)
{
	size_t used = 0;

	buf[0] = '\0';
	for (size_t i = 0; i < ARRAY_SIZE(key_table); i++)
		if (key_table[i].kind == kind)
			used = join_append(buf, len, used, ", ", key_table[i].key);
}

/* Every key of the section through the table, then the required ones. */
void lab_load_keys(struct loader *ld, struct section *s, void *obj)
{
	bool seen[ARRAY_SIZE(key_table)] = { false };
	unsigned variant = s->kind == SEC_PEERING ? (unsigned)s->type : 0;
	char d[256], w[sizeof(((struct err *)0)->what)];

	for (unsigned e = ld->isecs[s->isec].head; e != IDX_NONE; e = ld->ents[e].next) {
		const char *key = ld->ents[e].key;
		const char *value = ld->ents[e].value ? ld->ents[e].value : "";
		const struct key_def *k;
		int r;

		if (s->kind == SEC_REGISTRY) {
			lab_parse_registry_entry(ld, s, key, value);
			continue;
		}
		k = lab_key_find(s->kind, key);
		if (!k) {
			key_list(s->kind, d, sizeof(d));
			lab_add_err(ld, -EINVAL, lab_key_what(ld, s->pre, key, value, false, w, sizeof(w)), "unknown key",
				    d[0] ? d : NULL);
			s->bad = true;
			continue;
		}
		if (!(k->applies & (1u << variant))) {
			char m[96];

			lab_add_err(ld, -EINVAL, lab_key_what(ld, s->pre, key, value, k->secret, w, sizeof(w)),
				    err_fmt(m, sizeof(m), "not a key of %s peering", access_type_lower(s->type)),
				    k->applies == T_MS ? "only Microsoft peering has it" :
						     "IPv6 subnets are for private and Microsoft peering");
			s->bad = true;
			continue;
		}
		seen[k - key_table] = true;
		r = k->parse(ld, s, k, value, obj);
		if (r < 0)
			s->bad = true;
		else if (r == 0)
			set_has(s, obj, k->has);
	}

	for (size_t i = 0; i < ARRAY_SIZE(key_table); i++)
		if (key_table[i].kind == s->kind && (key_table[i].required & (1u << variant)) && !seen[i])
			missing(ld, s, key_table[i].key, NULL);
	if (s->kind == SEC_PEERING)
		check_subnet_pairs(ld, s, seen);
}
