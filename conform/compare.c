/* bookedbg check-log: a target's log against the model's records of the same trace, field by field
 * in the trace format's expect vocabulary; text for people, --json for vectors/conformance.py. */
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include "conform.h"

struct logfile {
	int core;                   /* from the header; -1 absent */
	unsigned n;
	struct cf_rec rec[CF_MAX_STEPS];
	int fault_line;             /* a `fault` line: the set-up of that step was refused */
	char fault_text[256];
	bool ended;                 /* the `end` line */
};

static int read_log(const char *path, struct logfile *lg, char *err, size_t errlen)
{
	FILE *f = fopen(path, "r");
	if (!f) {
		snprintf(err, errlen, "%s:0: cannot read the log", path);
		return -1;
	}
	char line[1024], why[200];
	int ln = 0, rc = 0;
	lg->core = -1;
	while (!rc && fgets(line, sizeof line, f)) {
		ln++;
		struct cf_rec r;
		int k = cf_rec_parse(line, &r, why, sizeof why);
		if (k < 0) {
			snprintf(err, errlen, "%s:%d: malformed log line: %s", path, ln, why);
			rc = -1;
		} else if (k == 1) {
			if (lg->n == CF_MAX_STEPS) {
				snprintf(err, errlen, "%s:%d: more than %d steps", path, ln, CF_MAX_STEPS);
				rc = -1;
			} else
				lg->rec[lg->n++] = r;
		} else if (!strncmp(line, "bookedbg-log", 12)) {
			const char *c = strstr(line, " core=");
			if (c)
				lg->core = dbg_core_find(strncmp(c + 6, "e500mc", 6) ? "e500v2" : "e500mc");
		} else if (!strncmp(line, "fault", 5)) {
			const char *l = strstr(line, "line=");
			lg->fault_line = l ? atoi(l + 5) : -1;
			snprintf(lg->fault_text, sizeof lg->fault_text, "%.200s", line);
			lg->fault_text[strcspn(lg->fault_text, "\r\n")] = 0;
		} else if (!strncmp(line, "end", 3))
			lg->ended = true;
	}
	fclose(f);
	return rc;
}

/* The comparable fields of a record, as (name, value text) in the expect vocabulary. */
#define MAXF 16
struct view { unsigned n; const char *name[MAXF]; char val[MAXF][16]; };

static void view_of(const struct cf_rec *r, enum dbg_core core, struct view *v)
{
	char buf[512], *save = NULL;
	cf_rec_expect(r, core, buf, sizeof buf);
	static const char *const names[] = { "pc", "irq", "debug", "msr", "dbsr", "dbcr0", "csrr0",
					     "csrr1", "srr0", "srr1", "esr", "dsrr0", "dsrr1" };
	v->n = 0;
	char *tok = strtok_r(buf, " ", &save);    /* "expect" */
	while ((tok = strtok_r(NULL, " ", &save)) && v->n < MAXF) {
		char *eq = strchr(tok, '=');
		*eq = 0;
		for (size_t i = 0; i < sizeof names / sizeof names[0]; i++)
			if (!strcmp(names[i], tok))
				v->name[v->n] = names[i];
		snprintf(v->val[v->n], sizeof v->val[0], "%s", eq + 1);
		v->n++;
	}
}

static void json_str(FILE *out, const char *s)
{
	fputc('"', out);
	for (; *s; s++) {
		if (*s == '"' || *s == '\\')
			fprintf(out, "\\%c", *s);
		else if ((unsigned char)*s < 0x20)
			fprintf(out, "\\u%04x", *s);
		else
			fputc(*s, out);
	}
	fputc('"', out);
}

static void json_view(FILE *out, const struct view *v)
{
	fputc('{', out);
	for (unsigned i = 0; i < v->n; i++)
		fprintf(out, "%s\"%s\": \"%s\"", i ? ", " : "", v->name[i], v->val[i]);
	fputc('}', out);
}

