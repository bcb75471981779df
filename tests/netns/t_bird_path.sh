#!/bin/bash
# vm-tier: skip (datapath-independent; runs on the host, and the VM tier runs under slow TCG)
# Which BIRD erlab runs (docs/bgp.md, "Which BIRD"): a lab's [bgp] bird_path, else ERLAB_BIRD,
# else bird on PATH, else /usr/local/sbin, /usr/sbin, /sbin (not on a plain user's PATH). A choice
# that does not work fails naming it, never falls back; no BIRD at all fails naming every place
# looked at. Which one ran is read from the running BIRD's own command line.
. "$(dirname "$0")/lib.sh"
real=$(PATH=/usr/local/sbin:/usr/sbin:/sbin:$PATH command -v bird)
[ -n "$real" ] || { echo "SKIP: BIRD is not installed"; exit 77; }
export ERLAB_TEST_BGP_ERROR_WAIT=1
LAB=$TEST_TMP/bgp.ini
cp "$ERLAB_SRC/labs/classic.ini" "$LAB"
printf '\n[bgp]\nmsee = bird\n' >>"$LAB"
# The program each running BIRD was started as (argv[0]), sorted.
started_as() {
	local p
	for p in $(pgrep -x bird); do tr '\0' '\n' <"/proc/$p/cmdline" | head -1; done | sort | tr '\n' ' ' | sed 's/ $//'
}
for d in onpath env lab other; do mkdir -p "$TEST_TMP/$d"; done
ln -s "$real" "$TEST_TMP/onpath/bird"
ln -s "$real" "$TEST_TMP/env/bird"
ln -s "$real" "$TEST_TMP/lab/bird"
ln -s "$real" "$TEST_TMP/other/bird2"

# --- bird on PATH: the first directory of PATH that has one ---
PATH=$TEST_TMP/onpath:$PATH erl up "$LAB"
eq "$RC" 0 "up with a bird of its own first on PATH"
eq "$(started_as)" "$TEST_TMP/onpath/bird" "the BIRD on PATH runs"
expect 0 down "$LAB"
eq "$(started_as)" "" "down stops it (it is named bird)"

# --- a plain user's PATH has no sbin: /usr/sbin/bird is found all the same ---
case $real in
/usr/local/sbin/bird | /usr/sbin/bird | /sbin/bird)
	PATH=/usr/local/bin:/usr/bin:/bin erl up "$LAB"
	eq "$RC" 0 "up with PATH=/usr/local/bin:/usr/bin:/bin"
	eq "$(started_as)" "$real" "BIRD's own directory is looked at after PATH"
	expect 0 down "$LAB"
	;;
*) echo "skip: BIRD is at $real, not in an sbin directory" ;;
esac

# --- ERLAB_BIRD beats PATH ---
ERLAB_BIRD=$TEST_TMP/env/bird PATH=$TEST_TMP/onpath:$PATH erl up "$LAB"
eq "$RC" 0 "up with ERLAB_BIRD"
eq "$(started_as)" "$TEST_TMP/env/bird" "ERLAB_BIRD's BIRD runs, not PATH's"
expect 0 down "$LAB"

# --- a lab's [bgp] bird_path beats ERLAB_BIRD, and is recorded with the circuit ---
cp "$LAB" "$TEST_TMP/lab.ini"
printf 'bird_path = %s\n' "$TEST_TMP/lab/bird" >>"$TEST_TMP/lab.ini"
ERLAB_BIRD=$TEST_TMP/env/bird erl up "$TEST_TMP/lab.ini"
eq "$RC" 0 "up with [bgp] bird_path"
eq "$(started_as)" "$TEST_TMP/lab/bird" "the lab's BIRD runs, not ERLAB_BIRD's"
has "$(cat "$ERLAB_STATE_DIR"/circuits/*)" "bird_path = \"$TEST_TMP/lab/bird\"" "the state file records bird_path"
# A later change that starts BIRD again (a native verb: no lab to ask) runs the recorded one,
# whatever the environment says.
pkill -x bird
for _ in $(seq 50); do [ -z "$(started_as)" ] && break; sleep 0.1; done
ERLAB_BIRD=$TEST_TMP/env/bird erl peering set MyTestCircuit --type private --peer-asn 4321
eq "$RC" 0 "peering set on the circuit whose BIRD was killed"
eq "$(started_as)" "$TEST_TMP/lab/bird" "it starts the recorded bird_path, not ERLAB_BIRD's"
expect 0 down "$TEST_TMP/lab.ini"

