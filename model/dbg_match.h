/* Address comparators: pure functions of the comparator registers, the options, the address and the
 * MSR. Each compare mode is its own function so that it can be proved or swept on its own. */
#ifndef BOOKEDBG_DBG_MATCH_H
#define BOOKEDBG_DBG_MATCH_H

#include <stdbool.h>
#include <stdint.h>

#include "dbg_unit.h"

/* Compare modes of DBCR1[IAC12M] and DBCR2[DAC12M] (ISA bits 40:41). */
enum dbg_cmp_mode { DBG_MODE_EXACT = 0, DBG_MODE_MASK = 1, DBG_MODE_INCL = 2, DBG_MODE_EXCL = 3 };

/* The primitive relations; they use only ==, <, >= and AND, which the proof mode relies on. */
static inline bool dbg_cmp_exact(uint32_t a, uint32_t r, uint32_t ignore)
{
	return ((a ^ r) & ~ignore) == 0;
}
static inline bool dbg_cmp_mask(uint32_t a, uint32_t r1, uint32_t r2)
{
	return (a & r2) == (r1 & r2);      /* ISA p617: bits set in reg 2 are compared */
}
static inline bool dbg_cmp_incl(uint32_t a, uint32_t lo, uint32_t hi)
{
	return lo <= a && a < hi;          /* [440] p222: upper bound excluded */
}
static inline bool dbg_cmp_excl(uint32_t a, uint32_t lo, uint32_t hi)
{
	return a < lo || a >= hi;
}

/* DBCR1/DBCR2 US field (2 bits) against MSR[PR]; #iac: 01 is reserved and treated as 00. */
bool dbg_us_ok(unsigned us, uint32_t msr);
/* ER field (2 bits) against MSR[IS] (IAC) or MSR[DS] (DAC); 01 (real address) never matches
 * because the e500 compares effective addresses only [E5] 8.2.4. */
bool dbg_er_ok(unsigned er, bool xs);

/* IAC events (DBSR_IAC1/IAC2 bits) for an instruction at pc. de: MSR[DE] now. */
uint32_t dbg_iac_match(const struct dbg_cmp *c, const struct dbg_opts *o, uint32_t pc, uint32_t msr,
		       bool de);

/* DAC events for one access of size bytes at ea. block: a cache-block operation (32-byte line). */
uint32_t dbg_dac_match(const struct dbg_cmp *c, const struct dbg_opts *o, enum dbg_core core,
		       uint32_t ea, uint32_t size, bool write, uint32_t msr, bool block);

#endif
