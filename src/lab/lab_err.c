/* SPDX-License-Identifier: MIT */
/*
 * The loader's messages: every mistake collected, each naming the file and line first (gcc style,
 * so an editor jumps to it), then the section and the key: "labs/x.ini:12: [peering er1 private]
 * vlan_id=100: The vlanId specified is already in use.".
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "lab/lab_int.h"

/* Mistakes listed for one file; past that, one more entry says so. */
#define LAB_ERRORS_MAX 1000

/* Past LAB_ERRORS_MAX the rest is noise (a thousand circuits with one name): the checks may stop. */
bool lab_errs_full(const struct loader *ld)
{
	return ld->n_errs > LAB_ERRORS_MAX;
}

void lab_add_err(struct loader *ld, int errnum, const char *what, const char *msg, const char *detail)
{
	struct lab_errors *l = ld->errs;
	char d[64];
	struct err *v;

	if (lab_errs_full(ld))
		return;
	if (ld->n_errs == LAB_ERRORS_MAX) {
		errnum = -EINVAL;
		what = ld->file;
		msg = "too many mistakes";
		detail = err_fmt(d, sizeof(d), "only the first %d are listed", LAB_ERRORS_MAX);
	}
	v = realloc(l->v, (l->n + 1) * sizeof(*v));
	if (!v) {
		ld->oom = true;
		return;
	}
	l->v = v;
	memset(&v[l->n], 0, sizeof(v[l->n]));
	v[l->n].errnum = errnum < 0 ? errnum : -EINVAL;
	err_fmt(v[l->n].what, sizeof(v[l->n].what), "%s", what);
	err_fmt(v[l->n].msg, sizeof(v[l->n].msg), "%s", msg);
	err_fmt(v[l->n].detail, sizeof(v[l->n].detail), "%s", detail ? detail : "");
	l->n++;
	ld->n_errs++;
}

void lab_section_err(struct loader *ld, const struct section *s, int errnum, const char *msg, const char *detail)
{
	lab_key_err(ld, s, NULL, false, errnum, msg, detail);
}

void lab_key_err(struct loader *ld, const struct section *s, const struct ini_key *k, bool secret, int errnum,
		 const char *msg, const char *detail)
{
	const struct ini_place at = { .file = ld->file, .line = k ? k->line : s->ini->line, .section = s->ini->name,
				      .key = k ? k->key : NULL, .value = k && !secret ? k->value : NULL };
	char w[sizeof(((struct err *)0)->what)];

	lab_add_err(ld, errnum, ini_place_text(&at, w, sizeof(w)), msg, detail);
}
