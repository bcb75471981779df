/* SPDX-License-Identifier: MIT */
/*
 * The bash completion, from the same tables as `erlab help` (cli/help.h): a function _erlab_spec
 * that answers what the tables say (the verbs, each one's subverbs, options, the options that take a
 * value and their values, its positional arguments; the cmdlets, their parameters and values), and
 * the fixed completion function _erlab that walks the words typed so far and asks it. Circuit names
 * and service keys come from the state, through `erlab circuit list`.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "cli/cmdlet.h"
#include "cli/help.h"
#include "cli/options.h"

/* The fixed part: it only asks _erlab_spec. */
static const char completer[] =
	"# The circuits (or with 2, their service keys) of the state dir given on the line, quietly.\n"
	"_erlab_state() {\n"
	"\tcommand \"${COMP_WORDS[0]}\" ${_erlab_state_dir:+--state-dir \"$_erlab_state_dir\"} circuit list 2>/dev/null |\n"
	"\t\tawk -v c=\"$1\" 'NR > 1 { print $c }'\n"
	"}\n"
	"\n"
	"# The names of the labs that are up in that state dir.\n"
	"_erlab_labs() {\n"
	"\tcommand \"${COMP_WORDS[0]}\" ${_erlab_state_dir:+--state-dir \"$_erlab_state_dir\"} labs 2>/dev/null |\n"
	"\t\tawk 'NR > 1 { print $1 }'\n"
	"}\n"
	"\n"
	"# The canonical name (lowercase) of the parameter TYPED names for cmdlet $1: any case, a prefix.\n"
	"_erlab_param() {\n"
	"\tlocal p t=${2,,} hit= n=0\n"
	"\tt=${t#-}\n"
	"\tfor p in $(_erlab_spec \"pnames:$1\"); do\n"
	"\t\t[[ $p == \"$t\" ]] && { echo \"$p\"; return; }\n"
	"\t\t[[ $p == \"$t\"* ]] && { hit=$p; n=$((n + 1)); }\n"
	"\tdone\n"
	"\t((n == 1)) && echo \"$hit\"\n"
	"}\n"
	"\n"
	"# COMPREPLY from a spec's words: words, or @dir, @ini, @circuits, @labs, @keys, @command, @verbs,\n"
	"# or several of those joined by + (their union).\n"
	"_erlab_reply() {\n"
	"\tlocal cur=$1 k all=()\n"
	"\tshift\n"
	"\tif [[ $1 == @*+* ]]; then\n"
	"\t\tfor k in ${1//+/ }; do\n"
	"\t\t\t_erlab_reply \"$cur\" \"$k\"\n"
	"\t\t\tall+=(\"${COMPREPLY[@]}\")\n"
	"\t\tdone\n"
	"\t\tCOMPREPLY=(\"${all[@]}\")\n"
	"\t\treturn\n"
	"\tfi\n"
	"\tcase $1 in\n"
	"\t@dir) compopt -o filenames 2>/dev/null; mapfile -t COMPREPLY < <(compgen -d -- \"$cur\") ;;\n"
	"\t@ini) compopt -o filenames 2>/dev/null\n"
	"\t\tmapfile -t COMPREPLY < <(compgen -f -X '!*.ini' -- \"$cur\"; compgen -d -- \"$cur\") ;;\n"
	"\t@file) compopt -o filenames 2>/dev/null; mapfile -t COMPREPLY < <(compgen -f -- \"$cur\") ;;\n"
	"\t@circuits) mapfile -t COMPREPLY < <(compgen -W \"$(_erlab_state 1)\" -- \"$cur\") ;;\n"
	"\t@labs) mapfile -t COMPREPLY < <(compgen -W \"$(_erlab_labs)\" -- \"$cur\") ;;\n"
	"\t@keys) mapfile -t COMPREPLY < <(compgen -W \"$(_erlab_state 2)\" -- \"$cur\") ;;\n"
	"\t@command) mapfile -t COMPREPLY < <(compgen -c -- \"$cur\") ;;\n"
	"\t@verbs) mapfile -t COMPREPLY < <(compgen -W \"$(_erlab_spec verbs) $(_erlab_spec cmdlets)\" -- \"$cur\") ;;\n"
	"\t*) mapfile -t COMPREPLY < <(compgen -W \"$*\" -- \"$cur\") ;;\n"
	"\tesac\n"
	"}\n"
	"\n"
	"_erlab() {\n"
	"\tlocal cur=${COMP_WORDS[COMP_CWORD]} i w verb= sub= path= cmdlet= want= dashdash= npos=0 last= spec\n"
	"\tlocal _erlab_state_dir=\n"
	"\tCOMPREPLY=()\n"
	"\t# The words before the cursor: global options (and their values), the verb or cmdlet, the\n"
	"\t# subverb, options (and their values), positional arguments. bash splits --opt=value at '='.\n"
	"\tfor ((i = 1; i < COMP_CWORD; i++)); do\n"
	"\t\tw=${COMP_WORDS[i]}\n"
	"\t\t# The lock's --wait takes SECONDS; up's --wait (for BGP) takes nothing.\n"
	"\t\t[[ $want == --wait && $w != = && ! $w =~ ^[-+]?[0-9] ]] && want=\n"
	"\t\tif [[ -n $want ]]; then\n"
	"\t\t\t[[ $w == = ]] && continue\n"
	"\t\t\t[[ $want == --state-dir ]] && _erlab_state_dir=$w\n"
	"\t\t\twant=\n"
	"\t\t\tcontinue\n"
	"\t\tfi\n"
	"\t\tif [[ -n $dashdash ]]; then\n"
	"\t\t\tnpos=$((npos + 1)) last=$w\n"
	"\t\t\tcontinue\n"
	"\t\tfi\n"
	"\t\tif [[ -n $cmdlet ]]; then\n"
	"\t\t\tif [[ $w == -* ]]; then\n"
	"\t\t\t\tspec=$(_erlab_param \"${cmdlet,,}\" \"$w\")\n"
	"\t\t\t\t[[ -n $spec && \" $(_erlab_spec \"ptakes:${cmdlet,,}\") \" == *\" $spec \"* ]] && want=$w\n"
	"\t\t\tfi\n"
	"\t\t\tcontinue\n"
	"\t\tfi\n"
	"\t\t[[ $w == -- ]] && { dashdash=1; continue; }\n"
	"\t\tif [[ \" $(_erlab_spec gtakes) \" == *\" $w \"* ]]; then\n"
	"\t\t\twant=$w\n"
	"\t\t\tcontinue\n"
	"\t\tfi\n"
	"\t\t[[ \" $(_erlab_spec globals) \" == *\" $w \"* ]] && continue\n"
	"\t\tif [[ -z $verb ]]; then\n"
	"\t\t\tverb=$w path=$w\n"
	"\t\t\t[[ \" $(_erlab_spec cmdlets-lower) \" == *\" ${w,,} \"* ]] && cmdlet=$w\n"
	"\t\t\tcontinue\n"
	"\t\tfi\n"
	"\t\tif [[ -z $sub && -n $(_erlab_spec \"subs:$verb\") ]]; then\n"
	"\t\t\tsub=$w path=\"$verb $w\"\n"
	"\t\t\tcontinue\n"
	"\t\tfi\n"
	"\t\tif [[ $w == -?* ]]; then\n"
	"\t\t\t[[ $w != *=* && \" $(_erlab_spec \"takes:$path\") \" == *\" $w \"* ]] && want=$w\n"
	"\t\t\tcontinue\n"
	"\t\tfi\n"
	"\t\tnpos=$((npos + 1)) last=$w\n"
	"\tdone\n"
	"\t[[ $cur == = && -n $want ]] && cur=\n"
	"\t# After a verb with a --wait of its own (up), --wait and no number yet is that one.\n"
	"\t[[ $want == --wait && \" $(_erlab_spec \"opts:$path\") \" == *\" --wait \"* && ! $cur =~ ^[-+]?[0-9] ]] && want=\n"
	"\t# The value of an option.\n"
	"\tif [[ -n $want ]]; then\n"
	"\t\tif [[ -n $cmdlet ]]; then\n"
	"\t\t\tspec=$(_erlab_spec \"pvals:${cmdlet,,} $(_erlab_param \"${cmdlet,,}\" \"$want\")\")\n"
	"\t\telif [[ \" $(_erlab_spec gtakes) \" == *\" $want \"* ]]; then\n"
	"\t\t\tspec=$(_erlab_spec \"gvals:$want\")\n"
	"\t\telse\n"
	"\t\t\tspec=$(_erlab_spec \"vals:$path $want\")\n"
	"\t\tfi\n"
	"\t\t[[ -n $spec ]] && _erlab_reply \"$cur\" $spec\n"
	"\t\treturn 0\n"
	"\tfi\n"
	"\t# An option or a parameter.\n"
	"\tif [[ $cur == -* && -z $dashdash ]]; then\n"
	"\t\tif [[ -n $cmdlet ]]; then\n"
	"\t\t\t_erlab_reply \"$cur\" $(_erlab_spec \"params:${cmdlet,,}\")\n"
	"\t\telif [[ -z $verb ]]; then\n"
	"\t\t\t_erlab_reply \"$cur\" $(_erlab_spec globals)\n"
	"\t\telse\n"
	"\t\t\t_erlab_reply \"$cur\" $(_erlab_spec \"opts:$path\") --help\n"
	"\t\tfi\n"
	"\t\treturn 0\n"
	"\tfi\n"
	"\t# The verb or cmdlet, the subverb, a positional argument.\n"
	"\tif [[ -z $verb ]]; then\n"
	"\t\t_erlab_reply \"$cur\" @verbs\n"
	"\telif [[ -n $cmdlet ]]; then\n"
	"\t\t_erlab_reply \"$cur\" $(_erlab_spec \"params:${cmdlet,,}\")\n"
	"\telif [[ -z $sub && -n $(_erlab_spec \"subs:$verb\") ]]; then\n"
	"\t\t_erlab_reply \"$cur\" $(_erlab_spec \"subs:$verb\")\n"
	"\telse\n"
	"\t\tspec=$(_erlab_spec \"arg:$path $npos\")\n"
	"\t\tif [[ -z $spec && $(_erlab_spec \"arg:$path last\") == @command ]]; then\n"
	"\t\t\tspec=@file\n"
	"\t\telif [[ $spec == @subverb ]]; then\n"
	"\t\t\tspec=$(_erlab_spec \"subs:$last\")\n"
	"\t\tfi\n"
	"\t\t[[ -n $spec ]] && _erlab_reply \"$cur\" $spec\n"
	"\tfi\n"
	"\treturn 0\n"
	"}\n"
	"complete -F _erlab erlab\n";

