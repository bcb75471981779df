/* SPDX-License-Identifier: MIT */
/* The engine's events as the user sees them: results on stdout, the rest on stderr. */
#include <stdio.h>
#include <unistd.h>

#include "cli/cli.h"

/* Labs of more than this many circuits show a progress line on a terminal (never with -q). */
#define PROGRESS_MIN 5

/* Take the progress line off the terminal, so that whatever is printed next starts a line. */
void cli_progress_clear(struct cli *x)
{
	if (!x->progress_shown)
		return;
	/* \033[K clears the rest of the line. */
	fputs("\r\033[K", x->log);
	fflush(x->log);
	x->progress_shown = false;
}

void cli_event(void *ud, const struct engine_event *ev)
{
	struct cli *x = ud;

	/* up/down --json: gathered for their document (cli_report.c). */
	if (x->report && cli_report_event(x->report, ev))
		return;
	switch (ev->type) {
	case ENGINE_NOTICE:
		if (x->verbosity < 0)
			break;
		cli_progress_clear(x);
		fprintf(x->log, "erlab: notice: %s\n", ev->text);
		break;
	case ENGINE_WARNING:
	case ENGINE_STEP:
		cli_progress_clear(x);
		fprintf(x->log, "erlab: %s\n", ev->text);
		break;
	case ENGINE_PROGRESS:
		if (x->verbosity < 0 || ev->total <= PROGRESS_MIN || !isatty(fileno(x->log)))
			break;
		if (ev->done < ev->total) {
			fprintf(x->log, "\r\033[Kerlab: %u/%u circuits", ev->done, ev->total);
			fflush(x->log);
			x->progress_shown = true;
		} else {
			cli_progress_clear(x);
		}
		break;
	case ENGINE_RESULT:
		if (x->verbosity < 0)
			break;
		cli_progress_clear(x);
		fprintf(x->out, "%s %s%s%s\n", ev->verb, ev->circuit, ev->text ? ": " : "", ev->text ? ev->text : "");
		fflush(x->out);
		break;
	case ENGINE_PLAN:
		cli_progress_clear(x);
		fprintf(x->out, "%s %s%s%s\n", ev->verb, ev->circuit, ev->text ? ": " : "", ev->text ? ev->text : "");
		break;
	case ENGINE_PLAN_STEP:
		fprintf(x->out, "    %s\n", ev->text);
		break;
	case ENGINE_REMOVED:   /* down says how many with -v */
		break;
	}
}
