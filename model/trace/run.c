/* Running a parsed trace on a fresh model: one output line per statement, expect checking, and the
 * --explain narration. */
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include "cover.h"
#include "dbg_explain.h"
#include "trace.h"

int trace_cfg_opt(struct run_cfg *cfg, const char *arg, char *err, size_t errlen)
{
	char name[64];
	const char *eqs = strchr(arg, '=');
	if (!eqs || eqs == arg || (size_t)(eqs - arg) >= sizeof name) {
		snprintf(err, errlen, "--opt takes NAME=VALUE, got '%s'", arg);
		return -1;
	}
	memcpy(name, arg, (size_t)(eqs - arg));
	name[eqs - arg] = 0;
	int id = dbg_opt_find(name);
	if (id < 0) {
		snprintf(err, errlen, "unknown option '%s' (see bookedbg options)", name);
		return -1;
	}
	int v = dbg_opt_parse_value(id, eqs + 1);
	if (v < 0) {
		snprintf(err, errlen, "option %s has no value '%s'", dbg_opt_desc[id].name, eqs + 1);
		return -1;
	}
	cfg->opt_set[id] = true;
	cfg->opt[id] = (uint8_t)v;
	return 0;
}

void trace_options(const struct trace *t, const struct run_cfg *cfg, struct dbg_opts *o)
{
	dbg_opts_default(o, t->core);
	for (int i = 0; i < DBG_OPT_COUNT; i++) {
		if (cfg && cfg->opt_set[i])
			o->v[i] = cfg->opt[i];
		if (t->opt_set[i])
			o->v[i] = t->opt[i];
	}
}

static const char *save_reg(const struct dbg_unit *u, enum dbg_irq_kind k)
{
	enum dbg_reg_id s0;
	return dbg_save_regs(dbg_core_of(u), k, &s0, NULL) == DBG_OK ? dbg_reg_name(s0) : NULL;
}

static void action_text(const struct dbg_unit *u, const struct dbg_result *r, char *buf, size_t len)
{
	size_t n = 0;
	buf[0] = 0;
#define ADD(...) do { int w_ = snprintf(buf + n, len - n, __VA_ARGS__); \
		if (w_ > 0 && (size_t)w_ < len - n) n += (size_t)w_; } while (0)
	if (r->slip)
		ADD("completes late; ");
	switch (r->action) {
	case DBG_ACT_SQUASHED: ADD("squashed by the older instruction's interrupt"); return;
	case DBG_ACT_IDLE: ADD("core halted: not attempted"); return;
	default: break;
	}
	for (unsigned i = 0; i < r->nirq; i++) {
		const struct dbg_taken *k = &r->irq[i];
		const char *sr = save_reg(u, k->kind);
		if (i)
			ADD("; ");
		if (sr)
			ADD("%s interrupt %s=0x%08X -> 0x%08X", dbg_irq_name(k->kind), sr, k->saved_pc,
			    k->vector);
		else
			ADD("%s -> 0x%08X", dbg_irq_name(k->kind), k->vector);
	}
	if (r->action == DBG_ACT_HALTED)
		ADD("%shalted for the external debugger at 0x%08X", r->nirq ? "; " : "", dbg_pc(u));
	if (!n)
		ADD("-");
#undef ADD
}

const char *trace_stmt_short(const struct tr_stmt *s)
{
	const char *p = s->text;
	if (s->kind != TR_EXEC)
		return p;
	for (int skip = 0; skip < 3 && *p; skip++) {
		const char *q = p;
		while (*q && *q != ' ' && *q != '\t')
			q++;
		while (*q == ' ' || *q == '\t')
			q++;
		if (skip == 2 && *p != '@')
			break;
		p = q;
	}
	return p;
}

