/* SPDX-License-Identifier: MIT */
/*
 * ARM's long-running operations (docs/arm.md, "Long-running operations"). A PUT, a DELETE and
 * the diagnostics' POSTs run to their end inside the request, under the state dir's lock as every
 * request does, so refusals (a /29, a VLAN in use) come back at once with their status. The
 * answer is ARM's asynchronous form all the same: a record of the operation, in memory for the
 * server's life (the last ARM_OPS_MAX), and the headers that point at it:
 *
 *   GET .../providers/Microsoft.Network/locations/LOC/operations/ID        its status
 *   GET .../providers/Microsoft.Network/locations/LOC/operationResults/ID  its result: the
 *       resource or the diagnostics' {"value": [...]} (200), or nothing (204, a DELETE)
 *
 * The records are touched by the HTTPS daemon's one thread only (server.c answers one request at
 * a time), so they need no lock of their own.
 */
#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#include "arm/arm_int.h"

#define ARM_OPS_MAX 256

struct arm_op {
	char id[GUID_STRLEN];
	char location[64];
	json_t *result;          /* operationResults' body; NULL: 204 */
	time_t start, end;
};

struct arm_ops {
	struct arm_op op[ARM_OPS_MAX];
	unsigned next;           /* the slot the next record takes (the oldest goes) */
};

int arm_ops_new(struct arm *a)
{
	return (a->ops = calloc(1, sizeof(*a->ops))) ? 0 : -ENOMEM;
}

void arm_ops_free(struct arm *a)
{
	if (!a->ops)
		return;
	for (unsigned i = 0; i < ARM_OPS_MAX; i++)
		json_decref(a->ops->op[i].result);
	free(a->ops);
	a->ops = NULL;
}

/* ARM's form of a region in its URLs: "West US" -> "westus". */
static void location_norm(const char *in, char *out, size_t len)
{
	size_t j = 0;

	for (; *in && j + 1 < len; in++)
		if (isalnum((unsigned char)*in))
			out[j++] = (char)tolower((unsigned char)*in);
	out[j] = '\0';
	if (!j)
		snprintf(out, len, "global");
}

static void op_url(struct arm_req *r, const struct arm_op *op, const char *kind, char *buf, size_t len)
{
	const char *host = arm_req_header(r, "Host"), *v = arm_query(r, "api-version");

	if (host && *host && !strpbrk(host, "/ \t"))
		snprintf(buf, len, "https://%s", host);
	else
		snprintf(buf, len, "%s", r->a->endpoint);
	snprintf(buf + strlen(buf), len - strlen(buf),
		 "/subscriptions/%s/providers/Microsoft.Network/locations/%s/%s/%s?api-version=%s", r->a->subscription,
		 op->location, kind, op->id, v ? v : "2022-01-01");
}

void arm_op_reply(struct arm_req *r, const char *location, unsigned status, json_t *result)
{
	struct arm_ops *ops = r->a->ops;
	struct arm_op *op = &ops->op[ops->next];
	struct timespec now;
	char url[1024];

	json_decref(op->result);
	memset(op, 0, sizeof(*op));
	if (guid_generate(op->id) < 0) {
		json_decref(result);
		arm_error(r, 500, "InternalServerError", "cannot make an operation id");
		return;
	}
	ops->next = (ops->next + 1) % ARM_OPS_MAX;
	location_norm(location ? location : "", op->location, sizeof(op->location));
	clock_gettime(CLOCK_MONOTONIC, &now);
	op->end = time(NULL);
	op->start = op->end - (now.tv_sec - r->start.tv_sec);
	op->result = result;
	op_url(r, op, "operations", url, sizeof(url));
	arm_header(r, "Azure-AsyncOperation", url);
	arm_header(r, "Retry-After", "1");
	if (status == 202) {
		op_url(r, op, "operationResults", url, sizeof(url));
		arm_header(r, "Location", url);
		arm_reply(r, 202, NULL);
	} else {
		arm_reply(r, status, json_incref(result));
	}
}

static void iso8601(time_t t, char buf[32])
{
	struct tm tm;

	gmtime_r(&t, &tm);
	strftime(buf, 32, "%Y-%m-%dT%H:%M:%SZ", &tm);
}

void arm_operations(struct arm_req *r, const char *location, const char *id, bool results)
{
	struct arm_ops *ops = r->a->ops;
	char loc[64], path[512], t0[32], t1[32];
	const struct arm_op *op = NULL;

	if (strcmp(r->method, "GET") != 0) {
		arm_error(r, 405, "MethodNotAllowed", "The requested resource does not support http method '%s'.", r->method);
		return;
	}
	location_norm(location, loc, sizeof(loc));
	for (unsigned i = 0; i < ARM_OPS_MAX && !op; i++)
		if (ops->op[i].id[0] && strcasecmp(ops->op[i].id, id) == 0 && strcmp(ops->op[i].location, loc) == 0)
			op = &ops->op[i];
	if (!op) {
		arm_error(r, 404, "NotFound", "The operation '%s' in location '%s' was not found: erlab serve keeps the "
			  "last %u operations of its run (docs/arm.md).", id, location, ARM_OPS_MAX);
		return;
	}
	if (results) {
		arm_reply(r, op->result ? 200 : 204, json_incref(op->result));
		return;
	}
	snprintf(path, sizeof(path), "/subscriptions/%s/providers/Microsoft.Network/locations/%s/operations/%s",
		 r->a->subscription, op->location, op->id);
	iso8601(op->start, t0);
	iso8601(op->end, t1);
	arm_reply(r, 200, json_pack("{s:s,s:s,s:s,s:s,s:s}", "id", path, "name", op->id, "status", "Succeeded",
				     "startTime", t0, "endTime", t1));
}
