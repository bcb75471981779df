/* SPDX-License-Identifier: MIT */
#include <errno.h>
#include <getopt.h>
#include <stdlib.h>
#include <string.h>

#include "cli/cli.h"
#include "core/format.h"
#include "core/num.h"
#include "core/validate.h"

enum { OPT_TYPE = 0x100, OPT_P4, OPT_S4, OPT_P6, OPT_S6, OPT_ASN, OPT_VLAN, OPT_KEY, OPT_PREFIXES,
       OPT_CUSTOMER_ASN, OPT_REGISTRY, OPT_JSON };

static const struct option peering_options[] = {
	{ "type", required_argument, NULL, OPT_TYPE },
	{ "primary-subnet", required_argument, NULL, OPT_P4 },
	{ "secondary-subnet", required_argument, NULL, OPT_S4 },
	{ "primary-subnet-v6", required_argument, NULL, OPT_P6 },
	{ "secondary-subnet-v6", required_argument, NULL, OPT_S6 },
	{ "peer-asn", required_argument, NULL, OPT_ASN },
	{ "vlan", required_argument, NULL, OPT_VLAN },
	{ "shared-key", required_argument, NULL, OPT_KEY },
	{ "advertised-prefixes", required_argument, NULL, OPT_PREFIXES },
	{ "customer-asn", required_argument, NULL, OPT_CUSTOMER_ASN },
	{ "registry", required_argument, NULL, OPT_REGISTRY },
	{ "json", no_argument, NULL, OPT_JSON },
	{ 0 },
};

struct peering_args {
	struct peering p;
	bool has_type;
	bool json;
	const char *id;
	const char *pri, *sec;   /* --primary-subnet / --secondary-subnet as given */
	int pri_family, sec_family;
};

/* --primary-subnet takes either family: an IPv6 /126 there fills the v6 slot. */
static int subnet_opt(struct cli *x, const char *verb, const char *opt, const char *v, bool primary, bool v6,
		      struct peering *p)
{
	enum subnet_slot slot;
	struct err e = {0};
	struct cidr c;
	char what[64];

	snprintf(what, sizeof(what), "%s %s", verb, opt);
	if (validate_peer_subnet(v, what, &c, &e) < 0)
		return cli_error(x, &e);
	if (c.family == AF_INET6)
		v6 = true;
	else if (v6) {
		err_set(&e, -EINVAL, what, "The specified BGP peer IP address '%s' is not valid.", v);
		err_detail(&e, "%s takes an IPv6 /126", opt);
		return cli_error(x, &e);
	}
	slot = subnet_slot_of(primary ? LINK_PRIMARY : LINK_SECONDARY, v6);
	*peering_subnet_w(p, slot) = c;
	p->has |= subnet_slots[slot].bit;
	return 0;
}

