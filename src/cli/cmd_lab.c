/* SPDX-License-Identifier: MIT */
#include <errno.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cli/cli.h"
#include "core/names.h"
#include "core/shard.h"

/*
 * Print every mistake of a lab file, one line each, the file and line first as compilers do
 * ("labs/x.ini:12: [peering er1 private] vlan_id=100: ..."), so an editor jumps to it. A file with
 * mistakes is invalid input (exit 2) even when one mistake is a clash such as a VLAN in use:
 * nothing exists yet that it clashes with.
 */
static int lab_errors(struct cli *x, struct lab_errors *errs, int r)
{
	char buf[1400];
	int code = 0;

	for (unsigned i = 0; i < errs->n; i++) {
		fprintf(x->log, "%s\n", err_format(&errs->v[i], buf, sizeof(buf)));
		code = err_exit_code(errs->v[i].errnum);
	}
	lab_errors_clear(errs);
	if (!code) {
		struct err e = {0};

		err_set(&e, r, "lab", "cannot load the lab file");
		code = cli_error(x, &e);
	}
	return r == -EINVAL ? 2 : code;
}

/* The lab's path as recorded in the state: realpath when the file exists, else cwd-relative. */
static void abs_path(const char *path, char out[PATH_MAX])
{
	char cwd[PATH_MAX];

	if (realpath(path, out))
		return;
	if (path[0] != '/' && getcwd(cwd, sizeof(cwd)))
		snprintf(out, PATH_MAX, "%.2000s/%.2000s", cwd, path);
	else
		snprintf(out, PATH_MAX, "%s", path);
}

/* --shard K/N (docs/ci.md): 0, or the usage error's exit code. */
static int parse_shard(struct cli *x, const char *verb, const char *arg, unsigned *k, unsigned *n)
{
	if (!arg || shard_parse(arg, k, n) < 0)
		return cli_usage(x, verb, "--shard expects K/N with 1 <= K <= N <= %d, got '%s'", SHARD_MAX,
				 arg ? arg : "");
	return 0;
}

/* up --wait: the lab's BGP sessions, as `erlab wait NAME` waits for them. */
static int wait_lab(struct cli *x, const char *name, double timeout)
{
	struct circuit *all = NULL;
	unsigned *idx = NULL, n = 0, m = 0;
	struct err e = {0};
	int r;

	if ((r = op_circuit_list(x->eng, &all, &n, &e)) < 0)
		return cli_error(x, &e);
	if (!(idx = calloc(n ? n : 1, sizeof(*idx)))) {
		err_set(&e, -ENOMEM, "up --wait", "out of memory");
		r = cli_error(x, &e);
		goto out;
	}
	for (unsigned i = 0; i < n; i++)
		if (all[i].lab && strcmp(all[i].lab, name) == 0)
			idx[m++] = i;
	r = cli_wait_sessions(x, "up --wait", all, idx, m, timeout);
out:
	free(idx);
	circuit_list_free(all, n);
	return r;
}

int cmd_up(struct cli *x, int argc, char **argv)
{
	struct lab lab;
	struct lab_errors errs = {0};
	struct err e = {0};
	const char *file = NULL;
	bool dry_run = false, wait = false;
	double timeout = 60;
	unsigned changed, shard_k = 0, shard_n = 0;
	int r;

	for (int i = 1; i < argc; i++) {
		if (strcmp(argv[i], "--dry-run") == 0 || strcmp(argv[i], "-n") == 0)
			dry_run = true;
		else if (strcmp(argv[i], "--wait") == 0)
			wait = true;
		else if (strcmp(argv[i], "--timeout") == 0) {
			if ((r = cli_parse_timeout(x, "up", i + 1 < argc ? argv[++i] : NULL, &timeout)))
				return r;
		} else if (strcmp(argv[i], "--shard") == 0) {
			if ((r = parse_shard(x, "up", i + 1 < argc ? argv[++i] : NULL, &shard_k, &shard_n)))
				return r;
		} else if (!file && argv[i][0] != '-')
			file = argv[i];
		else
			return cli_usage(x, "up", "unexpected argument '%s'", argv[i]);
	}
	if (!file)
		return cli_usage(x, "up", "expects LAB.ini");
	memset(&lab, 0, sizeof(lab));
	if ((r = lab_load(file, &lab, &errs)) < 0)
		return lab_errors(x, &errs, r);
	if (shard_n)
		lab_keep_shard(&lab, shard_k, shard_n);
	r = converge_up(x->eng, &lab, dry_run, &changed, &e);
	if (r < 0) {
		lab_clear(&lab);
		return cli_error(x, &e);
	}
	if (!changed && x->verbosity >= 0)
		fprintf(x->out, "%s: up to date\n", file);
	if (wait && !dry_run)
		r = wait_lab(x, lab.name, timeout);
	lab_clear(&lab);
	return r;
}

