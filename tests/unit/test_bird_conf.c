/* SPDX-License-Identifier: MIT */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "core/bird_conf.h"
#include "fixtures.h"
#include "test.h"

#define KEY FX_KEY

static void add_microsoft(struct circuit *c, enum prefix_state st)
{
	struct peering *p = &c->peerings[ACCESS_MICROSOFT];

	peering_init(p, ACCESS_MICROSOFT);
	p->has = PEERING_HAS_PEER_ASN | PEERING_HAS_VLAN | PEERING_HAS_PRIMARY4 | PEERING_HAS_SECONDARY4 |
		 PEERING_HAS_PREFIXES | PEERING_HAS_CUSTOMER_ASN | PEERING_HAS_REGISTRY;
	p->peer_asn = 1234;
	p->ms[FAMILY_V4].customer_asn = 2245;
	p->vlan_id = 300;
	p->primary4 = fx_cidr("131.107.0.0/30");
	p->secondary4 = fx_cidr("131.107.0.4/30");
	strcpy(p->ms[FAMILY_V4].registry, "ARIN");
	p->ms[FAMILY_V4].prefixes = calloc(1, sizeof(*p->ms[FAMILY_V4].prefixes));
	p->ms[FAMILY_V4].prefixes[0] = fx_cidr("123.0.0.0/30");
	p->ms[FAMILY_V4].n_prefixes = 1;
	p->ms[FAMILY_V4].prefix_state = st;
	c->peering_present[ACCESS_MICROSOFT] = true;
}

static void add_vnet(struct circuit *c, const char *name, const char *space)
{
	struct vnet *v;

	c->vnets = realloc(c->vnets, (c->n_vnets + 1) * sizeof(*c->vnets));
	v = &c->vnets[c->n_vnets++];
	memset(v, 0, sizeof(*v));
	strcpy(v->name, name);
	v->spaces = calloc(1, sizeof(*v->spaces));
	v->spaces[0] = fx_cidr(space);
	v->n_spaces = 1;
}

/* The how-to's circuit: private and Microsoft peering, one VNet. */
static void howto(struct circuit *c)
{
	circuit_init(c);
	strcpy(c->name, "MyTestCircuit");
	strcpy(c->service_key, KEY);
	c->prov = PROV_PROVISIONED;
	fx_howto_private(c, true);
	add_microsoft(c, PREFIX_CONFIGURED);
	add_vnet(c, "hub", "10.1.0.0/16");
}

static const char golden_msee[] =
	"# erlab: Microsoft edge (MSEE, AS 12076) of circuit MyTestCircuit. Generated: edits are overwritten.\n"
	"log \"/run/erlab/bird/ms.log\" all;\n"
	"router id 10.0.0.2;\n"
	"timeformat protocol iso long;\n"
	"\n"
	"protocol device {\n"
	"}\n"
	"\n"
	"protocol kernel kernel4 {\n"
	"\tipv4 {\n"
	"\t\timport none;\n"
	"\t\texport where source = RTS_BGP;\n"
	"\t};\n"
	"\tlearn off;\n"
	"\tpersist off;\n"
	"\tmerge paths on;\n"
	"}\n"
	"\n"
	"# Linked VNets' address spaces, advertised over private peering.\n"
	"protocol static vnets4 {\n"
	"\tipv4;\n"
	"\troute 10.1.0.0/16 via \"to-hub\";\n"
	"}\n"
	"\n"
	"# Microsoft peering accepts only AdvertisedPublicPrefixes (and more specifics).\n"
	"filter microsoft_in4 {\n"
	"\tif net ~ [ 123.0.0.0/30+ ] then accept;\n"
	"\treject;\n"
	"}\n"
	"filter microsoft_in6 {\n"
	"\tif net ~ [  ] then accept;\n"
	"\treject;\n"
	"}\n"
	"\n"
	"protocol bgp private_primary {\n"
	"\tdescription \"Private peering, primary link\";\n"
	"\tlocal 10.0.0.2 as 12076;\n"
	"\tneighbor 10.0.0.1 as 1234;\n"
	"\tpassword \"A1B2C3D4\";\n"
	"\thold time 180;\n"
	"\tkeepalive time 60;\n"
	"\tipv4 {\n"
	"\t\timport keep filtered on;\n"
	"\t\treceive limit 4000 action restart;\n"
	"\t\timport all;\n"
	"\t\texport where proto = \"vnets4\";\n"
	"\t};\n"
	"}\n"
	"\n"
	"protocol bgp private_secondary {\n"
	"\tdescription \"Private peering, secondary link\";\n"
	"\tlocal 10.0.0.6 as 12076;\n"
	"\tneighbor 10.0.0.5 as 1234;\n"
	"\tpassword \"A1B2C3D4\";\n"
	"\thold time 180;\n"
	"\tkeepalive time 60;\n"
	"\tipv4 {\n"
	"\t\timport keep filtered on;\n"
	"\t\treceive limit 4000 action restart;\n"
	"\t\timport all;\n"
	"\t\texport where proto = \"vnets4\";\n"
	"\t};\n"
	"}\n"
	"\n"
	"protocol bgp microsoft_primary {\n"
	"\tdescription \"Microsoft peering, primary link\";\n"
	"\tlocal 131.107.0.2 as 12076;\n"
	"\tneighbor 131.107.0.1 as 1234;\n"
	"\thold time 180;\n"
	"\tkeepalive time 60;\n"
	"\tipv4 {\n"
	"\t\timport keep filtered on;\n"
	"\t\treceive limit 200 action restart;\n"
	"\t\timport filter microsoft_in4;\n"
	"\t\texport none;\n"
	"\t};\n"
	"}\n"
	"\n"
	"protocol bgp microsoft_secondary {\n"
	"\tdescription \"Microsoft peering, secondary link\";\n"
	"\tlocal 131.107.0.6 as 12076;\n"
	"\tneighbor 131.107.0.5 as 1234;\n"
	"\thold time 180;\n"
	"\tkeepalive time 60;\n"
	"\tipv4 {\n"
	"\t\timport keep filtered on;\n"
	"\t\treceive limit 200 action restart;\n"
	"\t\timport filter microsoft_in4;\n"
	"\t\texport none;\n"
	"\t};\n"
	"}\n";

