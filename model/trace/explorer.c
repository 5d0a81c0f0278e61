/* The trace explorer (explorer.h): collects every statement of one run through struct tr_observer
 * and writes one self-contained HTML page: the step list with notes (readable without JavaScript),
 * one JSON block with the per-step data the script steps through, the waveform as inline SVG, and
 * the sections of docs/booke-debug.md the page cites. The CSS, the script and the reference are
 * data files embedded at build time (tools/bin2c.py; explorer/page.css, explorer/page.js).
 * Same input, same bytes: nothing depends on time, addresses or the environment. */
#include <errno.h>
#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "dbg_explain.h"
#include "explorer.h"

/* The embedded data files (build/gen/explorer_assets.c). */
extern const unsigned char tr_asset_page_css[], tr_asset_page_js[], tr_asset_reference[];
extern const unsigned long tr_asset_page_css_len, tr_asset_page_js_len, tr_asset_reference_len;

/* The registers the page shows, in this order (those the core has), then the PC. */
static const enum dbg_reg_id SHOW[] = {
	DBG_REG_MSR, DBG_REG_DBCR0, DBG_REG_DBCR1, DBG_REG_DBCR2, DBG_REG_DBCR4, DBG_REG_DBSR,
	DBG_REG_IAC1, DBG_REG_IAC2, DBG_REG_DAC1, DBG_REG_DAC2, DBG_REG_CSRR0, DBG_REG_CSRR1,
	DBG_REG_DSRR0, DBG_REG_DSRR1, DBG_REG_SRR0, DBG_REG_SRR1, DBG_REG_ESR, DBG_REG_EPCR,
	DBG_REG_MSRP, DBG_REG_IVPR, DBG_REG_IVOR15,
};
#define NSHOW_MAX (sizeof SHOW / sizeof SHOW[0] + 1)

/* ---- a growing text buffer ------------------------------------------------------------------ */
struct sbuf {
	char *p;
	size_t n, cap;
	bool failed;
};

static void sb_add(struct sbuf *b, const char *s, size_t len)
{
	if (b->failed)
		return;
	if (b->n + len + 1 > b->cap) {
		size_t cap = b->cap ? b->cap : 4096;
		while (cap < b->n + len + 1)
			cap *= 2;
		char *p = realloc(b->p, cap);
		if (!p) {
			b->failed = true;
			return;
		}
		b->p = p;
		b->cap = cap;
	}
	memcpy(b->p + b->n, s, len);
	b->n += len;
	b->p[b->n] = 0;
}

static void sb_str(struct sbuf *b, const char *s)
{
	sb_add(b, s, strlen(s));
}

