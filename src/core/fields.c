/* SPDX-License-Identifier: MIT */
/*
 * The field tables: every field of every object, once. Lab files, state files, the cmdlets and the
 * native options all bind through these rows (core/field.h); the rules they name are in
 * core/validate.c and docs/rules.md. The order of the rows is the order of the keys in a state
 * file and of the fields in `--help`.
 */
#include <errno.h>
#include <stddef.h>
#include <string.h>
#include <strings.h>

#include "core/attach.h"
#include "core/field.h"
#include "core/guid.h"
#include "core/model.h"
#include "core/names.h"
#include "core/num.h"
#include "core/validate.h"

#define TEXT_OF(type, member) .offset = offsetof(type, member), .aux = sizeof(((type *)0)->member)
#define AT(type, member) offsetof(type, member)
#define V(t) (1u << (t))
#define EVERY 1u            /* `required` of an object without variants */
#define LAB_PATH_MAX 900    /* a state file's line must stay under iniparser's 1024 bytes */

/* ---- the names of enum values ---- */

static int sku_parse(const char *s) { return sku_from_string(s); }
static const char *sku_nm(int v) { return sku_name((enum sku)v); }
static const struct field_names sku_names = {
	sku_parse, sku_nm, sizeof(enum sku), "unknown sku", "use Standard or Premium", _SKU_MAX,
	"Microsoft.WindowsAzure.Management.ExpressRoute.Models.CircuitSku",
};

static int billing_parse(const char *s) { return billing_from_string(s); }
static const char *billing_nm(int v) { return billing_name((enum billing)v); }
static const struct field_names billing_names = {
	billing_parse, billing_nm, sizeof(enum billing), "unknown billing_type", "use MeteredData or UnlimitedData",
	_BILLING_MAX, "Microsoft.WindowsAzure.Management.ExpressRoute.Models.BillingType",
};

/* A lab says `provisioned = yes`; the state keeps the same. */
static int prov_parse(const char *s)
{
	bool b;

	return num_parse_bool(s, &b) < 0 ? -EINVAL : b ? PROV_PROVISIONED : PROV_NOT_PROVISIONED;
}
static const char *prov_nm(int v) { return v == PROV_PROVISIONED ? "yes" : "no"; }
static const struct field_names prov_names = {
	prov_parse, prov_nm, sizeof(enum provisioning), "not a boolean", "use yes or no", _PROV_MAX, NULL,
};

static int enabled_parse(const char *s)
{
	return strcasecmp(s, "Enabled") == 0 ? 1 : strcasecmp(s, "Disabled") == 0 ? 0 : -EINVAL;
}
static const char *enabled_nm(int v) { return v ? "Enabled" : "Disabled"; }
static const struct field_names enabled_names = {
	enabled_parse, enabled_nm, sizeof(bool), "unknown state", "use Enabled or Disabled", 2, NULL,
};

static int datapath_parse(const char *s) { return datapath_from_string(s); }
static const char *datapath_nm(int v) { return datapath_name((enum datapath)v); }
const struct field_names field_datapath_names = {
	datapath_parse, datapath_nm, sizeof(enum datapath), "unknown datapath", "use auto, vlan or veth", _DATAPATH_MAX,
	NULL,
};

static int prefix_state_parse(const char *s) { return prefix_state_from_string(s); }
static const char *prefix_state_nm(int v) { return prefix_state_name((enum prefix_state)v); }
static const struct field_names prefix_state_names = {
	prefix_state_parse, prefix_state_nm, sizeof(enum prefix_state), "unknown prefix state",
	"use NotConfigured, Configuring, Configured or ValidationNeeded", _PREFIX_MAX, NULL,
};

static int side_parse(const char *s) { return circuit_side_from_string(s); }
static const char *side_nm(int v) { return circuit_side_name((enum circuit_side)v); }
static const struct field_names side_names = {
	side_parse, side_nm, sizeof(enum circuit_side), "unknown side", "use microsoft or customer", _SIDE_MAX, NULL,
};

