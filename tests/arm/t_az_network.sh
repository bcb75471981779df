#!/bin/bash
# `az network express-route ...` against erlab serve. Debian 12's azure-cli 2.45 lacks the
# azure.mgmt.network.v2022_01_01 module its network commands need (docs/arm.md, "The Debian az
# network bug"): this test, and only it, aliases that module name to v2022_07_01 with a Python
# usercustomize module on PYTHONPATH. Circuit, provider, private and Microsoft peering
# create/show/update/list/delete, each checked against the kernel (t_az.sh has the other errors).
. "$ERLAB_SRC/tests/netns/lib.sh"
. "$ERLAB_SRC/tests/arm/lib_arm.sh"

az_network_workaround

serve_start || { fail "erlab serve starts"; finish; }
az_login_sp
az_ok "az group create" group create -n rg -l westus

az_ok "express-route create" network express-route create --name c2 -g rg --bandwidth 200 --provider Equinix \
	--peering-location "Silicon Valley" --sku-tier Standard --sku-family MeteredData
eq "$(jget 'd["serviceProviderProvisioningState"]')" NotProvisioned "express-route create: NotProvisioned"
eq "$(namespaces)" "c2-customer c2-microsoft" "the circuit's namespaces exist"
expect 0 circuit provision c2
az_ok "express-route show" network express-route show -n c2 -g rg
eq "$(jget 'd["serviceProviderProvisioningState"]')" Provisioned "express-route show: Provisioned"
az_ok "express-route list -g" network express-route list -g rg
eq "$(jget '[c["name"] for c in d]')" "['c2']" "express-route list -g rg"

az_ok "peering create: private" network express-route peering create --circuit-name c2 -g rg \
	--peering-type AzurePrivatePeering --peer-asn 1234 --primary-peer-subnet 10.0.0.0/30 \
	--secondary-peer-subnet 10.0.0.4/30 --vlan-id 100 --shared-key A1B2C3D4
eq "$(addrs c2-customer primary.100)" "10.0.0.1/30" "customer primary.100 has 10.0.0.1/30"
ok "pings c2-customer 10.0.0.2" "ping across"
az_ok "peering update --vlan-id 500" network express-route peering update --circuit-name c2 -g rg -n AzurePrivatePeering --vlan-id 500
eq "$(links c2-customer)" "lo primary.500 secondary.500" "the update moved the peering to VLAN 500"
ok "pings c2-customer 10.0.0.6" "ping across after the update"
az_fails "peering create: a /29" network express-route peering create --circuit-name c2 -g rg \
	--peering-type MicrosoftPeering --peer-asn 1234 --primary-peer-subnet 131.107.0.0/29 \
	--secondary-peer-subnet 131.107.0.12/30 --vlan-id 300 --advertised-public-prefixes 123.0.0.0/30
has "$ERR" "(BadRequest)" "a /29: az prints ARM's code"
has "$ERR" "is not valid" "a /29: Azure's text"
az_ok "peering create: Microsoft" network express-route peering create --circuit-name c2 -g rg \
	--peering-type MicrosoftPeering --peer-asn 1234 --primary-peer-subnet 131.107.0.8/30 \
	--secondary-peer-subnet 131.107.0.12/30 --vlan-id 300 --advertised-public-prefixes 123.0.0.0/30 \
	--customer-asn 2245 --routing-registry-name ARIN
eq "$(jget 'd["microsoftPeeringConfig"]["advertisedPublicPrefixes"]')" "['123.0.0.0/30']" "Microsoft peering: its prefixes"
eq "$(addrs c2-customer primary.300)" "131.107.0.9/30" "customer primary.300 has 131.107.0.9/30"
az_ok "peering list" network express-route peering list --circuit-name c2 -g rg
eq "$(jget 'sorted(p["name"] for p in d)')" "['AzurePrivatePeering', 'MicrosoftPeering']" "peering list: both"
az_ok "peering delete" network express-route peering delete --circuit-name c2 -g rg -n MicrosoftPeering
eq "$(links c2-customer)" "lo primary.500 secondary.500" "peering delete: its links are gone"
expect 0 status c2
has "$OUT" "drift: none" "erlab status: the ARM-made circuit matches the kernel"
expect 0 circuit deprovision c2
az_ok "express-route delete" network express-route delete -n c2 -g rg
eq "$(namespaces)" "" "express-route delete: the namespaces are gone"
serve_stop
eq "$?" 0 "erlab serve stops cleanly on SIGTERM"
finish
