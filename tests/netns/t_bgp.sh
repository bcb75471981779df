#!/bin/bash
# vm-tier: skip (datapath-independent; runs on the host, and the VM tier runs under slow TCG)
# BGP with BIRD as the Microsoft edge and as the customer router (docs/bgp.md), from a lab:
#
#   MyTestCircuit-customer (BIRD AS 1234) ==primary/secondary== MyTestCircuit-microsoft (BIRD AS 12076)
#                                                                 `-- to-hub -- MyTestCircuit-hub (vm 10.1.0.4)
#
# Sessions come up on both links of private and Microsoft peering, the customer learns the VNet
# over both, link failure moves traffic to the other link, teardown leaves no BIRD.
. "$(dirname "$0")/lib.sh"
needs_hooks
command -v bird >/dev/null || { echo "SKIP: BIRD is not installed"; exit 77; }
CU=MyTestCircuit-customer MS=MyTestCircuit-microsoft
export ERLAB_TEST_BGP_ERROR_WAIT=1
LAB=$TEST_TMP/bgp.ini
cat "$ERLAB_SRC/labs/classic.ini" >"$LAB"
printf '\n[vnet er1 hub]\naddress_space = 10.1.0.0/16\n\n[bgp]\nmsee = bird\ncustomer = bird\ncustomer_prefixes = 192.168.0.0/24\n' >>"$LAB"

established() { erl status MyTestCircuit --json; grep -o '"state":"Established"' <<<"$OUT" | wc -l; }
wait_established() { # N SECONDS
	local i
	for i in $(seq 1 $(($2 * 5))); do
		[ "$(established)" -ge "$1" ] && return 0
		sleep 0.2
	done
	return 1
}
expect 0 up "$LAB"
ok "wait_established 6 15" "private, public and Microsoft sessions on both links Established within 15 s"
expect 0 status MyTestCircuit
has "$OUT" "bgp private_primary" "status lists the BGP sessions"
ok "ip -n $CU route show 10.1.0.0/16 | grep -q 'via 10.0.0.2' && ip -n $CU route show 10.1.0.0/16 | grep -q 'via 10.0.0.6'" \
	"the customer learns the VNet over both links"
ok "pings $CU 10.1.0.4" "the customer reaches the VNet's VM over the circuit"
ok "ip -n $MS route show 192.168.0.0/24 | grep -q bird" "the Microsoft edge learns the customer's prefix"
KEY=$(erl circuit get MyTestCircuit --json; json_field service_key "$OUT")
expect 0 Get-AzureDedicatedCircuitPeeringRouteTableSummary -ServiceKey "$KEY" -AccessType Private -DevicePath Primary
has "$OUT" "10.0.0.1" "RouteTableSummary shows the customer neighbor"
expect 0 Get-AzureDedicatedCircuitPeeringRouteTableInfo -ServiceKey "$KEY" -AccessType Private -DevicePath Primary
has "$OUT" "192.168.0.0/24" "RouteTableInfo shows the customer's route"

# Link failure: the primary link goes down, traffic keeps flowing over secondary.
expect 0 link down MyTestCircuit primary
ok "for i in \$(seq 1 25); do pings $CU 10.1.0.4 && break; sleep 0.2; done; pings $CU 10.1.0.4" \
	"with primary down the VNet is reachable over secondary within 5 s"
expect 0 link up MyTestCircuit primary
ok "wait_established 6 20" "link up restores every session"

