#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# DKMS lifecycle for a target kernel tree that is not the running kernel:
# stock modules first; `dkms install` makes depmod prefer ours (modinfo -n
# kvm points into updates/dkms and kvm has our pagewalk parameter); `dkms
# remove` brings modinfo -n kvm back to the stock module.
#
# usage: test-dkms-lifecycle.sh KVER   (after scripts/build-host.sh added the
#        package; dkms install builds it for KVER if needed)
set -u
kver=${1:?kernel release}
top=$(cd "$(dirname "$0")/../.." && pwd)
cache=${PW_CACHE:-$top/.cache}
ver=$(cat "$top/VERSION")
mods=/lib/modules/$kver
fails=0
ok() { echo "test-dkms ok $*"; }
fail() { echo "test-dkms FAIL $*"; fails=$((fails + 1)); }

# The target kernel's stock modules, from its image package (not installed:
# its files are placed, without running the package's hooks).
if [ ! -f "$mods/kernel/arch/x86/kvm/kvm.ko" ]; then
	src=$cache/kernel/$kver/root/lib/modules/$kver
	[ -d "$src" ] || { echo "test-dkms: no image for $kver in $cache (run scripts/deps.sh)"; exit 1; }
	mkdir -p "$mods"
	cp -a "$src/." "$mods/"
	touch "$mods/.kvm-pagewalk-test-placed"
fi
depmod -a "$kver" || { echo "test-dkms: depmod failed"; exit 1; }

stock=$(modinfo -k "$kver" -n kvm 2>&1)
case "$stock" in
"$mods"/kernel/arch/x86/kvm/kvm.ko*) ok "before: $stock" ;;
*) fail "before install, modinfo -n kvm = $stock" ;;
esac

dkms status -m kvm-pagewalk -v "$ver" | grep -q . ||
	{ echo "test-dkms: kvm-pagewalk/$ver not added to DKMS (run scripts/build-host.sh $kver)"; exit 1; }
if dkms install -m kvm-pagewalk -v "$ver" -k "$kver" >/tmp/dkms-install.$$ 2>&1; then
	ok "dkms install"
else
	fail "dkms install: $(tail -n 5 /tmp/dkms-install.$$)"
fi
rm -f /tmp/dkms-install.$$
dkms status -m kvm-pagewalk -v "$ver" -k "$kver" | grep -q installed &&
	ok "dkms status: installed" || fail "dkms status does not say installed"
for m in kvm kvm-amd kvm-intel; do
	n=$(modinfo -k "$kver" -n "$m" 2>&1)
	case "$n" in
	"$mods"/updates/dkms/*) ok "installed: $m -> $n" ;;
	*) fail "after install, modinfo -n $m = $n" ;;
	esac
done
modinfo -k "$kver" -F parm kvm | grep -q '^pagewalk:' && ok "kvm has parameter pagewalk" ||
	fail "installed kvm has no pagewalk parameter"
# DKMS's signing hook (Secure Boot): the installed modules carry a signature.
signer=$(modinfo -k "$kver" -F signer kvm 2>/dev/null)
[ -n "$signer" ] && ok "kvm signed by: $signer" || fail "installed kvm is not signed"

dkms remove -m kvm-pagewalk -v "$ver" -k "$kver" >/dev/null 2>&1 || fail "dkms remove"
depmod -a "$kver"
for m in kvm kvm-amd kvm-intel; do
	n=$(modinfo -k "$kver" -n "$m" 2>&1)
	case "$n" in
	"$mods"/kernel/arch/x86/kvm/*) ok "removed: $m -> $n" ;;
	*) fail "after remove, modinfo -n $m = $n" ;;
	esac
done
[ -e "$mods/updates/dkms/kvm.ko" ] || [ -e "$mods/updates/dkms/kvm.ko.xz" ] &&
	fail "updates/dkms/kvm.ko still present after remove"

# AUTOINSTALL: what a kernel upgrade runs (dkms autoinstall for the new
# kernel) builds and installs the package again, with the source lookup.
if dkms autoinstall -k "$kver" >/tmp/dkms-auto.$$ 2>&1 &&
	modinfo -k "$kver" -n kvm | grep -q "/updates/dkms/"; then
	ok "dkms autoinstall -k $kver installs ours"
else
	fail "dkms autoinstall: $(tail -n 5 /tmp/dkms-auto.$$)"
fi
rm -f /tmp/dkms-auto.$$
dkms remove -m kvm-pagewalk -v "$ver" -k "$kver" >/dev/null 2>&1
depmod -a "$kver"
modinfo -k "$kver" -n kvm | grep -q "/kernel/arch/x86/kvm/" &&
	ok "stock kvm again after the second remove" || fail "stock kvm not restored"
# Leave the system as found.
if [ -f "$mods/.kvm-pagewalk-test-placed" ]; then
	rm -rf "$mods/kernel" "$mods"/modules.* "$mods/.kvm-pagewalk-test-placed"
fi
[ $fails -eq 0 ] && echo "test-dkms: passed"
[ $fails -eq 0 ]
