#!/bin/bash
# vm-tier: skip (datapath-independent; runs on the host, and the VM tier runs under slow TCG)
# SIGINT, SIGTERM and SIGHUP stop erlab between kernel steps: the step at hand is finished or not
# begun, the change under way is rolled back, and erlab ends by the signal (exit 128 + N). Nothing
# is left half-made and the next command needs no recovery (README, "What erlab guarantees").
. "$(dirname "$0")/lib.sh"
LAB=$ERLAB_SRC/labs/classic.ini
# (A background job of a script starts with SIGINT ignored: give erlab the default back.)
run_bg() { env --default-signal=INT,TERM,HUP "$ERLAB" --state-dir "$ERLAB_STATE_DIR" --datapath "$DP" "$@" >/dev/null 2>"$TEST_TMP/bg.err" & }
# Wait until the state dir holds at least N circuits (the command is under way).
wait_circuits() { for _ in $(seq 1 1000); do [ "$(ls "$ERLAB_STATE_DIR/circuits" 2>/dev/null | wc -l)" -ge "$1" ] && return 0; sleep 0.01; done; return 1; }
consistent() {   # LABEL: no stub, no open journal, every recorded circuit as recorded
	local label=$1
	eq "$(stubs)" "" "$label: no half-made namespace file"
	ok '[ ! -e "$ERLAB_STATE_DIR/journal/open" ]' "$label: no change left to roll back"
	expect 0 status
	lacks "$ERR" "interrupted" "$label: the next command has nothing to recover"
	eq "$(grep -c 'drift: none' <<<"$OUT")" "$(ls "$ERLAB_STATE_DIR/circuits" | wc -l)" \
		"$label: every recorded circuit is in the kernel as recorded"
}

bash "$ERLAB_SRC/bench/gen-lab" 200 "$DP" >"$TEST_TMP/big.ini"
for sig in INT TERM HUP; do
	run_bg up "$TEST_TMP/big.ini"
	pid=$!
	wait_circuits 20
	kill -$sig $pid
	wait $pid
	rc=$?
	case $sig in INT) want=130 ;; TERM) want=143 ;; HUP) want=129 ;; esac
	eq "$rc" "$want" "up stopped by SIG$sig exits $want"
	has "$(cat "$TEST_TMP/bg.err")" "interrupted by SIG$sig" "and says so"
	consistent "up stopped by SIG$sig"
	ok '[ "$(ls "$ERLAB_STATE_DIR/circuits" | wc -l)" -lt 200 ]' "up stopped by SIG$sig stopped early"
	expect 0 up "$TEST_TMP/big.ini"
	run_bg down "$TEST_TMP/big.ini"
	pid=$!
	sleep 0.05
	kill -$sig $pid
	wait $pid
	rc=$?
	ok '[ "$rc" = 0 ] || [ "$rc" = "$want" ]' "down stopped by SIG$sig exits 0 or $want (got $rc)"
	consistent "down stopped by SIG$sig"
	# What the stopped down left, the next one removes; when it left nothing, that one exits 4.
	if [ -n "$(state_files)" ]; then expect 0 down "$TEST_TMP/big.ini"; else expect 4 down "$TEST_TMP/big.ini"; fi
	eq "$(namespaces)" "" "after SIG$sig, down leaves nothing"
done

# At random moments of a small lab's up and of a change.
for i in $(seq 1 12); do
	t=0.0$((RANDOM % 9 + 1))
	timeout -s TERM "$t" "$ERLAB" --state-dir "$ERLAB_STATE_DIR" --datapath "$DP" up "$LAB" >/dev/null 2>&1
	consistent "up stopped after ${t}s"
	expect 0 up "$LAB"
	timeout -s INT "0.00$((RANDOM % 9 + 1))" "$ERLAB" --state-dir "$ERLAB_STATE_DIR" --datapath "$DP" \
		peering set MyTestCircuit --type private --vlan 500 >/dev/null 2>&1
	consistent "peering set stopped"
	expect 0 up "$LAB"
	has "$OUT$ERR" "" "up after the stops"
	expect 0 down "$LAB"
	eq "$(namespaces) $(stubs)" " " "round $i: down leaves nothing"
done
finish
