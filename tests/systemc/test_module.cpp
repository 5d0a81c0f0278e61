/* Tests of the SystemC module itself: what each way in means, and when each output changes.
 * SystemC 2.3 elaborates once per process, so tests/systemc/run_each.sh runs every TEST in a process
 * of its own (--gtest_filter); main() -> sc_elab_and_sim -> sc_main -> RUN_ALL_TESTS, as VCML does. */
#define SC_INCLUDE_DYNAMIC_PROCESSES
#include <gtest/gtest.h>

#include <algorithm>
#include <cstring>
#include <functional>
#include <iostream>
#include <sstream>
#include <vector>

#include <tlm_utils/simple_initiator_socket.h>

#include "bookedbg_sc.h"

using namespace sc_core;
using bookedbg::retire_bundle;

namespace {

const sc_time P(10, SC_NS);

/* A testbench thread with an initiator socket; the test's body runs in it. */
struct tb : sc_module {
	tlm_utils::simple_initiator_socket<tb> sock;
	std::function<void(tb &)> body;
	SC_HAS_PROCESS(tb);
	tb(sc_module_name n, std::function<void(tb &)> b) : sc_module(n), sock("sock"), body(b)
	{
		SC_THREAD(run);
	}
	void run() { body(*this); }

	tlm::tlm_response_status access(tlm::tlm_command cmd, uint64_t addr, uint32_t &v,
					unsigned len = 4, unsigned char *be = nullptr)
	{
		tlm::tlm_generic_payload gp;
		unsigned char buf[8] = {};
		std::memcpy(buf, &v, 4);
		gp.set_command(cmd);
		gp.set_address(addr);
		gp.set_data_ptr(buf);
		gp.set_data_length(len);
		gp.set_streaming_width(len);
		if (be) {
			gp.set_byte_enable_ptr(be);
			gp.set_byte_enable_length(4);
		}
		sc_time d = SC_ZERO_TIME;
		sock->b_transport(gp, d);
		std::memcpy(&v, buf, 4);
		return gp.get_response_status();
	}
	void write(uint64_t a, uint32_t v) { ASSERT_EQ(access(tlm::TLM_WRITE_COMMAND, a, v), tlm::TLM_OK_RESPONSE); }
	uint32_t read(uint64_t a)
	{
		uint32_t v = 0;
		EXPECT_EQ(access(tlm::TLM_READ_COMMAND, a, v), tlm::TLM_OK_RESPONSE);
		return v;
	}
	void poke(uint64_t a, uint32_t v)
	{
		tlm::tlm_generic_payload gp;
		gp.set_command(tlm::TLM_WRITE_COMMAND);
		gp.set_address(a);
		gp.set_data_ptr(reinterpret_cast<unsigned char *>(&v));
		gp.set_data_length(4);
		ASSERT_EQ(sock->transport_dbg(gp), 4u);
	}
	uint32_t peek(uint64_t a)
	{
		uint32_t v = 0;
		tlm::tlm_generic_payload gp;
		gp.set_command(tlm::TLM_READ_COMMAND);
		gp.set_address(a);
		gp.set_data_ptr(reinterpret_cast<unsigned char *>(&v));
		gp.set_data_length(4);
		EXPECT_EQ(sock->transport_dbg(gp), 4u);
		return v;
	}
};

const uint64_t DBSR = 304, DBCR0 = 308, IAC1 = 312, IVPR = 63, IVOR15 = 415;

retire_bundle one(uint32_t pc, dbg_insn_kind k = DBG_I_NOP, uint64_t cycle = bookedbg::CYCLE_FROM_TIME)
{
	retire_bundle b;
	b.cycle = cycle;
	b.n = 1;
	b.slot[0].insn.kind = k;
	b.slot[0].insn.pc = pc;
	b.slot[0].insn.reg = -1;
	return b;
}

/* Arm IAC1 at addr with IDM, DE=1, debug vector 0xFFFF0F00, through the back door. */
void arm_iac1(tb &t, uint32_t addr, uint32_t msr = MSR_DE)
{
	t.poke(IVPR, 0xFFFF0000);
	t.poke(IVOR15, 0xF00);
	t.poke(bookedbg::ADDR_MSR, msr);
	t.poke(IAC1, addr);
	t.poke(DBCR0, DBCR0_IDM | DBCR0_IAC1);
}

/* Record every change of a bool/uint32 signal with its time. */
template <typename T>
struct watch : sc_module {
	std::vector<std::pair<sc_time, T>> seen;
	SC_HAS_PROCESS(watch);
	watch(sc_module_name n, sc_signal<T> &s) : sc_module(n), sig(s)
	{
		SC_METHOD(on);
		sensitive << s;
		dont_initialize();
	}
	sc_signal<T> &sig;
	void on() { seen.emplace_back(sc_time_stamp(), sig.read()); }
};

} // namespace

