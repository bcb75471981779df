#!/bin/bash
# vm-tier: skip (help, man pages and completion; datapath-independent)
# Help from one source (issue 14, item 3), through the real binary: `erlab VERB [SUBVERB] --help`
# and `erlab help ...` on stdout with exit 0, for root and a plain user, without touching anything;
# "did you mean" for verbs, subverbs, options and cmdlets; the man pages the build generated
# (the same as `erlab --gen-man` prints now) format without a warning and have their sections and
# every shipped lab's keys; the bash completion, sourced into bash, completes verbs, options and
# their values, cmdlets and their parameters, circuit names and service keys from the state, and
# lab files.
. "$(dirname "$0")/lib.sh"
build=$(dirname "$ERLAB")

# ---- help: stdout, exit 0 ----
expect 0 --help
has "$OUT" "usage: erlab [global options] VERB" "--help: the usage"
eq "$ERR" "" "--help: nothing on stderr"
for args in "help" "-h" "help circuit" "circuit --help" "circuit new --help" "circuit new -h" "help circuit new" \
	"peering new --help" "up --help" "up -h" "down --help" "status --help" "graph --help" "vnet link --help" \
	"link down --help" "exec --help" "check --help" "shell --help" "help help" "help New-AzureBGPPeering" \
	"labs --help" "wait --help" "router-config --help" "up --wait --help" "serve --help" \
	"help new-azurebgppeering" "New-AzureBGPPeering -?" "get-azurebgppeering --help"; do
	erl $args
	ok '[ "$RC" = 0 ] && [ -n "$OUT" ] && [ -z "$ERR" ]' "erlab $args: help on stdout, exit 0 (rc $RC${ERR:+, stderr: $ERR})"
done
erl circuit new --help
has "$OUT" "usage: erlab circuit new NAME --bandwidth N --location TEXT --provider TEXT" "circuit new --help: the synopsis"
has "$OUT" "--bandwidth N             Mbps, one the provider offers" "... each option with its row's help"
has "$OUT" "--json                    print the circuit as JSON" "... and its own options"
erl up --help
has "$OUT" "-n, --dry-run" "up --help: -n, --dry-run"
has "$OUT" "--shard K/N" "up --help: --shard K/N"
erl router-config --help
has "$OUT" "usage: erlab router-config CIRCUIT --flavor frr|bird|ios-xe|junos [options]" \
	"router-config --help: --flavor is required"
expect 2 router-config X
eq "$ERR" "erlab router-config: --flavor is required: use frr, bird, ios-xe or junos (see erlab router-config --help)" \
	"a missing required option names its values"
erl help New-AzureBGPPeering
has "$OUT" "  -VlanId <System.UInt32>" "help New-AzureBGPPeering: -VlanId and its .NET type"
has "$OUT" "mandatory: yes; position: named" "... mandatory and position"
has "$OUT" "values: Private, Public, Microsoft" "... an enum's values"
# Help asks for nothing: no state dir is made, even with a verb that would write.
expect 0 --state-dir "$TEST_TMP/never" circuit remove Nope --help
ok '[ ! -e "$TEST_TMP/never" ]' "circuit remove --help touches no state dir"
# --help is a value where an option takes one, and after -- it is the command's.
expect 4 circuit new X --location --help --bandwidth 200 --provider equinix
has "$ERR" "location=--help: The specified location --help does not exist" \
	"circuit new --location --help: --help is the location, not a request for help"

# ---- for a plain user too ----
if command -v setpriv >/dev/null; then
	U=54321
	out=$(setpriv --reuid=$U --regid=$U --clear-groups "$ERLAB" peering new --help 2>&1)
	rc=$?
	eq "$rc" 0 "a plain user: peering new --help exits 0"
	has "$out" "usage: erlab peering new CIRCUIT --type private|public|microsoft" "a plain user gets the help, not 'needs root'"
	out=$(setpriv --reuid=$U --regid=$U --clear-groups "$ERLAB" help Remove-AzureBGPPeering 2>&1)
	has "$out" "usage: erlab Remove-AzureBGPPeering -ServiceKey <Guid>" "a plain user: help CMDLET"
fi

