/* SPDX-License-Identifier: MIT */
/*
 * The cmdlet face: the classic ExpressRoute PowerShell commands of the how-to, run as written
 * with `erlab` in front, over the same ops as the native verbs.
 *
 * Errors print as "<Cmdlet> : <Code>: <Message>" on stderr, the way PowerShell renders a
 * CloudException, with Code from err_azure_code(). A message that is one of Azure's or
 * PowerShell's recorded texts (azure_texts below) prints verbatim; any other (erlab's own)
 * prints as err_format() does, "<what>: <msg> (<detail>)", so the object, the value and the
 * kernel's reason are not lost. Client-side errors (parameter binding, InvalidGuid, the
 * Set-AzureBGPPeering "has to be provided" checks) use the same shape with BadRequest.
 */
#include <errno.h>
#include <fnmatch.h>
#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "cli/cli.h"
#include "core/format.h"
#include "core/guid.h"
#include "core/num.h"
#include "core/provider.h"
#include "core/psargs.h"
#include "core/validate.h"

#define ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))

#include "cli/cmdlet.h"

/* Recorded texts (reference §4, PowerShell's binder): these never get erlab's additions. */
static const char *const azure_texts[] = {
	"BGP peering could not be created as it already exists.",
	"The vlanId specified is already in use.",
	"The specified BGP peer IP address '*' is not valid.",
	"The specified bandwidth * does not exist for the provider *",
	"The specified location * does not exist for the provider *",
	"The provider could not be found.",
	"The circuit with name '*' already exists.",
	"The specified dedicated circuit with service key '*' was not found.",
	"The specified service key '*' is not valid or could not be found.",
	"Can not find any subinterface for peering type '*' for circuit '*' .",
	"The value * is an invalid GUID.",
	"A value for the * has to be provided.",
	"A parameter cannot be found that matches parameter name '*'.",
	"Parameter cannot be processed because the parameter name '*' is ambiguous. *",
	"A positional parameter cannot be found that accepts argument '*'.",
	"Cannot bind parameter because parameter '*' is specified more than once. *",
	"Missing an argument for parameter '*'. *",
	"Cannot process argument transformation on parameter '*'. *",
	"Cannot validate argument on parameter '*'. *",
	"Cannot process command because of one or more missing mandatory parameters: *",
};

static bool is_recorded_text(const char *msg)
{
	for (unsigned i = 0; i < ARRAY_SIZE(azure_texts); i++)
		if (fnmatch(azure_texts[i], msg, FNM_NOESCAPE) == 0)
			return true;
	return false;
}

int cmdlet_fail_code(struct cli *x, const char *cmdlet, const char *code, int exit_code, const char *msg)
{
	fprintf(x->log, "%s : %s: %s\n", cmdlet, code, msg);
	return exit_code;
}

int cmdlet_fail(struct cli *x, const char *cmdlet, const struct err *e)
{
	/* A failure without an errno is still a failure: report it as the system's. */
	int errnum = e->errnum ? e->errnum : -EIO;
	char buf[sizeof(e->what) + sizeof(e->msg) + sizeof(e->detail) + 8];

	if (is_recorded_text(e->msg))
		return cmdlet_fail_code(x, cmdlet, err_azure_code(errnum), err_exit_code(errnum), e->msg);
	return cmdlet_fail_code(x, cmdlet, err_azure_code(errnum), err_exit_code(errnum),
				err_format(e, buf, sizeof(buf)));
}

