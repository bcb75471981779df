/* SPDX-License-Identifier: MIT */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "core/model.h"
#include "test.h"

static struct cidr P(const char *s)
{
	struct cidr c = { 0 };

	CHECK_INT(cidr_parse(s, &c), 0);
	return c;
}

static struct cidr *prefixes(unsigned n, const char *first)
{
	struct cidr *a = calloc(n, sizeof(*a));
	unsigned i;

	for (i = 0; a && i < n; i++)
		a[i] = P(first), a[i].addr[2] = (uint8_t)i;
	return a;
}

static void test_peering_init(void)
{
	struct peering p;

	memset(&p, 0x5a, sizeof(p));
	peering_init(&p, ACCESS_MICROSOFT);
	CHECK_INT(p.type, ACCESS_MICROSOFT);
	CHECK_INT(p.has, 0);
	CHECK(p.enabled);
	CHECK_INT(p.ms[FAMILY_V4].prefix_state, PREFIX_CONFIGURED);
	CHECK(p.ms[FAMILY_V4].prefixes == NULL);
	CHECK_INT(p.ms[FAMILY_V4].n_prefixes, 0);
	CHECK_INT(p.peer_asn, 0);
	CHECK_INT(p.vlan_id, 0);
	CHECK_STR(p.shared_key, "");
	CHECK_STR(p.ms[FAMILY_V4].registry, "");
	CHECK_INT(p.primary4.family, 0);
	CHECK(!peering_has_v4(&p));
	CHECK(!peering_has_v6(&p));
}

static void test_peering_copy_clear(void)
{
	struct peering a, b;

	peering_init(&a, ACCESS_MICROSOFT);
	a.has = PEERING_HAS_PREFIXES | PEERING_HAS_PEER_ASN;
	a.peer_asn = 1234;
	a.ms[FAMILY_V4].prefixes = prefixes(3, "123.0.0.0/30");
	a.ms[FAMILY_V4].n_prefixes = 3;
	CHECK_INT(peering_copy(&b, &a), 0);
	CHECK(b.ms[FAMILY_V4].prefixes != NULL && b.ms[FAMILY_V4].prefixes != a.ms[FAMILY_V4].prefixes);
	CHECK_INT(b.ms[FAMILY_V4].n_prefixes, 3);
	CHECK(b.ms[FAMILY_V4].prefixes && cidr_equal(&b.ms[FAMILY_V4].prefixes[2], &a.ms[FAMILY_V4].prefixes[2]));
	CHECK_INT(b.peer_asn, 1234);
	CHECK_INT(b.type, ACCESS_MICROSOFT);
	CHECK_INT(b.has, PEERING_HAS_PREFIXES | PEERING_HAS_PEER_ASN);
	peering_clear(&a);
	CHECK(a.ms[FAMILY_V4].prefixes == NULL);
	CHECK_INT(a.ms[FAMILY_V4].n_prefixes, 0);
	CHECK_INT(a.has, 0);
	CHECK_INT(a.peer_asn, 0);
	CHECK_INT(a.type, ACCESS_MICROSOFT);
	CHECK(a.enabled);
	/* b survives a's clear */
	CHECK_INT(b.ms[FAMILY_V4].prefixes[0].addr[0], 123);
	CHECK_INT(peering_copy(&b, &b), 0);
	peering_clear(&b);

	/* An empty array copies as NULL, whatever n says. */
	peering_init(&a, ACCESS_PRIVATE);
	a.ms[FAMILY_V4].n_prefixes = 5;
	CHECK_INT(peering_copy(&b, &a), 0);
	CHECK(b.ms[FAMILY_V4].prefixes == NULL);
	CHECK_INT(b.ms[FAMILY_V4].n_prefixes, 0);
}

static void test_peering_has(void)
{
	struct peering p;

	peering_init(&p, ACCESS_PRIVATE);
	p.has = PEERING_HAS_PRIMARY4;
	CHECK(!peering_has_v4(&p));
	p.has = PEERING_HAS_SECONDARY4;
	CHECK(!peering_has_v4(&p));
	p.has = PEERING_HAS_PRIMARY4 | PEERING_HAS_SECONDARY4;
	CHECK(peering_has_v4(&p));
	CHECK(!peering_has_v6(&p));
	p.has = PEERING_HAS_PRIMARY6;
	CHECK(!peering_has_v6(&p));
	p.has = PEERING_HAS_PRIMARY6 | PEERING_HAS_SECONDARY6;
	CHECK(peering_has_v6(&p));
	CHECK(!peering_has_v4(&p));
}

