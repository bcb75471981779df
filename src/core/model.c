/* SPDX-License-Identifier: MIT */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/socket.h>

#include "core/model.h"

/* Duplicate n elements of size sz; NULL with *ret_err = 0 for an empty array. */
static void *dup_array(const void *src, unsigned n, size_t sz, int *ret_err)
{
	void *p;

	*ret_err = 0;
	if (!src || n == 0)
		return NULL;
	p = calloc(n, sz);
	if (!p) {
		*ret_err = -ENOMEM;
		return NULL;
	}
	memcpy(p, src, (size_t)n * sz);
	return p;
}

void peering_init(struct peering *p, enum access_type type)
{
	memset(p, 0, sizeof(*p));
	p->type = type;
	p->enabled = true;
	/* The classic how-to prints Configured for every peering type, private included. */
	for (unsigned f = 0; f < _FAMILY_MAX; f++)
		p->ms[f].prefix_state = PREFIX_CONFIGURED;
}

void peering_clear(struct peering *p)
{
	for (unsigned f = 0; f < _FAMILY_MAX; f++)
		free(p->ms[f].prefixes);
	peering_init(p, p->type);
}

/* dst is treated as uninitialised: whatever it held is overwritten, not freed. */
int peering_copy(struct peering *dst, const struct peering *src)
{
	struct peering tmp;
	int r;

	if (dst == src)
		return 0;
	tmp = *src;
	for (unsigned f = 0; f < _FAMILY_MAX; f++) {
		const struct ms_config *m = &src->ms[f];

		tmp.ms[f].prefixes = dup_array(m->prefixes, m->n_prefixes, sizeof(*m->prefixes), &r);
		if (r < 0) {
			if (f > 0)
				free(tmp.ms[0].prefixes);
			return r;
		}
		if (!tmp.ms[f].prefixes)
			tmp.ms[f].n_prefixes = 0;
	}
	*dst = tmp;
	return 0;
}

int peering_merge(struct peering *dst, const struct peering *patch)
{
	struct cidr *prefixes[_FAMILY_MAX] = { NULL };
	unsigned has = patch->has, f;
	int r;

	if (dst == patch)
		return 0;
	/* Allocate first so a failure leaves dst untouched. */
	for (f = 0; f < _FAMILY_MAX; f++) {
		const struct ms_config *m = &patch->ms[f];

		if (!(has & families[f].prefixes))
			continue;
		prefixes[f] = dup_array(m->prefixes, m->n_prefixes, sizeof(*m->prefixes), &r);
		if (r < 0) {
			free(prefixes[0]);
			return r;
		}
	}
	for (f = 0; f < _FAMILY_MAX; f++) {
		struct ms_config *d = &dst->ms[f];
		const struct ms_config *m = &patch->ms[f];

		if (has & families[f].prefixes) {
			free(d->prefixes);
			d->prefixes = prefixes[f];
			d->n_prefixes = prefixes[f] ? m->n_prefixes : 0;
		}
		if (has & families[f].customer_asn)
			d->customer_asn = m->customer_asn;
		if (has & families[f].registry)
			memcpy(d->registry, m->registry, sizeof(d->registry));
	}
	if (has & PEERING_HAS_PEER_ASN)
		dst->peer_asn = patch->peer_asn;
	if (has & PEERING_HAS_VLAN)
		dst->vlan_id = patch->vlan_id;
	for (enum subnet_slot s = 0; s < _SUBNET_MAX; s++)
		if (has & subnet_slots[s].bit)
			*peering_subnet_w(dst, s) = *peering_subnet(patch, s);
	if (has & PEERING_HAS_SHARED_KEY)
		memcpy(dst->shared_key, patch->shared_key, sizeof(dst->shared_key));
	dst->has |= has;
	return 0;
}

