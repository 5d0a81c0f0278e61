// Clock for the Verilator co-simulation test: toggle until the testbench says it is done; the exit
// code is its verdict.
#include <memory>

#include "Vtb_cosim.h"
#include "verilated.h"

int main(int argc, char **argv)
{
	auto ctx = std::make_unique<VerilatedContext>();
	ctx->commandArgs(argc, argv);
	auto top = std::make_unique<Vtb_cosim>(ctx.get());
	for (int half = 0; half < 1000 && !top->done; half++) {
		top->clk = half & 1;
		top->eval();
	}
	bool ok = top->done && top->ok;
	top->final();
	return ok ? 0 : 1;
}