static const char golden_customer[] =
	"# erlab: customer router of circuit MyTestCircuit. Generated: edits are overwritten.\n"
	"log stderr all;\n"
	"router id 10.0.0.1;\n"
	"timeformat protocol iso long;\n"
	"\n"
	"protocol device {\n"
	"}\n"
	"\n"
	"protocol kernel kernel4 {\n"
	"\tipv4 {\n"
	"\t\timport none;\n"
	"\t\texport where source = RTS_BGP;\n"
	"\t};\n"
	"\tlearn off;\n"
	"\tpersist off;\n"
	"\tmerge paths on;\n"
	"}\n"
	"\n"
	"# What this router advertises (blackholes exist only to be exported).\n"
	"protocol static adv4 {\n"
	"\tipv4;\n"
	"\troute 192.168.0.0/24 blackhole;\n"
	"\troute 123.0.0.0/30 blackhole;\n"
	"}\n"
	"filter private_out4 {\n"
	"\tif source = RTS_STATIC && net ~ [ 192.168.0.0/24 ] then accept;\n"
	"\treject;\n"
	"}\n"
	"filter microsoft_out4 {\n"
	"\tif source = RTS_STATIC && net ~ [ 123.0.0.0/30 ] then accept;\n"
	"\treject;\n"
	"}\n"
	"\n"
	"protocol bgp private_primary {\n"
	"\tdescription \"Private peering, primary link\";\n"
	"\tlocal 10.0.0.1 as 1234;\n"
	"\tneighbor 10.0.0.2 as 12076;\n"
	"\tpassword \"A1B2C3D4\";\n"
	"\tipv4 {\n"
	"\t\timport all;\n"
	"\t\texport filter private_out4;\n"
	"\t};\n"
	"}\n"
	"\n"
	"protocol bgp private_secondary {\n"
	"\tdescription \"Private peering, secondary link\";\n"
	"\tlocal 10.0.0.5 as 1234;\n"
	"\tneighbor 10.0.0.6 as 12076;\n"
	"\tpassword \"A1B2C3D4\";\n"
	"\tipv4 {\n"
	"\t\timport all;\n"
	"\t\texport filter private_out4;\n"
	"\t};\n"
	"}\n"
	"\n"
	"protocol bgp microsoft_primary {\n"
	"\tdescription \"Microsoft peering, primary link\";\n"
	"\tlocal 131.107.0.1 as 1234;\n"
	"\tneighbor 131.107.0.2 as 12076;\n"
	"\tipv4 {\n"
	"\t\timport all;\n"
	"\t\texport filter microsoft_out4;\n"
	"\t};\n"
	"}\n"
	"\n"
	"protocol bgp microsoft_secondary {\n"
	"\tdescription \"Microsoft peering, secondary link\";\n"
	"\tlocal 131.107.0.5 as 1234;\n"
	"\tneighbor 131.107.0.6 as 12076;\n"
	"\tipv4 {\n"
	"\t\timport all;\n"
	"\t\texport filter microsoft_out4;\n"
	"\t};\n"
	"}\n";

/* BIRD's own parser (`bird -p`) must accept what we generate; skipped where BIRD is missing. */
static int bird_parses(const char *text)
{
	char path[] = "/tmp/erlab-bird-conf.XXXXXX", cmd[256];
	FILE *f;
	int fd, st;

	if (access(BIRD_BIN, X_OK) != 0)
		return 1;
	fd = mkstemp(path);
	if (fd < 0)
		return 0;
	f = fdopen(fd, "w");
	fputs(text, f);
	fclose(f);
	snprintf(cmd, sizeof(cmd), "%s -p -c %s", BIRD_BIN, path);
	st = system(cmd);
	unlink(path);
	return WIFEXITED(st) && WEXITSTATUS(st) == 0;
}

