/* SPDX-License-Identifier: MIT */
#include <errno.h>
#include <string.h>

#include "core/guid.h"
#include "test.h"

#define CANON "0b5b6c4e-56a8-4a4e-9b33-0d3b7a1c2f10"

static void test_parse_forms(void)
{
	static const char *const good[] = {
		CANON,
		"0B5B6C4E-56A8-4A4E-9B33-0D3B7A1C2F10",
		"{0b5b6c4e-56a8-4a4e-9b33-0d3b7a1c2f10}",
		"(0B5B6C4E-56a8-4a4e-9b33-0d3b7a1c2f10)",
		"0b5b6c4e56a84a4e9b330d3b7a1c2f10",
		"0B5B6C4E56A84A4E9B330D3B7A1C2F10",
	};
	unsigned i;

	for (i = 0; i < sizeof(good) / sizeof(good[0]); i++) {
		char out[GUID_STRLEN] = "";

		CHECK_INT(guid_parse(good[i], out), 0);
		CHECK_STR(out, CANON);
	}
	char out[GUID_STRLEN];
	CHECK_INT(guid_parse("00000000-0000-0000-0000-000000000000", out), 0);
	CHECK_STR(out, "00000000-0000-0000-0000-000000000000");
	CHECK_INT(guid_parse("ffffffff-ffff-ffff-ffff-ffffffffffff", NULL), 0);
}

static void test_parse_rejects(void)
{
	static const char *const bad[] = {
		"",
		"0b5b6c4e-56a8-4a4e-9b33-0d3b7a1c2f1",      /* 35 */
		"0b5b6c4e-56a8-4a4e-9b33-0d3b7a1c2f100",    /* 37 */
		"0b5b6c4e-56a8-4a4e-9b33-0d3b7a1c2f1g",     /* non-hex */
		"0b5b6c4e-56a8-4a4e-9b330-d3b7a1c2f10",     /* dash moved */
		"0b5b6c4e-56a8-4a4e-9b33_0d3b7a1c2f10",     /* wrong separator */
		"0b5b6c4e056a8-4a4e-9b33-0d3b7a1c2f1",      /* missing dash */
		"{0b5b6c4e-56a8-4a4e-9b33-0d3b7a1c2f10)",   /* mismatched */
		"(0b5b6c4e-56a8-4a4e-9b33-0d3b7a1c2f10}",
		"{0b5b6c4e-56a8-4a4e-9b33-0d3b7a1c2f10",
		"0b5b6c4e-56a8-4a4e-9b33-0d3b7a1c2f10}",
		"{0b5b6c4e56a84a4e9b330d3b7a1c2f10}",       /* braces only with dashes */
		" 0b5b6c4e-56a8-4a4e-9b33-0d3b7a1c2f10",
		"0b5b6c4e-56a8-4a4e-9b33-0d3b7a1c2f10 ",
		"0b5b6c4e56a84a4e9b330d3b7a1c2f1",          /* 31 */
		"0b5b6c4e56a84a4e9b330d3b7a1c2f1z",
		"0b5b6c4e-56a84a4e9b330d3b7a1c2f10",        /* 33 */
		"0x5b6c4e-56a8-4a4e-9b33-0d3b7a1c2f10",
		"------------------------------------",
		"MyTestCircuit",
	};
	unsigned i;

	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		char out[GUID_STRLEN] = "untouched";

		if (guid_parse(bad[i], out) != -EINVAL) {
			test_failed_checks++;
			fprintf(stderr, "guid_parse(\"%s\") accepted\n", bad[i]);
		}
		CHECK_STR(out, "untouched");
	}
	CHECK_INT(guid_parse(NULL, NULL), -EINVAL);
}

static void test_generate(void)
{
	char a[GUID_STRLEN], b[GUID_STRLEN], back[GUID_STRLEN];
	unsigned i;

	CHECK_INT(guid_generate(a), 0);
	CHECK_INT(guid_generate(b), 0);
	CHECK_INT(strlen(a), 36);
	CHECK(strcmp(a, b) != 0);
	/* Canonical: round-trips unchanged, lowercase, version 4, RFC 4122 variant. */
	CHECK_INT(guid_parse(a, back), 0);
	CHECK_STR(back, a);
	for (i = 0; i < 100; i++) {
		CHECK_INT(guid_generate(a), 0);
		CHECK(a[14] == '4');
		CHECK(strchr("89ab", a[19]) != NULL);
		CHECK(a[8] == '-' && a[13] == '-' && a[18] == '-' && a[23] == '-');
		CHECK(strspn(a, "0123456789abcdef-") == 36);
	}
}

int main(void)
{
	RUN(test_parse_forms);
	RUN(test_parse_rejects);
	RUN(test_generate);
	return TEST_DONE();
}
