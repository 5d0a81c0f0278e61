// Facts sheet section 1 (registers) and 3 (DBSR): SPR numbers, unimplemented registers and fields,
// legalization, EDM, write-1-to-clear, DBSRWR.
#include "helpers.h"

TEST(RegisterTable, SprNumbersAsArchitected)
{
	// #registers
	EXPECT_EQ(DBG_SPR_DBSR, 304);
	EXPECT_EQ(DBG_SPR_DBSRWR, 306);
	EXPECT_EQ(DBG_SPR_EPCR, 307);
	EXPECT_EQ(DBG_SPR_DBCR0, 308);
	EXPECT_EQ(DBG_SPR_DBCR1, 309);
	EXPECT_EQ(DBG_SPR_DBCR2, 310);
	EXPECT_EQ(DBG_SPR_MSRP, 311);
	EXPECT_EQ(DBG_SPR_IAC1, 312);
	EXPECT_EQ(DBG_SPR_IAC4, 315);
	EXPECT_EQ(DBG_SPR_DAC1, 316);
	EXPECT_EQ(DBG_SPR_DVC2, 319);
	EXPECT_EQ(DBG_SPR_IVOR15, 415);
	EXPECT_EQ(DBG_SPR_DBCR4, 563);
	EXPECT_EQ(DBG_SPR_DSRR0, 574);
	EXPECT_EQ(DBG_SPR_DSRR1, 575);
	EXPECT_EQ(DBG_SPR_CSRR0, 58);
	EXPECT_EQ(DBG_SPR_IVPR, 63);
}

TEST(RegisterTable, MasksMatchLinuxValues)
{
	// #registers, #dbsr (Linux masks)
	EXPECT_EQ(DBCR0_EDM, 0x80000000u);
	EXPECT_EQ(DBCR0_IDM, 0x40000000u);
	EXPECT_EQ(DBCR0_ICMP, 0x08000000u);
	EXPECT_EQ(DBCR0_RET, 0x00008000u);
	EXPECT_EQ(DBCR0_FT, 0x00000001u);
	EXPECT_EQ(DBCR1_IAC12M, 0x00C00000u);
	EXPECT_EQ(DBCR2_DAC12M, 0x00C00000u);
	EXPECT_EQ(DBCR4_DAC1XM, 0x0000F000u);
	EXPECT_EQ(DBSR_IDE, 0x80000000u);
	EXPECT_EQ(DBSR_UDE, 0x40000000u);
	EXPECT_EQ(DBSR_MRR, 0x30000000u);
	EXPECT_EQ(DBSR_DAC2W, 0x00010000u);
	EXPECT_EQ(MSR_DE, 0x200u);
	EXPECT_EQ(MSR_GS, 0x10000000u);
	EXPECT_EQ(MSRP_DEP, 0x200u);
	EXPECT_EQ(EPCR_DUVD, 0x04000000u);
}

TEST(RegisterTable, LookupByNameAndSprNumber)
{
	EXPECT_EQ(dbg_reg_find("dbcr0"), DBG_REG_DBCR0);
	EXPECT_EQ(dbg_reg_find("308"), DBG_REG_DBCR0);
	EXPECT_EQ(dbg_reg_find("IVOR15"), DBG_REG_IVOR15);
	EXPECT_EQ(dbg_reg_find("nosuch"), -1);
	EXPECT_EQ(dbg_reg_find("999"), -1);
}

class Registers : public Unit {};

TEST_F(Registers, Iac3Iac4DvcAreNotImplementedAndReadZero)
{
	// #registers, #iac: IAC3/IAC4 and DVC1/DVC2 do not exist on e500v2 or e500mc
	for (dbg_core c : { DBG_E500V2, DBG_E500MC }) {
		init(c);
		for (dbg_reg_id reg : { DBG_REG_IAC3, DBG_REG_IAC4, DBG_REG_DVC1, DBG_REG_DVC2 }) {
			mtspr(0x100, reg, 0x12345678);
			EXPECT_EQ(get(reg), 0u) << dbg_reg_desc[reg].name;
			mfspr(0x104, reg);
			EXPECT_EQ(r.value, 0u);
		}
	}
}

TEST_F(Registers, HypervisorRegistersAbsentOnE500v2)
{
	// #registers: DBCR4, DBSRWR, EPCR, MSRP, DSRR0/1 exist only on e500mc
	for (dbg_reg_id reg : { DBG_REG_DBCR4, DBG_REG_EPCR, DBG_REG_MSRP, DBG_REG_DSRR0, DBG_REG_DSRR1 }) {
		mtspr(0x100, reg, 0xFFFFFFFF);
		EXPECT_EQ(get(reg), 0u) << dbg_reg_desc[reg].name;
	}
	init(DBG_E500MC);
	mtspr(0x100, DBG_REG_DSRR0, 0x1234);
	EXPECT_EQ(get(DBG_REG_DSRR0), 0x1234u);
}

