/* SPDX-License-Identifier: MIT */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <limits.h>
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
		r = unlinkat(fd, fname, 0) < 0 && errno != ENOENT ?
			    err_set(e, -errno, what, "cannot remove %s: %s", fname, strerror(errno)) : 0;
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

/* journal/ as a directory of ours, never through a symlink: -ENOENT when there is none. */
static int journal_dir(struct store *s, struct err *e)
{
	int fd = openat(s->dirfd, JOURNAL_DIR, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);

	if (fd >= 0)
		return fd;
	if (errno == ENOENT)
		return -ENOENT;
	if (errno == ELOOP || errno == ENOTDIR)
		return err_set(e, -ELOOP, s->dir, "journal/ is not a directory (a symlink?); erlab will not follow it");
	return err_set(e, -errno, s->dir, "cannot open journal/: %s", strerror(errno));
}

int store_journal_pending(struct store *s, struct err *e)
{
	int jfd = journal_dir(s, e), r;

	if (jfd == -ENOENT)
		return 0;
	if (jfd < 0)
		return jfd;
	r = faccessat(jfd, JOURNAL_MARK, F_OK, AT_SYMLINK_NOFOLLOW) == 0;
	close(jfd);
	return r;
}

int store_journal_end(struct store *s, struct err *e)
{
	char what[sizeof(s->dir) + 16], name[CIRCUIT_NAME_MAX + 1], fname[CIRCUIT_NAME_MAX + 16];
	int jfd = journal_dir(s, e), fd, r = 0;
	ssize_t n = 0;

	if (jfd < 0)
		return jfd == -ENOENT ? 0 : jfd;
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

/* journal/<sub>/<name>.ini, each step without following a link. */
static int read_side(struct store *s, int jfd, const char *sub, const char *name, struct circuit *ret,
		     bool *ret_has, struct err *e)
{
	char file[CIRCUIT_NAME_MAX + 32], fname[CIRCUIT_NAME_MAX + 8];
	int dfd, fd, r;

	*ret_has = false;
	snprintf(file, sizeof(file), "%s/%s/%s.ini", JOURNAL_DIR, sub, name);
	dfd = openat(jfd, sub, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
	if (dfd < 0)
		return errno == ENOENT ? 0 : err_set(e, errno == ELOOP || errno == ENOTDIR ? -ELOOP : -errno, s->dir,
						     "cannot open %s/%s/ (a symlink?): %s", JOURNAL_DIR, sub, strerror(errno));
	snprintf(fname, sizeof(fname), "%s.ini", name);
	fd = openat(dfd, fname, O_RDONLY | O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC);
	close(dfd);
	if (fd < 0)
		return errno == ENOENT ? 0 : err_set(e, errno == ELOOP ? -ELOOP : -errno, s->dir,
						     "cannot open %s (a symlink?): %s", file, strerror(errno));
	r = read_state(fd, NULL, s->dir, file, name, ret, e);
	close(fd);
	if (r < 0)
		return r;
	*ret_has = true;
	return 0;
}

int store_journal_read(struct store *s, struct circuit *ret_from, bool *ret_has_from, struct circuit *ret_to,
		       bool *ret_has_to, struct err *e)
{
	char name[CIRCUIT_NAME_MAX + 2], what[sizeof(s->dir) + 16];
	int jfd, fd, r;
	ssize_t n;

	*ret_has_from = *ret_has_to = false;
	snprintf(what, sizeof(what), "%s/%s/%s", s->dir, JOURNAL_DIR, JOURNAL_MARK);
	if ((jfd = journal_dir(s, e)) < 0)
		return jfd;
	fd = openat(jfd, JOURNAL_MARK, O_RDONLY | O_NOFOLLOW | O_CLOEXEC);
	if (fd < 0) {
		r = errno == ENOENT ? -ENOENT : err_set(e, -errno, what, "cannot open: %s", strerror(errno));
		goto out;
	}
	n = read(fd, name, sizeof(name) - 1);
	close(fd);
	if (n <= 0 || (size_t)n > CIRCUIT_NAME_MAX) {
		r = err_set(e, -EUCLEAN, what, "the journal mark is corrupted");
		goto out;
	}
	name[n] = '\0';
	if (names_check_circuit(name) < 0) {
		r = err_set(e, -EUCLEAN, what, "the journal mark names no valid circuit");
		goto out;
	}
	if ((r = read_side(s, jfd, "from", name, ret_from, ret_has_from, e)) == 0)
		r = read_side(s, jfd, "to", name, ret_to, ret_has_to, e);
out:
	close(jfd);
	return r;
}

#define INTENTS "netns"
#define INTENTS_MAX (1u << 22)

int store_netns_intent(struct store *s, const char *ns, struct err *e)
{
	size_t len = strlen(ns);
	char line[NAME_MAX + 2];
	int jfd;

	if (len > NAME_MAX || strchr(ns, '\n'))
		return err_set(e, -EINVAL, ns, "not a namespace name");
	if (s->intentfd < 0) {
		if ((jfd = open_dir(s->dirfd, JOURNAL_DIR, s->dir, e)) < 0)
			return jfd;
		s->intentfd = openat(jfd, INTENTS, O_WRONLY | O_APPEND | O_CREAT | O_NOFOLLOW | O_CLOEXEC, 0600);
		close(jfd);
		if (s->intentfd < 0)
			return err_set(e, -errno, s->dir, "cannot open %s/%s: %s", JOURNAL_DIR, INTENTS, strerror(errno));
	}
	memcpy(line, ns, len);
	line[len] = '\n';
	if (write(s->intentfd, line, len + 1) != (ssize_t)(len + 1))
		return err_set(e, errno ? -errno : -EIO, s->dir, "cannot write %s/%s: %s", JOURNAL_DIR, INTENTS,
			       strerror(errno ? errno : EIO));
	return 0;
}

int store_netns_intents(struct store *s, char ***ret, unsigned *ret_n, struct err *e)
{
	char *text = NULL, **v = NULL;
	unsigned n = 0;
	size_t len = 0;
	struct stat st;
	int jfd, fd, r = 0;

	*ret = NULL;
	*ret_n = 0;
	if ((jfd = journal_dir(s, e)) < 0)
		return jfd == -ENOENT ? 0 : jfd;
	fd = openat(jfd, INTENTS, O_RDONLY | O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC);
	close(jfd);
	if (fd < 0)
		return errno == ENOENT ? 0 : err_set(e, -errno, s->dir, "cannot open %s/%s: %s", JOURNAL_DIR, INTENTS,
						     strerror(errno));
	if (fstat(fd, &st) < 0 || !S_ISREG(st.st_mode) || st.st_size > (off_t)INTENTS_MAX) {
		r = err_set(e, -EUCLEAN, s->dir, "%s/%s is not a file of erlab's", JOURNAL_DIR, INTENTS);
		goto out;
	}
	if (!(text = malloc((size_t)st.st_size + 1)) || !(v = calloc((size_t)st.st_size / 2 + 1, sizeof(*v)))) {
		r = err_set(e, -ENOMEM, s->dir, "out of memory");
		goto out;
	}
	for (ssize_t got; len < (size_t)st.st_size && (got = read(fd, text + len, (size_t)st.st_size - len)) > 0;)
		len += (size_t)got;
	text[len] = '\0';
	for (char *save = NULL, *name = strtok_r(text, "\n", &save); name; name = strtok_r(NULL, "\n", &save))
		if (!(v[n++] = strdup(name))) {
			r = err_set(e, -ENOMEM, s->dir, "out of memory");
			break;
		}
	if (r < 0) {
		for (unsigned i = 0; i < n; i++)
			free(v[i]);
		free(v);
		v = NULL;
		n = 0;
	}
	*ret = v;
	*ret_n = n;
out:
	free(text);
	close(fd);
	return r;
}

int store_netns_intents_end(struct store *s, struct err *e)
{
	int jfd, r = 0;

	if (s->intentfd >= 0) {
		close(s->intentfd);
		s->intentfd = -1;
	}
	if ((jfd = journal_dir(s, e)) < 0)
		return jfd == -ENOENT ? 0 : jfd;
	if (unlinkat(jfd, INTENTS, 0) < 0 && errno != ENOENT)
		r = err_set(e, -errno, s->dir, "cannot remove %s/%s: %s", JOURNAL_DIR, INTENTS, strerror(errno));
	close(jfd);
	return r;
}
