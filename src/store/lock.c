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
 * flock(2) rather than fcntl locks: it belongs to the open file description, so it goes away with
 * the last close, even after SIGKILL. What is locked is the state directory itself, opened anew
 * from the store's own descriptor: a lock file could be deleted or replaced under a running
 * command and let a second one in beside it; the directory we hold cannot be swapped. It also
 * needs no write access, so reads work on a read-only state dir. Polling LOCK_NB instead of a
 * blocking flock with an alarm keeps the deadline exact and needs no signal handler.
 */
int store_lock(struct store *s, bool exclusive, double wait_seconds, struct err *e)
{
	long long deadline, left;
	int op = (exclusive ? LOCK_EX : LOCK_SH) | LOCK_NB;
	bool opened = false;
	int fd = s->lockfd, k;

	if (!(wait_seconds >= 0))      /* negative or NaN */
		wait_seconds = 0;
	if (wait_seconds > WAIT_MAX_SECONDS)
		wait_seconds = WAIT_MAX_SECONDS;

	if (fd < 0) {
		fd = openat(s->dirfd, ".", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
		if (fd < 0)
			return err_set(e, -errno, s->dir, "cannot open the state dir to lock it: %s", strerror(errno));
		opened = true;
	}

	deadline = now_ns() + (long long)(wait_seconds * 1e9);
	for (;;) {
		struct timespec ts = { 0, 0 };

		if (flock(fd, op) == 0)
			break;
		if (errno == EINTR)
			continue;
		if (errno != EWOULDBLOCK) {
			k = err_set(e, -errno, s->dir, "cannot lock the state dir: %s", strerror(errno));
			goto fail;
		}
		left = deadline - now_ns();
		/* Waiting, a stop signal (blocked while erlab works) ends the wait. */
		if (stop_pending()) {
			k = err_set(e, -EINTR, s->dir, "interrupted while waiting for the lock");
			goto fail;
		}
		if (left <= 0) {
			k = err_set(e, -EAGAIN, s->dir, "the state dir is locked by another erlab command");
			err_detail(e, "waited %g s; use --wait SECONDS to wait longer", wait_seconds);
			goto fail;
		}
		ts.tv_nsec = left < POLL_NS ? left : POLL_NS;
		nanosleep(&ts, NULL);
	}
	s->lockfd = fd;
	return 0;

fail:
	if (opened)
		close(fd);
	return k;
}
