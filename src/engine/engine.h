/* SPDX-License-Identifier: MIT */
#ifndef ERLAB_ENGINE_H
#define ERLAB_ENGINE_H

#include <stdbool.h>

#include "core/err.h"
#include "core/live.h"
#include "core/names.h"
#include "core/model.h"
#include "lab/lab.h"

/*
 * The engine: every operation the faces (native verbs, cmdlets, lab files) drive, and what they
 * read back. Each mutation takes the state dir's exclusive lock, loads the circuit, builds the new
 * one, validates it, plans the kernel steps from old to new, applies them as one transaction and
 * saves the state once; on any failure neither the kernel nor the state changes.
 *
 * The engine never prints: progress, notices and results go to the caller's event function.
 */
struct engine;

enum engine_event_type {
	ENGINE_NOTICE,      /* text: a notice ("no 802.1Q VLAN support ...") */
	ENGINE_WARNING,     /* text: something failed without failing the command */
	ENGINE_STEP,        /* text: a kernel step about to run, or an undo that failed (engine_opts.steps) */
	ENGINE_PROGRESS,    /* done of total circuits of a lab */
	ENGINE_RESULT,      /* verb ("created", "changed", "repaired", "removed") circuit; text: why, or NULL */
	ENGINE_PLAN,        /* a dry run: verb ("create", "change", "repair", "remove") circuit; text: why, or NULL */
	ENGINE_PLAN_STEP,   /* a dry run: verb: the step's op (step_op_name, or "state_update"); text: the step */
	ENGINE_REMOVED,     /* down: verb ("circuit", "state_file", "namespace", "bird") circuit: what was removed
	                     * (its name; a BIRD's pid) — one per object the removed count counts */
};

struct engine_event {
	enum engine_event_type type;
	const char *verb;
	const char *circuit;
	const char *text;
	unsigned done, total;
};

typedef void (*engine_event_fn)(void *ud, const struct engine_event *ev);

struct engine_opts {
	const char *state_dir;
	enum datapath datapath;      /* requested: auto | vlan | veth */
	double wait;                 /* lock wait, seconds */
	bool steps;                  /* report every kernel step (ENGINE_STEP) */
	engine_event_fn event;       /* may be NULL */
	void *ud;
};

/*
 * SIGINT, SIGTERM and SIGHUP must be blocked by the caller while the engine works (main does):
 * the engine looks for them between kernel steps and between circuits, finishes or undoes the
 * step at hand, rolls the change back and fails with -EINTR; the caller then lets the signal end
 * the process. Nothing is ever left half-made by them.
 */
int engine_new(const struct engine_opts *o, struct engine **ret, struct err *e);
/* A stop signal is pending: -EINTR with e saying which, else 0. */
int engine_interrupted(struct err *e);
void engine_free(struct engine *eng);
/* The options it was made with (state_dir filled in): a server makes one engine per request with
 * them, so that no request holds the state dir's lock past its end (src/arm). */
const struct engine_opts *engine_options(const struct engine *eng);

/* Take the state dir's lock now (exclusive for a mutation), before reading what is to change, so
 * the read and the write see one state. Idempotent; the first mode taken stays. */
int engine_lock(struct engine *eng, bool exclusive, struct err *e);

/* ---- circuits, peerings, VNets (ops.c) ---- */

/* Reads (shared lock). ret is the caller's: circuit_clear it / circuit_list_free the list. */
int op_circuit_get(struct engine *eng, const char *id, struct circuit *ret, struct err *e);
int op_circuit_list(struct engine *eng, struct circuit **ret, unsigned *ret_n, struct err *e);

/* c: name, bandwidth, location, provider, sku, billing, optional key, prov. Fills c->service_key. */
int op_circuit_new(struct engine *eng, struct circuit *c, struct err *e);
/* patch->has says which of bandwidth/sku/billing change. Bandwidth may only go up (Azure). */
int op_circuit_set(struct engine *eng, const char *id, const struct circuit *patch, struct err *e);
int op_circuit_provision(struct engine *eng, const char *id, bool provisioned, struct err *e);
int op_circuit_remove(struct engine *eng, const char *id, struct err *e);

int op_peering_get(struct engine *eng, const char *id, enum access_type t, struct circuit *ret_c,
		   const struct peering **ret_p, struct err *e);
int op_peering_new(struct engine *eng, const char *id, const struct peering *p, struct err *e);
/* Merge patch into the existing peering; with create_if_missing, behave as new when absent
 * (Set-AzureBGPPeering). */
int op_peering_set(struct engine *eng, const char *id, const struct peering *patch, bool create_if_missing,
		   struct err *e);
