/* SPDX-License-Identifier: MIT */
#include <arpa/inet.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "core/cidr.h"
#include "test.h"

/* Parse or fail the check; returns the prefix for chaining into assertions. */
static struct cidr P(const char *s)
{
	struct cidr c = { 0 };

	if (cidr_parse(s, &c) < 0) {
		test_failed_checks++;
		fprintf(stderr, "cannot parse \"%s\"\n", s);
	}
	return c;
}

static const char *S(const struct cidr *c, char *buf)
{
	return cidr_str(c, buf, CIDR_STRLEN);
}

static void test_parse_v4(void)
{
	struct cidr c;
	char buf[CIDR_STRLEN];

	CHECK_INT(cidr_parse("10.0.0.0/30", &c), 0);
	CHECK_INT(c.family, AF_INET);
	CHECK_INT(c.prefixlen, 30);
	CHECK_INT(c.addr[0], 10);
	CHECK_INT(c.addr[3], 0);
	CHECK_STR(S(&c, buf), "10.0.0.0/30");
	CHECK_INT(cidr_parse("0.0.0.0/0", &c), 0);
	CHECK_INT(c.prefixlen, 0);
	CHECK_INT(cidr_parse("255.255.255.255/32", &c), 0);
	CHECK_STR(S(&c, buf), "255.255.255.255/32");
	/* A host address parses; cidr_is_network decides whether it is acceptable. */
	CHECK_INT(cidr_parse("98.251.199.31/30", &c), 0);
	CHECK_STR(S(&c, buf), "98.251.199.31/30");
}

static void test_parse_v6(void)
{
	struct cidr c;
	char buf[CIDR_STRLEN];

	CHECK_INT(cidr_parse("2001:DB8:0:0::0/126", &c), 0);
	CHECK_INT(c.family, AF_INET6);
	CHECK_INT(c.prefixlen, 126);
	CHECK_STR(S(&c, buf), "2001:db8::/126");
	CHECK_INT(cidr_parse("::/0", &c), 0);
	CHECK_STR(S(&c, buf), "::/0");
	CHECK_INT(cidr_parse("ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff/128", &c), 0);
	CHECK_STR(S(&c, buf), "ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff/128");
	/* IPv4-mapped is just IPv6. */
	CHECK_INT(cidr_parse("::ffff:10.0.0.0/126", &c), 0);
	CHECK_INT(c.family, AF_INET6);
	CHECK_STR(S(&c, buf), "::ffff:10.0.0.0/126");
}

static void test_parse_rejects(void)
{
	static const char *const bad[] = {
		"", "/", "10.0.0.0", "10.0.0.0/", "/30", "10.0.0.0/33", "10.0.0.0/-1", "10.0.0.0/+30",
		"10.0.0.0/030", "10.0.0.0/3 0", "10.0.0.0/30 ", " 10.0.0.0/30", "10.0.0.0 /30",
		"10.0.0.0/ 30", "10.0.0.0/30/30", "10.0.0.0/0x1e", "10.0.0/30", "10.0.0.0.0/30",
		"10.0.0.256/30", "010.0.0.0/30", "10.0.0.0/30x", "10.0.0.0/1e1", "::/129",
		"2001:db8::/126 ", "2001:db8:::/126", "2001:db8::g/126", "fe80::1%eth0/64",
		"1.2.3.4/32\n", "a.b.c.d/30", "::ffff:10.0.0.0/33x",
		"0123456789012345678901234567890123456789012345678901234567890123456789/30",
	};
	unsigned i;

	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		struct cidr c = { .family = 99 };

		if (cidr_parse(bad[i], &c) != -EINVAL) {
			test_failed_checks++;
			fprintf(stderr, "cidr_parse(\"%s\") accepted\n", bad[i]);
		}
		CHECK_INT(c.family, 99);
	}
	CHECK_INT(cidr_parse(NULL, NULL), -EINVAL);
}

