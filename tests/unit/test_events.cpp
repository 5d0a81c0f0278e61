// Facts 2.2-2.9 and rule 1: ICMP, BRT, TRAP, IRPT, RET, UDE, and DE=0 recording.
#include "helpers.h"

class Events : public Unit {
protected:
	void arm(uint32_t dbcr0, uint32_t msr = DE)
	{
		set(DBG_REG_DBCR0, DBCR0_IDM | dbcr0);
		set(DBG_REG_MSR, msr);
	}
};

TEST_F(Events, IcmpSavesNextInstruction)
{
	// #record: ICMP: CSRR0 = the next instruction
	arm(DBCR0_ICMP);
	nop(0x1000);
	EXPECT_EQ(r.events, DBSR_ICMP);
	EXPECT_TRUE(took_debug());
	EXPECT_EQ(get(DBG_REG_CSRR0), 0x1004u);
	branch(0x2000, 0x3000);
	EXPECT_FALSE(took_debug());   // DE was cleared by the debug entry
}

TEST_F(Events, IcmpAndBrtAreNotRecordedWithDe0)
{
	// rule 1: BRT and ICMP are not recorded at all with DE=0 and never set IDE
	arm(DBCR0_ICMP | DBCR0_BRT, 0);
	nop(0x1000);
	branch(0x1004, 0x2000);
	EXPECT_EQ(get(DBG_REG_DBSR), 0u);
	mtmsr(0x2000, DE);
	EXPECT_FALSE(took_debug() && r.events != DBSR_ICMP);
}

TEST_F(Events, IcmpNotRaisedForSuppressedInstruction)
{
	// #icmp: no ICMP for an instruction suppressed by another exception
	arm(DBCR0_ICMP | DBCR0_IAC1);
	set(DBG_REG_IAC1, 0x1000);
	nop(0x1000);
	EXPECT_EQ(r.events, DBSR_IAC1);
	EXPECT_EQ(get(DBG_REG_CSRR0), 0x1000u);
}

TEST_F(Events, SingleStepOverScLandsInSyscallHandler)
{
	// rule 5 / #icmp: sc completes (ICMP), System Call keeps DE, debug saves the vector
	arm(DBCR0_ICMP);
	simple(DBG_I_SC, 0x1000);
	EXPECT_EQ(r.nirq, 2u);
	EXPECT_EQ(r.irq[0].kind, DBG_IRQ_SYSCALL);
	EXPECT_EQ(get(DBG_REG_SRR0), 0x1004u);
	EXPECT_TRUE(took_debug());
	EXPECT_EQ(get(DBG_REG_CSRR0), VEC_SYSCALL);
	EXPECT_EQ(get(DBG_REG_CSRR1) & DE, DE);
}

TEST_F(Events, IcmpWhenInstructionClearsDeIsDeferred)
{
	// option ICMP_WHEN_INSN_CLEARS_DE=RECORDED: recorded, interrupt waits until DE=1
	arm(DBCR0_ICMP);
	mtmsr(0x1000, 0);
	EXPECT_EQ(r.events, DBSR_ICMP);
	EXPECT_FALSE(took_debug());
	mtmsr(0x1004, DE);
	EXPECT_TRUE(took_debug());
	EXPECT_EQ(get(DBG_REG_CSRR0), 0x1008u);
	init();
	opt(DBG_OPT_ICMP_WHEN_INSN_CLEARS_DE, DBG_ICMPDE_NOT_RECORDED);
	arm(DBCR0_ICMP);
	mtmsr(0x1000, 0);
	EXPECT_EQ(r.events, 0u);
}

TEST_F(Events, BrtStopsOnTakenBranchOnly)
{
	// #brt: BRT stops on the branch itself; not-taken branches never fire
	arm(DBCR0_BRT);
	simple(DBG_I_BRANCH_NT, 0x1000);
	EXPECT_EQ(r.events, 0u);
	branch(0x1004, 0x5000);
	EXPECT_EQ(r.events, DBSR_BRT);
	EXPECT_EQ(get(DBG_REG_CSRR0), 0x1004u);
	EXPECT_EQ(dbg_pc(&u), VEC_DEBUG);
}

TEST_F(Events, TrapWithDe1TakesDebugInterrupt)
{
	// #trap: DE=1, IDM=1: debug interrupt, CSRR0 = the trap, no Program
	arm(DBCR0_TRAP);
	simple(DBG_I_TRAP, 0x1000);
	EXPECT_EQ(r.events, DBSR_TRAP);
	EXPECT_EQ(r.nirq, 1u);
	EXPECT_TRUE(took_debug());
	EXPECT_EQ(get(DBG_REG_CSRR0), 0x1000u);
}

