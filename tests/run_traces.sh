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
"../../$B" run no/such/file.trace >/dev/null 2>&1
[ $? -eq 2 ] && ok || ko "a missing file must exit 2"
echo "trace tests: $pass passed, $fail failed"
[ $fail -eq 0 ]
