#!/bin/bash
# vm-tier: skip (datapath-independent; runs on the host, and the VM tier runs under slow TCG)
# JSON as a contract (docs/json.md): every JSON-producing command, run on a lab with private (dual
# stack), public and Microsoft peering, a VNet and BGP, prints one document that Python's json
# module parses, that is valid UTF-8 even where erlab was handed bytes that are not (the lab's
# path, a link and an alias made by hand), and that satisfies its schema in docs/schema
# (tests/netns/json_check.py, python3-jsonschema). Then what the documents say: roles as keys,
# drift as records, the plan, the results, errors, what down removed.
. "$(dirname "$0")/lib.sh"
needs_hooks
command -v bird >/dev/null || { echo "SKIP: BIRD is not installed"; exit 77; }
PY=python3
"$PY" "$ERLAB_SRC/tests/netns/json_check.py" --has-jsonschema || PY=/usr/bin/python3
"$PY" "$ERLAB_SRC/tests/netns/json_check.py" --has-jsonschema ||
	{ echo "SKIP: python3-jsonschema is not installed (scripts/deps.sh installs it)"; exit 77; }
export ERLAB_TEST_BGP_ERROR_WAIT=1
CU=MyTestCircuit-customer MS=MyTestCircuit-microsoft
N=0

# doc WANT_RC ARGS...: run erlab with stdout to a file of its own ($DOC), check the exit code; the
# document is checked against its schema with the others at the end (one Python for all: each
# start of jsonschema costs a second).
doc() {
	local want=$1
	shift
	N=$((N + 1))
	DOC=$TEST_TMP/doc.$N.json
	"$ERLAB" --state-dir "$ERLAB_STATE_DIR" --datapath "$DP" "$@" >"$DOC" 2>"$TEST_TMP/doc.err"
	RC=$?
	ERR=$(cat "$TEST_TMP/doc.err")
	eq "$RC" "$want" "exit $want: erlab $*"
	printf '%s\n' "$*" >"$DOC.cmd"
}
# jq_ EXPR: a Python expression over the last document d, printed.
jq_() { "$PY" -c 'import json, sys; d = json.load(open(sys.argv[1], encoding="utf-8")); print(eval(sys.argv[2]))' "$DOC" "$1" 2>&1; }

# The lab lives under a directory whose name is not UTF-8: an overlong NUL, a lone 0xff, a surrogate.
DIR=$TEST_TMP/$'labs-\xc0\x80-\xff-\xed\xa0\x80'
mkdir -p "$DIR"
LAB=$DIR/lab.ini
cat "$ERLAB_SRC/labs/classic.ini" >"$LAB"
sed -i 's|^secondary_peer_subnet = 10.0.0.4/30$|&\nprimary_peer_subnet_v6 = fd00:0:0:1::/126\nsecondary_peer_subnet_v6 = fd00:0:0:1::4/126|' "$LAB"
printf '\n[vnet er1 hub]\naddress_space = 10.1.0.0/16\n\n[bgp]\nmsee = bird\ncustomer = bird\ncustomer_prefixes = 192.168.0.0/24\n' >>"$LAB"
# The path as a JSON document has it: the bytes decoded with U+FFFD, one per maximal subpart.
LABPATH=$("$PY" -c 'import os, sys; print(os.fsencode(sys.argv[1]).decode("utf-8", "replace"))' "$(realpath "$LAB")")
DIRPATH=${LABPATH%/lab.ini}

## check
doc 0 check --json
eq "$(jq_ "d['root'], d['netns'], d['veth']")" "(True, True, True)" "check: root, netns and veth"

## up --dry-run --json: the plan
doc 0 up "$LAB" --dry-run --json
eq "$(jq_ "d['lab'] == '$LABPATH'")" True "plan: the lab's path, its bad bytes as U+FFFD"
eq "$(jq_ "d['changed'], [(c['name'], c['action'], c['reason']) for c in d['circuits']]")" \
	"(1, [('MyTestCircuit', 'create', None)])" "plan: create MyTestCircuit"
