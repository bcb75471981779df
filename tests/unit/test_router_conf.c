/* SPDX-License-Identifier: MIT */
/*
 * Customer router configs (core/router_conf.c): each flavor of two circuits, loaded from
 * the .ini files of tests/data/router, against its golden text in tests/data/router/<lab>.<flavor>. With
 * ERLAB_UPDATE_GOLDEN=1 the goldens are written instead (review the diff before committing).
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/bird_conf.h"
#include "core/router_conf.h"
#include "fixtures.h"
#include "lab/lab.h"
#include "test.h"

static char path_buf[4096];

static const char *data(const char *name)
{
	const char *d = getenv("ERLAB_TEST_DATA");

	snprintf(path_buf, sizeof(path_buf), "%s/router/%s", d ? d : "tests/data", name);
	return path_buf;
}

static char *slurp(const char *path)
{
	FILE *f = fopen(path, "r");
	char *buf = NULL;
	size_t len = 0;

	if (!f)
		return NULL;
	if (getdelim(&buf, &len, '\0', f) < 0) {
		free(buf);
		buf = NULL;
	}
	fclose(f);
	return buf;
}

/* The first circuit of a lab file, as `erlab up` records it: the lab's [bgp] copied in, a service
 * key, a datapath. c is the caller's to clear. */
static void load(const char *name, enum datapath dp, struct circuit *c)
{
	struct lab_errors errs = { 0 };
	struct lab lab;
	int r = lab_load(data(name), &lab, &errs);

	circuit_init(c);
	CHECK_INT(r, 0);
	if (r < 0) {
		char buf[1600];

		for (unsigned i = 0; i < errs.n; i++)
			fprintf(stderr, "  %s\n", err_format(&errs.v[i], buf, sizeof(buf)));
		lab_errors_clear(&errs);
		return;
	}
	CHECK_INT(circuit_copy(c, &lab.circuits[0]), 0);
	strcpy(c->service_key, FX_KEY);
	c->datapath = dp;
	c->bgp.msee = lab.bgp.msee;
	c->bgp.customer = lab.bgp.customer;
	c->bgp.prefixes = lab.bgp.prefixes;      /* taken over */
	c->bgp.n_prefixes = lab.bgp.n_prefixes;
	lab.bgp.prefixes = NULL;
	lab.bgp.n_prefixes = 0;
	lab_clear(&lab);
}

static void golden(const struct circuit *c, const char *lab, enum router_flavor f)
{
	char name[128], *want, *got = NULL;
	struct err e = { 0 };
	int r;

	snprintf(name, sizeof(name), "%s.%s", lab, router_flavor_name(f));
	r = router_conf(c, f, 0, &got, &e);
	CHECK_INT(r, 0);
	if (r < 0) {
		fprintf(stderr, "  %s: %s: %s\n", name, e.what, e.msg);
		return;
	}
	if (getenv("ERLAB_UPDATE_GOLDEN")) {
		FILE *o = fopen(data(name), "w");

		CHECK(o != NULL);
		if (o) {
			fputs(got, o);
			fclose(o);
		}
	}
	want = slurp(data(name));
	CHECK(want != NULL);
	if (want && strcmp(want, got) != 0) {
		CHECK_STR(got, want);
		fprintf(stderr, "  %s differs from the golden (ERLAB_UPDATE_GOLDEN=1 rewrites it)\n", name);
	}
	free(want);
	free(got);
}

static void test_goldens(void)
{
	struct circuit c;

	load("classic.ini", DATAPATH_VLAN, &c);
	for (int f = 0; f < _ROUTER_MAX; f++)
		golden(&c, "classic", f);
	circuit_clear(&c);
	load("dualstack.ini", DATAPATH_VETH, &c);
	for (int f = 0; f < _ROUTER_MAX; f++)
		golden(&c, "dualstack", f);
	circuit_clear(&c);
}

