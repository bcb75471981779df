/* SPDX-License-Identifier: MIT */
#include <errno.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cli/cli.h"
#include "cli/options.h"
#include "core/names.h"
#include "core/shard.h"

enum { OPT_DRY_RUN = OPT_OWN, OPT_ALL, OPT_JSON, OPT_DOT, OPT_WAIT, OPT_TIMEOUT, OPT_SHARD, OPT_LIVE, OPT_SIDE };
#define SHARD_OPTION { .name = "shard", .id = OPT_SHARD, .arg = "K/N", \
		       .help = "only the K-th of N shards of the lab's circuits (docs/ci.md)" }
const struct verb_opt up_options[] = {
	{ .name = "dry-run", .id = OPT_DRY_RUN, .letter = 'n',
	  .help = "print the plan (create / change / remove, step by step); change nothing" },
	{ .name = "json", .id = OPT_JSON, .help = "print the result (or the plan) as one JSON document (docs/json.md)" },
	{ .name = "wait", .id = OPT_WAIT,
	  .help = "then wait until every BGP session of the lab is Established (the lock's --wait takes SECONDS)" },
	{ .name = "timeout", .id = OPT_TIMEOUT, .arg = "SECONDS", .help = "how long --wait waits (default 60)" },
	SHARD_OPTION,
	{ .name = "side", .id = OPT_SIDE, .arg = "microsoft|customer",
	  .help = "which side this host builds of the circuits whose customer side is remote (default microsoft)" },
	{ 0 },
};
const struct verb_opt down_options[] = {
	{ .name = "all", .id = OPT_ALL,
	  .help = "remove every erlab object, found by its ownership mark, even without state" },
	{ .name = "json", .id = OPT_JSON, .help = "print the result as one JSON document (docs/json.md)" },
	SHARD_OPTION,
	{ 0 },
};
const struct verb_opt status_options[] = {
	{ .name = "json", .id = OPT_JSON, .help = "print as one JSON document (docs/json.md)" },
	{ .name = "dot", .id = OPT_DOT, .help = "print the topology as Graphviz DOT instead, with link and BGP states" },
	{ 0 },
};
const struct verb_opt graph_options[] = {
	{ .name = "live", .id = OPT_LIVE, .help = "each link's and BGP session's state, as the lab runs (needs root)" },
	{ 0 },
};

