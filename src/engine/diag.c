/* SPDX-License-Identifier: MIT */
/*
 * A peering's diagnostics as rows, the values the MSEE shows (docs/bgp.md, "Status and
 * diagnostics"): its ARP table from the kernel's neighbours, its route table and summary from the
 * Microsoft edge's BIRD, its link counters. The cmdlets print them as the MSEE's text
 * (src/cli/cmdlet_diag.c), `erlab serve` as ARM's JSON (src/arm/diagnostics.c).
 */
#include <errno.h>
#include <linux/neighbour.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "core/bird_conf.h"
#include "core/names.h"
#include "engine/engine_int.h"

/* The subnet of the chosen path, IPv4 when the peering has it. */
static const struct cidr *path_subnet(const struct peering *p, enum link_side side)
{
	return peering_subnet(p, subnet_slot_of(side, !peering_has_v4(p)));
}

/* "e8:ed:f3:35:4c:a9" -> "e8ed.f335.4ca9", as an MSEE (IOS) prints it. */
static void mac_dotted(const char *colon, char buf[16])
{
	unsigned j = 0;

	buf[0] = '\0';
	if (strlen(colon) != 17)
		return;
	for (unsigned i = 0; i < 17 && j < 14; i++) {
		if (colon[i] == ':')
			continue;
		buf[j++] = colon[i];
		if (j == 4 || j == 9)
			buf[j++] = '.';
	}
	buf[j] = '\0';
}

static bool neigh_usable(const struct neigh_info *n, const char *ifname, int family)
{
	return strcmp(n->ifname, ifname) == 0 && n->addr.family == family && n->lladdr[0] &&
	       !(n->state & (NUD_FAILED | NUD_INCOMPLETE | NUD_NOARP));
}

int engine_diag_arp(struct engine *eng, const struct circuit *c, const struct peering *p, enum link_side side,
		    struct diag_arp **ret, unsigned *ret_n, struct err *e)
{
	char ms_ns[NS_NAME_MAX], cust_ns[NS_NAME_MAX], ifname[IFNAMSIZ];
	struct neigh_info *ms = NULL, *cust = NULL;
	unsigned n_ms = 0, n_cust = 0, n = 0;
	const struct cidr *subnet = path_subnet(p, side);
	struct cidr ms_addr = cidr_host(subnet, 2);
	struct diag_arp *rows = NULL, *row;
	const char *ms_mac = "";
	int r;

	*ret = NULL;
	*ret_n = 0;
	names_ns(c, NS_MICROSOFT, ms_ns);
	names_ns(c, NS_CUSTOMER, cust_ns);
	names_plink(side, p->vlan_id, ifname);
	if ((r = engine_neighbors(eng, ms_ns, &ms, &n_ms, e)) < 0 ||
	    (r = engine_neighbors(eng, cust_ns, &cust, &n_cust, e)) < 0)
		goto out;
	if (!(rows = calloc(n_ms + 1, sizeof(*rows)))) {
		r = err_set(e, -ENOMEM, c->name, "out of memory");
		goto out;
	}
	/* On-Prem: what the Microsoft side has learnt on this link. */
	for (unsigned i = 0; i < n_ms; i++) {
		if (!neigh_usable(&ms[i], ifname, subnet->family))
			continue;
		row = &rows[n++];
		row->age_s = ms[i].age_s;
		cidr_addr_str(&ms[i].addr, row->ip, sizeof(row->ip));
		mac_dotted(ms[i].lladdr, row->mac);
	}
	/* Microsoft: its own address. link_info has no MAC yet, so take it from the customer's
	 * neighbour entry for it; blank until the customer side has resolved it. */
	for (unsigned i = 0; i < n_cust; i++)
		if (neigh_usable(&cust[i], ifname, subnet->family) &&
		    memcmp(cust[i].addr.addr, ms_addr.addr, subnet->family == AF_INET ? 4 : 16) == 0)
			ms_mac = cust[i].lladdr;
	row = &rows[n++];
	row->microsoft = true;
	cidr_addr_str(&ms_addr, row->ip, sizeof(row->ip));
	mac_dotted(ms_mac, row->mac);
	*ret = rows;
	*ret_n = n;
	rows = NULL;
	r = 0;
out:
	free(rows);
	free(cust);
	free(ms);
	return r;
}

/* Cisco's up/down column: hh:mm:ss under a day, then 1d02h, then 8w4d. */
static void updown(time_t since, char *buf, size_t len)
{
	long t = since ? (long)(time(NULL) - since) : 0;

	if (t < 0)
		t = 0;
	if (t < 86400)
		snprintf(buf, len, "%02ld:%02ld:%02ld", t / 3600, t / 60 % 60, t % 60);
	else if (t < 7 * 86400)
		snprintf(buf, len, "%ldd%02ldh", t / 86400, t / 3600 % 24);
	else
		snprintf(buf, len, "%ldw%ldd", t / (7 * 86400), t / 86400 % 7);
}

