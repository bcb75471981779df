#!/bin/bash
# The JavaScript SDK drives erlab serve end to end: @azure/arm-network and @azure/identity from npm
# (exact versions in tests/arm/js, installed before the sandbox by tests/arm/js/setup.sh into
# ERLAB_JS_DIR), unmodified, the whole flow twice — with a ClientSecretCredential at erlab's
# authority and with a static token erlab issued: a resource group, a circuit, the provider's
# provisioning, private and Microsoft peering (IPv4 and IPv6), get, list, update, delete; each
# create and update checked against the kernel and pinged across; Azure's errors as RestErrors;
# 401 for a wrongly signed token. The SDK talks to 127.0.0.1 only and looks up no name.
. "$ERLAB_SRC/tests/netns/lib.sh"
ARM_NO_AZ=1
. "$ERLAB_SRC/tests/arm/lib_arm.sh"

"$ERLAB_SRC/tests/arm/js/setup.sh" --check || exit 77
JS_DIR=${ERLAB_JS_DIR:-}
if [ -z "$JS_DIR" ] || [ ! -f "$JS_DIR/node_modules/.erlab-installed" ]; then
	fail "the SDK is installed in ERLAB_JS_DIR='$JS_DIR' (tests/arm/js/setup.sh, the fixture arm/js_setup)"
	finish
fi
# Only loopback, and no proxy of the caller's environment in the way.
unset HTTP_PROXY HTTPS_PROXY ALL_PROXY http_proxy https_proxy all_proxy AZURE_LOG_LEVEL
export NO_PROXY=127.0.0.1,localhost NODE_PATH=$JS_DIR/node_modules NODE_EXTRA_CA_CERTS=$ERLAB_STATE_DIR/arm/ca.pem

serve_start || { fail "erlab serve starts"; finish; }
pass "erlab serve starts and answers on $URL"
ID=$ERLAB_STATE_DIR/arm/identity.json
id_field() { sed -n "s/.*\"$1\": *\"\([^\"]*\)\".*/\1/p" "$ID"; }
SUB=$(id_field subscription) TENANT=$(id_field tenant) CLIENT=$(id_field clientId)
export ERLAB_ARM_URL=$URL ERLAB_SUB=$SUB
has "$(cat "$TEST_TMP/serve.out")" "new ClientSecretCredential(\"$TENANT\", \"$CLIENT\", SECRET, { authorityHost: \"$URL\", disableInstanceDiscovery: true })" \
	"serve prints how an SDK logs in"

# ---- the SDK as a coprocess: one request a line (tab-separated), one JSON answer a line ----
# (A Node process that died makes each later request fail, not the shell die of SIGPIPE.)
trap '' PIPE
JS_PID=
js_start() { # CRED [VAR=VALUE...]: ERLAB_CRED and the credential's variables
	local cred=$1
	shift
	coproc JS { exec env ERLAB_CRED="$cred" "$@" node "$ERLAB_SRC/tests/arm/js/sdk.cjs" 2>>"$TEST_TMP/js.err"; }
}
js_stop() {
	[ -n "$JS_PID" ] || return 0
	[ -z "${JS[1]:-}" ] || eval "exec ${JS[1]}>&-"
	wait "$JS_PID"
	JS_PID=
}
# js OP ARGS...: JSOUT is the answer. A request is one line. No answer in 120 s fails the request;
# a Node process that is gone ends the test.
js() {
	local IFS=$'\t' line
	if [ -z "${JS[1]:-}" ]; then
		fail "the SDK's Node process is gone: $(tail -3 "$TEST_TMP/js.err")"
		finish
	fi
	line="$*"
	printf '%s\n' "${line//$'\n'/ }" >&"${JS[1]}"
	if ! read -r -t 120 JSOUT <&"${JS[0]}"; then
		JSOUT='{"ok": false, "error": {"name": "NoAnswer", "message": "node exited or did not answer in 120 s"}}'
		echo "  node's stderr: $(tail -5 "$TEST_TMP/js.err")"
	fi
}
# jr PATH...: values of the last answer's result (or error), space-separated (sdk.cjs's "pick").
jr() {
	local IFS=$'\t' line
	[ -n "${JS[1]:-}" ] || return 0
	printf 'pick\t%s\n' "$*" >&"${JS[1]}"
	read -r -t 30 line <&"${JS[0]}"
	printf '%s\n' "$line"
}
js_ok() { # MSG OP ARGS...
	local msg=$1
	shift
	js "$@"
	case $JSOUT in '{"ok":true'*) pass "$msg" ;; *) fail "$msg: $1 failed: $JSOUT" ;; esac
}
js_fails() { # MSG OP ARGS...
	local msg=$1
	shift
	js "$@"
	case $JSOUT in '{"ok":false'*) pass "$msg" ;; *) fail "$msg: $1 succeeded: $JSOUT" ;; esac
}

