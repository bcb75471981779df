/* SPDX-License-Identifier: MIT */
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <sched.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <netlink/socket.h>

#include "kernel/nl_int.h"

/*
 * Every probe runs in a forked child that unshares a fresh netns: whatever it creates dies with
 * the child, and the caller's namespace and mounts are never touched. The child's struct err
 * comes back through a pipe (smaller than PIPE_BUF, so one atomic write).
 */
typedef int (*probe_fn)(struct kernel *k, struct nl_sock *sk, struct err *e);

static int probe_run(struct kernel *k, const char *what, probe_fn fn, struct err *e)
{
	struct err ce = { 0 };
	struct nl_sock *sk = NULL;
	int fds[2], status, r;
	ssize_t got;
	pid_t pid;

	if (pipe2(fds, O_CLOEXEC) < 0)
		return err_set(e, -errno, what, "cannot create a pipe: %s", strerror(errno));
	fflush(NULL);
	pid = fork();
	if (pid < 0) {
		r = err_set(e, -errno, what, "cannot fork: %s", strerror(errno));
		close(fds[0]);
		close(fds[1]);
		return r;
	}
	if (pid == 0) {
		close(fds[0]);
		memset(&ce, 0, sizeof(ce));   /* the whole struct crosses the pipe */
		if (unshare(CLONE_NEWNET) < 0)
			r = err_set(&ce, -errno, what, "cannot create a network namespace: %s", strerror(errno));
		else if ((r = kernel_sock_open(k, &sk)) < 0)
			r = err_set(&ce, r, what, "cannot open a netlink socket: %s", strerror(-r));
		else if (fn)
			r = fn(k, sk, &ce);
		ce.errnum = r;
		if (write(fds[1], &ce, sizeof(ce)) != (ssize_t)sizeof(ce))
			_exit(2);
		_exit(0);
	}
	close(fds[1]);
	do
		got = read(fds[0], &ce, sizeof(ce));
	while (got < 0 && errno == EINTR);
	close(fds[0]);
	while (waitpid(pid, &status, 0) < 0 && errno == EINTR)
		;
	if (got != (ssize_t)sizeof(ce))
		return err_set(e, -EIO, what, "probe process died");
	if (ce.errnum < 0 && e)
		*e = ce;
	return ce.errnum;
}

static int veth_body(struct kernel *k, struct nl_sock *sk, struct err *e)
{
	int r = kernel_veth_create(k, sk, "probe0", 0, "probe1", -1, 0);

	if (r < 0)
		return kernel_fail(k, e, r, "probe/probe0", "creating veth pair failed");
	return 0;
}

static int vlan_body(struct kernel *k, struct nl_sock *sk, struct err *e)
{
	int r = veth_body(k, sk, e), parent;

	if (r < 0)
		return r;
	if ((r = kernel_link_index(k, sk, "probe0", &parent)) == 0)
		r = kernel_vlan_create(k, sk, parent, "probe0.100", 100);
	if (r == -EOPNOTSUPP)
		return kernel_fail(k, e, r, "probe/probe0.100", "802.1Q VLAN not supported by this kernel "
				   "(CONFIG_VLAN_8021Q / module 8021q)");
	if (r < 0)
		return kernel_fail(k, e, r, "probe/probe0.100", "creating vlan 100 failed");
	return 0;
}

static int tbf_body(struct kernel *k, struct nl_sock *sk, struct err *e)
{
	int r = veth_body(k, sk, e), ifindex;

	if (r < 0)
		return r;
	r = kernel_link_index(k, sk, "probe0", &ifindex);
	if (r == 0)
		r = kernel_tbf_set(k, sk, ifindex, 100 * 1000000 / 8);
	/* An unknown qdisc kind is ENOENT ("Specified qdisc kind is unknown"), not EOPNOTSUPP. */
	if (r == -ENOENT && strstr(k->ack.msg, "qdisc kind is unknown")) {
		kernel_fail(k, e, r, "probe/probe0", "tbf qdisc not supported by this kernel (CONFIG_NET_SCH_TBF)");
		e->errnum = -EOPNOTSUPP;
		return -EOPNOTSUPP;
	}
	if (r < 0)
		return kernel_fail(k, e, r, "probe/probe0", "setting tbf rate failed");
	return 0;
}

static int md5_body(struct kernel *k, struct nl_sock *sk, struct err *e)
{
	struct sockaddr_in sin = { .sin_family = AF_INET, .sin_addr.s_addr = htonl(INADDR_LOOPBACK) };
	struct tcp_md5sig md5 = { .tcpm_keylen = 5 };
	int fd, r;

	/* 127.0.0.1 is only local (bindable) once lo is up. */
	r = kernel_link_up(k, sk, "lo", true, NULL);
	if (r < 0)
		return kernel_fail(k, e, r, "probe/lo", "bringing up lo failed");
	fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
	if (fd < 0)
		return err_set(e, -errno, "probe", "cannot create a TCP socket: %s", strerror(errno));
	if (bind(fd, (struct sockaddr *)&sin, sizeof(sin)) < 0) {
		r = err_set(e, -errno, "probe", "cannot bind 127.0.0.1: %s", strerror(errno));
		goto out;
	}
	memcpy(&md5.tcpm_addr, &sin, sizeof(sin));
	memcpy(md5.tcpm_key, "erlab", 5);
	r = 0;
	if (setsockopt(fd, IPPROTO_TCP, TCP_MD5SIG, &md5, sizeof(md5)) < 0) {
		int err = errno;

		/* Without CONFIG_TCP_MD5SIG the option is simply unknown. */
		r = err == ENOPROTOOPT || err == EOPNOTSUPP ? -EOPNOTSUPP : -err;
		err_set(e, r, "probe", "TCP-MD5 signatures (RFC 2385) not available");
		err_detail(e, "kernel: %s", strerror(err));
	}
out:
	close(fd);
	return r;
}

int probe_netns(struct kernel *k, struct err *e)
{
	return probe_run(k, "probe", NULL, e);
}

int probe_veth(struct kernel *k, struct err *e)
{
	return probe_run(k, "probe", veth_body, e);
}

int probe_vlan(struct kernel *k, struct err *e)
{
	return probe_run(k, "probe", vlan_body, e);
}

int probe_tbf(struct kernel *k, struct err *e)
{
	return probe_run(k, "probe", tbf_body, e);
}

int probe_tcp_md5(struct kernel *k, struct err *e)
{
	return probe_run(k, "probe", md5_body, e);
}
