/* bookedbg: a cycle-level reference model of the Book III-E debug facility of the e500v2 and e500mc.
 *
 * The model is a value: every piece of state is in struct dbg_unit, so any number of instances run at
 * once. Drive it with dbg_exec() per completing instruction, dbg_irq()/dbg_ude() for asynchronous
 * inputs, and dbg_set()/dbg_get() as the testbench back door. Each call fills a struct dbg_result. */
#ifndef BOOKEDBG_DBG_UNIT_H
#define BOOKEDBG_DBG_UNIT_H

#include <stdbool.h>
#include <stdint.h>
#include <string.h>   /* memcpy, in dbg_fast.h */

#include "dbg_options.h"
#include "dbg_regs.h"

#ifdef __cplusplus
extern "C" {
#endif

enum dbg_insn_kind {
	DBG_I_NOP, DBG_I_LOAD, DBG_I_STORE, DBG_I_LMW, DBG_I_STMW, DBG_I_LWARX, DBG_I_STWCX,
	DBG_I_DCBT, DBG_I_DCBTST, DBG_I_ICBT, DBG_I_ICBI,
	DBG_I_DCBZ, DBG_I_DCBI, DBG_I_DCBA, DBG_I_DCBF, DBG_I_DCBST,
	DBG_I_BRANCH, DBG_I_BRANCH_NT, DBG_I_TRAP, DBG_I_SC,
	DBG_I_RFI, DBG_I_RFCI, DBG_I_RFDI, DBG_I_ISYNC,
	DBG_I_MTSPR, DBG_I_MFSPR, DBG_I_MTMSR,
	DBG_I_COUNT
};

/* Exceptions an instruction may take besides debug ones (the trace's fault=KIND). */
enum dbg_fault { DBG_F_NONE, DBG_F_ITLB, DBG_F_ISI, DBG_F_PROGRAM, DBG_F_DTLB, DBG_F_DSI,
	DBG_F_ALIGNMENT, DBG_F_COUNT };

#define DBG_INSN_FAIL 1u   /* stwcx. whose store is not performed */
#define DBG_INSN_NOOP 2u   /* dcba that the cache turns into a no-op */

struct dbg_insn {
	enum dbg_insn_kind kind;
	uint32_t pc;
	uint32_t ea;       /* load/store/cache op: effective address */
	uint32_t size;     /* load/store: bytes; lmw/stmw: number of words */
	uint32_t target;   /* branch target */
	int reg;           /* mtspr/mfspr: enum dbg_reg_id, or -1 for an SPR the core lacks */
	uint32_t value;    /* mtspr/mtmsr source */
	unsigned flags;    /* DBG_INSN_* */
	enum dbg_fault fault;
};

/* Interrupts the model can take. */
enum dbg_irq_kind {
	DBG_IRQ_NONE, DBG_IRQ_DEBUG, DBG_IRQ_PROGRAM, DBG_IRQ_SYSCALL, DBG_IRQ_EXTERNAL,
	DBG_IRQ_DECREMENTER, DBG_IRQ_FIT, DBG_IRQ_CRITICAL, DBG_IRQ_WATCHDOG, DBG_IRQ_MACHINE_CHECK,
	DBG_IRQ_ITLB, DBG_IRQ_ISI, DBG_IRQ_DTLB, DBG_IRQ_DSI, DBG_IRQ_ALIGNMENT, DBG_IRQ_HVPRIV,
	DBG_IRQ_RESET, DBG_IRQ_COUNT
};

enum dbg_action {
	DBG_ACT_NONE,      /* completed (or the input had no effect) */
	DBG_ACT_DEBUG,     /* took a debug interrupt */
	DBG_ACT_HALTED,    /* halted for the external debugger (DBCR0[EDM]) */
	DBG_ACT_SQUASHED,  /* younger of a completion pair, flushed by the older one's interrupt */
	DBG_ACT_IDLE       /* the core is halted: nothing was attempted */
};

/* Why an instruction completed later than the cycle it was given. */
enum dbg_slip {
	DBG_SLIP_NONE, DBG_SLIP_WIDTH, DBG_SLIP_SERIALIZE, DBG_SLIP_STORE, DBG_SLIP_ENTRY
};

/* One line of the --explain narration: a rule of dbg_rules.c and up to three arguments. */
struct dbg_note {
	uint16_t rule;
	uint32_t a, b, c;
};

#define DBG_MAX_NOTES 24
#define DBG_MAX_IRQS 4

struct dbg_taken {
	enum dbg_irq_kind kind;
	uint32_t vector;    /* where execution continues */
	uint32_t saved_pc;  /* SRR0/CSRR0/DSRR0/MCSRR0 written */
	uint32_t saved_msr;
};

struct dbg_result {
	uint64_t cycle;          /* completion cycle of this statement */
	uint32_t events;         /* debug events recognized, as DBSR bits */
	uint32_t value;          /* mfspr: the value read */
	enum dbg_action action;
	enum dbg_slip slip;
	unsigned nirq;
	unsigned nnotes;         /* events to nnotes: an empty result is one run of zeroes */
	uint32_t dbsr;           /* DBSR afterwards */
	struct dbg_taken irq[DBG_MAX_IRQS];
	struct dbg_note notes[DBG_MAX_NOTES];
};

/* The comparator view of the debug control registers: what the comparators use now, which lags
 * the architected registers until a context synchronization (option DEBUG_SPR_WINDOW). */
struct dbg_cmp {
	uint32_t dbcr0, dbcr1, dbcr2, dbcr4;
	uint32_t iac[2], dac[2];
};

/* What the fast path must check for a simple instruction (nop, load, store, branch); recomputed
 * after every statement that can change the debug state (refresh() in dbg_filter.c). */
struct dbg_filter {
	uint8_t kind[32];              /* per enum dbg_insn_kind: what the fast path checks (DBG_FAST_*
					* in dbg_fast.h), 0: the full path */
	uint32_t iac_mask;             /* 0: no IAC armed; else the address bits compared */
	uint32_t iac[2];               /* armed exact IAC values (duplicated when only one) */
	uint32_t dac[2][2];            /* [0] read, [1] write: armed exact DAC values */
};

/* The completion slots of the current cycle (#dual-completion): one word, so that the fast path
 * writes it with one store. */
struct dbg_cq {
	uint8_t slots;                 /* instructions completed in 'cycle' */
	bool serializes;               /* the older one forbids a partner in its cycle */
	bool store;                    /* the older one was a store */
	bool interrupted;              /* an interrupt in 'cycle' flushes anything younger */
};

/* The unit is a value (declare it, copy it, compare two) but its fields are the model's own: outside
 * the core they carry a suffix, so code that reads one fails to compile. Use the accessors below. */
#ifdef BOOKEDBG_CORE
#define DBG_PRIVATE(name) name
#else
#define DBG_PRIVATE(name) name##_is_private_use_the_accessors
#endif

struct dbg_unit {
	/* The inline fast path (dbg_fast.h) is compiled into callers: it reads flt, cycle and
	 * reg[DBSR] and writes cycle, given, cq, pc and n_exec. Callers must be built against the
	 * headers of the library they link. */
	struct dbg_filter DBG_PRIVATE(flt);
	enum dbg_core DBG_PRIVATE(core);
	struct dbg_opts DBG_PRIVATE(opt);
	uint32_t DBG_PRIVATE(reg)[DBG_REG_COUNT];   /* architected registers, by enum dbg_reg_id */
	struct dbg_cmp DBG_PRIVATE(cmp);     /* what the comparators use now */
	bool DBG_PRIVATE(cmp_stale);         /* a debug control write awaits a context synchronization */
	uint32_t DBG_PRIVATE(pc);            /* next instruction the core will attempt */
	bool DBG_PRIVATE(halted);            /* stopped for the external debugger */
	bool DBG_PRIVATE(explain);           /* record notes in results */
	/* completion bookkeeping for dual completion */
	uint64_t DBG_PRIVATE(cycle);         /* completion cycle of the last timed statement */
	uint64_t DBG_PRIVATE(given);         /* the cycle the caller gave it (never goes backwards) */
	struct dbg_cq DBG_PRIVATE(cq);       /* the slots of 'cycle' (before 'started': 4-byte aligned) */
	bool DBG_PRIVATE(started);           /* a timed statement has run */
	uint64_t DBG_PRIVATE(earliest);      /* first cycle a handler instruction may complete */
	/* statistics */
	uint64_t DBG_PRIVATE(n_exec), DBG_PRIVATE(n_debug_int);
};

/* What an entry point returns: DBG_OK, or why it refused the call. A refused call changes nothing
 * in the unit; a result it was given reads as an empty one (no events, action NONE). */
enum dbg_status {
	DBG_OK = 0,
	DBG_EINVAL = -1,   /* a NULL pointer, or a core, option value or flag out of range */
	DBG_EREG = -2,     /* a register id past the register table */
	DBG_EKIND = -3,    /* an instruction, fault or interrupt kind out of range or not allowed here */
	DBG_ESIZE = -4,    /* an access size the instruction cannot have */
	DBG_ECYCLE = -5,   /* a cycle before the one of the previous statement, or past DBG_CYCLE_MAX */
};
/* The largest cycle a statement may be given: half the range, so that completing later than asked
 * (dual completion, interrupt entry) can never wrap the 64-bit cycle back to 0. */
#define DBG_CYCLE_MAX (UINT64_MAX >> 1)
/* A short description of a status ("invalid register id", ...). */
const char *dbg_strerror(int status);

/* Create a unit with default options for the core; all registers 0. */
int dbg_init(struct dbg_unit *u, enum dbg_core core);
/* Replace the options (keeps registers). Every value must be in its option's range. */
int dbg_set_opts(struct dbg_unit *u, const struct dbg_opts *o);
/* The options the unit runs with. */
const struct dbg_opts *dbg_get_opts(const struct dbg_unit *u);

/* Back door (testbench or external debugger): write/read a register directly, effective at once,
 * no events. Registers the core lacks read 0 and ignore writes. A write resumes a halted core.
 * dbg_get of an id past the table reads 0 (dbg_reg_valid tells). */
int dbg_set(struct dbg_unit *u, enum dbg_reg_id r, uint32_t v);
static inline uint32_t dbg_get(const struct dbg_unit *u, enum dbg_reg_id r)
{
	return u && (unsigned)r < DBG_REG_COUNT ? u->DBG_PRIVATE(reg)[r] : 0;
}
int dbg_set_pc(struct dbg_unit *u, uint32_t pc);

/* The core attempts one instruction, completing in 'cycle' (>= the cycle of the previous statement;
 * equal = the younger of a pair; at most DBG_CYCLE_MAX). Returns DBG_OK with the result in *res, or a dbg_status.
 * C calls compile its fast path inline (dbg_fast.h; C++: dbg_exec_inline); (dbg_exec) or &dbg_exec is
 * the library's symbol. */
int (dbg_exec)(struct dbg_unit *u, uint64_t cycle, const struct dbg_insn *in, struct dbg_result *res);
/* An asynchronous interrupt is taken before the next instruction. kind: EXTERNAL, DECREMENTER, FIT,
 * CRITICAL, WATCHDOG or MACHINE_CHECK. */
int dbg_irq(struct dbg_unit *u, uint64_t cycle, enum dbg_irq_kind kind, struct dbg_result *res);
/* The unconditional debug event input is asserted. */
int dbg_ude(struct dbg_unit *u, uint64_t cycle, struct dbg_result *res);

/* The unit's state, for monitors, coverage and waveforms. */
enum dbg_core dbg_core_of(const struct dbg_unit *u);
/* (inline: monitors call these after every instruction) */
static inline uint32_t dbg_pc(const struct dbg_unit *u)  /* next instruction the core attempts */
{
	return u ? u->DBG_PRIVATE(pc) : 0;
}
static inline uint64_t dbg_cycle(const struct dbg_unit *u)  /* completion cycle of the last statement */
{
	return u ? u->DBG_PRIVATE(cycle) : 0;
}
/* The cycle to give a statement the caller places at 'cycle': not before the last statement's
 * completion (a younger instruction cannot complete before its elder; trace and cosim rule). */
static inline uint64_t dbg_not_before_last(const struct dbg_unit *u, uint64_t cycle)
{
	return cycle < dbg_cycle(u) ? dbg_cycle(u) : cycle;
}
static inline bool dbg_halted(const struct dbg_unit *u)  /* stopped for the external debugger */
{
	return u && u->DBG_PRIVATE(halted);
}
bool dbg_started(const struct dbg_unit *u);              /* a timed statement has run */
/* The comparator view (struct dbg_cmp); *stale: a debug control write awaits a CSI (may be NULL). */
void dbg_comparators(const struct dbg_unit *u, struct dbg_cmp *out, bool *stale);
/* Instructions attempted and debug interrupts taken since dbg_init. */
uint64_t dbg_count_exec(const struct dbg_unit *u);
uint64_t dbg_count_debug_int(const struct dbg_unit *u);

/* An empty result at 'cycle': no events, no interrupt, no notes, DBSR 0 (inline: the fast path
 * fills one per instruction). */
static inline void dbg_result_clear(struct dbg_result *res, uint64_t cycle)
{
	res->cycle = cycle;
	res->events = 0;
	res->dbsr = 0;
	res->value = 0;
	res->action = DBG_ACT_NONE;
	res->slip = DBG_SLIP_NONE;
	res->nirq = 0;
	res->nnotes = 0;
}

/* Results. The interrupt of kind k a result took (the first), or NULL. */
const struct dbg_taken *dbg_result_irq(const struct dbg_result *r, enum dbg_irq_kind k);
/* The save registers an interrupt of kind k writes on a core (debug: CSRR0/1 on the e500v2,
 * DSRR0/1 on the e500mc). Returns DBG_OK, or DBG_EKIND for NONE/RESET and kinds out of range. */
int dbg_save_regs(enum dbg_core c, enum dbg_irq_kind k, enum dbg_reg_id *pc_reg, enum dbg_reg_id *msr_reg);

/* Names shared by the tools. The *_name functions return "?" for a value out of range; the finds
 * are case-insensitive and return -1 for a name they do not know. */
const char *dbg_core_name(enum dbg_core c);
int dbg_core_find(const char *name);
const char *dbg_irq_name(enum dbg_irq_kind k);
int dbg_irq_find(const char *name);
const char *dbg_insn_name(enum dbg_insn_kind k);
int dbg_insn_find(const char *name);
const char *dbg_reg_name(enum dbg_reg_id r);
bool dbg_reg_valid(int r);                   /* 0 <= r < DBG_REG_COUNT */
int dbg_reg_find(const char *name);          /* name or decimal SPR number; -1 if unknown */
int dbg_reg_by_spr(int spr);                 /* -1 if no register has that SPR */
bool dbg_reg_exists(enum dbg_core c, enum dbg_reg_id r);
/* ASCII case-insensitive equality, the one the trace format and the option names use. */
bool dbg_name_eq(const char *a, const char *b);
/* Event names of a DBSR-bit mask, comma separated, "none" for 0. */
const char *dbg_events_str(uint32_t events, char *buf, unsigned len);
/* Parse one event name; returns its DBSR bit or 0. */
uint32_t dbg_event_bit(const char *name);
/* All DBSR bits that are debug events (IDE, MRR excluded). */
#define DBG_EVENT_BITS (DBSR_UDE | DBSR_ICMP | DBSR_BRT | DBSR_IRPT | DBSR_TRAP | DBSR_IAC1 | \
	DBSR_IAC2 | DBSR_DAC1R | DBSR_DAC1W | DBSR_DAC2R | DBSR_DAC2W | DBSR_RET | DBSR_CIRPT | DBSR_CRET)

/* dbg_exec's fast path, inline (declares dbg_exec_full; defines the dbg_exec() macro). */
#include "dbg_fast.h"

#ifdef __cplusplus
}
#endif

#endif