CIRCUIT='{"location": "westus", "sku": {"name": "Standard_MeteredData", "tier": "Standard", "family": "MeteredData"},
 "serviceProviderProperties": {"serviceProviderName": "Equinix", "peeringLocation": "Silicon Valley", "bandwidthInMbps": 200}}'
PRIVATE='{"peeringType": "AzurePrivatePeering", "peerASN": 1234, "primaryPeerAddressPrefix": "10.0.0.0/30",
 "secondaryPeerAddressPrefix": "10.0.0.4/30", "vlanId": 100, "sharedKey": "A1B2C3D4"}'
MICROSOFT='{"peeringType": "MicrosoftPeering", "peerASN": 1234, "primaryPeerAddressPrefix": "131.107.0.8/30",
 "secondaryPeerAddressPrefix": "131.107.0.12/30", "vlanId": 300,
 "microsoftPeeringConfig": {"advertisedPublicPrefixes": ["123.0.0.0/30"], "customerASN": 2245, "routingRegistryName": "ARIN"},
 "ipv6PeeringConfig": {"primaryPeerAddressPrefix": "2a01:111:f100::/126", "secondaryPeerAddressPrefix": "2a01:111:f100::4/126",
  "microsoftPeeringConfig": {"advertisedPublicPrefixes": ["2a01:111:f200::/48"]}}}'

