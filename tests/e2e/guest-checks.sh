#!/bin/sh
# kvm-pagewalk e2e: runs inside the guest (busybox sh) after the demo.
# Checks gptdump against oracles it does not compute: /proc/PID/pagemap for
# GVA->GPA of a user address, /proc/PID/mem for the value there, and the
# documented errors for bad input.  Prints "CHECK ok|FAIL <name> ..." lines;
# the host side (check-run.sh) asserts on them.

ok() { echo "CHECK ok $*"; }
fail() { echo "CHECK FAIL $*"; }

# last RESULT line for a gva (hex without 0x prefix in $1) in the kernel log
result_for() { dmesg | grep "gptdump: RESULT .* gva=0x$1 " | tail -n 1; }
field() { echo "$1" | tr ' ' '\n' | sed -n "s/^$2=//p" | head -n 1; }

# 1. Reload: the demo can run again.
if rmmod gptdump && modprobe gptdump; then
	ok reload
else
	fail reload "rmmod/modprobe gptdump"
fi
rmmod gptdump

# 2. A user address of another process, against pagemap.
sleep 1000 &
spid=$!
sleep 1
found=""
while read -r range perms rest; do
	case "$perms" in r*) ;; *) continue ;; esac
	start=$((0x${range%-*}))
	end=$((0x${range#*-}))
	a=$start
	while [ $a -lt $end ]; do
		ent=$(dd if=/proc/$spid/pagemap bs=8 skip=$((a / 4096)) count=1 2>/dev/null |
			od -An -tx8 | tr -d ' ')
		if [ -n "$ent" ] && [ $(( (0x$ent >> 63) & 1 )) -eq 1 ]; then
			pfn=$(( 0x$ent & 0x7fffffffffffff ))
			found=$a
			break 2
		fi
		a=$((a + 4096))
	done
done </proc/$spid/maps
if [ -z "$found" ]; then
	fail user-pagemap "no present page found in pid $spid"
else
	addr=$found
	hexaddr=$(printf '%x' $addr)
	want_gpa=$(printf "0x%x" $((pfn * 4096)))
	want_val=0x$(dd if=/proc/$spid/mem bs=8 skip=$((addr / 8)) count=1 2>/dev/null |
		od -An -tx8 | tr -d ' ')
	if modprobe gptdump gva=0x$hexaddr pid=$spid; then
		line=$(result_for "$hexaddr")
		gpa=$(field "$line" gpa)
		val=$(field "$line" value)
		pid=$(field "$line" pid)
		hc=$(field "$line" hc)
		if [ "$gpa" = "$want_gpa" ] && [ "$pid" = "$spid" ]; then
			ok user-pagemap "pid=$spid gva=0x$hexaddr gpa=$gpa"
		else
			fail user-pagemap "pid=$spid gva=0x$hexaddr gpa=$gpa want $want_gpa ($line)"
		fi
		if [ "$val" = "$want_val" ]; then
			ok user-value "value=$val"
		else
			fail user-value "value=$val want $want_val"
		fi
		if [ "$hc" = 0 ]; then
			ok user-hypercall
		else
			fail user-hypercall "hc=$hc"
		fi
		echo "USER pid=$spid gva=0x$hexaddr gpa=$want_gpa"
		rmmod gptdump
	else
		fail user-pagemap "modprobe gptdump gva=0x$hexaddr pid=$spid failed"
	fi
fi

# 3. Bad input: the load fails (non-zero exit), the log names the reason
#    in a RESULT error= line, and nothing oopses.
expect_fail() {	# name expected-error gva [pid]
	name=$1
	want=$2
	shift 2
	msg=$(modprobe gptdump "$@" 2>&1)
	rc=$?
	last=$(dmesg | grep 'gptdump: RESULT' | tail -n 1)
	if [ $rc -ne 0 ] && echo "$last" | grep -q "error=$want"; then
		ok "bad-input-$name" "($last)"
	else
		fail "bad-input-$name" "rc=$rc msg=$msg last=$last"
	fi
	rmmod gptdump 2>/dev/null
}
expect_fail noncanonical bad-address gva=0x8000000000000000
expect_fail no-such-pid no-such-pid gva=0x400000 pid=999999
expect_fail kernel-with-pid kernel-address-with-pid gva=0xffffffff81000000 pid=$spid
expect_fail unmapped not-present gva=0x1000 pid=$spid
kill $spid

if dmesg | grep -qE 'BUG:|Oops|WARNING:.*at |Call Trace'; then
	fail guest-log "oops/BUG/WARN in the guest log"
else
	ok guest-log
fi
echo "CHECK done"
