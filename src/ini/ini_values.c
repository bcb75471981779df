/* SPDX-License-Identifier: MIT */
/*
 * iniparser 4.1 reads the values. Its dictionary scans every slot on each insert, so it is handed
 * the text in slices of about INI_SLICE_ENTRIES entries, each starting at a header, through one
 * memfd that it opens as /proc/self/fd/N (it only reads named files): the whole read stays linear.
 *
 * The pre-scan (ini_scan.c) knows every header and key iniparser will meet, in order, so each
 * dictionary is walked once alongside them: entry by entry, its name must be the one expected and
 * its value goes to the key and line the pre-scan found. A dictionary keeps entries in the order
 * they were first set (it never deletes), a repeated header adds none, and repeated keys are
 * blanked out of the text first, so the walk needs no lookup; a name that differs would mean the
 * pre-scan misread a line, and is reported rather than trusted.
 */
#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/types.h>
#include <unistd.h>

#include <iniparser/iniparser.h>

#include "core/err.h"
#include "ini/ini_int.h"

/* About this many entries a slice: iniparser's cost is quadratic in a slice, linear in their number. */
#define INI_SLICE_ENTRIES 256

/* The memfd every slice goes through, and the name iniparser opens it by. */
struct feed {
	int fd;
	char name[64];
};

/* 0, or -errno when there is no memfd or no /proc to name it: then iniparser reads the file itself. */
static int feed_open(struct feed *f)
{
	f->fd = memfd_create("erlab-ini", MFD_CLOEXEC);
	if (f->fd < 0)
		return -errno;
	err_fmt(f->name, sizeof(f->name), "/proc/self/fd/%d", f->fd);
	/* iniparser prints to stderr when it cannot open what it is given: check first. */
	if (access(f->name, R_OK) < 0) {
		int r = -errno;

		close(f->fd);
		f->fd = -1;
		return r;
	}
	return 0;
}

/* Is memory short right now? A mapping of 1 MiB is refused under a tight RLIMIT_AS or when the
 * machine is out: then what iniparser did not deliver is taken as its allocation that failed. */
static bool short_of_memory(void)
{
	void *probe = malloc(1u << 20);

	free(probe);
	return probe == NULL;
}

static int feed_load(struct ini_reader *rd, const struct feed *f, const char *text, size_t len, dictionary **ret)
{
	char m[160];
	size_t done = 0;
	int r;

	if (ftruncate(f->fd, 0) < 0)
		goto fail;
	while (done < len) {
		ssize_t n = pwrite(f->fd, text + done, len - done, (off_t)done);

		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			goto fail;
		done += (size_t)n;
	}
	*ret = iniparser_load(f->name);
	/* The pre-scan left it nothing to refuse: out of memory, or it could not open the memfd. */
	if (!*ret)
		return short_of_memory() ? ini_fail(rd, -ENOMEM, "out of memory", NULL)
					 : ini_fail(rd, -EINVAL, "iniparser could not read the file", NULL);
	return 0;

fail:
	r = -errno;
	return ini_fail(rd, r, err_fmt(m, sizeof(m), "cannot hand the text to iniparser: %s", strerror(-r)), NULL);
}

/* The entries of a dictionary in the order they were set. */
struct walk {
	const dictionary *d;
	ssize_t i;
};

static const char *walk_next(struct walk *w, const char **ret_val)
{
	for (; w->i < w->d->size; w->i++)
		if (w->d->key[w->i]) {
			*ret_val = w->d->val[w->i];
			return w->d->key[w->i++];
		}
	return NULL;
}

/* Is k "name" lowercased, followed by ":key" when key is set? (How iniparser 4.1 names an entry.) */
static bool entry_is(const char *k, const char *name, const char *key)
{
	for (; *name; k++, name++)
		if (*k != (char)tolower((unsigned char)*name))
			return false;
	if (!key)
		return *k == '\0';
	return *k == ':' && strcmp(k + 1, key) == 0;
}

static int different(struct ini_reader *rd, unsigned line)
{
	int r;

	/* iniparser 4.1 loses an entry silently when an allocation fails (its strdup goes unchecked):
	 * short of memory, that is far likelier than a line it reads otherwise. */
	if (short_of_memory())
		return ini_fail(rd, -ENOMEM, "out of memory", NULL);
	r = ini_mistake(rd, MK_DIFFERENT, line, INI_NONE, 0, 0, 0);

	return r < 0 ? r : -EINVAL;
}

/* A value into the arena. iniparser sets every key to a string: NULL is a strdup() it lost. */
static int take_value(struct ini_reader *rd, const char *v, size_t *ret)
{
	return v ? ini_strs_add(&rd->strs, v, strlen(v), ret) : -ENOMEM;
}