/* A client-side (binding, argument) error: BadRequest, exit 2. */
static int fail_arg(struct cli *x, const char *cmdlet, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
static int fail_arg(struct cli *x, const char *cmdlet, const char *fmt, ...)
{
	struct err e = { 0 };
	va_list ap;

	va_start(ap, fmt);
	err_vset(&e, -EINVAL, NULL, fmt, ap);
	va_end(ap);
	return cmdlet_fail(x, cmdlet, &e);
}

int cmdlet_bind(struct cli *x, const char *cmdlet, const struct psparam *params, unsigned n,
		unsigned mandatory, int argc, char **argv, struct psbound *b)
{
	char missing[512];
	size_t used = 0;
	struct err e = { 0 };
	unsigned i;

	if (psargs_bind(params, n, argc, argv, b, &e) < 0)
		return cmdlet_fail(x, cmdlet, &e);

	missing[0] = '\0';
	for (i = 0; i < n; i++) {
		if (!(mandatory & (1u << i)) || b->present[i] || used >= sizeof(missing))
			continue;
		used += (size_t)snprintf(missing + used, sizeof(missing) - used, "%s%s",
					 used ? " " : "", params[i].name);
	}
	if (missing[0])
		return fail_arg(x, cmdlet, "Cannot process command because of one or more missing "
				"mandatory parameters: %s.", missing);

	/* [ValidateNotNullOrEmpty] on every string parameter of these cmdlets. */
	for (i = 0; i < n; i++)
		if (b->present[i] && b->value[i] && !b->value[i][0])
			return fail_arg(x, cmdlet, "Cannot validate argument on parameter '%s'. The argument "
					"is null or empty. Provide an argument that is not null or empty, and "
					"then try the command again.", params[i].name);
	return 0;
}

int cmdlet_service_key(struct cli *x, const char *cmdlet, const char *text, char ret[GUID_STRLEN])
{
	if (guid_parse(text, ret) < 0)
		return fail_arg(x, cmdlet, "The value %s is an invalid GUID.", text);
	return 0;
}

int cmdlet_validate_set(struct cli *x, const char *cmdlet, const char *param, const char *value,
			const char *set)
{
	return fail_arg(x, cmdlet, "Cannot validate argument on parameter '%s'. The argument \"%s\" does "
			"not belong to the set \"%s\" specified by the ValidateSet attribute. Supply an "
			"argument that is in the set and then try the command again.", param, value, set);
}

int cmdlet_access_type(struct cli *x, const char *cmdlet, const char *text, enum access_type *ret)
{
	enum access_type t = ACCESS_PRIVATE;

	if (!text) {
		*ret = ACCESS_PRIVATE;   /* [DefaultValue("Private")] */
		return 0;
	}
	t = access_type_from_string(text);
	if (t < 0)
		return cmdlet_validate_set(x, cmdlet, "AccessType", text, "Microsoft,Public,Private");
	*ret = t;
	return 0;
}

/*
 * Load the circuit a ServiceKey names. The key is canonical already; a circuit whose *name*
 * happens to be that GUID is not the one asked for.
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

static int parse_u32(struct cli *x, const char *cmdlet, const char *param, const char *text,
		     uint32_t *ret)
{
	int r = num_parse_u32(text, 0, UINT32_MAX, ret);

	if (r == 0)
		return 0;
	return fail_arg(x, cmdlet, "Cannot process argument transformation on parameter '%s'. Cannot "
			"convert value \"%s\" to type \"System.UInt32\". Error: \"%s\"", param, text,
			r == -ERANGE ? "Value was either too large or too small for a UInt32."
				     : "Input string was not in a correct format.");
}

static int copy_text(struct cli *x, const char *cmdlet, const char *param, const char *text,
		     char *dst, size_t len)
{
	if (strlen(text) >= len)
		return fail_arg(x, cmdlet, "-%s '%s': longer than %zu characters", param, text, len - 1);
	memcpy(dst, text, strlen(text) + 1);
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

enum { GC_SERVICE_KEY };
static const struct psparam get_circuit_params[] = {
	[GC_SERVICE_KEY] = { "ServiceKey", false, 0 },
};

static int get_circuit(struct cli *x, const char *cmdlet, const struct psbound *b)
{
	char key[GUID_STRLEN];
	struct circuit c, *list = NULL;
	unsigned n = 0;
	struct err e = { 0 };
	int r;

	if (!b->present[GC_SERVICE_KEY]) {
		if (op_circuit_list(x->eng, &list, &n, &e) < 0)
			return cmdlet_fail(x, cmdlet, &e);
		print_circuits(x->out, list, n);
		circuit_list_free(list, n);
		return 0;
	}
	if ((r = cmdlet_service_key(x, cmdlet, b->value[GC_SERVICE_KEY], key)) != 0)
		return r;
	circuit_init(&c);
	if ((r = cmdlet_circuit(x, cmdlet, key, &c)) != 0)
		return r;
	format_circuit_ps(x->out, &c);
	circuit_clear(&c);
	return 0;
}

enum { NC_NAME, NC_BANDWIDTH, NC_LOCATION, NC_PROVIDER, NC_SKU, NC_BILLING, NC_FORCE };
static const struct psparam new_circuit_params[] = {
	[NC_NAME] = { "CircuitName", false, -1 },
	[NC_BANDWIDTH] = { "Bandwidth", false, -1 },
	[NC_LOCATION] = { "Location", false, -1 },
	[NC_PROVIDER] = { "ServiceProviderName", false, -1 },
	[NC_SKU] = { "Sku", false, -1 },
	[NC_BILLING] = { "BillingType", false, -1 },
	[NC_FORCE] = { "Force", true, -1 },
};

static int parse_sku(struct cli *x, const char *cmdlet, const char *text, enum sku *ret)
{
	enum sku s = sku_from_string(text);

	if (s < 0)
		return cmdlet_validate_set(x, cmdlet, "Sku", text, "Standard,Premium");
	*ret = s;
	return 0;
}

static int new_circuit(struct cli *x, const char *cmdlet, const struct psbound *b)
{
	struct circuit c;
	struct err e = { 0 };
	int r;

	circuit_init(&c);
	if ((r = copy_text(x, cmdlet, "CircuitName", b->value[NC_NAME], c.name, sizeof(c.name))) ||
	    (r = parse_u32(x, cmdlet, "Bandwidth", b->value[NC_BANDWIDTH], &c.bandwidth)) ||
	    (r = copy_text(x, cmdlet, "Location", b->value[NC_LOCATION], c.location, sizeof(c.location))) ||
	    (r = copy_text(x, cmdlet, "ServiceProviderName", b->value[NC_PROVIDER], c.provider,
			   sizeof(c.provider))))
		goto out;
	c.has |= CIRCUIT_HAS_BANDWIDTH | CIRCUIT_HAS_LOCATION | CIRCUIT_HAS_PROVIDER;
	if (b->present[NC_SKU]) {
		if ((r = parse_sku(x, cmdlet, b->value[NC_SKU], &c.sku)))
			goto out;
		c.has |= CIRCUIT_HAS_SKU;
	}
	if (b->present[NC_BILLING]) {
		enum billing bt = billing_from_string(b->value[NC_BILLING]);

		if (bt < 0) {
			r = cmdlet_validate_set(x, cmdlet, "BillingType", b->value[NC_BILLING],
						"MeteredData,UnlimitedData");
			goto out;
		}
		c.billing = bt;
		c.has |= CIRCUIT_HAS_BILLING;
	}
	if ((r = op_circuit_new(x->eng, &c, &e)) < 0) {
		r = cmdlet_fail(x, cmdlet, &e);
		goto out;
	}
	/* The real cmdlet re-reads the circuit by its new key and prints that. */
	{
		char key[GUID_STRLEN];

		memcpy(key, c.service_key, sizeof(key));
		circuit_clear(&c);
		if ((r = cmdlet_circuit(x, cmdlet, key, &c)) != 0)
			goto out;
	}
	format_circuit_ps(x->out, &c);
	r = 0;
out:
	circuit_clear(&c);
	return r;
}

