#!/bin/bash
# vm-tier: skip (datapath-independent; runs on the host, and the VM tier runs under slow TCG)
# Killed at any instant (SPEC §8): SIGKILL right after every single kernel step of
# `up labs/classic.ini` (ERLAB_TEST_KILL_AT_STEP, a test-only switch); each time the next
# `erlab up` recovers and converges, and `erlab down` leaves nothing.
. "$(dirname "$0")/lib.sh"
LAB=$ERLAB_SRC/labs/classic.ini

erl up --dry-run "$LAB"
steps=$(grep -c '^    ' <<<"$OUT")
ok "[ $steps -ge 8 ]" "classic.ini takes $steps kernel steps"
for k in $(seq 1 "$steps"); do
	ERLAB_TEST_KILL_AT_STEP=$k erl up "$LAB"
	eq "$RC" 137 "up killed after step $k"
	expect 0 up "$LAB"
	has "$ERR" "interrupted" "after a kill at step $k the next command says it rolled back"
	expect 0 status MyTestCircuit
	has "$OUT" "drift: none" "after a kill at step $k the next up converges"
	ok "pings MyTestCircuit-customer 10.0.0.2" "and carries traffic"
	expect 0 down "$LAB"
	eq "$(namespaces)" "" "after a kill at step $k down leaves nothing"
done
# A kill in the middle of a change (peering set): the next command restores the recorded peering.
expect 0 up "$LAB"
ERLAB_TEST_KILL_AT_STEP=3 erl peering set MyTestCircuit --type private --vlan 500
eq "$RC" 137 "peering set killed after step 3"
expect 0 status MyTestCircuit
expect 0 peering get MyTestCircuit --type private
expect 0 circuit list
expect 0 up "$LAB"
has "$ERR" "interrupted" "the next mutation rolls the interrupted one back"
expect 0 status MyTestCircuit
has "$OUT" "drift: none" "and the circuit is whole again"
expect 0 down "$LAB"
eq "$(namespaces)" "" "nothing left"
finish
