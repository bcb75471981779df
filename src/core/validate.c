/* SPDX-License-Identifier: MIT */
/*
 * docs/rules.md. Where Azure has a recorded text (docs/rules.md, "Azure error texts") it is the
 * message verbatim, typos and double spaces included, so the cmdlet face can print it as Azure
 * would; elsewhere the text is erlab's own, phrased the same way.
 */
#include <errno.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "core/names.h"
#include "core/provider.h"
#include "core/join.h"
#include "core/validate.h"
#include "core/attach.h"

#define SHOW_MAX ERR_SHOW_MAX

static const char *const registries[] = {
	"ARIN", "APNIC", "AFRINIC", "LACNIC", "RIPENCC", "RADB", "ALTDB", "LEVEL3",
};

struct asn_range {
	uint32_t lo, hi;
	const char *why;
};

/* Never valid as PeerAsn or CustomerAsn. */
static const struct asn_range reserved_asns[] = {
	{ 0, 0, "AS 0 is reserved (RFC 7607)" },
	{ 8074, 8075, "8074 and 8075 are Microsoft's own AS numbers" },
	{ AZURE_ASN, AZURE_ASN, "12076 is Microsoft's own AS (AzureAsn)" },
	{ 23456, 23456, "23456 is AS_TRANS (RFC 6793)" },
	{ 64496, 64511, "64496-64511 are reserved for documentation (RFC 5398)" },
	{ 65515, 65520, "65515-65520 are reserved by Azure for internal use" },
	{ 65535, 65535, "65535 is reserved (RFC 7300)" },
	{ 65536, 65551, "65536-65551 are reserved for documentation (RFC 5398)" },
	{ 4294967295u, 4294967295u, "4294967295 is reserved (RFC 7300)" },
};

/* Fine as PeerAsn (Azure allows private ASNs there), not as CustomerAsn. */
static const struct asn_range private_asns[] = {
	{ 64512, 65534, "64512-65534 are private AS numbers (RFC 6996)" },
	{ 4200000000u, 4294967294u, "4200000000-4294967294 are private AS numbers (RFC 6996)" },
};


static const struct asn_range *asn_find(const struct asn_range *t, size_t n, uint32_t asn)
{
	for (size_t i = 0; i < n; i++)
		if (asn >= t[i].lo && asn <= t[i].hi)
			return &t[i];
	return NULL;
}

#define ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))

int validate_peer_asn(uint32_t asn, const char *what, struct err *e)
{
	const struct asn_range *r = asn_find(reserved_asns, ARRAY_SIZE(reserved_asns), asn);
	char w[256];

	if (!r)
		return 0;
	return err_set(e, -EINVAL, err_fmt(w, sizeof(w), "%s: peer_asn=%u", what, asn),
		    "The specified peer ASN '%u' is reserved: %s.", asn, r->why);
}

int validate_customer_asn(uint32_t asn, const char *what, struct err *e)
{
	const struct asn_range *r;
	char w[256];

	if (asn == 0)
		return 0;
	r = asn_find(reserved_asns, ARRAY_SIZE(reserved_asns), asn);
	if (!r)
		r = asn_find(private_asns, ARRAY_SIZE(private_asns), asn);
	if (!r)
		return 0;
	err_set(e, -EINVAL, err_fmt(w, sizeof(w), "%s: customer_asn=%u", what, asn),
	     "The specified customer ASN '%u' is not valid: %s.", asn, r->why);
	err_detail(e, "a customer ASN must be a public AS number registered to you; leave it unset (0) otherwise");
	return -EINVAL;
}

enum prefix_state validate_prefix_state(const struct peering *p, enum family f, const struct registry_entry *reg,
					unsigned n_reg)
{
	const struct ms_config *m = &p->ms[f];

	if (p->type != ACCESS_MICROSOFT || !peering_has_family(p, f))
		return PREFIX_CONFIGURED;
	if (asn_find(private_asns, ARRAY_SIZE(private_asns), p->peer_asn) && m->customer_asn == 0)
		return PREFIX_VALIDATION_NEEDED;
	for (unsigned j = 0; n_reg && j < m->n_prefixes; j++) {
		const struct registry_entry *best = NULL;

		/* The most specific registration covering the prefix decides. */
		for (unsigned r = 0; r < n_reg; r++)
			if (cidr_contains(&reg[r].prefix, &m->prefixes[j]) &&
			    (!best || reg[r].prefix.prefixlen > best->prefix.prefixlen))
				best = &reg[r];
		if (!best || (best->asn != p->peer_asn && (m->customer_asn == 0 || best->asn != m->customer_asn)))
			return PREFIX_VALIDATION_NEEDED;
	}
	return PREFIX_CONFIGURED;
}

int validate_vlan(uint32_t vlan, const char *what, struct err *e)
{
	char w[256];

	if (vlan >= 1 && vlan <= 4094)
		return 0;
	return err_set(e, -EINVAL, err_fmt(w, sizeof(w), "%s: vlan_id=%u", what, vlan),
		    "The vlanId '%u' is not valid: use 1-4094.", vlan);
}

