#!/bin/bash
# vm-tier: skip (datapath-independent; runs on the host, and the VM tier runs under slow TCG)
# erlab graph and status --dot: valid DOT, rendered by Graphviz (`dot -Tsvg`, no warnings) and the
# SVG read back with an XML parser: the namespaces as nodes, an edge per peering and link, the VNet
# and its link; with --live (and status --dot) each link's up/down and each BGP session's state,
# in the label and in colour and style — a link taken down with `erlab link down` too.
. "$(dirname "$0")/lib.sh"
needs_hooks
command -v bird >/dev/null || { echo "SKIP: BIRD is not installed"; exit 77; }
command -v dot >/dev/null || { echo "SKIP: Graphviz is not installed (scripts/deps.sh installs it)"; exit 77; }
export ERLAB_TEST_BGP_ERROR_WAIT=1
C=MyTestCircuit

LAB=$TEST_TMP/lab.ini
cat "$ERLAB_SRC/labs/classic.ini" >"$LAB"
printf '\n[vnet er1 hub]\naddress_space = 10.1.0.0/16\n\n[bgp]\nmsee = bird\ncustomer = bird\ncustomer_prefixes = 192.168.0.0/24\n' >>"$LAB"

# svg ARGS...: erlab's DOT through `dot -Tsvg`; SVG: one line per node and edge of the drawing, read
# with Python's XML parser: "id|stroke|dashed|text line|text line|...". 1 when erlab or dot failed
# or dot warned.
svg() {
	SVG=""
	erl "$@"
	[ "$RC" = 0 ] || return 1
	printf '%s\n' "$OUT" >"$TEST_TMP/g.dot"
	dot -Tsvg "$TEST_TMP/g.dot" >"$TEST_TMP/g.svg" 2>"$TEST_TMP/dot.err" && [ ! -s "$TEST_TMP/dot.err" ] || return 1
	SVG=$(python3 - "$TEST_TMP/g.svg" <<'EOF'
import sys
import xml.etree.ElementTree as ET
ns = {"s": "http://www.w3.org/2000/svg"}
root = ET.parse(sys.argv[1]).getroot()
for g in root.iter("{http://www.w3.org/2000/svg}g"):
    if g.get("class") not in ("node", "edge"):
        continue
    shape = g.find("s:path", ns)
    if shape is None:
        shape = g.find("s:polygon", ns)
    stroke = shape.get("stroke") if shape is not None else ""
    dashed = "dashed" if shape is not None and shape.get("stroke-dasharray") else "solid"
    texts = [t.text or "" for t in g.findall("s:text", ns)]
    print("|".join([g.get("id"), stroke, dashed] + texts))
EOF
)
}
# render ARGS...: svg, as a check.
render() {
	if svg "$@"; then
		pass "Graphviz renders erlab $* without a warning"
	else
		fail "erlab $* (exit $RC) through dot -Tsvg: $ERR $(cat "$TEST_TMP/dot.err" 2>/dev/null)"
	fi
}
# line ID: the SVG summary line of the node or edge ID.
line() { grep -F "$1|" <<<"$SVG" | head -1; }

## graph LAB: the topology
render graph "$LAB"
eq "$(grep -c '' <<<"$SVG")" 10 "3 nodes, 6 peering edges (3 peerings, 2 links) and the VNet's edge"
has "$(line $C-customer)" "|$C-customer|customer edge" "the customer edge"
has "$(line $C-microsoft)" "|$C-microsoft|Microsoft edge (AS 12076)" "the Microsoft edge"
has "$(line $C-hub)" "|$C-hub|virtual network hub|10.1.0.0/16|vm 10.1.0.4" "the VNet, its address space and VM"
has "$(line $C/primary/private)" "|primary.100|VLAN 100 private 10.0.0.1/30 - 10.0.0.2" "the private peering on the primary link"
has "$(line $C/secondary/public)" "|secondary.200|VLAN 200 public 131.107.0.5/30 - 131.107.0.6" "the public peering on the secondary link"
has "$(line $C/secondary/microsoft)" "|secondary.300|VLAN 300 microsoft 131.107.0.13/30 - 131.107.0.14" "the Microsoft peering"
has "$(line $C/vnet/hub)" "|to-hub|10.1.0.1/16" "the VNet's link to the Microsoft edge"
has "$(line $C/primary/private)" "|black|solid|" "without --live, no state: black"
lacks "$SVG" "link up" "without --live, no link state"
# Both families of a dual-stack peering.
render graph "$ERLAB_SRC/labs/dual-stack.ini"
has "$(line DualStack/secondary/microsoft)" "|secondary.300|VLAN 300 microsoft 131.107.0.5/30 - 131.107.0.6|2a01:111:f100::5/126 - 2a01:111:f100::6" \
	"a dual-stack peering: both families' addresses"
