/* SPDX-License-Identifier: MIT */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <time.h>
#include <unistd.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "bgp/bird.h"
#include "core/attach.h"
#include "core/names.h"
#include "core/plan.h"
#include "engine/engine_int.h"

/* The state file text of a circuit: two circuits need no state change when these are equal. */
static char *state_text(const struct circuit *c)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);

	if (!f)
		return NULL;
	circuit_write_ini(c, f);
	fclose(f);
	return buf;
}

/* The state's circuits by name, case-insensitively, and among equal names in their order. */
static int by_name_ci(const void *a, const void *b)
{
	const struct circuit *x = *(const struct circuit *const *)a, *y = *(const struct circuit *const *)b;
	int d = strcasecmp(x->name, y->name);

	return d ? d : (x > y) - (x < y);
}

/* The first circuit of that name, in idx (sorted by by_name_ci): one lookup per lab circuit, not a
 * scan of the state's, which made `up` of a 10,000-circuit lab that is up quadratic. */
static const struct circuit *find_name(const struct circuit *const *idx, unsigned n, const char *name)
{
	unsigned lo = 0, hi = n;

	while (lo < hi) {
		unsigned mid = lo + (hi - lo) / 2;

		if (strcasecmp(idx[mid]->name, name) < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo < n && strcasecmp(idx[lo]->name, name) == 0 ? idx[lo] : NULL;
}

/* A dry run: the steps from -> to, one event each. */
static void report_plan(struct engine *eng, const struct circuit *from, const struct circuit *to)
{
	struct plan p;
	char desc[256];

	plan_init(&p);
	if (plan_circuit(&p, from, to) == 0)
		for (unsigned i = 0; i < p.n; i++)
			engine_emit(eng, ENGINE_PLAN_STEP, step_op_name(p.steps[i].op), to ? to->name : from->name,
				    step_describe(&p.steps[i], desc, sizeof(desc)));
	plan_clear(&p);
}

/* Build the target circuit for lab circuit l (key and datapath settled). */
static int target_of(struct engine *eng, const struct lab *lab, const struct circuit *l, const struct circuit *old,
		     struct circuit *ret, struct err *e)
{
	enum datapath want = eng->o.datapath != DATAPATH_AUTO ? eng->o.datapath : lab->datapath;
	int r;

	if ((r = circuit_copy(ret, l)) < 0)
		return err_set(e, r, l->name, "out of memory");
	ret->bgp.msee = lab->bgp.msee;
	ret->bgp.customer = lab->bgp.customer;
	memcpy(ret->bgp.bird_path, lab->bgp.bird_path, sizeof(ret->bgp.bird_path));
	if (lab->bgp.n_prefixes) {
		ret->bgp.prefixes = malloc(lab->bgp.n_prefixes * sizeof(*ret->bgp.prefixes));
		if (!ret->bgp.prefixes)
			return err_set(e, -ENOMEM, l->name, "out of memory");
		memcpy(ret->bgp.prefixes, lab->bgp.prefixes,
		       lab->bgp.n_prefixes * sizeof(*ret->bgp.prefixes));
		ret->bgp.n_prefixes = lab->bgp.n_prefixes;
	}
	/* The side this host builds (core/attach.h): asked for, else as recorded, else Microsoft's. */
	if (attach_kind_of(ret) == ATTACH_REMOTE)
		ret->side = lab->side_given ? lab->side : old ? old->side : SIDE_MICROSOFT;
	if (!ret->service_key[0]) {
		if (old)
			memcpy(ret->service_key, old->service_key, sizeof(ret->service_key));
		else if ((r = guid_generate(ret->service_key)) < 0)
			return err_set(e, r, l->name, "cannot generate a service key");
	}
	if (old && want == DATAPATH_AUTO) {
		ret->datapath = old->datapath;
		return 0;
	}
	return engine_datapath(eng, want, &ret->datapath, e);
}

/* A lab circuit's change, once committed: what converge_up says of it, and how to take it back. */
struct up_done {
	const char *verb;        /* "created", "changed", "repaired"; NULL: not committed */
	bool rebuilt;            /* repaired: removed, then made anew */
	bool said;               /* its result was emitted (before any BIRD was launched) */
	char *why;               /* the drift repaired, when its saying waits (heap, or "") */
};

/*
 * After the lab's circuits (r: how their loop ended): wait for every BIRD they launched. When all
 * answer, each committed circuit is said ("created ..."), in order. When one does not, `up` ends
 * as it would have had it waited in that BIRD's step: that circuit's change and every change
 * committed after it are taken back, newest first, each as a transaction of its own (docs/bgp.md,
 * "Starting, reconfiguring and stopping BIRD"), and the error is that BIRD's.
 */
static int bgp_settle(struct engine *eng, const struct lab *lab, const struct circuit *const *olds,
		      struct up_done *done, struct bgp_batch *batch, int r, struct err *e)
{
	struct err be = {0};
	unsigned k = 0;

	/* From here each BIRD is waited for in its step: the takings back below stop theirs at once. */
	batch->launch = false;
	if (bgp_batch_wait(batch, &k, &be) < 0) {
		for (unsigned j = lab->n_circuits; j-- > k;) {
			struct circuit cur;
			struct err ue = {0};
			char text[1500], buf[1400];

			if (!done[j].verb)
				continue;
			circuit_init(&cur);
			if (store_find(&eng->store, lab->circuits[j].name, &cur, &ue) < 0 ||
			    op_commit(eng, &cur, done[j].rebuilt ? NULL : olds[j], &ue) < 0) {
				snprintf(text, sizeof(text), "could not take back its change: %s",
					 err_format(&ue, buf, sizeof(buf)));
				engine_emit(eng, ENGINE_WARNING, NULL, lab->circuits[j].name, text);
			}
			circuit_clear(&cur);
			done[j].verb = NULL;
		}
		*e = be;
		r = be.errnum;
	}
	for (unsigned j = 0; j < lab->n_circuits; j++)
		if (done[j].verb && !done[j].said)
			engine_emit(eng, ENGINE_RESULT, done[j].verb, lab->circuits[j].name,
				    done[j].why && done[j].why[0] ? done[j].why : NULL);
	return r;
}

int converge_up(struct engine *eng, const struct lab *lab, bool dry_run, unsigned *ret_changed, struct err *e)
{
	struct circuit *all = NULL, target;
	const struct circuit **olds = NULL;   /* per lab circuit: its state, NULL when new */
	const struct circuit **idx = NULL;    /* the state's circuits by name (find_name) */
	struct drift_result *drift = NULL;
	struct up_done *done = NULL;          /* per lab circuit: committed, and how */
	struct bgp_batch batch;
	struct kernel *k;
	unsigned n = 0, changed = 0;
	int r;

	*ret_changed = 0;
	circuit_init(&target);
	bgp_batch_init(&batch, true, false);
	if ((r = engine_lock(eng, !dry_run, e)) < 0 || (r = store_list(&eng->store, &all, &n, e)) < 0)
		return r;
	if (!(olds = calloc(lab->n_circuits ? lab->n_circuits : 1, sizeof(*olds))) ||
	    !(drift = calloc(lab->n_circuits ? lab->n_circuits : 1, sizeof(*drift))) ||
	    !(done = calloc(lab->n_circuits ? lab->n_circuits : 1, sizeof(*done)))) {
		r = err_set(e, -ENOMEM, lab->path, "out of memory");
		goto out;
	}
	if (!(idx = calloc(n ? n : 1, sizeof(*idx)))) {
		r = err_set(e, -ENOMEM, lab->path, "out of memory");
		goto out;
	}
	for (unsigned i = 0; i < n; i++)
		idx[i] = &all[i];
	qsort(idx, n, sizeof(*idx), by_name_ci);
	for (unsigned i = 0; i < lab->n_circuits; i++)
		olds[i] = find_name(idx, n, lab->circuits[i].name);
	free(idx);
	idx = NULL;

	/* Refuse clashes before anything changes: a lab's name belongs to one file at a time, and a
	 * circuit to the lab that made it. */
	for (unsigned i = 0; i < n; i++)
		if (all[i].lab && strcmp(all[i].lab, lab->name) == 0 && all[i].lab_file &&
		    strcmp(all[i].lab_file, lab->path) != 0) {
			r = err_set(e, -EEXIST, lab->path, "lab '%s' is up from another file, %s", lab->name,
				    all[i].lab_file);
			err_detail(e, "take it down first (erlab down %s), or give this file another [lab] name",
				   lab->name);
			goto out;
		}
	for (unsigned i = 0; i < lab->n_circuits; i++) {
		const struct circuit *old = olds[i];

		if (old && (!old->lab || strcmp(old->lab, lab->name) != 0)) {
			if (old->lab)
				r = err_set(e, -EEXIST, lab->circuits[i].name,
					    "circuit '%s' exists and was not made by this lab (made by lab '%s', %s)",
					    old->name, old->lab, old->lab_file ? old->lab_file : "");
			else
				r = err_set(e, -EEXIST, lab->circuits[i].name,
					    "circuit '%s' exists and was not made by this lab (made by hand)", old->name);
			goto out;
		}
	}
	/*
	 * The drift of every circuit that exists already, checked up front from one thread per CPU:
	 * on a lab that is up, that is most of up's work. One the scan left DRIFT_UNKNOWN is checked
	 * again below, in order, where an error stops the run.
	 */
	drift_scan(&eng->apply, olds, lab->n_circuits, drift);

	/* The lab's BIRDs start side by side: each circuit's transaction launches its BIRDs, and
	 * all of them are waited for once the circuits are done (bgp_settle). */
	if (!dry_run)
		eng->apply.bgp = &batch;
	for (unsigned i = 0; i < lab->n_circuits; i++) {
		const struct circuit *l = &lab->circuits[i];
		const struct circuit *old = olds[i];
		char why[300] = "";

		/* The customer host builds the customer side of remote circuits, nothing else. */
		if (lab->side_given && lab->side == SIDE_CUSTOMER && attach_kind_of(l) != ATTACH_REMOTE)
			continue;

		/* Stopped: the circuits done stay done, each its own transaction. */
		if (!dry_run && (r = engine_interrupted(e)) < 0)
			goto settle;

		if (!dry_run)
			engine_progress(eng, i, lab->n_circuits);
		char *a = NULL, *b = NULL;
		bool state_differs, rebuild = false;
		struct plan p;

		circuit_clear(&target);
		if ((r = target_of(eng, lab, l, old, &target, e)) < 0)
			goto settle;
		if (old) {
			if (drift[i].state == DRIFT_YES) {
				snprintf(why, sizeof(why), "%s", drift[i].why);
				r = 1;
			} else if (drift[i].state == DRIFT_NO) {
				r = 0;
			} else if ((r = engine_kernel(eng, &k, e)) < 0 ||
				   (r = drift_check(k, old, &eng->apply, why, sizeof(why), e)) < 0) {
				goto settle;
			}
			rebuild = r > 0 || strcmp(old->service_key, target.service_key) != 0;
		}
		a = old ? state_text(old) : NULL;
		b = state_text(&target);
		state_differs = !old || !a || !b || strcmp(a, b) != 0;
		free(a);
		free(b);
		plan_init(&p);
		plan_circuit(&p, old, &target);
		if (!rebuild && !state_differs && p.n == 0) {
			plan_clear(&p);
			continue;
		}
		plan_clear(&p);
		changed++;
		if (dry_run) {
			char text[CIRCUIT_NAME_MAX + 64];

			engine_emit(eng, ENGINE_PLAN, !old ? "create" : rebuild ? "repair" : "change", target.name,
				    why[0] ? why : NULL);
			report_plan(eng, rebuild ? NULL : old, &target);
			if (!rebuild && old && state_differs)
				engine_emit(eng, ENGINE_PLAN_STEP, "state_update", target.name,
					    err_fmt(text, sizeof(text), "update the recorded settings of %s", target.name));
			continue;
		}
		batch.tag = i;
		if (rebuild && (r = op_commit(eng, old, NULL, e)) < 0)
			goto settle;
		if ((r = op_commit(eng, rebuild ? NULL : old, &target, e)) < 0)
			goto settle;
		done[i].rebuilt = rebuild;
		done[i].verb = !old ? "created" : rebuild ? "repaired" : "changed";
		/* Said once its BIRDs answer (bgp_settle), so that nothing said is taken back. */
		if ((done[i].said = batch.n_launched == 0))
			engine_emit(eng, ENGINE_RESULT, done[i].verb, target.name, why[0] ? why : NULL);
		else if (why[0] && !(done[i].why = strdup(why)))
			done[i].why = (char *)"";
	}

	if (!dry_run)
		engine_progress(eng, lab->n_circuits, lab->n_circuits);
settle:
	if ((r = bgp_settle(eng, lab, olds, done, &batch, r, e)) < 0)
		goto out;
	/* What this lab made and no longer declares. */
	for (unsigned i = 0; i < n; i++) {
		bool declared = false;

		if (!all[i].lab || strcmp(all[i].lab, lab->name) != 0)
			continue;
		/* A shard's run removes only what its own shard no longer declares. */
		if (lab->shard_n && shard_of(all[i].name, lab->shard_n) != lab->shard_k)
			continue;
		for (unsigned j = 0; j < lab->n_circuits; j++)
			declared |= strcasecmp(lab->circuits[j].name, all[i].name) == 0;
		if (declared)
			continue;
		changed++;
		if (dry_run) {
			engine_emit(eng, ENGINE_PLAN, "remove", all[i].name, NULL);
			report_plan(eng, &all[i], NULL);
			continue;
		}
		if ((r = op_commit(eng, &all[i], NULL, e)) < 0)
			goto out;
		engine_emit(eng, ENGINE_RESULT, "removed", all[i].name, NULL);
	}
	*ret_changed = changed;
	r = 0;
out:
	eng->apply.bgp = NULL;
	bgp_batch_free(&batch);
	for (unsigned i = 0; done && i < lab->n_circuits; i++)
		if (done[i].why && done[i].why[0])
			free(done[i].why);
	free(done);
	free(drift);
	free(idx);
	free(olds);
	circuit_clear(&target);
	circuit_list_free(all, n);
	return r;
}

/*
 * Read the ownership marks of the namespaces of circuits list[0..n) in batches, before removing
 * them (netns_marks_load). Best effort: without it each check asks alone.
 */
static void prefetch_marks(struct engine *eng, struct circuit *const *list, unsigned n)
{
	char (*names)[NS_NAME_MAX] = NULL;
	char **v = NULL;
	struct kernel *k;
	unsigned count = 0, cap = 0;

	for (unsigned i = 0; i < n; i++)
		cap += _NS_MAX + list[i]->n_vnets;
	if (cap == 0 || engine_kernel(eng, &k, NULL) < 0 || !(names = calloc(cap, sizeof(*names))) ||
	    !(v = calloc(cap, sizeof(*v))))
		goto out;
	for (unsigned i = 0; i < n; i++)
		for (unsigned j = 0; names_circuit_ns(list[i], j, names[count]); j++) {
			v[count] = names[count];
			count++;
		}
	netns_marks_load(k, v, count);
out:
	free(v);
	free(names);
}

/* Whether any namespace of c is still there. */
static bool circuit_ns_left(struct kernel *k, const struct circuit *c)
{
	char ns[NS_NAME_MAX];

	for (unsigned j = 0; names_circuit_ns(c, j, ns); j++)
		if (netns_exists(k, ns))
			return true;
	return false;
}

/*
 * Remove circuits together (issue 7). Each circuit's plan runs with its namespace removals
 * recorded and its BIRDs asked to stop (bgp_batch.c), then every BIRD is waited for at once, then
 * netns_del_flush removes the namespaces all at once (its unmounts overlap: netns_bulk.c),
 * then the state files go, each only once all of its circuit's namespaces have. A circuit whose
 * plan fails is undone and keeps its state file; the circuits before it are removed, as they would
 * be one by one, and with keep_going so are the ones after it. A state file that cannot be deleted
 * stays, with its namespaces gone: the next down or up finishes it. Returns the first failure.
 */
static int remove_bulk(struct engine *eng, struct circuit *const *list, unsigned n, bool keep_going,
		       unsigned *ret_removed, struct err *e)
{
	bool *applied = calloc(n ? n : 1, sizeof(*applied)), *bird_failed = calloc(n ? n : 1, sizeof(*bird_failed));
	struct kernel *k = NULL;
	struct err fe = {0};
	struct bgp_batch batch;
	unsigned removed = 0;
	int r, first = 0, flushed = 0;

	if (!applied || !bird_failed) {
		free(applied);
		free(bird_failed);
		return err_set(e, -ENOMEM, "down", "out of memory");
	}
	bgp_batch_init(&batch, false, true);
	eng->apply.bgp = &batch;
	eng->apply.defer_netns_del = true;
	for (unsigned i = 0; i < n; i++) {
		struct err ce = {0};

		batch.tag = i;
		if ((r = op_remove_apply(eng, list[i], &ce)) == 0) {
			applied[i] = true;
			continue;
		}
		if (!first) {
			*e = ce;
			first = r;
		}
		/* Stopped by a signal: the circuits removed so far go, the rest stay. */
		if (!keep_going || r == -EINTR)
			break;
	}
	eng->apply.defer_netns_del = false;
	eng->apply.bgp = NULL;
	/*
	 * Every BIRD asked to stop is waited for together, and its files go. One that cannot be stopped
	 * (it survives SIGKILL) keeps its circuit's state file, so that the next down tries again.
	 */
	if ((r = bgp_batch_stopped(&batch, eng->o.state_dir, bird_failed, &fe)) < 0 && !first) {
		*e = fe;
		first = r;
	}
	bgp_batch_free(&batch);
	for (unsigned i = 0; i < n; i++)
		applied[i] = applied[i] && !bird_failed[i];
	if (engine_kernel(eng, &k, NULL) == 0 && (flushed = err_system(&fe, netns_del_flush(k, &fe))) < 0 && !first) {
		*e = fe;
		first = flushed;
	}
	for (unsigned i = 0; i < n; i++) {
		struct err se = {0};

		if (!applied[i] || (flushed < 0 && circuit_ns_left(k, list[i])))
			continue;
		if ((r = store_unlink(&eng->store, list[i]->name, &se)) < 0 && r != -ENOENT) {
			if (!first) {
				*e = se;
				first = r;
			}
			continue;
		}
		removed++;
		engine_emit(eng, ENGINE_REMOVED, "circuit", list[i]->name, NULL);
	}
	*ret_removed += removed;
	/* One directory fsync for all of them (0.26 ms each on this machine's disk). */
	if (removed && (r = store_sync(&eng->store, &fe)) < 0 && !first) {
		*e = fe;
		first = r;
	}
	free(bird_failed);
	free(applied);
	return first;
}

/* "classic (/x/labs/classic.ini), bgp (/y/bgp.ini)": the labs that are up, each once. */
static void labs_text(const struct circuit *all, unsigned n, char *buf, size_t size)
{
	size_t used = 0;

	buf[0] = '\0';
	for (unsigned i = 0; i < n && used < size; i++) {
		bool seen = false;

		if (!all[i].lab)
			continue;
		for (unsigned j = 0; j < i && !seen; j++)
			seen = all[j].lab && strcmp(all[j].lab, all[i].lab) == 0;
		if (seen)
			continue;
		used += (size_t)snprintf(buf + used, size - used, "%s%s (%s)", used ? ", " : "", all[i].lab,
					 all[i].lab_file ? all[i].lab_file : "?");
	}
}

int converge_down(struct engine *eng, const char *name, const char *abs_path, unsigned shard_k, unsigned shard_n,
		  unsigned *ret_removed, struct err *e)
{
	const char *what = name ? name : abs_path;
	struct circuit *all = NULL, **list = NULL;
	unsigned n = 0, m = 0;
	int r;

	*ret_removed = 0;
	if ((r = engine_lock(eng, true, e)) < 0 || (r = store_list(&eng->store, &all, &n, e)) < 0)
		return r;
	if (!(list = calloc(n ? n : 1, sizeof(*list)))) {
		r = err_set(e, -ENOMEM, what, "out of memory");
		goto out;
	}
	for (unsigned i = 0; i < n; i++)
		if (all[i].lab && (name ? strcmp(all[i].lab, name) == 0 : all[i].lab_file && strcmp(all[i].lab_file, abs_path) == 0) &&
		    (!shard_n || shard_of(all[i].name, shard_n) == shard_k))
			list[m++] = &all[i];
	if (m == 0) {
		char labs[400];

		labs_text(all, n, labs, sizeof(labs));
		r = err_set(e, -ENOENT, what, shard_n ? "no circuit of that shard is up" :
			    name ? "no lab of that name is up" : "no lab was brought up from this file");
		if (labs[0])
			err_detail(e, "labs that are up: %s", labs);
		else
			err_detail(e, "no lab is up");
		goto out;
	}
	prefetch_marks(eng, list, m);
	r = remove_bulk(eng, list, m, false, ret_removed, e);
out:
	free(list);
	circuit_list_free(all, n);
	return r;
}

/* A namespace is an orphan of erlab's when its lo carries an erlab mark. */
static int sweep_orphans(struct engine *eng, unsigned *ret_removed, struct err *e)
{
	struct kernel *k;
	char **names = NULL;
	unsigned n = 0;
	int r;

	if ((r = engine_kernel(eng, &k, e)) < 0)
		return r;
	if ((r = netns_list(k, &names, &n)) < 0)
		return err_set(e, r, KERNEL_NETNS_DIR, "cannot list namespaces");
	for (unsigned i = 0; i < n; i++) {
		char alias[MARK_MAX + 64], key[GUID_STRLEN];
		const char *role;
		bool ours;

		if (netns_mark_get(k, names[i], alias, sizeof(alias), NULL) < 0)
			continue;
		ours = names_mark_parse(alias, key, &role) == 0;
		/* Recorded when it can be (a state dir that is unusable cannot record it). */
		if (ours && eng->store_open)
			store_netns_intent(&eng->store, names[i], NULL);
		if (ours && netns_del(k, names[i], e) == 0) {
			(*ret_removed)++;
			engine_emit(eng, ENGINE_REMOVED, "namespace", names[i], NULL);
		}
	}
	netns_list_free(names, n);
	return 0;
}

/*
 * Stop every BIRD of this state dir still running (its namespace or state may be gone already):
 * bird_pid_is_ours knows them by their config file, bird_kill stops one; then their files go.
 */
static void sweep_birds(struct engine *eng, const char *state_dir, unsigned *ret_removed)
{
	DIR *d = opendir("/proc");
	struct dirent *de;

	if (!d)
		return;
	while ((de = readdir(d))) {
		char *end;
		long pid = strtol(de->d_name, &end, 10);

		if (*end || pid <= 1 || !bird_pid_is_ours((pid_t)pid, state_dir))
			continue;
		bird_kill((pid_t)pid, NULL);
		(*ret_removed)++;
		engine_emit(eng, ENGINE_REMOVED, "bird", de->d_name, NULL);
	}
	closedir(d);
	bird_sweep_files(state_dir, NULL, NULL);
}

/* down --all: the circuits whose state files read back go into cs (*ret_m of them); a damaged
 * file is reported and deleted. Returns the first failure. */
static int read_all(struct engine *eng, char *const *names, unsigned n, struct circuit *cs, unsigned *ret_m,
		    unsigned *ret_removed, struct err *e)
{
	char buf[1400], text[1500];
	unsigned m = 0;
	int r, first = 0;

	for (unsigned i = 0; i < n; i++) {
		struct err ce = {0};

		circuit_init(&cs[m]);
		if ((r = store_find(&eng->store, names[i], &cs[m], &ce)) == 0) {
			m++;
			continue;
		}
		circuit_clear(&cs[m]);
		if (r == -ENOENT)
			continue;
		snprintf(text, sizeof(text), "%s; removing it", err_format(&ce, buf, sizeof(buf)));
		engine_emit(eng, ENGINE_WARNING, NULL, names[i], text);
		if ((r = store_delete(&eng->store, names[i], &ce)) == 0) {
			(*ret_removed)++;
			engine_emit(eng, ENGINE_REMOVED, "state_file", names[i], NULL);
		}
		else if (r != -ENOENT && !first) {
			*e = ce;
			first = r;
		}
	}
	*ret_m = m;
	return first;
}

int converge_down_all(struct engine *eng, unsigned *ret_removed, struct err *e)
{
	char **names = NULL, **ns = NULL;
	unsigned n = 0, n_ns = 0;
	struct kernel *k;
	int r, first = 0;

	*ret_removed = 0;
	/*
	 * Another erlab at work: never sweep beside it. A state dir that cannot be used (a file, a
	 * symlink, another owner, a tampered journal) still leaves the marks: sweep by them, as for a
	 * state dir that is gone, and report the state dir's problem.
	 */
	if ((r = engine_lock(eng, true, e)) == -EAGAIN)
		return r;
	if (r < 0) {
		struct err se = *e;
		int sr;

		sweep_birds(eng, eng->o.state_dir, ret_removed);
		if ((sr = sweep_orphans(eng, ret_removed, e)) < 0)
			return sr;
		*e = se;
		return r;
	}
	/* Every namespace's mark is read (the sweep below looks at each): in batches, up front. */
	if (engine_kernel(eng, &k, NULL) == 0 && netns_list(k, &ns, &n_ns) == 0) {
		netns_marks_load(k, ns, n_ns);
		netns_list_free(ns, n_ns);
	}
	/*
	 * File by file, so one damaged state file does not keep the others: a circuit that reads
	 * back is removed through its plan (all of them together, remove_bulk); a damaged one is
	 * reported and its file removed (its namespaces and BIRD go with the sweeps below, by their
	 * marks).
	 */
	if (store_names(&eng->store, &names, &n, NULL) == 0) {
		struct circuit *cs = calloc(n ? n : 1, sizeof(*cs));
		struct circuit **list = calloc(n ? n : 1, sizeof(*list));
		struct err be = {0};
		unsigned m = 0;

		if (!cs || !list) {
			first = err_set(e, -ENOMEM, "down --all", "out of memory");
		} else {
			first = read_all(eng, names, n, cs, &m, ret_removed, e);
			for (unsigned i = 0; i < m; i++)
				list[i] = &cs[i];
			if ((r = remove_bulk(eng, list, m, true, ret_removed, &be)) < 0 && !first) {
				*e = be;
				first = r;
			}
		}
		for (unsigned i = 0; i < m; i++)
			circuit_clear(&cs[i]);
		free(list);
		free(cs);
		for (unsigned i = 0; i < n; i++)
			free(names[i]);
		free(names);
	}
	/* Stopped: no sweep, which would take the namespaces of circuits whose state is still there. */
	if (first == -EINTR)
		return first;
	sweep_birds(eng, eng->o.state_dir, ret_removed);
	r = sweep_orphans(eng, ret_removed, e);
	return first ? first : r;
}
