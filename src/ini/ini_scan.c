/* SPDX-License-Identifier: MIT */
/*
 * The pre-scan, before iniparser sees the text: what iniparser cannot tell (line numbers, duplicate
 * headers and keys, headers as written) and every line it would refuse, complain about on stderr,
 * or read otherwise than it looks. It finds structure and mistakes only: the values are
 * iniparser's to read (ini_values.c).
 */
#include <ctype.h>
#include <errno.h>
#include <string.h>
#include <strings.h>

#include "ini/ini_int.h"

/*
 * iniparser 4.1 reads each physical line with fgets() into what its 1024-byte buffer has left after
 * the lines joined before it: a line that does not fit, trailing blanks and '\r' included, makes it
 * print "input line too long" and give up on the file.
 */
#define INI_RAW_MAX 1022

/* iniparser's isspace() on the same bytes: in the C locale no byte past 0x7f is blank to either. */
static bool blank(char c)
{
	return isspace((unsigned char)c);
}

static char *strip(char *s)
{
	char *end;

	while (blank(*s))
		s++;
	end = s + strlen(s);
	while (end > s && blank(end[-1]))
		*--end = '\0';
	return s;
}

static void lower(char *s)
{
	for (; *s; s++)
		*s = (char)tolower((unsigned char)*s);
}

const char *ini_normalize(const char *s, char *buf, size_t len)
{
	bool gap = false;
	size_t o = 0;

	if (len == 0)
		return buf;
	for (; *s && o + 1 < len; s++) {
		if (blank(*s)) {
			gap = true;
			continue;
		}
		if (gap && o > 0) {
			buf[o++] = ' ';
			if (o + 1 >= len)
				break;
		}
		gap = false;
		buf[o++] = (char)tolower((unsigned char)*s);
	}
	buf[o] = '\0';
	return buf;
}

struct logical {
	unsigned first;             /* its first line */
	size_t start, end;          /* in the text: its first byte, the end of its last line (no '\n') */
	size_t used;                /* joined characters in the buffer */
	bool too_long, eof_continued;
};

/*
 * The next logical line into buf (INI_RAW_MAX + 2 bytes), joined as iniparser 4.1 joins it: a
 * physical line is appended where the previous one's '\\' was, trailing blanks are stripped from
 * the whole buffer (so they may reach back into the line before), and a '\\' then at the end joins
 * the next line again. "k = a\\\\" followed by an empty line therefore goes on into the line
 * after, as iniparser reads it. Returns where the following line starts.
 */
static const char *next_line(const struct ini_reader *rd, const char *p, unsigned *lineno, char *buf,
			     struct logical *lg)
{
	const char *end = rd->text + rd->len;

	*lg = (struct logical){ .first = *lineno + 1, .start = (size_t)(p - rd->text) };
	for (;;) {
		const char *nl = memchr(p, '\n', (size_t)(end - p));
		size_t r = nl ? (size_t)(nl - p) : (size_t)(end - p);
		bool cont;

		++*lineno;
		if (!lg->too_long && lg->used + r > INI_RAW_MAX)
			lg->too_long = true;
		if (!lg->too_long) {
			memcpy(buf + lg->used, p, r);
			lg->used += r;
			while (lg->used && blank(buf[lg->used - 1]))
				lg->used--;
			cont = lg->used && buf[lg->used - 1] == '\\';
			if (cont)
				lg->used--;
			if (lg->used > rd->lim.max_line)
				lg->too_long = true;
		} else {
			/* Refused anyway: its own last character says whether the line goes on. */
			size_t n = r;

			while (n && blank(p[n - 1]))
				n--;
			cont = n && p[n - 1] == '\\';
		}
		lg->end = (size_t)(p + r - rd->text);
		p = nl ? nl + 1 : end;
		if (!cont)
			return p;
		if (p >= end) {
			lg->eof_continued = true;
			return p;
		}
	}
}

struct sec_query {
	const struct ini_reader *rd;
	const char *s;
};

static bool same_norm(const void *ctx, unsigned val)
{
	const struct sec_query *q = ctx;

	return strcmp(q->rd->strs.v + q->rd->secs[val].norm, q->s) == 0;
}

/* iniparser files a section under its name lowercased: equal names ignoring case are one to it. */
static bool same_name(const void *ctx, unsigned val)
{
	const struct sec_query *q = ctx;

	return strcasecmp(q->rd->strs.v + q->rd->heads[val].name, q->s) == 0;
}

