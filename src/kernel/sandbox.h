/* SPDX-License-Identifier: MIT */
#ifndef ERLAB_SANDBOX_H
#define ERLAB_SANDBOX_H

#include <signal.h>
#include <stdbool.h>

#include "core/err.h"

/*
 * erlab without root (README, "Without root"; `erlab shell`): a sandbox of the caller's own — a
 * user namespace in which the caller is root (its uid and gid mapped to 0), and the mount, network
 * and PID namespaces it owns, with a private tmpfs on /run (so /run/netns and the state dir
 * /run/erlab are the sandbox's), the PID namespace's own /proc (BIRD's pids are what erlab reads
 * there) and sysfs, lo up. It all goes when the command run inside ends: the last process of the
 * PID namespace takes the BIRDs with it, and the namespaces have no other holder.
 * Every function returns 0 or -errno with e naming the step that failed.
 */

#define SANDBOX_STATE_DIR "/run/erlab"
/* Set to 1 in the sandbox's environment, so a script (or a prompt) can tell it is inside. */
#define SANDBOX_ENV "ERLAB_SHELL"

/* The effective set has CAP_SYS_ADMIN and CAP_NET_ADMIN (root, or root of a user namespace):
 * what namespaces, mounts and links take. */
bool sandbox_privileged(void);

/*
 * This process into a new user namespace where it is root, together with the namespaces of
 * `flags` (CLONE_NEW*), owned by it. The process must be single-threaded. -EPERM, -ENOSPC, -EINVAL
 * when user namespaces are off for this user (e->detail says which knobs turn them on).
 */
int sandbox_userns(int flags, struct err *e);

/* Could this process make a user namespace (sandbox_userns, tried in a child)? 0 or its error. */
int sandbox_userns_probe(struct err *e);

/*
 * Run argv (execvp, PATH as the caller has it) in a new sandbox and wait for it. 0 with
 * *ret_status its exit code (128 + the signal that ended it); -errno with e when the sandbox could
 * not be made or argv not run, *ret_status then 127 (no such command), 126 (cannot execute) or 1.
 * The command gets sigmask as its signal mask, ERLAB_STATE_DIR=/run/erlab and ERLAB_SHELL=1;
 * SIGINT, SIGTERM and SIGHUP sent to this process go on to it. The caller's own namespaces do not
 * change (a child makes the sandbox); it must not reap children of its own meanwhile.
 */
int sandbox_run(char *const argv[], const sigset_t *sigmask, int *ret_status, struct err *e);

#endif
