#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# prepare-kvm-src.sh must refuse a kernel source whose version differs from
# the target kernel's headers, and an unknown series, with a clear message.
set -u
top=$(cd "$(dirname "$0")/../.." && pwd)
kver=${1:?kernel release}
t=$(mktemp -d)
trap 'rm -rf "$t"' EXIT
fails=0
expect() {	# name pattern command...
	name=$1 pat=$2
	shift 2
	if out=$("$@" 2>&1); then
		echo "test-prepare FAIL $name: succeeded: $out"
		fails=$((fails + 1))
	elif echo "$out" | grep -q "$pat"; then
		echo "test-prepare ok $name"
	else
		echo "test-prepare FAIL $name: no '$pat' in: $out"
		fails=$((fails + 1))
	fi
}
# A fake tree that claims another sublevel.
mkdir -p "$t/src/arch/x86/kvm" "$t/src/virt/kvm"
printf 'VERSION = 6\nPATCHLEVEL = 1\nSUBLEVEL = 1\nEXTRAVERSION =\n' >"$t/src/Makefile"
expect mismatch "version mismatch" env KVM_SRC="$t/src" "$top/scripts/prepare-kvm-src.sh" -k "$kver" -o "$t/out"
expect nosrc "no kernel source" env KVM_SRC="$t/none" "$top/scripts/prepare-kvm-src.sh" -k "$kver" -o "$t/out"
expect series "no patch series" "$top/scripts/prepare-kvm-src.sh" -k 5.10.0-1-amd64 -o "$t/out"
expect noheaders "no kernel headers" env KDIR="$t/nohdrs" "$top/scripts/prepare-kvm-src.sh" -k "$kver" -o "$t/out"
[ $fails -eq 0 ]
