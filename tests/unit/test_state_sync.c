/* SPDX-License-Identifier: MIT */
/*
 * docs/state.md: state files are written atomically: temp file, fsync, rename, fsync dir. The store's
 * fsync and renameat are wrapped (linked with -Wl,--wrap=fsync,--wrap=renameat) and logged in
 * order, so the test sees the sequence a save, a journalled change and a delete really make.
 */
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "store/state.h"
#include "test.h"

static char sys_log[1024];

static void log_op(const char *op)
{
	size_t len = strlen(sys_log);

	snprintf(sys_log + len, sizeof(sys_log) - len, "%s%s", len ? " " : "", op);
}

int __real_fsync(int fd);
int __wrap_fsync(int fd);
int __wrap_fsync(int fd)
{
	struct stat st;

	log_op(fstat(fd, &st) == 0 && S_ISDIR(st.st_mode) ? "fsync(dir)" : "fsync(file)");
	return __real_fsync(fd);
}

int __real_renameat(int olddirfd, const char *oldpath, int newdirfd, const char *newpath);
int __wrap_renameat(int olddirfd, const char *oldpath, int newdirfd, const char *newpath);
int __wrap_renameat(int olddirfd, const char *oldpath, int newdirfd, const char *newpath)
{
	log_op("rename");
	return __real_renameat(olddirfd, oldpath, newdirfd, newpath);
}

static void make_circuit(struct circuit *c)
{
	circuit_init(c);
	snprintf(c->name, sizeof(c->name), "X");
	snprintf(c->service_key, sizeof(c->service_key), "00000000-0000-4000-8000-000000000001");
	c->bandwidth = 200;
	snprintf(c->location, sizeof(c->location), "Silicon Valley");
	snprintf(c->provider, sizeof(c->provider), "equinix");
}

static void test_save_is_durable(void)
{
	char dir[64] = "/tmp/erlab-test-sync-XXXXXX", cmd[128];
	struct err e = { 0 };
	struct circuit c;
	struct store s;

	CHECK(mkdtemp(dir) != NULL);
	CHECK_INT(store_open(&s, dir, &e), 0);
	make_circuit(&c);
	sys_log[0] = '\0';
	CHECK_INT(store_save(&s, &c, &e), 0);
	CHECK_STR(sys_log, "fsync(file) rename fsync(dir)");
	sys_log[0] = '\0';
	CHECK_INT(store_delete(&s, "X", &e), 0);
	CHECK_STR(sys_log, "fsync(dir)");
	/* Many deletions, one fsync of the directory at the end. */
	for (int i = 0; i < 3; i++) {
		snprintf(c.name, sizeof(c.name), "X%d", i);
		CHECK_INT(store_save(&s, &c, &e), 0);
	}
	sys_log[0] = '\0';
	for (int i = 0; i < 3; i++) {
		char name[8];

		snprintf(name, sizeof(name), "X%d", i);
		CHECK_INT(store_unlink(&s, name, &e), 0);
	}
	CHECK_STR(sys_log, "");
	CHECK_INT(store_sync(&s, &e), 0);
	CHECK_STR(sys_log, "fsync(dir)");
	circuit_clear(&c);
	store_close(&s);
	snprintf(cmd, sizeof(cmd), "rm -rf %s", dir);
	CHECK_INT(system(cmd), 0);
}

int main(void)
{
	RUN(test_save_is_durable);
	return TEST_DONE();
}
