/* SPDX-License-Identifier: MIT */
/* BIRD's control socket: the line-protocol client, and the parsers of `show protocols all` and `show route`. */
#include "bgp/bird.h"

#include <errno.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <time.h>
#include <unistd.h>

#include "bgp/bird_int.h"
#include "core/num.h"

#define CONNECT_RETRY_MS 10

long long bird_now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (long long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

void bird_reply_free(struct reply *r)
{
	unsigned i;

	for (i = 0; i < r->n; i++)
		free(r->v[i].text);
	free(r->v);
	memset(r, 0, sizeof(*r));
}

/* Wait until fd is ready for events or the deadline passes: 0, -ETIMEDOUT, or -errno. */
static int ctl_wait(int fd, short events, long long deadline)
{
	struct pollfd pfd = { .fd = fd, .events = events };

	for (;;) {
		long long left = deadline - bird_now_ms();
		int n;

		if (left <= 0)
			return -ETIMEDOUT;
		n = poll(&pfd, 1, (int)left);
		if (n > 0)
			return 0;
		if (n == 0)
			return -ETIMEDOUT;
		if (errno != EINTR)
			return -errno;
	}
}

/* A line of the control protocol, without its newline, into *ret (heap). -EPIPE at EOF. */
static int ctl_getline(struct ctl *c, char **ret)
{
	char *line = NULL;
	size_t n = 0;

	for (;;) {
		char *nl = memchr(c->buf + c->off, '\n', c->len - c->off);
		size_t take = nl ? (size_t)(nl - (c->buf + c->off)) : c->len - c->off;
		char *grown = realloc(line, n + take + 1);
		ssize_t got;
		int rc;

		if (!grown) {
			free(line);
			return -ENOMEM;
		}
		line = grown;
		memcpy(line + n, c->buf + c->off, take);
		n += take;
		line[n] = '\0';
		c->off += take;
		if (nl) {
			c->off++;
			*ret = line;
			return 0;
		}
		c->off = c->len = 0;
		if ((rc = ctl_wait(c->fd, POLLIN, c->deadline)) < 0) {
			free(line);
			return rc;
		}
		got = read(c->fd, c->buf, sizeof(c->buf));
		if (got < 0 && (errno == EINTR || errno == EAGAIN))
			continue;
		if (got <= 0) {
			free(line);
			return got < 0 ? -errno : -EPIPE;
		}
		c->len = (size_t)got;
	}
}

static bool is_code(const char *s)
{
	return s[0] >= '0' && s[0] <= '9' && s[1] >= '0' && s[1] <= '9' && s[2] >= '0' && s[2] <= '9' &&
	       s[3] >= '0' && s[3] <= '9' && (s[4] == '-' || s[4] == ' ');
}

/* Lines up to the one that ends the reply ("NNNN text"); spontaneous "+" lines are dropped. */
static int ctl_reply(struct ctl *c, struct reply *r)
{
	int code = 0;

	memset(r, 0, sizeof(*r));
	for (;;) {
		char *s = NULL;
		int rc = ctl_getline(c, &s);
		bool last = false;
		struct line l;

		if (rc < 0) {
			bird_reply_free(r);
			return rc;
		}
		if (s[0] == '+') {
			free(s);
			continue;
		}
		if (is_code(s)) {
			code = (s[0] - '0') * 1000 + (s[1] - '0') * 100 + (s[2] - '0') * 10 + (s[3] - '0');
			last = s[4] == ' ';
			memmove(s, s + 5, strlen(s + 5) + 1);
		} else if (s[0] == ' ') {
			memmove(s, s + 1, strlen(s + 1) + 1);
		}
		if (r->n == r->cap) {
			unsigned cap = r->cap ? r->cap * 2 : 64;
			struct line *v = realloc(r->v, cap * sizeof(*v));

			if (!v) {
				free(s);
				bird_reply_free(r);
				return -ENOMEM;
			}
			r->v = v;
			r->cap = cap;
		}
		l.code = code;
		l.text = s;
		r->v[r->n++] = l;
		if (last) {
			r->code = code;
			r->final = s;
			return 0;
		}
	}
}

/*
 * Non-blocking throughout: a BIRD that stopped accepting fills its listen backlog, and a blocking
 * connect() would then wait for it without end. A unix socket answers EAGAIN at once instead (it
 * never connects later, as TCP does), so the connect is simply tried again until the deadline.
 */
static int ctl_connect(const char *path, long long deadline, int *ret_fd)
{
	struct sockaddr_un sa = { .sun_family = AF_UNIX };
	int fd, r;

	if (strlen(path) >= sizeof(sa.sun_path))
		return -ENAMETOOLONG;
	memcpy(sa.sun_path, path, strlen(path) + 1);
	fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC | SOCK_NONBLOCK, 0);
	if (fd < 0)
		return -errno;
	while (connect(fd, (struct sockaddr *)&sa, sizeof(sa)) < 0) {
		struct timespec ts = { .tv_nsec = CONNECT_RETRY_MS * 1000000L };

		r = -errno;
		if (r == -EINTR)
			continue;
		if (r == -EAGAIN && bird_now_ms() + CONNECT_RETRY_MS < deadline) {
			nanosleep(&ts, NULL);
			continue;
		}
		close(fd);
		return r == -EAGAIN ? -ETIMEDOUT : r;
	}
	*ret_fd = fd;
	return 0;
}