int validate_shared_key(const char *key, const char *what, struct err *e)
{
	char w[256];
	size_t len;

	if (!key)
		return 0;
	err_fmt(w, sizeof(w), "%s: shared_key", what);
	/* The key is a secret: describe it by length and position, never echo it. */
	len = strlen(key);
	if (len < 1 || len > SHARED_KEY_MAX)
		return err_set(e, -EINVAL, w,
			    "The shared key is not valid: it has %zu characters; use 1-%d letters and digits.",
			    len, SHARED_KEY_MAX);
	for (size_t i = 0; i < len; i++) {
		char ch = key[i];

		if ((ch >= 'A' && ch <= 'Z') || (ch >= 'a' && ch <= 'z') || (ch >= '0' && ch <= '9'))
			continue;
		return err_set(e, -EINVAL, w,
			    "The shared key is not valid: character %zu is not a letter or a digit; use 1-%d of A-Z a-z 0-9.",
			    i + 1, SHARED_KEY_MAX);
	}
	return 0;
}

int validate_registry(const char *name, const char *what, struct err *e)
{
	char w[256], s[SHOW_MAX + 4];

	/* Unset ("" or NULL) is fine: the registry is optional. */
	if (!name || !name[0])
		return 0;
	for (size_t i = 0; i < ARRAY_SIZE(registries); i++)
		if (strcasecmp(name, registries[i]) == 0)
			return 0;
	err_show(name, s);
	return err_set(e, -EINVAL, err_fmt(w, sizeof(w), "%s: routing_registry_name=%s", what, s),
		    "The routing registry name '%s' is not valid: use one of ARIN, APNIC, AFRINIC, LACNIC, RIPENCC, RADB, ALTDB, LEVEL3.",
		    s);
}

static unsigned family_plen(int family)
{
	return family == AF_INET6 ? 126 : 30;
}

/* Shape only: /30 or /126, network address. `shown` is the text as typed (or as stored). */
static int check_subnet_shape(const struct cidr *c, const char *shown, const char *what, struct err *e)
{
	char buf[CIDR_STRLEN];
	unsigned want = family_plen(c->family);

	if (c->prefixlen != want) {
		err_set(e, -EINVAL, what, "The specified BGP peer IP address '%s' is not valid.", shown);
		err_detail(e, "must be a /%u network address, e.g. %s; a /29 (/125) is given as two /30 (/126), one per link",
		     want, c->family == AF_INET6 ? "2001:db8:1::/126" : "10.0.0.0/30");
		return -EINVAL;
	}
	if (!cidr_is_network(c)) {
		struct cidr n = cidr_host(c, 0);

		err_set(e, -EINVAL, what, "The specified BGP peer IP address '%s' is not valid.", shown);
		err_detail(e, "must be a /%u network address: did you mean %s?", want, cidr_str(&n, buf, sizeof(buf)));
		return -EINVAL;
	}
	return 0;
}

int validate_peer_subnet(const char *text, const char *what, struct cidr *ret, struct err *e)
{
	char s[SHOW_MAX + 4];
	struct cidr c;
	int r;

	err_show(text, s);
	if (!text || cidr_parse(text, &c) < 0) {
		err_set(e, -EINVAL, what, "The specified BGP peer IP address '%s' is not valid.", s);
		err_detail(e, "not an IPv4 or IPv6 prefix: must be a /30 network address, e.g. 10.0.0.0/30, or a /126, e.g. 2001:db8:1::/126");
		return -EINVAL;
	}
	r = check_subnet_shape(&c, s, what, e);
	if (r < 0)
		return r;
	if (ret)
		*ret = c;
	return 0;
}

int validate_prefix_list(const char *text, const char *what, const char *key, struct cidr **ret, unsigned *ret_n,
			 struct err *e)
{
	char w[256], s[SHOW_MAX + 4], buf[CIDR_STRLEN];
	struct cidr_list_fail f;
	struct cidr c;
	const char *p = text ? text : "";
	int r;

	*ret = NULL;
	*ret_n = 0;
	while (*p == ' ' || *p == '\t')
		p++;
	if (!*p)
		return err_set(e, -EINVAL, err_fmt(w, sizeof(w), "%s: %s", what, key),
			       "A value for the Advertised Public Prefixes has to be provided.");
	r = cidr_parse_list(text, true, ADV_PREFIXES_MAX, ret, ret_n, &f);
	if (r == -ENOMEM)
		return err_set(e, r, what, "out of memory");
	if (r == 0)
		return 0;
	err_show(f.text, s);
	switch (f.why) {
	case CIDR_LIST_EMPTY_ITEM:
		err_set(e, -EINVAL, err_fmt(w, sizeof(w), "%s: %s", what, key),
			"The advertised public prefix list is not valid: item %u is empty.", f.item);
		err_detail(e, "a comma-separated list such as 123.0.0.0/30,124.0.0.0/24");
		break;
	case CIDR_LIST_TOO_MANY:
		err_set(e, -EINVAL, err_fmt(w, sizeof(w), "%s: %s", what, key),
			"Too many advertised public prefixes: at most %d are accepted.", ADV_PREFIXES_MAX);
		break;
	case CIDR_LIST_HOST_BITS:
		cidr_parse(f.text, &c);
		c = cidr_host(&c, 0);
		err_set(e, -EINVAL, err_fmt(w, sizeof(w), "%s: %s=%s", what, key, s),
			"The advertised public prefix '%s' is not valid.", s);
		err_detail(e, "item %u: not the network address of its prefix: did you mean %s?", f.item,
			   cidr_str(&c, buf, sizeof(buf)));
		break;
	default:
		err_set(e, -EINVAL, err_fmt(w, sizeof(w), "%s: %s=%s", what, key, s),
			"The advertised public prefix '%s' is not valid.", s);
		err_detail(e, "item %u: not an IPv4 or IPv6 prefix such as 123.0.0.0/30", f.item);
	}
	return -EINVAL;
}

