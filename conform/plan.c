/* Planning a conformance program: walk the trace, decide per statement whether a program can
 * express it, and run the model on exactly what the program executes while DBCR0 is armed (the
 * entry tail, the step, the landing stub), so the model's record is the program's expected log.
 * A statement the program cannot express, or a step whose instrumentation the model says would
 * itself raise a debug event, ends the program: the expressible prefix runs, the rest is reported. */
#include <stdarg.h>
#include <string.h>

#include "conform.h"
#include "rt/layout.h"

struct sim {
	struct dbg_unit u;
	uint32_t msr, dbcr0;     /* what the supervisor enters the next step with */
	uint64_t cycle;
};

static const int vec_num[] = { 15, 6, 8, 0, 1, 2, 3, 4, 5, 7, 9, 10, 11, 12, 13, 14, 41 };
#define NVEC ((int)(sizeof vec_num / sizeof vec_num[0]))

static int stop(struct cf_plan *p, const struct tr_stmt *s, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(p->stop_reason, sizeof p->stop_reason, fmt, ap);
	va_end(ap);
	p->stop_line = s->line;
	return -1;
}

static enum dbg_reg_id ivor_reg(int n)
{
	return n == 41 ? DBG_REG_IVOR41 : (enum dbg_reg_id)(DBG_REG_IVOR0 + n);
}

static bool vec_present(const struct dbg_unit *u, int n)
{
	return n != 41 || dbg_core_of(u) == DBG_E500MC;
}

static uint32_t vec_addr(const struct dbg_unit *u, int n)
{
	return (dbg_get(u, DBG_REG_IVPR) & 0xFFFF0000u) | (dbg_get(u, ivor_reg(n)) & 0xFFF0u);
}

const char *cf_ivor_irq(int ivor)
{
	switch (ivor) {
	case 0: return "critical";
	case 1: return "machine-check";
	case 2: return "dsi";
	case 3: return "isi";
	case 4: return "external";
	case 5: return "alignment";
	case 6: return "program";
	case 8: return "syscall";
	case 10: return "decrementer";
	case 11: return "fit";
	case 12: return "watchdog";
	case 13: return "dtlb";
	case 14: return "itlb";
	case 15: return "debug";
	case 41: return "hvpriv";
	case -1: return "none";
	default: return "unknown";
	}
}

/* ---- addresses: every byte the program writes or a step accesses ---- */
static bool reserved(uint32_t a)
{
	return (a >= CONF_BASE && a < CONF_END) || (a >= CONF_REMAP_PA && a < CONF_RAM_SIZE);
}

/* [a, a+n) is usable: outside the program and the remap area, mapped (a page above RAM is added
 * to the plan's maps). Returns NULL or why not. */
static const char *use_range(struct cf_plan *p, uint32_t a, uint32_t n)
{
	for (uint64_t x = a; x < (uint64_t)a + n; x += 4) {
		uint32_t b = (uint32_t)x;
		if (reserved(b))
			return "lies in the program's own memory (0x01C00000-0x01FFFFFF, 0x0F000000-0x0FFFFFFF)";
		if (b < CONF_RAM_SIZE)
			continue;
		uint32_t page = b & ~(CONF_PAGE_SIZE - 1);
		unsigned k;
		for (k = 0; k < p->nmaps && p->maps[k] != page; k++)
			;
		if (k == p->nmaps) {
			if (p->nmaps == CONF_MAX_MAPS)
				return "needs more than 6 pages above RAM";
			p->maps[p->nmaps++] = page;
		}
	}
	return NULL;
}

static bool overlap(uint32_t a, uint32_t an, uint32_t b, uint32_t bn)
{
	return (uint64_t)a < (uint64_t)b + bn && (uint64_t)b < (uint64_t)a + an;
}

/* ---- what a program cannot express ---- */
static const char *set_why(enum dbg_core core, const struct tr_pair *q)
{
	if (q->field == TF_PC)
		return NULL;
	switch (q->reg) {
	case DBG_REG_DBSR:
		return q->value ? "DBSR cannot be loaded by software (write-1-to-clear)" : NULL;
	case DBG_REG_DBSRWR:
		return "a back-door DBSRWR write is not the mtspr's";
	case DBG_REG_DBCR0:
		if (q->value & DBCR0_EDM)
			return "DBCR0[EDM] is set only by an external debugger";
		if (q->value & DBCR0_RST)
			return "DBCR0[RST] requests a reset";
		return NULL;
	case DBG_REG_MSR:
		return core == DBG_E500MC && (q->value & MSR_GS) ?
			"MSR[GS] needs a hypervisor set-up (LPIDR, guest vectors) the program does not make" : NULL;
	default:
		return NULL;
	}
}

