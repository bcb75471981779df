#!/bin/bash
# Lab files (README, "Lab files"): up converges and is idempotent, an edit changes only what was
# edited (untouched links keep their ifindex), two labs live side by side, drift is shown by
# status and repaired by up, down removes exactly the lab's circuits.
#
#   labs/classic.ini:      MyTestCircuit  private VLAN 100, public VLAN 200, microsoft VLAN 300
#   labs/two-circuits.ini: SiliconValley, WashingtonDC  (private peering each)
. "$(dirname "$0")/lib.sh"
CU=MyTestCircuit-customer MS=MyTestCircuit-microsoft
cp "$ERLAB_SRC/labs/classic.ini" "$TEST_TMP/classic.ini"
LAB=$TEST_TMP/classic.ini
# A link's identity: its ifindex and an altname the test gives it (erlab presets veth ifindexes, so
# a rebuilt link could come back with the same index, but not with the altname).
tag() { ip -n "$1" link property add dev "$2" altname "keep-$2"; }
ifindex() { ip -n "$1" -o link show dev "$2" | sed -n 's/^\([0-9]*\):.* altname \([^ \\]*\).*/\1 \2/p'; }

expect 0 up --dry-run "$LAB"
has "$OUT" "create MyTestCircuit" "dry-run shows the circuit to create"
has "$OUT" "primary.300" "dry-run lists the peering links"
eq "$(namespaces)" "" "dry-run changes nothing"

expect 0 up "$LAB"
has "$OUT" "created MyTestCircuit" "up reports what it created"
for v in 100 200 300; do
	ok "is_up $CU primary.$v && is_up $MS secondary.$v" "VLAN $v links are up on both sides"
done
ok "pings $CU 10.0.0.2 && pings $CU 131.107.0.6 && pings $CU 131.107.0.10" "all three peerings carry traffic"
tag $CU primary.200 && tag $CU primary.100
idx200=$(ifindex $CU primary.200) idx100=$(ifindex $CU primary.100)
ok '[ -n "$idx100" ] && [ -n "$idx200" ]' "links tagged: $idx100, $idx200"

expect 0 up "$LAB"
has "$OUT" "up to date" "a second up changes nothing and says so"
eq "$(ifindex $CU primary.100)" "$idx100" "a second up keeps every link"

sed -i 's/^vlan_id = 100$/vlan_id = 150/' "$LAB"
expect 0 up --dry-run "$LAB"
KIND=veth; [ "$DP" = vlan ] && KIND=VLAN
has "$OUT" "remove $KIND link primary.100" "dry-run of the edit shows the old links go"
has "$OUT" "create $KIND link primary.150" "and the new ones come"
lacks "$OUT" "primary.200" "and nothing about the untouched peerings"
expect 0 up "$LAB"
has "$OUT" "changed MyTestCircuit" "up reports the change"
eq "$(ifindex $CU primary.200)" "$idx200" "the untouched public peering kept its link (same ifindex and altname)"
eq "$(addrs $CU primary.150)" "10.0.0.1/30" "the private peering moved to VLAN 150"
lacks " $(links $CU) " " primary.100 " "its old link is gone"
expect 0 peering get MyTestCircuit --type private
has "$OUT" "vlan_id: 150" "the state follows the lab"

expect 0 up "$ERLAB_SRC/labs/two-circuits.ini"
eq "$(namespaces)" "MyTestCircuit-customer MyTestCircuit-microsoft SiliconValley-customer SiliconValley-microsoft WashingtonDC-customer WashingtonDC-microsoft" "two labs side by side"

# Drift: a link deleted by hand, an address changed, a link taken down.
ip -n $CU link del primary.200
ip -n $MS addr del 10.0.0.6/30 dev secondary.150
ip -n $MS addr add 10.0.0.7/30 dev secondary.150
expect 0 status MyTestCircuit
has "$OUT" "drift: $CU/primary.200: missing (public peering)" "status shows the deleted link"
has "$OUT" "drift: $MS/secondary.150: address 10.0.0.6/30 missing" "status shows the changed address"
has "$OUT" "drift: $MS/secondary.150: unexpected address 10.0.0.7/30" "and the address that replaced it"
expect 0 status --json
has "$OUT" '{"kind":"link","object":"MyTestCircuit-customer/primary.200","role":"customer","property":"present","expected":true,"found":false,' \
	"status --json lists drift as records"
expect 0 status --dot
has "$OUT" '"SiliconValley-customer" -- "SiliconValley-microsoft"' "status --dot draws every circuit's links"
expect 0 up "$LAB"
has "$OUT" "repaired MyTestCircuit" "up repairs drift"
expect 0 status MyTestCircuit
has "$OUT" "drift: none" "no drift after the repair"
ok "pings $CU 131.107.0.2 && pings $CU 10.0.0.6" "the repaired links carry traffic"

# A circuit the lab does not declare any more is removed; a hand-made one with a lab's name is refused.
expect 0 circuit new Hand --bandwidth 50 --location "Silicon Valley" --provider equinix
printf '\n[circuit hand]\nname = Hand\nbandwidth = 50\nlocation = Silicon Valley\nservice_provider_name = equinix\n' >>"$LAB"
expect 3 up "$LAB"
has "$ERR" "not made by this lab" "a lab does not adopt a circuit made by hand"
expect 0 circuit remove Hand

expect 0 down "$LAB"
eq "$(namespaces)" "SiliconValley-customer SiliconValley-microsoft WashingtonDC-customer WashingtonDC-microsoft" "down removes only this lab's circuits"
expect 0 down "$ERLAB_SRC/labs/two-circuits.ini"
eq "$(namespaces)" "" "nothing left"
eq "$(state_files)" "" "no state left"

expect 2 up "$ERLAB_SRC/labs/mistakes.ini"
eq "$(grep -c '^[^ ]*labs/mistakes.ini:[0-9]*: \[' <<<"$ERR")" 4 "every mistake of mistakes.ini in one run"
has "$ERR" "[peering er1 private] peer_asn=65515" "the reserved ASN, with section and key"
has "$ERR" "[peering er1 public] vlan_id=100: The vlanId specified is already in use." "the duplicate VLAN"
has "$ERR" "secondary_peer_subnet=10.0.0.8/29" "the /29"
has "$ERR" "advertised_public_prefixes=10.0.0.0/24" "the private prefix on Microsoft peering"
eq "$(namespaces)" "" "a lab with mistakes changes nothing"

expect 0 graph "$ERLAB_SRC/labs/classic.ini"
has "$OUT" 'graph "' "graph prints DOT"
has "$OUT" '"MyTestCircuit-customer" -- "MyTestCircuit-microsoft"' "with the links as edges"
has "$OUT" "VLAN 300 microsoft 131.107.0.9/30 - 131.107.0.10" "labelled with VLANs and addresses"
finish
