/* SPDX-License-Identifier: MIT */
/*
 * Lab files (README, "Lab files"): the INI document (src/ini), then each section's keys through the
 * field tables of its object (core/fields.c), then the whole-object rules of docs/rules.md through
 * core/validate (lab_check.c). Every mistake is collected; nothing stops at the first one.
 */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <unistd.h>

#include "core/field.h"
#include "core/names.h"
#include "ini/ini_bind.h"
#include "lab/lab_int.h"

#define CIRCUIT_ID_MAX 63

static int check_lab_name(const char *v, const char *what, struct err *e)
{
	if (names_check_lab(v) < 0)
		return err_set(e, -EINVAL, what, "not a lab name: 1-%d of A-Z a-z 0-9 . _ -, not starting with . or -",
			       LAB_NAME_MAX);
	return 0;
}

/* [lab]: the lab's own settings. */
static const struct field lab_rows[] = {
	{ .key = "name", .kind = FIELD_TEXT, .offset = offsetof(struct lab, name), .aux = sizeof(((struct lab *)0)->name),
	  .check_text = check_lab_name, .help = "the lab's name, which up, down and labs know it by (default: the file's name without .ini)" },
	{ .key = "datapath", .kind = FIELD_ENUM, .offset = offsetof(struct lab, datapath),
	  .names = &field_datapath_names, .help = "auto, vlan or veth (default: auto)" },
};
static const struct field_table lab_fields = {
	"lab", lab_rows, sizeof(lab_rows) / sizeof(lab_rows[0]), (size_t)-1, false, NULL,
};

struct section_def {
	const char *word;
	unsigned n_words;
	const char *form;
	const struct field_table *fields;
	const char *help;             /* for erlab.ini(5) */
};

static const struct section_def section_defs[_SEC_MAX] = {
	[SEC_LAB] = { "lab", 1, "[lab]", &lab_fields, "the lab's own settings" },
	[SEC_CIRCUIT] = { "circuit", 2, "[circuit ID]", &circuit_fields,
			  "a circuit; ID (1-63 of A-Z a-z 0-9 . _ -) names it in this file, and is its name "
			  "unless the name key says otherwise" },
	[SEC_PEERING] = { "peering", 3, "[peering ID private|public|microsoft]", &peering_fields,
			  "a BGP peering of the circuit of section [circuit ID]" },
	[SEC_VNET] = { "vnet", 3, "[vnet ID NAME]", &vnet_fields,
		       "a virtual network NAME linked behind the Microsoft edge of circuit ID (it needs private "
		       "peering)" },
	[SEC_BGP] = { "bgp", 1, "[bgp]", &bgp_fields, "BGP with BIRD, for every circuit of the lab" },
	[SEC_REGISTRY] = { "registry", 1, "[registry]", NULL,
			   "the routing registry Microsoft peering checks advertised prefixes against: a line "
			   "PREFIX = ASN per registered prefix; a prefix not registered to the PeerAsn or "
			   "CustomerAsn gives ValidationNeeded, and that family's sessions stay down" },
};

bool lab_section_doc(unsigned i, struct lab_section_doc *ret)
{
	if (i >= _SEC_MAX)
		return false;
	ret->form = section_defs[i].form;
	ret->help = section_defs[i].help;
	ret->lines = i == SEC_REGISTRY;
	ret->fields = ret->lines ? &registry_fields : section_defs[i].fields;
	return true;
}

/* ---- reading the file ---- */

static int file_err(struct loader *ld, int errnum, const char *msg, const char *detail)
{
	lab_add_err(ld, errnum, ld->file, msg, detail);
	return errnum;
}

/* The INI reader's mistakes: where it says, in the loader's words. */
static void on_ini_error(void *ud, const struct ini_place *at, int errnum, const char *msg, const char *detail)
{
	char w[sizeof(((struct err *)0)->what)];

	lab_add_err(ud, errnum, ini_place_text(at, w, sizeof(w)), msg, detail);
}

/* Keys whose value is never shown (shared keys): the rows that say so. */
static bool secret_key(const char *key)
{
	const struct field *f = field_by_key(&peering_fields, key);

	return f && (f->flags & FIELD_SECRET);
}

