/* SPDX-License-Identifier: MIT */
/*
 * The cmdlet face: the classic ExpressRoute PowerShell commands of the how-to, run as written
 * with `erlab` in front, over the same ops as the native verbs. Each cmdlet declares its
 * parameters as the classic module does (the table at the end); cmdlet_bind.c binds them as
 * PowerShell would, and the handlers here bind the field parameters through the rows of
 * core/fields.c, then call the engine.
 */
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "cli/cli.h"
#include "cli/cmdlet.h"
#include "core/cidr.h"
#include "core/field.h"
#include "core/format.h"
#include "core/provider.h"
#include "core/validate.h"

#define ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))

/*
 * Load the circuit a ServiceKey names (canonical already: the binder converted it). A circuit
 * whose *name* happens to be that GUID is not the one asked for.
 */
int cmdlet_circuit(struct cli *x, const char *cmdlet, const char *key, struct circuit *ret)
{
	struct err e = { 0 };
	char msg[256];
	int r = op_circuit_get(x->eng, key, ret, &e);

	if (r == -ENOENT || (r == 0 && strcmp(ret->service_key, key) != 0)) {
		circuit_clear(ret);
		snprintf(msg, sizeof(msg), "The specified dedicated circuit with service key '%s' was not found.", key);
		return cmdlet_fail_code(x, cmdlet, "ResourceNotFound", err_exit_code(-ENOENT), msg);
	}
	if (r < 0)
		return cmdlet_fail(x, cmdlet, &e);
	return 0;
}

/* Mutations take the exclusive lock before the first read, so the read and the write see one
 * state (engine_lock keeps whatever mode it took first). */
static int lock_exclusive(struct cli *x, const char *cmdlet)
{
	struct err e = { 0 };

	if (engine_lock(x->eng, true, &e) < 0)
		return cmdlet_fail(x, cmdlet, &e);
	return 0;
}

/* A value the service refused (the binder has converted it already). */
static int field_error(struct cli *x, const char *cmdlet, const struct field *f, const char *param, const char *value,
		       const char *what, int family, struct err *e, enum field_fail how)
{
	char shown[ERR_SHOW_MAX + 4];

	if (how == FIELD_TOO_LONG)
		return cmdlet_fail_code(x, cmdlet, "BadRequest", 2, e->msg);
	if (how == FIELD_OTHER_FAMILY && family && f->kind == FIELD_SUBNET) {
		struct err o = { 0 };

		err_set(&o, -EINVAL, what, "-%s %s is not an %s subnet (-PeerAddressType %s)", param, value,
			family == AF_INET ? "IPv4" : "IPv6", family == AF_INET ? "IPv4" : "IPv6");
		return cmdlet_fail(x, cmdlet, &o);
	}
	if (!e->what[0] && (f->flags & FIELD_SECRET))
		snprintf(e->what, sizeof(e->what), "-%s", param);
	else if (!e->what[0])
		snprintf(e->what, sizeof(e->what), "-%s '%s'", param, err_show(value, shown));
	return cmdlet_fail(x, cmdlet, e);
}

/*
 * The field parameters bound in c, into obj through its table: each value goes to the row of its
 * name. Rows that share a name differ by address family: the row of `family` takes the value; but
 * unless `strict`, a subnet goes to the row of its own family whatever `family` says.
 */
static int bind_fields(struct cli *x, const struct ps_call *c, void *obj, const char *what, int family, bool strict)
{
	const struct field_table *t = c->fields;

	for (unsigned i = 0; t && i < c->b.n; i++) {
		const char *param = c->b.params[i].name, *value = c->b.value[i];
		const struct field *f, *first = NULL;
		enum field_fail how = FIELD_OK;
		struct err e = { 0 };
		int r = 0;

		if (!c->b.present[i] || !value)
			continue;
		for (f = field_by_param(t, param, NULL); f; f = field_by_param(t, param, f)) {
			if (family && f->family && f->family != family && (strict || f->kind != FIELD_SUBNET))
				continue;
			first = first ? first : f;
			r = field_parse(t, f, param, value, obj, what, &e, &how);
			if (r >= 0 || how != FIELD_OTHER_FAMILY)
				break;
		}
		if (first && r < 0)
			return field_error(x, c->cmdlet, first, param, value, what, strict ? family : 0, &e, how);
	}
	return 0;
}

