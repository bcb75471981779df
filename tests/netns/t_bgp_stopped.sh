#!/bin/bash
# vm-tier: skip (datapath-independent; runs on the host, and the VM tier runs under slow TCG)
# A BIRD that is stopped (SIGSTOP) answers nothing on its control socket and acts on no signal
# but SIGKILL: status and down must not wait on it for long (src/bgp/bird.h BIRD_CTL_DEADLINE_MS),
# and down must still end it.
. "$(dirname "$0")/lib.sh"
command -v bird >/dev/null || { echo "SKIP: BIRD is not installed"; exit 77; }
export ERLAB_TEST_BGP_ERROR_WAIT=1
B=$ERLAB_STATE_DIR/bird
LAB=$TEST_TMP/bgp.ini
cat "$ERLAB_SRC/labs/classic.ini" >"$LAB"
printf '\n[bgp]\nmsee = bird\ncustomer = bird\ncustomer_prefixes = 192.168.0.0/24\n' >>"$LAB"
now_ms() { date +%s%3N; }
# Run erl and record its wall time in ms in TOOK.
timed() { local t0; t0=$(now_ms); erl "$@"; TOOK=$(($(now_ms) - t0)); }

expect 0 up "$LAB"
PIDS=$(cat "$B"/*.pid 2>/dev/null | tr '\n' ' ')
ok '[ "$(echo $PIDS | wc -w)" = 2 ] && [ "$(pgrep -x bird | wc -l)" = 2 ]' "two BIRDs run, both in pid files ($PIDS)"
kill -STOP $PIDS
ok 'for p in $PIDS; do grep -q "^State:.*stopped" /proc/$p/status || exit 1; done' "both BIRDs are stopped"

# The old client waited 10 s per BIRD for an answer (twice for the MSEE): 30 s here.
timed status MyTestCircuit
eq "$RC" 0 "status with both BIRDs stopped succeeds"
ok '[ $TOOK -lt 10000 ]' "status with both BIRDs stopped finishes within 10 s (took $TOOK ms)"
has "$OUT" "BIRD (the Microsoft edge) is not running" "status says the stopped MSEE does not answer"
has "$OUT" "BIRD (the customer router) is not running" "and the stopped customer router neither"
timed status MyTestCircuit --json
ok '[ $TOOK -lt 10000 ]' "status --json too (took $TOOK ms)"

# The old stop waited 10 s for an answer, 5 s for the exit and 3 s after SIGTERM, per BIRD.
timed down "$LAB"
eq "$RC" 0 "down with both BIRDs stopped succeeds"
ok '[ $TOOK -lt 10000 ]' "down with both BIRDs stopped finishes within 10 s (took $TOOK ms)"
ok '! pgrep -x bird >/dev/null' "down leaves no bird process"
eq "$(ls -A "$B" 2>/dev/null)" "" "nor any BIRD file"
eq "$(namespaces)" "" "nor a namespace"

# Many circuits' BIRDs stopped: status asks them side by side, not one circuit after another
# (five circuits one after another would take some 20 s).
bash "$ERLAB_SRC/bench/gen-lab" 5 "$DP" >"$TEST_TMP/five.ini"
printf '\n[bgp]\nmsee = bird\ncustomer = bird\ncustomer_prefixes = 192.168.0.0/24\n' >>"$TEST_TMP/five.ini"
expect 0 up "$TEST_TMP/five.ini"
PIDS=$(cat "$B"/*.pid 2>/dev/null | tr '\n' ' ')
ok '[ "$(echo $PIDS | wc -w)" = 10 ]' "ten BIRDs run"
kill -STOP $PIDS
timed status
eq "$RC" 0 "status of five circuits with every BIRD stopped succeeds"
ok '[ $TOOK -lt 10000 ]' "and finishes within 10 s (took $TOOK ms)"
eq "$(grep -c 'BIRD (the Microsoft edge) is not running' <<<"$OUT")" 5 "each stopped MSEE is reported"
timed down "$TEST_TMP/five.ini"
eq "$RC" 0 "down of the five succeeds"
ok '! pgrep -x bird >/dev/null' "and leaves no bird process"

# down --all sweeps a stopped BIRD whose circuit is gone from the state just as fast.
expect 0 up "$LAB"
PIDS=$(cat "$B"/*.pid 2>/dev/null | tr '\n' ' ')
kill -STOP $PIDS
rm -f "$ERLAB_STATE_DIR"/circuits/*
timed down --all
eq "$RC" 0 "down --all with stopped BIRDs and no circuit state succeeds"
ok '[ $TOOK -lt 10000 ]' "down --all finishes within 10 s (took $TOOK ms)"
ok '! pgrep -x bird >/dev/null' "down --all leaves no bird process"
eq "$(ls -A "$B" 2>/dev/null)" "" "nor any BIRD file"
finish
