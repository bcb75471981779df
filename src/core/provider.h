/* SPDX-License-Identifier: MIT */
#ifndef ERLAB_PROVIDER_H
#define ERLAB_PROVIDER_H

#include <stdint.h>

/* The built-in service provider catalogue (Get-AzureDedicatedCircuitServiceProvider). */

struct provider {
	const char *name;                 /* as Azure lists it, e.g. "Equinix" */
	const char *const *locations;     /* NULL-terminated */
	const uint32_t *bandwidths;       /* Mbps, 0-terminated */
};

const struct provider *provider_catalogue(unsigned *ret_n);
/* Case-insensitive lookup; NULL when unknown. */
const struct provider *provider_find(const char *name);
/* Matching location in the provider's canonical spelling, or NULL. */
const char *provider_location(const struct provider *p, const char *location);
int provider_has_bandwidth(const struct provider *p, uint32_t mbps);
/* Some provider of the catalogue offers it. */
int provider_offered_bandwidth(uint32_t mbps);
/* "50Mbps" "1Gbps"... into buf. */
const char *bandwidth_label(uint32_t mbps, char *buf, unsigned len);

#endif
