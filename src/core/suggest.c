/* SPDX-License-Identifier: MIT */
/* "Did you mean": the optimal-string-alignment distance and the nearest candidate (suggest.h). */
#include <ctype.h>
#include <string.h>

#include "core/suggest.h"

static bool same(char a, char b, bool fold_case)
{
	return fold_case ? tolower((unsigned char)a) == tolower((unsigned char)b) : a == b;
}

static unsigned min3(unsigned a, unsigned b, unsigned c)
{
	unsigned m = a < b ? a : b;

	return m < c ? m : c;
}

unsigned suggest_distance(const char *a, const char *b, bool fold_case)
{
	/* Three rows of the table: i - 2, i - 1 and i (transpositions look two rows back). */
	unsigned rows[3][SUGGEST_LEN_MAX + 1];
	size_t la = strlen(a), lb = strlen(b);

	if (la > SUGGEST_LEN_MAX || lb > SUGGEST_LEN_MAX)
		return SUGGEST_FAR;
	for (size_t j = 0; j <= lb; j++)
		rows[0][j] = (unsigned)j;
	for (size_t i = 1; i <= la; i++) {
		unsigned *cur = rows[i % 3], *up = rows[(i - 1) % 3], *up2 = rows[(i + 1) % 3];

		cur[0] = (unsigned)i;
		for (size_t j = 1; j <= lb; j++) {
			unsigned cost = same(a[i - 1], b[j - 1], fold_case) ? 0 : 1;

			cur[j] = min3(up[j] + 1, cur[j - 1] + 1, up[j - 1] + cost);
			if (i > 1 && j > 1 && same(a[i - 1], b[j - 2], fold_case) && same(a[i - 2], b[j - 1], fold_case) &&
			    up2[j - 2] + 1 < cur[j])
				cur[j] = up2[j - 2] + 1;
		}
	}
	return rows[la % 3][lb];
}

unsigned suggest_max_distance(const char *word)
{
	size_t len = strlen(word);

	return len <= 5 ? 1 : (unsigned)(len / 3);
}

const char *suggest_best(const char *word, const char *const *cands, unsigned n, bool fold_case)
{
	unsigned best = suggest_max_distance(word) + 1;
	const char *found = NULL;

	for (unsigned i = 0; i < n; i++) {
		unsigned d;

		if (!cands[i])
			continue;
		d = suggest_distance(word, cands[i], fold_case);
		if (d > 0 && d < best) {
			best = d;
			found = cands[i];
		}
	}
	return found;
}