/* A lab is named by its file when the argument is a file, has a '/' or ends in ".ini". */
static bool names_a_file(const char *arg, bool *ret_exists)
{
	struct stat st;
	size_t n = strlen(arg);

	*ret_exists = stat(arg, &st) == 0;
	return (*ret_exists && !S_ISDIR(st.st_mode)) || strchr(arg, '/') || (n > 4 && strcmp(arg + n - 4, ".ini") == 0);
}

int cmd_down(struct cli *x, int argc, char **argv)
{
	struct err e = {0};
	const char *arg = NULL;
	char path[PATH_MAX];
	unsigned removed, shard_k = 0, shard_n = 0;
	bool exists;
	int r;

	for (int i = 1; i < argc; i++) {
		if (strcmp(argv[i], "--shard") == 0) {
			if ((r = parse_shard(x, "down", i + 1 < argc ? argv[++i] : NULL, &shard_k, &shard_n)))
				return r;
		} else if (!arg) {
			arg = argv[i];
		} else {
			return cli_usage(x, "down", "unexpected argument '%s'", argv[i]);
		}
	}
	if (!arg)
		return cli_usage(x, "down", "expects a lab's NAME or FILE, or --all");
	if (strcmp(arg, "--all") == 0) {
		if (shard_n)
			return cli_usage(x, "down", "--all takes no --shard");
		r = converge_down_all(x->eng, &removed, &e);
	} else if (names_a_file(arg, &exists)) {
		abs_path(arg, path);
		r = converge_down(x->eng, NULL, path, shard_k, shard_n, &removed, &e);
		if (r == -ENOENT && !exists) {
			/* A typo of a file name must not pass for "nothing to do". */
			char detail[sizeof(e.detail)];

			snprintf(detail, sizeof(detail), "%s", e.detail);
			err_set(&e, -ENOENT, arg, "no such file, and no lab was brought up from it");
			err_detail(&e, "%s", detail);
		}
	} else if (names_check_lab(arg) < 0) {
		return cli_usage(x, "down", "'%s' is neither a lab file nor a lab name", arg);
	} else {
		r = converge_down(x->eng, arg, NULL, shard_k, shard_n, &removed, &e);
	}
	if (r < 0)
		return cli_error(x, &e);
	if (x->verbosity > 0)
		fprintf(x->out, "removed %u\n", removed);
	return 0;
}

/* Graphviz: namespaces as boxes, each link an edge labelled with its VLANs and addresses. */
static void graph_circuit(FILE *f, const struct circuit *c)
{
	char cu[NS_NAME_MAX], ms[NS_NAME_MAX], a[CIDR_STRLEN], b[CIDR_STRLEN];

	names_ns(c, NS_CUSTOMER, cu);
	names_ns(c, NS_MICROSOFT, ms);
	fprintf(f, "  subgraph \"cluster_%s\" {\n    label=\"%s\\n%u Mbps, %s, %s\";\n", c->name, c->name, c->bandwidth,
		c->location, c->provider);
	fprintf(f, "    \"%s\" [label=\"%s\\ncustomer edge\"];\n    \"%s\" [label=\"%s\\nMicrosoft edge (AS 12076)\"];\n",
		cu, cu, ms, ms);
	for (enum link_side side = 0; side < _LINK_MAX; side++) {
		fprintf(f, "    \"%s\" -- \"%s\" [label=\"%s", cu, ms, names_trunk(side));
		for (enum access_type t = 0; t < _ACCESS_MAX; t++) {
			const struct peering *p = &c->peerings[t];

			if (!c->peering_present[t])
				continue;
			fprintf(f, "\\nVLAN %u %s", p->vlan_id, access_type_lower(t));
			for (int v6 = 0; v6 < 2; v6++) {
				enum subnet_slot sl = subnet_slot_of(side, v6);
				struct cidr h1 = cidr_host(peering_subnet(p, sl), 1), h2 = cidr_host(peering_subnet(p, sl), 2);

				if (p->has & subnet_slots[sl].bit)
					fprintf(f, " %s - %s", cidr_str(&h1, a, sizeof(a)), cidr_addr_str(&h2, b, sizeof(b)));
			}
		}
		fputs("\"];\n", f);
	}
	fputs("  }\n", f);
}

