/* SPDX-License-Identifier: MIT */
/*
 * PowerShell's parameter binder for the cmdlet face (cli/cmdlet.h): the declarations of each
 * cmdlet's parameters become core/psargs's table, with PowerShell's common parameters; each value
 * is then converted to its .NET type and checked by the validation attributes the module declares,
 * in PowerShell's words (docs/rules.md, "The cmdlets' parameters"). What the service checks (the
 * field rules of core/fields.c, the whole-object rules) comes later, in cmdlet.c.
 *
 * Errors print as PowerShell renders them: binder errors "<Cmdlet> : <text>"; a CloudException
 * "<Cmdlet> : <Code>: <Message>", Code from err_azure_code(). A message that is one of Azure's
 * recorded texts prints verbatim; any other (erlab's own) prints as err_format() does, "<what>:
 * <msg> (<detail>)", so the object, the value and the kernel's reason are not lost.
 */
#include <ctype.h>
#include <errno.h>
#include <fnmatch.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "cli/cmdlet.h"
#include "core/guid.h"

#define ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))

/* Recorded texts (docs/rules.md, "Azure error texts"): these never get erlab's additions. */
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
	"A value for the * has to be provided.",
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

int cmdlet_binder_fail(struct cli *x, const char *cmdlet, const char *fmt, ...)
{
	va_list ap;

	fprintf(x->log, "%s : ", cmdlet);
	va_start(ap, fmt);
	vfprintf(x->log, fmt, ap);
	va_end(ap);
	fputc('\n', x->log);
	return 2;
}

void cmdlet_warning(struct cli *x, const char *text)
{
	fprintf(x->log, "WARNING: %s\n", text);
}

/* ---- enums ---- */

static const char *access_name(int v) { return access_type_name((enum access_type)v); }
const struct ps_enum ps_access_type = {
	"Microsoft.WindowsAzure.Management.ExpressRoute.Models.BgpPeeringAccessType", _ACCESS_MAX, access_name,
};

static const char *device_path_name(int v) { return v == LINK_PRIMARY ? "Primary" : "Secondary"; }
const struct ps_enum ps_device_path = {
	"Microsoft.WindowsAzure.Management.ExpressRoute.DevicePath", _LINK_MAX, device_path_name,
};

static const char *action_name(int v)
{
	static const char *const names[] = { "SilentlyContinue", "Stop", "Continue", "Inquire", "Ignore", "Suspend" };

	return names[v];
}
static const struct ps_enum action_preference = { "System.Management.Automation.ActionPreference", 6, action_name };

/* PowerShell's common parameters, which every cmdlet takes (about_CommonParameters). */
static const struct ps_decl common[] = {
	{ .name = "Verbose", .type = PS_SWITCH, .alias = "vb",
	  .help = "accepted; erlab has no verbose stream (erlab -v prints the kernel steps)" },
	{ .name = "Debug", .type = PS_SWITCH, .alias = "db", .help = "accepted; changes nothing" },
	{ .name = "ErrorAction", .type = PS_ENUM, .en = &action_preference, .alias = "ea",
	  .help = "SilentlyContinue or Ignore: the error is not shown (the exit code still says it)" },
	{ .name = "WarningAction", .type = PS_ENUM, .en = &action_preference, .alias = "wa",
	  .help = "accepted; changes nothing" },
	{ .name = "InformationAction", .type = PS_ENUM, .en = &action_preference, .alias = "infa",
	  .help = "accepted; changes nothing" },
	{ .name = "ErrorVariable", .alias = "ev", .help = "accepted; changes nothing (no PowerShell session)" },
	{ .name = "WarningVariable", .alias = "wv", .help = "accepted; changes nothing (no PowerShell session)" },
	{ .name = "InformationVariable", .alias = "iv", .help = "accepted; changes nothing (no PowerShell session)" },
	{ .name = "OutVariable", .alias = "ov", .help = "accepted; changes nothing (no PowerShell session)" },
	{ .name = "OutBuffer", .type = PS_INT32, .alias = "ob", .help = "accepted; changes nothing" },
	{ .name = "PipelineVariable", .alias = "pv", .help = "accepted; changes nothing (no PowerShell session)" },
	{ 0 },
};

/* ---- declarations into psargs's table ---- */

/* What a declaration binds as: its name and type, the field row's where it has one. */
struct resolved {
	const char *name;
	enum ps_type type;
	const struct ps_enum *en;
	struct ps_enum field_en;    /* a field's enum, seen as a ps_enum */
	unsigned flags;
};

static void resolve(const struct ps_decl *d, const struct field_table *t, struct resolved *r)
{
	const struct field *f = d->key && t ? field_by_key(t, d->key) : NULL;

	memset(r, 0, sizeof(*r));
	r->flags = d->flags;
	if (!f) {
		r->name = d->name;
		r->type = d->type;
		r->en = d->en;
		return;
	}
	r->name = f->param;
	if (f->kind == FIELD_U32 || f->kind == FIELD_U16)
		r->type = PS_UINT32;
	else if (f->kind == FIELD_ENUM && f->names->ps_type) {
		r->type = PS_ENUM;
		r->field_en.type = f->names->ps_type;
		r->field_en.count = f->names->count;
		r->field_en.name = f->names->name;
		r->en = &r->field_en;
	}
}

