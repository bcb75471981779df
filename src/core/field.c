/* SPDX-License-Identifier: MIT */
/* Values into and out of the fields of the tables (core/fields.c), one way for every face. */
#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "core/cidr.h"
#include "core/field.h"
#include "core/guid.h"
#include "core/model.h"
#include "core/num.h"
#include "core/validate.h"

/* Items of one list value; far more than a lab line or a state file holds. */
#define FIELD_LIST_MAX 4096

static void *member(void *obj, size_t offset)
{
	return (char *)obj + offset;
}

static const void *cmember(const void *obj, size_t offset)
{
	return (const char *)obj + offset;
}

static int fail(struct err *e, enum field_fail *ret_fail, enum field_fail how, int errnum, const char *msg,
		const char *detail)
{
	*ret_fail = how;
	err_set(e, errnum, NULL, "%s", msg);
	if (detail)
		err_detail(e, "%s", detail);
	return errnum;
}

/* A rule refused the value: its own sentence and detail. */
static int refused(struct err *e, enum field_fail *ret_fail, const struct err *why)
{
	*ret_fail = why->errnum == -ENOMEM ? FIELD_NO_MEMORY : FIELD_INVALID;
	if (e)
		*e = *why;
	return why->errnum ? why->errnum : -EINVAL;
}

static int parse_number(const char *text, uint32_t *ret, struct err *e, enum field_fail *ret_fail)
{
	int r = num_parse_u32(text, 0, UINT32_MAX, ret);

	if (r == -ERANGE)
		return fail(e, ret_fail, FIELD_RANGE, -EINVAL, "number out of range", "0-4294967295");
	if (r < 0)
		return fail(e, ret_fail, FIELD_SYNTAX, -EINVAL, "not a decimal number",
			    "digits only: no sign, no leading zeros, no spaces or units");
	return 0;
}

static int parse_text(const struct field *f, const char *text, char *dst, const char *what, struct err *e,
		      enum field_fail *ret_fail)
{
	struct err why = {0};
	char d[64];
	size_t len = strlen(text), i;

	/* The rule first: it says what is wrong in its own words (a shared key's never echo it). */
	if (f->check_text && f->check_text(text, what, &why) < 0)
		return refused(e, ret_fail, &why);
	if (len >= f->aux)
		return fail(e, ret_fail, FIELD_TOO_LONG, -EINVAL, "value too long",
			    err_fmt(d, sizeof(d), "%zu characters, at most %zu", len, f->aux - 1));
	for (i = 0; i < len; i++)
		dst[i] = (f->flags & FIELD_UPPER) ? (char)toupper((unsigned char)text[i]) : text[i];
	dst[len] = '\0';
	return 0;
}

static int parse_enum(const struct field *f, const char *text, void *dst, struct err *e, enum field_fail *ret_fail)
{
	int v = f->names->parse(text);

	if (v < 0)
		return fail(e, ret_fail, FIELD_NOT_IN_SET, -EINVAL, f->names->unknown, f->names->use);
	if (f->names->size == sizeof(bool))
		*(bool *)dst = v != 0;
	else
		*(int *)dst = v;
	return 0;
}

static int parse_subnet(const struct field *f, const char *name, const char *text, struct cidr *dst,
			const char *what, struct err *e, enum field_fail *ret_fail)
{
	char m[200], d[96], shown[ERR_SHOW_MAX + 4];
	struct err why = {0};
	struct cidr c;

	if (validate_peer_subnet(text, what, &c, &why) < 0)
		return refused(e, ret_fail, &why);
	if (c.family != f->family)
		return fail(e, ret_fail, FIELD_OTHER_FAMILY, -EINVAL,
			    err_fmt(m, sizeof(m), "The specified BGP peer IP address '%s' is not valid.", err_show(text, shown)),
			    err_fmt(d, sizeof(d), "%s takes an %s", name, f->family == AF_INET ? "IPv4 /30" : "IPv6 /126"));
	*dst = c;
	return 0;
}

static int parse_cidrs(const struct field *f, const char *text, void *obj, struct err *e, enum field_fail *ret_fail)
{
	struct cidr **list = member(obj, f->offset);
	unsigned *count = member(obj, f->aux), n;
	struct cidr_list_fail lf;
	struct cidr *v;
	char d[160];
	int r = cidr_parse_list(text, true, FIELD_LIST_MAX, &v, &n, &lf);

	if (r == -ENOMEM)
		return fail(e, ret_fail, FIELD_NO_MEMORY, -ENOMEM, "out of memory", NULL);
	if (r < 0) {
		if (lf.why == CIDR_LIST_EMPTY_ITEM)
			return fail(e, ret_fail, FIELD_SYNTAX, -EINVAL, "empty list item",
				    err_fmt(d, sizeof(d), "item %u: a comma-separated list such as 10.1.0.0/16,10.2.0.0/16", lf.item));
		if (lf.why == CIDR_LIST_NOT_PREFIX)
			return fail(e, ret_fail, FIELD_SYNTAX, -EINVAL, "not a prefix",
				    err_fmt(d, sizeof(d), "item %u: an IPv4 or IPv6 prefix such as 10.1.0.0/16", lf.item));
		if (lf.why == CIDR_LIST_HOST_BITS)
			return fail(e, ret_fail, FIELD_INVALID, -EINVAL, "not the network address of its prefix",
				    err_fmt(d, sizeof(d), "item %u (%s): host bits are set", lf.item, lf.text));
		return fail(e, ret_fail, FIELD_RANGE, -EINVAL, "too many prefixes", NULL);
	}
	free(*list);
	*list = v;
	*count = n;
	return 0;
}

