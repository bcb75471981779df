/* SPDX-License-Identifier: MIT */
/* The value parsers of the key table: one per kind of value, each reporting against its key. */
#include <ctype.h>
#include <errno.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "core/guid.h"
#include "core/num.h"
#include "core/validate.h"
#include "lab/lab_int.h"

/* Items of one list value (a line holds far fewer). */
#define LAB_LIST_MAX 4096

static void *field(void *obj, size_t offset)
{
	return (char *)obj + offset;
}

static int parse_number(struct loader *ld, const struct section *s, const struct key_def *k, const char *value,
			uint32_t min, uint32_t max, uint32_t *ret)
{
	char d[64];
	int r = num_parse_u32(value, min, max, ret);

	if (r == -ERANGE)
		return lab_key_err(ld, s, k, value, -EINVAL, "number out of range", err_fmt(d, sizeof(d), "%u-%u", min, max));
	if (r < 0)
		return lab_key_err(ld, s, k, value, -EINVAL, "not a decimal number",
				   "digits only: no sign, no leading zeros, no spaces or units");
	return 0;
}

/* A number that a core validator then judges, in Azure's words. */
static int checked_number(struct loader *ld, const struct section *s, const struct key_def *k, const char *value,
			  int (*validate)(uint32_t v, const char *what, struct err *e), uint32_t *ret)
{
	struct err ve = { 0 };

	if (parse_number(ld, s, k, value, 0, UINT32_MAX, ret) < 0)
		return -EINVAL;
	if (validate(*ret, "lab", &ve) < 0)
		return lab_key_fail(ld, s, k, value, &ve);
	return 0;
}

int lab_parse_datapath(struct loader *ld, const struct section *s, const struct key_def *k, const char *value,
		       void *obj)
{
	enum datapath d = datapath_from_string(value);

	if (d < 0 || d >= _DATAPATH_MAX)
		return lab_key_err(ld, s, k, value, -EINVAL, "unknown datapath", "use auto, vlan or veth");
	*(enum datapath *)field(obj, k->offset) = d;
	return 0;
}

int lab_parse_text(struct loader *ld, const struct section *s, const struct key_def *k, const char *value,
		   void *obj)
{
	char d[64];
	size_t len = strlen(value);

	if (len >= k->aux)
		return lab_key_err(ld, s, k, value, -EINVAL, "value too long",
				   err_fmt(d, sizeof(d), "%zu characters, at most %zu", len, k->aux - 1));
	memcpy(field(obj, k->offset), value, len + 1);
	return 0;
}

int lab_parse_guid(struct loader *ld, const struct section *s, const struct key_def *k, const char *value,
		   void *obj)
{
	char m[160], shown[SHOW_MAX + 4];

	if (guid_parse(value, field(obj, k->offset)) < 0)
		return lab_key_err(ld, s, k, value, -EINVAL,
				   err_fmt(m, sizeof(m), "The value %s is an invalid GUID.", err_show(value, shown)),
				   "a service key is written as 8-4-4-4-12 hex digits; leave it out to have one generated");
	return 0;
}

int lab_parse_bandwidth(struct loader *ld, const struct section *s, const struct key_def *k, const char *value,
			void *obj)
{
	uint32_t v;
	int r = checked_number(ld, s, k, value, validate_bandwidth, &v);

	if (r == 0)
		*(uint32_t *)field(obj, k->offset) = v;
	return r;
}

int lab_parse_sku(struct loader *ld, const struct section *s, const struct key_def *k, const char *value,
		  void *obj)
{
	enum sku v = sku_from_string(value);

	if (v < 0 || v >= _SKU_MAX)
		return lab_key_err(ld, s, k, value, -EINVAL, "unknown sku", "use Standard or Premium");
	*(enum sku *)field(obj, k->offset) = v;
	return 0;
}

