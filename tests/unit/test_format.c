/* SPDX-License-Identifier: MIT */
/*
 * Golden output. The PowerShell blocks are those of Azure's classic peering how-to byte for byte, with the real service key for the asterisks and, as erlab's own
 * decision, the Microsoft-side ports in Primary/SecondaryAzurePort.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/format.h"
#include "fixtures.h"
#include "test.h"

#define KEY FX_KEY

/* Run `stmt` with f bound to an in-memory stream; the text lands in out (caller frees). */
#define CAPTURE(out, stmt) do { size_t _len; FILE *f = open_memstream(&(out), &_len); \
	if (!f) { abort(); } \
	stmt; \
	fclose(f); } while (0)

static void howto_microsoft(struct circuit *c)
{
	struct peering *p = &c->peerings[ACCESS_MICROSOFT];

	peering_init(p, ACCESS_MICROSOFT);
	p->has = PEERING_HAS_PEER_ASN | PEERING_HAS_VLAN | PEERING_HAS_PRIMARY4 | PEERING_HAS_SECONDARY4 |
		 PEERING_HAS_SHARED_KEY | PEERING_HAS_PREFIXES | PEERING_HAS_CUSTOMER_ASN | PEERING_HAS_REGISTRY;
	p->peer_asn = 1234;
	p->vlan_id = 300;
	p->primary4 = fx_cidr("131.107.0.0/30");
	p->secondary4 = fx_cidr("131.107.0.4/30");
	strcpy(p->shared_key, "A1B2C3D4");
	p->ms[FAMILY_V4].customer_asn = 2245;
	strcpy(p->ms[FAMILY_V4].registry, "ARIN");
	p->ms[FAMILY_V4].prefixes = malloc(sizeof(*p->ms[FAMILY_V4].prefixes));
	p->ms[FAMILY_V4].prefixes[0] = fx_cidr("123.0.0.0/30");
	p->ms[FAMILY_V4].n_prefixes = 1;
	c->peering_present[ACCESS_MICROSOFT] = true;
}

static void test_ps_circuit_howto(void)
{
	static const char want[] =
		"\n"
		"Bandwidth                        : 200\n"
		"CircuitName                      : MyTestCircuit\n"
		"Location                         : Silicon Valley\n"
		"ServiceKey                       : " KEY "\n"
		"ServiceProviderName              : equinix\n"
		"ServiceProviderProvisioningState : Provisioned\n"
		"Sku                              : Standard\n"
		"Status                           : Enabled\n"
		"\n";
	struct circuit c;
	char *out = NULL;

	fx_howto_circuit(&c);
	CAPTURE(out, format_circuit_ps(f, &c));
	CHECK_STR(out, want);
	free(out);
	circuit_clear(&c);
}

static void test_ps_private_peering_howto(void)
{
	static const char want[] =
		"\n"
		"AdvertisedPublicPrefixes       : \n"
		"AdvertisedPublicPrefixesState  : Configured\n"
		"AzureAsn                       : 12076\n"
		"CustomerAutonomousSystemNumber : \n"
		"PeerAsn                        : 1234\n"
		"PrimaryAzurePort               : MyTestCircuit-microsoft/primary.100\n"
		"PrimaryPeerSubnet              : 10.0.0.0/30\n"
		"RoutingRegistryName            : \n"
		"SecondaryAzurePort             : MyTestCircuit-microsoft/secondary.100\n"
		"SecondaryPeerSubnet            : 10.0.0.4/30\n"
		"State                          : Enabled\n"
		"VlanId                         : 100\n"
		"\n";
	struct circuit c;
	char *out = NULL;

	fx_howto_circuit(&c);
	fx_howto_private(&c, true);
	CAPTURE(out, format_peering_ps(f, &c, &c.peerings[ACCESS_PRIVATE]));
	CHECK_STR(out, want);
	free(out);
	circuit_clear(&c);
}

