/* SPDX-License-Identifier: MIT */
#include <errno.h>
#include <stdint.h>

#include "core/shard.h"

static int parse_part(const char **s, unsigned *ret)
{
	const char *p = *s;
	unsigned v = 0;

	if (*p < '1' || *p > '9')
		return -EINVAL;
	for (; *p >= '0' && *p <= '9'; p++) {
		v = v * 10 + (unsigned)(*p - '0');
		if (v > SHARD_MAX)
			return -EINVAL;
	}
	*s = p;
	*ret = v;
	return 0;
}

int shard_parse(const char *s, unsigned *ret_k, unsigned *ret_n)
{
	unsigned k, n;

	if (!s || parse_part(&s, &k) < 0 || *s++ != '/' || parse_part(&s, &n) < 0 || *s || k > n)
		return -EINVAL;
	*ret_k = k;
	*ret_n = n;
	return 0;
}

unsigned shard_of(const char *name, unsigned n)
{
	uint32_t h = 2166136261u;

	for (const char *p = name; *p; p++) {
		unsigned char c = (unsigned char)*p;

		h ^= c >= 'A' && c <= 'Z' ? c - 'A' + 'a' : c;
		h *= 16777619u;
	}
	return n ? h % n + 1 : 1;
}
