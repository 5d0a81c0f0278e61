/* dbg_exec's fast path, compiled into the caller. A testbench calls dbg_exec once per retiring
 * instruction, and most of them can raise nothing; answering that without a call is most of the
 * model's speed when nothing matches (bench/bench_model.c). The filter it reads is set by the core
 * (model/dbg_filter.c) after every statement that can change the debug state; anything it is not
 * sure of goes to dbg_exec_full, the whole model.
 *
 * In C the function-like macro dbg_exec() selects this inline version (C++ calls dbg_exec_inline());
 * the library's symbol dbg_exec (what FFIs bind to, or &dbg_exec) runs the same code. The fields it
 * reads are the core's own, like those of dbg_pc(): a program built against one version of these
 * headers must be linked with the same version of the library (the unit's size is compiled in
 * anyway). Included by dbg_unit.h only. */
#ifndef BOOKEDBG_DBG_FAST_H
#define BOOKEDBG_DBG_FAST_H

#ifndef BOOKEDBG_DBG_UNIT_H
#error "include dbg_unit.h, not dbg_fast.h"
#endif

/* What the filter says of a kind (struct dbg_filter.kind): it may take the fast path; its size
 * must be a scalar one; its access must be compared with the armed DAC values first. */
enum { DBG_FAST_OK = 1, DBG_FAST_SIZED = 2, DBG_FAST_DAC = 4 };
/* Load/store sizes are 1, 2, 4 or 8 bytes: bit n of this mask says whether n is one. */
#define DBG_SCALAR_SIZES ((1u << 1) | (1u << 2) | (1u << 4) | (1u << 8))

/* dbg_exec without its fast path: what the fast path calls when it is not sure. Same contract. */
int dbg_exec_full(struct dbg_unit *u, uint64_t cycle, const struct dbg_insn *in, struct dbg_result *res);

/* Inline is the point of it: GCC (C++ above all) otherwise splits dbg_exec_inline at the
 * NULL test and calls the rest, and calls dbg_fast_ok. */
#if defined(__GNUC__)
#define DBG_FAST_INLINE static inline __attribute__((always_inline))
#else
#define DBG_FAST_INLINE static inline
#endif

/* Exact "no event possible" for a simple instruction the filter lets through (c: its DBG_FAST_*;
 * k: its kind, read as a number by dbg_exec_fast). */
DBG_FAST_INLINE bool dbg_fast_ok(const struct dbg_filter *f, const struct dbg_insn *in, unsigned c,
				 unsigned k)
{
	const uint32_t *v;
	uint32_t a;
	if ((c & DBG_FAST_SIZED) && !(in->size < 9 && ((DBG_SCALAR_SIZES >> in->size) & 1u)))
		return false;   /* the full path refuses it */
	if (f->iac_mask) {
		a = in->pc & f->iac_mask;
		if (a == f->iac[0] || a == f->iac[1])
			return false;
	}
	if (c & DBG_FAST_DAC) {
		v = f->dac[k == DBG_I_STORE];
		if (((in->ea & 7u) + in->size) > 8u || in->ea == v[0] || in->ea == v[1])
			return false;   /* a split access or a possible hit: compare in the full path */
	}
	return true;
}

/* The fast path alone. True: a valid simple instruction alone in a new cycle that can raise
 * nothing, completed here with *res filled. False: nothing was touched; the call needs the whole
 * model (dbg_exec_full with the same arguments). For wrappers that have a slow path of their own. */
DBG_FAST_INLINE bool dbg_exec_fast(struct dbg_unit *u, uint64_t cycle, const struct dbg_insn *in,
				   struct dbg_result *res)
{
	/* the slots after one instruction, a store or not: one copy, not a store per field */
	static const struct dbg_cq alone[2] = { { 1, false, false, false }, { 1, false, true, false } };
	unsigned k, fault, c;
	uint32_t taken;
	if (!u || !in || !res)
		return false;
	/* The kind and the fault are read as numbers: they may be out of their enums' range (the full
	 * path refuses them), and in C++ loading such a value as the enum is undefined. */
	memcpy(&k, &in->kind, sizeof k);
	memcpy(&fault, &in->fault, sizeof fault);
	c = u->DBG_PRIVATE(flt).kind[k & 31u];
	/* One test for a kind past the table, a fault and a flag. Both cycle tests are needed: the
	 * unit's cycle may be past DBG_CYCLE_MAX (a pair completing at the limit). */
	if (!c || ((k & ~31u) | fault | in->flags) || cycle <= u->DBG_PRIVATE(cycle) ||
	    cycle > DBG_CYCLE_MAX || !dbg_fast_ok(&u->DBG_PRIVATE(flt), in, c, k))
		return false;
	u->DBG_PRIVATE(cycle) = cycle;
	u->DBG_PRIVATE(given) = cycle;
	u->DBG_PRIVATE(cq) = alone[k == DBG_I_STORE];
	/* a select, not a branch: in a mixed stream a branch on the kind mispredicts */
	taken = 0u - (uint32_t)(k == DBG_I_BRANCH);
	u->DBG_PRIVATE(pc) = (in->target & taken) | ((in->pc + 4) & ~taken);
	u->DBG_PRIVATE(n_exec)++;
	dbg_result_clear(res, cycle);
	res->dbsr = u->DBG_PRIVATE(reg)[DBG_REG_DBSR];
	return true;
}

/* dbg_exec: the fast path, else the whole model. */
DBG_FAST_INLINE int dbg_exec_inline(struct dbg_unit *u, uint64_t cycle, const struct dbg_insn *in,
				    struct dbg_result *res)
{
	return dbg_exec_fast(u, cycle, in, res) ? DBG_OK : dbg_exec_full(u, cycle, in, res);
}

/* In C, dbg_exec() is the inline version (define BOOKEDBG_NO_INLINE_EXEC first to call the symbol).
 * Not in C++, where a macro would break using-declarations and members named dbg_exec: C++ code
 * calls dbg_exec_inline() for the inline version. */
#if !defined(__cplusplus) && !defined(BOOKEDBG_NO_INLINE_EXEC)
#define dbg_exec(u, cycle, in, res) dbg_exec_inline((u), (cycle), (in), (res))
#endif

#endif