/* Location and provider are written into state files: keep them plain. */
static int check_text(const char *s, const char *obj, const char *field, struct err *e)
{
	char w[256], sh[SHOW_MAX + 4];
	size_t len = strlen(s);

	err_show(s, sh);
	err_fmt(w, sizeof(w), "%s: %s=%s", obj, field, sh);
	if (len < 1 || len > TEXT_MAX)
		return err_set(e, -EINVAL, w, "The %s '%s' is not valid: it has %zu characters; use 1-%d.",
			    field, sh, len, TEXT_MAX);
	for (size_t i = 0; i < len; i++) {
		unsigned char ch = (unsigned char)s[i];

		if (ch < 0x20 || ch >= 0x7f || ch == '"' || ch == '\'' || ch == '\\')
			return err_set(e, -EINVAL, w,
				    "The %s '%s' is not valid: character %zu is not allowed; use printable characters without quotes or backslashes.",
				    field, sh, i + 1);
	}
	return 0;
}

int validate_circuit(const struct circuit *c, struct err *e)
{
	char obj[128], w[256], s[SHOW_MAX + 4], key[GUID_STRLEN];
	const struct provider *prov;
	int r;

	if (names_check_circuit(c->name) < 0) {
		err_show(c->name, s);
		return err_set(e, -EINVAL, err_fmt(w, sizeof(w), "circuit: name=%s", s),
			    "Circuit name '%s' is not valid: use 1-80 of A-Z a-z 0-9 . _ -", s);
	}
	err_fmt(obj, sizeof(obj), "circuit %s", c->name);

	/* An empty key is generated when the circuit is created (op_circuit_new). */
	if (c->service_key[0] &&
	    (guid_parse(c->service_key, key) < 0 || strcmp(key, c->service_key) != 0)) {
		err_show(c->service_key, s);
		err_set(e, -EINVAL, err_fmt(w, sizeof(w), "%s: service_key=%s", obj, s),
		     "The value %s is an invalid GUID.", s);
		err_detail(e, "a service key is written as 8-4-4-4-12 lowercase hex digits");
		return -EINVAL;
	}

	if (c->sku < 0 || c->sku >= _SKU_MAX)
		return err_set(e, -EINVAL, err_fmt(w, sizeof(w), "%s: sku", obj),
			    "The SKU is not valid: use Standard or Premium.");
	if (c->billing < 0 || c->billing >= _BILLING_MAX)
		return err_set(e, -EINVAL, err_fmt(w, sizeof(w), "%s: billing_type", obj),
			    "The billing type is not valid: use MeteredData or UnlimitedData.");

	r = check_text(c->provider, obj, "service_provider_name", e);
	if (r < 0)
		return r;
	r = check_text(c->location, obj, "location", e);
	if (r < 0)
		return r;

	prov = provider_find(c->provider);
	if (!prov) {
		err_set(e, -ENOENT, err_fmt(w, sizeof(w), "%s: service_provider_name=%s", obj, c->provider),
		     "The provider could not be found.");
		err_detail(e, "Get-AzureDedicatedCircuitServiceProvider lists the providers");
		return -ENOENT;
	}
	if (!provider_location(prov, c->location))
		return err_set(e, -ENOENT, err_fmt(w, sizeof(w), "%s: location=%s", obj, c->location),
			    "The specified location %s does not exist for the provider %s",
			    c->location, prov->name);
	if (!provider_has_bandwidth(prov, c->bandwidth))
		return err_set(e, -ENOENT, err_fmt(w, sizeof(w), "%s: bandwidth=%u", obj, c->bandwidth),
			    "The specified bandwidth %u does not exist for the provider %s",
			    c->bandwidth, prov->name);
	return attach_check_circuit(c, e);
}

int validate_can_peer(const struct circuit *c, struct err *e)
{
	char w[256];

	if (c->prov != PROV_PROVISIONED) {
		err_set(e, -EBUSY,
		     err_fmt(w, sizeof(w), "circuit %s: ServiceProviderProvisioningState=%s", c->name,
			      provisioning_name(c->prov)),
		     "The ExpressRoute circuit must be in a provisioned and enabled state to configure peering.");
		err_detail(e, "provision it first: erlab circuit provision %s", c->name);
		return -EBUSY;
	}
	if (!c->enabled)
		return err_set(e, -EBUSY, err_fmt(w, sizeof(w), "circuit %s: Status=Disabled", c->name),
			    "The ExpressRoute circuit must be in a provisioned and enabled state to configure peering.");
	return 0;
}

/* The words that name each peer subnet (core/model.h's subnet_slots order). */
struct slot {
	const char *field;   /* lab key */
	const char *label;   /* "primary peer subnet" */
};

