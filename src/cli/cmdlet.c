/* SPDX-License-Identifier: MIT */
/*
 * The cmdlet face: the classic ExpressRoute PowerShell commands of the how-to, run as written
 * with `erlab` in front, over the same ops as the native verbs.
 *
 * Errors print as "<Cmdlet> : <Code>: <Message>" on stderr, the way PowerShell renders a
 * CloudException, with Code from err_azure_code(). A message that is one of Azure's or
 * PowerShell's recorded texts (azure_texts below) prints verbatim; any other (erlab's own)
 * prints as err_format() does, "<what>: <msg> (<detail>)", so the object, the value and the
 * kernel's reason are not lost. Client-side errors (parameter binding, InvalidGuid, the
 * Set-AzureBGPPeering "has to be provided" checks) use the same shape with BadRequest.
 */
#include <errno.h>
#include <fnmatch.h>
#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "cli/cli.h"
#include "core/field.h"
#include "core/format.h"
#include "core/guid.h"
#include "core/num.h"
#include "core/provider.h"
#include "core/psargs.h"
#include "core/validate.h"

#define ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))

#include "cli/cmdlet.h"

/* Recorded texts (docs/rules.md, "Azure error texts", PowerShell's binder): these never get erlab's additions. */
static const char *const azure_texts[] = {
	"BGP peering could not be created as it already exists.",
	"The vlanId specified is already in use.",
	"The specified BGP peer IP address '*' is not valid.",
	"The specified bandwidth * does not exist for the provider *",
	"The specified location * does not exist for the provider *",
	"The provider could not be found.",
	"The circuit with name '*' already exists.",
	"The specified dedicated circuit with service key '*' was not found.",
	"The specified service key '*' is not valid or could not be found.",
	"Can not find any subinterface for peering type '*' for circuit '*' .",
	"The value * is an invalid GUID.",
	"A value for the * has to be provided.",
	"A parameter cannot be found that matches parameter name '*'.",
	"Parameter cannot be processed because the parameter name '*' is ambiguous. *",
	"A positional parameter cannot be found that accepts argument '*'.",
	"Cannot bind parameter because parameter '*' is specified more than once. *",
	"Missing an argument for parameter '*'. *",
	"Cannot process argument transformation on parameter '*'. *",
	"Cannot validate argument on parameter '*'. *",
	"Cannot process command because of one or more missing mandatory parameters: *",
};

static bool is_recorded_text(const char *msg)
{
	for (unsigned i = 0; i < ARRAY_SIZE(azure_texts); i++)
		if (fnmatch(azure_texts[i], msg, FNM_NOESCAPE) == 0)
			return true;
	return false;
}

int cmdlet_fail_code(struct cli *x, const char *cmdlet, const char *code, int exit_code, const char *msg)
{
	fprintf(x->log, "%s : %s: %s\n", cmdlet, code, msg);
	return exit_code;
}

int cmdlet_fail(struct cli *x, const char *cmdlet, const struct err *e)
{
	char buf[sizeof(e->what) + sizeof(e->msg) + sizeof(e->detail) + 8];
	struct err f = *e;

	/* A failure without an errno is still a failure: report it as the system's. */
	if (!f.errnum)
		err_system(&f, f.errnum = -EIO);
	if (is_recorded_text(f.msg))
		return cmdlet_fail_code(x, cmdlet, err_azure_code_of(&f), err_exit(&f), f.msg);
	return cmdlet_fail_code(x, cmdlet, err_azure_code_of(&f), err_exit(&f), err_format(&f, buf, sizeof(buf)));
}

