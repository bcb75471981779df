/* SPDX-License-Identifier: MIT */
#include <errno.h>
#include <string.h>

#include "core/names.h"
#include "test.h"

#define KEY "0b5b6c4e-56a8-4a4e-9b33-0d3b7a1c2f10"

static void circuit_named(struct circuit *c, const char *name)
{
	circuit_init(c);
	strcpy(c->name, name);
	strcpy(c->service_key, KEY);
}

static void test_ns(void)
{
	struct circuit c;
	struct vnet v = { .name = "hub" };
	char buf[NS_NAME_MAX];

	circuit_named(&c, "MyTestCircuit");
	CHECK_STR(names_ns(&c, NS_CUSTOMER, buf), "MyTestCircuit-customer");
	CHECK_STR(names_ns(&c, NS_MICROSOFT, buf), "MyTestCircuit-microsoft");
	CHECK_STR(names_vnet_ns(&c, &v, buf), "MyTestCircuit-hub");

	/* The longest names still fit. */
	memset(c.name, 'x', CIRCUIT_NAME_MAX);
	c.name[CIRCUIT_NAME_MAX] = '\0';
	CHECK_INT(strlen(names_ns(&c, NS_MICROSOFT, buf)), CIRCUIT_NAME_MAX + strlen("-microsoft"));
	strcpy(v.name, "abcdefghijkl");
	CHECK_INT(strlen(names_vnet_ns(&c, &v, buf)), CIRCUIT_NAME_MAX + 1 + VNET_NAME_MAX);
}

static void test_links(void)
{
	char buf[IFNAMSIZ];

	CHECK_STR(names_trunk(LINK_PRIMARY), "primary");
	CHECK_STR(names_trunk(LINK_SECONDARY), "secondary");
	CHECK_STR(names_plink(LINK_PRIMARY, 100, buf), "primary.100");
	CHECK_STR(names_plink(LINK_SECONDARY, 300, buf), "secondary.300");
	CHECK_STR(names_plink(LINK_SECONDARY, 4094, buf), "secondary.4094");
	CHECK_STR(names_plink(LINK_PRIMARY, 1, buf), "primary.1");
}

static void test_azure_port(void)
{
	struct circuit c;
	char buf[160], small[12];

	circuit_named(&c, "MyTestCircuit");
	CHECK_STR(names_azure_port(&c, LINK_PRIMARY, 100, buf, sizeof(buf)), "MyTestCircuit-microsoft/primary.100");
	CHECK_STR(names_azure_port(&c, LINK_SECONDARY, 100, buf, sizeof(buf)), "MyTestCircuit-microsoft/secondary.100");
	CHECK_STR(names_azure_port(&c, LINK_PRIMARY, 100, small, sizeof(small)), "MyTestCircu");
}

static void test_mark(void)
{
	char buf[MARK_MAX], key[GUID_STRLEN];
	const char *role = NULL;

	CHECK_STR(names_mark(KEY, "ns:customer", buf), "erlab:" KEY ":ns:customer");
	CHECK_INT(names_mark_parse(buf, key, &role), 0);
	CHECK_STR(key, KEY);
	CHECK_STR(role, "ns:customer");

	names_mark(KEY, "peering:private:primary", buf);
	role = NULL;
	CHECK_INT(names_mark_parse(buf, key, &role), 0);
	CHECK_STR(role, "peering:private:primary");
	CHECK(role == buf + strlen("erlab:" KEY ":"));
	CHECK_INT(names_mark_parse(buf, NULL, NULL), 0);
}

static void test_mark_rejects(void)
{
	static const char *const bad[] = {
		"",
		"erlab:",
		"erlab:" KEY,
		"erlab:" KEY ":",
		"erlab:" KEY "x:trunk:primary",
		"Erlab:" KEY ":trunk:primary",
		"erlab:0B5B6C4E-56A8-4A4E-9B33-0D3B7A1C2F10:trunk:primary",    /* not canonical */
		"erlab:{0b5b6c4e-56a8-4a4e-9b33-0d3b7a1c2f10}:trunk:primary",
		"erlab:0b5b6c4e56a84a4e9b330d3b7a1c2f10:trunk:primary",
		"erlab:0b5b6c4e-56a8-4a4e-9b33-0d3b7a1c2f1:trunk:primary",
		"erlab:zb5b6c4e-56a8-4a4e-9b33-0d3b7a1c2f10:trunk:primary",
		"erlab::trunk:primary",
		"xerlab:" KEY ":trunk:primary",
		"some other alias",
		"erlab",
	};
	unsigned i;

	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		char key[GUID_STRLEN] = "untouched";
		const char *role = "untouched";

		if (names_mark_parse(bad[i], key, &role) != -EINVAL) {
			test_failed_checks++;
			fprintf(stderr, "names_mark_parse(\"%s\") accepted\n", bad[i]);
		}
		CHECK_STR(key, "untouched");
		CHECK_STR(role, "untouched");
	}
	CHECK_INT(names_mark_parse(NULL, NULL, NULL), -EINVAL);
}

