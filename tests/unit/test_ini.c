/* SPDX-License-Identifier: MIT */
/*
 * The INI reader (src/ini): every mistake with its line and words, values as iniparser reads them,
 * duplicates across iniparser slices, long sections, lookups, and stderr left untouched.
 * Linked with -Wl,--wrap=memfd_create (tests/CMakeLists.txt) to take the no-memfd path too.
 */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "ini/ini.h"
#include "test.h"

/* ---- the memfd switch ---- */

static bool no_memfd;

int __real_memfd_create(const char *name, unsigned flags);
int __wrap_memfd_create(const char *name, unsigned flags);
int __wrap_memfd_create(const char *name, unsigned flags)
{
	if (no_memfd) {
		errno = ENOSYS;
		return -1;
	}
	return __real_memfd_create(name, flags);
}

/* ---- collecting mistakes ---- */

struct mistake {
	unsigned line;
	int errnum;
	char what[512], msg[256], detail[256];
};

struct mistakes {
	struct mistake v[64];
	unsigned n;
};

static void collect(void *ud, const struct ini_place *at, int errnum, const char *msg, const char *detail)
{
	char what_buf[1024];
	const char *what = ini_place_text(at, what_buf, sizeof(what_buf));
	unsigned line = at->line;

	struct mistakes *ms = ud;
	struct mistake *m;

	if (ms->n == sizeof(ms->v) / sizeof(ms->v[0]))
		return;
	m = &ms->v[ms->n++];
	m->line = line;
	m->errnum = errnum;
	snprintf(m->what, sizeof(m->what), "%s", what);
	snprintf(m->msg, sizeof(m->msg), "%s", msg);
	snprintf(m->detail, sizeof(m->detail), "%s", detail ? detail : "");
}

static void dump(const struct mistakes *ms)
{
	for (unsigned i = 0; i < ms->n; i++)
		fprintf(stderr, "  %u: %s: %s (%s)\n", ms->v[i].line, ms->v[i].what, ms->v[i].msg, ms->v[i].detail);
}

static bool is_secret(const char *key)
{
	return strcmp(key, "shared_key") == 0;
}

static const struct ini_limits lab_limits = { .secret = is_secret, .noun = "lab file" };

static int read_str(const char *text, const struct ini_limits *lim, struct ini_doc *d, struct mistakes *ms)
{
	int r;

	ms->n = 0;
	r = ini_read_text(text, strlen(text), "t.ini", lim ? lim : &lab_limits, d, collect, ms);
	if (getenv("TEST_VERBOSE"))
		dump(ms);
	return r;
}

/* Exactly one mistake: its line, what, message and detail. */
static void check_one(const char *text, int want_r, unsigned line, const char *what, const char *msg,
		      const char *detail)
{
	struct mistakes ms;
	struct ini_doc d;
	int r = read_str(text, NULL, &d, &ms);

	CHECK_INT(r, want_r);
	CHECK_INT(ms.n, 1);
	if (r != want_r || ms.n != 1)
		fprintf(stderr, "  in: %.60s\n", text);
	if (ms.n == 1) {
		CHECK_INT(ms.v[0].line, line);
		CHECK_INT(ms.v[0].errnum, -EINVAL);
		CHECK_STR(ms.v[0].what, what);
		CHECK_STR(ms.v[0].msg, msg);
		CHECK_STR(ms.v[0].detail, detail);
	} else {
		dump(&ms);
	}
	if (r == 0)
		ini_doc_free(&d);
	else
		CHECK(d.sections == NULL && d.keys == NULL && d.n_sections == 0);
}

static const char *value_of(const struct ini_doc *d, const char *norm, const char *key)
{
	const struct ini_key *k = ini_key_find(d, ini_section_find(d, norm), key);

	return k ? k->value : NULL;
}

/* ---- growing text ---- */

struct text {
	char *s;
	size_t len;
	FILE *f;
};

static void text_open(struct text *t)
{
	t->s = NULL;
	t->f = open_memstream(&t->s, &t->len);
	if (!t->f)
		abort();
}

static void text_close(struct text *t)
{
	fclose(t->f);
}

/* labs/classic.ini's shape: a circuit of 7 keys and its three peerings of 5, 5 and 8; 30 lines. */
static void circuit(FILE *f, unsigned i)
{
	fprintf(f, "\n[circuit c%u]\nname = c%u\nservice_key = 00000000-0000-4000-8000-%012u\n", i, i, i);
	fprintf(f, "bandwidth = 1000\nlocation = Silicon Valley\nservice_provider_name = equinix\nsku = Standard\n");
	fprintf(f, "provisioned = yes\n");
	fprintf(f, "[peering c%u private]\nprimary_peer_subnet = 10.0.0.0/30\nsecondary_peer_subnet = 10.0.0.4/30\n", i);
	fprintf(f, "peer_asn = 65001\nvlan_id = 100\nshared_key = \"K%u\"\n", i);
	fprintf(f, "[peering c%u public]\nprimary_peer_subnet = 131.107.0.0/30\nsecondary_peer_subnet = 131.107.0.4/30\n", i);
	fprintf(f, "peer_asn = 1234\nvlan_id = 200\nshared_key = P%u\n", i);
	fprintf(f, "[peering c%u microsoft]\nprimary_peer_subnet = 131.107.0.8/30\nsecondary_peer_subnet = 131.107.0.12/30\n", i);
	fprintf(f, "peer_asn = 1234\nvlan_id = 300\ncustomer_asn = 2245\nadvertised_public_prefixes = 123.0.0.0/30\n");
	fprintf(f, "routing_registry_name = ARIN ; a comment\nshared_key = M%u\n", i);
}