/* A case arm: 'key') echo 'words' ;; */
static void arm(FILE *f, const char *key, const char *words)
{
	if (words && *words)
		fprintf(f, "\t'%s') echo '%s' ;;\n", key, words);
}

/* Append " word" to buf. */
static void add(char *buf, size_t len, const char *word)
{
	size_t used = strlen(buf);

	snprintf(buf + used, len - used, "%s%s", used ? " " : "", word);
}

/* "a|b|c" -> "a b c". */
static void bars(const char *s, char *buf, size_t len)
{
	snprintf(buf, len, "%s", s);
	for (char *p = buf; *p; p++)
		if (*p == '|')
			*p = ' ';
}

/*
 * What a positional argument of a synopsis completes to: CIRCUIT the state's circuits, LAB the
 * labs that are up (by name), *.ini lab files (several of these: their union, "@labs+@ini"),
 * COMMAND a command, VERB and SUBVERB those of erlab; "a|b" those words.
 */
static const char *positional(const char *token, char *buf, size_t len)
{
	char part[64];
	bool literal = true;
	size_t used = 0;

	if (len)
		buf[0] = '\0';
	for (const char *p = token; *p; p += strcspn(p, "|"), p += *p == '|') {
		size_t n = strcspn(p, "|");
		const char *kind = NULL;

		snprintf(part, sizeof(part), "%.*s", (int)n, p);
		if (strcmp(part, "CIRCUIT") == 0)
			kind = "@circuits";
		else if (strcmp(part, "LAB") == 0)
			kind = "@labs";
		else if (n > 4 && strcmp(part + n - 4, ".ini") == 0)
			kind = "@ini";
		if (kind) {
			int w = snprintf(buf + used, len - used, "%s%s", used ? "+" : "", kind);

			if (w > 0 && (size_t)w < len - used)
				used += (size_t)w;
			continue;
		}
		if (used)
			continue;
		if (strncmp(part, "COMMAND", 7) == 0)
			return "@command";
		if (strcmp(part, "VERB") == 0)
			return "@verbs";
		if (strcmp(part, "SUBVERB") == 0)
			return "@subverb";
		for (const char *c = part; *c; c++)
			literal &= !(*c >= 'A' && *c <= 'Z');
	}
	if (used)
		return buf;
	if (literal && strchr(token, '|')) {
		bars(token, buf, len);
		return buf;
	}
	return "";   /* a name of the user's choosing */
}