void trace_print_line(const struct tr_sink *out, const struct trace *t, const struct tr_stmt *s,
		      const struct dbg_unit *u, const struct dbg_result *r)
{
	char loc[300], ev[96], act[300], cyc[32], pc[16], val[32] = "";
	snprintf(loc, sizeof loc, "%s:%d", t->path, s->line);
	if (s->kind == TR_EXEC || s->kind == TR_IRQ || s->kind == TR_UDE)
		snprintf(cyc, sizeof cyc, "@%" PRIu64, r->cycle);
	else
		snprintf(cyc, sizeof cyc, "-");
	if (s->kind == TR_EXEC)
		snprintf(pc, sizeof pc, "0x%08X", s->insn.pc);
	else
		snprintf(pc, sizeof pc, "-");
	if (s->kind == TR_EXEC && s->insn.kind == DBG_I_MFSPR && r->action != DBG_ACT_SQUASHED)
		snprintf(val, sizeof val, " (read 0x%08X)", r->value);
	action_text(u, r, act, sizeof act);
	tr_printf(out, "%s  %-5s %-10s %-22s events=%-10s dbsr=0x%08X  %s%s\n", loc, cyc, pc,
		trace_stmt_short(s), dbg_events_str(r->events, ev, sizeof ev), r->dbsr, act, val);
}

static void print_notes(const struct tr_sink *out, const struct dbg_result *r)
{
	char buf[512];
	for (unsigned i = 0; i < r->nnotes; i++)
		tr_printf(out, "    - %s\n", dbg_rule_format(&r->notes[i], buf, sizeof buf));
}

static int debug_state(const struct dbg_result *r)
{
	if (r->action == DBG_ACT_HALTED || r->action == DBG_ACT_IDLE)
		return TD_HALTED;
	return dbg_result_irq(r, DBG_IRQ_DEBUG) ? TD_TAKEN : TD_NONE;
}

static const char *const debug_words[] = { "none", "taken", "halted" };

unsigned trace_check_expect(const struct tr_sink *out, const struct trace *t,
			    const struct tr_stmt *s, const struct dbg_unit *u,
			    const struct dbg_result *last, bool quiet)
{
	unsigned bad = 0;
	char msg[512], a[96], b[96];
	for (unsigned i = 0; i < s->npairs; i++) {
		const struct tr_pair *p = &s->pairs[i];
		uint64_t got = 0;
		const char *field = "";
		switch (p->field) {
		case TF_REG: got = dbg_get(u, (enum dbg_reg_id)p->reg);
			field = dbg_reg_desc[p->reg].name; break;
		case TF_PC: got = dbg_pc(u); field = "pc"; break;
		case TF_DEBUG: got = (uint64_t)debug_state(last); field = "debug"; break;
		case TF_EVENTS: got = last->events; field = "events"; break;
		case TF_CYCLE: got = last->cycle; field = "cycle"; break;
		case TF_IRQ: got = last->nirq ? last->irq[last->nirq - 1].kind : DBG_IRQ_NONE;
			field = "irq"; break;
		case TF_SQUASHED: got = last->action == DBG_ACT_SQUASHED; field = "squashed"; break;
		}
		if (got == p->value)
			continue;
		bad++;
		switch (p->field) {
		case TF_DEBUG:
			snprintf(a, sizeof a, "%s", debug_words[p->value]);
			snprintf(b, sizeof b, "%s", debug_words[got]);
			break;
		case TF_EVENTS:
			dbg_events_str((uint32_t)p->value, a, sizeof a);
			dbg_events_str((uint32_t)got, b, sizeof b);
			break;
		case TF_CYCLE:
			snprintf(a, sizeof a, "%" PRIu64, p->value);
			snprintf(b, sizeof b, "%" PRIu64, got);
			break;
		case TF_IRQ:
			snprintf(a, sizeof a, "%s", dbg_irq_name((enum dbg_irq_kind)p->value));
			snprintf(b, sizeof b, "%s", dbg_irq_name((enum dbg_irq_kind)got));
			break;
		case TF_SQUASHED:
			snprintf(a, sizeof a, "%s", p->value ? "yes" : "no");
			snprintf(b, sizeof b, "%s", got ? "yes" : "no");
			break;
		default:
			snprintf(a, sizeof a, "0x%08" PRIX64, p->value);
			snprintf(b, sizeof b, "0x%08" PRIX64, got);
			break;
		}
		char lower[32];
		size_t k;
		for (k = 0; field[k] && k < sizeof lower - 1; k++)
			lower[k] = (char)(field[k] >= 'A' && field[k] <= 'Z' ? field[k] + 32 : field[k]);
		lower[k] = 0;
		snprintf(msg, sizeof msg, "%s:%d: expected %s=%s, got %s", t->path, s->line, lower, a, b);
		tr_printf(out, "%s\n", msg);
	}
	if (!bad && !quiet)
		tr_printf(out, "%s:%d  %s: ok\n", t->path, s->line, s->text);
	return bad;
}

