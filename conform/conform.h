/* Conformance programs (docs/conformance.md): a trace compiled into a bare-metal e500 program that
 * executes each exec statement as the real instruction at its address, with the model's record of
 * what the program must observe at each landing; and the comparison of a target's log with it. */
#ifndef BOOKEDBG_CONFORM_H
#define BOOKEDBG_CONFORM_H

#include <stdint.h>
#include <stdio.h>

#include "trace.h"

/* The state a step leaves, as the landing routine reads it (the log's `step` line). */
struct cf_rec {
	int line;          /* the exec statement */
	uint32_t at;       /* where the core arrived: a vector stub or the step's pad */
	int ivor;          /* the vector number of `at`; -1 the pad; -2 neither */
	uint32_t msr, dbsr, dbcr0, csrr0, csrr1, srr0, srr1, esr, dsrr0, dsrr1;
};

enum cf_entry { CF_RFI, CF_RFCI, CF_RFDI };

/* A register the supervisor writes before a step (struct conf_set of the runtime). */
struct cf_set {
	uint32_t spr;      /* SPR number, or CONF_SET_MSR */
	uint32_t value;
};

/* A step: one exec statement, or a chain of them when a landing pad in between would itself
 * raise a debug event (the pad after an rfci that sets MSR[DE] with ICMP armed): the chain runs
 * without a pad and is observed once, after its last statement. */
#define CF_CHAIN 4
struct cf_step {
	unsigned n;
	const struct tr_stmt *s[CF_CHAIN];   /* the exec statements; s[n-1] is the observed one */
	uint32_t ea[CF_CHAIN], value[CF_CHAIN];   /* r(4+2j) and r(5+2j) at entry */
	enum cf_entry entry;       /* the return that enters the step */
	unsigned flags;            /* CONF_F_* */
	uint32_t resv_ea;          /* CONF_F_RESERVE: the address lwarx reserves */
	uint32_t pad;              /* the landing pad's address (pad_kind != CONF_PAD_NONE) */
	int pad_kind;
	unsigned set0, nset;       /* the sets before it: plan->sets[set0 .. set0+nset) */
	struct cf_rec model;       /* what the model says the program observes */
};

#define CF_MAX_STEPS 512
#define CF_MAX_SETS 1024

struct cf_plan {
	const struct trace *t;
	enum dbg_core core;
	unsigned nsteps;
	struct cf_step steps[CF_MAX_STEPS];
	unsigned nsets;
	struct cf_set sets[CF_MAX_SETS];
	unsigned nmaps;
	uint32_t maps[8];          /* 64 KiB pages above RAM the program maps (VA; PA follows) */
	int stop_line;             /* first statement the program does not run; 0: it runs them all */
	char stop_reason[256];
	unsigned not_run;          /* set/exec/irq/ude statements from stop_line on */
};

/* Plan a trace for a core: which statements a program can express, and the model's record of
 * each step. Returns 0; never fails on a parsed trace (what cannot run is in stop_*). */
int cf_plan_build(const struct trace *t, enum dbg_core core, struct cf_plan *p);

/* The program's generated part (scenario.S): the step table and each step's real instruction.
 * Returns 0, or -1 when f cannot be written. */
int cf_emit_asm(const struct cf_plan *p, FILE *f);
/* The assembly of a statement's instruction at chain position j (for the emitter and its tests):
 * "lwz r3,0(r4)" at j = 0, "lwz r3,0(r6)" at j = 1. */
const char *cf_insn_asm(const struct dbg_insn *in, unsigned j, char *buf, size_t len);

/* Build the ELF with the cross toolchain; rt_dir holds start.S, super.c, layout.h and link.ld.
 * On error writes "FILE:0: what is wrong" to err and returns -1. */
int cf_build_elf(const struct cf_plan *p, const char *rt_dir, const char *out, char *err, size_t errlen);

/* The model's record as a log line, exactly as the program prints it. */
void cf_rec_format(const struct cf_rec *r, enum dbg_core core, char *buf, size_t len);
/* One log line into *r: 1 a step line, 0 a line to skip (header, end, blank), -1 malformed (with
 * the reason in why). */
int cf_rec_parse(const char *line, struct cf_rec *r, char *why, size_t len);
/* A record as an expect statement of the trace format ("expect pc=... irq=... dbsr=..."). */
void cf_rec_expect(const struct cf_rec *r, enum dbg_core core, char *buf, size_t len);

/* bookedbg check-log: compare a log with the model; returns 0 agree, 1 differ, 2 bad input. */
int cf_check_log(const char *trace_path, const char *log_path, int core, int json, FILE *out);

/* The names of a vector number in the expect vocabulary (irq=...). */
const char *cf_ivor_irq(int ivor);

#endif
