/* SPDX-License-Identifier: MIT */
#ifndef ERLAB_ERR_H
#define ERLAB_ERR_H

#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>

/*
 * One error, described once where the object is known.
 *
 * Functions return 0 or -errno; when they fail they may also fill a struct err.
 * The errno picks the exit class (docs/rules.md#exit-codes):
 *   -EINVAL            -> 2 invalid input (usage, parse, validation)
 *   -EEXIST -EBUSY -EAGAIN -ETIMEDOUT  -> 3 refused by current state (exists, in use, not
 *                                        provisioned, dependents left, lock timeout)
 *   -ENOENT            -> 4 not found
 *   anything else      -> 1 the system failed
 * `what` names the object and the value ("MyTestCircuit private peering: vlan_id=100"),
 * `msg` is the sentence; where Azure has a recorded text (docs/rules.md, "Azure error texts") `msg` is exactly that text,
 * so the cmdlet face can print it verbatim. `detail` carries an extra hint (the kernel's own
 * reason, the fix), printed after the sentence.
 */
struct err {
	int errnum;          /* negative errno, 0 when unset */
	bool system;         /* the system's own failure (the kernel, a daemon), whatever errnum says:
	                      * exit 1 (a kernel EINVAL is not the user's invalid input) */
	char what[256];
	char msg[512];
	char detail[512];
};

/* Record an error (any earlier detail is dropped). Returns errnum (negative) so callers can
 * `return err_set(...)`; e may be NULL (the caller does not want the message). */
int err_set(struct err *e, int errnum, const char *what, const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));
int err_vset(struct err *e, int errnum, const char *what, const char *fmt, va_list ap);
/* Append a hint ("kernel: Unknown device type"); keeps errnum, msg and what. */
void err_detail(struct err *e, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/* snprintf into buf, returning buf; through a va_list so a long name or path is cut quietly
 * instead of tripping -Wformat-truncation. */
const char *err_fmt(char *buf, size_t len, const char *fmt, ...) __attribute__((format(printf, 3, 4)));

/* Exit code for an errno (docs/rules.md#exit-codes). */
int err_exit_code(int errnum);
/* The exit code of an error: its errno's, or 1 when it is the system's (err.system). */
int err_exit(const struct err *e);
/* Mark e as the system's failure, except a refusal by state that the kernel reports as such (an
 * object that exists: EEXIST). Returns errnum, for `return err_system(e, r)`. */
int err_system(struct err *e, int errnum);
/* Azure-style code for the cmdlet face: BadRequest, ConflictError, ResourceNotFound, InternalError. */
const char *err_azure_code(int errnum);
const char *err_azure_code_of(const struct err *e);

/* A user's value as it may be echoed in a message: printable ASCII (others as '?'), cut to
 * ERR_SHOW_MAX characters and "...". Returns buf. */
#define ERR_SHOW_MAX 96
const char *err_show(const char *s, char buf[ERR_SHOW_MAX + 4]);

/* "<what>: <msg> (<detail>)" into buf. */
const char *err_format(const struct err *e, char *buf, unsigned len);

#endif
