/* SPDX-License-Identifier: MIT */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "core/names.h"
#include "core/plan.h"
#include "core/validate.h"
#include "engine/ops.h"

void ctx_init(struct ctx *x)
{
	memset(x, 0, sizeof(*x));
	x->state_dir = STATE_DIR_DEFAULT;
	x->datapath = DATAPATH_AUTO;
	x->out = stdout;
	x->log = stderr;
	x->store.dirfd = x->store.circuitsfd = x->store.lockfd = -1;
	x->apply.state_dir = x->state_dir;
}

void ctx_done(struct ctx *x)
{
	if (x->kernel)
		kernel_close(x->kernel);
	if (x->store_open)
		store_close(&x->store);
	x->kernel = NULL;
	x->store_open = false;
}

/*
 * A command killed mid-transaction left the journal open: put the kernel back to the circuit as it
 * was recorded before (remove what exists of it, rebuild the recorded one) and restore its state.
 */
static int recover(struct ctx *x)
{
	struct circuit from, to;
	bool has_from, has_to;
	struct err e = {0};
	struct kernel *k;
	struct plan p;
	int r;

	circuit_init(&from);
	circuit_init(&to);
	plan_init(&p);
	r = store_journal_read(&x->store, &from, &has_from, &to, &has_to, &e);
	if (r == -ENOENT)
		return 0;
	if (r < 0)
		goto out;
	if (has_to)
		r = plan_circuit(&p, &to, NULL);
	if (r == 0 && has_from && (!has_to || strcmp(from.service_key, to.service_key) != 0))
		r = plan_circuit(&p, &from, NULL);
	if (r == 0 && has_from)
		r = plan_circuit(&p, NULL, &from);
	if (r < 0) {
		err_set(&e, r, "journal", "out of memory");
		goto out;
	}
	if ((r = ctx_kernel(x, &k, &e)) < 0 || (r = apply_plan(k, &p, &x->apply, &e)) < 0)
		goto out;
	if (has_from)
		r = store_save(&x->store, &from, &e);
	else if ((r = store_delete(&x->store, to.name, &e)) == -ENOENT)
		r = 0;
	if (r == 0 && x->verbosity >= 0)
		fprintf(x->log, "erlab: notice: %s was interrupted by a previous command; rolled back to its "
			"recorded state\n", has_from ? from.name : to.name);
out:
	if (r < 0 && r != -ENOENT) {
		char buf[1400];

		fprintf(x->log, "erlab: recovering an interrupted operation failed: %s\n", err_format(&e, buf, sizeof(buf)));
	}
	store_journal_end(&x->store, NULL);
	plan_clear(&p);
	circuit_clear(&to);
	circuit_clear(&from);
	return 0;
}

int ctx_lock(struct ctx *x, bool exclusive, struct err *e)
{
	int r;

	if (!x->store_open) {
		r = store_open(&x->store, x->state_dir, e);
		if (r < 0)
			return r;
		x->store_open = true;
	}
	if (x->locked && (x->locked_exclusive || !exclusive))
		return 0;
	r = store_lock(&x->store, exclusive, x->wait, e);
	if (r < 0)
		return r;
	x->locked = true;
	x->locked_exclusive = exclusive;
	/* SPEC §8: the next command, a read too, finishes a killed one's work: it takes the lock for
	 * that (a writer holds it exclusively, so a journal seen under ours is a leftover). */
	if (!exclusive && store_journal_pending(&x->store))
		return ctx_lock(x, true, e);
	return exclusive ? recover(x) : 0;
}

int ctx_kernel(struct ctx *x, struct kernel **ret, struct err *e)
{
	int r;

	if (!x->kernel) {
		r = kernel_open(&x->kernel, e);
		if (r < 0)
			return r;
	}
	*ret = x->kernel;
	return 0;
}

