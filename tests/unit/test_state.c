/* SPDX-License-Identifier: MIT */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "core/cidr.h"
#include "store/state.h"
#include "test.h"

/* Every test works in its own directory below one mkdtemp root, removed at the end. */
static char root[64];

static const char *path_in(char *buf, size_t len, const char *rel)
{
	snprintf(buf, len, "%s/%s", root, rel);
	return buf;
}

static void set_cidr(struct cidr *c, const char *s)
{
	int r = cidr_parse(s, c);

	CHECK_INT(r, 0);
}

static struct cidr *cidr_list(const char *const *s, unsigned n)
{
	struct cidr *l = calloc(n, sizeof(*l));
	unsigned i;

	for (i = 0; i < n; i++)
		set_cidr(&l[i], s[i]);
	return l;
}

static void make_circuit(struct circuit *c, const char *name, const char *key)
{
	circuit_init(c);
	snprintf(c->name, sizeof(c->name), "%s", name);
	snprintf(c->service_key, sizeof(c->service_key), "%s", key);
	c->bandwidth = 200;
	snprintf(c->location, sizeof(c->location), "Silicon Valley");
	snprintf(c->provider, sizeof(c->provider), "equinix");
}

/* A circuit using every field: three peerings, VNets, a lab path. */
static void make_full(struct circuit *c)
{
	static const char *const pfx[] = { "123.1.0.0/24", "131.107.0.0/16" };
	static const char *const pfx6[] = { "2001:4898::/48" };
	static const char *const hub[] = { "10.1.0.0/16", "10.2.0.0/16" };
	static const char *const spoke[] = { "10.3.0.0/24" };
	struct peering *p;

	make_circuit(c, "MyTestCircuit", "0b1d5ad5-6c9d-4a7e-9c4e-2f6a1b2c3d4e");
	snprintf(c->location, sizeof(c->location), "Silicon Valley (West) & Co., a/b: c_d.e-f");
	snprintf(c->provider, sizeof(c->provider), "Equinix; #1 provider");
	c->sku = SKU_PREMIUM;
	c->billing = BILLING_UNLIMITED;
	c->prov = PROV_PROVISIONED;
	c->enabled = true;
	c->datapath = DATAPATH_VETH;
	c->has = CIRCUIT_HAS_BANDWIDTH | CIRCUIT_HAS_KEY;
	c->lab = strdup("lab.1");
	c->lab_file = strdup("/abs/path with space/lab.ini");

	c->peering_present[ACCESS_PRIVATE] = true;
	p = &c->peerings[ACCESS_PRIVATE];
	p->has = PEERING_HAS_PEER_ASN | PEERING_HAS_VLAN | PEERING_HAS_PRIMARY4 |
		 PEERING_HAS_SECONDARY4 | PEERING_HAS_PRIMARY6 | PEERING_HAS_SECONDARY6 |
		 PEERING_HAS_SHARED_KEY;
	p->vlan_id = 100;
	p->peer_asn = 1234;
	set_cidr(&p->primary4, "10.0.0.0/30");
	set_cidr(&p->secondary4, "10.0.0.4/30");
	set_cidr(&p->primary6, "fd00:1::/126");
	set_cidr(&p->secondary6, "fd00:1::4/126");
	snprintf(p->shared_key, sizeof(p->shared_key), "A1b2C3");

	c->peering_present[ACCESS_PUBLIC] = true;
	p = &c->peerings[ACCESS_PUBLIC];
	p->has = PEERING_HAS_PEER_ASN | PEERING_HAS_VLAN | PEERING_HAS_PRIMARY4 | PEERING_HAS_SECONDARY4;
	p->vlan_id = 200;
	p->peer_asn = 4200000000u;
	set_cidr(&p->primary4, "131.107.1.0/30");
	set_cidr(&p->secondary4, "131.107.1.4/30");
	p->enabled = false;

	c->peering_present[ACCESS_MICROSOFT] = true;
	p = &c->peerings[ACCESS_MICROSOFT];
	p->has = PEERING_HAS_PEER_ASN | PEERING_HAS_VLAN | PEERING_HAS_PRIMARY4 |
		 PEERING_HAS_SECONDARY4 | PEERING_HAS_PRIMARY6 | PEERING_HAS_SECONDARY6 |
		 PEERING_HAS_PREFIXES | PEERING_HAS_CUSTOMER_ASN | PEERING_HAS_REGISTRY | PEERING_HAS_PREFIXES6 |
		 PEERING_HAS_REGISTRY6;
	p->vlan_id = 300;
	p->peer_asn = 65001;
	set_cidr(&p->primary4, "131.107.2.0/30");
	set_cidr(&p->secondary4, "131.107.2.4/30");
	set_cidr(&p->primary6, "2001:4898:1::/126");
	set_cidr(&p->secondary6, "2001:4898:1::4/126");
	p->ms[FAMILY_V4].prefixes = cidr_list(pfx, 2);
	p->ms[FAMILY_V4].n_prefixes = 2;
	p->ms[FAMILY_V4].customer_asn = 8076;
	snprintf(p->ms[FAMILY_V4].registry, sizeof(p->ms[FAMILY_V4].registry), "ARIN");
	p->ms[FAMILY_V4].prefix_state = PREFIX_VALIDATION_NEEDED;
	p->ms[FAMILY_V6].prefixes = cidr_list(pfx6, 1);
	p->ms[FAMILY_V6].n_prefixes = 1;
	snprintf(p->ms[FAMILY_V6].registry, sizeof(p->ms[FAMILY_V6].registry), "RIPENCC");

	c->vnets = calloc(2, sizeof(*c->vnets));
	c->n_vnets = 2;
	snprintf(c->vnets[0].name, sizeof(c->vnets[0].name), "Hub");
	c->vnets[0].spaces = cidr_list(hub, 2);
	c->vnets[0].n_spaces = 2;
	snprintf(c->vnets[1].name, sizeof(c->vnets[1].name), "spoke_1");
	c->vnets[1].spaces = cidr_list(spoke, 1);
	c->vnets[1].n_spaces = 1;
}

