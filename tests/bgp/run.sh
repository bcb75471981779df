#!/bin/bash
# Run a tests/bgp script in the netns tier's sandbox: run.sh [SCRIPT] (default: every t_*.sh here).
#   ERLAB=path/to/erlab BIRD_TOOL=path/to/bird_tool tests/bgp/run.sh
set -u
here=$(cd "$(dirname "$0")" && pwd)
: "${ERLAB:?ERLAB must name the erlab binary}"
: "${BIRD_TOOL:?BIRD_TOOL must name the bird_tool binary}"
export ERLAB BIRD_TOOL ERLAB_SRC=${ERLAB_SRC:-$(cd "$here/../.." && pwd)}
[ $# -gt 0 ] || set -- "$here"/t_*.sh
rc=0
for t in "$@"; do
	"$ERLAB_SRC/tests/netns/run.sh" "$t" || rc=$?
done
exit $rc
