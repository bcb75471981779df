#!/bin/bash
# BIRD as the Microsoft edge and as the customer router over a real erlab circuit (docs/bgp.md).
#
#   C-customer (AS 1234, bird)                       C-microsoft (AS 12076, bird)        C-hub
#   primary.100   10.0.0.1    ---- private ----   10.0.0.2    primary.100
#   secondary.100 10.0.0.5    ---- private ----   10.0.0.6    secondary.100
#   primary.300   131.107.0.1 --- microsoft ---   131.107.0.2 primary.300
#   secondary.300 131.107.0.5 --- microsoft ---   131.107.0.6 secondary.300
#                                                 10.1.0.1/16 to-hub ---- to-microsoft/vm 10.1.0.4/16
#
# Runs inside tests/netns/run.sh's sandbox (ERLAB, ERLAB_SRC, ERLAB_STATE_DIR, TEST_TMP set) with
# BIRD_TOOL naming the tests/bgp/bird_tool binary. Proves: the four sessions come up with TCP-MD5,
# VNet routes reach the customer over both links (and carry traffic), Microsoft peering drops
# prefixes outside AdvertisedPublicPrefixes, more than 200 prefixes drop the session until the
# count falls back, a wrong key keeps a session down, reconfiguration leaves other sessions alone,
# and stopping leaves no bird behind.
. "$ERLAB_SRC/tests/netns/lib.sh"

: "${BIRD_TOOL:?BIRD_TOOL must name the bird_tool binary}"
if [ ! -x /usr/sbin/bird ]; then
	echo "SKIP: BIRD 2 (/usr/sbin/bird) is not installed"
	exit 77
fi
if [ "$DP" != veth ] && [ "$DP" != vlan ]; then
	echo "SKIP: datapath $DP"
	exit 77
fi

T=$BIRD_TOOL
S=$ERLAB_STATE_DIR

cleanup() {
	[ -n "${M_ctl:-}" ] && "$T" stop "$M_ctl" "$M_pid" >/dev/null 2>&1
	[ -n "${C_ctl:-}" ] && "$T" stop "$C_ctl" "$C_pid" >/dev/null 2>&1
	"$ERLAB" --state-dir "$S" --datapath "$DP" down --all >/dev/null 2>&1
	true
}
trap cleanup EXIT

# Poll until a session reaches a state: wait_state CTL NAME STATE SECONDS
sess() { "$T" sessions "$1" 2>/dev/null | awk -v n="$2" '$1 == n'; }
sess_field() { sess "$1" "$2" | awk -v f="$3" '{print $f}'; }
wait_state() {
	local end=$((SECONDS + $4))
	while [ $SECONDS -le $end ]; do
		[ "$(sess_field "$1" "$2" 2)" = "$3" ] && return 0
		sleep 0.5
	done
	return 1
}
# The count of routes the MSEE imported on a session (field 6), after waiting for it to settle.
wait_imported() {
	local end=$((SECONDS + $4))
	while [ $SECONDS -le $end ]; do
		[ "$(sess_field "$1" "$2" 6)" = "$3" ] && return 0
		sleep 0.5
	done
	return 1
}

customer_conf() { "$T" conf customer "$S" C --log "$C_log" --error-wait 2 --adv private=192.168.0.0/24 "$@"; }
msee_conf() { "$T" conf msee "$S" C --log "$M_log" --error-wait 2 "$@"; }

# --- the circuit, its two peerings, and a VNet behind the Microsoft edge ---
expect 0 circuit new C --bandwidth 200 --location "Silicon Valley" --provider equinix --provisioned
expect 0 peering new C --type private --primary-subnet 10.0.0.0/30 --secondary-subnet 10.0.0.4/30 \
	--peer-asn 1234 --vlan 100 --shared-key A1B2C3D4
expect 0 peering new C --type microsoft --primary-subnet 131.107.0.0/30 --secondary-subnet 131.107.0.4/30 \
	--peer-asn 1234 --vlan 300 --customer-asn 2245 --advertised-prefixes 123.0.0.0/24 --registry ARIN

