/* SPDX-License-Identifier: MIT */
/*
 * Test driver for src/bgp: the BIRD config generator and the daemon control functions, one
 * subcommand each, so the tests/bgp scripts exercise exactly the code erlab links.
 *
 *   bird_tool conf msee|customer STATE_DIR CIRCUIT [--log PATH] [--limit N] [--error-wait S]
 *             [--adv TYPE=CIDR,...] [--key TYPE=KEY] [--hop VNET=ADDR] [--vnet NAME=CIDR,...]
 *                                   config on stdout
 *   bird_tool paths STATE_DIR CIRCUIT customer|microsoft     conf= ctl= pid= log= lines
 *   bird_tool write FILE              (config text on stdin)
 *   bird_tool find [BIRD_PATH]       the BIRD bird_find picks (a lab's bird_path, ERLAB_BIRD, PATH)
 *   bird_tool check FILE              (check, start and ensure run the BIRD bird_find picks)
 *   bird_tool start|ensure NS CONF CTL PID LOG
 *   bird_tool start-late NS CONF CTL PID LOG MS   bird_launch, MS ms of other work, bird_launch_wait
 *   bird_tool configure CTL
 *   bird_tool stop CTL PID
 *   bird_tool sessions CTL            name state proto_state neighbor as imported filtered exported since|error
 *   bird_tool routes CTL PROTO [filtered]    network next_hop local_pref weight best as_path
 * Exit: 0, or erlab's exit code for the error (printed on stderr).
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "bgp/bird.h"
#include "core/bird_conf.h"
#include "core/num.h"
#include "store/state.h"

static int die(const struct err *e, int r)
{
	char buf[1400];

	fprintf(stderr, "bird_tool: %s\n", err_format(e, buf, sizeof(buf)));
	return err_exit_code(r);
}

static int usage(void)
{
	fprintf(stderr, "usage: see the comment at the top of tests/bgp/bird_tool.c\n");
	return 2;
}

static int parse_list(const char *text, struct cidr **ret, unsigned *ret_n)
{
	char *copy = strdup(text), *tok, *save = NULL;
	struct cidr *v = NULL;
	unsigned n = 0;

	for (tok = strtok_r(copy, ",", &save); tok; tok = strtok_r(NULL, ",", &save)) {
		v = realloc(v, (n + 1) * sizeof(*v));
		if (cidr_parse(tok, &v[n]) < 0) {
			fprintf(stderr, "bird_tool: bad prefix %s\n", tok);
			free(copy);
			free(v);
			return -EINVAL;
		}
		n++;
	}
	free(copy);
	*ret = v;
	*ret_n = n;
	return 0;
}

static int cmd_conf(int argc, char **argv)
{
	struct bird_customer_opts co = { 0 };
	struct bird_msee_opts mo = { 0 };
	struct bird_vnet_hop hops[8];
	struct cidr *lists[_ACCESS_MAX] = { 0 };
	struct err e = { 0 };
	struct circuit c;
	struct store s;
	char *text = NULL;
	bool msee;
	int i, r;

	if (argc < 5)
		return usage();
	msee = strcmp(argv[2], "msee") == 0;
	r = store_open(&s, argv[3], &e);
	if (r == 0)
		r = store_find(&s, argv[4], &c, &e);
	if (r < 0)
		return die(&e, r);
	for (i = 5; i + 1 < argc; i += 2) {
		const char *opt = argv[i], *val = argv[i + 1], *eq = strchr(val, '=');
		uint32_t n;

		if (strcmp(opt, "--log") == 0) {
			mo.log_path = co.log_path = val;
		} else if (strcmp(opt, "--limit") == 0 && num_parse_u32(val, 1, UINT32_MAX, &n) == 0) {
			mo.limit = n;
		} else if (strcmp(opt, "--error-wait") == 0 && num_parse_u32(val, 1, 3600, &n) == 0) {
			mo.error_wait_s = co.error_wait_s = n;
		} else if (strcmp(opt, "--hop") == 0 && eq && mo.n_hops < 8) {
			struct bird_vnet_hop *h = &hops[mo.n_hops++];
			struct cidr a;

			memset(h, 0, sizeof(*h));
			h->vnet = strndup(val, (size_t)(eq - val));
			if (cidr_parse_addr(eq + 1, &a) < 0)
				return usage();
			if (a.family == AF_INET)
				h->via4 = a;
			else
				h->via6 = a;
			mo.hops = hops;
		} else if (strcmp(opt, "--vnet") == 0 && eq && eq - val <= VNET_NAME_MAX) {
			/* A VNet the state does not have (yet): how the scripts fake `erlab vnet link`. */
			struct vnet *vn;

			c.vnets = realloc(c.vnets, (c.n_vnets + 1) * sizeof(*c.vnets));
			vn = &c.vnets[c.n_vnets++];
			memset(vn, 0, sizeof(*vn));
			memcpy(vn->name, val, (size_t)(eq - val));
			if (parse_list(eq + 1, &vn->spaces, &vn->n_spaces) < 0)
				return 2;
		} else if ((strcmp(opt, "--adv") == 0 || strcmp(opt, "--key") == 0) && eq) {
			char type[16];
			enum access_type t;

			snprintf(type, sizeof(type), "%.*s", (int)(eq - val), val);
			t = access_type_from_string(type);
			if (t < 0)
				return usage();
			if (opt[2] == 'k') {
				/* Straight into the struct, unchecked: the generator must refuse what is bad. */
				snprintf(c.peerings[t].shared_key, sizeof(c.peerings[t].shared_key), "%s", eq + 1);
				c.peerings[t].has |= PEERING_HAS_SHARED_KEY;
			} else {
				if (parse_list(eq + 1, &lists[t], &co.n_adv[t]) < 0)
					return 2;
				co.adv[t] = lists[t];
			}
		} else {
			return usage();
		}
	}
	r = msee ? bird_conf_msee(&c, &mo, &text, &e) : bird_conf_customer(&c, &co, &text, &e);
	if (r < 0)
		return die(&e, r);
	fputs(text, stdout);
	free(text);
	for (i = 0; i < _ACCESS_MAX; i++)
		free(lists[i]);
	circuit_clear(&c);
	store_close(&s);
	return 0;
}

