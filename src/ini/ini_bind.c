/* SPDX-License-Identifier: MIT */
/* A section's keys into an object through its field table: the binding lab and state files share. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/join.h"
#include "core/num.h"
#include "ini/ini_bind.h"

/* Rows in a table; the widest (peerings) has 12. */
#define ROWS_MAX 32

static bool is_list(const struct field *f)
{
	return f->kind == FIELD_PREFIXES || f->kind == FIELD_CIDRS;
}

static bool is_key(const struct ini_binder *b, const struct field *f)
{
	return b->state_file || !(f->flags & FIELD_STATE_ONLY);
}

static const struct ini_key *find(const struct ini_key *keys, unsigned n, const char *key)
{
	for (unsigned i = 0; i < n; i++)
		if (strcmp(keys[i].key, key) == 0)
			return &keys[i];
	return NULL;
}

static int report(const struct ini_binder *b, const struct ini_key *k, bool secret, int errnum, const char *msg,
		  const char *detail)
{
	struct err e = {0};

	err_set(&e, errnum, NULL, "%s", msg);
	if (detail)
		err_detail(&e, "%s", detail);
	b->error(b->ud, k, secret, &e);
	return 1;
}

/* "name_N", N >= 2, of a list row: its number, else 0. */
static unsigned continuation(const struct field_table *t, const char *key, const struct field **ret)
{
	const char *us = strrchr(key, '_');
	char base[64];
	uint32_t part;

	if (!us || (size_t)(us - key) >= sizeof(base) || num_parse_u32(us + 1, 2, 4096, &part) < 0)
		return 0;
	memcpy(base, key, (size_t)(us - key));
	base[us - key] = '\0';
	*ret = field_by_key(t, base);
	return *ret && is_list(*ret) ? part : 0;
}

/* A list's value with its continuation keys joined on, in order: heap. */
static char *joined(const struct ini_key *keys, unsigned n, const struct ini_key *k)
{
	size_t len = strlen(k->value) + 1, used;
	char name[80], *v;
	const struct ini_key *c;

	for (unsigned part = 2; snprintf(name, sizeof(name), "%s_%u", k->key, part),
	     (c = find(keys, n, name)); part++)
		len += strlen(c->value) + 1;
	if (!(v = malloc(len)))
		return NULL;
	used = (size_t)snprintf(v, len, "%s", k->value);
	for (unsigned part = 2; snprintf(name, sizeof(name), "%s_%u", k->key, part),
	     (c = find(keys, n, name)); part++)
		used += (size_t)snprintf(v + used, len - used, ",%s", c->value);
	return v;
}

static void key_list(const struct ini_binder *b, const struct field_table *t, char *buf, size_t len)
{
	size_t used = 0;

	buf[0] = '\0';
	for (unsigned i = 0; i < t->n; i++)
		if (is_key(b, &t->rows[i]))
			used = join_append(buf, len, used, ", ", t->rows[i].key);
}

/* "only microsoft peering has it", "only private and microsoft peering have it" */
static const char *variants_text(const struct field_table *t, unsigned variants, char *buf, size_t len)
{
	unsigned n = 0, count = 0;
	size_t used;

	for (unsigned v = 0; v < 32; v++)
		count += (variants >> v) & 1u;
	used = (size_t)snprintf(buf, len, "only ");
	for (unsigned v = 0; v < 32 && used < len; v++) {
		if (!(variants & (1u << v)))
			continue;
		n++;
		used += (size_t)snprintf(buf + used, len - used, "%s%s", n == 1 ? "" : n == count ? " and " : ", ",
					 t->variant_name(v));
	}
	if (used < len)
		snprintf(buf + used, len - used, " %s %s it", t->object, count == 1 ? "has" : "have");
	return buf;
}

static int bind_key(const struct ini_binder *b, const struct ini_key *keys, unsigned n, const struct ini_key *k,
		    const struct field_table *t, unsigned variant, void *obj, const char *what, bool *seen)
{
	const struct field *f = field_by_key(t, k->key);
	enum field_fail how;
	struct err e = {0};
	char d[300], m[96], *value = NULL;
	unsigned part;
	int r;

	for (const char *const *own = b->own_keys; own && *own; own++)
		if (strcmp(*own, k->key) == 0)
			return 0;
	if (!f && (part = continuation(t, k->key, &f))) {
		char prev[80];

		/* Read with its list; alone (no list key, or a gap before it) it is out of place. */
		snprintf(prev, sizeof(prev), part == 2 ? "%s" : "%s_%u", f->key, part - 1);
		if (!find(keys, n, prev))
			return report(b, k, false, -EINVAL, "continuation key out of sequence",
				      err_fmt(d, sizeof(d), "%s comes after %s", k->key, prev));
		return 0;
	}
	if (!f || !is_key(b, f)) {
		key_list(b, t, d, sizeof(d));
		return report(b, k, false, -EINVAL, "unknown key", d[0] ? d : NULL);
	}
	/* A state file holds what erlab stored, rules or not (state.md): only a lab is held to them. */
	if (!b->state_file && !field_in_variant(f, variant))
		return report(b, k, f->flags & FIELD_SECRET, -EINVAL,
			      err_fmt(m, sizeof(m), "not a key of %s %s", t->variant_name(variant), t->object),
			      variants_text(t, f->variants, d, sizeof(d)));
	seen[f - t->rows] = true;
	if (is_list(f) && !(value = joined(keys, n, k)))
		return -ENOMEM;
	r = field_parse(t, f, k->key, value ? value : k->value, obj, what, &e, &how);
	free(value);
	if (how == FIELD_NO_MEMORY)
		return -ENOMEM;
	if (r < 0) {
		b->error(b->ud, k, f->flags & FIELD_SECRET, &e);
		return 1;
	}
	return 0;
}

int ini_bind(const struct ini_binder *b, const struct ini_key *keys, unsigned n, const struct field_table *t,
	     unsigned variant, void *obj, const char *what)
{
	bool seen[ROWS_MAX] = { false };
	unsigned mistakes = 0;
	char m[96];
	int r;

	for (unsigned i = 0; i < n; i++) {
		if ((r = bind_key(b, keys, n, &keys[i], t, variant, obj, what, seen)) < 0)
			return r;
		mistakes += (unsigned)r;
	}
	for (unsigned i = 0; i < t->n && i < ROWS_MAX; i++) {
		const struct field *f = &t->rows[i];
		struct err e = {0};

		if (seen[i] || !is_key(b, f) || !field_in_variant(f, variant))
			continue;
		if (f->required & (1u << variant)) {
			mistakes += (unsigned)report(b, NULL, false, -EINVAL,
						     err_fmt(m, sizeof(m), "missing required key %s", f->key), NULL);
		} else if (f->def && !b->state_file) {
			if (field_parse(t, f, f->key, f->def, obj, what, &e, NULL) < 0)
				return -ENOMEM;
		}
	}
	return (int)mistakes;
}
