/* SPDX-License-Identifier: MIT */
/*
 * Identity, enough for the Azure CLI and SDKs and no more (docs/arm.md, "Identity"): the cloud's
 * /metadata/endpoints, two authorities for service-principal logins (ADFS-style for az, a tenant's
 * for the SDKs), the managed-identity token endpoint, one tenant and one subscription. Tokens are
 * JWTs (HS256, GnuTLS's HMAC) with the claims the clients read, signed with a key kept in the state
 * dir; every ARM request must carry one, unexpired, for this endpoint's audience.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <gnutls/crypto.h>
#include <gnutls/gnutls.h>

#include "arm/arm_int.h"

/* ---- base64url (RFC 7515) over GnuTLS's base64 ---- */

static char *b64url(const void *data, size_t n)
{
	gnutls_datum_t in = { (unsigned char *)data, (unsigned)n }, out = {0};
	char *s;
	size_t k = 0;

	if (gnutls_base64_encode2(&in, &out) < 0)
		return NULL;
	if ((s = malloc(out.size + 1)))
		for (unsigned i = 0; i < out.size; i++) {
			char c = (char)out.data[i];

			if (c == '=' || c == '\n' || c == '\r')
				continue;
			s[k++] = c == '+' ? '-' : c == '/' ? '_' : c;
		}
	if (s)
		s[k] = '\0';
	gnutls_free(out.data);
	return s;
}

/* Decoded into *out (gnutls_free it), or -EINVAL. */
static int unb64url(const char *s, size_t n, gnutls_datum_t *out)
{
	char *t = malloc(n + 4);
	gnutls_datum_t in;
	size_t k = 0;
	int g;

	if (!t)
		return -ENOMEM;
	for (size_t i = 0; i < n; i++) {
		char c = s[i];

		if (c == '+' || c == '/' || c == '=') {
			free(t);
			return -EINVAL;
		}
		t[k++] = c == '-' ? '+' : c == '_' ? '/' : c;
	}
	while (k % 4)
		t[k++] = '=';
	in = (gnutls_datum_t){ (unsigned char *)t, (unsigned)k };
	g = gnutls_base64_decode2(&in, out);
	free(t);
	return g < 0 ? -EINVAL : 0;
}

/* ---- the identity's files ---- */

static int hex(char *out, const unsigned char *b, size_t n)
{
	for (size_t i = 0; i < n; i++)
		sprintf(out + 2 * i, "%02x", b[i]);
	return 0;
}

int arm_identity_init(struct arm *a, struct err *e)
{
	json_t *id = arm_json_read(a, "identity.json");
	char *text = NULL;
	unsigned char raw[32];
	int r = 0;

	if (id && json_unpack(id, "{s:s,s:s,s:s}", "tenant", &(const char *){0}, "subscription", &(const char *){0},
			      "clientId", &(const char *){0}) == 0) {
		snprintf(a->tenant, sizeof(a->tenant), "%s", json_string_value(json_object_get(id, "tenant")));
		snprintf(a->subscription, sizeof(a->subscription), "%s",
			 json_string_value(json_object_get(id, "subscription")));
		snprintf(a->client_id, sizeof(a->client_id), "%s", json_string_value(json_object_get(id, "clientId")));
	} else {
		json_decref(id);
		if (guid_generate(a->tenant) < 0 || guid_generate(a->subscription) < 0 || guid_generate(a->client_id) < 0)
			return err_set(e, -EIO, "identity", "no random numbers");
		id = json_pack("{s:s,s:s,s:s}", "tenant", a->tenant, "subscription", a->subscription, "clientId",
			       a->client_id);
		if ((r = arm_json_write(a, "identity.json", id, e)) < 0)
			goto out;
	}
	if (arm_file_read(a, "sp.secret", &text, NULL) == 0 && strlen(text) >= 32 && strlen(text) < sizeof(a->secret)) {
		snprintf(a->secret, sizeof(a->secret), "%.*s", (int)strcspn(text, "\n"), text);
	} else {
		if (gnutls_rnd(GNUTLS_RND_KEY, raw, 20) < 0) {
			r = err_set(e, -EIO, "sp.secret", "no random numbers");
			goto out;
		}
		hex(a->secret, raw, 20);
		if ((r = arm_file_write(a, "sp.secret", a->secret, strlen(a->secret), e)) < 0)
			goto out;
	}
	free(text);
	text = NULL;
	if (arm_file_read(a, "jwt.key", &text, NULL) == 0 && strlen(text) == 64) {
		for (unsigned i = 0; i < 32; i++)
			sscanf(text + 2 * i, "%2hhx", &a->key[i]);
	} else {
		char k[65];

		if (gnutls_rnd(GNUTLS_RND_KEY, a->key, sizeof(a->key)) < 0) {
			r = err_set(e, -EIO, "jwt.key", "no random numbers");
			goto out;
		}
		hex(k, a->key, sizeof(a->key));
		r = arm_file_write(a, "jwt.key", k, 64, e);
		explicit_bzero(k, sizeof(k));
	}
out:
	if (text)
		explicit_bzero(text, strlen(text));
	free(text);
	json_decref(id);
	return r;
}