/* The how-to prints 10.0.0.0/30 here, a copy-paste slip: the peering was made with 131.107.0.0/30. */
static void test_ps_microsoft_peering_howto(void)
{
	static const char want[] =
		"\n"
		"AdvertisedPublicPrefixes       : 123.0.0.0/30\n"
		"AdvertisedPublicPrefixesState  : Configured\n"
		"AzureAsn                       : 12076\n"
		"CustomerAutonomousSystemNumber : 2245\n"
		"PeerAsn                        : 1234\n"
		"PrimaryAzurePort               : MyTestCircuit-microsoft/primary.300\n"
		"PrimaryPeerSubnet              : 131.107.0.0/30\n"
		"RoutingRegistryName            : ARIN\n"
		"SecondaryAzurePort             : MyTestCircuit-microsoft/secondary.300\n"
		"SecondaryPeerSubnet            : 131.107.0.4/30\n"
		"State                          : Enabled\n"
		"VlanId                         : 300\n"
		"\n";
	struct circuit c;
	char *out = NULL;

	fx_howto_circuit(&c);
	howto_microsoft(&c);
	CAPTURE(out, format_peering_ps(f, &c, &c.peerings[ACCESS_MICROSOFT]));
	CHECK_STR(out, want);
	free(out);
	circuit_clear(&c);
}

static void test_ps_peering_families(void)
{
	static const char want_dual[] =
		"\n"
		"AdvertisedPublicPrefixes           : 123.0.0.0/30\n"
		"AdvertisedPublicPrefixesIpv6       : 2603:2000::/40\n"
		"AdvertisedPublicPrefixesState      : Configured\n"
		"AdvertisedPublicPrefixesStateIpv6  : ValidationNeeded\n"
		"AzureAsn                           : 12076\n"
		"CustomerAutonomousSystemNumber     : 2245\n"
		"CustomerAutonomousSystemNumberIpv6 : \n"
		"PeerAsn                            : 1234\n"
		"PrimaryAzurePort                   : MyTestCircuit-microsoft/primary.300\n"
		"PrimaryPeerSubnet                  : 131.107.0.0/30\n"
		"PrimaryPeerSubnetIpv6              : 2603:1000::/126\n"
		"RoutingRegistryName                : ARIN\n"
		"RoutingRegistryNameIpv6            : RIPENCC\n"
		"SecondaryAzurePort                 : MyTestCircuit-microsoft/secondary.300\n"
		"SecondaryPeerSubnet                : 131.107.0.4/30\n"
		"SecondaryPeerSubnetIpv6            : 2603:1000::4/126\n"
		"State                              : Disabled\n"
		"VlanId                             : 300\n"
		"\n";
	struct circuit c;
	struct peering *p;
	char *out = NULL;

	fx_howto_circuit(&c);
	howto_microsoft(&c);
	p = &c.peerings[ACCESS_MICROSOFT];
	p->has |= PEERING_HAS_PRIMARY6 | PEERING_HAS_SECONDARY6 | PEERING_HAS_PREFIXES6 | PEERING_HAS_REGISTRY6;
	p->primary6 = fx_cidr("2603:1000::/126");
	p->secondary6 = fx_cidr("2603:1000::4/126");
	p->ms[FAMILY_V6].prefixes = malloc(sizeof(*p->ms[FAMILY_V6].prefixes));
	p->ms[FAMILY_V6].prefixes[0] = fx_cidr("2603:2000::/40");
	p->ms[FAMILY_V6].n_prefixes = 1;
	p->ms[FAMILY_V6].prefix_state = PREFIX_VALIDATION_NEEDED;
	strcpy(p->ms[FAMILY_V6].registry, "RIPENCC");
	p->enabled = false;
	/* Both families: each IPv6 property after its IPv4 namesake, names padded to the longest. */
	CAPTURE(out, format_peering_ps(f, &c, p));
	CHECK_STR(out, want_dual);
	free(out);
	/* IPv6 only: the IPv4 properties stay, blank. */
	p->has &= ~(PEERING_HAS_PRIMARY4 | PEERING_HAS_SECONDARY4);
	CAPTURE(out, format_peering_ps(f, &c, p));
	CHECK(strstr(out, "\nPrimaryPeerSubnet                  : \n") != NULL);
	CHECK(strstr(out, "\nPrimaryPeerSubnetIpv6              : 2603:1000::/126\n") != NULL);
	free(out);
	circuit_clear(&c);
}

static void test_ps_list_layout(void)
{
	const struct ps_field one[] = { { "A", "1" }, { "Longer", NULL }, { "B", "" } };
	const struct ps_field two[] = { { "A", "1" }, { "BB", "2" }, { NULL, NULL }, { "CCC", "3" } };
	char *out = NULL;

	CAPTURE(out, format_ps_list(f, one, 3));
	CHECK_STR(out, "\nA      : 1\nLonger : \nB      : \n\n");
	free(out);
	/* Several objects in one call: one blank line before, one after each block. */
	CAPTURE(out, format_ps_list(f, two, 4));
	CHECK_STR(out, "\nA  : 1\nBB : 2\n\nCCC : 3\n\n");
	free(out);
}

