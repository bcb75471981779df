/* SPDX-License-Identifier: MIT */
/*
 * Resource groups: kept in <state dir>/arm/groups, one file each ({name, location, tags}). Deleting
 * a group deletes the circuits made in it, through the engine, as Azure does.
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "arm/arm_int.h"

json_t *arm_group_get(struct arm *a, const char *name)
{
	char rel[128];

	if (arm_meta_path(rel, sizeof(rel), "groups", name) < 0)
		return NULL;
	return arm_json_read(a, rel);
}

bool arm_group_exists(struct arm *a, const char *name)
{
	json_t *g = arm_group_get(a, name);

	json_decref(g);
	return g != NULL;
}

static json_t *group_json(struct arm *a, json_t *g)
{
	char id[256];
	const char *name = json_string_value(json_object_get(g, "name"));
	json_t *tags = json_object_get(g, "tags");

	snprintf(id, sizeof(id), "/subscriptions/%s/resourceGroups/%s", a->subscription, name ? name : "");
	return json_pack("{s:s,s:s,s:s,s:O,s:o,s:{s:s}}", "id", id, "name", name ? name : "", "type",
			 "Microsoft.Resources/resourceGroups", "location", json_object_get(g, "location"), "tags",
			 tags ? json_incref(tags) : arm_jobject(), "properties", "provisioningState", "Succeeded");
}

static void list(struct arm_req *r)
{
	json_t *value = arm_jarray();
	int fd = openat(r->a->dirfd, "groups", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	DIR *d = fd >= 0 ? fdopendir(fd) : NULL;
	struct dirent *de;
	char rel[300];

	while (d && (de = readdir(d))) {
		size_t n = strlen(de->d_name);
		json_t *g;

		if (n < 6 || strcmp(de->d_name + n - 5, ".json") != 0)
			continue;
		snprintf(rel, sizeof(rel), "groups/%s", de->d_name);
		if ((g = arm_json_read(r->a, rel))) {
			json_array_append_new(value, group_json(r->a, g));
			json_decref(g);
		}
	}
	if (d)
		closedir(d);
	else if (fd >= 0)
		close(fd);
	arm_reply(r, 200, json_pack("{s:o}", "value", value));
}

/* The circuits made through ARM in group rg, removed (erlab refuses a provisioned one, as Azure). */
static int remove_circuits(struct arm_req *r, struct engine *eng, const char *rg, struct err *e)
{
	struct circuit *all = NULL;
	unsigned n = 0;
	char rel[128];
	int k;

	if ((k = op_circuit_list(eng, &all, &n, e)) < 0)
		return k;
	for (unsigned i = 0; i < n && k == 0; i++) {
		json_t *m;
		const char *g;

		if (arm_meta_path(rel, sizeof(rel), "circuits", all[i].name) < 0 || !(m = arm_json_read(r->a, rel)))
			continue;
		g = json_string_value(json_object_get(m, "resourceGroup"));
		if (g && strcasecmp(g, rg) == 0 && (k = op_circuit_remove(eng, all[i].name, e)) == 0)
			arm_file_remove(r->a, rel);
		json_decref(m);
	}
	circuit_list_free(all, n);
	return k;
}

void arm_groups(struct arm_req *r, const char *rg)
{
	struct engine *eng = NULL;
	struct err e = {0};
	json_t *g = NULL, *body = NULL, *loc, *tags;
	char rel[128];
	bool head = strcmp(r->method, "HEAD") == 0, existed;

	if (!rg) {
		if (strcmp(r->method, "GET") != 0) {
			arm_error(r, 405, "MethodNotAllowed", "Use GET on the resource groups.");
			return;
		}
		list(r);
		return;
	}
	if (arm_meta_path(rel, sizeof(rel), "groups", rg) < 0 || rg[strlen(rg) - 1] == '.')
		{ arm_error(r, 400, "InvalidResourceGroupName",
				 "Resource group names only allow alphanumeric characters, periods, underscores, hyphens and "
				 "parenthesis and cannot end in a period; at most 90 characters."); return; }
	if (strcmp(r->method, "GET") == 0 || head) {
		if (!(g = arm_group_get(r->a, rg))) {
			arm_error(r, 404, "ResourceGroupNotFound", "Resource group '%s' could not be found.", rg);
			return;
		}
		arm_reply(r, head ? 204 : 200, head ? NULL : group_json(r->a, g));
		json_decref(g);
		return;
	}
	if (strcmp(r->method, "PUT") == 0 || strcmp(r->method, "PATCH") == 0) {
		bool put = r->method[1] == 'U';

		if (!(body = arm_body_json(r)))
			return;
		if (arm_engine(r, true, &eng, &e) < 0) {
			arm_error_err(r, &e);
			goto out;
		}
		g = arm_group_get(r->a, rg);
		existed = g != NULL;
		if (!g && !put) {
			arm_error(r, 404, "ResourceGroupNotFound", "Resource group '%s' could not be found.", rg);
			goto out;
		}
		if (!g)
			g = json_pack("{s:s}", "name", rg);
		loc = json_object_get(body, "location");
		if (loc && !json_is_string(loc)) {
			arm_error(r, 400, "InvalidRequestContent", "The property 'location' must be a string.");
			goto out;
		}
		if (!loc && !json_object_get(g, "location")) {
			arm_error(r, 400, "LocationRequired", "The location property is required for this definition.");
			goto out;
		}
		if (loc && !json_object_get(g, "location"))
			json_object_set(g, "location", loc);
		if ((tags = json_object_get(body, "tags")) && json_is_object(tags))
			json_object_set(g, "tags", tags);
		if (arm_json_write(r->a, rel, g, &e) < 0) {
			arm_error_err(r, &e);
			goto out;
		}
		arm_reply(r, existed ? 200 : 201, group_json(r->a, g));
		goto out;
	}
	if (strcmp(r->method, "DELETE") == 0) {
		if (arm_engine(r, true, &eng, &e) < 0) {
			arm_error_err(r, &e);
			goto out;
		}
		if (!(g = arm_group_get(r->a, rg))) {
			arm_reply(r, 204, NULL);
			goto out;
		}
		if (remove_circuits(r, eng, rg, &e) < 0) {
			arm_error_err(r, &e);
			goto out;
		}
		arm_file_remove(r->a, rel);
		arm_reply(r, 200, NULL);
		goto out;
	}
	arm_error(r, 405, "MethodNotAllowed", "The requested resource does not support http method '%s'.", r->method);
out:
	engine_free(eng);
	json_decref(body);
	json_decref(g);
}