static int parse(struct cli *x, const char *verb, int argc, char **argv, bool writes, struct peering_args *a)
{
	struct err e = {0};
	uint32_t n;
	int opt, r;

	memset(a, 0, sizeof(*a));
	peering_init(&a->p, ACCESS_PRIVATE);
	optind = 1;
	opterr = 0;
	while ((opt = getopt_long(argc, argv, "", peering_options, NULL)) != -1) {
		const char *v = optarg;

		if (opt == '?' || opt == ':')
			return cli_usage(x, verb, "unknown option or missing value: '%s'", argv[optind - 1]);
		if (!writes && opt != OPT_TYPE && opt != OPT_JSON)
			return cli_usage(x, verb, "takes only --type (and --json)");
		switch (opt) {
		case OPT_TYPE:
			if ((int)(a->p.type = access_type_from_string(v)) < 0)
				return cli_usage(x, verb, "--type %s: use private, public or microsoft", v);
			a->has_type = true;
			break;
		case OPT_P4: case OPT_S4: case OPT_P6: case OPT_S6:
			if (opt == OPT_P4 || opt == OPT_S4) {
				struct cidr c;

				if (cidr_parse(v, &c) == 0) {
					*(opt == OPT_P4 ? &a->pri : &a->sec) = v;
					*(opt == OPT_P4 ? &a->pri_family : &a->sec_family) = c.family;
				}
			}
			if ((r = subnet_opt(x, verb, argv[optind - 1], v, opt == OPT_P4 || opt == OPT_P6,
					    opt == OPT_P6 || opt == OPT_S6, &a->p)))
				return r;
			break;
		case OPT_ASN:
		case OPT_CUSTOMER_ASN:
			if (num_parse_u32(v, 0, UINT32_MAX, &n) < 0) {
				err_set(&e, -EINVAL, opt == OPT_ASN ? "--peer-asn" : "--customer-asn",
					"'%s' is not an AS number: give 1-4294967295 in decimal", v);
				return cli_error(x, &e);
			}
			if (opt == OPT_ASN) { a->p.peer_asn = n; a->p.has |= PEERING_HAS_PEER_ASN; }
			else { a->p.customer_asn = n; a->p.has |= PEERING_HAS_CUSTOMER_ASN; }
			break;
		case OPT_VLAN:
			if (num_parse_u32(v, 0, UINT32_MAX, &n) < 0 || validate_vlan(n, "--vlan", &e) < 0) {
				if (!e.errnum)
					err_set(&e, -EINVAL, "--vlan", "The vlanId '%s' is not valid: use 1-4094.", v);
				return cli_error(x, &e);
			}
			a->p.vlan_id = (uint16_t)n;
			a->p.has |= PEERING_HAS_VLAN;
			break;
		case OPT_KEY:
			if (validate_shared_key(v, "--shared-key", &e) < 0)
				return cli_error(x, &e);
			snprintf(a->p.shared_key, sizeof(a->p.shared_key), "%s", v);
			a->p.has |= PEERING_HAS_SHARED_KEY;
			break;
		case OPT_PREFIXES:
			free(a->p.prefixes);
			a->p.prefixes = NULL;
			if (validate_prefix_list(v, "--advertised-prefixes", &a->p.prefixes, &a->p.n_prefixes, &e) < 0)
				return cli_error(x, &e);
			a->p.has |= PEERING_HAS_PREFIXES;
			break;
		case OPT_REGISTRY:
			if (validate_registry(v, "--registry", &e) < 0)
				return cli_error(x, &e);
			snprintf(a->p.registry, sizeof(a->p.registry), "%s", v);
			a->p.has |= PEERING_HAS_REGISTRY;
			break;
		case OPT_JSON:
			a->json = true;
			break;
		}
	}
	if (argc - optind != 1)
		return cli_usage(x, verb, "expects one CIRCUIT (name or service key)");
	if (a->pri && a->sec && a->pri_family != a->sec_family) {
		err_set(&e, -EINVAL, verb, "The specified BGP peer IP addresses '%s' and '%s' are of different families.",
			a->pri, a->sec);
		err_detail(&e, "--primary-subnet and --secondary-subnet take a /30 pair or a /126 pair");
		return cli_error(x, &e);
	}
	if (!a->has_type)
		return cli_usage(x, verb, "--type private|public|microsoft is required");
	a->id = argv[optind];
	return 0;
}

int cmd_peering(struct cli *x, int argc, char **argv)
{
	const char *sub = argc > 1 ? argv[1] : "";
	char verb[32];
	struct peering_args a;
	struct circuit c;
	const struct peering *p;
	struct err e = {0};
	bool writes = strcmp(sub, "new") == 0 || strcmp(sub, "set") == 0;
	int r;

	if (!writes && strcmp(sub, "get") != 0 && strcmp(sub, "remove") != 0)
		return cli_usage(x, "peering", "expects new, set, get or remove");
	snprintf(verb, sizeof(verb), "peering %s", sub);
	circuit_init(&c);
	if ((r = parse(x, verb, argc - 1, argv + 1, writes, &a)))
		goto out;
	if (strcmp(sub, "new") == 0)
		r = op_peering_new(x->eng, a.id, &a.p, &e);
	else if (strcmp(sub, "set") == 0)
		r = a.p.has ? op_peering_set(x->eng, a.id, &a.p, false, &e)
			    : cli_usage(x, verb, "nothing to change");
	else if (strcmp(sub, "remove") == 0)
		r = op_peering_remove(x->eng, a.id, a.p.type, &e);
	else if ((r = op_peering_get(x->eng, a.id, a.p.type, &c, &p, &e)) == 0) {
		if (a.json)
			format_peering_json(x->out, &c, p);
		else
			format_peering_text(x->out, &c, p);
	}
	if (r < 0)
		r = cli_error(x, &e);
out:
	circuit_clear(&c);
	peering_clear(&a.p);
	return r;
}
