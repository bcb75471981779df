/* SPDX-License-Identifier: MIT */
#ifndef ERLAB_INI_MAP_H
#define ERLAB_INI_MAP_H

/*
 * A hash map from strings to indices, for the O(1) lookups of a loader (sections by name, keys of
 * a section, circuits by id). It stores only a hash and an index per slot: the strings stay in the
 * caller's arrays and a match callback compares them, so one map costs 8 bytes a slot whatever the
 * strings are, and equality (case folded or not, a section tag) is the caller's to decide.
 */
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define INI_MAP_NONE UINT32_MAX

struct ini_map_slot {
	uint32_t hash;
	uint32_t val;          /* INI_MAP_NONE: free */
};

/* Open addressing with linear probing, at most half full. Zero-initialised is empty. */
struct ini_map {
	struct ini_map_slot *v;
	size_t cap, n;         /* cap is 0 or a power of two */
};

/* Does the entry val hold what ctx looks for? */
typedef bool (*ini_map_match)(const void *ctx, unsigned val);

/* FNV-1a over tag and s[0..len), ASCII letters folded to lowercase: a case-insensitive map and a
 * case-sensitive one (whose match uses strcmp) can share it. */
uint32_t ini_hash(unsigned tag, const char *s, size_t len);
/* The index stored for the entry that match accepts, as a pointer the caller may update; NULL when none. */
uint32_t *ini_map_find(const struct ini_map *m, uint32_t hash, ini_map_match match, const void *ctx);
/* Store val (< INI_MAP_NONE) under hash; the caller knows its entry is not there yet. 0 or -ENOMEM. */
int ini_map_add(struct ini_map *m, uint32_t hash, unsigned val);
/* Every stored index through f (after the caller renumbered its entries). */
void ini_map_renumber(struct ini_map *m, const unsigned *f);
void ini_map_free(struct ini_map *m);

#endif
