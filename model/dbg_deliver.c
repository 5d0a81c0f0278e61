/* Delivery: recording events in DBSR, halting for the external debugger, and taking interrupts.
 * The decision ladder in dbg_unit.c decides; only this file changes DBSR for an event, writes save
 * registers or moves the PC to a vector. */
#include "dbg_core.h"

static enum dbg_reg_id ivor_of(enum dbg_irq_kind k)
{
	switch (k) {
	case DBG_IRQ_CRITICAL:      return DBG_REG_IVOR0;
	case DBG_IRQ_MACHINE_CHECK: return DBG_REG_IVOR1;
	case DBG_IRQ_DSI:           return DBG_REG_IVOR2;
	case DBG_IRQ_ISI:           return DBG_REG_IVOR3;
	case DBG_IRQ_EXTERNAL:      return DBG_REG_IVOR4;
	case DBG_IRQ_ALIGNMENT:     return DBG_REG_IVOR5;
	case DBG_IRQ_PROGRAM:       return DBG_REG_IVOR6;
	case DBG_IRQ_SYSCALL:       return DBG_REG_IVOR8;
	case DBG_IRQ_DECREMENTER:   return DBG_REG_IVOR10;
	case DBG_IRQ_FIT:           return DBG_REG_IVOR11;
	case DBG_IRQ_WATCHDOG:      return DBG_REG_IVOR12;
	case DBG_IRQ_DTLB:          return DBG_REG_IVOR13;
	case DBG_IRQ_ITLB:          return DBG_REG_IVOR14;
	case DBG_IRQ_HVPRIV:        return DBG_REG_IVOR41;
	default:                    return DBG_REG_IVOR15;
	}
}

/* Vector = IVPR[32:47] || IVORn[48:59] || 0b0000 (docs/booke-debug.md#interrupts). */
static uint32_t vector(const struct dbg_unit *u, enum dbg_irq_kind k)
{
	return (u->reg[DBG_REG_IVPR] & 0xFFFF0000u) | (u->reg[ivor_of(k)] & 0x0000FFF0u);
}

/* EPCR[DUVD]: no debug events in hypervisor state (option DUVD_SCOPE; #hypervisor). */
bool events_off(const struct dbg_unit *u, uint32_t msr)
{
	if (u->core != DBG_E500MC || !(u->reg[DBG_REG_EPCR] & EPCR_DUVD) || (msr & MSR_GS))
		return false;
	return u->opt.v[DBG_OPT_DUVD_SCOPE] == DBG_DUVD_GS0 || !(msr & MSR_PR);
}

static void push_irq(struct dbg_result *res, enum dbg_irq_kind k, uint32_t vec, uint32_t saved,
		     uint32_t msr)
{
	if (res->nirq < DBG_MAX_IRQS)
		res->irq[res->nirq++] = (struct dbg_taken){ k, vec, saved, msr };
}

/* Record event bits in DBSR (#record). de: MSR[DE] when the event happened. Returns the bits
 * recorded. */
uint32_t record(struct dbg_unit *u, struct dbg_result *res, uint32_t bits, bool de)
{
	if (!edm(u) && !(u->cmp.dbcr0 & DBCR0_IDM) &&
	    u->opt.v[DBG_OPT_DBSR_RECORD_WHEN_IDM0] == DBG_IDM0_NONE_EXCEPT_TRAP) {
		/* Only TRAP occurs regardless of DBCR0[IDM] (option DBSR_RECORD_WHEN_IDM0). */
		if (bits & ~DBSR_TRAP)
			note(u, res, R_IDM0_DROP, bits & ~DBSR_TRAP, 0, 0);
		bits &= DBSR_TRAP;
	}
	if (!bits)
		return 0;
	u->reg[DBG_REG_DBSR] |= bits;
	/* IDE: an event recorded while MSR[DE]=0; external debug mode has no IDE. */
	if (!de && !edm(u)) {
		u->reg[DBG_REG_DBSR] |= DBSR_IDE;
		note(u, res, R_IDE, 0, 0, 0);
	}
	res->events |= bits;
	note(u, res, R_RECORD, bits, u->reg[DBG_REG_DBSR], 0);
	return bits;
}

/* Debug interrupt entry (#delivery): e500v2 critical class (CSRR0/1), e500mc debug class
 * (DSRR0/1); the new MSR keeps only ME. An interrupt is a context synchronization. */
void take_debug(struct dbg_unit *u, struct dbg_result *res, uint32_t saved)
{
	enum dbg_reg_id s0, s1;
	dbg_save_regs(u->core, DBG_IRQ_DEBUG, &s0, &s1);
	uint32_t msr = u->reg[DBG_REG_MSR];
	u->reg[s0] = saved;
	u->reg[s1] = msr;
	u->reg[DBG_REG_MSR] = msr & MSR_ME;
	u->pc = vector(u, DBG_IRQ_DEBUG);
	csi(u, res);
	push_irq(res, DBG_IRQ_DEBUG, u->pc, saved, msr);
	res->action = DBG_ACT_DEBUG;
	u->n_debug_int++;
	u->earliest = res->cycle + 1 + u->opt.v[DBG_OPT_DEBUG_INT_ENTRY_CYCLES];
	note(u, res, R_DEBUG_INT, saved, u->pc, u->core);
}

