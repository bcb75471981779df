/* SPDX-License-Identifier: MIT */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "cli/cli.h"
#include "cli/options.h"
#include "core/format.h"
#include "core/validate.h"

enum { OPT_TYPE = OPT_OWN, OPT_JSON, OPT_FAMILY };
#define TYPE_OPTION { .name = "type", .id = OPT_TYPE, .arg = "private|public|microsoft", \
			.help = "which of the circuit's peerings", .flags = VERB_OPT_REQUIRED }
static const struct verb_opt write_options[] = { TYPE_OPTION, { 0 } };
static const struct verb_opt get_options[] = {
	TYPE_OPTION, { .name = "json", .id = OPT_JSON, .help = "print the circuit and the peering as JSON" }, { 0 },
};
static const struct verb_opt remove_options[] = {
	TYPE_OPTION,
	{ .name = "family", .id = OPT_FAMILY, .arg = "ipv4|ipv6",
	  .help = "remove only this address family's config (Microsoft peering)" },
	{ 0 },
};

static const char *const write_keys[] = {
	"primary_peer_subnet", "secondary_peer_subnet", "primary_peer_subnet_v6", "secondary_peer_subnet_v6", "peer_asn",
	"vlan_id", "shared_key", "advertised_public_prefixes", "customer_asn", "routing_registry_name",
	"advertised_public_prefixes_v6", "customer_asn_v6", "routing_registry_name_v6", NULL,
};

struct peering_args {
	bool json;
	enum access_type type;
	enum family family;      /* remove --family: one address family; _FAMILY_INVALID: the peering */
};

static int own_option(struct cli *x, const char *verb, int id, const char *arg, void *ud)
{
	struct peering_args *a = ud;

	if (id == OPT_JSON) {
		a->json = true;
		return 0;
	}
	if (id == OPT_FAMILY) {
		if ((int)(a->family = family_from_string(arg)) < 0)
			return cli_usage(x, verb, "--family %s: peering remove takes --family ipv4 or ipv6", arg);
		return 0;
	}
	if ((int)(a->type = access_type_from_string(arg)) < 0)
		return cli_usage(x, verb, "--type %s: use private, public or microsoft", arg);
	return 0;
}

/* peering new | set | get | remove: argv[0] is the subverb. */
static int peering_run(struct cli *x, int argc, char **argv)
{
	const char *sub = argv[0];
	struct cli_opts o = { .verb = x->verb };
	struct peering_args a = { .family = _FAMILY_INVALID };
	char verb[32];
	struct peering p;
	struct circuit c;
	const struct peering *got;
	const char *id;
	struct err e = {0};
	int r;

	snprintf(verb, sizeof(verb), "peering %s", sub);
	circuit_init(&c);
	peering_init(&p, ACCESS_PRIVATE);
	if ((r = cli_getopt(x, verb, argc, argv, &o, own_option, &a)) != 0)
		goto out;
	if (argc - o.optind != 1) {
		r = cli_usage(x, verb, "expects one CIRCUIT (name or service key)");
		goto out;
	}
	id = argv[o.optind];
	if ((r = cli_bind(x, verb, &o, &p)) != 0)
		goto out;
	p.type = a.type;
	if (strcmp(sub, "new") == 0) {
		r = op_peering_new(x->eng, id, &p, &e);
		if (r == 0 && a.type == ACCESS_PUBLIC)
			fprintf(x->log, "erlab: warning: %s\n", PUBLIC_PEERING_DEPRECATED);
	} else if (strcmp(sub, "set") == 0)
		r = p.has ? op_peering_set(x->eng, id, &p, false, &e) : cli_usage(x, verb, "nothing to change");
	else if (strcmp(sub, "remove") == 0)
		r = op_peering_remove_family(x->eng, id, a.type, a.family, &e);
	else if ((r = op_peering_get(x->eng, id, a.type, &c, &got, &e)) == 0) {
		if (a.json)
			r = cli_json_written(x, verb, format_peering_doc(x->out, &c, got));
		else
			format_peering_text(x->out, &c, got);
	}
	if (r < 0)
		r = cli_error(x, &e);
out:
	circuit_clear(&c);
	peering_clear(&p);
	return r;
}

const struct verb peering_verbs[] = {
	{ "new", peering_run, "create a peering: its VLAN links on both paths, addresses, BGP", .args = "CIRCUIT",
	  .fields = &peering_fields, .keys = write_keys, .opts = write_options },
	{ "set", peering_run, "change a peering (only what is given changes)", .args = "CIRCUIT",
	  .fields = &peering_fields, .keys = write_keys, .opts = write_options },
	{ "get", peering_run, "one peering, as text or JSON", .args = "CIRCUIT", .opts = get_options },
	{ "remove", peering_run, "remove a peering (or one address family of Microsoft peering)", .args = "CIRCUIT",
	  .opts = remove_options },
	{ 0 },
};
