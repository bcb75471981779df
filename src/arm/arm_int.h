/* SPDX-License-Identifier: MIT */
#ifndef ERLAB_ARM_INT_H
#define ERLAB_ARM_INT_H

#include <limits.h>
#include <stdbool.h>
#include <time.h>

#include <jansson.h>
#include <microhttpd.h>

/* jansson builds and parses every JSON value here (src/core/json.c's writer, jw_*, is for the
 * CLI's documents). */
#define arm_jobject() json_object()
#define arm_jarray() json_array()
#define arm_jstring(s) json_string((const char *)(s))

#include "arm/arm.h"
#include "core/field.h"
#include "core/guid.h"
#include "core/model.h"

/* The audience az asks tokens for (from /metadata/endpoints); the endpoint's own URL is one too. */
#define ARM_AUDIENCE "https://management.erlab.local/"
#define ARM_TOKEN_SECONDS 3600
#define ARM_BODY_MAX (1u << 20)
#define ARM_HEADERS_MAX 6

/* The server: one per `erlab serve`. Its files are under <state dir>/arm (docs/arm.md). */
struct arm {
	const struct arm_opts *o;
	int dirfd;                       /* <state dir>/arm */
	char dir[PATH_MAX];
	char tenant[GUID_STRLEN];
	char subscription[GUID_STRLEN];
	char client_id[GUID_STRLEN];     /* the service principal's */
	char secret[48];                 /* and its secret (arm/sp.secret, 0600) */
	unsigned char key[32];           /* HS256 key of the tokens (arm/jwt.key, 0600) */
	char endpoint[128];              /* https://HOST:PORT as the listen address gives it */
	char *cert_pem, *key_pem;        /* the server's certificate and key */
	struct arm_ops *ops;             /* the long-running operations' records (operations.c) */
};

/* One request and its answer. */
struct arm_req {
	struct arm *a;
	struct MHD_Connection *conn;
	bool msi;                        /* on the managed-identity port */
	const char *method;
	char *url;                       /* the path, decoded */
	char *body;
	size_t n_body;
	bool too_big;
	struct MHD_PostProcessor *pp;    /* a form body (token requests) */
	json_t *form;                    /* its fields */
	struct timespec start;
	unsigned status;
	json_t *reply;                   /* NULL: no body */
	const char *hdr[ARM_HEADERS_MAX][2];
	char *hdr_own[ARM_HEADERS_MAX];  /* values to free */
	unsigned n_hdr;
};

/* server.c: the answer. arm_reply steals body (may be NULL). */
void arm_reply(struct arm_req *r, unsigned status, json_t *body);
void arm_error(struct arm_req *r, unsigned status, const char *code, const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));
/* An engine or validation error as ARM's: its status from the exit class, Azure's code and text. */
void arm_error_err(struct arm_req *r, const struct err *e);
void arm_header(struct arm_req *r, const char *name, const char *value);
const char *arm_query(struct arm_req *r, const char *name);
const char *arm_req_header(struct arm_req *r, const char *name);
/* A field of a form body or the query (form first). */
const char *arm_param(struct arm_req *r, const char *name);
/* The body as JSON: NULL after answering 400. */
json_t *arm_body_json(struct arm_req *r);
/* A new engine for this request (its lock is the request's; engine_free lets it go). */
int arm_engine(struct arm_req *r, bool exclusive, struct engine **ret, struct err *e);

/* files.c: files under <state dir>/arm, written atomically. */
int arm_files_open(struct arm *a, const char *state_dir, struct err *e);
int arm_file_read(struct arm *a, const char *rel, char **ret, struct err *e);
int arm_file_write(struct arm *a, const char *rel, const char *data, size_t n, struct err *e);
int arm_file_remove(struct arm *a, const char *rel);
json_t *arm_json_read(struct arm *a, const char *rel);      /* NULL: none or unreadable */
int arm_json_write(struct arm *a, const char *rel, const json_t *j, struct err *e);
/* "groups/<name lowercased>.json"; -EINVAL for a name unfit for a file. */
int arm_meta_path(char *buf, size_t len, const char *kind, const char *name);

/* certs.c: the local CA and the server certificate (made at first start). */
int arm_certs(struct arm *a, struct err *e);

/* identity.c */
int arm_identity_init(struct arm *a, struct err *e);
void arm_metadata(struct arm_req *r);
/* The authorities' openid-configuration and token endpoint: tenant NULL for /adfs, else the tenant
 * of /<tenant>/v2.0 (another tenant than erlab's is answered 400 invalid_tenant). */
void arm_openid(struct arm_req *r, const char *tenant);
void arm_authority_token(struct arm_req *r, const char *tenant);
void arm_msi_token(struct arm_req *r);
void arm_subscriptions(struct arm_req *r, const char *sub);
void arm_tenants(struct arm_req *r);
/* The request carries a valid token for this endpoint: true, else false after answering 401. */
bool arm_authorized(struct arm_req *r);

/* routes.c */
void arm_route(struct arm_req *r);

/* operations.c: ARM's long-running operations, run before the answer (docs/arm.md). */
int arm_ops_new(struct arm *a);
void arm_ops_free(struct arm *a);
/* Answer r as a finished long-running operation of the circuit in region location: status 200 or
 * 201 with result as the body (a PUT), or 202 with Location (a DELETE, a diagnostics POST); the
 * record keeps result (stolen; NULL: operationResults answers 204). */
void arm_op_reply(struct arm_req *r, const char *location, unsigned status, json_t *result);
/* GET .../locations/LOC/operations/ID (results false) or .../operationResults/ID. */
void arm_operations(struct arm_req *r, const char *location, const char *id, bool results);

/* diagnostics.c: a peering's ARP and route tables (POST) and stats (GET), a circuit's stats. */
void arm_diagnostics(struct arm_req *r, const char *rg, const char *circuit, const char *peering, const char *what,
		     const char *path);

/* bind.c: ARM JSON <-> objects through the field tables' .arm column. */
int arm_bind(const struct field_table *t, const char *const *keys, json_t *root, void *obj, unsigned variant,
	     const char *what, struct err *e);
/* Rows of the variant (0: all) and of the families in fams (bit per AF_ family: 1 v4, 2 v6). */
int arm_emit(const struct field_table *t, const void *obj, unsigned variant, unsigned fams, json_t *root);
json_t *arm_path_get(json_t *root, const char *path);
int arm_path_set(json_t *root, const char *path, json_t *v);   /* steals v */

/* groups.c, circuits.c, peerings.c */
json_t *arm_group_get(struct arm *a, const char *name);   /* a new reference, or NULL */
bool arm_group_exists(struct arm *a, const char *name);
void arm_groups(struct arm_req *r, const char *rg);
void arm_circuits(struct arm_req *r, const char *rg, const char *name);
void arm_peerings(struct arm_req *r, const char *rg, const char *circuit, const char *name);
/* circuits.c, for peerings: the circuit `name` of group rg made through ARM (meta: its record), or
 * false after answering 404. */
bool arm_circuit_find(struct arm_req *r, const char *rg, const char *name, json_t **ret_meta);
json_t *arm_peering_json(struct arm *a, json_t *meta, const struct circuit *c, const struct peering *p);
const char *arm_peering_name(enum access_type t);

#endif