static int parse_prefixes(const struct field *f, const char *name, const char *text, void *obj, const char *what,
			  struct err *e, enum field_fail *ret_fail)
{
	struct cidr **list = member(obj, f->offset), *v;
	unsigned *count = member(obj, f->aux), n, mine = 0;
	struct err why = {0};
	char m[200], d[200], buf[CIDR_STRLEN];
	const char *fam = f->family == AF_INET ? "IPv4" : "IPv6", *other = f->family == AF_INET ? "IPv6" : "IPv4";

	if (validate_prefix_list(text, what, name, &v, &n, &why) < 0)
		return refused(e, ret_fail, &why);
	for (unsigned i = 0; i < n; i++)
		mine += v[i].family == f->family;
	/* Each family has its own list (its own sessions validate it): a row of the other family may take it. */
	if (mine < n) {
		unsigned i = 0;

		while (v[i].family == f->family)
			i++;
		cidr_str(&v[i], buf, sizeof(buf));
		free(v);
		return fail(e, ret_fail, mine ? FIELD_INVALID : FIELD_OTHER_FAMILY, -EINVAL,
			    err_fmt(m, sizeof(m), "The advertised public prefix '%s' is %s: %s takes %s prefixes.", buf,
				    other, name, fam),
			    err_fmt(d, sizeof(d), "each address family has its own list; the %s one is "
				    "advertised_public_prefixes%s (--advertised-prefixes%s; cmdlets: -PeerAddressType %s)",
				    other, f->family == AF_INET ? "_v6" : "", f->family == AF_INET ? "-v6" : "", other));
	}
	free(*list);
	*list = v;
	*count = n;
	return 0;
}

static int parse_value(const struct field *f, const char *name, const char *text, void *obj, const char *what,
		       struct err *e, enum field_fail *ret_fail)
{
	struct err why = {0};
	char m[160], shown[ERR_SHOW_MAX + 4];
	uint32_t n;
	struct cidr c;
	int r;

	switch (f->kind) {
	case FIELD_TEXT:
		return parse_text(f, text, member(obj, f->offset), what, e, ret_fail);
	case FIELD_STRING: {
		char **dst = member(obj, f->offset), *v = malloc(f->aux);

		if (!v)
			return fail(e, ret_fail, FIELD_NO_MEMORY, -ENOMEM, "out of memory", NULL);
		if ((r = parse_text(f, text, v, what, e, ret_fail)) < 0) {
			free(v);
			return r;
		}
		free(*dst);
		*dst = v;
		return 0;
	}
	case FIELD_GUID:
		if (guid_parse(text, member(obj, f->offset)) < 0)
			return fail(e, ret_fail, FIELD_SYNTAX, -EINVAL,
				    err_fmt(m, sizeof(m), "The value %s is an invalid GUID.", err_show(text, shown)),
				    "a service key is written as 8-4-4-4-12 hex digits");
		return 0;
	case FIELD_U32:
	case FIELD_U16:
		if ((r = parse_number(text, &n, e, ret_fail)) < 0)
			return r;
		if (n == 0 && (f->flags & FIELD_ZERO_UNSET)) {
			*(uint32_t *)member(obj, f->offset) = 0;
			return 1;
		}
		if (f->check_u32 && f->check_u32(n, what, &why) < 0)
			return refused(e, ret_fail, &why);
		if (f->kind == FIELD_U16)
			*(uint16_t *)member(obj, f->offset) = (uint16_t)n;
		else
			*(uint32_t *)member(obj, f->offset) = n;
		return 0;
	case FIELD_ENUM:
		return parse_enum(f, text, member(obj, f->offset), e, ret_fail);
	case FIELD_SUBNET:
		return parse_subnet(f, name, text, member(obj, f->offset), what, e, ret_fail);
	case FIELD_PREFIXES:
		return parse_prefixes(f, name, text, obj, what, e, ret_fail);
	case FIELD_CIDRS:
		return parse_cidrs(f, text, obj, e, ret_fail);
	case FIELD_PREFIX:
		if (cidr_parse(text, &c) < 0 || !cidr_is_network(&c))
			return fail(e, ret_fail, FIELD_SYNTAX, -EINVAL, "not a prefix",
				    "a network address such as 123.0.0.0/24");
		*(struct cidr *)member(obj, f->offset) = c;
		return 0;
	}
	return fail(e, ret_fail, FIELD_SYNTAX, -EINVAL, "unknown field type", NULL);
}

