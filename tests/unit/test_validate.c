/* SPDX-License-Identifier: MIT */
/* docs/rules.md, rule by rule: the errno, its exit code, e->what and e->msg (Azure's text where recorded). */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "core/err.h"
#include "core/validate.h"
#include "fixtures.h"
#include "test.h"

#define KEY FX_KEY
#define OBJ "MyTestCircuit private peering"
#define MSOBJ "MyTestCircuit microsoft peering"

/* Checks an outcome in one line: errno, exit code, what, msg. */
#define EXPECT_ERR(call, en, code, w, m) do { struct err _e = { 0 }; struct err *e = &_e; \
	int _r = (call); CHECK_INT(_r, en); CHECK_INT(_e.errnum, en); \
	CHECK_INT(err_exit_code(_r), code); CHECK_STR(_e.what, w); CHECK_STR(_e.msg, m); } while (0)
#define EXPECT_OK(call) do { struct err _e = { 0 }; struct err *e = &_e; int _r = (call); \
	CHECK_INT(_r, 0); if (_r) fprintf(stderr, "  -> %s: %s (%s)\n", _e.what, _e.msg, _e.detail); } while (0)

static void set_family_prefixes(struct peering *p, enum family f, const char *const *list, unsigned n)
{
	struct ms_config *m = &p->ms[f];

	free(m->prefixes);
	m->prefixes = calloc(n ? n : 1, sizeof(*m->prefixes));
	for (unsigned i = 0; i < n; i++)
		m->prefixes[i] = fx_cidr(list[i]);
	m->n_prefixes = n;
	p->has |= families[f].prefixes;
}

static void set_prefixes(struct peering *p, const char *const *list, unsigned n)
{
	set_family_prefixes(p, FAMILY_V4, list, n);
}

/* The how-to's Microsoft peering. */
static void microsoft_fixture(struct peering *p)
{
	static const char *const pf[] = { "123.0.0.0/30" };

	peering_init(p, ACCESS_MICROSOFT);
	p->has = PEERING_HAS_PEER_ASN | PEERING_HAS_VLAN | PEERING_HAS_PRIMARY4 | PEERING_HAS_SECONDARY4 |
		 PEERING_HAS_CUSTOMER_ASN | PEERING_HAS_REGISTRY | PEERING_HAS_SHARED_KEY;
	p->peer_asn = 1234;
	p->vlan_id = 300;
	p->primary4 = fx_cidr("131.107.0.0/30");
	p->secondary4 = fx_cidr("131.107.0.4/30");
	p->ms[FAMILY_V4].customer_asn = 2245;
	strcpy(p->ms[FAMILY_V4].registry, "ARIN");
	strcpy(p->shared_key, "A1B2C3D4");
	set_prefixes(p, pf, 1);
}

static void add_vnet(struct circuit *c, const char *name, const char *space)
{
	struct vnet *v;

	c->vnets = realloc(c->vnets, (c->n_vnets + 1) * sizeof(*c->vnets));
	v = &c->vnets[c->n_vnets++];
	memset(v, 0, sizeof(*v));
	strcpy(v->name, name);
	v->spaces = malloc(sizeof(*v->spaces));
	v->spaces[0] = fx_cidr(space);
	v->n_spaces = 1;
}

/* ---- PeerAsn ---- */

static void test_peer_asn_reservations(void)
{
	EXPECT_ERR(validate_peer_asn(0, OBJ, e), -EINVAL, 2, OBJ ": peer_asn=0",
		   "The specified peer ASN '0' is reserved: AS 0 is reserved (RFC 7607).");
	EXPECT_ERR(validate_peer_asn(12076, OBJ, e), -EINVAL, 2, OBJ ": peer_asn=12076",
		   "The specified peer ASN '12076' is reserved: 12076 is Microsoft's own AS (AzureAsn).");
	EXPECT_ERR(validate_peer_asn(23456, OBJ, e), -EINVAL, 2, OBJ ": peer_asn=23456",
		   "The specified peer ASN '23456' is reserved: 23456 is AS_TRANS (RFC 6793).");
	EXPECT_ERR(validate_peer_asn(64496, OBJ, e), -EINVAL, 2, OBJ ": peer_asn=64496",
		   "The specified peer ASN '64496' is reserved: 64496-64511 are reserved for documentation (RFC 5398).");
	EXPECT_ERR(validate_peer_asn(64511, OBJ, e), -EINVAL, 2, OBJ ": peer_asn=64511",
		   "The specified peer ASN '64511' is reserved: 64496-64511 are reserved for documentation (RFC 5398).");
	EXPECT_ERR(validate_peer_asn(65515, OBJ, e), -EINVAL, 2, OBJ ": peer_asn=65515",
		   "The specified peer ASN '65515' is reserved: 65515-65520 are reserved by Azure for internal use.");
	EXPECT_ERR(validate_peer_asn(65520, OBJ, e), -EINVAL, 2, OBJ ": peer_asn=65520",
		   "The specified peer ASN '65520' is reserved: 65515-65520 are reserved by Azure for internal use.");
	EXPECT_ERR(validate_peer_asn(65535, OBJ, e), -EINVAL, 2, OBJ ": peer_asn=65535",
		   "The specified peer ASN '65535' is reserved: 65535 is reserved (RFC 7300).");
	EXPECT_ERR(validate_peer_asn(4294967295u, OBJ, e), -EINVAL, 2, OBJ ": peer_asn=4294967295",
		   "The specified peer ASN '4294967295' is reserved: 4294967295 is reserved (RFC 7300).");
	EXPECT_ERR(validate_peer_asn(8074, OBJ, e), -EINVAL, 2, OBJ ": peer_asn=8074",
		   "The specified peer ASN '8074' is reserved: 8074 and 8075 are Microsoft's own AS numbers.");
	EXPECT_ERR(validate_peer_asn(8075, OBJ, e), -EINVAL, 2, OBJ ": peer_asn=8075",
		   "The specified peer ASN '8075' is reserved: 8074 and 8075 are Microsoft's own AS numbers.");
	EXPECT_ERR(validate_peer_asn(65536, OBJ, e), -EINVAL, 2, OBJ ": peer_asn=65536",
		   "The specified peer ASN '65536' is reserved: 65536-65551 are reserved for documentation (RFC 5398).");
	EXPECT_ERR(validate_peer_asn(65551, OBJ, e), -EINVAL, 2, OBJ ": peer_asn=65551",
		   "The specified peer ASN '65551' is reserved: 65536-65551 are reserved for documentation (RFC 5398).");
}

static void test_peer_asn_boundaries_ok(void)
{
	static const uint32_t ok[] = { 1, 1234, 8073, 8076, 12075, 12077, 23455, 23457, 64495, 64512, 65514,
				       65521, 65534, 65552, 4200000000u, 4294967294u };

	for (unsigned i = 0; i < sizeof(ok) / sizeof(ok[0]); i++)
		EXPECT_OK(validate_peer_asn(ok[i], OBJ, e));
}

/* ---- CustomerAsn ---- */

