/* SPDX-License-Identifier: MIT */
/*
 * The reader's pipeline and its document: the text read from the caller's file, the pre-scan
 * (ini_scan.c), iniparser (ini_values.c), then the document built from both, and every mistake
 * reported in line order with the words the lab loader has always used for it.
 */
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <unistd.h>

#include "core/err.h"
#include "ini/ini_int.h"

/* ---- the reader's storage ---- */

/* p[0..len) and a NUL onto the arena; its offset in *ret. */
int ini_strs_add(struct ini_strs *s, const char *p, size_t len, size_t *ret)
{
	if (len + 1 > s->cap - s->n) {
		size_t cap = s->cap ? s->cap : 4096;
		char *v;

		while (len + 1 > cap - s->n) {
			if (cap > SIZE_MAX / 2)
				return -ENOMEM;
			cap *= 2;
		}
		v = realloc(s->v, cap);
		if (!v)
			return -ENOMEM;
		s->v = v;
		s->cap = cap;
	}
	memcpy(s->v + s->n, p, len);
	s->v[s->n + len] = '\0';
	*ret = s->n;
	s->n += len + 1;
	return 0;
}

/* Room for element n of an array of *cap: doubles. Returns the array (maybe moved) or NULL. */
void *ini_grow(void *v, unsigned n, unsigned *cap, size_t size)
{
	unsigned c;
	void *g;

	if (n < *cap)
		return v;
	if (*cap > UINT32_MAX / 4)
		return NULL;
	c = *cap ? *cap * 2 : 16;
	g = reallocarray(v, c, size);
	if (g)
		*cap = c;
	return g;
}

int ini_mistake(struct ini_reader *rd, unsigned kind, unsigned line, unsigned head, unsigned aux, size_t key,
		char ch)
{
	struct ini_mistake *m = ini_grow(rd->mistakes, rd->n_mistakes, &rd->cap_mistakes, sizeof(*m));

	if (!m)
		return -ENOMEM;
	rd->mistakes = m;
	rd->mistakes[rd->n_mistakes++] =
		(struct ini_mistake){ .kind = kind, .line = line, .head = head, .aux = aux, .key = key, .ch = ch };
	if (kind < MK_DUP_SECTION)
		rd->n_fatal++;
	return 0;
}

/* The first failure of the whole read is the one worth telling. Returns errnum. */
int ini_fail(struct ini_reader *rd, int errnum, const char *msg, const char *detail)
{
	if (!rd->sys_errnum) {
		rd->sys_errnum = errnum;
		err_fmt(rd->sys_msg, sizeof(rd->sys_msg), "%s", msg);
		err_fmt(rd->sys_detail, sizeof(rd->sys_detail), "%s", detail ? detail : "");
	}
	return errnum;
}

/* ---- messages ---- */

/* A path, a header and a key (each up to a line), and a value as err_show() cuts it. */
#define WHAT_MAX (4096 + 2 * INI_LINE_MAX + ERR_SHOW_MAX + 64)

