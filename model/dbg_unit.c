/* The heart of the model: debug events, DBSR recording, and interrupt delivery for e500v2/e500mc.
 *
 * One call handles one statement at an instruction boundary. The order of the checks inside
 * exec_insn() is the e500 exception priority list [E5] 5.11.1 (facts 2.11):
 *   5 pending debug interrupt > 7 TRAP/IAC > 8 ITLB > 9 ISI > 11 Program > 12-14 DTLB/DSI/alignment
 *   > 17 system call > 18 DAC/BRT/ICMP/RET. */
#include "dbg_unit.h"

#include <string.h>

#include "dbg_match.h"
#include "dbg_rules.h"

/* DBCR0 bits that arm an event; with none of them set the fast path applies. */
#define ENABLE_BITS (DBCR0_ICMP | DBCR0_BRT | DBCR0_IRPT | DBCR0_TRAP | DBCR0_IAC1 | DBCR0_IAC2 | \
	DBCR0_DAC1R | DBCR0_DAC1W | DBCR0_DAC2R | DBCR0_DAC2W | DBCR0_RET | DBCR0_CIRPT | DBCR0_CRET)

#define RESET_VECTOR 0xFFFFFFFCu   /* Book E reset: first instruction at the last word */

static void refresh(struct dbg_unit *u);

static void note(struct dbg_unit *u, struct dbg_result *res, enum dbg_rule rule, uint32_t a,
		 uint32_t b, uint32_t c)
{
	if (!u->explain || res->nnotes >= DBG_MAX_NOTES)
		return;
	res->notes[res->nnotes++] = (struct dbg_note){ (uint16_t)rule, a, b, c };
}

bool dbg_reg_exists(enum dbg_core c, enum dbg_reg_id r)
{
	return (dbg_reg_desc[r].cores & (1u << c)) != 0;
}

/* Bits of register r that hold values on this unit's core and options. */
static uint32_t legal(const struct dbg_unit *u, enum dbg_reg_id r)
{
	if (r == DBG_REG_DBSRWR)
		r = DBG_REG_DBSR;                 /* DBSRWR loads DBSR fields */
	uint32_t m = dbg_reg_desc[r].legal[u->core];
	if (u->opt.v[DBG_OPT_HAS_CIRPT_CRET]) {
		if (r == DBG_REG_DBCR0)
			m |= DBCR0_OPT_HAS_CIRPT_CRET;
		if (r == DBG_REG_DBSR)
			m |= DBSR_OPT_HAS_CIRPT_CRET;
	}
	return m;
}

static bool is_debug_ctl(enum dbg_reg_id r)
{
	return r == DBG_REG_DBCR0 || r == DBG_REG_DBCR1 || r == DBG_REG_DBCR2 || r == DBG_REG_DBCR4 ||
	       r == DBG_REG_IAC1 || r == DBG_REG_IAC2 || r == DBG_REG_DAC1 || r == DBG_REG_DAC2;
}

/* Copy one architected debug control register into the comparator view. */
static void cmp_load(struct dbg_unit *u, enum dbg_reg_id r)
{
	uint32_t v = u->reg[r];
	switch (r) {
	case DBG_REG_DBCR0: u->cmp.dbcr0 = v; break;
	case DBG_REG_DBCR1: u->cmp.dbcr1 = v; break;
	case DBG_REG_DBCR2: u->cmp.dbcr2 = v; break;
	case DBG_REG_DBCR4: u->cmp.dbcr4 = v; break;
	case DBG_REG_IAC1:  u->cmp.iac[0] = v; break;
	case DBG_REG_IAC2:  u->cmp.iac[1] = v; break;
	case DBG_REG_DAC1:  u->cmp.dac[0] = v; break;
	case DBG_REG_DAC2:  u->cmp.dac[1] = v; break;
	default: break;
	}
}

/* Context synchronization: the comparators take the architected values (facts 5). */
static void csi(struct dbg_unit *u, struct dbg_result *res)
{
	if (!u->cmp_stale)
		return;
	static const enum dbg_reg_id ctl[] = { DBG_REG_DBCR0, DBG_REG_DBCR1, DBG_REG_DBCR2,
		DBG_REG_DBCR4, DBG_REG_IAC1, DBG_REG_IAC2, DBG_REG_DAC1, DBG_REG_DAC2 };
	for (unsigned i = 0; i < sizeof ctl / sizeof ctl[0]; i++)
		cmp_load(u, ctl[i]);
	u->cmp_stale = false;
	if (res)
		note(u, res, R_CSI, 0, 0, 0);
}

void dbg_init(struct dbg_unit *u, enum dbg_core core)
{
	memset(u, 0, sizeof *u);
	u->core = core;
	dbg_opts_default(&u->opt, core);
	refresh(u);
}

void dbg_set_opts(struct dbg_unit *u, const struct dbg_opts *o)
{
	u->opt = *o;
	refresh(u);
}

void dbg_set(struct dbg_unit *u, enum dbg_reg_id r, uint32_t v)
{
	/* The back door writes flops directly: bits that do not exist stay 0, but DBSR is loaded as
	 * given and DBCR0[EDM] can be set (the external debugger's path, facts 2.1). */
	u->reg[r] = (r == DBG_REG_DBSRWR) ? 0 : v & legal(u, r);
	if (is_debug_ctl(r))
		cmp_load(u, r);
	u->halted = false;
	refresh(u);
}