TEST(SprSocket, WriteIsSoftwareMtsprSoDbsrIsWriteOneToClear)
{
	bookedbg::debug_unit u("u", DBG_E500V2);
	tb t("t", [](tb &t) {
		t.poke(DBSR, DBSR_IAC1 | DBSR_ICMP);     /* back door: loaded as given */
		EXPECT_EQ(t.peek(DBSR), DBSR_IAC1 | DBSR_ICMP);
		t.write(DBSR, DBSR_ICMP);                 /* mtspr: clears the 1s only */
		EXPECT_EQ(t.read(DBSR), DBSR_IAC1);
	});
	t.sock.bind(u.spr);
	sc_start();
}

TEST(SprSocket, WriteCannotSetEdmButTheBackDoorCan)
{
	bookedbg::debug_unit u("u", DBG_E500V2);
	tb t("t", [](tb &t) {
		t.write(DBCR0, DBCR0_EDM | DBCR0_IDM);
		EXPECT_EQ(t.peek(DBCR0), DBCR0_IDM);
		t.poke(DBCR0, DBCR0_EDM | DBCR0_IDM);
		EXPECT_EQ(t.peek(DBCR0), DBCR0_EDM | DBCR0_IDM);
	});
	t.sock.bind(u.spr);
	sc_start();
}

TEST(SprSocket, RejectsAddressesBurstsAndByteEnables)
{
	bookedbg::debug_unit u("u", DBG_E500V2);
	tb t("t", [&](tb &t) {
		uint32_t v = 0;
		EXPECT_EQ(t.access(tlm::TLM_READ_COMMAND, 1024, v), tlm::TLM_ADDRESS_ERROR_RESPONSE);
		EXPECT_EQ(t.access(tlm::TLM_READ_COMMAND, DBSR, v, 8), tlm::TLM_BURST_ERROR_RESPONSE);
		unsigned char be[4] = { 0xFF, 0, 0xFF, 0 };
		EXPECT_EQ(t.access(tlm::TLM_WRITE_COMMAND, DBSR, v, 4, be),
			  tlm::TLM_BYTE_ENABLE_ERROR_RESPONSE);
		EXPECT_EQ(dbg_count_exec(&u.state()), 0u);          /* nothing reached the model */
	});
	t.sock.bind(u.spr);
	sc_start();
}

TEST(SprSocket, MtsprIsAnInstructionSoSingleStepFiresOnIt)
{
	bookedbg::debug_unit u("u", DBG_E500V2);
	std::vector<dbg_result> seen;
	u.set_observer([&](unsigned, const dbg_result &r) { seen.push_back(r); });
	tb t("t", [&](tb &t) {
		t.poke(bookedbg::ADDR_PC, 0x1000);
		t.poke(bookedbg::ADDR_MSR, MSR_DE);
		t.poke(DBCR0, DBCR0_IDM | DBCR0_ICMP);
		t.write(IAC1, 0x4000);                     /* mtspr IAC1 at PC 0x1000 completes: ICMP */
	});
	t.sock.bind(u.spr);
	sc_start();
	ASSERT_EQ(seen.size(), 1u);
	EXPECT_EQ(seen[0].events, DBSR_ICMP);
	ASSERT_EQ(seen[0].nirq, 1u);
	EXPECT_EQ(seen[0].irq[0].kind, DBG_IRQ_DEBUG);
	EXPECT_EQ(seen[0].irq[0].saved_pc, 0x1004u);
	EXPECT_EQ(dbg_get(&u.state(), DBG_REG_IAC1), 0x4000u);
}