static void sb_printf(struct sbuf *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void sb_printf(struct sbuf *b, const char *fmt, ...)
{
	char small[256];
	va_list ap;
	va_start(ap, fmt);
	int n = vsnprintf(small, sizeof small, fmt, ap);
	va_end(ap);
	if (n < 0) {
		b->failed = true;
		return;
	}
	if ((size_t)n < sizeof small) {
		sb_add(b, small, (size_t)n);
		return;
	}
	char *big = malloc((size_t)n + 1);
	if (!big) {
		b->failed = true;
		return;
	}
	va_start(ap, fmt);
	vsnprintf(big, (size_t)n + 1, fmt, ap);
	va_end(ap);
	sb_add(b, big, (size_t)n);
	free(big);
}

/* Text into HTML (element content and attribute values alike). */
static void sb_html_n(struct sbuf *b, const char *s, size_t len)
{
	size_t start = 0;
	for (size_t i = 0; i < len; i++) {
		const char *rep = NULL;
		switch (s[i]) {
		case '&': rep = "&amp;"; break;
		case '<': rep = "&lt;"; break;
		case '>': rep = "&gt;"; break;
		case '"': rep = "&quot;"; break;
		case '\'': rep = "&#39;"; break;
		default: break;
		}
		if (rep) {
			sb_add(b, s + start, i - start);
			sb_str(b, rep);
			start = i + 1;
		}
	}
	sb_add(b, s + start, len - start);
}

static void sb_html(struct sbuf *b, const char *s)
{
	sb_html_n(b, s, strlen(s));
}

/* A JSON string; <, > and & as \u escapes so that the block cannot end its <script> element. */
static void sb_json(struct sbuf *b, const char *s)
{
	sb_add(b, "\"", 1);
	for (; s && *s; s++) {
		unsigned char c = (unsigned char)*s;
		if (c == '"' || c == '\\') {
			char e[2] = { '\\', (char)c };
			sb_add(b, e, 2);
		} else if (c == '\n') {
			sb_str(b, "\\n");
		} else if (c < 0x20 || c == '<' || c == '>' || c == '&' || c == 0x7F) {
			sb_printf(b, "\\u%04x", c);
		} else {
			sb_add(b, s, 1);
		}
	}
	sb_add(b, "\"", 1);
}

static void sink_to_sbuf(void *ctx, const char *text, size_t len)
{
	sb_add(ctx, text, len);
}

static char *sb_take(struct sbuf *b)
{
	if (b->failed) {
		free(b->p);
		return NULL;
	}
	char *p = b->p ? b->p : strdup("");
	b->p = NULL;
	b->n = b->cap = 0;
	return p;
}

/* ---- what a run tells the explorer ------------------------------------------------------------ */
struct xstep {
	const struct tr_stmt *s;    /* NULL: step 0, the state before the first statement */
	uint32_t v[NSHOW_MAX];      /* the shown registers after the step, PC last */
	uint32_t events;            /* recognized by the statement (an expect: none) */
	uint64_t cycle;             /* a timed statement: its completion cycle */
	bool took_debug;            /* the statement took a debug interrupt */
	uint32_t debug_vector;      /* then: where it went */
	int debug;                  /* 0 none, 1 taken, 2 halted (as expect debug=) */
	bool halted;                /* the core is halted afterwards */
	int expect_bad;             /* an expect: failed fields; else -1 */
	char *run;                  /* bookedbg run's line(s) of the statement */
	char *notes;                /* the --explain notes, one a line */
	unsigned col;               /* waveform column */
};

struct tr_explorer {
	char *docs_base;
	const struct trace *t;
	enum dbg_core core;
	char options[512];          /* the options that differ from the core's defaults */
	enum dbg_reg_id show[NSHOW_MAX];
	unsigned nshow;             /* registers shown (the PC comes after them) */
	struct xstep *steps;
	unsigned n, cap;
	char *source;               /* the trace file's text, if readable */
	char **lines;               /* its lines (into source) */
	unsigned nlines;
	bool failed;
};

struct tr_explorer *tr_explorer_new(const char *docs_base)
{
	struct tr_explorer *x = calloc(1, sizeof *x);
	if (x && docs_base && !(x->docs_base = strdup(docs_base))) {
		free(x);
		return NULL;
	}
	return x;
}

static void clear_run(struct tr_explorer *x)
{
	for (unsigned i = 0; i < x->n; i++) {
		free(x->steps[i].run);
		free(x->steps[i].notes);
	}
	free(x->steps);
	free(x->source);
	free(x->lines);
	x->steps = NULL;
	x->n = x->cap = 0;
	x->source = NULL;
	x->lines = NULL;
	x->nlines = 0;
	x->failed = false;
	x->t = NULL;
}

void tr_explorer_free(struct tr_explorer *x)
{
	if (!x)
		return;
	clear_run(x);
	free(x->docs_base);
	free(x);
}

static unsigned core_bit(enum dbg_core c)
{
	return c == DBG_E500MC ? DBG_CORE_BIT_E500MC : DBG_CORE_BIT_E500V2;
}

/* The trace file's lines, for the source text of each statement (comments included). */
static void read_source(struct tr_explorer *x, const char *path)
{
	FILE *f = fopen(path, "rb");
	if (!f)
		return;
	struct sbuf b = { 0 };
	char chunk[4096];
	size_t got;
	while ((got = fread(chunk, 1, sizeof chunk, f)) > 0)
		sb_add(&b, chunk, got);
	fclose(f);
	x->source = sb_take(&b);
	if (!x->source)
		return;
	unsigned n = 1;
	for (const char *p = x->source; *p; p++)
		n += *p == '\n';
	x->lines = calloc(n, sizeof *x->lines);
	if (!x->lines)
		return;
	char *p = x->source;
	while (x->nlines < n) {
		x->lines[x->nlines++] = p;
		char *nl = strchr(p, '\n');
		if (!nl)
			break;
		*nl = 0;
		if (nl > p && nl[-1] == '\r')
			nl[-1] = 0;
		p = nl + 1;
	}
}

static struct xstep *new_step(struct tr_explorer *x, const struct dbg_unit *u)
{
	if (x->n == x->cap) {
		unsigned cap = x->cap ? x->cap * 2 : 64;
		struct xstep *p = realloc(x->steps, cap * sizeof *p);
		if (!p) {
			x->failed = true;
			return NULL;
		}
		x->steps = p;
		x->cap = cap;
	}
	struct xstep *st = &x->steps[x->n++];
	memset(st, 0, sizeof *st);
	st->expect_bad = -1;
	for (unsigned i = 0; i < x->nshow; i++)
		st->v[i] = dbg_get(u, x->show[i]);
	st->v[x->nshow] = dbg_pc(u);
	st->halted = dbg_halted(u);
	return st;
}

static void on_begin(void *ctx, const struct trace *t, const struct dbg_unit *u)
{
	struct tr_explorer *x = ctx;
	clear_run(x);   /* one page, one trace: the last one observed */
	x->t = t;
	x->core = dbg_core_of(u);
	x->nshow = 0;
	for (size_t i = 0; i < sizeof SHOW / sizeof SHOW[0]; i++)
		if (dbg_reg_desc[SHOW[i]].cores & core_bit(x->core))
			x->show[x->nshow++] = SHOW[i];
	/* the options that are not the core's defaults */
	struct dbg_opts def;
	const struct dbg_opts *o = dbg_get_opts(u);
	dbg_opts_default(&def, x->core);
	size_t k = 0;
	x->options[0] = 0;
	for (int i = 0; i < DBG_OPT_COUNT; i++) {
		if (o->v[i] == def.v[i])
			continue;
		char vb[32];
		int w = snprintf(x->options + k, sizeof x->options - k, "%s%s=%s", k ? " " : "",
				 dbg_opt_desc[i].name, dbg_opt_value_name(i, o->v[i], vb, sizeof vb));
		if (w < 0 || (size_t)w >= sizeof x->options - k)
			break;
		k += (size_t)w;
	}
	read_source(x, t->path);
	new_step(x, u);
}

static void on_step(void *ctx, const struct trace *t, const struct tr_stmt *s,
		    const struct dbg_unit *u, const struct dbg_result *r)
{
	struct tr_explorer *x = ctx;
	if (x->t != t || x->failed)
		return;
	struct xstep *st = new_step(x, u);
	if (!st)
		return;
	st->s = s;
	struct sbuf run = { 0 }, notes = { 0 };
	struct tr_sink sink = { sink_to_sbuf, &run };
	if (s->kind == TR_EXPECT) {
		st->expect_bad = (int)trace_check_expect(&sink, t, s, u, r, false);
	} else {
		trace_print_line(&sink, t, s, u, r);
		st->events = r->events;
		st->cycle = r->cycle;
		const struct dbg_taken *d = dbg_result_irq(r, DBG_IRQ_DEBUG);
		st->took_debug = d != NULL;
		st->debug_vector = d ? d->vector : 0;
		st->debug = r->action == DBG_ACT_HALTED || r->action == DBG_ACT_IDLE ? 2 : d ? 1 : 0;
		char buf[512];
		for (unsigned i = 0; i < r->nnotes; i++) {
			sb_str(&notes, dbg_rule_format(&r->notes[i], buf, sizeof buf));
			sb_add(&notes, "\n", 1);
		}
	}
	st->run = sb_take(&run);
	st->notes = sb_take(&notes);
	if (!st->run || !st->notes)
		x->failed = true;
}

struct tr_observer tr_explorer_observer(struct tr_explorer *x)
{
	return (struct tr_observer){ on_begin, on_step, x };
}

/* ---- helpers of the page --------------------------------------------------------------------- */
static const char *const kind_names[] = { "core", "opt", "set", "exec", "irq", "ude", "expect" };

static bool timed(const struct tr_stmt *s)
{
	return s && (s->kind == TR_EXEC || s->kind == TR_IRQ || s->kind == TR_UDE);
}

/* The source line of a statement: the file's line with its comment, else the parsed text. */
static const char *source_line(const struct tr_explorer *x, const struct tr_stmt *s)
{
	if (s->line >= 1 && (unsigned)s->line <= x->nlines) {
		const char *p = x->lines[s->line - 1];
		while (*p == ' ' || *p == '\t')
			p++;
		return p;
	}
	return s->text;
}

/* A note "TEXT  [docs/booke-debug.md#SECTION; KEYS]": where its citation starts, and the section. */
static const char *note_cite(const char *note, size_t len, char *section, size_t seclen)
{
	static const char key[] = "  [docs/booke-debug.md#";
	const char *cite = NULL;
	for (const char *p = note; (p = strstr(p, key)) && p < note + len; p++)
		cite = p;
	section[0] = 0;
	if (!cite)
		return NULL;
	const char *a = cite + sizeof key - 1;
	size_t k = 0;
	while (a < note + len && *a != ';' && *a != ']' && k + 1 < seclen)
		section[k++] = *a++;
	section[k] = 0;
	return cite;
}

/* ---- which sections of the reference the page cites ---------------------------------------- */
#define MAX_SECTIONS 64
struct sections {
	char name[MAX_SECTIONS][32];
	unsigned n;
};

static bool sec_has(const struct sections *sec, const char *name)
{
	for (unsigned i = 0; i < sec->n; i++)
		if (!strcmp(sec->name[i], name))
			return true;
	return false;
}

static const char *ref_section(const char *name, size_t *len);

/* A section the page cites, if the reference has it (only those are embedded and linked). */
static void sec_add(struct sections *sec, const char *name)
{
	size_t len;
	if (name && *name && !sec_has(sec, name) && sec->n < MAX_SECTIONS && strlen(name) < 32 &&
	    ref_section(name, &len))
		strcpy(sec->name[sec->n++], name);
}

/* The reference's text of section name: from its anchor line to the next anchor. */
static const char *ref_section(const char *name, size_t *len)
{
	const char *ref = (const char *)tr_asset_reference;
	char anchor[64];
	snprintf(anchor, sizeof anchor, "<a id=\"%s\"></a>", name);
	const char *a = strstr(ref, anchor);
	if (!a)
		return NULL;
	a += strlen(anchor);
	const char *end = strstr(a, "<a id=\"");
	*len = end ? (size_t)(end - a) : strlen(a);
	return a;
}

/* Is field f shown for the core (it holds values there, or a step set it)? */
static bool field_shown(const struct tr_explorer *x, unsigned f, unsigned reg_index)
{
	const struct dbg_field_desc *d = &dbg_field_desc[f];
	if (dbg_reg_desc[d->reg].legal[x->core] & d->mask)
		return true;
	for (unsigned i = 0; i < x->n; i++)
		if (x->steps[i].v[reg_index] & d->mask)
			return true;
	return false;
}

static void cited_sections(const struct tr_explorer *x, struct sections *sec)
{
	char name[64];
	for (unsigned i = 0; i < x->n; i++) {
		const char *p = x->steps[i].notes;
		while (p && *p) {
			const char *nl = strchr(p, '\n');
			size_t len = nl ? (size_t)(nl - p) : strlen(p);
			if (note_cite(p, len, name, sizeof name))
				sec_add(sec, name);
			p += len + (nl ? 1 : 0);
		}
	}
	for (unsigned r = 0; r < x->nshow; r++) {
		sec_add(sec, dbg_reg_doc[x->show[r]].section);
		for (unsigned f = 0; f < dbg_field_count; f++)
			if (dbg_field_desc[f].reg == x->show[r] && field_shown(x, f, r))
				sec_add(sec, dbg_field_doc[f].section);
	}
	sec_add(sec, "sources");   /* the legend of the source keys the notes cite */
}

/* A link to section name: the embedded copy, else the full reference if there is a base. */
static void sb_section_href(struct sbuf *b, const struct tr_explorer *x, const struct sections *sec,
			    const char *name)
{
	if (sec_has(sec, name))
		sb_printf(b, "#ref-%s", name);
	else if (x->docs_base) {
		sb_html(b, x->docs_base);
		sb_printf(b, "#%s", name);
	}
}

/* ---- the reference sections, rendered from their Markdown --------------------------------------- */
/* Inline Markdown: `code`, **bold**, [text](#SECTION) (a link to the embedded section or the full
 * reference), [text](other) (just the text). */
static void md_inline(struct sbuf *b, const struct tr_explorer *x, const struct sections *sec,
		      const char *s, size_t len)
{
	size_t i = 0, start = 0;
	while (i < len) {
		if (s[i] == '`') {
			const char *end = memchr(s + i + 1, '`', len - i - 1);
			if (end) {
				sb_html_n(b, s + start, i - start);
				sb_str(b, "<code>");
				sb_html_n(b, s + i + 1, (size_t)(end - s) - i - 1);
				sb_str(b, "</code>");
				i = start = (size_t)(end - s) + 1;
				continue;
			}
		} else if (s[i] == '*' && i + 1 < len && s[i + 1] == '*') {
			const char *end = NULL;
			for (size_t k = i + 2; k + 1 < len; k++)
				if (s[k] == '*' && s[k + 1] == '*') {
					end = s + k;
					break;
				}
			if (end) {
				sb_html_n(b, s + start, i - start);
				sb_str(b, "<strong>");
				md_inline(b, x, sec, s + i + 2, (size_t)(end - s) - i - 2);
				sb_str(b, "</strong>");
				i = start = (size_t)(end - s) + 2;
				continue;
			}
		} else if (s[i] == '[') {
			const char *close = memchr(s + i, ']', len - i);
			if (close && close + 1 < s + len && close[1] == '(') {
				const char *rp = memchr(close, ')', (size_t)(s + len - close));
				if (rp) {
					sb_html_n(b, s + start, i - start);
					const char *target = close + 2;
					size_t tlen = (size_t)(rp - target);
					char anchor[64] = "";
					if (target[0] == '#' && tlen < sizeof anchor) {
						memcpy(anchor, target + 1, tlen - 1);
						anchor[tlen - 1] = 0;
					}
					bool link = anchor[0] && (sec_has(sec, anchor) || x->docs_base);
					if (link) {
						sb_str(b, "<a href=\"");
						sb_section_href(b, x, sec, anchor);
						sb_str(b, "\">");
					}
					md_inline(b, x, sec, s + i + 1, (size_t)(close - s) - i - 1);
					if (link)
						sb_str(b, "</a>");
					i = start = (size_t)(rp - s) + 1;
					continue;
				}
			}
		}
		i++;
	}
	sb_html_n(b, s + start, len - start);
}

static void md_table_row(struct sbuf *b, const struct tr_explorer *x, const struct sections *sec,
			 const char *s, size_t len, bool head)
{
	sb_str(b, "<tr>");
	size_t i = 1;   /* after the leading | */
	while (i < len) {
		size_t j = i;
		while (j < len && s[j] != '|')
			j++;
		size_t a = i, e = j;
		while (a < e && s[a] == ' ')
			a++;
		while (e > a && s[e - 1] == ' ')
			e--;
		if (j < len || e > a) {
			sb_str(b, head ? "<th>" : "<td>");
			md_inline(b, x, sec, s + a, e - a);
			sb_str(b, head ? "</th>" : "</td>");
		}
		i = j + 1;
	}
	sb_str(b, "</tr>");
}

/* A section's Markdown as HTML: headings, paragraphs, lists, tables, code blocks. */
static void md_block(struct sbuf *b, const struct tr_explorer *x, const struct sections *sec,
		     const char *name, const char *text, size_t len)
{
	enum { NONE, PARA, LIST, TABLE, CODE } st = NONE;
	unsigned table_rows = 0;
	const char *end = text + len;
	static const char *const closers[] = { "", "</p>\n", "</li></ul>\n", "</table>\n", "" };
	for (const char *p = text; p < end;) {
		const char *nl = memchr(p, '\n', (size_t)(end - p));
		size_t n = nl ? (size_t)(nl - p) : (size_t)(end - p);
		const char *next = p + n + (nl ? 1 : 0);
		if (st == CODE) {
			if (n >= 3 && !strncmp(p, "```", 3)) {
				sb_str(b, "</pre>\n");
				st = NONE;
			} else {
				sb_html_n(b, p, n);
				sb_str(b, "\n");
			}
			p = next;
			continue;
		}
		bool blank = n == 0;
		bool is_table = n > 0 && p[0] == '|';
		bool is_item = n > 2 && p[0] == '-' && p[1] == ' ';
		bool is_head = n > 0 && p[0] == '#';
		bool is_fence = n >= 3 && !strncmp(p, "```", 3);
		if ((blank || is_table || is_item || is_head || is_fence) && st != NONE &&
		    !(st == TABLE && is_table)) {
			if (!(st == LIST && is_item))
				sb_str(b, closers[st]), st = NONE;
		}
		if (blank) {
		} else if (is_fence) {
			sb_str(b, "<pre>");
			st = CODE;
		} else if (is_head) {
			unsigned level = 0;
			while (level < n && p[level] == '#')
				level++;
			const char *h = p + level;
			while (h < p + n && *h == ' ')
				h++;
			unsigned hl = level + 1 > 6 ? 6 : level + 1;
			if (level <= 2)
				sb_printf(b, "<h%u id=\"ref-%s\">", hl, name);
			else
				sb_printf(b, "<h%u>", hl);
			md_inline(b, x, sec, h, (size_t)(p + n - h));
			sb_printf(b, "</h%u>\n", hl);
		} else if (is_table) {
			if (st != TABLE) {
				sb_str(b, "<table>");
				st = TABLE;
				table_rows = 0;
			}
			bool sep = true;
			for (size_t k = 0; k < n; k++)
				if (!strchr("|-: ", p[k]))
					sep = false;
			if (!sep)
				md_table_row(b, x, sec, p, n, table_rows++ == 0);
		} else if (is_item) {
			if (st == LIST)
				sb_str(b, "</li><li>");
			else {
				sb_str(b, "<ul><li>");
				st = LIST;
			}
			md_inline(b, x, sec, p + 2, n - 2);
		} else {
			if (st == NONE) {
				sb_str(b, "<p>");
				st = PARA;
			} else
				sb_str(b, "\n");
			md_inline(b, x, sec, p, n);
		}
		p = next;
	}
	if (st == CODE)
		sb_str(b, "</pre>\n");
	else
		sb_str(b, closers[st]);
}

/* ---- the page ------------------------------------------------------------------------------- */
static void write_head(struct sbuf *b, const struct tr_explorer *x)
{
	sb_str(b, "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n"
		  "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n"
		  "<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; "
		  "style-src 'unsafe-inline'; script-src 'unsafe-inline'; img-src data:\">\n"
		  "<meta name=\"generator\" content=\"bookedbg run --html\">\n<title>");
	sb_html(b, x->t->path);
	sb_str(b, " - bookedbg explorer</title>\n<style>\n");
	sb_add(b, (const char *)tr_asset_page_css, tr_asset_page_css_len);
	sb_str(b, "</style>\n</head>\n");
}

/* The leading comment lines of the trace: what it shows, in the author's words. */
static void write_header(struct sbuf *b, const struct tr_explorer *x)
{
	unsigned expects = 0, failed = 0;
	for (unsigned i = 0; i < x->n; i++)
		if (x->steps[i].expect_bad >= 0) {
			expects++;
			failed += x->steps[i].expect_bad > 0;
		}
	sb_str(b, "<body>\n<header>\n<h1><span class=\"tool\">bookedbg explorer:</span> ");
	sb_html(b, x->t->path);
	sb_str(b, "</h1>\n<p class=\"meta\">core ");
	sb_html(b, dbg_core_name(x->core));
	if (x->options[0]) {
		sb_str(b, "; options ");
		sb_html(b, x->options);
	}
	sb_printf(b, "; %u steps; %u expect%s: %u passed, %u failed</p>\n", x->n - 1, expects,
		  expects == 1 ? "" : "s", expects - failed, failed);
	struct sbuf prose = { 0 };
	for (unsigned i = 0; i < x->nlines; i++) {
		const char *p = x->lines[i];
		if (*p != '#')
			break;
		p++;
		while (*p == ' ')
			p++;
		if (prose.n)
			sb_str(&prose, " ");
		sb_str(&prose, p);
	}
	if (prose.n) {
		sb_str(b, "<p class=\"about\">");
		sb_html(b, prose.p);
		sb_str(b, "</p>\n");
	}
	free(prose.p);
	sb_str(b, "<p class=\"howto\">Step with the buttons or the keys: &#8592; &#8594; (or j k) one "
		  "step, Home End the first and last; click a statement to jump to it. Each step has "
		  "its own address (<code>#step-N</code>). Click a register field for its meaning.</p>\n"
		  "</header>\n");
}

static void write_controls(struct sbuf *b, const struct tr_explorer *x)
{
	sb_printf(b, "<nav id=\"controls\" class=\"app\" aria-label=\"step control\">\n"
		  "<button type=\"button\" id=\"first\" title=\"first step (Home)\">&#8676; first</button>\n"
		  "<button type=\"button\" id=\"prev\" title=\"previous step (&#8592; or k)\">&#8592; previous</button>\n"
		  "<span id=\"pos\" aria-live=\"polite\">step 0 of %u</span>\n"
		  "<button type=\"button\" id=\"next\" title=\"next step (&#8594; or j)\">next &#8594;</button>\n"
		  "<button type=\"button\" id=\"last\" title=\"last step (End)\">last &#8677;</button>\n"
		  "<label>go to step <input id=\"goto\" type=\"number\" min=\"0\" max=\"%u\" value=\"0\"></label>\n"
		  "</nav>\n", x->n - 1, x->n - 1);
}

/* The note's text, and its citation as a link to the embedded section. */
static void write_note(struct sbuf *b, const struct tr_explorer *x, const struct sections *sec,
		       const char *note, size_t len)
{
	char name[64];
	const char *cite = note_cite(note, len, name, sizeof name);
	sb_str(b, "<li>");
	if (!cite) {
		sb_html_n(b, note, len);
	} else {
		sb_html_n(b, note, (size_t)(cite - note));
		sb_str(b, " <a class=\"cite\" href=\"");
		sb_section_href(b, x, sec, name);
		sb_str(b, "\">");
		sb_html_n(b, cite + 2, len - (size_t)(cite + 2 - note));
		sb_str(b, "</a>");
	}
	sb_str(b, "</li>\n");
}

/* What a step changed, in words: "DBSR 0x00000000 -> 0x08000000 (+ICMP)". */
static void write_changes(struct sbuf *b, const struct tr_explorer *x, unsigned i)
{
	const struct xstep *st = &x->steps[i], *prev = &x->steps[i - 1];
	bool any = false;
	for (unsigned r = 0; r <= x->nshow; r++) {
		uint32_t a = prev->v[r], z = st->v[r];
		if (a == z)
			continue;
		sb_str(b, any ? "; " : "<p class=\"changes\">changed: ");
		any = true;
		sb_printf(b, "%s 0x%08X &#8594; 0x%08X", r < x->nshow ? dbg_reg_name(x->show[r]) : "PC",
			  a, z);
		if (r == x->nshow)
			continue;
		bool first = true;
		for (unsigned f = 0; f < dbg_field_count; f++) {
			const struct dbg_field_desc *d = &dbg_field_desc[f];
			if (d->reg != x->show[r] || !((a ^ z) & d->mask))
				continue;
			sb_str(b, first ? " (" : " ");
			first = false;
			if ((d->mask >> d->shift) > 1)
				sb_printf(b, "%s=%u", d->name, (z & d->mask) >> d->shift);
			else
				sb_printf(b, "%s%s", z & d->mask ? "+" : "-", d->name);
		}
		if (!first)
			sb_str(b, ")");
	}
	if (any)
		sb_str(b, "</p>\n");
}

static void write_steps(struct sbuf *b, const struct tr_explorer *x, const struct sections *sec)
{
	sb_str(b, "<section id=\"list\" aria-label=\"statements\">\n<h2>Statements</h2>\n"
		  "<ol id=\"steps\" start=\"0\">\n");
	for (unsigned i = 0; i < x->n; i++) {
		const struct xstep *st = &x->steps[i];
		const char *kind = st->s ? kind_names[st->s->kind] : "start";
		sb_printf(b, "<li id=\"step-%u\" class=\"step %s%s%s%s\" data-step=\"%u\">", i, kind,
			  st->took_debug ? " debug" : "", st->expect_bad > 0 ? " failed" : "",
			  st->expect_bad == 0 ? " ok" : "", i);
		sb_printf(b, "<a class=\"go\" href=\"#step-%u\"><span class=\"n\">%u</span> ", i, i);
		if (st->s) {
			sb_str(b, "<span class=\"loc\">");
			sb_html(b, x->t->path);
			sb_printf(b, ":%d</span></a> <code class=\"src\">", st->s->line);
			sb_html(b, source_line(x, st->s));
			sb_str(b, "</code>");
		} else {
			sb_str(b, "<span class=\"loc\">start</span></a> <span class=\"src\">a fresh ");
			sb_html(b, dbg_core_name(x->core));
			sb_str(b, ", before the first statement</span>");
		}
		if (st->expect_bad == 0)
			sb_str(b, " <span class=\"badge ok\">ok</span>");
		else if (st->expect_bad > 0)
			sb_str(b, " <span class=\"badge failed\">failed</span>");
		if (st->debug == 1)
			sb_str(b, " <span class=\"badge irq\">debug interrupt</span>");
		else if (st->debug == 2)
			sb_str(b, " <span class=\"badge irq\">halted</span>");
		sb_str(b, "\n<div class=\"detail\">");
		if (st->run && *st->run) {
			sb_str(b, "<pre class=\"run\">");
			sb_html(b, st->run);
			sb_str(b, "</pre>\n");
		}
		if (st->notes && *st->notes) {
			sb_str(b, "<ul class=\"notes\">\n");
			for (const char *p = st->notes; *p;) {
				const char *nl = strchr(p, '\n');
				size_t len = nl ? (size_t)(nl - p) : strlen(p);
				write_note(b, x, sec, p, len);
				p += len + (nl ? 1 : 0);
			}
			sb_str(b, "</ul>\n");
		}
		if (i)
			write_changes(b, x, i);
		sb_str(b, "</div></li>\n");
	}
	sb_str(b, "</ol>\n</section>\n");
}

static void write_panels(struct sbuf *b)
{
	sb_str(b, "<section id=\"narration\" class=\"app\" aria-label=\"what the model did\">\n"
		  "<h2>Step <span id=\"now-step\">0</span>: what the model did</h2>\n"
		  "<p id=\"now-src\"></p>\n<pre id=\"now-run\"></pre>\n<ul id=\"now-notes\"></ul>\n"
		  "<p id=\"now-changes\"></p>\n<ul id=\"now-checks\" aria-label=\"checked by\"></ul>\n"
		  "</section>\n"
		  "<section id=\"state\" class=\"app\" aria-label=\"registers\">\n"
		  "<h2>Registers after step <span id=\"reg-step\">0</span></h2>\n"
		  "<p id=\"gate\"></p>\n<div id=\"regs\"></div>\n"
		  "<div id=\"field-info\" role=\"status\" aria-live=\"polite\"></div>\n</section>\n");
}

/* ---- the waveform --------------------------------------------------------------------------- */
enum { W_LEFT = 92, W_COL = 84, W_ROW = 24, W_TOP = 44 };

struct wcol {
	uint64_t cycle;
	unsigned last;          /* the last step in the column */
	unsigned first;         /* the first step in it */
	bool debug_irq;
	uint32_t events;
	uint32_t vector;        /* the last debug vector so far */
	bool halted;
};

static unsigned reg_index(const struct tr_explorer *x, enum dbg_reg_id r)
{
	for (unsigned i = 0; i < x->nshow; i++)
		if (x->show[i] == r)
			return i;
	return x->nshow;   /* not shown: the PC's slot (never asked for a register the core lacks) */
}

/* Steps into columns: step 0 and the statements before the first timed one in column 0; a timed
 * statement opens a column for a cycle after the current one; set and expect stay where they are. */
static struct wcol *columns(struct tr_explorer *x, unsigned *ncol)
{
	struct wcol *c = calloc(x->n, sizeof *c);
	if (!c)
		return NULL;
	unsigned n = 1;
	uint32_t vector = 0;
	for (unsigned i = 0; i < x->n; i++) {
		struct xstep *st = &x->steps[i];
		if (timed(st->s)) {
			uint64_t cyc = st->cycle;
			if (cyc > c[n - 1].cycle) {
				c[n].cycle = cyc;
				c[n].first = i;
				n++;
			}
		}
		struct wcol *w = &c[n - 1];
		st->col = n - 1;
		w->last = i;
		w->debug_irq |= st->took_debug;
		w->events |= st->events;
		if (st->took_debug)
			vector = st->debug_vector;
		w->vector = vector;
		w->halted = st->halted;
	}
	*ncol = n;
	return c;
}

static void names_of(enum dbg_reg_id reg, uint32_t v, char *buf, size_t len)
{
	size_t k = 0;
	buf[0] = 0;
	for (unsigned f = 0; f < dbg_field_count && v; f++) {
		const struct dbg_field_desc *d = &dbg_field_desc[f];
		if (d->reg != reg || !(v & d->mask))
			continue;
		int w = snprintf(buf + k, len - k, "%s%s", k ? "," : "", d->name);
		if (w < 0 || (size_t)w >= len - k)
			break;
		k += (size_t)w;
	}
}

static void svg_text(struct sbuf *b, int xpos, int y, const char *cls, const char *text,
		     size_t maxch)
{
	size_t len = strlen(text);
	sb_printf(b, "<text x=\"%d\" y=\"%d\"%s%s%s>", xpos, y, cls ? " class=\"" : "", cls ? cls : "",
		  cls ? "\"" : "");
	if (len > maxch) {
		sb_str(b, "<title>");
		sb_html(b, text);
		sb_str(b, "</title>");
		sb_html_n(b, text, maxch - 1);
		sb_str(b, "&#8230;");
	} else
		sb_html(b, text);
	sb_str(b, "</text>");
}

/* A row: bits as a line high or low, values as boxes with the value where it changes, names as
 * text per column. */
enum wkind { WBIT, WBUS, WNAMES };

static void svg_row(struct sbuf *b, unsigned ncol, unsigned row, const char *label,
		    enum wkind kind, const uint32_t *val, enum dbg_reg_id names)
{
	int y0 = W_TOP + (int)row * W_ROW, mid = y0 + W_ROW / 2;
	sb_str(b, "<g class=\"row\">");
	svg_text(b, 6, mid + 4, "label", label, 14);
	if (kind == WBIT) {
		sb_str(b, "<polyline class=\"bit\" points=\"");
		for (unsigned k = 0; k < ncol; k++) {
			int y = val[k] ? y0 + 5 : y0 + W_ROW - 5;
			int xa = W_LEFT + (int)k * W_COL, xb = xa + W_COL;
			sb_printf(b, "%d,%d %d,%d ", xa, y, xb, y);
		}
		sb_str(b, "\"/>");
	} else if (kind == WBUS) {
		for (unsigned k = 0; k < ncol;) {
			unsigned e = k + 1;
			while (e < ncol && val[e] == val[k])
				e++;
			int xa = W_LEFT + (int)k * W_COL + 2, xb = W_LEFT + (int)e * W_COL - 2;
			sb_printf(b, "<polygon class=\"bus%s\" points=\"%d,%d %d,%d %d,%d %d,%d %d,%d %d,%d\"/>",
				  val[k] ? "" : " zero", xa, mid, xa + 4, y0 + 4, xb - 4, y0 + 4, xb, mid,
				  xb - 4, y0 + W_ROW - 4, xa + 4, y0 + W_ROW - 4);
			char hex[16];
			snprintf(hex, sizeof hex, "0x%08X", val[k]);
			svg_text(b, xa + 6, mid + 4, NULL, hex, 12);
			k = e;
		}
	} else {
		for (unsigned k = 0; k < ncol; k++) {
			char buf[160];
			names_of(names, val[k], buf, sizeof buf);
			if (buf[0])
				svg_text(b, W_LEFT + (int)k * W_COL + 4, mid + 4, "names", buf, 13);
		}
	}
	sb_str(b, "</g>\n");
}

static void write_wave(struct sbuf *b, struct tr_explorer *x)
{
	unsigned ncol;
	struct wcol *c = columns(x, &ncol);
	uint32_t *val = c ? calloc(ncol, sizeof *val) : NULL;
	if (!val) {
		free(c);
		x->failed = true;
		return;
	}
	enum dbg_reg_id s0 = DBG_REG_CSRR0, s1 = DBG_REG_CSRR1;
	dbg_save_regs(x->core, DBG_IRQ_DEBUG, &s0, &s1);
	bool halts = false;
	for (unsigned k = 0; k < ncol; k++)
		halts |= c[k].halted;
	unsigned rows = 11 + halts;
	int width = W_LEFT + (int)ncol * W_COL + 8, height = W_TOP + (int)rows * W_ROW + 8;
	sb_str(b, "<section id=\"wave\" aria-label=\"waveform\">\n<h2>Waveform</h2>\n"
		  "<p class=\"hint\">One column per completion cycle (<code>set</code> statements in the "
		  "column where they happen), the state at the end of the cycle: the signals "
		  "<code>bookedbg-sc run --vcd</code> writes. The shaded column is the current step's (a click on a column goes to its first statement).</p>\n"
		  "<div class=\"scroll\">\n");
	sb_printf(b, "<svg xmlns=\"http://www.w3.org/2000/svg\" id=\"wave-svg\" width=\"%d\" height=\"%d\" "
		  "viewBox=\"0 0 %d %d\" role=\"img\" aria-label=\"waveform of the run\">\n",
		  width, height, width, height);
	sb_printf(b, "<rect id=\"wave-cursor\" class=\"cursor\" x=\"%d\" y=\"0\" width=\"%d\" height=\"%d\"/>\n",
		  W_LEFT, W_COL, height);
	/* column heads: the cycle and the statements in it */
	for (unsigned k = 0; k < ncol; k++) {
		int xa = W_LEFT + (int)k * W_COL;
		sb_printf(b, "<g class=\"col\" data-col=\"%u\" data-step=\"%u\">", k, c[k].first);
		sb_printf(b, "<line class=\"grid%s\" x1=\"%d\" y1=\"4\" x2=\"%d\" y2=\"%d\"/>",
			  k && c[k].cycle > c[k - 1].cycle + 1 ? " gap" : "", xa, xa, height - 4);
		char head[32];
		if (k)
			snprintf(head, sizeof head, "@%" PRIu64, c[k].cycle);
		else
			snprintf(head, sizeof head, "start");
		svg_text(b, xa + 4, 14, "cycle", head, 13);
		struct sbuf what = { 0 };
		for (unsigned i = k ? c[k].first : 1; i <= c[k].last && i < x->n; i++) {
			const struct tr_stmt *s = x->steps[i].s;
			if (!s || s->kind == TR_EXPECT)
				continue;
			if (what.n)
				sb_str(&what, " | ");
			sb_str(&what, trace_stmt_short(s));
		}
		if (what.n)
			svg_text(b, xa + 4, 30, timed(x->steps[c[k].last].s) || k ? "stmt" : "stmt set",
				 what.p, 13);
		free(what.p);
		sb_str(b, "</g>\n");
	}
	unsigned row = 0;
#define FILL(expr) for (unsigned k = 0; k < ncol; k++) { const struct xstep *st = &x->steps[c[k].last]; \
		(void)st; val[k] = (expr); }
	FILL(c[k].debug_irq)
	svg_row(b, ncol, row++, "debug_irq", WBIT, val, DBG_REG_DBSR);
	FILL(c[k].events != 0)
	svg_row(b, ncol, row++, "event", WBIT, val, DBG_REG_DBSR);
	FILL(c[k].events)
	svg_row(b, ncol, row++, "events", WNAMES, val, DBG_REG_DBSR);
	FILL((st->v[reg_index(x, DBG_REG_MSR)] & MSR_DE) != 0)
	svg_row(b, ncol, row++, "MSR[DE]", WBIT, val, DBG_REG_MSR);
	FILL(st->v[reg_index(x, DBG_REG_DBSR)])
	svg_row(b, ncol, row++, "DBSR", WBUS, val, DBG_REG_DBSR);
	svg_row(b, ncol, row++, "DBSR bits", WNAMES, val, DBG_REG_DBSR);
	FILL(st->v[reg_index(x, DBG_REG_DBCR0)])
	svg_row(b, ncol, row++, "DBCR0", WBUS, val, DBG_REG_DBCR0);
	FILL(st->v[x->nshow])
	svg_row(b, ncol, row++, "PC", WBUS, val, DBG_REG_DBSR);
	FILL(st->v[reg_index(x, s0)])
	svg_row(b, ncol, row++, dbg_reg_name(s0), WBUS, val, DBG_REG_DBSR);
	FILL(st->v[reg_index(x, s1)])
	svg_row(b, ncol, row++, dbg_reg_name(s1), WBUS, val, DBG_REG_DBSR);
	FILL(c[k].vector)
	svg_row(b, ncol, row++, "vector", WBUS, val, DBG_REG_DBSR);
	if (halts) {
		FILL(c[k].halted)
		svg_row(b, ncol, row++, "halted", WBIT, val, DBG_REG_DBSR);
	}
#undef FILL
	sb_str(b, "</svg>\n</div>\n</section>\n");
	free(val);
	free(c);
}

