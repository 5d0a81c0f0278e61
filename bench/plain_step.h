/* The baseline loop's step (bench/bench_model.c): only advances the PC. */
#ifndef BENCH_PLAIN_STEP_H
#define BENCH_PLAIN_STEP_H
#include <stdint.h>

#include "dbg_unit.h"

uint32_t plain_step(uint32_t pc, const struct dbg_insn *in);

#endif