/*
 * PowerShell's list format for several objects: one blank line between blocks. format_*_ps
 * write one object each (a blank line, the fields, a blank line), so the leading blank line of
 * every block after the first is dropped.
 */
static void print_circuits(FILE *out, const struct circuit *list, unsigned n)
{
	for (unsigned i = 0; i < n; i++) {
		char *buf = NULL;
		size_t len = 0;
		FILE *m;

		if (i == 0 || !(m = open_memstream(&buf, &len))) {
			format_circuit_ps(out, &list[i]);
			continue;
		}
		format_circuit_ps(m, &list[i]);
		fclose(m);
		fputs(buf[0] == '\n' ? buf + 1 : buf, out);
		free(buf);
	}
}

/* ---- circuits ---- */

static int get_circuit(struct cli *x, const struct ps_call *c)
{
	const char *key = ps_get(c, "ServiceKey");
	struct circuit one, *list = NULL;
	unsigned n = 0;
	struct err e = { 0 };
	int r;

	if (!key) {
		if (op_circuit_list(x->eng, &list, &n, &e) < 0)
			return cmdlet_fail(x, c->cmdlet, &e);
		print_circuits(x->out, list, n);
		circuit_list_free(list, n);
		return 0;
	}
	circuit_init(&one);
	if ((r = cmdlet_circuit(x, c->cmdlet, key, &one)) != 0)
		return r;
	format_circuit_ps(x->out, &one);
	circuit_clear(&one);
	return 0;
}

static int new_circuit(struct cli *x, const struct ps_call *c)
{
	char what[CIRCUIT_NAME_MAX + 16], key[GUID_STRLEN], shown[ERR_SHOW_MAX + 4];
	struct circuit ci;
	struct err e = { 0 };
	int r;

	circuit_init(&ci);
	err_fmt(what, sizeof(what), "circuit %s", err_show(ps_get(c, "CircuitName"), shown));
	if ((r = bind_fields(x, c, &ci, what, 0, false)) != 0)
		goto out;
	if ((r = op_circuit_new(x->eng, &ci, &e)) < 0) {
		r = cmdlet_fail(x, c->cmdlet, &e);
		goto out;
	}
	/* The real cmdlet re-reads the circuit by its new key and prints that. */
	memcpy(key, ci.service_key, sizeof(key));
	circuit_clear(&ci);
	if ((r = cmdlet_circuit(x, c->cmdlet, key, &ci)) != 0)
		goto out;
	format_circuit_ps(x->out, &ci);
	r = 0;
out:
	circuit_clear(&ci);
	return r;
}

static int remove_circuit(struct cli *x, const struct ps_call *c)
{
	const char *key = ps_get(c, "ServiceKey");
	char msg[256];
	struct circuit ci;
	struct err e = { 0 };
	int r;

	if ((r = lock_exclusive(x, c->cmdlet)) != 0)
		return r;
	circuit_init(&ci);
	r = op_circuit_get(x->eng, key, &ci, &e);
	if (r == -ENOENT || (r == 0 && strcmp(ci.service_key, key) != 0)) {
		circuit_clear(&ci);
		/* Azure answers a delete of an unknown key with 400 BadRequest (recorded); the exit
		 * code stays "not found" so scripts see the same class as the native verb. */
		snprintf(msg, sizeof(msg), "The specified service key '%s' is not valid or could not be found.", key);
		return cmdlet_fail_code(x, c->cmdlet, "BadRequest", err_exit_code(-ENOENT), msg);
	}
	circuit_clear(&ci);
	if (r < 0)
		return cmdlet_fail(x, c->cmdlet, &e);
	if (op_circuit_remove(x->eng, key, &e) < 0)
		return cmdlet_fail(x, c->cmdlet, &e);
	if (ps_has(c, "PassThru"))
		fputs("True\n", x->out);
	return 0;
}

