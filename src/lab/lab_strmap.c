/* SPDX-License-Identifier: MIT */
/* Growing arrays and the string map every lookup of the loader goes through. */
#include <errno.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "lab/lab_int.h"

/* Room for element n of an array of *cap: doubles. Returns the array (maybe moved) or NULL. */
void *lab_grow(void *v, unsigned n, unsigned *cap, size_t size)
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

int lab_strmap_get(const struct strmap *m, unsigned tag, const char *key, size_t len, unsigned *ret_val)
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
unsigned *lab_strmap_put(struct strmap *m, unsigned tag, const char *key, unsigned val, bool *ret_found)
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

void lab_strmap_free(struct strmap *m)
{
	free(m->v);
	m->v = NULL;
	m->cap = m->n = 0;
}
