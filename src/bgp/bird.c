/* SPDX-License-Identifier: MIT */
#include "bgp/bird.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <unistd.h>

#include "core/num.h"
#include "kernel/kernel.h"

#define START_TIMEOUT_MS 5000
#define STOP_TIMEOUT_MS 5000
#define TERM_TIMEOUT_MS 3000
#define CTL_TIMEOUT_MS 10000
#define POLL_MS 50

/* One reply line: its code (continuations inherit the previous one) and its text. */
struct line {
	int code;
	char *text;
};

struct reply {
	struct line *v;
	unsigned n, cap;
	int code;                /* the final line's */
	char *final;             /* the final line's text */
};

struct ctl {
	int fd;
	char buf[8192];
	size_t len, off;
};

static long long now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (long long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

static void sleep_ms(long ms)
{
	struct timespec ts = { .tv_sec = ms / 1000, .tv_nsec = (ms % 1000) * 1000000 };

	nanosleep(&ts, NULL);
}

static void reply_free(struct reply *r)
{
	unsigned i;

	for (i = 0; i < r->n; i++)
		free(r->v[i].text);
	free(r->v);
	memset(r, 0, sizeof(*r));
}

/* A line of the control protocol, without its newline, into *ret (heap). -EPIPE at EOF. */
static int ctl_getline(struct ctl *c, char **ret, long long deadline)
{
	char *line = NULL;
	size_t n = 0;

	for (;;) {
		char *nl = memchr(c->buf + c->off, '\n', c->len - c->off);
		size_t take = nl ? (size_t)(nl - (c->buf + c->off)) : c->len - c->off;
		char *grown = realloc(line, n + take + 1);
		struct pollfd pfd = { .fd = c->fd, .events = POLLIN };
		ssize_t got;
		long long left;

		if (!grown) {
			free(line);
			return -ENOMEM;
		}
		line = grown;
		memcpy(line + n, c->buf + c->off, take);
		n += take;
		line[n] = '\0';
		c->off += take;
		if (nl) {
			c->off++;
			*ret = line;
			return 0;
		}
		c->off = c->len = 0;
		left = deadline - now_ms();
		if (left <= 0 || poll(&pfd, 1, (int)left) == 0) {
			free(line);
			return -ETIMEDOUT;
		}
		got = read(c->fd, c->buf, sizeof(c->buf));
		if (got < 0 && (errno == EINTR || errno == EAGAIN))
			continue;
		if (got <= 0) {
			free(line);
			return got < 0 ? -errno : -EPIPE;
		}
		c->len = (size_t)got;
	}
}

static bool is_code(const char *s)
{
	return s[0] >= '0' && s[0] <= '9' && s[1] >= '0' && s[1] <= '9' && s[2] >= '0' && s[2] <= '9' &&
	       s[3] >= '0' && s[3] <= '9' && (s[4] == '-' || s[4] == ' ');
}

/* Lines up to the one that ends the reply ("NNNN text"); spontaneous "+" lines are dropped. */
static int ctl_reply(struct ctl *c, struct reply *r)
{
	long long deadline = now_ms() + CTL_TIMEOUT_MS;
	int code = 0;

	memset(r, 0, sizeof(*r));
	for (;;) {
		char *s = NULL;
		int rc = ctl_getline(c, &s, deadline);
		bool last = false;
		struct line l;

		if (rc < 0) {
			reply_free(r);
			return rc;
		}
		if (s[0] == '+') {
			free(s);
			continue;
		}
		if (is_code(s)) {
			code = (s[0] - '0') * 1000 + (s[1] - '0') * 100 + (s[2] - '0') * 10 + (s[3] - '0');
			last = s[4] == ' ';
			memmove(s, s + 5, strlen(s + 5) + 1);
		} else if (s[0] == ' ') {
			memmove(s, s + 1, strlen(s + 1) + 1);
		}
		if (r->n == r->cap) {
			unsigned cap = r->cap ? r->cap * 2 : 64;
			struct line *v = realloc(r->v, cap * sizeof(*v));

			if (!v) {
				free(s);
				reply_free(r);
				return -ENOMEM;
			}
			r->v = v;
			r->cap = cap;
		}
		l.code = code;
		l.text = s;
		r->v[r->n++] = l;
		if (last) {
			r->code = code;
			r->final = s;
			return 0;
		}
	}
}

static int ctl_connect(const char *path, int *ret_fd)
{
	struct sockaddr_un sa = { .sun_family = AF_UNIX };
	int fd;

	if (strlen(path) >= sizeof(sa.sun_path))
		return -ENAMETOOLONG;
	memcpy(sa.sun_path, path, strlen(path) + 1);
	fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
	if (fd < 0)
		return -errno;
	if (connect(fd, (struct sockaddr *)&sa, sizeof(sa)) < 0) {
		int r = -errno;

		close(fd);
		return r;
	}
	*ret_fd = fd;
	return 0;
}

/* Connect and read the welcome ("0001 BIRD 2.0.12 ready."). */
static int ctl_open(struct ctl *c, const char *path, struct err *e)
{
	struct reply r;
	int rc;

	memset(c, 0, sizeof(*c));
	rc = ctl_connect(path, &c->fd);
	if (rc < 0)
		return err_set(e, rc, path, "cannot connect to the BIRD control socket: %s", strerror(-rc));
	rc = ctl_reply(c, &r);
	if (rc == 0 && r.code != 1) {
		rc = -EPROTO;
		reply_free(&r);
	}
	if (rc < 0) {
		close(c->fd);
		return err_set(e, rc, path, "no BIRD welcome on the control socket: %s", strerror(-rc));
	}
	reply_free(&r);
	return 0;
}

/* Send one command, read its whole reply. */
static int ctl_cmd(struct ctl *c, const char *path, const char *cmd, struct reply *r, struct err *e)
{
	size_t n = strlen(cmd), done = 0;
	char *line = malloc(n + 2);
	int rc = 0;

	if (!line)
		return err_set(e, -ENOMEM, path, "out of memory");
	memcpy(line, cmd, n);
	line[n++] = '\n';
	while (done < n) {
		ssize_t w = send(c->fd, line + done, n - done, MSG_NOSIGNAL);

		if (w < 0 && errno == EINTR)
			continue;
		if (w < 0) {
			rc = -errno;
			break;
		}
		done += (size_t)w;
	}
	free(line);
	if (rc == 0)
		rc = ctl_reply(c, r);
	if (rc < 0)
		return err_set(e, rc, path, "BIRD command \"%s\" failed: %s", cmd, strerror(-rc));
	return 0;
}

/* One command on a fresh connection. */
static int bird_query(const char *path, const char *cmd, struct reply *r, struct err *e)
{
	struct ctl c;
	int rc;

	rc = ctl_open(&c, path, e);
	if (rc < 0)
		return rc;
	rc = ctl_cmd(&c, path, cmd, r, e);
	close(c.fd);
	return rc;
}

bool bird_running(const char *ctl)
{
	struct ctl c;

	if (ctl_open(&c, ctl, NULL) < 0)
		return false;
	close(c.fd);
	return true;
}

/* mkdir of the last component's parent (the state dir's "bird"), 0700; an existing one is fine. */
static int make_parent(const char *path, struct err *e)
{
	char dir[4096];
	char *slash;

	snprintf(dir, sizeof(dir), "%s", path);
	slash = strrchr(dir, '/');
	if (!slash || slash == dir)
		return 0;
	*slash = '\0';
	if (mkdir(dir, 0700) < 0 && errno != EEXIST)
		return err_set(e, -errno, dir, "cannot create the BIRD directory: %s", strerror(errno));
	return 0;
}

int bird_write_conf(const char *path, const char *text, struct err *e)
{
	char tmp[4200];
	size_t n = strlen(text), done = 0;
	int fd, r;

	if (bird_conf_check_path(path) < 0)
		return err_set(e, -EINVAL, "BIRD config", "path is not absolute or has quotes or control characters");
	r = make_parent(path, e);
	if (r < 0)
		return r;
	snprintf(tmp, sizeof(tmp), "%s.tmp", path);
	fd = open(tmp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC | O_NOFOLLOW, 0600);
	if (fd < 0)
		return err_set(e, -errno, tmp, "cannot create: %s", strerror(errno));
	while (done < n) {
		ssize_t w = write(fd, text + done, n - done);

		if (w < 0 && errno == EINTR)
			continue;
		if (w < 0)
			goto fail;
		done += (size_t)w;
	}
	if (fsync(fd) < 0)
		goto fail;
	if (close(fd) < 0) {
		fd = -1;
		goto fail;
	}
	if (rename(tmp, path) < 0) {
		r = -errno;
		unlink(tmp);
		return err_set(e, r, path, "cannot replace the BIRD config: %s", strerror(-r));
	}
	return 0;
fail:
	r = -errno;
	if (fd >= 0)
		close(fd);
	unlink(tmp);
	return err_set(e, r, tmp, "cannot write the BIRD config: %s", strerror(-r));
}

/* The last non-empty line of text, for error details. */
static void last_line(const char *text, char *buf, size_t len)
{
	const char *end = text + strlen(text), *start;

	while (end > text && (end[-1] == '\n' || end[-1] == '\r'))
		end--;
	start = end;
	while (start > text && start[-1] != '\n')
		start--;
	snprintf(buf, len, "%.*s", (int)(end - start), start);
}

/* Whatever a file gained since offset `from` (the log of this start attempt), tail only. */
static void read_tail(const char *path, off_t from, char *buf, size_t len)
{
	char text[4096];
	ssize_t got;
	struct stat st;
	int fd;

	buf[0] = '\0';
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return;
	if (fstat(fd, &st) == 0 && st.st_size - from > (off_t)sizeof(text) - 1)
		from = st.st_size - (off_t)sizeof(text) + 1;
	got = pread(fd, text, sizeof(text) - 1, from);
	close(fd);
	if (got <= 0)
		return;
	text[got] = '\0';
	last_line(text, buf, len);
}

/* Run argv, its stderr into out (NUL-terminated, truncated). Returns the wait status or -errno. */
static int run_capture(char *const argv[], char *out, size_t len)
{
	int pfd[2], st;
	size_t n = 0;
	pid_t pid;

	out[0] = '\0';
	if (pipe2(pfd, O_CLOEXEC) < 0)
		return -errno;
	pid = fork();
	if (pid < 0) {
		int r = -errno;

		close(pfd[0]);
		close(pfd[1]);
		return r;
	}
	if (pid == 0) {
		int devnull = open("/dev/null", O_RDWR | O_CLOEXEC);

		if (devnull >= 0) {
			dup2(devnull, 0);
			dup2(devnull, 1);
		}
		dup2(pfd[1], 2);
		execv(argv[0], argv);
		_exit(127);
	}
	close(pfd[1]);
	for (;;) {
		ssize_t got = read(pfd[0], out + n, len - 1 - n);

		if (got < 0 && errno == EINTR)
			continue;
		if (got <= 0)
			break;
		n += (size_t)got;
		if (n == len - 1) {
			char sink[512];

			while (read(pfd[0], sink, sizeof(sink)) > 0)
				;
			break;
		}
	}
	out[n] = '\0';
	close(pfd[0]);
	while (waitpid(pid, &st, 0) < 0)
		if (errno != EINTR)
			return -errno;
	return st;
}

int bird_check_conf(const char *conf, struct err *e)
{
	char *argv[] = { (char *)BIRD_BIN, (char *)"-p", (char *)"-c", (char *)conf, NULL };
	char out[2048], line[400];
	int st;

	if (access(BIRD_BIN, X_OK) != 0)
		return err_set(e, -ENOENT, BIRD_BIN, "BIRD is not installed (Debian package bird2)");
	st = run_capture(argv, out, sizeof(out));
	if (st < 0)
		return err_set(e, st, BIRD_BIN, "cannot run: %s", strerror(-st));
	if (WIFEXITED(st) && WEXITSTATUS(st) == 0)
		return 0;
	last_line(out, line, sizeof(line));
	err_set(e, -EINVAL, conf, "BIRD refuses the configuration");
	if (line[0])
		err_detail(e, "%s", line);
	return -EINVAL;
}

static bool ns_name_ok(const char *ns)
{
	return ns[0] && strchr(ns, '/') == NULL && strcmp(ns, ".") != 0 && strcmp(ns, "..") != 0 &&
	       strlen(ns) < 256;
}

/* The child: the namespace, a session of its own, clean fds and signals, then BIRD. Only
 * async-signal-safe calls here; a failure goes back to the parent as an errno on errfd. */
static void child_exec(int nsfd, int logfd, int devnull, int errfd, char *const argv[])
{
	sigset_t none;
	int err, sig;

	sigemptyset(&none);
	sigprocmask(SIG_SETMASK, &none, NULL);
	for (sig = 1; sig < NSIG; sig++)
		if (sig != SIGKILL && sig != SIGSTOP)
			signal(sig, SIG_DFL);
	setsid();
	if (setns(nsfd, CLONE_NEWNET) < 0)
		goto fail;
	if (dup2(devnull, 0) < 0 || dup2(logfd, 1) < 0 || dup2(logfd, 2) < 0)
		goto fail;
	/* Keep errfd (close-on-exec) on 3 and close everything else the caller had open, such as
	 * the state dir's lock: BIRD outlives us and must not hold it. */
	if (errfd != 3 && dup3(errfd, 3, O_CLOEXEC) < 0)
		goto fail;
	if (close_range(4, ~0U, 0) < 0) {
		int fd;

		for (fd = 4; fd < 65536; fd++)
			close(fd);
	}
	execv(argv[0], argv);
	errfd = 3;
fail:
	err = errno;
	if (write(errfd, &err, sizeof(err)) < 0)
		_exit(126);
	_exit(127);
}

static bool pid_is_bird(pid_t pid)
{
	char path[64], comm[32] = "";
	ssize_t got;
	int fd;

	snprintf(path, sizeof(path), "/proc/%d/comm", (int)pid);
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return false;
	got = read(fd, comm, sizeof(comm) - 1);
	close(fd);
	if (got <= 0)
		return false;
	comm[got] = '\0';
	return strcmp(comm, "bird\n") == 0;
}

/* Gone: reaped if it was our child, or no such process, or a zombie waiting for its parent. */
static bool pid_gone(pid_t pid)
{
	char path[64], stat[256];
	ssize_t got;
	char *paren;
	int fd;

	if (waitpid(pid, NULL, WNOHANG) == pid)
		return true;
	if (kill(pid, 0) < 0 && errno == ESRCH)
		return true;
	snprintf(path, sizeof(path), "/proc/%d/stat", (int)pid);
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return true;
	got = read(fd, stat, sizeof(stat) - 1);
	close(fd);
	if (got <= 0)
		return true;
	stat[got] = '\0';
	paren = strrchr(stat, ')');
	return paren && paren[1] == ' ' && (paren[2] == 'Z' || paren[2] == 'X');
}

static bool wait_gone(pid_t pid, long ms)
{
	long long deadline = now_ms() + ms;

	while (!pid_gone(pid)) {
		if (now_ms() >= deadline)
			return false;
		sleep_ms(POLL_MS);
	}
	return true;
}

static void kill_child(pid_t pid)
{
	kill(pid, SIGTERM);
	if (!wait_gone(pid, TERM_TIMEOUT_MS)) {
		kill(pid, SIGKILL);
		wait_gone(pid, TERM_TIMEOUT_MS);
	}
}

static int write_pidfile(const char *path, pid_t pid)
{
	char buf[32];
	int fd, n, r = 0;

	fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC | O_NOFOLLOW, 0644);
	if (fd < 0)
		return -errno;
	n = snprintf(buf, sizeof(buf), "%d\n", (int)pid);
	if (write(fd, buf, (size_t)n) != n)
		r = -EIO;
	close(fd);
	return r;
}