/* The bird flavor is erlab's own customer router config, after a comment of its own. */
static void test_bird_is_erlabs(void)
{
	struct bird_customer_opts co = { 0 };
	char *text = NULL, *own = NULL;
	struct circuit c;

	load("dualstack.ini", DATAPATH_VETH, &c);
	co.adv[ACCESS_PRIVATE] = c.bgp.prefixes;
	co.n_adv[ACCESS_PRIVATE] = c.bgp.n_prefixes;
	CHECK_INT(router_conf(&c, ROUTER_BIRD, 0, &text, NULL), 0);
	CHECK_INT(bird_conf_customer(&c, &co, &own, NULL), 0);
	CHECK(text && own && strlen(text) > strlen(own));
	if (text && own && strlen(text) > strlen(own))
		CHECK_STR(text + strlen(text) - strlen(own), own);
	free(text);
	free(own);
	circuit_clear(&c);
}

/* --peering: only that peering, its AS the router's, its first address the router id. */
static void test_one_peering(void)
{
	char *text = NULL;
	struct circuit c;

	load("dualstack.ini", DATAPATH_VETH, &c);
	CHECK_INT(router_conf(&c, ROUTER_FRR, 1u << ACCESS_MICROSOFT, &text, NULL), 0);
	CHECK(text && strstr(text, "router bgp 4200000100\n bgp router-id 131.107.0.1\n"));
	CHECK(text && !strstr(text, "local-as"));
	CHECK(text && !strstr(text, "10.0.0.2"));
	CHECK(text && !strstr(text, "private_out"));
	CHECK(text && strstr(text, "interface primary.300\n"));
	CHECK(text && !strstr(text, "interface primary.100\n"));
	free(text);
	CHECK_INT(router_conf(&c, ROUTER_JUNOS, 1u << ACCESS_PRIVATE, &text, NULL), 0);
	CHECK(text && strstr(text, "autonomous-system 65010;"));
	CHECK(text && !strstr(text, "group microsoft"));
	free(text);
	circuit_clear(&c);
}

static void test_refusals(void)
{
	struct err e = { 0 };
	char *text = NULL;
	struct circuit c;

	load("dualstack.ini", DATAPATH_VETH, &c);
	CHECK_INT(router_conf(&c, ROUTER_FRR, 1u << ACCESS_PUBLIC, &text, &e), -ENOENT);
	CHECK_STR(e.msg, "The public peering of circuit 'DualStack' was not found.");
	CHECK(text == NULL);
	CHECK_INT(router_conf(&c, _ROUTER_MAX, 0, &text, &e), -EINVAL);
	CHECK_STR(e.msg, "use frr, bird, ios-xe or junos");

	/* A value that would add a line is refused by every flavor, which prints nothing. */
	strcpy(c.peerings[ACCESS_PRIVATE].shared_key, "Key\nneighbor");
	for (int f = 0; f < _ROUTER_MAX; f++) {
		CHECK_INT(router_conf(&c, f, 0, &text, &e), -EINVAL);
		CHECK(text == NULL);
	}
	strcpy(c.peerings[ACCESS_PRIVATE].shared_key, "Lab2Key");
	c.bgp.prefixes[0].addr[3] = 1;           /* 10.10.0.1/16: not a network address */
	CHECK_INT(router_conf(&c, ROUTER_IOS_XE, 0, &text, &e), -EINVAL);
	CHECK(text == NULL);

	c.peering_present[ACCESS_PRIVATE] = c.peering_present[ACCESS_MICROSOFT] = false;
	CHECK_INT(router_conf(&c, ROUTER_FRR, 0, &text, &e), -ENOENT);
	CHECK_STR(e.msg, "circuit 'DualStack' has no peering: there is no BGP session to configure");
	c.peering_present[ACCESS_PRIVATE] = c.peering_present[ACCESS_MICROSOFT] = true;
	circuit_clear(&c);
}

static void test_flavor_names(void)
{
	for (int f = 0; f < _ROUTER_MAX; f++)
		CHECK_INT(router_flavor_from_string(router_flavor_name(f)), f);
	CHECK_INT(router_flavor_from_string("FRR"), _ROUTER_INVALID);
	CHECK_INT(router_flavor_from_string("ios"), _ROUTER_INVALID);
	CHECK_INT(router_flavor_from_string(NULL), _ROUTER_INVALID);
	CHECK(router_flavor_name(_ROUTER_MAX) == NULL);
}

int main(void)
{
	RUN(test_goldens);
	RUN(test_bird_is_erlabs);
	RUN(test_one_peering);
	RUN(test_refusals);
	RUN(test_flavor_names);
	return TEST_DONE();
}
