/* SPDX-License-Identifier: MIT */
/*
 * The diagnostic cmdlets (docs/bgp.md, "Status and diagnostics"): ARP info and link counters read from the kernel
 * objects of a peering; route tables from BIRD.
 *
 * The ARP and route tables are the MSEE's own text (a title, a blank line, columns right-aligned
 * in fields of 16 then 20 characters); the column row appears only when the peering exists, and
 * a missing peering prints the title alone, as the troubleshooting guide shows. Route tables
 * come from the Microsoft edge's BIRD when the circuit runs one. Stats is a
 * PowerShell table (cmdlet_table).
 */
#include <errno.h>
#include <inttypes.h>
#include <linux/neighbour.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#include "cli/cli.h"
#include "cli/cmdlet.h"
#include "core/format.h"
#include "core/guid.h"
#include "core/names.h"
#include "core/psargs.h"
#include "core/bird_conf.h"

/* What every diagnostic needs: the circuit, the peering type and (for the tables) the path. */
struct diag {
	char key[GUID_STRLEN];
	enum access_type type;
	enum link_side side;
	struct circuit c;
};

/* The bound values (cli/cmdlet.c declares them; the binder has converted them) and the circuit. */
static int diag_begin(struct cli *x, const struct ps_call *call, struct diag *d)
{
	const char *type = ps_get(call, "AccessType"), *path = ps_get(call, "Path");

	circuit_init(&d->c);
	snprintf(d->key, sizeof(d->key), "%s", ps_get(call, "ServiceKey"));
	d->type = type ? access_type_from_string(type) : ACCESS_PRIVATE;
	d->side = path && strcmp(path, "Secondary") == 0 ? LINK_SECONDARY : LINK_PRIMARY;
	return cmdlet_circuit(x, call->cmdlet, d->key, &d->c);
}

static const struct peering *diag_peering(const struct diag *d)
{
	return d->c.peering_present[d->type] ? &d->c.peerings[d->type] : NULL;
}

/* The subnet of the chosen path, IPv4 when the peering has it. */
static const struct cidr *path_subnet(const struct peering *p, enum link_side side)
{
	return peering_subnet(p, subnet_slot_of(side, !peering_has_v4(p)));
}

/* "e8:ed:f3:35:4c:a9" -> "e8ed.f335.4ca9", as an MSEE (IOS) prints it. */
static const char *mac_dotted(const char *colon, char buf[16])
{
	unsigned j = 0;

	buf[0] = '\0';
	if (strlen(colon) != 17)
		return buf;
	for (unsigned i = 0; i < 17 && j < 14; i++) {
		if (colon[i] == ':')
			continue;
		buf[j++] = colon[i];
		if (j == 4 || j == 9)
			buf[j++] = '.';
	}
	buf[j] = '\0';
	return buf;
}

static bool neigh_usable(const struct neigh_info *n, const char *ifname, int family)
{
	return strcmp(n->ifname, ifname) == 0 && n->addr.family == family && n->lladdr[0] &&
	       !(n->state & (NUD_FAILED | NUD_INCOMPLETE | NUD_NOARP));
}

static void arp_row(FILE *f, uint32_t age, const char *iface, const struct cidr *addr, const char *lladdr)
{
	char ip[CIDR_STRLEN], mac[16];

	fprintf(f, "%16" PRIu32 "%20s%20s%20s\n", age, iface, cidr_addr_str(addr, ip, sizeof(ip)),
		mac_dotted(lladdr, mac));
}