/* The serialisation of c, heap string. */
static char *render(const struct circuit *c)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);
	int r = circuit_write_ini(c, f);

	fclose(f);
	CHECK_INT(r, 0);
	return buf;
}

static void check_same(const struct circuit *a, const struct circuit *b)
{
	char *ra = render(a), *rb = render(b);
	unsigned t, i;

	CHECK_STR(ra, rb);
	free(ra);
	free(rb);
	CHECK_STR(a->name, b->name);
	CHECK_STR(a->service_key, b->service_key);
	CHECK_STR(a->location, b->location);
	CHECK_STR(a->provider, b->provider);
	CHECK_INT(a->bandwidth, b->bandwidth);
	CHECK_INT(a->sku, b->sku);
	CHECK_INT(a->billing, b->billing);
	CHECK_INT(a->prov, b->prov);
	CHECK_INT(a->enabled, b->enabled);
	CHECK_INT(a->datapath, b->datapath);
	/* A circuit's has bits say what a change gave; a state file keeps values, not changes. */
	CHECK(!a->lab == !b->lab);
	if (a->lab && b->lab)
		CHECK_STR(a->lab, b->lab);
	CHECK(!a->lab_file == !b->lab_file);
	if (a->lab_file && b->lab_file)
		CHECK_STR(a->lab_file, b->lab_file);
	for (t = 0; t < _ACCESS_MAX; t++) {
		const struct peering *p = &a->peerings[t], *q = &b->peerings[t];

		CHECK_INT(a->peering_present[t], b->peering_present[t]);
		if (!a->peering_present[t])
			continue;
		CHECK_INT(p->type, q->type);
		CHECK_INT(p->has, q->has);
		CHECK_INT(p->vlan_id, q->vlan_id);
		CHECK_INT(p->peer_asn, q->peer_asn);

		CHECK(cidr_equal(&p->primary4, &q->primary4) || (!p->primary4.family && !q->primary4.family));
		CHECK(cidr_equal(&p->secondary4, &q->secondary4) || (!p->secondary4.family && !q->secondary4.family));
		CHECK(cidr_equal(&p->primary6, &q->primary6) || (!p->primary6.family && !q->primary6.family));
		CHECK(cidr_equal(&p->secondary6, &q->secondary6) || (!p->secondary6.family && !q->secondary6.family));
		CHECK_STR(p->shared_key, q->shared_key);
		for (unsigned f = 0; f < _FAMILY_MAX; f++) {
			const struct ms_config *m = &p->ms[f], *n = &q->ms[f];

			CHECK_INT(m->customer_asn, n->customer_asn);
			CHECK_STR(m->registry, n->registry);
			CHECK_INT(m->n_prefixes, n->n_prefixes);
			for (i = 0; i < m->n_prefixes && i < n->n_prefixes; i++)
				CHECK(cidr_equal(&m->prefixes[i], &n->prefixes[i]));
			CHECK_INT(m->prefix_state, n->prefix_state);
		}
		CHECK_INT(p->enabled, q->enabled);
	}
	CHECK_INT(a->n_vnets, b->n_vnets);
	for (i = 0; i < a->n_vnets && i < b->n_vnets; i++) {
		unsigned j;

		CHECK_STR(a->vnets[i].name, b->vnets[i].name);
		CHECK_INT(a->vnets[i].n_spaces, b->vnets[i].n_spaces);
		for (j = 0; j < a->vnets[i].n_spaces && j < b->vnets[i].n_spaces; j++)
			CHECK(cidr_equal(&a->vnets[i].spaces[j], &b->vnets[i].spaces[j]));
	}
}

static int open_store(struct store *s, const char *rel)
{
	char dir[256];
	struct err e = { 0 };
	int r = store_open(s, path_in(dir, sizeof(dir), rel), &e);

	if (r < 0)
		fprintf(stderr, "store_open %s: %s: %s\n", e.what, e.msg, e.detail);
	return r;
}

static void write_file(const char *path, const char *text)
{
	FILE *f = fopen(path, "w");

	CHECK(f != NULL);
	if (!f)
		return;
	fputs(text, f);
	fclose(f);
}

