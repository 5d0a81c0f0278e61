/* The kernel code's basic blocks as they ran (gate_trace.c). */
#ifndef BOOKEDBG_GATE_TRACE_H
#define BOOKEDBG_GATE_TRACE_H

#include <stdint.h>

#define GATE_TRACE_KEEP 48          /* distinct blocks a violation keeps, newest first */

void gate_trace_reset(void);                              /* a new directive starts */
unsigned gate_trace_recent(uintptr_t *out, unsigned max); /* distinct return addresses, newest first */

#endif