/* Wait for the control socket; the child dying first is a failure with BIRD's last words. */
static int wait_ready(pid_t pid, const struct bird_paths *p, off_t log_from, struct err *e)
{
	long long deadline = now_ms() + START_TIMEOUT_MS;
	char tail[400];
	int st;

	for (;;) {
		pid_t w = waitpid(pid, &st, WNOHANG);

		if (w == pid) {
			read_tail(p->log, log_from, tail, sizeof(tail));
			if (WIFEXITED(st))
				err_set(e, -EIO, p->conf, "BIRD exited with status %d while starting",
					WEXITSTATUS(st));
			else
				err_set(e, -EIO, p->conf, "BIRD was killed by signal %d while starting",
					WTERMSIG(st));
			if (tail[0])
				err_detail(e, "%s", tail);
			return -EIO;
		}
		if (bird_running(p->ctl))
			return 0;
		if (now_ms() >= deadline)
			break;
		sleep_ms(POLL_MS);
	}
	kill_child(pid);
	read_tail(p->log, log_from, tail, sizeof(tail));
	err_set(e, -ETIMEDOUT, p->ctl, "BIRD did not answer on its control socket within %d s",
		START_TIMEOUT_MS / 1000);
	if (tail[0])
		err_detail(e, "%s", tail);
	return -ETIMEDOUT;
}

