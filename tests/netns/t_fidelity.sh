#!/bin/bash
# vm-tier: skip (datapath-independent; runs on the host, and the VM tier runs under slow TCG)
# Azure fidelity past the how-to (docs/rules.md): a Microsoft peering's config per address family,
# adding and removing one family, ValidationNeeded for a private PeerAsn, the SKU downgrade rule,
# reserved ASNs and special-purpose prefixes, the public peering warning, and the provider table.
# Each check: the exact text, the exit code and what the kernel holds afterwards.
#
#   MyTestCircuit-customer  primary.300 131.107.0.1/30 + 2a01:111:f100::1/126  MyTestCircuit-microsoft
#                           secondary.300 131.107.0.5/30 + 2a01:111:f100::5/126
. "$(dirname "$0")/lib.sh"
C=MyTestCircuit CU=MyTestCircuit-customer MS=MyTestCircuit-microsoft

state() { cat "$ERLAB_STATE_DIR"/circuits/* | md5sum; }
field() { sed -n "s/^$1 *: //p" <<<"$OUT"; }   # a property of a PowerShell list

expect 0 circuit new $C --bandwidth 200 --location "Silicon Valley" --provider equinix --provisioned --sku Premium
KEY=$(grep -oE '[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}' <<<"$OUT" | head -1)

## Microsoft peering, IPv4 first, then IPv6 added by a second New (the module's per-family New)

expect 0 New-AzureBGPPeering -AccessType Microsoft -ServiceKey "$KEY" -PrimaryPeerSubnet 131.107.0.0/30 \
	-SecondaryPeerSubnet 131.107.0.4/30 -VlanId 300 -PeerAsn 1234 -CustomerAsn 2245 \
	-AdvertisedPublicPrefixes 123.0.0.0/30 -RoutingRegistryName ARIN
lacks "$OUT" "Ipv6" "an IPv4-only peering shows the how-to's properties only"
eq "$(addrs $CU primary.300)" "131.107.0.1/30" "IPv4 on the primary link"
expect 0 New-AzureBGPPeering -AccessType Microsoft -ServiceKey "$KEY" -PeerAddressType IPv6 \
	-PrimaryPeerSubnet 2a01:111:f100::/126 -SecondaryPeerSubnet 2a01:111:f100::4/126 -VlanId 300 -PeerAsn 1234 \
	-AdvertisedPublicPrefixes 2a01:111:f200::/48 -RoutingRegistryName RIPENCC
eq "$(field AdvertisedPublicPrefixes)" "123.0.0.0/30" "adding IPv6 keeps the IPv4 prefixes"
eq "$(field AdvertisedPublicPrefixesIpv6)" "2a01:111:f200::/48" "... and sets the IPv6 ones"
eq "$(field CustomerAutonomousSystemNumber)" "2245" "... keeps the IPv4 customer ASN"
eq "$(field CustomerAutonomousSystemNumberIpv6)" "" "... the IPv6 family has none of its own"
eq "$(field RoutingRegistryNameIpv6)" "RIPENCC" "... and its own registry"
eq "$(field PrimaryPeerSubnetIpv6)" "2a01:111:f100::/126" "... and its subnets"
eq "$(addrs $CU primary.300)" "131.107.0.1/30 2a01:111:f100::1/126" "both families on the primary link"
eq "$(addrs $MS secondary.300)" "131.107.0.6/30 2a01:111:f100::6/126" "both families on the Microsoft secondary link"
ok "pings $CU 2a01:111:f100::2" "IPv6 across the primary link"
# The family exists now: a second New of it is Azure's 409; a New of it with another VLAN is refused.
expect 3 New-AzureBGPPeering -AccessType Microsoft -ServiceKey "$KEY" -PeerAddressType IPv6 \
	-PrimaryPeerSubnet 2a01:111:f100::8/126 -SecondaryPeerSubnet 2a01:111:f100::c/126 -VlanId 300 -PeerAsn 1234 \
	-AdvertisedPublicPrefixes 2a01:111:f200::/48
eq "$ERR" "New-AzureBGPPeering : ConflictError: BGP peering could not be created as it already exists." "New of a family that exists"

## Set of one family leaves the other's config alone

expect 0 Set-AzureBGPPeering -AccessType Microsoft -ServiceKey "$KEY" -PeerAddressType IPv4 -PeerAsn 1234 -VlanId 300 \
	-AdvertisedPublicPrefixes 123.0.0.0/29
eq "$(field AdvertisedPublicPrefixes)" "123.0.0.0/29" "Set -PeerAddressType IPv4 sets the IPv4 prefixes"
eq "$(field AdvertisedPublicPrefixesIpv6)" "2a01:111:f200::/48" "... and keeps the IPv6 ones"
eq "$(field AdvertisedPublicPrefixesStateIpv6)" "Configured" "... whose state is still Configured"
expect 0 Set-AzureBGPPeering -AccessType Microsoft -ServiceKey "$KEY" -PeerAddressType IPv6 -PeerAsn 1234 -VlanId 300 \
	-AdvertisedPublicPrefixes 2a01:111:f300::/48 -CustomerAsn 8076
eq "$(field AdvertisedPublicPrefixes)" "123.0.0.0/29" "Set -PeerAddressType IPv6 keeps the IPv4 prefixes"
eq "$(field AdvertisedPublicPrefixesIpv6)" "2a01:111:f300::/48" "... and sets the IPv6 ones"
eq "$(field CustomerAutonomousSystemNumber) $(field CustomerAutonomousSystemNumberIpv6)" "2245 8076" "customer ASN per family"
# A list of the other family is refused, naming where it goes.
expect 2 Set-AzureBGPPeering -AccessType Microsoft -ServiceKey "$KEY" -PeerAddressType IPv4 -PeerAsn 1234 -VlanId 300 \
	-AdvertisedPublicPrefixes 2a01:111:f300::/48
has "$ERR" "Set-AzureBGPPeering : BadRequest: -AdvertisedPublicPrefixes '2a01:111:f300::/48': The advertised public prefix '2a01:111:f300::/48' is IPv6: AdvertisedPublicPrefixes takes IPv4 prefixes." \
	"IPv6 prefixes with -PeerAddressType IPv4 are refused"

## 200 prefixes per family, not 200 in all

V4=$(for i in $(seq 0 199); do printf '123.%d.0.0/16,' "$i"; done | sed 's/,$//')
V6=$(for i in $(seq 0 199); do printf '2a01:%x::/32,' $((0x200 + i)); done | sed 's/,$//')
expect 0 Set-AzureBGPPeering -AccessType Microsoft -ServiceKey "$KEY" -PeerAddressType IPv4 -PeerAsn 1234 -VlanId 300 -AdvertisedPublicPrefixes "$V4"
expect 0 Set-AzureBGPPeering -AccessType Microsoft -ServiceKey "$KEY" -PeerAddressType IPv6 -PeerAsn 1234 -VlanId 300 -AdvertisedPublicPrefixes "$V6"
expect 0 peering get $C --type microsoft --json
eq "$(grep -o '"advertised_public_prefixes":\[[^]]*\]' <<<"$OUT" | grep -o '/16' | wc -l) $(grep -o '"advertised_public_prefixes_v6":\[[^]]*\]' <<<"$OUT" | grep -o '/32' | wc -l)" \
	"200 200" "200 IPv4 and 200 IPv6 prefixes are kept"
expect 2 Set-AzureBGPPeering -AccessType Microsoft -ServiceKey "$KEY" -PeerAddressType IPv6 -PeerAsn 1234 -VlanId 300 -AdvertisedPublicPrefixes "$V6,2a01:999::/32"
has "$ERR" "Too many advertised public prefixes: at most 200 are accepted." "201 IPv6 prefixes are refused"

## ValidationNeeded: a private PeerAsn needs a CustomerAsn for automatic validation

expect 0 Set-AzureBGPPeering -AccessType Microsoft -ServiceKey "$KEY" -PeerAddressType IPv4 -PeerAsn 65010 -VlanId 300 -AdvertisedPublicPrefixes 123.0.0.0/29
eq "$(field AdvertisedPublicPrefixesState)" "Configured" "private PeerAsn with the IPv4 CustomerAsn 2245: Configured"
eq "$(field AdvertisedPublicPrefixesStateIpv6)" "Configured" "... and IPv6 with its CustomerAsn 8076"
expect 0 Set-AzureBGPPeering -AccessType Microsoft -ServiceKey "$KEY" -PeerAddressType IPv6 -PeerAsn 65010 -VlanId 300 -CustomerAsn 0
eq "$(field AdvertisedPublicPrefixesStateIpv6)" "ValidationNeeded" "private PeerAsn without a CustomerAsn: ValidationNeeded"
eq "$(field AdvertisedPublicPrefixesState)" "Configured" "... for that family only"

## Removing one family: its addresses go, the other family and the links stay

expect 0 Remove-AzureBGPPeering -AccessType Microsoft -ServiceKey "$KEY" -PeerAddressType IPv6 -Force -PassThru
eq "$OUT" "True" "Remove -PeerAddressType IPv6 -PassThru prints True"
eq "$(addrs $CU primary.300)" "131.107.0.1/30" "the IPv6 address is gone from the customer's primary link"
eq "$(addrs $MS secondary.300)" "131.107.0.6/30" "... and from the Microsoft secondary link"
ok "pings $CU 131.107.0.2" "IPv4 still crosses the primary link"
expect 0 Get-AzureBGPPeering -AccessType Microsoft -ServiceKey "$KEY"
lacks "$OUT" "Ipv6" "Get shows no IPv6 properties any more"
eq "$(field AdvertisedPublicPrefixes)" "123.0.0.0/29" "the IPv4 config is intact"
# A family the peering does not have: nothing changes, and it says so.
BEFORE=$(state)
expect 4 Remove-AzureBGPPeering -AccessType Microsoft -ServiceKey "$KEY" -PeerAddressType IPv6 -Force
eq "$ERR" "Remove-AzureBGPPeering : ResourceNotFound: $C microsoft peering: The microsoft peering of circuit '$C' has no IPv6 configuration." \
	"removing an absent family is not found"
eq "$(state)" "$BEFORE" "... and changes no state"
eq "$(addrs $CU primary.300)" "131.107.0.1/30" "... nor the kernel"
# The module honours -PeerAddressType on Microsoft peering only: elsewhere the whole peering goes.
expect 0 peering new $C --type private --primary-subnet 10.0.0.0/30 --secondary-subnet 10.0.0.4/30 \
	--primary-subnet-v6 fd00::/126 --secondary-subnet-v6 fd00::4/126 --peer-asn 1234 --vlan 100
expect 0 Remove-AzureBGPPeering -AccessType Private -ServiceKey "$KEY" -PeerAddressType IPv6 -Force
lacks "$(links $CU)" "primary.100" "-PeerAddressType on private peering removes the whole peering"
# The native verb takes a family of private peering too.
expect 0 peering new $C --type private --primary-subnet 10.0.0.0/30 --secondary-subnet 10.0.0.4/30 \
	--primary-subnet-v6 fd00::/126 --secondary-subnet-v6 fd00::4/126 --peer-asn 1234 --vlan 100
expect 0 peering remove $C --type private --family ipv4
eq "$(addrs $CU primary.100)" "fd00::1/126" "peering remove --family ipv4 leaves the IPv6 address"
# Removing the last family removes the peering.
expect 0 Remove-AzureBGPPeering -AccessType Microsoft -ServiceKey "$KEY" -PeerAddressType IPv4 -Force
lacks "$(links $CU)" "primary.300" "removing the last family removes the peering's links"
expect 4 Get-AzureBGPPeering -AccessType Microsoft -ServiceKey "$KEY"
expect 0 peering remove $C --type private

## One pair, one family

expect 2 New-AzureBGPPeering -AccessType Private -ServiceKey "$KEY" -PrimaryPeerSubnet 10.0.0.0/30 -SecondaryPeerSubnet fd00::4/126 -PeerAsn 1234 -VlanId 100
eq "$ERR" "New-AzureBGPPeering : BadRequest: $C private peering: secondary_peer_subnet_v6=fd00::4/126: The primary peer subnet '10.0.0.0/30' is IPv4 but the secondary peer subnet 'fd00::4/126' is IPv6: both must be of one address family. (a peering takes two IPv4 /30s, two IPv6 /126s, or both pairs)" \
	"a mixed pair says so"
expect 2 peering new $C --type private --primary-subnet fd00::/126 --secondary-subnet 10.0.0.4/30 --peer-asn 1234 --vlan 100
has "$ERR" "The primary peer subnet 'fd00::/126' is IPv6 but the secondary peer subnet '10.0.0.4/30' is IPv4" "the native verb says the same"

## Reserved ASNs and special-purpose prefixes

for asn in 8074 8075 65536 65551; do
	expect 2 New-AzureBGPPeering -AccessType Private -ServiceKey "$KEY" -PrimaryPeerSubnet 10.0.0.0/30 -SecondaryPeerSubnet 10.0.0.4/30 -PeerAsn $asn -VlanId 100
	has "$ERR" "The specified peer ASN '$asn' is reserved" "PeerAsn $asn is refused"
done
expect 2 New-AzureBGPPeering -AccessType Public -ServiceKey "$KEY" -PrimaryPeerSubnet 192.88.99.0/30 -SecondaryPeerSubnet 131.107.0.4/30 -PeerAsn 1234 -VlanId 200
has "$ERR" "The specified BGP peer IP address '192.88.99.0/30' is not a public address (6to4 relay anycast (RFC 7526))." "192.88.99.0/24 is not public"
for p in 2001:0:1::/48 2002:1::/32 2001:20::/28 3fff::/20; do
	expect 2 New-AzureBGPPeering -AccessType Microsoft -ServiceKey "$KEY" -PeerAddressType IPv6 -PrimaryPeerSubnet 2a01:111:f100::/126 -SecondaryPeerSubnet 2a01:111:f100::4/126 -PeerAsn 1234 -VlanId 300 -AdvertisedPublicPrefixes $p
	has "$ERR" "The advertised public prefix '$p' is not a public address" "advertised prefix $p is refused"
done
eq "$(links $CU)" "lo" "no refused peering left anything in the kernel"

## SKU downgrade with Premium-only state

expect 0 peering new $C --type private --primary-subnet 10.0.0.0/30 --secondary-subnet 10.0.0.4/30 --peer-asn 1234 --vlan 100
for i in $(seq 1 11); do
	expect 0 vnet link $C v$i --address-space 10.$((100 + i)).0.0/16
done
BEFORE=$(state)
expect 3 Set-AzureDedicatedCircuitProperties -ServiceKey "$KEY" -Sku Standard -Force
eq "$ERR" "Set-AzureDedicatedCircuitProperties : ConflictError: circuit $C: sku=Standard: The circuit '$C' cannot be downgraded to Standard: it links 11 virtual networks, more than the 10 of a Standard circuit. (unlink 1 of them first (v1, v2, v3, v4, v5, v6, v7, v8, v9, v10, v11))" \
	"Premium to Standard with 11 VNets is refused"
eq "$(state)" "$BEFORE" "... and changes nothing"
expect 0 vnet unlink $C v11
expect 0 Set-AzureDedicatedCircuitProperties -ServiceKey "$KEY" -Sku Standard -Force
eq "$(field Sku)" "Standard" "with 10 VNets the downgrade is accepted"
for i in $(seq 1 10); do erl vnet unlink $C v$i; done

## Public peering: Azure refuses it on new circuits; erlab warns and makes it

expect 0 New-AzureBGPPeering -AccessType Public -ServiceKey "$KEY" -PrimaryPeerSubnet 131.107.0.0/30 -SecondaryPeerSubnet 131.107.0.4/30 -PeerAsn 1234 -VlanId 200
eq "$ERR" "WARNING: Public peering is deprecated: Azure no longer allows it on new ExpressRoute circuits. erlab creates it all the same, for labs and classes." \
	"New-AzureBGPPeering -AccessType Public warns"
eq "$(field VlanId)" "200" "... and makes the peering"
eq "$(addrs $CU primary.200)" "131.107.0.1/30" "... in the kernel"
expect 0 Set-AzureBGPPeering -AccessType Public -ServiceKey "$KEY" -PeerAsn 1234 -VlanId 200 -SharedKey A1B2
eq "$ERR" "" "changing an existing public peering does not warn"

## The provider table wraps at the format file's widths (Name 20, locations 30)

expect 0 Get-AzureDedicatedCircuitServiceProvider
eq "$(sed -n 2,7p <<<"$OUT")" "Name                 DedicatedCircuitLocations      DedicatedCircuitBandwidths
----                 -------------------------      --------------------------
Equinix              Silicon Valley,Washington      50Mbps:50, 100Mbps:100, 200Mbps:200, 500Mbps:500, 1Gbps:1000,
                     DC,Chicago,Dallas,Seattle,New  2Gbps:2000, 5Gbps:5000, 10Gbps:10000
                     York,Amsterdam,London,Frankfur
                     t,Singapore,Hong" "the provider table wraps its columns"
ok "! grep -q ' \$' <<<\"\$OUT\"" "no line of the table ends in a blank"
ok "[ \$(awk '{ if (length > m) m = length } END { print m }' <<<\"\$OUT\") -le 119 ]" "no line is wider than the console"
finish
