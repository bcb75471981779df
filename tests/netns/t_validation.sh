#!/bin/bash
# vm-tier: skip (datapath-independent; runs on the host, and the VM tier runs under slow TCG)
# docs/rules.md through the real binary: invalid input exits 2, refusals by state 3, not found 4, and
# nothing changes. (Every rule's exact text is unit-tested in tests/unit/test_validate.c.)
. "$(dirname "$0")/lib.sh"
C=Val CU=Val-customer

expect 2 circuit new "bad name" --bandwidth 200 --location "Silicon Valley" --provider equinix
expect 2 circuit new ../etc --bandwidth 200 --location "Silicon Valley" --provider equinix
expect 4 circuit new $C --bandwidth 300 --location "Silicon Valley" --provider equinix
has "$ERR" "The specified bandwidth 300 does not exist for the provider Equinix" "Azure's text for a bandwidth the provider does not offer"
expect 2 circuit new $C --bandwidth 0200 --location "Silicon Valley" --provider equinix
expect 4 circuit new $C --bandwidth 200 --location "Silicon Valley" --provider nosuchprovider
has "$ERR" "The provider could not be found." "Azure's text for an unknown provider"
expect 2 circuit new $C --bandwidth 200 --location "Silicon Valley" --provider equinix --service-key not-a-guid
has "$ERR" "The value not-a-guid is an invalid GUID." "Azure's text for a bad service key"
eq "$(namespaces)" "" "no namespace after refused creations"

expect 0 circuit new $C --bandwidth 200 --location "Silicon Valley" --provider equinix --provisioned
expect 3 circuit new val --bandwidth 200 --location "Silicon Valley" --provider equinix
has "$ERR" "already exists" "names differing only in case collide"
P="peering new $C --type private"
expect 0 $P --primary-subnet 10.0.0.0/30 --secondary-subnet 10.0.0.4/30 --peer-asn 1234 --vlan 100
state=$(md5sum "$ERLAB_STATE_DIR/circuits/$C.ini")
links_before=$(links $CU)

expect 3 $P --primary-subnet 10.9.0.0/30 --secondary-subnet 10.9.0.4/30 --peer-asn 1234 --vlan 101
has "$ERR" "BGP peering could not be created as it already exists." "Azure's text for a second private peering"
expect 3 peering new $C --type public --primary-subnet 131.107.0.0/30 --secondary-subnet 131.107.0.4/30 --peer-asn 1234 --vlan 100
has "$ERR" "The vlanId specified is already in use." "Azure's text for a VLAN in use"
expect 2 peering new $C --type public --primary-subnet 98.251.199.31/30 --secondary-subnet 131.107.0.4/30 --peer-asn 1234 --vlan 200
has "$ERR" "The specified BGP peer IP address '98.251.199.31/30' is not valid." "Azure's text for a host address"
expect 2 peering new $C --type public --primary-subnet 131.107.0.0/29 --secondary-subnet 131.107.0.8/30 --peer-asn 1234 --vlan 200
expect 2 peering new $C --type public --primary-subnet 10.1.0.0/30 --secondary-subnet 10.1.0.4/30 --peer-asn 1234 --vlan 200
expect 2 peering new $C --type public --primary-subnet 131.107.0.0/30 --secondary-subnet 131.107.0.0/30 --peer-asn 1234 --vlan 200
expect 2 peering new $C --type public --primary-subnet 131.107.0.0/30 --secondary-subnet 10.0.0.4/30 --peer-asn 1234 --vlan 200
for asn in 0 12076 65515 65520 23456 64496 65535 4294967295; do
	expect 2 peering new $C --type public --primary-subnet 131.107.0.0/30 --secondary-subnet 131.107.0.4/30 --peer-asn $asn --vlan 200
done
expect 2 peering new $C --type public --primary-subnet 131.107.0.0/30 --secondary-subnet 131.107.0.4/30 --peer-asn +1234 --vlan 200
for vlan in 0 4095 0x10 010 -1; do
	expect 2 peering new $C --type public --primary-subnet 131.107.0.0/30 --secondary-subnet 131.107.0.4/30 --peer-asn 1234 --vlan $vlan
done
expect 2 peering new $C --type public --primary-subnet 131.107.0.0/30 --secondary-subnet 131.107.0.4/30 --peer-asn 1234 --vlan 200 --shared-key 'abc$def'
expect 2 peering new $C --type public --primary-subnet 131.107.0.0/30 --secondary-subnet 131.107.0.4/30 --peer-asn 1234 --vlan 200 --shared-key 12345678901234567890123456
expect 2 peering new $C --type microsoft --primary-subnet 131.107.0.8/30 --secondary-subnet 131.107.0.12/30 --peer-asn 1234 --vlan 300
expect 2 peering new $C --type microsoft --primary-subnet 131.107.0.8/30 --secondary-subnet 131.107.0.12/30 --peer-asn 1234 --vlan 300 --advertised-prefixes 192.168.0.0/24
expect 2 peering new $C --type microsoft --primary-subnet 131.107.0.8/30 --secondary-subnet 131.107.0.12/30 --peer-asn 1234 --vlan 300 --advertised-prefixes 123.0.0.0/30 --registry NOPE
expect 2 peering new $C --type microsoft --primary-subnet 131.107.0.8/30 --secondary-subnet 131.107.0.12/30 --peer-asn 1234 --vlan 300 --advertised-prefixes 123.0.0.0/30 --customer-asn 65001
expect 2 peering new $C --type bogus --peer-asn 1
expect 2 peering new $C --type public --nosuchoption 1

expect 4 peering get Nope --type private
expect 4 peering get $C --type microsoft
expect 4 peering remove $C --type microsoft
expect 4 circuit remove Nope
expect 2 circuit set $C --bandwidth 100
has "$ERR" "downgrading" "bandwidth cannot go down"

eq "$(md5sum "$ERLAB_STATE_DIR/circuits/$C.ini")" "$state" "the refused commands left the state unchanged"
eq "$(links $CU)" "$links_before" "and the kernel unchanged"

expect 0 circuit deprovision $C
expect 3 peering remove $C --type private
has "$ERR" "Provisioned" "peering operations need a provisioned circuit"
expect 0 circuit remove $C
eq "$(namespaces)" "" "nothing left"
finish