# ---- did you mean ----
expect 2 circiut new X
eq "$ERR" "erlab: unknown verb 'circiut' (did you mean 'circuit'?)" "a mistyped verb gets the verb"
expect 2 circuit nwe X
eq "$ERR" "erlab circuit: unknown subverb 'nwe' (did you mean 'new'?)" "a mistyped subverb"
expect 2 circuit
eq "$ERR" "erlab circuit: expects new, list, get, set, provision, deprovision or remove (see erlab circuit --help)" \
	"no subverb: what circuit expects"
expect 2 peering new C --type private --vlna 100
eq "$ERR" "erlab peering new: unknown option '--vlna' (did you mean '--vlan'?)" "a mistyped option"
expect 2 up lab.ini --dryrun
eq "$ERR" "erlab up: unknown option '--dryrun' (did you mean '--dry-run'?)" "a mistyped option of up"
expect 2 Get-AzureDedicatedCircut
eq "$ERR" "erlab: unknown cmdlet 'Get-AzureDedicatedCircut' (did you mean 'Get-AzureDedicatedCircuit'?)" \
	"a mistyped cmdlet"
erl --stat-dir /tmp up x.ini
eq "$RC $ERR" "2 erlab: unknown option '--stat-dir' (did you mean '--state-dir'?)" "a mistyped global option"
expect 2 frobnicate
eq "$ERR" "erlab: unknown verb or cmdlet 'frobnicate' (see erlab --help)" "nothing near: the text as before"
expect 2 help circiut
has "$ERR" "did you mean 'circuit'?" "help of a mistyped verb"

# ---- man pages: generated at build time, the same as now, formatted without a warning ----
for page in erlab.8 erlab.ini.5; do
	ok '[ -s "$build/man/$page" ]' "the build generated man/$page"
	expect 0 --gen-man "$page"
	ok '[ "$OUT" = "$(cat "$build/man/$page")" ]' "man/$page is what erlab --gen-man $page prints"
