/* SPDX-License-Identifier: MIT */
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "engine/apply.h"
#include "bgp/bird.h"
#include "core/names.h"

/*
 * The Microsoft-side end of every veth gets an ifindex of its own (the customer side takes the
 * kernel's small numbers): a veth whose ends share an ifindex gets "non-urgent" linkwatch events,
 * which pile up at 100 per second and make bulk setup quadratic (perf-baseline, item 1).
 */
static int peer_ifindex_hint(bool trunk, enum link_side side, uint16_t vlan)
{
	return trunk ? 1000 + (int)side : 2000 + (int)side * 4096 + vlan;
}

struct names {
	char ns[_NS_MAX][NS_NAME_MAX];
	char mark[MARK_MAX];
};

static void names_fill(struct names *n, const struct circuit *c, const char *role)
{
	for (enum ns_role r = 0; r < _NS_MAX; r++)
		names_ns(c, r, n->ns[r]);
	names_mark(c->service_key, role, n->mark);
}

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

static int step_netns_add(struct kernel *k, const struct step *s, struct err *e)
{
	struct names n;
	char role[32];
	int r;

	snprintf(role, sizeof(role), "ns:%s", ns_role_name(s->role));
	names_fill(&n, s->c, role);
	r = netns_add(k, n.ns[s->role], n.mark, e);
	if (r == -EEXIST)
		return netns_owned(k, n.ns[s->role], s->c->service_key, e) < 0 ? -EEXIST : -EALREADY;
	return r;
}

/* Now, or recorded for the caller's netns_del_flush (apply_opts.defer_netns_del). */
static int ns_del(struct kernel *k, const char *ns, const struct apply_opts *o, struct err *e)
{
	return o->defer_netns_del ? netns_del_later(k, ns, e) : netns_del(k, ns, e);
}

/* Its mark was checked before the plan ran (removals_owned), or (an undo) this transaction made it. */
static int step_netns_del(struct kernel *k, const struct step *s, const struct apply_opts *o, struct err *e)
{
	char ns[NS_NAME_MAX];

	names_ns(s->c, s->role, ns);
	if (!netns_exists(k, ns))
		return 0;
	return ns_del(k, ns, o, e);
}

static int rate_on(struct kernel *k, const struct names *n, const char *ifname, uint32_t mbps, struct err *e)
{
	int r;

	for (enum ns_role role = 0; role < _NS_MAX; role++)
		if ((r = qdisc_set_rate(k, n->ns[role], ifname, mbps, e)) < 0)
			return r;
	return 0;
}

static int step_trunk_add(struct kernel *k, const struct step *s, struct err *e)
{
	struct names n;
	char role[32];
	const char *name = names_trunk(s->side);
	int r;

	snprintf(role, sizeof(role), "trunk:%s", name);
	names_fill(&n, s->c, role);
	r = link_add_veth(k, n.ns[NS_CUSTOMER], name, n.ns[NS_MICROSOFT], name,
			  peer_ifindex_hint(true, s->side, 0), n.mark, e);
	if (r < 0)
		return r;
	r = rate_on(k, &n, name, s->c->bandwidth, e);
	if (r < 0)
		link_del(k, n.ns[NS_CUSTOMER], name, NULL);
	return r;
}

static int step_trunk_del(struct kernel *k, const struct step *s, struct err *e)
{
	char ns[NS_NAME_MAX];
	int r;

	r = link_del(k, names_ns(s->c, NS_CUSTOMER, ns), names_trunk(s->side), e);
	return r == -ENODEV ? 0 : r;
}

/* The addresses of one side of one link of a peering: network+1 customer, network+2 Microsoft. */
static int plink_addrs(struct kernel *k, const char *ns, const char *ifname, const struct peering *p,
		       enum link_side side, enum ns_role role, struct err *e)
{
	uint32_t host = role == NS_CUSTOMER ? 1 : 2;
	struct cidr a;
	int r;

