/* SPDX-License-Identifier: MIT */
#ifndef ERLAB_STATE_H
#define ERLAB_STATE_H

#include <stdbool.h>
#include <stdio.h>

#include "core/err.h"
#include "core/model.h"

/*
 * The state store (README, "What erlab guarantees"): a directory (default /run/erlab, mode 0700, owned by us, not a
 * symlink) holding
 *   circuits/<Name>.ini     one file per circuit (INI, read back with iniparser)
 * Writes are atomic: temp file in the same directory, fsync, rename, fsync the directory.
 * Only the circuits a transaction changed are written.
 */

#define STATE_DIR_DEFAULT "/run/erlab"

struct store {
	char dir[4096];
	int dirfd;        /* the state dir */
	int circuitsfd;   /* <dir>/circuits */
	int intentfd;     /* <dir>/journal/netns, open for appending; -1 until the first intent */
	int lockfd;       /* the state dir again, flock(2)ed; -1 until store_lock */
	int commitfd;     /* circuits/ again, the commit lock (store_commit_lock); -1 until first used */
};

/* Create (0700) or open the state dir; refuse a symlink, a non-directory or another owner. */
int store_open(struct store *s, const char *dir, struct err *e);
void store_close(struct store *s);

/*
 * Take the lock on the state dir itself: exclusive for every mutating command; shared for a read
 * that finds no writer at work, while it finishes a killed command's work. Waits up to
 * wait_seconds (0 = try once), then fails with -EAGAIN ("state dir locked by another erlab").
 * store_unlock lets it go.
 */
int store_lock(struct store *s, bool exclusive, double wait_seconds, struct err *e);
void store_unlock(struct store *s);

/*
 * The commit lock: a snapshot of circuits/ for readers, without waiting for a writer's command to
 * end (README, "What erlab guarantees"). Every state file is renamed into place or unlinked under
 * it exclusively (store_save, store_unlink), and store_find and store_list read under it shared,
 * so a read sees each circuit as its last committed transaction left it, and the set of circuits
 * as one moment left it. Held for milliseconds; waits at most a minute.
 */
int store_commit_lock(struct store *s, bool exclusive, struct err *e);
void store_commit_unlock(struct store *s);

/* Load one circuit by name (exact, then case-insensitive) or by service key. -ENOENT if none. */
int store_find(struct store *s, const char *name_or_key, struct circuit *ret, struct err *e);
/* Every circuit, sorted by name. *ret is a heap array of n circuits: free with circuit_list_free. */
int store_list(struct store *s, struct circuit **ret, unsigned *ret_n, struct err *e);
/* The names of every state file (even those that would not read back), heap strings. */
int store_names(struct store *s, char ***ret, unsigned *ret_n, struct err *e);
/* Is a name taken, compared case-insensitively (so "A" and "a" never both exist)? */
bool store_name_taken(struct store *s, const char *name);

int store_save(struct store *s, const struct circuit *c, struct err *e);
int store_delete(struct store *s, const char *name, struct err *e);
/* Many deletions, one directory fsync: store_unlink each (store_delete without its fsync), then
 * store_sync once. Until the sync a crash may bring files back; the next down removes them again. */
int store_unlink(struct store *s, const char *name, struct err *e);
int store_sync(struct store *s, struct err *e);

/*
 * Intent journal (README, "What erlab guarantees"): before the first kernel step of a transaction the store records the
 * circuit before (`from`, NULL when it is being created) and after (`to`, NULL when removed):
 *   journal/from/<Name>.ini, journal/to/<Name>.ini, then journal/open (holding the name) last.
 * The transaction ends with store_journal_end once the state is saved. A command killed in
 * between leaves journal/open behind; the next command holding the exclusive lock reads it back
 * with store_journal_read (-ENOENT: nothing interrupted) and rolls the kernel back to `from`.
 */
int store_journal_begin(struct store *s, const struct circuit *from, const struct circuit *to, struct err *e);
int store_journal_end(struct store *s, struct err *e);
/* Is a transaction's journal open? 1 yes, 0 no, or -errno (journal/ is not a directory of ours).
 * (Under any lock: only a killed command leaves one.) */
int store_journal_pending(struct store *s, struct err *e);
int store_journal_read(struct store *s, struct circuit *ret_from, bool *ret_has_from, struct circuit *ret_to,
		       bool *ret_has_to, struct err *e);

/*
 * Namespace intents: before a namespace file is made or removed, its name goes into
 * journal/netns. Making one is several system calls (the file, unshare, the bind mount) and so is
 * removing it (unmount, unlink): a command killed between them leaves a plain file that no
 * namespace command gets past. The next command reads the names back and removes such leftovers,
 * those only. Not synced: the namespaces do not outlive a reboot either. store_netns_intents_end
 * forgets them once the command is done (nothing half-made is left then).
 */
int store_netns_intent(struct store *s, const char *ns, struct err *e);
int store_netns_intents(struct store *s, char ***ret, unsigned *ret_n, struct err *e);
int store_netns_intents_end(struct store *s, struct err *e);

/* Serialisation, pure and testable. circuit_write_ini writes every field; circuit_read_ini
 * validates what it reads (a corrupted file is an error naming the file and the key). */
int circuit_write_ini(const struct circuit *c, FILE *f);
int circuit_read_ini(const char *path, struct circuit *ret, struct err *e);

#endif
