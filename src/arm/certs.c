/* SPDX-License-Identifier: MIT */
/*
 * The local CA and the server certificate, made with GnuTLS's x509 API at first start and kept in
 * <state dir>/arm: ca.pem (what clients trust: REQUESTS_CA_BUNDLE, NODE_EXTRA_CA_CERTS), ca.key,
 * server.pem and server.key (ECDSA P-256). The server's names are those clients use on this
 * machine: localhost, 127.0.0.1, ::1, and the listen address.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <gnutls/crypto.h>
#include <gnutls/gnutls.h>
#include <gnutls/x509.h>

#include "arm/arm_int.h"

#define CA_YEARS 10
#define SERVER_DAYS 825

static int tls_err(struct err *e, const char *what, int g)
{
	return err_set(e, -EIO, what, "GnuTLS: %s", gnutls_strerror(g));
}

static int new_key(gnutls_x509_privkey_t *k)
{
	int g = gnutls_x509_privkey_init(k);

	if (g < 0)
		return g;
	return gnutls_x509_privkey_generate(*k, GNUTLS_PK_ECDSA, GNUTLS_CURVE_TO_BITS(GNUTLS_ECC_CURVE_SECP256R1), 0);
}

/* A certificate of key with the common name: its serial, validity and subject key id. */
static int new_crt(gnutls_x509_crt_t *c, gnutls_x509_privkey_t key, const char *cn, time_t days)
{
	unsigned char serial[16], id[64];
	size_t n = sizeof(id);
	time_t now = time(NULL);
	int g;

	if ((g = gnutls_x509_crt_init(c)) < 0 || (g = gnutls_rnd(GNUTLS_RND_NONCE, serial, sizeof(serial))) < 0)
		return g;
	serial[0] &= 0x7f;
	if ((g = gnutls_x509_crt_set_version(*c, 3)) < 0 || (g = gnutls_x509_crt_set_serial(*c, serial, sizeof(serial))) < 0 ||
	    (g = gnutls_x509_crt_set_activation_time(*c, now - 3600)) < 0 ||
	    (g = gnutls_x509_crt_set_expiration_time(*c, now + days * 86400)) < 0 ||
	    (g = gnutls_x509_crt_set_dn_by_oid(*c, GNUTLS_OID_X520_COMMON_NAME, 0, cn, (unsigned)strlen(cn))) < 0 ||
	    (g = gnutls_x509_crt_set_dn_by_oid(*c, GNUTLS_OID_X520_ORGANIZATION_NAME, 0, "erlab", 5)) < 0 ||
	    (g = gnutls_x509_crt_set_key(*c, key)) < 0 || (g = gnutls_x509_crt_get_key_id(*c, 0, id, &n)) < 0)
		return g;
	return gnutls_x509_crt_set_subject_key_id(*c, id, n);
}

static int export_pem(struct arm *a, const char *rel, gnutls_x509_crt_t crt, gnutls_x509_privkey_t key, struct err *e)
{
	gnutls_datum_t d = {0};
	int g = crt ? gnutls_x509_crt_export2(crt, GNUTLS_X509_FMT_PEM, &d) :
		gnutls_x509_privkey_export2(key, GNUTLS_X509_FMT_PEM, &d);
	int r;

	if (g < 0)
		return tls_err(e, rel, g);
	r = arm_file_write(a, rel, (const char *)d.data, d.size, e);
	gnutls_free(d.data);
	return r;
}

static int add_ip(gnutls_x509_crt_t c, const char *ip)
{
	unsigned char raw[16];

	if (inet_pton(AF_INET, ip, raw) == 1)
		return gnutls_x509_crt_set_subject_alt_name(c, GNUTLS_SAN_IPADDRESS, raw, 4, GNUTLS_FSAN_APPEND);
	if (inet_pton(AF_INET6, ip, raw) == 1)
		return gnutls_x509_crt_set_subject_alt_name(c, GNUTLS_SAN_IPADDRESS, raw, 16, GNUTLS_FSAN_APPEND);
	return 0;
}

static int make(struct arm *a, struct err *e)
{
	gnutls_x509_privkey_t cakey = NULL, key = NULL;
	gnutls_x509_crt_t ca = NULL, crt = NULL;
	unsigned char caid[64];
	size_t n = sizeof(caid);
	const char *listen = a->o->listen_host;
	int g, r = -EIO;

	if ((g = new_key(&cakey)) < 0 || (g = new_crt(&ca, cakey, "erlab local CA", CA_YEARS * 365)) < 0 ||
	    (g = gnutls_x509_crt_set_basic_constraints(ca, 1, 0)) < 0 ||
	    (g = gnutls_x509_crt_set_key_usage(ca, GNUTLS_KEY_KEY_CERT_SIGN | GNUTLS_KEY_CRL_SIGN)) < 0 ||
	    (g = gnutls_x509_crt_sign2(ca, ca, cakey, GNUTLS_DIG_SHA256, 0)) < 0 ||
	    (g = gnutls_x509_crt_get_subject_key_id(ca, caid, &n, NULL)) < 0)
		goto tls;
	if ((g = new_key(&key)) < 0 || (g = new_crt(&crt, key, "localhost", SERVER_DAYS)) < 0 ||
	    (g = gnutls_x509_crt_set_basic_constraints(crt, 0, -1)) < 0 ||
	    (g = gnutls_x509_crt_set_key_usage(crt, GNUTLS_KEY_DIGITAL_SIGNATURE)) < 0 ||
	    (g = gnutls_x509_crt_set_key_purpose_oid(crt, GNUTLS_KP_TLS_WWW_SERVER, 0)) < 0 ||
	    (g = gnutls_x509_crt_set_subject_alt_name(crt, GNUTLS_SAN_DNSNAME, "localhost", 9, GNUTLS_FSAN_APPEND)) < 0 ||
	    (g = add_ip(crt, "127.0.0.1")) < 0 || (g = add_ip(crt, "::1")) < 0 ||
	    (strcmp(listen, "127.0.0.1") && strcmp(listen, "::1") && (g = add_ip(crt, listen)) < 0) ||
	    (g = gnutls_x509_crt_set_authority_key_id(crt, caid, n)) < 0 ||
	    (g = gnutls_x509_crt_sign2(crt, ca, cakey, GNUTLS_DIG_SHA256, 0)) < 0)
		goto tls;
	/* The server's files first, the CA's last: a CA on disk means the set is whole. */
	if ((r = export_pem(a, "server.key", NULL, key, e)) < 0 || (r = export_pem(a, "server.pem", crt, NULL, e)) < 0 ||
	    (r = export_pem(a, "ca.key", NULL, cakey, e)) < 0 || (r = export_pem(a, "ca.pem", ca, NULL, e)) < 0)
		goto out;
	r = 0;
	goto out;
tls:
	r = tls_err(e, "certificate", g);
out:
	if (crt)
		gnutls_x509_crt_deinit(crt);
	if (key)
		gnutls_x509_privkey_deinit(key);
	if (ca)
		gnutls_x509_crt_deinit(ca);
	if (cakey)
		gnutls_x509_privkey_deinit(cakey);
	return r;
}

int arm_certs(struct arm *a, struct err *e)
{
	char *ca = NULL;
	int r;

	if (arm_file_read(a, "ca.pem", &ca, NULL) < 0 && (r = make(a, e)) < 0)
		return r;
	free(ca);
	if ((r = arm_file_read(a, "server.pem", &a->cert_pem, e)) < 0 || (r = arm_file_read(a, "server.key", &a->key_pem, e)) < 0)
		return r;
	return 0;
}