/* Connect and read the welcome ("0001 BIRD 2.0.12 ready."). */
int bird_ctl_open(struct ctl *c, const char *path, struct err *e)
{
	struct reply r;
	int rc;

	memset(c, 0, sizeof(*c));
	c->deadline = bird_now_ms() + BIRD_CTL_DEADLINE_MS;
	rc = ctl_connect(path, c->deadline, &c->fd);
	if (rc < 0)
		return err_set(e, rc, path, "cannot connect to the BIRD control socket: %s", strerror(-rc));
	rc = ctl_reply(c, &r);
	if (rc == 0 && r.code != 1) {
		rc = -EPROTO;
		bird_reply_free(&r);
	}
	if (rc < 0) {
		close(c->fd);
		return err_set(e, rc, path, "no BIRD welcome on the control socket: %s", strerror(-rc));
	}
	bird_reply_free(&r);
	return 0;
}

/* Send one command, read its whole reply, by the deadline bird_ctl_open set. */
int bird_ctl_cmd(struct ctl *c, const char *path, const char *cmd, struct reply *r, struct err *e)
{
	size_t n = strlen(cmd), done = 0;
	char *line = malloc(n + 2);
	int rc = 0;

	if (!line)
		return err_set(e, -ENOMEM, path, "out of memory");
	memcpy(line, cmd, n);
	line[n++] = '\n';
	while (done < n) {
		ssize_t w = send(c->fd, line + done, n - done, MSG_NOSIGNAL);

		if (w < 0 && errno == EINTR)
			continue;
		if (w < 0 && errno == EAGAIN && (rc = ctl_wait(c->fd, POLLOUT, c->deadline)) == 0)
			continue;
		if (w < 0) {
			if (rc == 0)
				rc = -errno;
			break;
		}
		done += (size_t)w;
	}
	free(line);
	if (rc == 0)
		rc = ctl_reply(c, r);
	if (rc < 0)
		return err_set(e, rc, path, "BIRD command \"%s\" failed: %s", cmd, strerror(-rc));
	return 0;
}

/* One command on a fresh connection: one exchange, one deadline. */
int bird_query(const char *path, const char *cmd, struct reply *r, struct err *e)
{
	struct ctl c;
	int rc;

	rc = bird_ctl_open(&c, path, e);
	if (rc < 0)
		return rc;
	rc = bird_ctl_cmd(&c, path, cmd, r, e);
	close(c.fd);
	return rc;
}

bool bird_running(const char *ctl)
{
	struct ctl c;

	if (bird_ctl_open(&c, ctl, NULL) < 0)
		return false;
	close(c.fd);
	return true;
}

/* ---- show protocols all ---- */

static bool looks_like_date(const char *s)
{
	return strlen(s) == 10 && s[4] == '-' && s[7] == '-';
}

static time_t parse_since(const char *text)
{
	struct tm tm;
	char *end;

	memset(&tm, 0, sizeof(tm));
	end = strptime(text, "%Y-%m-%d %H:%M:%S", &tm);
	if (!end)
		return 0;
	tm.tm_isdst = -1;
	return mktime(&tm);
}