eq "$(jq_ "sorted(set(s['op'] for s in d['circuits'][0]['steps']))")" \
	"$(if [ "$DP" = vlan ]; then echo "['bgp_start', 'netns_add', 'plink_add', 'trunk_add', 'vnet_add']"; else echo "['bgp_start', 'netns_add', 'plink_add', 'vnet_add']"; fi)" \
	"plan: the steps' ops"
has "$(jq_ "d['circuits'][0]['steps'][0]")" "'text': 'create namespace MyTestCircuit-customer'" "plan: each step says what it does"
eq "$(namespaces)" "" "a dry run changes nothing"

## up --json: the result
doc 0 up "$LAB" --json
eq "$(jq_ "[(c['name'], c['result']) for c in d['circuits']], d['errors']")" "([('MyTestCircuit', 'created')], [])" "up: created"
lacks "$(cat "$DOC")" "created MyTestCircuit" "up --json prints no human lines"
doc 0 up "$LAB" --json
eq "$(jq_ "d['changed'], d['circuits']")" "(0, [])" "up again: nothing changed"
doc 0 up "$LAB" --dry-run --json
eq "$(jq_ "d['changed'], d['circuits']")" "(0, [])" "the plan of a lab that is up is empty"

## circuit, peering
doc 0 circuit new Hand --bandwidth 50 --location "Silicon Valley" --provider equinix --json
eq "$(jq_ "d['name'], d['bandwidth'], d['provisioned'], d['lab'], d['peerings']")" "('Hand', 50, 'no', None, [])" "circuit new --json"
doc 0 circuit get MyTestCircuit --json
eq "$(jq_ "d['lab'], d['lab_file'] == '$LABPATH', d['shard']")" "('lab', True, None)" \
	"circuit get: the lab's name, and its file's path as U+FFFD where its bytes are not UTF-8"
eq "$(jq_ "[p['type'] for p in d['peerings']], [v['name'] for v in d['vnets']], d['bgp']['msee']")" \
	"(['private', 'public', 'microsoft'], ['hub'], 'bird')" "circuit get: peerings, VNets, BGP"
doc 0 labs --json
eq "$(jq_ "[(l['name'], l['file'] == '$LABPATH', l['state'], l['circuits']) for l in d['labs']]")" \
	"[('lab', True, 'up', ['MyTestCircuit'])]" "labs --json: the lab, its file, its circuit"
doc 0 circuit list --json
eq "$(jq_ "[c['name'] for c in d['circuits']]")" "['Hand', 'MyTestCircuit']" "circuit list --json: both"
for t in private public microsoft; do
	doc 0 peering get MyTestCircuit --type $t --json
	eq "$(jq_ "d['circuit'], d['type'], d['shared_key_set']")" \
		"('MyTestCircuit', '$t', $([ $t = public ] && echo False || echo True))" "peering get --type $t --json"
done
eq "$(jq_ "d['advertised_public_prefixes'], d['customer_asn'], d['routing_registry_name']")" "(['123.0.0.0/30'], 2245, 'ARIN')" \
	"the Microsoft peering's keys are the lab's"
lacks "$(cat "$TEST_TMP"/doc.*.json)" "A1B2C3D4" "no document ever holds the shared key"

