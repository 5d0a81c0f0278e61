/* The trace format (vectors/FORMAT.md): parsing into statements, and running them on a model. */
#ifndef BOOKEDBG_TRACE_H
#define BOOKEDBG_TRACE_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#include "dbg_unit.h"

#ifdef __cplusplus
extern "C" {
#endif

enum tr_kind { TR_CORE, TR_OPT, TR_SET, TR_EXEC, TR_IRQ, TR_UDE, TR_EXPECT };

/* expect fields besides registers */
enum tr_field { TF_REG, TF_PC, TF_DEBUG, TF_EVENTS, TF_CYCLE, TF_IRQ, TF_SQUASHED };
enum { TD_NONE, TD_TAKEN, TD_HALTED };

struct tr_pair {
	enum tr_field field;
	int reg;            /* TF_REG: enum dbg_reg_id */
	uint64_t value;     /* number, event mask, TD_*, irq kind, or 0/1 */
	int col;
};

/* One statement. The fields of the different kinds share storage (a large trace holds millions
 * of statements): read only those of s->kind. */
struct tr_stmt {
	enum tr_kind kind;
	int line;
	bool has_cycle;             /* TR_EXEC, TR_IRQ, TR_UDE */
	uint64_t cycle;
	char *text;                 /* the statement as written, comment stripped */
	union {
		struct dbg_insn insn;       /* TR_EXEC */
		enum dbg_irq_kind irq;      /* TR_IRQ */
		struct {
			int opt, optval;    /* TR_OPT */
		};
		struct {
			unsigned npairs;    /* TR_SET, TR_EXPECT */
			struct tr_pair *pairs;
		};
	};
};

struct trace {
	char *path;
	enum dbg_core core;
	uint8_t opt[DBG_OPT_COUNT];
	bool opt_set[DBG_OPT_COUNT];
	unsigned n;
	struct tr_stmt *s;
	char *store;                /* the statements' texts, in one block */
};

/* Parse a whole file or string. On error returns -1 with "FILE:LINE:COL: message" in err ("FILE:0:
 * message", the project's form for the file as a whole, when it cannot be opened or read) and
 * leaves *t empty. */
int trace_parse_file(const char *path, struct trace *t, char *err, size_t errlen);
int trace_parse_string(const char *name, const char *text, struct trace *t, char *err, size_t errlen);
void trace_free(struct trace *t);

/* Where the runner's text goes: write() receives each piece (len bytes, not NUL-terminated). A
 * caller may collect it, count it or drop it; tr_sink_file() passes it to a stdio stream. */
struct tr_sink {
	void (*write)(void *ctx, const char *text, size_t len);
	void *ctx;
};
/* A sink writing to f, and one that drops everything. */
struct tr_sink tr_sink_file(FILE *f);
struct tr_sink tr_sink_null(void);
/* Before anything runs: can an output file be written at path (its directory exists and is
 * writable, path is not a directory)? Returns 0, or -1 with "PATH: reason" in err. */
int tr_check_out_path(const char *path, char *err, size_t errlen);
/* printf into a sink. A NULL sink is standard output; a sink without write() drops the text. */
void tr_printf(const struct tr_sink *out, const char *fmt, ...)
#ifdef __GNUC__
	__attribute__((format(printf, 2, 3)))
#endif
	;

/* Told of each trace a run plays: begin() with the fresh unit (options applied) before the first
 * statement, step() after each set, exec, irq, ude and expect statement with the unit and the
 * result (for an expect: the result it checks, that of the statement before it). A run with an
 * observer records the narration (notes) in every result, printed or not. */
struct tr_observer {
	void (*begin)(void *ctx, const struct trace *t, const struct dbg_unit *u);
	void (*step)(void *ctx, const struct trace *t, const struct tr_stmt *s,
		     const struct dbg_unit *u, const struct dbg_result *r);
	void *ctx;
};

struct run_cfg {
	bool explain;        /* narrate each rule applied */
	bool quiet;          /* print only failures and the summary */
	bool opt_set[DBG_OPT_COUNT];
	uint8_t opt[DBG_OPT_COUNT];   /* --opt overrides of the defaults (a trace's opt wins) */
	const struct tr_sink *out;       /* NULL: standard output */
	const struct tr_sink *samples;   /* non-NULL: a coverage sample per timed statement (cover.h) */
	const struct tr_observer *observer;   /* non-NULL: told of every statement (the explorer) */
};

struct run_stats {
	unsigned statements, expects, failed;
};

/* A command-line "--opt NAME=VALUE" into cfg. Returns 0, or -1 with what is wrong in err (the
 * caller prints it under its own name). */
int trace_cfg_opt(struct run_cfg *cfg, const char *arg, char *err, size_t errlen);

/* The options a trace runs with: core defaults, then cfg overrides, then the trace's own. */
void trace_options(const struct trace *t, const struct run_cfg *cfg, struct dbg_opts *o);
/* Run a parsed trace on a fresh model; prints per cfg, adds to *st, returns failed expects. */
unsigned trace_run(const struct trace *t, const struct run_cfg *cfg, struct run_stats *st);

/* The statement as written, without "exec PC [@CYCLE]" for instructions (shown in columns). */
const char *trace_stmt_short(const struct tr_stmt *s);
/* Shared by the C runner and the SystemC testbench: one output line for a timed statement. */
void trace_print_line(const struct tr_sink *out, const struct trace *t, const struct tr_stmt *s,
		      const struct dbg_unit *u, const struct dbg_result *r);
/* Check an expect against the state; prints failures; returns the number of failed fields. */
unsigned trace_check_expect(const struct tr_sink *out, const struct trace *t,
			    const struct tr_stmt *s, const struct dbg_unit *u,
			    const struct dbg_result *last, bool quiet);

#ifdef __cplusplus
}
#endif

#endif
