/* SPDX-License-Identifier: MIT */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/attach.h"
#include "core/bird_conf.h"
#include "core/names.h"
#include "core/plan.h"

void plan_init(struct plan *p)
{
	memset(p, 0, sizeof(*p));
}

void plan_clear(struct plan *p)
{
	free(p->steps);
	plan_init(p);
}

int plan_push(struct plan *p, const struct step *s)
{
	if (p->n == p->cap) {
		unsigned cap = p->cap ? p->cap * 2 : 16;
		struct step *v = realloc(p->steps, cap * sizeof(*v));

		if (!v)
			return -ENOMEM;
		p->steps = v;
		p->cap = cap;
	}
	p->steps[p->n++] = *s;
	return 0;
}

static int push(struct plan *p, enum step_op op, const struct circuit *c, const struct circuit *prev,
		enum ns_role role, enum link_side side, enum access_type type)
{
	struct step s = {
		.op = op, .c = c, .prev = prev, .role = role, .side = side, .type = type,
	};

	return plan_push(p, &s);
}

static bool same_cidr(bool has_a, const struct cidr *a, bool has_b, const struct cidr *b)
{
	if (has_a != has_b)
		return false;
	return !has_a || cidr_equal(a, b);
}

/* Do two peerings need the same kernel objects? (VLAN id and the four subnets.) */
static bool plink_equal(const struct peering *a, const struct peering *b)
{
	if (a->vlan_id != b->vlan_id)
		return false;
	for (enum subnet_slot s = 0; s < _SUBNET_MAX; s++)
		if (!same_cidr(a->has & subnet_slots[s].bit, peering_subnet(a, s), b->has & subnet_slots[s].bit,
			       peering_subnet(b, s)))
			return false;
	return true;
}

static bool vnet_equal(const struct vnet *a, const struct vnet *b)
{
	if (strcmp(a->name, b->name) != 0 || a->n_spaces != b->n_spaces)
		return false;
	for (unsigned i = 0; i < a->n_spaces; i++)
		if (!cidr_equal(&a->spaces[i], &b->spaces[i]))
			return false;
	return true;
}

/* Index of the VNet of c equal to v (same name and spaces), or -1. */
static int vnet_find(const struct circuit *c, const struct vnet *v)
{
	for (unsigned i = 0; i < c->n_vnets; i++)
		if (vnet_equal(&c->vnets[i], v))
			return (int)i;
	return -1;
}

static int push_vnet(struct plan *p, enum step_op op, const struct circuit *c, unsigned v)
{
	struct step s = { .op = op, .c = c, .vnet = v };

	return plan_push(p, &s);
}

/* BIRD runs in a namespace of the circuit on this host (core/attach.h). */
static bool bgp_on(const struct circuit *c, enum ns_role role)
{
	return (role == NS_MICROSOFT ? c->bgp.msee : c->bgp.customer) && attach_ns_here(c, role);
}

/* VNets are behind the Microsoft edge: made on its host only. */
static unsigned vnets_here(const struct circuit *c)
{
	return attach_ns_here(c, NS_MICROSOFT) ? c->n_vnets : 0;
}

/* Where the customer side is, and which side this host builds: a change of any of them rebuilds. */
static bool attach_equal(const struct circuit *a, const struct circuit *b)
{
	return strcmp(a->customer, b->customer) == 0 && strcmp(a->microsoft_address, b->microsoft_address) == 0 &&
	       strcmp(a->underlay_dev, b->underlay_dev) == 0 && a->vni_base == b->vni_base && a->side == b->side;
}

/* Would BIRD's config for this role differ? (The generated text is the whole truth.) */
static bool bgp_differs(const struct circuit *a, const struct circuit *b, enum ns_role role)
{
	char *ta = NULL, *tb = NULL;
	struct bird_customer_opts co = { 0 };
	bool differs;

	if (role == NS_MICROSOFT) {
		bird_conf_msee(a, NULL, &ta, NULL);
		bird_conf_msee(b, NULL, &tb, NULL);
	} else {
		co.adv[ACCESS_PRIVATE] = a->bgp.prefixes;
		co.n_adv[ACCESS_PRIVATE] = a->bgp.n_prefixes;
		bird_conf_customer(a, &co, &ta, NULL);
		co.adv[ACCESS_PRIVATE] = b->bgp.prefixes;
		co.n_adv[ACCESS_PRIVATE] = b->bgp.n_prefixes;
		bird_conf_customer(b, &co, &tb, NULL);
	}
	differs = !ta || !tb || strcmp(ta, tb) != 0;
	free(ta);
	free(tb);
	return differs;
}

