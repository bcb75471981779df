/* SPDX-License-Identifier: MIT */
/*
 * The HTTP side of `erlab serve`: GNU libmicrohttpd with GnuTLS for the ARM endpoint, plain HTTP
 * on 127.0.0.1 for the managed-identity token endpoint, each with one internal thread (requests
 * are answered one at a time, as the engine's lock would have them anyway). One log line per
 * request: method, path, status, duration.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <unistd.h>

#include "arm/arm_int.h"

struct face {
	struct arm *a;
	bool msi;
};

void arm_reply(struct arm_req *r, unsigned status, json_t *body)
{
	r->status = status;
	json_decref(r->reply);
	r->reply = body;
}

void arm_error(struct arm_req *r, unsigned status, const char *code, const char *fmt, ...)
{
	char msg[1024];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	arm_reply(r, status, json_pack("{s:{s:s,s:s}}", "error", "code", code, "message", msg));
}

void arm_error_err(struct arm_req *r, const struct err *e)
{
	static const unsigned status[] = { 200, 500, 400, 409, 404 };
	char buf[1400];
	int x = err_exit(e);

	arm_error(r, x >= 0 && x < 5 ? status[x] : 500, err_azure_code_of(e), "%s", err_format(e, buf, sizeof(buf)));
}

void arm_header(struct arm_req *r, const char *name, const char *value)
{
	if (r->n_hdr == ARM_HEADERS_MAX)
		return;
	r->hdr_own[r->n_hdr] = strdup(value);
	r->hdr[r->n_hdr][0] = name;
	r->hdr[r->n_hdr][1] = r->hdr_own[r->n_hdr];
	if (r->hdr_own[r->n_hdr])
		r->n_hdr++;
}

const char *arm_query(struct arm_req *r, const char *name)
{
	return MHD_lookup_connection_value(r->conn, MHD_GET_ARGUMENT_KIND, name);
}

const char *arm_req_header(struct arm_req *r, const char *name)
{
	return MHD_lookup_connection_value(r->conn, MHD_HEADER_KIND, name);
}

const char *arm_param(struct arm_req *r, const char *name)
{
	const char *v = r->form ? json_string_value(json_object_get(r->form, name)) : NULL;

	return v ? v : arm_query(r, name);
}

json_t *arm_body_json(struct arm_req *r)
{
	json_error_t je;
	json_t *j;

	if (!r->n_body) {
		arm_error(r, 400, "InvalidRequestContent", "The request content is empty: a JSON object is expected.");
		return NULL;
	}
	j = json_loadb(r->body, r->n_body, 0, &je);
	if (!j || !json_is_object(j)) {
		arm_error(r, 400, "InvalidRequestContent",
			  "The request content was invalid and could not be deserialized: %s (line %d, column %d).",
			  j ? "not a JSON object" : je.text, je.line, je.column);
		json_decref(j);
		return NULL;
	}
	return j;
}

static void engine_log(void *ud, const struct engine_event *ev)
{
	struct arm_req *r = ud;

	if (ev->type == ENGINE_NOTICE || ev->type == ENGINE_WARNING)
		fprintf(r->a->o->log, "erlab serve: %s%s\n", ev->type == ENGINE_WARNING ? "warning: " : "",
			ev->text ? ev->text : "");
}

int arm_engine(struct arm_req *r, bool exclusive, struct engine **ret, struct err *e)
{
	struct engine_opts o = r->a->o->engine;
	int k;

	o.event = engine_log;
	o.ud = r;
	if ((k = engine_new(&o, ret, e)) < 0)
		return k;
	if ((k = engine_lock(*ret, exclusive, e)) < 0) {
		engine_free(*ret);
		*ret = NULL;
	}
	return k;
}

static enum MHD_Result form_field(void *cls, enum MHD_ValueKind kind, const char *key, const char *filename,
				  const char *content_type, const char *encoding, const char *data, uint64_t off,
				  size_t size)
{
	struct arm_req *r = cls;
	const char *old = json_string_value(json_object_get(r->form, key));
	size_t n = old && off ? strlen(old) : 0;
	char *v;

	(void)kind; (void)filename; (void)content_type; (void)encoding;
	if (n + size > 8192 || !(v = malloc(n + size + 1)))
		return MHD_NO;
	memcpy(v, old, n);
	memcpy(v + n, data, size);
	v[n + size] = '\0';
	json_object_set_new(r->form, key, arm_jstring(v));
	free(v);
	return MHD_YES;
}

static struct arm_req *req_new(struct face *f, struct MHD_Connection *conn, const char *url, const char *method)
{
	struct arm_req *r = calloc(1, sizeof(*r));
	const char *ct;

	if (!r)
		return NULL;
	clock_gettime(CLOCK_MONOTONIC, &r->start);
	r->a = f->a;
	r->msi = f->msi;
	r->conn = conn;
	r->method = method;
	r->url = strdup(url);
	ct = MHD_lookup_connection_value(conn, MHD_HEADER_KIND, MHD_HTTP_HEADER_CONTENT_TYPE);
	if (ct && strncasecmp(ct, "application/x-www-form-urlencoded", 33) == 0) {
		r->form = arm_jobject();
		r->pp = MHD_create_post_processor(conn, 4096, form_field, r);
	}
	if (!r->url) {
		free(r);
		return NULL;
	}
	return r;
}

static void req_free(struct arm_req *r)
{
	if (r->pp)
		MHD_destroy_post_processor(r->pp);
	json_decref(r->form);
	json_decref(r->reply);
	for (unsigned i = 0; i < r->n_hdr; i++)
		free(r->hdr_own[i]);
	free(r->body);
	free(r->url);
	free(r);
}

static enum MHD_Result send_reply(struct arm_req *r)
{
	struct MHD_Response *resp;
	enum MHD_Result ok;
	char *text = r->reply ? json_dumps(r->reply, JSON_COMPACT) : NULL;
	char id[GUID_STRLEN];

	resp = MHD_create_response_from_buffer(text ? strlen(text) : 0, text ? text : (char *)"",
					       text ? MHD_RESPMEM_MUST_FREE : MHD_RESPMEM_PERSISTENT);
	if (!resp) {
		free(text);
		return MHD_NO;
	}
	if (text)
		MHD_add_response_header(resp, MHD_HTTP_HEADER_CONTENT_TYPE, "application/json; charset=utf-8");
	if (guid_generate(id) == 0) {
		MHD_add_response_header(resp, "x-ms-request-id", id);
		MHD_add_response_header(resp, "x-ms-correlation-request-id", id);
	}
	for (unsigned i = 0; i < r->n_hdr; i++)
		MHD_add_response_header(resp, r->hdr[i][0], r->hdr[i][1]);
	ok = MHD_queue_response(r->conn, r->status, resp);
	MHD_destroy_response(resp);
	return ok;
}

static enum MHD_Result handle(void *cls, struct MHD_Connection *conn, const char *url, const char *method,
			      const char *version, const char *upload, size_t *upload_size, void **con_cls)
{
	struct arm_req *r = *con_cls;

	(void)version;
	if (!r) {
		if (!(*con_cls = req_new(cls, conn, url, method)))
			return MHD_NO;
		return MHD_YES;
	}
	if (*upload_size) {
		if (r->n_body + *upload_size > ARM_BODY_MAX) {
			r->too_big = true;
		} else if (!r->too_big) {
			char *b = realloc(r->body, r->n_body + *upload_size + 1);

			if (!b)
				return MHD_NO;
			memcpy(b + r->n_body, upload, *upload_size);
			r->n_body += *upload_size;
			b[r->n_body] = '\0';
			r->body = b;
			if (r->pp)
				MHD_post_process(r->pp, upload, *upload_size);
		}
		*upload_size = 0;
		return MHD_YES;
	}
	r->status = 500;
	if (r->too_big)
		arm_error(r, 413, "RequestEntityTooLarge", "The request content is larger than %u bytes.", ARM_BODY_MAX);
	else
		arm_route(r);
	return send_reply(r);
}

static void completed(void *cls, struct MHD_Connection *conn, void **con_cls, enum MHD_RequestTerminationCode why)
{
	struct face *f = cls;
	struct arm_req *r = *con_cls;
	struct timespec now;

	(void)conn;
	if (!r)
		return;
	clock_gettime(CLOCK_MONOTONIC, &now);
	fprintf(f->a->o->log, "erlab serve: %s%s %s %u %.1f ms%s\n", r->msi ? "identity " : "", r->method, r->url,
		r->status, (double)(now.tv_sec - r->start.tv_sec) * 1e3 + (double)(now.tv_nsec - r->start.tv_nsec) / 1e6,
		why == MHD_REQUEST_TERMINATED_COMPLETED_OK ? "" : " (connection ended early)");
	fflush(f->a->o->log);
	req_free(r);
	*con_cls = NULL;
}

static struct MHD_Daemon *start(struct face *f, const char *host, uint16_t port, bool tls, struct err *e)
{
	struct sockaddr_storage ss = {0};
	struct sockaddr_in *s4 = (struct sockaddr_in *)&ss;
	struct sockaddr_in6 *s6 = (struct sockaddr_in6 *)&ss;
	unsigned flags = MHD_USE_INTERNAL_POLLING_THREAD | MHD_USE_ERROR_LOG;
	struct MHD_Daemon *d;

	if (inet_pton(AF_INET, host, &s4->sin_addr) == 1) {
		s4->sin_family = AF_INET;
		s4->sin_port = htons(port);
	} else if (inet_pton(AF_INET6, host, &s6->sin6_addr) == 1) {
		s6->sin6_family = AF_INET6;
		s6->sin6_port = htons(port);
		flags |= MHD_USE_IPv6;
	} else {
		err_set(e, -EINVAL, host, "not a numeric IPv4 or IPv6 address");
		return NULL;
	}
	if (tls)
		flags |= MHD_USE_TLS;
	errno = 0;
	d = tls ? MHD_start_daemon(flags, port, NULL, NULL, handle, f, MHD_OPTION_SOCK_ADDR, &ss,
				   MHD_OPTION_NOTIFY_COMPLETED, completed, f, MHD_OPTION_HTTPS_MEM_KEY, f->a->key_pem,
				   MHD_OPTION_HTTPS_MEM_CERT, f->a->cert_pem, MHD_OPTION_CONNECTION_TIMEOUT, 60u,
				   MHD_OPTION_END)
		: MHD_start_daemon(flags, port, NULL, NULL, handle, f, MHD_OPTION_SOCK_ADDR, &ss,
				   MHD_OPTION_NOTIFY_COMPLETED, completed, f, MHD_OPTION_CONNECTION_TIMEOUT, 60u,
				   MHD_OPTION_END);
	if (!d) {
		char what[96];

		snprintf(what, sizeof(what), strchr(host, ':') ? "[%s]:%u" : "%s:%u", host, port);
		err_set(e, errno ? -errno : -EADDRINUSE, what, "cannot listen: %s",
			strerror(errno ? errno : EADDRINUSE));
	}
	return d;
}

/* The serve lock: held while serving, so a second serve on this state dir is refused and --check
 * can tell. The file says the URL. */