/* [bgp] msee = bird | none */
static int bird_parse(const char *s)
{
	return strcasecmp(s, "bird") == 0 ? 1 : strcasecmp(s, "none") == 0 ? 0 : -EINVAL;
}
static const char *bird_nm(int v) { return v ? "bird" : "none"; }
static const struct field_names bird_names = {
	bird_parse, bird_nm, sizeof(bool), "unknown BGP speaker", "use bird or none", 2, NULL,
};

/* ---- rules the rows need beyond core/validate.c ---- */

/* What a state file records as the lab that made a circuit: an absolute path. */
static int check_lab_path(const char *v, const char *what, struct err *e)
{
	if (v[0] != '/')
		return err_set(e, -EINVAL, what, "not an absolute path");
	for (const char *c = v; *c; c++)
		if ((unsigned char)*c < 0x20 || *c == 0x7f || *c == '"' || *c == '\\')
			return err_set(e, -EINVAL, what, "the path holds a quote, a backslash or a control character");
	return 0;
}

/* The lab that made a circuit: its name; state files written before lab names hold its file's
 * absolute path there instead, which the store turns into name and file (store/state_ini.c). */
static int check_lab_ref(const char *v, const char *what, struct err *e)
{
	if (v[0] == '/')
		return check_lab_path(v, what, e);
	if (names_check_lab(v) < 0)
		return err_set(e, -EINVAL, what, "not a lab name (1-%d of A-Z a-z 0-9 . _ -, not starting with . or -)",
			       LAB_NAME_MAX);
	return 0;
}

static int check_shard(const char *v, const char *what, struct err *e)
{
	unsigned k, n;

	if (v[0] && shard_parse(v, &k, &n) < 0)
		return err_set(e, -EINVAL, what, "not a shard: K/N with 1 <= K <= N <= %d", SHARD_MAX);
	return 0;
}

static int check_registered_asn(uint32_t v, const char *what, struct err *e)
{
	if (v == 0)
		return err_set(e, -EINVAL, what, "number out of range");
	return 0;
}

/* ---- circuits ---- */

