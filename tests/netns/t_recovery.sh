#!/bin/bash
# vm-tier: skip (datapath-independent; runs on the host, and the VM tier runs under slow TCG)
# A recovery that fails keeps the journal and is tried again by the next command, so kernel and
# state never stay apart (README, "What erlab guarantees"). The state dir is a 1 MiB tmpfs that
# is filled up while a killed change waits to be rolled back.
. "$(dirname "$0")/lib.sh"
needs_hooks
LAB=$ERLAB_SRC/labs/classic.ini
S=$ERLAB_STATE_DIR CU=MyTestCircuit-customer

mkdir -p "$S" && chmod 700 "$S"
mount -t tmpfs -o size=1m,mode=0700 erlab-test-state "$S" || { echo "SKIP: cannot mount a tmpfs"; exit 77; }
fill() { dd if=/dev/zero of="$S/fill" bs=4k 2>/dev/null; sync; }

expect 0 up "$LAB"
# Killed once the new VLAN is saved but before its journal ends: state and kernel say 500.
ERLAB_TEST_KILL_AFTER_SAVE=1 erl peering set MyTestCircuit --type private --vlan 500
eq "$RC" 137 "peering set killed after its state was saved"
ok '[ -e "$S/journal/open" ]' "the journal is open"
fill
# The next command rolls the kernel back to VLAN 100 but cannot save the state: it says so and
# keeps the journal (a read goes on; a change does not).
expect 0 peering get MyTestCircuit --type private
has "$ERR" "recovering an interrupted operation failed" "the failed recovery is reported"
has "$ERR" "journal is kept" "and says the journal is kept"
ok '[ -e "$S/journal/open" ]' "the journal is still there"
vlan=$(sed -n 's/^vlan_id: //p' <<<"$OUT")
eq "$(links $CU | grep -o 'primary\.[0-9]*' | grep -v 'primary\.[23]00')" "primary.$vlan" \
	"meanwhile kernel and state agree (VLAN $vlan)"
expect 1 peering set MyTestCircuit --type private --vlan 600
has "$ERR" "No space left on device" "a change refuses to build on a failed recovery, with the reason"
# Room again: the next command finishes the rollback; kernel and state agree on VLAN 100.
rm -f "$S/fill"
expect 0 peering get MyTestCircuit --type private
has "$ERR" "rolled back to its recorded state" "with room again the next command rolls back"
has "$OUT" "vlan_id: 100" "the state says VLAN 100"
ok '[ ! -e "$S/journal/open" ]' "and the journal is gone"
expect 0 status MyTestCircuit
has "$OUT" "drift: none" "kernel and state agree"
ok "pings $CU 10.0.0.2" "and the link carries traffic"
expect 0 down "$LAB"
eq "$(namespaces)" "" "nothing left"
umount "$S"
finish
