/* SPDX-License-Identifier: MIT */
/*
 * The descriptor budget ("Nothing lost, round two", item 2).
 *
 * The kernel layer keeps descriptors across calls: its own namespace, the nsid socket, the socket
 * cache (two each), and one per namespace it holds: namespaces removed and held so the kernel
 * frees them together afterwards (`held`), the marks batch's (marks.c) and the records of
 * netns_del_later (netns_bulk.c). The last three grow with the lab; without a bound, `down` of
 * 125 circuits under `ulimit -n 256` ran out ("Too many open files") and left every namespace.
 *
 * So kernel_open raises the soft RLIMIT_NOFILE to the hard one and derives from it what one handle
 * may keep: the rest of the process gets a headroom (stdio, the store's directory, lock and
 * journal, state files read from several threads, BIRD's control sockets, /proc, and drift_scan's
 * threads, each with a handle of its own: they run in `up`, while the main handle holds little),
 * the cache shrinks at low limits, and the namespace fds get what is left (ns_fd_budget). When
 * that is full, room is made in the order that costs least: the holds of namespaces already
 * removed are closed (the kernel frees those now instead of after the command), the recorded
 * removals are carried out early (netns_del_flush's work, done in several batches), and the marks
 * read ahead but not used yet are closed (each is read again when asked for). What still does not
 * fit goes the unbatched way: a mark read alone, a namespace removed at once without a hold.
 * Slower, never failing. And an open that fails with EMFILE or ENFILE anyway (other handles, or
 * the rest of the process, took the descriptors) is tried again after this handle gave back all
 * it can spare (kernel_fd_shed).
 */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <sys/resource.h>
#include <unistd.h>

#include "kernel/nl_int.h"

/* Kept free for the rest of the process: this plus an eighth of the limit. */
#define FD_HEADROOM_MIN 32
/* A limit larger than this buys nothing (and RLIM_INFINITY does not fit an unsigned). */
#define FD_SOFT_MAX (1u << 24)

void kernel_fd_init(struct kernel *k)
{
	struct rlimit nofile;
	unsigned long soft = 1024, fixed, headroom;

	if (getrlimit(RLIMIT_NOFILE, &nofile) == 0) {
		soft = nofile.rlim_cur;
		k->nofile_soft0 = nofile.rlim_cur;
		/* Once per process in effect: afterwards soft == hard and there is nothing to do. */
		if (nofile.rlim_cur < nofile.rlim_max) {
			nofile.rlim_cur = nofile.rlim_max;
			if (setrlimit(RLIMIT_NOFILE, &nofile) == 0)
				soft = nofile.rlim_cur;
		}
	}
	if (soft > FD_SOFT_MAX)
		soft = FD_SOFT_MAX;
	/* 32 sockets from a limit of 2048 on: the cache only needs a few namespaces at a time. */
	k->ns_cap = soft / 64 < 2 ? 2 : soft / 64 > KERNEL_NS_CACHE ? KERNEL_NS_CACHE : (unsigned)(soft / 64);
	/* Our own namespace, the nsid socket, the cache, and a namespace and socket being opened. */
	fixed = 2 + 2 * (unsigned long)k->ns_cap + 2;
	headroom = FD_HEADROOM_MIN + soft / 8;
	k->ns_fd_budget = soft > fixed + headroom ? (unsigned)(soft - fixed - headroom) : 0;
}

int kernel_ns_fd_open(struct kernel *k, const char *path)
{
	int fd = open(path, O_RDONLY | O_CLOEXEC);

	if (fd < 0)
		return -errno;
	k->n_ns_fds++;
	return fd;
}

void kernel_ns_fd_close(struct kernel *k, int fd)
{
	if (fd < 0)
		return;
	close(fd);
	k->n_ns_fds--;
}

/* Close the holds of removed namespaces: the kernel frees them now. */
static unsigned held_close(struct kernel *k)
{
	unsigned n = k->n_held;

	for (unsigned i = 0; i < n; i++)
		kernel_ns_fd_close(k, k->held[i]);
	k->n_held = 0;
	return n;
}

static bool fits(const struct kernel *k, unsigned want)
{
	return k->n_ns_fds + want <= k->ns_fd_budget;
}

unsigned kernel_fd_room(struct kernel *k, unsigned want, unsigned how)
{
	if (!fits(k, want))
		held_close(k);
	if (!fits(k, want) && (how & ROOM_FLUSH) && kernel_pending_flush(k) > 0)
		held_close(k);
	if (!fits(k, want) && (how & ROOM_MARKS))
		kernel_marks_shed(k, k->n_ns_fds + want - k->ns_fd_budget);
	if (fits(k, want))
		return want;
	return k->ns_fd_budget > k->n_ns_fds ? k->ns_fd_budget - k->n_ns_fds : 0;
}

bool kernel_fd_shed(struct kernel *k)
{
	unsigned n = kernel_ns_cache_trim(k);

	n += held_close(k);
	n += kernel_marks_shed(k, UINT_MAX);
	return n > 0;
}

int kernel_open_fd(struct kernel *k, const char *path, int flags, mode_t mode)
{
	int fd = open(path, flags, mode);

	if (fd < 0 && (errno == EMFILE || errno == ENFILE) && kernel_fd_shed(k))
		fd = open(path, flags, mode);
	return fd < 0 ? -errno : fd;
}