## status: roles as keys, BGP sessions
wait_json_established() { # N SECONDS
	local i
	for i in $(seq 1 $(($2 * 5))); do
		"$ERLAB" --state-dir "$ERLAB_STATE_DIR" status MyTestCircuit --json >"$TEST_TMP/st.json" 2>/dev/null
		[ "$(grep -o '"state":"Established"' "$TEST_TMP/st.json" | wc -l)" -ge "$1" ] && return 0
		sleep 0.2
	done
	return 1
}
ok "wait_json_established 8 20" "all 8 sessions Established (private both families, public, Microsoft, two links)"
# Hostile bytes in the kernel: a link named by hand, and an alias, that are not UTF-8.
ip -n $CU link add $'x\xff\xc0\x80' type veth peer name $'y\xfe'
ip -n $CU link set dev $'x\xff\xc0\x80' alias $'a\xed\xa0\x80z'
doc 0 status MyTestCircuit --json
eq "$(jq_ "sorted(d['circuits'][0]['kernel'])")" "['customer', 'hub', 'microsoft']" "status: the kernel view by role"
eq "$(jq_ "[(k, v['namespace'], v['vnet'], v['present']) for k, v in sorted(d['circuits'][0]['kernel'].items())]")" \
	"[('customer', '$CU', False, True), ('hub', 'MyTestCircuit-hub', True, True), ('microsoft', '$MS', False, True)]" \
	"status: each role's namespace, by name as a value"
eq "$(jq_ "sorted((l['name'], l['alias']) for l in d['circuits'][0]['kernel']['customer']['links'] if l['name'][0] in 'xy') == [('x\ufffd\ufffd\ufffd', 'a\ufffd\ufffd\ufffdz'), ('y\ufffd', None)]")" \
	True "status: link names and an alias that are not UTF-8 come out as U+FFFD"
eq "$(jq_ "sorted((s['name'], s['peering'], s['link'], s['family'], s['state']) for s in d['circuits'][0]['bgp'])[0]")" \
	"('microsoft_primary', 'microsoft', 'primary', 'ipv4', 'Established')" "status: a session's peering, link and family"
eq "$(jq_ "d['circuits'][0]['drift']")" "[]" "status: no drift"
ip -n $CU link del $'x\xff\xc0\x80'
doc 0 status --json
eq "$(jq_ "[c['circuit']['name'] for c in d['circuits']]")" "['Hand', 'MyTestCircuit']" "status --json: every circuit"

## drift as records
ip -n $CU link del primary.200
ip -n $MS addr del 10.0.0.6/30 dev secondary.100
ip -n $MS addr add 10.0.0.7/30 dev secondary.100
ip -n $CU link set dev secondary.300 down
doc 0 status MyTestCircuit --json
D="d['circuits'][0]['drift']"
eq "$(jq_ "[(r['object'], r['role'], r['expected'], r['found']) for r in $D if r['property'] == 'present'][0]")" \
	"('$CU/primary.200', 'customer', True, False)" "drift: a link missing"
eq "$(jq_ "[(r['object'], r['role'], r['expected'], r['found']) for r in $D if r['property'] == 'addresses']")" \
	"[('$MS/secondary.100', 'microsoft', '10.0.0.6/30', None), ('$MS/secondary.100', 'microsoft', None, '10.0.0.7/30')]" \
	"drift: an address missing, and one unexpected"
eq "$(jq_ "[(r['kind'], r['object'], r['expected'], r['found']) for r in $D if r['property'] == 'up']")" \
	"[('link', '$CU/secondary.300', True, False)]" "drift: a link down"
erl status MyTestCircuit
for line in "$CU/primary.200: missing (public peering)" "$MS/secondary.100: address 10.0.0.6/30 missing" \
	"$MS/secondary.100: unexpected address 10.0.0.7/30" "$CU/secondary.300: down"; do
	has "$OUT" "drift: $line" "the text reads as before: $line"
	eq "$(jq_ "'$line' in [r['text'] for r in $D]")" True "the record's text: $line"
done
doc 0 up "$LAB" --dry-run --json
eq "$(jq_ "[(c['name'], c['action']) for c in d['circuits']], d['circuits'][0]['reason'].startswith('MyTestCircuit-'), d['circuits'][0]['reason'].endswith(', ...')")" \
	"([('MyTestCircuit', 'repair')], True, True)" "plan: repair, and why (the first drift line, and more)"
doc 0 up "$LAB" --json
eq "$(jq_ "[(c['name'], c['result']) for c in d['circuits']]")" "[('MyTestCircuit', 'repaired')]" "up --json: repaired"

