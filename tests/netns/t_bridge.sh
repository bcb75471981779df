#!/bin/bash
# The customer side on bridges of this host (docs/layout.md, "Beyond one machine"): `customer =
# bridge:PRIMARY,SECONDARY` plugs the customer end of each link into an existing bridge, where a
# namespace standing in for a router VM is plugged too; pings cross both links, `link down` fails
# one, and erlab never makes, changes or removes the bridges or anyone else's port on them.
. "$(dirname "$0")/lib.sh"
MS=BR1-microsoft
# What a bridge is, beyond its ports: up or not, MTU, STP and VLAN filtering.
bridge_is() { ip -d -o link show dev "$1" | grep -oE '<[^>]*>|mtu [0-9]+|stp_state [0-9]|vlan_filtering [0-9]' | tr '\n' ' '; }
ports() { ip -o link show master "$1" 2>/dev/null | awk -F': ' '{sub(/@.*/, "", $2); print $2}' | sort | tr '\n' ' ' | sed 's/ $//'; }
alias_here() { ip -o link show dev "$1" 2>/dev/null | sed -n 's/.*alias \([^ \\]*\).*/\1/p'; }

# The user's bridges, and a "VM" on them: its NIC on each bridge, its own VLAN subinterfaces on the
# vlan datapath (a router sending 802.1Q tags), untagged addresses on the veth datapath.
ip link add br-p type bridge && ip link add br-s type bridge && ip link set br-p up && ip link set br-s up
ip netns add vm
for s in p s; do
	ip link add vm-$s netns vm type veth peer name vm-$s-br
	ip link set vm-$s-br master br-$s up
	ip -n vm link set vm-$s up
done
vm_addr() { # SIDE ADDRESS VLAN
	if [ "$DP" = vlan ]; then
		ip -n vm link add link vm-$1 name vm-$1.$3 type vlan id "$3" 2>/dev/null
		ip -n vm link set vm-$1.$3 up
		ip -n vm addr add "$2" dev vm-$1.$3
	else
		ip -n vm addr add "$2" dev vm-$1
	fi
}
vm_addr p 10.0.0.1/30 100
vm_addr s 10.0.0.5/30 100
brp_was=$(bridge_is br-p)

# Mistakes are refused before anything is made.
expect 2 circuit new BR0 --bandwidth 200 --location "Silicon Valley" --provider equinix --customer bridge:br-p
has "$ERR" "bridge:PRIMARY,SECONDARY" "one bridge for two links is refused, naming the form"
expect 2 circuit new BR0 --bandwidth 200 --location "Silicon Valley" --provider equinix --customer bridge:br-p,br-p
has "$ERR" "need a bridge each" "the same bridge twice is refused"
expect 2 circuit new BR0 --bandwidth 200 --location "Silicon Valley" --provider equinix --customer wire:x
has "$ERR" "use ns, bridge:PRIMARY,SECONDARY or remote:ADDRESS" "an unknown attachment is refused"
expect 4 circuit new BR0 --bandwidth 200 --location "Silicon Valley" --provider equinix --customer bridge:br-p,br-none
has "$ERR" "bridge br-none not found" "a missing bridge is named"
has "$ERR" "never makes one" "and erlab says it does not make bridges"
eq "$(namespaces)" "vm" "nothing was left by the failed create"
eq "$(ports br-p)" "vm-p-br" "the bridge kept only its own port"
eq "$(state_files)" "" "and no state"

expect 0 circuit new BR1 --bandwidth 200 --location "Silicon Valley" --provider equinix --provisioned \
	--customer bridge:br-p,br-s
KEY=$OUT K8=${OUT:0:8}
expect 0 peering new BR1 --type private --primary-subnet 10.0.0.0/30 --secondary-subnet 10.0.0.4/30 \
	--peer-asn 65010 --vlan 100
