/* bookedbg SystemC/TLM-2.0 wrapper: one C model instance (struct dbg_unit) in an sc_module.
 *
 * The wrapper only transports; the C model does all the work. Two ways in:
 *   - the SPR socket (TLM-2.0, loosely timed): b_transport is SOFTWARE's view, transport_dbg the
 *     BACK DOOR (see below);
 *   - the retire input: per cycle, up to two completion-slot items (the e500 completes two
 *     instructions per cycle), each a completing instruction, an asynchronous interrupt or the UDE
 *     input, in completion order.
 * and out come sc_signals (debug_irq, dbsr, event/events, plus dbcr0, msr_de, halted, the debug save
 * registers, debug_vector and pc for waveforms). Bad input is refused, never half-run: see b_retire,
 * errors() and the socket's error responses.
 *
 * debug_unit is the loosely-timed module: its retire input is an sc_export<retire_if> called with
 * the initiator's local time offset (temporal decoupling; the initiator owns the quantum keeper).
 * clocked_unit wraps one debug_unit and samples an sc_in<retire_bundle> once per clock cycle, either
 * on the rising edge of a bound clock or, with no clock bound, every `period` by itself (cheaper: no
 * sc_clock process, see bench/systemc).
 *
 * Timing. Cycle n is at time n*period. A bundle names its completion cycle; CYCLE_FROM_TIME takes it
 * from the time of the call (sc_time_stamp() + delay). The outputs change at that time even when the
 * initiator runs ahead of the kernel: changes are queued with their time and published when
 * simulation time gets there, so a VCD is cycle-exact whatever the quantum. Strobes (debug_irq,
 * event, events) are high for the one cycle in which the thing happened. */
#ifndef BOOKEDBG_SC_H
#define BOOKEDBG_SC_H

#include <cstdint>
#include <deque>
#include <functional>
#include <iosfwd>
#include <string>

#include <systemc>
#include <tlm>
#include <tlm_utils/simple_target_socket.h>

#include "dbg_explain.h"
#include "dbg_unit.h"

namespace bookedbg {

/* SPR socket addresses: the SPR number (0..1023), 4-byte host-order data. transport_dbg also
 * accepts these two pseudo addresses (MSR has no SPR number; the PC is not a register). */
constexpr uint64_t ADDR_MSR = 0x1000;
constexpr uint64_t ADDR_PC = 0x1001;

/* A bundle's cycle field: take the completion cycle from simulation time. */
constexpr uint64_t CYCLE_FROM_TIME = ~0ull;

struct retire_slot {
	enum kind_t : uint8_t { INSN, IRQ, UDE };
	kind_t kind = INSN;
	/* INSN: the MSR the core executed the instruction under. With has_msr set and a value that
	 * differs from the model's, the module loads it (back door) before the instruction, so a core
	 * model that owns the MSR keeps the debug unit in step. Clear: the model tracks MSR itself
	 * (mtmsr, returns, interrupt entry), as the trace runner does. (Next to kind: the hot path
	 * tests both at once.) */
	bool has_msr = false;
	uint32_t msr = 0;
	dbg_insn insn{};                  /* INSN: pc, kind, ea/size, target, SPR, value, fault */
	dbg_irq_kind irq = DBG_IRQ_NONE;  /* IRQ: which asynchronous interrupt is taken */
};

struct retire_bundle {
	uint64_t cycle = CYCLE_FROM_TIME;  /* completion cycle of both slots */
	unsigned n = 0;                    /* items completing this cycle: 0, 1 or 2 (older first) */
	retire_slot slot[2];
};

/* Needed to carry a bundle on an sc_signal (value change, printing, tracing). */
bool operator==(const retire_bundle &a, const retire_bundle &b);
std::ostream &operator<<(std::ostream &os, const retire_bundle &b);
void sc_trace(sc_core::sc_trace_file *tf, const retire_bundle &b, const std::string &name);

/* The loosely-timed retire input. delay: the caller's local time offset (not changed). */
struct retire_if : virtual sc_core::sc_interface {
	virtual void b_retire(const retire_bundle &b, sc_core::sc_time &delay) = 0;
};

/* The message type of the warning a refused retire item raises (sc_report_handler::set_actions
 * takes it to silence, count or stop on them). */
constexpr const char *MSG_REFUSED = "/bookedbg/debug_unit/refused";

/* SystemC's default report handler prints to stdout. This one prints each displayed report as one
 * line on stderr instead (the rest of its actions, SC_LOG, SC_STOP, SC_THROW..., as the default
 * does): for a tool whose stdout is data, as bookedbg-sc's is. */
void reports_to_stderr();

/* retire_if first: the export calls b_retire with no this-adjusting thunk (hot path). */
class debug_unit final : public retire_if, public sc_core::sc_module {
public:
	/* b_transport: the architected path, as software sees it. WRITE = the core completes
	 * `mtspr SPR,data` at its current PC in the cycle given by the call's time: DBSR is
	 * write-1-to-clear, DBCR0[EDM] is read-only, fields are legalized, comparator writes wait for
	 * a context synchronization (option DEBUG_SPR_WINDOW), and it is an instruction like any other
	 * (ICMP, IAC can fire; it is reported to the observer). READ = `mfspr SPR`. A core model that
	 * sends its mtspr/mfspr here must not also retire them on the retire input.
	 * transport_dbg: the back door of a testbench or external debugger (a trace's `set`): dbg_set /
	 * dbg_get, effective at once, no events, DBSR and DBCR0[EDM] loadable. */
	tlm_utils::simple_target_socket<debug_unit> spr;
	sc_core::sc_export<retire_if> retire_in;

