/* The model options: names, values, defaults, and why each default was chosen.
 * Every entry is a behaviour the sources leave open for the core in question (docs/booke-debug.md#options). */
#include "dbg_options.h"

#include "dbg_unit.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define YN { "NO", "YES", NULL }

const struct dbg_opt_desc dbg_opt_desc[DBG_OPT_COUNT] = {
	[DBG_OPT_PAIR_MODES] = { "PAIR_MODES", { "IMPLEMENTED", "RESERVED", NULL }, 0, { 0, 0 },
		"DBCR1[IAC12M]/DBCR2[DAC12M] range and mask modes follow the ISA: E5 8.2.4 lists the "
		"e500 deviations from Book E and does not name them [docs/booke-debug.md#iac]" },
	[DBG_OPT_RST_ENCODING] = { "RST_ENCODING", { "ANY_NONZERO", "IGNORED", NULL }, 0, { 0, 0 },
		"any non-zero DBCR0[RST] requests a reset and DBSR[MRR] records it; Linux abort() "
		"resets an e500 with IDM|RST_CHIP (H85); the FSL encoding is unpublished [docs/booke-debug.md#reset]" },
	[DBG_OPT_HAS_CIRPT_CRET] = { "HAS_CIRPT_CRET", YN, 0, { 0, 0 },
		"E5 Table 5-6 lists eight IVOR15 event types and no critical-interrupt/critical-return "
		"event; Topaz core-regs.h defines every other DBCR0 field but not these [docs/booke-debug.md#irpt]" },
	[DBG_OPT_HAS_FT] = { "HAS_FT", YN, 0, { 0, 1 },
		"DBCR0[FT] is in the Topaz e500mc header but on no available e500v2 page; the bit reads "
		"back on both cores and has no effect because no timers are modelled [docs/booke-debug.md#registers]" },
	[DBG_OPT_DBCR4_XM] = { "DBCR4_XM", { "LOW_BITS", "IGNORED", NULL }, 0, { 0, 0 },
		"e500mc DBCR4 XM=n (0..12, larger values as 12) makes DACn ignore the low n address bits "
		"in exact mode; Topaz caps XM at 0xC = a 4 KB granule [docs/booke-debug.md#dac]" },
	[DBG_OPT_DBSR_RECORD_WHEN_IDM0] = { "DBSR_RECORD_WHEN_IDM0", { "NONE_EXCEPT_TRAP", "ALL", NULL },
		0, { 0, 0 },
		"E5 8.4.3 says only TRAP occurs regardless of DBCR0[IDM]; A2 and 440 record every "
		"event with IDM=0 [docs/booke-debug.md#record]" },
	[DBG_OPT_ICMP_WHEN_INSN_CLEARS_DE] = { "ICMP_WHEN_INSN_CLEARS_DE",
		{ "RECORDED", "NOT_RECORDED", NULL }, 0, { 0, 0 },
		"DE was 1 when the instruction executed (E5 8.4.5), so ICMP is recorded and the "
		"interrupt waits until DE=1, as the 440 does [docs/booke-debug.md#icmp]" },
	[DBG_OPT_ICMP_EXCLUDES] = { "ICMP_EXCLUDES", { "NONE", "RETURNS", NULL }, 0, { 0, 0 },
		"no e500 page excludes any completing instruction from ICMP; rfi, mtmsr and sc raise it "
		"too [docs/booke-debug.md#icmp]" },
	[DBG_OPT_IAC_IGNORE_LOW2] = { "IAC_IGNORE_LOW2", YN, 0, { 1, 1 },
		"instructions are word aligned; the 405 ignores IAC[62:63] explicitly [docs/booke-debug.md#iac]" },
	[DBG_OPT_IAC_RANGE_RECORD_WHEN_DE0] = { "IAC_RANGE_RECORD_WHEN_DE0", YN, 0, { 1, 1 },
		"E5 p8-9 describes the DE=0 IAC case with no mode restriction; the 440 drops range "
		"events with DE=0 [docs/booke-debug.md#iac]" },
	[DBG_OPT_DAC_CACHEOP_CLASS] = { "DAC_CACHEOP_CLASS", { "ISA", "PPC440", NULL }, 0, { 0, 0 },
		"loads, lwarx, icbi, icbt, dcbt, dcbtst read; stores, stwcx., dcbz, dcbi, dcba, dcbf, "
		"dcbst write (ISA); PPC440 gives dcba no DAC; E5 p8-10 is missing [docs/booke-debug.md#dac]" },
	[DBG_OPT_DAC_STWCX_FAILED_MATCHES] = { "DAC_STWCX_FAILED_MATCHES", YN, 0, { 1, 1 },
		"the address compare happens whether or not the conditional store is performed [docs/booke-debug.md#dac]" },
	[DBG_OPT_DAC_DCBA_NOOP_MATCHES] = { "DAC_DCBA_NOOP_MATCHES", YN, 0, { 0, 0 },
		"a dcba that E5 Table 3-26 turns into a no-op makes no access; the 440 never raises DAC "
		"for dcba [docs/booke-debug.md#dac]" },
	[DBG_OPT_DAC_MATCH_ANY_BYTE] = { "DAC_MATCH_ANY_BYTE", YN, 0, { 0, 0 },
		"the 440 compares the starting address of each access and the e200 only the first "
		"transfer; Linux advertises data_bp_alignment=4 [docs/booke-debug.md#dac]" },
	[DBG_OPT_RET_SAVED_PC] = { "RET_SAVED_PC", { "RETURN_TARGET", "RFI_ADDRESS", NULL }, 0, { 0, 1 },
		"e500v2: E5 p8-14 decides on the MSR after the rfi, so the rfi executes and CSRR0 is the "
		"return target; e500mc: ISA 2.03/A2 suppress the rfi, DSRR0 = the rfi [docs/booke-debug.md#ret]" },
	[DBG_OPT_RET_ON_RFCI] = { "RET_ON_RFCI", YN, 0, { 0, 0 },
		"E5 8.2.4: RET for rfci is not logged; rfci normally runs in the debug handler with DE=0 "
		" [docs/booke-debug.md#ret]" },
	[DBG_OPT_E500MC_CRIT_CLEARS_DE] = { "E500MC_CRIT_CLEARS_DE", YN, 0, { 1, 1 },
		"Book E critical-class entry clears DE (E5 8.4.6); the e500mc (E.ED) masks are "
		"unpublished [docs/booke-debug.md#interrupts]" },
	[DBG_OPT_DBSR_MULTI_EVENT] = { "DBSR_MULTI_EVENT", { "HIGHEST_GROUP", "ALL_MATCHING", NULL },
		0, { 0, 0 },
		"A2 records only the highest-priority group of same-instruction events; the e500 model "
		"used with Topaz shows TRAP alone for a trap with ICMP on [docs/booke-debug.md#record]" },
	[DBG_OPT_DEBUG_SPR_WINDOW] = { "DEBUG_SPR_WINDOW", { "NEW_AT_CSI", "IMMEDIATE", NULL }, 0, { 0, 0 },
		"a DBCR/IAC/DAC write is only guaranteed after a context-synchronizing event (E2, 440 "
		"2.10.1, H85 mtspr;isync); the CSI itself uses the new values [docs/booke-debug.md#spr-window]" },
	[DBG_OPT_DEBUG_EVENT_STAGE] = { "DEBUG_EVENT_STAGE", { "COMPLETE", NULL }, 0, { 0, 0 },
		"events are decided when the instruction is oldest in the completion queue; the earlier "
		"pipeline stages do not change architected state, so no other value exists [docs/booke-debug.md#dual-completion]" },
	[DBG_OPT_DEBUG_INT_ENTRY_CYCLES] = { "DEBUG_INT_ENTRY_CYCLES", { NULL }, 8, { 0, 0 },
		"extra cycles between a debug interrupt and the first handler completion; undocumented, "
		"bounded by the 8-cycle latency of E5 5.12 [docs/booke-debug.md#delivery]" },
	[DBG_OPT_DUVD_SCOPE] = { "DUVD_SCOPE", { "GS0_PR0", "GS0", NULL }, 0, { 0, 0 },
		"A2 RTL disables events with EPCR[DUVD] only in hypervisor privileged state; the e500mc "
		"text is unpublished [docs/booke-debug.md#hypervisor]" },
	[DBG_OPT_DUVD_BLOCKS_UDE] = { "DUVD_BLOCKS_UDE", YN, 0, { 1, 1 },
		"A2 RTL: EPCR[DUVD] also blocks the unconditional debug event [docs/booke-debug.md#hypervisor]" },
	[DBG_OPT_DBSRWR_MODE] = { "DBSRWR_MODE", { "REPLACE", "OR", NULL }, 0, { 0, 0 },
		"A2 RTL loads every DBSR field, MRR included, from an mtspr DBSRWR [docs/booke-debug.md#dbsr]" },
	[DBG_OPT_PENDING_RULE] = { "PENDING_RULE", { "ANY_EVENT_BIT", "IDE_ONLY", NULL }, 0, { 0, 0 },
		"E5 8.2.3 takes the interrupt whenever an event is indicated in DBSR with IDM=DE=1 "
		"(MRR excluded); A2 keys the delayed interrupt on IDE only [docs/booke-debug.md#pending]" },
};