static void test_customer_asn(void)
{
	static const uint32_t ok[] = { 0, 1, 2245, 64495, 65552, 4199999999u };

	for (unsigned i = 0; i < sizeof(ok) / sizeof(ok[0]); i++)
		EXPECT_OK(validate_customer_asn(ok[i], MSOBJ, e));
	EXPECT_ERR(validate_customer_asn(64512, MSOBJ, e), -EINVAL, 2, MSOBJ ": customer_asn=64512",
		   "The specified customer ASN '64512' is not valid: 64512-65534 are private AS numbers (RFC 6996).");
	EXPECT_ERR(validate_customer_asn(65534, MSOBJ, e), -EINVAL, 2, MSOBJ ": customer_asn=65534",
		   "The specified customer ASN '65534' is not valid: 64512-65534 are private AS numbers (RFC 6996).");
	EXPECT_ERR(validate_customer_asn(4200000000u, MSOBJ, e), -EINVAL, 2, MSOBJ ": customer_asn=4200000000",
		   "The specified customer ASN '4200000000' is not valid: 4200000000-4294967294 are private AS numbers (RFC 6996).");
	EXPECT_ERR(validate_customer_asn(4294967294u, MSOBJ, e), -EINVAL, 2, MSOBJ ": customer_asn=4294967294",
		   "The specified customer ASN '4294967294' is not valid: 4200000000-4294967294 are private AS numbers (RFC 6996).");
	/* The reserved ones win over "private" so the reason is the precise one. */
	EXPECT_ERR(validate_customer_asn(65515, MSOBJ, e), -EINVAL, 2, MSOBJ ": customer_asn=65515",
		   "The specified customer ASN '65515' is not valid: 65515-65520 are reserved by Azure for internal use.");
	EXPECT_ERR(validate_customer_asn(12076, MSOBJ, e), -EINVAL, 2, MSOBJ ": customer_asn=12076",
		   "The specified customer ASN '12076' is not valid: 12076 is Microsoft's own AS (AzureAsn).");
	EXPECT_ERR(validate_customer_asn(23456, MSOBJ, e), -EINVAL, 2, MSOBJ ": customer_asn=23456",
		   "The specified customer ASN '23456' is not valid: 23456 is AS_TRANS (RFC 6793).");
	EXPECT_ERR(validate_customer_asn(64500, MSOBJ, e), -EINVAL, 2, MSOBJ ": customer_asn=64500",
		   "The specified customer ASN '64500' is not valid: 64496-64511 are reserved for documentation (RFC 5398).");
	EXPECT_ERR(validate_customer_asn(65535, MSOBJ, e), -EINVAL, 2, MSOBJ ": customer_asn=65535",
		   "The specified customer ASN '65535' is not valid: 65535 is reserved (RFC 7300).");
	EXPECT_ERR(validate_customer_asn(4294967295u, MSOBJ, e), -EINVAL, 2, MSOBJ ": customer_asn=4294967295",
		   "The specified customer ASN '4294967295' is not valid: 4294967295 is reserved (RFC 7300).");
}

/* ---- VLAN ---- */

static void test_vlan_range(void)
{
	EXPECT_ERR(validate_vlan(0, OBJ, e), -EINVAL, 2, OBJ ": vlan_id=0", "The vlanId '0' is not valid: use 1-4094.");
	EXPECT_OK(validate_vlan(1, OBJ, e));
	EXPECT_OK(validate_vlan(4094, OBJ, e));
	EXPECT_ERR(validate_vlan(4095, OBJ, e), -EINVAL, 2, OBJ ": vlan_id=4095",
		   "The vlanId '4095' is not valid: use 1-4094.");
	EXPECT_ERR(validate_vlan(70000, OBJ, e), -EINVAL, 2, OBJ ": vlan_id=70000",
		   "The vlanId '70000' is not valid: use 1-4094.");
}

/* ---- SharedKey ---- */

static void test_shared_key(void)
{
	EXPECT_OK(validate_shared_key("A1B2C3D4", OBJ, e));
	EXPECT_OK(validate_shared_key("abcdefghijklmnopqrstuvwxy", OBJ, e));   /* 25 */
	EXPECT_OK(validate_shared_key(NULL, OBJ, e));                           /* optional */
	EXPECT_ERR(validate_shared_key("abcdefghijklmnopqrstuvwxyz", OBJ, e), -EINVAL, 2, OBJ ": shared_key",
		   "The shared key is not valid: it has 26 characters; use 1-25 letters and digits.");
	EXPECT_ERR(validate_shared_key("", OBJ, e), -EINVAL, 2, OBJ ": shared_key",
		   "The shared key is not valid: it has 0 characters; use 1-25 letters and digits.");
	EXPECT_ERR(validate_shared_key("Secr3t-key", OBJ, e), -EINVAL, 2, OBJ ": shared_key",
		   "The shared key is not valid: character 7 is not a letter or a digit; use 1-25 of A-Z a-z 0-9.");
}

static void test_shared_key_never_echoed(void)
{
	struct err e = { 0 };
	char buf[2048];

	CHECK_INT(validate_shared_key("Secr3tKeyWithSpace Inside", OBJ, &e), -EINVAL);
	err_format(&e, buf, sizeof(buf));
	CHECK(strstr(buf, "Secr3t") == NULL);
	CHECK(strstr(buf, "character 19") != NULL);
}

/* ---- RoutingRegistryName ---- */

static void test_registry(void)
{
	static const char *const ok[] = { "ARIN", "APNIC", "AFRINIC", "LACNIC", "RIPENCC", "RADB",
					  "ALTDB", "LEVEL3", "arin", "RipeNcc", "" };

	for (unsigned i = 0; i < sizeof(ok) / sizeof(ok[0]); i++)
		EXPECT_OK(validate_registry(ok[i], MSOBJ, e));
	EXPECT_ERR(validate_registry("NONE", MSOBJ, e), -EINVAL, 2, MSOBJ ": routing_registry_name=NONE",
		   "The routing registry name 'NONE' is not valid: use one of ARIN, APNIC, AFRINIC, LACNIC, RIPENCC, RADB, ALTDB, LEVEL3.");
	EXPECT_ERR(validate_registry("RIPE", MSOBJ, e), -EINVAL, 2, MSOBJ ": routing_registry_name=RIPE",
		   "The routing registry name 'RIPE' is not valid: use one of ARIN, APNIC, AFRINIC, LACNIC, RIPENCC, RADB, ALTDB, LEVEL3.");
}

/* ---- Bandwidth ---- */

/* A bandwidth the provider does not offer is Azure's 404, whatever the number (no generic 400 first). */
static void test_bandwidth(void)
{
	struct circuit c;

	fx_howto_circuit(&c);
	c.bandwidth = 999;
	EXPECT_ERR(validate_circuit(&c, e), -ENOENT, 4, "circuit MyTestCircuit: bandwidth=999",
		   "The specified bandwidth 999 does not exist for the provider Equinix");
	c.bandwidth = 0;
	EXPECT_ERR(validate_circuit(&c, e), -ENOENT, 4, "circuit MyTestCircuit: bandwidth=0",
		   "The specified bandwidth 0 does not exist for the provider Equinix");
	c.bandwidth = 10000;
	EXPECT_OK(validate_circuit(&c, e));
	circuit_clear(&c);
}

/* ---- Peer subnets ---- */

#define SUBW OBJ ": primary_peer_subnet"

static void test_peer_subnet_ok(void)
{
	struct cidr c;

	EXPECT_OK(validate_peer_subnet("10.0.0.0/30", SUBW, &c, e));
	CHECK_INT(c.family, AF_INET);
	CHECK_INT(c.prefixlen, 30);
	EXPECT_OK(validate_peer_subnet("10.0.0.4/30", SUBW, &c, e));
	EXPECT_OK(validate_peer_subnet("2001:db8:1::/126", SUBW, &c, e));
	CHECK_INT(c.family, AF_INET6);
	EXPECT_OK(validate_peer_subnet("2001:db8:1::4/126", SUBW, NULL, e));
}

static void test_peer_subnet_host_bits(void)
{
	struct err e = { 0 };
	struct cidr c;

	/* Azure's recorded 400, byte for byte. */
	CHECK_INT(validate_peer_subnet("98.251.199.31/30", SUBW, &c, &e), -EINVAL);
	CHECK_INT(err_exit_code(e.errnum), 2);
	CHECK_STR(e.what, SUBW);
	CHECK_STR(e.msg, "The specified BGP peer IP address '98.251.199.31/30' is not valid.");
	CHECK_STR(e.detail, "must be a /30 network address: did you mean 98.251.199.28/30?");
	CHECK_INT(validate_peer_subnet("2001:db8::1/126", SUBW, &c, &e), -EINVAL);
	CHECK_STR(e.msg, "The specified BGP peer IP address '2001:db8::1/126' is not valid.");
	CHECK_STR(e.detail, "must be a /126 network address: did you mean 2001:db8::/126?");
}