static int cmd_paths(int argc, char **argv)
{
	struct bird_paths p;
	struct err e = { 0 };
	struct circuit c;
	struct store s;
	int r;

	if (argc != 5)
		return usage();
	r = store_open(&s, argv[2], &e);
	if (r == 0)
		r = store_find(&s, argv[3], &c, &e);
	if (r == 0)
		r = bird_paths_init(&p, argv[2], c.service_key,
				    strcmp(argv[4], "customer") == 0 ? NS_CUSTOMER : NS_MICROSOFT, &e);
	if (r < 0)
		return die(&e, r);
	printf("conf=%s\nctl=%s\npid=%s\nlog=%s\n", p.conf, p.ctl, p.pid, p.log);
	circuit_clear(&c);
	store_close(&s);
	return 0;
}

static int cmd_write(int argc, char **argv)
{
	struct err e = { 0 };
	char *text = NULL;
	size_t cap = 0, len = 0;
	int r;

	if (argc != 3)
		return usage();
	for (;;) {
		if (len + 4096 + 1 > cap) {
			cap = cap ? cap * 2 : 65536;
			text = realloc(text, cap);
		}
		size_t got = fread(text + len, 1, cap - len - 1, stdin);
		if (!got)
			break;
		len += got;
	}
	text[len] = '\0';
	r = bird_write_conf(argv[2], text, &e);
	free(text);
	return r < 0 ? die(&e, r) : 0;
}

static int cmd_sessions(const char *ctl)
{
	struct bird_session *v;
	struct err e = { 0 };
	unsigned n, i;
	int r;

	r = bird_sessions(ctl, &v, &n, &e);
	if (r < 0)
		return die(&e, r);
	for (i = 0; i < n; i++) {
		char addr[CIDR_STRLEN] = "-";

		if (v[i].neighbor.family)
			cidr_addr_str(&v[i].neighbor, addr, sizeof(addr));
		printf("%s %s %s %s %u %u %u %u %ld|%s\n", v[i].name, v[i].state, v[i].proto_state, addr,
		       v[i].neighbor_as, v[i].imported, v[i].filtered, v[i].exported, (long)v[i].since_s,
		       v[i].last_error);
	}
	free(v);
	return 0;
}

