/* SPDX-License-Identifier: MIT */
#include <errno.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "core/names.h"
#include "core/plan.h"
#include "core/validate.h"
#include "engine/engine_int.h"

int op_commit(struct engine *eng, const struct circuit *from, const struct circuit *to, struct err *e)
{
	bool settled = true;   /* kernel and state agree: the journal may end */
	struct plan p;
	int r;

	plan_init(&p);
	r = plan_circuit(&p, from, to);
	if (r < 0) {
		err_set(e, r, to ? to->name : from->name, "out of memory while planning");
		goto out;
	}
	if (p.n > 0) {
		/*
		 * A removal needs no journal: interrupted, it leaves the state file and part of the
		 * namespaces, and the next remove, down or up finishes it (a missing namespace is fine).
		 */
		if (to && (r = store_journal_begin(&eng->store, from, to, e)) < 0)
			goto out;
		if ((r = apply_plan(eng, &p, e)) < 0) {
			settled = !eng->undo_failed;
			goto end;
		}
	}
	r = to ? store_save(&eng->store, to, e) : store_delete(&eng->store, from->name, e);
	if (r == -ENOENT && !to)
		r = 0;
	if (r == 0 && p.n > 0 && to && eng->hooks.kill_after_save)
		raise(SIGKILL);
	if (r < 0 && p.n > 0) {
		/* The kernel changed but the state could not follow: put the kernel back. */
		struct plan back;
		struct err be = {0};

		plan_init(&back);
		settled = plan_circuit(&back, to, from) == 0 && apply_plan(eng, &back, &be) == 0;
		plan_clear(&back);
	}
end:
	/* Not settled, the journal stays: the next command puts the kernel back to `from`. */
	if (p.n > 0 && to && settled)
		store_journal_end(&eng->store, NULL);
	else if (p.n > 0 && to)
		err_detail(e, "kernel and state may disagree until the next erlab command rolls the change back");
out:
	plan_clear(&p);
	return r;
}

int op_remove_apply(struct engine *eng, const struct circuit *c, struct err *e)
{
	struct plan p;
	int r;

	plan_init(&p);
	if ((r = plan_circuit(&p, c, NULL)) < 0)
		err_set(e, r, c->name, "out of memory while planning");
	else if (p.n > 0)
		r = apply_plan(eng, &p, e);
	plan_clear(&p);
	return r;
}

/* Load a circuit for a mutation (exclusive lock). */
static int load(struct engine *eng, const char *id, bool exclusive, struct circuit *ret, struct err *e)
{
	int r = engine_lock(eng, exclusive, e);

	if (r < 0)
		return r;
	return store_find(&eng->store, id, ret, e);
}

int op_circuit_get(struct engine *eng, const char *id, struct circuit *ret, struct err *e)
{
	return load(eng, id, false, ret, e);
}

int op_circuit_list(struct engine *eng, struct circuit **ret, unsigned *ret_n, struct err *e)
{
	int r = engine_lock(eng, false, e);

	if (r < 0)
		return r;
	return store_list(&eng->store, ret, ret_n, e);
}

int op_circuit_new(struct engine *eng, struct circuit *c, struct err *e)
{
	struct circuit other;
	int r;

	if ((r = engine_lock(eng, true, e)) < 0)
		return r;
	if (names_check_circuit(c->name) < 0 || !c->name[0])
		return validate_circuit(c, e) < 0 ? -EINVAL : err_set(e, -EINVAL, c->name, "invalid circuit name");
	if (store_name_taken(&eng->store, c->name))
		return err_set(e, -EEXIST, c->name, "The circuit with name '%s' already exists.", c->name);
	if (c->service_key[0]) {
		circuit_init(&other);
		r = store_find(&eng->store, c->service_key, &other, NULL);
		circuit_clear(&other);
		if (r == 0)
			return err_set(e, -EEXIST, c->service_key,
				       "The service key '%s' is already used by another circuit.", c->service_key);
	} else if ((r = guid_generate(c->service_key)) < 0) {
		return err_set(e, r, c->name, "cannot generate a service key");
	}
	if ((r = validate_circuit(c, e)) < 0)
		return r;
	if ((r = engine_datapath(eng, c->datapath != DATAPATH_AUTO ? c->datapath : eng->o.datapath, &c->datapath, e)) < 0)
		return r;
	return op_commit(eng, NULL, c, e);
}

