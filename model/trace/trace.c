/* Trace parser, file level (vectors/FORMAT.md): the text is split into lines, each statement's
 * text is kept, and parse.c parses the statements. A file is parsed whole before anything runs;
 * any error gives "FILE:LINE:COL: message" and an empty trace. */
#include "trace.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "parse.h"

void trace_free(struct trace *t)
{
	for (unsigned i = 0; i < t->n; i++)
		if (t->s[i].kind == TR_SET || t->s[i].kind == TR_EXPECT)   /* the others share it */
			free(t->s[i].pairs);
	free(t->s);
	free(t->store);
	free(t->path);
	memset(t, 0, sizeof *t);
}

/* Room for one more statement; doubling (realloc moves large blocks by remapping, no copy). */
static int room(struct trace *t, unsigned *cap)
{
	if (t->n < *cap)
		return 0;
	unsigned nc = *cap ? *cap * 2 : 64;
	struct tr_stmt *s = nc > *cap ? realloc(t->s, (size_t)nc * sizeof *s) : NULL;
	if (!s)
		return -1;
	t->s = s;
	*cap = nc;
	return 0;
}

/* The text of one statement, blanks and comment stripped: [*lead, *end) of the line. */
static void trim(const char *line, size_t len, size_t *lead, size_t *end)
{
	const char *hash = memchr(line, '#', len);
	size_t b = 0, e = hash ? (size_t)(hash - line) : len;
	while (b < e && (line[b] == ' ' || line[b] == '\t'))
		b++;
	while (e > b && (line[e - 1] == ' ' || line[e - 1] == '\t' || line[e - 1] == '\r'))
		e--;
	*lead = b;
	*end = e;
}

/* A reusable scratch buffer: the tokenizer writes into a copy, the statement's text stays. */
struct scratch {
	char *buf;
	size_t cap;
};

static char *scratch_copy(struct scratch *w, const char *text, size_t n)
{
	if (n + 1 > w->cap) {
		char *b = realloc(w->buf, n + 1);
		if (!b)
			return NULL;
		w->buf = b;
		w->cap = n + 1;
	}
	memcpy(w->buf, text, n);
	w->buf[n] = 0;
	return w->buf;
}

/* One line of the store: a statement (its text terminated in place, in the store) or nothing. */
static int parse_text_line(struct parser *p, struct scratch *w, struct trace *t, char *line,
			   size_t len)
{
	size_t lead, end;
	trim(line, len, &lead, &end);
	if (end == lead)
		return 0;
	struct tr_stmt *s = &t->s[t->n++];
	memset(s, 0, sizeof *s);
	s->line = p->line;
	char *work = scratch_copy(w, line + lead, end - lead);
	if (!work)
		return parse_fail(p, 1, "out of memory");
	line[end] = 0;
	s->text = line + lead;
	return parse_stmt(p, work, (int)lead + 1, t, s);
}

/* The text is copied once into t->store, where each statement's text stays (no allocation per
 * statement: parsing is most of the cost of a run). */
/* Parse the text in store (len bytes, NUL-terminated), which the trace takes over: each
 * statement's text stays in it (no allocation per statement: parsing is most of a run's cost). */
static int parse_store(const char *name, char *store, size_t len, struct trace *t, char *err,
		       size_t errlen)
{
	struct parser p = { name, 0, err, errlen, false, false, 1 };
	struct scratch w = { NULL, 0 };
	unsigned cap = 0;
	memset(t, 0, sizeof *t);
	t->store = store;
	t->path = strdup(name);
	int rc = -1;
	if (!t->path || !t->store) {
		parse_fail(&p, 1, "out of memory");
		goto done;
	}
	for (char *line = store, *stop = store + len; line < stop;) {
		char *nl = memchr(line, '\n', (size_t)(stop - line));
		size_t n = nl ? (size_t)(nl - line) : (size_t)(stop - line);
		p.line++;
		if (room(t, &cap)) {
			parse_fail(&p, 1, "out of memory");
			goto done;
		}
		if (parse_text_line(&p, &w, t, line, n))
			goto done;
		line += n + (nl != NULL);
	}
	rc = 0;
done:
	free(w.buf);
	if (rc)
		trace_free(t);
	return rc;
}

int trace_parse_string(const char *name, const char *text, struct trace *t, char *err, size_t errlen)
{
	size_t len = strlen(text);
	char *store = malloc(len + 1);
	if (store)
		memcpy(store, text, len + 1);
	return parse_store(name, store, len, t, err, errlen);
}

int trace_parse_file(const char *path, struct trace *t, char *err, size_t errlen)
{
	memset(t, 0, sizeof *t);
	FILE *f = fopen(path, "rb");
	if (!f) {
		snprintf(err, errlen, "%s:0: cannot open: %s", path, strerror(errno));
		return -1;
	}
	size_t cap = 4096, n = 0;
	char *buf = malloc(cap);
	while (buf) {
		size_t got = fread(buf + n, 1, cap - n - 1, f);
		n += got;
		if (n < cap - 1)
			break;
		cap *= 2;
		char *nb = realloc(buf, cap);
		if (!nb) {
			free(buf);
			buf = NULL;
		}
		buf = nb;
	}
	int ioerr = ferror(f);
	fclose(f);
	if (!buf || ioerr) {
		free(buf);
		snprintf(err, errlen, "%s:0: cannot read the file", path);
		return -1;
	}
	buf[n] = 0;
	if (strlen(buf) != n) {
		free(buf);
		snprintf(err, errlen, "%s:1:1: the file contains a NUL byte (not a text trace)", path);
		return -1;
	}
	return parse_store(path, buf, n, t, err, errlen);    /* the trace keeps buf */
}
