/* Names of cores, interrupts, instructions, registers and events, shared by every front end. */
#include <ctype.h>
#include <stdio.h>
#include <string.h>

#include "dbg_unit.h"

static const char *const core_names[2] = { "e500v2", "e500mc" };

const char *dbg_core_name(enum dbg_core c)
{
	return (unsigned)c < 2 ? core_names[c] : "?";
}

bool dbg_name_eq(const char *a, const char *b)
{
	if (!a || !b)
		return false;
	for (; *a && *b; a++, b++)
		if (toupper((unsigned char)*a) != toupper((unsigned char)*b))
			return false;
	return *a == *b;
}

static int find(const char *const *names, int n, const char *name)
{
	for (int i = 0; name && i < n; i++)
		if (dbg_name_eq(name, names[i]))
			return i;
	return -1;
}

int dbg_core_find(const char *name)
{
	return find(core_names, 2, name);
}

static const char *const irq_names[DBG_IRQ_COUNT] = {
	"none", "debug", "program", "syscall", "external", "decrementer", "fit", "critical",
	"watchdog", "machine-check", "itlb", "isi", "dtlb", "dsi", "alignment", "hvpriv", "reset",
};

const char *dbg_irq_name(enum dbg_irq_kind k)
{
	return (unsigned)k < DBG_IRQ_COUNT ? irq_names[k] : "?";
}

int dbg_irq_find(const char *name)
{
	return find(irq_names, DBG_IRQ_COUNT, name);
}

static const char *const insn_names[DBG_I_COUNT] = {
	"nop", "load", "store", "lmw", "stmw", "lwarx", "stwcx", "dcbt", "dcbtst", "icbt", "icbi",
	"dcbz", "dcbi", "dcba", "dcbf", "dcbst", "branch", "branch-nt", "trap", "sc",
	"rfi", "rfci", "rfdi", "isync", "mtspr", "mfspr", "mtmsr",
};

const char *dbg_insn_name(enum dbg_insn_kind k)
{
	return (unsigned)k < DBG_I_COUNT ? insn_names[k] : "?";
}

int dbg_insn_find(const char *name)
{
	return find(insn_names, DBG_I_COUNT, name);
}

const char *dbg_reg_name(enum dbg_reg_id r)
{
	return dbg_reg_valid((int)r) ? dbg_reg_desc[r].name : "?";
}

int dbg_reg_by_spr(int spr)
{
	for (int i = 0; i < DBG_REG_COUNT; i++)
		if (dbg_reg_desc[i].spr == spr)
			return i;
	return -1;
}

int dbg_reg_find(const char *name)
{
	if (!name || !name[0])
		return -1;
	if (isdigit((unsigned char)name[0])) {
		int spr = 0;
		for (const char *p = name; *p; p++) {
			if (!isdigit((unsigned char)*p) || spr > 1023)
				return -1;
			spr = spr * 10 + (*p - '0');
		}
		return dbg_reg_by_spr(spr);
	}
	for (int i = 0; i < DBG_REG_COUNT; i++)
		if (dbg_name_eq(name, dbg_reg_desc[i].name))
			return i;
	return -1;
}

/* Event names in DBSR bit order. */
static const struct { const char *name; uint32_t bit; } events[] = {
	{ "UDE", DBSR_UDE }, { "ICMP", DBSR_ICMP }, { "BRT", DBSR_BRT }, { "IRPT", DBSR_IRPT },
	{ "TRAP", DBSR_TRAP }, { "IAC1", DBSR_IAC1 }, { "IAC2", DBSR_IAC2 },
	{ "DAC1R", DBSR_DAC1R }, { "DAC1W", DBSR_DAC1W }, { "DAC2R", DBSR_DAC2R },
	{ "DAC2W", DBSR_DAC2W }, { "RET", DBSR_RET }, { "CIRPT", DBSR_CIRPT }, { "CRET", DBSR_CRET },
};

const char *dbg_events_str(uint32_t ev, char *buf, unsigned len)
{
	size_t n = 0;
	if (!buf || !len)
		return "";
	buf[0] = 0;
	for (unsigned i = 0; i < sizeof events / sizeof events[0]; i++) {
		if (!(ev & events[i].bit))
			continue;
		int w = snprintf(buf + n, len - n, "%s%s", n ? "," : "", events[i].name);
		if (w < 0 || (size_t)w >= len - n)
			break;
		n += (size_t)w;
	}
	if (!n)
		snprintf(buf, len, "none");
	return buf;
}

uint32_t dbg_event_bit(const char *name)
{
	for (unsigned i = 0; i < sizeof events / sizeof events[0]; i++)
		if (dbg_name_eq(name, events[i].name))
			return events[i].bit;
	return 0;
}
