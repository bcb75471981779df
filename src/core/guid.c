/* SPDX-License-Identifier: MIT */
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/random.h>

#include "core/guid.h"

static int hex_value(char ch)
{
	if (ch >= '0' && ch <= '9')
		return ch - '0';
	if (ch >= 'a' && ch <= 'f')
		return ch - 'a' + 10;
	if (ch >= 'A' && ch <= 'F')
		return ch - 'A' + 10;
	return -1;
}

static void format_bytes(const uint8_t b[16], char ret[GUID_STRLEN])
{
	snprintf(ret, GUID_STRLEN,
		 "%02x%02x%02x%02x-%02x%02x-%02x%02x-%02x%02x-%02x%02x%02x%02x%02x%02x",
		 b[0], b[1], b[2], b[3], b[4], b[5], b[6], b[7],
		 b[8], b[9], b[10], b[11], b[12], b[13], b[14], b[15]);
}

int guid_parse(const char *s, char ret[GUID_STRLEN])
{
	/* Where the dashes sit in the 36-character form. */
	static const unsigned dash_at[] = { 8, 13, 18, 23 };
	char body[37];
	uint8_t bytes[16];
	size_t len;
	unsigned i, nibble = 0, d = 0;

	if (!s)
		return -EINVAL;
	len = strlen(s);
	if (len == 38 && ((s[0] == '{' && s[37] == '}') || (s[0] == '(' && s[37] == ')'))) {
		memcpy(body, s + 1, 36);
		len = 36;
	} else if (len == 36 || len == 32) {
		memcpy(body, s, len);
	} else {
		return -EINVAL;
	}
	body[len] = '\0';

	for (i = 0; i < len; i++) {
		int v;

		if (len == 36 && d < 4 && i == dash_at[d]) {
			if (body[i] != '-')
				return -EINVAL;
			d++;
			continue;
		}
		v = hex_value(body[i]);
		if (v < 0)
			return -EINVAL;
		if (nibble % 2 == 0)
			bytes[nibble / 2] = (uint8_t)(v << 4);
		else
			bytes[nibble / 2] |= (uint8_t)v;
		nibble++;
	}
	if (nibble != 32)
		return -EINVAL;
	if (ret)
		format_bytes(bytes, ret);
	return 0;
}

int guid_generate(char ret[GUID_STRLEN])
{
	uint8_t b[16];
	size_t got = 0;

	while (got < sizeof(b)) {
		ssize_t n = getrandom(b + got, sizeof(b) - got, 0);

		if (n < 0) {
			if (errno == EINTR)
				continue;
			return -errno;
		}
		got += (size_t)n;
	}
	b[6] = (uint8_t)((b[6] & 0x0f) | 0x40);   /* version 4 */
	b[8] = (uint8_t)((b[8] & 0x3f) | 0x80);   /* RFC 4122 variant */
	format_bytes(b, ret);
	return 0;
}
