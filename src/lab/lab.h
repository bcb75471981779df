/* SPDX-License-Identifier: MIT */
#ifndef ERLAB_LAB_H
#define ERLAB_LAB_H

#include <stdbool.h>
#include <stdint.h>

#include "core/err.h"
#include "core/field.h"
#include "core/model.h"
#include "core/names.h"

/*
 * Lab files (README, "Lab files"), read with iniparser through one table of
 *   section kind -> key -> parser -> field
 * so every key is checked the same way. Sections: [lab], [circuit ID], [peering ID TYPE],
 * [vnet ID NAME], [bgp], [registry]. Unknown sections or keys, duplicates, missing required
 * keys and bad values are errors naming the file, the section and the key:
 *   labs/mistakes.ini [peering er1 private] vlan_id=100: The vlanId specified is already in use.
 * Every mistake of a file is collected (one run reports them all). Files over LAB_MAX_BYTES
 * (16 MiB) or with more than LAB_MAX_ENTRIES sections and keys are refused, the limit named.
 */

#define LAB_MAX_BYTES (16u << 20)    /* 10,000 circuits with three peerings each take 6.5 MB */
#define LAB_MAX_ENTRIES (1u << 20)   /* sections and keys: 170,000 for those 10,000 circuits */

struct lab_errors {
	struct err *v;
	unsigned n;
};
void lab_errors_clear(struct lab_errors *l);

struct lab {
	char path[4096];                 /* absolute */
	char name[LAB_NAME_MAX + 1];     /* [lab] name, default: the file's stem */
	enum datapath datapath;          /* [lab] datapath, default auto */
	struct circuit *circuits;        /* each with copies of the lab's name and path */
	char (*circuit_ids)[64];         /* section id of each circuit ("er1") */
	unsigned n_circuits;
	struct bgp_settings bgp;         /* [bgp] */
	struct registry_entry *registry; /* [registry] prefix = asn */
	unsigned n_registry;
	unsigned shard_k, shard_n;       /* lab_keep_shard: only shard K of N is here; 0: all */
	/* A run option, not a key (`up --side`): which side of its circuits whose customer side is
	 * remote this host builds; unless given, as each circuit recorded, else microsoft. With
	 * customer, the lab's other circuits are left to the Microsoft host. */
	enum circuit_side side;
	bool side_given;
};

/*
 * Load and validate (docs/rules.md rules on every circuit and peering, as it would be stored).
 * Returns 0, or -EINVAL with every mistake in *errs (each err has what = "FILE [SECTION] key=value"),
 * or another -errno (file unreadable, too large) with one entry.
 */
int lab_load(const char *path, struct lab *ret, struct lab_errors *errs);
void lab_clear(struct lab *l);
/* Keep only the circuits of shard k of n (core/shard.h), each recording "K/N". */
void lab_keep_shard(struct lab *l, unsigned k, unsigned n);

/*
 * The sections of a lab file, for erlab(8)'s companion erlab.ini(5) (cli/help.c): the header as
 * written, a line of help, and the field table its keys bind through (lines: [registry], whose
 * lines are each one entry, the key and the value as the table's two rows say). False past the
 * last.
 */
struct lab_section_doc {
	const char *form;
	const char *help;
	const struct field_table *fields;
	bool lines;
};
bool lab_section_doc(unsigned i, struct lab_section_doc *ret);

#endif