int bird_start(const char *ns, const struct bird_paths *p, struct err *e)
{
	char *argv[] = { (char *)BIRD_BIN, (char *)"-f", (char *)"-c", (char *)p->conf, (char *)"-s",
			 (char *)p->ctl, (char *)"-P", (char *)p->pid, NULL };
	char nspath[300];
	int nsfd = -1, logfd = -1, devnull = -1, errp[2] = { -1, -1 }, r, child_errno = 0;
	struct stat st;
	off_t log_from = 0;
	pid_t pid;
	ssize_t got;

	if (!ns_name_ok(ns))
		return err_set(e, -EINVAL, "BIRD", "namespace name \"%s\" is not usable", ns);
	if (bird_conf_check_path(p->ctl) < 0 || bird_conf_check_path(p->pid) < 0 ||
	    bird_conf_check_path(p->log) < 0 || bird_conf_check_path(p->conf) < 0)
		return err_set(e, -EINVAL, ns, "BIRD paths must be absolute, without quotes or control characters");
	if (strlen(p->ctl) >= BIRD_CTL_MAX)
		return err_set(e, -ENAMETOOLONG, p->ctl, "too long for a control socket");
	if (bird_running(p->ctl))
		return err_set(e, -EEXIST, p->ctl, "a BIRD is already running on this control socket");
	r = bird_check_conf(p->conf, e);
	if (r < 0)
		return r;
	if ((r = make_parent(p->ctl, e)) < 0 || (r = make_parent(p->pid, e)) < 0 || (r = make_parent(p->log, e)) < 0)
		return r;

	snprintf(nspath, sizeof(nspath), "%s/%s", KERNEL_NETNS_DIR, ns);
	nsfd = open(nspath, O_RDONLY | O_CLOEXEC);
	if (nsfd < 0) {
		r = err_set(e, -errno, nspath, "cannot open the namespace for BIRD: %s", strerror(errno));
		goto out;
	}
	logfd = open(p->log, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC | O_NOFOLLOW, 0600);
	if (logfd < 0) {
		r = err_set(e, -errno, p->log, "cannot open the BIRD log: %s", strerror(errno));
		goto out;
	}
	if (fstat(logfd, &st) == 0)
		log_from = st.st_size;
	devnull = open("/dev/null", O_RDWR | O_CLOEXEC);
	if (devnull < 0 || pipe2(errp, O_CLOEXEC) < 0) {
		r = err_set(e, -errno, "BIRD", "cannot prepare the daemon's files: %s", strerror(errno));
		goto out;
	}

	pid = fork();
	if (pid < 0) {
		r = err_set(e, -errno, "BIRD", "fork: %s", strerror(errno));
		goto out;
	}
	if (pid == 0)
		child_exec(nsfd, logfd, devnull, errp[1], argv);
	close(errp[1]);
	errp[1] = -1;
	do
		got = read(errp[0], &child_errno, sizeof(child_errno));
	while (got < 0 && errno == EINTR);
	if (got == (ssize_t)sizeof(child_errno)) {
		while (waitpid(pid, NULL, 0) < 0 && errno == EINTR)
			;
		r = err_set(e, -child_errno, ns, "cannot start %s in the namespace: %s", BIRD_BIN,
			    strerror(child_errno));
		goto out;
	}
	r = wait_ready(pid, p, log_from, e);
	/* BIRD writes its pid file itself; make sure it is there whatever its version does. */
	if (r == 0 && access(p->pid, F_OK) != 0)
		write_pidfile(p->pid, pid);
out:
	if (errp[0] >= 0)
		close(errp[0]);
	if (errp[1] >= 0)
		close(errp[1]);
	if (devnull >= 0)
		close(devnull);
	if (logfd >= 0)
		close(logfd);
	if (nsfd >= 0)
		close(nsfd);
	return r;
}

