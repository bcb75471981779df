/* SPDX-License-Identifier: MIT */
#ifndef ERLAB_BIRD_H
#define ERLAB_BIRD_H

#include <limits.h>
#include <stdbool.h>
#include <stdint.h>
#include <sys/types.h>
#include <time.h>

#include "core/bird_conf.h"
#include "core/cidr.h"
#include "core/err.h"
#include "core/live.h"

/*
 * BIRD daemons (docs/bgp.md): started inside a named network namespace (setns, then exec), tracked
 * by pid file and control socket, driven over the control socket (BIRD's line protocol: "NNNN-"
 * continues a reply, "NNNN " ends it, 0xxx success, 8xxx/9xxx errors).
 * No global state; every function returns 0 or -errno and fills *e naming the daemon or socket.
 * All of them are safe to call from several threads at once (on different daemons), so that the
 * engine can ask many BIRDs in parallel.
 */

/*
 * How long one control-socket exchange may take, all of it (connect, BIRD's welcome, the command,
 * the whole reply): a BIRD that is stopped (SIGSTOP) or hung still accepts connections into its
 * backlog but never answers, and must cost a command this much per BIRD, not more. A BIRD that
 * works answers in milliseconds; 2 s leaves room for a loaded machine and a long `show route`.
 */
#define BIRD_CTL_DEADLINE_MS 2000

/*
 * Write a config file atomically (0600: it holds the MD5 keys) into its directory, creating that
 * directory (0700) when missing. The directory must be a real one of ours that only we can write
 * (else -ELOOP / -ENOTDIR / -EPERM naming it); the file is written through a directory fd and
 * never through a symlink.
 */
int bird_write_conf(const char *path, const char *text, struct err *e);

/*
 * Which BIRD daemon to run (docs/bgp.md, "Which BIRD"): `want`, a lab's `[bgp] bird_path` (NULL or
 * "" for none), else $ERLAB_BIRD, else `bird` in the absolute directories of $PATH, else in
 * BIRD_SBIN_DIRS (where packages put it, and a plain user's PATH lacks). An explicit choice is
 * used as given (a relative one from the current directory) or fails; it never falls back. The
 * file must be an executable regular file (symlinks followed) named `bird`: erlab knows its
 * daemons by that name (/proc/<pid>/comm). ret: the path, absolute.
 * -ENOPKG when there is none (e names what was looked for, and where), -EINVAL for a name that is
 * not `bird`, -ENAMETOOLONG.
 */
#define BIRD_ENV "ERLAB_BIRD"
#define BIRD_SBIN_DIRS "/usr/local/sbin:/usr/sbin:/sbin"
int bird_find(const char *want, char ret[PATH_MAX], struct err *e);

/* `bin -p -c conf` (bin: bird_find's): 0, or -EINVAL with BIRD's own message ("file:line:col
 * syntax error ...") in e. */
int bird_check_conf(const char *bin, const char *conf, struct err *e);

/*
 * Start BIRD (bin, from bird_find) for p->conf in namespace ns (/run/netns/<ns>): the control
 * socket, pid file and log left by an earlier run (or anything else under those names) are
 * removed, so BIRD makes fresh ones, then a child setns()es into the namespace and execs
 * `bird -f -c conf -s ctl -P pid` in its own session, with its stdout/stderr in a new p->log.
 * p's four files must share one directory, checked as bird_write_conf's. Returns once the control
 * socket answers (at most BIRD_START_TIMEOUT_MS). -EEXIST when a BIRD already answers on p->ctl
 * or still runs on p->conf, -ENOENT when the namespace is missing, -EINVAL for a config BIRD
 * refuses (e->detail: BIRD's own message), -ETIMEDOUT / -EIO when it does not come up
 * (e->detail: BIRD's last words, and its log stays), -ENOMEM when it cannot be forked (also for
 * fork's EAGAIN: the system failing, not a refusal). bird_launch and bird_launch_wait in one.
 */
#define BIRD_START_TIMEOUT_MS 5000
int bird_start(const char *bin, const char *ns, const struct bird_paths *p, struct err *e);

/*
 * bird_start in two halves, so that many BIRDs start side by side (docs/bgp.md, "Starting,
 * reconfiguring and stopping BIRD"): bird_launch does all of bird_start up to BIRD's exec (its pid
 * file is written at once, so bird_stop finds it from then on) and fills *ret; bird_launch_wait
 * waits for every launched BIRD of v[0..n) at once until it answers on its control socket, exits,
 * or BIRD_START_TIMEOUT_MS after its launch passes (but never sooner than BIRD_CTL_DEADLINE_MS
 * after the wait begins: one launched long before is asked first), and fails the ones that do not
 * answer as bird_start would (a timed-out one is stopped; a failed one's socket and pid file go,
 * its log stays). Each v[i].result is then 0 or that -errno, v[i].err why; the return value is the first
 * failure's (in v's order, e as its err) or 0. A launched BIRD is this process's child: the wait
 * reaps the ones that fail. bird_launch_free releases one (not the process).
 */
