/* Trace parser (vectors/FORMAT.md). A file is parsed whole before anything runs; any error gives
 * "FILE:LINE:COL: message" and an empty trace. */
#include "trace.h"

#include <ctype.h>
#include <errno.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#define MAX_TOK 64

struct tok {
	char *s;
	int col;
};

struct parser {
	const char *name;
	int line;
	char *err;
	size_t errlen;
	bool timed_seen;     /* a set/exec/irq/ude statement was seen */
	bool core_seen;
	uint64_t min_cycle;  /* lower bound of the next implied cycle, for the @N check */
};

static int fail(struct parser *p, int col, const char *fmt, ...)
{
	char msg[256];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof msg, fmt, ap);
	va_end(ap);
	snprintf(p->err, p->errlen, "%s:%d:%d: %s", p->name, p->line, col, msg);
	return -1;
}

static int eq(const char *a, const char *b)
{
	for (; *a && *b; a++, b++)
		if (tolower((unsigned char)*a) != tolower((unsigned char)*b))
			return 0;
	return *a == *b;
}

/* The value of a digit in base 16, or 16 for a character that is no digit. */
static unsigned digit(char c)
{
	if (c >= '0' && c <= '9')
		return (unsigned)(c - '0');
	c = (char)(c | 0x20);    /* ASCII lower case */
	return c >= 'a' && c <= 'f' ? (unsigned)(c - 'a' + 10) : 16u;
}

/* Unsigned 0x-hex or decimal, at most max. Every character after the prefix must be a digit of
 * the base: strtoull would also take a second "0x" ("0x0x200"), a sign or leading blanks. */