static const char *type_name(const struct resolved *r, char *buf, size_t len)
{
	const char *base = r->type == PS_GUID ? "System.Guid" : r->type == PS_UINT32 ? "System.UInt32" :
			   r->type == PS_INT32 ? "System.Int32" : r->type == PS_ENUM ? r->en->type :
			   r->type == PS_SWITCH ? "System.Management.Automation.SwitchParameter" : "System.String";

	if (r->flags & PS_NULLABLE)
		snprintf(buf, len, "System.Nullable`1[%s]", base);
	else
		snprintf(buf, len, "%s", base);
	return buf;
}

/* ---- conversions ---- */

/*
 * A string to an integer as .NET's Parse does (NumberStyles.Integer): blanks around, a sign, decimal
 * digits, leading zeros welcome. "" is 0, as PowerShell converts it. Returns 0, -ERANGE or -EINVAL.
 */
static int parse_integer(const char *s, int64_t min, int64_t max, int64_t *ret)
{
	bool neg = false, digits = false, big = false;
	int64_t v = 0;

	while (isspace((unsigned char)*s))
		s++;
	if (!*s) {
		*ret = 0;
		return 0;
	}
	if (*s == '+' || *s == '-')
		neg = *s++ == '-';
	for (; *s >= '0' && *s <= '9'; s++) {
		digits = true;
		if (v > (INT64_MAX - 9) / 10)
			big = true;
		else
			v = v * 10 + (*s - '0');
	}
	while (isspace((unsigned char)*s))
		s++;
	if (!digits || *s)
		return -EINVAL;
	if (neg)
		v = -v;
	if (big || v < min || v > max)
		return -ERANGE;
	*ret = v;
	return 0;
}

static int convert_number(struct cli *x, const char *cmdlet, const struct resolved *r, const char *v, char *out,
			  size_t len)
{
	bool u = r->type == PS_UINT32;
	const char *type = u ? "UInt32" : "Int32";
	int64_t n;
	int k = parse_integer(v, u ? 0 : INT32_MIN, u ? UINT32_MAX : INT32_MAX, &n);

	if (k == 0) {
		snprintf(out, len, "%lld", (long long)n);
		return 0;
	}
	return cmdlet_binder_fail(x, cmdlet, "Cannot bind parameter '%s'. Cannot convert value \"%s\" to type "
				  "\"System.%s\". Error: \"%s\"", r->name, v, type,
				  k == -ERANGE ? (u ? "Value was either too large or too small for a UInt32."
						    : "Value was either too large or too small for an Int32.")
					       : "Input string was not in a correct format.");
}

/* An enum by name (any case) or by its number, as PowerShell converts a string to an enum. */
static int convert_enum(struct cli *x, const char *cmdlet, const struct resolved *r, const char *v, const char **ret)
{
	char list[256];
	size_t used = 0;
	int64_t n;

	for (unsigned i = 0; i < r->en->count; i++)
		if (strcasecmp(v, r->en->name((int)i)) == 0) {
			*ret = r->en->name((int)i);
			return 0;
		}
	if (v[0] && parse_integer(v, 0, (int64_t)r->en->count - 1, &n) == 0) {
		*ret = r->en->name((int)n);
		return 0;
	}
	list[0] = '\0';
	for (unsigned i = 0; i < r->en->count && used < sizeof(list); i++)
		used += (size_t)snprintf(list + used, sizeof(list) - used, "%s%s", i ? ", " : "", r->en->name((int)i));
	return cmdlet_binder_fail(x, cmdlet, "Cannot bind parameter '%s'. Cannot convert value \"%s\" to type \"%s\". "
				  "Error: \"Unable to match the identifier name %s to a valid enumerator name. Specify "
				  "one of the following enumerator names and try again:\n%s\"", r->name, v, r->en->type,
				  v, list);
}

static int convert(struct cli *x, const char *cmdlet, const struct resolved *r, const char *v, char *out,
		   size_t len, const char **ret)
{
	char key[GUID_STRLEN];

	*ret = v;
	switch (r->type) {
	case PS_UINT32:
	case PS_INT32:
		if (convert_number(x, cmdlet, r, v, out, len) != 0)
			return 2;
		*ret = out;
		break;
	case PS_ENUM:
		return convert_enum(x, cmdlet, r, v, ret);
	case PS_GUID:
		if (guid_parse(v, key) < 0)
			return cmdlet_binder_fail(x, cmdlet, "Cannot bind parameter '%s'. Cannot convert value \"%s\" to "
						  "type \"System.Guid\". Error: \"Guid should contain 32 digits with 4 "
						  "dashes (xxxxxxxx-xxxx-xxxx-xxxx-xxxxxxxxxxxx).\"", r->name, v);
		snprintf(out, len, "%s", key);
		*ret = out;
		break;
	case PS_GUID_STRING:
		if (v[0] && guid_parse(v, key) < 0)
			return cmdlet_binder_fail(x, cmdlet, "Cannot validate argument on parameter '%s'. The value %s "
						  "is an invalid GUID.", r->name, v);
		break;
	case PS_STRING:
	case PS_SWITCH:
		break;
	}
	if ((r->flags & PS_NOT_EMPTY) && !(*ret)[0])
		return cmdlet_binder_fail(x, cmdlet, "Cannot validate argument on parameter '%s'. The argument is null "
					  "or empty. Provide an argument that is not null or empty, and then try the "
					  "command again.", r->name);
	return 0;
}