static void test_parse_addr(void)
{
	struct cidr c;
	char buf[CIDR_STRLEN];

	CHECK_INT(cidr_parse_addr("192.0.2.1", &c), 0);
	CHECK_INT(c.family, AF_INET);
	CHECK_INT(c.prefixlen, 32);
	CHECK_STR(cidr_addr_str(&c, buf, sizeof(buf)), "192.0.2.1");
	CHECK_INT(cidr_parse_addr("2001:db8::1", &c), 0);
	CHECK_INT(c.prefixlen, 128);
	CHECK_STR(cidr_addr_str(&c, buf, sizeof(buf)), "2001:db8::1");
	CHECK_INT(cidr_parse_addr("192.0.2.1/32", &c), -EINVAL);
	CHECK_INT(cidr_parse_addr("", &c), -EINVAL);
	CHECK_INT(cidr_parse_addr(" 192.0.2.1", &c), -EINVAL);
	CHECK_INT(cidr_parse_addr("192.0.2.1 ", &c), -EINVAL);
	CHECK_INT(cidr_parse_addr("192.0.2", &c), -EINVAL);
	CHECK_INT(cidr_parse_addr("host.example", &c), -EINVAL);
}

static void test_str_edges(void)
{
	struct cidr unset = { 0 };
	struct cidr c = P("10.0.0.0/30");
	char buf[CIDR_STRLEN], small[6];

	CHECK_STR(cidr_str(&unset, buf, sizeof(buf)), "");
	CHECK_STR(cidr_addr_str(&unset, buf, sizeof(buf)), "");
	/* A cut address would be a different address: nothing rather than "10.0.". */
	CHECK_STR(cidr_str(&c, small, sizeof(small)), "");
	CHECK_STR(cidr_addr_str(&c, small, sizeof(small)), "");
}

static void test_is_network(void)
{
	struct cidr c;

	c = P("10.0.0.0/30");
	CHECK(cidr_is_network(&c));
	c = P("10.0.0.4/30");
	CHECK(cidr_is_network(&c));
	c = P("10.0.0.2/30");
	CHECK(!cidr_is_network(&c));
	c = P("98.251.199.31/30");
	CHECK(!cidr_is_network(&c));
	c = P("10.0.0.1/32");
	CHECK(cidr_is_network(&c));
	c = P("0.0.0.0/0");
	CHECK(cidr_is_network(&c));
	c = P("128.0.0.0/0");
	CHECK(!cidr_is_network(&c));
	c = P("10.1.0.0/15");
	CHECK(!cidr_is_network(&c));
	c = P("2001:db8::/126");
	CHECK(cidr_is_network(&c));
	c = P("2001:db8::4/126");
	CHECK(cidr_is_network(&c));
	c = P("2001:db8::1/126");
	CHECK(!cidr_is_network(&c));
	c = P("2001:db8::/31");
	CHECK(cidr_is_network(&c));
	c = P("2001:db9::/31");
	CHECK(!cidr_is_network(&c));
}

static void test_host_v4(void)
{
	struct cidr net = P("10.0.0.0/30"), h;
	char buf[CIDR_STRLEN];

	h = cidr_host(&net, 1);
	CHECK_STR(S(&h, buf), "10.0.0.1/30");
	h = cidr_host(&net, 2);
	CHECK_STR(S(&h, buf), "10.0.0.2/30");
	net = P("10.0.0.4/30");
	h = cidr_host(&net, 1);
	CHECK_STR(S(&h, buf), "10.0.0.5/30");
	h = cidr_host(&net, 2);
	CHECK_STR(S(&h, buf), "10.0.0.6/30");
	/* Carry across octets. */
	net = P("10.0.0.252/30");
	h = cidr_host(&net, 4);
	CHECK_STR(S(&h, buf), "10.0.1.0/30");
	net = P("10.255.255.0/24");
	h = cidr_host(&net, 256);
	CHECK_STR(S(&h, buf), "11.0.0.0/24");
	/* VNet first VM address. */
	net = P("10.1.0.0/16");
	h = cidr_host(&net, 4);
	CHECK_STR(S(&h, buf), "10.1.0.4/16");
	/* Starts from the network address even when given a host address. */
	net = P("10.0.0.6/30");
	h = cidr_host(&net, 1);
	CHECK_STR(S(&h, buf), "10.0.0.5/30");
	/* Wraps at the top instead of writing outside the address. */
	net = P("255.255.255.255/32");
	h = cidr_host(&net, 1);
	CHECK_STR(S(&h, buf), "0.0.0.0/32");
}

