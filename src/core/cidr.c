/* SPDX-License-Identifier: MIT */
#include <arpa/inet.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/cidr.h"
#include "core/num.h"

static unsigned family_bytes(uint8_t family)
{
	return family == AF_INET ? 4 : family == AF_INET6 ? 16 : 0;
}

/* A corrupt prefixlen (state file, fuzzer) must not walk past addr[]. */
static unsigned clamp_bits(uint8_t family, unsigned bits)
{
	unsigned max = family_bytes(family) * 8;

	return bits > max ? max : bits;
}

/* The first `bits` bits of a and b are equal. */
static bool prefix_match(const uint8_t *a, const uint8_t *b, unsigned bits)
{
	unsigned full = bits / 8, rest = bits % 8;
	uint8_t mask;

	if (memcmp(a, b, full) != 0)
		return false;
	if (rest == 0)
		return true;
	mask = (uint8_t)(0xff << (8 - rest));
	return (a[full] & mask) == (b[full] & mask);
}

/* The family is decided by ':' so a v4 string never falls through to the v6 parser. */
static int parse_address(const char *s, size_t n, struct cidr *ret)
{
	char buf[INET6_ADDRSTRLEN];
	uint8_t family;

	if (n == 0 || n >= sizeof(buf))
		return -EINVAL;
	memcpy(buf, s, n);
	buf[n] = '\0';

	memset(ret, 0, sizeof(*ret));
	family = memchr(buf, ':', n) ? AF_INET6 : AF_INET;
	if (inet_pton(family, buf, ret->addr) != 1)
		return -EINVAL;
	ret->family = family;
	ret->prefixlen = (uint8_t)(family_bytes(family) * 8);
	return 0;
}

int cidr_parse(const char *s, struct cidr *ret)
{
	const char *slash;
	struct cidr c;
	uint32_t len;

	if (!s || !ret)
		return -EINVAL;
	slash = strchr(s, '/');
	if (!slash)
		return -EINVAL;
	if (parse_address(s, (size_t)(slash - s), &c) < 0)
		return -EINVAL;
	/* num_parse_u32 already refuses signs, spaces, leading zeros and a second '/'. */
	if (num_parse_u32(slash + 1, 0, family_bytes(c.family) * 8, &len) < 0)
		return -EINVAL;
	c.prefixlen = (uint8_t)len;
	*ret = c;
	return 0;
}

int cidr_parse_addr(const char *s, struct cidr *ret)
{
	struct cidr c;

	if (!s || !ret || strchr(s, '/'))
		return -EINVAL;
	if (parse_address(s, strlen(s), &c) < 0)
		return -EINVAL;
	*ret = c;
	return 0;
}

const char *cidr_addr_str(const struct cidr *c, char *buf, unsigned len)
{
	if (!buf || len == 0)
		return buf;
	buf[0] = '\0';
	if (!c || !family_bytes(c->family) || !inet_ntop(c->family, c->addr, buf, len))
		buf[0] = '\0';
	return buf;
}

const char *cidr_str(const struct cidr *c, char *buf, unsigned len)
{
	char addr[INET6_ADDRSTRLEN];
	int n;

	if (!buf || len == 0)
		return buf;
	buf[0] = '\0';
	if (!c || !cidr_addr_str(c, addr, sizeof(addr))[0])
		return buf;
	/* A cut string would name a different prefix: give nothing instead. */
	n = snprintf(buf, len, "%s/%u", addr, (unsigned)c->prefixlen);
	if (n < 0 || (unsigned)n >= len)
		buf[0] = '\0';
	return buf;
}

bool cidr_is_network(const struct cidr *c)
{
	unsigned nbytes = family_bytes(c->family), bits = c->prefixlen, i;

	if (!nbytes || bits > nbytes * 8)
		return false;
	for (i = 0; i < nbytes; i++) {
		unsigned keep = bits >= 8 * (i + 1) ? 8 : bits > 8 * i ? bits - 8 * i : 0;
		uint8_t host = (uint8_t)(0xff >> keep);

		if (c->addr[i] & host)
			return false;
	}
	return true;
}

struct cidr cidr_host(const struct cidr *c, uint32_t n)
{
	struct cidr r = *c;
	unsigned nbytes = family_bytes(c->family), i;
	uint64_t carry = n;

	if (!nbytes)
		return r;
	/* Start from the network address so a host address given by mistake cannot shift the result. */
	for (i = 0; i < nbytes; i++) {
		unsigned keep = r.prefixlen >= 8 * (i + 1) ? 8 : r.prefixlen > 8 * i ? r.prefixlen - 8 * i : 0;

		r.addr[i] &= (uint8_t)~(0xff >> keep);
	}
	/* Big-endian add, so the same code serves /30 and /126; a carry off the top wraps. */
	for (i = nbytes; i-- > 0 && carry;) {
		carry += r.addr[i];
		r.addr[i] = (uint8_t)carry;
		carry >>= 8;
	}
	return r;
}

bool cidr_overlap(const struct cidr *a, const struct cidr *b)
{
	unsigned bits;

	if (!family_bytes(a->family) || a->family != b->family)
		return false;
	bits = a->prefixlen < b->prefixlen ? a->prefixlen : b->prefixlen;
	return prefix_match(a->addr, b->addr, clamp_bits(a->family, bits));
}

bool cidr_contains(const struct cidr *outer, const struct cidr *inner)
{
	if (!family_bytes(outer->family) || outer->family != inner->family)
		return false;
	if (outer->prefixlen > inner->prefixlen)
		return false;
	return prefix_match(outer->addr, inner->addr, clamp_bits(outer->family, outer->prefixlen));
}

