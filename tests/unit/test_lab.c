/* SPDX-License-Identifier: MIT */
/* Lab files (README, "Lab files"): one fixture per error message, the shipped labs load to the expected model. */
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "core/validate.h"
#include "lab/lab.h"
#include "test.h"

static char path_buf[PATH_MAX];

static const char *dir_of(const char *env, const char *fallback)
{
	const char *d = getenv(env);

	return d && d[0] ? d : fallback;
}

static const char *data(const char *name)
{
	snprintf(path_buf, sizeof(path_buf), "%s/%s", dir_of("ERLAB_TEST_DATA", "tests/data"), name);
	return path_buf;
}

static const char *labfile(const char *name)
{
	snprintf(path_buf, sizeof(path_buf), "%s/%s", dir_of("ERLAB_LABS", "labs"), name);
	return path_buf;
}

static char what_buf[8][512];

/* "<file>:<line>: [<section>] <rest>" as lab_load() names things, gcc style. */
static const char *what(unsigned slot, const char *file, unsigned line, const char *rest)
{
	snprintf(what_buf[slot], sizeof(what_buf[slot]), "%s:%u: %s", file, line, rest);
	return what_buf[slot];
}

static void dump(const struct lab_errors *errs)
{
	char buf[1600];

	for (unsigned i = 0; i < errs->n; i++)
		fprintf(stderr, "  err %u: %s\n", i, err_format(&errs->v[i], buf, sizeof(buf)));
}

/* Load a file that must fail; returns the errors (caller clears). */
static int load_bad(const char *file, struct lab_errors *errs)
{
	struct lab lab;
	int r = lab_load(file, &lab, errs);

	CHECK(r < 0);
	/* A failed load leaves nothing to free. */
	CHECK_INT(lab.n_circuits, 0);
	CHECK(lab.circuits == NULL);
	if (getenv("TEST_VERBOSE"))
		dump(errs);
	return r;
}

static void test_unknown_section(void)
{
	struct lab_errors errs = { 0 };
	const char *f = data("lab-unknown-section.ini");

	CHECK_INT(load_bad(f, &errs), -EINVAL);
	CHECK_INT(errs.n, 1);
	if (errs.n == 1) {
		CHECK_STR(errs.v[0].what, what(0, f, 5, "[frobnicate]"));
		CHECK_STR(errs.v[0].msg, "unknown section");
		CHECK_INT(errs.v[0].errnum, -EINVAL);
	}
	lab_errors_clear(&errs);
}

static void test_unknown_key(void)
{
	struct lab_errors errs = { 0 };
	const char *f = data("lab-unknown-key.ini");

	CHECK_INT(load_bad(f, &errs), -EINVAL);
	CHECK_INT(errs.n, 1);
	if (errs.n == 1) {
		CHECK_STR(errs.v[0].what, what(0, f, 6, "[circuit er1] colour=red"));
		CHECK_STR(errs.v[0].msg, "unknown key");
		CHECK(strstr(errs.v[0].detail, "service_provider_name") != NULL);
	}
	lab_errors_clear(&errs);
}

static void test_duplicate_section(void)
{
	struct lab_errors errs = { 0 };
	const char *f = data("lab-duplicate-section.ini");

	CHECK_INT(load_bad(f, &errs), -EINVAL);
	CHECK_INT(errs.n, 1);
	if (errs.n == 1) {
		CHECK_STR(errs.v[0].what, what(0, f, 7, "[Circuit  ER1]"));
		CHECK_STR(errs.v[0].msg, "duplicate section");
		CHECK_STR(errs.v[0].detail, "first at line 1");
	}
	lab_errors_clear(&errs);
}

static void test_duplicate_key(void)
{
	struct lab_errors errs = { 0 };
	const char *f = data("lab-duplicate-key.ini");

	CHECK_INT(load_bad(f, &errs), -EINVAL);
	CHECK_INT(errs.n, 1);
	if (errs.n == 1) {
		CHECK_STR(errs.v[0].what, what(0, f, 4, "[circuit er1] bandwidth=500"));
		CHECK_STR(errs.v[0].msg, "duplicate key");
		CHECK_STR(errs.v[0].detail, "first set at line 3");
	}
	lab_errors_clear(&errs);
}

static void test_missing_key(void)
{
	struct lab_errors errs = { 0 };
	const char *f = data("lab-missing-key.ini");

	CHECK_INT(load_bad(f, &errs), -EINVAL);
	CHECK_INT(errs.n, 2);
	if (errs.n == 2) {
		CHECK_STR(errs.v[0].what, what(0, f, 1, "[circuit er1]"));
		CHECK_STR(errs.v[0].msg, "missing required key location");
		CHECK_STR(errs.v[1].what, what(1, f, 6, "[peering er1 private]"));
		CHECK_STR(errs.v[1].msg, "missing required key vlan_id");
	}
	lab_errors_clear(&errs);
}

