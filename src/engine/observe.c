/* SPDX-License-Identifier: MIT */
/* What the kernel and BIRD have for a circuit, read once per namespace (one dump each). */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bgp/bird.h"
#include "core/attach.h"
#include "core/expect.h"
#include "core/names.h"
#include "core/par.h"
#include "engine/engine_int.h"

/* Is the config file BIRD was started with the one the circuit makes now? */
static bool conf_differs(const char *path, const char *want)
{
	FILE *f = fopen(path, "re");
	size_t len = strlen(want), got;
	char *buf;
	bool differs = true;

	if (!f)
		return true;
	if ((buf = malloc(len + 2))) {
		got = fread(buf, 1, len + 1, f);
		differs = got != len || memcmp(buf, want, len) != 0;
		free(buf);
	}
	fclose(f);
	return differs;
}

static int observe_vnets(struct kernel *k, const struct circuit *c, struct observed *ret, struct err *e)
{
	char ns[NS_NAME_MAX];
	int r;

	if (!c->n_vnets || !attach_ns_here(c, NS_MICROSOFT))
		return 0;
	ret->vnet_present = calloc(c->n_vnets, sizeof(*ret->vnet_present));
	ret->vnet_links = calloc(c->n_vnets, sizeof(*ret->vnet_links));
	ret->n_vnet_links = calloc(c->n_vnets, sizeof(*ret->n_vnet_links));
	if (!ret->vnet_present || !ret->vnet_links || !ret->n_vnet_links)
		return err_set(e, -ENOMEM, c->name, "out of memory");
	ret->n_vnets = c->n_vnets;
	for (unsigned i = 0; i < c->n_vnets; i++) {
		names_vnet_ns(c, &c->vnets[i], ns);
		if (!(ret->vnet_present[i] = netns_exists(k, ns)))
			continue;
		if ((r = link_dump(k, ns, &ret->vnet_links[i], &ret->n_vnet_links[i], e)) < 0)
			return r;
	}
	return 0;
}

/* In our own namespace only the circuit's own links (its bridge ports) are its business. */
static void keep_marked(const struct circuit *c, struct link_info *v, unsigned *n)
{
	char key[GUID_STRLEN];
	const char *role;
	unsigned kept = 0;

	for (unsigned j = 0; j < *n; j++)
		if (names_mark_parse(v[j].alias, key, &role) == 0 && strcmp(key, c->service_key) == 0)
			v[kept++] = v[j];
	*n = kept;
}

int observe_circuit(struct kernel *k, const struct circuit *c, const struct apply_opts *ao, bool sessions,
		    struct observed *ret, struct err *e)
{
	char ns[NS_NAME_MAX], key[GUID_STRLEN];
	const char *role;
	int r;

	memset(ret, 0, sizeof(*ret));
	for (enum ns_role i = 0; i < _NS_MAX; i++) {
		/* A side on another host is not looked for; bridge ports are in our own namespace. */
		if (!expect_link_ns(c, i, ns) || !netns_exists(k, ns))
			continue;
		ret->ns_present[i] = true;
		ret->ns_marked[i] = !attach_ns_here(c, i);   /* no lo of ours to mark */
		r = link_dump(k, ns, &ret->links[i], &ret->n_links[i], e);
		if (r < 0)
			goto fail;
		if (!attach_ns_here(c, i))
			keep_marked(c, ret->links[i], &ret->n_links[i]);
		for (unsigned j = 0; j < ret->n_links[i]; j++)
			if (strcmp(ret->links[i][j].name, "lo") == 0 &&
			    names_mark_parse(ret->links[i][j].alias, key, &role) == 0 && strcmp(key, c->service_key) == 0)
				ret->ns_marked[i] = true;
	}
	if ((r = observe_vnets(k, c, ret, e)) < 0)
		goto fail;
	for (enum ns_role i = 0; i < _NS_MAX; i++) {
		struct bird_paths p;
		char *want = NULL;

		if (!(i == NS_MICROSOFT ? c->bgp.msee : c->bgp.customer) || !attach_ns_here(c, i) ||
		    apply_bgp_conf(c, i, ao, &p, &want, NULL) < 0)
			continue;
		ret->bird_conf_differs[i] = conf_differs(p.conf, want);
		free(want);
		/* One connection: the sessions' answer also says BIRD runs; ask "runs?" alone otherwise,
		 * but not after a BIRD that did not answer in time (stopped, hung): that question would
		 * only wait out another deadline for the same silence. */
		if (sessions && i == NS_MICROSOFT) {
			int sr = bird_sessions(p.ctl, &ret->sessions, &ret->n_sessions, NULL);

			ret->bird_running[i] = sr == 0 || (sr != -ETIMEDOUT && bird_running(p.ctl));
		} else {
			ret->bird_running[i] = bird_running(p.ctl);
		}
	}
	return 0;
fail:
	observed_clear(ret);
	return r;
}

