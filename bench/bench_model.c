/* Model speed, as ratios against a plain loop in the same run. Every loop makes the same
 * instruction stream on the fly (an LCG picks load/store/branch/nop, as a core model would hand its
 * retired instructions over) and takes its next PC from the step it calls, so the difference
 * between loops is what the step costs.
 *   baseline: a call per instruction to a function that only advances the PC (bench/plain_step.c,
 *             its own file: a call as opaque as the one into the library)
 *   disarmed: dbg_exec per instruction, nothing armed, as C code compiled against the headers calls
 *             it: its fast path inline (dbg_fast.h), no call. Not like for like with the baseline's
 *             call; the symbol line is.
 *   armed:    the same with every comparator armed (IAC1/2 exact, DAC1/2 R+W, BRT off), DE=1, no hits
 *   symbol:   disarmed, through the library's dbg_exec symbol: a call, like the baseline's (and like
 *             an FFI's that binds dbg_exec itself)
 *   trace:    bookedbg run on a generated trace (parse + run + print), statements per second, best of 5 */
#define _POSIX_C_SOURCE 200809L
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "dbg_unit.h"
#include "plain_step.h"
#include "trace.h"

#define N 1000000
#define ROUNDS 3

static struct dbg_insn prog[N];   /* for the trace-rate run */

static double now(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec * 1e-9;
}

static void make_prog(void)
{
	uint32_t x = 12345;
	for (int i = 0; i < N; i++) {
		x = x * 1103515245u + 12345u;
		struct dbg_insn *in = &prog[i];
		memset(in, 0, sizeof *in);
		in->pc = 0x10000 + 4u * (uint32_t)i;
		in->reg = -1;
		in->size = 4;
		switch ((x >> 16) % 8) {
		case 0: case 1: in->kind = DBG_I_LOAD; in->ea = 0x80000 + (x & 0xFFC); break;
		case 2: in->kind = DBG_I_STORE; in->ea = 0x90000 + (x & 0xFFC); break;
		case 3: in->kind = DBG_I_BRANCH; in->target = in->pc + 4; break;
		default: in->kind = DBG_I_NOP; break;
		}
	}
}

/* Best time of each loop, in ns per instruction. The loops take turns, round after round, so a
 * machine that slows down for a while (a shared VM) slows every loop alike and the ratios hold. */
#define TURNS 40
static void best_of_turns(double (*const fn[])(void), int nfn, double *ns)
{
	for (int j = 0; j < nfn; j++)
		ns[j] = 1e9;
	for (int k = 0; k < TURNS; k++)
		for (int j = 0; j < nfn; j++) {
			double t = fn[j]();
			if (t < ns[j])
				ns[j] = t;
		}
	for (int j = 0; j < nfn; j++)
		ns[j] = ns[j] / ((double)N * ROUNDS) * 1e9;
}

static volatile uint32_t sink;

/* The i-th instruction of the stream, written into *in (same work in every loop). */
static inline void gen(struct dbg_insn *in, uint32_t *x, uint32_t pc)
{
	*x = *x * 1103515245u + 12345u;
	uint32_t k = (*x >> 16) & 7u;
	in->pc = pc;
	in->ea = 0x80000u + (*x & 0xFFCu) + (k == 2 ? 0x10000u : 0);
	in->target = pc + 4;
	in->kind = k < 2 ? DBG_I_LOAD : k == 2 ? DBG_I_STORE : k == 3 ? DBG_I_BRANCH : DBG_I_NOP;
}

#define STREAM_INSN { .size = 4, .reg = -1 }

static double run_plain(void)
{
	struct dbg_insn in = STREAM_INSN;
	uint32_t x = 12345, pc = 0x10000;
	double t0 = now();
	for (long i = 0; i < (long)N * ROUNDS; i++) {
		gen(&in, &x, pc);
		pc = plain_step(pc, &in);
	}
	sink = pc;
	return now() - t0;
}

/* dbg_exec as a C or C++ testbench calls it (its fast path compiled inline), or the library's
 * symbol as DPI-C and other FFIs call it. Either way the loop looks at each result's action, as a
 * testbench must to follow an interrupt. */
