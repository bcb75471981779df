/* SPDX-License-Identifier: MIT */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "cli/cli.h"
#include "cli/options.h"
#include "core/format.h"

enum { OPT_JSON = OPT_OWN };
static const struct verb_opt json_option[] = {
	{ .name = "json", .id = OPT_JSON, .help = "print the circuit as JSON" },
	{ 0 },
};
static const struct verb_opt list_options[] = {
	{ .name = "json", .id = OPT_JSON, .help = "print a JSON list of the circuits" },
	{ 0 },
};

static const char *const new_keys[] = {
	"service_key", "bandwidth", "location", "service_provider_name", "sku", "billing_type", "provisioned",
	"customer", "microsoft_address", "underlay_dev", "vni_base", NULL,
};
static const char *const set_keys[] = { "bandwidth", "sku", "billing_type", NULL };

/* Options, then exactly `want` positional arguments (*ret_id: the first). */
static int parse(struct cli *x, const char *verb, int argc, char **argv, int want, struct circuit *c, bool *ret_json,
		 const char **ret_id)
{
	struct cli_opts o = { .verb = x->verb };
	int r;

	if ((r = cli_getopt(x, verb, argc, argv, &o, NULL, NULL)) != 0 || (r = cli_bind(x, verb, &o, c)) != 0)
		return r;
	if (argc - o.optind != want)
		return cli_usage(x, verb, want ? "expects one CIRCUIT (name or service key)" : "takes no arguments");
	if (ret_json)
		*ret_json = cli_own_given(&o, OPT_JSON);
	*ret_id = want ? argv[o.optind] : NULL;
	return (x->verb->flags & VERB_REQUIRED_FIELDS) ? cli_required(x, verb, &o) : 0;
}

static int circuit_new(struct cli *x, int argc, char **argv)
{
	struct circuit c;
	struct err e = {0};
	const char *name = NULL;
	bool json = false;
	int r;

	circuit_init(&c);
	if ((r = parse(x, "circuit new", argc, argv, 1, &c, &json, &name)))
		goto out;
	if (strlen(name) > CIRCUIT_NAME_MAX) {
		r = cli_usage(x, "circuit new", "NAME: at most %d characters", CIRCUIT_NAME_MAX);
		goto out;
	}
	snprintf(c.name, sizeof(c.name), "%s", name);
	if ((r = op_circuit_new(x->eng, &c, &e)) < 0) {
		r = cli_error(x, &e);
		goto out;
	}
	r = 0;
	if (json)
		r = cli_json_written(x, "circuit new", format_circuit_doc(x->out, &c));
	else if (x->verbosity >= 0)
		fprintf(x->out, "%s\n", c.service_key);
out:
	circuit_clear(&c);
	return r;
}

static int circuit_show(struct cli *x, int argc, char **argv, bool list)
{
	const char *verb = list ? "circuit list" : "circuit get", *id = NULL;
	struct circuit c, *all = NULL;
	unsigned n = 0;
	struct err e = {0};
	bool json = false;
	int r;

	circuit_init(&c);
	if ((r = parse(x, verb, argc, argv, list ? 0 : 1, &c, &json, &id)))
		goto out;
	if (!list) {
		if ((r = op_circuit_get(x->eng, id, &c, &e)) < 0) {
			r = cli_error(x, &e);
			goto out;
		}
		if (json)
			r = cli_json_written(x, verb, format_circuit_doc(x->out, &c));
		else
			format_circuit_text(x->out, &c);
		goto out;
	}
	if ((r = op_circuit_list(x->eng, &all, &n, &e)) < 0) {
		r = cli_error(x, &e);
		goto out;
	}
	if (json) {
		r = cli_json_written(x, verb, format_circuit_list_doc(x->out, all, n));
	} else {
		format_circuit_list_header(x->out);
		for (unsigned i = 0; i < n; i++)
			format_circuit_list_row(x->out, &all[i]);
	}
	circuit_list_free(all, n);
out:
	circuit_clear(&c);
	return r;
}

static int circuit_simple(struct cli *x, int argc, char **argv, const char *verb)
{
	bool is_set = strcmp(verb, "circuit set") == 0;
	struct circuit patch;
	struct err e = {0};
	const char *id = NULL;
	int r;

	circuit_init(&patch);
	if ((r = parse(x, verb, argc, argv, 1, &patch, NULL, &id)))
		goto out;
	if (is_set) {
		if (!patch.has) {
			r = cli_usage(x, verb, "nothing to change: give --bandwidth, --sku or --billing");
			goto out;
		}
		r = op_circuit_set(x->eng, id, &patch, &e);
	} else if (strcmp(verb, "circuit provision") == 0) {
		r = op_circuit_provision(x->eng, id, true, &e);
	} else if (strcmp(verb, "circuit deprovision") == 0) {
		r = op_circuit_provision(x->eng, id, false, &e);
	} else {
		r = op_circuit_remove(x->eng, id, &e);
	}
	if (r < 0)
		r = cli_error(x, &e);
out:
	circuit_clear(&patch);
	return r;
}

static int circuit_list(struct cli *x, int argc, char **argv) { return circuit_show(x, argc, argv, true); }
static int circuit_get(struct cli *x, int argc, char **argv) { return circuit_show(x, argc, argv, false); }
static int circuit_set(struct cli *x, int argc, char **argv) { return circuit_simple(x, argc, argv, "circuit set"); }
static int circuit_provision(struct cli *x, int argc, char **argv)
{
	return circuit_simple(x, argc, argv, "circuit provision");
}
static int circuit_deprovision(struct cli *x, int argc, char **argv)
{
	return circuit_simple(x, argc, argv, "circuit deprovision");
}
static int circuit_remove(struct cli *x, int argc, char **argv)
{
	return circuit_simple(x, argc, argv, "circuit remove");
}

const struct verb circuit_verbs[] = {
	{ "new", circuit_new, "create a circuit and its two links; prints its service key", .args = "NAME",
	  .fields = &circuit_fields, .keys = new_keys, .opts = json_option, .flags = VERB_REQUIRED_FIELDS },
	{ "list", circuit_list, "every circuit: name, service key, bandwidth, provisioning, peerings",
	  .opts = list_options },
	{ "get", circuit_get, "one circuit, as text or JSON", .args = "CIRCUIT", .opts = json_option },
	{ "set", circuit_set, "change a circuit's bandwidth, SKU or billing type", .args = "CIRCUIT",
	  .fields = &circuit_fields, .keys = set_keys },
	{ "provision", circuit_provision, "the provider's side: NotProvisioned -> Provisioned (peerings need it)",
	  .args = "CIRCUIT" },
	{ "deprovision", circuit_deprovision, "the provider's side: Provisioned -> NotProvisioned", .args = "CIRCUIT" },
	{ "remove", circuit_remove, "remove a deprovisioned circuit, its namespaces and all in them",
	  .args = "CIRCUIT" },
	{ 0 },
};
