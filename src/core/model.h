/* SPDX-License-Identifier: MIT */
#ifndef ERLAB_MODEL_H
#define ERLAB_MODEL_H

#include <stdbool.h>
#include <stdint.h>

#include "core/cidr.h"
#include "core/shard.h"
#include "core/guid.h"

/* The objects of docs/rules.md. Pure data: nothing here touches the kernel or a file. */

#define CIRCUIT_NAME_MAX 80
#define TEXT_MAX 80              /* location, provider */
#define SHARED_KEY_MAX 25
#define VNET_NAME_MAX 12         /* "to-<vnet>" must fit IFNAMSIZ-1 */
#define AZURE_ASN 12076u
#define ADV_PREFIXES_MAX 200       /* per address family of Microsoft peering */
#define STANDARD_VNETS_MAX 10      /* VNets linked to a Standard circuit; Premium: */
#define PREMIUM_VNETS_MAX 100
#define STANDARD_ROUTES_MAX 4000   /* IPv4 routes to private peering on Standard; Premium: */
#define PREMIUM_ROUTES_MAX 10000
#define CUSTOMER_ATTACH_MAX 63     /* customer = bridge:A,B / remote:ADDRESS */

enum access_type {
	ACCESS_PRIVATE,
	ACCESS_PUBLIC,
	ACCESS_MICROSOFT,
	_ACCESS_MAX,
	_ACCESS_INVALID = -22,
};

enum sku { SKU_STANDARD, SKU_PREMIUM, _SKU_MAX, _SKU_INVALID = -22 };
enum billing { BILLING_METERED, BILLING_UNLIMITED, _BILLING_MAX, _BILLING_INVALID = -22 };
enum provisioning { PROV_NOT_PROVISIONED, PROV_PROVISIONED, _PROV_MAX, _PROV_INVALID = -22 };
enum datapath { DATAPATH_AUTO, DATAPATH_VLAN, DATAPATH_VETH, _DATAPATH_MAX, _DATAPATH_INVALID = -22 };
enum prefix_state {
	PREFIX_NOT_CONFIGURED,
	PREFIX_CONFIGURING,
	PREFIX_CONFIGURED,
	PREFIX_VALIDATION_NEEDED,
	_PREFIX_MAX,
	_PREFIX_INVALID = -22,
};
enum link_side { LINK_PRIMARY, LINK_SECONDARY, _LINK_MAX, _LINK_INVALID = -22 };
enum ns_role { NS_CUSTOMER, NS_MICROSOFT, _NS_MAX, _NS_INVALID = -22 };
/* Which side of a circuit whose customer side is on another host (customer = remote:ADDRESS) this
 * host builds (`up --side`, recorded in the state); every other circuit is built whole, as
 * SIDE_MICROSOFT (core/attach.h). */
enum circuit_side { SIDE_MICROSOFT, SIDE_CUSTOMER, _SIDE_MAX, _SIDE_INVALID = -22 };

/* "Which fields were given" bits: unset and zero stay distinct (wireguard's HAS_ flags). */
enum {
	PEERING_HAS_PEER_ASN      = 1u << 0,
	PEERING_HAS_VLAN          = 1u << 1,
	PEERING_HAS_PRIMARY4      = 1u << 2,
	PEERING_HAS_SECONDARY4    = 1u << 3,
	PEERING_HAS_PRIMARY6      = 1u << 4,
	PEERING_HAS_SECONDARY6    = 1u << 5,
	PEERING_HAS_SHARED_KEY    = 1u << 6,
	PEERING_HAS_PREFIXES      = 1u << 7,
	PEERING_HAS_CUSTOMER_ASN  = 1u << 8,
	PEERING_HAS_REGISTRY      = 1u << 9,
	PEERING_HAS_PREFIXES6     = 1u << 10,
	PEERING_HAS_CUSTOMER_ASN6 = 1u << 11,
	PEERING_HAS_REGISTRY6     = 1u << 12,
};

/* An address family of a peering: its two subnets, and on Microsoft peering its own config. */
enum family { FAMILY_V4, FAMILY_V6, _FAMILY_MAX, _FAMILY_INVALID = -22 };

