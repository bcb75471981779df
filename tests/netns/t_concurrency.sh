#!/bin/bash
# vm-tier: skip (datapath-independent; runs on the host, and the VM tier runs under slow TCG)
# One mutation at a time (README, "What erlab guarantees"): 8 `peering new` at once on 8 circuits all succeed, waiting for
# the lock in turn, and every state file is intact afterwards.
. "$(dirname "$0")/lib.sh"

for i in $(seq 1 8); do
	expect 0 circuit new C$i --bandwidth 50 --location "Silicon Valley" --provider equinix --provisioned
done
pids=()
for i in $(seq 1 8); do
	"$ERLAB" --state-dir "$ERLAB_STATE_DIR" --datapath "$DP" --wait 60 peering new C$i --type private \
		--primary-subnet 10.$i.0.0/30 --secondary-subnet 10.$i.0.4/30 --peer-asn 65000 --vlan $((100 + i)) \
		>"$TEST_TMP/o$i" 2>&1 &
	pids+=($!)
done
for i in $(seq 1 8); do
	wait "${pids[$((i - 1))]}"
	eq "$?" 0 "concurrent peering new on C$i succeeded: $(cat "$TEST_TMP/o$i")"
done
for i in $(seq 1 8); do
	expect 0 peering get C$i --type private
	has "$OUT" "vlan_id: $((100 + i))" "C$i state file intact"
	ok "pings C$i-customer 10.$i.0.2" "C$i carries traffic"
done

# A holder of the lock (the state dir itself) makes a mutation without --wait fail with exit 3,
# and one with --wait succeed.
exec 9<"$ERLAB_STATE_DIR"
flock -x 9
expect 3 circuit provision C1
has "$ERR" "locked" "a busy state dir is reported as locked"
( sleep 1; flock -u 9 ) &
erl --wait 10 circuit provision C1
eq "$RC" 0 "with --wait the mutation runs once the lock is free"
exec 9<&-
wait


for i in $(seq 1 8); do
	expect 0 circuit deprovision C$i
	expect 0 circuit remove C$i
done
eq "$(namespaces)" "" "nothing left"

# The lock is the directory: nothing in it can be deleted or swapped to let a second command in
# beside a running one. A long up (300 circuits) holds it; a mutation beside it is refused, a read
# reads the last committed state (t_snapshot).
bash "$ERLAB_SRC/bench/gen-lab" 300 "$DP" >"$TEST_TMP/big.ini"
"$ERLAB" --state-dir "$ERLAB_STATE_DIR" --datapath "$DP" up "$TEST_TMP/big.ini" >/dev/null 2>&1 &
up_pid=$!
for _ in $(seq 1 500); do
	[ -n "$(ls "$ERLAB_STATE_DIR/circuits" 2>/dev/null | grep '^c')" ] && break
	sleep 0.01
done
rm -rf "$ERLAB_STATE_DIR/lock"
expect 3 circuit new Beside --bandwidth 200 --location "Silicon Valley" --provider equinix
has "$ERR" "locked" "a mutation beside a running up is refused, whatever was deleted"
expect 0 circuit list
ok 'kill -0 $up_pid 2>/dev/null' "and up was still running then"
wait $up_pid
eq "$?" 0 "up finished"
expect 0 down "$TEST_TMP/big.ini"
eq "$(namespaces)" "" "nothing left after the big lab"
finish
