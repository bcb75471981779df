/* SPDX-License-Identifier: MIT */
/*
 * A plan into the kernel, as one transaction: each step builds or removes the objects core/expect
 * describes, and every step that succeeded is undone, newest first, when a later one fails (the
 * kernel selftests' defer model).
 */
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "bgp/bird.h"
#include "core/attach.h"
#include "core/expect.h"
#include "engine/engine_int.h"

/* Is namespace ns marked as this circuit's? lo carries the mark (set at creation). */
static int netns_owned(struct kernel *k, const char *ns, const char *key, struct err *e)
{
	char alias[MARK_MAX + 64], owner[GUID_STRLEN];
	const char *role;
	int r;

	if ((r = netns_mark_get(k, ns, alias, sizeof(alias), e)) < 0)
		return r;
	if (names_mark_parse(alias, owner, &role) == 0 && strcmp(owner, key) == 0)
		return 0;
	err_set(e, -EEXIST, ns, "namespace exists and is not erlab's (no ownership mark for %s); "
		"erlab leaves it alone", key);
	return -EEXIST;
}

/* A namespace of the circuit; one that exists with our mark (left by an interrupted run) is
 * adopted (-EALREADY), any other is refused. Its name is recorded first (store_netns_intent). */
static int ns_add(struct kernel *k, const struct xns *n, const char *key, const struct apply_opts *o, struct err *e)
{
	int r = store_netns_intent(o->store, n->name, e);

	if (r < 0)
		return r;
	r = netns_add(k, n->name, n->mark, e);

	if (r == -EEXIST)
		return netns_owned(k, n->name, key, e) < 0 ? -EEXIST : -EALREADY;
	return r;
}

/* Now, or recorded for the caller's netns_del_flush (apply_opts.defer_netns_del); its name is
 * recorded first (store_netns_intent). */
static int ns_del(struct kernel *k, const char *ns, const struct apply_opts *o, struct err *e)
{
	int r = store_netns_intent(o->store, ns, e);

	if (r < 0)
		return r;
	return o->defer_netns_del ? netns_del_later(k, ns, e) : netns_del(k, ns, e);
}

static int step_netns_add(struct kernel *k, const struct step *s, const struct apply_opts *o, struct err *e)
{
	struct xns n;

	expect_ns(s->c, s->role, &n);
	return ns_add(k, &n, s->c->service_key, o, e);
}

/*
 * The circuit's links that a namespace takes with it only once the kernel frees it, after erlab is
 * done (docs/DECISIONS.md, speed): a bridge port in our own namespace whose peer is in ns, and a
 * VXLAN device in ns, whose VNI stays bound in our namespace until then. They go now, so the names
 * and VNIs are free for what comes next and the user's bridge has no port of ours left.
 */
static int outside_links_del(struct kernel *k, const struct circuit *c, const char *ns, struct err *e)
{
	struct xlink_iter it;
	struct xlink x;
	int r;

	/* Both sides in namespaces of the circuit: every end goes with one of them. */
	if (attach_kind_of(c) == ATTACH_NS)
		return 0;
	expect_links_begin(&it, c);
	while (expect_link_next(&it, &x)) {
		if (!(strcmp(x.ns, NS_SELF) == 0 && strcmp(x.peer_ns, ns) == 0) &&
		    !(x.kind == XLINK_VXLAN && strcmp(x.ns, ns) == 0))
			continue;
		if ((r = link_del(k, x.ns, x.name, e)) < 0 && r != -ENODEV && r != -ENOENT)
			return r;
	}
	return 0;
}

/* Its mark was checked before the plan ran (removals_owned), or (an undo) this transaction made it. */
static int step_netns_del(struct kernel *k, const struct step *s, const struct apply_opts *o, struct err *e)
{
	struct xns n;
	int r;

	expect_ns(s->c, s->role, &n);
	if (!netns_exists(k, n.name))
		return 0;
	if ((r = outside_links_del(k, s->c, n.name, e)) < 0)
		return r;
	return ns_del(k, n.name, o, e);
}

