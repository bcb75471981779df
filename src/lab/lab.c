/* SPDX-License-Identifier: MIT */
/*
 * Lab files (SPEC §5): a pre-scan for what iniparser cannot tell us (line numbers, duplicate
 * headers and keys, sections as written, binary junk), then iniparser for the values, then one
 * table of section kind -> key -> parser -> field (systemd-networkd's gperf tables, by hand),
 * then the whole-object rules of SPEC §3 through core/validate.
 * Every mistake is collected; nothing stops at the first one.
 *
 * Linear in the file: a 1000-circuit lab has some 26000 sections and keys. iniparser 4.1's
 * dictionary scans every slot on each insert and lookup, so it is handed the file in slices of a
 * few hundred entries, each dictionary is walked once into our own per-section table, and every
 * repeated lookup (sections, keys, circuits, names) goes through a hash map.
 */
#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include <iniparser/iniparser.h>

#include "core/guid.h"
#include "core/names.h"
#include "core/num.h"
#include "core/validate.h"
#include "lab/lab.h"

/* iniparser 4.1 reads a line, continuations included, into a 1024-byte buffer and gives up on more. */
#define LAB_LINE_MAX 1000
/* Sections plus keys: a 1000-circuit lab has about 26000. Bounds what a hostile file costs. */
#define LAB_ENTRIES_MAX 65536
/* Keys under one header ([registry] is the only long one): bounds one iniparser slice. */
#define LAB_SECTION_KEYS_MAX 4096
/* Items of one list value (a line holds far fewer). */
#define LAB_LIST_MAX 4096
/* iniparser 4.1 scans its whole dictionary per insert: slices of about this many entries. */
#define INI_SLICE_ENTRIES 256
/* Keys of a section found by a scan up to this many, then through a hash map (fewer cache misses). */
#define SECTION_SCAN_MAX 32
/* Mistakes listed for one file; past that, one more entry says so. */
#define LAB_ERRORS_MAX 1000
#define IDX_NONE UINT_MAX
#define CIRCUIT_ID_MAX 63
#define SHOW_MAX 96

#define ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))

enum section_kind {
	SEC_LAB,
	SEC_CIRCUIT,
	SEC_PEERING,
	SEC_VNET,
	SEC_BGP,
	SEC_REGISTRY,
	_SEC_MAX,
	SEC_UNKNOWN = -1,
};

/* A [header] as the pre-scan saw it. */
struct pre_section {
	char *written;       /* between the brackets, trimmed, case kept: messages and names */
	char *ini;           /* as iniparser stores it: trimmed and lowercased */
	char *norm;          /* lowercased, blanks collapsed: two headers equal here are one section */
	unsigned line;
	size_t offset;       /* of the header's line in the file: where an iniparser slice may start */
	unsigned entry;      /* sections and keys before it */
	bool duplicate;
	bool indexed;        /* its keys are in loader.pre_keys (a long section) */
	unsigned first_key, n_keys;
};

struct pre_key {
	char *key;           /* lowercased, as iniparser stores it */
	unsigned line;
};

/* A section as iniparser read it, merged over the slices; keys in iniparser's order. */
struct ini_section {
	const char *name;               /* owned by a dictionary */
	unsigned head, tail;            /* into loader.ents; IDX_NONE when it has no key */
	unsigned dict;                  /* the slice that declared it */
	bool indexed;                   /* its keys are in loader.ent_map (declared again later) */
};

struct ini_entry {
	const char *key;                /* after "section:", owned by a dictionary */
	const char *value;              /* NULL reads as "" */
	unsigned next;                  /* the section's next key, IDX_NONE at the end */
};

/* Open addressing with linear probing; keys are borrowed, never copied. */
struct strmap_slot {
	const char *key;                /* NULL = free */
	size_t hash;
	unsigned tag;                   /* a namespace: the section of a key, 0 elsewhere */
	unsigned val;
};

struct strmap {
	struct strmap_slot *v;
	size_t cap, n;                  /* cap is 0 or a power of two */
	bool icase;                     /* ASCII case folded, as strcasecmp() in the C locale */
};

/* A section being loaded, in file order. */
struct section {
	const struct pre_section *pre;
	unsigned isec;                  /* into loader.isecs */
	enum section_kind kind;
	char *words[3];                 /* "peering", "er1", "private" as written */
	char *words_buf;
	enum access_type type;          /* [peering] */
	int circuit;                    /* index into lab->circuits; -1 when none */
	bool bad;                       /* a key was refused or is missing */
	struct peering scratch_peering; /* a peering whose circuit is missing: checked, then dropped */
	struct vnet vnet;               /* [vnet], moved to its circuit once checked */
};

struct loader {
	const char *file;               /* as given, for messages */
	struct lab *lab;
	struct lab_errors *errs;
	bool oom;
	char *text;
	size_t len;
	unsigned n_errs;                /* added by this load */
	struct pre_section *pre;
	unsigned n_pre, cap_pre;
	struct pre_key *keys;
	unsigned n_keys, cap_keys;
	unsigned n_fatal;               /* pre-scan errors that iniparser would choke on */
	struct strmap pre_norm;         /* pre_section.norm -> first index */
	struct strmap pre_ini;          /* pre_section.ini -> first index */
	struct strmap pre_keys;         /* (pre index, key) -> index into keys */
	dictionary **dicts;             /* one per slice, kept: the table borrows their strings */
	unsigned n_dicts, cap_dicts;
	struct ini_section *isecs;
	unsigned n_isecs, cap_isecs;
	struct ini_entry *ents;
	unsigned n_ents, cap_ents;
	struct strmap isec_map;         /* ini_section.name -> index */
	struct strmap ent_map;          /* (section index, key) -> index into ents */
	struct strmap circuit_map;      /* circuit id (any case) -> index into lab->circuits */
	struct section *secs;
	unsigned n_secs;
};

struct key_def;
/* Returns 0 when the value was taken, 1 when it means "unset", -errno after recording an error. */
typedef int (*key_parser)(struct loader *ld, const struct section *s, const struct key_def *k,
			  const char *value, void *obj);

#define T_PRIV (1u << ACCESS_PRIVATE)
#define T_PUB  (1u << ACCESS_PUBLIC)
#define T_MS   (1u << ACCESS_MICROSOFT)
#define T_ALL  (T_PRIV | T_PUB | T_MS)

struct key_def {
	enum section_kind kind;
	const char *key;
	key_parser parse;
	size_t offset;       /* of the field in the section's object */
	size_t aux;          /* string size, offset of a list's count, or address family */
	unsigned has;        /* CIRCUIT_HAS_* / PEERING_HAS_* set when the value is taken */
	unsigned applies;    /* peering types the key belongs to (T_ALL for other sections) */
	unsigned required;   /* peering types that must have it (T_ALL = always, elsewhere) */
	bool secret;         /* never echo the value */
};

/* ---- growing arrays and the string map ---- */

/* Room for element n of an array of *cap: doubles. Returns the array (maybe moved) or NULL. */
static void *grow(void *v, unsigned n, unsigned *cap, size_t size)
{
	unsigned c;
	void *g;

	if (n < *cap)
		return v;
	if (*cap > UINT_MAX / 2)
		return NULL;
	c = *cap ? *cap * 2 : 16;
	g = reallocarray(v, c, size);
	if (g)
		*cap = c;
	return g;
}

static size_t strmap_hash(const struct strmap *m, unsigned tag, const char *key, size_t len)
{
	uint64_t h = 14695981039346656037ull;   /* FNV-1a */

	h = (h ^ tag) * 1099511628211ull;
	for (size_t i = 0; i < len; i++) {
		unsigned char c = (unsigned char)key[i];

		if (m->icase && c >= 'A' && c <= 'Z')
			c = (unsigned char)(c - 'A' + 'a');
		h = (h ^ c) * 1099511628211ull;
	}
	return (size_t)(h ^ (h >> 29));
}

/* The slot holding (tag, key[0..len)), or the free slot where it would go. m->cap must be > 0. */
static struct strmap_slot *strmap_slot(const struct strmap *m, unsigned tag, const char *key, size_t len,
				       size_t hash)
{
	size_t mask = m->cap - 1;

	for (size_t i = hash & mask;; i = (i + 1) & mask) {
		struct strmap_slot *s = &m->v[i];

		if (!s->key)
			return s;
		if (s->hash != hash || s->tag != tag)
			continue;
		if ((m->icase ? strncasecmp(s->key, key, len) : strncmp(s->key, key, len)) == 0 && !s->key[len])
			return s;
	}
}

static int strmap_get(const struct strmap *m, unsigned tag, const char *key, size_t len, unsigned *ret_val)
{
	const struct strmap_slot *s;

	if (m->cap == 0)
		return -ENOENT;
	s = strmap_slot(m, tag, key, len, strmap_hash(m, tag, key, len));
	if (!s->key)
		return -ENOENT;
	*ret_val = s->val;
	return 0;
}

