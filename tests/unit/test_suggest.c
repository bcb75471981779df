/* SPDX-License-Identifier: MIT */
/* "Did you mean": the distance and the nearest candidate (core/suggest.c). */
#include <string.h>

#include "core/suggest.h"
#include "test.h"

static void test_distance(void)
{
	CHECK_INT(suggest_distance("", "", false), 0);
	CHECK_INT(suggest_distance("", "abc", false), 3);
	CHECK_INT(suggest_distance("abc", "", false), 3);
	CHECK_INT(suggest_distance("circuit", "circuit", false), 0);
	/* One transposition is one edit (Levenshtein would say 2). */
	CHECK_INT(suggest_distance("circiut", "circuit", false), 1);
	CHECK_INT(suggest_distance("--vlna", "--vlan", false), 1);
	CHECK_INT(suggest_distance("ab", "ba", false), 1);
	/* Insertion, deletion, substitution. */
	CHECK_INT(suggest_distance("Get-AzureDedicatedCircut", "Get-AzureDedicatedCircuit", false), 1);
	CHECK_INT(suggest_distance("peerings", "peering", false), 1);
	CHECK_INT(suggest_distance("pearing", "peering", false), 1);
	CHECK_INT(suggest_distance("kitten", "sitting", false), 3);
	/* Optimal string alignment: a transposed pair is not edited again ("ca" -> "abc" is 3). */
	CHECK_INT(suggest_distance("ca", "abc", false), 3);
	/* Symmetric. */
	CHECK_INT(suggest_distance("sitting", "kitten", false), 3);
	/* Case: exact unless folded. */
	CHECK_INT(suggest_distance("UP", "up", false), 2);
	CHECK_INT(suggest_distance("UP", "up", true), 0);
	CHECK_INT(suggest_distance("get-azurebgppeering", "Get-AzureBGPPeering", true), 0);
	CHECK_INT(suggest_distance("get-azurebgppeerign", "Get-AzureBGPPeering", true), 1);
}

static void test_long_words(void)
{
	char a[SUGGEST_LEN_MAX + 2], b[SUGGEST_LEN_MAX + 2];

	memset(a, 'a', sizeof(a) - 1);
	a[sizeof(a) - 1] = '\0';
	memcpy(b, a, sizeof(b));
	/* At the limit it is measured; one past, it is far from everything, itself included. */
	a[SUGGEST_LEN_MAX] = '\0';
	b[SUGGEST_LEN_MAX] = '\0';
	b[0] = 'b';
	CHECK_INT(suggest_distance(a, b, false), 1);
	a[SUGGEST_LEN_MAX] = 'a';
	CHECK_INT(suggest_distance(a, b, false), SUGGEST_FAR);
	CHECK_INT(suggest_distance(b, a, false), SUGGEST_FAR);
}

static void test_max_distance(void)
{
	CHECK_INT(suggest_max_distance(""), 1);
	CHECK_INT(suggest_max_distance("up"), 1);
	CHECK_INT(suggest_max_distance("check"), 1);
	CHECK_INT(suggest_max_distance("circuit"), 2);
	CHECK_INT(suggest_max_distance("Get-AzureDedicatedCircut"), 8);
}

static void test_best(void)
{
	static const char *const verbs[] = { "circuit", "peering", "up", "down", "status", "graph", "vnet", "link",
					     "exec", "check", "shell", "help" };
	static const char *const cmdlets[] = { "Get-AzureDedicatedCircuit", "Get-AzureDedicatedCircuitLink",
					       "Get-AzureDedicatedCircuitStats", NULL, "Get-AzureBGPPeering" };
	unsigned nv = sizeof(verbs) / sizeof(verbs[0]), nc = sizeof(cmdlets) / sizeof(cmdlets[0]);

	CHECK_STR(suggest_best("circiut", verbs, nv, false), "circuit");
	CHECK_STR(suggest_best("cirquit", verbs, nv, false), "circuit");
	CHECK_STR(suggest_best("peerng", verbs, nv, false), "peering");
	CHECK_STR(suggest_best("stauts", verbs, nv, false), "status");
	CHECK_STR(suggest_best("uo", verbs, nv, false), "up");
	CHECK_STR(suggest_best("chek", verbs, nv, false), "check");
	/* Nothing near: no suggestion, rather than a wild one. */
	CHECK(suggest_best("xyz", verbs, nv, false) == NULL);
	CHECK(suggest_best("deploy", verbs, nv, false) == NULL);
	CHECK(suggest_best("", verbs, nv, false) == NULL);
	/* The word itself is not suggested. */
	CHECK(suggest_best("up", verbs, 3, false) == NULL);
	CHECK_STR(suggest_best("lnk", verbs, nv, false), "link");
	/* Ties go to the first candidate. */
	{
		static const char *const two[] = { "ab", "ba" };

		CHECK_STR(suggest_best("aa", two, 2, false), "ab");
		CHECK_STR(suggest_best("bb", two, 2, false), "ab");
	}
	CHECK_STR(suggest_best("hel", verbs, nv, false), "help");
	/* Cmdlets fold case, and the nearest of similar names wins; NULL entries are skipped. */
	CHECK_STR(suggest_best("Get-AzureDedicatedCircut", cmdlets, nc, true), "Get-AzureDedicatedCircuit");
	CHECK_STR(suggest_best("get-azurededicatedcircuitlnk", cmdlets, nc, true), "Get-AzureDedicatedCircuitLink");
	CHECK_STR(suggest_best("Get-AzureDedicatedCircuitStat", cmdlets, nc, true), "Get-AzureDedicatedCircuitStats");
	CHECK_STR(suggest_best("Get-AzureBgpPeerings", cmdlets, nc, true), "Get-AzureBGPPeering");
	CHECK(suggest_best("Get-AzureVM", cmdlets, nc, true) == NULL);
	CHECK(suggest_best("anything", NULL, 0, false) == NULL);
}

int main(void)
{
	RUN(test_distance);
	RUN(test_long_words);
	RUN(test_max_distance);
	RUN(test_best);
	return TEST_DONE();
}
