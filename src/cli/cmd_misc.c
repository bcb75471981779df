/* SPDX-License-Identifier: MIT */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli/cli.h"
#include "cli/options.h"
#include "core/names.h"

/* erlab check: what this kernel and machine support, one line each. */
int cmd_check(struct cli *x, int argc, char **argv)
{
	struct engine_feature f;
	bool json = argc > 1 && strcmp(argv[1], "--json") == 0;
	int missing = 0;

	if (argc > (json ? 2 : 1))
		return cli_usage(x, "check", "takes no arguments but --json");
	if (json)
		fputc('{', x->out);
	for (unsigned i = 0; engine_feature(i, &f); i++) {
		struct err pe = {0};
		int r = engine_probe(x->eng, i, &pe);

		if (r < 0 && f.required)
			missing++;
		if (json) {
			fprintf(x->out, "%s\"%s\":%s", i ? "," : "", f.name, r == 0 ? "true" : "false");
			continue;
		}
		if (r == 0)
			fprintf(x->out, "%-8s yes\n", f.name);
		else if (pe.detail[0] || !pe.what[0])
			fprintf(x->out, "%-8s no   (%s; fix: %s)\n", f.name, pe.detail[0] ? pe.detail : pe.msg, f.fix);
		else
			fprintf(x->out, "%-8s no   (%s: %s; fix: %s)\n", f.name, pe.what, pe.msg, f.fix);
	}
	if (json)
		fputs("}\n", x->out);
	return missing ? 1 : 0;
}

int cmd_link(struct cli *x, int argc, char **argv)
{
	struct err e = {0};
	enum link_side side;
	bool up;

	if (argc != 4 || (strcmp(argv[1], "down") != 0 && strcmp(argv[1], "up") != 0))
		return cli_usage(x, "link", "expects down|up CIRCUIT primary|secondary");
	up = strcmp(argv[1], "up") == 0;
	if ((int)(side = link_side_from_string(argv[3])) < 0)
		return cli_usage(x, "link", "'%s': use primary or secondary", argv[3]);
	if (op_link_carrier(x->eng, argv[2], side, up, &e) < 0)
		return cli_error(x, &e);
	return 0;
}

/* erlab exec CIRCUIT customer|microsoft -- COMMAND...: like `ip netns exec`, by circuit. */
int cmd_exec(struct cli *x, int argc, char **argv)
{
	struct circuit c;
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
	r = op_circuit_get(x->eng, argv[1], &c, &e);
	if (r == 0)
		r = engine_ns_of(&c, argv[2], ns, sizeof(ns), &e);
	circuit_clear(&c);
	if (r < 0 || (r = engine_enter(x->eng, ns, &e)) < 0)
		return cli_error(x, &e);
	/* The lock fd is close-on-exec: the command does not hold erlab's lock; it gets the signal
	 * mask erlab was started with. */
	fflush(NULL);
	sigprocmask(SIG_SETMASK, &x->sigmask, NULL);
	execvp(argv[cmd], argv + cmd);
	err_set(&e, -errno, argv[cmd], "cannot execute: %s", strerror(errno));
	return cli_error(x, &e) == 4 ? 127 : 126;
}

/* erlab vnet link CIRCUIT VNET --address-space CIDR[,CIDR] | vnet unlink CIRCUIT VNET */
int cmd_vnet(struct cli *x, int argc, char **argv)
{
	static const char *const keys[] = { "address_space", NULL };
	struct cli_opts o = { .t = &vnet_fields, .keys = keys };
	struct vnet v = {0};
	struct err e = {0};
	int r;

	if (argc == 4 && strcmp(argv[1], "unlink") == 0) {
		if (op_vnet_unlink(x->eng, argv[2], argv[3], &e) < 0)
			return cli_error(x, &e);
		return 0;
	}
	if (argc < 2 || strcmp(argv[1], "link") != 0)
		return cli_usage(x, "vnet", "expects link CIRCUIT VNET --address-space CIDR[,CIDR] or unlink CIRCUIT VNET");
	if ((r = cli_getopt(x, "vnet link", argc - 1, argv + 1, &o, NULL, NULL)) != 0)
		return r;
	if (argc - 1 - o.optind != 2)
		return cli_usage(x, "vnet link", "expects CIRCUIT VNET --address-space CIDR[,CIDR]");
	if (!cli_opt_value(&o, "address-space"))
		return cli_usage(x, "vnet link", "--address-space CIDR[,CIDR] is required");
	argv += 1 + o.optind;
	if (strlen(argv[1]) > VNET_NAME_MAX || names_check_vnet(argv[1]) < 0) {
		err_set(&e, -EINVAL, argv[1], "The virtual network name is not valid: use 1-%d of A-Z a-z 0-9 _ -.",
			VNET_NAME_MAX);
		return cli_error(x, &e);
	}
	snprintf(v.name, sizeof(v.name), "%s", argv[1]);
	if ((r = cli_bind(x, "vnet link", &o, &v)) == 0 && op_vnet_link(x->eng, argv[0], &v, &e) < 0)
		r = cli_error(x, &e);
	vnet_clear(&v);
	return r;
}