	for (int v6 = 0; v6 < 2; v6++) {
		enum subnet_slot s = subnet_slot_of(side, v6);

		if (!(p->has & subnet_slots[s].bit))
			continue;
		a = cidr_host(peering_subnet(p, s), host);
		if ((r = addr_add(k, ns, ifname, &a, e)) < 0)
			return r;
	}
	return 0;
}

static int step_plink_add(struct kernel *k, const struct step *s, struct err *e)
{
	const struct peering *p = &s->c->peerings[s->type];
	struct names n;
	char role[48], ifname[IFNAMSIZ];
	enum ns_role made = 0;   /* how many sides' links exist, for the partial cleanup */
	int r;

	names_plink(s->side, p->vlan_id, ifname);
	snprintf(role, sizeof(role), "peering:%s:%s", access_type_lower(s->type), link_side_name(s->side));
	names_fill(&n, s->c, role);

	if (s->c->datapath == DATAPATH_VETH) {
		r = link_add_veth(k, n.ns[NS_CUSTOMER], ifname, n.ns[NS_MICROSOFT], ifname,
				  peer_ifindex_hint(false, s->side, p->vlan_id), n.mark, e);
		if (r < 0)
			return r;
		made = _NS_MAX;
		if ((r = rate_on(k, &n, ifname, s->c->bandwidth, e)) < 0)
			goto fail;
	} else {
		for (enum ns_role role_i = 0; role_i < _NS_MAX; role_i++) {
			r = link_add_vlan(k, n.ns[role_i], names_trunk(s->side), ifname, p->vlan_id, n.mark, e);
			if (r < 0)
				goto fail;
			made = role_i + 1;
		}
	}
	for (enum ns_role role_i = 0; role_i < _NS_MAX; role_i++)
		if ((r = plink_addrs(k, n.ns[role_i], ifname, p, s->side, role_i, e)) < 0)
			goto fail;
	return 0;

fail:
	/* Undo this step's own partial work; the journal only undoes whole steps. */
	if (s->c->datapath == DATAPATH_VETH) {
		if (made)
			link_del(k, n.ns[NS_CUSTOMER], ifname, NULL);
	} else {
		for (unsigned i = 0; i < (unsigned)made; i++)
			link_del(k, n.ns[i], ifname, NULL);
	}
	return r;
}

static int step_plink_del(struct kernel *k, const struct step *s, struct err *e)
{
	const struct peering *p = &s->c->peerings[s->type];
	char ns[NS_NAME_MAX], ifname[IFNAMSIZ];
	int r;

	names_plink(s->side, p->vlan_id, ifname);
	for (enum ns_role role = 0; role < _NS_MAX; role++) {
		r = link_del(k, names_ns(s->c, role, ns), ifname, e);
		if (r < 0 && r != -ENODEV)
			return r;
		if (s->c->datapath == DATAPATH_VETH)
			break;   /* deleting one end of a veth deletes both */
	}
	return 0;
}

/* Each trunk end (vlan datapath), or each peering link end (veth datapath). */
static int step_rate_set(struct kernel *k, const struct step *s, struct err *e)
{
	struct names n;
	char ifname[IFNAMSIZ];
	int r;

	names_fill(&n, s->c, "");
	for (enum link_side side = 0; side < _LINK_MAX; side++) {
		if (s->c->datapath == DATAPATH_VLAN) {
			if ((r = rate_on(k, &n, names_trunk(side), s->c->bandwidth, e)) < 0)
				return r;
			continue;
		}
		for (enum access_type t = 0; t < _ACCESS_MAX; t++) {
			if (!s->c->peering_present[t])
				continue;
			names_plink(side, s->c->peerings[t].vlan_id, ifname);
			if ((r = rate_on(k, &n, ifname, s->c->bandwidth, e)) < 0)
				return r;
		}
	}
	return 0;
}

static int step_carrier_set(struct kernel *k, const struct step *s, struct err *e)
{
	struct names n;
	char ifname[IFNAMSIZ];
	int r;

	names_fill(&n, s->c, "");
	for (enum ns_role role = 0; role < _NS_MAX; role++) {
		if (s->c->datapath == DATAPATH_VLAN) {
			if ((r = link_set_carrier(k, n.ns[role], names_trunk(s->side), s->up, e)) < 0)
				return r;
			continue;
		}
		for (enum access_type t = 0; t < _ACCESS_MAX; t++) {
			if (!s->c->peering_present[t])
				continue;
			names_plink(s->side, s->c->peerings[t].vlan_id, ifname);
			if ((r = link_set_carrier(k, n.ns[role], ifname, s->up, e)) < 0)
				return r;
		}
	}
	return 0;
}