static char *read_text(const char *path)
{
	FILE *f = fopen(path, "r");
	char *buf = calloc(1, 1 << 16);
	size_t n;

	if (!f)
		return buf;
	n = fread(buf, 1, (1 << 16) - 1, f);
	buf[n] = '\0';
	fclose(f);
	return buf;
}

static void test_round_trip(void)
{
	struct circuit c, back;
	struct err e = { 0 };
	struct store s;
	char path[256];
	char *text;

	make_full(&c);
	CHECK_INT(open_store(&s, "rt"), 0);
	CHECK_INT(store_save(&s, &c, &e), 0);
	CHECK_INT(store_find(&s, "MyTestCircuit", &back, &e), 0);
	check_same(&c, &back);
	circuit_clear(&back);

	/* The layout the brief promises, readable by a human. */
	text = read_text(path_in(path, sizeof(path), "rt/circuits/MyTestCircuit.ini"));
	CHECK(strstr(text, "[circuit]\nversion = 2\nname = \"MyTestCircuit\"\n") != NULL);
	CHECK(strstr(text, "location = \"Silicon Valley (West) & Co., a/b: c_d.e-f\"\n") != NULL);
	CHECK(strstr(text, "[peering private]\nprimary_peer_subnet = 10.0.0.0/30\n") != NULL);
	CHECK(strstr(text, "peer_asn = 1234\nvlan_id = 100\n") != NULL);
	CHECK(strstr(text, "advertised_public_prefixes = 123.1.0.0/24,131.107.0.0/16\ncustomer_asn = 8076\n"
			   "routing_registry_name = \"ARIN\"\nadvertised_public_prefixes_v6 = 2001:4898::/48\n"
			   "routing_registry_name_v6 = \"RIPENCC\"\nadvertised_public_prefixes_state = ValidationNeeded\n"
			   "advertised_public_prefixes_state_v6 = Configured\n") != NULL);
	CHECK(strstr(text, "[vnet Hub]\naddress_space = 10.1.0.0/16,10.2.0.0/16\n") != NULL);
	CHECK(strstr(text, "lab = \"lab.1\"\nlab_file = \"/abs/path with space/lab.ini\"\n") != NULL);
	free(text);

	/* circuit_read_ini on the path gives the same. */
	CHECK_INT(circuit_read_ini(path, &back, &e), 0);
	check_same(&c, &back);
	circuit_clear(&back);
	circuit_clear(&c);
	store_close(&s);
}

/* A state file of version 1 (other key names, a `has` key) still loads, and saves as version 2. */
static void test_version_1(void)
{
	const char *d = getenv("ERLAB_TEST_DATA");
	char v1[PATH_MAX], path[256];
	struct circuit c, back;
	const struct peering *p;
	struct err e = { 0 };
	struct store s;
	char *text;

	snprintf(v1, sizeof(v1), "%s/state-v1/V1.ini", d && d[0] ? d : "tests/data");
	CHECK_INT(circuit_read_ini(v1, &c, &e), 0);
	if (e.msg[0])
		fprintf(stderr, "  %s\n", e.msg);
	CHECK_STR(c.name, "V1");
	CHECK_STR(c.provider, "equinix");
	CHECK_INT(c.sku, SKU_PREMIUM);
	CHECK_INT(c.billing, BILLING_UNLIMITED);
	CHECK_INT(c.prov, PROV_PROVISIONED);
	CHECK_INT(c.datapath, DATAPATH_VETH);
	/* Written before labs had names: the path is the file, its stem the name. */
	CHECK_STR(c.lab, "v1");
	CHECK_STR(c.lab_file, "/work/labs/v1.ini");
	p = &c.peerings[ACCESS_PRIVATE];
	CHECK(c.peering_present[ACCESS_PRIVATE]);
	/* has = 63: no shared key, no prefixes, no customer ASN, no registry. */
	CHECK_INT(p->has, PEERING_HAS_PEER_ASN | PEERING_HAS_VLAN | PEERING_HAS_PRIMARY4 | PEERING_HAS_SECONDARY4 |
			  PEERING_HAS_PRIMARY6 | PEERING_HAS_SECONDARY6);
	p = &c.peerings[ACCESS_MICROSOFT];
	/* One list for both families in version 1: split, and the IPv6 family gets the same config. */
	CHECK_INT(p->has, 1023 | PEERING_HAS_PREFIXES6 | PEERING_HAS_CUSTOMER_ASN6 | PEERING_HAS_REGISTRY6);
	CHECK_INT(p->ms[FAMILY_V4].n_prefixes, 17);
	CHECK_INT(p->ms[FAMILY_V6].n_prefixes, 1);
	if (p->ms[FAMILY_V6].n_prefixes == 1)
		CHECK_STR(cidr_str(&p->ms[FAMILY_V6].prefixes[0], path, sizeof(path)), "2620:1ec:100::/40");
	for (unsigned f = 0; f < _FAMILY_MAX; f++) {
		CHECK_INT(p->ms[f].customer_asn, 2245);
		CHECK_STR(p->ms[f].registry, "ARIN");
		CHECK_INT(p->ms[f].prefix_state, PREFIX_VALIDATION_NEEDED);
	}
	CHECK_STR(p->shared_key, "A1B2C3D4");
	CHECK(c.bgp.msee && !c.bgp.customer);
	CHECK_INT(c.bgp.n_prefixes, 1);
	CHECK_INT(c.n_vnets, 1);
	if (c.n_vnets == 1) {
		CHECK_STR(c.vnets[0].name, "Hub");
		CHECK_INT(c.vnets[0].n_spaces, 2);
	}

	CHECK_INT(open_store(&s, "v1"), 0);
	CHECK_INT(store_save(&s, &c, &e), 0);
	text = read_text(path_in(path, sizeof(path), "v1/circuits/V1.ini"));
	CHECK(strstr(text, "version = 2\n") != NULL);
	CHECK(strstr(text, "service_provider_name = \"equinix\"\n") != NULL);
	CHECK(strstr(text, "has = ") == NULL);
	free(text);
	CHECK_INT(store_find(&s, "V1", &back, &e), 0);
	check_same(&c, &back);
	circuit_clear(&back);
	circuit_clear(&c);
	store_close(&s);
}

