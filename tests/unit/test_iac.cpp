// Facts 1.5, 2.5, rule 8: instruction address compare.
#include "helpers.h"

extern "C" {
#include "dbg_match.h"
}

class Iac : public Unit {
protected:
	void arm(uint32_t dbcr0, uint32_t dbcr1, uint32_t iac1, uint32_t iac2, uint32_t msr = DE)
	{
		set(DBG_REG_DBCR0, DBCR0_IDM | dbcr0);
		set(DBG_REG_DBCR1, dbcr1);
		set(DBG_REG_IAC1, iac1);
		set(DBG_REG_IAC2, iac2);
		set(DBG_REG_MSR, msr);
	}
	uint32_t hits(uint32_t pc, uint32_t msr = DE)
	{
		dbg_cmp c = cmp();
		return dbg_iac_match(&c, dbg_get_opts(&u), pc, msr, (msr & DE) != 0);
	}
};

TEST_F(Iac, ExactMatchSuppressesAndSavesTheInstruction)
{
	// #record: IAC with DE=1: suppressed, CSRR0 = the instruction
	arm(DBCR0_IAC1, 0, 0x2000, 0);
	nop(0x1FFC);
	EXPECT_EQ(r.events, 0u);
	nop(0x2000);
	EXPECT_EQ(r.events, DBSR_IAC1);
	EXPECT_TRUE(took_debug());
	EXPECT_EQ(get(DBG_REG_CSRR0), 0x2000u);
	EXPECT_EQ(get(DBG_REG_CSRR1), DE);
	EXPECT_EQ(dbg_pc(&u), VEC_DEBUG);
	EXPECT_EQ(get(DBG_REG_DBSR), DBSR_IAC1);
}

TEST_F(Iac, IgnoresLowTwoAddressBits)
{
	// #iac IAC_IGNORE_LOW2=YES
	arm(DBCR0_IAC1, 0, 0x2003, 0);
	EXPECT_EQ(hits(0x2000), DBSR_IAC1);
	opt(DBG_OPT_IAC_IGNORE_LOW2, 0);
	EXPECT_EQ(hits(0x2000), 0u);
}

TEST_F(Iac, BothComparatorsExact)
{
	arm(DBCR0_IAC1 | DBCR0_IAC2, 0, 0x2000, 0x3000);
	EXPECT_EQ(hits(0x2000), DBSR_IAC1);
	EXPECT_EQ(hits(0x3000), DBSR_IAC2);
	EXPECT_EQ(hits(0x2004), 0u);
}

TEST_F(Iac, DisabledComparatorNeverFires)
{
	arm(0, 0, 0x2000, 0x2000);
	EXPECT_EQ(hits(0x2000), 0u);
}

TEST_F(Iac, InclusiveRangeIsHalfOpen)
{
	// rule 8: inclusive is IAC1 <= EA < IAC2
	arm(DBCR0_IAC1 | DBCR0_IAC2, 2u << DBCR1_IAC12M_SHIFT, 0x2000, 0x3000);
	EXPECT_EQ(hits(0x1FFC), 0u);
	EXPECT_EQ(hits(0x2000), DBSR_IAC1 | DBSR_IAC2);
	EXPECT_EQ(hits(0x2FFC), DBSR_IAC1 | DBSR_IAC2);
	EXPECT_EQ(hits(0x3000), 0u);
}

TEST_F(Iac, RangeReportsOnlyEnabledIacBits)
{
	// #iac: the DBSR bits set are those of whichever IAC enables are on
	arm(DBCR0_IAC2, 2u << DBCR1_IAC12M_SHIFT, 0x2000, 0x3000);
	EXPECT_EQ(hits(0x2500), DBSR_IAC2);
}

TEST_F(Iac, ExclusiveRange)
{
	// rule 8: exclusive is EA < IAC1 or EA >= IAC2
	arm(DBCR0_IAC1, 3u << DBCR1_IAC12M_SHIFT, 0x2000, 0x3000);
	EXPECT_EQ(hits(0x1FFC), DBSR_IAC1);
	EXPECT_EQ(hits(0x2000), 0u);
	EXPECT_EQ(hits(0x2FFC), 0u);
	EXPECT_EQ(hits(0x3000), DBSR_IAC1);
}

TEST_F(Iac, MaskMode)
{
	// #iac: (EA & IAC2) == (IAC1 & IAC2)
	arm(DBCR0_IAC1, 1u << DBCR1_IAC12M_SHIFT, 0x00012000, 0xFFFFF000);
	EXPECT_EQ(hits(0x00012FFC), DBSR_IAC1);
	EXPECT_EQ(hits(0x00013000), 0u);
}