/* One end's bridge, addresses and rate. */
static int link_finish(struct kernel *k, const struct xlink *l, struct err *e)
{
	int r;

	if (l->kind == XLINK_NONE)
		return 0;
	if (l->master[0] && (r = link_set_master(k, l->ns, l->name, l->master, e)) < 0)
		return r;

	for (unsigned i = 0; i < l->n_addrs; i++)
		if ((r = addr_add(k, l->ns, l->name, &l->addrs[i], e)) < 0)
			return r;
	if (l->rate_mbps && (r = qdisc_set_rate(k, l->ns, l->name, l->rate_mbps, e)) < 0)
		return r;
	return 0;
}

/*
 * The ends of one link, made whole or not at all: a veth pair (ends[0] makes it) or one link per
 * end (vlan, macvlan); then the addresses and rates. On failure this step removes its own partial
 * work (the transaction only undoes whole steps).
 */
static int links_add(struct kernel *k, const struct xlink *ends, unsigned n, struct err *e)
{
	unsigned made = 0, i;
	int r;

	if (ends[0].kind == XLINK_VETH) {
		r = link_add_veth(k, ends[0].ns, ends[0].name, ends[0].peer_ns, ends[0].peer, ends[0].ifindex,
				  ends[0].mark, e);
		if (r < 0)
			return r;
		made = n;
	} else {
		for (; made < n; made++) {
			const struct xlink *l = &ends[made];

			if (l->kind == XLINK_NONE)
				continue;   /* on another host */
			r = l->kind == XLINK_VLAN  ? link_add_vlan(k, l->ns, l->parent, l->name, l->vlan_id, l->mark, e)
			  : l->kind == XLINK_VXLAN ? link_add_vxlan(k, l->ns, l->name, l->vni, &l->local, &l->remote,
								    l->underlay, l->mark, e)
						   : link_add_macvlan(k, l->ns, l->parent, l->name, l->mark, e);
			if (r < 0)
				goto fail;
		}
	}
	for (i = 0; i < n; i++)
		if ((r = link_finish(k, &ends[i], e)) < 0)
			goto fail;
	return 0;

fail:
	/* Deleting one end of a veth deletes both. */
	for (i = ends[0].kind == XLINK_VETH ? 1 : made; i-- > 0;)
		if (ends[i].kind != XLINK_NONE)
			link_del(k, ends[i].ns, ends[i].name, NULL);
	return r;
}

/*
 * Delete links by name (a veth goes with either end), then whatever still carries their mark under
 * another name in their namespaces (renamed by hand): a link erlab made goes, whatever it is
 * called now. One already gone is fine.
 */
static int links_del(struct kernel *k, const struct xlink *ends, unsigned n, struct err *e)
{
	int r;

	for (unsigned i = 0; i < n; i++) {
		if (ends[i].kind == XLINK_NONE)
			continue;
		r = link_del(k, ends[i].ns, ends[i].name, e);
		if (r < 0 && r != -ENODEV && r != -ENOENT)
			return r;
		if (r == 0 && ends[i].kind == XLINK_VETH)
			break;
	}
	for (unsigned i = 0; i < n; i++)
		if (ends[i].kind != XLINK_NONE && netns_exists(k, ends[i].ns) &&
		    (r = link_del_marked(k, ends[i].ns, ends[i].mark, NULL, e)) < 0)
			return r;
	return 0;
}

static int step_trunk(struct kernel *k, const struct step *s, struct err *e)
{
	struct xlink ends[_NS_MAX];

	expect_trunk(s->c, s->side, ends);
	return s->op == STEP_TRUNK_ADD ? links_add(k, ends, _NS_MAX, e) : links_del(k, ends, _NS_MAX, e);
}

static int step_plink(struct kernel *k, const struct step *s, struct err *e)
{
	struct xlink ends[_NS_MAX];

	expect_plink(s->c, s->type, s->side, ends);
	return s->op == STEP_PLINK_ADD ? links_add(k, ends, _NS_MAX, e) : links_del(k, ends, _NS_MAX, e);
}

