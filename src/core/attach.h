/* SPDX-License-Identifier: MIT */
#ifndef ERLAB_ATTACH_H
#define ERLAB_ATTACH_H

#include <net/if.h>
#include <stdbool.h>
#include <stdint.h>

#include "core/err.h"
#include "core/model.h"

/*
 * Where a circuit's customer side is (docs/layout.md, "Beyond one machine"). Pure: parsed from the
 * circuit's `customer`, `microsoft_address`, `underlay_dev`, `vni_base` and `side`.
 *
 *   ns (default)               both sides are namespaces of this host
 *   bridge:PRIMARY,SECONDARY   the customer end of each link is a port of that existing bridge of
 *                              this host, in the namespace erlab runs in; no customer namespace
 *   remote:ADDRESS             the customer side is on the host at ADDRESS: each link is a VXLAN
 *                              tunnel; this host builds the side the circuit records (`up --side`)
 */
enum attach_kind { ATTACH_NS, ATTACH_BRIDGE, ATTACH_REMOTE };

/* Where the link ends of a role live on this host. */
enum place {
	PLACE_NS,      /* in the role's namespace of the circuit (made by erlab) */
	PLACE_HOST,    /* in the namespace erlab runs in, as bridge ports */
	PLACE_NONE,    /* on another host */
};

struct attach {
	enum attach_kind kind;
	char bridge[_LINK_MAX][IFNAMSIZ];   /* bridge: per link side */
	struct cidr remote;                 /* remote: the customer host's underlay address */
};

/* Parse `customer` ("" is ns). Returns 0 or -EINVAL with *e naming the value. */
int attach_parse(const char *text, struct attach *ret, struct err *e);
/* The circuit's attachment (its `customer` was validated; a bad one reads as ns). */
enum attach_kind attach_kind_of(const struct circuit *c);
void attach_of(const struct circuit *c, struct attach *ret);

enum place attach_place(const struct circuit *c, enum ns_role role);
/* Is the role's namespace of c made on this host? */
bool attach_ns_here(const struct circuit *c, enum ns_role role);

/*
 * VXLAN (remote): the tunnel of one link. vlan 0: the trunk (vlan datapath), else the peering link
 * of that VLAN (veth datapath). VNI = base + side * 4096 + vlan, base = vni_base, or when 0,
 * 8192 * (1 + FNV-1a(circuit name) % 2046): the same on both hosts, within 8192 .. 16777215.
 */
#define ATTACH_VNI_SPAN 8192u
#define ATTACH_VNI_MAX 16777215u
#define ATTACH_VXLAN_PORT 4789
uint32_t attach_vni_base(const struct circuit *c);
uint32_t attach_vni(const struct circuit *c, enum link_side side, uint16_t vlan);
/* The tunnel's addresses on this host: local (family 0: the kernel's choice) and remote. */
void attach_tunnel_ends(const struct circuit *c, struct cidr *ret_local, struct cidr *ret_remote);

/* Bridge: the name of the customer end of a link in erlab's own namespace, the bridge's port:
 * "e" + the first 8 hex digits of the service key + "p" or "s" + the VLAN id (veth datapath), at
 * most 14 characters. */
const char *attach_port_name(const struct circuit *c, enum link_side side, uint16_t vlan, char buf[IFNAMSIZ]);

/* BGP timers of erlab's customer router on a remote circuit (core/bird_conf.c). */
#define REMOTE_HOLD_S 9
#define REMOTE_KEEPALIVE_S 3

/* The rules of the fields (core/fields.c rows). */
int attach_check_customer(const char *v, const char *what, struct err *e);
int attach_check_address(const char *v, const char *what, struct err *e);
int attach_check_ifname(const char *v, const char *what, struct err *e);
int attach_check_vni_base(uint32_t v, const char *what, struct err *e);
/* The circuit as a whole: remote needs microsoft_address of the customer address's family; a
 * customer BIRD needs the customer namespace (not a bridge). 0 or -EINVAL. */
int attach_check_circuit(const struct circuit *c, struct err *e);

#endif
