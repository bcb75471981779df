/* SPDX-License-Identifier: MIT */
/*
 * State files (docs/state.md): one circuit per file, read and written through the same field
 * tables as lab files (core/fields.c), with the lab's key names, so a state file reads like a lab
 * section:
 *
 *   [circuit]              version = 2, then the circuit's rows (the state-only ones too)
 *   [peering <type>]       one per present peering
 *   [bgp]                  when BGP is on
 *   [vnet <Name>]          one per linked VNet
 *   [end]                  always the last line: a file cut at a line boundary is still caught
 *
 * Text values are double-quoted (iniparser keeps ';', '#', '=' and blanks inside quotes; it has no
 * escapes, so a value holding a quote, a backslash or a control character is refused at write
 * time). A list longer than a line continues in key_2, key_3, ... Files of version 1 (the format
 * before the field tables: other key names, a `has` key) still load, through state_v1.c, and are
 * written as version 2 on the next save.
 */
#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

#include "core/field.h"
#include "core/guid.h"
#include "core/names.h"
#include "core/shard.h"
#include "core/provider.h"
#include "core/num.h"
#include "ini/ini_bind.h"
#include "store/state.h"
#include "store/store_int.h"

#define STATE_VERSION 2
#define STATE_FILE_MAX (1u << 20)
#define CIDRS_PER_LINE 16
#define LAB_PATH_MAX 900
#define END_SECTION "end"

#define CIRCUIT_HAS_ALL ((CIRCUIT_HAS_PROV << 1) - 1)
#define PEERING_HAS_ALL ((PEERING_HAS_REGISTRY6 << 1) - 1)

/* ---------------------------------------------------------------- writing */

static bool text_storable(const char *s, size_t size)
{
	size_t i, len = strnlen(s, size);

	if (len == size)
		return false;
	for (i = 0; i < len; i++) {
		unsigned char ch = (unsigned char)s[i];

		if (ch < 0x20 || ch == 0x7f || ch == '"' || ch == '\\')
			return false;
	}
	return true;
}

static bool alnum_storable(const char *s, size_t size)
{
	size_t i, len = strnlen(s, size);

	if (len == size)
		return false;
	for (i = 0; i < len; i++)
		if (!isalnum((unsigned char)s[i]))
			return false;
	return true;
}

static bool cidrs_storable(const struct cidr *l, unsigned n, int family)
{
	if (n > 0 && !l)
		return false;
	for (unsigned i = 0; i < n; i++) {
		if (l[i].family != AF_INET && l[i].family != AF_INET6)
			return false;
		if (family && l[i].family != family)
			return false;
		if (l[i].prefixlen > (l[i].family == AF_INET ? 32 : 128))
			return false;
	}
	return true;
}

/* A subnet is stored when it has a family; a HAS bit without a value would read back differently. */
static bool subnet_storable(const struct cidr *c, int family, unsigned has, unsigned bit)
{
	if (c->family == 0)
		return !(has & bit);
	return cidrs_storable(c, 1, family);
}

