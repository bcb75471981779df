/* SPDX-License-Identifier: MIT */
/*
 * A lab's BIRDs started and stopped side by side (docs/bgp.md, "Starting, reconfiguring and
 * stopping BIRD"). While converge_up applies a lab's circuits, each BGP_START step launches its
 * BIRD (bird_launch) without waiting for it to answer, and converge_up waits for all of them at
 * once (bgp_batch_wait) before it reports the circuits or goes on. While remove_bulk removes
 * circuits, each BGP_STOP step asks its BIRD to stop (bird_stop_begin), and remove_bulk waits for
 * all of them at once (bgp_batch_stopped) before their namespaces and files go.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "bgp/bird.h"
#include "engine/engine_int.h"

void bgp_batch_init(struct bgp_batch *b, bool launch, bool stop)
{
	memset(b, 0, sizeof(*b));
	b->launch = launch;
	b->stop = stop;
}

void bgp_batch_free(struct bgp_batch *b)
{
	for (unsigned i = 0; i < b->n_launched; i++)
		bird_launch_free(&b->launched[i].l);
	free(b->launched);
	free(b->stopping);
	memset(b, 0, sizeof(*b));
}

int bgp_batch_launch(struct bgp_batch *b, const char *bin, const char *ns, const struct bird_paths *p,
		     const char *what, struct err *e)
{
	struct bgp_launched *x;
	int r;

	if (b->n_launched == b->cap_launched) {
		unsigned cap = b->cap_launched ? 2 * b->cap_launched : 16;
		struct bgp_launched *v = realloc(b->launched, cap * sizeof(*v));

		if (!v)
			return err_set(e, -ENOMEM, what, "out of memory");
		b->launched = v;
		b->cap_launched = cap;
	}
	x = &b->launched[b->n_launched];
	if ((r = bird_launch(bin, ns, p, &x->l, e)) < 0)
		return r;
	x->tag = b->tag;
	snprintf(x->what, sizeof(x->what), "%s", what);
	b->n_launched++;
	return 0;
}

/* The launched BIRD on ctl, or NULL. */
static struct bgp_launched *launched_on(struct bgp_batch *b, const char *ctl)
{
	for (unsigned i = 0; i < b->n_launched; i++)
		if (strcmp(b->launched[i].l.ctl, ctl) == 0)
			return &b->launched[i];
	return NULL;
}

void bgp_batch_forget(struct bgp_batch *b, const char *ctl)
{
	struct bgp_launched *x = launched_on(b, ctl);

	if (!x || x->l.result < 0)
		return;   /* a failed one stays: bgp_batch_failed tells the rollback to keep its log */
	bird_launch_free(&x->l);
	memmove(x, x + 1, (size_t)(b->launched + b->n_launched - (x + 1)) * sizeof(*x));
	b->n_launched--;
}

bool bgp_batch_failed(struct bgp_batch *b, const char *ctl)
{
	struct bgp_launched *x = launched_on(b, ctl);

	return x && x->l.result < 0;
}

int bgp_batch_wait(struct bgp_batch *b, unsigned *ret_tag, struct err *e)
{
	struct bird_launch *v;
	int r = 0;

	if (b->n_launched == 0)
		return 0;
	/* bird_launch_wait takes the launches side by side; lend them and take the results back. */
	if (!(v = malloc(b->n_launched * sizeof(*v)))) {
		/* Without the memory to watch them together, each is waited for alone. */
		for (unsigned i = 0; i < b->n_launched; i++) {
			int k = bird_launch_wait(&b->launched[i].l, 1, NULL);

			if (k < 0 && !r) {
				r = k;
				*ret_tag = b->launched[i].tag;
			}
		}
	} else {
		for (unsigned i = 0; i < b->n_launched; i++)
			v[i] = b->launched[i].l;
		bird_launch_wait(v, b->n_launched, NULL);
		for (unsigned i = 0; i < b->n_launched; i++) {
			b->launched[i].l = v[i];
			if (v[i].result < 0 && !r) {
				r = v[i].result;
				*ret_tag = b->launched[i].tag;
			}
		}
		free(v);
	}
	if (r < 0) {
		/* The first failure, as its step would have failed had it waited (apply.c blame_step). */
		for (unsigned i = 0; i < b->n_launched; i++) {
			const struct bgp_launched *x = &b->launched[i];

			if (x->l.result >= 0)
				continue;
			*e = x->l.err;
			apply_blame(x->what, e);
			err_system(e, r);
			break;
		}
	}
	return r;
}

int bgp_batch_stop(struct bgp_batch *b, const struct bird_paths *p, const char *key, enum ns_role role,
		   struct err *e)
{
	struct bgp_stopping *x;
	pid_t pid;
	int r;

	if (b->n_stopping == b->cap_stopping) {
		unsigned cap = b->cap_stopping ? 2 * b->cap_stopping : 16;
		struct bgp_stopping *v = realloc(b->stopping, cap * sizeof(*v));

		if (!v)
			return err_set(e, -ENOMEM, p->ctl, "out of memory");
		b->stopping = v;
		b->cap_stopping = cap;
	}
	if ((r = bird_stop_begin(p->ctl, p->pid, &pid, e)) < 0)
		return r;
	x = &b->stopping[b->n_stopping++];
	x->pid = pid;
	x->tag = b->tag;
	x->role = role;
	snprintf(x->key, sizeof(x->key), "%s", key);
	return 0;
}

int bgp_batch_settle(struct bgp_batch *b, const char *key, enum ns_role role, struct err *e)
{
	for (unsigned i = 0; i < b->n_stopping; i++) {
		struct bgp_stopping *x = &b->stopping[i];
		int r;

		if (x->role != role || strcmp(x->key, key) != 0)
			continue;
		r = bird_stop_wait(&x->pid, 1, e);
		memmove(x, x + 1, (size_t)(b->n_stopping - i - 1) * sizeof(*x));
		b->n_stopping--;
		return r;
	}
	return 0;
}

int bgp_batch_stopped(struct bgp_batch *b, const char *state_dir, bool *tag_failed, struct err *e)
{
	pid_t *pids;
	int r = 0, k;

	if (b->n_stopping == 0)
		return 0;
	if ((pids = malloc(b->n_stopping * sizeof(*pids)))) {
		for (unsigned i = 0; i < b->n_stopping; i++)
			pids[i] = b->stopping[i].pid;
		r = bird_stop_wait(pids, b->n_stopping, e);
		free(pids);
	}
	/* Each one's files (and, without the memory to wait for them together, each one itself). */
	for (unsigned i = 0; i < b->n_stopping; i++) {
		const struct bgp_stopping *x = &b->stopping[i];
		struct bird_paths p;
		struct err fe = {0};

		if ((k = bird_paths_init(&p, state_dir, x->key, x->role, &fe)) == 0)
			k = bird_remove(&p, &fe);
		if (k < 0) {
			tag_failed[x->tag] = true;
			if (!r) {
				*e = fe;
				r = k;
			}
		}
	}
	b->n_stopping = 0;
	return r;
}
