/* SPDX-License-Identifier: MIT */
#include <errno.h>
#include <getopt.h>
#include <stdlib.h>
#include <string.h>

#include "cli/cli.h"
#include "core/format.h"
#include "core/num.h"

enum { OPT_BANDWIDTH = 0x100, OPT_LOCATION, OPT_PROVIDER, OPT_SKU, OPT_BILLING, OPT_KEY, OPT_PROVISIONED,
       OPT_JSON };

static const struct option circuit_options[] = {
	{ "bandwidth", required_argument, NULL, OPT_BANDWIDTH },
	{ "location", required_argument, NULL, OPT_LOCATION },
	{ "provider", required_argument, NULL, OPT_PROVIDER },
	{ "sku", required_argument, NULL, OPT_SKU },
	{ "billing", required_argument, NULL, OPT_BILLING },
	{ "service-key", required_argument, NULL, OPT_KEY },
	{ "provisioned", no_argument, NULL, OPT_PROVISIONED },
	{ "json", no_argument, NULL, OPT_JSON },
	{ 0 },
};

struct circuit_args {
	struct circuit c;   /* fields given, with CIRCUIT_HAS_* */
	bool json;
	const char *id;     /* the positional NAME/CIRCUIT */
};

/* Parse options; `allowed` is the set of OPT_* this sub-verb takes. */
static int parse(struct cli *x, const char *verb, int argc, char **argv, const int *allowed,
		 struct circuit_args *a)
{
	struct err e = {0};
	int opt;

	memset(a, 0, sizeof(*a));
	circuit_init(&a->c);
	optind = 1;
	opterr = 0;
	while ((opt = getopt_long(argc, argv, "", circuit_options, NULL)) != -1) {
		const char *v = optarg;
		bool ok = false;

		for (const int *o = allowed; *o; o++)
			ok |= *o == opt;
		if (opt == '?' || opt == ':' || !ok)
			return cli_usage(x, verb, "unknown or misplaced option '%s'", argv[optind - 1]);
		switch (opt) {
		case OPT_BANDWIDTH:
			if (num_parse_u32(v, 1, UINT32_MAX, &a->c.bandwidth) < 0)
				return cli_usage(x, verb, "--bandwidth %s: give Mbps as a decimal number", v);
			a->c.has |= CIRCUIT_HAS_BANDWIDTH;
			break;
		case OPT_LOCATION:
			if (strlen(v) > TEXT_MAX)
				return cli_usage(x, verb, "--location: at most %d characters", TEXT_MAX);
			snprintf(a->c.location, sizeof(a->c.location), "%s", v);
			a->c.has |= CIRCUIT_HAS_LOCATION;
			break;
		case OPT_PROVIDER:
			if (strlen(v) > TEXT_MAX)
				return cli_usage(x, verb, "--provider: at most %d characters", TEXT_MAX);
			snprintf(a->c.provider, sizeof(a->c.provider), "%s", v);
			a->c.has |= CIRCUIT_HAS_PROVIDER;
			break;
		case OPT_SKU:
			if ((int)(a->c.sku = sku_from_string(v)) < 0)
				return cli_usage(x, verb, "--sku %s: use Standard or Premium", v);
			a->c.has |= CIRCUIT_HAS_SKU;
			break;
		case OPT_BILLING:
			if ((int)(a->c.billing = billing_from_string(v)) < 0)
				return cli_usage(x, verb, "--billing %s: use MeteredData or UnlimitedData", v);
			a->c.has |= CIRCUIT_HAS_BILLING;
			break;
		case OPT_KEY:
			if (guid_parse(v, a->c.service_key) < 0) {
				err_set(&e, -EINVAL, "--service-key", "The value %s is an invalid GUID.", v);
				return cli_error(x, &e);
			}
			a->c.has |= CIRCUIT_HAS_KEY;
			break;
		case OPT_PROVISIONED:
			a->c.prov = PROV_PROVISIONED;
			a->c.has |= CIRCUIT_HAS_PROV;
			break;
		case OPT_JSON:
			a->json = true;
			break;
		}
	}
	return 0;
}

/* Exactly `want` positional arguments after the options. */
static int positional(struct cli *x, const char *verb, int argc, char **argv, int want, struct circuit_args *a)
{
	if (argc - optind != want)
		return cli_usage(x, verb, want ? "expects one CIRCUIT (name or service key)" : "takes no arguments");
	a->id = want ? argv[optind] : NULL;
	return 0;
}

