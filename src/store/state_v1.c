/* SPDX-License-Identifier: MIT */
/*
 * State files of version 1, the format before the field tables (docs/state.md): the same sections,
 * other key names and value spellings, and a `has` key per section where version 2 writes only
 * the keys that have a value. Each section's keys are translated to version 2's and then read as
 * any state file is, so nothing here knows a field's type or rule.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "core/field.h"
#include "core/num.h"
#include "store/store_int.h"

struct rename {
	const char *section;      /* "circuit", "peering", "bgp", "vnet" */
	const char *v1, *v2;      /* key names; v2 NULL: dropped */
	const char *const *values;  /* pairs of v1 and v2 spellings, NULL-terminated; NULL: as is */
};

static const char *const provisioning_values[] = { "Provisioned", "yes", "NotProvisioned", "no", NULL };
static const char *const speaker_values[] = { "yes", "bird", "no", "none", NULL };

static const struct rename renames[] = {
	{ "circuit", "provider", "service_provider_name", NULL },
	{ "circuit", "billing", "billing_type", NULL },
	{ "circuit", "provisioning", "provisioned", provisioning_values },
	{ "circuit", "has", NULL, NULL },
	{ "peering", "primary_subnet", "primary_peer_subnet", NULL },
	{ "peering", "secondary_subnet", "secondary_peer_subnet", NULL },
	{ "peering", "primary_subnet_v6", "primary_peer_subnet_v6", NULL },
	{ "peering", "secondary_subnet_v6", "secondary_peer_subnet_v6", NULL },
	{ "peering", "routing_registry", "routing_registry_name", NULL },
	{ "peering", "advertised_prefixes", "advertised_public_prefixes", NULL },
	{ "peering", "advertised_prefixes_state", "advertised_public_prefixes_state", NULL },
	{ "peering", "has", NULL, NULL },
	{ "bgp", "msee", "msee", speaker_values },
	{ "bgp", "customer", "customer", speaker_values },
	{ "vnet", "name", NULL, NULL },
};

static bool in_section(const char *norm, const char *section)
{
	size_t len = strlen(section);

	return strncmp(norm, section, len) == 0 && (!norm[len] || norm[len] == ' ');
}

/* The rename of key in this section; a list's continuation (key_N) follows its list's. */
static const struct rename *rename_of(const char *norm, const char *key, const char **ret_suffix)
{
	*ret_suffix = "";
	for (size_t i = 0; i < sizeof(renames) / sizeof(renames[0]); i++) {
		const struct rename *r = &renames[i];
		size_t len = strlen(r->v1);

		if (!in_section(norm, r->section) || strncmp(key, r->v1, len) != 0)
			continue;
		if (!key[len])
			return r;
		if (key[len] == '_' && key[len + 1] >= '2' && key[len + 1] <= '9' && strcmp(r->v1, "advertised_prefixes") == 0) {
			*ret_suffix = key + len;
			return r;
		}
	}
	return NULL;
}

static const char *value_of(const struct rename *r, const char *v)
{
	for (const char *const *p = r && r->values ? r->values : NULL; p && *p; p += 2)
		if (strcmp(p[0], v) == 0)
			return p[1];
	return v;
}

/* Version 1 wrote every key; its `has` said which of them hold a value. */
static bool has_value(const struct ini_section *s, const char *v2key, unsigned has, bool has_known)
{
	const struct field *f = NULL;

	if (in_section(s->norm, "peering"))
		f = field_by_key(&peering_fields, v2key);
	return !has_known || !f || !f->has || (has & f->has);
}

static char *keep(struct state_v1 *v, char *s)
{
	if (s)
		v->owned[v->n_owned++] = s;
	return s;
}

static bool is_prefix_list_key(const char *key)
{
	static const char base[] = "advertised_public_prefixes";

	return strncmp(key, base, sizeof(base) - 1) == 0 &&
	       (!key[sizeof(base) - 1] || (key[sizeof(base) - 1] == '_' && key[sizeof(base)] >= '2' &&
					   key[sizeof(base)] <= '9'));
}

static const struct ini_key *find_out(const struct state_v1 *v, const char *key)
{
	for (unsigned i = 0; i < v->n; i++)
		if (strcmp(v->keys[i].key, key) == 0)
			return &v->keys[i];
	return NULL;
}

