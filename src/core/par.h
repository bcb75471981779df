/* SPDX-License-Identifier: MIT */
#ifndef ERLAB_PAR_H
#define ERLAB_PAR_H

#include <stddef.h>

/*
 * Independent pieces of work run side by side: fn(ud, i, t) for every i in [0, n), from up to
 * max_threads threads, the caller's included; t (0 .. max_threads - 1) is the running thread's
 * slot, for state of its own (a kernel handle, say). Returns when every piece has run. Threads
 * that cannot be started only make it slower: the caller runs what is left. stack: bytes per
 * thread, 0 = the default.
 */
void par_for(unsigned n, unsigned max_threads, size_t stack, void (*fn)(void *ud, unsigned i, unsigned t), void *ud);

/* Online CPUs, from 1 to cap. */
unsigned par_cpus(unsigned cap);

#endif
