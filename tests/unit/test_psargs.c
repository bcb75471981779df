/* SPDX-License-Identifier: MIT */
#include <errno.h>
#include <string.h>

#include "core/psargs.h"
#include "test.h"

enum { P_SERVICE_KEY, P_ACCESS_TYPE, P_PEER_ASN, P_PRIMARY, P_SECONDARY, P_VLAN, P_FORCE,
       P_PASSTHRU, P_PATH, P_PATHX };

static const struct psparam params[] = {
	[P_SERVICE_KEY] = { "ServiceKey", false, 0, NULL, NULL },
	[P_ACCESS_TYPE] = { "AccessType", false, -1, NULL, NULL },
	[P_PEER_ASN] = { "PeerAsn", false, -1, NULL, NULL },
	[P_PRIMARY] = { "PrimaryPeerSubnet", false, 1, NULL, NULL },
	[P_SECONDARY] = { "SecondaryPeerSubnet", false, -1, NULL, NULL },
	[P_VLAN] = { "VlanId", false, -1, NULL, NULL },
	[P_FORCE] = { "Force", true, -1, NULL, NULL },
	[P_PASSTHRU] = { "PassThru", true, -1, NULL, NULL },
	[P_PATH] = { "Path", false, -1, NULL, NULL },
	[P_PATHX] = { "PathExtra", false, -1, NULL, NULL },
};
#define N_PARAMS (sizeof(params) / sizeof(params[0]))

/* argv must be writable: the binder strips quotes in place. */
#define BIND(b, e, ...) psargs_bind(params, N_PARAMS, \
	(int)(sizeof((char *[]){ __VA_ARGS__ }) / sizeof(char *)), (char *[]){ __VA_ARGS__ }, (b), (e))

static char *dup(const char *s)
{
	static char pool[64][128];
	static unsigned next;
	char *p = pool[next++ % 64];

	snprintf(p, 128, "%s", s);
	return p;
}

static void test_named_and_case(void)
{
	struct psbound b;
	struct err e = { 0 };

	CHECK_INT(BIND(&b, &e, dup("-accesstype"), dup("Private"), dup("-SERVICEKEY"), dup("abc"),
		       dup("-VlanId"), dup("100")), 0);
	CHECK_STR(b.value[P_ACCESS_TYPE], "Private");
	CHECK_STR(b.value[P_SERVICE_KEY], "abc");
	CHECK_STR(b.value[P_VLAN], "100");
	CHECK(b.present[P_VLAN]);
	CHECK(!b.present[P_PEER_ASN]);
	CHECK(b.value[P_PEER_ASN] == NULL);
}

static void test_empty(void)
{
	struct psbound b;
	struct err e = { 0 };

	CHECK_INT(psargs_bind(params, N_PARAMS, 0, NULL, &b, &e), 0);
	for (unsigned i = 0; i < N_PARAMS; i++)
		CHECK(!b.present[i]);
	CHECK_INT(psargs_bind(NULL, 0, 0, NULL, &b, &e), 0);
}

static void test_prefix(void)
{
	struct psbound b;
	struct err e = { 0 };

	CHECK_INT(BIND(&b, &e, dup("-Serv"), dup("k"), dup("-prim"), dup("10.0.0.0/30"), dup("-Pe"),
		       dup("1234")), 0);
	CHECK_STR(b.value[P_SERVICE_KEY], "k");
	CHECK_STR(b.value[P_PRIMARY], "10.0.0.0/30");
	CHECK_STR(b.value[P_PEER_ASN], "1234");
}

static void test_exact_beats_prefix(void)
{
	struct psbound b;
	struct err e = { 0 };

	/* "Path" is both a full name and a prefix of "PathExtra". */
	CHECK_INT(BIND(&b, &e, dup("-path"), dup("Primary")), 0);
	CHECK_STR(b.value[P_PATH], "Primary");
	CHECK(!b.present[P_PATHX]);
	CHECK_INT(BIND(&b, &e, dup("-PathE"), dup("x")), 0);
	CHECK_STR(b.value[P_PATHX], "x");
}