/* The circuit's bandwidth on every end that carries a rate. */
static int step_rate_set(struct kernel *k, const struct step *s, struct err *e)
{
	struct xlink_iter it;
	struct xlink l;
	int r;

	expect_links_begin(&it, s->c);
	while (expect_link_next(&it, &l))
		if (l.rate_mbps && (r = qdisc_set_rate(k, l.ns, l.name, l.rate_mbps, e)) < 0)
			return r;
	return 0;
}

/* Carrier of one side: the trunk's ends (vlan datapath), or every peering link's (veth). */
static int step_carrier_set(struct kernel *k, const struct step *s, struct err *e)
{
	struct xlink ends[_NS_MAX];
	struct xns n;
	int r;

	/* A link without carrier loses its IPv6 addresses (addrconf's ifdown), and they would not
	 * come back with the carrier: both ends keep them, as a router's interface does. */
	for (enum ns_role role = 0; role < _NS_MAX && !s->up; role++) {
		if (!attach_ns_here(s->c, role))
			continue;   /* not a namespace of ours on this host (docs/layout.md, "Beyond one machine") */
		expect_ns(s->c, role, &n);
		if ((r = netns_sysctl(k, n.name, "net/ipv6/conf/all/keep_addr_on_down", "1", e)) < 0)
			return r;
	}
	for (enum access_type t = 0; t < _ACCESS_MAX; t++) {
		if (s->c->datapath == DATAPATH_VLAN)
			expect_trunk(s->c, s->side, ends);
		else if (s->c->peering_present[t])
			expect_plink(s->c, t, s->side, ends);
		else
			continue;
		for (enum ns_role role = 0; role < _NS_MAX; role++)
			if (ends[role].kind != XLINK_NONE &&
			    (r = link_set_carrier(k, ends[role].ns, ends[role].name, s->up, e)) < 0)
				return r;
		if (s->c->datapath == DATAPATH_VLAN)
			break;
	}
	return 0;
}

/*
 * A linked VNet (docs/layout.md): its namespace behind the Microsoft edge, the veth into it, the
 * VM's NIC, addresses and routes. The Microsoft edge forwards between the peering links and the
 * VNets.
 */
static int step_vnet_add(struct kernel *k, const struct step *s, const struct apply_opts *o, struct err *e)
{
	struct xlink l[XVNET_LINKS];
	struct xroute rt;
	struct xns n;
	int r;

	expect_vnet_ns(s->c, s->vnet, &n);
	expect_vnet_links(s->c, s->vnet, l);
	r = ns_add(k, &n, s->c->service_key, o, e);
	if (r == -EALREADY) {
		/* Ours, left by an interrupted run: rebuild it (its name is recorded already). */
		netns_del(k, n.name, NULL);
		r = netns_add(k, n.name, n.mark, e);
	}
	if (r < 0)
		return r;
	if ((r = netns_sysctl(k, l[1].ns, "net/ipv4/ip_forward", "1", e)) < 0 ||
	    (r = netns_sysctl(k, l[1].ns, "net/ipv6/conf/all/forwarding", "1", e)) < 0 ||
	    (r = links_add(k, l, 2, e)) < 0 || (r = links_add(k, &l[2], 1, e)) < 0)
		goto fail;
	for (unsigned i = 0; expect_vnet_route(s->c, s->vnet, i, &rt); i++)
		if ((r = route_add(k, rt.ns, &rt.dst, rt.gw.family ? &rt.gw : NULL, rt.dev[0] ? rt.dev : NULL, e)) < 0)
			goto fail;
	return 0;
fail:
	/* The namespace goes asynchronously, and its veth peer with it: delete to-<V> now. */
	link_del(k, l[1].ns, l[1].name, NULL);
	netns_del(k, n.name, NULL);
	return r;
}

static int step_vnet_del(struct kernel *k, const struct step *s, const struct apply_opts *o, struct err *e)
{
	struct xlink l[XVNET_LINKS];
	int r;

	expect_vnet_links(s->c, s->vnet, l);
	if (!netns_exists(k, l[0].ns))
		return 0;   /* its mark: as step_netns_del's */
	/* The kernel frees a namespace asynchronously, and the veth's Microsoft end with it; delete
	 * that end now so the name to-<V> is free for a VNet linked right after. Not when whole
	 * circuits go (defer_netns_del): the Microsoft namespace goes in the same flush, the name with
	 * it, and each veth deleted alone waits for an RCU grace period (synchronize_net), 30 ms on a
	 * loaded machine: that was most of the time `down` took for a lab with VNets. */
	if (!o->defer_netns_del && (r = link_del(k, l[1].ns, l[1].name, e)) < 0 && r != -ENODEV && r != -ENOENT)
		return r;
	return ns_del(k, l[0].ns, o, e);
}

