/* The register file: which bits of each register hold values, and the comparator view that lags the
 * debug control registers until a context synchronization (docs/booke-debug.md#spr-window). */
#include "dbg_core.h"

bool dbg_reg_valid(int r)
{
	return r >= 0 && r < DBG_REG_COUNT;
}

bool dbg_reg_exists(enum dbg_core c, enum dbg_reg_id r)
{
	if (!dbg_reg_valid((int)r) || ((unsigned)c != DBG_E500V2 && (unsigned)c != DBG_E500MC))
		return false;
	return (dbg_reg_desc[r].cores & (1u << c)) != 0;
}

/* Bits of register r that hold values on this unit's core and options. */
uint32_t legal(const struct dbg_unit *u, enum dbg_reg_id r)
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

bool is_debug_ctl(enum dbg_reg_id r)
{
	return r == DBG_REG_DBCR0 || r == DBG_REG_DBCR1 || r == DBG_REG_DBCR2 || r == DBG_REG_DBCR4 ||
	       r == DBG_REG_IAC1 || r == DBG_REG_IAC2 || r == DBG_REG_DAC1 || r == DBG_REG_DAC2;
}

/* Copy one architected debug control register into the comparator view. */
void cmp_load(struct dbg_unit *u, enum dbg_reg_id r)
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

/* Context synchronization: the comparators take the architected values. */
void csi(struct dbg_unit *u, struct dbg_result *res)
{
	if (!u->cmp_stale)
		return;
	static const enum dbg_reg_id ctl[] = { DBG_REG_DBCR0, DBG_REG_DBCR1, DBG_REG_DBCR2,
		DBG_REG_DBCR4, DBG_REG_IAC1, DBG_REG_IAC2, DBG_REG_DAC1, DBG_REG_DAC2 };
	for (unsigned i = 0; i < sizeof ctl / sizeof ctl[0]; i++)
		cmp_load(u, ctl[i]);
	u->cmp_stale = false;
	note(u, res, R_CSI, 0, 0, 0);
}
