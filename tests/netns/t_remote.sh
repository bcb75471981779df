#!/bin/bash
# vm-tier: skip (BGP under slow TCG; tests/vm/t_remote_vlan.sh runs the VLAN datapath inside VXLAN there)
# The customer side on another host, over VXLAN (docs/layout.md, "Beyond one machine"), with two
# emulated hosts on one machine: each its own mount and network namespace (its own /run, so its own
# /run/netns and state dir /run/erlab), joined by a veth underlay, `under`, 192.0.2.1 <-> .2.
#
#   host A (Microsoft):  MyTestCircuit-microsoft (BIRD, AS 12076) + MyTestCircuit-hub (VM 10.1.0.4)
#   host B (customer):   MyTestCircuit-customer (BIRD, AS 1234)
#   each link between them a VXLAN tunnel: VNI vni_base + side * 4096 + VLAN (veth datapath), or
#   vni_base + side * 4096 (vlan datapath: the trunk, tagged frames inside)
#
# Pings cross both links on every peering, the BGP sessions (MD5) come up across the tunnels, the
# customer reaches the VNet over both links, `link down primary` on either host moves traffic to the
# secondary, drift is seen and repaired per host, a clashing VNI is refused, and `down` on each host
# leaves nothing on either.
. "$(dirname "$0")/lib.sh"
needs_hooks
command -v bird >/dev/null || { echo "SKIP: BIRD is not installed"; exit 77; }
command -v nsenter >/dev/null || { echo "SKIP: nsenter is not installed"; exit 77; }
export ERLAB_TEST_BGP_ERROR_WAIT=1
CU=MyTestCircuit-customer MS=MyTestCircuit-microsoft

two_hosts
ok "on $A test -d /run/netns && on $B test -d /run/netns" "two hosts, each with its own /run/netns"
ok "on $A ping -c1 -W2 192.0.2.2 >/dev/null" "the underlay works"
vxlan_of() { on "$1" ip -n "$2" -d -o link show dev "$3" 2>/dev/null | grep -o 'vxlan id [0-9]* remote [0-9.]* local [0-9.]*.*dstport [0-9]*' | sed 's/ dev [^ ]* / /; s/ srcport 0 0//'; }
established_on() { # HOST: sessions of the Microsoft edge Established, from A's status
	erl_on "$1" status MyTestCircuit --json
	grep -o '"name":"[a-z_0-9]*","state":"Established"' <<<"$OUT" | sed 's/"name":"\([^"]*\)".*/\1/' | sort | tr '\n' ' ' | sed 's/ $//'
}
wait_for() { # COMMAND SECONDS: until COMMAND succeeds
	local i
	for i in $(seq 1 $(($2 * 5))); do
		eval "$1" && return 0
		sleep 0.2
	done
	return 1
}
ALL="microsoft_primary microsoft_secondary private_primary private_secondary public_primary public_secondary"
NOPRI="microsoft_secondary private_secondary public_secondary"
vnet_routes() { on "$B" ip -n $CU route show 10.1.0.0/16 | grep -c 'via 10.0.0'; }

LAB=$TEST_TMP/remote.ini
cat >"$LAB" <<'LABFILE'
[circuit er1]
name = MyTestCircuit
bandwidth = 200
location = Silicon Valley
service_provider_name = equinix
customer = remote:192.0.2.2
microsoft_address = 192.0.2.1
underlay_dev = under
vni_base = 20000

[peering er1 private]
primary_peer_subnet = 10.0.0.0/30
secondary_peer_subnet = 10.0.0.4/30
peer_asn = 1234
vlan_id = 100
shared_key = A1B2C3D4

[peering er1 public]
primary_peer_subnet = 131.107.0.0/30
secondary_peer_subnet = 131.107.0.4/30
peer_asn = 1234
vlan_id = 200

[peering er1 microsoft]
primary_peer_subnet = 131.107.0.8/30
secondary_peer_subnet = 131.107.0.12/30
vlan_id = 300
peer_asn = 1234
customer_asn = 2245
advertised_public_prefixes = 123.0.0.0/30
routing_registry_name = ARIN
shared_key = A1B2C3D4

[vnet er1 hub]
address_space = 10.1.0.0/16

