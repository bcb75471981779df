/* SPDX-License-Identifier: MIT */
/*
 * Many namespaces removed at once (issue 7: `erlab down` of a large lab).
 *
 * Unmounting a namespace file ends in namespace_unlock(), which waits for an expedited RCU grace
 * period before it returns. One after another, a thousand unmounts are a thousand grace periods
 * in a row, and on a virtual machine each of them waits for a sleeping vCPU to wake up: measured
 * here from 5 µs to 300 µs per unmount depending on what the CPUs did just before. Grace periods
 * asked for at the same time are served together, so netns_del_flush unmounts from up to
 * BULK_THREADS threads: 1000 namespaces in about 10 ms instead of 10 to 300 ms.
 *
 * Each record holds its namespace open (its identity for the flush's check), so the records count
 * against the descriptor budget (fds.c): when it is full, kernel_pending_flush removes the ones
 * recorded so far, and their holds can be closed. The records stay, with their results, for
 * netns_del_flush to report.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "core/par.h"
#include "kernel/nl_int.h"

/* Threads that unmount at once, the caller's included; more gained nothing measurable. */
#define BULK_THREADS 16
#define BULK_STACK (64 * 1024)

int netns_del_later(struct kernel *k, const char *ns, struct err *e)
{
	char path[PATH_MAX];
	struct kernel_pending *p;
	struct stat st;
	int fd;

	if (!kernel_ns_name_valid(ns) || kernel_ns_path(ns, path, sizeof(path)) < 0)
		return err_set(e, -EINVAL, ns ? ns : "(null)", "invalid namespace name");
	if (k->n_pending == k->cap_pending) {
		unsigned cap = k->cap_pending ? k->cap_pending * 2 : 64;

		if (!(p = realloc(k->pending, cap * sizeof(*p))))
			return err_set(e, -ENOMEM, ns, "out of memory");
		k->pending = p;
		k->cap_pending = cap;
	}
	/* The marks batch's fd (the namespace whose mark was read), else one of our own if the
	 * budget has room, even at the cost of removing the namespaces recorded so far now. */
	fd = kernel_mark_take_fd(k, ns);
	if (fd < 0 && kernel_fd_room(k, 1, ROOM_FLUSH | ROOM_MARKS) > 0)
		fd = kernel_ns_fd_open(k, path);
	if (fd == -ENOENT)
		return err_set(e, -ENOENT, ns, "namespace not found");
	if (fd < 0 || fstat(fd, &st) < 0) {
		/* No identity to check later (or no descriptor to keep it): remove it now. */
		kernel_ns_fd_close(k, fd);
		return netns_del(k, ns, e);
	}
	kernel_ns_drop(k, ns);
	p = &k->pending[k->n_pending++];
	snprintf(p->name, sizeof(p->name), "%s", ns);
	p->fd = fd;
	p->dev = st.st_dev;
	p->ino = st.st_ino;
	p->err = 0;
	return 0;
}

unsigned netns_del_pending(const struct kernel *k)
{
	return k->n_pending;
}

void netns_del_cancel(struct kernel *k, unsigned n)
{
	/* Records removed early (kernel_pending_flush) cannot be taken back. */
	if (n < k->n_pending_done)
		n = k->n_pending_done;
	for (unsigned i = n; i < k->n_pending; i++)
		kernel_ns_fd_close(k, k->pending[i].fd);
	if (n < k->n_pending)
		k->n_pending = n;
}

static void bulk_remove(void *ud, unsigned i, unsigned t)
{
	struct kernel_pending *p = (struct kernel_pending *)ud + i;
	char path[PATH_MAX];
	struct stat st;

	(void)t;
	kernel_ns_path(p->name, path, sizeof(path));
	if (stat(path, &st) < 0)
		p->err = errno == ENOENT ? 0 : -errno;   /* gone already: done */
	else if (st.st_dev != p->dev || st.st_ino != p->ino)
		p->err = -ESTALE;
	else if ((p->err = kernel_ns_unlink(path)) == -ENOENT)
		p->err = 0;
}

/* Remove the records not removed yet; each one's hold then joins `held` (or is closed, when the
 * namespace stays). Returns how many. */
static unsigned flush_rest(struct kernel *k)
{
	unsigned from = k->n_pending_done, n = k->n_pending - from;

	par_for(n, BULK_THREADS, BULK_STACK, bulk_remove, k->pending + from);
	for (unsigned i = from; i < k->n_pending; i++) {
		struct kernel_pending *p = &k->pending[i];

		if (p->err)
			kernel_ns_fd_close(k, p->fd);
		else
			(void)kernel_hold_fd(k, p->fd);   /* closes it on failure */
		p->fd = -1;
	}
	k->n_pending_done = k->n_pending;
	return n;
}

unsigned kernel_pending_flush(struct kernel *k)
{
	return flush_rest(k);
}

int netns_del_flush(struct kernel *k, struct err *e)
{
	unsigned n = k->n_pending, failed = 0;
	char path[PATH_MAX];
	int r = 0;

	flush_rest(k);
	k->n_pending = k->n_pending_done = 0;
	/* Failures of early flushes too: they are this flush's work, done before. */
	for (unsigned i = 0; i < n; i++) {
		const struct kernel_pending *p = &k->pending[i];

		if (!p->err || failed++)
			continue;
		kernel_ns_path(p->name, path, sizeof(path));
		if (p->err == -ESTALE)
			r = err_set(e, -EEXIST, p->name,
				    "namespace was replaced after its mark was read; erlab leaves it alone");
		else
			r = err_set(e, p->err, p->name, "cannot remove namespace file \"%s\": %s", path,
				    strerror(-p->err));
	}
	if (failed > 1)
		err_detail(e, "%u more namespaces could not be removed", failed - 1);
	return r;
}
