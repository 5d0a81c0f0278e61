/* Speed of the SystemC wrapper, as a ratio against the bare C model on the same instruction stream
 * in the same process (so machine load cancels out). One mode per process: SystemC elaborates once.
 *
 *   bench_sc MODE     MODE: lt | lt-qk | lt-direct | lt-q1 | clocked | sc-clock | sc-clock-signal
 *
 * The stream: 64 Ki random load/store/branch/nop instructions (as bench/bench_model.c makes them),
 * every comparator armed with no hit, one instruction completing per cycle; a pass replays it PASSES
 * times.
 *   bare             the C model at its fastest: dbg_exec_inline per instruction in a plain loop,
 *                    given a pointer into the prebuilt stream (the initiators below copy each
 *                    instruction into their bundle, which the wrapper's interface asks for)
 *   lt               loosely timed: an SC_THREAD initiator calls the retire export with its local
 *                    time; temporal decoupling with a quantum of 1000 cycles (local time kept inline)
 *   lt-qk            the same with a tlm_utils::tlm_quantumkeeper keeping the local time (inc,
 *                    need_sync, sync: what bookedbg-sc's player uses)
 *   lt-direct        the same as lt, calling the module's b_retire directly instead of through the
 *                    sc_export (the class is final: no virtual call)
 *   lt-q1            the same as lt with a quantum of one cycle (a context switch per instruction)
 *   clocked          clocked_unit without a clock: one SC_METHOD activation per cycle
 *   sc-clock         clocked_unit on the rising edge of an sc_clock
 *   sc-clock-signal  the same, with the stimulus written to an sc_signal<retire_bundle> each cycle
 *                    by a clocked driver method (an RTL-style testbench)
 * In the clocked modes the stimulus comes from a channel with no process of its own (read() hands
 * out the next instruction), so they measure the wrapper, not a testbench.
 * Each of the ROUNDS passes of a mode is preceded by a pass of the bare loop, and the ratio is best
 * against best: both are measured in the same seconds, so a machine busy with something else for a
 * while slows both (on a shared 2-core machine, bare-first-then-wrapper drifted by 20%). */
#define SC_INCLUDE_DYNAMIC_PROCESSES
#include <chrono>
#include <cstdio>
#include <cstring>
#include <memory>
#include <string>
#include <vector>

#include <systemc>
#include <tlm_utils/simple_initiator_socket.h>
#include <tlm_utils/tlm_quantumkeeper.h>

#include "bookedbg_sc.h"

using namespace sc_core;
using bookedbg::retire_bundle;

