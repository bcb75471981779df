/* SPDX-License-Identifier: MIT */
#ifndef ERLAB_STORE_INT_H
#define ERLAB_STORE_INT_H

#include <stdbool.h>
#include <stddef.h>

#include "ini/ini.h"
#include "store/state.h"

/* Shared between the store's files; not for the rest of erlab. */

/* "<stem>.ini" not starting with '.', stem short enough to be a circuit name: then true and the
 * stem's length in *ret_stem. */
bool state_file_name(const char *fname, size_t *ret_stem);

/* NULL when every value of c can be written and read back exactly; else the field's name. */
const char *circuit_unstorable(const struct circuit *c);

/* Render c into a heap buffer (the exact file contents). */
int circuit_render(const struct circuit *c, char **ret_buf, size_t *ret_len, struct err *e);

/* Atomically replace dirfd/fname with buf: temp file, fsync, rename, fsync the directory. */
int store_write_at(int dirfd, const char *dirname, const char *fname, const char *buf, size_t len,
		   struct err *e);

/* Read an already opened state file (path: its name, for iniparser where /proc is missing);
 * `file` is the name shown in messages and `expect` the circuit name it must hold. */
int read_state(int fd, const char *path, const char *what, const char *file, const char *expect,
	       struct circuit *ret, struct err *e);

/* A section of a version 1 state file with its keys as version 2 names them (state_v1.c). */
struct state_v1 {
	struct ini_key *keys;
	unsigned n;
	char **owned;
	unsigned n_owned;
};
int state_v1_keys(const struct ini_doc *d, const struct ini_section *s, struct state_v1 *ret);
void state_v1_free(struct state_v1 *v);

#endif
