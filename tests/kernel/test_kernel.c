/* SPDX-License-Identifier: MIT */
/*
 * The kernel layer against the real kernel. Needs root; re-executes itself inside
 * `unshare --mount --net` with a tmpfs over /run/netns, so nothing reaches the host:
 *
 *      ka (customer-like)                 kb (microsoft-like)
 *   v0  10.0.0.1/30, 2001:db8::1/126 ===== v0 (ifindex 1000)
 *   w0 ================================== w0 (kernel's index)
 *   x0 ================================== x0 (hint 1000 taken: kernel's index)
 *
 * Exit 77 when not root (or unshare is missing). Last line: "N passed, N failed".
 */
#include <arpa/inet.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <linux/if.h>
#include <linux/magic.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/vfs.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "../unit/test.h"
#include "kernel/kernel.h"
#include "kernel/nl_int.h"

#define SANDBOX_ENV "ERLAB_KERNEL_TEST_SANDBOX"
#define MARK "erlab:00000000-0000-0000-0000-000000000001:trunk:primary"

static struct kernel *k;

static struct cidr mk(const char *addr, unsigned plen)
{
	struct cidr c = { 0 };

	if (inet_pton(AF_INET, addr, c.addr) == 1)
		c.family = AF_INET;
	else if (inet_pton(AF_INET6, addr, c.addr) == 1)
		c.family = AF_INET6;
	c.prefixlen = (uint8_t)plen;
	return c;
}

/* Output of a shell command (for checking what `ip` sees), "" on failure. */
static const char *sh(const char *cmd)
{
	static char out[8192];
	size_t n;
	FILE *f = popen(cmd, "r");

	out[0] = '\0';
	if (!f)
		return out;
	n = fread(out, 1, sizeof(out) - 1, f);
	out[n] = '\0';
	pclose(f);
	return out;
}

static const struct link_info *find(const struct link_info *v, unsigned n, const char *name)
{
	for (unsigned i = 0; i < n; i++)
		if (strcmp(v[i].name, name) == 0)
			return &v[i];
	return NULL;
}

static bool has_addr(const struct link_info *li, const struct cidr *c)
{
	for (unsigned i = 0; li && i < li->n_addrs; i++)
		if (li->addrs[i].family == c->family && li->addrs[i].prefixlen == c->prefixlen &&
		    memcmp(li->addrs[i].addr, c->addr, c->family == AF_INET ? 4 : 16) == 0)
			return true;
	return false;
}

static unsigned fd_count(void)
{
	unsigned n = 0;
	DIR *d = opendir("/proc/self/fd");

	if (!d)
		return 0;
	while (readdir(d))
		n++;
	closedir(d);
	return n;
}

static double now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1e3 + ts.tv_nsec / 1e6;
}

static void test_netns_add(void)
{
	struct err e = { 0 };
	struct stat st;
	char **list;
	unsigned n;
	bool seen = false;

	CHECK_INT(netns_add(k, "ka", NULL, &e), 0);
	CHECK_INT(netns_add(k, "kb", NULL, &e), 0);
	CHECK(stat("/run/netns/ka", &st) == 0);
	CHECK(netns_exists(k, "ka"));
	CHECK(!netns_exists(k, "nosuch"));
	CHECK(strstr(sh("ip netns exec ka ip link show lo 2>&1"), "LOOPBACK,UP") != NULL);

	memset(&e, 0, sizeof(e));
	CHECK_INT(netns_add(k, "ka", NULL, &e), -EEXIST);
	CHECK_STR(e.what, "ka");
	CHECK_STR(e.msg, "namespace already exists");
	CHECK_INT(netns_add(k, "a/b", NULL, &e), -EINVAL);

	CHECK_INT(netns_list(k, &list, &n), 0);
	for (unsigned i = 0; i < n; i++)
		seen |= strcmp(list[i], "kb") == 0;
	CHECK(seen);
	netns_list_free(list, n);
}

