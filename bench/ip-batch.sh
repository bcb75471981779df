#!/bin/bash
# bench/ip-batch.sh N up|down: baseline (b), iproute2's batch mode. One `ip -batch` in the
# caller's namespace adds every namespace and every veth pair (each end placed in its namespace),
# then per namespace one `ip -n NS -batch` (lo, links up with alias, addresses) and one
# `tc -n NS -batch` (tbf): 1 + 4N processes. Teardown is one `ip -batch` of `netns del`.
# The objects are bench/layout.sh's (the same as erlab's). Run it only inside scripts/bench's sandbox.
set -eu
. "$(dirname "$0")/layout.sh"
bench_args "$@"
n=$1
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

if [ "$2" = down ]; then
	for ((i = 1; i <= n; i++)); do
		printf 'netns del c%d-microsoft\nnetns del c%d-customer\n' "$i" "$i"
	done >"$tmp/del"
	exec ip -batch "$tmp/del"
fi

root_link() { printf 'link add %s index %s netns %s %s type veth peer name %s netns %s index %s %s\n' "$3.$2" "$4" "$M" "$QUEUES" "$3.$2" "$C" "$(($4 + 100000))" "$QUEUES"; }
ns_link() {
	local dev="$3.$2" mark="erlab:$KEY:peering:$1:$3"
	printf 'link set %s up alias %s\n' "$dev" "$mark" >>"$tmp/$C.ip"
	printf 'link set %s up alias %s\n' "$dev" "$mark" >>"$tmp/$M.ip"
	printf 'addr add %s brd + dev %s\n' "$5" "$dev" >>"$tmp/$C.ip.addr"
	printf 'addr add %s brd + dev %s\n' "$6" "$dev" >>"$tmp/$M.ip.addr"
	printf 'qdisc replace dev %s %s\n' "$dev" "$TBF_ARGS" >>"$tmp/$C.tc"
	printf 'qdisc replace dev %s %s\n' "$dev" "$TBF_ARGS" >>"$tmp/$M.tc"
}

# Writing the batch files is part of the method's cost, as it is for erlab's lab parsing.
for ((i = 1; i <= n; i++)); do
	C=c$i-customer M=c$i-microsoft
	key_of "$i"
	printf 'netns add %s\nnetns add %s\n' "$C" "$M"
	each_link root_link
	printf 'link set lo up alias erlab:%s:ns:customer\n' "$KEY" >"$tmp/$C.ip"
	printf 'link set lo up alias erlab:%s:ns:microsoft\n' "$KEY" >"$tmp/$M.ip"
	each_link ns_link
done >"$tmp/root"
ip -batch "$tmp/root"
for ((i = 1; i <= n; i++)); do
	for ns in "c$i-customer" "c$i-microsoft"; do
		cat "$tmp/$ns.ip.addr" >>"$tmp/$ns.ip"
		ip -n "$ns" -batch "$tmp/$ns.ip"
		tc -n "$ns" -batch "$tmp/$ns.tc"
	done
done
