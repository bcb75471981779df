#!/bin/bash
# vm-tier: skip (datapath-independent; runs on the host, and the VM tier runs under slow TCG)
# erlab router-config (docs/bgp.md, "Customer router configs"): the verb's errors and flavors,
# then FRR (Debian's frr) in the customer namespace with the config it prints, against erlab's
# BIRD as the Microsoft edge:
#
#   FrrLab-customer (FRR: zebra + bgpd)  ==primary.100/.300==  FrrLab-microsoft (BIRD, AS 12076)
#     AS 65010 private, AS 1234 Microsoft ==secondary.100/.300==    `-- to-hub -- FrrLab-hub (vm 10.1.0.4)
#
# All four sessions reach Established (TCP-MD5 on both peerings, a local AS on the Microsoft ones),
# the VNet's prefix reaches the customer's kernel over both links, the customer's prefixes reach the
# edge on their own peering only, the VM answers, and with the primary link down it still does over
# the secondary. Every FRR process is gone at the end (and the sandbox's PID namespace ends them).
. "$(dirname "$0")/lib.sh"
needs_hooks
command -v bird >/dev/null || { echo "SKIP: BIRD is not installed"; exit 77; }
C=FrrLab CU=FrrLab-customer MS=FrrLab-microsoft
export ERLAB_TEST_BGP_ERROR_WAIT=1
LAB=$TEST_TMP/frr.ini
cat >"$LAB" <<'EOF'
[circuit f]
name = FrrLab
bandwidth = 200
location = Silicon Valley
service_provider_name = Equinix

[peering f private]
primary_peer_subnet = 10.0.0.0/30
secondary_peer_subnet = 10.0.0.4/30
peer_asn = 65010
vlan_id = 100
shared_key = FrrKey1

[peering f microsoft]
primary_peer_subnet = 131.107.0.0/30
secondary_peer_subnet = 131.107.0.4/30
peer_asn = 1234
customer_asn = 2245
vlan_id = 300
advertised_public_prefixes = 123.0.0.0/24
shared_key = FrrKey2

[vnet f hub]
address_space = 10.1.0.0/16

[bgp]
msee = bird
customer_prefixes = 192.168.10.0/24
EOF
expect 0 up "$LAB"

# The verb: its errors, exit codes and flavors.
expect 4 router-config NoSuch --flavor frr
has "$ERR" "NoSuch" "an unknown circuit is named (exit 4)"
expect 2 router-config $C --flavor cisco
has "$ERR" "--flavor cisco: use frr, bird, ios-xe or junos" "an unknown flavor names the choices (exit 2)"
expect 2 router-config $C
has "$ERR" "--flavor is required" "the flavor is required"
expect 2 router-config $C --flavor frr --peering nosuch
has "$ERR" "--peering nosuch: use private, public or microsoft" "an unknown peering type names the choices"
expect 4 router-config $C --flavor frr --peering public
has "$ERR" "The public peering of circuit 'FrrLab' was not found." "a peering the circuit lacks is not found (exit 4)"
expect 2 router-config --flavor frr
expect 0 router-config $C --flavor ios-xe
has "$OUT" "interface GigabitEthernet0/0/0.100
 description Private peering, primary link
 encapsulation dot1Q 100
 ip address 10.0.0.1 255.255.255.252" "ios-xe: the private peering's subinterface on VLAN 100"
has "$OUT" " neighbor 131.107.0.2 local-as 1234 no-prepend replace-as" "ios-xe: the Microsoft peering speaks its own AS"
expect 0 router-config $C --flavor junos --peering microsoft
has "$OUT" "authentication-key \"FrrKey2\";" "junos --peering microsoft: the Microsoft peering's key"
lacks "$OUT" "FrrKey1" "... and nothing of the private peering"
expect 0 router-config $C --flavor bird
printf '%s\n' "$OUT" >"$TEST_TMP/customer-bird.conf"
ok "bird -p -c $TEST_TMP/customer-bird.conf" "BIRD accepts the bird flavor"
has "$OUT" "password \"FrrKey1\";" "the bird flavor has the private peering's key"

# FRR, live.
FRR=/usr/lib/frr
if ! [ -x $FRR/zebra ] || ! [ -x $FRR/bgpd ] || ! command -v vtysh >/dev/null; then
	echo "SKIP: FRR (Debian's frr: $FRR/zebra, $FRR/bgpd, vtysh) is not installed; the live part did not run"
	echo "$PASSED passed, $FAILED failed"
	[ "$FAILED" -eq 0 ] && exit 77
	exit 1