static const char *insn_why(const struct tr_stmt *s)
{
	const struct dbg_insn *in = &s->insn;
	if (s->has_cycle)
		return "@CYCLE: a program cannot choose completion cycles (dual completion)";
	if (in->fault != DBG_F_NONE && in->fault != DBG_F_PROGRAM)
		return "fault=itlb/isi/dtlb/dsi/alignment: the program builds no faulting translation";
	switch (in->kind) {
	case DBG_I_LOAD: case DBG_I_STORE:
		return in->size == 8 ? "an 8-byte access needs the FPU or SPE" : NULL;
	case DBG_I_LMW: case DBG_I_STMW:
		return in->size >= 28 ? "lmw/stmw of 28 or more words overwrites r0-r4, which the step uses" : NULL;
	case DBG_I_DCBA:
		return in->flags & DBG_INSN_NOOP ? "a program cannot make dcba a no-op" : NULL;
	case DBG_I_MTSPR:
		if (in->reg < 0)
			return "an SPR the core does not have";
		if (in->reg == DBG_REG_DBCR0 && (in->value & DBCR0_RST))
			return "DBCR0[RST] requests a reset";
		return NULL;
	case DBG_I_MFSPR:
		return in->reg < 0 ? "an SPR the core does not have" : NULL;
	case DBG_I_MTMSR:
		return in->value & MSR_GS ? "MSR[GS] needs a hypervisor set-up the program does not make" : NULL;
	default:
		return NULL;
	}
}

/* ---- the model running what the program runs ---- */
static int run(struct sim *m, uint32_t pc, enum dbg_insn_kind k, int reg, uint32_t value,
	       struct dbg_result *r)
{
	struct dbg_insn in;
	memset(&in, 0, sizeof in);
	in.kind = k;
	in.pc = pc;
	in.reg = reg;
	in.value = value;
	int rc = dbg_exec(&m->u, ++m->cycle, &in, r);
	if (rc == DBG_OK)
		m->cycle = r->cycle;
	return rc;
}

/* An instrumentation instruction must be invisible: no event, no interrupt. */
static const char *quiet(int st, const struct dbg_result *r, const char *what, char *buf, size_t n)
{
	char ev[96];
	if (st != DBG_OK)
		snprintf(buf, n, "the model refused %s", what);
	else if (r->events || r->nirq)
		snprintf(buf, n, "%s would itself raise %s%s", what,
			 dbg_events_str(r->events, ev, sizeof ev), r->nirq ? " and an interrupt" : "");
	else
		return NULL;
	return buf;
}

static const enum dbg_insn_kind entry_insn[] = { DBG_I_RFI, DBG_I_RFCI, DBG_I_RFDI };
static const uint32_t entry_tail[] = { CONF_ENTRY_RFI, CONF_ENTRY_RFCI, CONF_ENTRY_RFDI };
static const char *const entry_name[] = { "rfi", "rfci", "rfdi" };

static void entry_regs(enum cf_entry e, enum dbg_reg_id *r0, enum dbg_reg_id *r1)
{
	*r0 = e == CF_RFI ? DBG_REG_SRR0 : e == CF_RFCI ? DBG_REG_CSRR0 : DBG_REG_DSRR0;
	*r1 = e == CF_RFI ? DBG_REG_SRR1 : e == CF_RFCI ? DBG_REG_CSRR1 : DBG_REG_DSRR1;
}

/* Does the step itself read the pair the entry return would overwrite? */
static bool step_reads(const struct dbg_insn *in, enum cf_entry e)
{
	enum dbg_reg_id r0, r1;
	entry_regs(e, &r0, &r1);
	if (in->kind == entry_insn[e])
		return true;
	return (in->kind == DBG_I_MFSPR || in->kind == DBG_I_MTSPR) &&
	       (in->reg == (int)r0 || in->reg == (int)r1);
}

/* The supervisor's writes before the step, as the back door they are equivalent to (DBCR0 is 0 and
 * MSR[DE] is 0 while it works, so they raise nothing). */
