/* SPDX-License-Identifier: MIT */
/* The engine's handle: the state dir and its lock, the kernel handle, the datapath, events. */
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "bgp/bird.h"
#include "core/num.h"
#include "engine/engine_int.h"

#ifdef ERLAB_TEST_HOOKS
static unsigned env_number(const char *name)
{
	const char *v = getenv(name);
	uint32_t n = 0;

	if (v && num_parse_u32(v, 1, UINT32_MAX, &n) < 0)
		n = 0;
	return n;
}
#endif

static void hooks_init(struct engine_hooks *h)
{
	memset(h, 0, sizeof(*h));
#ifdef ERLAB_TEST_HOOKS
	h->fail_at_step = env_number("ERLAB_TEST_FAIL_AT_STEP");
	h->kill_at_step = env_number("ERLAB_TEST_KILL_AT_STEP");
	h->fail_errno = env_number("ERLAB_TEST_FAIL_ERRNO");
	h->bgp_error_wait = env_number("ERLAB_TEST_BGP_ERROR_WAIT");
	h->kill_after_save = env_number("ERLAB_TEST_KILL_AFTER_SAVE") != 0;
#endif
}

int engine_new(const struct engine_opts *o, struct engine **ret, struct err *e)
{
	struct engine *eng = calloc(1, sizeof(*eng));

	if (!eng)
		return err_set(e, -ENOMEM, "erlab", "out of memory");
	eng->o = *o;
	if (!eng->o.state_dir)
		eng->o.state_dir = STATE_DIR_DEFAULT;
	eng->store.dirfd = eng->store.circuitsfd = eng->store.lockfd = -1;
	hooks_init(&eng->hooks);
	eng->apply.state_dir = eng->o.state_dir;
	eng->apply.store = &eng->store;
	eng->apply.bgp_error_wait = eng->hooks.bgp_error_wait;
	*ret = eng;
	return 0;
}

void engine_free(struct engine *eng)
{
	if (!eng)
		return;
	if (eng->kernel)
		kernel_close(eng->kernel);
	/* Done: every namespace this command touched is whole or gone. */
	if (eng->store_open && eng->locked_exclusive)
		store_netns_intents_end(&eng->store, NULL);
	if (eng->store_open)
		store_close(&eng->store);
	free(eng);
}

const struct engine_opts *engine_options(const struct engine *eng)
{
	return &eng->o;
}

int engine_interrupted(struct err *e)
{
	static const int stops[] = { SIGINT, SIGTERM, SIGHUP };
	sigset_t pending;

	if (sigpending(&pending) < 0)
		return 0;
	for (unsigned i = 0; i < sizeof(stops) / sizeof(stops[0]); i++)
		if (sigismember(&pending, stops[i]) == 1)
			return err_set(e, -EINTR, NULL, "interrupted by SIG%s", sigabbrev_np(stops[i]) ?
				       sigabbrev_np(stops[i]) : "?");
	return 0;
}

void engine_emit(struct engine *eng, enum engine_event_type type, const char *verb, const char *circuit,
		 const char *text)
{
	struct engine_event ev = { .type = type, .verb = verb, .circuit = circuit, .text = text };

	if (eng->o.event)
		eng->o.event(eng->o.ud, &ev);
}

void engine_progress(struct engine *eng, unsigned done, unsigned total)
{
	struct engine_event ev = { .type = ENGINE_PROGRESS, .done = done, .total = total };

	if (eng->o.event)
		eng->o.event(eng->o.ud, &ev);
}

/*
 * A command killed mid-transaction left the journal open: put the kernel back to the circuit as it
 * was recorded before (remove what exists of it, rebuild the recorded one) and restore its state.
 * When that fails, the journal stays, so the next command tries again (and says so): kernel and
 * state must not be left to disagree.
 */