[bgp]
msee = bird
customer = bird
customer_prefixes = 192.168.0.0/24
LABFILE

# A lab that cannot say where the Microsoft host is, is refused.
sed '/^microsoft_address/d' "$LAB" >"$TEST_TMP/nomsaddr.ini"
expect_on "$A" 2 up "$TEST_TMP/nomsaddr.ini"
has "$ERR" "needs microsoft_address" "remote without the Microsoft host's address is refused"

# A failure at any step (namespace, tunnels, VNet, BIRD) undoes the steps before it: nothing left,
# no VNI left bound (the up below makes the same tunnels).
for n in 1 2 7 8 9; do
	on "$A" env ERLAB_TEST_FAIL_AT_STEP=$n ERLAB_STATE_DIR=/run/erlab "$ERLAB" --datapath "$DP" up "$LAB" >/dev/null 2>&1
	eq "$? $(ns_on "$A") $(on "$A" ip -o link show | grep -vc ': \(lo\|under\)@*')" "1  0" "A: a failure at step $n leaves nothing"
done
expect_on "$A" 0 up "$LAB"
has "$OUT" "created MyTestCircuit" "host A builds the Microsoft side"
eq "$(ns_on "$A")" "MyTestCircuit-hub $MS" "host A: the Microsoft namespace and the VNet, no customer namespace"
expect_on "$B" 0 up "$LAB" --side customer
has "$OUT" "created MyTestCircuit" "host B builds the customer side"
eq "$(ns_on "$B")" "$CU" "host B: the customer namespace only"
if [ "$DP" = vlan ]; then
	eq "$(vxlan_of "$A" $MS primary)" "vxlan id 20000 remote 192.0.2.2 local 192.0.2.1 dstport 4789" "A: the primary trunk is VXLAN 20000 to B"
	eq "$(vxlan_of "$B" $CU secondary)" "vxlan id 24096 remote 192.0.2.1 local 192.0.2.2 dstport 4789" "B: the secondary trunk is VXLAN 24096 to A"
else
	eq "$(vxlan_of "$A" $MS primary.100)" "vxlan id 20100 remote 192.0.2.2 local 192.0.2.1 dstport 4789" "A: primary.100 is VXLAN 20100 to B"
	eq "$(vxlan_of "$B" $CU secondary.300)" "vxlan id 24396 remote 192.0.2.1 local 192.0.2.2 dstport 4789" "B: secondary.300 is VXLAN 24396 to A"
fi
KEY_A=$(on "$A" sed -n 's/^service_key = //p' /run/erlab/circuits/MyTestCircuit.ini)
eq "$(on "$A" ip -n $MS -o link show dev primary.100 | sed -n 's/.*alias \([^ \\]*\).*/\1/p')" \
	"erlab:$KEY_A:peering:private:primary" "A: the link carries erlab's mark"
eq "$(on "$B" sed -n 's/^side = //p' /run/erlab/circuits/MyTestCircuit.ini)" "customer" "B records the side it built"
for a in 10.0.0.2 10.0.0.6 131.107.0.2 131.107.0.6 131.107.0.10 131.107.0.14; do
	ok "ping_on $B $CU $a" "B's customer namespace reaches $a across the tunnels"
done
# wait on the customer host asks its own router (the Microsoft edge is A's).
expect_on "$B" 0 wait MyTestCircuit --timeout 20
ok "wait_for '[ \"\$(established_on $A)\" = \"$ALL\" ]' 20" "every BGP session Established across the tunnels"
ok "on $A sh -c 'grep -q \"password .A1B2C3D4.\" /run/erlab/bird/*microsoft*.conf' && on $B sh -c 'grep -q \"password .A1B2C3D4.\" /run/erlab/bird/*customer*.conf'" \
	"with the shared key as MD5 password on both hosts"
ok "wait_for '[ \"\$(vnet_routes)\" = 2 ]' 10" "B's customer router learns the VNet over both links"
ok "ping_on $B $CU 10.1.0.4" "B's customer reaches the VM on host A"

expect_on "$A" 0 status MyTestCircuit
has "$OUT" "drift: none" "A: status, no drift"
has "$OUT" "$CU  (on the other host)" "A: status says the customer side is on the other host"
expect_on "$B" 0 status MyTestCircuit
has "$OUT" "drift: none" "B: status, no drift"
lacks "$OUT" "hub" "B: no VNet looked for on the customer host"

