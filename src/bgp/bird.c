/* SPDX-License-Identifier: MIT */
/* The BIRD daemons: config files written and checked, started in a namespace, reconfigured, stopped. */
#include "bgp/bird.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "bgp/bird_int.h"
#include "core/num.h"
#include "kernel/kernel.h"

/* Waiting for a BIRD to go: 1 ms, doubling to this. BIRD takes a few ms to shut down, and the old
 * 50 ms steps were most of what stopping one cost. */
#define POLL_MAX_MS 16

void bird_sleep_ms(long ms)
{
	struct timespec ts = { .tv_sec = ms / 1000, .tv_nsec = (ms % 1000) * 1000000 };

	nanosleep(&ts, NULL);
}

/* ---- which BIRD ---- */

/* path names an executable regular file (symlinks followed): 0, or -errno. */
static int executable(const char *path)
{
	struct stat st;

	if (stat(path, &st) < 0)
		return -errno;
	if (!S_ISREG(st.st_mode))
		return -EISDIR;
	return access(path, X_OK) < 0 ? -errno : 0;
}

/* An explicit choice: `source` says where it came from ("ERLAB_BIRD", "[bgp] bird_path"). */
static int find_given(const char *source, const char *path, char ret[PATH_MAX], struct err *e)
{
	const char *base = strrchr(path, '/');
	char shown[ERR_SHOW_MAX + 4], what[ERR_SHOW_MAX + 40], cwd[PATH_MAX];
	int r;

	snprintf(what, sizeof(what), "%s=%s", source, err_show(path, shown));
	base = base ? base + 1 : path;
	if (strcmp(base, "bird") != 0) {
		return err_set(e, -EINVAL, what, "the BIRD daemon must be a file named bird, as erlab knows its BIRDs "
				   "by that name (a symbolic link named bird to it will do)");
	}
	if (path[0] == '/') {
		if (strlen(path) >= PATH_MAX)
			return err_set(e, -ENAMETOOLONG, what, "path too long");
		strcpy(ret, path);
	} else {
		if (!getcwd(cwd, sizeof(cwd)))
			return err_set(e, -errno, what, "cannot resolve a relative path: %s", strerror(errno));
		if ((size_t)snprintf(ret, PATH_MAX, "%s/%s", cwd, path) >= PATH_MAX)
			return err_set(e, -ENAMETOOLONG, what, "path too long");
	}
	if ((r = executable(ret)) == 0)
		return 0;
	return err_set(e, -ENOPKG, what, "cannot run BIRD from there: %s", r == -ENOENT ? "no such file" :
		       r == -EISDIR ? "not a regular file" : r == -EACCES ? "not executable" : strerror(-r));
}

int bird_find_in(const char *want, const char *env, const char *path, const char *fallback, char ret[PATH_MAX],
		 struct err *e)
{
	const char *lists[2] = { path ? path : "", fallback ? fallback : "" };
	char shown[ERR_SHOW_MAX + 4];

	if (want && *want)
		return find_given("[bgp] bird_path", want, ret, e);
	if (env && *env)
		return find_given(BIRD_ENV, env, ret, e);
	for (int i = 0; i < 2; i++) {
		for (const char *d = lists[i]; *d;) {
			size_t n = strcspn(d, ":");

			/* Only absolute directories: an empty or relative one would run a `bird` from
			 * wherever erlab happens to be started. */
			if (n && d[0] == '/' && (size_t)snprintf(ret, PATH_MAX, "%.*s/bird", (int)n, d) < PATH_MAX &&
			    executable(ret) == 0)
				return 0;
			d += n;
			if (*d == ':')
				d++;
		}
	}
	ret[0] = '\0';
	return err_set(e, -ENOPKG, "bird",
		       "BIRD 2 not found: looked for bird in PATH (%s) and in %s, and %s is not set: install bird2, "
		       "or name the daemon with %s=/path/to/bird or a lab's [bgp] bird_path",
		       path ? err_show(path, shown) : "unset", fallback && *fallback ? fallback : "no other directory",
		       BIRD_ENV, BIRD_ENV);
}

int bird_find(const char *want, char ret[PATH_MAX], struct err *e)
{
	return bird_find_in(want, getenv(BIRD_ENV), getenv("PATH"), BIRD_SBIN_DIRS, ret, e);
}

/* ---- BIRD's directory ---- */

/* path's directory into dir and a pointer to its last component (inside path) into *ret_base. */
int bird_split_path(const char *path, char dir[PATH_MAX], const char **ret_base)
{
	const char *slash = strrchr(path, '/');

	if (!slash || slash == path || !slash[1] || (size_t)(slash - path) >= PATH_MAX ||
	    strlen(slash + 1) > NAME_MAX)
		return -EINVAL;
	memcpy(dir, path, (size_t)(slash - path));
	dir[slash - path] = '\0';
	*ret_base = slash + 1;
	return 0;
}