static void test_peer_subnet_length(void)
{
	struct err e = { 0 };

	CHECK_INT(validate_peer_subnet("10.0.0.0/29", SUBW, NULL, &e), -EINVAL);
	CHECK_STR(e.msg, "The specified BGP peer IP address '10.0.0.0/29' is not valid.");
	CHECK(strstr(e.detail, "must be a /30 network address, e.g. 10.0.0.0/30") == e.detail);
	CHECK_INT(validate_peer_subnet("10.0.0.0/31", SUBW, NULL, &e), -EINVAL);
	CHECK_INT(validate_peer_subnet("10.0.0.0/32", SUBW, NULL, &e), -EINVAL);
	CHECK_INT(validate_peer_subnet("2001:db8::/125", SUBW, NULL, &e), -EINVAL);
	CHECK(strstr(e.detail, "must be a /126 network address") == e.detail);
	CHECK_INT(validate_peer_subnet("2001:db8::/64", SUBW, NULL, &e), -EINVAL);
	CHECK_STR(e.msg, "The specified BGP peer IP address '2001:db8::/64' is not valid.");
}

static void test_peer_subnet_garbage(void)
{
	static const char *const bad[] = { "", "10.0.0.0", "10.0.0.0/", "10.0.0.0/30 ", " 10.0.0.0/30",
					   "10.0.0.256/30", "banana", "10.0.0.0/030" };
	struct err e = { 0 };

	for (unsigned i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		char want[128];

		CHECK_INT(validate_peer_subnet(bad[i], SUBW, NULL, &e), -EINVAL);
		snprintf(want, sizeof(want), "The specified BGP peer IP address '%s' is not valid.", bad[i]);
		CHECK_STR(e.msg, want);
		CHECK_STR(e.what, SUBW);
	}
	/* A control character is never echoed raw. */
	CHECK_INT(validate_peer_subnet("10.0.0.0/30\n", SUBW, NULL, &e), -EINVAL);
	CHECK_STR(e.msg, "The specified BGP peer IP address '10.0.0.0/30?' is not valid.");
}

/* ---- AdvertisedPublicPrefixes list ---- */

static void test_prefix_list_split_trim(void)
{
	struct cidr *l = NULL;
	unsigned n = 0;
	char buf[CIDR_STRLEN];

	EXPECT_OK(validate_prefix_list("123.0.0.0/30", MSOBJ, "advertised_public_prefixes", &l, &n, e));
	CHECK_INT(n, 1);
	CHECK_STR(cidr_str(&l[0], buf, sizeof(buf)), "123.0.0.0/30");
	free(l);
	EXPECT_OK(validate_prefix_list("  123.0.0.0/30 ,124.0.0.0/24,\t2603:1000::/40 ", MSOBJ, "advertised_public_prefixes", &l, &n, e));
	CHECK_INT(n, 3);
	CHECK_STR(cidr_str(&l[1], buf, sizeof(buf)), "124.0.0.0/24");
	CHECK_STR(cidr_str(&l[2], buf, sizeof(buf)), "2603:1000::/40");
	free(l);
}

static void test_prefix_list_errors(void)
{
	struct cidr *l = (struct cidr *)1;
	unsigned n = 7;

	EXPECT_ERR(validate_prefix_list("123.0.0.0/30,,124.0.0.0/24", MSOBJ, "advertised_public_prefixes", &l, &n, e), -EINVAL, 2,
		   MSOBJ ": advertised_public_prefixes",
		   "The advertised public prefix list is not valid: item 2 is empty.");
	CHECK(l == NULL);
	CHECK_INT(n, 0);
	EXPECT_ERR(validate_prefix_list("123.0.0.0/30, ", MSOBJ, "advertised_public_prefixes", &l, &n, e), -EINVAL, 2,
		   MSOBJ ": advertised_public_prefixes",
		   "The advertised public prefix list is not valid: item 2 is empty.");
	EXPECT_ERR(validate_prefix_list("  ", MSOBJ, "advertised_public_prefixes", &l, &n, e), -EINVAL, 2, MSOBJ ": advertised_public_prefixes",
		   "A value for the Advertised Public Prefixes has to be provided.");
	EXPECT_ERR(validate_prefix_list("123.0.0.0/30, 123.0.0", MSOBJ, "advertised_public_prefixes", &l, &n, e), -EINVAL, 2,
		   MSOBJ ": advertised_public_prefixes=123.0.0",
		   "The advertised public prefix '123.0.0' is not valid.");
	EXPECT_ERR(validate_prefix_list("123.0.0.1/30", MSOBJ, "advertised_public_prefixes", &l, &n, e), -EINVAL, 2,
		   MSOBJ ": advertised_public_prefixes=123.0.0.1/30",
		   "The advertised public prefix '123.0.0.1/30' is not valid.");
}

static void test_prefix_list_limit(void)
{
	char *text = malloc(201 * 20);
	struct cidr *l = NULL;
	unsigned n = 0;
	size_t used = 0;

	for (unsigned i = 0; i < 200; i++)
		used += (size_t)sprintf(text + used, "%s123.0.%u.0/24", i ? "," : "", i);
	EXPECT_OK(validate_prefix_list(text, MSOBJ, "advertised_public_prefixes", &l, &n, e));
	CHECK_INT(n, 200);
	free(l);
	sprintf(text + used, ",124.0.0.0/24");
	EXPECT_ERR(validate_prefix_list(text, MSOBJ, "advertised_public_prefixes", &l, &n, e), -EINVAL, 2, MSOBJ ": advertised_public_prefixes",
		   "Too many advertised public prefixes: at most 200 are accepted.");
	free(text);
}

/* ---- Circuit ---- */

static void test_circuit_ok(void)
{
	struct circuit c;

	fx_howto_circuit(&c);
	EXPECT_OK(validate_circuit(&c, e));
	c.service_key[0] = '\0';             /* generated at creation */
	EXPECT_OK(validate_circuit(&c, e));
	strcpy(c.location, "SILICON VALLEY"); /* catalogue lookups are case-insensitive */
	EXPECT_OK(validate_circuit(&c, e));
	circuit_clear(&c);
}

static void test_circuit_name(void)
{
	struct circuit c;

	fx_howto_circuit(&c);
	strcpy(c.name, "x y");
	EXPECT_ERR(validate_circuit(&c, e), -EINVAL, 2, "circuit: name=x y",
		   "Circuit name 'x y' is not valid: use 1-80 of A-Z a-z 0-9 . _ -");
	strcpy(c.name, "../etc");
	EXPECT_ERR(validate_circuit(&c, e), -EINVAL, 2, "circuit: name=../etc",
		   "Circuit name '../etc' is not valid: use 1-80 of A-Z a-z 0-9 . _ -");
	c.name[0] = '\0';
	EXPECT_ERR(validate_circuit(&c, e), -EINVAL, 2, "circuit: name=",
		   "Circuit name '' is not valid: use 1-80 of A-Z a-z 0-9 . _ -");
	circuit_clear(&c);
}

static void test_circuit_service_key(void)
{
	struct circuit c;

	fx_howto_circuit(&c);
	strcpy(c.service_key, "not-a-guid");
	EXPECT_ERR(validate_circuit(&c, e), -EINVAL, 2, "circuit MyTestCircuit: service_key=not-a-guid",
		   "The value not-a-guid is an invalid GUID.");
	/* Stored keys are canonical: uppercase or braces are for input only. */
	strcpy(c.service_key, "0B5B6C4E-56A8-4A4E-9B33-0D3B7A1C2F10");
	EXPECT_ERR(validate_circuit(&c, e), -EINVAL, 2,
		   "circuit MyTestCircuit: service_key=0B5B6C4E-56A8-4A4E-9B33-0D3B7A1C2F10",
		   "The value 0B5B6C4E-56A8-4A4E-9B33-0D3B7A1C2F10 is an invalid GUID.");
	circuit_clear(&c);
}

