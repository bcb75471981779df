/* SPDX-License-Identifier: MIT */
/* A sandbox of the caller's own, for erlab without root (sandbox.h). */
#include "kernel/sandbox.h"

#include <errno.h>
#include <fcntl.h>
#include <linux/capability.h>
#include <net/if.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mount.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

bool sandbox_privileged(void)
{
	struct __user_cap_header_struct h = { .version = _LINUX_CAPABILITY_VERSION_3, .pid = 0 };
	struct __user_cap_data_struct d[_LINUX_CAPABILITY_U32S_3];

	memset(d, 0, sizeof(d));
	if (syscall(SYS_capget, &h, d) < 0)
		return false;
	return (d[CAP_SYS_ADMIN / 32].effective & (1u << (CAP_SYS_ADMIN % 32))) &&
	       (d[CAP_NET_ADMIN / 32].effective & (1u << (CAP_NET_ADMIN % 32)));
}

static int write_proc(const char *path, const char *text, struct err *e)
{
	size_t n = strlen(text);
	int fd = open(path, O_WRONLY | O_CLOEXEC), r = 0;

	if (fd < 0)
		return err_set(e, -errno, path, "cannot open: %s", strerror(errno));
	if (write(fd, text, n) != (ssize_t)n)
		r = err_set(e, -errno, path, "cannot write \"%.*s\": %s", (int)strcspn(text, "\n"), text, strerror(errno));
	close(fd);
	return r;
}

int sandbox_userns(int flags, struct err *e)
{
	uid_t uid = geteuid();
	gid_t gid = getegid();
	char map[64];
	int r;

	if (unshare(CLONE_NEWUSER | flags) < 0) {
		r = -errno;
		err_set(e, r, "user namespace", "cannot create one: %s", strerror(-r));
		if (r == -EPERM || r == -ENOSPC || r == -EINVAL || r == -EACCES)
			err_detail(e, "unprivileged user namespaces are off here: sysctl user.max_user_namespaces must be "
				   "above 0, and kernel.unprivileged_userns_clone=1 or "
				   "kernel.apparmor_restrict_unprivileged_userns=0 where the kernel has them; or run erlab as root");
		return r;
	}
	/* An unprivileged process may map only its own ids, and only once setgroups is denied. */
	if ((r = write_proc("/proc/self/setgroups", "deny", e)) < 0 && r != -ENOENT)
		return r;
	snprintf(map, sizeof(map), "0 %u 1\n", (unsigned)uid);
	if ((r = write_proc("/proc/self/uid_map", map, e)) < 0)
		return r;
	snprintf(map, sizeof(map), "0 %u 1\n", (unsigned)gid);
	return write_proc("/proc/self/gid_map", map, e);
}

/* Read a struct err a child sent over fd: 1 when one came, 0 at end of file (nothing went wrong). */
static int read_err(int fd, struct err *ret)
{
	size_t got = 0;

	while (got < sizeof(*ret)) {
		ssize_t n = read(fd, (char *)ret + got, sizeof(*ret) - got);

		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			break;
		got += (size_t)n;
	}
	return got == sizeof(*ret);
}

static void send_err(int fd, const struct err *e)
{
	size_t off = 0;

	while (off < sizeof(*e)) {
		ssize_t n = write(fd, (const char *)e + off, sizeof(*e) - off);

		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			return;
		off += (size_t)n;
	}
}

int sandbox_userns_probe(struct err *e)
{
	struct err ce = {0};
	int pfd[2], st, got;
	pid_t pid;

	if (pipe2(pfd, O_CLOEXEC) < 0)
		return err_set(e, -errno, "user namespace", "cannot probe: pipe: %s", strerror(errno));
	pid = fork();
	if (pid < 0) {
		close(pfd[0]);
		close(pfd[1]);
		return err_set(e, errno == EAGAIN ? -ENOMEM : -errno, "user namespace", "cannot probe: fork: %s",
			       strerror(errno));
	}
	if (pid == 0) {
		close(pfd[0]);
		if (sandbox_userns(0, &ce) < 0)
			send_err(pfd[1], &ce);
		_exit(0);
	}
	close(pfd[1]);
	got = read_err(pfd[0], &ce);
	close(pfd[0]);
	while (waitpid(pid, &st, 0) < 0 && errno == EINTR)
		;
	if (got) {
		if (e)
			*e = ce;
		return ce.errnum;
	}
	return 0;
}