/* The dictionary of headers h0 .. h1 (slice number `slice`) onto their keys. */
static int take_slice(struct ini_reader *rd, const dictionary *d, unsigned h0, unsigned h1, unsigned slice)
{
	struct walk w = { .d = d };
	const char *k, *v;
	int r;

	for (unsigned h = h0; h < h1; h++) {
		const struct ini_head *hd = &rd->heads[h];
		struct ini_head *same = &rd->heads[hd->same];

		/* Declared again in the same dictionary: iniparser adds nothing for it. */
		if (same->slice != slice) {
			same->slice = slice;
			k = walk_next(&w, &v);
			if (!k || !entry_is(k, rd->strs.v + hd->name, NULL))
				return different(rd, hd->line);
		}
		for (unsigned e = hd->first; e < hd->first + hd->n; e++) {
			struct ini_ent *ent = &rd->ents[e];

			k = walk_next(&w, &v);
			if (!k || !entry_is(k, rd->strs.v + hd->name, rd->strs.v + ent->key))
				return different(rd, ent->line);
			r = take_value(rd, v, &ent->value);
			if (r < 0)
				return r;
		}
	}
	if (walk_next(&w, &v))
		return different(rd, rd->heads[h0].line);
	return 0;
}

/* Every key, slice by slice. Repeated keys are blanked out of the text by now. */
static int key_values(struct ini_reader *rd, const struct feed *f)
{
	unsigned slice = 0;

	for (unsigned h = 0; h < rd->n_heads; slice++) {
		unsigned e = h, entries = 0;
		size_t start = rd->heads[h].start, end;
		dictionary *d = NULL;
		int r;

		/* A slice starts at a header: iniparser's only state across lines is the current section. */
		do
			entries += 1 + rd->heads[e++].n;
		while (e < rd->n_heads && entries < INI_SLICE_ENTRIES);
		end = e < rd->n_heads ? rd->heads[e].start : rd->len;
		r = feed_load(rd, f, rd->text + start, end - start, &d);
		if (r < 0)
			return r;
		r = take_slice(rd, d, h, e, slice);
		iniparser_freedict(d);
		if (r < 0)
			return r;
		h = e;
	}
	return 0;
}

/*
 * The values of the repeated keys whose message shows one, as iniparser reads their own lines:
 * each line under a header of its own ("[0]", "[1]", ...), since under their real header they
 * would overwrite the value of the key they repeat.
 */
static int drop_values(struct ini_reader *rd, const struct feed *f)
{
	struct ini_strs buf = { 0 };
	unsigned i = 0;
	int r = 0;

	while (i < rd->n_drops && r == 0) {
		unsigned batch[INI_SLICE_ENTRIES / 2], n = 0;
		dictionary *d = NULL;
		struct walk w;
		size_t off;

		buf.n = 0;
		for (; i < rd->n_drops && n < INI_SLICE_ENTRIES / 2; i++) {
			const struct ini_drop *dr = &rd->drops[i];
			char head[32];

			if (!dr->show)
				continue;
			/* The arena ends each piece with a NUL: it becomes the line's end. */
			err_fmt(head, sizeof(head), "[%u]", n);
			if ((r = ini_strs_add(&buf, head, strlen(head), &off)) < 0)
				goto out;
			buf.v[buf.n - 1] = '\n';
			if ((r = ini_strs_add(&buf, rd->text + dr->start, dr->end - dr->start, &off)) < 0)
				goto out;
			buf.v[buf.n - 1] = '\n';
			batch[n++] = i;
		}
		if (n == 0)
			break;
		r = feed_load(rd, f, buf.v, buf.n, &d);
		if (r < 0)
			goto out;
		w = (struct walk){ .d = d };
		for (unsigned j = 0; j < n && r == 0; j++) {
			struct ini_drop *dr = &rd->drops[batch[j]];
			char head[16];
			const char *k, *v;

			err_fmt(head, sizeof(head), "%u", j);
			k = walk_next(&w, &v);
			if (!k || !entry_is(k, head, NULL) || !(k = walk_next(&w, &v)) ||
			    !entry_is(k, head, rd->strs.v + dr->key))
				r = different(rd, dr->line);
			else
				r = take_value(rd, v, &dr->value);
		}
		iniparser_freedict(d);
	}
out:
	free(buf.v);
	return r;
}

/* Out of iniparser's sight: every byte but the line ends a blank, so each line reads as empty. */
static void blank_drops(struct ini_reader *rd)
{
	for (unsigned i = 0; i < rd->n_drops; i++)
		for (size_t o = rd->drops[i].start; o < rd->drops[i].end; o++)
			if (rd->text[o] != '\n')
				rd->text[o] = ' ';
}

struct name_query {
	const dictionary *d;
	const char *name;
};

static bool dict_has(const void *ctx, unsigned val)
{
	const struct name_query *q = ctx;

	return strcmp(q->d->key[val], q->name) == 0;
}