static void test_peering_merge(void)
{
	struct peering dst, patch;
	char buf[CIDR_STRLEN];

	peering_init(&dst, ACCESS_MICROSOFT);
	dst.has = PEERING_HAS_PEER_ASN | PEERING_HAS_VLAN | PEERING_HAS_PRIMARY4 | PEERING_HAS_PREFIXES |
		  PEERING_HAS_SHARED_KEY;
	dst.peer_asn = 1234;
	dst.vlan_id = 300;
	dst.primary4 = P("131.107.0.0/30");
	strcpy(dst.shared_key, "A1B2C3D4");
	dst.ms[FAMILY_V4].prefixes = prefixes(2, "123.0.0.0/30");
	dst.ms[FAMILY_V4].n_prefixes = 2;

	/* Only the fields whose bit is set move; garbage in the others must not. */
	memset(&patch, 0x77, sizeof(patch));
	patch.has = PEERING_HAS_VLAN | PEERING_HAS_SECONDARY4 | PEERING_HAS_CUSTOMER_ASN | PEERING_HAS_REGISTRY;
	patch.vlan_id = 301;
	patch.secondary4 = P("131.107.0.4/30");
	patch.ms[FAMILY_V4].customer_asn = 2245;
	strcpy(patch.ms[FAMILY_V4].registry, "ARIN");
	patch.type = ACCESS_PRIVATE;
	patch.enabled = false;
	patch.ms[FAMILY_V4].prefix_state = PREFIX_VALIDATION_NEEDED;
	CHECK_INT(peering_merge(&dst, &patch), 0);
	CHECK_INT(dst.vlan_id, 301);
	CHECK_INT(dst.peer_asn, 1234);
	CHECK_STR(cidr_str(&dst.primary4, buf, sizeof(buf)), "131.107.0.0/30");
	CHECK_STR(cidr_str(&dst.secondary4, buf, sizeof(buf)), "131.107.0.4/30");
	CHECK_INT(dst.ms[FAMILY_V4].customer_asn, 2245);
	CHECK_STR(dst.ms[FAMILY_V4].registry, "ARIN");
	CHECK_STR(dst.shared_key, "A1B2C3D4");
	CHECK_INT(dst.ms[FAMILY_V4].n_prefixes, 2);
	CHECK_INT(dst.type, ACCESS_MICROSOFT);
	CHECK(dst.enabled);
	CHECK_INT(dst.ms[FAMILY_V4].prefix_state, PREFIX_CONFIGURED);
	CHECK_INT(dst.primary6.family, 0);
	CHECK_INT(dst.has, PEERING_HAS_PEER_ASN | PEERING_HAS_VLAN | PEERING_HAS_PRIMARY4 |
		  PEERING_HAS_PREFIXES | PEERING_HAS_SHARED_KEY | PEERING_HAS_SECONDARY4 |
		  PEERING_HAS_CUSTOMER_ASN | PEERING_HAS_REGISTRY);
	CHECK(peering_has_v4(&dst));

	/* Prefixes are deep-copied and replace the old list. */
	peering_init(&patch, ACCESS_MICROSOFT);
	patch.has = PEERING_HAS_PREFIXES | PEERING_HAS_PEER_ASN | PEERING_HAS_SHARED_KEY |
		    PEERING_HAS_PRIMARY6 | PEERING_HAS_SECONDARY6;
	patch.peer_asn = 4200000000u;
	strcpy(patch.shared_key, "K");
	patch.primary6 = P("2a01:111::/126");
	patch.secondary6 = P("2a01:111::4/126");
	patch.ms[FAMILY_V4].prefixes = prefixes(3, "8.8.0.0/24");
	patch.ms[FAMILY_V4].n_prefixes = 3;
	CHECK_INT(peering_merge(&dst, &patch), 0);
	CHECK_INT(dst.peer_asn, 4200000000u);
	CHECK_STR(dst.shared_key, "K");
	CHECK_INT(dst.ms[FAMILY_V4].n_prefixes, 3);
	CHECK(dst.ms[FAMILY_V4].prefixes != patch.ms[FAMILY_V4].prefixes);
	CHECK_STR(cidr_str(&dst.ms[FAMILY_V4].prefixes[2], buf, sizeof(buf)), "8.8.2.0/24");
	CHECK_STR(cidr_str(&dst.primary6, buf, sizeof(buf)), "2a01:111::/126");
	CHECK_STR(cidr_str(&dst.secondary6, buf, sizeof(buf)), "2a01:111::4/126");
	CHECK(peering_has_v6(&dst));
	peering_clear(&patch);
	CHECK_STR(cidr_str(&dst.ms[FAMILY_V4].prefixes[0], buf, sizeof(buf)), "8.8.0.0/24");

	/* An empty prefix list clears the old one; zero values are still "set". */
	peering_init(&patch, ACCESS_MICROSOFT);
	patch.has = PEERING_HAS_PREFIXES | PEERING_HAS_CUSTOMER_ASN;
	patch.ms[FAMILY_V4].customer_asn = 0;
	CHECK_INT(peering_merge(&dst, &patch), 0);
	CHECK(dst.ms[FAMILY_V4].prefixes == NULL);
	CHECK_INT(dst.ms[FAMILY_V4].n_prefixes, 0);
	CHECK_INT(dst.ms[FAMILY_V4].customer_asn, 0);
	CHECK(dst.has & PEERING_HAS_PREFIXES);

	/* An empty patch changes nothing. */
	peering_init(&patch, ACCESS_PRIVATE);
	CHECK_INT(peering_merge(&dst, &patch), 0);
	CHECK_INT(dst.vlan_id, 301);
	CHECK_INT(peering_merge(&dst, &dst), 0);
	CHECK_INT(dst.vlan_id, 301);
	peering_clear(&dst);
}