/* ---- the sandbox's init (pid 1) ---- */

static int mounts(struct err *e)
{
	/* Nothing mounted here may reach the machine's mounts. */
	if (mount("none", "/", "none", MS_REC | MS_PRIVATE, NULL) < 0)
		return err_set(e, -errno, "/", "cannot make the sandbox's mounts private: %s", strerror(errno));
	if (mount("erlab-shell", "/run", "tmpfs", MS_NOSUID | MS_NODEV, "mode=0755") < 0)
		return err_set(e, -errno, "/run", "cannot mount the sandbox's own tmpfs: %s", strerror(errno));
	if (mkdir("/run/netns", 0755) < 0)
		return err_set(e, -errno, "/run/netns", "cannot create: %s", strerror(errno));
	/* erlab and `ps` read the PID namespace's pids (BIRD's pid files) through /proc. */
	if (mount("proc", "/proc", "proc", MS_NOSUID | MS_NODEV | MS_NOEXEC, NULL) < 0)
		return err_set(e, -errno, "/proc", "cannot mount the sandbox's own: %s", strerror(errno));
	/* /sys/class/net of the sandbox's network namespace; `ip netns exec` mounts its own anyway,
	 * so a kernel that refuses it costs nothing. */
	mount("sysfs", "/sys", "sysfs", MS_NOSUID | MS_NODEV | MS_NOEXEC, NULL);
	return 0;
}

static int lo_up(struct err *e)
{
	struct ifreq ifr;
	int fd = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0), r = 0;

	if (fd < 0)
		return err_set(e, -errno, "lo", "cannot bring up: socket: %s", strerror(errno));
	memset(&ifr, 0, sizeof(ifr));
	strcpy(ifr.ifr_name, "lo");
	if (ioctl(fd, SIOCGIFFLAGS, &ifr) < 0 || (ifr.ifr_flags |= IFF_UP, ioctl(fd, SIOCSIFFLAGS, &ifr) < 0))
		r = err_set(e, -errno, "lo", "cannot bring up: %s", strerror(errno));
	close(fd);
	return r;
}

static int exit_code(int st)
{
	return WIFEXITED(st) ? WEXITSTATUS(st) : WIFSIGNALED(st) ? 128 + WTERMSIG(st) : 1;
}

static void nothing(int sig)
{
	(void)sig;
}

/*
 * pid 1: mounts, lo, then the command as pid 2; reap every orphan (BIRDs whose erlab exited),
 * pass SIGINT/SIGTERM/SIGHUP on to the command, and end with its exit code, which ends the PID
 * namespace and everything in it. `waited`: the signals blocked since before the forks.
 */
static void init_main(char *const argv[], const sigset_t *sigmask, const sigset_t *waited, int errfd)
{
	static const int passed[] = { SIGINT, SIGTERM, SIGHUP };
	struct sigaction sa;
	struct err e = {0};
	pid_t cmd;
	int code = 1;

	/* The monitor gone (killed), the sandbox goes too. */
	prctl(PR_SET_PDEATHSIG, SIGKILL);
	/* pid 1 gets no signal it has no handler for; the handler is never run (they stay blocked
	 * and are taken with sigwaitinfo). */
	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = nothing;
	for (unsigned i = 0; i < sizeof(passed) / sizeof(passed[0]); i++)
		sigaction(passed[i], &sa, NULL);
	if (mounts(&e) < 0 || lo_up(&e) < 0)
		goto fail;
	if (setenv("ERLAB_STATE_DIR", SANDBOX_STATE_DIR, 1) < 0 || setenv(SANDBOX_ENV, "1", 1) < 0) {
		err_set(&e, -ENOMEM, "environment", "out of memory");
		goto fail;
	}
	cmd = fork();
	if (cmd < 0) {
		err_set(&e, errno == EAGAIN ? -ENOMEM : -errno, "sandbox", "cannot fork: %s", strerror(errno));
		goto fail;
	}
	if (cmd == 0) {
		sa.sa_handler = SIG_DFL;
		for (unsigned i = 0; i < sizeof(passed) / sizeof(passed[0]); i++)
			sigaction(passed[i], &sa, NULL);
		sigprocmask(SIG_SETMASK, sigmask, NULL);
		execvp(argv[0], argv);
		code = errno == ENOENT ? 127 : 126;
		err_set(&e, -errno, argv[0], "cannot run it in the sandbox: %s", strerror(errno));
		send_err(errfd, &e);
		_exit(code);
	}
	close(errfd);
	for (;;) {
		siginfo_t si;
		int sig = sigwaitinfo(waited, &si), st;
		pid_t p;

		if (sig == SIGCHLD) {
			while ((p = waitpid(-1, &st, WNOHANG)) > 0)
				if (p == cmd)
					_exit(exit_code(st));
		} else if (sig > 0) {
			kill(cmd, sig);
		}
	}
fail:
	send_err(errfd, &e);
	_exit(1);
}

