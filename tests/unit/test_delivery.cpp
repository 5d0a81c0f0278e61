// Facts 2.10, 3, 4, 6 and rules 2, 4, 5, 6: delivery, the level-sensitive rule, MSR on entry,
// e500v2 vs e500mc, EPCR[DUVD], MSRP[DEP].
#include "helpers.h"

class Delivery : public Unit {};

TEST_F(Delivery, E500v2UsesCsrrAndKeepsOnlyMe)
{
	// rule 6: e500v2 debug is critical class: CSRR0/1; new MSR keeps only ME; CE does not block
	set(DBG_REG_DBCR0, DBCR0_IDM | DBCR0_ICMP);
	set(DBG_REG_MSR, DE | ME | EE | PR | IS | DS);   // CE=0 still interrupts
	nop(0x1000);
	EXPECT_TRUE(took_debug());
	EXPECT_EQ(get(DBG_REG_CSRR0), 0x1004u);
	EXPECT_EQ(get(DBG_REG_CSRR1), DE | ME | EE | PR | IS | DS);
	EXPECT_EQ(get(DBG_REG_MSR), ME);
	EXPECT_EQ(get(DBG_REG_SRR0), 0u);
}

TEST_F(Delivery, E500mcUsesDsrrAndRfdi)
{
	init(DBG_E500MC);
	set(DBG_REG_DBCR0, DBCR0_IDM | DBCR0_ICMP);
	set(DBG_REG_MSR, DE | ME | GS);
	nop(0x1000);
	EXPECT_EQ(get(DBG_REG_DSRR0), 0x1004u);
	EXPECT_EQ(get(DBG_REG_DSRR1), DE | ME | GS);
	EXPECT_EQ(get(DBG_REG_CSRR0), 0u);
	EXPECT_EQ(get(DBG_REG_MSR), ME);
	mtspr(VEC_DEBUG, DBG_REG_DBSR, DBSR_ICMP);
	simple(DBG_I_RFDI, VEC_DEBUG + 4);
	EXPECT_EQ(dbg_pc(&u), 0x1004u);
	EXPECT_EQ(get(DBG_REG_MSR), DE | ME | GS);
}

TEST_F(Delivery, RfdiIsIllegalOnE500v2)
{
	simple(DBG_I_RFDI, 0x1000);
	EXPECT_EQ(last_irq(), DBG_IRQ_PROGRAM);
	EXPECT_EQ(get(DBG_REG_ESR), ESR_PIL);
}

TEST_F(Delivery, VectorIsIvprHighAndIvorMiddle)
{
	set(DBG_REG_IVPR, 0x12340000);
	set(DBG_REG_IVOR15, 0x0ABC);
	set(DBG_REG_DBCR0, DBCR0_IDM | DBCR0_ICMP);
	set(DBG_REG_MSR, DE);
	nop(0x1000);
	EXPECT_EQ(dbg_pc(&u), 0x12340AB0u);
}

TEST_F(Delivery, LevelSensitiveReentryWithoutClearingDbsr)
{
	// rule 2: the handler returns with rfci without clearing DBSR: the interrupt is taken again
	set(DBG_REG_DBCR0, DBCR0_IDM | DBCR0_IAC1);
	set(DBG_REG_IAC1, 0x1000);
	set(DBG_REG_MSR, DE);
	nop(0x1000);
	simple(DBG_I_RFCI, VEC_DEBUG);
	EXPECT_TRUE(took_debug());
	EXPECT_EQ(get(DBG_REG_CSRR0), 0x1000u);
}

TEST_F(Delivery, ClearingDbsrBeforeReturnEndsTheLevel)
{
	set(DBG_REG_DBCR0, DBCR0_IDM | DBCR0_IAC1);
	set(DBG_REG_IAC1, 0x1000);
	set(DBG_REG_MSR, DE);
	nop(0x1000);
	mtspr(VEC_DEBUG, DBG_REG_DBSR, DBSR_IAC1);
	mtspr(VEC_DEBUG + 4, DBG_REG_DBCR0, DBCR0_IDM);
	simple(DBG_I_ISYNC, VEC_DEBUG + 8);
	simple(DBG_I_RFCI, VEC_DEBUG + 12);
	EXPECT_FALSE(took_debug());
	EXPECT_EQ(dbg_pc(&u), 0x1000u);
	nop(0x1000);
	EXPECT_FALSE(took_debug());
}

