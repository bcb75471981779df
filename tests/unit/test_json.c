/* SPDX-License-Identifier: MIT */
/*
 * The JSON writer (core/json.c): nesting and commas, misuse caught, RFC 8259 escapes, and hostile
 * bytes — ill-formed UTF-8 of every kind (lone continuation bytes, truncated sequences, overlongs,
 * surrogates, code points past U+10FFFF, bytes that never occur) — replaced by U+FFFD, one per
 * maximal subpart, as Unicode recommends and Python's "replace" decoder does. A sweep over every
 * one- and two-byte input and a sample of longer ones checks the output against a decoder written
 * independently of the writer's.
 */
#include <errno.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "core/json.h"
#include "test.h"

#define FFFD "\xEF\xBF\xBD"

/* The escaped body of s[0..n), as a heap string. */
static char *escaped(const char *s, size_t n)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);

	jw_escape(f, s, n);
	fclose(f);
	return buf;
}

static void check_escape(const char *in, size_t n, const char *want, int line)
{
	char *out = escaped(in, n);

	if (strcmp(out, want) != 0) {
		test_failed_checks++;
		fprintf(stderr, "%s:%d: escaped as \"%s\", expected \"%s\"\n", __FILE__, line, out, want);
	}
	free(out);
}
#define ESC(in, want) check_escape(in, sizeof(in) - 1, want, __LINE__)

static void test_escapes(void)
{
	ESC("plain text", "plain text");
	ESC("", "");
	ESC("a\"b\\c/d", "a\\\"b\\\\c/d");
	ESC("\n\t\r\b\f", "\\n\\t\\r\\b\\f");
	ESC("\x01\x1f\x0b", "\\u0001\\u001f\\u000b");
	ESC("a\0b", "a\\u0000b");          /* jw_string_n keeps a NUL, escaped */
	ESC("\x7f", "\x7f");                /* DEL is allowed as it is */
	ESC("caf\xc3\xa9 \xe2\x82\xac \xf0\x9f\x98\x80", "caf\xc3\xa9 \xe2\x82\xac \xf0\x9f\x98\x80");
	ESC("\xed\x9f\xbf\xee\x80\x80\xf4\x8f\xbf\xbf", "\xed\x9f\xbf\xee\x80\x80\xf4\x8f\xbf\xbf");   /* edges that are fine */
}

static void test_ill_formed(void)
{
	ESC("\x80", FFFD);                                  /* a continuation byte alone */
	ESC("\x80\xbf", FFFD FFFD);
	ESC("\xc0\x80", FFFD FFFD);                         /* overlong NUL */
	ESC("\xc1\xbf", FFFD FFFD);                         /* overlong DEL */
	ESC("\xe0\x80\x80", FFFD FFFD FFFD);                /* overlong, 3 bytes */
	ESC("\xf0\x80\x80\x80", FFFD FFFD FFFD FFFD);       /* overlong, 4 bytes */
	ESC("\xed\xa0\x80", FFFD FFFD FFFD);                /* a UTF-16 surrogate, U+D800 */
	ESC("\xed\xbf\xbf", FFFD FFFD FFFD);                /* U+DFFF */
	ESC("\xf4\x90\x80\x80", FFFD FFFD FFFD FFFD);       /* U+110000 */
	ESC("\xf5\x80\x80\x80", FFFD FFFD FFFD FFFD);
	ESC("\xfe\xff", FFFD FFFD);                         /* bytes UTF-8 never has */
	ESC("\xc2", FFFD);                                  /* truncated at the end */
	ESC("\xe0\xa0", FFFD);                              /* one U+FFFD for a maximal subpart */
	ESC("\xf0\x9f\x98" "A", FFFD "A");
	ESC("\xe2\x82\"", FFFD "\\\"");                     /* a quote ends the subpart, and is escaped */
	ESC("\xe2\x82\n", FFFD "\\n");
	ESC("\xe1\x80\xe1\x80\x80", FFFD "\xe1\x80\x80");
	ESC("a\xff" "b", "a" FFFD "b");
	ESC("\xc3\x28", FFFD "(");
}