TEST_F(Events, TrapWithDe0TakesProgramAndRecordsTrapIde)
{
	// #trap: TRAP|IDE recorded and a Program (trap) interrupt taken; delayed debug later
	arm(DBCR0_TRAP, 0);
	simple(DBG_I_TRAP, 0x1000);
	EXPECT_EQ(last_irq(), DBG_IRQ_PROGRAM);
	EXPECT_EQ(get(DBG_REG_ESR), ESR_PTR);
	EXPECT_EQ(get(DBG_REG_SRR0), 0x1000u);
	EXPECT_EQ(get(DBG_REG_DBSR), DBSR_TRAP | DBSR_IDE);
	mtmsr(VEC_PROGRAM, DE);
	EXPECT_TRUE(took_debug());
	EXPECT_EQ(get(DBG_REG_CSRR0), VEC_PROGRAM + 4);
}

TEST_F(Events, TrapWithIdm0IsRecordedAndProgramTaken)
{
	// #debug-modes / runners-up: TRAP recorded regardless of IDM and DE
	set(DBG_REG_DBCR0, DBCR0_TRAP);
	set(DBG_REG_MSR, DE);
	simple(DBG_I_TRAP, 0x1000);
	EXPECT_EQ(last_irq(), DBG_IRQ_PROGRAM);
	EXPECT_EQ(get(DBG_REG_DBSR), DBSR_TRAP);
}

TEST_F(Events, TrapWithoutEnableIsPlainProgram)
{
	arm(0);
	simple(DBG_I_TRAP, 0x1000);
	EXPECT_EQ(last_irq(), DBG_IRQ_PROGRAM);
	EXPECT_EQ(get(DBG_REG_DBSR), 0u);
}

TEST_F(Events, IrptOnNonCriticalSavesVector)
{
	// #record, #irpt: IRPT saved PC = the non-critical vector; no handler instruction runs
	arm(DBCR0_IRPT, DE | EE);
	dbg_set_pc(&u, 0x1000);
	irq(DBG_IRQ_EXTERNAL);
	EXPECT_EQ(r.events, DBSR_IRPT);
	EXPECT_EQ(get(DBG_REG_SRR0), 0x1000u);
	EXPECT_TRUE(took_debug());
	EXPECT_EQ(get(DBG_REG_CSRR0), VEC_EXTERNAL);
}

TEST_F(Events, IrptNotRaisedByCriticalInterrupts)
{
	// #irpt: critical interrupts never raise IRPT
	arm(DBCR0_IRPT, DE | CE);
	dbg_set_pc(&u, 0x1000);
	irq(DBG_IRQ_CRITICAL);
	EXPECT_EQ(r.events, 0u);
	irq(DBG_IRQ_WATCHDOG);
	EXPECT_EQ(r.events, 0u);
}

TEST_F(Events, IrptWithDe0RecordsIde)
{
	arm(DBCR0_IRPT, 0);
	dbg_set_pc(&u, 0x1000);
	irq(DBG_IRQ_DECREMENTER);
	EXPECT_EQ(get(DBG_REG_DBSR), DBSR_IRPT | DBSR_IDE);
	EXPECT_FALSE(took_debug());
}

TEST_F(Events, CirptAbsentByDefaultPresentWithOption)
{
	// option HAS_CIRPT_CRET (default NO)
	arm(DBCR0_CIRPT);
	EXPECT_EQ(get(DBG_REG_DBCR0) & DBCR0_CIRPT, 0u);
	opt(DBG_OPT_HAS_CIRPT_CRET, 1);
	set(DBG_REG_DBCR0, DBCR0_IDM | DBCR0_CIRPT);
	dbg_set_pc(&u, 0x1000);
	irq(DBG_IRQ_CRITICAL);
	EXPECT_EQ(r.events, DBSR_CIRPT);
}

TEST_F(Events, RetOnE500v2ExecutesRfiAndSavesTarget)
{
	// #ret RET_SAVED_PC=RETURN_TARGET (e500v2)
	arm(DBCR0_RET);
	set(DBG_REG_SRR0, 0x4000);
	set(DBG_REG_SRR1, DE | PR);
	simple(DBG_I_RFI, 0x1000);
	EXPECT_EQ(r.events, DBSR_RET);
	EXPECT_TRUE(took_debug());
	EXPECT_EQ(get(DBG_REG_CSRR0), 0x4000u);
	EXPECT_EQ(get(DBG_REG_CSRR1), DE | PR);   // the rfi executed
}

TEST_F(Events, RetRfiThatClearsDeRecordsWithoutIde)
{
	// #ret: DE=1 before, 0 after: RET without IDE, no interrupt
	arm(DBCR0_RET);
	set(DBG_REG_SRR0, 0x4000);
	set(DBG_REG_SRR1, PR);
	simple(DBG_I_RFI, 0x1000);
	EXPECT_EQ(get(DBG_REG_DBSR), DBSR_RET);
	EXPECT_FALSE(took_debug());
}

