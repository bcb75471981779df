#!/bin/bash
# vm-tier: skip (datapath-independent; runs on the host, and the VM tier runs under slow TCG)
# erlab down --all removes every erlab object, even with the state dir gone, and never touches
# objects without erlab's mark (SPEC §8).
. "$(dirname "$0")/lib.sh"

expect 0 up "$ERLAB_SRC/labs/two-circuits.ini"
expect 0 circuit new Solo --bandwidth 50 --location "Silicon Valley" --provider equinix
ip netns add foreign
ip -n foreign link add f0 type veth peer name f1
expect 0 down --all
eq "$(namespaces)" "foreign" "down --all removed every erlab namespace and kept the foreign one"
eq "$(state_files)" "" "and every state file"

expect 0 up "$ERLAB_SRC/labs/two-circuits.ini"
rm -rf "$ERLAB_STATE_DIR"
expect 0 down --all
eq "$(namespaces)" "foreign" "with the state dir gone, down --all still removes the marked namespaces"
eq "$(links foreign)" "f0 f1 lo" "the foreign namespace is untouched"
ip netns del foreign
finish