/* ---- an independent decoder: code points by the bit patterns, then the range rules ---- */

/* Decode one code point at s[0..n): its length, or 0 when ill-formed. */
static size_t ref_decode(const unsigned char *s, size_t n, uint32_t *cp)
{
	size_t len;
	uint32_t v, min;

	if (s[0] < 0x80) {
		*cp = s[0];
		return 1;
	}
	if ((s[0] & 0xe0) == 0xc0)
		len = 2, v = s[0] & 0x1f, min = 0x80;
	else if ((s[0] & 0xf0) == 0xe0)
		len = 3, v = s[0] & 0x0f, min = 0x800;
	else if ((s[0] & 0xf8) == 0xf0)
		len = 4, v = s[0] & 0x07, min = 0x10000;
	else
		return 0;
	if (len > n)
		return 0;
	for (size_t i = 1; i < len; i++) {
		if ((s[i] & 0xc0) != 0x80)
			return 0;
		v = v << 6 | (s[i] & 0x3f);
	}
	if (v < min || v > 0x10ffff || (v >= 0xd800 && v <= 0xdfff))
		return 0;
	*cp = v;
	return len;
}

static bool ref_valid(const unsigned char *s, size_t n)
{
	uint32_t cp;

	for (size_t i = 0, l; i < n; i += l)
		if (!(l = ref_decode(s + i, n - i, &cp)))
			return false;
	return true;
}

/* The output must be well-formed, free of raw control characters and unescaped quotes; a
 * well-formed input without characters to escape must come out as it went in. */
static int sweep_one(const unsigned char *in, size_t n)
{
	char *out = escaped((const char *)in, n);
	size_t len = strlen(out);
	bool plain = ref_valid(in, n), bad = !ref_valid((const unsigned char *)out, len);

	for (size_t i = 0; i < n; i++)
		plain &= in[i] >= 0x20 && in[i] != '"' && in[i] != '\\';
	for (size_t i = 0; i < len; i++) {
		bad |= (unsigned char)out[i] < 0x20;
		if (out[i] == '\\')
			i++;
		else
			bad |= out[i] == '"';
	}
	if (plain)
		bad |= len != n || memcmp(out, in, n) != 0;
	bad |= jw_utf8_valid((const char *)in, n) != ref_valid(in, n);
	free(out);
	return bad;
}

static void test_sweep(void)
{
	unsigned char in[6];
	uint32_t seed = 12345;
	int bad = 0;

	for (unsigned a = 0; a < 256; a++) {
		in[0] = (unsigned char)a;
		bad += sweep_one(in, 1);
		for (unsigned b = 0; b < 256; b++) {
			in[1] = (unsigned char)b;
			bad += sweep_one(in, 2);
		}
	}
	/* Longer inputs: random bytes, biased to the lead and continuation bytes that matter. */
	for (unsigned k = 0; k < 400000; k++) {
		size_t n = 3 + k % 4;

		for (size_t i = 0; i < n; i++) {
			seed = seed * 1103515245u + 12345u;
			in[i] = (unsigned char)(seed >> 16);
			if (seed & 0x100)
				in[i] = (unsigned char)(0x80 | (in[i] & 0x7f));
		}
		bad += sweep_one(in, n);
	}
	CHECK_INT(bad, 0);
}

static void test_utf8_valid(void)
{
	CHECK(jw_utf8_valid("", 0));
	CHECK(jw_utf8_valid("caf\xc3\xa9", 5));
	CHECK(jw_utf8_valid("\xf0\x9f\x98\x80", 4));
	CHECK(!jw_utf8_valid("\xed\xa0\x80", 3));
	CHECK(!jw_utf8_valid("\xc0\x80", 2));
	CHECK(!jw_utf8_valid("\xf0\x9f\x98", 3));
}

/* A document, written into a heap string; *ret_r: jw_end's result. */
#define DOC(out, r, body) do { \
	size_t _len = 0; FILE *f = open_memstream(&(out), &_len); struct json j; \
	body; \
	fclose(f); } while (0)