/* One mistake in the lab loader's words: what names the file and line, or the section and key. */
static void report(const struct ini_reader *rd, const struct ini_mistake *m, ini_error_fn err, void *ud)
{
	char what[WHAT_MAX], d[160], shown[ERR_SHOW_MAX + 4];
	const char *sec = "", *key = "", *msg = "syntax error", *detail = NULL;
	const struct ini_drop *drop = m->kind == MK_DUP_KEY ? &rd->drops[m->aux] : NULL;

	/* Only an entry's mistake has a header, and only a key's a key: the arena may be empty. */
	if (m->head != INI_NONE) {
		sec = rd->strs.v + rd->heads[m->head].name;
		if (m->kind > MK_DUP_SECTION)
			key = rd->strs.v + m->key;
	}

	switch (m->kind) {
	case MK_NUL:
		msg = "NUL byte in the file";
		detail = err_fmt(d, sizeof(d), "a %s is text: is this a binary file?", rd->lim.noun);
		break;
	case MK_TOO_LONG:
		msg = "line too long";
		detail = err_fmt(d, sizeof(d), "at most %u characters", rd->lim.max_line);
		break;
	case MK_HEADER_FORM:
		detail = "a section header is [kind id ...] on a line of its own";
		break;
	case MK_HEADER_COLON:
		detail = "':' is not allowed in a section header";
		break;
	case MK_HEADER_EMPTY:
		detail = "empty section header";
		break;
	case MK_NO_KEY:
		detail = "a key is missing before '='";
		break;
	case MK_OUTSIDE:
		detail = "key outside any [section]";
		break;
	case MK_EOF_CONTINUED:
		detail = "the last line ends with '\\' but nothing follows";
		break;
	case MK_LINE_FORM:
		detail = "expected [section], key = value, or a ; or # comment";
		break;
	case MK_TOO_MANY_ENTRIES:
		msg = "too many entries";
		detail = err_fmt(d, sizeof(d), "at most %u sections and keys", rd->lim.max_entries);
		break;
	case MK_TOO_MANY_KEYS:
		msg = "too many keys in one section";
		detail = err_fmt(d, sizeof(d), "at most %u", rd->lim.max_section_keys);
		break;
	case MK_DIFFERENT:
		msg = "iniparser could not read the file";
		detail = "it reads this line otherwise than erlab's pre-scan: please report this";
		break;
	case MK_DUP_SECTION:
		msg = "duplicate section";
		detail = err_fmt(d, sizeof(d), "first at line %u", m->aux);
		break;
	case MK_UNCLOSED_QUOTE:
	case MK_AFTER_QUOTE:
	case MK_GLUED_COMMENT:
		msg = "value cannot be read exactly";
		detail = m->kind == MK_UNCLOSED_QUOTE ? err_fmt(d, sizeof(d), "the quote %c is not closed", m->ch) :
			 m->kind == MK_AFTER_QUOTE ? "text after the closing quote" :
			 err_fmt(d, sizeof(d), "'%c' starts a comment here: put a blank before a comment", m->ch);
		break;
	case MK_DUP_KEY:
		msg = "duplicate key";
		detail = err_fmt(d, sizeof(d), "first set at line %u", drop->first_line);
		break;
	}

	if (m->kind < MK_DUP_SECTION)
		err_fmt(what, sizeof(what), "%s:%u", rd->file, m->line);
	else if (m->kind == MK_DUP_SECTION)
		err_fmt(what, sizeof(what), "%s [%s]", rd->file, sec);
	else if (drop && drop->show && drop->value != INI_NO_VALUE)
		err_fmt(what, sizeof(what), "%s [%s] %s=%s", rd->file, sec, key, err_show(rd->strs.v + drop->value, shown));
	else
		err_fmt(what, sizeof(what), "%s [%s] %s", rd->file, sec, key);
	err(ud, m->line, -EINVAL, what, msg, detail);
}

static void report_all(const struct ini_reader *rd, ini_error_fn err, void *ud)
{
	if (!err)
		return;
	for (unsigned i = 0; i < rd->n_mistakes; i++)
		report(rd, &rd->mistakes[i], err, ud);
	if (rd->sys_errnum)
		err(ud, 0, rd->sys_errnum, rd->file, rd->sys_msg, rd->sys_detail[0] ? rd->sys_detail : NULL);
}

/* ---- the document ---- */

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
static int build(struct ini_reader *rd, struct ini_doc *doc)
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

/* ---- reading ---- */

static void reader_init(struct ini_reader *rd, const char *file, const struct ini_limits *lim)
{
	memset(rd, 0, sizeof(*rd));
	rd->file = file ? file : "(text)";
	rd->fd = -1;
	if (lim)
		rd->lim = *lim;
	if (!rd->lim.max_bytes)
		rd->lim.max_bytes = INI_DEFAULT_MAX_BYTES;
	/* Room to read one byte past the limit, and a NUL after it. */
	if (rd->lim.max_bytes > SIZE_MAX / 4)
		rd->lim.max_bytes = SIZE_MAX / 4;
	if (!rd->lim.max_line || rd->lim.max_line > INI_LINE_MAX)
		rd->lim.max_line = INI_LINE_MAX;
	if (!rd->lim.max_entries)
		rd->lim.max_entries = INI_DEFAULT_MAX_ENTRIES;
	/* Entries are numbered in 32 bits, INI_MAP_NONE apart. */
	if (rd->lim.max_entries >= INI_MAP_NONE)
		rd->lim.max_entries = INI_MAP_NONE - 1;
	if (!rd->lim.max_section_keys)
		rd->lim.max_section_keys = INI_DEFAULT_MAX_SECTION_KEYS;
	if (!rd->lim.noun)
		rd->lim.noun = "file";
}

static void reader_free(struct ini_reader *rd)
{
	ini_map_free(&rd->key_map);
	ini_map_free(&rd->same_map);
	ini_map_free(&rd->sec_map);
	free(rd->secs);
	free(rd->mistakes);
	free(rd->drops);
	free(rd->ents);
	free(rd->heads);
	if (!rd->strs_given)
		free(rd->strs.v);
	free(rd->text);
}

