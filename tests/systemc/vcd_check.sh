#!/bin/sh
# The VCD of the delayed-interrupt scenario, from each transport mode, opens in GTKWave's reader
# (vcd2fst converts it, fst2vcd gives it back) and shows what the scenario is about
# (check_vcd.py). usage: tests/systemc/vcd_check.sh BOOKEDBG_SC OUTDIR
set -u
SC=$1 out=$2/vcd
mkdir -p "$out"
pass=0 fail=0
for mode in lt clocked sc-clock; do
	v=$out/07-$mode.vcd
	rm -f "$v" "$out/07-$mode.fst"
	if ! "$SC" run --$mode --vcd "$v" docs/tour/07-delayed-event.trace >/dev/null; then
		fail=$((fail + 1)); echo "FAIL vcd --$mode: bookedbg-sc failed"; continue
	fi
	if vcd2fst "$v" "$out/07-$mode.fst" >/dev/null 2>&1 && fst2vcd "$out/07-$mode.fst" >"$out/07-$mode.rt.vcd" 2>/dev/null \
		&& python3 tests/systemc/check_vcd.py "$out/07-$mode.rt.vcd"; then
		pass=$((pass + 1))
	else
		fail=$((fail + 1)); echo "FAIL vcd --$mode: $v does not read back through vcd2fst/fst2vcd as expected"
	fi
done
echo "systemc vcd: $pass passed, $fail failed (GTKWave vcd2fst/fst2vcd round trip of docs/tour/07)"
[ $fail -eq 0 ]