TEST_F(Events, RetWithDe0RfiRestoringDeInterruptsAtTarget)
{
	arm(DBCR0_RET, 0);
	set(DBG_REG_SRR0, 0x4000);
	set(DBG_REG_SRR1, DE);
	simple(DBG_I_RFI, 0x1000);
	EXPECT_EQ(get(DBG_REG_CSRR0), 0x4000u);
	EXPECT_EQ(get(DBG_REG_DBSR), DBSR_RET | DBSR_IDE);
}

TEST_F(Events, RetOnE500mcSuppressesRfi)
{
	// #ret RET_SAVED_PC=RFI_ADDRESS (e500mc default)
	init(DBG_E500MC);
	arm(DBCR0_RET);
	set(DBG_REG_SRR0, 0x4000);
	set(DBG_REG_SRR1, DE | PR);
	simple(DBG_I_RFI, 0x1000);
	EXPECT_TRUE(took_debug());
	EXPECT_EQ(get(DBG_REG_DSRR0), 0x1000u);
	EXPECT_EQ(get(DBG_REG_DSRR1), DE);        // the rfi did not execute
}

TEST_F(Events, RetNotRecordedForRfciOnE500v2)
{
	// #ret RET_ON_RFCI=NO
	arm(DBCR0_RET);
	set(DBG_REG_CSRR0, 0x4000);
	set(DBG_REG_CSRR1, DE);
	simple(DBG_I_RFCI, 0x1000);
	EXPECT_EQ(r.events, 0u);
	EXPECT_EQ(dbg_pc(&u), 0x4000u);
}

TEST_F(Events, UdeSavesNextInstructionAndNeedsNoEnable)
{
	// #record: UDE: no enable bit, CSRR0 = the next instruction
	arm(0);
	nop(0x1000);
	ude();
	EXPECT_EQ(r.events, DBSR_UDE);
	EXPECT_TRUE(took_debug());
	EXPECT_EQ(get(DBG_REG_CSRR0), 0x1004u);
}

TEST_F(Events, UdeWithDe0RecordsIde)
{
	arm(0, 0);
	ude();
	EXPECT_EQ(get(DBG_REG_DBSR), DBSR_UDE | DBSR_IDE);
	EXPECT_FALSE(took_debug());
}

TEST_F(Events, Idm0RecordsNothingButTrapByDefault)
{
	// option DBSR_RECORD_WHEN_IDM0=NONE_EXCEPT_TRAP
	set(DBG_REG_DBCR0, DBCR0_IAC1 | DBCR0_ICMP);
	set(DBG_REG_IAC1, 0x1000);
	set(DBG_REG_MSR, DE);
	nop(0x1000);
	EXPECT_EQ(get(DBG_REG_DBSR), 0u);
	opt(DBG_OPT_DBSR_RECORD_WHEN_IDM0, DBG_IDM0_ALL);
	nop(0x1000);
	EXPECT_EQ(get(DBG_REG_DBSR), DBSR_IAC1);
	EXPECT_FALSE(took_debug());
}

TEST_F(Events, MultiEventHighestGroupOnly)
{
	// option DBSR_MULTI_EVENT=HIGHEST_GROUP: IAC (group 7) hides DAC (group 18) on one insn
	arm(DBCR0_IAC1 | DBCR0_DAC1R, 0);
	set(DBG_REG_IAC1, 0x1000);
	set(DBG_REG_DAC1, 0x8000);
	load(0x1000, 0x8000);
	EXPECT_EQ(get(DBG_REG_DBSR), DBSR_IAC1 | DBSR_IDE);
	opt(DBG_OPT_DBSR_MULTI_EVENT, DBG_MULTI_ALL_MATCHING);
	set(DBG_REG_DBSR, 0);
	load(0x1000, 0x8000);
	EXPECT_EQ(get(DBG_REG_DBSR), DBSR_IAC1 | DBSR_DAC1R | DBSR_IDE);
}

TEST_F(Events, EdmHaltsInsteadOfInterrupting)
{
	// rule 3: EDM takes precedence over IDM: the event halts the core
	set(DBG_REG_DBCR0, DBCR0_EDM | DBCR0_IDM | DBCR0_IAC1);
	set(DBG_REG_IAC1, 0x1000);
	set(DBG_REG_MSR, DE);
	nop(0x1000);
	EXPECT_EQ(r.action, DBG_ACT_HALTED);
	EXPECT_EQ(r.nirq, 0u);
	EXPECT_EQ(dbg_pc(&u), 0x1000u);
	nop(0x1000);
	EXPECT_EQ(r.action, DBG_ACT_IDLE);
	set(DBG_REG_DBCR0, 0);         // the debugger resumes the core
	nop(0x1000);
	EXPECT_EQ(r.action, DBG_ACT_NONE);
}