static int set_circuit(struct cli *x, const struct ps_call *c)
{
	const char *key = ps_get(c, "ServiceKey");
	char what[CIRCUIT_NAME_MAX + 16];
	struct circuit ci, patch;
	struct err e = { 0 };
	int r;

	if ((r = lock_exclusive(x, c->cmdlet)) != 0)
		return r;
	circuit_init(&ci);
	circuit_init(&patch);
	if ((r = cmdlet_circuit(x, c->cmdlet, key, &ci)) != 0)
		return r;
	err_fmt(what, sizeof(what), "circuit %s", ci.name);
	circuit_clear(&ci);
	if ((r = bind_fields(x, c, &patch, what, 0, false)) != 0)
		goto out;
	if (op_circuit_set(x->eng, key, &patch, &e) < 0) {
		r = cmdlet_fail(x, c->cmdlet, &e);
		goto out;
	}
	if ((r = cmdlet_circuit(x, c->cmdlet, key, &ci)) != 0)
		goto out;
	format_circuit_ps(x->out, &ci);
	circuit_clear(&ci);
out:
	circuit_clear(&patch);
	return r;
}

/* The format file's view of AzureDedicatedCircuitServiceProvider: Name 20, locations 30, wrapped. */
static int get_providers(struct cli *x, const struct ps_call *c)
{
	static const char *const headers[] = { "Name", "DedicatedCircuitLocations", "DedicatedCircuitBandwidths" };
	static const int widths[] = { 20, 30, 0 };
	const struct provider *cat;
	const char **cells;
	char *texts;
	unsigned n, i;
	const size_t text_len = 2048;

	cat = provider_catalogue(&n);
	cells = calloc((size_t)n * 3 + 1, sizeof(*cells));
	texts = calloc((size_t)n * 2 + 1, text_len);
	if (!cells || !texts) {
		free(cells);
		free(texts);
		return cmdlet_fail_code(x, c->cmdlet, "InternalError", 1, "out of memory");
	}
	for (i = 0; i < n; i++) {
		char *locs = texts + (size_t)(2 * i) * text_len, *bws = locs + text_len;
		size_t used = 0;

		/* The classic object holds its locations as one comma-separated string. */
		for (unsigned j = 0; cat[i].locations[j] && used < text_len; j++)
			used += (size_t)snprintf(locs + used, text_len - used, "%s%s", j ? "," : "",
						 cat[i].locations[j]);
		used = 0;
		for (unsigned j = 0; cat[i].bandwidths[j] && used < text_len; j++) {
			char label[32];

			used += (size_t)snprintf(bws + used, text_len - used, "%s%s:%" PRIu32, j ? ", " : "",
						 bandwidth_label(cat[i].bandwidths[j], label, sizeof(label)),
						 cat[i].bandwidths[j]);
		}
		cells[3 * i] = cat[i].name;
		cells[3 * i + 1] = locs;
		cells[3 * i + 2] = bws;
	}
	format_ps_table(x->out, headers, widths, 3, cells, n, 0);
	free(cells);
	free(texts);
	return 0;
}

/* ---- BGP peerings ---- */

/*
 * The address family the family-specific parameters (-AdvertisedPublicPrefixes, -CustomerAsn,
 * -RoutingRegistryName) speak of: -PeerAddressType's, else that of the subnets given, else IPv4
 * (the parameter's default). 0 with an explicit choice not made: subnets bind by their own family.
 */
static int peering_family(const struct ps_call *c, int *ret_explicit)
{
	const char *type = ps_get(c, "PeerAddressType");
	const char *subnets[] = { ps_get(c, "PrimaryPeerSubnet"), ps_get(c, "SecondaryPeerSubnet") };
	struct cidr s;

	*ret_explicit = 0;
	if (type && strcmp(type, "All") != 0) {
		*ret_explicit = families[family_from_string(type)].af;
		return *ret_explicit;
	}
	for (unsigned i = 0; i < ARRAY_SIZE(subnets); i++)
		if (subnets[i] && cidr_parse(subnets[i], &s) == 0)
			return s.family;
	return AF_INET;
}

static int print_peering(struct cli *x, const char *cmdlet, const char *key, enum access_type t)
{
	struct circuit c;
	const struct peering *p;
	struct err e = { 0 };
	int r;

	circuit_init(&c);
	r = op_peering_get(x->eng, key, t, &c, &p, &e);
	if (r == 0)
		format_peering_ps(x->out, &c, p);
	circuit_clear(&c);
	return r < 0 ? cmdlet_fail(x, cmdlet, &e) : 0;
}

