#!/bin/bash
# Run one netns-tier test (with its arguments) in a private sandbox: its own network, mount and pid namespaces, a tmpfs
# over /run (so /run/netns is private), a temp state dir. Nothing the test makes can reach the
# machine's own interfaces or namespaces, and every process it starts dies with the sandbox.
# Exit: 0 pass, 77 skip, anything else fail.
set -u
test_script=${1:?usage: run.sh TEST.sh}

if [ "$(id -u)" -ne 0 ]; then
	echo "SKIP: the netns tier needs root (CAP_SYS_ADMIN, CAP_NET_ADMIN)"
	exit 77
fi
if ! command -v unshare >/dev/null || ! unshare --net --mount true 2>/dev/null; then
	echo "SKIP: cannot create network and mount namespaces here"
	exit 77
fi
: "${ERLAB:?ERLAB must name the erlab binary}"
: "${ERLAB_SRC:=$(cd "$(dirname "$0")/../.." && pwd)}"
export ERLAB ERLAB_SRC

exec unshare --mount --net --pid --fork --mount-proc --propagation private bash -c '
	set -u
	mount -t tmpfs -o mode=0755 erlab-test-run /run || exit 1
	mkdir -p /run/netns
	ip link set lo up
	tmp=$(mktemp -d /tmp/erlab-test.XXXXXX) || exit 1
	export ERLAB_STATE_DIR=$tmp/state TEST_TMP=$tmp
	bash "$@"
	rc=$?
	rm -rf "$tmp"
	exit $rc
' run.sh "$@"