static void test_circuit_bandwidth(void)
{
	struct circuit c;

	fx_howto_circuit(&c);
	c.bandwidth = 999;
	EXPECT_ERR(validate_circuit(&c, e), -ENOENT, 4, "circuit MyTestCircuit: bandwidth=999",
		   "The specified bandwidth 999 does not exist for the provider Equinix");
	circuit_clear(&c);
}

static void test_circuit_provider_location(void)
{
	struct circuit c;

	fx_howto_circuit(&c);
	strcpy(c.provider, "Nobody Networks");
	EXPECT_ERR(validate_circuit(&c, e), -ENOENT, 4, "circuit MyTestCircuit: service_provider_name=Nobody Networks",
		   "The provider could not be found.");
	strcpy(c.provider, "equinix");
	strcpy(c.location, "location9062");
	/* Azure's recorded 404 names the provider in its catalogue spelling, and has no full stop. */
	EXPECT_ERR(validate_circuit(&c, e), -ENOENT, 4, "circuit MyTestCircuit: location=location9062",
		   "The specified location location9062 does not exist for the provider Equinix");
	circuit_clear(&c);
}

static void test_circuit_text_fields(void)
{
	struct circuit c;

	fx_howto_circuit(&c);
	strcpy(c.location, "Silicon \"Valley\"");
	EXPECT_ERR(validate_circuit(&c, e), -EINVAL, 2, "circuit MyTestCircuit: location=Silicon \"Valley\"",
		   "The location 'Silicon \"Valley\"' is not valid: character 9 is not allowed; use printable characters without quotes or backslashes.");
	strcpy(c.location, "Silicon\nValley");
	EXPECT_ERR(validate_circuit(&c, e), -EINVAL, 2, "circuit MyTestCircuit: location=Silicon?Valley",
		   "The location 'Silicon?Valley' is not valid: character 8 is not allowed; use printable characters without quotes or backslashes.");
	strcpy(c.location, "Silicon Valley");
	strcpy(c.provider, "equi\\nix");
	EXPECT_ERR(validate_circuit(&c, e), -EINVAL, 2, "circuit MyTestCircuit: service_provider_name=equi\\nix",
		   "The service_provider_name 'equi\\nix' is not valid: character 5 is not allowed; use printable characters without quotes or backslashes.");
	c.provider[0] = '\0';
	EXPECT_ERR(validate_circuit(&c, e), -EINVAL, 2, "circuit MyTestCircuit: service_provider_name=",
		   "The service_provider_name '' is not valid: it has 0 characters; use 1-80.");
	circuit_clear(&c);
}

/* ---- State rules ---- */

static void test_can_peer(void)
{
	struct circuit c;
	struct err e = { 0 };

	fx_howto_circuit(&c);
	CHECK_INT(validate_can_peer(&c, &e), 0);
	c.prov = PROV_NOT_PROVISIONED;
	CHECK_INT(validate_can_peer(&c, &e), -EBUSY);
	CHECK_INT(err_exit_code(e.errnum), 3);
	CHECK_STR(e.what, "circuit MyTestCircuit: ServiceProviderProvisioningState=NotProvisioned");
	CHECK_STR(e.msg, "The ExpressRoute circuit must be in a provisioned and enabled state to configure peering.");
	CHECK_STR(e.detail, "provision it first: erlab circuit provision MyTestCircuit");
	c.prov = PROV_PROVISIONED;
	c.enabled = false;
	CHECK_INT(validate_can_peer(&c, &e), -EBUSY);
	CHECK_STR(e.what, "circuit MyTestCircuit: Status=Disabled");
	circuit_clear(&c);
}

static void test_can_remove_peering(void)
{
	struct circuit c;
	struct err e = { 0 };

	fx_howto_circuit(&c);
	fx_private_peering(&c.peerings[ACCESS_PRIVATE], false);
	c.peering_present[ACCESS_PRIVATE] = true;
	CHECK_INT(validate_can_remove_peering(&c, ACCESS_PRIVATE, &e), 0);
	CHECK_INT(validate_can_remove_peering(&c, ACCESS_MICROSOFT, &e), -ENOENT);
	CHECK_INT(err_exit_code(e.errnum), 4);
	CHECK_STR(e.what, MSOBJ);
	CHECK_STR(e.msg, "The Microsoft peering of circuit 'MyTestCircuit' does not exist.");
	add_vnet(&c, "hub", "10.1.0.0/16");
	add_vnet(&c, "spoke", "10.2.0.0/16");
	CHECK_INT(validate_can_remove_peering(&c, ACCESS_PRIVATE, &e), -EBUSY);
	CHECK_INT(err_exit_code(e.errnum), 3);
	CHECK_STR(e.what, OBJ);
	CHECK_STR(e.msg, "The private peering cannot be removed while virtual networks are linked: unlink all virtual networks first (hub, spoke).");
	CHECK_STR(e.detail, "erlab vnet unlink MyTestCircuit hub");
	/* VNets hang off the private peering only. */
	microsoft_fixture(&c.peerings[ACCESS_MICROSOFT]);
	c.peering_present[ACCESS_MICROSOFT] = true;
	CHECK_INT(validate_can_remove_peering(&c, ACCESS_MICROSOFT, &e), 0);
	circuit_clear(&c);
}

static void test_can_remove_circuit(void)
{
	struct circuit c;
	struct err e = { 0 };

	fx_howto_circuit(&c);
	CHECK_INT(validate_can_remove_circuit(&c, &e), -EBUSY);
	CHECK_INT(err_exit_code(e.errnum), 3);
	CHECK_STR(e.what, "circuit MyTestCircuit: ServiceProviderProvisioningState=Provisioned");
	CHECK_STR(e.msg, "A circuit cannot be deleted when the ServiceProviderProvisioningState is Provisioned.");
	CHECK_STR(e.detail, "deprovision it first: erlab circuit deprovision MyTestCircuit");
	c.prov = PROV_NOT_PROVISIONED;
	CHECK_INT(validate_can_remove_circuit(&c, &e), 0);
	add_vnet(&c, "hub", "10.1.0.0/16");
	CHECK_INT(validate_can_remove_circuit(&c, &e), -EBUSY);
	CHECK_STR(e.what, "circuit MyTestCircuit: vnets=hub");
	CHECK_STR(e.msg, "You must unlink all virtual networks from the ExpressRoute circuit for this operation to succeed.");
	circuit_clear(&c);
}

/* ---- Peering as a whole ---- */

static void test_peering_howto_ok(void)
{
	struct circuit c;
	struct peering p, m;

	fx_howto_circuit(&c);
	fx_private_peering(&p, false);
	EXPECT_OK(validate_peering(&c, &p, e));
	p.has |= PEERING_HAS_SHARED_KEY;
	strcpy(p.shared_key, "A1B2C3D4");
	EXPECT_OK(validate_peering(&c, &p, e));
	microsoft_fixture(&m);
	EXPECT_OK(validate_peering(&c, &m, e));
	/* Validating a change of the peering itself: its own slot is ignored. */
	c.peerings[ACCESS_PRIVATE] = p;
	c.peering_present[ACCESS_PRIVATE] = true;
	EXPECT_OK(validate_peering(&c, &p, e));
	c.peering_present[ACCESS_PRIVATE] = false;
	memset(&c.peerings[ACCESS_PRIVATE], 0, sizeof(p));
	peering_clear(&m);
	circuit_clear(&c);
}

