/* The baseline's step, in a file of its own: called through the ABI, like the library's dbg_exec
 * symbol. In the same file as its loop the compiler could see into it (which registers it leaves
 * alone) and the baseline would cost less than any library call can. */
#include "plain_step.h"

uint32_t plain_step(uint32_t pc, const struct dbg_insn *in)
{
	return in->kind == DBG_I_BRANCH ? in->target : pc + 4;
}