static int num(struct parser *p, const struct tok *t, uint64_t max, uint64_t *out)
{
	const char *s = t->s;
	unsigned base = 10;
	if (s[0] == '0' && (s[1] == 'x' || s[1] == 'X')) {
		base = 16;
		s += 2;
	}
	bool any = false, over = false;
	uint64_t v = 0;
	for (; *s; s++) {
		unsigned d = digit(*s);
		if (d >= base)
			return fail(p, t->col, "expected a number (0x hex or decimal), got '%s'", t->s);
		if (v > (max - d) / base)
			over = true;             /* keep checking the digits: a bad one is the error */
		else
			v = v * base + d;
		any = true;
	}
	if (!any)
		return fail(p, t->col, "expected a number (0x hex or decimal), got '%s'", t->s);
	if (over)
		return fail(p, t->col, "number '%s' is out of range (max 0x%llX)", t->s,
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

static int reg_name(struct parser *p, const struct tok *t, const char *s, int *out)
{
	int r = dbg_reg_find(s);
	/* SPR numbers are decimal (FORMAT.md): 0x134 (DBCR0) was taken for an unknown SPR. */
	if (r < 0 && s[0] == '0' && (s[1] == 'x' || s[1] == 'X'))
		return fail(p, t->col, "SPR numbers are decimal, got '%s'", s);
	if (r < 0 && isdigit((unsigned char)s[0])) {
		uint64_t v;
		struct tok tt = { (char *)s, t->col };
		if (num(p, &tt, 1023, &v))
			return -1;
		*out = -1;           /* an SPR number the model does not know: reads 0 */
		return 0;
	}
	if (r < 0)
		return fail(p, t->col, "unknown register '%s'", s);
	*out = r;
	return 0;
}

static const struct { const char *name; enum dbg_insn_kind kind; int args; } insns[] = {
	/* args: 0 none, 1 EA, 2 EA [SIZE], 3 EA N, 4 TARGET, 5 EA [fail], 6 EA [noop],
	 *       7 REG VALUE, 8 REG, 9 VALUE */
	{ "nop", DBG_I_NOP, 0 }, { "load", DBG_I_LOAD, 2 }, { "store", DBG_I_STORE, 2 },
	{ "lmw", DBG_I_LMW, 3 }, { "stmw", DBG_I_STMW, 3 }, { "lwarx", DBG_I_LWARX, 1 },
	{ "stwcx", DBG_I_STWCX, 5 }, { "stwcx.", DBG_I_STWCX, 5 }, { "dcbt", DBG_I_DCBT, 1 },
	{ "dcbtst", DBG_I_DCBTST, 1 }, { "icbt", DBG_I_ICBT, 1 }, { "icbi", DBG_I_ICBI, 1 },
	{ "dcbz", DBG_I_DCBZ, 1 }, { "dcbi", DBG_I_DCBI, 1 }, { "dcba", DBG_I_DCBA, 6 },
	{ "dcbf", DBG_I_DCBF, 1 }, { "dcbst", DBG_I_DCBST, 1 }, { "branch", DBG_I_BRANCH, 4 },
	{ "branch-nt", DBG_I_BRANCH_NT, 0 }, { "trap", DBG_I_TRAP, 0 }, { "sc", DBG_I_SC, 0 },
	{ "rfi", DBG_I_RFI, 0 }, { "rfci", DBG_I_RFCI, 0 }, { "rfdi", DBG_I_RFDI, 0 },
	{ "isync", DBG_I_ISYNC, 0 }, { "mtspr", DBG_I_MTSPR, 7 }, { "mfspr", DBG_I_MFSPR, 8 },
	{ "mtmsr", DBG_I_MTMSR, 9 },
};

static const struct { const char *name; enum dbg_fault f; } faults[] = {
	{ "itlb", DBG_F_ITLB }, { "isi", DBG_F_ISI }, { "program", DBG_F_PROGRAM },
	{ "dtlb", DBG_F_DTLB }, { "dsi", DBG_F_DSI }, { "alignment", DBG_F_ALIGNMENT },
};

static int parse_cycle(struct parser *p, struct tok *tk, int *i, int nt, struct tr_stmt *s)
{
	if (*i < nt && tk[*i].s[0] == '@') {
		struct tok t = { tk[*i].s + 1, tk[*i].col + 1 };
		if (num(p, &t, UINT64_C(0xFFFFFFFFFFFF), &s->cycle))
			return -1;
		if (s->cycle < p->min_cycle)
			return fail(p, tk[*i].col, "cycle %llu goes backwards (previous statement is "
				    "at cycle %llu or later)", (unsigned long long)s->cycle,
				    (unsigned long long)p->min_cycle);
		s->has_cycle = true;
		p->min_cycle = s->cycle;
		(*i)++;
	} else {
		p->min_cycle++;
	}
	return 0;
}

/* Does s start with the keyword kw, in any case? */
static bool starts(const char *s, const char *kw)
{
	for (; *kw; s++, kw++)
		if (tolower((unsigned char)*s) != *kw)
			return false;
	return true;
}

/* fault=KIND ends any instruction (tk[i] is the instruction). Returns the token count without it,
 * or -1. A fault operand anywhere else gets its own message, not a misleading operand error. */
static int parse_fault(struct parser *p, struct tok *tk, int i, int nt, struct dbg_insn *in)
{
	if (starts(tk[i].s, "fault="))
		return fail(p, tk[i].col, "exec needs an instruction before '%s'", tk[i].s);
	for (int j = i + 1; j < nt - 1; j++)
		if (starts(tk[j].s, "fault="))
			return fail(p, tk[j].col, "'%s' must be the last operand (fault=KIND ends the "
				    "instruction, once)", tk[j].s);
	if (nt == i + 1 || !starts(tk[nt - 1].s, "fault="))
		return nt;
	const char *k = tk[nt - 1].s + 6;
	if (!*k)
		return fail(p, tk[nt - 1].col + 6, "fault= needs a KIND (itlb, isi, program, dtlb, dsi, "
			    "alignment)");
	unsigned j;
	for (j = 0; j < sizeof faults / sizeof faults[0]; j++)
		if (eq(k, faults[j].name))
			break;
	if (j == sizeof faults / sizeof faults[0])
		return fail(p, tk[nt - 1].col + 6, "unknown fault '%s' (itlb, isi, program, dtlb, "
			    "dsi, alignment)", k);
	in->fault = faults[j].f;
	return nt - 1;
}

static int parse_exec(struct parser *p, struct tok *tk, int nt, struct tr_stmt *s)
{
	int i = 1;
	struct dbg_insn *in = &s->insn;
	memset(in, 0, sizeof *in);
	in->reg = -1;
	if (i >= nt)
		return fail(p, tk[0].col, "exec needs PC and an instruction");
	if (num32(p, &tk[i], &in->pc))
		return -1;
	i++;
	if (parse_cycle(p, tk, &i, nt, s))
		return -1;
	if (i >= nt)
		return fail(p, tk[i - 1].col, "exec needs an instruction after the PC");
	nt = parse_fault(p, tk, i, nt, in);
	if (nt < 0)
		return -1;
	unsigned k;
	for (k = 0; k < sizeof insns / sizeof insns[0]; k++)
		if (eq(tk[i].s, insns[k].name))
			break;
	if (k == sizeof insns / sizeof insns[0])
		return fail(p, tk[i].col, "unknown instruction '%s'", tk[i].s);
	in->kind = insns[k].kind;
	int ic = tk[i].col, a = i + 1, n = nt - a;
	uint32_t v;
	switch (insns[k].args) {
	case 0:
		if (n)
			return fail(p, tk[a].col, "'%s' takes no operands", insns[k].name);
		break;
	case 1: case 5: case 6:
		if (n < 1)
			return fail(p, ic, "'%s' needs an effective address", insns[k].name);
		if (num32(p, &tk[a], &in->ea))
			return -1;
		if (n == 2 && insns[k].args == 5 && eq(tk[a + 1].s, "fail"))
			in->flags |= DBG_INSN_FAIL;
		else if (n == 2 && insns[k].args == 6 && eq(tk[a + 1].s, "noop"))
			in->flags |= DBG_INSN_NOOP;
		else if (n > 1)
			return fail(p, tk[a + 1].col, "unexpected '%s'", tk[a + 1].s);
		break;
	case 2:
		if (n < 1 || n > 2)
			return fail(p, ic, "'%s' needs EA [SIZE]", insns[k].name);
		if (num32(p, &tk[a], &in->ea))
			return -1;
		in->size = 4;
		if (n == 2) {
			if (num32(p, &tk[a + 1], &v))
				return -1;
			if (v != 1 && v != 2 && v != 4 && v != 8)
				return fail(p, tk[a + 1].col, "access size must be 1, 2, 4 or 8");
			in->size = v;
		}
		break;
	case 3:
		if (n != 2)
			return fail(p, ic, "'%s' needs EA N", insns[k].name);
		if (num32(p, &tk[a], &in->ea) || num32(p, &tk[a + 1], &v))
			return -1;
		if (v < 1 || v > 32)
			return fail(p, tk[a + 1].col, "word count must be 1..32");
		in->size = v;
		break;
	case 4:
		if (n != 1)
			return fail(p, ic, "'branch' needs a TARGET");
		if (num32(p, &tk[a], &in->target))
			return -1;
		break;
	case 7: case 8:
		if (n != (insns[k].args == 7 ? 2 : 1))
			return fail(p, ic, "'%s' needs %s", insns[k].name,
				    insns[k].args == 7 ? "REG VALUE" : "REG");
		if (reg_name(p, &tk[a], tk[a].s, &in->reg))
			return -1;
		if (in->reg == DBG_REG_MSR)
			return fail(p, tk[a].col, "MSR is not an SPR: use mtmsr");
		if (insns[k].args == 7 && num32(p, &tk[a + 1], &in->value))
			return -1;
		break;
	case 9:
		if (n != 1)
			return fail(p, ic, "'mtmsr' needs a VALUE");
		if (num32(p, &tk[a], &in->value))
			return -1;
		break;
	}
	if (in->fault >= DBG_F_DTLB && !(in->kind >= DBG_I_LOAD && in->kind <= DBG_I_DCBST))
		return fail(p, tk[nt].col, "a data fault needs an instruction that accesses memory");
	return 0;
}

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
			return fail(p, col, "empty event name in the list (events= takes names separated "
				    "by commas, or none)");
		uint32_t b = dbg_event_bit(e);
		if (!b && eq(e, "none"))
			return fail(p, col, "'none' stands alone: it cannot be listed with events");
		if (!b)
			return fail(p, col, "unknown event '%s'", e);
		*bits |= b;
		if (!comma)
			return 0;
		e = comma + 1;
	}
}

