#!/bin/bash
# vm-tier: skip (datapath-independent; runs on the host, and the VM guest has no python3)
# Lab names (README, "Lab files"): a lab is known by its name ([lab] name, else the file's stem);
# `up` records the name and the file, `down NAME` removes it from any directory, another file with
# the same name is refused naming the file that owns it, `down` of a name or file that owns
# nothing exits 4 naming the labs that are up (a typo of a file name included), `erlab labs` lists
# them, and circuits recorded before labs had names (the lab's path in `lab`) keep working.
. "$(dirname "$0")/lib.sh"
mkdir -p "$TEST_TMP/a" "$TEST_TMP/b"
cp "$ERLAB_SRC/labs/classic.ini" "$TEST_TMP/a/classic.ini"
A=$TEST_TMP/a/classic.ini

expect 0 labs
eq "$OUT" "" "no lab up: labs prints nothing"
expect 0 up "$A"
expect 0 labs
has "$OUT" "NAME" "labs prints a header"
ok "grep -qE '^classic +$A +1 +up\$' <<<\"\$OUT\"" "labs: classic, its file, 1 circuit, up"
expect 0 labs --json
eq "$(python3 -c 'import json,sys; d=json.load(sys.stdin); l=d["labs"][0]; print(l["name"], l["file"], l["state"], ",".join(l["circuits"]))' <<<"$OUT")" \
	"classic $A up MyTestCircuit" "labs --json: name, file, state, circuits"
expect 0 circuit get MyTestCircuit
has "$OUT" "lab: classic ($A)" "circuit get names the circuit's lab and its file"

# Another file with the same lab name is refused, naming the file that owns it; nothing changes.
cp "$A" "$TEST_TMP/b/classic.ini"
expect 3 up "$TEST_TMP/b/classic.ini"
has "$ERR" "lab 'classic' is up from another file, $A" "a second file with the same name is refused, naming the owner"
has "$ERR" "erlab down classic" "and says how to take it down"
# Under another name it is another lab, and the circuit it declares is classic's.
sed -i 's/^\[lab\]$/[lab]\nname = other/' "$TEST_TMP/b/classic.ini"
expect 3 up "$TEST_TMP/b/classic.ini"
has "$ERR" "made by lab 'classic', $A" "a circuit of another lab is named with its lab and file"

# down of what owns nothing: exit 4, naming the labs that are up; nothing is removed.
expect 4 down nosuch
has "$ERR" "nosuch: no lab of that name is up" "down NAME of no lab exits 4"
has "$ERR" "labs that are up: classic ($A)" "and names the labs that are up"
expect 4 down "$TEST_TMP/a/clasic.ini"
has "$ERR" "no such file, and no lab was brought up from it" "a mistyped file is an error, not a silent no-op"
expect 4 down "$TEST_TMP/b/classic.ini"
has "$ERR" "no lab was brought up from this file" "down of a file that brought nothing up exits 4"
expect 2 down 'bad name'
has "$ERR" "neither a lab file nor a lab name" "a word that is no name is a usage error"
eq "$(namespaces)" "MyTestCircuit-customer MyTestCircuit-microsoft" "nothing was removed"

# down NAME from another directory.
(cd / && "$ERLAB" --state-dir "$ERLAB_STATE_DIR" down classic)
eq "$?" 0 "down classic from / exits 0"
eq "$(namespaces)" "" "and removes the lab's namespaces"
eq "$(state_files)" "" "and its state"
expect 4 down classic
has "$ERR" "no lab is up" "down of a lab that is gone exits 4 and says no lab is up"

# By file still works; a deleted file's lab is listed as such and can be removed by its path.
expect 0 up "$A"
rm "$A"
expect 0 labs
ok "grep -qE '^classic +$A +1 +up, file missing\$' <<<\"\$OUT\"" "labs says when a lab's file is gone"
expect 0 down "$A"
eq "$(namespaces)" "" "down of a deleted file removes what it brought up"

# Circuits recorded before labs had names: `lab` holds the file's path.
cp "$ERLAB_SRC/labs/classic.ini" "$A"
expect 0 up "$A"
f=$ERLAB_STATE_DIR/circuits/MyTestCircuit.ini
sed -i -e "s|^lab = \"classic\"\$|lab = \"$A\"|" -e '/^lab_file = /d' "$f"
ok "grep -q '^lab = \"/' '$f' && ! grep -q '^lab_file' '$f'" "state rewritten as before lab names"
expect 0 labs
ok "grep -qE '^classic +$A +1 +up\$' <<<\"\$OUT\"" "an old record reads as lab 'classic' from its file"
expect 0 up "$A"
has "$OUT" "up to date" "up of the same file finds it up to date"
expect 0 down classic
eq "$(namespaces)" "" "and down by its name removes it"
finish
