/* SPDX-License-Identifier: MIT */
/* Where a circuit's customer side is (core/attach.c): the forms of `customer`, the VNI rule, where
 * each link end lives per side, and what a plan makes (docs/layout.md, "Beyond one machine"). */
#include <errno.h>
#include <string.h>

#include "core/attach.h"
#include "core/expect.h"
#include "core/plan.h"
#include "test.h"

static void circuit(struct circuit *c, enum datapath dp, const char *customer)
{
	struct peering *p = &c->peerings[ACCESS_PRIVATE];

	circuit_init(c);
	snprintf(c->name, sizeof(c->name), "C1");
	snprintf(c->service_key, sizeof(c->service_key), "0b5b6c4e-56a8-4a4e-9b33-0d3b7a1c2f10");
	snprintf(c->customer, sizeof(c->customer), "%s", customer);
	snprintf(c->microsoft_address, sizeof(c->microsoft_address), "192.0.2.1");
	c->bandwidth = 200;
	c->datapath = dp;
	peering_init(p, ACCESS_PRIVATE);
	p->vlan_id = 100;
	p->peer_asn = 1234;
	cidr_parse("10.0.0.0/30", &p->primary4);
	cidr_parse("10.0.0.4/30", &p->secondary4);
	p->has = PEERING_HAS_VLAN | PEERING_HAS_PEER_ASN | PEERING_HAS_PRIMARY4 | PEERING_HAS_SECONDARY4;
	c->peering_present[ACCESS_PRIVATE] = true;
}

static void test_parse(void)
{
	struct attach a;
	struct err e = { 0 };

	CHECK_INT(attach_parse("", &a, &e), 0);
	CHECK_INT(a.kind, ATTACH_NS);
	CHECK_INT(attach_parse("ns", &a, &e), 0);
	CHECK_INT(attach_parse("bridge:br-p,br-s", &a, &e), 0);
	CHECK_INT(a.kind, ATTACH_BRIDGE);
	CHECK_STR(a.bridge[LINK_PRIMARY], "br-p");
	CHECK_STR(a.bridge[LINK_SECONDARY], "br-s");
	CHECK_INT(attach_parse("remote:2001:db8::7", &a, &e), 0);
	CHECK_INT(a.kind, ATTACH_REMOTE);
	CHECK_INT(a.remote.family, AF_INET6);
	CHECK_INT(attach_parse("bridge:br-p", &a, &e), -EINVAL);
	CHECK_INT(attach_parse("bridge:br-p,br-p", &a, &e), -EINVAL);
	CHECK_INT(attach_parse("bridge:a-name-far-too-long,b", &a, &e), -EINVAL);
	CHECK_INT(attach_parse("bridge:a b,c", &a, &e), -EINVAL);
	CHECK_INT(attach_parse("remote:192.0.2.0/24", &a, &e), -EINVAL);
	CHECK_INT(attach_parse("remote:host.example", &a, &e), -EINVAL);
	CHECK_INT(attach_parse("wire:x", &a, &e), -EINVAL);
	CHECK(strstr(e.msg, "use ns, bridge:PRIMARY,SECONDARY or remote:ADDRESS") != NULL);
}

static void test_circuit_rules(void)
{
	struct circuit c;
	struct err e = { 0 };

	circuit(&c, DATAPATH_VETH, "remote:192.0.2.2");
	CHECK_INT(attach_check_circuit(&c, &e), 0);
	c.microsoft_address[0] = 0;
	CHECK_INT(attach_check_circuit(&c, &e), -EINVAL);
	snprintf(c.microsoft_address, sizeof(c.microsoft_address), "2001:db8::1");
	CHECK_INT(attach_check_circuit(&c, &e), -EINVAL);   /* one family for both ends */
	circuit_clear(&c);
	circuit(&c, DATAPATH_VETH, "bridge:a,b");
	c.bgp.customer = true;
	CHECK_INT(attach_check_circuit(&c, &e), -EINVAL);
	circuit_clear(&c);
	circuit(&c, DATAPATH_VETH, "");
	c.side = SIDE_CUSTOMER;
	CHECK_INT(attach_check_circuit(&c, &e), -EINVAL);
	CHECK_INT(attach_check_vni_base(16769024, "x", &e), 0);
	CHECK_INT(attach_check_vni_base(16769025, "x", &e), -EINVAL);
	circuit_clear(&c);
}