static void test_bad_number(void)
{
	struct lab_errors errs = { 0 };
	const char *f = data("lab-bad-number.ini");

	CHECK_INT(load_bad(f, &errs), -EINVAL);
	CHECK_INT(errs.n, 4);
	if (errs.n == 4) {
		CHECK_STR(errs.v[0].what, what(0, f, 4, "[circuit er1] bandwidth=1x"));
		CHECK_STR(errs.v[0].msg, "not a decimal number");
		CHECK_STR(errs.v[1].what, what(1, f, 11, "[peering er1 private] peer_asn=-1"));
		CHECK_STR(errs.v[1].msg, "not a decimal number");
		/* Not octal 8, not decimal 10: refused. */
		CHECK_STR(errs.v[2].what, what(2, f, 12, "[peering er1 private] vlan_id=010"));
		CHECK_STR(errs.v[2].msg, "not a decimal number");
		CHECK_STR(errs.v[3].what, what(3, f, 17, "[peering er1 public] peer_asn=99999999999"));
		CHECK_STR(errs.v[3].msg, "number out of range");
		CHECK_STR(errs.v[3].detail, "0-4294967295");
	}
	lab_errors_clear(&errs);
}

static void test_bad_bool(void)
{
	struct lab_errors errs = { 0 };
	const char *f = data("lab-bad-bool.ini");

	CHECK_INT(load_bad(f, &errs), -EINVAL);
	CHECK_INT(errs.n, 1);
	if (errs.n == 1) {
		CHECK_STR(errs.v[0].what, what(0, f, 6, "[circuit er1] provisioned=maybe"));
		CHECK_STR(errs.v[0].msg, "not a boolean");
		CHECK_STR(errs.v[0].detail, "use yes or no");
	}
	lab_errors_clear(&errs);
}

static void test_bad_enum(void)
{
	struct lab_errors errs = { 0 };
	const char *f = data("lab-bad-enum.ini");

	CHECK_INT(load_bad(f, &errs), -EINVAL);
	CHECK_INT(errs.n, 1);
	if (errs.n == 1) {
		CHECK_STR(errs.v[0].what, what(0, f, 6, "[circuit er1] sku=Gold"));
		CHECK_STR(errs.v[0].msg, "unknown sku");
		CHECK_STR(errs.v[0].detail, "use Standard or Premium");
	}
	lab_errors_clear(&errs);
}

static void test_missing_circuit(void)
{
	struct lab_errors errs = { 0 };
	const char *f = data("lab-missing-circuit.ini");

	CHECK_INT(load_bad(f, &errs), -EINVAL);
	CHECK_INT(errs.n, 1);
	if (errs.n == 1) {
		CHECK_STR(errs.v[0].what, what(0, f, 7, "[peering er9 private]"));
		CHECK_STR(errs.v[0].msg, "no such circuit in this file");
		CHECK_STR(errs.v[0].detail, "add a [circuit er9] section");
	}
	lab_errors_clear(&errs);
}

static void test_not_provisioned(void)
{
	struct lab_errors errs = { 0 };
	const char *f = data("lab-not-provisioned.ini");
	struct circuit c;
	struct err e = { 0 };

	circuit_init(&c);
	snprintf(c.name, sizeof(c.name), "C1");
	CHECK(validate_can_peer(&c, &e) < 0);

	CHECK_INT(load_bad(f, &errs), -EINVAL);
	CHECK_INT(errs.n, 1);
	if (errs.n == 1) {
		CHECK_STR(errs.v[0].what, what(0, f, 8, "[peering er1 private]"));
		CHECK_STR(errs.v[0].msg, e.msg);
		CHECK_INT(errs.v[0].errnum, e.errnum);
	}
	lab_errors_clear(&errs);
}

static void test_too_large(void)
{
	char tmpl[] = "/tmp/erlab-test-lab-XXXXXX";
	struct lab_errors errs = { 0 };
	static char chunk[4096];
	int fd = mkstemp(tmpl);
	size_t written = 0;

	CHECK(fd >= 0);
	if (fd < 0)
		return;
	memset(chunk, ';', sizeof(chunk));
	while (written <= LAB_MAX_BYTES) {
		ssize_t n = write(fd, chunk, sizeof(chunk));

		if (n <= 0)
			break;
		written += (size_t)n;
	}
	close(fd);
	CHECK_INT(load_bad(tmpl, &errs), -EFBIG);
	CHECK_INT(errs.n, 1);
	if (errs.n == 1) {
		CHECK_STR(errs.v[0].what, tmpl);
		CHECK(strncmp(errs.v[0].msg, "file too large", 14) == 0);
		CHECK_STR(errs.v[0].detail, "at most 16777216 bytes");
		CHECK_INT(errs.v[0].errnum, -EFBIG);
	}
	unlink(tmpl);
	lab_errors_clear(&errs);
}

static void test_nul_bytes(void)
{
	struct lab_errors errs = { 0 };
	const char *f = data("lab-nul.ini");
	char w[PATH_MAX + 16];

	CHECK_INT(load_bad(f, &errs), -EINVAL);
	CHECK_INT(errs.n, 1);
	snprintf(w, sizeof(w), "%s:3", f);
	if (errs.n == 1) {
		CHECK_STR(errs.v[0].what, w);
		CHECK_STR(errs.v[0].msg, "NUL byte in the file");
	}
	lab_errors_clear(&errs);
}

