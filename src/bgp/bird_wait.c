/* SPDX-License-Identifier: MIT */
/*
 * Many BIRDs at once (docs/bgp.md, "Starting, reconfiguring and stopping BIRD"): waiting for the
 * launched ones to answer on their control sockets, and for the stopped ones to be gone. One
 * BIRD's start or stop is mostly BIRD's own time (exec, its libraries, its config, its protocols);
 * waited for together, those times overlap instead of adding up.
 */
#include "bgp/bird.h"

#include <errno.h>
#include <poll.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <unistd.h>

#include "bgp/bird_int.h"

/* BIRDs watched by one poll(): a fixed array, so that waiting needs no memory of its own. */
#define WATCH_MAX 256
/* While some BIRD has no listening socket yet: how often to try connecting again. */
#define CONNECT_AGAIN_MS 2
/* Otherwise the longest poll(), so that a deadline is seen in time. */
#define WATCH_MS 50

/* A connection to ctl that never waits: 0 with *ret_fd, or -errno (ENOENT, ECONNREFUSED: BIRD is
 * not listening yet; EAGAIN: its backlog is full). */
static int connect_now(const char *ctl, int *ret_fd)
{
	struct sockaddr_un sa = { .sun_family = AF_UNIX };
	size_t len = strlen(ctl);
	int fd, r;

	if (len >= sizeof(sa.sun_path))
		return -ENAMETOOLONG;
	memcpy(sa.sun_path, ctl, len + 1);
	fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC | SOCK_NONBLOCK, 0);
	if (fd < 0)
		return -errno;
	if (connect(fd, (struct sockaddr *)&sa, sizeof(sa)) < 0) {
		r = -errno;
		close(fd);
		return r;
	}
	*ret_fd = fd;
	return 0;
}

/* l failed with r (l->err set): its socket and pid file go; its log stays, with the words that made
 * the error's detail, until the next start or the circuit's removal. */
static void failed(struct bird_launch *l, int r)
{
	char dir[PATH_MAX], piddir[PATH_MAX];
	const char *ctlname, *pidname;
	int dfd;

	l->result = r;
	if (l->fd >= 0)
		close(l->fd);
	l->fd = -1;
	if (bird_split_path(l->ctl, dir, &ctlname) < 0 || bird_split_path(l->pidfile, piddir, &pidname) < 0 ||
	    strcmp(dir, piddir) != 0 || (dfd = bird_dir_open(dir, false, NULL)) < 0)
		return;
	unlinkat(dfd, ctlname, 0);
	unlinkat(dfd, pidname, 0);
	close(dfd);
}

/* The last line of l's log, for an error's detail. */
static void tail_of(const struct bird_launch *l, char *buf, size_t len)
{
	char dir[PATH_MAX];
	const char *name;
	int dfd;

	buf[0] = '\0';
	if (bird_split_path(l->log, dir, &name) < 0 || (dfd = bird_dir_open(dir, false, NULL)) < 0)
		return;
	bird_read_tail(dfd, name, buf, len);
	close(dfd);
}

/*
 * BIRD exited (status st) before it answered. One that refuses its config exits with status 1:
 * `bird -p` then says so in BIRD's own words, as the check before each start used to (that check
 * cost an exec of BIRD on every start; now only a failed one pays it).
 */
static void exited(struct bird_launch *l, int st)
{
	char tail[400];

	memset(&l->err, 0, sizeof(l->err));
	if (WIFEXITED(st) && WEXITSTATUS(st) == 1 && bird_check_conf(l->bin, l->conf, &l->err) == -EINVAL) {
		failed(l, -EINVAL);
		return;
	}
	tail_of(l, tail, sizeof(tail));
	if (WIFEXITED(st))
		err_set(&l->err, -EIO, l->conf, "BIRD exited with status %d while starting", WEXITSTATUS(st));
	else
		err_set(&l->err, -EIO, l->conf, "BIRD was killed by signal %d while starting", WTERMSIG(st));
	if (tail[0])
		err_detail(&l->err, "%s", tail);
	failed(l, -EIO);
}

static void timed_out(struct bird_launch *l)
{
	char tail[400];

	bird_term_then_kill(l->pid, l->conf, NULL);
	tail_of(l, tail, sizeof(tail));
	err_set(&l->err, -ETIMEDOUT, l->ctl, "BIRD did not answer on its control socket within %d s",
		BIRD_START_TIMEOUT_MS / 1000);
	if (tail[0])
		err_detail(&l->err, "%s", tail);
	failed(l, -ETIMEDOUT);
}

/*
 * Did l's exec happen? Its pipe brings the child's errno when exec failed (the child then exits
 * 127) and closes at a successful exec. 1: not known yet; 0: it did; -errno: it failed (l failed).
 */
static int exec_done(struct bird_launch *l)
{
	int child_errno = 0, st;
	ssize_t got;

	if (l->execfd < 0)
		return 0;
	do
		got = read(l->execfd, &child_errno, sizeof(child_errno));
	while (got < 0 && errno == EINTR);
	if (got < 0 && errno == EAGAIN)
		return 1;
	close(l->execfd);
	l->execfd = -1;
	if (got != (ssize_t)sizeof(child_errno))
		return 0;
	while (waitpid(l->pid, &st, 0) < 0 && errno == EINTR)
		;
	err_set(&l->err, -child_errno, l->ns ? l->ns : "BIRD", "cannot start %s in the namespace: %s", l->bin,
		strerror(child_errno));
	failed(l, -child_errno);
	return -child_errno;
}

