#!/bin/sh
# The VCD of two tour scenarios (the delayed interrupt on the e500v2, debug-class delivery on the
# e500mc), from each transport mode, opens in GTKWave's reader (vcd2fst converts it, fst2vcd gives
# it back) and shows what the scenario is about (check_vcd.py).
# usage: tests/systemc/vcd_check.sh BOOKEDBG_SC OUTDIR
set -u
SC=$1 out=$2/vcd
mkdir -p "$out"
pass=0 fail=0
for scn in 07-delayed-event 10-e500mc-delivery; do
	for mode in lt clocked sc-clock; do
		v=$out/$scn-$mode.vcd
		rm -f "$v" "$out/$scn-$mode.fst"
		if ! "$SC" run --$mode --vcd "$v" docs/tour/$scn.trace >/dev/null; then
			fail=$((fail + 1)); echo "FAIL vcd $scn --$mode: bookedbg-sc failed"; continue
		fi
		if vcd2fst "$v" "$out/$scn-$mode.fst" >/dev/null 2>&1 &&
			fst2vcd "$out/$scn-$mode.fst" >"$out/$scn-$mode.rt.vcd" 2>/dev/null &&
			python3 tests/systemc/check_vcd.py "$out/$scn-$mode.rt.vcd" $scn; then
			pass=$((pass + 1))
		else
			fail=$((fail + 1)); echo "FAIL vcd $scn --$mode: $v does not read back through vcd2fst/fst2vcd as expected"
		fi
	done
done
echo "systemc vcd: $pass passed, $fail failed (GTKWave vcd2fst/fst2vcd round trip of docs/tour/07 and 10)"
[ $fail -eq 0 ]
