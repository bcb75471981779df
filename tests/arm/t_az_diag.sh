#!/bin/bash
# ARM's long-running operations and the peering diagnostics through the Azure CLI (docs/arm.md):
# `az network express-route list-arp-tables / list-route-tables / list-route-tables-summary /
# get-stats` and `peering get-stats` (through the Debian az network workaround of
# t_az_network.sh) against the kernel's neighbours, BIRD's routes and the links' counters of a
# circuit made with `erlab serve --bgp`; `az rest --debug` for the polling headers and the
# operation's status, `az rest` for an unknown operation; curl for the rest of the wire (a
# diagnostic's Location, a DELETE's, a refusal that stays synchronous).
. "$ERLAB_SRC/tests/netns/lib.sh"
. "$ERLAB_SRC/tests/arm/lib_arm.sh"
command -v bird >/dev/null || { echo "SKIP: BIRD is not installed"; exit 77; }
API=2022-01-01

az_network_workaround

# The circuits ARM makes run BIRD on both sides; the customer advertises 192.168.0.0/24.
SERVE_ARGS=(--bgp msee=bird --bgp customer=bird --bgp customer_prefixes=192.168.0.0/24)
serve_start || { fail "erlab serve --bgp starts"; finish; }
SUB=$(identity subscription)
az_login_sp
az_ok "az group create" group create -n rg -l westus

# ---- create: az polls each long-running operation to its end ----
az_ok "express-route create" network express-route create --name c3 -g rg --bandwidth 200 --provider Equinix \
	--peering-location "Silicon Valley" --sku-tier Standard --sku-family MeteredData
eq "$(jget 'd["provisioningState"]')" Succeeded "express-route create: Succeeded after polling"
expect 0 circuit provision c3
az_ok "peering create: private" network express-route peering create --circuit-name c3 -g rg \
	--peering-type AzurePrivatePeering --peer-asn 1234 --primary-peer-subnet 10.0.0.0/30 \
	--secondary-peer-subnet 10.0.0.4/30 --vlan-id 100
eq "$(jget 'd["provisioningState"]')" Succeeded "peering create: Succeeded after polling"
ok "grep -q 'GET /subscriptions/[^ ]*/locations/westus/operations/[-0-9a-f]* 200' '$SERVE_LOG'" \
	"az polled the operation's status (200)"
expect 0 wait c3 --timeout 30
ok "pings c3-customer 10.0.0.2 && pings c3-customer 10.0.0.6" "ping across both links"

rows='(d["value"] if isinstance(d, dict) else d)'
dotted() { ip -n "$1" -o link show dev "$2" | grep -o 'link/ether [0-9a-f:]*' | cut -d' ' -f2 | tr -d : |
	sed 's/^\(....\)\(....\)\(....\)$/\1.\2.\3/'; }

# ---- ARP tables: the Microsoft namespace's neighbours of the peering's link ----
az_ok "list-arp-tables --path primary" network express-route list-arp-tables -g rg -n c3 \
	--peering-name AzurePrivatePeering --path primary
eq "$(jget "sorted((r['interface'], r['ipAddress'], r['macAddress']) for r in $rows)")" \
	"[('Microsoft', '10.0.0.2', '$(dotted c3-microsoft primary.100)'), ('On-Prem', '10.0.0.1', '$(dotted c3-customer primary.100)')]" \
	"ARP primary: the customer's address and MAC as the Microsoft side learnt them, and its own"

# ---- route tables: BIRD's ----
az_ok "list-route-tables-summary" network express-route list-route-tables-summary -g rg -n c3 \
	--peering-name AzurePrivatePeering --path primary
eq "$(jget "[(r['neighbor'], r['as'], r['statePfxRcd']) for r in $rows]")" "[('10.0.0.1', 1234, '1')]" \
	"summary: the customer's session, AS 1234, one prefix received"
az_ok "list-route-tables" network express-route list-route-tables -g rg -n c3 \
	--peering-name AzurePrivatePeering --path secondary