static void apply_sets(struct sim *m, const struct cf_plan *p, const struct cf_step *st)
{
	for (unsigned i = 0; i < st->nset; i++) {
		const struct cf_set *q = &p->sets[st->set0 + i];
		if (q->spr == CONF_SET_MSR)
			m->msr = q->value;
		else if (q->spr == 308)
			m->dbcr0 = q->value;
		else if (q->spr == 304)
			dbg_set(&m->u, DBG_REG_DBSR, 0);
		else
			dbg_set(&m->u, (enum dbg_reg_id)dbg_reg_by_spr((int)q->spr), q->value);
	}
}

static void snapshot(const struct dbg_unit *u, struct cf_rec *r)
{
	r->msr = dbg_get(u, DBG_REG_MSR);
	r->dbsr = dbg_get(u, DBG_REG_DBSR);
	r->csrr0 = dbg_get(u, DBG_REG_CSRR0);
	r->csrr1 = dbg_get(u, DBG_REG_CSRR1);
	r->srr0 = dbg_get(u, DBG_REG_SRR0);
	r->srr1 = dbg_get(u, DBG_REG_SRR1);
	r->esr = dbg_get(u, DBG_REG_ESR);
	r->dsrr0 = dbg_get(u, DBG_REG_DSRR0);
	r->dsrr1 = dbg_get(u, DBG_REG_DSRR1);
}

static uint32_t access_bytes(const struct dbg_insn *in, bool *writes)
{
	*writes = in->kind == DBG_I_STORE || in->kind == DBG_I_STMW || in->kind == DBG_I_STWCX ||
		  in->kind == DBG_I_DCBZ || in->kind == DBG_I_DCBI || in->kind == DBG_I_DCBA;
	switch (in->kind) {
	case DBG_I_LOAD: case DBG_I_STORE: return in->size;
	case DBG_I_LMW: case DBG_I_STMW: return 4 * in->size;
	case DBG_I_LWARX: case DBG_I_STWCX: return 4;
	case DBG_I_DCBT: case DBG_I_DCBTST: case DBG_I_ICBT: case DBG_I_ICBI: case DBG_I_DCBZ:
	case DBG_I_DCBI: case DBG_I_DCBA: case DBG_I_DCBF: case DBG_I_DCBST: return 32;
	default: return 0;
	}
}

/* The vector stubs the program writes, then the pad, then the chain's instructions: the landing the
 * model predicts must survive the later writes and the chain's stores. NULL or why not. */
static const char *placement(struct cf_plan *p, const struct sim *m, const struct cf_step *st,
			     uint32_t land)
{
	uint32_t lb = st->pad_kind == CONF_PAD_SUPER ? CONF_STUB_BYTES : CONF_VSTUB_BYTES;
	const char *why;
	for (int k = 0; k < NVEC; k++)
		if (vec_present(&m->u, vec_num[k]) && use_range(p, vec_addr(&m->u, vec_num[k]), CONF_VSTUB_BYTES))
			return "a vector stub (IVPR|IVORn) lies in the program's memory or above 6 mapped pages";
	if (st->pad_kind != CONF_PAD_NONE &&
	    (why = use_range(p, st->pad, st->pad_kind == CONF_PAD_SUPER ? CONF_STUB_BYTES : 4)))
		return why;
	if (st->pad_kind == CONF_PAD_TRAP && overlap(st->pad, 4, land, lb))
		return "the problem-state pad overwrites the Program stub";
	for (unsigned j = 0; j < st->n; j++) {
		const struct dbg_insn *in = &st->s[j]->insn;
		bool writes;
		uint32_t n = access_bytes(in, &writes), ea = n == 32 ? in->ea & ~31u : in->ea;
		if ((why = use_range(p, in->pc, 4)))
			return why;
		if (overlap(in->pc, 4, land, lb))
			return "the instruction overwrites the stub it lands in";
		for (unsigned k = 0; k < j; k++)
			if (st->s[k]->insn.pc == in->pc)
				return "a chain executes one address twice";
		if (n && use_range(p, ea, n))
			return "the data address lies in the program's memory or above 6 mapped pages";
		if (n && writes && overlap(ea, n, land, lb))
			return "the store overwrites the landing stub";
	}
	return NULL;
}

/* The vector number the runtime reports for a landing at `at`: the first in vec_num order whose
 * IVPR|IVORn is `at` (several vectors may share an address when a trace sets only some IVORs). */
static int vector_of(const struct dbg_unit *u, uint32_t at)
{
	for (int k = 0; k < NVEC; k++)
		if (vec_present(u, vec_num[k]) && vec_addr(u, vec_num[k]) == at)
			return vec_num[k];
	return -2;
}

enum try_rc { TRY_OK, TRY_FAIL, TRY_PAD_NOISY };

