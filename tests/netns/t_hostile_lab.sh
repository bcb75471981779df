#!/bin/bash
# vm-tier: skip (datapath-independent; runs on the host, and the VM tier runs under slow TCG)
# Hostile lab files through `erlab up` (README, "Lab files" and "What erlab guarantees"): malformed INI, binary garbage, a 100 MiB
# file, names with path and shell characters, VNet names that would overflow IFNAMSIZ, names that
# collide after case folding, numbers with signs/hex/octal/overflow, bad CIDRs, shared keys with
# quotes, comment characters and newlines. Each is refused with exit 2 (3 where a name is taken),
# a message naming the file and the section, and nothing changed: no namespace, state dir as before.
. "$(dirname "$0")/lib.sh"
LAB=$TEST_TMP/hostile.ini

snapshot() { (cd "$ERLAB_STATE_DIR" 2>/dev/null && find . -printf '%p %y %m\n' | sort && find . -type f -exec md5sum {} + | sort) | md5sum; }
unchanged() {
	eq "$(namespaces)" "$ns_before" "$1: no namespace created or removed"
	eq "$(snapshot)" "$state_before" "$1: state dir unchanged"
}
refused() {   # RC NEEDLE LABEL [FILE]: erlab up FILE is refused, nothing changed
	local rc=$1 needle=$2 label=$3 file=${4:-$LAB}
	expect "$rc" up "$file"
	has "$ERR" "$needle" "$label: the message says why"
	[ "${5:-}" = no-file ] || has "$ERR" "$(basename "$file")" "$label: the message names the file"
	unchanged "$label"
	# Accepted by mistake: undo it so one failure does not cascade into the next cases.
	if [ "$RC" = 0 ] && [ -f "$file" ]; then
		erl down "$file"
		ns_before=$(namespaces) state_before=$(snapshot)
	fi
	return 0
}
# A valid circuit section; $1 the name, the rest appended as further lines.
circuit() {
	local name=$1
	shift
	printf '[circuit er1]\nname = %s\nbandwidth = 200\nlocation = Silicon Valley\nservice_provider_name = equinix\nprovisioned = yes\n' "$name"
	printf '%s\n' "$@"
}
peering() {   # KEY VALUE: a private peering with one key replaced or added
	local k v
	declare -A p=([primary_peer_subnet]=10.0.0.0/30 [secondary_peer_subnet]=10.0.0.4/30 [peer_asn]=1234 [vlan_id]=100)
	p[$1]=$2
	printf '[peering er1 private]\n'
	for k in primary_peer_subnet secondary_peer_subnet peer_asn vlan_id shared_key; do
		[ -n "${p[$k]+x}" ] && printf '%s = %s\n' "$k" "${p[$k]}"
	done
}

# A circuit that exists before, made with the native verbs: nothing below may touch it.
expect 0 circuit new Hostile --bandwidth 200 --location "Silicon Valley" --provider equinix
ns_before=$(namespaces) state_before=$(snapshot)

# ---- malformed INI
printf '[circuit er1\nname = X\n' >"$LAB"
refused 2 "syntax error" "an unterminated section header"
printf 'name = X\n' >"$LAB"
refused 2 "outside any [section]" "a key before any section"
circuit X 'this line has no equals sign' >"$LAB"
refused 2 ":7" "a line without '='"
circuit X '[nonsense er1]' 'a = b' >"$LAB"
refused 2 "nonsense" "an unknown section"
circuit X 'colour = blue' >"$LAB"
refused 2 "colour" "an unknown key"
circuit X 'bandwidth = 500' >"$LAB"
refused 2 "bandwidth" "a duplicate key"
{ circuit X; circuit Y; } >"$LAB"
refused 2 "duplicate section" "a duplicate section"
{ circuit X; printf '[CIRCUIT ER1]\nname = Y\n'; } >"$LAB"
refused 2 "duplicate section" "section ids that differ only in case"
printf '[]\n' >"$LAB"
refused 2 "hostile.ini:1: syntax error (empty section header)" "an empty section header"
printf '[circuit]\nname = X\n' >"$LAB"
refused 2 "circuit" "a circuit section without an id"
{ circuit X; printf '[peering er1 private extra]\n'; } >"$LAB"
refused 2 "peering" "a peering header with an extra word"
{ circuit X; printf '[peering er1 bogus]\npeer_asn = 1\n'; } >"$LAB"
refused 2 "bogus" "an unknown access type"
{ circuit X; printf '[peering er9 private]\npeer_asn = 1\n'; } >"$LAB"
refused 2 "er9" "a peering of a circuit that is not in the file"
: >"$LAB"
erl up "$LAB"
ok '[ "$RC" = 0 ] || [ "$RC" = 2 ]' "an empty file is an empty lab or an error (exit $RC)"
unchanged "an empty file"