int bird_configure(const char *ctl, struct err *e)
{
	struct reply r;
	int rc;

	rc = bird_query(ctl, "configure", &r, e);
	if (rc < 0)
		return rc;
	switch (r.code) {
	case 3:  /* Reconfigured */
	case 4:  /* Reconfiguration in progress */
	case 5:  /* already in progress, queued */
	case 17: /* already in progress, queued config replaced */
	case 20: /* Configuration OK */
		rc = 0;
		break;
	case 8002:
		rc = err_set(e, -EINVAL, ctl, "BIRD refuses the new configuration");
		err_detail(e, "%s", r.final);
		break;
	default:
		rc = err_set(e, -EIO, ctl, "BIRD did not reconfigure");
		err_detail(e, "%04d %s", r.code, r.final);
		break;
	}
	reply_free(&r);
	return rc;
}

int bird_ensure(const char *ns, const struct bird_paths *p, struct err *e)
{
	int r;

	if (!bird_running(p->ctl))
		return bird_start(ns, p, e);
	r = bird_check_conf(p->conf, e);
	if (r < 0)
		return r;
	return bird_configure(p->ctl, e);
}

static pid_t read_pidfile(const char *path)
{
	char buf[32];
	uint32_t v;
	ssize_t got;
	int fd;

	fd = open(path, O_RDONLY | O_CLOEXEC | O_NOFOLLOW);
	if (fd < 0)
		return 0;
	got = read(fd, buf, sizeof(buf) - 1);
	close(fd);
	if (got <= 0)
		return 0;
	buf[got] = '\0';
	buf[strcspn(buf, "\n")] = '\0';
	if (num_parse_u32(buf, 2, 4194304, &v) < 0)
		return 0;
	return (pid_t)v;
}