static int header(struct ini_reader *rd, char *l, unsigned line, size_t start)
{
	char norm[INI_RAW_MAX + 2];
	struct sec_query q = { .rd = rd };
	struct ini_head *h;
	struct ini_sec *s;
	size_t len = strlen(l);
	uint32_t hash, name_hash, *found;
	unsigned hi = rd->n_heads;
	char *content;
	int r;

	if (len < 2 || l[len - 1] != ']' || strchr(l, ']') != l + len - 1 || strchr(l + 1, '['))
		return ini_mistake(rd, MK_HEADER_FORM, line, INI_NONE, 0, 0, 0);
	l[len - 1] = '\0';
	content = strip(l + 1);
	if (!*content)
		return ini_mistake(rd, MK_HEADER_EMPTY, line, INI_NONE, 0, 0, 0);
	if (strchr(content, ':'))
		return ini_mistake(rd, MK_HEADER_COLON, line, INI_NONE, 0, 0, 0);

	h = ini_grow(rd->heads, rd->n_heads, &rd->cap_heads, sizeof(*h));
	if (!h)
		return -ENOMEM;
	rd->heads = h;
	h = &rd->heads[hi];
	*h = (struct ini_head){ .start = start, .line = line, .same = hi, .slice = INI_NONE, .first = rd->n_ents };
	r = ini_strs_add(&rd->strs, content, strlen(content), &h->name);
	if (r < 0)
		return r;
	rd->n_heads++;

	name_hash = ini_hash(0, content, strlen(content));
	ini_normalize(content, norm, sizeof(norm));
	q.s = norm;
	hash = ini_hash(0, norm, strlen(norm));
	found = ini_map_find(&rd->sec_map, hash, same_norm, &q);
	if (found) {
		/* iniparser would merge the two silently: the second one is a mistake; its keys join the first. */
		h->sec = *found;
		q.s = content;
		found = ini_map_find(&rd->same_map, name_hash, same_name, &q);
		if (found)
			h->same = *found;
		else if ((r = ini_map_add(&rd->same_map, name_hash, hi)) < 0)
			return r;
		return ini_mistake(rd, MK_DUP_SECTION, line, hi, rd->heads[rd->secs[h->sec].head].line, 0, 0);
	}
	s = ini_grow(rd->secs, rd->n_secs, &rd->cap_secs, sizeof(*s));
	if (!s)
		return -ENOMEM;
	rd->secs = s;
	rd->secs[rd->n_secs] = (struct ini_sec){ .head = hi };
	r = ini_strs_add(&rd->strs, norm, strlen(norm), &rd->secs[rd->n_secs].norm);
	if (r < 0)
		return r;
	h->sec = rd->n_secs++;
	r = ini_map_add(&rd->sec_map, hash, h->sec);
	if (r < 0)
		return r;
	/* A new norm is a new name too; kept for the repeats to come. */
	return ini_map_add(&rd->same_map, name_hash, hi);
}

/*
 * iniparser 4.1 ends an unquoted value at the first ';' or '#' and a quoted one at the next quote,
 * silently: "name = a;b" would be read as "a". Such values are refused instead (a comment needs a
 * blank before it), and a quoted value must close its quote with nothing but a comment after it.
 * Blanks are iniparser's (sscanf's): any isspace(), not only ' ' and '\t'.
 * Returns 0, or the mistake (MK_UNCLOSED_QUOTE ...) with its character in *ch.
 */
static unsigned value_kind(const char *v, char *ch)
{
	const char *c;

	while (blank(*v))
		v++;
	if (*v == '"' || *v == '\'') {
		const char *close = strchr(v + 1, *v);

		*ch = *v;
		if (!close)
			return MK_UNCLOSED_QUOTE;
		for (c = close + 1; blank(*c); c++)
			;
		return *c && *c != ';' && *c != '#' ? MK_AFTER_QUOTE : 0;
	}
	for (c = v; *c; c++) {
		if (*c != ';' && *c != '#')
			continue;
		*ch = *c;
		return c > v && !blank(c[-1]) ? MK_GLUED_COMMENT : 0;
	}
	return 0;
}

struct key_query {
	const struct ini_reader *rd;
	unsigned sec;
	const char *key;
};

static bool same_key(const void *ctx, unsigned val)
{
	const struct key_query *q = ctx;
	const struct ini_ent *e = &q->rd->ents[val];

	return q->rd->heads[e->head].sec == q->sec && strcmp(q->rd->strs.v + e->key, q->key) == 0;
}

