#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# kvm-pagewalk lab: L0 for --cpu intel.  Boots the emulated host (L1) under
# Bochs, which emulates Intel VMX with EPT (QEMU TCG has no VMX).
#
# usage: l0-bochs.sh VMLINUZ L1_CPIO CONSOLE_LOG DATA_LOG WORKDIR
#
# L1's COM1 (ttyS0, its console) goes to CONSOLE_LOG and COM2 (ttyS1, the
# lab's data channel) to DATA_LOG, both raw.  Returns 0 once L1 has powered
# off (or finished its data and stopped), 124 after PW_BOCHS_TIMEOUT seconds
# (1500 by default), non-zero if Bochs cannot start or stops on its own error.
# WORKDIR receives the boot ISO, bochsrc, bochs.log and bochs.out.
#
# Bochs has no direct kernel loader for a modern bzImage, so L1 boots from an
# El Torito ISO through ISOLINUX.  Needs: bochs bochs-term bochsbios vgabios
# isolinux syslinux-common genisoimage (util-linux's unshare is optional).
set -eu

me=l0-bochs
die() { echo "$me: error: $*" >&2; exit 1; }
log() { echo "$me: $*" >&2; }

[ $# -eq 5 ] || die "usage: l0-bochs.sh VMLINUZ L1_CPIO CONSOLE_LOG DATA_LOG WORKDIR"
kernel=$1 initrd=$2 console=$3 data=$4 work=$5
timeout_s=${PW_BOCHS_TIMEOUT:-1500}

# The model that boots Debian's 6.1 kernel and whose VMX has EPT with
# unrestricted guest (tigerlake stalls early in L1's boot).
cpu_model=${PW_BOCHS_CPU:-corei7_haswell_4770}
# L1's kernel command line, as for the QEMU L0 plus:
#  nowatchdog  L1's instructions run ~50x slower than real time, and each L2
#              exit is a long emulated VM exit/entry: the soft/hard lockup
#              detectors then fire while L2 runs.  nowatchdog turns both off
#              (it implies nmi_watchdog=0); the kernel log stays complete.
cmdline="console=ttyS0 rdinit=/init panic=-1 log_buf_len=4M nowatchdog"

[ -f "$kernel" ] || die "kernel $kernel not found"
[ -f "$initrd" ] || die "initramfs $initrd not found"
command -v bochs-bin >/dev/null 2>&1 ||
	die "bochs-bin not found: apt-get install bochs bochs-term bochsbios vgabios"
bios=/usr/share/bochs/BIOS-bochs-latest
vgabios=/usr/share/vgabios/vgabios.bin
[ -f "$bios" ] || die "$bios not found: apt-get install bochsbios"
[ -f "$vgabios" ] || die "$vgabios not found: apt-get install vgabios"
isolinux=/usr/lib/ISOLINUX/isolinux.bin
ldlinux=/usr/lib/syslinux/modules/bios/ldlinux.c32
[ -f "$isolinux" ] || die "$isolinux not found: apt-get install isolinux"
[ -f "$ldlinux" ] || die "$ldlinux not found: apt-get install syslinux-common"
if command -v genisoimage >/dev/null 2>&1; then
	mkiso=genisoimage
elif command -v xorriso >/dev/null 2>&1; then
	mkiso="xorriso -as mkisofs"
else
	die "genisoimage not found: apt-get install genisoimage"
fi

mkdir -p "$work" || die "cannot create $work"
work=$(cd "$work" && pwd)
abspath() { (cd "$(dirname "$1")" && echo "$(pwd)/$(basename "$1")"); }
console=$(abspath "$console") || die "no directory for $3"
data=$(abspath "$data") || die "no directory for $4"
# bochsrc values are split at commas and blanks.
for p in "$work" "$console" "$data"; do
	case "$p" in
	*[[:space:],\"\']*) die "path '$p' has a blank, comma or quote, which bochsrc cannot hold" ;;
	esac
done

# 1. The boot ISO: ISOLINUX, the L1 kernel and initramfs.
iso=$work/iso
rm -rf "$iso" "$work/l1.iso"
mkdir -p "$iso/isolinux"
cp "$isolinux" "$ldlinux" "$iso/isolinux/"
cp "$kernel" "$iso/linux"
cp "$initrd" "$iso/initrd.img"
cat >"$iso/isolinux/isolinux.cfg" <<EOF
DEFAULT l1
PROMPT 0
TIMEOUT 0
LABEL l1
  KERNEL /linux
  INITRD /initrd.img
  APPEND $cmdline
EOF
$mkiso -quiet -o "$work/l1.iso" -b isolinux/isolinux.bin -c isolinux/boot.cat \
	-no-emul-boot -boot-load-size 4 -boot-info-table -R -J "$iso" >"$work/mkiso.log" 2>&1 ||
	{ cat "$work/mkiso.log" >&2; die "building the boot ISO failed"; }
rm -rf "$iso"

# 2. The Bochs configuration.
#  cpu ips=100M        the instruction rate Bochs assumes when it converts
#                      time; with sync=realtime the timers follow the host
#                      clock, so L1's time stays close to wall time whatever
#                      rate the host sustains (about 50 MIPS here).
#  memory 2048 MiB     as the QEMU L0: room for L1's initramfs (~70 MiB,
#                      unpacked into RAM) and the 256 MiB L2.
#  display rfb         the only display library in the bochs package itself
#                      (this build has no 'nogui'); timeout=0 starts without
#                      waiting for a VNC client.  It listens on TCP 5900-5949,
#                      so Bochs runs in a private network namespace below.
#  speaker/sound off   the sound plugins abort Bochs on a host without audio.
#  panic fatal         Bochs's own panics end it (reported below) instead of
#                      prompting; L1's ACPI power-off is such a "panic" too.
rm -f "$console" "$data"
cat >"$work/bochsrc" <<EOF
memory: guest=2048, host=2048
romimage: file=$bios
vgaromimage: file=$vgabios
cpu: model=$cpu_model, count=1, ips=100000000, reset_on_triple_fault=0
clock: sync=realtime, time0=local
ata0-master: type=cdrom, path=$work/l1.iso, status=inserted
boot: cdrom
com1: enabled=1, mode=file, dev=$console
com2: enabled=1, mode=file, dev=$data
display_library: rfb, options="timeout=0"
mouse: enabled=0
speaker: enabled=0
sound: waveoutdrv=dummy, waveindrv=dummy, midioutdrv=dummy
log: $work/bochs.log
panic: action=fatal
error: action=report
info: action=report
debug: action=ignore
EOF
# This Debian build has the internal debugger, which stops before the first
# instruction: the rc file tells it to continue.
echo c >"$work/debugger.rc"

# 3. Run Bochs and watch it.
netns=""
if command -v unshare >/dev/null 2>&1 && unshare --net true 2>/dev/null; then
	netns="unshare --net"
else
	log "warning: no private network namespace; Bochs's VNC display listens on TCP 5900+"
fi
rm -f "$work/bochs.log" "$work/bochs.out"
log "Bochs $cpu_model, log in $work/bochs.log (timeout ${timeout_s}s)"
# unshare execs Bochs, so $! is Bochs itself.
$netns bochs-bin -q -f "$work/bochsrc" -rc "$work/debugger.rc" \
	</dev/null >"$work/bochs.out" 2>&1 &
pid=$!
trap 'kill -9 $pid 2>/dev/null; exit 130' INT TERM HUP

stop_bochs() {
	kill -TERM $pid 2>/dev/null || return 0
	n=0
	while kill -0 $pid 2>/dev/null && [ $n -lt 10 ]; do
		sleep 1
		n=$((n + 1))
	done
	kill -9 $pid 2>/dev/null || true
	wait $pid 2>/dev/null || true
}

bochs_tail() {
	echo "--- bochs.out (tail)" >&2
	grep -v '^0000000000' "$work/bochs.out" 2>/dev/null | tail -n 15 >&2 || true
	echo "--- bochs.log (tail)" >&2
	tail -n 25 "$work/bochs.log" >&2 2>/dev/null || true
	echo "--- L1 console (tail)" >&2
	tail -n 15 "$console" 2>/dev/null | tr -d '\r' >&2 || true
}

t0=$(date +%s)
done_at=""
while kill -0 $pid 2>/dev/null; do
	sleep 2
	now=$(date +%s)
	if [ $((now - t0)) -ge "$timeout_s" ]; then
		log "timeout after ${timeout_s}s; stopping Bochs"
		stop_bochs
		bochs_tail
		exit 124
	fi
	if [ -z "$done_at" ] && grep -q '@@L1-DONE@@' "$data" 2>/dev/null; then
		done_at=$now
	fi
	# L1 runs `poweroff -f` right after its last line; ACPI S5 ends Bochs
	# within seconds.  Should it not, the data is complete anyway.
	if [ -n "$done_at" ] && [ $((now - done_at)) -ge 60 ]; then
		log "L1 finished but Bochs did not exit on power-off; stopping it"
		stop_bochs
		exit 0
	fi
	# panic=-1 reboots a panicked L1, and Bochs would boot it again.
	boots=$(grep -c 'Linux version' "$console" 2>/dev/null || true)
	if [ "${boots:-0}" -gt 1 ]; then
		log "L1 rebooted (kernel panic?); stopping Bochs"
		stop_bochs
		bochs_tail
		exit 1
	fi
done
rc=0
wait $pid || rc=$?
t1=$(date +%s)

if grep -q 'ACPI control: soft power off' "$work/bochs.log" 2>/dev/null; then
	log "L1 powered off after $((t1 - t0))s"
	exit 0
fi
if [ ! -s "$work/bochs.log" ] || ! grep -q 'Reset(HARDWARE)' "$work/bochs.log"; then
	log "Bochs did not start (exit $rc)"
	bochs_tail
	exit 1
fi
log "Bochs stopped after $((t1 - t0))s without L1 powering off (exit $rc)"
bochs_tail
exit 1
