#!/bin/bash
# vm-tier: skip (the README's examples; datapath-independent)
# Every README example works when copied (issue 14): each ```sh block of README.md, except those
# of "Quick start" and "Install" (they set up the machine itself), runs as written — erlab on PATH,
# from a directory whose labs/ is the repository's — with `set -e -o pipefail`, each on a machine
# without circuits (`erlab down --all` between blocks). A command that fails fails the test,
# named with its README line.
. "$(dirname "$0")/lib.sh"
readme=$ERLAB_SRC/README.md
mkdir -p "$TEST_TMP/bin" "$TEST_TMP/work"
ln -s "$ERLAB" "$TEST_TMP/bin/erlab"
ln -s "$ERLAB_SRC/labs" "$TEST_TMP/work/labs"
export PATH=$TEST_TMP/bin:$PATH
cd "$TEST_TMP/work" || exit 1

# Cut README.md into blocks: block.N.sh, its section in block.N.section, its first line in block.N.line.
awk -v dir="$TEST_TMP" '
	/^## / { section = substr($0, 4) }
	/^```sh$/ && !inblock { inblock = 1; n++; f = dir "/block." n; print section > (f ".section");
		print NR + 1 > (f ".line"); next }
	/^```$/ && inblock { inblock = 0; close(f ".sh"); next }
	inblock { print > (f ".sh") }
' "$readme"
ran=""
for f in "$TEST_TMP"/block.*.sh; do
	b=${f%.sh}
	section=$(cat "$b.section") line=$(cat "$b.line")
	case $section in "Quick start"* | Install) continue ;; esac
	ran="$ran[$section]"
	# -x traces every command to the log: the last one before a failure is the culprit.
	bash -e -o pipefail -x "$f" </dev/null >"$b.log" 2>&1
	rc=$?
	if [ "$rc" = 0 ]; then
		pass "README \"$section\" (line $line): $(grep -c . "$f") lines run"
	else
		failed=$(grep -n '^+' "$b.log" | tail -1 | cut -d: -f2- | sed 's/^+* //')
		fail "README \"$section\" (line $line): exit $rc at: $failed"
		tail -5 "$b.log" | sed 's/^/      /'
	fi
	erlab down --all >/dev/null 2>&1
done
eq "$ran" "[Without root][Native verbs][The how-to's cmdlets][Help][Lab files][Beyond one machine]" "every example section ran"
eq "$(namespaces)" "" "nothing is left"
finish
