/* SPDX-License-Identifier: MIT */
#include <ctype.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <unistd.h>

#include <iniparser/iniparser.h>

#include "core/cidr.h"
#include "core/guid.h"
#include "core/names.h"
#include "core/num.h"
#include "store/state.h"
#include "store/store_int.h"

/*
 * State file format (one circuit per file, read back with iniparser 4.1):
 *
 *   [circuit]              version, name, service_key, bandwidth, location, provider, sku,
 *                          billing, provisioning, status, datapath, has, lab (when set)
 *   [peering <type>]       one per present peering
 *   [vnet <Name>]          name (iniparser lowercases section names), address_space
 *   [end]                  always the last line: a file cut at a line boundary is still caught
 *
 * iniparser 4.1 refuses lines of 1024 bytes or more, so CIDR lists are split over numbered keys
 * (advertised_prefixes, advertised_prefixes_2, ...). Free text is double-quoted: inside quotes
 * iniparser keeps ';', '#', '=' and spaces as written; it has no escapes, so a value holding a
 * quote, a backslash (a line continuation) or a control character is refused at write time.
 */

#define STATE_VERSION 1
#define STATE_FILE_MAX (1u << 20)
#define LINE_MAX_LEN 1000
#define CIDRS_PER_LINE 16
#define LAB_PATH_MAX 900
#define END_LINE "[end]"

#define CIRCUIT_HAS_ALL ((CIRCUIT_HAS_PROV << 1) - 1)
#define PEERING_HAS_ALL ((PEERING_HAS_REGISTRY << 1) - 1)

/* ---------------------------------------------------------------- writing */

static bool text_storable(const char *s, size_t size)
{
	size_t i, len = strnlen(s, size);

	if (len == size)
		return false;
	for (i = 0; i < len; i++) {
		unsigned char ch = (unsigned char)s[i];

		if (ch < 0x20 || ch == 0x7f || ch == '"' || ch == '\\')
			return false;
	}
	return true;
}

static bool alnum_storable(const char *s, size_t size)
{
	size_t i, len = strnlen(s, size);

	if (len == size)
		return false;
	for (i = 0; i < len; i++)
		if (!isalnum((unsigned char)s[i]))
			return false;
	return true;
}

static bool cidrs_storable(const struct cidr *l, unsigned n, int family)
{
	unsigned i;

	if (n > 0 && !l)
		return false;
	for (i = 0; i < n; i++) {
		if (l[i].family != AF_INET && l[i].family != AF_INET6)
			return false;
		if (family && l[i].family != family)
			return false;
		if (l[i].prefixlen > (l[i].family == AF_INET ? 32 : 128))
			return false;
	}
	return true;
}

/* A subnet is stored when it has a family; a HAS bit without a value would read back differently. */
static bool subnet_storable(const struct cidr *c, int family, unsigned has, unsigned bit)
{
	if (c->family == 0)
		return !(has & bit);
	return cidrs_storable(c, 1, family);
}