int bird_stop(const char *ctl, const char *pidfile, struct err *e)
{
	pid_t pid = read_pidfile(pidfile);
	struct ctl c;
	int r = 0;

	/* A stale pid file may name a recycled pid: only a process called bird is ours to stop. */
	if (pid > 0 && !pid_is_bird(pid))
		pid = 0;
	if (ctl_open(&c, ctl, NULL) == 0) {
		struct reply rep;

		if (ctl_cmd(&c, ctl, "down", &rep, NULL) == 0)
			reply_free(&rep);
		close(c.fd);
	}
	if (pid > 0 && !wait_gone(pid, STOP_TIMEOUT_MS)) {
		kill(pid, SIGTERM);
		if (!wait_gone(pid, TERM_TIMEOUT_MS)) {
			kill(pid, SIGKILL);
			if (!wait_gone(pid, TERM_TIMEOUT_MS))
				r = err_set(e, -ETIMEDOUT, pidfile, "BIRD pid %d survives SIGKILL", (int)pid);
		}
	} else if (pid == 0) {
		/* No pid to watch: wait for the socket to go quiet instead. */
		long long deadline = now_ms() + STOP_TIMEOUT_MS;

		while (bird_running(ctl) && now_ms() < deadline)
			sleep_ms(POLL_MS);
		if (bird_running(ctl))
			r = err_set(e, -ETIMEDOUT, ctl, "BIRD without a pid file ignores \"down\"");
	}
	if (r == 0) {
		unlink(ctl);
		unlink(pidfile);
	}
	return r;
}