# flow HOW RG C: the whole flow with the running coprocess's credential, circuit C in group RG.
flow() {
	local how=$1 rg=$2 c=$3
	local cu=$c-customer ms=$c-microsoft

	js_ok "$how: resource group $rg (PUT through the SDK's pipeline)" groupPut "$rg" westus
	eq "$(jr status)" 201 "$how: the group is created (201)"

	js_ok "$how: expressRouteCircuits.beginCreateOrUpdateAndWait" circuitPut "$rg" "$c" "$CIRCUIT"
	eq "$(jr provisioningState)" Succeeded "$how: the circuit's provisioningState is Succeeded"
	eq "$(jr serviceProviderProvisioningState)" NotProvisioned "$how: a new circuit is NotProvisioned"
	eq "$(jr serviceProviderProperties.bandwidthInMbps)" 200 "$how: bandwidthInMbps 200"
	local key
	key=$(jr serviceKey)
	eq "$(namespaces)" "$cu $ms" "$how: the circuit's namespaces exist"
	expect 0 circuit get "$c" --json
	has "$OUT" "$key" "$how: erlab sees the circuit and its service key"

	expect 0 circuit provision "$c"
	js_ok "$how: expressRouteCircuits.get" circuitGet "$rg" "$c"
	eq "$(jr serviceProviderProvisioningState)" Provisioned "$how: the SDK sees erlab's provisioning"

	js_ok "$how: private peering (beginCreateOrUpdateAndWait)" peeringPut "$rg" "$c" AzurePrivatePeering "$PRIVATE"
	eq "$(jr vlanId peerASN provisioningState)" "100 1234 Succeeded" "$how: the private peering's answer"
	eq "$(links "$cu")" "lo primary.100 secondary.100" "$how: the customer side has the VLAN 100 links"
	eq "$(addrs "$cu" primary.100)" "10.0.0.1/30" "$how: customer primary.100 has 10.0.0.1/30"
	eq "$(addrs "$ms" secondary.100)" "10.0.0.6/30" "$how: microsoft secondary.100 has 10.0.0.6/30"
	ok "pings $cu 10.0.0.2" "$how: ping across the primary link"
	ok "pings $cu 10.0.0.6" "$how: ping across the secondary link"

	# Azure's errors, as the SDK's RestError.
	js_fails "$how: a /29 is refused" peeringPut "$rg" "$c" MicrosoftPeering \
		'{"peeringType": "MicrosoftPeering", "peerASN": 1234, "primaryPeerAddressPrefix": "10.1.0.0/29", "secondaryPeerAddressPrefix": "10.1.0.8/30", "vlanId": 200}'
	eq "$(jr name statusCode code)" "RestError 400 BadRequest" "$how: a /29: RestError 400 BadRequest"
	has "$(jr message)" "The specified BGP peer IP address '10.1.0.0/29' is not valid." "$how: a /29: Azure's text"
	js_fails "$how: a VLAN in use is refused" peeringPut "$rg" "$c" AzurePublicPeering \
		'{"peeringType": "AzurePublicPeering", "peerASN": 1234, "primaryPeerAddressPrefix": "131.107.0.0/30", "secondaryPeerAddressPrefix": "131.107.0.4/30", "vlanId": 100}'
	eq "$(jr name statusCode code)" "RestError 409 ConflictError" "$how: a VLAN in use: RestError 409 ConflictError, as Azure"
	has "$(jr message)" "The vlanId specified is already in use." "$how: a VLAN in use: Azure's text"
	eq "$(links "$cu")" "lo primary.100 secondary.100" "$how: refused PUTs leave the kernel as it was"

	js_ok "$how: Microsoft peering with microsoftPeeringConfig and ipv6PeeringConfig" peeringPut "$rg" "$c" MicrosoftPeering "$MICROSOFT"
	eq "$(jr microsoftPeeringConfig.advertisedPublicPrefixes microsoftPeeringConfig.customerASN)" \
		'["123.0.0.0/30"] 2245' "$how: Microsoft peering answers its config"
	eq "$(jr ipv6PeeringConfig.primaryPeerAddressPrefix ipv6PeeringConfig.microsoftPeeringConfig.advertisedPublicPrefixes)" \
		'2a01:111:f100::/126 ["2a01:111:f200::/48"]' "$how: and its IPv6 family"
	eq "$(addrs "$cu" primary.300)" "131.107.0.9/30 2a01:111:f100::1/126" "$how: customer primary.300 has both families"
	eq "$(addrs "$ms" secondary.300)" "131.107.0.14/30 2a01:111:f100::6/126" "$how: microsoft secondary.300 has both families"
	ok "pings $cu 131.107.0.10" "$how: ping across Microsoft peering's primary link"
	ok "pings $cu 2a01:111:f100::2" "$how: ping IPv6 across the primary link"
	ok "pings $cu 2a01:111:f100::6" "$how: ping IPv6 across the secondary link"

	js_ok "$how: expressRouteCircuitPeerings.get" peeringGet "$rg" "$c" AzurePrivatePeering
	eq "$(jr name primaryPeerAddressPrefix state)" "AzurePrivatePeering 10.0.0.0/30 Enabled" "$how: get answers the private peering"
	js_ok "$how: expressRouteCircuitPeerings.list" peeringList "$rg" "$c"
	eq "$(jr '*.name')" '["AzurePrivatePeering","MicrosoftPeering"]' "$how: the list has both peerings"
	js_ok "$how: expressRouteCircuits.list (the group's)" circuitList "$rg"
	eq "$(jr '*.name')" "[\"$c\"]" "$how: the group lists its circuit"
	js_ok "$how: expressRouteCircuits.listAll" circuitListAll
	has "$(jr '*.name')" "\"$c\"" "$how: the subscription lists the circuit"

	js_ok "$how: update (get, change vlanId and peerASN, put the whole object back)" peeringSet "$rg" "$c" AzurePrivatePeering \
		'{"vlanId": 500, "peerASN": 65010}'
	eq "$(jr vlanId peerASN)" "500 65010" "$how: the update's answer"
	eq "$(links "$cu")" "lo primary.300 primary.500 secondary.300 secondary.500" "$how: the peering moved to VLAN 500 in the kernel"
	eq "$(vlan_links_of "$ms" 500)" "primary.500 secondary.500" "$how: and on the Microsoft side"
	ok "pings $cu 10.0.0.2" "$how: ping across after the update"
	expect 0 peering get "$c" --type private --json
	eq "$(json_field peer_asn "$OUT")" 65010 "$how: erlab sees the new peer ASN"

	js_ok "$how: Microsoft peering deleted (beginDeleteAndWait)" peeringDelete "$rg" "$c" MicrosoftPeering
	eq "$(links "$cu")" "lo primary.500 secondary.500" "$how: its links are gone"
	js_fails "$how: a provisioned circuit is not deleted" circuitDelete "$rg" "$c"
	eq "$(jr statusCode)" 409 "$how: deleting a provisioned circuit: 409"
	js_ok "$how: private peering deleted" peeringDelete "$rg" "$c" AzurePrivatePeering
	eq "$(links "$cu" | tr ' ' '\n' | grep -F . | tr '\n' ' ')" "" "$how: no peering's link is left"
	expect 0 circuit deprovision "$c"
	js_ok "$how: the circuit deleted (beginDeleteAndWait)" circuitDelete "$rg" "$c"
	eq "$(namespaces)" "" "$how: the circuit's namespaces are gone"
	js_fails "$how: the circuit is gone for the SDK" circuitGet "$rg" "$c"
	eq "$(jr statusCode)" 404 "$how: get of a deleted circuit: 404"
	js_ok "$how: the group deleted" groupDelete "$rg"
}
vlan_links_of() { links "$1" | tr ' ' '\n' | grep "\.$2\$" | tr '\n' ' ' | sed 's/ $//'; }

