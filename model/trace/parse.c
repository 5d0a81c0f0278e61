/* The trace parser's statement level (vectors/FORMAT.md): tokens, numbers, names and the seven
 * statements. Parsing is most of the time a large trace takes, so the common path avoids a call
 * per character: ASCII case folding inline, keywords compared by length first, digits by table. */
#include "parse.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define MAX_TOK 64

struct tok {
	char *s;
	int col;
	int len;      /* strlen(s) */
};

int parse_fail(struct parser *p, int col, const char *fmt, ...)
{
	char msg[256];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof msg, fmt, ap);
	va_end(ap);
	snprintf(p->err, p->errlen, "%s:%d:%d: %s", p->name, p->line, col, msg);
	return -1;
}

/* The format's words are ASCII: fold without the locale's tolower (a call per character). */
static inline char lower(char c)
{
	return c >= 'A' && c <= 'Z' ? (char)(c + ('a' - 'A')) : c;
}

static bool eq(const char *a, const char *b)
{
	for (; *a && *b; a++, b++)
		if (lower(*a) != lower(*b))
			return false;
	return *a == *b;
}

/* Is token t the keyword w (lower case) in any case? A different length rejects it at once. */
static inline bool word(const struct tok *t, const char *w, int n)
{
	if (t->len != n)
		return false;
	for (int i = 0; i < n; i++)
		if (lower(t->s[i]) != w[i])
			return false;
	return true;
}

#define IS(t, w) word((t), (w), (int)sizeof(w) - 1)

/* Does s start with the keyword kw (lower case), in any case? */
static bool starts(const char *s, const char *kw)
{
	for (; *kw; s++, kw++)
		if (lower(*s) != *kw)
			return false;
	return true;
}

/* ---- numbers and registers ------------------------------------------------------------- */

/* Each character's digit value plus one; 0 for a character that is no digit. */
static const unsigned char digit1[256] = {
	['0'] = 1, ['1'] = 2, ['2'] = 3, ['3'] = 4, ['4'] = 5, ['5'] = 6, ['6'] = 7, ['7'] = 8,
	['8'] = 9, ['9'] = 10, ['a'] = 11, ['b'] = 12, ['c'] = 13, ['d'] = 14, ['e'] = 15,
	['f'] = 16, ['A'] = 11, ['B'] = 12, ['C'] = 13, ['D'] = 14, ['E'] = 15, ['F'] = 16,
};

/* Unsigned 0x-hex or decimal, at most max (< 2^59, so v * 16 + 15 cannot wrap). Every character
 * after the prefix must be a digit of the base: strtoull would also take a second "0x"
 * ("0x0x200"), a sign or leading blanks. */
static int num(struct parser *p, const struct tok *t, uint64_t max, uint64_t *out)
{
	const char *s = t->s;
	unsigned base = 10;
	if (s[0] == '0' && (s[1] == 'x' || s[1] == 'X')) {
		base = 16;
		s += 2;
	}
	const char *first = s;
	bool over = false;
	uint64_t v = 0;
	for (; *s; s++) {
		unsigned d = digit1[(unsigned char)*s] - 1u;    /* UINT_MAX: no digit */
		if (d >= base)
			return parse_fail(p, t->col, "expected a number (0x hex or decimal), got '%s'", t->s);
		v = v * base + d;
		if (v > max) {
			over = true;        /* keep checking the digits: a bad one is the error */
			v = max;
		}
	}
	if (s == first)
		return parse_fail(p, t->col, "expected a number (0x hex or decimal), got '%s'", t->s);
	if (over)
		return parse_fail(p, t->col, "number '%s' is out of range (max 0x%llX)", t->s,
				  (unsigned long long)max);
	*out = v;
	return 0;
}

static int num32(struct parser *p, const struct tok *t, uint32_t *out)
{
	uint64_t v;
	if (num(p, t, 0xFFFFFFFFu, &v))
		return -1;
	*out = (uint32_t)v;
	return 0;
}

/* A register name or decimal SPR number into *out: its id, or -1 for an SPR the model does not
 * know (it reads 0). */
