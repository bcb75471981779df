/* SPDX-License-Identifier: MIT */
#ifndef ERLAB_JSON_H
#define ERLAB_JSON_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

/*
 * The one JSON writer: every JSON document erlab prints is written through it (docs/json.md).
 * Pure: it writes to a FILE* and reads nothing else. Compact output (no blanks between tokens),
 * one document per line.
 *
 * The writer places the commas and checks the nesting: a key outside an object, a value without
 * its key, or an object left open makes jw_end() return -EINVAL (a bug of the caller, never of
 * the user's data). Strings are escaped per RFC 8259, and any byte sequence that is not
 * well-formed UTF-8 is replaced by U+FFFD, one per maximal subpart (Unicode's recommended
 * practice, as Python's "replace" decoder does), so every document is valid UTF-8 whatever the
 * kernel, a file name or BIRD hand us.
 *
 * Every document is an object whose first member is "schema": "erlab/<kind>/v<N>" (jw_begin).
 */

#define JSON_SCHEMA_VERSION 1
#define JSON_DEPTH_MAX 16

struct json {
	FILE *f;
	unsigned depth;
	bool object[JSON_DEPTH_MAX + 1];   /* per level: an object (else an array) */
	bool items[JSON_DEPTH_MAX + 1];    /* per level: something written already (a comma goes first) */
	bool key;                          /* a key was written: its value comes next */
	bool bad;                          /* misused */
	int err;                           /* jw_fail's, for jw_end */
};

void jw_init(struct json *j, FILE *f);
/* A document: jw_init, "{", then "schema": "erlab/<kind>/v1". */
void jw_begin(struct json *j, FILE *f, const char *kind);
/* Close the document's object, end the line. 0, the error given to jw_fail, or -EINVAL when the
 * writer was misused. */
int jw_end(struct json *j);
/* What was to be written could not be had (-ENOMEM): jw_end returns it. The first one stays. */
void jw_fail(struct json *j, int err);

void jw_object(struct json *j);
void jw_object_end(struct json *j);
void jw_array(struct json *j);
void jw_array_end(struct json *j);
void jw_key(struct json *j, const char *key);

void jw_string(struct json *j, const char *s);              /* NULL: null */
void jw_string_n(struct json *j, const char *s, size_t n);  /* n bytes of s (NUL included, escaped) */
void jw_u64(struct json *j, uint64_t v);
void jw_i64(struct json *j, int64_t v);
void jw_bool(struct json *j, bool v);
void jw_null(struct json *j);

/* A member: the key, then the value. */
void jw_kstring(struct json *j, const char *key, const char *s);   /* NULL: null */
void jw_ku64(struct json *j, const char *key, uint64_t v);
void jw_kbool(struct json *j, const char *key, bool v);
void jw_knull(struct json *j, const char *key);

/* The body of a JSON string for s[0..n) (no quotes): RFC 8259 escapes, U+FFFD for ill-formed
 * UTF-8. */
void jw_escape(FILE *f, const char *s, size_t n);
/* The length of the well-formed UTF-8 sequence at s[0..n) (1 to 4, n > 0), or 0 when it is
 * ill-formed, with *ret_bad the length of its maximal subpart (at least 1): the bytes one U+FFFD
 * replaces. For other writers that must keep their output valid UTF-8 (DOT). */
size_t jw_utf8_next(const char *s, size_t n, size_t *ret_bad);
/* Is s[0..n) well-formed UTF-8 (RFC 3629: no overlongs, no surrogates, nothing past U+10FFFF)? */
bool jw_utf8_valid(const char *s, size_t n);

#endif