static int recover(struct engine *eng, struct err *e)
{
	struct circuit from, to;
	bool has_from, has_to;
	struct plan p;
	char text[1500], buf[1400];
	int r;

	circuit_init(&from);
	circuit_init(&to);
	plan_init(&p);
	r = store_journal_read(&eng->store, &from, &has_from, &to, &has_to, e);
	if (r == -ENOENT) {
		r = 0;
		goto out;
	}
	if (r < 0)
		goto fail;
	if (has_to)
		r = plan_circuit(&p, &to, NULL);
	if (r == 0 && has_from && (!has_to || strcmp(from.service_key, to.service_key) != 0))
		r = plan_circuit(&p, &from, NULL);
	if (r == 0 && has_from)
		r = plan_circuit(&p, NULL, &from);
	if (r < 0) {
		err_set(e, r, "journal", "out of memory");
		goto fail;
	}
	if ((r = apply_plan(eng, &p, e)) < 0)
		goto fail;
	if (has_from)
		r = store_save(&eng->store, &from, e);
	else if ((r = store_delete(&eng->store, to.name, e)) == -ENOENT)
		r = 0;
	if (r < 0 || (r = store_journal_end(&eng->store, e)) < 0)
		goto fail;
	snprintf(text, sizeof(text), "%s was interrupted by a previous command; rolled back to its recorded state",
		 has_from ? from.name : to.name);
	engine_emit(eng, ENGINE_NOTICE, NULL, has_from ? from.name : to.name, text);
	goto out;
fail:
	snprintf(text, sizeof(text), "recovering an interrupted operation failed: %s; its journal is kept and the "
		 "next command tries again", err_format(e, buf, sizeof(buf)));
	engine_emit(eng, ENGINE_WARNING, NULL, NULL, text);
out:
	plan_clear(&p);
	circuit_clear(&to);
	circuit_clear(&from);
	return r;
}

/*
 * The namespace files a killed command was making or removing (its intents) that are not
 * namespaces now: remove them, those only, so that no later command stumbles on them.
 */
static int clean_netns_stubs(struct engine *eng, struct err *e)
{
	struct kernel *k;
	char **names;
	unsigned n;
	int r;

	if ((r = store_netns_intents(&eng->store, &names, &n, e)) < 0)
		return r;
	if (n == 0) {
		/* An intents file with no name in it (cut short when the disk was full) has an empty list. */
		free(names);
		return 0;
	}
	if ((r = engine_kernel(eng, &k, e)) == 0)
		for (unsigned i = 0; i < n && r >= 0; i++)
			r = netns_remove_stub(k, names[i], e);
	for (unsigned i = 0; i < n; i++)
		free(names[i]);
	free(names);
	return r < 0 ? err_system(e, r) : store_netns_intents_end(&eng->store, e);
}

/*
 * A read never waits for a writer (README, "What erlab guarantees"): it reads the state as the
 * last committed transaction left it (the store's commit lock makes each read one snapshot).
 * When no writer is at work, a journal left open is a killed command's, and the read finishes its
 * work first, as every command does; while a writer is at work, the journal is the writer's own.
 * The read then lets the writers' lock go, so a long status does not hold up a change.
 */
static int read_lock(struct engine *eng, struct err *e)
{
	struct err le = {0};
	int r;

	r = store_lock(&eng->store, false, 0, &le);
	if (r == -EAGAIN) {
		eng->locked = true;
		return 0;
	}
	if (r < 0) {
		*e = le;
		return r;
	}
	if ((r = store_journal_pending(&eng->store, e)) < 0)
		goto out;
	if (r > 0) {
		/* Recovery writes: the lock becomes exclusive, if no writer came in meanwhile. */
		if ((r = store_lock(&eng->store, true, eng->o.wait, e)) < 0) {
			r = r == -EAGAIN ? 0 : r;
			goto out;
		}
		recover(eng, e);   /* a read goes on (the warning said what is wrong) */
		memset(e, 0, sizeof(*e));
	}
	r = 0;
out:
	store_unlock(&eng->store);
	eng->locked = r == 0;
	eng->locked_exclusive = false;
	return r;
}

