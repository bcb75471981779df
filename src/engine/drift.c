/* SPDX-License-Identifier: MIT */
/* Where the kernel differs from what a circuit should be (core/expect): `status` reports it, `up`
 * repairs it. */
#include <errno.h>
#include <net/if.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/attach.h"
#include "core/expect.h"
#include "engine/engine_int.h"

/* ---- records ---- */

static struct drift_value v_null(void) { return (struct drift_value){ .type = DRIFT_NULL }; }
static struct drift_value v_bool(bool b) { return (struct drift_value){ .type = DRIFT_BOOL, .b = b }; }
static struct drift_value v_num(uint64_t n) { return (struct drift_value){ .type = DRIFT_NUMBER, .n = n }; }
static struct drift_value v_str(const char *s)
{
	struct drift_value v = { .type = DRIFT_STRING };

	snprintf(v.s, sizeof(v.s), "%s", s);
	return v;
}
static struct drift_value v_cidr(const struct cidr *c)
{
	struct drift_value v = { .type = DRIFT_STRING };

	cidr_str(c, v.s, sizeof(v.s));
	return v;
}

/* The role of namespace ns of c: "customer", "microsoft", or the name of the VNet it is. */
static void role_of(const struct circuit *c, const char *ns, char *buf, size_t len)
{
	char n[NS_NAME_MAX];

	buf[0] = '\0';
	for (enum ns_role role = 0; role < _NS_MAX; role++)
		if (expect_link_ns(c, role, n) && strcmp(n, ns) == 0)
			snprintf(buf, len, "%s", ns_role_name(role));
	for (unsigned i = 0; i < c->n_vnets && !buf[0]; i++)
		if (strcmp(names_vnet_ns(c, &c->vnets[i], n), ns) == 0)
			snprintf(buf, len, "%s", c->vnets[i].name);
}

/* A record: object is the namespace ns, or "ns/link" when link is given. */
static int add(struct drift *d, const struct circuit *c, enum drift_kind kind, const char *ns, const char *link,
	       const char *property, struct drift_value expected, struct drift_value found, const char *detail)
{
	struct drift_item *v = realloc(d->items, (d->n + 1) * sizeof(*v)), *it;

	if (!v)
		return -ENOMEM;
	d->items = v;
	it = &v[d->n++];
	memset(it, 0, sizeof(*it));
	it->kind = kind;
	snprintf(it->object, sizeof(it->object), "%s%s%s", ns, link ? "/" : "", link ? link : "");
	role_of(c, ns, it->role, sizeof(it->role));
	it->property = property;
	it->expected = expected;
	it->found = found;
	snprintf(it->detail, sizeof(it->detail), "%s", detail ? detail : "");
	return 0;
}

void drift_clear(struct drift *d)
{
	free(d->items);
	memset(d, 0, sizeof(*d));
}

const char *drift_kind_name(enum drift_kind k)
{
	static const char *const names[] = { [DRIFT_NAMESPACE] = "namespace", [DRIFT_LINK] = "link", [DRIFT_BIRD] = "bird" };

	return k < sizeof(names) / sizeof(names[0]) ? names[k] : "unknown";
}

/* The line of a record: what `status` has always printed for it. */
const char *drift_text(const struct drift_item *d, char *buf, size_t len)
{
	const char *o = d->object, *p = d->property;
	const struct drift_value *x = &d->expected, *f = &d->found;

	if (d->kind == DRIFT_BIRD && strcmp(p, "running") == 0)
		snprintf(buf, len, "BIRD (the %s) is not running", d->detail);
	else if (d->kind == DRIFT_BIRD)
		snprintf(buf, len, "BIRD (the %s) runs a config that is not the circuit's (edited by hand?)", d->detail);
	else if (d->kind == DRIFT_NAMESPACE && strcmp(p, "marked") == 0)
		snprintf(buf, len, "%s: no ownership mark on lo", o);
	else if (d->kind == DRIFT_NAMESPACE && d->detail[0])
		snprintf(buf, len, "%s: namespace of virtual network %s missing", o, d->detail);
	else if (d->kind == DRIFT_NAMESPACE)
		snprintf(buf, len, "%s: namespace missing", o);
	else if (strcmp(p, "present") == 0 && x->b)
		snprintf(buf, len, "%s: missing (%s)", o, d->detail);
	else if (strcmp(p, "present") == 0)
		snprintf(buf, len, "%s: carries this circuit's mark (%s) but is not one of its links (renamed or left behind?)",
			 o, d->detail);
	else if (strcmp(p, "kind") == 0)
		snprintf(buf, len, "%s: a %s link, expected %s", o, f->s, x->s);
	else if (strcmp(p, "vlan_id") == 0)
		snprintf(buf, len, "%s: VLAN id %llu, expected %llu", o, (unsigned long long)f->n, (unsigned long long)x->n);
	else if (strcmp(p, "parent") == 0)
		snprintf(buf, len, "%s: on %s, expected on %s", o, f->s, x->s);
	else if (strcmp(p, "vni") == 0)
		snprintf(buf, len, "%s: VNI %llu, expected %llu", o, (unsigned long long)f->n, (unsigned long long)x->n);
	else if (strcmp(p, "master") == 0)
		snprintf(buf, len, "%s: %s%s, expected %s%s", o, f->s[0] ? "on bridge " : "on no bridge", f->s,
			 x->s[0] ? "on bridge " : "on no bridge", x->s);
	else if (strcmp(p, "up") == 0)
		snprintf(buf, len, "%s: down", o);
	else if (strcmp(p, "addresses") == 0 && x->type == DRIFT_STRING)
		snprintf(buf, len, "%s: address %s missing", o, x->s);
	else if (strcmp(p, "addresses") == 0)
		snprintf(buf, len, "%s: unexpected address %s", o, f->s);
	else if (strcmp(p, "rate_bps") == 0 && f->n == 0)
		snprintf(buf, len, "%s: no rate limit, expected %llu Mbit/s", o, (unsigned long long)(x->n / 1000000));
	else if (strcmp(p, "rate_bps") == 0)
		snprintf(buf, len, "%s: rate %llu bit/s, expected %llu Mbit/s", o, (unsigned long long)f->n,
			 (unsigned long long)(x->n / 1000000));
	else
		snprintf(buf, len, "%s: %s differs", o, p);
	return buf;
}