/*
 * What Microsoft peering keeps per address family (Azure's microsoftPeeringConfig, and the one of
 * ipv6PeeringConfig; docs/rules.md, "Microsoft peering"): the prefixes the customer advertises over
 * that family's sessions, the AS they are registered to, the registry, and the outcome of their
 * validation. On private and public peering only prefix_state is used (Configured, as the classic
 * how-to prints it).
 */
struct ms_config {
	struct cidr *prefixes;            /* AdvertisedPublicPrefixes of the family, heap */
	unsigned n_prefixes;
	uint32_t customer_asn;            /* 0 = none */
	char registry[16];                /* "" = none */
	enum prefix_state prefix_state;
};

/* Per family: its AF_, its has bits, and the suffix its lab keys carry ("" or "_v6"). */
struct family_info {
	int af;
	const char *name;                 /* "IPv4" "IPv6" (-PeerAddressType) */
	unsigned subnets;                 /* PEERING_HAS_PRIMARY? | PEERING_HAS_SECONDARY? */
	unsigned prefixes, customer_asn, registry;
};
extern const struct family_info families[_FAMILY_MAX];
enum family family_of_af(int af);
enum family family_from_string(const char *s);    /* "IPv4" / "IPv6", case-insensitive */

struct peering {
	enum access_type type;
	unsigned has;                     /* PEERING_HAS_* */
	uint32_t peer_asn;
	uint32_t customer_asn;            /* 0 = none */
	uint16_t vlan_id;
	struct cidr primary4, secondary4; /* valid when the HAS bits are set */
	struct cidr primary6, secondary6;
	char shared_key[SHARED_KEY_MAX + 1];
	struct ms_config ms[_FAMILY_MAX];  /* by enum family */
	bool enabled;                     /* State: Enabled/Disabled */
};

/*
 * The four peer subnets of a peering, one per link side and address family, in this order
 * wherever all four are walked (validation, state file, JSON, plan). key: the name the state file
 * and JSON give it.
 */
enum subnet_slot { SUBNET_PRIMARY4, SUBNET_SECONDARY4, SUBNET_PRIMARY6, SUBNET_SECONDARY6, _SUBNET_MAX };
struct subnet_slot_info {
	unsigned bit;          /* PEERING_HAS_* */
	int family;            /* AF_INET or AF_INET6 */
	enum link_side side;
	const char *key;       /* "primary_subnet", ..., "secondary_subnet_v6" */
};
extern const struct subnet_slot_info subnet_slots[_SUBNET_MAX];
enum subnet_slot subnet_slot_of(enum link_side side, bool v6);
/* The subnet in slot s: what it holds means something when p->has has the slot's bit. */
const struct cidr *peering_subnet(const struct peering *p, enum subnet_slot s);
struct cidr *peering_subnet_w(struct peering *p, enum subnet_slot s);

struct vnet {
	char name[VNET_NAME_MAX + 1];
	struct cidr *spaces;              /* heap */
	unsigned n_spaces;
};

/* BGP emulation (docs/bgp.md): BIRD as the Microsoft edge, optionally a customer router too. A lab's
 * [bgp] section, copied into each of its circuits. */
#define BIRD_PATH_MAX 255           /* [bgp] bird_path */
struct bgp_settings {
	bool msee;
	bool customer;
	struct cidr *prefixes;            /* what the customer router advertises (private peering), heap */
	unsigned n_prefixes;
	char bird_path[BIRD_PATH_MAX + 1]; /* the BIRD daemon to run; "": ERLAB_BIRD, else PATH (bgp/bird.h) */
};

enum {
	CIRCUIT_HAS_BANDWIDTH = 1u << 0,
	CIRCUIT_HAS_SKU       = 1u << 1,
	CIRCUIT_HAS_BILLING   = 1u << 2,
	CIRCUIT_HAS_KEY       = 1u << 3,
	CIRCUIT_HAS_LOCATION  = 1u << 4,
	CIRCUIT_HAS_PROVIDER  = 1u << 5,
	CIRCUIT_HAS_PROV      = 1u << 6,
};