/* The mark read from inside (a socket in the namespace) and from outside (a netns id). */
static void test_alias_remote(void)
{
	struct err e = { 0 };
	char in[128], out[128];

	CHECK_INT(link_set_alias(k, "ka", "lo", "erlab:test:ns", &e), 0);
	CHECK_INT(link_get_alias(k, "ka", "lo", in, sizeof(in), &e), 0);
	CHECK_STR(in, "erlab:test:ns");
	CHECK_INT(link_get_alias_remote(k, "ka", "lo", out, sizeof(out), &e), 0);
	CHECK_STR(out, "erlab:test:ns");
	/* Twice: the namespace already has its id the second time. */
	CHECK_INT(link_get_alias_remote(k, "ka", "lo", out, sizeof(out), &e), 0);
	CHECK_STR(out, "erlab:test:ns");
	CHECK_INT(link_get_alias_remote(k, "kb", "lo", out, sizeof(out), &e), 0);
	CHECK_STR(out, "");
	CHECK(link_get_alias_remote(k, "ka", "nosuch0", out, sizeof(out), &e) < 0);
	CHECK_INT(link_get_alias_remote(k, "nosuchns", "lo", out, sizeof(out), &e), -ENOENT);
}

/*
 * netns_marks_load reads many marks up front, each from inside its namespace (so none of them gets
 * a netns id of ours: giving N ids is quadratic in the kernel), and answers from them while the
 * name still names the namespace it read (a snapshot); a namespace replaced under the same name
 * is asked afresh. More namespaces than there are threads, one of them with a netns id already.
 */
static void test_marks_batch(void)
{
	enum { NM = 150 };
	char names[NM][16], *v[NM + 1], alias[64], out[128], cmd[256];
	struct err e = { 0 };

	for (unsigned i = 0; i < NM; i++) {
		snprintf(names[i], sizeof(names[i]), "mk%u", i);
		v[i] = names[i];
		snprintf(alias, sizeof(alias), "erlab:mk:%u", i);
		CHECK_INT(netns_add(k, names[i], alias, &e), 0);   /* lo comes up with its mark */
	}
	v[NM] = "nosuchns";   /* not there: left out */
	sh("ip netns set mk7 77");
	CHECK_INT(netns_marks_load(k, v, NM + 1), 0);
	CHECK_STR(sh("ip netns list-id | grep -c 'name: mk'"), "1\n");   /* mk7's, given above */
	/* Changed after the load: the load's answer stands (it is what the check saw). */
	sh("ip -n mk3 link set lo alias changed && ip -n mk7 link set lo alias changed");
	/* Replaced: a different namespace now has the name, so it is asked for. */
	sh("ip netns del mk5 && ip netns add mk5 && ip -n mk5 link set lo alias other");
	for (unsigned i = 0; i < NM; i++) {
		snprintf(alias, sizeof(alias), "erlab:mk:%u", i);
		CHECK_INT(link_get_alias_remote(k, names[i], "lo", out, sizeof(out), &e), 0);
		CHECK_STR(out, i == 5 ? "other" : alias);
	}
	CHECK_INT(link_get_alias_remote(k, "nosuchns", "lo", out, sizeof(out), &e), -ENOENT);
	for (unsigned i = 0; i < NM; i++)
		CHECK_INT(netns_del(k, names[i], &e), 0);
	snprintf(cmd, sizeof(cmd), "ls /run/netns | grep -c '^mk'");
	CHECK_STR(sh(cmd), "0\n");
}

static void test_veth(void)
{
	struct err e = { 0 };
	struct link_info *a = NULL, *b = NULL;
	const struct link_info *la, *lb;
	unsigned na = 0, nb = 0;

	CHECK_INT(link_add_veth(k, "ka", "v0", "kb", "v0", 1000, MARK, &e), 0);
	CHECK_INT(link_add_veth(k, "ka", "w0", "kb", "w0", 0, MARK, &e), 0);
	/* 1000 is taken in kb now: the hint is dropped, the pair still made. */
	CHECK_INT(link_add_veth(k, "ka", "x0", "kb", "x0", 1000, "", &e), 0);
	CHECK_INT(link_dump(k, "ka", &a, &na, &e), 0);
	CHECK_INT(link_dump(k, "kb", &b, &nb, &e), 0);
	/* One queue each way on both ends, from the start (no cut after registration). */
	CHECK_STR(sh("ip -n ka -d -o link show v0 | grep -o 'numtxqueues [0-9]* numrxqueues [0-9]*'"),
		  "numtxqueues 1 numrxqueues 1\n");
	CHECK_STR(sh("ip -n kb -d -o link show v0 | grep -o 'numtxqueues [0-9]* numrxqueues [0-9]*'"),
		  "numtxqueues 1 numrxqueues 1\n");

	la = find(a, na, "v0");
	lb = find(b, nb, "v0");
	CHECK(la && lb);
	if (la && lb) {
		CHECK_STR(la->kind, "veth");
		CHECK_STR(lb->kind, "veth");
		CHECK_STR(la->alias, MARK);
		CHECK_STR(lb->alias, MARK);
		CHECK(la->flags & IFF_UP);
		CHECK(lb->flags & IFF_UP);
		CHECK_INT(lb->ifindex, 1000);
		CHECK(la->ifindex != 1000);
		CHECK(la->carrier && lb->carrier);
	}
	la = find(a, na, "w0");
	lb = find(b, nb, "w0");
	CHECK(la && lb && (la->flags & IFF_UP) && (lb->flags & IFF_UP));
	CHECK(lb && strcmp(lb->alias, MARK) == 0);
	lb = find(b, nb, "x0");
	CHECK(lb && lb->ifindex != 1000 && (lb->flags & IFF_UP));
	la = find(a, na, "lo");
	CHECK(la && strcmp(la->kind, "loopback") == 0 && (la->flags & IFF_UP));
	free(a);
	free(b);

	memset(&e, 0, sizeof(e));
	CHECK_INT(link_add_veth(k, "ka", "v0", "kb", "v9", 0, MARK, &e), -EEXIST);
	CHECK_STR(e.what, "ka/v0");
	CHECK(strncmp(e.detail, "kernel: ", 8) == 0);
	CHECK_INT(link_add_veth(k, "ka", "y0", "nosuch", "y0", 0, MARK, &e), -ENOENT);
}

