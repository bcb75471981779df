#!/bin/bash
# vm-tier: skip (datapath-independent; runs on the host, and the VM tier runs under slow TCG)
# A hostile or damaged state dir (README, "What erlab guarantees"): a symlink, another owner or a group/world-readable mode
# is refused before anything is read or changed; a state file truncated or corrupted by hand is
# reported naming the file; `erlab down --all` still removes every marked namespace and leaves
# nothing behind.
. "$(dirname "$0")/lib.sh"
S=$ERLAB_STATE_DIR
NEW=(--bandwidth 200 --location "Silicon Valley" --provider equinix)

expect 0 circuit new Kept "${NEW[@]}"
ns_before=$(namespaces)

# ---- the state dir itself: refused (exit 1), the message names the dir and the problem; down --all
# still removes every marked namespace, as it does when the state dir is gone.
state_dir_refused() {   # LABEL NEEDLE DIR
	local label=$1 needle=$2 dir=$3 verb
	for verb in list new down; do
		case $verb in
		list) erl --state-dir "$dir" circuit list ;;
		new) erl --state-dir "$dir" circuit new Other "${NEW[@]}" ;;
		down)
			eq "$(namespaces)" "$ns_before" "$label: no namespace created or removed before down --all"
			erl --state-dir "$dir" down --all ;;
		esac
		eq "$RC" 1 "$label: $verb is refused"
		has "$ERR" "$needle" "$label: $verb says why"
		has "$ERR" "$dir" "$label: $verb names the dir"
	done
	eq "$(namespaces)" "" "$label: down --all swept the marked namespaces all the same"
}
# Kept again once the state dir is usable, for the next case.
kept_again() {
	rm -f "$S/circuits/Kept.ini"
	expect 0 circuit new Kept "${NEW[@]}"
}
ln -s "$S" "$TEST_TMP/link"
state_dir_refused "a symlinked state dir" "symlink" "$TEST_TMP/link"
kept_again
chmod 0755 "$S"
state_dir_refused "a state dir with mode 0755" "0755" "$S"
chmod 0700 "$S"
kept_again
chown nobody "$S"
state_dir_refused "a state dir owned by nobody" "owned by uid $(id -u nobody)" "$S"
chown 0 "$S"
kept_again
printf 'not a dir\n' >"$TEST_TMP/file"
erl --state-dir "$TEST_TMP/file" circuit list
ok '[ "$RC" -ne 0 ]' "a state dir that is a file is refused (exit $RC)"
has "$ERR" "$TEST_TMP/file" "and named"
erl --state-dir "$TEST_TMP/file" down --all
ok '[ "$RC" -ne 0 ]' "down --all with a state dir that is a file says so (exit $RC)"
eq "$(namespaces)" "" "and sweeps the marked namespaces all the same"
kept_again

# ---- a read-only state dir: reads work, changes are refused with the reason, down --all sweeps.
mount --bind "$S" "$S" && mount -o remount,bind,ro "$S"
expect 0 circuit list
has "$OUT" "Kept" "a read-only state dir can be read"
expect 1 circuit new Other "${NEW[@]}"
has "$ERR" "Read-only file system" "a change says why it cannot be made"
erl down --all
ok '[ "$RC" -ne 0 ]' "down --all on a read-only state dir cannot remove the state (exit $RC)"
eq "$(namespaces)" "" "but it removes every marked namespace"
umount "$S"
kept_again
ln -s "$TEST_TMP/elsewhere" "$S/circuits/Evil.ini"
erl circuit list
ok '[ "$RC" -ne 0 ]' "a symlinked state file is refused (exit $RC)"
has "$ERR" "Evil.ini" "and named"
ok '[ ! -e "$TEST_TMP/elsewhere" ]' "nothing was written through the symlink"
rm "$S/circuits/Evil.ini"
expect 0 circuit list
has "$OUT" "Kept" "the state is intact after the refusals"

# ---- damaged state files
expect 0 circuit new Damaged "${NEW[@]}" --provisioned
expect 0 peering new Damaged --type private --primary-subnet 10.0.0.0/30 --secondary-subnet 10.0.0.4/30 --peer-asn 1234 --vlan 100
cp "$S/circuits/Damaged.ini" "$TEST_TMP/good.ini"
size=$(stat -c %s "$TEST_TMP/good.ini")
corrupt() {   # LABEL: every read of Damaged reports the file; Kept still answers
	local label=$1
	expect 1 circuit get Damaged
	# Read as valid by mistake: do not build on it, the cases after this one would inherit it.
	[ "$RC" = 0 ] && return 0
	has "$ERR" "circuits/Damaged.ini" "$label: the error names the file"
	has "$ERR" "corrupted" "$label: and says it is corrupted"
	expect 1 circuit list
	has "$ERR" "Damaged.ini" "$label: list names the file"
	expect 1 peering new Damaged --type public --primary-subnet 131.107.0.0/30 --secondary-subnet 131.107.0.4/30 --peer-asn 1234 --vlan 200
	has "$ERR" "Damaged.ini" "$label: a mutation of it is refused, naming the file"
	erl circuit get Kept
	eq "$RC" 0 "$label: another circuit still answers"
	eq "$(namespaces)" "Damaged-customer Damaged-microsoft Kept-customer Kept-microsoft" "$label: the kernel is untouched"
}
# (size - 1 only drops the final newline after "[end]": still a whole file.)
for cut in 1 $((size / 3)) $((size / 2)) $((size - 7)) $((size - 2)); do
	head -c "$cut" "$TEST_TMP/good.ini" >"$S/circuits/Damaged.ini"
	corrupt "truncated to $cut of $size bytes"