int engine_lock(struct engine *eng, bool exclusive, struct err *e)
{
	int r;

	if (!eng->store_open) {
		r = store_open(&eng->store, eng->o.state_dir, e);
		if (r < 0)
			return r;
		eng->store_open = true;
	}
	if (eng->locked && (eng->locked_exclusive || !exclusive))
		return 0;
	if (!exclusive)
		return read_lock(eng, e);
	r = store_lock(&eng->store, true, eng->o.wait, e);
	if (r < 0)
		return r;
	eng->locked = true;
	eng->locked_exclusive = true;
	if ((r = clean_netns_stubs(eng, e)) < 0)
		return r;
	/* The next command finishes a killed one's work (README, "What erlab guarantees"): a writer
	 * holds the lock exclusively, so a journal seen under ours is a leftover. A change does not
	 * build on a recovery that failed. */
	if ((r = store_journal_pending(&eng->store, e)) <= 0)
		return r;
	return recover(eng, e);
}

int engine_kernel(struct engine *eng, struct kernel **ret, struct err *e)
{
	int r;

	if (!eng->kernel) {
		r = kernel_open(&eng->kernel, e);
		if (r < 0) {
			err_system(e, r);
			return r;
		}
	}
	*ret = eng->kernel;
	return 0;
}

int engine_datapath(struct engine *eng, enum datapath want, enum datapath *ret, struct err *e)
{
	struct kernel *k;
	struct err pe = {0};
	int r;

	if (want == DATAPATH_VETH) {
		*ret = DATAPATH_VETH;
		return 0;
	}
	if (eng->vlan_support == 0) {
		if ((r = engine_kernel(eng, &k, e)) < 0)
			return r;
		r = probe_vlan(k, &pe);
		if (r < 0 && r != -EOPNOTSUPP)
			return err_system(e, err_set(e, r, "802.1Q probe", "could not probe for VLAN support: %s", pe.msg));
		eng->vlan_support = r == 0 ? 1 : -1;
	}
	if (eng->vlan_support > 0) {
		*ret = DATAPATH_VLAN;
		return 0;
	}
	if (want == DATAPATH_VLAN) {
		err_set(e, -EOPNOTSUPP, "--datapath vlan",
			"this kernel has no 802.1Q VLAN support (CONFIG_VLAN_8021Q)");
		err_detail(e, "%s%sload it with `modprobe 8021q`, or use --datapath veth",
			   pe.detail, pe.detail[0] ? "; " : "");
		return -EOPNOTSUPP;
	}
	/* One notice per command, however many circuits it builds. */
	if (!eng->veth_noticed)
		engine_emit(eng, ENGINE_NOTICE, NULL, NULL,
			    "no 802.1Q VLAN support in this kernel (modprobe 8021q); using the veth datapath");
	eng->veth_noticed = true;
	*ret = DATAPATH_VETH;
	return 0;
}

/* ---- erlab check ---- */

static const struct {
	struct engine_feature f;
	int (*probe)(struct kernel *k, struct err *e);
} features[] = {
	{ { "netns", true, "CONFIG_NET_NS; run as root (CAP_SYS_ADMIN + CAP_NET_ADMIN)" }, probe_netns },
	{ { "veth", true, "CONFIG_VETH / modprobe veth" }, probe_veth },
	{ { "802.1Q", false, "modprobe 8021q (CONFIG_VLAN_8021Q), or use --datapath veth" }, probe_vlan },
	{ { "tbf", false, "modprobe sch_tbf (CONFIG_NET_SCH_TBF): needed to enforce bandwidth" }, probe_tbf },
	{ { "TCP-MD5", false, "CONFIG_TCP_MD5SIG: needed for BGP shared keys" }, probe_tcp_md5 },
	{ { "BIRD", false, "apt-get install bird2: needed for BGP" }, NULL },
};

bool engine_feature(unsigned i, struct engine_feature *ret)
{
	if (i >= sizeof(features) / sizeof(features[0]))
		return false;
	*ret = features[i].f;
	return true;
}

int engine_probe(struct engine *eng, unsigned i, struct err *e)
{
	struct kernel *k;
	int r;

	if (i >= sizeof(features) / sizeof(features[0]))
		return -EINVAL;
	if (!features[i].probe) {
		char bin[PATH_MAX];

		return bird_find(NULL, bin, e);
	}
	if ((r = engine_kernel(eng, &k, e)) < 0)
		return r;
	return features[i].probe(k, e);
}
