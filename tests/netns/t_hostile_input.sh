#!/bin/bash
# vm-tier: skip (datapath-independent; runs on the host, and the VM tier runs under slow TCG)
# Hostile input through the native verbs (docs/rules.md; README, "What erlab guarantees" "nothing created, nothing lost"):
# names with path and shell characters or too long, names that collide after case folding,
# numbers with signs, hex, octal, spaces and overflow, CIDRs with host bits, the wrong family
# or junk, shared keys with quotes and newlines. Every refusal exits 2 (3 for a name taken),
# says what was wrong with which value, and leaves the kernel and the state dir as they were.
. "$(dirname "$0")/lib.sh"
C=Hostile
LOC=(--location "Silicon Valley" --provider equinix)

# The state dir as bytes: names, modes, sizes and contents of everything in it.
snapshot() { (cd "$ERLAB_STATE_DIR" 2>/dev/null && find . -printf '%p %y %m\n' | sort && find . -type f -exec md5sum {} + | sort) | md5sum; }
unchanged() {   # LABEL: kernel and state as before
	eq "$(namespaces)" "$ns_before" "$1: no namespace created or removed"
	eq "$(snapshot)" "$state_before" "$1: state dir unchanged"
}
# How erlab echoes a value: bytes outside printable ASCII shown as '?'.
shown() { printf '%s' "$1" | LC_ALL=C tr -c '[:print:]' '?'; }
refused() {   # RC NEEDLE LABEL ARGS...: exit RC, stderr has NEEDLE, nothing changed
	local rc=$1 needle=$2 label=$3
	shift 3
	expect "$rc" "$@"
	has "$ERR" "$needle" "$label: the message names the value"
	eq "$(wc -l <<<"$ERR")" 1 "$label: one line on stderr"
	unchanged "$label"
}

expect 0 circuit new $C --bandwidth 200 "${LOC[@]}" --provisioned
expect 0 peering new $C --type private --primary-subnet 10.0.0.0/30 --secondary-subnet 10.0.0.4/30 --peer-asn 1234 --vlan 100
ns_before=$(namespaces) state_before=$(snapshot)