/* A set statement: the back door, then a result that shows only DBSR. */
static void run_set(struct dbg_unit *u, const struct tr_stmt *s, struct dbg_result *r)
{
	for (unsigned k = 0; k < s->npairs; k++) {
		if (s->pairs[k].field == TF_PC)
			dbg_set_pc(u, (uint32_t)s->pairs[k].value);
		else
			dbg_set(u, (enum dbg_reg_id)s->pairs[k].reg, (uint32_t)s->pairs[k].value);
	}
	dbg_result_clear(r, 0);
	r->dbsr = dbg_get(u, DBG_REG_DBSR);
}

/* A set, exec, irq or ude statement into *r; returns the model's status. *next: the implied
 * cycle of the next timed statement. */
static int run_stmt(struct dbg_unit *u, const struct tr_stmt *s, uint64_t *next,
		    struct dbg_result *r)
{
	uint64_t cyc = dbg_not_before_last(u, s->has_cycle ? s->cycle : *next);
	int status = DBG_OK;
	switch (s->kind) {
	case TR_SET:
		run_set(u, s, r);
		return DBG_OK;
	case TR_EXEC:
		status = dbg_exec(u, cyc, &s->insn, r);
		break;
	case TR_IRQ:
		status = dbg_irq(u, cyc, s->irq, r);
		break;
	default:
		status = dbg_ude(u, cyc, r);
		break;
	}
	*next = r->cycle + 1;
	return status;
}

/* What a statement's result shows: a refusal, a coverage sample, its line and its narration. */
static void report(const struct trace *t, const struct run_cfg *cfg, const struct tr_stmt *s,
		   const struct dbg_unit *before, const struct dbg_unit *u,
		   const struct dbg_result *r, int status)
{
	if (status != DBG_OK)   /* the parser lets nothing through that the model refuses: say so */
		tr_printf(cfg->out, "%s:%d: the model refused the statement: %s\n", t->path, s->line,
			  dbg_strerror(status));
	if (cfg->samples && s->kind != TR_SET)
		cover_sample(cfg->samples, t, s, before, u, r);
	if (!cfg->quiet) {
		trace_print_line(cfg->out, t, s, u, r);
		if (cfg->explain)
			print_notes(cfg->out, r);
	}
}

/* Each statement's result goes into one of two buffers, the other keeps the previous one for
 * expect: no copy of a result (notes included) per statement. */
unsigned trace_run(const struct trace *t, const struct run_cfg *cfg, struct run_stats *st)
{
	struct dbg_unit u, before;
	struct dbg_result res[2];
	struct dbg_result *last = &res[0], *r = &res[1];
	struct dbg_opts o;
	unsigned failed = 0;
	uint64_t next = 1;

	dbg_init(&u, t->core);
	trace_options(t, cfg, &o);
	dbg_set_opts(&u, &o);
	dbg_explain(&u, cfg->explain || cfg->observer);
	memset(last, 0, sizeof *last);
	const struct tr_observer *obs = cfg->observer;
	if (obs && obs->begin)
		obs->begin(obs->ctx, t, &u);
	for (unsigned i = 0; i < t->n; i++) {
		const struct tr_stmt *s = &t->s[i];
		if (s->kind == TR_CORE || s->kind == TR_OPT)
			continue;
		if (s->kind == TR_EXPECT) {
			st->expects++;
			if (trace_check_expect(cfg->out, t, s, &u, last, cfg->quiet)) {
				failed++;
				st->failed++;
			}
			if (obs && obs->step)
				obs->step(obs->ctx, t, s, &u, last);
			continue;
		}
		if (cfg->samples)
			before = u;
		int status = run_stmt(&u, s, &next, r);
		if (status != DBG_OK) {
			failed++;
			st->failed++;
		}
		st->statements++;
		report(t, cfg, s, &before, &u, r, status);
		if (obs && obs->step)
			obs->step(obs->ctx, t, s, &u, r);
		struct dbg_result *done = r;
		r = last;
		last = done;
	}
	return failed;
}