/* The common shape of every mutation: load, copy, let `change` edit the copy, commit. */
typedef int (*change_fn)(struct engine *eng, const struct circuit *old, struct circuit *new, const void *arg,
			 struct err *e);

static int mutate(struct engine *eng, const char *id, change_fn change, const void *arg, struct err *e)
{
	struct circuit old, new;
	int r;

	circuit_init(&old);
	circuit_init(&new);
	if ((r = load(eng, id, true, &old, e)) < 0)
		goto out;
	if ((r = circuit_copy(&new, &old)) < 0) {
		err_set(e, r, old.name, "out of memory");
		goto out;
	}
	if ((r = change(eng, &old, &new, arg, e)) < 0)
		goto out;
	r = op_commit(eng, &old, r == 1 ? NULL : &new, e);
out:
	circuit_clear(&new);
	circuit_clear(&old);
	return r;
}

static int change_circuit_set(struct engine *eng, const struct circuit *old, struct circuit *new, const void *arg,
			      struct err *e)
{
	const struct circuit *patch = arg;
	int r;

	(void)eng;
	if (patch->has & CIRCUIT_HAS_BANDWIDTH) {
		if (patch->bandwidth < old->bandwidth)
			return err_set(e, -EINVAL, old->name,
				       "Bandwidth %u is lower than %u: downgrading the bandwidth of a circuit is not supported.",
				       patch->bandwidth, old->bandwidth);
		new->bandwidth = patch->bandwidth;
	}
	if ((patch->has & CIRCUIT_HAS_SKU) && patch->sku == SKU_STANDARD && old->sku == SKU_PREMIUM &&
	    (r = validate_can_downgrade(old, e)) < 0)
		return r;
	if (patch->has & CIRCUIT_HAS_SKU)
		new->sku = patch->sku;
	if (patch->has & CIRCUIT_HAS_BILLING)
		new->billing = patch->billing;
	return validate_circuit(new, e);
}

int op_circuit_set(struct engine *eng, const char *id, const struct circuit *patch, struct err *e)
{
	return mutate(eng, id, change_circuit_set, patch, e);
}

static int change_provision(struct engine *eng, const struct circuit *old, struct circuit *new, const void *arg,
			    struct err *e)
{
	(void)eng; (void)old; (void)e;
	new->prov = *(const bool *)arg ? PROV_PROVISIONED : PROV_NOT_PROVISIONED;
	return 0;
}

int op_circuit_provision(struct engine *eng, const char *id, bool provisioned, struct err *e)
{
	return mutate(eng, id, change_provision, &provisioned, e);
}

static int change_remove(struct engine *eng, const struct circuit *old, struct circuit *new, const void *arg,
			 struct err *e)
{
	int r;

	(void)eng; (void)new; (void)arg;
	r = validate_can_remove_circuit(old, e);
	return r < 0 ? r : 1;   /* 1: commit to nothing */
}

int op_circuit_remove(struct engine *eng, const char *id, struct err *e)
{
	return mutate(eng, id, change_remove, NULL, e);
}

/* Azure's text when circuit c has no peering of type t (what names the object asked for). */
static int peering_missing(const struct circuit *c, enum access_type t, const char *what, struct err *e)
{
	return err_set(e, -ENOENT, what, "The %s peering of circuit '%s' was not found.", access_type_lower(t),
		       c->name);
}

int op_peering_get(struct engine *eng, const char *id, enum access_type t, struct circuit *ret_c,
		   const struct peering **ret_p, struct err *e)
{
	int r = load(eng, id, false, ret_c, e);

	if (r < 0)
		return r;
	if (!ret_c->peering_present[t])
		return peering_missing(ret_c, t, ret_c->name, e);
	*ret_p = &ret_c->peerings[t];
	return 0;
}

