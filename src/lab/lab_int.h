/* SPDX-License-Identifier: MIT */
#ifndef ERLAB_LAB_INT_H
#define ERLAB_LAB_INT_H

/* What the lab loader's files share (lab.c has the pipeline); not part of lab.h's interface. */
#include <stdbool.h>

#include "core/err.h"
#include "core/model.h"
#include "ini/ini.h"
#include "lab/lab.h"

enum section_kind {
	SEC_LAB,
	SEC_CIRCUIT,
	SEC_PEERING,
	SEC_VNET,
	SEC_BGP,
	SEC_REGISTRY,
	_SEC_MAX,
	SEC_UNKNOWN = -1,
};

/* A section of the file, in file order. */
struct section {
	const struct ini_section *ini;
	enum section_kind kind;
	char *words[3];                 /* "peering", "er1", "private" as written */
	char *words_buf;
	enum access_type type;          /* [peering] */
	int circuit;                    /* index into lab->circuits; -1 when none */
	bool bad;                       /* a key was refused or is missing */
	struct peering scratch_peering; /* a peering whose circuit is missing: checked, then dropped */
	struct vnet vnet;               /* [vnet], moved to its circuit once checked */
};

struct loader {
	const char *file;               /* as given, for messages */
	struct lab *lab;
	struct lab_errors *errs;
	bool oom;
	unsigned n_errs;                /* added by this load */
	struct ini_doc doc;
	struct section *secs;           /* one per doc section */
	unsigned n_secs;
};

/* lab_err.c: every mistake, "FILE:LINE: [section] key=value: message (detail)" */
bool lab_errs_full(const struct loader *ld);
void lab_add_err(struct loader *ld, int errnum, const char *what, const char *msg, const char *detail);
void lab_section_err(struct loader *ld, const struct section *s, int errnum, const char *msg, const char *detail);
/* Against a key of section s (k NULL: the section); secret keys are named without their value. */
void lab_key_err(struct loader *ld, const struct section *s, const struct ini_key *k, bool secret, int errnum,
		 const char *msg, const char *detail);

/* lab_check.c: whole-object checks */
void lab_check_circuits(struct loader *ld);
void lab_check_vnets(struct loader *ld);
void lab_check_peerings(struct loader *ld);
void lab_registry_states(struct lab *lab);

#endif