uint32_t dbg_get(const struct dbg_unit *u, enum dbg_reg_id r)
{
	return u->reg[r];
}

void dbg_set_pc(struct dbg_unit *u, uint32_t pc)
{
	u->pc = pc;
	u->halted = false;
	refresh(u);
}

static uint32_t ivor_spr_reg(enum dbg_irq_kind k)
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

/* Vector = IVPR[32:47] || IVORn[48:59] || 0b0000 [E5] 8.2.3. */
static uint32_t vector(const struct dbg_unit *u, enum dbg_irq_kind k)
{
	return (u->reg[DBG_REG_IVPR] & 0xFFFF0000u) | (u->reg[ivor_spr_reg(k)] & 0x0000FFF0u);
}

/* EPCR[DUVD]: no debug events in hypervisor state (A2 behaviour, options DUVD_SCOPE; facts 6). */
static bool events_off(const struct dbg_unit *u, uint32_t msr)
{
	if (u->core != DBG_E500MC || !(u->reg[DBG_REG_EPCR] & EPCR_DUVD) || (msr & MSR_GS))
		return false;
	return u->opt.v[DBG_OPT_DUVD_SCOPE] == DBG_DUVD_GS0 || !(msr & MSR_PR);
}

static bool edm(const struct dbg_unit *u)
{
	return (u->reg[DBG_REG_DBCR0] & DBCR0_EDM) != 0;
}

static void push_irq(struct dbg_result *res, enum dbg_irq_kind k, uint32_t vec, uint32_t saved,
		     uint32_t msr)
{
	if (res->nirq < DBG_MAX_IRQS)
		res->irq[res->nirq++] = (struct dbg_taken){ k, vec, saved, msr };
}

/* Record event bits in DBSR. de: MSR[DE] when the event happened. Returns the bits recorded. */
static uint32_t record(struct dbg_unit *u, struct dbg_result *res, uint32_t bits, bool de)
{
	if (!edm(u) && !(u->cmp.dbcr0 & DBCR0_IDM) &&
	    u->opt.v[DBG_OPT_DBSR_RECORD_WHEN_IDM0] == DBG_IDM0_NONE_EXCEPT_TRAP) {
		/* E5 8.4.3: only TRAP occurs regardless of DBCR0[IDM] (option DBSR_RECORD_WHEN_IDM0). */
		if (bits & ~DBSR_TRAP)
			note(u, res, R_IDM0_DROP, bits & ~DBSR_TRAP, 0, 0);
		bits &= DBSR_TRAP;
	}
	if (!bits)
		return 0;
	u->reg[DBG_REG_DBSR] |= bits;
	/* IDE: an event recorded while MSR[DE]=0 [E5] p8-7; external debug mode has no IDE. */
	if (!de && !edm(u)) {
		u->reg[DBG_REG_DBSR] |= DBSR_IDE;
		note(u, res, R_IDE, 0, 0, 0);
	}
	res->events |= bits;
	note(u, res, R_RECORD, bits, u->reg[DBG_REG_DBSR], 0);
	return bits;
}

/* Debug interrupt entry: e500v2 critical class (CSRR0/1), e500mc debug class (DSRR0/1); the new MSR
 * keeps only ME [E5] 8.2.3, 8.4.6; [KB]; [H85]; facts 2.10, 4. An interrupt is a CSI. */