static void test_syntax_error(void)
{
	struct lab_errors errs = { 0 };
	const char *f = data("lab-syntax-error.ini");
	char w4[PATH_MAX + 16], w5[PATH_MAX + 16], buf[1600];

	CHECK_INT(load_bad(f, &errs), -EINVAL);
	CHECK_INT(errs.n, 2);
	snprintf(w4, sizeof(w4), "%s:4", f);
	snprintf(w5, sizeof(w5), "%s:5", f);
	if (errs.n == 2) {
		CHECK_STR(errs.v[0].what, w4);
		CHECK_STR(errs.v[0].msg, "syntax error");
		CHECK_STR(errs.v[1].what, w5);
		CHECK_STR(errs.v[1].msg, "syntax error");
		/* Printed as FILE:LINE: syntax error (...). */
		snprintf(w4 + strlen(w4), sizeof(w4) - strlen(w4), ": syntax error");
		CHECK(strncmp(err_format(&errs.v[0], buf, sizeof(buf)), w4, strlen(w4)) == 0);
	}
	lab_errors_clear(&errs);
}

static void test_not_regular(void)
{
	struct lab_errors errs = { 0 };
	const char *d = dir_of("ERLAB_TEST_DATA", "tests/data");

	CHECK_INT(load_bad(d, &errs), -EINVAL);
	CHECK_INT(errs.n, 1);
	if (errs.n == 1) {
		CHECK_STR(errs.v[0].what, d);
		CHECK_STR(errs.v[0].msg, "not a regular file");
		CHECK_STR(errs.v[0].detail, "it is a directory");
	}
	lab_errors_clear(&errs);
}

static void test_missing_file(void)
{
	struct lab_errors errs = { 0 };
	const char *f = data("no-such-lab.ini");

	CHECK_INT(load_bad(f, &errs), -ENOENT);
	CHECK_INT(errs.n, 1);
	if (errs.n == 1)
		CHECK_STR(errs.v[0].what, f);
	lab_errors_clear(&errs);
}

static void test_malformed_section(void)
{
	struct lab_errors errs = { 0 };
	const char *f = data("lab-malformed-section.ini");

	CHECK_INT(load_bad(f, &errs), -EINVAL);
	CHECK_INT(errs.n, 2);
	if (errs.n == 2) {
		CHECK_STR(errs.v[0].what, what(0, f, 1, "[peering er1]"));
		CHECK_STR(errs.v[0].msg, "malformed section header");
		CHECK_STR(errs.v[0].detail, "expected [peering ID private|public|microsoft]");
		CHECK_STR(errs.v[1].what, what(1, f, 4, "[peering er1 privat]"));
		CHECK_STR(errs.v[1].msg, "unknown peering type");
	}
	lab_errors_clear(&errs);
}

static void test_wrong_type_key(void)
{
	struct lab_errors errs = { 0 };
	const char *f = data("lab-wrong-type-key.ini");

	CHECK_INT(load_bad(f, &errs), -EINVAL);
	CHECK_INT(errs.n, 1);
	if (errs.n == 1) {
		CHECK_STR(errs.v[0].what, what(0, f, 12, "[peering er1 public] advertised_public_prefixes=123.0.0.0/24"));
		CHECK_STR(errs.v[0].msg, "not a key of public peering");
	}
	lab_errors_clear(&errs);
}

static const char *cstr(const struct cidr *c)
{
	static char buf[4][CIDR_STRLEN];
	static unsigned next;
	char *b = buf[next++ % 4];

	return cidr_str(c, b, CIDR_STRLEN);
}

static bool load_ok(const char *file, struct lab *lab)
{
	struct lab_errors errs = { 0 };
	int r = lab_load(file, lab, &errs);

	CHECK_INT(r, 0);
	CHECK_INT(errs.n, 0);
	if (r < 0)
		dump(&errs);
	lab_errors_clear(&errs);
	return r == 0;
}

