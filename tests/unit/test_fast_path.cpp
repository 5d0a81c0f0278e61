// The fast path (dbg_exec's filter, model/dbg_filter.c) is an optimization, never a rule: a unit that
// may take it and a unit that never does (narration on sends every instruction down the full path)
// must agree on every status, result and register, whatever the instruction stream.
#include <cstring>

#include "helpers.h"

extern "C" {
#include "dbg_explain.h"
}

namespace {

struct Rng {
	uint32_t x;
	uint32_t next() { return x = x * 1103515245u + 12345u, x >> 8; }
	uint32_t below(uint32_t n) { return next() % n; }
};

// Addresses from a small pool, so that the comparators armed below are hit, missed and straddled.
uint32_t addr(Rng &g)
{
	static const uint32_t pool[] = { 0x1000, 0x1004, 0x1008, 0x2000, 0x2004, 0x2006, 0x2007, 0x2008 };
	return pool[g.below(8)] + (g.below(8) == 0 ? g.below(4) : 0);
}

// Debug control writes that arm, disarm and re-aim IAC1/2 and DAC1/2 (never ICMP: it closes the fast
// path for good), clear DBSR so that the fast path opens again, and toggle MSR[DE].
void control(Rng &g, dbg_insn &in)
{
	static const dbg_reg_id regs[] = { DBG_REG_DBCR0, DBG_REG_IAC1, DBG_REG_IAC2, DBG_REG_DAC1,
		DBG_REG_DAC2, DBG_REG_DBSR, DBG_REG_DBCR1, DBG_REG_DBCR2 };
	static const uint32_t dbcr0[] = { 0, DBCR0_IDM | DBCR0_IAC1, DBCR0_IDM | DBCR0_IAC1 | DBCR0_IAC2,
		DBCR0_IDM | DBCR0_DAC1R, DBCR0_IDM | DBCR0_DAC1W | DBCR0_DAC2R,
		DBCR0_IDM | DBCR0_IAC2 | DBCR0_DAC1R | DBCR0_DAC1W | DBCR0_DAC2W, DBCR0_IDM | DBCR0_BRT,
		DBCR0_IDM | DBCR0_TRAP | DBCR0_RET };
	in.kind = DBG_I_MTSPR;
	in.reg = regs[g.below(8)];
	in.value = in.reg == DBG_REG_DBCR0 ? dbcr0[g.below(8)] : in.reg == DBG_REG_DBSR ? 0xFFFFFFFFu
		 : in.reg == DBG_REG_DBCR1 || in.reg == DBG_REG_DBCR2 ? g.next() << 8 : addr(g);
	if (g.below(4) == 0) {
		in.kind = DBG_I_MTMSR;
		in.value = g.below(2) ? MSR_DE : 0;
	}
}

dbg_insn next_insn(Rng &g, uint32_t pc)
{
	dbg_insn in{};
	in.pc = g.below(6) == 0 ? addr(g) : pc;
	in.reg = -1;
	in.size = 4;
	uint32_t pick = g.below(100);
	if (pick < 20)
		in.kind = DBG_I_NOP;
	else if (pick < 40)
		in.kind = DBG_I_LOAD;
	else if (pick < 55)
		in.kind = DBG_I_STORE;
	else if (pick < 65)
		in.kind = DBG_I_BRANCH;
	else if (pick < 70)
		in.kind = DBG_I_BRANCH_NT;
	else if (pick < 85)
		control(g, in);
	else if (pick < 90)
		in.kind = DBG_I_ISYNC;
	else
		in.kind = (dbg_insn_kind)g.below(DBG_I_COUNT + 1);   // anything, or one past the table
	in.ea = addr(g);
	in.target = addr(g);
	if (g.below(10) == 0)
		in.size = g.below(12);                                 // 0, 3, 9 ... are refused
	if (g.below(25) == 0)
		in.fault = (dbg_fault)g.below(DBG_F_COUNT);
	if (g.below(40) == 0)
		in.flags = g.below(4);
	return in;
}

uint64_t next_cycle(Rng &g, uint64_t c)
{
	uint32_t pick = g.below(20);
	return pick == 0 ? c : pick == 1 ? c - 1 : pick == 2 ? c + 7 : c + 1;   // dual, backwards, gap
}

void expect_same(const dbg_unit &a, const dbg_unit &b, const dbg_result &ra, const dbg_result &rb,
		 int sa, int sb, int step)
{
	SCOPED_TRACE("step " + std::to_string(step));
	ASSERT_EQ(sa, sb);
	ASSERT_EQ(ra.cycle, rb.cycle);
	ASSERT_EQ(ra.events, rb.events);
	ASSERT_EQ(ra.dbsr, rb.dbsr);
	ASSERT_EQ(ra.value, rb.value);
	ASSERT_EQ(ra.action, rb.action);
	ASSERT_EQ(ra.slip, rb.slip);
	ASSERT_EQ(ra.nirq, rb.nirq);
	for (unsigned i = 0; i < ra.nirq && i < DBG_MAX_IRQS; i++) {
		ASSERT_EQ(ra.irq[i].kind, rb.irq[i].kind);
		ASSERT_EQ(ra.irq[i].vector, rb.irq[i].vector);
		ASSERT_EQ(ra.irq[i].saved_pc, rb.irq[i].saved_pc);
		ASSERT_EQ(ra.irq[i].saved_msr, rb.irq[i].saved_msr);
	}
	for (int r = 0; r < DBG_REG_COUNT; r++)
		ASSERT_EQ(dbg_get(&a, (dbg_reg_id)r), dbg_get(&b, (dbg_reg_id)r)) << dbg_reg_name((dbg_reg_id)r);
	ASSERT_EQ(dbg_pc(&a), dbg_pc(&b));
	ASSERT_EQ(dbg_cycle(&a), dbg_cycle(&b));
	ASSERT_EQ(dbg_halted(&a), dbg_halted(&b));
	ASSERT_EQ(dbg_count_exec(&a), dbg_count_exec(&b));
	ASSERT_EQ(dbg_count_debug_int(&a), dbg_count_debug_int(&b));
}

void run_stream(dbg_core core, uint32_t seed, int steps)
{
	dbg_unit fast, full;
	dbg_init(&fast, core);
	dbg_init(&full, core);
	ASSERT_EQ(dbg_explain(&full, true), DBG_OK);
	for (dbg_unit *u : { &fast, &full }) {
		dbg_opts o = *dbg_get_opts(u);
		o.v[DBG_OPT_DEBUG_INT_ENTRY_CYCLES] = (uint8_t)(seed % 3 * 2);   // handlers wait 0, 2, 4
		ASSERT_EQ(dbg_set_opts(u, &o), DBG_OK);
		dbg_set(u, DBG_REG_IVPR, IVPR);
		dbg_set(u, DBG_REG_IVOR15, 0xF00);
		dbg_set(u, DBG_REG_MSR, MSR_DE);
		dbg_set_pc(u, 0x1000);
	}
	Rng g{ seed };
	uint64_t cyc = 1;
	for (int i = 0; i < steps; i++) {
		dbg_result ra, rb;
		int sa, sb;
		if (g.below(50) == 0) {
			sa = dbg_irq(&fast, cyc, DBG_IRQ_EXTERNAL, &ra);
			sb = dbg_irq(&full, cyc, DBG_IRQ_EXTERNAL, &rb);
		} else {
			dbg_insn in = next_insn(g, dbg_pc(&fast));
			sa = dbg_exec_inline(&fast, cyc, &in, &ra);   // the fast path as C++ compiles it
			sb = dbg_exec(&full, cyc, &in, &rb);
		}
		expect_same(fast, full, ra, rb, sa, sb, i);
		if (::testing::Test::HasFatalFailure())
			return;
		if (sa == DBG_OK)
			cyc = next_cycle(g, dbg_cycle(&fast));
		else
			cyc = dbg_cycle(&fast) + 1;
	}
}

void run_seeds(dbg_core core)
{
	for (uint32_t seed = 1; seed <= 40; seed++) {
		SCOPED_TRACE("seed " + std::to_string(seed));
		run_stream(core, seed, 3000);
		if (::testing::Test::HasFatalFailure())
			return;
	}
}

}  // namespace