const struct family_info families[_FAMILY_MAX] = {
	[FAMILY_V4] = { AF_INET, "IPv4", PEERING_HAS_PRIMARY4 | PEERING_HAS_SECONDARY4, PEERING_HAS_PREFIXES,
			PEERING_HAS_CUSTOMER_ASN, PEERING_HAS_REGISTRY },
	[FAMILY_V6] = { AF_INET6, "IPv6", PEERING_HAS_PRIMARY6 | PEERING_HAS_SECONDARY6, PEERING_HAS_PREFIXES6,
			PEERING_HAS_CUSTOMER_ASN6, PEERING_HAS_REGISTRY6 },
};

enum family family_of_af(int af)
{
	return af == AF_INET ? FAMILY_V4 : af == AF_INET6 ? FAMILY_V6 : _FAMILY_INVALID;
}

enum family family_from_string(const char *s)
{
	for (unsigned f = 0; s && f < _FAMILY_MAX; f++)
		if (strcasecmp(s, families[f].name) == 0)
			return (enum family)f;
	return _FAMILY_INVALID;
}

bool peering_has_family(const struct peering *p, enum family f)
{
	return (p->has & families[f].subnets) == families[f].subnets;
}

void peering_drop_family(struct peering *p, enum family f)
{
	const struct family_info *fi = &families[f];

	free(p->ms[f].prefixes);
	memset(&p->ms[f], 0, sizeof(p->ms[f]));
	p->ms[f].prefix_state = PREFIX_CONFIGURED;
	p->has &= ~(fi->subnets | fi->prefixes | fi->customer_asn | fi->registry);
	for (enum subnet_slot s = 0; s < _SUBNET_MAX; s++)
		if (fi->subnets & subnet_slots[s].bit)
			memset(peering_subnet_w(p, s), 0, sizeof(struct cidr));
}

/* A family is usable only when both links have a subnet. */
bool peering_has_v4(const struct peering *p)
{
	return peering_has_family(p, FAMILY_V4);
}

bool peering_has_v6(const struct peering *p)
{
	return peering_has_family(p, FAMILY_V6);
}

void vnet_clear(struct vnet *v)
{
	free(v->spaces);
	memset(v, 0, sizeof(*v));
}

/* dst is treated as uninitialised. */
int vnet_copy(struct vnet *dst, const struct vnet *src)
{
	struct vnet tmp;
	int r;

	if (dst == src)
		return 0;
	tmp = *src;
	tmp.spaces = dup_array(src->spaces, src->n_spaces, sizeof(*src->spaces), &r);
	if (r < 0)
		return r;
	if (!tmp.spaces)
		tmp.n_spaces = 0;
	*dst = tmp;
	return 0;
}

void circuit_init(struct circuit *c)
{
	unsigned t;

	memset(c, 0, sizeof(*c));
	c->sku = SKU_STANDARD;
	c->billing = BILLING_METERED;
	c->prov = PROV_NOT_PROVISIONED;
	c->enabled = true;
	c->datapath = DATAPATH_AUTO;
	for (t = 0; t < _ACCESS_MAX; t++)
		peering_init(&c->peerings[t], (enum access_type)t);
}

void circuit_list_free(struct circuit *list, unsigned n)
{
	for (unsigned i = 0; i < n; i++)
		circuit_clear(&list[i]);
	free(list);
}

void circuit_clear(struct circuit *c)
{
	unsigned i;

	for (i = 0; i < _ACCESS_MAX; i++)
		peering_clear(&c->peerings[i]);
	for (i = 0; i < c->n_vnets; i++)
		vnet_clear(&c->vnets[i]);
	free(c->vnets);
	free(c->lab);
	free(c->lab_file);
	free(c->bgp.prefixes);
	circuit_init(c);
}

