/* SPDX-License-Identifier: MIT */
#ifndef ERLAB_INI_BIND_H
#define ERLAB_INI_BIND_H

#include <stdbool.h>

#include "core/err.h"
#include "core/field.h"
#include "ini/ini.h"

/*
 * A section's keys into an object through its field table (core/fields.c): what lab files and
 * state files share. Each key goes to its row and through field_parse; a list's continuation keys
 * (key_2, key_3, ...) are joined to it first, so a list can be longer than a line. Mistakes go to
 * the caller, one call each, with the key (and so its line) they are about.
 */
struct ini_binder {
	bool state_file;                 /* rows marked FIELD_STATE_ONLY are keys here */
	const char *const *own_keys;     /* keys the caller reads itself (a state file's version) */
	/* k: the key a mistake is about; NULL for the section itself (a missing key). */
	void (*error)(void *ud, const struct ini_key *k, bool secret, const struct err *e);
	void *ud;
};

/*
 * keys[0..n) of one section into obj, as table t's object of variant `variant` (a peering's type;
 * 0 for objects without variants): unknown keys, keys of another variant, bad values and missing
 * required keys are reported; rows with a default (field.def) the section leaves out get it.
 * `what` names the object for the rules' messages. Returns the number of mistakes, or -ENOMEM.
 */
int ini_bind(const struct ini_binder *b, const struct ini_key *keys, unsigned n, const struct field_table *t,
	     unsigned variant, void *obj, const char *what);

#endif
