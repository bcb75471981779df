#!/bin/bash
# vm-tier: skip (datapath-independent; strace's fault injection on the host)
# Killed at any instant (README, "What erlab guarantees"): SIGKILL at a system call of one erlab
# command, then the next command must recover and converge, and `down` must leave nothing. The
# kill comes from strace's fault injection (inject=SYSCALL:signal=KILL:when=N) at the Nth call of
# one system call, so every point of the command is reachable: a kernel step half done, a
# namespace file made but not mounted, a state file written but not renamed, a journal half
# written.
#
#   sweep.sh up|down|set|bgp        (inside tests/netns/run.sh's sandbox)
#   ERLAB_CRASH_FULL=1              every point (the nightly sweep)
#   ERLAB_CRASH_BUDGET=SECONDS      else about this long (default 25): every Kth point, K chosen
#                                   from the time a point takes, starting at a random offset
#                                   (ERLAB_CRASH_SEED, printed, makes a run repeatable)
. "$(dirname "$0")/../netns/lib.sh"
scenario=${1:?usage: sweep.sh up|down|set|bgp}
command -v strace >/dev/null || { echo "SKIP: strace is not installed"; exit 77; }
LAB=$ERLAB_SRC/labs/classic.ini
follow=(-f)
case $scenario in
up) cmd=(up "$LAB") ;;
down) cmd=(down "$LAB") ;;
set) cmd=(peering set MyTestCircuit --type private --vlan 500) ;;
bgp)
	command -v bird >/dev/null || { echo "SKIP: BIRD is not installed"; exit 77; }
	sed 's/^\[lab\]$/[bgp]\nmsee = bird\ncustomer = bird\n\n[lab]/' "$LAB" >"$TEST_TMP/bgp.ini"
	LAB=$TEST_TMP/bgp.ini
	cmd=(up "$LAB")
	# BIRD's own system calls are not erlab's: only erlab's process is traced.
	follow=() ;;
*) echo "sweep.sh: unknown scenario '$scenario'" >&2; exit 2 ;;
esac

setup() { [ "$scenario" = up ] || [ "$scenario" = bgp ] || erl up "$LAB"; }
birds() { pgrep -x bird | tr '\n' ' '; }
# After a kill: the next command recovers and converges, down leaves nothing behind.
check() {   # POINT
	local p=$1 fails=$FAILED
	erl up "$LAB"
	[ "$RC" = 0 ] || fail "$p: up after the kill: exit $RC: $ERR"
	erl status
	[ "$(grep -c 'drift: none' <<<"$OUT")" = 1 ] || fail "$p: drift after recovery: $(grep drift <<<"$OUT" | head -3)"
	erl down "$LAB"
	[ "$RC" = 0 ] || fail "$p: down: exit $RC: $ERR"
	[ -z "$(namespaces)$(stubs)" ] || fail "$p: left in /run/netns: $(namespaces) $(stubs)"
	[ -z "$(state_files)" ] || fail "$p: state files left: $(state_files)"
	[ ! -e "$ERLAB_STATE_DIR/journal/open" ] || fail "$p: journal left open"
	[ -z "$(ip -o link show | grep 'alias erlab:')" ] || fail "$p: a marked link in the test's own namespace"
	[ -z "$(birds)" ] || fail "$p: BIRD left running: $(birds)"
	[ "$FAILED" = "$fails" ] && PASSED=$((PASSED + 1))
	# Start clean whatever happened (the sandbox's /run/netns is the test's own).
	if [ "$FAILED" != "$fails" ]; then
		erl down --all
		pkill -9 -x bird
		for f in /run/netns/*; do [ -e "$f" ] && { umount -l "$f" 2>/dev/null; rm -f "$f"; }; done
		rm -rf "$ERLAB_STATE_DIR"
	fi
}

# The command's system calls, counted once: each (name, n <= count) is a point.
setup
strace "${follow[@]}" -qq -c -o "$TEST_TMP/calls" -- \
	"$ERLAB" --state-dir "$ERLAB_STATE_DIR" --datapath "$DP" "${cmd[@]}" >/dev/null 2>&1
erl down "$LAB"
# strace -c: "% time  seconds  usecs/call  calls  [errors]  syscall", then a "total" line.
mapfile -t points < <(awk 'NR > 2 && $1 !~ /^-/ && $NF != "total" && $4 ~ /^[0-9]+$/ {
	for (i = 1; i <= $4; i++) print $NF ":" i }' "$TEST_TMP/calls")
n=${#points[@]}
ok "[ $n -gt 50 ]" "$scenario: $n system calls to kill at"

# Every point, or every Kth within the budget (the first point's cost sets K).
stride=1 seed=${ERLAB_CRASH_SEED:-$RANDOM}
start=$(date +%s%N)
kill_at() {   # NAME:N
	local name=${1%%:*} when=${1##*:}
	setup
	# (strace ends itself as its tracee did: in a subshell, bash has no "Killed" to say about it)
	(strace "${follow[@]}" -qq -o /dev/null -e trace="$name" -e inject="$name":signal=KILL:when="$when" -- \
		"$ERLAB" --state-dir "$ERLAB_STATE_DIR" --datapath "$DP" "${cmd[@]}"; true) >/dev/null 2>&1
	check "$scenario killed at $1"
}
kill_at "${points[0]}"
if [ "${ERLAB_CRASH_FULL:-0}" != 1 ]; then
	cost=$(( ($(date +%s%N) - start) / 1000000 ))
	budget=$(( ${ERLAB_CRASH_BUDGET:-25} * 1000 ))
	stride=$(( n * cost / budget + 1 ))
fi
offset=$(( seed % stride ))
echo "$scenario: $n points, every ${stride}th from $offset (ERLAB_CRASH_SEED=$seed)"
for ((i = offset; i < n; i += stride)); do
	kill_at "${points[i]}"
done
finish