/* Set-AzureBGPPeering trims its SharedKey; a blank one is no key given (the module's update). */
static void trim_shared_key(struct ps_call *c)
{
	for (unsigned i = 0; i < c->b.n; i++) {
		const char *v = c->b.value[i];
		size_t len;

		if (strcmp(c->b.params[i].name, "SharedKey") != 0 || !v)
			continue;
		while (*v == ' ' || *v == '\t')
			v++;
		len = strlen(v);
		while (len && (v[len - 1] == ' ' || v[len - 1] == '\t'))
			len--;
		if (len >= sizeof(c->conv[i]))
			return;   /* too long for any key: the rule says so */
		memcpy(c->conv[i], v, len);
		c->conv[i][len] = '\0';
		c->b.value[i] = len ? c->conv[i] : NULL;
		c->b.present[i] = len > 0;
	}
}

/* New- and Set-AzureBGPPeering share their parameters; `set` merges or creates. */
static int write_peering(struct cli *x, struct ps_call *c, bool set)
{
	const char *key = ps_get(c, "ServiceKey"), *type = ps_get(c, "AccessType");
	enum access_type t = type ? access_type_from_string(type) : ACCESS_PRIVATE;
	char what[160];
	struct circuit ci;
	struct peering p;
	struct err e = { 0 };
	bool existed;
	int r, family, explicit_family;

	if ((r = lock_exclusive(x, c->cmdlet)) != 0)
		return r;
	if (set)
		trim_shared_key(c);
	circuit_init(&ci);
	peering_init(&p, t);
	if ((r = cmdlet_circuit(x, c->cmdlet, key, &ci)) != 0)
		goto out;
	existed = ci.peering_present[t];
	family = peering_family(c, &explicit_family);
	snprintf(what, sizeof(what), "%s %s peering", ci.name, access_type_lower(t));
	if ((r = bind_fields(x, c, &p, what, family, explicit_family != 0)) != 0)
		goto out;

	if (!set) {
		r = op_peering_new(x->eng, key, &p, &e);
	} else {
		/* SetAzureBGPPeering.cs: Get, then update; when Get fails, these checks, then create. */
		if (!existed) {
			static const struct { unsigned has; const char *what; } need[] = {
				{ PEERING_HAS_PRIMARY4 | PEERING_HAS_PRIMARY6, "Primary Peer Subnet" },
				{ PEERING_HAS_SECONDARY4 | PEERING_HAS_SECONDARY6, "Secondary Peer Subnet" },
			};

			/* The module throws these itself (ArgumentException): no service error code. */
			for (unsigned i = 0; i < ARRAY_SIZE(need); i++)
				if (!(p.has & need[i].has)) {
					r = cmdlet_binder_fail(x, c->cmdlet, "A value for the %s has to be provided.",
							       need[i].what);
					goto out;
				}
		}
		r = op_peering_set(x->eng, key, &p, true, &e);
	}
	if (r < 0) {
		r = cmdlet_fail(x, c->cmdlet, &e);
		goto out;
	}
	if (t == ACCESS_PUBLIC && !existed)
		cmdlet_warning(x, PUBLIC_PEERING_DEPRECATED);
	r = print_peering(x, c->cmdlet, key, t);
out:
	peering_clear(&p);
	circuit_clear(&ci);
	return r;
}

static int new_peering(struct cli *x, struct ps_call *c)
{
	return write_peering(x, c, false);
}

static int set_peering(struct cli *x, struct ps_call *c)
{
	return write_peering(x, c, true);
}

static int get_peering(struct cli *x, struct ps_call *c)
{
	const char *key = ps_get(c, "ServiceKey"), *type = ps_get(c, "AccessType");
	struct circuit ci;
	int r;

	circuit_init(&ci);
	r = cmdlet_circuit(x, c->cmdlet, key, &ci);
	circuit_clear(&ci);
	return r != 0 ? r : print_peering(x, c->cmdlet, key, type ? access_type_from_string(type) : ACCESS_PRIVATE);
}

/* -PeerAddressType IPv4 or IPv6 removes that family, on Microsoft peering only (the module's rule). */
static int remove_peering(struct cli *x, struct ps_call *c)
{
	const char *key = ps_get(c, "ServiceKey"), *fam = ps_get(c, "PeerAddressType");
	enum access_type t = access_type_from_string(ps_get(c, "AccessType"));
	enum family f = fam && t == ACCESS_MICROSOFT ? family_from_string(fam) : _FAMILY_INVALID;
	struct circuit ci;
	struct err e = { 0 };
	int r;

	if ((r = lock_exclusive(x, c->cmdlet)) != 0)
		return r;
	circuit_init(&ci);
	if ((r = cmdlet_circuit(x, c->cmdlet, key, &ci)) != 0)
		return r;
	circuit_clear(&ci);
	if (op_peering_remove_family(x->eng, key, t, f, &e) < 0)
		return cmdlet_fail(x, c->cmdlet, &e);
	if (ps_has(c, "PassThru"))
		fputs("True\n", x->out);
	return 0;
}