static void test_peering_required(void)
{
	struct circuit c;
	struct peering p;

	fx_howto_circuit(&c);
	fx_private_peering(&p, false);
	p.has &= ~PEERING_HAS_PEER_ASN;
	EXPECT_ERR(validate_peering(&c, &p, e), -EINVAL, 2, OBJ ": peer_asn",
		   "A value for the  Peer Asn has to be provided.");
	fx_private_peering(&p, false);
	p.has &= ~PEERING_HAS_VLAN;
	EXPECT_ERR(validate_peering(&c, &p, e), -EINVAL, 2, OBJ ": vlan_id",
		   "A value for the VLan Id has to be provided.");
	fx_private_peering(&p, false);
	p.has &= ~(PEERING_HAS_PRIMARY4 | PEERING_HAS_SECONDARY4);
	EXPECT_ERR(validate_peering(&c, &p, e), -EINVAL, 2, OBJ ": primary_peer_subnet",
		   "A value for the Primary Peer Subnet has to be provided.");
	circuit_clear(&c);
}

static void test_peering_half_pairs(void)
{
	struct circuit c;
	struct peering p;

	fx_howto_circuit(&c);
	fx_private_peering(&p, false);
	p.has &= ~PEERING_HAS_SECONDARY4;
	EXPECT_ERR(validate_peering(&c, &p, e), -EINVAL, 2, OBJ ": secondary_peer_subnet",
		   "A value for the Secondary Peer Subnet has to be provided.");
	fx_private_peering(&p, false);
	p.has &= ~PEERING_HAS_PRIMARY4;
	EXPECT_ERR(validate_peering(&c, &p, e), -EINVAL, 2, OBJ ": primary_peer_subnet",
		   "A value for the Primary Peer Subnet has to be provided.");
	/* v4 complete, v6 half: still an error, naming the v6 half. */
	fx_private_peering(&p, false);
	p.has |= PEERING_HAS_SECONDARY6;
	p.secondary6 = fx_cidr("fd00::4/126");
	EXPECT_ERR(validate_peering(&c, &p, e), -EINVAL, 2, OBJ ": primary_peer_subnet_v6",
		   "A value for the Primary Peer Subnet has to be provided.");
	/* v6 only is a complete peering. */
	fx_private_peering(&p, false);
	p.has &= ~(PEERING_HAS_PRIMARY4 | PEERING_HAS_SECONDARY4);
	p.has |= PEERING_HAS_PRIMARY6 | PEERING_HAS_SECONDARY6;
	p.primary6 = fx_cidr("fd00::/126");
	p.secondary6 = fx_cidr("fd00::4/126");
	EXPECT_OK(validate_peering(&c, &p, e));
	circuit_clear(&c);
}

static void test_peering_family_slots(void)
{
	struct circuit c;
	struct peering p;

	fx_howto_circuit(&c);
	fx_private_peering(&p, false);
	p.primary4 = fx_cidr("fd00::/126");
	EXPECT_ERR(validate_peering(&c, &p, e), -EINVAL, 2, OBJ ": primary_peer_subnet=fd00::/126",
		   "The specified BGP peer IP address 'fd00::/126' is not valid.");
	fx_private_peering(&p, false);
	p.has |= PEERING_HAS_PRIMARY6 | PEERING_HAS_SECONDARY6;
	p.primary6 = fx_cidr("fd00::/126");
	p.secondary6 = fx_cidr("10.0.0.8/30");
	EXPECT_ERR(validate_peering(&c, &p, e), -EINVAL, 2, OBJ ": secondary_peer_subnet_v6=10.0.0.8/30",
		   "The specified BGP peer IP address '10.0.0.8/30' is not valid.");
	circuit_clear(&c);
}

static void test_peering_subnet_shape(void)
{
	struct circuit c;
	struct peering p;
	struct err e = { 0 };

	fx_howto_circuit(&c);
	fx_private_peering(&p, false);
	p.secondary4 = fx_cidr("98.251.199.31/30");
	CHECK_INT(validate_peering(&c, &p, &e), -EINVAL);
	CHECK_STR(e.what, OBJ ": secondary_peer_subnet=98.251.199.31/30");
	CHECK_STR(e.msg, "The specified BGP peer IP address '98.251.199.31/30' is not valid.");
	CHECK_STR(e.detail, "must be a /30 network address: did you mean 98.251.199.28/30?");
	fx_private_peering(&p, false);
	p.primary4 = fx_cidr("10.0.0.0/29");
	CHECK_INT(validate_peering(&c, &p, &e), -EINVAL);
	CHECK_INT(err_exit_code(e.errnum), 2);
	CHECK_STR(e.what, OBJ ": primary_peer_subnet=10.0.0.0/29");
	CHECK_STR(e.msg, "The specified BGP peer IP address '10.0.0.0/29' is not valid.");
	circuit_clear(&c);
}

static void test_peering_primary_equals_secondary(void)
{
	struct circuit c;
	struct peering p;

	fx_howto_circuit(&c);
	fx_private_peering(&p, false);
	p.secondary4 = p.primary4;
	EXPECT_ERR(validate_peering(&c, &p, e), -EINVAL, 2, OBJ ": secondary_peer_subnet=10.0.0.0/30",
		   "The primary and secondary peer subnets must be different: both are '10.0.0.0/30'.");
	circuit_clear(&c);
}

static void test_peering_overlap_other_peering(void)
{
	struct circuit c;
	struct peering p;
	struct err e = { 0 };

	fx_howto_circuit(&c);
	fx_private_peering(&c.peerings[ACCESS_PRIVATE], false);
	c.peering_present[ACCESS_PRIVATE] = true;
	/* Public peering on a subnet the private peering uses. */
	peering_init(&p, ACCESS_PUBLIC);
	p.has = PEERING_HAS_PEER_ASN | PEERING_HAS_VLAN | PEERING_HAS_PRIMARY4 | PEERING_HAS_SECONDARY4;
	p.peer_asn = 1234;
	p.vlan_id = 200;
	p.primary4 = fx_cidr("131.107.0.0/30");
	p.secondary4 = fx_cidr("131.107.0.4/30");
	CHECK_INT(validate_peering(&c, &p, &e), 0);
	c.peerings[ACCESS_PRIVATE].secondary4 = fx_cidr("131.107.0.4/30");
	CHECK_INT(validate_peering(&c, &p, &e), -EINVAL);
	CHECK_INT(err_exit_code(e.errnum), 2);
	CHECK_STR(e.what, "MyTestCircuit public peering: secondary_peer_subnet=131.107.0.4/30");
	CHECK_STR(e.msg, "The specified BGP peer IP address '131.107.0.4/30' overlaps the secondary peer subnet 131.107.0.4/30 of the private peering.");
	/* IPv6 subnets of other peerings count too. */
	circuit_clear(&c);
	fx_howto_circuit(&c);
	fx_private_peering(&c.peerings[ACCESS_PRIVATE], false);
	c.peering_present[ACCESS_PRIVATE] = true;
	c.peerings[ACCESS_PRIVATE].has |= PEERING_HAS_PRIMARY6 | PEERING_HAS_SECONDARY6;
	c.peerings[ACCESS_PRIVATE].primary6 = fx_cidr("2603:1000::/126");
	c.peerings[ACCESS_PRIVATE].secondary6 = fx_cidr("2603:1000::4/126");
	microsoft_fixture(&p);
	p.has |= PEERING_HAS_PRIMARY6 | PEERING_HAS_SECONDARY6;
	p.primary6 = fx_cidr("2603:1000::4/126");
	p.secondary6 = fx_cidr("2603:1000::8/126");
	CHECK_INT(validate_peering(&c, &p, &e), -EINVAL);
	CHECK_STR(e.what, MSOBJ ": primary_peer_subnet_v6=2603:1000::4/126");
	CHECK_STR(e.msg, "The specified BGP peer IP address '2603:1000::4/126' overlaps the IPv6 secondary peer subnet 2603:1000::4/126 of the private peering.");
	peering_clear(&p);
	circuit_clear(&c);
}

