#!/bin/bash
# What only a real 802.1Q datapath can pass (issue 3): runs where the kernel has 802.1Q (the VM
# tier, or a host with the 8021q module), skips elsewhere.
#
#   Vl-customer   trunk primary   ======   trunk primary   Vl-microsoft
#                 primary.100  10.0.0.1  <-VLAN 100->  10.0.0.2  primary.100   (private)
#                 primary.200  131.107.0.1 <-VLAN 200-> .2       primary.200   (public)
#                 primary.300  131.107.0.9 <-VLAN 300-> .10      primary.300   (microsoft)
#                 (the same three on secondary)
. "$(dirname "$0")/lib.sh"
[ "$DP" = vlan ] || { echo "SKIP: no 802.1Q here (the VM tier runs this test)"; exit 77; }
C=Vl CU=Vl-customer MS=Vl-microsoft

expect 0 circuit new $C --bandwidth 1000 --location "Silicon Valley" --provider equinix --provisioned
expect 0 peering new $C --type private --primary-subnet 10.0.0.0/30 --secondary-subnet 10.0.0.4/30 --peer-asn 1234 --vlan 100
expect 0 peering new $C --type public --primary-subnet 131.107.0.0/30 --secondary-subnet 131.107.0.4/30 --peer-asn 1234 --vlan 200
expect 0 peering new $C --type microsoft --primary-subnet 131.107.0.8/30 --secondary-subnet 131.107.0.12/30 --peer-asn 1234 --vlan 300 --advertised-prefixes 123.0.0.0/30

# Read back through netlink (iproute2), not from erlab's state.
for ns in $CU $MS; do
	for side in primary secondary; do
		eq "$(link_kind $ns $side)" veth "$ns trunk $side is a veth"
		for v in 100 200 300; do
			eq "$(vlan_id $ns $side.$v)" $v "$ns $side.$v is an 802.1Q link with id $v"
			ok "ip -n $ns -d -o link show dev $side.$v | grep -q '$side.$v@$side:'" "$ns $side.$v sits on trunk $side"
		done
	done
done

# Tagged frames carry the traffic: every peering reaches its own /30 over both links ...
for a in 10.0.0.2 10.0.0.6 131.107.0.2 131.107.0.6 131.107.0.10 131.107.0.14; do
	ok "pings $CU $a" "customer reaches $a"
done
# ... and only its own: frames tagged 200 are delivered to primary.200 and never to primary.100.
rx() { ip netns exec $MS cat /sys/class/net/$1/statistics/rx_packets; }
rx100=$(rx primary.100) rx200=$(rx primary.200)
ip netns exec $CU ping -c 10 -i 0.2 -W 1 131.107.0.2 >/dev/null 2>&1
# (IPv6 neighbour discovery may add a packet or two of its own on any link.)
ok "[ \$(rx primary.100) -lt \$((rx100 + 5)) ]" "VLAN 200 traffic does not reach the VLAN 100 subinterface"
ok "[ \$(rx primary.200) -ge \$((rx200 + 10)) ]" "it arrives on the VLAN 200 subinterface"

# Moving the Microsoft side of one peering to another VLAN id (outside erlab) breaks only that peering.
ip -n $MS link del primary.100
ip -n $MS link add link primary name primary.100 type vlan id 101
ip -n $MS addr add 10.0.0.2/30 dev primary.100
ip -n $MS link set primary.100 up
ok "! pings $CU 10.0.0.2" "with the Microsoft side on VLAN 101 the private primary link is dead"
ok "pings $CU 131.107.0.2" "the public peering on the same trunk still works"
expect 0 status $C
has "$OUT" "drift: $MS/primary.100: VLAN id 101, expected 100" "status reports the VLAN id drift"
ip -n $MS link del primary.100
ip -n $MS link add link primary name primary.100 type vlan id 100
ip -n $MS addr add 10.0.0.2/30 dev primary.100
ip -n $MS link set primary.100 up
ip -n $MS link set primary.100 alias "$(alias_of $CU primary.100)"
ok "pings $CU 10.0.0.2" "back on VLAN 100 it works again"

# peering set --vlan 500 moves one peering without breaking the other two.
expect 0 peering set $C --type private --vlan 500
eq "$(vlan_id $CU primary.500):$(vlan_id $MS secondary.500)" "500:500" "the private peering is on VLAN 500"
ok "pings $CU 10.0.0.2 && pings $CU 10.0.0.6" "the private peering carries traffic on VLAN 500"
ok "pings $CU 131.107.0.2 && pings $CU 131.107.0.10" "public and Microsoft peering unaffected"

expect 0 circuit deprovision $C
expect 0 circuit remove $C
eq "$(namespaces)" "" "teardown leaves no namespace"
eq "$(ip -o link show | awk -F': ' '{print $2}' | tr '\n' ' ')" "lo " "and only lo in the test's own namespace"
finish
