/* SPDX-License-Identifier: MIT */
/*
 * Reading a link of another namespace without entering it: a netns id for that namespace as
 * seen from erlab's own (RTM_GETNSID / RTM_NEWNSID, NETNSA_FD) and RTM_GETLINK with
 * IFLA_TARGET_NETNSID, on one libmnl socket (libnl has no NSID API). Teardown checks each
 * namespace's mark this way: no socket to open inside a namespace that is about to go.
 */
#include <errno.h>
#include <fcntl.h>
#include <linux/if_link.h>
#include <linux/net_namespace.h>
#include <linux/rtnetlink.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include <libmnl/libmnl.h>

#include "kernel/nl_int.h"

static int nsid_attr(const struct nlattr *a, void *data)
{
	struct nsid_reply *r = data;

	if (mnl_attr_get_type(a) == NETNSA_NSID && mnl_attr_validate(a, MNL_TYPE_U32) >= 0)
		r->nsid = (int)mnl_attr_get_u32(a);
	return MNL_CB_OK;
}

static int link_attr(const struct nlattr *a, void *data)
{
	struct nsid_reply *r = data;

	if (mnl_attr_get_type(a) == IFLA_IFALIAS && mnl_attr_validate(a, MNL_TYPE_STRING) >= 0)
		snprintf(r->alias, r->alias_len, "%s", mnl_attr_get_str(a));
	return MNL_CB_OK;
}

int nsid_parse(const struct nlmsghdr *nlh, struct nsid_reply *r)
{
	if (nlh->nlmsg_type == RTM_NEWNSID)
		return mnl_attr_parse(nlh, sizeof(struct rtgenmsg), nsid_attr, r);
	if (nlh->nlmsg_type == RTM_NEWLINK) {
		r->got_link = true;
		return mnl_attr_parse(nlh, sizeof(struct ifinfomsg), link_attr, r);
	}
	return MNL_CB_OK;
}

static int on_msg(const struct nlmsghdr *nlh, void *data)
{
	return nsid_parse(nlh, data);
}

void nsid_put_request(struct nlmsghdr *nlh, int type, int fd, int nsid, uint16_t flags)
{
	struct rtgenmsg *g;

	nlh->nlmsg_type = (uint16_t)type;
	nlh->nlmsg_flags = flags;
	g = mnl_nlmsg_put_extra_header(nlh, sizeof(*g));
	g->rtgen_family = AF_UNSPEC;
	mnl_attr_put_u32(nlh, NETNSA_FD, (uint32_t)fd);
	if (type == RTM_NEWNSID)
		mnl_attr_put_u32(nlh, NETNSA_NSID, (uint32_t)nsid);
}

void nsid_put_link_request(struct nlmsghdr *nlh, const char *ifname, int nsid, uint16_t flags)
{
	struct ifinfomsg *ifm;

	nlh->nlmsg_type = RTM_GETLINK;
	nlh->nlmsg_flags = flags;
	ifm = mnl_nlmsg_put_extra_header(nlh, sizeof(*ifm));
	ifm->ifi_family = AF_UNSPEC;
	mnl_attr_put_strz(nlh, IFLA_IFNAME, ifname);
	mnl_attr_put_u32(nlh, IFLA_EXT_MASK, RTEXT_FILTER_SKIP_STATS);
	if (nsid >= 0)
		mnl_attr_put_u32(nlh, IFLA_TARGET_NETNSID, (uint32_t)nsid);
}

int nsid_socket(struct kernel *k)
{
	int ret;

	if (k->mnl)
		return 0;
	k->mnl = mnl_socket_open(NETLINK_ROUTE);
	if (!k->mnl && (errno == EMFILE || errno == ENFILE) && kernel_fd_shed(k))
		k->mnl = mnl_socket_open(NETLINK_ROUTE);
	if (!k->mnl)
		return -errno;
	if (mnl_socket_bind(k->mnl, 0, MNL_SOCKET_AUTOPID) < 0) {
		ret = -errno;
		mnl_socket_close(k->mnl);
		k->mnl = NULL;
		return ret;
	}
	return 0;
}

