/* SPDX-License-Identifier: MIT */
#include <string.h>

#include "core/plan.h"
#include "test.h"

static void circuit(struct circuit *c, enum datapath dp)
{
	circuit_init(c);
	snprintf(c->name, sizeof(c->name), "C1");
	snprintf(c->service_key, sizeof(c->service_key), "0b5b6c4e-56a8-4a4e-9b33-0d3b7a1c2f10");
	c->bandwidth = 200;
	c->datapath = dp;
}

static void add_peering(struct circuit *c, enum access_type t, uint16_t vlan, const char *p4, const char *s4)
{
	struct peering *p = &c->peerings[t];

	peering_init(p, t);
	p->vlan_id = vlan;
	p->peer_asn = 1234;
	cidr_parse(p4, &p->primary4);
	cidr_parse(s4, &p->secondary4);
	p->has = PEERING_HAS_VLAN | PEERING_HAS_PEER_ASN | PEERING_HAS_PRIMARY4 | PEERING_HAS_SECONDARY4;
	c->peering_present[t] = true;
}

/* "op:side:type" per step, joined by spaces, for compact assertions. */
static const char *ops(const struct plan *p, char *buf, unsigned len)
{
	static const char *const names[] = { "NA", "ND", "TA", "TD", "PA", "PD", "RS", "CS" };
	unsigned off = 0;

	buf[0] = 0;
	for (unsigned i = 0; i < p->n && off < len; i++) {
		const struct step *s = &p->steps[i];

		off += (unsigned)snprintf(buf + off, len - off, "%s%s", i ? " " : "", names[s->op]);
		if (s->op == STEP_PLINK_ADD || s->op == STEP_PLINK_DEL)
			off += (unsigned)snprintf(buf + off, len - off, ":%c%u", s->side == LINK_PRIMARY ? 'p' : 's',
						  s->c->peerings[s->type].vlan_id);
		if (s->op == STEP_NETNS_ADD || s->op == STEP_NETNS_DEL)
			off += (unsigned)snprintf(buf + off, len - off, ":%c", s->role == NS_CUSTOMER ? 'c' : 'm');
	}
	return buf;
}

static void test_create_vlan(void)
{
	struct circuit c;
	struct plan p;
	char buf[256];

	circuit(&c, DATAPATH_VLAN);
	add_peering(&c, ACCESS_PRIVATE, 100, "10.0.0.0/30", "10.0.0.4/30");
	plan_init(&p);
	CHECK_INT(plan_circuit(&p, NULL, &c), 0);
	CHECK_STR(ops(&p, buf, sizeof(buf)), "NA:c NA:m TA TA PA:p100 PA:s100");
	plan_clear(&p);
	circuit_clear(&c);
}

static void test_create_veth_has_no_trunks(void)
{
	struct circuit c;
	struct plan p;
	char buf[256];

	circuit(&c, DATAPATH_VETH);
	add_peering(&c, ACCESS_PRIVATE, 100, "10.0.0.0/30", "10.0.0.4/30");
	add_peering(&c, ACCESS_MICROSOFT, 300, "131.107.0.8/30", "131.107.0.12/30");
	plan_init(&p);
	CHECK_INT(plan_circuit(&p, NULL, &c), 0);
	CHECK_STR(ops(&p, buf, sizeof(buf)), "NA:c NA:m PA:p100 PA:s100 PA:p300 PA:s300");
	plan_clear(&p);
	circuit_clear(&c);
}

static void test_remove_is_namespaces_only(void)
{
	struct circuit c;
	struct plan p;
	char buf[256];

	circuit(&c, DATAPATH_VLAN);
	add_peering(&c, ACCESS_PRIVATE, 100, "10.0.0.0/30", "10.0.0.4/30");
	plan_init(&p);
	CHECK_INT(plan_circuit(&p, &c, NULL), 0);
	CHECK_STR(ops(&p, buf, sizeof(buf)), "ND:m ND:c");
	plan_clear(&p);
	circuit_clear(&c);
}

