/* SPDX-License-Identifier: MIT */
/*
 * The pre-scan: what iniparser cannot tell us (line numbers, duplicate headers and keys, sections
 * as written, binary junk), before iniparser sees the file.
 */
#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "lab/lab_int.h"

/* iniparser 4.1 reads a line, continuations included, into a 1024-byte buffer and gives up on more. */
#define LAB_LINE_MAX 1000
/* Sections plus keys: a 1000-circuit lab has about 26000. Bounds what a hostile file costs. */
#define LAB_ENTRIES_MAX 65536
/* Keys under one header ([registry] is the only long one): bounds one iniparser slice. */
#define LAB_SECTION_KEYS_MAX 4096
/* Keys of a section found by a scan up to this many, then through a hash map (fewer cache misses). */
#define SECTION_SCAN_MAX 32

static char *strip(char *s)
{
	char *end;

	while (isspace((unsigned char)*s))
		s++;
	end = s + strlen(s);
	while (end > s && isspace((unsigned char)end[-1]))
		*--end = '\0';
	return s;
}

void lab_lower(char *s)
{
	for (; *s; s++)
		*s = (char)tolower((unsigned char)*s);
}

/* Lowercase with runs of blanks made one space: "[Peering  ER1 private]" is "[peering er1 private]". */
static char *normalize(const char *s)
{
	char *n = malloc(strlen(s) + 1), *o = n;
	bool blank = false;

	if (!n)
		return NULL;
	for (; *s; s++) {
		if (isspace((unsigned char)*s)) {
			blank = true;
			continue;
		}
		if (blank && o != n)
			*o++ = ' ';
		blank = false;
		*o++ = (char)tolower((unsigned char)*s);
	}
	*o = '\0';
	return n;
}

/* The value as iniparser would read it, only to quote it in a message. */
static void quoted_value(char *v)
{
	size_t len = strlen(v);

	if (len >= 2 && (v[0] == '"' || v[0] == '\'') && strchr(v + 1, v[0])) {
		char *close = strchr(v + 1, v[0]);

		memmove(v, v + 1, (size_t)(close - v - 1));
		v[close - v - 1] = '\0';
		return;
	}
	v[strcspn(v, ";#")] = '\0';
	strip(v);
}

static void pre_header(struct loader *ld, char *l, unsigned line, size_t offset, unsigned entry)
{
	char w[sizeof(((struct err *)0)->what)], d[64];
	size_t len = strlen(l);
	struct pre_section *p, *grown;
	unsigned *first;
	bool found;
	char *content;

	if (len < 2 || l[len - 1] != ']' || strchr(l, ']') != l + len - 1 || strchr(l + 1, '[')) {
		lab_line_err(ld, line, "syntax error", "a section header is [kind id ...] on a line of its own");
		return;
	}
	l[len - 1] = '\0';
	content = strip(l + 1);
	if (!*content || strchr(content, ':')) {
		lab_line_err(ld, line, "syntax error",
			     *content ? "':' is not allowed in a section header" : "empty section header");
		return;
	}
	grown = lab_grow(ld->pre, ld->n_pre, &ld->cap_pre, sizeof(*grown));
	if (!grown) {
		ld->oom = true;
		return;
	}
	ld->pre = grown;
	p = &ld->pre[ld->n_pre];
	memset(p, 0, sizeof(*p));
	p->line = line;
	p->offset = offset;
	p->entry = entry;
	p->first_key = ld->n_keys;
	p->written = strdup(content);
	p->ini = strdup(content);
	p->norm = normalize(content);
	if (!p->written || !p->ini || !p->norm) {
		free(p->written);
		free(p->ini);
		free(p->norm);
		ld->oom = true;
		return;
	}
	lab_lower(p->ini);
	ld->n_pre++;
	first = lab_strmap_put(&ld->pre_norm, 0, p->norm, ld->n_pre - 1, &found);
	if (!first) {
		ld->oom = true;
		return;
	}
	if (found) {
		/* iniparser would merge the two silently: the second one is a mistake. */
		p->duplicate = true;
		lab_add_err(ld, -EINVAL, lab_section_what(ld, p, w, sizeof(w)), "duplicate section",
			    err_fmt(d, sizeof(d), "first at line %u", ld->pre[*first].line));
	}
}

/*
 * iniparser 4.1 ends an unquoted value at the first ';' or '#' and a quoted one at the next quote,
 * silently: "name = a;b" would be read as "a". Such values are refused instead (a comment needs a
 * blank before it), and a quoted value must close its quote with nothing but a comment after it.
 */
static bool value_is_plain(const char *v, char *why, size_t len)
{
	const char *c;

	while (*v == ' ' || *v == '\t')
		v++;
	if (*v == '"' || *v == '\'') {
		const char *end = strchr(v + 1, *v);

		if (!end) {
			snprintf(why, len, "the quote %c is not closed", *v);
			return false;
		}
		for (c = end + 1; *c == ' ' || *c == '\t'; c++)
			;
		if (*c && *c != ';' && *c != '#') {
			snprintf(why, len, "text after the closing quote");
			return false;
		}
		return true;
	}
	for (c = v; *c; c++) {
		if (*c != ';' && *c != '#')
			continue;
		if (c > v && c[-1] != ' ' && c[-1] != '\t') {
			snprintf(why, len, "'%c' starts a comment here: put a blank before a comment", *c);
			return false;
		}
		break;
	}
	return true;
}

