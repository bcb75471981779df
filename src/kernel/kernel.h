/* SPDX-License-Identifier: MIT */
#ifndef ERLAB_KERNEL_H
#define ERLAB_KERNEL_H

#include <stdbool.h>
#include <stdint.h>

#include "core/cidr.h"
#include "core/err.h"
#include "core/live.h"

/*
 * The kernel layer: named network namespaces, links, addresses and qdiscs, by name.
 * It knows nothing of circuits or peerings. Everything is addressed as (namespace, ifname);
 * the namespace is a name under /run/netns. One netlink socket per namespace, opened inside
 * it and reused (a small LRU, so a thousand namespaces do not need two thousand fds).
 * Extended acks are on: on failure e->detail holds the kernel's own reason.
 *
 * Every function returns 0 or -errno and on failure fills *e naming the object
 * (e.g. what = "MyTestCircuit-customer/primary.100").
 */

#define KERNEL_NETNS_DIR "/run/netns"

struct kernel;

/*
 * The first kernel_open of a process raises the soft RLIMIT_NOFILE to the hard one; each handle
 * then keeps the descriptors it holds across calls within a budget derived from that limit (see
 * src/kernel/fds.c), and falls back to slower ways (fewer at once, or one at a time) rather than
 * failing when the budget or the process runs out.
 */
int kernel_open(struct kernel **ret, struct err *e);
void kernel_close(struct kernel *k);

/* Namespaces, exactly like `ip netns add/del` (bind mount of a new netns under /run/netns,
 * /run/netns its own shared peer group); lo comes up at creation with the alias `mark` (the
 * namespace's ownership mark; NULL = none), in the same request. */
int netns_add(struct kernel *k, const char *ns, const char *mark, struct err *e);
/* Unmount (MNT_DETACH) and unlink; the kernel frees it when the last reference goes. */
int netns_del(struct kernel *k, const char *ns, struct err *e);
bool netns_exists(struct kernel *k, const char *ns);
/* /run/netns/<ns> when it is a plain file and not a namespace (a make or removal killed half-way):
 * removed, 1; 0 when there is nothing of the kind. Only call it for a name erlab was working on. */
int netns_remove_stub(struct kernel *k, const char *ns, struct err *e);
/*
 * Removing many namespaces at once. Every unmount waits for an RCU grace period, and one at a time
 * those waits add up; netns_del_flush unmounts from several threads, so the waits overlap.
 * netns_del_later checks that ns exists, opens it (held until kernel_close) and records it;
 * until the flush it is still there for every other call. netns_del_flush removes every recorded
 * namespace that is still the one recorded (one replaced in between is left alone) and reports
 * the first failure; netns_del_cancel(k, n) forgets the records after the first n
 * (netns_del_pending: how many there are). kernel_close forgets what was not flushed.
 * When the descriptor budget is full, netns_del_later carries out the records so far first (a
 * cancel cannot take those back), or, with no descriptor at all, removes ns at once.
 */
int netns_del_later(struct kernel *k, const char *ns, struct err *e);
int netns_del_flush(struct kernel *k, struct err *e);
unsigned netns_del_pending(const struct kernel *k);
void netns_del_cancel(struct kernel *k, unsigned n);
/* Write a sysctl inside namespace ns: key relative to /proc/sys ("net/ipv4/ip_forward"). */
int netns_sysctl(struct kernel *k, const char *ns, const char *key, const char *value, struct err *e);
/*
 * Before removing many namespaces: open them (held until netns_del takes them or kernel_close)
 * and read each one's lo alias in batches (netns ids and links, answers matched by sequence
 * number), so that link_get_alias_remote(ns, "lo") and netns_del need no request of their own.
 * As many as the descriptor budget has room for, in the order given; the others are read when
 * asked for, with the ones after them. Best effort: what it could not learn is asked for one at a
 * time. Returns 0 or -errno.
 */
int netns_marks_load(struct kernel *k, char *const *names, unsigned n);
/* Names of every namespace in /run/netns (heap array of heap strings). */
int netns_list(struct kernel *k, char ***ret, unsigned *ret_n);
void netns_list_free(char **list, unsigned n);

/*
 * A veth pair with one end in each namespace, created by one request; both ends get the alias
 * `mark` and come up. peer_ifindex (0 = let the kernel pick) gives the b end an ifindex that
 * differs from the a end's, so carrier events are urgent for linkwatch (docs/DECISIONS.md, speed).
 */
int link_add_veth(struct kernel *k, const char *ns_a, const char *name_a,
		  const char *ns_b, const char *name_b, int peer_ifindex,
		  const char *mark, struct err *e);
/* An 802.1Q subinterface `name` on `parent` (same namespace), alias `mark`, up. */
int link_add_vlan(struct kernel *k, const char *ns, const char *parent, const char *name,
		  uint16_t vlan_id, const char *mark, struct err *e);
