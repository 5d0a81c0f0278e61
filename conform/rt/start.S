/* Start-up, step entry and landing of a conformance program (bookedbg compile). Assembled with the
 * generated scenario.S and super.c; layout.h fixes every address the model must know. */
#include "layout.h"

	.section .text.start, "ax"
	.globl _start
_start:
	lis	r1, conf_stack_top@ha
	addi	r1, r1, conf_stack_top@l
	li	r0, 0
	stwu	r0, -16(r1)
	li	r3, CONF_SUP_MSR
	mtmsr	r3
	isync
	bl	conf_main
1:	b	1b

/* conf_tlbwe(esel, mas1, mas2, mas3, mas7): write one TLB1 entry. */
	.globl conf_tlbwe
conf_tlbwe:
	slwi	r3, r3, 16
	oris	r3, r3, 0x1000		/* MAS0: TLBSEL = 1 */
	mtspr	624, r3
	mtspr	625, r4
	mtspr	626, r5
	mtspr	627, r6
	mtspr	944, r7
	isync
	tlbwe
	isync
	blr

/* conf_save(): save the C context and return 0, like setjmp; conf_landing returns 1 there.
 * The supervisor calls it before setting up a step, so a fault in the set-up comes back to it. */
	.globl conf_save
conf_save:
	lis	r4, conf_jmp@ha
	addi	r4, r4, conf_jmp@l
	stw	r1, 0(r4)
	stw	r2, 4(r4)
	stmw	r13, 8(r4)
	mflr	r5
	stw	r5, 84(r4)
	mfcr	r5
	stw	r5, 88(r4)
	li	r3, 0
	blr

/* conf_enter(const struct conf_entry *e): save the C context, load the step's registers and
 * branch to an entry tail, which arms DBCR0 and returns into the step. conf_landing comes back
 * here, as if conf_enter returned 1. */
	.globl conf_enter
conf_enter:
	mflr	r12
	mr	r11, r3
	bl	conf_save
	mtlr	r12
	mr	r3, r11
	lis	r4, conf_jmp@ha
	addi	r4, r4, conf_jmp@l
	stw	r12, 84(r4)
	lwz	r12, 0(r3)		/* pc */
	lwz	r0, 4(r3)		/* msr */
	lwz	r11, 16(r3)		/* 0 rfi, 1 rfci, 2 rfdi */
	cmpwi	r11, 0
	bne	1f
	mtspr	26, r12
	mtspr	27, r0
	b	3f
1:	cmpwi	r11, 1
	bne	2f
	mtspr	58, r12
	mtspr	59, r0
	b	3f
2:	mtspr	574, r12
	mtspr	575, r0
3:	lwz	r12, 12(r3)		/* entry tail */
	mtctr	r12
	lwz	r12, 8(r3)		/* dbcr0, for the tail */
	lwz	r4, 20(r3)		/* the chain's EAs and values: r4 .. r11 */
	lwz	r5, 24(r3)
	lwz	r6, 28(r3)
	lwz	r7, 32(r3)
	lwz	r8, 36(r3)
	lwz	r9, 40(r3)
	lwz	r10, 44(r3)
	lwz	r11, 48(r3)
	li	r0, 0			/* the stubs' zero */
	mtcrf	0xff, r0		/* CR0[LT] = 0: the not-taken branch */
	li	r3, 0
	bctr

/* The entry tails: the only instructions that run between arming DBCR0 and the step. */
	.org	CONF_ENTRY_RFI - CONF_BASE
	mtspr	308, r12
	isync
	rfi
	.org	CONF_ENTRY_RFCI - CONF_BASE
	mtspr	308, r12
	isync
	rfci
	.org	CONF_ENTRY_RFDI - CONF_BASE
	mtspr	308, r12
	isync
	.long	0x4C00004E		/* rfdi */

/* Every pad ends with `bla conf_landing`: DBCR0 is already 0, r3 holds its old value and LR the
 * pad's end. */
	.org	CONF_LANDING - CONF_BASE
	.globl conf_landing
conf_landing:
	mflr	r5
	addi	r5, r5, -CONF_STUB_BYTES
	b	conf_observe

/* Every vector stub is `bla conf_vec_landing`: disarm as a pad does, LR is the stub's end. */
	.org	CONF_VEC_LANDING - CONF_BASE
conf_vec_landing:
	mfspr	r3, 308
	mtspr	308, r0
	isync
	mflr	r5
	addi	r5, r5, -CONF_VSTUB_BYTES

/* Save what the step left, go back to the supervisor's MSR, and return from conf_enter. */
conf_observe:
	lis	r4, conf_obs@ha
	addi	r4, r4, conf_obs@l
	stw	r3, CONF_OBS_DBCR0(r4)
	stw	r5, CONF_OBS_AT(r4)
	mfmsr	r5
	stw	r5, CONF_OBS_MSR(r4)
	mfspr	r5, 304
	stw	r5, CONF_OBS_DBSR(r4)
	mfspr	r5, 58
	stw	r5, CONF_OBS_CSRR0(r4)
	mfspr	r5, 59
	stw	r5, CONF_OBS_CSRR1(r4)
	mfspr	r5, 26
	stw	r5, CONF_OBS_SRR0(r4)
	mfspr	r5, 27
	stw	r5, CONF_OBS_SRR1(r4)
	mfspr	r5, 62
	stw	r5, CONF_OBS_ESR(r4)
	lis	r6, conf_has_dsrr@ha
	lwz	r6, conf_has_dsrr@l(r6)
	cmpwi	r6, 0
	beq	1f
	mfspr	r5, 574
	stw	r5, CONF_OBS_DSRR0(r4)
	mfspr	r5, 575
	stw	r5, CONF_OBS_DSRR1(r4)
1:	li	r5, CONF_SUP_MSR
	mtmsr	r5
	isync
	lis	r4, conf_jmp@ha
	addi	r4, r4, conf_jmp@l
	lwz	r1, 0(r4)
	lwz	r2, 4(r4)
	lmw	r13, 8(r4)
	lwz	r5, 84(r4)
	mtlr	r5
	lwz	r5, 88(r4)
	mtcr	r5
	li	r3, 1
	blr

/* The supervisor's own vectors (IVPR = CONF_FALLBACK_IVPR, IVORn = n * 0x20, IVOR41 = 0x400):
 * an interrupt while it sets up a step lands here and is reported as a set-up fault. */
	.org	CONF_FALLBACK_IVPR - CONF_BASE
	.rept	16
	.long	CONF_VSTUB_W, 0, 0, 0, 0, 0, 0, 0
	.endr
	.org	CONF_FALLBACK_IVPR - CONF_BASE + 0x400
	.long	CONF_VSTUB_W

	.section .bss.conf, "aw", @nobits
	.balign	16
	.globl conf_obs
conf_obs:	.space	64
conf_jmp:	.space	96
	.balign	16
	.space	16384
conf_stack_top:
