/* SPDX-License-Identifier: MIT */
#ifndef ERLAB_BIRD_H
#define ERLAB_BIRD_H

#include <stdbool.h>
#include <stdint.h>
#include <sys/types.h>
#include <time.h>

#include "core/bird_conf.h"
#include "core/cidr.h"
#include "core/err.h"
#include "core/live.h"

/*
 * BIRD daemons (SPEC §7): started inside a named network namespace (setns, then exec), tracked
 * by pid file and control socket, driven over the control socket (BIRD's line protocol: "NNNN-"
 * continues a reply, "NNNN " ends it, 0xxx success, 8xxx/9xxx errors).
 * No global state; every function returns 0 or -errno and fills *e naming the daemon or socket.
 */

/* Write a config file atomically (0600: it holds the MD5 keys), creating its directory (0700). */
int bird_write_conf(const char *path, const char *text, struct err *e);

/* `bird -p -c conf`: 0, or -EINVAL with BIRD's own message ("file:line:col syntax error ...") in e. */
int bird_check_conf(const char *conf, struct err *e);

/*
 * Start BIRD for p->conf in namespace ns (/run/netns/<ns>): the config is checked first, then a
 * child setns()es into the namespace and execs `bird -f -c conf -s ctl -P pid` in its own session,
 * with its stdout/stderr appended to p->log. Returns once the control socket answers (at most 5 s).
 * -EEXIST when a BIRD already answers on p->ctl, -ENOENT when the namespace is missing, -EINVAL for
 * a config BIRD refuses, -ETIMEDOUT / -EIO when it does not come up (e->detail: BIRD's last words).
 */
int bird_start(const char *ns, const struct bird_paths *p, struct err *e);

/* Re-read the config file (the one given at start): unaffected sessions stay up. */
int bird_configure(const char *ctl, struct err *e);

/*
 * Stop: "down" over the socket, wait for the pid to exit, then SIGTERM, then SIGKILL; remove the
 * socket and the pid file. A pid is signalled only while /proc/<pid>/comm says "bird".
 * Idempotent: 0 when nothing is running.
 */
int bird_stop(const char *ctl, const char *pidfile, struct err *e);

/*
 * Is pid a BIRD erlab started? /proc/<pid>/comm says "bird" and one of its arguments is a config
 * path bird_paths_parse_conf() recognises (<state>/bird/<service-key>-<role>.conf): a process
 * carries no alias, so that file name is erlab's mark. For sweeping BIRDs whose state is gone.
 */
bool bird_pid_is_ours(pid_t pid);

/*
 * bird_stop's last resort for one pid: SIGTERM, then SIGKILL after 3 s, each only while
 * /proc/<pid>/comm says "bird"; returns once it is gone. 0 (also when it is not a BIRD), or
 * -ETIMEDOUT when it survives SIGKILL.
 */
int bird_kill(pid_t pid, struct err *e);

/* A BIRD answers on ctl. */
bool bird_running(const char *ctl);

/* Start when not running, reconfigure when running (what erlab does on every change of a circuit). */
int bird_ensure(const char *ns, const struct bird_paths *p, struct err *e);


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