# link down primary on host A: A's edge drops the primary sessions, B's router after its hold time.
expect_on "$A" 0 link down MyTestCircuit primary
ok "wait_for '[ \"\$(vnet_routes)\" = 1 ]' 15" "link down on A: B's route to the VNet leaves the primary link"
ok "ping_on $B $CU 10.1.0.4" "traffic to the VM goes over the secondary"
ok "! ping_on $B $CU 10.0.0.2" "the primary link carries nothing"
expect_on "$B" 3 wait MyTestCircuit --timeout 0.5
has "$ERR" "MyTestCircuit private_primary: " "wait on B names the customer router's sessions that are down"
lacks "$ERR" "private_secondary" "... and not those that are up"
expect_on "$A" 0 link up MyTestCircuit primary
ok "wait_for '[ \"\$(established_on $A)\" = \"$ALL\" ] && [ \"\$(vnet_routes)\" = 2 ]' 20" "link up on A: both links again"

# link down primary on host B: B's router drops them at once, A's edge after the hold time.
expect_on "$B" 0 link down MyTestCircuit primary
ok "wait_for '[ \"\$(established_on $A)\" = \"$NOPRI\" ]' 15" "link down on B: A's edge drops the primary sessions"
ok "ping_on $B $CU 10.1.0.4" "traffic to the VM goes over the secondary"
expect_on "$B" 0 status MyTestCircuit
has "$OUT" "drift: $CU/primary.100: down" "B: status shows the link it took down"
expect_on "$B" 0 link up MyTestCircuit primary
ok "wait_for '[ \"\$(established_on $A)\" = \"$ALL\" ]' 20" "link up on B: every session again"

# Drift on one host is repaired there; a plain up keeps the side the host recorded.
on "$B" ip -n $CU link del secondary.100 2>/dev/null || on "$B" ip -n $CU link del secondary
expect_on "$B" 0 status MyTestCircuit
has "$OUT" "missing" "B: status sees a tunnel deleted by hand"
expect_on "$B" 0 up "$LAB"
has "$OUT" "repaired MyTestCircuit" "B: up repairs it, as the customer side it recorded"
eq "$(ns_on "$B")" "$CU" "B is still the customer side"
ok "wait_for 'ping_on $B $CU 10.0.0.6' 5" "the secondary link carries traffic again"

# A VNI in use is refused: another circuit with the same VNI base on host A.
expect_on "$A" 0 circuit new Clash --bandwidth 200 --location "Silicon Valley" --provider equinix --provisioned \
	--customer remote:192.0.2.2 --microsoft-address 192.0.2.1 --vni-base 20000
expect_on "$A" 3 peering new Clash --type private --primary-subnet 10.9.0.0/30 --secondary-subnet 10.9.0.4/30 \
	--peer-asn 1234 --vlan 100
has "$ERR" "VXLAN 20" "a VNI already in use is refused, naming it"
expect_on "$A" 0 circuit deprovision Clash
expect_on "$A" 0 circuit remove Clash

# down on each host takes what that host built, and nothing of the other's.
expect_on "$B" 0 down "$LAB"
eq "$(ns_on "$B")" "" "down on B: no namespace left on B"
eq "$(on "$B" ls /run/erlab/circuits)" "" "no state left on B"
eq "$(ns_on "$A")" "MyTestCircuit-hub $MS" "A's side is untouched"
expect_on "$A" 0 down "$LAB"
eq "$(ns_on "$A")" "" "down on A: no namespace left on A"
eq "$(on "$A" ip -o link show | grep -vc ': \(lo\|under\)@*')" "0" "only lo and the underlay on A"
eq "$(on "$B" ip -o link show | grep -vc ': \(lo\|under\)@*')" "0" "only lo and the underlay on B"
ok "! pgrep -x bird >/dev/null" "no BIRD left on either host"

# down --all on the customer host, by marks.
expect_on "$B" 0 up "$LAB" --side customer
expect_on "$B" 0 down --all
eq "$(ns_on "$B")" "" "down --all on B leaves nothing"
finish