# A wrong shared key on the customer side keeps the private sessions down.
CONF=$(ls "$ERLAB_STATE_DIR"/bird/*-customer.conf)
CTL=$(ls "$ERLAB_STATE_DIR"/bird/*-customer.ctl)
sed -i 's/password "A1B2C3D4"/password "WRONG1234"/' "$CONF"
birdc -s "$CTL" configure >/dev/null
birdc -s "$CTL" restart all >/dev/null
sleep 3
ok "[ \$(established) -lt 6 ]" "a wrong shared key keeps sessions down"
expect 0 status MyTestCircuit
ok "! grep -q 'bgp private_primary .*Established' <<<\"\$OUT\"" "private_primary is not Established with a wrong key"
has "$OUT" "drift: BIRD (the customer router) runs a config that is not the circuit's" \
	"status shows the hand-edited BIRD config as drift"
expect 0 up "$LAB"
has "$OUT" "repaired MyTestCircuit" "up repairs it"
ok "wait_established 6 20" "with the right key back every session comes up"

# Bandwidth: the circuit's 200 Mbit/s holds on each direction of each link.
if command -v python3 >/dev/null; then
	ip netns exec $MS python3 "$ERLAB_SRC/tests/netns/throughput.py" server 10.0.0.2 5001 2 >"$TEST_TMP/bw" &
	sleep 0.3
	ip netns exec $CU python3 "$ERLAB_SRC/tests/netns/throughput.py" client 10.0.0.2 5001 2
	wait
	bw=$(cut -d. -f1 "$TEST_TMP/bw")
	ok "[ ${bw:-0} -le 220 ] && [ ${bw:-0} -ge 50 ]" "a TCP stream gets at most the circuit's 200 Mbit/s (+10%): $bw Mbit/s"
fi

# Registry data that does not give 123.0.0.0/30 to AS 1234 or 2245: ValidationNeeded, and the
# Microsoft peering's sessions are shut while the others stay up.
printf '\n[registry]\n123.0.0.0/24 = 64999\n' >>"$LAB"
expect 0 up "$LAB"
expect 0 Get-AzureBGPPeering -AccessType Microsoft -ServiceKey "$KEY"
has "$OUT" "AdvertisedPublicPrefixesState  : ValidationNeeded" "unregistered prefixes give ValidationNeeded"
sleep 1
expect 0 status MyTestCircuit
ok "! grep -q 'bgp microsoft_primary .*Established' <<<\"\$OUT\"" "the Microsoft peering's session is down while validation is needed"
up4="private_primary=Established private_secondary=Established public_primary=Established public_secondary=Established"
ok 'wait_bgp_sessions MyTestCircuit "microsoft_primary=Down microsoft_secondary=Down $up4" 15' \
	"the private and public sessions stay up, the Microsoft peering's are disabled"
sleep 2
eq "$(bgp_sessions MyTestCircuit)" "microsoft_primary=Down microsoft_secondary=Down $up4" "and the Microsoft peering's sessions stay disabled"
sed -i 's/^123.0.0.0\/24 = 64999$/123.0.0.0\/24 = 2245/' "$LAB"
expect 0 up "$LAB"
expect 0 Get-AzureBGPPeering -AccessType Microsoft -ServiceKey "$KEY"
has "$OUT" "AdvertisedPublicPrefixesState  : Configured" "registered to the CustomerAsn: Configured"
ok "wait_established 6 20" "and the Microsoft peering's sessions come up"

# A BIRD that is not erlab's (own config, control socket and pid file in the test's dir) runs
# beside the lab's: teardown and down --all stop erlab's BIRDs and only those.
printf 'router id 192.0.2.1;\nprotocol device {}\n' >"$TEST_TMP/f.conf"
bird -c "$TEST_TMP/f.conf" -s "$TEST_TMP/f.ctl" -P "$TEST_TMP/f.pid"
for i in $(seq 1 25); do birdc -s "$TEST_TMP/f.ctl" show status >/dev/null 2>&1 && [ -s "$TEST_TMP/f.pid" ] && break; sleep 0.2; done
FPID=$(cat "$TEST_TMP/f.pid" 2>/dev/null)
ok '[ -n "$FPID" ] && kill -0 "$FPID"' "a foreign BIRD runs (pid $FPID)"
birds() { pgrep -x bird | sort -n | tr '\n' ' ' | sed 's/ $//'; }
foreign_bird_alive() { [ "$(birds)" = "$FPID" ] && birdc -s "$TEST_TMP/f.ctl" show status 2>/dev/null | grep -q 'Daemon is up'; }
ok '[ "$(birds)" != "$FPID" ]' "the lab's BIRDs run beside it"

expect 0 down "$LAB"
ok foreign_bird_alive "teardown leaves no BIRD process but the foreign one, which still answers"
eq "$(namespaces)" "" "and no namespace"

# Without BIRD a BGP lab is a clear error; down --all stops a BIRD whose state is gone.
expect 0 up "$LAB"
rm -rf "$ERLAB_STATE_DIR"
expect 0 down --all
ok foreign_bird_alive "down --all stops erlab's BIRD even with the state dir gone, and only erlab's"
eq "$(namespaces)" "" "and removes the namespaces"
kill "$FPID" 2>/dev/null
for i in $(seq 1 25); do kill -0 "$FPID" 2>/dev/null || break; sleep 0.2; done
finish