# ---- names
long300=$(printf 'n%.0s' $(seq 300))
long81=$(printf 'n%.0s' $(seq 81))
for name in a/b .. . ../etc/passwd /abs 'a b' ' lead' 'a;id' '$(id)' 'a`id`' 'a|b' 'a&b' "a'b" 'a"b' \
	'a*' 'a?' 'a\b' $'a\nb' $'a\tb' 'ünï' "$long81"; do
	needle="Circuit name '$(shown "$name")' is not valid"
	[ ${#name} -gt 80 ] && needle="at most 80"
	refused 2 "$needle" "circuit name $(printf '%q' "${name:0:24}")" circuit new "$name" --bandwidth 200 "${LOC[@]}"
done
refused 2 "at most 80" "a 300-character circuit name" circuit new "$long300" --bandwidth 200 "${LOC[@]}"
# 80 characters is the limit (docs/rules.md) and namespaces may be that long: accepted, then removed.
long80=$(printf 'n%.0s' $(seq 80))
expect 0 circuit new "$long80" --bandwidth 200 "${LOC[@]}"
ok "[ -e /run/netns/$long80-customer ] && [ -e /run/netns/$long80-microsoft ]" "an 80-character circuit gets its namespaces"
expect 0 circuit remove "$long80"
eq "$(namespaces)" "$ns_before" "80-character circuit removed: its namespaces are gone"
eq "$(state_files)" "Hostile.ini" "80-character circuit removed: its state file is gone"
# A committed transaction must not leave its journal behind (README, "What erlab guarantees" "nothing left behind"): no
# journal/open (it holds the circuit's name in its contents, not in its path), no from/ or to/ file.
eq "$(cd "$ERLAB_STATE_DIR" && find . -path './journal/*' -type f | sort | tr '\n' ' ')" "" \
	"80-character circuit made and removed: the journal holds no file"
# Made and removed again, the state dir is byte for byte what it was: the snapshot is not re-taken.
eq "$(snapshot)" "$state_before" "80-character circuit made and removed: state dir as before"
# Case folding: the state file names differ only in case, so one name must win.
for name in hostile HOSTILE HoStIlE; do
	refused 3 "already exists" "circuit name $name collides with $C" circuit new "$name" --bandwidth 200 "${LOC[@]}"
done
refused 2 "CIRCUIT" "an option as the name" circuit new --bandwidth 200 "${LOC[@]}"

# ---- numbers (strict decimal, docs/rules.md)
for v in +200 -200 0x64 0310 00200 ' 200' '200 ' 200Mbps 2e2 200.0 4294967296 18446744073709551816 ''; do
	refused 2 "--bandwidth '$v'" "bandwidth $(printf '%q' "$v")" circuit new N1 --bandwidth "$v" "${LOC[@]}"
done
P=(peering new "$C" --type public --primary-subnet 131.107.0.0/30 --secondary-subnet 131.107.0.4/30)
for v in +1234 -1234 0x4d2 02322 ' 1234' 1234x 4294967296 99999999999999999999999 ''; do
	refused 2 "'$v'" "peer ASN $(printf '%q' "$v")" "${P[@]}" --peer-asn "$v" --vlan 200
done
for v in +200 -200 0xc8 0310 00200 ' 200' 200x 0 4095 65536 4294967496 ''; do
	refused 2 "'$v'" "VLAN $(printf '%q' "$v")" "${P[@]}" --peer-asn 1234 --vlan "$v"
done
M=(peering new "$C" --type microsoft --primary-subnet 131.107.0.8/30 --secondary-subnet 131.107.0.12/30
	--peer-asn 1234 --vlan 300 --advertised-prefixes 123.0.0.0/30 --registry ARIN)
for v in -1 +2245 0x8c5 04305 2245x 4294967296; do
	refused 2 "'$v'" "customer ASN $(printf '%q' "$v")" "${M[@]}" --customer-asn "$v"
done
refused 2 "--wait -1" "--wait with a sign" --wait -1 circuit provision $C
refused 2 "--wait 0x10" "--wait in hex" --wait 0x10 circuit provision $C

# ---- CIDRs
S=(peering new "$C" --type public --peer-asn 1234 --vlan 200)
for c in 131.107.0.1/30 131.107.0.3/30 131.107.0.0/29 131.107.0.0/31 131.107.0.0/32 131.107.0.0 \
	131.107.0.0/ /30 131.107.0.0/+30 131.107.0.0/030 131.107.0.0/3O '131.107.0.0 /30' 131.107.0.0/30/30 \
	131.107.0.0/33 300.107.0.0/30 131.107.0/30 131.107.0.0.0/30 0x83.107.0.0/30 131.107.000.000/30 \
	2001:4898::/126 ::ffff:131.107.0.0/126 junk '' '10.0.0.0/30,131.107.0.4/30'; do
	refused 2 "'$c'" "primary subnet $(printf '%q' "$c")" "${S[@]}" --primary-subnet "$c" --secondary-subnet 131.107.0.4/30
done
V6=(peering new "$C" --type microsoft --primary-subnet 131.107.0.8/30 --secondary-subnet 131.107.0.12/30
	--peer-asn 1234 --vlan 300 --advertised-prefixes 123.0.0.0/30 --registry ARIN --secondary-subnet-v6 2001:4898::4/126)
for c in 2001:4898::1/126 2001:4898::/127 2001:4898::/125 131.107.0.16/30 2001:4898:::/126 2001:4898::/1260 \
	2001:4898::g/126 '[2001:4898::]/126' 2001:4898::%eth0/126; do
	refused 2 "'$c'" "IPv6 subnet $(printf '%q' "$c")" "${V6[@]}" --primary-subnet-v6 "$c"
done
for p in '123.0.0.1/30' '123.0.0.0/30,junk' '123.0.0.0/30,,124.0.0.0/24' '10.0.0.0/8' 'junk' ','; do
	M2=("${M[@]}")
	M2[14]=$p
	refused 2 "advertised public prefix" "advertised prefixes $(printf '%q' "$p")" "${M2[@]}"
done

# ---- shared keys (1-25 of A-Za-z0-9)
K=(peering new "$C" --type public --primary-subnet 131.107.0.0/30 --secondary-subnet 131.107.0.4/30 --peer-asn 1234 --vlan 200)
for k in '"A1B2"' "'A1B2'" 'A1"B2' $'A1\nB2' $'A1B2\n' 'A1 B2' 'A1;B2' 'A1#B2' 'A1$B2' 'A1\B2' \
	"$(printf 'k%.0s' $(seq 26))" '' 'ünï'; do
	refused 2 "The shared key is not valid" "shared key $(printf '%q' "$k")" "${K[@]}" --shared-key "$k"
done
# A refused key is never echoed back (it is a secret).
erl "${K[@]}" --shared-key 'Secret$Key'
lacks "$ERR" 'Secret$Key' "a refused shared key is not printed"

# ---- standard descriptors: a result that cannot be printed fails; closed ones catch nothing.
"$ERLAB" --state-dir "$ERLAB_STATE_DIR" circuit list >&- 2>/dev/null
eq "$?" 1 "a closed stdout makes a listing fail"
"$ERLAB" --state-dir "$ERLAB_STATE_DIR" circuit list >/dev/full 2>"$TEST_TMP/full.err"
eq "$?" 1 "a full stdout makes a listing fail"
has "$(cat "$TEST_TMP/full.err")" "No space left on device" "and says why"
"$ERLAB" --state-dir "$ERLAB_STATE_DIR" --datapath "$DP" -v circuit new Closed "${LOC[@]}" --bandwidth 200 <&- >&- 2>&-
expect 0 circuit get Closed
eq "$(grep -rl 'erlab' "$ERLAB_STATE_DIR" | tr '\n' ' ')" "" "with 0-2 closed, no trace or message lands in the state dir"
expect 0 circuit remove Closed

# The private peering survived all of it.
expect 0 peering get $C --type private
has "$OUT" "vlan_id: 100" "the existing peering is intact"
ok "pings $C-customer 10.0.0.2" "and still carries traffic"
expect 0 circuit deprovision $C
expect 0 circuit remove $C
eq "$(namespaces)" "" "nothing left"
eq "$(state_files)" "" "no state file left"
finish
