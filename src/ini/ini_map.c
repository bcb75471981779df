/* SPDX-License-Identifier: MIT */
/*
 * The hash map of ini_map.h. A document of 10000 circuits has some 260000 keys: a slot is a hash and
 * an index (8 bytes), so the map stays a small fraction of the document it indexes.
 */
#include <errno.h>
#include <stdlib.h>

#include "ini/ini_map.h"

uint32_t ini_hash(unsigned tag, const char *s, size_t len)
{
	uint32_t h = 2166136261u;

	for (unsigned i = 0; i < 4; i++, tag >>= 8)
		h = (h ^ (tag & 0xff)) * 16777619u;
	for (size_t i = 0; i < len; i++) {
		unsigned char c = (unsigned char)s[i];

		if (c >= 'A' && c <= 'Z')
			c = (unsigned char)(c - 'A' + 'a');
		h = (h ^ c) * 16777619u;
	}
	/* FNV's low bits mix poorly and the table index is the low bits. */
	return h ^ (h >> 15);
}

uint32_t *ini_map_find(const struct ini_map *m, uint32_t hash, ini_map_match match, const void *ctx)
{
	size_t mask;

	if (m->cap == 0)
		return NULL;
	mask = m->cap - 1;
	for (size_t i = hash & mask;; i = (i + 1) & mask) {
		struct ini_map_slot *s = &m->v[i];

		if (s->val == INI_MAP_NONE)
			return NULL;
		if (s->hash == hash && match(ctx, s->val))
			return &s->val;
	}
}

static void place(struct ini_map_slot *v, size_t cap, uint32_t hash, uint32_t val)
{
	size_t i = hash & (cap - 1);

	while (v[i].val != INI_MAP_NONE)
		i = (i + 1) & (cap - 1);
	v[i] = (struct ini_map_slot){ .hash = hash, .val = val };
}

int ini_map_add(struct ini_map *m, uint32_t hash, unsigned val)
{
	if (val >= INI_MAP_NONE)
		return -EOVERFLOW;
	if ((m->n + 1) * 2 > m->cap) {
		size_t cap = m->cap ? m->cap * 2 : 64;
		struct ini_map_slot *v;

		if (cap > SIZE_MAX / sizeof(*v))
			return -ENOMEM;
		v = malloc(cap * sizeof(*v));
		if (!v)
			return -ENOMEM;
		for (size_t i = 0; i < cap; i++)
			v[i].val = INI_MAP_NONE;
		for (size_t i = 0; i < m->cap; i++)
			if (m->v[i].val != INI_MAP_NONE)
				place(v, cap, m->v[i].hash, m->v[i].val);
		free(m->v);
		m->v = v;
		m->cap = cap;
	}
	place(m->v, m->cap, hash, val);
	m->n++;
	return 0;
}

void ini_map_renumber(struct ini_map *m, const unsigned *f)
{
	for (size_t i = 0; i < m->cap; i++)
		if (m->v[i].val != INI_MAP_NONE)
			m->v[i].val = f[m->v[i].val];
}

void ini_map_free(struct ini_map *m)
{
	free(m->v);
	m->v = NULL;
	m->cap = m->n = 0;
}
