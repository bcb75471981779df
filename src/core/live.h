/* SPDX-License-Identifier: MIT */
#ifndef ERLAB_LIVE_H
#define ERLAB_LIVE_H

#include <stdbool.h>
#include <stdint.h>
#include <time.h>

#include "core/cidr.h"

/*
 * What is running, as plain data: links and neighbours as the kernel layer reads them, BGP
 * sessions and routes as BIRD reports them. The kernel and bgp layers fill these, the engine
 * compares them with what a circuit should be (drift), and the CLI prints them; none of those
 * needs the others' headers for it.
 */

/* The namespace erlab runs in, where the kernel layer takes a namespace name (bridge ports, VXLAN
 * underlays: docs/layout.md, "Beyond one machine"). No name under /run/netns can be ".". */
#define NS_SELF "."

/* One link of a namespace: one dump per namespace (links, then addresses, then root qdiscs). */
struct link_info {
	char name[16];
	char kind[16];          /* "veth", "vlan", "loopback" (for lo), "" unknown */
	char alias[128];
	char parent[16];        /* vlan: the lower device */
	char master[16];        /* the bridge it is a port of, "" none */
	uint32_t vni;           /* vxlan only */
	int ifindex;
	unsigned flags;         /* IFF_* */
	bool carrier;
	uint8_t operstate;      /* IF_OPER_* */
	uint16_t vlan_id;       /* vlan only */
	uint16_t vlan_proto;    /* host order, 0x8100 */
	uint64_t rx_bytes, tx_bytes, rx_packets, tx_packets;
	uint64_t rate_bps;      /* root tbf rate, 0 = none */
	char qdisc[16];         /* root qdisc kind */
	unsigned n_addrs;
	struct cidr addrs[8];   /* with prefix length */
};

/* A neighbour table entry (for ARP info): ifname, address, lladdr, age in s. */
struct neigh_info {
	char ifname[16];
	struct cidr addr;
	char lladdr[18];         /* "aa:bb:cc:dd:ee:ff" */
	uint32_t age_s;
	uint16_t state;          /* NUD_* */
};

/* A BGP session of a BIRD (`show protocols all`, BGP protocols only). */
struct bird_session {
	char name[64];
	char proto_state[8];     /* BIRD's protocol state: "up", "start", "stop", "down", "flush" */
	char state[16];          /* BGP state: "Established", "Active", "Connect", "Idle", "OpenSent",
	                          * "OpenConfirm", "Down" (disabled) */
	char since[32];          /* as BIRD prints it ("2024-05-01 23:35:28.570" with our configs) */
	time_t since_s;          /* the same in seconds since the epoch, 0 when it cannot be read */
	struct cidr neighbor;    /* bare address; family 0 = unknown */
	uint32_t neighbor_as;
	uint32_t imported, filtered, exported, preferred;
	char last_error[128];    /* "Received: Maximum number of prefixes reached", "" */
};

/* A route BIRD learnt on a session. */
struct bird_route {
	struct cidr network;
	struct cidr next_hop;    /* bare address; family 0 = none (blackhole, device route) */
	uint32_t local_pref;     /* 0 = not set */
	uint32_t weight;         /* always 0: BIRD has no weight; Azure prints 0 */
	bool best;               /* BIRD's '*' */
	char as_path[256];       /* "1234 5678", "" for a local route */
};

#endif