static int take_serve_lock(struct arm *a, int *ret_fd, struct err *e)
{
	char text[256];
	int fd = openat(a->dirfd, "serve.pid", O_RDWR | O_CREAT | O_CLOEXEC | O_NOFOLLOW, 0600);
	int n;

	if (fd < 0)
		return err_set(e, -errno, "serve.pid", "cannot open: %s", strerror(errno));
	if (flock(fd, LOCK_EX | LOCK_NB) < 0) {
		n = (int)read(fd, text, sizeof(text) - 1);
		text[n > 0 ? n : 0] = '\0';
		text[strcspn(text, "\n")] = '\0';
		close(fd);
		err_set(e, -EBUSY, "erlab serve", "already serving this state dir at %s", text[0] ? text : "?");
		return -EBUSY;
	}
	n = snprintf(text, sizeof(text), "%s\n%d\n", a->endpoint, (int)getpid());
	if (ftruncate(fd, 0) < 0 || write(fd, text, (size_t)n) != n) {
		close(fd);
		return err_set(e, -EIO, "serve.pid", "cannot write");
	}
	*ret_fd = fd;
	return 0;
}

static void print_start(struct arm *a)
{
	FILE *f = a->o->out;

	fprintf(f, "erlab serve: Azure Resource Manager at %s/ (subscription %s, tenant %s)\n", a->endpoint,
		a->subscription, a->tenant);
	fprintf(f, "Trust its CA:\n  export REQUESTS_CA_BUNDLE=%s/ca.pem   # az (Python)\n"
		   "  export NODE_EXTRA_CA_CERTS=%s/ca.pem  # Node.js SDKs\n", a->dir, a->dir);
	fprintf(f, "Log in with the Azure CLI:\n"
		   "  az cloud register -n erlab --endpoint-resource-manager %s/ && az cloud set -n erlab\n"
		   "  MSI_ENDPOINT=http://127.0.0.1:%u/msi/token az login --identity   # keep MSI_ENDPOINT set\n"
		   "  az login --service-principal -u %s -p \"$(cat %s/sp.secret)\" --tenant %s\n",
		a->endpoint, a->o->msi_port, a->client_id, a->dir, a->tenant);
	fprintf(f, "Log in with an Azure SDK (the secret is %s/sp.secret):\n"
		   "  new ClientSecretCredential(\"%s\", \"%s\", SECRET, { authorityHost: \"%s\", "
		   "disableInstanceDiscovery: true })\n", a->dir, a->tenant, a->client_id, a->endpoint);
	fflush(f);
}

