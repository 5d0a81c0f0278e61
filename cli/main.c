/* bookedbg: the command line. run, options, compile and check-log are here; gate and cover are
 * Python (run_python), replay is either. */
#include <limits.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cmd.h"
#include "cover.h"
#include "explorer.h"
#include "trace.h"

/* Each command's lines of the usage text, so that `bookedbg CMD --help` shows its own. here: the
 * command is written in C, so this file answers its --help (gate, cover and replay of a gate
 * scenario answer it in Python). */
static const struct { const char *cmd; bool here; const char *text; } usage_of[] = {
	{ "run", true,
	  "  run [--explain] [--quiet] [--opt NAME=VALUE]... [--samples CSV] FILE...\n"
	  "        execute traces (vectors/FORMAT.md); exit 0 all expects hold, 1 one failed,\n"
	  "        2 a malformed trace (nothing is run)\n"
	  "  run --html PAGE.html [--html-docs-base URL] [FLAGS] FILE\n"
	  "        also write a self-contained page to step through the run in a browser; one\n"
	  "        trace file of at most 5000 statements; URL: where docs/booke-debug.md is, for\n"
	  "        links beside the sections the page embeds\n" },
	{ "options", true,
	  "  options [--core e500v2|e500mc]\n"
	  "        list the model options, their values, defaults and the reason for each\n" },
	{ "gate", false,
	  "  gate (--patch FILE | --kernel DIR [--patch FILE | --base REV]) [--config pr|hv|both]\n"
	  "       [--budget N] [--seed S [--random N]] [--shard K/N] [--baseline REPORT.json]\n"
	  "       [--fail-on bug|robustness|any] [--prove] [--json] [--junit FILE] [--sarif FILE]\n"
	  "       [--out DIR]\n"
	  "        compile the kernel's BookE debug code in user mode and check it against the\n"
	  "        model; with a base tree, what a patch introduces; exit 0 equivalent (or nothing\n"
	  "        introduced), 1 divergent, 2 input or build error (bookedbg gate --help)\n" },
	{ "replay", false,
	  "  replay [--verbose] FILE\n"
	  "        replay a gate scenario (.scn) or a trace (.trace, with --explain)\n" },
	{ "cover", false,
	  "  cover [--opt NAME=VALUE]... [--shard K/N] [--save JSON] [--quiet] FILE...\n"
	  "        functional coverage of traces or sample files\n" },
	{ "compile", true,
	  "  compile FILE.trace [--core e500v2|e500mc] -o FILE.elf [--asm FILE.S] [--model-log FILE]\n"
	  "        a bare-metal e500 program running the trace's statements as real instructions,\n"
	  "        logging what each step leaves (docs/conformance.md); --model-log: the model's log\n" },
	{ "check-log", true,
	  "  check-log [--core e500v2|e500mc] [--json] FILE.trace LOG\n"
	  "        compare a program's log with the model; exit 0 agree, 1 differ, 2 bad input\n" },
};

/* The usage of one command, or of all of them (cmd NULL). */
static void usage_cmd(FILE *f, const char *cmd)
{
	fprintf(f, cmd ? "usage: bookedbg %s ...\n" : "usage: bookedbg COMMAND [ARGS]\n", cmd);
	for (size_t i = 0; i < sizeof usage_of / sizeof usage_of[0]; i++)
		if (!cmd || !strcmp(cmd, usage_of[i].cmd))
			fputs(usage_of[i].text, f);
}

static void usage(FILE *f)
{
	usage_cmd(f, NULL);
}

/* Whether this file answers `bookedbg CMD --help` (usage_of[].here). */
static bool help_here(const char *cmd)
{
	for (size_t i = 0; i < sizeof usage_of / sizeof usage_of[0]; i++)
		if (!strcmp(cmd, usage_of[i].cmd))
			return usage_of[i].here;
	return false;
}