/*
 * A linked VNet (SPEC §6): namespace <C>-<V> behind the Microsoft edge, a veth to-microsoft (VNet
 * side) / to-<V> (Microsoft side), and a "vm" NIC (macvlan on to-microsoft) holding the first VM
 * address (.4: Azure VMs start there). to-<V> holds the VNet's gateway address (.1), so the VNet
 * routes by default via .1 and the Microsoft edge reaches the VNet's first space directly; its other
 * spaces are routed onto to-<V>.
 */
static int step_vnet_add(struct kernel *k, const struct step *s, struct err *e)
{
	const struct vnet *v = &s->c->vnets[s->vnet];
	char vns[NS_NAME_MAX], ms[NS_NAME_MAX], mark[MARK_MAX], role[48], to_v[IFNAMSIZ];
	bool family_done[2] = { false, false };
	int r;

	names_vnet_ns(s->c, v, vns);
	names_ns(s->c, NS_MICROSOFT, ms);
	snprintf(to_v, sizeof(to_v), "to-%s", v->name);
	snprintf(role, sizeof(role), "vnet:%s", v->name);
	names_mark(s->c->service_key, role, mark);

	r = netns_add(k, vns, mark, e);
	if (r == -EEXIST) {
		if (netns_owned(k, vns, s->c->service_key, e) < 0)
			return -EEXIST;
		netns_del(k, vns, NULL);   /* ours, left by an interrupted run: rebuild it */
		r = netns_add(k, vns, mark, e);
	}
	if (r < 0)
		return r;
	/* The Microsoft edge routes between the peering links and the VNets. */
	if ((r = netns_sysctl(k, ms, "net/ipv4/ip_forward", "1", e)) < 0 ||
	    (r = netns_sysctl(k, ms, "net/ipv6/conf/all/forwarding", "1", e)) < 0 ||
	    (r = link_add_veth(k, vns, "to-microsoft", ms, to_v, 3000 + (int)s->vnet, mark, e)) < 0 ||
	    (r = link_add_macvlan(k, vns, "to-microsoft", "vm", mark, e)) < 0)
		goto fail;
	for (unsigned i = 0; i < v->n_spaces; i++) {
		const struct cidr *sp = &v->spaces[i];
		int fi = sp->family == AF_INET6;

		if (family_done[fi]) {
			if ((r = route_add(k, ms, sp, NULL, to_v, e)) < 0)
				goto fail;
			continue;
		}
		struct cidr gw = cidr_host(sp, 1), vm = cidr_host(sp, 4), any = { .family = sp->family };

		family_done[fi] = true;
		if ((r = addr_add(k, ms, to_v, &gw, e)) < 0 || (r = addr_add(k, vns, "vm", &vm, e)) < 0)
			goto fail;
		gw.prefixlen = sp->family == AF_INET ? 32 : 128;
		if ((r = route_add(k, vns, &any, &gw, NULL, e)) < 0)
			goto fail;
	}
	return 0;
fail:
	/* The namespace goes asynchronously, and its veth peer with it: delete to-<V> now. */
	link_del(k, ms, to_v, NULL);
	netns_del(k, vns, NULL);
	return r;
}

static int step_vnet_del(struct kernel *k, const struct step *s, const struct apply_opts *o, struct err *e)
{
	char vns[NS_NAME_MAX], ms[NS_NAME_MAX], to_v[IFNAMSIZ];
	int r;

	names_vnet_ns(s->c, &s->c->vnets[s->vnet], vns);
	if (!netns_exists(k, vns))
		return 0;   /* its mark: as step_netns_del's */
	/* The kernel frees a namespace asynchronously, and the veth's Microsoft end with it; delete
	 * that end now so the name to-<V> is free for a VNet linked right after. */
	snprintf(to_v, sizeof(to_v), "to-%s", s->c->vnets[s->vnet].name);
	if ((r = link_del(k, names_ns(s->c, NS_MICROSOFT, ms), to_v, e)) < 0 && r != -ENODEV && r != -ENOENT)
		return r;
	return ns_del(k, vns, o, e);
}

