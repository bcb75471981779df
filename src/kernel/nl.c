/* SPDX-License-Identifier: MIT */
#include <errno.h>
#include <fcntl.h>
#include <sched.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <libmnl/libmnl.h>
#include <linux/netlink.h>
#include <netlink/errno.h>
#include <netlink/socket.h>

#include "kernel/nl_int.h"

#ifndef SOL_NETLINK
#define SOL_NETLINK 270
#endif

static int ack_attr_cb(const struct nlattr *attr, void *data)
{
	const char **ret_msg = data;

	if (mnl_attr_get_type(attr) == NLMSGERR_ATTR_MSG && mnl_attr_validate(attr, MNL_TYPE_NUL_STRING) == 0)
		*ret_msg = mnl_attr_get_str(attr);
	return MNL_CB_OK;
}

/*
 * libnl never reads extended acks; keep the kernel's errno and reason here and let libnl go on
 * returning its own -NLE_* code (NL_STOP). TLV layout as in iproute2 lib/libnetlink.c.
 */
static int ack_cb(struct sockaddr_nl *who, struct nlmsgerr *err, void *arg)
{
	struct kernel_ack *ack = arg;
	const struct nlmsghdr *nlh = (const struct nlmsghdr *)((const char *)err - NLMSG_HDRLEN);
	const char *msg = NULL;
	unsigned off = sizeof(*err);

	(void)who;
	ack->errnum = -err->error;
	ack->msg[0] = '\0';
	if (!(nlh->nlmsg_flags & NLM_F_ACK_TLVS))
		return NL_STOP;
	if (!(nlh->nlmsg_flags & NLM_F_CAPPED))
		off += err->msg.nlmsg_len - NLMSG_HDRLEN;
	if (MNL_ALIGN(off) + NLMSG_HDRLEN >= nlh->nlmsg_len)
		return NL_STOP;
	mnl_attr_parse(nlh, off, ack_attr_cb, &msg);
	if (msg)
		snprintf(ack->msg, sizeof(ack->msg), "%s", msg);
	return NL_STOP;
}

/* One socket; -EMFILE/-ENFILE when there was no descriptor for it. */
static int sock_open_once(struct kernel *k, struct nl_sock **ret)
{
	struct nl_sock *sk;
	int one = 1, r;

	sk = nl_socket_alloc();
	if (!sk)
		return -ENOMEM;
	errno = 0;
	r = nl_connect(sk, NETLINK_ROUTE);
	if (r < 0) {
		/* libnl says NLE_FAILURE for a missing descriptor; errno still tells (libnl 3.7). */
		r = errno == EMFILE || errno == ENFILE ? -errno : kernel_errno(k, r);
		goto out_free;
	}
	/* Older kernels lack these; the reason is then just missing from messages. */
	setsockopt(nl_socket_get_fd(sk), SOL_NETLINK, NETLINK_EXT_ACK, &one, sizeof(one));
	setsockopt(nl_socket_get_fd(sk), SOL_NETLINK, NETLINK_CAP_ACK, &one, sizeof(one));
	/*
	 * libnl peeks at every message to size its buffer: two recvmsg per answer. A buffer larger
	 * than any skb the kernel builds (a dump's are at most 32 KiB) makes one enough.
	 */
	nl_socket_disable_msg_peek(sk);
	nl_socket_set_msg_buf_size(sk, 64 * 1024);
	r = nl_socket_modify_err_cb(sk, NL_CB_CUSTOM, ack_cb, &k->ack);
	if (r < 0) {
		r = kernel_errno(k, r);
		goto out_free;
	}
	*ret = sk;
	return 0;

out_free:
	nl_socket_free(sk);
	return r;
}

int kernel_sock_open(struct kernel *k, struct nl_sock **ret)
{
	int r = sock_open_once(k, ret);

	if ((r == -EMFILE || r == -ENFILE) && kernel_fd_shed(k))
		r = sock_open_once(k, ret);
	return r;
}

void kernel_restore(struct kernel *k)
{
	if (setns(k->self_fd, CLONE_NEWNET) < 0) {
		fprintf(stderr, "erlab: cannot return to the original network namespace: %s\n", strerror(errno));
		abort();
	}
}

int kernel_open(struct kernel **ret, struct err *e)
{
	struct kernel *k;

	k = calloc(1, sizeof(*k));
	if (!k)
		return err_set(e, -ENOMEM, "kernel", "out of memory");
	kernel_fd_init(k);
	k->self_fd = open("/proc/thread-self/ns/net", O_RDONLY | O_CLOEXEC);
	if (k->self_fd < 0) {
		int r = -errno;

		free(k);
		return err_set(e, r, "/proc/thread-self/ns/net", "cannot open own network namespace: %s",
				  strerror(-r));
	}
	*ret = k;
	return 0;
}