TEST(Retire, OlderInterruptSquashesTheYoungerOfAPair)
{
	bookedbg::debug_unit u("u", DBG_E500V2);
	tb t("t", [&](tb &t) {
		arm_iac1(t, 0x2000);
		retire_bundle b = one(0x2000, DBG_I_NOP, 5);
		b.n = 2;
		b.slot[1] = b.slot[0];
		b.slot[1].insn.pc = 0x2004;
		sc_time d = SC_ZERO_TIME;
		u.retire_in->b_retire(b, d);
	});
	t.sock.bind(u.spr);
	sc_start();
	EXPECT_EQ(u.result(0).events, DBSR_IAC1);
	EXPECT_EQ(u.result(0).action, DBG_ACT_DEBUG);
	EXPECT_EQ(u.result(1).action, DBG_ACT_SQUASHED);
	EXPECT_EQ(u.result(1).cycle, 5u);
}

TEST(Retire, MsrFromTheCoreIsLoadedBeforeTheInstruction)
{
	bookedbg::debug_unit u("u", DBG_E500V2);
	tb t("t", [&](tb &t) {
		arm_iac1(t, 0x2000, 0);                    /* the model believes DE=0 */
		retire_bundle b = one(0x2000, DBG_I_NOP, 1);
		b.slot[0].has_msr = true;
		b.slot[0].msr = MSR_DE;                    /* the core says DE=1 */
		sc_time d = SC_ZERO_TIME;
		u.retire_in->b_retire(b, d);
	});
	t.sock.bind(u.spr);
	sc_start();
	EXPECT_EQ(u.result(0).action, DBG_ACT_DEBUG);  /* precise, not delayed with IDE */
	EXPECT_EQ(u.result(0).dbsr & DBSR_IDE, 0u);
}

TEST(Retire, CycleComesFromTheCallTimeWhenTheBundleHasNone)
{
	bookedbg::debug_unit u("u", DBG_E500V2, nullptr, P);
	tb t("t", [&](tb &) {
		sc_time d = P * 3.0;
		u.retire_in->b_retire(one(0x1000), d);
		d = P * 7.0;
		u.retire_in->b_retire(one(0x1004), d);
	});
	t.sock.bind(u.spr);
	sc_start();
	EXPECT_EQ(u.result(0).cycle, 7u);
	EXPECT_EQ(dbg_count_exec(&u.state()), 2u);
}

/* The initiator runs 1000 cycles ahead of the kernel (one quantum) and retires an IAC1 hit in
 * cycle 5 and an unrelated instruction in cycle 9; the outputs still change at cycle 5 exactly and
 * the strobes last one cycle. */
TEST(Outputs, ChangeAtTheirCycleUnderTemporalDecoupling)
{
	bookedbg::debug_unit u("u", DBG_E500V2, nullptr, P);
	watch<bool> irq("irq", u.debug_irq), ev("ev", u.event);
	watch<uint32_t> dbsr("dbsr", u.dbsr);
	tb t("t", [&](tb &t) {
		arm_iac1(t, 0x2000);
		sc_time d = P * 5.0;                       /* still at time 0 */
		u.retire_in->b_retire(one(0x2000), d);
		d = P * 9.0;
		u.retire_in->b_retire(one(0x3000), d);
		EXPECT_EQ(sc_time_stamp(), SC_ZERO_TIME);
	});
	t.sock.bind(u.spr);
	sc_start();
	ASSERT_EQ(irq.seen.size(), 2u);
	EXPECT_EQ(irq.seen[0], std::make_pair(P * 5.0, true));
	EXPECT_EQ(irq.seen[1], std::make_pair(P * 6.0, false));
	ASSERT_EQ(ev.seen.size(), 2u);
	EXPECT_EQ(ev.seen[0].first, P * 5.0);
	ASSERT_EQ(dbsr.seen.size(), 1u);
	EXPECT_EQ(dbsr.seen[0], std::make_pair(P * 5.0, (uint32_t)DBSR_IAC1));
}

/* Sticky DBSR and a strobe per cycle: with DE=0, IAC1 in cycle 2 and IAC2 in cycle 3 are recorded
 * (with IDE, no interrupt); `event` stays high for both cycles, DBSR only ever gains bits. */