static void test_vni(void)
{
	struct circuit c;
	uint32_t base;

	circuit(&c, DATAPATH_VETH, "remote:192.0.2.2");
	c.vni_base = 20000;
	CHECK_INT(attach_vni(&c, LINK_PRIMARY, 100), 20100);
	CHECK_INT(attach_vni(&c, LINK_SECONDARY, 4094), 20000 + 4096 + 4094);
	CHECK_INT(attach_vni(&c, LINK_SECONDARY, 0), 24096);
	/* Derived from the name alone: the same on both hosts, whatever the service key. */
	c.vni_base = 0;
	base = attach_vni_base(&c);
	CHECK(base % ATTACH_VNI_SPAN == 0 && base >= ATTACH_VNI_SPAN && base + ATTACH_VNI_SPAN - 1 <= ATTACH_VNI_MAX);
	snprintf(c.service_key, sizeof(c.service_key), "11111111-2222-4333-8444-555555555555");
	CHECK_INT(attach_vni_base(&c), base);
	snprintf(c.name, sizeof(c.name), "C2");
	CHECK(attach_vni_base(&c) != base);
	circuit_clear(&c);
}

static void test_ends(void)
{
	struct circuit c;
	struct xlink x[_NS_MAX], l;
	struct xlink_iter it;
	char ip[CIDR_STRLEN];
	unsigned n;

	/* Bridge, veth datapath: the customer end is a port in our namespace, on that side's bridge. */
	circuit(&c, DATAPATH_VETH, "bridge:br-p,br-s");
	expect_plink(&c, ACCESS_PRIVATE, LINK_SECONDARY, x);
	CHECK_INT(x[NS_CUSTOMER].kind, XLINK_VETH);
	CHECK_STR(x[NS_CUSTOMER].ns, NS_SELF);
	CHECK_STR(x[NS_CUSTOMER].name, "e0b5b6c4es100");
	CHECK_STR(x[NS_CUSTOMER].master, "br-s");
	CHECK_INT(x[NS_CUSTOMER].n_addrs, 0);
	CHECK_STR(x[NS_MICROSOFT].ns, "C1-microsoft");
	CHECK_STR(x[NS_MICROSOFT].peer_ns, NS_SELF);
	CHECK_INT(x[NS_MICROSOFT].n_addrs, 1);
	circuit_clear(&c);

	/* Bridge, vlan datapath: the trunk's end is the port; the customer's VLANs are the router's. */
	circuit(&c, DATAPATH_VLAN, "bridge:br-p,br-s");
	expect_trunk(&c, LINK_PRIMARY, x);
	CHECK_STR(x[NS_CUSTOMER].name, "e0b5b6c4ep");
	CHECK_STR(x[NS_CUSTOMER].master, "br-p");
	expect_plink(&c, ACCESS_PRIVATE, LINK_PRIMARY, x);
	CHECK_INT(x[NS_CUSTOMER].kind, XLINK_NONE);
	CHECK_INT(x[NS_MICROSOFT].kind, XLINK_VLAN);
	expect_links_begin(&it, &c);
	for (n = 0; expect_link_next(&it, &l); n++)
		CHECK(l.kind != XLINK_NONE);
	CHECK_INT(n, 4 + 2);   /* both ends of two trunks, the Microsoft VLAN of each side */
	circuit_clear(&c);

	/* Remote, Microsoft side: a VXLAN device in C1-microsoft, nothing of the customer's. */
	circuit(&c, DATAPATH_VETH, "remote:192.0.2.2");
	expect_plink(&c, ACCESS_PRIVATE, LINK_PRIMARY, x);
	CHECK_INT(x[NS_CUSTOMER].kind, XLINK_NONE);
	CHECK_INT(x[NS_MICROSOFT].kind, XLINK_VXLAN);
	CHECK_STR(x[NS_MICROSOFT].name, "primary.100");
	CHECK_STR(cidr_addr_str(&x[NS_MICROSOFT].local, ip, sizeof(ip)), "192.0.2.1");
	CHECK_STR(cidr_addr_str(&x[NS_MICROSOFT].remote, ip, sizeof(ip)), "192.0.2.2");
	CHECK_STR(cidr_str(&x[NS_MICROSOFT].addrs[0], ip, sizeof(ip)), "10.0.0.2/30");
	/* Customer side: the mirror image. */
	c.side = SIDE_CUSTOMER;
	expect_plink(&c, ACCESS_PRIVATE, LINK_PRIMARY, x);
	CHECK_INT(x[NS_MICROSOFT].kind, XLINK_NONE);
	CHECK_STR(x[NS_CUSTOMER].ns, "C1-customer");
	CHECK_STR(cidr_addr_str(&x[NS_CUSTOMER].local, ip, sizeof(ip)), "192.0.2.2");
	CHECK_STR(cidr_addr_str(&x[NS_CUSTOMER].remote, ip, sizeof(ip)), "192.0.2.1");
	CHECK_STR(cidr_str(&x[NS_CUSTOMER].addrs[0], ip, sizeof(ip)), "10.0.0.1/30");
	circuit_clear(&c);
}