/* ---- binding ---- */

/* A cmdlet's declarations, then the common parameters, each resolved. Returns how many. */
static unsigned collect(const struct ps_decl *decls, const struct field_table *fields, const struct ps_decl **all,
			struct resolved *res)
{
	unsigned n = 0;

	for (const struct ps_decl *d = decls; d && (d->key || d->name); d++)
		if (n < PSARGS_MAX)
			all[n++] = d;
	for (const struct ps_decl *d = common; d->name; d++)
		if (n < PSARGS_MAX)
			all[n++] = d;
	for (unsigned i = 0; i < n; i++)
		resolve(all[i], fields, &res[i]);
	return n;
}

int cmdlet_bind(struct cli *x, const char *cmdlet, const struct ps_decl *decls, const struct field_table *fields,
		int argc, char **argv, struct ps_call *ret)
{
	struct resolved res[PSARGS_MAX];
	const struct ps_decl *all[PSARGS_MAX];
	char missing[512];
	size_t used = 0;
	unsigned n, i;
	struct err e = { 0 };
	int r;

	memset(ret, 0, sizeof(*ret));
	ret->cmdlet = cmdlet;
	ret->fields = fields;
	n = collect(decls, fields, all, res);
	for (i = 0; i < n; i++)
		ret->params[i] = (struct psparam){ res[i].name, res[i].type == PS_SWITCH, all[i]->pos - 1, all[i]->alias,
						   type_name(&res[i], ret->types[i], sizeof(ret->types[i])) };
	if (psargs_bind(ret->params, n, argc, argv, &ret->b, &e) < 0)
		return cmdlet_binder_fail(x, cmdlet, "%s", e.msg);
	/* Each value to its type, then its validation attributes: the first failure ends the binding. */
	for (i = 0; i < n; i++) {
		const char *v = ret->b.value[i];

		if (!ret->b.present[i] || !v || res[i].type == PS_SWITCH)
			continue;
		if ((r = convert(x, cmdlet, &res[i], v, ret->conv[i], sizeof(ret->conv[i]), &v)) != 0)
			return r;
		ret->b.value[i] = v;
	}
	missing[0] = '\0';
	for (i = 0; i < n; i++) {
		if (!(res[i].flags & PS_MANDATORY) || ret->b.present[i] || used >= sizeof(missing))
			continue;
		used += (size_t)snprintf(missing + used, sizeof(missing) - used, "%s%s", used ? " " : "", res[i].name);
	}
	if (missing[0])
		return cmdlet_binder_fail(x, cmdlet, "Cannot process command because of one or more missing mandatory "
					  "parameters: %s.", missing);
	return 0;
}

/* The help of a field parameter: that of every row of its name (IPv4; IPv6), joined. */
static void field_help(const struct field_table *t, const char *param, char *buf, size_t len)
{
	size_t used = 0;

	buf[0] = '\0';
	for (const struct field *f = field_by_param(t, param, NULL); f && used < len; f = field_by_param(t, param, f))
		if (f->help && f->help[0])
			used += (size_t)snprintf(buf + used, len - used, "%s%s", used ? "; " : "", f->help);
}

unsigned cmdlet_param_docs(const struct cmdlet_doc *c, struct ps_param_doc *ret, unsigned max)
{
	struct resolved res[PSARGS_MAX];
	const struct ps_decl *all[PSARGS_MAX];
	unsigned n = collect(c->params, c->fields, all, res), common_from = n;

	for (const struct ps_decl *d = common; d->name; d++)
		common_from--;
	for (unsigned i = 0; i < n && i < max; i++) {
		struct ps_param_doc *p = &ret[i];

		memset(p, 0, sizeof(*p));
		p->name = res[i].name;
		type_name(&res[i], p->type, sizeof(p->type));
		p->flags = res[i].flags;
		p->position = all[i]->pos - 1;
		p->alias = all[i]->alias;
		p->is_switch = res[i].type == PS_SWITCH;
		p->common = i >= common_from;
		if (res[i].en == &res[i].field_en) {
			p->en_buf = res[i].field_en;
			p->en = &p->en_buf;
		} else {
			p->en = res[i].type == PS_ENUM ? res[i].en : NULL;
		}
		if (all[i]->key && c->fields)
			field_help(c->fields, p->name, p->help, sizeof(p->help));
		else
			snprintf(p->help, sizeof(p->help), "%s", all[i]->help ? all[i]->help : "");
	}
	return n;
}

const char *ps_get(const struct ps_call *c, const char *name)
{
	return psbound_get(&c->b, name);
}

bool ps_has(const struct ps_call *c, const char *name)
{
	return psbound_has(&c->b, name);
}