/* The text of the protocol block named `name` (up to the next blank line), for targeted checks. */
static const char *block(const char *text, const char *name, char *buf, size_t len)
{
	char head[64];
	const char *s, *end;

	buf[0] = '\0';
	if (!text)
		return buf;
	snprintf(head, sizeof(head), "protocol bgp %s {", name);
	s = strstr(text, head);
	if (!s)
		return buf;
	end = strstr(s, "\n}\n");
	end = end ? end + 3 : s + strlen(s);
	snprintf(buf, len, "%.*s", (int)(end - s), s);
	return buf;
}

static void test_golden_msee(void)
{
	struct bird_msee_opts o = { .log_path = "/run/erlab/bird/ms.log" };
	struct circuit c;
	struct err e = { 0 };
	char *t = NULL;

	howto(&c);
	CHECK_INT(bird_conf_msee(&c, &o, &t, &e), 0);
	if (e.errnum)
		fprintf(stderr, "%s: %s\n", e.what, e.msg);
	CHECK_STR(t, golden_msee);
	if (t && strcmp(t, golden_msee))
		fprintf(stderr, "---- got:\n%s----\n", t);
	CHECK(t && bird_parses(t));
	free(t);
	circuit_clear(&c);
}

static void test_golden_customer(void)
{
	struct cidr mine = fx_cidr("192.168.0.0/24");
	struct bird_customer_opts o = { 0 };
	struct circuit c;
	struct err e = { 0 };
	char *t = NULL;

	o.adv[ACCESS_PRIVATE] = &mine;
	o.n_adv[ACCESS_PRIVATE] = 1;
	howto(&c);
	CHECK_INT(bird_conf_customer(&c, &o, &t, &e), 0);
	CHECK_STR(t, golden_customer);
	if (t && strcmp(t, golden_customer))
		fprintf(stderr, "---- got:\n%s----\n", t);
	CHECK(t && bird_parses(t));
	free(t);
	circuit_clear(&c);
}

static void test_v6(void)
{
	struct bird_msee_opts o = { 0 };
	struct circuit c;
	struct err e = { 0 };
	struct peering *p;
	char *t = NULL, b[2048];

	howto(&c);
	p = &c.peerings[ACCESS_PRIVATE];
	p->primary6 = fx_cidr("2001:db8:1::/126");
	p->secondary6 = fx_cidr("2001:db8:1::4/126");
	p->has |= PEERING_HAS_PRIMARY6 | PEERING_HAS_SECONDARY6;
	CHECK_INT(bird_conf_msee(&c, &o, &t, &e), 0);
	CHECK(t && strstr(t, "protocol kernel kernel6 {"));
	CHECK(t && strstr(t, "protocol static vnets6 {"));
	block(t, "private_primary_v6", b, sizeof(b));
	CHECK(strstr(b, "local 2001:db8:1::2 as 12076;\n"));
	CHECK(strstr(b, "neighbor 2001:db8:1::1 as 1234;\n"));
	CHECK(strstr(b, "\tipv6 {\n"));
	CHECK(strstr(b, "receive limit 100 action restart;"));
	CHECK(strstr(b, "export where proto = \"vnets6\";"));
	block(t, "private_secondary_v6", b, sizeof(b));
	CHECK(strstr(b, "local 2001:db8:1::6 as 12076;\n"));
	/* The v4 sessions are still there and keep their limit. */
	block(t, "private_primary", b, sizeof(b));
	CHECK(strstr(b, "receive limit 4000 action restart;"));
	CHECK(t && bird_parses(t));
	free(t);

	/* The customer side speaks v6 to the MSEE's v6 addresses. */
	CHECK_INT(bird_conf_customer(&c, NULL, &t, &e), 0);
	block(t, "private_secondary_v6", b, sizeof(b));
	CHECK(strstr(b, "local 2001:db8:1::5 as 1234;\n"));
	CHECK(strstr(b, "neighbor 2001:db8:1::6 as 12076;\n"));
	CHECK(strstr(b, "export filter private_out6;"));
	CHECK(t && bird_parses(t));
	free(t);
	circuit_clear(&c);
}

