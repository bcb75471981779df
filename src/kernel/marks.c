/* SPDX-License-Identifier: MIT */
/*
 * Ownership marks of many namespaces, read up front before a bulk teardown (issues 7 and 18).
 *
 * netns_marks_load() opens every namespace it is given and keeps it open until kernel_close (so
 * none can be freed and its identity reused while we work; netns_del takes the fd over as its
 * hold). Then each one's lo is read from inside it, from one thread per CPU: the thread enters the
 * namespace and asks on a socket made there. (Asking from our own namespace instead needs a netns
 * id there for each namespace, and the kernel looks for an existing id by walking all of them: N
 * ids cost N²/2 steps, a third of `down` at 5,000 circuits.) link_get_alias_remote() answers "lo"
 * from this table when the path still names the same namespace (same device and inode as the fd we
 * hold). Anything that could not be read (a link missing) is left out, and the single-request path
 * asks again.
 *
 * The fds count against the descriptor budget (fds.c). What does not fit is opened later: a
 * namespace not read yet, when asked for, is read together with its neighbours in the order given
 * (a few before it, then the ones after), as many as there is room for then: room that the
 * namespaces removed meanwhile give back. A mark read ahead and not asked for yet may be closed
 * again for room; one that has been answered stays held, so the answer stays true.
 */
#include <errno.h>
#include <fcntl.h>
#include <sched.h>
#include <linux/magic.h>
#include <linux/rtnetlink.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/vfs.h>
#include <unistd.h>

#include <libmnl/libmnl.h>

#include "core/par.h"
#include "kernel/nl_int.h"

/* At most this many namespaces' marks read ahead may be closed again to read others (below). */
#define MARK_CHUNK 64
/* A namespace read late (marks_read_from) brings along the ones after it in the order given, and
 * these many before it: a plan checks its namespaces in its own order (the Microsoft side first). */
#define MARK_LOOKBACK 16

/* Threads that read marks (one per CPU up to this); each needs little stack. */
#define MARK_THREADS 4
#define MARK_STACK (128 * 1024)

/*
 * One namespace's mark, read from inside it: this thread enters it, asks for lo on a socket made
 * there, and closes the socket (the caller's thread is put back by the caller). MARK_NONE when it
 * cannot (the single-request path then tells why).
 */
static void read_inside(void *ud, unsigned i, unsigned t)
{
	struct kernel_mark *m = ((struct kernel_mark **)ud)[i];
	char buf[8192];
	struct nlmsghdr *nlh;
	struct nsid_reply r = { .nsid = -1, .alias = m->alias, .alias_len = sizeof(m->alias) };
	struct sockaddr_nl sa = { .nl_family = AF_NETLINK };
	ssize_t len;
	int fd, rem;

	(void)t;
	m->state = MARK_NONE;
	if (setns(m->fd, CLONE_NEWNET) < 0 || (fd = socket(AF_NETLINK, SOCK_RAW | SOCK_CLOEXEC, NETLINK_ROUTE)) < 0)
		return;
	memset(buf, 0, 256);   /* zero-filled: the whole message is sent */
	nlh = mnl_nlmsg_put_header(buf);
	nlh->nlmsg_seq = 1;
	nsid_put_link_request(nlh, "lo", -1, NLM_F_REQUEST);
	if (sendto(fd, nlh, nlh->nlmsg_len, 0, (struct sockaddr *)&sa, sizeof(sa)) < 0 ||
	    (len = recv(fd, buf, sizeof(buf), 0)) < 0) {
		close(fd);
		return;
	}
	close(fd);
	m->alias[0] = '\0';
	rem = (int)len;
	for (nlh = (struct nlmsghdr *)buf; mnl_nlmsg_ok(nlh, rem); nlh = mnl_nlmsg_next(nlh, &rem))
		if (nlh->nlmsg_type == RTM_NEWLINK) {
			nsid_parse(nlh, &r);
			m->state = MARK_HAVE_ALIAS;
		}
}

static void marks_clear(struct kernel *k)
{
	for (unsigned i = 0; i < k->n_marks; i++)
		kernel_ns_fd_close(k, k->marks[i].fd);
	free(k->marks);
	free(k->mark_order);
	k->marks = NULL;
	k->mark_order = NULL;
	k->n_marks = 0;
}

static int by_name(const void *a, const void *b)
{
	return strcmp(((const struct kernel_mark *)a)->name, ((const struct kernel_mark *)b)->name);
}

/* The i-th place marks_read_from visits: pos, then back to `back` (pos - 1 first), then pos + 1 on. */
static unsigned visit(unsigned pos, unsigned back, unsigned i)
{
	return i <= pos - back ? pos - i : pos + (i - (pos - back));
}

/*
 * Open the namespace at place `pos` of the given order and those near it not read yet (a few
 * before, then the ones after), as many as the budget has room for, and read their marks.
 * Returns 0 or -errno (-EMFILE: no room at all; each check then asks alone).
 */