	sc_core::sc_signal<bool> debug_irq;      /* high for the cycle a debug interrupt is delivered */
	sc_core::sc_signal<uint32_t> dbsr;       /* DBSR */
	sc_core::sc_signal<bool> event;          /* strobe: debug events were recognized this cycle */
	sc_core::sc_signal<uint32_t> events;     /* which, as DBSR bits, during that cycle; else 0 */
	sc_core::sc_signal<uint32_t> dbcr0;      /* DBCR0 (architected value) */
	sc_core::sc_signal<bool> msr_de;         /* MSR[DE] */
	sc_core::sc_signal<bool> halted;         /* stopped for the external debugger (DBCR0[EDM]) */
	/* The save registers a debug interrupt writes, named after them: csrr0/csrr1 on the e500v2,
	 * dsrr0/dsrr1 on the e500mc (dbg_save_regs). Levels: any write shows (interrupt, mtspr). */
	sc_core::sc_signal<uint32_t> save_pc;
	sc_core::sc_signal<uint32_t> save_msr;
	sc_core::sc_signal<uint32_t> debug_vector; /* where the last debug interrupt went; 0 before */
	/* The next instruction the core attempts. It changes every cycle, so it is driven only while
	 * tracked (track_pc, or trace()): an output change per instruction would cost the loosely
	 * timed mode most of its speed. Untracked it keeps its last value. */
	sc_core::sc_signal<uint32_t> pc;

	/* opts: NULL for the core's defaults. */
	debug_unit(sc_core::sc_module_name name, dbg_core core, const dbg_opts *opts = nullptr,
		   const sc_core::sc_time &period = sc_core::sc_time(10, sc_core::SC_NS));

	/* Runs every item of the bundle on the model, older first. An item the model refuses (an
	 * instruction, fault or interrupt kind out of range, a register id past the table, an access
	 * size the instruction cannot have, a cycle before the previous bundle's: dbg_status) and a
	 * bundle of more than two items change nothing: the item is counted in errors(), raises an
	 * SC_REPORT_WARNING of type MSG_REFUSED, reaches no observer and moves no output; the other
	 * item of the bundle runs as if it were alone. */
	void b_retire(const retire_bundle &b, sc_core::sc_time &delay) override;

	/* Trace the outputs (DBSR, DBCR0, MSR[DE], debug_irq, event, events, halted, the save
	 * registers, debug_vector, pc) into tf; turns PC tracking on. */
	void trace(sc_core::sc_trace_file *tf);
	void track_pc(bool on);

