/* SPDX-License-Identifier: MIT */
#include <string.h>

#include "core/join.h"
#include "test.h"

static void test_join(void)
{
	char buf[32] = "";
	size_t used = 0;

	used = join_append(buf, sizeof(buf), used, ", ", "private");
	used = join_append(buf, sizeof(buf), used, ", ", "microsoft");
	CHECK_STR(buf, "private, microsoft");
	CHECK_INT(used, strlen("private, microsoft"));
}

/* Cut quietly at the end, terminated; once full it stays full. */
static void test_join_full(void)
{
	char buf[12] = "";
	size_t used = 0;

	used = join_append(buf, sizeof(buf), used, ", ", "private");
	used = join_append(buf, sizeof(buf), used, ", ", "microsoft");
	CHECK_INT(used, sizeof(buf));
	CHECK_STR(buf, "private, mi");
	used = join_append(buf, sizeof(buf), used, ", ", "public");
	CHECK_INT(used, sizeof(buf));
	CHECK_STR(buf, "private, mi");
}

int main(void)
{
	RUN(test_join);
	RUN(test_join_full);
	return TEST_DONE();
}