/* Microsoft peering with v6 prefixes: each family's filter holds its own prefixes. */
static void test_microsoft_v6(void)
{
	struct circuit c;
	struct err e = { 0 };
	struct peering *p;
	char *t = NULL, b[2048];

	howto(&c);
	p = &c.peerings[ACCESS_MICROSOFT];
	p->primary6 = fx_cidr("2620:1ec::/126");
	p->secondary6 = fx_cidr("2620:1ec::4/126");
	p->has |= PEERING_HAS_PRIMARY6 | PEERING_HAS_SECONDARY6 | PEERING_HAS_PREFIXES6;
	p->ms[FAMILY_V6].prefixes = calloc(1, sizeof(*p->ms[FAMILY_V6].prefixes));
	p->ms[FAMILY_V6].prefixes[0] = fx_cidr("2620:1ec:100::/48");
	p->ms[FAMILY_V6].n_prefixes = 1;
	CHECK_INT(bird_conf_msee(&c, NULL, &t, &e), 0);
	CHECK(t && strstr(t, "filter microsoft_in6 {\n\tif net ~ [ 2620:1ec:100::/48+ ] then accept;"));
	CHECK(t && strstr(t, "filter microsoft_in4 {\n\tif net ~ [ 123.0.0.0/30+ ] then accept;"));
	block(t, "microsoft_primary_v6", b, sizeof(b));
	CHECK(strstr(b, "receive limit 200 action restart;"));
	CHECK(strstr(b, "import filter microsoft_in6;"));
	CHECK(t && bird_parses(t));
	free(t);
	circuit_clear(&c);
}

static void test_validation_needed(void)
{
	struct circuit c;
	struct err e = { 0 };
	char *t = NULL, b[2048];

	howto(&c);
	c.peerings[ACCESS_MICROSOFT].ms[FAMILY_V4].prefix_state = PREFIX_VALIDATION_NEEDED;
	CHECK_INT(bird_conf_msee(&c, NULL, &t, &e), 0);
	CHECK(strstr(block(t, "microsoft_primary", b, sizeof(b)), "\tdisabled;"));
	CHECK(strstr(block(t, "microsoft_secondary", b, sizeof(b)), "\tdisabled;"));
	CHECK(!strstr(block(t, "private_primary", b, sizeof(b)), "disabled"));
	CHECK(t && bird_parses(t));
	free(t);
	/* The same rule, asked directly (what `wait` on a customer-only host skips). */
	CHECK(!bird_session_enabled(&c, ACCESS_MICROSOFT, false));
	CHECK(bird_session_enabled(&c, ACCESS_PRIVATE, false));

	/* Configuring (not yet Configured) is not enough either; a Disabled peering is off whatever its type. */
	c.peerings[ACCESS_MICROSOFT].ms[FAMILY_V4].prefix_state = PREFIX_CONFIGURING;
	c.peerings[ACCESS_PRIVATE].enabled = false;
	CHECK_INT(bird_conf_msee(&c, NULL, &t, &e), 0);
	CHECK(strstr(block(t, "microsoft_primary", b, sizeof(b)), "\tdisabled;"));
	CHECK(strstr(block(t, "private_secondary", b, sizeof(b)), "\tdisabled;"));
	CHECK(!bird_session_enabled(&c, ACCESS_MICROSOFT, false));
	CHECK(!bird_session_enabled(&c, ACCESS_PRIVATE, false));
	free(t);
	circuit_clear(&c);
}

static void test_limits(void)
{
	struct bird_msee_opts o = { .limit = 3, .error_wait_s = 2 };
	struct circuit c;
	struct err e = { 0 };
	char *t = NULL, b[2048];

	howto(&c);
	CHECK_INT(bird_msee_limit(&c, ACCESS_PRIVATE, false), 4000);
	CHECK_INT(bird_msee_limit(&c, ACCESS_PRIVATE, true), 100);
	CHECK_INT(bird_msee_limit(&c, ACCESS_MICROSOFT, false), 200);
	CHECK_INT(bird_msee_limit(&c, ACCESS_MICROSOFT, true), 200);
	CHECK_INT(bird_msee_limit(&c, ACCESS_PUBLIC, false), 200);
	c.sku = SKU_PREMIUM;
	CHECK_INT(bird_msee_limit(&c, ACCESS_PRIVATE, false), 10000);
	CHECK_INT(bird_msee_limit(&c, ACCESS_PRIVATE, true), 100);
	CHECK_INT(bird_conf_msee(&c, NULL, &t, &e), 0);
	CHECK(strstr(block(t, "private_primary", b, sizeof(b)), "receive limit 10000 action restart;"));
	CHECK(strstr(block(t, "microsoft_primary", b, sizeof(b)), "receive limit 200 action restart;"));
	free(t);

	/* The test knobs: one limit for every session, a short retry. */
	CHECK_INT(bird_conf_msee(&c, &o, &t, &e), 0);
	CHECK(strstr(block(t, "private_primary", b, sizeof(b)), "receive limit 3 action restart;"));
	CHECK(strstr(block(t, "microsoft_secondary", b, sizeof(b)), "receive limit 3 action restart;"));
	CHECK(strstr(b, "error wait time 2, 2;"));
	CHECK(t && bird_parses(t));
	free(t);
	circuit_clear(&c);
}

/*
 * A lab's timers (bird_conf.h, lab_timers; docs/bgp.md, "Timers"): in every session of both
 * routers, after Azure's hold and keepalive, which stay; the tests' error wait replaces the lab's.
 * Without lab_timers (router-config's customer router) none of them is written.
 */