eq "$(namespaces)" "$MS vm" "no customer namespace: the customer side is the bridges"
if [ "$DP" = vlan ]; then PP=e${K8}p PS=e${K8}s; ROLE=trunk:primary; else PP=e${K8}p100 PS=e${K8}s100; ROLE=peering:private:primary; fi
eq "$(ports br-p)" "$PP vm-p-br" "the primary link's customer end is a port of br-p"
eq "$(ports br-s)" "$PS vm-s-br" "the secondary link's of br-s"
eq "$(alias_here "$PP")" "erlab:$KEY:$ROLE" "erlab's port carries its mark"
eq "$(ip -o addr show dev "$PP" scope global | wc -l)" "0" "and no address: the VM holds the customer's"
has "$(tc qdisc show dev "$PP" root)" "rate 200Mbit" "the port carries the bandwidth limit"
ok "pings vm 10.0.0.2" "the VM reaches the Microsoft edge over the primary link"
ok "pings vm 10.0.0.6" "and over the secondary link"
expect 0 status BR1
has "$OUT" "drift: none" "status: no drift"
has "$OUT" "ports on bridges br-p,br-s" "status says where the customer side is"
lacks "$OUT" "vm-p-br" "status shows only erlab's ports"

expect 0 link down BR1 primary
ok "! pings vm 10.0.0.2" "link down primary: the primary link fails"
ok "pings vm 10.0.0.6" "the secondary still carries traffic"
expect 0 link up BR1 primary
ok "pings vm 10.0.0.2" "link up: the primary link is back"

# Drift in erlab's port: off the bridge by hand.
ip link set "$PP" nomaster
expect 0 status BR1
has "$OUT" "drift: ./$PP: on no bridge, expected on bridge br-p" "status sees erlab's port taken off its bridge"
ip link set "$PP" master br-p

expect 0 circuit deprovision BR1
expect 0 circuit remove BR1
eq "$(ports br-p) | $(ports br-s)" "vm-p-br | vm-s-br" "remove takes erlab's ports at once, and only them"
eq "$(namespaces)" "vm" "and its namespace"
eq "$(bridge_is br-p)" "$brp_was" "the bridge is there, as it was"

# A lab: up, idempotent, down; [bgp] customer = bird wants a customer namespace.
cat >"$TEST_TMP/bridge.ini" <<LAB
[circuit er1]
name = BR1
bandwidth = 200
location = Silicon Valley
service_provider_name = equinix
customer = bridge:br-p,br-s

[peering er1 private]
primary_peer_subnet = 10.0.0.0/30
secondary_peer_subnet = 10.0.0.4/30
peer_asn = 65010
vlan_id = 100
LAB
# A failure at any step undoes the ports made before it, at once (the transaction).
for n in 1 2 3; do
	ERLAB_TEST_FAIL_AT_STEP=$n erl up "$TEST_TMP/bridge.ini"
	eq "$RC $(ports br-p) | $(ports br-s) | $(namespaces)" "1 vm-p-br | vm-s-br | vm" "a failure at step $n leaves no port and no namespace"
done
expect 0 up "$TEST_TMP/bridge.ini"
ip -n vm neigh flush all   # the Microsoft ends are new links, with new MAC addresses
ok "pings vm 10.0.0.2 && pings vm 10.0.0.6" "a lab's circuit on the bridges carries traffic on both links"
expect 0 up "$TEST_TMP/bridge.ini"
has "$OUT" "up to date" "a second up changes nothing"
ip link set "$(ports br-s | tr ' ' '\n' | grep '^e')" nomaster
expect 0 up "$TEST_TMP/bridge.ini"
has "$OUT" "repaired BR1" "up repairs a port taken off its bridge"
ip -n vm neigh flush all
ok "pings vm 10.0.0.6" "and the secondary link works again"
expect 0 down "$TEST_TMP/bridge.ini"
eq "$(ports br-p) | $(ports br-s) | $(namespaces)" "vm-p-br | vm-s-br | vm" "down leaves the bridges with the user's ports only"

printf '\n[bgp]\ncustomer = bird\n' >>"$TEST_TMP/bridge.ini"
expect 2 up "$TEST_TMP/bridge.ini"
has "$ERR" "customer = bird needs the customer namespace" "a customer BIRD on bridges is refused"

expect 0 up "$ERLAB_SRC/labs/classic.ini"
sed -i '/^\[bgp\]/,$d' "$TEST_TMP/bridge.ini"
expect 0 up "$TEST_TMP/bridge.ini"
expect 0 down --all
eq "$(ports br-p) | $(ports br-s) | $(namespaces)" "vm-p-br | vm-s-br | vm" "down --all takes erlab's ports too, never the bridges"
finish
