/* SPDX-License-Identifier: MIT */
/*
 * Microsoft.Network/expressRouteCircuits onto erlab's circuits. An ARM name is the erlab circuit's
 * name (erlab's names are global, ARM's per resource group: a name taken in another group, or by
 * a circuit made outside ARM, is refused with 409). What the model has no field for (the group,
 * the Azure region, tags, resourceGuid, etag) is kept in <state dir>/arm/circuits, written under
 * the same lock as the change. Every change goes through the engine's operations: one
 * transaction, the same validation as every face. PUT and DELETE answer as ARM's long-running
 * operations (operations.c); a new circuit runs the BGP `erlab serve --bgp` gives.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "arm/arm_int.h"

/* The rows a PUT binds (read-only properties a client echoes back are not among them). */
static const char *const write_keys[] = { "bandwidth", "location", "service_provider_name", "sku", "billing_type", NULL };

static void circuit_id(struct arm *a, const char *rg, const char *name, char *buf, size_t len)
{
	snprintf(buf, len, "/subscriptions/%s/resourceGroups/%s/providers/Microsoft.Network/expressRouteCircuits/%s",
		 a->subscription, rg, name);
}

static const char *meta_s(json_t *meta, const char *key)
{
	const char *v = json_string_value(json_object_get(meta, key));

	return v ? v : "";
}

const char *arm_peering_name(enum access_type t)
{
	static const char *const names[] = { "AzurePrivatePeering", "AzurePublicPeering", "MicrosoftPeering" };

	return (unsigned)t < _ACCESS_MAX ? names[t] : "peering";
}

json_t *arm_peering_json(struct arm *a, json_t *meta, const struct circuit *c, const struct peering *p)
{
	char id[512], etag[64];
	unsigned fams = (peering_has_v4(p) ? 1u : 0u) | (peering_has_v6(p) ? 2u : 0u);
	json_t *j;

	circuit_id(a, meta_s(meta, "resourceGroup"), c->name, id, sizeof(id) - 64);
	strcat(id, "/peerings/");
	strcat(id, arm_peering_name(p->type));
	snprintf(etag, sizeof(etag), "W/\"%s\"", meta_s(meta, "etag"));
	j = json_pack("{s:s,s:s,s:s,s:s,s:{s:s,s:i,s:s,s:s,s:s,s:s,s:s,s:[],s:[]}}", "name", arm_peering_name(p->type),
		      "id", id, "etag", etag, "type", "Microsoft.Network/expressRouteCircuits/peerings", "properties",
		      "peeringType", arm_peering_name(p->type), "azureASN", (int)AZURE_ASN, "primaryAzurePort", "",
		      "secondaryAzurePort", "", "provisioningState", "Succeeded", "gatewayManagerEtag", "",
		      "lastModifiedBy", "Customer", "connections", "peeredConnections");
	if (!j || arm_emit(&peering_fields, p, p->type, fams, j) < 0) {
		json_decref(j);
		return NULL;
	}
	if (fams & 2)
		arm_path_set(j, "properties.ipv6PeeringConfig.state", arm_jstring(p->enabled ? "Enabled" : "Disabled"));
	return j;
}