/* The flags of run, options, compile and check-log whose value is the next argument. */
static bool takes_value(const char *a)
{
	static const char *const flags[] = { "--samples", "--opt", "--html", "--html-docs-base", "--core",
					     "-o", "--asm", "--model-log" };
	for (size_t i = 0; i < sizeof flags / sizeof flags[0]; i++)
		if (!strcmp(a, flags[i]))
			return true;
	return false;
}

/* A flag that takes a value was given none: say so (not "unknown flag"). */
static int needs_value(const char *cmd, const char *flag, const char *what)
{
	fprintf(stderr, "bookedbg %s: %s takes %s\n", cmd, flag, what);
	return 2;
}

static int cmd_run(int argc, char **argv)
{
	struct run_cfg cfg;
	memset(&cfg, 0, sizeof cfg);
	struct tr_sink out = tr_sink_file(stdout), samples;
	cfg.out = &out;
	FILE *samples_file = NULL;
	int nfiles = 0;
	const char *samples_path = NULL, *html_path = NULL, *docs_base = NULL;
	char **files = calloc((size_t)argc + 1, sizeof *files);
	if (!files)
		return 2;
	for (int i = 0; i < argc; i++) {
		if (!strcmp(argv[i], "--explain"))
			cfg.explain = true;
		else if (!strcmp(argv[i], "--quiet"))
			cfg.quiet = true;
		else if ((!strcmp(argv[i], "--opt") && i + 1 < argc) || !strncmp(argv[i], "--opt=", 6)) {
			const char *arg = argv[i][5] == '=' ? argv[i] + 6 : argv[++i];
			char err[256];
			if (trace_cfg_opt(&cfg, arg, err, sizeof err)) {
				fprintf(stderr, "bookedbg run: %s\n", err);
				free(files);
				return 2;
			}
		} else if (!strcmp(argv[i], "--samples") && i + 1 < argc) {
			samples_path = argv[++i];
		} else if (!strcmp(argv[i], "--samples") || !strcmp(argv[i], "--opt")) {
			free(files);
			return needs_value("run", argv[i], argv[i][2] == 's' ? "a file name" : "NAME=VALUE");
		} else if (!strcmp(argv[i], "--html") || !strcmp(argv[i], "--html-docs-base")) {
			const char *v = i + 1 < argc && (argv[i + 1][0] != '-' || !argv[i + 1][1]) ? argv[i + 1] : NULL;
			if (!v || !*v) {
				fprintf(stderr, "bookedbg: %s takes %s\n", argv[i],
					argv[i][6] ? "a URL or path" : "a file name");
				free(files);
				return 2;
			}
			if (argv[i][6])
				docs_base = v;
			else
				html_path = v;
			i++;
		} else if (argv[i][0] == '-' && argv[i][1]) {
			fprintf(stderr, "bookedbg run: unknown flag '%s'\n", argv[i]);
			free(files);
			return 2;
		} else
			files[nfiles++] = argv[i];
	}
	if (!nfiles) {
		usage(stderr);
		free(files);
		return 2;
	}
	/* --html: one page for one trace, to a file that can be written; checked before any work */
	char html_err[4400];
	if ((html_path && nfiles != 1) || (docs_base && !html_path) ||
	    (html_path && tr_check_out_path(html_path, html_err, sizeof html_err))) {
		if (docs_base && !html_path)
			fprintf(stderr, "bookedbg: --html-docs-base is for --html\n");
		else if (nfiles != 1)
			fprintf(stderr, "bookedbg: %s: --html writes the page of one trace, %d files given\n",
				html_path, nfiles);
		else
			fprintf(stderr, "bookedbg: %s\n", html_err);
		free(files);
		return 2;
	}
	struct tr_explorer *explorer = NULL;
	struct tr_observer observer;
	if (html_path) {
		explorer = tr_explorer_new(docs_base);
		if (!explorer) {
			free(files);
			return 2;
		}
		observer = tr_explorer_observer(explorer);
		cfg.observer = &observer;
	}
	/* Parse everything first: a malformed file means nothing runs. */
	struct trace *tr = calloc((size_t)nfiles, sizeof *tr);
	int rc = 0;
	char err[512];
	for (int i = 0; tr && i < nfiles; i++) {
		if (trace_parse_file(files[i], &tr[i], err, sizeof err)) {
			fprintf(stderr, "%s\n", err);
			rc = 2;
		}
	}
	if (!tr)
		rc = 2;
	if (!rc && html_path && tr[0].n > TR_EXPLORER_MAX_STATEMENTS) {
		fprintf(stderr, "bookedbg: %s: %s has %u statements; a page to step through takes at most %u\n",
			html_path, files[0], tr[0].n, TR_EXPLORER_MAX_STATEMENTS);
		rc = 2;
	}
	/* Samples go to a temporary file renamed at the end: nothing half-written. */
	char tmp_path[4096] = "";
	if (!rc && samples_path) {
		snprintf(tmp_path, sizeof tmp_path, "%s.tmp", samples_path);
		samples_file = fopen(tmp_path, "w");
		if (!samples_file) {
			fprintf(stderr, "bookedbg run: cannot write %s\n", tmp_path);
			rc = 2;
		} else {
			fprintf(samples_file, "%s\n", cover_header);
			samples = tr_sink_file(samples_file);
			cfg.samples = &samples;
		}
	}
	if (!rc) {
		struct run_stats st = { 0, 0, 0 };
		for (int i = 0; i < nfiles; i++)
			trace_run(&tr[i], &cfg, &st);
		printf("bookedbg run: %d file%s, %u statements, %u expects: %u passed, %u failed\n",
		       nfiles, nfiles == 1 ? "" : "s", st.statements, st.expects,
		       st.expects - st.failed, st.failed);
		rc = st.failed ? 1 : 0;
		if (explorer && tr_explorer_save(explorer, html_path, html_err, sizeof html_err)) {
			fprintf(stderr, "bookedbg: %s\n", html_err);
			rc = 2;
		}
	}
	tr_explorer_free(explorer);
	if (samples_file) {
		if (fclose(samples_file) || rename(tmp_path, samples_path)) {
			fprintf(stderr, "bookedbg run: cannot write %s\n", samples_path);
			remove(tmp_path);
			rc = 2;
		}
	}
	for (int i = 0; tr && i < nfiles; i++)
		trace_free(&tr[i]);
	free(tr);
	free(files);
	return rc;
}