static int reg_name(struct parser *p, const struct tok *t, int *out)
{
	const char *s = t->s;
	int r = dbg_reg_find(s);
	/* SPR numbers are decimal (FORMAT.md): 0x134 (DBCR0) was taken for an unknown SPR. */
	if (r < 0 && s[0] == '0' && (s[1] == 'x' || s[1] == 'X'))
		return parse_fail(p, t->col, "SPR numbers are decimal, got '%s'", s);
	if (r < 0 && s[0] >= '0' && s[0] <= '9') {
		uint64_t v;
		if (num(p, t, 1023, &v))
			return -1;
		*out = -1;
		return 0;
	}
	if (r < 0)
		return parse_fail(p, t->col, "unknown register '%s'", s);
	*out = r;
	return 0;
}

/* ---- exec ------------------------------------------------------------------------------ */

enum operands {
	OP_NONE, OP_EA, OP_EA_SIZE, OP_EA_N, OP_TARGET, OP_EA_FAIL, OP_EA_NOOP, OP_REG_VALUE, OP_REG,
	OP_VALUE
};

struct insn_word {
	const char *name;
	int len;
	enum dbg_insn_kind kind;
	enum operands ops;
};

#define INSN(name, kind, ops) { name, (int)sizeof(name) - 1, kind, ops }

static const struct insn_word insns[] = {
	INSN("nop", DBG_I_NOP, OP_NONE), INSN("load", DBG_I_LOAD, OP_EA_SIZE),
	INSN("store", DBG_I_STORE, OP_EA_SIZE), INSN("lmw", DBG_I_LMW, OP_EA_N),
	INSN("stmw", DBG_I_STMW, OP_EA_N), INSN("lwarx", DBG_I_LWARX, OP_EA),
	INSN("stwcx", DBG_I_STWCX, OP_EA_FAIL), INSN("stwcx.", DBG_I_STWCX, OP_EA_FAIL),
	INSN("dcbt", DBG_I_DCBT, OP_EA), INSN("dcbtst", DBG_I_DCBTST, OP_EA),
	INSN("icbt", DBG_I_ICBT, OP_EA), INSN("icbi", DBG_I_ICBI, OP_EA),
	INSN("dcbz", DBG_I_DCBZ, OP_EA), INSN("dcbi", DBG_I_DCBI, OP_EA),
	INSN("dcba", DBG_I_DCBA, OP_EA_NOOP), INSN("dcbf", DBG_I_DCBF, OP_EA),
	INSN("dcbst", DBG_I_DCBST, OP_EA), INSN("branch", DBG_I_BRANCH, OP_TARGET),
	INSN("branch-nt", DBG_I_BRANCH_NT, OP_NONE), INSN("trap", DBG_I_TRAP, OP_NONE),
	INSN("sc", DBG_I_SC, OP_NONE), INSN("rfi", DBG_I_RFI, OP_NONE),
	INSN("rfci", DBG_I_RFCI, OP_NONE), INSN("rfdi", DBG_I_RFDI, OP_NONE),
	INSN("isync", DBG_I_ISYNC, OP_NONE), INSN("mtspr", DBG_I_MTSPR, OP_REG_VALUE),
	INSN("mfspr", DBG_I_MFSPR, OP_REG), INSN("mtmsr", DBG_I_MTMSR, OP_VALUE),
};

static const struct { const char *name; enum dbg_fault f; } faults[] = {
	{ "itlb", DBG_F_ITLB }, { "isi", DBG_F_ISI }, { "program", DBG_F_PROGRAM },
	{ "dtlb", DBG_F_DTLB }, { "dsi", DBG_F_DSI }, { "alignment", DBG_F_ALIGNMENT },
};

/* [@CYCLE] at tk[*i] of exec, irq and ude; without one the implied cycle advances. */
static int parse_cycle(struct parser *p, const struct tok *tk, int *i, int nt, struct tr_stmt *s)
{
	if (*i < nt && tk[*i].s[0] == '@') {
		struct tok t = { tk[*i].s + 1, tk[*i].col + 1, tk[*i].len - 1 };
		if (num(p, &t, UINT64_C(0xFFFFFFFFFFFF), &s->cycle))
			return -1;
		if (s->cycle < p->min_cycle)
			return parse_fail(p, tk[*i].col, "cycle %llu goes backwards (previous statement "
					  "is at cycle %llu or later)", (unsigned long long)s->cycle,
					  (unsigned long long)p->min_cycle);
		s->has_cycle = true;
		p->min_cycle = s->cycle;
		(*i)++;
	} else {
		p->min_cycle++;
	}
	return 0;
}

