/* The fast path's filter. It answers "can this simple instruction raise or deliver anything?" with
 * an exact "no" or a "maybe" that sends it down the full path; it keeps the model near the cost of a
 * plain loop when nothing matches (Spike's trigger_updated idea). Recomputed after every statement
 * that can change the debug state. */
#include "dbg_core.h"

#include <string.h>

/* DBCR0 bits that arm an event; with none of them set the fast path applies. */
#define ENABLE_BITS (DBCR0_ICMP | DBCR0_BRT | DBCR0_IRPT | DBCR0_TRAP | DBCR0_IAC1 | DBCR0_IAC2 | \
	DBCR0_DAC1R | DBCR0_DAC1W | DBCR0_DAC2R | DBCR0_DAC2W | DBCR0_RET | DBCR0_CIRPT | DBCR0_CRET)

#define SCALAR_KINDS ((1u << DBG_I_LOAD) | (1u << DBG_I_STORE))
#define SIMPLE_KINDS ((1u << DBG_I_NOP) | (1u << DBG_I_LOAD) | (1u << DBG_I_STORE) | \
	(1u << DBG_I_BRANCH) | (1u << DBG_I_BRANCH_NT))

static void filter_iac(struct dbg_filter *f, const struct dbg_unit *u, uint32_t en)
{
	f->iac_mask = u->opt.v[DBG_OPT_IAC_IGNORE_LOW2] ? ~3u : ~0u;
	uint32_t a = u->cmp.iac[0], b = u->cmp.iac[1];
	if (!(en & DBCR0_IAC1))
		a = b;
	if (!(en & DBCR0_IAC2))
		b = a;
	f->iac[0] = a & f->iac_mask;
	f->iac[1] = b & f->iac_mask;
}

/* Returns the kinds whose access must be compared (a bit per enum dbg_insn_kind). */
static uint32_t filter_dac(struct dbg_filter *f, const struct dbg_unit *u, uint32_t dr, uint32_t dw)
{
	const uint32_t both[2] = { DBCR0_DAC1R | DBCR0_DAC1W, DBCR0_DAC2R | DBCR0_DAC2W };
	uint32_t kinds = 0;
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
		kinds |= 1u << (w ? DBG_I_STORE : DBG_I_LOAD);
	}
	return kinds;
}

void refresh(struct dbg_unit *u)
{
	struct dbg_filter *f = &u->flt;
	uint32_t en = u->cmp.dbcr0 & ENABLE_BITS;
	bool pair = u->opt.v[DBG_OPT_PAIR_MODES] == DBG_PAIR_IMPLEMENTED;
	memset(f, 0, sizeof *f);
	/* Everything takes the full path, also before the first statement and while a handler's
	 * first instruction may still have to wait (the fast path keeps to cycles slot() would
	 * not move). */
	if (u->halted || edm(u) || pending(u) || u->explain || (en & DBCR0_ICMP) || !u->started ||
	    u->earliest > u->cycle + 1)
		return;
	uint32_t kinds = SIMPLE_KINDS;
	if (en & DBCR0_BRT)
		kinds &= ~(1u << DBG_I_BRANCH);
	if (en & (DBCR0_IAC1 | DBCR0_IAC2)) {
		if (pair && (u->cmp.dbcr1 & DBCR1_IAC12M))
			return;
		filter_iac(f, u, en);
	}
	uint32_t dr = en & (DBCR0_DAC1R | DBCR0_DAC2R), dw = en & (DBCR0_DAC1W | DBCR0_DAC2W);
	uint32_t dac = 0;
	if (dr | dw) {
		if ((pair && (u->cmp.dbcr2 & DBCR2_DAC12M)) || u->opt.v[DBG_OPT_DAC_MATCH_ANY_BYTE] ||
		    (u->core == DBG_E500MC && u->cmp.dbcr4))
			return;
		dac = filter_dac(f, u, dr, dw);
	}
	for (unsigned k = 0; k < DBG_I_COUNT; k++) {
		uint32_t b = 1u << k;
		if (kinds & b)
			f->kind[k] = DBG_FAST_OK | (b & SCALAR_KINDS ? DBG_FAST_SIZED : 0) |
				     (b & dac ? DBG_FAST_DAC : 0);
	}
}
