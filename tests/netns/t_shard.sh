#!/bin/bash
# vm-tier: skip (datapath-independent; runs on the host, and the VM guest has no python3)
# Sharding a lab over CI workers (docs/ci.md): `up LAB --shard K/N` builds the circuits of shard K
# only; the N shards together are the lab, each circuit in exactly one; the rule depends on the
# circuit's name alone, so adding a circuit moves no other; `down LAB --shard K/N` removes that
# shard only; the shard is recorded and shown. Three "workers" are three state dirs here.
. "$(dirname "$0")/lib.sh"
bash "$ERLAB_SRC/bench/gen-lab" 12 "$DP" >"$TEST_TMP/lab.ini"
sed -i 's/^\[lab\]$/[lab]\nname = sharded/' "$TEST_TMP/lab.ini"
w() { local k=$1; shift; "$ERLAB" --state-dir "$TEST_TMP/worker$k" --datapath "$DP" "$@"; }
names_of() { ls "$TEST_TMP/worker$1/circuits" 2>/dev/null | sed 's/\.ini$//' | sort | tr '\n' ' '; }

for k in 1 2 3; do
	w $k up "$TEST_TMP/lab.ini" --shard $k/3 >/dev/null 2>"$TEST_TMP/err$k"
	eq "$?" 0 "worker $k: up --shard $k/3"
done
all=$(for k in 1 2 3; do names_of $k; done | tr ' ' '\n' | grep . | sort)
eq "$(wc -l <<<"$all")" 12 "the three shards hold 12 circuits together"
eq "$(sort -u <<<"$all" | wc -l)" 12 "each circuit in exactly one shard"
for k in 1 2 3; do
	ok "[ -n \"$(names_of $k)\" ]" "shard $k/3 is not empty: $(names_of $k)"
done
eq "$(namespaces | wc -w)" 24 "24 namespaces: every circuit built once"
c=$(names_of 2 | awk '{print $1}')
out=$(w 2 circuit get "$c")
has "$out" "lab: sharded ($TEST_TMP/lab.ini), shard 2/3" "circuit get shows the lab and the shard"
out=$(w 2 circuit get "$c" --json)
has "$out" '"shard":"2/3"' "and so does its JSON"

# A dry run of a shard plans only that shard's circuits.
out=$(w 1 up "$TEST_TMP/lab.ini" --shard 1/3 --dry-run)
has "$out" "up to date" "a second up of shard 1/3 is up to date"

# Adding a circuit moves no other: each existing circuit keeps its shard.
before1=$(names_of 1) before2=$(names_of 2) before3=$(names_of 3)
bash "$ERLAB_SRC/bench/gen-lab" 13 "$DP" >"$TEST_TMP/lab13.ini"
sed -i 's/^\[lab\]$/[lab]\nname = sharded/' "$TEST_TMP/lab13.ini"
cp "$TEST_TMP/lab13.ini" "$TEST_TMP/lab.ini"
for k in 1 2 3; do
	w $k up "$TEST_TMP/lab.ini" --shard $k/3 >"$TEST_TMP/out$k" 2>&1
	eq "$?" 0 "worker $k: up --shard $k/3 with c13 added"
done
ok "! grep -q removed '$TEST_TMP/out1' '$TEST_TMP/out2' '$TEST_TMP/out3'" "no worker removed anything"
eq "$(for k in 1 2 3; do names_of $k; done | tr ' ' '\n' | grep -c .)" 13 "13 circuits across the shards"
grown=0
for k in 1 2 3; do
	b=before$k
	case "$(names_of $k)" in "${!b}") ;; *) grown=$((grown + 1)) ;; esac
done
eq "$grown" 1 "exactly one shard took c13, the others are as they were"

# down of one shard removes that shard only; its other shards are untouched.
w 1 down sharded --shard 1/3 >/dev/null 2>&1
eq "$?" 0 "worker 1: down sharded --shard 1/3"
eq "$(names_of 1)" "" "worker 1's circuits are gone"
ok "[ -n \"$(names_of 2)\" ] && [ -n \"$(names_of 3)\" ]" "the other workers' are there"
w 1 down sharded --shard 1/3 >/dev/null 2>"$TEST_TMP/err"
eq "$?" 4 "down of a shard with nothing up exits 4"
has "$(cat "$TEST_TMP/err")" "no circuit of that shard is up" "and says so"
w 2 up "$TEST_TMP/lab.ini" --shard 0/3 >/dev/null 2>"$TEST_TMP/err"
eq "$?" 2 "--shard 0/3 is a usage error"
has "$(cat "$TEST_TMP/err")" "--shard expects K/N with 1 <= K <= N <= 1024, got '0/3'" "naming the value"

# Two shards in one state dir live side by side; a plain down removes the whole lab there.
# (Worker 3 gives its shard up first: the namespaces of one machine are shared.)
s2=$(names_of 2) s3=$(names_of 3)
w 3 down "$TEST_TMP/lab.ini" >/dev/null 2>&1
eq "$?" 0 "worker 3: down by file"
w 2 up "$TEST_TMP/lab.ini" --shard 3/3 >/dev/null 2>&1
eq "$?" 0 "worker 2 takes shard 3/3 as well"
eq "$(names_of 2)" "$(echo $s2 $s3 | tr ' ' '\n' | sort | tr '\n' ' ')" "shard 3's circuits join shard 2's"
w 2 up "$TEST_TMP/lab.ini" --shard 2/3 >"$TEST_TMP/out" 2>&1
lacks "$(cat "$TEST_TMP/out")" "removed" "an up of shard 2/3 leaves shard 3/3 alone"
w 2 down sharded >/dev/null 2>&1
eq "$?" 0 "worker 2: down sharded (every shard it has)"
eq "$(namespaces)" "" "nothing left"
finish
