#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# kvm-pagewalk lab, real-host mode: on a machine with hardware
# virtualization running a Debian kernel of a supported series.
#   1. DKMS: add, build and install the instrumented KVM for the running kernel;
#   2. swap the kvm modules (refused while any process holds /dev/kvm);
#   3. boot the guest (this kernel + gptdump) with QEMU/KVM, run the demo and
#      the guest script, ask QEMU for gpa2hpa;
#   4. collect gpt-dump.txt, ept-dump.txt, guest-script.out.
# `lab-host.sh --uninstall` removes the DKMS package and reloads stock KVM.
#
# usage: lab-host.sh [--kernel SERIES] [--mmu tdp|shadow] [--guest-script F]
#                    [--out DIR] | --uninstall
set -eu
top=$(cd "$(dirname "$0")/.." && pwd)
cache=${PW_CACHE:-$top/.cache}
export PW_CACHE=$cache
. "$top/scripts/lab/common.sh"

series="" mmu=tdp gscript="" out=$top/results/latest uninstall=0
while [ $# -gt 0 ]; do
	case "$1" in
	--kernel) series=${2:?}; shift 2 ;;
	--mmu) mmu=${2:?}; shift 2 ;;
	--guest-script) gscript=${2:?}; shift 2 ;;
	--out) out=${2:?}; shift 2 ;;
	--uninstall) uninstall=1; shift ;;
	*) die "lab-host: unknown option $1" ;;
	esac
done

kver=$(uname -r)
ver=$(cat "$top/VERSION")
[ "$(id -u)" = 0 ] || die "host mode swaps kernel modules: run it as root"
[ -e /proc/modules ] || die "this kernel cannot load modules; use the emulated mode"
if grep -qw vmx /proc/cpuinfo; then
	vendor=kvm_intel vparam=ept
elif grep -qw svm /proc/cpuinfo; then
	vendor=kvm_amd vparam=npt
else
	die "no VMX/SVM on this CPU; use the emulated mode (scripts/lab.sh)"
fi

# Processes that hold /dev/kvm, i.e. running VMs.
vm_users() {
	for fd in /proc/[0-9]*/fd/*; do
		[ "$(readlink "$fd" 2>/dev/null)" = /dev/kvm ] || continue
		p=${fd#/proc/}
		echo "${p%%/*}"
	done | sort -u | tr '\n' ' '
}
reload_kvm() {	# modprobe args for the vendor module
	users=$(vm_users)
	[ -z "$users" ] || die "VMs are running (pids holding /dev/kvm: $users); stop them first"
	modprobe -r "$vendor" kvm || die "cannot unload $vendor/kvm (in use?)"
	modprobe kvm || die "modprobe kvm failed"
	modprobe "$vendor" "$@" || die "modprobe $vendor $* failed"
}

if [ $uninstall = 1 ]; then
	dkms remove -m kvm-pagewalk -v "$ver" --all || true
	depmod -a "$kver"
	reload_kvm
	log "stock KVM reloaded: $(modinfo -n kvm)"
	exit 0
fi

case "$kver" in
6.1.*) s=6.1 ;;
6.12.*) s=6.12 ;;
*) die "running kernel $kver is not of a supported series (6.1, 6.12)" ;;
esac
[ -z "$series" ] || [ "$series" = "$s" ] ||
	die "--kernel $series, but the running kernel is $kver: host mode uses the running kernel"
[ -d "$top/host-kvm-patches/$s" ] || die "kernel series $s has no patch set yet"

need=""
for p in dkms qemu-system-x86 busybox-static cpio kmod "linux-source-$s" "linux-headers-$kver"; do
	dpkg-query -W -f='${Status}\n' "$p" 2>/dev/null | grep -q 'install ok installed' ||
		need="$need $p"
done
if [ -n "$need" ]; then
	log "installing:$need"
	DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends $need ||
		die "apt-get install failed"
fi

# 1. DKMS build + install for the running kernel.
"$top/scripts/build-host.sh" "$kver" "$cache/host/$kver"
dkms install -m kvm-pagewalk -v "$ver" -k "$kver" --force ||
	die "dkms install failed"

# 2. Our KVM in place of the stock one.
reload_kvm "$vparam=$([ "$mmu" = tdp ] && echo 1 || echo 0)"
[ -f /sys/module/kvm/parameters/pagewalk ] ||
	die "the loaded kvm.ko is not ours ($(modinfo -n kvm)); check depmod's search order"
log "loaded $(modinfo -n kvm)"

# 3. The guest: this kernel, gptdump, the demo and the guest script.
build_guest_module "$kver"
work=$cache/run-host
rm -rf "$work" && mkdir -p "$work"
build_l2_root "$kver" / "$gscript" "$work/l2root"
mkcpio "$work/l2root" "$work/initrd.cpio"
dmesg >"$work/dmesg.before"
"$top/scripts/lab/run-guest" qemu-system-x86_64 "/boot/vmlinuz-$kver" \
	"$work/initrd.cpio" "$work" 240 >"$work/status"
dmesg >"$work/dmesg.after"

# 4. Collect.
mkdir -p "$out"
tail -n +"$(($(wc -l <"$work/dmesg.before") + 1))" "$work/dmesg.after" >"$out/ept-dump.txt"
tr -d '\r' <"$work/l2.log" >"$out/l2-console.log"
tr -d '\r' <"$work/mon.log" >"$out/gpa2hpa.txt"
cp "$work/status" "$out/l1-status.txt"
guest_outputs "$out" "$gscript"
mtree_from_monitor "$out/gpa2hpa.txt" >"$out/mtree.txt"
log "output in $out; our KVM stays loaded (lab-host.sh --uninstall restores stock KVM)"
grep -h RESULT "$out/gpt-dump.txt" "$out/ept-dump.txt" >&2 || true
