/* libFuzzer harness of the trace layer: any text through trace_parse_string and, when it parses,
 * trace_run with the narration, samples and options, all output dropped into checking sinks, and
 * for one input in 64 the explorer page of the run (explorer.h) into a sink that checks it is one
 * whole page.
 * Besides ASan/UBSan it checks the parser's promises: an error is one "fuzz.trace:LINE:COL: what"
 * line whose position is inside the text and leaves the trace empty; what parses, the model
 * accepts (the runner never reports "the model refused the statement"). */
#include <stdbool.h>
#include <string.h>

#include "cover.h"
#include "explorer.h"
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

/* The explorer's page: one piece, a whole HTML document, no NUL. */
static void page_write(void *ctx, const char *text, size_t len)
{
	static const char head[] = "<!DOCTYPE html>\n", tail[] = "</html>\n";
	MUST(!*(bool *)ctx);
	*(bool *)ctx = true;
	MUST(len > sizeof head + sizeof tail && !memchr(text, 0, len));
	MUST(!memcmp(text, head, sizeof head - 1));
	MUST(!memcmp(text + len - (sizeof tail - 1), tail, sizeof tail - 1));
}

static void run(const struct trace *t, size_t seed, bool with_page)
{
	struct tr_sink out = { out_write, NULL }, smp = { samples_write, NULL };
	struct run_cfg cfg;
	memset(&cfg, 0, sizeof cfg);
	cfg.out = &out;
	cfg.samples = &smp;
	cfg.explain = true;
	struct tr_explorer *x = with_page ? tr_explorer_new(seed & 1 ? "../booke-debug.md" : NULL) : NULL;
	struct tr_observer obs;
	if (x) {
		obs = tr_explorer_observer(x);
		cfg.observer = &obs;
	}
	struct run_stats st = { 0, 0, 0 };
	unsigned failed = trace_run(t, &cfg, &st);
	MUST(failed == st.failed && st.failed <= st.expects);
	if (x) {
		bool written = false;
		struct tr_sink page = { page_write, &written };
		MUST(tr_explorer_write(x, &page) == 0 && written);
		tr_explorer_free(x);
	}
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
		/* the page costs ~25 runs (it renders the rules it cites): one input in 64 makes one */
		uint32_t h = 2166136261u;
		for (size_t i = 0; i < size; i++)
			h = (h ^ data[i]) * 16777619u;
		run(&t, size, (h & 63) == 0);
		trace_free(&t);
	}
	free(text);
	return 0;
}
