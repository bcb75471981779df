/* SPDX-License-Identifier: MIT */
/* The whole-object rules of docs/rules.md through core/validate: circuits, VNets, peerings, the registry. */
#include <errno.h>
#include <limits.h>
#include <strings.h>
#include <stdlib.h>
#include <string.h>

#include "core/validate.h"
#include "core/attach.h"
#include "lab/lab_int.h"

/* The key of section s named at the start of text ("vlan_id=100: ..."), NULL when none is. */
static const struct ini_key *key_named(const struct loader *ld, const struct section *s, const char *text)
{
	size_t len = strcspn(text, "=");
	char key[64];

	if (len == 0 || len >= sizeof(key))
		return NULL;
	memcpy(key, text, len);
	key[len] = '\0';
	return ini_key_find(&ld->doc, s->ini, key);
}

/*
 * A whole-object rule failed. The validators name the field as "<object>: key=value" with the
 * lab's key names: point at that key (and its line) when it is one of the section's, else at the
 * section.
 */
static void object_fail(struct loader *ld, const struct section *s, const struct err *ve)
{
	const char *p = ve->what;
	const struct ini_key *k;

	while ((p = strstr(p, ": "))) {
		p += 2;
		if ((k = key_named(ld, s, p))) {
			lab_key_err(ld, s, k, false, ve->errnum, ve->msg, ve->detail);
			return;
		}
	}
	lab_section_err(ld, s, ve->errnum, ve->msg, ve->detail);
}

/* ---- whole-object checks ---- */

struct twin {
	const char *key;
	unsigned i;
};

static int by_key_then_index(const void *a, const void *b, bool icase)
{
	const struct twin *x = a, *y = b;
	int c = icase ? strcasecmp(x->key, y->key) : strcmp(x->key, y->key);

	return c ? c : (x->i > y->i) - (x->i < y->i);
}
static int cmp_name(const void *a, const void *b) { return by_key_then_index(a, b, true); }
static int cmp_service_key(const void *a, const void *b) { return by_key_then_index(a, b, false); }

/*
 * Circuits with the same name (any case) or service key: prev[i] is the circuit before i in file
 * order with the same one, UINT_MAX when none. Sorting keeps this n log n for labs of thousands.
 */
static int circuit_twins(const struct lab *lab, bool by_name, unsigned *prev)
{
	struct twin *v = calloc(lab->n_circuits + 1, sizeof(*v));
	unsigned n = 0;

	if (!v)
		return -ENOMEM;
	for (unsigned i = 0; i < lab->n_circuits; i++) {
		const struct circuit *c = &lab->circuits[i];

		prev[i] = UINT_MAX;
		if (by_name || c->service_key[0])
			v[n++] = (struct twin){ by_name ? c->name : c->service_key, i };
	}
	qsort(v, n, sizeof(*v), by_name ? cmp_name : cmp_service_key);
	for (unsigned j = 1; j < n; j++)
		if ((by_name ? strcasecmp(v[j].key, v[j - 1].key) : strcmp(v[j].key, v[j - 1].key)) == 0)
			prev[v[j].i] = v[j - 1].i;
	free(v);
	return 0;
}

void lab_check_circuits(struct loader *ld)
{
	struct lab *lab = ld->lab;
	char m[200], d[160];
	size_t n = (size_t)lab->n_circuits + 1;
	unsigned *name_prev = calloc(2 * n, sizeof(*name_prev)), *key_prev = name_prev + n;
	const struct section **sec_of = calloc(n, sizeof(*sec_of));

	if (!name_prev || !sec_of || circuit_twins(lab, true, name_prev) < 0 || circuit_twins(lab, false, key_prev) < 0) {
		ld->oom = true;
		goto out;
	}
	for (unsigned i = 0; i < ld->n_secs; i++) {
		struct section *s = &ld->secs[i];
		struct circuit *c;
		struct err ve = { 0 };
		unsigned me;

		if (s->kind != SEC_CIRCUIT)
			continue;
		me = (unsigned)s->circuit;
		sec_of[me] = s;
		c = &lab->circuits[me];
		if (!s->bad && validate_circuit(c, &ve) < 0)
			object_fail(ld, s, &ve);
		else if (!s->bad && lab->bgp.customer && attach_kind_of(c) == ATTACH_BRIDGE) {
			/* (validate_circuit sees [bgp] only once it is copied into the circuit) */
			err_set(&ve, -EINVAL, c->name, "[bgp] customer = bird needs the customer namespace; on "
				"bridges the customer router is yours (customer = %s)", c->customer);
			object_fail(ld, s, &ve);
		}
		/* Every earlier circuit with the same name, then with the same key, nearest first. */
		for (unsigned j = name_prev[me]; j != UINT_MAX && !lab_errs_full(ld); j = name_prev[j])
			lab_key_err(ld, s, ini_key_find(&ld->doc, s->ini, "name"), false, -EEXIST,
				    err_fmt(m, sizeof(m), "The circuit with name '%s' already exists.", c->name),
				    err_fmt(d, sizeof(d), "[%s] has it; names are unique regardless of case", sec_of[j]->ini->name));
		for (unsigned j = key_prev[me]; j != UINT_MAX && !lab_errs_full(ld); j = key_prev[j])
			lab_key_err(ld, s, ini_key_find(&ld->doc, s->ini, "service_key"), false, -EEXIST,
				    "service key already in use", err_fmt(d, sizeof(d), "[%s] has it", sec_of[j]->ini->name));
	}
out:
	free(name_prev);
	free(sec_of);
}

