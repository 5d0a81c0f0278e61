/* The command-line side of conformance programs: `bookedbg compile` and `bookedbg check-log`. Bad
 * input is one line `FILE:LINE: what is wrong` and exit 2, found before any work. */
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cmd.h"
#include "conform.h"

#ifndef BOOKEDBG_CONFORM_SRCDIR
#define BOOKEDBG_CONFORM_SRCDIR ""   /* a build outside the Makefile: beside the binary only */
#endif

/* The runtime files: beside the build directory, in share/bookedbg when installed, or in the
 * source tree this binary was built from. */
static int find_rt(char *out, size_t len)
{
	char self[PATH_MAX];
	ssize_t n = readlink("/proc/self/exe", self, sizeof self - 1);
	if (n <= 0)
		return -1;
	self[n] = 0;
	*strrchr(self, '/') = 0;
	const char *src = BOOKEDBG_CONFORM_SRCDIR;
	for (int i = 0; i < (*src ? 3 : 2); i++) {
		if (i == 0)
			snprintf(out, len, "%.3000s/../conform/rt", self);
		else if (i == 1)
			snprintf(out, len, "%.3000s/../share/bookedbg/conform/rt", self);
		else
			snprintf(out, len, "%.3000s/conform/rt", src);
		char probe[PATH_MAX + 32];
		snprintf(probe, sizeof probe, "%s/start.S", out);
		if (access(probe, R_OK) == 0)
			return 0;
	}
	return -1;
}

static int core_arg(const char *cmd, const char *v)
{
	int c = dbg_core_find(v);
	if (c < 0)
		fprintf(stderr, "bookedbg %s: unknown core '%s' (e500v2 or e500mc)\n", cmd, v);
	return c;
}

static int write_model_log(const struct cf_plan *p, const char *path)
{
	FILE *f = fopen(path, "w");
	if (!f)
		return -1;
	char buf[512];
	fprintf(f, "bookedbg-log 1 core=%s trace=%s steps=%u\n", dbg_core_name(p->core), p->t->path, p->nsteps);
	for (unsigned i = 0; i < p->nsteps; i++) {
		cf_rec_format(&p->steps[i].model, p->core, buf, sizeof buf);
		fprintf(f, "%s\n", buf);
	}
	fprintf(f, "end steps=%u\n", p->nsteps);
	return fclose(f);
}

struct compile_args { const char *trace, *out, *asm_out, *model_log; int core; };

static int compile_parse(int argc, char **argv, struct compile_args *a)
{
	memset(a, 0, sizeof *a);
	a->core = -1;
	for (int i = 0; i < argc; i++) {
		const char *v = i + 1 < argc ? argv[i + 1] : NULL;
		if (!strcmp(argv[i], "-o") && v)
			a->out = argv[++i];
		else if (!strcmp(argv[i], "--asm") && v)
			a->asm_out = argv[++i];
		else if (!strcmp(argv[i], "--model-log") && v)
			a->model_log = argv[++i];
		else if (!strcmp(argv[i], "--core") && v) {
			if ((a->core = core_arg("compile", argv[++i])) < 0)
				return -1;
		} else if (argv[i][0] == '-') {
			fprintf(stderr, "bookedbg compile: unknown or incomplete argument '%s'\n", argv[i]);
			return -1;
		} else if (a->trace) {
			fprintf(stderr, "bookedbg compile: one trace at a time ('%s')\n", argv[i]);
			return -1;
		} else
			a->trace = argv[i];
	}
	if (!a->trace || (!a->out && !a->asm_out && !a->model_log)) {
		fprintf(stderr, "bookedbg compile: usage: bookedbg compile FILE.trace [--core C] -o FILE.elf "
			"[--asm FILE.S] [--model-log FILE.log]\n");
		return -1;
	}
	const char *outs[] = { a->out, a->asm_out, a->model_log };
	char err[600];
	for (int i = 0; i < 3; i++)
		if (outs[i] && tr_check_out_path(outs[i], err, sizeof err)) {
			fprintf(stderr, "%s:0: cannot write here (%s)\n", outs[i], err);
			return -1;
		}
	return 0;
}

static int write_asm(const struct cf_plan *p, const char *path)
{
	FILE *f = fopen(path, "w");
	if (!f)
		return -1;
	int rc = cf_emit_asm(p, f);
	return fclose(f) || rc ? -1 : 0;
}

int cmd_compile(int argc, char **argv)
{
	struct compile_args a;
	char rt[PATH_MAX], err[600];
	if (compile_parse(argc, argv, &a))
		return 2;
	if (a.out && find_rt(rt, sizeof rt)) {
		fprintf(stderr, "conform/rt/start.S:0: the conformance runtime is not installed beside bookedbg\n");
		return 2;
	}
	struct trace t;
	if (trace_parse_file(a.trace, &t, err, sizeof err)) {
		fprintf(stderr, "%s\n", err);
		return 2;
	}
	struct cf_plan *p = calloc(1, sizeof *p);
	int rc = 2;
	if (!p) {
		fprintf(stderr, "%s:0: out of memory\n", a.trace);
		goto out;
	}
	cf_plan_build(&t, a.core >= 0 ? (enum dbg_core)a.core : t.core, p);
	if (!p->nsteps) {
		fprintf(stderr, "%s:%d: no statement a program can express: %s\n", a.trace,
			p->stop_line, p->stop_line ? p->stop_reason : "the trace executes nothing");
		goto out;
	}
	if (a.asm_out && write_asm(p, a.asm_out)) {
		fprintf(stderr, "%s:0: cannot write the assembly\n", a.asm_out);
		goto out;
	}
	if (a.model_log && write_model_log(p, a.model_log)) {
		fprintf(stderr, "%s:0: cannot write the model's log\n", a.model_log);
		goto out;
	}
	if (a.out && cf_build_elf(p, rt, a.out, err, sizeof err)) {
		fprintf(stderr, "%s\n", err);
		goto out;
	}
	printf("bookedbg compile: %s (%s): %u steps", a.trace, dbg_core_name(p->core), p->nsteps);
	if (p->stop_line)
		printf("; not run from line %d (%u statements): %s", p->stop_line, p->not_run, p->stop_reason);
	printf("\n");
	rc = 0;
out:
	free(p);
	trace_free(&t);
	return rc;
}

int cmd_check_log(int argc, char **argv)
{
	const char *files[2] = { NULL, NULL };
	int nf = 0, core = -1, json = 0;
	for (int i = 0; i < argc; i++) {
		if (!strcmp(argv[i], "--json"))
			json = 1;
		else if (!strcmp(argv[i], "--core") && i + 1 < argc) {
			if ((core = core_arg("check-log", argv[++i])) < 0)
				return 2;
		} else if (argv[i][0] == '-' || nf == 2) {
			fprintf(stderr, "bookedbg check-log: unknown argument '%s'\n", argv[i]);
			return 2;
		} else
			files[nf++] = argv[i];
	}
	if (nf != 2) {
		fprintf(stderr, "bookedbg check-log: usage: bookedbg check-log [--core C] [--json] FILE.trace LOG\n");
		return 2;
	}
	return cf_check_log(files[0], files[1], core, json, stdout);
}