## errors: a refusal, a lab with mistakes (its values not UTF-8 either)
printf '\n[circuit hand]\nname = Hand\nbandwidth = 50\nlocation = Silicon Valley\nservice_provider_name = equinix\n' >>"$LAB"
doc 3 up "$LAB" --json
eq "$(jq_ "[(e['object'], e['exit_code']) for e in d['errors']], d['circuits']")" "([('Hand', 3)], [])" "up --json: a refusal is an error, exit 3 as without --json"
has "$ERR" "not made by this lab" "and stderr still says why"
BAD=$DIR/bad.ini
printf '[circuit a]\nname = bad\xff\xfename\nbandwidth = 50\nlocation = Silicon Valley\nservice_provider_name = equinix\n' >"$BAD"
printf '[circuit b]\nname = b\nbandwidth = 9\nlocation = Silicon Valley\nservice_provider_name = equinix\n' >>"$BAD"
doc 2 up "$BAD" --json
eq "$(jq_ "[(e['object'].split(': ')[0], e['exit_code']) for e in d['errors']], d['changed']")" \
	"([('$DIRPATH/bad.ini:2', 2), ('$DIRPATH/bad.ini:8', 4)], 0)" \
	"up --json: every mistake of the lab, each with its own exit code; the command's is 2"
eq "$(jq_ "all(e['text'].startswith(e['object']) for e in d['errors'])")" True "each error's line names the file and line"
doc 2 up "$BAD" --dry-run --json
eq "$(jq_ "d['schema'], len(d['errors'])")" "('erlab/plan/v1', 2)" "up --dry-run --json: the same errors"

## down
doc 0 down "$LAB" --json
eq "$(jq_ "d['lab'] == '$LABPATH', d['all'], d['removed'], d['objects']")" \
	"(True, False, 1, [{'kind': 'circuit', 'name': 'MyTestCircuit'}])" "down --json: what went"
eq "$(namespaces)" "Hand-customer Hand-microsoft" "down removed the lab's circuit, not the one made by hand"
# down --all: a lab whose state is gone leaves namespaces and BIRDs, found by their marks.
sed -i '/^\[circuit hand\]/,$d' "$LAB"
doc 0 up "$LAB" --json
rm -f "$ERLAB_STATE_DIR"/circuits/MyTestCircuit*
doc 0 down --all --json
eq "$(jq_ "d['lab'], d['all'], d['removed'] == len(d['objects'])")" "(None, True, True)" "down --all --json: lab null, all objects counted"
eq "$(jq_ "sorted(set((o['kind'], o['name']) for o in d['objects'] if o['kind'] != 'bird'))")" \
	"[('circuit', 'Hand'), ('namespace', '$CU'), ('namespace', 'MyTestCircuit-hub'), ('namespace', '$MS')]" \
	"down --all --json: the circuit with state, the namespaces without"
eq "$(jq_ "sum(o['kind'] == 'bird' for o in d['objects'])")" 2 "down --all --json: both BIRDs without state"
ok "! pgrep -x bird >/dev/null" "no BIRD is left"

## every document against its schema
"$PY" "$ERLAB_SRC/tests/netns/json_check.py" "$ERLAB_SRC/docs/schema" $(seq -f "$TEST_TMP/doc.%g.json" 1 $N) >"$TEST_TMP/check.out"
eq "$(grep -c ': ok$' "$TEST_TMP/check.out")" "$N" "all $N documents are valid"
while IFS= read -r l; do
	f=${l%%: *}
	case $l in
	*": ok") pass "valid $(head -c 40 "$f" | sed 's/.*"schema":"\([^"]*\)".*/\1/'): erlab $(cat "$f.cmd")" ;;
	*) fail "erlab $(cat "$f.cmd"): ${l#*: } [$(head -c 300 "$f")]" ;;
	esac
done <"$TEST_TMP/check.out"
finish