/* ---- VNet links (docs/layout.md#vnets) ---- */

static void link_rows(FILE *f, const char *const *cells, unsigned n)
{
	static const char *const headers[] = { "State", "VnetName" };

	format_ps_table(f, headers, NULL, 2, cells, n, 0);
}

/* New-AzureDedicatedCircuitLink -ServiceKey K -VNetName V [-AddressSpace CIDR[,CIDR]] (emulator's). */
static int new_vnet_link(struct cli *x, struct ps_call *c)
{
	const char *key = ps_get(c, "ServiceKey"), *name = ps_get(c, "VNetName");
	char what[VNET_NAME_MAX + 16];
	struct vnet v = { 0 };
	struct err e = { 0 };
	int r;

	if (!ps_get(c, "AddressSpace"))
		return cmdlet_fail_code(x, c->cmdlet, "BadRequest", 2,
					"A value for the AddressSpace has to be provided (erlab emulates the virtual "
					"network: give its address space, e.g. -AddressSpace 10.1.0.0/16).");
	if (strlen(name) > VNET_NAME_MAX) {
		err_set(&e, -EINVAL, name, "The virtual network name is too long: at most %d characters.", VNET_NAME_MAX);
		return cmdlet_fail(x, c->cmdlet, &e);
	}
	snprintf(v.name, sizeof(v.name), "%s", name);
	snprintf(what, sizeof(what), "vnet %s", name);
	if ((r = bind_fields(x, c, &v, what, 0, false)) == 0) {
		if (op_vnet_link(x->eng, key, &v, &e) < 0) {
			r = cmdlet_fail(x, c->cmdlet, &e);
		} else {
			const char *cells[] = { "Provisioned", name };

			link_rows(x->out, cells, 1);
		}
	}
	vnet_clear(&v);
	return r;
}

static int get_vnet_link(struct cli *x, struct ps_call *c)
{
	const char *key = ps_get(c, "ServiceKey"), *name = ps_get(c, "VNetName");
	struct circuit ci;
	const char **cells;
	unsigned n = 0;
	int r;

	circuit_init(&ci);
	if ((r = cmdlet_circuit(x, c->cmdlet, key, &ci)) != 0)
		return r;
	cells = calloc(2 * (ci.n_vnets + 1), sizeof(*cells));
	for (unsigned i = 0; cells && i < ci.n_vnets; i++) {
		if (name && strcasecmp(name, ci.vnets[i].name) != 0)
			continue;
		cells[2 * n] = "Provisioned";
		cells[2 * n + 1] = ci.vnets[i].name;
		n++;
	}
	if (name && n == 0) {
		struct err e = { 0 };

		err_set(&e, -ENOENT, ci.name, "The virtual network '%s' is not linked to circuit '%s'.", name, ci.name);
		free(cells);
		circuit_clear(&ci);
		return cmdlet_fail(x, c->cmdlet, &e);
	}
	if (n)
		link_rows(x->out, cells, n);
	free(cells);
	circuit_clear(&ci);
	return 0;
}

static int remove_vnet_link(struct cli *x, struct ps_call *c)
{
	char key[GUID_STRLEN];
	struct err e = { 0 };

	/* A string with [ValidateGuid] here, not a Guid: the binder checked it, this canonicalises it. */
	if (guid_parse(ps_get(c, "ServiceKey"), key) < 0)
		snprintf(key, sizeof(key), "%s", ps_get(c, "ServiceKey"));
	if (op_vnet_unlink(x->eng, key, ps_get(c, "VNetName"), &e) < 0)
		return cmdlet_fail(x, c->cmdlet, &e);
	if (ps_has(c, "PassThru"))
		fputs("True\n", x->out);
	return 0;
}

/* ---- diagnostics: the handlers in cmdlet_diag.c take the call as it is ---- */