struct bird_launch {
	pid_t pid;
	long long deadline;          /* bird_now_ms() time by which it must answer */
	char ctl[BIRD_CTL_MAX];
	char *bin, *conf, *pidfile, *log;
	int result;                  /* 1 launched, not yet known; 0 answers; -errno failed */
	struct err err;
	int fd;                      /* bird_launch_wait's: a connection waiting for the welcome */
	int execfd;                  /* until the child's exec is known to have happened: its pipe,
	                              * which brings an errno if exec failed, or just closes */
	char *ns;                    /* the namespace it was started in, for that error */
	unsigned n_got;
	char got[8];
};
int bird_launch(const char *bin, const char *ns, const struct bird_paths *p, struct bird_launch *ret, struct err *e);
int bird_launch_wait(struct bird_launch *v, unsigned n, struct err *e);
void bird_launch_free(struct bird_launch *l);

/* Re-read the config file (the one given at start): unaffected sessions stay up. */
int bird_configure(const char *ctl, struct err *e);

/*
 * Stop: SIGCONT (a stopped BIRD answers nothing), "down" over the socket, wait for the pid to
 * exit, else SIGTERM, then SIGKILL; remove the socket and the pid file. A pid is signalled only
 * while /proc/<pid>/comm says "bird" and it was started on ctl. Each exchange on the socket ends
 * by BIRD_CTL_DEADLINE_MS, so a stopped or hung BIRD costs seconds, not tens of them.
 * Idempotent: 0 when nothing is running. ctl and pidfile share one directory (as bird_start's).
 */
int bird_stop(const char *ctl, const char *pidfile, struct err *e);

/* Stop for good (a circuit's BIRD removed): bird_stop, then its config and log go too. */
int bird_remove(const struct bird_paths *p, struct err *e);

/*
 * bird_stop in two halves, so that many BIRDs stop side by side: bird_stop_begin asks the BIRD on
 * ctl to stop, as bird_stop does, but without waiting, and returns its pid in *ret_pid (SIGCONT and
 * SIGTERM, BIRD's graceful shutdown, the same as "down": only to a pid that is a bird started on
 * ctl). A BIRD it cannot name by pid is stopped the slow way, over the socket, before it returns
 * (*ret_pid 0). bird_stop_wait waits for all of pids[0..n) (0s are skipped) to be gone, as
 * bird_stop does for one: SIGTERM again and then SIGKILL for one still there after its time.
 * Neither removes a file: bird_remove does, and then finds nothing running.
 */
int bird_stop_begin(const char *ctl, const char *pidfile, pid_t *ret_pid, struct err *e);
int bird_stop_wait(const pid_t *pids, unsigned n, struct err *e);

/*
 * Is pid a BIRD that erlab started for this state dir? /proc/<pid>/comm says "bird", its config
 * (-c) is a path bird_paths_parse_conf() recognises, and that file as BIRD sees it (its root and
 * mount namespace) is the very file (device, inode) under state_dir's bird/; when the file is gone
 * on both sides, BIRD runs in our mount namespace and root with exactly state_dir's path. Another
 * erlab's BIRDs (another state dir, or a sandbox of its own) are never ours. For sweeping BIRDs
 * whose circuit state is gone.
 */
bool bird_pid_is_ours(pid_t pid, const char *state_dir);

/*
 * bird_stop's last resort for one pid: SIGTERM (and SIGCONT), then SIGKILL after 3 s, each only
 * while /proc/<pid>/comm says "bird"; returns once it is gone. 0 (also when it is not a BIRD), or
 * -ETIMEDOUT when it survives SIGKILL.
 */
int bird_kill(pid_t pid, struct err *e);

/*
 * Remove every file of erlab's BIRDs (bird_paths_init's names, and bird_write_conf's temporary
 * file) from state_dir's bird/, counting them into *ret_removed (may be NULL); for down --all,
 * once bird_pid_is_ours and bird_kill have stopped them. Other names are left alone.
 * 0 when there is no bird/; its refusal (as bird_write_conf's) otherwise.
 */
int bird_sweep_files(const char *state_dir, unsigned *ret_removed, struct err *e);

/* A BIRD answers on ctl (within BIRD_CTL_DEADLINE_MS). */
bool bird_running(const char *ctl);

/* Start when not running, reconfigure when running (what erlab does on every change of a circuit). */
int bird_ensure(const char *bin, const char *ns, const struct bird_paths *p, struct err *e);


/* `show protocols all`, BGP protocols only, in BIRD's order. *ret is heap (free it). */
int bird_sessions(const char *ctl, struct bird_session **ret, unsigned *ret_n, struct err *e);


/*
 * `show route [filtered] protocol <protocol> all`: the routes learnt on one session (filtered:
 * the ones its import filter refused, kept by `import keep filtered`). *ret is heap.
 * protocol must be [A-Za-z0-9_]; -EINVAL otherwise, -ENOENT when BIRD has no such protocol.
 */
int bird_routes(const char *ctl, const char *protocol, bool filtered, struct bird_route **ret, unsigned *ret_n,
		struct err *e);

#endif
