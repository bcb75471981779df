/* SPDX-License-Identifier: MIT */
#ifndef ERLAB_APPLY_H
#define ERLAB_APPLY_H

#include <stdio.h>

#include "core/err.h"
#include "core/plan.h"
#include "core/bird_conf.h"
#include "kernel/kernel.h"

/*
 * Execute a plan as one transaction: every step that succeeded is undone, in reverse, when a
 * later one fails (the selftests' defer model). The error names the step and carries the
 * kernel's reason.
 *
 * Test hooks (SPEC §8, issue 2 item 5 and issue 8): fail_at_step N makes step N (1-based,
 * counted over the whole process) fail with -EIO as if the kernel had refused it;
 * kill_at_step N raises SIGKILL right after step N succeeded.
 */
struct apply_opts {
	unsigned fail_at_step;   /* 0 = off; from ERLAB_TEST_FAIL_AT_STEP */
	unsigned kill_at_step;   /* 0 = off; from ERLAB_TEST_KILL_AT_STEP */
	unsigned steps_done;     /* running count across plans of one process */
	FILE *trace;             /* -v: one line per step, or NULL */
	const char *state_dir;   /* where BIRD's config, socket, pid and log files go */
	unsigned bgp_error_wait; /* BIRD's wait before retrying a dropped session, s (0: its default);
	                          * from ERLAB_TEST_BGP_ERROR_WAIT */
	bool defer_netns_del;    /* record namespace removals (netns_del_later) for the caller's
	                          * netns_del_flush: removing many circuits at once */
};

int apply_plan(struct kernel *k, const struct plan *p, struct apply_opts *o, struct err *e);

/* The config BIRD runs for circuit c in role (the Microsoft edge or the customer router), and its
 * files: what BGP_START writes, and what status compares the running one with. */
int apply_bgp_conf(const struct circuit *c, enum ns_role role, const struct apply_opts *o, struct bird_paths *paths,
		   char **ret_text, struct err *e);

#endif