/* Unset stays unset, empty stays empty, and long lists survive iniparser's 1 KiB line limit. */
static void test_round_trip_edges(void)
{
	struct circuit c, back;
	struct err e = { 0 };
	struct store s;
	struct peering *p;
	unsigned i;

	make_circuit(&c, "Edge.1_x-y", "ffffffff-0000-4000-8000-000000000001");
	c.location[0] = '\0';
	snprintf(c.provider, sizeof(c.provider), "  lead and trail  ");
	c.enabled = false;
	c.prov = PROV_NOT_PROVISIONED;
	c.peering_present[ACCESS_PRIVATE] = true;
	p = &c.peerings[ACCESS_PRIVATE];
	p->has = PEERING_HAS_PREFIXES6 | PEERING_HAS_VLAN | PEERING_HAS_PEER_ASN;
	p->vlan_id = 4094;
	p->peer_asn = 4294967294u;
	p->ms[FAMILY_V6].n_prefixes = ADV_PREFIXES_MAX;
	p->ms[FAMILY_V6].prefixes = calloc(ADV_PREFIXES_MAX, sizeof(*p->ms[FAMILY_V6].prefixes));
	for (i = 0; i < ADV_PREFIXES_MAX; i++) {
		char buf[64];

		snprintf(buf, sizeof(buf), "2001:4898:%x:ffff:ffff:ffff:ffff:0/112", i + 1);
		set_cidr(&p->ms[FAMILY_V6].prefixes[i], buf);
	}
	c.vnets = calloc(1, sizeof(*c.vnets));
	c.n_vnets = 1;
	snprintf(c.vnets[0].name, sizeof(c.vnets[0].name), "ABCDEFGHIJKL");
	c.vnets[0].n_spaces = 40;
	c.vnets[0].spaces = calloc(40, sizeof(*c.vnets[0].spaces));
	for (i = 0; i < 40; i++) {
		char buf[64];

		snprintf(buf, sizeof(buf), "10.%u.0.0/16", i);
		set_cidr(&c.vnets[0].spaces[i], buf);
	}

	CHECK_INT(open_store(&s, "edges"), 0);
	CHECK_INT(store_save(&s, &c, &e), 0);
	CHECK_INT(store_find(&s, "Edge.1_x-y", &back, &e), 0);
	check_same(&c, &back);
	CHECK(back.lab == NULL);
	CHECK(!back.peering_present[ACCESS_PUBLIC]);
	circuit_clear(&back);
	circuit_clear(&c);
	store_close(&s);
}

static void test_write_refuses(void)
{
	static const char *const bad[] = { "a\"b", "a\\b", "a\nb", "tab\there" };
	struct circuit c;
	struct err e = { 0 };
	struct store s;
	char path[256];
	unsigned i;
	FILE *f;

	CHECK_INT(open_store(&s, "refuse"), 0);
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		make_circuit(&c, "Bad", "0b1d5ad5-6c9d-4a7e-9c4e-2f6a1b2c3d4e");
		snprintf(c.location, sizeof(c.location), "%s", bad[i]);
		f = fopen("/dev/null", "w");
		CHECK_INT(circuit_write_ini(&c, f), -EINVAL);
		fclose(f);
		CHECK_INT(store_save(&s, &c, &e), -EINVAL);
		CHECK(strstr(e.msg, "location") != NULL);
		circuit_clear(&c);
	}
	/* A name that would be a path, a non-canonical key, a relative lab path. */
	make_circuit(&c, "../x", "0b1d5ad5-6c9d-4a7e-9c4e-2f6a1b2c3d4e");
	CHECK_INT(store_save(&s, &c, &e), -EINVAL);
	snprintf(c.name, sizeof(c.name), "Bad");
	snprintf(c.service_key, sizeof(c.service_key), "0B1D5AD5-6C9D-4A7E-9C4E-2F6A1B2C3D4E");
	CHECK_INT(store_save(&s, &c, &e), -EINVAL);
	snprintf(c.service_key, sizeof(c.service_key), "0b1d5ad5-6c9d-4a7e-9c4e-2f6a1b2c3d4e");
	c.lab = strdup("lab");
	c.lab_file = strdup("relative/lab.ini");
	CHECK_INT(store_save(&s, &c, &e), -EINVAL);
	free(c.lab_file);
	c.lab_file = NULL;
	free(c.lab);
	c.lab = strdup("-not a name");
	CHECK_INT(store_save(&s, &c, &e), -EINVAL);
	circuit_clear(&c);
	CHECK_INT(access(path_in(path, sizeof(path), "refuse/circuits/Bad.ini"), F_OK), -1);
	CHECK_INT(access(path_in(path, sizeof(path), "refuse/circuits/.Bad.ini.tmp"), F_OK), -1);
	store_close(&s);
}