static void test_addr(void)
{
	struct cidr v4 = mk("10.0.0.1", 30), v6 = mk("2001:db8::1", 126), tmp = mk("10.9.0.1", 24);
	struct err e = { 0 };
	struct link_info *a = NULL;
	unsigned na = 0;
	const char *out;

	CHECK_INT(addr_add(k, "ka", "v0", &v4, &e), 0);
	CHECK_INT(addr_add(k, "ka", "v0", &v6, &e), 0);
	CHECK_INT(addr_add(k, "ka", "v0", &tmp, &e), 0);
	CHECK_INT(addr_del(k, "ka", "v0", &tmp, &e), 0);
	CHECK_INT(link_dump(k, "ka", &a, &na, &e), 0);
	CHECK(has_addr(find(a, na, "v0"), &v4));
	CHECK(has_addr(find(a, na, "v0"), &v6));
	CHECK(!has_addr(find(a, na, "v0"), &tmp));
	free(a);

	out = sh("ip -n ka addr show dev v0 2>&1");
	CHECK(strstr(out, "inet 10.0.0.1/30 brd 10.0.0.3") != NULL);
	/* NODAD: usable at once, never "tentative" (the kernel's own fe80:: address may be). */
	CHECK(strstr(sh("ip -n ka -6 addr show dev v0 scope global 2>&1"), "inet6 2001:db8::1/126 scope global nodad") != NULL);
	CHECK(strstr(sh("ip -n ka -6 addr show dev v0 scope global tentative 2>&1"), "2001:db8::1") == NULL);

	memset(&e, 0, sizeof(e));
	CHECK_INT(addr_add(k, "ka", "v0", &v4, &e), -EEXIST);
	CHECK_STR(e.what, "ka/v0");
	CHECK(strstr(e.detail, "already assigned") != NULL);
	memset(&e, 0, sizeof(e));
	CHECK_INT(addr_add(k, "ka", "v0", &v6, &e), -EEXIST);
	CHECK(strstr(e.detail, "already assigned") != NULL);
	CHECK_INT(addr_add(k, "ka", "nosuch0", &v4, &e), -ENODEV);
}

static void test_qdisc(void)
{
	struct err e = { 0 };
	struct link_info *a = NULL;
	const struct link_info *l;
	unsigned na = 0;

	CHECK_INT(qdisc_set_rate(k, "ka", "v0", 200, &e), 0);
	CHECK_INT(link_dump(k, "ka", &a, &na, &e), 0);
	l = find(a, na, "v0");
	CHECK(l && strcmp(l->qdisc, "tbf") == 0);
	CHECK(l && l->rate_bps == 200000000ull);
	free(a);
	/* Replaced in place. */
	CHECK_INT(qdisc_set_rate(k, "ka", "v0", 10000, &e), 0);
	CHECK_INT(link_dump(k, "ka", &a, &na, &e), 0);
	l = find(a, na, "v0");
	CHECK(l && l->rate_bps == 10000000000ull);
	free(a);
	CHECK(strstr(sh("ip netns exec ka tc qdisc show dev v0"), "tbf 1: root") != NULL);
	CHECK_INT(qdisc_set_rate(k, "ka", "nosuch0", 200, &e), -ENODEV);
}