static void test_lab_timers(void)
{
	static const char msee_timers[] = "\thold time 180;\n\tkeepalive time 60;\n\tconnect delay time 1;\n"
					  "\tconnect retry time 5;\n\terror wait time 1, 60;\n\tipv4 {\n";
	static const char cust_timers[] = "\tpassword \"A1B2C3D4\";\n\tconnect delay time 1;\n"
					  "\tconnect retry time 5;\n\terror wait time 1, 60;\n\tipv4 {\n";
	const char *sessions[] = { "private_primary", "private_secondary", "microsoft_primary", "microsoft_secondary" };
	struct bird_msee_opts mo = { .lab_timers = true };
	struct bird_customer_opts co = { .lab_timers = true };
	struct circuit c;
	struct err e = { 0 };
	char *t = NULL, b[2048];

	howto(&c);
	CHECK_INT(bird_conf_msee(&c, &mo, &t, &e), 0);
	for (unsigned i = 0; i < sizeof(sessions) / sizeof(sessions[0]); i++) {
		block(t, sessions[i], b, sizeof(b));
		CHECK(strstr(b, "\tconnect delay time 1;\n\tconnect retry time 5;\n\terror wait time 1, 60;\n"));
	}
	CHECK(strstr(block(t, "private_primary", b, sizeof(b)), msee_timers));
	CHECK(t && bird_parses(t));
	free(t);

	mo.error_wait_s = 2;
	CHECK_INT(bird_conf_msee(&c, &mo, &t, &e), 0);
	block(t, "microsoft_secondary", b, sizeof(b));
	CHECK(strstr(b, "\tconnect retry time 5;\n\terror wait time 2, 2;\n"));
	CHECK(!strstr(b, "error wait time 1, 60;"));
	free(t);

	CHECK_INT(bird_conf_customer(&c, &co, &t, &e), 0);
	CHECK(strstr(block(t, "private_secondary", b, sizeof(b)), cust_timers));
	CHECK(strstr(block(t, "microsoft_primary", b, sizeof(b)), "\tconnect delay time 1;\n"));
	CHECK(!strstr(b, "hold time"));
	CHECK(t && bird_parses(t));
	free(t);

	co.lab_timers = false;
	CHECK_INT(bird_conf_customer(&c, &co, &t, &e), 0);
	CHECK(t && !strstr(t, "connect delay") && !strstr(t, "connect retry") && !strstr(t, "error wait"));
	free(t);
	circuit_clear(&c);
}

static void test_public_and_router_id(void)
{
	struct bird_msee_opts o = { .router_id = fx_cidr("192.0.2.9/32") };
	struct circuit c;
	struct err e = { 0 };
	struct peering *p;
	char *t = NULL, *t2 = NULL, b[2048];

	/* No IPv4 subnet at all: a router id derived from the key, stable across calls. */
	circuit_init(&c);
	strcpy(c.name, "Pub");
	strcpy(c.service_key, KEY);
	CHECK_INT(bird_conf_msee(&c, NULL, &t, &e), 0);
	CHECK_INT(bird_conf_msee(&c, NULL, &t2, &e), 0);
	CHECK(t && strstr(t, "router id 10.255."));
	CHECK_STR(t, t2);
	CHECK(t && bird_parses(t));
	free(t);
	free(t2);
	CHECK_INT(bird_conf_customer(&c, NULL, &t, &e), 0);
	CHECK(t && strstr(t, "router id 10.254."));
	free(t);

	p = &c.peerings[ACCESS_PUBLIC];
	peering_init(p, ACCESS_PUBLIC);
	p->has = PEERING_HAS_PEER_ASN | PEERING_HAS_PRIMARY4 | PEERING_HAS_SECONDARY4;
	p->peer_asn = 4200000000u;
	p->primary4 = fx_cidr("131.107.1.0/30");
	p->secondary4 = fx_cidr("131.107.1.4/30");
	c.peering_present[ACCESS_PUBLIC] = true;
	CHECK_INT(bird_conf_msee(&c, NULL, &t, &e), 0);
	CHECK(t && strstr(t, "router id 131.107.1.2;"));
	CHECK(t && strstr(t, "filter public_in4 {\n\tif net ~ [ 0.0.0.0/0, 0.0.0.0/8+, 10.0.0.0/8+"));
	block(t, "public_secondary", b, sizeof(b));
	CHECK(strstr(b, "neighbor 131.107.1.5 as 4200000000;"));
	CHECK(strstr(b, "import filter public_in4;\n\t\texport none;"));
	CHECK(!strstr(b, "password"));
	CHECK(t && bird_parses(t));
	free(t);

	/* A router id given by the caller wins (erlab keeps it stable when peerings come and go). */
	CHECK_INT(bird_conf_msee(&c, &o, &t, &e), 0);
	CHECK(t && strstr(t, "router id 192.0.2.9;"));
	free(t);
	circuit_clear(&c);
}

