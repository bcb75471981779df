#!/bin/bash
# vm-tier: skip (datapath-independent; runs on the host, and the VM tier runs under slow TCG)
# A dual-stack Microsoft peering with BIRD on both ends (docs/bgp.md): each address family has its
# own sessions, and they follow that family's config. Removing IPv6 with the cmdlet takes the IPv6
# sessions away and leaves IPv4 Established; adding it back brings them back; a private PeerAsn
# without an IPv6 CustomerAsn leaves the IPv6 sessions down (ValidationNeeded) and IPv4 up.
#
#   DS-customer (BIRD AS 1234) == primary/secondary.300, IPv4 + IPv6 == DS-microsoft (BIRD AS 12076)
. "$(dirname "$0")/lib.sh"
needs_hooks
command -v bird >/dev/null || { echo "SKIP: BIRD is not installed"; exit 77; }
CU=DS-customer MS=DS-microsoft
export ERLAB_TEST_BGP_ERROR_WAIT=1
LAB=$TEST_TMP/families.ini
cat >"$LAB" <<'EOF'
[circuit ds]
name = DS
bandwidth = 1000
location = Amsterdam
service_provider_name = Equinix

[peering ds microsoft]
primary_peer_subnet = 131.107.0.0/30
secondary_peer_subnet = 131.107.0.4/30
primary_peer_subnet_v6 = 2a01:111:f100::/126
secondary_peer_subnet_v6 = 2a01:111:f100::4/126
peer_asn = 1234
vlan_id = 300
advertised_public_prefixes = 123.0.0.0/24
customer_asn = 2245
advertised_public_prefixes_v6 = 2a01:111:f200::/48
customer_asn_v6 = 2245

[bgp]
msee = bird
customer = bird
EOF

ALL="microsoft_primary=Established microsoft_primary_v6=Established microsoft_secondary=Established microsoft_secondary_v6=Established"
V4="microsoft_primary=Established microsoft_secondary=Established"

expect 0 up "$LAB"
ok "wait_bgp_sessions DS '$ALL' 20" "IPv4 and IPv6 sessions on both links Established"
ok "ip -n $MS route show 123.0.0.0/24 | grep -q bird" "the edge learns the IPv4 prefix"
ok "ip -n $MS -6 route show 2a01:111:f200::/48 | grep -q bird" "... and the IPv6 prefix, each over its own family"
KEY=$(erl circuit get DS --json; json_field service_key "$OUT")

expect 0 Remove-AzureBGPPeering -AccessType Microsoft -ServiceKey "$KEY" -PeerAddressType IPv6 -Force
ok "wait_bgp_sessions DS '$V4' 20" "removing IPv6 takes its sessions away; IPv4 stays Established"
eq "$(addrs $CU primary.300)" "131.107.0.1/30" "the IPv6 address is gone from the link"
ok "! ip -n $MS -6 route show 2a01:111:f200::/48 | grep -q ." "the edge has no IPv6 route left"

expect 0 New-AzureBGPPeering -AccessType Microsoft -ServiceKey "$KEY" -PeerAddressType IPv6 \
	-PrimaryPeerSubnet 2a01:111:f100::/126 -SecondaryPeerSubnet 2a01:111:f100::4/126 -VlanId 300 -PeerAsn 1234 \
	-AdvertisedPublicPrefixes 2a01:111:f200::/48 -CustomerAsn 2245
ok "wait_bgp_sessions DS '$ALL' 20" "adding IPv6 back brings its sessions back"

# A private PeerAsn: the IPv4 family has a CustomerAsn, the IPv6 family loses its own.
expect 0 Set-AzureBGPPeering -AccessType Microsoft -ServiceKey "$KEY" -PeerAddressType IPv6 -PeerAsn 65010 -VlanId 300 -CustomerAsn 0
has "$OUT" "AdvertisedPublicPrefixesStateIpv6  : ValidationNeeded" "IPv6 needs validation"
ok "wait_bgp_sessions DS 'microsoft_primary=Established microsoft_primary_v6=Down microsoft_secondary=Established microsoft_secondary_v6=Down' 20" \
	"the IPv6 sessions stay down, the IPv4 ones come up with the new PeerAsn"

expect 0 down "$LAB"
ok "! pgrep -x bird >/dev/null" "no BIRD left"
finish