# ---- 1. ClientSecretCredential at erlab's authority (the service principal erlab generated) ----
js_start secret ERLAB_TENANT="$TENANT" ERLAB_CLIENT="$CLIENT" ERLAB_SECRET="$(cat "$ERLAB_STATE_DIR/arm/sp.secret")"
t0=$(date +%s%N)
js_ok "ClientSecretCredential.getToken" token
has "$(cat "$SERVE_LOG")" "GET /$TENANT/v2.0/.well-known/openid-configuration 200" \
	"MSAL reads the tenant's openid-configuration"
has "$(cat "$SERVE_LOG")" "POST /$TENANT/oauth2/v2.0/token 200" "and gets the token at its token_endpoint"
code=$(curl -s --cacert "$NODE_EXTRA_CA_CERTS" -o "$TEST_TMP/body" -w '%{http_code}' \
	"$URL/00000000-0000-0000-0000-000000000001/v2.0/.well-known/openid-configuration")
eq "$code" 400 "another tenant's authority: 400"
has "$(cat "$TEST_TMP/body")" '"error":"invalid_tenant"' "another tenant's authority: invalid_tenant"
js_fails "a wrong client secret" tokenWrongSecret
has "$(jr message)" "invalid_client" "a wrong secret: the authority's invalid_client"
flow secret rg1 js1
js lookups
eq "$(jr '')" "[]" "secret: the SDK looked up no name"
js_stop
echo "  (flow with ClientSecretCredential: $(( ($(date +%s%N) - t0) / 1000000 )) ms)"

# ---- 2. a static token erlab issued (the managed-identity endpoint) ----
TOKEN=$(curl -s -H Metadata:true -d "resource=$URL" "http://127.0.0.1:$MSI_PORT/msi/token" |
	sed -n 's/.*"access_token":"\([^"]*\)".*/\1/p')
ok '[ -n "$TOKEN" ]' "a token from erlab's managed-identity endpoint"
js_start static ERLAB_TOKEN="$TOKEN"
t0=$(date +%s%N)
flow static rg2 js2
# A token signed with another key: 401.
fake=$(printf '%s' '{"alg":"HS256","typ":"JWT"}' | base64 -w0 | tr '+/' '-_' | tr -d =).$(printf '{"aud":"%s","tid":"%s","exp":%d}' "$URL" "$TENANT" $(( $(date +%s) + 600 )) | base64 -w0 | tr '+/' '-_' | tr -d =).c2lnbmVkLWVsc2V3aGVyZQ
js_fails "a wrongly signed token is refused" circuitGetWithToken "$fake" rg2 js2
eq "$(jr name statusCode code)" "RestError 401 InvalidAuthenticationToken" "a wrongly signed token: RestError 401 InvalidAuthenticationToken"
js lookups
eq "$(jr '')" "[]" "static: the SDK looked up no name"
js_stop
echo "  (flow with a static token: $(( ($(date +%s%N) - t0) / 1000000 )) ms)"

serve_stop
eq "$?" 0 "erlab serve stops cleanly on SIGTERM"
expect 0 down --all
eq "$(namespaces)" "" "nothing left behind"
finish