done
expect 0 --gen-completion bash
ok '[ "$OUT" = "$(cat "$build/completion/erlab")" ]' "completion/erlab is what erlab --gen-completion bash prints"
expect 2 --gen-man erlab.1
if command -v groff >/dev/null && command -v man >/dev/null; then
	for page in erlab.8 erlab.ini.5; do
		eq "$(groff -man -Tutf8 -ww -z "$build/man/$page" 2>&1)" "" "groff -man -ww: $page formats without a warning"
		eq "$(MANWIDTH=80 man -l "$build/man/$page" 2>&1 >/dev/null)" "" "man -l $page: no complaint"
	done
	text=$(MANWIDTH=80 man -l "$build/man/erlab.8" 2>/dev/null)
	for s in NAME SYNOPSIS DESCRIPTION OPTIONS VERBS CMDLETS "EXIT STATUS" ENVIRONMENT FILES EXAMPLES "SEE ALSO"; do
		ok 'grep -qx "$s" <<<"$text"' "erlab(8) has $s"
	done
	for v in "erlab circuit new" "erlab peering remove" "erlab up" "erlab exec" "New-AzureBGPPeering" \
		"-PeerAsn <UInt32>" "ERLAB_STATE_DIR" "ERLAB_BIRD" "/run/erlab"; do
		ok 'grep -qF -- "$v" <<<"$text"' "erlab(8) mentions $v"
	done
	text=$(MANWIDTH=80 man -l "$build/man/erlab.ini.5" 2>/dev/null)
	# Every key of every shipped lab is documented in its section.
	keys=$(cat "$ERLAB_SRC"/labs/*.ini | sed -n 's/^\([a-z_0-9]*\)[ \t]*=.*/\1/p' | sed 's/_[0-9]*$//' | sort -u)
	ok '[ -n "$keys" ]' "the shipped labs have keys"
	for k in $keys; do
		ok 'grep -qE "^       $k( |$)" <<<"$text"' "erlab.ini(5) documents $k"
	done
else
	fail "groff and man are needed (scripts/deps.sh TEST_PACKAGES: groff-base, man-db)"
fi

# ---- bash completion, for real ----
C=MyTestCircuit
expect 0 circuit new $C --bandwidth 200 --location "Silicon Valley" --provider equinix
KEY=$OUT
expect 0 circuit new Other --bandwidth 50 --location "Silicon Valley" --provider equinix
# A command's own --help is the command's.
expect 0 exec $C customer sh -c 'echo "$0"' --help
eq "$OUT" "--help" "exec CIRCUIT customer sh -c ... --help: --help goes to the command"
mkdir -p "$TEST_TMP/labs/sub.d"
touch "$TEST_TMP/labs/a.ini" "$TEST_TMP/labs/b.ini" "$TEST_TMP/labs/notes.txt"
# complete WORD...: what _erlab offers for the last word (COMP_WORDS[0] is the real binary).
complete_words() {
	(cd "$TEST_TMP/labs" && bash -c '
		. "$0"
		COMP_WORDS=("$@")
		COMP_CWORD=$((${#COMP_WORDS[@]} - 1))
		_erlab
		printf "%s\n" "${COMPREPLY[@]}" | sort | tr "\n" " " | sed "s/ $//"' "$build/completion/erlab" "$ERLAB" "$@")
}
eq "$(complete_words cir)" "circuit" "verbs"
eq "$(complete_words circuit '')" "deprovision get list new provision remove set" "subverbs"
eq "$(complete_words circuit new X --s)" "--service-key --sku" "a subverb's options"
eq "$(complete_words circuit new X --sku '')" "Premium Standard" "an enum option's values"
eq "$(complete_words peering new X --type p)" "private public" "--type's values"
eq "$(complete_words peering remove X --family '')" "ipv4 ipv6" "--family's values"
eq "$(complete_words --datapath v)" "veth vlan" "a global option's values"
eq "$(complete_words --datapath = v)" "veth vlan" "... also after --datapath="
eq "$(complete_words up '')" "a.ini b.ini sub.d" "up: lab files and directories"
eq "$(complete_words circuit get '')" "$C Other" "circuit get: the state's circuits (ERLAB_STATE_DIR)"
eq "$(ERLAB_STATE_DIR=$TEST_TMP/empty-state complete_words --state-dir "$ERLAB_STATE_DIR" peering new M)" "$C" \
	"... of the --state-dir on the line"
eq "$(ERLAB_STATE_DIR=$TEST_TMP/empty-state complete_words circuit get '')" "" "... none in an empty state dir"
eq "$(complete_words link down $C '')" "primary secondary" "link down CIRCUIT: the paths"
eq "$(complete_words exec $C '')" "customer microsoft" "exec CIRCUIT: the sides"
eq "$(complete_words Get-AzureDedicatedCircuitS)" "Get-AzureDedicatedCircuitServiceProvider Get-AzureDedicatedCircuitStats" "cmdlets"
eq "$(complete_words New-AzureBGPPeering -V)" "-Verbose -VlanId" "a cmdlet's parameters, common ones too"
eq "$(complete_words new-azurebgppeering -accesstype '')" "Microsoft Private Public" "a parameter's values (any case)"
eq "$(complete_words Get-AzureBGPPeering -ServiceKey '')" "$(tr ' ' '\n' <<<"$KEY $(erl circuit get Other --json; json_field service_key "$OUT")" | sort | tr '\n' ' ' | sed 's/ $//')" \
	"-ServiceKey: the state's service keys"
eq "$(complete_words Get-AzureDedicatedCircuitPeeringArpInfo -DevicePath '')" "Primary Secondary" "an alias's values"
eq "$(complete_words help circuit '')" "deprovision get list new provision remove set" "help VERB: its subverbs"
eq "$(complete_words router-config $C --flavor '')" "bird frr ios-xe junos" "router-config --flavor's values"
eq "$(complete_words wait '')" "$C Other" "wait: the state's circuits"
eq "$(complete_words down '')" "a.ini b.ini sub.d" "down: lab files (no lab is up)"
eq "$(complete_words circuit new '')" "" "circuit new NAME: a name of the user's choosing"
printf '[lab]\nname = teach\n\n[circuit c]\nname = Lab1\nbandwidth = 50\nlocation = Silicon Valley\nservice_provider_name = equinix\n' >"$TEST_TMP/teach.ini"
expect 0 up "$TEST_TMP/teach.ini"
eq "$(complete_words down '')" "a.ini b.ini sub.d teach" "down: the labs that are up and lab files"
eq "$(complete_words down t)" "teach" "... by prefix"
eq "$(complete_words wait '')" "Lab1 $C Other teach" "wait: labs and circuits"
expect 0 down teach
eq "$(complete_words up --wait '')" "a.ini b.ini sub.d" "up --wait takes no value: then the lab file"
eq "$(complete_words --wait 5 up '')" "a.ini b.ini sub.d" "the lock's --wait takes its seconds"
expect 0 circuit remove Other
expect 0 circuit remove $C
finish
