/* SPDX-License-Identifier: MIT */
#include <errno.h>
#include <net/if.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "core/format.h"
#include "core/names.h"
#include "engine/status.h"

/* Is the config file BIRD was started with the one the circuit makes now? */
static bool conf_differs(const char *path, const char *want)
{
	FILE *f = fopen(path, "re");
	size_t len = strlen(want), got;
	char *buf;
	bool differs = true;

	if (!f)
		return true;
	if ((buf = malloc(len + 2))) {
		got = fread(buf, 1, len + 1, f);
		differs = got != len || memcmp(buf, want, len) != 0;
		free(buf);
	}
	fclose(f);
	return differs;
}

int observe_circuit(struct kernel *k, const struct circuit *c, const struct apply_opts *ao, bool sessions,
		    struct observed *ret, struct err *e)
{
	char ns[NS_NAME_MAX], key[GUID_STRLEN];
	const char *role;
	int r;

	memset(ret, 0, sizeof(*ret));
	for (enum ns_role i = 0; i < _NS_MAX; i++) {
		names_ns(c, i, ns);
		if (!netns_exists(k, ns))
			continue;
		ret->ns_present[i] = true;
		r = link_dump(k, ns, &ret->links[i], &ret->n_links[i], e);
		if (r < 0) {
			observed_clear(ret);
			return r;
		}
		for (unsigned j = 0; j < ret->n_links[i]; j++)
			if (strcmp(ret->links[i][j].name, "lo") == 0 &&
			    names_mark_parse(ret->links[i][j].alias, key, &role) == 0 && strcmp(key, c->service_key) == 0)
				ret->ns_marked[i] = true;
	}
	if (c->n_vnets && !(ret->vnet_present = calloc(c->n_vnets, sizeof(bool)))) {
		observed_clear(ret);
		return err_set(e, -ENOMEM, c->name, "out of memory");
	}
	for (unsigned i = 0; i < c->n_vnets; i++)
		ret->vnet_present[i] = netns_exists(k, names_vnet_ns(c, &c->vnets[i], ns));
	for (enum ns_role role = 0; role < _NS_MAX; role++) {
		struct bird_paths p;
		char *want = NULL;

		if (!(role == NS_MICROSOFT ? c->bgp_msee : c->bgp_customer) ||
		    apply_bgp_conf(c, role, ao, &p, &want, NULL) < 0)
			continue;
		ret->bird_conf_differs[role] = conf_differs(p.conf, want);
		free(want);
		/* One connection: the sessions' answer also says BIRD runs; ask "runs?" alone otherwise. */
		if (sessions && role == NS_MICROSOFT && bird_sessions(p.ctl, &ret->sessions, &ret->n_sessions, NULL) == 0)
			ret->bird_running[role] = true;
		else
			ret->bird_running[role] = bird_running(p.ctl);
	}
	return 0;
}

void observed_clear(struct observed *o)
{
	for (enum ns_role i = 0; i < _NS_MAX; i++)
		free(o->links[i]);
	free(o->sessions);
	free(o->vnet_present);
	memset(o, 0, sizeof(*o));
}

const struct link_info *observed_link(const struct observed *o, enum ns_role role, const char *name)
{
	for (unsigned j = 0; j < o->n_links[role]; j++)
		if (strcmp(o->links[role][j].name, name) == 0)
			return &o->links[role][j];
	return NULL;
}

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

static bool has_addr(const struct link_info *l, const struct cidr *a)
{
	for (unsigned i = 0; i < l->n_addrs; i++)
		if (cidr_equal(&l->addrs[i], a))
			return true;
	return false;
}

/* Expected addresses of one end of one peering link: network+1 customer, +2 Microsoft. */
static unsigned expected_addrs(const struct peering *p, enum link_side side, enum ns_role role, struct cidr out[2])
{
	unsigned n = 0;

	for (int v6 = 0; v6 < 2; v6++) {
		enum subnet_slot s = subnet_slot_of(side, v6);

		if (p->has & subnet_slots[s].bit)
			out[n++] = cidr_host(peering_subnet(p, s), role == NS_CUSTOMER ? 1 : 2);
	}
	return n;
}

