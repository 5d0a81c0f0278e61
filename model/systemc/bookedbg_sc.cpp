/* bookedbg SystemC/TLM-2.0 wrapper (see bookedbg_sc.h). Every architectural decision is the C
 * model's: this file converts transactions and bundles into dbg_exec/dbg_irq/dbg_ude/dbg_set calls
 * and model state into signals. */
#define SC_INCLUDE_DYNAMIC_PROCESSES
#include "bookedbg_sc.h"

#include <cctype>
#include <cstddef>
#include <cstring>
#include <iostream>
#include <ostream>
#include <sstream>

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

/* A displayed report as one line on stderr (the file and process lines dropped); anything else
 * the report asks for (log, stop, throw, abort) is the default handler's. */
static void stderr_handler(const sc_report &rep, const sc_actions &actions)
{
	if (actions & SC_DISPLAY) {
		std::string m = sc_report_compose_message(rep);
		std::cerr << m.substr(0, m.find('\n')) << std::endl;
	}
	sc_report_handler::default_handler(rep, actions & ~SC_DISPLAY);
}

void reports_to_stderr()
{
	sc_report_handler::set_handler(stderr_handler);
}

/* The signal name of a save register: the register's, in lower case (csrr0, dsrr1). */
static std::string signal_name(dbg_reg_id r)
{
	std::string n = dbg_reg_name(r);
	for (char &c : n)
		c = (char)std::tolower((unsigned char)c);
	return n;
}

static dbg_reg_id debug_save_reg(dbg_core core, bool msr)
{
	dbg_reg_id pc_reg = DBG_REG_CSRR0, msr_reg = DBG_REG_CSRR1;
	dbg_save_regs(core, DBG_IRQ_DEBUG, &pc_reg, &msr_reg);
	return msr ? msr_reg : pc_reg;
}

/* Instructions that can change DBCR0, MSR, a save register or the halt state without an interrupt
 * (which shows in the result anyway): after them the outputs are compared in full. */
static const uint32_t STATE_KINDS = (1u << DBG_I_MTSPR) | (1u << DBG_I_MTMSR) | (1u << DBG_I_RFI) |
	(1u << DBG_I_RFCI) | (1u << DBG_I_RFDI);

