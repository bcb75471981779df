#!/bin/bash
# vm-tier: skip (datapath-independent; runs on the host, and the VM tier runs under slow TCG)
# The cmdlet face's errors: one check per text, stderr compared exactly ("<Cmdlet> : <Code>:
# <Message>" for the service's, "<Cmdlet> : <text>" for PowerShell's binder; the cmdlet in its
# canonical spelling whatever case was typed) and the exit code
# (docs/rules.md#exit-codes). Azure's and PowerShell's recorded texts are verbatim; erlab's own texts carry the
# object and the value (err_format) and are only checked for those.
#
#   MyTestCircuit (Provisioned, private peering VLAN 100)      Spare (NotProvisioned)
. "$(dirname "$0")/lib.sh"
C=MyTestCircuit
ZERO=00000000-0000-0000-0000-000000000000

# fails RC STDERR CMDLET ARGS...
fails() {
	local rc=$1 want=$2
	shift 2
	expect "$rc" "$@"
	eq "$ERR" "$want" "stderr of $1"
	eq "$OUT" "" "no stdout from the failed $1"
}

expect 0 circuit new $C --bandwidth 200 --location "Silicon Valley" --provider equinix --provisioned
KEY=$(grep -oE '[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}' <<<"$OUT" | head -1)
expect 0 New-AzureBGPPeering -ServiceKey "$KEY" -PrimaryPeerSubnet 10.0.0.0/30 -SecondaryPeerSubnet 10.0.0.4/30 -PeerAsn 1234 -VlanId 100
expect 0 circuit new Spare --bandwidth 50 --location "Silicon Valley" --provider equinix
SPARE=$(grep -oE '[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}' <<<"$OUT" | head -1)
STATE_BEFORE=$(cat "$ERLAB_STATE_DIR"/circuits/* | md5sum)
LINKS_BEFORE="$(links $C-customer) / $(links $C-microsoft)"

## Parameter binding (PowerShell's own texts, without a service error code; more in t_cmdlet_binding)

fails 2 "Get-AzureDedicatedCircuit : A parameter cannot be found that matches parameter name 'Foo'." \
	get-azurededicatedcircuit -Foo bar
# Prefixes match the common parameters too (-PipelineVariable).
fails 2 "New-AzureBGPPeering : Parameter cannot be processed because the parameter name 'P' is ambiguous. Possible matches include: -PeerAddressType -PeerAsn -PipelineVariable -PrimaryPeerSubnet." \
	New-AzureBGPPeering -ServiceKey "$KEY" -P 1234
fails 2 "Get-AzureBGPPeering : Missing an argument for parameter 'ServiceKey'. Specify a parameter of type 'System.Guid' and try again." \
	Get-AzureBGPPeering -ServiceKey
fails 2 "Get-AzureBGPPeering : Cannot bind parameter because parameter 'AccessType' is specified more than once. To provide multiple values to parameters that can accept multiple values, use the array syntax. For example, \"-parameter value1,value2,value3\"." \
	Get-AzureBGPPeering -ServiceKey "$KEY" -AccessType Private -access Public
fails 2 "Get-AzureDedicatedCircuit : A positional parameter cannot be found that accepts argument 'extra'." \
	Get-AzureDedicatedCircuit "$KEY" extra
# Missing mandatory parameters, in the order the module declares them.
fails 2 "New-AzureBGPPeering : Cannot process command because of one or more missing mandatory parameters: PeerAsn SecondaryPeerSubnet VlanId." \
	New-AzureBGPPeering -ServiceKey "$KEY" -PrimaryPeerSubnet 10.0.0.8/30
fails 2 "New-AzureDedicatedCircuit : Cannot validate argument on parameter 'CircuitName'. The argument is null or empty. Provide an argument that is not null or empty, and then try the command again." \
	New-AzureDedicatedCircuit -CircuitName "" -Bandwidth 50 -Location "Silicon Valley" -ServiceProviderName equinix
fails 2 "Get-AzureBGPPeering : Cannot bind parameter 'AccessType'. Cannot convert value \"Bogus\" to type \"Microsoft.WindowsAzure.Management.ExpressRoute.Models.BgpPeeringAccessType\". Error: \"Unable to match the identifier name Bogus to a valid enumerator name. Specify one of the following enumerator names and try again:
Private, Public, Microsoft\"" \
	Get-AzureBGPPeering -ServiceKey "$KEY" -AccessType Bogus
fails 2 "New-AzureDedicatedCircuit : Cannot bind parameter 'Sku'. Cannot convert value \"Gold\" to type \"Microsoft.WindowsAzure.Management.ExpressRoute.Models.CircuitSku\". Error: \"Unable to match the identifier name Gold to a valid enumerator name. Specify one of the following enumerator names and try again:
Standard, Premium\"" \
	New-AzureDedicatedCircuit -CircuitName X -Bandwidth 50 -Location "Silicon Valley" -ServiceProviderName equinix -Sku Gold
fails 2 "New-AzureBGPPeering : Cannot bind parameter 'PeerAsn'. Cannot convert value \"abc\" to type \"System.UInt32\". Error: \"Input string was not in a correct format.\"" \
	New-AzureBGPPeering -ServiceKey "$KEY" -AccessType Public -PrimaryPeerSubnet 131.107.0.0/30 -SecondaryPeerSubnet 131.107.0.4/30 -PeerAsn abc -VlanId 200
fails 2 "New-AzureBGPPeering : Cannot bind parameter 'VlanId'. Cannot convert value \"99999999999\" to type \"System.UInt32\". Error: \"Value was either too large or too small for a UInt32.\"" \
	New-AzureBGPPeering -ServiceKey "$KEY" -AccessType Public -PrimaryPeerSubnet 131.107.0.0/30 -SecondaryPeerSubnet 131.107.0.4/30 -PeerAsn 1234 -VlanId 99999999999
fails 2 "Remove-AzureBGPPeering : Cannot process argument transformation on parameter 'PassThru'. Cannot convert value \"maybe\" to type \"System.Management.Automation.SwitchParameter\". Boolean parameters accept only Boolean values and numbers, such as \$True, \$False, 1 or 0." \
	Remove-AzureBGPPeering -ServiceKey "$KEY" -AccessType Private -PassThru:maybe
fails 2 "Get-AzureDedicatedCircuitPeeringArpInfo : Cannot process command because of one or more missing mandatory parameters: AccessType Path." \
	Get-AzureDedicatedCircuitPeeringArpInfo -ServiceKey "$KEY"
fails 2 "Get-AzureDedicatedCircuitPeeringArpInfo : Cannot bind parameter 'Path'. Cannot convert value \"Tertiary\" to type \"Microsoft.WindowsAzure.Management.ExpressRoute.DevicePath\". Error: \"Unable to match the identifier name Tertiary to a valid enumerator name. Specify one of the following enumerator names and try again:
Primary, Secondary\"" \
	Get-AzureDedicatedCircuitPeeringArpInfo -ServiceKey "$KEY" -AccessType Private -DevicePath Tertiary
fails 2 "Get-AzureDedicatedCircuit : Cannot bind parameter 'ServiceKey'. Cannot convert value \"not-a-guid\" to type \"System.Guid\". Error: \"Guid should contain 32 digits with 4 dashes (xxxxxxxx-xxxx-xxxx-xxxx-xxxxxxxxxxxx).\"" \
	Get-AzureDedicatedCircuit -ServiceKey "not-a-guid"
# Remove-AzureDedicatedCircuitLink's ServiceKey is a string with the module's [ValidateGuid].
fails 2 "Remove-AzureDedicatedCircuitLink : Cannot validate argument on parameter 'ServiceKey'. The value not-a-guid is an invalid GUID." \
	Remove-AzureDedicatedCircuitLink -ServiceKey "not-a-guid" -VNetName hub

## Client-side cmdlet checks (the module throws them itself: no service code)

# PeerAsn and VlanId are mandatory on Set-AzureBGPPeering: the binder asks for them first.
fails 2 "Set-AzureBGPPeering : Cannot process command because of one or more missing mandatory parameters: PeerAsn." \
	Set-AzureBGPPeering -ServiceKey "$KEY" -AccessType Public -VlanId 200 -PrimaryPeerSubnet 131.107.0.0/30 -SecondaryPeerSubnet 131.107.0.4/30
fails 2 "Set-AzureBGPPeering : Cannot process command because of one or more missing mandatory parameters: VlanId." \
	Set-AzureBGPPeering -ServiceKey "$KEY" -AccessType Public -PeerAsn 1234 -PrimaryPeerSubnet 131.107.0.0/30 -SecondaryPeerSubnet 131.107.0.4/30
# Set-AzureBGPPeering on an absent peering: the create path's checks, in this order.
fails 2 "Set-AzureBGPPeering : A value for the Primary Peer Subnet has to be provided." \
	Set-AzureBGPPeering -ServiceKey "$KEY" -AccessType Public -PeerAsn 1234 -VlanId 200 -SecondaryPeerSubnet 131.107.0.4/30
fails 2 "Set-AzureBGPPeering : A value for the Secondary Peer Subnet has to be provided." \
	Set-AzureBGPPeering -ServiceKey "$KEY" -AccessType Public -PeerAsn 1234 -VlanId 200 -PrimaryPeerSubnet 131.107.0.0/30

## Azure's recorded server texts

fails 4 "Get-AzureDedicatedCircuit : ResourceNotFound: The specified dedicated circuit with service key '$ZERO' was not found." \
	Get-AzureDedicatedCircuit -ServiceKey $ZERO
# Azure says 400 BadRequest here; the exit code keeps docs/rules.md's "not found".
fails 4 "Remove-AzureDedicatedCircuit : BadRequest: The specified service key '$ZERO' is not valid or could not be found." \
	Remove-AzureDedicatedCircuit -ServiceKey $ZERO -Force
fails 4 "Get-AzureDedicatedCircuitStats : ResourceNotFound: Can not find any subinterface for peering type 'Public' for circuit '$KEY' ." \
	Get-AzureDedicatedCircuitStats -ServiceKey "$KEY" -AccessType Public
fails 3 "New-AzureBGPPeering : ConflictError: BGP peering could not be created as it already exists." \
	New-AzureBGPPeering -AccessType Private -ServiceKey "$KEY" -PrimaryPeerSubnet 10.0.0.8/30 -SecondaryPeerSubnet 10.0.0.12/30 -PeerAsn 1234 -VlanId 101
fails 3 "New-AzureBGPPeering : ConflictError: The vlanId specified is already in use." \
	New-AzureBGPPeering -AccessType Public -ServiceKey "$KEY" -PrimaryPeerSubnet 131.107.0.0/30 -SecondaryPeerSubnet 131.107.0.4/30 -PeerAsn 1234 -VlanId 100
fails 2 "New-AzureBGPPeering : BadRequest: The specified BGP peer IP address '98.251.199.31/30' is not valid." \
	New-AzureBGPPeering -AccessType Public -ServiceKey "$KEY" -PrimaryPeerSubnet 98.251.199.31/30 -SecondaryPeerSubnet 131.107.0.4/30 -PeerAsn 1234 -VlanId 200
fails 4 "New-AzureDedicatedCircuit : ResourceNotFound: The specified location Atlantis does not exist for the provider Equinix" \
	New-AzureDedicatedCircuit -CircuitName Other -Bandwidth 200 -Location Atlantis -ServiceProviderName equinix
fails 4 "New-AzureDedicatedCircuit : ResourceNotFound: The provider could not be found." \
	New-AzureDedicatedCircuit -CircuitName Other -Bandwidth 200 -Location "Silicon Valley" -ServiceProviderName Nobody
# A bandwidth the provider does not offer: Azure's 404, whatever the number.
fails 4 "New-AzureDedicatedCircuit : ResourceNotFound: The specified bandwidth 999 does not exist for the provider Equinix" \
	New-AzureDedicatedCircuit -CircuitName Other -Bandwidth 999 -Location "Silicon Valley" -ServiceProviderName equinix
fails 4 "Set-AzureDedicatedCircuitProperties : ResourceNotFound: The specified bandwidth 1500 does not exist for the provider Equinix" \
	Set-AzureDedicatedCircuitProperties -ServiceKey "$KEY" -Bandwidth 1500
fails 3 "New-AzureDedicatedCircuit : ConflictError: The circuit with name '$C' already exists." \
	New-AzureDedicatedCircuit -CircuitName $C -Bandwidth 200 -Location "Silicon Valley" -ServiceProviderName equinix -Force

## erlab's own texts: the class, the object and the value

expect 3 New-AzureBGPPeering -ServiceKey "$SPARE" -AccessType Public -PrimaryPeerSubnet 131.107.0.0/30 -SecondaryPeerSubnet 131.107.0.4/30 -PeerAsn 1234 -VlanId 200
has "$ERR" "New-AzureBGPPeering : ConflictError: circuit Spare: ServiceProviderProvisioningState=NotProvisioned: " \
	"peering on a NotProvisioned circuit names the circuit and its state"
expect 3 Remove-AzureDedicatedCircuit -ServiceKey "$KEY" -Force
has "$ERR" "Remove-AzureDedicatedCircuit : ConflictError: " "removing a Provisioned circuit is refused"
has "$ERR" "$C" "the refusal names the circuit"
expect 2 Set-AzureDedicatedCircuitProperties -ServiceKey "$KEY" -Bandwidth 100
has "$ERR" "Set-AzureDedicatedCircuitProperties : BadRequest: $C: Bandwidth 100 is lower than 200" \
	"bandwidth downgrade is refused, naming circuit and values"
expect 2 New-AzureBGPPeering -ServiceKey "$KEY" -AccessType Public -PrimaryPeerSubnet 10.1.0.0/30 -SecondaryPeerSubnet 10.1.0.4/30 -PeerAsn 1234 -VlanId 200
has "$ERR" "New-AzureBGPPeering : BadRequest: $C public peering" "a private subnet on public peering is refused, naming the peering"
has "$ERR" "10.1.0.0/30" "... and the subnet"
expect 2 New-AzureBGPPeering -ServiceKey "$KEY" -AccessType Public -PrimaryPeerSubnet 131.107.0.0/30 -SecondaryPeerSubnet 131.107.0.4/30 -PeerAsn 1234 -VlanId 200 -PeerAddressType IPv6
has "$ERR" "New-AzureBGPPeering : BadRequest: $C public peering: -PrimaryPeerSubnet 131.107.0.0/30 is not an IPv6 subnet" \
	"an IPv4 subnet with -PeerAddressType IPv6 is refused"
fails 2 "New-AzureDedicatedCircuitLink : BadRequest: A value for the AddressSpace has to be provided (erlab emulates the virtual network: give its address space, e.g. -AddressSpace 10.1.0.0/16)." \
	New-AzureDedicatedCircuitLink -ServiceKey "$KEY" -VNetName hub
expect 2 New-AzureDedicatedCircuitLink -ServiceKey "$KEY" -VNetName hub -AddressSpace 10.0.0.0/16
has "$ERR" "New-AzureDedicatedCircuitLink : BadRequest: " "a VNet overlapping the peering subnets is refused"
has "$ERR" "overlaps the private peering" "... saying why"
expect 4 Remove-AzureDedicatedCircuitLink -ServiceKey "$KEY" -VNetName nosuch
has "$ERR" "Remove-AzureDedicatedCircuitLink : ResourceNotFound: " "unlinking an unknown VNet is not found"

eq "$(cat "$ERLAB_STATE_DIR"/circuits/* | md5sum)" "$STATE_BEFORE" "no failed cmdlet changed the state"
eq "$(links $C-customer) / $(links $C-microsoft)" "$LINKS_BEFORE" "no failed cmdlet changed the kernel"

finish