eq "$(jget "[(r['network'], r['nextHop'], r['path']) for r in $rows]")" "[('192.168.0.0/24', '10.0.0.5', '1234')]" \
	"route table secondary: the customer's prefix via 10.0.0.5, AS path 1234"

# ---- stats: the Microsoft side's link counters ----
rx() { ip -n c3-microsoft -s -j link show dev "$1" | python3 -c 'import json,sys; print(json.load(sys.stdin)[0]["stats64"]["rx"]["bytes"])'; }
az_ok "get-stats" network express-route get-stats -g rg -n c3
before=$(jget 'd["primarybytesIn"]')
ok "[ '$before' -gt 0 ] && [ '$before' -le $(rx primary.100) ]" "circuit stats: primary bytes in, at most the kernel's count"
ip netns exec c3-customer ping -q -c 5 -i 0.2 -s 1000 10.0.0.2 >/dev/null
az_ok "get-stats again" network express-route get-stats -g rg -n c3
after=$(jget 'd["primarybytesIn"]')
ok "[ '$after' -ge $((before + 5000)) ] && [ '$after' -le $(rx primary.100) ]" \
	"circuit stats: 5 pings of 1000 bytes later, primary bytes in grew by at least 5000 ($before -> $after)"
az_ok "peering get-stats" network express-route peering get-stats -g rg --circuit-name c3 -n AzurePrivatePeering
ok "[ '$(jget 'd["secondarybytesIn"]')' -gt 0 ] && [ '$(jget 'd["primarybytesOut"]')' -gt 0 ]" \
	"peering stats: both links counted"

# ---- the wire: az rest --debug shows the headers; az rest does not poll, so the test does ----
hdr() { sed -n "s/.*'$1': '\\([^']*\\)'.*/\\1/p" <<<"$ERR" | head -1; }
status() { sed -n "s/.*Response status: \\([0-9]*\\).*/\\1/p" <<<"$ERR" | tail -1; }
CID=/subscriptions/$SUB/resourceGroups/rg/providers/Microsoft.Network/expressRouteCircuits/c3
az_ok "az rest: PUT of a Microsoft peering" rest --debug --method put --url "$CID/peerings/MicrosoftPeering?api-version=$API" \
	--body '{"properties": {"peerASN": 1234, "primaryPeerAddressPrefix": "131.107.0.8/30", "secondaryPeerAddressPrefix": "131.107.0.12/30", "vlanId": 300, "microsoftPeeringConfig": {"advertisedPublicPrefixes": ["123.0.0.0/30"]}}}'
eq "$(status)" 201 "PUT of a new peering: 201"
eq "$(jget 'd["properties"]["provisioningState"]')" Succeeded "its body has provisioningState"
ASYNC=$(hdr Azure-AsyncOperation)
has "$ASYNC" "$URL/subscriptions/$SUB/providers/Microsoft.Network/locations/westus/operations/" "PUT: Azure-AsyncOperation"
has "$ASYNC" "api-version=$API" "PUT: the operation's URL keeps the api-version"
eq "$(hdr Retry-After)" 1 "PUT: Retry-After"
eq "$(addrs c3-customer primary.300)" "131.107.0.9/30" "the kernel has the peering when the answer comes"
az_ok "az rest: the operation's status" rest --url "$ASYNC"
eq "$(jget 'd["status"]')" Succeeded "the operation: Succeeded"
eq "$(jget 'd["name"]')" "$(sed 's/.*operations\/\([^?]*\).*/\1/' <<<"$ASYNC")" "the operation names its id"

# The rest by hand (curl is quicker than az), with a managed-identity token.
TOKEN=$(curl -s -H Metadata:true -d resource=https://management.erlab.local/ "http://127.0.0.1:$MSI_PORT/msi/token" |
	python3 -c 'import json,sys; print(json.load(sys.stdin)["access_token"])')