static int diag_arp(struct cli *x, struct ps_call *c) { return cmdlet_diag_arp(x, c); }
static int diag_summary(struct cli *x, struct ps_call *c) { return cmdlet_diag_route_summary(x, c); }
static int diag_info(struct cli *x, struct ps_call *c) { return cmdlet_diag_route_info(x, c); }
static int diag_stats(struct cli *x, struct ps_call *c) { return cmdlet_diag_stats(x, c); }

/* ---- the cmdlets, as the classic module declares them ---- */

static const char *peer_family_name(int v) { return families[v].name; }
/* New- and Set-AzureBGPPeering's PeerAddressTypeValues; Remove's BgpPeerAddressType adds All. */
static const struct ps_enum peer_address_type = {
	"Microsoft.WindowsAzure.Commands.ExpressRoute.PeerAddressTypeValues", _FAMILY_MAX, peer_family_name,
};
static const char *remove_family_name(int v) { return v < _FAMILY_MAX ? families[v].name : "All"; }
static const struct ps_enum bgp_peer_address_type = {
	"Microsoft.WindowsAzure.Management.ExpressRoute.Models.BgpPeerAddressType", _FAMILY_MAX + 1, remove_family_name,
};
static const char *legacy_name(int v) { return v ? "True" : "False"; }
static const struct ps_enum legacy_mode = { "Microsoft.WindowsAzure.Commands.ExpressRoute.LegacyMode", 2, legacy_name };

#define M PS_MANDATORY
#define NE PS_NOT_EMPTY
#define NUL PS_NULLABLE
#define KEY_HELP "the circuit's service key (erlab circuit list shows them)"
#define SERVICE_KEY(f) { .name = "ServiceKey", .type = PS_GUID, .flags = (f), .help = KEY_HELP }
#define ACCESS_TYPE(f) { .name = "AccessType", .type = PS_ENUM, .en = &ps_access_type, .flags = (f), \
			 .help = ((f) & M) ? "which of the circuit's peerings" \
					   : "which of the circuit's peerings (default: Private)" }
#define SWITCH(n, h) { .name = (n), .type = PS_SWITCH, .help = (h) }
#define FORCE SWITCH("Force", "accepted; erlab never asks for confirmation")
#define PASS_THRU SWITCH("PassThru", "print True when done")
#define END { 0 }

static const struct ps_decl get_circuit_params[] = {
	{ .name = "ServiceKey", .type = PS_GUID, .pos = 1, .help = KEY_HELP "; without it, every circuit" }, END,
};
static const struct ps_decl new_circuit_params[] = {
	{ .key = "name", .flags = M | NE }, { .key = "bandwidth", .flags = M | NE }, { .key = "location", .flags = M },
	{ .key = "service_provider_name", .flags = M }, { .key = "sku" }, { .key = "billing_type" }, FORCE,
	END,
};
static const struct ps_decl remove_circuit_params[] = { SERVICE_KEY(M), FORCE, PASS_THRU, END };
static const struct ps_decl set_circuit_params[] = {
	SERVICE_KEY(M), { .key = "bandwidth", .flags = NUL }, { .key = "sku", .flags = NUL }, FORCE, END,
};
#define PEER_ADDRESS_TYPE { .name = "PeerAddressType", .type = PS_ENUM, .en = &peer_address_type, \
	.help = "the address family the subnets, prefixes, CustomerAsn and RoutingRegistryName are for " \
		"(default: the subnets' own, else IPv4)" }
