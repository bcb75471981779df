#!/bin/bash
# vm-tier: skip (privilege, not the datapath: runs on the host)
# erlab without root (README, "Without root"): a plain user (a throwaway uid with no capabilities,
# no passwd entry, a home in TEST_TMP and a plain PATH without sbin) gets one error naming root and
# `erlab shell`; `erlab check` tells its missing privilege apart from the kernel's support; inside
# `erlab shell` the same user runs a circuit's lifecycle, a lab up and down, and BGP with a VNet;
# and when the shell's command ends, nothing of it is left: no process, no BIRD, no namespace.
. "$(dirname "$0")/lib.sh"
command -v setpriv >/dev/null || { echo "SKIP: setpriv (util-linux) is not installed"; exit 77; }
# The plain user runs a copy of the binary; a wrapper (scripts/sanitize's valgrind) would not run
# as that user (its logs are root's).
head -c 4 "$ERLAB" | grep -q ELF || { echo "SKIP: $ERLAB is not the erlab binary itself"; exit 77; }
export ERLAB_TEST_BGP_ERROR_WAIT=1

# A uid and gid nobody uses.
U=""
for u in $(seq 61000 61999); do
	getent passwd "$u" >/dev/null || getent group "$u" >/dev/null || { U=$u; break; }
done
[ -n "$U" ] || { echo "SKIP: no free uid in 61000-61999"; exit 77; }
H=$TEST_TMP/home
chmod 0711 "$TEST_TMP"
mkdir -p "$H/bin" "$H/tmp"
cp "$ERLAB" "$H/bin/erlab"
cp "$ERLAB_SRC/tests/netns/lib.sh" "$ERLAB_SRC/labs/classic.ini" "$H/"
chown -R "$U:$U" "$H"
chmod 0700 "$H"
# Run as that user, with a plain user's environment.
as_user() {
	setpriv --reuid="$U" --regid="$U" --clear-groups \
		env -i HOME="$H" PATH="$H/bin:/usr/local/bin:/usr/bin:/bin" SHELL=/bin/bash LANG=C \
		ERLAB_TEST_BGP_ERROR_WAIT=1 "$@"
}
user_run() {   # as_user ARGS..., into OUT, ERR, RC
	as_user "$@" >"$TEST_TMP/u.out" 2>"$TEST_TMP/u.err"
	RC=$? OUT=$(cat "$TEST_TMP/u.out") ERR=$(cat "$TEST_TMP/u.err")
}
user_run sh -c 'grep ^CapEff /proc/self/status'
eq "$OUT" "CapEff:	0000000000000000" "the user has no capabilities"

# --- a plain user: the first error names the two ways out, and nothing is touched ---
user_run erlab up "$H/classic.ini"
eq "$RC" 1 "plain user: erlab up exits 1"
eq "$(head -1 <<<"$ERR")" "erlab: up: needs root (CAP_SYS_ADMIN and CAP_NET_ADMIN) to make namespaces and links (run erlab as root, or without root inside \`erlab shell\`, a sandbox of your own)" \
	"plain user: the first error names root and erlab shell"
eq "$(wc -l <<<"$ERR")" 1 "plain user: one line"
ok '[ ! -e /run/erlab ]' "plain user: no state dir was made"
eq "$(namespaces)" "" "plain user: no namespace"
user_run erlab circuit list
eq "$RC" 1 "plain user: circuit list exits 1"
has "$ERR" "erlab: circuit: needs root" "plain user: circuit list names the privilege"
user_run erlab New-AzureDedicatedCircuit -CircuitName x -Bandwidth 200 -Location "Silicon Valley" -ServiceProviderName equinix
eq "$RC" 1 "plain user: a cmdlet exits 1"
has "$ERR" "New-AzureDedicatedCircuit : InternalError: needs root" "plain user: a cmdlet says so as cmdlets do"
has "$ERR" "erlab shell" "... naming erlab shell"
user_run erlab Get-AzureDedicatedCircuitServiceProvider
eq "$RC" 0 "plain user: the provider catalogue needs no root"
user_run erlab --version
eq "$OUT" "$("$ERLAB" --version)" "plain user: --version"

# --- erlab check: a missing privilege is not missing kernel support ---
erl check
root_kernel=$(grep -vE '^(root|userns) ' <<<"$OUT")
user_run erlab check
eq "$RC" 0 "plain user with user namespaces: check exits 0"
has "$OUT" "root     no   (uid $U without CAP_SYS_ADMIN and CAP_NET_ADMIN; fix: run erlab as root, or without root inside \`erlab shell\`)" \
	"check: root no, naming the uid and the way out"
