/* SPDX-License-Identifier: MIT */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "core/psargs.h"

/*
 * The texts below are PowerShell's own (ParameterBinderStrings), so a script written against
 * the real cmdlets sees the same sentences. The missing-argument text names the parameter's .NET
 * type when the declaration gives it, and says "Specify a value" otherwise.
 */

/*
 * PowerShell reads "-Name" as a parameter only when a letter, '_' or '?' follows the dash:
 * "-5" and a lone "-" are values.
 */
static bool is_param_token(const char *s)
{
	char c;

	if (!s || s[0] != '-')
		return false;
	c = s[1];
	return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || c == '_' || c == '?';
}

/* One pair of matching surrounding quotes goes; the NUL overwrites the closing quote in place. */
static char *strip_quotes(char *v)
{
	size_t len = strlen(v);

	if (len >= 2 && (v[0] == '"' || v[0] == '\'') && v[len - 1] == v[0]) {
		v[len - 1] = '\0';
		return v + 1;
	}
	return v;
}

/* Index of the parameter named by name[0..len), exact (case-insensitive) first, then a unique
 * prefix. -ENOENT when nothing matches, -EINVAL when the prefix is ambiguous (message set, the
 * candidates sorted by name so the text does not depend on the table's order). */
static int find_param(const struct psparam *params, unsigned n, const char *name, size_t len,
		      struct err *e)
{
	unsigned match[PSARGS_MAX], matches = 0, i, j;
	char list[512];
	size_t used = 0;

	for (i = 0; i < n; i++)
		if (strlen(params[i].name) == len && strncasecmp(params[i].name, name, len) == 0)
			return (int)i;
	/* An alias binds only when typed in full, as PowerShell's do. */
	for (i = 0; i < n; i++)
		if (params[i].alias && strlen(params[i].alias) == len && strncasecmp(params[i].alias, name, len) == 0)
			return (int)i;

	for (i = 0; i < n; i++) {
		if (strlen(params[i].name) < len || strncasecmp(params[i].name, name, len) != 0)
			continue;
		for (j = matches++; j > 0 && strcasecmp(params[match[j - 1]].name, params[i].name) > 0; j--)
			match[j] = match[j - 1];
		match[j] = i;
	}
	if (matches == 1)
		return (int)match[0];
	if (matches == 0)
		return -ENOENT;
	list[0] = '\0';
	for (i = 0; i < matches && used < sizeof(list); i++) {
		int w = snprintf(list + used, sizeof(list) - used, " -%s", params[match[i]].name);

		used += w > 0 ? (size_t)w : 0;
	}
	return err_set(e, -EINVAL, NULL,
		       "Parameter cannot be processed because the parameter name '%.*s' is ambiguous. "
		       "Possible matches include:%s.", (int)len, name, list);
}

/* A switch given a value ("-Force:$false"): PowerShell accepts booleans and numbers only. */
static int switch_value(const struct psparam *p, const char *v, bool *ret, struct err *e)
{
	static const char *const truths[] = { "$true", "true", "1" };
	static const char *const lies[] = { "$false", "false", "0" };
	unsigned i;

	for (i = 0; i < sizeof(truths) / sizeof(truths[0]); i++) {
		if (strcasecmp(v, truths[i]) == 0) {
			*ret = true;
			return 0;
		}
		if (strcasecmp(v, lies[i]) == 0) {
			*ret = false;
			return 0;
		}
	}
	return err_set(e, -EINVAL, NULL,
		       "Cannot process argument transformation on parameter '%s'. Cannot convert value "
		       "\"%s\" to type \"System.Management.Automation.SwitchParameter\". Boolean "
		       "parameters accept only Boolean values and numbers, such as $True, $False, 1 or 0.",
		       p->name, v);
}

static int bind_positional(const struct psparam *params, unsigned n, char *arg, struct psbound *b,
			   struct err *e)
{
	unsigned i;
	int best = -1;

	/* The lowest position not yet bound (by name or by an earlier positional value). */
	for (i = 0; i < n; i++) {
		if (params[i].position < 0 || params[i].is_switch || b->present[i])
			continue;
		if (best < 0 || params[i].position < params[best].position)
			best = (int)i;
	}
	if (best < 0)
		return err_set(e, -EINVAL, NULL,
			       "A positional parameter cannot be found that accepts argument '%s'.", arg);
	b->value[best] = strip_quotes(arg);
	b->present[best] = true;
	return 0;
}

