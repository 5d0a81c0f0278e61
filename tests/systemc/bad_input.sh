#!/bin/sh
# bookedbg-sc's command line: bad input (an unknown or doubled flag, a flag without its value, two
# timing modes, a VCD path it cannot write) gets one line on stderr that starts with the command's
# own name, exit status 2, nothing on stdout and no file written: it is refused before anything
# runs. And a good --vcd run: stdout byte-identical to the run without --vcd (SystemC's notes stay
# off it), nothing on stderr, exactly the file asked for, no temporary left, scopes named after
# the trace files.
# usage: tests/systemc/bad_input.sh BOOKEDBG_SC
set -u
SC=$1
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
pass=0 fail=0
T=docs/tour/01-single-step.trace

no() { fail=$((fail + 1)); echo "FAIL bookedbg-sc bad input: $*"; }

# refused NAME PATTERN ARGS...: exit 2, nothing on stdout, one stderr line matching PATTERN (grep -E).
refused() {
	name=$1 pat=$2; shift 2
	"$SC" "$@" >"$tmp/out" 2>"$tmp/err"; rc=$?
	if [ $rc -ne 2 ]; then no "$name: exit $rc, want 2"; cat "$tmp/err"; return; fi
	if [ -s "$tmp/out" ]; then no "$name: wrote to stdout"; head -n 3 "$tmp/out"; return; fi
	if [ "$(wc -l <"$tmp/err")" -ne 1 ]; then no "$name: stderr is not one line"; cat "$tmp/err"; return; fi
	if ! grep -Eq "^bookedbg-sc( run)?: $pat" "$tmp/err"; then
		no "$name: stderr '$(cat "$tmp/err")' does not match 'bookedbg-sc run: $pat'"; return
	fi
	pass=$((pass + 1))
}

refused "no command" "no command" 
refused "unknown command" "unknown command 'frob'" frob $T
refused "no trace file" "no trace files" run --lt
refused "unknown flag" "unknown flag '--frob'" run --frob $T
refused "two timing modes" "--lt and --clocked are both timing modes" run --lt --clocked $T
refused "two timing modes, other order" "--sc-clock and --lt are both timing modes" run --sc-clock --lt $T
refused "--vcd without a value" "--vcd takes a file name" run $T --vcd
refused "--vcd followed by a flag" "--vcd takes a file name" run --vcd --lt $T
refused "--quantum without a value" "--quantum takes a number of cycles" run $T --quantum
refused "--quantum 0" "--quantum takes a number of cycles > 0, got '0'" run --quantum 0 $T
refused "--quantum not a number" "--quantum takes a number of cycles > 0, got '1k'" run --quantum 1k $T
refused "--quantum with a clocked mode" "--quantum is for --lt" run --clocked --quantum 5 $T
refused "--opt without a value" "--opt takes NAME=VALUE" run $T --opt
refused "--opt unknown name" "unknown option 'NO_SUCH'" run --opt NO_SUCH=1 $T
refused "--vcd in a missing directory" "cannot write $tmp/no/such/dir/w.vcd: No such file or directory" \
	run --vcd "$tmp/no/such/dir/w.vcd" $T
refused "--vcd a directory" "cannot write $tmp: Is a directory" run --vcd "$tmp" $T
: >"$tmp/plain"
refused "--vcd under a regular file" "cannot write $tmp/plain/w.vcd: Not a directory" \
	run --vcd "$tmp/plain/w.vcd" $T
# A malformed trace with a good --vcd: its FILE:LINE:COL error (as bookedbg run's), nothing runs,
# so no waveform either.
"$SC" run --vcd "$tmp/bad.vcd" tests/traces/bad/late-opt.trace >"$tmp/out" 2>/dev/null; rc=$?
if [ $rc -ne 2 ] || [ -s "$tmp/out" ] || [ -e "$tmp/bad.vcd" ] || ls "$tmp"/bad.vcd.tmp* >/dev/null 2>&1; then
	no "--vcd with a malformed trace: exit $rc (want 2), stdout or a VCD file left: $(ls "$tmp" | tr '\n' ' ')"
else pass=$((pass + 1)); fi

# A good --vcd run, each mode: stdout as without --vcd, stderr empty, the file exactly as named.
for mode in --lt --clocked --sc-clock; do
	"$SC" run $mode $T >"$tmp/plain.out" 2>&1
	"$SC" run $mode --vcd "$tmp/wave" $T >"$tmp/vcd.out" 2>"$tmp/vcd.err"; rc=$?
	if [ $rc -ne 0 ]; then no "vcd run $mode: exit $rc"; cat "$tmp/vcd.err"
	elif ! cmp -s "$tmp/plain.out" "$tmp/vcd.out"; then
		no "vcd run $mode: stdout differs from the run without --vcd"; diff "$tmp/plain.out" "$tmp/vcd.out" | head -n 4
	elif [ -s "$tmp/vcd.err" ]; then no "vcd run $mode: stderr not empty: $(head -n 2 "$tmp/vcd.err")"
	elif [ ! -s "$tmp/wave" ] || [ -e "$tmp/wave.vcd" ] || ls "$tmp"/wave.tmp* >/dev/null 2>&1; then
		no "vcd run $mode: want exactly $tmp/wave, got: $(ls "$tmp" | tr '\n' ' ')"
	else pass=$((pass + 1)); fi
	rm -f "$tmp/wave"
done

# Scopes: the file stems, sanitized and unique (the same file twice is two modules; SystemC
# writes them in name order).
"$SC" run --vcd "$tmp/two.vcd" $T docs/tour/07-delayed-event.trace $T >/dev/null 2>&1
scopes=$(awk '$1 == "$scope" { printf "%s ", $3 }' "$tmp/two.vcd" 2>/dev/null)
if [ "$scopes" = "SystemC 01_single_step 01_single_step_2 07_delayed_event " ]; then
	pass=$((pass + 1))
else no "vcd scopes: want 'SystemC 01_single_step 01_single_step_2 07_delayed_event', got '$scopes'"; fi

# `run --help` is help (stdout, exit 0), not an unknown flag; a missing file names itself.
out=$("$SC" run --lt --help 2>/dev/null); rc=$?
case "$out" in
"usage: bookedbg-sc run "*) [ $rc -eq 0 ] && pass=$((pass + 1)) || no "run --help: exit $rc" ;;
*) no "run --help: exit $rc, stdout '$(echo "$out" | head -n 1)'" ;;
esac
err=$("$SC" run "$tmp/none.trace" 2>&1 >/dev/null); rc=$?
if [ $rc -eq 2 ] && [ "$err" = "$tmp/none.trace:0: cannot open: No such file or directory" ]; then
	pass=$((pass + 1))
else no "missing trace: exit $rc, '$err'"; fi

echo "bookedbg-sc bad input: $pass passed, $fail failed"
[ $fail -eq 0 ]
