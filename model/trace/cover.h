/* Coverage samples: one CSV record per timed statement, from which vectors/cover.py computes
 * functional coverage offline (the riscv-dv way: the model emits, Python bins and merges). */
#ifndef BOOKEDBG_COVER_H
#define BOOKEDBG_COVER_H

#include "dbg_unit.h"
#include "trace.h"

#ifdef __cplusplus
extern "C" {
#endif

/* The CSV header line (no trailing newline); columns are documented in vectors/FORMAT.md. */
extern const char cover_header[];
/* One record: the unit before and after the statement, and its result. */
void cover_sample(const struct tr_sink *out, const struct trace *t, const struct tr_stmt *s,
		  const struct dbg_unit *before, const struct dbg_unit *after,
		  const struct dbg_result *r);

#ifdef __cplusplus
}
#endif

#endif