/* ---- the data the script steps through ----------------------------------------------------- */
static void write_json(struct sbuf *b, const struct tr_explorer *x, const struct sections *sec)
{
	sb_str(b, "<script type=\"application/json\" id=\"trace-data\">\n{\"file\":");
	sb_json(b, x->t->path);
	sb_str(b, ",\"core\":");
	sb_json(b, dbg_core_name(x->core));
	sb_str(b, ",\"sections\":[");
	for (unsigned i = 0; i < sec->n; i++) {
		if (i)
			sb_str(b, ",");
		sb_json(b, sec->name[i]);
	}
	sb_str(b, "],\"docs_base\":");
	if (x->docs_base)
		sb_json(b, x->docs_base);
	else
		sb_str(b, "null");
	sb_str(b, ",\n\"regs\":[");
	for (unsigned r = 0; r <= x->nshow; r++) {
		sb_str(b, r ? ",\n" : "\n");
		if (r == x->nshow) {
			sb_str(b, "{\"name\":\"PC\",\"section\":\"delivery\",\"meaning\":\"the next "
				  "instruction the core attempts\",\"fields\":[]}");
			break;
		}
		const struct dbg_doc *d = &dbg_reg_doc[x->show[r]];
		sb_str(b, "{\"name\":");
		sb_json(b, dbg_reg_name(x->show[r]));
		sb_str(b, ",\"section\":");
		sb_json(b, d->section ? d->section : "registers");
		sb_str(b, ",\"meaning\":");
		sb_json(b, d->meaning ? d->meaning : "");
		sb_str(b, ",\"fields\":[");
		bool first = true;
		for (unsigned f = 0; f < dbg_field_count; f++) {
			const struct dbg_field_desc *fd = &dbg_field_desc[f];
			if (fd->reg != x->show[r] || !field_shown(x, f, r))
				continue;
			unsigned width = 0;
			for (uint32_t m = fd->mask >> fd->shift; m; m >>= 1)
				width++;
			sb_str(b, first ? "" : ",");
			first = false;
			sb_str(b, "{\"name\":");
			sb_json(b, fd->name);
			sb_printf(b, ",\"msb\":%u,\"lsb\":%u,\"mask\":%" PRIu32 ",\"shift\":%u,\"section\":",
				  63 - fd->shift - width + 1, 63 - fd->shift, fd->mask, fd->shift);
			sb_json(b, dbg_field_doc[f].section ? dbg_field_doc[f].section : "registers");
			sb_str(b, ",\"meaning\":");
			sb_json(b, dbg_field_doc[f].meaning ? dbg_field_doc[f].meaning : "");
			sb_str(b, "}");
		}
		sb_str(b, "]}");
	}
	sb_str(b, "],\n\"steps\":[");
	for (unsigned i = 0; i < x->n; i++) {
		const struct xstep *st = &x->steps[i];
		sb_str(b, i ? ",\n" : "\n");
		sb_printf(b, "{\"kind\":\"%s\",\"line\":%d,\"col\":%u,\"debug\":%d,\"expect\":%d,\"src\":",
			  st->s ? kind_names[st->s->kind] : "start", st->s ? st->s->line : 0, st->col,
			  st->debug, st->expect_bad);
		sb_json(b, st->s ? source_line(x, st->s) : "");
		sb_str(b, ",\"run\":");
		sb_json(b, st->run ? st->run : "");
		sb_str(b, ",\"notes\":[");
		bool first = true;
		for (const char *p = st->notes; p && *p;) {
			const char *nl = strchr(p, '\n');
			size_t len = nl ? (size_t)(nl - p) : strlen(p);
			char name[64], *note = strndup(p, len);
			const char *cite = note ? note_cite(note, len, name, sizeof name) : NULL;
			if (note) {
				sb_str(b, first ? "[" : ",[");
				first = false;
				if (cite)
					note[cite - note] = 0;
				sb_json(b, note);
				sb_str(b, ",");
				sb_json(b, cite ? cite + 2 : "");
				sb_str(b, ",");
				sb_json(b, name);
				sb_str(b, "]");
				free(note);
			} else
				b->failed = true;
			p += len + (nl ? 1 : 0);
		}
		sb_str(b, "],\"v\":[");
		for (unsigned r = 0; r <= x->nshow; r++)
			sb_printf(b, "%s%" PRIu32, r ? "," : "", st->v[r]);
		sb_str(b, "]}");
	}
	sb_str(b, "]}\n</script>\n");
}

