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

. "$top/scripts/lab/common.sh"

case "$series" in 6.1|6.12) ;; *) die "--kernel $series: supported series are 6.1 and 6.12" ;; esac
case "$mmu" in tdp|shadow) ;; *) die "--mmu $mmu: use tdp or shadow" ;; esac
case "$cpu" in
amd) ;;
intel)
	[ -x "$top/scripts/lab/l0-bochs.sh" ] ||
		die "--cpu intel (Bochs VMX/EPT) is not implemented yet; use --cpu amd"
	[ "$la57" = 0 ] || die "--la57 needs --cpu amd (the emulated Intel CPU has no LA57)" ;;
*) die "--cpu $cpu: use amd or intel" ;;
esac
[ "$series" = 6.1 ] || [ -d "$top/host-kvm-patches/$series" ] ||
	die "kernel series $series has no patch set yet (host-kvm-patches/$series)"
if [ -n "$gscript" ]; then
	[ -f "$gscript" ] || die "guest script $gscript not found"
	gscript=$(cd "$(dirname "$gscript")" && pwd)/$(basename "$gscript")
fi
# auto: the real-host mode where this machine can load our KVM for its own
# kernel (module loading, VMX/SVM, a supported Debian series, no --la57);
# the emulated mode otherwise.
if [ "$mode" = auto ]; then
	mode=emulated
	if [ -e /proc/modules ] && [ "$la57" = 0 ] &&
		grep -qwE 'vmx|svm' /proc/cpuinfo &&
		[ -d "/lib/modules/$(uname -r)/kernel/arch/x86/kvm" ]; then
		case "$(uname -r)" in "$series".*-amd64) mode=host ;; esac
	fi
	log "mode $mode"
fi
case "$mode" in
emulated) ;;
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
# PW_HOSTKO=DIR uses already built modules from DIR instead.
if [ -n "${PW_HOSTKO:-}" ]; then
	hostko=$PW_HOSTKO
	log "using prebuilt host modules from $hostko"
else
	hostko=$cache/host/$kver
	"$top/scripts/build-host.sh" "$kver" "$hostko"
fi

# 2. Guest module (cached) and the guest's root filesystem.
build_guest_module "$kver"
mkdir -p "$cache"
work=$(mktemp -d "$cache/run.XXXXXX")
l2=$work/l2root
build_l2_root "$kver" "$kroot" "$gscript" "$l2"

l1=$work/l1root
busybox_root "$l1"
mkdir -p "$l1/kvm" "$l1/l2" "$l1/usr/bin" "$l1/usr/share/qemu"
kmods=$kroot/lib/modules/$kver/kernel
for m in virt/lib/irqbypass drivers/crypto/ccp/ccp; do	# .ko, or compressed (6.12)
	f=$(ls "$kmods/$m.ko"* 2>/dev/null | head -n 1)
	[ -n "$f" ] || die "no $m module in linux-image-$kver"
	case "$f" in
	*.xz) xz -dc "$f" ;;
	*.zst) zstd -dcq "$f" ;;
	*) cat "$f" ;;
	esac >"$l1/kvm/$(basename "$m").ko"
done
cp "$hostko"/kvm.ko "$hostko"/kvm-amd.ko "$hostko"/kvm-intel.ko "$l1/kvm/"
for bin in /usr/bin/qemu-system-x86_64 /usr/bin/trace-cmd; do
	cp "$bin" "$l1/usr/bin/"
	for lib in $(ldd "$bin" | awk '/=>/{print $3} /^\t\//{print $1}'); do
		mkdir -p "$l1$(dirname "$lib")"
		cp -L "$lib" "$l1$lib"
	done
done
for f in bios-microvm.bin linuxboot_dma.bin kvmvapic.bin; do
	cp "/usr/share/qemu/$f" "$l1/usr/share/qemu/"