/* EDM takes precedence over IDM: the core stops for the external debugger (#edm). */
void halt(struct dbg_unit *u, struct dbg_result *res, uint32_t pc)
{
	u->halted = true;
	u->pc = pc;
	res->action = DBG_ACT_HALTED;
	note(u, res, R_HALT, pc, 0, 0);
}

static bool is_critical(enum dbg_irq_kind k)
{
	return k == DBG_IRQ_CRITICAL || k == DBG_IRQ_WATCHDOG;
}

/* The interrupt's own entry: save registers and the new MSR by class (#interrupts). */
static void enter(struct dbg_unit *u, struct dbg_result *res, enum dbg_irq_kind k, uint32_t saved,
		  uint32_t esr, uint32_t vec)
{
	uint32_t msr = u->reg[DBG_REG_MSR];
	enum dbg_reg_id s0, s1;
	dbg_save_regs(u->core, k, &s0, &s1);
	u->reg[s0] = saved;
	u->reg[s1] = msr;
	if (k == DBG_IRQ_MACHINE_CHECK) {
		u->reg[DBG_REG_MSR] = 0;          /* machine check clears ME too */
		note(u, res, R_INT_MCHK, saved, vec, 0);
	} else if (is_critical(k)) {
		/* all critical interrupts clear DE (option E500MC_CRIT_CLEARS_DE on the e500mc) */
		uint32_t keep = MSR_ME;
		if (u->core == DBG_E500MC && !u->opt.v[DBG_OPT_E500MC_CRIT_CLEARS_DE])
			keep |= MSR_DE;
		u->reg[DBG_REG_MSR] = msr & keep;
		note(u, res, R_INT_CRIT, k, saved, vec);
	} else {
		/* non-critical: CE, ME and DE are kept */
		u->reg[DBG_REG_MSR] = msr & (MSR_CE | MSR_ME | MSR_DE);
		if (esr)
			u->reg[DBG_REG_ESR] = esr & legal(u, DBG_REG_ESR);
		note(u, res, R_INT_NONCRIT, k, saved, vec);
	}
}

/* Take a non-debug interrupt with 'saved' as the saved PC. esr: ESR value for program/DSI. The
 * interrupt itself is an event for IRPT/CIRPT, decided in the state it came from (#irpt). */
void take_irq(struct dbg_unit *u, struct dbg_result *res, enum dbg_irq_kind k, uint32_t saved,
	      uint32_t esr)
{
	uint32_t msr = u->reg[DBG_REG_MSR];
	uint32_t vec = vector(u, k);
	enter(u, res, k, saved, esr, vec);
	u->pc = vec;
	csi(u, res);
	push_irq(res, k, vec, saved, msr);
	if (events_off(u, msr))
		return;
	bool de = (u->reg[DBG_REG_MSR] & MSR_DE) != 0;
	uint32_t rec = 0;
	/* IRPT: non-critical interrupts only; the saved PC of the resulting debug interrupt is
	 * this vector. */
	if (!is_critical(k) && k != DBG_IRQ_MACHINE_CHECK && (u->cmp.dbcr0 & DBCR0_IRPT)) {
		note(u, res, R_IRPT, vec, 0, 0);
		rec |= record(u, res, DBSR_IRPT, de);
	}
	/* CIRPT exists only with option HAS_CIRPT_CRET (legal() keeps the bit 0 otherwise). */
	if (is_critical(k) && (u->cmp.dbcr0 & DBCR0_CIRPT)) {
		note(u, res, R_CIRPT, vec, 0, 0);
		rec |= record(u, res, DBSR_CIRPT, de);
	}
	if (rec && edm(u))
		halt(u, res, vec);
}

/* Is a debug interrupt pending at an instruction boundary (level-sensitive, #pending)? */
bool pending(const struct dbg_unit *u)
{
	if (u->halted || edm(u) || !(u->cmp.dbcr0 & DBCR0_IDM) || !(u->reg[DBG_REG_MSR] & MSR_DE))
		return false;
	uint32_t dbsr = u->reg[DBG_REG_DBSR];
	if (u->opt.v[DBG_OPT_PENDING_RULE] == DBG_PENDING_IDE_ONLY)
		return (dbsr & DBSR_IDE) != 0;
	return (dbsr & DBG_EVENT_BITS) != 0;     /* MRR and IDE alone are not events */
}

/* At the boundary after a statement: IDM=1, DE=1 and an event bit set take the interrupt, with the
 * next instruction (or the rfi target, or a vector) as the saved PC (#pending). */
void boundary(struct dbg_unit *u, struct dbg_result *res)
{
	if (!pending(u))
		return;
	note(u, res, R_LEVEL, u->pc, u->reg[DBG_REG_DBSR], 0);
	take_debug(u, res, u->pc);
}