static const struct field circuit_rows[] = {
	{ .key = "name", .param = "CircuitName", .kind = FIELD_TEXT, TEXT_OF(struct circuit, name),
	  .help = "the circuit's name, 1-80 of A-Z a-z 0-9 . _ - (in a lab, default: the section's ID)" },
	{ .key = "service_key", .option = { "service-key" }, .kind = FIELD_GUID,
	  .offset = AT(struct circuit, service_key), .has = CIRCUIT_HAS_KEY,
	  .help = "the circuit's ServiceKey, a GUID (default: a new one)",
	  .arm = "properties.serviceKey" },
	{ .key = "bandwidth", .param = "Bandwidth", .option = { "bandwidth" }, .kind = FIELD_U32,
	  .offset = AT(struct circuit, bandwidth), .has = CIRCUIT_HAS_BANDWIDTH,
	  .required = EVERY, .help = "Mbps, one the provider offers: 50, 100, 200, 500, 1000, 2000, 5000 or 10000",
	  .arm = "properties.serviceProviderProperties.bandwidthInMbps" },
	{ .key = "location", .param = "Location", .option = { "location" }, .kind = FIELD_TEXT,
	  TEXT_OF(struct circuit, location), .has = CIRCUIT_HAS_LOCATION, .required = EVERY,
	  .help = "the peering location, as the provider lists it (\"Silicon Valley\")",
	  .arm = "properties.serviceProviderProperties.peeringLocation" },
	{ .key = "service_provider_name", .param = "ServiceProviderName", .option = { "provider" },
	  .kind = FIELD_TEXT, TEXT_OF(struct circuit, provider), .has = CIRCUIT_HAS_PROVIDER, .required = EVERY,
	  .help = "the connectivity provider (\"equinix\")",
	  .arm = "properties.serviceProviderProperties.serviceProviderName" },
	{ .key = "sku", .param = "Sku", .option = { "sku" }, .kind = FIELD_ENUM, .offset = AT(struct circuit, sku),
	  .names = &sku_names, .has = CIRCUIT_HAS_SKU, .help = "Standard or Premium (default: Standard)",
	  .arm = "sku.tier" },
	{ .key = "billing_type", .param = "BillingType", .option = { "billing" }, .kind = FIELD_ENUM,
	  .offset = AT(struct circuit, billing), .names = &billing_names, .has = CIRCUIT_HAS_BILLING,
	  .help = "MeteredData or UnlimitedData (default: MeteredData)",
	  .arm = "sku.family" },
	{ .key = "provisioned", .option = { "provisioned" }, .kind = FIELD_ENUM, .offset = AT(struct circuit, prov),
	  .names = &prov_names, .has = CIRCUIT_HAS_PROV, .flags = FIELD_FLAG, .def = "yes",
	  .help = "the provider has provisioned it (a lab's default: yes; elsewhere: no, until circuit provision)" },
	{ .key = "status", .kind = FIELD_ENUM, .offset = AT(struct circuit, enabled), .names = &enabled_names,
	  .flags = FIELD_STATE_ONLY, .help = "Enabled (Azure's Status)",
	  .arm = "properties.circuitProvisioningState" },
	{ .key = "datapath", .kind = FIELD_ENUM, .offset = AT(struct circuit, datapath),
	  .names = &field_datapath_names, .flags = FIELD_STATE_ONLY, .help = "vlan or veth, as built" },
	/* Where the customer side is (core/attach.h, docs/layout.md "Beyond one machine"). */
	{ .key = "customer", .option = { "customer" }, .kind = FIELD_TEXT, TEXT_OF(struct circuit, customer),
	  .check_text = attach_check_customer, .flags = FIELD_ZERO_UNSET,
	  .help = "the customer side: ns (a namespace, default), bridge:PRIMARY,SECONDARY (existing bridges "
		  "of this host) or remote:ADDRESS (another host, over VXLAN)" },
	{ .key = "microsoft_address", .option = { "microsoft-address" }, .kind = FIELD_TEXT,
	  TEXT_OF(struct circuit, microsoft_address), .check_text = attach_check_address, .flags = FIELD_ZERO_UNSET,
	  .help = "remote: the Microsoft host's underlay address (the customer host's is in customer)" },
	{ .key = "underlay_dev", .option = { "underlay-dev" }, .kind = FIELD_TEXT, TEXT_OF(struct circuit, underlay_dev),
	  .check_text = attach_check_ifname, .flags = FIELD_ZERO_UNSET,
	  .help = "remote: the device the tunnels leave by, on both hosts (default: as routed)" },
	{ .key = "vni_base", .option = { "vni-base" }, .kind = FIELD_U32, .offset = AT(struct circuit, vni_base),
	  .check_u32 = attach_check_vni_base, .flags = FIELD_ZERO_UNSET,
	  .help = "remote: the first VNI of the circuit's tunnels (default: derived from the name)" },
	{ .key = "side", .kind = FIELD_ENUM, .offset = AT(struct circuit, side), .names = &side_names,
	  .flags = FIELD_STATE_ONLY | FIELD_ZERO_UNSET,
	  .help = "remote: the side this host built, microsoft or customer (up --side)" },
	{ .key = "lab", .kind = FIELD_STRING, .offset = AT(struct circuit, lab), .aux = LAB_PATH_MAX + 1,
	  .check_text = check_lab_ref, .flags = FIELD_STATE_ONLY, .help = "the name of the lab that made it" },
	{ .key = "lab_file", .kind = FIELD_STRING, .offset = AT(struct circuit, lab_file), .aux = LAB_PATH_MAX + 1,
	  .check_text = check_lab_path, .flags = FIELD_STATE_ONLY, .help = "that lab's file, as it was last brought up" },
	{ .key = "shard", .kind = FIELD_TEXT, TEXT_OF(struct circuit, shard), .check_text = check_shard,
	  .flags = FIELD_STATE_ONLY | FIELD_ZERO_UNSET, .help = "K/N: the shard of its lab this host brought up (docs/ci.md)" },
};

