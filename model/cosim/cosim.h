/* bookedbg lockstep co-simulation API: the model as the golden reference of an RTL debug unit.
 *
 * The shape RTL teams use with other golden models (lowRISC Ibex dv/cosim with Spike): for every
 * instruction the DUT completes, the testbench calls cosim_step() with what completed; the model
 * computes what the debug facility must do; cosim_check() compares what the DUT did (DBSR, whether
 * it took a debug interrupt, the PC it saved) and queues a readable message per mismatch;
 * cosim_error_count()/cosim_pop_error() drain them.
 *
 * Every argument and result is a scalar (int, uint32_t, uint64_t, const char *), so SystemVerilog
 * imports these functions directly over DPI-C, no wrapper:
 *   C type        SystemVerilog DPI type
 *   int           int
 *   uint32_t      int unsigned
 *   uint64_t      longint unsigned
 *   const char *  string (input), or the return type of cosim_pop_error()
 * See tests/verilator/tb_cosim.sv for a complete testbench.
 *
 * Instances are small integer handles (>= 1), each its own model instance; not thread-safe (one
 * simulator thread calls it, as with DPI). Names, not numbers, identify kinds across the language
 * boundary: cosim_insn_kind("load") etc. look them up, so an SV package cannot go stale. */
#ifndef BOOKEDBG_COSIM_H
#define BOOKEDBG_COSIM_H

#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/* Pseudo SPR numbers for cosim_set_reg/cosim_get_reg (MSR has no SPR number; PC is no register). */
#define COSIM_SPR_MSR (-1)
#define COSIM_SPR_PC (-2)

/* cosim_step flags: low bits as in the trace format's instruction modifiers, a fault in bits 8..15
 * (enum dbg_fault: 1 itlb, 2 isi, 3 program, 4 dtlb, 5 dsi, 6 alignment; or cosim_fault_kind()). */
#define COSIM_F_FAIL 1      /* stwcx. whose store was not performed */
#define COSIM_F_NOOP 2      /* dcba that the cache turned into a no-op */
/* Any other bit is an unknown flag: cosim_step refuses it (COSIM_BAD_ARG). */
#define COSIM_FAULT(f) ((f) << 8)

/* What a step did (the model's verdict), returned by cosim_step/cosim_irq/cosim_ude. */
enum cosim_action {
	COSIM_NONE = 0,      /* completed, no debug interrupt */
	COSIM_DEBUG = 1,     /* a debug interrupt was taken */
	COSIM_HALTED = 2,    /* the core halted for the external debugger (DBCR0[EDM]) */
	COSIM_SQUASHED = 3,  /* younger of a pair, flushed by the older one's interrupt */
	COSIM_IDLE = 4,      /* the core is halted: nothing was attempted */
	COSIM_BAD_ARG = -1   /* unknown handle, kind, register, access size (lmw/stmw 1..32 words,
			      * load/store 1, 2, 4 or 8 bytes), flag, or a cycle past 2^63-1
			      * (DBG_CYCLE_MAX); nothing was done */
};

/* core: 0 e500v2, 1 e500mc. Returns a handle >= 1, or -1. All registers start at 0. */
int cosim_create(int core);
void cosim_destroy(int h);
/* Select a model option (`bookedbg options`), before the first step. 0 ok, -1 unknown name/value. */
int cosim_set_option(int h, const char *name, const char *value);

/* Back door (reset values, an external debugger): effective at once, no events. spr: an SPR
 * number, COSIM_SPR_MSR or COSIM_SPR_PC. 0 ok, -1 no such register. */
int cosim_set_reg(int h, int spr, uint32_t value);
uint32_t cosim_get_reg(int h, int spr);

/* Name lookups (the trace format's names: "load", "mtspr", "external", "dsi"); -1 if unknown. */
int cosim_insn_kind(const char *name);
int cosim_irq_kind(const char *name);
int cosim_fault_kind(const char *name);

/* The DUT completed one instruction in `cycle` (two with the same cycle: a dual completion, older
 * first; a cycle before the previous one counts as the previous one). kind: cosim_insn_kind();
 * ea/size: load/store/cache operand (size in bytes, lmw/stmw: words); target: branch target;
 * spr/value: mtspr/mfspr SPR number, mtspr/mtmsr value; flags: COSIM_F_* | COSIM_FAULT(f). */
int cosim_step(int h, uint64_t cycle, uint32_t pc, int kind, uint32_t ea, uint32_t size,
	       uint32_t target, int spr, uint32_t value, int flags);
/* An asynchronous interrupt taken before the next instruction (kind: cosim_irq_kind()). */
int cosim_irq(int h, uint64_t cycle, int kind);
/* The unconditional debug event input was asserted. */
int cosim_ude(int h, uint64_t cycle);

/* What the model expects after the last step/irq/ude. */
uint32_t cosim_expected_dbsr(int h);
uint32_t cosim_expected_events(int h);    /* debug events recognized, as DBSR bits */
int cosim_expected_debug(int h);          /* 0 none, 1 debug interrupt taken, 2 halted */
uint32_t cosim_expected_saved_pc(int h);  /* CSRR0 (e500v2) / DSRR0 (e500mc) of that interrupt */
uint32_t cosim_expected_vector(int h);    /* where the debug handler starts */
uint32_t cosim_expected_next_pc(int h);   /* the next instruction the core attempts */
uint64_t cosim_expected_cycle(int h);     /* the cycle it really completed in */
uint32_t cosim_expected_mfspr(int h);     /* the value an mfspr read */

/* Compare what the DUT did in the last step: its DBSR, took_debug (0 none, 1 taken, 2 halted) and
 * the saved PC (compared only when both took a debug interrupt). Each mismatch is queued as one
 * line, "cycle N pc 0xPC (insn): field: model X, DUT Y". Returns the number of mismatches, or
 * COSIM_BAD_ARG for an unknown handle. */
int cosim_check(int h, uint32_t dbsr, int took_debug, uint32_t saved_pc);

/* Queued mismatch messages: how many, and the oldest (removed). cosim_next_error copies it into
 * buf (C callers) and returns 1, or 0 when none is queued; cosim_pop_error returns it as a string
 * valid until the next call for h (DPI callers), "" when none. Beyond 256 queued messages the
 * oldest are kept and the rest only counted, in a final "... N more" message. */
int cosim_error_count(int h);
int cosim_next_error(int h, char *buf, int len);
const char *cosim_pop_error(int h);
/* Instructions stepped so far (as Ibex's get_insn_cnt). */
uint64_t cosim_insn_count(int h);

#ifdef __cplusplus
}
#endif

#endif
