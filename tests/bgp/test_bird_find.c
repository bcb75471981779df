/* SPDX-License-Identifier: MIT */
/*
 * Which BIRD erlab runs (src/bgp/bird.h bird_find, docs/bgp.md "Which BIRD"): a lab's bird_path,
 * else ERLAB_BIRD, else bird in PATH's absolute directories, else the sbin directories; an explicit
 * choice never falls back; the file must be named bird. Through bird_find_in, with every input
 * given, so the machine's own BIRD (or its absence) changes nothing. Unit tier: no privileges.
 */
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "bgp/bird.h"
#include "bgp/bird_int.h"
#include "../unit/test.h"

static char top[512];

/* dir/name under top, created (0755) with its parents; returns the path in a static buffer pool. */
static const char *at(const char *rel)
{
	static char pool[8][PATH_MAX];
	static unsigned next;
	char *p = pool[next++ % 8];

	snprintf(p, PATH_MAX, "%s/%s", top, rel);
	return p;
}

static void mkdir_p(const char *rel)
{
	char cmd[PATH_MAX + 16];

	snprintf(cmd, sizeof(cmd), "mkdir -p '%s'", at(rel));
	CHECK(system(cmd) == 0);
}

/* A file at rel with mode. */
static void file(const char *rel, mode_t mode)
{
	FILE *f = fopen(at(rel), "w");

	CHECK(f != NULL);
	if (f) {
		fputs("#!/bin/sh\nexit 0\n", f);
		fclose(f);
	}
	CHECK(chmod(at(rel), mode) == 0);
}

static void setup(void)
{
	snprintf(top, sizeof(top), "%s/erlab-bird-find.XXXXXX", getenv("TMPDIR") ? getenv("TMPDIR") : "/tmp");
	CHECK(mkdtemp(top) != NULL);
	mkdir_p("empty");
	mkdir_p("noexec");
	file("noexec/bird", 0644);
	mkdir_p("isdir/bird");
	mkdir_p("a");
	file("a/bird", 0755);
	mkdir_p("b");
	file("b/bird", 0755);
	mkdir_p("sbin");
	file("sbin/bird", 0755);
	mkdir_p("other");
	file("other/bird2", 0755);
	CHECK(symlink(at("other/bird2"), at("other/bird")) == 0);
}

static void test_path_order(void)
{
	char path[4 * PATH_MAX], got[PATH_MAX];
	struct err e = {0};

	/* The first directory of PATH that has an executable regular file named bird. */
	snprintf(path, sizeof(path), "%s:%s:%s:%s", at("empty"), at("noexec"), at("isdir"), at("b"));
	CHECK_INT(bird_find_in(NULL, NULL, path, at("sbin"), got, &e), 0);
	CHECK_STR(got, at("b/bird"));
	snprintf(path, sizeof(path), "%s:%s", at("a"), at("b"));
	CHECK_INT(bird_find_in(NULL, "", path, at("sbin"), got, &e), 0);
	CHECK_STR(got, at("a/bird"));
}

static void test_fallback_dirs(void)
{
	char got[PATH_MAX];
	struct err e = {0};

	/* Not on PATH (a plain user's PATH has no sbin): the sbin directories. */
	CHECK_INT(bird_find_in(NULL, NULL, at("empty"), at("sbin"), got, &e), 0);
	CHECK_STR(got, at("sbin/bird"));
	CHECK_INT(bird_find_in(NULL, NULL, NULL, at("sbin"), got, &e), 0);
	CHECK_STR(got, at("sbin/bird"));
}

static void test_relative_path_dirs_skipped(void)
{
	char cwd[PATH_MAX], got[PATH_MAX];
	struct err e = {0};

	/* "", "." and "a" in PATH would run a bird from wherever erlab starts: never. */
	CHECK(getcwd(cwd, sizeof(cwd)) != NULL);
	CHECK(chdir(top) == 0);
	CHECK_INT(bird_find_in(NULL, NULL, ":.:a:a/", at("empty"), got, &e), -ENOPKG);
	CHECK(chdir(cwd) == 0);
}

