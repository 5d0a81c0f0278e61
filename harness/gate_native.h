/* The virtualization-equivalence oracle (property "virtualization"): what a guest that owns the
 * debug facility observes under KVM (its debug interrupts, the DBSR its handler reads, the debug
 * SPRs it reads back) against the same guest program run natively on the same core (the model,
 * in supervisor state, no hypervisor). Both sides log observations; the first difference is the
 * finding. */
#ifndef BOOKEDBG_GATE_NATIVE_H
#define BOOKEDBG_GATE_NATIVE_H

#include <stdint.h>

#include "dbg_unit.h"

enum obs_kind { OBS_DEBUG, OBS_PROGRAM, OBS_READ };

struct obs {
	enum obs_kind kind;
	uint32_t pc;          /* OBS_DEBUG: the saved PC; else the instruction */
	int reg;              /* OBS_READ: enum dbg_reg_id */
	uint32_t value;       /* OBS_DEBUG: the DBSR the handler reads; OBS_READ: the value read */
};

#define OBS_MAX 64

struct obs_log {
	struct obs o[OBS_MAX];
	int n;
};

void obs_add(struct obs_log *l, enum obs_kind kind, uint32_t pc, int reg, uint32_t value);
/* The first index where a and b differ, or -1. */
int obs_first_diff(const struct obs_log *a, const struct obs_log *b);
void obs_str(const struct obs_log *l, int i, char *buf, unsigned n);

/* The guest kernel's debug-interrupt handler, the way Linux's handle_debug treats its own events:
 * read DBSR, disable the events that fired in its copy of DBCR0, write DBCR0, clear the DBSR bits
 * it read, return to the saved PC. The new DBCR0 for a copy d0 and a DBSR read. */
uint32_t guest_handler_dbcr0(uint32_t d0, uint32_t dbsr);
/* Where the handler returns for a debug interrupt saved at srr0: past a trap instruction whose
 * TRAP event it took (the debugger treats it as its breakpoint), else srr0. */
uint32_t guest_handler_return(uint32_t srr0, uint32_t dbsr);

/* The native run. */
struct native {
	struct dbg_unit u;
	uint64_t cyc;
	int owned;            /* userspace owns the facility: the guest's own is suspended */
	uint32_t dbcr0;       /* the guest kernel's copy of what it wrote to DBCR0 */
	struct obs_log log;
};

void native_reset(struct native *n, enum dbg_core core, uint32_t msr);
void native_set_msr(struct native *n, uint32_t msr);
/* The guest executes in: its interrupts and reads go to the log. */
void native_exec(struct native *n, const struct dbg_insn *in);

/* The interrupt of this kind a result took, or NULL. */

#endif
