/* SPDX-License-Identifier: MIT */
/*
 * The diagnostic cmdlets (docs/bgp.md, "Status and diagnostics"): ARP info and link counters read from the kernel
 * objects of a peering; route tables from BIRD. The values are the engine's rows (src/engine/diag.c),
 * which `erlab serve` answers too.
 *
 * The ARP and route tables are the MSEE's own text (a title, a blank line, columns right-aligned
 * in fields of 16 then 20 characters); the column row appears only when the peering exists, and
 * a missing peering prints the title alone, as the troubleshooting guide shows. Route tables
 * come from the Microsoft edge's BIRD when the circuit runs one. Stats is a
 * PowerShell table (cmdlet_table).
 */
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/cli.h"
#include "cli/cmdlet.h"
#include "core/format.h"
#include "core/guid.h"
#include "core/psargs.h"

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

static void arp_row(FILE *f, const struct diag_arp *a)
{
	fprintf(f, "%16" PRIu32 "%20s%20s%20s\n", a->age_s, a->microsoft ? "Microsoft" : "On-Prem", a->ip, a->mac);
}

int cmdlet_diag_arp(struct cli *x, const struct ps_call *call)
{
	struct diag_arp *rows = NULL;
	const struct peering *p;
	unsigned n = 0;
	struct diag d;
	struct err e = { 0 };
	int r;

	if ((r = diag_begin(x, call, &d)) != 0)
		goto out;
	fputs("ARP Info:\n\n", x->out);
	if (!(p = diag_peering(&d)))
		goto out;
	if ((r = engine_diag_arp(x->eng, &d.c, p, d.side, &rows, &n, &e)) < 0) {
		r = cmdlet_fail(x, call->cmdlet, &e);
		goto out;
	}
	fprintf(x->out, "%16s%20s%20s%20s\n", "Age", "Interface", "IpAddress", "MacAddress");
	for (unsigned i = 0; i < n; i++)
		arp_row(x->out, &rows[i]);
	r = 0;
out:
	free(rows);
	circuit_clear(&d.c);
	return r;
}

/*
 * The rows come from the Microsoft edge's BIRD (when the circuit runs one): the session of this
 * peering on the chosen link, and the routes it imported. Without BIRD the table has no rows.
 */
static int route_table(struct cli *x, const struct ps_call *call, bool summary, const char *const cols[5])
{
	struct diag_summary *ss = NULL;
	struct diag_route *rs = NULL;
	unsigned n = 0;
	const struct peering *p;
	struct diag d;
	int r;

	if ((r = diag_begin(x, call, &d)) != 0)
		goto out;
	fprintf(x->out, "%s\n\n", summary ? "Route Table Summary:" : "Route Table Info:");
	if (!(p = diag_peering(&d)))
		goto out;
	fprintf(x->out, "%16s%20s%20s%20s%20s\n", cols[0], cols[1], cols[2], cols[3], cols[4]);
	if (summary) {
		if (engine_diag_summary(x->eng, &d.c, p, d.side, &ss, &n, NULL) < 0)
			goto out;
		for (unsigned i = 0; i < n; i++)
			fprintf(x->out, "%16s%20u%20u%20s%20s\n", ss[i].neighbor, ss[i].v, ss[i].as, ss[i].up_down,
				ss[i].state_pfx_rcd);
		goto out;
	}
	if (engine_diag_routes(x->eng, &d.c, p, d.side, &rs, &n, NULL) < 0)
		goto out;
	for (unsigned i = 0; i < n; i++)
		fprintf(x->out, "%16s%20s%20s%20u%20s\n", rs[i].network, rs[i].next_hop, rs[i].loc_prf, rs[i].weight,
			rs[i].path);
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

/*
 * The counters of one peering; without -AccessType, the sum over the circuit's peerings (zero when
 * it has none), as the module computes it.
 */
int cmdlet_diag_stats(struct cli *x, const struct ps_call *call)
{
	static const char *const headers[] = { "PrimaryBytesIn", "PrimaryBytesOut", "SecondaryBytesIn",
					       "SecondaryBytesOut" };
	char nums[4][24], msg[256];
	const char *cells[4];
	struct diag_stats st;
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
	if ((r = engine_diag_stats(x->eng, &d.c, all ? -1 : (int)d.type, &st, &e)) < 0) {
		r = cmdlet_fail(x, call->cmdlet, &e);
		goto out;
	}
	for (int i = 0; i < 4; i++) {
		snprintf(nums[i], sizeof(nums[i]), "%" PRIu64, st.bytes[i / 2][i % 2]);
		cells[i] = nums[i];
	}
	format_ps_table(x->out, headers, NULL, 4, cells, 1, 0xf);
	r = 0;
out:
	circuit_clear(&d.c);
	return r;
}