TEST_F(Delivery, DelayedInterruptAfterMtmsrSavesNextInstruction)
{
	// #record delayed: saved PC = the instruction after the one that set DE
	set(DBG_REG_DBCR0, DBCR0_IDM | DBCR0_DAC1W);
	set(DBG_REG_DAC1, 0x8000);
	store(0x1000, 0x8000);
	EXPECT_EQ(get(DBG_REG_DBSR), DBSR_DAC1W | DBSR_IDE);
	nop(0x1004);
	mtmsr(0x1008, DE);
	EXPECT_TRUE(took_debug());
	EXPECT_EQ(get(DBG_REG_CSRR0), 0x100Cu);
}

TEST_F(Delivery, DelayedInterruptAtRfiTarget)
{
	set(DBG_REG_DBCR0, DBCR0_IDM);
	set(DBG_REG_DBSR, DBSR_IAC1 | DBSR_IDE);
	set(DBG_REG_SRR0, 0x7000);
	set(DBG_REG_SRR1, DE);
	simple(DBG_I_RFI, 0x1000);
	EXPECT_TRUE(took_debug());
	EXPECT_EQ(get(DBG_REG_CSRR0), 0x7000u);
}

TEST_F(Delivery, PendingBeforeInstructionFromBackDoor)
{
	// priority 5: a pending debug interrupt is taken before the next instruction executes
	set(DBG_REG_DBCR0, DBCR0_IDM);
	set(DBG_REG_DBSR, DBSR_UDE);
	set(DBG_REG_MSR, DE);
	nop(0x1000);
	EXPECT_TRUE(took_debug());
	EXPECT_EQ(get(DBG_REG_CSRR0), 0x1000u);
}

TEST_F(Delivery, PendingRuleIdeOnlyOption)
{
	// option PENDING_RULE=IDE_ONLY (A2): a stale event bit without IDE does not re-interrupt
	opt(DBG_OPT_PENDING_RULE, DBG_PENDING_IDE_ONLY);
	set(DBG_REG_DBCR0, DBCR0_IDM);
	set(DBG_REG_DBSR, DBSR_IAC1);
	set(DBG_REG_MSR, DE);
	nop(0x1000);
	EXPECT_FALSE(took_debug());
	set(DBG_REG_DBSR, DBSR_IAC1 | DBSR_IDE);
	nop(0x1004);
	EXPECT_TRUE(took_debug());
}

TEST_F(Delivery, IdeAloneIsNotAnEvent)
{
	set(DBG_REG_DBCR0, DBCR0_IDM);
	set(DBG_REG_DBSR, DBSR_IDE);
	set(DBG_REG_MSR, DE);
	nop(0x1000);
	EXPECT_FALSE(took_debug());
}

TEST_F(Delivery, NonCriticalInterruptKeepsDe)
{
	// rule 5: non-critical interrupts preserve DE (and CE, ME), clear the rest
	set(DBG_REG_MSR, DE | CE | ME | EE | PR);
	dbg_set_pc(&u, 0x1000);
	irq(DBG_IRQ_EXTERNAL);
	EXPECT_EQ(get(DBG_REG_MSR), DE | CE | ME);
	EXPECT_EQ(get(DBG_REG_SRR1), DE | CE | ME | EE | PR);
	EXPECT_EQ(dbg_pc(&u), VEC_EXTERNAL);
}

TEST_F(Delivery, CriticalInterruptClearsDe)
{
	set(DBG_REG_MSR, DE | CE | ME);
	dbg_set_pc(&u, 0x1000);
	irq(DBG_IRQ_CRITICAL);
	EXPECT_EQ(get(DBG_REG_MSR), ME);
	EXPECT_EQ(get(DBG_REG_CSRR0), 0x1000u);
	EXPECT_EQ(dbg_pc(&u), VEC_CRIT);
}

