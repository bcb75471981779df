/* SPDX-License-Identifier: MIT */
#ifndef ERLAB_LAB_INT_H
#define ERLAB_LAB_INT_H

/*
 * What the lab loader's files share (lab.c has the pipeline): the loader's state, the section and
 * key types, and the functions one file calls in another. Not part of lab.h's interface.
 */
#include <limits.h>
#include <stdbool.h>
#include <stddef.h>

#include <iniparser/iniparser.h>

#include "core/err.h"
#include "core/model.h"
#include "lab/lab.h"

#define IDX_NONE UINT_MAX
#define SHOW_MAX ERR_SHOW_MAX

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

/* lab_strmap.c: growing arrays and the string map */
void *lab_grow(void *v, unsigned n, unsigned *cap, size_t size);
int lab_strmap_get(const struct strmap *m, unsigned tag, const char *key, size_t len, unsigned *ret_val);
unsigned *lab_strmap_put(struct strmap *m, unsigned tag, const char *key, unsigned val, bool *ret_found);
void lab_strmap_free(struct strmap *m);

/* lab_err.c: messages */
bool lab_errs_full(const struct loader *ld);
void lab_add_err(struct loader *ld, int errnum, const char *what, const char *msg, const char *detail);
void lab_line_err(struct loader *ld, unsigned line, const char *msg, const char *detail);
const char *lab_section_what(const struct loader *ld, const struct pre_section *p, char *w, size_t len);
void lab_section_err(struct loader *ld, const struct section *s, int errnum, const char *msg,
		     const char *detail);
const char *lab_key_what(const struct loader *ld, const struct pre_section *p, const char *key,
			 const char *value, bool secret, char *w, size_t len);
int lab_key_err(struct loader *ld, const struct section *s, const struct key_def *k, const char *value,
		int errnum, const char *msg, const char *detail);
int lab_key_fail(struct loader *ld, const struct section *s, const struct key_def *k, const char *value,
		 const struct err *ve);

/* lab_prescan.c: the line checks before iniparser */
void lab_lower(char *s);
int lab_prescan(struct loader *ld);

/* lab_ini.c: iniparser on slices of the file, into the per-section table */
int lab_ini_load(struct loader *ld, const char *path, int fd);
void lab_ini_forget(struct loader *ld);

/* lab_keys.c: the section and key tables, and the keys of a section through them */
const struct key_def *lab_key_find(enum section_kind kind, const char *key);
bool lab_key_is_secret(const char *key);
void lab_classify(struct loader *ld, struct section *s);
void lab_load_keys(struct loader *ld, struct section *s, void *obj);

/* lab_values.c: the value parsers of the key table */
int lab_parse_datapath(struct loader *, const struct section *, const struct key_def *, const char *, void *);
int lab_parse_text(struct loader *, const struct section *, const struct key_def *, const char *, void *);
int lab_parse_guid(struct loader *, const struct section *, const struct key_def *, const char *, void *);
int lab_parse_bandwidth(struct loader *, const struct section *, const struct key_def *, const char *, void *);
int lab_parse_sku(struct loader *, const struct section *, const struct key_def *, const char *, void *);
int lab_parse_billing(struct loader *, const struct section *, const struct key_def *, const char *, void *);
int lab_parse_provisioned(struct loader *, const struct section *, const struct key_def *, const char *, void *);
int lab_parse_subnet(struct loader *, const struct section *, const struct key_def *, const char *, void *);
int lab_parse_peer_asn(struct loader *, const struct section *, const struct key_def *, const char *, void *);
int lab_parse_customer_asn(struct loader *, const struct section *, const struct key_def *, const char *, void *);
int lab_parse_vlan(struct loader *, const struct section *, const struct key_def *, const char *, void *);
int lab_parse_shared_key(struct loader *, const struct section *, const struct key_def *, const char *, void *);
int lab_parse_prefixes(struct loader *, const struct section *, const struct key_def *, const char *, void *);
int lab_parse_registry_name(struct loader *, const struct section *, const struct key_def *, const char *, void *);
int lab_parse_cidr_list(struct loader *, const struct section *, const struct key_def *, const char *, void *);
int lab_parse_bird(struct loader *, const struct section *, const struct key_def *, const char *, void *);
void lab_parse_registry_entry(struct loader *ld, struct section *s, const char *key, const char *value);

/* lab_check.c: whole-object checks */
void lab_check_circuits(struct loader *ld);
void lab_check_vnets(struct loader *ld);
void lab_check_peerings(struct loader *ld);
void lab_registry_states(struct lab *lab);

#endif