TEST(Outputs, BackToBackEventsKeepTheStrobeHighAndDbsrSticky)
{
	bookedbg::debug_unit u("u", DBG_E500V2, nullptr, P);
	watch<bool> ev("ev", u.event), irq("irq", u.debug_irq);
	watch<uint32_t> dbsr("dbsr", u.dbsr);
	tb t("t", [&](tb &t) {
		t.poke(IAC1, 0x1000);
		t.poke(IAC1 + 1, 0x1004);                  /* IAC2 is SPR 313 */
		t.poke(DBCR0, DBCR0_IDM | DBCR0_IAC1 | DBCR0_IAC2);
		sc_time d = P * 2.0;
		u.retire_in->b_retire(one(0x1000), d);
		d = P * 3.0;
		u.retire_in->b_retire(one(0x1004), d);
	});
	t.sock.bind(u.spr);
	sc_start();
	EXPECT_EQ(ev.seen, (std::vector<std::pair<sc_time, bool>>{ { P * 2.0, true }, { P * 4.0, false } }));
	EXPECT_TRUE(irq.seen.empty());
	const uint32_t first = DBSR_IDE | DBSR_IAC1;
	EXPECT_EQ(dbsr.seen, (std::vector<std::pair<sc_time, uint32_t>>{ { P * 2.0, first },
									 { P * 3.0, first | DBSR_IAC2 } }));
	EXPECT_EQ(u.dbsr.read(), first | DBSR_IAC2);
}

/* An instruction that completes later than its bundle's cycle (behind a serializing elder) changes
 * the outputs in the cycle it completes: here an IAC1 hit on the younger of an isync pair in
 * cycle 3 completes, and interrupts, in cycle 4. */
TEST(Outputs, ALateCompletionShowsInItsOwnCycle)
{
	bookedbg::debug_unit u("u", DBG_E500V2, nullptr, P);
	watch<bool> irq("irq", u.debug_irq);
	watch<uint32_t> pc("pc", u.pc);
	tb t("t", [&](tb &t) {
		arm_iac1(t, 0x1004);
		u.track_pc(true);
		retire_bundle b = one(0x1000, DBG_I_ISYNC, 3);
		b.n = 2;
		b.slot[1] = one(0x1004).slot[0];
		sc_time d = P * 3.0;
		u.retire_in->b_retire(b, d);
	});
	t.sock.bind(u.spr);
	sc_start();
	ASSERT_EQ(u.result(1).cycle, 4u);
	EXPECT_EQ(irq.seen, (std::vector<std::pair<sc_time, bool>>{ { P * 4.0, true }, { P * 5.0, false } }));
	EXPECT_EQ(pc.seen, (std::vector<std::pair<sc_time, uint32_t>>{ { P * 3.0, 0x1004u },
								       { P * 4.0, 0xFFFF0F00u } }));
}

/* ---- refusals: bad input changes nothing, is counted and is reported ----------------------- */

/* A unit whose observer records every item that reached it. */
struct refusal_case {
	bookedbg::debug_unit u{ "u", DBG_E500V2, nullptr, P };
	std::vector<dbg_result> seen;
	refusal_case()
	{
		u.set_observer([this](unsigned, const dbg_result &r) { seen.push_back(r); });
	}
};

bool same_unit(const dbg_unit &a, const dbg_unit &b)
{
	return std::memcmp(&a, &b, sizeof a) == 0;
}

retire_bundle bad_insn(void (*spoil)(bookedbg::retire_slot &))
{
	retire_bundle b = one(0x2000, DBG_I_LOAD, 3);
	b.slot[0].insn.size = 4;
	spoil(b.slot[0]);
	return b;
}

