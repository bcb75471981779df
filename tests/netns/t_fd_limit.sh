#!/bin/bash
# vm-tier: skip (datapath-independent; runs on the host, and the VM tier runs under slow TCG)
# Descriptor limits ("Nothing lost, round two", item 2): with `ulimit -n 64`, soft and hard, so that
# erlab cannot raise it, a lab of 200 circuits (400 namespaces, far more than 64 descriptors) comes
# up, comes up again unchanged and repaired, and goes: `down LAB`, `down --all`, and `down --all`
# with the state dir gone (it finds the namespaces by their marks) each leave no namespace and no
# state file.
. "$(dirname "$0")/lib.sh"
N=200
LAB=$TEST_TMP/fd-limit.ini
"$ERLAB_SRC/bench/gen-lab" $N "$DP" >"$LAB"
ulimit -n 64 || { echo "SKIP: cannot set ulimit -n 64"; exit 77; }
eq "$(ulimit -Sn) $(ulimit -Hn)" "64 64" "the soft and the hard limit are 64"

gone() {   # LABEL
	eq "$(namespaces)" "" "$1 leaves no namespace"
	eq "$(state_files)" "" "$1 leaves no state file"
}

expect 0 -q up "$LAB"
eq "$(ls /run/netns | wc -l)" $((2 * N)) "up made $((2 * N)) namespaces"
eq "$(ls "$ERLAB_STATE_DIR/circuits" | wc -l)" $N "and recorded $N circuits"
# A second up reads every circuit's drift (from several threads, each with a kernel handle).
ip -n c150-customer link del primary.100
expect 0 up "$LAB"
eq "$(grep -c '^repaired ' <<<"$OUT")" 1 "up under the limit checks every circuit and repairs the one with drift"
has "$OUT" "repaired c150: c150-customer/primary.100: missing" "c150, with its reason"
ok "pings c1-customer 10.0.0.2 && pings c$N-customer 131.107.0.14" "the first and the last circuit carry traffic"
expect 0 down "$LAB"
gone "down LAB"

expect 0 -q up "$LAB"
expect 0 down --all
gone "down --all"

expect 0 -q up "$LAB"
rm -rf "$ERLAB_STATE_DIR"
expect 0 down --all
eq "$(namespaces)" "" "down --all without a state dir removes every namespace by its mark"
finish
