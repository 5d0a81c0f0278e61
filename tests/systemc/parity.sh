#!/bin/sh
# Parity of the SystemC module with the C runner: every trace of the corpus (tests/traces/**/*.trace,
# docs/tour/*.trace, and tests/systemc/traces: transport edge cases), replayed by `bookedbg-sc run`
# in each transport mode, gives byte-identical stdout and stderr and the same exit code as
# `bookedbg run` - the same events, DBSR, saved PCs and cycles, line by line, with and without
# --explain. Also: all good files in one run (one elaboration, one module per file), and the
# error paths the two share (--opt, a missing or malformed file; each command names itself in its
# own messages). bookedbg-sc's own flags are tests/systemc/bad_input.sh's.
# usage: tests/systemc/parity.sh BOOKEDBG BOOKEDBG_SC
set -u
C=$1 SC=$2
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
pass=0 fail=0 files=0

# same_run NAME C-ARGS -- SC-ARGS: both commands must agree on stdout, stderr and exit code.
# With norm=1 (a command-line error) each names itself first in its message: that name is left out.
norm=0
same_run() {
	name=$1; shift
	cargs="" ; while [ "$1" != "--" ]; do cargs="$cargs $1"; shift; done; shift
	# shellcheck disable=SC2086
	"$C" run $cargs >"$tmp/c.out" 2>"$tmp/c.err"; crc=$?
	"$SC" run "$@" >"$tmp/s.out" 2>"$tmp/s.err"; src=$?
	if [ $norm -eq 1 ]; then
		for e in c s; do
			sed -E 's/^bookedbg(-sc)?( run)?: /COMMAND: /' "$tmp/$e.err" >"$tmp/$e.norm" && mv "$tmp/$e.norm" "$tmp/$e.err"
		done
	fi
	if [ $crc -ne $src ]; then
		fail=$((fail + 1)); echo "FAIL parity $name: exit $crc (bookedbg) vs $src (bookedbg-sc)"
	elif ! cmp -s "$tmp/c.out" "$tmp/s.out"; then
		fail=$((fail + 1)); echo "FAIL parity $name: stdout differs"
		diff "$tmp/c.out" "$tmp/s.out" | head -n 6
	elif ! cmp -s "$tmp/c.err" "$tmp/s.err"; then
		fail=$((fail + 1)); echo "FAIL parity $name: stderr differs"
		diff "$tmp/c.err" "$tmp/s.err" | head -n 6
	elif [ ! -s "$tmp/c.out" ] && [ ! -s "$tmp/c.err" ]; then
		fail=$((fail + 1)); echo "FAIL parity $name: no output at all (nothing compared)"
	else
		pass=$((pass + 1))
	fi
}

corpus=$(find tests/traces docs/tour tests/systemc/traces -name '*.trace' | LC_ALL=C sort)
good=""
for f in $corpus; do
	files=$((files + 1))
	for mode in --lt --clocked; do
		same_run "$mode $f" "$f" -- $mode "$f"
		same_run "$mode --explain $f" --explain "$f" -- $mode --explain "$f"
	done
	same_run "--sc-clock $f" "$f" -- --sc-clock "$f"
	same_run "--lt --quantum 1 $f" "$f" -- --lt --quantum 1 "$f"
	case $f in */bad/*|*/fail/*) ;; *) good="$good $f" ;; esac
done
# shellcheck disable=SC2086
same_run "all good files in one run (--lt)" $good -- --lt $good
# shellcheck disable=SC2086
same_run "all good files in one run (--clocked)" $good -- --clocked $good
same_run "a failing and a good file together" tests/traces/fail/wrong-dbsr.trace docs/tour/01-single-step.trace \
	-- tests/traces/fail/wrong-dbsr.trace docs/tour/01-single-step.trace
same_run "--opt on the command line" --opt PAIR_MODES=RESERVED --opt RET_SAVED_PC=RFI_ADDRESS $good \
	-- --opt PAIR_MODES=RESERVED --opt RET_SAVED_PC=RFI_ADDRESS $good
norm=1
same_run "--opt with a bad value" --opt PAIR_MODES=MAYBE docs/tour/01-single-step.trace \
	-- --opt PAIR_MODES=MAYBE docs/tour/01-single-step.trace
same_run "--opt with an unknown name" --opt NO_SUCH=1 docs/tour/01-single-step.trace \
	-- --opt NO_SUCH=1 docs/tour/01-single-step.trace
same_run "--opt without =" --opt PAIR_MODES docs/tour/01-single-step.trace \
	-- --opt PAIR_MODES docs/tour/01-single-step.trace
norm=0
same_run "a missing file" no/such/file.trace -- no/such/file.trace
same_run "a good and a malformed file: nothing runs" docs/tour/01-single-step.trace \
	tests/traces/bad/late-opt.trace -- docs/tour/01-single-step.trace tests/traces/bad/late-opt.trace

if [ "$files" -lt 80 ]; then
	fail=$((fail + 1)); echo "FAIL parity: only $files trace files found (corpus missing?)"
fi
echo "systemc parity: $files trace files, $pass comparisons passed, $fail failed"
[ $fail -eq 0 ]
