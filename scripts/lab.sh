#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# kvm-pagewalk lab: the whole experiment in one command.
#
# Emulated mode (default on machines that cannot load our KVM): L0 = QEMU TCG
# emulating AMD SVM+NPT, L1 = the Debian kernel running our instrumented KVM,
# L2 = the guest running gptdump.  Output: gpt-dump.txt (guest kernel log),
# ept-dump.txt (host kernel log), guest-script.out, plus raw logs.
set -eu

usage() {
	cat <<EOF
usage: scripts/lab.sh [--kernel 6.1|6.12] [--cpu amd|intel] [--mmu tdp|shadow]
                      [--la57] [--guest-script FILE] [--out DIR] [--mode emulated|host]
EOF
	exit 2
}

top=$(cd "$(dirname "$0")/.." && pwd)
series=6.1
cpu=amd
mmu=tdp
la57=0
gscript=""
out=$top/results/latest
mode=auto
while [ $# -gt 0 ]; do
	case "$1" in
	--kernel) series=${2:?}; shift 2 ;;
	--cpu) cpu=${2:?}; shift 2 ;;
	--mmu) mmu=${2:?}; shift 2 ;;
	--la57) la57=1; shift ;;
	--guest-script) gscript=${2:?}; shift 2 ;;
	--out) out=${2:?}; shift 2 ;;
	--mode) mode=${2:?}; shift 2 ;;
	-h|--help) usage ;;
	*) echo "lab: unknown option $1" >&2; usage ;;
	esac
done

die() { echo "lab: error: $*" >&2; exit 1; }
log() { echo "lab: $*" >&2; }

case "$series" in 6.1|6.12) ;; *) die "--kernel $series: supported series are 6.1 and 6.12" ;; esac
case "$mmu" in tdp|shadow) ;; *) die "--mmu $mmu: use tdp or shadow" ;; esac
case "$cpu" in
amd) ;;
intel) die "--cpu intel (Bochs VMX/EPT) is not implemented yet; use --cpu amd" ;;
*) die "--cpu $cpu: use amd or intel" ;;
esac
[ "$series" = 6.1 ] || [ -d "$top/host-kvm-patches/$series" ] ||
	die "kernel series $series has no patch set yet (host-kvm-patches/$series)"
if [ -n "$gscript" ]; then
	[ -f "$gscript" ] || die "guest script $gscript not found"
	gscript=$(cd "$(dirname "$gscript")" && pwd)/$(basename "$gscript")
fi
case "$mode" in
auto|emulated) mode=emulated ;;
host) exec "$top/scripts/lab-host.sh" --kernel "$series" --mmu "$mmu" \
	${gscript:+--guest-script "$gscript"} --out "$out" ;;
*) die "--mode $mode: use emulated or host" ;;
esac
[ "$(id -u)" = 0 ] || die "the lab installs packages and builds with DKMS: run it as root"

t0=$(date +%s)
cache=${PW_CACHE:-$top/.cache}
export PW_CACHE=$cache
kver=$("$top/scripts/deps.sh" "$series")
kroot=$cache/kernel/$kver/root
log "kernel $kver, cpu $cpu, mmu $mmu, la57 $la57"

# 1. Host: instrumented KVM, built by DKMS (cached).
hostko=$cache/host/$kver
"$top/scripts/build-host.sh" "$kver" "$hostko"

# 2. Guest module (cached).
gdir=$cache/guest/$kver
ghash=$(cd "$top" && find guest-gptdump walker hypercall-abi -type f -name '*[ch]' -o -name Kbuild |
	LC_ALL=C sort | xargs cat | sha256sum | cut -c1-16)
if [ ! -f "$gdir/gptdump.ko" ] || [ "$(cat "$gdir/.hash" 2>/dev/null)" != "$ghash" ]; then
	log "building gptdump for $kver"
	rm -rf "$gdir" && mkdir -p "$gdir/src"
	(cd "$top" && cp -a guest-gptdump walker hypercall-abi "$gdir/src/")
	make -s -C "/lib/modules/$kver/build" M="$gdir/src/guest-gptdump" modules >&2 ||
		die "building gptdump failed"
	cp "$gdir/src/guest-gptdump/gptdump.ko" "$gdir/"
	echo "$ghash" >"$gdir/.hash"
else
	log "gptdump for $kver is up to date"
fi

# 3. Root filesystems.
work=$cache/run
rm -rf "$work" && mkdir -p "$work"
busybox_root() {
	mkdir -p "$1/bin" "$1/sbin" "$1/proc" "$1/sys" "$1/dev" "$1/tmp" "$1/etc"
	cp /bin/busybox "$1/bin/busybox"
	for a in $(/bin/busybox --list); do
		[ -e "$1/bin/$a" ] || ln -s busybox "$1/bin/$a"
	done
}
mkcpio() { (cd "$1" && find . | LC_ALL=C sort | cpio -o -H newc --quiet) >"$2"; }