static const struct slot slots[_SUBNET_MAX] = {
	{ "primary_peer_subnet", "primary peer subnet" },
	{ "secondary_peer_subnet", "secondary peer subnet" },
	{ "primary_peer_subnet_v6", "IPv6 primary peer subnet" },
	{ "secondary_peer_subnet_v6", "IPv6 secondary peer subnet" },
};

static enum subnet_slot slot_of(const struct slot *s)
{
	return (enum subnet_slot)(s - slots);
}

static const struct cidr *slot_cidr(const struct peering *p, const struct slot *s)
{
	return peering_subnet(p, slot_of(s));
}

static unsigned slot_bit(const struct slot *s)
{
	return subnet_slots[slot_of(s)].bit;
}

static int slot_family(const struct slot *s)
{
	return subnet_slots[slot_of(s)].family;
}

static int check_pairs(const struct peering *p, const char *obj, struct err *e)
{
	bool v4 = p->has & (PEERING_HAS_PRIMARY4 | PEERING_HAS_SECONDARY4);
	bool v6 = p->has & (PEERING_HAS_PRIMARY6 | PEERING_HAS_SECONDARY6);
	char w[256];

	if (!v4 && !v6) {
		err_set(e, -EINVAL, err_fmt(w, sizeof(w), "%s: primary_peer_subnet", obj),
		     "A value for the Primary Peer Subnet has to be provided.");
		err_detail(e, "a peering needs a primary and a secondary subnet: two IPv4 /30s, two IPv6 /126s, or both");
		return -EINVAL;
	}
	/* One subnet of each family: not two halves missing, one pair of mixed families. */
	for (unsigned f = 0; f < _FAMILY_MAX; f++) {
		const struct cidr *pri = &p->primary4, *sec = &p->secondary6;
		unsigned want = PEERING_HAS_PRIMARY4 | PEERING_HAS_SECONDARY6;
		char b1[CIDR_STRLEN], b2[CIDR_STRLEN];

		if (f == FAMILY_V6) {
			pri = &p->primary6;
			sec = &p->secondary4;
			want = PEERING_HAS_PRIMARY6 | PEERING_HAS_SECONDARY4;
		}
		if ((p->has & (PEERING_HAS_PRIMARY4 | PEERING_HAS_SECONDARY4 | PEERING_HAS_PRIMARY6 |
			       PEERING_HAS_SECONDARY6)) != want)
			continue;
		cidr_str(pri, b1, sizeof(b1));
		cidr_str(sec, b2, sizeof(b2));
		err_set(e, -EINVAL, err_fmt(w, sizeof(w), "%s: secondary_peer_subnet%s=%s", obj, f == FAMILY_V4 ? "_v6" : "", b2),
			"The primary peer subnet '%s' is %s but the secondary peer subnet '%s' is %s: both must be of one address family.",
			b1, families[f].name, b2, families[!f].name);
		err_detail(e, "a peering takes two IPv4 /30s, two IPv6 /126s, or both pairs");
		return -EINVAL;
	}
	/* A half pair: name the missing half, with Azure's own sentence. */
	for (unsigned i = 0; i < _SUBNET_MAX; i += 2) {
		const struct slot *pri = &slots[i], *sec = &slots[i + 1];
		bool has_pri = p->has & slot_bit(pri), has_sec = p->has & slot_bit(sec);

		if (has_pri && !has_sec) {
			err_set(e, -EINVAL, err_fmt(w, sizeof(w), "%s: %s", obj, sec->field),
			     "A value for the Secondary Peer Subnet has to be provided.");
			err_detail(e, "%s is set, %s is missing", pri->field, sec->field);
			return -EINVAL;
		}
		if (!has_pri && has_sec) {
			err_set(e, -EINVAL, err_fmt(w, sizeof(w), "%s: %s", obj, pri->field),
			     "A value for the Primary Peer Subnet has to be provided.");
			err_detail(e, "%s is set, %s is missing", sec->field, pri->field);
			return -EINVAL;
		}
	}
	return 0;
}

