/* Output sinks (trace.h): the trace layer formats text and hands it to a sink, so no public struct
 * holds a FILE * and a caller can collect, count or drop the output. */
#include <stdarg.h>
#include <stdlib.h>

#include "trace.h"

static void file_write(void *ctx, const char *text, size_t len)
{
	fwrite(text, 1, len, (FILE *)ctx);
}

static void null_write(void *ctx, const char *text, size_t len)
{
	(void)ctx;
	(void)text;
	(void)len;
}

struct tr_sink tr_sink_file(FILE *f)
{
	return (struct tr_sink){ file_write, f };
}

struct tr_sink tr_sink_null(void)
{
	return (struct tr_sink){ null_write, NULL };
}

void tr_printf(const struct tr_sink *out, const char *fmt, ...)
{
	char small[512];
	va_list ap;
	va_start(ap, fmt);
	int n = vsnprintf(small, sizeof small, fmt, ap);
	va_end(ap);
	if (n < 0)
		return;
	char *text = small;
	if ((size_t)n >= sizeof small) {
		/* a long statement text: format again into a buffer that fits */
		text = malloc((size_t)n + 1);
		if (!text)
			return;
		va_start(ap, fmt);
		vsnprintf(text, (size_t)n + 1, fmt, ap);
		va_end(ap);
	}
	if (!out)
		fwrite(text, 1, (size_t)n, stdout);
	else if (out->write)
		out->write(out->ctx, text, (size_t)n);
	if (text != small)
		free(text);
}
