/* SPDX-License-Identifier: MIT */
#include "core/bird_conf.h"

#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/attach.h"
#include "core/names.h"
#include "core/validate.h"

/* Reference §5.1: fixed on the Microsoft side. */
#define MSEE_HOLD_S 180
#define MSEE_KEEPALIVE_S 60

/* Not routable on the Internet: Public peering refuses them (docs/bgp.md, "Import and export"), and the default route. */
static const char *const public_reject4 =
	"0.0.0.0/0, 0.0.0.0/8+, 10.0.0.0/8+, 100.64.0.0/10+, 127.0.0.0/8+, 169.254.0.0/16+, "
	"172.16.0.0/12+, 192.0.0.0/24+, 192.0.2.0/24+, 192.168.0.0/16+, 198.18.0.0/15+, "
	"198.51.100.0/24+, 203.0.113.0/24+, 224.0.0.0/4+, 240.0.0.0/4+";
static const char *const public_reject6 = "2001:db8::/32+";
static const char *const public_accept6 = "2000::/3+";

struct gen {
	const struct circuit *c;
	FILE *f;
	struct err *e;
	char what[160];
};

int bird_conf_check_path(const char *path)
{
	const unsigned char *s = (const unsigned char *)path;

	if (!path || path[0] != '/' || strlen(path) >= 4096)
		return -EINVAL;
	for (; *s; s++)
		if (*s < 0x20 || *s == 0x7f || *s == '"' || *s == '\\')
			return -EINVAL;
	return 0;
}

/*
 * A BGP password BIRD will see exactly as given: docs/rules.md's alphabet, which needs no quoting.
 * Read through a bounded copy: a field without its terminator is refused (as too long), never
 * read past.
 */
static int check_key(struct gen *g, const char *key)
{
	char k[SHARED_KEY_MAX + 2];

	snprintf(k, sizeof(k), "%.*s", SHARED_KEY_MAX + 1, key);
	return validate_shared_key(k, g->what, g->e);
}

static bool cidr_sane(const struct cidr *c)
{
	if (c->family == AF_INET)
		return c->prefixlen <= 32;
	if (c->family == AF_INET6)
		return c->prefixlen <= 128;
	return false;
}

static bool is_subnet(const struct cidr *c)
{
	if (!cidr_sane(c) || !cidr_is_network(c))
		return false;
	return c->family == AF_INET ? c->prefixlen == 30 : c->prefixlen == 126;
}

/* A usable eBGP neighbour AS: never 0, AS_TRANS's 32-bit twin or our own (that would be iBGP). */
static bool asn_ok(uint32_t asn)
{
	return asn != 0 && asn != UINT32_MAX && asn != AZURE_ASN;
}

