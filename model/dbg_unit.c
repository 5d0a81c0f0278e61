/* The heart of the model: one statement at an instruction boundary.
 *
 * An instruction climbs a ladder of rungs in the e500's exception priority order
 * (docs/booke-debug.md#priority): 5 a pending debug interrupt, 7 TRAP/IAC, 8 and 9 instruction
 * fetch, 11 program (a trap, a privileged or illegal instruction), 12-14 data-side exceptions,
 * 18 DAC/BRT/RET before execution; then it completes, and 18 RET, CRET and ICMP after completion,
 * then the system call. Each rung only decides: it reads the unit
 * and returns a struct step (and narrates into the result it is given, or stays silent with NULL).
 * deliver() is the one place a step changes the unit; boundary() runs once, at the end. */
#include "dbg_core.h"

#include "dbg_match.h"

void note(const struct dbg_unit *u, struct dbg_result *to, enum dbg_rule rule, uint32_t a,
	  uint32_t b, uint32_t c)
{
	if (!to || !u->explain || to->nnotes >= DBG_MAX_NOTES)
		return;
	to->notes[to->nnotes++] = (struct dbg_note){ (uint16_t)rule, a, b, c };
}

/* What one rung decided. */
enum step_kind {
	STEP_NONE,        /* nothing at this priority: the instruction goes on */
	STEP_DEBUG,       /* a pending debug interrupt is taken before the instruction */
	STEP_EVENTS,      /* debug events: record them; halt, or (before execution) interrupt now */
	STEP_EXCEPTION,   /* another interrupt replaces the instruction (or follows it: sc) */
};

struct step {
	enum step_kind kind;
	uint32_t at;              /* the saved PC, or the PC the external debugger sees */
	uint32_t events;          /* STEP_EVENTS: DBSR bits */
	bool before;              /* STEP_EVENTS: recognized before execution, so it can suppress it */
	bool first_group;         /* STEP_EVENTS: the TRAP/IAC group (option DBSR_MULTI_EVENT) */
	enum dbg_irq_kind irq;    /* STEP_EXCEPTION */
	uint32_t esr;
};

/* The state an instruction is attempted in, fixed before any rung runs, and what delivery did. */
struct attempt {
	const struct dbg_insn *in;
	uint32_t msr;             /* MSR when the instruction was attempted */
	bool de;                  /* its MSR[DE] */
	bool off;                 /* EPCR[DUVD] disables debug events here */
	uint32_t c0;              /* DBCR0 as the comparators see it */
	uint32_t first;           /* events of the TRAP/IAC group that were recorded */
};

static struct step none(void)
{
	return (struct step){ .kind = STEP_NONE };
}

static struct step exception(enum dbg_irq_kind k, uint32_t at, uint32_t esr)
{
	return (struct step){ .kind = STEP_EXCEPTION, .at = at, .irq = k, .esr = esr };
}

static struct step events(uint32_t bits, uint32_t at, bool before, bool first_group)
{
	if (!bits)
		return none();
	return (struct step){ .kind = STEP_EVENTS, .at = at, .events = bits, .before = before,
			      .first_group = first_group };
}

/* ---- detection: the rungs ---------------------------------------------------------------- */

/* Priority 5: an event still set in DBSR with IDM=1 and DE=1 is taken first (#pending). */
static struct step rung_pending(const struct dbg_unit *u, const struct attempt *a,
				struct dbg_result *narrate)
{
	if (!pending(u))
		return none();
	note(u, narrate, R_PENDING_FIRST, u->reg[DBG_REG_DBSR], 0, 0);
	return (struct step){ .kind = STEP_DEBUG, .at = a->in->pc };
}