static const struct ps_decl new_peering_params[] = {
	SERVICE_KEY(M), { .key = "advertised_public_prefixes", .flags = NE }, { .key = "customer_asn" },
	{ .key = "peer_asn", .flags = M },
	{ .name = "LegacyMode", .type = PS_ENUM, .en = &legacy_mode, .help = "accepted, as the module declares it; "
	  "changes nothing" },
	{ .key = "primary_peer_subnet", .flags = M | NE }, { .key = "routing_registry_name" },
	{ .key = "secondary_peer_subnet", .flags = M | NE }, { .key = "shared_key", .flags = NE },
	{ .key = "vlan_id", .flags = M }, ACCESS_TYPE(0), PEER_ADDRESS_TYPE, END,
};
static const struct ps_decl set_peering_params[] = {
	SERVICE_KEY(M), { .key = "advertised_public_prefixes", .flags = NE }, { .key = "customer_asn", .flags = NUL },
	{ .key = "peer_asn", .flags = M | NUL }, { .key = "primary_peer_subnet", .flags = NE },
	{ .key = "routing_registry_name" }, { .key = "secondary_peer_subnet", .flags = NE },
	{ .key = "shared_key", .flags = NE }, { .key = "vlan_id", .flags = M | NUL }, ACCESS_TYPE(0), PEER_ADDRESS_TYPE,
	END,
};
static const struct ps_decl get_peering_params[] = { SERVICE_KEY(M), ACCESS_TYPE(0), END };
static const struct ps_decl remove_peering_params[] = {
	SERVICE_KEY(M), ACCESS_TYPE(M),
	{ .name = "PeerAddressType", .type = PS_ENUM, .en = &bgp_peer_address_type, .flags = NUL,
	  .help = "IPv4 or IPv6: remove only that family's config of Microsoft peering; All (the default): the "
		  "whole peering" },
	FORCE, PASS_THRU, END,
};
static const struct ps_decl new_link_params[] = {
	SERVICE_KEY(M), { .name = "VNetName", .flags = M | NE, .help = "the virtual network's name, 1-12 of "
	  "A-Z a-z 0-9 _ - (its namespace is <circuit>-<name>)" }, { .key = "address_space" }, END,
};
static const struct ps_decl get_link_params[] = {
	SERVICE_KEY(M), { .name = "VNetName", .flags = NE, .help = "only this virtual network (default: every one)" },
	END,
};
static const struct ps_decl remove_link_params[] = {
	{ .name = "ServiceKey", .type = PS_GUID_STRING, .flags = M | NE, .help = KEY_HELP },
	{ .name = "VNetName", .flags = M | NE, .help = "the virtual network to unlink" }, FORCE, PASS_THRU, END,
};
/* The module's parameter is -Path (of type DevicePath); the troubleshooting guide writes -DevicePath,
 * which binds it too, as an alias. */
static const struct ps_decl path_diag_params[] = {
	SERVICE_KEY(M), ACCESS_TYPE(M),
	{ .name = "Path", .type = PS_ENUM, .en = &ps_device_path, .flags = M, .alias = "DevicePath",
	  .help = "which of the circuit's two links" }, END,
};
static const struct ps_decl stats_params[] = {
	SERVICE_KEY(M), { .name = "AccessType", .type = PS_ENUM, .en = &ps_access_type,
	  .help = "which of the circuit's peerings (default: the sum over all of them)" }, END,
};

typedef int (*cmdlet_fn)(struct cli *x, struct ps_call *c);

struct cmdlet {
	const char *name;
	const struct ps_decl *params;
	const struct field_table *fields;   /* the table its field parameters bind through */
	cmdlet_fn run;
	const char *summary;                /* one line, for help */
	const char *native;                 /* the native verb that does the same, for help */
};

static int get_circuit_fn(struct cli *x, struct ps_call *c) { return get_circuit(x, c); }
static int new_circuit_fn(struct cli *x, struct ps_call *c) { return new_circuit(x, c); }
static int remove_circuit_fn(struct cli *x, struct ps_call *c) { return remove_circuit(x, c); }
static int set_circuit_fn(struct cli *x, struct ps_call *c) { return set_circuit(x, c); }
static int providers_fn(struct cli *x, struct ps_call *c) { return get_providers(x, c); }

