# Helpers for the arm tier: `erlab serve` in the test's sandbox and the Azure CLI pointed at it,
# everything on loopback. Source after tests/netns/lib.sh.
#
#   serve_start / serve_stop     erlab serve on 127.0.0.1:$PORT (MSI on $MSI_PORT), its log in $SERVE_LOG;
#                                more options of serve in SERVE_ARGS (an array)
#   azc ARGS...                  run az; sets OUT, ERR, RC
#   az_ok MSG ARGS... / az_fails MSG ARGS...   run az, check success or failure
#   az_network_workaround        the Debian 12 `az network` fix, for this test's az only
#   identity KEY                 a value of serve's identity.json (tenant, subscription, clientId)
#   az_login_sp                  point az at erlab serve and log in as its service principal
PORT=${ERLAB_ARM_PORT:-8443}
MSI_PORT=$((PORT + 1))
URL=https://127.0.0.1:$PORT
SERVE_LOG=$TEST_TMP/serve.log
SERVE_PID=
[ -n "${SERVE_ARGS+x}" ] || SERVE_ARGS=()

# ARM_NO_AZ=1: a test of another client (t_js.sh) that needs no az.
[ -n "${ARM_NO_AZ:-}" ] || command -v az >/dev/null || { echo "SKIP: no az (apt-get install azure-cli)"; exit 77; }
command -v curl >/dev/null || { echo "SKIP: no curl"; exit 77; }

serve_start() {
	${ARM_WRAP:-} "$ERLAB" --state-dir "$ERLAB_STATE_DIR" --datapath "$DP" serve --listen "127.0.0.1:$PORT" \
		"${SERVE_ARGS[@]}" >"$TEST_TMP/serve.out" 2>"$SERVE_LOG" &
	SERVE_PID=$!
	local i
	for i in $(seq 1 300); do
		"$ERLAB" --state-dir "$ERLAB_STATE_DIR" serve --check >/dev/null 2>&1 &&
			curl -s -o /dev/null --cacert "$ERLAB_STATE_DIR/arm/ca.pem" "$URL/metadata/endpoints" && return 0
		sleep 0.1
	done
	echo "erlab serve did not start:"; cat "$SERVE_LOG"
	return 1
}

serve_stop() {
	[ -n "$SERVE_PID" ] || return 0
	kill -TERM "$SERVE_PID" 2>/dev/null
	wait "$SERVE_PID"
	local rc=$?
	SERVE_PID=
	return $rc
}

# az with a private config dir, no telemetry, no update check (a versionCheck.json of now).
export AZURE_CONFIG_DIR=$TEST_TMP/az AZURE_CORE_COLLECT_TELEMETRY=0 AZURE_CORE_NO_COLOR=1
export AZURE_CORE_SURVEY_MESSAGE=0 REQUESTS_CA_BUNDLE=$ERLAB_STATE_DIR/arm/ca.pem
mkdir -p "$AZURE_CONFIG_DIR"
now=$(date '+%Y-%m-%d %H:%M:%S.000000')
printf '{"check_time": "%s", "update_time": "%s", "versions": {}}\n' "$now" "$now" >"$AZURE_CONFIG_DIR/versionCheck.json"

azc() {
	local o e
	o=$(mktemp "$TEST_TMP/out.XXXXXX") e=$(mktemp "$TEST_TMP/err.XXXXXX")
	az "$@" >"$o" 2>"$e"
	RC=$?
	OUT=$(cat "$o") ERR=$(cat "$e")
	rm -f "$o" "$e"
	return 0
}
az_ok() {
	local msg=$1
	shift
	azc "$@"
	if [ "$RC" = 0 ]; then pass "$msg"; else fail "$msg: az $* exited $RC"; printf '  stderr: %s\n' "$ERR"; fi
}
az_fails() {
	local msg=$1
	shift
	azc "$@"
	if [ "$RC" != 0 ]; then pass "$msg (az exit $RC)"; else fail "$msg: az $* succeeded"; printf '  stdout: %s\n' "$OUT"; fi
}
# A JSON value from OUT: jpath 'expr' with python3 (d is the parsed document).
jget() { python3 -c "import json,sys; d=json.load(sys.stdin); print($1)" <<<"$OUT" 2>/dev/null; }

# Debian 12's azure-cli 2.45 lacks the azure.mgmt.network.v2022_01_01 module its network commands
# need (docs/arm.md, "The Debian az network bug"): alias that name to v2022_07_01 with a Python
# usercustomize module on PYTHONPATH, for the az of the test that calls this and no other.
az_network_workaround() {
	mkdir -p "$TEST_TMP/py"
	cat >"$TEST_TMP/py/usercustomize.py" <<'PY'
import sys
try:
    import azure.mgmt.network.v2022_07_01 as _v
    sys.modules["azure.mgmt.network.v2022_01_01"] = _v
except ImportError:  # a Python without az's packages (the test's own helpers)
    pass
PY
	export PYTHONPATH=$TEST_TMP/py
}

identity() { python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))[sys.argv[2]])' "$ERLAB_STATE_DIR/arm/identity.json" "$1"; }

az_login_sp() {
	az_ok "az cloud register" cloud register -n erlab --endpoint-resource-manager "$URL/"
	az_ok "az cloud set" cloud set -n erlab
	az_ok "az login --service-principal" login --service-principal -u "$(identity clientId)" \
		-p "$(cat "$ERLAB_STATE_DIR/arm/sp.secret")" --tenant "$(identity tenant)"
}