/*
 * A namespace whose addresses change while it is dumped: the kernel marks the dump interrupted
 * (NLM_F_DUMP_INTR), and link_dump takes it again instead of failing ("Interrupted system call",
 * as `status` did right after `up` while IPv6 addresses settled). 1,500 addresses make the address
 * dump span several reads, so a change between two of them is seen; a child adds or removes one
 * every millisecond on its own netlink socket (a tenth of the dumps are taken twice here; faster
 * changes on a loaded machine can outlast the ten tries).
 */
static void test_dump_interrupted(void)
{
	struct err e = { 0 };
	struct cidr c = mk("10.128.0.0", 32), moving = mk("10.255.0.1", 32);
	struct link_info *v = NULL;
	unsigned n = 0;
	int bad = 0, failed = 0, st;
	pid_t pid;

	CHECK_INT(netns_add(k, "kc", NULL, &e), 0);
	for (unsigned i = 0; i < 1500; i++) {
		c.addr[2] = (uint8_t)(i / 250);
		c.addr[3] = (uint8_t)(i % 250 + 1);
		bad |= addr_add(k, "kc", "lo", &c, &e);
	}
	CHECK_INT(bad, 0);
	fflush(NULL);
	if ((pid = fork()) == 0) {
		struct kernel *k2;
		struct err e2 = { 0 };

		if (kernel_open(&k2, &e2) < 0)
			_exit(1);
		for (;;) {
			addr_add(k2, "kc", "lo", &moving, &e2);
			usleep(1000);
			addr_del(k2, "kc", "lo", &moving, &e2);
			usleep(1000);
		}
	}
	CHECK(pid > 0);
	for (int i = 0; pid > 0 && i < 300; i++) {
		memset(&e, 0, sizeof(e));
		if (link_dump(k, "kc", &v, &n, &e) < 0) {
			if (!failed++)
				fprintf(stderr, "link_dump kc: %s\n", e.msg);
		} else if (n != 1 || strcmp(v[0].name, "lo") != 0 || v[0].n_addrs != sizeof(v[0].addrs) / sizeof(v[0].addrs[0])) {
			/* One link, lo, with as many addresses as link_info keeps: nothing twice from a
			 * dump taken again. */
			failed++;
		}
		free(v);
		v = NULL;
	}
	if (pid > 0) {
		kill(pid, SIGKILL);
		waitpid(pid, &st, 0);
	}
	CHECK_INT(failed, 0);
	CHECK_INT(netns_del(k, "kc", &e), 0);
}

static bool carrier_of(const char *ns, const char *name)
{
	struct err e = { 0 };
	struct link_info *v = NULL;
	unsigned n = 0;
	bool c = false;

	if (link_dump(k, ns, &v, &n, &e) == 0 && find(v, n, name))
		c = find(v, n, name)->carrier;
	free(v);
	return c;
}

static void test_carrier(void)
{
	struct err e = { 0 };

	CHECK(carrier_of("ka", "w0") && carrier_of("kb", "w0"));
	CHECK_INT(link_set_carrier(k, "ka", "w0", false, &e), 0);
	CHECK(!carrier_of("ka", "w0"));
	CHECK_INT(link_set_carrier(k, "kb", "w0", false, &e), 0);
	CHECK(!carrier_of("kb", "w0"));
	CHECK_INT(link_set_carrier(k, "ka", "w0", true, &e), 0);
	CHECK_INT(link_set_carrier(k, "kb", "w0", true, &e), 0);
	CHECK(carrier_of("ka", "w0") && carrier_of("kb", "w0"));
	/* lo is no veth and has no carrier switch. */
	CHECK_INT(link_set_carrier(k, "ka", "lo", false, &e), -EOPNOTSUPP);

	CHECK_INT(link_set_up(k, "ka", "x0", false, &e), 0);
	CHECK(!carrier_of("kb", "x0"));
	CHECK_INT(link_set_up(k, "ka", "x0", true, &e), 0);
	CHECK(carrier_of("kb", "x0"));
	CHECK_INT(link_set_alias(k, "ka", "x0", "hello", &e), 0);
	CHECK(strstr(sh("ip -n ka link show dev x0"), "alias hello") != NULL);
}

