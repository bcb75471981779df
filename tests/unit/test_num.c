/* SPDX-License-Identifier: MIT */
#include <errno.h>

#include "core/num.h"
#include "test.h"

static void test_u32_accepts(void)
{
	uint32_t v = 7;

	CHECK_INT(num_parse_u32("0", 0, 10, &v), 0);
	CHECK_INT(v, 0);
	CHECK_INT(num_parse_u32("100", 1, 4094, &v), 0);
	CHECK_INT(v, 100);
	CHECK_INT(num_parse_u32("4294967295", 0, UINT32_MAX, &v), 0);
	CHECK_INT(v, 4294967295u);
	CHECK_INT(num_parse_u32("1", 1, 1, &v), 0);
	CHECK_INT(v, 1);
	CHECK_INT(num_parse_u32("4094", 1, 4094, NULL), 0);
}

static void test_u32_rejects_syntax(void)
{
	static const char *const bad[] = {
		"", "+1", "-1", " 1", "1 ", "0x10", "010", "00", "1e3", "1.0", "12a", "a", "1,000",
		"\t1", "1\n", "0 ", "٣", "--1",
	};
	unsigned i;

	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		uint32_t v = 42;

		CHECK_INT(num_parse_u32(bad[i], 0, UINT32_MAX, &v), -EINVAL);
		CHECK_INT(v, 42);
	}
	CHECK_INT(num_parse_u32(NULL, 0, 10, NULL), -EINVAL);
	/* Junk after an overflowing run is still junk, not a range error. */
	CHECK_INT(num_parse_u32("99999999999x", 0, UINT32_MAX, NULL), -EINVAL);
}

static void test_u32_range(void)
{
	uint32_t v = 42;

	CHECK_INT(num_parse_u32("4294967296", 0, UINT32_MAX, &v), -ERANGE);
	CHECK_INT(num_parse_u32("99999999999999999999999", 0, UINT32_MAX, &v), -ERANGE);
	CHECK_INT(num_parse_u32("0", 1, 4094, &v), -ERANGE);
	CHECK_INT(num_parse_u32("4095", 1, 4094, &v), -ERANGE);
	CHECK_INT(num_parse_u32("33", 0, 32, &v), -ERANGE);
	CHECK_INT(v, 42);
	CHECK_INT(num_parse_u32("32", 0, 32, &v), 0);
	CHECK_INT(v, 32);
}

static void test_bool(void)
{
	static const char *const yes[] = { "yes", "YES", "true", "True", "1", "on", "On" };
	static const char *const no[] = { "no", "No", "false", "FALSE", "0", "off", "OFF" };
	static const char *const bad[] = { "", "y", "n", "2", "yes ", " no", "enabled", "tru" };
	unsigned i;
	bool b;

	for (i = 0; i < sizeof(yes) / sizeof(yes[0]); i++) {
		b = false;
		CHECK_INT(num_parse_bool(yes[i], &b), 0);
		CHECK(b == true);
	}
	for (i = 0; i < sizeof(no) / sizeof(no[0]); i++) {
		b = true;
		CHECK_INT(num_parse_bool(no[i], &b), 0);
		CHECK(b == false);
	}
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		b = true;
		CHECK_INT(num_parse_bool(bad[i], &b), -EINVAL);
		CHECK(b == true);
	}
	CHECK_INT(num_parse_bool(NULL, &b), -EINVAL);
}

int main(void)
{
	RUN(test_u32_accepts);
	RUN(test_u32_rejects_syntax);
	RUN(test_u32_range);
	RUN(test_bool);
	return TEST_DONE();
}