int lab_parse_billing(struct loader *ld, const struct section *s, const struct key_def *k, const char *value,
		      void *obj)
{
	enum billing v = billing_from_string(value);

	if (v < 0 || v >= _BILLING_MAX)
		return lab_key_err(ld, s, k, value, -EINVAL, "unknown billing_type", "use MeteredData or UnlimitedData");
	*(enum billing *)field(obj, k->offset) = v;
	return 0;
}

int lab_parse_provisioned(struct loader *ld, const struct section *s, const struct key_def *k,
			  const char *value, void *obj)
{
	bool b;

	if (num_parse_bool(value, &b) < 0)
		return lab_key_err(ld, s, k, value, -EINVAL, "not a boolean", "use yes or no");
	*(enum provisioning *)field(obj, k->offset) = b ? PROV_PROVISIONED : PROV_NOT_PROVISIONED;
	return 0;
}

int lab_parse_subnet(struct loader *ld, const struct section *s, const struct key_def *k, const char *value,
		     void *obj)
{
	struct err ve = { 0 };
	char m[200], d[160], shown[SHOW_MAX + 4];
	struct cidr c;

	if (validate_peer_subnet(value, "lab", &c, &ve) < 0)
		return lab_key_fail(ld, s, k, value, &ve);
	if (c.family != k->aux) {
		bool want4 = k->aux == AF_INET;

		return lab_key_err(ld, s, k, value, -EINVAL,
				   err_fmt(m, sizeof(m), "The specified BGP peer IP address '%s' is not valid.",
				       err_show(value, shown)),
			       err_fmt(d, sizeof(d), "%s takes an %s; %s", k->key, want4 ? "IPv4 /30" : "IPv6 /126",
				       want4 ? "IPv6 subnets go in the _v6 keys" : "IPv4 subnets go in the keys without _v6"));
	}
	*(struct cidr *)field(obj, k->offset) = c;
	return 0;
}

int lab_parse_peer_asn(struct loader *ld, const struct section *s, const struct key_def *k, const char *value,
		       void *obj)
{
	uint32_t v;
	int r = checked_number(ld, s, k, value, validate_peer_asn, &v);

	if (r == 0)
		*(uint32_t *)field(obj, k->offset) = v;
	return r;
}

int lab_parse_customer_asn(struct loader *ld, const struct section *s, const struct key_def *k,
			   const char *value, void *obj)
{
	uint32_t v;
	int r;

	/* Blank and 0 both mean "no customer ASN" (SPEC §3). */
	if (!value[0])
		return 1;
	if ((r = checked_number(ld, s, k, value, validate_customer_asn, &v)) < 0)
		return r;
	*(uint32_t *)field(obj, k->offset) = v;
	return v ? 0 : 1;
}

int lab_parse_vlan(struct loader *ld, const struct section *s, const struct key_def *k, const char *value,
		   void *obj)
{
	uint32_t v;
	int r = checked_number(ld, s, k, value, validate_vlan, &v);

	if (r == 0)
		*(uint16_t *)field(obj, k->offset) = (uint16_t)v;
	return r;
}

int lab_parse_shared_key(struct loader *ld, const struct section *s, const struct key_def *k,
			 const char *value, void *obj)
{
	struct err ve = { 0 };

	if (validate_shared_key(value, "lab", &ve) < 0)
		return lab_key_fail(ld, s, k, value, &ve);
	return lab_parse_text(ld, s, k, value, obj);
}

int lab_parse_prefixes(struct loader *ld, const struct section *s, const struct key_def *k, const char *value,
		       void *obj)
{
	struct cidr **list = field(obj, k->offset);
	unsigned *n = field(obj, k->aux);
	struct err ve = { 0 };
	struct cidr *v;
	unsigned nv;

	if (validate_prefix_list(value, "lab", &v, &nv, &ve) < 0)
		return lab_key_fail(ld, s, k, value, &ve);
	free(*list);
	*list = v;
	*n = nv;
	return 0;
}

