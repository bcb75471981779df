#!/bin/bash
# The Debian Azure CLI drives erlab serve end to end: cloud register, `az login --identity` and
# `az login --service-principal`, a resource group, an ExpressRoute circuit and peerings with the
# unmodified `az resource` / `az rest` commands, ARM errors for invalid input, 401 for bad tokens;
# each PUT checked against the kernel. t_az_network.sh does the `az network express-route` commands.
. "$ERLAB_SRC/tests/netns/lib.sh"
. "$ERLAB_SRC/tests/arm/lib_arm.sh"
API=2022-01-01

serve_start || { fail "erlab serve starts"; finish; }
pass "erlab serve starts and answers on $URL"
expect 0 serve --check
eq "$OUT" "$URL" "serve --check names the running endpoint"
has "$(cat "$TEST_TMP/serve.out")" "REQUESTS_CA_BUNDLE=$ERLAB_STATE_DIR/arm/ca.pem" "serve prints how to trust its CA"
ok '[ "$(stat -c %a "$ERLAB_STATE_DIR/arm/sp.secret")" = 600 ]' "the service principal's secret is 0600"
SUB=$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["subscription"])' "$ERLAB_STATE_DIR/arm/identity.json")
TENANT=$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["tenant"])' "$ERLAB_STATE_DIR/arm/identity.json")
CLIENT=$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["clientId"])' "$ERLAB_STATE_DIR/arm/identity.json")

# ---- unauthenticated and wrongly signed requests ----
code=$(curl -s --cacert "$REQUESTS_CA_BUNDLE" -o "$TEST_TMP/body" -w '%{http_code}' "$URL/subscriptions?api-version=2019-11-01")
eq "$code" 401 "no token: 401"
has "$(cat "$TEST_TMP/body")" '"code":"AuthenticationFailed"' "no token: ARM's error shape"
fake=$(printf '%s' '{"alg":"HS256","typ":"JWT"}' | base64 -w0 | tr '+/' '-_' | tr -d =).$(printf '{"aud":"https://management.erlab.local/","tid":"%s","exp":%d}' "$TENANT" $(( $(date +%s) + 600 )) | base64 -w0 | tr '+/' '-_' | tr -d =).c2lnbmVkLWVsc2V3aGVyZQ
code=$(curl -s --cacert "$REQUESTS_CA_BUNDLE" -o "$TEST_TMP/body" -w '%{http_code}' -H "Authorization: Bearer $fake" "$URL/subscriptions?api-version=2019-11-01")
eq "$code" 401 "a token signed with another key: 401"
has "$(cat "$TEST_TMP/body")" '"code":"InvalidAuthenticationToken"' "wrong signature: InvalidAuthenticationToken"

# ---- the cloud and a managed-identity login ----
az_ok "az cloud register" cloud register -n erlab --endpoint-resource-manager "$URL/"
az_ok "az cloud set" cloud set -n erlab
export MSI_ENDPOINT=http://127.0.0.1:$MSI_PORT/msi/token
az_ok "az login --identity" login --identity
has "$OUT" "$SUB" "az login --identity lists erlab's subscription"
eq "$(jget 'd[0]["tenantId"]')" "$TENANT" "az login --identity: erlab's tenant"

# ---- a group, a circuit, the provider, a private peering ----
az_ok "az group create" group create -n rg -l westus
eq "$(jget 'd["properties"]["provisioningState"]')" Succeeded "group create: Succeeded"
CID=/subscriptions/$SUB/resourceGroups/rg/providers/Microsoft.Network/expressRouteCircuits/c1
az_ok "az resource create: a circuit" resource create --id "$CID" --api-version $API --is-full-object --properties \
	'{"location": "westus", "sku": {"family": "MeteredData", "name": "Standard_MeteredData", "tier": "Standard"}, "properties": {"serviceProviderProperties": {"bandwidthInMbps": 200, "peeringLocation": "Silicon Valley", "serviceProviderName": "Equinix"}}}'