static void test_vlan_change_deletes_then_adds(void)
{
	struct circuit a, b;
	struct plan p;
	char buf[256];

	circuit(&a, DATAPATH_VLAN);
	add_peering(&a, ACCESS_PRIVATE, 100, "10.0.0.0/30", "10.0.0.4/30");
	add_peering(&a, ACCESS_PUBLIC, 200, "131.107.0.0/30", "131.107.0.4/30");
	circuit(&b, DATAPATH_VLAN);
	add_peering(&b, ACCESS_PRIVATE, 500, "10.0.0.0/30", "10.0.0.4/30");
	add_peering(&b, ACCESS_PUBLIC, 200, "131.107.0.0/30", "131.107.0.4/30");
	plan_init(&p);
	CHECK_INT(plan_circuit(&p, &a, &b), 0);
	/* The public peering is untouched: exactly what differs changes. */
	CHECK_STR(ops(&p, buf, sizeof(buf)), "PD:p100 PD:s100 PA:p500 PA:s500");
	plan_clear(&p);
	circuit_clear(&a);
	circuit_clear(&b);
}

static void test_unchanged_is_empty_and_rate_change(void)
{
	struct circuit a, b;
	struct plan p;
	char buf[256];

	circuit(&a, DATAPATH_VETH);
	add_peering(&a, ACCESS_PRIVATE, 100, "10.0.0.0/30", "10.0.0.4/30");
	circuit(&b, DATAPATH_VETH);
	add_peering(&b, ACCESS_PRIVATE, 100, "10.0.0.0/30", "10.0.0.4/30");
	b.peerings[ACCESS_PRIVATE].peer_asn = 4321;   /* not a kernel object */
	plan_init(&p);
	CHECK_INT(plan_circuit(&p, &a, &b), 0);
	CHECK_INT(p.n, 0);
	b.bandwidth = 500;
	CHECK_INT(plan_circuit(&p, &a, &b), 0);
	CHECK_STR(ops(&p, buf, sizeof(buf)), "RS");
	CHECK(p.steps[0].prev == &a && p.steps[0].c == &b);
	plan_clear(&p);
	circuit_clear(&a);
	circuit_clear(&b);
}

static void test_inverse(void)
{
	struct circuit a, b;
	struct step s = { .op = STEP_RATE_SET }, inv;

	circuit(&a, DATAPATH_VETH);
	circuit(&b, DATAPATH_VETH);
	s.c = &b;
	s.prev = &a;
	inv = step_inverse(&s);
	CHECK(inv.op == STEP_RATE_SET && inv.c == &a && inv.prev == &b);
	s.op = STEP_PLINK_ADD;
	CHECK_INT(step_inverse(&s).op, STEP_PLINK_DEL);
	s.op = STEP_NETNS_DEL;
	CHECK_INT(step_inverse(&s).op, STEP_NETNS_ADD);
	s.op = STEP_CARRIER_SET;
	s.up = false;
	CHECK(step_inverse(&s).up == true);
	circuit_clear(&a);
	circuit_clear(&b);
}

static void test_describe(void)
{
	struct circuit c;
	struct step s = { .op = STEP_PLINK_ADD, .side = LINK_SECONDARY, .type = ACCESS_PRIVATE };
	char buf[200];

	circuit(&c, DATAPATH_VLAN);
	add_peering(&c, ACCESS_PRIVATE, 100, "10.0.0.0/30", "10.0.0.4/30");
	s.c = &c;
	CHECK_STR(step_describe(&s, buf, sizeof(buf)), "create VLAN link secondary.100 of C1 private peering");
	s.op = STEP_NETNS_ADD;
	s.role = NS_MICROSOFT;
	CHECK_STR(step_describe(&s, buf, sizeof(buf)), "create namespace C1-microsoft");
	circuit_clear(&c);
}

int main(void)
{
	RUN(test_create_vlan);
	RUN(test_create_veth_has_no_trunks);
	RUN(test_remove_is_namespaces_only);
	RUN(test_vlan_change_deletes_then_adds);
	RUN(test_unchanged_is_empty_and_rate_change);
	RUN(test_inverse);
	RUN(test_describe);
	return TEST_DONE();
}