/* ---- show protocols all ---- */

static bool looks_like_date(const char *s)
{
	return strlen(s) == 10 && s[4] == '-' && s[7] == '-';
}

static time_t parse_since(const char *text)
{
	struct tm tm;
	char *end;

	memset(&tm, 0, sizeof(tm));
	end = strptime(text, "%Y-%m-%d %H:%M:%S", &tm);
	if (!end)
		return 0;
	tm.tm_isdst = -1;
	return mktime(&tm);
}

/* "name proto table state since... info" (code 1002). */
static void parse_proto_line(const char *text, struct bird_session *s, char *proto, size_t plen)
{
	char tok[6][64];
	int n = 0;
	const char *p = text;

	memset(tok, 0, sizeof(tok));
	while (n < 6 && *p) {
		size_t len;

		while (*p == ' ')
			p++;
		len = strcspn(p, " ");
		if (!len)
			break;
		snprintf(tok[n++], sizeof(tok[0]), "%.*s", (int)len, p);
		p += len;
	}
	snprintf(s->name, sizeof(s->name), "%s", tok[0]);
	snprintf(proto, plen, "%s", tok[1]);
	snprintf(s->proto_state, sizeof(s->proto_state), "%.7s", tok[3]);
	if (looks_like_date(tok[4]))
		snprintf(s->since, sizeof(s->since), "%.10s %.20s", tok[4], tok[5]);
	else
		snprintf(s->since, sizeof(s->since), "%.31s", tok[4]);
	s->since_s = parse_since(s->since);
}