void dbg_opts_default(struct dbg_opts *o, enum dbg_core core)
{
	if (!o)
		return;
	unsigned c = (unsigned)core == DBG_E500MC ? DBG_E500MC : DBG_E500V2;
	for (int i = 0; i < DBG_OPT_COUNT; i++)
		o->v[i] = dbg_opt_desc[i].dflt[c];
}

int dbg_opt_max(int id)
{
	if (id < 0 || id >= DBG_OPT_COUNT)
		return -1;
	const struct dbg_opt_desc *d = &dbg_opt_desc[id];
	if (d->int_max > 0)
		return d->int_max;
	int n = 0;
	while (n < 4 && d->values[n])
		n++;
	return n - 1;
}

bool dbg_opts_valid(const struct dbg_opts *o)
{
	if (!o)
		return false;
	for (int i = 0; i < DBG_OPT_COUNT; i++)
		if (o->v[i] > dbg_opt_max(i))
			return false;
	return true;
}

int dbg_opt_find(const char *name)
{
	for (int i = 0; name && i < DBG_OPT_COUNT; i++)
		if (dbg_name_eq(name, dbg_opt_desc[i].name))
			return i;
	return -1;
}

int dbg_opt_parse_value(int id, const char *value)
{
	if (id < 0 || id >= DBG_OPT_COUNT || !value)
		return -1;
	const struct dbg_opt_desc *d = &dbg_opt_desc[id];
	if (d->int_max > 0) {
		char *end;
		if (!isdigit((unsigned char)value[0]))
			return -1;
		unsigned long v = strtoul(value, &end, 10);
		return (*end || v > (unsigned long)d->int_max) ? -1 : (int)v;
	}
	for (int i = 0; d->values[i]; i++)
		if (dbg_name_eq(value, d->values[i]))
			return i;
	return -1;
}

const char *dbg_opt_value_name(int id, int value, char *buf, unsigned len)
{
	if (value < 0 || value > dbg_opt_max(id))
		return "?";
	const struct dbg_opt_desc *d = &dbg_opt_desc[id];
	if (d->int_max > 0) {
		if (!buf || !len)
			return "?";
		snprintf(buf, len, "%d", value);
		return buf;
	}
	return d->values[value];
}
