/* SPDX-License-Identifier: MIT */
/* The JSON writer (core/json.h): nesting, commas, RFC 8259 strings, well-formed UTF-8 always. */
#include <errno.h>
#include <inttypes.h>
#include <string.h>

#include "core/json.h"

/* The ranges are RFC 3629's (Unicode's table 3-7): the second byte's range excludes overlongs
 * (E0, F0), UTF-16 surrogates (ED) and code points past U+10FFFF (F4). */
size_t jw_utf8_next(const char *str, size_t n, size_t *ret_bad)
{
	const unsigned char *s = (const unsigned char *)str;
	unsigned char c = s[0], lo = 0x80, hi = 0xBF;
	size_t need;

	if (c < 0x80)
		return 1;
	if (c >= 0xC2 && c <= 0xDF)
		need = 1;
	else if (c == 0xE0)
		need = 2, lo = 0xA0;
	else if (c == 0xED)
		need = 2, hi = 0x9F;
	else if (c >= 0xE1 && c <= 0xEF)
		need = 2;
	else if (c == 0xF0)
		need = 3, lo = 0x90;
	else if (c == 0xF4)
		need = 3, hi = 0x8F;
	else if (c >= 0xF1 && c <= 0xF3)
		need = 3;
	else {
		*ret_bad = 1;   /* a continuation byte alone, C0, C1, F5-FF */
		return 0;
	}
	for (size_t i = 1; i <= need; i++) {
		if (i >= n || s[i] < lo || s[i] > hi) {
			*ret_bad = i;
			return 0;
		}
		lo = 0x80, hi = 0xBF;
	}
	return need + 1;
}

bool jw_utf8_valid(const char *s, size_t n)
{
	size_t i = 0, bad;

	while (i < n) {
		size_t l = jw_utf8_next(s + i, n - i, &bad);

		if (!l)
			return false;
		i += l;
	}
	return true;
}

void jw_escape(FILE *f, const char *s, size_t n)
{
	const unsigned char *u = (const unsigned char *)s;
	size_t i = 0, bad;

	while (i < n) {
		unsigned char c = u[i];
		size_t l, run = i;

		/* Printable ASCII as it is, a run at a time (status --json of a large lab is mostly this). */
		while (run < n && u[run] >= 0x20 && u[run] < 0x80 && u[run] != '"' && u[run] != '\\')
			run++;
		if (run > i) {
			fwrite(u + i, 1, run - i, f);
			i = run;
			continue;
		}
		if (c == '"' || c == '\\') {
			fputc('\\', f);
			fputc(c, f);
			i++;
			continue;
		}
		if (c < 0x20) {
			static const char short_form[] = { ['\b'] = 'b', ['\t'] = 't', ['\n'] = 'n', ['\f'] = 'f',
							   ['\r'] = 'r' };

			if (c < sizeof(short_form) && short_form[c])
				fprintf(f, "\\%c", short_form[c]);
			else
				fprintf(f, "\\u%04x", c);
			i++;
			continue;
		}
		if ((l = jw_utf8_next(s + i, n - i, &bad)) == 0) {
			fputs("\xEF\xBF\xBD", f);   /* U+FFFD REPLACEMENT CHARACTER */
			i += bad;
			continue;
		}
		fwrite(u + i, 1, l, f);
		i += l;
	}
}

void jw_init(struct json *j, FILE *f)
{
	memset(j, 0, sizeof(*j));
	j->f = f;
}

/* Before a value: the comma, and the check that a value may stand here. */
static bool value_ok(struct json *j)
{
	if (j->bad)
		return false;
	if (j->depth == 0) {
		if (j->items[0])
			j->bad = true;   /* one value per document */
		j->items[0] = true;
		return !j->bad;
	}
	if (j->object[j->depth]) {
		if (!j->key) {
			j->bad = true;
			return false;
		}
		j->key = false;
		return true;
	}
	if (j->items[j->depth])
		fputc(',', j->f);
	j->items[j->depth] = true;
	return true;
}

static void nest_open(struct json *j, bool object)
{
	if (!value_ok(j))
		return;
	if (j->depth >= JSON_DEPTH_MAX) {
		j->bad = true;
		return;
	}
	fputc(object ? '{' : '[', j->f);
	j->depth++;
	j->object[j->depth] = object;
	j->items[j->depth] = false;
}

static void nest_close(struct json *j, bool object)
{
	if (j->bad)
		return;
	if (j->depth == 0 || j->object[j->depth] != object || j->key) {
		j->bad = true;
		return;
	}
	fputc(object ? '}' : ']', j->f);
	j->depth--;
}

void jw_object(struct json *j) { nest_open(j, true); }
void jw_object_end(struct json *j) { nest_close(j, true); }
void jw_array(struct json *j) { nest_open(j, false); }
void jw_array_end(struct json *j) { nest_close(j, false); }

void jw_key(struct json *j, const char *key)
{
	if (j->bad)
		return;
	if (j->depth == 0 || !j->object[j->depth] || j->key) {
		j->bad = true;
		return;
	}
	if (j->items[j->depth])
		fputc(',', j->f);
	j->items[j->depth] = true;
	fputc('"', j->f);
	jw_escape(j->f, key, strlen(key));
	fputs("\":", j->f);
	j->key = true;
}

void jw_string_n(struct json *j, const char *s, size_t n)
{
	if (j->bad || !value_ok(j))
		return;
	fputc('"', j->f);
	jw_escape(j->f, s, n);
	fputc('"', j->f);
}

void jw_string(struct json *j, const char *s)
{
	if (!s)
		jw_null(j);
	else
		jw_string_n(j, s, strlen(s));
}

void jw_u64(struct json *j, uint64_t v)
{
	if (!j->bad && value_ok(j))
		fprintf(j->f, "%" PRIu64, v);
}

void jw_i64(struct json *j, int64_t v)
{
	if (!j->bad && value_ok(j))
		fprintf(j->f, "%" PRId64, v);
}

void jw_bool(struct json *j, bool v)
{
	if (!j->bad && value_ok(j))
		fputs(v ? "true" : "false", j->f);
}

void jw_null(struct json *j)
{
	if (!j->bad && value_ok(j))
		fputs("null", j->f);
}

void jw_kstring(struct json *j, const char *key, const char *s)
{
	jw_key(j, key);
	jw_string(j, s);
}

void jw_ku64(struct json *j, const char *key, uint64_t v)
{
	jw_key(j, key);
	jw_u64(j, v);
}

void jw_kbool(struct json *j, const char *key, bool v)
{
	jw_key(j, key);
	jw_bool(j, v);
}

void jw_knull(struct json *j, const char *key)
{
	jw_key(j, key);
	jw_null(j);
}

void jw_begin(struct json *j, FILE *f, const char *kind)
{
	char schema[64];

	jw_init(j, f);
	jw_object(j);
	snprintf(schema, sizeof(schema), "erlab/%s/v%d", kind, JSON_SCHEMA_VERSION);
	jw_kstring(j, "schema", schema);
}

void jw_fail(struct json *j, int err)
{
	if (!j->err)
		j->err = err;
}

int jw_end(struct json *j)
{
	jw_object_end(j);
	if (j->err)
		return j->err;
	if (j->bad || j->depth != 0)
		return -EINVAL;
	fputc('\n', j->f);
	return 0;
}
