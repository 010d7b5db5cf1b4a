#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# kvm-pagewalk e2e assertions on one lab output directory.
#
# usage: check-run.sh OUTDIR tdp|shadow 4|5 [guest-checks] [amd|intel]
#
# Oracles, none computed by the code under test:
#  - the demo's values are known in advance (DEMO1/DEMO2 below);
#  - the guest kernel's own lookup (kernel_gpa=, slow_virt_to_phys);
#  - QEMU's monitor gpa2hpa in L1 (QEMU's memory map + /proc/self/pagemap);
#  - in the guest, /proc/PID/pagemap and /proc/PID/mem (guest-checks.sh).
set -u
out=$1
mmu=$2
levels=$3
gchecks=${4:-}
cpu=${5:-amd}
DEMO1=0x6b766d2d70770001
DEMO2=0x6b766d2d70770002
fails=0
checks=0

ok() { checks=$((checks + 1)); }
fail() { checks=$((checks + 1)); fails=$((fails + 1)); echo "e2e FAIL [$out]: $*"; }
field() { echo "$1" | tr ' ' '\n' | sed -n "s/^$2=//p" | head -n 1; }
results() { grep -h "$1: RESULT" "$2" | sed 's/^\[[^]]*\] //'; }

for f in gpt-dump.txt ept-dump.txt gpa2hpa.txt; do
	[ -s "$out/$f" ] || { fail "$f missing or empty"; echo "e2e: $fails failures"; exit 1; }
done

want_tdp=shadow
[ "$mmu" = tdp ] && want_tdp=$([ "$cpu" = amd ] && echo npt || echo ept)
guest=$(results gptdump "$out/gpt-dump.txt" | grep -v ' error=')
host=$(results kvm_pagewalk "$out/ept-dump.txt")

# The demo: both known values, the kernel's own lookup agrees.
for v in $DEMO1 $DEMO2; do
	line=$(echo "$guest" | grep " value=$v " | head -n 1)
	if [ -z "$line" ]; then
		fail "no guest RESULT with the demo value $v"
		continue
	fi
	ok
	[ "$(field "$line" kernel_gpa)" = "$(field "$line" gpa)" ] && ok ||
		fail "guest gpa != kernel_gpa: $line"
done

# Every successful guest translation has a matching host translation.
n=0
echo "$guest" | grep -q . || fail "no guest RESULT lines"
for line in $(echo "$guest" | tr ' ' '~'); do
	line=$(echo "$line" | tr '~' ' ')
	gpa=$(field "$line" gpa)
	val=$(field "$line" value)
	[ "$(field "$line" levels)" = "$levels" ] && ok ||
		fail "guest levels != $levels: $line"
	[ "$(field "$line" hc)" = 0 ] && ok || fail "guest hypercall failed: $line"
	h=$(echo "$host" | grep " gpa=$gpa " | tail -n 1)
	if [ -z "$h" ]; then
		fail "no host RESULT for gpa=$gpa"
		continue
	fi
	n=$((n + 1))
	[ "$(field "$h" value)" = "$val" ] && ok ||
		fail "host value != guest value for gpa=$gpa: $h / $val"
	[ "$(field "$h" tdp)" = "$want_tdp" ] && ok || fail "host tdp != $want_tdp: $h"
	[ "$(field "$h" levels)" = "$levels" ] && ok || fail "host levels != $levels: $h"
	[ "$(field "$h" hostpt)" = match ] && ok || fail "host hostpt != match: $h"
	hpa=$(field "$h" hpa)
	q=$(tr -d '\r' <"$out/gpa2hpa.txt" |
		sed -n "s/.*Host physical address for $gpa ([^)]*) is \(0x[0-9a-f]*\).*/\1/p" | head -n 1)
	if [ -z "$q" ]; then
		fail "QEMU gpa2hpa has no answer for $gpa"
	elif [ "$q" != "$hpa" ]; then
		fail "host hpa $hpa != QEMU gpa2hpa $q for gpa $gpa"
	else
		ok
	fi
	case "$val" in
	$DEMO1|$DEMO2) ;;
	*) continue ;;
	esac
	[ "$(field "$h" value)" = "$val" ] && ok || fail "demo value not at the HPA: $h"
	# Shadow paging: KVM's shadow page table for the GVA (the demo ran in
	# the process that made the hypercall) must lead to the same HPA.
	if [ "$mmu" = shadow ]; then
		[ "$(field "$h" spt)" = match ] && ok || fail "shadow: spt != match: $h"
	fi
done
[ $n -ge 2 ] || fail "fewer than 2 guest/host translation pairs ($n)"

for f in gpt-dump.txt ept-dump.txt; do
	if grep -qE 'BUG:|Oops|WARNING:.*at |Call Trace|general protection' "$out/$f"; then
		fail "oops/BUG/WARN in $f"
	else
		ok
	fi
done

if [ -n "$gchecks" ]; then
	g=$out/guest-script.out
	if [ ! -s "$g" ]; then
		fail "guest-script.out missing"
	else
		grep 'CHECK FAIL' "$g" | while read -r l; do echo "e2e FAIL [$out] guest: $l"; done
		grep -q 'CHECK FAIL' "$g" && fail "guest checks failed"
		for c in reload user-pagemap user-value user-hypercall bad-input-noncanonical \
			bad-input-no-such-pid bad-input-kernel-with-pid bad-input-unmapped \
			guest-log; do
			grep -q "^CHECK ok $c\( \|\$\)" "$g" && ok || fail "guest check $c did not pass"
		done
		grep -q '^CHECK done' "$g" && ok || fail "guest checks did not finish"
	fi
fi

echo "e2e [$out] mmu=$mmu levels=$levels: $checks checks, $n translations, $fails failures"
[ $fails -eq 0 ]
