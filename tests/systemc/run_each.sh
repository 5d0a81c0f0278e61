#!/bin/sh
# Run every GoogleTest of a SystemC test binary in a process of its own: SystemC 2.3 allows one
# elaboration per process (a second sc_start elaboration fails with E113).
# usage: tests/systemc/run_each.sh BINARY
set -u
bin=$1
pass=0 fail=0
tests=$("$bin" --gtest_list_tests | awk '/^[^ ]/ { suite = $1 } /^  / { print suite $1 }')
[ -n "$tests" ] || { echo "FAIL: $bin lists no tests"; exit 1; }
for t in $tests; do
	if out=$(timeout 20 "$bin" --gtest_filter="$t" --gtest_brief=1 2>&1); then
		pass=$((pass + 1))
	else
		fail=$((fail + 1))
		echo "FAIL: $t"
		echo "$out" | tail -n 15
	fi
done
echo "systemc module tests: $pass passed, $fail failed (one process each)"
[ $fail -eq 0 ]
