/* The cosim API (cosim.h) under fuzz_api: any handle, kind, size, flag and cycle. Checks: a refused
 * call (COSIM_BAD_ARG) changes nothing the model expects; verdicts and counts stay in range; the
 * error queue always hands back terminated strings. */
#include <string.h>

#include "cosim.h"
#include "dbg_unit.h"
#include "fuzz_cosim.h"

#define MAX_LIVE 8              /* each instance queues 50 KB of messages: keep a few */

static int live[MAX_LIVE];      /* handles this input created, 0 = free */

static void track(int h)
{
	for (int i = 0; i < MAX_LIVE; i++)
		if (!live[i]) {
			live[i] = h;
			return;
		}
}

static bool is_live(int h)
{
	for (int i = 0; h && i < MAX_LIVE; i++)
		if (live[i] == h)
			return true;
	return false;
}

static int nlive(void)
{
	int n = 0;
	for (int i = 0; i < MAX_LIVE; i++)
		n += live[i] != 0;
	return n;
}

void fuzz_cosim_reset(void)
{
	for (int i = 0; i < MAX_LIVE; i++)
		if (live[i]) {
			cosim_destroy(live[i]);
			live[i] = 0;
		}
}

/* What the model expects of handle h: a refused call must leave all of it as it was. */
struct expected {
	uint32_t dbsr, events, saved_pc, vector, next_pc, mfspr;
	uint64_t cycle, count;
	int debug, errors;
};

static struct expected expected_of(int h)
{
	return (struct expected){ cosim_expected_dbsr(h), cosim_expected_events(h),
		cosim_expected_saved_pc(h), cosim_expected_vector(h), cosim_expected_next_pc(h),
		cosim_expected_mfspr(h), cosim_expected_cycle(h), cosim_insn_count(h),
		cosim_expected_debug(h), cosim_error_count(h) };
}

static bool same(const struct expected *a, const struct expected *b)
{
	return a->dbsr == b->dbsr && a->events == b->events && a->saved_pc == b->saved_pc &&
	       a->vector == b->vector && a->next_pc == b->next_pc && a->mfspr == b->mfspr &&
	       a->cycle == b->cycle && a->count == b->count && a->debug == b->debug &&
	       a->errors == b->errors;
}

static uint64_t cycle_of(struct fin *in, int h)
{
	uint8_t m = in_u8(in);
	uint64_t now = cosim_expected_cycle(h), d = m >> 2;
	switch (m & 3) {
	case 0: return now + d;
	case 1: return now - d;       /* backwards: counts as the last cycle */
	case 2: return now + 1;
	default: return in_u64(in);
	}
}

static void verdict_ok(int v, int h, const struct expected *before)
{
	MUST(v >= COSIM_BAD_ARG && v <= COSIM_IDLE);
	if (v == COSIM_BAD_ARG) {
		struct expected after = expected_of(h);
		MUST(same(before, &after));
	}
	int d = cosim_expected_debug(h);
	MUST(d >= 0 && d <= 2);
}

static void op_create(struct fin *in)
{
	int core = in_pick(in, 2);
	if (nlive() == MAX_LIVE)
		return;
	int h = cosim_create(core);
	MUST(h == -1 || h >= 1);
	MUST((h >= 1) == (core == 0 || core == 1));
	if (h >= 1)
		track(h);
}

static void op_destroy(struct fin *in)
{
	int h = in_pick(in, MAX_LIVE + 1);
	cosim_destroy(h);
	for (int i = 0; i < MAX_LIVE; i++)
		if (live[i] == h)
			live[i] = 0;
	MUST(cosim_insn_count(h) == 0 && cosim_error_count(h) == 0);
}

/* An option by its real name or any string, with one of its value names or any string (the
 * integer option has none: it takes the string). Only a known name and value on a live handle
 * may succeed. */
static void op_option(struct fin *in)
{
	char nbuf[32], vbuf[32];
	int h = in_pick(in, MAX_LIVE + 1), id = in_pick(in, DBG_OPT_COUNT), k = in_pick(in, 3);
	bool known = id >= 0 && id < DBG_OPT_COUNT;
	const char *name = known && (in_u8(in) & 1) ? dbg_opt_desc[id].name : in_str(in, nbuf, sizeof nbuf);
	const char *value = in_str(in, vbuf, sizeof vbuf);
	if (known && k >= 0 && k < 3 && dbg_opt_desc[id].values[k] && (in_u8(in) & 1))
		value = dbg_opt_desc[id].values[k];
	bool with_name = in_u8(in) & 7, with_value = in_u8(in) & 7;   /* NULL now and then */
	int rc = cosim_set_option(h, with_name ? name : NULL, with_value ? value : NULL);
	MUST(rc == -1 || (rc == 0 && is_live(h) && with_name && with_value && dbg_opt_find(name) >= 0));
}

