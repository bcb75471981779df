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
struct psparam {
	const char *name;        /* "ServiceKey" */
	bool is_switch;          /* -Force, -PassThru */
	int position;            /* -1 = named only; 0 = first positional, ... */
};

struct psbound {
	const char *value[32];   /* per parameter index: the bound value, or NULL */
	bool present[32];        /* given at all (switches: true when set) */
};

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