/* dst is treated as uninitialised; on failure it is left untouched. */
int circuit_copy(struct circuit *dst, const struct circuit *src)
{
	struct circuit tmp;
	unsigned i;
	int r = 0;

	if (dst == src)
		return 0;
	tmp = *src;
	for (i = 0; i < _ACCESS_MAX; i++)
		for (unsigned f = 0; f < _FAMILY_MAX; f++)
			tmp.peerings[i].ms[f].prefixes = NULL;
	tmp.vnets = NULL;
	tmp.n_vnets = 0;
	tmp.lab = NULL;
	tmp.lab_file = NULL;
	tmp.bgp.prefixes = NULL;
	tmp.bgp.n_prefixes = 0;

	for (i = 0; i < _ACCESS_MAX; i++) {
		r = peering_copy(&tmp.peerings[i], &src->peerings[i]);
		if (r < 0)
			goto fail;
	}
	if (src->n_vnets > 0 && src->vnets) {
		tmp.vnets = calloc(src->n_vnets, sizeof(*tmp.vnets));
		if (!tmp.vnets) {
			r = -ENOMEM;
			goto fail;
		}
		for (i = 0; i < src->n_vnets; i++) {
			r = vnet_copy(&tmp.vnets[i], &src->vnets[i]);
			if (r < 0)
				goto fail;
			tmp.n_vnets = i + 1;
		}
	}
	if (src->bgp.n_prefixes) {
		tmp.bgp.prefixes = dup_array(src->bgp.prefixes, src->bgp.n_prefixes,
						  sizeof(*src->bgp.prefixes), &r);
		if (r < 0)
			goto fail;
		tmp.bgp.n_prefixes = src->bgp.n_prefixes;
	}
	if ((src->lab && !(tmp.lab = strdup(src->lab))) || (src->lab_file && !(tmp.lab_file = strdup(src->lab_file)))) {
		r = -ENOMEM;
		goto fail;
	}
	*dst = tmp;
	return 0;

fail:
	/* tmp holds only what was duplicated so far (the rest is NULL), so clearing it is safe. */
	circuit_clear(&tmp);
	return r;
}

/* Enum <-> name. Parsers compare case-insensitively: cmdlet parameters and lab keys both are. */
static int lookup(const char *const *names, unsigned n, const char *s)
{
	unsigned i;

	if (!s)
		return -EINVAL;
	for (i = 0; i < n; i++)
		if (strcasecmp(names[i], s) == 0)
			return (int)i;
	return -EINVAL;
}

static const char *name_of(const char *const *names, unsigned n, int v)
{
	return v >= 0 && (unsigned)v < n ? names[v] : "unknown";
}

static const char *const access_names[_ACCESS_MAX] = { "Private", "Public", "Microsoft" };
static const char *const access_lower[_ACCESS_MAX] = { "private", "public", "microsoft" };
/* The ARM / az CLI spellings, so copied ARM commands still work. */
static const char *const access_arm[_ACCESS_MAX] = {
	"AzurePrivatePeering", "AzurePublicPeering", "MicrosoftPeering",
};

const char *access_type_name(enum access_type t)
{
	return name_of(access_names, _ACCESS_MAX, t);
}

const char *access_type_lower(enum access_type t)
{
	return name_of(access_lower, _ACCESS_MAX, t);
}

enum access_type access_type_from_string(const char *s)
{
	int v = lookup(access_names, _ACCESS_MAX, s);

	if (v < 0)
		v = lookup(access_arm, _ACCESS_MAX, s);
	return v < 0 ? _ACCESS_INVALID : (enum access_type)v;
}

static const char *const sku_names[_SKU_MAX] = { "Standard", "Premium" };

const char *sku_name(enum sku s)
{
	return name_of(sku_names, _SKU_MAX, s);
}

enum sku sku_from_string(const char *s)
{
	int v = lookup(sku_names, _SKU_MAX, s);

	return v < 0 ? _SKU_INVALID : (enum sku)v;
}

static const char *const billing_names[_BILLING_MAX] = { "MeteredData", "UnlimitedData" };

const char *billing_name(enum billing b)
{
	return name_of(billing_names, _BILLING_MAX, b);
}

enum billing billing_from_string(const char *s)
{
	int v = lookup(billing_names, _BILLING_MAX, s);