static int plan_create(struct plan *p, const struct circuit *to)
{
	int r;

	for (enum ns_role role = 0; role < _NS_MAX; role++)
		if (attach_ns_here(to, role) && (r = push(p, STEP_NETNS_ADD, to, NULL, role, 0, 0)) < 0)
			return r;
	if (to->datapath == DATAPATH_VLAN)
		for (enum link_side side = 0; side < _LINK_MAX; side++)
			if ((r = push(p, STEP_TRUNK_ADD, to, NULL, 0, side, 0)) < 0)
				return r;
	for (enum access_type t = 0; t < _ACCESS_MAX; t++) {
		if (!to->peering_present[t])
			continue;
		for (enum link_side side = 0; side < _LINK_MAX; side++)
			if ((r = push(p, STEP_PLINK_ADD, to, NULL, 0, side, t)) < 0)
				return r;
	}
	for (unsigned v = 0; v < vnets_here(to); v++)
		if ((r = push_vnet(p, STEP_VNET_ADD, to, v)) < 0)
			return r;
	for (int role = _NS_MAX - 1; role >= 0; role--)
		if (bgp_on(to, role) && (r = push(p, STEP_BGP_START, to, NULL, role, 0, 0)) < 0)
			return r;
	return 0;
}

static int plan_remove(struct plan *p, const struct circuit *from)
{
	int r;

	for (enum ns_role role = 0; role < _NS_MAX; role++)
		if (bgp_on(from, role) && (r = push(p, STEP_BGP_STOP, from, NULL, role, 0, 0)) < 0)
			return r;
	for (unsigned v = 0; v < vnets_here(from); v++)
		if ((r = push_vnet(p, STEP_VNET_DEL, from, v)) < 0)
			return r;
	for (int role = _NS_MAX - 1; role >= 0; role--)
		if (attach_ns_here(from, role) && (r = push(p, STEP_NETNS_DEL, from, NULL, role, 0, 0)) < 0)
			return r;
	return 0;
}

int plan_circuit(struct plan *p, const struct circuit *from, const struct circuit *to)
{
	int r;

	if (!from && !to)
		return 0;
	if (!from)
		return plan_create(p, to);
	if (!to)
		return plan_remove(p, from);
	if (from->datapath != to->datapath || strcmp(from->name, to->name) != 0 || !attach_equal(from, to)) {
		if ((r = plan_remove(p, from)) < 0)
			return r;
		return plan_create(p, to);
	}

	for (enum ns_role role = 0; role < _NS_MAX; role++)
		if (bgp_on(from, role) && !bgp_on(to, role) && (r = push(p, STEP_BGP_STOP, from, NULL, role, 0, 0)) < 0)
			return r;
	for (unsigned v = 0; v < vnets_here(from); v++)
		if (vnet_find(to, &from->vnets[v]) < 0 && (r = push_vnet(p, STEP_VNET_DEL, from, v)) < 0)
			return r;
	for (enum access_type t = 0; t < _ACCESS_MAX; t++) {
		if (!from->peering_present[t])
			continue;
		if (to->peering_present[t] && plink_equal(&from->peerings[t], &to->peerings[t]))
			continue;
		for (enum link_side side = 0; side < _LINK_MAX; side++)
			if ((r = push(p, STEP_PLINK_DEL, from, NULL, 0, side, t)) < 0)
				return r;
	}
	if (from->bandwidth != to->bandwidth)
		if ((r = push(p, STEP_RATE_SET, to, from, 0, 0, 0)) < 0)
			return r;
	for (enum access_type t = 0; t < _ACCESS_MAX; t++) {
		if (!to->peering_present[t])
			continue;
		if (from->peering_present[t] && plink_equal(&from->peerings[t], &to->peerings[t]))
			continue;
		for (enum link_side side = 0; side < _LINK_MAX; side++)
			if ((r = push(p, STEP_PLINK_ADD, to, NULL, 0, side, t)) < 0)
				return r;
	}
	for (unsigned v = 0; v < vnets_here(to); v++)
		if (vnet_find(from, &to->vnets[v]) < 0 && (r = push_vnet(p, STEP_VNET_ADD, to, v)) < 0)
			return r;
	for (int role = _NS_MAX - 1; role >= 0; role--) {
		if (!bgp_on(to, role))
			continue;
		r = 0;
		if (!bgp_on(from, role))
			r = push(p, STEP_BGP_START, to, NULL, role, 0, 0);
		else if (bgp_differs(from, to, role))
			r = push(p, STEP_BGP_RECONF, to, from, role, 0, 0);
		if (r < 0)
			return r;
	}
	return 0;
}

struct step step_inverse(const struct step *s)
{
	struct step inv = *s;