const struct field_table circuit_fields = {
	"circuit", circuit_rows, sizeof(circuit_rows) / sizeof(circuit_rows[0]), offsetof(struct circuit, has), false, NULL,
};

/* ---- peerings ---- */

#define ALL_TYPES (V(ACCESS_PRIVATE) | V(ACCESS_PUBLIC) | V(ACCESS_MICROSOFT))
#define MS4_AT(member) offsetof(struct peering, ms[FAMILY_V4].member)
#define MS6_AT(member) offsetof(struct peering, ms[FAMILY_V6].member)
#define MS4(member) .offset = MS4_AT(member)
#define MS6(member) .offset = MS6_AT(member)
#define V6_TYPES (V(ACCESS_PRIVATE) | V(ACCESS_MICROSOFT))

static const struct field peering_rows[] = {
	{ .key = "primary_peer_subnet", .param = "PrimaryPeerSubnet", .option = { "primary-subnet" },
	  .kind = FIELD_SUBNET, .offset = AT(struct peering, primary4), .family = AF_INET, .has = PEERING_HAS_PRIMARY4,
	  .help = "IPv4 /30 of the primary link: customer .1, Microsoft .2",
	  .arm = "properties.primaryPeerAddressPrefix" },
	{ .key = "secondary_peer_subnet", .param = "SecondaryPeerSubnet", .option = { "secondary-subnet" },
	  .kind = FIELD_SUBNET, .offset = AT(struct peering, secondary4), .family = AF_INET,
	  .has = PEERING_HAS_SECONDARY4, .help = "IPv4 /30 of the secondary link",
	  .arm = "properties.secondaryPeerAddressPrefix" },
	{ .key = "primary_peer_subnet_v6", .param = "PrimaryPeerSubnet",
	  .option = { "primary-subnet-v6", "primary-subnet" }, .kind = FIELD_SUBNET,
	  .offset = AT(struct peering, primary6), .family = AF_INET6, .has = PEERING_HAS_PRIMARY6, .variants = V6_TYPES,
	  .help = "IPv6 /126 of the primary link (private and Microsoft peering)",
	  .arm = "properties.ipv6PeeringConfig.primaryPeerAddressPrefix" },
	{ .key = "secondary_peer_subnet_v6", .param = "SecondaryPeerSubnet",
	  .option = { "secondary-subnet-v6", "secondary-subnet" }, .kind = FIELD_SUBNET,
	  .offset = AT(struct peering, secondary6), .family = AF_INET6, .has = PEERING_HAS_SECONDARY6,
	  .variants = V6_TYPES, .help = "IPv6 /126 of the secondary link",
	  .arm = "properties.ipv6PeeringConfig.secondaryPeerAddressPrefix" },
	{ .key = "peer_asn", .param = "PeerAsn", .option = { "peer-asn" }, .kind = FIELD_U32,
	  .offset = AT(struct peering, peer_asn), .check_u32 = validate_peer_asn, .has = PEERING_HAS_PEER_ASN,
	  .required = ALL_TYPES, .help = "the customer's AS number, 1-4294967295 (not 12076, 65515-65520)",
	  .arm = "properties.peerASN" },
	{ .key = "vlan_id", .param = "VlanId", .option = { "vlan" }, .kind = FIELD_U16,
	  .offset = AT(struct peering, vlan_id), .check_u32 = validate_vlan, .has = PEERING_HAS_VLAN,
	  .required = ALL_TYPES, .help = "802.1Q VLAN id, 1-4094, unique in the circuit",
	  .arm = "properties.vlanId" },
	{ .key = "shared_key", .param = "SharedKey", .option = { "shared-key" }, .kind = FIELD_TEXT,
	  TEXT_OF(struct peering, shared_key), .check_text = validate_shared_key, .has = PEERING_HAS_SHARED_KEY,
	  .flags = FIELD_SECRET, .help = "BGP MD5 key, 1-25 letters and digits",
	  .arm = "properties.sharedKey" },
	/* Microsoft peering's config, one set of rows per address family (docs/rules.md, "Microsoft peering"). */
	{ .key = "advertised_public_prefixes", .param = "AdvertisedPublicPrefixes",
	  .option = { "advertised-prefixes" }, .kind = FIELD_PREFIXES, MS4(prefixes), .aux = MS4_AT(n_prefixes),
	  .family = AF_INET, .has = PEERING_HAS_PREFIXES, .variants = V(ACCESS_MICROSOFT),
	  .help = "public IPv4 prefixes the customer advertises, comma-separated, at most 200",
	  .arm = "properties.microsoftPeeringConfig.advertisedPublicPrefixes" },
	{ .key = "customer_asn", .param = "CustomerAsn", .option = { "customer-asn" }, .kind = FIELD_U32,
	  MS4(customer_asn), .family = AF_INET, .check_u32 = validate_customer_asn, .has = PEERING_HAS_CUSTOMER_ASN,
	  .variants = V(ACCESS_MICROSOFT), .flags = FIELD_ZERO_UNSET,
	  .help = "the public AS the IPv4 prefixes are registered to, when not PeerAsn (0 or blank: none)",
	  .arm = "properties.microsoftPeeringConfig.customerASN" },
	{ .key = "routing_registry_name", .param = "RoutingRegistryName", .option = { "registry" },
	  .kind = FIELD_TEXT, .offset = MS4_AT(registry), .aux = sizeof(((struct ms_config *)0)->registry),
	  .family = AF_INET, .check_text = validate_registry, .has = PEERING_HAS_REGISTRY,
	  .variants = V(ACCESS_MICROSOFT), .flags = FIELD_UPPER | FIELD_ZERO_UNSET,
	  .help = "where the IPv4 prefixes are registered: ARIN, APNIC, AFRINIC, LACNIC, RIPENCC, RADB, ALTDB or LEVEL3",
	  .arm = "properties.microsoftPeeringConfig.routingRegistryName" },
	{ .key = "advertised_public_prefixes_v6", .param = "AdvertisedPublicPrefixes",
	  .option = { "advertised-prefixes-v6", "advertised-prefixes" }, .kind = FIELD_PREFIXES, MS6(prefixes),
	  .aux = MS6_AT(n_prefixes), .family = AF_INET6, .has = PEERING_HAS_PREFIXES6, .variants = V(ACCESS_MICROSOFT),
	  .help = "public IPv6 prefixes the customer advertises, comma-separated, at most 200",
	  .arm = "properties.ipv6PeeringConfig.microsoftPeeringConfig.advertisedPublicPrefixes" },
	{ .key = "customer_asn_v6", .param = "CustomerAsn", .option = { "customer-asn-v6" }, .kind = FIELD_U32,
	  MS6(customer_asn), .family = AF_INET6, .check_u32 = validate_customer_asn, .has = PEERING_HAS_CUSTOMER_ASN6,
	  .variants = V(ACCESS_MICROSOFT), .flags = FIELD_ZERO_UNSET,
	  .help = "the public AS the IPv6 prefixes are registered to, when not PeerAsn (0 or blank: none)",
	  .arm = "properties.ipv6PeeringConfig.microsoftPeeringConfig.customerASN" },
	{ .key = "routing_registry_name_v6", .param = "RoutingRegistryName", .option = { "registry-v6" },
	  .kind = FIELD_TEXT, .offset = MS6_AT(registry), .aux = sizeof(((struct ms_config *)0)->registry),
	  .family = AF_INET6, .check_text = validate_registry, .has = PEERING_HAS_REGISTRY6,
	  .variants = V(ACCESS_MICROSOFT), .flags = FIELD_UPPER | FIELD_ZERO_UNSET,
	  .help = "where the IPv6 prefixes are registered (as routing_registry_name)",
	  .arm = "properties.ipv6PeeringConfig.microsoftPeeringConfig.routingRegistryName" },
	{ .key = "advertised_public_prefixes_state", .kind = FIELD_ENUM, MS4(prefix_state),
	  .names = &prefix_state_names, .family = AF_INET, .flags = FIELD_STATE_ONLY,
	  .help = "Configured or ValidationNeeded (Azure's AdvertisedPublicPrefixesState)",
	  .arm = "properties.microsoftPeeringConfig.advertisedPublicPrefixesState" },
	{ .key = "advertised_public_prefixes_state_v6", .kind = FIELD_ENUM, MS6(prefix_state),
	  .names = &prefix_state_names, .family = AF_INET6, .flags = FIELD_STATE_ONLY,
	  .help = "the same for the IPv6 prefixes",
	  .arm = "properties.ipv6PeeringConfig.microsoftPeeringConfig.advertisedPublicPrefixesState" },
	{ .key = "state", .kind = FIELD_ENUM, .offset = AT(struct peering, enabled), .names = &enabled_names,
	  .flags = FIELD_STATE_ONLY, .help = "Enabled (Azure's State)",
	  .arm = "properties.state" },
};

