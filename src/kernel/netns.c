/* SPDX-License-Identifier: MIT */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/mount.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/statvfs.h>
#include <sys/vfs.h>
#include <unistd.h>

#include <linux/magic.h>
#include <netlink/socket.h>

#include "kernel/nl_int.h"

/*
 * Make /run/netns a shared mount in its own peer group, as iproute2's netns_add does: shared so
 * that deleting a namespace unmounts it in every mount namespace (and the kernel can free it),
 * its own group because a bind inside a shared /run (systemd's default) would join /run's group
 * and mount every namespace file twice (iproute2 82c8b9fe). The flock keeps parallel runs from
 * stacking mounts (https://bugs.debian.org/949235).
 */
static int netns_dir_prepare(struct kernel *k, struct err *e)
{
	const char *dir = KERNEL_NETNS_DIR;
	bool made_mountpoint = false;
	int fd, r = 0;

	if (mkdir(dir, 0755) < 0 && errno != EEXIST)
		return err_set(e, -errno, dir, "cannot create namespace directory: %s", strerror(errno));
	fd = kernel_open_fd(k, dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC, 0);
	if (fd < 0)
		return err_set(e, fd, dir, "cannot open namespace directory: %s", strerror(-fd));
	/* Without the lock we may stack a mount; iproute2 only warns too. */
	(void)flock(fd, LOCK_EX);
	while (mount("", dir, "none", MS_SHARED | MS_REC, NULL) < 0) {
		if (errno != EINVAL || made_mountpoint) {
			r = err_set(e, -errno, dir, "cannot make namespace directory shared: %s", strerror(errno));
			goto out;
		}
		/* EINVAL: not a mount point yet. Bind it on itself, then private so the next
		 * MS_SHARED starts a peer group of its own. */
		if (mount(dir, dir, "none", MS_BIND | MS_REC, NULL) < 0 ||
		    mount(dir, dir, "none", MS_PRIVATE | MS_REC, NULL) < 0) {
			r = err_set(e, -errno, dir, "cannot make namespace directory a mount point: %s",
				       strerror(errno));
			goto out;
		}
		made_mountpoint = true;
	}
out:
	close(fd);
	return r;
}

/* Undo a namespace file: unmount (lazily: users may still hold it) and remove. */
int kernel_ns_unlink(const char *path)
{
	if (umount2(path, MNT_DETACH) < 0 && errno != EINVAL && errno != ENOENT)
		return -errno;
	if (unlink(path) < 0)
		return -errno;
	return 0;
}

int netns_add(struct kernel *k, const char *ns, const char *mark, struct err *e)
{
	char path[PATH_MAX];
	struct kernel_ns *n;
	struct nl_sock *sk;
	int fd, r;

	if (!kernel_ns_name_valid(ns) || kernel_ns_path(ns, path, sizeof(path)) < 0)
		return err_set(e, -EINVAL, ns ? ns : "(null)", "invalid namespace name");
	r = netns_dir_prepare(k, e);
	if (r < 0)
		return r;
	fd = kernel_open_fd(k, path, O_RDONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0);
	if (fd < 0) {
		if (fd == -EEXIST)
			return err_set(e, -EEXIST, ns, "namespace already exists");
		return err_set(e, fd, ns, "cannot create namespace file \"%s\": %s", path, strerror(-fd));
	}
	close(fd);
	/* A stale cache entry would point at the namespace that had this name before. */
	kernel_ns_drop(k, ns);

	if (unshare(CLONE_NEWNET) < 0) {
		r = err_set(e, -errno, ns, "cannot create network namespace: %s", strerror(errno));
		goto out_unlink;
	}
	/* Still inside: open the namespace's fd and socket now and save two setns calls. */
	fd = kernel_open_fd(k, "/proc/thread-self/ns/net", O_RDONLY | O_CLOEXEC, 0);
	if (fd < 0) {
		r = err_set(e, fd, ns, "cannot open the new namespace: %s", strerror(-fd));
		goto out_restore;
	}
	r = kernel_sock_open(k, &sk);
	if (r < 0) {
		close(fd);
		r = err_set(e, r, ns, "cannot open a netlink socket in the namespace: %s", strerror(-r));
		goto out_restore;
	}
	/*
	 * The mark before the name: lo comes up with it before the namespace is bound to its file, so a
	 * namespace is never seen under its name without erlab's mark, even by a command that was
	 * killed right after the bind (the plain file before it is store_netns_intent's business).
	 */
	r = kernel_link_up(k, sk, "lo", true, mark);
	if (r < 0) {
		kernel_fail(k, e, r, ns, "bringing up lo (with its mark) failed");
		goto out_sock;
	}
	if (mount("/proc/thread-self/ns/net", path, "none", MS_BIND, NULL) < 0) {
		r = err_set(e, -errno, ns, "bind of /proc/thread-self/ns/net to \"%s\" failed: %s", path,
			    strerror(errno));
		goto out_sock;
	}
	kernel_restore(k);
	r = kernel_ns_insert(k, ns, fd, sk, &n);
	if (r < 0) {
		err_set(e, r, ns, "cannot stat the new namespace: %s", strerror(-r));
		goto out_unlink;
	}
	return 0;

out_sock:
	nl_socket_free(sk);
	close(fd);
out_restore:
	kernel_restore(k);
out_unlink:
	kernel_ns_unlink(path);
	return r;
}

