#!/bin/bash
# Guest self-check for the VM tier: the tools the suites use find all their shared libraries in
# the initramfs, and the real tools, not busybox's applets, come first in PATH.
# Exit 0 pass, 77 skip (not in the VM), 1 fail.
set -u

if [[ ${ERLAB_VM:-} != 1 ]]; then
	echo "SKIP: only meaningful inside the VM tier's guest (ERLAB_VM=1)"
	exit 77
fi
failures=0
fail() {
	printf 'FAIL: %s\n' "$*"
	failures=$((failures + 1))
}

# Only the tools the suites lean on: an exec costs a lot under TCG.
checked=0
for t in bash ip ping unshare mount umount timeout erlab bird birdc tc ss nsenter; do
	f=$(type -P "$t") || continue
	f=$(readlink -f "$f")
	[[ $f == /bin/busybox ]] && continue
	# What ldd does: the dynamic loader lists the libraries without running the program.
	if missing=$(LD_TRACE_LOADED_OBJECTS=1 "$f" 2>&1 | grep 'not found'); then
		fail "$f: $missing"
	fi
	checked=$((checked + 1))
done
((checked >= 8)) || fail "only $checked of the real tools found in the guest"

for t in bash ip ping unshare mount timeout grep sed awk erlab; do
	p=$(type -P "$t") || { fail "$t is not in PATH"; continue; }
	[[ $(readlink -f "$p") == /bin/busybox ]] && fail "$t resolves to busybox ($p), not the real tool"
done
"$ERLAB" --help >/dev/null 2>&1 || "$ERLAB" help >/dev/null 2>&1 ||
	fail "$ERLAB does not run in the guest"
ip -V >/dev/null || fail "ip -V failed"
if type -P bird >/dev/null; then
	bird --version >/dev/null 2>&1 || fail "bird --version failed"
fi

if ((failures)); then
	printf '%d checks failed\n' "$failures"
	exit 1
fi
echo "PASS: $checked programs load; real tools first in PATH"
