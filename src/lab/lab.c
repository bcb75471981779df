/* SPDX-License-Identifier: MIT */
/*
 * Lab files (SPEC §5): a pre-scan for what iniparser cannot tell us (line numbers, duplicate
 * headers and keys, sections as written, binary junk), then iniparser for the values, then one
 * table of section kind -> key -> parser -> field (systemd-networkd's gperf tables, by hand),
 * then the whole-object rules of SPEC §3 through core/validate.
 * Every mistake is collected; nothing stops at the first one.
 *
 * Linear in the file: a 1000-circuit lab has some 26000 sections and keys. iniparser 4.1's
 * dictionary scans every slot on each insert and lookup, so it is handed the file in slices of a
 * few hundred entries, each dictionary is walked once into our own per-section table, and every
 * repeated lookup (sections, keys, circuits, names) goes through a hash map.
 *
 * Here the pipeline; the stages in lab_prescan.c, lab_ini.c, lab_keys.c (with the value parsers
 * of lab_values.c) and lab_check.c, sharing lab_int.h, lab_strmap.c and lab_err.c.
 */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "core/names.h"
#include "lab/lab_int.h"

/* ---- reading the file ---- */

static int file_err(struct loader *ld, int errnum, const char *msg, const char *detail)
{
	lab_add_err(ld, errnum, ld->file, msg, detail);
	return errnum;
}

static int read_text(struct loader *ld, int *ret_fd)
{
	char m[160], d[64];
	struct stat st;
	ssize_t got;
	size_t used = 0;
	int fd, r;

	if (stat(ld->file, &st) < 0)
		return file_err(ld, -errno, err_fmt(m, sizeof(m), "cannot read the lab file: %s", strerror(errno)), NULL);
	if (!S_ISREG(st.st_mode))
		return file_err(ld, -EINVAL, "not a regular file",
				S_ISDIR(st.st_mode) ? "it is a directory" : "a lab file is a plain file");
	if (st.st_size > (off_t)LAB_MAX_BYTES)
		return file_err(ld, -EFBIG, err_fmt(m, sizeof(m), "file too large: %lld bytes", (long long)st.st_size),
				err_fmt(d, sizeof(d), "at most %u bytes", LAB_MAX_BYTES));

	/* O_NONBLOCK: if it was swapped for a FIFO since stat, do not hang waiting for a writer. */
	fd = open(ld->file, O_RDONLY | O_CLOEXEC | O_NOCTTY | O_NONBLOCK);
	if (fd < 0)
		return file_err(ld, -errno, err_fmt(m, sizeof(m), "cannot read the lab file: %s", strerror(errno)), NULL);
	if (fstat(fd, &st) < 0 || !S_ISREG(st.st_mode)) {
		r = file_err(ld, -EINVAL, "not a regular file", "a lab file is a plain file");
		goto fail;
	}
	ld->text = malloc(LAB_MAX_BYTES + 1);
	if (!ld->text) {
		r = -ENOMEM;
		goto fail;
	}
	/* Read one byte past the limit to notice a file that grew since stat. */
	while (used <= LAB_MAX_BYTES) {
		got = read(fd, ld->text + used, LAB_MAX_BYTES + 1 - used);
		if (got < 0 && errno == EINTR)
			continue;
		if (got < 0) {
			r = file_err(ld, -errno, err_fmt(m, sizeof(m), "cannot read the lab file: %s", strerror(errno)), NULL);
			goto fail;
		}
		if (got == 0)
			break;
		used += (size_t)got;
	}
	if (used > LAB_MAX_BYTES) {
		r = file_err(ld, -EFBIG, "file too large", err_fmt(d, sizeof(d), "at most %u bytes", LAB_MAX_BYTES));
		goto fail;
	}
	ld->len = used;
	*ret_fd = fd;
	return 0;

fail:
	close(fd);
	return r;
}

/* ---- sections ---- */

/* The first header iniparser files under this name. */
static const struct pre_section *pre_find(const struct loader *ld, const char *ini)
{
	unsigned i;

	return lab_strmap_get(&ld->pre_ini, 0, ini, strlen(ini), &i) == 0 ? &ld->pre[i] : NULL;
}

