/* A testbench that links the installed model through pkg-config, as a user would. */
#include <stdio.h>
#include <dbg_unit.h>
int main(void) {
	struct dbg_unit u; struct dbg_result r; struct dbg_insn in = { .kind = DBG_I_NOP, .pc = 0x1000, .reg = -1 };
	dbg_init(&u, DBG_E500V2);
	dbg_set(&u, DBG_REG_MSR, MSR_DE);
	dbg_set(&u, DBG_REG_DBCR0, DBCR0_IDM | DBCR0_ICMP);
	dbg_exec(&u, 1, &in, &r);
	printf("events=0x%08X csrr0=0x%08X\n", r.events, dbg_get(&u, DBG_REG_CSRR0));
	return r.events == DBSR_ICMP ? 0 : 1;
}