static int parse_pairs(struct parser *p, struct tok *tk, int nt, struct tr_stmt *s, bool expect)
{
	if (nt < 2)
		return fail(p, tk[0].col, "%s needs FIELD=VALUE pairs", expect ? "expect" : "set");
	s->pairs = calloc((size_t)nt - 1, sizeof *s->pairs);
	if (!s->pairs)
		return fail(p, tk[0].col, "out of memory");
	for (int i = 1; i < nt; i++) {
		char *eqs = strchr(tk[i].s, '=');
		if (!eqs || eqs == tk[i].s || !eqs[1])
			return fail(p, tk[i].col, "expected FIELD=VALUE, got '%s'", tk[i].s);
		*eqs = 0;
		const char *f = tk[i].s;
		struct tok vt = { eqs + 1, tk[i].col + (int)(eqs - tk[i].s) + 1 };
		struct tr_pair *pr = &s->pairs[s->npairs++];
		pr->col = tk[i].col;
		if (eq(f, "pc")) {
			pr->field = TF_PC;
			if (num(p, &vt, 0xFFFFFFFFu, &pr->value))
				return -1;
		} else if (expect && eq(f, "debug")) {
			pr->field = TF_DEBUG;
			if (eq(vt.s, "taken")) pr->value = TD_TAKEN;
			else if (eq(vt.s, "none")) pr->value = TD_NONE;
			else if (eq(vt.s, "halted")) pr->value = TD_HALTED;
			else return fail(p, vt.col, "debug= takes taken, none or halted");
		} else if (expect && eq(f, "events")) {
			pr->field = TF_EVENTS;
			if (!eq(vt.s, "none") && event_list(p, &vt, &pr->value))
				return -1;
		} else if (expect && eq(f, "cycle")) {
			pr->field = TF_CYCLE;
			if (num(p, &vt, UINT64_C(0xFFFFFFFFFFFF), &pr->value))
				return -1;
		} else if (expect && eq(f, "irq")) {
			pr->field = TF_IRQ;
			int k;
			for (k = 0; k < DBG_IRQ_COUNT; k++)
				if (eq(vt.s, dbg_irq_name((enum dbg_irq_kind)k)))
					break;
			if (k == DBG_IRQ_COUNT)
				return fail(p, vt.col, "unknown interrupt '%s'", vt.s);
			pr->value = (uint64_t)k;
		} else if (expect && eq(f, "squashed")) {
			pr->field = TF_SQUASHED;
			if (eq(vt.s, "yes")) pr->value = 1;
			else if (eq(vt.s, "no")) pr->value = 0;
			else return fail(p, vt.col, "squashed= takes yes or no");
		} else {
			pr->field = TF_REG;
			struct tok ft = { (char *)f, tk[i].col };
			if (reg_name(p, &ft, f, &pr->reg))
				return -1;
			if (pr->reg < 0)
				return fail(p, tk[i].col, "SPR %s is not modelled", f);
			if (num(p, &vt, 0xFFFFFFFFu, &pr->value))
				return -1;
		}
	}
	return 0;
}

