// Facts 1.6, 1.7, 2.6: data address compare.
#include "helpers.h"

extern "C" {
#include "dbg_match.h"
}

class Dac : public Unit {
protected:
	void arm(uint32_t dbcr0, uint32_t dbcr2, uint32_t dac1, uint32_t dac2, uint32_t msr = DE)
	{
		set(DBG_REG_DBCR0, DBCR0_IDM | dbcr0);
		set(DBG_REG_DBCR2, dbcr2);
		set(DBG_REG_DAC1, dac1);
		set(DBG_REG_DAC2, dac2);
		set(DBG_REG_MSR, msr);
	}
	uint32_t hit(uint32_t ea, bool w, uint32_t size = 4, uint32_t msr = DE, bool block = false)
	{
		dbg_cmp c = cmp();
		return dbg_dac_match(&c, dbg_get_opts(&u), dbg_core_of(&u), ea, size, w, msr, block);
	}
};

TEST_F(Dac, StoreMatchesWriteEnableOnly)
{
	// #dac: every store is a write, every load a read
	arm(DBCR0_DAC1W, 0, 0x8000, 0);
	load(0x100, 0x8000);
	EXPECT_EQ(r.events, 0u);
	store(0x104, 0x8000);
	EXPECT_EQ(r.events, DBSR_DAC1W);
	EXPECT_TRUE(took_debug());
	EXPECT_EQ(get(DBG_REG_CSRR0), 0x104u);  // the instruction itself, suppressed
}

TEST_F(Dac, LoadMatchesReadEnable)
{
	arm(DBCR0_DAC2R, 0, 0, 0x8000);
	load(0x100, 0x8000);
	EXPECT_EQ(r.events, DBSR_DAC2R);
	EXPECT_EQ(get(DBG_REG_DBSR), DBSR_DAC2R);
}

TEST_F(Dac, ExactComparesStartingAddressOnly)
{
	// #dac default: starting EA of each access; DAC_MATCH_ANY_BYTE=NO
	arm(DBCR0_DAC1R, 0, 0x8002, 0);
	EXPECT_EQ(hit(0x8000, false, 4), 0u);
	opt(DBG_OPT_DAC_MATCH_ANY_BYTE, 1);
	EXPECT_EQ(hit(0x8000, false, 4), DBSR_DAC1R);
	EXPECT_EQ(hit(0x8003, false, 1), 0u);
}

TEST_F(Dac, MisalignedAccessIsComparedPerDoublewordPiece)
{
	// #dac: one access per aligned doubleword piece of a misaligned scalar access
	arm(DBCR0_DAC1R, 0, 0x8008, 0);
	load(0x100, 0x8006, 4);   // pieces 0x8006(2) and 0x8008(2)
	EXPECT_EQ(r.events, DBSR_DAC1R);
}

TEST_F(Dac, LoadMultipleComparesEveryWord)
{
	arm(DBCR0_DAC1R, 0, 0x800C, 0);
	dbg_insn in = insn(DBG_I_LMW, 0x100);
	in.ea = 0x8000;
	in.size = 4;
	run(in);
	EXPECT_EQ(r.events, DBSR_DAC1R);
	in.size = 3;
	set(DBG_REG_DBSR, 0);
	set(DBG_REG_MSR, DE);
	run(in);
	EXPECT_EQ(r.events, 0u);
}

TEST_F(Dac, InclusiveExclusiveAndMaskModes)
{
	// #dac DAC12M: 10 inclusive, 11 exclusive, 01 mask
	arm(DBCR0_DAC1W, 2u << DBCR2_DAC12M_SHIFT, 0x8000, 0x9000);
	EXPECT_EQ(hit(0x7FFF, true), 0u);
	EXPECT_EQ(hit(0x8000, true), DBSR_DAC1W);
	EXPECT_EQ(hit(0x8FFF, true), DBSR_DAC1W);
	EXPECT_EQ(hit(0x9000, true), 0u);
	set(DBG_REG_DBCR2, 3u << DBCR2_DAC12M_SHIFT);
	EXPECT_EQ(hit(0x7FFF, true), DBSR_DAC1W);
	EXPECT_EQ(hit(0x8000, true), 0u);
	EXPECT_EQ(hit(0x9000, true), DBSR_DAC1W);
	set(DBG_REG_DBCR2, 1u << DBCR2_DAC12M_SHIFT);
	set(DBG_REG_DAC2, 0xFFFFFF00);
	EXPECT_EQ(hit(0x80FF, true), DBSR_DAC1W);
	EXPECT_EQ(hit(0x8100, true), 0u);
}