static void test_host_v6(void)
{
	struct cidr net = P("2001:db8::/126"), h;
	char buf[CIDR_STRLEN];

	h = cidr_host(&net, 1);
	CHECK_STR(S(&h, buf), "2001:db8::1/126");
	h = cidr_host(&net, 2);
	CHECK_STR(S(&h, buf), "2001:db8::2/126");
	net = P("2001:db8::4/126");
	h = cidr_host(&net, 1);
	CHECK_STR(S(&h, buf), "2001:db8::5/126");
	h = cidr_host(&net, 2);
	CHECK_STR(S(&h, buf), "2001:db8::6/126");
	net = P("::/126");
	h = cidr_host(&net, 1);
	CHECK_STR(S(&h, buf), "::1/126");
	h = cidr_host(&net, 2);
	CHECK_STR(S(&h, buf), "::2/126");
	net = P("2001:db8::ffff:fffc/126");
	h = cidr_host(&net, 4);
	CHECK_STR(S(&h, buf), "2001:db8::1:0:0/126");
	net = P("2001:db8::/64");
	h = cidr_host(&net, 0xffffffffu);
	CHECK_STR(S(&h, buf), "2001:db8::ffff:ffff/64");
	h = cidr_host(&net, 0);
	CHECK_STR(S(&h, buf), "2001:db8::/64");
}

static void test_overlap(void)
{
	struct cidr a = P("10.0.0.0/30"), b = P("10.0.0.4/30"), c = P("10.0.0.0/29");
	struct cidr d = P("10.0.0.3/32"), e = P("0.0.0.0/0"), f = P("::/0"), g = P("2001:db8::/126");
	struct cidr h = P("2001:db8::4/126"), i = P("2001:db8::/125"), unset = { 0 };

	CHECK(!cidr_overlap(&a, &b));
	CHECK(!cidr_overlap(&b, &a));
	CHECK(cidr_overlap(&a, &c));
	CHECK(cidr_overlap(&c, &a));
	CHECK(cidr_overlap(&b, &c));
	CHECK(cidr_overlap(&a, &a));
	CHECK(cidr_overlap(&a, &d));
	CHECK(!cidr_overlap(&b, &d));
	CHECK(cidr_overlap(&e, &b));
	/* Different families never overlap. */
	CHECK(!cidr_overlap(&e, &f));
	CHECK(!cidr_overlap(&f, &e));
	CHECK(cidr_overlap(&f, &g));
	CHECK(!cidr_overlap(&g, &h));
	CHECK(cidr_overlap(&g, &i));
	CHECK(cidr_overlap(&h, &i));
	CHECK(!cidr_overlap(&unset, &unset));
	/* A partial-byte boundary: 10.0.0.0/12 is 10.0-10.15. */
	struct cidr j = P("10.0.0.0/12"), k = P("10.16.0.0/12"), l = P("10.15.255.252/30");
	CHECK(!cidr_overlap(&j, &k));
	CHECK(cidr_overlap(&j, &l));
	CHECK(!cidr_overlap(&k, &l));
}

static void test_contains(void)
{
	struct cidr a = P("10.0.0.0/30"), c = P("10.0.0.0/29"), b = P("10.0.0.4/30");
	struct cidr e = P("0.0.0.0/0"), f = P("::/0"), g = P("2001:db8::/126"), unset = { 0 };

	CHECK(cidr_contains(&c, &a));
	CHECK(cidr_contains(&c, &b));
	CHECK(!cidr_contains(&a, &c));
	CHECK(cidr_contains(&a, &a));
	CHECK(!cidr_contains(&a, &b));
	CHECK(cidr_contains(&e, &a));
	CHECK(!cidr_contains(&e, &g));
	CHECK(cidr_contains(&f, &g));
	CHECK(!cidr_contains(&g, &f));
	CHECK(!cidr_contains(&unset, &unset));
	struct cidr j = P("10.0.0.0/12"), l = P("10.15.255.252/30"), m = P("10.16.0.0/30");
	CHECK(cidr_contains(&j, &l));
	CHECK(!cidr_contains(&j, &m));
}

