/* SPDX-License-Identifier: MIT */
/*
 * Which handler answers a request: the identity endpoints without a token, everything else with
 * one. ARM's paths are case-insensitive (az writes resourcegroups and resourceGroups); names keep
 * the case they were given. Supported paths and api-versions: docs/arm.md.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "arm/arm_int.h"

#define SEGS_MAX 16

struct path {
	unsigned n;
	char *s[SEGS_MAX];
};

static bool is(const struct path *p, unsigned i, const char *word)
{
	return i < p->n && strcasecmp(p->s[i], word) == 0;
}

/* api-version: required on ARM paths, a date within the provider's range (a -preview suffix is
 * fine). The Resources provider takes any from 2014 on, Microsoft.Network 2016-06-01 on. */
static bool api_version_ok(struct arm_req *r, bool network)
{
	const char *v = arm_query(r, "api-version");
	const char *lo = network ? "2016-06-01" : "2014-04-01", *hi = "2026-12-31";
	int y, m, d, n = 0;

	if (!v || !*v) {
		arm_error(r, 400, "MissingApiVersionParameter",
			  "The api-version query parameter (?api-version=) is required for all requests.");
		return false;
	}
	if (sscanf(v, "%4d-%2d-%2d%n", &y, &m, &d, &n) != 3 || n != 10 || (v[10] && strcasecmp(v + 10, "-preview")) ||
	    strncmp(v, lo, 10) < 0 || strncmp(v, hi, 10) > 0) {
		arm_error(r, 400, network ? "NoRegisteredProviderFound" : "InvalidApiVersionParameter",
			  "The api-version '%s' is invalid. The supported versions are %s to %s (docs/arm.md).", v, lo, hi);
		return false;
	}
	return true;
}

static void not_found(struct arm_req *r)
{
	arm_error(r, 404, "NotFound", "No route for %s %s on erlab's Azure Resource Manager (docs/arm.md).", r->method,
		  r->url);
}

/* /subscriptions/S/... past the subscription: groups, circuits, peerings. */
static void resources(struct arm_req *r, const struct path *p)
{
	const char *rg = NULL;
	unsigned i = 2;

	if (is(p, i, "resourcegroups")) {
		if (!api_version_ok(r, p->n > 5))
			return;
		if (p->n <= 4) {
			arm_groups(r, p->n == 4 ? p->s[3] : NULL);
			return;
		}
		rg = p->s[3];
		i = 4;
	}
	if (!rg && p->n == 8 && is(p, i, "providers") && is(p, i + 1, "microsoft.network") && is(p, i + 2, "locations") &&
	    (is(p, i + 4, "operations") || is(p, i + 4, "operationresults"))) {
		if (api_version_ok(r, true))
			arm_operations(r, p->s[i + 3], p->s[i + 5], is(p, i + 4, "operationresults"));
		return;
	}
	if (!is(p, i, "providers") || !is(p, i + 1, "microsoft.network") || !is(p, i + 2, "expressroutecircuits")) {
		not_found(r);
		return;
	}
	if (!api_version_ok(r, true))
		return;
	i += 3;
	if (p->n == i) {
		arm_circuits(r, rg, NULL);
		return;
	}
	if (!rg) {
		not_found(r);
		return;
	}
	if (p->n == i + 1) {
		arm_circuits(r, rg, p->s[i]);
		return;
	}
	if (p->n == i + 2 && is(p, i + 1, "stats")) {
		arm_diagnostics(r, rg, p->s[i], NULL, "stats", NULL);
		return;
	}
	if (is(p, i + 1, "peerings") && (p->n == i + 4 || p->n == i + 5)) {
		arm_diagnostics(r, rg, p->s[i], p->s[i + 2], p->s[i + 3], p->n == i + 5 ? p->s[i + 4] : NULL);
		return;
	}
	if (!is(p, i + 1, "peerings") || p->n > i + 3) {
		not_found(r);
		return;
	}
	arm_peerings(r, rg, p->s[i], p->n == i + 3 ? p->s[i + 2] : NULL);
}

void arm_route(struct arm_req *r)
{
	struct path p = {0};
	char *copy = strdup(r->url), *save = NULL;

	if (!copy) {
		arm_error(r, 500, "InternalServerError", "out of memory");
		return;
	}
	for (char *s = strtok_r(copy, "/", &save); s; s = strtok_r(NULL, "/", &save)) {
		if (p.n == SEGS_MAX) {
			not_found(r);
			goto out;
		}
		p.s[p.n++] = s;
	}
	if (r->msi) {
		arm_msi_token(r);
		goto out;
	}
	if (p.n == 2 && is(&p, 0, "metadata") && is(&p, 1, "endpoints")) {
		arm_metadata(r);
	} else if (p.n == 3 && is(&p, 0, "adfs") && is(&p, 1, ".well-known") && is(&p, 2, "openid-configuration")) {
		arm_openid(r, NULL);
	} else if (p.n == 3 && is(&p, 0, "adfs") && is(&p, 1, "oauth2") && is(&p, 2, "token")) {
		arm_authority_token(r, NULL);
	} else if (p.n == 4 && is(&p, 1, "v2.0") && is(&p, 2, ".well-known") && is(&p, 3, "openid-configuration")) {
		arm_openid(r, p.s[0]);
	} else if (p.n == 4 && is(&p, 1, "oauth2") && is(&p, 2, "v2.0") && is(&p, 3, "token")) {
		arm_authority_token(r, p.s[0]);
	} else if (!arm_authorized(r)) {
		;
	} else if (p.n == 1 && is(&p, 0, "tenants")) {
		arm_tenants(r);
	} else if (p.n >= 1 && is(&p, 0, "subscriptions") && p.n <= 2) {
		arm_subscriptions(r, p.n == 2 ? p.s[1] : NULL);
	} else if (p.n > 2 && is(&p, 0, "subscriptions")) {
		if (strcasecmp(p.s[1], r->a->subscription) != 0)
			arm_error(r, 404, "SubscriptionNotFound", "The subscription '%s' could not be found.", p.s[1]);
		else
			resources(r, &p);
	} else {
		not_found(r);
	}
out:
	free(copy);
}
