#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# kvm-pagewalk e2e: the host trace (trace.dat, recorded by trace-cmd in L1)
# agrees with the host's RESULT lines: `trace-cmd report` decodes our events
# and every host RESULT gpa has a kvm_pagewalk_result event with the same
# hpa, value and hostpt verdict, preceded by a request and level events.
#
# usage: check-trace.sh OUTDIR
set -u
out=$1
fails=0
n=0
fail() { fails=$((fails + 1)); echo "trace FAIL [$out]: $*"; }
field() { echo "$1" | tr ' ' '\n' | sed -n "s/^$2=//p" | head -n 1; }

[ -s "$out/trace.dat" ] || { echo "trace FAIL [$out]: trace.dat missing"; exit 1; }
rep=$(trace-cmd report "$out/trace.dat" 2>&1) || { echo "trace FAIL: trace-cmd report: $rep" | head -n 5; exit 1; }
echo "$rep" | grep -q 'kvm_pagewalk_request:' || fail "no kvm_pagewalk_request events"
echo "$rep" | grep -q 'kvm_pagewalk_level: .* TDP L\|kvm_pagewalk_level: .* HOSTPT L' ||
	fail "no kvm_pagewalk_level events"
for h in $(grep -h 'kvm_pagewalk: RESULT' "$out/ept-dump.txt" | grep -v error= |
	sed 's/^\[[^]]*\] //' | tr ' ' '~'); do
	h=$(echo "$h" | tr '~' ' ')
	gpa=$(field "$h" gpa)
	t=$(echo "$rep" | grep "kvm_pagewalk_result: .* gpa=$gpa " | tail -n 1)
	if [ -z "$t" ]; then
		fail "no kvm_pagewalk_result for gpa=$gpa"
		continue
	fi
	n=$((n + 1))
	for f in hpa value hostpt; do
		[ "$(field "$t" $f)" = "$(field "$h" $f)" ] ||
			fail "trace $f=$(field "$t" $f) != RESULT $f=$(field "$h" $f) for gpa=$gpa"
	done
done
[ $n -gt 0 ] || fail "no host RESULT lines to compare"
echo "trace [$out]: $n results agree with the log, $fails failures"
[ $fails -eq 0 ]
