/* SPDX-License-Identifier: MIT */
#ifndef ERLAB_VALIDATE_H
#define ERLAB_VALIDATE_H

#include <stdbool.h>
#include <stdint.h>

#include "core/err.h"
#include "core/model.h"

/*
 * docs/rules.md. Every function checks, fills *e on failure (naming the object and the value; Azure's
 * recorded text as e->msg where one exists) and returns 0 or -errno:
 *   -EINVAL  invalid input (exit 2)
 *   -EEXIST / -EBUSY  refused by the current state (exit 3)
 *   -ENOENT  not found (exit 4)
 * Nothing here changes anything.
 */

/* What erlab says when a public peering is made: Azure refuses it on new circuits (docs/rules.md). */
#define PUBLIC_PEERING_DEPRECATED                                                                                \
	"Public peering is deprecated: Azure no longer allows it on new ExpressRoute circuits. erlab creates it " \
	"all the same, for labs and classes."

/* Each field alone. `what` is the object the caller is working on ("MyTestCircuit private peering"). */
int validate_peer_asn(uint32_t asn, const char *what, struct err *e);
int validate_customer_asn(uint32_t asn, const char *what, struct err *e);  /* 0 = none is fine */
int validate_vlan(uint32_t vlan, const char *what, struct err *e);
int validate_shared_key(const char *key, const char *what, struct err *e);
int validate_registry(const char *name, const char *what, struct err *e);
/* A peer subnet as typed ("10.0.0.0/30"): parses, must be /30 or /126 and a network address.
 * Azure's text: "The specified BGP peer IP address '98.251.199.31/30' is not valid." */
int validate_peer_subnet(const char *text, const char *what, struct cidr *ret, struct err *e);
/* Comma-separated AdvertisedPublicPrefixes into a heap array (caller frees); key names the field. */
int validate_prefix_list(const char *text, const char *what, const char *key, struct cidr **ret, unsigned *ret_n,
			 struct err *e);

/* A whole circuit as it would be created (name, key, bandwidth, provider, location, sku). */
int validate_circuit(const struct circuit *c, struct err *e);

/*
 * A peering as it would be stored on circuit c (c holds the other peerings and VNets; the
 * slot for p->type in c is ignored). Checks required fields, subnet shape, primary ≠ secondary,
 * overlap with every other subnet of the circuit, public-only for Public/Microsoft, VNet overlap
 * for Private, VLAN uniqueness, ASN rules, shared key, prefixes, customer ASN, registry.
 */
int validate_peering(const struct circuit *c, const struct peering *p, struct err *e);

/* A VNet as it would be linked: name, spaces (network addresses, /29 or larger), no overlap with
 * other VNets or the private peering, private peering present, 10 (Premium 100) per circuit. */
int validate_vnet(const struct circuit *c, const struct vnet *v, struct err *e);

/*
 * The AdvertisedPublicPrefixesState family f of Microsoft peering p earns (docs/bgp.md, "Prefix
 * validation"): ValidationNeeded when PeerAsn is a private AS number and no CustomerAsn is given for
 * the family (Azure validates those by hand), or when registry entries are given (a lab's
 * [registry]) and a prefix is not registered to PeerAsn or the CustomerAsn; Configured otherwise,
 * and for a family without sessions.
 */
enum prefix_state validate_prefix_state(const struct peering *p, enum family f, const struct registry_entry *reg,
					unsigned n_reg);

/* State rules. */
int validate_can_peer(const struct circuit *c, struct err *e);          /* Provisioned and Enabled */
int validate_can_remove_peering(const struct circuit *c, enum access_type t, struct err *e);
int validate_can_remove_circuit(const struct circuit *c, struct err *e); /* NotProvisioned, no VNets */
/* Premium to Standard: nothing a Standard circuit may not hold (10 VNets, 4,000 private routes). */
int validate_can_downgrade(const struct circuit *c, struct err *e);

#endif
