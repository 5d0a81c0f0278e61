/* The trace parser's statement level (parse.c), used by its file level (trace.c). Private to the
 * trace layer. */
#ifndef BOOKEDBG_TRACE_PARSE_H
#define BOOKEDBG_TRACE_PARSE_H

#include "trace.h"

struct parser {
	const char *name;
	int line;
	char *err;
	size_t errlen;
	bool timed_seen;     /* a set/exec/irq/ude statement was seen */
	bool core_seen;
	uint64_t min_cycle;  /* lower bound of the next implied cycle, for the @N check */
};

/* "NAME:LINE:COL: message" into p->err; returns -1. */
int parse_fail(struct parser *p, int col, const char *fmt, ...)
#ifdef __GNUC__
	__attribute__((format(printf, 3, 4)))
#endif
	;

/* One statement: body is its text (NUL-terminated, written into by the tokenizer), base the
 * column of its first character. Fills *s (t->n already counts it); returns 0 or -1. */
int parse_stmt(struct parser *p, char *body, int base, struct trace *t, struct tr_stmt *s);

#endif
