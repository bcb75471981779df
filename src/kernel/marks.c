/* SPDX-License-Identifier: MIT */
/*
 * Ownership marks of many namespaces, read in batches before a bulk teardown (issue 7).
 *
 * netns_marks_load() opens every namespace it is given and keeps it open until kernel_close (so
 * none can be freed and its identity reused while we work; netns_del takes the fd over as its
 * hold). Then, on the nsid socket, RTM_NEWNSID for each namespace and RTM_GETLINK of each one's
 * lo go out in batches: one send per batch, every answer matched to its namespace by sequence
 * number. link_get_alias_remote() answers "lo" from this table when the path still names the
 * same namespace (same device and inode as the fd we hold). Anything the batch could not learn
 * (an id already taken, a link missing) is left out, and the single-request path asks again.
 *
 * The fds count against the descriptor budget (fds.c). What does not fit is opened later: a
 * namespace not read yet, when asked for, is read together with its neighbours in the order given
 * (a few before it, then the ones after), as many as there is room for then: room that the
 * namespaces removed meanwhile give back. A mark read ahead and not asked for yet may be closed
 * again for room; one that has been answered stays held, so the answer stays true.
 */
#include <errno.h>
#include <fcntl.h>
#include <linux/if_link.h>
#include <linux/magic.h>
#include <linux/net_namespace.h>
#include <linux/rtnetlink.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/vfs.h>
#include <unistd.h>

#include <libmnl/libmnl.h>

#include "kernel/nl_int.h"

/* Requests per send: their answers (a lo GETLINK without stats is about 1.5 KiB) must fit the
 * socket's receive buffer, or the kernel drops them. */
#define MARK_BATCH 64
#define MARK_RECV_BUF 65536
/* A namespace read late (marks_read_from) brings along the ones after it in the order given, and
 * these many before it: a plan checks its namespaces in its own order (the Microsoft side first). */
#define MARK_LOOKBACK 16

enum { ASK_NEWNSID, ASK_GETNSID, ASK_LINK };

struct batch_rx {
	struct kernel_mark **v;
	unsigned first, n;         /* entries v[first, first + n) are in flight */
	uint32_t seq0;             /* the seq of entry `first` */
	unsigned answered;
	int ask;
};

static struct kernel_mark *of_seq(struct batch_rx *b, uint32_t seq)
{
	uint32_t i = seq - b->seq0;

	return i < b->n ? b->v[b->first + i] : NULL;
}

static int rx_data(const struct nlmsghdr *nlh, void *data)
{
	struct batch_rx *b = data;
	struct kernel_mark *m = of_seq(b, nlh->nlmsg_seq);
	struct nsid_reply r = { .nsid = -1, .alias = m ? m->alias : NULL, .alias_len = sizeof(m->alias) };

	if (!m)
		return MNL_CB_OK;
	if (nlh->nlmsg_type == RTM_NEWNSID && b->ask == ASK_GETNSID) {
		nsid_parse(nlh, &r);
		m->nsid = r.nsid;
		m->state = m->nsid >= 0 ? MARK_HAVE_NSID : MARK_NONE;
		b->answered++;    /* GETNSID goes without an ack: this is its answer */
	} else if (nlh->nlmsg_type == RTM_NEWLINK && b->ask == ASK_LINK) {
		m->alias[0] = '\0';
		nsid_parse(nlh, &r);
		m->state = MARK_HAVE_ALIAS;
		b->answered++;
	}
	return MNL_CB_OK;
}

/* An ack (NEWNSID) or an error (any): recorded, and the rest of the buffer still parsed. */
static int rx_error(const struct nlmsghdr *nlh, void *data)
{
	struct batch_rx *b = data;
	const struct nlmsgerr *err = mnl_nlmsg_get_payload(nlh);
	struct kernel_mark *m = of_seq(b, nlh->nlmsg_seq);

	if (!m || nlh->nlmsg_len < mnl_nlmsg_size(sizeof(*err)))
		return MNL_CB_OK;
	b->answered++;
	if (err->error == 0 && b->ask == ASK_NEWNSID)
		m->state = MARK_HAVE_NSID;
	else if (err->error == -EEXIST && b->ask == ASK_NEWNSID)
		m->state = MARK_ASK_NSID;  /* it has an id already, or ours was taken: ask */
	else
		m->state = MARK_NONE;      /* the single-request path will tell why */
	return MNL_CB_OK;
}

static void put_request(struct nlmsghdr *nlh, const struct kernel_mark *m, int ask, uint32_t seq)
{
	nlh->nlmsg_seq = seq;
	if (ask == ASK_LINK)   /* the answer is the link, or an error */
		nsid_put_link_request(nlh, "lo", m->nsid, NLM_F_REQUEST);
	else if (ask == ASK_NEWNSID)
		nsid_put_request(nlh, RTM_NEWNSID, m->fd, m->nsid, NLM_F_REQUEST | NLM_F_ACK);
	else                   /* the answer is the id */
		nsid_put_request(nlh, RTM_GETNSID, m->fd, 0, NLM_F_REQUEST);
}