namespace {

const unsigned N = 1u << 16, MASK = N - 1, PASSES = 30, ROUNDS = 15;
const uint64_t TOTAL = (uint64_t)N * PASSES;
dbg_insn prog[N];
const sc_time P(10, SC_NS);

double now()
{
	return std::chrono::duration<double>(std::chrono::steady_clock::now().time_since_epoch()).count();
}

void make_prog()
{
	uint32_t x = 12345;
	for (unsigned i = 0; i < N; i++) {
		x = x * 1103515245u + 12345u;
		dbg_insn &in = prog[i];
		in = dbg_insn{};
		in.pc = 0x10000 + 4u * i;
		in.reg = -1;
		in.size = 4;
		switch ((x >> 16) % 8) {
		case 0: case 1: in.kind = DBG_I_LOAD; in.ea = 0x80000 + (x & 0xFFC); break;
		case 2: in.kind = DBG_I_STORE; in.ea = 0x90000 + (x & 0xFFC); break;
		case 3: in.kind = DBG_I_BRANCH; in.target = in.pc + 4; break;
		default: in.kind = DBG_I_NOP; break;
		}
	}
}

void arm(dbg_unit *u)
{
	dbg_set(u, DBG_REG_MSR, MSR_DE);
	dbg_set(u, DBG_REG_IAC1, 0x4);
	dbg_set(u, DBG_REG_IAC2, 0x8);
	dbg_set(u, DBG_REG_DAC1, 0x4);
	dbg_set(u, DBG_REG_DAC2, 0x8);
	dbg_set(u, DBG_REG_DBCR0, DBCR0_IDM | DBCR0_IAC1 | DBCR0_IAC2 | DBCR0_DAC1R | DBCR0_DAC1W |
		DBCR0_DAC2R | DBCR0_DAC2W | DBCR0_TRAP | DBCR0_RET);
}

/* The module's model is armed the same way, through the socket's back door, once binding is done. */
struct host : sc_module {
	tlm_utils::simple_initiator_socket<host> sock;
	explicit host(sc_module_name n, bookedbg::debug_unit &u) : sc_module(n), sock("sock")
	{
		sock.bind(u.spr);
	}
	void start_of_simulation() override
	{
		dbg_unit tmp;
		dbg_init(&tmp, DBG_E500V2);
		arm(&tmp);
		const dbg_reg_id regs[] = { DBG_REG_MSR, DBG_REG_IAC1, DBG_REG_IAC2, DBG_REG_DAC1,
					    DBG_REG_DAC2, DBG_REG_DBCR0 };
		for (dbg_reg_id r : regs) {
			uint32_t v = dbg_get(&tmp, r);
			tlm::tlm_generic_payload gp;
			gp.set_command(tlm::TLM_WRITE_COMMAND);
			gp.set_address(r == DBG_REG_MSR ? bookedbg::ADDR_MSR : (uint64_t)dbg_reg_desc[r].spr);
			gp.set_data_ptr(reinterpret_cast<unsigned char *>(&v));
			gp.set_data_length(4);
			sock->transport_dbg(gp);
		}
	}
};

double bare_once()
{
	static dbg_unit u;
	dbg_result r;
	dbg_init(&u, DBG_E500V2);
	arm(&u);
	double t0 = now();
	for (uint64_t c = 1; c <= TOTAL; c++)
		dbg_exec_inline(&u, c, &prog[c & MASK], &r);
	double dt = now() - t0;
	if (dbg_count_debug_int(&u))
		fprintf(stderr, "bench: unexpected debug interrupt\n");
	return dt;
}

/* Best pass times: [0] the mode's, [1] the bare loop's. */
double best[2] = { 1e9, 1e9 };
void took(double dt)
{
	if (dt < best[0])
		best[0] = dt;
}

/* A bare pass before each of the mode's passes (see the top). */
void bare_pass()
{
	double dt = bare_once();
	if (dt < best[1])
		best[1] = dt;
}

/* LT initiator: one bundle per cycle, local time kept inline or by a tlm_quantumkeeper. */
struct lt_init : sc_module {
	bookedbg::debug_unit &u;
	uint64_t quantum;
	bool direct, use_qk;
	SC_HAS_PROCESS(lt_init);
	lt_init(sc_module_name n, bookedbg::debug_unit &unit, uint64_t q, bool d, bool qk)
		: sc_module(n), u(unit), quantum(q), direct(d), use_qk(qk)
	{
		SC_THREAD(run);
	}
	void run()
	{
		retire_bundle b;
		b.n = 1;
		uint64_t c = 0;
		for (unsigned pass = 0; pass < ROUNDS; pass++) {
			bare_pass();
			double t0 = now();
			if (use_qk)
				c = pass_qk(b, c);
			else
				c = pass_inline(b, c);
			took(now() - t0);
		}
	}
	/* Temporal decoupling as tlm_quantumkeeper does it, with the local time kept inline: add one
	 * period per cycle, yield to the kernel once a quantum has been used up. */
	uint64_t pass_inline(retire_bundle &b, uint64_t c)
	{
		const sc_time q = P * (double)quantum;
		sc_time d = SC_ZERO_TIME;
		for (uint64_t k = 0; k < TOTAL; k++) {
			c++;
			b.cycle = c;
			b.slot[0].insn = prog[c & MASK];
			d += P;
			if (direct)
				u.b_retire(b, d);             /* final: no virtual call */
			else
				u.retire_in->b_retire(b, d);
			if (d >= q) {
				wait(d);
				d = SC_ZERO_TIME;
			}
		}
		wait(d);
		return c;
	}
	uint64_t pass_qk(retire_bundle &b, uint64_t c)
	{
		tlm_utils::tlm_quantumkeeper::set_global_quantum(P * (double)quantum);
		tlm_utils::tlm_quantumkeeper qk;
		qk.reset();
		for (uint64_t k = 0; k < TOTAL; k++) {
			c++;
			b.cycle = c;
			b.slot[0].insn = prog[c & MASK];
			qk.inc(P);
			sc_time d = qk.get_local_time();
			u.retire_in->b_retire(b, d);
			if (qk.need_sync())
				qk.sync();
		}
		qk.sync();
		return c;
	}
};

/* Stimulus for the clocked modes: each read() is the next cycle's instruction. */
struct feed : sc_prim_channel, sc_signal_in_if<retire_bundle> {
	mutable retire_bundle b;
	mutable uint64_t c = 0;
	mutable double t0 = 0;
	bookedbg::clocked_unit *cu = nullptr;
	sc_event never;
	explicit feed(const char *n) : sc_prim_channel(n) { b.n = 1; }
	const retire_bundle &read() const override
	{
		if (c % TOTAL == 0) {
			if (c)
				took(now() - t0);
			if (c == ROUNDS * TOTAL) {
				cu->stop();
				sc_stop();
				b.n = 0;
				return b;
			}
			bare_pass();
			t0 = now();
		}
		c++;
		b.cycle = c;
		b.slot[0].insn = prog[c & MASK];
		return b;
	}
	const retire_bundle &get_data_ref() const override { return b; }
	const sc_event &value_changed_event() const override { return never; }
	const sc_event &default_event() const override { return never; }
	bool event() const override { return false; }
};

/* RTL-style driver: writes the next bundle to a signal on every rising edge. */
struct driver : sc_module {
	sc_in<bool> clk;
	sc_out<retire_bundle> out;
	feed &src;
	SC_HAS_PROCESS(driver);
	driver(sc_module_name n, feed &f) : sc_module(n), clk("clk"), out("out"), src(f)
	{
		SC_METHOD(tick);
		sensitive << clk.pos();
		dont_initialize();
	}
	void tick() { out.write(src.read()); }
};

} // namespace