	return v < 0 ? _BILLING_INVALID : (enum billing)v;
}

static const char *const prov_names[_PROV_MAX] = { "NotProvisioned", "Provisioned" };

const char *provisioning_name(enum provisioning p)
{
	return name_of(prov_names, _PROV_MAX, p);
}

enum provisioning provisioning_from_string(const char *s)
{
	int v = lookup(prov_names, _PROV_MAX, s);

	return v < 0 ? _PROV_INVALID : (enum provisioning)v;
}

static const char *const datapath_names[_DATAPATH_MAX] = { "auto", "vlan", "veth" };

const char *datapath_name(enum datapath d)
{
	return name_of(datapath_names, _DATAPATH_MAX, d);
}

enum datapath datapath_from_string(const char *s)
{
	int v = lookup(datapath_names, _DATAPATH_MAX, s);

	return v < 0 ? _DATAPATH_INVALID : (enum datapath)v;
}

static const char *const prefix_state_names[_PREFIX_MAX] = {
	"NotConfigured", "Configuring", "Configured", "ValidationNeeded",
};

const char *prefix_state_name(enum prefix_state s)
{
	return name_of(prefix_state_names, _PREFIX_MAX, s);
}

enum prefix_state prefix_state_from_string(const char *s)
{
	int v = lookup(prefix_state_names, _PREFIX_MAX, s);

	return v < 0 ? _PREFIX_INVALID : (enum prefix_state)v;
}

const struct subnet_slot_info subnet_slots[_SUBNET_MAX] = {
	[SUBNET_PRIMARY4] = { PEERING_HAS_PRIMARY4, AF_INET, LINK_PRIMARY, "primary_subnet" },
	[SUBNET_SECONDARY4] = { PEERING_HAS_SECONDARY4, AF_INET, LINK_SECONDARY, "secondary_subnet" },
	[SUBNET_PRIMARY6] = { PEERING_HAS_PRIMARY6, AF_INET6, LINK_PRIMARY, "primary_subnet_v6" },
	[SUBNET_SECONDARY6] = { PEERING_HAS_SECONDARY6, AF_INET6, LINK_SECONDARY, "secondary_subnet_v6" },
};

enum subnet_slot subnet_slot_of(enum link_side side, bool v6)
{
	return (v6 ? SUBNET_PRIMARY6 : SUBNET_PRIMARY4) + (side == LINK_SECONDARY);
}

struct cidr *peering_subnet_w(struct peering *p, enum subnet_slot s)
{
	switch (s) {
	case SUBNET_PRIMARY4: return &p->primary4;
	case SUBNET_SECONDARY4: return &p->secondary4;
	case SUBNET_PRIMARY6: return &p->primary6;
	default: return &p->secondary6;
	}
}

const struct cidr *peering_subnet(const struct peering *p, enum subnet_slot s)
{
	return peering_subnet_w((struct peering *)p, s);
}

static const char *const link_side_names[_LINK_MAX] = { "primary", "secondary" };

const char *link_side_name(enum link_side s)
{
	return name_of(link_side_names, _LINK_MAX, s);
}

enum link_side link_side_from_string(const char *s)
{
	int v = lookup(link_side_names, _LINK_MAX, s);

	return v < 0 ? _LINK_INVALID : (enum link_side)v;
}

static const char *const ns_role_names[_NS_MAX] = { "customer", "microsoft" };

const char *ns_role_name(enum ns_role r)
{
	return name_of(ns_role_names, _NS_MAX, r);
}

static const char *const side_names[_SIDE_MAX] = { "microsoft", "customer" };

enum circuit_side circuit_side_from_string(const char *s)
{
	int v = lookup(side_names, _SIDE_MAX, s);

	return v < 0 ? _SIDE_INVALID : (enum circuit_side)v;
}

const char *circuit_side_name(enum circuit_side s)
{
	return name_of(side_names, _SIDE_MAX, s);
}