static int fail(struct gen *g, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static int fail(struct gen *g, const char *fmt, ...)
{
	va_list ap;
	int r;

	va_start(ap, fmt);
	r = err_vset(g->e, -EINVAL, g->what, fmt, ap);
	va_end(ap);
	return r;
}

const char *bird_session_name(enum access_type t, enum link_side side, bool v6, char *buf, unsigned len)
{
	snprintf(buf, len, "%s_%s%s", access_type_lower(t), link_side_name(side), v6 ? "_v6" : "");
	return buf;
}

int bird_session_parse(const char *name, enum access_type *ret_t, enum link_side *ret_side, bool *ret_v6)
{
	char buf[64];

	for (enum access_type t = 0; t < _ACCESS_MAX; t++)
		for (enum link_side side = 0; side < _LINK_MAX; side++)
			for (int v6 = 0; v6 < 2; v6++)
				if (strcmp(name, bird_session_name(t, side, v6, buf, sizeof(buf))) == 0) {
					*ret_t = t;
					*ret_side = side;
					*ret_v6 = v6;
					return 0;
				}
	return -EINVAL;
}

uint32_t bird_msee_limit(const struct circuit *c, enum access_type t, bool v6)
{
	if (t != ACCESS_PRIVATE)
		return 200;
	if (v6)
		return 100;
	return c->sku == SKU_PREMIUM ? PREMIUM_ROUTES_MAX : STANDARD_ROUTES_MAX;
}

/* FNV-1a: a router id that stays the same for the life of the circuit's key. */
static uint32_t key_hash(const struct circuit *c)
{
	const char *s = c->service_key[0] ? c->service_key : c->name;
	uint32_t h = 2166136261u;

	for (; *s; s++) {
		h ^= (unsigned char)*s;
		h *= 16777619u;
	}
	return h;
}

static void router_id(const struct circuit *c, const struct cidr *given, uint32_t host, uint8_t net2,
		      char buf[CIDR_STRLEN])
{
	uint32_t h;
	int t;

	if (given->family == AF_INET) {
		cidr_addr_str(given, buf, CIDR_STRLEN);
		return;
	}
	for (t = 0; t < _ACCESS_MAX; t++) {
		const struct peering *p = &c->peerings[t];

		if (c->peering_present[t] && peering_has_v4(p)) {
			struct cidr a = cidr_host(&p->primary4, host);

			cidr_addr_str(&a, buf, CIDR_STRLEN);
			return;
		}
	}
	h = key_hash(c);
	snprintf(buf, CIDR_STRLEN, "10.%u.%u.%u", net2, (h >> 8) & 0xff, h & 0xff);
}

void bird_customer_router_id(const struct circuit *c, char buf[CIDR_STRLEN])
{
	const struct cidr none = { 0 };

	router_id(c, &none, 1, 254, buf);
}

/* Everything about the circuit that lands in either config, checked before the first byte is written. */
static int check_circuit(struct gen *g)
{
	const struct circuit *c = g->c;
	int t;

	if (names_check_circuit(c->name) < 0) {
		snprintf(g->what, sizeof(g->what), "circuit");
		return fail(g, "name is not a valid circuit name");
	}
	for (t = 0; t < _ACCESS_MAX; t++) {
		const struct peering *p = &c->peerings[t];
		unsigned i;

		if (!c->peering_present[t])
			continue;
		snprintf(g->what, sizeof(g->what), "%s %s peering", c->name, access_type_lower(t));
		if (!asn_ok(p->peer_asn))
			return fail(g, "peer_asn=%u cannot be used for an eBGP session with AS %u",
				    p->peer_asn, AZURE_ASN);
		if ((p->has & PEERING_HAS_SHARED_KEY) && p->shared_key[0] && check_key(g, p->shared_key) < 0)
			return -EINVAL;
		if (peering_has_v4(p) && (!is_subnet(&p->primary4) || p->primary4.family != AF_INET ||
					  !is_subnet(&p->secondary4) || p->secondary4.family != AF_INET))
			return fail(g, "IPv4 peer subnets are not /30 network addresses");
		if (peering_has_v6(p) && (!is_subnet(&p->primary6) || p->primary6.family != AF_INET6 ||
					  !is_subnet(&p->secondary6) || p->secondary6.family != AF_INET6))
			return fail(g, "IPv6 peer subnets are not /126 network addresses");
		for (unsigned f = 0; f < _FAMILY_MAX; f++)
			for (i = 0; i < p->ms[f].n_prefixes; i++)
				if (!cidr_sane(&p->ms[f].prefixes[i]) || !cidr_is_network(&p->ms[f].prefixes[i]) ||
				    p->ms[f].prefixes[i].family != families[f].af)
					return fail(g, "advertised %s prefix %u is not a network address of that family",
						    families[f].name, i + 1);
	}
	return 0;
}

/*
 * Starts g for c and checks what both configs need. Callers open the stream (open_gen) only after
 * every check has passed, so a refusal has nothing to undo.
 */
static int check_common(struct gen *g, const struct circuit *c, struct err *e, const char *log_path,
			const struct cidr *rid)
{
	memset(g, 0, sizeof(*g));
	g->c = c;
	g->e = e;
	snprintf(g->what, sizeof(g->what), "%s BIRD config", g->c->name[0] ? g->c->name : "circuit");
	if (log_path && bird_conf_check_path(log_path) < 0)
		return fail(g, "log path is not an absolute path without quotes, backslashes or control characters");
	if (rid->family != 0 && (rid->family != AF_INET || !cidr_sane(rid)))
		return fail(g, "router id is not an IPv4 address");
	return check_circuit(g);
}

static void put_head(struct gen *g, const char *role, const char *log_path, const char *rid)
{
	fprintf(g->f, "# erlab: %s of circuit %s. Generated: edits are overwritten.\n", role, g->c->name);
	if (log_path)
		fprintf(g->f, "log \"%s\" all;\n", log_path);
	else
		fprintf(g->f, "log stderr all;\n");
	fprintf(g->f, "router id %s;\n", rid);
	/* Unambiguous "since" for erlab's RouteTableSummary. */
	fprintf(g->f, "timeformat protocol iso long;\n\nprotocol device {\n}\n");
}

/* Learnt routes into the namespace's main table, over both links at once when they are equal. */
static void put_kernel(struct gen *g, bool v6)
{
	const char *fam = v6 ? "ipv6" : "ipv4";

	fprintf(g->f, "\nprotocol kernel kernel%c {\n"
		"\t%s {\n\t\timport none;\n\t\texport where source = RTS_BGP;\n\t};\n"
		"\tlearn off;\n\tpersist off;\n\tmerge paths on;\n}\n",
		v6 ? '6' : '4', fam);
}

static bool any_v6(const struct circuit *c)
{
	unsigned i, j;
	int t;

	for (i = 0; i < c->n_vnets; i++)
		for (j = 0; j < c->vnets[i].n_spaces; j++)
			if (c->vnets[i].spaces[j].family == AF_INET6)
				return true;

	for (t = 0; t < _ACCESS_MAX; t++)
		if (c->peering_present[t] && peering_has_v6(&c->peerings[t]))
			return true;
	return false;
}

/* A prefix set body "a/len+, b/len+" of one family; plus = also every more specific. */
static void put_set(FILE *f, const struct cidr *v, unsigned n, int family, bool plus)
{
	char buf[CIDR_STRLEN];
	bool first = true;
	unsigned i;

	for (i = 0; i < n; i++) {
		if (v[i].family != family)
			continue;
		fprintf(f, "%s%s%s", first ? "" : ", ", cidr_str(&v[i], buf, sizeof(buf)), plus ? "+" : "");
		first = false;
	}
}

static const struct bird_vnet_hop *find_hop(const struct bird_msee_opts *o, const char *vnet)
{
	unsigned i;

	for (i = 0; i < o->n_hops; i++)
		if (o->hops[i].vnet && strcmp(o->hops[i].vnet, vnet) == 0)
			return &o->hops[i];
	return NULL;
}

static bool seen_before(const struct circuit *c, unsigned vi, unsigned si)
{
	unsigned i, j;

	for (i = 0; i <= vi; i++)
		for (j = 0; j < (i == vi ? si : c->vnets[i].n_spaces); j++)
			if (cidr_equal(&c->vnets[i].spaces[j], &c->vnets[vi].spaces[si]))
				return true;
	return false;
}

static int check_vnets(struct gen *g, const struct bird_msee_opts *o)
{
	const struct circuit *c = g->c;
	unsigned i, j;

	for (i = 0; i < o->n_hops; i++) {
		const struct bird_vnet_hop *h = &o->hops[i];

		snprintf(g->what, sizeof(g->what), "%s VNet next hop %u", c->name, i + 1);
		if ((h->via4.family && h->via4.family != AF_INET) || (h->via6.family && h->via6.family != AF_INET6))
			return fail(g, "next hop of the wrong address family");
	}
	for (i = 0; i < c->n_vnets; i++) {
		const struct vnet *v = &c->vnets[i];

		snprintf(g->what, sizeof(g->what), "%s VNet", c->name);
		/* Also what makes "to-<vnet>" safe inside quotes. */
		if (names_check_vnet(v->name) < 0)
			return fail(g, "name is not a valid VNet name");
		snprintf(g->what, sizeof(g->what), "%s VNet %s", c->name, v->name);
		for (j = 0; j < v->n_spaces; j++)
			if (!cidr_sane(&v->spaces[j]) || !cidr_is_network(&v->spaces[j]))
				return fail(g, "address space %u is not a network address", j + 1);
	}
	return 0;
}

static void put_vnets(struct gen *g, const struct bird_msee_opts *o, bool v6)
{
	const struct circuit *c = g->c;
	int family = v6 ? AF_INET6 : AF_INET;
	unsigned i, j;

	fprintf(g->f, "\n# Linked VNets' address spaces, advertised over private peering.\n"
		"protocol static vnets%c {\n\t%s;\n", v6 ? '6' : '4', v6 ? "ipv6" : "ipv4");
	for (i = 0; i < c->n_vnets; i++) {
		const struct vnet *v = &c->vnets[i];
		const struct bird_vnet_hop *h = find_hop(o, v->name);

		for (j = 0; j < v->n_spaces; j++) {
			char net[CIDR_STRLEN], via[CIDR_STRLEN];

			if (v->spaces[j].family != family || seen_before(c, i, j))
				continue;
			const struct cidr *hop = !h ? NULL : v6 ? &h->via6 : &h->via4;

			cidr_str(&v->spaces[j], net, sizeof(net));
			if (hop && hop->family == family)
				fprintf(g->f, "\troute %s via %s;\t# %s\n", net, cidr_addr_str(hop, via, sizeof(via)),
					v->name);
			else
				fprintf(g->f, "\troute %s via \"to-%s\";\n", net, v->name);
		}
	}
	fprintf(g->f, "}\n");
}

static void put_msee_filters(struct gen *g)
{
	const struct peering *m = &g->c->peerings[ACCESS_MICROSOFT];
	FILE *f = g->f;

	if (g->c->peering_present[ACCESS_MICROSOFT]) {
		fprintf(f, "\n# Microsoft peering accepts only AdvertisedPublicPrefixes (and more specifics).\n");
		fprintf(f, "filter microsoft_in4 {\n\tif net ~ [ ");
		put_set(f, m->ms[FAMILY_V4].prefixes, m->ms[FAMILY_V4].n_prefixes, AF_INET, true);
		fprintf(f, " ] then accept;\n\treject;\n}\n");
		fprintf(f, "filter microsoft_in6 {\n\tif net ~ [ ");
		put_set(f, m->ms[FAMILY_V6].prefixes, m->ms[FAMILY_V6].n_prefixes, AF_INET6, true);
		fprintf(f, " ] then accept;\n\treject;\n}\n");
	}
	if (g->c->peering_present[ACCESS_PUBLIC]) {
		fprintf(f, "\n# Public peering accepts public prefixes only, never a default route.\n");
		fprintf(f, "filter public_in4 {\n\tif net ~ [ %s ] then reject;\n\taccept;\n}\n", public_reject4);
		fprintf(f, "filter public_in6 {\n\tif net ~ [ %s ] then reject;\n\tif net ~ [ %s ] then accept;\n"
			"\treject;\n}\n", public_reject6, public_accept6);
	}
}

/* A session's timers beyond hold and keepalive: BIRD's own, or a lab's (bird_conf.h, lab_timers). */
static void put_timers(struct gen *g, bool lab, uint32_t error_wait_s)
{
	if (lab)
		fprintf(g->f, "\tconnect delay time %d;\n\tconnect retry time %d;\n", BIRD_LAB_CONNECT_DELAY_S,
			BIRD_LAB_CONNECT_RETRY_S);
	if (error_wait_s)
		fprintf(g->f, "\terror wait time %u, %u;\n", error_wait_s, error_wait_s);
	else if (lab)
		fprintf(g->f, "\terror wait time %d, %d;\n", BIRD_LAB_ERROR_WAIT_MIN_S, BIRD_LAB_ERROR_WAIT_MAX_S);
}

/*
 * A session's opening lines, from "protocol bgp <name> {" to the password: the same on both ends,
 * mirrored (the MSEE is host 2 of each peer subnet, the customer host 1). disabled_why: NULL, or
 * why the session is written disabled.
 */
static void put_session_head(struct gen *g, enum access_type t, enum link_side side, bool v6, bool msee,
			     const char *disabled_why)
{
	const struct peering *p = &g->c->peerings[t];
	const struct cidr *net = peering_subnet(p, subnet_slot_of(side, v6));
	struct cidr ms = cidr_host(net, 2), cust = cidr_host(net, 1);
	char name[32], a_me[CIDR_STRLEN], a_peer[CIDR_STRLEN];

	fprintf(g->f, "\nprotocol bgp %s {\n", bird_session_name(t, side, v6, name, sizeof(name)));
	fprintf(g->f, "\tdescription \"%s peering, %s link\";\n", access_type_name(t), link_side_name(side));
	if (disabled_why)
		fprintf(g->f, "\tdisabled;\t# %s\n", disabled_why);
	fprintf(g->f, "\tlocal %s as %u;\n", cidr_addr_str(msee ? &ms : &cust, a_me, sizeof(a_me)),
		msee ? AZURE_ASN : p->peer_asn);
	fprintf(g->f, "\tneighbor %s as %u;\n", cidr_addr_str(msee ? &cust : &ms, a_peer, sizeof(a_peer)),
		msee ? p->peer_asn : AZURE_ASN);
	if ((p->has & PEERING_HAS_SHARED_KEY) && p->shared_key[0])
		fprintf(g->f, "\tpassword \"%s\";\n", p->shared_key);
}

bool bird_session_enabled(const struct circuit *c, enum access_type t, bool v6)
{
	const struct peering *p = &c->peerings[t];

	/* Each family's sessions wait on that family's prefix validation. */
	return p->enabled && (t != ACCESS_MICROSOFT || p->ms[v6 ? FAMILY_V6 : FAMILY_V4].prefix_state == PREFIX_CONFIGURED);
}

static void put_msee_session(struct gen *g, const struct bird_msee_opts *o, enum access_type t,
			     enum link_side side, bool v6)
{
	const struct peering *p = &g->c->peerings[t];
	bool on = bird_session_enabled(g->c, t, v6);
	uint32_t limit = o->limit ? o->limit : bird_msee_limit(g->c, t, v6);
	char fam = v6 ? '6' : '4';

	put_session_head(g, t, side, v6, true,
			 on ? NULL
			    : p->enabled ? "AdvertisedPublicPrefixesState is not Configured" : "peering State is Disabled");
	fprintf(g->f, "\thold time %d;\n\tkeepalive time %d;\n", MSEE_HOLD_S, MSEE_KEEPALIVE_S);
	put_timers(g, o->lab_timers, o->error_wait_s);
	fprintf(g->f, "\t%s {\n", v6 ? "ipv6" : "ipv4");
	/* Filtered routes count too: the limit is on what the customer advertises (docs/bgp.md, "Prefix limits"). */
	fprintf(g->f, "\t\timport keep filtered on;\n\t\treceive limit %u action restart;\n", limit);
	if (t == ACCESS_PRIVATE)
		fprintf(g->f, "\t\timport all;\n\t\texport where proto = \"vnets%c\";\n", fam);
	else
		fprintf(g->f, "\t\timport filter %s_in%c;\n\t\texport none;\n", access_type_lower(t), fam);
	fprintf(g->f, "\t};\n}\n");
}

/* open_memstream updates *bufp only on fflush/fclose: read it after closing. */
static int finish(struct gen *g, char **bufp, char **ret_text)
{
	if (fclose(g->f) != 0) {
		free(*bufp);
		return err_set(g->e, -ENOMEM, "BIRD config", "out of memory");
	}
	*ret_text = *bufp;
	return 0;
}

static int open_gen(struct gen *g, char **buf, size_t *len)
{
	*buf = NULL;
	g->f = open_memstream(buf, len);
	if (!g->f)
		return err_set(g->e, -ENOMEM, "BIRD config", "out of memory");
	return 0;
}

int bird_conf_msee(const struct circuit *c, const struct bird_msee_opts *o, char **ret_text, struct err *e)
{
	struct bird_msee_opts none = { 0 };
	char rid[CIDR_STRLEN], *buf;
	struct gen g;
	size_t len;
	int r, t, s;
	bool v6;

	*ret_text = NULL;
	if (!o)
		o = &none;
	if ((r = check_common(&g, c, e, o->log_path, &o->router_id)) < 0 || (r = check_vnets(&g, o)) < 0 ||
	    (r = open_gen(&g, &buf, &len)) < 0)
		return r;
	v6 = any_v6(c);
	router_id(c, &o->router_id, 2, 255, rid);
	put_head(&g, "Microsoft edge (MSEE, AS 12076)", o->log_path, rid);
	put_kernel(&g, false);
	if (v6)
		put_kernel(&g, true);
	put_vnets(&g, o, false);
	if (v6)
		put_vnets(&g, o, true);
	put_msee_filters(&g);
	for (t = 0; t < _ACCESS_MAX; t++) {
		if (!c->peering_present[t])
			continue;
		for (s = 0; s < _LINK_MAX; s++) {
			if (peering_has_v4(&c->peerings[t]))
				put_msee_session(&g, o, t, s, false);
			if (peering_has_v6(&c->peerings[t]))
				put_msee_session(&g, o, t, s, true);
		}
	}
	return finish(&g, &buf, ret_text);
}

/* What the customer advertises on one peering type: Microsoft defaults to its AdvertisedPublicPrefixes. */
static const struct cidr *adv_list(const struct circuit *c, const struct bird_customer_opts *o,
				   enum access_type t, bool v6, unsigned *ret_n)
{
	const struct ms_config *m = &c->peerings[t].ms[v6 ? FAMILY_V6 : FAMILY_V4];

	if (o->n_adv[t] || t != ACCESS_MICROSOFT) {
		*ret_n = o->n_adv[t];
		return o->adv[t];
	}
	*ret_n = m->n_prefixes;
	return m->prefixes;
}

static bool adv_seen(const struct circuit *c, const struct bird_customer_opts *o, int t, bool v6, unsigned i)
{
	const struct cidr *v, *cur;
	unsigned n, j;
	int u;

	cur = &adv_list(c, o, t, v6, &n)[i];
	for (u = 0; u <= t; u++) {
		if (!c->peering_present[u])
			continue;
		v = adv_list(c, o, u, v6, &n);
		for (j = 0; j < (u == t ? i : n); j++)
			if (cidr_equal(&v[j], cur))
				return true;
	}
	return false;
}

static int check_adv(struct gen *g, const struct bird_customer_opts *o)
{
	int t;

	snprintf(g->what, sizeof(g->what), "%s customer router", g->c->name);

	for (t = 0; t < _ACCESS_MAX; t++) {
		for (int v6 = 0; v6 < 2; v6++) {
			const struct cidr *v;
			unsigned n, i;

			v = adv_list(g->c, o, t, v6, &n);
			if (n && !v)
				return fail(g, "no prefixes given for %s peering", access_type_lower(t));
			for (i = 0; i < n; i++)
				if (!cidr_sane(&v[i]) || !cidr_is_network(&v[i]))
					return fail(g, "customer prefix %u for %s peering is not a network address",
						    i + 1, access_type_lower(t));
		}
	}
	return 0;
}

/* One static protocol per family holding every advertised prefix once; filters pick per peering. */
static void put_adv(struct gen *g, const struct bird_customer_opts *o, bool v6)
{
	int family = v6 ? AF_INET6 : AF_INET, t;

	fprintf(g->f, "\n# What this router advertises (blackholes exist only to be exported).\n"
		"protocol static adv%c {\n\t%s;\n", v6 ? '6' : '4', v6 ? "ipv6" : "ipv4");
	for (t = 0; t < _ACCESS_MAX; t++) {
		const struct cidr *v;
		unsigned n, i;

		if (!g->c->peering_present[t])
			continue;
		v = adv_list(g->c, o, t, v6, &n);
		for (i = 0; i < n; i++) {
			char buf[CIDR_STRLEN];

			if (v[i].family == family && !adv_seen(g->c, o, t, v6, i))
				fprintf(g->f, "\troute %s blackhole;\n", cidr_str(&v[i], buf, sizeof(buf)));
		}
	}
	fprintf(g->f, "}\n");
	for (t = 0; t < _ACCESS_MAX; t++) {
		const struct cidr *v;
		unsigned n;

		if (!g->c->peering_present[t])
			continue;
		v = adv_list(g->c, o, t, v6, &n);
		fprintf(g->f, "filter %s_out%c {\n\tif source = RTS_STATIC && net ~ [ ", access_type_lower(t),
			v6 ? '6' : '4');
		put_set(g->f, v, n, family, false);
		fprintf(g->f, " ] then accept;\n\treject;\n}\n");
	}
}

static void put_customer_session(struct gen *g, const struct bird_customer_opts *o, enum access_type t,
				 enum link_side side, bool v6)
{
	put_session_head(g, t, side, v6, false, NULL);
	/* Over a tunnel to another host a link down drops no carrier at the far end: erlab's customer
	 * router proposes short timers, and the session takes the smaller hold time of both ends, so
	 * either host sees the link fail within it (docs/DECISIONS.md, "Beyond one machine"). */
	if (attach_kind_of(g->c) == ATTACH_REMOTE)
		fprintf(g->f, "\thold time %d;\n\tkeepalive time %d;\n", REMOTE_HOLD_S, REMOTE_KEEPALIVE_S);
	put_timers(g, o->lab_timers, o->error_wait_s);
	fprintf(g->f, "\t%s {\n\t\timport all;\n\t\texport filter %s_out%c;\n\t};\n}\n", v6 ? "ipv6" : "ipv4",
		access_type_lower(t), v6 ? '6' : '4');
}

int bird_conf_customer(const struct circuit *c, const struct bird_customer_opts *o, char **ret_text,
		       struct err *e)
{
	struct bird_customer_opts none = { 0 };
	char rid[CIDR_STRLEN], *buf;
	struct gen g;
	size_t len;
	int r, t, s;
	bool v6;

	*ret_text = NULL;
	if (!o)
		o = &none;
	if ((r = check_common(&g, c, e, o->log_path, &o->router_id)) < 0 || (r = check_adv(&g, o)) < 0 ||
	    (r = open_gen(&g, &buf, &len)) < 0)
		return r;
	v6 = any_v6(c);
	router_id(c, &o->router_id, 1, 254, rid);
	put_head(&g, "customer router", o->log_path, rid);
	put_kernel(&g, false);
	put_adv(&g, o, false);
	if (v6) {
		put_kernel(&g, true);
		put_adv(&g, o, true);
	}
	for (t = 0; t < _ACCESS_MAX; t++) {
		if (!c->peering_present[t])
			continue;
		for (s = 0; s < _LINK_MAX; s++) {
			if (peering_has_v4(&c->peerings[t]))
				put_customer_session(&g, o, t, s, false);
			if (peering_has_v6(&c->peerings[t]))
				put_customer_session(&g, o, t, s, true);
		}
	}
	return finish(&g, &buf, ret_text);
}

int bird_paths_init(struct bird_paths *ret, const char *state_dir, const char *service_key, enum ns_role role,
		    struct err *e)
{
	const char *r = ns_role_name(role);
	char key[GUID_STRLEN];
	int len;

	memset(ret, 0, sizeof(*ret));
	if (bird_conf_check_path(state_dir) < 0)
		return err_set(e, -EINVAL, "state dir", "not an absolute path without quotes or control characters");
	/* The store's rule (canonical GUIDs only): one circuit, one set of file names. */
	if (guid_parse(service_key, key) < 0 || strcmp(key, service_key) != 0 || !r)
		return err_set(e, -EINVAL, "BIRD paths", "service key or role not usable in a file name");
	len = snprintf(ret->ctl, sizeof(ret->ctl), "%s/" BIRD_DIR_NAME "/%s-%s.ctl", state_dir, service_key, r);
	if (len < 0 || (size_t)len >= sizeof(ret->ctl))
		return err_set(e, -ENAMETOOLONG, state_dir,
			       "state dir too long for a BIRD control socket (at most %d bytes in all)",
			       BIRD_CTL_MAX - 1);
	/* The control socket path is the longest-constrained; the others fit whenever it does. */
	snprintf(ret->conf, sizeof(ret->conf), "%s/" BIRD_DIR_NAME "/%s-%s.conf", state_dir, service_key, r);
	snprintf(ret->pid, sizeof(ret->pid), "%s/" BIRD_DIR_NAME "/%s-%s.pid", state_dir, service_key, r);
	snprintf(ret->log, sizeof(ret->log), "%s/" BIRD_DIR_NAME "/%s-%s.log", state_dir, service_key, r);
	return 0;
}

int bird_paths_parse_conf(const char *conf, char ret_key[GUID_STRLEN], enum ns_role *ret_role)
{
	char dir[4096], key[GUID_STRLEN];
	const char *base, *up;
	struct bird_paths p;
	int role;

	/* Files sit two levels below the state dir and are named after the key: take those back out,
	 * then let bird_paths_init say whether it makes exactly this name. */
	base = strrchr(conf, '/');
	if (!base || base == conf)
		return -EINVAL;
	for (up = base - 1; up > conf && *up != '/'; up--)
		;
	if (up == conf || (size_t)(up - conf) >= sizeof(dir) || strlen(base + 1) < GUID_STRLEN)
		return -EINVAL;
	snprintf(dir, sizeof(dir), "%.*s", (int)(up - conf), conf);
	snprintf(key, sizeof(key), "%.*s", GUID_STRLEN - 1, base + 1);
	for (role = 0; role < _NS_MAX; role++) {
		if (bird_paths_init(&p, dir, key, role, NULL) < 0 || strcmp(p.conf, conf) != 0)
			continue;
		if (ret_key)
			memcpy(ret_key, key, GUID_STRLEN);
		if (ret_role)
			*ret_role = role;
		return 0;
	}
	return -EINVAL;
}
