/* SPDX-License-Identifier: MIT */
/*
 * libFuzzer harness for the state file reader (circuit_read_ini), which must survive a file
 * truncated or edited by hand (README, "What erlab guarantees"). What it accepts must be a valid circuit that writes
 * back (circuit_write_ini) and reads again to the same text: a fixed point after one round; its
 * peer subnets are /30 or /126 network addresses and its VLANs 1-4094 ("circuit_read_ini
 * validates what it reads", state.h).
 */
#include <errno.h>

#include "core/cidr.h"
#include "fuzz_common.h"
#include "store/state.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* docs/rules.md: a stored peer subnet is a /30 (IPv4) or /126 (IPv6) network address. */
static void check_subnet(const struct peering *p, unsigned bit, const struct cidr *c, int family)
{
	if (!(p->has & bit))
		return;
	if (c->family != family || c->prefixlen != (family == AF_INET ? 30 : 126) || !cidr_is_network(c)) {
		char buf[CIDR_STRLEN];

		fprintf(stderr, "fuzz_state: accepted a %s peering subnet %s\n", access_type_lower(p->type),
			cidr_str(c, buf, sizeof(buf)));
		abort();
	}
}

static void check_circuit(const struct circuit *c)
{
	for (int t = 0; t < _ACCESS_MAX; t++) {
		const struct peering *p = &c->peerings[t];

		if (!c->peering_present[t])
			continue;
		check_subnet(p, PEERING_HAS_PRIMARY4, &p->primary4, AF_INET);
		check_subnet(p, PEERING_HAS_SECONDARY4, &p->secondary4, AF_INET);
		check_subnet(p, PEERING_HAS_PRIMARY6, &p->primary6, AF_INET6);
		check_subnet(p, PEERING_HAS_SECONDARY6, &p->secondary6, AF_INET6);
		if ((p->has & PEERING_HAS_VLAN) && (p->vlan_id < 1 || p->vlan_id > 4094))
			abort();
	}
}

static char *write_text(const struct circuit *c, size_t *ret_len)
{
	char *text = NULL;
	FILE *f = open_memstream(&text, ret_len);

	if (!f)
		abort();
	if (circuit_write_ini(c, f) != 0)
		abort();
	fclose(f);
	return text;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char path[4096], path2[4096];
	struct circuit c, c2;
	struct err e = { 0 };
	char *t1, *t2;
	size_t n1, n2;
	int r;

	/* No ".ini": circuit_read_ini then skips the file-name-equals-circuit-name check, so any
	 * name the input holds can be accepted and exercised. */
	fuzz_write_temp(data, size, "", path);
	circuit_init(&c);
	r = circuit_read_ini(path, &c, &e);
	unlink(path);
	fuzz_check_err(&e, r);
	if (r < 0) {
		if (e.msg[0] == '\0')
			abort();   /* corrupted file, no message */
		circuit_clear(&c);
		return 0;
	}
	if (c.name[0] == '\0')
		abort();
	check_circuit(&c);

	t1 = write_text(&c, &n1);
	fuzz_write_temp((const uint8_t *)t1, n1, "", path2);
	circuit_init(&c2);
	memset(&e, 0, sizeof(e));
	r = circuit_read_ini(path2, &c2, &e);
	unlink(path2);
	if (r != 0) {
		fprintf(stderr, "fuzz_state: written state does not read back: %s: %s\n%s\n",
			e.what, e.msg, t1);
		abort();
	}
	t2 = write_text(&c2, &n2);
	if (n1 != n2 || memcmp(t1, t2, n1) != 0) {
		fprintf(stderr, "fuzz_state: not a fixed point:\n--- first\n%s--- second\n%s", t1, t2);
		abort();
	}
	free(t1);
	free(t2);
	circuit_clear(&c);
	circuit_clear(&c2);
	return 0;
}
