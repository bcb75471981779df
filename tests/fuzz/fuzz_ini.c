/* SPDX-License-Identifier: MIT */
/*
 * libFuzzer harness for the INI reader (src/ini), which reads lab and state files: the input as
 * text (ini_read_text) and as a file (ini_read_fd). Beyond "no crash, no leak":
 *   - a refused text comes with at least one mistake, each printable and naming the file;
 *   - iniparser never disagrees with the pre-scan nor fails on what it was handed (the pre-scan's
 *     promise: it would have printed to stderr);
 *   - an accepted document is consistent: every key in exactly one section, in file order, found
 *     again by ini_section_find/ini_key_find, sections unique by norm;
 *   - both ways of reading give the same document and the same mistakes.
 */
#include <errno.h>
#include <fcntl.h>

#include "fuzz_common.h"
#include "ini/ini.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

struct seen {
	unsigned n;
	unsigned long sum;      /* of lines and text lengths: the two reads must agree */
};

static void mistake(void *ud, const struct ini_place *at, int errnum, const char *msg, const char *detail)
{
	char what_buf[1024];
	const char *what = ini_place_text(at, what_buf, sizeof(what_buf));
	unsigned line = at->line;

	struct seen *s = ud;
	struct err e = { 0 };

	if (errnum >= 0 || !what || !msg || !*msg || strncmp(what, "f.ini", 5) != 0)
		abort();
	/* The pre-scan let through a line iniparser reads otherwise or refuses. */
	if (strstr(msg, "iniparser"))
		abort();
	err_set(&e, errnum, what, "%s", msg);
	if (detail)
		err_detail(&e, "%s", detail);
	fuzz_check_err(&e, errnum);
	s->n++;
	s->sum += line + strlen(what) + strlen(msg) + (detail ? strlen(detail) : 0);
}

static bool secret(const char *key)
{
	return strcmp(key, "shared_key") == 0;
}

static void check_doc(const struct ini_doc *d)
{
	unsigned next = 0;

	for (unsigned i = 0; i < d->n_sections; i++) {
		const struct ini_section *s = &d->sections[i];
		char norm[1100];

		if (s->first != next || s->n > d->n_keys - next || !*s->name || !*s->norm)
			abort();
		if (strcmp(ini_normalize(s->name, norm, sizeof(norm)), s->norm) != 0 || ini_section_find(d, s->norm) != s)
			abort();
		if (i > 0 && s->line <= d->sections[i - 1].line)
			abort();
		for (unsigned k = s->first; k < s->first + s->n; k++) {
			const struct ini_key *key = &d->keys[k];

			if (!key->key[0] || key->line <= s->line || (k > s->first && key->line <= key[-1].line))
				abort();
			if (ini_key_find(d, s, key->key) != key)
				abort();
		}
		next += s->n;
	}
	if (next != d->n_keys)
		abort();
}

static bool same_doc(const struct ini_doc *a, const struct ini_doc *b)
{
	if (a->n_sections != b->n_sections || a->n_keys != b->n_keys)
		return false;
	for (unsigned i = 0; i < a->n_sections; i++)
		if (strcmp(a->sections[i].name, b->sections[i].name) != 0 || a->sections[i].n != b->sections[i].n)
			return false;
	for (unsigned i = 0; i < a->n_keys; i++)
		if (strcmp(a->keys[i].key, b->keys[i].key) != 0 || strcmp(a->keys[i].value, b->keys[i].value) != 0 ||
		    a->keys[i].line != b->keys[i].line)
			return false;
	return true;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const struct ini_limits lim = { .secret = secret, .noun = "fuzz file" };
	struct seen s1 = { 0 }, s2 = { 0 };
	struct ini_doc d1, d2;
	char path[4096];
	int r1, r2, fd;

	r1 = ini_read_text((const char *)data, size, "f.ini", &lim, &d1, mistake, &s1);
	if (r1 < 0 && s1.n == 0)
		abort();   /* refused without a word */
	if (r1 < 0 && (d1.sections || d1.keys || d1.n_sections || d1.n_keys))
		abort();   /* a refused text left a document behind */
	if (r1 == 0)
		check_doc(&d1);

	fuzz_write_temp(data, size, ".ini", path);
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		abort();
	r2 = ini_read_fd(fd, "f.ini", path, &lim, &d2, mistake, &s2);
	close(fd);
	unlink(path);
	if (r1 != r2 || s1.n != s2.n || s1.sum != s2.sum || (r1 == 0 && !same_doc(&d1, &d2)))
		abort();

	if (r1 == 0) {
		ini_doc_free(&d1);
		ini_doc_free(&d2);
	}
	return 0;
}
