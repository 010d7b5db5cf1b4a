#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# Make the Debian kernel headers for KVER usable at /lib/modules/KVER/build
# without installing them with apt: the 6.12 headers package hard-depends
# on its kernel image, and installing that runs update-initramfs.  So
# `apt-get download` linux-headers-KVER, its -common package and the
# linux-kbuild package it depends on, and unpack them with `dpkg-deb -x`
# (unregistered with dpkg).  Downloads nothing if /lib/modules/KVER/build/
# Makefile exists already.  Either way, then checks that the compiler the
# kernel was configured with (and pahole, if modules get BTF) is installed.
# Messages go to stderr; exit status 0 = usable headers, 1 = error.
#
# usage: fetch-headers.sh KVER
#   e.g. fetch-headers.sh 6.12.117+deb12-amd64
# env:   PW_HEADERS_ROOT  unpack below this directory instead of / (testing)
#        PW_HEADERS_DEBS  where to keep the .debs
#                         (default ${TMPDIR:-/tmp}/kvm-pagewalk-headers-KVER)
set -eu

me=fetch-headers
die() { echo "$me: error: $*" >&2; exit 1; }
say() { echo "$me: $*" >&2; }

if [ $# -ne 1 ] || [ -z "$1" ]; then
	echo "usage: $0 KVER" >&2
	exit 2
fi
kver=$1
case "$kver" in
*/* | -*) die "bad kernel release '$kver'" ;;
esac
root=${PW_HEADERS_ROOT:-/}
root=${root%/}
debs=${PW_HEADERS_DEBS:-${TMPDIR:-/tmp}/kvm-pagewalk-headers-$kver}

# $root/lib/modules/KVER/build, following an absolute link inside $root.
build_dir() {
	b=$root/lib/modules/$kver/build
	if [ -L "$b" ]; then
		t=$(readlink "$b")
		case "$t" in /*) b=$root$t ;; esac
	fi
	echo "$b"
}

# The toolchain the headers' .config asks for.
check_tools() {
	b=$(build_dir)
	[ -f "$b/.config" ] || die "$b/.config is missing"
	cc=$(sed -n 's/^CONFIG_CC_VERSION_TEXT="\([^ "]*\).*/\1/p' "$b/.config")
	[ -n "$cc" ] || die "no CONFIG_CC_VERSION_TEXT in $b/.config"
	command -v "$cc" >/dev/null 2>&1 ||
		die "headers for $kver want compiler $cc, not installed" \
			"(apt-get install ${cc##*-linux-gnu-})"
	if grep -q '^CONFIG_DEBUG_INFO_BTF_MODULES=y' "$b/.config" &&
		! command -v pahole >/dev/null 2>&1; then
		die "headers for $kver build module BTF, but pahole is" \
			"not installed (apt-get install pahole)"
	fi
	for t in scripts/basic/fixdep scripts/mod/modpost; do
		[ -x "$b/$t" ] ||
			die "$b/$t is missing: linux-kbuild package incomplete?"
		if command -v ldd >/dev/null 2>&1 &&
			ldd "$b/$t" 2>/dev/null | grep -q 'not found'; then
			die "$b/$t lacks shared libraries:" \
				"$(ldd "$b/$t" | grep 'not found' | tr -s ' \n\t' ' ')"
		fi
	done
	say "headers for $kver at $b (compiler $cc)"
}

if [ -f "$(build_dir)/Makefile" ]; then
	say "headers for $kver already present"
	check_tools
	exit 0
fi

for t in apt-cache apt-get dpkg-deb; do
	command -v "$t" >/dev/null 2>&1 || die "$t is needed"
done

# Candidate version of package $1, empty if apt does not know it.
candidate() {
	apt-cache show --no-all-versions "$1" 2>/dev/null |
		sed -n 's/^Version: //p' | head -n 1
}

hdr=linux-headers-$kver
ver=$(candidate "$hdr")
[ -n "$ver" ] ||
	die "package $hdr not found in the apt sources (run apt-get update;" \
		"or the archive no longer carries kernel $kver)"
deps=$(apt-cache show --no-all-versions "$hdr" |
	sed -n 's/^Depends: //p' | head -n 1)

# The -common headers and linux-kbuild from Depends, at the version pinned
# there with "=", else at the candidate version.  Not the image.
common=""
kbuild=""
set -f
for d in $(echo "$deps" |
	sed 's/ (= \([^)]*\))/=\1/g; s/ ([^)]*)//g; s/[,|]/ /g'); do
	case "${d%%=*}" in
	linux-headers-*-common) common=$d ;;
	linux-kbuild-*) kbuild=$d ;;
	esac
done
set +f
[ -n "$common" ] || die "$hdr $ver: no linux-headers-*-common in its Depends: $deps"
[ -n "$kbuild" ] || die "$hdr $ver: no linux-kbuild-* in its Depends: $deps"
pkgs="$hdr=$ver"
for d in "$common" "$kbuild"; do
	case "$d" in
	*=*) ;;
	*)	v=$(candidate "$d")
		[ -n "$v" ] || die "package $d (needed by $hdr) not found in the apt sources"
		d=$d=$v ;;
	esac
	pkgs="$pkgs $d"
done

mkdir -p "$debs"
say "downloading $pkgs into $debs"
# As root, apt would fall back to an unsandboxed download with a warning
# when _apt cannot write to $debs; say so up front instead.
sandbox=""
[ "$(id -u)" -ne 0 ] || sandbox="-o APT::Sandbox::User=root"
# shellcheck disable=SC2086 # $sandbox and $pkgs are lists of words
(cd "$debs" && apt-get download -q $sandbox $pkgs >&2) ||
	die "apt-get download $pkgs failed (packages not in the apt sources?)"

for p in $pkgs; do
	n=${p%%=*}
	v=$(echo "${p#*=}" | sed 's/:/%3a/')
	set -- "$debs/${n}_${v}_"*.deb
	[ -f "$1" ] || die "downloaded package $p not found in $debs"
	say "unpacking $(basename "$1") into ${root:-/}"
	dpkg-deb -x "$1" "${root:-/}" || die "dpkg-deb -x $1 failed"
done

b=$(build_dir)
[ -f "$b/Makefile" ] ||
	die "unpacked $pkgs, but $root/lib/modules/$kver/build/Makefile is still missing"
check_tools