/* The four files of p, which must share one directory (bird_paths_init puts them in <state>/bird):
 * that directory into dir, their names into names[] (conf, ctl, pid, log). */
static int paths_split(const struct bird_paths *p, char dir[PATH_MAX], const char *names[4], struct err *e)
{
	const char *paths[4] = { p->conf, p->ctl, p->pid, p->log };
	char other[PATH_MAX];

	for (int i = 0; i < 4; i++)
		if (bird_conf_check_path(paths[i]) < 0 || bird_split_path(paths[i], i ? other : dir, &names[i]) < 0 ||
		    (i && strcmp(other, dir) != 0))
			return err_set(e, -EINVAL, paths[i],
				       "BIRD's files must be absolute paths in one directory, without quotes or control characters");
	return 0;
}

/*
 * Open BIRD's directory (the state dir's bird/) as an O_PATH fd for the *at() calls, and make sure
 * it is a directory of ours that nobody else can write to. Everything erlab puts there goes
 * through this fd, and BIRD truncates its pid file and appends to its log by path, following
 * symlinks: a bird/ that is a symlink, or that someone else can change, would point those writes
 * at another file. Such a directory is refused, never repaired: as src/store/state.c refuses such
 * a state dir, it is someone's doing that the user must see. O_PATH (not O_DIRECTORY) so a
 * symlink opens as itself and gets its own message. create: mkdir it (0700) when missing.
 * Returns the fd, or -errno with e naming the directory.
 */
int bird_dir_open(const char *dir, bool create, struct err *e)
{
	struct stat st;
	int fd, r;

	if (create && mkdir(dir, 0700) < 0 && errno != EEXIST)
		return err_set(e, -errno, dir, "cannot create BIRD's directory: %s", strerror(errno));
	fd = open(dir, O_PATH | O_NOFOLLOW | O_CLOEXEC);
	if (fd < 0)
		return err_set(e, -errno, dir, "cannot open BIRD's directory: %s", strerror(errno));
	if (fstat(fd, &st) < 0) {
		r = err_set(e, -errno, dir, "cannot stat BIRD's directory: %s", strerror(errno));
		goto fail;
	}
	if (S_ISLNK(st.st_mode)) {
		r = err_set(e, -ELOOP, dir, "BIRD's directory is a symlink; refusing to write through it");
		goto fail;
	}
	if (!S_ISDIR(st.st_mode)) {
		r = err_set(e, -ENOTDIR, dir, "BIRD's directory is not a directory");
		goto fail;
	}
	if (st.st_uid != geteuid()) {
		r = err_set(e, -EPERM, dir, "BIRD's directory is owned by uid %u, expected %u", (unsigned)st.st_uid,
			    (unsigned)geteuid());
		goto fail;
	}
	if (st.st_mode & 077) {
		r = err_set(e, -EPERM, dir, "BIRD's directory has mode %04o, expected 0700",
			    (unsigned)(st.st_mode & 07777));
		goto fail;
	}
	return fd;
fail:
	close(fd);
	return r;
}

/* Remove name from BIRD's directory dfd (dir) if it is there; unlinkat never follows a symlink. */
static int unlink_stale(int dfd, const char *dir, const char *name, struct err *e)
{
	char what[PATH_MAX + NAME_MAX + 2];
	int err;

	if (unlinkat(dfd, name, 0) == 0 || (err = errno) == ENOENT)
		return 0;
	return err_set(e, -err, err_fmt(what, sizeof(what), "%s/%s", dir, name), "cannot remove: %s", strerror(err));
}