TEST_F(Events, EdmHaltsEvenWithDe0AndWithoutIde)
{
	set(DBG_REG_DBCR0, DBCR0_EDM | DBCR0_ICMP);
	nop(0x1000);
	EXPECT_EQ(r.action, DBG_ACT_HALTED);
	EXPECT_EQ(get(DBG_REG_DBSR), DBSR_ICMP);
	EXPECT_EQ(dbg_pc(&u), 0x1004u);
}

TEST_F(Events, TrapWithIcmpGivesTrapAloneAndNextInstructionIcmp)
{
	// #icmp [TZT]: a taken trap with TRAP and ICMP enabled: one interrupt, DBSR = TRAP only,
	// saved PC = the trap; the instruction after it then raises ICMP with saved PC + 4
	init(DBG_E500MC);
	arm(DBCR0_TRAP | DBCR0_ICMP);
	simple(DBG_I_TRAP, 0x1000);
	EXPECT_EQ(r.events, DBSR_TRAP);
	EXPECT_EQ(get(DBG_REG_DSRR0), 0x1000u);
	mtspr(VEC_DEBUG, DBG_REG_DBSR, DBSR_TRAP);
	set(DBG_REG_DSRR0, 0x1004);
	simple(DBG_I_RFDI, VEC_DEBUG + 4);
	nop(0x1004);
	EXPECT_EQ(r.events, DBSR_ICMP);
	EXPECT_EQ(get(DBG_REG_DSRR0), 0x1008u);
}

TEST_F(Events, IcmpExcludesReturnsOption)
{
	// option ICMP_EXCLUDES: NONE (default) raises ICMP for rfi too; RETURNS does not
	arm(DBCR0_ICMP);
	set(DBG_REG_SRR0, 0x4000);
	set(DBG_REG_SRR1, DE);
	simple(DBG_I_RFI, 0x1000);
	EXPECT_EQ(r.events, DBSR_ICMP);
	init();
	opt(DBG_OPT_ICMP_EXCLUDES, DBG_ICMPX_RETURNS);
	arm(DBCR0_ICMP);
	set(DBG_REG_SRR0, 0x4000);
	set(DBG_REG_SRR1, DE);
	simple(DBG_I_RFI, 0x1000);
	EXPECT_EQ(r.events, 0u);
	EXPECT_EQ(dbg_pc(&u), 0x4000u);
}

TEST_F(Events, RetOnRfciOption)
{
	// option RET_ON_RFCI=YES: an rfci executed with DE=1 records RET
	opt(DBG_OPT_RET_ON_RFCI, 1);
	arm(DBCR0_RET);
	set(DBG_REG_CSRR0, 0x4000);
	set(DBG_REG_CSRR1, DE);
	simple(DBG_I_RFCI, 0x1000);
	EXPECT_EQ(r.events, DBSR_RET);
}

TEST_F(Events, FtReadsBackAndFreezesNothing)
{
	// option HAS_FT: DBCR0[FT] is storage on both cores; no timers are modelled
	for (dbg_core c : { DBG_E500V2, DBG_E500MC }) {
		init(c);
		mtspr(0x100, DBG_REG_DBCR0, DBCR0_FT);
		EXPECT_EQ(get(DBG_REG_DBCR0), DBCR0_FT);
	}
}

TEST_F(Events, BrtIgnoredWithDe0LeavesNothingPending)
{
	// rule 1: BRT with DE=0 is not recorded, so setting DE later fires nothing
	arm(DBCR0_BRT, 0);
	branch(0x1000, 0x2000);
	mtmsr(0x2000, DE);
	EXPECT_FALSE(took_debug());
	EXPECT_EQ(get(DBG_REG_DBSR), 0u);
}

TEST_F(Events, TrapThatMissesInTheItlbTakesTheItlbInterruptNotProgram)
{
	// #priority: ITLB (8) and ISI (9) outrank Program (11): a trap that cannot be fetched takes the
	// fetch exception; it never becomes the Program interrupt of a trap
	for (dbg_fault f : { DBG_F_ITLB, DBG_F_ISI }) {
		init();
		set(DBG_REG_MSR, ME);
		dbg_insn in = insn(DBG_I_TRAP, 0x1000);
		in.fault = f;
		run(in);
		EXPECT_EQ(r.nirq, 1u);
		EXPECT_EQ(last_irq(), f == DBG_F_ITLB ? DBG_IRQ_ITLB : DBG_IRQ_ISI);
		EXPECT_EQ(get(DBG_REG_ESR) & ESR_PTR, 0u);
	}
}