/* ---- tests ---- */

static void test_classic(void)
{
	char path[PATH_MAX];
	const char *labs = getenv("ERLAB_LABS");
	const struct ini_section *s;
	const struct ini_key *k;
	struct mistakes ms = { .n = 0 };
	struct ini_doc d;
	int fd, r;

	snprintf(path, sizeof(path), "%s/classic.ini", labs && *labs ? labs : "labs");
	fd = open(path, O_RDONLY | O_CLOEXEC);
	CHECK(fd >= 0);
	if (fd < 0)
		return;
	r = ini_read_fd(fd, path, path, &lab_limits, &d, collect, &ms);
	close(fd);
	CHECK_INT(r, 0);
	CHECK_INT(ms.n, 0);
	if (r < 0)
		return;
	CHECK_STR(d.file, path);
	CHECK_INT(d.n_sections, 5);
	CHECK_INT(d.n_keys, 24);
	s = ini_section_find(&d, "peering er1 microsoft");
	CHECK(s != NULL);
	if (s) {
		CHECK_STR(s->name, "peering er1 microsoft");
		CHECK_INT(s->line, 45);
		CHECK_INT(s->n, 8);
		CHECK_STR(d.keys[s->first].key, "primary_peer_subnet");
		CHECK_INT(d.keys[s->first].line, 46);
		k = ini_key_find(&d, s, "routing_registry_name");
		CHECK(k && strcmp(k->value, "ARIN") == 0 && k->line == 52);
	}
	CHECK_STR(value_of(&d, "circuit er1", "location"), "Silicon Valley");
	CHECK_STR(value_of(&d, "lab", "datapath"), "auto");
	CHECK(value_of(&d, "lab", "nothing") == NULL);
	CHECK(ini_section_find(&d, "circuit er2") == NULL);
	ini_doc_free(&d);
	CHECK(d.sections == NULL && d.n_sections == 0);
}

/* Values exactly as iniparser reads them: quotes, comments, continuations, blanks, empties. */
static void test_values(void)
{
	const char *text =
		"; comment\n"
		"# another\n"
		"[Values]\n"
		"plain = a b  c   \n"
		"quoted = \"  a ; b # c = d  \"\n"
		"single = 'it \"is\"'\n"
		"commented = x ; a comment\n"
		"hashed = y # a comment\n"
		"qcomment = \"q\" ; a comment\n"
		"empty =\n"
		"empty2 = ; only a comment\n"
		"empty3 = \"\"\n"
		"empty4 = ''\n"
		"equals = a = b\n"
		"MixedCase = Value\n"
		"  indented   =   v  \n"
		"joined = one \\\n"
		"  two \\\n"
		"three\n"
		"after = z\n"
		"tab\t=\tt\n";
	struct mistakes ms;
	struct ini_doc d;
	const struct ini_section *s;

	CHECK_INT(read_str(text, NULL, &d, &ms), 0);
	CHECK_INT(ms.n, 0);
	if (d.n_sections != 1)
		return;
	s = &d.sections[0];
	CHECK_STR(s->name, "Values");
	CHECK_STR(s->norm, "values");
	CHECK_INT(s->line, 3);
	CHECK_STR(value_of(&d, "values", "plain"), "a b  c");
	CHECK_STR(value_of(&d, "values", "quoted"), "  a ; b # c = d  ");
	CHECK_STR(value_of(&d, "values", "single"), "it \"is\"");
	CHECK_STR(value_of(&d, "values", "commented"), "x");
	CHECK_STR(value_of(&d, "values", "hashed"), "y");
	CHECK_STR(value_of(&d, "values", "qcomment"), "q");
	CHECK_STR(value_of(&d, "values", "empty"), "");
	CHECK_STR(value_of(&d, "values", "empty2"), "");
	CHECK_STR(value_of(&d, "values", "empty3"), "");
	CHECK_STR(value_of(&d, "values", "empty4"), "");
	CHECK_STR(value_of(&d, "values", "equals"), "a = b");
	CHECK_STR(value_of(&d, "values", "mixedcase"), "Value");
	CHECK_STR(value_of(&d, "values", "indented"), "v");
	CHECK_STR(value_of(&d, "values", "joined"), "one   two three");
	CHECK_STR(value_of(&d, "values", "tab"), "t");
	/* Keys lowercased, in file order, each with its first line. */
	CHECK_INT(s->n, 16);
	if (s->n != 16)
		return;
	CHECK_STR(d.keys[s->first + 11].key, "mixedcase");
	CHECK_INT(d.keys[s->first + 13].line, 17);
	CHECK_STR(d.keys[s->first + 14].key, "after");
	CHECK_INT(d.keys[s->first + 14].line, 20);
	ini_doc_free(&d);
}