TEST_F(Dac, UsAndErQualifiersUsePrAndDs)
{
	// #dac: DACnUS against MSR[PR], DACnER against MSR[DS] (not IS)
	arm(DBCR0_DAC1R, (3u << DBCR2_DAC1US_SHIFT) | (3u << DBCR2_DAC1ER_SHIFT), 0x8000, 0);
	EXPECT_EQ(hit(0x8000, false, 4, DE | PR), 0u);
	EXPECT_EQ(hit(0x8000, false, 4, DE | PR | IS), 0u);
	EXPECT_EQ(hit(0x8000, false, 4, DE | PR | DS), DBSR_DAC1R);
	EXPECT_EQ(hit(0x8000, false, 4, DE | DS), 0u);
}

TEST_F(Dac, CacheTouchesAreReadsAndDcbzIsAWrite)
{
	// #dac DAC_CACHEOP_CLASS=ISA
	arm(DBCR0_DAC1R, 0, 0x8000, 0, 0);
	for (dbg_insn_kind k : { DBG_I_DCBT, DBG_I_DCBTST, DBG_I_ICBT, DBG_I_ICBI, DBG_I_LWARX }) {
		access(k, 0x100, 0x8000);
		EXPECT_EQ(r.events, DBSR_DAC1R) << dbg_insn_name(k);
	}
	for (dbg_insn_kind k : { DBG_I_DCBZ, DBG_I_DCBI, DBG_I_DCBF, DBG_I_DCBST, DBG_I_DCBA, DBG_I_STWCX }) {
		access(k, 0x100, 0x8000);
		EXPECT_EQ(r.events, 0u) << dbg_insn_name(k);
	}
	set(DBG_REG_DBCR0, DBCR0_IDM | DBCR0_DAC1W);
	for (dbg_insn_kind k : { DBG_I_DCBZ, DBG_I_DCBI, DBG_I_DCBF, DBG_I_DCBST, DBG_I_DCBA, DBG_I_STWCX }) {
		access(k, 0x100, 0x8000);
		EXPECT_EQ(r.events, DBSR_DAC1W) << dbg_insn_name(k);
	}
}

TEST_F(Dac, CacheBlockOpIgnoresLineOffset)
{
	// #dac: the whole aligned 32-byte block is referenced
	arm(DBCR0_DAC1W, 0, 0x8004, 0, 0);
	access(DBG_I_DCBZ, 0x100, 0x801C);
	EXPECT_EQ(r.events, DBSR_DAC1W);
	access(DBG_I_DCBZ, 0x104, 0x8020);
	EXPECT_EQ(r.events, 0u);
}

TEST_F(Dac, FailedStwcxMatchesByDefault)
{
	arm(DBCR0_DAC1W, 0, 0x8000, 0, 0);
	access(DBG_I_STWCX, 0x100, 0x8000, DBG_INSN_FAIL);
	EXPECT_EQ(r.events, DBSR_DAC1W);
	opt(DBG_OPT_DAC_STWCX_FAILED_MATCHES, 0);
	access(DBG_I_STWCX, 0x104, 0x8000, DBG_INSN_FAIL);
	EXPECT_EQ(r.events, 0u);
}