/* ---- tokens ---- */

/* The audiences a token may be for: az's (from /metadata/endpoints) and this endpoint's own URL,
 * however the client names the loopback. Compared without trailing slashes and "/.default". */
static void trim_audience(char *s)
{
	size_t n = strlen(s);

	if (n > 9 && strcmp(s + n - 9, "/.default") == 0)
		s[n -= 9] = '\0';
	while (n && s[n - 1] == '/')
		s[--n] = '\0';
}

static bool audience_ok(struct arm *a, const char *aud)
{
	char t[256], want[160];
	const char *hosts[] = { "127.0.0.1", "localhost", "[::1]" };

	snprintf(t, sizeof(t), "%s", aud);
	trim_audience(t);
	snprintf(want, sizeof(want), "%s", ARM_AUDIENCE);
	trim_audience(want);
	if (strcasecmp(t, want) == 0 || strcasecmp(t, a->endpoint) == 0)
		return true;
	for (unsigned i = 0; i < 3; i++) {
		snprintf(want, sizeof(want), "https://%s:%u", hosts[i], a->o->port);
		if (strcasecmp(t, want) == 0)
			return true;
	}
	return false;
}

static char *sign(struct arm *a, const char *head_payload)
{
	unsigned char mac[32];

	if (gnutls_hmac_fast(GNUTLS_MAC_SHA256, a->key, sizeof(a->key), head_payload, strlen(head_payload), mac) < 0)
		return NULL;
	return b64url(mac, sizeof(mac));
}

/* A token for aud (already checked), valid ARM_TOKEN_SECONDS from now; *exp: when it expires. */
static char *token(struct arm *a, const char *aud, time_t *exp)
{
	time_t now = time(NULL);
	json_t *p = json_pack("{s:s,s:s,s:I,s:I,s:I,s:s,s:s,s:s,s:s,s:s}", "aud", aud, "iss", "erlab", "iat",
			      (json_int_t)now, "nbf", (json_int_t)now - 60, "exp", (json_int_t)now + ARM_TOKEN_SECONDS,
			      "tid", a->tenant, "oid", a->client_id, "sub", a->client_id, "appid", a->client_id,
			      "ver", "1.0");
	char *ptext = p ? json_dumps(p, JSON_COMPACT) : NULL;
	static const char head[] = "{\"alg\":\"HS256\",\"typ\":\"JWT\"}";
	char *h = b64url(head, sizeof(head) - 1), *pl = ptext ? b64url(ptext, strlen(ptext)) : NULL;
	char *hp = NULL, *sig = NULL, *tok = NULL;

	if (h && pl && asprintf(&hp, "%s.%s", h, pl) > 0 && (sig = sign(a, hp)) && asprintf(&tok, "%s.%s", hp, sig) < 0)
		tok = NULL;
	*exp = now + ARM_TOKEN_SECONDS;
	free(h);
	free(pl);
	free(hp);
	free(sig);
	free(ptext);
	json_decref(p);
	return tok;
}

