/* The native side of the virtualization-equivalence oracle (gate_native.h): the guest's program
 * on a bare core, and the observation logs both sides keep. */
#include <stdio.h>
#include <string.h>

#include "gate_native.h"

void obs_add(struct obs_log *l, enum obs_kind kind, uint32_t pc, int reg, uint32_t value)
{
	if (l->n < OBS_MAX)
		l->o[l->n++] = (struct obs){ kind, pc, reg, value };
}

int obs_first_diff(const struct obs_log *a, const struct obs_log *b)
{
	int n = a->n < b->n ? a->n : b->n;
	for (int i = 0; i < n; i++) {
		const struct obs *x = &a->o[i], *y = &b->o[i];
		if (x->kind != y->kind || x->pc != y->pc || x->reg != y->reg || x->value != y->value)
			return i;
	}
	return a->n == b->n ? -1 : n;
}

void obs_str(const struct obs_log *l, int i, char *buf, unsigned n)
{
	if (i >= l->n) {
		snprintf(buf, n, "nothing");
		return;
	}
	const struct obs *o = &l->o[i];
	char ev[96];
	switch (o->kind) {
	case OBS_DEBUG:
		snprintf(buf, n, "a debug interrupt at 0x%08X with DBSR=0x%08X (%s)", o->pc, o->value,
			 dbg_events_str(o->value, ev, sizeof ev));
		break;
	case OBS_PROGRAM:
		snprintf(buf, n, "a program interrupt at 0x%08X", o->pc);
		break;
	default:
		snprintf(buf, n, "mfspr %s at 0x%08X reads 0x%08X", dbg_reg_desc[o->reg].name, o->pc,
			 o->value);
	}
}

uint32_t guest_handler_return(uint32_t srr0, uint32_t dbsr)
{
	return dbsr & DBSR_TRAP ? srr0 + 4 : srr0;
}

uint32_t guest_handler_dbcr0(uint32_t d0, uint32_t dbsr)
{
	/* Linux traps.c handle_debug: an event that fired is disabled before the handler returns
	 * (breakpoints, watchpoints, the single step), so the guest resumes instead of looping */
	static const uint32_t map[][2] = {
		{ DBSR_IAC1, DBCR0_IAC1 }, { DBSR_IAC2, DBCR0_IAC2 },
		{ DBSR_DAC1R | DBSR_DAC1W, DBCR0_DAC1R | DBCR0_DAC1W },
		{ DBSR_DAC2R | DBSR_DAC2W, DBCR0_DAC2R | DBCR0_DAC2W },
		{ DBSR_ICMP, DBCR0_ICMP }, { DBSR_BRT, DBCR0_BRT },
	};
	for (unsigned k = 0; k < sizeof map / sizeof map[0]; k++)
		if (dbsr & map[k][0])
			d0 &= ~map[k][1];
	return d0;
}

void native_reset(struct native *n, enum dbg_core core, uint32_t msr)
{
	memset(n, 0, sizeof *n);
	dbg_init(&n->u, core);
	dbg_set(&n->u, DBG_REG_IVPR, 0xC0000000u);
	dbg_set(&n->u, DBG_REG_IVOR15, 0xF00);
	dbg_set(&n->u, DBG_REG_IVOR6, 0x600);
	native_set_msr(n, msr);
}

void native_set_msr(struct native *n, uint32_t msr)
{
	/* the guest kernel on a bare core: no guest state, no hypervisor */
	dbg_set(&n->u, DBG_REG_MSR, msr & ~(uint32_t)MSR_GS);
}

/* The guest kernel's handler: see guest_handler_dbcr0. The save pair of a debug interrupt: DSRR on
 * the e500mc (E.ED), CSRR on the e500v2. */
static uint32_t handler(struct native *n, uint32_t spc)
{
	uint32_t dbsr = dbg_get(&n->u, DBG_REG_DBSR);
	obs_add(&n->log, OBS_DEBUG, spc, -1, dbsr);
	n->dbcr0 = guest_handler_dbcr0(n->dbcr0, dbsr);
	dbg_set(&n->u, DBG_REG_DBCR0, n->dbcr0);
	/* mtspr DBSR writes 1 to clear what it read (dbg_set is the back door: it sets) */
	dbg_set(&n->u, DBG_REG_DBSR, dbg_get(&n->u, DBG_REG_DBSR) & ~dbsr);
	enum dbg_reg_id save;
	dbg_save_regs(dbg_core_of(&n->u), DBG_IRQ_DEBUG, &save, NULL);
	dbg_set(&n->u, save, guest_handler_return(spc, dbsr));
	struct dbg_insn ret = { .kind = dbg_core_of(&n->u) == DBG_E500MC ? DBG_I_RFDI : DBG_I_RFCI,
				.pc = dbg_get(&n->u, DBG_REG_IVPR) | 0xF10, .reg = -1 };
	struct dbg_result r;
	dbg_exec(&n->u, ++n->cyc, &ret, &r);
	n->cyc = r.cycle;
	return dbsr;
}


void native_exec(struct native *n, const struct dbg_insn *in)
{
	/* the guest kernel's copy of DBCR0 follows its own writes, whoever owns the hardware */
	if (in->kind == DBG_I_MTSPR && in->reg == DBG_REG_DBCR0 &&
	    !(dbg_get(&n->u, DBG_REG_MSR) & MSR_PR))
		n->dbcr0 = in->value;
	if (n->owned) {
		/* the kernel documents it: while userspace debugs, the guest's debug registers are
		 * neither written nor its events raised; its MSR is still its own */
		if (in->kind == DBG_I_MTMSR)
			native_set_msr(n, in->value);
		return;
	}
	/* a breakpoint stops before the instruction: the handler disables it and it runs again */
	for (int tries = 0; tries < 4; tries++) {
		struct dbg_result r;
		dbg_exec(&n->u, ++n->cyc, in, &r);
		n->cyc = r.cycle;
		const struct dbg_taken *prog = dbg_result_irq(&r, DBG_IRQ_PROGRAM);
		if (prog) {
			obs_add(&n->log, OBS_PROGRAM, prog->saved_pc, -1, 0);
			/* the guest kernel skips the instruction */
			native_set_msr(n, prog->saved_msr);
			dbg_set_pc(&n->u, prog->saved_pc + 4);
			return;
		}
		const struct dbg_taken *dbg = dbg_result_irq(&r, DBG_IRQ_DEBUG);
		int stopped_before = dbg && dbg->saved_pc == in->pc;
		if (!stopped_before && in->kind == DBG_I_MTSPR && !r.nirq && in->reg != DBG_REG_DBSR)
			/* the guest kernel synchronizes after it (mtspr; isync), as the return from
			 * KVM's emulation does; the back door makes the value effective without an
			 * instruction that could itself raise an event */
			dbg_set(&n->u, (enum dbg_reg_id)in->reg, dbg_get(&n->u, (enum dbg_reg_id)in->reg));
		if (!stopped_before && in->kind == DBG_I_MFSPR)
			obs_add(&n->log, OBS_READ, in->pc, in->reg, dbg_get(&n->u, (enum dbg_reg_id)in->reg));
		uint32_t dbsr = dbg ? handler(n, dbg->saved_pc) : 0;
		if (!stopped_before || (dbsr & DBSR_TRAP))
			return;         /* done, or the handler returned past it */
	}
}