/*
 * Keep the namespace alive until kernel_close (see struct kernel's `held`). Best effort: without
 * an fd to spare the namespace just goes now.
 */
int kernel_hold_fd(struct kernel *k, int fd)
{
	int *v;

	if (k->n_held == k->cap_held) {
		unsigned cap = k->cap_held ? k->cap_held * 2 : 64;

		if (!(v = realloc(k->held, cap * sizeof(*v)))) {
			kernel_ns_fd_close(k, fd);
			return -ENOMEM;
		}
		k->held = v;
		k->cap_held = cap;
	}
	k->held[k->n_held++] = fd;
	return fd;
}

int kernel_ns_hold(struct kernel *k, const char *ns, const char *path)
{
	/* netns_marks_load opened it already: that fd becomes the hold. */
	int fd = kernel_mark_take_fd(k, ns);

	if (fd < 0) {
		/* A hold only saves time: it may cost the holds of namespaces removed before it. */
		if (kernel_fd_room(k, 1, 0) == 0)
			return -EMFILE;
		if ((fd = kernel_ns_fd_open(k, path)) < 0)
			return fd;
	}
	return kernel_hold_fd(k, fd);
}

int netns_del(struct kernel *k, const char *ns, struct err *e)
{
	char path[PATH_MAX];
	int r;

	if (!kernel_ns_name_valid(ns) || kernel_ns_path(ns, path, sizeof(path)) < 0)
		return err_set(e, -EINVAL, ns ? ns : "(null)", "invalid namespace name");
	(void)kernel_ns_hold(k, ns, path);
	kernel_ns_drop(k, ns);
	r = kernel_ns_unlink(path);
	if (r == -ENOENT)
		return err_set(e, r, ns, "namespace not found");
	if (r < 0)
		return err_set(e, r, ns, "cannot remove namespace file \"%s\": %s", path, strerror(-r));
	return 0;
}

bool netns_exists(struct kernel *k, const char *ns)
{
	char path[PATH_MAX];
	struct statfs sf;

	(void)k;
	if (ns && strcmp(ns, NS_SELF) == 0)
		return true;
	if (!kernel_ns_name_valid(ns) || kernel_ns_path(ns, path, sizeof(path)) < 0)
		return false;
	/* A file left by a failed add is not a namespace: only a bound nsfs inode is. */
	return statfs(path, &sf) == 0 && sf.f_type == NSFS_MAGIC;
}

int netns_remove_stub(struct kernel *k, const char *ns, struct err *e)
{
	char path[PATH_MAX];
	struct statfs sf;
	struct stat st;
	int r;

	(void)k;
	if (ns && strcmp(ns, NS_SELF) == 0)
		return true;
	if (!kernel_ns_name_valid(ns) || kernel_ns_path(ns, path, sizeof(path)) < 0)
		return err_set(e, -EINVAL, ns ? ns : "(null)", "invalid namespace name");
	if (lstat(path, &st) < 0)
		return errno == ENOENT ? 0 : err_set(e, -errno, ns, "cannot stat \"%s\": %s", path, strerror(errno));
	/* A namespace (whole, with or without a mark) is not a stub: the plans deal with those. */
	if (!S_ISREG(st.st_mode) || (statfs(path, &sf) == 0 && sf.f_type == NSFS_MAGIC))
		return 0;
	if ((r = kernel_ns_unlink(path)) < 0 && r != -ENOENT)
		return err_set(e, r, ns, "cannot remove the half-made namespace file \"%s\": %s", path, strerror(-r));
	return 1;
}