/* Every kind of bad item the model's dbg_status names, and the wrapper's own two. */
TEST(Refusal, BadRetireItemsChangeNothingAndAreCountedAndReported)
{
	refusal_case c;
	const std::vector<std::pair<int, retire_bundle>> cases = {
		{ DBG_ESIZE, bad_insn([](bookedbg::retire_slot &s) { s.insn.size = 3; }) },
		{ DBG_EKIND, bad_insn([](bookedbg::retire_slot &s) { s.insn.kind = DBG_I_COUNT; }) },
		{ DBG_EKIND, bad_insn([](bookedbg::retire_slot &s) { s.insn.fault = DBG_F_COUNT; }) },
		{ DBG_EREG, bad_insn([](bookedbg::retire_slot &s) { s.insn.kind = DBG_I_MTSPR; s.insn.reg = 200; }) },
		{ DBG_EINVAL, bad_insn([](bookedbg::retire_slot &s) { s.insn.flags = 0x80; }) },
		{ DBG_EKIND, bad_insn([](bookedbg::retire_slot &s) { s.kind = bookedbg::retire_slot::IRQ; s.irq = DBG_IRQ_DEBUG; }) },
		{ DBG_EKIND, bad_insn([](bookedbg::retire_slot &s) { s.kind = (bookedbg::retire_slot::kind_t)7; }) },
		{ DBG_ECYCLE, one(0x2000, DBG_I_NOP, 2) },                      /* after cycle 3 */
		{ DBG_EINVAL, [] { retire_bundle b = one(0x2000, DBG_I_NOP, 4); b.n = 3; return b; }() },
	};
	sc_report_handler::set_actions(bookedbg::MSG_REFUSED, SC_DO_NOTHING);
	tb t("t", [&](tb &t) {
		arm_iac1(t, 0x2000);
		sc_time d = SC_ZERO_TIME;
		c.u.retire_in->b_retire(one(0x1000, DBG_I_NOP, 3), d);   /* a good one first: cycle 3 */
		const size_t good = c.seen.size();
		for (size_t k = 0; k < cases.size(); k++) {
			const dbg_unit before = c.u.state();
			c.u.retire_in->b_retire(cases[k].second, d);
			EXPECT_TRUE(same_unit(before, c.u.state())) << "case " << k;
			EXPECT_EQ(c.u.errors(), k + 1) << "case " << k;
			EXPECT_EQ(c.u.last_error(), cases[k].first) << "case " << k;
			EXPECT_EQ(c.seen.size(), good) << "case " << k << " reached the observer";
		}
	});
	t.sock.bind(c.u.spr);
	sc_start();
	EXPECT_EQ(sc_report_handler::get_count(bookedbg::MSG_REFUSED), (int)cases.size());
	EXPECT_EQ(dbg_count_exec(&c.u.state()), 1u);
	EXPECT_EQ(c.u.dbsr.read(), 0u);        /* the IAC1 hit at 0x2000 never ran */
	EXPECT_FALSE(c.u.event.read());
}

/* The same refusals in the fast path's shape (one instruction, named cycle, nothing watching). */
TEST(Refusal, UnwatchedFastPathRefusesToo)
{
	bookedbg::debug_unit u("u", DBG_E500V2, nullptr, P);
	sc_report_handler::set_actions(bookedbg::MSG_REFUSED, SC_DO_NOTHING);
	tb t("t", [&](tb &t) {
		arm_iac1(t, 0x2000);
		const dbg_unit before = u.state();
		sc_time d = SC_ZERO_TIME;
		u.retire_in->b_retire(bad_insn([](bookedbg::retire_slot &s) { s.insn.size = 16; }), d);
		EXPECT_TRUE(same_unit(before, u.state()));
		EXPECT_EQ(u.errors(), 1u);
		EXPECT_EQ(u.last_error(), DBG_ESIZE);
	});
	t.sock.bind(u.spr);
	sc_start();
	EXPECT_EQ(dbg_count_exec(&u.state()), 0u);
}

/* A refused elder does not take its partner down: the younger item runs as if alone. */
TEST(Refusal, TheOtherItemOfTheBundleStillRuns)
{
	bookedbg::debug_unit u("u", DBG_E500V2, nullptr, P);
	sc_report_handler::set_actions(bookedbg::MSG_REFUSED, SC_DO_NOTHING);
	tb t("t", [&](tb &t) {
		arm_iac1(t, 0x2000);
		retire_bundle b = bad_insn([](bookedbg::retire_slot &s) { s.insn.size = 3; });
		b.n = 2;
		b.slot[1] = one(0x2000, DBG_I_NOP).slot[0];
		sc_time d = SC_ZERO_TIME;
		u.retire_in->b_retire(b, d);
	});
	t.sock.bind(u.spr);
	sc_start();
	EXPECT_EQ(u.errors(), 1u);
	EXPECT_EQ(dbg_count_exec(&u.state()), 1u);
	EXPECT_EQ(u.result(1).events, DBSR_IAC1);
	EXPECT_EQ(u.result(1).action, DBG_ACT_DEBUG);
}

