#!/bin/bash
# vm-tier: skip (datapath-independent; runs on the host, and the VM guest has no python3)
# Reads are never blocked by a change (README, "What erlab guarantees"): while a long `up` (500 circuits) runs,
# status, circuit list/get, peering get, labs and the Get- cmdlets answer at once (exit 0) with the
# last committed state: every circuit they show is whole (all three peerings, as the lab has it),
# the number shown only grows, and a change beside the up is still refused.
. "$(dirname "$0")/lib.sh"
bash "$ERLAB_SRC/bench/gen-lab" 500 "$DP" >"$TEST_TMP/big.ini"
"$ERLAB" --state-dir "$ERLAB_STATE_DIR" --datapath "$DP" up "$TEST_TMP/big.ini" >/dev/null 2>"$TEST_TMP/up.err" &
up_pid=$!
for _ in $(seq 1 1000); do
	[ -n "$(ls "$ERLAB_STATE_DIR/circuits" 2>/dev/null | grep '^c')" ] && break
	sleep 0.01
done

reads=0 bad=0 last=0 shrank=0 partial=0 during=0
while kill -0 $up_pid 2>/dev/null; do
	erl circuit list
	[ "$RC" = 0 ] || { bad=$((bad + 1)); echo "  circuit list: exit $RC: $ERR"; }
	n=$(grep -c '^c[0-9]' <<<"$OUT")
	[ "$n" -lt "$last" ] && shrank=$((shrank + 1))
	last=$n
	# Every listed circuit has its three peerings: a file is whole or absent.
	partial=$((partial + $(grep '^c[0-9]' <<<"$OUT" | grep -vc 'private,public,microsoft')))
	erl status --json
	[ "$RC" = 0 ] && python3 -c 'import json,sys; json.load(sys.stdin)' <<<"$OUT" ||
		{ bad=$((bad + 1)); echo "  status --json: exit $RC: $ERR"; }
	erl circuit get c1
	[ "$RC" = 0 ] || { bad=$((bad + 1)); echo "  circuit get: exit $RC: $ERR"; }
	erl peering get c1 --type microsoft
	[ "$RC" = 0 ] || { bad=$((bad + 1)); echo "  peering get: exit $RC: $ERR"; }
	erl labs
	[ "$RC" = 0 ] || { bad=$((bad + 1)); echo "  labs: exit $RC: $ERR"; }
	erl Get-AzureDedicatedCircuit
	[ "$RC" = 0 ] || { bad=$((bad + 1)); echo "  Get-AzureDedicatedCircuit: exit $RC: $ERR"; }
	kill -0 $up_pid 2>/dev/null && during=$((during + 1))
	reads=$((reads + 1))
done
wait $up_pid
eq "$?" 0 "the up finished"
ok "[ $during -ge 2 ]" "reads ran while up was at work ($during rounds)"
eq "$bad" 0 "every read beside the up exited 0 at once ($reads rounds)"
eq "$shrank" 0 "the circuits shown only grew"
eq "$partial" 0 "every circuit shown was whole"
expect 0 circuit list
eq "$(grep -c '^c[0-9]' <<<"$OUT")" 500 "afterwards all 500 are listed"

# A change beside a running down is still refused; a read is not. `down` of 500 circuits takes a
# tenth of a second or two, so whether the two met is judged afterwards: a down still running
# when the change has returned ran beside it all along.
"$ERLAB" --state-dir "$ERLAB_STATE_DIR" --datapath "$DP" down big >/dev/null 2>&1 &
down_pid=$!
sleep 0.05
erl circuit new Beside --bandwidth 200 --location "Silicon Valley" --provider equinix
if kill -0 $down_pid 2>/dev/null; then
	eq "$RC" 3 "a change beside a running down: exit 3"
	has "$ERR" "locked" "a change beside a running down is refused"
	expect 0 labs
elif [ "$RC" = 0 ]; then
	echo "skip: the down was over before the change met it"
	expect 0 circuit remove Beside
else
	# The down ended after the change returned: they met, so the change was refused the same way.
	eq "$RC" 3 "a change that met the down before it ended: exit 3"
	has "$ERR" "locked" "and it says the state is locked"
fi
wait $down_pid
eq "$?" 0 "down finished"
eq "$(namespaces)" "" "nothing left"
finish