static int name_cmp(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

int netns_list(struct kernel *k, char ***ret, unsigned *ret_n)
{
	char **list = NULL, **grown;
	unsigned n = 0, cap = 0;
	struct dirent *de;
	DIR *d;
	int r = 0;

	d = opendir(KERNEL_NETNS_DIR);
	/* Out of descriptors: what this handle can spare first (the budget leaves room for this). */
	if (!d && (errno == EMFILE || errno == ENFILE) && kernel_fd_shed(k))
		d = opendir(KERNEL_NETNS_DIR);
	if (!d) {
		if (errno != ENOENT)
			return -errno;
		*ret = NULL;
		*ret_n = 0;
		return 0;
	}
	while ((de = readdir(d))) {
		if (strcmp(de->d_name, ".") == 0 || strcmp(de->d_name, "..") == 0)
			continue;
		if (n == cap) {
			cap = cap ? cap * 2 : 16;
			grown = realloc(list, cap * sizeof(*list));
			if (!grown) {
				r = -ENOMEM;
				goto out_free;
			}
			list = grown;
		}
		list[n] = strdup(de->d_name);
		if (!list[n]) {
			r = -ENOMEM;
			goto out_free;
		}
		n++;
	}
	closedir(d);
	if (n)
		qsort(list, n, sizeof(*list), name_cmp);
	*ret = list;
	*ret_n = n;
	return 0;

out_free:
	netns_list_free(list, n);
	closedir(d);
	return r;
}

void netns_list_free(char **list, unsigned n)
{
	for (unsigned i = 0; i < n; i++)
		free(list[i]);
	free(list);
}

/*
 * iproute2's netns_switch: a private mount namespace (slave, so nothing propagates back) with a
 * sysfs of the new netns, so a program exec'd there sees its own /sys/class/net.
 */
int kernel_enter_ns(struct kernel *k, const char *ns, struct err *e)
{
	char path[PATH_MAX];
	unsigned long flags = 0;
	struct rlimit nofile;
	struct statvfs sv;
	int fd;

	if (!kernel_ns_name_valid(ns) || kernel_ns_path(ns, path, sizeof(path)) < 0)
		return err_set(e, -EINVAL, ns ? ns : "(null)", "invalid namespace name");
	/* What is exec'd gets the soft limit erlab was started with, not the one kernel_open raised. */
	if (k->nofile_soft0 && getrlimit(RLIMIT_NOFILE, &nofile) == 0 && k->nofile_soft0 < nofile.rlim_cur) {
		nofile.rlim_cur = k->nofile_soft0;
		(void)setrlimit(RLIMIT_NOFILE, &nofile);
	}
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return err_set(e, -errno, ns, errno == ENOENT ? "namespace not found" : "cannot open namespace");
	if (setns(fd, CLONE_NEWNET) < 0) {
		int r = -errno;

		close(fd);
		return err_set(e, r, ns, "cannot enter namespace: %s", strerror(-r));
	}
	close(fd);
	if (unshare(CLONE_NEWNS) < 0)
		return err_set(e, -errno, ns, "cannot create a mount namespace: %s", strerror(errno));
	if (mount("", "/", "none", MS_SLAVE | MS_REC, NULL) < 0)
		return err_set(e, -errno, ns, "cannot make / a slave mount: %s", strerror(errno));
	if (umount2("/sys", MNT_DETACH) < 0) {
		/* Could not drop the old one: mount over it, read-only if it was (a read-only
		 * sysfs cannot be shadowed by a read-write one). */
		if (statvfs("/sys", &sv) == 0 && (sv.f_flag & ST_RDONLY))
			flags = MS_RDONLY;
	}
	if (mount(ns, "/sys", "sysfs", flags, NULL) < 0)
		return err_set(e, -errno, ns, "mount of /sys failed: %s", strerror(errno));
	return 0;
}

/*
 * Write a sysctl of namespace ns (key relative to /proc/sys, e.g. "net/ipv4/ip_forward"). The net
 * sysctls a file shows are those of the namespace that opened it, so open it from inside.
 */
int netns_sysctl(struct kernel *k, const char *ns, const char *key, const char *value, struct err *e)
{
	struct kernel_ns *n;
	char path[256], w[NAME_MAX + 64];
	ssize_t len = (ssize_t)strlen(value);
	int fd, r;

	snprintf(w, sizeof(w), "%s sysctl %s", ns, key);
	if (strstr(key, "..") || key[0] == '/')
		return err_set(e, -EINVAL, w, "invalid sysctl name");
	if ((r = kernel_ns_get(k, ns, &n, e)) < 0)
		return r;
	snprintf(path, sizeof(path), "/proc/sys/%s", key);
	if (setns(n->fd, CLONE_NEWNET) < 0)
		return err_set(e, -errno, w, "cannot enter the namespace: %s", strerror(errno));
	fd = kernel_open_fd(k, path, O_WRONLY | O_CLOEXEC, 0);
	kernel_restore(k);
	if (fd < 0)
		return err_set(e, fd, w, "cannot open %s: %s", path, strerror(-fd));
	r = write(fd, value, (size_t)len) == len ? 0 : -errno;
	close(fd);
	if (r < 0)
		return err_set(e, r, w, "cannot write %s: %s", value, strerror(-r));
	return 0;
}