static void write_reference(struct sbuf *b, const struct tr_explorer *x, const struct sections *sec)
{
	sb_str(b, "<section id=\"reference\" aria-label=\"rules cited\">\n<h2>The rules this page cites</h2>\n"
		  "<p class=\"hint\">From <code>docs/booke-debug.md</code>, the model's rules reference");
	if (x->docs_base) {
		sb_str(b, " (<a href=\"");
		sb_html(b, x->docs_base);
		sb_str(b, "\">the whole page</a>)");
	}
	sb_str(b, ". Every note of the narration ends with the section it follows and its sources.</p>\n");
	for (unsigned i = 0; i < sec->n; i++) {
		size_t len;
		const char *text = ref_section(sec->name[i], &len);
		if (!text)
			continue;
		sb_printf(b, "<section class=\"ref\" id=\"sec-%s\">\n", sec->name[i]);
		md_block(b, x, sec, sec->name[i], text, len);
		if (x->docs_base) {
			sb_str(b, "<p class=\"full\"><a href=\"");
			sb_html(b, x->docs_base);
			sb_printf(b, "#%s\">docs/booke-debug.md#%s</a></p>\n", sec->name[i], sec->name[i]);
		}
		sb_str(b, "</section>\n");
	}
	sb_str(b, "</section>\n");
}

