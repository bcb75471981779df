/* SPDX-License-Identifier: MIT */
/* erlab serve [--listen ADDR:PORT] [--msi-port PORT] [--bgp KEY=VALUE]... | --check: the ARM endpoint
 * (src/arm, docs/arm.md), run by erlab-serve (cli/serve.h). */
#include <arpa/inet.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "arm/arm.h"
#include "cli/serve.h"
#include "core/field.h"
#include "core/num.h"

#define DEFAULT_PORT 8443

/* ADDR:PORT, [IPv6]:PORT, or a bare PORT (on 127.0.0.1). */
static int parse_listen(const char *s, struct arm_opts *o)
{
	const char *colon = strrchr(s, ':'), *host = s;
	size_t n;
	uint32_t port;
	unsigned char raw[16];

	if (!colon) {
		snprintf(o->listen_host, sizeof(o->listen_host), "127.0.0.1");
		colon = s - 1;
		n = 0;
	} else {
		n = (size_t)(colon - s);
		if (n >= 2 && s[0] == '[' && s[n - 1] == ']')
			host = s + 1, n -= 2;
		if (n == 0 || n >= sizeof(o->listen_host))
			return -EINVAL;
		memcpy(o->listen_host, host, n);
		o->listen_host[n] = '\0';
	}
	if (num_parse_u32(colon + 1, 1, 65535, &port) < 0)
		return -EINVAL;
	if (inet_pton(AF_INET, o->listen_host, raw) != 1 && inet_pton(AF_INET6, o->listen_host, raw) != 1)
		return -EINVAL;
	o->port = (uint16_t)port;
	return 0;
}

/* --bgp KEY=VALUE: a row of the [bgp] table, bound as a lab's [bgp] binds it. */
static int bgp_option(struct cli *x, const char *verb, const char *arg, struct bgp_settings *bgp)
{
	const char *eq = strchr(arg, '=');
	const struct field *f;
	char key[32], buf[1400];
	struct err e = {0};
	enum field_fail fail;

	if (!eq || (size_t)(eq - arg) >= sizeof(key))
		return cli_usage(x, verb, "--bgp %s: give KEY=VALUE, a key of a lab's [bgp] (docs/bgp.md)", arg);
	memcpy(key, arg, (size_t)(eq - arg));
	key[eq - arg] = '\0';
	if (!(f = field_by_key(&bgp_fields, key)))
		return cli_usage(x, verb, "--bgp %s: no such key of [bgp]; the keys are msee, customer, customer_prefixes "
				 "and bird_path (docs/bgp.md)", key);
	if (field_parse(&bgp_fields, f, key, eq + 1, bgp, "--bgp", &e, &fail) < 0) {
		snprintf(buf, sizeof(buf), "%s%s%s%s", e.msg, e.detail[0] ? " (" : "", e.detail, e.detail[0] ? ")" : "");
		return cli_usage(x, verb, "--bgp %s: %s", arg, buf);
	}
	return 0;
}

struct serve_args {
	struct arm_opts *o;
	uint32_t msi;
};

static int serve_option(struct cli *x, const char *verb, int id, const char *arg, void *ud)
{
	struct serve_args *a = ud;

	if (id == OPT_LISTEN && parse_listen(arg, a->o) < 0)
		return cli_usage(x, verb, "--listen %s: give ADDR:PORT with a numeric address, e.g. 127.0.0.1:8443", arg);
	if (id == OPT_MSI && num_parse_u32(arg, 1, 65535, &a->msi) < 0)
		return cli_usage(x, verb, "--msi-port %s: a port, 1-65535", arg);
	if (id == OPT_BGP)
		return bgp_option(x, verb, arg, &a->o->bgp);
	return 0;
}

int cmd_serve_run(struct cli *x, int argc, char **argv)
{
	struct arm_opts o = { .engine = *engine_options(x->eng), .listen_host = "127.0.0.1", .port = DEFAULT_PORT,
			      .log = x->log, .out = x->out };
	struct serve_args a = { .o = &o };
	struct cli_opts co = { .verb = x->verb };
	struct err e = {0};
	sigset_t stops;
	uint32_t msi;
	bool check;
	char url[256];
	int r;

	if ((r = cli_getopt(x, "serve", argc, argv, &co, serve_option, &a)) != 0)
		goto out;
	if (co.optind != argc) {
		r = cli_usage(x, "serve", "takes no arguments");
		goto out;
	}
	check = cli_own_given(&co, OPT_CHECK);
	msi = a.msi;
	if (check) {
		if (arm_check(o.engine.state_dir, url, sizeof(url), &e) < 0) {
			if (x->verbosity >= 0)
				fprintf(x->out, "not running\n");
			r = 3;
			goto out;
		}
		fprintf(x->out, "%s\n", url);
		r = 0;
		goto out;
	}
	o.msi_port = msi ? (uint16_t)msi : (uint16_t)(o.port == 65535 ? 65534 : o.port + 1);
	sigemptyset(&stops);
	sigaddset(&stops, SIGINT);
	sigaddset(&stops, SIGTERM);
	sigaddset(&stops, SIGHUP);
	r = arm_serve(&o, &stops, &e) < 0 ? cli_error(x, &e) : 0;
out:
	free(o.bgp.prefixes);
	return r;
}