int bird_write_conf(const char *path, const char *text, struct err *e)
{
	char dir[PATH_MAX], tmp[NAME_MAX + 1];
	size_t n = strlen(text), done = 0;
	const char *base;
	int dfd, fd = -1, r;

	if (bird_conf_check_path(path) < 0 || bird_split_path(path, dir, &base) < 0)
		return err_set(e, -EINVAL, "BIRD config", "path is not absolute or has quotes or control characters");
	if ((size_t)snprintf(tmp, sizeof(tmp), "%s.tmp", base) >= sizeof(tmp))
		return err_set(e, -ENAMETOOLONG, path, "the BIRD config's name is too long");
	if ((dfd = bird_dir_open(dir, true, e)) < 0)
		return dfd;
	/* A leftover of an interrupted write (or anything planted by that name) goes first, so that
	 * O_EXCL makes a new file and nothing is written through a link. */
	if ((r = unlink_stale(dfd, dir, tmp, e)) < 0)
		goto out;
	fd = openat(dfd, tmp, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0600);
	if (fd < 0) {
		r = err_set(e, -errno, path, "cannot create the BIRD config's temporary file: %s", strerror(errno));
		goto out;
	}
	while (done < n) {
		ssize_t w = write(fd, text + done, n - done);

		if (w < 0 && errno == EINTR)
			continue;
		if (w < 0) {
			r = err_set(e, -errno, path, "cannot write the BIRD config: %s", strerror(errno));
			goto fail;
		}
		done += (size_t)w;
	}
	if (fsync(fd) < 0) {
		r = err_set(e, -errno, path, "cannot write the BIRD config: %s", strerror(errno));
		goto fail;
	}
	/* rename replaces whatever bears the config's name, a symlink too, and never follows it. */
	if (renameat(dfd, tmp, dfd, base) == 0) {
		r = 0;
		goto out;
	}
	r = err_set(e, -errno, path, "cannot replace the BIRD config: %s", strerror(errno));
fail:
	unlinkat(dfd, tmp, 0);
out:
	if (fd >= 0)
		close(fd);
	close(dfd);
	return r;
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

/* The last line of a log in BIRD's directory dfd (a fresh one per start), for error details. */
void bird_read_tail(int dfd, const char *name, char *buf, size_t len)
{
	char text[4096];
	off_t from = 0;
	ssize_t got;
	struct stat st;
	int fd;

	buf[0] = '\0';
	fd = openat(dfd, name, O_RDONLY | O_NOFOLLOW | O_CLOEXEC);
	if (fd < 0)
		return;
	if (fstat(fd, &st) == 0 && st.st_size > (off_t)sizeof(text) - 1)
		from = st.st_size - (off_t)sizeof(text) + 1;
	got = pread(fd, text, sizeof(text) - 1, from);
	close(fd);
	if (got <= 0)
		return;
	text[got] = '\0';
	last_line(text, buf, len);
}

/*
 * fork(), its failure being the system's: fork's EAGAIN means a process or memory limit was hit,
 * and must not reach the exit code as EAGAIN, which erlab reserves for "refused by the current
 * state" (exit 3, src/core/err.c err_exit_code). It goes back as -ENOMEM (exit 1), e naming BIRD
 * and the kernel's own reason.
 */
static pid_t fork_for_bird(struct err *e)
{
	pid_t pid = fork();
	int err = errno;

	if (pid == 0) {
		/* erlab blocks its stop signals while it works (src/cli/main.c); BIRD must not. */
		sigset_t none;

		sigemptyset(&none);
		sigprocmask(SIG_SETMASK, &none, NULL);
	}
	if (pid >= 0)
		return pid;
	return err_set(e, err == EAGAIN ? -ENOMEM : -err, "bird", "cannot fork to run BIRD: %s", strerror(err));
}

/* Run argv, its stderr into out (NUL-terminated, truncated). Returns the wait status, or -errno
 * with e set. */
static int run_capture(char *const argv[], char *out, size_t len, struct err *e)
{
	int pfd[2], st;
	size_t n = 0;
	pid_t pid;

	out[0] = '\0';
	if (pipe2(pfd, O_CLOEXEC) < 0)
		return err_set(e, -errno, argv[0], "cannot run: pipe: %s", strerror(errno));
	pid = fork_for_bird(e);
	if (pid < 0) {
		close(pfd[0]);
		close(pfd[1]);
		return pid;
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
			return err_set(e, -errno, argv[0], "cannot wait for it: %s", strerror(errno));
	return st;
}

int bird_check_conf(const char *bin, const char *conf, struct err *e)
{
	char *argv[] = { (char *)bin, (char *)"-p", (char *)"-c", (char *)conf, NULL };
	char out[2048], line[400];
	int st;

	if (access(bin, X_OK) != 0)
		return err_set(e, -ENOPKG, bin, "cannot run BIRD: %s", strerror(errno));
	st = run_capture(argv, out, sizeof(out), e);
	if (st < 0)
		return st;
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

/* /proc/<pid>/<file> into buf, NUL-terminated: its length, or -1 when it cannot be read (or is empty). */
static ssize_t proc_read(pid_t pid, const char *file, char *buf, size_t len)
{
	char path[64];
	ssize_t got;
	int fd;

	snprintf(path, sizeof(path), "/proc/%d/%s", (int)pid, file);
	if ((fd = open(path, O_RDONLY | O_CLOEXEC)) < 0)
		return -1;
	got = read(fd, buf, len - 1);
	close(fd);
	if (got <= 0)
		return -1;
	buf[got] = '\0';
	return got;
}

bool bird_pid_is_bird(pid_t pid)
{
	char comm[32];

	return proc_read(pid, "comm", comm, sizeof(comm)) > 0 && strcmp(comm, "bird\n") == 0;
}

/* The argument after flag ("-c") on pid's command line into buf: 0, or -1 when it has none. */
static int pid_arg(pid_t pid, const char *flag, char *buf, size_t len)
{
	char cmd[3 * PATH_MAX];
	ssize_t n = proc_read(pid, "cmdline", cmd, sizeof(cmd));
	const char *end = cmd + n;

	if (n < 0)
		return -1;
	for (const char *a = cmd; a < end; a += strlen(a) + 1) {
		const char *next = a + strlen(a) + 1;

		if (strcmp(a, flag) != 0 || next >= end)
			continue;
		if (strlen(next) >= len)
			return -1;
		memcpy(buf, next, strlen(next) + 1);
		return 0;
	}
	return -1;
}

/* pid is a BIRD started with `flag value` (its config, control socket or pid file). */
static bool pid_is_bird_with(pid_t pid, const char *flag, const char *value)
{
	char arg[PATH_MAX];

	return pid > 1 && bird_pid_is_bird(pid) && pid_arg(pid, flag, arg, sizeof(arg)) == 0 && strcmp(arg, value) == 0;
}

/* Gone: reaped if it was our child, or no such process, or a zombie waiting for its parent. */
bool bird_pid_gone(pid_t pid)
{
	char stat[256], *paren;

	if (waitpid(pid, NULL, WNOHANG) == pid)
		return true;
	if (kill(pid, 0) < 0 && errno == ESRCH)
		return true;
	if (proc_read(pid, "stat", stat, sizeof(stat)) < 0)
		return true;
	paren = strrchr(stat, ')');
	return paren && paren[1] == ' ' && (paren[2] == 'Z' || paren[2] == 'X');
}

/* Exited, and its parent has not collected it yet. */
static bool pid_is_zombie(pid_t pid)
{
	char stat[256], *paren;

	if (proc_read(pid, "stat", stat, sizeof(stat)) < 0)
		return false;
	paren = strrchr(stat, ')');
	return paren && paren[1] == ' ' && paren[2] == 'Z';
}

void bird_wait_reaped(const pid_t *pids, unsigned n)
{
	long long deadline = bird_now_ms() + REAP_GRACE_MS;

	for (unsigned i = 0; i < n; i++)
		for (long nap = 1; pids[i] > 1 && pid_is_zombie(pids[i]) && bird_now_ms() < deadline;
		     nap = nap < POLL_MAX_MS ? nap * 2 : POLL_MAX_MS)
			bird_sleep_ms(nap);
}

static bool wait_gone(pid_t pid, long ms)
{
	long long deadline = bird_now_ms() + ms;

	for (long nap = 1; !bird_pid_gone(pid); nap = nap < POLL_MAX_MS ? nap * 2 : POLL_MAX_MS) {
		if (bird_now_ms() >= deadline)
			return false;
		bird_sleep_ms(nap);
	}
	bird_wait_reaped(&pid, 1);
	return true;
}

/*
 * SIGTERM, then SIGKILL when it is still there BIRD_TERM_TIMEOUT_MS later and still called bird (not a
 * recycled pid); waits for it to go. A stopped process (SIGSTOP) acts on SIGTERM only once it
 * runs again, hence the SIGCONT; SIGKILL needs none. 0, or -ETIMEDOUT (e naming what) when it
 * survives SIGKILL.
 */
int bird_term_then_kill(pid_t pid, const char *what, struct err *e)
{
	kill(pid, SIGTERM);
	kill(pid, SIGCONT);
	if (wait_gone(pid, BIRD_TERM_TIMEOUT_MS) || !bird_pid_is_bird(pid))
		return 0;
	kill(pid, SIGKILL);
	if (wait_gone(pid, BIRD_TERM_TIMEOUT_MS))
		return 0;
	return err_set(e, -ETIMEDOUT, what, "BIRD pid %d survives SIGKILL", (int)pid);
}

int bird_kill(pid_t pid, struct err *e)
{
	char what[32];

	if (pid <= 1 || !bird_pid_is_bird(pid))
		return 0;
	snprintf(what, sizeof(what), "BIRD pid %d", (int)pid);
	return bird_term_then_kill(pid, what, e);
}

/* ---- whose BIRD ---- */

/*
 * stat of path as process pid sees it: looked up from its root and through its mount namespace,
 * which is what a walk from /proc/<pid>/root gives (proc(5)). An absolute symlink on the way would
 * be resolved from our root instead; it could only make the file ours by leading to this state
 * dir's very file. (openat2's RESOLVE_IN_ROOT would close that too, but valgrind, which the
 * sanitize tier runs erlab under, does not know the syscall.)
 */
static int stat_as_seen_by(pid_t pid, const char *path, struct stat *st)
{
	char via[PATH_MAX + 32];

	if ((size_t)snprintf(via, sizeof(via), "/proc/%d/root%s", (int)pid, path) >= sizeof(via))
		return -ENAMETOOLONG;
	return stat(via, st) < 0 ? -errno : 0;
}

/* stat of one of our BIRD files, through our bird/ directory and never through a symlink. */
static int stat_ours(const char *path, struct stat *st)
{
	char dir[PATH_MAX];
	const char *name;
	int dfd, r = 0;

	if (bird_split_path(path, dir, &name) < 0)
		return -EINVAL;
	if ((dfd = bird_dir_open(dir, false, NULL)) < 0)
		return dfd;
	if (fstatat(dfd, name, st, AT_SYMLINK_NOFOLLOW) < 0)
		r = -errno;
	close(dfd);
	return r;
}

/* /proc/<pid>/<link> and /proc/self/<link> are one object ("ns/mnt": one mount namespace). */
static bool same_as_ours(pid_t pid, const char *link)
{
	char theirs[64], ours[64];
	struct stat a, b;

	snprintf(theirs, sizeof(theirs), "/proc/%d/%s", (int)pid, link);
	snprintf(ours, sizeof(ours), "/proc/self/%s", link);
	return stat(theirs, &a) == 0 && stat(ours, &b) == 0 && a.st_dev == b.st_dev && a.st_ino == b.st_ino;
}

/*
 * Ownership is proven on the config file, not on its name: another erlab in a sandbox of its own
 * (its own mount namespace, its own state dir, even mounted at this very path) names its configs
 * exactly as we do. So the config BIRD was started with, looked up as BIRD sees it, must be the
 * very file (device and inode) this state dir holds under that name, looked up without following
 * a symlink. The config is rewritten by rename, so both lookups are of the current file, never of
 * the one BIRD first read. Only when that file is gone on both sides (the state dir removed by
 * hand; down --all must still stop its BIRDs, docs/DECISIONS.md) does the name decide, and then
 * only for a BIRD in our mount namespace and root: there the path names one place, this state dir.
 * A token in the config would have needed the file as well, and changed every config erlab writes.
 */
bool bird_pid_is_ours(pid_t pid, const char *state_dir)
{
	char conf[PATH_MAX], key[GUID_STRLEN];
	struct stat theirs, mine;
	struct bird_paths p;
	enum ns_role role;
	bool have_theirs, have_mine;

	if (pid <= 1 || !bird_pid_is_bird(pid) || pid_arg(pid, "-c", conf, sizeof(conf)) < 0 ||
	    bird_paths_parse_conf(conf, key, &role) < 0 || bird_paths_init(&p, state_dir, key, role, NULL) < 0)
		return false;
	have_theirs = stat_as_seen_by(pid, conf, &theirs) == 0;
	have_mine = stat_ours(p.conf, &mine) == 0;
	if (have_theirs || have_mine)
		return have_theirs && have_mine && theirs.st_dev == mine.st_dev && theirs.st_ino == mine.st_ino;
	return strcmp(conf, p.conf) == 0 && same_as_ours(pid, "ns/mnt") && same_as_ours(pid, "root");
}

/* name is one of the files bird_paths_init makes (or bird_write_conf's temporary file). */
static bool is_bird_file(const char *name)
{
	char key[GUID_STRLEN];
	struct bird_paths p;

	if (strlen(name) < GUID_STRLEN)
		return false;
	snprintf(key, sizeof(key), "%.*s", GUID_STRLEN - 1, name);
	for (int role = 0; role < _NS_MAX; role++) {
		const char *made[4] = { p.conf, p.ctl, p.pid, p.log };
		char tmp[NAME_MAX + 8];

		if (bird_paths_init(&p, "/", key, role, NULL) < 0)
			continue;
		for (int i = 0; i < 4; i++)
			if (strcmp(name, strrchr(made[i], '/') + 1) == 0)
				return true;
		snprintf(tmp, sizeof(tmp), "%s.tmp", strrchr(p.conf, '/') + 1);
		if (strcmp(name, tmp) == 0)
			return true;
	}
	return false;
}

int bird_sweep_files(const char *state_dir, unsigned *ret_removed, struct err *e)
{
	char dir[PATH_MAX];
	struct dirent *de;
	DIR *d = NULL;
	int dfd, fd, r = 0;

	if (bird_conf_check_path(state_dir) < 0 ||
	    (size_t)snprintf(dir, sizeof(dir), "%s/" BIRD_DIR_NAME, state_dir) >= sizeof(dir))
		return err_set(e, -EINVAL, "state dir", "not an absolute path without quotes or control characters");
	dfd = bird_dir_open(dir, false, e);
	if (dfd == -ENOENT)
		return 0;
	if (dfd < 0)
		return dfd;
	fd = openat(dfd, ".", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (fd < 0 || !(d = fdopendir(fd))) {
		r = err_set(e, -errno, dir, "cannot list BIRD's directory: %s", strerror(errno));
		if (fd >= 0)
			close(fd);
		goto out;
	}
	while ((de = readdir(d))) {
		int k;

		if (!is_bird_file(de->d_name))
			continue;
		if ((k = unlink_stale(dfd, dir, de->d_name, r ? NULL : e)) < 0 && !r)
			r = k;
		else if (k == 0 && ret_removed)
			(*ret_removed)++;
	}
	closedir(d);
out:
	close(dfd);
	return r;
}

/* ---- start and stop ---- */

/*
 * The pid in a pid file in BIRD's directory dfd, 0 when there is none (or no number). A BIRD of
 * ours that has exited already (it crashed, or was killed) is collected here: a zombie has no
 * command line, so every check below would take it for a foreign process and it would stay a
 * zombie of this process for as long as it lives (erlab serve: for good).
 */
static pid_t read_pidfile(int dfd, const char *name)
{
	char buf[32];
	uint32_t v;
	ssize_t got;
	int fd;

	fd = openat(dfd, name, O_RDONLY | O_CLOEXEC | O_NOFOLLOW);
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
	/* Only ours can be collected (ECHILD otherwise), and only a BIRD: another child's status is
	 * its waiter's. */
	if (bird_pid_is_bird((pid_t)v))
		waitpid((pid_t)v, NULL, WNOHANG);
	return (pid_t)v;
}

/*
 * The pid file, written as soon as the child is known (BIRD writes its own only once its config is
 * read), so that whoever stops it finds its pid from the first moment. BIRD opens the same file
 * without truncating it and later writes the same line; whichever comes first makes it.
 */
static int write_pidfile(int dfd, const char *name, pid_t pid)
{
	char buf[32];
	int fd, n, r = 0;

	fd = openat(dfd, name, O_WRONLY | O_CREAT | O_CLOEXEC | O_NOFOLLOW, 0644);
	if (fd < 0)
		return -errno;
	n = snprintf(buf, sizeof(buf), "%d\n", (int)pid);
	if (pwrite(fd, buf, (size_t)n, 0) != n)
		r = -EIO;
	close(fd);
	return r;
}

int bird_launch(const char *bin, const char *ns, const struct bird_paths *p, struct bird_launch *ret, struct err *e)
{
	char *argv[] = { (char *)bin, (char *)"-f", (char *)"-c", (char *)p->conf, (char *)"-s",
			 (char *)p->ctl, (char *)"-P", (char *)p->pid, NULL };
	char nspath[300], dir[PATH_MAX];
	const char *name[4];   /* conf, ctl, pid, log */
	int dfd = -1, nsfd = -1, logfd = -1, devnull = -1, errp[2] = { -1, -1 }, r;
	pid_t pid;

	memset(ret, 0, sizeof(*ret));
	ret->fd = -1;
	ret->execfd = -1;
	if (!ns_name_ok(ns))
		return err_set(e, -EINVAL, "BIRD", "namespace name \"%s\" is not usable", ns);
	if ((r = paths_split(p, dir, name, e)) < 0)
		return r;
	if (strlen(p->ctl) >= BIRD_CTL_MAX)
		return err_set(e, -ENAMETOOLONG, p->ctl, "too long for a control socket");
	if (access(bin, X_OK) != 0)
		return err_set(e, -ENOPKG, bin, "cannot run BIRD: %s", strerror(errno));
	if (bird_running(p->ctl))
		return err_set(e, -EEXIST, p->ctl, "a BIRD is already running on this control socket");
	/* The config is not checked first (`bird -p`, another exec of BIRD as long as the start
	 * itself): BIRD reads it before it answers, and one it refuses is told by
	 * bird_launch_wait with the same words. */
	if (!(ret->bin = strdup(bin)) || !(ret->conf = strdup(p->conf)) || !(ret->pidfile = strdup(p->pid)) ||
	    !(ret->log = strdup(p->log)) || !(ret->ns = strdup(ns))) {
		bird_launch_free(ret);
		return err_set(e, -ENOMEM, "BIRD", "out of memory");
	}
	snprintf(ret->ctl, sizeof(ret->ctl), "%s", p->ctl);
	if ((dfd = bird_dir_open(dir, true, e)) < 0) {
		bird_launch_free(ret);
		return dfd;
	}
	/* Its files are about to be removed: a BIRD that still runs on them (stopped, or too busy to
	 * answer) would be left without its socket, and a second one would fight it for the sessions. */
	pid = read_pidfile(dfd, name[2]);
	if (pid_is_bird_with(pid, "-c", p->conf)) {
		r = err_set(e, -EEXIST, p->pid, "BIRD pid %d runs with this config but does not answer on %s",
			    (int)pid, p->ctl);
		goto out;
	}
	/* Fresh files for this BIRD: it truncates its pid file and appends to its log by path,
	 * following symlinks, so whatever stands under those names (a previous run's files, a link
	 * planted there) goes first, and the previous run's log with it. */
	for (int i = 1; i < 4; i++)
		if ((r = unlink_stale(dfd, dir, name[i], e)) < 0)
			goto out;

	snprintf(nspath, sizeof(nspath), "%s/%s", KERNEL_NETNS_DIR, ns);
	nsfd = open(nspath, O_RDONLY | O_CLOEXEC);
	if (nsfd < 0) {
		r = err_set(e, -errno, nspath, "cannot open the namespace for BIRD: %s", strerror(errno));
		goto out;
	}
	logfd = openat(dfd, name[3], O_WRONLY | O_CREAT | O_EXCL | O_APPEND | O_CLOEXEC | O_NOFOLLOW, 0600);
	if (logfd < 0) {
		r = err_set(e, -errno, p->log, "cannot create the BIRD log: %s", strerror(errno));
		goto out;
	}
	devnull = open("/dev/null", O_RDWR | O_CLOEXEC);
	if (devnull < 0 || pipe2(errp, O_CLOEXEC | O_NONBLOCK) < 0) {
		r = err_set(e, -errno, "BIRD", "cannot prepare the daemon's files: %s", strerror(errno));
		goto out;
	}

	pid = fork_for_bird(e);
	if (pid < 0) {
		r = pid;
		goto out;
	}
	if (pid == 0)
		child_exec(nsfd, logfd, devnull, errp[1], argv);
	close(errp[1]);
	errp[1] = -1;
	/*
	 * Whether the child's exec worked is told by errp[0] (an errno, or just its end at the exec)
	 * and read by bird_launch_wait with the rest: erlab goes on with the next BIRD or circuit
	 * meanwhile instead of waiting for the kernel to load this one (issue 18).
	 */
	ret->execfd = errp[0];
	errp[0] = -1;
	write_pidfile(dfd, name[2], pid);
	ret->pid = pid;
	ret->deadline = bird_now_ms() + BIRD_START_TIMEOUT_MS;
	ret->result = 1;
out:
	if (r < 0)
		bird_launch_free(ret);
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
	close(dfd);
	return r;
}

int bird_start(const char *bin, const char *ns, const struct bird_paths *p, struct err *e)
{
	struct bird_launch l;
	int r = bird_launch(bin, ns, p, &l, e);

	if (r == 0)
		r = bird_launch_wait(&l, 1, e);
	bird_launch_free(&l);
	return r;
}

void bird_launch_free(struct bird_launch *l)
{
	if (l->fd >= 0)
		close(l->fd);
	if (l->execfd >= 0)
		close(l->execfd);
	l->fd = l->execfd = -1;
	free(l->bin);
	free(l->conf);
	free(l->pidfile);
	free(l->log);
	free(l->ns);
	l->bin = l->conf = l->pidfile = l->log = l->ns = NULL;
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
	bird_reply_free(&r);
	return rc;
}

int bird_ensure(const char *bin, const char *ns, const struct bird_paths *p, struct err *e)
{
	int r;

	if (!bird_running(p->ctl))
		return bird_start(bin, ns, p, e);
	r = bird_check_conf(bin, p->conf, e);
	if (r < 0)
		return r;
	return bird_configure(p->ctl, e);
}

/*
 * Stop the BIRD whose pid file is pidname in BIRD's directory dfd and whose socket is ctl; what
 * names it in errors. Only a bird started with this control socket is signalled (a pid file may
 * be stale and its pid recycled). A stopped BIRD (SIGSTOP) answers nothing and acts on no signal
 * but SIGKILL: SIGCONT first lets "down" reach it, and every exchange on the socket ends by
 * BIRD_CTL_DEADLINE_MS, so one that still does not answer costs that, then SIGTERM, then SIGKILL.
 */
static int stop_in(int dfd, const char *ctl, const char *pidname, const char *what, struct err *e)
{
	pid_t pid = read_pidfile(dfd, pidname);
	bool asked = false;
	struct ctl c;

	if (!pid_is_bird_with(pid, "-s", ctl))
		pid = 0;
	if (pid > 0)
		kill(pid, SIGCONT);
	if (bird_ctl_open(&c, ctl, NULL) == 0) {
		struct reply rep;

		if (bird_ctl_cmd(&c, ctl, "down", &rep, NULL) == 0) {
			asked = true;
			bird_reply_free(&rep);
		}
		close(c.fd);
	}
	if (pid > 0) {
		if (asked && wait_gone(pid, BIRD_STOP_TIMEOUT_MS))
			return 0;
		return bird_term_then_kill(pid, what, e);
	}
	if (asked) {
		/* No pid to watch: wait for the socket to go quiet instead. */
		long long deadline = bird_now_ms() + BIRD_STOP_TIMEOUT_MS;

		while (bird_running(ctl) && bird_now_ms() < deadline)
			bird_sleep_ms(POLL_MAX_MS);
		if (bird_running(ctl))
			return err_set(e, -ETIMEDOUT, ctl, "BIRD without a pid file ignores \"down\"");
	}
	return 0;
}

/* The directory of a BIRD's pid file and control socket (one directory), opened: its descriptor,
 * -ENOENT when it does not exist (nothing runs there), or another -errno. */
static int stop_dir_open(const char *ctl, const char *pidfile, char dir[PATH_MAX], const char **pidname,
			 const char **ctlname, struct err *e)
{
	char ctldir[PATH_MAX];

	if (bird_split_path(pidfile, dir, pidname) < 0 || bird_split_path(ctl, ctldir, ctlname) < 0 ||
	    strcmp(dir, ctldir) != 0)
		return err_set(e, -EINVAL, pidfile, "BIRD's pid file and control socket must be in one directory");
	return bird_dir_open(dir, false, e);
}

int bird_stop(const char *ctl, const char *pidfile, struct err *e)
{
	char dir[PATH_MAX];
	const char *pidname = NULL, *ctlname = NULL;
	int dfd, r;

	dfd = stop_dir_open(ctl, pidfile, dir, &pidname, &ctlname, e);
	if (dfd == -ENOENT)
		return 0;   /* no directory, so no socket and no pid file: nothing runs there */
	if (dfd < 0)
		return dfd;
	if ((r = stop_in(dfd, ctl, pidname, pidfile, e)) == 0 && (r = unlink_stale(dfd, dir, ctlname, e)) == 0)
		r = unlink_stale(dfd, dir, pidname, e);
	close(dfd);
	return r;
}

int bird_stop_begin(const char *ctl, const char *pidfile, pid_t *ret_pid, struct err *e)
{
	char dir[PATH_MAX];
	const char *pidname = NULL, *ctlname = NULL;
	pid_t pid;
	int dfd, r;

	*ret_pid = 0;
	dfd = stop_dir_open(ctl, pidfile, dir, &pidname, &ctlname, e);
	if (dfd == -ENOENT)
		return 0;
	if (dfd < 0)
		return dfd;
	pid = read_pidfile(dfd, pidname);
	if (pid_is_bird_with(pid, "-s", ctl)) {
		/* A stopped BIRD acts on SIGTERM once it runs again. */
		kill(pid, SIGTERM);
		kill(pid, SIGCONT);
		*ret_pid = pid;
		r = 0;
	} else {
		r = stop_in(dfd, ctl, pidname, pidfile, e);
	}
	close(dfd);
	return r;
}

int bird_remove(const struct bird_paths *p, struct err *e)
{
	char dir[PATH_MAX], tmp[NAME_MAX + 8];
	const char *name[4];   /* conf, ctl, pid, log */
	int dfd, r;

	if ((r = paths_split(p, dir, name, e)) < 0)
		return r;
	dfd = bird_dir_open(dir, false, e);
	if (dfd == -ENOENT)
		return 0;
	if (dfd < 0)
		return dfd;
	if ((r = stop_in(dfd, p->ctl, name[2], p->pid, e)) < 0)
		goto out;
	snprintf(tmp, sizeof(tmp), "%s.tmp", name[0]);
	if ((r = unlink_stale(dfd, dir, tmp, e)) < 0)
		goto out;
	for (int i = 0; i < 4; i++)
		if ((r = unlink_stale(dfd, dir, name[i], e)) < 0)
			goto out;
out:
	close(dfd);
	return r;
}