static json_t *circuit_json(struct arm *a, json_t *meta, const struct circuit *c)
{
	char id[512], etag[64], sku[64];
	json_t *tags = json_object_get(meta, "tags"), *j, *peerings = arm_jarray();

	circuit_id(a, meta_s(meta, "resourceGroup"), c->name, id, sizeof(id));
	snprintf(etag, sizeof(etag), "W/\"%s\"", meta_s(meta, "etag"));
	snprintf(sku, sizeof(sku), "%s_%s", sku_name(c->sku), billing_name(c->billing));
	for (unsigned t = 0; t < _ACCESS_MAX; t++)
		if (c->peering_present[t])
			json_array_append_new(peerings, arm_peering_json(a, meta, c, &c->peerings[t]));
	/* serviceProviderProvisioningState is Azure's name of the `provisioned` row's value. */
	j = json_pack("{s:s,s:s,s:s,s:s,s:s,s:o,s:{s:s},s:{s:s,s:s,s:s,s:o,s:[],s:b,s:s,s:b,s:i}}", "name", c->name,
		      "id", id, "etag", etag, "type", "Microsoft.Network/expressRouteCircuits", "location",
		      meta_s(meta, "location"), "tags", tags ? json_incref(tags) : arm_jobject(), "sku", "name", sku, "properties",
		      "provisioningState", "Succeeded", "resourceGuid", meta_s(meta, "resourceGuid"),
		      "serviceProviderProvisioningState", provisioning_name(c->prov), "peerings", peerings,
		      "authorizations", "allowClassicOperations", 0, "gatewayManagerEtag", "", "globalReachEnabled", 0,
		      "stag", 2);
	if (j && arm_emit(&circuit_fields, c, 0, 3, j) < 0) {
		json_decref(j);
		return NULL;
	}
	return j;
}

bool arm_circuit_find(struct arm_req *r, const char *rg, const char *name, json_t **ret_meta)
{
	char rel[128];
	json_t *m = NULL;

	if (arm_meta_path(rel, sizeof(rel), "circuits", name) == 0)
		m = arm_json_read(r->a, rel);
	if (!m || strcasecmp(meta_s(m, "resourceGroup"), rg) != 0) {
		json_decref(m);
		arm_error(r, 404, "ResourceNotFound",
			  "The Resource 'Microsoft.Network/expressRouteCircuits/%s' under resource group '%s' was not found.",
			  name, rg);
		return false;
	}
	*ret_meta = m;
	return true;
}

static void list(struct arm_req *r, const char *rg)
{
	struct engine *eng = NULL;
	struct circuit *all = NULL;
	unsigned n = 0;
	struct err e = {0};
	json_t *value = arm_jarray();
	char rel[128];

	if (rg && !arm_group_exists(r->a, rg)) {
		json_decref(value);
		arm_error(r, 404, "ResourceGroupNotFound", "Resource group '%s' could not be found.", rg);
		return;
	}
	if (arm_engine(r, false, &eng, &e) < 0 || op_circuit_list(eng, &all, &n, &e) < 0) {
		json_decref(value);
		arm_error_err(r, &e);
		goto out;
	}
	for (unsigned i = 0; i < n; i++) {
		json_t *m;

		if (arm_meta_path(rel, sizeof(rel), "circuits", all[i].name) < 0 || !(m = arm_json_read(r->a, rel)))
			continue;
		if (!rg || strcasecmp(meta_s(m, "resourceGroup"), rg) == 0)
			json_array_append_new(value, circuit_json(r->a, m, &all[i]));
		json_decref(m);
	}
	arm_reply(r, 200, json_pack("{s:o}", "value", value));
out:
	circuit_list_free(all, n);
	engine_free(eng);
}

/* A new circuit runs the BGP that `erlab serve --bgp` asks for, as a lab's circuits run its [bgp]. */
static int bgp_of(const struct arm_opts *o, struct circuit *c, struct err *e)
{
	c->bgp.msee = o->bgp.msee;
	c->bgp.customer = o->bgp.customer;
	memcpy(c->bgp.bird_path, o->bgp.bird_path, sizeof(c->bgp.bird_path));
	if (!o->bgp.n_prefixes)
		return 0;
	if (!(c->bgp.prefixes = malloc(o->bgp.n_prefixes * sizeof(*c->bgp.prefixes))))
		return err_set(e, -ENOMEM, c->name, "out of memory");
	memcpy(c->bgp.prefixes, o->bgp.prefixes, o->bgp.n_prefixes * sizeof(*c->bgp.prefixes));
	c->bgp.n_prefixes = o->bgp.n_prefixes;
	return 0;
}

