/* The unit's public face besides execution: creation, options, the back door, the accessors other
 * layers read the state through, and the argument checks that keep a bad call from changing it. */
#include "dbg_core.h"

#include <string.h>

static bool core_ok(enum dbg_core c)
{
	return (unsigned)c == DBG_E500V2 || (unsigned)c == DBG_E500MC;
}

const char *dbg_strerror(int status)
{
	switch (status) {
	case DBG_OK:     return "ok";
	case DBG_EINVAL: return "invalid argument (NULL pointer, or core, option value or flag out of range)";
	case DBG_EREG:   return "invalid register id";
	case DBG_EKIND:  return "invalid instruction, fault or interrupt kind";
	case DBG_ESIZE:  return "invalid access size";
	case DBG_ECYCLE: return "cycle before the previous statement's, or past DBG_CYCLE_MAX";
	default:         return "unknown status";
	}
}

int dbg_init(struct dbg_unit *u, enum dbg_core core)
{
	if (!u || !core_ok(core))
		return DBG_EINVAL;
	memset(u, 0, sizeof *u);
	u->core = core;
	dbg_opts_default(&u->opt, core);
	refresh(u);
	return DBG_OK;
}

int dbg_set_opts(struct dbg_unit *u, const struct dbg_opts *o)
{
	if (!u || !o || !dbg_opts_valid(o))
		return DBG_EINVAL;
	u->opt = *o;
	refresh(u);
	return DBG_OK;
}

const struct dbg_opts *dbg_get_opts(const struct dbg_unit *u)
{
	return u ? &u->opt : NULL;
}

int dbg_set(struct dbg_unit *u, enum dbg_reg_id r, uint32_t v)
{
	if (!u)
		return DBG_EINVAL;
	if (!dbg_reg_valid((int)r))
		return DBG_EREG;
	/* The back door writes flops directly: bits that do not exist stay 0, but DBSR is loaded as
	 * given and DBCR0[EDM] can be set (the external debugger's path, #edm). */
	u->reg[r] = (r == DBG_REG_DBSRWR) ? 0 : v & legal(u, r);
	if (is_debug_ctl(r))
		cmp_load(u, r);
	u->halted = false;
	refresh(u);
	return DBG_OK;
}

int dbg_set_pc(struct dbg_unit *u, uint32_t pc)
{
	if (!u)
		return DBG_EINVAL;
	u->pc = pc;
	u->halted = false;
	refresh(u);
	return DBG_OK;
}

int dbg_explain(struct dbg_unit *u, bool on)
{
	if (!u)
		return DBG_EINVAL;
	u->explain = on;
	refresh(u);      /* narration takes the full path */
	return DBG_OK;
}

bool dbg_explaining(const struct dbg_unit *u)
{
	return u && u->explain;
}

enum dbg_core dbg_core_of(const struct dbg_unit *u) { return u ? u->core : DBG_E500V2; }
bool dbg_started(const struct dbg_unit *u) { return u && u->started; }
uint64_t dbg_count_exec(const struct dbg_unit *u) { return u ? u->n_exec : 0; }
uint64_t dbg_count_debug_int(const struct dbg_unit *u) { return u ? u->n_debug_int : 0; }

void dbg_comparators(const struct dbg_unit *u, struct dbg_cmp *out, bool *stale)
{
	if (out)
		*out = u ? u->cmp : (struct dbg_cmp){ 0 };
	if (stale)
		*stale = u && u->cmp_stale;
}

const struct dbg_taken *dbg_result_irq(const struct dbg_result *r, enum dbg_irq_kind k)
{
	if (!r)
		return NULL;
	for (unsigned i = 0; i < r->nirq && i < DBG_MAX_IRQS; i++)
		if (r->irq[i].kind == k)
			return &r->irq[i];
	return NULL;
}

/* Which save registers each interrupt class writes (#interrupts, #delivery). */
int dbg_save_regs(enum dbg_core c, enum dbg_irq_kind k, enum dbg_reg_id *pc_reg,
		  enum dbg_reg_id *msr_reg)
{
	enum dbg_reg_id s0, s1;
	if (!core_ok(c))
		return DBG_EINVAL;
	switch (k) {
	case DBG_IRQ_NONE: case DBG_IRQ_RESET:
		return DBG_EKIND;
	case DBG_IRQ_DEBUG:
		s0 = c == DBG_E500MC ? DBG_REG_DSRR0 : DBG_REG_CSRR0;
		s1 = c == DBG_E500MC ? DBG_REG_DSRR1 : DBG_REG_CSRR1;
		break;
	case DBG_IRQ_CRITICAL: case DBG_IRQ_WATCHDOG:
		s0 = DBG_REG_CSRR0;
		s1 = DBG_REG_CSRR1;
		break;
	case DBG_IRQ_MACHINE_CHECK:
		s0 = DBG_REG_MCSRR0;
		s1 = DBG_REG_MCSRR1;
		break;
	default:
		if ((unsigned)k >= DBG_IRQ_COUNT)
			return DBG_EKIND;
		s0 = DBG_REG_SRR0;
		s1 = DBG_REG_SRR1;
		break;
	}
	if (pc_reg)
		*pc_reg = s0;
	if (msr_reg)
		*msr_reg = s1;
	return DBG_OK;
}