/* A client-side (binding, argument) error: BadRequest, exit 2. */
static int fail_arg(struct cli *x, const char *cmdlet, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
static int fail_arg(struct cli *x, const char *cmdlet, const char *fmt, ...)
{
	struct err e = { 0 };
	va_list ap;

	va_start(ap, fmt);
	err_vset(&e, -EINVAL, NULL, fmt, ap);
	va_end(ap);
	return cmdlet_fail(x, cmdlet, &e);
}

int cmdlet_bind(struct cli *x, const char *cmdlet, const struct psparam *params, unsigned n,
		unsigned mandatory, int argc, char **argv, struct psbound *b)
{
	char missing[512];
	size_t used = 0;
	struct err e = { 0 };
	unsigned i;

	if (psargs_bind(params, n, argc, argv, b, &e) < 0)
		return cmdlet_fail(x, cmdlet, &e);

	missing[0] = '\0';
	for (i = 0; i < n; i++) {
		if (!(mandatory & (1u << i)) || b->present[i] || used >= sizeof(missing))
			continue;
		used += (size_t)snprintf(missing + used, sizeof(missing) - used, "%s%s",
					 used ? " " : "", params[i].name);
	}
	if (missing[0])
		return fail_arg(x, cmdlet, "Cannot process command because of one or more missing "
				"mandatory parameters: %s.", missing);

	/* [ValidateNotNullOrEmpty] on every string parameter of these cmdlets. */
	for (i = 0; i < n; i++)
		if (b->present[i] && b->value[i] && !b->value[i][0])
			return fail_arg(x, cmdlet, "Cannot validate argument on parameter '%s'. The argument "
					"is null or empty. Provide an argument that is not null or empty, and "
					"then try the command again.", params[i].name);
	return 0;
}

int cmdlet_service_key(struct cli *x, const char *cmdlet, const char *text, char ret[GUID_STRLEN])
{
	if (guid_parse(text, ret) < 0)
		return fail_arg(x, cmdlet, "The value %s is an invalid GUID.", text);
	return 0;
}

int cmdlet_validate_set(struct cli *x, const char *cmdlet, const char *param, const char *value,
			const char *set)
{
	return fail_arg(x, cmdlet, "Cannot validate argument on parameter '%s'. The argument \"%s\" does "
			"not belong to the set \"%s\" specified by the ValidateSet attribute. Supply an "
			"argument that is in the set and then try the command again.", param, value, set);
}

int cmdlet_access_type(struct cli *x, const char *cmdlet, const char *text, enum access_type *ret)
{
	enum access_type t = ACCESS_PRIVATE;

	if (!text) {
		*ret = ACCESS_PRIVATE;   /* [DefaultValue("Private")] */
		return 0;
	}
	t = access_type_from_string(text);
	if (t < 0)
		return cmdlet_validate_set(x, cmdlet, "AccessType", text, "Microsoft,Public,Private");
	*ret = t;
	return 0;
}

/*
 * Load the circuit a ServiceKey names. The key is canonical already; a circuit whose *name*
 * happens to be that GUID is not the one asked for.
 */
int cmdlet_circuit(struct cli *x, const char *cmdlet, const char *key, struct circuit *ret)
{
	struct err e = { 0 };
	char msg[256];
	int r = op_circuit_get(x->eng, key, ret, &e);

	if (r == -ENOENT || (r == 0 && strcmp(ret->service_key, key) != 0)) {
		circuit_clear(ret);
		snprintf(msg, sizeof(msg), "The specified dedicated circuit with service key '%s' was not found.", key);
		return cmdlet_fail_code(x, cmdlet, "ResourceNotFound", err_exit_code(-ENOENT), msg);
	}
	if (r < 0)
		return cmdlet_fail(x, cmdlet, &e);
	return 0;
}

/* Mutations take the exclusive lock before the first read, so the read and the write see one
 * state (engine_lock keeps whatever mode it took first). */
static int lock_exclusive(struct cli *x, const char *cmdlet)
{
	struct err e = { 0 };

	if (engine_lock(x->eng, true, &e) < 0)
		return cmdlet_fail(x, cmdlet, &e);
	return 0;
}

/* A value PowerShell's binder or Azure refused, in their words (core/field.h says how it failed). */
static int field_error(struct cli *x, const char *cmdlet, const struct field *f, const char *param, const char *value,
		       const char *what, int family, struct err *e, enum field_fail how)
{
	char shown[ERR_SHOW_MAX + 4];

	switch (how) {
	case FIELD_SYNTAX:
	case FIELD_RANGE:
		if (f->kind != FIELD_U32 && f->kind != FIELD_U16)
			break;
		return fail_arg(x, cmdlet, "Cannot process argument transformation on parameter '%s'. Cannot "
				"convert value \"%s\" to type \"System.UInt32\". Error: \"%s\"", param, value,
				how == FIELD_RANGE ? "Value was either too large or too small for a UInt32."
						   : "Input string was not in a correct format.");
	case FIELD_NOT_IN_SET:
		if (f->names->set)
			return cmdlet_validate_set(x, cmdlet, param, value, f->names->set);
		break;
	case FIELD_TOO_LONG:
		return fail_arg(x, cmdlet, "-%s '%s': longer than %zu characters", param,
				(f->flags & FIELD_SECRET) ? "..." : value, f->aux - 1);
	case FIELD_OTHER_FAMILY:
		if (!family)
			break;
		return fail_arg(x, cmdlet, "%s: -%s %s is not an %s subnet (-PeerAddressType %s)", what, param, value,
				family == AF_INET ? "IPv4" : "IPv6", family == AF_INET ? "IPv4" : "IPv6");
	default:
		break;
	}
	if (!e->what[0] && (f->flags & FIELD_SECRET))
		snprintf(e->what, sizeof(e->what), "-%s", param);
	else if (!e->what[0])
		snprintf(e->what, sizeof(e->what), "-%s '%s'", param, err_show(value, shown));
	return cmdlet_fail(x, cmdlet, e);
}

/*
 * The field parameters bound in b, into obj through table t (core/fields.c): each value goes to the
 * first row of its name that takes it (an IPv4 subnet to the IPv4 row, an IPv6 one to the IPv6
 * row); with -PeerAddressType (family) only rows of that family are tried. `what` names the object
 * in the rules' messages.
 */
static int bind_fields(struct cli *x, const char *cmdlet, const struct psbound *b, const struct field_table *t,
		       void *obj, const char *what, int family)
{
	for (unsigned i = 0; i < b->n; i++) {
		const char *param = b->params[i].name;
		const struct field *f, *first = NULL;
		enum field_fail how = FIELD_OK;
		struct err e = { 0 };
		int r = 0;

		if (!b->present[i] || !b->value[i])
			continue;
		for (f = field_by_param(t, param, NULL); f; f = field_by_param(t, param, f)) {
			if (family && f->kind == FIELD_SUBNET && (int)f->aux != family)
				continue;
			first = first ? first : f;
			r = field_parse(t, f, param, b->value[i], obj, what, &e, &how);
			if (r >= 0 || how != FIELD_OTHER_FAMILY)
				break;
		}
		if (first && r < 0)
			return field_error(x, cmdlet, first, param, b->value[i], what, family, &e, how);
	}
	return 0;
}

/*
 * PowerShell's list format for several objects: one blank line between blocks. format_*_ps
 * write one object each (a blank line, the fields, a blank line), so the leading blank line of
 * every block after the first is dropped.
 */
static void print_circuits(FILE *out, const struct circuit *list, unsigned n)
{
	for (unsigned i = 0; i < n; i++) {
		char *buf = NULL;
		size_t len = 0;
		FILE *m;

		if (i == 0 || !(m = open_memstream(&buf, &len))) {
			format_circuit_ps(out, &list[i]);
			continue;
		}
		format_circuit_ps(m, &list[i]);
		fclose(m);
		fputs(buf[0] == '\n' ? buf + 1 : buf, out);
		free(buf);
	}
}

/* ---- circuits ---- */

static int get_circuit(struct cli *x, const char *cmdlet, const struct psbound *b)
{
	const char *key_text = psbound_get(b, "ServiceKey");
	char key[GUID_STRLEN];
	struct circuit c, *list = NULL;
	unsigned n = 0;
	struct err e = { 0 };
	int r;

	if (!key_text) {
		if (op_circuit_list(x->eng, &list, &n, &e) < 0)
			return cmdlet_fail(x, cmdlet, &e);
		print_circuits(x->out, list, n);
		circuit_list_free(list, n);
		return 0;
	}
	if ((r = cmdlet_service_key(x, cmdlet, key_text, key)) != 0)
		return r;
	circuit_init(&c);
	if ((r = cmdlet_circuit(x, cmdlet, key, &c)) != 0)
		return r;
	format_circuit_ps(x->out, &c);
	circuit_clear(&c);
	return 0;
}

static int new_circuit(struct cli *x, const char *cmdlet, const struct psbound *b)
{
	char what[CIRCUIT_NAME_MAX + 16], key[GUID_STRLEN], shown[ERR_SHOW_MAX + 4];
	struct circuit c;
	struct err e = { 0 };
	int r;

	circuit_init(&c);
	err_fmt(what, sizeof(what), "circuit %s", err_show(psbound_get(b, "CircuitName"), shown));
	if ((r = bind_fields(x, cmdlet, b, &circuit_fields, &c, what, 0)) != 0)
		goto out;
	if ((r = op_circuit_new(x->eng, &c, &e)) < 0) {
		r = cmdlet_fail(x, cmdlet, &e);
		goto out;
	}
	/* The real cmdlet re-reads the circuit by its new key and prints that. */
	memcpy(key, c.service_key, sizeof(key));
	circuit_clear(&c);
	if ((r = cmdlet_circuit(x, cmdlet, key, &c)) != 0)
		goto out;
	format_circuit_ps(x->out, &c);
	r = 0;
out:
	circuit_clear(&c);
	return r;
}

static int remove_circuit(struct cli *x, const char *cmdlet, const struct psbound *b)
{
	char key[GUID_STRLEN], msg[256];
	struct circuit c;
	struct err e = { 0 };
	int r;

	if ((r = cmdlet_service_key(x, cmdlet, psbound_get(b, "ServiceKey"), key)) != 0 ||
	    (r = lock_exclusive(x, cmdlet)) != 0)
		return r;
	circuit_init(&c);
	r = op_circuit_get(x->eng, key, &c, &e);
	if (r == -ENOENT || (r == 0 && strcmp(c.service_key, key) != 0)) {
		circuit_clear(&c);
		/* Azure answers a delete of an unknown key with 400 BadRequest (recorded); the exit
		 * code stays "not found" so scripts see the same class as the native verb. */
		snprintf(msg, sizeof(msg), "The specified service key '%s' is not valid or could not be found.", key);
		return cmdlet_fail_code(x, cmdlet, "BadRequest", err_exit_code(-ENOENT), msg);
	}
	circuit_clear(&c);
	if (r < 0)
		return cmdlet_fail(x, cmdlet, &e);
	if (op_circuit_remove(x->eng, key, &e) < 0)
		return cmdlet_fail(x, cmdlet, &e);
	if (psbound_has(b, "PassThru"))
		fputs("True\n", x->out);
	return 0;
}

static int set_circuit(struct cli *x, const char *cmdlet, const struct psbound *b)
{
	char key[GUID_STRLEN], what[CIRCUIT_NAME_MAX + 16];
	struct circuit c, patch;
	struct err e = { 0 };
	int r;

	if ((r = cmdlet_service_key(x, cmdlet, psbound_get(b, "ServiceKey"), key)) != 0 ||
	    (r = lock_exclusive(x, cmdlet)) != 0)
		return r;
	circuit_init(&c);
	circuit_init(&patch);
	if ((r = cmdlet_circuit(x, cmdlet, key, &c)) != 0)
		return r;
	err_fmt(what, sizeof(what), "circuit %s", c.name);
	circuit_clear(&c);
	if ((r = bind_fields(x, cmdlet, b, &circuit_fields, &patch, what, 0)) != 0)
		goto out;
	if (op_circuit_set(x->eng, key, &patch, &e) < 0) {
		r = cmdlet_fail(x, cmdlet, &e);
		goto out;
	}
	if ((r = cmdlet_circuit(x, cmdlet, key, &c)) != 0)
		goto out;
	format_circuit_ps(x->out, &c);
	circuit_clear(&c);
out:
	circuit_clear(&patch);
	return r;
}

static int get_providers(struct cli *x, const char *cmdlet, const struct psbound *b)
{
	static const char *const headers[] = { "Name", "DedicatedCircuitLocations", "DedicatedCircuitBandwidths" };
	const struct provider *cat;
	const char **cells;
	char *texts;
	unsigned n, i;
	const size_t text_len = 2048;

	(void)b;
	cat = provider_catalogue(&n);
	cells = calloc((size_t)n * 3 + 1, sizeof(*cells));
	texts = calloc((size_t)n * 2 + 1, text_len);
	if (!cells || !texts) {
		free(cells);
		free(texts);
		return cmdlet_fail_code(x, cmdlet, "InternalError", 1, "out of memory");
	}
	for (i = 0; i < n; i++) {
		char *locs = texts + (size_t)(2 * i) * text_len, *bws = locs + text_len;
		size_t used = 0;

		/* The classic object holds its locations as one comma-separated string. */
		for (unsigned j = 0; cat[i].locations[j] && used < text_len; j++)
			used += (size_t)snprintf(locs + used, text_len - used, "%s%s", j ? "," : "",
						 cat[i].locations[j]);
		used = 0;
		for (unsigned j = 0; cat[i].bandwidths[j] && used < text_len; j++) {
			char label[32];

			used += (size_t)snprintf(bws + used, text_len - used, "%s%s:%" PRIu32, j ? ", " : "",
						 bandwidth_label(cat[i].bandwidths[j], label, sizeof(label)),
						 cat[i].bandwidths[j]);
		}
		cells[3 * i] = cat[i].name;
		cells[3 * i + 1] = locs;
		cells[3 * i + 2] = bws;
	}
	cmdlet_table(x->out, headers, 3, cells, n, 0);
	free(cells);
	free(texts);
	return 0;
}

/*
 * PowerShell's table format: a blank line, the header, a dashes row as long as each header, the
 * rows, two blank lines; columns one space apart, padded to the widest cell, the last one not
 * padded when left-aligned. Unlike a console, nothing is cut to the window width.
 */
void cmdlet_table(FILE *f, const char *const *headers, unsigned ncols, const char *const *cells,
		  unsigned nrows, unsigned right_aligned)
{
	size_t width[16] = { 0 };
	unsigned c, r;

	if (ncols > ARRAY_SIZE(width))
		ncols = ARRAY_SIZE(width);
	for (c = 0; c < ncols; c++) {
		width[c] = strlen(headers[c]);
		for (r = 0; r < nrows; r++) {
			size_t l = strlen(cells[r * ncols + c] ? cells[r * ncols + c] : "");

			if (l > width[c])
				width[c] = l;
		}
	}
	fputc('\n', f);
	for (r = 0; r < nrows + 2; r++) {
		for (c = 0; c < ncols; c++) {
			const char *s;
			char dashes[256];
			bool right = right_aligned & (1u << c), last = c + 1 == ncols;

			if (r == 0) {
				s = headers[c];
			} else if (r == 1) {
				size_t l = strlen(headers[c]) < sizeof(dashes) - 1 ? strlen(headers[c]) : sizeof(dashes) - 1;

				memset(dashes, '-', l);
				dashes[l] = '\0';
				s = dashes;
			} else {
				s = cells[(r - 2) * ncols + c] ? cells[(r - 2) * ncols + c] : "";
			}
			if (c)
				fputc(' ', f);
			if (right)
				fprintf(f, "%*s", (int)width[c], s);
			else if (last)
				fputs(s, f);
			else
				fprintf(f, "%-*s", (int)width[c], s);
		}
		fputc('\n', f);
	}
	fputs("\n\n", f);
}

/* ---- BGP peerings ---- */

/* -PeerAddressType and -LegacyMode (their ValidateSets), and what the peering parameters bind to. */
static int peering_from_args(struct cli *x, const char *cmdlet, const struct psbound *b, const struct circuit *c,
			     struct peering *p)
{
	const char *family_text = psbound_get(b, "PeerAddressType"), *legacy = psbound_get(b, "LegacyMode");
	char what[160];
	int family = 0;

	if (family_text) {
		if (strcasecmp(family_text, "IPv4") == 0)
			family = AF_INET;
		else if (strcasecmp(family_text, "IPv6") == 0)
			family = AF_INET6;
		else
			return cmdlet_validate_set(x, cmdlet, "PeerAddressType", family_text, "IPv4,IPv6");
	}
	if (legacy && strcasecmp(legacy, "True") != 0 && strcasecmp(legacy, "False") != 0)
		return cmdlet_validate_set(x, cmdlet, "LegacyMode", legacy, "False,True");
	snprintf(what, sizeof(what), "%s %s peering", c->name, access_type_lower(p->type));
	return bind_fields(x, cmdlet, b, &peering_fields, p, what, family);
}

static int print_peering(struct cli *x, const char *cmdlet, const char *key, enum access_type t)
{
	struct circuit c;
	const struct peering *p;
	struct err e = { 0 };
	int r;

	circuit_init(&c);
	r = op_peering_get(x->eng, key, t, &c, &p, &e);
	if (r == 0)
		format_peering_ps(x->out, &c, p);
	circuit_clear(&c);
	return r < 0 ? cmdlet_fail(x, cmdlet, &e) : 0;
}

/* New- and Set-AzureBGPPeering share their parameters; `set` merges or creates. */
static int write_peering(struct cli *x, const char *cmdlet, const struct psbound *b, bool set)
{
	char key[GUID_STRLEN];
	enum access_type t = ACCESS_PRIVATE;
	struct circuit c;
	struct peering p;
	struct err e = { 0 };
	int r;

	if ((r = cmdlet_service_key(x, cmdlet, psbound_get(b, "ServiceKey"), key)) != 0 ||
	    (r = cmdlet_access_type(x, cmdlet, psbound_get(b, "AccessType"), &t)) != 0 ||
	    (r = lock_exclusive(x, cmdlet)) != 0)
		return r;
	circuit_init(&c);
	peering_init(&p, t);
	if ((r = cmdlet_circuit(x, cmdlet, key, &c)) != 0)
		goto out;
	if ((r = peering_from_args(x, cmdlet, b, &c, &p)) != 0)
		goto out;

	if (!set) {
		r = op_peering_new(x->eng, key, &p, &e);
	} else {
		/* SetAzureBGPPeering.cs: Get, then update; when Get fails, these checks, then create. */
		if (!c.peering_present[t]) {
			static const struct { unsigned has; const char *what; } need[] = {
				{ PEERING_HAS_PEER_ASN, " Peer Asn" },   /* sic: two spaces in Azure's text */
				{ PEERING_HAS_VLAN, "VLan Id" },
				{ PEERING_HAS_PRIMARY4 | PEERING_HAS_PRIMARY6, "Primary Peer Subnet" },
				{ PEERING_HAS_SECONDARY4 | PEERING_HAS_SECONDARY6, "Secondary Peer Subnet" },
			};

			for (unsigned i = 0; i < ARRAY_SIZE(need); i++)
				if (!(p.has & need[i].has)) {
					r = fail_arg(x, cmdlet, "A value for the %s has to be provided.", need[i].what);
					goto out;
				}
		}
		r = op_peering_set(x->eng, key, &p, true, &e);
	}
	if (r < 0) {
		r = cmdlet_fail(x, cmdlet, &e);
		goto out;
	}
	r = print_peering(x, cmdlet, key, t);
out:
	peering_clear(&p);
	circuit_clear(&c);
	return r;
}

static int new_peering(struct cli *x, const char *cmdlet, const struct psbound *b)
{
	return write_peering(x, cmdlet, b, false);
}

static int set_peering(struct cli *x, const char *cmdlet, const struct psbound *b)
{
	return write_peering(x, cmdlet, b, true);
}

static int get_peering(struct cli *x, const char *cmdlet, const struct psbound *b)
{
	char key[GUID_STRLEN];
	enum access_type t = ACCESS_PRIVATE;
	struct circuit c;
	int r;

	if ((r = cmdlet_service_key(x, cmdlet, psbound_get(b, "ServiceKey"), key)) != 0 ||
	    (r = cmdlet_access_type(x, cmdlet, psbound_get(b, "AccessType"), &t)) != 0)
		return r;
	circuit_init(&c);
	r = cmdlet_circuit(x, cmdlet, key, &c);
	circuit_clear(&c);
	return r != 0 ? r : print_peering(x, cmdlet, key, t);
}

static int remove_peering(struct cli *x, const char *cmdlet, const struct psbound *b)
{
	char key[GUID_STRLEN];
	enum access_type t = ACCESS_PRIVATE;
	struct circuit c;
	struct err e = { 0 };
	const char *fam = psbound_get(b, "PeerAddressType");
	int r;

	if ((r = cmdlet_service_key(x, cmdlet, psbound_get(b, "ServiceKey"), key)) != 0 ||
	    (r = cmdlet_access_type(x, cmdlet, psbound_get(b, "AccessType"), &t)) != 0)
		return r;
	if (fam && strcasecmp(fam, "IPv4") && strcasecmp(fam, "IPv6") && strcasecmp(fam, "All"))
		return cmdlet_validate_set(x, cmdlet, "PeerAddressType", fam, "IPv4,IPv6,All");
	if ((r = lock_exclusive(x, cmdlet)) != 0)
		return r;
	circuit_init(&c);
	if ((r = cmdlet_circuit(x, cmdlet, key, &c)) != 0)
		return r;
	/* Azure honours IPv4/IPv6 for Microsoft peering only (otherwise it removes All). Removing
	 * one family of a dual-stack peering needs an op that clears fields: not there yet. */
	if (fam && t == ACCESS_MICROSOFT && strcasecmp(fam, "All") != 0 && c.peering_present[t] &&
	    peering_has_v4(&c.peerings[t]) && peering_has_v6(&c.peerings[t])) {
		circuit_clear(&c);
		return cmdlet_fail_code(x, cmdlet, "InternalError", 1,
					"Removing one address family of a dual-stack Microsoft peering is not "
					"implemented yet; use -PeerAddressType All");
	}
	circuit_clear(&c);
	if (op_peering_remove(x->eng, key, t, &e) < 0)
		return cmdlet_fail(x, cmdlet, &e);
	if (psbound_has(b, "PassThru"))
		fputs("True\n", x->out);
	return 0;
}

/* ---- VNet links (docs/layout.md#vnets) ---- */

static void link_row(FILE *f, const char *vnet)
{
	static const char *const headers[] = { "State", "VnetName" };
	const char *cells[] = { "Provisioned", vnet };

	cmdlet_table(f, headers, 2, cells, 1, 0);
}

/* New-AzureDedicatedCircuitLink -ServiceKey K -VNetName V [-AddressSpace CIDR[,CIDR]] (emulator's). */
static int new_vnet_link(struct cli *x, const char *cmdlet, const struct psbound *b)
{
	char key[GUID_STRLEN], what[VNET_NAME_MAX + 16];
	const char *name = psbound_get(b, "VNetName");
	struct vnet v = { 0 };
	struct err e = { 0 };
	int r;

	if ((r = cmdlet_service_key(x, cmdlet, psbound_get(b, "ServiceKey"), key)) != 0)
		return r;
	if (!psbound_get(b, "AddressSpace"))
		return cmdlet_fail_code(x, cmdlet, "BadRequest", 2,
					"A value for the AddressSpace has to be provided (erlab emulates the virtual "
					"network: give its address space, e.g. -AddressSpace 10.1.0.0/16).");
	if (strlen(name) > VNET_NAME_MAX) {
		err_set(&e, -EINVAL, name, "The virtual network name is too long: at most %d characters.", VNET_NAME_MAX);
		return cmdlet_fail(x, cmdlet, &e);
	}
	snprintf(v.name, sizeof(v.name), "%s", name);
	snprintf(what, sizeof(what), "vnet %s", name);
	if ((r = bind_fields(x, cmdlet, b, &vnet_fields, &v, what, 0)) == 0) {
		if (op_vnet_link(x->eng, key, &v, &e) < 0)
			r = cmdlet_fail(x, cmdlet, &e);
		else
			link_row(x->out, name);
	}
	vnet_clear(&v);
	return r;
}

static int get_vnet_link(struct cli *x, const char *cmdlet, const struct psbound *b)
{
	static const char *const headers[] = { "State", "VnetName" };
	char key[GUID_STRLEN];
	struct circuit c;
	const char **cells;
	unsigned n = 0;
	int r;

	if ((r = cmdlet_service_key(x, cmdlet, psbound_get(b, "ServiceKey"), key)) != 0)
		return r;
	circuit_init(&c);
	if ((r = cmdlet_circuit(x, cmdlet, key, &c)) != 0)
		return r;
	cells = calloc(2 * (c.n_vnets + 1), sizeof(*cells));
	for (unsigned i = 0; cells && i < c.n_vnets; i++) {
		if (psbound_get(b, "VNetName") && strcasecmp(psbound_get(b, "VNetName"), c.vnets[i].name) != 0)
			continue;
		cells[2 * n] = "Provisioned";
		cells[2 * n + 1] = c.vnets[i].name;
		n++;
	}
	if (psbound_get(b, "VNetName") && n == 0) {
		struct err e = { 0 };

		err_set(&e, -ENOENT, c.name, "The virtual network '%s' is not linked to circuit '%s'.", psbound_get(b, "VNetName"),
			c.name);
		free(cells);
		circuit_clear(&c);
		return cmdlet_fail(x, cmdlet, &e);
	}
	if (n)
		cmdlet_table(x->out, headers, 2, cells, n, 0);
	free(cells);
	circuit_clear(&c);
	return 0;
}

static int remove_vnet_link(struct cli *x, const char *cmdlet, const struct psbound *b)
{
	char key[GUID_STRLEN];
	struct err e = { 0 };
	int r;

	if ((r = cmdlet_service_key(x, cmdlet, psbound_get(b, "ServiceKey"), key)) != 0)
		return r;
	if (op_vnet_unlink(x->eng, key, psbound_get(b, "VNetName"), &e) < 0)
		return cmdlet_fail(x, cmdlet, &e);
	return 0;
}

/* ---- the table ---- */

typedef int (*cmdlet_fn)(struct cli *x, const char *cmdlet, const struct psbound *b);
typedef int (*cmdlet_raw_fn)(struct cli *x, const char *cmdlet, int argc, char **argv);

/*
 * A cmdlet's parameters, as its module declares them: its own first (ServiceKey, AccessType), then
 * the fields it takes, by their rows in a table of core/fields.c (their -Param names and order come
 * from there), then its own again (PeerAddressType, Force, PassThru).
 */
struct cmdlet {
	const char *name;
	const struct psparam *lead;
	const struct field_table *fields;
	const char *const *keys;          /* the rows it takes, by key; NULL: none */
	const struct psparam *tail;
	const char *const *mandatory;     /* parameter names */
	cmdlet_fn run;
	cmdlet_raw_fn raw;                /* binds its own parameters (diagnostics) */
};

#define END { NULL, false, -1 }
static const struct psparam key_lead[] = { { "ServiceKey", false, 0 }, END };
static const struct psparam peering_lead[] = { { "ServiceKey", false, 0 }, { "AccessType", false, -1 }, END };
static const struct psparam link_lead[] = { { "ServiceKey", false, 0 }, { "VNetName", false, 1 }, END };
static const struct psparam force[] = { { "Force", true, -1 }, END };
static const struct psparam force_passthru[] = { { "Force", true, -1 }, { "PassThru", true, -1 }, END };
static const struct psparam peering_tail[] = {
	{ "PeerAddressType", false, -1 }, { "LegacyMode", false, -1 }, { "Force", true, -1 }, { "PassThru", true, -1 },
	END,
};
static const struct psparam remove_peering_tail[] = {
	{ "PeerAddressType", false, -1 }, { "Force", true, -1 }, { "PassThru", true, -1 }, END,
};
static const char *const new_circuit_keys[] = {
	"name", "bandwidth", "location", "service_provider_name", "sku", "billing_type", NULL,
};
static const char *const set_circuit_keys[] = { "bandwidth", "sku", NULL };
static const char *const peering_keys[] = {
	"primary_peer_subnet", "secondary_peer_subnet", "primary_peer_subnet_v6", "secondary_peer_subnet_v6", "peer_asn",
	"vlan_id", "shared_key", "customer_asn", "advertised_public_prefixes", "routing_registry_name", NULL,
};
static const char *const link_keys[] = { "address_space", NULL };
#define NAMES(...) ((const char *const[]){ __VA_ARGS__, NULL })

static const struct cmdlet cmdlets[] = {
	{ "Get-AzureDedicatedCircuit", key_lead, NULL, NULL, NULL, NULL, get_circuit, NULL },
	{ "New-AzureDedicatedCircuit", NULL, &circuit_fields, new_circuit_keys, force,
	  NAMES("CircuitName", "Bandwidth", "Location", "ServiceProviderName"), new_circuit, NULL },
	{ "Remove-AzureDedicatedCircuit", key_lead, NULL, NULL, force_passthru, NAMES("ServiceKey"), remove_circuit,
	  NULL },
	{ "Set-AzureDedicatedCircuitProperties", key_lead, &circuit_fields, set_circuit_keys, force,
	  NAMES("ServiceKey"), set_circuit, NULL },
	{ "Get-AzureDedicatedCircuitServiceProvider", NULL, NULL, NULL, NULL, NULL, get_providers, NULL },
	{ "New-AzureBGPPeering", peering_lead, &peering_fields, peering_keys, peering_tail,
	  NAMES("ServiceKey", "PrimaryPeerSubnet", "SecondaryPeerSubnet", "PeerAsn", "VlanId"), new_peering, NULL },
	/* PeerAsn and VlanId are Mandatory in the source but fall back to the existing values. */
	{ "Set-AzureBGPPeering", peering_lead, &peering_fields, peering_keys, peering_tail, NAMES("ServiceKey"),
	  set_peering, NULL },
	{ "Get-AzureBGPPeering", peering_lead, NULL, NULL, NULL, NAMES("ServiceKey"), get_peering, NULL },
	{ "Remove-AzureBGPPeering", peering_lead, NULL, NULL, remove_peering_tail, NAMES("ServiceKey"), remove_peering,
	  NULL },
	{ "New-AzureDedicatedCircuitLink", link_lead, &vnet_fields, link_keys, NULL, NAMES("ServiceKey", "VNetName"),
	  new_vnet_link, NULL },
	{ "Get-AzureDedicatedCircuitLink", link_lead, NULL, NULL, NULL, NAMES("ServiceKey"), get_vnet_link, NULL },
	{ "Remove-AzureDedicatedCircuitLink", link_lead, NULL, NULL, NULL, NAMES("ServiceKey", "VNetName"),
	  remove_vnet_link, NULL },
	{ "Get-AzureDedicatedCircuitPeeringArpInfo", NULL, NULL, NULL, NULL, NULL, NULL, cmdlet_diag_arp },
	{ "Get-AzureDedicatedCircuitPeeringRouteTableSummary", NULL, NULL, NULL, NULL, NULL, NULL,
	  cmdlet_diag_route_summary },
	{ "Get-AzureDedicatedCircuitPeeringRouteTableInfo", NULL, NULL, NULL, NULL, NULL, NULL, cmdlet_diag_route_info },
	{ "Get-AzureDedicatedCircuitStats", NULL, NULL, NULL, NULL, NULL, NULL, cmdlet_diag_stats },
};

static bool in_list(const char *const *names, const char *name)
{
	for (; names && *names; names++)
		if (strcmp(*names, name) == 0)
			return true;
	return false;
}

static void add_param(struct psparam *v, unsigned *n, const struct psparam *p)
{
	for (unsigned i = 0; i < *n; i++)
		if (strcmp(v[i].name, p->name) == 0)
			return;   /* one parameter binds both the IPv4 and the IPv6 row */
	if (*n < PSARGS_MAX)
		v[(*n)++] = *p;
}

/* The cmdlet's parameters in declaration order, and which of them must be given. */
static unsigned cmdlet_params(const struct cmdlet *c, struct psparam v[PSARGS_MAX], unsigned *ret_mandatory)
{
	unsigned n = 0;

	for (const struct psparam *p = c->lead; p && p->name; p++)
		add_param(v, &n, p);
	for (unsigned i = 0; c->fields && i < c->fields->n; i++) {
		const struct field *f = &c->fields->rows[i];
		struct psparam p = { f->param, false, -1 };

		if (f->param && in_list(c->keys, f->key))
			add_param(v, &n, &p);
	}
	for (const struct psparam *p = c->tail; p && p->name; p++)
		add_param(v, &n, p);
	*ret_mandatory = 0;
	for (unsigned i = 0; i < n; i++)
		if (in_list(c->mandatory, v[i].name))
			*ret_mandatory |= 1u << i;
	return n;
}

static const struct cmdlet *cmdlet_find(const char *name)
{
	if (!name)
		return NULL;
	for (unsigned i = 0; i < ARRAY_SIZE(cmdlets); i++)
		if (strcasecmp(cmdlets[i].name, name) == 0)
			return &cmdlets[i];
	return NULL;
}

bool cmdlet_is(const char *name)
{
	return cmdlet_find(name) != NULL;
}

int cmdlet_main(struct cli *x, int argc, char **argv)
{
	const struct cmdlet *c = argc > 0 ? cmdlet_find(argv[0]) : NULL;
	struct psparam params[PSARGS_MAX];
	unsigned n, mandatory;
	struct psbound b;
	int r;

	if (!c)
		return cmdlet_fail_code(x, argc > 0 && argv[0] ? argv[0] : "erlab", "BadRequest", 2,
					"not a supported cmdlet");
	/* Errors name the cmdlet in its canonical spelling, whatever case was typed. */
	if (c->raw)
		r = c->raw(x, c->name, argc - 1, argv + 1);
	else if (n = cmdlet_params(c, params, &mandatory),
		 (r = cmdlet_bind(x, c->name, params, n, mandatory, argc - 1, argv + 1, &b)) == 0)
		r = c->run(x, c->name, &b);
	fflush(x->out);
	return r;
}