static void test_circuit_init(void)
{
	struct circuit c;
	unsigned t;

	memset(&c, 0x33, sizeof(c));
	circuit_init(&c);
	CHECK_INT(c.has, 0);
	CHECK_STR(c.name, "");
	CHECK_STR(c.service_key, "");
	CHECK_INT(c.bandwidth, 0);
	CHECK_INT(c.sku, SKU_STANDARD);
	CHECK_INT(c.billing, BILLING_METERED);
	CHECK_INT(c.prov, PROV_NOT_PROVISIONED);
	CHECK(c.enabled);
	CHECK_INT(c.datapath, DATAPATH_AUTO);
	CHECK(c.vnets == NULL);
	CHECK_INT(c.n_vnets, 0);
	CHECK(c.lab == NULL);
	for (t = 0; t < _ACCESS_MAX; t++) {
		CHECK(!c.peering_present[t]);
		CHECK_INT(c.peerings[t].type, t);
		CHECK(c.peerings[t].ms[FAMILY_V4].prefixes == NULL);
	}
}

static void fill_circuit(struct circuit *c)
{
	circuit_init(c);
	strcpy(c->name, "MyTestCircuit");
	strcpy(c->service_key, "0b5b6c4e-56a8-4a4e-9b33-0d3b7a1c2f10");
	c->bandwidth = 200;
	c->prov = PROV_PROVISIONED;
	c->peering_present[ACCESS_MICROSOFT] = true;
	c->peerings[ACCESS_MICROSOFT].ms[FAMILY_V4].prefixes = prefixes(2, "123.0.0.0/30");
	c->peerings[ACCESS_MICROSOFT].ms[FAMILY_V4].n_prefixes = 2;
	c->peerings[ACCESS_MICROSOFT].vlan_id = 300;
	c->n_vnets = 2;
	c->vnets = calloc(2, sizeof(*c->vnets));
	strcpy(c->vnets[0].name, "hub");
	c->vnets[0].n_spaces = 1;
	c->vnets[0].spaces = calloc(1, sizeof(struct cidr));
	c->vnets[0].spaces[0] = P("10.1.0.0/16");
	strcpy(c->vnets[1].name, "spoke");
	c->lab = strdup("/labs/classic.ini");
}

