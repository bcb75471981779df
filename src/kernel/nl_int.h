/* SPDX-License-Identifier: MIT */
#ifndef ERLAB_KERNEL_NL_INT_H
#define ERLAB_KERNEL_NL_INT_H

/* Internals shared by the kernel layer's files; nothing outside src/kernel includes this. */

#include <limits.h>
#include <stdint.h>
#include <sys/types.h>

#include <netlink/netlink.h>

struct mnl_socket;

#include "kernel/kernel.h"

/* Sockets kept open at once, at most; each costs two fds (the socket and the namespace). A low
 * RLIMIT_NOFILE makes the cache smaller (struct kernel's ns_cap, fds.c). */
#define KERNEL_NS_CACHE 32

/* What the error callback saw for the last failed request. */
struct kernel_ack {
	int errnum;              /* positive errno from NLMSG_ERROR, 0 = none */
	char msg[256];           /* NLMSGERR_ATTR_MSG, "" = none */
};

/* One namespace we talk to: its fd (also the IFLA_NET_NS_FD value) and a socket opened inside it. */
struct kernel_ns {
	char name[NAME_MAX + 1];
	int fd;
	struct nl_sock *sk;      /* NULL = free slot */
	dev_t dev;               /* identity of the namespace, to notice a deleted or replaced one */
	ino_t ino;
	uint64_t used;           /* LRU clock */
	/* ifindexes of links we made here (preset at creation), so later requests need no lookup. */
	struct {
		char name[16];   /* IFNAMSIZ: <net/if.h> and <linux/if.h> do not mix */
		int ifindex;
	} known[16];
	unsigned n_known;
};

/* marks.c: what netns_marks_load learnt of one namespace. MARK_UNLOADED: not opened yet (the
 * descriptor budget did not reach it), read with the next ones when asked for. */
enum { MARK_UNLOADED, MARK_NONE, MARK_HAVE_ALIAS };
struct kernel_mark {
	char name[256];          /* NAME_MAX + 1 */
	int fd;                  /* held open until netns_del takes it or kernel_close */
	dev_t dev;
	ino_t ino;
	int state;               /* MARK_* */
	unsigned pos;            /* its place in the order netns_marks_load was given */
	bool handed;             /* kernel_mark_get answered with it: the fd keeps what was read valid */
	char alias[256];         /* IFALIASZ */
};

/* netns_bulk.c: a namespace recorded by netns_del_later, removed by netns_del_flush. */
struct kernel_pending {
	char name[NAME_MAX + 1];
	int fd;                  /* hold of the namespace whose mark was read; -1 once flushed */
	dev_t dev;               /* its identity */
	ino_t ino;
	int err;                 /* the flush's result: 0 or -errno */
};

struct kernel {
	int self_fd;             /* the caller's own netns, to come back to */
	uint64_t clock;
	struct kernel_ack ack;
	struct kernel_ns ns[KERNEL_NS_CACHE];
	unsigned ns_cap;         /* entries of ns[] in use at most (fds.c) */
	/*
	 * fds.c: namespace descriptors held across calls (`held`, the marks' and the pending
	 * records' fds) are counted in n_ns_fds and kept within ns_fd_budget, derived from
	 * RLIMIT_NOFILE. nofile_soft0: the soft limit before kernel_open raised it, for exec.
	 */
	unsigned ns_fd_budget, n_ns_fds;
	unsigned long nofile_soft0;
	/*
	 * fds of namespaces already unmounted and unlinked, closed by kernel_close: the kernel then
	 * frees them all in one batch after we are done, instead of each one's cleanup_net taking
	 * rtnl while we still work (every later request would wait on it). Closed earlier when the
	 * budget needs them.
	 */
	int *held;
	unsigned n_held, cap_held;
	struct mnl_socket *mnl;  /* nsid.c: a libmnl socket in our own namespace, opened on first use */
	unsigned mnl_seq;
	struct kernel_mark *marks;   /* marks.c: sorted by name */
	unsigned *mark_order;        /* marks.c: mark_order[pos] = index in marks */
	unsigned n_marks;
	struct kernel_pending *pending;   /* netns_bulk.c; [0, n_pending_done) removed already */
	unsigned n_pending, n_pending_done, cap_pending;
};

