/* bookedbg SystemC/TLM-2.0 wrapper (see bookedbg_sc.h). Every architectural decision is the C
 * model's: this file converts transactions and bundles into dbg_exec/dbg_irq/dbg_ude/dbg_set calls
 * and model state into signals. */
#define SC_INCLUDE_DYNAMIC_PROCESSES
#include "bookedbg_sc.h"

#include <cstring>
#include <ostream>

using namespace sc_core;

namespace bookedbg {

static bool same_insn(const dbg_insn &a, const dbg_insn &b)
{
	return a.kind == b.kind && a.pc == b.pc && a.ea == b.ea && a.size == b.size &&
	       a.target == b.target && a.reg == b.reg && a.value == b.value && a.flags == b.flags &&
	       a.fault == b.fault;
}

bool operator==(const retire_bundle &a, const retire_bundle &b)
{
	if (a.cycle != b.cycle || a.n != b.n)
		return false;
	for (unsigned i = 0; i < a.n && i < 2; i++) {
		const retire_slot &x = a.slot[i], &y = b.slot[i];
		if (x.kind != y.kind || x.irq != y.irq || x.has_msr != y.has_msr || x.msr != y.msr ||
		    !same_insn(x.insn, y.insn))
			return false;
	}
	return true;
}

std::ostream &operator<<(std::ostream &os, const retire_bundle &b)
{
	os << "retire{n=" << b.n;
	for (unsigned i = 0; i < b.n && i < 2; i++) {
		const retire_slot &s = b.slot[i];
		if (s.kind == retire_slot::INSN)
			os << " " << dbg_insn_name(s.insn.kind) << "@0x" << std::hex << s.insn.pc << std::dec;
		else if (s.kind == retire_slot::IRQ)
			os << " irq:" << dbg_irq_name(s.irq);
		else
			os << " ude";
	}
	return os << "}";
}

/* A bundle is not a waveform value: trace how many items complete, which is what a viewer wants. */
void sc_trace(sc_trace_file *tf, const retire_bundle &b, const std::string &name)
{
	sc_core::sc_trace(tf, b.n, name + "_n");
}

debug_unit::debug_unit(sc_module_name name, dbg_core core, const dbg_opts *opts,
		       const sc_time &period)
	: sc_module(name), spr("spr"), retire_in("retire_in"), debug_irq("debug_irq"), dbsr("dbsr"),
	  event("event"), events("events"), dbcr0("dbcr0"), msr_de("msr_de"), halted("halted"),
	  period_(period), last_{}
{
	dbg_init(&u_, core);
	if (opts)
		dbg_set_opts(&u_, opts);
	std::memset(res_, 0, sizeof res_);
	spr.register_b_transport(this, &debug_unit::b_transport);
	spr.register_transport_dbg(this, &debug_unit::transport_dbg);
	retire_in.bind(*this);
	/* The publisher is the only writer of the output signals. */
	sc_spawn_options o;
	o.spawn_method();
	o.dont_initialize();
	o.set_sensitivity(&publish_ev_);
	sc_spawn([this] { publish(); }, "publish", &o);
}

/* Instructions that can change DBCR0, MSR or the halt state without an interrupt (which shows in
 * the result anyway): after them the outputs are compared in full. */
static const uint32_t STATE_KINDS = (1u << DBG_I_MTSPR) | (1u << DBG_I_MTMSR) | (1u << DBG_I_RFI) |
	(1u << DBG_I_RFCI) | (1u << DBG_I_RFDI);

/* Anything but a plain instruction: an MSR from the core, an interrupt, the UDE input. */
void debug_unit::slow_slot(const retire_slot &s, uint64_t cycle, dbg_result &r)
{
	switch (s.kind) {
	case retire_slot::INSN:
		if (s.has_msr && s.msr != dbg_get(&u_, DBG_REG_MSR))
			dbg_set(&u_, DBG_REG_MSR, s.msr);
		dbg_exec(&u_, cycle, &s.insn, &r);
		break;
	case retire_slot::IRQ:
		dbg_irq(&u_, cycle, s.irq, &r);
		break;
	case retire_slot::UDE:
		dbg_ude(&u_, cycle, &r);
		break;
	}
}

/* The hot path of the loosely-timed mode: keep it to the model call and a few compares. */
void debug_unit::b_retire(const retire_bundle &b, sc_time &delay)
{
	uint64_t cycle = b.cycle;
	if (cycle == CYCLE_FROM_TIME)
		cycle = cycle_at(sc_time_stamp() + delay);
	const unsigned n = b.n < 2 ? b.n : 2;
	for (unsigned i = 0; i < n; i++) {
		const retire_slot &s = b.slot[i];
		dbg_result &r = res_[i];
		const uint64_t c = cycle < dbg_cycle(&u_) ? dbg_cycle(&u_) : cycle;   /* never before its elder */
		const bool plain = s.kind == retire_slot::INSN && !s.has_msr;
		if (plain)
			dbg_exec(&u_, c, &s.insn, &r);
		else
			slow_slot(s, c, r);
		if (observer_)
			observer_(i, r);
		/* An instruction that changed nothing visible is recognized from its result alone;
		 * anything else compares every output. */
		if (!plain || r.events || r.nirq || r.action != DBG_ACT_NONE || r.dbsr != last_.dbsr ||
		    (STATE_KINDS >> s.insn.kind & 1u))
			outputs(delay, &r);
	}
}

void debug_unit::b_transport(tlm::tlm_generic_payload &gp, sc_time &delay)
{
	uint64_t a = gp.get_address();
	unsigned sw = gp.get_streaming_width();
	gp.set_dmi_allowed(false);
	if (a > 1023) {
		gp.set_response_status(tlm::TLM_ADDRESS_ERROR_RESPONSE);
		return;
	}
	if (gp.get_data_length() != 4 || (sw != 0 && sw < 4)) {
		gp.set_response_status(tlm::TLM_BURST_ERROR_RESPONSE);
		return;
	}
	if (gp.get_byte_enable_ptr()) {
		gp.set_response_status(tlm::TLM_BYTE_ENABLE_ERROR_RESPONSE);
		return;
	}
	if (gp.is_write() || gp.is_read()) {
		/* The core completes the move at its current PC, as an instruction. */
		dbg_insn in{};
		in.kind = gp.is_write() ? DBG_I_MTSPR : DBG_I_MFSPR;
		in.pc = dbg_pc(&u_);
		in.reg = dbg_reg_by_spr((int)a);
		if (gp.is_write())
			std::memcpy(&in.value, gp.get_data_ptr(), 4);
		retire_bundle b;
		b.n = 1;
		b.slot[0].insn = in;
		b_retire(b, delay);
		if (gp.is_read())
			std::memcpy(gp.get_data_ptr(), &res_[0].value, 4);
	}
	gp.set_response_status(tlm::TLM_OK_RESPONSE);
}

unsigned debug_unit::transport_dbg(tlm::tlm_generic_payload &gp)
{
	uint64_t a = gp.get_address();
	int reg = -1;
	if (gp.get_data_length() != 4)
		return 0;
	if (a == ADDR_MSR)
		reg = DBG_REG_MSR;
	else if (a <= 1023)
		reg = dbg_reg_by_spr((int)a);
	if (reg < 0 && a != ADDR_PC)
		return 0;
	uint32_t v = 0;
	if (gp.is_write()) {
		std::memcpy(&v, gp.get_data_ptr(), 4);
		if (a == ADDR_PC)
			dbg_set_pc(&u_, v);
		else
			dbg_set(&u_, (dbg_reg_id)reg, v);
		sc_time now = SC_ZERO_TIME;
		outputs(now, nullptr);
	} else if (gp.is_read()) {
		v = a == ADDR_PC ? dbg_pc(&u_) : dbg_get(&u_, (dbg_reg_id)reg);
		std::memcpy(gp.get_data_ptr(), &v, 4);
	}
	gp.set_response_status(tlm::TLM_OK_RESPONSE);
	return 4;
}

/* After a model call at time now+delay: queue an output change if anything visible changed. The
 * common case (nothing happened) costs four compares. */
void debug_unit::outputs(const sc_time &delay, const dbg_result *r)
{
	out_rec rec;
	rec.events = r ? r->events : 0;
	rec.irq = r && r->nirq && dbg_result_irq(r, DBG_IRQ_DEBUG);
	rec.dbsr = dbg_get(&u_, DBG_REG_DBSR);
	rec.dbcr0 = dbg_get(&u_, DBG_REG_DBCR0);
	rec.de = (dbg_get(&u_, DBG_REG_MSR) & MSR_DE) != 0;
	rec.halted = dbg_halted(&u_);
	if (!rec.events && !rec.irq && rec.dbsr == last_.dbsr && rec.dbcr0 == last_.dbcr0 &&
	    rec.de == last_.de && rec.halted == last_.halted)
		return;
	rec.t = sc_time_stamp() + delay;
	queue(rec);
	if (rec.events || rec.irq) {
		out_rec clear = rec;        /* the strobes last one cycle */
		clear.t = rec.t + period_;
		clear.events = 0;
		clear.irq = false;
		queue(clear);
	}
	last_ = rec;
}

/* Insert in time order. The newest call always knows the newest levels, so every record at or
 * after its time takes them (a strobe-clear queued earlier must not undo a later change); strobes
 * at the same time add up. */
void debug_unit::queue(const out_rec &rec)
{
	out_rec r = rec;
	if (r.t < sc_time_stamp())
		r.t = sc_time_stamp();
	auto it = pending_.begin();
	while (it != pending_.end() && it->t < r.t)
		++it;
	for (auto k = it; k != pending_.end(); ++k) {
		k->dbsr = r.dbsr;
		k->dbcr0 = r.dbcr0;
		k->de = r.de;
		k->halted = r.halted;
	}
	if (it != pending_.end() && it->t == r.t) {
		it->events |= r.events;
		it->irq = it->irq || r.irq;
	} else {
		pending_.insert(it, r);
	}
	/* An earlier notification replaces a later one; a later one is ignored. */
	publish_ev_.notify(pending_.front().t - sc_time_stamp());
}

void debug_unit::publish()
{
	const sc_time now = sc_time_stamp();
	bool any = false;
	out_rec cur{};
	while (!pending_.empty() && pending_.front().t <= now) {
		cur = pending_.front();
		pending_.pop_front();
		any = true;
	}
	if (any) {
		dbsr.write(cur.dbsr);
		dbcr0.write(cur.dbcr0);
		msr_de.write(cur.de);
		halted.write(cur.halted);
		events.write(cur.events);
		event.write(cur.events != 0);
		debug_irq.write(cur.irq);
	}
	if (!pending_.empty())
		publish_ev_.notify(pending_.front().t - now);
}

void debug_unit::trace(sc_trace_file *tf) const
{
	const std::string n = name();
	sc_core::sc_trace(tf, dbsr, n + ".dbsr");
	sc_core::sc_trace(tf, dbcr0, n + ".dbcr0");
	sc_core::sc_trace(tf, msr_de, n + ".msr_de");
	sc_core::sc_trace(tf, debug_irq, n + ".debug_irq");
	sc_core::sc_trace(tf, event, n + ".event");
	sc_core::sc_trace(tf, events, n + ".events");
	sc_core::sc_trace(tf, halted, n + ".halted");
}

clocked_unit::clocked_unit(sc_module_name name, dbg_core core, const dbg_opts *opts,
			   const sc_time &period)
	: sc_module(name), clk("clk"), retire_in("retire_in"), unit("unit", core, opts, period),
	  zero_(SC_ZERO_TIME)
{
}

void clocked_unit::end_of_elaboration()
{
	/* Static sensitivity is only known now (the clock may or may not be bound). */
	sc_spawn_options o;
	o.spawn_method();
	if (clk.size()) {
		o.dont_initialize();
		o.set_sensitivity(&clk->posedge_event());
	}
	sc_spawn([this] { tick(); }, "tick", &o);
}

void clocked_unit::tick()
{
	if (!running_)
		return;
	const retire_bundle &b = retire_in.read();
	if (b.n)
		unit.b_retire(b, zero_);
	if (!clk.size())
		next_trigger(unit.period());
}

} /* namespace bookedbg */
