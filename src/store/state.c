/* SPDX-License-Identifier: MIT */
#include <ctype.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <unistd.h>

#include "core/cidr.h"
#include "core/guid.h"
#include "core/names.h"
#include "core/num.h"
#include "store/state.h"
#include "core/par.h"
#include "store/store_int.h"

/* ---------------------------------------------------------------- the store */

static int check_dir_fd(int fd, const char *path, struct err *e)
{
	struct stat st;

	if (fstat(fd, &st) < 0)
		return err_set(e, -errno, path, "cannot stat the state dir: %s", strerror(errno));
	if (!S_ISDIR(st.st_mode))
		return err_set(e, -ENOTDIR, path, "the state dir is not a directory");
	if (st.st_uid != geteuid())
		return err_set(e, -EPERM, path, "the state dir is owned by uid %u, expected %u",
			       (unsigned)st.st_uid, (unsigned)geteuid());
	if (st.st_mode & 077)
		return err_set(e, -EPERM, path, "the state dir has mode %04o, expected 0700",
			       (unsigned)(st.st_mode & 07777));
	return 0;
}

int store_open(struct store *s, const char *dir, struct err *e)
{
	struct stat st;
	size_t len;
	int k;

	s->dirfd = s->circuitsfd = s->lockfd = s->intentfd = s->commitfd = -1;
	len = dir ? strlen(dir) : 0;
	if (len == 0)
		return err_set(e, -EINVAL, "state dir", "the state dir path is empty");
	if (len >= sizeof(s->dir))
		return err_set(e, -ENAMETOOLONG, "state dir", "the state dir path is too long");
	memcpy(s->dir, dir, len + 1);
	/* "link/" would follow the symlink despite O_NOFOLLOW. */
	while (len > 1 && s->dir[len - 1] == '/')
		s->dir[--len] = '\0';

	if (mkdir(s->dir, 0700) < 0 && errno != EEXIST) {
		if (errno == ENOENT)
			return err_set(e, -ENOENT, s->dir,
				       "cannot create the state dir: its parent directory does not exist");
		return err_set(e, -errno, s->dir, "cannot create the state dir: %s", strerror(errno));
	}
	/* lstat first only for a clear message; the checks that count are on the open fd. */
	if (lstat(s->dir, &st) == 0 && S_ISLNK(st.st_mode))
		return err_set(e, -ELOOP, s->dir, "the state dir is a symlink; refusing to follow it");
	s->dirfd = open(s->dir, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
	if (s->dirfd < 0) {
		k = -errno;
		if (k == -ENOTDIR)
			err_set(e, k, s->dir, "the state dir is not a directory");
		else if (k == -ELOOP)
			err_set(e, k, s->dir, "the state dir is a symlink; refusing to follow it");
		else
			err_set(e, k, s->dir, "cannot open the state dir: %s", strerror(-k));
		return k;
	}
	k = check_dir_fd(s->dirfd, s->dir, e);
	if (k < 0)
		goto fail;

	if (mkdirat(s->dirfd, "circuits", 0700) < 0 && errno != EEXIST) {
		k = err_set(e, -errno, s->dir, "cannot create circuits/: %s", strerror(errno));
		goto fail;
	}
	s->circuitsfd = openat(s->dirfd, "circuits", O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
	if (s->circuitsfd < 0) {
		k = err_set(e, -errno, s->dir, "cannot open circuits/ (%s)", strerror(errno));
		goto fail;
	}
	if (fstat(s->circuitsfd, &st) < 0 || st.st_uid != geteuid()) {
		k = err_set(e, -EPERM, s->dir, "circuits/ is not owned by uid %u", (unsigned)geteuid());
		goto fail;
	}
	return 0;

fail:
	store_close(s);
	return k;
}

void store_close(struct store *s)
{
	if (s->intentfd >= 0)
		close(s->intentfd);
	if (s->lockfd >= 0)
		close(s->lockfd);
	if (s->commitfd >= 0)
		close(s->commitfd);
	if (s->circuitsfd >= 0)
		close(s->circuitsfd);
	if (s->dirfd >= 0)
		close(s->dirfd);
	s->lockfd = s->circuitsfd = s->dirfd = s->intentfd = s->commitfd = -1;
}

bool state_file_name(const char *fname, size_t *ret_stem)
{
	size_t len = strlen(fname);

	if (fname[0] == '.' || len <= 4 || len - 4 > CIRCUIT_NAME_MAX || strcmp(fname + len - 4, ".ini") != 0)
		return false;
	*ret_stem = len - 4;
	return true;
}

/* Load circuits/<fname>; -ENOENT (no message) when absent. */
static int load_file(struct store *s, const char *fname, struct circuit *ret, struct err *e)
{
	char file[CIRCUIT_NAME_MAX + 32], expect[CIRCUIT_NAME_MAX + 1];
	char fallback[sizeof(s->dir) + sizeof(file) + 2];
	struct stat st;
	size_t stem;
	int fd, k;

	if (!state_file_name(fname, &stem))
		return -ENOENT;
	memcpy(expect, fname, stem);
	expect[stem] = '\0';
	snprintf(file, sizeof(file), "circuits/%s", fname);
	fd = openat(s->circuitsfd, fname, O_RDONLY | O_CLOEXEC | O_NOFOLLOW | O_NONBLOCK);
	if (fd < 0) {
		k = -errno;
		if (k == -ENOENT)
			return k;
		if (k == -ELOOP)
			return err_set(e, k, s->dir, "state file %s is a symlink; refusing to follow it", file);
		return err_set(e, k, s->dir, "cannot open state file %s: %s", file, strerror(-k));
	}
	if (fstat(fd, &st) < 0 || !S_ISREG(st.st_mode)) {
		close(fd);
		return err_set(e, -EUCLEAN, s->dir, "state file %s is not a regular file", file);
	}
	snprintf(fallback, sizeof(fallback), "%s/%s", s->dir, file);
	k = read_state(fd, fallback, s->dir, file, expect, ret, e);
	close(fd);
	return k;
}

/*
 * Call fn for every state file name in circuits/. fn returns 0 to go on, > 0 to stop (passed
 * back), < 0 to fail.
 */
static int scan_circuits(struct store *s, int (*fn)(struct store *, const char *, void *),
			 void *ud, struct err *e)
{
	struct dirent *de;
	DIR *d;
	int fd, k = 0;

	/* A fresh open, not dup(): a dup shares the offset with circuitsfd. */
	fd = openat(s->circuitsfd, ".", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (fd < 0)
		return err_set(e, -errno, s->dir, "cannot read circuits/: %s", strerror(errno));
	d = fdopendir(fd);
	if (!d) {
		k = err_set(e, -errno, s->dir, "cannot read circuits/: %s", strerror(errno));
		close(fd);
		return k;
	}
	for (;;) {
		size_t stem;

		errno = 0;
		de = readdir(d);
		if (!de) {
			if (errno)
				k = err_set(e, -errno, s->dir, "cannot read circuits/: %s", strerror(errno));
			break;
		}
		if (!state_file_name(de->d_name, &stem))
			continue;
		k = fn(s, de->d_name, ud);
		if (k != 0)
			break;
	}
	closedir(d);
	return k;
}

struct find_ctx {
	const char *name;          /* case-insensitive name match, or NULL */
	const char *key;           /* canonical service key, or NULL */
	struct circuit *ret;
	struct err *e;
};

static int find_one(struct store *s, const char *fname, void *ud)
{
	struct find_ctx *x = ud;
	size_t stem = strlen(fname) - 4;
	struct circuit c;
	int k;

	if (x->name) {
		if (strlen(x->name) != stem || strncasecmp(fname, x->name, stem) != 0)
			return 0;
		k = load_file(s, fname, x->ret, x->e);
		if (k == -ENOENT)
			return 0;    /* removed while we scanned */
		return k < 0 ? k : 1;
	}
	k = load_file(s, fname, &c, x->e);
	if (k == -ENOENT)
		return 0;    /* removed while we scanned */
	if (k < 0)
		return k;
	if (strcmp(c.service_key, x->key) == 0) {
		*x->ret = c;
		return 1;
	}
	circuit_clear(&c);
	return 0;
}

static int find_locked(struct store *s, const char *name_or_key, struct circuit *ret, struct err *e);

int store_find(struct store *s, const char *name_or_key, struct circuit *ret, struct err *e)
{
	int k = store_commit_lock(s, false, e);

	if (k < 0)
		return k;
	k = find_locked(s, name_or_key, ret, e);
	store_commit_unlock(s);
	return k;
}

static int find_locked(struct store *s, const char *name_or_key, struct circuit *ret, struct err *e)
{
	char key[GUID_STRLEN], fname[CIRCUIT_NAME_MAX + 8];
	struct find_ctx x = { .ret = ret, .e = e };
	bool is_key;
	int k;

	if (names_check_circuit(name_or_key) == 0) {
		snprintf(fname, sizeof(fname), "%s.ini", name_or_key);
		k = load_file(s, fname, ret, e);
		if (k != -ENOENT)
			return k;
		x.name = name_or_key;
		k = scan_circuits(s, find_one, &x, e);
		if (k != 0)
			return k < 0 ? k : 0;
	}
	is_key = guid_parse(name_or_key, key) == 0;
	if (is_key) {
		x.name = NULL;
		x.key = key;
		k = scan_circuits(s, find_one, &x, e);
		if (k != 0)
			return k < 0 ? k : 0;
		return err_set(e, -ENOENT, name_or_key,
			       "The specified dedicated circuit with service key '%s' was not found.",
			       name_or_key);
	}
	return err_set(e, -ENOENT, name_or_key, "The specified dedicated circuit '%s' was not found.",
		       name_or_key);
}

/* store_list reads the files from one thread per CPU (up to 4): on a large lab, most of `down`'s and
 * half of a no-change `up`'s own work is reading state files. */
#define LIST_THREADS 4

struct load_run {
	struct store *s;
	char **names;
	struct circuit *list;
	int *r;
	unsigned first_bad[LIST_THREADS];   /* per thread: index of its first failure, or UINT_MAX */
	struct err e[LIST_THREADS];
};

static void load_one(void *ud, unsigned i, unsigned t)
{
	struct load_run *run = ud;
	char fname[CIRCUIT_NAME_MAX + 8];
	struct err e = {0};

	snprintf(fname, sizeof(fname), "%s.ini", run->names[i]);
	run->r[i] = load_file(run->s, fname, &run->list[i], &e);
	if (run->r[i] < 0 && run->r[i] != -ENOENT && i < run->first_bad[t]) {
		run->first_bad[t] = i;
		run->e[t] = e;
	}
}

static int by_name(const void *a, const void *b)
{
	return strcmp(((const struct circuit *)a)->name, ((const struct circuit *)b)->name);
}

static int list_locked(struct store *s, struct circuit **ret, unsigned *ret_n, struct err *e);

int store_list(struct store *s, struct circuit **ret, unsigned *ret_n, struct err *e)
{
	int k = store_commit_lock(s, false, e);

	if (k < 0)
		return k;
	k = list_locked(s, ret, ret_n, e);
	store_commit_unlock(s);
	return k;
}

static int list_locked(struct store *s, struct circuit **ret, unsigned *ret_n, struct err *e)
{
	struct load_run run = { .s = s };
	unsigned n = 0, m = 0, bad = UINT_MAX, bad_t = 0;
	int k;

	if ((k = store_names(s, &run.names, &n, e)) < 0)
		return k;
	if (!(run.list = calloc(n ? n : 1, sizeof(*run.list))) || !(run.r = calloc(n ? n : 1, sizeof(*run.r)))) {
		k = err_set(e, -ENOMEM, s->dir, "out of memory listing circuits/");
		goto out;
	}
	for (unsigned t = 0; t < LIST_THREADS; t++)
		run.first_bad[t] = UINT_MAX;
	par_for(n, par_cpus(LIST_THREADS), 0, load_one, &run);
	for (unsigned t = 0; t < LIST_THREADS; t++)
		if (run.first_bad[t] < bad) {
			bad = run.first_bad[t];
			bad_t = t;
		}
	for (unsigned i = 0; i < n; i++)
		if (run.r[i] == 0)
			run.list[m++] = run.list[i];
	if (bad != UINT_MAX) {
		*e = run.e[bad_t];
		k = run.r[bad];
		circuit_list_free(run.list, m);
		run.list = NULL;
		goto out;
	}
	if (m > 1)
		qsort(run.list, m, sizeof(*run.list), by_name);
	*ret = run.list;
	*ret_n = m;
	run.list = NULL;
	k = 0;
out:
	free(run.list);
	free(run.r);
	for (unsigned i = 0; i < n; i++)
		free(run.names[i]);
	free(run.names);
	return k;
}

static int taken_one(struct store *s, const char *fname, void *ud)
{
	const char *name = ud;
	size_t stem = strlen(fname) - 4;

	(void)s;
	return strlen(name) == stem && strncasecmp(fname, name, stem) == 0;
}

bool store_name_taken(struct store *s, const char *name)
{
	return scan_circuits(s, taken_one, (void *)name, NULL) > 0;
}

static int write_all(int fd, const char *buf, size_t len)
{
	while (len > 0) {
		ssize_t n = write(fd, buf, len);

		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			return -errno;
		buf += n;
		len -= (size_t)n;
	}
	return 0;
}

int circuit_render(const struct circuit *c, char **ret_buf, size_t *ret_len, struct err *e)
{
	const char *bad = circuit_unstorable(c);
	FILE *f;
	int k;

	*ret_buf = NULL;
	*ret_len = 0;
	if (bad)
		return err_set(e, -EINVAL, c->name, "cannot save the circuit: its %s cannot be stored "
			       "(quotes, backslashes, control characters or an invalid value)", bad);
	/* Render first: nothing touches the disk unless the whole file could be produced. */
	f = open_memstream(ret_buf, ret_len);
	if (!f)
		return err_set(e, -errno, c->name, "cannot render the state file: %s", strerror(errno));
	k = circuit_write_ini(c, f);
	if (fclose(f) != 0 && k == 0)
		k = -EIO;
	if (k < 0) {
		free(*ret_buf);
		*ret_buf = NULL;
		return err_set(e, k, c->name, "cannot render the state file");
	}
	return 0;
}

int store_write_at(int dirfd, const char *dirname, const char *fname, const char *buf, size_t len,
		   struct err *e)
{
	char tmp[NAME_MAX + 1];
	int fd, k;

	snprintf(tmp, sizeof(tmp), ".%.*s.tmp", NAME_MAX - 6, fname);
	fd = openat(dirfd, tmp, O_CREAT | O_EXCL | O_WRONLY | O_CLOEXEC | O_NOFOLLOW, 0600);
	if (fd < 0 && errno == EEXIST) {
		/* Left by a command killed mid-save; we hold the lock, so nobody else is writing it. */
		unlinkat(dirfd, tmp, 0);
		fd = openat(dirfd, tmp, O_CREAT | O_EXCL | O_WRONLY | O_CLOEXEC | O_NOFOLLOW, 0600);
	}
	if (fd < 0)
		return err_set(e, -errno, dirname, "cannot create %s: %s", tmp, strerror(errno));
	k = write_all(fd, buf, len);
	if (k == 0 && fsync(fd) < 0)
		k = -errno;
	if (close(fd) < 0 && k == 0)
		k = -errno;
	if (k < 0) {
		err_set(e, k, dirname, "cannot write %s: %s", tmp, strerror(-k));
		goto out_tmp;
	}
	if (renameat(dirfd, tmp, dirfd, fname) < 0) {
		k = err_set(e, -errno, dirname, "cannot rename %s to %s: %s", tmp, fname, strerror(errno));
		goto out_tmp;
	}
	if (fsync(dirfd) < 0)
		/* The new file is in place; only its durability across a crash is in doubt. */
		return err_set(e, -errno, dirname, "cannot fsync: %s", strerror(errno));
	return 0;

out_tmp:
	unlinkat(dirfd, tmp, 0);
	return k;
}

int store_save(struct store *s, const struct circuit *c, struct err *e)
{
	char final[CIRCUIT_NAME_MAX + 8], dirname[sizeof(s->dir) + 16];
	char *buf;
	size_t len;
	int k;

	if ((k = circuit_render(c, &buf, &len, e)) < 0)
		return k;
	snprintf(final, sizeof(final), "%s.ini", c->name);
	snprintf(dirname, sizeof(dirname), "%s/circuits", s->dir);
	if ((k = store_commit_lock(s, true, e)) == 0) {
		k = store_write_at(s->circuitsfd, dirname, final, buf, len, e);
		store_commit_unlock(s);
	}
	free(buf);
	return k;
}

int store_unlink(struct store *s, const char *name, struct err *e)
{
	char fname[CIRCUIT_NAME_MAX + 8];
	int k;

	if (names_check_circuit(name) < 0)
		return err_set(e, -EINVAL, name, "not a valid circuit name");
	snprintf(fname, sizeof(fname), "%s.ini", name);
	if ((k = store_commit_lock(s, true, e)) < 0)
		return k;
	k = unlinkat(s->circuitsfd, fname, 0) < 0 ? -errno : 0;
	store_commit_unlock(s);
	if (k < 0) {
		errno = -k;
		if (errno == ENOENT)
			return err_set(e, -ENOENT, name,
				       "The specified dedicated circuit '%s' was not found.", name);
		return err_set(e, -errno, s->dir, "cannot remove circuits/%s: %s", fname, strerror(errno));
	}
	return 0;
}

int store_sync(struct store *s, struct err *e)
{
	if (fsync(s->circuitsfd) < 0)
		return err_set(e, -errno, s->dir, "cannot fsync circuits/: %s", strerror(errno));
	return 0;
}

int store_delete(struct store *s, const char *name, struct err *e)
{
	int r = store_unlink(s, name, e);

	return r < 0 ? r : store_sync(s, e);
}

struct names_ud {
	char **v;
	unsigned n;
};

static int name_one(struct store *s, const char *fname, void *ud)
{
	struct names_ud *u = ud;
	char **v = realloc(u->v, (u->n + 1) * sizeof(*v));

	(void)s;
	if (!v)
		return -ENOMEM;
	u->v = v;
	if (!(v[u->n] = strndup(fname, strlen(fname) - 4)))
		return -ENOMEM;
	u->n++;
	return 0;
}

int store_names(struct store *s, char ***ret, unsigned *ret_n, struct err *e)
{
	struct names_ud u = { 0 };
	int k = scan_circuits(s, name_one, &u, e);

	if (k < 0) {
		for (unsigned i = 0; i < u.n; i++)
			free(u.v[i]);
		free(u.v);
		return k == -ENOMEM ? err_set(e, k, s->dir, "out of memory") : k;
	}
	*ret = u.v;
	*ret_n = u.n;
	return 0;
}