# ---- binary and huge files
head -c 4096 /dev/urandom >"$LAB"
refused 2 "NUL byte in the file" "4 KiB of random bytes"
# High bytes, no NUL: still not text a lab can hold. No byte is '\n': one 4096-byte line.
head -c 4096 /dev/urandom | tr '\000-\177' '\200-\377' >"$LAB"
refused 2 "hostile.ini:1: line too long (at most 1000 characters)" "4 KiB of bytes >= 0x80"
# The same in 60-byte lines: none is a [section], a key = value or a comment.
head -c 4096 /dev/urandom | tr '\000-\177' '\200-\377' | fold -b -w 60 >"$LAB"
refused 2 "hostile.ini:1: syntax error (expected [section], key = value" "4 KiB of bytes >= 0x80 in lines"
{ circuit X; printf 'location = a\000b\n'; } >"$LAB"
refused 2 "NUL" "a NUL byte inside a value"
printf '\xef\xbb\xbf' >"$LAB"; circuit X >>"$LAB"
erl up --dry-run "$LAB"
ok '[ "$RC" = 0 ] || [ "$RC" = 2 ]' "a UTF-8 BOM is accepted or refused, not misread (exit $RC)"
unchanged "a UTF-8 BOM (dry run)"
truncate -s 100M "$LAB"
refused 2 "too large" "a 100 MiB sparse file"
{ circuit X; printf 'location = %s\n' "$(printf 'L%.0s' $(seq 5000))"; } >"$LAB"
# circuit writes 7 lines (the last one empty): the long location is line 8.
refused 2 "hostile.ini:8: line too long (at most 1000 characters)" "a 5000-character line"
for i in $(seq 1 3000); do printf '[circuit c%d]\nname = C%d\n' "$i" "$i"; done >"$LAB"
refused 2 "too many mistakes (only the first 1000 are listed)" "3000 sections"
has "$ERR" "hostile.ini:1: [circuit c1]: missing required key bandwidth" "3000 sections: the first mistake names its section and key"
printf 'x = \\\n' >"$LAB"
for i in $(seq 1 2000); do printf 'a\\\n'; done >>"$LAB"
refused 2 "hostile.ini:1: line too long (at most 1000 characters)" "2000 continuation lines"
refused 2 "$TEST_TMP: not a regular file (it is a directory)" "a directory" "$TEST_TMP"
refused 2 "/dev/zero: not a regular file" "/dev/zero" /dev/zero
mkfifo "$TEST_TMP/fifo"
timeout 10 "$ERLAB" --state-dir "$ERLAB_STATE_DIR" --datapath "$DP" up "$TEST_TMP/fifo" >/dev/null 2>&1
rc=$?
ok '[ "$rc" = 2 ]' "a FIFO is refused without blocking (exit $rc)"
ln -s "$ERLAB_SRC/labs/classic.ini" "$TEST_TMP/link.ini"
erl up --dry-run "$TEST_TMP/link.ini"
eq "$RC" 0 "a lab file reached through a symlink is fine (dry run)"

# ---- names
for name in a/b .. ../../etc 'a b' '"a b"' '$(id)' 'a`id`' 'a|b' 'a&b' "a'b" '\a' \
	"$(printf 'y%.0s' $(seq 81))" "$(printf 'y%.0s' $(seq 300))"; do
	circuit "$name" >"$LAB"
	refused 2 "name" "circuit name $(printf '%q' "${name:0:24}")"
done
# ';' and '#' start INI comments: a name with one must not silently lose its tail.
for name in 'a;id' 'a#id' 'a;rm -rf /'; do
	circuit "$name" >"$LAB"
	refused 2 "name" "circuit name $(printf '%q' "$name") (comment character inside the value)"
done
# Case folding: against the file itself, and against a circuit made outside the lab.
{ circuit Twin; printf '[circuit er2]\nname = TWIN\nbandwidth = 200\nlocation = Silicon Valley\nservice_provider_name = equinix\n'; } >"$LAB"
refused 2 "already exists" "two circuits whose names differ only in case"
circuit HOSTILE >"$LAB"
refused 3 "circuit 'Hostile' exists" "a lab circuit named like an existing one but for case" "$LAB" no-file

