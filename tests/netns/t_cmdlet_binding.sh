#!/bin/bash
# vm-tier: skip (datapath-independent; runs on the host, and the VM tier runs under slow TCG)
# The cmdlets bind their parameters as the classic module declares them and PowerShell binds them
# (docs/rules.md, "The cmdlets' parameters"): mandatory parameters, parameters a cmdlet does not
# declare, positions, [ValidateNotNullOrEmpty], .NET conversions and the common parameters.
# Binder errors print "<Cmdlet> : <text>" without a service error code and exit 2.
#
#   MyTestCircuit (Provisioned, private peering VLAN 100)
. "$(dirname "$0")/lib.sh"
C=MyTestCircuit CU=MyTestCircuit-customer MS=MyTestCircuit-microsoft

fails() {   # RC STDERR ARGS...
	local rc=$1 want=$2
	shift 2
	expect "$rc" "$@"
	eq "$ERR" "$want" "stderr of $1 ${*: -1}"
	eq "$OUT" "" "no stdout from the failed $1"
}
state() { cat "$ERLAB_STATE_DIR"/circuits/* | md5sum; }

expect 0 circuit new $C --bandwidth 200 --location "Silicon Valley" --provider equinix --provisioned
KEY=$(grep -oE '[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}' <<<"$OUT" | head -1)

## AccessType: optional (Private) on New and Get, as the module declares it; mandatory on Remove

expect 0 New-AzureBGPPeering -ServiceKey "$KEY" -PrimaryPeerSubnet 10.0.0.0/30 -SecondaryPeerSubnet 10.0.0.4/30 -PeerAsn 1234 -VlanId 100
has "$OUT" "VlanId                         : 100" "New-AzureBGPPeering without -AccessType makes the private peering"
eq "$(addrs $CU primary.100)" "10.0.0.1/30" "... in the kernel"
expect 0 Get-AzureBGPPeering -ServiceKey "$KEY"
has "$OUT" "PrimaryPeerSubnet              : 10.0.0.0/30" "Get-AzureBGPPeering without -AccessType shows the private peering"
BEFORE=$(state)
fails 2 "Remove-AzureBGPPeering : Cannot process command because of one or more missing mandatory parameters: AccessType." \
	Remove-AzureBGPPeering -ServiceKey "$KEY"
eq "$(addrs $CU primary.100)" "10.0.0.1/30" "Remove-AzureBGPPeering without -AccessType removes nothing"
eq "$(state)" "$BEFORE" "... and changes no state"
for cmdlet in Get-AzureDedicatedCircuitPeeringArpInfo Get-AzureDedicatedCircuitPeeringRouteTableSummary \
	Get-AzureDedicatedCircuitPeeringRouteTableInfo; do
	fails 2 "$cmdlet : Cannot process command because of one or more missing mandatory parameters: AccessType Path." \
		$cmdlet -ServiceKey "$KEY"
	fails 2 "$cmdlet : Cannot process command because of one or more missing mandatory parameters: Path." \
		$cmdlet -ServiceKey "$KEY" -AccessType Private
done
# The module's parameter is -Path; -DevicePath (the troubleshooting guide's) binds it too, not both.
expect 0 Get-AzureDedicatedCircuitPeeringArpInfo -ServiceKey "$KEY" -AccessType Private -Path Primary
has "$OUT" "ARP Info:" "-Path binds the device path"
fails 2 "Get-AzureDedicatedCircuitPeeringArpInfo : Cannot bind parameter because parameter 'Path' is specified more than once. To provide multiple values to parameters that can accept multiple values, use the array syntax. For example, \"-parameter value1,value2,value3\"." \
	Get-AzureDedicatedCircuitPeeringArpInfo -ServiceKey "$KEY" -AccessType Private -Path Primary -DevicePath Primary

## Parameters a cmdlet does not declare

fails 2 "New-AzureBGPPeering : A parameter cannot be found that matches parameter name 'Force'." \
	New-AzureBGPPeering -ServiceKey "$KEY" -AccessType Public -PrimaryPeerSubnet 131.107.0.0/30 -SecondaryPeerSubnet 131.107.0.4/30 -PeerAsn 1234 -VlanId 200 -Force
fails 2 "New-AzureBGPPeering : A parameter cannot be found that matches parameter name 'PassThru'." \
	New-AzureBGPPeering -ServiceKey "$KEY" -AccessType Public -PrimaryPeerSubnet 131.107.0.0/30 -SecondaryPeerSubnet 131.107.0.4/30 -PeerAsn 1234 -VlanId 200 -PassThru
fails 2 "Set-AzureBGPPeering : A parameter cannot be found that matches parameter name 'LegacyMode'." \
	Set-AzureBGPPeering -ServiceKey "$KEY" -PeerAsn 1234 -VlanId 100 -LegacyMode True
fails 2 "Set-AzureBGPPeering : A parameter cannot be found that matches parameter name 'Force'." \
	Set-AzureBGPPeering -ServiceKey "$KEY" -PeerAsn 1234 -VlanId 100 -Force
fails 2 "Get-AzureBGPPeering : A parameter cannot be found that matches parameter name 'WhatIf'." \
	Get-AzureBGPPeering -ServiceKey "$KEY" -WhatIf
# An ambiguous prefix names the declared parameters and the common ones only.
fails 2 "Remove-AzureBGPPeering : Parameter cannot be processed because the parameter name 'P' is ambiguous. Possible matches include: -PassThru -PeerAddressType -PipelineVariable." \
	Remove-AzureBGPPeering -ServiceKey "$KEY" -AccessType Private -P IPv4
# What the module declares binds: -LegacyMode on New, -PeerAddressType on Set.
expect 0 Set-AzureBGPPeering -ServiceKey "$KEY" -AccessType Private -PeerAsn 1234 -VlanId 100 -PeerAddressType IPv4
has "$OUT" "VlanId                         : 100" "Set-AzureBGPPeering takes -PeerAddressType"

## Positions: only Get-AzureDedicatedCircuit's ServiceKey binds by position

expect 0 Get-AzureDedicatedCircuit "$KEY"
has "$OUT" "CircuitName                      : $C" "Get-AzureDedicatedCircuit takes its ServiceKey by position"
fails 2 "Get-AzureBGPPeering : A positional parameter cannot be found that accepts argument '$KEY'." \
	Get-AzureBGPPeering "$KEY"
fails 2 "Remove-AzureDedicatedCircuit : A positional parameter cannot be found that accepts argument '$KEY'." \
	Remove-AzureDedicatedCircuit "$KEY"
fails 2 "Get-AzureDedicatedCircuitLink : A positional parameter cannot be found that accepts argument 'hub'." \
	Get-AzureDedicatedCircuitLink -ServiceKey "$KEY" hub

## [ValidateNotNullOrEmpty] where the module has it, and only there

for p in SharedKey PrimaryPeerSubnet SecondaryPeerSubnet AdvertisedPublicPrefixes; do
	fails 2 "Set-AzureBGPPeering : Cannot validate argument on parameter '$p'. The argument is null or empty. Provide an argument that is not null or empty, and then try the command again." \
		Set-AzureBGPPeering -ServiceKey "$KEY" -AccessType Private -PeerAsn 1234 -VlanId 100 -$p ""
done
# An empty RoutingRegistryName binds (it means none): the service then judges the peering.
expect 0 Set-AzureBGPPeering -ServiceKey "$KEY" -AccessType Private -PeerAsn 1234 -VlanId 100 -RoutingRegistryName ""
has "$OUT" "RoutingRegistryName            : " "an empty RoutingRegistryName is no registry"

## .NET conversions

# UInt32: leading zeros, blanks and a sign convert; the VLAN really is 10.
expect 0 Set-AzureBGPPeering -ServiceKey "$KEY" -AccessType Private -PeerAsn " +1234 " -VlanId 010
has "$OUT" "VlanId                         : 10" "-VlanId 010 binds 10"
eq "$(addrs $CU primary.10)" "10.0.0.1/30" "... and the peering moved to VLAN 10 in the kernel"
fails 2 "New-AzureBGPPeering : Missing an argument for parameter 'VlanId'. Specify a parameter of type 'System.UInt32' and try again." \
	New-AzureBGPPeering -ServiceKey "$KEY" -AccessType Public -VlanId
fails 2 "Set-AzureBGPPeering : Missing an argument for parameter 'VlanId'. Specify a parameter of type 'System.Nullable\`1[System.UInt32]' and try again." \
	Set-AzureBGPPeering -ServiceKey "$KEY" -VlanId
fails 2 "Set-AzureBGPPeering : Cannot bind parameter 'PeerAsn'. Cannot convert value \"-5\" to type \"System.UInt32\". Error: \"Value was either too large or too small for a UInt32.\"" \
	Set-AzureBGPPeering -ServiceKey "$KEY" -PeerAsn -5 -VlanId 10
# Enums: any case, or the value's number.
expect 0 Get-AzureBGPPeering -ServiceKey "$KEY" -AccessType pRIVATE
has "$OUT" "VlanId                         : 10" "-AccessType binds case-insensitively"
expect 0 Get-AzureBGPPeering -ServiceKey "$KEY" -AccessType 0
has "$OUT" "VlanId                         : 10" "-AccessType 0 is Private"
fails 2 "Remove-AzureBGPPeering : Cannot bind parameter 'PeerAddressType'. Cannot convert value \"IPv5\" to type \"Microsoft.WindowsAzure.Management.ExpressRoute.Models.BgpPeerAddressType\". Error: \"Unable to match the identifier name IPv5 to a valid enumerator name. Specify one of the following enumerator names and try again:
IPv4, IPv6, All\"" \
	Remove-AzureBGPPeering -ServiceKey "$KEY" -AccessType Microsoft -PeerAddressType IPv5

## PowerShell's common parameters

expect 0 Get-AzureBGPPeering -ServiceKey "$KEY" -Verbose -Debug -ErrorAction Stop -WarningAction Continue \
	-ErrorVariable e -WarningVariable w -OutVariable o -OutBuffer 10 -PipelineVariable p -InformationAction Ignore \
	-InformationVariable i
has "$OUT" "VlanId                         : 10" "the common parameters bind"
expect 0 Get-AzureBGPPeering -ServiceKey "$KEY" -ea Stop -vb -ov out
has "$OUT" "VlanId                         : 10" "... and their aliases"
fails 2 "Get-AzureBGPPeering : Cannot bind parameter 'OutBuffer'. Cannot convert value \"lots\" to type \"System.Int32\". Error: \"Input string was not in a correct format.\"" \
	Get-AzureBGPPeering -ServiceKey "$KEY" -OutBuffer lots
# -ErrorAction SilentlyContinue hides the service's error; the exit code still tells it.
expect 4 Get-AzureBGPPeering -ServiceKey "$KEY" -AccessType Public -ErrorAction SilentlyContinue
eq "$ERR" "" "-ErrorAction SilentlyContinue: no error text"
expect 4 Get-AzureBGPPeering -ServiceKey "$KEY" -AccessType Public -ea Stop
has "$ERR" "Get-AzureBGPPeering : ResourceNotFound: " "-ErrorAction Stop: the error is shown"

expect 0 Remove-AzureBGPPeering -ServiceKey "$KEY" -AccessType Private -Force
eq "$(links $CU)" "lo" "the peering is gone from the kernel"
finish
