/* The memory map and record layout of a conformance program: shared by the compiler (host C), the
 * start-up code (start.S) and the supervisor (super.c). Plain #defines only: the assembler reads it. */
#ifndef BOOKEDBG_CONF_LAYOUT_H
#define BOOKEDBG_CONF_LAYOUT_H

/* The program is one ELF linked and loaded at CONF_BASE, entry point CONF_BASE. It stays below
 * 32 MiB so a 4-byte `bla` from any landing pad reaches it; nothing a trace touches may lie in
 * [CONF_BASE, CONF_END). */
#define CONF_BASE        0x01C00000
#define CONF_END         0x02000000
/* The entry tails: `mtspr DBCR0,r12; isync; rfX` at fixed addresses, so the model can execute the
 * very instructions (and addresses) the program executes with the debug facility armed. */
#define CONF_ENTRY_RFI   (CONF_BASE + 0x180)
#define CONF_ENTRY_RFCI  (CONF_BASE + 0x190)
#define CONF_ENTRY_RFDI  (CONF_BASE + 0x1A0)
/* The landing routines: pads branch to CONF_LANDING with DBCR0 already 0; vector stubs branch to
 * CONF_VEC_LANDING, which disarms DBCR0 first (`bla`: the link register tells where from). */
#define CONF_LANDING     (CONF_BASE + 0x200)
#define CONF_VEC_LANDING (CONF_BASE + 0x300)
/* The supervisor's own vectors while it works between steps (64 KiB aligned for IVPR). */
#define CONF_FALLBACK_IVPR (CONF_BASE + 0x10000)
/* The log: the same text as the serial port, NUL-terminated, after a word holding its length. */
#define CONF_LOG_BASE    0x01F00000
#define CONF_LOG_SIZE    0x000FFF00
/* RAM the loader maps 1:1 (-m 256), and where pages a trace uses above it are backed. */
#define CONF_RAM_SIZE    0x10000000
#define CONF_REMAP_PA    0x0F000000
#define CONF_PAGE_SIZE   0x00010000      /* one TLB1 entry per page outside RAM (TSIZE 64 KiB) */
#define CONF_MAX_MAPS    6
/* The 16550 UART of the ppce500 machine: CCSR (physical 0xF_E000_0000) + 0x4500, mapped at a VA. */
#define CONF_CCSR_PA_HI  0xF
#define CONF_CCSR_PA     0xE0000000
#define CONF_CCSR_VA     0xE0000000
#define CONF_UART_OFF    0x4500
/* The MSR the supervisor runs with: ME only (DE=0, so no debug interrupt between steps). */
#define CONF_SUP_MSR     0x00001000

/* A landing pad: `mfspr r3,DBCR0; mtspr DBCR0,r0; isync; bla CONF_LANDING` (r0 = 0). */
#define CONF_STUB_BYTES  16
#define CONF_STUB_W0     0x7C744AA6      /* mfspr r3,308 */
#define CONF_STUB_W1     0x7C144BA6      /* mtspr 308,r0 */
#define CONF_STUB_W2     0x4C00012C      /* isync */
#define CONF_STUB_W3     (0x48000003 | CONF_LANDING)   /* bla CONF_LANDING */
/* A vector stub is one word, so the trace's own handler code may follow it at the vector + 4:
 * `bla CONF_VEC_LANDING`, which runs the pad's three instructions there. */
#define CONF_VSTUB_BYTES 4
#define CONF_VSTUB_W     (0x48000003 | CONF_VEC_LANDING)

/* How the program lands after a step (struct conf_step.pad_kind). */
#define CONF_PAD_NONE    0   /* the step ends in an interrupt: its vector stub is the landing */
#define CONF_PAD_SUPER   1   /* supervisor state: a stub at the next instruction */
#define CONF_PAD_TRAP    2   /* problem state: an illegal word 0 (Program interrupt, then its stub) */

/* struct conf_step flags */
#define CONF_F_RESERVE   1   /* lwarx the EA before entry: the stwcx. finds a reservation */
#define CONF_F_UNRESERVE 2   /* clear any reservation before entry: the stwcx. fails */
#define CONF_F_RESTORE   4   /* after the landing, give the entry return's save registers back the
                                values they had before the entry (the step did not write them) */

/* struct conf_set.spr pseudo numbers (real SPR numbers are below 1024) */
#define CONF_SET_MSR     0x10000

/* struct conf_step, as 32-bit words (the compiler emits .long lines in this order): a step is a
 * chain of up to CONF_CHAIN instructions entered once and observed once, at its landing. */
#define CONF_CHAIN       4
#define CONF_STEP_WORDS  (9 + 4 * CONF_CHAIN)
/* line, entry, flags, resv_ea, pad, pad_kind, nset, set, n, then n x (pc, insn, ea, value):
 * instruction j finds its EA in r(4+2j) and its value in r(5+2j). */

/* struct conf_obs: what the landing routine saves (offsets for start.S) */
#define CONF_OBS_AT      0
#define CONF_OBS_DBCR0   4
#define CONF_OBS_MSR     8
#define CONF_OBS_DBSR    12
#define CONF_OBS_CSRR0   16
#define CONF_OBS_CSRR1   20
#define CONF_OBS_SRR0    24
#define CONF_OBS_SRR1    28
#define CONF_OBS_ESR     32
#define CONF_OBS_DSRR0   36
#define CONF_OBS_DSRR1   40

/* The log format version on the first line. */
#define CONF_LOG_VERSION 1

#endif