static bool fault_tok(const struct tok *t)
{
	return t->len >= 6 && starts(t->s, "fault=");
}

/* fault=KIND ends any instruction (tk[i] is the instruction). Returns the token count without it,
 * or -1. A fault operand anywhere else gets its own message, not a misleading operand error. */
static int parse_fault(struct parser *p, const struct tok *tk, int i, int nt, struct dbg_insn *in)
{
	if (fault_tok(&tk[i]))
		return parse_fail(p, tk[i].col, "exec needs an instruction before '%s'", tk[i].s);
	for (int j = i + 1; j < nt - 1; j++)
		if (fault_tok(&tk[j]))
			return parse_fail(p, tk[j].col, "'%s' must be the last operand (fault=KIND ends "
					  "the instruction, once)", tk[j].s);
	if (nt == i + 1 || !fault_tok(&tk[nt - 1]))
		return nt;
	const char *k = tk[nt - 1].s + 6;
	if (!*k)
		return parse_fail(p, tk[nt - 1].col + 6, "fault= needs a KIND (itlb, isi, program, "
				  "dtlb, dsi, alignment)");
	unsigned j;
	for (j = 0; j < sizeof faults / sizeof faults[0]; j++)
		if (eq(k, faults[j].name))
			break;
	if (j == sizeof faults / sizeof faults[0])
		return parse_fail(p, tk[nt - 1].col + 6, "unknown fault '%s' (itlb, isi, program, "
				  "dtlb, dsi, alignment)", k);
	in->fault = faults[j].f;
	return nt - 1;
}

/* EA [fail|noop]: a cache or reservation operation. */
static int ea_flag_operands(struct parser *p, const struct tok *op, int n, const struct insn_word *w,
			    int ic, struct dbg_insn *in)
{
	if (n < 1)
		return parse_fail(p, ic, "'%s' needs an effective address", w->name);
	if (num32(p, &op[0], &in->ea))
		return -1;
	if (n == 2 && w->ops == OP_EA_FAIL && IS(&op[1], "fail"))
		in->flags |= DBG_INSN_FAIL;
	else if (n == 2 && w->ops == OP_EA_NOOP && IS(&op[1], "noop"))
		in->flags |= DBG_INSN_NOOP;
	else if (n > 1)
		return parse_fail(p, op[1].col, "unexpected '%s'", op[1].s);
	return 0;
}

/* EA [SIZE] of a load or store (SIZE 1, 2, 4 or 8; default 4), or EA N of lmw/stmw. */
static int ea_size_operands(struct parser *p, const struct tok *op, int n, const struct insn_word *w,
			    int ic, struct dbg_insn *in)
{
	uint32_t v;
	if (w->ops == OP_EA_N) {
		if (n != 2)
			return parse_fail(p, ic, "'%s' needs EA N", w->name);
		if (num32(p, &op[0], &in->ea) || num32(p, &op[1], &v))
			return -1;
		if (v < 1 || v > 32)
			return parse_fail(p, op[1].col, "word count must be 1..32");
		in->size = v;
		return 0;
	}
	if (n < 1 || n > 2)
		return parse_fail(p, ic, "'%s' needs EA [SIZE]", w->name);
	if (num32(p, &op[0], &in->ea))
		return -1;
	in->size = 4;
	if (n == 2) {
		if (num32(p, &op[1], &v))
			return -1;
		if (v != 1 && v != 2 && v != 4 && v != 8)
			return parse_fail(p, op[1].col, "access size must be 1, 2, 4 or 8");
		in->size = v;
	}
	return 0;
}

/* REG VALUE of mtspr, REG of mfspr. */
static int spr_operands(struct parser *p, const struct tok *op, int n, const struct insn_word *w,
			int ic, struct dbg_insn *in)
{
	bool value = w->ops == OP_REG_VALUE;
	if (n != (value ? 2 : 1))
		return parse_fail(p, ic, "'%s' needs %s", w->name, value ? "REG VALUE" : "REG");
	if (reg_name(p, &op[0], &in->reg))
		return -1;
	if (in->reg == DBG_REG_MSR)
		return parse_fail(p, op[0].col, "MSR is not an SPR: use mtmsr");
	return value ? num32(p, &op[1], &in->value) : 0;
}