/* Did an interrupt of the result write the entry return's pair? */
static bool writes_pair(enum dbg_core c, const struct dbg_result *r, enum dbg_reg_id r0)
{
	for (unsigned i = 0; i < r->nirq; i++) {
		enum dbg_reg_id s0;
		if (dbg_save_regs(c, r->irq[i].kind, &s0, NULL) == DBG_OK && s0 == r0)
			return true;
	}
	return false;
}

/* Enter by return e and run the chain. Returns false with the reason in buf. */
static bool enter_and_run(struct sim *m, struct cf_step *st, enum cf_entry e, struct dbg_result *r,
			  bool *pair_written, char *buf, size_t n)
{
	enum dbg_reg_id r0, r1;
	const struct dbg_insn *first = &st->s[0]->insn;
	entry_regs(e, &r0, &r1);
	dbg_set(&m->u, DBG_REG_MSR, CONF_SUP_MSR);
	dbg_set(&m->u, r0, first->pc);
	dbg_set(&m->u, r1, m->msr);
	uint32_t tail = entry_tail[e];
	if (quiet(run(m, tail, DBG_I_MTSPR, DBG_REG_DBCR0, m->dbcr0, r), r, "arming DBCR0", buf, n) ||
	    quiet(run(m, tail + 4, DBG_I_ISYNC, 0, 0, r), r, "the entry isync", buf, n))
		return false;
	int rc = run(m, tail + 8, entry_insn[e], 0, 0, r);
	if (rc != DBG_OK || r->events)
		return !quiet(rc, r, entry_name[e], buf, n);
	*pair_written = false;
	if (r->nirq) {
		/* a delayed debug interrupt taken as the entry return sets MSR[DE]: the trace's own
		 * semantics (the next exec is not executed, saved PC = it) */
		const struct dbg_taken *k = &r->irq[r->nirq - 1];
		if (st->n != 1 || r->nirq != 1 || k->kind != DBG_IRQ_DEBUG || k->saved_pc != first->pc) {
			snprintf(buf, n, "entering by %s would take an interrupt", entry_name[e]);
			return false;
		}
		*pair_written = writes_pair(dbg_core_of(&m->u), r, r0);
		return true;
	}
	for (unsigned j = 0; j < st->n; j++) {
		const struct dbg_insn *in = &st->s[j]->insn;
		if (j && (r->nirq || dbg_pc(&m->u) != in->pc)) {
			snprintf(buf, n, "the chain does not reach line %d", st->s[j]->line);
			return false;
		}
		if (dbg_exec(&m->u, ++m->cycle, in, r) != DBG_OK) {
			snprintf(buf, n, "the model refused the instruction");
			return false;
		}
		m->cycle = r->cycle;
		*pair_written |= writes_pair(dbg_core_of(&m->u), r, r0);
	}
	return true;
}