static void test_vnet_hops(void)
{
	struct bird_vnet_hop hop = { .vnet = "spoke", .via4 = fx_cidr("10.2.0.4/32") };
	struct bird_msee_opts o = { .hops = &hop, .n_hops = 1 };
	struct circuit c;
	struct err e = { 0 };
	char *t = NULL;

	howto(&c);
	add_vnet(&c, "spoke", "10.2.0.0/16");
	add_vnet(&c, "dup", "10.1.0.0/16");
	CHECK_INT(bird_conf_msee(&c, &o, &t, &e), 0);
	CHECK(t && strstr(t, "\troute 10.1.0.0/16 via \"to-hub\";\n\troute 10.2.0.0/16 via 10.2.0.4;\t# spoke\n}"));
	free(t);
	hop.via4 = fx_cidr("2001:db8::1/128");
	CHECK_INT(bird_conf_msee(&c, &o, &t, &e), -EINVAL);
	CHECK(t == NULL);
	circuit_clear(&c);
}

/* Customer prefixes: one static route each even when listed for two peerings; empty lists export nothing. */
static void test_customer_prefixes(void)
{
	struct cidr priv[2] = { fx_cidr("192.168.0.0/24"), fx_cidr("123.0.0.0/30") };
	struct cidr ms[2] = { fx_cidr("123.0.0.0/30"), fx_cidr("124.0.0.0/24") };
	struct bird_customer_opts o = { .error_wait_s = 1 };
	struct circuit c;
	struct err e = { 0 };
	char *t = NULL;

	howto(&c);
	o.adv[ACCESS_PRIVATE] = priv;
	o.n_adv[ACCESS_PRIVATE] = 2;
	o.adv[ACCESS_MICROSOFT] = ms;
	o.n_adv[ACCESS_MICROSOFT] = 2;
	CHECK_INT(bird_conf_customer(&c, &o, &t, &e), 0);
	CHECK(t && strstr(t, "\troute 192.168.0.0/24 blackhole;\n\troute 123.0.0.0/30 blackhole;\n"
			     "\troute 124.0.0.0/24 blackhole;\n}"));
	CHECK(t && strstr(t, "net ~ [ 123.0.0.0/30, 124.0.0.0/24 ] then accept;"));
	CHECK(t && strstr(t, "error wait time 1, 1;"));
	CHECK(t && bird_parses(t));
	free(t);

	o.n_adv[ACCESS_PRIVATE] = 0;
	CHECK_INT(bird_conf_customer(&c, &o, &t, &e), 0);
	CHECK(t && strstr(t, "filter private_out4 {\n\tif source = RTS_STATIC && net ~ [  ] then accept;"));
	CHECK(t && bird_parses(t));
	free(t);
	circuit_clear(&c);
}

static void expect_refused(struct circuit *c, const struct bird_msee_opts *o, const char *why)
{
	struct err e = { 0 };
	char *t = (char *)"x", *u = (char *)"x";

	if (bird_conf_msee(c, o, &t, &e) != -EINVAL || t != NULL) {
		test_failed_checks++;
		fprintf(stderr, "MSEE config not refused: %s\n", why);
	}
	if (!o && (bird_conf_customer(c, NULL, &u, &e) != -EINVAL || u != NULL)) {
		test_failed_checks++;
		fprintf(stderr, "customer config not refused: %s\n", why);
	}
	CHECK(e.errnum == -EINVAL && e.what[0] && e.msg[0]);
}

