/* The rules the model applies, as note ids for the --explain narration. Each has its text and its
 * source in dbg_rules.c. */
#ifndef BOOKEDBG_DBG_RULES_H
#define BOOKEDBG_DBG_RULES_H

enum dbg_rule {
	R_PENDING_FIRST,    /* a: dbsr */
	R_IAC_HIT,          /* a: DBSR IAC bits, b: pc, c: mode */
	R_TRAP_HIT,
	R_RECORD,           /* a: bits recorded, b: dbsr after */
	R_IDE,              /* MSR[DE]=0 -> IDE */
	R_NOT_DE0,          /* a: bits not recognized with DE=0 */
	R_IDM0_DROP,        /* a: bits dropped with IDM=0 */
	R_MULTI_DROP,       /* a: lower-group bits dropped */
	R_DUVD,             /* events disabled by EPCR[DUVD] */
	R_SUPPRESS,         /* the instruction does not execute */
	R_DEBUG_INT,        /* a: saved pc, b: vector, c: core */
	R_HALT,             /* a: pc the debugger sees */
	R_TRAP_PROGRAM,
	R_FAULT_FIRST,      /* a: irq kind */
	R_DATA_FAULT_WINS,  /* a: irq kind */
	R_DAC_HIT,          /* a: DBSR DAC bits, b: ea, c: size */
	R_BRT,
	R_ICMP,
	R_ICMP_DEFER,
	R_RET_TARGET,       /* e500: rfi executes, RET recorded */
	R_RET_SUPPRESS,     /* ISA: rfi suppressed */
	R_IRPT,             /* a: vector */
	R_CIRPT,
	R_UDE,
	R_INT_NONCRIT,      /* a: kind, b: saved pc, c: vector */
	R_INT_CRIT,         /* a: kind, b: saved pc, c: vector */
	R_INT_MCHK,         /* a: saved pc, b: vector */
	R_LEVEL,            /* a: saved pc, b: dbsr: level-sensitive (delayed) interrupt */
	R_WINDOW,           /* a: reg id */
	R_CSI,
	R_W1C,              /* a: before, b: after */
	R_DBSRWR,           /* a: before, b: after */
	R_EDM_SW,
	R_DEP,
	R_PRIV,
	R_HVPRIV,
	R_ILLEGAL,          /* a: insn kind */
	R_SLIP,             /* a: cycle, b: reason */
	R_SQUASH,
	R_RESET,            /* a: MRR value */
	R_UNIMPL,           /* a: reg id */
	R_LEGALIZE,         /* a: reg id, b: value asked, c: value kept */
	R_IDLE,
	R_RET_RFCI_DROP,
	R_TOUCH_NOOP,       /* a: irq kind the touch did not take */
	R_COUNT
};

#endif