struct circuit {
	unsigned has;                     /* CIRCUIT_HAS_*, for patches */
	char name[CIRCUIT_NAME_MAX + 1];
	char service_key[GUID_STRLEN];
	uint32_t bandwidth;               /* Mbps */
	char location[TEXT_MAX + 1];
	char provider[TEXT_MAX + 1];
	enum sku sku;
	enum billing billing;
	enum provisioning prov;
	bool enabled;                     /* Status: Enabled */
	enum datapath datapath;           /* VLAN or VETH once built */
	bool peering_present[_ACCESS_MAX];
	struct peering peerings[_ACCESS_MAX];
	struct vnet *vnets;               /* heap */
	unsigned n_vnets;
	char *lab;                        /* the name of the lab that made it, or NULL (made by hand) */
	char *lab_file;                   /* that lab's file (absolute) when it last brought it up */
	char shard[SHARD_TEXT_MAX];       /* "K/N" when that lab was brought up as shard K of N, else "" */
	struct bgp_settings bgp;
	/* Where the customer side is (core/attach.h, docs/layout.md "Beyond one machine"):
	 * "" (a namespace, the default), "bridge:PRIMARY,SECONDARY" or "remote:ADDRESS". */
	char customer[CUSTOMER_ATTACH_MAX + 1];
	char microsoft_address[CUSTOMER_ATTACH_MAX + 1];  /* remote: the Microsoft host's underlay address */
	char underlay_dev[16];            /* remote: the tunnels' underlay device (IFNAMSIZ); "" = by route */
	uint32_t vni_base;                /* remote: first VNI; 0 = derived from the name */
	enum circuit_side side;           /* remote: the side this host built */
};

/* A lab's [registry] line (docs/bgp.md): who a prefix is registered to, for ValidationNeeded. */
struct registry_entry {
	struct cidr prefix;
	uint32_t asn;
};

/* Zeroed circuit with the defaults of docs/rules.md (Standard, MeteredData, NotProvisioned, Enabled). */
void circuit_init(struct circuit *c);
/* Free heap members; the struct itself is the caller's. Leaves it re-initialised. */
void circuit_clear(struct circuit *c);
/* A heap array of n circuits, each cleared, then the array. */
void circuit_list_free(struct circuit *list, unsigned n);
/* Deep copy (heap members duplicated). Returns 0 or -ENOMEM. */
int circuit_copy(struct circuit *dst, const struct circuit *src);

void peering_init(struct peering *p, enum access_type type);
void peering_clear(struct peering *p);
int peering_copy(struct peering *dst, const struct peering *src);
/* Copy every field set in patch->has onto dst (set merges; new starts from an empty peering). */
int peering_merge(struct peering *dst, const struct peering *patch);
bool peering_has_v4(const struct peering *p);
bool peering_has_v6(const struct peering *p);
bool peering_has_family(const struct peering *p, enum family f);
/* Take family f away: its subnets and its Microsoft config (prefix state back to Configured). */
void peering_drop_family(struct peering *p, enum family f);

void vnet_clear(struct vnet *v);
int vnet_copy(struct vnet *dst, const struct vnet *src);

/* Names as Azure prints them and their parsers (case-insensitive). Parsers return the enum or _X_INVALID. */
const char *access_type_name(enum access_type t);   /* "Private" "Public" "Microsoft" */
const char *access_type_lower(enum access_type t);  /* "private" "public" "microsoft" */
enum access_type access_type_from_string(const char *s);
const char *sku_name(enum sku s);
enum sku sku_from_string(const char *s);
const char *billing_name(enum billing b);
enum billing billing_from_string(const char *s);
const char *provisioning_name(enum provisioning p); /* "NotProvisioned" "Provisioned" */
enum provisioning provisioning_from_string(const char *s);
const char *datapath_name(enum datapath d);         /* "auto" "vlan" "veth" */
enum datapath datapath_from_string(const char *s);
const char *prefix_state_name(enum prefix_state s);
enum prefix_state prefix_state_from_string(const char *s);
const char *link_side_name(enum link_side s);       /* "primary" "secondary" */
enum link_side link_side_from_string(const char *s);
const char *ns_role_name(enum ns_role r);           /* "customer" "microsoft" */
const char *circuit_side_name(enum circuit_side s);  /* "microsoft" "customer" */
enum circuit_side circuit_side_from_string(const char *s);

#endif