int apply_bgp_conf(const struct circuit *c, enum ns_role role, const struct apply_opts *o, struct bird_paths *paths,
		   char **ret_text, struct err *e)
{
	int r;

	*ret_text = NULL;
	if ((r = bird_paths_init(paths, o->state_dir, c->service_key, role, e)) < 0)
		return r;
	if (role == NS_MICROSOFT) {
		struct bird_msee_opts mo = { .log_path = paths->log, .error_wait_s = o->bgp_error_wait,
					     .lab_timers = true };

		return bird_conf_msee(c, &mo, ret_text, e);
	}
	struct bird_customer_opts co = { .log_path = paths->log, .error_wait_s = o->bgp_error_wait,
					 .lab_timers = true };

	co.adv[ACCESS_PRIVATE] = c->bgp.prefixes;
	co.n_adv[ACCESS_PRIVATE] = c->bgp.n_prefixes;
	return bird_conf_customer(c, &co, ret_text, e);
}

/* The BIRD to run (bird_find: the circuit's bird_path, ERLAB_BIRD, PATH), BIRD's files for the
 * step's circuit and role, and its config text. */
static int bgp_prepare(const struct step *s, const struct apply_opts *o, char bin[PATH_MAX], struct bird_paths *paths,
		       char **ret_text, struct err *e)
{
	int r;

	*ret_text = NULL;
	if ((r = bird_find(s->c->bgp.bird_path, bin, e)) < 0)
		return r;
	return apply_bgp_conf(s->c, s->role, o, paths, ret_text, e);
}

/*
 * With a batch (o->bgp, bgp_batch.c) a start only launches its BIRD and a stop only asks it to
 * stop: the caller waits for all of them at once. Undone within the batch, a launch is stopped at
 * once (and forgotten), a stop asked for is waited out before the BIRD starts again.
 */
static int step_bgp(const struct step *s, const struct apply_opts *o, struct err *e)
{
	struct bgp_batch *b = o->bgp;
	struct bird_paths paths;
	char ns[NS_NAME_MAX], bin[PATH_MAX], desc[256], *text = NULL;
	int r;

	names_ns(s->c, s->role, ns);
	if (s->op == STEP_BGP_STOP) {
		if ((r = bird_paths_init(&paths, o->state_dir, s->c->service_key, s->role, e)) < 0)
			return r;
		if (b && b->stop)
			return bgp_batch_stop(b, &paths, s->c->service_key, s->role, e);
		/* A launch that failed keeps its log for the user, as a start that fails does. */
		if (b && bgp_batch_failed(b, paths.ctl))
			return bird_stop(paths.ctl, paths.pid, e);
		if (b)
			bgp_batch_forget(b, paths.ctl);
		return bird_remove(&paths, e);
	}
	if ((r = bgp_prepare(s, o, bin, &paths, &text, e)) < 0 ||
	    (b && (r = bgp_batch_settle(b, s->c->service_key, s->role, e)) < 0) ||
	    (r = bird_write_conf(paths.conf, text, e)) < 0)
		goto out;
	if (s->op == STEP_BGP_START && !bird_running(paths.ctl))
		r = b && b->launch ? bgp_batch_launch(b, bin, ns, &paths, step_describe(s, desc, sizeof(desc)), e)
				   : bird_start(bin, ns, &paths, e);
	else
		r = bird_ensure(bin, ns, &paths, e);
out:
	free(text);
	return r;
}

