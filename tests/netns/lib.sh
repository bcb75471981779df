# Helpers for netns-tier tests. Source it first; the test runs inside tests/netns/run.sh's sandbox.
#
#   erl ARGS...          run erlab with the test's state dir and datapath; sets OUT, ERR, RC
#   expect RC ARGS...    erl, then check the exit code
#   ok COND MSG / eq A B MSG / has HAYSTACK NEEDLE MSG / lacks ...
#   finish               prints "N passed, N failed" and exits 0/1
set -u
PASSED=0
FAILED=0
OUT="" ERR="" RC=0

# The datapath under test: ERLAB_DATAPATH (the VM tier sets vlan), else what this kernel can do.
if [ -z "${ERLAB_DATAPATH:-}" ] || [ "$ERLAB_DATAPATH" = auto ]; then
	if "$ERLAB" check --json 2>/dev/null | grep -q '"802.1Q":true'; then
		ERLAB_DATAPATH=vlan
	else
		ERLAB_DATAPATH=veth
	fi
fi
DP=$ERLAB_DATAPATH

erl() {
	local o e
	o=$(mktemp "$TEST_TMP/out.XXXXXX") e=$(mktemp "$TEST_TMP/err.XXXXXX")
	"$ERLAB" --state-dir "$ERLAB_STATE_DIR" --datapath "$DP" "$@" >"$o" 2>"$e"
	RC=$?
	OUT=$(cat "$o") ERR=$(cat "$e")
	rm -f "$o" "$e"
	return 0
}

pass() { PASSED=$((PASSED + 1)); echo "ok   $*"; }
fail() { FAILED=$((FAILED + 1)); echo "FAIL $*"; }

expect() {
	local want=$1
	shift
	erl "$@"
	if [ "$RC" = "$want" ]; then
		pass "exit $want: erlab $*"
	else
		fail "erlab $*: exit $RC, expected $want"
		[ -n "$OUT" ] && printf '  stdout: %s\n' "$OUT"
		[ -n "$ERR" ] && printf '  stderr: %s\n' "$ERR"
	fi
}

ok() { if eval "$1"; then pass "$2"; else fail "$2 [$1]"; fi; }
eq() { if [ "$1" = "$2" ]; then pass "$3"; else fail "$3: got '$1', expected '$2'"; fi; }
has() { case "$1" in *"$2"*) pass "$3" ;; *) fail "$3: '$2' not in: $1" ;; esac; }
lacks() { case "$1" in *"$2"*) fail "$3: '$2' unexpectedly in: $1" ;; *) pass "$3" ;; esac; }

# Kernel facts, read with iproute2 (not from erlab's state).
namespaces() { ls /run/netns 2>/dev/null | sort | tr '\n' ' ' | sed 's/ $//'; }
links() { ip -n "$1" -o link show 2>/dev/null | awk -F': ' '{sub(/@.*/, "", $2); print $2}' | sort | tr '\n' ' ' | sed 's/ $//'; }
addrs() { ip -n "$1" -o addr show dev "$2" scope global 2>/dev/null | awk '{print $4}' | sort | tr '\n' ' ' | sed 's/ $//'; }
is_up() { ip -n "$1" -o link show dev "$2" 2>/dev/null | grep -q '[<,]UP[,>]'; }
alias_of() { ip -n "$1" -o link show dev "$2" 2>/dev/null | sed -n 's/.*alias \([^ \\]*\).*/\1/p'; }
vlan_id() { ip -n "$1" -d -o link show dev "$2" 2>/dev/null | sed -n 's/.*vlan protocol 802.1Q id \([0-9]*\).*/\1/p'; }
link_kind() { ip -n "$1" -d -o link show dev "$2" 2>/dev/null | grep -oE ' (veth|vlan) ' | head -1 | tr -d ' '; }
tbf_rate() { tc -n "$1" qdisc show dev "$2" root 2>/dev/null | sed -n 's/.*qdisc tbf.* rate \([0-9A-Za-z]*\).*/\1/p'; }
pings() { ip netns exec "$1" ping -c 1 -W 2 "$2" >/dev/null 2>&1; }
# Files in /run/netns that are not namespaces (a make or removal stopped half-way).
stubs() { local f; for f in /run/netns/*; do [ -e "$f" ] && [ "$(stat -f -c %T "$f")" != nsfs ] && printf '%s ' "${f##*/}"; done; return 0; }
state_files() { ls "$ERLAB_STATE_DIR/circuits" 2>/dev/null | tr '\n' ' ' | sed 's/ $//'; }
json_field() { sed -n "s/.*\"$1\":\"\\{0,1\\}\\([^\",}]*\\).*/\\1/p" <<<"$2" | head -1; }