struct peering_change {
	const struct peering *patch;
	bool create;             /* new: must not exist (but see add_family) */
	bool create_if_missing;  /* set: create when absent */
	enum family family;      /* remove: the family to take away; _FAMILY_INVALID: the whole peering */
};

/* The one family whose subnets patch gives, or _FAMILY_INVALID when it gives both or neither. */
static enum family patch_family(const struct peering *patch)
{
	unsigned given = 0;
	enum family f = _FAMILY_INVALID;

	for (unsigned i = 0; i < _FAMILY_MAX; i++)
		if (patch->has & families[i].subnets) {
			given++;
			f = (enum family)i;
		}
	return given == 1 ? f : _FAMILY_INVALID;
}

/*
 * New on a peering that exists: Azure's per-family New adds the other address family to it
 * (docs/rules.md, "One peering, two families"). The family must be new and what the two families
 * share (VLAN, PeerAsn, the shared key) must match the peering's.
 */
static int add_family(const struct peering *have, const struct peering *patch, const char *what, struct err *e)
{
	enum family f = patch_family(patch);

	if (f < 0 || peering_has_family(have, f) || !(have->has & (families[0].subnets | families[1].subnets)))
		return err_set(e, -EEXIST, what, "BGP peering could not be created as it already exists.");
	if ((patch->has & PEERING_HAS_VLAN) && patch->vlan_id != have->vlan_id)
		return err_set(e, -EINVAL, what, "The VlanId %u of the %s configuration must be the peering's, %u.",
			       patch->vlan_id, families[f].name, have->vlan_id);
	if ((patch->has & PEERING_HAS_PEER_ASN) && patch->peer_asn != have->peer_asn)
		return err_set(e, -EINVAL, what, "The PeerAsn %u of the %s configuration must be the peering's, %u.",
			       patch->peer_asn, families[f].name, have->peer_asn);
	if ((patch->has & PEERING_HAS_SHARED_KEY) && strcmp(patch->shared_key, have->shared_key) != 0)
		return err_set(e, -EINVAL, what, "The SharedKey of the %s configuration must be the peering's.",
			       families[f].name);
	return 0;
}

/*
 * A family's AdvertisedPublicPrefixesState is judged again when what it rests on changes (its
 * prefixes, its customer ASN, the peer ASN, the family itself); otherwise it stays as it was, so a
 * lab's [registry] verdict survives unrelated changes.
 */
static void judge_prefixes(const struct peering *old, bool had, struct peering *p)
{
	for (unsigned f = 0; f < _FAMILY_MAX; f++) {
		const struct family_info *fi = &families[f];
		const struct ms_config *o = &old->ms[f], *m = &p->ms[f];
		bool same = had && peering_has_family(old, (enum family)f) == peering_has_family(p, (enum family)f) &&
			    old->peer_asn == p->peer_asn && o->customer_asn == m->customer_asn &&
			    o->n_prefixes == m->n_prefixes && (old->has & fi->subnets) == (p->has & fi->subnets) &&
			    (!m->n_prefixes || memcmp(o->prefixes, m->prefixes, m->n_prefixes * sizeof(*m->prefixes)) == 0);

		if (!same)
			p->ms[f].prefix_state = validate_prefix_state(p, (enum family)f, NULL, 0);
	}
}

static int change_peering(struct engine *eng, const struct circuit *old, struct circuit *new, const void *arg,
			  struct err *e)
{
	const struct peering_change *pc = arg;
	enum access_type t = pc->patch->type;
	struct peering *p = &new->peerings[t];
	char what[160];
	int r;

	(void)eng;
	snprintf(what, sizeof(what), "%s %s peering", old->name, access_type_lower(t));
	if ((r = validate_can_peer(old, e)) < 0)
		return r;
	if (old->peering_present[t] && pc->create && (r = add_family(&old->peerings[t], pc->patch, what, e)) < 0)
		return r;
	if (!old->peering_present[t]) {
		if (!pc->create && !pc->create_if_missing)
			return peering_missing(old, t, what, e);
		peering_clear(p);
		peering_init(p, t);
		new->peering_present[t] = true;
	}
	if ((r = peering_merge(p, pc->patch)) < 0)
		return err_set(e, r, what, "out of memory");
	judge_prefixes(&old->peerings[t], old->peering_present[t], p);
	return validate_peering(new, p, e);
}