static void save_named(struct store *s, const char *name, const char *key)
{
	struct circuit c;
	struct err e = { 0 };

	make_circuit(&c, name, key);
	CHECK_INT(store_save(s, &c, &e), 0);
	circuit_clear(&c);
}

static void test_find(void)
{
	struct circuit c;
	struct err e = { 0 };
	struct store s;

	CHECK_INT(open_store(&s, "find"), 0);
	save_named(&s, "MyTestCircuit", "0b1d5ad5-6c9d-4a7e-9c4e-2f6a1b2c3d4e");
	save_named(&s, "Other", "11111111-2222-4333-8444-555555555555");

	CHECK_INT(store_find(&s, "MyTestCircuit", &c, &e), 0);
	CHECK_STR(c.name, "MyTestCircuit");
	circuit_clear(&c);
	CHECK_INT(store_find(&s, "mytestcircuit", &c, &e), 0);
	CHECK_STR(c.name, "MyTestCircuit");
	circuit_clear(&c);
	CHECK_INT(store_find(&s, "0B1D5AD5-6C9D-4A7E-9C4E-2F6A1B2C3D4E", &c, &e), 0);
	CHECK_STR(c.name, "MyTestCircuit");
	circuit_clear(&c);
	CHECK_INT(store_find(&s, "{11111111-2222-4333-8444-555555555555}", &c, &e), 0);
	CHECK_STR(c.name, "Other");
	circuit_clear(&c);

	/*
	 * A name may look like a GUID ([A-Za-z0-9._-]): the name wins over another circuit's key, and a
	 * GUID-shaped argument must still reach the name scan (the file is "AAAAAAAA-...", any case).
	 */
	save_named(&s, "AAAAAAAA-3333-4444-8555-666666666666", "22222222-3333-4444-8555-666666666666");
	save_named(&s, "Third", "aaaaaaaa-3333-4444-8555-666666666666");
	CHECK_INT(store_find(&s, "aaaaaaaa-3333-4444-8555-666666666666", &c, &e), 0);
	CHECK_STR(c.name, "AAAAAAAA-3333-4444-8555-666666666666");
	circuit_clear(&c);
	CHECK_INT(store_find(&s, "22222222-3333-4444-8555-666666666666", &c, &e), 0);
	CHECK_STR(c.name, "AAAAAAAA-3333-4444-8555-666666666666");
	circuit_clear(&c);

	CHECK_INT(store_find(&s, "Nope", &c, &e), -ENOENT);
	CHECK_STR(e.msg, "The specified dedicated circuit 'Nope' was not found.");
	CHECK_STR(e.what, "Nope");
	CHECK_INT(store_find(&s, "00000000-0000-0000-0000-000000000000", &c, &e), -ENOENT);
	CHECK_STR(e.msg, "The specified dedicated circuit with service key "
		  "'00000000-0000-0000-0000-000000000000' was not found.");
	CHECK_INT(store_find(&s, "a/b", &c, &e), -ENOENT);

	CHECK_INT(store_delete(&s, "Other", &e), 0);
	CHECK_INT(store_delete(&s, "Other", &e), -ENOENT);
	CHECK_INT(store_find(&s, "Other", &c, &e), -ENOENT);
	store_close(&s);
}

static void edit_file(const char *path, const char *from, const char *to);