/* has_msr loads the core's MSR before the instruction: refused, the load is undone too. */
TEST(Refusal, TheCoreMsrOfARefusedInstructionIsNotLoaded)
{
	bookedbg::debug_unit u("u", DBG_E500V2, nullptr, P);
	sc_report_handler::set_actions(bookedbg::MSG_REFUSED, SC_DO_NOTHING);
	tb t("t", [&](tb &t) {
		arm_iac1(t, 0x2000, 0);
		const dbg_unit before = u.state();
		retire_bundle b = bad_insn([](bookedbg::retire_slot &s) { s.insn.size = 5; });
		b.slot[0].has_msr = true;
		b.slot[0].msr = MSR_DE;
		sc_time d = SC_ZERO_TIME;
		u.retire_in->b_retire(b, d);
		EXPECT_TRUE(same_unit(before, u.state()));
	});
	t.sock.bind(u.spr);
	sc_start();
	EXPECT_EQ(dbg_get(&u.state(), DBG_REG_MSR), 0u);
	EXPECT_EQ(u.errors(), 1u);
}

/* The warning names the module and the reason, on one line, and reports_to_stderr sends it to
 * stderr: nothing reaches stdout. */
TEST(Refusal, TheWarningIsOneLineOnStderr)
{
	bookedbg::debug_unit u("u", DBG_E500V2, nullptr, P);
	std::ostringstream out, err;
	std::streambuf *o = std::cout.rdbuf(out.rdbuf()), *e = std::cerr.rdbuf(err.rdbuf());
	bookedbg::reports_to_stderr();
	tb t("t", [&](tb &) {
		sc_time d = SC_ZERO_TIME;
		u.retire_in->b_retire(bad_insn([](bookedbg::retire_slot &s) { s.insn.size = 3; }), d);
	});
	t.sock.bind(u.spr);
	sc_start();
	std::cout.rdbuf(o);
	std::cerr.rdbuf(e);
	EXPECT_EQ(out.str(), "");
	const std::string w = err.str();
	EXPECT_EQ(std::count(w.begin(), w.end(), '\n'), 1) << w;
	EXPECT_NE(w.find("Warning: /bookedbg/debug_unit/refused: u: refused retire slot 0: instruction load"),
		  std::string::npos) << w;
	EXPECT_NE(w.find(dbg_strerror(DBG_ESIZE)), std::string::npos) << w;
}

/* b_transport's cycle comes from the call's time: one before the last completion is refused with
 * an error response, not run a cycle late. */
TEST(Refusal, SocketCallBeforeTheLastCompletionIsAnErrorResponse)
{
	bookedbg::debug_unit u("u", DBG_E500V2, nullptr, P);
	tb t("t", [&](tb &t) {
		sc_time d = SC_ZERO_TIME;
		u.retire_in->b_retire(one(0x1000, DBG_I_NOP, 5), d);
		const dbg_unit before = u.state();
		uint32_t v = DBCR0_IDM;
		EXPECT_EQ(t.access(tlm::TLM_WRITE_COMMAND, DBCR0, v), tlm::TLM_GENERIC_ERROR_RESPONSE);
		EXPECT_TRUE(same_unit(before, u.state()));
		EXPECT_EQ(u.last_error(), DBG_ECYCLE);
	});
	t.sock.bind(u.spr);
	sc_start();
	EXPECT_EQ(u.errors(), 1u);
	EXPECT_EQ(dbg_get(&u.state(), DBG_REG_DBCR0), 0u);
}

