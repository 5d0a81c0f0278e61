/* Model options: every behaviour the sources leave open, as a named choice with a default
 * (docs/booke-debug.md#options).
 * The table in dbg_options.c holds the names, values, defaults and the reason for each default. */
#ifndef BOOKEDBG_DBG_OPTIONS_H
#define BOOKEDBG_DBG_OPTIONS_H

#include <stdbool.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

enum dbg_core { DBG_E500V2 = 0, DBG_E500MC = 1 };

enum dbg_opt_id {
	DBG_OPT_PAIR_MODES,               /* IMPLEMENTED | RESERVED */
	DBG_OPT_RST_ENCODING,             /* ANY_NONZERO | IGNORED */
	DBG_OPT_HAS_CIRPT_CRET,           /* NO | YES */
	DBG_OPT_HAS_FT,                   /* NO | YES (per-core default) */
	DBG_OPT_DBCR4_XM,                 /* LOW_BITS | IGNORED */
	DBG_OPT_DBSR_RECORD_WHEN_IDM0,    /* NONE_EXCEPT_TRAP | ALL */
	DBG_OPT_ICMP_WHEN_INSN_CLEARS_DE, /* RECORDED | NOT_RECORDED */
	DBG_OPT_ICMP_EXCLUDES,            /* NONE | RETURNS */
	DBG_OPT_IAC_IGNORE_LOW2,          /* NO | YES */
	DBG_OPT_IAC_RANGE_RECORD_WHEN_DE0,/* NO | YES */
	DBG_OPT_DAC_CACHEOP_CLASS,        /* ISA | PPC440 */
	DBG_OPT_DAC_STWCX_FAILED_MATCHES, /* NO | YES */
	DBG_OPT_DAC_DCBA_NOOP_MATCHES,    /* NO | YES */
	DBG_OPT_DAC_MATCH_ANY_BYTE,       /* NO | YES */
	DBG_OPT_RET_SAVED_PC,             /* RETURN_TARGET | RFI_ADDRESS (per-core default) */
	DBG_OPT_RET_ON_RFCI,              /* NO | YES */
	DBG_OPT_E500MC_CRIT_CLEARS_DE,    /* NO | YES */
	DBG_OPT_DBSR_MULTI_EVENT,         /* HIGHEST_GROUP | ALL_MATCHING */
	DBG_OPT_DEBUG_SPR_WINDOW,         /* NEW_AT_CSI | IMMEDIATE */
	DBG_OPT_DEBUG_EVENT_STAGE,        /* COMPLETE */
	DBG_OPT_DEBUG_INT_ENTRY_CYCLES,   /* 0..8 */
	DBG_OPT_DUVD_SCOPE,               /* GS0_PR0 | GS0 */
	DBG_OPT_DUVD_BLOCKS_UDE,          /* NO | YES */
	DBG_OPT_DBSRWR_MODE,              /* REPLACE | OR */
	DBG_OPT_PENDING_RULE,             /* ANY_EVENT_BIT | IDE_ONLY */
	DBG_OPT_COUNT
};

/* Value numbers of the enumerated options, in the order the table lists them. */
enum { DBG_PAIR_IMPLEMENTED, DBG_PAIR_RESERVED };
enum { DBG_RST_ANY_NONZERO, DBG_RST_IGNORED };
/* Yes/no options always list NO then YES, so a stored value is 0 (no) or 1 (yes). */
enum { DBG_XM_LOW_BITS, DBG_XM_IGNORED };
enum { DBG_IDM0_NONE_EXCEPT_TRAP, DBG_IDM0_ALL };
enum { DBG_ICMPDE_RECORDED, DBG_ICMPDE_NOT_RECORDED };
enum { DBG_ICMPX_NONE, DBG_ICMPX_RETURNS };
enum { DBG_CACHEOP_ISA, DBG_CACHEOP_PPC440 };
enum { DBG_RET_RETURN_TARGET, DBG_RET_RFI_ADDRESS };
enum { DBG_MULTI_HIGHEST_GROUP, DBG_MULTI_ALL_MATCHING };
enum { DBG_WINDOW_NEW_AT_CSI, DBG_WINDOW_IMMEDIATE };
enum { DBG_STAGE_COMPLETE };
enum { DBG_DUVD_GS0_PR0, DBG_DUVD_GS0 };
enum { DBG_DBSRWR_REPLACE, DBG_DBSRWR_OR };
enum { DBG_PENDING_ANY_EVENT_BIT, DBG_PENDING_IDE_ONLY };

struct dbg_opts {
	uint8_t v[DBG_OPT_COUNT];
};

struct dbg_opt_desc {
	const char *name;
	const char *values[4];    /* NULL-terminated; empty for the integer option */
	int int_max;              /* > 0: an integer option 0..int_max */
	uint8_t dflt[2];          /* default per core: [DBG_E500V2], [DBG_E500MC] */
	const char *reason;       /* why this default, with its source */
};

extern const struct dbg_opt_desc dbg_opt_desc[DBG_OPT_COUNT];

/* Fill *o with the defaults of a core. */
void dbg_opts_default(struct dbg_opts *o, enum dbg_core core);
/* The largest value of option id (values are 0..max); -1 for an id out of range. */
int dbg_opt_max(int id);
/* Every value of *o within its option's range? */
bool dbg_opts_valid(const struct dbg_opts *o);
/* Look an option up by name (case-insensitive); -1 if unknown. */
int dbg_opt_find(const char *name);
/* Parse VALUE for option id; returns the value number or -1. */
int dbg_opt_parse_value(int id, const char *value);
/* Name of a value, written into buf for integer options; "?" for a value out of range. */
const char *dbg_opt_value_name(int id, int value, char *buf, unsigned len);

#ifdef __cplusplus
}
#endif

#endif