static void test_ambiguous(void)
{
	struct psbound b;
	struct err e = { 0 };
	/* Listed by name, not in the table's order. */
	static const struct psparam two[] = {
		{ "PrimaryPeerSubnet", false, -1, NULL, NULL }, { "VlanId", false, -1, NULL, NULL },
		{ "PeerAsn", false, -1, NULL, NULL },
	};
	char a0[] = "-P", a1[] = "1";
	char *argv[] = { a0, a1 };

	CHECK_INT(psargs_bind(two, 3, 2, argv, &b, &e), -EINVAL);
	CHECK_INT(e.errnum, -EINVAL);
	CHECK_STR(e.msg, "Parameter cannot be processed because the parameter name 'P' is ambiguous. "
		  "Possible matches include: -PeerAsn -PrimaryPeerSubnet.");

	/* The name is quoted as typed, colon value excluded. */
	CHECK_INT(BIND(&b, &e, dup("-Pa:x")), -EINVAL);
	CHECK_STR(e.msg, "Parameter cannot be processed because the parameter name 'Pa' is ambiguous. "
		  "Possible matches include: -PassThru -Path -PathExtra.");
}

static void test_unknown(void)
{
	struct psbound b;
	struct err e = { 0 };

	CHECK_INT(BIND(&b, &e, dup("-Foo"), dup("x")), -EINVAL);
	CHECK_STR(e.msg, "A parameter cannot be found that matches parameter name 'Foo'.");
	CHECK_INT(BIND(&b, &e, dup("-Foo:bar")), -EINVAL);
	CHECK_STR(e.msg, "A parameter cannot be found that matches parameter name 'Foo'.");
	/* Longer than any name: no prefix of anything. */
	CHECK_INT(BIND(&b, &e, dup("-ServiceKeys"), dup("x")), -EINVAL);
	CHECK_STR(e.msg, "A parameter cannot be found that matches parameter name 'ServiceKeys'.");
}

static void test_colon_value(void)
{
	struct psbound b;
	struct err e = { 0 };

	CHECK_INT(BIND(&b, &e, dup("-VlanId:500"), dup("-AccessType:\"Microsoft\"")), 0);
	CHECK_STR(b.value[P_VLAN], "500");
	CHECK_STR(b.value[P_ACCESS_TYPE], "Microsoft");
	/* A value may itself contain a colon ("-Name:a:b"). */
	CHECK_INT(BIND(&b, &e, dup("-ServiceKey:a:b")), 0);
	CHECK_STR(b.value[P_SERVICE_KEY], "a:b");
	/* "-Name: value" takes the next word, even one that looks like a parameter. */
	CHECK_INT(BIND(&b, &e, dup("-VlanId:"), dup("-Force")), 0);
	CHECK_STR(b.value[P_VLAN], "-Force");
	CHECK(!b.present[P_FORCE]);
	CHECK_INT(BIND(&b, &e, dup("-VlanId:")), -EINVAL);
	CHECK_STR(e.msg, "Missing an argument for parameter 'VlanId'. Specify a value and try again.");
}

static void test_switches(void)
{
	struct psbound b;
	struct err e = { 0 };

	CHECK_INT(BIND(&b, &e, dup("-Force"), dup("-ServiceKey"), dup("k"), dup("-passthru")), 0);
	CHECK(b.present[P_FORCE]);
	CHECK(b.present[P_PASSTHRU]);
	CHECK(b.value[P_FORCE] == NULL);
	/* A switch does not eat the next word: it binds by position. */
	CHECK_INT(BIND(&b, &e, dup("-Force"), dup("k")), 0);
	CHECK(b.present[P_FORCE]);
	CHECK_STR(b.value[P_SERVICE_KEY], "k");

	CHECK_INT(BIND(&b, &e, dup("-Force:$false")), 0);
	CHECK(!b.present[P_FORCE]);
	CHECK_INT(BIND(&b, &e, dup("-Force:$TRUE")), 0);
	CHECK(b.present[P_FORCE]);
	CHECK_INT(BIND(&b, &e, dup("-Force:0")), 0);
	CHECK(!b.present[P_FORCE]);
	CHECK_INT(BIND(&b, &e, dup("-Force:"), dup("true")), 0);
	CHECK(b.present[P_FORCE]);
	CHECK_INT(BIND(&b, &e, dup("-Force:'false'")), 0);
	CHECK(!b.present[P_FORCE]);
	CHECK_INT(BIND(&b, &e, dup("-Force:maybe")), -EINVAL);
	CHECK_STR(e.msg, "Cannot process argument transformation on parameter 'Force'. Cannot convert "
		  "value \"maybe\" to type \"System.Management.Automation.SwitchParameter\". Boolean "
		  "parameters accept only Boolean values and numbers, such as $True, $False, 1 or 0.");
	CHECK_INT(BIND(&b, &e, dup("-Force:")), -EINVAL);
	CHECK_STR(e.msg, "Missing an argument for parameter 'Force'. Specify a value and try again.");
}