done
cp "$kroot/boot/vmlinuz-$kver" "$l1/l2/vmlinuz"
mkcpio "$l2" "$l1/l2/initrd.cpio"
tdp=$([ "$mmu" = tdp ] && echo 1 || echo 0)
if [ "$cpu" = amd ]; then
	vendor=kvm-amd vparam="npt=$tdp"
else
	vendor=kvm-intel vparam="ept=$tdp"
fi
cat >"$l1/lab.conf" <<EOF
VENDOR=$vendor
VPARAM="$vparam"
KVM_PARAMS="pagewalk_writeback=1"
L2_TIMEOUT=$([ "$cpu" = amd ] && echo 240 || echo 1200)
EOF
cp "$top/scripts/lab/l1-init" "$l1/init"
cp "$top/scripts/lab/run-guest" "$l1/bin/run-guest"
mkcpio "$l1" "$work/l1.cpio"

# 4. Run L1 under the emulator; its ttyS0 = L1 console, ttyS1 = data.
t1=$(date +%s)
rc=0
if [ "$cpu" = amd ]; then
	# QEMU TCG emulating SVM+NPT.
	l0="qemu-tcg cpu=qemu64,+svm,+npt"
	[ "$la57" = 0 ] || l0="$l0,+la57"
	log "booting L1 under ${l0}"
	timeout 600 qemu-system-x86_64 -M pc -accel tcg -cpu "${l0#* cpu=}" -m 2048 -smp 1 \
		-nodefaults -display none -no-reboot \
		-kernel "$kroot/boot/vmlinuz-$kver" -initrd "$work/l1.cpio" \
		-append "console=ttyS0 rdinit=/init panic=-1 log_buf_len=4M" \
		-serial "file:$work/l1-console.log" -serial "file:$work/data.log" || rc=$?
else
	# Bochs emulating VMX+EPT.
	l0="bochs cpu=corei7_haswell_4770"
	log "booting L1 under Bochs (VMX+EPT)"
	"$top/scripts/lab/l0-bochs.sh" "$kroot/boot/vmlinuz-$kver" "$work/l1.cpio" \
		"$work/l1-console.log" "$work/data.log" "$work/bochs" || rc=$?
fi
t2=$(date +%s)
[ $rc -eq 0 ] || log "L0 emulator exited with $rc (124 = timeout)"

# 5. Collect.
mkdir -p "$out"
rm -f "$out/gpt-dump.txt" "$out/ept-dump.txt" "$out/guest-script.out" \
	"$out/gpa2hpa.txt" "$out/l2-console.log" "$out/l1-console.log" "$out/l1-status.txt" \
	"$out/mtree.txt" "$out/trace.dat"
tr -d '\r' <"$work/l1-console.log" >"$out/l1-console.log"
for f in ept-dump.txt l2-console.log gpa2hpa.txt l1-status.txt; do
	extract "$f" "$work/data.log" >"$out/$f"
done
guest_outputs "$out" "$gscript"
extract trace.dat.b64 "$work/data.log" | base64 -d >"$out/trace.dat" 2>/dev/null ||
	log "no host trace recorded (see l1-status.txt)"
mtree_from_monitor "$out/gpa2hpa.txt" >"$out/mtree.txt"
cat >"$out/run-info.txt" <<EOF
kernel=$kver series=$series cpu=$cpu mmu=$mmu la57=$la57
l0=$l0
wall_total_s=$(( t2 - t0 )) wall_emulation_s=$(( t2 - t1 ))
EOF

grep -q '@@L1-DONE@@' "$work/data.log" 2>/dev/null ||
	die "the emulated host did not finish; see $out/l1-console.log (work dir $work)"
rm -rf "$work"
log "done in $(( t2 - t0 ))s (emulation $(( t2 - t1 ))s); output in $out"
grep -h 'RESULT' "$out/gpt-dump.txt" "$out/ept-dump.txt" | sed 's/^\[[^]]*\] //' >&2 || true
[ -s "$out/gpt-dump.txt" ] || die "no guest log; see $out/l2-console.log and $out/l1-status.txt"