/* The pre-scan, iniparser, the document. */
static int run(struct ini_reader *rd, struct ini_doc *ret)
{
	int r, v;

	r = ini_scan(rd);
	if (r == -ENOMEM)
		goto out;
	/* Even when the text cannot be read, a repeated key's message shows the value of its own line. */
	v = ini_values(rd, r == 0);
	if (r == 0 || v == -ENOMEM)
		r = v;
	if (r == 0)
		r = build(rd, ret);
out:
	if (r == -ENOMEM)
		ini_fail(rd, -ENOMEM, "out of memory", NULL);
	return r;
}

static int cannot_read(struct ini_reader *rd, int errnum)
{
	char m[200];

	return ini_fail(rd, errnum, err_fmt(m, sizeof(m), "cannot read the %s: %s", rd->lim.noun, strerror(-errnum)),
			NULL);
}

static int read_file(struct ini_reader *rd, int fd)
{
	size_t max = rd->lim.max_bytes, cap, used = 0;
	char m[200], d[64];
	struct stat st;
	char *t;

	if (fstat(fd, &st) < 0)
		return cannot_read(rd, -errno);
	if (!S_ISREG(st.st_mode))
		return ini_fail(rd, -EINVAL, "not a regular file",
				S_ISDIR(st.st_mode) ? "it is a directory" :
						      err_fmt(d, sizeof(d), "a %s is a plain file", rd->lim.noun));
	if ((uintmax_t)st.st_size > max)
		return ini_fail(rd, -EFBIG, err_fmt(m, sizeof(m), "file too large: %lld bytes", (long long)st.st_size),
				err_fmt(d, sizeof(d), "at most %zu bytes", max));

	/* One byte past the limit is read to notice a file that grew since fstat(). */
	cap = (size_t)st.st_size + 1 < 4096 ? 4096 : (size_t)st.st_size + 1;
	if (cap > max + 1)
		cap = max + 1;
	rd->text = malloc(cap + 1);
	if (!rd->text)
		return ini_fail(rd, -ENOMEM, "out of memory", NULL);
	for (;;) {
		ssize_t n;

		if (used == cap) {
			if (cap > max)
				break;
			cap = cap > (max + 1) / 2 ? max + 1 : cap * 2;
			t = realloc(rd->text, cap + 1);
			if (!t)
				return ini_fail(rd, -ENOMEM, "out of memory", NULL);
			rd->text = t;
		}
		/* From the start whatever the caller did with the offset. */
		n = pread(fd, rd->text + used, cap - used, (off_t)used);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			return cannot_read(rd, -errno);
		if (n == 0)
			break;
		used += (size_t)n;
	}
	if (used > max)
		return ini_fail(rd, -EFBIG, "file too large", err_fmt(d, sizeof(d), "at most %zu bytes", max));
	rd->text[used] = '\0';
	rd->len = used;
	return 0;
}

int ini_read_fd(int fd, const char *file, const char *path, const struct ini_limits *lim, struct ini_doc *ret,
		ini_error_fn err, void *ud)
{
	struct ini_reader rd;
	int r;

	memset(ret, 0, sizeof(*ret));
	reader_init(&rd, file, lim);
	rd.fd = fd;
	rd.path = path;
	r = read_file(&rd, fd);
	if (r == 0)
		r = run(&rd, ret);
	report_all(&rd, err, ud);
	reader_free(&rd);
	return r;
}

int ini_read_text(const char *text, size_t len, const char *file, const struct ini_limits *lim, struct ini_doc *ret,
		  ini_error_fn err, void *ud)
{
	struct ini_reader rd;
	char m[200], d[64];
	int r;

	memset(ret, 0, sizeof(*ret));
	reader_init(&rd, file, lim);
	if (len > rd.lim.max_bytes) {
		r = ini_fail(&rd, -EFBIG, err_fmt(m, sizeof(m), "file too large: %zu bytes", len),
			     err_fmt(d, sizeof(d), "at most %zu bytes", rd.lim.max_bytes));
		goto out;
	}
	rd.text = malloc(len + 1);
	if (!rd.text) {
		r = ini_fail(&rd, -ENOMEM, "out of memory", NULL);
		goto out;
	}
	memcpy(rd.text, text, len);
	rd.text[len] = '\0';
	rd.len = len;
	r = run(&rd, ret);
out:
	report_all(&rd, err, ud);
	reader_free(&rd);
	return r;
}
