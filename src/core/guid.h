/* SPDX-License-Identifier: MIT */
#ifndef ERLAB_GUID_H
#define ERLAB_GUID_H

#define GUID_STRLEN 37   /* 36 + NUL */

/*
 * Accepts the forms .NET's Guid.Parse does for the common cases: 8-4-4-4-12 hex digits,
 * optionally in braces or parentheses, or 32 hex digits; case-insensitive.
 * Writes the canonical lowercase 8-4-4-4-12 form. Returns 0 or -EINVAL.
 */
int guid_parse(const char *s, char ret[GUID_STRLEN]);
/* A random version-4 GUID from getrandom(2). Returns 0 or -errno. */
int guid_generate(char ret[GUID_STRLEN]);

#endif
