#!/bin/bash
# All three access types on one circuit, IPv4 and IPv6, each peering on its own VLAN and /30.
#
#   customer                                           microsoft
#   primary.100  10.0.0.1/30, fd00::1/126     <->  10.0.0.2, fd00::2       (private)
#   primary.200  131.107.0.1/30               <->  131.107.0.2             (public)
#   primary.300  131.107.0.9/30, 2a01:111:f100::1/126 <-> .10, ::2         (microsoft)
#   (and the same on secondary)
. "$(dirname "$0")/lib.sh"
C=Types CU=Types-customer MS=Types-microsoft

expect 0 circuit new $C --bandwidth 1000 --location "Silicon Valley" --provider equinix --provisioned
expect 0 peering new $C --type private --primary-subnet 10.0.0.0/30 --secondary-subnet 10.0.0.4/30 --primary-subnet-v6 fd00::/126 --secondary-subnet-v6 fd00::4/126 --peer-asn 65001 --vlan 100
expect 0 peering new $C --type public --primary-subnet 131.107.0.0/30 --secondary-subnet 131.107.0.4/30 --peer-asn 1234 --vlan 200
expect 0 peering new $C --type microsoft --primary-subnet 131.107.0.8/30 --secondary-subnet 131.107.0.12/30 --primary-subnet-v6 2a01:111:f100::/126 --secondary-subnet-v6 2a01:111:f100::4/126 --peer-asn 1234 --customer-asn 2245 --vlan 300 --advertised-prefixes 123.0.0.0/30 --advertised-prefixes-v6 2a01:111:f200::/48 --registry ARIN

eq "$(addrs $CU primary.100)" "10.0.0.1/30 fd00::1/126" "private primary: IPv4 and IPv6 customer addresses"
eq "$(addrs $MS secondary.100)" "10.0.0.6/30 fd00::6/126" "private secondary: Microsoft addresses"
eq "$(addrs $CU primary.200)" "131.107.0.1/30" "public primary: customer address"
eq "$(addrs $MS primary.300)" "131.107.0.10/30 2a01:111:f100::2/126" "microsoft primary: Microsoft addresses"
ok "! ip -n $CU -6 addr show dev primary.300 scope global | grep -q tentative" "IPv6 addresses skip DAD"
for a in 10.0.0.2 10.0.0.6 131.107.0.2 131.107.0.6 131.107.0.10 131.107.0.14 fd00::2 fd00::6 2a01:111:f100::2 2a01:111:f100::6; do
	ok "pings $CU $a" "customer reaches $a"
done
if [ "$DP" = vlan ]; then
	for v in 100 200 300; do
		eq "$(vlan_id $MS primary.$v)" $v "microsoft primary.$v is 802.1Q id $v"
	done
fi
expect 0 peering get $C --type microsoft --json
has "$OUT" '"customer_asn":2245' "microsoft peering keeps the customer ASN"
has "$OUT" "2a01:111:f200::/48" "microsoft peering keeps the IPv6 prefix"

expect 0 peering remove $C --type public
lacks " $(links $CU) " " primary.200 " "public peering links are gone"
eq "$(addrs $CU primary.100)" "10.0.0.1/30 fd00::1/126" "private peering untouched by the public removal"
ok "pings $CU 131.107.0.10" "microsoft peering still carries traffic"

expect 0 circuit deprovision $C
expect 0 circuit remove $C
eq "$(namespaces)" "" "no namespace left"
finish
