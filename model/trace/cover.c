/* Coverage samples (see cover.h). Columns are appended, never reordered. */
#include "cover.h"

#include <inttypes.h>

const char cover_header[] =
	"file,line,core,stmt,insn,fault,de,pr,is,ds,gs,idm,edm,enables,iac_mode,dac_mode,"
	"iac1us,iac1er,iac2us,iac2er,dac1us,dac1er,dac2us,dac2er,access,events,recorded,ide,"
	"debug,irqs,saved,squashed,slip,pair,duvd,dep";

static const char *const stmt_names[] = { "core", "opt", "set", "exec", "irq", "ude", "expect" };
static const char *const slip_names[] = { "none", "width", "serialize", "store", "entry" };

static unsigned field(uint32_t v, uint32_t mask, unsigned shift)
{
	return (v & mask) >> shift;
}

/* How the saved PC of a debug interrupt relates to the statement: the taxonomy of Table 8-2. */
static const char *saved_kind(const struct tr_stmt *s, const struct dbg_unit *b,
			      const struct dbg_result *r)
{
	for (unsigned i = 0; i < r->nirq; i++) {
		const struct dbg_taken *k = &r->irq[i];
		if (k->kind != DBG_IRQ_DEBUG)
			continue;
		if (i > 0)
			return "vector";            /* after another interrupt: IRPT, sc, ... */
		if (s->kind != TR_EXEC)
			return "next";
		if (k->saved_pc == s->insn.pc)
			return "self";
		if (k->saved_pc == s->insn.pc + 4)
			return "next";
		if (s->insn.kind == DBG_I_BRANCH && k->saved_pc == s->insn.target)
			return "target";
		if ((s->insn.kind == DBG_I_RFI && k->saved_pc == dbg_get(b, DBG_REG_SRR0)) ||
		    (s->insn.kind == DBG_I_RFCI && k->saved_pc == dbg_get(b, DBG_REG_CSRR0)) ||
		    (s->insn.kind == DBG_I_RFDI && k->saved_pc == dbg_get(b, DBG_REG_DSRR0)))
			return "target";
		return "other";
	}
	return "-";
}

static const char *access_kind(const struct tr_stmt *s)
{
	if (s->kind != TR_EXEC)
		return "none";
	switch (s->insn.kind) {
	case DBG_I_LOAD: case DBG_I_LMW: case DBG_I_LWARX: return "load";
	case DBG_I_STORE: case DBG_I_STMW: case DBG_I_STWCX: return "store";
	case DBG_I_DCBT: case DBG_I_DCBTST: case DBG_I_ICBT: case DBG_I_ICBI: return "touch";
	case DBG_I_DCBZ: case DBG_I_DCBI: case DBG_I_DCBA: case DBG_I_DCBF: case DBG_I_DCBST:
		return "cacheop";
	default: return "none";
	}
}

void cover_sample(const struct tr_sink *out, const struct trace *t, const struct tr_stmt *s,
		  const struct dbg_unit *b, const struct dbg_unit *a, const struct dbg_result *r)
{
	struct dbg_cmp cmp;
	dbg_comparators(b, &cmp, NULL);
	enum dbg_core core = dbg_core_of(b);
	uint32_t msr = dbg_get(b, DBG_REG_MSR), c0 = cmp.dbcr0, c1 = cmp.dbcr1, c2 = cmp.dbcr2;
	uint32_t rec = dbg_get(a, DBG_REG_DBSR) & ~dbg_get(b, DBG_REG_DBSR);
	const char *insn = "-";
	if (s->kind == TR_EXEC)
		insn = dbg_insn_name(s->insn.kind);
	else if (s->kind == TR_IRQ)
		insn = dbg_irq_name(s->irq);
	const char *debug = "none";
	if (r->action == DBG_ACT_HALTED || r->action == DBG_ACT_IDLE)
		debug = "halted";
	else if (dbg_result_irq(r, DBG_IRQ_DEBUG))
		debug = "taken";
	tr_printf(out, "%s,%d,%s,%s,%s,%d,%u,%u,%u,%u,%u,%u,%u,0x%08" PRIX32 ",%u,%u,"
		"%u,%u,%u,%u,%u,%u,%u,%u,%s,0x%08" PRIX32 ",0x%08" PRIX32 ",%u,%s,",
		t->path, s->line, dbg_core_name(core), stmt_names[s->kind], insn,
		s->kind == TR_EXEC ? (int)s->insn.fault : 0,
		!!(msr & MSR_DE), !!(msr & MSR_PR), !!(msr & MSR_IS), !!(msr & MSR_DS), !!(msr & MSR_GS),
		!!(c0 & DBCR0_IDM), !!(dbg_get(b, DBG_REG_DBCR0) & DBCR0_EDM), c0,
		field(c1, DBCR1_IAC12M, DBCR1_IAC12M_SHIFT), field(c2, DBCR2_DAC12M, DBCR2_DAC12M_SHIFT),
		field(c1, DBCR1_IAC1US, DBCR1_IAC1US_SHIFT), field(c1, DBCR1_IAC1ER, DBCR1_IAC1ER_SHIFT),
		field(c1, DBCR1_IAC2US, DBCR1_IAC2US_SHIFT), field(c1, DBCR1_IAC2ER, DBCR1_IAC2ER_SHIFT),
		field(c2, DBCR2_DAC1US, DBCR2_DAC1US_SHIFT), field(c2, DBCR2_DAC1ER, DBCR2_DAC1ER_SHIFT),
		field(c2, DBCR2_DAC2US, DBCR2_DAC2US_SHIFT), field(c2, DBCR2_DAC2ER, DBCR2_DAC2ER_SHIFT),
		access_kind(s), r->events, rec, !!(rec & DBSR_IDE), debug);
	for (unsigned i = 0; i < r->nirq; i++)
		tr_printf(out, "%s%s", i ? "+" : "", dbg_irq_name(r->irq[i].kind));
	if (!r->nirq)
		tr_printf(out, "-");
	tr_printf(out, ",%s,%d,%s,%d,%d,%d\n", saved_kind(s, b, r), r->action == DBG_ACT_SQUASHED,
		slip_names[r->slip], dbg_started(b) && r->cycle == dbg_cycle(b),
		core == DBG_E500MC && !!(dbg_get(b, DBG_REG_EPCR) & EPCR_DUVD),
		core == DBG_E500MC && !!(dbg_get(b, DBG_REG_MSRP) & MSRP_DEP));
}