int lab_parse_registry_name(struct loader *ld, const struct section *s, const struct key_def *k,
			    const char *value, void *obj)
{
	struct err ve = { 0 };
	char *dst = field(obj, k->offset);
	size_t i;

	if (!value[0])
		return 1;
	if (validate_registry(value, "lab", &ve) < 0)
		return lab_key_fail(ld, s, k, value, &ve);
	/* The registries are spelled in capitals (ARIN, RIPENCC): store that spelling. */
	for (i = 0; value[i] && i < k->aux - 1; i++)
		dst[i] = (char)toupper((unsigned char)value[i]);
	dst[i] = '\0';
	return 0;
}

/* "10.1.0.0/16, 10.2.0.0/16": any family, network addresses, at least one. */
int lab_parse_cidr_list(struct loader *ld, const struct section *s, const struct key_def *k, const char *value,
			void *obj)
{
	struct cidr **list = field(obj, k->offset);
	unsigned *count = field(obj, k->aux), n;
	struct cidr_list_fail f;
	struct cidr *v;
	char d[160];
	int r = cidr_parse_list(value, true, LAB_LIST_MAX, &v, &n, &f);

	if (r == -ENOMEM) {
		ld->oom = true;
		return r;
	}
	if (r < 0) {
		if (f.why == CIDR_LIST_EMPTY_ITEM)
			lab_key_err(ld, s, k, value, -EINVAL, "empty list item",
				    err_fmt(d, sizeof(d), "item %u: a comma-separated list such as 10.1.0.0/16,10.2.0.0/16", f.item));
		else if (f.why == CIDR_LIST_NOT_PREFIX)
			lab_key_err(ld, s, k, value, -EINVAL, "not a prefix",
				    err_fmt(d, sizeof(d), "item %u: an IPv4 or IPv6 prefix such as 10.1.0.0/16", f.item));
		else if (f.why == CIDR_LIST_HOST_BITS)
			lab_key_err(ld, s, k, value, -EINVAL, "not the network address of its prefix",
				    err_fmt(d, sizeof(d), "item %u (%s): host bits are set", f.item, f.text));
		else
			lab_key_err(ld, s, k, value, -EINVAL, "too many prefixes", NULL);
		return r;
	}
	free(*list);
	*list = v;
	*count = n;
	return 0;
}

int lab_parse_bird(struct loader *ld, const struct section *s, const struct key_def *k, const char *value,
		   void *obj)
{
	bool *b = field(obj, k->offset);

	if (strcasecmp(value, "bird") == 0)
		*b = true;
	else if (strcasecmp(value, "none") == 0)
		*b = false;
	else
		return lab_key_err(ld, s, k, value, -EINVAL, "unknown BGP speaker", "use bird or none");
	return 0;
}

/* [registry] "123.0.0.0/24 = 2245": who a prefix is registered to, for ValidationNeeded. */
void lab_parse_registry_entry(struct loader *ld, struct section *s, const char *key, const char *value)
{
	struct key_def k = { .kind = SEC_REGISTRY, .key = key };
	struct lab *lab = ld->lab;
	struct registry_entry e;
	struct registry_entry *grown;

	if (cidr_parse(key, &e.prefix) < 0 || !cidr_is_network(&e.prefix)) {
		lab_key_err(ld, s, &k, value, -EINVAL, "not a prefix",
			    "[registry] lines are PREFIX = ASN, the prefix a network address such as 123.0.0.0/24");
		s->bad = true;
		return;
	}
	if (parse_number(ld, s, &k, value, 1, UINT32_MAX, &e.asn) < 0) {
		s->bad = true;
		return;
	}
	grown = realloc(lab->registry, (lab->n_registry + 1) * sizeof(*grown));
	if (!grown) {
		ld->oom = true;
		return;
	}
	lab->registry = grown;
	lab->registry[lab->n_registry++] = e;
}