/* The n operands op[] of instruction w (ic: its column). */
static int operands(struct parser *p, const struct tok *op, int n, const struct insn_word *w, int ic,
		    struct dbg_insn *in)
{
	switch (w->ops) {
	case OP_NONE:
		if (n)
			return parse_fail(p, op[0].col, "'%s' takes no operands", w->name);
		return 0;
	case OP_EA: case OP_EA_FAIL: case OP_EA_NOOP:
		return ea_flag_operands(p, op, n, w, ic, in);
	case OP_EA_SIZE: case OP_EA_N:
		return ea_size_operands(p, op, n, w, ic, in);
	case OP_TARGET:
		if (n != 1)
			return parse_fail(p, ic, "'branch' needs a TARGET");
		return num32(p, &op[0], &in->target);
	case OP_REG_VALUE: case OP_REG:
		return spr_operands(p, op, n, w, ic, in);
	case OP_VALUE:
		if (n != 1)
			return parse_fail(p, ic, "'mtmsr' needs a VALUE");
		return num32(p, &op[0], &in->value);
	}
	return 0;
}

static const struct insn_word *find_insn(const struct tok *t)
{
	for (unsigned k = 0; k < sizeof insns / sizeof insns[0]; k++)
		if (word(t, insns[k].name, insns[k].len))
			return &insns[k];
	return NULL;
}

/* exec PC [@CYCLE] INSN [OPERANDS] [fault=KIND] */
static int parse_exec(struct parser *p, const struct tok *tk, int nt, struct tr_stmt *s)
{
	int i = 1;
	struct dbg_insn *in = &s->insn;     /* zero: the statement was cleared */
	in->reg = -1;
	if (i >= nt)
		return parse_fail(p, tk[0].col, "exec needs PC and an instruction");
	if (num32(p, &tk[i], &in->pc))
		return -1;
	i++;
	if (parse_cycle(p, tk, &i, nt, s))
		return -1;
	if (i >= nt)
		return parse_fail(p, tk[i - 1].col, "exec needs an instruction after the PC");
	nt = parse_fault(p, tk, i, nt, in);
	if (nt < 0)
		return -1;
	const struct insn_word *w = find_insn(&tk[i]);
	if (!w)
		return parse_fail(p, tk[i].col, "unknown instruction '%s'", tk[i].s);
	in->kind = w->kind;
	if (operands(p, &tk[i + 1], nt - i - 1, w, tk[i].col, in))
		return -1;
	if (in->fault >= DBG_F_DTLB && !(in->kind >= DBG_I_LOAD && in->kind <= DBG_I_DCBST))
		return parse_fail(p, tk[nt].col, "a data fault needs an instruction that accesses memory");
	return 0;
}

/* ---- set and expect -------------------------------------------------------------------- */

/* A comma list of event names into DBSR bits. Every item must be a name: an empty one
 * ("events=," or "IAC1,,IAC2") is an error, not nothing. */
static int event_list(struct parser *p, const struct tok *vt, uint64_t *bits)
{
	char *e = vt->s;
	for (;;) {
		char *comma = strchr(e, ',');
		if (comma)
			*comma = 0;
		int col = vt->col + (int)(e - vt->s);
		if (!*e)
			return parse_fail(p, col, "empty event name in the list (events= takes names "
					  "separated by commas, or none)");
		uint32_t b = dbg_event_bit(e);
		if (!b && eq(e, "none"))
			return parse_fail(p, col, "'none' stands alone: it cannot be listed with events");
		if (!b)
			return parse_fail(p, col, "unknown event '%s'", e);
		*bits |= b;
		if (!comma)
			return 0;
		e = comma + 1;
	}
}

