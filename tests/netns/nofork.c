/* SPDX-License-Identifier: MIT */
/*
 * nofork PROGRAM [ARG...]: run PROGRAM where every fork fails with EAGAIN (what the kernel says
 * at a process limit), while threads still start. Root is exempt from RLIMIT_NPROC, so the tests
 * make the failure with a seccomp filter instead: clone without CLONE_VM (a copy of the process,
 * as fork makes) and fork/vfork answer EAGAIN, clone3 answers ENOSYS so that glibc falls back to
 * clone for its threads. Clones that share the memory stay allowed: threads, and the helper
 * LeakSanitizer starts at exit in the sanitizer builds.
 * Exit: PROGRAM's, 77 when this architecture or kernel has no filter for it, 126 when it cannot
 * be run.
 */
#include <errno.h>
#include <linux/audit.h>
#include <linux/filter.h>
#include <linux/seccomp.h>
#include <sched.h>
#include <stddef.h>
#include <stdio.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <unistd.h>

#if defined(__x86_64__)
#define NOFORK_ARCH AUDIT_ARCH_X86_64
#elif defined(__aarch64__)
#define NOFORK_ARCH AUDIT_ARCH_AARCH64
#endif

/* The low 32 bits of clone's first argument (its flags). */
#if __BYTE_ORDER__ == __ORDER_BIG_ENDIAN__
#define ARG0_LO (offsetof(struct seccomp_data, args[0]) + 4)
#else
#define ARG0_LO offsetof(struct seccomp_data, args[0])
#endif

int main(int argc, char **argv)
{
#ifndef NOFORK_ARCH
	(void)argc;
	(void)argv;
	fprintf(stderr, "nofork: no seccomp filter for this architecture\n");
	return 77;
#else
	struct sock_filter f[] = {
		BPF_STMT(BPF_LD | BPF_W | BPF_ABS, offsetof(struct seccomp_data, arch)),
		BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, NOFORK_ARCH, 1, 0),
		BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ALLOW),
		BPF_STMT(BPF_LD | BPF_W | BPF_ABS, offsetof(struct seccomp_data, nr)),
		BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, __NR_clone3, 0, 1),
		BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ERRNO | ENOSYS),
#ifdef __NR_fork
		BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, __NR_fork, 0, 1),
		BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ERRNO | EAGAIN),
		BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, __NR_vfork, 0, 1),
		BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ERRNO | EAGAIN),
#endif
		BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, __NR_clone, 1, 0),
		BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ALLOW),
		BPF_STMT(BPF_LD | BPF_W | BPF_ABS, ARG0_LO),
		BPF_JUMP(BPF_JMP | BPF_JSET | BPF_K, CLONE_VM, 0, 1),
		BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ALLOW),
		BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ERRNO | EAGAIN),
	};
	struct sock_fprog prog = { .len = sizeof(f) / sizeof(f[0]), .filter = f };

	if (argc < 2) {
		fprintf(stderr, "usage: nofork PROGRAM [ARG...]\n");
		return 2;
	}
	if (prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) < 0 || prctl(PR_SET_SECCOMP, SECCOMP_MODE_FILTER, &prog) < 0) {
		fprintf(stderr, "nofork: cannot install the seccomp filter: %s\n", strerror(errno));
		return 77;
	}
	execv(argv[1], argv + 1);
	fprintf(stderr, "nofork: %s: %s\n", argv[1], strerror(errno));
	return 126;
#endif
}