static void test_peering_vnet_overlap(void)
{
	struct circuit c;
	struct peering p;
	struct err e = { 0 };

	fx_howto_circuit(&c);
	add_vnet(&c, "hub", "10.0.0.0/16");
	fx_private_peering(&p, false);
	CHECK_INT(validate_peering(&c, &p, &e), -EINVAL);
	CHECK_INT(err_exit_code(e.errnum), 2);
	CHECK_STR(e.what, OBJ ": primary_peer_subnet=10.0.0.0/30");
	CHECK_STR(e.msg, "The specified BGP peer IP address '10.0.0.0/30' overlaps the address space 10.0.0.0/16 of virtual network hub.");
	circuit_clear(&c);
	fx_howto_circuit(&c);
	add_vnet(&c, "hub", "10.0.0.4/32");
	CHECK_INT(validate_peering(&c, &p, &e), -EINVAL);
	CHECK_STR(e.what, OBJ ": secondary_peer_subnet=10.0.0.4/30");
	circuit_clear(&c);
}

static void test_peering_public_ipv4_only(void)
{
	struct circuit c;
	struct peering p;

	fx_howto_circuit(&c);
	peering_init(&p, ACCESS_PUBLIC);
	p.has = PEERING_HAS_PEER_ASN | PEERING_HAS_VLAN | PEERING_HAS_PRIMARY6 | PEERING_HAS_SECONDARY6;
	p.peer_asn = 1234;
	p.vlan_id = 200;
	p.primary6 = fx_cidr("2603:1000::/126");
	p.secondary6 = fx_cidr("2603:1000::4/126");
	EXPECT_ERR(validate_peering(&c, &p, e), -EINVAL, 2, "MyTestCircuit public peering: primary_peer_subnet_v6=2603:1000::/126",
		   "Public peering supports IPv4 only: '2603:1000::/126' is an IPv6 subnet.");
	circuit_clear(&c);
}

static void test_peering_public_needs_public_subnets(void)
{
	struct circuit c;
	struct peering p;

	fx_howto_circuit(&c);
	peering_init(&p, ACCESS_PUBLIC);
	p.has = PEERING_HAS_PEER_ASN | PEERING_HAS_VLAN | PEERING_HAS_PRIMARY4 | PEERING_HAS_SECONDARY4;
	p.peer_asn = 1234;
	p.vlan_id = 200;
	p.primary4 = fx_cidr("10.0.0.0/30");
	p.secondary4 = fx_cidr("10.0.0.4/30");
	EXPECT_ERR(validate_peering(&c, &p, e), -EINVAL, 2, "MyTestCircuit public peering: primary_peer_subnet=10.0.0.0/30",
		   "The specified BGP peer IP address '10.0.0.0/30' is not a public address (RFC 1918).");
	circuit_clear(&c);
}

/* Every non-public range named in docs/rules.md, refused on Microsoft peering with its reason. */
static void test_peering_microsoft_nonpublic_ranges(void)
{
	static const struct { const char *subnet, *why; } cases[] = {
		{ "10.1.2.0/30", "RFC 1918" },
		{ "172.16.0.0/30", "RFC 1918" },
		{ "172.31.255.252/30", "RFC 1918" },
		{ "192.168.1.0/30", "RFC 1918" },
		{ "127.0.0.0/30", "loopback" },
		{ "169.254.1.0/30", "link-local" },
		{ "100.64.0.0/30", "CGNAT (RFC 6598)" },
		{ "100.127.255.252/30", "CGNAT (RFC 6598)" },
		{ "192.0.2.0/30", "documentation" },
		{ "198.51.100.0/30", "documentation" },
		{ "203.0.113.0/30", "documentation" },
		{ "224.0.0.0/30", "multicast" },
		{ "239.255.255.252/30", "multicast" },
		{ "0.0.0.0/30", "reserved" },
		{ "240.0.0.0/30", "reserved" },
		{ "255.255.255.252/30", "reserved" },
		{ "192.0.0.0/30", "reserved" },
		{ "198.18.0.0/30", "reserved" },
	};
	static const struct { const char *subnet, *why; } cases6[] = {
		{ "fd00::/126", "unique local (fc00::/7)" },
		{ "fe80::/126", "link-local" },
		{ "ff02::/126", "multicast" },
		{ "2001:db8::/126", "documentation" },
		{ "::/126", "reserved" },
		{ "4000::/126", "not global unicast" },
	};
	struct circuit c;
	struct peering p;
	struct err e = { 0 };
	char want[256], what[256];

	fx_howto_circuit(&c);
	for (unsigned i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		microsoft_fixture(&p);
		p.primary4 = fx_cidr(cases[i].subnet);
		CHECK_INT(validate_peering(&c, &p, &e), -EINVAL);
		CHECK_INT(err_exit_code(e.errnum), 2);
		snprintf(what, sizeof(what), MSOBJ ": primary_peer_subnet=%s", cases[i].subnet);
		snprintf(want, sizeof(want), "The specified BGP peer IP address '%s' is not a public address (%s).",
			 cases[i].subnet, cases[i].why);
		CHECK_STR(e.what, what);
		CHECK_STR(e.msg, want);
		peering_clear(&p);
	}
	for (unsigned i = 0; i < sizeof(cases6) / sizeof(cases6[0]); i++) {
		microsoft_fixture(&p);
		p.has |= PEERING_HAS_PRIMARY6 | PEERING_HAS_SECONDARY6;
		p.primary6 = fx_cidr("2603:1000::/126");
		p.secondary6 = fx_cidr(cases6[i].subnet);
		CHECK_INT(validate_peering(&c, &p, &e), -EINVAL);
		snprintf(what, sizeof(what), MSOBJ ": secondary_peer_subnet_v6=%s", cases6[i].subnet);
		snprintf(want, sizeof(want), "The specified BGP peer IP address '%s' is not a public address (%s).",
			 cases6[i].subnet, cases6[i].why);
		CHECK_STR(e.what, what);
		CHECK_STR(e.msg, want);
		peering_clear(&p);
	}
	circuit_clear(&c);
}

static void test_peering_microsoft_prefixes(void)
{
	static const char *const dup[] = { "123.0.0.0/30", "124.0.0.0/24", "123.0.0.0/30" };
	static const char *const priv[] = { "123.0.0.0/30", "192.168.0.0/24" };
	static const char *const v6[] = { "2603:1000::/40" };
	struct circuit c;
	struct peering p;

	fx_howto_circuit(&c);
	microsoft_fixture(&p);
	p.has &= ~PEERING_HAS_PREFIXES;
	EXPECT_ERR(validate_peering(&c, &p, e), -EINVAL, 2, MSOBJ ": advertised_public_prefixes",
		   "A value for the Advertised Public Prefixes has to be provided.");
	set_prefixes(&p, dup, 0);
	EXPECT_ERR(validate_peering(&c, &p, e), -EINVAL, 2, MSOBJ ": advertised_public_prefixes",
		   "A value for the Advertised Public Prefixes has to be provided.");
	set_prefixes(&p, dup, 3);
	EXPECT_ERR(validate_peering(&c, &p, e), -EINVAL, 2, MSOBJ ": advertised_public_prefixes=123.0.0.0/30",
		   "The advertised public prefix '123.0.0.0/30' is listed twice.");
	set_prefixes(&p, priv, 2);
	EXPECT_ERR(validate_peering(&c, &p, e), -EINVAL, 2, MSOBJ ": advertised_public_prefixes=192.168.0.0/24",
		   "The advertised public prefix '192.168.0.0/24' is not a public address (RFC 1918).");
	/* Each family has its own list, and a list needs its family's sessions. */
	set_prefixes(&p, priv, 1);
	set_family_prefixes(&p, FAMILY_V6, v6, 1);
	EXPECT_ERR(validate_peering(&c, &p, e), -EINVAL, 2, MSOBJ ": advertised_public_prefixes_v6=2603:1000::/40",
		   "The peering has no IPv6 sessions for its IPv6 configuration.");
	p.has |= PEERING_HAS_PRIMARY6 | PEERING_HAS_SECONDARY6;
	p.primary6 = fx_cidr("2603:2000::/126");
	p.secondary6 = fx_cidr("2603:2000::4/126");
	EXPECT_OK(validate_peering(&c, &p, e));
	/* IPv6 sessions need IPv6 prefixes of their own. */
	set_family_prefixes(&p, FAMILY_V6, v6, 0);
	EXPECT_ERR(validate_peering(&c, &p, e), -EINVAL, 2, MSOBJ ": advertised_public_prefixes_v6",
		   "A value for the Advertised Public Prefixes has to be provided.");
	/* A prefix of the other family in a list (a state file edited by hand) is refused. */
	set_family_prefixes(&p, FAMILY_V6, priv, 1);
	EXPECT_ERR(validate_peering(&c, &p, e), -EINVAL, 2, MSOBJ ": advertised_public_prefixes_v6=123.0.0.0/30",
		   "The advertised public prefix '123.0.0.0/30' is not an IPv6 prefix.");
	/* The IPv4 config without IPv4 sessions. */
	set_family_prefixes(&p, FAMILY_V6, v6, 1);
	p.has &= ~(PEERING_HAS_PRIMARY4 | PEERING_HAS_SECONDARY4);
	EXPECT_ERR(validate_peering(&c, &p, e), -EINVAL, 2, MSOBJ ": advertised_public_prefixes=123.0.0.0/30",
		   "The peering has no IPv4 sessions for its IPv4 configuration.");
	peering_clear(&p);
	circuit_clear(&c);
}