static void test_corrupt_prefixlen(void)
{
	/* A prefixlen beyond the family (bad state file) is read as the full width. */
	struct cidr a = P("10.0.0.0/30"), b = P("10.0.0.0/30");

	a.prefixlen = 40;
	b.prefixlen = 200;
	a.addr[4] = 1;   /* bytes past an IPv4 address are not part of it */
	CHECK(cidr_overlap(&a, &b));
	CHECK(cidr_contains(&a, &b));
	CHECK(!cidr_is_network(&a));
}

static void test_equal(void)
{
	struct cidr a = P("10.0.0.0/30"), a2 = P("10.0.0.0/30"), b = P("10.0.0.0/29");
	struct cidr c = P("10.0.0.4/30"), d = P("::a00:0/30"), e = P("2001:DB8::/126");
	struct cidr e2 = P("2001:db8:0::/126");

	CHECK(cidr_equal(&a, &a2));
	CHECK(!cidr_equal(&a, &b));
	CHECK(!cidr_equal(&a, &c));
	CHECK(!cidr_equal(&a, &d));
	CHECK(cidr_equal(&e, &e2));
}

/* reason for the prefix text, or NULL */
static const char *R(const char *s)
{
	struct cidr c = P(s);

	return cidr_nonpublic_reason(&c);
}

#define PUBLIC(s) do { const char *_r = R(s); if (_r) { test_failed_checks++; \
	fprintf(stderr, "%s:%d: %s reported non-public: %s\n", __FILE__, __LINE__, s, _r); } } while (0)

static void test_nonpublic_v4(void)
{
	/* inside, overlapping (wider prefix), and just outside each range */
	CHECK_STR(R("10.0.0.0/30"), "RFC 1918");
	CHECK_STR(R("10.255.255.252/30"), "RFC 1918");
	CHECK_STR(R("8.0.0.0/6"), "RFC 1918");
	PUBLIC("9.255.255.252/30");
	PUBLIC("11.0.0.0/30");
	CHECK_STR(R("172.16.0.0/30"), "RFC 1918");
	CHECK_STR(R("172.31.255.252/30"), "RFC 1918");
	CHECK_STR(R("172.0.0.0/8"), "RFC 1918");
	PUBLIC("172.15.255.252/30");
	PUBLIC("172.32.0.0/30");
	CHECK_STR(R("192.168.0.0/30"), "RFC 1918");
	CHECK_STR(R("192.168.255.252/30"), "RFC 1918");
	PUBLIC("192.167.255.252/30");
	PUBLIC("192.169.0.0/30");
	CHECK_STR(R("100.64.0.0/30"), "CGNAT (RFC 6598)");
	CHECK_STR(R("100.127.255.252/30"), "CGNAT (RFC 6598)");
	CHECK_STR(R("100.0.0.0/8"), "CGNAT (RFC 6598)");
	PUBLIC("100.63.255.252/30");
	PUBLIC("100.128.0.0/30");
	CHECK_STR(R("127.0.0.0/30"), "loopback");
	CHECK_STR(R("127.255.255.252/30"), "loopback");
	PUBLIC("126.255.255.252/30");
	PUBLIC("128.0.0.0/30");
	CHECK_STR(R("169.254.0.0/30"), "link-local");
	CHECK_STR(R("169.0.0.0/8"), "link-local");
	PUBLIC("169.253.255.252/30");
	PUBLIC("169.255.0.0/30");
	CHECK_STR(R("192.0.2.0/30"), "documentation");
	CHECK_STR(R("198.51.100.4/30"), "documentation");
	CHECK_STR(R("203.0.113.252/30"), "documentation");
	PUBLIC("192.0.3.0/30");
	PUBLIC("198.51.101.0/30");
	PUBLIC("203.0.112.252/30");
	PUBLIC("203.0.114.0/30");
	CHECK_STR(R("224.0.0.0/30"), "multicast");
	CHECK_STR(R("239.255.255.252/30"), "multicast");
	PUBLIC("223.255.255.252/30");
	CHECK_STR(R("240.0.0.0/30"), "reserved");
	CHECK_STR(R("255.255.255.255/32"), "reserved");
	CHECK_STR(R("255.255.255.252/30"), "reserved");
	CHECK_STR(R("0.0.0.0/30"), "reserved");
	CHECK_STR(R("0.255.255.252/30"), "reserved");
	PUBLIC("1.0.0.0/30");
	CHECK_STR(R("192.0.0.0/30"), "reserved");
	PUBLIC("191.255.255.252/30");
	CHECK_STR(R("198.18.0.0/30"), "reserved");
	CHECK_STR(R("198.19.255.252/30"), "reserved");
	PUBLIC("198.17.255.252/30");
	PUBLIC("198.20.0.0/30");
	/* The default route overlaps everything. */
	CHECK(R("0.0.0.0/0") != NULL);
	CHECK(R("128.0.0.0/1") != NULL);
	/* The how-to's examples. */
	PUBLIC("131.107.0.0/30");
	PUBLIC("131.107.0.4/30");
	PUBLIC("123.0.0.0/30");
	PUBLIC("98.251.199.28/30");
	PUBLIC("8.8.8.0/24");
}