/* The first field of c that cannot be written so that it reads back the same, or NULL. */
const char *circuit_unstorable(const struct circuit *c)
{
	static const char *const unstorable_subnet[_SUBNET_MAX] = {
		"peering primary_subnet", "peering secondary_subnet", "peering primary_subnet_v6",
		"peering secondary_subnet_v6",
	};
	char key[GUID_STRLEN];
	unsigned t, i, j;

	if (strnlen(c->name, sizeof(c->name)) == sizeof(c->name) || names_check_circuit(c->name) < 0)
		return "name";
	if (strnlen(c->service_key, sizeof(c->service_key)) == sizeof(c->service_key) ||
	    guid_parse(c->service_key, key) < 0 || strcmp(key, c->service_key) != 0)
		return "service_key";
	if (!text_storable(c->location, sizeof(c->location)))
		return "location";
	if (!text_storable(c->provider, sizeof(c->provider)))
		return "provider";
	if ((unsigned)c->sku >= _SKU_MAX)
		return "sku";
	if ((unsigned)c->billing >= _BILLING_MAX)
		return "billing";
	if ((unsigned)c->prov >= _PROV_MAX)
		return "provisioning";
	if ((unsigned)c->datapath >= _DATAPATH_MAX)
		return "datapath";
	if (c->has & ~CIRCUIT_HAS_ALL)
		return "has";
	if (c->lab && (c->lab[0] != '/' || !text_storable(c->lab, LAB_PATH_MAX + 1)))
		return "lab";

	for (t = 0; t < _ACCESS_MAX; t++) {
		const struct peering *p = &c->peerings[t];

		if (!c->peering_present[t])
			continue;
		if (p->has & ~PEERING_HAS_ALL)
			return "peering has";
		if (p->vlan_id > 4094)
			return "peering vlan_id";
		for (enum subnet_slot sl = 0; sl < _SUBNET_MAX; sl++)
			if (!subnet_storable(peering_subnet(p, sl), subnet_slots[sl].family, p->has, subnet_slots[sl].bit))
				return unstorable_subnet[sl];
		if (!alnum_storable(p->shared_key, sizeof(p->shared_key)))
			return "peering shared_key";
		if (!alnum_storable(p->registry, sizeof(p->registry)))
			return "peering routing_registry";
		if (p->n_prefixes > ADV_PREFIXES_MAX || !cidrs_storable(p->prefixes, p->n_prefixes, 0))
			return "peering advertised_prefixes";
		if ((unsigned)p->prefix_state >= _PREFIX_MAX)
			return "peering advertised_prefixes_state";
	}

	if (c->n_vnets > 0 && !c->vnets)
		return "vnets";
	for (i = 0; i < c->n_vnets; i++) {
		const struct vnet *v = &c->vnets[i];

		if (strnlen(v->name, sizeof(v->name)) == sizeof(v->name) || names_check_vnet(v->name) < 0)
			return "vnet name";
		/* The section name is lowercased on reading: two names differing in case would merge. */
		for (j = 0; j < i; j++)
			if (strcasecmp(c->vnets[j].name, v->name) == 0)
				return "vnet name";
		if (!cidrs_storable(v->spaces, v->n_spaces, 0))
			return "vnet address_space";
	}
	return NULL;
}

static void put_cidr_list(FILE *f, const char *key, const struct cidr *l, unsigned n)
{
	char buf[CIDR_STRLEN];
	unsigned i;

	if (n == 0) {
		fprintf(f, "%s = \"\"\n", key);
		return;
	}
	for (i = 0; i < n; i++) {
		if (i % CIDRS_PER_LINE == 0) {
			if (i > 0)
				fputc('\n', f);
			if (i == 0)
				fprintf(f, "%s = ", key);
			else
				fprintf(f, "%s_%u = ", key, i / CIDRS_PER_LINE + 1);
		} else {
			fputc(',', f);
		}
		fputs(cidr_str(&l[i], buf, sizeof(buf)), f);
	}
	fputc('\n', f);
}

static void put_subnet(FILE *f, const char *key, const struct cidr *c)
{
	char buf[CIDR_STRLEN];

	if (c->family)
		fprintf(f, "%s = %s\n", key, cidr_str(c, buf, sizeof(buf)));
}

static void put_peering(FILE *f, const struct peering *p, enum access_type t)
{
	fprintf(f, "\n[peering %s]\n", access_type_lower(t));
	fprintf(f, "vlan_id = %u\n", (unsigned)p->vlan_id);
	fprintf(f, "peer_asn = %" PRIu32 "\n", p->peer_asn);
	for (enum subnet_slot sl = 0; sl < _SUBNET_MAX; sl++)
		put_subnet(f, subnet_slots[sl].key, peering_subnet(p, sl));
	fprintf(f, "shared_key = \"%s\"\n", p->shared_key);
	fprintf(f, "customer_asn = %" PRIu32 "\n", p->customer_asn);
	fprintf(f, "routing_registry = \"%s\"\n", p->registry);
	put_cidr_list(f, "advertised_prefixes", p->prefixes, p->n_prefixes);
	fprintf(f, "advertised_prefixes_state = %s\n", prefix_state_name(p->prefix_state));
	fprintf(f, "state = %s\n", p->enabled ? "Enabled" : "Disabled");
	fprintf(f, "has = %u\n", p->has);
}