int ctx_datapath(struct ctx *x, enum datapath want, enum datapath *ret, struct err *e)
{
	struct kernel *k;
	struct err pe = {0};
	int r;

	if (want == DATAPATH_VETH) {
		*ret = DATAPATH_VETH;
		return 0;
	}
	if (x->vlan_support == 0) {
		if ((r = ctx_kernel(x, &k, e)) < 0)
			return r;
		r = probe_vlan(k, &pe);
		if (r < 0 && r != -EOPNOTSUPP)
			return err_set(e, r, "802.1Q probe", "could not probe for VLAN support: %s", pe.msg);
		x->vlan_support = r == 0 ? 1 : -1;
	}
	if (x->vlan_support > 0) {
		*ret = DATAPATH_VLAN;
		return 0;
	}
	if (want == DATAPATH_VLAN) {
		err_set(e, -EOPNOTSUPP, "--datapath vlan",
			"this kernel has no 802.1Q VLAN support (CONFIG_VLAN_8021Q)");
		err_detail(e, "%s%sload it with `modprobe 8021q`, or use --datapath veth",
			   pe.detail, pe.detail[0] ? "; " : "");
		return -EOPNOTSUPP;
	}
	if (x->verbosity >= 0)
		fprintf(x->log, "erlab: notice: no 802.1Q VLAN support in this kernel (modprobe 8021q); "
			"using the veth datapath\n");
	*ret = DATAPATH_VETH;
	return 0;
}

int op_commit(struct ctx *x, const struct circuit *from, const struct circuit *to, struct err *e)
{
	struct plan p;
	struct kernel *k = NULL;
	int r;

	plan_init(&p);
	r = plan_circuit(&p, from, to);
	if (r < 0) {
		err_set(e, r, to ? to->name : from->name, "out of memory while planning");
		goto out;
	}
	if (p.n > 0) {
		if ((r = ctx_kernel(x, &k, e)) < 0)
			goto out;
		/*
		 * A removal needs no journal: interrupted, it leaves the state file and part of the
		 * namespaces, and the next remove, down or up finishes it (a missing namespace is fine).
		 */
		if (to && (r = store_journal_begin(&x->store, from, to, e)) < 0)
			goto out;
		if ((r = apply_plan(k, &p, &x->apply, e)) < 0)
			goto end;
	}
	r = to ? store_save(&x->store, to, e) : store_delete(&x->store, from->name, e);
	if (r == -ENOENT && !to)
		r = 0;
	if (r < 0 && p.n > 0) {
		/* The kernel changed but the state could not follow: put the kernel back. */
		struct plan back;
		struct err be = {0};

		plan_init(&back);
		if (plan_circuit(&back, to, from) == 0)
			apply_plan(k, &back, &x->apply, &be);
		plan_clear(&back);
	}
end:
	if (p.n > 0 && to)
		store_journal_end(&x->store, NULL);
out:
	plan_clear(&p);
	return r;
}

int op_remove_apply(struct ctx *x, const struct circuit *c, struct err *e)
{
	struct plan p;
	struct kernel *k;
	int r;

	plan_init(&p);
	if ((r = plan_circuit(&p, c, NULL)) < 0)
		err_set(e, r, c->name, "out of memory while planning");
	else if (p.n > 0 && (r = ctx_kernel(x, &k, e)) == 0)
		r = apply_plan(k, &p, &x->apply, e);
	plan_clear(&p);
	return r;
}

/* Load a circuit for a mutation (exclusive lock). */
static int load(struct ctx *x, const char *id, bool exclusive, struct circuit *ret, struct err *e)
{
	int r = ctx_lock(x, exclusive, e);

	if (r < 0)
		return r;
	return store_find(&x->store, id, ret, e);
}

int op_circuit_get(struct ctx *x, const char *id, struct circuit *ret, struct err *e)
{
	return load(x, id, false, ret, e);
}

int op_circuit_list(struct ctx *x, struct circuit **ret, unsigned *ret_n, struct err *e)
{
	int r = ctx_lock(x, false, e);

	if (r < 0)
		return r;
	return store_list(&x->store, ret, ret_n, e);
}

int op_circuit_new(struct ctx *x, struct circuit *c, struct err *e)
{
	struct circuit other;
	int r;

	if ((r = ctx_lock(x, true, e)) < 0)
		return r;
	if (names_check_circuit(c->name) < 0 || !c->name[0])
		return validate_circuit(c, e) < 0 ? -EINVAL : err_set(e, -EINVAL, c->name, "invalid circuit name");
	if (store_name_taken(&x->store, c->name))
		return err_set(e, -EEXIST, c->name, "The circuit with name '%s' already exists.", c->name);
	if (c->service_key[0]) {
		circuit_init(&other);
		r = store_find(&x->store, c->service_key, &other, NULL);
		circuit_clear(&other);
		if (r == 0)
			return err_set(e, -EEXIST, c->service_key,
				       "The service key '%s' is already used by another circuit.", c->service_key);
	} else if ((r = guid_generate(c->service_key)) < 0) {
		return err_set(e, r, c->name, "cannot generate a service key");
	}
	if ((r = validate_circuit(c, e)) < 0)
		return r;
	if ((r = ctx_datapath(x, c->datapath != DATAPATH_AUTO ? c->datapath : x->datapath, &c->datapath, e)) < 0)
		return r;
	return op_commit(x, NULL, c, e);
}

