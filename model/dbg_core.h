/* Private to the core: the unit's fields, and the pieces the files of the core share. Layers above
 * the core include dbg_unit.h only. */
#ifndef BOOKEDBG_DBG_CORE_H
#define BOOKEDBG_DBG_CORE_H

#define BOOKEDBG_CORE 1
#include <stddef.h>

#include "dbg_unit.h"
#include "dbg_rules.h"

/* ---- narration (dbg_unit.c) ---------------------------------------------------------------
 * Notes go to 'to' when narration is on; detection takes the result to narrate into as a
 * parameter and passes NULL when it only asks "what would happen". */
void note(const struct dbg_unit *u, struct dbg_result *to, enum dbg_rule rule, uint32_t a,
	  uint32_t b, uint32_t c);

/* ---- registers (dbg_regfile.c) ------------------------------------------------------------ */
uint32_t legal(const struct dbg_unit *u, enum dbg_reg_id r);   /* bits that hold values */
bool is_debug_ctl(enum dbg_reg_id r);                         /* feeds the comparators */
void cmp_load(struct dbg_unit *u, enum dbg_reg_id r);
void csi(struct dbg_unit *u, struct dbg_result *res);         /* context synchronization */

static inline bool edm(const struct dbg_unit *u)
{
	return (u->reg[DBG_REG_DBCR0] & DBCR0_EDM) != 0;
}

/* ---- delivery (dbg_deliver.c): the only code that records events and takes interrupts ---- */
bool events_off(const struct dbg_unit *u, uint32_t msr);
bool pending(const struct dbg_unit *u);
uint32_t record(struct dbg_unit *u, struct dbg_result *res, uint32_t bits, bool de);
void take_debug(struct dbg_unit *u, struct dbg_result *res, uint32_t saved);
void take_irq(struct dbg_unit *u, struct dbg_result *res, enum dbg_irq_kind k, uint32_t saved,
	      uint32_t esr);
void halt(struct dbg_unit *u, struct dbg_result *res, uint32_t pc);
void boundary(struct dbg_unit *u, struct dbg_result *res);

/* ---- architectural effects of a completing instruction (dbg_complete.c) ------------------ */
/* Returns false when the instruction reset the core (nothing after it applies). */
bool complete(struct dbg_unit *u, struct dbg_result *res, const struct dbg_insn *in);

/* ---- instruction classes (dbg_classify.c) ------------------------------------------------ */
enum dac_access { DAC_NONE, DAC_READ, DAC_WRITE };
bool is_store(const struct dbg_insn *in);
bool is_csi(enum dbg_insn_kind k);
bool serializes(enum dbg_insn_kind k);
bool is_access(enum dbg_insn_kind k);
bool is_block_op(enum dbg_insn_kind k);
bool is_touch(enum dbg_insn_kind k);
bool is_privileged(enum dbg_insn_kind k);
bool is_return(enum dbg_insn_kind k);
bool hv_only(enum dbg_insn_kind k);
enum dac_access dac_access(const struct dbg_unit *u, const struct dbg_insn *in);
enum dbg_irq_kind fault_irq(enum dbg_fault f);

/* ---- the fast path (dbg_filter.c) --------------------------------------------------------- */
void refresh(struct dbg_unit *u);

/* ---- completion slots (dbg_timing.c) ------------------------------------------------------ */
static inline void result_init(struct dbg_result *res, uint64_t cycle)
{
	dbg_result_clear(res, cycle);
}
bool slot(struct dbg_unit *u, struct dbg_result *res, uint64_t cycle, const struct dbg_insn *in);
void slot_async(struct dbg_unit *u, struct dbg_result *res, uint64_t cycle);
void slot_done(struct dbg_unit *u, const struct dbg_insn *in, const struct dbg_result *res);

#endif