/* The value of an expect field besides pc and registers; returns 1 if f is no such field. */
static int expect_field(struct parser *p, const char *f, struct tok *vt, struct tr_pair *pr)
{
	if (eq(f, "debug")) {
		pr->field = TF_DEBUG;
		if (eq(vt->s, "taken")) pr->value = TD_TAKEN;
		else if (eq(vt->s, "none")) pr->value = TD_NONE;
		else if (eq(vt->s, "halted")) pr->value = TD_HALTED;
		else return parse_fail(p, vt->col, "debug= takes taken, none or halted");
	} else if (eq(f, "events")) {
		pr->field = TF_EVENTS;
		if (!eq(vt->s, "none") && event_list(p, vt, &pr->value))
			return -1;
	} else if (eq(f, "cycle")) {
		pr->field = TF_CYCLE;
		return num(p, vt, UINT64_C(0xFFFFFFFFFFFF), &pr->value);
	} else if (eq(f, "irq")) {
		pr->field = TF_IRQ;
		int k;
		for (k = 0; k < DBG_IRQ_COUNT; k++)
			if (eq(vt->s, dbg_irq_name((enum dbg_irq_kind)k)))
				break;
		if (k == DBG_IRQ_COUNT)
			return parse_fail(p, vt->col, "unknown interrupt '%s'", vt->s);
		pr->value = (uint64_t)k;
	} else if (eq(f, "squashed")) {
		pr->field = TF_SQUASHED;
		if (eq(vt->s, "yes")) pr->value = 1;
		else if (eq(vt->s, "no")) pr->value = 0;
		else return parse_fail(p, vt->col, "squashed= takes yes or no");
	} else {
		return 1;
	}
	return 0;
}

/* One FIELD=VALUE pair of set or expect. */
static int parse_pair(struct parser *p, const struct tok *t, bool expect, struct tr_pair *pr)
{
	char *eqs = strchr(t->s, '=');
	if (!eqs || eqs == t->s || !eqs[1])
		return parse_fail(p, t->col, "expected FIELD=VALUE, got '%s'", t->s);
	*eqs = 0;
	int flen = (int)(eqs - t->s);
	struct tok ft = { t->s, t->col, flen }, vt = { eqs + 1, t->col + flen + 1, t->len - flen - 1 };
	pr->col = t->col;
	if (eq(ft.s, "pc")) {
		pr->field = TF_PC;
		return num(p, &vt, 0xFFFFFFFFu, &pr->value);
	}
	if (expect) {
		int rc = expect_field(p, ft.s, &vt, pr);
		if (rc <= 0)
			return rc;
	}
	pr->field = TF_REG;
	if (reg_name(p, &ft, &pr->reg))
		return -1;
	if (pr->reg < 0)
		return parse_fail(p, t->col, "SPR %s is not modelled", ft.s);
	return num(p, &vt, 0xFFFFFFFFu, &pr->value);
}

static int parse_pairs(struct parser *p, const struct tok *tk, int nt, struct tr_stmt *s, bool expect)
{
	if (nt < 2)
		return parse_fail(p, tk[0].col, "%s needs FIELD=VALUE pairs", expect ? "expect" : "set");
	s->pairs = calloc((size_t)nt - 1, sizeof *s->pairs);
	if (!s->pairs)
		return parse_fail(p, tk[0].col, "out of memory");
	for (int i = 1; i < nt; i++)
		if (parse_pair(p, &tk[i], expect, &s->pairs[s->npairs++]))
			return -1;
	return 0;
}

/* ---- core, opt, irq, ude --------------------------------------------------------------- */

static int parse_core(struct parser *p, const struct tok *tk, int nt, struct trace *t)
{
	if (p->core_seen || t->n > 1)
		return parse_fail(p, tk[0].col, "core must be the first statement, once");
	if (nt != 2)
		return parse_fail(p, tk[0].col, "core takes e500v2 or e500mc");
	if (IS(&tk[1], "e500v2"))
		t->core = DBG_E500V2;
	else if (IS(&tk[1], "e500mc"))
		t->core = DBG_E500MC;
	else
		return parse_fail(p, tk[1].col, "unknown core '%s' (e500v2 or e500mc)", tk[1].s);
	p->core_seen = true;
	return 0;
}

static int parse_opt(struct parser *p, const struct tok *tk, int nt, struct trace *t,
		     struct tr_stmt *s)
{
	if (p->timed_seen)
		return parse_fail(p, tk[0].col, "opt must come before the first set, exec, irq or ude");
	if (nt != 2 || !strchr(tk[1].s, '='))
		return parse_fail(p, tk[0].col, "opt takes NAME=VALUE");
	char *v = strchr(tk[1].s, '=');
	*v++ = 0;
	int id = dbg_opt_find(tk[1].s);
	if (id < 0)
		return parse_fail(p, tk[1].col, "unknown option '%s' (see bookedbg options)", tk[1].s);
	int val = dbg_opt_parse_value(id, v);
	if (val < 0)
		return parse_fail(p, tk[1].col + (int)(v - tk[1].s), "option %s has no value '%s'",
				  dbg_opt_desc[id].name, v);
	s->opt = id;
	s->optval = val;
	t->opt[id] = (uint8_t)val;
	t->opt_set[id] = true;
	return 0;
}

