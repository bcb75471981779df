/* SPDX-License-Identifier: MIT */
#ifndef ERLAB_CIDR_H
#define ERLAB_CIDR_H

#include <stdbool.h>
#include <stdint.h>
#include <sys/socket.h>

/* An IPv4 or IPv6 prefix: address bytes in network order, family AF_INET or AF_INET6. */
struct cidr {
	uint8_t family;      /* AF_INET, AF_INET6; 0 = unset */
	uint8_t prefixlen;
	uint8_t addr[16];    /* first 4 bytes used for AF_INET */
};

#define CIDR_STRLEN 64   /* fits "ffff:...:ffff/128" */

/*
 * Parse "a.b.c.d/len" or "x::y/len". The prefix length is required, decimal, strict.
 * No surrounding whitespace. Returns 0 or -EINVAL.
 */
int cidr_parse(const char *s, struct cidr *ret);
/* Parse a bare address (no "/len"); prefixlen becomes 32 or 128. */
int cidr_parse_addr(const char *s, struct cidr *ret);

/*
 * A comma-separated list of prefixes ("10.1.0.0/16, fd00::/48"): items trimmed of spaces and tabs,
 * each cidr_parse'd, with network set also the network address of its prefix, at most max of
 * them. 0 with a heap array (*ret, *ret_n), -ENOMEM, or -EINVAL with *f saying which item and why.
 */
enum cidr_list_why { CIDR_LIST_EMPTY_ITEM = 1, CIDR_LIST_NOT_PREFIX, CIDR_LIST_HOST_BITS, CIDR_LIST_TOO_MANY };
struct cidr_list_fail {
	enum cidr_list_why why;
	unsigned item;             /* 1-based */
	char text[CIDR_STRLEN + 8];  /* the item, trimmed (cut when longer: then it is NOT_PREFIX) */
};
int cidr_parse_list(const char *text, bool network, unsigned max, struct cidr **ret, unsigned *ret_n,
		    struct cidr_list_fail *f);

/* "10.0.0.0/30" (canonical, IPv6 compressed as inet_ntop does). Returns buf. */
const char *cidr_str(const struct cidr *c, char *buf, unsigned len);
/* Address only, "10.0.0.1". */
const char *cidr_addr_str(const struct cidr *c, char *buf, unsigned len);

/* True when no bit beyond prefixlen is set (the network address of its prefix). */
bool cidr_is_network(const struct cidr *c);
/* The network address plus n (host offset), keeping prefixlen: network+1 = customer, +2 = Microsoft. */
struct cidr cidr_host(const struct cidr *c, uint32_t n);
/* Same family and the two prefixes share any address. */
bool cidr_overlap(const struct cidr *a, const struct cidr *b);
/* inner lies entirely within outer. */
bool cidr_contains(const struct cidr *outer, const struct cidr *inner);
bool cidr_equal(const struct cidr *a, const struct cidr *b);

/*
 * Non-public ranges for Public/Microsoft peering: RFC 1918, loopback, link-local, CGNAT
 * (100.64/10), documentation (192.0.2/24, 198.51.100/24, 203.0.113/24, 2001:db8::/32),
 * multicast, reserved (0/8, 240/4, 255.255.255.255, 192.0.0/24, 198.18/15), IPv6 ULA fc00::/7,
 * link-local fe80::/10, ::/128, ::1, multicast ff00::/8, and anything not in 2000::/3.
 * Returns NULL when c is public, or a short name of the range it falls in ("RFC 1918").
 */
const char *cidr_nonpublic_reason(const struct cidr *c);

#endif
