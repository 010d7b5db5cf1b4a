#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# Build the instrumented KVM for kernel KVER with DKMS (dkms add + build) and
# copy the modules to OUTDIR.  Cached: nothing is rebuilt while the host
# sources are unchanged.
#
# usage: build-host.sh KVER OUTDIR
set -eu
kver=$1
out=$2
top=$(cd "$(dirname "$0")/.." && pwd)
ver=$(cat "$top/VERSION")
die() { echo "build-host: error: $*" >&2; exit 1; }

files="VERSION dkms.conf scripts/prepare-kvm-src.sh scripts/dkms-build.sh scripts/fetch-headers.sh
hypercall-abi walker host-kvm-patches"
hash=$(cd "$top" && find $files -type f | LC_ALL=C sort | xargs cat | sha256sum | cut -c1-16)
if [ -f "$out/.hash" ] && [ "$(cat "$out/.hash")" = "$hash-$kver" ] &&
	[ -f "$out/kvm.ko" ]; then
	echo "build-host: instrumented KVM for $kver is up to date ($out)" >&2
	exit 0
fi

# A clean DKMS source tree: only what the build needs.  Re-added only when
# the sources changed; builds for other kernels stay otherwise.
src=/usr/src/kvm-pagewalk-$ver
if [ "$(cat "$src/.pw-hash" 2>/dev/null)" != "$hash" ] ||
	! dkms status -m kvm-pagewalk -v "$ver" 2>/dev/null | grep -q .; then
	if dkms status -m kvm-pagewalk -v "$ver" 2>/dev/null | grep -q .; then
		dkms remove -m kvm-pagewalk -v "$ver" --all >&2 || true
	fi
	rm -rf "$src"
	mkdir -p "$src"
	(cd "$top" && cp -a --parents $files "$src/")
	sed -i "s/@VERSION@/$ver/" "$src/dkms.conf"
	echo "$hash" >"$src/.pw-hash"
	dkms add -m kvm-pagewalk -v "$ver" >&2 || die "dkms add failed"
fi
echo "build-host: dkms build -m kvm-pagewalk -v $ver -k $kver" >&2
if ! dkms build -m kvm-pagewalk -v "$ver" -k "$kver" --force >&2; then
	cat "/var/lib/dkms/kvm-pagewalk/$ver/build/make.log" >&2 2>/dev/null || true
	die "dkms build failed for $kver"
fi
mkdir -p "$out"
rm -f "$out"/*.ko
for m in kvm kvm-amd kvm-intel; do
	f=$(ls "/var/lib/dkms/kvm-pagewalk/$ver/$kver/x86_64/module/$m.ko"* 2>/dev/null | head -n 1)
	[ -n "$f" ] || die "dkms produced no $m.ko"
	case "$f" in
	*.xz) xz -dc "$f" >"$out/$m.ko" ;;
	*.zst) zstd -dcq "$f" >"$out/$m.ko" ;;
	*) cp "$f" "$out/$m.ko" ;;
	esac
done
echo "$hash-$kver" >"$out/.hash"
echo "build-host: built $out/{kvm,kvm-amd,kvm-intel}.ko for $kver" >&2