/* Priority 7: IAC (#iac) and TRAP (#trap), stopping the instruction before it executes. */
static struct step rung_iac_trap(const struct dbg_unit *u, const struct attempt *a,
				 struct dbg_result *narrate)
{
	if (a->off)
		return none();
	const struct dbg_insn *in = a->in;
	uint32_t iac = dbg_iac_match(&u->cmp, &u->opt, in->pc, a->msr, a->de);
	if (iac)
		note(u, narrate, R_IAC_HIT, iac, in->pc,
		     (u->cmp.dbcr1 & DBCR1_IAC12M) >> DBCR1_IAC12M_SHIFT);
	uint32_t trap = (in->kind == DBG_I_TRAP && (a->c0 & DBCR0_TRAP)) ? DBSR_TRAP : 0;
	if (trap)
		note(u, narrate, R_TRAP_HIT, 0, 0, 0);
	return events(iac | trap, in->pc, true, true);
}

/* A trap not taken as a debug interrupt is a Program interrupt (#trap). */
static struct step rung_trap_program(const struct dbg_unit *u, const struct attempt *a,
				     struct dbg_result *narrate)
{
	if (a->in->kind != DBG_I_TRAP)
		return none();
	note(u, narrate, R_TRAP_PROGRAM, 0, 0, 0);
	return exception(DBG_IRQ_PROGRAM, a->in->pc, ESR_PTR);
}

/* Priorities 8, 9, 11: instruction TLB miss, instruction storage, program (#priority). */
static struct step rung_insn_fault(const struct dbg_unit *u, const struct attempt *a,
				   struct dbg_result *narrate)
{
	enum dbg_fault f = a->in->fault;
	if (f != DBG_F_ITLB && f != DBG_F_ISI && f != DBG_F_PROGRAM)
		return none();
	note(u, narrate, R_FAULT_FIRST, fault_irq(f), 0, 0);
	return exception(fault_irq(f), a->in->pc, f == DBG_F_PROGRAM ? ESR_PIL : 0);
}

/* A privileged instruction in user state (#priority). */
static struct step rung_privileged(const struct dbg_unit *u, const struct attempt *a,
				   struct dbg_result *narrate)
{
	if (!is_privileged(a->in->kind) || !(a->msr & MSR_PR))
		return none();
	note(u, narrate, R_PRIV, 0, 0, 0);
	return exception(DBG_IRQ_PROGRAM, a->in->pc, ESR_PPR);
}

/* A guest touching a hypervisor resource (#hypervisor). */
static struct step rung_hv_privileged(const struct dbg_unit *u, const struct attempt *a,
				      struct dbg_result *narrate)
{
	if (u->core != DBG_E500MC || !(a->msr & MSR_GS) || !hv_only(a->in->kind))
		return none();
	note(u, narrate, R_HVPRIV, 0, 0, 0);
	return exception(DBG_IRQ_HVPRIV, a->in->pc, 0);
}

/* The e500v2 has no E.ED: rfdi is an illegal instruction (#registers). */
static struct step rung_illegal(const struct dbg_unit *u, const struct attempt *a,
				struct dbg_result *narrate)
{
	if (a->in->kind != DBG_I_RFDI || u->core != DBG_E500V2)
		return none();
	note(u, narrate, R_ILLEGAL, a->in->kind, 0, 0);
	return exception(DBG_IRQ_PROGRAM, a->in->pc, ESR_PIL);
}

/* Priorities 12-14 beat DAC (18): the access faults and no DAC is recorded (#priority). A touch
 * that meets a DTLB or DSI condition becomes a no-op instead, and DAC still compares (#dac). */
static struct step rung_data_fault(const struct dbg_unit *u, const struct attempt *a,
				   struct dbg_result *narrate)
{
	const struct dbg_insn *in = a->in;
	if (!is_access(in->kind) || in->fault == DBG_F_NONE)
		return none();
	if (is_touch(in->kind) && (in->fault == DBG_F_DTLB || in->fault == DBG_F_DSI)) {
		note(u, narrate, R_TOUCH_NOOP, fault_irq(in->fault), 0, 0);
		return none();
	}
	note(u, narrate, R_DATA_FAULT_WINS, fault_irq(in->fault), 0, 0);
	return exception(fault_irq(in->fault), in->pc, dac_access(u, in) == DAC_WRITE ? ESR_ST : 0);
}

