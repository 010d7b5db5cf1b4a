# SPDX-License-Identifier: GPL-2.0
# kvm-pagewalk lab: pieces shared by the emulated (lab.sh) and the real-host
# (lab-host.sh) modes.  Sourced; needs $top and $cache.

die() { echo "lab: error: $*" >&2; exit 1; }
log() { echo "lab: $*" >&2; }

# build_guest_module KVER: gptdump.ko for KVER in $cache/guest/KVER (cached).
build_guest_module() {
	gdir=$cache/guest/$1
	ghash=$(cd "$top" && find guest-gptdump walker hypercall-abi -type f \
		\( -name '*.[ch]' -o -name Kbuild \) | LC_ALL=C sort | xargs cat |
		sha256sum | cut -c1-16)
	if [ -f "$gdir/gptdump.ko" ] && [ "$(cat "$gdir/.hash" 2>/dev/null)" = "$ghash" ]; then
		log "gptdump for $1 is up to date"
		return
	fi
	log "building gptdump for $1"
	rm -rf "$gdir" && mkdir -p "$gdir/src"
	(cd "$top" && cp -a guest-gptdump walker hypercall-abi "$gdir/src/")
	make -s -C "/lib/modules/$1/build" M="$gdir/src/guest-gptdump" modules >&2 ||
		die "building gptdump failed"
	cp "$gdir/src/guest-gptdump/gptdump.ko" "$gdir/"
	echo "$ghash" >"$gdir/.hash"
}

# busybox_root DIR: a minimal root with busybox and its applets.
busybox_root() {
	mkdir -p "$1/bin" "$1/sbin" "$1/proc" "$1/sys" "$1/dev" "$1/tmp" "$1/etc"
	cp /bin/busybox "$1/bin/busybox"
	for a in $(/bin/busybox --list); do
		[ -e "$1/bin/$a" ] || ln -s busybox "$1/bin/$a"
	done
}

# mkcpio DIR FILE: an uncompressed newc initramfs (fast to unpack under TCG).
mkcpio() { (cd "$1" && find . | LC_ALL=C sort | cpio -o -H newc --quiet) >"$2"; }

# build_l2_root KVER KROOT GUEST_SCRIPT DIR: the guest's root filesystem,
# gptdump installed under /lib/modules so `modprobe gptdump` works.
build_l2_root() {
	busybox_root "$4"
	mkdir -p "$4/lib/modules/$1/extra"
	cp "$cache/guest/$1/gptdump.ko" "$4/lib/modules/$1/extra/"
	for f in modules.builtin modules.builtin.modinfo modules.order; do
		[ -f "$2/lib/modules/$1/$f" ] && cp "$2/lib/modules/$1/$f" "$4/lib/modules/$1/"
	done
	depmod -b "$4" "$1" || die "depmod for the guest failed"
	cp "$top/scripts/lab/l2-init" "$4/init"
	if [ -n "$3" ]; then
		cp "$3" "$4/guest-script.sh"
	fi
}

# extract NAME FILE: the lines between "@@BEGIN NAME" and "@@END NAME".
extract() {
	tr -d '\r' <"$2" | awk -v n="$1" '$0 == "@@END " n {p = 0}
		p {print} $0 == "@@BEGIN " n {p = 1}'
}

# guest_outputs OUT GUEST_SCRIPT: gpt-dump.txt (and guest-script.out) from
# OUT/l2-console.log.
guest_outputs() {
	extract gpt-dump.txt "$1/l2-console.log" >"$1/gpt-dump.txt"
	if [ -n "$2" ]; then
		extract guest-script.out "$1/l2-console.log" >"$1/guest-script.out"
	fi
}

# mtree_from_monitor MONLOG: QEMU's "info mtree" answers from a monitor log
# (the lines from the first address-space/FlatView line to the quit).
mtree_from_monitor() {
	tr -d '\r' <"$1" | sed 's/\x1b\[[0-9]*[A-Za-z]//g' |
		awk '/^(address-space|FlatView)/ {p = 1} /^\(qemu\) q/ {p = 0} p'
}