static int check_subnets(const struct peering *p, const char *obj, struct err *e)
{
	char w[256], buf[CIDR_STRLEN], buf2[CIDR_STRLEN];
	int r;

	for (unsigned i = 0; i < _SUBNET_MAX; i++) {
		const struct slot *s = &slots[i];
		const struct cidr *c = slot_cidr(p, s);

		if (!(p->has & slot_bit(s)))
			continue;
		cidr_str(c, buf, sizeof(buf));
		err_fmt(w, sizeof(w), "%s: %s=%s", obj, s->field, buf);
		if (c->family != slot_family(s)) {
			err_set(e, -EINVAL, w, "The specified BGP peer IP address '%s' is not valid.", buf);
			err_detail(e, "%s takes an %s; give %s in %s", s->field,
			     slot_family(s) == AF_INET ? "IPv4 /30" : "IPv6 /126",
			     c->family == AF_INET6 ? "an IPv6 subnet" : "an IPv4 subnet",
			     c->family == AF_INET6 ? "the _v6 field" : "the IPv4 field");
			return -EINVAL;
		}
		r = check_subnet_shape(c, buf, w, e);
		if (r < 0)
			return r;
		if (p->type == ACCESS_PUBLIC && c->family == AF_INET6)
			return err_set(e, -EINVAL, w, "Public peering supports IPv4 only: '%s' is an IPv6 subnet.", buf);
	}

	for (unsigned i = 0; i < _SUBNET_MAX; i += 2) {
		const struct slot *pri = &slots[i], *sec = &slots[i + 1];

		if (!(p->has & slot_bit(pri)) || !(p->has & slot_bit(sec)))
			continue;
		if (cidr_overlap(slot_cidr(p, pri), slot_cidr(p, sec))) {
			cidr_str(slot_cidr(p, sec), buf, sizeof(buf));
			cidr_str(slot_cidr(p, pri), buf2, sizeof(buf2));
			err_set(e, -EINVAL, err_fmt(w, sizeof(w), "%s: %s=%s", obj, sec->field, buf),
			     "The primary and secondary peer subnets must be different: both are '%s'.", buf2);
			err_detail(e, "each link needs its own /%u, e.g. 10.0.0.0/30 and 10.0.0.4/30",
			     family_plen(slot_family(pri)));
			return -EINVAL;
		}
	}

	if (p->type == ACCESS_PRIVATE)
		return 0;
	for (unsigned i = 0; i < _SUBNET_MAX; i++) {
		const struct slot *s = &slots[i];
		const char *why;

		if (!(p->has & slot_bit(s)))
			continue;
		why = cidr_nonpublic_reason(slot_cidr(p, s));
		if (!why)
			continue;
		cidr_str(slot_cidr(p, s), buf, sizeof(buf));
		err_set(e, -EINVAL, err_fmt(w, sizeof(w), "%s: %s=%s", obj, s->field, buf),
		     "The specified BGP peer IP address '%s' is not a public address (%s).", buf, why);
		err_detail(e, "%s peering needs public IP addresses registered to you", access_type_name(p->type));
		return -EINVAL;
	}
	return 0;
}

/* Overlap with the other peerings of the circuit and, for Private, with linked VNets. */
static int check_overlaps(const struct circuit *c, const struct peering *p, const char *obj, struct err *e)
{
	char w[256], buf[CIDR_STRLEN], buf2[CIDR_STRLEN];

	for (unsigned i = 0; i < _SUBNET_MAX; i++) {
		const struct slot *s = &slots[i];
		const struct cidr *mine = slot_cidr(p, s);

		if (!(p->has & slot_bit(s)))
			continue;
		cidr_str(mine, buf, sizeof(buf));
		err_fmt(w, sizeof(w), "%s: %s=%s", obj, s->field, buf);

		for (int t = 0; t < _ACCESS_MAX; t++) {
			const struct peering *o = &c->peerings[t];

			if (t == (int)p->type || !c->peering_present[t])
				continue;
			for (unsigned j = 0; j < _SUBNET_MAX; j++) {
				const struct cidr *theirs = slot_cidr(o, &slots[j]);

				if (!(o->has & slot_bit(&slots[j])) || !cidr_overlap(mine, theirs))
					continue;
				cidr_str(theirs, buf2, sizeof(buf2));
				return err_set(e, -EINVAL, w,
					    "The specified BGP peer IP address '%s' overlaps the %s %s of the %s peering.",
					    buf, slots[j].label, buf2, access_type_lower((enum access_type)t));
			}
		}

		if (p->type != ACCESS_PRIVATE)
			continue;
		for (unsigned v = 0; v < c->n_vnets; v++) {
			const struct vnet *vn = &c->vnets[v];

			for (unsigned j = 0; j < vn->n_spaces; j++) {
				if (!cidr_overlap(mine, &vn->spaces[j]))
					continue;
				cidr_str(&vn->spaces[j], buf2, sizeof(buf2));
				err_set(e, -EINVAL, w,
				     "The specified BGP peer IP address '%s' overlaps the address space %s of virtual network %s.",
				     buf, buf2, vn->name);
				err_detail(e, "peer subnets must not overlap any linked virtual network's address space");
				return -EINVAL;
			}
		}
	}
	return 0;
}

/* The lab keys of family f's Microsoft config, for messages. */
static const char *const prefix_keys[_FAMILY_MAX] = { "advertised_public_prefixes", "advertised_public_prefixes_v6" };
static const char *const customer_asn_keys[_FAMILY_MAX] = { "customer_asn", "customer_asn_v6" };
static const char *const registry_keys[_FAMILY_MAX] = { "routing_registry_name", "routing_registry_name_v6" };