int circuit_write_ini(const struct circuit *c, FILE *f)
{
	unsigned t, i;

	if (circuit_unstorable(c))
		return -EINVAL;

	fprintf(f, "[circuit]\n");
	fprintf(f, "version = %d\n", STATE_VERSION);
	fprintf(f, "name = %s\n", c->name);
	fprintf(f, "service_key = %s\n", c->service_key);
	fprintf(f, "bandwidth = %" PRIu32 "\n", c->bandwidth);
	fprintf(f, "location = \"%s\"\n", c->location);
	fprintf(f, "provider = \"%s\"\n", c->provider);
	fprintf(f, "sku = %s\n", sku_name(c->sku));
	fprintf(f, "billing = %s\n", billing_name(c->billing));
	fprintf(f, "provisioning = %s\n", provisioning_name(c->prov));
	fprintf(f, "status = %s\n", c->enabled ? "Enabled" : "Disabled");
	fprintf(f, "datapath = %s\n", datapath_name(c->datapath));
	fprintf(f, "has = %u\n", c->has);
	if (c->lab)
		fprintf(f, "lab = \"%s\"\n", c->lab);

	for (t = 0; t < _ACCESS_MAX; t++)
		if (c->peering_present[t])
			put_peering(f, &c->peerings[t], (enum access_type)t);

	if (c->bgp.msee || c->bgp.customer || c->bgp.n_prefixes) {
		fprintf(f, "\n[bgp]\n");
		fprintf(f, "msee = %s\n", c->bgp.msee ? "yes" : "no");
		fprintf(f, "customer = %s\n", c->bgp.customer ? "yes" : "no");
		put_cidr_list(f, "customer_prefixes", c->bgp.prefixes, c->bgp.n_prefixes);
	}

	for (i = 0; i < c->n_vnets; i++) {
		fprintf(f, "\n[vnet %s]\n", c->vnets[i].name);
		fprintf(f, "name = %s\n", c->vnets[i].name);
		put_cidr_list(f, "address_space", c->vnets[i].spaces, c->vnets[i].n_spaces);
	}
	fprintf(f, "\n" END_LINE "\n");

	if (fflush(f) != 0 || ferror(f))
		return -EIO;
	return 0;
}

/* ---------------------------------------------------------------- reading */

struct reader {
	dictionary *d;
	const char *what;      /* e->what: the state dir, or the path given */
	const char *file;      /* named in the message: "circuits/X.ini" */
	struct err *e;
};

