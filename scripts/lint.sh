#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# Kernel-style checks of our kernel code: checkpatch --strict (from the
# series' own linux-source), W=1 builds with no warnings, sparse (C=1).
set -u
series=${1:-6.1}
top=$(cd "$(dirname "$0")/.." && pwd)
cache=${PW_CACHE:-$top/.cache}
kver=$(PW_CACHE=$cache "$top/scripts/deps.sh" "$series") || exit 1
kdir=/lib/modules/$kver/build
rc=0
fail() { echo "lint FAIL: $*"; rc=1; }

cp=$cache/checkpatch-$series/scripts/checkpatch.pl
if [ ! -f "$cp" ]; then
	mkdir -p "$cache/checkpatch-$series"
	tar -xf "/usr/src/linux-source-$series.tar.xz" -C "$cache/checkpatch-$series" \
		--strip-components=1 --wildcards '*/scripts/checkpatch.pl' \
		'*/scripts/spelling.txt' '*/scripts/const_structs.checkpatch' || exit 1
fi
files=$(cd "$top" && ls guest-gptdump/*.c guest-gptdump/*.h host-kvm-patches/common/*.c \
	host-kvm-patches/common/*.h host-kvm-patches/common/*/*.c host-kvm-patches/*/pw_compat.h walker/*.h \
	hypercall-abi/*.h 2>/dev/null)
for f in $files; do
	o=$(cd "$top" && perl "$cp" --no-tree --strict --terse -f "$f" 2>&1 |
		grep -E 'ERROR|WARNING|CHECK')
	[ -z "$o" ] || fail "checkpatch $f:
$o"
done
for p in "$top"/host-kvm-patches/*/0*.patch; do
	o=$(perl "$cp" --no-tree --strict --terse --no-signoff "$p" 2>&1 |
		grep -E 'ERROR|WARNING|CHECK')
	[ -z "$o" ] || fail "checkpatch $p:
$o"
done

# Guest module: W=1 and sparse, in a scratch copy.
g=$cache/lint/guest
rm -rf "$g" && mkdir -p "$g"
(cd "$top" && cp -a guest-gptdump walker hypercall-abi "$g/")
if ! all=$(make -C "$kdir" M="$g/guest-gptdump" W=1 C=1 modules 2>&1); then
	fail "guest module does not build:
$(echo "$all" | grep -E 'error|warning' | head -n 20)"
fi
o=$(echo "$all" | grep -E 'warning|error' | grep -v 'Skipping BTF')
[ -z "$o" ] || fail "guest module W=1/C=1:
$o"

# Host walker object: W=1 and sparse inside the prepared KVM tree.
h=$cache/lint/host
KDIR=$kdir "$top/scripts/prepare-kvm-src.sh" -k "$kver" -o "$h" >/dev/null || exit 1
if ! all=$(make -C "$kdir" M="$h" W=1 C=1 arch/x86/kvm/kvm_pagewalk.o 2>&1); then
	fail "host kvm_pagewalk.o does not build:
$(echo "$all" | grep -E 'error|warning' | head -n 20)"
fi
o=$(echo "$all" | grep -E 'warning|error' | grep 'kvm_pagewalk\|pw_')
[ -z "$o" ] || fail "host kvm_pagewalk.o W=1/C=1:
$o"

[ $rc -eq 0 ] && echo "lint: checkpatch --strict, W=1, sparse clean ($(echo $files | wc -w) files)"
exit $rc