TEST_F(Registers, ReservedDbcr0FieldsReadZeroAndNeverFire)
{
	// #registers: IAC3/IAC4 enables reserved; CIRPT/CRET absent by default
	mtspr(0x100, DBG_REG_DBCR0, 0xFFFFFFFF & ~DBCR0_RST);
	uint32_t v = get(DBG_REG_DBCR0);
	EXPECT_EQ(v & (DBCR0_IAC3 | DBCR0_IAC4 | DBCR0_CIRPT | DBCR0_CRET), 0u);
	EXPECT_EQ(v & DBCR0_EDM, 0u);  // software cannot set EDM
	EXPECT_NE(v & DBCR0_IDM, 0u);
}

TEST_F(Registers, Dbcr1Iac3Iac4AndAutoToggleFieldsReadZero)
{
	// #iac: IAC12AT absent, IAC3/4 fields absent
	mtspr(0x100, DBG_REG_DBCR1, 0xFFFFFFFF);
	EXPECT_EQ(get(DBG_REG_DBCR1), 0xFFC00000u);
}

TEST_F(Registers, Dbcr2DvcAndDac12aFieldsReadZero)
{
	// #dac: DAC12A and DVC fields do not exist on e500
	mtspr(0x100, DBG_REG_DBCR2, 0xFFFFFFFF);
	EXPECT_EQ(get(DBG_REG_DBCR2), 0xFFC00000u);
}

TEST_F(Registers, Dbcr4KeepsOnlyXmFields)
{
	init(DBG_E500MC);
	mtspr(0x100, DBG_REG_DBCR4, 0xFFFFFFFF);
	EXPECT_EQ(get(DBG_REG_DBCR4), 0x0000FF00u);
}

TEST_F(Registers, IvorAndIvprLegalizeLowBits)
{
	// vector = IVPR[32:47] || IVOR[48:59] || 0000 [E5] 8.2.3
	mtspr(0x100, DBG_REG_IVOR15, 0x12345678);
	EXPECT_EQ(get(DBG_REG_IVOR15), 0x5670u);
	mtspr(0x104, DBG_REG_IVPR, 0x12345678);
	EXPECT_EQ(get(DBG_REG_IVPR), 0x12340000u);
}

TEST_F(Registers, SoftwareCannotSetEdm)
{
	// #debug-modes: EDM read-only to software; the back door can set it
	mtspr(0x100, DBG_REG_DBCR0, DBCR0_EDM | DBCR0_IDM);
	EXPECT_EQ(get(DBG_REG_DBCR0), DBCR0_IDM);
	set(DBG_REG_DBCR0, DBCR0_EDM);
	mtspr(0x104, DBG_REG_DBCR0, 0);
	EXPECT_EQ(get(DBG_REG_DBCR0), DBCR0_EDM);  // software cannot clear it either
}

TEST_F(Registers, DbsrWriteOneToClear)
{
	// #dbsr: mtspr DBSR clears the bits that are 1; 0 bits leave DBSR unchanged
	set(DBG_REG_DBSR, 0x0C000000);
	mtspr(0x100, DBG_REG_DBSR, 0x04000000);
	EXPECT_EQ(get(DBG_REG_DBSR), 0x08000000u);
	mtspr(0x104, DBG_REG_DBSR, 0);
	EXPECT_EQ(get(DBG_REG_DBSR), 0x08000000u);
	mtspr(0x108, DBG_REG_DBSR, 0x80000000);
	EXPECT_EQ(get(DBG_REG_DBSR), 0x08000000u);
	mtspr(0x10C, DBG_REG_DBSR, 0xFFFFFFFF);
	EXPECT_EQ(get(DBG_REG_DBSR), 0u);
}

TEST_F(Registers, DbsrW1cIsNotQemusNegation)
{
	// qemu-notes.md deviation 1: QEMU does DBSR &= -v; 0x0C000000 & -0x08000000 keeps ICMP
	set(DBG_REG_DBSR, 0x0C000000);
	mtspr(0x100, DBG_REG_DBSR, 0x08000000);
	EXPECT_EQ(get(DBG_REG_DBSR), 0x04000000u);
}