fi
expect 0 router-config $C --flavor frr
printf '%s\n' "$OUT" >"$TEST_TMP/frr.conf"
ok "vtysh -C -f $TEST_TMP/frr.conf >/dev/null" "FRR's own parser accepts the config (vtysh -C)"
for g in classic dualstack; do
	ok "vtysh -C -f $ERLAB_SRC/tests/data/router/$g.frr >/dev/null" "... and the golden $g.frr (IPv6, local AS, three peerings)"
done

# FRR's daemons keep their crash logs in /var/tmp/frr: the sandbox's own, here.
mount -t tmpfs erlab-frr /var/tmp
D=/run/frr-$C
mkdir -p $D && chown frr:frr $D
cleanup() {
	local p
	for p in $(cat $D/bgpd.pid $D/zebra.pid 2>/dev/null); do kill "$p" 2>/dev/null; done
}
trap cleanup EXIT
frr_start() { # DAEMON
	"$ERLAB" --state-dir "$ERLAB_STATE_DIR" exec $C customer -- $FRR/$1 -d -f /dev/null -u frr -g frr -P 0 \
		-i $D/$1.pid -z $D/zserv.api --vty_socket $D --log file:$D/$1.log
}
T0=$(date +%s%N)
ok "frr_start zebra && frr_start bgpd" "zebra and bgpd start in $CU"
ok "vtysh --vty_socket $D -f $TEST_TMP/frr.conf" "vtysh loads the generated config into them"
ALL="microsoft_primary=Established microsoft_secondary=Established private_primary=Established private_secondary=Established"
ok "wait_bgp_sessions $C '$ALL' 30" "FRR's four sessions reach Established with erlab's BIRD edge"
echo "  (Established $((($(date +%s%N) - T0) / 1000000)) ms after FRR started)"

CTL=$(ls "$ERLAB_STATE_DIR"/bird/*-microsoft.ctl)
route_ok() { # NS PREFIX WANT...: the kernel route of PREFIX in NS has exactly the next hops WANT
	local got
	got=$(ip -n "$1" route show "$2" | grep -o 'via [0-9a-f.:]*' | sort | tr '\n' ' ' | sed 's/ $//')
	[ "$got" = "$3" ]
}
wait_route() { local i; for i in $(seq 1 50); do route_ok "$@" && return 0; sleep 0.2; done; ip -n "$1" route show "$2"; return 1; }
ok "wait_route $CU 10.1.0.0/16 'via 10.0.0.2 via 10.0.0.6'" "the VNet's prefix is in the customer's kernel over both links"
ok "ip -n $CU route show 10.1.0.0/16 | grep -q 'proto bgp'" "... installed by FRR"
ok "wait_route $MS 192.168.10.0/24 'via 10.0.0.1 via 10.0.0.5'" "the customer's prefix reached the edge over both links"
ok "wait_route $MS 123.0.0.0/24 'via 131.107.0.1 via 131.107.0.5'" "the Microsoft peering's prefix reached the edge on that peering"
eq "$(birdc -s "$CTL" show route protocol private_primary | grep -c '^[0-9]')" 1 "the private session carries the customer prefix alone"
eq "$(birdc -s "$CTL" show route filtered protocol microsoft_primary | grep -c '^[0-9]')" 0 \
	"the Microsoft session carries nothing the edge filters out (no VNet or private prefix leaks)"
ok "pings $CU 10.1.0.4" "the customer reaches the VNet's VM over the circuit"

# The primary link fails: traffic moves to the secondary.
expect 0 link down $C primary
T0=$(date +%s%N)
ok "for i in \$(seq 1 25); do pings $CU 10.1.0.4 && break; sleep 0.2; done; pings $CU 10.1.0.4" \
	"with the primary link down the VM answers over the secondary"
echo "  (failover: $((($(date +%s%N) - T0) / 1000000)) ms)"
ok "wait_route $CU 10.1.0.0/16 'via 10.0.0.6'" "the customer routes the VNet over the secondary link alone"
ok "wait_route $MS 192.168.10.0/24 'via 10.0.0.5'" "the edge routes the customer's prefix over the secondary alone"
expect 0 link up $C primary
ok "wait_bgp_sessions $C '$ALL' 30" "link up brings the primary sessions back"
ok "wait_route $CU 10.1.0.0/16 'via 10.0.0.2 via 10.0.0.6'" "... and both links into the customer's route"

cleanup
ok "for i in \$(seq 1 25); do ! pgrep -x 'zebra|bgpd' >/dev/null && break; sleep 0.2; done; ! pgrep -x 'zebra|bgpd' >/dev/null" \
	"no FRR process is left"
expect 0 down "$LAB"
eq "$(namespaces)" "" "down leaves nothing"
ok "! pgrep -x bird >/dev/null" "no BIRD left"
finish
