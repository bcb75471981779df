#!/bin/bash
# erlab finds its links by their marks, not only by name (docs/layout.md, "Ownership marks"): a
# link renamed by hand is drift, and a change or removal takes it; a veth end moved away does not
# keep the other end alive.
. "$(dirname "$0")/lib.sh"
C=Marks CU=Marks-customer MS=Marks-microsoft
P=(--primary-subnet 10.0.0.0/30 --secondary-subnet 10.0.0.4/30 --peer-asn 1234)

expect 0 circuit new $C --bandwidth 200 --location "Silicon Valley" --provider equinix --provisioned
expect 0 peering new $C --type private "${P[@]}" --vlan 100
# (A kernel may refuse to rename a link that is up: down, renamed, up again.)
ip -n $CU link set primary.100 down && ip -n $CU link set primary.100 name renamed1 && ip -n $CU link set renamed1 up
expect 0 status $C
has "$OUT" "drift: $CU/renamed1: carries this circuit's mark (peering:private:primary) but is not one of its links" \
	"a renamed link of erlab's is drift"
has "$OUT" "drift: $CU/primary.100: missing" "and the name it had is missing"
expect 0 peering set $C --type private --vlan 101
for ns in $CU $MS; do
	lacks " $(links $ns) " " renamed1 " "peering set takes the renamed link ($ns)"
	lacks " $(links $ns) " " primary.100 " "and its old end ($ns)"
done
ok "pings $CU 10.0.0.2 && pings $CU 10.0.0.6" "both links carry traffic on VLAN 101"
expect 0 status $C
has "$OUT" "drift: none" "no drift left"

# A veth end moved into a namespace of its own: removal takes the end it left behind.
if [ "$DP" = veth ]; then
	ip netns add marks-elsewhere
	ip -n $CU link set primary.101 netns marks-elsewhere
	expect 0 peering remove $C --type private
	lacks " $(links $MS) " " primary.101 " "peering remove takes the Microsoft end of a moved pair"
	eq "$(ip -n marks-elsewhere -o link show | grep -c primary.101)" 0 "and the moved end goes with it"
	ip netns del marks-elsewhere
fi
expect 0 circuit deprovision $C
expect 0 circuit remove $C
eq "$(namespaces)" "" "nothing left"
finish