# --- an explicit choice that does not work fails, naming it, and changes nothing ---
ERLAB_BIRD=$TEST_TMP/none/bird erl up "$LAB"
eq "$RC" 1 "ERLAB_BIRD naming no file: exit 1"
has "$ERR" "ERLAB_BIRD=$TEST_TMP/none/bird" "the error names ERLAB_BIRD and its value"
has "$ERR" "no such file" "... and what is wrong with it"
eq "$(namespaces)" "" "the failed up was rolled back"
eq "$(started_as)" "" "no BIRD runs"
# BIRD that cannot be run fails as BIRD does (exit 1, README "What erlab guarantees").
ERLAB_BIRD=$TEST_TMP/other/bird2 erl up "$LAB"
eq "$RC" 1 "ERLAB_BIRD naming a file not called bird: exit 1"
has "$ERR" "ERLAB_BIRD=$TEST_TMP/other/bird2: the BIRD daemon must be a file named bird" "the error says why"
eq "$(namespaces)" "" "nothing was left"
# A file called bird that the kernel will not run (no ELF, no #!): the exec itself fails, which
# erlab learns while it waits for the BIRDs it started (not at the fork); the same words, exit 1.
mkdir -p "$TEST_TMP/noexec"
printf 'not a program\n' >"$TEST_TMP/noexec/bird"
chmod 755 "$TEST_TMP/noexec/bird"
ERLAB_BIRD=$TEST_TMP/noexec/bird erl up "$LAB"
eq "$RC" 1 "ERLAB_BIRD naming a file the kernel cannot run: exit 1"
has "$ERR" "cannot start $TEST_TMP/noexec/bird in the namespace: Exec format error" "the error is exec's, naming the file"
eq "$(namespaces)" "" "the failed up was rolled back"
eq "$(started_as)" "" "no BIRD runs"
printf '[bgp]\nmsee = bird\nbird_path = sbin/bird\n' >"$TEST_TMP/relative.ini"
sed -n '/^\[lab\]/,/^\[bgp\]/p' "$LAB" | sed '$d' | cat - "$TEST_TMP/relative.ini" >"$TEST_TMP/rel.ini"
expect 2 up "$TEST_TMP/rel.ini"
has "$ERR" "rel.ini:" "a relative bird_path in a lab: FILE:LINE first"
has "$ERR" "bird_path=sbin/bird" "... naming the key and value"
has "$ERR" "not an absolute path" "... and why"

ERLAB_BIRD=$TEST_TMP/env/bird erl check
has "$OUT" "BIRD     yes" "check with ERLAB_BIRD naming a BIRD: yes"
ERLAB_BIRD=$TEST_TMP/none/bird erl check
has "$OUT" "BIRD     no   (ERLAB_BIRD=$TEST_TMP/none/bird: cannot run BIRD from there: no such file" \
	"check with ERLAB_BIRD naming nothing: no, naming it"

# --- no BIRD anywhere: hide this machine's (in this sandbox's mount namespace only) ---
for d in /usr/local/sbin /usr/sbin /sbin; do
	[ -f "$d/bird" ] && mount --bind /dev/null "$d/bird"
done
PATH=/usr/bin:/bin erl up "$LAB"
eq "$RC" 1 "no BIRD anywhere: exit 1"
has "$ERR" "BIRD 2 not found: looked for bird in PATH (/usr/bin:/bin) and in /usr/local/sbin:/usr/sbin:/sbin, and ERLAB_BIRD is not set" \
	"the error names every place it looked"
has "$ERR" "bird_path" "... and the two ways to name one"
eq "$(namespaces)" "" "the failed up was rolled back"
PATH=/usr/bin:/bin erl check
eq "$RC" 0 "check: BIRD is not required"
has "$OUT" "BIRD     no   (bird: BIRD 2 not found" "check says BIRD is not found, and where it looked"
finish
