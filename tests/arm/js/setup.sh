#!/bin/bash
# The arm tier's JavaScript SDK, installed from npm into DIR (a dir of the build tree) before
# tests/arm/t_js.sh runs in its sandbox (which has no network): `npm ci` of this directory's
# package.json and package-lock.json (exact versions), with npm's cache in DIR too. A second run
# with the same lock file installs nothing. Exit 77 (skip) only without node or npm, or with a node
# older than the SDK's minimum; --check tells only that (t_js.sh skips as this does).
#   setup.sh DIR | --check
set -u
dir=${1:?usage: setup.sh DIR | --check}
here=$(cd "$(dirname "$0")" && pwd)

command -v node >/dev/null || { echo "SKIP: no node (scripts/deps.sh installs nodejs)"; exit 77; }
command -v npm >/dev/null || { echo "SKIP: no npm (scripts/deps.sh installs npm)"; exit 77; }
major=$(node -p 'process.versions.node.split(".")[0]')
if [ "$major" -lt 20 ]; then
	echo "SKIP: node $(node --version) is older than the SDK's minimum, 20 (@azure/arm-network 36)"
	exit 77
fi
[ "$dir" != --check ] || exit 0

mkdir -p "$dir" || exit 1
if cmp -s "$here/package-lock.json" "$dir/package-lock.json" && cmp -s "$here/package.json" "$dir/package.json" &&
	[ -f "$dir/node_modules/.erlab-installed" ]; then
	echo "SDK already installed in $dir"
	exit 0
fi
rm -rf "$dir/node_modules" "$dir/.erlab-installed"
cp "$here/package.json" "$here/package-lock.json" "$dir/" || exit 1
# No scripts, no audit, no funding notice, no update check: only the registry's tarballs.
(cd "$dir" && timeout 600 npm ci --cache "$dir/npm-cache" --ignore-scripts --no-audit --no-fund \
	--no-update-notifier --loglevel=warn) || { echo "npm ci failed in $dir"; exit 1; }
touch "$dir/node_modules/.erlab-installed"
echo "SDK installed in $dir: $(cd "$dir" && node -p 'Object.entries(require("./package.json").dependencies).map(e => e.join("@")).join(" ")')"
