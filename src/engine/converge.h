/* SPDX-License-Identifier: MIT */
#ifndef ERLAB_CONVERGE_H
#define ERLAB_CONVERGE_H

#include <stdbool.h>

#include "lab/lab.h"
#include "engine/ops.h"

/*
 * `erlab up`: make the machine match a lab. Per circuit of the lab: create it when missing,
 * change what differs (the same plan as `peering set`), rebuild it when the kernel has drifted from
 * the state; remove the circuits this lab made that it no longer declares. Each circuit is one
 * transaction. Circuits made by hand or by another lab are never touched (a name clash is refused
 * before anything changes). With dry_run, prints the plan and changes nothing.
 * ret_changed: how many circuits changed (0: up to date).
 */
int converge_up(struct ctx *x, const struct lab *lab, bool dry_run, unsigned *ret_changed, struct err *e);
/* Remove every circuit made by the lab at abs_path. */
int converge_down(struct ctx *x, const char *abs_path, unsigned *ret_removed, struct err *e);
/* Remove every circuit, then every erlab-marked namespace left without state (orphans). */
int converge_down_all(struct ctx *x, unsigned *ret_removed, struct err *e);

#endif