/* A macvlan `name` (bridge mode) on `parent` in the same namespace, alias `mark`, up. */
int link_add_macvlan(struct kernel *k, const char *ns, const char *parent, const char *name, const char *mark,
		     struct err *e);
/*
 * A VXLAN device `name` living in namespace ns whose underlay (its UDP socket) stays in the
 * caller's namespace (NS_SELF): VNI vni, to remote (unicast), from local (family 0: as routed),
 * over device underlay there ("" or NULL: as routed), UDP port 4789; alias `mark`, up. A VNI the
 * caller's namespace has already (another tunnel on the same port) is the kernel's EEXIST.
 */
int link_add_vxlan(struct kernel *k, const char *ns, const char *name, uint32_t vni, const struct cidr *local,
		   const struct cidr *remote, const char *underlay, const char *mark, struct err *e);
/* Plug link `name` of ns into the bridge `master` of the same namespace, which must exist and be a
 * bridge (-ENOENT, -EMEDIUMTYPE otherwise, naming it); the bridge itself is not changed. */
int link_set_master(struct kernel *k, const char *ns, const char *name, const char *master, struct err *e);
/* Is `name` of ns an existing bridge? 0, or -ENOENT / -EMEDIUMTYPE naming it. */
int link_check_bridge(struct kernel *k, const char *ns, const char *name, struct err *e);
/* Delete a link; -ENODEV when it is not there. */
int link_del(struct kernel *k, const char *ns, const char *name, struct err *e);
/* Delete every link of ns whose alias is exactly `mark`, whatever it is called now (renamed by
 * hand); how many into *ret_n (may be NULL). */
int link_del_marked(struct kernel *k, const char *ns, const char *mark, unsigned *ret_n, struct err *e);
/* Administrative up/down (IFF_UP), and carrier: IFLA_CARRIER where the driver has it; a veth (which
 * has not) is taken administratively down/up instead, which drops the carrier of both ends. */
int link_set_up(struct kernel *k, const char *ns, const char *name, bool up, struct err *e);
int link_set_carrier(struct kernel *k, const char *ns, const char *name, bool on, struct err *e);
int link_set_alias(struct kernel *k, const char *ns, const char *name, const char *alias, struct err *e);

/* The alias of one link (its ownership mark), "" when it has none. */
int link_get_alias(struct kernel *k, const char *ns, const char *name, char *buf, size_t len, struct err *e);

/* The same, read from erlab's own namespace through a netns id (no socket inside ns). */
int link_get_alias_remote(struct kernel *k, const char *ns, const char *name, char *buf, size_t len, struct err *e);
/* A namespace's ownership mark, the alias of its lo: from outside, else from inside. */
int netns_mark_get(struct kernel *k, const char *ns, char *buf, size_t len, struct err *e);

/* Address with prefix length (10.0.0.1/30); IPv6 gets IFA_F_NODAD. */
int addr_add(struct kernel *k, const char *ns, const char *ifname, const struct cidr *a, struct err *e);
int addr_del(struct kernel *k, const char *ns, const char *ifname, const struct cidr *a, struct err *e);

/* A static route: dst via gw, or (gw NULL) directly on ifname. */
int route_add(struct kernel *k, const char *ns, const struct cidr *dst, const struct cidr *gw, const char *ifname,
	      struct err *e);

/* Root tbf limiting egress to rate_mbps (created or replaced). */
int qdisc_set_rate(struct kernel *k, const char *ns, const char *ifname, uint32_t rate_mbps, struct err *e);

/* What the kernel has: one dump per namespace (links, then addresses, then root qdiscs). */
int link_dump(struct kernel *k, const char *ns, struct link_info **ret, unsigned *ret_n, struct err *e);

/* Neighbour table entries of a namespace (for ARP info). */
int neigh_dump(struct kernel *k, const char *ns, struct neigh_info **ret, unsigned *ret_n, struct err *e);

/*
 * Feature probes (erlab check, --datapath auto), each in a throwaway namespace:
 * 0 = supported, -EOPNOTSUPP = missing (e->detail has the kernel's reason), other -errno = failed.
 */
int probe_vlan(struct kernel *k, struct err *e);
int probe_veth(struct kernel *k, struct err *e);
int probe_tbf(struct kernel *k, struct err *e);
int probe_netns(struct kernel *k, struct err *e);
int probe_tcp_md5(struct kernel *k, struct err *e);

/* Enter namespace ns for good (setns, plus a private mount namespace with its own /sys), before
 * exec: for `erlab exec` and daemons. */
int kernel_enter_ns(struct kernel *k, const char *ns, struct err *e);   /* no way back: for exec */

#endif
