#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# Regenerate the committed reference run in results/reference-6.1-npt/:
# the default lab (6.1, emulated AMD NPT) with the e2e guest checks, then
# the same assertions as `make check` on it.
set -eu
top=$(cd "$(dirname "$0")/.." && pwd)
out=$top/results/reference-6.1-npt
rm -rf "$out"
"$top/scripts/lab.sh" --kernel 6.1 --mmu tdp \
	--guest-script "$top/tests/e2e/guest-checks.sh" --out "$out"
"$top/tests/e2e/check-run.sh" "$out" tdp 4 guest-checks
"$top/tests/e2e/check-trace.sh" "$out"
trace-cmd report "$out/trace.dat" >"$out/trace-report.txt"
echo "reference run in $out"