static void test_list_and_taken(void)
{
	struct circuit *list = NULL;
	struct err e = { 0 };
	struct store s;
	char path[256];
	unsigned n = 0;

	CHECK_INT(open_store(&s, "list"), 0);
	CHECK_INT(store_list(&s, &list, &n, &e), 0);
	CHECK_INT(n, 0);
	circuit_list_free(list, n);

	save_named(&s, "b", "00000000-0000-4000-8000-000000000001");
	save_named(&s, "A", "00000000-0000-4000-8000-000000000002");
	save_named(&s, "C", "00000000-0000-4000-8000-000000000003");
	save_named(&s, "a2", "00000000-0000-4000-8000-000000000004");
	/* Leftovers that are not state files. */
	write_file(path_in(path, sizeof(path), "list/circuits/.z.ini.tmp"), "garbage");
	write_file(path_in(path, sizeof(path), "list/circuits/.hidden.ini"), "garbage");
	write_file(path_in(path, sizeof(path), "list/circuits/notes.txt"), "garbage");

	CHECK_INT(store_list(&s, &list, &n, &e), 0);
	CHECK_INT(n, 4);
	if (n == 4) {
		CHECK_STR(list[0].name, "A");
		CHECK_STR(list[1].name, "C");
		CHECK_STR(list[2].name, "a2");
		CHECK_STR(list[3].name, "b");
	}
	circuit_list_free(list, n);

	/* Many files (read from several threads): each one read into its own circuit, in name order;
	 * one broken file among them fails the listing, naming that file. */
	for (unsigned i = 0; i < 60; i++) {
		char name[16], key[40];

		snprintf(name, sizeof(name), "m%02u", i);
		snprintf(key, sizeof(key), "00000000-0000-4000-8000-0000000001%02u", i);
		save_named(&s, name, key);
	}
	CHECK_INT(store_list(&s, &list, &n, &e), 0);
	CHECK_INT(n, 64);
	for (unsigned i = 0; i < 60 && n == 64; i++) {
		char name[16], key[40];

		snprintf(name, sizeof(name), "m%02u", i);
		snprintf(key, sizeof(key), "00000000-0000-4000-8000-0000000001%02u", i);
		CHECK_STR(list[4 + i].name, name);
		CHECK_STR(list[4 + i].service_key, key);
	}
	circuit_list_free(list, n);
	edit_file(path_in(path, sizeof(path), "list/circuits/m31.ini"), "bandwidth = ", "bandwidth = 99999");
	CHECK_INT(store_list(&s, &list, &n, &e), -EUCLEAN);
	CHECK(strstr(e.msg, "circuits/m31.ini") != NULL);
	CHECK_INT(unlink(path), 0);
	for (unsigned i = 0; i < 60; i++) {
		char name[16];

		snprintf(name, sizeof(name), "m%02u", i);
		if (i != 31)
			CHECK_INT(store_delete(&s, name, &e), 0);
	}

	CHECK(store_name_taken(&s, "b"));
	CHECK(store_name_taken(&s, "B"));
	CHECK(store_name_taken(&s, "a"));
	CHECK(store_name_taken(&s, "A2"));
	CHECK(!store_name_taken(&s, "z"));
	CHECK(!store_name_taken(&s, "hidden"));
	store_close(&s);
}

/* No temp file survives a save; a stale one (a save killed midway) does not block the next. */
static void test_atomic_save(void)
{
	struct store s;
	struct dirent *de;
	char path[256];
	struct stat st;
	DIR *d;
	int files = 0;

	CHECK_INT(open_store(&s, "atomic"), 0);
	write_file(path_in(path, sizeof(path), "atomic/circuits/.X.ini.tmp"), "half a file");
	save_named(&s, "X", "00000000-0000-4000-8000-000000000001");
	save_named(&s, "X", "00000000-0000-4000-8000-000000000001");
	d = opendir(path_in(path, sizeof(path), "atomic/circuits"));
	CHECK(d != NULL);
	while (d && (de = readdir(d))) {
		if (strcmp(de->d_name, ".") == 0 || strcmp(de->d_name, "..") == 0)
			continue;
		CHECK_STR(de->d_name, "X.ini");
		files++;
	}
	if (d)
		closedir(d);
	CHECK_INT(files, 1);
	CHECK_INT(stat(path_in(path, sizeof(path), "atomic/circuits/X.ini"), &st), 0);
	CHECK_INT(st.st_mode & 07777, 0600);
	CHECK_INT(stat(path_in(path, sizeof(path), "atomic/circuits"), &st), 0);
	CHECK_INT(st.st_mode & 07777, 0700);
	CHECK_INT(stat(path_in(path, sizeof(path), "atomic"), &st), 0);
	CHECK_INT(st.st_mode & 07777, 0700);
	store_close(&s);
}

/* Replace the first occurrence of from with to in the file. */
static void edit_file(const char *path, const char *from, const char *to)
{
	char *text = read_text(path), *at = strstr(text, from), *out;

	CHECK(at != NULL);
	if (!at) {
		free(text);
		return;
	}
	out = calloc(1, strlen(text) + strlen(to) + 1);
	memcpy(out, text, (size_t)(at - text));
	strcat(out, to);
	strcat(out, at + strlen(from));
	write_file(path, out);
	free(out);
	free(text);
}

static void expect_corrupt(struct store *s, const char *name, const char *needle)
{
	struct circuit c;
	struct err e = { 0 };

	CHECK_INT(store_find(s, name, &c, &e), -EUCLEAN);
	CHECK(strstr(e.msg, "state file circuits/") != NULL);
	CHECK(strstr(e.msg, needle) != NULL);
	if (!strstr(e.msg, needle))
		fprintf(stderr, "  message was: %s\n", e.msg);
	CHECK(strstr(e.what, root) == e.what);
}