/* The common shape of every mutation: load, copy, let `change` edit the copy, commit. */
typedef int (*change_fn)(struct ctx *x, const struct circuit *old, struct circuit *new, const void *arg,
			 struct err *e);

static int mutate(struct ctx *x, const char *id, change_fn change, const void *arg, struct err *e)
{
	struct circuit old, new;
	int r;

	circuit_init(&old);
	circuit_init(&new);
	if ((r = load(x, id, true, &old, e)) < 0)
		goto out;
	if ((r = circuit_copy(&new, &old)) < 0) {
		err_set(e, r, old.name, "out of memory");
		goto out;
	}
	if ((r = change(x, &old, &new, arg, e)) < 0)
		goto out;
	r = op_commit(x, &old, r == 1 ? NULL : &new, e);
out:
	circuit_clear(&new);
	circuit_clear(&old);
	return r;
}

static int change_circuit_set(struct ctx *x, const struct circuit *old, struct circuit *new, const void *arg,
			      struct err *e)
{
	const struct circuit *patch = arg;

	(void)x;
	if (patch->has & CIRCUIT_HAS_BANDWIDTH) {
		if (patch->bandwidth < old->bandwidth)
			return err_set(e, -EINVAL, old->name,
				       "Bandwidth %u is lower than %u: downgrading the bandwidth of a circuit is not supported.",
				       patch->bandwidth, old->bandwidth);
		new->bandwidth = patch->bandwidth;
	}
	if (patch->has & CIRCUIT_HAS_SKU)
		new->sku = patch->sku;
	if (patch->has & CIRCUIT_HAS_BILLING)
		new->billing = patch->billing;
	return validate_circuit(new, e);
}

int op_circuit_set(struct ctx *x, const char *id, const struct circuit *patch, struct err *e)
{
	return mutate(x, id, change_circuit_set, patch, e);
}

static int change_provision(struct ctx *x, const struct circuit *old, struct circuit *new, const void *arg,
			    struct err *e)
{
	(void)x; (void)old; (void)e;
	new->prov = *(const bool *)arg ? PROV_PROVISIONED : PROV_NOT_PROVISIONED;
	return 0;
}

int op_circuit_provision(struct ctx *x, const char *id, bool provisioned, struct err *e)
{
	return mutate(x, id, change_provision, &provisioned, e);
}

static int change_remove(struct ctx *x, const struct circuit *old, struct circuit *new, const void *arg,
			 struct err *e)
{
	int r;

	(void)x; (void)new; (void)arg;
	r = validate_can_remove_circuit(old, e);
	return r < 0 ? r : 1;   /* 1: commit to nothing */
}

int op_circuit_remove(struct ctx *x, const char *id, struct err *e)
{
	return mutate(x, id, change_remove, NULL, e);
}

/* Azure's text when circuit c has no peering of type t (what names the object asked for). */
static int peering_missing(const struct circuit *c, enum access_type t, const char *what, struct err *e)
{
	return err_set(e, -ENOENT, what, "The %s peering of circuit '%s' was not found.", access_type_lower(t),
		       c->name);
}

int op_peering_get(struct ctx *x, const char *id, enum access_type t, struct circuit *ret_c,
		   const struct peering **ret_p, struct err *e)
{
	int r = load(x, id, false, ret_c, e);

	if (r < 0)
		return r;
	if (!ret_c->peering_present[t])
		return peering_missing(ret_c, t, ret_c->name, e);
	*ret_p = &ret_c->peerings[t];
	return 0;
}

struct peering_change {
	const struct peering *patch;
	bool create;             /* new: must not exist */
	bool create_if_missing;  /* set: create when absent */
};

static int change_peering(struct ctx *x, const struct circuit *old, struct circuit *new, const void *arg,
			  struct err *e)
{
	const struct peering_change *pc = arg;
	enum access_type t = pc->patch->type;
	struct peering *p = &new->peerings[t];
	char what[160];
	int r;