static void test_vlan(void)
{
	struct err e = { 0 };
	struct link_info *a = NULL;
	const struct link_info *l;
	unsigned na = 0;
	int r;

	r = link_add_vlan(k, "ka", "v0", "v0.100", 100, MARK, &e);
	if (r == -EOPNOTSUPP) {
		CHECK(strstr(e.detail, "kernel: Unknown device type") != NULL);
		CHECK_STR(e.what, "ka/v0.100");
		CHECK_INT(probe_vlan(k, &e), -EOPNOTSUPP);
		CHECK(strstr(e.detail, "Unknown device type") != NULL);
		return;
	}
	CHECK_INT(r, 0);
	CHECK_INT(probe_vlan(k, &e), 0);
	CHECK_INT(link_dump(k, "ka", &a, &na, &e), 0);
	l = find(a, na, "v0.100");
	CHECK(l && l->vlan_id == 100 && l->vlan_proto == 0x8100 && strcmp(l->parent, "v0") == 0);
	CHECK(l && strcmp(l->kind, "vlan") == 0 && strcmp(l->alias, MARK) == 0);
	free(a);
	CHECK_INT(link_add_vlan(k, "ka", "nosuch0", "n.1", 1, MARK, &e), -ENODEV);
}

static void test_neigh(void)
{
	struct err e = { 0 };
	struct neigh_info *v = NULL;
	unsigned n = 0;
	bool found = false;

	/* Learn 10.0.0.1's MAC in kb by pinging it from there. */
	sh("ip -n kb addr add 10.0.0.2/30 dev v0 && ip netns exec kb ping -c1 -W1 10.0.0.1 >/dev/null 2>&1");
	CHECK_INT(neigh_dump(k, "kb", &v, &n, &e), 0);
	for (unsigned i = 0; i < n; i++)
		if (v[i].addr.family == AF_INET && memcmp(v[i].addr.addr, "\x0a\x00\x00\x01", 4) == 0) {
			found = true;
			CHECK_STR(v[i].ifname, "v0");
			CHECK_INT(strlen(v[i].lladdr), 17);
			CHECK(v[i].age_s < 5);
		}
	CHECK(found);
	free(v);
}

/* A child entered into kb sees kb's links in its own /sys (what `erlab exec` relies on). */
static void test_enter(void)
{
	struct err e = { 0 };
	int status = -1;
	pid_t pid;

	fflush(NULL);
	pid = fork();
	if (pid == 0) {
		if (kernel_enter_ns(k, "kb", &e) < 0)
			_exit(2);
		_exit(access("/sys/class/net/w0", F_OK) == 0 && access("/sys/class/net/v0", F_OK) == 0 ? 0 : 1);
	}
	CHECK(pid > 0);
	waitpid(pid, &status, 0);
	CHECK(WIFEXITED(status) && WEXITSTATUS(status) == 0);
	/* The parent's /sys is untouched. */
	CHECK(access("/sys/class/net/w0", F_OK) < 0);
	CHECK_INT(kernel_enter_ns(k, "nosuch", &e), -ENOENT);
}

static void test_link_del(void)
{
	struct err e = { 0 };

	CHECK_INT(link_del(k, "ka", "x0", &e), 0);
	memset(&e, 0, sizeof(e));
	CHECK_INT(link_del(k, "ka", "x0", &e), -ENODEV);
	CHECK_STR(e.what, "ka/x0");
	CHECK(strstr(e.detail, "kernel: ") != NULL);
	/* The pair went with it. */
	CHECK_INT(link_del(k, "kb", "x0", NULL), -ENODEV);
}

static void test_probes(void)
{
	struct err e = { 0 };
	unsigned before = fd_count();

	CHECK_INT(probe_netns(k, &e), 0);
	CHECK_INT(probe_veth(k, &e), 0);
	CHECK_INT(probe_tbf(k, &e), 0);
	CHECK_INT(probe_tcp_md5(k, &e), 0);
	CHECK_INT(fd_count(), before);
	/* Nothing from the probes in our namespace. */
	CHECK(strstr(sh("ip link show"), "probe") == NULL);
}

static void test_netns_del(void)
{
	struct err e = { 0 };
	struct stat st;

	CHECK_INT(netns_del(k, "ka", &e), 0);
	CHECK(stat("/run/netns/ka", &st) < 0 && errno == ENOENT);
	CHECK(!netns_exists(k, "ka"));
	memset(&e, 0, sizeof(e));
	CHECK_INT(netns_del(k, "ka", &e), -ENOENT);
	CHECK_STR(e.what, "ka");
	CHECK_INT(link_del(k, "ka", "v0", &e), -ENOENT);
	/* Deleted behind our back: the cached socket must not be used. */
	sh("ip netns del kb");
	CHECK_INT(link_dump(k, "kb", &(struct link_info *){ NULL }, &(unsigned){ 0 }, &e), -ENOENT);
	CHECK_INT(netns_add(k, "kb", NULL, &e), 0);
	CHECK_INT(netns_del(k, "kb", &e), 0);
}