static int circuit_find(const struct loader *ld, const char *id)
{
	unsigned i;

	return lab_strmap_get(&ld->circuit_map, 0, id, strlen(id), &i) == 0 ? (int)i : -1;
}

/* ---- the loader ---- */

static void *section_object(struct loader *ld, struct section *s)
{
	struct lab *lab = ld->lab;
	char d[96];

	switch (s->kind) {
	case SEC_LAB:
	case SEC_BGP:
	case SEC_REGISTRY:
		return lab;
	case SEC_CIRCUIT:
		return &lab->circuits[s->circuit];
	case SEC_PEERING:
		s->circuit = circuit_find(ld, s->words[1]);
		if (s->circuit < 0) {
			lab_section_err(ld, s, -EINVAL, "no such circuit in this file",
					err_fmt(d, sizeof(d), "add a [circuit %s] section", s->words[1]));
			peering_init(&s->scratch_peering, s->type);
			return &s->scratch_peering;
		}
		lab->circuits[s->circuit].peering_present[s->type] = true;
		peering_init(&lab->circuits[s->circuit].peerings[s->type], s->type);
		return &lab->circuits[s->circuit].peerings[s->type];
	case SEC_VNET:
		s->circuit = circuit_find(ld, s->words[1]);
		if (s->circuit < 0)
			lab_section_err(ld, s, -EINVAL, "no such circuit in this file",
					err_fmt(d, sizeof(d), "add a [circuit %s] section", s->words[1]));
		if (names_check_vnet(s->words[2]) < 0) {
			lab_section_err(ld, s, -EINVAL, "invalid VNet name", "use 1-12 of A-Z a-z 0-9 _ -, not starting with -");
			s->bad = true;
		} else {
			memcpy(s->vnet.name, s->words[2], strlen(s->words[2]) + 1);
		}
		return &s->vnet;
	default:
		return NULL;
	}
}

static int setup_circuits(struct loader *ld)
{
	struct lab *lab = ld->lab;
	unsigned n = 0;
	bool found;

	ld->circuit_map.icase = true;
	for (unsigned i = 0; i < ld->n_secs; i++)
		n += ld->secs[i].kind == SEC_CIRCUIT;
	if (n == 0)
		return 0;
	lab->circuits = calloc(n, sizeof(*lab->circuits));
	lab->circuit_ids = calloc(n, sizeof(*lab->circuit_ids));
	if (!lab->circuits || !lab->circuit_ids)
		return -ENOMEM;
	for (unsigned i = 0; i < ld->n_secs; i++) {
		struct section *s = &ld->secs[i];
		struct circuit *c;

		if (s->kind != SEC_CIRCUIT)
			continue;
		s->circuit = (int)lab->n_circuits++;
		c = &lab->circuits[s->circuit];
		circuit_init(c);
		/* Labs exist to bring peerings up: a lab circuit is provisioned unless it says otherwise. */
		c->prov = PROV_PROVISIONED;
		/* The name defaults to the section ID as written (the pre-scan kept its case). */
		memcpy(c->name, s->words[1], strlen(s->words[1]) + 1);
		/* service_key stays "" when not given: `erlab up` keeps an existing circuit's key or makes one. */
		memcpy(lab->circuit_ids[s->circuit], s->words[1], strlen(s->words[1]) + 1);
		lab_lower(lab->circuit_ids[s->circuit]);
		if (!lab_strmap_put(&ld->circuit_map, 0, lab->circuit_ids[s->circuit], (unsigned)s->circuit, &found))
			return -ENOMEM;
		c->lab = strdup(lab->path);
		if (!c->lab)
			return -ENOMEM;
	}
	return 0;
}