static void op_reg(struct fin *in)
{
	int h = in_pick(in, MAX_LIVE + 1), spr = in_pick_at(in, -2, 1026);   /* -2 pc, -1 msr */
	uint32_t v = in_u32(in);
	int rc = cosim_set_reg(h, spr, v);
	MUST(rc == 0 || rc == -1);
	(void)cosim_get_reg(h, in_pick_at(in, -2, 1026));
}

static void op_step(struct fin *in)
{
	int h = in_pick(in, MAX_LIVE + 1);
	uint64_t cyc = cycle_of(in, h);
	uint32_t pc = in_u32(in), ea = in_u32(in), target = in_u32(in), value = in_u32(in);
	int kind = in_pick(in, DBG_I_COUNT), spr = in_pick_at(in, -2, 1026);
	uint32_t size = (uint32_t)in_pick(in, 33);
	/* low bits and a fault in bits 8..15, or any int (unsigned: a shift of -1 is undefined) */
	int flags = (int)((unsigned)in_pick(in, 4) | (unsigned)in_pick(in, DBG_F_COUNT) << 8);
	struct expected before = expected_of(h);
	int v = cosim_step(h, cyc, pc, kind, ea, size, target, spr, value, flags);
	verdict_ok(v, h, &before);
	unsigned known = COSIM_F_FAIL | COSIM_F_NOOP | (unsigned)COSIM_FAULT(0xFF);
	MUST(!((unsigned)flags & ~known) || v == COSIM_BAD_ARG);    /* an unknown flag is refused */
}

static void op_async(struct fin *in)
{
	int h = in_pick(in, MAX_LIVE + 1), kind = in_pick(in, DBG_IRQ_COUNT);
	uint64_t cyc = cycle_of(in, h);
	struct expected before = expected_of(h);
	int v = (in_u8(in) & 1) ? cosim_irq(h, cyc, kind) : cosim_ude(h, cyc);
	verdict_ok(v, h, &before);
}

static void op_check(struct fin *in)
{
	int h = in_pick(in, MAX_LIVE + 1);
	uint32_t dbsr = in_u32(in), saved = in_u32(in);
	int took = in_pick(in, 3);
	int n = cosim_check(h, dbsr, took, saved);
	MUST(n == COSIM_BAD_ARG || (n >= 0 && n <= 3));
}

/* Drain some messages into buffers of any length: terminated within len, never past it. */
static void op_errors(struct fin *in)
{
	char buf[80];
	int h = in_pick(in, MAX_LIVE + 1), len = in_pick_at(in, -1, 64);
	if (len >= (int)sizeof buf)
		len = (int)sizeof buf - 1;     /* a length past the buffer is the caller's bug */
	memset(buf, 'x', sizeof buf);
	int got = cosim_next_error(h, len > 0 ? buf : NULL, len);
	MUST(got == 0 || got == 1);
	if (len > 0)
		MUST(buf[len] == 'x' && (!got || memchr(buf, 0, (size_t)len)));
	const char *s = cosim_pop_error(h);
	MUST(s && strlen(s) < 200);
	MUST(cosim_error_count(h) >= 0);
}

static void op_kinds(struct fin *in)
{
	char s[24];
	in_str(in, s, sizeof s);
	int k = cosim_insn_kind(s), q = cosim_irq_kind(s), f = cosim_fault_kind(s);
	MUST(k >= -1 && k < DBG_I_COUNT && q >= -1 && q < DBG_IRQ_COUNT && f >= -1 && f < DBG_F_COUNT);
	MUST(cosim_insn_kind(NULL) == -1 && cosim_irq_kind(NULL) == -1 && cosim_fault_kind(NULL) == -1);
}

typedef void (*op_fn)(struct fin *);

static const op_fn ops[] = {
	op_create, op_create, op_destroy, op_option, op_reg, op_reg, op_step, op_step, op_step,
	op_step, op_async, op_check, op_check, op_errors, op_kinds,
};

void fuzz_cosim_op(struct fin *in)
{
	ops[in_u8(in) % (sizeof ops / sizeof ops[0])](in);
}