TEST(Refusal, SocketWithoutADataPointerIsAnErrorResponse)
{
	bookedbg::debug_unit u("u", DBG_E500V2);
	tb t("t", [&](tb &t) {
		tlm::tlm_generic_payload gp;
		gp.set_command(tlm::TLM_WRITE_COMMAND);
		gp.set_address(DBCR0);
		gp.set_data_ptr(nullptr);
		gp.set_data_length(4);
		gp.set_streaming_width(4);
		sc_time d = SC_ZERO_TIME;
		t.sock->b_transport(gp, d);
		EXPECT_EQ(gp.get_response_status(), tlm::TLM_GENERIC_ERROR_RESPONSE);
	});
	t.sock.bind(u.spr);
	sc_start();
	EXPECT_EQ(u.errors(), 1u);
	EXPECT_EQ(dbg_count_exec(&u.state()), 0u);
}

/* The back door moves whole registers: byte enables, no data pointer, a command that is neither
 * read nor write, an address with no register, a length other than 4 move nothing (0 bytes). */
TEST(Refusal, BackDoorMovesNothingForABadTransaction)
{
	bookedbg::debug_unit u("u", DBG_E500V2);
	tb t("t", [&](tb &t) {
		const dbg_unit before = u.state();
		unsigned char be[4] = { 0xFF, 0, 0, 0 };
		uint32_t v = 0xFFFFFFFF;
		auto dbg = [&](tlm::tlm_command cmd, uint64_t a, unsigned len, unsigned char *data,
			       unsigned char *bytes) {
			tlm::tlm_generic_payload gp;
			gp.set_command(cmd);
			gp.set_address(a);
			gp.set_data_ptr(data);
			gp.set_data_length(len);
			gp.set_byte_enable_ptr(bytes);
			gp.set_byte_enable_length(bytes ? 4 : 0);
			return t.sock->transport_dbg(gp);
		};
		unsigned char *p = reinterpret_cast<unsigned char *>(&v);
		EXPECT_EQ(dbg(tlm::TLM_WRITE_COMMAND, DBCR0, 4, p, be), 0u);
		EXPECT_EQ(dbg(tlm::TLM_WRITE_COMMAND, DBCR0, 4, nullptr, nullptr), 0u);
		EXPECT_EQ(dbg(tlm::TLM_IGNORE_COMMAND, DBCR0, 4, p, nullptr), 0u);
		EXPECT_EQ(dbg(tlm::TLM_WRITE_COMMAND, 1, 4, p, nullptr), 0u);       /* SPR 1: XER */
		EXPECT_EQ(dbg(tlm::TLM_WRITE_COMMAND, DBCR0, 2, p, nullptr), 0u);
		EXPECT_TRUE(same_unit(before, u.state()));
		EXPECT_EQ(u.errors(), 5u);
	});
	t.sock.bind(u.spr);
	sc_start();
}

/* A constructor has no status to return: a core or option value out of range stops elaboration
 * with an error report (thrown, by SystemC's default actions) instead of a unit built on them. */
TEST(Refusal, ABadCoreOrOptionIsAnElaborationError)
{
	dbg_opts o;
	dbg_opts_default(&o, DBG_E500V2);
	o.v[DBG_OPT_PAIR_MODES] = 9;
	EXPECT_THROW(bookedbg::debug_unit("bad_opts", DBG_E500V2, &o), sc_report);
	EXPECT_THROW(bookedbg::debug_unit("bad_core", (dbg_core)7), sc_report);
}

/* ---- the waveform outputs besides the debug status ----------------------------------------- */

/* The save registers are named after the core's (CSRR0/1 on the e500v2, DSRR0/1 on the e500mc) and
 * change with the interrupt, with the vector, in its cycle. */
void save_registers_follow_the_interrupt(dbg_core core, const char *s0, const char *s1)
{
	bookedbg::debug_unit u("u", core, nullptr, P);
	watch<uint32_t> save("save", u.save_pc), vec("vec", u.debug_vector);
	tb t("t", [&](tb &t) {
		arm_iac1(t, 0x2000, MSR_DE | 0x200);
		sc_time d = P * 4.0;
		u.retire_in->b_retire(one(0x2000), d);
	});
	t.sock.bind(u.spr);
	sc_start();
	EXPECT_STREQ(u.save_pc.basename(), s0);
	EXPECT_STREQ(u.save_msr.basename(), s1);
	EXPECT_EQ(save.seen, (std::vector<std::pair<sc_time, uint32_t>>{ { P * 4.0, 0x2000u } }));
	EXPECT_EQ(vec.seen, (std::vector<std::pair<sc_time, uint32_t>>{ { P * 4.0, 0xFFFF0F00u } }));
	EXPECT_EQ(u.save_msr.read(), MSR_DE | 0x200);
}

