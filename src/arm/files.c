/* SPDX-License-Identifier: MIT */
/*
 * The server's files, under <state dir>/arm (mode 0700, every file 0600): its identity, keys and
 * certificates, and the ARM side of resources erlab's model has no field for (resource groups; a
 * circuit's group, Azure region, tags and GUID). Each is written as a temporary file, synced and
 * renamed over the old one, under the state dir's lock when it goes with a change (docs/arm.md).
 */
#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "arm/arm_int.h"

int arm_files_open(struct arm *a, const char *state_dir, struct err *e)
{
	struct engine_opts o = a->o->engine;
	struct engine *eng;
	struct stat st;
	int r;

	/* The state dir as every command makes and checks it (owner, mode, not a symlink). */
	o.event = NULL;
	if ((r = engine_new(&o, &eng, e)) < 0)
		return r;
	r = engine_lock(eng, false, e);
	engine_free(eng);
	if (r < 0)
		return r;
	snprintf(a->dir, sizeof(a->dir), "%s/arm", state_dir);
	if (mkdir(a->dir, 0700) < 0 && errno != EEXIST)
		return err_set(e, -errno, a->dir, "cannot create: %s", strerror(errno));
	a->dirfd = open(a->dir, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
	if (a->dirfd < 0)
		return err_set(e, -errno, a->dir, "cannot open: %s", strerror(errno));
	if (fstat(a->dirfd, &st) < 0 || st.st_uid != geteuid() || (st.st_mode & 077))
		return err_set(e, -EPERM, a->dir, "must be a directory of the user erlab runs as, mode 0700");
	for (const char *const *d = (const char *const[]){ "groups", "circuits", NULL }; *d; d++)
		if (mkdirat(a->dirfd, *d, 0700) < 0 && errno != EEXIST)
			return err_set(e, -errno, a->dir, "cannot create %s: %s", *d, strerror(errno));
	return 0;
}

int arm_file_read(struct arm *a, const char *rel, char **ret, struct err *e)
{
	int fd = openat(a->dirfd, rel, O_RDONLY | O_CLOEXEC | O_NOFOLLOW);
	size_t n = 0, cap = 0;
	char *buf = NULL;
	ssize_t k;

	if (fd < 0)
		return err_set(e, -errno, rel, "cannot read: %s", strerror(errno));
	for (;;) {
		if (n + 4096 + 1 > cap) {
			char *b = cap > (1u << 22) ? NULL : realloc(buf, cap = cap ? 2 * cap : 8192);

			if (!b) {
				free(buf);
				close(fd);
				return err_set(e, -ENOMEM, rel, "too large or out of memory");
			}
			buf = b;
		}
		k = read(fd, buf + n, 4096);
		if (k < 0 && errno == EINTR)
			continue;
		if (k < 0) {
			k = -errno;
			free(buf);
			close(fd);
			return err_set(e, (int)k, rel, "cannot read: %s", strerror((int)-k));
		}
		if (k == 0)
			break;
		n += (size_t)k;
	}
	close(fd);
	buf[n] = '\0';
	*ret = buf;
	return 0;
}

int arm_file_write(struct arm *a, const char *rel, const char *data, size_t n, struct err *e)
{
	char tmp[PATH_MAX];
	int fd, r = 0;

	snprintf(tmp, sizeof(tmp), "%s.tmp", rel);
	fd = openat(a->dirfd, tmp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC | O_NOFOLLOW, 0600);
	if (fd < 0)
		return err_set(e, -errno, rel, "cannot write: %s", strerror(errno));
	while (n && r == 0) {
		ssize_t k = write(fd, data, n);

		if (k < 0 && errno != EINTR)
			r = -errno;
		else if (k > 0)
			data += k, n -= (size_t)k;
	}
	if (r == 0 && fsync(fd) < 0)
		r = -errno;
	close(fd);
	if (r == 0 && renameat(a->dirfd, tmp, a->dirfd, rel) < 0)
		r = -errno;
	if (r < 0) {
		unlinkat(a->dirfd, tmp, 0);
		return err_set(e, r, rel, "cannot write: %s", strerror(-r));
	}
	return 0;
}

int arm_file_remove(struct arm *a, const char *rel)
{
	return unlinkat(a->dirfd, rel, 0) < 0 && errno != ENOENT ? -errno : 0;
}

json_t *arm_json_read(struct arm *a, const char *rel)
{
	char *text;
	json_t *j;

	if (arm_file_read(a, rel, &text, NULL) < 0)
		return NULL;
	j = json_loads(text, 0, NULL);
	free(text);
	if (j && !json_is_object(j)) {
		json_decref(j);
		j = NULL;
	}
	return j;
}

int arm_json_write(struct arm *a, const char *rel, const json_t *j, struct err *e)
{
	char *text = json_dumps(j, JSON_INDENT(1) | JSON_SORT_KEYS);
	int r;

	if (!text)
		return err_set(e, -ENOMEM, rel, "out of memory");
	r = arm_file_write(a, rel, text, strlen(text), e);
	free(text);
	return r;
}

int arm_meta_path(char *buf, size_t len, const char *kind, const char *name)
{
	size_t n = strlen(name), k;

	if (n == 0 || n > 90 || name[0] == '.')
		return -EINVAL;
	k = (size_t)snprintf(buf, len, "%s/", kind);
	if (k + n + 6 > len)
		return -EINVAL;
	for (size_t i = 0; i < n; i++) {
		unsigned char c = (unsigned char)name[i];

		if (!isalnum(c) && !strchr("-_.()", c))
			return -EINVAL;
		buf[k++] = (char)tolower(c);
	}
	memcpy(buf + k, ".json", 6);
	return 0;
}