static int cmd_options(int argc, char **argv)
{
	int only = -1;
	for (int i = 0; i < argc; i++) {
		if (!strcmp(argv[i], "--core") && i + 1 == argc) {
			return needs_value("options", "--core", "e500v2 or e500mc");
		} else if (!strcmp(argv[i], "--core")) {
			i++;
			only = dbg_core_find(argv[i]);   /* case-insensitive, as in a trace */
			if (only < 0) {
				fprintf(stderr, "bookedbg options: unknown core '%s'\n", argv[i]);
				return 2;
			}
		} else {
			fprintf(stderr, "bookedbg options: unknown argument '%s'\n", argv[i]);
			return 2;
		}
	}
	char b1[16], b2[16];
	for (int i = 0; i < DBG_OPT_COUNT; i++) {
		const struct dbg_opt_desc *d = &dbg_opt_desc[i];
		printf("%s\n  values: ", d->name);
		if (d->int_max > 0)
			printf("0..%d", d->int_max);
		for (int k = 0; d->values[k]; k++)
			printf("%s%s", k ? " | " : "", d->values[k]);
		const char *v2 = dbg_opt_value_name(i, d->dflt[DBG_E500V2], b1, sizeof b1);
		const char *mc = dbg_opt_value_name(i, d->dflt[DBG_E500MC], b2, sizeof b2);
		if (only >= 0)
			printf("\n  default (%s): %s\n", dbg_core_name((enum dbg_core)only),
			       only == DBG_E500V2 ? v2 : mc);
		else if (!strcmp(v2, mc))
			printf("\n  default: %s\n", v2);
		else
			printf("\n  default: %s (e500v2), %s (e500mc)\n", v2, mc);
		printf("  why: %s\n", d->reason);
	}
	return 0;
}