static uint32_t dac_piece(const struct dbg_unit *u, uint32_t ea, uint32_t size, bool w,
			  uint32_t msr, bool block, struct dbg_result *narrate)
{
	uint32_t h = dbg_dac_match(&u->cmp, &u->opt, u->core, ea, size, w, msr, block);
	if (h)
		note(u, narrate, R_DAC_HIT, h, ea, size);
	return h;
}

/* DAC events of an instruction, access by access (#dac). A multi-access instruction is compared
 * per access; when the debug interrupt is taken at once the first hitting access stops it, leaving
 * the earlier ones performed ("partially executed"). */
static uint32_t dac_hits(const struct dbg_unit *u, const struct dbg_insn *in, uint32_t msr,
			 bool stop_at_first, struct dbg_result *narrate)
{
	enum dac_access acc = dac_access(u, in);
	if (acc == DAC_NONE)
		return 0;
	bool w = acc == DAC_WRITE, block = is_block_op(in->kind);
	uint32_t hits = 0;
	if (in->kind == DBG_I_LMW || in->kind == DBG_I_STMW) {
		for (uint32_t i = 0; i < in->size; i++) {
			uint32_t h = dac_piece(u, in->ea + 4 * i, 4, w, msr, false, narrate);
			hits |= h;
			if (h && stop_at_first)
				break;
		}
		return hits;
	}
	uint32_t size = block ? 32 : (in->kind == DBG_I_LOAD || in->kind == DBG_I_STORE) ? in->size : 4;
	/* A scalar access that crosses a doubleword is performed as two pieces. */
	uint32_t first = size;
	if (!block && ((in->ea & 7u) + size) > 8u)
		first = 8u - (in->ea & 7u);
	uint32_t h = dac_piece(u, in->ea, first, w, msr, block, narrate);
	hits |= h;
	if (first < size && !(h && stop_at_first))
		hits |= dac_piece(u, in->ea + first, size - first, w, msr, false, narrate);
	return hits;
}

/* With DBSR_MULTI_EVENT=HIGHEST_GROUP a recorded TRAP/IAC hides the priority-18 group. */
static bool lower_group_counts(const struct dbg_unit *u, const struct attempt *a)
{
	return !(a->first && u->opt.v[DBG_OPT_DBSR_MULTI_EVENT] == DBG_MULTI_HIGHEST_GROUP);
}

/* BRT: a taken branch, only with DE=1 (or in external debug mode) (#brt). */
static uint32_t brt_hit(const struct dbg_unit *u, const struct attempt *a, struct dbg_result *narrate)
{
	if (a->in->kind != DBG_I_BRANCH || !(a->c0 & DBCR0_BRT))
		return 0;
	if (a->de || edm(u)) {
		note(u, narrate, R_BRT, 0, 0, 0);
		return DBSR_BRT;
	}
	note(u, narrate, R_NOT_DE0, DBSR_BRT, 0, 0);
	return 0;
}

/* Priority 18, before execution: DAC, BRT, and RET where the rfi is suppressed (#dac, #brt, #ret). */
static struct step rung_dac_brt_ret(const struct dbg_unit *u, const struct attempt *a,
				    struct dbg_result *narrate)
{
	const struct dbg_insn *in = a->in;
	if (!lower_group_counts(u, a)) {
		/* narrate what was dropped: the same detection, silent */
		uint32_t would = dac_hits(u, in, a->msr, false, NULL);
		if (in->kind == DBG_I_BRANCH && (a->c0 & DBCR0_BRT) && a->de)
			would |= DBSR_BRT;
		if (would)
			note(u, narrate, R_MULTI_DROP, would, 0, 0);
		return none();
	}
	if (a->off)
		return none();
	bool now = edm(u) || ((a->c0 & DBCR0_IDM) && a->de);
	uint32_t hit = dac_hits(u, in, a->msr, now, narrate);
	hit |= brt_hit(u, a, narrate);
	if (in->kind == DBG_I_RFI && (a->c0 & DBCR0_RET) &&
	    u->opt.v[DBG_OPT_RET_SAVED_PC] == DBG_RET_RFI_ADDRESS) {
		note(u, narrate, R_RET_SUPPRESS, 0, 0, 0);
		hit |= DBSR_RET;
	}
	return events(hit, in->pc, true, false);
}