/*
 * Wait for child, passing the waited-for stop signals on to it; its wait status. (The caller's
 * own process does this, and so does the monitor.)
 */
static int wait_passing(pid_t child, const sigset_t *waited)
{
	int st = 0;

	for (;;) {
		siginfo_t si;
		int sig = sigwaitinfo(waited, &si);

		if (sig == SIGCHLD || (sig < 0 && errno != EINTR)) {
			if (waitpid(child, &st, sig < 0 ? 0 : WNOHANG) == child)
				return st;
		} else if (sig > 0) {
			kill(child, sig);
		}
	}
}

/*
 * The monitor, a child of the caller: it makes the namespaces (so the caller's own stay as they
 * were: it exits as any erlab does, leak checkers included, and forks in its own PID namespace)
 * and forks the sandbox's init into them.
 */
static void monitor_main(pid_t parent, char *const argv[], const sigset_t *sigmask, const sigset_t *waited, int errfd)
{
	struct err e = {0};
	pid_t init;

	prctl(PR_SET_PDEATHSIG, SIGKILL);
	if (getppid() != parent)
		_exit(1);
	if (sandbox_userns(CLONE_NEWNS | CLONE_NEWNET | CLONE_NEWPID, &e) < 0)
		goto fail;
	init = fork();
	if (init < 0) {
		err_set(&e, errno == EAGAIN ? -ENOMEM : -errno, "sandbox", "cannot fork its first process: %s",
			strerror(errno));
		goto fail;
	}
	if (init == 0)
		init_main(argv, sigmask, waited, errfd);
	close(errfd);
	_exit(exit_code(wait_passing(init, waited)));
fail:
	send_err(errfd, &e);
	_exit(1);
}

int sandbox_run(char *const argv[], const sigset_t *sigmask, int *ret_status, struct err *e)
{
	sigset_t waited, old;
	struct err ce = {0};
	pid_t parent = getpid(), mon;
	int pfd[2], r, failed;

	*ret_status = 1;
	if (!argv[0])
		return err_set(e, -EINVAL, "sandbox", "no command to run");
	if (pipe2(pfd, O_CLOEXEC) < 0)
		return err_set(e, -errno, "sandbox", "cannot create a pipe: %s", strerror(errno));
	/* Blocked before the forks, so that none is lost: each process takes them with sigwaitinfo
	 * and passes them on. */
	sigemptyset(&waited);
	sigaddset(&waited, SIGINT);
	sigaddset(&waited, SIGTERM);
	sigaddset(&waited, SIGHUP);
	sigaddset(&waited, SIGCHLD);
	sigprocmask(SIG_BLOCK, &waited, &old);
	mon = fork();
	if (mon < 0) {
		r = err_set(e, errno == EAGAIN ? -ENOMEM : -errno, "sandbox", "cannot fork: %s", strerror(errno));
		close(pfd[0]);
		close(pfd[1]);
		sigprocmask(SIG_SETMASK, &old, NULL);
		return r;
	}
	if (mon == 0) {
		close(pfd[0]);
		monitor_main(parent, argv, sigmask, &waited, pfd[1]);
	}
	close(pfd[1]);
	failed = read_err(pfd[0], &ce);
	close(pfd[0]);
	*ret_status = exit_code(wait_passing(mon, &waited));
	/* A stop signal taken here was passed on; SIGCHLD's default is to ignore it. */
	sigprocmask(SIG_SETMASK, &old, NULL);
	if (failed) {
		if (e)
			*e = ce;
		return ce.errnum ? ce.errnum : -EIO;
	}
	return 0;
}
