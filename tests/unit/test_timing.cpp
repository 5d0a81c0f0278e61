// Facts 5 and 5a: synchronization window, dual completion, squash, slips.
#include "helpers.h"

class Timing : public Unit {};

TEST_F(Timing, DebugRegisterWriteTakesEffectAtIsync)
{
	// #spr-window DEBUG_SPR_WINDOW=NEW_AT_CSI: old values until the CSI; the CSI sees the new ones
	set(DBG_REG_MSR, DE);
	set(DBG_REG_DBCR0, DBCR0_IDM);
	mtspr(0x1000, DBG_REG_IAC1, 0x1008);
	mtspr(0x1004, DBG_REG_DBCR0, DBCR0_IDM | DBCR0_IAC1);
	EXPECT_EQ(get(DBG_REG_DBCR0), DBCR0_IDM | DBCR0_IAC1);   // architected value is new
	nop(0x1008);
	EXPECT_FALSE(took_debug());                              // comparators still old
	simple(DBG_I_ISYNC, 0x100C);
	nop(0x1008);
	EXPECT_TRUE(took_debug());
}

TEST_F(Timing, ImmediateWindowOption)
{
	opt(DBG_OPT_DEBUG_SPR_WINDOW, DBG_WINDOW_IMMEDIATE);
	set(DBG_REG_MSR, DE);
	set(DBG_REG_IAC1, 0x1008);
	mtspr(0x1004, DBG_REG_DBCR0, DBCR0_IDM | DBCR0_IAC1);
	nop(0x1008);
	EXPECT_TRUE(took_debug());
}

TEST_F(Timing, InterruptIsAContextSynchronizingEvent)
{
	set(DBG_REG_MSR, DE);
	set(DBG_REG_DBCR0, DBCR0_IDM | DBCR0_ICMP);
	mtspr(0x1000, DBG_REG_DBCR0, DBCR0_IDM | DBCR0_IAC1);  // ICMP still armed for this one
	EXPECT_TRUE(took_debug());
	EXPECT_EQ(cmp().dbcr0, DBCR0_IDM | DBCR0_IAC1);
}

TEST_F(Timing, DbsrClearIsImmediate)
{
	set(DBG_REG_DBCR0, DBCR0_IDM);
	set(DBG_REG_DBSR, DBSR_IAC1);
	mtspr(0x1000, DBG_REG_DBSR, DBSR_IAC1);
	mtmsr(0x1004, DE);
	EXPECT_FALSE(took_debug());
}

TEST_F(Timing, TwoPerCycleInOrder)
{
	nop(0x1000);
	run(insn(DBG_I_NOP, 0x1004), 5);
	run(insn(DBG_I_NOP, 0x1008), 5);
	EXPECT_EQ(r.cycle, 5u);
	EXPECT_EQ(r.slip, DBG_SLIP_NONE);
	run(insn(DBG_I_NOP, 0x100C), 5);
	EXPECT_EQ(r.cycle, 6u);
	EXPECT_EQ(r.slip, DBG_SLIP_WIDTH);
}

TEST_F(Timing, InterruptOnOlderSquashesYounger)
{
	// #dual-completion: the CQ1 instruction does not retire when CQ0 takes a debug interrupt
	set(DBG_REG_MSR, DE);
	set(DBG_REG_DBCR0, DBCR0_IDM | DBCR0_IAC1 | DBCR0_DAC1W);
	set(DBG_REG_IAC1, 0x1000);
	set(DBG_REG_DAC1, 0x8000);
	run(insn(DBG_I_NOP, 0x1000), 3);
	dbg_insn st = insn(DBG_I_STORE, 0x1004);
	st.ea = 0x8000;
	run(st, 3);
	EXPECT_EQ(r.action, DBG_ACT_SQUASHED);
	EXPECT_EQ(get(DBG_REG_DBSR), DBSR_IAC1);   // the younger's DAC never happened
	EXPECT_EQ(dbg_pc(&u), VEC_DEBUG);
}

TEST_F(Timing, EventOnYoungerLeavesOlderRetired)
{
	set(DBG_REG_MSR, DE);
	set(DBG_REG_DBCR0, DBCR0_IDM | DBCR0_IAC1);
	set(DBG_REG_IAC1, 0x1004);
	run(insn(DBG_I_NOP, 0x1000), 3);
	EXPECT_FALSE(took_debug());
	run(insn(DBG_I_NOP, 0x1004), 3);
	EXPECT_TRUE(took_debug());
	EXPECT_EQ(r.cycle, 3u);
	EXPECT_EQ(get(DBG_REG_CSRR0), 0x1004u);
}

TEST_F(Timing, IcmpMakesEveryInstructionRetireAlone)
{
	set(DBG_REG_MSR, DE);
	set(DBG_REG_DBCR0, DBCR0_IDM | DBCR0_ICMP);
	run(insn(DBG_I_NOP, 0x1000), 3);
	run(insn(DBG_I_NOP, 0x1004), 3);
	EXPECT_EQ(r.action, DBG_ACT_SQUASHED);
}

TEST_F(Timing, DeEnablerNeverSharesItsCycle)
{
	// #dual-completion: an instruction that changes MSR[DE] never shares a completion cycle
	set(DBG_REG_DBCR0, DBCR0_IDM);
	mtmsr(0x1000, 0);
	dbg_insn in = insn(DBG_I_MTMSR, 0x1004);
	in.value = DE;
	run(in, 4);
	run(insn(DBG_I_NOP, 0x1008), 4);
	EXPECT_EQ(r.cycle, 5u);
	EXPECT_EQ(r.slip, DBG_SLIP_SERIALIZE);
}

TEST_F(Timing, OneStorePerCycle)
{
	dbg_insn a = insn(DBG_I_STORE, 0x1000);
	a.ea = 0x8000;
	dbg_insn b = insn(DBG_I_STORE, 0x1004);
	b.ea = 0x8004;
	run(a, 2);
	run(b, 2);
	EXPECT_EQ(r.cycle, 3u);
	EXPECT_EQ(r.slip, DBG_SLIP_STORE);
}

TEST_F(Timing, DebugEntryCyclesOption)
{
	opt(DBG_OPT_DEBUG_INT_ENTRY_CYCLES, 3);
	set(DBG_REG_MSR, DE);
	set(DBG_REG_DBCR0, DBCR0_IDM | DBCR0_ICMP);
	run(insn(DBG_I_NOP, 0x1000), 10);
	run(insn(DBG_I_NOP, VEC_DEBUG), 11);
	EXPECT_EQ(r.cycle, 14u);
	EXPECT_EQ(r.slip, DBG_SLIP_ENTRY);
}
