#!/bin/bash
# vm-tier: skip (datapath-independent; runs on the host, and the VM tier runs under slow TCG)
# BIRD's files under <state>/bird/ (src/bgp/bird.c): nothing erlab or BIRD writes there follows a
# symlink, a circuit's removal takes all of its BIRD files with it, and a fork that fails is the
# system failing (exit 1), not a refusal by state.
#
#   <state>/bird/            a directory of ours, 0700, never a symlink
#       <key>-microsoft.conf/.ctl/.pid/.log   the MSEE's files
#       <key>-customer.conf/.ctl/.pid/.log    the customer router's files
. "$(dirname "$0")/lib.sh"
command -v bird >/dev/null || { echo "SKIP: BIRD is not installed"; exit 77; }
export ERLAB_TEST_BGP_ERROR_WAIT=1
K=0b5b6c4e-56a8-4a4e-9b33-0d3b7a1c2f11
S=$ERLAB_STATE_DIR B=$ERLAB_STATE_DIR/bird
LAB=$TEST_TMP/bgp.ini
sed "s/^name = MyTestCircuit$/name = MyTestCircuit\nservice_key = $K/" "$ERLAB_SRC/labs/classic.ini" >"$LAB"
printf '\n[bgp]\nmsee = bird\ncustomer = bird\ncustomer_prefixes = 192.168.0.0/24\n' >>"$LAB"
files() { ls -A "$B" 2>/dev/null | tr '\n' ' ' | sed 's/ $//'; }
birds() { pgrep -x bird | tr '\n' ' ' | sed 's/ $//'; }
mkdir -m 0700 "$S"

# --- a fork that fails (EAGAIN) is the system failing: exit 1, naming BIRD and the reason ---
if [ -n "${ERLAB_NOFORK:-}" ] && "$ERLAB_NOFORK" /bin/true; then
	"$ERLAB_NOFORK" "$ERLAB" --state-dir "$S" --datapath "$DP" up "$LAB" >"$TEST_TMP/out" 2>"$TEST_TMP/err"
	RC=$? ERR=$(cat "$TEST_TMP/err")
	echo "  $ERR"
	eq "$RC" 1 "up whose fork fails with EAGAIN exits 1 (the system failed), not 3"
	has "$ERR" "BIRD" "the error names BIRD"
	has "$ERR" "$(perl -e '$! = 11; print "$!"' 2>/dev/null || echo 'Resource temporarily unavailable')" \
		"and says why (EAGAIN)"
	eq "$(birds)" "" "no BIRD runs after it"
	eq "$(namespaces)" "" "and the failed up was rolled back"
else
	echo "skip: no nofork helper (ERLAB_NOFORK) on this architecture"
fi
# What the failed start wrote (its config, for the next start) goes for the next test.
rm -rf "$B"

# --- a symlinked bird/ is refused, naming it, and its target stays as it was ---
mkdir "$TEST_TMP/elsewhere"
echo keep >"$TEST_TMP/elsewhere/keep"
ln -s "$TEST_TMP/elsewhere" "$B"
expect 1 up "$LAB"
has "$ERR" "$B" "the error names the symlinked BIRD directory"
eq "$(ls -A "$TEST_TMP/elsewhere")" keep "nothing was written through the symlink"
eq "$(birds)" "" "no BIRD runs after the refused up"
eq "$(namespaces)" "" "and the refused up left no namespace"
rm "$B"

# --- a bird/ with group or other access, or owned by someone else, is refused too ---
mkdir -m 0755 "$B"
expect 1 up "$LAB"
has "$ERR" "$B" "a BIRD directory with mode 0755 is refused, naming it"
has "$ERR" "0755" "... and its mode"
chmod 0700 "$B"
chown 65534 "$B"
expect 1 up "$LAB"
has "$ERR" "$B" "a BIRD directory of another owner is refused, naming it"
chown 0 "$B"

# --- stale pid and log files that are symlinks: replaced by fresh files, targets untouched ---
for f in pid log ctl conf.tmp; do
	echo precious >"$TEST_TMP/victim.$f"
	ln -s "$TEST_TMP/victim.$f" "$B/$K-microsoft.$f"
	ln -s "$TEST_TMP/victim.$f" "$B/$K-customer.$f"
done
expect 0 up "$LAB"
for f in pid log ctl conf.tmp; do
	eq "$(cat "$TEST_TMP/victim.$f")" precious "a planted $f symlink's target is untouched by up"
done
ok '[ -f "$B/$K-microsoft.pid" ] && [ ! -L "$B/$K-microsoft.pid" ]' "BIRD's pid file is a fresh file"
ok '[ -f "$B/$K-microsoft.log" ] && [ ! -L "$B/$K-microsoft.log" ]' "BIRD's log is a fresh file"
ok '[ -S "$B/$K-customer.ctl" ]' "the customer router's control socket replaced the symlink"
eq "$(cat "$B/$K-microsoft.pid" 2>/dev/null)" "$(pgrep -f -- "-c $B/$K-microsoft.conf")" "the pid file names the MSEE"
eq "$(stat -c %a "$B")" 700 "the BIRD directory is 0700"

# --- down removes every BIRD file of the circuit (the log only goes with it) ---
expect 0 down "$LAB"
eq "$(files)" "" "down leaves <state>/bird/ empty"
eq "$(birds)" "" "and no BIRD"
expect 0 up "$LAB"
has "$(files)" "$K-microsoft.log" "up writes the MSEE's log"
expect 0 down --all
eq "$(files)" "" "down --all leaves <state>/bird/ empty"
eq "$(birds)" "" "and no BIRD"

finish