enum { RC_SERVICE_KEY, RC_FORCE, RC_PASSTHRU };
static const struct psparam remove_circuit_params[] = {
	[RC_SERVICE_KEY] = { "ServiceKey", false, 0 },
	[RC_FORCE] = { "Force", true, -1 },
	[RC_PASSTHRU] = { "PassThru", true, -1 },
};

static int remove_circuit(struct cli *x, const char *cmdlet, const struct psbound *b)
{
	char key[GUID_STRLEN], msg[256];
	struct circuit c;
	struct err e = { 0 };
	int r;

	if ((r = cmdlet_service_key(x, cmdlet, b->value[RC_SERVICE_KEY], key)) != 0 ||
	    (r = lock_exclusive(x, cmdlet)) != 0)
		return r;
	circuit_init(&c);
	r = op_circuit_get(x->eng, key, &c, &e);
	if (r == -ENOENT || (r == 0 && strcmp(c.service_key, key) != 0)) {
		circuit_clear(&c);
		/* Azure answers a delete of an unknown key with 400 BadRequest (recorded); the exit
		 * code stays SPEC §4's "not found" so scripts see the same class as the native verb. */
		snprintf(msg, sizeof(msg), "The specified service key '%s' is not valid or could not be found.", key);
		return cmdlet_fail_code(x, cmdlet, "BadRequest", err_exit_code(-ENOENT), msg);
	}
	circuit_clear(&c);
	if (r < 0)
		return cmdlet_fail(x, cmdlet, &e);
	if (op_circuit_remove(x->eng, key, &e) < 0)
		return cmdlet_fail(x, cmdlet, &e);
	if (b->present[RC_PASSTHRU])
		fputs("True\n", x->out);
	return 0;
}

enum { SC_SERVICE_KEY, SC_BANDWIDTH, SC_SKU, SC_FORCE };
static const struct psparam set_circuit_params[] = {
	[SC_SERVICE_KEY] = { "ServiceKey", false, 0 },
	[SC_BANDWIDTH] = { "Bandwidth", false, -1 },
	[SC_SKU] = { "Sku", false, -1 },
	[SC_FORCE] = { "Force", true, -1 },
};

static int set_circuit(struct cli *x, const char *cmdlet, const struct psbound *b)
{
	char key[GUID_STRLEN];
	struct circuit c, patch;
	struct err e = { 0 };
	int r;

	circuit_init(&patch);
	if ((r = cmdlet_service_key(x, cmdlet, b->value[SC_SERVICE_KEY], key)) != 0)
		return r;
	if (b->present[SC_BANDWIDTH]) {
		if ((r = parse_u32(x, cmdlet, "Bandwidth", b->value[SC_BANDWIDTH], &patch.bandwidth)) != 0)
			return r;
		patch.has |= CIRCUIT_HAS_BANDWIDTH;
	}
	if (b->present[SC_SKU]) {
		if ((r = parse_sku(x, cmdlet, b->value[SC_SKU], &patch.sku)) != 0)
			return r;
		patch.has |= CIRCUIT_HAS_SKU;
	}
	if ((r = lock_exclusive(x, cmdlet)) != 0)
		return r;
	circuit_init(&c);
	if ((r = cmdlet_circuit(x, cmdlet, key, &c)) != 0)
		return r;
	circuit_clear(&c);
	if (op_circuit_set(x->eng, key, &patch, &e) < 0)
		return cmdlet_fail(x, cmdlet, &e);
	if ((r = cmdlet_circuit(x, cmdlet, key, &c)) != 0)
		return r;
	format_circuit_ps(x->out, &c);
	circuit_clear(&c);
	return 0;
}

