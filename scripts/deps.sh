#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# Install what kvm-pagewalk needs on Debian 12, and pick the kernel of a
# series whose image, headers and source versions match exactly.
#
# usage: deps.sh [SERIES]     prints the chosen kernel release (e.g.
#                             6.1.0-56-amd64) on stdout; logs go to stderr.
set -eu

series=${1:-6.1}
top=$(cd "$(dirname "$0")/.." && pwd)
cache=${PW_CACHE:-$top/.cache}
mkdir -p "$cache"

log() { echo "deps: $*" >&2; }
die() { echo "deps: error: $*" >&2; exit 1; }

base_pkgs="build-essential bc flex bison libelf-dev kmod cpio xz-utils \
busybox-static qemu-system-x86 dkms sparse patch trace-cmd \
bochs bochs-term bochsbios vgabios isolinux syslinux-common genisoimage"

missing() {
	for p in "$@"; do
		dpkg-query -W -f='${Status}\n' "$p" 2>/dev/null |
			grep -q 'install ok installed' || echo "$p"
	done
}

apt_ready() {
	[ -f "$cache/.apt-updated" ] && return 0
	if ! ls /var/lib/apt/lists/*_Packages >/dev/null 2>&1 ||
		! apt-cache show "linux-source-$series" >/dev/null 2>&1; then
		log "apt-get update"
		apt-get update >&2 || die "apt-get update failed"
	fi
	touch "$cache/.apt-updated"
}

# The kernel release of $series whose image, headers and source share one
# Debian version (the archive moves, so this is looked up, never pinned).
pick_kver() {
	if [ -f "$cache/kver-$series" ]; then
		cat "$cache/kver-$series"
		return
	fi
	apt_ready
	srcv=$(apt-cache policy "linux-source-$series" | awk '/Candidate:/{print $2}')
	[ -n "$srcv" ] && [ "$srcv" != "(none)" ] ||
		die "no linux-source-$series package in the archive"
	best=""
	for img in $(apt-cache pkgnames "linux-image-$series" 2>/dev/null |
		grep -E "^linux-image-$series(\.[0-9]+)*(-[0-9]+)?(\+deb[0-9]+)?-amd64\$" |
		sort -V); do
		kv=${img#linux-image-}
		iv=$(apt-cache policy "$img" | awk '/Candidate:/{print $2}')
		hv=$(apt-cache policy "linux-headers-$kv" | awk '/Candidate:/{print $2}')
		[ "$iv" = "$srcv" ] && [ "$hv" = "$srcv" ] && best=$kv
	done
	[ -n "$best" ] ||
		die "no linux-image/-headers-*-amd64 of series $series matches linux-source-$series $srcv"
	echo "$best" >"$cache/kver-$series"
	echo "$best"
}

need=$(missing $base_pkgs "linux-source-$series")
kver=$(pick_kver)
# 6.1 headers install cleanly; 6.12's hard-depend on the image package (and
# its initramfs hooks), so those are unpacked by fetch-headers.sh instead.
case "$series" in
6.1) need="$need $(missing "linux-headers-$kver")" ;;
esac
if [ -n "$(echo $need)" ]; then
	apt_ready
	log "installing:" $need
	DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends \
		$need >&2 || die "apt-get install failed"
fi

if [ ! -f "/lib/modules/$kver/build/Makefile" ]; then
	"$top/scripts/fetch-headers.sh" "$kver" >&2 || die "cannot get the headers of $kver"
fi

# The kernel image (for L1 and the guest) without installing it.
kdir="$cache/kernel/$kver"
if [ ! -f "$kdir/.done" ]; then
	log "fetching linux-image-$kver"
	rm -rf "$kdir" && mkdir -p "$kdir/deb"
	(cd "$kdir/deb" && apt-get download "linux-image-$kver" >&2) ||
		die "cannot download linux-image-$kver"
	dpkg-deb -x "$kdir"/deb/*.deb "$kdir/root" || die "cannot unpack linux-image-$kver"
	rm -rf "$kdir/deb"
	touch "$kdir/.done"
fi
echo "$kver"
