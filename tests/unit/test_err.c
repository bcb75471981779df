/* SPDX-License-Identifier: MIT */
#include <errno.h>
#include <limits.h>
#include <string.h>

#include "core/err.h"
#include "test.h"

static void test_set(void)
{
	struct err e;

	memset(&e, 0x55, sizeof(e));
	CHECK_INT(err_set(&e, -EINVAL, "MyTestCircuit private peering: vlan_id=0", "VlanId %d is out of range", 0), -EINVAL);
	CHECK_INT(e.errnum, -EINVAL);
	CHECK_STR(e.what, "MyTestCircuit private peering: vlan_id=0");
	CHECK_STR(e.msg, "VlanId 0 is out of range");
	CHECK_STR(e.detail, "");
}

static void test_set_positive_and_null(void)
{
	struct err e;

	/* A positive errno is normalised, a NULL what is empty. */
	CHECK_INT(err_set(&e, ENOENT, NULL, "gone"), -ENOENT);
	CHECK_INT(e.errnum, -ENOENT);
	CHECK_STR(e.what, "");
	CHECK_STR(e.msg, "gone");
	/* No struct: still returns the errno. */
	CHECK_INT(err_set(NULL, -EEXIST, "x", "y"), -EEXIST);
}

static void test_set_clears_detail(void)
{
	struct err e;

	err_set(&e, -EIO, "a", "first");
	err_detail(&e, "kernel: %s", "Unknown device type");
	CHECK_STR(e.detail, "kernel: Unknown device type");
	err_set(&e, -EBUSY, "b", "second");
	CHECK_STR(e.detail, "");
	CHECK_INT(e.errnum, -EBUSY);
}

static void test_set_self_reference(void)
{
	struct err e;

	err_set(&e, -EIO, "link primary", "down");
	/* Re-wrapping an error with its own text must not corrupt it. */
	err_set(&e, e.errnum, e.what, "%s: %s", e.what, e.msg);
	CHECK_STR(e.what, "link primary");
	CHECK_STR(e.msg, "link primary: down");
}

static void test_truncation(void)
{
	struct err e;
	char big[2000];

	memset(big, 'w', sizeof(big) - 1);
	big[sizeof(big) - 1] = '\0';
	err_set(&e, -EINVAL, big, "%s", big);
	CHECK_INT(strlen(e.what), sizeof(e.what) - 1);
	CHECK_INT(strlen(e.msg), sizeof(e.msg) - 1);
	err_detail(&e, "%s", big);
	CHECK_INT(strlen(e.detail), sizeof(e.detail) - 1);
	/* Full: further hints are dropped, not overflowing. */
	err_detail(&e, "more");
	CHECK_INT(strlen(e.detail), sizeof(e.detail) - 1);
	CHECK_INT(e.errnum, -EINVAL);
}

static void test_detail(void)
{
	struct err e;

	err_set(&e, -EOPNOTSUPP, "MyTestCircuit primary.100", "cannot create VLAN");
	err_detail(&e, "kernel: %s", "Unknown device type");
	err_detail(&e, "fix: modprobe 8021q, or --datapath veth");
	CHECK_STR(e.detail, "kernel: Unknown device type; fix: modprobe 8021q, or --datapath veth");
	CHECK_INT(e.errnum, -EOPNOTSUPP);
	CHECK_STR(e.what, "MyTestCircuit primary.100");
	CHECK_STR(e.msg, "cannot create VLAN");
	err_detail(&e, "%s", "");
	CHECK_STR(e.detail, "kernel: Unknown device type; fix: modprobe 8021q, or --datapath veth");
	err_detail(NULL, "ignored");
}

static void test_exit_code(void)
{
	CHECK_INT(err_exit_code(0), 0);
	CHECK_INT(err_exit_code(-EINVAL), 2);
	CHECK_INT(err_exit_code(-ERANGE), 2);
	CHECK_INT(err_exit_code(-EEXIST), 3);
	CHECK_INT(err_exit_code(-EBUSY), 3);
	CHECK_INT(err_exit_code(-EAGAIN), 3);
	CHECK_INT(err_exit_code(-ETIMEDOUT), 3);
	CHECK_INT(err_exit_code(-ENOTEMPTY), 3);
	CHECK_INT(err_exit_code(-ENOENT), 4);
	CHECK_INT(err_exit_code(-EIO), 1);
	CHECK_INT(err_exit_code(-ENOMEM), 1);
	CHECK_INT(err_exit_code(-EOPNOTSUPP), 1);
	CHECK_INT(err_exit_code(-EPERM), 1);
	CHECK_INT(err_exit_code(ENOENT), 4);
	CHECK_INT(err_exit_code(INT_MIN), 1);
}

static void test_azure_code(void)
{
	CHECK_STR(err_azure_code(-EINVAL), "BadRequest");
	CHECK_STR(err_azure_code(-ERANGE), "BadRequest");
	CHECK_STR(err_azure_code(-EEXIST), "ConflictError");
	CHECK_STR(err_azure_code(-EBUSY), "ConflictError");
	CHECK_STR(err_azure_code(-ENOENT), "ResourceNotFound");
	CHECK_STR(err_azure_code(-EIO), "InternalError");
	CHECK_STR(err_azure_code(0), "InternalError");
}

static void test_format(void)
{
	struct err e;
	char buf[256], small[8];

	err_set(&e, -EEXIST, "MyTestCircuit private peering", "BGP peering could not be created as it already exists.");
	CHECK_STR(err_format(&e, buf, sizeof(buf)),
		  "MyTestCircuit private peering: BGP peering could not be created as it already exists.");
	err_detail(&e, "remove it first");
	CHECK_STR(err_format(&e, buf, sizeof(buf)),
		  "MyTestCircuit private peering: BGP peering could not be created as it already exists. (remove it first)");
	err_set(&e, -EINVAL, "", "no what");
	CHECK_STR(err_format(&e, buf, sizeof(buf)), "no what");
	err_detail(&e, "hint");
	CHECK_STR(err_format(&e, buf, sizeof(buf)), "no what (hint)");
	err_set(&e, -EINVAL, "object", "message");
	CHECK_STR(err_format(&e, small, sizeof(small)), "object:");
	CHECK_STR(err_format(&e, small, 1), "");
	CHECK(err_format(&e, NULL, 0) == NULL);
	CHECK_STR(err_format(NULL, buf, sizeof(buf)), "");
}

int main(void)
{
	RUN(test_set);
	RUN(test_set_positive_and_null);
	RUN(test_set_clears_detail);
	RUN(test_set_self_reference);
	RUN(test_truncation);
	RUN(test_detail);
	RUN(test_exit_code);
	RUN(test_azure_code);
	RUN(test_format);
	return TEST_DONE();
}