static void test_positional(void)
{
	struct psbound b;
	struct err e = { 0 };

	CHECK_INT(BIND(&b, &e, dup("key"), dup("10.0.0.0/30")), 0);
	CHECK_STR(b.value[P_SERVICE_KEY], "key");
	CHECK_STR(b.value[P_PRIMARY], "10.0.0.0/30");

	/* Named binds first; the positional value then goes to the next free position. */
	CHECK_INT(BIND(&b, &e, dup("10.0.0.0/30"), dup("-ServiceKey"), dup("key")), 0);
	CHECK_STR(b.value[P_SERVICE_KEY], "key");
	CHECK_STR(b.value[P_PRIMARY], "10.0.0.0/30");

	CHECK_INT(BIND(&b, &e, dup("a"), dup("b"), dup("c")), -EINVAL);
	CHECK_STR(e.msg, "A positional parameter cannot be found that accepts argument 'c'.");

	/* A dash followed by no letter is a value. */
	CHECK_INT(BIND(&b, &e, dup("-5"), dup("-")), 0);
	CHECK_STR(b.value[P_SERVICE_KEY], "-5");
	CHECK_STR(b.value[P_PRIMARY], "-");
	CHECK_INT(BIND(&b, &e, dup("-VlanId"), dup("-5")), 0);
	CHECK_STR(b.value[P_VLAN], "-5");

	/* "--" ends the parameters. */
	CHECK_INT(BIND(&b, &e, dup("--"), dup("-Force")), 0);
	CHECK_STR(b.value[P_SERVICE_KEY], "-Force");
	CHECK(!b.present[P_FORCE]);
	CHECK_INT(BIND(&b, &e, dup("--"), dup("--")), 0);
	CHECK_STR(b.value[P_SERVICE_KEY], "--");
}

static void test_too_many_positional(void)
{
	struct psbound b;
	struct err e = { 0 };
	char words[70][4];
	char *argv[70];

	for (int i = 0; i < 70; i++) {
		snprintf(words[i], sizeof(words[i]), "w%d", i);
		argv[i] = words[i];
	}
	CHECK_INT(psargs_bind(params, N_PARAMS, 70, argv, &b, &e), -EINVAL);
	CHECK(strstr(e.msg, "A positional parameter cannot be found that accepts argument") != NULL);
}

static void test_quotes(void)
{
	struct psbound b;
	struct err e = { 0 };

	CHECK_INT(BIND(&b, &e, dup("-ServiceKey"), dup("\"abc\""), dup("-VlanId"), dup("'100'")), 0);
	CHECK_STR(b.value[P_SERVICE_KEY], "abc");
	CHECK_STR(b.value[P_VLAN], "100");
	/* Only one pair, only when both ends match. */
	CHECK_INT(BIND(&b, &e, dup("-ServiceKey"), dup("\"\"abc\"\""), dup("-VlanId"), dup("'100\"")), 0);
	CHECK_STR(b.value[P_SERVICE_KEY], "\"abc\"");
	CHECK_STR(b.value[P_VLAN], "'100\"");
	CHECK_INT(BIND(&b, &e, dup("-ServiceKey"), dup("\""), dup("-VlanId"), dup("\"\"")), 0);
	CHECK_STR(b.value[P_SERVICE_KEY], "\"");
	CHECK_STR(b.value[P_VLAN], "");
	CHECK_INT(BIND(&b, &e, dup("'pos'")), 0);
	CHECK_STR(b.value[P_SERVICE_KEY], "pos");
}