/* The values of up's and down's options: --timeout, --shard, --side. */
struct lab_args {
	double timeout;
	unsigned shard_k, shard_n;
	enum circuit_side side;
	bool side_given;
};

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
		if (x->report)
			cli_report_error(x->report, &errs->v[i]);
	}
	lab_errors_clear(errs);
	if (!code) {
		struct err e = {0};

		err_set(&e, r, "lab", "cannot load the lab file");
		code = cli_error(x, &e);
		if (x->report)
			cli_report_error(x->report, &e);
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

/* --json: the engine's events go into a report, printed as one document at the end. */
static int report_start(struct cli *x, bool json)
{
	struct err e = {0};

	if (json && !(x->report = cli_report_new()))
		return cli_error(x, (err_set(&e, -ENOMEM, "json", "out of memory"), &e));
	return 0;
}

static void report_stop(struct cli *x)
{
	cli_report_free(x->report);
	x->report = NULL;
}

/* --shard K/N (docs/ci.md): 0, or the usage error's exit code. */
static int parse_shard(struct cli *x, const char *verb, const char *arg, unsigned *k, unsigned *n)
{
	if (!arg || shard_parse(arg, k, n) < 0)
		return cli_usage(x, verb, "--shard expects K/N with 1 <= K <= N <= %d, got '%s'", SHARD_MAX,
				 arg ? arg : "");
	return 0;
}

/* up's and down's options with a value: --timeout SECONDS, --shard K/N. */
static int lab_option(struct cli *x, const char *verb, int id, const char *arg, void *ud)
{
	struct lab_args *a = ud;

	if (id == OPT_TIMEOUT)
		return cli_parse_timeout(x, verb, arg, &a->timeout);
	if (id == OPT_SHARD)
		return parse_shard(x, verb, arg, &a->shard_k, &a->shard_n);
	if (id == OPT_SIDE) {
		/* Which side of the circuits whose customer side is remote this host builds. */
		if ((int)(a->side = circuit_side_from_string(arg)) < 0)
			return cli_usage(x, verb, "--side takes microsoft or customer");
		a->side_given = true;
	}
	return 0;
}

int cmd_up(struct cli *x, int argc, char **argv)
{
	struct lab lab;
	struct lab_errors errs = {0};
	struct err e = {0};
	struct cli_opts o = { .verb = x->verb };
	struct lab_args a = { .timeout = 60, .side = SIDE_MICROSOFT };
	const char *file;
	char path[PATH_MAX];
	bool dry_run, json, wait;
	double timeout;
	unsigned changed = 0, shard_k, shard_n;
	int r, code = 0;

	if ((r = cli_getopt(x, "up", argc, argv, &o, lab_option, &a)) != 0)
		return r;
	if (o.optind == argc)
		return cli_usage(x, "up", "expects LAB.ini");
	if (argc - o.optind > 1)
		return cli_usage(x, "up", "unexpected argument '%s'", argv[o.optind + 1]);
	file = argv[o.optind];
	dry_run = cli_own_given(&o, OPT_DRY_RUN);
	json = cli_own_given(&o, OPT_JSON);
	wait = cli_own_given(&o, OPT_WAIT);
	timeout = a.timeout;
	shard_k = a.shard_k;
	shard_n = a.shard_n;
	if ((r = report_start(x, json)) != 0)
		return r;
	memset(&lab, 0, sizeof(lab));
	if ((r = lab_load(file, &lab, &errs)) < 0) {
		code = lab_errors(x, &errs, r);
		abs_path(file, path);
	} else {
		snprintf(path, sizeof(path), "%s", lab.path);
		lab.side = a.side;
		lab.side_given = a.side_given;
		if (shard_n)
			lab_keep_shard(&lab, shard_k, shard_n);
		if ((r = converge_up(x->eng, &lab, dry_run, &changed, &e)) < 0) {
			code = cli_error(x, &e);
			if (x->report)
				cli_report_error(x->report, &e);
		} else if (!changed && x->verbosity >= 0 && !json) {
			fprintf(x->out, "%s: up to date\n", file);
		}
		/* The report first: --wait's verdict comes after the result it waited on. */
		if (code == 0 && wait && !dry_run) {
			if (json && (r = cli_report_up(x, x->report, path, dry_run, changed)) != 0)
				code = r;
			json = false;
			if (!code)
				code = cli_wait_for(x, "up --wait", lab.name, true, timeout);
		}
		lab_clear(&lab);
	}
	if (json && (r = cli_report_up(x, x->report, path, dry_run, changed)) != 0 && !code)
		code = r;
	report_stop(x);
	return code;
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
	char path[PATH_MAX];
	const char *what = NULL;
	struct cli_opts o = { .verb = x->verb };
	struct lab_args a = { 0 };
	bool json, exists, by_file = false;
	unsigned removed = 0, shard_k, shard_n;
	int r, code = 0;

	if ((r = cli_getopt(x, "down", argc, argv, &o, lab_option, &a)) != 0)
		return r;
	if (argc - o.optind > 1 || (cli_own_given(&o, OPT_ALL) && argc - o.optind > 0))
		return cli_usage(x, "down", "unexpected argument '%s'", argv[argc - 1]);
	/* --all goes the way of the lab it stands for. */
	what = cli_own_given(&o, OPT_ALL) ? "--all" : o.optind < argc ? argv[o.optind] : NULL;
	json = cli_own_given(&o, OPT_JSON);
	shard_k = a.shard_k;
	shard_n = a.shard_n;
	if (!what)
		return cli_usage(x, "down", "expects a lab's NAME or FILE, or --all");
	if (strcmp(what, "--all") == 0 && shard_n)
		return cli_usage(x, "down", "--all takes no --shard");
	if (strcmp(what, "--all") != 0 && !names_a_file(what, &exists) && names_check_lab(what) < 0)
		return cli_usage(x, "down", "'%s' is neither a lab file nor a lab name", what);
	if ((r = report_start(x, json)) != 0)
		return r;
	if (strcmp(what, "--all") == 0) {
		r = converge_down_all(x->eng, &removed, &e);
	} else if (names_a_file(what, &exists)) {
		by_file = true;
		abs_path(what, path);
		r = converge_down(x->eng, NULL, path, shard_k, shard_n, &removed, &e);
		if (r == -ENOENT && !exists) {
			/* A typo of a file name must not pass for "nothing to do". */
			char detail[sizeof(e.detail)];

			snprintf(detail, sizeof(detail), "%s", e.detail);
			err_set(&e, -ENOENT, what, "no such file, and no lab was brought up from it");
			err_detail(&e, "%s", detail);
		}
	} else {
		r = converge_down(x->eng, what, NULL, shard_k, shard_n, &removed, &e);
	}
	if (r < 0) {
		code = cli_error(x, &e);
		if (x->report)
			cli_report_error(x->report, &e);
	} else if (x->verbosity > 0 && !json) {
		fprintf(x->out, "removed %u\n", removed);
	}
	if (json && (r = cli_report_down(x, x->report, by_file ? path : strcmp(what, "--all") == 0 ? NULL : what,
					 removed)) != 0 && !code)
		code = r;
	report_stop(x);
	return code;
}

/*
 * graph LAB [--live]: the lab's circuits; with --live, each as it runs (the recorded circuit this
 * lab made, observed: link states and BGP sessions), or marked "not up".
 */
int cmd_graph(struct cli *x, int argc, char **argv)
{
	struct lab lab;
	struct lab_errors errs = {0};
	const char *file;
	bool live;
	struct circuit *cs = NULL, *up = NULL;
	struct observed *obs = NULL;
	const struct observed **view = NULL;
	struct drift *drifts = NULL;
	struct err e = {0}, *errv = NULL;
	int r = 0, *rs = NULL;
	unsigned n, m = 0, *at = NULL;
	struct cli_opts o = { .verb = x->verb };

	if ((r = cli_getopt(x, "graph", argc, argv, &o, NULL, NULL)) != 0)
		return r;
	if (o.optind == argc)
		return cli_usage(x, "graph", "expects LAB.ini");
	if (argc - o.optind > 1)
		return cli_usage(x, "graph", "unexpected argument '%s'", argv[o.optind + 1]);
	file = argv[o.optind];
	live = cli_own_given(&o, OPT_LIVE);
	if (live && (r = cli_need_root(x, "graph --live")) != 0)
		return r;
	memset(&lab, 0, sizeof(lab));
	if ((r = lab_load(file, &lab, &errs)) < 0)
		return lab_errors(x, &errs, r);
	if (!live) {
		print_graph(x->out, file, lab.circuits, lab.n_circuits, NULL);
		lab_clear(&lab);
		return 0;
	}
	n = lab.n_circuits;
	cs = calloc(n ? n : 1, sizeof(*cs));
	obs = calloc(n ? n : 1, sizeof(*obs));
	view = calloc(n ? n : 1, sizeof(*view));
	drifts = calloc(n ? n : 1, sizeof(*drifts));
	rs = calloc(n ? n : 1, sizeof(*rs));
	errv = calloc(n ? n : 1, sizeof(*errv));
	up = calloc(n ? n : 1, sizeof(*up));
	at = calloc(n ? n : 1, sizeof(*at));
	if (!cs || !obs || !view || !drifts || !rs || !errv || !up || !at) {
		r = err_set(&e, -ENOMEM, "graph", "out of memory");
		goto out;
	}
	/* What this lab made is drawn as recorded and observed; the rest as the lab says, not up. */
	for (unsigned i = 0; i < n; i++) {
		circuit_init(&cs[i]);
		r = op_circuit_get(x->eng, lab.circuits[i].name, &cs[i], &e);
		if (r == 0 && cs[i].lab && strcmp(cs[i].lab, lab.name) == 0) {
			up[m] = cs[i];   /* a view: cs[i] keeps what it holds */
			at[m++] = i;
			continue;
		}
		if (r < 0 && r != -ENOENT)
			goto out;
		circuit_clear(&cs[i]);
		if ((r = circuit_copy(&cs[i], &lab.circuits[i])) < 0) {
			err_set(&e, r, lab.circuits[i].name, "out of memory");
			goto out;
		}
	}
	engine_observe_many(x->eng, up, m, true, obs, drifts, rs, errv);
	for (unsigned k = 0; k < m; k++) {
		if (rs[k] < 0) {
			r = rs[k];
			e = errv[k];
			goto out;
		}
		view[at[k]] = &obs[k];
	}
	print_graph(x->out, file, cs, n, view);
	r = 0;
out:
	for (unsigned i = 0; cs && i < n; i++)
		circuit_clear(&cs[i]);
	for (unsigned k = 0; k < m; k++) {
		drift_clear(&drifts[k]);
		observed_clear(&obs[k]);
	}
	free(at);
	free(up);
	free(errv);
	free(rs);
	free(drifts);
	free(view);
	free(obs);
	free(cs);
	lab_clear(&lab);
	return r < 0 ? cli_error(x, &e) : 0;
}

/* status observes and prints this many circuits at a time: its memory does not grow with the lab. */
#define STATUS_CHUNK 256

/* The spooled JSON document onto out. */
static int spool_copy(FILE *spool, FILE *out)
{
	char buf[65536];
	size_t got;

	if (fflush(spool) != 0 || fseek(spool, 0, SEEK_SET) != 0)
		return -EIO;
	while ((got = fread(buf, 1, sizeof(buf), spool)) > 0)
		if (fwrite(buf, 1, got, out) != got)
			return -EIO;
	return ferror(spool) ? -EIO : 0;
}

int cmd_status(struct cli *x, int argc, char **argv)
{
	struct circuit *all = NULL, one;
	unsigned n = 0;
	const char *id;
	bool json, dot, failed = false;
	struct observed *obs = NULL;
	struct drift *drifts = NULL;
	const struct observed **view = NULL;
	struct err e = {0}, *errs = NULL;
	struct json j;
	struct cli_opts o = { .verb = x->verb };
	unsigned m = 0, chunk, ok;
	int r = 0, *rs = NULL, written = 0;
	FILE *spool = NULL;

	if ((r = cli_getopt(x, "status", argc, argv, &o, NULL, NULL)) != 0)
		return r;
	if (argc - o.optind > 1)
		return cli_usage(x, "status", "unexpected argument '%s'", argv[o.optind + 1]);
	id = o.optind < argc ? argv[o.optind] : NULL;
	json = cli_own_given(&o, OPT_JSON);
	dot = cli_own_given(&o, OPT_DOT);
	if (json && dot)
		return cli_usage(x, "status", "--json or --dot, not both");
	circuit_init(&one);
	if (id) {
		if ((r = op_circuit_get(x->eng, id, &one, &e)) < 0)
			return cli_error(x, &e);
	} else if ((r = op_circuit_list(x->eng, &all, &n, &e)) < 0) {
		return cli_error(x, &e);
	}
	m = id ? 1u : n;
	/*
	 * A chunk at a time; the graph needs every circuit at once. The JSON document is written only
	 * when every circuit could be observed: past one chunk it is spooled to a temporary file, and
	 * without one it is made in one go as the graph is.
	 */
	chunk = dot || m <= STATUS_CHUNK ? m : STATUS_CHUNK;
	if (json && chunk < m && !(spool = tmpfile()))
		chunk = m;
	if (spool)
		setvbuf(spool, NULL, _IOFBF, 1 << 20);   /* 7 KiB a circuit: few, large writes */
	obs = calloc(chunk ? chunk : 1, sizeof(*obs));
	drifts = calloc(chunk ? chunk : 1, sizeof(*drifts));
	rs = calloc(chunk ? chunk : 1, sizeof(*rs));
	errs = calloc(chunk ? chunk : 1, sizeof(*errs));
	view = calloc(chunk ? chunk : 1, sizeof(*view));
	if (!obs || !drifts || !rs || !errs || !view) {
		r = err_set(&e, -ENOMEM, "status", "out of memory");
		goto out;
	}
	for (unsigned base = 0; base < m && !failed; base += chunk) {
		struct circuit *cs = id ? &one : &all[base];
		unsigned cnt = m - base < chunk ? m - base : chunk;

		engine_observe_many(x->eng, cs, cnt, true, obs, drifts, rs, errs);
		/* The circuits before the first that could not be observed; a document only when all were. */
		for (ok = 0; ok < cnt && rs[ok] >= 0; ok++)
			view[ok] = &obs[ok];
		if (ok < cnt) {
			r = rs[ok];
			e = errs[ok];
			failed = true;
		}
		if (dot && !failed) {
			print_graph(x->out, "erlab", cs, cnt, view);
		} else if (json && !failed) {
			if (base == 0) {
				jw_begin(&j, spool ? spool : x->out, "status");
				jw_key(&j, "circuits");
				jw_array(&j);
			}
			for (unsigned i = 0; i < cnt; i++)
				print_status_json(&j, &cs[i], &obs[i], &drifts[i]);
		} else if (!dot && !json) {
			for (unsigned i = 0; i < ok; i++)
				print_status_text(x->out, &cs[i], &obs[i], &drifts[i]);
		}
		for (unsigned i = 0; i < cnt; i++) {
			drift_clear(&drifts[i]);
			observed_clear(&obs[i]);
		}
	}
	if (dot && m == 0)
		print_graph(x->out, "erlab", all, 0, view);
	if (json && !failed) {
		if (m == 0) {
			jw_begin(&j, x->out, "status");
			jw_key(&j, "circuits");
			jw_array(&j);
		}
		jw_array_end(&j);
		written = jw_end(&j);
		if (written == 0 && spool)
			written = spool_copy(spool, x->out);
		written = cli_json_written(x, "status --json", written);
	}
out:
	if (spool)
		fclose(spool);
	free(view);
	free(errs);
	free(rs);
	free(drifts);
	free(obs);
	circuit_clear(&one);
	circuit_list_free(all, n);
	return r < 0 ? cli_error(x, &e) : written;
}
