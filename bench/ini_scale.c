/* SPDX-License-Identifier: MIT */
/*
 * erlab-ini-scale: does reading an INI document stay linear? It builds, in memory, documents of
 * N circuits in labs/classic.ini's shape (a [circuit ID] of 7 keys, then [peering ID TYPE] of 5, 5
 * and 8 keys: 29 sections and keys a circuit) and times src/ini's ini_read_text() on them, so a
 * 10x larger document should take about 10x longer. Not a test: timing depends on the machine.
 *
 *   erlab-ini-scale [N...] [-r RUNS]     default N = 1000 10000, 5 runs; prints the best run
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "ini/ini.h"

static char *document(unsigned n, size_t *ret_len)
{
	char *text = NULL;
	FILE *f = open_memstream(&text, ret_len);

	if (!f)
		return NULL;
	fprintf(f, "[lab]\ndatapath = veth\n");
	for (unsigned i = 1; i <= n; i++) {
		fprintf(f, "\n[circuit c%u]\nname = Circuit%u\nservice_key = 00000000-0000-4000-8000-%012u\n", i, i, i);
		fprintf(f, "bandwidth = 1000\nlocation = \"Silicon Valley\"\nservice_provider_name = equinix\n");
		fprintf(f, "sku = Standard\nprovisioned = yes\n");
		fprintf(f, "[peering c%u private]\nprimary_peer_subnet = 10.0.0.0/30\nsecondary_peer_subnet = 10.0.0.4/30\n", i);
		fprintf(f, "peer_asn = 65001\nvlan_id = 100\nshared_key = A1B2C3D4\n");
		fprintf(f, "[peering c%u public]\nprimary_peer_subnet = 131.107.0.0/30\n", i);
		fprintf(f, "secondary_peer_subnet = 131.107.0.4/30\npeer_asn = 1234\nvlan_id = 200\nshared_key = A1B2C3D4\n");
		fprintf(f, "[peering c%u microsoft]\nprimary_peer_subnet = 131.107.0.8/30\n", i);
		fprintf(f, "secondary_peer_subnet = 131.107.0.12/30\npeer_asn = 1234\nvlan_id = 300\ncustomer_asn = 2245\n");
		fprintf(f, "advertised_public_prefixes = 123.0.0.0/30 ; one prefix\nrouting_registry_name = ARIN\n");
		fprintf(f, "shared_key = A1B2C3D4\n");
	}
	if (fclose(f) != 0) {
		free(text);
		return NULL;
	}
	return text;
}

static void mistake(void *ud, const struct ini_place *at, int errnum, const char *msg, const char *detail)
{
	char what_buf[1024];
	const char *what = ini_place_text(at, what_buf, sizeof(what_buf));
	unsigned line = at->line;

	(void)ud;
	(void)line;
	(void)errnum;
	fprintf(stderr, "erlab-ini-scale: %s: %s (%s)\n", what, msg, detail ? detail : "");
}

static double now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec * 1e3 + (double)ts.tv_nsec / 1e6;
}

/* The best of `runs` reads of n circuits, in ms; < 0 when a read fails. */
static double measure(unsigned n, unsigned runs, size_t *ret_bytes, unsigned *ret_entries)
{
	/* Past the lab's limits: 1 MiB and 65536 entries hold about 1000 circuits. */
	const struct ini_limits lim = { .max_bytes = 1u << 30, .max_entries = 1u << 24 };
	size_t len;
	char *text = document(n, &len);
	double best = -1;

	if (!text)
		return -1;
	*ret_bytes = len;
	for (unsigned r = 0; r < runs; r++) {
		struct ini_doc d;
		double t0 = now_ms(), t;

		if (ini_read_text(text, len, "scale.ini", &lim, &d, mistake, NULL) != 0) {
			best = -1;
			break;
		}
		t = now_ms() - t0;
		*ret_entries = d.n_sections + d.n_keys;
		if (d.n_sections != 1 + 4 * n || !ini_section_find(&d, "peering c1 microsoft")) {
			fprintf(stderr, "erlab-ini-scale: wrong document for N=%u\n", n);
			ini_doc_free(&d);
			best = -1;
			break;
		}
		ini_doc_free(&d);
		if (best < 0 || t < best)
			best = t;
	}
	free(text);
	return best;
}

int main(int argc, char **argv)
{
	unsigned ns[16], n_ns = 0, runs = 5;
	double first = 0;

	for (int i = 1; i < argc; i++) {
		if (strcmp(argv[i], "-r") == 0 && i + 1 < argc)
			runs = (unsigned)strtoul(argv[++i], NULL, 10);
		else if (n_ns < sizeof(ns) / sizeof(ns[0]) && strtoul(argv[i], NULL, 10) > 0)
			ns[n_ns++] = (unsigned)strtoul(argv[i], NULL, 10);
		else {
			fprintf(stderr, "usage: erlab-ini-scale [N...] [-r RUNS]\n");
			return 2;
		}
	}
	if (n_ns == 0) {
		ns[n_ns++] = 1000;
		ns[n_ns++] = 10000;
	}
	if (runs == 0)
		runs = 1;

	printf("%8s %10s %9s %10s %12s %8s\n", "circuits", "entries", "KiB", "ms", "ms/circuit", "x first");
	for (unsigned i = 0; i < n_ns; i++) {
		unsigned entries = 0;
		size_t bytes = 0;
		double ms = measure(ns[i], runs, &bytes, &entries);

		if (ms < 0) {
			fprintf(stderr, "erlab-ini-scale: N=%u failed\n", ns[i]);
			return 1;
		}
		if (i == 0)
			first = ms;
		printf("%8u %10u %9zu %10.2f %12.4f %8.2f\n", ns[i], entries, bytes / 1024, ms, ms / ns[i], ms / first);
	}
	return 0;
}