static int get_providers(struct cli *x, const char *cmdlet, const struct psbound *b)
{
	static const char *const headers[] = { "Name", "DedicatedCircuitLocations", "DedicatedCircuitBandwidths" };
	const struct provider *cat;
	const char **cells;
	char *texts;
	unsigned n, i;
	const size_t text_len = 2048;

	(void)b;
	cat = provider_catalogue(&n);
	cells = calloc((size_t)n * 3 + 1, sizeof(*cells));
	texts = calloc((size_t)n * 2 + 1, text_len);
	if (!cells || !texts) {
		free(cells);
		free(texts);
		return cmdlet_fail_code(x, cmdlet, "InternalError", 1, "out of memory");
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
	cmdlet_table(x->out, headers, 3, cells, n, 0);
	free(cells);
	free(texts);
	return 0;
}

/*
 * PowerShell's table format: a blank line, the header, a dashes row as long as each header, the
 * rows, two blank lines; columns one space apart, padded to the widest cell, the last one not
 * padded when left-aligned. Unlike a console, nothing is cut to the window width.
 */
void cmdlet_table(FILE *f, const char *const *headers, unsigned ncols, const char *const *cells,
		  unsigned nrows, unsigned right_aligned)
{
	size_t width[16] = { 0 };
	unsigned c, r;

	if (ncols > ARRAY_SIZE(width))
		ncols = ARRAY_SIZE(width);
	for (c = 0; c < ncols; c++) {
		width[c] = strlen(headers[c]);
		for (r = 0; r < nrows; r++) {
			size_t l = strlen(cells[r * ncols + c] ? cells[r * ncols + c] : "");

			if (l > width[c])
				width[c] = l;
		}
	}
	fputc('\n', f);
	for (r = 0; r < nrows + 2; r++) {
		for (c = 0; c < ncols; c++) {
			const char *s;
			char dashes[256];
			bool right = right_aligned & (1u << c), last = c + 1 == ncols;

			if (r == 0) {
				s = headers[c];
			} else if (r == 1) {
				size_t l = strlen(headers[c]) < sizeof(dashes) - 1 ? strlen(headers[c]) : sizeof(dashes) - 1;

				memset(dashes, '-', l);
				dashes[l] = '\0';
				s = dashes;
			} else {
				s = cells[(r - 2) * ncols + c] ? cells[(r - 2) * ncols + c] : "";
			}
			if (c)
				fputc(' ', f);
			if (right)
				fprintf(f, "%*s", (int)width[c], s);
			else if (last)
				fputs(s, f);
			else
				fprintf(f, "%-*s", (int)width[c], s);
		}
		fputc('\n', f);
	}
	fputs("\n\n", f);
}

/* ---- BGP peerings ---- */

enum {
	BP_SERVICE_KEY, BP_ACCESS_TYPE, BP_PRIMARY, BP_SECONDARY, BP_PEER_ASN, BP_VLAN, BP_SHARED_KEY,
	BP_CUSTOMER_ASN, BP_PREFIXES, BP_REGISTRY, BP_ADDRESS_TYPE, BP_LEGACY, BP_FORCE, BP_PASSTHRU,
};
static const struct psparam peering_params[] = {
	[BP_SERVICE_KEY] = { "ServiceKey", false, 0 },
	[BP_ACCESS_TYPE] = { "AccessType", false, -1 },
	[BP_PRIMARY] = { "PrimaryPeerSubnet", false, -1 },
	[BP_SECONDARY] = { "SecondaryPeerSubnet", false, -1 },
	[BP_PEER_ASN] = { "PeerAsn", false, -1 },
	[BP_VLAN] = { "VlanId", false, -1 },
	[BP_SHARED_KEY] = { "SharedKey", false, -1 },
	[BP_CUSTOMER_ASN] = { "CustomerAsn", false, -1 },
	[BP_PREFIXES] = { "AdvertisedPublicPrefixes", false, -1 },
	[BP_REGISTRY] = { "RoutingRegistryName", false, -1 },
	[BP_ADDRESS_TYPE] = { "PeerAddressType", false, -1 },
	[BP_LEGACY] = { "LegacyMode", false, -1 },
	[BP_FORCE] = { "Force", true, -1 },
	[BP_PASSTHRU] = { "PassThru", true, -1 },
};

/* One subnet into the v4 or v6 slot: -PeerAddressType decides when given, else the subnet's own
 * family (the classic docs only ever show IPv4). */
static int subnet_param(struct cli *x, const char *cmdlet, const char *param, const char *text,
			int family, const char *what, struct peering *p, bool primary)
{
	enum subnet_slot slot;
	struct err e = { 0 };
	struct cidr cidr;

	if (validate_peer_subnet(text, what, &cidr, &e) < 0)
		return cmdlet_fail(x, cmdlet, &e);
	if (family && cidr.family != family)
		return fail_arg(x, cmdlet, "%s: -%s %s is not an %s subnet (-PeerAddressType %s)", what,
				param, text, family == AF_INET ? "IPv4" : "IPv6",
				family == AF_INET ? "IPv4" : "IPv6");
	slot = subnet_slot_of(primary ? LINK_PRIMARY : LINK_SECONDARY, cidr.family == AF_INET6);
	*peering_subnet_w(p, slot) = cidr;
	p->has |= subnet_slots[slot].bit;
	return 0;
}

/* Everything given on the command line into a patch (p is initialised by the caller). */
static int peering_from_args(struct cli *x, const char *cmdlet, const struct psbound *b,
			     const struct circuit *c, struct peering *p)
{
	char what[160];
	struct err e = { 0 };
	uint32_t v;
	int family = 0, r;

	snprintf(what, sizeof(what), "%s %s peering", c->name, access_type_lower(p->type));
	if (b->present[BP_ADDRESS_TYPE]) {
		const char *t = b->value[BP_ADDRESS_TYPE];

		if (strcasecmp(t, "IPv4") == 0)
			family = AF_INET;
		else if (strcasecmp(t, "IPv6") == 0)
			family = AF_INET6;
		else
			return cmdlet_validate_set(x, cmdlet, "PeerAddressType", t, "IPv4,IPv6");
	}
	if (b->present[BP_LEGACY] && strcasecmp(b->value[BP_LEGACY], "True") != 0 &&
	    strcasecmp(b->value[BP_LEGACY], "False") != 0)
		return cmdlet_validate_set(x, cmdlet, "LegacyMode", b->value[BP_LEGACY], "False,True");
	if (b->present[BP_PRIMARY] &&
	    (r = subnet_param(x, cmdlet, "PrimaryPeerSubnet", b->value[BP_PRIMARY], family, what, p, true)))
		return r;
	if (b->present[BP_SECONDARY] &&
	    (r = subnet_param(x, cmdlet, "SecondaryPeerSubnet", b->value[BP_SECONDARY], family, what, p, false)))
		return r;
	if (b->present[BP_PEER_ASN]) {
		if ((r = parse_u32(x, cmdlet, "PeerAsn", b->value[BP_PEER_ASN], &p->peer_asn)))
			return r;
		p->has |= PEERING_HAS_PEER_ASN;
	}
	if (b->present[BP_VLAN]) {
		if ((r = parse_u32(x, cmdlet, "VlanId", b->value[BP_VLAN], &v)))
			return r;
		/* Range-check before narrowing; validate_vlan has the rule and the text. */
		if (validate_vlan(v, what, &e) < 0)
			return cmdlet_fail(x, cmdlet, &e);
		p->vlan_id = (uint16_t)v;
		p->has |= PEERING_HAS_VLAN;
	}
	if (b->present[BP_SHARED_KEY]) {
		if (validate_shared_key(b->value[BP_SHARED_KEY], what, &e) < 0)
			return cmdlet_fail(x, cmdlet, &e);
		snprintf(p->shared_key, sizeof(p->shared_key), "%s", b->value[BP_SHARED_KEY]);
		p->has |= PEERING_HAS_SHARED_KEY;
	}
	if (b->present[BP_CUSTOMER_ASN]) {
		if ((r = parse_u32(x, cmdlet, "CustomerAsn", b->value[BP_CUSTOMER_ASN], &p->customer_asn)))
			return r;
		p->has |= PEERING_HAS_CUSTOMER_ASN;
	}
	if (b->present[BP_REGISTRY]) {
		if (validate_registry(b->value[BP_REGISTRY], what, &e) < 0)
			return cmdlet_fail(x, cmdlet, &e);
		snprintf(p->registry, sizeof(p->registry), "%s", b->value[BP_REGISTRY]);
		p->has |= PEERING_HAS_REGISTRY;
	}
	if (b->present[BP_PREFIXES]) {
		if (validate_prefix_list(b->value[BP_PREFIXES], what, &p->prefixes, &p->n_prefixes, &e) < 0)
			return cmdlet_fail(x, cmdlet, &e);
		p->has |= PEERING_HAS_PREFIXES;
	}
	return 0;
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

/* New- and Set-AzureBGPPeering share their parameters; `set` merges or creates. */
static int write_peering(struct cli *x, const char *cmdlet, const struct psbound *b, bool set)
{
	char key[GUID_STRLEN];
	enum access_type t = ACCESS_PRIVATE;
	struct circuit c;
	struct peering p;
	struct err e = { 0 };
	int r;

	if ((r = cmdlet_service_key(x, cmdlet, b->value[BP_SERVICE_KEY], key)) != 0 ||
	    (r = cmdlet_access_type(x, cmdlet, b->value[BP_ACCESS_TYPE], &t)) != 0 ||
	    (r = lock_exclusive(x, cmdlet)) != 0)
		return r;
	circuit_init(&c);
	peering_init(&p, t);
	if ((r = cmdlet_circuit(x, cmdlet, key, &c)) != 0)
		goto out;
	if ((r = peering_from_args(x, cmdlet, b, &c, &p)) != 0)
		goto out;

	if (!set) {
		r = op_peering_new(x->eng, key, &p, &e);
	} else {
		/* SetAzureBGPPeering.cs: Get, then update; when Get fails, these checks, then create. */
		if (!c.peering_present[t]) {
			static const struct { unsigned has; const char *what; } need[] = {
				{ PEERING_HAS_PEER_ASN, " Peer Asn" },   /* sic: two spaces in Azure's text */
				{ PEERING_HAS_VLAN, "VLan Id" },
				{ PEERING_HAS_PRIMARY4 | PEERING_HAS_PRIMARY6, "Primary Peer Subnet" },
				{ PEERING_HAS_SECONDARY4 | PEERING_HAS_SECONDARY6, "Secondary Peer Subnet" },
			};

			for (unsigned i = 0; i < ARRAY_SIZE(need); i++)
				if (!(p.has & need[i].has)) {
					r = fail_arg(x, cmdlet, "A value for the %s has to be provided.", need[i].what);
					goto out;
				}
		}
		r = op_peering_set(x->eng, key, &p, true, &e);
	}
	if (r < 0) {
		r = cmdlet_fail(x, cmdlet, &e);
		goto out;
	}
	r = print_peering(x, cmdlet, key, t);
out:
	peering_clear(&p);
	circuit_clear(&c);
	return r;
}

static int new_peering(struct cli *x, const char *cmdlet, const struct psbound *b)
{
	return write_peering(x, cmdlet, b, false);
}

static int set_peering(struct cli *x, const char *cmdlet, const struct psbound *b)
{
	return write_peering(x, cmdlet, b, true);
}

enum { GP_SERVICE_KEY, GP_ACCESS_TYPE };
static const struct psparam get_peering_params[] = {
	[GP_SERVICE_KEY] = { "ServiceKey", false, 0 },
	[GP_ACCESS_TYPE] = { "AccessType", false, -1 },
};

static int get_peering(struct cli *x, const char *cmdlet, const struct psbound *b)
{
	char key[GUID_STRLEN];
	enum access_type t = ACCESS_PRIVATE;
	struct circuit c;
	int r;

	if ((r = cmdlet_service_key(x, cmdlet, b->value[GP_SERVICE_KEY], key)) != 0 ||
	    (r = cmdlet_access_type(x, cmdlet, b->value[GP_ACCESS_TYPE], &t)) != 0)
		return r;
	circuit_init(&c);
	r = cmdlet_circuit(x, cmdlet, key, &c);
	circuit_clear(&c);
	return r != 0 ? r : print_peering(x, cmdlet, key, t);
}

enum { RP_SERVICE_KEY, RP_ACCESS_TYPE, RP_ADDRESS_TYPE, RP_FORCE, RP_PASSTHRU };
static const struct psparam remove_peering_params[] = {
	[RP_SERVICE_KEY] = { "ServiceKey", false, 0 },
	[RP_ACCESS_TYPE] = { "AccessType", false, -1 },
	[RP_ADDRESS_TYPE] = { "PeerAddressType", false, -1 },
	[RP_FORCE] = { "Force", true, -1 },
	[RP_PASSTHRU] = { "PassThru", true, -1 },
};

static int remove_peering(struct cli *x, const char *cmdlet, const struct psbound *b)
{
	char key[GUID_STRLEN];
	enum access_type t = ACCESS_PRIVATE;
	struct circuit c;
	struct err e = { 0 };
	const char *fam = b->value[RP_ADDRESS_TYPE];
	int r;

	if ((r = cmdlet_service_key(x, cmdlet, b->value[RP_SERVICE_KEY], key)) != 0 ||
	    (r = cmdlet_access_type(x, cmdlet, b->value[RP_ACCESS_TYPE], &t)) != 0)
		return r;
	if (fam && strcasecmp(fam, "IPv4") && strcasecmp(fam, "IPv6") && strcasecmp(fam, "All"))
		return cmdlet_validate_set(x, cmdlet, "PeerAddressType", fam, "IPv4,IPv6,All");
	if ((r = lock_exclusive(x, cmdlet)) != 0)
		return r;
	circuit_init(&c);
	if ((r = cmdlet_circuit(x, cmdlet, key, &c)) != 0)
		return r;
	/* Azure honours IPv4/IPv6 for Microsoft peering only (otherwise it removes All). Removing
	 * one family of a dual-stack peering needs an op that clears fields: not there yet. */
	if (fam && t == ACCESS_MICROSOFT && strcasecmp(fam, "All") != 0 && c.peering_present[t] &&
	    peering_has_v4(&c.peerings[t]) && peering_has_v6(&c.peerings[t])) {
		circuit_clear(&c);
		return cmdlet_fail_code(x, cmdlet, "InternalError", 1,
					"Removing one address family of a dual-stack Microsoft peering is not "
					"implemented yet; use -PeerAddressType All");
	}
	circuit_clear(&c);
	if (op_peering_remove(x->eng, key, t, &e) < 0)
		return cmdlet_fail(x, cmdlet, &e);
	if (b->present[RP_PASSTHRU])
		fputs("True\n", x->out);
	return 0;
}

/* ---- VNet links (SPEC §6) ---- */

enum { LK_SERVICE_KEY, LK_VNET, LK_ADDRESS_SPACE };
static const struct psparam link_params[] = {
	[LK_SERVICE_KEY] = { "ServiceKey", false, 0 },
	[LK_VNET] = { "VNetName", false, 1 },
	[LK_ADDRESS_SPACE] = { "AddressSpace", false, -1 },
};

static void link_row(FILE *f, const char *vnet)
{
	static const char *const headers[] = { "State", "VnetName" };
	const char *cells[] = { "Provisioned", vnet };

	cmdlet_table(f, headers, 2, cells, 1, 0);
}

/* New-AzureDedicatedCircuitLink -ServiceKey K -VNetName V [-AddressSpace CIDR[,CIDR]] (emulator's). */
static int new_vnet_link(struct cli *x, const char *cmdlet, const struct psbound *b)
{
	char key[GUID_STRLEN];
	const char *spaces = b->value[LK_ADDRESS_SPACE], *name = b->value[LK_VNET];
	struct vnet v = { 0 };
	struct err e = { 0 };
	struct cidr_list_fail f;
	int r;

	if ((r = cmdlet_service_key(x, cmdlet, b->value[LK_SERVICE_KEY], key)) != 0)
		return r;
	if (!spaces)
		return cmdlet_fail_code(x, cmdlet, "BadRequest", 2,
					"A value for the AddressSpace has to be provided (erlab emulates the virtual "
					"network: give its address space, e.g. -AddressSpace 10.1.0.0/16).");
	if (strlen(name) > VNET_NAME_MAX) {
		err_set(&e, -EINVAL, name, "The virtual network name is too long: at most %d characters.", VNET_NAME_MAX);
		return cmdlet_fail(x, cmdlet, &e);
	}
	snprintf(v.name, sizeof(v.name), "%s", name);
	if ((r = cidr_parse_list(spaces, false, UINT32_MAX, &v.spaces, &v.n_spaces, &f)) == -ENOMEM)
		return cmdlet_fail_code(x, cmdlet, "InternalError", 1, "out of memory");
	if (r < 0) {
		err_set(&e, -EINVAL, "AddressSpace", "The address space '%s' is not valid.", f.text);
		return cmdlet_fail(x, cmdlet, &e);
	}
	r = op_vnet_link(x->eng, key, &v, &e);
	vnet_clear(&v);
	if (r < 0)
		return cmdlet_fail(x, cmdlet, &e);
	link_row(x->out, name);
	return 0;
}

static int get_vnet_link(struct cli *x, const char *cmdlet, const struct psbound *b)
{
	static const char *const headers[] = { "State", "VnetName" };
	char key[GUID_STRLEN];
	struct circuit c;
	const char **cells;
	unsigned n = 0;
	int r;

	if ((r = cmdlet_service_key(x, cmdlet, b->value[LK_SERVICE_KEY], key)) != 0)
		return r;
	circuit_init(&c);
	if ((r = cmdlet_circuit(x, cmdlet, key, &c)) != 0)
		return r;
	cells = calloc(2 * (c.n_vnets + 1), sizeof(*cells));
	for (unsigned i = 0; cells && i < c.n_vnets; i++) {
		if (b->value[LK_VNET] && strcasecmp(b->value[LK_VNET], c.vnets[i].name) != 0)
			continue;
		cells[2 * n] = "Provisioned";
		cells[2 * n + 1] = c.vnets[i].name;
		n++;
	}
	if (b->value[LK_VNET] && n == 0) {
		struct err e = { 0 };

		err_set(&e, -ENOENT, c.name, "The virtual network '%s' is not linked to circuit '%s'.", b->value[LK_VNET],
			c.name);
		free(cells);
		circuit_clear(&c);
		return cmdlet_fail(x, cmdlet, &e);
	}
	if (n)
		cmdlet_table(x->out, headers, 2, cells, n, 0);
	free(cells);
	circuit_clear(&c);
	return 0;
}

static int remove_vnet_link(struct cli *x, const char *cmdlet, const struct psbound *b)
{
	char key[GUID_STRLEN];
	struct err e = { 0 };
	int r;

	if ((r = cmdlet_service_key(x, cmdlet, b->value[LK_SERVICE_KEY], key)) != 0)
		return r;
	if (op_vnet_unlink(x->eng, key, b->value[LK_VNET], &e) < 0)
		return cmdlet_fail(x, cmdlet, &e);
	return 0;
}

/* ---- the table ---- */

typedef int (*cmdlet_fn)(struct cli *x, const char *cmdlet, const struct psbound *b);
typedef int (*cmdlet_raw_fn)(struct cli *x, const char *cmdlet, int argc, char **argv);

struct cmdlet {
	const char *name;
	const struct psparam *params;
	unsigned n_params;
	unsigned mandatory;      /* bit i: params[i] must be given */
	cmdlet_fn run;
	cmdlet_raw_fn raw;       /* binds its own parameters (diagnostics) */
};

#define PARAMS(t) (t), ARRAY_SIZE(t)
#define BIT(i) (1u << (i))

static const struct cmdlet cmdlets[] = {
	{ "Get-AzureDedicatedCircuit", PARAMS(get_circuit_params), 0, get_circuit, NULL },
	{ "New-AzureDedicatedCircuit", PARAMS(new_circuit_params),
	  BIT(NC_NAME) | BIT(NC_BANDWIDTH) | BIT(NC_LOCATION) | BIT(NC_PROVIDER), new_circuit, NULL },
	{ "Remove-AzureDedicatedCircuit", PARAMS(remove_circuit_params), BIT(RC_SERVICE_KEY),
	  remove_circuit, NULL },
	{ "Set-AzureDedicatedCircuitProperties", PARAMS(set_circuit_params), BIT(SC_SERVICE_KEY),
	  set_circuit, NULL },
	{ "Get-AzureDedicatedCircuitServiceProvider", NULL, 0, 0, get_providers, NULL },
	{ "New-AzureBGPPeering", PARAMS(peering_params),
	  BIT(BP_SERVICE_KEY) | BIT(BP_PRIMARY) | BIT(BP_SECONDARY) | BIT(BP_PEER_ASN) | BIT(BP_VLAN),
	  new_peering, NULL },
	/* PeerAsn and VlanId are Mandatory in the source but fall back to the existing values. */
	{ "Set-AzureBGPPeering", PARAMS(peering_params), BIT(BP_SERVICE_KEY), set_peering, NULL },
	{ "Get-AzureBGPPeering", PARAMS(get_peering_params), BIT(GP_SERVICE_KEY), get_peering, NULL },
	{ "Remove-AzureBGPPeering", PARAMS(remove_peering_params), BIT(RP_SERVICE_KEY), remove_peering, NULL },
	{ "New-AzureDedicatedCircuitLink", PARAMS(link_params), BIT(LK_SERVICE_KEY) | BIT(LK_VNET),
	  new_vnet_link, NULL },
	{ "Get-AzureDedicatedCircuitLink", link_params, 2, BIT(LK_SERVICE_KEY), get_vnet_link, NULL },
	{ "Remove-AzureDedicatedCircuitLink", link_params, 2, BIT(LK_SERVICE_KEY) | BIT(LK_VNET),
	  remove_vnet_link, NULL },
	{ "Get-AzureDedicatedCircuitPeeringArpInfo", NULL, 0, 0, NULL, cmdlet_diag_arp },
	{ "Get-AzureDedicatedCircuitPeeringRouteTableSummary", NULL, 0, 0, NULL, cmdlet_diag_route_summary },
	{ "Get-AzureDedicatedCircuitPeeringRouteTableInfo", NULL, 0, 0, NULL, cmdlet_diag_route_info },
	{ "Get-AzureDedicatedCircuitStats", NULL, 0, 0, NULL, cmdlet_diag_stats },
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

int cmdlet_main(struct cli *x, int argc, char **argv)
{
	const struct cmdlet *c = argc > 0 ? cmdlet_find(argv[0]) : NULL;
	struct psbound b;
	int r;

	if (!c)
		return cmdlet_fail_code(x, argc > 0 && argv[0] ? argv[0] : "erlab", "BadRequest", 2,
					"not a supported cmdlet");
	/* Errors name the cmdlet in its canonical spelling, whatever case was typed. */
	if (c->raw)
		r = c->raw(x, c->name, argc - 1, argv + 1);
	else if ((r = cmdlet_bind(x, c->name, c->params, c->n_params, c->mandatory, argc - 1, argv + 1, &b)) == 0)
		r = c->run(x, c->name, &b);
	fflush(x->out);
	return r;
}