/* One request (always with NLM_F_ACK), its answer and the ack. Returns 0 or -errno (the kernel's). */
static int talk(struct kernel *k, struct nlmsghdr *nlh, struct nsid_reply *r)
{
	char buf[MNL_SOCKET_BUFFER_SIZE];
	unsigned portid;
	ssize_t n;
	int ret;

	if ((ret = nsid_socket(k)) < 0)
		return ret;
	portid = mnl_socket_get_portid(k->mnl);
	nlh->nlmsg_seq = ++k->mnl_seq;
	if (mnl_socket_sendto(k->mnl, nlh, nlh->nlmsg_len) < 0)
		return -errno;
	do {
		if ((n = mnl_socket_recvfrom(k->mnl, buf, sizeof(buf))) < 0)
			return -errno;
		ret = mnl_cb_run(buf, (size_t)n, nlh->nlmsg_seq, portid, on_msg, r);
	} while (ret > MNL_CB_STOP);
	return ret < 0 ? -errno : 0;
}

static int nsid_msg(struct kernel *k, int type, int fd, int nsid, struct nsid_reply *r)
{
	char buf[256] = "";   /* zero-filled: the whole message is sent */
	struct nlmsghdr *nlh = mnl_nlmsg_put_header(buf);

	nsid_put_request(nlh, type, fd, nsid, NLM_F_REQUEST | NLM_F_ACK);
	return talk(k, nlh, r);
}

/*
 * The id of the namespace behind fd as seen from ours. A fresh namespace has none: assign one we
 * pick (so no second request is needed to learn it); when it has one already (EEXIST), ask.
 */
static int nsid_of(struct kernel *k, int fd, int *ret)
{
	struct nsid_reply r = { .nsid = NETNSA_NSID_NOT_ASSIGNED };
	/* Ids erlab picks start high, away from the small ones the kernel hands out. */
	int want = 0x45524c00 + (int)(k->mnl_seq & 0xffff);
	int err = nsid_msg(k, RTM_NEWNSID, fd, want, &r);

	if (err == 0) {
		*ret = want;
		return 0;
	}
	if (err != -EEXIST)
		return err;
	if ((err = nsid_msg(k, RTM_GETNSID, fd, 0, &r)) < 0)
		return err;
	if (r.nsid < 0)
		return -ENOENT;   /* the id we picked was taken and the namespace has none */
	*ret = r.nsid;
	return 0;
}

int link_get_alias_remote(struct kernel *k, const char *ns, const char *name, char *buf, size_t len, struct err *e)
{
	char path[PATH_MAX], req[512] = "";
	struct nsid_reply r = { .alias = buf, .alias_len = len };
	struct nlmsghdr *nlh;
	int fd, nsid = 0, err;

	buf[0] = '\0';
	if (!kernel_ns_name_valid(ns) || kernel_ns_path(ns, path, sizeof(path)) < 0)
		return err_set(e, -EINVAL, ns ? ns : "(null)", "invalid namespace name");
	if (strcmp(name, "lo") == 0 && kernel_mark_get(k, ns, path, buf, len))
		return 0;
	if ((fd = kernel_open_fd(k, path, O_RDONLY | O_CLOEXEC, 0)) < 0)
		return err_set(e, fd, ns, "cannot open namespace: %s", strerror(-fd));
	err = nsid_of(k, fd, &nsid);
	close(fd);
	if (err < 0)
		return err_set(e, err, ns, "cannot get a netns id (kernel: %s)", strerror(-err));

	nlh = mnl_nlmsg_put_header(req);
	/* The ack ends the exchange (mnl_cb_run stops on it). */
	nsid_put_link_request(nlh, name, nsid, NLM_F_REQUEST | NLM_F_ACK);
	if ((err = talk(k, nlh, &r)) < 0)
		return err_set(e, err, ns, "reading link %s failed (kernel: %s)", name, strerror(-err));
	return r.got_link ? 0 : err_set(e, -ENODEV, ns, "link %s not found", name);
}

int netns_mark_get(struct kernel *k, const char *ns, char *buf, size_t len, struct err *e)
{
	/* From outside first (no socket inside a namespace that may be about to go), else from inside. */
	if (link_get_alias_remote(k, ns, "lo", buf, len, NULL) == 0)
		return 0;
	return link_get_alias(k, ns, "lo", buf, len, e);
}