static const char *after_key(const char *text, const char *key)
{
	size_t n = strlen(key);

	while (*text == ' ' || *text == '\t')
		text++;
	if (strncmp(text, key, n) != 0)
		return NULL;
	text += n;
	while (*text == ' ' || *text == '\t')
		text++;
	return text;
}

/* "1 imported, 0 filtered, 1 exported, 1 preferred" (filtered only with keep filtered). */
static void parse_routes(const char *v, struct bird_session *s)
{
	while (*v) {
		char word[16];
		unsigned long n;
		char *end;
		int used = 0;

		n = strtoul(v, &end, 10);
		if (end == v || sscanf(end, " %15[a-z]%n", word, &used) != 1)
			return;
		if (strcmp(word, "imported") == 0)
			s->imported += (uint32_t)n;
		else if (strcmp(word, "filtered") == 0)
			s->filtered += (uint32_t)n;
		else if (strcmp(word, "exported") == 0)
			s->exported += (uint32_t)n;
		else if (strcmp(word, "preferred") == 0)
			s->preferred += (uint32_t)n;
		v = end + used;
		while (*v == ',' || *v == ' ')
			v++;
	}
}

static void parse_detail(const char *text, struct bird_session *s)
{
	const char *v;

	if ((v = after_key(text, "BGP state:")))
		snprintf(s->state, sizeof(s->state), "%s", v);
	else if ((v = after_key(text, "Neighbor address:")))
		cidr_parse_addr(v, &s->neighbor);
	else if ((v = after_key(text, "Neighbor AS:")))
		num_parse_u32(v, 0, UINT32_MAX, &s->neighbor_as);
	else if ((v = after_key(text, "Routes:")))
		parse_routes(v, s);
	else if ((v = after_key(text, "Last error:")))
		snprintf(s->last_error, sizeof(s->last_error), "%s", v);
}

int bird_sessions(const char *ctl, struct bird_session **ret, unsigned *ret_n, struct err *e)
{
	struct bird_session *v = NULL, *cur = NULL;
	unsigned n = 0, i;
	struct reply r;
	int rc;

	*ret = NULL;
	*ret_n = 0;
	rc = bird_query(ctl, "show protocols all", &r, e);
	if (rc < 0)
		return rc;
	if (r.code != 0) {
		rc = err_set(e, -EIO, ctl, "BIRD: show protocols failed");
		err_detail(e, "%04d %s", r.code, r.final);
		goto out;
	}
	for (i = 0; i < r.n; i++) {
		if (r.v[i].code == 1002) {
			struct bird_session s = { 0 };
			char proto[64];

			cur = NULL;
			parse_proto_line(r.v[i].text, &s, proto, sizeof(proto));
			if (strcmp(proto, "BGP") != 0)
				continue;
			if (n % 16 == 0) {
				struct bird_session *g = realloc(v, (n + 16) * sizeof(*v));

				if (!g) {
					rc = err_set(e, -ENOMEM, ctl, "out of memory");
					goto out;
				}
				v = g;
			}
			v[n] = s;
			cur = &v[n++];
		} else if (r.v[i].code == 1006 && cur) {
			parse_detail(r.v[i].text, cur);
		}
	}
	for (i = 0; i < n; i++)
		if (!v[i].state[0])
			snprintf(v[i].state, sizeof(v[i].state), "%s", v[i].proto_state);
	*ret = v;
	*ret_n = n;
	v = NULL;
out:
	free(v);
	reply_free(&r);
	return rc;
}