debug_unit::debug_unit(sc_module_name name, dbg_core core, const dbg_opts *opts,
		       const sc_time &period)
	: sc_module(name), spr("spr"), retire_in("retire_in"), debug_irq("debug_irq"), dbsr("dbsr"),
	  event("event"), events("events"), dbcr0("dbcr0"), msr_de("msr_de"), halted("halted"),
	  save_pc(signal_name(debug_save_reg(core, false)).c_str()),
	  save_msr(signal_name(debug_save_reg(core, true)).c_str()), debug_vector("debug_vector"),
	  pc("pc"), period_(period), save_pc_reg_(debug_save_reg(core, false)),
	  save_msr_reg_(debug_save_reg(core, true)), last_{}
{
	/* A constructor cannot return a status: a bad core or option set is an elaboration error. */
	if (dbg_init(&u_, core) != DBG_OK || (opts && dbg_set_opts(&u_, opts) != DBG_OK))
		SC_REPORT_ERROR("/bookedbg/debug_unit", "invalid core or option value");
	std::memset(res_, 0, sizeof res_);
	hot_ = true;
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

void debug_unit::set_observer(std::function<void(unsigned, const dbg_result &)> fn)
{
	observer_ = fn;
	hot_ = !observer_ && !track_pc_;
}

void debug_unit::track_pc(bool on)
{
	track_pc_ = on;
	hot_ = !observer_ && !track_pc_;
}

/* An instruction with no MSR from the core: kind and has_msr are adjacent bytes, read as one (the
 * compiler compares them one by one otherwise). */
static_assert(offsetof(retire_slot, has_msr) == offsetof(retire_slot, kind) + 1, "kind, has_msr adjacent");
static_assert(CYCLE_FROM_TIME > DBG_CYCLE_MAX, "the model's fast path refuses CYCLE_FROM_TIME (b_retire relies on it)");
static inline bool plain_insn(const retire_slot &s)
{
	uint16_t both;
	std::memcpy(&both, &s.kind, sizeof both);
	return both == 0;   /* INSN (0) and false */
}

/* Nonzero if an instruction that ran may have changed an output. Most change nothing, which the
 * result tells without reading the unit; one OR and one branch, not five (the hot path's cost). */
uint32_t debug_unit::visible(const dbg_result &r, dbg_insn_kind k) const
{
	return result_changes(r) | ((STATE_KINDS >> ((unsigned)k & 31u)) & 1u);
}

/* The hot path of the loosely-timed mode: a bundle of one plain instruction (no MSR from the core)
 * with nothing watching goes to the model's fast path, compiled in here (dbg_exec_fast), and back
 * if its result shows no change. Whatever the fast path does not complete (an instruction that
 * changes DBCR0, MSR or a save register, a cycle taken from time, anything that may raise an
 * event) takes retire_items, as does everything else. No call on the way in or out, so nothing to
 * save: this function is most of the wrapper's cost per instruction. */
void debug_unit::b_retire(const retire_bundle &b, sc_time &delay)
{
	const retire_slot &s = b.slot[0];
	/* No test of the cycle or the kind here: dbg_exec_fast completes only nop, load, store and
	 * branches (never a STATE_KINDS one) and refuses CYCLE_FROM_TIME, which is past
	 * DBG_CYCLE_MAX. */
	if (__builtin_expect(hot_ && b.n == 1 && plain_insn(s), 1)) {
		if (__builtin_expect(dbg_exec_fast(&u_, b.cycle, &s.insn, &res_[0]), 1)) {
			if (__builtin_expect(result_changes(res_[0]) != 0, 0))
				after_hot(b, delay);
			return;
		}
	}
	retire_items(b, delay);   /* the whole model, and anything else a bundle may hold */
}

__attribute__((noinline)) void debug_unit::after_hot(const retire_bundle &b, sc_time &delay)
{
	after_item(0, DBG_OK, b.slot[0], b.cycle, delay);
}

static std::string describe(const retire_slot &s)
{
	std::ostringstream o;
	switch (s.kind) {
	case retire_slot::INSN:
		o << "instruction " << dbg_insn_name(s.insn.kind) << " (kind " << (int)s.insn.kind
		  << ") at 0x" << std::hex << s.insn.pc << std::dec << ", fault " << (int)s.insn.fault
		  << ", size " << s.insn.size << ", reg " << s.insn.reg;
		break;
	case retire_slot::IRQ:
		o << "interrupt " << dbg_irq_name(s.irq) << " (kind " << (int)s.irq << ")";
		break;
	case retire_slot::UDE:
		o << "UDE";
		break;
	default:
		o << "slot kind " << (int)s.kind;
	}
	return o.str();
}

/* Everything but the hot path: bundles of two, interrupts, UDE, an MSR from the core, a cycle
 * taken from time, an observer or PC tracking. */
__attribute__((noinline)) void debug_unit::retire_items(const retire_bundle &b, sc_time &delay)
{
	if (b.n > 2) {
		refuse(DBG_EINVAL, "a retire bundle of " + std::to_string(b.n) +
			   " items (at most two complete per cycle)");
		return;
	}
	uint64_t cycle = b.cycle;
	if (cycle == CYCLE_FROM_TIME)
		cycle = cycle_at(sc_time_stamp() + delay);
	for (unsigned i = 0; i < b.n; i++)
		after_item(i, run_item(b.slot[i], cycle, res_[i]), b.slot[i], cycle, delay);
}

/* One item on the model; the model's status. */
int debug_unit::run_item(const retire_slot &s, uint64_t cycle, dbg_result &r)
{
	switch (s.kind) {
	case retire_slot::INSN:
		if (s.has_msr && s.msr != dbg_get(&u_, DBG_REG_MSR))
			return exec_with_msr(s, cycle, r);
		return dbg_exec_inline(&u_, cycle, &s.insn, &r);
	case retire_slot::IRQ:
		return dbg_irq(&u_, cycle, s.irq, &r);
	case retire_slot::UDE:
		return dbg_ude(&u_, cycle, &r);
	}
	std::memset(&r, 0, sizeof r);   /* a refused item's result reads as empty, as the model's do */
	return DBG_EKIND;
}

/* The core's MSR is loaded (back door) before the instruction; both are one item, so if the model
 * refuses the instruction the unit goes back to what it was before the load. */
int debug_unit::exec_with_msr(const retire_slot &s, uint64_t cycle, dbg_result &r)
{
	const dbg_unit before = u_;
	dbg_set(&u_, DBG_REG_MSR, s.msr);
	const int st = dbg_exec_inline(&u_, cycle, &s.insn, &r);
	if (st != DBG_OK)
		u_ = before;
	return st;
}

/* What follows an item: a refusal is reported; a run item goes to the observer and the outputs.
 * cycle: the one the item was given at time now+delay; one that completes later (behind a
 * serializing elder, a second store, a debug interrupt's entry) shows that many cycles later. */
__attribute__((noinline)) void debug_unit::after_item(unsigned i, int status, const retire_slot &s,
						      uint64_t cycle, const sc_time &delay)
{
	if (status != DBG_OK) {
		refuse(status, "retire slot " + std::to_string(i) + ": " + describe(s));
		return;
	}
	const dbg_result &r = res_[i];
	if (observer_)
		observer_(i, r);
	if (track_pc_ || s.kind != retire_slot::INSN || s.has_msr || visible(r, s.insn.kind)) {
		sc_time at = delay;
		if (r.cycle > cycle)
			at += sc_time::from_value(period_.value() * (r.cycle - cycle));
		outputs(at, &r);
	}
}

/* The retire input has no way back to its caller: a refusal is counted and warned about. */
void debug_unit::refuse(int status, const std::string &what)
{
	errors_++;
	last_error_ = status;
	const std::string m = std::string(name()) + ": refused " + what + ": " + dbg_strerror(status);
	SC_REPORT_WARNING(MSG_REFUSED, m.c_str());
}

/* What b_transport checks before anything reaches the model: the address is an SPR number, one
 * 4-byte word, no byte enables, a data pointer to move it through. */
tlm::tlm_response_status debug_unit::check_transaction(const tlm::tlm_generic_payload &gp) const
{
	const unsigned sw = gp.get_streaming_width();
	if (gp.get_address() > 1023)
		return tlm::TLM_ADDRESS_ERROR_RESPONSE;
	if (gp.get_data_length() != 4 || (sw != 0 && sw < 4))
		return tlm::TLM_BURST_ERROR_RESPONSE;
	if (gp.get_byte_enable_ptr())
		return tlm::TLM_BYTE_ENABLE_ERROR_RESPONSE;
	if (!gp.get_data_ptr())
		return tlm::TLM_GENERIC_ERROR_RESPONSE;
	return tlm::TLM_OK_RESPONSE;
}

void debug_unit::b_transport(tlm::tlm_generic_payload &gp, sc_time &delay)
{
	gp.set_dmi_allowed(false);
	tlm::tlm_response_status rs = check_transaction(gp);
	if (rs == tlm::TLM_OK_RESPONSE && (gp.is_write() || gp.is_read())) {
		/* The core completes the move at its current PC, as an instruction. */
		retire_slot s;
		s.insn.kind = gp.is_write() ? DBG_I_MTSPR : DBG_I_MFSPR;
		s.insn.pc = dbg_pc(&u_);
		s.insn.reg = dbg_reg_by_spr((int)gp.get_address());
		if (gp.is_write())
			std::memcpy(&s.insn.value, gp.get_data_ptr(), 4);
		const uint64_t cycle = cycle_at(sc_time_stamp() + delay);
		const int st = dbg_exec_inline(&u_, cycle, &s.insn, &res_[0]);
		if (st == DBG_OK) {
			after_item(0, st, s, cycle, delay);
			if (gp.is_read())
				std::memcpy(gp.get_data_ptr(), &res_[0].value, 4);
		} else {
			last_error_ = st;   /* e.g. a call time before the last completion cycle */
			rs = tlm::TLM_GENERIC_ERROR_RESPONSE;
		}
	} else if (rs != tlm::TLM_OK_RESPONSE) {
		last_error_ = DBG_EINVAL;
	}
	if (rs != tlm::TLM_OK_RESPONSE)
		errors_++;
	gp.set_response_status(rs);
}

/* The back door's register for an address: an SPR the table knows, MSR, or -1 (ADDR_PC has none). */
static int back_door_reg(uint64_t a)
{
	if (a == ADDR_MSR)
		return DBG_REG_MSR;
	return a <= 1023 ? dbg_reg_by_spr((int)a) : -1;
}

/* Returns the bytes moved: 4, or 0 for a transaction it refuses (an address with no register, a
 * length other than 4, byte enables, no data pointer, a command that is neither read nor write). */
unsigned debug_unit::transport_dbg(tlm::tlm_generic_payload &gp)
{
	const uint64_t a = gp.get_address();
	const int reg = back_door_reg(a);
	if (gp.get_data_length() != 4 || (reg < 0 && a != ADDR_PC) || gp.get_byte_enable_ptr() ||
	    !gp.get_data_ptr() || !(gp.is_write() || gp.is_read())) {
		errors_++;
		last_error_ = DBG_EINVAL;
		return 0;
	}
	uint32_t v = 0;
	if (gp.is_write()) {
		std::memcpy(&v, gp.get_data_ptr(), 4);
		if (a == ADDR_PC)
			dbg_set_pc(&u_, v);
		else
			dbg_set(&u_, (dbg_reg_id)reg, v);
		sc_time now = SC_ZERO_TIME;
		outputs(now, nullptr);
	} else {
		v = a == ADDR_PC ? dbg_pc(&u_) : dbg_get(&u_, (dbg_reg_id)reg);
		std::memcpy(gp.get_data_ptr(), &v, 4);
	}
	gp.set_response_status(tlm::TLM_OK_RESPONSE);
	return 4;
}

bool debug_unit::levels::operator==(const levels &o) const
{
	return dbsr == o.dbsr && dbcr0 == o.dbcr0 && save_pc == o.save_pc && save_msr == o.save_msr &&
	       vector == o.vector && pc == o.pc && de == o.de && halted == o.halted;
}

/* The held outputs now; r: the item that just ran (NULL: a back-door write). */
debug_unit::levels debug_unit::now_levels(const dbg_result *r) const
{
	levels lv;
	lv.dbsr = dbg_get(&u_, DBG_REG_DBSR);
	lv.dbcr0 = dbg_get(&u_, DBG_REG_DBCR0);
	lv.save_pc = dbg_get(&u_, save_pc_reg_);
	lv.save_msr = dbg_get(&u_, save_msr_reg_);
	const dbg_taken *d = r && r->nirq ? dbg_result_irq(r, DBG_IRQ_DEBUG) : nullptr;
	lv.vector = d ? d->vector : last_.lv.vector;
	lv.pc = track_pc_ ? dbg_pc(&u_) : last_.lv.pc;
	lv.de = (dbg_get(&u_, DBG_REG_MSR) & MSR_DE) != 0;
	lv.halted = dbg_halted(&u_);
	return lv;
}

/* After a model call at time now+delay: queue an output change if anything visible changed. */
void debug_unit::outputs(const sc_time &delay, const dbg_result *r)
{
	out_rec rec;
	rec.events = r ? r->events : 0;
	rec.irq = r && r->nirq && dbg_result_irq(r, DBG_IRQ_DEBUG);
	rec.lv = now_levels(r);
	if (!rec.events && !rec.irq && rec.lv == last_.lv)
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
	for (auto k = it; k != pending_.end(); ++k)
		k->lv = r.lv;
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
		dbsr.write(cur.lv.dbsr);
		dbcr0.write(cur.lv.dbcr0);
		msr_de.write(cur.lv.de);
		halted.write(cur.lv.halted);
		save_pc.write(cur.lv.save_pc);
		save_msr.write(cur.lv.save_msr);
		debug_vector.write(cur.lv.vector);
		pc.write(cur.lv.pc);
		events.write(cur.events);
		event.write(cur.events != 0);
		debug_irq.write(cur.irq);
	}
	if (!pending_.empty())
		publish_ev_.notify(pending_.front().t - now);
}

void debug_unit::trace(sc_trace_file *tf)
{
	const std::string n = name();
	track_pc(true);
	sc_core::sc_trace(tf, dbsr, n + ".dbsr");
	sc_core::sc_trace(tf, dbcr0, n + ".dbcr0");
	sc_core::sc_trace(tf, msr_de, n + ".msr_de");
	sc_core::sc_trace(tf, debug_irq, n + ".debug_irq");
	sc_core::sc_trace(tf, event, n + ".event");
	sc_core::sc_trace(tf, events, n + ".events");
	sc_core::sc_trace(tf, halted, n + ".halted");
	sc_core::sc_trace(tf, pc, n + ".pc");
	sc_core::sc_trace(tf, save_pc, n + "." + save_pc.basename());
	sc_core::sc_trace(tf, save_msr, n + "." + save_msr.basename());
	sc_core::sc_trace(tf, debug_vector, n + ".debug_vector");
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
