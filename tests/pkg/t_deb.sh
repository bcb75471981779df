#!/bin/bash
# The .deb (README, "Install"; cmake/ErlabPackage.cmake), as a user would take it: built with
# cpack from a Release build of its own (no test hooks, no tests), its control fields and contents
# checked, installed with dpkg -i; the installed erlab brings up the installed classic lab, pings
# across both links, takes it down; dpkg -r then leaves none of the package's files, and purge
# forgets it.
#
# dpkg changes the machine's files and package database, so it runs only under overlays of /usr,
# /var and /etc made in this sandbox's private mount namespace (tests/netns/run.sh), their upper
# dirs on a tmpfs of the sandbox: whatever happens, even a kill, the machine never sees the package.
# ERLAB_PKG_BUILD: the build dir for the package (kept: the .deb stays there, and a second run is
# incremental). Exit: 0 pass, 1 fail, 77 skip (no dpkg/cpack, or no overlayfs here).
set -u
build=${ERLAB_PKG_BUILD:?ERLAB_PKG_BUILD must name the package build dir}
src=${ERLAB_SRC:?}
for tool in dpkg dpkg-deb dpkg-query cpack cmake findmnt readelf; do
	command -v "$tool" >/dev/null || { echo "SKIP: $tool is not installed (a Debian system with cmake)"; exit 77; }
done
log=$TEST_TMP/pkg.log
now() { date +%s%N; }
ms() { echo $((($(now) - $1) / 1000000)); }

# ---- build the package ----
t0=$(now)
if ! { cmake -S "$src" -B "$build" -DCMAKE_BUILD_TYPE=Release -DBUILD_TESTING=OFF -DERLAB_WERROR=ON &&
	cmake --build "$build" -j 2 -- --no-print-directory; } >"$log" 2>&1; then
	tail -20 "$log"
	echo "FAIL the Release build for the package"
	echo "0 passed, 1 failed"
	exit 1
fi
t_build=$(ms "$t0")
rm -f "$build"/erlab_*.deb
t0=$(now)
if ! (cd "$build" && cpack -G DEB) >"$log" 2>&1; then
	tail -20 "$log"
	echo "FAIL cpack -G DEB"
	echo "0 passed, 1 failed"
	exit 1
fi
t_cpack=$(ms "$t0")
deb=$(ls "$build"/erlab_*.deb)

# lib.sh's helpers, on the binary the package was built from (its datapath probe runs here).
ERLAB=$build/erlab
. "$src/tests/netns/lib.sh"

# ---- what the package says and holds ----
version=$(sed -n 's/^project(erlab VERSION \([0-9.]*\).*/\1/p' "$src/CMakeLists.txt")
ok '[ -n "$version" ]' "CMakeLists.txt has project(erlab VERSION x.y.z)"
eq "$(dpkg-deb -f "$deb" Package)" erlab "Package: erlab"
eq "$(dpkg-deb -f "$deb" Version)" "$version" "Version: CMake's project version"
eq "$("$build/erlab" --version)" "erlab $version" "erlab --version prints CMake's project version"
depends=$(dpkg-deb -f "$deb" Depends)
echo "     Depends: $depends"
# Depends names the package of every shared library the binary links (its NEEDED entries; what
# those load in turn, GnuTLS's p11-kit and nettle, their own packages' Depends bring), and iproute2.
owner_of() {   # a library path from ldd -> its Debian package (merged /usr or not)
	local p real c
	p=$1 real=$(readlink -f "$1")
	for c in "$p" "$real" "/usr$p" "/usr$real" "${p#/usr}" "${real#/usr}"; do
		dpkg-query -S "$c" 2>/dev/null | sed -n '1s/:.*//p' | grep . && return 0
	done
	return 1
}
# Both programs: erlab, and erlab-serve (`erlab serve`, installed to libexec) with the ARM libraries.
libs=$(for bin in "$build/erlab" "$build/erlab-serve"; do
	needed=$(readelf -d "$bin" | sed -n 's/.*(NEEDED).*\[\(.*\)\]/\1/p')
	ldd "$bin" | awk '$2 == "=>" && $3 ~ /^\// {print $1, $3}' |
		while read -r name path; do grep -qxF "$name" <<<"$needed" && echo "$path"; done
done | sort -u)
ok '[ -n "$libs" ]' "readelf and ldd find the libraries the binaries link"
for lib in $libs; do
	pkg=$(owner_of "$lib")
	if [ -z "$pkg" ]; then
		fail "no package owns $lib"
		continue
	fi
	ok 'grep -qE "(^|, )$pkg( |,|$)" <<<"$depends"' "Depends names $pkg (for $(basename "$lib"))"
