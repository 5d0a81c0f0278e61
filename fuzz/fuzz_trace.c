/* libFuzzer harness of the trace layer: any text through trace_parse_string and, when it parses,
 * trace_run with the narration, samples and options, all output dropped into checking sinks.
 * Besides ASan/UBSan it checks the parser's promises: an error is one "fuzz.trace:LINE:COL: what"
 * line whose position is inside the text and leaves the trace empty; what parses, the model
 * accepts (the runner never reports "the model refused the statement"). */
#include <stdbool.h>
#include <string.h>

#include "cover.h"
#include "fuzz_input.h"
#include "trace.h"

/* The length of line `line` (1-based) of text, or -1 if the text has fewer lines. */
static long line_len(const char *text, int line)
{
	for (int l = 1; l < line; l++) {
		text = strchr(text, '\n');
		if (!text)
			return -1;
		text++;
	}
	const char *nl = strchr(text, '\n');
	return nl ? nl - text : (long)strlen(text);
}

static void check_error(const char *text, const char *err)
{
	int line = 0, col = 0, at = 0;
	MUST(sscanf(err, "fuzz.trace:%d:%d: %n", &line, &col, &at) == 2 && at > 0);
	MUST(err[at] != 0 && !strchr(err, '\n'));
	long len = line_len(text, line);
	MUST(line >= 1 && len >= 0);
	MUST(col >= 1 && col <= len + 1);    /* the column points into its line (or just past it) */
}

/* Each piece of runner output is whole lines; none says the model refused a parsed statement. */
static void out_write(void *ctx, const char *text, size_t len)
{
	(void)ctx;
	static const char refused[] = ": the model refused the statement";
	MUST(len > 0 && text[len - 1] == '\n' && !memchr(text, 0, len));
	for (size_t i = 0; i + sizeof refused - 1 <= len; i++)
		MUST(memcmp(text + i, refused, sizeof refused - 1) != 0);
}

/* Sample records: pieces of CSV lines, never with a NUL. */
static void samples_write(void *ctx, const char *text, size_t len)
{
	(void)ctx;
	MUST(len > 0 && !memchr(text, 0, len));
}

static void run(const struct trace *t, size_t seed)
{
	struct tr_sink out = { out_write, NULL }, smp = { samples_write, NULL };
	struct run_cfg cfg;
	memset(&cfg, 0, sizeof cfg);
	cfg.out = &out;
	cfg.samples = &smp;
	cfg.explain = true;
	struct run_stats st = { 0, 0, 0 };
	unsigned failed = trace_run(t, &cfg, &st);
	MUST(failed == st.failed && st.failed <= st.expects);
	/* again, quiet, with other option values from the command line (a trace's opt wins) */
	memset(&cfg, 0, sizeof cfg);
	cfg.out = &out;
	cfg.quiet = true;
	for (int i = 0; i < DBG_OPT_COUNT; i++) {
		cfg.opt_set[i] = true;
		cfg.opt[i] = (uint8_t)((seed + (size_t)i) % (size_t)(dbg_opt_max(i) + 1));
	}
	memset(&st, 0, sizeof st);
	trace_run(t, &cfg, &st);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *text = malloc(size + 1);
	if (!text)
		return 0;
	memcpy(text, data, size);
	text[size] = 0;
	struct trace t;
	char err[512];
	if (trace_parse_string("fuzz.trace", text, &t, err, sizeof err)) {
		check_error(text, err);
		MUST(t.n == 0 && t.s == NULL);
	} else {
		run(&t, size);
		trace_free(&t);
	}
	free(text);
	return 0;
}