TEST_F(Delivery, E500mcCriticalDeOption)
{
	init(DBG_E500MC);
	opt(DBG_OPT_E500MC_CRIT_CLEARS_DE, 0);
	set(DBG_REG_MSR, DE | CE | ME);
	irq(DBG_IRQ_WATCHDOG);
	EXPECT_EQ(get(DBG_REG_MSR), DE | ME);
}

TEST_F(Delivery, MachineCheckUsesMcsrrAndClearsMe)
{
	set(DBG_REG_MSR, DE | ME);
	dbg_set_pc(&u, 0x1000);
	irq(DBG_IRQ_MACHINE_CHECK);
	EXPECT_EQ(get(DBG_REG_MCSRR0), 0x1000u);
	EXPECT_EQ(get(DBG_REG_MSR), 0u);
}

TEST_F(Delivery, DuvdDisablesEventsInHypervisorPrivilegedState)
{
	// #hypervisor DUVD_SCOPE=GS0_PR0: no events in GS=0 PR=0; hypervisor user and guest still fire
	init(DBG_E500MC);
	set(DBG_REG_EPCR, EPCR_DUVD);
	set(DBG_REG_DBCR0, DBCR0_IDM | DBCR0_IAC1 | DBCR0_TRAP);
	set(DBG_REG_IAC1, 0x1000);
	set(DBG_REG_MSR, DE);
	nop(0x1000);
	EXPECT_EQ(r.events, 0u);
	EXPECT_EQ(get(DBG_REG_DBSR), 0u);
	simple(DBG_I_TRAP, 0x1004);
	EXPECT_EQ(last_irq(), DBG_IRQ_PROGRAM);     // trap goes to Program instead
	EXPECT_EQ(get(DBG_REG_DBSR), 0u);
	set(DBG_REG_MSR, DE | PR);
	nop(0x1000);
	EXPECT_TRUE(took_debug());
	set(DBG_REG_MSR, DE | GS);
	set(DBG_REG_DBSR, 0);
	nop(0x1000);
	EXPECT_TRUE(took_debug());
	opt(DBG_OPT_DUVD_SCOPE, DBG_DUVD_GS0);
	set(DBG_REG_MSR, DE | PR);
	set(DBG_REG_DBSR, 0);
	nop(0x1000);
	EXPECT_FALSE(took_debug());
}

TEST_F(Delivery, DuvdBlocksUdeByDefault)
{
	init(DBG_E500MC);
	set(DBG_REG_EPCR, EPCR_DUVD);
	set(DBG_REG_DBCR0, DBCR0_IDM);
	set(DBG_REG_MSR, DE);
	ude();
	EXPECT_EQ(get(DBG_REG_DBSR), 0u);
	opt(DBG_OPT_DUVD_BLOCKS_UDE, 0);
	ude();
	EXPECT_TRUE(took_debug());
}

TEST_F(Delivery, MsrpDepProtectsDeFromGuestMtmsrAndRfi)
{
	// #hypervisor: with MSRP[DEP]=1 a guest cannot change MSR[DE]; the hypervisor can
	init(DBG_E500MC);
	set(DBG_REG_MSRP, MSRP_DEP);
	set(DBG_REG_MSR, GS | DE);
	mtmsr(0x1000, GS);
	EXPECT_EQ(get(DBG_REG_MSR), GS | DE);
	set(DBG_REG_SRR0, 0x2000);
	set(DBG_REG_SRR1, GS);
	simple(DBG_I_RFI, 0x1004);
	EXPECT_EQ(get(DBG_REG_MSR), GS | DE);
	set(DBG_REG_MSRP, 0);
	mtmsr(0x2000, GS);
	EXPECT_EQ(get(DBG_REG_MSR), GS);
	set(DBG_REG_MSRP, MSRP_DEP);
	set(DBG_REG_MSR, DE);                 // hypervisor state: not protected
	mtmsr(0x2004, 0);
	EXPECT_EQ(get(DBG_REG_MSR), 0u);
}

TEST_F(Delivery, GuestCannotLeaveGuestStateByMtmsr)
{
	init(DBG_E500MC);
	set(DBG_REG_MSR, GS);
	mtmsr(0x1000, 0);
	EXPECT_EQ(get(DBG_REG_MSR), GS);
}