/* One step: text lines or a JSON object; returns whether it agrees. */
static bool compare_step(const struct cf_plan *p, const struct cf_step *st, const struct cf_rec *got,
			 bool json, bool first, FILE *out)
{
	struct view m, g;
	view_of(&st->model, p->core, &m);
	unsigned ndiff = 0;
	const char *diff[MAXF];
	if (got) {
		view_of(got, p->core, &g);
		for (unsigned i = 0; i < m.n; i++)
			if (strcmp(m.val[i], g.val[i]))
				diff[ndiff++] = m.name[i];
	}
	bool ok = got && !ndiff;
	if (json) {
		fprintf(out, "%s\n    {\"line\": %d, \"lines\": [", first ? "" : ",", st->s[st->n - 1]->line);
		for (unsigned j = 0; j < st->n; j++)
			fprintf(out, "%s%d", j ? ", " : "", st->s[j]->line);
		fprintf(out, "], \"insn\": ");
		char text[600] = "";
		for (unsigned j = 0; j < st->n; j++)
			snprintf(text + strlen(text), sizeof text - strlen(text), "%s%.140s", j ? " ; " : "", st->s[j]->text);
		json_str(out, text);
		fprintf(out, ", \"model\": ");
		json_view(out, &m);
		fprintf(out, ", \"log\": ");
		if (got)
			json_view(out, &g);
		else
			fprintf(out, "null");
		fprintf(out, ", \"differ\": [");
		for (unsigned i = 0; i < ndiff; i++)
			fprintf(out, "%s\"%s\"", i ? ", " : "", diff[i]);
		fprintf(out, "]}");
		return ok;
	}
	if (!got) {
		fprintf(out, "%s:%d: no record in the log (the program stopped before this step)\n",
			p->t->path, st->s[st->n - 1]->line);
		return false;
	}
	if (ok) {
		char buf[512];
		cf_rec_expect(&st->model, p->core, buf, sizeof buf);
		fprintf(out, "%s:%d: %s: ok\n", p->t->path, st->s[st->n - 1]->line, buf);
	}
	for (unsigned i = 0, k = 0; i < m.n && k < ndiff; i++)
		if (m.name[i] == diff[k]) {
			fprintf(out, "%s:%d: expected %s=%s (model), got %s (log)\n", p->t->path,
				st->s[st->n - 1]->line, m.name[i], m.val[i], g.val[i]);
			k++;
		}
	return ok;
}

static int compare(const struct cf_plan *p, const struct logfile *lg, const char *log_path, bool json, FILE *out)
{
	unsigned agree = 0;
	if (json) {
		fprintf(out, "{\"trace\": ");
		json_str(out, p->t->path);
		fprintf(out, ", \"core\": \"%s\", \"steps\": [", dbg_core_name(p->core));
	}
	for (unsigned i = 0; i < p->nsteps; i++) {
		const struct cf_rec *got = i < lg->n && lg->rec[i].line == p->steps[i].s[p->steps[i].n - 1]->line ? &lg->rec[i] : NULL;
		agree += compare_step(p, &p->steps[i], got, json, i == 0, out);
	}
	bool complete = lg->n == p->nsteps && lg->ended;
	if (json) {
		fprintf(out, "\n  ], \"not_run\": ");
		if (p->stop_line) {
			fprintf(out, "{\"line\": %d, \"statements\": %u, \"reason\": ", p->stop_line, p->not_run);
			json_str(out, p->stop_reason);
			fprintf(out, "}");
		} else
			fprintf(out, "null");
		fprintf(out, ", \"fault\": ");
		if (lg->fault_line)
			json_str(out, lg->fault_text);
		else
			fprintf(out, "null");
		fprintf(out, ", \"complete\": %s, \"agree\": %u}\n", complete ? "true" : "false", agree);
	} else {
		if (lg->fault_line)
			fprintf(out, "%s: the target refused the set-up: %s\n", log_path, lg->fault_text);
		if (p->stop_line)
			fprintf(out, "%s:%d: not run (%u statements): %s\n", p->t->path, p->stop_line,
				p->not_run, p->stop_reason);
		fprintf(out, "check-log: %u steps, %u agree, %u differ%s\n", p->nsteps, agree,
			p->nsteps - agree, complete ? "" : " (log incomplete)");
	}
	return agree == p->nsteps && complete ? 0 : 1;
}

int cf_check_log(const char *trace_path, const char *log_path, int core, int json, FILE *out)
{
	struct trace t;
	char err[512];
	if (trace_parse_file(trace_path, &t, err, sizeof err)) {
		fprintf(stderr, "%s\n", err);
		return 2;
	}
	struct logfile *lg = calloc(1, sizeof *lg);
	struct cf_plan *p = calloc(1, sizeof *p);
	int rc = 2;
	if (!lg || !p)
		fprintf(stderr, "%s:0: out of memory\n", trace_path);
	else if (read_log(log_path, lg, err, sizeof err))
		fprintf(stderr, "%s\n", err);
	else {
		enum dbg_core c = core >= 0 ? (enum dbg_core)core : lg->core >= 0 ? (enum dbg_core)lg->core : t.core;
		cf_plan_build(&t, c, p);
		rc = compare(p, lg, log_path, json, out);
	}
	free(lg);
	free(p);
	trace_free(&t);
	return rc;
}
