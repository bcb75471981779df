/* SPDX-License-Identifier: MIT */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli/cli.h"
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
		else
			fprintf(x->out, "%-8s no   (%s%s%s)\n", f.name, pe.detail[0] ? pe.detail : pe.msg, "; fix: ", f.fix);
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
	/* The lock fd is close-on-exec: the command does not hold erlab's lock. */
	fflush(NULL);
	execvp(argv[cmd], argv + cmd);
	err_set(&e, -errno, argv[cmd], "cannot execute: %s", strerror(errno));
	return cli_error(x, &e) == 4 ? 127 : 126;
}

/* "10.1.0.0/16,10.2.0.0/16" into v->spaces (validate_vnet checks them further). */
static int parse_spaces(struct cli *x, const char *text, struct vnet *v)
{
	struct cidr_list_fail f;
	struct err e = {0};
	int r = cidr_parse_list(text, false, UINT32_MAX, &v->spaces, &v->n_spaces, &f);

	if (r == -ENOMEM)
		return 1;
	if (r < 0) {
		err_set(&e, -EINVAL, "--address-space", "'%s' is not an address prefix such as 10.1.0.0/16", f.text);
		return cli_error(x, &e);
	}
	return 0;
}

/* erlab vnet link CIRCUIT VNET --address-space CIDR[,CIDR] | vnet unlink CIRCUIT VNET */
int cmd_vnet(struct cli *x, int argc, char **argv)
{
	struct vnet v = {0};
	struct err e = {0};
	const char *spaces = NULL;
	int r;

	if (argc >= 4 && strcmp(argv[1], "unlink") == 0 && argc == 4) {
		if (op_vnet_unlink(x->eng, argv[2], argv[3], &e) < 0)
			return cli_error(x, &e);
		return 0;
	}
	if (argc < 4 || strcmp(argv[1], "link") != 0)
		return cli_usage(x, "vnet", "expects link CIRCUIT VNET --address-space CIDR[,CIDR] or unlink CIRCUIT VNET");
	for (int i = 4; i < argc; i++) {
		if (strcmp(argv[i], "--address-space") == 0 && i + 1 < argc)
			spaces = argv[++i];
		else if (strncmp(argv[i], "--address-space=", 16) == 0)
			spaces = argv[i] + 16;
		else
			return cli_usage(x, "vnet link", "unexpected argument '%s'", argv[i]);
	}
	if (!spaces)
		return cli_usage(x, "vnet link", "--address-space CIDR[,CIDR] is required");
	if (strlen(argv[3]) > VNET_NAME_MAX || names_check_vnet(argv[3]) < 0) {
		err_set(&e, -EINVAL, argv[3], "The virtual network name is not valid: use 1-%d of A-Z a-z 0-9 _ -.",
			VNET_NAME_MAX);
		return cli_error(x, &e);
	}
	snprintf(v.name, sizeof(v.name), "%s", argv[3]);
	if ((r = parse_spaces(x, spaces, &v)) == 0 && (r = op_vnet_link(x->eng, argv[2], &v, &e)) < 0)
		r = cli_error(x, &e);
	vnet_clear(&v);
	return r;
}
