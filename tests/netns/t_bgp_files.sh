#!/bin/bash
# vm-tier: skip (datapath-independent; runs on the host, and the VM tier runs under slow TCG)
# Starting BIRD (src/bgp/bird.c): a fork that fails is the system failing (exit 1), not a refusal
# by state.
. "$(dirname "$0")/lib.sh"
command -v bird >/dev/null || { echo "SKIP: BIRD is not installed"; exit 77; }
export ERLAB_TEST_BGP_ERROR_WAIT=1
K=0b5b6c4e-56a8-4a4e-9b33-0d3b7a1c2f11
S=$ERLAB_STATE_DIR B=$ERLAB_STATE_DIR/bird
LAB=$TEST_TMP/bgp.ini
sed "s/^name = MyTestCircuit$/name = MyTestCircuit\nservice_key = $K/" "$ERLAB_SRC/labs/classic.ini" >"$LAB"
printf '\n[bgp]\nmsee = bird\ncustomer = bird\ncustomer_prefixes = 192.168.0.0/24\n' >>"$LAB"
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
finish
