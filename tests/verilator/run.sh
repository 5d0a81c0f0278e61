#!/bin/sh
# Build the SystemVerilog testbench with Verilator (DPI-C imports of model/cosim/cosim.h, linked with the
# model's archives) and run it twice: the correct DUT must agree with the model, the DUT with the
# planted bug (+wrong_dut) must be caught with exactly the expected message.
# usage: tests/verilator/run.sh OUTDIR CXX SANFLAGS COSIM_LIB MODEL_LIB
set -eu
out=$1 cxx=$2 san=$3 cosim=$4 lib=$5
here=$(cd "$(dirname "$0")" && pwd)
mkdir -p "$out"
verilator --cc --exe --build -j 2 -Wall --top-module tb_cosim --Mdir "$out" -o tb_cosim \
	-MAKEFLAGS "CXX=$cxx" ${san:+-CFLAGS "$san"} ${san:+-LDFLAGS "$san"} \
	"$here/tb_cosim.sv" "$here/dut_dbg.sv" "$here/tb_main.cpp" "$cosim" "$lib" >"$out/build.log" 2>&1 \
	|| { cat "$out/build.log"; exit 1; }
pass=0 fail=0
if "$out/tb_cosim"; then pass=$((pass + 1)); else fail=$((fail + 1)); echo "FAIL: the correct DUT was not accepted"; fi
if "$out/tb_cosim" +wrong_dut; then pass=$((pass + 1)); else fail=$((fail + 1)); echo "FAIL: the wrong DUT was not caught"; fi
echo "verilator DPI-C cosim: $pass passed, $fail failed"
[ $fail -eq 0 ]