static int check_rate(struct drift *d, const char *ns, const struct link_info *l, uint32_t mbps)
{
	if (l->rate_bps == (uint64_t)mbps * 1000000)
		return 0;
	if (!l->rate_bps)
		return add(d, "%s/%s: no rate limit, expected %u Mbit/s", ns, l->name, mbps);
	return add(d, "%s/%s: rate %llu bit/s, expected %u Mbit/s", ns, l->name, (unsigned long long)l->rate_bps, mbps);
}

int drift_compute(const struct circuit *c, const struct observed *o, struct drift *ret)
{
	char ns[NS_NAME_MAX], ifname[IFNAMSIZ], buf[CIDR_STRLEN];
	int r = 0;

	memset(ret, 0, sizeof(*ret));
	for (unsigned i = 0; i < c->n_vnets && r == 0; i++)
		if (!o->vnet_present || !o->vnet_present[i])
			r = add(ret, "%s: namespace of virtual network %s missing", names_vnet_ns(c, &c->vnets[i], ns),
				c->vnets[i].name);
	if (r == 0 && c->bgp_msee && !o->bird_running[NS_MICROSOFT])
		r = add(ret, "BIRD (the Microsoft edge) is not running");
	if (r == 0 && c->bgp_customer && !o->bird_running[NS_CUSTOMER])
		r = add(ret, "BIRD (the customer router) is not running");
	for (enum ns_role role = 0; role < _NS_MAX && r == 0; role++)
		if (o->bird_running[role] && o->bird_conf_differs[role])
			r = add(ret, "BIRD (the %s) runs a config that is not the circuit's (edited by hand?)",
				role == NS_MICROSOFT ? "Microsoft edge" : "customer router");
	for (enum ns_role role = 0; role < _NS_MAX && r == 0; role++) {
		names_ns(c, role, ns);
		if (!o->ns_present[role]) {
			r = add(ret, "%s: namespace missing", ns);
			continue;
		}
		if (!o->ns_marked[role])
			r = add(ret, "%s: no ownership mark on lo", ns);
		if (c->datapath == DATAPATH_VLAN) {
			for (enum link_side side = 0; side < _LINK_MAX && r == 0; side++) {
				const struct link_info *l = observed_link(o, role, names_trunk(side));

				if (!l)
					r = add(ret, "%s/%s: trunk missing", ns, names_trunk(side));
				else
					r = check_rate(ret, ns, l, c->bandwidth);
			}
		}
		for (enum access_type t = 0; t < _ACCESS_MAX && r == 0; t++) {
			const struct peering *p = &c->peerings[t];

			if (!c->peering_present[t])
				continue;
			for (enum link_side side = 0; side < _LINK_MAX && r == 0; side++) {
				const struct link_info *l = observed_link(o, role, names_plink(side, p->vlan_id, ifname));
				struct cidr want[2];
				unsigned nwant = expected_addrs(p, side, role, want);

				if (!l) {
					r = add(ret, "%s/%s: missing (%s peering)", ns, ifname, access_type_lower(t));
					continue;
				}
				if (c->datapath == DATAPATH_VLAN && strcmp(l->kind, "vlan") != 0)
					r = add(ret, "%s/%s: a %s link, expected vlan", ns, ifname, l->kind[0] ? l->kind : "unknown");
				else if (c->datapath == DATAPATH_VLAN && l->vlan_id != p->vlan_id)
					r = add(ret, "%s/%s: VLAN id %u, expected %u", ns, ifname, l->vlan_id, p->vlan_id);
				else if (c->datapath == DATAPATH_VLAN && strcmp(l->parent, names_trunk(side)) != 0)
					r = add(ret, "%s/%s: on %s, expected on trunk %s", ns, ifname, l->parent, names_trunk(side));
				if (r == 0 && !(l->flags & IFF_UP))
					r = add(ret, "%s/%s: down", ns, ifname);
				for (unsigned i = 0; i < nwant && r == 0; i++)
					if (!has_addr(l, &want[i]))
						r = add(ret, "%s/%s: address %s missing", ns, ifname, cidr_str(&want[i], buf, sizeof(buf)));
				for (unsigned i = 0; i < l->n_addrs && r == 0; i++) {
					bool expected = false;

					for (unsigned j = 0; j < nwant; j++)
						expected |= cidr_equal(&l->addrs[i], &want[j]);
					/* (link_dump leaves out the kernel's own IPv6 link-local addresses) */
					if (!expected)
						r = add(ret, "%s/%s: unexpected address %s", ns, ifname,
							cidr_str(&l->addrs[i], buf, sizeof(buf)));
				}
				if (r == 0 && c->datapath == DATAPATH_VETH)
					r = check_rate(ret, ns, l, c->bandwidth);
			}
		}
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

static const char *oper_name(uint8_t s)
{
	static const char *const names[] = { "unknown", "notpresent", "down", "lowerlayerdown", "testing",
					     "dormant", "up" };

	return s < sizeof(names) / sizeof(names[0]) ? names[s] : "unknown";
}

static void link_text(FILE *f, const struct link_info *l)
{
	char buf[CIDR_STRLEN];

	fprintf(f, "%-14s %-5s", l->name, l->kind);
	if (l->vlan_id)
		fprintf(f, " vlan %-4u", l->vlan_id);
	fprintf(f, " %s%s", (l->flags & IFF_UP) ? "up" : "down", l->carrier ? "" : " no-carrier");
	fprintf(f, " oper %s", oper_name(l->operstate));
	for (unsigned i = 0; i < l->n_addrs; i++)
		fprintf(f, " %s", cidr_str(&l->addrs[i], buf, sizeof(buf)));
	if (l->rate_bps)
		fprintf(f, " rate %lluMbit", (unsigned long long)(l->rate_bps / 1000000));
	fputc('\n', f);
}

void status_print_text(FILE *f, const struct circuit *c, const struct observed *o, const struct drift *d)
{
	char ns[NS_NAME_MAX];
	unsigned np = 0;

	for (enum access_type t = 0; t < _ACCESS_MAX; t++)
		np += c->peering_present[t];
	fprintf(f, "%s  %s  %u Mbps  %s  %s  %u peering%s\n", c->name, c->service_key, c->bandwidth,
		provisioning_name(c->prov), datapath_name(c->datapath), np, np == 1 ? "" : "s");
	for (enum access_type t = 0; t < _ACCESS_MAX; t++) {
		const struct peering *p = &c->peerings[t];
		char a[CIDR_STRLEN], b[CIDR_STRLEN];

		if (!c->peering_present[t])
			continue;
		fprintf(f, "  %-9s vlan %-4u peer-asn %u", access_type_lower(t), p->vlan_id, p->peer_asn);
		if (p->has & PEERING_HAS_PRIMARY4)
			fprintf(f, "  %s %s", cidr_str(&p->primary4, a, sizeof(a)), cidr_str(&p->secondary4, b, sizeof(b)));
		if (p->has & PEERING_HAS_PRIMARY6)
			fprintf(f, "  %s %s", cidr_str(&p->primary6, a, sizeof(a)), cidr_str(&p->secondary6, b, sizeof(b)));
		fputc('\n', f);
	}
	for (enum ns_role role = 0; role < _NS_MAX; role++) {
		fprintf(f, "  %s%s\n", names_ns(c, role, ns), o->ns_present[role] ? "" : "  (missing)");
		for (unsigned j = 0; j < o->n_links[role]; j++) {
			if (strcmp(o->links[role][j].name, "lo") == 0)
				continue;
			fputs("    ", f);
			link_text(f, &o->links[role][j]);
		}
	}
	for (unsigned i = 0; i < c->n_vnets; i++) {
		char a[CIDR_STRLEN];

		fprintf(f, "  vnet %-12s %s%s ", c->vnets[i].name, names_vnet_ns(c, &c->vnets[i], ns),
			o->vnet_present && o->vnet_present[i] ? "" : " (missing)");
		for (unsigned j = 0; j < c->vnets[i].n_spaces; j++)
			fprintf(f, " %s", cidr_str(&c->vnets[i].spaces[j], a, sizeof(a)));
		fputc('\n', f);
	}
	for (unsigned i = 0; i < o->n_sessions; i++) {
		const struct bird_session *b = &o->sessions[i];

		fprintf(f, "  bgp %-22s %-11s", b->name, b->state);
		if (strcmp(b->state, "Established") == 0)
			fprintf(f, " imported %u exported %u", b->imported, b->exported);
		if (b->last_error[0])
			fprintf(f, " (%s)", b->last_error);
		fputc('\n', f);
	}
	if (!d->n)
		fprintf(f, "  drift: none\n");
	for (unsigned i = 0; i < d->n; i++)
		fprintf(f, "  drift: %s\n", d->lines[i]);
}

void status_print_json(FILE *f, const struct circuit *c, const struct observed *o, const struct drift *d)
{
	char ns[NS_NAME_MAX], buf[CIDR_STRLEN];

	fputs("{\"circuit\":", f);
	format_circuit_json(f, c);
	/* format_circuit_json ends with a newline: JSON allows whitespace between tokens. */
	fputs(",\"kernel\":{", f);
	for (enum ns_role role = 0; role < _NS_MAX; role++) {
		fprintf(f, "%s\"", role ? "," : "");
		format_json_string(f, names_ns(c, role, ns));
		fprintf(f, "\":{\"present\":%s,\"marked\":%s,\"links\":[", o->ns_present[role] ? "true" : "false",
			o->ns_marked[role] ? "true" : "false");
		for (unsigned j = 0; j < o->n_links[role]; j++) {
			const struct link_info *l = &o->links[role][j];

			fprintf(f, "%s{\"name\":\"", j ? "," : "");
			format_json_string(f, l->name);
			fprintf(f, "\",\"kind\":\"%s\",\"vlan_id\":%u,\"up\":%s,\"carrier\":%s,\"operstate\":\"%s\","
				   "\"rate_bps\":%llu,\"rx_bytes\":%llu,\"tx_bytes\":%llu,\"addresses\":[",
				l->kind, l->vlan_id, (l->flags & IFF_UP) ? "true" : "false", l->carrier ? "true" : "false",
				oper_name(l->operstate), (unsigned long long)l->rate_bps,
				(unsigned long long)l->rx_bytes, (unsigned long long)l->tx_bytes);
			for (unsigned i = 0; i < l->n_addrs; i++)
				fprintf(f, "%s\"%s\"", i ? "," : "", cidr_str(&l->addrs[i], buf, sizeof(buf)));
			fputs("]}", f);
		}
		fputs("]}", f);
	}
	fputs("},\"bgp\":[", f);
	for (unsigned i = 0; i < o->n_sessions; i++) {
		const struct bird_session *b = &o->sessions[i];

		fprintf(f, "%s{\"name\":\"", i ? "," : "");
		format_json_string(f, b->name);
		fputs("\",\"state\":\"", f);
		format_json_string(f, b->state);
		fprintf(f, "\",\"neighbor_as\":%u,\"imported\":%u,\"exported\":%u,\"last_error\":\"", b->neighbor_as,
			b->imported, b->exported);
		format_json_string(f, b->last_error);
		fputs("\"}", f);
	}
	fputs("],\"drift\":[", f);
	for (unsigned i = 0; i < d->n; i++) {
		fprintf(f, "%s\"", i ? "," : "");
		format_json_string(f, d->lines[i]);
		fputc('"', f);
	}
	fputs("]}\n", f);
}
