/* The cosim API's part of fuzz_api: one call per op on a few handles, all destroyed per input. */
#ifndef BOOKEDBG_FUZZ_COSIM_H
#define BOOKEDBG_FUZZ_COSIM_H

#include "fuzz_input.h"

void fuzz_cosim_op(struct fin *in);
/* Destroy every handle this input created (the next input starts with none). */
void fuzz_cosim_reset(void);

#endif
