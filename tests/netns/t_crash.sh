#!/bin/bash
# vm-tier: skip (datapath-independent; runs on the host, and the VM tier runs under slow TCG)
# Killed at any instant (README, "What erlab guarantees"): SIGKILL right after every single kernel step of
# `up labs/classic.ini` (ERLAB_TEST_KILL_AT_STEP, a test-only switch); each time the next
# `erlab up` recovers and converges, and `erlab down` leaves nothing.
. "$(dirname "$0")/lib.sh"
needs_hooks
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
CU=MyTestCircuit-customer MS=MyTestCircuit-microsoft
expect 0 up "$LAB"
links_before="$(links $CU) | $(links $MS)"
ERLAB_TEST_KILL_AT_STEP=3 erl peering set MyTestCircuit --type private --vlan 500
eq "$RC" 137 "peering set killed after step 3"
ok '[ "$(links $CU) | $(links $MS)" != "$links_before" ]' "the kill left the change half done: $(links $CU)"
# The next command, a read, rolls back (README, "What erlab guarantees"): what follows is the rollback's work alone.
expect 0 peering get MyTestCircuit --type private
has "$ERR" "MyTestCircuit was interrupted by a previous command; rolled back" "the next command, a read, rolls the interrupted one back"
has "$OUT" "vlan_id: 100" "and shows the recorded VLAN"
eq "$(links $CU) | $(links $MS)" "$links_before" "rollback: both namespaces have exactly the links they had"
for ns in $CU $MS; do
	host=1; [ $ns = $MS ] && host=2
	eq "$(addrs $ns primary.100)" "10.0.0.$host/30" "rollback: $ns primary.100 is back with its address"
	eq "$(addrs $ns secondary.100)" "10.0.0.$((host + 4))/30" "rollback: $ns secondary.100 is back with its address"
	lacks " $(links $ns) " " primary.500 " "rollback: $ns primary.500 is gone"
	lacks " $(links $ns) " " secondary.500 " "rollback: $ns secondary.500 is gone"
done
expect 0 peering get MyTestCircuit --type private
has "$OUT" "vlan_id: 100" "rollback: the state says VLAN 100"
expect 0 status MyTestCircuit
has "$OUT" "drift: none" "rollback: status shows no drift"
ok "pings $CU 10.0.0.2 && pings $CU 10.0.0.6" "rollback: both links carry traffic on VLAN 100"
expect 0 up "$LAB"
has "$OUT" "up to date" "after the rollback up has nothing to do"
lacks "$ERR" "interrupted" "and nothing left to roll back"
expect 0 down "$LAB"
eq "$(namespaces)" "" "nothing left"
finish