static void test_text_circuit(void)
{
	static const char want[] =
		"name: MyTestCircuit\n"
		"service_key: " KEY "\n"
		"bandwidth_mbps: 200\n"
		"location: Silicon Valley\n"
		"provider: equinix\n"
		"sku: Standard\n"
		"billing: MeteredData\n"
		"provisioning: Provisioned\n"
		"status: Enabled\n"
		"datapath: veth\n"
		"peerings: private microsoft\n"
		"vnet: hub 10.1.0.0/16,10.2.0.0/16\n";
	struct circuit c;
	char *out = NULL;

	fx_howto_circuit(&c);
	fx_howto_private(&c, true);
	howto_microsoft(&c);
	c.datapath = DATAPATH_VETH;
	c.vnets = calloc(1, sizeof(*c.vnets));
	c.n_vnets = 1;
	strcpy(c.vnets[0].name, "hub");
	c.vnets[0].spaces = malloc(2 * sizeof(struct cidr));
	c.vnets[0].spaces[0] = fx_cidr("10.1.0.0/16");
	c.vnets[0].spaces[1] = fx_cidr("10.2.0.0/16");
	c.vnets[0].n_spaces = 2;
	CAPTURE(out, format_circuit_text(f, &c));
	CHECK_STR(out, want);
	free(out);
	circuit_clear(&c);
}

static void test_text_peering(void)
{
	static const char want_private[] =
		"circuit: MyTestCircuit\n"
		"type: private\n"
		"state: Enabled\n"
		"vlan_id: 100\n"
		"peer_asn: 1234\n"
		"azure_asn: 12076\n"
		"primary_subnet: 10.0.0.0/30\n"
		"customer_primary: 10.0.0.1\n"
		"microsoft_primary: 10.0.0.2\n"
		"secondary_subnet: 10.0.0.4/30\n"
		"customer_secondary: 10.0.0.5\n"
		"microsoft_secondary: 10.0.0.6\n"
		"primary_subnet_v6: fd00::/126\n"
		"customer_primary_v6: fd00::1\n"
		"microsoft_primary_v6: fd00::2\n"
		"secondary_subnet_v6: fd00::4/126\n"
		"customer_secondary_v6: fd00::5\n"
		"microsoft_secondary_v6: fd00::6\n"
		"primary_azure_port: MyTestCircuit-microsoft/primary.100\n"
		"secondary_azure_port: MyTestCircuit-microsoft/secondary.100\n"
		"shared_key: set\n"
		"advertised_prefixes: none\n"
		"advertised_prefixes_state: Configured\n"
		"customer_asn: none\n"
		"routing_registry: none\n";
	static const char want_microsoft_tail[] =
		"shared_key: none\n"
		"advertised_prefixes: 123.0.0.0/30\n"
		"advertised_prefixes_state: ValidationNeeded\n"
		"customer_asn: 2245\n"
		"routing_registry: ARIN\n";
	struct circuit c;
	struct peering *p;
	char *out = NULL;

	fx_howto_circuit(&c);
	fx_howto_private(&c, true);
	p = &c.peerings[ACCESS_PRIVATE];
	p->has |= PEERING_HAS_PRIMARY6 | PEERING_HAS_SECONDARY6;
	p->primary6 = fx_cidr("fd00::/126");
	p->secondary6 = fx_cidr("fd00::4/126");
	CAPTURE(out, format_peering_text(f, &c, p));
	CHECK_STR(out, want_private);
	CHECK(strstr(out, "A1B2C3D4") == NULL);
	free(out);

	howto_microsoft(&c);
	p = &c.peerings[ACCESS_MICROSOFT];
	p->has &= ~PEERING_HAS_SHARED_KEY;
	p->ms[FAMILY_V4].prefix_state = PREFIX_VALIDATION_NEEDED;
	CAPTURE(out, format_peering_text(f, &c, p));
	CHECK(strlen(out) > strlen(want_microsoft_tail));
	CHECK_STR(out + strlen(out) - strlen(want_microsoft_tail), want_microsoft_tail);
	free(out);
	circuit_clear(&c);
}

