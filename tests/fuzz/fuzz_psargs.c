/* SPDX-License-Identifier: MIT */
/*
 * libFuzzer harness for the cmdlet argument binder (psargs_bind). The input is an argv: words
 * separated by NUL bytes; the first byte picks one of a few parameter tables shaped like the
 * cmdlets'. Checks: every bound value points into the caller's words, a bound non-switch has a
 * value, a failure has a message.
 */
#include <errno.h>

#include "core/psargs.h"
#include "fuzz_common.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static const struct psparam new_peering[] = {
	{ "AccessType", false, -1 },   { "ServiceKey", false, -1 },
	{ "PrimaryPeerSubnet", false, -1 }, { "SecondaryPeerSubnet", false, -1 },
	{ "PeerAsn", false, -1 },      { "VlanId", false, -1 },
	{ "SharedKey", false, -1 },    { "AdvertisedPublicPrefixes", false, -1 },
	{ "CustomerAsn", false, -1 },  { "RoutingRegistryName", false, -1 },
	{ "PeerAddressType", false, -1 }, { "Force", true, -1 }, { "PassThru", true, -1 },
};
static const struct psparam positional[] = {
	{ "ServiceKey", false, 0 }, { "AccessType", false, 1 }, { "Name", false, 2 },
	{ "Force", true, 0 },
};
static const struct psparam empty[] = { { "X", false, -1 } };

/* 32 parameters, the binder's maximum, with prefixes sharing most of their length. */
static const struct psparam many[32] = {
	{ "P0", false, 0 }, { "P1", false, 1 }, { "P2", false, 2 }, { "P3", false, 3 },
	{ "P4", false, 4 }, { "P5", false, 5 }, { "P6", false, 6 }, { "P7", false, 7 },
	{ "Pa", false, -1 }, { "Pab", false, -1 }, { "Pabc", false, -1 }, { "Pabcd", false, -1 },
	{ "Q", true, -1 }, { "Qq", true, -1 }, { "Qqq", true, -1 }, { "Qqqq", true, -1 },
	{ "R0", false, -1 }, { "R1", false, -1 }, { "R2", false, -1 }, { "R3", false, -1 },
	{ "R4", false, -1 }, { "R5", false, -1 }, { "R6", false, -1 }, { "R7", false, -1 },
	{ "S0", false, 8 }, { "S1", false, 9 }, { "S2", false, 10 }, { "S3", false, 11 },
	{ "S4", false, -1 }, { "S5", false, -1 }, { "S6", false, -1 }, { "Z", true, 12 },
};

static const struct {
	const struct psparam *p;
	unsigned n;
} tables[] = {
	{ new_peering, sizeof(new_peering) / sizeof(new_peering[0]) },
	{ positional, sizeof(positional) / sizeof(positional[0]) },
	{ empty, 0 },
	{ many, 32 },
};

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *buf, **argv;
	int argc = 0;
	struct psbound b;
	struct err e = { 0 };
	unsigned t;
	int r;

	if (size < 1)
		return 0;
	t = data[0] % (sizeof(tables) / sizeof(tables[0]));
	buf = fuzz_strndup(data + 1, size - 1);
	argv = calloc(size + 1, sizeof(*argv));
	if (!argv)
		abort();
	for (size_t i = 0; i < size - 1;) {
		argv[argc++] = buf + i;
		i += strlen(buf + i) + 1;
	}
	argv[argc] = NULL;

	r = psargs_bind(tables[t].p, tables[t].n, argc, argv, &b, &e);
	if (r != 0 && r != -EINVAL)
		abort();
	fuzz_check_err(&e, r);
	if (r < 0 && e.msg[0] == '\0')
		abort();
	if (r == 0) {
		for (unsigned i = 0; i < tables[t].n; i++) {
			const char *v = b.value[i];

			if (v && (v < buf || v > buf + size - 1))
				abort();   /* must point into the caller's words */
			if (b.present[i] && !tables[t].p[i].is_switch && !v)
				abort();
			if (v)
				(void)strlen(v);
		}
	}
	free(argv);
	free(buf);
	return 0;
}