static void take_debug(struct dbg_unit *u, struct dbg_result *res, uint32_t saved)
{
	enum dbg_reg_id s0 = u->core == DBG_E500V2 ? DBG_REG_CSRR0 : DBG_REG_DSRR0;
	enum dbg_reg_id s1 = u->core == DBG_E500V2 ? DBG_REG_CSRR1 : DBG_REG_DSRR1;
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

static void halt(struct dbg_unit *u, struct dbg_result *res, uint32_t pc)
{
	/* EDM takes precedence over IDM: the core stops for the external debugger [440] 8.2. */
	u->halted = true;
	u->pc = pc;
	res->action = DBG_ACT_HALTED;
	note(u, res, R_HALT, pc, 0, 0);
}

static bool is_critical(enum dbg_irq_kind k)
{
	return k == DBG_IRQ_CRITICAL || k == DBG_IRQ_WATCHDOG;
}

/* Take a non-debug interrupt with 'saved' as the saved PC. esr: ESR value for program/DSI. */
static void take_irq(struct dbg_unit *u, struct dbg_result *res, enum dbg_irq_kind k, uint32_t saved,
		     uint32_t esr)
{
	uint32_t msr = u->reg[DBG_REG_MSR];
	uint32_t vec = vector(u, k);
	if (k == DBG_IRQ_MACHINE_CHECK) {
		u->reg[DBG_REG_MCSRR0] = saved;
		u->reg[DBG_REG_MCSRR1] = msr;
		u->reg[DBG_REG_MSR] = 0;          /* machine check clears ME too [A2R] */
		note(u, res, R_INT_MCHK, saved, vec, 0);
	} else if (is_critical(k)) {
		/* Critical class: CSRR0/1; all critical interrupts clear DE [E5] 8.4.6. */
		uint32_t keep = MSR_ME;
		if (u->core == DBG_E500MC && !u->opt.v[DBG_OPT_E500MC_CRIT_CLEARS_DE])
			keep |= MSR_DE;
		u->reg[DBG_REG_CSRR0] = saved;
		u->reg[DBG_REG_CSRR1] = msr;
		u->reg[DBG_REG_MSR] = msr & keep;
		note(u, res, R_INT_CRIT, k, saved, vec);
	} else {
		/* Non-critical: SRR0/1, CE, ME and DE are kept [E5] Tables 5-18..5-20; facts 2.10. */
		u->reg[DBG_REG_SRR0] = saved;
		u->reg[DBG_REG_SRR1] = msr;
		u->reg[DBG_REG_MSR] = msr & (MSR_CE | MSR_ME | MSR_DE);
		if (esr)
			u->reg[DBG_REG_ESR] = esr & legal(u, DBG_REG_ESR);
		note(u, res, R_INT_NONCRIT, k, saved, vec);
	}
	u->pc = vec;
	csi(u, res);
	push_irq(res, k, vec, saved, msr);
	if (events_off(u, msr))
		return;
	bool de = (u->reg[DBG_REG_MSR] & MSR_DE) != 0;
	uint32_t rec = 0;
	/* IRPT: non-critical interrupts only [E5] 8.4.6, decided in the state the interrupt came
	 * from; the saved PC of the resulting debug interrupt is this vector. */
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

/* Is a debug interrupt pending at an instruction boundary (level-sensitive, facts 3)? */
static bool pending(const struct dbg_unit *u)
{
	if (u->halted || edm(u) || !(u->cmp.dbcr0 & DBCR0_IDM) || !(u->reg[DBG_REG_MSR] & MSR_DE))
		return false;
	uint32_t dbsr = u->reg[DBG_REG_DBSR];
	if (u->opt.v[DBG_OPT_PENDING_RULE] == DBG_PENDING_IDE_ONLY)
		return (dbsr & DBSR_IDE) != 0;
	return (dbsr & DBG_EVENT_BITS) != 0;     /* MRR and IDE alone are not events */
}

/* At the boundary after a statement: IDM=1, DE=1 and an event bit set take the interrupt, with the
 * next instruction (or the rfi target, or a vector) as the saved PC [E5] p8-7; facts 2.2, 5. */
static void boundary(struct dbg_unit *u, struct dbg_result *res)
{
	if (!pending(u))
		return;
	note(u, res, R_LEVEL, u->pc, u->reg[DBG_REG_DBSR], 0);
	take_debug(u, res, u->pc);
}

static void reset(struct dbg_unit *u, struct dbg_result *res, uint32_t rst)
{
	/* DBCR0[RST] != 0 requests a reset; DBSR[MRR] records its kind (option RST_ENCODING). */
	memset(u->reg, 0, sizeof u->reg);
	memset(&u->cmp, 0, sizeof u->cmp);
	u->cmp_stale = false;
	u->reg[DBG_REG_DBSR] = (rst << DBSR_MRR_SHIFT) & DBSR_MRR;
	u->pc = RESET_VECTOR;
	u->halted = false;
	push_irq(res, DBG_IRQ_RESET, RESET_VECTOR, 0, 0);
	note(u, res, R_RESET, rst, 0, 0);
}

/* Software mtspr: W1C for DBSR, EDM kept, fields legalized, the comparators per DEBUG_SPR_WINDOW. */
static void mtspr(struct dbg_unit *u, struct dbg_result *res, int r, uint32_t v)
{
	if (r < 0 || !dbg_reg_exists(u->core, (enum dbg_reg_id)r)) {
		note(u, res, R_UNIMPL, (uint32_t)r, 0, 0);   /* reads 0, writes ignored */
		return;
	}
	uint32_t m = legal(u, (enum dbg_reg_id)r);
	uint32_t old = u->reg[r];
	switch (r) {
	case DBG_REG_DBSR:
		/* Write-1-to-clear [E5] Table 8-1 "Read/Clear"; [KE]. */
		u->reg[r] = old & ~v;
		note(u, res, R_W1C, old, u->reg[r], 0);
		return;
	case DBG_REG_DBSRWR:
		/* e500mc DBSRWR writes DBSR contents directly (option DBSRWR_MODE, facts 3). */
		old = u->reg[DBG_REG_DBSR];
		if (u->opt.v[DBG_OPT_DBSRWR_MODE] == DBG_DBSRWR_REPLACE)
			u->reg[DBG_REG_DBSR] = v & m;
		else
			u->reg[DBG_REG_DBSR] |= v & m;
		note(u, res, R_DBSRWR, old, u->reg[DBG_REG_DBSR], 0);
		return;
	case DBG_REG_DBCR0: {
		uint32_t sw = v & m;
		if ((sw ^ old) & DBCR0_SWRO)
			note(u, res, R_EDM_SW, 0, 0, 0);
		sw = (sw & ~DBCR0_SWRO) | (old & DBCR0_SWRO);
		uint32_t rst = (sw & DBCR0_RST) >> DBCR0_RST_SHIFT;
		if (rst && u->opt.v[DBG_OPT_RST_ENCODING] == DBG_RST_ANY_NONZERO) {
			reset(u, res, rst);
			return;
		}
		u->reg[r] = sw;
		break;
	}
	default:
		u->reg[r] = v & m;
		break;
	}
	if (u->reg[r] != v && r != DBG_REG_DBCR0)
		note(u, res, R_LEGALIZE, (uint32_t)r, v, u->reg[r]);
	if (is_debug_ctl((enum dbg_reg_id)r)) {
		if (u->opt.v[DBG_OPT_DEBUG_SPR_WINDOW] == DBG_WINDOW_IMMEDIATE) {
			cmp_load(u, (enum dbg_reg_id)r);
		} else {
			u->cmp_stale = true;
			note(u, res, R_WINDOW, (uint32_t)r, 0, 0);
		}
	}
}

/* An MSR load by mtmsr or a return. In guest state GS stays 1 and MSRP[DEP]=1 keeps DE (A2
 * behaviour, KVM relies on it; facts 6). */
static void write_msr(struct dbg_unit *u, struct dbg_result *res, uint32_t v)
{
	uint32_t old = u->reg[DBG_REG_MSR];
	uint32_t nv = v & legal(u, DBG_REG_MSR);
	if (u->core == DBG_E500MC && (old & MSR_GS)) {
		nv |= MSR_GS;
		if ((u->reg[DBG_REG_MSRP] & MSRP_DEP) && ((nv ^ old) & MSR_DE)) {
			nv = (nv & ~MSR_DE) | (old & MSR_DE);
			note(u, res, R_DEP, 0, 0, 0);
		}
	}
	u->reg[DBG_REG_MSR] = nv;
}

static bool is_store(const struct dbg_insn *in)
{
	return in->kind == DBG_I_STORE || in->kind == DBG_I_STMW ||
	       (in->kind == DBG_I_STWCX && !(in->flags & DBG_INSN_FAIL));
}

static bool is_csi(enum dbg_insn_kind k)
{
	return k == DBG_I_ISYNC || k == DBG_I_SC || k == DBG_I_RFI || k == DBG_I_RFCI ||
	       k == DBG_I_RFDI;
}

/* Instructions after which CQ1 is invalid in the same cycle: refetch-serialized ones and anything
 * that changes MSR[DE] or a debug control register (facts 5a.2). */
static bool serializes(enum dbg_insn_kind k)
{
	return is_csi(k) || k == DBG_I_MTMSR || k == DBG_I_MTSPR;
}

static bool is_access(enum dbg_insn_kind k)
{
	return k >= DBG_I_LOAD && k <= DBG_I_DCBST;
}

static bool privileged(enum dbg_insn_kind k)
{
	return k == DBG_I_MTSPR || k == DBG_I_MFSPR || k == DBG_I_MTMSR || k == DBG_I_RFI ||
	       k == DBG_I_RFCI || k == DBG_I_RFDI;
}

/* DAC classification of an instruction: 0 none, 1 read, 2 write (facts 2.6, DAC_CACHEOP_CLASS). */
static int dac_class(const struct dbg_unit *u, const struct dbg_insn *in)
{
	switch (in->kind) {
	case DBG_I_LOAD: case DBG_I_LMW: case DBG_I_LWARX:
	case DBG_I_DCBT: case DBG_I_DCBTST: case DBG_I_ICBT: case DBG_I_ICBI:
		return 1;                          /* [E5] p8-9 */
	case DBG_I_STORE: case DBG_I_STMW:
		return 2;
	case DBG_I_STWCX:
		return (in->flags & DBG_INSN_FAIL) && !u->opt.v[DBG_OPT_DAC_STWCX_FAILED_MATCHES] ? 0 : 2;
	case DBG_I_DCBA:
		if (u->opt.v[DBG_OPT_DAC_CACHEOP_CLASS] == DBG_CACHEOP_PPC440)
			return 0;
		if ((in->flags & DBG_INSN_NOOP) && !u->opt.v[DBG_OPT_DAC_DCBA_NOOP_MATCHES])
			return 0;
		return 2;
	case DBG_I_DCBZ: case DBG_I_DCBI: case DBG_I_DCBF: case DBG_I_DCBST:
		return 2;
	default:
		return 0;
	}
}

static bool is_block_op(enum dbg_insn_kind k)
{
	return k >= DBG_I_DCBT && k <= DBG_I_DCBST;
}

/* DAC events of an instruction, access by access. A multi-access instruction is compared per
 * access; when the debug interrupt is taken at once the first hitting access stops it, leaving
 * the earlier ones performed (E5 p8-11 "partially executed"). */
static uint32_t dac_hits(struct dbg_unit *u, struct dbg_result *res, const struct dbg_insn *in,
			 uint32_t msr, bool stop_at_first)
{
	int cls = dac_class(u, in);
	if (!cls)
		return 0;
	bool w = cls == 2, block = is_block_op(in->kind);
	uint32_t hits = 0;
	if (in->kind == DBG_I_LMW || in->kind == DBG_I_STMW) {
		for (uint32_t i = 0; i < in->size; i++) {
			uint32_t ea = in->ea + 4 * i;
			uint32_t h = dbg_dac_match(&u->cmp, &u->opt, u->core, ea, 4, w, msr, false);
			if (h)
				note(u, res, R_DAC_HIT, h, ea, 4);
			hits |= h;
			if (h && stop_at_first)
				break;
		}
		return hits;
	}
	uint32_t size = block ? 32 : (in->kind == DBG_I_LOAD || in->kind == DBG_I_STORE) ? in->size : 4;
	uint32_t ea = in->ea;
	/* A scalar access that crosses a doubleword is performed as two pieces (facts 2.6). */
	uint32_t first = size;
	if (!block && ((ea & 7u) + size) > 8u)
		first = 8u - (ea & 7u);
	uint32_t h = dbg_dac_match(&u->cmp, &u->opt, u->core, ea, first, w, msr, block);
	if (h)
		note(u, res, R_DAC_HIT, h, ea, first);
	hits |= h;
	if (first < size && !(h && stop_at_first)) {
		h = dbg_dac_match(&u->cmp, &u->opt, u->core, ea + first, size - first, w, msr, false);
		if (h)
			note(u, res, R_DAC_HIT, h, ea + first, size - first);
		hits |= h;
	}
	return hits;
}

static enum dbg_irq_kind fault_irq(enum dbg_fault f)
{
	switch (f) {
	case DBG_F_ITLB: return DBG_IRQ_ITLB;
	case DBG_F_ISI: return DBG_IRQ_ISI;
	case DBG_F_PROGRAM: return DBG_IRQ_PROGRAM;
	case DBG_F_DTLB: return DBG_IRQ_DTLB;
	case DBG_F_DSI: return DBG_IRQ_DSI;
	case DBG_F_ALIGNMENT: return DBG_IRQ_ALIGNMENT;
	default: return DBG_IRQ_NONE;
	}
}

/* Guest-state instructions the hypervisor must see: debug SPR access, rfci, rfdi (facts 6). */
static bool hv_only(const struct dbg_insn *in)
{
	return in->kind == DBG_I_MTSPR || in->kind == DBG_I_MFSPR || in->kind == DBG_I_RFCI ||
	       in->kind == DBG_I_RFDI;
}

/* Record a suppress-class event group and deliver it: halt, interrupt now, or let the instruction
 * go on (DE=0 / IDM=0). Returns true if the instruction stops here. */
static bool deliver_before(struct dbg_unit *u, struct dbg_result *res, uint32_t hit, bool de,
			   uint32_t pc, uint32_t *recorded)
{
	uint32_t rec = record(u, res, hit, de);
	*recorded |= rec;
	if (!rec)
		return false;
	if (edm(u)) {
		halt(u, res, pc);
		return true;
	}
	if ((u->cmp.dbcr0 & DBCR0_IDM) && de) {
		note(u, res, R_SUPPRESS, 0, 0, 0);
		take_debug(u, res, pc);    /* saved PC = the instruction itself [E5] Table 8-2 */
		return true;
	}
	return false;
}

/* The instruction completes: its architectural effect. */
static void complete(struct dbg_unit *u, struct dbg_result *res, const struct dbg_insn *in)
{
	uint32_t next = in->pc + 4;
	switch (in->kind) {
	case DBG_I_BRANCH:
		next = in->target;
		break;
	case DBG_I_RFI:
		next = u->reg[DBG_REG_SRR0];
		write_msr(u, res, u->reg[DBG_REG_SRR1]);
		break;
	case DBG_I_RFCI:
		next = u->reg[DBG_REG_CSRR0];
		write_msr(u, res, u->reg[DBG_REG_CSRR1]);
		break;
	case DBG_I_RFDI:
		next = u->reg[DBG_REG_DSRR0];
		write_msr(u, res, u->reg[DBG_REG_DSRR1]);
		break;
	case DBG_I_MTSPR:
		u->pc = next;
		mtspr(u, res, in->reg, in->value);
		if (res->nirq && res->irq[res->nirq - 1].kind == DBG_IRQ_RESET)
			return;
		break;
	case DBG_I_MFSPR:
		res->value = (in->reg >= 0 && dbg_reg_exists(u->core, (enum dbg_reg_id)in->reg))
			? u->reg[in->reg] : 0;
		if (in->reg == DBG_REG_DBSRWR)
			res->value = 0;        /* write-only */
		break;
	case DBG_I_MTMSR:
		write_msr(u, res, in->value);
		break;
	default:
		break;
	}
	u->pc = next;
}

static void exec_insn(struct dbg_unit *u, const struct dbg_insn *in, struct dbg_result *res)
{
	uint32_t msr = u->reg[DBG_REG_MSR];
	bool de = (msr & MSR_DE) != 0;
	bool off = events_off(u, msr);
	if (off)
		note(u, res, R_DUVD, 0, 0, 0);
	/* A CSI sees the new debug register values (DEBUG_SPR_WINDOW=NEW_AT_CSI, facts 5). */
	if (is_csi(in->kind))
		csi(u, res);
	uint32_t c0 = u->cmp.dbcr0;
	uint32_t grp_a = 0, rec = 0;

	/* Priority 7: TRAP and IAC. */
	if (!off) {
		uint32_t iac = dbg_iac_match(&u->cmp, &u->opt, in->pc, msr, de);
		if (iac)
			note(u, res, R_IAC_HIT, iac, in->pc, (u->cmp.dbcr1 & DBCR1_IAC12M) >> DBCR1_IAC12M_SHIFT);
		uint32_t tr = (in->kind == DBG_I_TRAP && (c0 & DBCR0_TRAP)) ? DBSR_TRAP : 0;
		if (tr)
			note(u, res, R_TRAP_HIT, 0, 0, 0);
		if ((iac | tr) && deliver_before(u, res, iac | tr, de, in->pc, &grp_a))
			return;
	}
	if (in->kind == DBG_I_TRAP) {
		/* Not handled as a debug interrupt: Program (trap) [E5] 8.4.3, [KB], [A2R]; facts 2.7. */
		note(u, res, R_TRAP_PROGRAM, 0, 0, 0);
		take_irq(u, res, DBG_IRQ_PROGRAM, in->pc, ESR_PTR);
		boundary(u, res);
		return;
	}
	/* Priorities 8, 9, 11: instruction-side exceptions. */
	if (in->fault == DBG_F_ITLB || in->fault == DBG_F_ISI || in->fault == DBG_F_PROGRAM) {
		note(u, res, R_FAULT_FIRST, fault_irq(in->fault), 0, 0);
		take_irq(u, res, fault_irq(in->fault), in->pc, in->fault == DBG_F_PROGRAM ? ESR_PIL : 0);
		boundary(u, res);
		return;
	}
	if (privileged(in->kind) && (msr & MSR_PR)) {
		note(u, res, R_PRIV, 0, 0, 0);
		take_irq(u, res, DBG_IRQ_PROGRAM, in->pc, ESR_PPR);
		boundary(u, res);
		return;
	}
	if (u->core == DBG_E500MC && (msr & MSR_GS) && hv_only(in)) {
		note(u, res, R_HVPRIV, 0, 0, 0);
		take_irq(u, res, DBG_IRQ_HVPRIV, in->pc, 0);
		boundary(u, res);
		return;
	}
	if (in->kind == DBG_I_RFDI && u->core == DBG_E500V2) {
		/* e500v2 has no E.ED: rfdi is an illegal instruction (facts 4). */
		note(u, res, R_ILLEGAL, in->kind, 0, 0);
		take_irq(u, res, DBG_IRQ_PROGRAM, in->pc, ESR_PIL);
		boundary(u, res);
		return;
	}
	/* Priorities 12-14 beat DAC (18): the access faults and no DAC is recorded [E5] 5.11. */
	if (is_access(in->kind) && in->fault != DBG_F_NONE) {
		note(u, res, R_DATA_FAULT_WINS, fault_irq(in->fault), 0, 0);
		take_irq(u, res, fault_irq(in->fault), in->pc,
			 dac_class(u, in) == 2 ? ESR_ST : 0);
		boundary(u, res);
		return;
	}
	/* Priority 18, before execution: DAC, BRT, and RET where the rfi is suppressed. */
	bool lower = !(grp_a && u->opt.v[DBG_OPT_DBSR_MULTI_EVENT] == DBG_MULTI_HIGHEST_GROUP);
	if (grp_a && !lower && u->explain) {
		/* Narrate only when a lower-priority event really was dropped (no side effects). */
		u->explain = false;
		uint32_t would = dac_hits(u, res, in, msr, false);
		u->explain = true;
		if (in->kind == DBG_I_BRANCH && (c0 & DBCR0_BRT) && de)
			would |= DBSR_BRT;
		if (would)
			note(u, res, R_MULTI_DROP, would, 0, 0);
	}
	if (!off && lower) {
		bool now = edm(u) || ((c0 & DBCR0_IDM) && de);
		uint32_t hit = dac_hits(u, res, in, msr, now);
		if (in->kind == DBG_I_BRANCH && (c0 & DBCR0_BRT)) {
			/* BRT only with DE=1 and stops on the branch itself [E5] 8.4.4, [TR]. */
			if (de || edm(u)) {
				note(u, res, R_BRT, 0, 0, 0);
				hit |= DBSR_BRT;
			} else {
				note(u, res, R_NOT_DE0, DBSR_BRT, 0, 0);
			}
		}
		if (in->kind == DBG_I_RFI && (c0 & DBCR0_RET) &&
		    u->opt.v[DBG_OPT_RET_SAVED_PC] == DBG_RET_RFI_ADDRESS) {
			note(u, res, R_RET_SUPPRESS, 0, 0, 0);
			hit |= DBSR_RET;
		}
		if (hit && deliver_before(u, res, hit, de, in->pc, &rec))
			return;
	}

	complete(u, res, in);
	if (res->nirq && res->irq[res->nirq - 1].kind == DBG_IRQ_RESET)
		return;

	/* Priority 18, after completion: e500 RET (rfi executed) and ICMP. */
	if (!off && lower) {
		uint32_t hit = 0;
		bool ret_fam = in->kind == DBG_I_RFI || in->kind == DBG_I_RFCI || in->kind == DBG_I_RFDI;
		if (in->kind == DBG_I_RFI && (c0 & DBCR0_RET) &&
		    u->opt.v[DBG_OPT_RET_SAVED_PC] == DBG_RET_RETURN_TARGET) {
			note(u, res, R_RET_TARGET, 0, 0, 0);
			hit |= DBSR_RET;
		}
		if (in->kind == DBG_I_RFCI && (c0 & DBCR0_RET)) {
			/* RET for rfci is not logged while DE=0 [E5] 8.2.4 (option RET_ON_RFCI). */
			if (u->opt.v[DBG_OPT_RET_ON_RFCI] && de)
				hit |= DBSR_RET;
			else
				note(u, res, R_RET_RFCI_DROP, 0, 0, 0);
		}
		if (in->kind == DBG_I_RFCI && (c0 & DBCR0_CRET))
			hit |= DBSR_CRET;
		if ((c0 & DBCR0_ICMP) && !(ret_fam && u->opt.v[DBG_OPT_ICMP_EXCLUDES] == DBG_ICMPX_RETURNS)) {
			bool de_now = (u->reg[DBG_REG_MSR] & MSR_DE) != 0;
			if (!de && !edm(u)) {
				note(u, res, R_NOT_DE0, DBSR_ICMP, 0, 0);   /* [E5] 8.4.5 */
			} else if (!de_now && !edm(u) &&
				   u->opt.v[DBG_OPT_ICMP_WHEN_INSN_CLEARS_DE] == DBG_ICMPDE_NOT_RECORDED) {
				note(u, res, R_NOT_DE0, DBSR_ICMP, 0, 0);
			} else {
				note(u, res, de_now || edm(u) ? R_ICMP : R_ICMP_DEFER, 0, 0, 0);
				hit |= DBSR_ICMP;
			}
		}
		if (hit) {
			uint32_t r = record(u, res, hit, de);
			if (r && edm(u)) {
				halt(u, res, u->pc);
				return;
			}
		}
	}
	/* sc completes, then the System Call interrupt; an ICMP on it lands in the handler [E5] 8.4.5. */
	if (in->kind == DBG_I_SC)
		take_irq(u, res, DBG_IRQ_SYSCALL, u->pc, 0);
	boundary(u, res);
}

static void result_init(struct dbg_result *res, uint64_t cycle)
{
	res->cycle = cycle;
	res->events = 0;
	res->value = 0;
	res->action = DBG_ACT_NONE;
	res->slip = DBG_SLIP_NONE;
	res->nirq = 0;
	res->nnotes = 0;
}

/* Place an instruction in a completion slot: at most two per cycle, in order; the younger one is
 * squashed by an interrupt on the older, and waits a cycle behind a serializing instruction or a
 * second store (facts 5a.1, 5a.2). Returns false if squashed. */
static bool slot(struct dbg_unit *u, struct dbg_result *res, uint64_t cycle,
		 const struct dbg_insn *in)
{
	if (!u->started || cycle > u->cycle) {
		if (cycle < u->earliest) {
			cycle = u->earliest;
			res->slip = DBG_SLIP_ENTRY;
		}
		u->started = true;
		u->cycle = cycle;
		u->slots = 0;
		u->cq0_interrupted = false;
	} else {
		if (u->cq0_interrupted) {
			res->action = DBG_ACT_SQUASHED;
			note(u, res, R_SQUASH, 0, 0, 0);
			return false;
		}
		enum dbg_slip why = DBG_SLIP_NONE;
		if (u->slots >= 2)
			why = DBG_SLIP_WIDTH;
		else if (u->cq0_serializes)
			why = DBG_SLIP_SERIALIZE;
		else if (u->cq0_store && in && is_store(in))
			why = DBG_SLIP_STORE;
		if (why != DBG_SLIP_NONE) {
			res->slip = why;
			u->cycle++;
			u->slots = 0;
			note(u, res, R_SLIP, (uint32_t)u->cycle, why, 0);
		}
	}
	res->cycle = u->cycle;
	return true;
}

/* Recompute the fast-path filter. The filter answers "can this simple instruction raise or deliver
 * anything?" with an exact "no" or a "maybe" that sends it down the full path; it is what keeps the
 * model near the cost of a plain loop when nothing matches (Spike's trigger_updated idea). */
#define SIMPLE_KINDS ((1u << DBG_I_NOP) | (1u << DBG_I_LOAD) | (1u << DBG_I_STORE) | \
	(1u << DBG_I_BRANCH) | (1u << DBG_I_BRANCH_NT))

static void refresh(struct dbg_unit *u)
{
	struct dbg_filter *f = &u->flt;
	uint32_t en = u->cmp.dbcr0 & ENABLE_BITS;
	bool pair = u->opt.v[DBG_OPT_PAIR_MODES] == DBG_PAIR_IMPLEMENTED;
	memset(f, 0, sizeof *f);
	if (u->halted || edm(u) || pending(u) || (en & DBCR0_ICMP))
		return;                                  /* everything takes the full path */
	uint32_t kinds = SIMPLE_KINDS;
	if (en & DBCR0_BRT)
		kinds &= ~(1u << DBG_I_BRANCH);
	if (en & (DBCR0_IAC1 | DBCR0_IAC2)) {
		if (pair && (u->cmp.dbcr1 & DBCR1_IAC12M))
			return;
		f->iac_mask = u->opt.v[DBG_OPT_IAC_IGNORE_LOW2] ? ~3u : ~0u;
		uint32_t a = u->cmp.iac[0], b = u->cmp.iac[1];
		if (!(en & DBCR0_IAC1))
			a = b;
		if (!(en & DBCR0_IAC2))
			b = a;
		f->iac[0] = a & f->iac_mask;
		f->iac[1] = b & f->iac_mask;
	}
	uint32_t dr = en & (DBCR0_DAC1R | DBCR0_DAC2R), dw = en & (DBCR0_DAC1W | DBCR0_DAC2W);
	if (dr | dw) {
		if ((pair && (u->cmp.dbcr2 & DBCR2_DAC12M)) || u->opt.v[DBG_OPT_DAC_MATCH_ANY_BYTE] ||
		    (u->core == DBG_E500MC && u->cmp.dbcr4))
			return;
		const uint32_t both[2] = { DBCR0_DAC1R | DBCR0_DAC1W, DBCR0_DAC2R | DBCR0_DAC2W };
		for (int w = 0; w < 2; w++) {
			uint32_t e = w ? dw : dr;
			if (!e)
				continue;
			uint32_t a = u->cmp.dac[0], b = u->cmp.dac[1];
			if (!(e & both[0]))
				a = b;
			if (!(e & both[1]))
				b = a;
			f->dac[w][0] = a;
			f->dac[w][1] = b;
			f->dac_kinds |= 1u << (w ? DBG_I_STORE : DBG_I_LOAD);
		}
	}
	f->fast_kinds = kinds;
}

/* Exact "no event possible" for a simple instruction the filter lets through. */
static inline bool fast_ok(const struct dbg_filter *f, const struct dbg_insn *in, uint32_t kb)
{
	if (f->iac_mask) {
		uint32_t a = in->pc & f->iac_mask;
		if (a == f->iac[0] || a == f->iac[1])
			return false;
	}
	if (kb & f->dac_kinds) {
		const uint32_t *v = f->dac[in->kind == DBG_I_STORE];
		if (((in->ea & 7u) + in->size) > 8u || in->ea == v[0] || in->ea == v[1])
			return false;   /* a split access or a possible hit: compare in the full path */
	}
	return true;
}


/* Everything but the fast path, out of line so that the fast path saves no registers. */
__attribute__((noinline)) static void exec_full(struct dbg_unit *u, uint64_t cycle,
						 const struct dbg_insn *in, struct dbg_result *res)
{
	result_init(res, cycle);
	if (!slot(u, res, cycle, in)) {
		res->dbsr = u->reg[DBG_REG_DBSR];
		return;
	}
	if (u->halted) {
		res->action = DBG_ACT_IDLE;
		note(u, res, R_IDLE, 0, 0, 0);
		res->dbsr = u->reg[DBG_REG_DBSR];
		return;
	}
	u->n_exec++;
	if (pending(u)) {
		/* Priority 5: a pending debug interrupt is taken before the instruction [E5] 5.11.1. */
		note(u, res, R_PENDING_FIRST, u->reg[DBG_REG_DBSR], 0, 0);
		take_debug(u, res, in->pc);
	} else {
		exec_insn(u, in, res);
	}
	u->slots++;
	u->cq0_serializes = serializes(in->kind);
	u->cq0_store = is_store(in);
	u->cq0_interrupted = res->nirq > 0 || u->halted;
	res->dbsr = u->reg[DBG_REG_DBSR];
	refresh(u);
}


void dbg_exec(struct dbg_unit *u, uint64_t cycle, const struct dbg_insn *in, struct dbg_result *res)
{
	/* Fast path: a simple instruction alone in a new cycle that can raise nothing. */
	uint32_t kb = 1u << in->kind;
	if ((kb & u->flt.fast_kinds) && in->fault == DBG_F_NONE && cycle > u->cycle &&
	    cycle >= u->earliest && !u->explain && fast_ok(&u->flt, in, kb)) {
		u->started = true;
		u->cycle = cycle;
		u->slots = 1;
		u->cq0_serializes = false;
		u->cq0_store = in->kind == DBG_I_STORE;
		u->cq0_interrupted = false;
		u->pc = in->kind == DBG_I_BRANCH ? in->target : in->pc + 4;
		u->n_exec++;
		result_init(res, cycle);
		res->dbsr = u->reg[DBG_REG_DBSR];
		return;
	}
	exec_full(u, cycle, in, res);
}

void dbg_irq(struct dbg_unit *u, uint64_t cycle, enum dbg_irq_kind kind, struct dbg_result *res)
{
	result_init(res, cycle);
	if (cycle > u->cycle || !u->started) {
		u->started = true;
		u->cycle = cycle;
		u->slots = 0;
	}
	res->cycle = u->cycle;
	if (u->halted) {
		res->action = DBG_ACT_IDLE;
		note(u, res, R_IDLE, 0, 0, 0);
	} else {
		take_irq(u, res, kind, u->pc, 0);
		boundary(u, res);
		u->cq0_interrupted = true;
	}
	res->dbsr = u->reg[DBG_REG_DBSR];
	refresh(u);
}

void dbg_ude(struct dbg_unit *u, uint64_t cycle, struct dbg_result *res)
{
	result_init(res, cycle);
	if (cycle > u->cycle || !u->started) {
		u->started = true;
		u->cycle = cycle;
		u->slots = 0;
	}
	res->cycle = u->cycle;
	if (u->halted) {
		res->action = DBG_ACT_IDLE;
		note(u, res, R_IDLE, 0, 0, 0);
		res->dbsr = u->reg[DBG_REG_DBSR];
		return;
	}
	uint32_t msr = u->reg[DBG_REG_MSR];
	if (events_off(u, msr) && u->opt.v[DBG_OPT_DUVD_BLOCKS_UDE]) {
		note(u, res, R_DUVD, 0, 0, 0);
	} else {
		/* UDE: no enable bit; recorded with IDE when DE=0; saved PC = the next instruction
		 * [E5] 8.4.8. */
		note(u, res, R_UDE, 0, 0, 0);
		uint32_t r = record(u, res, DBSR_UDE, (msr & MSR_DE) != 0);
		if (r && edm(u))
			halt(u, res, u->pc);
		else
			boundary(u, res);
		if (res->nirq)
			u->cq0_interrupted = true;
	}
	res->dbsr = u->reg[DBG_REG_DBSR];
	refresh(u);
}