/* ICMP: the instruction completed with DE=1 (#icmp; options ICMP_EXCLUDES,
 * ICMP_WHEN_INSN_CLEARS_DE). */
static uint32_t icmp_hit(const struct dbg_unit *u, const struct attempt *a, struct dbg_result *narrate)
{
	if (!(a->c0 & DBCR0_ICMP) ||
	    (is_return(a->in->kind) && u->opt.v[DBG_OPT_ICMP_EXCLUDES] == DBG_ICMPX_RETURNS))
		return 0;
	bool de_now = (u->reg[DBG_REG_MSR] & MSR_DE) != 0;
	if (!a->de && !edm(u)) {
		note(u, narrate, R_NOT_DE0, DBSR_ICMP, 0, 0);
		return 0;
	}
	if (!de_now && !edm(u) &&
	    u->opt.v[DBG_OPT_ICMP_WHEN_INSN_CLEARS_DE] == DBG_ICMPDE_NOT_RECORDED) {
		note(u, narrate, R_NOT_DE0, DBSR_ICMP, 0, 0);
		return 0;
	}
	note(u, narrate, de_now || edm(u) ? R_ICMP : R_ICMP_DEFER, 0, 0, 0);
	return DBSR_ICMP;
}

/* Priority 18, after completion: RET (e500: the rfi executed), CRET and ICMP (#ret, #icmp). */
static struct step rung_completed(const struct dbg_unit *u, const struct attempt *a,
				  struct dbg_result *narrate)
{
	if (a->off || !lower_group_counts(u, a))
		return none();
	enum dbg_insn_kind k = a->in->kind;
	uint32_t hit = 0;
	if (k == DBG_I_RFI && (a->c0 & DBCR0_RET) &&
	    u->opt.v[DBG_OPT_RET_SAVED_PC] == DBG_RET_RETURN_TARGET) {
		note(u, narrate, R_RET_TARGET, 0, 0, 0);
		hit |= DBSR_RET;
	}
	if (k == DBG_I_RFCI && (a->c0 & DBCR0_RET)) {
		/* RET for rfci is not logged while DE=0 (option RET_ON_RFCI). */
		if (u->opt.v[DBG_OPT_RET_ON_RFCI] && a->de)
			hit |= DBSR_RET;
		else
			note(u, narrate, R_RET_RFCI_DROP, 0, 0, 0);
	}
	if (k == DBG_I_RFCI && (a->c0 & DBCR0_CRET))
		hit |= DBSR_CRET;
	hit |= icmp_hit(u, a, narrate);
	return events(hit, u->pc, false, false);
}

/* sc completes, then the System Call interrupt; an ICMP on it lands in the handler (#icmp). */
static struct step rung_syscall(const struct dbg_unit *u, const struct attempt *a,
				struct dbg_result *narrate)
{
	(void)narrate;
	return a->in->kind == DBG_I_SC ? exception(DBG_IRQ_SYSCALL, u->pc, 0) : none();
}

typedef struct step (*rung_fn)(const struct dbg_unit *, const struct attempt *, struct dbg_result *);

static const rung_fn before_execution[] = {
	rung_iac_trap, rung_insn_fault, rung_trap_program, rung_privileged, rung_hv_privileged,
	rung_illegal, rung_data_fault, rung_dac_brt_ret,
};

static const rung_fn after_completion[] = { rung_completed, rung_syscall };

/* ---- delivery: the one place a step changes the unit ------------------------------------ */

