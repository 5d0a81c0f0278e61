/* The trace explorer (bookedbg run --html): one self-contained HTML page per trace in which a
 * reader steps through the statements, forward and back, and sees the debug registers as named bit
 * fields (the bits a step changed marked), the --explain notes with the rules they cite, and the
 * waveform of the whole run with a cursor at the current step. Inline CSS, JavaScript and SVG; no
 * request leaves the page. Without JavaScript the page still lists every step with its notes.
 *
 * The runner feeds it through struct tr_observer (trace.h): trace_run() in C, the SystemC player
 * in bookedbg-sc, so both write the same bytes for the same run. */
#ifndef BOOKEDBG_EXPLORER_H
#define BOOKEDBG_EXPLORER_H

#include "trace.h"

#ifdef __cplusplus
extern "C" {
#endif

struct tr_explorer;

/* A page is for reading step by step: a trace of more statements is refused (the front ends check
 * it after parsing, before anything runs). */
#define TR_EXPLORER_MAX_STATEMENTS 5000u

/* A collector for one trace. docs_base: NULL, or the address of docs/booke-debug.md to link each
 * embedded rule section to (e.g. "../booke-debug.md" or an https URL); the sections the page cites
 * are embedded in it either way. NULL when out of memory. */
struct tr_explorer *tr_explorer_new(const char *docs_base);
void tr_explorer_free(struct tr_explorer *x);
/* The observer to put in run_cfg.observer (valid while x lives). */
struct tr_observer tr_explorer_observer(struct tr_explorer *x);
/* The page of the trace observed, into a sink. Returns 0, or -1 if nothing was observed or memory
 * ran out. */
int tr_explorer_write(struct tr_explorer *x, const struct tr_sink *out);
/* The page into the file path: written to a temporary file beside it and renamed, so a failure
 * leaves nothing half-written. Returns 0, or -1 with "PATH: reason" in err. */
int tr_explorer_save(struct tr_explorer *x, const char *path, char *err, size_t errlen);

#ifdef __cplusplus
}
#endif

#endif
