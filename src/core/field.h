/* SPDX-License-Identifier: MIT */
#ifndef ERLAB_FIELD_H
#define ERLAB_FIELD_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "core/err.h"

/*
 * One declarative table per object (circuit, peering, VNet, BGP settings, lab settings, registry
 * entry), in the spirit of systemd-networkd's gperf tables: each row says, for one field, its key
 * in lab and state files, its cmdlet parameter, its native option, the type of its value and the
 * rule that judges it, where it lives in the object, the "was it given" bit it sets, the variants
 * (peering types) that have it and need it, and a line of help. Every face binds values through
 * these rows and field_parse; none spells a field out on its own (docs/ARCHITECTURE.md, "How to
 * add a field").
 */

enum field_kind {
	FIELD_TEXT,      /* char[aux] */
	FIELD_STRING,    /* char *, heap, at most aux - 1 characters */
	FIELD_GUID,      /* char[GUID_STRLEN], stored in canonical (lowercase) form */
	FIELD_U32,       /* uint32_t, decimal */
	FIELD_U16,       /* uint16_t, decimal (the rule checks the range before it is narrowed) */
	FIELD_ENUM,      /* an enum or a bool, by name (field.names) */
	FIELD_SUBNET,    /* struct cidr, a peer subnet of the row's family (AF_INET: /30, AF_INET6: /126) */
	FIELD_PREFIXES,  /* struct cidr * and its count at aux: advertised public prefixes of the row's family */
	FIELD_CIDRS,     /* struct cidr * and its count at aux: network addresses of any family */
	FIELD_PREFIX,    /* struct cidr: one network address of any family */
};

/* The names of an enum's values, for an ENUM field. */
struct field_names {
	int (*parse)(const char *s);   /* the value, < 0 when s names none (case-insensitive) */
	const char *(*name)(int v);    /* as written to state files and shown */
	unsigned size;                 /* sizeof the member: an enum or a bool */
	const char *unknown;           /* "unknown sku" */
	const char *use;               /* "use Standard or Premium" */
	unsigned count;                /* the values are 0 .. count-1, named in their declaration order */
	const char *ps_type;           /* the .NET enum a cmdlet parameter binds it as; NULL: none */
};

enum {
	FIELD_SECRET     = 1u << 0,  /* never echo the value (shared keys) */
	FIELD_STATE_ONLY = 1u << 1,  /* kept in state files; not a key of lab files */
	FIELD_FLAG       = 1u << 2,  /* as a native option, a switch that means "yes" */
	FIELD_ZERO_UNSET = 1u << 3,  /* 0 (and blank) mean "none" */
	FIELD_UPPER      = 1u << 4,  /* stored in capitals (registry names: ARIN, RIPENCC) */
};

struct field {
	const char *key;              /* lab and state files */
	const char *param;            /* cmdlet parameter; NULL: none */
	const char *option[2];        /* native long options (the second an alias); NULL: none */
	enum field_kind kind;
	size_t offset;                /* of the value in the object */
	size_t aux;                   /* TEXT: buffer size; lists: offset of the count */
	int family;                   /* AF_INET, AF_INET6: a field of one address family (the rows of a
	                               * name that several share: -PrimaryPeerSubnet); 0: none */
	const struct field_names *names;                         /* ENUM */
	int (*check_u32)(uint32_t v, const char *what, struct err *e);    /* U32, U16 */
	int (*check_text)(const char *v, const char *what, struct err *e); /* TEXT */
	unsigned has;                 /* the object's *_HAS_* bit, set when a value is taken */
	unsigned variants;            /* bit per variant (peering type) that has it; 0: every one */
	unsigned required;            /* variants whose lab section must give it */
	unsigned flags;               /* FIELD_SECRET, ... */
	const char *def;              /* value a lab section gets without the key; NULL: the model's */
	const char *help;             /* one line */
	const char *arm;              /* the ARM property, a dotted path from the resource's root
	                               * ("properties.peerASN"; src/arm, docs/arm.md); NULL: none */
};

struct field_table {
	const char *object;           /* "circuit", for messages */
	const struct field *rows;
	unsigned n;
	size_t has_offset;            /* of the object's `unsigned has`; (size_t)-1: it has none */
	bool has_is_value;            /* a clear has bit means "no value" (peerings), not "not given in
	                               * this change" (circuits): field_format then has nothing to say */
	const char *(*variant_name)(unsigned variant);   /* "private"; NULL: no variants */
};

/* How a value failed, so each face can say it in its own words (PowerShell's binder has its own). */
enum field_fail {
	FIELD_OK,
	FIELD_SYNTAX,        /* not of the type (not a decimal number, not a GUID, not a prefix list) */
	FIELD_RANGE,         /* a number past what the type holds */
	FIELD_TOO_LONG,
	FIELD_NOT_IN_SET,    /* an enum name that is none of the names */
	FIELD_OTHER_FAMILY,  /* a subnet of the other address family: a row of the same name may take it */
	FIELD_INVALID,       /* of the type, refused by the field's rule */
	FIELD_NO_MEMORY,
};

/*
 * Parse text into the field of obj (the object the table describes) and judge it by the row's
 * rule. `name` is the field as the user wrote it (key, -Param, --option), for messages; `what` the
 * object ("MyTestCircuit private peering") for the rules' messages. Returns 0 when the value was
 * taken, 1 when it means "none" (the field cleared: 0, ""), setting the row's has bit in both
 * cases (a change can take a value away), or -errno with *e
 * filled (msg: the sentence, Azure's where it has one; detail: the fix) and *ret_fail saying how.
 */
int field_parse(const struct field_table *t, const struct field *f, const char *name, const char *text, void *obj,
		const char *what, struct err *e, enum field_fail *ret_fail);

/*
 * The field's value of obj as text, as field_parse reads it back: heap string in *ret, or NULL
 * when the object has no value for it (its has bit is clear, an empty list, a value that means
 * none). Returns 0 or -ENOMEM.
 */
int field_format(const struct field_table *t, const struct field *f, const void *obj, char **ret);

/* Lookups: by key (exact), by cmdlet parameter and by option (case-insensitive / exact). The
 * *_next forms walk every row of a name that several rows share (IPv4 and IPv6 subnets). */
const struct field *field_by_key(const struct field_table *t, const char *key);
const struct field *field_by_param(const struct field_table *t, const char *param, const struct field *after);
const struct field *field_by_option(const struct field_table *t, const char *option, const struct field *after);
bool field_in_variant(const struct field *f, unsigned variant);

/* The tables (core/fields.c). */
extern const struct field_names field_datapath_names;   /* auto | vlan | veth, for a lab's [lab] */
extern const struct field_table circuit_fields;
extern const struct field_table peering_fields;   /* variant: the peering's access type */
extern const struct field_table vnet_fields;
extern const struct field_table bgp_fields;       /* struct bgp_settings */
extern const struct field_table registry_fields;  /* struct registry_entry: prefix = asn */

#endif