static int load_sections(struct loader *ld)
{
	bool found;
	int r;

	for (unsigned i = 0; i < ld->n_pre; i++)
		if (!lab_strmap_put(&ld->pre_ini, 0, ld->pre[i].ini, i, &found))
			return -ENOMEM;
	ld->secs = calloc(ld->n_isecs ? ld->n_isecs : 1, sizeof(*ld->secs));
	if (!ld->secs)
		return -ENOMEM;
	for (unsigned i = 0; i < ld->n_isecs; i++) {
		const struct pre_section *p = pre_find(ld, ld->isecs[i].name);
		struct section *s;

		/* A second header spelled differently is its own iniparser section: already reported. */
		if (!p || p->duplicate)
			continue;
		s = &ld->secs[ld->n_secs++];
		s->pre = p;
		s->isec = i;
		lab_classify(ld, s);
	}
	if (ld->oom)
		return -ENOMEM;

	r = setup_circuits(ld);
	if (r < 0)
		return r;
	/* Circuits first: a peering may come before its circuit in the file. */
	for (int pass = 0; pass < 2; pass++)
		for (unsigned i = 0; i < ld->n_secs; i++) {
			struct section *s = &ld->secs[i];
			bool late = s->kind == SEC_PEERING || s->kind == SEC_VNET;
			void *obj;

			if (s->kind == SEC_UNKNOWN || late != (pass == 1))
				continue;
			obj = section_object(ld, s);
			if (obj)
				lab_load_keys(ld, s, obj);
		}
	return ld->oom ? -ENOMEM : 0;
}

static void loader_free(struct loader *ld)
{
	for (unsigned i = 0; i < ld->n_secs; i++) {
		free(ld->secs[i].words_buf);
		peering_clear(&ld->secs[i].scratch_peering);
		vnet_clear(&ld->secs[i].vnet);
	}
	free(ld->secs);
	for (unsigned i = 0; i < ld->n_pre; i++) {
		free(ld->pre[i].written);
		free(ld->pre[i].ini);
		free(ld->pre[i].norm);
	}
	free(ld->pre);
	for (unsigned i = 0; i < ld->n_keys; i++)
		free(ld->keys[i].key);
	free(ld->keys);
	free(ld->text);
	lab_ini_forget(ld);
	free(ld->dicts);
	free(ld->isecs);
	free(ld->ents);
	lab_strmap_free(&ld->pre_norm);
	lab_strmap_free(&ld->pre_ini);
	lab_strmap_free(&ld->pre_keys);
	lab_strmap_free(&ld->circuit_map);
}

int lab_load(const char *path, struct lab *ret, struct lab_errors *errs)
{
	struct loader ld = { .file = path, .lab = ret, .errs = errs };
	unsigned errs_before = errs->n;
	char resolved[PATH_MAX];
	int fd = -1, r;

	memset(ret, 0, sizeof(*ret));
	ret->datapath = DATAPATH_AUTO;

	r = read_text(&ld, &fd);
	if (r < 0)
		goto out;
	err_fmt(ret->path, sizeof(ret->path), "%s", realpath(path, resolved) ? resolved : path);

	r = lab_prescan(&ld);
	if (r < 0)
		goto out;
	r = lab_ini_load(&ld, path, fd);
	if (r == -EINVAL)
		r = file_err(&ld, -EINVAL, "iniparser could not read the file", NULL);
	if (r < 0)
		goto out;
	r = load_sections(&ld);
	if (r < 0)
		goto out;

	lab_check_circuits(&ld);
	lab_check_vnets(&ld);
	lab_check_peerings(&ld);
	r = ld.oom ? -ENOMEM : errs->n > errs_before ? -EINVAL : 0;
	/* A lab that failed is thrown away: spare its prefixes the registry walk. */
	if (r == 0)
		lab_registry_states(ret);

out:
	if (fd >= 0)
		close(fd);
	loader_free(&ld);
	if (r == -ENOMEM && errs->n == errs_before)
		lab_add_err(&ld, -ENOMEM, path, "out of memory", NULL);
	if (r < 0)
		lab_clear(ret);
	return r;
}

void lab_errors_clear(struct lab_errors *l)
{
	free(l->v);
	l->v = NULL;
	l->n = 0;
}

void lab_clear(struct lab *l)
{
	for (unsigned i = 0; i < l->n_circuits; i++)
		circuit_clear(&l->circuits[i]);
	free(l->circuits);
	free(l->circuit_ids);
	free(l->bgp.prefixes);
	free(l->registry);
	memset(l, 0, sizeof(*l));
}