/* The first field of c that cannot be written so that it reads back the same, or NULL. */
const char *circuit_unstorable(const struct circuit *c)
{
	char key[GUID_STRLEN];
	unsigned t, i, j, sk, sn;

	if (strnlen(c->name, sizeof(c->name)) == sizeof(c->name) || names_check_circuit(c->name) < 0)
		return "name";
	if (strnlen(c->service_key, sizeof(c->service_key)) == sizeof(c->service_key) ||
	    guid_parse(c->service_key, key) < 0 || strcmp(key, c->service_key) != 0)
		return "service_key";
	if (!provider_offered_bandwidth(c->bandwidth))
		return "bandwidth";
	if (!text_storable(c->location, sizeof(c->location)))
		return "location";
	if (!text_storable(c->provider, sizeof(c->provider)))
		return "service_provider_name";
	if ((unsigned)c->sku >= _SKU_MAX)
		return "sku";
	if ((unsigned)c->billing >= _BILLING_MAX)
		return "billing_type";
	if ((unsigned)c->prov >= _PROV_MAX)
		return "provisioned";
	if ((unsigned)c->datapath >= _DATAPATH_MAX)
		return "datapath";
	if (c->has & ~CIRCUIT_HAS_ALL)
		return "has";
	if (c->lab && names_check_lab(c->lab) < 0)
		return "lab";
	if (c->lab_file && (c->lab_file[0] != '/' || !text_storable(c->lab_file, LAB_PATH_MAX + 1)))
		return "lab_file";
	if (c->shard[0] && (strnlen(c->shard, sizeof(c->shard)) == sizeof(c->shard) || shard_parse(c->shard, &sk, &sn) < 0))
		return "shard";

	for (t = 0; t < _ACCESS_MAX; t++) {
		const struct peering *p = &c->peerings[t];

		if (!c->peering_present[t])
			continue;
		if (p->has & ~PEERING_HAS_ALL)
			return "peering has";
		if (p->vlan_id > 4094)
			return "peering vlan_id";
		for (enum subnet_slot sl = 0; sl < _SUBNET_MAX; sl++)
			if (!subnet_storable(peering_subnet(p, sl), subnet_slots[sl].family, p->has, subnet_slots[sl].bit))
				return "peering subnet";
		if (!alnum_storable(p->shared_key, sizeof(p->shared_key)))
			return "peering shared_key";
		for (unsigned f = 0; f < _FAMILY_MAX; f++) {
			const struct ms_config *m = &p->ms[f];

			if (!alnum_storable(m->registry, sizeof(m->registry)))
				return "peering routing_registry_name";
			if (m->n_prefixes > ADV_PREFIXES_MAX || !cidrs_storable(m->prefixes, m->n_prefixes, families[f].af))
				return "peering advertised_public_prefixes";
			if ((unsigned)m->prefix_state >= _PREFIX_MAX)
				return "peering advertised_public_prefixes_state";
		}
	}

	if (c->n_vnets > 0 && !c->vnets)
		return "vnets";
	for (i = 0; i < c->n_vnets; i++) {
		const struct vnet *v = &c->vnets[i];

		if (strnlen(v->name, sizeof(v->name)) == sizeof(v->name) || names_check_vnet(v->name) < 0)
			return "vnet name";
		/* Section names are compared regardless of case: two names differing in case would clash. */
		for (j = 0; j < i; j++)
			if (strcasecmp(c->vnets[j].name, v->name) == 0)
				return "vnet name";
		if (!cidrs_storable(v->spaces, v->n_spaces, 0))
			return "vnet address_space";
	}
	if (!cidrs_storable(c->bgp.prefixes, c->bgp.n_prefixes, 0))
		return "bgp customer_prefixes";
	return NULL;
}

/* A list, CIDRS_PER_LINE items a line: iniparser 4.1 refuses lines of 1024 bytes or more. */
static void put_list(FILE *f, const char *key, const char *value)
{
	unsigned items = 0, part = 1;

	fprintf(f, "%s = ", key);
	for (const char *p = value; *p; p++) {
		if (*p == ',' && ++items % CIDRS_PER_LINE == 0) {
			fprintf(f, "\n%s_%u = ", key, ++part);
			continue;
		}
		fputc(*p, f);
	}
	fputc('\n', f);
}

/* Every row of t that has a value in obj, as `key = value` lines. */
static int put_rows(FILE *f, const struct field_table *t, const void *obj)
{
	for (unsigned i = 0; i < t->n; i++) {
		const struct field *row = &t->rows[i];
		char *v;

		if (field_format(t, row, obj, &v) < 0)
			return -ENOMEM;
		if (!v)
			continue;
		if (row->kind == FIELD_TEXT || row->kind == FIELD_STRING)
			fprintf(f, "%s = \"%s\"\n", row->key, v);
		else if (row->kind == FIELD_PREFIXES || row->kind == FIELD_CIDRS)
			put_list(f, row->key, v);
		else
			fprintf(f, "%s = %s\n", row->key, v);
		free(v);
	}
	return 0;
}

