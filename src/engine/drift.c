/* SPDX-License-Identifier: MIT */
/* Where the kernel differs from what a circuit should be (core/expect): `status` reports it, `up`
 * repairs it. */
#include <errno.h>
#include <net/if.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/expect.h"
#include "engine/engine_int.h"

static int add(struct drift *d, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static int add(struct drift *d, const char *fmt, ...)
{
	char **v = realloc(d->lines, (d->n + 1) * sizeof(*v));
	va_list ap;
	int r;

	if (!v)
		return -ENOMEM;
	d->lines = v;
	va_start(ap, fmt);
	r = vasprintf(&d->lines[d->n], fmt, ap);
	va_end(ap);
	if (r < 0)
		return -ENOMEM;
	d->n++;
	return 0;
}

void drift_clear(struct drift *d)
{
	for (unsigned i = 0; i < d->n; i++)
		free(d->lines[i]);
	free(d->lines);
	memset(d, 0, sizeof(*d));
}

static const char *const kind_names[] = {
	[XLINK_VETH] = "veth", [XLINK_VLAN] = "vlan", [XLINK_MACVLAN] = "macvlan",
};

/* The dump of namespace ns, if it was read: NULL when the namespace is missing. */
static const struct link_info *find_link(const struct circuit *c, const struct observed *o, const char *ns,
					 const char *name, bool *ret_ns_read)
{
	char n[NS_NAME_MAX];
	const struct link_info *v = NULL;
	unsigned count = 0;

	for (enum ns_role role = 0; role < _NS_MAX && !v; role++)
		if (strcmp(names_ns(c, role, n), ns) == 0 && o->ns_present[role]) {
			v = o->links[role];
			count = o->n_links[role];
			*ret_ns_read = true;
		}
	for (unsigned i = 0; i < c->n_vnets && i < o->n_vnets && !*ret_ns_read; i++)
		if (strcmp(names_vnet_ns(c, &c->vnets[i], n), ns) == 0 && o->vnet_present[i]) {
			v = o->vnet_links[i];
			count = o->n_vnet_links[i];
			*ret_ns_read = true;
		}
	for (unsigned i = 0; i < count; i++)
		if (strcmp(v[i].name, name) == 0)
			return &v[i];
	return NULL;
}

static bool has_addr(const struct link_info *l, const struct cidr *a)
{
	for (unsigned i = 0; i < l->n_addrs; i++)
		if (cidr_equal(&l->addrs[i], a))
			return true;
	return false;
}

/* One expected link end against the kernel's: a line for each difference. */
static int check_link(struct drift *d, const struct xlink *x, const struct link_info *l)
{
	char buf[CIDR_STRLEN];
	int r = 0;

	if (strcmp(l->kind, kind_names[x->kind]) != 0)
		r = add(d, "%s/%s: a %s link, expected %s", x->ns, x->name, l->kind[0] ? l->kind : "unknown",
			kind_names[x->kind]);
	else if (x->kind == XLINK_VLAN && l->vlan_id != x->vlan_id)
		r = add(d, "%s/%s: VLAN id %u, expected %u", x->ns, x->name, l->vlan_id, x->vlan_id);
	else if (x->kind != XLINK_VETH && strcmp(l->parent, x->parent) != 0)
		r = add(d, "%s/%s: on %s, expected on %s", x->ns, x->name, l->parent, x->parent);
	if (r == 0 && !(l->flags & IFF_UP))
		r = add(d, "%s/%s: down", x->ns, x->name);
	for (unsigned i = 0; i < x->n_addrs && r == 0; i++)
		if (!has_addr(l, &x->addrs[i]))
			r = add(d, "%s/%s: address %s missing", x->ns, x->name, cidr_str(&x->addrs[i], buf, sizeof(buf)));
	for (unsigned i = 0; i < l->n_addrs && r == 0; i++) {
		bool expected = false;

		for (unsigned j = 0; j < x->n_addrs; j++)
			expected |= cidr_equal(&l->addrs[i], &x->addrs[j]);
		/* (link_dump leaves out the kernel's own IPv6 link-local addresses) */
		if (!expected)
			r = add(d, "%s/%s: unexpected address %s", x->ns, x->name, cidr_str(&l->addrs[i], buf, sizeof(buf)));
	}
	if (r == 0 && x->rate_mbps && l->rate_bps != (uint64_t)x->rate_mbps * 1000000) {
		if (!l->rate_bps)
			r = add(d, "%s/%s: no rate limit, expected %u Mbit/s", x->ns, x->name, x->rate_mbps);
		else
			r = add(d, "%s/%s: rate %llu bit/s, expected %u Mbit/s", x->ns, x->name,
				(unsigned long long)l->rate_bps, x->rate_mbps);
	}
	return r;
}

/* Is name one of the links c has in namespace ns? */
static bool expected_in(const struct circuit *c, const char *ns, const char *name)
{
	struct xlink x;

	for (unsigned i = 0; expect_link(c, i, &x); i++)
		if (strcmp(x.ns, ns) == 0 && strcmp(x.name, name) == 0)
			return true;
	return false;
}

/* Links of ns carrying c's mark that c does not have (renamed by hand, or left behind). */
static int unexpected_marked(struct drift *d, const struct circuit *c, const char *ns, const struct link_info *v,
			     unsigned n)
{
	char key[GUID_STRLEN];
	const char *role;
	int r = 0;

	for (unsigned i = 0; i < n && r == 0; i++) {
		if (strcmp(v[i].name, "lo") == 0 || names_mark_parse(v[i].alias, key, &role) < 0 ||
		    strcmp(key, c->service_key) != 0 || expected_in(c, ns, v[i].name))
			continue;
		r = add(d, "%s/%s: carries this circuit's mark (%s) but is not one of its links (renamed or left behind?)",
			ns, v[i].name, role);
	}
	return r;
}

int drift_compute(const struct circuit *c, const struct observed *o, struct drift *ret)
{
	struct xlink x;
	struct xns n;
	int r = 0;

	memset(ret, 0, sizeof(*ret));
	for (unsigned i = 0; i < c->n_vnets && r == 0; i++)
		if (i >= o->n_vnets || !o->vnet_present[i]) {
			expect_vnet_ns(c, i, &n);
			r = add(ret, "%s: namespace of virtual network %s missing", n.name, c->vnets[i].name);
		}
	if (r == 0 && c->bgp.msee && !o->bird_running[NS_MICROSOFT])
		r = add(ret, "BIRD (the Microsoft edge) is not running");
	if (r == 0 && c->bgp.customer && !o->bird_running[NS_CUSTOMER])
		r = add(ret, "BIRD (the customer router) is not running");
	for (enum ns_role role = 0; role < _NS_MAX && r == 0; role++)
		if (o->bird_running[role] && o->bird_conf_differs[role])
			r = add(ret, "BIRD (the %s) runs a config that is not the circuit's (edited by hand?)",
				role == NS_MICROSOFT ? "Microsoft edge" : "customer router");
	for (enum ns_role role = 0; role < _NS_MAX && r == 0; role++) {
		expect_ns(c, role, &n);
		if (!o->ns_present[role])
			r = add(ret, "%s: namespace missing", n.name);
		else if (!o->ns_marked[role])
			r = add(ret, "%s: no ownership mark on lo", n.name);
	}
	for (unsigned i = 0; r == 0 && expect_link(c, i, &x); i++) {
		bool ns_read = false;
		const struct link_info *l = find_link(c, o, x.ns, x.name, &ns_read);

		if (!ns_read)
			continue;   /* its namespace is missing: said above */
		r = l ? check_link(ret, &x, l) : add(ret, "%s/%s: missing (%s)", x.ns, x.name, x.what);
	}
	for (enum ns_role role = 0; role < _NS_MAX && r == 0; role++) {
		expect_ns(c, role, &n);
		if (o->ns_present[role])
			r = unexpected_marked(ret, c, n.name, o->links[role], o->n_links[role]);
	}
	for (unsigned i = 0; i < c->n_vnets && i < o->n_vnets && r == 0; i++) {
		expect_vnet_ns(c, i, &n);
		if (o->vnet_present[i])
			r = unexpected_marked(ret, c, n.name, o->vnet_links[i], o->n_vnet_links[i]);
	}
	return r;
}

int drift_check(struct kernel *k, const struct circuit *c, const struct apply_opts *ao, char *why, size_t len,
		struct err *e)
{
	struct observed o;
	struct drift d;
	int r;

	if ((r = observe_circuit(k, c, ao, false, &o, e)) < 0)
		return r;
	r = drift_compute(c, &o, &d);
	if (r < 0)
		err_set(e, r, c->name, "out of memory");
	else if (d.n)
		snprintf(why, len, "%s%s", d.lines[0], d.n > 1 ? ", ..." : "");
	r = r < 0 ? r : d.n > 0;
	drift_clear(&d);
	observed_clear(&o);
	return r;
}