static void test_classic(void)
{
	const struct peering *p;
	const struct circuit *c;
	char real[PATH_MAX];
	struct lab lab;

	if (!load_ok(labfile("classic.ini"), &lab))
		return;
	CHECK(realpath(labfile("classic.ini"), real) != NULL);
	CHECK_STR(lab.path, real);
	CHECK_INT(lab.datapath, DATAPATH_AUTO);
	CHECK_INT(lab.n_circuits, 1);
	CHECK(!lab.bgp.msee && !lab.bgp.customer);
	CHECK_INT(lab.n_registry, 0);
	c = &lab.circuits[0];
	CHECK_STR(lab.circuit_ids[0], "er1");
	CHECK_STR(c->name, "MyTestCircuit");
	CHECK_STR(c->service_key, "");
	CHECK_INT(c->bandwidth, 200);
	CHECK_STR(c->location, "Silicon Valley");
	CHECK_STR(c->provider, "equinix");
	CHECK_INT(c->sku, SKU_STANDARD);
	CHECK_INT(c->billing, BILLING_METERED);
	CHECK_INT(c->prov, PROV_PROVISIONED);
	CHECK(c->enabled);
	CHECK_STR(lab.name, "classic");
	CHECK_STR(c->lab, "classic");
	CHECK_STR(c->lab_file, real);
	CHECK_INT(c->n_vnets, 0);
	CHECK_INT(c->has, CIRCUIT_HAS_BANDWIDTH | CIRCUIT_HAS_LOCATION | CIRCUIT_HAS_PROVIDER |
			  CIRCUIT_HAS_SKU | CIRCUIT_HAS_PROV);

	CHECK(c->peering_present[ACCESS_PRIVATE]);
	p = &c->peerings[ACCESS_PRIVATE];
	CHECK_INT(p->type, ACCESS_PRIVATE);
	CHECK_STR(cstr(&p->primary4), "10.0.0.0/30");
	CHECK_STR(cstr(&p->secondary4), "10.0.0.4/30");
	CHECK_INT(p->peer_asn, 1234);
	CHECK_INT(p->vlan_id, 100);
	CHECK_STR(p->shared_key, "A1B2C3D4");
	CHECK_INT(p->has, PEERING_HAS_PRIMARY4 | PEERING_HAS_SECONDARY4 | PEERING_HAS_PEER_ASN |
			  PEERING_HAS_VLAN | PEERING_HAS_SHARED_KEY);
	CHECK_INT(p->ms[FAMILY_V4].prefix_state, PREFIX_CONFIGURED);
	CHECK(p->enabled);

	CHECK(c->peering_present[ACCESS_PUBLIC]);
	p = &c->peerings[ACCESS_PUBLIC];
	CHECK_STR(cstr(&p->primary4), "131.107.0.0/30");
	CHECK_STR(cstr(&p->secondary4), "131.107.0.4/30");
	CHECK_INT(p->peer_asn, 1234);
	CHECK_INT(p->vlan_id, 200);
	CHECK_STR(p->shared_key, "");
	CHECK_INT(p->has, PEERING_HAS_PRIMARY4 | PEERING_HAS_SECONDARY4 | PEERING_HAS_PEER_ASN | PEERING_HAS_VLAN);

	CHECK(c->peering_present[ACCESS_MICROSOFT]);
	p = &c->peerings[ACCESS_MICROSOFT];
	CHECK_STR(cstr(&p->primary4), "131.107.0.8/30");
	CHECK_STR(cstr(&p->secondary4), "131.107.0.12/30");
	CHECK_INT(p->vlan_id, 300);
	CHECK_INT(p->peer_asn, 1234);
	CHECK_INT(p->ms[FAMILY_V4].customer_asn, 2245);
	CHECK_INT(p->ms[FAMILY_V4].n_prefixes, 1);
	if (p->ms[FAMILY_V4].n_prefixes == 1)
		CHECK_STR(cstr(&p->ms[FAMILY_V4].prefixes[0]), "123.0.0.0/30");
	CHECK_STR(p->ms[FAMILY_V4].registry, "ARIN");
	CHECK_STR(p->shared_key, "A1B2C3D4");
	CHECK_INT(p->ms[FAMILY_V4].prefix_state, PREFIX_CONFIGURED);
	CHECK_INT(p->has, PEERING_HAS_PRIMARY4 | PEERING_HAS_SECONDARY4 | PEERING_HAS_PEER_ASN |
			  PEERING_HAS_VLAN | PEERING_HAS_SHARED_KEY | PEERING_HAS_PREFIXES |
			  PEERING_HAS_CUSTOMER_ASN | PEERING_HAS_REGISTRY);
	lab_clear(&lab);
	CHECK_INT(lab.n_circuits, 0);
}

static void test_dual_stack(void)
{
	const struct peering *p;
	const struct circuit *c;
	struct lab lab;

	if (!load_ok(labfile("dual-stack.ini"), &lab))
		return;
	CHECK_INT(lab.n_circuits, 1);
	c = &lab.circuits[0];
	CHECK_STR(c->name, "DualStack");
	CHECK_INT(c->bandwidth, 1000);
	CHECK_STR(c->location, "Amsterdam");
	CHECK_INT(c->sku, SKU_PREMIUM);
	CHECK_INT(c->billing, BILLING_UNLIMITED);
	CHECK_INT(c->prov, PROV_PROVISIONED);
	CHECK(!c->peering_present[ACCESS_PUBLIC]);

	p = &c->peerings[ACCESS_PRIVATE];
	CHECK(c->peering_present[ACCESS_PRIVATE]);
	CHECK(peering_has_v4(p) && peering_has_v6(p));
	CHECK_STR(cstr(&p->primary6), "fd00:0:0:1::/126");
	CHECK_STR(cstr(&p->secondary6), "fd00:0:0:1::4/126");
	CHECK_INT(p->peer_asn, 65010);
	CHECK_STR(p->shared_key, "Lab2Key");

	p = &c->peerings[ACCESS_MICROSOFT];
	CHECK(c->peering_present[ACCESS_MICROSOFT]);
	CHECK(peering_has_v4(p) && peering_has_v6(p));
	CHECK_STR(cstr(&p->primary6), "2a01:111:f100::/126");
	CHECK_STR(cstr(&p->secondary6), "2a01:111:f100::4/126");
	CHECK_INT(p->peer_asn, 4200000100u);
	for (unsigned f = 0; f < _FAMILY_MAX; f++) {
		const struct ms_config *m = &p->ms[f];

		CHECK_INT(m->customer_asn, 2245);
		CHECK_INT(m->n_prefixes, 1);
		if (m->n_prefixes == 1)
			CHECK_STR(cstr(&m->prefixes[0]), f == FAMILY_V4 ? "123.0.0.0/24" : "2a01:111:f200::/48");
		CHECK_STR(m->registry, "RIPENCC");
		/* A private PeerAsn with a CustomerAsn: validated. */
		CHECK_INT(m->prefix_state, PREFIX_CONFIGURED);
	}

	CHECK_INT(c->n_vnets, 1);
	if (c->n_vnets == 1) {
		CHECK_STR(c->vnets[0].name, "hub");
		CHECK_INT(c->vnets[0].n_spaces, 2);
		if (c->vnets[0].n_spaces == 2) {
			CHECK_STR(cstr(&c->vnets[0].spaces[0]), "10.1.0.0/16");
			CHECK_STR(cstr(&c->vnets[0].spaces[1]), "fd00:1::/48");
		}
	}
	lab_clear(&lab);
}