static void test_writer(void)
{
	char *out = NULL;
	int r = 1;

	DOC(out, r, {
		jw_begin(&j, f, "test");
		jw_kstring(&j, "s", "x\xff");
		jw_kstring(&j, "none", NULL);
		jw_ku64(&j, "n", UINT64_MAX);
		jw_key(&j, "i");
		jw_i64(&j, -5);
		jw_kbool(&j, "t", true);
		jw_key(&j, "a");
		jw_array(&j);
		jw_u64(&j, 1);
		jw_object(&j);
		jw_object_end(&j);
		jw_array(&j);
		jw_array_end(&j);
		jw_string(&j, "k\"");
		jw_array_end(&j);
		jw_key(&j, "o");
		jw_object(&j);
		jw_knull(&j, "z");
		jw_object_end(&j);
		r = jw_end(&j);
	});
	CHECK_INT(r, 0);
	CHECK_STR(out, "{\"schema\":\"erlab/test/v1\",\"s\":\"x" FFFD "\",\"none\":null,\"n\":18446744073709551615,"
		       "\"i\":-5,\"t\":true,\"a\":[1,{},[],\"k\\\"\"],\"o\":{\"z\":null}}\n");
	free(out);

	/* A key with bytes to escape is escaped as a string is. */
	DOC(out, r, {
		jw_begin(&j, f, "test");
		jw_kstring(&j, "a\"\xc0", "v");
		r = jw_end(&j);
	});
	CHECK_INT(r, 0);
	CHECK_STR(out, "{\"schema\":\"erlab/test/v1\",\"a\\\"" FFFD "\":\"v\"}\n");
	free(out);
}

/* Misuse is the caller's bug: jw_end says so, and nothing after it is written. */
static void test_misuse(void)
{
	char *out = NULL;
	int r = 0;

	DOC(out, r, { jw_begin(&j, f, "t"); jw_string(&j, "value without a key"); r = jw_end(&j); });
	CHECK_INT(r, -EINVAL);
	free(out);
	DOC(out, r, { jw_begin(&j, f, "t"); jw_key(&j, "a"); jw_key(&j, "b"); r = jw_end(&j); });
	CHECK_INT(r, -EINVAL);
	free(out);
	DOC(out, r, { jw_begin(&j, f, "t"); jw_key(&j, "a"); r = jw_end(&j); });
	CHECK_INT(r, -EINVAL);
	free(out);
	DOC(out, r, { jw_begin(&j, f, "t"); jw_key(&j, "a"); jw_array(&j); jw_key(&j, "in array");
		      jw_array_end(&j); r = jw_end(&j); });
	CHECK_INT(r, -EINVAL);
	free(out);
	DOC(out, r, { jw_begin(&j, f, "t"); jw_key(&j, "a"); jw_array(&j); jw_object_end(&j);
		      r = jw_end(&j); });
	CHECK_INT(r, -EINVAL);
	free(out);
	DOC(out, r, { jw_begin(&j, f, "t"); jw_key(&j, "a"); jw_array(&j); r = jw_end(&j); });
	CHECK_INT(r, -EINVAL);   /* left open */
	free(out);
	DOC(out, r, { jw_init(&j, f); jw_u64(&j, 1); jw_u64(&j, 2); r = j.bad ? -EINVAL : 0; });
	CHECK_INT(r, -EINVAL);   /* two values, one document */
	free(out);
	/* Too deep. */
	DOC(out, r, {
		jw_begin(&j, f, "t");
		jw_key(&j, "a");
		for (int i = 0; i < JSON_DEPTH_MAX + 2; i++)
			jw_array(&j);
		r = jw_end(&j);
	});
	CHECK_INT(r, -EINVAL);
	free(out);
	/* jw_fail's error wins. */
	DOC(out, r, { jw_begin(&j, f, "t"); jw_fail(&j, -ENOMEM); jw_fail(&j, -EIO); r = jw_end(&j); });
	CHECK_INT(r, -ENOMEM);
	free(out);
}

int main(void)
{
	RUN(test_escapes);
	RUN(test_ill_formed);
	RUN(test_utf8_valid);
	RUN(test_sweep);
	RUN(test_writer);
	RUN(test_misuse);
	return TEST_DONE();
}
