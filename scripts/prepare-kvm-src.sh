#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# Prepare an out-of-tree KVM source for kernel KVER: take arch/x86/kvm and
# virt/kvm from the matching kernel source (Debian linux-source-<series>
# tarball, or a tree/tarball given by KVM_SRC=), refuse a version mismatch
# with the kernel headers, add our walker files and apply our patch series.
#
# usage: prepare-kvm-src.sh -k KVER -o OUTDIR
set -eu

top=$(cd "$(dirname "$0")/.." && pwd)
kver=""
out=""
while [ $# -gt 0 ]; do
	case "$1" in
	-k) kver=$2; shift 2 ;;
	-o) out=$2; shift 2 ;;
	*) echo "usage: $0 -k KVER -o OUTDIR" >&2; exit 2 ;;
	esac
done
[ -n "$kver" ] && [ -n "$out" ] || { echo "usage: $0 -k KVER -o OUTDIR" >&2; exit 2; }

die() { echo "prepare-kvm-src: error: $*" >&2; exit 1; }

case "$kver" in
6.1.*) series=6.1 ;;
6.12.*) series=6.12 ;;
*) die "kernel $kver: no patch series for it (supported: 6.1, 6.12)" ;;
esac
[ -d "$top/host-kvm-patches/$series" ] ||
	die "host-kvm-patches/$series is missing: kernel series $series not supported yet"

hdrs=${KDIR:-/lib/modules/$kver/build}
[ -d "$hdrs" ] || die "no kernel headers for $kver at $hdrs (install linux-headers-$kver or set KDIR=)"

# Upstream version (e.g. 6.1.192) of a Makefile: VERSION.PATCHLEVEL.SUBLEVEL.
mkver() {
	awk '/^VERSION =/{v=$3} /^PATCHLEVEL =/{p=$3} /^SUBLEVEL =/{s=$3}
	     END{if (v != "") print v "." p "." s}' "$1"
}

hdr_ver=""
if [ -f "$hdrs/include/config/kernel.release" ] &&
	grep -qE '^[0-9]+\.[0-9]+\.[0-9]+$' "$hdrs/include/config/kernel.release"; then
	hdr_ver=$(cat "$hdrs/include/config/kernel.release")
else
	for mf in "$hdrs/Makefile" $(sed -n 's/^include //p' "$hdrs/Makefile" 2>/dev/null); do
		[ -f "$mf" ] && hdr_ver=$(mkver "$mf")
		[ -n "$hdr_ver" ] && break
	done
fi
[ -n "$hdr_ver" ] || die "cannot tell the kernel version of the headers in $hdrs"

# KVM_SRC may also come from /etc/kvm-pagewalk.conf (for DKMS autoinstall).
if [ -z "${KVM_SRC:-}" ] && [ -f /etc/kvm-pagewalk.conf ]; then
	KVM_SRC=$(sed -n 's/^KVM_SRC=//p' /etc/kvm-pagewalk.conf | tail -n 1)
fi
src=${KVM_SRC:-/usr/src/linux-source-$series.tar.xz}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
if [ -d "$src" ]; then
	srcdir=$src
	[ -d "$srcdir/arch/x86/kvm" ] && [ -d "$srcdir/virt/kvm" ] ||
		die "KVM_SRC=$src has no arch/x86/kvm and virt/kvm"
	src_ver=$(mkver "$srcdir/Makefile")
elif [ -f "$src" ]; then
	# One pass over the (large) tarball: the top Makefile and the KVM dirs.
	tar -xf "$src" -C "$tmp" --wildcards --no-wildcards-match-slash \
		'*/Makefile' '*/arch/x86/kvm' '*/virt/kvm' 2>/dev/null ||
		die "cannot extract KVM from $src"
	srcdir=$(dirname "$(ls -d "$tmp"/*/virt/kvm | head -n 1)")
	srcdir=$(dirname "$srcdir")
	src_ver=$(mkver "$srcdir/Makefile")
else
	die "no kernel source for $kver: $src not found (apt-get install linux-source-$series, or set KVM_SRC=<tree or tarball>)"
fi

if [ "$src_ver" != "$hdr_ver" ]; then
	die "version mismatch: source $src is $src_ver, headers for $kver are $hdr_ver; install the linux-source-$series matching linux-headers-$kver or point KVM_SRC= at a matching tree"
fi
# Debian revision check when both come from packages.
if [ -z "${KVM_SRC:-}" ] && command -v dpkg-query >/dev/null; then
	sv=$(dpkg-query -W -f='${Version}' "linux-source-$series" 2>/dev/null || true)
	hv=$(dpkg-query -W -f='${Version}' "linux-headers-$kver" 2>/dev/null || true)
	if [ -n "$sv" ] && [ -n "$hv" ] && [ "$sv" != "$hv" ]; then
		die "version mismatch: linux-source-$series $sv vs linux-headers-$kver $hv"
	fi
fi

rm -rf "$out"
mkdir -p "$out"
out=$(cd "$out" && pwd)
mkdir -p "$out/arch/x86" "$out/virt"
cp -a "$srcdir/arch/x86/kvm" "$out/arch/x86/kvm"
cp -a "$srcdir/virt/kvm" "$out/virt/kvm"

kvm="$out/arch/x86/kvm"
cp "$top/host-kvm-patches/common/"*.c "$top/host-kvm-patches/common/"*.h "$kvm/"
cp "$top/host-kvm-patches/$series/pw_compat.h" "$kvm/"
cp "$top/walker/pw_walk.h" "$top/hypercall-abi/kvm_pagewalk_abi.h" "$kvm/"
cp "$top/host-kvm-patches/common/modversion/pw_modversion.c" "$kvm/svm/"
cp "$top/host-kvm-patches/common/modversion/pw_modversion.c" "$kvm/vmx/"

while read -r p; do
	case "$p" in ''|'#'*) continue ;; esac
	patch -d "$out" -p1 --batch --forward --quiet <"$top/host-kvm-patches/$series/$p" ||
		die "patch $p does not apply to $src_ver"
done <"$top/host-kvm-patches/$series/series"

# Kbuild glue: a Kbuild beside the stock Makefile (Kbuild wins) that points
# $(srctree)/virt/kvm and -I $(srctree)/arch/x86/kvm at this copy.
sed -e "s|\$(srctree)/virt/kvm|$out/virt/kvm|g" \
    -e "s|\$(srctree)/arch/x86/kvm|$kvm|g" \
    -e "s|\$(srctree)/arch/\$(SRCARCH)/kvm|$kvm|g" \
	"$kvm/Makefile" >"$kvm/Kbuild"
# trace.h uses TRACE_INCLUDE_PATH ../../arch/x86/kvm, relative to include/trace.
mkdir -p "$out/include/trace"
printf 'ccflags-y += -I%s/include/trace\n' "$out" >>"$kvm/Kbuild"
# A MODULE_VERSION in all three modules, so DKMS replaces the stock ones.
cat >>"$kvm/Kbuild" <<EOF
ccflags-y += -DKVM_PAGEWALK_VERSION='"$(cat "$top/VERSION")-kvm-pagewalk"'
kvm-amd-y += svm/pw_modversion.o
kvm-intel-y += vmx/pw_modversion.o
EOF
printf '# generated by kvm-pagewalk prepare-kvm-src.sh\nobj-m += arch/x86/kvm/\n' >"$out/Kbuild"
printf 'KVER=%s\nSERIES=%s\nSRC_VERSION=%s\n' "$kver" "$series" "$src_ver" >"$out/.kvm-pagewalk"
echo "prepare-kvm-src: KVM $src_ver for $kver prepared in $out"