static int corrupt(const struct reader *r, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

static int corrupt(const struct reader *r, const char *fmt, ...)
{
	char why[400];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(why, sizeof(why), fmt, ap);
	va_end(ap);
	return err_set(r->e, -EUCLEAN, r->what, "state file %s is corrupted: %s", r->file, why);
}

static int bad_value(const struct reader *r, const char *sec, const char *key, const char *val,
		     const char *why)
{
	return corrupt(r, "[%s] key '%s' = '%.64s%s' (%s)", sec, key, val,
		       strlen(val) > 64 ? "..." : "", why);
}

static const char *lookup(const struct reader *r, const char *sec, const char *key)
{
	char full[256];

	snprintf(full, sizeof(full), "%s:%s", sec, key);
	return iniparser_getstring(r->d, full, NULL);
}

static int get_str(const struct reader *r, const char *sec, const char *key, const char **ret)
{
	const char *v = lookup(r, sec, key);

	if (!v)
		return corrupt(r, "[%s] key '%s' is missing", sec, key);
	*ret = v;
	return 0;
}

static int get_u32(const struct reader *r, const char *sec, const char *key, uint32_t min,
		   uint32_t max, uint32_t *ret)
{
	const char *v;
	int k;

	k = get_str(r, sec, key, &v);
	if (k < 0)
		return k;
	k = num_parse_u32(v, min, max, ret);
	if (k == -ERANGE)
		return bad_value(r, sec, key, v, "out of range");
	if (k < 0)
		return bad_value(r, sec, key, v, "not a number");
	return 0;
}

static int get_text(const struct reader *r, const char *sec, const char *key, char *buf, size_t size,
		    bool alnum)
{
	const char *v;
	int k;

	k = get_str(r, sec, key, &v);
	if (k < 0)
		return k;
	if (strlen(v) >= size)
		return bad_value(r, sec, key, v, "too long");
	if (alnum ? !alnum_storable(v, size) : !text_storable(v, size))
		return bad_value(r, sec, key, v, "invalid characters");
	memcpy(buf, v, strlen(v) + 1);
	return 0;
}

static int get_enum(const struct reader *r, const char *sec, const char *key,
		    int (*parse)(const char *), int *ret)
{
	const char *v = NULL;
	int k;

	k = get_str(r, sec, key, &v);
	if (k < 0)
		return k;
	k = parse(v);
	if (k < 0)
		return bad_value(r, sec, key, v, "unknown value");
	*ret = k;
	return 0;
}

static int parse_sku(const char *s) { return sku_from_string(s); }
static int parse_billing(const char *s) { return billing_from_string(s); }
static int parse_prov(const char *s) { return provisioning_from_string(s); }
static int parse_datapath(const char *s) { return datapath_from_string(s); }
static int parse_prefix_state(const char *s) { return prefix_state_from_string(s); }
static int parse_enabled(const char *s)
{
	if (strcmp(s, "Enabled") == 0)
		return 1;
	if (strcmp(s, "Disabled") == 0)
		return 0;
	return -EINVAL;
}

static int get_subnet(const struct reader *r, const char *sec, const char *key, int family,
		      unsigned has, unsigned bit, struct cidr *ret)
{
	const char *v = lookup(r, sec, key);

	if (!v) {
		if (has & bit)
			return corrupt(r, "[%s] key '%s' is missing (has = %u)", sec, key, has);
		return 0;
	}
	if (cidr_parse(v, ret) < 0 || ret->family != family)
		return bad_value(r, sec, key, v, family == AF_INET ? "not an IPv4 prefix" : "not an IPv6 prefix");
	/* What validate_peer_subnet admitted when it was written: a /30 (/126) network address. */
	if (ret->prefixlen != (family == AF_INET ? 30 : 126) || !cidr_is_network(ret))
		return bad_value(r, sec, key, v, family == AF_INET ? "not a /30 network address" : "not a /126 network address");
	return 0;
}

/*
 * "a,b,c" from key, key_2, key_3, ... into a heap array; an empty value is an empty list.
 * *ret_more is the number of continuation keys read.
 */
static int get_cidr_list(const struct reader *r, const char *sec, const char *key, unsigned max,
			 struct cidr **ret, unsigned *ret_n, unsigned *ret_more)
{
	struct cidr *list = NULL;
	unsigned n = 0, cap = 0, part;
	int k;

	for (part = 1;; part++) {
		char name[64], item[CIDR_STRLEN];
		const char *v, *p, *comma;

		if (part == 1)
			snprintf(name, sizeof(name), "%s", key);
		else
			snprintf(name, sizeof(name), "%s_%u", key, part);
		v = lookup(r, sec, name);
		if (!v) {
			if (part > 1)
				break;
			k = corrupt(r, "[%s] key '%s' is missing", sec, key);
			goto fail;
		}
		if (part == 1 && !*v) {
			part = 2;   /* an empty list has no continuation keys */
			break;
		}
		for (p = v;; p = comma + 1) {
			size_t len;

			comma = strchr(p, ',');
			len = comma ? (size_t)(comma - p) : strlen(p);
			if (len == 0 || len >= sizeof(item)) {
				k = bad_value(r, sec, name, v, "not a list of prefixes");
				goto fail;
			}
			memcpy(item, p, len);
			item[len] = '\0';
			if (n == max) {
				k = bad_value(r, sec, name, v, "too many prefixes");
				goto fail;
			}
			if (n == cap) {
				unsigned ncap = cap ? cap * 2 : 8;
				struct cidr *nl = reallocarray(list, ncap, sizeof(*list));

				if (!nl) {
					k = err_set(r->e, -ENOMEM, r->what, "out of memory reading %s", r->file);
					goto fail;
				}
				list = nl;
				cap = ncap;
			}
			if (cidr_parse(item, &list[n]) < 0) {
				k = bad_value(r, sec, name, item, "not a prefix");
				goto fail;
			}
			n++;
			if (!comma)
				break;
		}
	}
	*ret = list;
	*ret_n = n;
	*ret_more = part - 2;
	return 0;

fail:
	free(list);
	return k;
}

/* Is key one of names[], or name_<N> (N >= 2) for one of the split lists? */
static bool key_known(const char *key, const char *const *names, const char *const *lists)
{
	size_t len;
	uint32_t part;

	for (; *names; names++)
		if (strcmp(key, *names) == 0)
			return true;
	for (; lists && *lists; lists++) {
		len = strlen(*lists);
		if (strncmp(key, *lists, len) == 0 && key[len] == '_' &&
		    num_parse_u32(key + len + 1, 2, UINT32_MAX, &part) == 0)
			return true;
	}
	return false;
}

/* Every key of sec is known; returns how many keys it has. */
static int check_keys(const struct reader *r, const char *sec, const char *const *names,
		      const char *const *lists, unsigned *ret_n)
{
	const char **keys;
	int n, i, k = 0;
	size_t skip = strlen(sec) + 1;

	n = iniparser_getsecnkeys(r->d, sec);
	*ret_n = n > 0 ? (unsigned)n : 0;
	if (n <= 0)
		return 0;
	keys = calloc((size_t)n, sizeof(*keys));
	if (!keys)
		return err_set(r->e, -ENOMEM, r->what, "out of memory reading %s", r->file);
	if (!iniparser_getseckeys(r->d, sec, keys)) {
		k = corrupt(r, "[%s] cannot list its keys", sec);
		goto out;
	}
	for (i = 0; i < n; i++) {
		const char *key = strlen(keys[i]) > skip ? keys[i] + skip : "";

		if (!key_known(key, names, lists)) {
			k = corrupt(r, "[%s] unknown key '%s'", sec, key);
			goto out;
		}
	}
out:
	free(keys);
	return k;
}

static int read_circuit(const struct reader *r, struct circuit *c)
{
	static const char *const keys[] = {
		"version", "name", "service_key", "bandwidth", "location", "provider", "sku", "billing",
		"provisioning", "status", "datapath", "has", "lab", NULL,
	};
	const char *sec = "circuit", *v;
	uint32_t u;
	unsigned nkeys;
	int k, en;

	k = check_keys(r, sec, keys, NULL, &nkeys);
	if (k < 0)
		return k;
	k = get_u32(r, sec, "version", 0, UINT32_MAX, &u);
	if (k < 0)
		return k;
	if (u != STATE_VERSION)
		return bad_value(r, sec, "version", lookup(r, sec, "version"), "unsupported version");
	k = get_str(r, sec, "name", &v);
	if (k < 0)
		return k;
	if (names_check_circuit(v) < 0)
		return bad_value(r, sec, "name", v, "not a valid circuit name");
	memcpy(c->name, v, strlen(v) + 1);
	k = get_str(r, sec, "service_key", &v);
	if (k < 0)
		return k;
	if (guid_parse(v, c->service_key) < 0 || strcmp(v, c->service_key) != 0)
		return bad_value(r, sec, "service_key", v, "not a service key");
	k = get_u32(r, sec, "bandwidth", 0, UINT32_MAX, &c->bandwidth);
	if (k < 0)
		return k;
	k = get_text(r, sec, "location", c->location, sizeof(c->location), false);
	if (k < 0)
		return k;
	k = get_text(r, sec, "provider", c->provider, sizeof(c->provider), false);
	if (k < 0)
		return k;
	k = get_enum(r, sec, "sku", parse_sku, &en);
	if (k < 0)
		return k;
	c->sku = (enum sku)en;
	k = get_enum(r, sec, "billing", parse_billing, &en);
	if (k < 0)
		return k;
	c->billing = (enum billing)en;
	k = get_enum(r, sec, "provisioning", parse_prov, &en);
	if (k < 0)
		return k;
	c->prov = (enum provisioning)en;
	k = get_enum(r, sec, "status", parse_enabled, &en);
	if (k < 0)
		return k;
	c->enabled = en;
	k = get_enum(r, sec, "datapath", parse_datapath, &en);
	if (k < 0)
		return k;
	c->datapath = (enum datapath)en;
	k = get_u32(r, sec, "has", 0, CIRCUIT_HAS_ALL, &u);
	if (k < 0)
		return k;
	c->has = u;

	v = lookup(r, sec, "lab");
	if (v) {
		if (v[0] != '/' || !text_storable(v, LAB_PATH_MAX + 1))
			return bad_value(r, sec, "lab", v, "not an absolute path");
		c->lab = strdup(v);
		if (!c->lab)
			return err_set(r->e, -ENOMEM, r->what, "out of memory reading %s", r->file);
	}
	return 0;
}

static int read_peering(const struct reader *r, const char *sec, struct peering *p)
{
	static const char *const keys[] = {
		"vlan_id", "peer_asn", "primary_subnet", "secondary_subnet", "primary_subnet_v6",
		"secondary_subnet_v6", "shared_key", "customer_asn", "routing_registry",
		"advertised_prefixes", "advertised_prefixes_state", "state", "has", NULL,
	};
	static const char *const lists[] = { "advertised_prefixes", NULL };
	unsigned nkeys, parts, expect = 0;
	uint32_t u;
	int k, en = 0;

	k = check_keys(r, sec, keys, lists, &nkeys);
	if (k < 0)
		return k;
	k = get_u32(r, sec, "has", 0, PEERING_HAS_ALL, &u);
	if (k < 0)
		return k;
	p->has = u;
	k = get_u32(r, sec, "vlan_id", 0, 4094, &u);
	if (k < 0)
		return k;
	p->vlan_id = (uint16_t)u;
	k = get_u32(r, sec, "peer_asn", 0, UINT32_MAX, &p->peer_asn);
	if (k < 0)
		return k;
	for (enum subnet_slot sl = 0; sl < _SUBNET_MAX; sl++) {
		const struct subnet_slot_info *si = &subnet_slots[sl];

		k = get_subnet(r, sec, si->key, si->family, p->has, si->bit, peering_subnet_w(p, sl));
		if (k < 0)
			return k;
		expect += !!peering_subnet(p, sl)->family;
	}
	k = get_text(r, sec, "shared_key", p->shared_key, sizeof(p->shared_key), true);
	if (k < 0)
		return k;
	k = get_u32(r, sec, "customer_asn", 0, UINT32_MAX, &p->customer_asn);
	if (k < 0)
		return k;
	k = get_text(r, sec, "routing_registry", p->registry, sizeof(p->registry), true);
	if (k < 0)
		return k;
	k = get_cidr_list(r, sec, "advertised_prefixes", ADV_PREFIXES_MAX, &p->prefixes,
			  &p->n_prefixes, &parts);
	if (k < 0)
		return k;
	k = get_enum(r, sec, "advertised_prefixes_state", parse_prefix_state, &en);
	if (k < 0)
		return k;
	p->prefix_state = (enum prefix_state)en;
	k = get_enum(r, sec, "state", parse_enabled, &en);
	if (k < 0)
		return k;
	p->enabled = en;

	/* Fixed keys plus the optional subnets present plus the list parts; anything else is a gap. */
	expect += 9 + parts;
	if (nkeys != expect)
		return corrupt(r, "[%s] advertised_prefixes continuation keys out of sequence", sec);
	return 0;
}

static int parse_yes(const char *s) { return strcmp(s, "yes") == 0 ? 1 : strcmp(s, "no") == 0 ? 0 : -EINVAL; }

static int read_bgp(const struct reader *r, const char *sec, struct circuit *c)
{
	static const char *const keys[] = { "msee", "customer", "customer_prefixes", NULL };
	static const char *const lists[] = { "customer_prefixes", NULL };
	unsigned nkeys, parts;
	int k, en = 0;

	if ((k = check_keys(r, sec, keys, lists, &nkeys)) < 0)
		return k;
	if ((k = get_enum(r, sec, "msee", parse_yes, &en)) < 0)
		return k;
	c->bgp.msee = en;
	if ((k = get_enum(r, sec, "customer", parse_yes, &en)) < 0)
		return k;
	c->bgp.customer = en;
	k = get_cidr_list(r, sec, "customer_prefixes", UINT32_MAX, &c->bgp.prefixes, &c->bgp.n_prefixes,
			  &parts);
	if (k < 0)
		return k;
	if (nkeys != 3 + parts)
		return corrupt(r, "[%s] customer_prefixes continuation keys out of sequence", sec);
	return 0;
}

static int read_vnet(const struct reader *r, const char *sec, struct circuit *c)
{
	static const char *const keys[] = { "name", "address_space", NULL };
	static const char *const lists[] = { "address_space", NULL };
	struct vnet *nv, *v;
	unsigned nkeys, parts, i;
	const char *name;
	int k;

	k = check_keys(r, sec, keys, lists, &nkeys);
	if (k < 0)
		return k;
	k = get_str(r, sec, "name", &name);
	if (k < 0)
		return k;
	if (names_check_vnet(name) < 0 || strcasecmp(name, sec + strlen("vnet ")) != 0)
		return bad_value(r, sec, "name", name, "not the VNet name of its section");
	for (i = 0; i < c->n_vnets; i++)
		if (strcasecmp(c->vnets[i].name, name) == 0)
			return bad_value(r, sec, "name", name, "duplicate VNet");

	nv = reallocarray(c->vnets, c->n_vnets + 1, sizeof(*c->vnets));
	if (!nv)
		return err_set(r->e, -ENOMEM, r->what, "out of memory reading %s", r->file);
	c->vnets = nv;
	v = &c->vnets[c->n_vnets];
	memset(v, 0, sizeof(*v));
	memcpy(v->name, name, strlen(name) + 1);
	c->n_vnets++;
	k = get_cidr_list(r, sec, "address_space", UINT32_MAX, &v->spaces, &v->n_spaces, &parts);
	if (k < 0)
		return k;
	if (nkeys != 2 + parts)
		return corrupt(r, "[%s] address_space continuation keys out of sequence", sec);
	return 0;
}

/*
 * Check the text before iniparser sees it: iniparser 4.1 prints syntax errors to stderr and
 * silently lets a repeated key win, so every line must be one of ours: "[section]",
 * "key = value" or blank. Counts sections and keys to catch repeats afterwards.
 */
static int prescan(const struct reader *r, const char *buf, size_t len, unsigned *ret_sections,
		   unsigned *ret_keys, bool *ret_ended)
{
	unsigned lineno = 0, sections = 0, keys = 0;
	const char *p = buf, *end = buf + len;
	bool ended = false;

	if (len == 0)
		return corrupt(r, "the file is empty");
	while (p < end) {
		const char *nl = memchr(p, '\n', (size_t)(end - p));
		size_t n = nl ? (size_t)(nl - p) : (size_t)(end - p), i, klen;
		char key[64];

		lineno++;
		if (n > LINE_MAX_LEN)
			return corrupt(r, "line %u is longer than %d bytes", lineno, LINE_MAX_LEN);
		for (i = 0; i < n; i++) {
			unsigned char ch = (unsigned char)p[i];

			if (ch < 0x20 || ch == 0x7f || ch == '\\')
				return corrupt(r, "line %u holds a control character or backslash", lineno);
		}
		ended = false;
		if (n == 0) {
			/* blank */
		} else if (p[0] == '[') {
			if (n < 3 || p[n - 1] != ']' || memchr(p + 1, ']', n - 2) || memchr(p, '"', n))
				return corrupt(r, "line %u: malformed section '%.*s'", lineno, (int)n, p);
			sections++;
			ended = n == strlen(END_LINE) && memcmp(p, END_LINE, n) == 0;
		} else {
			const char *v;
			size_t vlen;

			for (klen = 0; klen < n && (islower((unsigned char)p[klen]) ||
					isdigit((unsigned char)p[klen]) || p[klen] == '_'); klen++)
				;
			if (klen == 0 || klen >= sizeof(key) || n < klen + 3 || memcmp(p + klen, " = ", 3) != 0)
				return corrupt(r, "line %u: expected 'key = value', got '%.*s'", lineno,
					       n > 64 ? 64 : (int)n, p);
			if (sections == 0)
				return corrupt(r, "line %u: key outside of a section", lineno);
			memcpy(key, p, klen);
			key[klen] = '\0';
			v = p + klen + 3;
			vlen = n - klen - 3;
			if (vlen > 0 && v[0] == '"') {
				if (vlen < 2 || v[vlen - 1] != '"' || memchr(v + 1, '"', vlen - 2))
					return corrupt(r, "line %u: key '%s': unterminated quoted value", lineno, key);
			} else if (memchr(v, '"', vlen) || memchr(v, '\'', vlen) || memchr(v, ';', vlen) ||
				   memchr(v, '#', vlen) ||
				   (vlen > 0 && (v[0] == ' ' || v[vlen - 1] == ' '))) {
				return corrupt(r, "line %u: key '%s': malformed value '%.*s'", lineno, key,
					       vlen > 64 ? 64 : (int)vlen, v);
			}
			keys++;
		}
		p = nl ? nl + 1 : end;
	}
	*ret_sections = sections;
	*ret_keys = keys;
	*ret_ended = ended;
	return 0;
}

static int read_all(int fd, char **ret, size_t *ret_len)
{
	size_t cap = 8192, len = 0;
	char *buf = malloc(cap), *nb;
	ssize_t n;

	if (!buf)
		return -ENOMEM;
	for (;;) {
		if (len == cap) {
			if (cap > STATE_FILE_MAX) {
				free(buf);
				return -EFBIG;
			}
			nb = realloc(buf, cap * 2);
			if (!nb) {
				free(buf);
				return -ENOMEM;
			}
			buf = nb;
			cap *= 2;
		}
		n = read(fd, buf + len, cap - len);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0) {
			int r = -errno;

			free(buf);
			return r;
		}
		if (n == 0)
			break;
		len += (size_t)n;
	}
	if (len > STATE_FILE_MAX) {
		free(buf);
		return -EFBIG;
	}
	*ret = buf;
	*ret_len = len;
	return 0;
}