void observed_clear(struct observed *o)
{
	for (enum ns_role i = 0; i < _NS_MAX; i++)
		free(o->links[i]);
	for (unsigned i = 0; o->vnet_links && i < o->n_vnets; i++)
		free(o->vnet_links[i]);
	free(o->sessions);
	free(o->vnet_present);
	free(o->n_vnet_links);
	free(o->vnet_links);
	memset(o, 0, sizeof(*o));
}

const struct link_info *observed_link(const struct observed *o, enum ns_role role, const char *name)
{
	for (unsigned j = 0; j < o->n_links[role]; j++)
		if (strcmp(o->links[role][j].name, name) == 0)
			return &o->links[role][j];
	return NULL;
}

int engine_observe(struct engine *eng, const struct circuit *c, bool sessions, struct observed *ret,
		   struct drift *ret_drift, struct err *e)
{
	struct kernel *k;
	int r;

	memset(ret_drift, 0, sizeof(*ret_drift));
	if ((r = engine_kernel(eng, &k, e)) < 0 || (r = observe_circuit(k, c, &eng->apply, sessions, ret, e)) < 0)
		return err_system(e, r);
	if ((r = drift_compute(c, ret, ret_drift)) < 0) {
		observed_clear(ret);
		return err_set(e, r, c->name, "out of memory");
	}
	return 0;
}

/*
 * Many circuits side by side: a BIRD that makes one wait (its control socket) does not make the
 * others wait, so circuits with BIRDs get up to this many threads. Circuits without are only
 * dumps, CPU work that more threads than CPUs only make contend (for rtnl, in the qdisc dumps):
 * one thread per CPU for them (issue 18: `status` of 1,000 such circuits 10 % less CPU and 12 %
 * less time than with 16 threads).
 */
#define OBSERVE_THREADS_MAX 16

struct observe_run {
	struct engine *eng;
	const struct circuit *cs;
	bool sessions;
	struct observed *ret;
	struct drift *drift;
	struct err *errs;
	int *rs;
	struct kernel *k[OBSERVE_THREADS_MAX];
};

static void observe_one(void *ud, unsigned i, unsigned t)
{
	struct observe_run *run = ud;
	struct err *e = &run->errs[i];
	int r;

	if (!run->k[t] && (r = kernel_open(&run->k[t], e)) < 0) {
		run->rs[i] = err_system(e, r);
		return;
	}
	if ((r = observe_circuit(run->k[t], &run->cs[i], &run->eng->apply, run->sessions, &run->ret[i], e)) < 0) {
		run->rs[i] = err_system(e, r);
		return;
	}
	if ((r = drift_compute(&run->cs[i], &run->ret[i], &run->drift[i])) < 0) {
		observed_clear(&run->ret[i]);
		run->rs[i] = err_set(e, r, run->cs[i].name, "out of memory");
	}
}

