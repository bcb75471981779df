/* SPDX-License-Identifier: MIT */
#ifndef ERLAB_SHARD_H
#define ERLAB_SHARD_H

/*
 * Sharding a lab over CI workers (docs/ci.md): `up LAB --shard K/N` builds the circuits whose
 * shard is K. A circuit's shard depends on its name alone (FNV-1a of the lowercased name, mod N,
 * plus 1), so adding or removing a circuit never moves another one to another shard.
 */
#define SHARD_MAX 1024
#define SHARD_TEXT_MAX 12     /* "1024/1024" and a NUL */

/* "K/N" with 1 <= K <= N <= SHARD_MAX, decimal without signs or leading zeros. 0 or -EINVAL. */
int shard_parse(const char *s, unsigned *ret_k, unsigned *ret_n);
/* The shard (1..n) of circuit `name`; n >= 1. */
unsigned shard_of(const char *name, unsigned n);

#endif