/* Names: headers keep their case, norm folds case and blanks; lookups ignore case. */
static void test_names(void)
{
	const char *text = "[  Peering   ER1\tPrivate ]\nVLAN_ID = 100\n[circuit ER1]\nName = X\n";
	const struct ini_section *s;
	char buf[64];
	struct mistakes ms;
	struct ini_doc d;

	CHECK_INT(read_str(text, NULL, &d, &ms), 0);
	CHECK_INT(ms.n, 0);
	CHECK_INT(d.n_sections, 2);
	if (d.n_sections != 2)
		return;
	CHECK_STR(d.sections[0].name, "Peering   ER1\tPrivate");
	CHECK_STR(d.sections[0].norm, "peering er1 private");
	CHECK_STR(d.keys[0].key, "vlan_id");
	s = ini_section_find(&d, "peering er1 private");
	CHECK(s == &d.sections[0]);
	CHECK(ini_section_find(&d, "PEERING ER1 PRIVATE") == s);
	CHECK(ini_key_find(&d, s, "Vlan_Id") == &d.keys[0]);
	CHECK(ini_key_find(&d, s, "name") == NULL);
	CHECK(ini_key_find(&d, ini_section_find(&d, "Circuit er1"), "NAME") == &d.keys[1]);
	CHECK(ini_key_find(&d, NULL, "name") == NULL);
	CHECK_STR(ini_normalize("  Peering \t ER1   Private  ", buf, sizeof(buf)), "peering er1 private");
	CHECK_STR(ini_normalize("ABCDEF", buf, 4), "abc");
	CHECK_STR(ini_normalize("a     b", buf, 3), "a ");
	CHECK_STR(ini_normalize("", buf, sizeof(buf)), "");
	ini_doc_free(&d);
}

/* Line ends: CRLF, none at the end, an empty file, comments only. */
static void test_line_ends(void)
{
	struct mistakes ms;
	struct ini_doc d;

	CHECK_INT(read_str("[a]\r\nk = v\r\nq = \"x y\"\r\nj = 1 \\\r\n 2\r\n", NULL, &d, &ms), 0);
	CHECK_INT(ms.n, 0);
	CHECK_STR(value_of(&d, "a", "k"), "v");
	CHECK_STR(value_of(&d, "a", "q"), "x y");
	CHECK_STR(value_of(&d, "a", "j"), "1  2");
	ini_doc_free(&d);

	CHECK_INT(read_str("[a]\nk = v\n[b]\nlast = no newline", NULL, &d, &ms), 0);
	CHECK_INT(ms.n, 0);
	CHECK_STR(value_of(&d, "b", "last"), "no newline");
	CHECK_INT(d.keys[1].line, 4);
	ini_doc_free(&d);

	CHECK_INT(read_str("", NULL, &d, &ms), 0);
	CHECK_INT(ms.n, 0);
	CHECK_INT(d.n_sections, 0);
	CHECK_INT(d.n_keys, 0);
	CHECK(ini_section_find(&d, "a") == NULL);
	ini_doc_free(&d);

	CHECK_INT(read_str("; only\n\n   # comments\n\t\n", NULL, &d, &ms), 0);
	CHECK_INT(ms.n, 0);
	CHECK_INT(d.n_sections, 0);
	ini_doc_free(&d);

	CHECK_INT(read_str("[only]", NULL, &d, &ms), 0);
	CHECK_INT(d.n_sections, 1);
	CHECK_INT(d.sections[0].n, 0);
	ini_doc_free(&d);
}