arm_curl() { curl -s --cacert "$REQUESTS_CA_BUNDLE" -H "Authorization: Bearer $TOKEN" -D "$TEST_TMP/head" -o "$TEST_TMP/body" -w '%{http_code}' "$@"; }
head_of() { sed -n "s/^$1: \\(.*\\)\r\$/\\1/Ip" "$TEST_TMP/head"; }
eq "$(arm_curl -X POST "$URL$CID/peerings/MicrosoftPeering/arpTables/primary?api-version=$API")" 202 "POST of a diagnostic: 202"
LOC=$(head_of Location)
has "$LOC" "/providers/Microsoft.Network/locations/westus/operationResults/" "the POST: Location"
has "$(head_of Azure-AsyncOperation)" "/locations/westus/operations/" "the POST: Azure-AsyncOperation"
eq "$(arm_curl "$LOC")" 200 "its Location: 200"
eq "$(python3 -c "import json; print([r['ipAddress'] for r in json.load(open('$TEST_TMP/body'))['value'] if r['interface'] == 'Microsoft'])")" \
	"['131.107.0.10']" "its Location: the ARP table, the Microsoft peering's address"
eq "$(arm_curl -X DELETE "$URL$CID/peerings/MicrosoftPeering?api-version=$API")" 202 "DELETE: 202"
LOC=$(head_of Location)
has "$(head_of Azure-AsyncOperation)" "/locations/westus/operations/" "DELETE: Azure-AsyncOperation"
eq "$(links c3-customer)" "lo primary.100 secondary.100" "the peering's links are gone when the answer comes"
eq "$(arm_curl "$LOC")" 204 "the DELETE's Location: 204"
eq "$(arm_curl "${LOC/operationResults/operations}")" 200 "the DELETE's operation"
has "$(cat "$TEST_TMP/body")" '"status":"Succeeded"' "the DELETE's operation: Succeeded"
eq "$(arm_curl "${LOC/westus/eastus}")" 404 "an operation asked for in another region: 404"
eq "$(arm_curl -X PUT -H 'Content-Type: application/json' -d '{"properties": {"peerASN": 1234, "primaryPeerAddressPrefix": "131.107.0.0/29", "secondaryPeerAddressPrefix": "131.107.0.12/30", "vlanId": 300}}' \
	"$URL$CID/peerings/MicrosoftPeering?api-version=$API")" 400 "a /29: 400 at once, not an operation that fails later"
eq "$(head_of Azure-AsyncOperation)" "" "a /29: no operation to poll"
az_fails "az rest: an unknown operation" rest --url "/subscriptions/$SUB/providers/Microsoft.Network/locations/westus/operations/00000000-0000-0000-0000-000000000000?api-version=$API"
has "$ERR" "Not Found" "an unknown operation: 404"
has "$ERR" '"code":"NotFound"' "an unknown operation: ARM's error shape"

# ---- delete: az polls the DELETE's operation and its Location ----
az_ok "peering delete" network express-route peering delete --circuit-name c3 -g rg -n AzurePrivatePeering
eq "$(links c3-customer)" "lo" "peering delete: its links are gone"
expect 0 circuit deprovision c3
# A BIRD that dies on its own (here killed) stays a zombie of erlab serve, its parent, until serve
# collects it: the delete must, not take it for a foreign process and leave it.
dead=$(pgrep -o -x bird)
kill -KILL "$dead"
for _ in $(seq 50); do [ "$(ps -o stat= -p "$dead" | cut -c1)" = Z ] && break; sleep 0.1; done
eq "$(ps -o stat= -p "$dead" | cut -c1)" Z "a BIRD killed under erlab serve is its zombie"
az_ok "express-route delete" network express-route delete -n c3 -g rg
eq "$(namespaces)" "" "express-route delete: the namespaces are gone"
eq "$(pgrep -x bird | tr '\n' ' ')" "" "and its BIRDs, the dead one collected"
serve_stop
eq "$?" 0 "erlab serve stops cleanly on SIGTERM"
finish