/* Send one batch: the entries in state `want` among v[first, first + n). Returns 0 or -errno. */
static int run_batch(struct kernel *k, struct kernel_mark **v, unsigned first, unsigned n, int want, int ask,
		     char *buf)
{
	struct batch_rx b = { .v = v, .first = first, .n = n, .ask = ask };
	mnl_cb_t rx_ctl[NLMSG_ERROR + 1] = { [NLMSG_ERROR] = rx_error };
	struct mnl_nlmsg_batch *batch;
	unsigned portid = mnl_socket_get_portid(k->mnl), sent = 0;
	int r = 0;

	b.seq0 = k->mnl_seq + 1;
	k->mnl_seq += n;
	batch = mnl_nlmsg_batch_start(buf, MARK_RECV_BUF);
	if (!batch)
		return -ENOMEM;
	for (unsigned i = 0; i < n; i++) {
		struct kernel_mark *e = v[first + i];

		if (e->state != want)
			continue;
		char *at = mnl_nlmsg_batch_current(batch);

		memset(at, 0, 256);   /* zero-filled: the whole message is sent */
		put_request(mnl_nlmsg_put_header(at), e, ask, b.seq0 + i);
		mnl_nlmsg_batch_next(batch);
		e->state = MARK_NONE;   /* until answered */
		sent++;
	}
	if (sent && mnl_socket_sendto(k->mnl, mnl_nlmsg_batch_head(batch), mnl_nlmsg_batch_size(batch)) < 0)
		r = -errno;
	mnl_nlmsg_batch_stop(batch);
	while (r == 0 && b.answered < sent) {
		ssize_t len = mnl_socket_recvfrom(k->mnl, buf, MARK_RECV_BUF);

		if (len < 0) {
			r = -errno;
			break;
		}
		if (mnl_cb_run2(buf, (size_t)len, 0, portid, rx_data, &b, rx_ctl, NLMSG_ERROR + 1) < 0) {
			r = -errno;
			break;
		}
	}
	return r;
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
 * before, then the ones after), as many as the budget has room for, and read their marks in
 * batches. Returns 0 or -errno (-EMFILE: no room at all; each check then asks alone).
 */
static int marks_read_from(struct kernel *k, unsigned pos)
{
	struct kernel_mark *m = k->marks, **v = NULL;
	unsigned back = pos > MARK_LOOKBACK ? pos - MARK_LOOKBACK : 0, span = k->n_marks - back;
	unsigned want = 0, room, count = 0;
	char *buf = NULL;
	int r = 0, id0;

	for (unsigned i = 0; i < span && want < k->ns_fd_budget; i++)
		want += m[k->mark_order[visit(pos, back, i)]].state == MARK_UNLOADED;
	if (want == 0)
		return 0;
	if ((r = nsid_socket(k)) < 0)
		return r;
	/*
	 * Closing marks read ahead to read others is a trade: only when nothing else gives room, and
	 * one batch's worth at most, so that a check order unlike the one given cannot make every
	 * miss read the whole budget again.
	 */
	if ((room = kernel_fd_room(k, want, ROOM_FLUSH)) == 0 &&
	    (room = kernel_fd_room(k, want < MARK_BATCH ? want : MARK_BATCH, ROOM_MARKS)) == 0)
		return -EMFILE;
	if (!(v = calloc(room, sizeof(*v))) || !(buf = malloc(MARK_RECV_BUF))) {
		free(v);
		return -ENOMEM;
	}
	/* Ids erlab picks for a batch: high, away from the kernel's small ones and nsid.c's; one that
	 * is taken after all (EEXIST) is asked for instead. */
	id0 = 0x46000000 + ((getpid() & 0x3ff) << 14);
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
		e->nsid = id0 + (int)p;
		e->state = MARK_ASK_NEW;
		v[count++] = e;
	}
	for (unsigned first = 0; first < count && r == 0; first += MARK_BATCH) {
		unsigned len = count - first < MARK_BATCH ? count - first : MARK_BATCH;

		if ((r = run_batch(k, v, first, len, MARK_ASK_NEW, ASK_NEWNSID, buf)) == 0 &&
		    (r = run_batch(k, v, first, len, MARK_ASK_NSID, ASK_GETNSID, buf)) == 0)
			r = run_batch(k, v, first, len, MARK_HAVE_NSID, ASK_LINK, buf);
	}
	/* On failure keep the fds (holds), forget what we learnt: every check then asks on its own. */
	for (unsigned i = 0; r < 0 && i < count; i++)
		v[i]->state = MARK_NONE;
	free(buf);
	free(v);
	return r;
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