eq "$(jget 'd["properties"]["serviceProviderProvisioningState"]')" NotProvisioned "a new circuit is NotProvisioned, as in Azure"
KEY=$(jget 'd["properties"]["serviceKey"]')
eq "$(namespaces)" "c1-customer c1-microsoft" "the circuit's namespaces exist"
expect 0 circuit list
has "$OUT" "$KEY" "erlab circuit list shows the ARM circuit and its key"
expect 0 circuit provision c1
az_ok "az resource show: the circuit" resource show --id "$CID" --api-version $API
eq "$(jget 'd["properties"]["serviceProviderProvisioningState"]')" Provisioned "ARM sees erlab's provisioning at once"

PID=$CID/peerings/AzurePrivatePeering
az_ok "az resource create: private peering" resource create --id "$PID" --api-version $API --properties \
	'{"peerASN": 1234, "peeringType": "AzurePrivatePeering", "primaryPeerAddressPrefix": "10.0.0.0/30", "secondaryPeerAddressPrefix": "10.0.0.4/30", "sharedKey": "A1B2C3D4", "vlanId": 100}'
eq "$(jget 'd["properties"]["vlanId"]')" 100 "the peering answers vlanId 100"
eq "$(addrs c1-customer primary.100)" "10.0.0.1/30" "customer primary.100 has 10.0.0.1/30"
eq "$(addrs c1-microsoft secondary.100)" "10.0.0.6/30" "microsoft secondary.100 has 10.0.0.6/30"
ok "pings c1-customer 10.0.0.2" "ping across the primary link"
ok "pings c1-customer 10.0.0.6" "ping across the secondary link"

# ---- Azure's errors as ARM errors ----
# `az rest` does not poll long-running operations; erlab's have ended when the answer comes
# (docs/arm.md), so the kernel is checked right after it. t_az_diag.sh checks the polling itself.
az_fails "a /29 subnet is refused" rest --method put --url "$CID/peerings/MicrosoftPeering?api-version=$API" --body \
	'{"properties": {"peeringType": "MicrosoftPeering", "peerASN": 1234, "primaryPeerAddressPrefix": "10.1.0.0/29", "secondaryPeerAddressPrefix": "10.1.0.8/30", "vlanId": 200}}'
has "$ERR" "Bad Request" "a /29: HTTP 400"
has "$ERR" "The specified BGP peer IP address '10.1.0.0/29' is not valid." "a /29: Azure's text"
az_fails "a VLAN in use is refused" rest --method put --url "$CID/peerings/AzurePublicPeering?api-version=$API" --body \
	'{"properties": {"peerASN": 1234, "primaryPeerAddressPrefix": "131.107.0.0/30", "secondaryPeerAddressPrefix": "131.107.0.4/30", "vlanId": 100}}'
