/* The generated part of a conformance program (scenario.S): the scenario header, the pages to map,
 * the step table with each step's register writes, and each step's real instruction, assembled
 * where the supervisor copies it from (section .conf.insn) to the trace's PC. */
#include <inttypes.h>
#include <string.h>

#include "conform.h"
#include "rt/layout.h"

/* Branches are position independent (`b .+N`), so the word copied to the PC reaches the target. */
static void branch_asm(const struct dbg_insn *in, char *buf, size_t len)
{
	int32_t off = (int32_t)(in->target - in->pc);
	if (off >= -0x2000000 && off < 0x2000000)
		snprintf(buf, len, "b .%+" PRId32, off);
	else
		snprintf(buf, len, "ba 0x%08" PRIX32, in->target);
}

static const char *size_op(uint32_t size, bool store)
{
	if (size == 1)
		return store ? "stb" : "lbz";
	return size == 2 ? (store ? "sth" : "lhz") : (store ? "stw" : "lwz");
}

/* At chain position j, r(4+2j) holds the EA and r(5+2j) the value (stores, mtspr, mtmsr); r3
 * receives; CR0[LT] is 0. */
const char *cf_insn_asm(const struct dbg_insn *in, unsigned j, char *buf, size_t len)
{
	unsigned a = 4 + 2 * j, v = 5 + 2 * j;
	int spr = in->reg >= 0 && in->reg < DBG_REG_COUNT ? dbg_reg_desc[in->reg].spr : 0;
	if (in->fault == DBG_F_PROGRAM) {
		snprintf(buf, len, ".long 0x00000000");    /* an illegal instruction */
		return buf;
	}
	switch (in->kind) {
	case DBG_I_NOP: snprintf(buf, len, "nop"); break;
	case DBG_I_LOAD: snprintf(buf, len, "%s r3,0(r%u)", size_op(in->size, false), a); break;
	case DBG_I_STORE: snprintf(buf, len, "%s r%u,0(r%u)", size_op(in->size, true), v, a); break;
	case DBG_I_LMW: snprintf(buf, len, "lmw r%u,0(r%u)", 32 - in->size, a); break;
	case DBG_I_STMW: snprintf(buf, len, "stmw r%u,0(r%u)", 32 - in->size, a); break;
	case DBG_I_LWARX: snprintf(buf, len, "lwarx r3,0,r%u", a); break;
	case DBG_I_STWCX: snprintf(buf, len, "stwcx. r%u,0,r%u", v, a); break;
	case DBG_I_DCBT: snprintf(buf, len, "dcbt 0,r%u", a); break;
	case DBG_I_DCBTST: snprintf(buf, len, "dcbtst 0,r%u", a); break;
	case DBG_I_ICBT: snprintf(buf, len, "icbt 0,0,r%u", a); break;
	case DBG_I_ICBI: snprintf(buf, len, "icbi 0,r%u", a); break;
	case DBG_I_DCBZ: snprintf(buf, len, "dcbz 0,r%u", a); break;
	case DBG_I_DCBI: snprintf(buf, len, "dcbi 0,r%u", a); break;
	case DBG_I_DCBA: snprintf(buf, len, "dcba 0,r%u", a); break;
	case DBG_I_DCBF: snprintf(buf, len, "dcbf 0,r%u", a); break;
	case DBG_I_DCBST: snprintf(buf, len, "dcbst 0,r%u", a); break;
	case DBG_I_BRANCH: branch_asm(in, buf, len); break;
	case DBG_I_BRANCH_NT: snprintf(buf, len, "blt .+8"); break;
	case DBG_I_TRAP: snprintf(buf, len, "trap"); break;
	case DBG_I_SC: snprintf(buf, len, "sc"); break;
	case DBG_I_RFI: snprintf(buf, len, "rfi"); break;
	case DBG_I_RFCI: snprintf(buf, len, "rfci"); break;
	case DBG_I_RFDI: snprintf(buf, len, ".long 0x4C00004E"); break;    /* rfdi: gas knows it only for e500mc */
	case DBG_I_ISYNC: snprintf(buf, len, "isync"); break;
	case DBG_I_MTSPR: snprintf(buf, len, "mtspr %d,r%u", spr, v); break;
	case DBG_I_MFSPR: snprintf(buf, len, "mfspr r3,%d", spr); break;
	case DBG_I_MTMSR: snprintf(buf, len, "mtmsr r%u", v); break;
	default: snprintf(buf, len, ".long 0x00000000"); break;
	}
	return buf;
}