/* ---- show route ---- */

static bool proto_name_ok(const char *s)
{
	size_t i, n = strlen(s);

	if (n == 0 || n > 63)
		return false;
	for (i = 0; i < n; i++)
		if (!((s[i] >= 'a' && s[i] <= 'z') || (s[i] >= 'A' && s[i] <= 'Z') ||
		      (s[i] >= '0' && s[i] <= '9') || s[i] == '_'))
			return false;
	return true;
}

/* "10.1.0.0/16          unicast [private_primary ...] * (100) [AS12076i]"; a blank network
 * (spaces) is another route for the previous one. Returns false for other lines ("Table master4:"). */
static bool parse_route_line(const char *text, const struct cidr *prev, struct bird_route *rt)
{
	char net[CIDR_STRLEN + 8] = "";
	const char *bracket = strchr(text, '[');

	memset(rt, 0, sizeof(*rt));
	if (!bracket)
		return false;
	if (text[0] != ' ') {
		size_t len = strcspn(text, " \t");

		if (len >= sizeof(net))
			return false;
		memcpy(net, text, len);
		net[len] = '\0';
		if (cidr_parse(net, &rt->network) < 0)
			return false;
	} else if (prev && prev->family) {
		rt->network = *prev;
	} else {
		return false;
	}
	bracket = strchr(bracket, ']');
	rt->best = bracket && strncmp(bracket, "] *", 3) == 0;
	return true;
}

int bird_routes(const char *ctl, const char *protocol, bool filtered, struct bird_route **ret, unsigned *ret_n,
		struct err *e)
{
	struct bird_route *v = NULL, *cur = NULL;
	struct cidr prev = { 0 };
	unsigned n = 0, i;
	char cmd[128];
	struct reply r;
	int rc;

	*ret = NULL;
	*ret_n = 0;
	if (!proto_name_ok(protocol))
		return err_set(e, -EINVAL, ctl, "protocol name \"%s\" is not [A-Za-z0-9_]", protocol);
	snprintf(cmd, sizeof(cmd), "show route %sprotocol %s all", filtered ? "filtered " : "", protocol);
	rc = bird_query(ctl, cmd, &r, e);
	if (rc < 0)
		return rc;
	if (r.code != 0) {
		/* 9001/9002: the name is not a protocol BIRD knows. */
		rc = err_set(e, r.code >= 9000 ? -ENOENT : -EIO, ctl, "BIRD: %s failed", cmd);
		err_detail(e, "%04d %s", r.code, r.final);
		goto out;
	}
	for (i = 0; i < r.n; i++) {
		const char *t = r.v[i].text, *val;

		if (t[0] != '\t' && r.v[i].code == 1007) {
			struct bird_route rt;

			cur = NULL;
			if (!parse_route_line(t, &prev, &rt))
				continue;
			prev = rt.network;
			if (n % 64 == 0) {
				struct bird_route *g = realloc(v, (n + 64) * sizeof(*v));

				if (!g) {
					rc = err_set(e, -ENOMEM, ctl, "out of memory");
					goto out;
				}
				v = g;
			}
			v[n] = rt;
			cur = &v[n++];
		} else if (!cur || t[0] != '\t') {
			/* Route details are the tab-indented lines under their route. */
			continue;
		} else if ((val = after_key(t, "via "))) {
			char addr[CIDR_STRLEN + 8];

			if (!cur->next_hop.family && sscanf(val, "%63s", addr) == 1)
				cidr_parse_addr(addr, &cur->next_hop);
		} else if ((val = after_key(t, "BGP.as_path:"))) {
			snprintf(cur->as_path, sizeof(cur->as_path), "%s", val);
		} else if ((val = after_key(t, "BGP.local_pref:"))) {
			num_parse_u32(val, 0, UINT32_MAX, &cur->local_pref);
		}
	}
	*ret = v;
	*ret_n = n;
	v = NULL;
out:
	free(v);
	reply_free(&r);
	return rc;
}