has "$ERR" "100" "a VLAN in use: the error names the VLAN"
eq "$(links c1-customer)" "lo primary.100 secondary.100" "refused PUTs leave the kernel as it was"
# The same token by hand, for the errors az would not send.
TOKEN=$(curl -s -H Metadata:true -d resource=https://management.erlab.local/ "$MSI_ENDPOINT" | python3 -c 'import json,sys; print(json.load(sys.stdin)["access_token"])')
arm_curl() { curl -s --cacert "$REQUESTS_CA_BUNDLE" -H "Authorization: Bearer $TOKEN" -o "$TEST_TMP/body" -w '%{http_code}' "$@"; }
eq "$(arm_curl -X PUT -H 'Content-Type: application/json' -d '{"properties": {}}' "$URL$CID/peerings/OtherPeering?api-version=$API")" 400 "an unknown peering name: 400"
has "$(cat "$TEST_TMP/body")" '"code":"InvalidPeeringName"' "an unknown peering name: InvalidPeeringName"
eq "$(arm_curl "$URL$CID?api-version=2010-01-01")" 400 "an api-version out of range: 400"
has "$(cat "$TEST_TMP/body")" '"code":"NoRegisteredProviderFound"' "an api-version out of range: NoRegisteredProviderFound"
eq "$(arm_curl "$URL${CID,,}?api-version=2025-05-01")" 200 "paths are case-insensitive; a newer api-version is fine"
eq "$(arm_curl "$URL$CID")" 400 "no api-version: 400"
has "$(cat "$TEST_TMP/body")" '"code":"MissingApiVersionParameter"' "no api-version: MissingApiVersionParameter"
eq "$(arm_curl -X PUT -d '{"location": "westus"' "$URL/subscriptions/$SUB/resourcegroups/rg2?api-version=2021-04-01")" 400 "malformed JSON: 400"
has "$(cat "$TEST_TMP/body")" '"code":"InvalidRequestContent"' "malformed JSON: InvalidRequestContent"

# ---- update (the whole object back, read-only fields too), list, a Microsoft peering ----
az_ok "az rest: get the peering" rest --method get --url "$PID?api-version=$API"
body=$(jget 'json.dumps(dict(d, properties=dict(d["properties"], vlanId=500)))')
az_ok "az rest: PUT it back with vlanId 500" rest --method put --url "$PID?api-version=$API" --body "$body"
eq "$(links c1-customer)" "lo primary.500 secondary.500" "the peering moved to VLAN 500 in the kernel"
ok "pings c1-customer 10.0.0.2" "ping across after the change"
az_ok "az rest: Microsoft peering" rest --method put --url "$CID/peerings/MicrosoftPeering?api-version=$API" --body \
	'{"properties": {"peerASN": 1234, "primaryPeerAddressPrefix": "131.107.0.8/30", "secondaryPeerAddressPrefix": "131.107.0.12/30", "vlanId": 300, "microsoftPeeringConfig": {"advertisedPublicPrefixes": ["123.0.0.0/30"], "customerASN": 2245, "routingRegistryName": "ARIN"}, "ipv6PeeringConfig": {"primaryPeerAddressPrefix": "2a01:111:f100::/126", "secondaryPeerAddressPrefix": "2a01:111:f100::4/126", "microsoftPeeringConfig": {"advertisedPublicPrefixes": ["2a01:111:f200::/48"]}}}}'
eq "$(jget 'd["properties"]["microsoftPeeringConfig"]["advertisedPublicPrefixes"]')" "['123.0.0.0/30']" "Microsoft peering answers its prefixes"
eq "$(jget 'd["properties"]["ipv6PeeringConfig"]["primaryPeerAddressPrefix"]')" "2a01:111:f100::/126" "and its IPv6 family"
eq "$(addrs c1-customer primary.300)" "131.107.0.9/30 2a01:111:f100::1/126" "customer primary.300 has both families"
az_ok "az rest: list peerings" rest --method get --url "$CID/peerings?api-version=$API"
eq "$(jget 'sorted(p["name"] for p in d["value"])')" "['AzurePrivatePeering', 'MicrosoftPeering']" "the list has both peerings"

# ---- a service-principal login sees the same ----
unset MSI_ENDPOINT
code=$(curl -s --cacert "$REQUESTS_CA_BUNDLE" -o "$TEST_TMP/body" -w '%{http_code}' -d grant_type=client_credentials \
	-d "client_id=$CLIENT" -d client_secret=wrong -d "scope=https://management.erlab.local//.default" "$URL/adfs/oauth2/token")
eq "$code" 401 "the authority refuses a wrong secret"
has "$(cat "$TEST_TMP/body")" '"error":"invalid_client"' "a wrong secret: invalid_client"
az_ok "az login --service-principal" login --service-principal -u "$CLIENT" -p "$(cat "$ERLAB_STATE_DIR/arm/sp.secret")" --tenant "$TENANT"
has "$OUT" "$SUB" "az login --service-principal lists erlab's subscription"
az_ok "az resource list" resource show --id "$CID" --api-version $API
eq "$(jget 'len(d["properties"]["peerings"])')" 2 "the service principal sees the circuit's two peerings"

# ---- deletes ----
az_ok "az resource delete: Microsoft peering" resource delete --id "$CID/peerings/MicrosoftPeering" --api-version $API
eq "$(links c1-customer)" "lo primary.500 secondary.500" "its links are gone"
az_fails "a provisioned circuit is not deleted" resource delete --id "$CID" --api-version $API
expect 0 circuit deprovision c1
az_ok "az resource delete: the circuit" resource delete --id "$CID" --api-version $API
eq "$(namespaces)" "" "the circuit's namespaces are gone"
az_ok "az group delete" group delete -n rg --yes

serve_stop
eq "$?" 0 "erlab serve stops cleanly on SIGTERM"
expect 3 serve --check
expect 0 down --all
eq "$(namespaces)" "" "nothing left behind"
finish
