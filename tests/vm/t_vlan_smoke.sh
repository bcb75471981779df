#!/bin/bash
# Guest self-check for the VM tier: 802.1Q subinterfaces on a veth trunk carry traffic, and only
# between equal VLAN ids, so the frames on the trunk are tagged. No erlab involved.
#
#   [vsmk-a]                                        [vsmk-b]
#   trunk ─────────────── veth ────────────────── trunk
#    ├ trunk.100  192.0.2.1/30 ──── 192.0.2.2/30  trunk.100 ┤   same id: ping passes
#    └ trunk.200  192.0.2.5/30 ╳╳╳╳ 192.0.2.6/30  trunk.300 ┘   other ids: ping fails
#
# Exit 0 pass, 77 skip (no 802.1Q and ERLAB_DATAPATH is not vlan), 1 fail.
set -u

a=vsmk-a b=vsmk-b
failures=0

fail() {
	printf 'FAIL: %s\n' "$*"
	failures=$((failures + 1))
}
cleanup() {
	ip netns del "$a" 2>/dev/null
	ip netns del "$b" 2>/dev/null
}
trap cleanup EXIT

ip netns add "$a" && ip netns add "$b" || exit 1
ip -n "$a" link set lo up
ip -n "$b" link set lo up
ip -n "$a" link add trunk type veth peer name trunk netns "$b" || exit 1

if ! err=$(ip -n "$a" link add link trunk name trunk.100 type vlan id 100 2>&1); then
	if [[ ${ERLAB_DATAPATH:-} != vlan ]]; then
		printf 'SKIP: this kernel cannot create VLAN links: %s\n' "$err"
		exit 77
	fi
	printf 'FAIL: ip link add trunk.100 type vlan id 100 in %s: %s\n' "$a" "$err"
	exit 1
fi
ip -n "$a" link add link trunk name trunk.200 type vlan id 200 || fail "trunk.200 in $a"
ip -n "$b" link add link trunk name trunk.100 type vlan id 100 || fail "trunk.100 in $b"
ip -n "$b" link add link trunk name trunk.300 type vlan id 300 || fail "trunk.300 in $b"
ip -n "$a" addr add 192.0.2.1/30 dev trunk.100
ip -n "$b" addr add 192.0.2.2/30 dev trunk.100
ip -n "$a" addr add 192.0.2.5/30 dev trunk.200
ip -n "$b" addr add 192.0.2.6/30 dev trunk.300
for ns in "$a" "$b"; do
	for dev in $(ip -n "$ns" -o link show | awk -F': ' '{ sub(/@.*/, "", $2); print $2 }'); do
		ip -n "$ns" link set "$dev" up
	done
done

for ns in "$a" "$b"; do
	ip -n "$ns" -d link show trunk.100 | grep -q 'vlan protocol 802.1Q id 100 ' ||
		fail "trunk.100 in $ns is not 802.1Q id 100: $(ip -n "$ns" -d link show trunk.100)"
	ip -n "$ns" -o link show trunk.100 | grep -q 'trunk.100@trunk:' ||
		fail "trunk.100 in $ns is not on trunk"
done

ip netns exec "$a" ping -c 2 -i 0.2 -W 2 192.0.2.2 >/dev/null ||
	fail "no ping from $a trunk.100 to 192.0.2.2 over VLAN 100"
ip netns exec "$b" ping -c 2 -i 0.2 -W 2 192.0.2.1 >/dev/null ||
	fail "no ping from $b trunk.100 to 192.0.2.1 over VLAN 100"
ip netns exec "$a" ping -c 1 -W 1 192.0.2.6 >/dev/null 2>&1 &&
	fail "ping from VLAN 200 in $a reached VLAN 300 in $b: frames are not tagged"

# The tagged frames cross the trunk: both ends counted traffic on it.
rx=$(ip netns exec "$b" cat /sys/class/net/trunk/statistics/rx_packets)
((rx >= 2)) || fail "trunk in $b received $rx packets, expected the tagged pings"

cleanup
trap - EXIT
[[ -z $(ip netns list) ]] || fail "namespaces left after teardown: $(ip netns list | tr '\n' ' ')"

if ((failures)); then
	printf '%d checks failed\n' "$failures"
	exit 1
fi
echo "PASS: VLAN 100 carries traffic across the trunk; VLAN 200 and 300 stay apart"
