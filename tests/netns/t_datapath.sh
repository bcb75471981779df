#!/bin/bash
# --datapath and erlab check (docs/layout.md): on a kernel without 802.1Q, vlan fails naming the missing
# support and the fix, auto falls back to veth with a one-line notice.
. "$(dirname "$0")/lib.sh"

expect 0 check
has "$OUT" "netns    yes" "check reports network namespaces"
has "$OUT" "veth     yes" "check reports veth"
has "$OUT" "tbf      yes" "check reports tbf"

if [ "$DP" = vlan ]; then
	has "$OUT" "802.1Q   yes" "check reports 802.1Q"
	erl --datapath auto circuit new Auto --bandwidth 50 --location "Silicon Valley" --provider equinix
	eq "$RC:$ERR" "0:" "auto picks vlan silently on a kernel with 802.1Q"
	expect 0 circuit get Auto
	has "$OUT" "datapath: vlan" "the circuit records the vlan datapath"
	eq "$(link_kind Auto-customer primary)" veth "vlan datapath: the trunk is a veth pair"
else
	has "$OUT" "802.1Q   no" "check reports no 802.1Q"
	has "$OUT" "modprobe 8021q" "check names the fix"
	erl --datapath vlan circuit new V --bandwidth 50 --location "Silicon Valley" --provider equinix
	eq "$RC" 1 "--datapath vlan fails on a kernel without 802.1Q"
	has "$ERR" "802.1Q" "the error names 802.1Q"
	has "$ERR" "modprobe 8021q" "the error names the fix"
	has "$ERR" "--datapath veth" "the error names the alternative"
	eq "$(namespaces)" "" "nothing was created"
	erl --datapath auto circuit new Auto --bandwidth 50 --location "Silicon Valley" --provider equinix
	eq "$RC" 0 "auto works without 802.1Q"
	eq "$(grep -c . <<<"$ERR")" 1 "auto prints one line"
	has "$ERR" "veth datapath" "and it says it uses the veth datapath"
	erl -q --datapath auto circuit new Quiet --bandwidth 50 --location "Silicon Valley" --provider equinix
	eq "$RC:$ERR" "0:" "-q silences the notice"
	expect 0 circuit remove Quiet
	expect 0 circuit get Auto
	has "$OUT" "datapath: veth" "the circuit records the veth datapath"
fi
expect 0 circuit remove Auto
eq "$(namespaces)" "" "nothing left"
finish
