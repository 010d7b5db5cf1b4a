#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# kvm-pagewalk emulated end-to-end runs (make check): npt, shadow, la57 on
# the 6.1 and 6.12 series (E2E_SERIES=), each asserted by check-run.sh.  A run that cannot
# happen is a failure, never a skip.
set -u
top=$(cd "$(dirname "$0")/../.." && pwd)
base=${E2E_OUT:-$top/.cache/e2e}
rc=0
run() {	# name mmu levels cpu lab-args...
	name=$1 mmu=$2 levels=$3 cpu=$4
	shift 4
	echo "== e2e $name: scripts/lab.sh $* --guest-script tests/e2e/guest-checks.sh"
	rm -rf "$base/$name"
	if ! "$top/scripts/lab.sh" "$@" --guest-script "$top/tests/e2e/guest-checks.sh" \
		--out "$base/$name" >"$base/$name.log" 2>&1; then
		tail -n 20 "$base/$name.log"
		echo "e2e FAIL: lab run $name failed (log $base/$name.log)"
		rc=1
		return
	fi
	"$top/tests/e2e/check-run.sh" "$base/$name" "$mmu" "$levels" guest-checks "$cpu" || rc=1
	"$top/tests/e2e/check-trace.sh" "$base/$name" || rc=1
}
mkdir -p "$base"
for k in ${E2E_SERIES:-6.1 6.12}; do
	run "$k-npt" tdp 4 amd --kernel "$k" --mmu tdp
	run "$k-shadow" shadow 4 amd --kernel "$k" --mmu shadow
	run "$k-la57" tdp 5 amd --kernel "$k" --mmu tdp --la57
done
# Intel VMX/EPT under Bochs: ~4.5 min, so once (6.1, EPT).
if [ "${E2E_INTEL:-1}" = 1 ]; then
	run 6.1-intel-ept tdp 4 intel --kernel 6.1 --cpu intel --mmu tdp
fi
[ $rc -eq 0 ] && echo "e2e: all runs passed" || echo "e2e: FAILED"
exit $rc