int engine_observe_many(struct engine *eng, const struct circuit *cs, unsigned n, bool sessions,
			struct observed *ret, struct drift *ret_drift, int *ret_r, struct err *ret_errs)
{
	struct observe_run run = { eng, cs, sessions, ret, ret_drift, ret_errs, ret_r, { NULL } };
	unsigned threads = par_cpus(OBSERVE_THREADS_MAX);

	for (unsigned i = 0; i < n; i++) {
		if (cs[i].bgp.msee || cs[i].bgp.customer)
			threads = OBSERVE_THREADS_MAX;
		memset(&ret[i], 0, sizeof(ret[i]));
		memset(&ret_drift[i], 0, sizeof(ret_drift[i]));
		memset(&ret_errs[i], 0, sizeof(ret_errs[i]));
		ret_r[i] = 0;
	}
	par_for(n, n < threads ? n : threads, 0, observe_one, &run);
	for (unsigned t = 0; t < OBSERVE_THREADS_MAX; t++)
		kernel_close(run.k[t]);
	return 0;
}

int engine_ns_of(const struct circuit *c, const char *side, char *buf, size_t len, struct err *e)
{
	char ns[NS_NAME_MAX];

	if (strcmp(side, "customer") == 0) {
		names_ns(c, NS_CUSTOMER, ns);
	} else if (strcmp(side, "microsoft") == 0) {
		names_ns(c, NS_MICROSOFT, ns);
	} else {
		unsigned i;

		for (i = 0; i < c->n_vnets && strcmp(c->vnets[i].name, side) != 0; i++)
			;
		if (i == c->n_vnets)
			return err_set(e, -ENOENT, side, "no such side or VNet of circuit %s: use customer, microsoft "
				       "or a linked VNet's name", c->name);
		names_vnet_ns(c, &c->vnets[i], ns);
	}
	snprintf(buf, len, "%s", ns);
	return 0;
}

int engine_links(struct engine *eng, const char *ns, struct link_info **ret, unsigned *ret_n, struct err *e)
{
	struct kernel *k;
	int r = engine_kernel(eng, &k, e);

	return err_system(e, r < 0 ? r : link_dump(k, ns, ret, ret_n, e));
}

int engine_neighbors(struct engine *eng, const char *ns, struct neigh_info **ret, unsigned *ret_n, struct err *e)
{
	struct kernel *k;
	int r = engine_kernel(eng, &k, e);

	return err_system(e, r < 0 ? r : neigh_dump(k, ns, ret, ret_n, e));
}

/* The control socket of c's BIRD on side role (the Microsoft edge or the customer router), when
 * it runs one. */
static int bird_ctl_of(struct engine *eng, const struct circuit *c, enum ns_role role, struct bird_paths *p)
{
	if (!(role == NS_MICROSOFT ? c->bgp.msee : role == NS_CUSTOMER && c->bgp.customer) ||
	    bird_paths_init(p, eng->o.state_dir, c->service_key, role, NULL) < 0 || !bird_running(p->ctl))
		return -ENOENT;
	return 0;
}

int engine_bgp_sessions(struct engine *eng, const struct circuit *c, enum ns_role role, struct bird_session **ret,
			unsigned *ret_n, struct err *e)
{
	struct bird_paths p;
	int r = bird_ctl_of(eng, c, role, &p);

	return r < 0 ? r : bird_sessions(p.ctl, ret, ret_n, e);
}

int engine_bgp_routes(struct engine *eng, const struct circuit *c, const char *session, struct bird_route **ret,
		      unsigned *ret_n, struct err *e)
{
	struct bird_paths p;
	int r = bird_ctl_of(eng, c, NS_MICROSOFT, &p);

	return r < 0 ? r : bird_routes(p.ctl, session, false, ret, ret_n, e);
}

int engine_enter(struct engine *eng, const char *ns, struct err *e)
{
	struct kernel *k;
	int r = engine_kernel(eng, &k, e);

	return r < 0 ? r : kernel_enter_ns(k, ns, e);
}