done
ok 'grep -qE "(^|, )iproute2( |,|$)" <<<"$depends"' "Depends names iproute2"
eq "$(dpkg-deb -f "$deb" Recommends)" bird2 "Recommends: bird2"
contents=$(dpkg-deb -c "$deb" | awk '{print $6}' | sed 's|^\./|/|')
for f in /usr/bin/erlab /usr/libexec/erlab/erlab-serve /usr/share/erlab/labs/classic.ini /usr/share/erlab/labs/two-circuits.ini \
	/usr/share/doc/erlab/README.md /usr/share/doc/erlab/LICENSE /usr/share/doc/erlab/docs/rules.md \
	/usr/share/man/man8/erlab.8 /usr/share/man/man5/erlab.ini.5 /usr/share/bash-completion/completions/erlab; do
	ok 'grep -qx "$f" <<<"$contents"' "the package holds $f"
done
eq "$(grep -v '^/usr/' <<<"$contents" | tr '\n' ' ')" "" "every path of the package is under /usr"
files=$(dpkg-deb -c "$deb" | awk '$1 !~ /^d/ {print $6}' | sed 's|^\./|/|')

# ---- a private /usr, /var and /etc for dpkg ----
ovl=$TEST_TMP/overlay
mkdir -p "$ovl" && mount -t tmpfs erlab-pkg-overlay "$ovl" || { echo "FAIL cannot mount a tmpfs"; finish; }
# Taken down on the way out (the sandbox would drop them anyway) so that run.sh can remove TEST_TMP.
trap 'umount -l /etc /var /usr "$ovl" 2>/dev/null' EXIT
for d in usr var etc; do
	mkdir -p "$ovl/$d.up" "$ovl/$d.work"
	if ! mount -t overlay "erlab-pkg-$d" -o "lowerdir=/$d,upperdir=$ovl/$d.up,workdir=$ovl/$d.work" "/$d" 2>"$log"; then
		echo "SKIP: cannot put an overlay over /$d here ($(cat "$log")): dpkg -i would change the machine"
		exit 77
	fi
done
# Never run dpkg unless each of the three is this sandbox's own overlay.
for d in usr var etc; do
	if ! findmnt -n -o OPTIONS --mountpoint "/$d" | grep -q "upperdir=$ovl/$d.up"; then
		echo "FAIL /$d is not this sandbox's overlay; not running dpkg"
		finish
	fi
done

# ---- install ----
t0=$(now)
dpkg -i "$deb" >"$log" 2>&1
rc=$?
t_install=$(ms "$t0")
eq "$rc" 0 "dpkg -i $(basename "$deb")"
[ "$rc" = 0 ] || cat "$log"
eq "$(dpkg-query -W -f='${Status} ${Version}' erlab 2>/dev/null)" "install ok installed $version" "dpkg: erlab $version installed"
eq "$(env PATH=/usr/sbin:/usr/bin:/sbin:/bin sh -c 'command -v erlab')" /usr/bin/erlab "erlab is on a plain PATH"
for f in $files; do
	[ -e "$f" ] || fail "installed: $f is missing"
done
eq "$(/usr/bin/erlab --version)" "erlab $version" "the installed erlab --version"
out=$(/usr/bin/erlab --state-dir "$TEST_TMP/pkg-state" serve --check 2>&1)
eq "$?/$out" "3/not running" "the installed erlab serve runs the installed erlab-serve (--check: not running)"