	switch (s->op) {
	case STEP_NETNS_ADD: inv.op = STEP_NETNS_DEL; break;
	case STEP_NETNS_DEL: inv.op = STEP_NETNS_ADD; break;
	case STEP_TRUNK_ADD: inv.op = STEP_TRUNK_DEL; break;
	case STEP_TRUNK_DEL: inv.op = STEP_TRUNK_ADD; break;
	case STEP_PLINK_ADD: inv.op = STEP_PLINK_DEL; break;
	case STEP_PLINK_DEL: inv.op = STEP_PLINK_ADD; break;
	case STEP_RATE_SET:
		inv.c = s->prev;
		inv.prev = s->c;
		break;
	case STEP_CARRIER_SET: inv.up = !s->up; break;
	case STEP_VNET_ADD: inv.op = STEP_VNET_DEL; break;
	case STEP_BGP_START: inv.op = STEP_BGP_STOP; break;
	case STEP_BGP_STOP: inv.op = STEP_BGP_START; break;
	case STEP_BGP_RECONF:
		inv.c = s->prev;
		inv.prev = s->c;
		break;
	case STEP_VNET_DEL: inv.op = STEP_VNET_ADD; break;
	case _STEP_MAX: break;
	}
	return inv;
}

const char *step_op_name(enum step_op op)
{
	static const char *const names[_STEP_MAX] = {
		[STEP_NETNS_ADD] = "netns_add", [STEP_NETNS_DEL] = "netns_del", [STEP_TRUNK_ADD] = "trunk_add",
		[STEP_TRUNK_DEL] = "trunk_del", [STEP_PLINK_ADD] = "plink_add", [STEP_PLINK_DEL] = "plink_del",
		[STEP_RATE_SET] = "rate_set", [STEP_CARRIER_SET] = "carrier_set", [STEP_VNET_ADD] = "vnet_add",
		[STEP_VNET_DEL] = "vnet_del", [STEP_BGP_START] = "bgp_start", [STEP_BGP_STOP] = "bgp_stop",
		[STEP_BGP_RECONF] = "bgp_reconf",
	};

	return (unsigned)op < _STEP_MAX && names[op] ? names[op] : "unknown";
}

const char *step_describe(const struct step *s, char *buf, unsigned len)
{
	char ns[NS_NAME_MAX], ifn[IFNAMSIZ];
	const struct peering *pe = &s->c->peerings[s->type < _ACCESS_MAX ? s->type : 0];

	switch (s->op) {
	case STEP_NETNS_ADD:
	case STEP_NETNS_DEL:
		snprintf(buf, len, "%s namespace %s", s->op == STEP_NETNS_ADD ? "create" : "remove",
			 names_ns(s->c, s->role, ns));
		break;
	case STEP_TRUNK_ADD:
	case STEP_TRUNK_DEL:
		snprintf(buf, len, "%s trunk %s of %s (%u Mbit/s)", s->op == STEP_TRUNK_ADD ? "create" : "remove",
			 names_trunk(s->side), s->c->name, s->c->bandwidth);
		break;
	case STEP_PLINK_ADD:
	case STEP_PLINK_DEL:
		snprintf(buf, len, "%s %s link %s of %s %s peering", s->op == STEP_PLINK_ADD ? "create" : "remove",
			 s->c->datapath == DATAPATH_VETH ? "veth" : "VLAN",
			 names_plink(s->side, pe->vlan_id, ifn), s->c->name, access_type_lower(s->type));
		break;
	case STEP_RATE_SET:
		snprintf(buf, len, "change the rate of %s from %u to %u Mbit/s", s->c->name,
			 s->prev ? s->prev->bandwidth : 0, s->c->bandwidth);
		break;
	case STEP_CARRIER_SET:
		snprintf(buf, len, "take %s link of %s %s", names_trunk(s->side), s->c->name,
			 s->up ? "up" : "down");
		break;
	case STEP_VNET_ADD:
	case STEP_VNET_DEL:
		snprintf(buf, len, "%s virtual network %s (namespace %s)", s->op == STEP_VNET_ADD ? "link" : "unlink",
			 s->c->vnets[s->vnet].name, names_vnet_ns(s->c, &s->c->vnets[s->vnet], ns));
		break;
	case STEP_BGP_START:
	case STEP_BGP_STOP:
	case STEP_BGP_RECONF:
		snprintf(buf, len, "%s BIRD as the %s of %s", s->op == STEP_BGP_START ? "start" :
			 s->op == STEP_BGP_STOP ? "stop" : "reconfigure",
			 s->role == NS_MICROSOFT ? "Microsoft edge" : "customer router", s->c->name);
		break;
	default:
		snprintf(buf, len, "step %d", (int)s->op);
	}
	return buf;
}