static void test_two_circuits(void)
{
	struct lab lab;

	if (!load_ok(labfile("two-circuits.ini"), &lab))
		return;
	CHECK_INT(lab.n_circuits, 2);
	if (lab.n_circuits == 2) {
		const struct circuit *sv = &lab.circuits[0], *dc = &lab.circuits[1];

		CHECK_STR(lab.circuit_ids[0], "sv");
		CHECK_STR(lab.circuit_ids[1], "dc");
		CHECK_STR(sv->name, "SiliconValley");
		CHECK_STR(sv->location, "Silicon Valley");
		CHECK_STR(dc->name, "WashingtonDC");
		CHECK_STR(dc->location, "Washington DC");
		CHECK_INT(sv->bandwidth, 500);
		CHECK_INT(dc->bandwidth, 500);
		CHECK(sv->peering_present[ACCESS_PRIVATE] && !sv->peering_present[ACCESS_PUBLIC]);
		CHECK(dc->peering_present[ACCESS_PRIVATE] && !dc->peering_present[ACCESS_MICROSOFT]);
		CHECK_INT(sv->peerings[ACCESS_PRIVATE].vlan_id, 100);
		CHECK_INT(dc->peerings[ACCESS_PRIVATE].vlan_id, 200);
		CHECK_STR(cstr(&sv->peerings[ACCESS_PRIVATE].primary4), "10.0.0.0/30");
		CHECK_STR(cstr(&dc->peerings[ACCESS_PRIVATE].primary4), "10.0.1.0/30");
		CHECK_STR(cstr(&dc->peerings[ACCESS_PRIVATE].secondary4), "10.0.1.4/30");
	}
	lab_clear(&lab);
}

/* All four classic mistakes in one run, each with file, section and key. */
static void test_mistakes(void)
{
	struct lab_errors errs = { 0 };
	const char *f = labfile("mistakes.ini");
	struct err asn = { 0 }, subnet = { 0 };
	struct cidr ten;
	char m[256];

	validate_peer_asn(65515, "x", &asn);
	validate_peer_subnet("10.0.0.8/29", "x", NULL, &subnet);
	cidr_parse("10.0.0.0/24", &ten);
	snprintf(m, sizeof(m), "The advertised public prefix '10.0.0.0/24' is not a public address (%s).",
		 cidr_nonpublic_reason(&ten));

	CHECK_INT(load_bad(f, &errs), -EINVAL);
	CHECK_INT(errs.n, 4);
	if (errs.n != 4) {
		dump(&errs);
	} else {
		CHECK_STR(errs.v[0].what, what(0, f, 20, "[peering er1 private] secondary_peer_subnet=10.0.0.8/29"));
		CHECK_STR(errs.v[0].msg, subnet.msg);
		CHECK_STR(errs.v[1].what, what(1, f, 22, "[peering er1 private] peer_asn=65515"));
		CHECK_STR(errs.v[1].msg, asn.msg);
		CHECK_STR(errs.v[2].what, what(2, f, 30, "[peering er1 public] vlan_id=100"));
		CHECK_STR(errs.v[2].msg, "The vlanId specified is already in use.");
		CHECK_INT(errs.v[2].errnum, -EEXIST);
		CHECK_STR(errs.v[3].what, what(3, f, 38, "[peering er1 microsoft] advertised_public_prefixes=10.0.0.0/24"));
		CHECK_STR(errs.v[3].msg, m);
	}
	lab_errors_clear(&errs);
}

static void test_registry(void)
{
	struct lab lab;

	if (!load_ok(data("lab-registry.ini"), &lab))
		return;
	CHECK_INT(lab.n_registry, 4);
	if (lab.n_registry == 4) {
		CHECK_STR(cstr(&lab.registry[1].prefix), "123.0.0.0/16");
		CHECK_INT(lab.registry[1].asn, 2245);
	}
	CHECK_INT(lab.n_circuits, 3);
	if (lab.n_circuits == 3) {
		/* 123.0.0.0/30 -> longest cover /16 -> 2245 (customer ASN); 123.1.0.0/24 -> 1234 (peer ASN). */
		CHECK_INT(lab.circuits[0].peerings[ACCESS_MICROSOFT].ms[FAMILY_V4].prefix_state, PREFIX_CONFIGURED);
		/* Registered to 9999. */
		CHECK_INT(lab.circuits[1].peerings[ACCESS_MICROSOFT].ms[FAMILY_V4].prefix_state, PREFIX_VALIDATION_NEEDED);
		/* Not covered by any entry. */
		CHECK_INT(lab.circuits[2].peerings[ACCESS_MICROSOFT].ms[FAMILY_V4].prefix_state, PREFIX_VALIDATION_NEEDED);
	}
	lab_clear(&lab);
}

