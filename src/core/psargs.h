/* SPDX-License-Identifier: MIT */
#ifndef ERLAB_PSARGS_H
#define ERLAB_PSARGS_H

#include <stdbool.h>

#include "core/err.h"

/*
 * PowerShell-style parameter binding for the cmdlet face, pure (fuzzed):
 *   -Name value | -Name:value | -Switch | positional values
 * Parameter names are case-insensitive and any unambiguous prefix binds ("-Serv" = -ServiceKey).
 * Values may arrive quoted by the shell already; a value that still has surrounding quotes
 * (e.g. from a pasted '"abc"') has them removed.
 */
#define PSARGS_MAX 32

struct psparam {
	const char *name;        /* "ServiceKey" */
	bool is_switch;          /* -Force, -PassThru */
	int position;            /* -1 = named only; 0 = first positional, ... */
	const char *alias;       /* another name that binds it when typed in full ("ea"); NULL: none */
	const char *type;        /* the .NET type, for "Missing an argument" ("System.UInt32"); NULL: unknown */
};

struct psbound {
	const char *value[PSARGS_MAX];   /* per parameter index: the bound value, or NULL */
	bool present[PSARGS_MAX];        /* given at all (switches: true when set) */
	const struct psparam *params;   /* what was bound against */
	unsigned n;
};

/* The value bound to the parameter called name (exactly as declared), NULL when not given; and
 * whether it was given at all (a switch that is set). */
const char *psbound_get(const struct psbound *b, const char *name);
bool psbound_has(const struct psbound *b, const char *name);

/*
 * Bind argv (after the cmdlet name) to params (n <= 32). Errors (-EINVAL, message in *e):
 * unknown parameter ("A parameter cannot be found that matches parameter name 'Foo'."),
 * ambiguous prefix ("Parameter cannot be processed because the parameter name 'P' is ambiguous.
 * Possible matches include: -PeerAsn -PrimaryPeerSubnet."), missing value, given twice,
 * too many positional values.
 */
int psargs_bind(const struct psparam *params, unsigned n, int argc, char **argv,
		struct psbound *ret, struct err *e);

#endif