int field_parse(const struct field_table *t, const struct field *f, const char *name, const char *text, void *obj,
		const char *what, struct err *e, enum field_fail *ret_fail)
{
	enum field_fail dummy;
	int r;

	if (!ret_fail)
		ret_fail = &dummy;
	*ret_fail = FIELD_OK;
	if (!text)
		text = "";
	/* Blank means "none" where none is allowed; elsewhere the type says what is wrong with it. */
	if (!text[0] && (f->flags & FIELD_ZERO_UNSET)) {
		if (f->kind == FIELD_TEXT)
			*(char *)member(obj, f->offset) = '\0';
		else if (f->kind == FIELD_U32)
			*(uint32_t *)member(obj, f->offset) = 0;
		r = 1;
	} else {
		r = parse_value(f, name ? name : f->key, text, obj, what ? what : t->object, e, ret_fail);
	}
	/* "None" is given too: a change with it takes the old value away. */
	if (r >= 0 && f->has && t->has_offset != (size_t)-1)
		*(unsigned *)member(obj, t->has_offset) |= f->has;
	return r;
}

static int cidrs_text(const struct cidr *v, unsigned n, char **ret)
{
	size_t len = (size_t)n * (CIDR_STRLEN + 1) + 1, used = 0;
	char *buf = malloc(len), item[CIDR_STRLEN];

	if (!buf)
		return -ENOMEM;
	buf[0] = '\0';
	for (unsigned i = 0; i < n; i++)
		used += (size_t)snprintf(buf + used, len - used, "%s%s", i ? "," : "", cidr_str(&v[i], item, sizeof(item)));
	*ret = buf;
	return 0;
}

int field_format(const struct field_table *t, const struct field *f, const void *obj, char **ret)
{
	char buf[CIDR_STRLEN + 16];
	const void *v = cmember(obj, f->offset);
	unsigned count;

	*ret = NULL;
	if (f->has && t->has_is_value && !(*(const unsigned *)cmember(obj, t->has_offset) & f->has))
		return 0;
	switch (f->kind) {
	case FIELD_STRING:
		if (!*(char *const *)v)
			return 0;
		v = *(char *const *)v;
		/* fall through */
	case FIELD_TEXT:
	case FIELD_GUID:
		if (!*(const char *)v && (f->flags & FIELD_ZERO_UNSET))
			return 0;
		*ret = strdup(v);
		break;
	case FIELD_U32:
	case FIELD_U16: {
		uint32_t n = f->kind == FIELD_U16 ? *(const uint16_t *)v : *(const uint32_t *)v;

		if (n == 0 && (f->flags & FIELD_ZERO_UNSET))
			return 0;
		snprintf(buf, sizeof(buf), "%u", n);
		*ret = strdup(buf);
		break;
	}
	case FIELD_ENUM: {
		int n = f->names->size == sizeof(bool) ? *(const bool *)v : *(const int *)v;

		if (n == 0 && (f->flags & FIELD_ZERO_UNSET))
			return 0;
		*ret = strdup(f->names->name(n));
		break;
	}
	case FIELD_SUBNET:
		if (!((const struct cidr *)v)->family)
			return 0;
		*ret = strdup(cidr_str(v, buf, sizeof(buf)));
		break;
	case FIELD_PREFIX:
		*ret = strdup(cidr_str(v, buf, sizeof(buf)));
		break;
	case FIELD_PREFIXES:
	case FIELD_CIDRS:
		count = *(const unsigned *)cmember(obj, f->aux);
		if (count == 0)
			return 0;
		return cidrs_text(*(struct cidr *const *)v, count, ret);
	}
	return *ret ? 0 : -ENOMEM;
}

const struct field *field_by_key(const struct field_table *t, const char *key)
{
	for (unsigned i = 0; i < t->n; i++)
		if (strcmp(t->rows[i].key, key) == 0)
			return &t->rows[i];
	return NULL;
}

static unsigned start_after(const struct field_table *t, const struct field *after)
{
	return after ? (unsigned)(after - t->rows) + 1 : 0;
}

const struct field *field_by_param(const struct field_table *t, const char *param, const struct field *after)
{
	for (unsigned i = start_after(t, after); i < t->n; i++)
		if (t->rows[i].param && strcasecmp(t->rows[i].param, param) == 0)
			return &t->rows[i];
	return NULL;
}

const struct field *field_by_option(const struct field_table *t, const char *option, const struct field *after)
{
	for (unsigned i = start_after(t, after); i < t->n; i++)
		for (int j = 0; j < 2; j++)
			if (t->rows[i].option[j] && strcmp(t->rows[i].option[j], option) == 0)
				return &t->rows[i];
	return NULL;
}

bool field_in_variant(const struct field *f, unsigned variant)
{
	return !f->variants || (f->variants & (1u << variant));
}