static int open_lab(struct loader *ld, int *ret_fd)
{
	char m[160];
	struct stat st;
	int fd;

	if (stat(ld->file, &st) < 0)
		return file_err(ld, -errno, err_fmt(m, sizeof(m), "cannot read the lab file: %s", strerror(errno)), NULL);
	if (!S_ISREG(st.st_mode))
		return file_err(ld, -EINVAL, "not a regular file",
				S_ISDIR(st.st_mode) ? "it is a directory" : "a lab file is a plain file");
	/* O_NONBLOCK: if it was swapped for a FIFO since stat, do not hang waiting for a writer. */
	fd = open(ld->file, O_RDONLY | O_CLOEXEC | O_NOCTTY | O_NONBLOCK);
	if (fd < 0)
		return file_err(ld, -errno, err_fmt(m, sizeof(m), "cannot read the lab file: %s", strerror(errno)), NULL);
	if (fstat(fd, &st) < 0 || !S_ISREG(st.st_mode)) {
		close(fd);
		return file_err(ld, -EINVAL, "not a regular file", "a lab file is a plain file");
	}
	*ret_fd = fd;
	return 0;
}

/* ---- sections ---- */

static bool id_ok(const char *id)
{
	size_t len = strlen(id);

	if (len < 1 || len > CIRCUIT_ID_MAX)
		return false;
	for (size_t i = 0; i < len; i++)
		if (!strchr("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789._-", id[i]))
			return false;
	return true;
}

/* Kind and words of a header; reports unknown and malformed ones. */
static void classify(struct loader *ld, struct section *s)
{
	char d[160], *save = NULL, *w;
	unsigned n = 0;

	s->kind = SEC_UNKNOWN;
	s->circuit = -1;
	if (!(s->words_buf = strdup(s->ini->name))) {
		ld->oom = true;
		return;
	}
	for (w = strtok_r(s->words_buf, " \t\r\v\f", &save); w; w = strtok_r(NULL, " \t\r\v\f", &save)) {
		if (n < sizeof(s->words) / sizeof(s->words[0]))
			s->words[n] = w;
		n++;
	}
	for (int k = 0; k < _SEC_MAX && n; k++) {
		if (strcasecmp(s->words[0], section_defs[k].word) != 0)
			continue;
		if (n != section_defs[k].n_words) {
			lab_section_err(ld, s, -EINVAL, "malformed section header",
					err_fmt(d, sizeof(d), "expected %s", section_defs[k].form));
			return;
		}
		s->kind = (enum section_kind)k;
		break;
	}
	if (s->kind == SEC_UNKNOWN) {
		lab_section_err(ld, s, -EINVAL, "unknown section",
				"expected [lab], [circuit ID], [peering ID TYPE], [vnet ID NAME], [bgp] or [registry]");
		return;
	}
	if ((s->kind == SEC_CIRCUIT || s->kind == SEC_PEERING || s->kind == SEC_VNET) && !id_ok(s->words[1])) {
		lab_section_err(ld, s, -EINVAL, "invalid circuit ID", "use 1-63 of A-Z a-z 0-9 . _ -");
		s->kind = SEC_UNKNOWN;
		return;
	}
	if (s->kind == SEC_PEERING) {
		s->type = access_type_from_string(s->words[2]);
		if (s->type < 0 || s->type >= _ACCESS_MAX) {
			lab_section_err(ld, s, -EINVAL, "unknown peering type", "use private, public or microsoft");
			s->kind = SEC_UNKNOWN;
		}
	}
}

/* The circuit of a [peering ID ...] or [vnet ID ...] section: that of [circuit ID], any case. */
static int circuit_of(const struct loader *ld, const char *id)
{
	char name[CIRCUIT_ID_MAX + 16], norm[CIRCUIT_ID_MAX + 16];
	const struct ini_section *is;

	err_fmt(name, sizeof(name), "circuit %s", id);
	is = ini_section_find(&ld->doc, ini_normalize(name, norm, sizeof(norm)));
	return is ? ld->secs[is - ld->doc.sections].circuit : -1;
}

struct bind_ctx {
	struct loader *ld;
	struct section *s;
};

static void on_bind_error(void *ud, const struct ini_key *k, bool secret, const struct err *e)
{
	struct bind_ctx *b = ud;

	b->s->bad = true;
	lab_key_err(b->ld, b->s, k, secret, e->errnum, e->msg, e->detail);
}

/* [registry] "123.0.0.0/24 = 2245": each line an entry, the key its prefix and the value its AS. */
static void load_registry(struct loader *ld, struct section *s)
{
	const struct ini_key *keys = &ld->doc.keys[s->ini->first];
	struct lab *lab = ld->lab;

	for (unsigned i = 0; i < s->ini->n; i++) {
		struct registry_entry e = { 0 }, *grown;
		struct err pe = { 0 };

		if (field_parse(&registry_fields, &registry_fields.rows[0], "prefix", keys[i].key, &e, "lab", &pe, NULL) < 0) {
			lab_key_err(ld, s, &keys[i], false, pe.errnum, pe.msg,
				    "[registry] lines are PREFIX = ASN, the prefix a network address such as 123.0.0.0/24");
			s->bad = true;
			continue;
		}
		if (field_parse(&registry_fields, &registry_fields.rows[1], "asn", keys[i].value, &e, "lab", &pe, NULL) < 0) {
			lab_key_err(ld, s, &keys[i], false, pe.errnum, pe.msg, pe.detail[0] ? pe.detail : "1-4294967295");
			s->bad = true;
			continue;
		}
		if (!(grown = realloc(lab->registry, (lab->n_registry + 1) * sizeof(*grown)))) {
			ld->oom = true;
			return;
		}
		lab->registry = grown;
		lab->registry[lab->n_registry++] = e;
	}
}

