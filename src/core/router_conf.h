/* SPDX-License-Identifier: MIT */
#ifndef ERLAB_ROUTER_CONF_H
#define ERLAB_ROUTER_CONF_H

#include "core/err.h"
#include "core/model.h"

/*
 * The customer router's config for a circuit (`erlab router-config`, docs/bgp.md "Customer router
 * configs"), in one of four flavors. Pure: text from the circuit model, nothing else.
 *
 * Every flavor has, for each chosen peering: its links (primary and secondary, VLAN subinterfaces
 * with the customer address, network + 1, of each subnet), one eBGP session per link and address
 * family to Microsoft (network + 2, AS 12076) from the peering's PeerAsn, the SharedKey as TCP-MD5
 * password, and what the peering advertises (private: the circuit's [bgp] customer_prefixes;
 * Microsoft: that family's AdvertisedPublicPrefixes; public: nothing), as erlab's own customer
 * router does. `bird` is that very config (bird_conf_customer); the others follow Azure's router
 * configuration samples.
 */

enum router_flavor {
	ROUTER_FRR,
	ROUTER_BIRD,
	ROUTER_IOS_XE,
	ROUTER_JUNOS,
	_ROUTER_MAX,
	_ROUTER_INVALID = -22,
};

/* "frr" "bird" "ios-xe" "junos", and the parser (exact, lower case) */
const char *router_flavor_name(enum router_flavor f);
enum router_flavor router_flavor_from_string(const char *s);
/* "frr, bird, ios-xe or junos": for errors that name the choices */
#define ROUTER_FLAVOR_CHOICES "frr, bird, ios-xe or junos"

/*
 * The config text of flavor f for circuit c. peerings: a mask of (1u << ACCESS_*), the peerings to
 * configure; 0 = every peering of the circuit. *ret_text is heap (free it).
 * Returns 0; -ENOENT when a peering asked for does not exist or the circuit has none (e names it);
 * -EINVAL when a value of the circuit cannot be written safely (as bird_conf_customer checks);
 * -ENOMEM.
 */
int router_conf(const struct circuit *c, enum router_flavor f, unsigned peerings, char **ret_text, struct err *e);

#endif