/* "name proto table state since... info" (code 1002). */
static void parse_proto_line(const char *text, struct bird_session *s, char *proto, size_t plen)
{
	char tok[6][64];
	int n = 0;
	const char *p = text;

	memset(tok, 0, sizeof(tok));
	while (n < 6 && *p) {
		size_t len;

		while (*p == ' ')
			p++;
		len = strcspn(p, " ");
		if (!len)
			break;
		snprintf(tok[n++], sizeof(tok[0]), "%.*s", (int)len, p);
		p += len;
	}
	snprintf(s->name, sizeof(s->name), "%s", tok[0]);
	snprintf(proto, plen, "%s", tok[1]);
	snprintf(s->proto_state, sizeof(s->proto_state), "%.7s", tok[3]);
	if (looks_like_date(tok[4]))
		snprintf(s->since, sizeof(s->since), "%.10s %.20s", tok[4], tok[5]);
	else
		snprintf(s->since, sizeof(s->since), "%.31s", tok[4]);
	s->since_s = parse_since(s->since);
}

static const char *after_key(const char *text, const char *key)
{
	size_t n = strlen(key);

	while (*text == ' ' || *text == '\t')
		text++;
	if (strncmp(text, key, n) != 0)
		return NULL;
	text += n;
	while (*text == ' ' || *text == '\t')
		text++;
	return text;
}

/* "1 imported, 0 filtered, 1 exported, 1 preferred" (filtered only with keep filtered). */
static void parse_routes(const char *v, struct bird_session *s)
{
	while (*v) {
		char word[16];
		unsigned long n;
		char *end;
		int used = 0;

		n = strtoul(v, &end, 10);
		if (end == v || sscanf(end, " %15[a-z]%n", word, &used) != 1)
			return;
		if (strcmp(word, "imported") == 0)
			s->imported += (uint32_t)n;
		else if (strcmp(word, "filtered") == 0)
			s->filtered += (uint32_t)n;
		else if (strcmp(word, "exported") == 0)
			s->exported += (uint32_t)n;
		else if (strcmp(word, "preferred") == 0)
			s->preferred += (uint32_t)n;
		v = end + used;
		while (*v == ',' || *v == ' ')
			v++;
	}
}

static void parse_detail(const char *text, struct bird_session *s)
{
	const char *v;

	if ((v = after_key(text, "BGP state:")))
		snprintf(s->state, sizeof(s->state), "%s", v);
	else if ((v = after_key(text, "Neighbor address:")))
		cidr_parse_addr(v, &s->neighbor);
	else if ((v = after_key(text, "Neighbor AS:")))
		num_parse_u32(v, 0, UINT32_MAX, &s->neighbor_as);
	else if ((v = after_key(text, "Routes:")))
		parse_routes(v, s);
	else if ((v = after_key(text, "Last error:")))
		snprintf(s->last_error, sizeof(s->last_error), "%s", v);
}

int bird_sessions(const char *ctl, struct bird_session **ret, unsigned *ret_n, struct err *e)
{
	struct bird_session *v = NULL, *cur = NULL;
	unsigned n = 0, i;
	struct reply r;
	int rc;

	*ret = NULL;
	*ret_n = 0;
	rc = bird_query(ctl, "show protocols all", &r, e);
	if (rc < 0)
		return rc;
	if (r.code != 0) {
		rc = err_set(e, -EIO, ctl, "BIRD: show protocols failed");
		err_detail(e, "%04d %s", r.code, r.final);
		goto out;
	}
	for (i = 0; i < r.n; i++) {
		if (r.v[i].code == 1002) {
			struct bird_session s = { 0 };
			char proto[64];

			cur = NULL;
			parse_proto_line(r.v[i].text, &s, proto, sizeof(proto));
			if (strcmp(proto, "BGP") != 0)
				continue;
			if (n % 16 == 0) {
				struct bird_session *g = realloc(v, (n + 16) * sizeof(*v));

				if (!g) {
					rc = err_set(e, -ENOMEM, ctl, "out of memory");
					goto out;
				}
				v = g;
			}
			v[n] = s;
			cur = &v[n++];
		} else if (r.v[i].code == 1006 && cur) {
			parse_detail(r.v[i].text, cur);
		}
	}
	for (i = 0; i < n; i++)
		if (!v[i].state[0])
			snprintf(v[i].state, sizeof(v[i].state), "%s", v[i].proto_state);
	*ret = v;
	*ret_n = n;
	v = NULL;
out:
	free(v);
	bird_reply_free(&r);
	return rc;
}