static int marks_read_from(struct kernel *k, unsigned pos)
{
	struct kernel_mark *m = k->marks, **v = NULL;
	unsigned back = pos > MARK_LOOKBACK ? pos - MARK_LOOKBACK : 0, span = k->n_marks - back;
	unsigned want = 0, room, count = 0;

	for (unsigned i = 0; i < span && want < k->ns_fd_budget; i++)
		want += m[k->mark_order[visit(pos, back, i)]].state == MARK_UNLOADED;
	if (want == 0)
		return 0;
	/*
	 * Closing marks read ahead to read others is a trade: only when nothing else gives room, and
	 * MARK_CHUNK at most, so that a check order unlike the one given cannot make every miss read
	 * the whole budget again.
	 */
	if ((room = kernel_fd_room(k, want, ROOM_FLUSH)) == 0 &&
	    (room = kernel_fd_room(k, want < MARK_CHUNK ? want : MARK_CHUNK, ROOM_MARKS)) == 0)
		return -EMFILE;
	if (!(v = calloc(room, sizeof(*v))))
		return -ENOMEM;
	for (unsigned i = 0; i < span && count < room; i++) {
		unsigned p = visit(pos, back, i);
		struct kernel_mark *e = &m[k->mark_order[p]];
		char path[PATH_MAX];
		struct statfs sf;
		struct stat st;
		int fd;

		if (e->state != MARK_UNLOADED)
			continue;
		e->state = MARK_NONE;
		if (kernel_ns_path(e->name, path, sizeof(path)) < 0)
			continue;
		if ((fd = kernel_ns_fd_open(k, path)) < 0) {
			if (fd != -EMFILE && fd != -ENFILE)
				continue;
			e->state = MARK_UNLOADED;   /* someone else took the descriptors: later */
			break;
		}
		if (fstatfs(fd, &sf) < 0 || sf.f_type != NSFS_MAGIC || fstat(fd, &st) < 0) {
			kernel_ns_fd_close(k, fd);
			continue;
		}
		e->fd = fd;
		e->dev = st.st_dev;
		e->ino = st.st_ino;
		v[count++] = e;
	}
	/* Read from inside, several namespaces at once; then this thread comes home. */
	par_for(count, par_cpus(MARK_THREADS), MARK_STACK, read_inside, v);
	kernel_restore(k);
	free(v);
	return 0;
}

int netns_marks_load(struct kernel *k, char *const *names, unsigned n)
{
	struct kernel_mark *m;
	unsigned *order;
	unsigned count = 0;

	marks_clear(k);
	if (n == 0)
		return 0;
	if (!(m = calloc(n, sizeof(*m))))
		return -ENOMEM;
	if (!(order = calloc(n, sizeof(*order)))) {
		free(m);
		return -ENOMEM;
	}
	for (unsigned i = 0; i < n; i++) {
		if (!kernel_ns_name_valid(names[i]) || strlen(names[i]) >= sizeof(m->name))
			continue;
		snprintf(m[count].name, sizeof(m[count].name), "%s", names[i]);
		m[count].fd = -1;
		m[count].state = MARK_UNLOADED;
		m[count].pos = count;
		count++;
	}
	qsort(m, count, sizeof(*m), by_name);
	for (unsigned i = 0; i < count; i++)
		order[m[i].pos] = i;
	k->marks = m;
	k->mark_order = order;
	k->n_marks = count;
	return marks_read_from(k, 0);
}

static struct kernel_mark *kernel_mark_find(struct kernel *k, const char *ns)
{
	struct kernel_mark key;

	if (!k->n_marks || strlen(ns) >= sizeof(key.name))
		return NULL;
	snprintf(key.name, sizeof(key.name), "%s", ns);
	return bsearch(&key, k->marks, k->n_marks, sizeof(key), by_name);
}

bool kernel_mark_get(struct kernel *k, const char *ns, const char *path, char *buf, size_t len)
{
	struct kernel_mark *m = kernel_mark_find(k, ns);
	struct stat st;

	if (m && m->state == MARK_UNLOADED)
		(void)marks_read_from(k, m->pos);   /* best effort: else asked alone */
	if (!m || m->state != MARK_HAVE_ALIAS || m->fd < 0)
		return false;
	/* The name must still be the namespace we hold (we hold it: its inode cannot be reused). */
	if (stat(path, &st) < 0 || st.st_dev != m->dev || st.st_ino != m->ino)
		return false;
	snprintf(buf, len, "%s", m->alias);
	m->handed = true;
	return true;
}

int kernel_mark_take_fd(struct kernel *k, const char *ns)
{
	struct kernel_mark *m = kernel_mark_find(k, ns);
	int fd;

	if (!m)
		return -1;
	fd = m->fd;
	m->fd = -1;
	m->state = MARK_NONE;
	return fd;
}

unsigned kernel_marks_shed(struct kernel *k, unsigned max)
{
	unsigned n = 0;

	/*
	 * The ones last in the order given first: the checks reach them last. A mark already answered
	 * stays held: the fd is what keeps that answer true.
	 */
	for (unsigned p = k->n_marks; p-- > 0 && n < max;) {
		struct kernel_mark *m = &k->marks[k->mark_order[p]];

		if (m->fd < 0 || m->handed)
			continue;
		kernel_ns_fd_close(k, m->fd);
		m->fd = -1;
		/* Read again when asked for; one the batch could not read is asked alone. */
		m->state = m->state == MARK_NONE ? MARK_NONE : MARK_UNLOADED;
		n++;
	}
	return n;
}

void kernel_marks_close(struct kernel *k)
{
	marks_clear(k);
}
