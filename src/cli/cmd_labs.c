/* SPDX-License-Identifier: MIT */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli/cli.h"
#include "cli/options.h"
#include "core/json.h"

/*
 * erlab labs [--json]: the labs that are up, from the state (README, "Lab files"): each lab's
 * name, the file it was brought up from, its circuits, and whether that file is still there.
 * Circuits made by hand belong to no lab and are not listed (`erlab circuit list` has them).
 */

struct lab_row {
	const char *name, *file;
	const struct circuit **circuits;
	unsigned n;
};

static const char *lab_state(const struct lab_row *l)
{
	return l->file && access(l->file, F_OK) == 0 ? "up" : "up, file missing";
}

/* Group the circuits by lab, in the order the labs first appear (the store lists by name). */
static int group(const struct circuit *all, unsigned n, struct lab_row **ret, unsigned *ret_n,
		 const struct circuit ***ret_slots)
{
	struct lab_row *labs = calloc(n ? n : 1, sizeof(*labs));
	const struct circuit **slots = calloc(n ? n : 1, sizeof(*slots));
	unsigned m = 0, used = 0;

	if (!labs || !slots) {
		free(labs);
		free(slots);
		return -ENOMEM;
	}
	for (unsigned i = 0; i < n; i++) {
		unsigned j;

		if (!all[i].lab)
			continue;
		for (j = 0; j < m && strcmp(labs[j].name, all[i].lab) != 0; j++)
			;
		if (j == m) {
			labs[m].name = all[i].lab;
			labs[m].file = all[i].lab_file;
			m++;
		}
		labs[j].n++;
	}
	/* One array of circuit pointers, each lab a slice of it. */
	for (unsigned j = 0; j < m; j++) {
		labs[j].circuits = slots + used;
		used += labs[j].n;
		labs[j].n = 0;
	}
	for (unsigned i = 0; i < n; i++)
		for (unsigned j = 0; j < m && all[i].lab; j++)
			if (strcmp(labs[j].name, all[i].lab) == 0) {
				labs[j].circuits[labs[j].n++] = &all[i];
				break;
			}
	*ret = labs;
	*ret_n = m;
	*ret_slots = slots;
	return 0;
}

/* docs/json.md, "labs": {"schema": "erlab/labs/v1", "labs": [{name, file, state, circuits}]}. */
static int print_json(FILE *f, const struct lab_row *labs, unsigned m)
{
	struct json j;

	jw_begin(&j, f, "labs");
	jw_key(&j, "labs");
	jw_array(&j);
	for (unsigned i = 0; i < m; i++) {
		jw_object(&j);
		jw_kstring(&j, "name", labs[i].name);
		jw_kstring(&j, "file", labs[i].file);
		jw_kstring(&j, "state", lab_state(&labs[i]));
		jw_key(&j, "circuits");
		jw_array(&j);
		for (unsigned k = 0; k < labs[i].n; k++)
			jw_string(&j, labs[i].circuits[k]->name);
		jw_array_end(&j);
		jw_object_end(&j);
	}
	jw_array_end(&j);
	return jw_end(&j);
}

static void print_text(FILE *f, const struct lab_row *labs, unsigned m)
{
	int wn = 4, wf = 4;

	for (unsigned j = 0; j < m; j++) {
		int a = (int)strlen(labs[j].name), b = labs[j].file ? (int)strlen(labs[j].file) : 1;

		wn = a > wn ? a : wn;
		wf = b > wf ? b : wf;
	}
	fprintf(f, "%-*s  %-*s  %-8s  %s\n", wn, "NAME", wf, "FILE", "CIRCUITS", "STATE");
	for (unsigned j = 0; j < m; j++)
		fprintf(f, "%-*s  %-*s  %-8u  %s\n", wn, labs[j].name, wf, labs[j].file ? labs[j].file : "-", labs[j].n,
			lab_state(&labs[j]));
}

enum { OPT_JSON = OPT_OWN };
const struct verb_opt labs_options[] = {
	{ .name = "json", .id = OPT_JSON, .help = "print as one JSON document (docs/json.md)" },
	{ 0 },
};

int cmd_labs(struct cli *x, int argc, char **argv)
{
	struct circuit *all = NULL;
	const struct circuit **slots = NULL;
	struct lab_row *labs = NULL;
	struct cli_opts o = { .verb = x->verb };
	struct err e = {0};
	unsigned n = 0, m = 0;
	bool json;
	int r;

	if ((r = cli_getopt(x, "labs", argc, argv, &o, NULL, NULL)) != 0)
		return r;
	if (o.optind < argc)
		return cli_usage(x, "labs", "unexpected argument '%s'", argv[o.optind]);
	json = cli_own_given(&o, OPT_JSON);
	if ((r = op_circuit_list(x->eng, &all, &n, &e)) < 0)
		return cli_error(x, &e);
	if ((r = group(all, n, &labs, &m, &slots)) < 0) {
		circuit_list_free(all, n);
		err_set(&e, r, "labs", "out of memory");
		return cli_error(x, &e);
	}
	r = 0;
	if (json && (r = print_json(x->out, labs, m)) < 0) {
		err_set(&e, r, "labs --json", "cannot write the document");
		r = cli_error(x, &e);
	} else if (!json && m) {
		print_text(x->out, labs, m);
	}
	free(slots);
	free(labs);
	circuit_list_free(all, n);
	return r;
}
