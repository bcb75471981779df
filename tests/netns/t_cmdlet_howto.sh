#!/bin/bash
# vm-tier: skip (datapath-independent; runs on the host, and the VM tier runs under slow TCG)
# Every PowerShell example of the classic peering how-to
# (Azure's classic peering how-to; README, "The how-to's cmdlets"), run verbatim with `erlab` in front; the output
# is compared field by field (and then as a whole) with the how-to's "Return:" blocks, and the
# kernel objects are checked with iproute2.
#
#   MyTestCircuit-customer                           MyTestCircuit-microsoft
#   primary.<vlan>   <net>.1/30  <--------------->  <net>.2/30   primary.<vlan>
#   secondary.<vlan> <net>.5/30  <--------------->  <net>.6/30   secondary.<vlan>
#
# Where the output differs from the how-to, on purpose:
#  - the real service key stands where the how-to prints asterisks;
#  - PrimaryAzurePort / SecondaryAzurePort, blank in the how-to, are filled by erlab with the
#    Microsoft-side port, "MyTestCircuit-microsoft/primary.<vlan>" (docs/layout.md);
#  - the how-to's Microsoft peering Return: block shows 10.0.0.0/30 and 10.0.0.4/30, contradicting
#    the 131.107.0.0/30 and 131.107.0.4/30 it was created with (the how-to's output): erlab prints the
#    subnets as created.
. "$(dirname "$0")/lib.sh"
C=MyTestCircuit CU=MyTestCircuit-customer MS=MyTestCircuit-microsoft
STARS='*********************************'

expect 0 circuit new $C --bandwidth 200 --location "Silicon Valley" --provider equinix --provisioned
KEY=$(grep -oE '[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}' <<<"$OUT" | head -1)
ok '[ -n "$KEY" ]' "circuit new gives a service key"

