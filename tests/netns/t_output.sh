#!/bin/bash
# vm-tier: skip (datapath-independent; runs on the host, and the VM guest has no python3)
# Output that stays readable (README, "Lab files"): a command that falls back to the veth datapath
# says so once, however many circuits it builds; on a terminal, the progress line is taken off
# before anything else is printed (a notice, a result, an error), so no two share a line.
. "$(dirname "$0")/lib.sh"
bash "$ERLAB_SRC/bench/gen-lab" 12 auto >"$TEST_TMP/auto.ini"
sed -i 's/^\[lab\]$/[lab]\nname = auto12/' "$TEST_TMP/auto.ini"

# Run erlab on a pseudo-terminal (script(1)), its output as bytes in $TEST_TMP/tty.
on_tty() {
	script -qefc "$(printf '%q ' "$ERLAB" --state-dir "$ERLAB_STATE_DIR" "$@")" /dev/null >"$TEST_TMP/tty" 2>&1
}
# Every line erlab starts on the terminal ("erlab: ..." or a result) begins at column 0: after a
# newline, or after the progress line's "\r\033[K".
tty_lines_clean() {
	python3 - "$TEST_TMP/tty" <<'PY'
import re, sys
data = open(sys.argv[1], 'rb').read().replace(b'\r\n', b'\n')
bad = 0
for m in re.finditer(rb'erlab: |created |removed ', data):
    if re.match(rb'erlab: \d+/\d+ circuits', data[m.start():]):
        continue
    before = data[:m.start()]
    if not (before == b'' or before.endswith(b'\n') or before.endswith(b'\r\x1b[K')):
        bad += 1
        print('  shares a line:', repr(data[max(0, m.start() - 40):m.start() + 40]))
sys.exit(1 if bad else 0)
PY
}

if [ "$DP" = veth ]; then
	"$ERLAB" --state-dir "$ERLAB_STATE_DIR" --datapath auto up "$TEST_TMP/auto.ini" >"$TEST_TMP/out" 2>"$TEST_TMP/err"
	eq "$?" 0 "up of 12 circuits with datapath auto"
	eq "$(grep -c 'using the veth datapath' "$TEST_TMP/err")" 1 "the veth notice is printed once, not once per circuit"
	eq "$(grep -c '^created c' "$TEST_TMP/out")" 12 "every circuit is reported"
	expect 0 down auto12
fi

on_tty --datapath "$DP" up "$TEST_TMP/auto.ini"
eq "$?" 0 "up on a terminal"
ok "grep -q 'circuits' '$TEST_TMP/tty'" "a terminal gets a progress line"
ok tty_lines_clean "progress, notices and results never share a line"
on_tty --datapath "$DP" down auto12
eq "$?" 0 "down on a terminal"
eq "$(namespaces)" "" "down removed the lab"

# An error in the middle of the progress starts a line of its own.
if [ "${ERLAB_TEST_HOOKS:-OFF}" = ON ]; then
	ERLAB_TEST_FAIL_AT_STEP=60 on_tty --datapath "$DP" up "$TEST_TMP/auto.ini"
	eq "$?" 1 "up failing at step 60 exits 1"
	ok "grep -q 'injected by ERLAB_TEST_FAIL_AT_STEP' '$TEST_TMP/tty'" "and says why"
	ok tty_lines_clean "the error does not share the progress line"
	expect 0 down auto12
fi
finish
