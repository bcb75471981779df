/* SPDX-License-Identifier: MIT */
#ifndef ERLAB_JOIN_H
#define ERLAB_JOIN_H

#include <stddef.h>

/*
 * Lists in messages ("private, microsoft"): append sep (unless nothing is in buf yet) and item
 * to buf (len bytes, used of them taken), cutting quietly at the end. Returns the new used (len
 * once full). Start with buf[0] = '\0' and used = 0.
 */
size_t join_append(char *buf, size_t len, size_t used, const char *sep, const char *item);

#endif