static int parse_line(struct parser *p, char *body, struct trace *t, struct tr_stmt *s, int base)
{
	struct tok tk[MAX_TOK];
	int nt = 0;
	for (char *c = body; *c;) {
		while (*c == ' ' || *c == '\t' || *c == '\r')
			c++;
		if (!*c)
			break;
		if (nt == MAX_TOK)
			return fail(p, (int)(c - body) + base, "too many tokens on one line");
		tk[nt].s = c;
		tk[nt].col = (int)(c - body) + base;
		nt++;
		while (*c && *c != ' ' && *c != '\t' && *c != '\r')
			c++;
		if (*c)
			*c++ = 0;
	}
	const char *kw = tk[0].s;
	if (eq(kw, "core")) {
		if (p->core_seen || t->n > 1)
			return fail(p, tk[0].col, "core must be the first statement, once");
		if (nt != 2)
			return fail(p, tk[0].col, "core takes e500v2 or e500mc");
		if (eq(tk[1].s, "e500v2")) t->core = DBG_E500V2;
		else if (eq(tk[1].s, "e500mc")) t->core = DBG_E500MC;
		else return fail(p, tk[1].col, "unknown core '%s' (e500v2 or e500mc)", tk[1].s);
		p->core_seen = true;
		s->kind = TR_CORE;
	} else if (eq(kw, "opt")) {
		if (p->timed_seen)
			return fail(p, tk[0].col, "opt must come before the first set, exec, irq or ude");
		if (nt != 2 || !strchr(tk[1].s, '='))
			return fail(p, tk[0].col, "opt takes NAME=VALUE");
		char *v = strchr(tk[1].s, '=');
		*v++ = 0;
		int id = dbg_opt_find(tk[1].s);
		if (id < 0)
			return fail(p, tk[1].col, "unknown option '%s' (see bookedbg options)", tk[1].s);
		int val = dbg_opt_parse_value(id, v);
		if (val < 0)
			return fail(p, tk[1].col + (int)(v - tk[1].s), "option %s has no value '%s'",
				    dbg_opt_desc[id].name, v);
		s->kind = TR_OPT;
		s->opt = id;
		s->optval = val;
		t->opt[id] = (uint8_t)val;
		t->opt_set[id] = true;
	} else if (eq(kw, "set")) {
		p->timed_seen = true;
		s->kind = TR_SET;
		return parse_pairs(p, tk, nt, s, false);
	} else if (eq(kw, "expect")) {
		s->kind = TR_EXPECT;
		return parse_pairs(p, tk, nt, s, true);
	} else if (eq(kw, "exec")) {
		p->timed_seen = true;
		s->kind = TR_EXEC;
		return parse_exec(p, tk, nt, s);
	} else if (eq(kw, "irq")) {
		p->timed_seen = true;
		s->kind = TR_IRQ;
		int i = 1;
		if (parse_cycle(p, tk, &i, nt, s))
			return -1;
		if (i != nt - 1)
			return fail(p, tk[0].col, "irq takes [@CYCLE] KIND");
		static const enum dbg_irq_kind ok[] = { DBG_IRQ_EXTERNAL, DBG_IRQ_DECREMENTER,
			DBG_IRQ_FIT, DBG_IRQ_CRITICAL, DBG_IRQ_WATCHDOG, DBG_IRQ_MACHINE_CHECK };
		unsigned k;
		for (k = 0; k < sizeof ok / sizeof ok[0]; k++)
			if (eq(tk[i].s, dbg_irq_name(ok[k])))
				break;
		if (k == sizeof ok / sizeof ok[0])
			return fail(p, tk[i].col, "unknown interrupt '%s' (external, decrementer, fit, "
				    "critical, watchdog, machine-check)", tk[i].s);
		s->irq = ok[k];
	} else if (eq(kw, "ude")) {
		p->timed_seen = true;
		s->kind = TR_UDE;
		int i = 1;
		if (parse_cycle(p, tk, &i, nt, s))
			return -1;
		if (i != nt)
			return fail(p, tk[i].col, "ude takes only [@CYCLE]");
	} else {
		return fail(p, tk[0].col, "unknown statement '%s'", kw);
	}
	return 0;
}