/* Simulate one step entered by return e on a copy of the model; on success commit it. */
static enum try_rc try_step(struct cf_plan *p, struct sim *m0, struct cf_step *st, enum cf_entry e,
			    char *buf, size_t n)
{
	struct sim m = *m0;
	struct dbg_result r;
	enum dbg_reg_id r0, r1;
	const char *why;
	unsigned nmaps = p->nmaps;
	bool pair_written = false;

	apply_sets(&m, p, st);
	entry_regs(e, &r0, &r1);
	uint32_t keep0 = dbg_get(&m.u, r0), keep1 = dbg_get(&m.u, r1);
	if (!enter_and_run(&m, st, e, &r, &pair_written, buf, n))
		return TRY_FAIL;
	uint32_t land = dbg_pc(&m.u);
	st->pad_kind = CONF_PAD_NONE;
	if (!r.nirq) {
		st->pad = land;
		if (dbg_get(&m.u, DBG_REG_MSR) & MSR_PR) {
			/* problem state cannot run the stub's mfspr: an illegal word takes it to the Program stub */
			struct dbg_insn trap = { .kind = DBG_I_NOP, .pc = land, .fault = DBG_F_PROGRAM };
			st->pad_kind = CONF_PAD_TRAP;
			if (dbg_exec(&m.u, ++m.cycle, &trap, &r) != DBG_OK || r.events || r.nirq != 1 ||
			    r.irq[0].kind != DBG_IRQ_PROGRAM) {
				snprintf(buf, n, "the problem-state pad at 0x%08X would raise a debug event", land);
				return TRY_PAD_NOISY;
			}
			m.cycle = r.cycle;
			pair_written |= writes_pair(p->core, &r, r0);
			land = dbg_pc(&m.u);
		} else
			st->pad_kind = CONF_PAD_SUPER;
	}
	int ivor = -1;
	if (r.nirq) {
		enum dbg_irq_kind want = r.irq[r.nirq - 1].kind;
		ivor = vector_of(&m.u, land);
		if (strcmp(cf_ivor_irq(ivor), dbg_irq_name(want))) {
			snprintf(buf, n, "the %s vector 0x%08X is also the %s vector, which the log would name",
				 dbg_irq_name(want), land, cf_ivor_irq(ivor));
			return TRY_FAIL;
		}
	}
	if ((why = placement(p, &m, st, land))) {
		p->nmaps = nmaps;
		snprintf(buf, n, "placement at landing 0x%08X: %s", land, why);
		/* a pad over the step's own code (a short backward branch) is no pad: chain instead */
		return st->pad_kind == CONF_PAD_SUPER && strstr(why, "overwrites") ? TRY_PAD_NOISY : TRY_FAIL;
	}
	/* a vector stub branches to the disarming code; a pad is that code */
	uint32_t dis = land;
	if (st->pad_kind != CONF_PAD_SUPER) {
		struct dbg_insn bla = { .kind = DBG_I_BRANCH, .pc = land, .target = CONF_VEC_LANDING };
		int brc = dbg_exec(&m.u, ++m.cycle, &bla, &r);
		if (quiet(brc, &r, "the vector stub's bla", buf, n)) {
			p->nmaps = nmaps;
			return TRY_FAIL;
		}
		m.cycle = r.cycle;
		dis = CONF_VEC_LANDING;
	}
	/* mfspr r3,DBCR0; mtspr DBCR0,r0; isync */
	int rc = run(&m, dis, DBG_I_MFSPR, DBG_REG_DBCR0, 0, &r);
	uint32_t dbcr0 = r.value;
	if (quiet(rc, &r, "the landing stub's mfspr", buf, n) ||
	    quiet(run(&m, dis + 4, DBG_I_MTSPR, DBG_REG_DBCR0, 0, &r), &r, "the landing stub's mtspr", buf, n) ||
	    quiet(run(&m, dis + 8, DBG_I_ISYNC, 0, 0, &r), &r, "the landing stub's isync", buf, n)) {
		p->nmaps = nmaps;
		return st->pad_kind == CONF_PAD_SUPER ? TRY_PAD_NOISY : TRY_FAIL;
	}
	st->entry = e;
	st->model.line = st->s[st->n - 1]->line;
	st->model.at = land;
	st->model.ivor = ivor;
	st->model.dbcr0 = dbcr0;
	snapshot(&m.u, &st->model);
	m.msr = st->model.msr;
	m.dbcr0 = dbcr0;
	dbg_set(&m.u, DBG_REG_MSR, CONF_SUP_MSR);   /* conf_landing's mtmsr */
	if (!pair_written) {
		st->flags |= CONF_F_RESTORE;
		dbg_set(&m.u, r0, keep0);
		dbg_set(&m.u, r1, keep1);
	}
	*m0 = m;
	return TRY_OK;
}

/* The registers of chain position j, and the reservation a stwcx. needs. */
static void step_regs(struct cf_step *st, unsigned j)
{
	const struct dbg_insn *in = &st->s[j]->insn;
	st->ea[j] = in->ea;
	st->value[j] = in->value;
	if (in->kind == DBG_I_STWCX) {
		st->flags = in->flags & DBG_INSN_FAIL ? CONF_F_UNRESERVE : CONF_F_RESERVE;
		st->resv_ea = in->ea;
	}
}

/* The next timed statement after index i, skipping expects; NULL at the end. */
static const struct tr_stmt *next_timed(const struct trace *t, unsigned *i)
{
	for (unsigned k = *i + 1; k < t->n; k++)
		if (t->s[k].kind != TR_EXPECT && t->s[k].kind != TR_CORE && t->s[k].kind != TR_OPT) {
			*i = k;
			return &t->s[k];
		}
	return NULL;
}