static void entry_close(struct kernel_ns *n)
{
	if (!n->sk)
		return;
	nl_socket_free(n->sk);
	close(n->fd);
	memset(n, 0, sizeof(*n));
	n->fd = -1;
}

void kernel_close(struct kernel *k)
{
	if (!k)
		return;
	for (unsigned i = 0; i < KERNEL_NS_CACHE; i++)
		entry_close(&k->ns[i]);
	if (k->mnl)
		mnl_socket_close(k->mnl);
	kernel_marks_close(k);
	for (unsigned i = 0; i < k->n_held; i++)
		close(k->held[i]);
	free(k->held);
	/* Not flushed: those namespaces stay. */
	for (unsigned i = k->n_pending_done; i < k->n_pending; i++)
		close(k->pending[i].fd);
	free(k->pending);
	close(k->self_fd);
	free(k);
}

bool kernel_ns_name_valid(const char *ns)
{
	size_t len = ns ? strlen(ns) : 0;

	return len > 0 && len <= NAME_MAX && !strchr(ns, '/') && strcmp(ns, ".") != 0 && strcmp(ns, "..") != 0;
}

int kernel_ns_path(const char *ns, char *buf, size_t len)
{
	/* The caller's own namespace (the thread is back in it whenever this is asked). */
	int n = strcmp(ns, NS_SELF) == 0 ? snprintf(buf, len, "/proc/thread-self/ns/net")
					 : snprintf(buf, len, "%s/%s", KERNEL_NETNS_DIR, ns);

	return n < 0 || (size_t)n >= len ? -ENAMETOOLONG : 0;
}

static struct kernel_ns *entry_find(struct kernel *k, const char *ns)
{
	for (unsigned i = 0; i < KERNEL_NS_CACHE; i++)
		if (k->ns[i].sk && strcmp(k->ns[i].name, ns) == 0)
			return &k->ns[i];
	return NULL;
}

/* A free slot, or the least recently used one emptied (ns_cap of them at most: fds.c). */
static struct kernel_ns *entry_slot(struct kernel *k)
{
	struct kernel_ns *lru = &k->ns[0];

	for (unsigned i = 0; i < k->ns_cap; i++) {
		if (!k->ns[i].sk)
			return &k->ns[i];
		if (k->ns[i].used < lru->used)
			lru = &k->ns[i];
	}
	entry_close(lru);
	return lru;
}

unsigned kernel_ns_cache_trim(struct kernel *k)
{
	struct kernel_ns *newest = NULL;
	unsigned n = 0;

	/* The newest stays: a caller may still use it (link_add_veth holds two entries). */
	for (unsigned i = 0; i < KERNEL_NS_CACHE; i++)
		if (k->ns[i].sk && (!newest || k->ns[i].used > newest->used))
			newest = &k->ns[i];
	for (unsigned i = 0; i < KERNEL_NS_CACHE; i++)
		if (k->ns[i].sk && &k->ns[i] != newest) {
			entry_close(&k->ns[i]);
			n++;
		}
	return n;
}

int kernel_ns_insert(struct kernel *k, const char *ns, int fd, struct nl_sock *sk, struct kernel_ns **ret)
{
	struct kernel_ns *n;
	struct stat st;

	if (fstat(fd, &st) < 0) {
		int r = -errno;

		nl_socket_free(sk);
		close(fd);
		return r;
	}
	kernel_ns_drop(k, ns);
	n = entry_slot(k);
	snprintf(n->name, sizeof(n->name), "%s", ns);
	n->fd = fd;
	n->sk = sk;
	n->dev = st.st_dev;
	n->ino = st.st_ino;
	n->used = ++k->clock;
	if (ret)
		*ret = n;
	return 0;
}

void kernel_ns_drop(struct kernel *k, const char *ns)
{
	struct kernel_ns *n = entry_find(k, ns);

	if (n)
		entry_close(n);
}

struct kernel_ns *kernel_ns_cached(struct kernel *k, const char *ns, const char *path)
{
	struct kernel_ns *n = entry_find(k, ns);
	struct stat st;

	if (!n)
		return NULL;
	/* The name may have been deleted or reused behind our back (ip netns del/add). */
	if (stat(path, &st) == 0 && st.st_dev == n->dev && st.st_ino == n->ino) {
		n->used = ++k->clock;
		return n;
	}
	entry_close(n);
	return NULL;
}