/* A temp file written by fill(); returns its path in tmpl, or NULL. */
static const char *temp_lab(char tmpl[32], void (*fill)(FILE *f, unsigned n), unsigned n)
{
	int fd;
	FILE *f;

	snprintf(tmpl, 32, "%s", "/tmp/erlab-test-lab-XXXXXX");
	fd = mkstemp(tmpl);
	CHECK(fd >= 0);
	if (fd < 0)
		return NULL;
	f = fdopen(fd, "w");
	CHECK(f != NULL);
	if (!f) {
		close(fd);
		unlink(tmpl);
		return NULL;
	}
	fill(f, n);
	CHECK(fclose(f) == 0);
	return tmpl;
}

/* bench/gen-lab's lab: circuits c1..cN, three peerings each, about 26 entries per circuit. */
static void gen_lab(FILE *f, unsigned n)
{
	fprintf(f, "[lab]\ndatapath = veth\n");
	for (unsigned i = 1; i <= n; i++) {
		fprintf(f, "\n[circuit c%u]\nname = c%u\nservice_key = 00000000-0000-4000-8000-%012u\n", i, i, i);
		fprintf(f, "bandwidth = 1000\nlocation = Silicon Valley\nservice_provider_name = equinix\nprovisioned = yes\n");
		fprintf(f, "[peering c%u private]\nprimary_peer_subnet = 10.0.0.0/30\nsecondary_peer_subnet = 10.0.0.4/30\n", i);
		fprintf(f, "peer_asn = 65001\nvlan_id = 100\n");
		fprintf(f, "[peering c%u public]\nprimary_peer_subnet = 131.107.0.0/30\nsecondary_peer_subnet = 131.107.0.4/30\n", i);
		fprintf(f, "peer_asn = 1234\nvlan_id = 200\n");
		fprintf(f, "[peering c%u microsoft]\nprimary_peer_subnet = 131.107.0.8/30\nsecondary_peer_subnet = 131.107.0.12/30\n", i);
		fprintf(f, "peer_asn = 1234\nvlan_id = 300\ncustomer_asn = 2245\nadvertised_public_prefixes = 123.0.0.0/30\n");
		fprintf(f, "routing_registry_name = ARIN\n");
	}
}

/* 1000 circuits (some 26000 sections and keys, about 600 KiB) load, in file order. */
/* 10,000 circuits with three peerings each fit one lab file (6.5 MB, 170,000 keys). */
static void test_ten_thousand(void)
{
	char tmpl[32];
	const char *f = temp_lab(tmpl, gen_lab, 10000);
	struct lab_errors errs = { 0 };
	struct lab lab;

	if (!f)
		return;
	CHECK_INT(lab_load(f, &lab, &errs), 0);
	CHECK_INT(errs.n, 0);
	CHECK_INT(lab.n_circuits, 10000);
	if (lab.n_circuits == 10000)
		CHECK_STR(lab.circuits[9999].name, "c10000");
	lab_clear(&lab);
	lab_errors_clear(&errs);
	unlink(tmpl);
}

static void test_large_lab(void)
{
	char tmpl[32];
	const char *f = temp_lab(tmpl, gen_lab, 1000);
	struct lab_errors errs = { 0 };
	struct lab lab;
	int r;

	if (!f)
		return;
	r = lab_load(f, &lab, &errs);
	CHECK_INT(r, 0);
	CHECK_INT(errs.n, 0);
	if (r < 0 && getenv("TEST_VERBOSE"))
		dump(&errs);
	CHECK_INT(lab.n_circuits, 1000);
	CHECK_INT(lab.datapath, DATAPATH_VETH);
	if (lab.n_circuits == 1000) {
		const struct circuit *c = &lab.circuits[999];

		CHECK_STR(lab.circuit_ids[0], "c1");
		CHECK_STR(lab.circuit_ids[999], "c1000");
		CHECK_STR(c->name, "c1000");
		CHECK_STR(c->service_key, "00000000-0000-4000-8000-000000001000");
		CHECK(c->peering_present[ACCESS_PRIVATE] && c->peering_present[ACCESS_PUBLIC] &&
		      c->peering_present[ACCESS_MICROSOFT]);
		CHECK_INT(c->peerings[ACCESS_MICROSOFT].vlan_id, 300);
		CHECK_INT(c->peerings[ACCESS_MICROSOFT].ms[FAMILY_V4].customer_asn, 2245);
		CHECK_STR(c->peerings[ACCESS_MICROSOFT].ms[FAMILY_V4].registry, "ARIN");
	}
	lab_clear(&lab);
	lab_errors_clear(&errs);
	unlink(tmpl);
}

/* A repeated header far below the first (another iniparser slice): reported, its keys still read. */
static void gen_late_duplicate(FILE *f, unsigned n)
{
	gen_lab(f, n);
	fprintf(f, "[circuit c1]\ncolour = red\n");
}

static void test_late_duplicate_section(void)
{
	char tmpl[32], w[64];
	const char *f = temp_lab(tmpl, gen_late_duplicate, 300);
	struct lab_errors errs = { 0 };

	if (!f)
		return;
	CHECK_INT(load_bad(f, &errs), -EINVAL);
	CHECK_INT(errs.n, 2);
	if (errs.n == 2) {
		CHECK_STR(errs.v[0].what, what(0, f, 7803, "[circuit c1]"));
		CHECK_STR(errs.v[0].msg, "duplicate section");
		CHECK_STR(errs.v[0].detail, "first at line 4");
		snprintf(w, sizeof(w), "%s:7804: [circuit c1] colour=red", f);
		CHECK_STR(errs.v[1].what, w);
		CHECK_STR(errs.v[1].msg, "unknown key");
	}
	lab_errors_clear(&errs);
	unlink(tmpl);
}

