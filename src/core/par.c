/* SPDX-License-Identifier: MIT */
#include <pthread.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <unistd.h>

#include "core/par.h"

struct par_run {
	void (*fn)(void *ud, unsigned i, unsigned t);
	void *ud;
	unsigned n;
	atomic_uint next;
	atomic_uint slot;
};

static void *par_worker(void *arg)
{
	struct par_run *run = arg;
	unsigned t = atomic_fetch_add(&run->slot, 1), i;

	while ((i = atomic_fetch_add(&run->next, 1)) < run->n)
		run->fn(run->ud, i, t);
	return NULL;
}

void par_for(unsigned n, unsigned max_threads, size_t stack, void (*fn)(void *ud, unsigned i, unsigned t), void *ud)
{
	struct par_run run = { .fn = fn, .ud = ud, .n = n };
	pthread_t *threads = NULL;
	pthread_attr_t attr;
	unsigned started = 0, want = max_threads < n ? max_threads : n;

	atomic_init(&run.next, 0);
	atomic_init(&run.slot, 0);
	if (want > 1 && (threads = calloc(want - 1, sizeof(*threads))) && pthread_attr_init(&attr) == 0) {
		if (stack)
			pthread_attr_setstacksize(&attr, stack);
		while (started + 1 < want && pthread_create(&threads[started], &attr, par_worker, &run) == 0)
			started++;
		pthread_attr_destroy(&attr);
	}
	par_worker(&run);
	for (unsigned i = 0; i < started; i++)
		pthread_join(threads[i], NULL);
	free(threads);
}

unsigned par_cpus(unsigned cap)
{
	long n = sysconf(_SC_NPROCESSORS_ONLN);

	return n < 1 ? 1 : (unsigned long)n > cap ? cap : (unsigned)n;
}
