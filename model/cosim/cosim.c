/* Lockstep co-simulation API (cosim.h): handles over model instances, the last result of each, and a
 * queue of mismatch messages. The model decides everything; this file only compares. */
#include "cosim.h"

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "dbg_unit.h"

#define MAX_QUEUED 256
#define MSG_LEN 200

struct cosim {
	struct dbg_unit u;
	struct dbg_result last;       /* of the last step/irq/ude */
	char what[64];                /* what it was, for messages */
	uint64_t steps;
	char msg[MAX_QUEUED][MSG_LEN];
	unsigned head, count;         /* ring of queued messages */
	unsigned long dropped;        /* mismatches beyond MAX_QUEUED */
	char popped[MSG_LEN];         /* cosim_pop_error's result */
};

static struct cosim **inst;      /* inst[h - 1]; NULL when destroyed */
static int ninst;

static struct cosim *get(int h)
{
	return h >= 1 && h <= ninst ? inst[h - 1] : NULL;
}

int cosim_create(int core)
{
	if (core != DBG_E500V2 && core != DBG_E500MC)
		return -1;
	struct cosim *c = calloc(1, sizeof *c);
	if (!c)
		return -1;
	dbg_init(&c->u, (enum dbg_core)core);
	int h = 0;
	while (h < ninst && inst[h])
		h++;
	if (h == ninst) {
		struct cosim **n = realloc(inst, (size_t)(ninst + 1) * sizeof *n);
		if (!n) {
			free(c);
			return -1;
		}
		inst = n;
		inst[ninst++] = NULL;
	}
	inst[h] = c;
	return h + 1;
}

void cosim_destroy(int h)
{
	struct cosim *c = get(h);
	if (!c)
		return;
	free(c);
	inst[h - 1] = NULL;
}

int cosim_set_option(int h, const char *name, const char *value)
{
	struct cosim *c = get(h);
	int id = name ? dbg_opt_find(name) : -1;
	int v = id >= 0 && value ? dbg_opt_parse_value(id, value) : -1;
	if (!c || v < 0)
		return -1;
	struct dbg_opts o = *dbg_get_opts(&c->u);
	o.v[id] = (uint8_t)v;
	dbg_set_opts(&c->u, &o);
	return 0;
}

static int reg_of(int spr)
{
	if (spr == COSIM_SPR_MSR)
		return DBG_REG_MSR;
	return spr >= 0 && spr <= 1023 ? dbg_reg_by_spr(spr) : -1;
}

int cosim_set_reg(int h, int spr, uint32_t value)
{
	struct cosim *c = get(h);
	if (!c)
		return -1;
	if (spr == COSIM_SPR_PC) {
		dbg_set_pc(&c->u, value);
		return 0;
	}
	int r = reg_of(spr);
	if (r < 0)
		return -1;
	dbg_set(&c->u, (enum dbg_reg_id)r, value);
	return 0;
}

uint32_t cosim_get_reg(int h, int spr)
{
	struct cosim *c = get(h);
	if (!c)
		return 0;
	if (spr == COSIM_SPR_PC)
		return dbg_pc(&c->u);
	int r = reg_of(spr);
	return r < 0 ? 0 : dbg_get(&c->u, (enum dbg_reg_id)r);
}

int cosim_insn_kind(const char *name)
{
	return dbg_insn_find(name);
}

int cosim_irq_kind(const char *name)
{
	int k = dbg_irq_find(name);
	return k > DBG_IRQ_NONE ? k : -1;
}

int cosim_fault_kind(const char *name)
{
	static const char *const names[DBG_F_COUNT] = { "none", "itlb", "isi", "program", "dtlb",
		"dsi", "alignment" };
	for (int k = 0; name && k < DBG_F_COUNT; k++)
		if (dbg_name_eq(name, names[k]))
			return k;
	return -1;
}

static enum cosim_action verdict(const struct dbg_result *r)
{
	switch (r->action) {
	case DBG_ACT_HALTED: return COSIM_HALTED;
	case DBG_ACT_SQUASHED: return COSIM_SQUASHED;
	case DBG_ACT_IDLE: return COSIM_IDLE;
	default: break;
	}
	return dbg_result_irq(r, DBG_IRQ_DEBUG) ? COSIM_DEBUG : COSIM_NONE;
}

int cosim_step(int h, uint64_t cycle, uint32_t pc, int kind, uint32_t ea, uint32_t size,
	       uint32_t target, int spr, uint32_t value, int flags)
{
	struct cosim *c = get(h);
	int fault = (flags >> 8) & 0xFF;
	/* bits besides FAIL, NOOP and the fault byte are unknown flags, not ignored */
	unsigned known = COSIM_F_FAIL | COSIM_F_NOOP | (unsigned)COSIM_FAULT(0xFF);
	if (!c || kind < 0 || kind >= DBG_I_COUNT || fault >= DBG_F_COUNT || ((unsigned)flags & ~known))
		return COSIM_BAD_ARG;
	struct dbg_insn in = {
		.kind = (enum dbg_insn_kind)kind, .pc = pc, .ea = ea, .size = size, .target = target,
		.reg = reg_of(spr), .value = value, .flags = (unsigned)flags & (COSIM_F_FAIL | COSIM_F_NOOP),
		.fault = (enum dbg_fault)fault,
	};
	if (in.reg == DBG_REG_MSR)
		in.reg = -1;             /* MSR is no SPR: mtspr/mfspr of it reaches nothing */
	struct dbg_result r;
	if (dbg_exec(&c->u, dbg_not_before_last(&c->u, cycle), &in, &r) != DBG_OK)
		return COSIM_BAD_ARG;      /* an access size or register the instruction cannot have */
	c->last = r;
	c->steps++;
	snprintf(c->what, sizeof c->what, "pc 0x%08" PRIX32 " (%s)", pc,
		 dbg_insn_name((enum dbg_insn_kind)kind));
	return verdict(&c->last);
}

