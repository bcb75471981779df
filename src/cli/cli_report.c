/* SPDX-License-Identifier: MIT */
/*
 * The JSON documents of up and down (docs/json.md): the engine's events of one command gathered,
 * then printed as one document instead of the lines cli_event prints.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "cli/cli.h"

struct report_step {
	char *op, *text;
};

/* A circuit of the plan (action, steps) or of the result (what was done). */
struct report_circuit {
	char *name, *action, *reason;
	struct report_step *steps;
	unsigned n_steps;
};

struct report_removed {
	char *kind, *name;
};

struct cli_report {
	struct report_circuit *circuits;
	unsigned n_circuits;
	char **notices, **warnings;
	unsigned n_notices, n_warnings;
	struct report_removed *removed;
	unsigned n_removed;
	struct err *errors;
	unsigned n_errors;
	bool oom;   /* something could not be kept: the document says so through jw_end */
};

struct cli_report *cli_report_new(void)
{
	return calloc(1, sizeof(struct cli_report));
}

void cli_report_free(struct cli_report *r)
{
	if (!r)
		return;
	for (unsigned i = 0; i < r->n_circuits; i++) {
		struct report_circuit *c = &r->circuits[i];

		for (unsigned s = 0; s < c->n_steps; s++) {
			free(c->steps[s].op);
			free(c->steps[s].text);
		}
		free(c->steps);
		free(c->name);
		free(c->action);
		free(c->reason);
	}
	free(r->circuits);
	for (unsigned i = 0; i < r->n_notices; i++)
		free(r->notices[i]);
	free(r->notices);
	for (unsigned i = 0; i < r->n_warnings; i++)
		free(r->warnings[i]);
	free(r->warnings);
	for (unsigned i = 0; i < r->n_removed; i++) {
		free(r->removed[i].kind);
		free(r->removed[i].name);
	}
	free(r->removed);
	free(r->errors);
	free(r);
}

/* One more slot of an array of n items of size each: NULL when out of memory. */
static void *grow(void *pv, unsigned n, size_t size)
{
	void **p = pv, *v = realloc(*p, (n + 1) * size);

	if (!v)
		return NULL;
	*p = v;
	memset((char *)v + n * size, 0, size);
	return (char *)v + n * size;
}

/* strdup that tolerates NULL and records a failure. */
static char *keep(struct cli_report *r, const char *s)
{
	char *d;

	if (!s)
		return NULL;
	if (!(d = strdup(s)))
		r->oom = true;
	return d;
}

static void add_text(struct cli_report *r, char ***v, unsigned *n, const char *text)
{
	char **slot = grow(v, *n, sizeof(**v));

	if (!slot) {
		r->oom = true;
		return;
	}
	*slot = keep(r, text);
	(*n)++;
}

bool cli_report_event(struct cli_report *r, const struct engine_event *ev)
{
	struct report_circuit *c;
	struct report_step *s;
	struct report_removed *rm;

	switch (ev->type) {
	case ENGINE_NOTICE:
		add_text(r, &r->notices, &r->n_notices, ev->text);
		return true;
	case ENGINE_WARNING:
		add_text(r, &r->warnings, &r->n_warnings, ev->text);
		return true;
	case ENGINE_RESULT:
	case ENGINE_PLAN:
		if (!(c = grow(&r->circuits, r->n_circuits, sizeof(*c)))) {
			r->oom = true;
			return true;
		}
		r->n_circuits++;
		c->name = keep(r, ev->circuit);
		c->action = keep(r, ev->verb);
		c->reason = keep(r, ev->text);
		return true;
	case ENGINE_PLAN_STEP:
		/* A step belongs to the circuit planned last. */
		if (!r->n_circuits)
			return true;
		c = &r->circuits[r->n_circuits - 1];
		if (!(s = grow(&c->steps, c->n_steps, sizeof(*s)))) {
			r->oom = true;
			return true;
		}
		c->n_steps++;
		s->op = keep(r, ev->verb);
		s->text = keep(r, ev->text);
		return true;
	case ENGINE_REMOVED:
		if (!(rm = grow(&r->removed, r->n_removed, sizeof(*rm)))) {
			r->oom = true;
			return true;
		}
		r->n_removed++;
		rm->kind = keep(r, ev->verb);
		rm->name = keep(r, ev->circuit);
		return true;
	default:
		/* -v's steps and the progress line stay on stderr. */
		return false;
	}
}

