/* SPDX-License-Identifier: MIT */
/* Where a circuit's customer side is: a namespace, bridges of this host, or another host (attach.h). */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "core/attach.h"

static bool ifname_ok(const char *s, size_t len)
{
	if (len == 0 || len >= IFNAMSIZ)
		return false;
	for (size_t i = 0; i < len; i++) {
		unsigned char ch = (unsigned char)s[i];

		if (ch <= ' ' || ch == '/' || ch == ':' || ch == ',' || ch >= 0x7f)
			return false;
	}
	return !(len == 1 && s[0] == '.') && !(len == 2 && s[0] == '.' && s[1] == '.');
}

int attach_parse(const char *text, struct attach *ret, struct err *e)
{
	memset(ret, 0, sizeof(*ret));
	if (!text[0] || strcmp(text, "ns") == 0)
		return 0;
	if (strncmp(text, "bridge:", 7) == 0) {
		const char *a = text + 7, *comma = strchr(a, ',');

		if (!comma || !ifname_ok(a, (size_t)(comma - a)) || !ifname_ok(comma + 1, strlen(comma + 1)))
			return err_set(e, -EINVAL, text, "not two bridge names (bridge:PRIMARY,SECONDARY, each 1-15 "
				       "characters, no blank, '/', ':' or ',')");
		snprintf(ret->bridge[LINK_PRIMARY], IFNAMSIZ, "%.*s", (int)(comma - a), a);
		snprintf(ret->bridge[LINK_SECONDARY], IFNAMSIZ, "%s", comma + 1);
		if (strcmp(ret->bridge[LINK_PRIMARY], ret->bridge[LINK_SECONDARY]) == 0)
			return err_set(e, -EINVAL, text, "the primary and secondary links need a bridge each");
		ret->kind = ATTACH_BRIDGE;
		return 0;
	}
	if (strncmp(text, "remote:", 7) == 0) {
		if (cidr_parse_addr(text + 7, &ret->remote) < 0)
			return err_set(e, -EINVAL, text, "not an address (remote:ADDRESS, IPv4 or IPv6, the customer "
				       "host's underlay address)");
		ret->kind = ATTACH_REMOTE;
		return 0;
	}
	return err_set(e, -EINVAL, text, "unknown customer side: use ns, bridge:PRIMARY,SECONDARY or remote:ADDRESS");
}

void attach_of(const struct circuit *c, struct attach *ret)
{
	if (attach_parse(c->customer, ret, NULL) < 0)
		memset(ret, 0, sizeof(*ret));
}

enum attach_kind attach_kind_of(const struct circuit *c)
{
	struct attach a;

	attach_of(c, &a);
	return a.kind;
}

enum place attach_place(const struct circuit *c, enum ns_role role)
{
	switch (attach_kind_of(c)) {
	case ATTACH_BRIDGE:
		return role == NS_CUSTOMER ? PLACE_HOST : PLACE_NS;
	case ATTACH_REMOTE:
		return (role == NS_CUSTOMER) == (c->side == SIDE_CUSTOMER) ? PLACE_NS : PLACE_NONE;
	case ATTACH_NS:
		break;
	}
	return PLACE_NS;
}

bool attach_ns_here(const struct circuit *c, enum ns_role role)
{
	return attach_place(c, role) == PLACE_NS;
}

uint32_t attach_vni_base(const struct circuit *c)
{
	uint32_t h = 2166136261u;

	if (c->vni_base)
		return c->vni_base;
	for (const char *s = c->name; *s; s++)
		h = (h ^ (unsigned char)*s) * 16777619u;
	return ATTACH_VNI_SPAN * (1 + h % 2046);
}

uint32_t attach_vni(const struct circuit *c, enum link_side side, uint16_t vlan)
{
	return attach_vni_base(c) + (uint32_t)side * 4096 + vlan;
}

void attach_tunnel_ends(const struct circuit *c, struct cidr *ret_local, struct cidr *ret_remote)
{
	struct attach a;
	struct cidr ms = { 0 };

	attach_of(c, &a);
	if (c->microsoft_address[0] && cidr_parse_addr(c->microsoft_address, &ms) < 0)
		memset(&ms, 0, sizeof(ms));
	if (c->side == SIDE_CUSTOMER) {
		*ret_local = a.remote;
		*ret_remote = ms;
	} else {
		*ret_local = ms;
		*ret_remote = a.remote;
	}
}

const char *attach_port_name(const struct circuit *c, enum link_side side, uint16_t vlan, char buf[IFNAMSIZ])
{
	if (vlan)
		snprintf(buf, IFNAMSIZ, "e%.8s%c%u", c->service_key, side == LINK_PRIMARY ? 'p' : 's', (unsigned)vlan);
	else
		snprintf(buf, IFNAMSIZ, "e%.8s%c", c->service_key, side == LINK_PRIMARY ? 'p' : 's');
	return buf;
}

int attach_check_customer(const char *v, const char *what, struct err *e)
{
	struct attach a;
	struct err pe = { 0 };

	(void)what;
	if (attach_parse(v, &a, &pe) < 0)
		return err_set(e, -EINVAL, what, "%s", pe.msg);
	return 0;
}

int attach_check_address(const char *v, const char *what, struct err *e)
{
	struct cidr c;

	if (cidr_parse_addr(v, &c) < 0)
		return err_set(e, -EINVAL, what, "not an IPv4 or IPv6 address");
	return 0;
}

int attach_check_ifname(const char *v, const char *what, struct err *e)
{
	if (!ifname_ok(v, strlen(v)))
		return err_set(e, -EINVAL, what, "not an interface name (1-15 characters, no blank, '/', ':' or ',')");
	return 0;
}

int attach_check_vni_base(uint32_t v, const char *what, struct err *e)
{
	if (v != 0 && v > ATTACH_VNI_MAX - (ATTACH_VNI_SPAN - 1))
		return err_set(e, -EINVAL, what, "VNI base out of range (1-%u, or 0: derived from the name)",
			       ATTACH_VNI_MAX - (ATTACH_VNI_SPAN - 1));
	return 0;
}

int attach_check_circuit(const struct circuit *c, struct err *e)
{
	struct attach a;
	struct cidr ms;

	attach_of(c, &a);
	if (a.kind != ATTACH_REMOTE && c->side == SIDE_CUSTOMER)
		return err_set(e, -EINVAL, c->name, "side customer: the customer side is not on another host "
			       "(customer = %s)", c->customer[0] ? c->customer : "ns");
	if (a.kind == ATTACH_BRIDGE && c->bgp.customer)
		return err_set(e, -EINVAL, c->name, "[bgp] customer = bird needs the customer namespace; "
			       "on bridges the customer router is yours (customer = %s)", c->customer);
	if (a.kind != ATTACH_REMOTE)
		return 0;
	if (!c->microsoft_address[0])
		return err_set(e, -EINVAL, c->name, "customer = %s needs microsoft_address, the Microsoft "
			       "host's underlay address", c->customer);
	if (cidr_parse_addr(c->microsoft_address, &ms) < 0 || ms.family != a.remote.family)
		return err_set(e, -EINVAL, c->name, "microsoft_address %s and the customer host's %s are not of "
			       "one address family", c->microsoft_address, c->customer + 7);
	return 0;
}