/* Family f of a Microsoft peering that has that family's sessions. */
static int check_ms_family(const struct peering *p, enum family f, const char *obj, struct err *e)
{
	const struct ms_config *m = &p->ms[f];
	const char *fam = families[f].name;
	char w[256], buf[CIDR_STRLEN];
	int r;

	if (!(p->has & families[f].prefixes) || m->n_prefixes == 0) {
		err_set(e, -EINVAL, err_fmt(w, sizeof(w), "%s: %s", obj, prefix_keys[f]),
		     "A value for the Advertised Public Prefixes has to be provided.");
		err_detail(e, "the %s sessions of Microsoft peering need the public %s prefixes you will advertise, e.g. %s",
			   fam, fam, f == FAMILY_V4 ? "123.0.0.0/24" : "2001:db8:100::/48");
		return -EINVAL;
	}
	/* 200 per family: each family's sessions have their own limit (docs/rules.md, "Prefix limits"). */
	if (m->n_prefixes > ADV_PREFIXES_MAX) {
		err_set(e, -EINVAL, err_fmt(w, sizeof(w), "%s: %s", obj, prefix_keys[f]),
		     "Too many advertised public prefixes: %u %s prefixes given, at most %d are accepted.",
		     m->n_prefixes, fam, ADV_PREFIXES_MAX);
		return -EINVAL;
	}
	for (unsigned i = 0; i < m->n_prefixes; i++) {
		const struct cidr *pf = &m->prefixes[i];
		const char *why;

		cidr_str(pf, buf, sizeof(buf));
		err_fmt(w, sizeof(w), "%s: %s=%s", obj, prefix_keys[f], buf);
		if (pf->family != families[f].af)
			return err_set(e, -EINVAL, w, "The advertised public prefix '%s' is not an %s prefix.", buf, fam);
		why = cidr_nonpublic_reason(pf);
		if (why)
			return err_set(e, -EINVAL, w,
				    "The advertised public prefix '%s' is not a public address (%s).", buf, why);
		for (unsigned j = 0; j < i; j++)
			if (cidr_equal(pf, &m->prefixes[j]))
				return err_set(e, -EINVAL, w,
					    "The advertised public prefix '%s' is listed twice.", buf);
	}
	if (p->has & families[f].customer_asn) {
		r = validate_customer_asn(m->customer_asn, obj, e);
		if (r < 0)
			return r;
	}
	if (p->has & families[f].registry)
		return validate_registry(m->registry, obj, e);
	return 0;
}

/* Family f's config without its sessions: nothing would use it. */
static int check_ms_idle(const struct peering *p, enum family f, const char *obj, struct err *e)
{
	const struct ms_config *m = &p->ms[f];
	const char *fam = families[f].name, *key = NULL;
	char w[256], buf[CIDR_STRLEN];

	if ((p->has & families[f].prefixes) && m->n_prefixes)
		err_fmt(w, sizeof(w), "%s: %s=%s", obj, key = prefix_keys[f], cidr_str(&m->prefixes[0], buf, sizeof(buf)));
	else if ((p->has & families[f].customer_asn) && m->customer_asn)
		err_fmt(w, sizeof(w), "%s: %s=%u", obj, key = customer_asn_keys[f], m->customer_asn);
	else if ((p->has & families[f].registry) && m->registry[0])
		err_fmt(w, sizeof(w), "%s: %s=%s", obj, key = registry_keys[f], m->registry);
	if (!key)
		return 0;
	err_set(e, -EINVAL, w, "The peering has no %s sessions for its %s configuration.", fam, fam);
	err_detail(e, "%s needs the %s peer subnets (%s)", key, fam,
		   f == FAMILY_V4 ? "primary_peer_subnet and secondary_peer_subnet"
				  : "primary_peer_subnet_v6 and secondary_peer_subnet_v6");
	return -EINVAL;
}

static int check_microsoft(const struct peering *p, const char *obj, struct err *e)
{
	for (unsigned f = 0; f < _FAMILY_MAX; f++) {
		int r = peering_has_family(p, (enum family)f) ? check_ms_family(p, (enum family)f, obj, e)
							       : check_ms_idle(p, (enum family)f, obj, e);

		if (r < 0)
			return r;
	}
	return 0;
}

/* Values that mean "none" are accepted on other peerings: only real values are refused. */
static int check_not_microsoft(const struct peering *p, const char *obj, struct err *e)
{
	char w[256], buf[CIDR_STRLEN];
	const char *tn = access_type_name(p->type);

	for (unsigned f = 0; f < _FAMILY_MAX; f++) {
		const struct ms_config *m = &p->ms[f];

		if ((p->has & families[f].prefixes) && m->n_prefixes > 0)
			return err_set(e, -EINVAL,
				    err_fmt(w, sizeof(w), "%s: %s=%s", obj, prefix_keys[f],
					     cidr_str(&m->prefixes[0], buf, sizeof(buf))),
				    "AdvertisedPublicPrefixes only applies to Microsoft peering, not to %s peering.", tn);
		if ((p->has & families[f].customer_asn) && m->customer_asn != 0)
			return err_set(e, -EINVAL,
				    err_fmt(w, sizeof(w), "%s: %s=%u", obj, customer_asn_keys[f], m->customer_asn),
				    "CustomerAsn only applies to Microsoft peering, not to %s peering.", tn);
		if ((p->has & families[f].registry) && m->registry[0]) {
			char s[SHOW_MAX + 4];

			return err_set(e, -EINVAL,
				    err_fmt(w, sizeof(w), "%s: %s=%s", obj, registry_keys[f], err_show(m->registry, s)),
				    "RoutingRegistryName only applies to Microsoft peering, not to %s peering.", tn);
		}
	}
	return 0;
}