int kernel_ns_get(struct kernel *k, const char *ns, struct kernel_ns **ret, struct err *e)
{
	char path[PATH_MAX];
	struct kernel_ns *n;
	struct nl_sock *sk;
	int fd, r;

	if (!kernel_ns_name_valid(ns) && !(ns && strcmp(ns, NS_SELF) == 0))
		return err_set(e, -EINVAL, ns ? ns : "(null)", "invalid namespace name");
	r = kernel_ns_path(ns, path, sizeof(path));
	if (r < 0)
		return err_set(e, r, ns, "namespace name too long");
	if ((n = kernel_ns_cached(k, ns, path))) {
		*ret = n;
		return 0;
	}
	fd = kernel_open_fd(k, path, O_RDONLY | O_CLOEXEC, 0);
	if (fd < 0) {
		r = fd;
		if (r == -ENOENT)
			return err_set(e, r, ns, "namespace not found");
		return err_set(e, r, ns, "cannot open %s: %s", path, strerror(-r));
	}
	if (setns(fd, CLONE_NEWNET) < 0) {
		r = -errno;
		close(fd);
		return err_set(e, r, ns, "cannot enter namespace %s: %s", path, strerror(-r));
	}
	r = kernel_sock_open(k, &sk);
	kernel_restore(k);
	if (r < 0) {
		close(fd);
		return err_set(e, r, ns, "cannot open a netlink socket in the namespace: %s", strerror(-r));
	}
	r = kernel_ns_insert(k, ns, fd, sk, ret);
	if (r < 0)
		return err_set(e, r, ns, "cannot stat the namespace: %s", strerror(-r));
	return 0;
}

void kernel_ack_reset(struct kernel *k)
{
	k->ack.errnum = 0;
	k->ack.msg[0] = '\0';
}

/* libnl's local codes (lib/error.c); kernel errors come through k->ack instead. */
static const int nle_errno[] = {
	[NLE_SUCCESS] = 0,
	[NLE_FAILURE] = EIO,
	[NLE_INTR] = EINTR,
	[NLE_BAD_SOCK] = EBADF,
	[NLE_AGAIN] = EAGAIN,
	[NLE_NOMEM] = ENOMEM,
	[NLE_EXIST] = EEXIST,
	[NLE_INVAL] = EINVAL,
	[NLE_RANGE] = ERANGE,
	[NLE_MSGSIZE] = EMSGSIZE,
	[NLE_OPNOTSUPP] = EOPNOTSUPP,
	[NLE_AF_NOSUPPORT] = EAFNOSUPPORT,
	[NLE_OBJ_NOTFOUND] = ENOENT,
	[NLE_NOATTR] = ENODATA,
	[NLE_MISSING_ATTR] = EINVAL,
	[NLE_AF_MISMATCH] = EINVAL,
	[NLE_SEQ_MISMATCH] = EPROTO,
	[NLE_MSG_OVERFLOW] = EMSGSIZE,
	[NLE_MSG_TRUNC] = EMSGSIZE,
	[NLE_NOADDR] = EADDRNOTAVAIL,
	[NLE_SRCRT_NOSUPPORT] = EOPNOTSUPP,
	[NLE_MSG_TOOSHORT] = EPROTO,
	[NLE_MSGTYPE_NOSUPPORT] = EOPNOTSUPP,
	[NLE_OBJ_MISMATCH] = EINVAL,
	[NLE_NOCACHE] = ENOENT,
	[NLE_BUSY] = EBUSY,
	[NLE_PROTO_MISMATCH] = EPROTONOSUPPORT,
	[NLE_NOACCESS] = EACCES,
	[NLE_PERM] = EPERM,
	[NLE_PKTLOC_FILE] = ENOENT,
	[NLE_PARSE_ERR] = EPROTO,
	[NLE_NODEV] = ENODEV,
	[NLE_IMMUTABLE] = EPERM,
	[NLE_DUMP_INTR] = EINTR,
	[NLE_ATTRSIZE] = EPROTO,
};

int kernel_errno(struct kernel *k, int nlerr)
{
	unsigned i = nlerr < 0 ? (unsigned)-nlerr : (unsigned)nlerr;

	if (nlerr == 0)
		return 0;
	if (k->ack.errnum > 0)
		return -k->ack.errnum;
	if (i < sizeof(nle_errno) / sizeof(nle_errno[0]) && nle_errno[i])
		return -nle_errno[i];
	return -EIO;
}

int kernel_fail(struct kernel *k, struct err *e, int r, const char *what, const char *fmt, ...)
{
	va_list ap;

	if (!e)
		return r;
	va_start(ap, fmt);
	err_vset(e, r, what, fmt, ap);
	va_end(ap);
	if (k->ack.errnum == -r && k->ack.msg[0])
		err_detail(e, "kernel: %s", k->ack.msg);
	else
		err_detail(e, "kernel: %s", strerror(-r));
	return r;
}