/* The object a section's keys go into; NULL when there is none to fill. */
static void *section_object(struct loader *ld, struct section *s)
{
	struct lab *lab = ld->lab;
	char d[96];

	switch (s->kind) {
	case SEC_LAB:
		return lab;
	case SEC_BGP:
		return &lab->bgp;
	case SEC_CIRCUIT:
		return &lab->circuits[s->circuit];
	case SEC_PEERING:
		s->circuit = circuit_of(ld, s->words[1]);
		if (s->circuit < 0) {
			lab_section_err(ld, s, -EINVAL, "no such circuit in this file",
					err_fmt(d, sizeof(d), "add a [circuit %s] section", s->words[1]));
			peering_init(&s->scratch_peering, s->type);
			return &s->scratch_peering;
		}
		lab->circuits[s->circuit].peering_present[s->type] = true;
		peering_init(&lab->circuits[s->circuit].peerings[s->type], s->type);
		return &lab->circuits[s->circuit].peerings[s->type];
	case SEC_VNET:
		s->circuit = circuit_of(ld, s->words[1]);
		if (s->circuit < 0)
			lab_section_err(ld, s, -EINVAL, "no such circuit in this file",
					err_fmt(d, sizeof(d), "add a [circuit %s] section", s->words[1]));
		if (names_check_vnet(s->words[2]) < 0) {
			lab_section_err(ld, s, -EINVAL, "invalid VNet name", "use 1-12 of A-Z a-z 0-9 _ -, not starting with -");
			s->bad = true;
		} else {
			memcpy(s->vnet.name, s->words[2], strlen(s->words[2]) + 1);
		}
		return &s->vnet;
	default:
		return NULL;
	}
}

static int setup_circuits(struct loader *ld)
{
	struct lab *lab = ld->lab;
	unsigned n = 0;

	for (unsigned i = 0; i < ld->n_secs; i++)
		n += ld->secs[i].kind == SEC_CIRCUIT;
	if (n == 0)
		return 0;
	lab->circuits = calloc(n, sizeof(*lab->circuits));
	lab->circuit_ids = calloc(n, sizeof(*lab->circuit_ids));
	if (!lab->circuits || !lab->circuit_ids)
		return -ENOMEM;
	for (unsigned i = 0; i < ld->n_secs; i++) {
		struct section *s = &ld->secs[i];
		struct circuit *c;

		if (s->kind != SEC_CIRCUIT)
			continue;
		s->circuit = (int)lab->n_circuits++;
		c = &lab->circuits[s->circuit];
		circuit_init(c);
		/* The name defaults to the section ID as written. service_key stays "" when not given:
		 * `erlab up` keeps an existing circuit's key or makes one. */
		memcpy(c->name, s->words[1], strlen(s->words[1]) + 1);
		memcpy(lab->circuit_ids[s->circuit], s->words[1], strlen(s->words[1]) + 1);
		for (char *p = lab->circuit_ids[s->circuit]; *p; p++)
			*p = (char)(*p >= 'A' && *p <= 'Z' ? *p - 'A' + 'a' : *p);
	}
	return 0;
}

/* The lab's name ([lab] name, else the file's stem), and each circuit's record of its lab. */
static void name_lab(struct loader *ld)
{
	struct lab *lab = ld->lab;

	if (!lab->name[0] && names_lab_of_path(lab->path, lab->name) < 0) {
		lab_add_err(ld, -EINVAL, ld->file, "the file's name does not make a lab name",
			    "give the lab a name: [lab] name = ... (1-63 of A-Z a-z 0-9 . _ -)");
		return;
	}
	for (unsigned i = 0; i < lab->n_circuits; i++) {
		struct circuit *c = &lab->circuits[i];

		if (!(c->lab = strdup(lab->name)) || !(c->lab_file = strdup(lab->path))) {
			ld->oom = true;
			return;
		}
	}
}

