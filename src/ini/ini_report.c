/* SPDX-License-Identifier: MIT */
/*
 * What goes wrong in a read, kept small while the read goes on (a hostile file may hold 65536
 * mistakes) and put into words only at the end, in line order: the words the lab loader has always
 * used, so the messages users know stay the same; the caller says where, from ini_place.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "core/err.h"
#include "ini/ini_int.h"

int ini_mistake(struct ini_reader *rd, unsigned kind, unsigned line, unsigned head, unsigned aux, size_t key,
		char ch)
{
	struct ini_mistake *m = ini_grow(rd->mistakes, rd->n_mistakes, &rd->cap_mistakes, sizeof(*m));

	if (!m)
		return -ENOMEM;
	rd->mistakes = m;
	rd->mistakes[rd->n_mistakes++] =
		(struct ini_mistake){ .kind = kind, .line = line, .head = head, .aux = aux, .key = key, .ch = ch };
	if (kind < MK_DUP_SECTION)
		rd->n_fatal++;
	return 0;
}

/* The first failure of the whole read is the one worth telling. Returns errnum. */
int ini_fail(struct ini_reader *rd, int errnum, const char *msg, const char *detail)
{
	if (!rd->sys_errnum) {
		rd->sys_errnum = errnum;
		err_fmt(rd->sys_msg, sizeof(rd->sys_msg), "%s", msg);
		err_fmt(rd->sys_detail, sizeof(rd->sys_detail), "%s", detail ? detail : "");
	}
	return errnum;
}

/* One mistake: its words, and where it is (the line, and the section and key of an entry). */
static void report(const struct ini_reader *rd, const struct ini_mistake *m, ini_error_fn err, void *ud)
{
	struct ini_place at;
	char d[160];
	const char *sec = "", *key = "", *msg = "syntax error", *detail = NULL;
	const struct ini_drop *drop = m->kind == MK_DUP_KEY ? &rd->drops[m->aux] : NULL;

	/* Only an entry's mistake has a header, and only a key's a key: the arena may be empty. */
	if (m->head != INI_NONE) {
		sec = rd->strs.v + rd->heads[m->head].name;
		if (m->kind > MK_DUP_SECTION)
			key = rd->strs.v + m->key;
	}

	switch (m->kind) {
	case MK_NUL:
		msg = "NUL byte in the file";
		detail = err_fmt(d, sizeof(d), "a %s is text: is this a binary file?", rd->lim.noun);
		break;
	case MK_TOO_LONG:
		msg = "line too long";
		detail = err_fmt(d, sizeof(d), "at most %u characters", rd->lim.max_line);
		break;
	case MK_HEADER_FORM:
		detail = "a section header is [kind id ...] on a line of its own";
		break;
	case MK_HEADER_COLON:
		detail = "':' is not allowed in a section header";
		break;
	case MK_HEADER_EMPTY:
		detail = "empty section header";
		break;
	case MK_NO_KEY:
		detail = "a key is missing before '='";
		break;
	case MK_OUTSIDE:
		detail = "key outside any [section]";
		break;
	case MK_EOF_CONTINUED:
		detail = "the last line ends with '\\' but nothing follows";
		break;
	case MK_LINE_FORM:
		detail = "expected [section], key = value, or a ; or # comment";
		break;
	case MK_TOO_MANY_ENTRIES:
		msg = "too many entries";
		detail = err_fmt(d, sizeof(d), "at most %u sections and keys", rd->lim.max_entries);
		break;
	case MK_TOO_MANY_KEYS:
		msg = "too many keys in one section";
		detail = err_fmt(d, sizeof(d), "at most %u", rd->lim.max_section_keys);
		break;
	case MK_DIFFERENT:
		msg = "iniparser could not read the file";
		detail = "it reads this line otherwise than erlab's pre-scan: please report this";
		break;
	case MK_DUP_SECTION:
		msg = "duplicate section";
		detail = err_fmt(d, sizeof(d), "first at line %u", m->aux);
		break;
	case MK_UNCLOSED_QUOTE:
	case MK_AFTER_QUOTE:
	case MK_GLUED_COMMENT:
		msg = "value cannot be read exactly";
		detail = m->kind == MK_UNCLOSED_QUOTE ? err_fmt(d, sizeof(d), "the quote %c is not closed", m->ch) :
			 m->kind == MK_AFTER_QUOTE ? "text after the closing quote" :
			 err_fmt(d, sizeof(d), "'%c' starts a comment here: put a blank before a comment", m->ch);
		break;
	case MK_DUP_KEY:
		msg = "duplicate key";
		detail = err_fmt(d, sizeof(d), "first set at line %u", drop->first_line);
		break;
	}

	if (m->kind < MK_DUP_SECTION)
		at = (struct ini_place){ .file = rd->file, .line = m->line };
	else if (m->kind == MK_DUP_SECTION)
		at = (struct ini_place){ .file = rd->file, .line = m->line, .section = sec };
	else
		at = (struct ini_place){ .file = rd->file, .line = m->line, .section = sec, .key = key,
			.value = drop && drop->show && drop->value != INI_NO_VALUE ? rd->strs.v + drop->value : NULL };
	err(ud, &at, -EINVAL, msg, detail);
}

void ini_report(const struct ini_reader *rd, ini_error_fn err, void *ud)
{
	if (!err)
		return;
	for (unsigned i = 0; i < rd->n_mistakes; i++)
		report(rd, &rd->mistakes[i], err, ud);
	if (rd->sys_errnum) {
		const struct ini_place file = { .file = rd->file };

		err(ud, &file, rd->sys_errnum, rd->sys_msg, rd->sys_detail[0] ? rd->sys_detail : NULL);
	}
}

const char *ini_place_text(const struct ini_place *at, char *buf, size_t len)
{
	char shown[ERR_SHOW_MAX + 4];

	if (!at->line)
		return err_fmt(buf, len, "%s", at->file);
	if (!at->section)
		return err_fmt(buf, len, "%s:%u", at->file, at->line);
	if (!at->key)
		return err_fmt(buf, len, "%s:%u: [%s]", at->file, at->line, at->section);
	if (!at->value)
		return err_fmt(buf, len, "%s:%u: [%s] %s", at->file, at->line, at->section, at->key);
	return err_fmt(buf, len, "%s:%u: [%s] %s=%s", at->file, at->line, at->section, at->key, err_show(at->value, shown));
}