/* "op:role" per namespace step, the others by op, for compact assertions. */
static const char *ops(const struct plan *p, char *buf, unsigned len)
{
	static const char *const names[] = { "NA", "ND", "TA", "TD", "PA", "PD", "RS", "CS", "VA", "VD", "BS", "BT", "BR" };
	unsigned off = 0;

	buf[0] = 0;
	for (unsigned i = 0; i < p->n && off < len; i++) {
		const struct step *s = &p->steps[i];

		off += (unsigned)snprintf(buf + off, len - off, "%s%s", i ? " " : "", names[s->op]);
		if (s->op == STEP_NETNS_ADD || s->op == STEP_NETNS_DEL || s->op == STEP_BGP_START)
			off += (unsigned)snprintf(buf + off, len - off, ":%c", s->role == NS_CUSTOMER ? 'c' : 'm');
	}
	return buf;
}

static void test_plan(void)
{
	struct circuit c, d;
	struct vnet v = { .name = "hub" };
	struct cidr sp;
	struct plan p;
	char buf[256];

	cidr_parse("10.1.0.0/16", &sp);
	v.spaces = &sp;
	v.n_spaces = 1;
	circuit(&c, DATAPATH_VETH, "remote:192.0.2.2");
	c.vnets = &v;
	c.n_vnets = 1;
	c.bgp.msee = c.bgp.customer = true;
	plan_init(&p);
	CHECK_INT(plan_circuit(&p, NULL, &c), 0);
	CHECK_STR(ops(&p, buf, sizeof(buf)), "NA:m PA PA VA BS:m");
	plan_clear(&p);
	c.side = SIDE_CUSTOMER;
	CHECK_INT(plan_circuit(&p, NULL, &c), 0);
	CHECK_STR(ops(&p, buf, sizeof(buf)), "NA:c PA PA BS:c");
	plan_clear(&p);
	CHECK_INT(plan_circuit(&p, &c, NULL), 0);
	CHECK_STR(ops(&p, buf, sizeof(buf)), "BT ND:c");
	plan_clear(&p);
	/* Another side, or another attachment, rebuilds. */
	circuit(&d, DATAPATH_VETH, "bridge:a,b");
	CHECK_INT(plan_circuit(&p, &d, &c), 0);
	CHECK_STR(ops(&p, buf, sizeof(buf)), "ND:m NA:c PA PA BS:c");
	plan_clear(&p);
	c.vnets = NULL;
	c.n_vnets = 0;
	circuit_clear(&c);
	circuit_clear(&d);
}

int main(void)
{
	RUN(test_parse);
	RUN(test_circuit_rules);
	RUN(test_vni);
	RUN(test_ends);
	RUN(test_plan);
	return TEST_DONE();
}