static void test_injection(void)
{
	static const char *const bad_keys[] = {
		"A1B2\";} protocol x", "A1B2\nlog", "key with space", "k\\", "k#",
		"\"", "ключ",
	};
	struct bird_msee_opts o = { 0 };
	struct circuit c;
	unsigned i;

	for (i = 0; i < sizeof(bad_keys) / sizeof(bad_keys[0]); i++) {
		howto(&c);
		snprintf(c.peerings[ACCESS_PRIVATE].shared_key, sizeof(c.peerings[0].shared_key), "%s", bad_keys[i]);
		expect_refused(&c, NULL, bad_keys[i]);
		circuit_clear(&c);
	}
	/* No terminator within the field: longer than 25, refused rather than read past. */
	howto(&c);
	memset(c.peerings[ACCESS_PRIVATE].shared_key, 'A', sizeof(c.peerings[0].shared_key));
	expect_refused(&c, NULL, "26 characters");
	circuit_clear(&c);

	/* The refusal is validate_shared_key's (docs/rules.md's text), naming the peering and never the key. */
	{
		struct err e = { 0 };
		char *t = NULL;

		howto(&c);
		strcpy(c.peerings[ACCESS_PRIVATE].shared_key, "A1B2-C3");
		CHECK_INT(bird_conf_msee(&c, NULL, &t, &e), -EINVAL);
		CHECK_STR(e.what, "MyTestCircuit private peering: shared_key");
		CHECK_STR(e.msg, "The shared key is not valid: character 5 is not a letter or a digit; "
				 "use 1-25 of A-Z a-z 0-9.");
		CHECK(t == NULL);
		circuit_clear(&c);
	}

	/* A key is checked even when it is only on the Microsoft peering. */
	howto(&c);
	c.peerings[ACCESS_MICROSOFT].has |= PEERING_HAS_SHARED_KEY;
	strcpy(c.peerings[ACCESS_MICROSOFT].shared_key, "a\"b");
	expect_refused(&c, NULL, "microsoft key");
	circuit_clear(&c);

	howto(&c);
	strcpy(c.name, "My\"Circuit\n");
	expect_refused(&c, NULL, "circuit name");
	circuit_clear(&c);

	howto(&c);
	strcpy(c.vnets[0].name, "h\";}");
	expect_refused(&c, &o, "vnet name");
	circuit_clear(&c);

	static const char *const bad_paths[] = { "/tmp/a\"; } x", "/tmp/a\nb", "relative.log", "/tmp/a\\b", "" };
	for (i = 0; i < sizeof(bad_paths) / sizeof(bad_paths[0]); i++) {
		struct bird_customer_opts co = { .log_path = bad_paths[i] };
		struct err e = { 0 };
		char *t = NULL;

		howto(&c);
		o.log_path = bad_paths[i];
		expect_refused(&c, &o, bad_paths[i]);
		CHECK_INT(bird_conf_customer(&c, &co, &t, &e), -EINVAL);
		CHECK(t == NULL);
		circuit_clear(&c);
	}
	o.log_path = NULL;

	/* Numbers and prefixes that would make a different config than the one meant. */
	howto(&c);
	c.peerings[ACCESS_PRIVATE].peer_asn = AZURE_ASN;
	expect_refused(&c, NULL, "peer asn 12076");
	c.peerings[ACCESS_PRIVATE].peer_asn = 0;
	expect_refused(&c, NULL, "peer asn 0");
	circuit_clear(&c);

	howto(&c);
	c.peerings[ACCESS_PRIVATE].primary4 = fx_cidr("10.0.0.1/30");
	expect_refused(&c, NULL, "host address as subnet");
	c.peerings[ACCESS_PRIVATE].primary4 = fx_cidr("10.0.0.0/29");
	expect_refused(&c, NULL, "not a /30");
	c.peerings[ACCESS_PRIVATE].primary4.family = 99;
	expect_refused(&c, NULL, "unknown family");
	circuit_clear(&c);

	howto(&c);
	c.peerings[ACCESS_MICROSOFT].ms[FAMILY_V4].prefixes[0].prefixlen = 200;
	expect_refused(&c, NULL, "prefix length");
	circuit_clear(&c);

	howto(&c);
	c.vnets[0].spaces[0] = fx_cidr("10.1.2.3/16");
	expect_refused(&c, &o, "vnet space not a network");
	circuit_clear(&c);

	howto(&c);
	o.router_id = fx_cidr("2001:db8::1/128");
	expect_refused(&c, &o, "v6 router id");
	circuit_clear(&c);
}

/* Random bytes for every text field: either refused, or a config whose quoted values are clean. */
static void test_fuzz_text(void)
{
	unsigned seed = 12345, round, i;
	int accepted = 0;

	for (round = 0; round < 2000; round++) {
		struct circuit c;
		struct err e = { 0 };
		char *t = NULL;
		unsigned n;

		howto(&c);
		n = 1 + rand_r(&seed) % SHARED_KEY_MAX;
		for (i = 0; i < n; i++)
			c.peerings[ACCESS_PRIVATE].shared_key[i] = (char)(1 + rand_r(&seed) % 255);
		c.peerings[ACCESS_PRIVATE].shared_key[n] = '\0';
		if (round % 3 == 0)
			for (i = 0; i < n; i++)
				c.peerings[ACCESS_PRIVATE].shared_key[i] = "aZ9\""[rand_r(&seed) % 4];
		if (bird_conf_msee(&c, NULL, &t, &e) == 0) {
			const char *k = strstr(t, "password \"");

			accepted++;
			CHECK(k != NULL);
			for (k = k ? k + 10 : ""; *k && *k != '"'; k++)
				CHECK((*k >= 'a' && *k <= 'z') || (*k >= 'A' && *k <= 'Z') || (*k >= '0' && *k <= '9'));
			free(t);
		} else {
			CHECK(t == NULL);
		}
		circuit_clear(&c);
	}
	CHECK(accepted > 0);
}