static void test_nonpublic_v6(void)
{
	struct cidr unset = { 0 };

	CHECK_STR(R("::/128"), "reserved");
	CHECK_STR(R("::1/128"), "loopback");
	CHECK_STR(R("fe80::/126"), "link-local");
	CHECK_STR(R("febf:ffff:ffff:ffff:ffff:ffff:ffff:fffc/126"), "link-local");
	CHECK_STR(R("fc00::/126"), "unique local (fc00::/7)");
	CHECK_STR(R("fd12:3456::/126"), "unique local (fc00::/7)");
	CHECK_STR(R("ff02::/126"), "multicast");
	CHECK_STR(R("2001:db8::/126"), "documentation");
	CHECK_STR(R("2001:db8:ffff:ffff:ffff:ffff:ffff:fffc/126"), "documentation");
	CHECK_STR(R("2001:d00::/24"), "documentation");
	PUBLIC("2001:db7:ffff:ffff:ffff:ffff:ffff:fffc/126");
	PUBLIC("2001:db9::/126");
	PUBLIC("2a01:111:f100::/126");
	/* 2000::/3 itself overlaps 2001:db8::/32. */
	CHECK_STR(R("2000::/3"), "documentation");
	PUBLIC("2000::/16");
	PUBLIC("3fff:ffff::/126");
	/* IANA special-purpose blocks inside 2000::/3, and 6to4's IPv4 relay. */
	CHECK_STR(R("3fff::/126"), "documentation (RFC 9637)");
	CHECK_STR(R("3fff:fff::/32"), "documentation (RFC 9637)");
	PUBLIC("3fff:1000::/126");
	CHECK_STR(R("2001::/126"), "Teredo (RFC 4380)");
	CHECK_STR(R("2001:0:ffff::/48"), "Teredo (RFC 4380)");
	PUBLIC("2001:1::/126");
	CHECK_STR(R("2001:20::/126"), "ORCHIDv2 (RFC 7343)");
	CHECK_STR(R("2001:2f::/32"), "ORCHIDv2 (RFC 7343)");
	PUBLIC("2001:30::/126");
	CHECK_STR(R("2002::/126"), "6to4 (RFC 3056)");
	CHECK_STR(R("2002:ffff::/32"), "6to4 (RFC 3056)");
	PUBLIC("2003::/126");
	CHECK_STR(R("192.88.99.0/30"), "6to4 relay anycast (RFC 7526)");
	PUBLIC("192.88.98.0/30");
	CHECK_STR(R("4000::/126"), "not global unicast");
	CHECK_STR(R("1fff:ffff:ffff:ffff:ffff:ffff:ffff:fffc/126"), "not global unicast");
	CHECK_STR(R("::ffff:131.107.0.0/126"), "not global unicast");
	CHECK_STR(R("4000::/2"), "not global unicast");
	CHECK_STR(R("2000::/2"), "reserved");
	CHECK(R("::/0") != NULL);
	CHECK_STR(cidr_nonpublic_reason(&unset), "not an address");
}

