/* SPDX-License-Identifier: MIT */
/*
 * libFuzzer harness for the strict parsers: cidr_parse, cidr_parse_addr, num_parse_u32,
 * num_parse_bool, guid_parse, validate_peer_subnet, validate_prefix_list.
 * Beyond "no crash": what is accepted must print back to something that parses to the same
 * value (round trip), and accepted numbers must be digits only, in range (docs/rules.md "numbers are
 * parsed strictly").
 */
#include <ctype.h>
#include <errno.h>

#include "core/cidr.h"
#include "core/guid.h"
#include "core/num.h"
#include "core/validate.h"
#include "fuzz_common.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void check_cidr(const char *s, bool with_len)
{
	struct cidr c, back;
	char buf[CIDR_STRLEN], abuf[CIDR_STRLEN];
	int r;

	memset(&c, 0xa5, sizeof(c));
	r = with_len ? cidr_parse(s, &c) : cidr_parse_addr(s, &c);
	if (r != 0 && r != -EINVAL)
		abort();
	if (r != 0)
		return;
	if (c.family != AF_INET && c.family != AF_INET6)
		abort();
	if (c.prefixlen > (c.family == AF_INET ? 32 : 128))
		abort();
	if (!with_len && c.prefixlen != (c.family == AF_INET ? 32 : 128))
		abort();
	cidr_str(&c, buf, sizeof(buf));
	cidr_addr_str(&c, abuf, sizeof(abuf));
	memset(&back, 0, sizeof(back));
	if (cidr_parse(buf, &back) != 0 || !cidr_equal(&c, &back))
		abort();   /* printed form does not read back */
	(void)cidr_is_network(&c);
	(void)cidr_nonpublic_reason(&c);
	(void)cidr_host(&c, 1);
	(void)cidr_host(&c, UINT32_MAX);
	if (!cidr_overlap(&c, &c) || !cidr_contains(&c, &c))
		abort();
}

static void check_u32(const char *s, uint32_t min, uint32_t max)
{
	uint32_t v = 0xdeadbeef;
	int r = num_parse_u32(s, min, max, &v);

	if (r != 0 && r != -EINVAL && r != -ERANGE)
		abort();
	if (r != 0)
		return;
	if (v < min || v > max || s[0] == '\0')
		abort();
	for (const char *p = s; *p; p++)
		if (!isdigit((unsigned char)*p))
			abort();
	if (s[0] == '0' && s[1] != '\0')
		abort();   /* "010" must not be accepted */
	if (strtoull(s, NULL, 10) != v)
		abort();
}

static void check_guid(const char *s)
{
	char g[GUID_STRLEN], back[GUID_STRLEN];

	memset(g, 'x', sizeof(g));
	if (guid_parse(s, g) != 0)
		return;
	if (strlen(g) != 36)
		abort();
	if (guid_parse(g, back) != 0 || strcmp(g, back) != 0)
		abort();
	for (int i = 0; i < 36; i++) {
		bool dash = i == 8 || i == 13 || i == 18 || i == 23;

		if (dash ? g[i] != '-' : !(isdigit((unsigned char)g[i]) || (g[i] >= 'a' && g[i] <= 'f')))
			abort();
	}
}

static void check_lists(const char *s)
{
	struct cidr *list = NULL, sub;
	unsigned n = 0;
	struct err e = { 0 };
	int r;

	r = validate_prefix_list(s, "fuzz microsoft peering", "advertised_public_prefixes", &list, &n, &e);
	fuzz_check_err(&e, r);
	if (r == 0 && n > 0 && !list)
		abort();
	free(list);

	memset(&e, 0, sizeof(e));
	r = validate_peer_subnet(s, "fuzz private peering", &sub, &e);
	fuzz_check_err(&e, r);
	if (r == 0 && !cidr_is_network(&sub))
		abort();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	uint32_t a = 0, b = 0;
	bool bv;
	char *s;

	/* The first 8 bytes choose a range for num_parse_u32; all of it is also a plain string. */
	if (size >= 8) {
		memcpy(&a, data, 4);
		memcpy(&b, data + 4, 4);
		s = fuzz_strndup(data + 8, size - 8);
		check_u32(s, a < b ? a : b, a < b ? b : a);
		free(s);
	}
	s = fuzz_strndup(data, size);
	check_cidr(s, true);
	check_cidr(s, false);
	check_u32(s, 0, UINT32_MAX);
	check_u32(s, 1, 4094);
	(void)num_parse_bool(s, &bv);
	check_guid(s);
	check_lists(s);
	free(s);
	return 0;
}
