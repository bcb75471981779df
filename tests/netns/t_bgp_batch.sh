#!/bin/bash
# vm-tier: skip (datapath-independent; runs on the host, and the VM tier runs under slow TCG)
# A lab's BIRDs start and stop side by side (docs/bgp.md, "Starting, reconfiguring and stopping
# BIRD") and every guarantee holds as when each BIRD was waited for in its own step: up returns
# with every BIRD answering; a BIRD that fails to start takes back its circuit and every circuit
# after it, and only those; a step that fails after a launch stops the BIRD still starting; a down
# that fails after asking its BIRDs to stop starts them again; down leaves no BIRD and no file.
. "$(dirname "$0")/lib.sh"
needs_hooks
command -v bird >/dev/null || { echo "SKIP: BIRD is not installed"; exit 77; }
export ERLAB_TEST_BGP_ERROR_WAIT=1
B=$ERLAB_STATE_DIR/bird
LAB=$TEST_TMP/four.ini
bash "$ERLAB_SRC/bench/gen-lab" 4 "$DP" bgp >"$LAB"
key() { printf '00000000-0000-4000-8000-%012d' "$1"; }
birds() { pgrep -x bird | wc -l; }
# The BIRDs answering on their control sockets, as "c1-customer c1-microsoft ...".
answering() {
	local f k r
	for f in "$B"/*.ctl; do
		[ -S "$f" ] && birdc -s "$f" show status 2>/dev/null | grep -q 'Daemon is up' || continue
		k=${f##*/} r=${k%.ctl} r=${r##*-} k=${k:24:12}
		printf 'c%d-%s\n' "$((10#$k))" "$r"
	done | sort | tr '\n' ' ' | sed 's/ $//'
}
all_answer() { local o="" i; for i in "$@"; do o="$o c$i-customer c$i-microsoft"; done; echo "${o# }"; }
ns_of() { local o="" i; for i in "$@"; do o="$o c$i-customer c$i-hub c$i-microsoft"; done; echo "${o# }"; }
# Steps of circuit C in a dry run of LAB (their indented lines under "create C").
steps_of() { erl up "$1" --dry-run; awk -v c="create $2" '$0 == c { on = 1; next } /^[^ ]/ { on = 0 } on' <<<"$OUT" | wc -l; }

# --- Four circuits: up returns with every BIRD answering, and their sessions come up. ---
expect 0 up "$LAB"
eq "$(grep -c '^created c[1-4]$' <<<"$OUT")" 4 "up says each of the four circuits once"
eq "$(answering)" "$(all_answer 1 2 3 4)" "every BIRD answers on its control socket when up returns"
expect 0 wait four --timeout 30
expect 0 down four
eq "$(birds)" 0 "down of the four leaves no BIRD"
eq "$(ls -A "$B" 2>/dev/null)" "" "nor any BIRD file"
eq "$(namespaces)" "" "nor a namespace"

# --- c3's Microsoft edge fails to start: c3 and c4 are taken back, c1 and c2 stay. ---
mkdir "$TEST_TMP/wrap"
cat >"$TEST_TMP/wrap/bird" <<EOF
#!/bin/sh
case "\$*" in *"$(key 3)-microsoft.conf"*) echo "bird: simulated failure at start" >&2; exit 3 ;; esac
exec $(command -v bird) "\$@"
EOF
chmod +x "$TEST_TMP/wrap/bird"
ERLAB_BIRD=$TEST_TMP/wrap/bird erl up "$LAB"
eq "$RC" 1 "up with a BIRD that exits while starting: exit 1"
has "$ERR" "start BIRD as the Microsoft edge of c3" "the error names the step"
has "$ERR" "BIRD exited with status 3 while starting" "and says how BIRD ended"
has "$ERR" "simulated failure at start" "with BIRD's last words"
eq "$(grep '^created' <<<"$OUT" | tr '\n' ' ')" "created c1 created c2 " "only the circuits before it are said to be created"
eq "$(state_files)" "c1.ini c2.ini" "c3 and c4 are taken back: their state files are gone"
eq "$(namespaces)" "$(ns_of 1 2)" "and so are their namespaces"
eq "$(answering)" "$(all_answer 1 2)" "c1's and c2's BIRDs answer"
eq "$(birds)" 4 "and no other BIRD runs"
ok "grep -q 'simulated failure at start' '$B/$(key 3)-microsoft.log'" "the failed BIRD's log stays"
ok "[ ! -e '$B/$(key 4)-microsoft.conf' ] && [ ! -e '$B/$(key 4)-customer.log' ]" "c4's BIRD files are gone"
ok "[ ! -e '$ERLAB_STATE_DIR/journal/open' ]" "no journal is left open"
expect 0 status
eq "$(grep -c 'drift: none' <<<"$OUT")" 2 "c1 and c2 have no drift"
expect 0 up "$LAB"
eq "$(grep '^created' <<<"$OUT" | tr '\n' ' ')" "created c3 created c4 " "up with a good BIRD makes c3 and c4"
expect 0 wait four --timeout 30
expect 0 down four
eq "$(birds)$(namespaces)$(state_files)" 0 "down leaves nothing"

# --- The last step of c2's transaction fails, its Microsoft edge launched and maybe still starting. ---
LAB2=$TEST_TMP/two.ini
bash "$ERLAB_SRC/bench/gen-lab" 2 "$DP" bgp >"$LAB2"
last=$(( $(steps_of "$LAB2" c1) + $(steps_of "$LAB2" c2) ))
ERLAB_TEST_FAIL_AT_STEP=$last erl up "$LAB2"
eq "$RC" 1 "up with c2's last step failing (step $last): exit 1"
has "$ERR" "start BIRD as the customer router of c2" "the error names c2's customer router"
eq "$(state_files)" "c1.ini" "c1 stays, c2 is undone"
eq "$(namespaces)" "$(ns_of 1)" "c2's namespaces are gone"
eq "$(answering)" "$(all_answer 1)" "c1's BIRDs answer"
eq "$(birds)" 2 "c2's Microsoft edge, launched in the undone transaction, was stopped"
ok "[ ! -e '$B/$(key 2)-microsoft.conf' ]" "and its files removed"
expect 0 up "$LAB2"
expect 0 wait two --timeout 30

# --- down fails in c2's plan after asking c2's BIRDs to stop: c2 comes back whole. ---
# A removal's steps: stop both BIRDs, remove the VNet, both namespaces: c2's third is step 8.
ERLAB_TEST_FAIL_AT_STEP=8 erl down two
eq "$RC" 1 "down with c2's VNet removal failing: exit 1"
eq "$(state_files)" "c2.ini" "c1 is removed, c2 stays"
eq "$(namespaces)" "$(ns_of 2)" "only c2's namespaces are left"
eq "$(answering)" "$(all_answer 2)" "c2's BIRDs, asked to stop, were started again and answer"
eq "$(birds)" 2 "c1's BIRDs are gone"
ok "[ ! -e '$B/$(key 1)-microsoft.conf' ] && [ ! -e '$B/$(key 1)-customer.ctl' ]" "and their files"
expect 0 status c2
has "$OUT" "drift: none" "c2 has no drift"
expect 0 wait two --timeout 30
expect 0 down two
eq "$(birds)$(namespaces)$(state_files)$(ls -A "$B" 2>/dev/null)" 0 "down leaves nothing"
finish
