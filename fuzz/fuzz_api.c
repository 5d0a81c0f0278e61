/* libFuzzer harness of the public core API (dbg_unit.h, dbg_explain.h): the input is a sequence of
 * calls with any arguments. Besides ASan/UBSan it checks the API's own promises: bad arguments are
 * refused and good ones accepted; a refused call leaves the unit byte-identical and its result
 * empty; an accepted one returns a result within its bounds, every note has a text, and cycles
 * never go backwards. The cosim API has its own ops in fuzz_cosim.c. */
#include <stdbool.h>
#include <string.h>

#include "dbg_explain.h"
#include "dbg_unit.h"
#include "fuzz_cosim.h"
#include "fuzz_input.h"

static struct dbg_unit u;
static struct dbg_unit saved;    /* the unit's bytes before a call that may be refused */

static void keep(void)
{
	memcpy(&saved, &u, sizeof u);
}

static void unchanged(void)
{
	MUST(memcmp(&saved, &u, sizeof u) == 0);
}

/* A refused timed call leaves the unit as it was and a result that reads as an empty one. */
static void refused(const struct dbg_result *r)
{
	unchanged();
	MUST(r->events == 0 && r->nirq == 0 && r->nnotes == 0 && r->action == DBG_ACT_NONE);
}

/* Every note the model records has a text of its own (never the "?" of an unknown rule). */
static void check_notes(const struct dbg_result *r)
{
	char buf[512];
	for (unsigned i = 0; i < r->nnotes; i++) {
		const char *s = dbg_rule_format(&r->notes[i], buf, sizeof buf);
		MUST(s == buf && strlen(s) < sizeof buf && strcmp(s, "?") != 0);
	}
}

static void check_irqs(const struct dbg_result *r)
{
	for (unsigned i = 0; i < r->nirq; i++) {
		enum dbg_reg_id s0, s1;
		MUST((unsigned)r->irq[i].kind < DBG_IRQ_COUNT);
		if (dbg_save_regs(dbg_core_of(&u), r->irq[i].kind, &s0, &s1) == DBG_OK)
			MUST(dbg_reg_valid((int)s0) && dbg_reg_valid((int)s1));
	}
	for (int k = -1; k <= DBG_IRQ_COUNT; k++) {
		const struct dbg_taken *t = dbg_result_irq(r, (enum dbg_irq_kind)k);
		MUST(!t || (int)t->kind == k);
	}
}

/* An accepted timed call: the result is within its bounds and agrees with the unit. */
static void accepted(const struct dbg_result *r, uint64_t asked, uint64_t prev_cycle)
{
	MUST(r->nirq <= DBG_MAX_IRQS && r->nnotes <= DBG_MAX_NOTES);
	MUST(dbg_explaining(&u) || r->nnotes == 0);
	MUST((unsigned)r->action <= DBG_ACT_IDLE && (unsigned)r->slip <= DBG_SLIP_ENTRY);
	MUST((r->events & ~DBG_EVENT_BITS) == 0);
	MUST(r->dbsr == dbg_get(&u, DBG_REG_DBSR));
	/* completion is never before the cycle asked, and the unit's cycle never goes back */
	MUST(r->cycle >= asked && dbg_cycle(&u) >= prev_cycle);
	check_notes(r);
	check_irqs(r);
}

/* The header's promise on the arguments of dbg_exec (a data fault on an instruction without an
 * access is accepted and has no effect). */
static bool insn_valid(const struct dbg_insn *i)
{
	if ((unsigned)i->kind >= DBG_I_COUNT || (unsigned)i->fault >= DBG_F_COUNT ||
	    (i->flags & ~(DBG_INSN_FAIL | DBG_INSN_NOOP)))
		return false;
	switch (i->kind) {
	case DBG_I_MTSPR: case DBG_I_MFSPR:
		return i->reg >= -1 && i->reg < DBG_REG_COUNT;
	case DBG_I_LOAD: case DBG_I_STORE:
		return i->size == 1 || i->size == 2 || i->size == 4 || i->size == 8;
	case DBG_I_LMW: case DBG_I_STMW:
		return i->size >= 1 && i->size <= 32;
	default:
		return true;
	}
}