static void unauthorized(struct arm_req *r, const char *code, const char *msg)
{
	char v[300];

	snprintf(v, sizeof(v), "Bearer authorization_uri=\"%s/adfs\", error=\"invalid_token\", "
		 "error_description=\"%s\"", r->a->endpoint, code);
	arm_header(r, "WWW-Authenticate", v);
	arm_error(r, 401, code, "%s", msg);
}

bool arm_authorized(struct arm_req *r)
{
	const char *h = arm_req_header(r, "Authorization");
	const char *t, *dot1, *dot2;
	gnutls_datum_t sig = {0}, pl = {0};
	char *want = NULL, *hp = NULL;
	json_t *claims = NULL;
	json_int_t exp;
	const char *aud;
	bool ok = false;

	if (!h || strncasecmp(h, "Bearer ", 7) != 0) {
		unauthorized(r, "AuthenticationFailed", "Authentication failed. The 'Authorization' header is missing.");
		return false;
	}
	t = h + 7;
	if (!(dot1 = strchr(t, '.')) || !(dot2 = strchr(dot1 + 1, '.')) || strchr(dot2 + 1, '.') ||
	    !(hp = strndup(t, (size_t)(dot2 - t))) || !(want = sign(r->a, hp)) ||
	    strlen(want) != strlen(dot2 + 1) || gnutls_memcmp(want, dot2 + 1, strlen(want)) != 0 ||
	    unb64url(dot1 + 1, (size_t)(dot2 - dot1 - 1), &pl) < 0 ||
	    !(claims = json_loadb((const char *)pl.data, pl.size, 0, NULL)) ||
	    json_unpack(claims, "{s:I,s:s}", "exp", &exp, "aud", &aud) < 0) {
		unauthorized(r, "InvalidAuthenticationToken",
			     "The access token is invalid: not a token this endpoint signed.");
		goto out;
	}
	/* The header was signed with the rest: it can only be the one token() writes (alg HS256). */
	if (exp <= (json_int_t)time(NULL)) {
		unauthorized(r, "ExpiredAuthenticationToken", "The access token has expired.");
		goto out;
	}
	if (!audience_ok(r->a, aud)) {
		char m[400];

		snprintf(m, sizeof(m), "The access token has been obtained for wrong audience or resource '%s'. It should "
			 "exactly match with one of the allowed audiences '%s','%s/'.", aud, ARM_AUDIENCE, r->a->endpoint);
		unauthorized(r, "InvalidAuthenticationTokenAudience", m);
		goto out;
	}
	ok = true;
out:
	gnutls_free(sig.data);
	gnutls_free(pl.data);
	json_decref(claims);
	free(want);
	free(hp);
	return ok;
}

/* ---- the endpoints ---- */

/* https://HOST as the client reached us (for URLs in answers), else the listen address. */
static void base_url(struct arm_req *r, char *buf, size_t len)
{
	const char *host = arm_req_header(r, "Host");

	if (host && !strpbrk(host, "/\\\"' ") && strlen(host) < 100)
		snprintf(buf, len, "https://%s", host);
	else
		snprintf(buf, len, "%s", r->a->endpoint);
}

void arm_metadata(struct arm_req *r)
{
	char b[160], g[200], p[200], l[200], m[200];

	base_url(r, b, sizeof(b));
	snprintf(g, sizeof(g), "%s/gallery/", b);
	snprintf(p, sizeof(p), "%s/graph/", b);
	snprintf(l, sizeof(l), "%s/adfs", b);
	snprintf(m, sizeof(m), "%s/", b);
	arm_reply(r, 200, json_pack("{s:s,s:s,s:s,s:s,s:s,s:{s:s,s:[s]}}", "name", "erlab", "galleryEndpoint", g,
				    "graphEndpoint", p, "portalEndpoint", m, "resourceManager", m, "authentication",
				    "loginEndpoint", l, "audiences", ARM_AUDIENCE));
}

static void oauth_error(struct arm_req *r, unsigned status, const char *code, const char *msg)
{
	arm_reply(r, status, json_pack("{s:s,s:s}", "error", code, "error_description", msg));
}

