/* SPDX-License-Identifier: MIT */
#include <string.h>

#include "core/provider.h"
#include "test.h"

static void test_catalogue(void)
{
	static const char *const expected[] = {
		"Equinix", "AT&T NetBond", "Verizon", "Level 3 Communications - Exchange", "Zayo Group",
		"Megaport", "Colt", "British Telecom", "Interxion", "Orange", "NTT Communications",
		"Telstra Corporation",
	};
	static const uint32_t bw[] = { 50, 100, 200, 500, 1000, 2000, 5000, 10000, 0 };
	const struct provider *cat;
	unsigned n = 0, i, j;

	cat = provider_catalogue(&n);
	CHECK(cat != NULL);
	CHECK_INT(n, sizeof(expected) / sizeof(expected[0]));
	for (i = 0; i < n && i < sizeof(expected) / sizeof(expected[0]); i++) {
		CHECK_STR(cat[i].name, expected[i]);
		CHECK(cat[i].locations[0] != NULL);
		for (j = 0; j < sizeof(bw) / sizeof(bw[0]); j++)
			CHECK_INT(cat[i].bandwidths[j], bw[j]);
	}
	CHECK(provider_catalogue(NULL) == cat);
}

static void test_find(void)
{
	const struct provider *p;

	p = provider_find("equinix");
	CHECK(p != NULL);
	CHECK_STR(p ? p->name : NULL, "Equinix");
	CHECK(provider_find("EQUINIX") == p);
	p = provider_find("at&t netbond");
	CHECK_STR(p ? p->name : NULL, "AT&T NetBond");
	p = provider_find("level 3 communications - exchange");
	CHECK_STR(p ? p->name : NULL, "Level 3 Communications - Exchange");
	CHECK(provider_find("Equinix ") == NULL);
	CHECK(provider_find("Equini") == NULL);
	CHECK(provider_find("") == NULL);
	CHECK(provider_find("BVTTestServiceProvider2") == NULL);
	CHECK(provider_find(NULL) == NULL);
}

static void test_location(void)
{
	const struct provider *eq = provider_find("Equinix");
	const struct provider *colt = provider_find("colt");
	static const char *const eq_locations[] = {
		"Silicon Valley", "Washington DC", "Chicago", "Dallas", "Seattle", "New York",
		"Amsterdam", "London", "Frankfurt", "Singapore", "Hong Kong", "Tokyo", "Sydney",
		"Sao Paulo",
	};
	unsigned i;

	for (i = 0; i < sizeof(eq_locations) / sizeof(eq_locations[0]); i++)
		CHECK_STR(provider_location(eq, eq_locations[i]), eq_locations[i]);
	CHECK_STR(provider_location(eq, "silicon valley"), "Silicon Valley");
	CHECK_STR(provider_location(eq, "WASHINGTON DC"), "Washington DC");
	CHECK(provider_location(eq, "location9062") == NULL);
	CHECK(provider_location(eq, "Silicon  Valley") == NULL);
	CHECK(provider_location(eq, "") == NULL);
	CHECK(provider_location(eq, NULL) == NULL);
	CHECK(provider_location(NULL, "London") == NULL);
	CHECK_STR(provider_location(colt, "london"), "London");
	CHECK(provider_location(colt, "Silicon Valley") == NULL);
	CHECK_STR(provider_location(provider_find("AT&T NetBond"), "Silicon Valley"), "Silicon Valley");
	CHECK_STR(provider_location(provider_find("Verizon"), "Washington DC"), "Washington DC");
	CHECK_STR(provider_location(provider_find("Interxion"), "Amsterdam"), "Amsterdam");
}

static void test_bandwidth(void)
{
	const struct provider *eq = provider_find("Equinix");

	CHECK_INT(provider_has_bandwidth(eq, 50), 1);
	CHECK_INT(provider_has_bandwidth(eq, 200), 1);
	CHECK_INT(provider_has_bandwidth(eq, 10000), 1);
	CHECK_INT(provider_has_bandwidth(eq, 999), 0);
	CHECK_INT(provider_has_bandwidth(eq, 10), 0);
	CHECK_INT(provider_has_bandwidth(eq, 0), 0);
	CHECK_INT(provider_has_bandwidth(eq, 40000), 0);
	CHECK_INT(provider_has_bandwidth(NULL, 200), 0);
}

static void test_label(void)
{
	char buf[16], small[4];

	CHECK_STR(bandwidth_label(50, buf, sizeof(buf)), "50Mbps");
	CHECK_STR(bandwidth_label(500, buf, sizeof(buf)), "500Mbps");
	CHECK_STR(bandwidth_label(1000, buf, sizeof(buf)), "1Gbps");
	CHECK_STR(bandwidth_label(2000, buf, sizeof(buf)), "2Gbps");
	CHECK_STR(bandwidth_label(10000, buf, sizeof(buf)), "10Gbps");
	CHECK_STR(bandwidth_label(1500, buf, sizeof(buf)), "1500Mbps");
	CHECK_STR(bandwidth_label(0, buf, sizeof(buf)), "0Mbps");
	CHECK_STR(bandwidth_label(50, small, sizeof(small)), "50M");
}

int main(void)
{
	RUN(test_catalogue);
	RUN(test_find);
	RUN(test_location);
	RUN(test_bandwidth);
	RUN(test_label);
	return TEST_DONE();
}