int sc_main(int argc, char **argv)
{
	std::string mode = argc > 1 ? argv[1] : "lt";
	make_prog();
	sc_report_handler::set_actions("/OSCI/SystemC", SC_INFO, SC_DO_NOTHING);
	if (mode == "lt" || mode == "lt-qk" || mode == "lt-q1" || mode == "lt-direct") {
		bookedbg::debug_unit u("u", DBG_E500V2, nullptr, P);
		host h("host", u);
		lt_init init("init", u, mode == "lt-q1" ? 1 : 1000, mode == "lt-direct", mode == "lt-qk");
		sc_start();
	} else if (mode == "clocked" || mode == "sc-clock" || mode == "sc-clock-signal") {
		bookedbg::clocked_unit cu("cu", DBG_E500V2, nullptr, P);
		feed f("feed");
		f.cu = &cu;
		/* only what the mode uses exists: an idle sc_clock would still cost its events */
		std::unique_ptr<sc_clock> clk;
		std::unique_ptr<sc_signal<retire_bundle>> sig;
		std::unique_ptr<driver> drv;
		if (mode != "clocked") {
			clk.reset(new sc_clock("clk", P));
			cu.clk.bind(*clk);
		}
		if (mode == "sc-clock-signal") {
			sig.reset(new sc_signal<retire_bundle>("sig"));
			drv.reset(new driver("drv", f));
			drv->clk(*clk);
			drv->out(*sig);
			cu.retire_in.bind(*sig);
		} else {
			cu.retire_in.bind(f);
		}
		host h("host", cu.unit);
		sc_start();
	} else {
		fprintf(stderr, "usage: bench_sc lt|lt-qk|lt-direct|lt-q1|clocked|sc-clock|sc-clock-signal\n");
		return 2;
	}
	double ns_bare = best[1] / TOTAL * 1e9, ns = best[0] / TOTAL * 1e9;
	printf("  %-16s %7.2f ns/cycle  %7.1f M cycles/s  %6.2fx the bare C model (%.2f ns/insn)\n",
	       mode.c_str(), ns, 1e3 / ns, ns / ns_bare, ns_bare);
	return 0;
}