expect 0 vnet link C hub --address-space 10.1.0.0/16

eval "$("$T" paths "$S" C microsoft | sed 's/^/M_/')"
eval "$("$T" paths "$S" C customer | sed 's/^/C_/')"
ok '[ -n "$M_ctl" ] && [ -n "$C_ctl" ]' "paths for both daemons under the state dir"

msee_conf | "$T" write "$M_conf"
customer_conf | "$T" write "$C_conf"
ok '[ "$(stat -c %a "$M_conf")" = 600 ]' "the MSEE config (MD5 keys inside) is 0600"
ok '"$T" check "$M_conf" && "$T" check "$C_conf"' "bird -p accepts both configs"

# --- start: errors first ---
out=$("$T" start C-nothere "$M_conf" "$M_ctl" "$M_pid" "$M_log" 2>&1); rc=$?
eq "$rc" 4 "start in a missing namespace: not found"
has "$out" "/run/netns/C-nothere" "the error names the namespace"
printf 'protocol bgp {\n' >"$TEST_TMP/bad.conf"
out=$("$T" start C-microsoft "$TEST_TMP/bad.conf" "$TEST_TMP/bad.ctl" "$TEST_TMP/bad.pid" "$TEST_TMP/bad.log" 2>&1); rc=$?
eq "$rc" 2 "start with a config BIRD refuses: invalid input"
has "$out" "bad.conf:" "BIRD's own parse error (file:line:col) is in the message"
ok '! pgrep -x bird >/dev/null' "nothing left running after the failed starts"

# --- start both; all four sessions Established within 15 s, on both ends ---
ok '"$T" start C-microsoft "$M_conf" "$M_ctl" "$M_pid" "$M_log"' "MSEE BIRD starts in C-microsoft"
ok '"$T" start C-customer "$C_conf" "$C_ctl" "$C_pid" "$C_log"' "customer BIRD starts in C-customer"
out=$("$T" start C-microsoft "$M_conf" "$M_ctl" "$M_pid" "$M_log" 2>&1); rc=$?
eq "$rc" 3 "a second start on the same socket is refused (exists)"
ok '[ "$(cat /proc/$(cat "$M_pid")/comm)" = bird ]' "the pid file names a bird process"
start=$SECONDS
for s in private_primary private_secondary microsoft_primary microsoft_secondary; do
	ok 'wait_state "$M_ctl" $s Established $((start + 15 - SECONDS))' "MSEE $s Established within 15 s"
	ok 'wait_state "$C_ctl" $s Established 2' "customer $s Established"
done
eq "$(sess_field "$M_ctl" private_primary 4) $(sess_field "$M_ctl" private_primary 5)" "10.0.0.1 1234" \
	"MSEE private_primary: neighbor 10.0.0.1 AS 1234"
eq "$(sess_field "$C_ctl" microsoft_secondary 4) $(sess_field "$C_ctl" microsoft_secondary 5)" \
	"131.107.0.6 12076" "customer microsoft_secondary: neighbor 131.107.0.6 AS 12076"
ok '[ "$(sess_field "$M_ctl" private_primary 9 | cut -d"|" -f1)" -gt 1000000000 ]' "since is parsed to epoch seconds"

# --- routes: the VNet reaches the customer over both links, the customer's prefix reaches the MSEE ---
ok 'wait_imported "$C_ctl" private_primary 1 5' "customer imports 1 route on private_primary"
eq "$("$T" routes "$C_ctl" private_primary)" "10.1.0.0/16 10.0.0.2 100 0 best 12076" \
	"private_primary: VNet space via 10.0.0.2, AS path 12076"