bool cidr_equal(const struct cidr *a, const struct cidr *b)
{
	return a->family == b->family && a->prefixlen == b->prefixlen &&
	       memcmp(a->addr, b->addr, family_bytes(a->family)) == 0;
}

struct special_range {
	uint8_t family;
	uint8_t prefixlen;
	uint8_t addr[16];
	const char *name;
};

/* IANA special-purpose registries (RFC 6890 and successors); first match names the reason. */
static const struct special_range special_ranges[] = {
	{ AF_INET, 8, { 0 }, "reserved" },                         /* "this network" */
	{ AF_INET, 8, { 10 }, "RFC 1918" },
	{ AF_INET, 10, { 100, 64 }, "CGNAT (RFC 6598)" },
	{ AF_INET, 8, { 127 }, "loopback" },
	{ AF_INET, 16, { 169, 254 }, "link-local" },
	{ AF_INET, 12, { 172, 16 }, "RFC 1918" },
	{ AF_INET, 24, { 192, 0, 0 }, "reserved" },                /* IETF protocol assignments */
	{ AF_INET, 24, { 192, 0, 2 }, "documentation" },
	{ AF_INET, 24, { 192, 88, 99 }, "6to4 relay anycast (RFC 7526)" },
	{ AF_INET, 16, { 192, 168 }, "RFC 1918" },
	{ AF_INET, 15, { 198, 18 }, "reserved" },                  /* benchmarking */
	{ AF_INET, 24, { 198, 51, 100 }, "documentation" },
	{ AF_INET, 24, { 203, 0, 113 }, "documentation" },
	{ AF_INET, 4, { 224 }, "multicast" },
	{ AF_INET, 4, { 240 }, "reserved" },                       /* includes 255.255.255.255 */
	{ AF_INET6, 128, { 0 }, "reserved" },                      /* :: unspecified */
	{ AF_INET6, 128, { [15] = 1 }, "loopback" },
	{ AF_INET6, 10, { 0xfe, 0x80 }, "link-local" },
	{ AF_INET6, 7, { 0xfc }, "unique local (fc00::/7)" },
	{ AF_INET6, 8, { 0xff }, "multicast" },
	{ AF_INET6, 32, { 0x20, 0x01, 0x0d, 0xb8 }, "documentation" },
	/* IANA's special-purpose blocks inside global unicast (docs/rules.md, "Public addresses"). */
	{ AF_INET6, 32, { 0x20, 0x01 }, "Teredo (RFC 4380)" },
	{ AF_INET6, 28, { 0x20, 0x01, 0x00, 0x20 }, "ORCHIDv2 (RFC 7343)" },
	{ AF_INET6, 16, { 0x20, 0x02 }, "6to4 (RFC 3056)" },
	{ AF_INET6, 20, { 0x3f, 0xff }, "documentation (RFC 9637)" },
};

static const struct cidr global_unicast6 = { AF_INET6, 3, { 0x20 } };

const char *cidr_nonpublic_reason(const struct cidr *c)
{
	unsigned i;

	if (!c || !family_bytes(c->family))
		return "not an address";
	/* Overlap, not containment: 0.0.0.0/0 or 8.0.0.0/5 would advertise private space too. */
	for (i = 0; i < sizeof(special_ranges) / sizeof(special_ranges[0]); i++) {
		const struct special_range *r = &special_ranges[i];
		struct cidr range = { .family = r->family, .prefixlen = r->prefixlen };

		memcpy(range.addr, r->addr, sizeof(range.addr));
		if (cidr_overlap(c, &range))
			return r->name;
	}
	if (c->family == AF_INET6 && !cidr_contains(&global_unicast6, c))
		return "not global unicast";
	return NULL;
}

int cidr_parse_list(const char *text, bool network, unsigned max, struct cidr **ret, unsigned *ret_n,
		    struct cidr_list_fail *f)
{
	const char *p = text ? text : "";
	struct cidr *list = NULL;
	unsigned n = 0;

	*ret = NULL;
	*ret_n = 0;
	memset(f, 0, sizeof(*f));
	for (f->item = 1;; f->item++) {
		const char *comma = strchr(p, ','), *end = comma ? comma : p + strlen(p);
		struct cidr c;
		size_t len;

		while (p < end && (*p == ' ' || *p == '\t'))
			p++;
		while (end > p && (end[-1] == ' ' || end[-1] == '\t'))
			end--;
		len = (size_t)(end - p);
		snprintf(f->text, sizeof(f->text), "%.*s", (int)(len < sizeof(f->text) ? len : sizeof(f->text) - 1), p);
		if (len == 0)
			f->why = CIDR_LIST_EMPTY_ITEM;
		else if (n == max)   /* before growing: a list past the limit is refused anyway */
			f->why = CIDR_LIST_TOO_MANY;
		else if (len >= sizeof(f->text) || cidr_parse(f->text, &c) < 0)
			f->why = CIDR_LIST_NOT_PREFIX;
		else if (network && !cidr_is_network(&c))
			f->why = CIDR_LIST_HOST_BITS;
		if (f->why) {
			free(list);
			return -EINVAL;
		}
		if (n % 16 == 0) {
			struct cidr *grown = realloc(list, (n + 16) * sizeof(*list));

			if (!grown) {
				free(list);
				return -ENOMEM;
			}
			list = grown;
		}
		list[n++] = c;
		if (!comma)
			break;
		p = comma + 1;
	}
	memset(f, 0, sizeof(*f));
	*ret = list;
	*ret_n = n;
	return 0;
}
