/* SPDX-License-Identifier: MIT */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli/cli.h"
#include "core/names.h"

/* erlab check: what this kernel and machine support, one line each. */
int cmd_check(struct ctx *x, int argc, char **argv)
{
	static const struct {
		const char *name;
		int (*probe)(struct kernel *k, struct err *e);
		bool required;   /* without it no datapath works */
		const char *fix;
	} probes[] = {
		{ "netns", probe_netns, true, "CONFIG_NET_NS; run as root (CAP_SYS_ADMIN + CAP_NET_ADMIN)" },
		{ "veth", probe_veth, true, "CONFIG_VETH / modprobe veth" },
		{ "802.1Q", probe_vlan, false, "modprobe 8021q (CONFIG_VLAN_8021Q), or use --datapath veth" },
		{ "tbf", probe_tbf, false, "modprobe sch_tbf (CONFIG_NET_SCH_TBF): needed to enforce bandwidth" },
		{ "TCP-MD5", probe_tcp_md5, false, "CONFIG_TCP_MD5SIG: needed for BGP shared keys" },
	};
	struct kernel *k;
	struct err e = {0};
	bool json = argc > 1 && strcmp(argv[1], "--json") == 0;
	int missing = 0;

	if (argc > (json ? 2 : 1))
		return cli_usage(x, "check", "takes no arguments but --json");
	if (ctx_kernel(x, &k, &e) < 0)
		return cli_error(x, &e);
	if (json)
		fputc('{', x->out);
	for (unsigned i = 0; i < sizeof(probes) / sizeof(probes[0]); i++) {
		struct err pe = {0};
		int r = probes[i].probe(k, &pe);

		if (r < 0 && probes[i].required)
			missing++;
		if (json) {
			fprintf(x->out, "%s\"%s\":%s", i ? "," : "", probes[i].name, r == 0 ? "true" : "false");
			continue;
		}
		if (r == 0)
			fprintf(x->out, "%-8s yes\n", probes[i].name);
		else
			fprintf(x->out, "%-8s no   (%s%s%s)\n", probes[i].name, pe.detail[0] ? pe.detail : pe.msg,
				"; fix: ", probes[i].fix);
	}
	{
		bool bird = access("/usr/sbin/bird", X_OK) == 0;

		if (json)
			fprintf(x->out, ",\"BIRD\":%s}\n", bird ? "true" : "false");
		else
			fprintf(x->out, "%-8s %s\n", "BIRD", bird ? "yes" : "no   (apt-get install bird2: needed for BGP)");
	}
	return missing ? 1 : 0;
}

int cmd_link(struct ctx *x, int argc, char **argv)
{
	struct err e = {0};
	enum link_side side;
	bool up;

	if (argc != 4 || (strcmp(argv[1], "down") != 0 && strcmp(argv[1], "up") != 0))
		return cli_usage(x, "link", "expects down|up CIRCUIT primary|secondary");
	up = strcmp(argv[1], "up") == 0;
	if ((int)(side = link_side_from_string(argv[3])) < 0)
		return cli_usage(x, "link", "'%s': use primary or secondary", argv[3]);
	if (op_link_carrier(x, argv[2], side, up, &e) < 0)
		return cli_error(x, &e);
	return 0;
}

/* erlab exec CIRCUIT customer|microsoft -- COMMAND...: like `ip netns exec`, by circuit. */
int cmd_exec(struct ctx *x, int argc, char **argv)
{
	struct circuit c;
	struct kernel *k;
	struct err e = {0};
	char ns[NS_NAME_MAX];
	int cmd = 3, r;

	if (argc < 4)
		return cli_usage(x, "exec", "expects CIRCUIT customer|microsoft -- COMMAND...");
	if (strcmp(argv[3], "--") == 0)
		cmd = 4;
	if (cmd >= argc)
		return cli_usage(x, "exec", "no COMMAND given");
	circuit_init(&c);
	if ((r = op_circuit_get(x, argv[1], &c, &e)) < 0)
		goto fail;
	if (strcmp(argv[2], "customer") == 0) {
		names_ns(&c, NS_CUSTOMER, ns);
	} else if (strcmp(argv[2], "microsoft") == 0) {
		names_ns(&c, NS_MICROSOFT, ns);
	} else {
		const struct vnet *v = NULL;

		for (unsigned i = 0; i < c.n_vnets; i++)
			if (strcmp(c.vnets[i].name, argv[2]) == 0)
				v = &c.vnets[i];
		if (!v) {
			err_set(&e, -ENOENT, argv[2], "no such side or VNet of circuit %s: use customer, microsoft "
				"or a linked VNet's name", c.name);
			r = -ENOENT;
			goto fail;
		}
		names_vnet_ns(&c, v, ns);
	}
	circuit_clear(&c);
	if ((r = ctx_kernel(x, &k, &e)) < 0 || (r = kernel_enter_ns(k, ns, &e)) < 0)
		return cli_error(x, &e);
	/* The lock fd is close-on-exec: the command does not hold erlab's lock. */
	fflush(NULL);
	execvp(argv[cmd], argv + cmd);
	err_set(&e, -errno, argv[cmd], "cannot execute: %s", strerror(errno));
	return cli_error(x, &e) == 4 ? 127 : 126;
fail:
	circuit_clear(&c);
	return cli_error(x, &e);
}