TEST(Outputs, SaveRegistersAreCsrrOnE500v2)
{
	save_registers_follow_the_interrupt(DBG_E500V2, "csrr0", "csrr1");
}

TEST(Outputs, SaveRegistersAreDsrrOnE500mc)
{
	save_registers_follow_the_interrupt(DBG_E500MC, "dsrr0", "dsrr1");
}

/* PC changes every cycle: driven only while tracked (trace() tracks it), cycle-exact then. The
 * untracked instruction hits IAC1 (recorded, DE=0): the other outputs change, pc does not. */
TEST(Outputs, PcIsDrivenOnlyWhileTracked)
{
	bookedbg::debug_unit u("u", DBG_E500V2, nullptr, P);
	watch<uint32_t> pc("pc", u.pc), dbsr("dbsr", u.dbsr);
	tb t("t", [&](tb &t) {
		arm_iac1(t, 0x1000, 0);
		sc_time d = P;
		u.retire_in->b_retire(one(0x1000, DBG_I_NOP, 1), d);
		u.track_pc(true);
		d = P * 2.0;
		u.retire_in->b_retire(one(0x1004, DBG_I_NOP, 2), d);
		d = P * 3.0;
		u.retire_in->b_retire(one(0x1008, DBG_I_NOP, 3), d);
	});
	t.sock.bind(u.spr);
	sc_start();
	ASSERT_EQ(dbsr.seen.size(), 1u);
	EXPECT_EQ(dbsr.seen[0].first, P);
	EXPECT_EQ(pc.seen, (std::vector<std::pair<sc_time, uint32_t>>{ { P * 2.0, 0x1008u },
								       { P * 3.0, 0x100Cu } }));
}

TEST(Clocked, SamplesTheRetireSignalOnTheClockEdge)
{
	sc_clock clk("clk", P);
	sc_signal<retire_bundle> in("in");
	bookedbg::clocked_unit cu("cu", DBG_E500V2, nullptr, P);
	cu.clk.bind(clk);
	cu.retire_in.bind(in);
	std::vector<uint64_t> cycles;
	cu.unit.set_observer([&](unsigned, const dbg_result &r) { cycles.push_back(r.cycle); });
	tb t("t", [&](tb &) {
		wait(P * 3.5);
		in.write(one(0x1000));                     /* held for one edge (cycle 4) */
		wait(P);
		in.write(retire_bundle{});
		wait(P * 2.0);
		sc_stop();
	});
	t.sock.bind(cu.unit.spr);
	sc_report_handler::set_actions("/OSCI/SystemC", SC_INFO, SC_DO_NOTHING);
	sc_start();
	EXPECT_EQ(cycles, std::vector<uint64_t>{ 4 });
}

TEST(Clocked, WithoutAClockSamplesEveryPeriodByItself)
{
	sc_signal<retire_bundle> in("in");
	bookedbg::clocked_unit cu("cu", DBG_E500V2, nullptr, P);
	cu.retire_in.bind(in);
	std::vector<uint64_t> cycles;
	cu.unit.set_observer([&](unsigned, const dbg_result &r) { cycles.push_back(r.cycle); });
	tb t("t", [&](tb &) {
		wait(P * 1.5);
		in.write(one(0x1000));
		wait(P * 2.0);                             /* held for two edges: cycles 2 and 3 */
		in.write(retire_bundle{});
		wait(P);
		cu.stop();
	});
	t.sock.bind(cu.unit.spr);
	sc_start();
	EXPECT_EQ(cycles, (std::vector<uint64_t>{ 2, 3 }));
}

int sc_main(int, char **)
{
	return RUN_ALL_TESTS();
}

int main(int argc, char **argv)
{
	::testing::InitGoogleTest(&argc, argv);
	setenv("SYSTEMC_DISABLE_COPYRIGHT_MESSAGE", "1", 1);
	return sc_elab_and_sim(argc, argv);
}