int cmdlet_diag_arp(struct cli *x, const struct ps_call *call)
{
	const char *cmdlet = call->cmdlet;
	char ms_ns[NS_NAME_MAX], cust_ns[NS_NAME_MAX], ifname[IFNAMSIZ];
	struct neigh_info *ms = NULL, *cust = NULL;
	unsigned n_ms = 0, n_cust = 0, i;
	const struct peering *p;
	const struct cidr *subnet;
	struct cidr ms_addr;
	struct diag d;
	struct err e = { 0 };
	const char *ms_mac = "";
	int r;

	if ((r = diag_begin(x, call, &d)) != 0)
		goto out;
	fputs("ARP Info:\n\n", x->out);
	if (!(p = diag_peering(&d)))
		goto out;

	names_ns(&d.c, NS_MICROSOFT, ms_ns);
	names_ns(&d.c, NS_CUSTOMER, cust_ns);
	names_plink(d.side, p->vlan_id, ifname);
	subnet = path_subnet(p, d.side);
	ms_addr = cidr_host(subnet, 2);
	if ((r = engine_neighbors(x->eng, ms_ns, &ms, &n_ms, &e)) < 0 ||
	    (r = engine_neighbors(x->eng, cust_ns, &cust, &n_cust, &e)) < 0) {
		r = cmdlet_fail(x, cmdlet, &e);
		goto out;
	}

	fprintf(x->out, "%16s%20s%20s%20s\n", "Age", "Interface", "IpAddress", "MacAddress");
	/* On-Prem: what the Microsoft side has learnt on this link. */
	for (i = 0; i < n_ms; i++)
		if (neigh_usable(&ms[i], ifname, subnet->family))
			arp_row(x->out, ms[i].age_s, "On-Prem", &ms[i].addr, ms[i].lladdr);
	/* Microsoft: its own address. link_info has no MAC yet, so take it from the customer's
	 * neighbour entry for it; blank until the customer side has resolved it. */
	for (i = 0; i < n_cust; i++)
		if (neigh_usable(&cust[i], ifname, subnet->family) &&
		    memcmp(cust[i].addr.addr, ms_addr.addr, subnet->family == AF_INET ? 4 : 16) == 0)
			ms_mac = cust[i].lladdr;
	ms_addr.prefixlen = subnet->family == AF_INET ? 32 : 128;
	arp_row(x->out, 0, "Microsoft", &ms_addr, ms_mac);
	r = 0;
out:
	free(cust);
	free(ms);
	circuit_clear(&d.c);
	return r;
}

/* Cisco's up/down column: hh:mm:ss under a day, then 1d02h, then 8w4d. */
static const char *updown(time_t since, char *buf, size_t len)
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
	return buf;
}

/*
 * The rows come from the Microsoft edge's BIRD (when the circuit runs one): the session of this
 * peering on the chosen link, and the routes it imported. Without BIRD the table has no rows.
 */
static int route_table(struct cli *x, const struct ps_call *call, bool summary, const char *const cols[5])
{
	struct bird_session *ss = NULL;
	struct bird_route *rs = NULL;
	unsigned n = 0;
	char name[64], a[CIDR_STRLEN], b[CIDR_STRLEN], num[16], t[32];
	const struct peering *p;
	struct diag d;
	int r;

	if ((r = diag_begin(x, call, &d)) != 0)
		goto out;
	fprintf(x->out, "%s\n\n", summary ? "Route Table Summary:" : "Route Table Info:");
	if (!(p = diag_peering(&d)))
		goto out;
	fprintf(x->out, "%16s%20s%20s%20s%20s\n", cols[0], cols[1], cols[2], cols[3], cols[4]);
	bird_session_name(d.type, d.side, !peering_has_v4(p), name, sizeof(name));
	if (summary) {
		if (engine_bgp_sessions(x->eng, &d.c, NS_MICROSOFT, &ss, &n, NULL) < 0)
			goto out;
		for (unsigned i = 0; i < n; i++) {
			const struct bird_session *s = &ss[i];
			bool up = strcmp(s->state, "Established") == 0;

			if (strcmp(s->name, name) != 0)
				continue;
			snprintf(num, sizeof(num), "%u", s->imported);
			fprintf(x->out, "%16s%20s%20u%20s%20s\n", cidr_addr_str(&s->neighbor, a, sizeof(a)),
				s->neighbor.family == AF_INET6 ? "6" : "4", s->neighbor_as,
				updown(s->since_s, t, sizeof(t)), up ? num : s->state);
		}
		goto out;
	}
	if (engine_bgp_routes(x->eng, &d.c, name, &rs, &n, NULL) < 0)
		goto out;
	for (unsigned i = 0; i < n; i++) {
		snprintf(num, sizeof(num), "%u", rs[i].local_pref);
		fprintf(x->out, "%16s%20s%20s%20u%20s\n", cidr_str(&rs[i].network, a, sizeof(a)),
			rs[i].next_hop.family ? cidr_addr_str(&rs[i].next_hop, b, sizeof(b)) : "",
			rs[i].local_pref ? num : "", rs[i].weight, rs[i].as_path);
	}
out:
	free(ss);
	free(rs);
	circuit_clear(&d.c);
	return r;
}

