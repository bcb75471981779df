/* SPDX-License-Identifier: MIT */
#ifndef ERLAB_SUGGEST_H
#define ERLAB_SUGGEST_H

#include <stdbool.h>

/*
 * "Did you mean" for mistyped verbs, subverbs, options and cmdlets: pure string work.
 *
 * The distance is Damerau-Levenshtein's in its optimal-string-alignment form: the fewest
 * insertions, deletions, substitutions and transpositions of two adjacent characters that turn
 * one string into the other ("circiut" -> "circuit" is 1). Words longer than SUGGEST_LEN_MAX are
 * never near anything.
 */
#define SUGGEST_LEN_MAX 128

/* The distance between a and b; fold_case: compare ASCII letters case-insensitively (cmdlets).
 * A string over SUGGEST_LEN_MAX gives SUGGEST_FAR. */
#define SUGGEST_FAR 1000u
unsigned suggest_distance(const char *a, const char *b, bool fold_case);

/* How far a word may be from a candidate to be suggested: one edit for words of up to 5
 * characters, then one more for every 3 (a third of the word, rounded down). */
unsigned suggest_max_distance(const char *word);

/*
 * The candidate nearest to word, when it is near enough (suggest_max_distance) and not word
 * itself; the first of the nearest when several tie. NULL entries of cands are skipped; NULL when
 * nothing is near.
 */
const char *suggest_best(const char *word, const char *const *cands, unsigned n, bool fold_case);

#endif