static void verb_spec(FILE *f, const struct verb *v, const char *path)
{
	const struct field_table *t = v->fields;
	char opts[1024] = "", takes[1024] = "", key[160], words[400], arg[160], args[256], tok[64];
	unsigned npos = 0;
	const char *last = NULL;

	if (v->subs) {
		char subs[400] = "";

		for (const struct verb *s = v->subs; s->name; s++)
			add(subs, sizeof(subs), s->name);
		snprintf(key, sizeof(key), "subs:%s", path);
		arm(f, key, subs);
		for (const struct verb *s = v->subs; s->name; s++) {
			char sub[160];

			snprintf(sub, sizeof(sub), "%s %s", path, s->name);
			verb_spec(f, s, sub);
		}
		return;
	}
	for (unsigned i = 0; t && i < t->n; i++) {
		const struct field *r = &t->rows[i];
		const char *a;

		if (!cli_takes(v, r))
			continue;
		for (int j = 0; j < 2 && r->option[j]; j++) {
			char o[80];

			snprintf(o, sizeof(o), "--%s", r->option[j]);
			if (strstr(opts, o) && strstr(opts, o)[strlen(o)] <= ' ')
				continue;   /* a name two rows share */
			add(opts, sizeof(opts), o);
			if (!(a = help_field_arg(r, arg, sizeof(arg))))
				continue;
			add(takes, sizeof(takes), o);
			if (r->kind == FIELD_ENUM) {
				bars(a, words, sizeof(words));
				snprintf(key, sizeof(key), "vals:%s %s", path, o);
				arm(f, key, words);
			}
		}
	}
	for (const struct verb_opt *o = v->opts; o && o->name; o++) {
		char name[80];

		snprintf(name, sizeof(name), "--%s", o->name);
		add(opts, sizeof(opts), name);
		if (o->letter) {
			char l[3] = { '-', o->letter, 0 };

			add(opts, sizeof(opts), l);
		}
		if (!o->arg)
			continue;
		add(takes, sizeof(takes), name);
		if (strchr(o->arg, '|')) {
			bars(o->arg, words, sizeof(words));
			snprintf(key, sizeof(key), "vals:%s %s", path, name);
			arm(f, key, words);
		}
	}
	snprintf(key, sizeof(key), "opts:%s", path);
	arm(f, key, opts);
	snprintf(key, sizeof(key), "takes:%s", path);
	arm(f, key, takes);
	/* The positional arguments: "[-- COMMAND...]" -> COMMAND...; brackets, bars and "--" go. */
	snprintf(args, sizeof(args), "%s", v->args ? v->args : "");
	for (char *save = NULL, *w = strtok_r(args, " ", &save); w; w = strtok_r(NULL, " ", &save)) {
		const char *p;

		snprintf(tok, sizeof(tok), "%s", w + strspn(w, "["));
		tok[strcspn(tok, "]")] = '\0';
		if (!tok[0] || strcmp(tok, "|") == 0 || strcmp(tok, "--") == 0)
			continue;
		p = positional(tok, words, sizeof(words));
		snprintf(key, sizeof(key), "arg:%s %u", path, npos++);
		arm(f, key, p);
		last = p;
	}
	if (last && strcmp(last, "@command") == 0) {
		snprintf(key, sizeof(key), "arg:%s last", path);
		arm(f, key, last);
	}
}