static void test_circuit_copy_clear(void)
{
	struct circuit a, b;
	char buf[CIDR_STRLEN];

	fill_circuit(&a);
	memset(&b, 0x11, sizeof(b));
	CHECK_INT(circuit_copy(&b, &a), 0);
	CHECK_STR(b.name, "MyTestCircuit");
	CHECK_STR(b.service_key, "0b5b6c4e-56a8-4a4e-9b33-0d3b7a1c2f10");
	CHECK_INT(b.bandwidth, 200);
	CHECK_INT(b.prov, PROV_PROVISIONED);
	CHECK(b.peering_present[ACCESS_MICROSOFT]);
	CHECK(!b.peering_present[ACCESS_PRIVATE]);
	CHECK_INT(b.peerings[ACCESS_MICROSOFT].vlan_id, 300);
	CHECK(b.peerings[ACCESS_MICROSOFT].ms[FAMILY_V4].prefixes != a.peerings[ACCESS_MICROSOFT].ms[FAMILY_V4].prefixes);
	CHECK_INT(b.peerings[ACCESS_MICROSOFT].ms[FAMILY_V4].n_prefixes, 2);
	CHECK(b.vnets != a.vnets);
	CHECK_INT(b.n_vnets, 2);
	CHECK_STR(b.vnets[0].name, "hub");
	CHECK(b.vnets[0].spaces != a.vnets[0].spaces);
	CHECK_STR(cidr_str(&b.vnets[0].spaces[0], buf, sizeof(buf)), "10.1.0.0/16");
	CHECK_STR(b.vnets[1].name, "spoke");
	CHECK(b.vnets[1].spaces == NULL);
	CHECK_INT(b.vnets[1].n_spaces, 0);
	CHECK(b.lab != a.lab);
	CHECK_STR(b.lab, "/labs/classic.ini");

	circuit_clear(&a);
	CHECK_STR(a.name, "");
	CHECK(a.vnets == NULL);
	CHECK_INT(a.n_vnets, 0);
	CHECK(a.lab == NULL);
	CHECK(!a.peering_present[ACCESS_MICROSOFT]);
	CHECK(a.peerings[ACCESS_MICROSOFT].ms[FAMILY_V4].prefixes == NULL);
	CHECK_INT(a.sku, SKU_STANDARD);
	CHECK(a.enabled);
	/* b is independent of a */
	CHECK_STR(cidr_str(&b.peerings[ACCESS_MICROSOFT].ms[FAMILY_V4].prefixes[1], buf, sizeof(buf)), "123.0.1.0/30");
	CHECK_INT(circuit_copy(&b, &b), 0);
	circuit_clear(&b);
	circuit_clear(&b);   /* idempotent */
	CHECK(b.lab == NULL);
}

static void test_vnet_copy_clear(void)
{
	struct vnet a = { .name = "hub" }, b;
	char buf[CIDR_STRLEN];

	a.spaces = calloc(2, sizeof(*a.spaces));
	a.spaces[0] = P("10.1.0.0/16");
	a.spaces[1] = P("10.2.0.0/16");
	a.n_spaces = 2;
	CHECK_INT(vnet_copy(&b, &a), 0);
	CHECK_STR(b.name, "hub");
	CHECK_INT(b.n_spaces, 2);
	CHECK(b.spaces != a.spaces);
	vnet_clear(&a);
	CHECK_STR(a.name, "");
	CHECK(a.spaces == NULL);
	CHECK_INT(a.n_spaces, 0);
	CHECK_STR(cidr_str(&b.spaces[1], buf, sizeof(buf)), "10.2.0.0/16");
	vnet_clear(&b);
}

static void test_access_type(void)
{
	CHECK_STR(access_type_name(ACCESS_PRIVATE), "Private");
	CHECK_STR(access_type_name(ACCESS_PUBLIC), "Public");
	CHECK_STR(access_type_name(ACCESS_MICROSOFT), "Microsoft");
	CHECK_STR(access_type_lower(ACCESS_PRIVATE), "private");
	CHECK_STR(access_type_lower(ACCESS_PUBLIC), "public");
	CHECK_STR(access_type_lower(ACCESS_MICROSOFT), "microsoft");
	CHECK_STR(access_type_name(_ACCESS_MAX), "unknown");
	CHECK_STR(access_type_name(_ACCESS_INVALID), "unknown");
	CHECK_INT(access_type_from_string("Private"), ACCESS_PRIVATE);
	CHECK_INT(access_type_from_string("private"), ACCESS_PRIVATE);
	CHECK_INT(access_type_from_string("PRIVATE"), ACCESS_PRIVATE);
	CHECK_INT(access_type_from_string("public"), ACCESS_PUBLIC);
	CHECK_INT(access_type_from_string("Microsoft"), ACCESS_MICROSOFT);
	CHECK_INT(access_type_from_string("AzurePrivatePeering"), ACCESS_PRIVATE);
	CHECK_INT(access_type_from_string("azurepublicpeering"), ACCESS_PUBLIC);
	CHECK_INT(access_type_from_string("MicrosoftPeering"), ACCESS_MICROSOFT);
	CHECK_INT(access_type_from_string(""), _ACCESS_INVALID);
	CHECK_INT(access_type_from_string("Privat"), _ACCESS_INVALID);
	CHECK_INT(access_type_from_string(" Private"), _ACCESS_INVALID);
	CHECK_INT(access_type_from_string("AzureMicrosoftPeering"), _ACCESS_INVALID);
	CHECK_INT(access_type_from_string(NULL), _ACCESS_INVALID);
}

