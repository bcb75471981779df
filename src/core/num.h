/* SPDX-License-Identifier: MIT */
#ifndef ERLAB_NUM_H
#define ERLAB_NUM_H

#include <stdbool.h>
#include <stdint.h>

/*
 * Strict unsigned decimal: digits only, no sign, no leading/trailing space, no "0x", no
 * leading zeros except "0" itself (so "010" is not silently octal or decimal), range checked.
 * Returns 0, -EINVAL (not a number) or -ERANGE (outside [min, max]).
 */
int num_parse_u32(const char *s, uint32_t min, uint32_t max, uint32_t *ret);

/* "yes/no/true/false/1/0/on/off" (case-insensitive). */
int num_parse_bool(const char *s, bool *ret);

#endif