/* nl.c: sockets, the namespace cache, errors. */
bool kernel_ns_name_valid(const char *ns);
int kernel_ns_path(const char *ns, char *buf, size_t len);
/* A route socket in the calling thread's current netns, extended acks on, errors into k->ack. */
int kernel_sock_open(struct kernel *k, struct nl_sock **ret);
/* setns back to the caller's netns; running on in the wrong namespace is worse than dying. */
void kernel_restore(struct kernel *k);
/* The cache entry of ns (opened on a miss). Fills e (what = ns) on failure. */
int kernel_ns_get(struct kernel *k, const char *ns, struct kernel_ns **ret, struct err *e);
/* The cache entry of ns when there is one and path still names its namespace, else NULL. */
struct kernel_ns *kernel_ns_cached(struct kernel *k, const char *ns, const char *path);
/* Add an entry for a namespace just created; takes fd and sk (freed on failure too). */
int kernel_ns_insert(struct kernel *k, const char *ns, int fd, struct nl_sock *sk, struct kernel_ns **ret);
/* Forget ns: close its socket and fd. */
void kernel_ns_drop(struct kernel *k, const char *ns);
/* netns.c: keep ns (path) open until kernel_close (struct kernel's `held`), when the budget allows;
 * returns the fd or -errno (-EMFILE: no room; the namespace is then freed as soon as it goes). */
int kernel_ns_hold(struct kernel *k, const char *ns, const char *path);
/* netns.c: add fd (counted, see fds.c) to `held`; returns fd, or -ENOMEM (fd closed). */
int kernel_hold_fd(struct kernel *k, int fd);

/*
 * fds.c: the descriptor budget. kernel_fd_init (from kernel_open) raises the soft RLIMIT_NOFILE to
 * the hard one and sizes the budget. A namespace fd held across calls is opened with
 * kernel_ns_fd_open and closed with kernel_ns_fd_close (counted), and only after kernel_fd_room
 * said it fits.
 */
void kernel_fd_init(struct kernel *k);
int kernel_ns_fd_open(struct kernel *k, const char *path);
void kernel_ns_fd_close(struct kernel *k, int fd);
/* How kernel_fd_room may make room, beyond closing the holds of removed namespaces. */
enum {
	ROOM_FLUSH = 1,          /* remove the recorded namespaces now (netns_del_flush early) */
	ROOM_MARKS = 2,          /* close as many of the marks batch's fds no check has used yet */
};
/* Room for up to `want` more namespace fds: how many fit (0 .. want) after making room. */
unsigned kernel_fd_room(struct kernel *k, unsigned want, unsigned how);
/*
 * After EMFILE or ENFILE (another handle or the rest of the process took the descriptors): close
 * every descriptor this handle can spare (the cache's sockets but the most recently used one,
 * holds of removed namespaces, unused marks). true when there was any to close.
 */
bool kernel_fd_shed(struct kernel *k);
/* open(2), once more after kernel_fd_shed on EMFILE/ENFILE. fd or -errno; not counted. */
int kernel_open_fd(struct kernel *k, const char *path, int flags, mode_t mode);
/* nl.c: close the cache's entries but the most recently used one; how many were closed. */
unsigned kernel_ns_cache_trim(struct kernel *k);
/* netns_bulk.c: remove the recorded namespaces now (their holds go to `held`); how many. */
unsigned kernel_pending_flush(struct kernel *k);
/* marks.c: close the fds of up to max marks no check has used yet (ROOM_MARKS); how many. */
unsigned kernel_marks_shed(struct kernel *k, unsigned max);
/* netns.c: unmount (MNT_DETACH) and unlink a namespace file; 0 or -errno. */
int kernel_ns_unlink(const char *path);
/* nsid.c: open k->mnl on first use. */
int nsid_socket(struct kernel *k);
/* nsid.c: the netns-id and remote-link requests and their answers, for one request at a time
 * (link_get_alias_remote) and for marks.c's batches. */
