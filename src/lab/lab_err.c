/* SPDX-License-Identifier: MIT */
/* The loader's messages: every mistake collected, each naming the file, the section and the key. */
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

void lab_line_err(struct loader *ld, unsigned line, const char *msg, const char *detail)
{
	char w[sizeof(((struct err *)0)->what)];

	ld->n_fatal++;
	lab_add_err(ld, -EINVAL, err_fmt(w, sizeof(w), "%s:%u", ld->file, line), msg, detail);
}

const char *lab_section_what(const struct loader *ld, const struct pre_section *p, char *w, size_t len)
{
	return err_fmt(w, len, "%s [%s]", ld->file, p->written);
}

void lab_section_err(struct loader *ld, const struct section *s, int errnum, const char *msg,
		     const char *detail)
{
	char w[sizeof(((struct err *)0)->what)];

	lab_add_err(ld, errnum, lab_section_what(ld, s->pre, w, sizeof(w)), msg, detail);
}

const char *lab_key_what(const struct loader *ld, const struct pre_section *p, const char *key,
			 const char *value, bool secret, char *w, size_t len)
{
	char shown[SHOW_MAX + 4];

	if (secret || !value)
		return err_fmt(w, len, "%s [%s] %s", ld->file, p->written, key);
	return err_fmt(w, len, "%s [%s] %s=%s", ld->file, p->written, key, err_show(value, shown));
}

int lab_key_err(struct loader *ld, const struct section *s, const struct key_def *k, const char *value,
		int errnum, const char *msg, const char *detail)
{
	char w[sizeof(((struct err *)0)->what)];

	lab_add_err(ld, errnum, lab_key_what(ld, s->pre, k->key, value, k->secret, w, sizeof(w)), msg, detail);
	return -EINVAL;
}

/* A field validator refused the value: its sentence, our file/section/key. */
int lab_key_fail(struct loader *ld, const struct section *s, const struct key_def *k, const char *value,
		 const struct err *ve)
{
	return lab_key_err(ld, s, k, value, ve->errnum, ve->msg, ve->detail);
}
