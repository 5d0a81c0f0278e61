/* Output sinks (trace.h): the trace layer formats text and hands it to a sink, so no public struct
 * holds a FILE * and a caller can collect, count or drop the output. */
#include <errno.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

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

int tr_check_out_path(const char *path, char *err, size_t errlen)
{
	struct stat st;
	if (!path || !*path) {
		snprintf(err, errlen, "no file name given");
		return -1;
	}
	if (stat(path, &st) == 0 && S_ISDIR(st.st_mode)) {
		snprintf(err, errlen, "%s: is a directory", path);
		return -1;
	}
	char dir[4096];
	snprintf(dir, sizeof dir, "%s", path);
	char *slash = strrchr(dir, '/');
	if (!slash)
		snprintf(dir, sizeof dir, ".");
	else if (slash == dir)
		dir[1] = 0;
	else
		*slash = 0;
	if (stat(dir, &st) != 0) {
		snprintf(err, errlen, "%s: directory %s: %s", path, dir, strerror(errno));
		return -1;
	}
	if (!S_ISDIR(st.st_mode)) {
		snprintf(err, errlen, "%s: %s is not a directory", path, dir);
		return -1;
	}
	if (access(dir, W_OK) != 0) {
		snprintf(err, errlen, "%s: cannot write in %s: %s", path, dir, strerror(errno));
		return -1;
	}
	if (access(path, F_OK) == 0 && access(path, W_OK) != 0) {
		snprintf(err, errlen, "%s: %s", path, strerror(errno));
		return -1;
	}
	return 0;
}
