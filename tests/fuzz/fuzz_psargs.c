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
	{ "AccessType", false, -1, NULL, NULL },   { "ServiceKey", false, -1, NULL, NULL },
	{ "PrimaryPeerSubnet", false, -1, NULL, NULL }, { "SecondaryPeerSubnet", false, -1, NULL, NULL },
	{ "PeerAsn", false, -1, NULL, NULL },      { "VlanId", false, -1, NULL, NULL },
	{ "SharedKey", false, -1, NULL, NULL },    { "AdvertisedPublicPrefixes", false, -1, NULL, NULL },
	{ "CustomerAsn", false, -1, NULL, NULL },  { "RoutingRegistryName", false, -1, NULL, NULL },
	{ "PeerAddressType", false, -1, NULL, NULL }, { "Force", true, -1, NULL, NULL }, { "PassThru", true, -1, NULL, NULL },
	{ "ErrorAction", false, -1, "ea", "System.Management.Automation.ActionPreference" },
};
static const struct psparam positional[] = {
	{ "ServiceKey", false, 0, NULL, NULL }, { "AccessType", false, 1, NULL, NULL }, { "Name", false, 2, NULL, NULL },
	{ "Force", true, 0, NULL, NULL },
};
static const struct psparam empty[] = { { "X", false, -1, NULL, NULL } };

/* 32 parameters, the binder's maximum, with prefixes sharing most of their length. */
static const struct psparam many[32] = {
	{ "P0", false, 0, NULL, NULL }, { "P1", false, 1, NULL, NULL }, { "P2", false, 2, NULL, NULL }, { "P3", false, 3, NULL, NULL },
	{ "P4", false, 4, NULL, NULL }, { "P5", false, 5, NULL, NULL }, { "P6", false, 6, NULL, NULL }, { "P7", false, 7, NULL, NULL },
	{ "Pa", false, -1, NULL, NULL }, { "Pab", false, -1, NULL, NULL }, { "Pabc", false, -1, NULL, NULL }, { "Pabcd", false, -1, NULL, NULL },
	{ "Q", true, -1, NULL, NULL }, { "Qq", true, -1, NULL, NULL }, { "Qqq", true, -1, NULL, NULL }, { "Qqqq", true, -1, NULL, NULL },
	{ "R0", false, -1, NULL, NULL }, { "R1", false, -1, NULL, NULL }, { "R2", false, -1, NULL, NULL }, { "R3", false, -1, NULL, NULL },
	{ "R4", false, -1, NULL, NULL }, { "R5", false, -1, NULL, NULL }, { "R6", false, -1, NULL, NULL }, { "R7", false, -1, NULL, NULL },
	{ "S0", false, 8, NULL, NULL }, { "S1", false, 9, NULL, NULL }, { "S2", false, 10, NULL, NULL }, { "S3", false, 11, NULL, NULL },
	{ "S4", false, -1, NULL, NULL }, { "S5", false, -1, NULL, NULL }, { "S6", false, -1, NULL, NULL }, { "Z", true, 12, NULL, NULL },
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