/*
 * The value of (tag, key), first storing val when the key is new (*ret_found tells which). key must
 * outlive the map. Returns a pointer to the stored value, NULL when out of memory.
 */
static unsigned *strmap_put(struct strmap *m, unsigned tag, const char *key, unsigned val, bool *ret_found)
{
	size_t len = strlen(key), hash = strmap_hash(m, tag, key, len);
	struct strmap_slot *s;

	if ((m->n + 1) * 2 > m->cap) {
		struct strmap old = *m;

		m->cap = old.cap ? old.cap * 2 : 64;
		m->v = calloc(m->cap, sizeof(*m->v));
		if (!m->v) {
			*m = old;
			return NULL;
		}
		for (size_t i = 0; i < old.cap; i++) {
			size_t j = old.v[i].hash & (m->cap - 1);

			if (!old.v[i].key)
				continue;
			/* The keys are distinct: the first free slot is theirs. */
			while (m->v[j].key)
				j = (j + 1) & (m->cap - 1);
			m->v[j] = old.v[i];
		}
		free(old.v);
	}
	s = strmap_slot(m, tag, key, len, hash);
	*ret_found = s->key != NULL;
	if (!s->key) {
		*s = (struct strmap_slot){ .key = key, .hash = hash, .tag = tag, .val = val };
		m->n++;
	}
	return &s->val;
}

static void strmap_free(struct strmap *m)
{
	free(m->v);
	m->v = NULL;
	m->cap = m->n = 0;
}

/* ---- messages ---- */

/* Through a va_list so a long path is cut quietly instead of tripping -Wformat-truncation. */
static const char *fmt(char *buf, size_t len, const char *f, ...) __attribute__((format(printf, 3, 4)));
static const char *fmt(char *buf, size_t len, const char *f, ...)
{
	va_list ap;

	va_start(ap, f);
	vsnprintf(buf, len, f, ap);
	va_end(ap);
	return buf;
}

/* A value as it may be echoed: printable ASCII, cut to SHOW_MAX. */
static const char *show(const char *s, char buf[SHOW_MAX + 4])
{
	size_t i;

	for (i = 0; s[i] && i < SHOW_MAX; i++)
		buf[i] = (s[i] >= 0x20 && s[i] < 0x7f) ? s[i] : '?';
	if (s[i]) {
		memcpy(buf + i, "...", 3);
		i += 3;
	}
	buf[i] = '\0';
	return buf;
}

/* Past LAB_ERRORS_MAX the rest is noise (a thousand circuits with one name): the checks may stop. */
static bool errs_full(const struct loader *ld)
{
	return ld->n_errs > LAB_ERRORS_MAX;
}

static void add_err(struct loader *ld, int errnum, const char *what, const char *msg, const char *detail)
{
	struct lab_errors *l = ld->errs;
	char d[64];
	struct err *v;

	if (errs_full(ld))
		return;
	if (ld->n_errs == LAB_ERRORS_MAX) {
		errnum = -EINVAL;
		what = ld->file;
		msg = "too many mistakes";
		detail = fmt(d, sizeof(d), "only the first %d are listed", LAB_ERRORS_MAX);
	}
	v = realloc(l->v, (l->n + 1) * sizeof(*v));
	if (!v) {
		ld->oom = true;
		return;
	}
	l->v = v;
	memset(&v[l->n], 0, sizeof(v[l->n]));
	v[l->n].errnum = errnum < 0 ? errnum : -EINVAL;
	fmt(v[l->n].what, sizeof(v[l->n].what), "%s", what);
	fmt(v[l->n].msg, sizeof(v[l->n].msg), "%s", msg);
	fmt(v[l->n].detail, sizeof(v[l->n].detail), "%s", detail ? detail : "");
	l->n++;
	ld->n_errs++;
}

static void line_err(struct loader *ld, unsigned line, const char *msg, const char *detail)
{
	char w[sizeof(((struct err *)0)->what)];

	ld->n_fatal++;
	add_err(ld, -EINVAL, fmt(w, sizeof(w), "%s:%u", ld->file, line), msg, detail);
}

static const char *section_what(const struct loader *ld, const struct pre_section *p, char *w, size_t len)
{
	return fmt(w, len, "%s [%s]", ld->file, p->written);
}

static void section_err(struct loader *ld, const struct section *s, int errnum, const char *msg,
			const char *detail)
{
	char w[sizeof(((struct err *)0)->what)];

	add_err(ld, errnum, section_what(ld, s->pre, w, sizeof(w)), msg, detail);
}

static const char *key_what(const struct loader *ld, const struct pre_section *p, const char *key,
			    const char *value, bool secret, char *w, size_t len)
{
	char shown[SHOW_MAX + 4];

	if (secret || !value)
		return fmt(w, len, "%s [%s] %s", ld->file, p->written, key);
	return fmt(w, len, "%s [%s] %s=%s", ld->file, p->written, key, show(value, shown));
}

static int key_err(struct loader *ld, const struct section *s, const struct key_def *k, const char *value,
		   int errnum, const char *msg, const char *detail)
{
	char w[sizeof(((struct err *)0)->what)];

	add_err(ld, errnum, key_what(ld, s->pre, k->key, value, k->secret, w, sizeof(w)), msg, detail);
	return -EINVAL;
}

/* A field validator refused the value: its sentence, our file/section/key. */
static int key_fail(struct loader *ld, const struct section *s, const struct key_def *k, const char *value,
		    const struct err *ve)
{
	return key_err(ld, s, k, value, ve->errnum, ve->msg, ve->detail);
}

/* ---- the table ---- */

static int parse_datapath(struct loader *, const struct section *, const struct key_def *, const char *, void *);
static int parse_text(struct loader *, const struct section *, const struct key_def *, const char *, void *);
static int parse_guid(struct loader *, const struct section *, const struct key_def *, const char *, void *);
static int parse_bandwidth(struct loader *, const struct section *, const struct key_def *, const char *, void *);
static int parse_sku(struct loader *, const struct section *, const struct key_def *, const char *, void *);
static int parse_billing(struct loader *, const struct section *, const struct key_def *, const char *, void *);
static int parse_provisioned(struct loader *, const struct section *, const struct key_def *, const char *, void *);
static int parse_subnet(struct loader *, const struct section *, const struct key_def *, const char *, void *);
static int parse_peer_asn(struct loader *, const struct section *, const struct key_def *, const char *, void *);
static int parse_customer_asn(struct loader *, const struct section *, const struct key_def *, const char *, void *);
static int parse_vlan(struct loader *, const struct section *, const struct key_def *, const char *, void *);
static int parse_shared_key(struct loader *, const struct section *, const struct key_def *, const char *, void *);
static int parse_prefixes(struct loader *, const struct section *, const struct key_def *, const char *, void *);
static int parse_registry_name(struct loader *, const struct section *, const struct key_def *, const char *, void *);
static int parse_cidr_list(struct loader *, const struct section *, const struct key_def *, const char *, void *);
static int parse_bird(struct loader *, const struct section *, const struct key_def *, const char *, void *);

#define FIELD(type, member) offsetof(type, member)
#define TEXT(type, member) offsetof(type, member), sizeof(((type *)0)->member)