static void graph(FILE *f, const char *title, const struct circuit *v, unsigned n)
{
	fputs("graph \"", f);
	for (const char *s = title; *s; s++)
		if (*s != '"' && *s != '\\')
			fputc(*s, f);
	fputs("\" {\n  rankdir=LR;\n  node [shape=box];\n", f);
	for (unsigned i = 0; i < n; i++)
		graph_circuit(f, &v[i]);
	fputs("}\n", f);
}

int cmd_graph(struct cli *x, int argc, char **argv)
{
	struct lab lab;
	struct lab_errors errs = {0};
	int r;

	if (argc != 2)
		return cli_usage(x, "graph", "expects LAB.ini");
	memset(&lab, 0, sizeof(lab));
	if ((r = lab_load(argv[1], &lab, &errs)) < 0)
		return lab_errors(x, &errs, r);
	graph(x->out, argv[1], lab.circuits, lab.n_circuits);
	lab_clear(&lab);
	return 0;
}

int cmd_status(struct cli *x, int argc, char **argv)
{
	struct circuit *all = NULL, one;
	unsigned n = 0;
	const char *id = NULL;
	bool json = false, dot = false;
	struct observed *obs = NULL;
	struct drift *drifts = NULL;
	struct err e = {0}, *errs = NULL;
	unsigned m = 0;
	int r = 0, *rs = NULL;

	for (int i = 1; i < argc; i++) {
		if (strcmp(argv[i], "--json") == 0)
			json = true;
		else if (strcmp(argv[i], "--dot") == 0)
			dot = true;
		else if (!id && argv[i][0] != '-')
			id = argv[i];
		else
			return cli_usage(x, "status", "unexpected argument '%s'", argv[i]);
	}
	circuit_init(&one);
	if (id) {
		if ((r = op_circuit_get(x->eng, id, &one, &e)) < 0)
			return cli_error(x, &e);
	} else if ((r = op_circuit_list(x->eng, &all, &n, &e)) < 0) {
		return cli_error(x, &e);
	}
	if (dot) {
		graph(x->out, "erlab", id ? &one : all, id ? 1 : n);
		goto out;
	}
	if (json && !id)
		fputc('[', x->out);
	m = id ? 1u : n;
	obs = calloc(m ? m : 1, sizeof(*obs));
	drifts = calloc(m ? m : 1, sizeof(*drifts));
	rs = calloc(m ? m : 1, sizeof(*rs));
	errs = calloc(m ? m : 1, sizeof(*errs));
	if (!obs || !drifts || !rs || !errs) {
		r = err_set(&e, -ENOMEM, "status", "out of memory");
		goto out;
	}
	engine_observe_many(x->eng, id ? &one : all, m, true, obs, drifts, rs, errs);
	for (unsigned i = 0; i < m; i++) {
		const struct circuit *c = id ? &one : &all[i];

		if ((r = rs[i]) < 0) {
			e = errs[i];
			break;
		}
		if (json) {
			if (i)
				fputc(',', x->out);
			print_status_json(x->out, c, &obs[i], &drifts[i]);
		} else {
			print_status_text(x->out, c, &obs[i], &drifts[i]);
		}
	}
	for (unsigned i = 0; i < m; i++) {
		drift_clear(&drifts[i]);
		observed_clear(&obs[i]);
	}
	if (r < 0)
		goto out;
	if (json && !id)
		fputs("]\n", x->out);
out:
	free(errs);
	free(rs);
	free(drifts);
	free(obs);
	circuit_clear(&one);
	circuit_list_free(all, n);
	return r < 0 ? cli_error(x, &e) : 0;
}
