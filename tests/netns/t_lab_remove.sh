#!/bin/bash
# `erlab up` removes what the lab file no longer has (README, "Lab files" "converges the machine to the file
# ... removes what the file no longer has"): a circuit whose sections are deleted goes with its
# namespaces and state, a deleted peering section takes its links; everything else is untouched
# (same ifindex, and an altname the test gave it survives). Runs on both datapaths: a peering's
# links are VLAN subinterfaces or veth pairs.
#
#   labs/two-circuits.ini + a public peering on SiliconValley:
#     SiliconValley  private VLAN 100, public VLAN 300
#     WashingtonDC   private VLAN 200
. "$(dirname "$0")/lib.sh"
LAB=$TEST_TMP/two-circuits.ini
SV=SiliconValley DC=WashingtonDC
cp "$ERLAB_SRC/labs/two-circuits.ini" "$LAB"
printf '\n[peering sv public]\nprimary_peer_subnet = 131.107.0.0/30\nsecondary_peer_subnet = 131.107.0.4/30\npeer_asn = 65001\nvlan_id = 300\n' >>"$LAB"
# A link's identity: its ifindex and an altname this test gives it. erlab presets veth ifindexes,
# so a link it rebuilt could come back with the same index, but not with the test's altname.
tag() { ip -n "$1" link property add dev "$2" altname "keep-$2"; }
ident() { ip -n "$1" -o link show dev "$2" 2>/dev/null | sed -n 's/^\([0-9]*\):.* altname \([^ \\]*\).*/\1 \2/p'; }
# The lab without the section whose header is exactly $1 (header and keys, up to the next header).
drop_section() {
	awk -v h="$1" '/^\[/ { skip = ($0 == h) } !skip' "$LAB" >"$LAB.new" && mv "$LAB.new" "$LAB"
	ok "! grep -qxF '$1' '$LAB'" "the lab no longer has $1"
}

expect 0 up "$LAB"
eq "$(namespaces)" "$SV-customer $SV-microsoft $DC-customer $DC-microsoft" "up made both circuits"
eq "$(state_files)" "$SV.ini $DC.ini" "and recorded both"
if [ "$DP" = vlan ]; then T1="primary " T2=" secondary"; else T1="" T2=""; fi
eq "$(links $SV-customer)" "lo ${T1}primary.100 primary.300${T2} secondary.100 secondary.300" "SiliconValley has its two peerings"
sv_key=$(sed -n 's/^service_key = //p' "$ERLAB_STATE_DIR/circuits/$SV.ini")
sv_state=$(cat "$ERLAB_STATE_DIR/circuits/$SV.ini")
tag $SV-customer primary.100; tag $SV-customer primary.300; tag $SV-microsoft secondary.300
id_c100=$(ident $SV-customer primary.100) id_c300=$(ident $SV-customer primary.300) id_m300=$(ident $SV-microsoft secondary.300)
ok '[ -n "$id_c100" ] && [ -n "$id_c300" ] && [ -n "$id_m300" ]' "the links have an identity ($id_c100, $id_c300, $id_m300)"

# ---- a circuit deleted from the file
drop_section "[circuit dc]"
drop_section "[peering dc private]"
expect 0 up --dry-run "$LAB"
has "$OUT" "remove $DC" "dry-run shows the circuit to remove"
lacks "$OUT" "$SV" "and nothing about the other circuit"
eq "$(namespaces)" "$SV-customer $SV-microsoft $DC-customer $DC-microsoft" "dry-run removes nothing"
expect 0 up "$LAB"
eq "$OUT" "removed $DC" "up says it removed the circuit, and nothing else"
eq "$(namespaces)" "$SV-customer $SV-microsoft" "its namespaces are gone, the other circuit's stay"
eq "$(state_files)" "$SV.ini" "its state file is gone"
expect 4 circuit get $DC
eq "$(ident $SV-customer primary.100)" "$id_c100" "the other circuit's links are untouched (customer primary.100: same ifindex, same altname)"
eq "$(ident $SV-microsoft secondary.300)" "$id_m300" "(microsoft secondary.300: same ifindex, same altname)"
eq "$(cat "$ERLAB_STATE_DIR/circuits/$SV.ini")" "$sv_state" "the other circuit's state is unchanged"
ok "pings $SV-customer 10.0.0.2 && pings $SV-customer 131.107.0.6" "and it still carries traffic"
expect 0 up "$LAB"
has "$OUT" "up to date" "a second up has nothing left to remove"

# ---- a peering deleted from the remaining circuit
drop_section "[peering sv private]"
expect 0 up "$LAB"
eq "$OUT" "changed $SV" "up says it changed the circuit"
for side in customer microsoft; do
	eq "$(links $SV-$side)" "lo ${T1}primary.300${T2} secondary.300" "$side: the private peering's links are gone, the public one's stay"
done
eq "$(ident $SV-customer primary.300)" "$id_c300" "the public peering's links are untouched (customer primary.300: same ifindex, same altname)"
eq "$(ident $SV-microsoft secondary.300)" "$id_m300" "(microsoft secondary.300: same ifindex, same altname)"
eq "$(alias_of $SV-customer primary.300)" "erlab:$sv_key:peering:public:primary" "and keep their mark"
expect 4 peering get $SV --type private
expect 0 peering get $SV --type public
has "$OUT" "vlan_id: 300" "the public peering is still recorded"
ok "pings $SV-customer 131.107.0.2 && pings $SV-customer 131.107.0.6" "and still carries traffic"
ok "! pings $SV-customer 10.0.0.2" "the private peering's address is gone"
expect 0 status $SV
has "$OUT" "drift: none" "no drift after the removal"
expect 0 up "$LAB"
has "$OUT" "up to date" "a second up changes nothing"

expect 0 down "$LAB"
eq "$(namespaces)" "" "down leaves nothing"
eq "$(state_files)" "" "and no state"
finish