int op_peering_new(struct engine *eng, const char *id, const struct peering *p, struct err *e)
{
	struct peering_change pc = { .patch = p, .create = true };

	return mutate(eng, id, change_peering, &pc, e);
}

int op_peering_set(struct engine *eng, const char *id, const struct peering *patch, bool create_if_missing,
		   struct err *e)
{
	struct peering_change pc = { .patch = patch, .create_if_missing = create_if_missing };

	return mutate(eng, id, change_peering, &pc, e);
}

static int change_peering_remove(struct engine *eng, const struct circuit *old, struct circuit *new, const void *arg,
				 struct err *e)
{
	const struct peering_change *pc = arg;
	enum access_type t = pc->patch->type;
	const struct peering *have = &old->peerings[t];
	enum family f = pc->family, other;
	char what[160];
	int r;

	(void)eng;
	if ((r = validate_can_peer(old, e)) < 0)
		return r;
	if (!old->peering_present[t])
		return peering_missing(old, t, old->name, e);
	if (f >= 0) {
		snprintf(what, sizeof(what), "%s %s peering", old->name, access_type_lower(t));
		if (!peering_has_family(have, f))
			return err_set(e, -ENOENT, what, "The %s peering of circuit '%s' has no %s configuration.",
				       access_type_lower(t), old->name, families[f].name);
		/* Its last family goes with the peering itself. */
		other = f == FAMILY_V4 ? FAMILY_V6 : FAMILY_V4;
		if (peering_has_family(have, other)) {
			peering_drop_family(&new->peerings[t], f);
			return validate_peering(new, &new->peerings[t], e);
		}
	}
	if ((r = validate_can_remove_peering(old, t, e)) < 0)
		return r;
	peering_clear(&new->peerings[t]);
	peering_init(&new->peerings[t], t);
	new->peering_present[t] = false;
	return 0;
}

int op_peering_remove(struct engine *eng, const char *id, enum access_type t, struct err *e)
{
	return op_peering_remove_family(eng, id, t, _FAMILY_INVALID, e);
}

int op_peering_remove_family(struct engine *eng, const char *id, enum access_type t, enum family f, struct err *e)
{
	struct peering patch;
	struct peering_change pc = { .patch = &patch, .family = f };

	peering_init(&patch, t);
	return mutate(eng, id, change_peering_remove, &pc, e);
}

int op_link_carrier(struct engine *eng, const char *id, enum link_side side, bool up, struct err *e)
{
	struct circuit c;
	struct plan p;
	struct step s = { .op = STEP_CARRIER_SET, .side = side, .up = up };
	int r;

	circuit_init(&c);
	plan_init(&p);
	if ((r = load(eng, id, true, &c, e)) < 0)
		goto out;
	s.c = &c;
	if ((r = plan_push(&p, &s)) < 0) {
		err_set(e, r, c.name, "out of memory");
		goto out;
	}
	r = apply_plan(eng, &p, e);
out:
	plan_clear(&p);
	circuit_clear(&c);
	return r;
}

static int change_vnet_link(struct engine *eng, const struct circuit *old, struct circuit *new, const void *arg,
			    struct err *e)
{
	const struct vnet *v = arg;
	struct vnet *grown;
	int r;

	(void)eng;
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

int op_vnet_link(struct engine *eng, const char *id, const struct vnet *v, struct err *e)
{
	return mutate(eng, id, change_vnet_link, v, e);
}

static int change_vnet_unlink(struct engine *eng, const struct circuit *old, struct circuit *new, const void *arg,
			      struct err *e)
{
	const char *name = arg;

	(void)eng;
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

int op_vnet_unlink(struct engine *eng, const char *id, const char *name, struct err *e)
{
	return mutate(eng, id, change_vnet_unlink, name, e);
}
