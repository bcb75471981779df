/* SPDX-License-Identifier: MIT */
/*
 * The drift of many circuits, read from several threads (issue 7: `up` of a lab that is already up
 * is mostly this: three dumps per namespace, and libnl's parsing of them). Each thread has a kernel
 * handle of its own (its sockets, its namespace switches); the circuits' namespaces are disjoint,
 * so the answers do not depend on the order.
 */
#include "core/par.h"
#include "engine/engine_int.h"

#define SCAN_THREADS_MAX 4

struct scan_run {
	const struct apply_opts *ao;
	const struct circuit *const *cs;
	struct drift_result *res;
	struct kernel *k[SCAN_THREADS_MAX];
	bool k_failed[SCAN_THREADS_MAX];
};

static void scan_one(void *ud, unsigned i, unsigned t)
{
	struct scan_run *run = ud;
	struct drift_result *res = &run->res[i];
	int r;

	if (!run->k[t] && !run->k_failed[t])
		run->k_failed[t] = kernel_open(&run->k[t], NULL) < 0;
	if (!run->cs[i] || !run->k[t])
		return;   /* left DRIFT_UNKNOWN: the caller checks it itself */
	r = drift_check(run->k[t], run->cs[i], run->ao, res->why, sizeof(res->why), NULL);
	if (r >= 0)
		res->state = r ? DRIFT_YES : DRIFT_NO;
}

void drift_scan(const struct apply_opts *ao, const struct circuit *const *cs, unsigned n, struct drift_result *res)
{
	struct scan_run run = { .ao = ao, .cs = cs, .res = res };

	for (unsigned i = 0; i < n; i++)
		res[i].state = DRIFT_UNKNOWN;
	par_for(n, par_cpus(SCAN_THREADS_MAX), 0, scan_one, &run);
	for (unsigned t = 0; t < SCAN_THREADS_MAX; t++)
		kernel_close(run.k[t]);
}