static void test_check_circuit(void)
{
	char name[CIRCUIT_NAME_MAX + 2];

	CHECK_INT(names_check_circuit("MyTestCircuit"), 0);
	CHECK_INT(names_check_circuit("a"), 0);
	CHECK_INT(names_check_circuit("er1.lab_2-x"), 0);
	CHECK_INT(names_check_circuit("9"), 0);
	CHECK_INT(names_check_circuit("a."), 0);
	CHECK_INT(names_check_circuit("a..b"), 0);
	CHECK_INT(names_check_circuit("_x"), 0);
	memset(name, 'a', CIRCUIT_NAME_MAX);
	name[CIRCUIT_NAME_MAX] = '\0';
	CHECK_INT(names_check_circuit(name), 0);
	name[CIRCUIT_NAME_MAX] = 'a';
	name[CIRCUIT_NAME_MAX + 1] = '\0';
	CHECK_INT(names_check_circuit(name), -EINVAL);

	CHECK_INT(names_check_circuit(""), -EINVAL);
	CHECK_INT(names_check_circuit("."), -EINVAL);
	CHECK_INT(names_check_circuit(".."), -EINVAL);
	CHECK_INT(names_check_circuit(".hidden"), -EINVAL);
	CHECK_INT(names_check_circuit("-x"), -EINVAL);
	CHECK_INT(names_check_circuit("--all"), -EINVAL);
	CHECK_INT(names_check_circuit("a/b"), -EINVAL);
	CHECK_INT(names_check_circuit("../etc"), -EINVAL);
	CHECK_INT(names_check_circuit("a b"), -EINVAL);
	CHECK_INT(names_check_circuit("a\tb"), -EINVAL);
	CHECK_INT(names_check_circuit("a\nb"), -EINVAL);
	CHECK_INT(names_check_circuit("a:b"), -EINVAL);
	CHECK_INT(names_check_circuit("a;b"), -EINVAL);
	CHECK_INT(names_check_circuit("a\"b"), -EINVAL);
	CHECK_INT(names_check_circuit("caf\xc3\xa9"), -EINVAL);
	CHECK_INT(names_check_circuit(NULL), -EINVAL);
}

static void test_check_vnet(void)
{
	CHECK_INT(names_check_vnet("hub"), 0);
	CHECK_INT(names_check_vnet("a"), 0);
	CHECK_INT(names_check_vnet("abcdefghijkl"), 0);
	CHECK_INT(names_check_vnet("spoke_1-b"), 0);
	CHECK_INT(names_check_vnet("_x"), 0);
	CHECK_INT(names_check_vnet("abcdefghijklm"), -EINVAL);
	CHECK_INT(names_check_vnet(""), -EINVAL);
	CHECK_INT(names_check_vnet("-x"), -EINVAL);
	CHECK_INT(names_check_vnet("a.b"), -EINVAL);
	CHECK_INT(names_check_vnet("."), -EINVAL);
	CHECK_INT(names_check_vnet(".."), -EINVAL);
	CHECK_INT(names_check_vnet("a/b"), -EINVAL);
	CHECK_INT(names_check_vnet("a b"), -EINVAL);
	CHECK_INT(names_check_vnet(NULL), -EINVAL);
}

static void test_lab_names(void)
{
	char n[LAB_NAME_MAX + 1];

	CHECK_INT(names_lab_of_path("/x/labs/classic.ini", n), 0);
	CHECK_STR(n, "classic");
	CHECK_INT(names_lab_of_path("bgp.failover.ini", n), 0);
	CHECK_STR(n, "bgp.failover");
	CHECK_INT(names_lab_of_path("/x/lab", n), 0);
	CHECK_STR(n, "lab");
	CHECK_INT(names_lab_of_path("/x/.ini", n), -EINVAL);
	CHECK_INT(names_lab_of_path("/x/-a.ini", n), -EINVAL);
	CHECK_INT(names_lab_of_path("/x/a b.ini", n), -EINVAL);
	CHECK_INT(names_check_lab("a"), 0);
	CHECK_INT(names_check_lab(".a"), -EINVAL);
	CHECK_INT(names_check_lab(""), -EINVAL);
	memset(n, 'a', LAB_NAME_MAX);
	n[LAB_NAME_MAX] = '\0';
	CHECK_INT(names_check_lab(n), 0);
	CHECK_INT(names_lab_of_path("/x/aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa.ini", n), -EINVAL);
}

int main(void)
{
	RUN(test_lab_names);
	RUN(test_ns);
	RUN(test_links);
	RUN(test_azure_port);
	RUN(test_mark);
	RUN(test_mark_rejects);
	RUN(test_check_circuit);
	RUN(test_check_vnet);
	return TEST_DONE();
}
