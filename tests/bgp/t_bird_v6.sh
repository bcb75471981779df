#!/bin/bash
# IPv6 sessions: a private peering with /126 subnets gets private_{primary,secondary}_v6 on both
# ends (TCP-MD5 over IPv6), and a VNet's IPv6 space reaches the customer over both links.
#
#   C-customer 2001:db8:1::1 / ::5  ---- private (vlan 100, v4 + v6) ----  2001:db8:1::2 / ::6 C-microsoft
#                                                                  fd00:1::1/64 to-hub -- C-hub
. "$ERLAB_SRC/tests/netns/lib.sh"

: "${BIRD_TOOL:?BIRD_TOOL must name the bird_tool binary}"
[ -x /usr/sbin/bird ] || { echo "SKIP: BIRD 2 is not installed"; exit 77; }
T=$BIRD_TOOL
S=$ERLAB_STATE_DIR

cleanup() {
	[ -n "${M_ctl:-}" ] && "$T" stop "$M_ctl" "$M_pid" >/dev/null 2>&1
	[ -n "${C_ctl:-}" ] && "$T" stop "$C_ctl" "$C_pid" >/dev/null 2>&1
	"$ERLAB" --state-dir "$S" --datapath "$DP" down --all >/dev/null 2>&1
	true
}
trap cleanup EXIT
sess_field() { "$T" sessions "$1" 2>/dev/null | awk -v n="$2" -v f="$3" '$1 == n {print $f}'; }
wait_state() {
	local end=$((SECONDS + $4))
	while [ $SECONDS -le $end ]; do
		[ "$(sess_field "$1" "$2" 2)" = "$3" ] && return 0
		sleep 0.5
	done
	return 1
}

expect 0 circuit new C --bandwidth 200 --location "Silicon Valley" --provider equinix --provisioned
expect 0 peering new C --type private --primary-subnet 10.0.0.0/30 --secondary-subnet 10.0.0.4/30 \
	--primary-subnet-v6 2001:db8:1::/126 --secondary-subnet-v6 2001:db8:1::4/126 \
	--peer-asn 1234 --vlan 100 --shared-key A1B2C3D4
expect 0 vnet link C hub --address-space 10.1.0.0/16,fd00:1::/64

eval "$("$T" paths "$S" C microsoft | sed 's/^/M_/')"
eval "$("$T" paths "$S" C customer | sed 's/^/C_/')"
"$T" conf msee "$S" C --log "$M_log" | "$T" write "$M_conf"
"$T" conf customer "$S" C --log "$C_log" --adv private=192.168.0.0/24,2001:db8:99::/48 | "$T" write "$C_conf"
ok '"$T" start C-microsoft "$M_conf" "$M_ctl" "$M_pid" "$M_log"' "MSEE starts"
ok '"$T" start C-customer "$C_conf" "$C_ctl" "$C_pid" "$C_log"' "customer starts"
for s in private_primary private_secondary private_primary_v6 private_secondary_v6; do
	ok 'wait_state "$M_ctl" $s Established 15' "MSEE $s Established"
done
eq "$(sess_field "$M_ctl" private_secondary_v6 4)" "2001:db8:1::5" "v6 neighbor is the customer's ::5"
sleep 1
r=$("$T" routes "$C_ctl" private_primary_v6)
has "$r" "fd00:1::/64 2001:db8:1::2 100 0" "the VNet's IPv6 space via the MSEE's v6 address"
has "$("$T" routes "$C_ctl" private_secondary_v6)" "fd00:1::/64" "... on the secondary link too"
has "$("$T" routes "$M_ctl" private_primary_v6)" "2001:db8:99::/48 2001:db8:1::1 100 0 best 1234" \
	"MSEE learns the customer's v6 prefix"
lacks "$("$T" routes "$C_ctl" private_primary_v6)" "10.1.0.0" "no IPv4 route on the v6 session"
has "$(ip -n C-customer -6 route show fd00:1::/64)" "2001:db8:1::" "customer kernel has the v6 VNet route"
ok 'ip netns exec C-customer ping -6 -c 1 -W 2 fd00:1::4 >/dev/null 2>&1' "customer pings the VNet VM over IPv6"
ok '"$T" stop "$M_ctl" "$M_pid" && "$T" stop "$C_ctl" "$C_pid"' "stop both"
ok '! pgrep -x bird >/dev/null' "no bird process left"
finish
