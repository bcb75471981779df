/* SPDX-License-Identifier: MIT */
#ifndef ERLAB_CMDLET_H
#define ERLAB_CMDLET_H

#include <stdio.h>

#include "core/field.h"
#include "core/model.h"
#include "core/psargs.h"
#include "cli/cli.h"

/*
 * The cmdlets' parameters as the classic module declares them (docs/rules.md, "The cmdlets'
 * parameters"), bound the way PowerShell's binder does: names and prefixes (core/psargs), then
 * each value converted to its .NET type (UInt32, Guid, an enum), then the validation attributes,
 * then the mandatory ones. Binder errors print as PowerShell prints them, "<Cmdlet> : <text>",
 * without an Azure error code; what the service refuses prints "<Cmdlet> : <Code>: <Message>".
 */

/* The .NET types a parameter converts its value to. */
enum ps_type {
	PS_STRING,
	PS_GUID,            /* System.Guid */
	PS_GUID_STRING,     /* a string with the module's [ValidateGuid] */
	PS_UINT32,          /* System.UInt32 */
	PS_INT32,           /* System.Int32 */
	PS_ENUM,            /* a .NET enum: decl.en */
	PS_SWITCH,          /* SwitchParameter */
};

/* A .NET enum: its type name, and its count values named in declaration order. */
struct ps_enum {
	const char *type;
	unsigned count;
	const char *(*name)(int v);
};

enum {
	PS_MANDATORY = 1u << 0,   /* [Parameter(Mandatory = true)] */
	PS_NOT_EMPTY = 1u << 1,   /* [ValidateNotNullOrEmpty] */
	PS_NULLABLE  = 1u << 2,   /* UInt32? and friends: the type PowerShell names is Nullable`1[...] */
};

/*
 * One declared parameter. A field parameter names its row by key (`key`, in the cmdlet's field
 * table: its -Param name, its value's type and rules come from there; rows that share the name
 * bind as one parameter, the address family choosing the row); the cmdlet's own parameters
 * (ServiceKey, AccessType, Force) give name and type here.
 */
struct ps_decl {
	const char *key;            /* a row of the cmdlet's field table; NULL: own parameter */
	const char *name;           /* own parameter's name */
	enum ps_type type;          /* own parameter's type (a field's comes from its row) */
	const struct ps_enum *en;   /* PS_ENUM */
	unsigned flags;             /* PS_MANDATORY, ... */
	int pos;                    /* Position + 1; 0: named only */
	const char *alias;          /* [Alias] */
	const char *help;           /* own parameter's help (a field's is its row's) */
};

/* The values of one call, converted: value[i] is the canonical text ("10" for "010", "Private"
 * for "private"), NULL when not given; switches are in b.present. */
struct ps_call {
	const char *cmdlet;         /* canonical spelling, for messages */
	const struct field_table *fields;
	struct psbound b;
	struct psparam params[PSARGS_MAX];   /* what b was bound against */
	char types[PSARGS_MAX][96];          /* their .NET type names */
	char conv[PSARGS_MAX][40];           /* converted numbers and GUIDs */
};

/*
 * For help (cli/help.c): the cmdlets of the table in cmdlet.c, and each one's parameters as the
 * binder binds them (cmdlet_bind.c): its declared ones, then PowerShell's common parameters.
 */
struct cmdlet_doc {
	const char *name;
	const char *summary;                /* one line */
	const char *native;                 /* the native verb that does the same ("peering new"), or NULL */
	const struct ps_decl *params;
	const struct field_table *fields;
};
struct ps_param_doc {
	const char *name;
	char type[96];                      /* the .NET type, as the binder's errors name it */
	unsigned flags;                     /* PS_MANDATORY, PS_NOT_EMPTY, PS_NULLABLE */
	int position;                       /* -1: named only */
	const char *alias;
	bool is_switch;
	bool common;                        /* one of PowerShell's common parameters */
	const struct ps_enum *en;           /* an enum's values (a field's: en_buf); NULL: none */
	struct ps_enum en_buf;
	char help[512];                     /* the declaration's, or its rows' joined (IPv4; IPv6) */
};
/* The i-th cmdlet (false past the last), and one by name, case-insensitively (NULL: none). */
bool cmdlet_doc_at(unsigned i, struct cmdlet_doc *ret);
bool cmdlet_doc_find(const char *name, struct cmdlet_doc *ret);
/* The parameters of c into ret (at most max); returns how many there are. */
unsigned cmdlet_param_docs(const struct cmdlet_doc *c, struct ps_param_doc *ret, unsigned max);

/* Bind argv to the declarations (cmdlet_bind.c). Returns 0, or the exit code after printing. */
int cmdlet_bind(struct cli *x, const char *cmdlet, const struct ps_decl *decls, const struct field_table *fields,
		int argc, char **argv, struct ps_call *ret);
const char *ps_get(const struct ps_call *c, const char *name);
bool ps_has(const struct ps_call *c, const char *name);

/* The enums the cmdlets' own parameters bind to. */
extern const struct ps_enum ps_access_type;        /* BgpPeeringAccessType */
extern const struct ps_enum ps_device_path;        /* DevicePath */

/* Service errors: "<Cmdlet> : <Code>: <Message>"; returns the exit code. */
int cmdlet_fail(struct cli *x, const char *cmdlet, const struct err *e);
int cmdlet_fail_code(struct cli *x, const char *cmdlet, const char *code, int exit_code, const char *msg);
/* A binder error: "<Cmdlet> : <text>", exit 2. */
int cmdlet_binder_fail(struct cli *x, const char *cmdlet, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
/* PowerShell's warning stream: "WARNING: <text>". */
void cmdlet_warning(struct cli *x, const char *text);

int cmdlet_circuit(struct cli *x, const char *cmdlet, const char *key, struct circuit *ret);

/* Diagnostics, cmdlet_diag.c. */
int cmdlet_diag_arp(struct cli *x, const struct ps_call *c);
int cmdlet_diag_route_summary(struct cli *x, const struct ps_call *c);
int cmdlet_diag_route_info(struct cli *x, const struct ps_call *c);
int cmdlet_diag_stats(struct cli *x, const struct ps_call *c);

#endif