/* Removal in bulk: recorded namespaces stay until the flush, which removes them all (from several
 * threads) except one replaced in between; a cancelled record is not removed. */
static void test_netns_del_later(void)
{
	enum { NB = 100 };
	char name[16];
	struct err e = { 0 };

	for (unsigned i = 0; i < NB; i++) {
		snprintf(name, sizeof(name), "bd%u", i);
		CHECK_INT(netns_add(k, name, MARK, &e), 0);
	}
	CHECK_INT(netns_del_pending(k), 0);
	for (unsigned i = 0; i < 60; i++) {
		snprintf(name, sizeof(name), "bd%u", i);
		CHECK_INT(netns_del_later(k, name, &e), 0);
	}
	CHECK_INT(netns_del_later(k, "nosuchns", &e), -ENOENT);
	CHECK_STR(e.what, "nosuchns");
	CHECK_INT(netns_del_pending(k), 60);
	netns_del_cancel(k, 50);   /* bd50..bd59 stay */
	CHECK_INT(netns_del_pending(k), 50);
	CHECK(netns_exists(k, "bd0") && netns_exists(k, "bd49"));   /* not before the flush */
	/* Replaced after the record: left alone. Removed behind our back: fine, it is gone. */
	sh("ip netns del bd3 && ip netns add bd3 && ip netns del bd6 && ip netns add bd6 && ip netns del bd4");
	memset(&e, 0, sizeof(e));
	CHECK_INT(netns_del_flush(k, &e), -EEXIST);
	CHECK_STR(e.what, "bd3");
	CHECK(strstr(e.msg, "replaced") != NULL);
	CHECK(strstr(e.detail, "1 more") != NULL);
	CHECK_INT(netns_del_pending(k), 0);
	CHECK_STR(sh("ls /run/netns | grep '^bd' | sort -V | tr '\\n' ' '"),
		  "bd3 bd6 bd50 bd51 bd52 bd53 bd54 bd55 bd56 bd57 bd58 bd59 bd60 bd61 bd62 bd63 bd64 bd65 bd66 bd67 "
		  "bd68 bd69 bd70 bd71 bd72 bd73 bd74 bd75 bd76 bd77 bd78 bd79 bd80 bd81 bd82 bd83 bd84 bd85 bd86 bd87 "
		  "bd88 bd89 bd90 bd91 bd92 bd93 bd94 bd95 bd96 bd97 bd98 bd99 ");
	CHECK_INT(netns_del_flush(k, &e), 0);   /* nothing recorded: nothing to do */
	CHECK_INT(link_dump(k, "bd0", &(struct link_info *){ NULL }, &(unsigned){ 0 }, &e), -ENOENT);
	for (unsigned i = 0; i < NB; i++) {
		snprintf(name, sizeof(name), "bd%u", i);
		if (netns_exists(k, name))
			CHECK_INT(netns_del_later(k, name, &e), 0);
	}
	CHECK_INT(netns_del_flush(k, &e), 0);
	CHECK_STR(sh("ls /run/netns | grep -c '^bd'"), "0\n");
}

/* More namespaces than the socket cache holds: entries are evicted, fds stay bounded. */
static void test_many(void)
{
	const unsigned many = KERNEL_NS_CACHE + 8;
	struct err e = { 0 };
	unsigned before = fd_count(), peak = 0;
	char ns[32], prev[32];
	struct cidr c;
	int bad = 0;

	for (unsigned i = 0; i < many; i++) {
		snprintf(ns, sizeof(ns), "m%u", i);
		bad |= netns_add(k, ns, NULL, &e);
		if (i > 0) {
			snprintf(prev, sizeof(prev), "m%u", i - 1);
			bad |= link_add_veth(k, prev, "up0", ns, "down0", 0, MARK, &e);
		}
		peak = fd_count() > peak ? fd_count() : peak;
	}
	CHECK_INT(bad, 0);
	/* Revisit the evicted ones. */
	for (unsigned i = 0; i + 1 < many; i++) {
		snprintf(ns, sizeof(ns), "m%u", i);
		c = mk("192.0.2.1", 24);
		c.addr[3] = (uint8_t)(i + 1);
		bad |= addr_add(k, ns, "up0", &c, &e);
		peak = fd_count() > peak ? fd_count() : peak;
	}
	CHECK_INT(bad, 0);
	if (bad)
		fprintf(stderr, "many: %s: %s (%s)\n", e.what, e.msg, e.detail);
	CHECK(peak <= before + 2 * KERNEL_NS_CACHE + 2);
	for (unsigned i = 0; i < many; i++) {
		snprintf(ns, sizeof(ns), "m%u", i);
		bad |= netns_del(k, ns, &e);
	}
	CHECK_INT(bad, 0);
	/* Deleted namespaces stay held (one fd each) until kernel_close, so the kernel frees them
	 * in one batch afterwards; the cache's own fds are all closed. */
	CHECK_INT(fd_count(), before + many);
}