static void test_not_found(void)
{
	char got[PATH_MAX], want[3 * PATH_MAX];
	struct err e = {0};

	CHECK_INT(bird_find_in(NULL, NULL, at("empty"), at("noexec"), got, &e), -ENOPKG);
	CHECK_STR(e.what, "bird");
	snprintf(want, sizeof(want), "BIRD 2 not found: looked for bird in PATH (%s) and in %s, and ERLAB_BIRD is "
		 "not set: install bird2, or name the daemon with ERLAB_BIRD=/path/to/bird or a lab's [bgp] bird_path",
		 at("empty"), at("noexec"));
	CHECK_STR(e.msg, want);
	CHECK_INT(err_exit(&e), 1);
	CHECK_INT(bird_find_in(NULL, NULL, NULL, NULL, got, &e), -ENOPKG);
	CHECK(strstr(e.msg, "in PATH (unset) and in no other directory") != NULL);
}

static void test_env(void)
{
	char got[PATH_MAX], what[PATH_MAX + 32];
	struct err e = {0};

	/* ERLAB_BIRD beats PATH, and a symbolic link named bird is taken as named (BIRD's comm is
	 * the name it was started by). */
	CHECK_INT(bird_find_in(NULL, at("other/bird"), at("a"), at("sbin"), got, &e), 0);
	CHECK_STR(got, at("other/bird"));
	/* An explicit choice that does not work fails; it never falls back to PATH. */
	CHECK_INT(bird_find_in(NULL, at("empty/bird"), at("a"), at("sbin"), got, &e), -ENOPKG);
	snprintf(what, sizeof(what), "ERLAB_BIRD=%s", at("empty/bird"));
	CHECK_STR(e.what, what);
	CHECK_STR(e.msg, "cannot run BIRD from there: no such file");
	CHECK_INT(bird_find_in(NULL, at("noexec/bird"), at("a"), NULL, got, &e), -ENOPKG);
	CHECK_STR(e.msg, "cannot run BIRD from there: not executable");
	CHECK_INT(bird_find_in(NULL, at("isdir/bird"), at("a"), NULL, got, &e), -ENOPKG);
	CHECK_STR(e.msg, "cannot run BIRD from there: not a regular file");
	/* Named otherwise: refused, naming the value (exit 2, invalid input). */
	CHECK_INT(bird_find_in(NULL, at("other/bird2"), at("a"), NULL, got, &e), -EINVAL);
	snprintf(what, sizeof(what), "ERLAB_BIRD=%s", at("other/bird2"));
	CHECK_STR(e.what, what);
	CHECK(strstr(e.msg, "must be a file named bird") != NULL);
	CHECK_INT(err_exit(&e), 2);
}

static void test_relative_env(void)
{
	char cwd[PATH_MAX], got[PATH_MAX];
	struct err e = {0};

	/* A relative ERLAB_BIRD is taken from the current directory, made absolute. */
	CHECK(getcwd(cwd, sizeof(cwd)) != NULL);
	CHECK(chdir(top) == 0);
	CHECK_INT(bird_find_in(NULL, "a/bird", NULL, NULL, got, &e), 0);
	CHECK(chdir(cwd) == 0);
	CHECK_STR(got, at("a/bird"));
}

static void test_lab_key(void)
{
	char got[PATH_MAX], what[PATH_MAX + 32];
	struct err e = {0};

	/* A lab's bird_path beats ERLAB_BIRD and PATH, and fails alone. */
	CHECK_INT(bird_find_in(at("b/bird"), at("a/bird"), at("a"), at("sbin"), got, &e), 0);
	CHECK_STR(got, at("b/bird"));
	CHECK_INT(bird_find_in(at("empty/bird"), at("a/bird"), at("a"), at("sbin"), got, &e), -ENOPKG);
	snprintf(what, sizeof(what), "[bgp] bird_path=%s", at("empty/bird"));
	CHECK_STR(e.what, what);
	/* "" means none. */
	CHECK_INT(bird_find_in("", NULL, at("a"), NULL, got, &e), 0);
	CHECK_STR(got, at("a/bird"));
}

int main(void)
{
	char cmd[PATH_MAX + 16];

	setup();
	RUN(test_path_order);
	RUN(test_fallback_dirs);
	RUN(test_relative_path_dirs_skipped);
	RUN(test_not_found);
	RUN(test_env);
	RUN(test_relative_env);
	RUN(test_lab_key);
	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", top);
	if (system(cmd) != 0)
		fprintf(stderr, "cannot remove %s\n", top);
	return TEST_DONE();
}
