/* The narration (bookedbg run --explain): each rule the model applies, as one line of text with
 * the section of docs/booke-debug.md it follows. Notes are recorded into struct dbg_result only
 * while narration is on (dbg_explain()); turning it on costs the fast path. */
#ifndef BOOKEDBG_DBG_EXPLAIN_H
#define BOOKEDBG_DBG_EXPLAIN_H

#include "dbg_unit.h"

#ifdef __cplusplus
extern "C" {
#endif

/* Turn narration on or off for the following statements. Returns DBG_OK or DBG_EINVAL (u NULL). */
int dbg_explain(struct dbg_unit *u, bool on);
/* Is narration on? */
bool dbg_explaining(const struct dbg_unit *u);
/* The text of a note, formatted with its arguments, into buf (always terminated); returns buf. */
const char *dbg_rule_format(const struct dbg_note *n, char *buf, unsigned len);

#ifdef __cplusplus
}
#endif

#endif