static const struct key_def key_table[] = {
	{ SEC_LAB, "datapath", parse_datapath, FIELD(struct lab, datapath), 0, 0, T_ALL, 0, false },

	{ SEC_CIRCUIT, "name", parse_text, TEXT(struct circuit, name), 0, T_ALL, 0, false },
	{ SEC_CIRCUIT, "service_key", parse_guid, FIELD(struct circuit, service_key), 0, CIRCUIT_HAS_KEY, T_ALL, 0, false },
	{ SEC_CIRCUIT, "bandwidth", parse_bandwidth, FIELD(struct circuit, bandwidth), 0, CIRCUIT_HAS_BANDWIDTH, T_ALL, T_ALL, false },
	{ SEC_CIRCUIT, "location", parse_text, TEXT(struct circuit, location), CIRCUIT_HAS_LOCATION, T_ALL, T_ALL, false },
	{ SEC_CIRCUIT, "service_provider_name", parse_text, TEXT(struct circuit, provider), CIRCUIT_HAS_PROVIDER, T_ALL, T_ALL, false },
	{ SEC_CIRCUIT, "sku", parse_sku, FIELD(struct circuit, sku), 0, CIRCUIT_HAS_SKU, T_ALL, 0, false },
	{ SEC_CIRCUIT, "billing_type", parse_billing, FIELD(struct circuit, billing), 0, CIRCUIT_HAS_BILLING, T_ALL, 0, false },
	{ SEC_CIRCUIT, "provisioned", parse_provisioned, FIELD(struct circuit, prov), 0, CIRCUIT_HAS_PROV, T_ALL, 0, false },

	{ SEC_PEERING, "primary_peer_subnet", parse_subnet, FIELD(struct peering, primary4), AF_INET, PEERING_HAS_PRIMARY4, T_ALL, 0, false },
	{ SEC_PEERING, "secondary_peer_subnet", parse_subnet, FIELD(struct peering, secondary4), AF_INET, PEERING_HAS_SECONDARY4, T_ALL, 0, false },
	{ SEC_PEERING, "primary_peer_subnet_v6", parse_subnet, FIELD(struct peering, primary6), AF_INET6, PEERING_HAS_PRIMARY6, T_PRIV | T_MS, 0, false },
	{ SEC_PEERING, "secondary_peer_subnet_v6", parse_subnet, FIELD(struct peering, secondary6), AF_INET6, PEERING_HAS_SECONDARY6, T_PRIV | T_MS, 0, false },
	{ SEC_PEERING, "peer_asn", parse_peer_asn, FIELD(struct peering, peer_asn), 0, PEERING_HAS_PEER_ASN, T_ALL, T_ALL, false },
	{ SEC_PEERING, "vlan_id", parse_vlan, FIELD(struct peering, vlan_id), 0, PEERING_HAS_VLAN, T_ALL, T_ALL, false },
	{ SEC_PEERING, "shared_key", parse_shared_key, TEXT(struct peering, shared_key), PEERING_HAS_SHARED_KEY, T_ALL, 0, true },
	{ SEC_PEERING, "advertised_public_prefixes", parse_prefixes, FIELD(struct peering, prefixes), FIELD(struct peering, n_prefixes), PEERING_HAS_PREFIXES, T_MS, T_MS, false },
	{ SEC_PEERING, "customer_asn", parse_customer_asn, FIELD(struct peering, customer_asn), 0, PEERING_HAS_CUSTOMER_ASN, T_MS, 0, false },
	{ SEC_PEERING, "routing_registry_name", parse_registry_name, TEXT(struct peering, registry), PEERING_HAS_REGISTRY, T_MS, 0, false },

	{ SEC_VNET, "address_space", parse_cidr_list, FIELD(struct vnet, spaces), FIELD(struct vnet, n_spaces), 0, T_ALL, T_ALL, false },

	{ SEC_BGP, "msee", parse_bird, FIELD(struct lab, bgp_msee), 0, 0, T_ALL, 0, false },
	{ SEC_BGP, "customer", parse_bird, FIELD(struct lab, bgp_customer), 0, 0, T_ALL, 0, false },
	{ SEC_BGP, "customer_prefixes", parse_cidr_list, FIELD(struct lab, customer_prefixes), FIELD(struct lab, n_customer_prefixes), 0, T_ALL, 0, false },
	/* [registry] keys are prefixes, not names: parse_registry_entry() reads them. */
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

static const struct key_def *key_find(enum section_kind kind, const char *key)
{
	for (size_t i = 0; i < ARRAY_SIZE(key_table); i++)
		if (key_table[i].kind == kind && strcmp(key_table[i].key, key) == 0)
			return &key_table[i];
	return NULL;
}

static bool key_is_secret(const char *key)
{
	for (size_t i = 0; i < ARRAY_SIZE(key_table); i++)
		if (key_table[i].secret && strcmp(key_table[i].key, key) == 0)
			return true;
	return false;
}

static void *field(void *obj, size_t offset)
{
	return (char *)obj + offset;
}

/* ---- value parsers ---- */

static int parse_number(struct loader *ld, const struct section *s, const struct key_def *k, const char *value,
			uint32_t min, uint32_t max, uint32_t *ret)
{
	char d[64];
	int r = num_parse_u32(value, min, max, ret);

	if (r == -ERANGE)
		return key_err(ld, s, k, value, -EINVAL, "number out of range", fmt(d, sizeof(d), "%u-%u", min, max));
	if (r < 0)
		return key_err(ld, s, k, value, -EINVAL, "not a decimal number",
			       "digits only: no sign, no leading zeros, no spaces or units");
	return 0;
}

static int parse_datapath(struct loader *ld, const struct section *s, const struct key_def *k, const char *value,
			  void *obj)
{
	enum datapath d = datapath_from_string(value);

	if (d < 0 || d >= _DATAPATH_MAX)
		return key_err(ld, s, k, value, -EINVAL, "unknown datapath", "use auto, vlan or veth");
	*(enum datapath *)field(obj, k->offset) = d;
	return 0;
}

static int parse_text(struct loader *ld, const struct section *s, const struct key_def *k, const char *value,
		      void *obj)
{
	char d[64];
	size_t len = strlen(value);

	if (len >= k->aux)
		return key_err(ld, s, k, value, -EINVAL, "value too long",
			       fmt(d, sizeof(d), "%zu characters, at most %zu", len, k->aux - 1));
	memcpy(field(obj, k->offset), value, len + 1);
	return 0;
}

static int parse_guid(struct loader *ld, const struct section *s, const struct key_def *k, const char *value,
		      void *obj)
{
	char m[160], shown[SHOW_MAX + 4];

	if (guid_parse(value, field(obj, k->offset)) < 0)
		return key_err(ld, s, k, value, -EINVAL,
			       fmt(m, sizeof(m), "The value %s is an invalid GUID.", show(value, shown)),
			       "a service key is written as 8-4-4-4-12 hex digits; leave it out to have one generated");
	return 0;
}

static int parse_bandwidth(struct loader *ld, const struct section *s, const struct key_def *k, const char *value,
			   void *obj)
{
	struct err ve = { 0 };
	uint32_t v;

	if (parse_number(ld, s, k, value, 0, UINT32_MAX, &v) < 0)
		return -EINVAL;
	if (validate_bandwidth(v, "lab", &ve) < 0)
		return key_fail(ld, s, k, value, &ve);
	*(uint32_t *)field(obj, k->offset) = v;
	return 0;
}

static int parse_sku(struct loader *ld, const struct section *s, const struct key_def *k, const char *value,
		     void *obj)
{
	enum sku v = sku_from_string(value);

	if (v < 0 || v >= _SKU_MAX)
		return key_err(ld, s, k, value, -EINVAL, "unknown sku", "use Standard or Premium");
	*(enum sku *)field(obj, k->offset) = v;
	return 0;
}

static int parse_billing(struct loader *ld, const struct section *s, const struct key_def *k, const char *value,
			 void *obj)
{
	enum billing v = billing_from_string(value);

	if (v < 0 || v >= _BILLING_MAX)
		return key_err(ld, s, k, value, -EINVAL, "unknown billing_type", "use MeteredData or UnlimitedData");
	*(enum billing *)field(obj, k->offset) = v;
	return 0;
}

static int parse_provisioned(struct loader *ld, const struct section *s, const struct key_def *k,
			     const char *value, void *obj)
{
	bool b;

	if (num_parse_bool(value, &b) < 0)
		return key_err(ld, s, k, value, -EINVAL, "not a boolean", "use yes or no");
	*(enum provisioning *)field(obj, k->offset) = b ? PROV_PROVISIONED : PROV_NOT_PROVISIONED;
	return 0;
}

static int parse_subnet(struct loader *ld, const struct section *s, const struct key_def *k, const char *value,
			void *obj)
{
	struct err ve = { 0 };
	char m[200], d[160], shown[SHOW_MAX + 4];
	struct cidr c;

	if (validate_peer_subnet(value, "lab", &c, &ve) < 0)
		return key_fail(ld, s, k, value, &ve);
	if (c.family != k->aux) {
		bool want4 = k->aux == AF_INET;

		return key_err(ld, s, k, value, -EINVAL,
			       fmt(m, sizeof(m), "The specified BGP peer IP address '%s' is not valid.",
				   show(value, shown)),
			       fmt(d, sizeof(d), "%s takes an %s; %s", k->key, want4 ? "IPv4 /30" : "IPv6 /126",
				   want4 ? "IPv6 subnets go in the _v6 keys" : "IPv4 subnets go in the keys without _v6"));
	}
	*(struct cidr *)field(obj, k->offset) = c;
	return 0;
}

static int parse_peer_asn(struct loader *ld, const struct section *s, const struct key_def *k, const char *value,
			  void *obj)
{
	struct err ve = { 0 };
	uint32_t v;

	if (parse_number(ld, s, k, value, 0, UINT32_MAX, &v) < 0)
		return -EINVAL;
	if (validate_peer_asn(v, "lab", &ve) < 0)
		return key_fail(ld, s, k, value, &ve);
	*(uint32_t *)field(obj, k->offset) = v;
	return 0;
}

static int parse_customer_asn(struct loader *ld, const struct section *s, const struct key_def *k,
			      const char *value, void *obj)
{
	struct err ve = { 0 };
	uint32_t v;

	/* Blank and 0 both mean "no customer ASN" (SPEC §3). */
	if (!value[0])
		return 1;
	if (parse_number(ld, s, k, value, 0, UINT32_MAX, &v) < 0)
		return -EINVAL;
	if (validate_customer_asn(v, "lab", &ve) < 0)
		return key_fail(ld, s, k, value, &ve);
	*(uint32_t *)field(obj, k->offset) = v;
	return v ? 0 : 1;
}

static int parse_vlan(struct loader *ld, const struct section *s, const struct key_def *k, const char *value,
		      void *obj)
{
	struct err ve = { 0 };
	uint32_t v;

	if (parse_number(ld, s, k, value, 0, UINT32_MAX, &v) < 0)
		return -EINVAL;
	if (validate_vlan(v, "lab", &ve) < 0)
		return key_fail(ld, s, k, value, &ve);
	*(uint16_t *)field(obj, k->offset) = (uint16_t)v;
	return 0;
}

static int parse_shared_key(struct loader *ld, const struct section *s, const struct key_def *k,
			    const char *value, void *obj)
{
	struct err ve = { 0 };

	if (validate_shared_key(value, "lab", &ve) < 0)
		return key_fail(ld, s, k, value, &ve);
	return parse_text(ld, s, k, value, obj);
}

static int parse_prefixes(struct loader *ld, const struct section *s, const struct key_def *k, const char *value,
			  void *obj)
{
	struct cidr **list = field(obj, k->offset);
	unsigned *n = field(obj, k->aux);
	struct err ve = { 0 };
	struct cidr *v;
	unsigned nv;

	if (validate_prefix_list(value, "lab", &v, &nv, &ve) < 0)
		return key_fail(ld, s, k, value, &ve);
	free(*list);
	*list = v;
	*n = nv;
	return 0;
}

static int parse_registry_name(struct loader *ld, const struct section *s, const struct key_def *k,
			       const char *value, void *obj)
{
	struct err ve = { 0 };
	char *dst = field(obj, k->offset);
	size_t i;

	if (!value[0])
		return 1;
	if (validate_registry(value, "lab", &ve) < 0)
		return key_fail(ld, s, k, value, &ve);
	/* The registries are spelled in capitals (ARIN, RIPENCC): store that spelling. */
	for (i = 0; value[i] && i < k->aux - 1; i++)
		dst[i] = (char)toupper((unsigned char)value[i]);
	dst[i] = '\0';
	return 0;
}

/* "10.1.0.0/16, 10.2.0.0/16": any family, network addresses, at least one. */
static int parse_cidr_list(struct loader *ld, const struct section *s, const struct key_def *k, const char *value,
			   void *obj)
{
	struct cidr **list = field(obj, k->offset);
	unsigned *count = field(obj, k->aux);
	struct cidr *v = NULL;
	unsigned n = 0, item = 0;
	const char *p = value;
	char d[160], tok[CIDR_STRLEN + 1];

	for (;;) {
		const char *comma = strchr(p, ',');
		size_t len = comma ? (size_t)(comma - p) : strlen(p);
		struct cidr c;

		item++;
		while (len && isspace((unsigned char)*p))
			p++, len--;
		while (len && isspace((unsigned char)p[len - 1]))
			len--;
		if (len == 0 || len > CIDR_STRLEN) {
			key_err(ld, s, k, value, -EINVAL, len ? "not a prefix" : "empty list item",
				fmt(d, sizeof(d), "item %u: a comma-separated list such as 10.1.0.0/16,10.2.0.0/16", item));
			goto fail;
		}
		memcpy(tok, p, len);
		tok[len] = '\0';
		if (cidr_parse(tok, &c) < 0) {
			key_err(ld, s, k, value, -EINVAL, "not a prefix",
				fmt(d, sizeof(d), "item %u: an IPv4 or IPv6 prefix such as 10.1.0.0/16", item));
			goto fail;
		}
		if (!cidr_is_network(&c)) {
			key_err(ld, s, k, value, -EINVAL, "not the network address of its prefix",
				fmt(d, sizeof(d), "item %u (%s): host bits are set", item, tok));
			goto fail;
		}
		if (n == LAB_LIST_MAX) {
			key_err(ld, s, k, value, -EINVAL, "too many prefixes", NULL);
			goto fail;
		}
		if (n % 16 == 0) {
			struct cidr *grown = realloc(v, (n + 16) * sizeof(*v));

			if (!grown) {
				ld->oom = true;
				goto fail;
			}
			v = grown;
		}
		v[n++] = c;
		if (!comma)
			break;
		p = comma + 1;
	}
	free(*list);
	*list = v;
	*count = n;
	return 0;

fail:
	free(v);
	return -EINVAL;
}

static int parse_bird(struct loader *ld, const struct section *s, const struct key_def *k, const char *value,
		      void *obj)
{
	bool *b = field(obj, k->offset);

	if (strcasecmp(value, "bird") == 0)
		*b = true;
	else if (strcasecmp(value, "none") == 0)
		*b = false;
	else
		return key_err(ld, s, k, value, -EINVAL, "unknown BGP speaker", "use bird or none");
	return 0;
}

/* [registry] "123.0.0.0/24 = 2245": who a prefix is registered to, for ValidationNeeded. */
static void parse_registry_entry(struct loader *ld, struct section *s, const char *key, const char *value)
{
	struct key_def k = { .kind = SEC_REGISTRY, .key = key };
	struct lab *lab = ld->lab;
	struct registry_entry e;
	struct registry_entry *grown;

	if (cidr_parse(key, &e.prefix) < 0 || !cidr_is_network(&e.prefix)) {
		key_err(ld, s, &k, value, -EINVAL, "not a prefix",
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

/* ---- pre-scan ---- */

static char *strip(char *s)
{
	char *end;

	while (isspace((unsigned char)*s))
		s++;
	end = s + strlen(s);
	while (end > s && isspace((unsigned char)end[-1]))
		*--end = '\0';
	return s;
}

static void lower(char *s)
{
	for (; *s; s++)
		*s = (char)tolower((unsigned char)*s);
}

/* Lowercase with runs of blanks made one space: "[Peering  ER1 private]" is "[peering er1 private]". */
static char *normalize(const char *s)
{
	char *n = malloc(strlen(s) + 1), *o = n;
	bool blank = false;

	if (!n)
		return NULL;
	for (; *s; s++) {
		if (isspace((unsigned char)*s)) {
			blank = true;
			continue;
		}
		if (blank && o != n)
			*o++ = ' ';
		blank = false;
		*o++ = (char)tolower((unsigned char)*s);
	}
	*o = '\0';
	return n;
}

/* The value as iniparser would read it, only to quote it in a message. */
static void quoted_value(char *v)
{
	size_t len = strlen(v);

	if (len >= 2 && (v[0] == '"' || v[0] == '\'') && strchr(v + 1, v[0])) {
		char *close = strchr(v + 1, v[0]);

		memmove(v, v + 1, (size_t)(close - v - 1));
		v[close - v - 1] = '\0';
		return;
	}
	v[strcspn(v, ";#")] = '\0';
	strip(v);
}

static void pre_header(struct loader *ld, char *l, unsigned line, size_t offset, unsigned entry)
{
	char w[sizeof(((struct err *)0)->what)], d[64];
	size_t len = strlen(l);
	struct pre_section *p, *grown;
	unsigned *first;
	bool found;
	char *content;

	if (len < 2 || l[len - 1] != ']' || strchr(l, ']') != l + len - 1 || strchr(l + 1, '[')) {
		line_err(ld, line, "syntax error", "a section header is [kind id ...] on a line of its own");
		return;
	}
	l[len - 1] = '\0';
	content = strip(l + 1);
	if (!*content || strchr(content, ':')) {
		line_err(ld, line, "syntax error",
			 *content ? "':' is not allowed in a section header" : "empty section header");
		return;
	}
	grown = grow(ld->pre, ld->n_pre, &ld->cap_pre, sizeof(*grown));
	if (!grown) {
		ld->oom = true;
		return;
	}
	ld->pre = grown;
	p = &ld->pre[ld->n_pre];
	memset(p, 0, sizeof(*p));
	p->line = line;
	p->offset = offset;
	p->entry = entry;
	p->first_key = ld->n_keys;
	p->written = strdup(content);
	p->ini = strdup(content);
	p->norm = normalize(content);
	if (!p->written || !p->ini || !p->norm) {
		free(p->written);
		free(p->ini);
		free(p->norm);
		ld->oom = true;
		return;
	}
	lower(p->ini);
	ld->n_pre++;
	first = strmap_put(&ld->pre_norm, 0, p->norm, ld->n_pre - 1, &found);
	if (!first) {
		ld->oom = true;
		return;
	}
	if (found) {
		/* iniparser would merge the two silently: the second one is a mistake. */
		p->duplicate = true;
		add_err(ld, -EINVAL, section_what(ld, p, w, sizeof(w)), "duplicate section",
			fmt(d, sizeof(d), "first at line %u", ld->pre[*first].line));
	}
}

/*
 * iniparser 4.1 ends an unquoted value at the first ';' or '#' and a quoted one at the next quote,
 * silently: "name = a;b" would be read as "a". Such values are refused instead (a comment needs a
 * blank before it), and a quoted value must close its quote with nothing but a comment after it.
 */
static bool value_is_plain(const char *v, char *why, size_t len)
{
	const char *c;

	while (*v == ' ' || *v == '\t')
		v++;
	if (*v == '"' || *v == '\'') {
		const char *end = strchr(v + 1, *v);

		if (!end) {
			snprintf(why, len, "the quote %c is not closed", *v);
			return false;
		}
		for (c = end + 1; *c == ' ' || *c == '\t'; c++)
			;
		if (*c && *c != ';' && *c != '#') {
			snprintf(why, len, "text after the closing quote");
			return false;
		}
		return true;
	}
	for (c = v; *c; c++) {
		if (*c != ';' && *c != '#')
			continue;
		if (c > v && c[-1] != ' ' && c[-1] != '\t') {
			snprintf(why, len, "'%c' starts a comment here: put a blank before a comment", *c);
			return false;
		}
		break;
	}
	return true;
}

/* A key already under header pi: its index in ld->keys. */
static int pre_key_find(const struct loader *ld, unsigned pi, const char *key, unsigned *ret)
{
	const struct pre_section *p = &ld->pre[pi];

	if (p->indexed)
		return strmap_get(&ld->pre_keys, pi, key, strlen(key), ret);
	for (unsigned i = p->first_key; i < p->first_key + p->n_keys; i++)
		if (strcmp(ld->keys[i].key, key) == 0) {
			*ret = i;
			return 0;
		}
	return -ENOENT;
}

static void pre_key(struct loader *ld, char *l, char *eq, unsigned line)
{
	char w[sizeof(((struct err *)0)->what)], d[96];
	struct pre_section *p;
	struct pre_key *grown;
	unsigned first;
	bool found;
	char *key;

	*eq = '\0';
	key = strip(l);
	if (!*key) {
		line_err(ld, line, "syntax error", "a key is missing before '='");
		return;
	}
	if (ld->n_pre == 0) {
		line_err(ld, line, "syntax error", "key outside any [section]");
		return;
	}
	lower(key);
	p = &ld->pre[ld->n_pre - 1];
	if (!value_is_plain(eq + 1, d, sizeof(d))) {
		add_err(ld, -EINVAL, key_what(ld, p, key, NULL, true, w, sizeof(w)), "value cannot be read exactly", d);
		return;
	}
	if (!p->duplicate && pre_key_find(ld, ld->n_pre - 1, key, &first) == 0) {
		quoted_value(eq + 1);
		add_err(ld, -EINVAL, key_what(ld, p, key, strip(eq + 1), key_is_secret(key), w, sizeof(w)),
			"duplicate key", fmt(d, sizeof(d), "first set at line %u", ld->keys[first].line));
		return;
	}
	grown = grow(ld->keys, ld->n_keys, &ld->cap_keys, sizeof(*grown));
	if (!grown) {
		ld->oom = true;
		return;
	}
	ld->keys = grown;
	ld->keys[ld->n_keys].key = strdup(key);
	if (!ld->keys[ld->n_keys].key) {
		ld->oom = true;
		return;
	}
	ld->keys[ld->n_keys].line = line;
	ld->n_keys++;
	p->n_keys++;
	if (p->duplicate || (!p->indexed && p->n_keys <= SECTION_SCAN_MAX))
		return;
	for (unsigned i = p->indexed ? ld->n_keys - 1 : p->first_key; i < ld->n_keys; i++)
		if (!strmap_put(&ld->pre_keys, ld->n_pre - 1, ld->keys[i].key, i, &found))
			ld->oom = true;
	p->indexed = true;
}

/*
 * Only what iniparser cannot tell: where a line is wrong, which headers or keys repeat, the
 * headers as written. Mirrors iniparser 4.1's reading (trailing blanks stripped, a trailing
 * backslash joins the next line). Returns -EINVAL when iniparser must not see the file.
 */
static int prescan(struct loader *ld)
{
	const char *p = ld->text, *end = ld->text + ld->len;
	const char *nul = memchr(ld->text, '\0', ld->len);
	unsigned lineno = 0, entries = 0, section_keys = 0;
	char buf[LAB_LINE_MAX + 1];
	char d[64];

	if (nul) {
		unsigned line = 1;

		for (const char *q = ld->text; q < nul; q++)
			line += *q == '\n';
		line_err(ld, line, "NUL byte in the file", "a lab file is text: is this a binary file?");
		return -EINVAL;
	}

	while (p < end && !ld->oom) {
		unsigned first = lineno + 1;
		size_t offset = (size_t)(p - ld->text);
		bool too_long = false, eof_continued = false;
		size_t used = 0;
		char *l, *eq;

		for (;;) {
			const char *nl = memchr(p, '\n', (size_t)(end - p));
			size_t n = nl ? (size_t)(nl - p) : (size_t)(end - p);
			bool cont;

			lineno++;
			while (n && isspace((unsigned char)p[n - 1]))
				n--;
			cont = n && p[n - 1] == '\\';
			if (cont)
				n--;
			if (used + n > LAB_LINE_MAX)
				too_long = true;
			else
				memcpy(buf + used, p, n), used += n;
			p = nl ? nl + 1 : end;
			if (!cont)
				break;
			if (p >= end) {
				eof_continued = true;
				break;
			}
		}
		buf[used] = '\0';
		if (too_long) {
			line_err(ld, first, "line too long", fmt(d, sizeof(d), "at most %d characters", LAB_LINE_MAX));
			continue;
		}
		if (eof_continued) {
			line_err(ld, first, "syntax error", "the last line ends with '\\' but nothing follows");
			continue;
		}
		l = strip(buf);
		if (!*l || *l == ';' || *l == '#')
			continue;
		if (++entries > LAB_ENTRIES_MAX) {
			line_err(ld, first, "too many entries",
				 fmt(d, sizeof(d), "at most %d sections and keys", LAB_ENTRIES_MAX));
			return -EINVAL;
		}
		section_keys = *l == '[' ? 0 : section_keys + 1;
		if (section_keys > LAB_SECTION_KEYS_MAX) {
			line_err(ld, first, "too many keys in one section",
				 fmt(d, sizeof(d), "at most %d", LAB_SECTION_KEYS_MAX));
			return -EINVAL;
		}
		if (*l == '[')
			pre_header(ld, l, first, offset, entries - 1);
		else if ((eq = strchr(l, '=')))
			pre_key(ld, l, eq, first);
		else
			line_err(ld, first, "syntax error", "expected [section], key = value, or a ; or # comment");
	}
	if (ld->oom)
		return -ENOMEM;
	/* Duplicates are reported but iniparser copes with them; the rest it would refuse. */
	return ld->n_fatal ? -EINVAL : 0;
}

/* ---- reading the file ---- */

static int file_err(struct loader *ld, int errnum, const char *msg, const char *detail)
{
	add_err(ld, errnum, ld->file, msg, detail);
	return errnum;
}

static int read_text(struct loader *ld, int *ret_fd)
{
	char m[160], d[64];
	struct stat st;
	ssize_t got;
	size_t used = 0;
	int fd, r;

	if (stat(ld->file, &st) < 0)
		return file_err(ld, -errno, fmt(m, sizeof(m), "cannot read the lab file: %s", strerror(errno)), NULL);
	if (!S_ISREG(st.st_mode))
		return file_err(ld, -EINVAL, "not a regular file",
				S_ISDIR(st.st_mode) ? "it is a directory" : "a lab file is a plain file");
	if (st.st_size > (off_t)LAB_MAX_BYTES)
		return file_err(ld, -EFBIG, fmt(m, sizeof(m), "file too large: %lld bytes", (long long)st.st_size),
				fmt(d, sizeof(d), "at most %u bytes", LAB_MAX_BYTES));

	/* O_NONBLOCK: if it was swapped for a FIFO since stat, do not hang waiting for a writer. */
	fd = open(ld->file, O_RDONLY | O_CLOEXEC | O_NOCTTY | O_NONBLOCK);
	if (fd < 0)
		return file_err(ld, -errno, fmt(m, sizeof(m), "cannot read the lab file: %s", strerror(errno)), NULL);
	if (fstat(fd, &st) < 0 || !S_ISREG(st.st_mode)) {
		r = file_err(ld, -EINVAL, "not a regular file", "a lab file is a plain file");
		goto fail;
	}
	ld->text = malloc(LAB_MAX_BYTES + 1);
	if (!ld->text) {
		r = -ENOMEM;
		goto fail;
	}
	/* Read one byte past the limit to notice a file that grew since stat. */
	while (used <= LAB_MAX_BYTES) {
		got = read(fd, ld->text + used, LAB_MAX_BYTES + 1 - used);
		if (got < 0 && errno == EINTR)
			continue;
		if (got < 0) {
			r = file_err(ld, -errno, fmt(m, sizeof(m), "cannot read the lab file: %s", strerror(errno)), NULL);
			goto fail;
		}
		if (got == 0)
			break;
		used += (size_t)got;
	}
	if (used > LAB_MAX_BYTES) {
		r = file_err(ld, -EFBIG, "file too large", fmt(d, sizeof(d), "at most %u bytes", LAB_MAX_BYTES));
		goto fail;
	}
	ld->len = used;
	*ret_fd = fd;
	return 0;

fail:
	close(fd);
	return r;
}

static int quiet(const char *f, ...)
{
	(void)f;
	return 0;
}

/* Once a section is declared again in a later slice, its keys go through ld->ent_map. */
static int ini_index(struct loader *ld, unsigned si)
{
	struct ini_section *sec = &ld->isecs[si];
	bool found;

	if (sec->indexed)
		return 0;
	for (unsigned e = sec->head; e != IDX_NONE; e = ld->ents[e].next)
		if (!strmap_put(&ld->ent_map, si, ld->ents[e].key, e, &found))
			return -ENOMEM;
	sec->indexed = true;
	return 0;
}

/* The section of "name:key", the one of the previous key first (a dictionary keeps them together). */
static int ini_section_of(const struct loader *ld, const char *k, size_t len, unsigned last, unsigned *ret)
{
	if (last != IDX_NONE && strncmp(ld->isecs[last].name, k, len) == 0 && !ld->isecs[last].name[len]) {
		*ret = last;
		return 0;
	}
	return strmap_get(&ld->isec_map, 0, k, len, ret);
}

/*
 * One dictionary into the table, in its order. A section that an earlier slice declared too (a
 * duplicate header, already reported) gets the new keys after its own and the new values of
 * the keys it has, as iniparser does when it reads both headers at once.
 */
static int ini_take(struct loader *ld, dictionary *d)
{
	dictionary **dicts = grow(ld->dicts, ld->n_dicts, &ld->cap_dicts, sizeof(*dicts));
	unsigned last = IDX_NONE;

	if (!dicts) {
		iniparser_freedict(d);
		return -ENOMEM;
	}
	ld->dicts = dicts;
	ld->dicts[ld->n_dicts++] = d;

	for (ssize_t i = 0; i < d->size; i++) {
		const char *k = d->key[i], *colon;
		struct ini_section *sec;
		struct ini_entry *ents;
		unsigned *slot, si;
		bool found;

		if (!k)
			continue;
		colon = strchr(k, ':');
		if (!colon) {
			struct ini_section *isecs = grow(ld->isecs, ld->n_isecs, &ld->cap_isecs, sizeof(*isecs));

			if (!isecs)
				return -ENOMEM;
			ld->isecs = isecs;
			slot = strmap_put(&ld->isec_map, 0, k, ld->n_isecs, &found);
			if (!slot)
				return -ENOMEM;
			if (!found)
				ld->isecs[ld->n_isecs++] = (struct ini_section){
					.name = k, .head = IDX_NONE, .tail = IDX_NONE, .dict = ld->n_dicts - 1 };
			continue;
		}
		/* A key of a section iniparser has no header for: iniparser_getseckeys() never saw it either. */
		if (ini_section_of(ld, k, (size_t)(colon - k), last, &si) < 0)
			continue;
		last = si;
		ents = grow(ld->ents, ld->n_ents, &ld->cap_ents, sizeof(*ents));
		if (!ents)
			return -ENOMEM;
		ld->ents = ents;
		sec = &ld->isecs[si];
		/* Keys are unique within one dictionary: only a section met before can have this one. */
		if (sec->dict != ld->n_dicts - 1) {
			if (ini_index(ld, si) < 0)
				return -ENOMEM;
			slot = strmap_put(&ld->ent_map, si, colon + 1, ld->n_ents, &found);
			if (!slot)
				return -ENOMEM;
			if (found) {
				ld->ents[*slot].value = d->val[i];
				continue;
			}
		}
		ld->ents[ld->n_ents] = (struct ini_entry){ .key = colon + 1, .value = d->val[i], .next = IDX_NONE };
		if (sec->tail == IDX_NONE)
			sec->head = ld->n_ents;
		else
			ld->ents[sec->tail].next = ld->n_ents;
		sec->tail = ld->n_ents++;
	}
	return 0;
}

static void ini_forget(struct loader *ld)
{
	for (unsigned i = 0; i < ld->n_dicts; i++)
		iniparser_freedict(ld->dicts[i]);
	ld->n_dicts = ld->n_isecs = ld->n_ents = 0;
	strmap_free(&ld->isec_map);
	strmap_free(&ld->ent_map);
}

/* iniparser 4.1 reads only named files: the slice goes through a memfd. -errno when that fails. */
static int ini_load_slice(const char *text, size_t len, dictionary **ret)
{
	char fdpath[64];
	size_t done = 0;
	int fd, r = 0;

	fd = memfd_create("erlab-lab", MFD_CLOEXEC);
	if (fd < 0)
		return -errno;
	while (done < len) {
		ssize_t n = write(fd, text + done, len - done);

		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0) {
			r = n < 0 ? -errno : -EIO;
			goto out;
		}
		done += (size_t)n;
	}
	fmt(fdpath, sizeof(fdpath), "/proc/self/fd/%d", fd);
	if (access(fdpath, R_OK) < 0) {
		r = -errno;
		goto out;
	}
	*ret = iniparser_load(fdpath);
out:
	close(fd);
	return r;
}

/*
 * The checked text in slices that start at a header, each of about INI_SLICE_ENTRIES entries
 * (one section never exceeds LAB_SECTION_KEYS_MAX): iniparser's cost stays linear in the file.
 * Without memfd or /proc, the whole file by name as before, quadratic but correct.
 */
static int ini_read(struct loader *ld, const char *path, int fd)
{
	unsigned first = 0;
	size_t start = 0;
	char fdpath[64];
	dictionary *d;
	int r;

	do {
		unsigned next = first + 1;
		size_t end;

		while (next < ld->n_pre && ld->pre[next].entry - ld->pre[first].entry < INI_SLICE_ENTRIES)
			next++;
		end = next < ld->n_pre ? ld->pre[next].offset : ld->len;
		d = NULL;
		r = ini_load_slice(ld->text + start, end - start, &d);
		if (r < 0)
			goto whole;
		if (!d)
			return -EINVAL;
		r = ini_take(ld, d);
		if (r < 0)
			return r;
		start = end;
		first = next;
	} while (first < ld->n_pre);
	return 0;

whole:
	ini_forget(ld);
	fmt(fdpath, sizeof(fdpath), "/proc/self/fd/%d", fd);
	/* iniparser opens by name: hand it the file we checked, not whatever the path names now. */
	d = iniparser_load(access(fdpath, R_OK) == 0 ? fdpath : path);
	return d ? ini_take(ld, d) : -EINVAL;
}

static int ini_load(struct loader *ld, const char *path, int fd)
{
	int r;

	/* The pre-scan leaves iniparser nothing to complain about; keep stderr clean regardless. */
	iniparser_set_error_callback(quiet);
	r = ini_read(ld, path, fd);
	iniparser_set_error_callback(NULL);
	return r;
}

/* ---- sections ---- */

/* The first header iniparser files under this name. */
static const struct pre_section *pre_find(const struct loader *ld, const char *ini)
{
	unsigned i;

	return strmap_get(&ld->pre_ini, 0, ini, strlen(ini), &i) == 0 ? &ld->pre[i] : NULL;
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
static void classify(struct loader *ld, struct section *s)
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
			section_err(ld, s, -EINVAL, "malformed section header",
				    fmt(d, sizeof(d), "expected %s", section_defs[k].form));
			return;
		}
		s->kind = (enum section_kind)k;
		break;
	}
	if (s->kind == SEC_UNKNOWN) {
		section_err(ld, s, -EINVAL, "unknown section",
			    "expected [lab], [circuit ID], [peering ID TYPE], [vnet ID NAME], [bgp] or [registry]");
		return;
	}
	if ((s->kind == SEC_CIRCUIT || s->kind == SEC_PEERING || s->kind == SEC_VNET) && !id_ok(s->words[1])) {
		section_err(ld, s, -EINVAL, "invalid circuit ID", "use 1-63 of A-Z a-z 0-9 . _ -");
		s->kind = SEC_UNKNOWN;
		return;
	}
	if (s->kind == SEC_PEERING) {
		s->type = access_type_from_string(s->words[2]);
		if (s->type < 0 || s->type >= _ACCESS_MAX) {
			section_err(ld, s, -EINVAL, "unknown peering type", "use private, public or microsoft");
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

	section_err(ld, s, -EINVAL, fmt(m, sizeof(m), "missing required key %s", key), detail);
	s->bad = true;
}

static bool key_seen(const bool *seen, enum section_kind kind, const char *key)
{
	return seen[key_find(kind, key) - key_table];
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
	for (size_t i = 0; i < ARRAY_SIZE(key_table) && used < len; i++) {
		int n;

		if (key_table[i].kind != kind)
			continue;
		n = snprintf(buf + used, len - used, "%s%s", used ? ", " : "", key_table[i].key);
		if (n < 0)
			break;
		used += (size_t)n;
	}
}

/* Every key of the section through the table, then the required ones. */
static void load_keys(struct loader *ld, struct section *s, void *obj)
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
			parse_registry_entry(ld, s, key, value);
			continue;
		}
		k = key_find(s->kind, key);
		if (!k) {
			key_list(s->kind, d, sizeof(d));
			add_err(ld, -EINVAL, key_what(ld, s->pre, key, value, false, w, sizeof(w)), "unknown key",
				d[0] ? d : NULL);
			s->bad = true;
			continue;
		}
		if (!(k->applies & (1u << variant))) {
			char m[96];

			add_err(ld, -EINVAL, key_what(ld, s->pre, key, value, k->secret, w, sizeof(w)),
				fmt(m, sizeof(m), "not a key of %s peering", access_type_lower(s->type)),
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

static int circuit_find(const struct loader *ld, const char *id)
{
	unsigned i;

	return strmap_get(&ld->circuit_map, 0, id, strlen(id), &i) == 0 ? (int)i : -1;
}

static bool known_key(enum section_kind kind, const char *rest)
{
	size_t len = strcspn(rest, "=");
	char key[64];

	if (len == 0 || len >= sizeof(key))
		return false;
	memcpy(key, rest, len);
	key[len] = '\0';
	return key_find(kind, key) != NULL;
}

/*
 * A whole-object rule failed. The validators name the field as "<object>: key=value" with the
 * lab's key names: point at that key when it is one of the section's, else at the section.
 */
static void object_fail(struct loader *ld, const struct section *s, const struct err *ve)
{
	char w[sizeof(((struct err *)0)->what)];
	const char *p = ve->what;

	while ((p = strstr(p, ": "))) {
		p += 2;
		if (known_key(s->kind, p)) {
			add_err(ld, ve->errnum, fmt(w, sizeof(w), "%s [%s] %s", ld->file, s->pre->written, p),
				ve->msg, ve->detail);
			return;
		}
	}
	section_err(ld, s, ve->errnum, ve->msg, ve->detail);
}

/* ---- whole-object checks ---- */

/*
 * Circuits with the same name (any case) or service key, as chains in file order: first[i] is the
 * first circuit of i's group (i itself when it is the first or has no key), next[] links them.
 */
static int circuit_twins(const struct lab *lab, bool by_name, unsigned *first, unsigned *next)
{
	struct strmap seen = { .icase = by_name };
	int r = 0;

	for (unsigned i = 0; i < lab->n_circuits; i++) {
		const struct circuit *c = &lab->circuits[i];
		unsigned *last;
		bool found;

		first[i] = i;
		next[i] = IDX_NONE;
		if (!by_name && !c->service_key[0])
			continue;
		last = strmap_put(&seen, 0, by_name ? c->name : c->service_key, i, &found);
		if (!last) {
			r = -ENOMEM;
			break;
		}
		if (found) {
			first[i] = first[*last];
			next[*last] = i;
			*last = i;
		}
	}
	strmap_free(&seen);
	return r;
}

static void check_circuits(struct loader *ld)
{
	struct lab *lab = ld->lab;
	char w[sizeof(((struct err *)0)->what)], m[200], d[160];
	size_t n = (size_t)lab->n_circuits + 1;
	unsigned *twins = calloc(4 * n, sizeof(*twins));
	unsigned *name_first = twins, *name_next = twins + n, *key_first = twins + 2 * n, *key_next = twins + 3 * n;
	const struct section **sec_of = calloc(n, sizeof(*sec_of));

	if (!twins || !sec_of || circuit_twins(lab, true, name_first, name_next) < 0 ||
	    circuit_twins(lab, false, key_first, key_next) < 0) {
		ld->oom = true;
		goto out;
	}
	for (unsigned i = 0; i < ld->n_secs; i++) {
		struct section *s = &ld->secs[i];
		struct circuit *c;
		struct err ve = { 0 };
		unsigned me, a, b;

		if (s->kind != SEC_CIRCUIT)
			continue;
		me = (unsigned)s->circuit;
		sec_of[me] = s;
		c = &lab->circuits[me];
		if (!s->bad && validate_circuit(c, &ve) < 0)
			object_fail(ld, s, &ve);

		/* Every earlier circuit with the same name or key, in file order, the name first. */
		a = name_first[me];
		b = key_first[me];
		while ((a != me || b != me) && !errs_full(ld)) {
			unsigned j = a < b ? a : b;
			const struct section *o = sec_of[j];

			if (j == a) {
				add_err(ld, -EEXIST, key_what(ld, s->pre, "name", c->name, false, w, sizeof(w)),
					fmt(m, sizeof(m), "The circuit with name '%s' already exists.", c->name),
					fmt(d, sizeof(d), "[%s] has it; names are unique regardless of case", o->pre->written));
				a = name_next[a];
			}
			if (j == b) {
				add_err(ld, -EEXIST, key_what(ld, s->pre, "service_key", c->service_key, false, w, sizeof(w)),
					"service key already in use",
					fmt(d, sizeof(d), "[%s] has it", o->pre->written));
				b = key_next[b];
			}
		}
	}
out:
	free(twins);
	free(sec_of);
}

static void check_vnets(struct loader *ld)
{
	struct lab *lab = ld->lab;
	char w[sizeof(((struct err *)0)->what)], m[300], d[160], b1[CIDR_STRLEN], b2[CIDR_STRLEN];

	for (unsigned i = 0; i < ld->n_secs; i++) {
		struct section *s = &ld->secs[i];
		struct circuit *c;
		struct vnet *grown;
		bool ok = !s->bad;

		if (s->kind != SEC_VNET || s->circuit < 0)
			continue;
		c = &lab->circuits[s->circuit];
		if (!c->peering_present[ACCESS_PRIVATE]) {
			section_err(ld, s, -EINVAL, "a VNet is linked to the circuit's private peering, which is missing",
				    fmt(d, sizeof(d), "add a [peering %s private] section", s->words[1]));
			ok = false;
		}
		for (unsigned v = 0; ok && v < c->n_vnets; v++)
			for (unsigned a = 0; ok && a < s->vnet.n_spaces; a++)
				for (unsigned b = 0; ok && b < c->vnets[v].n_spaces; b++) {
					if (!cidr_overlap(&s->vnet.spaces[a], &c->vnets[v].spaces[b]))
						continue;
					cidr_str(&s->vnet.spaces[a], b1, sizeof(b1));
					cidr_str(&c->vnets[v].spaces[b], b2, sizeof(b2));
					add_err(ld, -EINVAL,
						key_what(ld, s->pre, "address_space", b1, false, w, sizeof(w)),
						fmt(m, sizeof(m),
						    "The address space %s overlaps the address space %s of virtual network %s.",
						    b1, b2, c->vnets[v].name),
						"VNets behind one circuit are routed from one Microsoft edge: their spaces must not overlap");
					ok = false;
				}
		if (!ok)
			continue;
		grown = realloc(c->vnets, (c->n_vnets + 1) * sizeof(*grown));
		if (!grown) {
			ld->oom = true;
			return;
		}
		c->vnets = grown;
		c->vnets[c->n_vnets++] = s->vnet;
		memset(&s->vnet, 0, sizeof(s->vnet));
	}
}

/*
 * In file order, each against the circuit as it would be with the peerings above it created:
 * a conflict (VLAN, overlap) is reported once, on the later section, as `erlab up` would meet it.
 */
static void check_peerings(struct loader *ld)
{
	struct lab *lab = ld->lab;
	unsigned *done = calloc(lab->n_circuits + 1, sizeof(*done));

	if (!done) {
		ld->oom = true;
		return;
	}
	for (unsigned i = 0; i < ld->n_secs; i++) {
		struct section *s = &ld->secs[i];
		struct err ve = { 0 };
		struct circuit *c, ctx;

		if (s->kind != SEC_PEERING || s->circuit < 0)
			continue;
		c = &lab->circuits[s->circuit];
		if (validate_can_peer(c, &ve) < 0)
			section_err(ld, s, ve.errnum, ve.msg, ve.detail);
		done[s->circuit] |= 1u << s->type;
		if (s->bad)
			continue;
		/* A shallow view: the peerings further down the file are not there yet. */
		ctx = *c;
		for (int t = 0; t < _ACCESS_MAX; t++)
			ctx.peering_present[t] = c->peering_present[t] && (done[s->circuit] & (1u << t));
		memset(&ve, 0, sizeof(ve));
		if (validate_peering(&ctx, &c->peerings[s->type], &ve) < 0)
			object_fail(ld, s, &ve);
	}
	free(done);
}

/* SPEC §7: with [registry] data, a prefix not registered to PeerAsn/CustomerAsn needs validation. */
static void registry_states(struct lab *lab)
{
	for (unsigned i = 0; i < lab->n_circuits; i++) {
		struct peering *p = &lab->circuits[i].peerings[ACCESS_MICROSOFT];

		if (!lab->circuits[i].peering_present[ACCESS_MICROSOFT] || lab->n_registry == 0)
			continue;
		for (unsigned j = 0; j < p->n_prefixes; j++) {
			const struct registry_entry *best = NULL;

			for (unsigned r = 0; r < lab->n_registry; r++) {
				const struct registry_entry *e = &lab->registry[r];

				if (cidr_contains(&e->prefix, &p->prefixes[j]) &&
				    (!best || e->prefix.prefixlen > best->prefix.prefixlen))
					best = e;
			}
			if (!best || (best->asn != p->peer_asn && (p->customer_asn == 0 || best->asn != p->customer_asn)))
				p->prefix_state = PREFIX_VALIDATION_NEEDED;
		}
	}
}

/* ---- the loader ---- */

static void *section_object(struct loader *ld, struct section *s)
{
	struct lab *lab = ld->lab;
	char d[96];

	switch (s->kind) {
	case SEC_LAB:
	case SEC_BGP:
	case SEC_REGISTRY:
		return lab;
	case SEC_CIRCUIT:
		return &lab->circuits[s->circuit];
	case SEC_PEERING:
		s->circuit = circuit_find(ld, s->words[1]);
		if (s->circuit < 0) {
			section_err(ld, s, -EINVAL, "no such circuit in this file",
				    fmt(d, sizeof(d), "add a [circuit %s] section", s->words[1]));
			peering_init(&s->scratch_peering, s->type);
			return &s->scratch_peering;
		}
		lab->circuits[s->circuit].peering_present[s->type] = true;
		peering_init(&lab->circuits[s->circuit].peerings[s->type], s->type);
		return &lab->circuits[s->circuit].peerings[s->type];
	case SEC_VNET:
		s->circuit = circuit_find(ld, s->words[1]);
		if (s->circuit < 0)
			section_err(ld, s, -EINVAL, "no such circuit in this file",
				    fmt(d, sizeof(d), "add a [circuit %s] section", s->words[1]));
		if (names_check_vnet(s->words[2]) < 0 || strlen(s->words[2]) > VNET_NAME_MAX) {
			section_err(ld, s, -EINVAL, "invalid VNet name", "use 1-12 of A-Z a-z 0-9 _ -, not starting with -");
			s->bad = true;
		} else {
			memcpy(s->vnet.name, s->words[2], strlen(s->words[2]) + 1);
		}
		return &s->vnet;
	default:
		return NULL;
	}
}

static int setup_circuits(struct loader *ld)
{
	struct lab *lab = ld->lab;
	unsigned n = 0;
	bool found;

	ld->circuit_map.icase = true;
	for (unsigned i = 0; i < ld->n_secs; i++)
		n += ld->secs[i].kind == SEC_CIRCUIT;
	if (n == 0)
		return 0;
	lab->circuits = calloc(n, sizeof(*lab->circuits));
	lab->circuit_ids = calloc(n, sizeof(*lab->circuit_ids));
	if (!lab->circuits || !lab->circuit_ids)
		return -ENOMEM;
	for (unsigned i = 0; i < ld->n_secs; i++) {
		struct section *s = &ld->secs[i];
		struct circuit *c;

		if (s->kind != SEC_CIRCUIT)
			continue;
		s->circuit = (int)lab->n_circuits++;
		c = &lab->circuits[s->circuit];
		circuit_init(c);
		/* Labs exist to bring peerings up: a lab circuit is provisioned unless it says otherwise. */
		c->prov = PROV_PROVISIONED;
		/* The name defaults to the section ID as written (the pre-scan kept its case). */
		memcpy(c->name, s->words[1], strlen(s->words[1]) + 1);
		/* service_key stays "" when not given: `erlab up` keeps an existing circuit's key or makes one. */
		memcpy(lab->circuit_ids[s->circuit], s->words[1], strlen(s->words[1]) + 1);
		lower(lab->circuit_ids[s->circuit]);
		if (!strmap_put(&ld->circuit_map, 0, lab->circuit_ids[s->circuit], (unsigned)s->circuit, &found))
			return -ENOMEM;
		c->lab = strdup(lab->path);
		if (!c->lab)
			return -ENOMEM;
	}
	return 0;
}

static int load_sections(struct loader *ld)
{
	bool found;
	int r;

	for (unsigned i = 0; i < ld->n_pre; i++)
		if (!strmap_put(&ld->pre_ini, 0, ld->pre[i].ini, i, &found))
			return -ENOMEM;
	ld->secs = calloc(ld->n_isecs ? ld->n_isecs : 1, sizeof(*ld->secs));
	if (!ld->secs)
		return -ENOMEM;
	for (unsigned i = 0; i < ld->n_isecs; i++) {
		const struct pre_section *p = pre_find(ld, ld->isecs[i].name);
		struct section *s;

		/* A second header spelled differently is its own iniparser section: already reported. */
		if (!p || p->duplicate)
			continue;
		s = &ld->secs[ld->n_secs++];
		s->pre = p;
		s->isec = i;
		classify(ld, s);
	}
	if (ld->oom)
		return -ENOMEM;

	r = setup_circuits(ld);
	if (r < 0)
		return r;
	/* Circuits first: a peering may come before its circuit in the file. */
	for (int pass = 0; pass < 2; pass++)
		for (unsigned i = 0; i < ld->n_secs; i++) {
			struct section *s = &ld->secs[i];
			bool late = s->kind == SEC_PEERING || s->kind == SEC_VNET;
			void *obj;

			if (s->kind == SEC_UNKNOWN || late != (pass == 1))
				continue;
			obj = section_object(ld, s);
			if (obj)
				load_keys(ld, s, obj);
		}
	return ld->oom ? -ENOMEM : 0;
}

static void loader_free(struct loader *ld)
{
	for (unsigned i = 0; i < ld->n_secs; i++) {
		free(ld->secs[i].words_buf);
		peering_clear(&ld->secs[i].scratch_peering);
		vnet_clear(&ld->secs[i].vnet);
	}
	free(ld->secs);
	for (unsigned i = 0; i < ld->n_pre; i++) {
		free(ld->pre[i].written);
		free(ld->pre[i].ini);
		free(ld->pre[i].norm);
	}
	free(ld->pre);
	for (unsigned i = 0; i < ld->n_keys; i++)
		free(ld->keys[i].key);
	free(ld->keys);
	free(ld->text);
	ini_forget(ld);
	free(ld->dicts);
	free(ld->isecs);
	free(ld->ents);
	strmap_free(&ld->pre_norm);
	strmap_free(&ld->pre_ini);
	strmap_free(&ld->pre_keys);
	strmap_free(&ld->circuit_map);
}

int lab_load(const char *path, struct lab *ret, struct lab_errors *errs)
{
	struct loader ld = { .file = path, .lab = ret, .errs = errs };
	unsigned errs_before = errs->n;
	char resolved[PATH_MAX];
	int fd = -1, r;

	memset(ret, 0, sizeof(*ret));
	ret->datapath = DATAPATH_AUTO;

	r = read_text(&ld, &fd);
	if (r < 0)
		goto out;
	fmt(ret->path, sizeof(ret->path), "%s", realpath(path, resolved) ? resolved : path);

	r = prescan(&ld);
	if (r < 0)
		goto out;
	r = ini_load(&ld, path, fd);
	if (r == -EINVAL)
		r = file_err(&ld, -EINVAL, "iniparser could not read the file", NULL);
	if (r < 0)
		goto out;
	r = load_sections(&ld);
	if (r < 0)
		goto out;

	check_circuits(&ld);
	check_vnets(&ld);
	check_peerings(&ld);
	r = ld.oom ? -ENOMEM : errs->n > errs_before ? -EINVAL : 0;
	/* A lab that failed is thrown away: spare its prefixes the registry walk. */
	if (r == 0)
		registry_states(ret);

out:
	if (fd >= 0)
		close(fd);
	loader_free(&ld);
	if (r == -ENOMEM && errs->n == errs_before)
		add_err(&ld, -ENOMEM, path, "out of memory", NULL);
	if (r < 0)
		lab_clear(ret);
	return r;
}

void lab_errors_clear(struct lab_errors *l)
{
	free(l->v);
	l->v = NULL;
	l->n = 0;
}

void lab_clear(struct lab *l)
{
	for (unsigned i = 0; i < l->n_circuits; i++) {
		for (int t = 0; t < _ACCESS_MAX; t++)
			peering_clear(&l->circuits[i].peerings[t]);
		circuit_clear(&l->circuits[i]);
	}
	free(l->circuits);
	free(l->circuit_ids);
	free(l->customer_prefixes);
	free(l->registry);
	memset(l, 0, sizeof(*l));
}