static int circuit_new(struct cli *x, int argc, char **argv)
{
	static const int allowed[] = { OPT_BANDWIDTH, OPT_LOCATION, OPT_PROVIDER, OPT_SKU, OPT_BILLING, OPT_KEY,
				       OPT_PROVISIONED, OPT_JSON, 0 };
	struct circuit_args a;
	struct err e = {0};
	int r;

	if ((r = parse(x, "circuit new", argc, argv, allowed, &a)) || (r = positional(x, "circuit new", argc, argv, 1, &a)))
		goto out;
	if (strlen(a.id) > CIRCUIT_NAME_MAX)
		r = cli_usage(x, "circuit new", "NAME: at most %d characters", CIRCUIT_NAME_MAX);
	else if (!(a.c.has & CIRCUIT_HAS_BANDWIDTH))
		r = cli_usage(x, "circuit new", "--bandwidth MBPS is required");
	else if (!(a.c.has & CIRCUIT_HAS_LOCATION))
		r = cli_usage(x, "circuit new", "--location LOC is required");
	else if (!(a.c.has & CIRCUIT_HAS_PROVIDER))
		r = cli_usage(x, "circuit new", "--provider NAME is required");
	if (r)
		goto out;
	snprintf(a.c.name, sizeof(a.c.name), "%s", a.id);
	if ((r = op_circuit_new(x->eng, &a.c, &e)) < 0) {
		r = cli_error(x, &e);
		goto out;
	}
	if (a.json)
		format_circuit_json(x->out, &a.c);
	else if (x->verbosity >= 0)
		fprintf(x->out, "%s\n", a.c.service_key);
	r = 0;
out:
	circuit_clear(&a.c);
	return r;
}

static int circuit_show(struct cli *x, int argc, char **argv, bool list)
{
	static const int allowed[] = { OPT_JSON, 0 };
	const char *verb = list ? "circuit list" : "circuit get";
	struct circuit_args a;
	struct circuit *all = NULL;
	unsigned n = 0;
	struct err e = {0};
	int r;

	if ((r = parse(x, verb, argc, argv, allowed, &a)) || (r = positional(x, verb, argc, argv, list ? 0 : 1, &a)))
		goto out;
	if (!list) {
		if ((r = op_circuit_get(x->eng, a.id, &a.c, &e)) < 0) {
			r = cli_error(x, &e);
			goto out;
		}
		if (a.json)
			format_circuit_json(x->out, &a.c);
		else
			format_circuit_text(x->out, &a.c);
		goto out;
	}
	if ((r = op_circuit_list(x->eng, &all, &n, &e)) < 0) {
		r = cli_error(x, &e);
		goto out;
	}
	if (a.json) {
		fputc('[', x->out);
		for (unsigned i = 0; i < n; i++) {
			if (i)
				fputc(',', x->out);
			format_circuit_json(x->out, &all[i]);
		}
		fputs("]\n", x->out);
	} else {
		format_circuit_list_header(x->out);
		for (unsigned i = 0; i < n; i++)
			format_circuit_list_row(x->out, &all[i]);
	}
	circuit_list_free(all, n);
out:
	circuit_clear(&a.c);
	return r;
}

static int circuit_simple(struct cli *x, int argc, char **argv, const char *verb)
{
	static const int none[] = { 0 };
	static const int set_opts[] = { OPT_BANDWIDTH, OPT_SKU, OPT_BILLING, 0 };
	bool is_set = strcmp(verb, "circuit set") == 0;
	struct circuit_args a;
	struct err e = {0};
	int r;

	if ((r = parse(x, verb, argc, argv, is_set ? set_opts : none, &a)) ||
	    (r = positional(x, verb, argc, argv, 1, &a)))
		goto out;
	if (is_set) {
		if (!a.c.has) {
			r = cli_usage(x, verb, "nothing to change: give --bandwidth, --sku or --billing");
			goto out;
		}
		r = op_circuit_set(x->eng, a.id, &a.c, &e);
	} else if (strcmp(verb, "circuit provision") == 0) {
		r = op_circuit_provision(x->eng, a.id, true, &e);
	} else if (strcmp(verb, "circuit deprovision") == 0) {
		r = op_circuit_provision(x->eng, a.id, false, &e);
	} else {
		r = op_circuit_remove(x->eng, a.id, &e);
	}
	if (r < 0)
		r = cli_error(x, &e);
out:
	circuit_clear(&a.c);
	return r;
}

int cmd_circuit(struct cli *x, int argc, char **argv)
{
	const char *sub = argc > 1 ? argv[1] : "";

	if (strcmp(sub, "new") == 0)
		return circuit_new(x, argc - 1, argv + 1);
	if (strcmp(sub, "list") == 0)
		return circuit_show(x, argc - 1, argv + 1, true);
	if (strcmp(sub, "get") == 0)
		return circuit_show(x, argc - 1, argv + 1, false);
	if (strcmp(sub, "set") == 0)
		return circuit_simple(x, argc - 1, argv + 1, "circuit set");
	if (strcmp(sub, "provision") == 0)
		return circuit_simple(x, argc - 1, argv + 1, "circuit provision");
	if (strcmp(sub, "deprovision") == 0)
		return circuit_simple(x, argc - 1, argv + 1, "circuit deprovision");
	if (strcmp(sub, "remove") == 0)
		return circuit_simple(x, argc - 1, argv + 1, "circuit remove");
	return cli_usage(x, "circuit", "expects new, list, get, set, provision, deprovision or remove");
}