TEST(FastPath, AgreesWithTheFullPathOnRandomStreamsE500v2) { run_seeds(DBG_E500V2); }
TEST(FastPath, AgreesWithTheFullPathOnRandomStreamsE500mc) { run_seeds(DBG_E500MC); }

// Out-of-range kinds and faults reach the full path, which refuses them, also when the fast path is
// compiled into C++: it reads them as numbers (loading them as the enum would be undefined; under
// UBSan, as in make check, an enum load of 32 aborts).
TEST(FastPath, RefusesAKindOrFaultOutOfRangeInline)
{
	dbg_unit u;
	dbg_result r;
	dbg_init(&u, DBG_E500V2);
	dbg_insn in{};
	in.kind = DBG_I_NOP;
	in.pc = 0x1000;
	in.reg = -1;
	in.size = 4;
	ASSERT_EQ(dbg_exec_inline(&u, 1, &in, &r), DBG_OK);   // started: the filter is open
	uint32_t k = 32 + DBG_I_NOP, f = DBG_F_COUNT + 1;
	std::memcpy(&in.kind, &k, sizeof k);
	EXPECT_EQ(dbg_exec_inline(&u, 2, &in, &r), DBG_EKIND);
	in.kind = DBG_I_LOAD;
	std::memcpy(&in.fault, &f, sizeof f);
	EXPECT_EQ(dbg_exec_inline(&u, 3, &in, &r), DBG_EKIND);
	EXPECT_EQ(dbg_count_exec(&u), 1u);
	EXPECT_EQ(dbg_pc(&u), 0x1004u);
}