int apply_bgp_conf(const struct circuit *c, enum ns_role role, const struct apply_opts *o, struct bird_paths *paths,
		   char **ret_text, struct err *e)
{
	int r;

	*ret_text = NULL;
	if ((r = bird_paths_init(paths, o->state_dir, c->service_key, role, e)) < 0)
		return r;
	if (role == NS_MICROSOFT) {
		struct bird_msee_opts mo = { .log_path = paths->log, .error_wait_s = o->bgp_error_wait };

		return bird_conf_msee(c, &mo, ret_text, e);
	}
	struct bird_customer_opts co = { .log_path = paths->log, .error_wait_s = o->bgp_error_wait };

	co.adv[ACCESS_PRIVATE] = c->customer_prefixes;
	co.n_adv[ACCESS_PRIVATE] = c->n_customer_prefixes;
	return bird_conf_customer(c, &co, ret_text, e);
}

/* BIRD's files for the step's circuit and role, and its config text. */
static int bgp_prepare(const struct step *s, const struct apply_opts *o, struct bird_paths *paths, char **ret_text,
		       struct err *e)
{
	*ret_text = NULL;
	if (access(BIRD_BIN, X_OK) < 0)
		return err_set(e, -ENOPKG, BIRD_BIN, "BGP emulation needs BIRD 2, which is not installed (apt-get install bird2)");
	return apply_bgp_conf(s->c, s->role, o, paths, ret_text, e);
}

static int step_bgp(struct kernel *k, const struct step *s, const struct apply_opts *o, struct err *e)
{
	struct bird_paths paths;
	char ns[NS_NAME_MAX], *text = NULL;
	int r;

	(void)k;
	names_ns(s->c, s->role, ns);
	if (s->op == STEP_BGP_STOP) {
		if ((r = bird_paths_init(&paths, o->state_dir, s->c->service_key, s->role, e)) < 0)
			return r;
		return bird_remove(&paths, e);
	}
	if ((r = bgp_prepare(s, o, &paths, &text, e)) == 0 && (r = bird_write_conf(paths.conf, text, e)) == 0)
		r = s->op == STEP_BGP_START && !bird_running(paths.ctl) ? bird_start(ns, &paths, e)
									 : bird_ensure(ns, &paths, e);
	free(text);
	return r;
}

static int step_run(struct kernel *k, const struct step *s, const struct apply_opts *o, struct err *e)
{
	switch (s->op) {
	case STEP_BGP_START:
	case STEP_BGP_STOP:
	case STEP_BGP_RECONF: return step_bgp(k, s, o, e);
	case STEP_NETNS_ADD: return step_netns_add(k, s, e);
	case STEP_NETNS_DEL: return step_netns_del(k, s, o, e);
	case STEP_TRUNK_ADD: return step_trunk_add(k, s, e);
	case STEP_TRUNK_DEL: return step_trunk_del(k, s, e);
	case STEP_PLINK_ADD: return step_plink_add(k, s, e);
	case STEP_PLINK_DEL: return step_plink_del(k, s, e);
	case STEP_RATE_SET: return step_rate_set(k, s, e);
	case STEP_CARRIER_SET: return step_carrier_set(k, s, e);
	case STEP_VNET_ADD: return step_vnet_add(k, s, e);
	case STEP_VNET_DEL: return step_vnet_del(k, s, o, e);
	case _STEP_MAX: break;
	}
	return -EINVAL;
}

