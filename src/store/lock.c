/* SPDX-License-Identifier: MIT */
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "store/state.h"

#define POLL_NS 10000000L            /* 10 ms between LOCK_NB attempts */
#define WAIT_MAX_SECONDS 1e9         /* keeps the deadline inside time_t */

static bool stop_pending(void)
{
	sigset_t pending;

	return sigpending(&pending) == 0 && (sigismember(&pending, SIGINT) == 1 || sigismember(&pending, SIGTERM) == 1 ||
					      sigismember(&pending, SIGHUP) == 1);
}

static long long now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (long long)ts.tv_sec * 1000000000LL + ts.tv_nsec;
}

/*
 * flock(fd, op) within wait_seconds: 0, -EAGAIN when still held by another (its message says by
 * what), -EINTR when a stop signal came while waiting. Polling LOCK_NB instead of a blocking
 * flock with an alarm keeps the deadline exact and needs no signal handler.
 */
static int flock_wait(const struct store *s, int fd, int op, double wait_seconds, const char *held, struct err *e)
{
	long long deadline, left;

	if (!(wait_seconds >= 0))      /* negative or NaN */
		wait_seconds = 0;
	if (wait_seconds > WAIT_MAX_SECONDS)
		wait_seconds = WAIT_MAX_SECONDS;
	deadline = now_ns() + (long long)(wait_seconds * 1e9);
	for (;;) {
		struct timespec ts = { 0, 0 };

		if (flock(fd, op | LOCK_NB) == 0)
			return 0;
		if (errno == EINTR)
			continue;
		if (errno != EWOULDBLOCK)
			return err_set(e, -errno, s->dir, "cannot lock the state dir: %s", strerror(errno));
		left = deadline - now_ns();
		/* Waiting, a stop signal (blocked while erlab works) ends the wait. */
		if (stop_pending())
			return err_set(e, -EINTR, s->dir, "interrupted while waiting for the lock");
		if (left <= 0) {
			err_set(e, -EAGAIN, s->dir, "%s", held);
			return -EAGAIN;
		}
		ts.tv_nsec = left < POLL_NS ? left : POLL_NS;
		nanosleep(&ts, NULL);
	}
}

/*
 * flock(2) rather than fcntl locks: it belongs to the open file description, so it goes away with
 * the last close, even after SIGKILL. What is locked is the state directory itself, opened anew
 * from the store's own descriptor: a lock file could be deleted or replaced under a running
 * command and let a second one in beside it; the directory we hold cannot be swapped. It also
 * needs no write access, so reads work on a read-only state dir.
 */
int store_lock(struct store *s, bool exclusive, double wait_seconds, struct err *e)
{
	bool opened = false;
	int fd = s->lockfd, k;

	if (fd < 0) {
		fd = openat(s->dirfd, ".", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
		if (fd < 0)
			return err_set(e, -errno, s->dir, "cannot open the state dir to lock it: %s", strerror(errno));
		opened = true;
	}
	k = flock_wait(s, fd, exclusive ? LOCK_EX : LOCK_SH, wait_seconds,
		       "the state dir is locked by another erlab command", e);
	if (k == -EAGAIN)
		err_detail(e, "waited %g s; use --wait SECONDS to wait longer", wait_seconds > 0 ? wait_seconds : 0);
	if (k < 0) {
		if (opened)
			close(fd);
		return k;
	}
	s->lockfd = fd;
	return 0;
}

void store_unlock(struct store *s)
{
	if (s->lockfd >= 0) {
		close(s->lockfd);
		s->lockfd = -1;
	}
}

/*
 * The commit lock (store/state.h): circuits/ itself, a directory of its own so that it is apart
 * from the writers' lock on the state dir. A writer holds it only while a state file is renamed
 * into place or unlinked, a reader while it lists and reads the files; either waits at most
 * COMMIT_WAIT_SECONDS for the other.
 */
#define COMMIT_WAIT_SECONDS 60.0

int store_commit_lock(struct store *s, bool exclusive, struct err *e)
{
	if (s->commitfd < 0) {
		s->commitfd = openat(s->circuitsfd, ".", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
		if (s->commitfd < 0)
			return err_set(e, -errno, s->dir, "cannot open circuits/ to lock it: %s", strerror(errno));
	}
	return flock_wait(s, s->commitfd, exclusive ? LOCK_EX : LOCK_SH, COMMIT_WAIT_SECONDS,
			  "circuits/ is held by another erlab command for over a minute", e);
}

void store_commit_unlock(struct store *s)
{
	if (s->commitfd >= 0)
		flock(s->commitfd, LOCK_UN);
}