static void gen_unknown_sections(FILE *f, unsigned n)
{
	for (unsigned i = 0; i < n; i++)
		fprintf(f, "[frobnicate %u]\n", i);
}

/* A lab's name: [lab] name, else the file's stem; each circuit records it and the file. */
static void write_named_lab(const char *path, const char *name_line)
{
	FILE *f = fopen(path, "w");

	CHECK(f != NULL);
	if (!f)
		return;
	fprintf(f, "[lab]\n%sdatapath = veth\n", name_line);
	fprintf(f, "[circuit c1]\nbandwidth = 1000\nlocation = Silicon Valley\nservice_provider_name = equinix\n");
	CHECK(fclose(f) == 0);
}

static void test_lab_name(void)
{
	char dir[] = "/tmp/erlab-test-name-XXXXXX", path[96], real[PATH_MAX];
	struct lab_errors errs = { 0 };
	struct lab lab;

	CHECK(mkdtemp(dir) != NULL);
	/* The stem, without .ini. */
	snprintf(path, sizeof(path), "%s/teach.v2.ini", dir);
	write_named_lab(path, "");
	CHECK_INT(lab_load(path, &lab, &errs), 0);
	CHECK(realpath(path, real) != NULL);
	CHECK_STR(lab.name, "teach.v2");
	if (lab.n_circuits == 1) {
		CHECK_STR(lab.circuits[0].lab, "teach.v2");
		CHECK_STR(lab.circuits[0].lab_file, real);
	}
	lab_clear(&lab);
	/* [lab] name wins over the stem, even one that is no name. */
	unlink(path);
	snprintf(path, sizeof(path), "%s/my lab!.ini", dir);
	write_named_lab(path, "name = hub-1\n");
	CHECK_INT(lab_load(path, &lab, &errs), 0);
	CHECK_STR(lab.name, "hub-1");
	if (lab.n_circuits == 1)
		CHECK_STR(lab.circuits[0].lab, "hub-1");
	lab_clear(&lab);
	/* A stem that is no name needs [lab] name, and says so. */
	write_named_lab(path, "");
	CHECK_INT(load_bad(path, &errs), -EINVAL);
	CHECK_INT(errs.n, 1);
	if (errs.n == 1) {
		CHECK_STR(errs.v[0].what, path);
		CHECK_STR(errs.v[0].msg, "the file's name does not make a lab name");
		CHECK(strstr(errs.v[0].detail, "[lab] name = ") != NULL);
	}
	lab_errors_clear(&errs);
	/* A bad [lab] name is the key's mistake. */
	write_named_lab(path, "name = -x\n");
	CHECK_INT(load_bad(path, &errs), -EINVAL);
	CHECK(errs.n >= 1);
	if (errs.n >= 1)
		CHECK(strstr(errs.v[0].what, "[lab] name=-x") != NULL);
	lab_errors_clear(&errs);
	unlink(path);
	rmdir(dir);
}

/* Past 1000 mistakes one more entry says there are more, and loading stops listing them. */
static void test_too_many_mistakes(void)
{
	char tmpl[32];
	const char *f = temp_lab(tmpl, gen_unknown_sections, 1500);
	struct lab_errors errs = { 0 };

	if (!f)
		return;
	CHECK_INT(load_bad(f, &errs), -EINVAL);
	CHECK_INT(errs.n, 1001);
	if (errs.n == 1001) {
		CHECK_STR(errs.v[999].what, what(0, f, 1000, "[frobnicate 999]"));
		CHECK_STR(errs.v[999].msg, "unknown section");
		CHECK_STR(errs.v[1000].what, f);
		CHECK_STR(errs.v[1000].msg, "too many mistakes");
		CHECK_STR(errs.v[1000].detail, "only the first 1000 are listed");
	}
	lab_errors_clear(&errs);
	unlink(tmpl);
}

static void gen_long_registry(FILE *f, unsigned n)
{
	fprintf(f, "[registry]\n");
	for (unsigned i = 0; i < n; i++)
		fprintf(f, "10.%u.%u.0/24 = 65001\n", i / 256, i % 256);
}

static void test_long_section(void)
{
	char tmpl[32], w[64];
	const char *f = temp_lab(tmpl, gen_long_registry, 4097);
	struct lab_errors errs = { 0 };

	if (!f)
		return;
	CHECK_INT(load_bad(f, &errs), -EINVAL);
	CHECK_INT(errs.n, 1);
	if (errs.n == 1) {
		snprintf(w, sizeof(w), "%s:4098", f);
		CHECK_STR(errs.v[0].what, w);
		CHECK_STR(errs.v[0].msg, "too many keys in one section");
		CHECK_STR(errs.v[0].detail, "at most 4096");
	}
	lab_errors_clear(&errs);
	unlink(tmpl);
}

