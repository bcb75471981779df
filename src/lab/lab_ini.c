/* SPDX-License-Identifier: MIT */
/*
 * iniparser for the values. iniparser 4.1's dictionary scans every slot on each insert and lookup,
 * so it is handed the file in slices of a few hundred entries and each dictionary is walked once
 * into the loader's per-section table.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/types.h>
#include <unistd.h>

#include "lab/lab_int.h"

/* iniparser 4.1 scans its whole dictionary per insert: slices of about this many entries. */
#define INI_SLICE_ENTRIES 256

static int quiet(const char *f, ...)
{
	(void)f;
	return 0;
}

/* Once a section is declared again in a later slice, its keys go through ld->ent_map. */
static int ini_index(struct loader *ld, unsigned si)
{
	struct ini_section *sec = &ld->isecs[si];
	bool found;

	if (sec->indexed)
		return 0;
	for (unsigned e = sec->head; e != IDX_NONE; e = ld->ents[e].next)
		if (!lab_strmap_put(&ld->ent_map, si, ld->ents[e].key, e, &found))
			return -ENOMEM;
	sec->indexed = true;
	return 0;
}

/* The section of "name:key", the one of the previous key first (a dictionary keeps them together). */
static int ini_section_of(const struct loader *ld, const char *k, size_t len, unsigned last, unsigned *ret)
{
	if (last != IDX_NONE && strncmp(ld->isecs[last].name, k, len) == 0 && !ld->isecs[last].name[len]) {
		*ret = last;
		return 0;
	}
	return lab_strmap_get(&ld->isec_map, 0, k, len, ret);
}

/*
 * One dictionary into the table, in its order. A section that an earlier slice declared too (a
 * duplicate header, already reported) gets the new keys after its own and the new values of
 * the keys it has, as iniparser does when it reads both headers at once.
 */
static int ini_take(struct loader *ld, dictionary *d)
{
	dictionary **dicts = lab_grow(ld->dicts, ld->n_dicts, &ld->cap_dicts, sizeof(*dicts));
	unsigned last = IDX_NONE;

	if (!dicts) {
		iniparser_freedict(d);
		return -ENOMEM;
	}
	ld->dicts = dicts;
	ld->dicts[ld->n_dicts++] = d;

	for (ssize_t i = 0; i < d->size; i++) {
		const char *k = d->key[i], *colon;
		struct ini_section *sec;
		struct ini_entry *ents;
		unsigned *slot, si;
		bool found;

		if (!k)
			continue;
		colon = strchr(k, ':');
		if (!colon) {
			struct ini_section *isecs = lab_grow(ld->isecs, ld->n_isecs, &ld->cap_isecs, sizeof(*isecs));

			if (!isecs)
				return -ENOMEM;
			ld->isecs = isecs;
			slot = lab_strmap_put(&ld->isec_map, 0, k, ld->n_isecs, &found);
			if (!slot)
				return -ENOMEM;
			if (!found)
				ld->isecs[ld->n_isecs++] = (struct ini_section){
					.name = k, .head = IDX_NONE, .tail = IDX_NONE, .dict = ld->n_dicts - 1 };
			continue;
		}
		/* A key of a section iniparser has no header for: iniparser_getseckeys() never saw it either. */
		if (ini_section_of(ld, k, (size_t)(colon - k), last, &si) < 0)
			continue;
		last = si;
		ents = lab_grow(ld->ents, ld->n_ents, &ld->cap_ents, sizeof(*ents));
		if (!ents)
			return -ENOMEM;
		ld->ents = ents;
		sec = &ld->isecs[si];
		/* Keys are unique within one dictionary: only a section met before can have this one. */
		if (sec->dict != ld->n_dicts - 1) {
			if (ini_index(ld, si) < 0)
				return -ENOMEM;
			slot = lab_strmap_put(&ld->ent_map, si, colon + 1, ld->n_ents, &found);
			if (!slot)
				return -ENOMEM;
			if (found) {
				ld->ents[*slot].value = d->val[i];
				continue;
			}
		}
		ld->ents[ld->n_ents] = (struct ini_entry){ .key = colon + 1, .value = d->val[i], .next = IDX_NONE };
		if (sec->tail == IDX_NONE)
			sec->head = ld->n_ents;
		else
			ld->ents[sec->tail].next = ld->n_ents;
		sec->tail = ld->n_ents++;
	}
	return 0;
}

void lab_ini_forget(struct loader *ld)
{
	for (unsigned i = 0; i < ld->n_dicts; i++)
		iniparser_freedict(ld->dicts[i]);
	ld->n_dicts = ld->n_isecs = ld->n_ents = 0;
	lab_strmap_free(&ld->isec_map);
	lab_strmap_free(&ld->ent_map);
}

/* iniparser 4.1 reads only named files: the slice goes through a memfd. -errno when that fails. */
static int ini_load_slice(const char *text, size_t len, dictionary **ret)
{
	char fdpath[64];
	size_t done = 0;
	int fd, r = 0;

	fd = memfd_create("erlab-lab", MFD_CLOEXEC);
	if (fd < 0)
		return -errno;
	while (done < len) {
		ssize_t n = write(fd, text + done, len - done);

		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0) {
			r = n < 0 ? -errno : -EIO;
			goto out;
		}
		done += (size_t)n;
	}
	err_fmt(fdpath, sizeof(fdpath), "/proc/self/fd/%d", fd);
	if (access(fdpath, R_OK) < 0) {
		r = -errno;
		goto out;
	}
	*ret = iniparser_load(fdpath);
out:
	close(fd);
	return r;
}

/*
 * The checked text in slices that start at a header, each of about INI_SLICE_ENTRIES entries
 * (one section never exceeds LAB_SECTION_KEYS_MAX): iniparser's cost stays linear in the file.
 * Without memfd or /proc, the whole file by name as before, quadratic but correct.
 */
static int ini_read(struct loader *ld, const char *path, int fd)
{
	unsigned first = 0;
	size_t start = 0;
	char fdpath[64];
	dictionary *d;
	int r;

	do {
		unsigned next = first + 1;
		size_t end;

		while (next < ld->n_pre && ld->pre[next].entry - ld->pre[first].entry < INI_SLICE_ENTRIES)
			next++;
		end = next < ld->n_pre ? ld->pre[next].offset : ld->len;
		d = NULL;
		r = ini_load_slice(ld->text + start, end - start, &d);
		if (r < 0)
			goto whole;
		if (!d)
			return -EINVAL;
		r = ini_take(ld, d);
		if (r < 0)
			return r;
		start = end;
		first = next;
	} while (first < ld->n_pre);
	return 0;

whole:
	lab_ini_forget(ld);
	err_fmt(fdpath, sizeof(fdpath), "/proc/self/fd/%d", fd);
	/* iniparser opens by name: hand it the file we checked, not whatever the path names now. */
	d = iniparser_load(access(fdpath, R_OK) == 0 ? fdpath : path);
	return d ? ini_take(ld, d) : -EINVAL;
}

int lab_ini_load(struct loader *ld, const char *path, int fd)
{
	int r;

	/* The pre-scan leaves iniparser nothing to complain about; keep stderr clean regardless. */
	iniparser_set_error_callback(quiet);
	r = ini_read(ld, path, fd);
	iniparser_set_error_callback(NULL);
	return r;
}