/* Returns true when the instruction (or what follows it) stops here. */
static bool deliver(struct dbg_unit *u, struct dbg_result *res, struct attempt *a,
		    const struct step *s)
{
	switch (s->kind) {
	case STEP_DEBUG:
		take_debug(u, res, s->at);
		return true;
	case STEP_EXCEPTION:
		take_irq(u, res, s->irq, s->at, s->esr);
		return true;
	case STEP_EVENTS: {
		uint32_t rec = record(u, res, s->events, a->de);
		if (s->first_group)
			a->first |= rec;
		if (!rec)
			return false;
		if (edm(u)) {
			halt(u, res, s->at);
			return true;
		}
		if (s->before && (u->cmp.dbcr0 & DBCR0_IDM) && a->de) {
			note(u, res, R_SUPPRESS, 0, 0, 0);
			take_debug(u, res, s->at);    /* saved PC = the instruction itself */
			return true;
		}
		return false;
	}
	default:
		return false;
	}
}

static bool climb(struct dbg_unit *u, struct dbg_result *res, struct attempt *a,
		  const rung_fn *rungs, unsigned n)
{
	for (unsigned i = 0; i < n; i++) {
		struct step s = rungs[i](u, a, res);
		if (deliver(u, res, a, &s))
			return true;
	}
	return false;
}

/* The instruction is attempted: EPCR[DUVD] is decided, and a context-synchronizing instruction
 * makes the comparators see the new debug register values first (#spr-window). */
static void begin(struct dbg_unit *u, struct attempt *a, struct dbg_result *res)
{
	a->msr = u->reg[DBG_REG_MSR];
	a->de = (a->msr & MSR_DE) != 0;
	a->off = events_off(u, a->msr);
	if (a->off)
		note(u, res, R_DUVD, 0, 0, 0);
	if (is_csi(a->in->kind))
		csi(u, res);
	a->c0 = u->cmp.dbcr0;
}

static void attempt(struct dbg_unit *u, const struct dbg_insn *in, struct dbg_result *res)
{
	struct attempt a = { .in = in };
	struct step s = rung_pending(u, &a, res);
	bool stopped = deliver(u, res, &a, &s);
	if (!stopped) {
		begin(u, &a, res);
		stopped = climb(u, res, &a, before_execution,
				sizeof before_execution / sizeof before_execution[0]);
	}
	if (!stopped && complete(u, res, in))
		climb(u, res, &a, after_completion, sizeof after_completion / sizeof after_completion[0]);
	boundary(u, res);
}

/* ---- entry points ----------------------------------------------------------------------- */

static bool size_ok(const struct dbg_insn *in)
{
	switch (in->kind) {
	case DBG_I_LOAD: case DBG_I_STORE:
		return in->size == 1 || in->size == 2 || in->size == 4 || in->size == 8;
	case DBG_I_LMW: case DBG_I_STMW:
		return in->size >= 1 && in->size <= 32;    /* lmw/stmw rN move 32-N words */
	default:
		return true;                               /* the size is not used */
	}
}

static int check_insn(const struct dbg_insn *in)
{
	if ((unsigned)in->kind >= DBG_I_COUNT || (unsigned)in->fault >= DBG_F_COUNT)
		return DBG_EKIND;
	if (in->flags & ~(DBG_INSN_FAIL | DBG_INSN_NOOP))
		return DBG_EINVAL;
	if ((in->kind == DBG_I_MTSPR || in->kind == DBG_I_MFSPR) &&
	    (in->reg < -1 || in->reg >= DBG_REG_COUNT))
		return DBG_EREG;
	return size_ok(in) ? DBG_OK : DBG_ESIZE;
}

/* A timed statement's common checks: the arguments, and a cycle that does not go backwards and
 * leaves room to complete later (a slip at UINT64_MAX completed at cycle 0). */