void cli_report_error(struct cli_report *r, const struct err *e)
{
	struct err *slot = grow(&r->errors, r->n_errors, sizeof(*slot));

	if (!slot) {
		r->oom = true;
		return;
	}
	*slot = *e;
	r->n_errors++;
}

int cli_json_written(struct cli *x, const char *verb, int r)
{
	struct err e = {0};

	if (r == 0)
		return 0;
	/* -EINVAL is a writer misused: erlab's bug, never the user's input (exit 1, not 2). */
	err_set(&e, r, verb, r == -ENOMEM ? "out of memory writing the JSON document"
					  : "the JSON document could not be written");
	e.system = true;
	return cli_error(x, &e);
}

static void texts_json(struct json *j, const char *key, char *const *v, unsigned n)
{
	jw_key(j, key);
	jw_array(j);
	for (unsigned i = 0; i < n; i++)
		jw_string(j, v[i]);
	jw_array_end(j);
}

/* notices, warnings, errors: the members every up and down document ends with. */
static void messages_json(struct json *j, const struct cli_report *r)
{
	char buf[1400];

	texts_json(j, "notices", r->notices, r->n_notices);
	texts_json(j, "warnings", r->warnings, r->n_warnings);
	jw_key(j, "errors");
	jw_array(j);
	for (unsigned i = 0; i < r->n_errors; i++) {
		const struct err *e = &r->errors[i];

		jw_object(j);
		jw_kstring(j, "object", e->what[0] ? e->what : NULL);
		jw_kstring(j, "message", e->msg);
		jw_kstring(j, "detail", e->detail[0] ? e->detail : NULL);
		jw_ku64(j, "exit_code", (uint64_t)err_exit(e));
		jw_kstring(j, "text", err_format(e, buf, sizeof(buf)));
		jw_object_end(j);
	}
	jw_array_end(j);
	if (r->oom)
		jw_fail(j, -ENOMEM);
}

int cli_report_up(struct cli *x, struct cli_report *r, const char *lab, bool dry_run, unsigned changed)
{
	struct json j;

	jw_begin(&j, x->out, dry_run ? "plan" : "up");
	jw_kstring(&j, "lab", lab);
	jw_ku64(&j, "changed", changed);
	jw_key(&j, "circuits");
	jw_array(&j);
	for (unsigned i = 0; i < r->n_circuits; i++) {
		const struct report_circuit *c = &r->circuits[i];

		jw_object(&j);
		jw_kstring(&j, "name", c->name);
		jw_kstring(&j, dry_run ? "action" : "result", c->action);
		jw_kstring(&j, "reason", c->reason);
		if (dry_run) {
			jw_key(&j, "steps");
			jw_array(&j);
			for (unsigned s = 0; s < c->n_steps; s++) {
				jw_object(&j);
				jw_kstring(&j, "op", c->steps[s].op);
				jw_kstring(&j, "text", c->steps[s].text);
				jw_object_end(&j);
			}
			jw_array_end(&j);
		}
		jw_object_end(&j);
	}
	jw_array_end(&j);
	messages_json(&j, r);
	return cli_json_written(x, dry_run ? "up --dry-run --json" : "up --json", jw_end(&j));
}

int cli_report_down(struct cli *x, struct cli_report *r, const char *lab, unsigned removed)
{
	struct json j;

	jw_begin(&j, x->out, "down");
	jw_kstring(&j, "lab", lab);
	jw_kbool(&j, "all", !lab);
	jw_ku64(&j, "removed", removed);
	jw_key(&j, "objects");
	jw_array(&j);
	for (unsigned i = 0; i < r->n_removed; i++) {
		jw_object(&j);
		jw_kstring(&j, "kind", r->removed[i].kind);
		jw_kstring(&j, "name", r->removed[i].name);
		jw_object_end(&j);
	}
	jw_array_end(&j);
	messages_json(&j, r);
	return cli_json_written(x, "down --json", jw_end(&j));
}