TEST_F(Iac, PairModesReservedOptionMakesRangeExact)
{
	// option PAIR_MODES=RESERVED: the field reads back, no effect on matching
	arm(DBCR0_IAC1, 2u << DBCR1_IAC12M_SHIFT, 0x2000, 0x3000);
	opt(DBG_OPT_PAIR_MODES, DBG_PAIR_RESERVED);
	EXPECT_EQ(hits(0x2004), 0u);
	EXPECT_EQ(hits(0x2000), DBSR_IAC1);
	EXPECT_EQ(get(DBG_REG_DBCR1), 2u << DBCR1_IAC12M_SHIFT);
}

TEST_F(Iac, UsQualifierAgainstMsrPr)
{
	// #iac: 10 = only PR=0, 11 = only PR=1, 00 any
	arm(DBCR0_IAC1, 3u << DBCR1_IAC1US_SHIFT, 0x2000, 0);
	EXPECT_EQ(hits(0x2000, DE), 0u);
	EXPECT_EQ(hits(0x2000, DE | PR), DBSR_IAC1);
	set(DBG_REG_DBCR1, 2u << DBCR1_IAC1US_SHIFT);
	EXPECT_EQ(hits(0x2000, DE), DBSR_IAC1);
	EXPECT_EQ(hits(0x2000, DE | PR), 0u);
	set(DBG_REG_DBCR1, 1u << DBCR1_IAC1US_SHIFT);   // reserved: treated as any
	EXPECT_EQ(hits(0x2000, DE | PR), DBSR_IAC1);
}

TEST_F(Iac, ErQualifierAgainstMsrIs)
{
	arm(DBCR0_IAC2, 3u << DBCR1_IAC2ER_SHIFT, 0, 0x2000);
	EXPECT_EQ(hits(0x2000, DE), 0u);
	EXPECT_EQ(hits(0x2000, DE | IS), DBSR_IAC2);
	set(DBG_REG_DBCR1, 2u << DBCR1_IAC2ER_SHIFT);
	EXPECT_EQ(hits(0x2000, DE | IS), 0u);
	EXPECT_EQ(hits(0x2000, DE), DBSR_IAC2);
}

TEST_F(Iac, RealAddressModeNeverMatches)
{
	// #iac: ER=01 real address is not implemented, e500 compares effective addresses only
	arm(DBCR0_IAC1, 1u << DBCR1_IAC1ER_SHIFT, 0x2000, 0);
	EXPECT_EQ(hits(0x2000), 0u);
}

TEST_F(Iac, De0RecordsWithIdeAndInstructionCompletes)
{
	// rule 1: IAC with DE=0 recorded with IDE; the instruction completes normally
	arm(DBCR0_IAC1, 0, 0x2000, 0, 0);
	nop(0x2000);
	EXPECT_EQ(r.events, DBSR_IAC1);
	EXPECT_FALSE(took_debug());
	EXPECT_EQ(get(DBG_REG_DBSR), DBSR_IAC1 | DBSR_IDE);
	EXPECT_EQ(dbg_pc(&u), 0x2004u);
}

TEST_F(Iac, RangeWithDe0OptionalPer440)
{
	// option IAC_RANGE_RECORD_WHEN_DE0 (440: no range events with DE=0)
	arm(DBCR0_IAC1, 2u << DBCR1_IAC12M_SHIFT, 0x2000, 0x3000, 0);
	EXPECT_EQ(hits(0x2000, 0), DBSR_IAC1);
	opt(DBG_OPT_IAC_RANGE_RECORD_WHEN_DE0, 0);
	EXPECT_EQ(hits(0x2000, 0), 0u);
	EXPECT_EQ(hits(0x2000, DE), DBSR_IAC1);
}

TEST_F(Iac, IacBeatsItlbMiss)
{
	// #priority: IAC (7) outranks ITLB (8): the debug interrupt is taken, not the ITLB miss
	arm(DBCR0_IAC1, 0, 0x2000, 0);
	dbg_insn in = insn(DBG_I_NOP, 0x2000);
	in.fault = DBG_F_ITLB;
	run(in);
	EXPECT_TRUE(took_debug());
	EXPECT_EQ(r.nirq, 1u);
}

TEST_F(Iac, ItlbMissWinsWhenIacRecordsWithDe0)
{
	// with DE=0 the IAC is recorded (IDE) and the instruction goes on to take its ITLB miss
	arm(DBCR0_IAC1, 0, 0x2000, 0, 0);
	dbg_insn in = insn(DBG_I_NOP, 0x2000);
	in.fault = DBG_F_ITLB;
	run(in);
	EXPECT_EQ(last_irq(), DBG_IRQ_ITLB);
	EXPECT_EQ(get(DBG_REG_DBSR), DBSR_IAC1 | DBSR_IDE);
}