int psargs_bind(const struct psparam *params, unsigned n, int argc, char **argv,
		struct psbound *ret, struct err *e)
{
	char *positional[64];
	unsigned n_positional = 0, i;
	bool seen[PSARGS_MAX] = { false };
	bool end_of_params = false;
	int k, r;

	memset(ret, 0, sizeof(*ret));
	ret->params = params;
	ret->n = n;
	if (n > PSARGS_MAX || (n > 0 && !params))
		return err_set(e, -EINVAL, NULL, "psargs: %u parameters, at most %d supported", n,
			       PSARGS_MAX);
	if (argc < 0 || (argc > 0 && !argv))
		return err_set(e, -EINVAL, NULL, "psargs: no arguments vector");

	for (k = 0; k < argc; k++) {
		char *arg = argv[k], *colon, *value = NULL;
		const struct psparam *p;
		size_t len;
		int idx;

		if (!arg)
			return err_set(e, -EINVAL, NULL, "psargs: argument %d is NULL", k);
		/* "--" ends the parameters: everything after it binds by position, as in PowerShell. */
		if (!end_of_params && strcmp(arg, "--") == 0) {
			end_of_params = true;
			continue;
		}
		if (end_of_params || !is_param_token(arg)) {
			if (n_positional == sizeof(positional) / sizeof(positional[0]))
				return err_set(e, -EINVAL, NULL,
					       "A positional parameter cannot be found that accepts argument '%s'.",
					       arg);
			positional[n_positional++] = arg;
			continue;
		}

		colon = strchr(arg + 1, ':');
		len = colon ? (size_t)(colon - (arg + 1)) : strlen(arg + 1);
		idx = find_param(params, n, arg + 1, len, e);
		if (idx == -ENOENT)
			return err_set(e, -EINVAL, NULL,
				       "A parameter cannot be found that matches parameter name '%.*s'.",
				       (int)len, arg + 1);
		if (idx < 0)
			return idx;
		p = &params[idx];
		if (seen[idx])
			return err_set(e, -EINVAL, NULL,
				       "Cannot bind parameter because parameter '%s' is specified more than once. "
				       "To provide multiple values to parameters that can accept multiple values, "
				       "use the array syntax. For example, \"-parameter value1,value2,value3\".",
				       p->name);
		seen[idx] = true;

		/* "-Name:value"; "-Name: value" (colon, then a separate word) takes the next word. */
		if (colon && colon[1])
			value = colon + 1;
		else if (colon || !p->is_switch) {
			if (k + 1 >= argc || !argv[k + 1] || (!colon && is_param_token(argv[k + 1]))) {
				if (p->type)
					return err_set(e, -EINVAL, NULL, "Missing an argument for parameter '%s'. "
						       "Specify a parameter of type '%s' and try again.", p->name, p->type);
				return err_set(e, -EINVAL, NULL,
					       "Missing an argument for parameter '%s'. Specify a value and try again.",
					       p->name);
			}
			value = argv[++k];
		}

		if (p->is_switch) {
			bool on = true;

			if (value) {
				r = switch_value(p, strip_quotes(value), &on, e);
				if (r < 0)
					return r;
			}
			ret->present[idx] = on;
			continue;
		}
		ret->value[idx] = strip_quotes(value);
		ret->present[idx] = true;
	}

	/* Named parameters bind first, then the positional values fill what is left, in order. */
	for (i = 0; i < n_positional; i++) {
		r = bind_positional(params, n, positional[i], ret, e);
		if (r < 0)
			return r;
	}
	return 0;
}

static int bound_index(const struct psbound *b, const char *name)
{
	for (unsigned i = 0; i < b->n; i++)
		if (strcmp(b->params[i].name, name) == 0)
			return (int)i;
	return -1;
}

const char *psbound_get(const struct psbound *b, const char *name)
{
	int i = bound_index(b, name);

	return i < 0 ? NULL : b->value[i];
}

bool psbound_has(const struct psbound *b, const char *name)
{
	int i = bound_index(b, name);

	return i >= 0 && b->present[i];
}