/* The two authorities MSAL logs in at, on the same service principal: the ADFS-style one (az's
 * loginEndpoint, /adfs: MSAL skips instance discovery for it) and a tenant's (/<tenant>/v2.0: the
 * SDKs' authorityHost followed by the tenant, with instance discovery disabled). tenant NULL: ADFS.
 * Their errors are worded as each one's (MSIS for ADFS, AADSTS for a tenant). */
struct authority {
	char base[200];          /* https://HOST/adfs or https://HOST/<tenant> */
	bool aad;
};

static bool authority(struct arm_req *r, const char *tenant, struct authority *au)
{
	char b[160];

	base_url(r, b, sizeof(b));
	au->aad = tenant != NULL;
	if (!tenant) {
		snprintf(au->base, sizeof(au->base), "%s/adfs", b);
		return true;
	}
	if (strcasecmp(tenant, r->a->tenant) != 0) {
		char m[200];

		snprintf(m, sizeof(m), "AADSTS90002: Tenant '%.60s' not found. erlab serve's tenant is %s.", tenant,
			 r->a->tenant);
		oauth_error(r, 400, "invalid_tenant", m);
		return false;
	}
	snprintf(au->base, sizeof(au->base), "%s/%s", b, r->a->tenant);
	return true;
}

void arm_openid(struct arm_req *r, const char *tenant)
{
	struct authority au;
	char iss[240], az[240], tok[240], keys[240];
	const char *v = "";

	if (!authority(r, tenant, &au))
		return;
	if (au.aad)
		v = "/v2.0";
	snprintf(iss, sizeof(iss), "%s%s", au.base, v);
	snprintf(az, sizeof(az), "%s/oauth2%s/authorize%s", au.base, v, au.aad ? "" : "/");
	snprintf(tok, sizeof(tok), "%s/oauth2%s/token%s", au.base, v, au.aad ? "" : "/");
	snprintf(keys, sizeof(keys), "%s/discovery%s/keys", au.base, v);
	arm_reply(r, 200, json_pack("{s:s,s:s,s:s,s:s,s:[s],s:[s],s:[s],s:[s,s],s:[s]}", "issuer", iss,
				    "authorization_endpoint", az, "token_endpoint", tok, "jwks_uri", keys,
				    "response_types_supported", "token", "subject_types_supported", "pairwise",
				    "id_token_signing_alg_values_supported", "HS256", "token_endpoint_auth_methods_supported",
				    "client_secret_post", "client_secret_basic", "grant_types_supported",
				    "client_credentials"));
}

/* The audience a token request asks for: resource=, or the first scope= that ends in /.default. */
static bool requested_audience(struct arm_req *r, char *buf, size_t len)
{
	const char *res = arm_param(r, "resource"), *scope = arm_param(r, "scope");

	if (res) {
		snprintf(buf, len, "%s", res);
		return true;
	}
	for (const char *s = scope; s && *s;) {
		size_t n = strcspn(s, " ");

		if (n > 9 && strncmp(s + n - 9, "/.default", 9) == 0 && n < len) {
			memcpy(buf, s, n - 9);
			buf[n - 9] = '\0';
			return true;
		}
		s += n;
		s += strspn(s, " ");
	}
	return false;
}