static char *trim_copy(const char *a, size_t n)
{
	while (n && (a[n - 1] == ' ' || a[n - 1] == '\t' || a[n - 1] == '\r'))
		n--;
	while (n && (*a == ' ' || *a == '\t')) {
		a++;
		n--;
	}
	char *s = malloc(n + 1);
	if (s) {
		memcpy(s, a, n);
		s[n] = 0;
	}
	return s;
}

void trace_free(struct trace *t)
{
	for (unsigned i = 0; i < t->n; i++) {
		free(t->s[i].pairs);
		free(t->s[i].text);
	}
	free(t->s);
	free(t->path);
	memset(t, 0, sizeof *t);
}

int trace_parse_string(const char *name, const char *text, struct trace *t, char *err, size_t errlen)
{
	struct parser p = { name, 0, err, errlen, false, false, 1 };
	unsigned cap = 0;
	memset(t, 0, sizeof *t);
	t->path = strdup(name);
	if (!t->path)
		return -1;
	const char *line = text;
	while (*line) {
		const char *nl = strchr(line, '\n');
		size_t len = nl ? (size_t)(nl - line) : strlen(line);
		p.line++;
		if (memchr(line, 0, len)) {
			fail(&p, 1, "NUL byte in the line");
			goto bad;
		}
		const char *hash = memchr(line, '#', len);
		size_t body_len = hash ? (size_t)(hash - line) : len;
		size_t lead = 0;
		while (lead < body_len && (line[lead] == ' ' || line[lead] == '\t'))
			lead++;
		size_t end = body_len;
		while (end > lead && (line[end - 1] == ' ' || line[end - 1] == '\t' || line[end - 1] == '\r'))
			end--;
		if (end > lead) {
			if (t->n == cap) {
				unsigned nc = cap ? cap * 2 : 64;
				struct tr_stmt *ns = realloc(t->s, nc * sizeof *ns);
				if (!ns) {
					fail(&p, 1, "out of memory");
					goto bad;
				}
				t->s = ns;
				cap = nc;
			}
			struct tr_stmt *s = &t->s[t->n];
			memset(s, 0, sizeof *s);
			s->line = p.line;
			s->text = trim_copy(line + lead, end - lead);
			char *work = trim_copy(line + lead, end - lead);
			if (!s->text || !work) {
				free(work);
				free(s->text);
				fail(&p, 1, "out of memory");
				goto bad;
			}
			t->n++;
			int rc = parse_line(&p, work, t, s, (int)lead + 1);
			free(work);
			if (rc)
				goto bad;
		}
		line += len;
		if (*line == '\n')
			line++;
	}
	return 0;
bad:
	trace_free(t);
	return -1;
}

int trace_parse_file(const char *path, struct trace *t, char *err, size_t errlen)
{
	memset(t, 0, sizeof *t);
	FILE *f = fopen(path, "rb");
	if (!f) {
		snprintf(err, errlen, "%s:0:0: cannot open: %s", path, strerror(errno));
		return -1;
	}
	size_t cap = 4096, n = 0;
	char *buf = malloc(cap);
	while (buf) {
		size_t got = fread(buf + n, 1, cap - n - 1, f);
		n += got;
		if (n < cap - 1)
			break;
		cap *= 2;
		char *nb = realloc(buf, cap);
		if (!nb) {
			free(buf);
			buf = NULL;
		}
		buf = nb;
	}
	int ioerr = ferror(f);
	fclose(f);
	if (!buf || ioerr) {
		free(buf);
		snprintf(err, errlen, "%s:0:0: cannot read the file", path);
		return -1;
	}
	buf[n] = 0;
	if (strlen(buf) != n) {
		free(buf);
		snprintf(err, errlen, "%s:1:1: the file contains a NUL byte (not a text trace)", path);
		return -1;
	}
	int rc = trace_parse_string(path, buf, t, err, errlen);
	free(buf);
	return rc;
}
