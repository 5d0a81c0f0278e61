/* A tiny SystemC platform built against an installed bookedbg-systemc with nothing but
 *   c++ sc_platform.cpp $(pkg-config --cflags --libs bookedbg-systemc)
 * (make test-install-systemc). A core model's side of the module: an initiator that sets the debug
 * registers over the `spr` socket (MSR through its back door: MSR has no SPR number), retires a few
 * instructions through a port bound to `retire_in`, keeping its local time with a quantum keeper,
 * and a monitor that sees the debug interrupt on `debug_irq`. Exit 0 when the one interrupt came
 * in the cycle the instruction IAC1 points at completed, with CSRR0 naming it; 1 otherwise. */
#include <bookedbg_sc.h>

#include <cstdio>

#include <tlm_utils/simple_initiator_socket.h>
#include <tlm_utils/tlm_quantumkeeper.h>

using namespace sc_core;

namespace {

const sc_time PERIOD(10, SC_NS);
const uint32_t BREAK_AT = 0x2008;
const unsigned BREAK_CYCLE = 8;   /* four mtsprs, the isync, nops at 0x2000, 0x2004 and 0x2008 */

struct core_model : sc_module {
	tlm_utils::simple_initiator_socket<core_model> spr;
	sc_port<bookedbg::retire_if> retire;
	tlm_utils::tlm_quantumkeeper qk;
	bool ok = true;

	SC_HAS_PROCESS(core_model);
	explicit core_model(sc_module_name n) : sc_module(n), spr("spr"), retire("retire")
	{
		SC_THREAD(run);
	}

	/* mtspr over the socket (b_transport), or the back door (transport_dbg) for MSR. */
	void write(uint64_t addr, uint32_t v, bool back_door = false)
	{
		tlm::tlm_generic_payload gp;
		gp.set_command(tlm::TLM_WRITE_COMMAND);
		gp.set_address(addr);
		gp.set_data_ptr(reinterpret_cast<unsigned char *>(&v));
		gp.set_data_length(4);
		gp.set_streaming_width(4);
		if (back_door) {
			ok = ok && spr->transport_dbg(gp) == 4;
			return;
		}
		qk.inc(PERIOD);               /* each mtspr completes in a cycle of its own */
		sc_time d = qk.get_local_time();
		spr->b_transport(gp, d);
		ok = ok && gp.is_response_ok();
	}

	void retire_one(uint32_t pc, dbg_insn_kind kind)
	{
		bookedbg::retire_bundle b;
		b.n = 1;
		b.slot[0].insn.kind = kind;
		b.slot[0].insn.pc = pc;
		b.slot[0].insn.reg = -1;
		qk.inc(PERIOD);
		sc_time d = qk.get_local_time();
		retire->b_retire(b, d);       /* the cycle comes from the time (CYCLE_FROM_TIME) */
		if (qk.need_sync())
			qk.sync();
	}

	void run()
	{
		qk.reset();
		write(bookedbg::ADDR_MSR, MSR_DE, true);
		write(dbg_reg_desc[DBG_REG_IVPR].spr, 0xFFFF0000);
		write(dbg_reg_desc[DBG_REG_IVOR15].spr, 0xF00);
		write(dbg_reg_desc[DBG_REG_IAC1].spr, BREAK_AT);
		write(dbg_reg_desc[DBG_REG_DBCR0].spr, DBCR0_IDM | DBCR0_IAC1);
		retire_one(0x1000, DBG_I_ISYNC);  /* the comparators take the new values here */
		for (uint32_t pc = 0x2000; pc <= BREAK_AT; pc += 4)
			retire_one(pc, DBG_I_NOP);
		qk.sync();
		wait(PERIOD * 2.0);               /* the strobe rises and falls */
	}
};

struct monitor : sc_module {
	sc_in<bool> irq;
	unsigned rises = 0;
	sc_time when;
	SC_HAS_PROCESS(monitor);
	explicit monitor(sc_module_name n) : sc_module(n), irq("irq")
	{
		SC_METHOD(seen);
		sensitive << irq.pos();
		dont_initialize();
	}
	void seen()
	{
		rises++;
		when = sc_time_stamp();
	}
};

} // namespace

int sc_main(int, char **)
{
	bookedbg::debug_unit dut("dut", DBG_E500V2, nullptr, PERIOD);
	core_model core("core");
	monitor mon("mon");
	core.spr.bind(dut.spr);
	core.retire.bind(dut.retire_in);
	mon.irq.bind(dut.debug_irq);
	sc_start();
	const uint32_t saved = dut.save_pc.read();
	const bool pass = core.ok && mon.rises == 1 && mon.when == PERIOD * (double)BREAK_CYCLE &&
			  saved == BREAK_AT && dut.errors() == 0;
	printf("sc_platform: %u debug interrupt(s) signalled, at %s; %s = 0x%08X; %llu refused: %s\n",
	       mon.rises, mon.when.to_string().c_str(), dut.save_pc.basename(), saved,
	       (unsigned long long)dut.errors(), pass ? "ok" : "FAIL");
	return pass ? 0 : 1;
}