int arm_serve(const struct arm_opts *o, const sigset_t *stops, struct err *e)
{
	struct arm a = { .o = o, .dirfd = -1 };
	struct face https = { &a, false }, msi = { &a, true };
	struct MHD_Daemon *d1 = NULL, *d2 = NULL;
	int lockfd = -1, sig, r;

	snprintf(a.endpoint, sizeof(a.endpoint), strchr(o->listen_host, ':') ? "https://[%s]:%u" : "https://%s:%u",
		 o->listen_host, o->port);
	if ((r = arm_files_open(&a, o->engine.state_dir, e)) < 0 || (r = take_serve_lock(&a, &lockfd, e)) < 0 ||
	    (r = arm_identity_init(&a, e)) < 0 || (r = arm_certs(&a, e)) < 0)
		goto out;
	if ((r = arm_ops_new(&a)) < 0) {
		err_set(e, r, "erlab serve", "out of memory");
		goto out;
	}
	if (!(d1 = start(&https, o->listen_host, o->port, true, e)) ||
	    !(d2 = start(&msi, "127.0.0.1", o->msi_port, false, e))) {
		r = e->errnum;
		goto out;
	}
	print_start(&a);
	fprintf(o->log, "erlab serve: listening on %s, managed identity on http://127.0.0.1:%u\n", a.endpoint,
		o->msi_port);
	fflush(o->log);
	do
		sig = sigwaitinfo(stops, NULL);
	while (sig < 0 && errno == EINTR);
	fprintf(o->log, "erlab serve: SIG%s: stopping\n", sig > 0 && sigabbrev_np(sig) ? sigabbrev_np(sig) : "?");
	r = 0;
out:
	if (d2)
		MHD_stop_daemon(d2);
	if (d1)
		MHD_stop_daemon(d1);
	if (lockfd >= 0) {
		unlinkat(a.dirfd, "serve.pid", 0);
		close(lockfd);
	}
	if (a.dirfd >= 0)
		close(a.dirfd);
	arm_ops_free(&a);
	free(a.cert_pem);
	free(a.key_pem);
	explicit_bzero(a.key, sizeof(a.key));
	explicit_bzero(a.secret, sizeof(a.secret));
	return r;
}

int arm_check(const char *state_dir, char *url, size_t len, struct err *e)
{
	char path[PATH_MAX], text[256];
	int fd, n;

	snprintf(path, sizeof(path), "%s/arm/serve.pid", state_dir);
	fd = open(path, O_RDONLY | O_CLOEXEC | O_NOFOLLOW);
	if (fd < 0 || flock(fd, LOCK_SH | LOCK_NB) == 0) {
		if (fd >= 0)
			close(fd);
		return err_set(e, -ESRCH, state_dir, "no erlab serve runs on this state dir");
	}
	n = (int)read(fd, text, sizeof(text) - 1);
	close(fd);
	text[n > 0 ? n : 0] = '\0';
	text[strcspn(text, "\n")] = '\0';
	snprintf(url, len, "%s", text);
	return 0;
}
