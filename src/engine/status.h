/* SPDX-License-Identifier: MIT */
#ifndef ERLAB_STATUS_H
#define ERLAB_STATUS_H

#include <stdbool.h>
#include <stdio.h>

#include "engine/apply.h"
#include "bgp/bird.h"
#include "core/model.h"
#include "kernel/kernel.h"

/*
 * What the kernel has for a circuit, read once per namespace (one dump each), and where it
 * differs from what the state says it should have (drift): used by `status` to report it and by
 * `up` to repair it.
 */
struct observed {
	bool ns_present[_NS_MAX];
	bool ns_marked[_NS_MAX];
	struct link_info *links[_NS_MAX];
	unsigned n_links[_NS_MAX];
	bool bird_running[_NS_MAX];         /* BIRD answering on its control socket, per role */
	bool bird_conf_differs[_NS_MAX];    /* its config file is not what the circuit makes */
	bool *vnet_present;                 /* per c->vnets[i]: its namespace exists */
	struct bird_session *sessions;      /* the Microsoft edge's BGP sessions */
	unsigned n_sessions;
};

/* o: where BIRD's files are and how its config is made (for circuits with BGP on). sessions: also
 * fetch the Microsoft edge's BGP sessions (status shows them; drift does not need them). */
int observe_circuit(struct kernel *k, const struct circuit *c, const struct apply_opts *o, bool sessions,
		    struct observed *ret, struct err *e);
void observed_clear(struct observed *o);
const struct link_info *observed_link(const struct observed *o, enum ns_role role, const char *name);

/* Drift lines ("MyTestCircuit-customer/primary.100: VLAN id 101, expected 100"), heap strings. */
struct drift {
	char **lines;
	unsigned n;
};
int drift_compute(const struct circuit *c, const struct observed *o, struct drift *ret);
void drift_clear(struct drift *d);
/* Has the kernel drifted from c? 1 yes (the first drift line in why, ", ..." when there are more),
 * 0 no, or -errno. */
int drift_check(struct kernel *k, const struct circuit *c, const struct apply_opts *ao, char *why, size_t len,
		struct err *e);

/*
 * Whether each of cs[0..n) has drifted, checked from one thread per CPU (up to 4), each with a
 * kernel handle of its own (drift_scan.c). A NULL circuit, or one whose check failed, is left
 * DRIFT_UNKNOWN: the caller checks it itself (and so gets the error).
 */
struct drift_result {
	enum { DRIFT_UNKNOWN, DRIFT_NO, DRIFT_YES } state;
	char why[300];   /* DRIFT_YES: the first drift line, ", ..." when there are more */
};
void drift_scan(const struct apply_opts *ao, const struct circuit *const *cs, unsigned n, struct drift_result *res);

/* `status` output for one circuit: text or one JSON object. */
void status_print_text(FILE *f, const struct circuit *c, const struct observed *o, const struct drift *d);
void status_print_json(FILE *f, const struct circuit *c, const struct observed *o, const struct drift *d);

#endif
