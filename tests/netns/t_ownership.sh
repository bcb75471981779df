#!/bin/bash
# vm-tier: skip (datapath-independent; runs on the host, and the VM tier runs under slow TCG)
# erlab never touches a namespace without its mark (docs/layout.md): a foreign namespace with the name
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
# The customer namespace goes after the Microsoft one: its refusal must still come before that.
expect 0 circuit provision $C
expect 0 peering new $C --type private --primary-subnet 10.0.0.0/30 --secondary-subnet 10.0.0.4/30 --peer-asn 65001 --vlan 100
expect 0 circuit deprovision $C
ip netns exec $C-customer ip link set lo alias "erlab:00000000-0000-4000-8000-000000000000:ns:customer"
expect 3 circuit remove $C
has "$ERR" "$C-customer" "remove refuses the customer namespace marked for another key"
eq "$(links $C-microsoft)" "lo primary.100 secondary.100" "and removed nothing first: the Microsoft side keeps its links"
eq "$(state_files)" "$C.ini" "and the circuit keeps its state"
ip netns exec $C-customer ip link set lo alias "erlab:$key:ns:customer"
# Links too (docs/layout.md): a link of erlab's name that is not erlab's is never deleted. The circuit's
# primary.100 pair is replaced by one made by hand; peering remove refuses before removing anything.
expect 0 circuit provision $C
ip -n $C-customer link del primary.100
ip -n $C-customer link add primary.100 type veth peer name hand0
expect 3 peering remove $C --type private
has "$ERR" "$C-customer/primary.100" "peering remove names the link that is not erlab's"
has "$ERR" "not erlab's" "and says why"
eq "$(links $C-customer)" "hand0 lo primary.100 secondary.100" "the hand-made pair and erlab's secondary link are untouched"
ip -n $C-customer link set primary.100 alias "erlab:00000000-0000-4000-8000-000000000000:peering:private:primary"
expect 3 peering remove $C --type private
has "$ERR" "$C-customer/primary.100" "a link marked for another circuit is refused too"
ip -n $C-customer link del primary.100
expect 0 peering remove $C --type private
eq "$(links $C-customer)" "lo" "with the hand-made link gone, the peering is removed"
expect 0 circuit deprovision $C
expect 0 circuit remove $C
eq "$(namespaces)" "" "with its mark back, remove cleans up"

# `down LAB` reads the marks of all the lab's namespaces up front, each from inside it
# (netns_marks_load): the same rules hold there. One namespace has a netns id in ours already (no
# matter now), one is replaced by a foreign namespace of the same name, one carries another
# circuit's mark.
LAB=$ERLAB_SRC/labs/two-circuits.ini
expect 0 up "$LAB"
ip netns set SiliconValley-customer 7
ip netns del WashingtonDC-customer
ip netns add WashingtonDC-customer
ip -n WashingtonDC-customer link set lo up alias foreign-mark
expect 3 down "$LAB"
has "$ERR" "WashingtonDC-customer" "down refuses the replaced namespace, by name"
has "$ERR" "not erlab's" "and says it is not erlab's"
eq "$(namespaces)" "WashingtonDC-customer WashingtonDC-microsoft" "SiliconValley (marked, with an id) is gone, the refused circuit stays"
eq "$(alias_of WashingtonDC-customer lo)" "foreign-mark" "the foreign namespace is untouched"
ip -n WashingtonDC-customer link set lo alias "erlab:00000000-0000-4000-8000-000000000000:ns:customer"
expect 3 down "$LAB"
has "$ERR" "WashingtonDC-customer" "down refuses a namespace marked for another circuit"
key=$(sed -n 's/^service_key = //p' "$ERLAB_STATE_DIR/circuits/WashingtonDC.ini")
ip -n WashingtonDC-customer link set lo alias "erlab:$key:ns:customer"
expect 0 down "$LAB"
eq "$(namespaces)" "" "with its mark back, down removes the rest"
eq "$(state_files)" "" "and its state"
finish