int circuit_write_ini(const struct circuit *c, FILE *f)
{
	int r;

	if (circuit_unstorable(c))
		return -EINVAL;
	fprintf(f, "[circuit]\nversion = %d\n", STATE_VERSION);
	if ((r = put_rows(f, &circuit_fields, c)) < 0)
		return r;
	for (unsigned t = 0; t < _ACCESS_MAX; t++) {
		if (!c->peering_present[t])
			continue;
		fprintf(f, "\n[peering %s]\n", access_type_lower((enum access_type)t));
		if ((r = put_rows(f, &peering_fields, &c->peerings[t])) < 0)
			return r;
	}
	if (c->bgp.msee || c->bgp.customer || c->bgp.n_prefixes) {
		fprintf(f, "\n[bgp]\n");
		if ((r = put_rows(f, &bgp_fields, &c->bgp)) < 0)
			return r;
	}
	for (unsigned i = 0; i < c->n_vnets; i++) {
		fprintf(f, "\n[vnet %s]\n", c->vnets[i].name);
		if ((r = put_rows(f, &vnet_fields, &c->vnets[i])) < 0)
			return r;
	}
	fprintf(f, "\n[" END_SECTION "]\n");
	if (fflush(f) != 0 || ferror(f))
		return -EIO;
	return 0;
}

/* ---------------------------------------------------------------- reading */

struct reader {
	const char *what;      /* e->what: the state dir, or the path given */
	const char *file;      /* named in the message: "circuits/X.ini" */
	struct err *e;
	const struct ini_section *sec;
	bool failed;           /* the first mistake is the one reported */
};