int op_peering_remove(struct engine *eng, const char *id, enum access_type t, struct err *e);
/* Take family f of the peering away (its links' addresses and sessions; docs/rules.md, "One
 * peering, two families"); its last family takes the peering with it. A family the peering does not
 * have: -ENOENT, nothing changes. */
int op_peering_remove_family(struct engine *eng, const char *id, enum access_type t, enum family f, struct err *e);

/* Link a VNet to the circuit's private peering (docs/layout.md), unlink it again. */
int op_vnet_link(struct engine *eng, const char *id, const struct vnet *v, struct err *e);
int op_vnet_unlink(struct engine *eng, const char *id, const char *name, struct err *e);

int op_link_carrier(struct engine *eng, const char *id, enum link_side side, bool up, struct err *e);

/* ---- labs (converge.c) ---- */

/*
 * `erlab up`: make the machine match a lab. Per circuit of the lab: create it when missing,
 * change what differs, rebuild it when the kernel has drifted from the state; remove the circuits
 * this lab made that it no longer declares. Each circuit is one transaction. Circuits made by hand
 * or by another lab are never touched (a clash is refused before anything changes). With dry_run,
 * reports the plan (ENGINE_PLAN, ENGINE_PLAN_STEP) and changes nothing.
 * ret_changed: how many circuits changed (0: up to date).
 */
int converge_up(struct engine *eng, const struct lab *lab, bool dry_run, unsigned *ret_changed, struct err *e);
/*
 * Remove every circuit made by the lab called name, or (name NULL) by the lab brought up from the
 * file abs_path; with shard_n, only those of shard shard_k. -ENOENT, naming the labs that are up,
 * when that lab has no such circuit.
 */
int converge_down(struct engine *eng, const char *name, const char *abs_path, unsigned shard_k, unsigned shard_n,
		  unsigned *ret_removed, struct err *e);
/* Remove every circuit, then every erlab-marked namespace and BIRD left without state. */
int converge_down_all(struct engine *eng, unsigned *ret_removed, struct err *e);

/* ---- what the kernel has (observe.c, drift.c) ---- */

struct observed {
	bool ns_present[_NS_MAX];
	bool ns_marked[_NS_MAX];
	struct link_info *links[_NS_MAX];
	unsigned n_links[_NS_MAX];
	bool bird_running[_NS_MAX];         /* BIRD answering on its control socket, per role */
	bool bird_conf_differs[_NS_MAX];    /* its config file is not what the circuit makes */
	unsigned n_vnets;
	bool *vnet_present;                 /* per c->vnets[i]: its namespace exists */
	struct link_info **vnet_links;      /* per c->vnets[i]: the links of its namespace */
	unsigned *n_vnet_links;
	struct bird_session *sessions;      /* the Microsoft edge's BGP sessions */
	unsigned n_sessions;
};
void observed_clear(struct observed *o);
const struct link_info *observed_link(const struct observed *o, enum ns_role role, const char *name);

/*
 * Where the kernel differs from the circuit: one record each (docs/json.md, "drift"). The object
 * (a namespace, "namespace/link", or the namespace a BIRD runs in), the role of its namespace (the
 * key of status's kernel view: customer, microsoft, a VNet's name), the property that differs, and
 * the value expected and found, typed as the kernel view shows that property (null: none). Its
 * line for people is drift_text's ("MyTestCircuit-customer/primary.100: VLAN id 101, expected 100").
 */
enum drift_kind { DRIFT_NAMESPACE, DRIFT_LINK, DRIFT_BIRD };
enum drift_type { DRIFT_NULL, DRIFT_BOOL, DRIFT_NUMBER, DRIFT_STRING };
struct drift_value {
	enum drift_type type;
	bool b;
	uint64_t n;
	char s[CIDR_STRLEN];
};
struct drift_item {
	enum drift_kind kind;
	char object[NS_NAME_MAX + IFNAMSIZ];
	char role[VNET_NAME_MAX + 16];
	const char *property;      /* "present", "marked", "kind", "vlan_id", "parent", "up", "addresses",
	                            * "rate_bps", "running", "config" */
	struct drift_value expected, found;
	char detail[64];           /* for the line: what a link is for ("public peering"), the role its
	                            * mark names, a VNet's name, which BIRD ("Microsoft edge") */
};
struct drift {
	struct drift_item *items;
	unsigned n;
};
const char *drift_kind_name(enum drift_kind k);   /* "namespace", "link", "bird" */
/* The record as one line, as `status` prints it after "drift: ". Returns buf. */
const char *drift_text(const struct drift_item *d, char *buf, size_t len);
void drift_clear(struct drift *d);

