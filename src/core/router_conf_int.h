/* SPDX-License-Identifier: MIT */
#ifndef ERLAB_ROUTER_CONF_INT_H
#define ERLAB_ROUTER_CONF_INT_H

/* What the flavors of router_conf.c share: the circuit walked once, in one order. */
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#include "core/cidr.h"
#include "core/model.h"
#include "core/router_conf.h"

/* One eBGP session: a peering, a link, a family; both ends' addresses (with the subnet's length). */
struct rc_session {
	enum access_type type;
	enum link_side side;
	bool v6;
	struct cidr me;      /* network + 1 */
	struct cidr peer;    /* network + 2: Microsoft */
};

/* Four per peering at most (two links, two families). */
#define RC_SESSIONS_MAX (_ACCESS_MAX * _LINK_MAX * _FAMILY_MAX)

struct rc {
	const struct circuit *c;      /* only the chosen peerings present */
	enum router_flavor flavor;
	FILE *f;
	uint32_t asn;                 /* the router's AS: the first chosen peering's PeerAsn */
	char rid[CIDR_STRLEN];        /* router id, as erlab's customer BIRD has it */
	struct rc_session s[RC_SESSIONS_MAX];
	unsigned n;                   /* sessions in the order private, public, microsoft; primary,
	                               * secondary; IPv4, IPv6 */
	bool fam[2];                  /* any session of IPv4 ([0]) / IPv6 ([1]) */
};

/* The peerings present, in order: for (t = 0; ...) if (rc_present(g, t)). */
bool rc_present(const struct rc *g, enum access_type t);
bool rc_has_family(const struct rc *g, enum access_type t, bool v6);
/* What peering t advertises, both families in one list (IPv4 first for Microsoft peering; callers
 * pick the family they write): how many, and the i-th. */
unsigned rc_adv_count(const struct rc *g, enum access_type t);
const struct cidr *rc_adv_at(const struct rc *g, enum access_type t, unsigned i);
/* Whether the i-th prefix of peering t goes into statements that hold every advertised prefix once
 * (networks, discard routes): t has sessions of its family, and no earlier such prefix equals it. */
bool rc_adv_first(const struct rc *g, enum access_type t, unsigned i);
/* The filter name of what t advertises in a family: "private_out4", as erlab's BIRD names it. */
const char *rc_out_name(enum access_type t, bool v6, char *buf, unsigned len);
/* Does the session's peering AS differ from the router's (a per-neighbor local AS then)? */
bool rc_other_as(const struct rc *g, const struct rc_session *s);
/* IPv4 netmask of a prefix length, "255.255.255.252". */
const char *rc_mask4(unsigned prefixlen, char buf[16]);

/*
 * The comment at the top of each config: the circuit, each peering (VLAN, AS, Microsoft's
 * addresses, what it advertises, a state that keeps Microsoft's side down). Each line starts with
 * `lead`; open and close (NULL: none) frame the block, for Junos' C-style comment.
 */
void rc_header(struct rc *g, const char *open, const char *lead, const char *close);
/* Where the interfaces are: erlab's in the customer namespace (per datapath), or to be made. */
void rc_links_note(struct rc *g, const char *lead);

/* The flavors: FRR and IOS-XE (router_conf_cli.c), Junos (router_conf_junos.c). */
void rc_cli(struct rc *g);
void rc_junos(struct rc *g);

#endif
