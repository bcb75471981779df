#!/bin/bash
# vm-tier: skip (datapath-independent; runs on the host, and the VM tier runs under slow TCG)
# erlab never touches a namespace without its mark (SPEC §6): a foreign namespace with the name
# erlab would use is refused and left exactly as it was.
. "$(dirname "$0")/lib.sh"
C=Mine

ip netns add $C-customer
ip -n $C-customer link add foreign0 type veth peer name foreign1
expect 3 circuit new $C --bandwidth 200 --location "Silicon Valley" --provider equinix
has "$ERR" "$C-customer" "the refusal names the namespace"
has "$ERR" "not erlab's" "the refusal says the namespace is not erlab's"
eq "$(namespaces)" "$C-customer" "the foreign namespace is still there, and nothing else"
eq "$(links $C-customer)" "foreign0 foreign1 lo" "its links are untouched"
eq "$(state_files)" "" "no state recorded"
ip netns del $C-customer

# A namespace whose mark belongs to another circuit is not adopted either.
expect 0 circuit new $C --bandwidth 200 --location "Silicon Valley" --provider equinix
key=$OUT
ip netns exec $C-microsoft ip link set lo alias "erlab:00000000-0000-4000-8000-000000000000:ns:microsoft"
expect 3 circuit remove $C
has "$ERR" "$C-microsoft" "remove refuses a namespace marked for another key"
ok "[ -e /run/netns/$C-microsoft ]" "and leaves it alone"
ip netns exec $C-microsoft ip link set lo alias "erlab:$key:ns:microsoft"
expect 0 circuit remove $C
eq "$(namespaces)" "" "with its mark back, remove cleans up"
finish