/* Each mistake of a line: its line, "FILE:LINE", and the lab loader's words. */
static void test_line_mistakes(void)
{
	char long_line[1200];

	struct mistakes ms = { .n = 0 };
	struct ini_doc d;

	/* The NUL stops the scan: the line before it is not looked at. */
	CHECK_INT(ini_read_text("[lab]\nx\n\0\1binary\n", 17, "t.ini", &lab_limits, &d, collect, &ms), -EINVAL);
	CHECK_INT(ms.n, 1);
	CHECK_INT(ms.v[0].line, 3);
	CHECK_STR(ms.v[0].what, "t.ini:3");
	CHECK_STR(ms.v[0].msg, "NUL byte in the file");
	CHECK_STR(ms.v[0].detail, "a lab file is text: is this a binary file?");

	check_one("k = v\n", -EINVAL, 1, "t.ini:1", "syntax error", "key outside any [section]");
	check_one("[a]\n = v\n", -EINVAL, 2, "t.ini:2", "syntax error", "a key is missing before '='");
	check_one("[a]\n[b\n", -EINVAL, 2, "t.ini:2", "syntax error", "a section header is [kind id ...] on a line of its own");
	check_one("[a] ; comment\n", -EINVAL, 1, "t.ini:1", "syntax error", "a section header is [kind id ...] on a line of its own");
	check_one("[a]]\n", -EINVAL, 1, "t.ini:1", "syntax error", "a section header is [kind id ...] on a line of its own");
	check_one("[a[b]\n", -EINVAL, 1, "t.ini:1", "syntax error", "a section header is [kind id ...] on a line of its own");
	check_one("[a] = b]\n", -EINVAL, 1, "t.ini:1", "syntax error", "a section header is [kind id ...] on a line of its own");
	check_one("\n\n[a:b]\n", -EINVAL, 3, "t.ini:3", "syntax error", "':' is not allowed in a section header");
	check_one("[  ]\n", -EINVAL, 1, "t.ini:1", "syntax error", "empty section header");
	check_one("[]\n", -EINVAL, 1, "t.ini:1", "syntax error", "empty section header");
	check_one("[a]\njust words\n", -EINVAL, 2, "t.ini:2", "syntax error",
		  "expected [section], key = value, or a ; or # comment");
	check_one("[a]\nk = v \\\n", -EINVAL, 2, "t.ini:2", "syntax error", "the last line ends with '\\' but nothing follows");
	check_one("[a]\nk = v \\", -EINVAL, 2, "t.ini:2", "syntax error", "the last line ends with '\\' but nothing follows");

	memset(long_line, 'x', sizeof(long_line));
	strcpy(long_line, "[a]\nk = ");
	long_line[8] = 'x';
	strcpy(long_line + 1005, "\n");
	check_one(long_line, -EINVAL, 2, "t.ini:2", "line too long", "at most 1000 characters");
	/* Continuations count joined; the mistake is on the first line. */
	check_one("[a]\nk = " "0123456789012345678901234567890123456789012345678901234567890123456789012345678901234567890123456789"
		  "\\\n"
		  "0123456789012345678901234567890123456789012345678901234567890123456789012345678901234567890123456789"
		  "0123456789012345678901234567890123456789012345678901234567890123456789012345678901234567890123456789"
		  "0123456789012345678901234567890123456789012345678901234567890123456789012345678901234567890123456789"
		  "0123456789012345678901234567890123456789012345678901234567890123456789012345678901234567890123456789"
		  "0123456789012345678901234567890123456789012345678901234567890123456789012345678901234567890123456789"
		  "0123456789012345678901234567890123456789012345678901234567890123456789012345678901234567890123456789"
		  "0123456789012345678901234567890123456789012345678901234567890123456789012345678901234567890123456789"
		  "0123456789012345678901234567890123456789012345678901234567890123456789012345678901234567890123456789"
		  "\\\n"
		  "0123456789012345678901234567890123456789012345678901234567890123456789012345678901234567890123456789"
		  "0123456789012345678901234567890123456789012345678901234567890123456789012345678901234567890123456789"
		  "\n[b]\n",
		  -EINVAL, 2, "t.ini:2", "line too long", "at most 1000 characters");
	/* Trailing blanks fill iniparser's buffer too (it strips them after reading). */
	memset(long_line, ' ', sizeof(long_line));
	memcpy(long_line, "[a]\nk = v", 9);
	strcpy(long_line + 1100, "\n");
	check_one(long_line, -EINVAL, 2, "t.ini:2", "line too long", "at most 1000 characters");
}

/* Values iniparser would cut silently: refused, the document still read. */
static void test_value_mistakes(void)
{
	struct mistakes ms;
	struct ini_doc d;

	check_one("[a]\nk = \"open\n", 0, 2, "t.ini:2: [a] k", "value cannot be read exactly", "the quote \" is not closed");
	check_one("[a]\nk = 'open\n", 0, 2, "t.ini:2: [a] k", "value cannot be read exactly", "the quote ' is not closed");
	check_one("[a]\nk = \"a\" b\n", 0, 2, "t.ini:2: [a] k", "value cannot be read exactly", "text after the closing quote");
	check_one("[A b]\nK = a;b\n", 0, 2, "t.ini:2: [A b] k", "value cannot be read exactly",
		  "';' starts a comment here: put a blank before a comment");
	check_one("[a]\nk = a#b\n", 0, 2, "t.ini:2: [a] k", "value cannot be read exactly",
		  "'#' starts a comment here: put a blank before a comment");

	/* Kept with iniparser's reading: the caller goes on checking it. */
	CHECK_INT(read_str("[a]\nk = a;b\nq = \"x\" y\n", NULL, &d, &ms), 0);
	CHECK_INT(ms.n, 2);
	CHECK_STR(value_of(&d, "a", "k"), "a");
	CHECK_STR(value_of(&d, "a", "q"), "x");
	ini_doc_free(&d);
}

