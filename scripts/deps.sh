# shellcheck shell=bash
# Sourced by the scripts: install the Debian packages that are missing, then build erlab.

# ensure_packages PKG...: apt-get install only what dpkg does not already have.
ensure_packages() {
	local missing=() p
	for p in "$@"; do
		dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || missing+=("$p")
	done
	[ ${#missing[@]} -eq 0 ] && return 0
	if [ "$(id -u)" -ne 0 ]; then
		echo "erlab: missing packages ${missing[*]}; run as root or install them" >&2
		return 1
	fi
	echo "erlab: installing ${missing[*]}" >&2
	apt-get update -qq >&2 &&
		DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" >&2
}

BUILD_PACKAGES=(gcc make cmake pkg-config libnl-3-dev libnl-route-3-dev libmnl-dev libiniparser-dev libmicrohttpd-dev libgnutls28-dev libjansson-dev)
RUN_PACKAGES=(iproute2 iputils-ping util-linux bird2)
# The test tiers: qemu and a kernel with 802.1Q (scripts/vm-test installs those itself), clang's
# libFuzzer and sanitizer runtimes (and clang for the build matrix), valgrind, python3 for the
# bandwidth probe, strace for the crash sweep's fault injection, dpkg-dev for the .deb's Depends
# (dpkg-shlibdeps), FRR for the customer router that `erlab router-config --flavor frr` configures
# (t_router_frr runs its own zebra and bgpd in its sandbox; on a machine with systemd the package
# also starts frr.service, zebra alone by default, which the tests neither need nor touch),
# python3-jsonschema to check the JSON outputs against docs/schema, graphviz to render `erlab graph`,
# the Azure CLI and curl for the arm tier (tests/arm: real clients against `erlab serve`), tcpdump
# for the VM tier's capture of 802.1Q tags inside VXLAN (tests/vm/t_remote_vlan.sh), groff and
# man-db to format the generated man pages (t_help, t_deb), Node.js and npm for the arm tier's
# JavaScript SDK (tests/arm/t_js.sh; npm installs the SDK from the registry; a nodejs package that
# brings its own npm, as NodeSource's does, needs no Debian npm).
TEST_PACKAGES=(clang libclang-rt-dev valgrind python3 procps strace dpkg-dev frr python3-jsonschema graphviz azure-cli curl
	tcpdump groff-base man-db nodejs)
command -v npm >/dev/null 2>&1 || TEST_PACKAGES+=(npm)

# build_erlab SRC BUILD [cmake args...]: the project's own builds treat warnings as errors
# (ERLAB_WERROR; a plain `cmake` build does not).
build_erlab() {
	local src=$1 build=$2
	shift 2
	cmake -S "$src" -B "$build" -DCMAKE_BUILD_TYPE=RelWithDebInfo -DERLAB_WERROR=ON "$@" >/dev/null &&
		cmake --build "$build" -j "$(nproc)" -- --no-print-directory >/dev/null
}
