/* SPDX-License-Identifier: MIT */
#ifndef ERLAB_INI_INT_H
#define ERLAB_INI_INT_H

/*
 * What the reader's files share (ini.c has the pipeline): the state of one read, from the pre-scan
 * (ini_scan.c) through iniparser (ini_values.c) to the document (ini_doc.c) and the messages
 * (ini_report.c).
 * Strings live in one growing arena and are named by offset until the document is built.
 */
#include <stdbool.h>
#include <stddef.h>

#include "ini/ini.h"

#define INI_NONE 0xffffffffu

/* One [header] line, repeated ones included. */
struct ini_head {
	size_t name;                /* into strs: as written, trimmed */
	size_t start;               /* offset of its line in the text: where a slice may begin */
	unsigned line;
	unsigned sec;               /* the document section: its first header with the same norm */
	unsigned same;              /* the first header iniparser files under the same (lowercased) name */
	unsigned slice;             /* on `same`: the last slice whose dictionary has the name */
	unsigned first, n;          /* the keys kept under this header: ents[first .. first + n) */
};

/* One key line kept in the document. */
struct ini_ent {
	size_t key;                 /* into strs, lowercased */
	size_t value;               /* into strs, once iniparser has read it */
	size_t start, end;          /* its logical line in the text, continuations included, no '\n' */
	unsigned head;
	unsigned line;
};

/* A section of the document: headers equal once normalised. */
struct ini_sec {
	size_t norm;                /* into strs */
	unsigned head;              /* its first header */
};

/* A key line left out (a repeated key): blanked before iniparser reads the text. */
struct ini_drop {
	size_t key;                 /* into strs, lowercased */
	size_t value;               /* into strs when shown and read; INI_NO_VALUE otherwise */
	size_t start, end;
	unsigned head;
	unsigned line, first_line;  /* its line, the line of the key it repeats */
	bool show;                  /* its value belongs in the message */
};
#define INI_NO_VALUE ((size_t)-1)

enum ini_mistake_kind {
	MK_NUL,
	MK_TOO_LONG,
	MK_HEADER_FORM,
	MK_HEADER_COLON,
	MK_HEADER_EMPTY,
	MK_NO_KEY,
	MK_OUTSIDE,
	MK_EOF_CONTINUED,
	MK_LINE_FORM,
	MK_TOO_MANY_ENTRIES,
	MK_TOO_MANY_KEYS,
	MK_DIFFERENT,               /* iniparser read a line otherwise than the pre-scan: a bug of ours */
	/* Above: the text cannot be read. Below: reported, the document still usable. */
	MK_DUP_SECTION,
	MK_UNCLOSED_QUOTE,
	MK_AFTER_QUOTE,
	MK_GLUED_COMMENT,
	MK_DUP_KEY,
};

/* Kept small and formatted only when reported: a hostile file may have 65536 of them. */
struct ini_mistake {
	unsigned kind;
	unsigned line;
	unsigned head;              /* the header of an entry */
	unsigned aux;               /* a line (duplicate section), a drop (duplicate key) */
	size_t key;                 /* into strs */
	char ch;                    /* the quote or comment character */
};

struct ini_strs {
	char *v;
	size_t n, cap;
};

struct ini_reader {
	const char *file;
	struct ini_limits lim;      /* every member set */
	char *text;                 /* owned copy, NUL-terminated; drops get blanked in it */
	size_t len;
	struct ini_strs strs;
	bool strs_given;            /* strs.v belongs to the document now */
	struct ini_head *heads;
	unsigned n_heads, cap_heads;
	struct ini_ent *ents;
	unsigned n_ents, cap_ents;
	struct ini_drop *drops;
	unsigned n_drops, cap_drops;
	struct ini_mistake *mistakes;
	unsigned n_mistakes, cap_mistakes;
	unsigned n_fatal;
	struct ini_sec *secs;       /* the document's sections */
	unsigned n_secs, cap_secs;
	struct ini_map sec_map;     /* norm -> document section */
	struct ini_map same_map;    /* name, case folded -> first header */
	struct ini_map key_map;     /* (section, key) -> ents */
	int fd;                     /* the caller's file, -1 for text */
	const char *path;
	/* A failure of the whole read (line 0), reported after the mistakes. */
	int sys_errnum;
	char sys_msg[160], sys_detail[96];
};

/* ini.c: the arena and growing arrays */
int ini_strs_add(struct ini_strs *s, const char *p, size_t len, size_t *ret);
void *ini_grow(void *v, unsigned n, unsigned *cap, size_t size);

/* ini_report.c: a mistake of a line or an entry (0 or -ENOMEM); the failure of the whole read
 * (returns errnum); every one of them through err, in order */
int ini_mistake(struct ini_reader *rd, unsigned kind, unsigned line, unsigned head, unsigned aux, size_t key,
		char ch);
int ini_fail(struct ini_reader *rd, int errnum, const char *msg, const char *detail);
void ini_report(const struct ini_reader *rd, ini_error_fn err, void *ud);

/* ini_doc.c: the document from a clean read. 0 or -ENOMEM. */
int ini_doc_build(struct ini_reader *rd, struct ini_doc *doc);

/* ini_scan.c: the pre-scan. 0, -EINVAL (the text cannot be read: mistakes recorded) or -ENOMEM. */
int ini_scan(struct ini_reader *rd);

/*
 * ini_values.c: iniparser. The values of the drops to show, then (keys: after a clean scan) of every
 * key. 0, -EINVAL (the text could not be read: recorded), -ENOMEM, or another -errno (recorded).
 */
int ini_values(struct ini_reader *rd, bool keys);

#endif