enum promise { REFUSE, ACCEPT, EITHER };

/* What a timed call must answer, decided before it: bad arguments or a cycle past DBG_CYCLE_MAX
 * are refused; good ones at or after the last completion are accepted. (A cycle between the last
 * one given and the last completion only the unit knows.) */
static enum promise promised(bool args_ok, uint64_t cyc)
{
	if (!args_ok || cyc > DBG_CYCLE_MAX)
		return REFUSE;
	return !dbg_started(&u) || cyc >= dbg_cycle(&u) ? ACCEPT : EITHER;
}

static void as_promised(enum promise p, int st)
{
	MUST(p == EITHER || (st == DBG_OK) == (p == ACCEPT));
}

/* A cycle: around the unit's own (also before it) or any 64-bit value. */
static uint64_t cycle_of(struct fin *in)
{
	uint8_t m = in_u8(in);
	uint64_t now = dbg_cycle(&u), d = m >> 2;
	switch (m & 3) {
	case 0: return now + d;
	case 1: return now - d;
	case 2: return now + 1;
	default: return in_u64(in);
	}
}

static void op_init(struct fin *in)
{
	int core = in_pick(in, 2);
	keep();
	if (dbg_init(&u, (enum dbg_core)core) != DBG_OK)
		unchanged();
	else
		MUST(dbg_core_of(&u) == (enum dbg_core)core && !dbg_started(&u));
}

static void op_set(struct fin *in)
{
	int r = in_pick(in, DBG_REG_COUNT);
	uint32_t v = in_u32(in);
	keep();
	int st = dbg_set(&u, (enum dbg_reg_id)r, v);
	MUST((st == DBG_OK) == dbg_reg_valid(r));
	if (st != DBG_OK)
		unchanged();
	else
		MUST(!dbg_halted(&u) && (dbg_get(&u, (enum dbg_reg_id)r) & ~v) == 0);
}

static void op_get(struct fin *in)
{
	int r = in_pick(in, DBG_REG_COUNT);
	uint32_t v = dbg_get(&u, (enum dbg_reg_id)r);
	MUST(dbg_reg_valid(r) || v == 0);
	MUST(dbg_get(NULL, (enum dbg_reg_id)r) == 0);
}

static void op_set_pc(struct fin *in)
{
	uint32_t pc = in_u32(in);
	MUST(dbg_set_pc(&u, pc) == DBG_OK && dbg_pc(&u) == pc && !dbg_halted(&u));
}

static void op_set_opts(struct fin *in)
{
	struct dbg_opts o;
	for (int i = 0; i < DBG_OPT_COUNT; i++) {
		uint8_t b = in_u8(in);
		o.v[i] = b < 224 ? (uint8_t)(b % (dbg_opt_max(i) + 1)) : b;   /* mostly valid */
	}
	keep();
	int st = dbg_set_opts(&u, &o);
	MUST((st == DBG_OK) == dbg_opts_valid(&o));
	if (st != DBG_OK)
		unchanged();
	else
		MUST(memcmp(dbg_get_opts(&u), &o, sizeof o) == 0);
}

static struct dbg_insn insn_of(struct fin *in)
{
	struct dbg_insn i;
	memset(&i, 0, sizeof i);
	i.kind = (enum dbg_insn_kind)in_pick(in, DBG_I_COUNT);
	i.pc = in_u32(in);
	i.ea = in_u32(in);
	i.size = (uint32_t)in_pick(in, 33);
	i.target = in_u32(in);
	i.reg = in_pick_at(in, -1, DBG_REG_COUNT + 1);    /* -1 is an SPR the core lacks */
	i.value = in_u32(in);
	i.flags = (unsigned)in_pick(in, 4);
	i.fault = (enum dbg_fault)in_pick(in, DBG_F_COUNT);
	return i;
}