static void test_corrupted(void)
{
	struct circuit full, *list;
	struct err e = { 0 };
	struct store s;
	char path[256];
	unsigned n;
	char *text;

	CHECK_INT(open_store(&s, "corrupt"), 0);
	make_full(&full);
	snprintf(full.name, sizeof(full.name), "T");
	CHECK_INT(store_save(&s, &full, &e), 0);
	path_in(path, sizeof(path), "corrupt/circuits/T.ini");
	text = read_text(path);

	/* Cut right after "bandwidth = 2": the rest is missing. */
	*strstr(text, "00\nlocation") = '\0';
	write_file(path, text);
	expect_corrupt(&s, "T", "truncated");
	expect_corrupt(&s, "T", "circuits/T.ini");

	/* Cut at a line boundary before the end: every key is there but [end] is not. */
	free(text);
	CHECK_INT(store_save(&s, &full, &e), 0);
	text = read_text(path);
	*strstr(text, "\n[end]") = '\0';
	write_file(path, text);
	expect_corrupt(&s, "T", "truncated");
	free(text);

	/* A key left out: the line and the section say where. */
	CHECK_INT(store_save(&s, &full, &e), 0);
	edit_file(path, "bandwidth = 200\n", "");
	expect_corrupt(&s, "T", "missing required key bandwidth");
	CHECK_INT(store_save(&s, &full, &e), 0);
	edit_file(path, "bandwidth = 200", "bandwidth = abc");
	expect_corrupt(&s, "T", "line 5: [circuit] bandwidth=abc: not a decimal number");
	CHECK_INT(store_save(&s, &full, &e), 0);
	edit_file(path, "bandwidth = 200", "bandwidth = 010");
	expect_corrupt(&s, "T", "[circuit] bandwidth=010");
	CHECK_INT(store_save(&s, &full, &e), 0);
	edit_file(path, "vlan_id = 100", "vlan_id = 4095");
	expect_corrupt(&s, "T", "[peering private] vlan_id=4095: The vlanId '4095' is not valid");
	CHECK_INT(store_save(&s, &full, &e), 0);
	edit_file(path, "sku = Premium", "sku = Gold");
	expect_corrupt(&s, "T", "[circuit] sku=Gold: unknown sku");
	CHECK_INT(store_save(&s, &full, &e), 0);
	edit_file(path, "primary_peer_subnet = 10.0.0.0/30", "primary_peer_subnet = 10.0.0.0");
	expect_corrupt(&s, "T", "primary_peer_subnet=10.0.0.0");
	CHECK_INT(store_save(&s, &full, &e), 0);
	edit_file(path, "status = Enabled", "status = Enabled\ncolour = blue");
	expect_corrupt(&s, "T", "colour=blue: unknown key");
	CHECK_INT(store_save(&s, &full, &e), 0);
	edit_file(path, "status = Enabled", "status = Enabled\nstatus = Disabled");
	expect_corrupt(&s, "T", "duplicate key (first set at line");
	CHECK_INT(store_save(&s, &full, &e), 0);
	edit_file(path, "name = \"T\"\n", "name = U\n");
	expect_corrupt(&s, "T", "file name");
	CHECK_INT(store_save(&s, &full, &e), 0);
	edit_file(path, "[end]", "[bogus]\nx = 1\n[end]");
	expect_corrupt(&s, "T", "unknown section [bogus]");
	CHECK_INT(store_save(&s, &full, &e), 0);
	edit_file(path, "location = \"Silicon", "location = \"Silicon\" Valley");
	expect_corrupt(&s, "T", "location");
	CHECK_INT(store_save(&s, &full, &e), 0);
	edit_file(path, "version = 2", "version = 3");
	expect_corrupt(&s, "T", "unsupported version");

	/* A huge file is refused before parsing; a symlinked state file is not followed. */
	{
		char *big = malloc((2u << 20) + 1);

		memset(big, 'a', 2u << 20);
		big[2u << 20] = '\0';
		write_file(path, big);
		free(big);
		expect_corrupt(&s, "T", "too large");
	}
	CHECK_INT(unlink(path), 0);
	CHECK_INT(symlink("/etc/passwd", path), 0);
	CHECK_INT(store_find(&s, "T", &full, &e) < 0, 1);
	CHECK(strstr(e.msg, "symlink") != NULL);
	CHECK_INT(unlink(path), 0);
	CHECK_INT(store_save(&s, &full, &e), 0);
	edit_file(path, "bandwidth = 200", "bandwidth = 99999");

	/* A listing reports the broken file rather than skipping it. */
	CHECK_INT(store_list(&s, &list, &n, &e), -EUCLEAN);
	CHECK(strstr(e.msg, "circuits/T.ini") != NULL);

	circuit_clear(&full);
	store_close(&s);
}