static void test_text_list(void)
{
	struct circuit a, b;
	char *out = NULL;

	fx_howto_circuit(&a);
	fx_howto_private(&a, true);
	howto_microsoft(&a);
	circuit_init(&b);
	strcpy(b.name, "er2");
	strcpy(b.service_key, "1b5b6c4e-56a8-4a4e-9b33-0d3b7a1c2f10");
	b.bandwidth = 10000;
	CAPTURE(out, (format_circuit_list_header(f), format_circuit_list_row(f, &a), format_circuit_list_row(f, &b)));
	CHECK_STR(out,
		  "NAME                  SERVICE KEY                           BANDWIDTH  PROVISIONING    PEERINGS\n"
		  "MyTestCircuit         0b5b6c4e-56a8-4a4e-9b33-0d3b7a1c2f10  200Mbps    Provisioned     private,microsoft\n"
		  "er2                   1b5b6c4e-56a8-4a4e-9b33-0d3b7a1c2f10  10Gbps     NotProvisioned  -\n");
	free(out);
	circuit_clear(&a);
	circuit_clear(&b);
}

/*
 * JSON (docs/json.md): the keys are the field tables' keys, in the tables' order, then the derived
 * ones. Prefixes the private peering does not have are [], values it does not have null.
 */
#define PRIVATE_BODY \
	"\"type\":\"private\",\"primary_peer_subnet\":\"10.0.0.0/30\",\"secondary_peer_subnet\":\"10.0.0.4/30\"," \
	"\"primary_peer_subnet_v6\":null,\"secondary_peer_subnet_v6\":null,\"peer_asn\":1234,\"vlan_id\":100," \
	"\"shared_key_set\":true,\"advertised_public_prefixes\":[],\"customer_asn\":null," \
	"\"routing_registry_name\":null,\"advertised_public_prefixes_v6\":[],\"customer_asn_v6\":null," \
	"\"routing_registry_name_v6\":null,\"advertised_public_prefixes_state\":\"Configured\"," \
	"\"advertised_public_prefixes_state_v6\":\"Configured\",\"state\":\"Enabled\",\"azure_asn\":12076," \
	"\"customer_primary\":\"10.0.0.1\",\"microsoft_primary\":\"10.0.0.2\"," \
	"\"customer_secondary\":\"10.0.0.5\",\"microsoft_secondary\":\"10.0.0.6\"," \
	"\"customer_primary_v6\":null,\"microsoft_primary_v6\":null," \
	"\"customer_secondary_v6\":null,\"microsoft_secondary_v6\":null," \
	"\"primary_azure_port\":\"MyTestCircuit-microsoft/primary.100\"," \
	"\"secondary_azure_port\":\"MyTestCircuit-microsoft/secondary.100\""
#define PRIVATE_JSON "{" PRIVATE_BODY "}"
#define NO_BGP "\"bgp\":{\"msee\":\"none\",\"customer\":\"none\",\"customer_prefixes\":[],\"bird_path\":null}"

#define LIST_HEAD "{\"schema\":\"erlab/circuits/v1\",\"circuits\":[{\"name\":\"MyTestCircuit\","

static void test_json_circuit(void)
{
	static const char want[] =
		"{\"schema\":\"erlab/circuit/v1\",\"name\":\"MyTestCircuit\",\"service_key\":\"" KEY "\",\"bandwidth\":200,"
		"\"location\":\"Silicon Valley\",\"service_provider_name\":\"equinix\",\"sku\":\"Standard\","
		"\"billing_type\":\"MeteredData\",\"provisioned\":\"yes\",\"status\":\"Enabled\","
		"\"datapath\":\"auto\",\"customer\":null,\"microsoft_address\":null,\"underlay_dev\":null,"
		"\"vni_base\":null,\"side\":null,\"lab\":null,\"lab_file\":null,\"shard\":null," NO_BGP ",\"peerings\":[" PRIVATE_JSON "],"
		"\"vnets\":[{\"name\":\"hub\",\"address_space\":[\"10.1.0.0/16\"]}]}\n";
	struct circuit c;
	char *out = NULL;
	int r = 1;

	fx_howto_circuit(&c);
	fx_howto_private(&c, true);
	c.vnets = calloc(1, sizeof(*c.vnets));
	c.n_vnets = 1;
	strcpy(c.vnets[0].name, "hub");
	c.vnets[0].spaces = malloc(sizeof(struct cidr));
	c.vnets[0].spaces[0] = fx_cidr("10.1.0.0/16");
	c.vnets[0].n_spaces = 1;
	CAPTURE(out, r = format_circuit_doc(f, &c));
	CHECK_INT(r, 0);
	CHECK_STR(out, want);
	CHECK(strstr(out, "A1B2C3D4") == NULL);
	free(out);

	/* A list: one document, the circuits in it without a schema of their own. */
	CAPTURE(out, r = format_circuit_list_doc(f, &c, 1));
	CHECK_INT(r, 0);
	CHECK(strncmp(out, LIST_HEAD, sizeof(LIST_HEAD) - 1) == 0);
	CHECK_INT(strlen(out), strlen(want) - strlen("\"schema\":\"erlab/circuit/v1\",") + strlen("{\"schema\":\"erlab/circuits/v1\",\"circuits\":[]}"));
	free(out);
	CAPTURE(out, r = format_circuit_list_doc(f, NULL, 0));
	CHECK_STR(out, "{\"schema\":\"erlab/circuits/v1\",\"circuits\":[]}\n");
	free(out);
	circuit_clear(&c);
}

