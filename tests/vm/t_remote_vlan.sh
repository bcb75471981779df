#!/bin/bash
# VM tier: a circuit whose customer side is on another host, on the vlan datapath (docs/layout.md,
# "Beyond one machine"): each trunk is a VXLAN tunnel between two emulated hosts (as
# tests/netns/t_remote.sh makes them), and the 802.1Q subinterfaces ride on it, so the underlay
# carries tagged frames inside VXLAN; a capture on it shows the VNI and the VLAN tag. Pings cross
# both links of both peerings, link down on the customer host fails the primary, down on each host
# leaves nothing. (BGP across the tunnels: t_remote, on the host.)
. "$(dirname "$0")/../netns/lib.sh"
[ "$DP" = vlan ] || { echo "SKIP: needs the vlan datapath (802.1Q)"; exit 77; }
command -v nsenter >/dev/null || { echo "SKIP: nsenter is not installed"; exit 77; }
command -v tcpdump >/dev/null || { echo "SKIP: tcpdump is not installed (scripts/deps.sh installs it)"; exit 77; }
CU=R1-customer MS=R1-microsoft
two_hosts
LAB=$TEST_TMP/remote-vlan.ini
cat >"$LAB" <<'LABFILE'
[circuit er1]
name = R1
bandwidth = 200
location = Silicon Valley
service_provider_name = equinix
customer = remote:192.0.2.2
microsoft_address = 192.0.2.1
underlay_dev = under
vni_base = 30000

[peering er1 private]
primary_peer_subnet = 10.0.0.0/30
secondary_peer_subnet = 10.0.0.4/30
peer_asn = 1234
vlan_id = 100

[peering er1 public]
primary_peer_subnet = 131.107.0.0/30
secondary_peer_subnet = 131.107.0.4/30
peer_asn = 1234
vlan_id = 200
LABFILE
expect_on "$A" 0 up "$LAB"
expect_on "$B" 0 up "$LAB" --side customer
eq "$(on "$A" ip -n $MS -d -o link show dev primary | grep -o 'vxlan id [0-9]*')" "vxlan id 30000" "A: the primary trunk is VXLAN 30000"
eq "$(on "$B" ip -n $CU -d -o link show dev secondary.200 | grep -o 'vlan protocol 802.1Q id [0-9]*')" \
	"vlan protocol 802.1Q id 200" "B: the peering links are 802.1Q subinterfaces of the tunnels"
for a in 10.0.0.2 10.0.0.6 131.107.0.2 131.107.0.6; do
	ok "ping_on $B $CU $a" "B's customer namespace reaches $a"
done

# The capture: one VXLAN packet of the primary trunk on the underlay, decoded to the inner frame.
cap=$TEST_TMP/capture
# (-Z root: the guest has no tcpdump user to drop privileges to)
# Both trunks carry packets (BGP keepalives, router solicitations on every VLAN): take up to 30,
# then look among the primary's (tcpdump prints each inner frame on the line after its VXLAN
# header) for a frame tagged with the private peering's VLAN.
on "$A" timeout 20 tcpdump -Z root -l -i under -nn -e -c 30 'udp port 4789' >"$cap" 2>"$cap.err" &
tcpdump_pid=$!
for i in 1 2 3 4 5 6 7 8 9 10; do
	sleep 1
	ping_on "$B" $CU 10.0.0.2
	grep -A1 "vni 30000" "$cap" 2>/dev/null | grep -q "vlan 100" && break
done
kill "$tcpdump_pid" 2>/dev/null
wait "$tcpdump_pid"   # (not a bare wait: the hosts are children too)
[ -s "$cap" ] && sed "s/^/  capture: /" "$cap" | head -4 || sed "s/^/  tcpdump: /" "$cap.err"
primary=$(grep -A1 "vni 30000" "$cap")
has "$primary" "vni 30000" "the capture shows the primary trunk's VNI"
has "$primary" "vlan 100" "and the 802.1Q tag of the private peering inside it"

expect_on "$B" 0 link down R1 primary
ok "! ping_on $B $CU 10.0.0.2" "link down on B: the primary link fails"
ok "ping_on $B $CU 10.0.0.6" "the secondary carries traffic"
expect_on "$B" 0 link up R1 primary
ok "ping_on $B $CU 10.0.0.2" "link up: the primary is back"

expect_on "$B" 0 down "$LAB"
expect_on "$A" 0 down "$LAB"
eq "$(ns_on "$A")|$(ns_on "$B")" "|" "down on each host leaves no namespace on either"
finish