static int step_run(struct kernel *k, const struct step *s, const struct apply_opts *o, struct err *e)
{
	switch (s->op) {
	case STEP_BGP_START:
	case STEP_BGP_STOP:
	case STEP_BGP_RECONF: return step_bgp(s, o, e);
	case STEP_NETNS_ADD: return step_netns_add(k, s, o, e);
	case STEP_NETNS_DEL: return step_netns_del(k, s, o, e);
	case STEP_TRUNK_ADD:
	case STEP_TRUNK_DEL: return step_trunk(k, s, e);
	case STEP_PLINK_ADD:
	case STEP_PLINK_DEL: return step_plink(k, s, e);
	case STEP_RATE_SET: return step_rate_set(k, s, e);
	case STEP_CARRIER_SET: return step_carrier_set(k, s, e);
	case STEP_VNET_ADD: return step_vnet_add(k, s, o, e);
	case STEP_VNET_DEL: return step_vnet_del(k, s, o, e);
	case _STEP_MAX: break;
	}
	return -EINVAL;
}

/* A link erlab would delete carries its mark (docs/layout.md); one that is not there is fine. */
static int link_owned(struct kernel *k, const struct xlink *l, const char *key, struct err *e)
{
	char alias[MARK_MAX + 64], owner[GUID_STRLEN], w[NS_NAME_MAX + IFNAMSIZ + 2];
	const char *role;
	struct err le = {0};
	int r = link_get_alias(k, l->ns, l->name, alias, sizeof(alias), &le);

	if (r == -ENODEV || r == -ENOENT)
		return 0;
	if (r < 0) {
		*e = le;
		return r;
	}
	if (names_mark_parse(alias, owner, &role) == 0 && strcmp(owner, key) == 0)
		return 0;
	snprintf(w, sizeof(w), "%s/%s", l->ns, l->name);
	return err_set(e, -EEXIST, w, "link exists and is not erlab's (no ownership mark for %s); erlab leaves it alone",
		       key);
}

/*
 * Every namespace and link a plan removes must carry its mark, and that is checked before any
 * step runs: a removal cannot be undone (a namespace's links go with it; undo makes an empty one,
 * and a link's addresses and qdisc would have to be rebuilt), so a refusal must come before the
 * first removal, not after it. The delete steps do not ask again.
 */
static int removals_owned(struct kernel *k, const struct plan *p, struct err *e)
{
	struct xlink_iter it;
	struct xlink ends[XVNET_LINKS];
	struct xns n;
	int r;

	for (unsigned i = 0; i < p->n; i++) {
		const struct step *s = &p->steps[i];
		unsigned n_ends = _NS_MAX;

		switch (s->op) {
		case STEP_NETNS_DEL:
		case STEP_VNET_DEL:
			if (s->op == STEP_NETNS_DEL)
				expect_ns(s->c, s->role, &n);
			else
				expect_vnet_ns(s->c, s->vnet, &n);
			if (netns_exists(k, n.name) && netns_owned(k, n.name, s->c->service_key, e) < 0)
				return -EEXIST;
			/* Our bridge ports go before the namespace (outside_links_del): ours alone. */
			if (s->op != STEP_NETNS_DEL || attach_kind_of(s->c) != ATTACH_BRIDGE)
				continue;
			expect_links_begin(&it, s->c);
			while (expect_link_next(&it, &ends[0]))
				if (strcmp(ends[0].ns, NS_SELF) == 0 &&
				    (r = link_owned(k, &ends[0], s->c->service_key, e)) < 0)
					return r;
			continue;
		case STEP_TRUNK_DEL:
			expect_trunk(s->c, s->side, ends);
			if (ends[0].kind == XLINK_VETH)
				n_ends = 1;   /* the pair goes with its customer end */
			break;
		case STEP_PLINK_DEL:
			expect_plink(s->c, s->type, s->side, ends);
			break;
		default:
			continue;
		}
		for (unsigned j = 0; j < n_ends; j++)
			if (ends[j].kind != XLINK_NONE && (r = link_owned(k, &ends[j], s->c->service_key, e)) < 0)
				return r;
	}
	return 0;
}

/*
 * The bridges a plan plugs into exist, checked before any step: a circuit on bridges whose links
 * come only with its peerings must not be half-made (its namespace and state) on a missing one.
 */