static int load_sections(struct loader *ld)
{
	const struct ini_binder binder = { .error = on_bind_error };
	int r;

	ld->secs = calloc(ld->doc.n_sections ? ld->doc.n_sections : 1, sizeof(*ld->secs));
	if (!ld->secs)
		return -ENOMEM;
	ld->n_secs = ld->doc.n_sections;
	for (unsigned i = 0; i < ld->n_secs; i++) {
		ld->secs[i].ini = &ld->doc.sections[i];
		classify(ld, &ld->secs[i]);
	}
	if (ld->oom)
		return -ENOMEM;
	if ((r = setup_circuits(ld)) < 0)
		return r;
	/* Circuits first: a peering may come before its circuit in the file. */
	for (int pass = 0; pass < 2; pass++)
		for (unsigned i = 0; i < ld->n_secs; i++) {
			struct section *s = &ld->secs[i];
			bool late = s->kind == SEC_PEERING || s->kind == SEC_VNET;
			struct bind_ctx ctx = { ld, s };
			struct ini_binder b = binder;
			void *obj;

			if (s->kind == SEC_UNKNOWN || late != (pass == 1))
				continue;
			if (s->kind == SEC_REGISTRY) {
				load_registry(ld, s);
				continue;
			}
			if (!(obj = section_object(ld, s)))
				continue;
			b.ud = &ctx;
			r = ini_bind(&b, &ld->doc.keys[s->ini->first], s->ini->n, section_defs[s->kind].fields,
				     s->kind == SEC_PEERING ? (unsigned)s->type : 0, obj, "lab");
			if (r < 0)
				return r;
		}
	return ld->oom ? -ENOMEM : 0;
}

static void loader_free(struct loader *ld)
{
	for (unsigned i = 0; i < ld->n_secs; i++) {
		free(ld->secs[i].words_buf);
		peering_clear(&ld->secs[i].scratch_peering);
		vnet_clear(&ld->secs[i].vnet);
	}
	free(ld->secs);
	ini_doc_free(&ld->doc);
}

int lab_load(const char *path, struct lab *ret, struct lab_errors *errs)
{
	const struct ini_limits limits = {
		.max_bytes = LAB_MAX_BYTES, .max_entries = LAB_MAX_ENTRIES, .secret = secret_key, .noun = "lab file",
	};
	struct loader ld = { .file = path, .lab = ret, .errs = errs };
	unsigned errs_before = errs->n;
	char resolved[PATH_MAX];
	int fd = -1, r;

	memset(ret, 0, sizeof(*ret));
	ret->datapath = DATAPATH_AUTO;
	if ((r = open_lab(&ld, &fd)) < 0)
		goto out;
	err_fmt(ret->path, sizeof(ret->path), "%s", realpath(path, resolved) ? resolved : path);
	if ((r = ini_read_fd(fd, path, path, &limits, &ld.doc, on_ini_error, &ld)) < 0)
		goto out;
	if ((r = load_sections(&ld)) < 0)
		goto out;
	name_lab(&ld);
	lab_check_circuits(&ld);
	lab_check_vnets(&ld);
	lab_check_peerings(&ld);
	r = ld.oom ? -ENOMEM : errs->n > errs_before ? -EINVAL : 0;
	/* A lab that failed is thrown away: spare its prefixes the registry walk. */
	if (r == 0)
		lab_registry_states(ret);
out:
	if (fd >= 0)
		close(fd);
	loader_free(&ld);
	if (r == -ENOMEM && errs->n == errs_before)
		lab_add_err(&ld, -ENOMEM, path, "out of memory", NULL);
	if (r < 0)
		lab_clear(ret);
	return r;
}

void lab_keep_shard(struct lab *l, unsigned k, unsigned n)
{
	unsigned m = 0;

	for (unsigned i = 0; i < l->n_circuits; i++) {
		if (shard_of(l->circuits[i].name, n) != k) {
			circuit_clear(&l->circuits[i]);
			continue;
		}
		snprintf(l->circuits[i].shard, sizeof(l->circuits[i].shard), "%u/%u", k, n);
		if (m != i) {
			l->circuits[m] = l->circuits[i];
			memcpy(l->circuit_ids[m], l->circuit_ids[i], sizeof(l->circuit_ids[m]));
		}
		m++;
	}
	l->n_circuits = m;
	l->shard_k = k;
	l->shard_n = n;
}

void lab_errors_clear(struct lab_errors *l)
{
	free(l->v);
	l->v = NULL;
	l->n = 0;
}

void lab_clear(struct lab *l)
{
	for (unsigned i = 0; i < l->n_circuits; i++)
		circuit_clear(&l->circuits[i]);
	free(l->circuits);
	free(l->circuit_ids);
	free(l->bgp.prefixes);
	free(l->registry);
	memset(l, 0, sizeof(*l));
}
