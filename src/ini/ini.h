/* SPDX-License-Identifier: MIT */
#ifndef ERLAB_INI_H
#define ERLAB_INI_H

/*
 * One reader of INI documents for lab files and state files. A pre-scan finds what iniparser
 * cannot tell (line numbers, duplicate headers and keys, headers as written, lines iniparser would
 * refuse or cut silently); iniparser 4.1 then reads the values, in slices so that the whole read
 * stays linear (its dictionary scans every slot on each insert). Each key gets iniparser's value
 * on the line the pre-scan found. iniparser is never handed a line it would complain about, so
 * nothing is printed and iniparser's process-wide error callback is left alone (state files are
 * read from several threads at once).
 */
#include <stdbool.h>
#include <stddef.h>

#include "ini/ini_map.h"

/* iniparser 4.1 reads a line, continuations joined, into a 1024-byte buffer. */
#define INI_LINE_MAX 1000
/* The limits a 0 in ini_limits stands for: a lab file's. */
#define INI_DEFAULT_MAX_BYTES (1u << 20)
#define INI_DEFAULT_MAX_ENTRIES 65536
#define INI_DEFAULT_MAX_SECTION_KEYS 4096

struct ini_limits {
	size_t max_bytes;          /* larger files are refused (-EFBIG) */
	unsigned max_line;         /* characters of a logical line, continuations joined (<= INI_LINE_MAX) */
	unsigned max_entries;      /* sections + keys */
	unsigned max_section_keys; /* keys under one header */
	/* Keys whose value is never shown in a message (a shared key); NULL: none. Given the key lowercased. */
	bool (*secret)(const char *key);
	/* The file in messages: "lab file" gives "a lab file is text"; NULL: "file". */
	const char *noun;
};

struct ini_key {
	const char *key;           /* lowercased, as iniparser stores it */
	const char *value;         /* as iniparser reads it: quotes removed, comment cut, trimmed; "" when empty */
	unsigned line;             /* first line of the entry (1-based) */
};

struct ini_section {
	const char *name;          /* between the brackets, trimmed, case kept */
	const char *norm;          /* lowercased, runs of blanks made one space: two headers equal here are one section */
	unsigned line;
	unsigned first, n;         /* its keys: doc->keys[first .. first + n), in file order */
};

struct ini_doc {
	const char *file;          /* as given, for messages */
	struct ini_section *sections;  /* in file order, duplicates left out */
	unsigned n_sections;
	struct ini_key *keys;
	unsigned n_keys;
	/* private */
	char *strings;             /* every string above */
	struct ini_map section_map;    /* norm -> index into sections */
	struct ini_map key_map;        /* (section, key) -> index into keys */
};

/* Where a mistake is: line 0 is the file as a whole; without a section, a line that cannot be
 * read; with one, an entry (and with a key, that key; value NULL for a secret key's). */
struct ini_place {
	const char *file;          /* as given to the read */
	unsigned line;
	const char *section;       /* as written */
	const char *key;
	const char *value;
};

/* A place as an editor reads it, gcc style: "FILE", "FILE:LINE", "FILE:LINE: [Section]",
 * "FILE:LINE: [Section] key" or "FILE:LINE: [Section] key=value" (the value as err_show cuts it). */
const char *ini_place_text(const struct ini_place *at, char *buf, size_t len);

/* Every mistake, in line order after the read. */
typedef void (*ini_error_fn)(void *ud, const struct ini_place *at, int errnum, const char *msg, const char *detail);

/*
 * Read an open file (the caller opened it: labs follow symlinks, state files are opened with O_NOFOLLOW
 * relative to a directory fd), from its start. `path` is only a fallback name for iniparser where
 * /proc/self/fd and memfd are missing (may be NULL). lim NULL or a 0 member: the lab's limits
 * (1 MiB, 1000 characters, 65536 entries, 4096 keys a section).
 * Returns 0 (doc usable: duplicate headers and keys were reported and left out, a key whose value
 * iniparser cuts was reported and keeps iniparser's value), -EINVAL after reporting mistakes that
 * make the text unreadable (nothing in *ret), -EFBIG, -ENOMEM, or another -errno (reported).
 */
int ini_read_fd(int fd, const char *file, const char *path, const struct ini_limits *lim, struct ini_doc *ret,
		ini_error_fn err, void *ud);
/* The same for text already in memory (tests, fuzzing). */
int ini_read_text(const char *text, size_t len, const char *file, const struct ini_limits *lim, struct ini_doc *ret,
		  ini_error_fn err, void *ud);
void ini_doc_free(struct ini_doc *d);

/* The section whose norm is `norm` (already normalised; ASCII case does not matter), NULL when none. O(1) expected. */
const struct ini_section *ini_section_find(const struct ini_doc *d, const char *norm);
/* A key of a section (any case), NULL when none. O(1) expected. */
const struct ini_key *ini_key_find(const struct ini_doc *d, const struct ini_section *s, const char *key);
/* Normalise a header as ini_section.norm is: into buf (len bytes, cut to fit), returns buf. */
const char *ini_normalize(const char *s, char *buf, size_t len);

#endif
