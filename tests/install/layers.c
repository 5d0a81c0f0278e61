/* The trace layer and the cosim API from an installed prefix, through their own pkg-config files:
 * a trace parsed and run, and one lockstep step checked. */
#include <stdio.h>

#include <cosim.h>
#include <trace.h>

int main(void)
{
	struct trace t;
	char err[256];
	if (trace_parse_string("inline", "core e500v2\nset MSR=0x200 DBCR0=0x48000000\n"
			       "exec 0x1000 nop\nexpect events=ICMP\n", &t, err, sizeof err)) {
		fprintf(stderr, "%s\n", err);
		return 1;
	}
	struct run_cfg cfg = { .quiet = true };
	struct run_stats st = { 0 };
	unsigned failed = trace_run(&t, &cfg, &st);
	trace_free(&t);
	int h = cosim_create(0);
	cosim_set_reg(h, COSIM_SPR_MSR, 0x200);
	cosim_set_reg(h, 308, 0x48000000);          /* DBCR0: IDM | ICMP */
	int v = cosim_step(h, 1, 0x1000, cosim_insn_kind("nop"), 0, 0, 0, 0, 0, 0);
	printf("trace: %u expects, %u failed; cosim: verdict %d\n", st.expects, failed, v);
	return failed || st.expects != 1 || v != COSIM_DEBUG;
}
