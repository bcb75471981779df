/* SPDX-License-Identifier: MIT */
/*
 * .../expressRouteCircuits/NAME/peerings/{AzurePrivatePeering, AzurePublicPeering,
 * MicrosoftPeering} onto the circuit's peerings, bound through the peering rows' .arm properties
 * (Microsoft peering's microsoftPeeringConfig, and ipv6PeeringConfig for the IPv6 family). A PUT
 * on an existing peering changes what it gives and keeps the rest, as `erlab peering set` does.
 * PUT and DELETE answer as ARM's long-running operations (operations.c).
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "arm/arm_int.h"

static const char *const write_keys[] = {
	"primary_peer_subnet", "secondary_peer_subnet", "primary_peer_subnet_v6", "secondary_peer_subnet_v6", "peer_asn",
	"vlan_id", "shared_key", "advertised_public_prefixes", "customer_asn", "routing_registry_name",
	"advertised_public_prefixes_v6", "customer_asn_v6", "routing_registry_name_v6", NULL,
};

static int type_of(const char *name)
{
	for (unsigned t = 0; t < _ACCESS_MAX; t++)
		if (strcasecmp(name, arm_peering_name((enum access_type)t)) == 0)
			return (int)t;
	return -1;
}

static void list(struct arm_req *r, struct engine *eng, json_t *meta, const char *name)
{
	struct circuit c;
	struct err e = {0};
	json_t *value;

	circuit_init(&c);
	if (op_circuit_get(eng, name, &c, &e) < 0) {
		arm_error_err(r, &e);
		return;
	}
	value = arm_jarray();
	for (unsigned t = 0; t < _ACCESS_MAX; t++)
		if (c.peering_present[t])
			json_array_append_new(value, arm_peering_json(r->a, meta, &c, &c.peerings[t]));
	arm_reply(r, 200, json_pack("{s:o}", "value", value));
	circuit_clear(&c);
}

static void put(struct arm_req *r, struct engine *eng, json_t *meta, const char *cname, enum access_type t)
{
	struct peering p;
	struct circuit c;
	const struct peering *got;
	struct err e = {0};
	json_t *body, *pt;
	char what[200];
	bool exists;
	int k;

	peering_init(&p, t);
	circuit_init(&c);
	if (!(body = arm_body_json(r)))
		goto out;
	pt = arm_path_get(body, "properties.peeringType");
	if (pt && json_is_string(pt) && strcasecmp(json_string_value(pt), arm_peering_name(t)) != 0) {
		arm_error(r, 400, "InvalidRequestFormat", "The peering type '%s' does not match the peering name '%s'.",
			  json_string_value(pt), arm_peering_name(t));
		goto out;
	}
	snprintf(what, sizeof(what), "%s %s", cname, arm_peering_name(t));
	if (arm_bind(&peering_fields, write_keys, body, &p, t, what, &e) < 0) {
		arm_error_err(r, &e);
		goto out;
	}
	k = op_peering_get(eng, cname, t, &c, &got, &e);
	if (k < 0 && k != -ENOENT) {
		arm_error_err(r, &e);
		goto out;
	}
	exists = k == 0;
	memset(&e, 0, sizeof(e));
	k = exists ? (p.has ? op_peering_set(eng, cname, &p, false, &e) : 0) : op_peering_new(eng, cname, &p, &e);
	circuit_clear(&c);
	if (k < 0 || (k = op_peering_get(eng, cname, t, &c, &got, &e)) < 0) {
		arm_error_err(r, &e);
		goto out;
	}
	arm_op_reply(r, json_string_value(json_object_get(meta, "location")), exists ? 200 : 201,
		     arm_peering_json(r->a, meta, &c, got));
out:
	json_decref(body);
	circuit_clear(&c);
	peering_clear(&p);
}

void arm_peerings(struct arm_req *r, const char *rg, const char *cname, const char *name)
{
	struct engine *eng = NULL;
	struct circuit c;
	const struct peering *got;
	struct err e = {0};
	json_t *meta = NULL;
	bool get = strcmp(r->method, "GET") == 0;
	int t = name ? type_of(name) : 0, k;

	circuit_init(&c);
	if (!get && (!name || (strcmp(r->method, "PUT") != 0 && strcmp(r->method, "DELETE") != 0))) {
		arm_error(r, 405, "MethodNotAllowed", "The requested resource does not support http method '%s'.", r->method);
		goto out;
	}
	if (t < 0) {
		arm_error(r, 400, "InvalidPeeringName", "The peering name '%s' is not one of AzurePrivatePeering, "
			  "AzurePublicPeering and MicrosoftPeering.", name);
		goto out;
	}
	if (arm_engine(r, !get, &eng, &e) < 0) {
		arm_error_err(r, &e);
		goto out;
	}
	if (!arm_circuit_find(r, rg, cname, &meta))
		goto out;
	if (!name) {
		list(r, eng, meta, cname);
		goto out;
	}
	if (strcmp(r->method, "PUT") == 0) {
		put(r, eng, meta, cname, (enum access_type)t);
		goto out;
	}
	k = get ? op_peering_get(eng, cname, (enum access_type)t, &c, &got, &e) :
		op_peering_remove(eng, cname, (enum access_type)t, &e);
	if (k == -ENOENT && !get) {
		arm_reply(r, 204, NULL);
	} else if (k == -ENOENT) {
		arm_error(r, 404, "NotFound", "Resource /subscriptions/%s/resourceGroups/%s/providers/Microsoft.Network/"
			  "expressRouteCircuits/%s/peerings/%s not found.", r->a->subscription, rg, cname, name);
	} else if (k < 0) {
		arm_error_err(r, &e);
	} else if (get) {
		arm_reply(r, 200, arm_peering_json(r->a, meta, &c, got));
	} else {
		arm_op_reply(r, json_string_value(json_object_get(meta, "location")), 202, NULL);
	}
out:
	engine_free(eng);
	circuit_clear(&c);
	json_decref(meta);
}