static void cmdlet_spec(FILE *f, const struct cmdlet_doc *c, struct ps_param_doc *ps)
{
	unsigned n = cmdlet_param_docs(c, ps, PSARGS_MAX);
	char lower[96], params[2048] = "", names[2048] = "", takes[2048] = "", key[256], name[80], words[400];

	snprintf(lower, sizeof(lower), "%s", c->name);
	for (char *p = lower; *p; p++)
		*p = (char)(*p >= 'A' && *p <= 'Z' ? *p - 'A' + 'a' : *p);
	n = n < PSARGS_MAX ? n : PSARGS_MAX;
	for (unsigned i = 0; i < n; i++) {
		const struct ps_param_doc *p = &ps[i];

		snprintf(name, sizeof(name), "-%s", p->name);
		add(params, sizeof(params), name);
		if (p->is_switch) {
			for (char *q = name; *q; q++)
				*q = (char)(*q >= 'A' && *q <= 'Z' ? *q - 'A' + 'a' : *q);
			add(names, sizeof(names), name + 1);
			continue;
		}
		for (int alias = 0; alias < 2; alias++) {
			const char *nm = alias ? p->alias : p->name;

			if (!nm)
				continue;
			snprintf(name, sizeof(name), "%s", nm);
			for (char *q = name; *q; q++)
				*q = (char)(*q >= 'A' && *q <= 'Z' ? *q - 'A' + 'a' : *q);
			add(names, sizeof(names), name);
			add(takes, sizeof(takes), name);
			words[0] = '\0';
			if (strcmp(p->name, "ServiceKey") == 0)
				snprintf(words, sizeof(words), "@keys");
			for (unsigned k = 0; p->en && k < p->en->count; k++)
				add(words, sizeof(words), p->en->name((int)k));
			snprintf(key, sizeof(key), "pvals:%s %s", lower, name);
			arm(f, key, words);
		}
	}
	snprintf(key, sizeof(key), "params:%s", lower);
	arm(f, key, params);
	snprintf(key, sizeof(key), "pnames:%s", lower);
	arm(f, key, names);
	snprintf(key, sizeof(key), "ptakes:%s", lower);
	arm(f, key, takes);
}