/* How many of /run/netns's names start with prefix. */
static unsigned ns_count(struct kernel *kh, const char *prefix)
{
	char **list = NULL;
	unsigned n = 0, c = 0;

	if (netns_list(kh, &list, &n) < 0)
		return ~0u;
	for (unsigned i = 0; i < n; i++)
		c += strncmp(list[i], prefix, strlen(prefix)) == 0;
	netns_list_free(list, n);
	return c;
}

/* The body of test_fd_budget, in a child with a limit of 64 (soft and hard); returns the failures. */
static int fd_budget_child(void)
{
	enum { NF = 120 };
	struct rlimit lim = { 64, 64 };
	char names[NF][16], *v[NF], alias[64], out[128];
	struct err e = { 0 };
	struct kernel *kl = NULL;
	unsigned over = 0, done, fillers = 0;
	int fill[64];

	/* Only stdio: what the parent's handle holds is not ours to count. */
	close_range(3, ~0U, 0);
	if (setrlimit(RLIMIT_NOFILE, &lim) < 0 || kernel_open(&kl, &e) < 0) {
		fprintf(stderr, "fd budget: cannot set the limit or open the kernel: %s\n", e.msg);
		return 1;
	}
	CHECK_INT(kl->ns_cap, 2);
	CHECK(kl->ns_fd_budget > 0 && kl->ns_fd_budget < NF / 4);
	for (unsigned i = 0; i < NF; i++) {
		snprintf(names[i], sizeof(names[i]), "fb%u", i);
		v[i] = names[i];
		snprintf(alias, sizeof(alias), "erlab:fb:%u", i);
		CHECK_INT(netns_add(kl, names[i], alias, &e), 0);
	}
	/* The batch reads what fits; the rest is read when asked for, in order, as removals make room. */
	CHECK_INT(netns_marks_load(kl, v, NF), 0);
	CHECK_INT(kl->n_ns_fds, kl->ns_fd_budget);
	for (unsigned i = 0; i < NF / 2; i++) {
		snprintf(alias, sizeof(alias), "erlab:fb:%u", i);
		CHECK_INT(link_get_alias_remote(kl, names[i], "lo", out, sizeof(out), &e), 0);
		CHECK_STR(out, alias);
		CHECK_INT(netns_del_later(kl, names[i], &e), 0);
		over += kl->n_ns_fds > kl->ns_fd_budget;
	}
	CHECK_INT(over, 0);
	/* Some were removed early to make room; a cancel cannot take those back, only the others. */
	done = kl->n_pending_done;
	CHECK(done > 0 && done < NF / 2);
	CHECK_INT(ns_count(kl, "fb"), NF - done);
	netns_del_cancel(kl, 0);
	CHECK_INT(netns_del_pending(kl), done);
	/* One replaced after its record and before an early flush: reported by the final flush. */
	CHECK_INT(netns_del_later(kl, names[done], &e), 0);
	snprintf(out, sizeof(out), "ip netns del %s && ip netns add %s", names[done], names[done]);
	sh(out);
	for (unsigned i = done + 1; i < NF; i++) {
		CHECK_INT(netns_del_later(kl, names[i], &e), 0);
		over += kl->n_ns_fds > kl->ns_fd_budget;
	}
	CHECK_INT(over, 0);
	CHECK(kl->n_pending_done > done + 1);   /* flushed early, the replaced one among them */
	memset(&e, 0, sizeof(e));
	CHECK_INT(netns_del_flush(kl, &e), -EEXIST);
	CHECK_STR(e.what, names[done]);
	CHECK(strstr(e.msg, "replaced") != NULL);
	CHECK_INT(ns_count(kl, "fb"), 1);
	CHECK_INT(netns_del(kl, names[done], &e), 0);
	CHECK_INT(ns_count(kl, "fb"), 0);
	CHECK(kl->n_held > 0 && kl->n_ns_fds <= kl->ns_fd_budget);
	/* Every descriptor taken by someone else: netns_list still lists, with the holds given back. */
	while (fillers < 64 && (fill[fillers] = open("/dev/null", O_RDONLY | O_CLOEXEC)) >= 0)
		fillers++;
	CHECK_INT(ns_count(kl, "fb"), 0);
	CHECK_INT(kl->n_held, 0);
	while (fillers > 0)
		close(fill[--fillers]);
	kernel_close(kl);
	return test_failed_checks;
}

