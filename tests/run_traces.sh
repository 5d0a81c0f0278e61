#!/bin/sh
# End-to-end tests of `bookedbg run`: the directed corpus and the tour pass (exit 0); each malformed
# trace in tests/traces/bad gives exactly its "# error:" line on stderr and exit 2 with nothing run;
# each trace in tests/traces/fail gives its "# fails:" line and exit 1.
set -u
B=${1:-build/bookedbg}
pass=0 fail=0
ok() { pass=$((pass + 1)); }
ko() { fail=$((fail + 1)); echo "FAIL: $*"; }

out=$("$B" run --quiet tests/traces/indep/*.trace tests/traces/model/*.trace docs/tour/*.trace 2>&1)
rc=$?
[ $rc -eq 0 ] && ok || ko "directed corpus (exit $rc): $out"
echo "$out" | tail -n 1

cd tests/traces
for f in bad/*.trace; do
	want=$(sed -n 's/^# error: //p' "$f")
	got=$("../../$B" run "$f" 2>&1 >/dev/null)
	rc=$?
	[ $rc -eq 2 ] && [ "$got" = "$want" ] && ok || ko "$f: exit $rc, stderr '$got', want '$want'"
done
for f in fail/*.trace; do
	want=$(sed -n 's/^# fails: //p' "$f")
	got=$("../../$B" run --quiet "$f" 2>&1 | head -n 1)
	"../../$B" run --quiet "$f" >/dev/null 2>&1
	rc=$?
	[ $rc -eq 1 ] && [ "$got" = "$want" ] && ok || ko "$f: exit $rc, first line '$got', want '$want'"
done
# A good file together with a malformed one: nothing at all is run.
got=$("../../$B" run ../../docs/tour/01-single-step.trace bad/late-opt.trace 2>/dev/null)
rc=$?
[ $rc -eq 2 ] && [ -z "$got" ] && ok || ko "mixed good+bad: exit $rc, stdout '$got'"
# Unknown command-line option value: exit 2
got=$("../../$B" run --opt PAIR_MODES=MAYBE ../../docs/tour/01-single-step.trace 2>&1 >/dev/null)
rc=$?
want="bookedbg run: option PAIR_MODES has no value 'MAYBE'"
[ $rc -eq 2 ] && [ "$got" = "$want" ] && ok || ko "--opt with a bad value: exit $rc, '$got', want '$want'"
# The core name is case-insensitive, as in a trace.
"../../$B" options --core E500MC >/dev/null 2>&1
[ $? -eq 0 ] && ok || ko "options --core E500MC must be accepted"
got=$("../../$B" run no/such/file.trace 2>&1 >/dev/null)
rc=$?
want="no/such/file.trace:0: cannot open: No such file or directory"
[ $rc -eq 2 ] && [ "$got" = "$want" ] && ok || ko "a missing file: exit $rc, '$got', want '$want'"
# A flag that takes a value, given none, says so (not "unknown flag").
for args in "run --samples:--samples takes a file name" "run x.trace --opt:--opt takes NAME=VALUE" \
	    "options --core:--core takes e500v2 or e500mc"; do
	cmd=${args%%:*} want=${args#*:}
	got=$("../../$B" $cmd 2>&1 >/dev/null)
	rc=$?
	[ $rc -eq 2 ] && [ "$got" = "bookedbg ${cmd%% *}: $want" ] && ok || ko "$cmd: exit $rc, '$got'"
done
# CMD --help shows the command's usage on stdout, exit 0.
for cmd in run options compile check-log; do
	got=$("../../$B" $cmd --help 2>/dev/null)
	rc=$?
	[ $rc -eq 0 ] && echo "$got" | grep -q "^  $cmd " && ok || ko "$cmd --help: exit $rc, '$got'"
done
# ... but not where it is a flag's value: `--samples -h` names a file.
got=$("../../$B" run no/such/file.trace --samples -h 2>/dev/null)
rc=$?
[ $rc -eq 2 ] && [ -z "$got" ] && ok || ko "--samples -h taken as help: exit $rc, '$got'"
echo "trace tests: $pass passed, $fail failed"
[ $fail -eq 0 ]