# ---- the installed help: man pages, --help, the completion (issue 14, item 3) ----
if command -v man >/dev/null; then
	eq "$(man -w erlab 2>&1)" /usr/share/man/man8/erlab.8 "man -w erlab finds erlab(8)"
	eq "$(man -w erlab.ini 2>&1)" /usr/share/man/man5/erlab.ini.5 "man -w erlab.ini finds erlab.ini(5)"
	page=$(MANWIDTH=80 man erlab 2>&1)
	has "$page" "erlab circuit new" "man erlab shows the verbs"
	has "$page" "EXIT STATUS" "... and the exit status"
	has "$(MANWIDTH=80 man erlab.ini 2>&1)" "service_provider_name" "man erlab.ini shows the lab keys"
else
	fail "man is needed to check the installed pages (scripts/deps.sh TEST_PACKAGES: man-db)"
fi
out=$(/usr/bin/erlab circuit new --help)
eq "$?" 0 "the installed erlab circuit new --help exits 0"
has "$out" "usage: erlab circuit new NAME --bandwidth N" "... and shows the synopsis"
comp=/usr/share/bash-completion/completions/erlab
eq "$(bash -c '. "$0"; COMP_WORDS=(erlab circuit n); COMP_CWORD=2; _erlab; echo "${COMPREPLY[*]}"' "$comp" 2>&1)" new \
	"the installed completion completes erlab circuit n to new"

# ---- the installed erlab and the installed lab ----
ERLAB=/usr/bin/erlab
lab=/usr/share/erlab/labs/classic.ini
t0=$(now)
expect 0 up "$lab"
has "$OUT" "created MyTestCircuit" "up: created MyTestCircuit"
eq "$(namespaces)" "MyTestCircuit-customer MyTestCircuit-microsoft" "the lab's namespaces exist"
ok 'pings MyTestCircuit-customer 10.0.0.2' "ping over the primary link (10.0.0.2)"
ok 'pings MyTestCircuit-customer 10.0.0.6' "ping over the secondary link (10.0.0.6)"
expect 0 down "$lab"
eq "$(namespaces)" "" "down: no namespace left"
eq "$(state_files)" "" "down: no state file left"
t_run=$(ms "$t0")

# ---- remove ----
t0=$(now)
dpkg -r erlab >"$log" 2>&1
rc=$?
eq "$rc" 0 "dpkg -r erlab"
[ "$rc" = 0 ] || cat "$log"
left=""
for f in $files; do
	if [ -e "$f" ] || [ -L "$f" ]; then left="$left $f"; fi
done
eq "$left" "" "dpkg -r: none of the package's files is left"
for d in /usr/share/erlab /usr/share/doc/erlab; do
	ok '[ ! -e "$d" ]' "dpkg -r: $d is gone"
done
# Nothing else was written to /usr or /etc in the package's life (the overlay's upper dirs keep
# only directories and the whiteouts of what was removed).
eq "$(find "$ovl/usr.up" "$ovl/etc.up" -type f | tr '\n' ' ')" "" "no file written to /usr or /etc remains"
dpkg --purge erlab >"$log" 2>&1
eq "$?" 0 "dpkg --purge erlab"
st=$(dpkg-query -W -f='${Status}' erlab 2>/dev/null)
ok '[ -z "$st" ] || [ "$st" = "unknown ok not-installed" ]' "dpkg no longer knows erlab ($st)"
eq "$(ls /var/lib/dpkg/info/erlab.* 2>/dev/null)" "" "dpkg's records of erlab are gone"
t_remove=$(ms "$t0")

echo "     times (ms): build $t_build, cpack $t_cpack, dpkg -i $t_install, up+ping+down $t_run, dpkg -r/purge $t_remove"
echo "     package: $(basename "$deb"), $(stat -c %s "$deb") bytes"
finish