# The how-to's block with the real key and, for VLAN $2, erlab's ports; $3 replaces the subnets'
# network prefix (the Microsoft block's 10.0.0.x) when given.
expected() {
	local block=$1 vlan=${2:-} net=${3:-}
	block=${block//"$STARS"/$KEY}
	if [ -n "$vlan" ]; then
		block=$(sed -e "s|^\(PrimaryAzurePort *: \)\$|\1$MS/primary.$vlan|" \
			-e "s|^\(SecondaryAzurePort *: \)\$|\1$MS/secondary.$vlan|" <<<"$block")
	fi
	[ -n "$net" ] && block=$(sed -e "s#^\(\(Primary\|Secondary\)PeerSubnet *: \)10\.0\.0\.#\1$net.#" <<<"$block")
	printf '%s' "$block"
}

# Each "Name : value" line of the expected block against the same field of $OUT, then the whole
# output byte for byte (PowerShell's list format: a blank line, the block; trailing blank lines are
# cut by the shell on both sides).
compare() {
	local label=$1 want=$2 line name value got
	while IFS= read -r line; do
		name=${line%% *}
		value=${line#* : }
		got=$(grep -m1 "^$name  *: " <<<"$OUT" | sed 's/^[^:]*: //')
		eq "$got" "$value" "$label: $name"
	done <<<"$want"
	eq "$OUT" $'\n'"$want" "$label: the whole output"
}

peering_kernel() {   # VLAN NET: both links of the peering, addressed, on both sides, ping
	local vlan=$1 net=$2 side ns host
	for side in customer microsoft; do
		ns=$C-$side
		host=1; [ $side = microsoft ] && host=2
		eq "$(addrs $ns primary.$vlan)" "$net.$host/30" "$side primary.$vlan has $net.$host/30"
		eq "$(addrs $ns secondary.$vlan)" "$net.$((host + 4))/30" "$side secondary.$vlan has $net.$((host + 4))/30"
		ok "is_up $ns primary.$vlan && is_up $ns secondary.$vlan" "$side peering links on VLAN $vlan are up"
		eq "$(link_kind $ns primary.$vlan)" "$(peering_link_kind)" "$side primary.$vlan is a $(peering_link_kind) link"
		[ "$DP" = vlan ] && eq "$(vlan_id $ns primary.$vlan)" "$vlan" "$side primary.$vlan is 802.1Q id $vlan"
	done
	ok "pings $CU $net.2 && pings $CU $net.6" "both links of VLAN $vlan carry traffic"
}

no_peering_links() {
	local side want
	if [ "$DP" = vlan ]; then want="lo primary secondary"; else want="lo"; fi
	for side in customer microsoft; do
		eq "$(links $C-$side)" "$want" "$side has no peering link left"
	done
}

CIRCUIT_RETURN='Bandwidth                        : 200
CircuitName                      : MyTestCircuit
Location                         : Silicon Valley
ServiceKey                       : *********************************
ServiceProviderName              : equinix
ServiceProviderProvisioningState : Provisioned
Sku                              : Standard
Status                           : Enabled'

PRIVATE_RETURN='AdvertisedPublicPrefixes       : 
AdvertisedPublicPrefixesState  : Configured
AzureAsn                       : 12076
CustomerAutonomousSystemNumber : 
PeerAsn                        : 1234
PrimaryAzurePort               : 
PrimaryPeerSubnet              : 10.0.0.0/30
RoutingRegistryName            : 
SecondaryAzurePort             : 
SecondaryPeerSubnet            : 10.0.0.4/30
State                          : Enabled
VlanId                         : 100'

MICROSOFT_RETURN='AdvertisedPublicPrefixes       : 123.0.0.0/30
AdvertisedPublicPrefixesState  : Configured
AzureAsn                       : 12076
CustomerAutonomousSystemNumber : 2245
PeerAsn                        : 1234
PrimaryAzurePort               : 
PrimaryPeerSubnet              : 10.0.0.0/30
RoutingRegistryName            : ARIN
SecondaryAzurePort             : 
SecondaryPeerSubnet            : 10.0.0.4/30
State                          : Enabled
VlanId                         : 300'

## Azure private peering

# "Check the ExpressRoute circuit to make sure it is provisioned."
expect 0 Get-AzureDedicatedCircuit -ServiceKey "$KEY"
compare "Get-AzureDedicatedCircuit" "$(expected "$CIRCUIT_RETURN")"
has "$OUT" "ServiceProviderProvisioningState : Provisioned" "the circuit shows as Provisioned"
has "$OUT" "Status                           : Enabled" "the circuit shows as Enabled"

# "To create Azure private peering" (without, then with the MD5 hash; the how-to offers either).
expect 0 New-AzureBGPPeering -AccessType Private -ServiceKey "$KEY" -PrimaryPeerSubnet "10.0.0.0/30" -SecondaryPeerSubnet "10.0.0.4/30" -PeerAsn 1234 -VlanId 100
compare "New-AzureBGPPeering Private" "$(expected "$PRIVATE_RETURN" 100)"
peering_kernel 100 10.0.0
expect 0 Remove-AzureBGPPeering -AccessType Private -ServiceKey "$KEY"
no_peering_links
expect 0 New-AzureBGPPeering -AccessType Private -ServiceKey "$KEY" -PrimaryPeerSubnet "10.0.0.0/30" -SecondaryPeerSubnet "10.0.0.4/30" -PeerAsn 1234 -VlanId 100 -SharedKey "A1B2C3D4"
compare "New-AzureBGPPeering Private -SharedKey" "$(expected "$PRIVATE_RETURN" 100)"
lacks "$OUT" "A1B2C3D4" "the shared key is never printed"
peering_kernel 100 10.0.0

# "To view Azure private peering details"
expect 0 Get-AzureBGPPeering -AccessType Private -ServiceKey "$KEY"
compare "Get-AzureBGPPeering Private" "$(expected "$PRIVATE_RETURN" 100)"

# "To update Azure private peering configuration": VLAN 100 -> 500.
expect 0 Set-AzureBGPPeering -AccessType Private -ServiceKey "$KEY" -PrimaryPeerSubnet "10.0.0.0/30" -SecondaryPeerSubnet "10.0.0.4/30" -PeerAsn 1234 -VlanId 500 -SharedKey "A1B2C3D4"
PRIVATE_500=$(sed 's/^\(VlanId *: \)100$/\1500/' <<<"$PRIVATE_RETURN")
compare "Set-AzureBGPPeering Private" "$(expected "$PRIVATE_500" 500)"
peering_kernel 500 10.0.0
for side in customer microsoft; do
	lacks " $(links $C-$side) " " primary.100 " "$side primary.100 is gone after the update"
done
expect 0 Get-AzureBGPPeering -AccessType Private -ServiceKey "$KEY"
compare "Get-AzureBGPPeering Private after Set" "$(expected "$PRIVATE_500" 500)"

# "To delete Azure private peering"
expect 0 Remove-AzureBGPPeering -AccessType Private -ServiceKey "$KEY"
eq "$OUT$ERR" "" "Remove-AzureBGPPeering prints nothing"
no_peering_links

## Microsoft peering

expect 0 Get-AzureDedicatedCircuit -ServiceKey "$KEY"
compare "Get-AzureDedicatedCircuit (Microsoft section)" "$(expected "$CIRCUIT_RETURN")"

expect 0 New-AzureBGPPeering -AccessType Microsoft -ServiceKey "$KEY" -PrimaryPeerSubnet "131.107.0.0/30" -SecondaryPeerSubnet "131.107.0.4/30" -VlanId 300 -PeerAsn 1234 -CustomerAsn 2245 -AdvertisedPublicPrefixes "123.0.0.0/30" -RoutingRegistryName "ARIN" -SharedKey "A1B2C3D4"
compare "New-AzureBGPPeering Microsoft" "$(expected "$MICROSOFT_RETURN" 300 131.107.0)"
peering_kernel 300 131.107.0

expect 0 Get-AzureBGPPeering -AccessType Microsoft -ServiceKey "$KEY"
compare "Get-AzureBGPPeering Microsoft" "$(expected "$MICROSOFT_RETURN" 300 131.107.0)"

expect 0 Set-AzureBGPPeering -AccessType Microsoft -ServiceKey "$KEY" -PrimaryPeerSubnet "131.107.0.0/30" -SecondaryPeerSubnet "131.107.0.4/30" -VlanId 300 -PeerAsn 1234 -CustomerAsn 2245 -AdvertisedPublicPrefixes "123.0.0.0/30" -RoutingRegistryName "ARIN" -SharedKey "A1B2C3D4"
compare "Set-AzureBGPPeering Microsoft" "$(expected "$MICROSOFT_RETURN" 300 131.107.0)"
peering_kernel 300 131.107.0

expect 0 Remove-AzureBGPPeering -AccessType Microsoft -ServiceKey "$KEY"
eq "$OUT$ERR" "" "Remove-AzureBGPPeering Microsoft prints nothing"
no_peering_links

## Beyond the how-to: the diagnostics and the circuit cmdlets on the same circuit

expect 0 New-AzureBGPPeering -ServiceKey "$KEY" -PrimaryPeerSubnet 10.0.0.0/30 -SecondaryPeerSubnet 10.0.0.4/30 -PeerAsn 1234 -VlanId 100
pings $CU 10.0.0.2
expect 0 Get-AzureDedicatedCircuitPeeringArpInfo -ServiceKey "$KEY" -AccessType Private -DevicePath Primary
eq "$(sed -n 1,3p <<<"$OUT")" "ARP Info:

             Age           Interface           IpAddress          MacAddress" "ARP info: title and columns"
ok "grep -Eq '^ +[0-9]+ +On-Prem +10\.0\.0\.1 +[0-9a-f]{4}\.[0-9a-f]{4}\.[0-9a-f]{4}\$' <<<\"\$OUT\"" \
	"ARP info: the customer's address seen from the Microsoft side"
ok "grep -Eq '^ +0 +Microsoft +10\.0\.0\.2 +[0-9a-f]{4}\.[0-9a-f]{4}\.[0-9a-f]{4}\$' <<<\"\$OUT\"" \
	"ARP info: the Microsoft side's own address"
expect 0 Get-AzureDedicatedCircuitPeeringArpInfo -ServiceKey "$KEY" -AccessType Public -Path Secondary
eq "$OUT" "ARP Info:" "ARP info of a missing peering: the title alone"
expect 0 Get-AzureDedicatedCircuitPeeringRouteTableSummary -ServiceKey "$KEY" -AccessType Private -DevicePath Primary
eq "$OUT" "Route Table Summary:

        Neighbor                   V                  AS              UpDown         StatePfxRcd" "route table summary: no BGP speaker, no rows"
expect 0 Get-AzureDedicatedCircuitPeeringRouteTableInfo -ServiceKey "$KEY" -AccessType Private -DevicePath Secondary
eq "$OUT" "Route Table Info:

         Network             NextHop              LocPrf              Weight                Path" "route table info: no BGP speaker, no rows"
expect 0 Get-AzureDedicatedCircuitStats -ServiceKey "$KEY" -AccessType Private
eq "$(sed -n 2,3p <<<"$OUT")" "PrimaryBytesIn PrimaryBytesOut SecondaryBytesIn SecondaryBytesOut
-------------- --------------- ---------------- -----------------" "stats: PowerShell table header"
ok "[[ \$(sed -n 4p <<<\"\$OUT\") =~ ^\ *[1-9][0-9]*\ +[1-9][0-9]*\ +[0-9]+\ +[0-9]+\$ ]]" \
	"stats: the primary link has counted the ping"

expect 0 Set-AzureDedicatedCircuitProperties -ServiceKey "$KEY" -Bandwidth 500 -Force
has "$OUT" "Bandwidth                        : 500" "Set-AzureDedicatedCircuitProperties prints the new bandwidth"
expect 0 Remove-AzureBGPPeering -ServiceKey "$KEY" -AccessType Private -PassThru
eq "$OUT" "True" "Remove-AzureBGPPeering -PassThru prints True"
expect 0 circuit deprovision $C
expect 0 Remove-AzureDedicatedCircuit -ServiceKey "$KEY" -Force -PassThru
eq "$OUT" "True" "Remove-AzureDedicatedCircuit -PassThru prints True"
eq "$(namespaces)" "" "no namespace left"
expect 0 Get-AzureDedicatedCircuit
eq "$OUT" "" "Get-AzureDedicatedCircuit without circuits prints nothing"

finish