static int check_vlan_unique(const struct circuit *c, const struct peering *p, const char *obj, struct err *e)
{
	char w[256];

	for (int t = 0; t < _ACCESS_MAX; t++) {
		const struct peering *o = &c->peerings[t];

		if (t == (int)p->type || !c->peering_present[t] || !(o->has & PEERING_HAS_VLAN))
			continue;
		if (o->vlan_id != p->vlan_id)
			continue;
		err_set(e, -EEXIST, err_fmt(w, sizeof(w), "%s: vlan_id=%u", obj, p->vlan_id),
		     "The vlanId specified is already in use.");
		err_detail(e, "used by the %s peering", access_type_lower((enum access_type)t));
		return -EEXIST;
	}
	return 0;
}

int validate_peering(const struct circuit *c, const struct peering *p, struct err *e)
{
	char obj[160], w[256];
	int r;

	if (p->type < 0 || p->type >= _ACCESS_MAX)
		return err_set(e, -EINVAL, err_fmt(w, sizeof(w), "circuit %s: access_type", c->name),
			    "The access type is not valid: use Private, Public or Microsoft.");
	err_fmt(obj, sizeof(obj), "%s %s peering", c->name, access_type_lower(p->type));

	if (!(p->has & PEERING_HAS_PEER_ASN))
		return err_set(e, -EINVAL, err_fmt(w, sizeof(w), "%s: peer_asn", obj),
			    "A value for the  Peer Asn has to be provided.");
	if (!(p->has & PEERING_HAS_VLAN))
		return err_set(e, -EINVAL, err_fmt(w, sizeof(w), "%s: vlan_id", obj),
			    "A value for the VLan Id has to be provided.");
	r = validate_peer_asn(p->peer_asn, obj, e);
	if (r < 0)
		return r;
	r = validate_vlan(p->vlan_id, obj, e);
	if (r < 0)
		return r;

	r = check_pairs(p, obj, e);
	if (r < 0)
		return r;
	r = check_subnets(p, obj, e);
	if (r < 0)
		return r;
	r = check_overlaps(c, p, obj, e);
	if (r < 0)
		return r;

	if (p->has & PEERING_HAS_SHARED_KEY) {
		r = validate_shared_key(p->shared_key, obj, e);
		if (r < 0)
			return r;
	}
	r = p->type == ACCESS_MICROSOFT ? check_microsoft(p, obj, e) : check_not_microsoft(p, obj, e);
	if (r < 0)
		return r;

	/* Last: a conflict with the current state only matters once the input itself is valid. */
	return check_vlan_unique(c, p, obj, e);
}

static void vnet_names(const struct circuit *c, char *buf, size_t len)
{
	size_t used = 0;

	buf[0] = '\0';
	for (unsigned i = 0; i < c->n_vnets; i++)
		used = join_append(buf, len, used, ", ", c->vnets[i].name);
}

int validate_can_remove_peering(const struct circuit *c, enum access_type t, struct err *e)
{
	char w[256], names[256];

	if (t < 0 || t >= _ACCESS_MAX)
		return err_set(e, -EINVAL, err_fmt(w, sizeof(w), "circuit %s: access_type", c->name),
			    "The access type is not valid: use Private, Public or Microsoft.");
	err_fmt(w, sizeof(w), "%s %s peering", c->name, access_type_lower(t));
	if (!c->peering_present[t])
		return err_set(e, -ENOENT, w, "The %s peering of circuit '%s' does not exist.",
			    access_type_name(t), c->name);
	if (t != ACCESS_PRIVATE || c->n_vnets == 0)
		return 0;
	vnet_names(c, names, sizeof(names));
	err_set(e, -EBUSY, w,
	     "The private peering cannot be removed while virtual networks are linked: unlink all virtual networks first (%s).",
	     names);
	err_detail(e, "erlab vnet unlink %s %s", c->name, c->vnets[0].name);
	return -EBUSY;
}

int validate_can_remove_circuit(const struct circuit *c, struct err *e)
{
	char w[256], names[256];

	if (c->prov != PROV_NOT_PROVISIONED) {
		err_set(e, -EBUSY,
		     err_fmt(w, sizeof(w), "circuit %s: ServiceProviderProvisioningState=%s", c->name,
			      provisioning_name(c->prov)),
		     "A circuit cannot be deleted when the ServiceProviderProvisioningState is %s.",
		     provisioning_name(c->prov));
		err_detail(e, "deprovision it first: erlab circuit deprovision %s", c->name);
		return -EBUSY;
	}
	if (c->n_vnets > 0) {
		vnet_names(c, names, sizeof(names));
		err_set(e, -EBUSY, err_fmt(w, sizeof(w), "circuit %s: vnets=%s", c->name, names),
		     "You must unlink all virtual networks from the ExpressRoute circuit for this operation to succeed.");
		err_detail(e, "linked: %s; erlab vnet unlink %s %s", names, c->name, c->vnets[0].name);
		return -EBUSY;
	}
	return 0;
}