/*
 * Read the circuit in fd. iniparser 4.1 only loads by path: ini_path names the same open file
 * (/proc/self/fd/N) so that what is checked is what is parsed. expect_name, when set, is the
 * circuit name the file name promises.
 */
int read_state(int fd, const char *ini_path, const char *what, const char *file,
		      const char *expect_name, struct circuit *ret, struct err *e)
{
	struct reader r = { .what = what, .file = file, .e = e };
	unsigned sections = 0, keys = 0, nkeys = 0, i;
	bool ended = false, have_circuit = false;
	struct circuit c;
	size_t len = 0;
	char *buf = NULL;
	int k, nsec;

	circuit_init(&c);
	k = read_all(fd, &buf, &len);
	if (k == -EFBIG)
		return corrupt(&r, "the file is larger than %u bytes", STATE_FILE_MAX);
	if (k < 0)
		return err_set(e, k, what, "cannot read state file %s: %s", file, strerror(-k));
	k = prescan(&r, buf, len, &sections, &keys, &ended);
	free(buf);
	if (k < 0)
		return k;

	r.d = iniparser_load(ini_path);
	if (!r.d)
		return err_set(e, -EIO, what, "cannot load state file %s with iniparser", file);

	nsec = iniparser_getnsec(r.d);
	for (i = 0; nsec > 0 && i < (unsigned)nsec; i++) {
		int n = iniparser_getsecnkeys(r.d, iniparser_getsecname(r.d, (int)i));

		nkeys += n > 0 ? (unsigned)n : 0;
	}
	if (nsec < 0 || (unsigned)nsec != sections || nkeys != keys) {
		k = corrupt(&r, "a section or key appears twice");
		goto out;
	}

	for (i = 0; i < (unsigned)nsec; i++) {
		const char *sec = iniparser_getsecname(r.d, (int)i);
		unsigned n;

		if (strcmp(sec, "circuit") == 0) {
			k = read_circuit(&r, &c);
			have_circuit = true;
		} else if (strncmp(sec, "peering ", 8) == 0) {
			enum access_type t = access_type_from_string(sec + 8);

			if (t < 0 || strcmp(sec + 8, access_type_lower(t)) != 0) {
				k = corrupt(&r, "unknown section [%s]", sec);
				goto out;
			}
			c.peering_present[t] = true;
			k = read_peering(&r, sec, &c.peerings[t]);
		} else if (strncmp(sec, "vnet ", 5) == 0) {
			k = read_vnet(&r, sec, &c);
		} else if (strcmp(sec, "bgp") == 0) {
			k = read_bgp(&r, sec, &c);
		} else if (strcmp(sec, "end") == 0) {
			k = check_keys(&r, sec, (const char *const[]){ NULL }, NULL, &n);
		} else {
			k = corrupt(&r, "unknown section [%s]", sec);
		}
		if (k < 0)
			goto out;
	}
	if (!have_circuit) {
		k = corrupt(&r, "section [circuit] is missing");
		goto out;
	}
	if (!ended) {
		k = corrupt(&r, "truncated: the last line is not '" END_LINE "'");
		goto out;
	}
	if (expect_name && strcmp(c.name, expect_name) != 0) {
		k = bad_value(&r, "circuit", "name", c.name, "does not match the file name");
		goto out;
	}
	*ret = c;
	iniparser_freedict(r.d);
	return 0;

out:
	iniparser_freedict(r.d);
	circuit_clear(&c);
	return k;
}

void fd_path(int fd, const char *fallback, char *buf, size_t len)
{
	snprintf(buf, len, "/proc/self/fd/%d", fd);
	/* Without /proc (a bare initramfs) fall back to the path: iniparser reopens by name. */
	if (access(buf, R_OK) < 0)
		snprintf(buf, len, "%s", fallback);
}

int circuit_read_ini(const char *path, struct circuit *ret, struct err *e)
{
	char expect[CIRCUIT_NAME_MAX + 1], ini_path[PATH_MAX + 1];
	const char *base = strrchr(path, '/'), *exp = NULL;
	size_t stem;
	int fd, k;

	base = base ? base + 1 : path;
	if (state_file_name(base, &stem)) {
		memcpy(expect, base, stem);
		expect[stem] = '\0';
		exp = expect;
	}
	fd = open(path, O_RDONLY | O_CLOEXEC | O_NOFOLLOW | O_NONBLOCK);
	if (fd < 0)
		return err_set(e, -errno, path, "cannot open state file: %s", strerror(errno));
	fd_path(fd, path, ini_path, sizeof(ini_path));
	k = read_state(fd, ini_path, path, base, exp, ret, e);
	close(fd);
	return k;
}

