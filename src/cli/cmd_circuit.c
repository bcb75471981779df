/* SPDX-License-Identifier: MIT */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "cli/cli.h"
#include "cli/options.h"
#include "core/format.h"

enum { OPT_JSON = OPT_OWN };
static const struct option json_option[] = { { "json", no_argument, NULL, OPT_JSON }, { 0 } };

static const char *const new_keys[] = {
	"service_key", "bandwidth", "location", "service_provider_name", "sku", "billing_type", "provisioned",
	"customer", "microsoft_address", "underlay_dev", "vni_base", NULL,
};
static const char *const set_keys[] = { "bandwidth", "sku", "billing_type", NULL };

static int own_option(struct cli *x, const char *verb, int id, const char *arg, void *ud)
{
	(void)x; (void)verb; (void)arg;
	if (id == OPT_JSON)
		*(bool *)ud = true;
	return 0;
}

/* Options, then exactly `want` positional arguments (*ret_id: the first). */
static int parse(struct cli *x, const char *verb, int argc, char **argv, const char *const *keys, int want,
		 struct circuit *c, bool *ret_json, const char **ret_id)
{
	struct cli_opts o = { .t = &circuit_fields, .keys = keys, .own = ret_json ? json_option : NULL };
	bool json = false;
	int r;

	if ((r = cli_getopt(x, verb, argc, argv, &o, own_option, &json)) != 0 || (r = cli_bind(x, verb, &o, c)) != 0)
		return r;
	if (argc - o.optind != want)
		return cli_usage(x, verb, want ? "expects one CIRCUIT (name or service key)" : "takes no arguments");
	if (ret_json)
		*ret_json = json;
	*ret_id = want ? argv[o.optind] : NULL;
	return keys == new_keys ? cli_required(x, verb, &o, c) : 0;
}

static int circuit_new(struct cli *x, int argc, char **argv)
{
	struct circuit c;
	struct err e = {0};
	const char *name = NULL;
	bool json = false;
	int r;

	circuit_init(&c);
	if ((r = parse(x, "circuit new", argc, argv, new_keys, 1, &c, &json, &name)))
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
	if ((r = parse(x, verb, argc, argv, NULL, list ? 0 : 1, &c, &json, &id)))
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
	if ((r = parse(x, verb, argc, argv, is_set ? set_keys : NULL, 1, &patch, NULL, &id)))
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

int cmd_circuit(struct cli *x, int argc, char **argv)
{
	static const char *const simple[] = { "set", "provision", "deprovision", "remove" };
	const char *sub = argc > 1 ? argv[1] : "";
	char verb[32];

	if (strcmp(sub, "new") == 0)
		return circuit_new(x, argc - 1, argv + 1);
	if (strcmp(sub, "list") == 0 || strcmp(sub, "get") == 0)
		return circuit_show(x, argc - 1, argv + 1, strcmp(sub, "list") == 0);
	for (unsigned i = 0; i < sizeof(simple) / sizeof(simple[0]); i++)
		if (strcmp(sub, simple[i]) == 0)
			return circuit_simple(x, argc - 1, argv + 1, err_fmt(verb, sizeof(verb), "circuit %s", sub));
	return cli_usage(x, "circuit", "expects new, list, get, set, provision, deprovision or remove");
}
