/* What a completing instruction does to the architected state: the PC, MSR loads by mtmsr and the
 * returns, and software SPR writes (DBSR write-1-to-clear, DBSRWR, DBCR0[EDM] read-only, legalized
 * fields, the reset request). Events and interrupts are not decided here. */
#include "dbg_core.h"

#include <string.h>

#define RESET_VECTOR 0xFFFFFFFCu   /* Book E reset: first instruction at the last word */

/* DBCR0[RST] != 0 requests a reset; DBSR[MRR] records its kind (option RST_ENCODING; #reset). */
static void reset(struct dbg_unit *u, struct dbg_result *res, uint32_t rst)
{
	memset(u->reg, 0, sizeof u->reg);
	memset(&u->cmp, 0, sizeof u->cmp);
	u->cmp_stale = false;
	u->reg[DBG_REG_DBSR] = (rst << DBSR_MRR_SHIFT) & DBSR_MRR;
	u->pc = RESET_VECTOR;
	u->halted = false;
	if (res->nirq < DBG_MAX_IRQS)
		res->irq[res->nirq++] = (struct dbg_taken){ DBG_IRQ_RESET, RESET_VECTOR, 0, 0 };
	note(u, res, R_RESET, rst, 0, 0);
}

/* A DBCR0 write by software: EDM keeps its value (#edm); returns the value to store, or resets. */
static bool dbcr0_write(struct dbg_unit *u, struct dbg_result *res, uint32_t v, uint32_t *out)
{
	uint32_t old = u->reg[DBG_REG_DBCR0];
	uint32_t sw = v & legal(u, DBG_REG_DBCR0);
	if ((sw ^ old) & DBCR0_SWRO)
		note(u, res, R_EDM_SW, 0, 0, 0);
	sw = (sw & ~DBCR0_SWRO) | (old & DBCR0_SWRO);
	uint32_t rst = (sw & DBCR0_RST) >> DBCR0_RST_SHIFT;
	if (rst && u->opt.v[DBG_OPT_RST_ENCODING] == DBG_RST_ANY_NONZERO) {
		reset(u, res, rst);
		return false;
	}
	*out = sw;
	return true;
}

/* Software mtspr (#dbsr, #registers, #spr-window). Returns false if it reset the core. */
static bool mtspr(struct dbg_unit *u, struct dbg_result *res, int r, uint32_t v)
{
	if (r < 0 || !dbg_reg_exists(u->core, (enum dbg_reg_id)r)) {
		note(u, res, R_UNIMPL, (uint32_t)r, 0, 0);   /* reads 0, writes ignored */
		return true;
	}
	uint32_t m = legal(u, (enum dbg_reg_id)r);
	uint32_t old = u->reg[r];
	switch (r) {
	case DBG_REG_DBSR:
		u->reg[r] = old & ~v;                        /* write-1-to-clear */
		note(u, res, R_W1C, old, u->reg[r], 0);
		return true;
	case DBG_REG_DBSRWR:
		/* e500mc DBSRWR writes DBSR contents directly (option DBSRWR_MODE). */
		old = u->reg[DBG_REG_DBSR];
		if (u->opt.v[DBG_OPT_DBSRWR_MODE] == DBG_DBSRWR_REPLACE)
			u->reg[DBG_REG_DBSR] = v & m;
		else
			u->reg[DBG_REG_DBSR] |= v & m;
		note(u, res, R_DBSRWR, old, u->reg[DBG_REG_DBSR], 0);
		return true;
	case DBG_REG_DBCR0:
		if (!dbcr0_write(u, res, v, &u->reg[r]))
			return false;
		break;
	default:
		u->reg[r] = v & m;
		if (u->reg[r] != v)
			note(u, res, R_LEGALIZE, (uint32_t)r, v, u->reg[r]);
		break;
	}
	if (is_debug_ctl((enum dbg_reg_id)r)) {
		if (u->opt.v[DBG_OPT_DEBUG_SPR_WINDOW] == DBG_WINDOW_IMMEDIATE) {
			cmp_load(u, (enum dbg_reg_id)r);
		} else {
			u->cmp_stale = true;
			note(u, res, R_WINDOW, (uint32_t)r, 0, 0);
		}
	}
	return true;
}

/* An MSR load by mtmsr or a return. In guest state GS stays 1 and MSRP[DEP]=1 keeps DE
 * (#hypervisor). */
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

static uint32_t mfspr(const struct dbg_unit *u, int r)
{
	if (r < 0 || r == DBG_REG_DBSRWR || !dbg_reg_exists(u->core, (enum dbg_reg_id)r))
		return 0;                  /* not implemented, or write-only */
	return u->reg[r];
}

bool complete(struct dbg_unit *u, struct dbg_result *res, const struct dbg_insn *in)
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
		if (!mtspr(u, res, in->reg, in->value))
			return false;
		break;
	case DBG_I_MFSPR:
		res->value = mfspr(u, in->reg);
		break;
	case DBG_I_MTMSR:
		write_msr(u, res, in->value);
		break;
	default:
		break;
	}
	u->pc = next;
	return true;
}