static const char *const entry_sym[] = { "CONF_ENTRY_RFI", "CONF_ENTRY_RFCI", "CONF_ENTRY_RFDI" };
static const char *const pad_sym[] = { "CONF_PAD_NONE", "CONF_PAD_SUPER", "CONF_PAD_TRAP" };

/* Text inside a string or comment of scenario.S: printable, and nothing the C preprocessor or the
 * assembler would read (quotes, backslashes, comment delimiters). */
static void asm_text(FILE *f, const char *s)
{
	for (; *s; s++) {
		if (*s < 0x20 || *s >= 0x7F || *s == '"' || *s == '\\' || *s == '\'' ||
		    (*s == '*' && s[1] == '/') || (*s == '/' && s[1] == '*'))
			fputc('_', f);
		else
			fputc(*s, f);
	}
}

static void emit_steps(const struct cf_plan *p, FILE *f)
{
	fprintf(f, "\t.balign 4\nconf_steps:\n");
	for (unsigned i = 0; i < p->nsteps; i++) {
		const struct cf_step *st = &p->steps[i];
		fprintf(f, "\t/* step %u */\n", i);
		fprintf(f, "\t.long %d, %s, %u, 0x%08" PRIX32 ", 0x%08" PRIX32 ", %s, %u, conf_set_%u, %u\n",
			st->s[st->n - 1]->line, entry_sym[st->entry], st->flags, st->resv_ea, st->pad,
			pad_sym[st->pad_kind], st->nset, i, st->n);
		for (unsigned j = 0; j < CF_CHAIN; j++) {
			if (j < st->n) {
				fprintf(f, "\t.long 0x%08" PRIX32 ", conf_insn_%u_%u, 0x%08" PRIX32 ", 0x%08" PRIX32
					"\t/* line %d: ", st->s[j]->insn.pc, i, j, st->ea[j], st->value[j],
					st->s[j]->line);
				asm_text(f, st->s[j]->text);
				fprintf(f, " */\n");
			} else
				fprintf(f, "\t.long 0, 0, 0, 0\n");
		}
	}
	for (unsigned i = 0; i < p->nsteps; i++) {
		const struct cf_step *st = &p->steps[i];
		fprintf(f, "conf_set_%u:\n", i);
		for (unsigned k = 0; k < st->nset; k++) {
			const struct cf_set *q = &p->sets[st->set0 + k];
			fprintf(f, "\t.long 0x%05" PRIX32 ", 0x%08" PRIX32 "\n", q->spr, q->value);
		}
	}
}

static void emit_insns(const struct cf_plan *p, FILE *f)
{
	char buf[64];
	fprintf(f, "\n\t.section .conf.insn, \"a\"\n\t.balign 4\n");
	for (unsigned i = 0; i < p->nsteps; i++) {
		const struct cf_step *st = &p->steps[i];
		for (unsigned j = 0; j < st->n; j++) {
			const struct tr_stmt *s = st->s[j];
			fprintf(f, "conf_insn_%u_%u:\t%-20s /* at 0x%08" PRIX32 ": ", i, j,
				cf_insn_asm(&s->insn, j, buf, sizeof buf), s->insn.pc);
			asm_text(f, s->text);
			fprintf(f, " */\n");
		}
	}
}

int cf_emit_asm(const struct cf_plan *p, FILE *f)
{
	fprintf(f, "/* Generated by bookedbg compile from ");
	asm_text(f, p->t->path);
	fprintf(f, " for the %s: do not edit. */\n", dbg_core_name(p->core));
	fprintf(f, "#include \"layout.h\"\n\n\t.section .rodata.conf, \"a\"\n\t.balign 4\n");
	fprintf(f, "\t.globl conf_scenario\nconf_scenario:\n");
	fprintf(f, "\t.long %d, conf_name, %u, conf_steps, %u, conf_maps\n", p->core == DBG_E500MC,
		p->nsteps, p->nmaps);
	fprintf(f, "conf_name:\t.asciz \"");
	asm_text(f, p->t->path);
	fprintf(f, "\"\n\t.balign 4\nconf_maps:\n");
	for (unsigned i = 0; i < p->nmaps; i++)
		fprintf(f, "\t.long 0x%08" PRIX32 ", 0x%08X\n", p->maps[i], CONF_REMAP_PA + i * CONF_PAGE_SIZE);
	emit_steps(p, f);
	emit_insns(p, f);
	if (p->stop_line) {
		fprintf(f, "\n/* not run from line %d (%u statements): ", p->stop_line, p->not_run);
		asm_text(f, p->stop_reason);
		fprintf(f, " */\n");
	}
	return ferror(f) ? -1 : 0;
}
