#!/bin/bash
# vm-tier: skip (datapath-independent; runs on the host, and the VM tier runs under slow TCG)
# erlab down --all removes every erlab object, even with the state dir gone, and never touches
# objects without erlab's mark (README, "What erlab guarantees").
. "$(dirname "$0")/lib.sh"

K0=00000000-0000-4000-8000-000000000000
# Foreign namespaces, some named exactly like erlab's: only the mark may decide, never the name.
#   foreign               plain, with links of its own
#   Foreign-customer      erlab's naming, no mark at all
#   NoRole-customer       "erlab:<key>:" with nothing after the key
#   BadKey-microsoft      "erlab:<36 characters, not a GUID>:ns:microsoft"
#   NoColon-customer      "erlab:<key>" without the ':' that ends the key
FOREIGN="BadKey-microsoft Foreign-customer NoColon-customer NoRole-customer foreign"
declare -A MARK=([Foreign-customer]="" [NoRole-customer]="erlab:$K0:" [NoColon-customer]="erlab:$K0"
	[BadKey-microsoft]="erlab:0b5b6c4e-56a8-4a4e-9b33-0d3b7a1c2fzz:ns:microsoft")
make_foreign() {
	local n
	ip netns add foreign
	ip -n foreign link add f0 type veth peer name f1
	for n in "${!MARK[@]}"; do
		ip netns add "$n"
		ip -n "$n" link set lo up
		[ -n "${MARK[$n]}" ] && ip -n "$n" link set lo alias "${MARK[$n]}"
	done
}
foreign_untouched() {   # LABEL
	local n
	eq "$(links foreign)" "f0 f1 lo" "$1: the foreign namespace keeps its links"
	for n in "${!MARK[@]}"; do
		eq "$(alias_of "$n" lo)" "${MARK[$n]}" "$1: $n keeps its lo alias"
	done
}

expect 0 up "$ERLAB_SRC/labs/two-circuits.ini"
expect 0 circuit new Solo --bandwidth 50 --location "Silicon Valley" --provider equinix
make_foreign
expect 0 down --all
eq "$(namespaces)" "$FOREIGN" "down --all removed every erlab namespace and kept every foreign one, erlab-like names included"
eq "$(state_files)" "" "and every state file"
foreign_untouched "down --all"

expect 0 up "$ERLAB_SRC/labs/two-circuits.ini"
rm -rf "$ERLAB_STATE_DIR"
expect 0 down --all
eq "$(namespaces)" "$FOREIGN" "with the state dir gone, down --all still removes the marked namespaces and only those"
foreign_untouched "down --all without state"
for n in $FOREIGN; do ip netns del "$n"; done
finish
