/* SPDX-License-Identifier: MIT */
#ifndef ERLAB_BIRD_CONF_H
#define ERLAB_BIRD_CONF_H

#include <stdbool.h>
#include <stdint.h>

#include "core/cidr.h"
#include "core/err.h"
#include "core/model.h"

/*
 * BIRD 2 configuration text for a circuit (docs/bgp.md). Pure: no file, no process, no kernel.
 *
 * Sessions are named `<type>_<side>[_v6]` ("private_primary", "microsoft_secondary_v6") in both
 * the Microsoft edge (MSEE) and the customer router config, so one name finds both ends.
 * Every value is checked before it is written (shared key [A-Za-z0-9]{1,25}, names, paths without
 * quotes, backslashes or control characters, CIDRs of a known family); anything else is -EINVAL
 * and nothing is produced, so no input can add a line to the config.
 */

#define BIRD_BIN "/usr/sbin/bird"
/* sun_path of the control socket, NUL included. */
#define BIRD_CTL_MAX 108

/*
 * Next hop of a linked VNet as seen from the Microsoft namespace. Without one (the usual case) its
 * spaces are routed onto the interface "to-<vnet>", as erlab's own kernel routes are (docs/layout.md).
 */
struct bird_vnet_hop {
	const char *vnet;            /* c->vnets[i].name */
	struct cidr via4;            /* bare address (prefixlen ignored); family 0 = use the interface */
	struct cidr via6;
};

struct bird_msee_opts {
	const char *log_path;        /* absolute path; NULL = stderr */
	struct cidr router_id;       /* family 0: first Microsoft-side IPv4 address, else 10.255.x.y from the key */
	const struct bird_vnet_hop *hops; /* optional, matched to c->vnets by name */
	unsigned n_hops;
	uint32_t limit;              /* 0: Azure's limits (4000/10000 Premium, 100 v6, 200 Microsoft/Public) */
	uint32_t error_wait_s;       /* 0: BIRD's default (60..300 s), or lab_timers', before a dropped
	                              * session is retried; else this many seconds */
	bool lab_timers;             /* BGP's timers for a lab, not the Internet: see BIRD_LAB_* below */
};

struct bird_customer_opts {
	const char *log_path;        /* absolute path; NULL = stderr */
	struct cidr router_id;       /* family 0: first customer-side IPv4 address, else 10.254.x.y from the key */
	/*
	 * Prefixes the customer advertises, per peering type ([bgp] customer_prefixes go to private).
	 * For Microsoft peering an empty list means the peering's AdvertisedPublicPrefixes.
	 */
	const struct cidr *adv[_ACCESS_MAX];
	unsigned n_adv[_ACCESS_MAX];
	uint32_t error_wait_s;       /* as above */
	bool lab_timers;             /* as above */
};

/*
 * lab_timers (docs/bgp.md, "Timers"): what every session of erlab's own BIRDs gets, since both
 * ends of a lab's session come up within milliseconds of each other and nothing is gained by
 * waiting. Connect delay: BIRD's least (it connects 0.75 to 1 s after the session starts, not 3.75
 * to 5 s); connect retry: an attempt nobody answers is made anew after 5 s, not 120 s; error wait:
 * after an error the session restarts 1 s later, doubling on repeated errors up to 60 s (BIRD's
 * 60 to 300 s). Hold and keepalive are Azure's and stay as they are.
 */
#define BIRD_LAB_CONNECT_DELAY_S 1
#define BIRD_LAB_CONNECT_RETRY_S 5
#define BIRD_LAB_ERROR_WAIT_MIN_S 1
#define BIRD_LAB_ERROR_WAIT_MAX_S 60

/*
 * The MSEE config: AS 12076, one eBGP session per present peering per link (and per family),
 * TCP-MD5 with the SharedKey, hold 180 / keepalive 60, receive limits with `action restart`,
 * Microsoft peering importing only AdvertisedPublicPrefixes (and disabled unless Configured),
 * Public peering importing public prefixes only, private peering exporting the linked VNets'
 * address spaces; BGP-learnt routes go to the kernel table of the Microsoft namespace.
 * *ret_text is heap (free it). Returns 0, -EINVAL (e names the value) or -ENOMEM.
 */
int bird_conf_msee(const struct circuit *c, const struct bird_msee_opts *o, char **ret_text, struct err *e);

/*
 * The customer router config ([bgp] customer = bird): AS PeerAsn, sessions to both Microsoft
 * addresses of each peering, the advertised prefixes as blackhole static routes, import all,
 * learnt routes installed in the customer namespace's kernel table (ECMP over both links).
 */
int bird_conf_customer(const struct circuit *c, const struct bird_customer_opts *o, char **ret_text,
		       struct err *e);

/* The customer router's router id when none is given (docs/bgp.md, "Customer router"): network + 1
 * of the first present peering's primary IPv4 subnet, else 10.254.x.y from the service key. */
void bird_customer_router_id(const struct circuit *c, char buf[CIDR_STRLEN]);

/* Session name "<type>_<side>[_v6]" into buf (at least 32 bytes). */
const char *bird_session_name(enum access_type t, enum link_side side, bool v6, char *buf, unsigned len);
/* Whether the Microsoft edge runs that session of c, rather than keeping it disabled on purpose (a
 * Disabled peering; a Microsoft peering family whose prefixes are not Configured). */
bool bird_session_enabled(const struct circuit *c, enum access_type t, bool v6);
/* The other way: which peering, link and family a session of that name is. -EINVAL for a name
 * bird_session_name never gives. */
int bird_session_parse(const char *name, enum access_type *ret_t, enum link_side *ret_side, bool *ret_v6);

/* The receive limit the MSEE applies to one session (docs/bgp.md, "Prefix limits"). */
uint32_t bird_msee_limit(const struct circuit *c, enum access_type t, bool v6);

/* Where a circuit's daemon keeps its files: <state>/bird/<service-key>-<role>.{conf,ctl,pid,log}. */
#define BIRD_DIR_NAME "bird"
struct bird_paths {
	char conf[4096];
	char ctl[BIRD_CTL_MAX];
	char pid[4096];
	char log[4096];
};
/* -ENAMETOOLONG when the control socket path would not fit sun_path; -EINVAL on a key that is not a
 * canonical (lowercase 8-4-4-4-12) GUID. */
int bird_paths_init(struct bird_paths *ret, const char *state_dir, const char *service_key, enum ns_role role,
		    struct err *e);
/*
 * The reverse for a config path: 0 when conf is exactly the .conf path bird_paths_init makes for
 * some state dir, service key and role (key and role into ret_key / *ret_role, each may be NULL),
 * else -EINVAL. Only the name: whose BIRD it is takes the file itself (src/bgp/bird.c
 * bird_pid_is_ours), as another erlab's state dir makes the same names.
 */
int bird_paths_parse_conf(const char *conf, char ret_key[GUID_STRLEN], enum ns_role *ret_role);

/* A value that may be written inside quotes in a BIRD config (absolute path, no '"', '\\',
 * control characters). Returns 0 or -EINVAL. */
int bird_conf_check_path(const char *path);

#endif