void help_bash_completion(FILE *f)
{
	const struct verb *verbs;
	struct ps_param_doc *ps = calloc(PSARGS_MAX, sizeof(*ps));
	struct cmdlet_doc c;
	char list[4096] = "", lower[4096], globals[512] = "", gtakes[256] = "", key[160], words[256];
	unsigned n;

	verbs = cli_verbs(&n);
	fputs("# bash completion for erlab(8). Generated by `erlab --gen-completion bash` from erlab's own\n"
	      "# tables (src/cli/help_bash.c): verbs, subverbs, options, cmdlets and their parameters.\n\n"
	      "# What the tables say, by key.\n_erlab_spec() {\n\tcase $1 in\n", f);
	for (unsigned i = 0; i < n; i++)
		add(list, sizeof(list), verbs[i].name);
	arm(f, "verbs", list);
	list[0] = '\0';
	for (unsigned i = 0; cmdlet_doc_at(i, &c); i++)
		add(list, sizeof(list), c.name);
	arm(f, "cmdlets", list);
	snprintf(lower, sizeof(lower), "%s", list);
	for (char *p = lower; *p; p++)
		*p = (char)(*p >= 'A' && *p <= 'Z' ? *p - 'A' + 'a' : *p);
	arm(f, "cmdlets-lower", lower);
	for (const struct verb_opt *g = cli_global_options; g->name; g++) {
		char name[80];

		snprintf(name, sizeof(name), "--%s", g->name);
		add(globals, sizeof(globals), name);
		if (g->letter) {
			char l[3] = { '-', g->letter, 0 };

			add(globals, sizeof(globals), l);
		}
		if (!g->arg)
			continue;
		add(gtakes, sizeof(gtakes), name);
		snprintf(key, sizeof(key), "gvals:%s", name);
		if (strchr(g->arg, '|'))
			bars(g->arg, words, sizeof(words));
		else
			snprintf(words, sizeof(words), "%s", strcmp(g->arg, "DIR") == 0 ? "@dir" : "");
		arm(f, key, words);
	}
	add(globals, sizeof(globals), "--help -h --version");
	arm(f, "globals", globals);
	arm(f, "gtakes", gtakes);
	for (unsigned i = 0; i < n; i++)
		verb_spec(f, &verbs[i], verbs[i].name);
	for (unsigned i = 0; ps && cmdlet_doc_at(i, &c); i++)
		cmdlet_spec(f, &c, ps);
	fputs("\tesac\n}\n\n", f);
	fputs(completer, f);
	free(ps);
}
