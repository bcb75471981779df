/* SPDX-License-Identifier: MIT */
#ifndef ERLAB_TEST_H
#define ERLAB_TEST_H

/*
 * A tiny in-tree test harness: no dependencies. Each unit test file defines
 *   static void test_xxx(void) { CHECK(...); CHECK_STR(a, b); CHECK_INT(a, b); }
 * and a main() that calls RUN(test_xxx) for each, then returns TEST_DONE().
 * The last line printed is "N passed, N failed".
 */
#include <stdio.h>
#include <string.h>

static int test_failed_checks;
static int test_passed, test_failed;

#define CHECK(cond) do { if (!(cond)) { test_failed_checks++; \
	fprintf(stderr, "%s:%d: CHECK(%s) failed\n", __FILE__, __LINE__, #cond); } } while (0)
#define CHECK_INT(a, b) do { long long _a = (long long)(a), _b = (long long)(b); if (_a != _b) { \
	test_failed_checks++; fprintf(stderr, "%s:%d: %s == %lld, expected %lld\n", \
	__FILE__, __LINE__, #a, _a, _b); } } while (0)
#define CHECK_STR(a, b) do { const char *_a = (a), *_b = (b); \
	if (!_a || !_b || strcmp(_a, _b) != 0) { test_failed_checks++; \
	fprintf(stderr, "%s:%d: %s == \"%s\", expected \"%s\"\n", __FILE__, __LINE__, #a, \
	_a ? _a : "(null)", _b ? _b : "(null)"); } } while (0)
#define RUN(fn) do { int _before = test_failed_checks; fn(); \
	if (test_failed_checks == _before) { test_passed++; } \
	else { test_failed++; fprintf(stderr, "FAIL %s\n", #fn); } } while (0)
#define TEST_DONE() (printf("%d passed, %d failed\n", test_passed, test_failed), test_failed ? 1 : 0)

#endif
