/* SPDX-License-Identifier: MIT */
#ifndef ERLAB_ARM_H
#define ERLAB_ARM_H

#include <signal.h>
#include <stdint.h>
#include <stdio.h>

#include "core/err.h"
#include "engine/engine.h"

/*
 * `erlab serve`: an Azure Resource Manager endpoint (docs/arm.md). HTTPS with a local CA made at
 * first start under the state dir, the identity endpoints the Azure CLI and SDKs log in with, and
 * resource groups, ExpressRoute circuits and peerings bound through the field tables onto the
 * engine's operations. Each request makes its own engine, so the state dir's lock is taken per
 * request and never held between them.
 */
struct arm_opts {
	struct engine_opts engine;   /* what each request's engine is made with */
	char listen_host[64];        /* numeric IPv4 or IPv6 address */
	uint16_t port;               /* HTTPS: ARM, /metadata/endpoints, the ADFS authority */
	uint16_t msi_port;           /* plain HTTP on 127.0.0.1: the managed-identity token endpoint */
	FILE *log;                   /* one line per request, notices */
	FILE *out;                   /* how to trust and log in, at start */
	struct bgp_settings bgp;     /* what circuits ARM creates run (--bgp KEY=VALUE), as a lab's [bgp] */
};

/* Serve until one of the signals in *stops arrives (the caller has them blocked). 0 after a clean
 * stop, or -errno with e filled (address in use, another serve on this state dir, ...). */
int arm_serve(const struct arm_opts *o, const sigset_t *stops, struct err *e);

/* Whether an `erlab serve` runs on this state dir: 0 and its URL, -ESRCH when none does. */
int arm_check(const char *state_dir, char *url, size_t len, struct err *e);

#endif
