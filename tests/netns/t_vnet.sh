#!/bin/bash
# VNet links (docs/layout.md): a namespace behind the Microsoft edge with the VM's address (.4), routes
# both ways; removing private peering with a VNet linked is refused, as Azure does.
#
#   Vn-customer --primary.100--> Vn-microsoft --to-hub/to-microsoft--> Vn-hub (vm 10.1.0.4/16)
. "$(dirname "$0")/lib.sh"
C=Vn CU=Vn-customer MS=Vn-microsoft

expect 0 circuit new $C --bandwidth 200 --location "Silicon Valley" --provider equinix --provisioned
expect 3 vnet link $C hub --address-space 10.1.0.0/16
has "$ERR" "no private peering" "a VNet needs the private peering"
expect 0 peering new $C --type private --primary-subnet 10.0.0.0/30 --secondary-subnet 10.0.0.4/30 --peer-asn 1234 --vlan 100
expect 2 vnet link $C hub --address-space 10.0.0.0/16
has "$ERR" "overlaps the private peering" "a VNet may not overlap the peering subnets"
expect 2 vnet link $C customer --address-space 10.1.0.0/16
expect 2 vnet link $C waytoolongname --address-space 10.1.0.0/16
expect 2 vnet link $C hub --address-space 10.1.0.0/30
expect 0 vnet link $C hub --address-space 10.1.0.0/16,10.2.0.0/24
eq "$(namespaces)" "$C-customer $C-hub $C-microsoft" "the VNet has its own namespace"
eq "$(addrs $C-hub vm)" "10.1.0.4/16" "the vm NIC holds the VNet's first VM address"
eq "$(addrs $MS to-hub)" "10.1.0.1/16" "the Microsoft edge holds the VNet gateway address"
ok "ip -n $MS route show 10.2.0.0/24 | grep -q 'dev to-hub'" "the second address space is routed to the VNet"
ok "ip -n $C-hub route show default | grep -q 'via 10.1.0.1'" "the VNet routes back through the Microsoft edge"
eq "$(alias_of $C-hub lo)" "erlab:$(erl circuit get $C --json; json_field service_key "$OUT"):vnet:hub" "the VNet namespace carries the mark"
ip -n $CU route add 10.1.0.0/16 via 10.0.0.2
ip -n $CU route add 10.1.0.0/16 via 10.0.0.6 metric 10
ok "pings $CU 10.1.0.4" "the customer reaches the VM over the circuit"
expect 3 vnet link $C hub --address-space 10.3.0.0/16
has "$ERR" "already linked" "a VNet name is linked once"
expect 2 vnet link $C spoke --address-space 10.1.128.0/17
has "$ERR" "overlaps" "VNets of one circuit may not overlap"

expect 3 peering remove $C --type private
has "$ERR" "unlink all virtual networks first" "private peering removal refused while a VNet is linked"
expect 0 circuit get $C
has "$OUT" "hub" "circuit get lists the VNet"

# The cmdlet face drives the same objects.
KEY=$(erl circuit get $C --json; json_field service_key "$OUT")
expect 0 New-AzureDedicatedCircuitLink -ServiceKey "$KEY" -VNetName spoke -AddressSpace 10.5.0.0/16
has "$OUT" "Provisioned spoke" "New-AzureDedicatedCircuitLink prints the link"
eq "$(addrs $C-spoke vm)" "10.5.0.4/16" "and builds the VNet"
expect 0 Get-AzureDedicatedCircuitLink -ServiceKey "$KEY"
has "$OUT" "Provisioned hub" "Get-AzureDedicatedCircuitLink lists hub"
has "$OUT" "Provisioned spoke" "and spoke"
expect 0 Remove-AzureDedicatedCircuitLink -ServiceKey "$KEY" -VNetName spoke
lacks " $(namespaces) " " $C-spoke " "Remove-AzureDedicatedCircuitLink removes the VNet namespace"

expect 4 vnet unlink $C nosuch
expect 0 vnet unlink $C hub
eq "$(namespaces)" "$C-customer $C-microsoft" "unlink removes the VNet namespace"
expect 0 peering remove $C --type private
expect 3 vnet link $C hub --address-space 10.1.0.0/16
expect 0 circuit deprovision $C
expect 0 circuit remove $C
eq "$(namespaces)" "" "nothing left"

# From a lab file: [vnet ID NAME].
sed 's/^$//' "$ERLAB_SRC/labs/classic.ini" >"$TEST_TMP/vnet.ini"
printf '\n[vnet er1 hub]\naddress_space = 10.1.0.0/16\n' >>"$TEST_TMP/vnet.ini"
expect 0 up "$TEST_TMP/vnet.ini"
eq "$(addrs MyTestCircuit-hub vm)" "10.1.0.4/16" "a lab's [vnet] section links the VNet"
expect 0 status MyTestCircuit
has "$OUT" "vnet hub" "status lists the VNet"
ip -n MyTestCircuit-microsoft link del to-hub
ip netns del MyTestCircuit-hub
expect 0 status MyTestCircuit
has "$OUT" "drift: MyTestCircuit-hub: namespace of virtual network hub missing" "status shows a VNet deleted by hand"
expect 0 up "$TEST_TMP/vnet.ini"
has "$OUT" "repaired MyTestCircuit" "up repairs it"
eq "$(addrs MyTestCircuit-hub vm)" "10.1.0.4/16" "the VNet is back"
sed -i 's|^address_space = 10.1.0.0/16|address_space = 10.7.0.0/16|' "$TEST_TMP/vnet.ini"
expect 0 up "$TEST_TMP/vnet.ini"
eq "$(addrs MyTestCircuit-hub vm)" "10.7.0.4/16" "editing the VNet's address space rebuilds it"
expect 0 down "$TEST_TMP/vnet.ini"
eq "$(namespaces)" "" "down removes the VNet namespace too"
finish