static const char *const kind_names[] = {
	[XLINK_VETH] = "veth", [XLINK_VLAN] = "vlan", [XLINK_MACVLAN] = "macvlan", [XLINK_VXLAN] = "vxlan",
	[XLINK_NONE] = "",
};

/* The dump of namespace ns, if it was read: NULL when the namespace is missing. */
static const struct link_info *find_link(const struct circuit *c, const struct observed *o, const char *ns,
					 const char *name, bool *ret_ns_read)
{
	char n[NS_NAME_MAX];
	const struct link_info *v = NULL;
	unsigned count = 0;

	for (enum ns_role role = 0; role < _NS_MAX && !v; role++)
		if (expect_link_ns(c, role, n) && strcmp(n, ns) == 0 && o->ns_present[role]) {
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

/* One expected link end against the kernel's: a record for each difference. */
static int check_link(struct drift *d, const struct circuit *c, const struct xlink *x, const struct link_info *l)
{
	int r = 0;

	if (strcmp(l->kind, kind_names[x->kind]) != 0)
		r = add(d, c, DRIFT_LINK, x->ns, x->name, "kind", v_str(kind_names[x->kind]),
			v_str(l->kind[0] ? l->kind : "unknown"), NULL);
	else if (x->kind == XLINK_VLAN && l->vlan_id != x->vlan_id)
		r = add(d, c, DRIFT_LINK, x->ns, x->name, "vlan_id", v_num(x->vlan_id), v_num(l->vlan_id), NULL);
	else if ((x->kind == XLINK_VLAN || x->kind == XLINK_MACVLAN) && strcmp(l->parent, x->parent) != 0)
		r = add(d, c, DRIFT_LINK, x->ns, x->name, "parent", v_str(x->parent), v_str(l->parent), NULL);
	else if (x->kind == XLINK_VXLAN && l->vni != x->vni)
		r = add(d, c, DRIFT_LINK, x->ns, x->name, "vni", v_num(x->vni), v_num(l->vni), NULL);
	else if (strcmp(l->master, x->master) != 0)
		r = add(d, c, DRIFT_LINK, x->ns, x->name, "master", v_str(x->master), v_str(l->master), NULL);
	if (r == 0 && !(l->flags & IFF_UP))
		r = add(d, c, DRIFT_LINK, x->ns, x->name, "up", v_bool(true), v_bool(false), NULL);
	for (unsigned i = 0; i < x->n_addrs && r == 0; i++)
		if (!has_addr(l, &x->addrs[i]))
			r = add(d, c, DRIFT_LINK, x->ns, x->name, "addresses", v_cidr(&x->addrs[i]), v_null(), NULL);
	for (unsigned i = 0; i < l->n_addrs && r == 0; i++) {
		bool expected = false;

		for (unsigned j = 0; j < x->n_addrs; j++)
			expected |= cidr_equal(&l->addrs[i], &x->addrs[j]);
		/* (link_dump leaves out the kernel's own IPv6 link-local addresses) */
		if (!expected)
			r = add(d, c, DRIFT_LINK, x->ns, x->name, "addresses", v_null(), v_cidr(&l->addrs[i]), NULL);
	}
	if (r == 0 && x->rate_mbps && l->rate_bps != (uint64_t)x->rate_mbps * 1000000)
		r = add(d, c, DRIFT_LINK, x->ns, x->name, "rate_bps", v_num((uint64_t)x->rate_mbps * 1000000),
			v_num(l->rate_bps), NULL);
	return r;
}

/* Every link end c has, made once for drift_compute's walks: 0, or -ENOMEM. */
static int expected_links(const struct circuit *c, struct xlink **ret, unsigned *ret_n)
{
	struct xlink_iter it;
	struct xlink x, *v = NULL, *nv;
	unsigned n = 0, cap = 0;

	expect_links_begin(&it, c);
	while (expect_link_next(&it, &x)) {
		if (n == cap) {
			cap = cap ? 2 * cap : 16;
			if (!(nv = realloc(v, cap * sizeof(*v)))) {
				free(v);
				return -ENOMEM;
			}
			v = nv;
		}
		v[n++] = x;
	}
	*ret = v;
	*ret_n = n;
	return 0;
}

/* Is name one of the links (xs) c has in namespace ns? */
static bool expected_in(const struct xlink *xs, unsigned n_xs, const char *ns, const char *name)
{
	for (unsigned i = 0; i < n_xs; i++)
		if (strcmp(xs[i].ns, ns) == 0 && strcmp(xs[i].name, name) == 0)
			return true;
	return false;
}

/* Links of ns carrying c's mark that c does not have (renamed by hand, or left behind). */
static int unexpected_marked(struct drift *d, const struct circuit *c, const struct xlink *xs, unsigned n_xs,
			     const char *ns, const struct link_info *v, unsigned n)
{
	char key[GUID_STRLEN];
	const char *role;
	int r = 0;

	for (unsigned i = 0; i < n && r == 0; i++) {
		if (strcmp(v[i].name, "lo") == 0 || names_mark_parse(v[i].alias, key, &role) < 0 ||
		    strcmp(key, c->service_key) != 0 || expected_in(xs, n_xs, ns, v[i].name))
			continue;
		r = add(d, c, DRIFT_LINK, ns, v[i].name, "present", v_bool(false), v_bool(true), role);
	}
	return r;
}

int drift_compute(const struct circuit *c, const struct observed *o, struct drift *ret)
{
	static const char *const bird_of[_NS_MAX] = { [NS_CUSTOMER] = "customer router", [NS_MICROSOFT] = "Microsoft edge" };
	struct xlink *xs;
	struct xns n;
	unsigned n_xs;
	int r;

	memset(ret, 0, sizeof(*ret));
	if ((r = expected_links(c, &xs, &n_xs)) < 0)
		return r;
	for (unsigned i = 0; i < c->n_vnets && r == 0 && attach_ns_here(c, NS_MICROSOFT); i++)
		if (i >= o->n_vnets || !o->vnet_present[i]) {
			expect_vnet_ns(c, i, &n);
			r = add(ret, c, DRIFT_NAMESPACE, n.name, NULL, "present", v_bool(true), v_bool(false), c->vnets[i].name);
		}
	for (enum ns_role role = _NS_MAX; role-- > 0 && r == 0;) {   /* the Microsoft edge first */
		bool want = (role == NS_MICROSOFT ? c->bgp.msee : c->bgp.customer) && attach_ns_here(c, role);

		expect_ns(c, role, &n);
		if (want && !o->bird_running[role])
			r = add(ret, c, DRIFT_BIRD, n.name, NULL, "running", v_bool(true), v_bool(false), bird_of[role]);
	}
	for (enum ns_role role = 0; role < _NS_MAX && r == 0; role++) {
		expect_ns(c, role, &n);
		if (o->bird_running[role] && o->bird_conf_differs[role])
			r = add(ret, c, DRIFT_BIRD, n.name, NULL, "config", v_bool(true), v_bool(false), bird_of[role]);
	}
	for (enum ns_role role = 0; role < _NS_MAX && r == 0; role++) {
		if (!attach_ns_here(c, role))
			continue;   /* another host's, or bridge ports in ours */
		expect_ns(c, role, &n);
		if (!o->ns_present[role])
			r = add(ret, c, DRIFT_NAMESPACE, n.name, NULL, "present", v_bool(true), v_bool(false), NULL);
		else if (!o->ns_marked[role])
			r = add(ret, c, DRIFT_NAMESPACE, n.name, NULL, "marked", v_bool(true), v_bool(false), NULL);
	}
	for (unsigned i = 0; r == 0 && i < n_xs; i++) {
		const struct xlink *x = &xs[i];
		bool ns_read = false;
		const struct link_info *l = find_link(c, o, x->ns, x->name, &ns_read);

		if (!ns_read)
			continue;   /* its namespace is missing: said above */
		r = l ? check_link(ret, c, x, l)
		      : add(ret, c, DRIFT_LINK, x->ns, x->name, "present", v_bool(true), v_bool(false), x->what);
	}
	for (enum ns_role role = 0; role < _NS_MAX && r == 0; role++) {
		if (o->ns_present[role] && expect_link_ns(c, role, n.name))
			r = unexpected_marked(ret, c, xs, n_xs, n.name, o->links[role], o->n_links[role]);
	}
	for (unsigned i = 0; i < c->n_vnets && i < o->n_vnets && r == 0; i++) {
		expect_vnet_ns(c, i, &n);
		if (o->vnet_present[i])
			r = unexpected_marked(ret, c, xs, n_xs, n.name, o->vnet_links[i], o->n_vnet_links[i]);
	}
	free(xs);
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
	else if (d.n) {
		char line[300];

		snprintf(why, len, "%s%s", drift_text(&d.items[0], line, sizeof(line)), d.n > 1 ? ", ..." : "");
	}
	r = r < 0 ? r : d.n > 0;
	drift_clear(&d);
	observed_clear(&o);
	return r;
}