/* A link erlab would delete carries its mark (SPEC §6); one that is not there is fine. */
static int link_owned(struct kernel *k, const char *ns, const char *ifname, const char *key, struct err *e)
{
	char alias[MARK_MAX + 64], owner[GUID_STRLEN], w[NS_NAME_MAX + IFNAMSIZ + 2];
	const char *role;
	struct err le = {0};
	int r = link_get_alias(k, ns, ifname, alias, sizeof(alias), &le);

	if (r == -ENODEV || r == -ENOENT)
		return 0;
	if (r < 0) {
		*e = le;
		return r;
	}
	if (names_mark_parse(alias, owner, &role) == 0 && strcmp(owner, key) == 0)
		return 0;
	snprintf(w, sizeof(w), "%s/%s", ns, ifname);
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
	char ns[NS_NAME_MAX], ifname[IFNAMSIZ];
	int r;

	for (unsigned i = 0; i < p->n; i++) {
		const struct step *s = &p->steps[i];

		switch (s->op) {
		case STEP_NETNS_DEL:
		case STEP_VNET_DEL:
			if (s->op == STEP_NETNS_DEL)
				names_ns(s->c, s->role, ns);
			else
				names_vnet_ns(s->c, &s->c->vnets[s->vnet], ns);
			if (netns_exists(k, ns) && netns_owned(k, ns, s->c->service_key, e) < 0)
				return -EEXIST;
			break;
		case STEP_TRUNK_DEL:
			if ((r = link_owned(k, names_ns(s->c, NS_CUSTOMER, ns), names_trunk(s->side), s->c->service_key, e)) < 0)
				return r;
			break;
		case STEP_PLINK_DEL:
			names_plink(s->side, s->c->peerings[s->type].vlan_id, ifname);
			for (enum ns_role role = 0; role < _NS_MAX; role++)
				if ((r = link_owned(k, names_ns(s->c, role, ns), ifname, s->c->service_key, e)) < 0)
					return r;
			break;
		default:
			break;
		}
	}
	return 0;
}

int apply_plan(struct kernel *k, const struct plan *p, struct apply_opts *o, struct err *e)
{
	char desc[256];
	unsigned i, pending = netns_del_pending(k);
	int r = 0;

	if ((r = removals_owned(k, p, e)) < 0)
		return r;
	for (i = 0; i < p->n; i++) {
		const struct step *s = &p->steps[i];

		if (o->trace)
			fprintf(o->trace, "erlab: %s\n", step_describe(s, desc, sizeof(desc)));
		if (o->fail_at_step && o->steps_done + 1 == o->fail_at_step) {
			r = err_set(e, -EIO, step_describe(s, desc, sizeof(desc)), "failed");
			err_detail(e, "injected by ERLAB_TEST_FAIL_AT_STEP=%u", o->fail_at_step);
			break;
		}
		r = step_run(k, s, o, e);
		if (r == -EALREADY)
			r = 0;   /* our own namespace, left by an interrupted run: adopted */
		if (r < 0) {
			/* Say which step failed; keep the kernel's reason in the detail. */
			char what[sizeof(e->what)];

			snprintf(what, sizeof(what), "%s", e->what);
			snprintf(e->what, sizeof(e->what), "%s", step_describe(s, desc, sizeof(desc)));
			if (what[0] && strstr(e->msg, what) == NULL) {
				char msg[sizeof(e->msg)];
				int len = snprintf(msg, sizeof(msg), "%s: ", what);

				snprintf(msg + len, sizeof(msg) - (size_t)len, "%.*s", (int)(sizeof(msg) - (size_t)len - 1),
					 e->msg);
				memcpy(e->msg, msg, sizeof(msg));
			}
			break;
		}
		o->steps_done++;
		if (o->kill_at_step && o->steps_done == o->kill_at_step)
			raise(SIGKILL);
	}
	if (i == p->n)
		return 0;

	/* Undo every step that succeeded, newest first; a recorded removal just did not happen. */
	netns_del_cancel(k, pending);
	while (i-- > 0) {
		struct step inv = step_inverse(&p->steps[i]);
		struct err ue = {0};

		if (step_run(k, &inv, o, &ue) < 0 && o->trace)
			fprintf(o->trace, "erlab: undo failed: %s: %s\n", step_describe(&inv, desc, sizeof(desc)),
				ue.msg);
	}
	return r;
}