/* A PUT: create the circuit or change it (bandwidth up, SKU, billing; tags and region). */
static void put(struct arm_req *r, const char *rg, const char *name)
{
	struct engine *eng = NULL;
	struct circuit cur, patch;
	struct err e = {0};
	json_t *body, *meta = NULL, *group = NULL, *loc, *tags;
	char rel[128], what[160], guid[GUID_STRLEN];
	bool exists;
	int k;

	circuit_init(&cur);
	circuit_init(&patch);
	if (!(body = arm_body_json(r)))
		return;
	if (arm_meta_path(rel, sizeof(rel), "circuits", name) < 0) {
		arm_error(r, 400, "InvalidResourceName", "Resource name %s is invalid: 1-80 of A-Z a-z 0-9 . _ -.", name);
		goto out;
	}
	if (arm_engine(r, true, &eng, &e) < 0) {
		arm_error_err(r, &e);
		goto out;
	}
	if (!(group = arm_group_get(r->a, rg))) {
		arm_error(r, 404, "ResourceGroupNotFound", "Resource group '%s' could not be found.", rg);
		goto out;
	}
	meta = arm_json_read(r->a, rel);
	k = op_circuit_get(eng, name, &cur, &e);
	if (k < 0 && k != -ENOENT) {
		arm_error_err(r, &e);
		goto out;
	}
	exists = k == 0;
	if (exists && !meta) {
		arm_error(r, 409, "ConflictError", "The circuit name '%s' is taken by an erlab circuit made outside Azure Resource "
			  "Manager: ARM names are erlab circuit names, one namespace for every resource group.", name);
		goto out;
	}
	if (exists && strcasecmp(meta_s(meta, "resourceGroup"), rg) != 0) {
		arm_error(r, 409, "ConflictError", "The circuit name '%s' is taken in resource group '%s': ARM names are erlab "
			  "circuit names, one namespace for every resource group.", name, meta_s(meta, "resourceGroup"));
		goto out;
	}
	if (!exists) {
		json_decref(meta);
		meta = json_pack("{s:s,s:s,s:O}", "name", name, "resourceGroup", json_string_value(json_object_get(group, "name")) ?
				 json_string_value(json_object_get(group, "name")) : rg, "location", json_object_get(group, "location"));
		if (guid_generate(guid) == 0)
			json_object_set_new(meta, "resourceGuid", arm_jstring(guid));
	}
	if ((loc = json_object_get(body, "location")) && json_is_string(loc))
		json_object_set(meta, "location", loc);
	if ((tags = json_object_get(body, "tags")) && json_is_object(tags))
		json_object_set(meta, "tags", tags);
	snprintf(what, sizeof(what), "expressRouteCircuits/%s", name);
	if (arm_bind(&circuit_fields, write_keys, body, &patch, 0, what, &e) < 0) {
		arm_error_err(r, &e);
		goto out;
	}
	if (!exists) {
		for (unsigned i = 0; i < circuit_fields.n; i++) {
			const struct field *f = &circuit_fields.rows[i];

			if (f->arm && (f->required & 1u) && f->has && !(patch.has & f->has)) {
				arm_error(r, 400, "MissingProperty", "The property '%s' is required to create a circuit.", f->arm);
				goto out;
			}
		}
		snprintf(patch.name, sizeof(patch.name), "%s", name);
		if (bgp_of(r->a->o, &patch, &e) < 0) {
			arm_error_err(r, &e);
			goto out;
		}
		if (strlen(name) > CIRCUIT_NAME_MAX || op_circuit_new(eng, &patch, &e) < 0) {
			if (strlen(name) > CIRCUIT_NAME_MAX)
				err_set(&e, -EINVAL, name, "a circuit name has at most %d characters", CIRCUIT_NAME_MAX);
			arm_error_err(r, &e);
			goto out;
		}
	} else {
		if (((patch.has & CIRCUIT_HAS_LOCATION) && strcasecmp(patch.location, cur.location) != 0) ||
		    ((patch.has & CIRCUIT_HAS_PROVIDER) && strcasecmp(patch.provider, cur.provider) != 0)) {
			arm_error(r, 400, "PropertyChangeNotAllowed", "Changing the peering location or the service provider "
				  "of circuit '%s' is not allowed.", name);
			goto out;
		}
		if (patch.bandwidth == cur.bandwidth)
			patch.has &= ~CIRCUIT_HAS_BANDWIDTH;
		if (patch.sku == cur.sku)
			patch.has &= ~CIRCUIT_HAS_SKU;
		if (patch.billing == cur.billing)
			patch.has &= ~CIRCUIT_HAS_BILLING;
		patch.has &= CIRCUIT_HAS_BANDWIDTH | CIRCUIT_HAS_SKU | CIRCUIT_HAS_BILLING;
		if (patch.has && op_circuit_set(eng, name, &patch, &e) < 0) {
			arm_error_err(r, &e);
			goto out;
		}
	}
	if (guid_generate(guid) == 0)
		json_object_set_new(meta, "etag", arm_jstring(guid));
	circuit_clear(&cur);
	if (arm_json_write(r->a, rel, meta, &e) < 0 || op_circuit_get(eng, name, &cur, &e) < 0) {
		arm_error_err(r, &e);
		goto out;
	}
	arm_op_reply(r, meta_s(meta, "location"), exists ? 200 : 201, circuit_json(r->a, meta, &cur));
out:
	engine_free(eng);
	circuit_clear(&cur);
	circuit_clear(&patch);
	json_decref(group);
	json_decref(meta);
	json_decref(body);
}