has "$OUT" "userns   yes" "check: user namespaces yes"
eq "$(grep -vE '^(root|userns) ' <<<"$OUT")" "$root_kernel" "check: the kernel lines are root's, word for word"
has "$OUT" "netns    yes" "check: netns yes for the plain user"
user_run erlab check --json
has "$OUT" '{"schema":"erlab/check/v1","root":false,"userns":true,"netns":true,"veth":true,' "check --json: root false, kernel support true"

# Without user namespaces (max_user_namespaces=0 in a user namespace around the user's), the
# kernel's features cannot be probed: "?", never "no"; and erlab shell says why it cannot start.
in_userns() {   # root in a user namespace mapping ids 0-65535 onto the same, running "$@"
	local ready=$TEST_TMP/userns.ready pid rc
	rm -f "$ready"
	unshare --user bash -c 'while [ ! -e "$0" ]; do sleep 0.02; done; exec "$@"' "$ready" "$@" &
	pid=$!
	while [ "$(readlink "/proc/$pid/ns/user")" = "$(readlink /proc/self/ns/user)" ]; do sleep 0.01; done
	echo "0 0 65536" >"/proc/$pid/uid_map" && echo "0 0 65536" >"/proc/$pid/gid_map"
	touch "$ready"
	wait "$pid"
	rc=$?
	rm -f "$ready"
	return $rc
}
export -f as_user
export U H
in_userns bash -c 'echo 0 >/proc/sys/user/max_user_namespaces && as_user erlab check' >"$TEST_TMP/nouserns.out" 2>&1
RC=$? OUT=$(cat "$TEST_TMP/nouserns.out")
eq "$RC" 1 "no user namespaces: check exits 1 (neither root nor erlab shell)"
has "$OUT" "userns   no   (user namespace: cannot create one:" "no user namespaces: userns no"
has "$OUT" "user.max_user_namespaces" "... naming the knob"
has "$OUT" "netns    ?    (not probed: the probe needs root or a user namespace" "no user namespaces: netns not probed, not no"
lacks "$OUT" "netns    no" "no user namespaces: netns is not reported missing"
in_userns bash -c 'echo 0 >/proc/sys/user/max_user_namespaces && as_user erlab shell -- true' >"$TEST_TMP/nouserns.out" 2>&1
RC=$? OUT=$(cat "$TEST_TMP/nouserns.out")
eq "$RC" 1 "no user namespaces: erlab shell exits 1"
has "$OUT" "erlab: user namespace: cannot create one" "... saying why"

# --- inside erlab shell: lifecycle, lab up/down, BGP with a VNet ---
cat >"$H/inner.sh" <<'INNER'
# Runs as the plain user inside `erlab shell`, with lib.sh's helpers.
ERLAB=$HOME/bin/erlab TEST_TMP=$HOME/tmp
. "$HOME/lib.sh"
CU=MyTestCircuit-customer MS=MyTestCircuit-microsoft
eq "$(id -u)" 0 "inside: root of the user namespace"
eq "${ERLAB_SHELL:-}" 1 "inside: ERLAB_SHELL=1"
eq "$ERLAB_STATE_DIR" /run/erlab "inside: the state dir is the sandbox's /run/erlab"
eq "$(command -v erlab)" "$HOME/bin/erlab" "inside: the user's PATH"
ok '[ "$(stat -f -c %T /run)" = tmpfs ]' "inside: /run is a tmpfs of its own"
eq "$(namespaces)" "" "inside: no namespace yet"
ok 'ip -o link show lo | grep -q "[<,]UP[,>]"' "inside: lo is up"

# lifecycle
expect 0 circuit new MyTestCircuit --bandwidth 200 --location "Silicon Valley" --provider equinix
expect 0 circuit provision MyTestCircuit
expect 0 peering new MyTestCircuit --type private --primary-subnet 10.0.0.0/30 --secondary-subnet 10.0.0.4/30 \
	--peer-asn 1234 --vlan 100 --shared-key A1B2C3D4
eq "$(namespaces)" "$CU $MS" "lifecycle: both namespaces"
eq "$(addrs $CU primary.100)" 10.0.0.1/30 "lifecycle: the customer's primary address"
ok "pings $CU 10.0.0.2" "lifecycle: ping over primary"
ok "pings $CU 10.0.0.6" "lifecycle: ping over secondary"
expect 0 peering set MyTestCircuit --type private --vlan 500
ok "pings $CU 10.0.0.2" "lifecycle: ping after the VLAN change"
expect 0 link down MyTestCircuit primary
ok "! pings $CU 10.0.0.2" "lifecycle: primary down drops the primary link"
ok "pings $CU 10.0.0.6" "lifecycle: secondary still answers"
expect 0 link up MyTestCircuit primary
ok "pings $CU 10.0.0.2" "lifecycle: primary back"
expect 0 exec MyTestCircuit customer -- ip -o addr show scope global
has "$OUT" "10.0.0.1/30" "lifecycle: exec runs in the customer namespace"
expect 0 peering remove MyTestCircuit --type private
expect 0 circuit deprovision MyTestCircuit
expect 0 circuit remove MyTestCircuit
eq "$(namespaces)" "" "lifecycle: removed"