static int attachments_ready(struct kernel *k, const struct plan *p, struct err *e)
{
	struct attach a;
	int r;

	for (unsigned i = 0; i < p->n; i++) {
		const struct step *s = &p->steps[i];

		if (s->op != STEP_NETNS_ADD || s->role != NS_MICROSOFT)
			continue;
		attach_of(s->c, &a);
		for (enum link_side side = 0; a.kind == ATTACH_BRIDGE && side < _LINK_MAX; side++)
			if ((r = link_check_bridge(k, NS_SELF, a.bridge[side], e)) < 0)
				return r;
	}
	return 0;
}

void apply_blame(const char *step, struct err *e)
{
	char what[sizeof(e->what)];

	snprintf(what, sizeof(what), "%s", e->what);
	snprintf(e->what, sizeof(e->what), "%s", step);
	if (what[0] && strstr(e->msg, what) == NULL) {
		char msg[sizeof(e->msg)];
		int len = snprintf(msg, sizeof(msg), "%s: ", what);

		snprintf(msg + len, sizeof(msg) - (size_t)len, "%.*s", (int)(sizeof(msg) - (size_t)len - 1), e->msg);
		memcpy(e->msg, msg, sizeof(msg));
	}
}

static void blame_step(const struct step *s, struct err *e)
{
	char desc[256];

	apply_blame(step_describe(s, desc, sizeof(desc)), e);
}

int apply_plan(struct engine *eng, const struct plan *p, struct err *e)
{
	const struct engine_hooks *h = &eng->hooks;
	char desc[256];
	struct kernel *k;
	unsigned i, pending;
	int r;

	eng->undo_failed = false;
	if (p->n == 0)
		return 0;
	if ((r = engine_kernel(eng, &k, e)) < 0)
		return r;
	pending = netns_del_pending(k);
	if ((r = removals_owned(k, p, e)) < 0 || (r = attachments_ready(k, p, e)) < 0)
		return r;
	for (i = 0; i < p->n; i++) {
		const struct step *s = &p->steps[i];

		/* Stopped by a signal: this step is not begun, the ones before are undone below. */
		if ((r = engine_interrupted(e)) < 0) {
			err_detail(e, "%s: not done, and %s", step_describe(s, desc, sizeof(desc)),
				   i ? "the steps before it were undone" : "nothing was changed");
			break;
		}
		if (eng->o.steps)
			engine_emit(eng, ENGINE_STEP, NULL, s->c->name, step_describe(s, desc, sizeof(desc)));
		if (h->fail_at_step && eng->steps_done + 1 == h->fail_at_step) {
			r = err_set(e, h->fail_errno ? -(int)h->fail_errno : -EIO, step_describe(s, desc, sizeof(desc)),
				    "failed");
			err_detail(e, "injected by ERLAB_TEST_FAIL_AT_STEP=%u", h->fail_at_step);
			err_system(e, r);
			break;
		}
		r = step_run(k, s, &eng->apply, e);
		if (r == -EALREADY)
			r = 0;   /* our own namespace, left by an interrupted run: adopted */
		if (r < 0) {
			/* The kernel's or BIRD's refusal, whatever its errno: exit 1, but for an object
			 * that exists (EEXIST: refused by the current state). */
			err_system(e, r);
			blame_step(s, e);
			break;
		}
		eng->steps_done++;
		if (h->kill_at_step && eng->steps_done == h->kill_at_step)
			raise(SIGKILL);
	}
	if (i == p->n)
		return 0;

	/* Undo every step that succeeded, newest first; a recorded removal just did not happen. */
	netns_del_cancel(k, pending);
	while (i-- > 0) {
		struct step inv = step_inverse(&p->steps[i]);
		struct err ue = {0};

		if (step_run(k, &inv, &eng->apply, &ue) < 0)
			eng->undo_failed = true;
		else
			continue;
		if (eng->o.steps) {
			char text[600];

			snprintf(text, sizeof(text), "undo failed: %s: %s", step_describe(&inv, desc, sizeof(desc)), ue.msg);
			engine_emit(eng, ENGINE_STEP, NULL, inv.c->name, text);
		}
	}
	return r;
}
