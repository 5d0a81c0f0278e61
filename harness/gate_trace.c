/* Which kernel code ran. The kernel translation unit is compiled with -fsanitize-coverage=trace-pc,
 * so each of its basic blocks calls __sanitizer_cov_trace_pc; this file is not instrumented. The
 * gate maps the addresses back to kernel file:line (the extracted code sits under #line), to name
 * the line where a divergence in a kernel function shows when no hardware write names it. */
#include <stdint.h>
#include <string.h>

#include "gate_trace.h"

#define RING 4096u                 /* a power of two: one directive's worth of kernel blocks */

static uintptr_t ring[RING];
static unsigned long head;

void __sanitizer_cov_trace_pc(void);
void __sanitizer_cov_trace_pc(void)
{
	ring[head++ & (RING - 1)] = (uintptr_t)__builtin_return_address(0);
}

void gate_trace_reset(void) { head = 0; }

unsigned gate_trace_recent(uintptr_t *out, unsigned max)
{
	unsigned n = 0;
	unsigned long have = head < RING ? head : RING;
	for (unsigned long k = 0; k < have && n < max; k++) {
		uintptr_t pc = ring[(head - 1 - k) & (RING - 1)];
		unsigned j = 0;
		while (j < n && out[j] != pc)
			j++;
		if (j == n)
			out[n++] = pc;
	}
	return n;
}