/* The comma list every prefix-list input goes through: trimmed items, the failing item and why. */
static void test_parse_list(void)
{
	struct cidr_list_fail f;
	struct cidr *v = NULL;
	char buf[CIDR_STRLEN], long_item[200];
	unsigned n = 9;

	CHECK_INT(cidr_parse_list(" 10.1.0.0/16 ,\tfd00::/48", true, 10, &v, &n, &f), 0);
	CHECK_INT(n, 2);
	if (n == 2) {
		CHECK_STR(cidr_str(&v[0], buf, sizeof(buf)), "10.1.0.0/16");
		CHECK_STR(cidr_str(&v[1], buf, sizeof(buf)), "fd00::/48");
	}
	free(v);
	CHECK_INT(cidr_parse_list("10.1.0.0/16,,10.2.0.0/16", true, 10, &v, &n, &f), -EINVAL);
	CHECK(v == NULL && n == 0);
	CHECK_INT(f.why, CIDR_LIST_EMPTY_ITEM);
	CHECK_INT(f.item, 2);
	CHECK_INT(cidr_parse_list("", false, 10, &v, &n, &f), -EINVAL);
	CHECK_INT(f.why, CIDR_LIST_EMPTY_ITEM);
	CHECK_INT(cidr_parse_list("10.1.0.0/16, 10.2.0.1/16", true, 10, &v, &n, &f), -EINVAL);
	CHECK_INT(f.why, CIDR_LIST_HOST_BITS);
	CHECK_INT(f.item, 2);
	CHECK_STR(f.text, "10.2.0.1/16");
	CHECK_INT(cidr_parse_list("10.1.0.0/16, 10.2.0.1/16", false, 10, &v, &n, &f), 0);   /* host bits allowed */
	CHECK_INT(n, 2);
	free(v);
	CHECK_INT(cidr_parse_list("10.1.0.0/16,nonsense", true, 10, &v, &n, &f), -EINVAL);
	CHECK_INT(f.why, CIDR_LIST_NOT_PREFIX);
	CHECK_STR(f.text, "nonsense");
	CHECK_INT(cidr_parse_list("10.1.0.0/16,10.2.0.0/16,10.3.0.0/16", true, 2, &v, &n, &f), -EINVAL);
	CHECK_INT(f.why, CIDR_LIST_TOO_MANY);
	CHECK_INT(f.item, 3);
	/* An item longer than the text kept of it is never parsed from its cut copy. */
	memset(long_item, ' ', sizeof(long_item));
	memcpy(long_item + 1, "10.1.0.0/16", 11);
	memcpy(long_item + 150, "x", 2);
	CHECK_INT(cidr_parse_list(long_item, false, 10, &v, &n, &f), -EINVAL);
	CHECK_INT(f.why, CIDR_LIST_NOT_PREFIX);
}

int main(void)
{
	RUN(test_parse_v4);
	RUN(test_parse_v6);
	RUN(test_parse_rejects);
	RUN(test_parse_addr);
	RUN(test_parse_list);
	RUN(test_str_edges);
	RUN(test_is_network);
	RUN(test_host_v4);
	RUN(test_host_v6);
	RUN(test_overlap);
	RUN(test_contains);
	RUN(test_corrupt_prefixlen);
	RUN(test_equal);
	RUN(test_nonpublic_v4);
	RUN(test_nonpublic_v6);
	return TEST_DONE();
}