struct nlmsghdr;
struct nsid_reply {
	int nsid;                /* RTM_NEWNSID answer: NETNSA_NSID */
	char *alias;             /* RTM_NEWLINK answer: IFLA_IFALIAS copied here */
	size_t alias_len;
	bool got_link;
};
/* RTM_NEWNSID (assign nsid to the namespace behind fd) or RTM_GETNSID (ask for its id). */
void nsid_put_request(struct nlmsghdr *nlh, int type, int fd, int nsid, uint16_t flags);
/* RTM_GETLINK of ifname in the namespace with id nsid, or (nsid < 0) in the socket's own (no statistics). */
void nsid_put_link_request(struct nlmsghdr *nlh, const char *ifname, int nsid, uint16_t flags);
/* Read an answer into r; returns MNL_CB_OK or MNL_CB_ERROR. */
int nsid_parse(const struct nlmsghdr *nlh, struct nsid_reply *r);
/* marks.c: the lo alias of ns from the batch, when path still names the namespace it read. */
bool kernel_mark_get(struct kernel *k, const char *ns, const char *path, char *buf, size_t len);
/* marks.c: the fd the batch holds for ns (now the caller's), or -1. */
int kernel_mark_take_fd(struct kernel *k, const char *ns);
void kernel_marks_close(struct kernel *k);
/* link.c: the preamble of every call on one link: w = "ns/name" for messages, a valid name, and
 * the namespace's socket. */
#define WHAT_MAX (NAME_MAX + IFNAMSIZ + 2)
int kernel_link_begin(struct kernel *k, const char *ns, const char *name, char w[WHAT_MAX],
		      struct kernel_ns **ret, struct err *e);
/* Forget the last kernel error before a request. */
void kernel_ack_reset(struct kernel *k);
/* libnl -NLE_* to -errno, preferring the errno the kernel sent. */
int kernel_errno(struct kernel *k, int nlerr);
/*
 * Record failure r (-errno) of the request that just ran: what and the sentence, then
 * "kernel: <extack>" or "kernel: <strerror>" as detail. e may be NULL. Returns r.
 */
int kernel_fail(struct kernel *k, struct err *e, int r, const char *what, const char *fmt, ...)
	__attribute__((format(printf, 5, 6)));

/* link.c: requests on a given socket (the probes use them in throwaway namespaces). */
struct rtnl_link;
/* ifindex of name in the socket's namespace: -ENODEV when absent. */
int kernel_link_index(struct kernel *k, struct nl_sock *sk, const char *name, int *ret_ifindex);
/* ifindex of name in namespace entry n: what we learnt at creation, else asked of the kernel. */
int kernel_ns_index(struct kernel *k, struct kernel_ns *n, const char *name, int *ret_ifindex);
/* Set IFF_UP (or clear it) and, when alias != NULL, the alias, in one request. */
int kernel_link_up(struct kernel *k, struct nl_sock *sk, const char *name, bool up, const char *alias);
/*
 * Veth pair: `name` (ifindex `ifindex`, 0 = any) up in the socket's namespace, `peer` (down) in the
 * namespace of peer_ns_fd (-1 = the socket's) with ifindex peer_ifindex. No aliases.
 */
int kernel_veth_create(struct kernel *k, struct nl_sock *sk, const char *name, int ifindex,
		       const char *peer, int peer_ns_fd, int peer_ifindex);
int kernel_vlan_create(struct kernel *k, struct nl_sock *sk, int parent_ifindex, const char *name,
		       uint16_t vlan_id);

/* qdisc.c */
int kernel_tbf_set(struct kernel *k, struct nl_sock *sk, int ifindex, uint64_t rate_bytes);

#endif