static int key(struct ini_reader *rd, char *l, char *eq, const struct logical *lg)
{
	struct key_query q = { .rd = rd };
	struct ini_ent *e;
	uint32_t hash, *found;
	unsigned hi, kind;
	size_t koff;
	char ch = 0;
	char *k;
	int r;

	*eq = '\0';
	k = strip(l);
	if (!*k)
		return ini_mistake(rd, MK_NO_KEY, lg->first, INI_NONE, 0, 0, 0);
	if (rd->n_heads == 0)
		return ini_mistake(rd, MK_OUTSIDE, lg->first, INI_NONE, 0, 0, 0);
	lower(k);
	hi = rd->n_heads - 1;
	q.sec = rd->heads[hi].sec;
	q.key = k;
	hash = ini_hash(q.sec, k, strlen(k));
	found = ini_map_find(&rd->key_map, hash, same_key, &q);
	if (found)
		koff = rd->ents[*found].key;
	else if ((r = ini_strs_add(&rd->strs, k, strlen(k), &koff)) < 0)
		return r;
	kind = value_kind(eq + 1, &ch);
	if (kind && (r = ini_mistake(rd, kind, lg->first, hi, 0, koff, ch)) < 0)
		return r;

	if (found) {
		struct ini_drop *d;

		d = ini_grow(rd->drops, rd->n_drops, &rd->cap_drops, sizeof(*d));
		if (!d)
			return -ENOMEM;
		rd->drops = d;
		d = &rd->drops[rd->n_drops++];
		*d = (struct ini_drop){ .key = koff, .value = INI_NO_VALUE, .start = lg->start, .end = lg->end,
					.head = hi, .line = lg->first, .first_line = rd->ents[*found].line };
		/*
		 * A value iniparser would cut was reported as such: one mistake for the line is enough. Under
		 * a repeated header, the "duplicate section" said it all (a lab has always reported it once).
		 */
		if (kind || rd->secs[q.sec].head != hi)
			return 0;
		d->show = !(rd->lim.secret && rd->lim.secret(k));
		return ini_mistake(rd, MK_DUP_KEY, lg->first, hi, rd->n_drops - 1, koff, 0);
	}

	/* Kept even when its value is cut: iniparser's reading is what the caller checks next. */
	e = ini_grow(rd->ents, rd->n_ents, &rd->cap_ents, sizeof(*e));
	if (!e)
		return -ENOMEM;
	rd->ents = e;
	rd->ents[rd->n_ents] = (struct ini_ent){ .key = koff, .value = INI_NO_VALUE, .start = lg->start,
						 .end = lg->end, .head = hi, .line = lg->first };
	r = ini_map_add(&rd->key_map, hash, rd->n_ents);
	if (r < 0)
		return r;
	rd->n_ents++;
	rd->heads[hi].n++;
	return 0;
}

static unsigned line_of(const char *text, const char *at)
{
	unsigned line = 1;

	for (const char *q = text; q < at; q++)
		line += *q == '\n';
	return line;
}

int ini_scan(struct ini_reader *rd)
{
	const char *p = rd->text, *end = rd->text + rd->len;
	const char *nul = memchr(rd->text, '\0', rd->len);
	unsigned lineno = 0, entries = 0, section_keys = 0;
	char buf[INI_RAW_MAX + 2];
	int r = 0;

	/* fgets() would read on past it and strlen() stop there: nothing after it could be trusted. */
	if (nul) {
		r = ini_mistake(rd, MK_NUL, line_of(rd->text, nul), INI_NONE, 0, 0, 0);
		return r < 0 ? r : -EINVAL;
	}

	while (p < end) {
		struct logical lg;
		char *l, *eq;

		p = next_line(rd, p, &lineno, buf, &lg);
		if (lg.too_long || lg.eof_continued) {
			r = ini_mistake(rd, lg.too_long ? MK_TOO_LONG : MK_EOF_CONTINUED, lg.first, INI_NONE, 0, 0, 0);
			if (r < 0)
				return r;
			continue;
		}
		buf[lg.used] = '\0';
		l = buf;
		while (blank(*l))
			l++;
		if (!*l || *l == ';' || *l == '#')
			continue;
		/* Hard limits: they bound what a hostile file costs, so the scan stops there. */
		if (++entries > rd->lim.max_entries) {
			r = ini_mistake(rd, MK_TOO_MANY_ENTRIES, lg.first, INI_NONE, 0, 0, 0);
			return r < 0 ? r : -EINVAL;
		}
		section_keys = *l == '[' ? 0 : section_keys + 1;
		if (section_keys > rd->lim.max_section_keys) {
			r = ini_mistake(rd, MK_TOO_MANY_KEYS, lg.first, INI_NONE, 0, 0, 0);
			return r < 0 ? r : -EINVAL;
		}
		if (*l == '[')
			r = header(rd, l, lg.first, lg.start);
		else if ((eq = strchr(l, '=')))
			r = key(rd, l, eq, &lg);
		else
			r = ini_mistake(rd, MK_LINE_FORM, lg.first, INI_NONE, 0, 0, 0);
		if (r < 0)
			return r;
	}
	return rd->n_fatal ? -EINVAL : 0;
}