static const char *type_name(unsigned t)
{
	return access_type_lower((enum access_type)t);
}

const struct field_table peering_fields = {
	"peering", peering_rows, sizeof(peering_rows) / sizeof(peering_rows[0]), offsetof(struct peering, has), true,
	type_name,
};

/* ---- VNets, BGP, the registry ---- */

static const struct field vnet_rows[] = {
	{ .key = "address_space", .param = "AddressSpace", .option = { "address-space" }, .kind = FIELD_CIDRS,
	  .offset = AT(struct vnet, spaces), .aux = AT(struct vnet, n_spaces), .required = EVERY,
	  .help = "the VNet's address spaces, comma-separated, each /29 (/125) or larger" },
};

const struct field_table vnet_fields = {
	"vnet", vnet_rows, sizeof(vnet_rows) / sizeof(vnet_rows[0]), (size_t)-1, false, NULL,
};

static const struct field bgp_rows[] = {
	{ .key = "msee", .kind = FIELD_ENUM, .offset = AT(struct bgp_settings, msee), .names = &bird_names,
	  .help = "bird: run BIRD as the Microsoft edge (default: none)" },
	{ .key = "customer", .kind = FIELD_ENUM, .offset = AT(struct bgp_settings, customer), .names = &bird_names,
	  .help = "bird: also run BIRD as the customer router (default: none)" },
	{ .key = "customer_prefixes", .kind = FIELD_CIDRS, .offset = AT(struct bgp_settings, prefixes),
	  .aux = AT(struct bgp_settings, n_prefixes), .help = "what the customer router advertises over private peering" },
	{ .key = "bird_path", .kind = FIELD_TEXT, TEXT_OF(struct bgp_settings, bird_path), .check_text = check_lab_path,
	  .flags = FIELD_ZERO_UNSET,
	  .help = "the BIRD daemon to run, a file named bird (default: $ERLAB_BIRD, else bird on PATH, else /usr/sbin/bird)" },
};

const struct field_table bgp_fields = {
	"bgp", bgp_rows, sizeof(bgp_rows) / sizeof(bgp_rows[0]), (size_t)-1, false, NULL,
};

static const struct field registry_rows[] = {
	{ .key = "prefix", .kind = FIELD_PREFIX, .offset = AT(struct registry_entry, prefix),
	  .help = "a prefix, the key of a [registry] line" },
	{ .key = "asn", .kind = FIELD_U32, .offset = AT(struct registry_entry, asn), .check_u32 = check_registered_asn,
	  .help = "the AS it is registered to, the value" },
};

const struct field_table registry_fields = {
	"registry", registry_rows, sizeof(registry_rows) / sizeof(registry_rows[0]), (size_t)-1, false, NULL,
};
