/* SPDX-License-Identifier: MIT */
/*
 * libFuzzer harness for the lab loader (README, "Lab files"; bad input gets a clear error):
 * lab_load on a temp file holding the input. Every outcome is fine except a crash, a leak, or
 * an error that is not reported: a failure must come with at least one err naming the file.
 */
#include <errno.h>

#include "fuzz_common.h"
#include "lab/lab.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char path[4096];
	struct lab lab;
	struct lab_errors errs = { 0 };
	int r;

	fuzz_write_temp(data, size, ".ini", path);
	memset(&lab, 0, sizeof(lab));
	r = lab_load(path, &lab, &errs);
	if (r < 0 && errs.n == 0)
		abort();   /* a refused file with no message */
	if (r == 0 && errs.n != 0)
		abort();   /* accepted yet complained */
	for (unsigned i = 0; i < errs.n; i++) {
		fuzz_check_err(&errs.v[i], errs.v[i].errnum ? errs.v[i].errnum : -EINVAL);
		if (errs.v[i].errnum >= 0)
			abort();
	}
	if (r == 0) {
		for (unsigned i = 0; i < lab.n_circuits; i++)
			if (lab.circuits[i].name[0] == '\0')
				abort();
	}
	lab_errors_clear(&errs);
	lab_clear(&lab);
	unlink(path);
	return 0;
}
