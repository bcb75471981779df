/* SPDX-License-Identifier: MIT */
/*
 * `erlab router-config CIRCUIT [--peering TYPE] --flavor frr|bird|ios-xe|junos`: the customer
 * router's config for a circuit as recorded in the state (docs/bgp.md, "Customer router configs").
 * Reads only; the text comes from core/router_conf.c.
 */
#include <stdlib.h>
#include <string.h>

#include "cli/cli.h"
#include "cli/options.h"
#include "core/router_conf.h"

enum { OPT_FLAVOR = OPT_OWN, OPT_PEERING };
const struct verb_opt router_config_options[] = {
	{ .name = "flavor", .id = OPT_FLAVOR, .arg = "frr|bird|ios-xe|junos", .flags = VERB_OPT_REQUIRED,
	  .help = "the router's kind: FRR, BIRD 2, Cisco IOS-XE or Junos" },
	{ .name = "peering", .id = OPT_PEERING, .arg = "private|public|microsoft",
	  .help = "only this peering (again for more; default: every peering of the circuit)" },
	{ 0 },
};

struct router_args {
	enum router_flavor flavor;
	unsigned peerings;       /* 1u << ACCESS_*; 0: all of the circuit's */
};

static int own_option(struct cli *x, const char *verb, int id, const char *arg, void *ud)
{
	struct router_args *a = ud;
	enum access_type t;

	if (id == OPT_FLAVOR) {
		if ((int)(a->flavor = router_flavor_from_string(arg)) < 0)
			return cli_usage(x, verb, "--flavor %s: use " ROUTER_FLAVOR_CHOICES, arg);
		return 0;
	}
	if ((int)(t = access_type_from_string(arg)) < 0)
		return cli_usage(x, verb, "--peering %s: use private, public or microsoft", arg);
	a->peerings |= 1u << t;
	return 0;
}

int cmd_router_config(struct cli *x, int argc, char **argv)
{
	static const char verb[] = "router-config";
	struct router_args a = { .flavor = _ROUTER_INVALID };
	struct cli_opts o = { .verb = x->verb };
	struct err e = { 0 };
	struct circuit c;
	char *text = NULL;
	int r;

	circuit_init(&c);
	if ((r = cli_getopt(x, verb, argc, argv, &o, own_option, &a)) != 0)
		goto out;
	if (argc - o.optind != 1) {
		r = cli_usage(x, verb, "expects one CIRCUIT (name or service key)");
		goto out;
	}
	if ((r = op_circuit_get(x->eng, argv[o.optind], &c, &e)) < 0 ||
	    (r = router_conf(&c, a.flavor, a.peerings, &text, &e)) < 0) {
		r = cli_error(x, &e);
		goto out;
	}
	fputs(text, x->out);
	r = 0;
out:
	free(text);
	circuit_clear(&c);
	return r;
}
