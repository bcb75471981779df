/* SPDX-License-Identifier: MIT */
#ifndef ERLAB_TEST_FIXTURES_H
#define ERLAB_TEST_FIXTURES_H

/* The how-to's objects, shared by the unit tests that need them. */
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/model.h"

#define FX_KEY "0b5b6c4e-56a8-4a4e-9b33-0d3b7a1c2f10"

/* A prefix the test knows to be valid (a bad one is a bug in the test: abort). */
static inline struct cidr fx_cidr(const char *s)
{
	struct cidr c;

	if (cidr_parse(s, &c) < 0) {
		fprintf(stderr, "test bug: bad prefix %s\n", s);
		abort();
	}
	return c;
}

/* MyTestCircuit: 200 Mbps, Silicon Valley, equinix, Provisioned, Standard, Enabled. */
static inline void fx_howto_circuit(struct circuit *c)
{
	circuit_init(c);
	strcpy(c->name, "MyTestCircuit");
	strcpy(c->service_key, FX_KEY);
	c->bandwidth = 200;
	strcpy(c->location, "Silicon Valley");
	strcpy(c->provider, "equinix");
	c->prov = PROV_PROVISIONED;
}

/* Its private peering: 10.0.0.0/30, 10.0.0.4/30, AS 1234, VLAN 100 (and key A1B2C3D4). */
static inline void fx_private_peering(struct peering *p, bool with_key)
{
	peering_init(p, ACCESS_PRIVATE);
	p->has = PEERING_HAS_PEER_ASN | PEERING_HAS_VLAN | PEERING_HAS_PRIMARY4 | PEERING_HAS_SECONDARY4;
	p->peer_asn = 1234;
	p->vlan_id = 100;
	p->primary4 = fx_cidr("10.0.0.0/30");
	p->secondary4 = fx_cidr("10.0.0.4/30");
	if (with_key) {
		p->has |= PEERING_HAS_SHARED_KEY;
		strcpy(p->shared_key, "A1B2C3D4");
	}
}

static inline void fx_howto_private(struct circuit *c, bool with_key)
{
	fx_private_peering(&c->peerings[ACCESS_PRIVATE], with_key);
	c->peering_present[ACCESS_PRIVATE] = true;
}

#endif