static double run_model(int armed, int symbol)
{
	static struct dbg_unit u;
	struct dbg_result res;
	dbg_init(&u, DBG_E500V2);
	if (armed) {
		dbg_set(&u, DBG_REG_MSR, MSR_DE);
		dbg_set(&u, DBG_REG_IAC1, 0x4);
		dbg_set(&u, DBG_REG_IAC2, 0x8);
		dbg_set(&u, DBG_REG_DAC1, 0x4);
		dbg_set(&u, DBG_REG_DAC2, 0x8);
		dbg_set(&u, DBG_REG_DBCR0, DBCR0_IDM | DBCR0_IAC1 | DBCR0_IAC2 | DBCR0_DAC1R |
			DBCR0_DAC1W | DBCR0_DAC2R | DBCR0_DAC2W | DBCR0_TRAP | DBCR0_RET);
	}
	struct dbg_insn in = STREAM_INSN;
	uint32_t x = 12345, pc = 0x10000, acted = 0;
	double t0 = now();
	for (long i = 0; i < (long)N * ROUNDS; i++) {
		gen(&in, &x, pc);
		if (symbol)
			(dbg_exec)(&u, (uint64_t)i + 1, &in, &res);
		else
			dbg_exec(&u, (uint64_t)i + 1, &in, &res);
		acted += res.action != DBG_ACT_NONE;
		pc = dbg_pc(&u);
	}
	sink = dbg_pc(&u) + acted;
	if (dbg_count_debug_int(&u) || acted)
		fprintf(stderr, "bench: unexpected debug interrupt\n");
	return now() - t0;
}
static double run_disarmed(void) { return run_model(0, 0); }
static double run_armed(void) { return run_model(1, 0); }
static double run_disarmed_symbol(void) { return run_model(0, 1); }

/* A 1M-statement trace, parsed and run with --quiet output to /dev/null. */
static double trace_rate(void)
{
	size_t cap = 40u * N, n = 0;
	char *text = malloc(cap);
	if (!text)
		return 0;
	n += (size_t)snprintf(text + n, cap - n, "set MSR=0x200 DBCR0=0x40C80000 IAC1=4 IAC2=8 DAC1=4\n");
	for (int i = 0; i < N - 1; i++) {
		const struct dbg_insn *in = &prog[i];
		if (in->kind == DBG_I_LOAD)
			n += (size_t)snprintf(text + n, cap - n, "exec 0x%X load 0x%X\n", in->pc, in->ea);
		else if (in->kind == DBG_I_STORE)
			n += (size_t)snprintf(text + n, cap - n, "exec 0x%X store 0x%X\n", in->pc, in->ea);
		else
			n += (size_t)snprintf(text + n, cap - n, "exec 0x%X nop\n", in->pc);
	}
	double best_rate = 0;
	for (int k = 0; k < 5; k++) {   /* best of five, like the loops above */
		double t0 = now();
		struct trace t;
		char err[256];
		if (trace_parse_string("bench", text, &t, err, sizeof err)) {
			fprintf(stderr, "%s\n", err);
			break;
		}
		struct run_cfg cfg;
		memset(&cfg, 0, sizeof cfg);
		cfg.quiet = true;
		FILE *devnull = fopen("/dev/null", "w");
		struct tr_sink out = tr_sink_file(devnull);
		cfg.out = &out;
		struct run_stats st = { 0, 0, 0 };
		trace_run(&t, &cfg, &st);
		double rate = st.statements / (now() - t0);
		fclose(devnull);
		trace_free(&t);
		if (rate > best_rate)
			best_rate = rate;
	}
	free(text);
	return best_rate;
}

int main(void)
{
	make_prog();
	double (*const loops[])(void) = { run_plain, run_disarmed, run_armed, run_disarmed_symbol };
	double ns[4];
	best_of_turns(loops, 4, ns);
	double base = ns[0], dis = ns[1], arm = ns[2], sym = ns[3];
	double rate = trace_rate();
	printf("model speed (%d instructions, best of %d turns; random load/store/branch/nop mix)\n",
	       N * ROUNDS, TURNS);
	printf("  baseline: plain loop, no model   %6.2f ns/insn   1.00x\n", base);
	printf("  model, nothing armed             %6.2f ns/insn   %.2fx   model's own cost %.2f ns/insn\n",
	       dis, dis / base, dis - base);
	printf("  model, every comparator armed    %6.2f ns/insn   %.2fx   model's own cost %.2f ns/insn\n",
	       arm, arm / base, arm - base);
	printf("  nothing armed, library symbol    %6.2f ns/insn   %.2fx   (a call, like the baseline's)\n",
	       sym, sym / base);
	printf("  trace run (parse+run, 1M stmts)  %6.2f M statements/s\n", rate / 1e6);
	return 0;
}