static void test_enums(void)
{
	CHECK_STR(sku_name(SKU_STANDARD), "Standard");
	CHECK_STR(sku_name(SKU_PREMIUM), "Premium");
	CHECK_STR(sku_name(_SKU_INVALID), "unknown");
	CHECK_INT(sku_from_string("premium"), SKU_PREMIUM);
	CHECK_INT(sku_from_string("Standard"), SKU_STANDARD);
	CHECK_INT(sku_from_string("Basic"), _SKU_INVALID);
	CHECK_INT(sku_from_string(NULL), _SKU_INVALID);

	CHECK_STR(billing_name(BILLING_METERED), "MeteredData");
	CHECK_STR(billing_name(BILLING_UNLIMITED), "UnlimitedData");
	CHECK_INT(billing_from_string("meteredData"), BILLING_METERED);
	CHECK_INT(billing_from_string("UNLIMITEDDATA"), BILLING_UNLIMITED);
	CHECK_INT(billing_from_string("Metered"), _BILLING_INVALID);

	CHECK_STR(provisioning_name(PROV_NOT_PROVISIONED), "NotProvisioned");
	CHECK_STR(provisioning_name(PROV_PROVISIONED), "Provisioned");
	CHECK_INT(provisioning_from_string("provisioned"), PROV_PROVISIONED);
	CHECK_INT(provisioning_from_string("NotProvisioned"), PROV_NOT_PROVISIONED);
	CHECK_INT(provisioning_from_string("Provisioning"), _PROV_INVALID);

	CHECK_STR(datapath_name(DATAPATH_AUTO), "auto");
	CHECK_STR(datapath_name(DATAPATH_VLAN), "vlan");
	CHECK_STR(datapath_name(DATAPATH_VETH), "veth");
	CHECK_INT(datapath_from_string("VETH"), DATAPATH_VETH);
	CHECK_INT(datapath_from_string("vlan"), DATAPATH_VLAN);
	CHECK_INT(datapath_from_string("auto"), DATAPATH_AUTO);
	CHECK_INT(datapath_from_string("macvlan"), _DATAPATH_INVALID);

	CHECK_STR(prefix_state_name(PREFIX_NOT_CONFIGURED), "NotConfigured");
	CHECK_STR(prefix_state_name(PREFIX_CONFIGURING), "Configuring");
	CHECK_STR(prefix_state_name(PREFIX_CONFIGURED), "Configured");
	CHECK_STR(prefix_state_name(PREFIX_VALIDATION_NEEDED), "ValidationNeeded");
	CHECK_INT(prefix_state_from_string("validationneeded"), PREFIX_VALIDATION_NEEDED);
	CHECK_INT(prefix_state_from_string("Configured"), PREFIX_CONFIGURED);
	CHECK_INT(prefix_state_from_string("Validated"), _PREFIX_INVALID);

	CHECK_STR(link_side_name(LINK_PRIMARY), "primary");
	CHECK_STR(link_side_name(LINK_SECONDARY), "secondary");
	CHECK_STR(link_side_name(_LINK_MAX), "unknown");
	CHECK_INT(link_side_from_string("Secondary"), LINK_SECONDARY);
	CHECK_INT(link_side_from_string("primary"), LINK_PRIMARY);
	CHECK_INT(link_side_from_string("tertiary"), _LINK_INVALID);

	CHECK_STR(ns_role_name(NS_CUSTOMER), "customer");
	CHECK_STR(ns_role_name(NS_MICROSOFT), "microsoft");
	CHECK_STR(ns_role_name(_NS_INVALID), "unknown");
}

int main(void)
{
	RUN(test_peering_init);
	RUN(test_peering_copy_clear);
	RUN(test_peering_has);
	RUN(test_peering_merge);
	RUN(test_circuit_init);
	RUN(test_circuit_copy_clear);
	RUN(test_vnet_copy_clear);
	RUN(test_access_type);
	RUN(test_enums);
	return TEST_DONE();
}
