#!/bin/bash
# vm-tier: skip (the shipped labs' BGP and FRR; datapath-independent, and slow under TCG)
# Every shipped lab keeps the promises of its header (issue 15). Each labs/*.ini has a "Try it"
# block in its header comment, which this test runs in file order, as written, from a directory
# whose labs/ is the repository's, with erlab on PATH (on the datapath under test):
#
#   ;   $ COMMAND                      run with bash; must exit 0 unless an `exit` line follows
#   ;   expect: exit N                 the command before exited N
#   ;   expect: prints TEXT            its output (stdout and stderr) holds TEXT
#   ;   expect: lines N TEXT           exactly N lines of its output hold TEXT
#   ;   expect: sessions C NAME=STATE...   circuit C's BGP sessions (erlab status) are exactly
#                                      these, within 90 s; STATE not-Established: anything else
#   ;   expect: route NS PREFIX [via ADDR]...   NS's kernel route to PREFIX has exactly these next
#                                      hops (any route when none is given), within 15 s
#   ; needs: PROGRAM...                the lab is skipped, saying so, when one is missing
#
# Afterwards nothing may be left: no namespace, no BIRD, no FRR daemon. An unknown `expect:` is a
# failure, so a typo in a header cannot pass unseen. Every lab but mistakes.ini must be brought up.
. "$(dirname "$0")/lib.sh"
mkdir -p "$TEST_TMP/bin" "$TEST_TMP/work"
cat >"$TEST_TMP/bin/erlab" <<EOF
#!/bin/sh
exec "$ERLAB" --datapath $DP "\$@"
EOF
chmod +x "$TEST_TMP/bin/erlab"
ln -s "$ERLAB_SRC/labs" "$TEST_TMP/work/labs"
export PATH=$TEST_TMP/bin:$PATH
cd "$TEST_TMP/work" || exit 1
# BGP sessions that drop come back after BIRD's error wait (60 s, as a student sees it); a build
# with test hooks shortens it. FRR keeps crash logs in /var/tmp/frr: the sandbox's own, here.
case ${ERLAB_TEST_HOOKS:-OFF} in ON|on|1|TRUE|true|YES|yes) export ERLAB_TEST_BGP_ERROR_WAIT=1 ;; esac
mount -t tmpfs erlab-labs /var/tmp