static void test_refused_dirs(void)
{
	char path[256], target[256];
	struct err e = { 0 };
	struct store s;

	/* A symlink to a perfectly good state dir. */
	CHECK_INT(open_store(&s, "real"), 0);
	store_close(&s);
	CHECK_INT(symlink(path_in(target, sizeof(target), "real"), path_in(path, sizeof(path), "link")), 0);
	CHECK_INT(store_open(&s, path, &e), -ELOOP);
	CHECK(strstr(e.msg, "symlink") != NULL);
	CHECK_STR(e.what, path);
	CHECK(s.dirfd == -1);
	strcat(path, "/");
	CHECK(store_open(&s, path, &e) < 0);

	CHECK_INT(mkdir(path_in(path, sizeof(path), "open"), 0700), 0);
	CHECK_INT(chmod(path, 0755), 0);
	CHECK_INT(store_open(&s, path, &e), -EPERM);
	CHECK(strstr(e.msg, "mode 0755, expected 0700") != NULL);
	CHECK_STR(e.what, path);

	write_file(path_in(path, sizeof(path), "file"), "x");
	CHECK_INT(store_open(&s, path, &e), -ENOTDIR);
	CHECK(strstr(e.msg, "not a directory") != NULL);

	CHECK_INT(store_open(&s, path_in(path, sizeof(path), "missing/state"), &e), -ENOENT);
	CHECK(strstr(e.msg, "parent") != NULL);

	/* circuits/ as a symlink inside our own dir is refused too. */
	CHECK_INT(mkdir(path_in(path, sizeof(path), "swapped"), 0700), 0);
	CHECK_INT(symlink(target, path_in(path, sizeof(path), "swapped/circuits")), 0);
	CHECK(store_open(&s, path_in(path, sizeof(path), "swapped"), &e) < 0);
}

static double elapsed(const struct timespec *t0)
{
	struct timespec t1;

	clock_gettime(CLOCK_MONOTONIC, &t1);
	return (double)(t1.tv_sec - t0->tv_sec) + (double)(t1.tv_nsec - t0->tv_nsec) / 1e9;
}

static void test_lock(void)
{
	int ready[2], release[2], status = 0;
	struct store s, s2;
	struct err e = { 0 };
	struct timespec t0;
	char c = 0, path[256];
	double took;
	pid_t pid;

	CHECK_INT(open_store(&s, "lock"), 0);
	CHECK_INT(pipe(ready), 0);
	CHECK_INT(pipe(release), 0);
	pid = fork();
	if (pid == 0) {
		/* The child: hold LOCK_EX on the state dir until told to go. */
		int fd = open(path_in(path, sizeof(path), "lock"), O_RDONLY | O_DIRECTORY);

		if (fd < 0 || flock(fd, LOCK_EX) < 0)
			_exit(1);
		if (write(ready[1], "x", 1) != 1)
			_exit(1);
		if (read(release[0], &c, 1) < 0)
			_exit(1);
		_exit(0);
	}
	CHECK(pid > 0);
	CHECK_INT(read(ready[0], &c, 1), 1);

	clock_gettime(CLOCK_MONOTONIC, &t0);
	CHECK_INT(store_lock(&s, true, 0.2, &e), -EAGAIN);
	took = elapsed(&t0);
	CHECK(took >= 0.19 && took < 1.0);
	CHECK_STR(e.msg, "the state dir is locked by another erlab command");
	CHECK_STR(e.what, path_in(path, sizeof(path), "lock"));
	CHECK(access(path_in(path, sizeof(path), "lock/lock"), F_OK) < 0);   /* no lock file to delete */
	CHECK_STR(e.detail, "waited 0.2 s; use --wait SECONDS to wait longer");
	CHECK_INT(s.lockfd, -1);
	CHECK_INT(store_lock(&s, false, 0, &e), -EAGAIN);

	CHECK_INT(write(release[1], "x", 1), 1);
	CHECK_INT(waitpid(pid, &status, 0), pid);
	CHECK(WIFEXITED(status) && WEXITSTATUS(status) == 0);
	CHECK_INT(store_lock(&s, true, 0.2, &e), 0);
	CHECK(s.lockfd >= 0);
	store_close(&s);

	/* Two readers at once; a writer waits for both. */
	CHECK_INT(open_store(&s, "lock"), 0);
	CHECK_INT(open_store(&s2, "lock"), 0);
	CHECK_INT(store_lock(&s, false, 0, &e), 0);
	CHECK_INT(store_lock(&s2, false, 0, &e), 0);
	store_close(&s2);
	CHECK_INT(open_store(&s2, "lock"), 0);
	CHECK_INT(store_lock(&s2, true, 0, &e), -EAGAIN);
	CHECK_STR(e.detail, "waited 0 s; use --wait SECONDS to wait longer");
	store_close(&s);
	CHECK_INT(store_lock(&s2, true, 0, &e), 0);
	store_close(&s2);

	close(ready[0]);
	close(ready[1]);
	close(release[0]);
	close(release[1]);
}

int main(void)
{
	char cmd[128];
	int r;

	snprintf(root, sizeof(root), "/tmp/erlab-test-state-XXXXXX");
	if (!mkdtemp(root)) {
		perror("mkdtemp");
		return 1;
	}
	RUN(test_round_trip);
	RUN(test_version_1);
	RUN(test_round_trip_edges);
	RUN(test_write_refuses);
	RUN(test_find);
	RUN(test_list_and_taken);
	RUN(test_atomic_save);
	RUN(test_corrupted);
	RUN(test_refused_dirs);
	RUN(test_lock);
	r = TEST_DONE();
	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", root);
	if (system(cmd) != 0)
		fprintf(stderr, "could not remove %s\n", root);
	return r;
}
