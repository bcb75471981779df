/* SPDX-License-Identifier: MIT */
#ifndef ERLAB_OPS_H
#define ERLAB_OPS_H

#include <stdbool.h>
#include <stdio.h>

#include "engine/apply.h"
#include "core/err.h"
#include "core/model.h"
#include "store/state.h"

/*
 * The operations both faces (native verbs and cmdlets) and lab files drive. Each mutating
 * operation: takes the exclusive lock, loads the circuit, builds the new circuit, validates it,
 * plans the kernel steps from old to new, applies them as one transaction, then saves the state
 * (once). On any failure nothing is changed: neither the kernel nor the state.
 */

struct ctx {
	const char *state_dir;
	enum datapath datapath;      /* requested: auto | vlan | veth */
	double wait;                 /* lock wait, seconds */
	int verbosity;               /* -1 quiet, 0 normal, 1 verbose */
	FILE *out;                   /* stdout */
	FILE *log;                   /* stderr: notices */
	struct store store;
	bool store_open;
	bool locked;
	bool locked_exclusive;
	struct kernel *kernel;       /* opened on first use */
	int vlan_support;            /* 0 unknown, 1 yes, -1 no (probe cached for the process) */
	struct apply_opts apply;
};

void ctx_init(struct ctx *x);
void ctx_done(struct ctx *x);
/* Open the store and take the lock (exclusive for mutations). Idempotent. */
int ctx_lock(struct ctx *x, bool exclusive, struct err *e);
int ctx_kernel(struct ctx *x, struct kernel **ret, struct err *e);
/* Resolve auto/vlan/veth against this kernel; vlan without 802.1Q is an error naming the fix. */
int ctx_datapath(struct ctx *x, enum datapath want, enum datapath *ret, struct err *e);

/* Reads (shared lock). ret is the caller's; circuit_clear it. */
int op_circuit_get(struct ctx *x, const char *id, struct circuit *ret, struct err *e);
int op_circuit_list(struct ctx *x, struct circuit **ret, unsigned *ret_n, struct err *e);

/* c: name, bandwidth, location, provider, sku, billing, optional key, prov. Fills c->service_key. */
int op_circuit_new(struct ctx *x, struct circuit *c, struct err *e);
/* patch->has says which of bandwidth/sku/billing change. Bandwidth may only go up (Azure). */
int op_circuit_set(struct ctx *x, const char *id, const struct circuit *patch, struct err *e);
int op_circuit_provision(struct ctx *x, const char *id, bool provisioned, struct err *e);
int op_circuit_remove(struct ctx *x, const char *id, struct err *e);

int op_peering_get(struct ctx *x, const char *id, enum access_type t, struct circuit *ret_c,
		   const struct peering **ret_p, struct err *e);
int op_peering_new(struct ctx *x, const char *id, const struct peering *p, struct err *e);
/* Merge patch into the existing peering; with create_if_missing, behave as new when absent
 * (Set-AzureBGPPeering). */
int op_peering_set(struct ctx *x, const char *id, const struct peering *patch, bool create_if_missing,
		   struct err *e);
int op_peering_remove(struct ctx *x, const char *id, enum access_type t, struct err *e);

/* Link a VNet to the circuit's private peering (SPEC §6), unlink it again. */
int op_vnet_link(struct ctx *x, const char *id, const struct vnet *v, struct err *e);
int op_vnet_unlink(struct ctx *x, const char *id, const char *name, struct err *e);

int op_link_carrier(struct ctx *x, const char *id, enum link_side side, bool up, struct err *e);

/*
 * The common tail of every mutation: plan from -> to (either may be NULL), apply, then save
 * `to` (or delete `from`'s file). Caller holds the exclusive lock.
 */
int op_commit(struct ctx *x, const struct circuit *from, const struct circuit *to, struct err *e);
/* The kernel half of removing c: op_commit(x, c, NULL) without deleting the state file. */
int op_remove_apply(struct ctx *x, const struct circuit *c, struct err *e);

#endif