TEST_F(Registers, DbsrReadReturnsLiveValueIncludingIdeAndMrr)
{
	set(DBG_REG_DBSR, DBSR_IDE | DBSR_MRR | DBSR_IAC1);
	mfspr(0x100, DBG_REG_DBSR);
	EXPECT_EQ(r.value, DBSR_IDE | DBSR_MRR | DBSR_IAC1);
}

TEST_F(Registers, DbsrwrReplacesDbsrAndIsWriteOnly)
{
	// #dbsr: DBSRWR (e500mc) loads DBSR directly, MRR included; option DBSRWR_MODE=REPLACE
	init(DBG_E500MC);
	set(DBG_REG_DBSR, DBSR_ICMP);
	mtspr(0x100, DBG_REG_DBSRWR, DBSR_IAC1 | DBSR_MRR);
	EXPECT_EQ(get(DBG_REG_DBSR), DBSR_IAC1 | DBSR_MRR);
	mfspr(0x104, DBG_REG_DBSRWR);
	EXPECT_EQ(r.value, 0u);
	opt(DBG_OPT_DBSRWR_MODE, DBG_DBSRWR_OR);
	mtspr(0x108, DBG_REG_DBSRWR, DBSR_ICMP);
	EXPECT_EQ(get(DBG_REG_DBSR), DBSR_IAC1 | DBSR_MRR | DBSR_ICMP);
}

TEST_F(Registers, DbsrwrDoesNotExistOnE500v2)
{
	set(DBG_REG_DBSR, DBSR_ICMP);
	mtspr(0x100, DBG_REG_DBSRWR, DBSR_IAC1);
	EXPECT_EQ(get(DBG_REG_DBSR), DBSR_ICMP);
}

TEST_F(Registers, RstRequestsResetAndMrrRecordsIt)
{
	// #registers RST_ENCODING=ANY_NONZERO; Linux abort() writes IDM|RST_CHIP
	set(DBG_REG_MSR, DE);
	mtspr(0x100, DBG_REG_DBCR0, DBCR0_IDM | 0x20000000);
	EXPECT_EQ(last_irq(), DBG_IRQ_RESET);
	EXPECT_EQ(get(DBG_REG_DBSR), 0x20000000u);  // MRR = 10 chip
	EXPECT_EQ(get(DBG_REG_DBCR0), 0u);
	EXPECT_EQ(get(DBG_REG_MSR), 0u);
	EXPECT_EQ(dbg_pc(&u), 0xFFFFFFFCu);
	init();
	opt(DBG_OPT_RST_ENCODING, DBG_RST_IGNORED);
	mtspr(0x100, DBG_REG_DBCR0, DBCR0_IDM | 0x20000000);
	EXPECT_EQ(last_irq(), DBG_IRQ_NONE);
	EXPECT_EQ(get(DBG_REG_DBCR0), DBCR0_IDM | 0x20000000u);
}

TEST_F(Registers, MrrIsNotAnInterruptSource)
{
	// #dbsr: MRR never contributes to the pending rule
	set(DBG_REG_DBCR0, DBCR0_IDM);
	set(DBG_REG_DBSR, DBSR_MRR);
	set(DBG_REG_MSR, DE);
	nop(0x100);
	EXPECT_FALSE(took_debug());
}

TEST_F(Registers, MsrLegalizesPerCore)
{
	// GS exists only on e500mc (E.HV)
	mtmsr(0x100, GS | DE);
	EXPECT_EQ(get(DBG_REG_MSR), DE);
	init(DBG_E500MC);
	mtmsr(0x100, GS | DE);
	EXPECT_EQ(get(DBG_REG_MSR), GS | DE);
}

TEST_F(Registers, DebugSprAccessIsPrivileged)
{
	set(DBG_REG_MSR, PR);
	mtspr(0x100, DBG_REG_DBCR0, DBCR0_IDM);
	EXPECT_EQ(last_irq(), DBG_IRQ_PROGRAM);
	EXPECT_EQ(get(DBG_REG_DBCR0), 0u);
	EXPECT_EQ(get(DBG_REG_ESR), ESR_PPR);
	EXPECT_EQ(get(DBG_REG_SRR0), 0x100u);
}

TEST_F(Registers, GuestDebugSprAccessTrapsToHypervisor)
{
	// #hypervisor: guest access to DBCR/DBSR/IAC/DAC traps to the hypervisor
	init(DBG_E500MC);
	set(DBG_REG_MSR, GS);
	mtspr(0x100, DBG_REG_DBCR0, DBCR0_IDM);
	EXPECT_EQ(last_irq(), DBG_IRQ_HVPRIV);
	EXPECT_EQ(dbg_pc(&u), VEC_HVPRIV);
	EXPECT_EQ(get(DBG_REG_DBCR0), 0u);
}
