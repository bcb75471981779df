/* SPDX-License-Identifier: MIT */
#ifndef ERLAB_ENGINE_INT_H
#define ERLAB_ENGINE_INT_H

/* What the engine's files share; the faces see only engine.h. */
#include <stdbool.h>

#include "bgp/bird.h"
#include "core/bird_conf.h"
#include "core/plan.h"
#include "engine/engine.h"
#include "kernel/kernel.h"
#include "store/state.h"

/*
 * Failure injection for the transaction and crash tests (tests/netns/t_transaction.sh,
 * t_crash.sh): only in builds configured with -DERLAB_TEST_HOOKS=ON (the test tiers'), read
 * from the environment in engine_new. An installed erlab has none of it.
 */
struct engine_hooks {
	unsigned fail_at_step;   /* step N (1-based, over the whole process) fails with -EIO */
	unsigned fail_errno;     /* ... or with this errno, as the kernel would refuse it */
	unsigned kill_at_step;   /* SIGKILL right after step N succeeded */
	bool kill_after_save;    /* SIGKILL once a change's state is saved, before its journal ends */
	unsigned bgp_error_wait; /* BIRD's wait before retrying a dropped session, s (0: its default) */
};

/*
 * A lab's BIRDs started or stopped side by side (bgp_batch.c): with apply_opts.bgp set, BGP_START
 * launches its BIRD without waiting for it (launch), BGP_STOP asks its BIRD to stop without
 * waiting (stop); the caller waits for all of them at once. tag: the caller's number for the
 * circuit whose plan runs now, given back with a failure.
 */
struct bgp_launched {
	struct bird_launch l;
	unsigned tag;
	char what[256];              /* its step, as step_describe says it */
};
struct bgp_stopping {
	pid_t pid;                   /* 0: stopped already (bird_stop_begin) */
	unsigned tag;
	enum ns_role role;
	char key[GUID_STRLEN];
};
struct bgp_batch {
	bool launch, stop;
	unsigned tag;
	struct bgp_launched *launched;
	unsigned n_launched, cap_launched;
	struct bgp_stopping *stopping;
	unsigned n_stopping, cap_stopping;
};
void bgp_batch_init(struct bgp_batch *b, bool launch, bool stop);
void bgp_batch_free(struct bgp_batch *b);
/* BGP_START's launch, and BGP_STOP's forgetting of it (an undo stops what it launched). */
int bgp_batch_launch(struct bgp_batch *b, const char *bin, const char *ns, const struct bird_paths *p,
		     const char *what, struct err *e);
void bgp_batch_forget(struct bgp_batch *b, const char *ctl);
/* Every launch answers (0), or the first failure in launch order: e as its step would have
 * failed, *ret_tag its circuit. The failed ones stay known to bgp_batch_failed. */
int bgp_batch_wait(struct bgp_batch *b, unsigned *ret_tag, struct err *e);
/* The BIRD on ctl was launched and failed: its undo keeps its log (as a failed start does). */
bool bgp_batch_failed(struct bgp_batch *b, const char *ctl);
/* BGP_STOP's asking; BGP_START's waiting for a stop asked before (an undo starts it again). */
int bgp_batch_stop(struct bgp_batch *b, const struct bird_paths *p, const char *key, enum ns_role role,
		   struct err *e);
int bgp_batch_settle(struct bgp_batch *b, const char *key, enum ns_role role, struct err *e);
/* Every stop asked is done and its BIRD's files are gone: 0, or the first failure (e), each
 * failed one's tag set in tag_failed[]. */
int bgp_batch_stopped(struct bgp_batch *b, const char *state_dir, bool *tag_failed, struct err *e);

/* How plans are applied: what apply.c and the BIRD config need beyond the plan itself. */
struct apply_opts {
	const char *state_dir;   /* where BIRD's config, socket, pid and log files go */
	struct store *store;     /* where namespace intents are recorded (store_netns_intent) */
	unsigned bgp_error_wait; /* see engine_hooks */
	bool defer_netns_del;    /* record namespace removals (netns_del_later) for a netns_del_flush:
	                          * removing many circuits at once */
	struct bgp_batch *bgp;   /* NULL: each BIRD is started and stopped in its step, waited for */
};

struct engine {
	struct engine_opts o;
	struct store store;
	bool store_open;
	bool locked;
	bool locked_exclusive;
	struct kernel *kernel;       /* opened on first use */
	int vlan_support;            /* 0 unknown, 1 yes, -1 no (probed once per process) */
	bool veth_noticed;           /* the "using veth" notice was given (once per command) */
	struct apply_opts apply;
	struct engine_hooks hooks;
	unsigned steps_done;         /* kernel steps run by this process, for the hooks */
	bool undo_failed;            /* the last apply_plan that failed could not undo all it did */
};

/* engine.c */
void engine_emit(struct engine *eng, enum engine_event_type type, const char *verb, const char *circuit,
		 const char *text);
void engine_progress(struct engine *eng, unsigned done, unsigned total);
int engine_kernel(struct engine *eng, struct kernel **ret, struct err *e);
/* Resolve auto/vlan/veth against this kernel; vlan without 802.1Q is an error naming the fix. */
int engine_datapath(struct engine *eng, enum datapath want, enum datapath *ret, struct err *e);

/* apply.c: execute a plan as one transaction (every step that succeeded is undone, in reverse, when
 * a later one fails); the error names the step and carries the kernel's reason. */
int apply_plan(struct engine *eng, const struct plan *p, struct err *e);
/* Say which step failed (e->what becomes step, the old what goes before the message); the
 * kernel's or BIRD's reason stays in the detail. */
void apply_blame(const char *step, struct err *e);
/* The config BIRD runs for circuit c in role, and its files: what BGP_START writes, and what drift
 * compares the running one with. */
int apply_bgp_conf(const struct circuit *c, enum ns_role role, const struct apply_opts *o,
		   struct bird_paths *paths, char **ret_text, struct err *e);

/* ops.c: plan from -> to (either may be NULL), apply, then save `to` (or delete from's file).
 * The caller holds the exclusive lock. op_remove_apply: the kernel half of removing c. */
int op_commit(struct engine *eng, const struct circuit *from, const struct circuit *to, struct err *e);
int op_remove_apply(struct engine *eng, const struct circuit *c, struct err *e);

/* observe.c, drift.c */
int observe_circuit(struct kernel *k, const struct circuit *c, const struct apply_opts *o, bool sessions,
		    struct observed *ret, struct err *e);
int drift_compute(const struct circuit *c, const struct observed *o, struct drift *ret);
/* Has the kernel drifted from c? 1 yes (the first drift line in why, ", ..." when there are more),
 * 0 no, or -errno. */
int drift_check(struct kernel *k, const struct circuit *c, const struct apply_opts *ao, char *why, size_t len,
		struct err *e);

/*
 * drift_scan.c: whether each of cs[0..n) has drifted, checked from one thread per CPU (up to 4),
 * each with a kernel handle of its own. A NULL circuit, or one whose check failed, is left
 * DRIFT_UNKNOWN: the caller checks it itself (and so gets the error).
 */
struct drift_result {
	enum { DRIFT_UNKNOWN, DRIFT_NO, DRIFT_YES } state;
	char why[300];   /* DRIFT_YES: the first drift line, ", ..." when there are more */
};
void drift_scan(const struct apply_opts *ao, const struct circuit *const *cs, unsigned n, struct drift_result *res);

#endif