l2=$work/l2root
busybox_root "$l2"
mkdir -p "$l2/lib/modules/$kver/extra"
cp "$gdir/gptdump.ko" "$l2/lib/modules/$kver/extra/"
cp "$kroot/lib/modules/$kver/modules.builtin" "$kroot/lib/modules/$kver/modules.order" \
	"$l2/lib/modules/$kver/" 2>/dev/null || true
depmod -b "$l2" "$kver"
cp "$top/scripts/lab/l2-init" "$l2/init"
[ -n "$gscript" ] && cp "$gscript" "$l2/guest-script.sh"

l1=$work/l1root
busybox_root "$l1"
mkdir -p "$l1/kvm" "$l1/l2" "$l1/usr/bin" "$l1/usr/share/qemu"
kmods=$kroot/lib/modules/$kver/kernel
cp "$kmods/virt/lib/irqbypass.ko" "$kmods/drivers/crypto/ccp/ccp.ko" "$l1/kvm/"
cp "$hostko"/kvm.ko "$hostko"/kvm-amd.ko "$hostko"/kvm-intel.ko "$l1/kvm/"
cp /usr/bin/qemu-system-x86_64 "$l1/usr/bin/"
for lib in $(ldd /usr/bin/qemu-system-x86_64 | awk '/=>/{print $3} /^\t\//{print $1}'); do
	mkdir -p "$l1$(dirname "$lib")"
	cp -L "$lib" "$l1$lib"
done
for f in bios-microvm.bin linuxboot_dma.bin kvmvapic.bin; do
	cp "/usr/share/qemu/$f" "$l1/usr/share/qemu/"
done
cp "$kroot/boot/vmlinuz-$kver" "$l1/l2/vmlinuz"
mkcpio "$l2" "$l1/l2/initrd.cpio"
if [ "$cpu" = amd ]; then
	vendor=kvm-amd
	vparam="npt=$([ "$mmu" = tdp ] && echo 1 || echo 0)"
fi
cat >"$l1/lab.conf" <<EOF
VENDOR=$vendor
VPARAM="$vparam"
L2_TIMEOUT=240
EOF
cp "$top/scripts/lab/l1-init" "$l1/init"
mkcpio "$l1" "$work/l1.cpio"

# 4. Run: L0 QEMU TCG with SVM+NPT; ttyS0 = L1 console, ttyS1 = data.
cpuflags="qemu64,+svm,+npt"
[ "$la57" = 1 ] && cpuflags="$cpuflags,+la57"
log "booting L1 under QEMU TCG ($cpuflags)"
t1=$(date +%s)
rc=0
timeout 600 qemu-system-x86_64 -M pc -accel tcg -cpu "$cpuflags" -m 2048 -smp 1 \
	-nodefaults -display none -no-reboot \
	-kernel "$kroot/boot/vmlinuz-$kver" -initrd "$work/l1.cpio" \
	-append "console=ttyS0 rdinit=/init panic=-1 log_buf_len=4M" \
	-serial "file:$work/l1-console.log" -serial "file:$work/data.log" || rc=$?
t2=$(date +%s)
[ $rc -eq 0 ] || log "L0 QEMU exited with $rc (124 = timeout)"

# 5. Collect.
mkdir -p "$out"
rm -f "$out/gpt-dump.txt" "$out/ept-dump.txt" "$out/guest-script.out" \
	"$out/gpa2hpa.txt" "$out/l2-console.log" "$out/l1-console.log" "$out/l1-status.txt"
# extract NAME FILE: the lines between "@@BEGIN NAME" and "@@END NAME".
extract() {
	tr -d '\r' <"$2" | awk -v n="$1" '$0 == "@@END " n {p = 0}
		p {print} $0 == "@@BEGIN " n {p = 1}'
}
tr -d '\r' <"$work/l1-console.log" >"$out/l1-console.log"
for f in ept-dump.txt l2-console.log gpa2hpa.txt l1-status.txt; do
	extract "$f" "$work/data.log" >"$out/$f"
done
extract gpt-dump.txt "$out/l2-console.log" >"$out/gpt-dump.txt"
[ -n "$gscript" ] && extract guest-script.out "$out/l2-console.log" >"$out/guest-script.out"
cat >"$out/run-info.txt" <<EOF
kernel=$kver series=$series cpu=$cpu mmu=$mmu la57=$la57
l0=qemu-tcg cpu=$cpuflags
wall_total_s=$(( t2 - t0 )) wall_emulation_s=$(( t2 - t1 ))
EOF

grep -q '@@L1-DONE@@' "$work/data.log" 2>/dev/null ||
	die "the emulated host did not finish; see $out/l1-console.log"
log "done in $(( t2 - t0 ))s (emulation $(( t2 - t1 ))s); output in $out"
grep -h 'RESULT' "$out/gpt-dump.txt" "$out/ept-dump.txt" | sed 's/^\[[^]]*\] //' >&2 || true
[ -s "$out/gpt-dump.txt" ] || die "no guest log; see $out/l2-console.log and $out/l1-status.txt"