# lab up/down
expect 0 up "$HOME/classic.ini"
has "$OUT" "created MyTestCircuit" "lab: up"
ok "pings $CU 10.0.0.2 && pings $CU 131.107.0.2 && pings $CU 131.107.0.10" "lab: all three peerings answer"
expect 0 up "$HOME/classic.ini"
has "$OUT" "up to date" "lab: a second up changes nothing"
expect 0 down "$HOME/classic.ini"
eq "$(namespaces)" "" "lab: down"

# BGP with a VNet (BIRD found in /usr/sbin although the PATH has no sbin)
LAB=$HOME/tmp/bgp.ini
cp "$HOME/classic.ini" "$LAB"
printf '\n[vnet er1 hub]\naddress_space = 10.1.0.0/16\n\n[bgp]\nmsee = bird\ncustomer = bird\ncustomer_prefixes = 192.168.0.0/24\n' >>"$LAB"
expect 0 up "$LAB"
established() { erl status MyTestCircuit --json; grep -o '"state":"Established"' <<<"$OUT" | wc -l; }
ok 'for i in $(seq 75); do [ "$(established)" -ge 6 ] && break; sleep 0.2; done; [ "$(established)" -ge 6 ]' \
	"bgp: every session Established within 15 s"
ok "ip -n $CU route show 10.1.0.0/16 | grep -q 'via 10.0.0.2'" "bgp: the customer learns the VNet"
ok "pings $CU 10.1.0.4" "bgp: the customer reaches the VNet's VM"
ok "ip -n $MS route show 192.168.0.0/24 | grep -q bird" "bgp: the Microsoft edge learns the customer's prefix"
eq "$(pgrep -x bird | wc -l)" 2 "bgp: two BIRDs run"
expect 0 down "$LAB"
eq "$(pgrep -x bird | wc -l)" 0 "bgp: down stops them"
eq "$(namespaces)" "" "bgp: down removes everything"

# Left running on purpose: the shell's end must take it all.
expect 0 up "$LAB"
eq "$(pgrep -x bird | wc -l)" 2 "left up: two BIRDs run as the shell ends"
finish
INNER
chown "$U:$U" "$H/inner.sh"
user_run erlab shell -- bash "$H/inner.sh"
sed 's/^/   inside: /' <<<"$OUT"
[ -n "$ERR" ] && sed 's/^/   inside (stderr): /' <<<"$ERR"
eq "$RC" 0 "erlab shell: the inner tests passed"
has "$OUT" " 0 failed" "erlab shell: the inner tests ran"
eq "$(pgrep -U "$U" | tr '\n' ' ')" "" "after the shell: no process of the user is left (BIRDs included)"
eq "$(pgrep -x bird | tr '\n' ' ')" "" "after the shell: no BIRD"
eq "$(namespaces)" "" "after the shell: no namespace here"
ok '[ ! -e /run/erlab ]' "after the shell: no state dir here"

# --- erlab shell's own behaviour ---
user_run erlab shell -- sh -c 'exit 7'
eq "$RC" 7 "erlab shell exits with its command's code"
user_run erlab shell -- no-such-command-here
eq "$RC" 127 "a command that is not found: 127"
has "$ERR" "erlab: no-such-command-here: cannot run it in the sandbox: No such file or directory" "... naming it"
as_user erlab shell <<<'echo "in $ERLAB_STATE_DIR"; exit 3' >"$TEST_TMP/u.out" 2>&1
RC=$?
eq "$RC" 3 "no command: the user's \$SHELL runs (commands from stdin here)"
eq "$(cat "$TEST_TMP/u.out")" "in /run/erlab" "... inside the sandbox"
# (A simple command in the background, so that $! is erlab itself, not a subshell around it.)
setpriv --reuid="$U" --regid="$U" --clear-groups env -i PATH="$H/bin:/usr/bin:/bin" erlab shell -- sleep 30 &
pid=$!
sleep 0.5
start=$(date +%s)
kill -TERM "$pid"
wait "$pid"
RC=$?
eq "$RC" 143 "SIGTERM to erlab shell ends its command (128 + 15)"
ok '[ $(($(date +%s) - start)) -le 5 ]' "... at once"
eq "$(pgrep -U "$U" | tr '\n' ' ')" "" "... and nothing of it is left"
user_run erlab shell -x
eq "$RC" 2 "erlab shell takes no options of its own"
has "$ERR" "erlab shell: unknown option '-x' (the command goes after --)" "... and says where the command goes"
finish