int cmdlet_diag_route_summary(struct cli *x, const struct ps_call *call)
{
	static const char *const cols[5] = { "Neighbor", "V", "AS", "UpDown", "StatePfxRcd" };

	return route_table(x, call, true, cols);
}

int cmdlet_diag_route_info(struct cli *x, const struct ps_call *call)
{
	static const char *const cols[5] = { "Network", "NextHop", "LocPrf", "Weight", "Path" };

	return route_table(x, call, false, cols);
}

static const struct link_info *find_link(const struct link_info *v, unsigned n, const char *name)
{
	for (unsigned i = 0; i < n; i++)
		if (strcmp(v[i].name, name) == 0)
			return &v[i];
	return NULL;
}

/* One peering's Microsoft-side link counters added to sum[4]: In = received from the customer. */
static int add_counters(struct cli *x, const struct ps_call *call, const struct diag *d, enum access_type t,
			const struct link_info *links, unsigned n, uint64_t sum[4])
{
	const struct peering *p = &d->c.peerings[t];
	char ms_ns[NS_NAME_MAX];
	struct err e = { 0 };

	names_ns(&d->c, NS_MICROSOFT, ms_ns);
	for (int side = 0; side < _LINK_MAX; side++) {
		char ifname[IFNAMSIZ];
		const struct link_info *li;

		names_plink((enum link_side)side, p->vlan_id, ifname);
		if (!(li = find_link(links, n, ifname))) {
			err_set(&e, -ENOENT, NULL, "%s/%s: the %s peering's link is not in the kernel", ms_ns, ifname,
				access_type_lower(t));
			err_detail(&e, "state and kernel disagree; `erlab status %s` shows the difference", d->c.name);
			/* A vanished kernel object is the system's failure, not a missing resource. */
			e.errnum = -EIO;
			return cmdlet_fail(x, call->cmdlet, &e);
		}
		sum[2 * side] += li->rx_bytes;
		sum[2 * side + 1] += li->tx_bytes;
	}
	return 0;
}

/*
 * The counters of one peering; without -AccessType, the sum over the circuit's peerings (zero when
 * it has none), as the module computes it.
 */
int cmdlet_diag_stats(struct cli *x, const struct ps_call *call)
{
	static const char *const headers[] = { "PrimaryBytesIn", "PrimaryBytesOut", "SecondaryBytesIn",
					       "SecondaryBytesOut" };
	char ms_ns[NS_NAME_MAX], nums[4][24], msg[256];
	const char *cells[4];
	struct link_info *links = NULL;
	uint64_t sum[4] = { 0 };
	unsigned n = 0;
	bool all = !ps_get(call, "AccessType");
	struct diag d;
	struct err e = { 0 };
	int r;

	if ((r = diag_begin(x, call, &d)) != 0)
		goto out;
	if (!all && !diag_peering(&d)) {
		snprintf(msg, sizeof(msg), "Can not find any subinterface for peering type '%s' for circuit '%s' .",
			 access_type_name(d.type), d.key);
		r = cmdlet_fail_code(x, call->cmdlet, "ResourceNotFound", err_exit_code(-ENOENT), msg);
		goto out;
	}
	names_ns(&d.c, NS_MICROSOFT, ms_ns);
	if ((r = engine_links(x->eng, ms_ns, &links, &n, &e)) < 0) {
		r = cmdlet_fail(x, call->cmdlet, &e);
		goto out;
	}
	for (int t = 0; t < _ACCESS_MAX; t++) {
		if ((!all && t != (int)d.type) || !d.c.peering_present[t])
			continue;
		if ((r = add_counters(x, call, &d, (enum access_type)t, links, n, sum)) != 0)
			goto out;
	}
	for (int i = 0; i < 4; i++) {
		snprintf(nums[i], sizeof(nums[i]), "%" PRIu64, sum[i]);
		cells[i] = nums[i];
	}
	format_ps_table(x->out, headers, NULL, 4, cells, 1, 0xf);
	r = 0;
out:
	free(links);
	circuit_clear(&d.c);
	return r;
}