static int corrupt(struct reader *r, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

static int corrupt(struct reader *r, const char *fmt, ...)
{
	char why[600];
	va_list ap;

	if (r->failed)
		return -EUCLEAN;
	r->failed = true;
	va_start(ap, fmt);
	vsnprintf(why, sizeof(why), fmt, ap);
	va_end(ap);
	return err_set(r->e, -EUCLEAN, r->what, "state file %s is corrupted: %s", r->file, why);
}

/* "line 12: [peering private] vlan_id=4095: The vlanId '4095' is not valid: use 1-4094." */
static void report(struct reader *r, unsigned line, const char *section, const char *key, const char *value,
		   const struct err *e)
{
	char shown[ERR_SHOW_MAX + 4], where[300] = "";
	size_t used = 0;

	if (line)
		used += (size_t)snprintf(where + used, sizeof(where) - used, "line %u: ", line);
	if (section && used < sizeof(where))
		used += (size_t)snprintf(where + used, sizeof(where) - used, "[%s] ", section);
	if (key && used < sizeof(where))
		snprintf(where + used, sizeof(where) - used, "%s%s%s: ", key, value ? "=" : "",
			 value ? err_show(value, shown) : "");
	if (e->errnum == -ENOMEM) {
		if (!r->failed)
			err_set(r->e, -ENOMEM, r->what, "out of memory reading state file %s", r->file);
		r->failed = true;
		return;
	}
	corrupt(r, "%s%s%s%s%s", where, e->msg, e->detail[0] ? " (" : "", e->detail, e->detail[0] ? ")" : "");
}

static void on_ini_error(void *ud, const struct ini_place *at, int errnum, const char *msg, const char *detail)
{
	struct err e = { .errnum = errnum };

	err_fmt(e.msg, sizeof(e.msg), "%s", msg);
	err_fmt(e.detail, sizeof(e.detail), "%s", detail ? detail : "");
	report(ud, at->line, at->section, at->key, at->value, &e);
}

static void on_bind_error(void *ud, const struct ini_key *k, bool secret, const struct err *e)
{
	struct reader *r = ud;

	report(r, k ? k->line : r->sec->line, r->sec->name, k ? k->key : NULL, k && !secret ? k->value : NULL, e);
}

/* The section's keys into obj; the first mistake is reported. */
static int bind_section(struct reader *r, const struct ini_section *s, const struct ini_key *keys, unsigned n,
		const struct field_table *t, unsigned variant, void *obj)
{
	static const char *const own[] = { "version", NULL };
	const struct ini_binder b = { .state_file = true, .own_keys = own, .error = on_bind_error, .ud = r };
	int k;

	r->sec = s;
	k = ini_bind(&b, keys, n, t, variant, obj, "state");
	if (k == -ENOMEM)
		return err_set(r->e, -ENOMEM, r->what, "out of memory reading state file %s", r->file);
	return k > 0 || r->failed ? -EUCLEAN : 0;
}

static int read_vnet(struct reader *r, const struct ini_section *s, const struct ini_key *keys, unsigned n,
		     const char *name, struct circuit *c)
{
	struct vnet *nv;
	int k;

	if (names_check_vnet(name) < 0)
		return corrupt(r, "line %u: [%s]: not a valid VNet name", s->line, s->name);
	for (unsigned i = 0; i < c->n_vnets; i++)
		if (strcasecmp(c->vnets[i].name, name) == 0)
			return corrupt(r, "line %u: [%s]: the VNet appears twice", s->line, s->name);
	if (!(nv = reallocarray(c->vnets, c->n_vnets + 1, sizeof(*c->vnets))))
		return err_set(r->e, -ENOMEM, r->what, "out of memory reading state file %s", r->file);
	c->vnets = nv;
	memset(&c->vnets[c->n_vnets], 0, sizeof(*nv));
	memcpy(c->vnets[c->n_vnets].name, name, strlen(name) + 1);
	k = bind_section(r, s, keys, n, &vnet_fields, 0, &c->vnets[c->n_vnets]);
	c->n_vnets++;
	return k;
}

static int read_sections(struct reader *r, const struct ini_doc *d, unsigned version, struct circuit *c)
{
	struct state_v1 v1;
	int k = 0;

	for (unsigned i = 0; i < d->n_sections && k == 0; i++) {
		const struct ini_section *s = &d->sections[i];
		const struct ini_key *keys = &d->keys[s->first];
		unsigned n = s->n;

		if (version == 1) {
			if ((k = state_v1_keys(d, s, &v1)) < 0)
				return err_set(r->e, k, r->what, "out of memory reading state file %s", r->file);
			keys = v1.keys;
			n = v1.n;
		}
		if (strcmp(s->norm, "circuit") == 0) {
			k = bind_section(r, s, keys, n, &circuit_fields, 0, c);
		} else if (strncmp(s->norm, "peering ", 8) == 0) {
			enum access_type t = access_type_from_string(s->norm + 8);

			if (t < 0)
				k = corrupt(r, "line %u: unknown section [%s]", s->line, s->name);
			else if (c->peering_present[t])
				k = corrupt(r, "line %u: [%s]: the peering appears twice", s->line, s->name);
			else {
				c->peering_present[t] = true;
				k = bind_section(r, s, keys, n, &peering_fields, (unsigned)t, &c->peerings[t]);
			}
		} else if (strncmp(s->norm, "vnet ", 5) == 0) {
			k = read_vnet(r, s, keys, n, s->name + 5, c);
		} else if (strcmp(s->norm, "bgp") == 0) {
			k = bind_section(r, s, keys, n, &bgp_fields, 0, &c->bgp);
		} else if (strcmp(s->norm, END_SECTION) != 0) {
			k = corrupt(r, "line %u: unknown section [%s]", s->line, s->name);
		}
		if (version == 1)
			state_v1_free(&v1);
	}
	return k;
}

/* The file format's version, from [circuit] version = N: 1 or 2. */
static int file_version(struct reader *r, const struct ini_doc *d, unsigned *ret)
{
	const struct ini_section *s = ini_section_find(d, "circuit");
	const struct ini_key *v = s ? ini_key_find(d, s, "version") : NULL;
	uint32_t n;

	if (!s)
		return corrupt(r, "section [circuit] is missing");
	if (!v)
		return corrupt(r, "line %u: [circuit]: missing required key version", s->line);
	if (num_parse_u32(v->value, 1, STATE_VERSION, &n) < 0)
		return corrupt(r, "line %u: [circuit] version=%.16s: unsupported version", v->line, v->value);
	*ret = n;
	return 0;
}

/*
 * State files written before labs had names record the lab's file in `lab` (an absolute path):
 * the lab's name is then its default, the file's stem, made a valid name if it is not one, so
 * that those circuits stay that lab's (README, "Lab files").
 */
static int lab_from_path(struct circuit *c)
{
	char name[LAB_NAME_MAX + 1] = "";

	if (!c->lab || c->lab[0] != '/')
		return 0;
	if (names_lab_of_path(c->lab, name) < 0) {
		for (char *p = name; *p; p++)
			if (!((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') || (*p >= '0' && *p <= '9') ||
			      *p == '.' || *p == '_' || *p == '-'))
				*p = '_';
		if (!name[0] || name[0] == '.' || name[0] == '-')
			name[0] = '_';
		if (!name[1] && name[0] == '_')
			snprintf(name, sizeof(name), "lab");
	}
	if (!c->lab_file)
		c->lab_file = c->lab;
	else
		free(c->lab);
	c->lab = strdup(name);
	return c->lab ? 0 : -ENOMEM;
}

int read_state(int fd, const char *ini_path, const char *what, const char *file, const char *expect_name,
	       struct circuit *ret, struct err *e)
{
	const struct ini_limits lim = { .max_bytes = STATE_FILE_MAX, .noun = "state file" };
	struct reader r = { .what = what, .file = file, .e = e };
	const struct ini_section *last;
	struct ini_doc d;
	struct circuit c;
	unsigned version = 0;
	const char *bad;
	int k;

	circuit_init(&c);
	k = ini_read_fd(fd, file, ini_path, &lim, &d, on_ini_error, &r);
	if (k < 0) {
		if (!r.failed)
			err_set(e, k, what, "cannot read state file %s: %s", file, strerror(-k));
		return k == -ENOMEM ? k : r.failed ? -EUCLEAN : k;
	}
	if (r.failed) {
		/* The document was usable, but a line of it repeats another: a hand edit. */
		k = -EUCLEAN;
		goto out;
	}
	last = d.n_sections ? &d.sections[d.n_sections - 1] : NULL;
	if (!last || strcmp(last->norm, END_SECTION) != 0 || last->n) {
		k = corrupt(&r, d.n_sections ? "truncated: the last line is not '[" END_SECTION "]'" : "the file is empty");
		goto out;
	}
	if ((k = file_version(&r, &d, &version)) < 0 || (k = read_sections(&r, &d, version, &c)) < 0)
		goto out;
	if ((k = lab_from_path(&c)) < 0) {
		err_set(e, k, what, "out of memory");
		goto out;
	}
	if ((bad = circuit_unstorable(&c))) {
		k = corrupt(&r, "its %s cannot be what erlab wrote", bad);
		goto out;
	}
	if (expect_name && strcmp(c.name, expect_name) != 0) {
		k = corrupt(&r, "[circuit] name=%s: does not match the file name", c.name);
		goto out;
	}
	*ret = c;
	ini_doc_free(&d);
	return 0;
out:
	ini_doc_free(&d);
	circuit_clear(&c);
	return k;
}

int circuit_read_ini(const char *path, struct circuit *ret, struct err *e)
{
	char expect[CIRCUIT_NAME_MAX + 1];
	const char *base = strrchr(path, '/'), *exp = NULL;
	size_t stem;
	int fd, k;

	base = base ? base + 1 : path;
	if (state_file_name(base, &stem)) {
		memcpy(expect, base, stem);
		expect[stem] = '\0';
		exp = expect;
	}
	fd = open(path, O_RDONLY | O_CLOEXEC | O_NOFOLLOW | O_NONBLOCK);
	if (fd < 0)
		return err_set(e, -errno, path, "cannot open state file: %s", strerror(errno));
	k = read_state(fd, path, path, base, exp, ret, e);
	close(fd);
	return k;
}
