/* SPDX-License-Identifier: MIT */
/*
 * ARM's JSON bound through the field tables (core/fields.c): a row's .arm is its property, a
 * dotted path from the resource's root. Values go in through field_parse, as every face's do (a
 * number or a string as its text, a list of strings joined with commas, true/false as yes/no),
 * and come out through field_format, typed by the row's kind.
 */
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

#include "arm/arm_int.h"

json_t *arm_path_get(json_t *root, const char *path)
{
	char key[64];

	while (root && json_is_object(root)) {
		size_t n = strcspn(path, ".");

		if (n >= sizeof(key))
			return NULL;
		memcpy(key, path, n);
		key[n] = '\0';
		/* ARM's property names are case-insensitive on input. */
		json_t *v = json_object_get(root, key);
		if (!v) {
			const char *k;
			json_t *x;

			json_object_foreach(root, k, x)
				if (strcasecmp(k, key) == 0)
					v = x;
		}
		if (!path[n])
			return v;
		root = v;
		path += n + 1;
	}
	return NULL;
}

int arm_path_set(json_t *root, const char *path, json_t *v)
{
	char key[64];

	for (;;) {
		size_t n = strcspn(path, ".");
		json_t *next;

		if (n >= sizeof(key) || !json_is_object(root)) {
			json_decref(v);
			return -EINVAL;
		}
		memcpy(key, path, n);
		key[n] = '\0';
		if (!path[n])
			return json_object_set_new(root, key, v) < 0 ? -ENOMEM : 0;
		if (!(next = json_object_get(root, key))) {
			next = arm_jobject();
			if (json_object_set_new(root, key, next) < 0) {
				json_decref(v);
				return -ENOMEM;
			}
		}
		root = next;
		path += n + 1;
	}
}

/* The JSON value as the text field_parse reads; NULL: null, or not a value a field takes. */
static char *as_text(json_t *v, bool *ret_bad)
{
	char *s = NULL;
	size_t n = 0;
	FILE *f;

	*ret_bad = false;
	switch (json_typeof(v)) {
	case JSON_STRING:
		return strdup(json_string_value(v));
	case JSON_INTEGER:
		return asprintf(&s, "%" JSON_INTEGER_FORMAT, json_integer_value(v)) < 0 ? NULL : s;
	case JSON_TRUE:
	case JSON_FALSE:
		return strdup(json_is_true(v) ? "yes" : "no");
	case JSON_ARRAY:
		if (!(f = open_memstream(&s, &n)))
			return NULL;
		for (size_t i = 0; i < json_array_size(v); i++) {
			const char *item = json_string_value(json_array_get(v, i));

			if (!item)
				*ret_bad = true;
			fprintf(f, "%s%s", i ? "," : "", item ? item : "");
		}
		fclose(f);
		return s;
	case JSON_NULL:
		return NULL;
	default:
		*ret_bad = true;
		return NULL;
	}
}

static bool takes(const char *const *keys, const struct field *f)
{
	for (; keys && *keys; keys++)
		if (strcmp(*keys, f->key) == 0)
			return true;
	return false;
}

static bool empty(json_t *v)
{
	return !v || json_is_null(v) || (json_is_array(v) && json_array_size(v) == 0) ||
	       (json_is_string(v) && !*json_string_value(v)) || (json_is_integer(v) && json_integer_value(v) == 0);
}

int arm_bind(const struct field_table *t, const char *const *keys, json_t *root, void *obj, unsigned variant,
	     const char *what, struct err *e)
{
	for (unsigned i = 0; i < t->n; i++) {
		const struct field *f = &t->rows[i];
		enum field_fail how;
		json_t *v;
		char *text;
		bool bad;
		int r;

		if (!f->arm || !takes(keys, f) || !(v = arm_path_get(root, f->arm)) || json_is_null(v))
			continue;
		if (!field_in_variant(f, variant)) {
			if (empty(v))
				continue;
			return err_set(e, -EINVAL, what, "The property '%s' is not valid on a %s.", f->arm,
				       t->variant_name ? arm_peering_name((enum access_type)variant) : t->object);
		}
		text = as_text(v, &bad);
		if (bad || (!text && !json_is_null(v))) {
			free(text);
			return err_set(e, -EINVAL, what, "The value of property '%s' is not of the expected type.", f->arm);
		}
		r = field_parse(t, f, f->arm, text, obj, what, e, &how);
		free(text);
		if (r < 0) {
			if (!e->what[0])
				snprintf(e->what, sizeof(e->what), "%s: %s", what, f->arm);
			return r;
		}
	}
	return 0;
}

static json_t *typed(const struct field *f, char *text)
{
	json_t *a;

	switch (f->kind) {
	case FIELD_U32:
	case FIELD_U16:
		return json_integer((json_int_t)strtoull(text, NULL, 10));
	case FIELD_PREFIXES:
	case FIELD_CIDRS:
		a = arm_jarray();
		for (char *save = NULL, *s = strtok_r(text, ",", &save); s; s = strtok_r(NULL, ",", &save))
			json_array_append_new(a, arm_jstring(s));
		return a;
	default:
		return arm_jstring(text);
	}
}

int arm_emit(const struct field_table *t, const void *obj, unsigned variant, unsigned fams, json_t *root)
{
	for (unsigned i = 0; i < t->n; i++) {
		const struct field *f = &t->rows[i];
		char *text = NULL;
		int r;

		if (!f->arm || (f->flags & FIELD_SECRET) || (t->variant_name && !field_in_variant(f, variant)) ||
		    (f->family == AF_INET && !(fams & 1)) || (f->family == AF_INET6 && !(fams & 2)))
			continue;
		if ((r = field_format(t, f, obj, &text)) < 0)
			return r;
		if (!text)
			continue;
		r = arm_path_set(root, f->arm, typed(f, text));
		free(text);
		if (r < 0)
			return r;
	}
	return 0;
}