	/* Monitors: called after every completion-slot item (retire slot or socket instruction) with
	 * its result, the model's state already updated; state() is the read-only view for checks. */
	void set_observer(std::function<void(unsigned slot, const dbg_result &)> fn);
	const dbg_unit &state() const { return u_; }
	const dbg_result &result(unsigned slot) const { return res_[slot & 1]; }
	void set_explain(bool on) { dbg_explain(&u_, on); }   /* results carry --explain notes */
	const sc_core::sc_time &period() const { return period_; }
	/* Inputs refused since construction: retire items (see b_retire), socket transactions answered
	 * with an error response, back-door accesses that moved nothing; and the dbg_status (or
	 * DBG_EINVAL for a bad transaction) of the last one, DBG_OK if none. */
	uint64_t errors() const { return errors_; }
	int last_error() const { return last_error_; }

private:
	struct levels {           /* the outputs that hold their value */
		uint32_t dbsr, dbcr0, save_pc, save_msr, vector, pc;
		bool de, halted;
		bool operator==(const levels &o) const;
	};
	struct out_rec {          /* output values from time t on */
		sc_core::sc_time t;
		levels lv;
		uint32_t events;
		bool irq;
	};

	void b_transport(tlm::tlm_generic_payload &gp, sc_core::sc_time &delay);
	unsigned transport_dbg(tlm::tlm_generic_payload &gp);
	tlm::tlm_response_status check_transaction(const tlm::tlm_generic_payload &gp) const;
	uint64_t cycle_at(const sc_core::sc_time &t) const { return t.value() / period_.value(); }
	void retire_items(const retire_bundle &b, sc_core::sc_time &delay);
	int run_item(const retire_slot &s, uint64_t cycle, dbg_result &r);
	int exec_with_msr(const retire_slot &s, uint64_t cycle, dbg_result &r);
	void after_item(unsigned i, int status, const retire_slot &s, uint64_t cycle,
			const sc_core::sc_time &delay);
	uint32_t visible(const dbg_result &r, dbg_insn_kind k) const;
	/* Nonzero if a result shows any change: events, an interrupt, an action, a new DBSR. */
	uint32_t result_changes(const dbg_result &r) const
	{
		return r.events | r.nirq | (uint32_t)r.action | (r.dbsr ^ last_.lv.dbsr);
	}
	void after_hot(const retire_bundle &b, sc_core::sc_time &delay);
	void refuse(int status, const std::string &what);
	void outputs(const sc_core::sc_time &t, const dbg_result *r);
	levels now_levels(const dbg_result *r) const;
	void queue(const out_rec &rec);
	void publish();

	dbg_unit u_;
	dbg_result res_[2];
	sc_core::sc_time period_;
	std::function<void(unsigned, const dbg_result &)> observer_;
	bool track_pc_ = false;
	/* The hot path may run: not while an observer or PC tracking watches every item. */
	bool hot_;
	dbg_reg_id save_pc_reg_, save_msr_reg_;
	uint64_t errors_ = 0;
	int last_error_ = DBG_OK;
	out_rec last_;            /* levels most recently queued */
	std::deque<out_rec> pending_;
	sc_core::sc_event publish_ev_;
};

class clocked_unit : public sc_core::sc_module {
public:
	/* Bound: sample retire_in on each rising edge. Unbound: sample every period, from time 0. */
	sc_core::sc_port<sc_core::sc_signal_in_if<bool>, 1, sc_core::SC_ZERO_OR_MORE_BOUND> clk;
	sc_core::sc_in<retire_bundle> retire_in;   /* n == 0: nothing completes this cycle */
	debug_unit unit;                           /* the socket and the outputs are here */

	clocked_unit(sc_core::sc_module_name name, dbg_core core, const dbg_opts *opts = nullptr,
		     const sc_core::sc_time &period = sc_core::sc_time(10, sc_core::SC_NS));
	/* Self-clocked mode: stop sampling (lets the simulation end by itself). */
	void stop() { running_ = false; }

private:
	void end_of_elaboration() override;
	void tick();
	bool running_ = true;
	sc_core::sc_time zero_;
};

} /* namespace bookedbg */

#endif