TEST_F(Dac, NoopDcbaDoesNotMatchByDefault)
{
	arm(DBCR0_DAC1W, 0, 0x8000, 0, 0);
	access(DBG_I_DCBA, 0x100, 0x8000, DBG_INSN_NOOP);
	EXPECT_EQ(r.events, 0u);
	opt(DBG_OPT_DAC_DCBA_NOOP_MATCHES, 1);
	access(DBG_I_DCBA, 0x104, 0x8000, DBG_INSN_NOOP);
	EXPECT_EQ(r.events, DBSR_DAC1W);
	opt(DBG_OPT_DAC_CACHEOP_CLASS, DBG_CACHEOP_PPC440);
	access(DBG_I_DCBA, 0x108, 0x8000);
	EXPECT_EQ(r.events, 0u);
}

TEST_F(Dac, Dbcr4XmIgnoresLowBitsOnE500mc)
{
	// #dac DBCR4_XM=LOW_BITS: XM=n ignores the low n bits in exact mode, >12 acts as 12
	init(DBG_E500MC);
	arm(DBCR0_DAC1R, 0, 0x8000, 0);
	set(DBG_REG_DBCR4, 4u << DBCR4_DAC1XM_SHIFT);
	EXPECT_EQ(hit(0x800F, false), DBSR_DAC1R);
	EXPECT_EQ(hit(0x8010, false), 0u);
	set(DBG_REG_DBCR4, 15u << DBCR4_DAC1XM_SHIFT);
	EXPECT_EQ(hit(0x8FFF, false), DBSR_DAC1R);
	EXPECT_EQ(hit(0x9000, false), 0u);
	opt(DBG_OPT_DBCR4_XM, DBG_XM_IGNORED);
	EXPECT_EQ(hit(0x8FFF, false), 0u);
}

TEST_F(Dac, DataFaultOutranksDacAndNothingIsRecorded)
{
	// rule 9: a DAC on an access that takes DSI/DTLB/alignment is never recorded
	arm(DBCR0_DAC1R, 0, 0x8000, 0);
	dbg_insn in = insn(DBG_I_LOAD, 0x100);
	in.ea = 0x8000;
	in.fault = DBG_F_DSI;
	run(in);
	EXPECT_EQ(r.events, 0u);
	EXPECT_EQ(get(DBG_REG_DBSR), 0u);
	EXPECT_EQ(last_irq(), DBG_IRQ_DSI);
	EXPECT_EQ(get(DBG_REG_SRR0), 0x100u);
	EXPECT_EQ(dbg_pc(&u), VEC_DSI);
}

TEST_F(Dac, De0RecordsWithIdeAndAccessCompletes)
{
	arm(DBCR0_DAC1W, 0, 0x8000, 0, 0);
	store(0x100, 0x8000);
	EXPECT_EQ(get(DBG_REG_DBSR), DBSR_DAC1W | DBSR_IDE);
	EXPECT_FALSE(took_debug());
	EXPECT_EQ(dbg_pc(&u), 0x104u);
}

TEST_F(Dac, TouchMeetingDtlbOrDsiIsANoopAndStillRaisesDac)
{
	// #dac: dcbt/dcbtst/icbt become no-ops on a DTLB or DSI condition instead of interrupting, and DAC
	// still compares (E5 8.4.2.1); with IDM=1 and DE=1 the DAC debug interrupt is taken at the touch
	for (dbg_insn_kind k : { DBG_I_DCBT, DBG_I_DCBTST, DBG_I_ICBT }) {
		for (dbg_fault f : { DBG_F_DTLB, DBG_F_DSI }) {
			init();
			arm(DBCR0_DAC1R, 0, 0x8000, 0);
			dbg_insn in = insn(k, 0x100);
			in.ea = 0x8000;
			in.fault = f;
			run(in);
			EXPECT_EQ(r.events, DBSR_DAC1R);
			EXPECT_EQ(r.nirq, 1u);
			EXPECT_TRUE(took_debug());
			EXPECT_EQ(get(dsave0()), 0x100u);
			// and without a DAC the touch completes as a no-op
			init();
			in.ea = 0x9000;
			run(in);
			EXPECT_EQ(r.nirq, 0u);
			EXPECT_EQ(dbg_pc(&u), 0x104u);
		}
	}
}