static int parse_irq(struct parser *p, const struct tok *tk, int nt, struct tr_stmt *s)
{
	static const enum dbg_irq_kind ok[] = { DBG_IRQ_EXTERNAL, DBG_IRQ_DECREMENTER, DBG_IRQ_FIT,
		DBG_IRQ_CRITICAL, DBG_IRQ_WATCHDOG, DBG_IRQ_MACHINE_CHECK };
	int i = 1;
	if (parse_cycle(p, tk, &i, nt, s))
		return -1;
	if (i != nt - 1)
		return parse_fail(p, tk[0].col, "irq takes [@CYCLE] KIND");
	for (unsigned k = 0; k < sizeof ok / sizeof ok[0]; k++)
		if (eq(tk[i].s, dbg_irq_name(ok[k]))) {
			s->irq = ok[k];
			return 0;
		}
	return parse_fail(p, tk[i].col, "unknown interrupt '%s' (external, decrementer, fit, "
			  "critical, watchdog, machine-check)", tk[i].s);
}

static int parse_ude(struct parser *p, const struct tok *tk, int nt, struct tr_stmt *s)
{
	int i = 1;
	if (parse_cycle(p, tk, &i, nt, s))
		return -1;
	if (i != nt)
		return parse_fail(p, tk[i].col, "ude takes only [@CYCLE]");
	return 0;
}

/* ---- statements ------------------------------------------------------------------------ */

/* Characters between tokens, and those that end one (a blank or the end of the string): one table
 * look-up per character instead of four compares. */
static const bool blank[256] = { [' '] = true, ['\t'] = true, ['\r'] = true };
static const bool token_end[256] = { [0] = true, [' '] = true, ['\t'] = true, ['\r'] = true };

/* Split body into NUL-terminated tokens in place; returns their number or -1. */
static int tokenize(struct parser *p, char *body, int base, struct tok *tk)
{
	int nt = 0;
	for (char *c = body;;) {
		while (blank[(unsigned char)*c])
			c++;
		if (!*c)
			return nt;
		if (nt == MAX_TOK)
			return parse_fail(p, (int)(c - body) + base, "too many tokens on one line");
		char *start = c;
		while (!token_end[(unsigned char)*c])
			c++;
		tk[nt++] = (struct tok){ start, (int)(start - body) + base, (int)(c - start) };
		if (!*c)
			return nt;
		*c++ = 0;
	}
}

/* The statement kinds that take time: no opt may follow one. */
static void timed(struct parser *p, struct tr_stmt *s, enum tr_kind k)
{
	p->timed_seen = true;
	s->kind = k;
}

int parse_stmt(struct parser *p, char *body, int base, struct trace *t, struct tr_stmt *s)
{
	struct tok tk[MAX_TOK];
	int nt = tokenize(p, body, base, tk);
	if (nt < 0)
		return -1;
	if (IS(&tk[0], "exec")) {
		timed(p, s, TR_EXEC);
		return parse_exec(p, tk, nt, s);
	}
	if (IS(&tk[0], "expect")) {
		s->kind = TR_EXPECT;
		return parse_pairs(p, tk, nt, s, true);
	}
	if (IS(&tk[0], "set")) {
		timed(p, s, TR_SET);
		return parse_pairs(p, tk, nt, s, false);
	}
	if (IS(&tk[0], "irq")) {
		timed(p, s, TR_IRQ);
		return parse_irq(p, tk, nt, s);
	}
	if (IS(&tk[0], "ude")) {
		timed(p, s, TR_UDE);
		return parse_ude(p, tk, nt, s);
	}
	if (IS(&tk[0], "core")) {
		s->kind = TR_CORE;
		return parse_core(p, tk, nt, t);
	}
	if (IS(&tk[0], "opt")) {
		s->kind = TR_OPT;
		return parse_opt(p, tk, nt, t, s);
	}
	return parse_fail(p, tk[0].col, "unknown statement '%s'", tk[0].s);
}
