/* SPDX-License-Identifier: MIT */
/* Sharding a lab (docs/ci.md): the K/N syntax and the rule that puts a circuit in a shard. */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "core/shard.h"
#include "test.h"

static void test_parse(void)
{
	unsigned k = 0, n = 0;

	CHECK_INT(shard_parse("1/1", &k, &n), 0);
	CHECK_INT(k, 1);
	CHECK_INT(n, 1);
	CHECK_INT(shard_parse("3/4", &k, &n), 0);
	CHECK_INT(k, 3);
	CHECK_INT(n, 4);
	CHECK_INT(shard_parse("1024/1024", &k, &n), 0);
	static const char *const bad[] = { "", "0/4", "5/4", "1/0", "1/1025", "01/4", "1/04", "-1/4", "+1/4",
					   "1 /4", "1/4 ", "1/4/5", "1", "/4", "1/", "a/4", "99999999999/1" };
	for (unsigned i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		CHECK_INT(shard_parse(bad[i], &k, &n), -EINVAL);
	CHECK_INT(shard_parse(NULL, &k, &n), -EINVAL);
}

/* The rule is FNV-1a of the lowercased name: fixed values, so it never changes under a lab. */
static void test_rule(void)
{
	unsigned count[5] = { 0 };
	char name[16];

	CHECK_INT(shard_of("anything", 1), 1);
	CHECK_INT(shard_of("c1", 4), shard_of("C1", 4));
	/* FNV-1a 32 of "c1" is 0x8829dfd9 (2284445657): mod 4 = 1, so shard 2; mod 3 = 2, shard 3. */
	CHECK_INT(shard_of("c1", 4), 2);
	CHECK_INT(shard_of("c1", 3), 3);
	/* Every shard of 1000 circuits gets a fair share. */
	for (unsigned i = 1; i <= 1000; i++) {
		snprintf(name, sizeof(name), "c%u", i);
		unsigned s = shard_of(name, 4);
		CHECK(s >= 1 && s <= 4);
		if (s >= 1 && s <= 4)
			count[s]++;
	}
	for (unsigned s = 1; s <= 4; s++)
		CHECK(count[s] > 200 && count[s] < 300);
}

int main(void)
{
	RUN(test_parse);
	RUN(test_rule);
	return TEST_DONE();
}
