#!/bin/bash
# vm-tier: skip (datapath-independent; runs on the host, and the VM tier runs under slow TCG)
# Waiting for BGP (README, "BGP"): `erlab wait LAB|CIRCUIT` returns 0 once every session of the
# Microsoft edge is Established, and on timeout exits 3 naming each session that is not, with its
# state and BIRD's last error; `up --wait` returns only when the lab's sessions are up.
. "$(dirname "$0")/lib.sh"
command -v bird >/dev/null || { echo "SKIP: BIRD is not installed"; exit 77; }
LAB=$TEST_TMP/classic.ini
cp "$ERLAB_SRC/labs/classic.ini" "$LAB"
printf '\n[bgp]\nmsee = bird\n' >>"$LAB"

# The edge alone: nobody answers on the customer side, so the wait times out naming the sessions.
expect 0 up "$LAB"
start=$(date +%s%N)
expect 3 wait classic --timeout 2
took=$((($(date +%s%N) - start) / 1000000))
ok "[ $took -ge 2000 ] && [ $took -lt 6000 ]" "wait gives up after its timeout (${took} ms)"
has "$ERR" "wait: after 2 s, 6 of 6 BGP sessions are not Established:" "the timeout says how many are not"
for s in private_primary private_secondary public_primary public_secondary microsoft_primary microsoft_secondary; do
	ok "grep -qE '^  MyTestCircuit $s: (Active|Connect|Idle|OpenSent)' <<<\"\$ERR\"" "and names $s with its state"
done

# With the customer router too, up --wait returns with every session Established.
printf 'customer = bird\n' >>"$LAB"
expect 0 up "$LAB" --wait --timeout 30
ALL="microsoft_primary=Established microsoft_secondary=Established private_primary=Established private_secondary=Established public_primary=Established public_secondary=Established"
eq "$(bgp_sessions MyTestCircuit)" "$ALL" "up --wait returned with every session Established"
KEY=$(erl circuit get MyTestCircuit --json; json_field service_key "$OUT")
for t in classic "$LAB" MyTestCircuit mytestcircuit "$KEY"; do
	expect 0 wait "$t" --timeout 5
done
eq "$OUT$ERR" "" "a wait that succeeds prints nothing"
expect 4 wait nosuch --timeout 1
has "$ERR" "nosuch: no lab or circuit of that name is up" "wait for what is not up exits 4"
expect 2 wait classic --timeout soon
expect 2 wait

# The customer router in the wrong AS: the private sessions are refused, and the wait says why.
CONF=$(ls "$ERLAB_STATE_DIR"/bird/*-customer.conf)
CTL=$(ls "$ERLAB_STATE_DIR"/bird/*-customer.ctl)
sed -i 's/^\(\tlocal [0-9a-f.:]*\) as 1234;/\1 as 4321;/' "$CONF"
ok "grep -q ' as 4321;' '$CONF'" "the customer router's config now says AS 4321"
birdc -s "$CTL" configure >/dev/null
expect 3 wait MyTestCircuit --timeout 8
ok "grep -qE '^  MyTestCircuit private_primary: [A-Za-z]+, BIRD.s last error: .*(Bad peer AS|peer AS)' <<<\"\$ERR\"" \
	"a refused session is named with BIRD's last error"
expect 0 down classic
finish
