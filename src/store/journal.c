/* SPDX-License-Identifier: MIT */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "core/names.h"
#include "store/state.h"
#include "store/store_int.h"

#define JOURNAL_DIR "journal"
#define JOURNAL_MARK "open"

static int open_dir(int parentfd, const char *name, const char *what, struct err *e)
{
	int fd;

	if (mkdirat(parentfd, name, 0700) < 0 && errno != EEXIST)
		return err_set(e, -errno, what, "cannot create %s/: %s", name, strerror(errno));
	fd = openat(parentfd, name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
	if (fd < 0)
		return err_set(e, -errno, what, "cannot open %s/: %s", name, strerror(errno));
	return fd;
}

/* Write (or, for c == NULL, remove) journal/<sub>/<name>.ini. */
static int put_side(struct store *s, int jfd, const char *sub, const char *name, const struct circuit *c,
		    struct err *e)
{
	char fname[CIRCUIT_NAME_MAX + 8], what[sizeof(s->dir) + 32];
	char *buf;
	size_t len;
	int fd, r;

	snprintf(what, sizeof(what), "%s/%s/%s", s->dir, JOURNAL_DIR, sub);
	if ((fd = open_dir(jfd, sub, what, e)) < 0)
		return fd;
	snprintf(fname, sizeof(fname), "%s.ini", name);
	if (!c) {
		r = unlinkat(fd, fname, 0) < 0 && errno != ENOENT ? err_set(e, -errno, what, "cannot remove %s", fname) : 0;
		close(fd);
		return r;
	}
	if ((r = circuit_render(c, &buf, &len, e)) == 0) {
		r = store_write_at(fd, what, fname, buf, len, e);
		free(buf);
	}
	close(fd);
	return r;
}

int store_journal_begin(struct store *s, const struct circuit *from, const struct circuit *to, struct err *e)
{
	const char *name = to ? to->name : from->name;
	char what[sizeof(s->dir) + 16];
	int jfd, r;

	snprintf(what, sizeof(what), "%s/%s", s->dir, JOURNAL_DIR);
	if ((jfd = open_dir(s->dirfd, JOURNAL_DIR, s->dir, e)) < 0)
		return jfd;
	if ((r = put_side(s, jfd, "from", name, from, e)) == 0 && (r = put_side(s, jfd, "to", name, to, e)) == 0)
		r = store_write_at(jfd, what, JOURNAL_MARK, name, strlen(name), e);
	close(jfd);
	return r;
}

bool store_journal_pending(struct store *s)
{
	return faccessat(s->dirfd, JOURNAL_DIR "/" JOURNAL_MARK, F_OK, AT_SYMLINK_NOFOLLOW) == 0;
}

int store_journal_end(struct store *s, struct err *e)
{
	char what[sizeof(s->dir) + 16], name[CIRCUIT_NAME_MAX + 1], fname[CIRCUIT_NAME_MAX + 16];
	int jfd = openat(s->dirfd, JOURNAL_DIR, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
	int fd, r = 0;
	ssize_t n = 0;

	if (jfd < 0)
		return errno == ENOENT ? 0 : err_set(e, -errno, s->dir, "cannot open journal/: %s", strerror(errno));
	snprintf(what, sizeof(what), "%s/%s", s->dir, JOURNAL_DIR);
	if ((fd = openat(jfd, JOURNAL_MARK, O_RDONLY | O_NOFOLLOW | O_CLOEXEC)) >= 0) {
		n = read(fd, name, sizeof(name) - 1);
		close(fd);
	}
	name[n > 0 ? n : 0] = '\0';
	/* The mark goes first: without it the rest is just leftovers, removed next. */
	if (unlinkat(jfd, JOURNAL_MARK, 0) < 0 && errno != ENOENT)
		r = err_set(e, -errno, what, "cannot remove %s: %s", JOURNAL_MARK, strerror(errno));
	else if (fsync(jfd) < 0)
		r = err_set(e, -errno, what, "cannot fsync: %s", strerror(errno));
	if (r == 0 && names_check_circuit(name) == 0) {
		snprintf(fname, sizeof(fname), "from/%s.ini", name);
		unlinkat(jfd, fname, 0);
		snprintf(fname, sizeof(fname), "to/%s.ini", name);
		unlinkat(jfd, fname, 0);
	}
	close(jfd);
	return r;
}

static int read_side(struct store *s, const char *sub, const char *name, struct circuit *ret, bool *ret_has,
		     struct err *e)
{
	char path[sizeof(s->dir) + CIRCUIT_NAME_MAX + 32];
	int r;

	snprintf(path, sizeof(path), "%s/%s/%s/%s.ini", s->dir, JOURNAL_DIR, sub, name);
	*ret_has = false;
	if (access(path, F_OK) < 0)
		return errno == ENOENT ? 0 : err_set(e, -errno, path, "cannot read: %s", strerror(errno));
	if ((r = circuit_read_ini(path, ret, e)) < 0)
		return r;
	*ret_has = true;
	return 0;
}

int store_journal_read(struct store *s, struct circuit *ret_from, bool *ret_has_from, struct circuit *ret_to,
		       bool *ret_has_to, struct err *e)
{
	char name[CIRCUIT_NAME_MAX + 2], what[sizeof(s->dir) + 16];
	ssize_t n;
	int fd, r;

	*ret_has_from = *ret_has_to = false;
	snprintf(what, sizeof(what), "%s/%s/%s", s->dir, JOURNAL_DIR, JOURNAL_MARK);
	fd = openat(s->dirfd, JOURNAL_DIR "/" JOURNAL_MARK, O_RDONLY | O_NOFOLLOW | O_CLOEXEC);
	if (fd < 0)
		return errno == ENOENT ? -ENOENT : err_set(e, -errno, what, "cannot open: %s", strerror(errno));
	n = read(fd, name, sizeof(name) - 1);
	close(fd);
	if (n <= 0 || (size_t)n > CIRCUIT_NAME_MAX)
		return err_set(e, -EUCLEAN, what, "the journal mark is corrupted");
	name[n] = '\0';
	if (names_check_circuit(name) < 0)
		return err_set(e, -EUCLEAN, what, "the journal mark names no valid circuit");
	if ((r = read_side(s, "from", name, ret_from, ret_has_from, e)) < 0)
		return r;
	return read_side(s, "to", name, ret_to, ret_has_to, e);
}
