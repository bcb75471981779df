/* SPDX-License-Identifier: MIT */
#include <errno.h>
#include <stdio.h>

#include <netlink/route/route.h>

#include "kernel/nl_int.h"

/* dst via gw (gw NULL: directly on ifname). -EEXIST when the route is there already. */
int route_add(struct kernel *k, const char *ns, const struct cidr *dst, const struct cidr *gw, const char *ifname,
	      struct err *e)
{
	struct rtnl_route *route = NULL;
	struct rtnl_nexthop *nh = NULL;
	struct nl_addr *d = NULL, *g = NULL;
	struct kernel_ns *n;
	char w[NAME_MAX + 80], buf[CIDR_STRLEN];
	int ifindex = 0, r;

	snprintf(w, sizeof(w), "%s route %s", ns, cidr_str(dst, buf, sizeof(buf)));
	if ((r = kernel_ns_get(k, ns, &n, e)) < 0)
		return r;
	if (ifname && (r = kernel_ns_index(k, n, ifname, &ifindex)) < 0)
		return kernel_fail(k, e, r, w, "device %s not found", ifname);
	r = -ENOMEM;
	if (!(route = rtnl_route_alloc()) || !(nh = rtnl_route_nh_alloc()) ||
	    !(d = nl_addr_build(dst->family, dst->addr, dst->family == AF_INET ? 4 : 16)))
		goto fail;
	nl_addr_set_prefixlen(d, dst->prefixlen);
	rtnl_route_set_family(route, dst->family);
	rtnl_route_set_dst(route, d);
	rtnl_route_set_table(route, RT_TABLE_MAIN);
	rtnl_route_set_protocol(route, RTPROT_STATIC);
	rtnl_route_set_scope(route, gw ? RT_SCOPE_UNIVERSE : RT_SCOPE_LINK);
	if (ifindex)
		rtnl_route_nh_set_ifindex(nh, ifindex);
	if (gw) {
		if (!(g = nl_addr_build(gw->family, gw->addr, gw->family == AF_INET ? 4 : 16)))
			goto fail;
		rtnl_route_nh_set_gateway(nh, g);
	}
	rtnl_route_add_nexthop(route, nh);
	nh = NULL;   /* owned by the route now */
	kernel_ack_reset(k);
	r = kernel_errno(k, rtnl_route_add(n->sk, route, NLM_F_CREATE | NLM_F_EXCL));
	if (r < 0)
		kernel_fail(k, e, r, w, "adding the route failed");
	goto out;
fail:
	err_set(e, r, w, "out of memory");
out:
	if (nh)
		rtnl_route_nh_free(nh);
	nl_addr_put(g);
	nl_addr_put(d);
	if (route)
		rtnl_route_put(route);
	return r;
}