static enum try_rc try_entries(struct cf_plan *p, struct sim *m, struct cf_step *st, char *first, size_t n)
{
	static const enum cf_entry order[] = { CF_RFCI, CF_RFDI, CF_RFI };
	char buf[200];
	enum try_rc worst = TRY_FAIL, rc;
	*first = 0;
	for (int i = 0; i < 3; i++) {
		enum cf_entry e = order[i];
		bool reads = false;
		for (unsigned j = 0; j < st->n; j++)
			reads |= step_reads(&st->s[j]->insn, e);
		if ((e == CF_RFDI && p->core != DBG_E500MC) || reads)
			continue;      /* an e500v2 has rfdi only with HID0[DAPUEN] */
		unsigned flags = st->flags;
		rc = try_step(p, m, st, e, buf, sizeof buf);
		if (rc == TRY_OK)
			return rc;
		st->flags = flags;
		if (!*first) {
			snprintf(first, n, "%s", buf);
			worst = rc;
		}
	}
	if (!*first)
		snprintf(first, n, "no entry return leaves the step's registers alone");
	return worst;
}

/* An exec statement at index *i: a step, extended into a chain while its pad would be noisy and
 * the next statement executes at the landing. */
static int plan_exec(struct cf_plan *p, struct sim *m, unsigned *i, unsigned set0)
{
	const struct trace *t = p->t;
	const struct tr_stmt *s = &t->s[*i];
	const char *why = insn_why(s);
	char reason[200];
	if (why)
		return stop(p, s, "%s", why);
	if (p->nsteps == CF_MAX_STEPS)
		return stop(p, s, "more than %d steps", CF_MAX_STEPS);
	struct cf_step *st = &p->steps[p->nsteps];
	memset(st, 0, sizeof *st);
	st->set0 = set0;
	st->nset = p->nsets - set0;
	for (;;) {
		st->s[st->n] = s;
		step_regs(st, st->n);
		st->n++;
		enum try_rc rc = try_entries(p, m, st, reason, sizeof reason);
		if (rc == TRY_OK) {
			p->nsteps++;
			return 0;
		}
		unsigned k = *i;
		const struct tr_stmt *nx = next_timed(t, &k);
		if (rc != TRY_PAD_NOISY || st->n == CF_CHAIN || !nx || nx->kind != TR_EXEC || insn_why(nx) ||
		    (nx->insn.kind == DBG_I_LMW && nx->insn.size > 20))
			return stop(p, st->s[0], "%s", reason);
		*i = k;
		s = nx;
	}
}
static int plan_set(struct cf_plan *p, const struct tr_stmt *s)
{
	for (unsigned i = 0; i < s->npairs; i++) {
		const struct tr_pair *q = &s->pairs[i];
		const char *why = set_why(p->core, q);
		if (why)
			return stop(p, s, "%s", why);
		if (q->field == TF_PC || !dbg_reg_exists(p->core, (enum dbg_reg_id)q->reg))
			continue;      /* the model ignores a register the core lacks; so does the program */
		if (p->nsets == CF_MAX_SETS)
			return stop(p, s, "more than %d register writes", CF_MAX_SETS);
		struct cf_set *w = &p->sets[p->nsets++];
		w->spr = q->reg == DBG_REG_MSR ? CONF_SET_MSR : (uint32_t)dbg_reg_desc[q->reg].spr;
		w->value = q->reg == DBG_REG_DBSR ? 0xFFFFFFFFu : (uint32_t)q->value;
	}
	return 0;
}

int cf_plan_build(const struct trace *t, enum dbg_core core, struct cf_plan *p)
{
	struct sim m;
	struct dbg_opts o;
	memset(p, 0, sizeof *p);
	memset(&m, 0, sizeof m);
	p->t = t;
	p->core = core;
	dbg_init(&m.u, core);
	dbg_opts_default(&o, core);
	for (int i = 0; i < DBG_OPT_COUNT; i++)
		if (t->opt_set[i])
			o.v[i] = t->opt[i];
	dbg_set_opts(&m.u, &o);
	unsigned set0 = 0, i;
	for (i = 0; i < t->n; i++) {
		const struct tr_stmt *s = &t->s[i];
		int rc = 0;
		switch (s->kind) {
		case TR_SET: rc = plan_set(p, s); break;
		case TR_EXEC:
			rc = plan_exec(p, &m, &i, set0);
			set0 = p->nsets;
			s = &t->s[i];
			break;
		case TR_IRQ: rc = stop(p, s, "irq: a program cannot raise an asynchronous interrupt at a chosen boundary"); break;
		case TR_UDE: rc = stop(p, s, "ude: the unconditional debug event is an external input"); break;
		default: break;
		}
		if (rc)
			break;
	}
	for (; i < t->n; i++)
		if (t->s[i].kind == TR_SET || t->s[i].kind == TR_EXEC || t->s[i].kind == TR_IRQ ||
		    t->s[i].kind == TR_UDE)
			p->not_run++;
	return 0;
}