int tr_explorer_write(struct tr_explorer *x, const struct tr_sink *out)
{
	if (!x || !x->t || !x->n || x->failed)
		return -1;
	struct sbuf b = { 0 };
	struct sections sec;
	sec.n = 0;
	cited_sections(x, &sec);
	write_head(&b, x);
	write_header(&b, x);
	write_controls(&b, x);
	sb_str(&b, "<main>\n");
	write_steps(&b, x, &sec);
	write_panels(&b);
	sb_str(&b, "</main>\n");
	write_wave(&b, x);
	write_reference(&b, x, &sec);
	write_json(&b, x, &sec);
	sb_str(&b, "<script>\n");
	sb_add(&b, (const char *)tr_asset_page_js, tr_asset_page_js_len);
	sb_str(&b, "</script>\n</body>\n</html>\n");
	if (b.failed || x->failed) {
		free(b.p);
		return -1;
	}
	if (out && out->write)
		out->write(out->ctx, b.p, b.n);
	free(b.p);
	return 0;
}

/* ---- files ---------------------------------------------------------------------------------- */
static void file_sink(void *ctx, const char *text, size_t len)
{
	fwrite(text, 1, len, (FILE *)ctx);   /* an error shows in ferror() at the end */
}

int tr_explorer_save(struct tr_explorer *x, const char *path, char *err, size_t errlen)
{
	char tmp[4200];
	snprintf(tmp, sizeof tmp, "%s.tmp%ld", path, (long)getpid());
	FILE *f = fopen(tmp, "wb");
	if (!f) {
		snprintf(err, errlen, "%s: %s", path, strerror(errno));
		return -1;
	}
	struct tr_sink sink = { file_sink, f };
	int rc = tr_explorer_write(x, &sink);
	int werr = ferror(f);
	if (fclose(f) || werr || rc) {
		snprintf(err, errlen, "%s: %s", path, rc ? "the page could not be made (out of memory?)"
							 : "write error");
		remove(tmp);
		return -1;
	}
	if (rename(tmp, path)) {
		snprintf(err, errlen, "%s: %s", path, strerror(errno));
		remove(tmp);
		return -1;
	}
	return 0;
}