/* A key already under header pi: its index in ld->keys. */
static int pre_key_find(const struct loader *ld, unsigned pi, const char *key, unsigned *ret)
{
	const struct pre_section *p = &ld->pre[pi];

	if (p->indexed)
		return lab_strmap_get(&ld->pre_keys, pi, key, strlen(key), ret);
	for (unsigned i = p->first_key; i < p->first_key + p->n_keys; i++)
		if (strcmp(ld->keys[i].key, key) == 0) {
			*ret = i;
			return 0;
		}
	return -ENOENT;
}

static void pre_key(struct loader *ld, char *l, char *eq, unsigned line)
{
	char w[sizeof(((struct err *)0)->what)], d[96];
	struct pre_section *p;
	struct pre_key *grown;
	unsigned first;
	bool found;
	char *key;

	*eq = '\0';
	key = strip(l);
	if (!*key) {
		lab_line_err(ld, line, "syntax error", "a key is missing before '='");
		return;
	}
	if (ld->n_pre == 0) {
		lab_line_err(ld, line, "syntax error", "key outside any [section]");
		return;
	}
	lab_lower(key);
	p = &ld->pre[ld->n_pre - 1];
	if (!value_is_plain(eq + 1, d, sizeof(d))) {
		lab_add_err(ld, -EINVAL, lab_key_what(ld, p, key, NULL, true, w, sizeof(w)), "value cannot be read exactly", d);
		return;
	}
	if (!p->duplicate && pre_key_find(ld, ld->n_pre - 1, key, &first) == 0) {
		quoted_value(eq + 1);
		lab_add_err(ld, -EINVAL, lab_key_what(ld, p, key, strip(eq + 1), lab_key_is_secret(key), w, sizeof(w)),
			    "duplicate key", err_fmt(d, sizeof(d), "first set at line %u", ld->keys[first].line));
		return;
	}
	grown = lab_grow(ld->keys, ld->n_keys, &ld->cap_keys, sizeof(*grown));
	if (!grown) {
		ld->oom = true;
		return;
	}
	ld->keys = grown;
	ld->keys[ld->n_keys].key = strdup(key);
	if (!ld->keys[ld->n_keys].key) {
		ld->oom = true;
		return;
	}
	ld->keys[ld->n_keys].line = line;
	ld->n_keys++;
	p->n_keys++;
	if (p->duplicate || (!p->indexed && p->n_keys <= SECTION_SCAN_MAX))
		return;
	for (unsigned i = p->indexed ? ld->n_keys - 1 : p->first_key; i < ld->n_keys; i++)
		if (!lab_strmap_put(&ld->pre_keys, ld->n_pre - 1, ld->keys[i].key, i, &found))
			ld->oom = true;
	p->indexed = true;
}

/*
 * Only what iniparser cannot tell: where a line is wrong, which headers or keys repeat, the
 * headers as written. Mirrors iniparser 4.1's reading (trailing blanks stripped, a trailing
 * backslash joins the next line). Returns -EINVAL when iniparser must not see the file.
 */
int lab_prescan(struct loader *ld)
{
	const char *p = ld->text, *end = ld->text + ld->len;
	const char *nul = memchr(ld->text, '\0', ld->len);
	unsigned lineno = 0, entries = 0, section_keys = 0;
	char buf[LAB_LINE_MAX + 1];
	char d[64];

	if (nul) {
		unsigned line = 1;

		for (const char *q = ld->text; q < nul; q++)
			line += *q == '\n';
		lab_line_err(ld, line, "NUL byte in the file", "a lab file is text: is this a binary file?");
		return -EINVAL;
	}

	while (p < end && !ld->oom) {
		unsigned first = lineno + 1;
		size_t offset = (size_t)(p - ld->text);
		bool too_long = false, eof_continued = false;
		size_t used = 0;
		char *l, *eq;

		for (;;) {
			const char *nl = memchr(p, '\n', (size_t)(end - p));
			size_t n = nl ? (size_t)(nl - p) : (size_t)(end - p);
			bool cont;

			lineno++;
			while (n && isspace((unsigned char)p[n - 1]))
				n--;
			cont = n && p[n - 1] == '\\';
			if (cont)
				n--;
			if (used + n > LAB_LINE_MAX)
				too_long = true;
			else
				memcpy(buf + used, p, n), used += n;
			p = nl ? nl + 1 : end;
			if (!cont)
				break;
			if (p >= end) {
				eof_continued = true;
				break;
			}
		}
		buf[used] = '\0';
		if (too_long) {
			lab_line_err(ld, first, "line too long", err_fmt(d, sizeof(d), "at most %d characters", LAB_LINE_MAX));
			continue;
		}
		if (eof_continued) {
			lab_line_err(ld, first, "syntax error", "the last line ends with '\\' but nothing follows");
			continue;
		}
		l = strip(buf);
		if (!*l || *l == ';' || *l == '#')
			continue;
		if (++entries > LAB_ENTRIES_MAX) {
			lab_line_err(ld, first, "too many entries",
				     err_fmt(d, sizeof(d), "at most %d sections and keys", LAB_ENTRIES_MAX));
			return -EINVAL;
		}
		section_keys = *l == '[' ? 0 : section_keys + 1;
		if (section_keys > LAB_SECTION_KEYS_MAX) {
			lab_line_err(ld, first, "too many keys in one section",
				     err_fmt(d, sizeof(d), "at most %d", LAB_SECTION_KEYS_MAX));
			return -EINVAL;
		}
		if (*l == '[')
			pre_header(ld, l, first, offset, entries - 1);
		else if ((eq = strchr(l, '=')))
			pre_key(ld, l, eq, first);
		else
			lab_line_err(ld, first, "syntax error", "expected [section], key = value, or a ; or # comment");
	}
	if (ld->oom)
		return -ENOMEM;
	/* Duplicates are reported but iniparser copes with them; the rest it would refuse. */
	return ld->n_fatal ? -EINVAL : 0;
}