/* Every mistake of a file in one run, in line order; duplicates left out of the document. */
static void test_all_at_once(void)
{
	const char *text =
		"[circuit er1]\n"               /* 1 */
		"name = C1\n"
		"bandwidth = 200\n"
		"bandwidth = \"500\" ; again\n" /* 4: duplicate, value shown */
		"shared_key = abc\n"
		"shared_key = def\n"            /* 6: duplicate, secret */
		"oops\n"                        /* 7 */
		"[Circuit   ER1]\n"             /* 8: duplicate section */
		"name = again\n"                /* 9: a repeat under the repeated header: not reported */
		"colour = red\n"                /* 10: new: joins [circuit er1] */
		"k = a;b\n"                     /* 11 */
		"[x:y]\n";                      /* 12 */
	struct mistakes ms;
	struct ini_doc d;

	CHECK_INT(read_str(text, NULL, &d, &ms), -EINVAL);
	CHECK_INT(ms.n, 6);
	if (ms.n != 6) {
		dump(&ms);
		return;
	}
	CHECK_INT(ms.v[0].line, 4);
	CHECK_STR(ms.v[0].what, "t.ini:4: [circuit er1] bandwidth=500");
	CHECK_STR(ms.v[0].msg, "duplicate key");
	CHECK_STR(ms.v[0].detail, "first set at line 3");
	CHECK_INT(ms.v[1].line, 6);
	CHECK_STR(ms.v[1].what, "t.ini:6: [circuit er1] shared_key");
	CHECK_STR(ms.v[1].detail, "first set at line 5");
	CHECK_INT(ms.v[2].line, 7);
	CHECK_STR(ms.v[2].what, "t.ini:7");
	CHECK_INT(ms.v[3].line, 8);
	CHECK_STR(ms.v[3].what, "t.ini:8: [Circuit   ER1]");
	CHECK_STR(ms.v[3].msg, "duplicate section");
	CHECK_STR(ms.v[3].detail, "first at line 1");
	CHECK_INT(ms.v[4].line, 11);
	CHECK_STR(ms.v[4].what, "t.ini:11: [Circuit   ER1] k");
	CHECK_INT(ms.v[5].line, 12);
	CHECK_STR(ms.v[5].detail, "':' is not allowed in a section header");

	/* Without the mistakes that make it unreadable: the document, duplicates left out. */
	CHECK_INT(read_str("[circuit er1]\nname = C1\nbandwidth = 200\nbandwidth = 500\n[Circuit   ER1]\nname = again\n"
			   "colour = red\n", NULL, &d, &ms), 0);
	CHECK_INT(ms.n, 2);
	CHECK_INT(d.n_sections, 1);
	CHECK_INT(d.n_keys, 3);
	CHECK_STR(value_of(&d, "circuit er1", "bandwidth"), "200");
	CHECK_STR(value_of(&d, "circuit er1", "name"), "C1");
	CHECK_STR(value_of(&d, "circuit er1", "colour"), "red");
	CHECK_INT(d.keys[2].line, 7);
	ini_doc_free(&d);
}

/* The hard limits stop the scan where they are reached. */
static void test_limits(void)
{
	struct ini_limits lim = { .max_entries = 5, .max_section_keys = 2, .max_bytes = 64, .noun = "state file" };
	struct mistakes ms;
	struct ini_doc d;

	CHECK_INT(read_str("[a]\nx = 1\ny = 2\n[b]\nz = 1\n[c]\nbad line\n", &lim, &d, &ms), -EINVAL);
	CHECK_INT(ms.n, 1);
	CHECK_INT(ms.v[0].line, 6);
	CHECK_STR(ms.v[0].msg, "too many entries");
	CHECK_STR(ms.v[0].detail, "at most 5 sections and keys");

	CHECK_INT(read_str("[a]\nx = 1\ny = 2\nz = 3\n", &lim, &d, &ms), -EINVAL);
	CHECK_INT(ms.n, 1);
	CHECK_INT(ms.v[0].line, 4);
	CHECK_STR(ms.v[0].what, "t.ini:4");
	CHECK_STR(ms.v[0].msg, "too many keys in one section");
	CHECK_STR(ms.v[0].detail, "at most 2");

	ms.n = 0;
	CHECK_INT(ini_read_text("[a]\n", 65, "big.ini", &lim, &d, collect, &ms), -EFBIG);
	CHECK_INT(ms.n, 1);
	CHECK_INT(ms.v[0].line, 0);
	CHECK_INT(ms.v[0].errnum, -EFBIG);
	CHECK_STR(ms.v[0].what, "big.ini");
	CHECK_STR(ms.v[0].msg, "file too large: 65 bytes");
	CHECK_STR(ms.v[0].detail, "at most 64 bytes");

	ms.n = 0;
	CHECK_INT(ini_read_text("[a]\n\1\0\n", 7, "t.ini", &lim, &d, collect, &ms), -EINVAL);
	CHECK_INT(ms.n, 1);
	CHECK_INT(ms.v[0].line, 2);
	CHECK_STR(ms.v[0].detail, "a state file is text: is this a binary file?");
}

static int temp_file(char tmpl[64], const char *text, size_t len)
{
	int fd;

	snprintf(tmpl, 64, "/tmp/erlab-test-ini-XXXXXX");
	fd = mkstemp(tmpl);
	CHECK(fd >= 0);
	if (fd >= 0 && write(fd, text, len) != (ssize_t)len)
		CHECK(0);
	return fd;
}

