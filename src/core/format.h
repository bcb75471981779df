/* SPDX-License-Identifier: MIT */
#ifndef ERLAB_FORMAT_H
#define ERLAB_FORMAT_H

#include <stdio.h>

#include "core/json.h"
#include "core/model.h"

/*
 * Output of the read verbs. Pure: writes to a FILE*, reads nothing else.
 *
 * PowerShell list format (the how-to's output; README, "The how-to's cmdlets"): a blank line, then "Name<pad> : value" lines
 * with names padded to the longest, blank values printed as "Name : " (PowerShell keeps the
 * space after the colon), then a blank line. Several objects: blocks one after the other,
 * separated by one blank line, with one blank line at the very end.
 */
struct ps_field {
	const char *name;
	const char *value;   /* NULL or "" prints blank */
};
void format_ps_list(FILE *f, const struct ps_field *fields, unsigned n);

/*
 * PowerShell's table format: a blank line, the header, a dashes row as long as each header, the
 * rows (cells[row * ncols + col]), two blank lines; columns one space apart. widths (NULL: all 0)
 * gives a column's width as a format file does, its cells wrapped at word boundaries (a word too
 * long is cut); 0 sizes a column to its widest cell, or, for the last column after a fixed one,
 * to what is left of a console FORMAT_PS_CONSOLE wide. right_aligned: bit per column. No line
 * ends in blanks.
 */
#define FORMAT_PS_CONSOLE 120
void format_ps_table(FILE *f, const char *const *headers, const int *widths, unsigned ncols, const char *const *cells,
		     unsigned nrows, unsigned right_aligned);

/* Get-AzureDedicatedCircuit block for one circuit. */
void format_circuit_ps(FILE *f, const struct circuit *c);
/* Get-AzureBGPPeering block. */
void format_peering_ps(FILE *f, const struct circuit *c, const struct peering *p);

/* Native text: "key: value" lines, one object, stable order (for `circuit get`, `peering get`). */
void format_circuit_text(FILE *f, const struct circuit *c);
void format_peering_text(FILE *f, const struct circuit *c, const struct peering *p);
/* `circuit list`: a header and one line per circuit. */
void format_circuit_list_header(FILE *f);
void format_circuit_list_row(FILE *f, const struct circuit *c);

/*
 * JSON (docs/json.md): the keys of a circuit, peering, VNet and BGP settings are the keys of their
 * field tables' rows (core/fields.c), typed for JSON; keys that no row has (the peering's hosts and
 * Azure ports, the circuit's peerings and VNets) are derived here. The shared key is never
 * written, only whether it is set.
 */
/* One circuit object, as a value of a document the caller writes (status, lists). */
void format_circuit_json(struct json *j, const struct circuit *c);
/* Documents: erlab/circuit/v1 (circuit new, get), erlab/circuits/v1 (circuit list), erlab/peering/v1
 * (peering get). 0 or -errno (jw_end). */
int format_circuit_doc(FILE *f, const struct circuit *c);
int format_circuit_list_doc(FILE *f, const struct circuit *v, unsigned n);
int format_peering_doc(FILE *f, const struct circuit *c, const struct peering *p);

#endif