static void op_exec(struct fin *in)
{
	struct dbg_insn i = insn_of(in);
	uint64_t cyc = cycle_of(in), prev = dbg_cycle(&u);
	struct dbg_result r;
	memset(&r, 0xA5, sizeof r);
	keep();
	enum promise want = promised(insn_valid(&i), cyc);
	int st = dbg_exec(&u, cyc, &i, &r);
	as_promised(want, st);
	if (st != DBG_OK)
		refused(&r);
	else
		accepted(&r, cyc, prev);
}

static void op_irq(struct fin *in)
{
	int k = in_pick(in, DBG_IRQ_COUNT);
	uint64_t cyc = cycle_of(in), prev = dbg_cycle(&u);
	struct dbg_result r;
	memset(&r, 0xA5, sizeof r);
	keep();
	bool async = k == DBG_IRQ_EXTERNAL || k == DBG_IRQ_DECREMENTER || k == DBG_IRQ_FIT ||
		     k == DBG_IRQ_CRITICAL || k == DBG_IRQ_WATCHDOG || k == DBG_IRQ_MACHINE_CHECK;
	enum promise want = promised(async, cyc);
	int st = dbg_irq(&u, cyc, (enum dbg_irq_kind)k, &r);
	as_promised(want, st);
	if (st != DBG_OK)
		refused(&r);
	else
		accepted(&r, cyc, prev);
}

static void op_ude(struct fin *in)
{
	uint64_t cyc = cycle_of(in), prev = dbg_cycle(&u);
	struct dbg_result r;
	memset(&r, 0xA5, sizeof r);
	keep();
	enum promise want = promised(true, cyc);
	int st = dbg_ude(&u, cyc, &r);
	as_promised(want, st);
	if (st != DBG_OK)
		refused(&r);
	else
		accepted(&r, cyc, prev);
}

static void op_explain(struct fin *in)
{
	bool on = in_u8(in) & 1;
	MUST(dbg_explain(&u, on) == DBG_OK && dbg_explaining(&u) == on);
}

/* The name functions with any value and any string; a find returns -1 or a value whose name
 * compares equal. */
static void op_names(struct fin *in)
{
	char s[24];
	int v = in_pick(in, DBG_REG_COUNT);
	MUST(dbg_core_name((enum dbg_core)v) && dbg_irq_name((enum dbg_irq_kind)v) &&
	     dbg_insn_name((enum dbg_insn_kind)v) && dbg_reg_name((enum dbg_reg_id)v) &&
	     dbg_strerror(v));
	int spr = dbg_reg_by_spr(v);
	MUST(spr == -1 || dbg_reg_valid(spr));
	(void)dbg_reg_exists((enum dbg_core)in_pick(in, 2), (enum dbg_reg_id)v);
	in_str(in, s, sizeof s);
	int k = dbg_core_find(s);
	MUST(k < 0 || dbg_name_eq(s, dbg_core_name((enum dbg_core)k)));
	k = dbg_irq_find(s);
	MUST(k < 0 || dbg_name_eq(s, dbg_irq_name((enum dbg_irq_kind)k)));
	k = dbg_insn_find(s);
	MUST(k < 0 || dbg_name_eq(s, dbg_insn_name((enum dbg_insn_kind)k)));
	k = dbg_reg_find(s);
	MUST(k < 0 || dbg_reg_valid(k));
	k = dbg_opt_find(s);
	MUST(k < 0 || k < DBG_OPT_COUNT);
	k = dbg_opt_parse_value(in_pick(in, DBG_OPT_COUNT), s);
	MUST(k >= -1 && k <= 8);
	(void)dbg_event_bit(s);
}

