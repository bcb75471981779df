/* SPDX-License-Identifier: MIT */
#ifndef ERLAB_BIRD_INT_H
#define ERLAB_BIRD_INT_H

/* What bird.c (the daemons) and bird_ctl.c (the control-socket client) share; not bird.h's interface. */
#include <limits.h>
#include <stddef.h>

#include "core/err.h"

/* One reply line: its code (continuations inherit the previous one) and its text. */
struct line {
	int code;
	char *text;
};

struct reply {
	struct line *v;
	unsigned n, cap;
	int code;                /* the final line's */
	char *final;             /* the final line's text */
};

/* One exchange with BIRD: connection, welcome, command and reply all end by `deadline`. */
struct ctl {
	int fd;
	long long deadline;      /* bird_now_ms() time: BIRD_CTL_DEADLINE_MS after bird_ctl_open */
	char buf[8192];
	size_t len, off;
};

long long bird_now_ms(void);
void bird_reply_free(struct reply *r);
int bird_ctl_open(struct ctl *c, const char *path, struct err *e);
int bird_ctl_cmd(struct ctl *c, const char *path, const char *cmd, struct reply *r, struct err *e);
int bird_query(const char *path, const char *cmd, struct reply *r, struct err *e);

/* bird.c's helpers that bird_wait.c (many BIRDs started or stopped at once) shares. */
#include <stdbool.h>
#include <sys/types.h>
#define BIRD_STOP_TIMEOUT_MS 5000
#define BIRD_TERM_TIMEOUT_MS 3000
int bird_split_path(const char *path, char dir[PATH_MAX], const char **ret_base);
int bird_dir_open(const char *dir, bool create, struct err *e);
void bird_read_tail(int dfd, const char *name, char *buf, size_t len);
bool bird_pid_is_bird(pid_t pid);
bool bird_pid_gone(pid_t pid);
int bird_term_then_kill(pid_t pid, const char *what, struct err *e);
void bird_sleep_ms(long ms);
/*
 * A BIRD that has exited is gone for erlab (bird_pid_gone), but until its parent collects it
 * (init, when erlab did not start it) it still shows in ps and pgrep as a zombie: wait up to
 * REAP_GRACE_MS for that, so that a stop returns with the process gone from sight too.
 */
#define REAP_GRACE_MS 200
void bird_wait_reaped(const pid_t *pids, unsigned n);

/* bird_find with its inputs given: env ($ERLAB_BIRD), path ($PATH) and fallback (BIRD_SBIN_DIRS)
 * may be NULL (unset); for tests that must not depend on the machine's own BIRD. */
#include <limits.h>
int bird_find_in(const char *want, const char *env, const char *path, const char *fallback, char ret[PATH_MAX],
		 struct err *e);

#endif
