/* SPDX-License-Identifier: MIT */
#include <stdio.h>

#include "core/join.h"

size_t join_append(char *buf, size_t len, size_t used, const char *sep, const char *item)
{
	int n;

	if (used >= len)
		return len;
	n = snprintf(buf + used, len - used, "%s%s", used ? sep : "", item);
	if (n < 0 || (size_t)n >= len - used)
		return len;
	return used + (size_t)n;
}