static int check_timed(const struct dbg_unit *u, uint64_t cycle, struct dbg_result *res)
{
	if (res)
		result_init(res, cycle);   /* a refused call's result reads as an empty one, also with no unit */
	if (!u || !res)
		return DBG_EINVAL;
	if ((u->started && cycle < u->given) || cycle > DBG_CYCLE_MAX)
		return DBG_ECYCLE;
	return DBG_OK;
}

/* The core is halted: nothing is attempted. */
static bool idle(struct dbg_unit *u, struct dbg_result *res)
{
	if (!u->halted)
		return false;
	res->action = DBG_ACT_IDLE;
	note(u, res, R_IDLE, 0, 0, 0);
	return true;
}

static void finish(struct dbg_unit *u, struct dbg_result *res)
{
	res->dbsr = u->reg[DBG_REG_DBSR];
	refresh(u);
}

/* dbg_exec past its fast path (dbg_fast.h): every check, the whole model. */
int dbg_exec_full(struct dbg_unit *u, uint64_t cycle, const struct dbg_insn *in, struct dbg_result *res)
{
	int st = check_timed(u, cycle, res);
	if (!in)
		st = DBG_EINVAL;     /* a NULL pointer is the error whatever the cycle (not ECYCLE) */
	if (st == DBG_OK)
		st = check_insn(in);
	if (st != DBG_OK)
		return st;
	u->given = cycle;
	if (slot(u, res, cycle, in) && !idle(u, res)) {
		u->n_exec++;
		attempt(u, in, res);
		slot_done(u, in, res);
	}
	finish(u, res);
	return DBG_OK;
}

/* The library's symbol: the same fast path as the inline one, then the full one. */
int (dbg_exec)(struct dbg_unit *u, uint64_t cycle, const struct dbg_insn *in, struct dbg_result *res)
{
	return dbg_exec_inline(u, cycle, in, res);
}

static bool async_kind(enum dbg_irq_kind k)
{
	return k == DBG_IRQ_EXTERNAL || k == DBG_IRQ_DECREMENTER || k == DBG_IRQ_FIT ||
	       k == DBG_IRQ_CRITICAL || k == DBG_IRQ_WATCHDOG || k == DBG_IRQ_MACHINE_CHECK;
}

int dbg_irq(struct dbg_unit *u, uint64_t cycle, enum dbg_irq_kind kind, struct dbg_result *res)
{
	int st = check_timed(u, cycle, res);
	if (st == DBG_OK && !async_kind(kind))
		st = DBG_EKIND;
	if (st != DBG_OK)
		return st;
	u->given = cycle;
	slot_async(u, res, cycle);
	if (!idle(u, res)) {
		struct attempt a = { .de = (u->reg[DBG_REG_MSR] & MSR_DE) != 0 };
		struct step s = exception(kind, u->pc, 0);
		deliver(u, res, &a, &s);
		boundary(u, res);
		u->cq.interrupted = true;
	}
	finish(u, res);
	return DBG_OK;
}

int dbg_ude(struct dbg_unit *u, uint64_t cycle, struct dbg_result *res)
{
	int st = check_timed(u, cycle, res);
	if (st != DBG_OK)
		return st;
	u->given = cycle;
	slot_async(u, res, cycle);
	if (idle(u, res)) {
		finish(u, res);
		return DBG_OK;
	}
	uint32_t msr = u->reg[DBG_REG_MSR];
	if (events_off(u, msr) && u->opt.v[DBG_OPT_DUVD_BLOCKS_UDE]) {
		note(u, res, R_DUVD, 0, 0, 0);
	} else {
		/* UDE: no enable bit; recorded with IDE when DE=0; saved PC = the next instruction
		 * (#ude). */
		note(u, res, R_UDE, 0, 0, 0);
		struct attempt a = { .de = (msr & MSR_DE) != 0 };
		struct step s = events(DBSR_UDE, u->pc, false, false);
		deliver(u, res, &a, &s);
		boundary(u, res);
		if (res->nirq)
			u->cq.interrupted = true;
	}
	finish(u, res);
	return DBG_OK;
}