r=$("$T" routes "$C_ctl" private_secondary)
has "$r" "10.1.0.0/16 10.0.0.6 100 0" "private_secondary: VNet space via 10.0.0.6"
r=$(ip -n C-customer route show 10.1.0.0/16)
has "$r" "10.0.0.2" "customer kernel route to the VNet via the primary link"
has "$r" "10.0.0.6" "... and via the secondary link (ECMP)"
ok 'pings C-customer 10.1.0.4' "customer pings the VNet VM through the circuit"
ok 'wait_imported "$M_ctl" private_secondary 1 5' "MSEE imports the customer prefix on private_secondary"
eq "$("$T" routes "$M_ctl" private_secondary)" "192.168.0.0/24 10.0.0.5 100 0 - 1234" \
	"MSEE private_secondary: 192.168.0.0/24 via 10.0.0.5, AS path 1234"
eq "$("$T" routes "$C_ctl" microsoft_primary)" "" "Microsoft peering advertises nothing to the customer"
out=$("$T" routes "$M_ctl" 'x;y' 2>&1); rc=$?
eq "$rc" 2 "routes: a protocol name that is not [A-Za-z0-9_] is refused"
out=$("$T" routes "$M_ctl" nosuch 2>&1); rc=$?
eq "$rc" 4 "routes: an unknown protocol is not found"

# --- Microsoft peering accepts only AdvertisedPublicPrefixes ---
ok 'wait_imported "$M_ctl" microsoft_primary 1 5' "123.0.0.0/24 (advertised) is accepted on microsoft_primary"
p_since=$(sess_field "$M_ctl" private_primary 9)
customer_conf --adv microsoft=200.1.1.0/24 | "$T" write "$C_conf"
ok '"$T" configure "$C_ctl"' "customer reconfigured to advertise 200.1.1.0/24 on Microsoft peering"
ok 'wait_imported "$M_ctl" microsoft_primary 0 10' "200.1.1.0/24 is not accepted (0 imported)"
eq "$(sess_field "$M_ctl" microsoft_primary 7)" 1 "... it is counted as filtered"
eq "$(sess_field "$M_ctl" microsoft_primary 2)" Established "... and the session stays up"
eq "$("$T" routes "$M_ctl" microsoft_primary filtered | cut -d' ' -f1)" 200.1.1.0/24 "show route filtered lists it"
ok '[ -n "$p_since" ] && [ "$(sess_field "$M_ctl" private_primary 9)" = "$p_since" ]' \
	"reconfiguring the customer left private_primary up"

# --- more than 200 prefixes drop the Microsoft session; back to 200 brings it back ---
many=$(seq -s, -f '123.0.0.%g/32' 0 200)   # 201 prefixes inside 123.0.0.0/24
customer_conf --adv "microsoft=$many" | "$T" write "$C_conf"
ok '"$T" configure "$C_ctl"' "customer advertises 201 prefixes on Microsoft peering"
dropped=no
end=$((SECONDS + 15))
while [ $SECONDS -le $end ]; do
	line=$(sess "$M_ctl" microsoft_primary)
	case "$line" in *"Route limit exceeded"*|*"limit"*) dropped=yes; break ;; esac
	sleep 0.3
done
eq "$dropped" yes "201 prefixes: the MSEE drops microsoft_primary (route limit)"
echo "  MSEE: $line"
ok '! wait_imported "$M_ctl" microsoft_primary 201 2' "the MSEE never holds 201 prefixes"
ok '[ "$(sess_field "$M_ctl" microsoft_primary 2)" != Established ] || ! wait_imported "$M_ctl" microsoft_primary 201 1' \
	"the session does not stay up with 201 prefixes"
ok '[ "$(sess_field "$M_ctl" private_primary 9)" = "$p_since" ]' "the limit on Microsoft peering leaves private_primary up"
few=$(seq -s, -f '123.0.0.%g/32' 0 199)    # 200 prefixes
customer_conf --adv "microsoft=$few" | "$T" write "$C_conf"
ok '"$T" configure "$C_ctl"' "customer back to 200 prefixes"
ok 'wait_state "$M_ctl" microsoft_primary Established 20 && wait_imported "$M_ctl" microsoft_primary 200 10' \
	"200 prefixes: microsoft_primary is Established again with 200 imported"