done
: >"$S/circuits/Damaged.ini"
corrupt "an empty state file"
sed 's/^vlan_id = 100$/vlan_id = 99999/' "$TEST_TMP/good.ini" >"$S/circuits/Damaged.ini"
corrupt "a VLAN out of range"
sed 's/^vlan_id = 100$/vlan_id = 0x64/' "$TEST_TMP/good.ini" >"$S/circuits/Damaged.ini"
corrupt "a VLAN in hex"
sed 's/^name = "Damaged"$/name = "..\/..\/etc"/' "$TEST_TMP/good.ini" >"$S/circuits/Damaged.ini"
corrupt "a name with a path in it"
sed 's/^name = "Damaged"$/name = "Other"/' "$TEST_TMP/good.ini" >"$S/circuits/Damaged.ini"
corrupt "a name that does not match the file"
sed 's/^primary_peer_subnet = 10.0.0.0\/30$/primary_peer_subnet = 10.0.0.1\/30/' "$TEST_TMP/good.ini" >"$S/circuits/Damaged.ini"
corrupt "a subnet with host bits"
sed 's/^service_key = .*/service_key = "$(reboot)"/' "$TEST_TMP/good.ini" >"$S/circuits/Damaged.ini"
corrupt "a service key with shell in it"
head -c 2048 /dev/urandom >"$S/circuits/Damaged.ini"
corrupt "random bytes"
truncate -s 100M "$S/circuits/Damaged.ini"
corrupt "a 100 MiB sparse state file"
cp "$TEST_TMP/good.ini" "$S/circuits/Damaged.ini"
expect 0 circuit get Damaged
has "$OUT" "name: Damaged" "the good file reads again"

# ---- short of memory (ulimit -v): a read fails saying so, never blaming a good state file. The
# limits that fail inside the state reader lie in a narrow band (below it fewer threads start and
# the read fits): scan finely. An ASan build cannot start under any such limit: skipped there.
if (ulimit -v 60000; "$ERLAB" --version) >/dev/null 2>&1; then
	bash "$ERLAB_SRC/bench/gen-lab" 40 "$DP" >"$TEST_TMP/forty.ini"
	expect 0 up "$TEST_TMP/forty.ini"
	oom_seen=0 blamed=""
	for kb in $(seq 4000 250 40000); do
		msg=$( (ulimit -v "$kb"; "$ERLAB" --state-dir "$S" circuit list 2>&1 >/dev/null) ) && continue
		case $msg in *corrupted*) blamed="$blamed $kb" ;; esac
		case $msg in *"out of memory"*|*"Cannot allocate memory"*) oom_seen=$((oom_seen + 1)) ;; esac
	done
	eq "$blamed" "" "no memory limit makes a good state file read as corrupted"
	ok '[ $oom_seen -gt 0 ]' "and some limits are reported as out of memory ($oom_seen of them)"
	expect 0 down "$TEST_TMP/forty.ini"
fi

# ---- journal/ swapped for a symlink to a planted journal: never followed, never applied.
mkdir -p "$TEST_TMP/planted/from" "$TEST_TMP/planted/to"
sed 's/^name = "Damaged"$/name = "Planted"/; s/^service_key = .*/service_key = 11111111-2222-4333-8444-555555555555/' \
	"$TEST_TMP/good.ini" >"$TEST_TMP/planted/from/Planted.ini"
printf 'Planted' >"$TEST_TMP/planted/open"
rm -rf "$S/journal"
ln -s "$TEST_TMP/planted" "$S/journal"
expect 1 status
has "$ERR" "journal/" "a symlinked journal is refused, naming it"
expect 1 circuit new Other "${NEW[@]}"
lacks "$(namespaces)" "Planted" "nothing of the planted journal reached the kernel"
ok '[ ! -e "$S/circuits/Planted.ini" ]' "nor the state"
rm "$S/journal"
expect 0 status

# ---- down --all with a damaged state file: the kernel's marks are the truth.
head -c $((size / 2)) "$TEST_TMP/good.ini" >"$S/circuits/Damaged.ini"
expect 0 down --all
eq "$(namespaces)" "" "down --all removed every marked namespace despite the damaged file"
has "$ERR" "Damaged.ini" "down --all reports the damaged file"
eq "$(state_files)" "" "down --all left no circuit state behind"
expect 0 circuit list
eq "$(find "$S" -type f ! -name lock | sort | tr '\n' ' ')" "" "nothing but the lock left in the state dir"
finish