# The test needs the failure injection of a -DERLAB_TEST_HOOKS=ON build (scripts/test builds so).
# A circuit's BGP sessions as name=state, sorted by name ("Down" is a disabled session, src/bgp/bird.h).
bgp_sessions() { # CIRCUIT
	erl status "$1" --json
	grep -o '"name":"[a-z_0-9]*","state":"[A-Za-z]*"' <<<"$OUT" | sed 's/"name":"\([^"]*\)","state":"\([^"]*\)"/\1=\2/' |
		sort | tr '\n' ' ' | sed 's/ $//'
}
# Until CIRCUIT's sessions are exactly STATES (as bgp_sessions prints them); 1 after SECONDS.
wait_bgp_sessions() { # CIRCUIT STATES SECONDS
	local i
	for i in $(seq 1 $(($3 * 5))); do
		[ "$(bgp_sessions "$1")" = "$2" ] && return 0
		sleep 0.2
	done
	echo "  sessions of $1: $(bgp_sessions "$1")"
	return 1
}
needs_hooks() {
	case ${ERLAB_TEST_HOOKS:-OFF} in
	ON|on|1|TRUE|true|YES|yes) ;;
	*) echo "SKIP: erlab was built without -DERLAB_TEST_HOOKS=ON"; exit 77 ;;
	esac
}

# The links erlab builds for a peering on the datapath under test, on both sides.
peering_link_kind() { if [ "$DP" = vlan ]; then echo vlan; else echo veth; fi; }

# Two emulated hosts (tests of a circuit whose customer side is on another host): two_hosts starts
# A and B, each a process in its own mount and network namespaces with a /run of its own (so its
# own /run/netns and state dir /run/erlab), joined by a veth underlay `under`, 192.0.2.1 (A) <->
# 192.0.2.2 (B); they end with the test.
#   on HOST CMD...            run CMD in that host (nsenter)
#   erl_on HOST ARGS...       erlab there, as erl (OUT, ERR, RC); expect_on HOST RC ARGS...
#   ns_on HOST                its namespaces; ping_on HOST NS ADDRESS
two_hosts() {
	local h
	for h in A B; do
		unshare --mount --net --propagation private sh -c \
			'mount -t tmpfs -o mode=0755 host-run /run && mkdir /run/netns && ip link set lo up && exec sleep 1000' \
			>/dev/null 2>&1 &
		eval "$h=\$!"
	done
	trap 'kill $A $B 2>/dev/null' EXIT
	sleep 0.2
	ip link add under netns "$A" type veth peer name under netns "$B"
	on "$A" ip addr add 192.0.2.1/24 dev under && on "$A" ip link set under up
	on "$B" ip addr add 192.0.2.2/24 dev under && on "$B" ip link set under up
}
on() { local h=$1; shift; nsenter -t "$h" --mount --net -- "$@"; }
erl_on() {
	local h=$1 o e
	shift
	o=$(mktemp "$TEST_TMP/out.XXXXXX") e=$(mktemp "$TEST_TMP/err.XXXXXX")
	on "$h" env ERLAB_STATE_DIR=/run/erlab "$ERLAB" --datapath "$DP" "$@" >"$o" 2>"$e"
	RC=$?
	OUT=$(cat "$o") ERR=$(cat "$e")
	rm -f "$o" "$e"
}
expect_on() { # HOST RC ARGS...
	local h=$1 want=$2
	shift 2
	erl_on "$h" "$@"
	if [ "$RC" = "$want" ]; then
		pass "exit $want: erlab $* (host $([ "$h" = "$A" ] && echo A || echo B))"
	else
		fail "erlab $*: exit $RC, expected $want"
		[ -n "$OUT" ] && printf '  stdout: %s\n' "$OUT"
		[ -n "$ERR" ] && printf '  stderr: %s\n' "$ERR"
	fi
}
ns_on() { on "$1" ls /run/netns 2>/dev/null | sort | tr '\n' ' ' | sed 's/ $//'; }
ping_on() { on "$1" ip netns exec "$2" ping -c 1 -W 2 "$3" >/dev/null 2>&1; }

finish() {
	echo "$PASSED passed, $FAILED failed"
	[ "$FAILED" -eq 0 ]
	exit $?
}