/* The file as a whole: not a regular file, too large, unreadable. */
static void test_file_mistakes(void)
{
	struct ini_limits lim = { .max_bytes = 16, .noun = "lab file" };
	struct mistakes ms = { .n = 0 };
	struct ini_doc d;
	char tmpl[64];
	int fd;

	fd = open("/tmp", O_RDONLY | O_DIRECTORY);
	CHECK_INT(ini_read_fd(fd, "/tmp", NULL, &lim, &d, collect, &ms), -EINVAL);
	close(fd);
	CHECK_INT(ms.n, 1);
	CHECK_INT(ms.v[0].line, 0);
	CHECK_STR(ms.v[0].what, "/tmp");
	CHECK_STR(ms.v[0].msg, "not a regular file");
	CHECK_STR(ms.v[0].detail, "it is a directory");

	ms.n = 0;
	fd = open("/dev/null", O_RDONLY);
	CHECK_INT(ini_read_fd(fd, "/dev/null", NULL, &lim, &d, collect, &ms), -EINVAL);
	close(fd);
	CHECK_STR(ms.v[0].detail, "a lab file is a plain file");

	ms.n = 0;
	fd = temp_file(tmpl, "[a]\nk = 0123456789\n", 19);
	CHECK_INT(ini_read_fd(fd, "big.ini", tmpl, &lim, &d, collect, &ms), -EFBIG);
	close(fd);
	CHECK_INT(ms.n, 1);
	CHECK_INT(ms.v[0].errnum, -EFBIG);
	CHECK_STR(ms.v[0].msg, "file too large: 19 bytes");
	CHECK_STR(ms.v[0].detail, "at most 16 bytes");

	ms.n = 0;
	lim.max_bytes = 0;
	fd = open(tmpl, O_WRONLY);
	CHECK_INT(ini_read_fd(fd, "w.ini", tmpl, &lim, &d, collect, &ms), -EBADF);
	close(fd);
	CHECK_INT(ms.n, 1);
	CHECK_STR(ms.v[0].what, "w.ini");
	CHECK_STR(ms.v[0].msg, "cannot read the lab file: Bad file descriptor");
	unlink(tmpl);
}

/*
 * iniparser 4.1 strips trailing blanks from the whole joined buffer, so a '\\' they uncover joins
 * the next line again: "k = a\\\\" then an empty line reads the header after it into k's value.
 * The pre-scan reads it the same way (and would be caught if it did not).
 */
static void test_join_like_iniparser(void)
{
	struct mistakes ms;
	struct ini_doc d;

	CHECK_INT(read_str("[s]\nk = a\\\\\n\n[t]\nx = 1\n", NULL, &d, &ms), 0);
	CHECK_INT(ms.n, 0);
	CHECK_INT(d.n_sections, 1);
	CHECK_STR(value_of(&d, "s", "k"), "a[t]");
	CHECK_STR(value_of(&d, "s", "x"), "1");
	ini_doc_free(&d);

	/* A lone '\\' line joins nothing to nothing. */
	CHECK_INT(read_str("[s]\n\\\nk = v\n", NULL, &d, &ms), 0);
	CHECK_STR(value_of(&d, "s", "k"), "v");
	CHECK_INT(d.keys[0].line, 2);
	ini_doc_free(&d);
}

static void gen_far_duplicates(FILE *f)
{
	fprintf(f, "[lab]\ndatapath = veth\n");
	for (unsigned i = 1; i <= 300; i++)
		circuit(f, i);
	/* Far below (another iniparser slice): the same header, spelt the same or not. */
	fprintf(f, "[circuit c1]\ncolour = red\nname = again\n");
	fprintf(f, "[CIRCUIT  c2]\ncolour = blue\n");
	fprintf(f, "[peering c300 microsoft]\nextra = 1\n");
	fprintf(f, "[lab]\ndatapath = bridge\nlast = yes\n");
}

/* Repeated headers in other slices: reported, their new keys joined to the first, values right. */
static void test_slices(void)
{
	const struct ini_section *s;
	struct mistakes ms;
	struct ini_doc d;
	struct text t;

	text_open(&t);
	gen_far_duplicates(t.f);
	text_close(&t);
	ms.n = 0;
	CHECK_INT(ini_read_text(t.s, t.len, "far.ini", &lab_limits, &d, collect, &ms), 0);
	CHECK_INT(ms.n, 4);
	CHECK_STR(ms.v[0].what, "far.ini:9003: [circuit c1]");
	CHECK_STR(ms.v[0].detail, "first at line 4");
	CHECK_STR(ms.v[1].what, "far.ini:9006: [CIRCUIT  c2]");
	CHECK_STR(ms.v[1].detail, "first at line 34");
	CHECK_STR(ms.v[3].what, "far.ini:9010: [lab]");
	CHECK_STR(ms.v[3].detail, "first at line 1");
	CHECK_INT(d.n_sections, 1 + 4 * 300);
	CHECK_INT(d.n_keys, 1 + 25 * 300 + 4);
	s = ini_section_find(&d, "circuit c1");
	CHECK(s && s->n == 8 && s->line == 4);
	CHECK_STR(value_of(&d, "circuit c1", "name"), "c1");
	CHECK_STR(value_of(&d, "circuit c1", "colour"), "red");
	if (s)
		CHECK_STR(d.keys[s->first + 7].key, "colour");
	CHECK_STR(value_of(&d, "circuit c2", "colour"), "blue");
	CHECK_STR(value_of(&d, "peering c300 microsoft", "extra"), "1");
	CHECK_STR(value_of(&d, "peering c300 microsoft", "routing_registry_name"), "ARIN");
	CHECK_STR(value_of(&d, "peering c300 microsoft", "shared_key"), "M300");
	CHECK_STR(value_of(&d, "peering c299 private", "shared_key"), "K299");
	CHECK_STR(value_of(&d, "lab", "datapath"), "veth");
	CHECK_STR(value_of(&d, "lab", "last"), "yes");
	CHECK_STR(value_of(&d, "circuit c300", "service_key"), "00000000-0000-4000-8000-000000000300");
	ini_doc_free(&d);
	free(t.s);
}