/*
 * Version 1 kept one Microsoft config for both families: one prefix list holding IPv4 and IPv6,
 * one customer ASN, registry and state. Version 2 keeps one per family (docs/state.md): the IPv6
 * prefixes move to advertised_public_prefixes_v6, and a peering with IPv6 sessions gets the
 * customer ASN, registry and state for its IPv6 family too. Items are only sorted by family here
 * (an IPv6 prefix has a ':'); their own reader judges them.
 */
static int split_families(struct state_v1 *v, unsigned line)
{
	static const char *const shared[] = { "customer_asn", "routing_registry_name", "advertised_public_prefixes_state" };
	size_t total = 1;
	char *all, *v4, *v6, *save = NULL;
	unsigned n = 0;

	for (unsigned i = 0; i < v->n; i++)
		if (is_prefix_list_key(v->keys[i].key))
			total += strlen(v->keys[i].value) + 1;
	all = keep(v, calloc(1, total));
	v4 = keep(v, calloc(1, total));
	v6 = keep(v, calloc(1, total));
	if (!all || !v4 || !v6)
		return -ENOMEM;
	for (unsigned i = 0; i < v->n; i++) {
		if (!is_prefix_list_key(v->keys[i].key)) {
			v->keys[n++] = v->keys[i];
			continue;
		}
		strcat(all, ",");
		strcat(all, v->keys[i].value);
	}
	v->n = n;
	for (char *item = strtok_r(all, ",", &save); item; item = strtok_r(NULL, ",", &save)) {
		char *dst = strchr(item, ':') ? v6 : v4;

		while (*item == ' ' || *item == '\t')
			item++;
		if (!*item)
			continue;
		if (*dst)
			strcat(dst, ",");
		strcat(dst, item);
	}
	if (*v4)
		v->keys[v->n++] = (struct ini_key){ "advertised_public_prefixes", v4, line };
	if (*v6)
		v->keys[v->n++] = (struct ini_key){ "advertised_public_prefixes_v6", v6, line };
	if (!find_out(v, "primary_peer_subnet_v6"))
		return 0;
	for (size_t i = 0; i < sizeof(shared) / sizeof(shared[0]); i++) {
		const struct ini_key *k = find_out(v, shared[i]);
		char *name;

		if (!k)
			continue;
		name = keep(v, malloc(strlen(shared[i]) + 4));
		if (!name)
			return -ENOMEM;
		strcpy(name, shared[i]);
		strcat(name, "_v6");
		v->keys[v->n++] = (struct ini_key){ name, k->value, k->line };
	}
	return 0;
}

int state_v1_keys(const struct ini_doc *d, const struct ini_section *s, struct state_v1 *ret)
{
	const struct ini_key *has_key = ini_key_find(d, s, "has");
	uint32_t has = 0;
	bool has_known = has_key && num_parse_u32(has_key->value, 0, UINT32_MAX, &has) == 0;

	memset(ret, 0, sizeof(*ret));
	/* Room for split_families: two lists and three _v6 keys more, and what it allocates. */
	ret->keys = calloc(s->n + 6, sizeof(*ret->keys));
	ret->owned = calloc(s->n + 8, sizeof(*ret->owned));
	if (!ret->keys || !ret->owned)
		goto oom;
	for (unsigned i = 0; i < s->n; i++) {
		const struct ini_key *k = &d->keys[s->first + i];
		const char *suffix;
		const struct rename *r = rename_of(s->norm, k->key, &suffix);
		struct ini_key out = *k;

		if (r && !r->v2)
			continue;
		if (r) {
			size_t len = strlen(r->v2) + strlen(suffix) + 1;
			char *name = keep(ret, malloc(len));

			if (!name)
				goto oom;
			memcpy(name, r->v2, strlen(r->v2));
			memcpy(name + strlen(r->v2), suffix, strlen(suffix) + 1);
			out.key = name;
			out.value = value_of(r, k->value);
		}
		/* An empty value was version 1's "none" (shared_key = "", advertised_prefixes = ""). */
		if (!out.value[0] || !has_value(s, out.key, has, has_known))
			continue;
		ret->keys[ret->n++] = out;
	}
	if (in_section(s->norm, "peering") && split_families(ret, s->line) < 0)
		goto oom;
	return 0;
oom:
	state_v1_free(ret);
	return -ENOMEM;
}

void state_v1_free(struct state_v1 *v)
{
	for (unsigned i = 0; i < v->n_owned; i++)
		free(v->owned[i]);
	free(v->owned);
	free(v->keys);
	memset(v, 0, sizeof(*v));
}