/* 200 prefixes per family: IPv4 and IPv6 count apart. */
static void test_peering_microsoft_200_each(void)
{
	struct circuit c;
	struct peering p;
	char buf[64];

	fx_howto_circuit(&c);
	microsoft_fixture(&p);
	p.has |= PEERING_HAS_PRIMARY6 | PEERING_HAS_SECONDARY6 | PEERING_HAS_PREFIXES6;
	p.primary6 = fx_cidr("2603:2000::/126");
	p.secondary6 = fx_cidr("2603:2000::4/126");
	for (unsigned f = 0; f < _FAMILY_MAX; f++) {
		struct ms_config *m = &p.ms[f];

		free(m->prefixes);
		m->prefixes = calloc(ADV_PREFIXES_MAX, sizeof(*m->prefixes));
		for (unsigned i = 0; i < ADV_PREFIXES_MAX; i++) {
			if (f == FAMILY_V4)
				snprintf(buf, sizeof(buf), "123.%u.0.0/16", i);
			else
				snprintf(buf, sizeof(buf), "2603:%x::/32", 0x1000 + i);
			m->prefixes[i] = fx_cidr(buf);
		}
		m->n_prefixes = ADV_PREFIXES_MAX;
	}
	EXPECT_OK(validate_peering(&c, &p, e));
	peering_clear(&p);
	circuit_clear(&c);
}

static void test_peering_microsoft_201_prefixes(void)
{
	struct circuit c;
	struct peering p;

	fx_howto_circuit(&c);
	microsoft_fixture(&p);
	free(p.ms[FAMILY_V4].prefixes);
	p.ms[FAMILY_V4].prefixes = calloc(201, sizeof(*p.ms[FAMILY_V4].prefixes));
	for (unsigned i = 0; i < 201; i++) {
		char buf[32];

		snprintf(buf, sizeof(buf), "123.%u.%u.0/24", i / 256, i % 256);
		p.ms[FAMILY_V4].prefixes[i] = fx_cidr(buf);
	}
	p.ms[FAMILY_V4].n_prefixes = 200;
	EXPECT_OK(validate_peering(&c, &p, e));
	p.ms[FAMILY_V4].n_prefixes = 201;
	EXPECT_ERR(validate_peering(&c, &p, e), -EINVAL, 2, MSOBJ ": advertised_public_prefixes",
		   "Too many advertised public prefixes: 201 IPv4 prefixes given, at most 200 are accepted.");
	peering_clear(&p);
	circuit_clear(&c);
}

static void test_peering_microsoft_customer_asn_registry(void)
{
	struct circuit c;
	struct peering p;

	fx_howto_circuit(&c);
	microsoft_fixture(&p);
	p.ms[FAMILY_V4].customer_asn = 0;                      /* 0 = none */
	EXPECT_OK(validate_peering(&c, &p, e));
	p.has &= ~(PEERING_HAS_CUSTOMER_ASN | PEERING_HAS_REGISTRY);
	EXPECT_OK(validate_peering(&c, &p, e));
	peering_clear(&p);
	microsoft_fixture(&p);
	p.ms[FAMILY_V4].customer_asn = 65001;
	EXPECT_ERR(validate_peering(&c, &p, e), -EINVAL, 2, MSOBJ ": customer_asn=65001",
		   "The specified customer ASN '65001' is not valid: 64512-65534 are private AS numbers (RFC 6996).");
	peering_clear(&p);
	microsoft_fixture(&p);
	strcpy(p.ms[FAMILY_V4].registry, "ripencc");
	EXPECT_OK(validate_peering(&c, &p, e));
	strcpy(p.ms[FAMILY_V4].registry, "IANA");
	EXPECT_ERR(validate_peering(&c, &p, e), -EINVAL, 2, MSOBJ ": routing_registry_name=IANA",
		   "The routing registry name 'IANA' is not valid: use one of ARIN, APNIC, AFRINIC, LACNIC, RIPENCC, RADB, ALTDB, LEVEL3.");
	peering_clear(&p);
	circuit_clear(&c);
}

static void test_peering_microsoft_only_fields(void)
{
	static const char *const pf[] = { "123.0.0.0/30" };
	struct circuit c;
	struct peering p;

	fx_howto_circuit(&c);
	fx_private_peering(&p, false);
	p.has |= PEERING_HAS_CUSTOMER_ASN;
	p.ms[FAMILY_V4].customer_asn = 2245;
	EXPECT_ERR(validate_peering(&c, &p, e), -EINVAL, 2, OBJ ": customer_asn=2245",
		   "CustomerAsn only applies to Microsoft peering, not to Private peering.");
	p.ms[FAMILY_V4].customer_asn = 0;                      /* "none" is not a value */
	EXPECT_OK(validate_peering(&c, &p, e));
	fx_private_peering(&p, false);
	p.has |= PEERING_HAS_REGISTRY;
	strcpy(p.ms[FAMILY_V4].registry, "ARIN");
	EXPECT_ERR(validate_peering(&c, &p, e), -EINVAL, 2, OBJ ": routing_registry_name=ARIN",
		   "RoutingRegistryName only applies to Microsoft peering, not to Private peering.");
	fx_private_peering(&p, false);
	set_prefixes(&p, pf, 1);
	EXPECT_ERR(validate_peering(&c, &p, e), -EINVAL, 2, OBJ ": advertised_public_prefixes=123.0.0.0/30",
		   "AdvertisedPublicPrefixes only applies to Microsoft peering, not to Private peering.");
	peering_clear(&p);
	circuit_clear(&c);
}

static void test_peering_field_rules_in_context(void)
{
	struct circuit c;
	struct peering p;

	fx_howto_circuit(&c);
	fx_private_peering(&p, false);
	p.peer_asn = 65515;
	EXPECT_ERR(validate_peering(&c, &p, e), -EINVAL, 2, OBJ ": peer_asn=65515",
		   "The specified peer ASN '65515' is reserved: 65515-65520 are reserved by Azure for internal use.");
	fx_private_peering(&p, false);
	p.vlan_id = 4095;
	EXPECT_ERR(validate_peering(&c, &p, e), -EINVAL, 2, OBJ ": vlan_id=4095",
		   "The vlanId '4095' is not valid: use 1-4094.");
	fx_private_peering(&p, false);
	p.has |= PEERING_HAS_SHARED_KEY;
	strcpy(p.shared_key, "abcdefghijklmnopqrstuvwxyz");
	EXPECT_ERR(validate_peering(&c, &p, e), -EINVAL, 2, OBJ ": shared_key",
		   "The shared key is not valid: it has 26 characters; use 1-25 letters and digits.");
	circuit_clear(&c);
}

