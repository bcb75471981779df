#!/bin/bash
# vm-tier: skip (datapath-independent; runs on the host, and the VM tier runs under slow TCG)
# Scale paths stay correct (issue 7): a 50-circuit lab (bench/gen-lab: three peerings each) comes
# up with every namespace and address in place, a second up changes nothing, down leaves nothing.
. "$(dirname "$0")/lib.sh"
N=50
"$ERLAB_SRC/bench/gen-lab" $N "$DP" >"$TEST_TMP/scale.ini"

expect 0 -q up "$TEST_TMP/scale.ini"
eq "$OUT$ERR" "" "-q up of $N circuits prints nothing"
eq "$(ls /run/netns | wc -l)" $((2 * N)) "$((2 * N)) namespaces"
bad=0
for i in $(seq 1 $N); do
	for side in customer microsoft; do
		host=1; [ $side = microsoft ] && host=2
		got=$(ip -n c$i-$side -4 -o addr show scope global | awk '{print $2, $4}' | sort | tr '\n' ' ')
		want=$(for v in 100 200 300; do
			case $v in 100) p=10.0.0.0 s=10.0.0.4 ;; 200) p=131.107.0.0 s=131.107.0.4 ;; 300) p=131.107.0.8 s=131.107.0.12 ;; esac
			echo "primary.$v ${p%.*}.$((${p##*.} + host))/30"
			echo "secondary.$v ${s%.*}.$((${s##*.} + host))/30"
		done | sort | tr '\n' ' ')
		[ "$got" = "$want" ] || { bad=$((bad + 1)); echo "  c$i-$side: $got != $want"; }
	done
done
eq "$bad" 0 "every namespace of the $N circuits has exactly its six addresses"
ok "pings c1-customer 10.0.0.2 && pings c$N-customer 131.107.0.14" "the first and the last circuit carry traffic"
expect 0 up "$TEST_TMP/scale.ini"
has "$OUT" "up to date" "a second up changes nothing"
# Drift in two circuits among many (up checks them all from several threads): exactly those two
# are repaired, each with its own reason.
ip -n c17-customer link del secondary.200
ip -n c42-microsoft addr flush dev primary.300 scope global
expect 0 up "$TEST_TMP/scale.ini"
eq "$(grep -c '^repaired ' <<<"$OUT")" 2 "up repairs two circuits"
has "$OUT" "repaired c17: c17-customer/secondary.200: missing (public peering)" "c17, with its reason"
has "$OUT" "repaired c42: c42-microsoft/primary.300: address 131.107.0.10/30 missing" "c42, with its reason"
expect 0 up "$TEST_TMP/scale.ini"
has "$OUT" "up to date" "and then nothing is left to repair"
expect 0 status --json
has "$OUT" '"drift":[]' "status --json: drift is an array"
lacks "$OUT" '"drift":[{' "no circuit has drift"
expect 0 down "$TEST_TMP/scale.ini"
eq "$(namespaces)" "" "down leaves no namespace"

# On a terminal, a progress line (on stderr; `script` gives erlab a terminal).
if command -v script >/dev/null; then
	script -qec "$ERLAB --state-dir $ERLAB_STATE_DIR --datapath $DP up $TEST_TMP/scale.ini" /dev/null >"$TEST_TMP/tty" 2>&1
	has "$(cat "$TEST_TMP/tty")" "erlab: 25/$N circuits" "a terminal gets a progress line"
	expect 0 down "$TEST_TMP/scale.ini"
fi
eq "$(state_files)" "" "and no state"
finish