/* Formatting into buffers of any size: always terminated, never past len. */
static void op_format(struct fin *in)
{
	char buf[600];
	unsigned len = in_u32(in) % (sizeof buf + 1);
	memset(buf, 'x', sizeof buf);
	struct dbg_note n = { (uint16_t)in_u32(in), in_u32(in), in_u32(in), in_u32(in) };
	const char *s = dbg_rule_format(&n, buf, len);
	MUST(len == 0 || (s == buf && memchr(buf, 0, len)));
	MUST(len == sizeof buf || buf[len] == 'x');
	s = dbg_events_str(in_u32(in), buf, len);
	MUST(len == 0 || memchr(buf, 0, len));
	int id = in_pick(in, DBG_OPT_COUNT);
	s = dbg_opt_value_name(id, in_pick(in, 8), buf, len);
	MUST(s != NULL);
	MUST(dbg_rule_format(NULL, buf, len) && dbg_rule_format(&n, NULL, len));
}

static void op_save_regs(struct fin *in)
{
	enum dbg_reg_id s0 = DBG_REG_COUNT, s1 = DBG_REG_COUNT;
	int c = in_pick(in, 2), k = in_pick(in, DBG_IRQ_COUNT);
	bool with = in_u8(in) & 1;
	int st = dbg_save_regs((enum dbg_core)c, (enum dbg_irq_kind)k, with ? &s0 : NULL,
			       with ? &s1 : NULL);
	MUST(st != DBG_OK || !with || (dbg_reg_valid((int)s0) && dbg_reg_valid((int)s1)));
}

/* Every entry point with NULL pointers refuses or reads as empty. */
static void op_nulls(struct fin *in)
{
	struct dbg_insn i = insn_of(in);
	struct dbg_result r;
	struct dbg_opts o;
	dbg_opts_default(&o, DBG_E500V2);
	keep();
	MUST(dbg_init(NULL, DBG_E500V2) == DBG_EINVAL && dbg_set_opts(NULL, &o) == DBG_EINVAL);
	MUST(dbg_set_opts(&u, NULL) == DBG_EINVAL && dbg_set(NULL, DBG_REG_MSR, 1) == DBG_EINVAL);
	MUST(dbg_set_pc(NULL, 4) == DBG_EINVAL && dbg_explain(NULL, true) == DBG_EINVAL);
	MUST(dbg_exec(NULL, 1, &i, &r) == DBG_EINVAL && dbg_exec(&u, 1, NULL, &r) == DBG_EINVAL);
	MUST(dbg_exec(&u, 1, &i, NULL) == DBG_EINVAL && dbg_irq(&u, 1, DBG_IRQ_FIT, NULL) == DBG_EINVAL);
	MUST(dbg_ude(NULL, 1, &r) == DBG_EINVAL && dbg_ude(&u, 1, NULL) == DBG_EINVAL);
	MUST(!dbg_result_irq(NULL, DBG_IRQ_DEBUG) && !dbg_get_opts(NULL) && !dbg_explaining(NULL));
	MUST(dbg_pc(NULL) == 0 && dbg_cycle(NULL) == 0 && !dbg_halted(NULL) && !dbg_started(NULL));
	MUST(dbg_count_exec(NULL) == 0 && dbg_count_debug_int(NULL) == 0);
	struct dbg_cmp c;
	bool stale;
	dbg_comparators(NULL, &c, &stale);
	dbg_comparators(&u, NULL, NULL);
	dbg_comparators(&u, &c, &stale);
	unchanged();
}

typedef void (*op_fn)(struct fin *);

static const op_fn ops[] = {
	op_init, op_set, op_get, op_set_pc, op_set_opts, op_exec, op_exec, op_exec, op_exec,
	op_irq, op_ude, op_explain, op_names, op_format, op_save_regs, op_nulls,
	fuzz_cosim_op, fuzz_cosim_op, fuzz_cosim_op,
};

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct fin in = { data, size };
	dbg_init(&u, in_u8(&in) & 1 ? DBG_E500MC : DBG_E500V2);
	while (in.n)
		ops[in_u8(&in) % (sizeof ops / sizeof ops[0])](&in);
	fuzz_cosim_reset();
	return 0;
}