/* The value iniparser gives "name:key", through a map of the dictionary (its own lookup is a scan). */
static int whole_value(struct ini_reader *rd, const struct ini_map *m, const dictionary *d, size_t name,
		       size_t key, unsigned line, size_t *ret)
{
	char full[2 * INI_LINE_MAX + 64];
	struct name_query q = { .d = d, .name = full };
	const char *v;
	uint32_t *found;
	size_t o = 0;

	for (const char *s = rd->strs.v + name; *s && o < sizeof(full) - 1; s++)
		full[o++] = (char)tolower((unsigned char)*s);
	err_fmt(full + o, sizeof(full) - o, ":%s", rd->strs.v + key);
	found = ini_map_find(m, ini_hash(0, full, strlen(full)), dict_has, &q);
	if (!found)
		return different(rd, line);
	/* A repeated key left its last value here: this fallback reads the file as it is. */
	v = d->val[*found] ? d->val[*found] : "";
	return ini_strs_add(&rd->strs, v, strlen(v), ret);
}

/* The name under which the caller's open file can be read again (/proc/self/fd/N), or NULL. */
static const char *fd_name(const struct ini_reader *rd, char *buf, size_t len)
{
	return rd->fd >= 0 && access(err_fmt(buf, len, "/proc/self/fd/%d", rd->fd), R_OK) == 0 ? buf : NULL;
}

/* iniparser's dictionary of the file called name: 0, or the reader's failure. */
static int load_named(struct ini_reader *rd, const char *name, dictionary **ret)
{
	if ((*ret = iniparser_load(name)))
		return 0;
	return short_of_memory() ? ini_fail(rd, -ENOMEM, "out of memory", NULL)
				 : ini_fail(rd, -EINVAL, "iniparser could not read the file", NULL);
}

/*
 * A file that is one slice, starts with its first header and has no repeated key (nothing blanked
 * out of the text): iniparser reads it itself, by the name of the fd it was read from
 * (/proc/self/fd/N, the same inode), and the memfd is not needed. That is every state file; it
 * saves four system calls and a shmem inode a file. -EAGAIN: not such a file, or no /proc.
 */
static int direct_load(struct ini_reader *rd)
{
	unsigned entries = 0;
	char name[64];
	dictionary *d;
	int r;

	if (rd->n_drops || rd->n_heads == 0 || rd->heads[0].start != 0)
		return -EAGAIN;
	for (unsigned h = 0; h < rd->n_heads; h++)
		entries += 1 + rd->heads[h].n;
	if (entries >= INI_SLICE_ENTRIES || !fd_name(rd, name, sizeof(name)))
		return -EAGAIN;
	if ((r = load_named(rd, name, &d)) < 0)
		return r;
	r = take_slice(rd, d, 0, rd->n_heads, 0);
	iniparser_freedict(d);
	return r;
}

/*
 * Without memfd or /proc: iniparser reads the whole file by name in one dictionary, quadratic but
 * correct, the name being the caller's open file (/proc/self/fd/N) where it can, else its path.
 */
static int whole_file(struct ini_reader *rd, int why)
{
	struct ini_map m = { 0 };
	char name[64], m_[200];
	const char *n;
	dictionary *d;
	int r = 0;

	if (!(n = fd_name(rd, name, sizeof(name))) && rd->path && access(rd->path, R_OK) == 0)
		n = rd->path;
	if (!n)
		return ini_fail(rd, why, err_fmt(m_, sizeof(m_), "cannot hand the text to iniparser: %s", strerror(-why)),
				"no memfd or /proc, and no file name to read");
	if ((r = load_named(rd, n, &d)) < 0)
		return r;
	for (ssize_t i = 0; i < d->size && r == 0; i++)
		if (d->key[i])
			r = ini_map_add(&m, ini_hash(0, d->key[i], strlen(d->key[i])), (unsigned)i);
	for (unsigned e = 0; e < rd->n_ents && r == 0; e++)
		r = whole_value(rd, &m, d, rd->heads[rd->ents[e].head].name, rd->ents[e].key, rd->ents[e].line,
				&rd->ents[e].value);
	for (unsigned i = 0; i < rd->n_drops && r == 0; i++)
		if (rd->drops[i].show)
			r = whole_value(rd, &m, d, rd->heads[rd->drops[i].head].name, rd->drops[i].key, rd->drops[i].line,
					&rd->drops[i].value);
	ini_map_free(&m);
	iniparser_freedict(d);
	return r;
}

int ini_values(struct ini_reader *rd, bool keys)
{
	struct feed f;
	bool show = false;
	int r;

	for (unsigned i = 0; i < rd->n_drops && !show; i++)
		show = rd->drops[i].show;
	if (!keys && !show)
		return 0;
	if (keys && (r = direct_load(rd)) != -EAGAIN)
		return r;
	r = feed_open(&f);
	if (r < 0)
		/* The values shown in messages only come along with the keys then. */
		return keys ? whole_file(rd, r) : 0;
	r = drop_values(rd, &f);
	if (r == 0 && keys) {
		blank_drops(rd);
		r = key_values(rd, &f);
	}
	close(f.fd);
	return r;
}