/* A [registry] of thousands of keys: one header, one long section, every key found. */
static void test_long_section(void)
{
	struct mistakes ms = { .n = 0 };
	struct ini_doc d;
	struct text t;
	char key[32];
	unsigned bad = 0;

	text_open(&t);
	fprintf(t.f, "[lab]\ndatapath = veth\n[Registry]\n");
	for (unsigned i = 0; i < 4095; i++)
		fprintf(t.f, "10.%u.%u.0/24 = %u\n", i / 256, i % 256, 64512 + i);
	fprintf(t.f, "10.0.0.0/24 = 1\n[bgp]\nmsee = bird\n");
	text_close(&t);
	CHECK_INT(ini_read_text(t.s, t.len, "reg.ini", &lab_limits, &d, collect, &ms), 0);
	CHECK_INT(ms.n, 1);
	CHECK_INT(ms.v[0].line, 4099);
	CHECK_STR(ms.v[0].what, "reg.ini:4099: [Registry] 10.0.0.0/24=1");
	CHECK_STR(ms.v[0].detail, "first set at line 4");
	CHECK_INT(d.n_sections, 3);
	CHECK_INT(d.sections[1].n, 4095);
	for (unsigned i = 0; i < 4095 && d.n_sections == 3; i++) {
		const struct ini_key *k;

		snprintf(key, sizeof(key), "10.%u.%u.0/24", i / 256, i % 256);
		k = ini_key_find(&d, &d.sections[1], key);
		bad += !k || (unsigned)atoi(k->value) != 64512 + i || k->line != 4 + i || k != &d.keys[d.sections[1].first + i];
	}
	CHECK_INT(bad, 0);
	CHECK_STR(value_of(&d, "bgp", "msee"), "bird");
	ini_doc_free(&d);
	free(t.s);
}

/*
 * Without memfd, iniparser reads the caller's file by name (/proc/self/fd/N): the same document
 * (a repeated key leaves its last value in iniparser's dictionary, shown in the message); text
 * alone cannot be handed over.
 */
static void test_no_memfd(void)
{
	struct mistakes ms = { .n = 0 };
	struct ini_doc d;
	struct text t;
	char tmpl[64];
	int fd;

	text_open(&t);
	gen_far_duplicates(t.f);
	fprintf(t.f, "[circuit c3]\nname = twice\n");
	text_close(&t);
	fd = temp_file(tmpl, t.s, t.len);
	no_memfd = true;
	CHECK_INT(ini_read_fd(fd, "far.ini", tmpl, &lab_limits, &d, collect, &ms), 0);
	CHECK_INT(ms.n, 5);
	CHECK_STR(ms.v[4].what, "far.ini:9013: [circuit c3]");
	CHECK_INT(d.n_sections, 1 + 4 * 300);
	CHECK_STR(value_of(&d, "circuit c1", "colour"), "red");
	CHECK_STR(value_of(&d, "peering c299 private", "shared_key"), "K299");
	CHECK_STR(value_of(&d, "lab", "datapath"), "bridge");
	ini_doc_free(&d);

	ms.n = 0;
	CHECK_INT(ini_read_fd(fd, "dup.ini", tmpl, &lab_limits, &d, collect, &ms), 0);
	ini_doc_free(&d);

	ms.n = 0;
	CHECK_INT(ini_read_text("[a]\nk = v\n", 10, "t.ini", &lab_limits, &d, collect, &ms), -ENOSYS);
	CHECK_INT(ms.n, 1);
	CHECK_INT(ms.v[0].line, 0);
	CHECK_STR(ms.v[0].msg, "cannot hand the text to iniparser: Function not implemented");

	/* Mistakes that make the text unreadable need no iniparser. */
	ms.n = 0;
	CHECK_INT(ini_read_text("k = v\n", 6, "t.ini", &lab_limits, &d, collect, &ms), -EINVAL);
	CHECK_INT(ms.n, 1);
	no_memfd = false;
	close(fd);
	unlink(tmpl);
	free(t.s);
}

/* Inputs near every edge iniparser has: none of them may make it print a word. */
static const char *const tricky[] = {
	"[a]\nk = a\\\\\n\n[t]\nx = 1\n",
	"[a]\nk = a\\ \\\n\n\nz\n",
	"[a]\nk = \"unclosed\n",
	"[a]\nk = \"\"\nj = ''\nl = \"\" ; c\nm = \"x\"# c\n",
	"[a]\nk =\nj = ;\nl = #\n",
	"[a]\n= v\n",
	"[a]\n\\\n",
	"[a]\nk = v\\",
	"[]\n[ ]\n[a]b]\n[a\n",
	"[a]\nnot a line\n",
	"x\n",
	"x",
	"]",
	"[a]\n\f k \v= \"v\"\r\n",
	"[a]\nk =\f\"v;w\"\n",
	"[a]\nk = v\r\r\r\n",
	"[a]\n\xef\xbb\xbfk = v\n\xff\xfe = \x80\n",
	"\xef\xbb\xbf[a]\n",
	"[A]\nk = 1\n[a]\nk = 2\n[ a ]\nk = 3\n[A ]\nj = 4\n",
	"[a]\nk:x = 1\nk\"y = 2\n[b=c]\nk;z = 3\n",
	"[a]\r\nk = \\\r\n\r\n",
};