/* ---- show route ---- */

static bool proto_name_ok(const char *s)
{
	size_t i, n = strlen(s);

	if (n == 0 || n > 63)
		return false;
	for (i = 0; i < n; i++)
		if (!((s[i] >= 'a' && s[i] <= 'z') || (s[i] >= 'A' && s[i] <= 'Z') ||
		      (s[i] >= '0' && s[i] <= '9') || s[i] == '_'))
			return false;
	return true;
}

/* "10.1.0.0/16          unicast [private_primary ...] * (100) [AS12076i]"; a blank network
 * (spaces) is another route for the previous one. Returns false for other lines ("Table master4:"). */
static bool parse_route_line(const char *text, const struct cidr *prev, struct bird_route *rt)
{
	char net[CIDR_STRLEN + 8] = "";
	const char *bracket = strchr(text, '[');

	memset(rt, 0, sizeof(*rt));
	if (!bracket)
		return false;
	if (text[0] != ' ') {
		size_t len = strcspn(text, " \t");

		if (len >= sizeof(net))
			return false;
		memcpy(net, text, len);
		net[len] = '\0';
		if (cidr_parse(net, &rt->network) < 0)
			return false;
	} else if (prev && prev->family) {
		rt->network = *prev;
	} else {
		return false;
	}
	bracket = strchr(bracket, ']');
	rt->best = bracket && strncmp(bracket, "] *", 3) == 0;
	return true;
}

int bird_routes(const char *ctl, const char *protocol, bool filtered, struct bird_route **ret, unsigned *ret_n,
		struct err *e)
{
	struct bird_route *v = NULL, *cur = NULL;
	struct cidr prev = { 0 };
	unsigned n = 0, i;
	char cmd[128];
	struct reply r;
	int rc;

	*ret = NULL;
	*ret_n = 0;
	if (!proto_name_ok(protocol))
		return err_set(e, -EINVAL, ctl, "protocol name \"%s\" is not [A-Za-z0-9_]", protocol);
	snprintf(cmd, sizeof(cmd), "show route %sprotocol %s all", filtered ? "filtered " : "", protocol);
	rc = bird_query(ctl, cmd, &r, e);
	if (rc < 0)
		return rc;
	if (r.code != 0) {
		/* 9001/9002: the name is not a protocol BIRD knows. */
		rc = err_set(e, r.code >= 9000 ? -ENOENT : -EIO, ctl, "BIRD: %s failed", cmd);
		err_detail(e, "%04d %s", r.code, r.final);
		goto out;
	}
	for (i = 0; i < r.n; i++) {
		const char *t = r.v[i].text, *val;

		if (t[0] != '\t' && r.v[i].code == 1007) {
			struct bird_route rt;

			cur = NULL;
			if (!parse_route_line(t, &prev, &rt))
				continue;
			prev = rt.network;
			if (n % 64 == 0) {
				struct bird_route *g = realloc(v, (n + 64) * sizeof(*v));

				if (!g) {
					rc = err_set(e, -ENOMEM, ctl, "out of memory");
					goto out;
				}
				v = g;
			}
			v[n] = rt;
			cur = &v[n++];
		} else if (!cur || t[0] != '\t') {
			/* Route details are the tab-indented lines under their route. */
			continue;
		} else if ((val = after_key(t, "via "))) {
			char addr[CIDR_STRLEN + 8];

			if (!cur->next_hop.family && sscanf(val, "%63s", addr) == 1)
				cidr_parse_addr(addr, &cur->next_hop);
		} else if ((val = after_key(t, "BGP.as_path:"))) {
			snprintf(cur->as_path, sizeof(cur->as_path), "%s", val);
		} else if ((val = after_key(t, "BGP.local_pref:"))) {
			num_parse_u32(val, 0, UINT32_MAX, &cur->local_pref);
		}
	}
	*ret = v;
	*ret_n = n;
	v = NULL;
out:
	free(v);
	bird_reply_free(&r);
	return rc;
}