static const struct cmdlet cmdlets[] = {
	{ "Get-AzureDedicatedCircuit", get_circuit_params, NULL, get_circuit_fn,
	  "show a circuit, or every circuit", "circuit get" },
	{ "New-AzureDedicatedCircuit", new_circuit_params, &circuit_fields, new_circuit_fn,
	  "create a circuit (NotProvisioned until the provider provisions it)", "circuit new" },
	{ "Remove-AzureDedicatedCircuit", remove_circuit_params, NULL, remove_circuit_fn,
	  "remove a deprovisioned circuit", "circuit remove" },
	{ "Set-AzureDedicatedCircuitProperties", set_circuit_params, &circuit_fields, set_circuit_fn,
	  "change a circuit's bandwidth or SKU", "circuit set" },
	{ "Get-AzureDedicatedCircuitServiceProvider", NULL, NULL, providers_fn,
	  "the connectivity providers, their locations and bandwidths", NULL },
	{ "New-AzureBGPPeering", new_peering_params, &peering_fields, new_peering,
	  "create a BGP peering on a provisioned circuit", "peering new" },
	{ "Set-AzureBGPPeering", set_peering_params, &peering_fields, set_peering,
	  "change a BGP peering (what is not given is kept), or create it", "peering set" },
	{ "Get-AzureBGPPeering", get_peering_params, NULL, get_peering, "show a BGP peering", "peering get" },
	{ "Remove-AzureBGPPeering", remove_peering_params, NULL, remove_peering,
	  "remove a BGP peering, or one address family of Microsoft peering", "peering remove" },
	{ "New-AzureDedicatedCircuitLink", new_link_params, &vnet_fields, new_vnet_link,
	  "link a virtual network to the circuit (erlab emulates it: give -AddressSpace)", "vnet link" },
	{ "Get-AzureDedicatedCircuitLink", get_link_params, NULL, get_vnet_link,
	  "the virtual networks linked to a circuit", NULL },
	{ "Remove-AzureDedicatedCircuitLink", remove_link_params, NULL, remove_vnet_link,
	  "unlink a virtual network", "vnet unlink" },
	{ "Get-AzureDedicatedCircuitPeeringArpInfo", path_diag_params, NULL, diag_arp,
	  "the ARP table of a peering's link, as the Microsoft edge shows it", NULL },
	{ "Get-AzureDedicatedCircuitPeeringRouteTableSummary", path_diag_params, NULL, diag_summary,
	  "the Microsoft edge's BGP neighbor on a peering's link, its state and prefix count", NULL },
	{ "Get-AzureDedicatedCircuitPeeringRouteTableInfo", path_diag_params, NULL, diag_info,
	  "the routes the Microsoft edge learnt on a peering's link", NULL },
	{ "Get-AzureDedicatedCircuitStats", stats_params, NULL, diag_stats,
	  "bytes in and out of a peering's (or every peering's) links, on each path", NULL },
};

static const struct cmdlet *cmdlet_find(const char *name)
{
	if (!name)
		return NULL;
	for (unsigned i = 0; i < ARRAY_SIZE(cmdlets); i++)
		if (strcasecmp(cmdlets[i].name, name) == 0)
			return &cmdlets[i];
	return NULL;
}

bool cmdlet_is(const char *name)
{
	return cmdlet_find(name) != NULL;
}

static void doc_of(const struct cmdlet *c, struct cmdlet_doc *ret)
{
	*ret = (struct cmdlet_doc){ c->name, c->summary, c->native, c->params, c->fields };
}

bool cmdlet_doc_at(unsigned i, struct cmdlet_doc *ret)
{
	if (i >= ARRAY_SIZE(cmdlets))
		return false;
	doc_of(&cmdlets[i], ret);
	return true;
}

bool cmdlet_doc_find(const char *name, struct cmdlet_doc *ret)
{
	const struct cmdlet *c = cmdlet_find(name);

	if (c)
		doc_of(c, ret);
	return c != NULL;
}

/* -ErrorAction SilentlyContinue or Ignore: the error is not shown (the exit code still says it). */
static bool errors_silenced(const struct ps_call *c)
{
	const char *a = ps_get(c, "ErrorAction");

	return a && (strcmp(a, "SilentlyContinue") == 0 || strcmp(a, "Ignore") == 0);
}

int cmdlet_main(struct cli *x, int argc, char **argv)
{
	const struct cmdlet *cm = argc > 0 ? cmdlet_find(argv[0]) : NULL;
	struct ps_call *c;
	FILE *log = x->log, *sink = NULL;
	int r;

	if (!cm)
		return cmdlet_fail_code(x, argc > 0 && argv[0] ? argv[0] : "erlab", "BadRequest", 2,
					"not a supported cmdlet");
	if (!(c = calloc(1, sizeof(*c))))
		return cmdlet_fail_code(x, cm->name, "InternalError", 1, "out of memory");
	/* Errors name the cmdlet in its canonical spelling, whatever case was typed. */
	r = cmdlet_bind(x, cm->name, cm->params, cm->fields, argc - 1, argv + 1, c);
	if (r == 0) {
		if (errors_silenced(c) && (sink = fopen("/dev/null", "we")))
			x->log = sink;
		r = cm->run(x, c);
		x->log = log;
		if (sink)
			fclose(sink);
	}
	free(c);
	fflush(x->out);
	return r;
}
