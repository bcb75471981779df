#!/bin/bash
# bench/state-dump.sh: every namespace under /run/netns as iproute2 sees it (links with details
# and alias, global addresses, root qdiscs), with what legitimately differs between two builds
# of the same state removed (operstate and carrier lag behind under linkwatch, counters, IPv6
# link-local addresses). scripts/bench --verify diffs it between erlab, the floor and the baselines.
set -eu
for ns in $(ls /run/netns | sort); do
	echo "== $ns"
	ip -n "$ns" -d -o link show | sed -E 's/ state [A-Z]+//; s/,LOWER_UP//; s/ link\/ether [0-9a-f:]+ brd [0-9a-f:]+//; s/ link-netns [^ ]+//; s/\\ +/ /g'
	ip -n "$ns" -o addr show scope global | sed -E 's/ +valid_lft.*//; s/ +/ /g'
	tc -n "$ns" -d qdisc show | grep -v '^qdisc noqueue' || true
done
