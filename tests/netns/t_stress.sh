#!/bin/bash
# vm-tier: skip (datapath-independent; runs on the host, and the VM tier runs under slow TCG)
# Many erlab processes at once (README, "What erlab guarantees" "one mutating operation at a time"): 16 workers for 30 s,
# each looping over random circuit new / peering new / peering set --vlan / peering remove /
# circuit remove on 8 circuits, all with --wait 30. Refusals by state (exit 3 "exists", 4 "not
# found") are the race working as designed; anything else is an error: exit 1 or 2, a crash, or
# exit 3 "locked" (with --wait 30 nobody should wait that long). Afterwards the state matches the
# kernel (status --json shows no drift) and `down --all` leaves nothing.
# ERLAB_STRESS_SECONDS / ERLAB_STRESS_WAIT change 30 / 30 (scripts/sanitize under valgrind).
. "$(dirname "$0")/lib.sh"
SECONDS_RUN=${ERLAB_STRESS_SECONDS:-30}
WAIT=${ERLAB_STRESS_WAIT:-30}
WORKERS=16 CIRCUITS=8

worker() {   # ID: loop until the deadline, one line per erlab run: "RC op circuit: first stderr line"
	local id=$1 deadline=$2 i c op rc err
	RANDOM=$((id * 7919))
	while [ "$(date +%s)" -lt "$deadline" ]; do
		i=$((RANDOM % CIRCUITS + 1)) c=S$i
		op=$((RANDOM % 6))
		case $op in
		0) set -- circuit new $c --bandwidth 200 --location "Silicon Valley" --provider equinix --provisioned ;;
		1) set -- peering new $c --type private --primary-subnet 10.$i.0.0/30 --secondary-subnet 10.$i.0.4/30 \
			--peer-asn 65000 --vlan $((100 + RANDOM % 50)) ;;
		2) set -- peering new $c --type public --primary-subnet 131.107.$i.0/30 --secondary-subnet 131.107.$i.4/30 \
			--peer-asn 1234 --vlan $((2000 + RANDOM % 50)) ;;
		3) set -- peering set $c --type private --vlan $((200 + RANDOM % 50)) ;;
		4) set -- peering remove $c --type "$([ $((RANDOM % 2)) = 0 ] && echo private || echo public)" ;;
		5) set -- circuit deprovision $c ;;
		esac
		err=$("$ERLAB" --state-dir "$ERLAB_STATE_DIR" --datapath "$DP" --wait "$WAIT" "$@" 2>&1 >/dev/null)
		rc=$?
		printf '%s %s %s: %s\n' "$rc" "$1-$2" "$c" "$(head -1 <<<"$err")"
		if [ $op = 5 ] && [ $rc = 0 ]; then
			err=$("$ERLAB" --state-dir "$ERLAB_STATE_DIR" --datapath "$DP" --wait "$WAIT" circuit remove $c 2>&1 >/dev/null)
			rc=$?
			printf '%s %s %s: %s\n' "$rc" "circuit-remove" "$c" "$(head -1 <<<"$err")"
		fi
	done
}

deadline=$(($(date +%s) + SECONDS_RUN))
pids=()
for w in $(seq 1 $WORKERS); do
	worker "$w" "$deadline" >"$TEST_TMP/w$w.log" 2>&1 &
	pids+=($!)
done
for p in "${pids[@]}"; do wait "$p"; done
cat "$TEST_TMP"/w*.log >"$TEST_TMP/all.log"

runs=$(wc -l <"$TEST_TMP/all.log")
done_ok=$(grep -c '^0 ' "$TEST_TMP/all.log")
refusals=$(grep -E '^(3|4) ' "$TEST_TMP/all.log" | grep -vc 'locked')
locked=$(grep -E '^3 ' "$TEST_TMP/all.log" | grep -c 'locked')
errors=$(grep -vE '^(0|3|4) ' "$TEST_TMP/all.log")
echo "# $runs runs: $done_ok done, $refusals refused by state, $locked lock timeouts"
ok '[ "$runs" -ge $WORKERS ]' "the workers ran ($runs erlab runs)"
ok '[ "$done_ok" -ge $CIRCUITS ]' "mutations went through ($done_ok)"
eq "$locked" 0 "no lock timeout with --wait $WAIT"
eq "$errors" "" "no system failure, invalid input or crash"
# A refusal must be a state answer, never a half-done transaction.
eq "$(grep -E '^(3|4) ' "$TEST_TMP/all.log" | grep -vE 'already exists|was not found|must be in a provisioned and enabled state|cannot be deleted when' | head -5)" "" \
	"every refusal is a known state answer"

# The state matches the kernel.
expect 0 circuit list
listed=$(awk 'NR > 1 {print $1}' <<<"$OUT" | sort | tr '\n' ' ' | sed 's/ $//')
expected_ns=$(for c in $listed; do printf '%s-customer\n%s-microsoft\n' "$c" "$c"; done | sort | tr '\n' ' ' | sed 's/ $//')
eq "$(namespaces)" "$expected_ns" "the namespaces are exactly the listed circuits'"
expect 0 status --json
drift=$(grep -o '"drift":\[[^]]*\]' <<<"$OUT" | grep -v '"drift":\[\]')
eq "$drift" "" "status --json shows no drift"
eq "$(grep -o '"drift":' <<<"$OUT" | wc -l)" "$(wc -w <<<"$listed")" "status covered every circuit"
# Every link carries the mark of its own circuit, in the exact form (docs/layout.md erlab:<service-key>:...):
# trunk:<link> for a trunk, peering:<type>:<link> for a peering link (VLANs 100-249 private, 2000+ public).
for c in $listed; do
	key=$("$ERLAB" --state-dir "$ERLAB_STATE_DIR" circuit get "$c" --json | sed -n 's/.*"service_key":"\([^"]*\)".*/\1/p')
	ok '[[ $key =~ ^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$ ]]' "$c has a service key ($key)"
	for side in customer microsoft; do
		ns=$c-$side
		eq "$(alias_of $ns lo)" "erlab:$key:ns:$side" "$ns carries its circuit's namespace mark"
		for l in $(links $ns); do
			case $l in
			lo) continue ;;
			primary | secondary) want="erlab:$key:trunk:$l" ;;
			primary.* | secondary.*)
				type=private; [ "${l#*.}" -ge 2000 ] && type=public
				want="erlab:$key:peering:$type:${l%%.*}" ;;
			*) want="(no link $l expected)" ;;
			esac
			eq "$(alias_of $ns $l)" "$want" "$ns/$l carries its circuit's mark"
		done
	done
done

expect 0 down --all
eq "$(namespaces)" "" "down --all left no namespace"
eq "$(state_files)" "" "down --all left no state file"
eq "$(find "$ERLAB_STATE_DIR" -type f ! -name lock | sort | tr '\n' ' ')" "" "nothing but the lock left in the state dir"
finish