static void test_peering_vlan_in_use(void)
{
	struct circuit c;
	struct peering p;
	struct err e = { 0 };

	fx_howto_circuit(&c);
	microsoft_fixture(&c.peerings[ACCESS_MICROSOFT]);
	c.peering_present[ACCESS_MICROSOFT] = true;
	c.peerings[ACCESS_MICROSOFT].vlan_id = 100;
	fx_private_peering(&p, false);
	CHECK_INT(validate_peering(&c, &p, &e), -EEXIST);
	CHECK_INT(err_exit_code(e.errnum), 3);
	CHECK_STR(e.what, OBJ ": vlan_id=100");
	CHECK_STR(e.msg, "The vlanId specified is already in use.");
	CHECK_STR(e.detail, "used by the microsoft peering");
	/* Invalid input outranks the conflict: exit 2 before exit 3. */
	p.peer_asn = 12076;
	CHECK_INT(validate_peering(&c, &p, &e), -EINVAL);
	p.peer_asn = 1234;
	p.vlan_id = 101;
	CHECK_INT(validate_peering(&c, &p, &e), 0);
	circuit_clear(&c);
}

/* Premium to Standard: at most 10 VNets and 4,000 private IPv4 routes (the customer's prefixes). */
static void test_can_downgrade(void)
{
	struct circuit c;
	char name[8], space[32];

	fx_howto_circuit(&c);
	fx_howto_private(&c, false);
	c.sku = SKU_PREMIUM;
	for (unsigned i = 1; i <= 11; i++) {
		snprintf(name, sizeof(name), "v%u", i);
		snprintf(space, sizeof(space), "10.%u.0.0/16", 100 + i);
		add_vnet(&c, name, space);
	}
	EXPECT_ERR(validate_can_downgrade(&c, e), -EBUSY, 3, "circuit MyTestCircuit: sku=Standard",
		   "The circuit 'MyTestCircuit' cannot be downgraded to Standard: it links 11 virtual networks, more than the 10 of a Standard circuit.");
	vnet_clear(&c.vnets[--c.n_vnets]);
	EXPECT_OK(validate_can_downgrade(&c, e));

	c.bgp.prefixes = calloc(4001, sizeof(*c.bgp.prefixes));
	for (unsigned i = 0; i < 4001; i++) {
		snprintf(space, sizeof(space), "172.%u.%u.0/24", 16 + i / 256, i % 256);
		c.bgp.prefixes[i] = fx_cidr(space);
	}
	c.bgp.n_prefixes = 4000;
	EXPECT_OK(validate_can_downgrade(&c, e));
	c.bgp.n_prefixes = 4001;
	EXPECT_ERR(validate_can_downgrade(&c, e), -EBUSY, 3, "circuit MyTestCircuit: sku=Standard",
		   "The circuit 'MyTestCircuit' cannot be downgraded to Standard: its private peering carries 4001 IPv4 routes, more than the 4000 of a Standard circuit.");
	/* IPv6 routes have their own limit (100 on both SKUs): they do not count here. */
	c.bgp.prefixes[4000] = fx_cidr("2001:db8::/48");
	EXPECT_OK(validate_can_downgrade(&c, e));
	circuit_clear(&c);
}

/* AdvertisedPublicPrefixesState per family: private PeerAsn, CustomerAsn, the lab's registry. */
static void test_prefix_state(void)
{
	static const char *const v6[] = { "2603:1000::/40" };
	const struct registry_entry reg[] = { { fx_cidr("123.0.0.0/16"), 2245 }, { fx_cidr("2603:1000::/32"), 1234 } };
	struct peering p;

	microsoft_fixture(&p);
	p.has |= PEERING_HAS_PRIMARY6 | PEERING_HAS_SECONDARY6;
	p.primary6 = fx_cidr("2603:2000::/126");
	p.secondary6 = fx_cidr("2603:2000::4/126");
	set_family_prefixes(&p, FAMILY_V6, v6, 1);
	CHECK_INT(validate_prefix_state(&p, FAMILY_V4, NULL, 0), PREFIX_CONFIGURED);
	CHECK_INT(validate_prefix_state(&p, FAMILY_V6, NULL, 0), PREFIX_CONFIGURED);
	/* A private PeerAsn: the family with a CustomerAsn is validated, the other is not. */
	p.peer_asn = 65010;
	CHECK_INT(validate_prefix_state(&p, FAMILY_V4, NULL, 0), PREFIX_CONFIGURED);
	CHECK_INT(validate_prefix_state(&p, FAMILY_V6, NULL, 0), PREFIX_VALIDATION_NEEDED);
	p.peer_asn = 4200000000u;
	CHECK_INT(validate_prefix_state(&p, FAMILY_V6, NULL, 0), PREFIX_VALIDATION_NEEDED);
	/* The registry: registered to the CustomerAsn (IPv4) or to the PeerAsn (IPv6). */
	p.peer_asn = 1234;
	CHECK_INT(validate_prefix_state(&p, FAMILY_V4, reg, 2), PREFIX_CONFIGURED);
	CHECK_INT(validate_prefix_state(&p, FAMILY_V6, reg, 2), PREFIX_CONFIGURED);
	p.ms[FAMILY_V4].customer_asn = 9999;
	CHECK_INT(validate_prefix_state(&p, FAMILY_V4, reg, 2), PREFIX_VALIDATION_NEEDED);
	CHECK_INT(validate_prefix_state(&p, FAMILY_V6, reg, 1), PREFIX_VALIDATION_NEEDED);
	/* Only Microsoft peering is validated, and only a family with sessions. */
	p.has &= ~(PEERING_HAS_PRIMARY6 | PEERING_HAS_SECONDARY6);
	CHECK_INT(validate_prefix_state(&p, FAMILY_V6, reg, 1), PREFIX_CONFIGURED);
	p.type = ACCESS_PRIVATE;
	CHECK_INT(validate_prefix_state(&p, FAMILY_V4, reg, 2), PREFIX_CONFIGURED);
	peering_clear(&p);
}

int main(void)
{
	RUN(test_can_downgrade);
	RUN(test_prefix_state);
	RUN(test_peer_asn_reservations);
	RUN(test_peer_asn_boundaries_ok);
	RUN(test_customer_asn);
	RUN(test_vlan_range);
	RUN(test_shared_key);
	RUN(test_shared_key_never_echoed);
	RUN(test_registry);
	RUN(test_bandwidth);
	RUN(test_peer_subnet_ok);
	RUN(test_peer_subnet_host_bits);
	RUN(test_peer_subnet_length);
	RUN(test_peer_subnet_garbage);
	RUN(test_prefix_list_split_trim);
	RUN(test_prefix_list_errors);
	RUN(test_prefix_list_limit);
	RUN(test_circuit_ok);
	RUN(test_circuit_name);
	RUN(test_circuit_service_key);
	RUN(test_circuit_bandwidth);
	RUN(test_circuit_provider_location);
	RUN(test_circuit_text_fields);
	RUN(test_can_peer);
	RUN(test_can_remove_peering);
	RUN(test_can_remove_circuit);
	RUN(test_peering_howto_ok);
	RUN(test_peering_required);
	RUN(test_peering_half_pairs);
	RUN(test_peering_family_slots);
	RUN(test_peering_subnet_shape);
	RUN(test_peering_primary_equals_secondary);
	RUN(test_peering_overlap_other_peering);
	RUN(test_peering_vnet_overlap);
	RUN(test_peering_public_ipv4_only);
	RUN(test_peering_public_needs_public_subnets);
	RUN(test_peering_microsoft_nonpublic_ranges);
	RUN(test_peering_microsoft_prefixes);
	RUN(test_peering_microsoft_201_prefixes);
	RUN(test_peering_microsoft_200_each);
	RUN(test_peering_microsoft_customer_asn_registry);
	RUN(test_peering_microsoft_only_fields);
	RUN(test_peering_field_rules_in_context);
	RUN(test_peering_vlan_in_use);
	return TEST_DONE();
}