void arm_circuits(struct arm_req *r, const char *rg, const char *name)
{
	struct engine *eng = NULL;
	struct circuit c;
	struct err e = {0};
	json_t *meta = NULL, *body = NULL, *tags;
	char rel[128];
	bool del = strcmp(r->method, "DELETE") == 0;
	int k;

	if (!name) {
		if (strcmp(r->method, "GET") != 0) {
			arm_error(r, 405, "MethodNotAllowed", "Use GET on a list of circuits.");
			return;
		}
		list(r, rg);
		return;
	}
	if (strcmp(r->method, "PUT") == 0) {
		put(r, rg, name);
		return;
	}
	circuit_init(&c);
	if (!del && strcmp(r->method, "GET") != 0 && strcmp(r->method, "PATCH") != 0) {
		arm_error(r, 405, "MethodNotAllowed", "The requested resource does not support http method '%s'.", r->method);
		goto out;
	}
	if (strcmp(r->method, "PATCH") == 0 && !(body = arm_body_json(r)))
		goto out;
	if (arm_engine(r, strcmp(r->method, "GET") != 0, &eng, &e) < 0) {
		arm_error_err(r, &e);
		goto out;
	}
	if (!arm_circuit_find(r, rg, name, &meta)) {
		if (del && arm_group_exists(r->a, rg))
			arm_reply(r, 204, NULL);
		goto out;
	}
	arm_meta_path(rel, sizeof(rel), "circuits", name);
	k = del ? op_circuit_remove(eng, name, &e) : op_circuit_get(eng, name, &c, &e);
	if (k == -ENOENT) {
		/* Removed with erlab meanwhile: the ARM record goes too. */
		if (strcmp(r->method, "GET") != 0)
			arm_file_remove(r->a, rel);
		if (del)
			arm_reply(r, 204, NULL);
		else
			arm_error(r, 404, "ResourceNotFound", "The Resource 'Microsoft.Network/expressRouteCircuits/%s' under "
				  "resource group '%s' was not found.", name, rg);
		goto out;
	}
	if (k < 0) {
		arm_error_err(r, &e);
		goto out;
	}
	if (del) {
		arm_file_remove(r->a, rel);
		arm_op_reply(r, meta_s(meta, "location"), 202, NULL);
		goto out;
	}
	if (body) {
		if ((tags = json_object_get(body, "tags")) && json_is_object(tags))
			json_object_set(meta, "tags", tags);
		if (arm_json_write(r->a, rel, meta, &e) < 0) {
			arm_error_err(r, &e);
			goto out;
		}
	}
	arm_reply(r, 200, circuit_json(r->a, meta, &c));
out:
	engine_free(eng);
	circuit_clear(&c);
	json_decref(meta);
	json_decref(body);
}
