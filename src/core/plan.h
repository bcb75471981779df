/* SPDX-License-Identifier: MIT */
#ifndef ERLAB_PLAN_H
#define ERLAB_PLAN_H

#include <stdbool.h>

#include "core/model.h"

/*
 * A plan is the ordered list of kernel steps that turns one circuit (or nothing) into another
 * (or nothing). Each step names the circuit snapshot it builds from, so its undo is simply the
 * opposite step on the same snapshot: ADD <-> DEL, SET(prev -> c) <-> SET(c -> prev).
 * The plan is pure: apply.c executes it through the kernel layer.
 *
 * Step order for a create:   NETNS_ADD customer, NETNS_ADD microsoft, TRUNK_ADD primary/secondary
 *                             (vlan datapath only), PLINK_ADD per peering and side.
 * For a change:              every PLINK_DEL first (peering links removed or changed, so a
 *                             reused VLAN id never collides), then RATE_SET, then every PLINK_ADD.
 *                             A failure half-way is undone step by step.
 * VNets:                     VNET_DEL first (before the peering links change), VNET_ADD last.
 * BGP (BIRD):                BGP_STOP first, BGP_START / BGP_RECONF last, once the links exist.
 * For a remove:              VNET_DEL each, NETNS_DEL microsoft, NETNS_DEL customer: deleting a namespace takes
 *                             everything in it, and it is the one step that cannot be undone, so a
 *                             remove has nothing after it.
 * A change of datapath is a remove followed by a create.
 */

enum step_op {
	STEP_NETNS_ADD,     /* role */
	STEP_NETNS_DEL,
	STEP_TRUNK_ADD,     /* side: veth pair "primary" customer<->microsoft, rate, up (vlan datapath) */
	STEP_TRUNK_DEL,
	STEP_PLINK_ADD,     /* type, side: VLAN subinterfaces (or veth pair) with addresses, up */
	STEP_PLINK_DEL,
	STEP_RATE_SET,      /* circuit bandwidth on every trunk end (or peering link in veth mode) */
	STEP_CARRIER_SET,   /* side, up: emulate a link failure (both ends) */
	STEP_VNET_ADD,      /* vnet: its namespace, veth to-microsoft/to-<V>, the "vm" NIC, routes */
	STEP_VNET_DEL,      /* vnet: its namespace (and the veth with it) */
	STEP_BGP_START,     /* role: write BIRD's config for c and start it in that namespace */
	STEP_BGP_STOP,      /* role: stop it */
	STEP_BGP_RECONF,    /* role: write the config for c and reconfigure (prev: the one before) */
	_STEP_MAX,
};

struct step {
	enum step_op op;
	const struct circuit *c;     /* the snapshot this step builds from / removes */
	const struct circuit *prev;  /* RATE_SET: the value before; NULL otherwise */
	enum ns_role role;
	enum link_side side;
	enum access_type type;
	bool up;                     /* CARRIER_SET */
	unsigned vnet;               /* VNET_*: index into c->vnets */
};

struct plan {
	struct step *steps;
	unsigned n, cap;
};

void plan_init(struct plan *p);
void plan_clear(struct plan *p);
int plan_push(struct plan *p, const struct step *s);

/*
 * Append the steps that turn `from` into `to` (either may be NULL: create / remove).
 * Both snapshots must outlive the plan. Kernel-relevant fields only: name, datapath, bandwidth,
 * peerings' VLAN ids and subnets. Returns 0 or -ENOMEM.
 */
int plan_circuit(struct plan *p, const struct circuit *from, const struct circuit *to);

/* The undo of a step. */
struct step step_inverse(const struct step *s);
/* The op's name, as `up --dry-run --json` gives it (docs/json.md): "netns_add", "plink_del", ... */
const char *step_op_name(enum step_op op);
/* "create peering link primary.100 (private) in MyTestCircuit" for --dry-run and errors. */
const char *step_describe(const struct step *s, char *buf, unsigned len);

#endif