int engine_diag_summary(struct engine *eng, const struct circuit *c, const struct peering *p, enum link_side side,
			struct diag_summary **ret, unsigned *ret_n, struct err *e)
{
	struct bird_session *ss = NULL;
	struct diag_summary *rows = NULL;
	unsigned n = 0, k = 0;
	char name[64];
	int r;

	*ret = NULL;
	*ret_n = 0;
	bird_session_name(p->type, side, !peering_has_v4(p), name, sizeof(name));
	if ((r = engine_bgp_sessions(eng, c, NS_MICROSOFT, &ss, &n, e)) < 0)
		return r == -ENOENT ? 0 : r;
	if (n && !(rows = calloc(n, sizeof(*rows)))) {
		free(ss);
		return err_set(e, -ENOMEM, c->name, "out of memory");
	}
	for (unsigned i = 0; i < n; i++) {
		const struct bird_session *s = &ss[i];
		struct diag_summary *row;

		if (strcmp(s->name, name) != 0)
			continue;
		row = &rows[k++];
		cidr_addr_str(&s->neighbor, row->neighbor, sizeof(row->neighbor));
		row->v = s->neighbor.family == AF_INET6 ? 6 : 4;
		row->as = s->neighbor_as;
		updown(s->since_s, row->up_down, sizeof(row->up_down));
		if (strcmp(s->state, "Established") == 0)
			snprintf(row->state_pfx_rcd, sizeof(row->state_pfx_rcd), "%u", s->imported);
		else
			snprintf(row->state_pfx_rcd, sizeof(row->state_pfx_rcd), "%s", s->state);
	}
	free(ss);
	*ret = rows;
	*ret_n = k;
	return 0;
}

int engine_diag_routes(struct engine *eng, const struct circuit *c, const struct peering *p, enum link_side side,
		       struct diag_route **ret, unsigned *ret_n, struct err *e)
{
	struct bird_route *rs = NULL;
	struct diag_route *rows = NULL;
	unsigned n = 0;
	char name[64];
	int r;

	*ret = NULL;
	*ret_n = 0;
	bird_session_name(p->type, side, !peering_has_v4(p), name, sizeof(name));
	if ((r = engine_bgp_routes(eng, c, name, &rs, &n, e)) < 0)
		return r == -ENOENT ? 0 : r;
	if (n && !(rows = calloc(n, sizeof(*rows)))) {
		free(rs);
		return err_set(e, -ENOMEM, c->name, "out of memory");
	}
	for (unsigned i = 0; i < n; i++) {
		cidr_str(&rs[i].network, rows[i].network, sizeof(rows[i].network));
		if (rs[i].next_hop.family)
			cidr_addr_str(&rs[i].next_hop, rows[i].next_hop, sizeof(rows[i].next_hop));
		if (rs[i].local_pref)
			snprintf(rows[i].loc_prf, sizeof(rows[i].loc_prf), "%u", rs[i].local_pref);
		rows[i].weight = rs[i].weight;
		snprintf(rows[i].path, sizeof(rows[i].path), "%s", rs[i].as_path);
	}
	free(rs);
	*ret = rows;
	*ret_n = n;
	return 0;
}

static const struct link_info *find_link(const struct link_info *v, unsigned n, const char *name)
{
	for (unsigned i = 0; i < n; i++)
		if (strcmp(v[i].name, name) == 0)
			return &v[i];
	return NULL;
}

int engine_diag_stats(struct engine *eng, const struct circuit *c, int type, struct diag_stats *ret, struct err *e)
{
	char ms_ns[NS_NAME_MAX];
	struct link_info *links = NULL;
	unsigned n = 0;
	int r;

	memset(ret, 0, sizeof(*ret));
	names_ns(c, NS_MICROSOFT, ms_ns);
	if ((r = engine_links(eng, ms_ns, &links, &n, e)) < 0)
		return r;
	for (int t = 0; t < _ACCESS_MAX; t++) {
		const struct peering *p = &c->peerings[t];

		if ((type >= 0 && t != type) || !c->peering_present[t])
			continue;
		for (int side = 0; side < _LINK_MAX; side++) {
			char ifname[IFNAMSIZ];
			const struct link_info *li;

			names_plink((enum link_side)side, p->vlan_id, ifname);
			if (!(li = find_link(links, n, ifname))) {
				err_set(e, -ENOENT, NULL, "%s/%s: the %s peering's link is not in the kernel", ms_ns,
					ifname, access_type_lower((enum access_type)t));
				err_detail(e, "state and kernel disagree; `erlab status %s` shows the difference", c->name);
				/* A vanished kernel object is the system's failure, not a missing resource. */
				e->errnum = -EIO;
				free(links);
				return -EIO;
			}
			/* In = received from the customer, on the Microsoft side's link. */
			ret->bytes[side][0] += li->rx_bytes;
			ret->bytes[side][1] += li->tx_bytes;
		}
	}
	free(links);
	return 0;
}