static void test_json_peering(void)
{
	static const char want_private[] = "{\"schema\":\"erlab/peering/v1\",\"circuit\":\"MyTestCircuit\"," PRIVATE_BODY "}\n";
	struct circuit c;
	char *out = NULL;
	int r = 1;

	fx_howto_circuit(&c);
	fx_howto_private(&c, true);
	CAPTURE(out, r = format_peering_doc(f, &c, &c.peerings[ACCESS_PRIVATE]));
	CHECK_INT(r, 0);
	CHECK_STR(out, want_private);
	free(out);

	howto_microsoft(&c);
	CAPTURE(out, format_peering_doc(f, &c, &c.peerings[ACCESS_MICROSOFT]));
	CHECK(strstr(out, ",\"shared_key_set\":true,\"advertised_public_prefixes\":[\"123.0.0.0/30\"],\"customer_asn\":2245,"
			  "\"routing_registry_name\":\"ARIN\",\"advertised_public_prefixes_v6\":[],") != NULL);
	CHECK(strstr(out, "A1B2C3D4") == NULL);
	free(out);
	circuit_clear(&c);
}

/* Free text reaches JSON escaped, and bytes that are not UTF-8 (a lab's path may hold any) as U+FFFD. */
static void test_json_escaping(void)
{
	char *out = NULL;
	struct circuit c;

	fx_howto_circuit(&c);
	c.lab = strdup("a");
	c.lab_file = strdup("/labs/a \"b\"\\c\xff\xc0\x80.ini");
	CAPTURE(out, format_circuit_doc(f, &c));
	CHECK(strstr(out, ",\"lab\":\"a\",\"lab_file\":\"/labs/a \\\"b\\\"\\\\c\xEF\xBF\xBD\xEF\xBF\xBD\xEF\xBF\xBD.ini\",\"shard\":null," NO_BGP
			  ",\"peerings\":[],\"vnets\":[]}\n") != NULL);
	free(out);
	circuit_clear(&c);
}

/* A format file's widths: cells wrap at words, a longer word is cut, the last column takes the rest of 120. */
static void test_ps_table_wrap(void)
{
	static const char *const headers[] = { "Name", "Where", "What" };
	static const int widths[] = { 6, 10, 0 };
	const char *cells[] = { "A long name", "abcdefghijklmnop q", "short", "B", "x", "" };
	char *out = NULL;

	CAPTURE(out, format_ps_table(f, headers, widths, 3, cells, 2, 0));
	CHECK_STR(out, "\n"
		  "Name   Where      What\n"
		  "----   -----      ----\n"
		  "A long abcdefghij short\n"
		  "name   klmnop q\n"
		  "B      x\n"
		  "\n\n");
	free(out);
	/* Without widths: each column as wide as its widest cell, nothing wrapped. */
	CAPTURE(out, format_ps_table(f, headers, NULL, 3, cells, 2, 0));
	CHECK_STR(out, "\n"
		  "Name        Where              What\n"
		  "----        -----              ----\n"
		  "A long name abcdefghijklmnop q short\n"
		  "B           x\n"
		  "\n\n");
	free(out);
}

int main(void)
{
	RUN(test_ps_table_wrap);
	RUN(test_ps_circuit_howto);
	RUN(test_ps_private_peering_howto);
	RUN(test_ps_microsoft_peering_howto);
	RUN(test_ps_peering_families);
	RUN(test_ps_list_layout);
	RUN(test_text_circuit);
	RUN(test_text_peering);
	RUN(test_text_list);
	RUN(test_json_circuit);
	RUN(test_json_peering);
	RUN(test_json_escaping);
	return TEST_DONE();
}