int validate_can_downgrade(const struct circuit *c, struct err *e)
{
	char w[256], names[256];
	unsigned routes = 0;

	err_fmt(w, sizeof(w), "circuit %s: sku=Standard", c->name);
	if (c->n_vnets > STANDARD_VNETS_MAX) {
		vnet_names(c, names, sizeof(names));
		err_set(e, -EBUSY, w,
			"The circuit '%s' cannot be downgraded to Standard: it links %u virtual networks, more than the %d of a Standard circuit.",
			c->name, c->n_vnets, STANDARD_VNETS_MAX);
		err_detail(e, "unlink %u of them first (%s)", c->n_vnets - STANDARD_VNETS_MAX, names);
		return -EBUSY;
	}
	/* What the customer router advertises over private peering: 4,000 IPv4 routes on Standard. */
	for (unsigned i = 0; i < c->bgp.n_prefixes; i++)
		routes += c->bgp.prefixes[i].family == AF_INET;
	if (c->peering_present[ACCESS_PRIVATE] && routes > STANDARD_ROUTES_MAX) {
		err_set(e, -EBUSY, w,
			"The circuit '%s' cannot be downgraded to Standard: its private peering carries %u IPv4 routes, more than the %d of a Standard circuit.",
			c->name, routes, STANDARD_ROUTES_MAX);
		err_detail(e, "advertise at most %d IPv4 prefixes over private peering first", STANDARD_ROUTES_MAX);
		return -EBUSY;
	}
	return 0;
}

/*
 * A VNet as it would be linked to c (c's other VNets and its private peering present). Azure VMs
 * start at the fourth address and a VNet's gateway is the first, so every space must hold at least
 * a /29 (/125): that is Azure's smallest VNet subnet too.
 */
int validate_vnet(const struct circuit *c, const struct vnet *v, struct err *e)
{
	const struct peering *pp = &c->peerings[ACCESS_PRIVATE];
	char w[256], buf[CIDR_STRLEN], buf2[CIDR_STRLEN];
	unsigned limit = c->sku == SKU_PREMIUM ? PREMIUM_VNETS_MAX : STANDARD_VNETS_MAX, others = 0;

	if (names_check_vnet(v->name) < 0)
		return err_set(e, -EINVAL, err_fmt(w, sizeof(w), "%s vnet", c->name),
			    "The virtual network name '%.40s' is not valid: use 1-%d of A-Z a-z 0-9 _ -.", v->name,
			    VNET_NAME_MAX);
	err_fmt(w, sizeof(w), "%s vnet %s", c->name, v->name);
	/* Its namespace is "<circuit>-<vnet>": it must never be the customer or Microsoft one. */
	if (strcasecmp(v->name, "customer") == 0 || strcasecmp(v->name, "microsoft") == 0)
		return err_set(e, -EINVAL, w, "The virtual network name '%s' is reserved by erlab.", v->name);
	if (v->n_spaces == 0)
		return err_set(e, -EINVAL, w, "A virtual network needs at least one address space.");
	if (!c->peering_present[ACCESS_PRIVATE]) {
		err_set(e, -EBUSY, w, "The circuit '%s' has no private peering to link virtual network '%s' to.",
		     c->name, v->name);
		err_detail(e, "create the private peering first: erlab peering new %s --type private ...", c->name);
		return -EBUSY;
	}
	for (unsigned i = 0; i < c->n_vnets; i++) {
		if (strcmp(c->vnets[i].name, v->name) == 0 && &c->vnets[i] != v)
			return err_set(e, -EEXIST, w, "The virtual network '%s' is already linked to circuit '%s'.",
				    v->name, c->name);
		others += &c->vnets[i] != v;
	}
	if (others + 1 > limit) {
		err_set(e, -EBUSY, w, "The circuit '%s' already links %u virtual networks, the limit of a %s circuit.",
		     c->name, others, sku_name(c->sku));
		return -EBUSY;
	}
	for (unsigned i = 0; i < v->n_spaces; i++) {
		const struct cidr *s = &v->spaces[i];
		unsigned max = s->family == AF_INET ? 29 : 125;

		cidr_str(s, buf, sizeof(buf));
		err_fmt(w, sizeof(w), "%s vnet %s: address_space=%s", c->name, v->name, buf);
		if (!cidr_is_network(s))
			return err_set(e, -EINVAL, w, "The address space '%s' is not a network address.", buf);
		if (s->prefixlen > max)
			return err_set(e, -EINVAL, w, "The address space '%s' is too small: use /%u or larger.", buf, max);
		for (unsigned j = 0; j < i; j++)
			if (cidr_overlap(s, &v->spaces[j]))
				return err_set(e, -EINVAL, w, "The address space '%s' overlaps '%s' of the same network.", buf,
					    cidr_str(&v->spaces[j], buf2, sizeof(buf2)));
		for (unsigned o = 0; o < c->n_vnets; o++) {
			if (&c->vnets[o] == v || strcmp(c->vnets[o].name, v->name) == 0)
				continue;
			for (unsigned j = 0; j < c->vnets[o].n_spaces; j++)
				if (cidr_overlap(s, &c->vnets[o].spaces[j]))
					return err_set(e, -EINVAL, w, "The address space '%s' overlaps %s of virtual network %s.",
						    buf, cidr_str(&c->vnets[o].spaces[j], buf2, sizeof(buf2)),
						    c->vnets[o].name);
		}
		for (unsigned j = 0; j < _SUBNET_MAX; j++)
			if ((pp->has & slot_bit(&slots[j])) && cidr_overlap(s, slot_cidr(pp, &slots[j])))
				return err_set(e, -EINVAL, w,
					    "The address space '%s' overlaps the private peering's %s %s.", buf,
					    slots[j].label, cidr_str(slot_cidr(pp, &slots[j]), buf2, sizeof(buf2)));
	}
	return 0;
}