/* One circuit c1 (Standard, with a private peering on 10.0.0.0/30 and 10.0.0.4/30), then case n's VNets. */
static void gen_vnet_case(FILE *f, unsigned n)
{
	gen_lab(f, 1);
	switch (n) {
	case 0:
		fprintf(f, "[vnet c1 customer]\naddress_space = 10.9.0.0/16\n");
		break;
	case 1:
		fprintf(f, "[vnet c1 hub]\naddress_space = 10.9.0.0/30\n");
		break;
	case 2:
		fprintf(f, "[vnet c1 hub]\naddress_space = 10.1.0.0/16\n[vnet c1 spoke]\naddress_space = 10.1.128.0/17\n");
		break;
	default:
		for (unsigned i = 1; i <= 11; i++)
			fprintf(f, "[vnet c1 v%u]\naddress_space = 10.%u.0.0/16\n", i, i);
	}
}

/* What validate_vnet says of VNet name/space linked to c1 next to others[0..n_others). */
static void vnet_verdict(const char *name, const char *space, struct vnet *others, unsigned n_others,
			 struct err *e)
{
	struct circuit c;
	struct cidr sp;
	struct vnet v = { .spaces = &sp, .n_spaces = 1 };

	circuit_init(&c);
	snprintf(c.name, sizeof(c.name), "c1");
	c.peering_present[ACCESS_PRIVATE] = true;
	c.vnets = others;
	c.n_vnets = n_others;
	snprintf(v.name, sizeof(v.name), "%s", name);
	CHECK_INT(cidr_parse(space, &sp), 0);
	CHECK(validate_vnet(&c, &v, e) < 0);
}

/* One VNet mistake: the lab reports validate_vnet's own text on `rest` (section, key=value). */
static void check_vnet_case(unsigned n, unsigned line, const char *rest, const struct err *want)
{
	char tmpl[32];
	const char *f = temp_lab(tmpl, gen_vnet_case, n);
	struct lab_errors errs = { 0 };

	if (!f)
		return;
	CHECK_INT(load_bad(f, &errs), -EINVAL);
	CHECK_INT(errs.n, 1);
	if (errs.n == 1) {
		CHECK_STR(errs.v[0].what, what(0, f, line, rest));
		CHECK_STR(errs.v[0].msg, want->msg);
		CHECK_INT(errs.v[0].errnum, want->errnum);
	} else {
		dump(&errs);
	}
	lab_errors_clear(&errs);
	unlink(tmpl);
}

/* [vnet] sections go through validate_vnet: reserved names, small spaces, overlaps, the SKU limit. */
static void test_vnet_rules(void)
{
	struct cidr spaces[10];
	struct vnet ten[10];
	struct err e = { 0 };
	char s[32];

	vnet_verdict("customer", "10.9.0.0/16", NULL, 0, &e);
	CHECK_STR(e.msg, "The virtual network name 'customer' is reserved by erlab.");
	check_vnet_case(0, 29, "[vnet c1 customer]", &e);

	vnet_verdict("hub", "10.9.0.0/30", NULL, 0, &e);
	CHECK_STR(e.msg, "The address space '10.9.0.0/30' is too small: use /29 or larger.");
	check_vnet_case(1, 30, "[vnet c1 hub] address_space=10.9.0.0/30", &e);

	memset(ten, 0, sizeof(ten));
	snprintf(ten[0].name, sizeof(ten[0].name), "hub");
	ten[0].spaces = &spaces[0];
	ten[0].n_spaces = 1;
	CHECK_INT(cidr_parse("10.1.0.0/16", &spaces[0]), 0);
	vnet_verdict("spoke", "10.1.128.0/17", ten, 1, &e);
	CHECK_STR(e.msg, "The address space '10.1.128.0/17' overlaps 10.1.0.0/16 of virtual network hub.");
	check_vnet_case(2, 32, "[vnet c1 spoke] address_space=10.1.128.0/17", &e);

	for (unsigned i = 0; i < 10; i++) {
		snprintf(ten[i].name, sizeof(ten[i].name), "v%u", i + 1);
		snprintf(s, sizeof(s), "10.%u.0.0/16", i + 1);
		CHECK_INT(cidr_parse(s, &spaces[i]), 0);
		ten[i].spaces = &spaces[i];
		ten[i].n_spaces = 1;
	}
	vnet_verdict("v11", "10.11.0.0/16", ten, 10, &e);
	CHECK_INT(e.errnum, -EBUSY);
	check_vnet_case(3, 49, "[vnet c1 v11]", &e);
}

int main(void)
{
	RUN(test_unknown_section);
	RUN(test_unknown_key);
	RUN(test_duplicate_section);
	RUN(test_duplicate_key);
	RUN(test_missing_key);
	RUN(test_bad_number);
	RUN(test_bad_bool);
	RUN(test_bad_enum);
	RUN(test_missing_circuit);
	RUN(test_not_provisioned);
	RUN(test_too_large);
	RUN(test_nul_bytes);
	RUN(test_syntax_error);
	RUN(test_not_regular);
	RUN(test_missing_file);
	RUN(test_malformed_section);
	RUN(test_wrong_type_key);
	RUN(test_classic);
	RUN(test_dual_stack);
	RUN(test_two_circuits);
	RUN(test_mistakes);
	RUN(test_registry);
	RUN(test_large_lab);
	RUN(test_ten_thousand);
	RUN(test_late_duplicate_section);
	RUN(test_too_many_mistakes);
	RUN(test_long_section);
	RUN(test_vnet_rules);
	RUN(test_lab_name);
	return TEST_DONE();
}