/* l's connection is readable: BIRD's welcome ("0001 BIRD 2.0.12 ready.") means it answers; the
 * end of the connection means it went (waitpid says how) or was not yet ready to keep it. */
static void readable(struct bird_launch *l)
{
	ssize_t got = read(l->fd, l->got + l->n_got, sizeof(l->got) - l->n_got);

	if (got < 0 && (errno == EAGAIN || errno == EINTR))
		return;
	if (got > 0) {
		l->n_got += (unsigned)got;
		if (l->n_got < 5)
			return;
		if (memcmp(l->got, "0001 ", 5) == 0) {
			l->result = 0;
			close(l->fd);
			l->fd = -1;
			return;
		}
	}
	close(l->fd);
	l->fd = -1;
	l->n_got = 0;
}

/*
 * One watch of up to WATCH_MAX launched BIRDs, until none of them is still pending. A BIRD launched
 * long before the watch (a lab of many circuits takes seconds to make) may have passed its start
 * deadline while it answered all along: each gets at least BIRD_CTL_DEADLINE_MS from now, an
 * exchange's time, so that only one that does not answer when asked is taken to have hung.
 */
static void watch(struct bird_launch *v, unsigned n)
{
	long long asked = bird_now_ms() + BIRD_CTL_DEADLINE_MS;
	struct pollfd pfd[WATCH_MAX];
	unsigned at[WATCH_MAX];

	for (unsigned i = 0; i < n; i++)
		if (v[i].result == 1 && v[i].deadline < asked)
			v[i].deadline = asked;
	for (;;) {
		unsigned m = 0, left = 0;
		long long now = bird_now_ms(), next = now + WATCH_MS;
		bool connecting = false;

		for (unsigned i = 0; i < n; i++) {
			struct bird_launch *l = &v[i];
			int st;

			if (l->result != 1 || exec_done(l) < 0)
				continue;
			if (l->execfd >= 0) {
				/* Not exec'd yet: no socket to look for, its pipe is watched instead. */
				pfd[m].fd = l->execfd;
				pfd[m].events = POLLIN;
				pfd[m].revents = 0;
				at[m++] = i;
				left++;
				if (l->deadline < next)
					next = l->deadline;
				continue;
			}
			if (waitpid(l->pid, &st, WNOHANG) == l->pid) {
				exited(l, st);
				continue;
			}
			if (l->fd < 0 && connect_now(l->ctl, &l->fd) < 0)
				connecting = true;
			if (l->fd >= 0) {
				pfd[m].fd = l->fd;
				pfd[m].events = POLLIN;
				pfd[m].revents = 0;
				at[m++] = i;
			}
			if (l->deadline < next)
				next = l->deadline;
			left++;
		}
		if (!left)
			return;
		poll(pfd, m, connecting ? CONNECT_AGAIN_MS : next > now ? (int)(next - now) : 0);
		for (unsigned k = 0; k < m; k++)
			if (pfd[k].revents && pfd[k].fd == v[at[k]].fd)
				readable(&v[at[k]]);
		now = bird_now_ms();
		for (unsigned i = 0; i < n; i++)
			if (v[i].result == 1 && now >= v[i].deadline)
				timed_out(&v[i]);
	}
}

int bird_launch_wait(struct bird_launch *v, unsigned n, struct err *e)
{
	for (unsigned base = 0; base < n; base += WATCH_MAX)
		watch(v + base, n - base < WATCH_MAX ? n - base : WATCH_MAX);
	for (unsigned i = 0; i < n; i++)
		if (v[i].result < 0) {
			if (e)
				*e = v[i].err;
			return v[i].result;
		}
	return 0;
}

/* Gone, or no more a BIRD (its pid now someone else's). */
static bool stopped(pid_t pid)
{
	return pid <= 0 || bird_pid_gone(pid) || !bird_pid_is_bird(pid);
}

int bird_stop_wait(const pid_t *pids, unsigned n, struct err *e)
{
	long long deadline = bird_now_ms() + BIRD_STOP_TIMEOUT_MS;
	unsigned first = 0;
	int r = 0;

	/* Every pid before `first` is gone: each is looked at until it is, never again after. */
	for (long nap = 1;; nap = nap < 16 ? nap * 2 : 16) {
		while (first < n && stopped(pids[first]))
			first++;
		if (first == n) {
			bird_wait_reaped(pids, n);
			return 0;
		}
		if (bird_now_ms() >= deadline)
			break;
		bird_sleep_ms(nap);
	}
	for (unsigned i = first; i < n; i++) {
		char what[32];
		int k;

		if (stopped(pids[i]))
			continue;
		snprintf(what, sizeof(what), "BIRD pid %d", (int)pids[i]);
		if ((k = bird_term_then_kill(pids[i], what, r ? NULL : e)) < 0 && !r)
			r = k;
	}
	return r;
}
