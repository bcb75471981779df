/* SPDX-License-Identifier: MIT */
/* The whole-object rules of SPEC §3 through core/validate: circuits, VNets, peerings, the registry. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "core/validate.h"
#include "lab/lab_int.h"

static bool known_key(enum section_kind kind, const char *rest)
{
	size_t len = strcspn(rest, "=");
	char key[64];

	if (len == 0 || len >= sizeof(key))
		return false;
	memcpy(key, rest, len);
	key[len] = '\0';
	return lab_key_find(kind, key) != NULL;
}

/*
 * A whole-object rule failed. The validators name the field as "<object>: key=value" with the
 * lab's key names: point at that key when it is one of the section's, else at the section.
 */
static void object_fail(struct loader *ld, const struct section *s, const struct err *ve)
{
	char w[sizeof(((struct err *)0)->what)];
	const char *p = ve->what;

	while ((p = strstr(p, ": "))) {
		p += 2;
		if (known_key(s->kind, p)) {
			lab_add_err(ld, ve->errnum, err_fmt(w, sizeof(w), "%s [%s] %s", ld->file, s->pre->written, p),
				    ve->msg, ve->detail);
			return;
		}
	}
	lab_section_err(ld, s, ve->errnum, ve->msg, ve->detail);
}

/* ---- whole-object checks ---- */

/*
 * Circuits with the same name (any case) or service key, as chains in file order: first[i] is the
 * first circuit of i's group (i itself when it is the first or has no key), next[] links them.
 */
static int circuit_twins(const struct lab *lab, bool by_name, unsigned *first, unsigned *next)
{
	struct strmap seen = { .icase = by_name };
	int r = 0;

	for (unsigned i = 0; i < lab->n_circuits; i++) {
		const struct circuit *c = &lab->circuits[i];
		unsigned *last;
		bool found;

		first[i] = i;
		next[i] = IDX_NONE;
		if (!by_name && !c->service_key[0])
			continue;
		last = lab_strmap_put(&seen, 0, by_name ? c->name : c->service_key, i, &found);
		if (!last) {
			r = -ENOMEM;
			break;
		}
		if (found) {
			first[i] = first[*last];
			next[*last] = i;
			*last = i;
		}
	}
	lab_strmap_free(&seen);
	return r;
}

void lab_check_circuits(struct loader *ld)
{
	struct lab *lab = ld->lab;
	char w[sizeof(((struct err *)0)->what)], m[200], d[160];
	size_t n = (size_t)lab->n_circuits + 1;
	unsigned *twins = calloc(4 * n, sizeof(*twins));
	unsigned *name_first = twins, *name_next = twins + n, *key_first = twins + 2 * n, *key_next = twins + 3 * n;
	const struct section **sec_of = calloc(n, sizeof(*sec_of));

	if (!twins || !sec_of || circuit_twins(lab, true, name_first, name_next) < 0 ||
	    circuit_twins(lab, false, key_first, key_next) < 0) {
		ld->oom = true;
		goto out;
	}
	for (unsigned i = 0; i < ld->n_secs; i++) {
		struct section *s = &ld->secs[i];
		struct circuit *c;
		struct err ve = { 0 };
		unsigned me, a, b;

		if (s->kind != SEC_CIRCUIT)
			continue;
		me = (unsigned)s->circuit;
		sec_of[me] = s;
		c = &lab->circuits[me];
		if (!s->bad && validate_circuit(c, &ve) < 0)
			object_fail(ld, s, &ve);

		/* Every earlier circuit with the same name or key, in file order, the name first. */
		a = name_first[me];
		b = key_first[me];
		while ((a != me || b != me) && !lab_errs_full(ld)) {
			unsigned j = a < b ? a : b;
			const struct section *o = sec_of[j];

			if (j == a) {
				lab_add_err(ld, -EEXIST, lab_key_what(ld, s->pre, "name", c->name, false, w, sizeof(w)),
					    err_fmt(m, sizeof(m), "The circuit with name '%s' already exists.", c->name),
					    err_fmt(d, sizeof(d), "[%s] has it; names are unique regardless of case", o->pre->written));
				a = name_next[a];
			}
			if (j == b) {
				lab_add_err(ld, -EEXIST, lab_key_what(ld, s->pre, "service_key", c->service_key, false, w, sizeof(w)),
					    "service key already in use",
					    err_fmt(d, sizeof(d), "[%s] has it", o->pre->written));
				b = key_next[b];
			}
		}
	}
out:
	free(twins);
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

/* SPEC §7: with [registry] data, a prefix not registered to PeerAsn/CustomerAsn needs validation. */
void lab_registry_states(struct lab *lab)
{
	for (unsigned i = 0; i < lab->n_circuits; i++) {
		struct peering *p = &lab->circuits[i].peerings[ACCESS_MICROSOFT];

		if (!lab->circuits[i].peering_present[ACCESS_MICROSOFT] || lab->n_registry == 0)
			continue;
		for (unsigned j = 0; j < p->n_prefixes; j++) {
			const struct registry_entry *best = NULL;

			for (unsigned r = 0; r < lab->n_registry; r++) {
				const struct registry_entry *e = &lab->registry[r];

				if (cidr_contains(&e->prefix, &p->prefixes[j]) &&
				    (!best || e->prefix.prefixlen > best->prefix.prefixlen))
					best = e;
			}
			if (!best || (best->asn != p->peer_asn && (p->customer_asn == 0 || best->asn != p->customer_asn)))
				p->prefix_state = PREFIX_VALIDATION_NEEDED;
		}
	}
}