static void test_missing_value(void)
{
	struct psbound b;
	struct err e = { 0 };

	CHECK_INT(BIND(&b, &e, dup("-ServiceKey")), -EINVAL);
	CHECK_STR(e.msg, "Missing an argument for parameter 'ServiceKey'. Specify a value and try again.");
	CHECK_INT(BIND(&b, &e, dup("-ServiceKey"), dup("-Force")), -EINVAL);
	CHECK_STR(e.msg, "Missing an argument for parameter 'ServiceKey'. Specify a value and try again.");
	/* Empty is a value (the cmdlet decides whether it may be empty). */
	CHECK_INT(BIND(&b, &e, dup("-ServiceKey"), dup("")), 0);
	CHECK_STR(b.value[P_SERVICE_KEY], "");
	CHECK(b.present[P_SERVICE_KEY]);
}

static void test_twice(void)
{
	struct psbound b;
	struct err e = { 0 };
	const char *want = "Cannot bind parameter because parameter 'VlanId' is specified more than once. "
			   "To provide multiple values to parameters that can accept multiple values, use "
			   "the array syntax. For example, \"-parameter value1,value2,value3\".";

	CHECK_INT(BIND(&b, &e, dup("-VlanId"), dup("1"), dup("-vlan"), dup("2")), -EINVAL);
	CHECK_STR(e.msg, want);
	CHECK_INT(BIND(&b, &e, dup("-VlanId:1"), dup("-VLANID:2")), -EINVAL);
	CHECK_STR(e.msg, want);
	CHECK_INT(BIND(&b, &e, dup("-Force"), dup("-Force:$false")), -EINVAL);
	CHECK(strstr(e.msg, "'Force' is specified more than once") != NULL);
}

static void test_bad_calls(void)
{
	struct psbound b;
	struct err e = { 0 };
	struct psparam many[33];
	char *argv[] = { NULL };

	memset(many, 0, sizeof(many));
	CHECK_INT(psargs_bind(many, 33, 0, NULL, &b, &e), -EINVAL);
	CHECK_INT(psargs_bind(params, N_PARAMS, -1, NULL, &b, &e), -EINVAL);
	CHECK_INT(psargs_bind(params, N_PARAMS, 1, NULL, &b, &e), -EINVAL);
	CHECK_INT(psargs_bind(params, N_PARAMS, 1, argv, &b, &e), -EINVAL);
	/* A NULL err is allowed: only the return value tells. */
	CHECK_INT(BIND(&b, NULL, dup("-Nope")), -EINVAL);
}

/* An alias binds when typed in full (not as a prefix); a declared type names itself when the value is missing. */
static void test_alias_and_type(void)
{
	static const struct psparam ps[] = {
		{ "ErrorAction", false, -1, "ea", "System.Management.Automation.ActionPreference" },
		{ "ErrorVariable", false, -1, "ev", NULL },
		{ "VlanId", false, -1, NULL, "System.UInt32" },
	};
	char a0[] = "-EA", a1[] = "Stop", a2[] = "-e", a3[] = "x", a4[] = "-VlanId";
	char *ok_argv[] = { a0, a1 }, *prefix_argv[] = { a2, a3 }, *missing[] = { a4 };
	struct psbound b;
	struct err e = { 0 };

	CHECK_INT(psargs_bind(ps, 3, 2, ok_argv, &b, &e), 0);
	CHECK_STR(psbound_get(&b, "ErrorAction"), "Stop");
	/* "-e" is a prefix of both names; the aliases are not candidates. */
	CHECK_INT(psargs_bind(ps, 3, 2, prefix_argv, &b, &e), -EINVAL);
	CHECK_STR(e.msg, "Parameter cannot be processed because the parameter name 'e' is ambiguous. Possible matches include: -ErrorAction -ErrorVariable.");
	CHECK_INT(psargs_bind(ps, 3, 1, missing, &b, &e), -EINVAL);
	CHECK_STR(e.msg, "Missing an argument for parameter 'VlanId'. Specify a parameter of type 'System.UInt32' and try again.");
}

int main(void)
{
	RUN(test_alias_and_type);
	RUN(test_named_and_case);
	RUN(test_empty);
	RUN(test_prefix);
	RUN(test_exact_beats_prefix);
	RUN(test_ambiguous);
	RUN(test_unknown);
	RUN(test_colon_value);
	RUN(test_switches);
	RUN(test_positional);
	RUN(test_too_many_positional);
	RUN(test_quotes);
	RUN(test_missing_value);
	RUN(test_twice);
	RUN(test_bad_calls);
	return TEST_DONE();
}
