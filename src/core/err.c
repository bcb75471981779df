/* SPDX-License-Identifier: MIT */
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <string.h>

#include "core/err.h"

/* Append src to the string in dst (size len), truncating: a cut message is better than none. */
static void append_text(char *dst, size_t len, const char *src)
{
	size_t used = strnlen(dst, len), n;

	if (!src || used + 1 >= len)
		return;
	n = strnlen(src, len - used - 1);
	memcpy(dst + used, src, n);
	dst[used + n] = '\0';
}

static void copy_text(char *dst, size_t len, const char *src)
{
	dst[0] = '\0';
	append_text(dst, len, src);
}

int err_vset(struct err *e, int errnum, const char *what, const char *fmt, va_list ap)
{
	/* Zero-filled: the whole struct may be copied or written out (probes send it through a pipe). */
	char w[sizeof(e->what)] = "", m[sizeof(e->msg)] = "";

	/* Accept a positive errno too: callers pass errno straight from libc. */
	if (errnum > 0)
		errnum = -errnum;
	if (!e)
		return errnum;

	/* Through locals, so re-wrapping an error with its own what/msg as arguments is safe. */
	copy_text(w, sizeof(w), what);
	m[0] = '\0';
	if (fmt)
		vsnprintf(m, sizeof(m), fmt, ap);
	e->errnum = errnum;
	e->system = false;
	memcpy(e->what, w, sizeof(w));
	memcpy(e->msg, m, sizeof(m));
	/* A new error replaces the old one; a stale hint would mislead. */
	e->detail[0] = '\0';
	return errnum;
}

int err_set(struct err *e, int errnum, const char *what, const char *fmt, ...)
{
	va_list ap;
	int r;

	va_start(ap, fmt);
	r = err_vset(e, errnum, what, fmt, ap);
	va_end(ap);
	return r;
}

void err_detail(struct err *e, const char *fmt, ...)
{
	char hint[sizeof(e->detail)];
	va_list ap;

	if (!e || !fmt)
		return;
	va_start(ap, fmt);
	vsnprintf(hint, sizeof(hint), fmt, ap);
	va_end(ap);
	if (!hint[0])
		return;

	/* Several layers may each add a hint (kernel reason, then the fix): keep them all. */
	if (e->detail[0])
		append_text(e->detail, sizeof(e->detail), "; ");
	append_text(e->detail, sizeof(e->detail), hint);
}

const char *err_fmt(char *buf, size_t len, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(buf, len, fmt, ap);
	va_end(ap);
	return buf;
}

int err_exit_code(int errnum)
{
	if (errnum < 0 && errnum != INT_MIN)
		errnum = -errnum;
	switch (errnum) {
	case 0:
		return 0;
	case EINVAL:
	case ERANGE:
	case EFBIG:
		return 2;
	case EEXIST:
	case EBUSY:
	case EAGAIN:
	case ETIMEDOUT:
	case ENOTEMPTY:
		return 3;
	case ENOENT:
		return 4;
	default:
		return 1;
	}
}

int err_exit(const struct err *e)
{
	return e->system && e->errnum ? 1 : err_exit_code(e->errnum);
}

int err_system(struct err *e, int errnum)
{
	if (e && errnum < 0 && errnum != -EEXIST)
		e->system = true;
	return errnum;
}

static const char *azure_code(int exit_code)
{
	switch (exit_code) {
	case 2:
		return "BadRequest";
	case 3:
		return "ConflictError";
	case 4:
		return "ResourceNotFound";
	default:
		/* 0 too: printing a code for "no error" is a caller bug, and Azure's catch-all fits. */
		return "InternalError";
	}
}

const char *err_azure_code(int errnum)
{
	return azure_code(err_exit_code(errnum));
}

const char *err_azure_code_of(const struct err *e)
{
	return azure_code(err_exit(e));
}

const char *err_format(const struct err *e, char *buf, unsigned len)
{
	if (!buf || len == 0)
		return buf;
	buf[0] = '\0';
	if (!e)
		return buf;

	if (e->what[0]) {
		append_text(buf, len, e->what);
		append_text(buf, len, ": ");
	}
	append_text(buf, len, e->msg);
	if (e->detail[0]) {
		append_text(buf, len, " (");
		append_text(buf, len, e->detail);
		append_text(buf, len, ")");
	}
	return buf;
}

const char *err_show(const char *s, char buf[ERR_SHOW_MAX + 4])
{
	size_t i;

	if (!s)
		s = "";
	for (i = 0; s[i] && i < ERR_SHOW_MAX; i++)
		buf[i] = (s[i] >= 0x20 && s[i] < 0x7f) ? s[i] : '?';
	if (s[i]) {
		memcpy(buf + i, "...", 3);
		i += 3;
	}
	buf[i] = '\0';
	return buf;
}
