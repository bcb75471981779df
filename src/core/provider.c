/* SPDX-License-Identifier: MIT */
#include <stdio.h>
#include <strings.h>

#include "core/provider.h"

/*
 * The classic catalogue as recorded in Dec 2015 (docs/rules.md, "Circuits"): every provider offers the
 * same eight bandwidths; locations are a representative subset of each provider's real ones.
 */
static const uint32_t bandwidths[] = { 50, 100, 200, 500, 1000, 2000, 5000, 10000, 0 };

static const char *const equinix[] = {
	"Silicon Valley", "Washington DC", "Chicago", "Dallas", "Seattle", "New York",
	"Amsterdam", "London", "Frankfurt", "Singapore", "Hong Kong", "Tokyo", "Sydney",
	"Sao Paulo", NULL,
};
static const char *const att[] = {
	"Silicon Valley", "Washington DC", "Chicago", "Dallas", "Amsterdam", "London", NULL,
};
static const char *const verizon[] = {
	"Silicon Valley", "Washington DC", "Chicago", "Dallas", "London", "Amsterdam",
	"Hong Kong", "Sydney", NULL,
};
static const char *const level3[] = {
	"Silicon Valley", "Washington DC", "Chicago", "Dallas", "Seattle", "London", NULL,
};
static const char *const zayo[] = {
	"Silicon Valley", "Washington DC", "New York", "Chicago", "Dallas", "Seattle", NULL,
};
static const char *const megaport[] = {
	"Silicon Valley", "Washington DC", "Dallas", "Seattle", "Sydney", "Melbourne",
	"Singapore", "Hong Kong", NULL,
};
static const char *const colt[] = {
	"Amsterdam", "London", "Dublin", "Paris", "Frankfurt", NULL,
};
static const char *const bt[] = {
	"London", "Amsterdam", "Silicon Valley", "Washington DC", "Hong Kong", "Singapore",
	"Tokyo", NULL,
};
static const char *const interxion[] = {
	"Amsterdam", "London", "Dublin", "Frankfurt", "Paris", NULL,
};
static const char *const orange[] = {
	"Amsterdam", "London", "Paris", "Silicon Valley", "Washington DC", "Hong Kong",
	"Singapore", NULL,
};
static const char *const ntt[] = {
	"Tokyo", "Osaka", "Hong Kong", "Singapore", "London", NULL,
};
static const char *const telstra[] = {
	"Sydney", "Melbourne", "Hong Kong", "Singapore", "London", NULL,
};

static const struct provider catalogue[] = {
	{ "Equinix", equinix, bandwidths },
	{ "AT&T NetBond", att, bandwidths },
	{ "Verizon", verizon, bandwidths },
	{ "Level 3 Communications - Exchange", level3, bandwidths },
	{ "Zayo Group", zayo, bandwidths },
	{ "Megaport", megaport, bandwidths },
	{ "Colt", colt, bandwidths },
	{ "British Telecom", bt, bandwidths },
	{ "Interxion", interxion, bandwidths },
	{ "Orange", orange, bandwidths },
	{ "NTT Communications", ntt, bandwidths },
	{ "Telstra Corporation", telstra, bandwidths },
};

const struct provider *provider_catalogue(unsigned *ret_n)
{
	if (ret_n)
		*ret_n = sizeof(catalogue) / sizeof(catalogue[0]);
	return catalogue;
}

const struct provider *provider_find(const char *name)
{
	unsigned i;

	if (!name)
		return NULL;
	/* The how-to types "equinix" and Azure echoes it back as typed. */
	for (i = 0; i < sizeof(catalogue) / sizeof(catalogue[0]); i++)
		if (strcasecmp(catalogue[i].name, name) == 0)
			return &catalogue[i];
	return NULL;
}

const char *provider_location(const struct provider *p, const char *location)
{
	const char *const *l;

	if (!p || !location)
		return NULL;
	for (l = p->locations; *l; l++)
		if (strcasecmp(*l, location) == 0)
			return *l;
	return NULL;
}

int provider_has_bandwidth(const struct provider *p, uint32_t mbps)
{
	const uint32_t *b;

	if (!p || mbps == 0)
		return 0;
	for (b = p->bandwidths; *b; b++)
		if (*b == mbps)
			return 1;
	return 0;
}

int provider_offered_bandwidth(uint32_t mbps)
{
	unsigned n;
	const struct provider *cat = provider_catalogue(&n);

	for (unsigned i = 0; i < n; i++)
		if (provider_has_bandwidth(&cat[i], mbps))
			return 1;
	return 0;
}

const char *bandwidth_label(uint32_t mbps, char *buf, unsigned len)
{
	if (!buf || len == 0)
		return buf;
	if (mbps >= 1000 && mbps % 1000 == 0)
		snprintf(buf, len, "%uGbps", (unsigned)(mbps / 1000));
	else
		snprintf(buf, len, "%uMbps", (unsigned)mbps);
	return buf;
}
