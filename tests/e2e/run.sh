#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# kvm-pagewalk emulated end-to-end runs (make check): npt, shadow, la57 on
# the 6.1 series, each asserted by check-run.sh.  A run that cannot
# happen is a failure, never a skip.
set -u
top=$(cd "$(dirname "$0")/../.." && pwd)
base=${E2E_OUT:-$top/.cache/e2e}
rc=0
run() {	# name mmu levels lab-args...
	name=$1 mmu=$2 levels=$3
	shift 3
	echo "== e2e $name: scripts/lab.sh $* --guest-script tests/e2e/guest-checks.sh"
	rm -rf "$base/$name"
	if ! "$top/scripts/lab.sh" "$@" --guest-script "$top/tests/e2e/guest-checks.sh" \
		--out "$base/$name" >"$base/$name.log" 2>&1; then
		tail -n 20 "$base/$name.log"
		echo "e2e FAIL: lab run $name failed (log $base/$name.log)"
		rc=1
		return
	fi
	"$top/tests/e2e/check-run.sh" "$base/$name" "$mmu" "$levels" guest-checks || rc=1
}
mkdir -p "$base"
run npt tdp 4 --kernel 6.1 --mmu tdp
run shadow shadow 4 --kernel 6.1 --mmu shadow
run la57 tdp 5 --kernel 6.1 --mmu tdp --la57
[ $rc -eq 0 ] && echo "e2e: all runs passed" || echo "e2e: FAILED"
exit $rc
