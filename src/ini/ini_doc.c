/* SPDX-License-Identifier: MIT */
/*
 * The document a read gives: built from the reader's arrays once everything is read (sections
 * in file order, each one's keys together), and the O(1) lookups callers use on it.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "ini/ini_int.h"

struct sec_query {
	const struct ini_doc *d;
	const char *norm;
};

static bool doc_has_norm(const void *ctx, unsigned val)
{
	const struct sec_query *q = ctx;

	return strcasecmp(q->d->sections[val].norm, q->norm) == 0;
}

const struct ini_section *ini_section_find(const struct ini_doc *d, const char *norm)
{
	struct sec_query q = { .d = d, .norm = norm };
	uint32_t *i = ini_map_find(&d->section_map, ini_hash(0, norm, strlen(norm)), doc_has_norm, &q);

	return i ? &d->sections[*i] : NULL;
}

struct key_query {
	const struct ini_doc *d;
	const struct ini_section *s;
	const char *key;
};

static bool doc_has_key(const void *ctx, unsigned val)
{
	const struct key_query *q = ctx;

	return val >= q->s->first && val - q->s->first < q->s->n && strcasecmp(q->d->keys[val].key, q->key) == 0;
}

const struct ini_key *ini_key_find(const struct ini_doc *d, const struct ini_section *s, const char *key)
{
	struct key_query q = { .d = d, .s = s, .key = key };
	uint32_t *i;

	if (!s)
		return NULL;
	i = ini_map_find(&d->key_map, ini_hash((unsigned)(s - d->sections), key, strlen(key)), doc_has_key, &q);
	return i ? &d->keys[*i] : NULL;
}

void ini_doc_free(struct ini_doc *d)
{
	free(d->sections);
	free(d->keys);
	free(d->strings);
	ini_map_free(&d->section_map);
	ini_map_free(&d->key_map);
	memset(d, 0, sizeof(*d));
}

/*
 * The document from the reader: sections in file order, each one's keys together in file order
 * (a repeated header's keys join its first), strings moved over from the arena, maps renumbered.
 */
int ini_doc_build(struct ini_reader *rd, struct ini_doc *doc)
{
	unsigned *pos = NULL;
	size_t file;
	int r;

	r = ini_strs_add(&rd->strs, rd->file, strlen(rd->file), &file);
	if (r < 0)
		return r;
	doc->sections = calloc(rd->n_secs ? rd->n_secs : 1, sizeof(*doc->sections));
	doc->keys = calloc(rd->n_ents ? rd->n_ents : 1, sizeof(*doc->keys));
	pos = calloc(rd->n_ents ? rd->n_ents : 1, sizeof(*pos));
	if (!doc->sections || !doc->keys || !pos) {
		r = -ENOMEM;
		goto out;
	}

	for (unsigned e = 0; e < rd->n_ents; e++)
		doc->sections[rd->heads[rd->ents[e].head].sec].n++;
	for (unsigned s = 0, first = 0; s < rd->n_secs; s++) {
		const struct ini_head *h = &rd->heads[rd->secs[s].head];

		doc->sections[s].name = rd->strs.v + h->name;
		doc->sections[s].norm = rd->strs.v + rd->secs[s].norm;
		doc->sections[s].line = h->line;
		doc->sections[s].first = first;
		first += doc->sections[s].n;
		doc->sections[s].n = 0;
	}
	for (unsigned e = 0; e < rd->n_ents; e++) {
		const struct ini_ent *ent = &rd->ents[e];
		struct ini_section *s = &doc->sections[rd->heads[ent->head].sec];
		struct ini_key *k = &doc->keys[s->first + s->n++];

		k->key = rd->strs.v + ent->key;
		k->value = ent->value != INI_NO_VALUE ? rd->strs.v + ent->value : "";
		k->line = ent->line;
		pos[e] = (unsigned)(k - doc->keys);
	}
	ini_map_renumber(&rd->key_map, pos);

	doc->file = rd->strs.v + file;
	doc->n_sections = rd->n_secs;
	doc->n_keys = rd->n_ents;
	/* The arena stays readable through rd for the messages still to report. */
	doc->strings = rd->strs.v;
	rd->strs_given = true;
	doc->section_map = rd->sec_map;
	doc->key_map = rd->key_map;
	rd->sec_map = rd->key_map = (struct ini_map){ 0 };
out:
	free(pos);
	if (r < 0) {
		free(doc->sections);
		free(doc->keys);
		doc->sections = NULL;
		doc->keys = NULL;
	}
	return r;
}