/* What the kernel has of c (sessions: also the Microsoft edge's BGP sessions), and its drift. */
int engine_observe(struct engine *eng, const struct circuit *c, bool sessions, struct observed *ret,
		   struct drift *ret_drift, struct err *e);

/* The same for cs[0..n), side by side: per circuit its observation, drift, result (0 or -errno)
 * and error. A BIRD or a dump that keeps one waiting does not keep the others. */
int engine_observe_many(struct engine *eng, const struct circuit *cs, unsigned n, bool sessions,
			struct observed *ret, struct drift *ret_drift, int *ret_r, struct err *ret_errs);

/* ---- reads for the diagnostics and `exec` (observe.c) ---- */

/* The namespace of circuit c that `side` names: customer, microsoft, or a linked VNet's name. */
int engine_ns_of(const struct circuit *c, const char *side, char *buf, size_t len, struct err *e);
int engine_links(struct engine *eng, const char *ns, struct link_info **ret, unsigned *ret_n, struct err *e);
int engine_neighbors(struct engine *eng, const char *ns, struct neigh_info **ret, unsigned *ret_n, struct err *e);
/* The BGP sessions of c's BIRD on side role (NS_MICROSOFT: the Microsoft edge, NS_CUSTOMER: the
 * customer router), and the routes of one session of the Microsoft edge: -ENOENT when c runs no
 * BIRD there. */
int engine_bgp_sessions(struct engine *eng, const struct circuit *c, enum ns_role role, struct bird_session **ret,
			unsigned *ret_n, struct err *e);
int engine_bgp_routes(struct engine *eng, const struct circuit *c, const char *session, struct bird_route **ret,
		      unsigned *ret_n, struct err *e);
/* A peering's diagnostics as rows (diag.c): the values the MSEE shows, for the cmdlets' text and
 * ARM's JSON. Path `side` of peering p of circuit c; the tables come back empty when the circuit
 * runs no BIRD. Free *ret. */
struct diag_arp {
	uint32_t age_s;
	bool microsoft;                 /* "Microsoft": its own address; else "On-Prem": learnt on the link */
	char ip[CIDR_STRLEN];
	char mac[16];                   /* IOS's dotted form, "e8ed.f335.4ca9"; "" until resolved */
};
struct diag_summary {
	char neighbor[CIDR_STRLEN];
	unsigned v;                     /* the neighbour's address family: 4 or 6 */
	uint32_t as;
	char up_down[32];               /* time in its state, as IOS prints it: 00:01:02, 1d02h, 8w4d */
	char state_pfx_rcd[24];         /* prefixes received when Established, else the BGP state */
};
struct diag_route {
	char network[CIDR_STRLEN];
	char next_hop[CIDR_STRLEN];     /* "" none */
	char loc_prf[16];               /* "" not set */
	uint32_t weight;
	char path[256];                 /* the AS path */
};
struct diag_stats {
	uint64_t bytes[_LINK_MAX][2];   /* per path: [0] in (from the customer), [1] out */
};
int engine_diag_arp(struct engine *eng, const struct circuit *c, const struct peering *p, enum link_side side,
		    struct diag_arp **ret, unsigned *ret_n, struct err *e);
int engine_diag_summary(struct engine *eng, const struct circuit *c, const struct peering *p, enum link_side side,
			struct diag_summary **ret, unsigned *ret_n, struct err *e);
int engine_diag_routes(struct engine *eng, const struct circuit *c, const struct peering *p, enum link_side side,
		       struct diag_route **ret, unsigned *ret_n, struct err *e);
/* The Microsoft side's link counters of peering type (an enum access_type), or of every peering
 * of c (type -1; zero without any). A link missing from the kernel: -EIO. */
int engine_diag_stats(struct engine *eng, const struct circuit *c, int type, struct diag_stats *ret, struct err *e);
/* Enter namespace ns for good, before exec (no way back). */
int engine_enter(struct engine *eng, const char *ns, struct err *e);

/* `erlab check`: each feature in turn (i = 0, 1, ...; false past the last). */
struct engine_feature {
	const char *name;       /* "netns", "veth", "802.1Q", "tbf", "TCP-MD5", "BIRD" */
	bool required;          /* without it no datapath works */
	const char *fix;
};
bool engine_feature(unsigned i, struct engine_feature *ret);
/* 0 supported, -EOPNOTSUPP missing (e->detail: the kernel's reason), other -errno failed. */
int engine_probe(struct engine *eng, unsigned i, struct err *e);

#endif