/*
 * In file order, each through validate_vnet against its circuit with the VNets above it linked
 * (reserved names, too-small or overlapping spaces, the SKU's limit), as `erlab up` would link them.
 */
void lab_check_vnets(struct loader *ld)
{
	struct lab *lab = ld->lab;
	char d[160];

	for (unsigned i = 0; i < ld->n_secs; i++) {
		struct section *s = &ld->secs[i];
		struct err ve = { 0 };
		struct circuit *c;
		struct vnet *grown;

		if (s->kind != SEC_VNET || s->circuit < 0)
			continue;
		c = &lab->circuits[s->circuit];
		/* The validator's hint is a CLI command: in a lab the fix is a section. */
		if (!c->peering_present[ACCESS_PRIVATE]) {
			lab_section_err(ld, s, -EINVAL, "a VNet is linked to the circuit's private peering, which is missing",
					err_fmt(d, sizeof(d), "add a [peering %s private] section", s->words[1]));
			continue;
		}
		if (s->bad)
			continue;
		if (validate_vnet(c, &s->vnet, &ve) < 0) {
			object_fail(ld, s, &ve);
			continue;
		}
		grown = realloc(c->vnets, (c->n_vnets + 1) * sizeof(*grown));
		if (!grown) {
			ld->oom = true;
			return;
		}
		c->vnets = grown;
		c->vnets[c->n_vnets++] = s->vnet;
		memset(&s->vnet, 0, sizeof(s->vnet));
	}
}

/*
 * In file order, each against the circuit as it would be with the peerings above it created:
 * a conflict (VLAN, overlap) is reported once, on the later section, as `erlab up` would meet it.
 */
void lab_check_peerings(struct loader *ld)
{
	struct lab *lab = ld->lab;
	unsigned *done = calloc(lab->n_circuits + 1, sizeof(*done));

	if (!done) {
		ld->oom = true;
		return;
	}
	for (unsigned i = 0; i < ld->n_secs; i++) {
		struct section *s = &ld->secs[i];
		struct err ve = { 0 };
		struct circuit *c, ctx;

		if (s->kind != SEC_PEERING || s->circuit < 0)
			continue;
		c = &lab->circuits[s->circuit];
		if (validate_can_peer(c, &ve) < 0)
			lab_section_err(ld, s, ve.errnum, ve.msg, ve.detail);
		done[s->circuit] |= 1u << s->type;
		if (s->bad)
			continue;
		/* A shallow view: the peerings further down the file are not there yet. */
		ctx = *c;
		for (int t = 0; t < _ACCESS_MAX; t++)
			ctx.peering_present[t] = c->peering_present[t] && (done[s->circuit] & (1u << t));
		memset(&ve, 0, sizeof(ve));
		if (validate_peering(&ctx, &c->peerings[s->type], &ve) < 0)
			object_fail(ld, s, &ve);
	}
	free(done);
}

/* docs/bgp.md, "Prefix validation": each family of each Microsoft peering, judged against [registry]. */
void lab_registry_states(struct lab *lab)
{
	for (unsigned i = 0; i < lab->n_circuits; i++) {
		struct peering *p = &lab->circuits[i].peerings[ACCESS_MICROSOFT];

		if (!lab->circuits[i].peering_present[ACCESS_MICROSOFT])
			continue;
		for (unsigned f = 0; f < _FAMILY_MAX; f++)
			p->ms[f].prefix_state = validate_prefix_state(p, (enum family)f, lab->registry, lab->n_registry);
	}
}