has "$(line DualStack-hub)" "|10.1.0.0/16|fd00:1::/48|vm 10.1.0.4|vm fd00:1::4" "a dual-stack VNet: both spaces, both VM addresses"

# The title: the lab's path as given, here with a quote, a backslash and bytes that are not UTF-8
# (such a path cannot be recorded in the state, so this lab is drawn, never brought up).
DIR=$TEST_TMP/$'a "quoted\\" \xff\xc0 dir'
mkdir -p "$DIR"
cp "$LAB" "$DIR/lab.ini"
render graph "$DIR/lab.ini"
TITLE=$(python3 -c 'import sys, xml.etree.ElementTree as ET; print(ET.parse(sys.argv[1]).getroot().find("{http://www.w3.org/2000/svg}g/{http://www.w3.org/2000/svg}title").text)' "$TEST_TMP/g.svg")
eq "$TITLE" "$(printf '%s' "$DIR/lab.ini" | python3 -c 'import sys; print(sys.stdin.buffer.read().decode("utf-8", "replace").replace("\\", "\\\\"))')" \
	"the title: the lab's path, a quote kept, bytes that are not UTF-8 as U+FFFD"

# A plain user draws a lab, but --live reads the kernel and the state: refused as every such verb is.
if command -v setpriv >/dev/null; then
	chmod 755 "$TEST_TMP" && chmod 644 "$LAB"
	ok "setpriv --reuid=65534 --regid=65534 --clear-groups \"$ERLAB\" graph \"$LAB\" | grep -q '^graph '" "a plain user's graph"
	OUT=$(setpriv --reuid=65534 --regid=65534 --clear-groups "$ERLAB" graph "$LAB" --live 2>&1)
	eq "$?" 1 "a plain user's graph --live exits 1"
	has "$OUT" "erlab: graph --live: needs root" "naming root and erlab shell"
fi

## --live before up: drawn as the lab says, not up
render graph "$LAB" --live
has "$(cat "$TEST_TMP/g.svg")" ">not up<" "graph --live of a lab that is not up says so"
lacks "$SVG" "link up" "and has no link state"

## --live once up: every link up, every session Established
expect 0 up "$LAB"
live_ok() { # until every edge is green: links up, sessions Established
	local i
	for i in $(seq 1 100); do
		svg graph "$LAB" --live && [ "$(grep -c '|darkgreen|solid|' <<<"$SVG")" = 7 ] && return 0
		sleep 0.2
	done
	echo "$SVG"
	return 1
}
ok live_ok "graph --live: all 7 edges green within 20 s (links up, sessions Established)"
render graph "$LAB" --live
has "$(line $C/primary/private)" "|darkgreen|solid|primary.100|VLAN 100 private 10.0.0.1/30 - 10.0.0.2|link up|BGP IPv4 Established" \
	"the private peering: link up, its session Established"
has "$(line $C/primary/public)" "|link up|BGP IPv4 Established" "the public peering's session"
has "$(line $C/vnet/hub)" "|darkgreen|solid|to-hub|10.1.0.1/16|link up" "the VNet's link up"
has "$(line $C-customer)" "|black|solid|" "a namespace that is there: plain"

## a link taken down: red and dashed, its sessions not Established; the other link unchanged
expect 0 link down $C primary
render graph "$LAB" --live
for t in private public microsoft; do
	has "$(line $C/primary/$t)" "|red|dashed|" "primary $t: red and dashed"
	has "$(line $C/primary/$t)" "|link down|" "primary $t: link down"
	has "$(line $C/secondary/$t)" "|darkgreen|solid|" "secondary $t: still green"
	has "$(line $C/secondary/$t)" "|link up|BGP IPv4 Established" "secondary $t: link up, Established"
done
primary_idle() { svg graph "$LAB" --live && ! grep -F "$C/primary/" <<<"$SVG" | grep -q Established; }
ok "for i in \$(seq 1 50); do primary_idle && break; sleep 0.2; done; primary_idle" "the primary link's sessions leave Established"
# status --dot draws the same, from the recorded circuits.
render status --dot
has "$(line $C/primary/private)" "|red|dashed|primary.100|" "status --dot: the link down"
has "$(line $C/secondary/private)" "|darkgreen|solid|secondary.100|" "status --dot: the other link up"
render status $C --dot
has "$(line $C/vnet/hub)" "|to-hub|" "status CIRCUIT --dot: the VNet too"

## the link back up, a VNet namespace gone
expect 0 link up $C primary
ok live_ok "link up: every edge green again"
ip netns del $C-hub
render status --dot
has "$(line $C-hub)" "|red|dashed|$C-hub|virtual network hub|10.1.0.0/16|vm 10.1.0.4|(missing)" "a namespace that is gone: red, dashed, (missing)"
has "$(line $C/vnet/hub)" "|red|dashed|to-hub|10.1.0.1/16|link down" "and its link down"

expect 0 down "$LAB"
finish