int cosim_irq(int h, uint64_t cycle, int kind)
{
	struct cosim *c = get(h);
	struct dbg_result r;
	if (!c || kind <= DBG_IRQ_NONE || kind >= DBG_IRQ_COUNT ||
	    dbg_irq(&c->u, dbg_not_before_last(&c->u, cycle), (enum dbg_irq_kind)kind, &r) != DBG_OK)
		return COSIM_BAD_ARG;
	c->last = r;
	snprintf(c->what, sizeof c->what, "irq %s", dbg_irq_name((enum dbg_irq_kind)kind));
	return verdict(&c->last);
}

int cosim_ude(int h, uint64_t cycle)
{
	struct cosim *c = get(h);
	struct dbg_result r;
	if (!c || dbg_ude(&c->u, dbg_not_before_last(&c->u, cycle), &r) != DBG_OK)
		return COSIM_BAD_ARG;
	c->last = r;
	snprintf(c->what, sizeof c->what, "ude");
	return verdict(&c->last);
}

static const struct dbg_taken *debug_taken(const struct cosim *c)
{
	return dbg_result_irq(&c->last, DBG_IRQ_DEBUG);
}

uint32_t cosim_expected_dbsr(int h) { struct cosim *c = get(h); return c ? c->last.dbsr : 0; }
uint32_t cosim_expected_events(int h) { struct cosim *c = get(h); return c ? c->last.events : 0; }
uint64_t cosim_expected_cycle(int h) { struct cosim *c = get(h); return c ? c->last.cycle : 0; }
uint32_t cosim_expected_mfspr(int h) { struct cosim *c = get(h); return c ? c->last.value : 0; }
uint32_t cosim_expected_next_pc(int h) { struct cosim *c = get(h); return c ? dbg_pc(&c->u) : 0; }
uint64_t cosim_insn_count(int h) { struct cosim *c = get(h); return c ? c->steps : 0; }

int cosim_expected_debug(int h)
{
	struct cosim *c = get(h);
	if (!c)
		return 0;
	int v = verdict(&c->last);
	return v == COSIM_DEBUG ? 1 : (v == COSIM_HALTED || v == COSIM_IDLE) ? 2 : 0;
}

uint32_t cosim_expected_saved_pc(int h)
{
	struct cosim *c = get(h);
	const struct dbg_taken *t = c ? debug_taken(c) : NULL;
	return t ? t->saved_pc : 0;
}

uint32_t cosim_expected_vector(int h)
{
	struct cosim *c = get(h);
	const struct dbg_taken *t = c ? debug_taken(c) : NULL;
	return t ? t->vector : 0;
}

static void queue(struct cosim *c, const char *field, const char *model, const char *dut)
{
	if (c->count == MAX_QUEUED) {
		c->dropped++;
		return;
	}
	snprintf(c->msg[(c->head + c->count) % MAX_QUEUED], MSG_LEN,
		 "cycle %" PRIu64 " %s: %s: model %s, DUT %s", c->last.cycle, c->what, field, model, dut);
	c->count++;
}

static const char *debug_word(int d)
{
	return d == 1 ? "taken" : d == 2 ? "halted" : d == 0 ? "none" : "invalid";
}

int cosim_check(int h, uint32_t dbsr, int took_debug, uint32_t saved_pc)
{
	struct cosim *c = get(h);
	if (!c)
		return COSIM_BAD_ARG;
	int bad = 0;
	char a[32], b[32];
	if (dbsr != c->last.dbsr) {
		snprintf(a, sizeof a, "0x%08" PRIX32, c->last.dbsr);
		snprintf(b, sizeof b, "0x%08" PRIX32, dbsr);
		queue(c, "DBSR", a, b);
		bad++;
	}
	int want = cosim_expected_debug(h);
	if (took_debug != want) {
		queue(c, "debug interrupt", debug_word(want), debug_word(took_debug));
		bad++;
	} else if (want == 1 && saved_pc != cosim_expected_saved_pc(h)) {
		snprintf(a, sizeof a, "0x%08" PRIX32, cosim_expected_saved_pc(h));
		snprintf(b, sizeof b, "0x%08" PRIX32, saved_pc);
		enum dbg_reg_id s0;
		dbg_save_regs(dbg_core_of(&c->u), DBG_IRQ_DEBUG, &s0, NULL);
		queue(c, dbg_reg_name(s0), a, b);
		bad++;
	}
	return bad;
}

int cosim_error_count(int h)
{
	struct cosim *c = get(h);
	return c ? (int)c->count + (c->dropped ? 1 : 0) : 0;
}

int cosim_next_error(int h, char *buf, int len)
{
	struct cosim *c = get(h);
	if (!c || !buf || len <= 0)
		return 0;
	if (c->count) {
		snprintf(buf, (size_t)len, "%s", c->msg[c->head]);
		c->head = (c->head + 1) % MAX_QUEUED;
		c->count--;
		return 1;
	}
	if (c->dropped) {
		snprintf(buf, (size_t)len, "... %lu more mismatches (queue full)", c->dropped);
		c->dropped = 0;
		return 1;
	}
	buf[0] = 0;
	return 0;
}

const char *cosim_pop_error(int h)
{
	static char none[1];
	struct cosim *c = get(h);
	if (!c)
		return none;
	cosim_next_error(h, c->popped, sizeof c->popped);
	return c->popped;
}