# --- a wrong shared key keeps the session down; the right one brings it back ---
customer_conf --key private=WRONGKEY1 | "$T" write "$C_conf"
ok '"$T" configure "$C_ctl"' "customer reconfigured with a wrong key on private peering"
sleep 8
echo "  MSEE: $(sess "$M_ctl" private_primary)"
ok '[ "$(sess_field "$M_ctl" private_primary 2)" != Established ]' "wrong key: MSEE private_primary is not Established"
ok '[ "$(sess_field "$C_ctl" private_secondary 2)" != Established ]' "wrong key: customer private_secondary is not Established"
eq "$(sess_field "$M_ctl" microsoft_secondary 2)" Established "the Microsoft peering (no key) is unaffected"
customer_conf | "$T" write "$C_conf"
ok '"$T" configure "$C_ctl"' "customer reconfigured with the right key"
ok 'wait_state "$M_ctl" private_primary Established 15 && wait_state "$M_ctl" private_secondary Established 15' \
	"right key: both private sessions Established again"

# --- reconfiguring the MSEE with an unchanged config keeps every session; a bad config is refused ---
s1=$(sess_field "$M_ctl" microsoft_secondary 9)
ok '"$T" ensure C-microsoft "$M_conf" "$M_ctl" "$M_pid" "$M_log"' "ensure on a running MSEE reconfigures"
eq "$(sess_field "$M_ctl" microsoft_secondary 9)" "$s1" "... and keeps microsoft_secondary up"
cp "$M_conf" "$TEST_TMP/good.conf"
printf 'garbage\n' >>"$M_conf"
out=$("$T" configure "$M_ctl" 2>&1); rc=$?
eq "$rc" 2 "configure with a broken config file: invalid input"
has "$out" "syntax error" "... with BIRD's parse error"
eq "$(sess_field "$M_ctl" microsoft_secondary 2)" Established "... and the running config stays"
cp "$TEST_TMP/good.conf" "$M_conf"

# --- stop: nothing left, and stopping again is fine ---
ok '"$T" stop "$M_ctl" "$M_pid"' "stop the MSEE"
ok '"$T" stop "$C_ctl" "$C_pid"' "stop the customer router"
ok '! pgrep -x bird >/dev/null' "no bird process left"
ok '[ ! -e "$M_ctl" ] && [ ! -e "$M_pid" ] && [ ! -e "$C_ctl" ] && [ ! -e "$C_pid" ]' "sockets and pid files removed"
ok '"$T" stop "$M_ctl" "$M_pid"' "stop again: nothing to do, success"
ok '! ip -n C-customer route show | grep -q 10.1.0.0' "the customer's learnt routes left the kernel with BIRD"

# --- a BIRD first asked long after its launch (a lab of many circuits takes seconds to make before
#     its BIRDs are waited for) is judged by whether it answers then, not by its 5 s since launch ---
#     Here it is stopped (SIGSTOP) from 4 s to 7 s: asked at 6 s, it answers at 7 s.
"$T" start-late C-microsoft "$M_conf" "$M_ctl" "$M_pid" "$M_log" 6000 >"$TEST_TMP/late.out" 2>&1 &
late=$!
sleep 4
kill -STOP "$(cat "$M_pid")"
sleep 3
kill -CONT "$(cat "$M_pid")"
wait $late
eq "$?" 0 "a BIRD waited for 6 s after its launch, and busy until 1 s after, is found answering"
ok '"$T" sessions "$M_ctl" >/dev/null' "... and answers"
ok '"$T" stop "$M_ctl" "$M_pid"' "stop it"

# --- a stale pid file naming a process that is not bird is never signalled ---
sleep 300 &
sleeper=$!
echo $sleeper >"$M_pid"
ok '"$T" stop "$M_ctl" "$M_pid"' "stop with a stale pid file (pid of another program)"
ok 'kill -0 $sleeper' "... that program was not touched"
kill $sleeper
wait $sleeper 2>/dev/null

finish
