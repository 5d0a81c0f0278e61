/* The trace layer and the cosim API from an installed prefix, through their own pkg-config files:
 * a trace parsed and run, and one lockstep step checked. */
#include <stdio.h>

#include <cosim.h>
#include <trace.h>

static void count_lines(void *ctx, const char *text, size_t len)
{
	for (size_t i = 0; i < len; i++)
		*(unsigned *)ctx += text[i] == '\n';
}

int main(void)
{
	struct trace t;
	char err[256];
	if (trace_parse_string("inline", "core e500v2\nset MSR=0x200 DBCR0=0x48000000\n"
			       "exec 0x1000 nop\nexpect events=ICMP\n", &t, err, sizeof err)) {
		fprintf(stderr, "%s\n", err);
		return 1;
	}
	/* the output through a sink of our own: it counts the lines */
	unsigned lines = 0;
	struct tr_sink out = { count_lines, &lines };
	struct run_cfg cfg = { .out = &out };
	struct run_stats st = { 0 };
	unsigned failed = trace_run(&t, &cfg, &st);
	trace_free(&t);
	int h = cosim_create(0);
	cosim_set_reg(h, COSIM_SPR_MSR, 0x200);
	cosim_set_reg(h, 308, 0x48000000);          /* DBCR0: IDM | ICMP */
	int v = cosim_step(h, 1, 0x1000, cosim_insn_kind("nop"), 0, 0, 0, 0, 0, 0);
	printf("trace: %u expects, %u failed, %u lines; cosim: verdict %d\n", st.expects, failed, lines, v);
	return failed || st.expects != 1 || lines != st.statements + st.expects || v != COSIM_DEBUG;
}