static void read_quietly(const char *text, size_t len, int fd_of)
{
	struct mistakes ms = { .n = 0 };
	struct ini_doc d;
	int r;

	if (fd_of >= 0)
		r = ini_read_fd(fd_of, "t.ini", NULL, &lab_limits, &d, collect, &ms);
	else
		r = ini_read_text(text, len, "t.ini", &lab_limits, &d, collect, &ms);
	for (unsigned i = 0; i < ms.n; i++)
		CHECK(strstr(ms.v[i].msg, "iniparser") == NULL);
	if (r == 0)
		ini_doc_free(&d);
}

static void read_dir_quietly(const char *dir)
{
	char path[PATH_MAX];
	struct stat st;

	for (unsigned i = 0;; i++) {
		static const char *const names[] = {
			"classic.ini", "dual-stack.ini", "mistakes.ini", "two-circuits.ini", "lab-bad-bool.ini",
			"lab-bad-enum.ini", "lab-bad-number.ini", "lab-duplicate-key.ini", "lab-duplicate-section.ini",
			"lab-malformed-section.ini", "lab-missing-circuit.ini", "lab-missing-key.ini",
			"lab-not-provisioned.ini", "lab-nul.ini", "lab-registry.ini", "lab-syntax-error.ini",
			"lab-unknown-key.ini", "lab-unknown-section.ini", "lab-wrong-type-key.ini", NULL,
		};
		int fd;

		if (!names[i])
			break;
		snprintf(path, sizeof(path), "%s/%s", dir, names[i]);
		if (stat(path, &st) < 0)
			continue;
		fd = open(path, O_RDONLY);
		if (fd < 0)
			continue;
		read_quietly(NULL, 0, fd);
		no_memfd = true;
		read_quietly(NULL, 0, fd);
		no_memfd = false;
		close(fd);
	}
}

/* stderr goes to a file while the corpus is read: it must stay empty. */
static void test_quiet(void)
{
	const char *data = getenv("ERLAB_TEST_DATA"), *labs = getenv("ERLAB_LABS");
	char tmpl[] = "/tmp/erlab-test-ini-err-XXXXXX";
	struct text t;
	struct stat st;
	int saved, fd = mkstemp(tmpl);

	CHECK(fd >= 0);
	if (fd < 0)
		return;
	fflush(stderr);
	saved = dup(2);
	dup2(fd, 2);

	for (size_t i = 0; i < sizeof(tricky) / sizeof(tricky[0]); i++)
		read_quietly(tricky[i], strlen(tricky[i]), -1);
	read_quietly("[a]\nk = v\n\0x\n", 12, -1);
	text_open(&t);
	gen_far_duplicates(t.f);
	text_close(&t);
	read_quietly(t.s, t.len, -1);
	free(t.s);
	read_dir_quietly(data && *data ? data : "tests/data");
	read_dir_quietly(labs && *labs ? labs : "labs");

	fflush(stderr);
	dup2(saved, 2);
	close(saved);
	CHECK(fstat(fd, &st) == 0);
	CHECK_INT(st.st_size, 0);
	close(fd);
	unlink(tmpl);
}

struct thread_arg {
	const char *text;
	size_t len;
	int bad;
};

static void *reader(void *p)
{
	struct thread_arg *a = p;

	for (int i = 0; i < 5; i++) {
		struct mistakes ms = { .n = 0 };
		struct ini_doc d;

		if (ini_read_text(a->text, a->len, "t.ini", &lab_limits, &d, collect, &ms) != 0 || ms.n != 4 ||
		    d.n_sections != 1201 || strcmp(value_of(&d, "circuit c1", "colour"), "red") != 0)
			a->bad++;
		else
			ini_doc_free(&d);
	}
	return NULL;
}

/* Reads from several threads at once share nothing (state files are read that way). */
static void test_threads(void)
{
	struct thread_arg a[4];
	pthread_t th[4];
	struct text t;

	text_open(&t);
	gen_far_duplicates(t.f);
	text_close(&t);
	for (int i = 0; i < 4; i++) {
		a[i] = (struct thread_arg){ .text = t.s, .len = t.len };
		CHECK_INT(pthread_create(&th[i], NULL, reader, &a[i]), 0);
	}
	for (int i = 0; i < 4; i++) {
		pthread_join(th[i], NULL);
		CHECK_INT(a[i].bad, 0);
	}
	free(t.s);
}

int main(void)
{
	RUN(test_classic);
	RUN(test_values);
	RUN(test_names);
	RUN(test_line_ends);
	RUN(test_line_mistakes);
	RUN(test_value_mistakes);
	RUN(test_all_at_once);
	RUN(test_limits);
	RUN(test_file_mistakes);
	RUN(test_join_like_iniparser);
	RUN(test_slices);
	RUN(test_long_section);
	RUN(test_no_memfd);
	RUN(test_quiet);
	RUN(test_threads);
	return TEST_DONE();
}
