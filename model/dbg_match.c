/* IAC and DAC comparators (#iac, #dac). */
#include "dbg_match.h"

#define LINE_BYTES 32u   /* e500 cache line [E5] Table 3-26 */

bool dbg_us_ok(unsigned us, uint32_t msr)
{
	switch (us) {
	case 2: return !(msr & MSR_PR);   /* supervisor only */
	case 3: return (msr & MSR_PR) != 0; /* user only */
	default: return true;             /* 00 any; 01 reserved, treated as any */
	}
}

bool dbg_er_ok(unsigned er, bool xs)
{
	switch (er) {
	case 1: return false;             /* real-address compare: not implemented */
	case 2: return !xs;
	case 3: return xs;
	default: return true;
	}
}

static unsigned pair_mode(uint32_t reg, uint32_t mask, unsigned shift, const struct dbg_opts *o)
{
	/* PAIR_MODES=RESERVED: the field reads back but matching stays exact (#iac). */
	if (o->v[DBG_OPT_PAIR_MODES] == DBG_PAIR_RESERVED)
		return DBG_MODE_EXACT;
	return (reg & mask) >> shift;
}

static bool pair_in(unsigned mode, uint32_t a, uint32_t r1, uint32_t r2)
{
	switch (mode) {
	case DBG_MODE_MASK: return dbg_cmp_mask(a, r1, r2);
	case DBG_MODE_INCL: return dbg_cmp_incl(a, r1, r2);
	default:            return dbg_cmp_excl(a, r1, r2);
	}
}

uint32_t dbg_iac_match(const struct dbg_cmp *c, const struct dbg_opts *o, uint32_t pc, uint32_t msr,
		       bool de)
{
	uint32_t en = c->dbcr0 & (DBCR0_IAC1 | DBCR0_IAC2);
	if (!en)
		return 0;
	/* Instructions are word aligned: IAC[62:63] are ignored (option IAC_IGNORE_LOW2, [405] p8-9). */
	uint32_t low = o->v[DBG_OPT_IAC_IGNORE_LOW2] ? 3u : 0u;
	bool is = (msr & MSR_IS) != 0;
	bool q1 = dbg_us_ok((c->dbcr1 & DBCR1_IAC1US) >> DBCR1_IAC1US_SHIFT, msr) &&
		  dbg_er_ok((c->dbcr1 & DBCR1_IAC1ER) >> DBCR1_IAC1ER_SHIFT, is);
	bool q2 = dbg_us_ok((c->dbcr1 & DBCR1_IAC2US) >> DBCR1_IAC2US_SHIFT, msr) &&
		  dbg_er_ok((c->dbcr1 & DBCR1_IAC2ER) >> DBCR1_IAC2ER_SHIFT, is);
	unsigned mode = pair_mode(c->dbcr1, DBCR1_IAC12M, DBCR1_IAC12M_SHIFT, o);
	uint32_t hits = 0;
	if (mode == DBG_MODE_EXACT) {
		if ((en & DBCR0_IAC1) && q1 && dbg_cmp_exact(pc, c->iac[0], low))
			hits |= DBSR_IAC1;
		if ((en & DBCR0_IAC2) && q2 && dbg_cmp_exact(pc, c->iac[1], low))
			hits |= DBSR_IAC2;
		return hits;
	}
	/* Range/mask: one pair condition, reported on whichever IAC bits are enabled (#iac). */
	if (!de && !o->v[DBG_OPT_IAC_RANGE_RECORD_WHEN_DE0])
		return 0;
	if (!pair_in(mode, pc & ~low, c->iac[0] & ~low, c->iac[1] & ~low))
		return 0;
	if ((en & DBCR0_IAC1) && q1)
		hits |= DBSR_IAC1;
	if ((en & DBCR0_IAC2) && q2)
		hits |= DBSR_IAC2;
	return hits;
}

/* Does [a, a+size) hold a byte equal to r outside the ignored low bits? 64-bit to avoid wrap. */
static bool any_byte(uint32_t a, uint32_t size, uint32_t r, uint32_t ignore)
{
	uint64_t lo = r & ~ignore, hi = (uint64_t)(r | ignore) + 1;
	return (uint64_t)a < hi && lo < (uint64_t)a + size;
}

uint32_t dbg_dac_match(const struct dbg_cmp *c, const struct dbg_opts *o, enum dbg_core core,
		       uint32_t ea, uint32_t size, bool write, uint32_t msr, bool block)
{
	/* Every store is a write, every load a read [E5] 8.4.2.1; the enable pairs are R/W per DAC. */
	uint32_t en1 = write ? DBCR0_DAC1W : DBCR0_DAC1R;
	uint32_t en2 = write ? DBCR0_DAC2W : DBCR0_DAC2R;
	uint32_t en = c->dbcr0 & (en1 | en2);
	if (!en)
		return 0;
	bool ds = (msr & MSR_DS) != 0;
	bool q1 = dbg_us_ok((c->dbcr2 & DBCR2_DAC1US) >> DBCR2_DAC1US_SHIFT, msr) &&
		  dbg_er_ok((c->dbcr2 & DBCR2_DAC1ER) >> DBCR2_DAC1ER_SHIFT, ds);
	bool q2 = dbg_us_ok((c->dbcr2 & DBCR2_DAC2US) >> DBCR2_DAC2US_SHIFT, msr) &&
		  dbg_er_ok((c->dbcr2 & DBCR2_DAC2ER) >> DBCR2_DAC2ER_SHIFT, ds);
	/* A cache-block operation references its whole line: the line-offset bits are ignored. */
	uint32_t line = block ? LINE_BYTES - 1 : 0;
	uint32_t a = block ? ea & ~line : ea;
	uint32_t n = block ? LINE_BYTES : size;
	unsigned mode = pair_mode(c->dbcr2, DBCR2_DAC12M, DBCR2_DAC12M_SHIFT, o);
	uint32_t hits = 0;
	if (mode == DBG_MODE_EXACT) {
		uint32_t xm[2] = { 0, 0 };
		if (core == DBG_E500MC && o->v[DBG_OPT_DBCR4_XM] == DBG_XM_LOW_BITS) {
			/* DBCR4 DACnXM = n: ignore the low n bits, values above 12 act as 12 (#dac). */
			xm[0] = (c->dbcr4 & DBCR4_DAC1XM) >> DBCR4_DAC1XM_SHIFT;
			xm[1] = (c->dbcr4 & DBCR4_DAC2XM) >> DBCR4_DAC2XM_SHIFT;
			for (int i = 0; i < 2; i++)
				xm[i] = xm[i] > 12 ? 12 : xm[i];
		}
		for (int i = 0; i < 2; i++) {
			uint32_t bit = i ? en2 : en1;
			if (!(en & bit) || !(i ? q2 : q1))
				continue;
			uint32_t ignore = ((1u << xm[i]) - 1) | line;
			bool m = o->v[DBG_OPT_DAC_MATCH_ANY_BYTE] ? any_byte(a, n, c->dac[i], ignore)
				: dbg_cmp_exact(a, c->dac[i], ignore);
			if (m)
				hits |= bit;
		}
		return hits;
	}
	/* Pair modes compare the starting address of the access (#dac). */
	if (!pair_in(mode, a, c->dac[0], c->dac[1]))
		return 0;
	if ((en & en1) && q1)
		hits |= en1;
	if ((en & en2) && q2)
		hits |= en2;
	return hits;   /* DBCR0 DACnR/W bits equal the DBSR ones */
}