static int cmd_routes(const char *ctl, const char *proto, bool filtered)
{
	struct bird_route *v;
	struct err e = { 0 };
	unsigned n, i;
	int r;

	r = bird_routes(ctl, proto, filtered, &v, &n, &e);
	if (r < 0)
		return die(&e, r);
	for (i = 0; i < n; i++) {
		char net[CIDR_STRLEN], hop[CIDR_STRLEN] = "-";

		if (v[i].next_hop.family)
			cidr_addr_str(&v[i].next_hop, hop, sizeof(hop));
		printf("%s %s %u %u %s %s\n", cidr_str(&v[i].network, net, sizeof(net)), hop, v[i].local_pref,
		       v[i].weight, v[i].best ? "best" : "-", v[i].as_path[0] ? v[i].as_path : "-");
	}
	free(v);
	return 0;
}

/* The conf, ctl, pid and log paths given as four arguments. */
static void paths_of(struct bird_paths *p, char **a)
{
	memset(p, 0, sizeof(*p));
	snprintf(p->conf, sizeof(p->conf), "%s", a[0]);
	snprintf(p->ctl, sizeof(p->ctl), "%s", a[1]);
	snprintf(p->pid, sizeof(p->pid), "%s", a[2]);
	snprintf(p->log, sizeof(p->log), "%s", a[3]);
}

int main(int argc, char **argv)
{
	struct err e = { 0 };
	const char *cmd = argc > 1 ? argv[1] : "";
	char bin[PATH_MAX];
	int r = 0;

	if (strcmp(cmd, "conf") == 0)
		return cmd_conf(argc, argv);
	if (strcmp(cmd, "paths") == 0)
		return cmd_paths(argc, argv);
	if (strcmp(cmd, "write") == 0)
		return cmd_write(argc, argv);
	if (strcmp(cmd, "find") == 0 && argc <= 3) {
		if ((r = bird_find(argc == 3 ? argv[2] : NULL, bin, &e)) == 0)
			printf("%s\n", bin);
	} else if (strcmp(cmd, "check") == 0 && argc == 3) {
		if ((r = bird_find(NULL, bin, &e)) == 0)
			r = bird_check_conf(bin, argv[2], &e);
	} else if ((strcmp(cmd, "start") == 0 || strcmp(cmd, "ensure") == 0) && argc == 7) {
		struct bird_paths p;

		if ((r = bird_find(NULL, bin, &e)) < 0)
			return die(&e, r);
		paths_of(&p, argv + 3);
		r = cmd[0] == 's' ? bird_start(bin, argv[2], &p, &e) : bird_ensure(bin, argv[2], &p, &e);
	} else if (strcmp(cmd, "start-late") == 0 && argc == 8) {
		struct bird_launch l;
		struct bird_paths p;
		uint32_t ms;

		if (num_parse_u32(argv[7], 0, 60000, &ms) < 0)
			return usage();
		if ((r = bird_find(NULL, bin, &e)) < 0)
			return die(&e, r);
		paths_of(&p, argv + 3);
		if ((r = bird_launch(bin, argv[2], &p, &l, &e)) == 0) {
			nanosleep(&(struct timespec){ ms / 1000, (long)(ms % 1000) * 1000000 }, NULL);
			r = bird_launch_wait(&l, 1, &e);
			bird_launch_free(&l);
		}
	} else if (strcmp(cmd, "configure") == 0 && argc == 3)
		r = bird_configure(argv[2], &e);
	else if (strcmp(cmd, "stop") == 0 && argc == 4)
		r = bird_stop(argv[2], argv[3], &e);
	else if (strcmp(cmd, "sessions") == 0 && argc == 3)
		return cmd_sessions(argv[2]);
	else if (strcmp(cmd, "routes") == 0 && (argc == 4 || argc == 5))
		return cmd_routes(argv[2], argv[3], argc == 5 && strcmp(argv[4], "filtered") == 0);
	else
		return usage();
	return r < 0 ? die(&e, r) : 0;
}
