#!/bin/bash
# bench/ip-plain.sh N up|down: baseline (a), one ip/tc process per kernel object or change,
# as a hand-written script would; the objects are bench/layout.sh's (the same as erlab's).
# 46 processes per circuit to build, 2 to remove. Run it only inside scripts/bench's sandbox.
set -eu
. "$(dirname "$0")/layout.sh"
bench_args "$@"
n=$1

plain_link() {
	local type=$1 vlan=$2 side=$3 idx=$4 ca=$5 ma=$6 dev="$3.$2"
	local mark="erlab:$KEY:peering:$type:$side"
	ip -n "$M" link add "$dev" index "$idx" $QUEUES type veth peer name "$dev" netns "$C" index $((idx + 100000)) $QUEUES
	ip -n "$C" link set "$dev" up alias "$mark"
	ip -n "$M" link set "$dev" up alias "$mark"
	tc -n "$C" qdisc replace dev "$dev" $TBF_ARGS
	tc -n "$M" qdisc replace dev "$dev" $TBF_ARGS
	ip -n "$C" addr add "$ca" brd + dev "$dev"
	ip -n "$M" addr add "$ma" brd + dev "$dev"
}

for ((i = 1; i <= n; i++)); do
	C=c$i-customer M=c$i-microsoft
	key_of "$i"
	if [ "$2" = down ]; then
		ip netns del "$M"
		ip netns del "$C"
		continue
	fi
	ip netns add "$C"
	ip -n "$C" link set lo up alias "erlab:$KEY:ns:customer"
	ip netns add "$M"
	ip -n "$M" link set lo up alias "erlab:$KEY:ns:microsoft"
	each_link plain_link
done