sessions_match() { # CIRCUIT WANT...
	local c=$1 got want=""
	shift
	got=$(bgp_sessions "$c")
	for w in "$@"; do
		case $w in
		*=not-Established) local n=${w%%=*} s
			s=$(tr ' ' '\n' <<<"$got" | sed -n "s/^$n=//p")
			[ -n "$s" ] && [ "$s" != Established ] || return 1
			want="$want $n=$s" ;;
		*) want="$want $w" ;;
		esac
	done
	[ "$got" = "$(tr ' ' '\n' <<<"${want# }" | sort | tr '\n' ' ' | sed 's/ $//')" ]
}
fam() { case $1 in *:*) echo -6 ;; *) echo -4 ;; esac; }
hops() { ip "$(fam "$2")" -n "$1" route show "$2" 2>/dev/null | grep -o 'via [0-9a-f.:]*' | sort | tr '\n' ' ' | sed 's/ $//'; }
route_match() { # NS PREFIX [via ADDR]...
	local ns=$1 prefix=$2
	shift 2
	[ -n "$(ip "$(fam "$prefix")" -n "$ns" route show "$prefix" 2>/dev/null)" ] || return 1
	[ $# -eq 0 ] || [ "$(hops "$ns" "$prefix")" = "$(tr ' ' '\n' <<<"$*" | paste -d' ' - - | sort | tr '\n' ' ' | sed 's/ $//')" ]
}
within() { # SECONDS COMMAND...
	local n=$(($1 * 5))
	shift
	while ! "$@"; do
		n=$((n - 1))
		[ $n -gt 0 ] || return 1
		sleep 0.2
	done
}
leftovers() {
	local l=""
	[ -z "$(namespaces)" ] || l="$l namespaces: $(namespaces);"
	pgrep -x bird >/dev/null && l="$l a BIRD;"
	pgrep -x 'zebra|bgpd' >/dev/null && l="$l an FRR daemon;"
	printf '%s' "$l"
}

# One lab: its header's steps in order. Prints pass/fail lines; returns nothing useful.
run_lab() {
	local lab=$1 name=${1##*/} steps=() lines=() i=0 n line body rc=0 out="" ran_up=0
	while IFS= read -r line; do
		i=$((i + 1))
		case $line in
		";"*) body=${line#;} ;;
		*) continue ;;
		esac
		body=${body#"${body%%[! ]*}"}
		case $body in
		'$ '* | 'expect: '* | 'needs: '*) steps+=("$body") lines+=("$i") ;;
		esac
	done <"$lab"
	if [ ${#steps[@]} -eq 0 ]; then
		fail "$name: no \"Try it\" block (no \`\$\` line in its header)"
		return
	fi
	for ((n = 0; n < ${#steps[@]}; n++)); do
		case ${steps[n]} in
		'needs: '*)
			for p in ${steps[n]#needs: }; do
				if ! command -v "$p" >/dev/null; then
					echo "SKIP $name: needs $p, which is not installed"
					return
				fi
			done ;;
		esac
	done
	for ((n = 0; n < ${#steps[@]}; n++)); do
		local s=${steps[n]} at="$name:${lines[n]}"
		case $s in
		'$ '*)
			local cmd=${s#\$ } want=0
			[[ ${steps[n + 1]:-} == 'expect: exit '* ]] && want=${steps[n + 1]#expect: exit }
			out=$(bash -o pipefail -c "$cmd" </dev/null 2>&1)
			rc=$?
			[[ $cmd == "erlab up labs/$name"* ]] && ran_up=1
			if [ "$rc" = "$want" ]; then
				pass "$at: \$ $cmd"
			else
				fail "$at: \$ $cmd: exit $rc, expected $want"
				printf '%s\n' "$out" | tail -5 | sed 's/^/      /'
			fi ;;
		'expect: exit '*) ;;
		'expect: prints '*) has "$out" "${s#expect: prints }" "$at: $s" ;;
		'expect: lines '*)
			local rest=${s#expect: lines } count
			count=$(grep -cF -- "${rest#* }" <<<"$out")
			eq "$count" "${rest%% *}" "$at: $s" ;;
		'expect: sessions '*)
			# shellcheck disable=SC2086
			if within 90 sessions_match ${s#expect: sessions }; then
				pass "$at: $s"
			else
				set -- ${s#expect: sessions }
				fail "$at: $s: got $(bgp_sessions "$1")"
			fi ;;
		'expect: route '*)
			# shellcheck disable=SC2086
			if within 15 route_match ${s#expect: route }; then
				pass "$at: $s"
			else
				set -- ${s#expect: route }
				fail "$at: $s: got '$(ip "$(fam "$2")" -n "$1" route show "$2" 2>&1 | tr '\n' ' ')'"
			fi ;;
		'needs: '*) ;;
		*) fail "$at: unknown step: $s" ;;
		esac
	done
	if [ "$name" != mistakes.ini ] && [ "$ran_up" = 0 ]; then
		fail "$name: its header never brings it up (\$ erlab up labs/$name)"
	fi
	local left
	left=$(leftovers)
	if [ -z "$left" ]; then
		pass "$name: nothing is left"
	else
		fail "$name: left behind:$left"
		for p in $(pgrep -x 'zebra|bgpd'); do kill "$p"; done   # the sandbox's own PID namespace
		erlab down --all >/dev/null 2>&1
	fi
}

labs=0
for lab in "$ERLAB_SRC"/labs/*.ini; do
	labs=$((labs + 1))
	start=$(date +%s%N)
	run_lab "$lab"
	echo "  (${lab##*/}: $((($(date +%s%N) - start) / 1000000)) ms)"
done
ok "[ $labs -ge 8 ]" "every shipped lab was tried ($labs)"
finish