static void test_names_and_paths(void)
{
	struct bird_paths bp;
	struct err e = { 0 };
	char buf[32], longdir[200];

	CHECK_STR(bird_session_name(ACCESS_PRIVATE, LINK_PRIMARY, false, buf, sizeof(buf)), "private_primary");
	CHECK_STR(bird_session_name(ACCESS_MICROSOFT, LINK_SECONDARY, true, buf, sizeof(buf)),
		  "microsoft_secondary_v6");
	CHECK_INT(bird_paths_init(&bp, "/run/erlab", KEY, NS_MICROSOFT, &e), 0);
	CHECK_STR(bp.conf, "/run/erlab/bird/" KEY "-microsoft.conf");
	CHECK_STR(bp.ctl, "/run/erlab/bird/" KEY "-microsoft.ctl");
	CHECK_STR(bp.pid, "/run/erlab/bird/" KEY "-microsoft.pid");
	CHECK_STR(bp.log, "/run/erlab/bird/" KEY "-microsoft.log");
	CHECK_INT(bird_paths_init(&bp, "/run/erlab", KEY, NS_CUSTOMER, &e), 0);
	CHECK_STR(bp.ctl, "/run/erlab/bird/" KEY "-customer.ctl");
	memset(longdir, 'd', sizeof(longdir) - 1);
	longdir[0] = '/';
	longdir[sizeof(longdir) - 1] = '\0';
	CHECK_INT(bird_paths_init(&bp, longdir, KEY, NS_CUSTOMER, &e), -ENAMETOOLONG);
	CHECK_INT(bird_paths_init(&bp, "/run/erlab", "../../etc", NS_CUSTOMER, &e), -EINVAL);
	CHECK_INT(bird_paths_init(&bp, "/run/\"x", KEY, NS_CUSTOMER, &e), -EINVAL);
	/* The store's key rule: a canonical GUID, so one circuit has one set of file names. */
	CHECK_INT(bird_paths_init(&bp, "/run/erlab", "0B5B6C4E-56A8-4A4E-9B33-0D3B7A1C2F10", NS_CUSTOMER, &e), -EINVAL);
	CHECK_INT(bird_paths_init(&bp, "/run/erlab", "{" KEY "}", NS_CUSTOMER, &e), -EINVAL);
	CHECK_INT(bird_paths_init(&bp, "/run/erlab", "abc-def", NS_CUSTOMER, &e), -EINVAL);
}

/* bird_paths_parse_conf: exactly the .conf names bird_paths_init makes, nothing else. */
static void test_paths_parse(void)
{
	static const char *const refused[] = {
		"/run/erlab/bird/" KEY "-microsoft.ctl",
		"/run/erlab/bird/" KEY "-microsoft.conf.tmp",
		"/run/erlab/bird/" KEY "-peer.conf",
		"/run/erlab/other/" KEY "-customer.conf",
		"/run/erlab/bird/0B5B6C4E-56A8-4A4E-9B33-0D3B7A1C2F10-customer.conf",
		"/run/erlab/bird/" KEY "x-customer.conf",
		"run/erlab/bird/" KEY "-customer.conf",
		"bird/" KEY "-customer.conf",
		"/bird/" KEY "-customer.conf",
		"/etc/bird/bird.conf",
		"-c", "", "/",
	};
	struct bird_paths bp;
	enum ns_role role = _NS_INVALID;
	char key[GUID_STRLEN] = "";
	unsigned i;

	CHECK_INT(bird_paths_parse_conf("/run/erlab/bird/" KEY "-microsoft.conf", key, &role), 0);
	CHECK_STR(key, KEY);
	CHECK_INT(role, NS_MICROSOFT);
	CHECK_INT(bird_paths_parse_conf("/tmp/x y/bird/" KEY "-customer.conf", NULL, &role), 0);
	CHECK_INT(role, NS_CUSTOMER);
	CHECK_INT(bird_paths_init(&bp, "/", KEY, NS_CUSTOMER, NULL), 0);
	CHECK_INT(bird_paths_parse_conf(bp.conf, NULL, NULL), 0);
	for (i = 0; i < sizeof(refused) / sizeof(refused[0]); i++)
		if (bird_paths_parse_conf(refused[i], NULL, NULL) != -EINVAL) {
			test_failed_checks++;
			fprintf(stderr, "not refused: %s\n", refused[i]);
		}
	CHECK_INT(bird_conf_check_path("/run/erlab/bird/x.log"), 0);
	CHECK_INT(bird_conf_check_path("/run/erlab/\x7f"), -EINVAL);
}

/* The parse check itself can fail (else every "parses" above would prove nothing). */
static void test_parse_check(void)
{
	if (access(BIRD_BIN, X_OK) != 0) {
		printf("skip: %s not installed\n", BIRD_BIN);
		return;
	}
	CHECK(!bird_parses("protocol bgp x { password \"a\"b\"; }\n"));
	CHECK(bird_parses("protocol device {\n}\n"));
}

int main(void)
{
	RUN(test_parse_check);
	RUN(test_golden_msee);
	RUN(test_golden_customer);
	RUN(test_v6);
	RUN(test_microsoft_v6);
	RUN(test_validation_needed);
	RUN(test_limits);
	RUN(test_lab_timers);
	RUN(test_public_and_router_id);
	RUN(test_vnet_hops);
	RUN(test_customer_prefixes);
	RUN(test_injection);
	RUN(test_fuzz_text);
	RUN(test_names_and_paths);
	RUN(test_paths_parse);
	return TEST_DONE();
}
