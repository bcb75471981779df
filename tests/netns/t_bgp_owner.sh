#!/bin/bash
# vm-tier: skip (datapath-independent; runs on the host, and the VM tier runs under slow TCG)
# down --all stops the BIRDs of its own state dir and only those (src/bgp/bird.h bird_pid_is_ours):
# another erlab in a nested sandbox (its own mount namespace, its own tmpfs state dir mounted at
# the very path of ours, so its BIRDs' config paths read exactly like ours) keeps its BIRDs.
#
#   this sandbox: erlab --state-dir S  (lab Outer, 2 BIRDs)
#     `-- unshare --mount: tmpfs over /run and over S; erlab --state-dir S  (lab Inner, 2 BIRDs)
. "$(dirname "$0")/lib.sh"
command -v bird >/dev/null || { echo "SKIP: BIRD is not installed"; exit 77; }
command -v nsenter >/dev/null || { echo "SKIP: no nsenter"; exit 77; }
export ERLAB_TEST_BGP_ERROR_WAIT=1
S=$ERLAB_STATE_DIR
bgp_lab() { # FILE NAME
	sed "s/^name = MyTestCircuit$/name = $2/" "$ERLAB_SRC/labs/classic.ini" >"$1"
	printf '\n[bgp]\nmsee = bird\ncustomer = bird\ncustomer_prefixes = 192.168.0.0/24\n' >>"$1"
}
bgp_lab "$TEST_TMP/inner.ini" Inner
bgp_lab "$TEST_TMP/outer.ini" Outer
birds() { pgrep -x bird | sort -n | tr '\n' ' ' | sed 's/ $//'; }
alive() { for p in "$@"; do [ "$(cat /proc/$p/comm 2>/dev/null)" = bird ] || return 1; done; }
mkdir -m 0700 "$S"

# The inner erlab: its mount namespace lives on in its BIRDs after the shell that made it exits.
unshare --mount --propagation private bash -c '
	mount -t tmpfs -o mode=0755 inner-run /run && mkdir /run/netns &&
	mount -t tmpfs -o mode=0700 inner-state "$1" &&
	"$ERLAB" --state-dir "$1" --datapath "$2" up "$3"
' inner "$S" "$DP" "$TEST_TMP/inner.ini" >"$TEST_TMP/inner.out" 2>&1
eq "$?" 0 "the inner erlab brings up its BGP lab"
INNER=$(birds)
ok '[ "$(echo $INNER | wc -w)" = 2 ]' "the inner lab runs two BIRDs ($INNER)"
ok '[ ! -e "$S/bird" ]' "they are invisible in this sandbox's state dir"
IPID=${INNER%% *}
inner() { nsenter --mount=/proc/$IPID/ns/mnt "$@"; }
ok 'inner sh -c "ls $S/bird/*-microsoft.conf" | grep -q "^$S/bird/"' "the inner BIRDs' configs are at this state dir's paths"

expect 0 up "$TEST_TMP/outer.ini"
OUTER=$(birds | tr ' ' '\n' | grep -vxF -e "${INNER// /$'\n'}" | tr '\n' ' ' | sed 's/ $//')
ok '[ "$(echo $OUTER | wc -w)" = 2 ]' "the outer lab runs two BIRDs of its own ($OUTER)"

expect 0 down --all
eq "$(birds)" "$INNER" "down --all stops the outer BIRDs and leaves the inner ones"
ok "alive $INNER" "the inner BIRDs still run"
ok 'inner sh -c "birdc -s $S/bird/*-microsoft.ctl show status" | grep -q "Daemon is up"' \
	"the inner MSEE still answers on its control socket"
eq "$(ls -A "$S/bird" 2>/dev/null)" "" "down --all leaves the outer <state>/bird/ empty"

# The inner erlab removes its own BIRDs.
inner "$ERLAB" --state-dir "$S" --datapath "$DP" down "$TEST_TMP/inner.ini" >"$TEST_TMP/inner.out" 2>&1
eq "$?" 0 "the inner erlab takes its lab down"
eq "$(birds)" "" "and no BIRD is left"
finish