/*
 * Descriptor limits ("Nothing lost, round two", item 2): with soft and hard RLIMIT_NOFILE 64, far
 * fewer than the namespaces, nothing the layer holds goes over its budget and every namespace is
 * removed; in a child, so the other tests keep their limit.
 */
static void test_fd_budget(void)
{
	int status = 0;
	pid_t pid;

	fflush(NULL);
	pid = fork();
	if (pid == 0)
		_exit(fd_budget_child() ? 1 : 0);
	CHECK(pid > 0 && waitpid(pid, &status, 0) == pid && WIFEXITED(status) && WEXITSTATUS(status) == 0);
}

/* netns_add + 3 veth pairs + an address on each end: the per-circuit-ish cost. */
static void test_timing(void)
{
	struct err e = { 0 };
	double t0, t1;
	char name[8];
	struct cidr c;
	int bad = 0;

	t0 = now_ms();
	bad |= netns_add(k, "tc", NULL, &e);
	bad |= netns_add(k, "tm", NULL, &e);
	for (int i = 0; i < 3; i++) {
		snprintf(name, sizeof(name), "p.%d", 100 + i);
		bad |= link_add_veth(k, "tc", name, "tm", name, 2000 + i, MARK, &e);
		c = mk("10.1.0.1", 30);
		c.addr[2] = (uint8_t)i;
		bad |= addr_add(k, "tc", name, &c, &e);
		c.addr[3] = 2;
		bad |= addr_add(k, "tm", name, &c, &e);
	}
	t1 = now_ms();
	CHECK_INT(bad, 0);
	printf("timing: 2 netns + 3 veth pairs + 6 addresses: %.2f ms\n", t1 - t0);
	bad |= netns_del(k, "tc", &e);
	bad |= netns_del(k, "tm", &e);
	CHECK_INT(bad, 0);
}

static int sandbox(char **argv)
{
	static const char script[] =
		/* Without a /run/netns on the host, a tmpfs over /run: no directory is left behind. */
		"if [ -d /run/netns ]; then mount -t tmpfs tmpfs /run/netns || exit 77; "
		"else mount -t tmpfs tmpfs /run && mkdir /run/netns && mount -t tmpfs tmpfs /run/netns || exit 77; fi; "
		SANDBOX_ENV "=1 exec \"$0\"";

	execlp("unshare", "unshare", "--mount", "--net", "sh", "-c", script, argv[0], (char *)NULL);
	fprintf(stderr, "skip: cannot run unshare: %s\n", strerror(errno));
	return 77;
}

int main(int argc, char **argv)
{
	struct err e = { 0 };
	struct statfs sf;

	(void)argc;
	if (geteuid() != 0) {
		fprintf(stderr, "skip: needs root\n");
		return 77;
	}
	if (!getenv(SANDBOX_ENV))
		return sandbox(argv);
	/* Never run against the host's /run/netns. */
	if (statfs(KERNEL_NETNS_DIR, &sf) < 0 || sf.f_type != TMPFS_MAGIC) {
		fprintf(stderr, "skip: %s is not a private tmpfs\n", KERNEL_NETNS_DIR);
		return 77;
	}
	if (kernel_open(&k, &e) < 0) {
		fprintf(stderr, "kernel_open: %s\n", e.msg);
		return 1;
	}
	RUN(test_netns_add);
	RUN(test_alias_remote);
	RUN(test_marks_batch);
	RUN(test_veth);
	RUN(test_addr);
	RUN(test_qdisc);
	RUN(test_carrier);
	RUN(test_dump_interrupted);
	RUN(test_vlan);
	RUN(test_neigh);
	RUN(test_enter);
	RUN(test_link_del);
	RUN(test_probes);
	RUN(test_netns_del);
	RUN(test_netns_del_later);
	RUN(test_many);
	RUN(test_fd_budget);
	RUN(test_timing);
	kernel_close(k);
	return TEST_DONE();
}
