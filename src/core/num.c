/* SPDX-License-Identifier: MIT */
#include <errno.h>
#include <strings.h>

#include "core/num.h"

int num_parse_u32(const char *s, uint32_t min, uint32_t max, uint32_t *ret)
{
	uint64_t v = 0;
	const char *p;

	if (!s || !*s)
		return -EINVAL;
	/* "010" is octal to strtol base 0 and decimal to a human: refuse to guess. */
	if (s[0] == '0' && s[1] != '\0')
		return -EINVAL;
	for (p = s; *p; p++) {
		if (*p < '0' || *p > '9')
			return -EINVAL;
		/* Keep scanning after overflow so "99999999999x" is still "not a number". */
		if (v <= UINT32_MAX)
			v = v * 10 + (uint64_t)(*p - '0');
	}
	if (v > UINT32_MAX || v < min || v > max)
		return -ERANGE;
	if (ret)
		*ret = (uint32_t)v;
	return 0;
}

int num_parse_bool(const char *s, bool *ret)
{
	static const char *const yes[] = { "yes", "true", "1", "on" };
	static const char *const no[] = { "no", "false", "0", "off" };
	unsigned i;

	if (!s)
		return -EINVAL;
	for (i = 0; i < sizeof(yes) / sizeof(yes[0]); i++) {
		if (strcasecmp(s, yes[i]) == 0) {
			if (ret)
				*ret = true;
			return 0;
		}
		if (strcasecmp(s, no[i]) == 0) {
			if (ret)
				*ret = false;
			return 0;
		}
	}
	return -EINVAL;
}