void arm_authority_token(struct arm_req *r, const char *tenant)
{
	const char *grant = arm_param(r, "grant_type"), *id = arm_param(r, "client_id");
	const char *secret = arm_param(r, "client_secret");
	struct authority au;
	char aud[256], *tok;
	time_t exp;

	if (!authority(r, tenant, &au))
		return;
	if (strcmp(r->method, "POST") != 0) {
		oauth_error(r, 405, "invalid_request", "POST a form to the token endpoint");
		return;
	}
	if (!grant || strcmp(grant, "client_credentials") != 0) {
		oauth_error(r, 400, "unsupported_grant_type",
			    au.aad ? "AADSTS70003: erlab's authority grants client_credentials only (a client secret)"
				   : "erlab's authority grants client_credentials only (az login --service-principal)");
		return;
	}
	if (!id || !secret || strcasecmp(id, r->a->client_id) != 0 || strlen(secret) != strlen(r->a->secret) ||
	    gnutls_memcmp(secret, r->a->secret, strlen(secret)) != 0) {
		oauth_error(r, 401, "invalid_client",
			    au.aad ? "AADSTS7000215: Invalid client secret provided. The client_id or client_secret is "
				     "not the one of erlab serve's service principal."
				   : "MSIS9607: The client_id or client_secret is not the one of erlab serve's service "
				     "principal.");
		return;
	}
	if (!requested_audience(r, aud, sizeof(aud)) || !audience_ok(r->a, aud)) {
		oauth_error(r, 400, "invalid_resource",
			    au.aad ? "AADSTS500011: The resource principal is not this endpoint's audience."
				   : "MSIS9602: The resource is not this endpoint's audience.");
		return;
	}
	if (!(tok = token(r->a, aud, &exp))) {
		oauth_error(r, 500, "server_error", "could not make a token");
		return;
	}
	arm_reply(r, 200, json_pack("{s:s,s:i,s:i,s:s}", "token_type", "Bearer", "expires_in", ARM_TOKEN_SECONDS,
				    "ext_expires_in", ARM_TOKEN_SECONDS, "access_token", tok));
	free(tok);
}

/* Managed identity: az's MSI_ENDPOINT (POST, Metadata: true, resource= in a form) and App
 * Service's IDENTITY_ENDPOINT (GET, X-IDENTITY-HEADER, resource= in the query). */
void arm_msi_token(struct arm_req *r)
{
	const char *md = arm_req_header(r, "Metadata");
	char aud[256], *tok, exp_s[24];
	time_t exp;

	if (!(md && strcasecmp(md, "true") == 0) && !arm_req_header(r, "X-IDENTITY-HEADER")) {
		oauth_error(r, 400, "invalid_request", "Required metadata header not specified");
		return;
	}
	if (!requested_audience(r, aud, sizeof(aud)) || !audience_ok(r->a, aud)) {
		oauth_error(r, 400, "invalid_resource", "The resource is not this endpoint's audience.");
		return;
	}
	if (!(tok = token(r->a, aud, &exp))) {
		oauth_error(r, 500, "server_error", "could not make a token");
		return;
	}
	snprintf(exp_s, sizeof(exp_s), "%lld", (long long)exp);
	arm_reply(r, 200, json_pack("{s:s,s:s,s:s,s:s,s:s,s:s}", "access_token", tok, "token_type", "Bearer",
				    "expires_on", exp_s, "expires_in", "3600", "resource", aud, "client_id",
				    r->a->client_id));
	free(tok);
}

static json_t *subscription(struct arm *a)
{
	char id[64];

	snprintf(id, sizeof(id), "/subscriptions/%s", a->subscription);
	return json_pack("{s:s,s:s,s:s,s:s,s:s,s:s,s:{s:s,s:s,s:s}}", "id", id, "subscriptionId", a->subscription,
			 "tenantId", a->tenant, "displayName", "erlab", "state", "Enabled", "authorizationSource",
			 "RoleBased", "subscriptionPolicies", "locationPlacementId", "Public_2014-09-01", "quotaId",
			 "PayAsYouGo_2014-09-01", "spendingLimit", "Off");
}

void arm_subscriptions(struct arm_req *r, const char *sub)
{
	if (strcmp(r->method, "GET") != 0)
		{ arm_error(r, 405, "MethodNotAllowed", "The requested resource does not support http method '%s'.",
				 r->method); return; }
	if (!sub) {
		arm_reply(r, 200, json_pack("{s:[o]}", "value", subscription(r->a)));
		return;
	}
	if (strcasecmp(sub, r->a->subscription) != 0) {
		arm_error(r, 404, "SubscriptionNotFound", "The subscription '%s' could not be found.", sub);
		return;
	}
	arm_reply(r, 200, subscription(r->a));
}

void arm_tenants(struct arm_req *r)
{
	char id[64];

	snprintf(id, sizeof(id), "/tenants/%s", r->a->tenant);
	arm_reply(r, 200, json_pack("{s:[{s:s,s:s,s:s,s:s}]}", "value", "id", id, "tenantId", r->a->tenant,
				    "tenantCategory", "Home", "displayName", "erlab"));
}
