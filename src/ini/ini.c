/* SPDX-License-Identifier: MIT */
/*
 * The reader's pipeline: the text read from the caller's file (or given), the pre-scan
 * (ini_scan.c), iniparser (ini_values.c), the document (ini_doc.c), the mistakes in words
 * (ini_report.c); and the arena and arrays they all fill.
 */
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
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
		r = ini_doc_build(rd, ret);
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
	ini_report(&rd, err, ud);
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
	ini_report(&rd, err, ud);
	reader_free(&rd);
	return r;
}
