/* SPDX-License-Identifier: MIT */
#ifndef ERLAB_FUZZ_COMMON_H
#define ERLAB_FUZZ_COMMON_H

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "core/err.h"

/* libFuzzer gives bytes, the parsers take C strings: a NUL-terminated heap copy (ASan sees overreads). */
static inline char *fuzz_strndup(const uint8_t *data, size_t size)
{
	char *s = malloc(size + 1);

	if (!s)
		abort();
	memcpy(s, data, size);
	s[size] = '\0';
	return s;
}

/*
 * The loaders read files: write the input to a fresh temp file (in TMPDIR, /dev/shm when
 * scripts/fuzz runs us, so it is tmpfs). Path in ret_path; the caller unlinks it.
 */
static inline void fuzz_write_temp(const uint8_t *data, size_t size, const char *suffix,
				   char ret_path[4096])
{
	const char *dir = getenv("TMPDIR");
	size_t off = 0;
	int fd;

	snprintf(ret_path, 4096, "%s/erlab-fuzz-XXXXXX%s", dir && *dir ? dir : "/tmp", suffix);
	fd = mkstemps(ret_path, (int)strlen(suffix));
	if (fd < 0) {
		perror("mkstemps");
		abort();
	}
	while (off < size) {
		ssize_t w = write(fd, data + off, size - off);

		if (w <= 0) {
			perror("write");
			abort();
		}
		off += (size_t)w;
	}
	close(fd);
}

/* Every failure must leave a printable, terminated error: callers print e->what and e->msg. */
static inline void fuzz_check_err(const struct err *e, int r)
{
	char buf[1400];

	if (r >= 0)
		return;
	if (memchr(e->what, '\0', sizeof(e->what)) == NULL ||
	    memchr(e->msg, '\0', sizeof(e->msg)) == NULL ||
	    memchr(e->detail, '\0', sizeof(e->detail)) == NULL)
		abort();
	err_format(e, buf, sizeof(buf));
}

#endif