	(void)x;
	snprintf(what, sizeof(what), "%s %s peering", old->name, access_type_lower(t));
	if ((r = validate_can_peer(old, e)) < 0)
		return r;
	if (old->peering_present[t] && pc->create)
		return err_set(e, -EEXIST, what, "BGP peering could not be created as it already exists.");
	if (!old->peering_present[t]) {
		if (!pc->create && !pc->create_if_missing)
			return peering_missing(old, t, what, e);
		peering_clear(p);
		peering_init(p, t);
		new->peering_present[t] = true;
	}
	if ((r = peering_merge(p, pc->patch)) < 0)
		return err_set(e, r, what, "out of memory");
	return validate_peering(new, p, e);
}

int op_peering_new(struct ctx *x, const char *id, const struct peering *p, struct err *e)
{
	struct peering_change pc = { .patch = p, .create = true };

	return mutate(x, id, change_peering, &pc, e);
}

int op_peering_set(struct ctx *x, const char *id, const struct peering *patch, bool create_if_missing,
		   struct err *e)
{
	struct peering_change pc = { .patch = patch, .create_if_missing = create_if_missing };

	return mutate(x, id, change_peering, &pc, e);
}

static int change_peering_remove(struct ctx *x, const struct circuit *old, struct circuit *new, const void *arg,
				 struct err *e)
{
	enum access_type t = *(const enum access_type *)arg;
	int r;

	(void)x;
	if ((r = validate_can_peer(old, e)) < 0)
		return r;
	if (!old->peering_present[t])
		return peering_missing(old, t, old->name, e);
	if ((r = validate_can_remove_peering(old, t, e)) < 0)
		return r;
	peering_clear(&new->peerings[t]);
	peering_init(&new->peerings[t], t);
	new->peering_present[t] = false;
	return 0;
}

int op_peering_remove(struct ctx *x, const char *id, enum access_type t, struct err *e)
{
	return mutate(x, id, change_peering_remove, &t, e);
}

int op_link_carrier(struct ctx *x, const char *id, enum link_side side, bool up, struct err *e)
{
	struct circuit c;
	struct plan p;
	struct kernel *k;
	struct step s = { .op = STEP_CARRIER_SET, .side = side, .up = up };
	int r;

	circuit_init(&c);
	plan_init(&p);
	if ((r = load(x, id, true, &c, e)) < 0)
		goto out;
	s.c = &c;
	if ((r = plan_push(&p, &s)) < 0 || (r = ctx_kernel(x, &k, e)) < 0)
		goto out;
	r = apply_plan(k, &p, &x->apply, e);
out:
	plan_clear(&p);
	circuit_clear(&c);
	return r;
}

static int change_vnet_link(struct ctx *x, const struct circuit *old, struct circuit *new, const void *arg,
			    struct err *e)
{
	const struct vnet *v = arg;
	struct vnet *grown;
	int r;

	(void)x;
	if ((r = validate_can_peer(old, e)) < 0)
		return r;
	grown = realloc(new->vnets, (new->n_vnets + 1) * sizeof(*grown));
	if (!grown)
		return err_set(e, -ENOMEM, old->name, "out of memory");
	new->vnets = grown;
	memset(&new->vnets[new->n_vnets], 0, sizeof(*grown));
	if ((r = vnet_copy(&new->vnets[new->n_vnets], v)) < 0)
		return err_set(e, r, old->name, "out of memory");
	new->n_vnets++;
	return validate_vnet(new, &new->vnets[new->n_vnets - 1], e);
}

int op_vnet_link(struct ctx *x, const char *id, const struct vnet *v, struct err *e)
{
	return mutate(x, id, change_vnet_link, v, e);
}

static int change_vnet_unlink(struct ctx *x, const struct circuit *old, struct circuit *new, const void *arg,
			      struct err *e)
{
	const char *name = arg;

	(void)x;
	for (unsigned i = 0; i < new->n_vnets; i++) {
		if (strcmp(new->vnets[i].name, name) != 0)
			continue;
		vnet_clear(&new->vnets[i]);
		memmove(&new->vnets[i], &new->vnets[i + 1], (new->n_vnets - i - 1) * sizeof(new->vnets[0]));
		new->n_vnets--;
		return 0;
	}
	return err_set(e, -ENOENT, old->name, "The virtual network '%s' is not linked to circuit '%s'.", name,
		       old->name);
}

int op_vnet_unlink(struct ctx *x, const char *id, const char *name, struct err *e)
{
	return mutate(x, id, change_vnet_unlink, name, e);
}