# VNet names: "to-<vnet>" must fit IFNAMSIZ - 1 = 15, so at most 12 characters.
for vnet in abcdefghijklm "$(printf 'v%.0s' $(seq 300))" a/b .. 'a b' '-x' 'a;b'; do
	{ circuit X; peering vlan_id 100; printf '[vnet er1 %s]\naddress_space = 10.1.0.0/16\n' "$vnet"; } >"$LAB"
	why="]: invalid VNet name (use 1-12 of"
	[ "$vnet" = "a b" ] && why="]: malformed section header (expected [vnet ID NAME])"
	# A 300-character name is cut in the message: the section is named by its first characters.
	[ ${#vnet} -gt 100 ] && why="invalid VNet name"
	refused 2 "$why" "VNet name $(printf '%q' "${vnet:0:24}")"
	has "$ERR" "hostile.ini:13: [vnet er1 ${vnet:0:100}" "VNet name $(printf '%q' "${vnet:0:24}"): the message names the section"
done
{ circuit X; peering vlan_id 100; printf '[vnet er1 hub]\naddress_space = 10.1.0.0/16\n[vnet er1 HUB]\naddress_space = 10.2.0.0/16\n'; } >"$LAB"
refused 2 "hostile.ini:15: [vnet er1 HUB]: duplicate section (first at line 13)" "two VNets whose names differ only in case"

# ---- numbers
for v in +100 -100 0x64 0144 00100 100abc 1e2 4294967296 18446744073709551716 '"1 00"'; do
	{ circuit X; peering vlan_id "$v"; } >"$LAB"
	refused 2 "vlan_id" "vlan_id = $v"
done
for v in +1234 -1234 0x4d2 02322 4294967296 1234.0; do
	{ circuit X; peering peer_asn "$v"; } >"$LAB"
	refused 2 "peer_asn" "peer_asn = $v"
done
for v in +200 0xc8 0310 200Mbps 4294967496; do
	circuit X >"$LAB"
	sed -i "s/^bandwidth = 200$/bandwidth = $v/" "$LAB"
	refused 2 "bandwidth" "bandwidth = $v"
done

# ---- CIDRs
for c in 10.0.0.1/30 10.0.0.0/29 10.0.0.0/31 10.0.0.0 10.0.0.0/030 10.0.0.0/+30 300.0.0.0/30 \
	10.0.0/30 0x0a.0.0.0/30 2001:db8::/126 ::ffff:10.0.0.0/126 junk '10.0.0.0/30,10.0.0.8/30' '10.0.0.0 / 30'; do
	{ circuit X; peering primary_peer_subnet "$c"; } >"$LAB"
	refused 2 "primary_peer_subnet" "primary_peer_subnet = $c"
done
for c in 10.1.0.1/16 10.1.0.0/33 junk 10.1.0.0/16,,10.2.0.0/16 2001:db8::/129; do
	{ circuit X; peering vlan_id 100; printf '[vnet er1 hub]\naddress_space = %s\n' "$c"; } >"$LAB"
	refused 2 "address_space" "address_space = $c"
done

# ---- shared keys
for k in '"ab"cd"' 'ab"cd' '"ab' "'ab\"" '"ab\ncd"' 'ab cd' 'ab;cd' 'ab#cd' '"ab;cd"' "$(printf 'k%.0s' $(seq 26))"; do
	{ circuit X; peering shared_key "$k"; } >"$LAB"
	refused 2 "shared_key" "shared_key = $k"
done
# A key with a newline inside quotes that span two lines.
{ circuit X; peering vlan_id 100; printf 'shared_key = "ab\ncd"\n'; } >"$LAB"
refused 2 "hostile.ini:13: [peering er1 private] shared_key: value cannot be read exactly (the quote \" is not closed)" \
	"a quoted shared key split over two lines"

# What the INI format does define: quotes around a value and a comment after blanks.
{ circuit Quoted; peering shared_key '"A1B2C3D4"   ; the key'; } >"$LAB"
expect 0 up "$LAB"
expect 0 peering get Quoted --type private
has "$OUT" "vlan_id: 100" "a quoted key with a trailing comment is read"
expect 0 down "$LAB"
eq "$(namespaces)" "$ns_before" "down removed the lab's circuit"

expect 0 circuit remove Hostile
eq "$(namespaces)" "" "nothing left"
eq "$(state_files)" "" "no state file left"
finish