/* Subcommands written in Python live in vectors/ and harness/: beside the build directory, in
 * share/bookedbg when installed, or in the source tree this binary was built from. They run with
 * this executable's path in $BOOKEDBG so they can call back. */
static int run_python(const char *script, int argc, char **argv)
{
	char self[PATH_MAX], path[PATH_MAX + 64];
	ssize_t n = readlink("/proc/self/exe", self, sizeof self - 1);
	if (n <= 0) {
		fprintf(stderr, "bookedbg: cannot find my own path\n");
		return 2;
	}
	self[n] = 0;
	char dir[PATH_MAX];
	snprintf(dir, sizeof dir, "%s", self);
	*strrchr(dir, '/') = 0;
	const char *sub = strcmp(script, "gate.py") ? "vectors" : "harness";
#ifdef BOOKEDBG_SRCDIR
	const char *src = BOOKEDBG_SRCDIR;
#else
	const char *src = "";
#endif
	for (int i = 0; i < 3; i++) {
		if (i == 0)
			snprintf(path, sizeof path, "%s/../%s/%s", dir, sub, script);
		else if (i == 1)
			snprintf(path, sizeof path, "%s/../share/bookedbg/%s/%s", dir, sub, script);
		else if (*src)
			snprintf(path, sizeof path, "%s/%s/%s", src, sub, script);
		else
			break;
		if (access(path, R_OK) != 0)
			continue;
		setenv("BOOKEDBG", self, 1);
		char **av = calloc((size_t)argc + 3, sizeof *av);
		if (!av)
			return 2;
		av[0] = "python3";
		av[1] = path;
		for (int k = 0; k < argc; k++)
			av[k + 2] = argv[k];
		execvp("python3", av);
		fprintf(stderr, "bookedbg: cannot run python3 for %s\n", script);
		free(av);
		return 2;
	}
	fprintf(stderr, "bookedbg: %s not found beside the executable\n", script);
	return 2;
}

int main(int argc, char **argv)
{
	if (argc < 2) {
		usage(stderr);
		return 2;
	}
	for (int i = 2; help_here(argv[1]) && i < argc; i++)
		if (takes_value(argv[i]))
			i++;   /* `--samples -h` names a file */
		else if (!strcmp(argv[i], "--help") || !strcmp(argv[i], "-h")) {
			usage_cmd(stdout, argv[1]);
			return 0;
		}
	if (!strcmp(argv[1], "run"))
		return cmd_run(argc - 2, argv + 2);
	if (!strcmp(argv[1], "options"))
		return cmd_options(argc - 2, argv + 2);
	if (!strcmp(argv[1], "compile"))
		return cmd_compile(argc - 2, argv + 2);
	if (!strcmp(argv[1], "check-log"))
		return cmd_check_log(argc - 2, argv + 2);
	if (!strcmp(argv[1], "cover"))
		return run_python("cover.py", argc - 2, argv + 2);
	if (!strcmp(argv[1], "gate"))
		return run_python("gate.py", argc - 2, argv + 2);
	if (!strcmp(argv[1], "replay")) {
		/* a trace replays with the narration; a gate scenario through the gate */
		size_t n = argc > 2 ? strlen(argv[2]) : 0;
		if (n > 6 && !strcmp(argv[2] + n - 6, ".trace")) {
			char *av[] = { "--explain", argv[2], NULL };
			return cmd_run(2, av);
		}
		char **av = calloc((size_t)argc + 1, sizeof *av);
		if (!av)
			return 2;
		av[0] = "--replay";
		for (int k = 2; k < argc; k++)
			av[k - 1] = argv[k];
		return run_python("gate.py", argc - 1, av);
	}
	if (!strcmp(argv[1], "--help") || !strcmp(argv[1], "help")) {
		usage(stdout);
		return 0;
	}
	fprintf(stderr, "bookedbg: unknown command '%s'\n", argv[1]);
	usage(stderr);
	return 2;
}
