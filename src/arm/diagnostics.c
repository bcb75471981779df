/* SPDX-License-Identifier: MIT */
/*
 * A peering's diagnostics as ARM serves them, from the engine's rows (src/engine/diag.c) — the
 * same values the diagnostic cmdlets print:
 *
 *   POST .../peerings/P/arpTables/{primary|secondary}           long-running: {"value": [...]}
 *   POST .../peerings/P/routeTables/{primary|secondary}         of the Location it answers with
 *   POST .../peerings/P/routeTablesSummary/{primary|secondary}
 *   GET  .../peerings/P/stats, GET .../expressRouteCircuits/C/stats
 *
 * ARP from the kernel's neighbours of the peering's link, the route tables from the Microsoft
 * edge's BIRD (empty when the circuit runs none: `erlab serve --bgp`), the byte counters of the
 * Microsoft side's links.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "arm/arm_int.h"

enum what { ARP, ROUTES, SUMMARY, STATS };

static int what_of(const char *s)
{
	static const char *const names[] = { "arpTables", "routeTables", "routeTablesSummary", "stats" };

	for (int i = 0; i < 4; i++)
		if (strcasecmp(s, names[i]) == 0)
			return i;
	return -1;
}

static json_t *stats_json(const struct diag_stats *s)
{
	return json_pack("{s:I,s:I,s:I,s:I}", "primarybytesIn", (json_int_t)s->bytes[LINK_PRIMARY][0],
			 "primarybytesOut", (json_int_t)s->bytes[LINK_PRIMARY][1], "secondarybytesIn",
			 (json_int_t)s->bytes[LINK_SECONDARY][0], "secondarybytesOut",
			 (json_int_t)s->bytes[LINK_SECONDARY][1]);
}

/* The table `w` of path `side` of peering p as {"value": [...]}; NULL with e set. */
static json_t *table_json(struct engine *eng, const struct circuit *c, const struct peering *p, enum what w,
			  enum link_side side, struct err *e)
{
	json_t *value = arm_jarray();
	unsigned n = 0;
	void *rows = NULL;
	int r;

	if (w == ARP)
		r = engine_diag_arp(eng, c, p, side, (struct diag_arp **)&rows, &n, e);
	else if (w == ROUTES)
		r = engine_diag_routes(eng, c, p, side, (struct diag_route **)&rows, &n, e);
	else
		r = engine_diag_summary(eng, c, p, side, (struct diag_summary **)&rows, &n, e);
	if (r < 0) {
		json_decref(value);
		return NULL;
	}
	for (unsigned i = 0; i < n; i++) {
		json_t *row;

		if (w == ARP) {
			const struct diag_arp *a = (const struct diag_arp *)rows + i;

			/* ARM's age is in minutes. */
			row = json_pack("{s:i,s:s,s:s,s:s}", "age", (int)(a->age_s / 60), "interface",
					a->microsoft ? "Microsoft" : "On-Prem", "ipAddress", a->ip, "macAddress", a->mac);
		} else if (w == ROUTES) {
			const struct diag_route *t = (const struct diag_route *)rows + i;

			row = json_pack("{s:s,s:s,s:s,s:i,s:s}", "network", t->network, "nextHop", t->next_hop, "locPrf",
					t->loc_prf, "weight", (int)t->weight, "path", t->path);
		} else {
			const struct diag_summary *s = (const struct diag_summary *)rows + i;

			row = json_pack("{s:s,s:i,s:I,s:s,s:s}", "neighbor", s->neighbor, "v", (int)s->v, "as",
					(json_int_t)s->as, "upDown", s->up_down, "statePfxRcd", s->state_pfx_rcd);
		}
		json_array_append_new(value, row);
	}
	free(rows);
	return json_pack("{s:o}", "value", value);
}

void arm_diagnostics(struct arm_req *r, const char *rg, const char *cname, const char *peering, const char *what,
		     const char *path)
{
	struct engine *eng = NULL;
	struct circuit c;
	struct err e = {0};
	json_t *meta = NULL, *result = NULL;
	struct diag_stats st;
	int w = what_of(what), t = -1, k;
	enum link_side side = LINK_PRIMARY;

	circuit_init(&c);
	if (w < 0 || (w == STATS) != !path) {
		arm_error(r, 404, "NotFound", "No route for %s %s on erlab's Azure Resource Manager (docs/arm.md).",
			  r->method, r->url);
		goto out;
	}
	if (strcmp(r->method, w == STATS ? "GET" : "POST") != 0) {
		arm_error(r, 405, "MethodNotAllowed", "The requested resource does not support http method '%s'.", r->method);
		goto out;
	}
	if (path && strcasecmp(path, "primary") != 0 && strcasecmp(path, "secondary") != 0) {
		arm_error(r, 400, "InvalidDevicePath", "The device path '%s' is not one of primary and secondary.", path);
		goto out;
	}
	if (path && strcasecmp(path, "secondary") == 0)
		side = LINK_SECONDARY;
	if (peering) {
		for (unsigned i = 0; i < _ACCESS_MAX; i++)
			if (strcasecmp(peering, arm_peering_name((enum access_type)i)) == 0)
				t = (int)i;
		if (t < 0) {
			arm_error(r, 400, "InvalidPeeringName", "The peering name '%s' is not one of AzurePrivatePeering, "
				  "AzurePublicPeering and MicrosoftPeering.", peering);
			goto out;
		}
	}
	if (arm_engine(r, false, &eng, &e) < 0) {
		arm_error_err(r, &e);
		goto out;
	}
	if (!arm_circuit_find(r, rg, cname, &meta))
		goto out;
	if ((k = op_circuit_get(eng, cname, &c, &e)) < 0) {
		if (k == -ENOENT)
			arm_error(r, 404, "ResourceNotFound", "The Resource 'Microsoft.Network/expressRouteCircuits/%s' under "
				  "resource group '%s' was not found.", cname, rg);
		else
			arm_error_err(r, &e);
		goto out;
	}
	if (t >= 0 && !c.peering_present[t]) {
		arm_error(r, 404, "NotFound", "Resource /subscriptions/%s/resourceGroups/%s/providers/Microsoft.Network/"
			  "expressRouteCircuits/%s/peerings/%s not found.", r->a->subscription, rg, cname,
			  arm_peering_name((enum access_type)t));
		goto out;
	}
	if (w == STATS) {
		if (engine_diag_stats(eng, &c, t, &st, &e) < 0)
			arm_error_err(r, &e);
		else
			arm_reply(r, 200, stats_json(&st));
		goto out;
	}
	if (!(result = table_json(eng, &c, &c.peerings[t], (enum what)w, side, &e))) {
		arm_error_err(r, &e);
		goto out;
	}
	arm_op_reply(r, json_string_value(json_object_get(meta, "location")), 202, result);
out:
	engine_free(eng);
	circuit_clear(&c);
	json_decref(meta);
}
