/* bookedbg-sc: replay trace files through the SystemC module, cycle by cycle, with the output lines
 * and exit codes of `bookedbg run` (the parsing, the line format and the expect checks are the
 * same C functions, so a difference can only come from the transport).
 *
 *   bookedbg-sc run [--lt [--quantum CYCLES] | --clocked | --sc-clock] [--vcd FILE]
 *                   [--explain] [--quiet] [--opt NAME=VALUE]... FILE...
 *   bookedbg-sc run --html PAGE.html [--html-docs-base URL] [FLAGS] FILE
 *                   (also the explorer page of the run, the bytes bookedbg run --html writes)
 *
 * A trace's `set` goes through the socket's back door (transport_dbg); exec/irq/ude go through the
 * retire input, grouped per completion cycle (at most two items, older first). Modes:
 *   --lt        (default) the player calls the module's retire export with its local time offset;
 *               a tlm_quantumkeeper syncs every --quantum cycles (default 1000)
 *   --clocked   a clocked_unit without a clock: it samples an sc_signal<retire_bundle> every cycle
 *   --sc-clock  the same, sampled on the rising edge of an sc_clock
 * Every file runs on its own module instance, one after the other in one elaboration (SystemC 2.3
 * allows one elaboration per process). Cycle c of a file is at time base + c*period, period 10 ns.
 * Bad input (flags, a --vcd path it cannot write, a malformed trace) is refused before SystemC
 * starts: one line on stderr, exit 2, nothing run. stdout carries exactly bookedbg run's lines. */
#define SC_INCLUDE_DYNAMIC_PROCESSES
#include <cctype>
#include <cerrno>
#include <cstdarg>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <memory>
#include <set>
#include <string>
#include <vector>

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <systemc>
#include <tlm>
#include <sysc/tracing/sc_tracing_ids.h>
#include <tlm_utils/tlm_quantumkeeper.h>

#include "bookedbg_sc.h"
#include "explorer.h"
#include "trace.h"

using namespace sc_core;

namespace {

enum class mode { LT, CLOCKED, SC_CLOCK };

struct config {
	mode m = mode::LT;
	const char *mode_flag = nullptr;   /* the timing mode flag given, if any */
	uint64_t quantum = 1000;
	bool quantum_set = false;
	std::string vcd;                   /* the file asked for */
	std::string vcd_tmp;               /* what SystemC writes (it appends .vcd), renamed to vcd */
	run_cfg cfg{};                     /* --explain, --quiet, --opt (the trace layer's) */
	FILE *out = stdout;                /* the run's lines, as bookedbg run prints them */
	tr_sink sink = tr_sink_file(stdout);   /* the same stream, for the trace layer's printers */
	std::vector<struct trace> traces;
	const char *html = nullptr;        /* --html: the explorer page (explorer.h) */
	const char *docs_base = nullptr;
	tr_explorer *explorer = nullptr;
	tr_observer obs{};
};

config g;

/* Initiator side of the SPR socket: the player's back door. */
struct spr_port : sc_module {
	tlm::tlm_initiator_socket<> sock;
	struct bw : tlm::tlm_bw_transport_if<> {
		tlm::tlm_sync_enum nb_transport_bw(tlm::tlm_generic_payload &, tlm::tlm_phase &,
						   sc_time &) override { return tlm::TLM_COMPLETED; }
		void invalidate_direct_mem_ptr(sc_dt::uint64, sc_dt::uint64) override {}
	} bw_;
	explicit spr_port(sc_module_name n) : sc_module(n), sock("sock") { sock.bind(bw_); }

	unsigned dbg(tlm::tlm_command cmd, uint64_t addr, uint32_t &v)
	{
		tlm::tlm_generic_payload gp;
		gp.set_command(cmd);
		gp.set_address(addr);
		gp.set_data_ptr(reinterpret_cast<unsigned char *>(&v));
		gp.set_data_length(4);
		gp.set_streaming_width(4);
		return sock->transport_dbg(gp);
	}
};

/* One file's module and how the player reaches it. */
struct lane {
	const struct trace *t;
	bookedbg::debug_unit *unit;
	bookedbg::clocked_unit *cu = nullptr;
	sc_signal<bookedbg::retire_bundle> *sig = nullptr;
	spr_port *port;
};

class player : public sc_module {
public:
	SC_HAS_PROCESS(player);
	player(sc_module_name n, std::vector<lane> &lanes, sc_time period)
		: sc_module(n), lanes_(lanes), p_(period), half_(period / 2)
	{
		SC_THREAD(run);
	}
	run_stats st{ 0, 0, 0 };

private:
	std::vector<lane> &lanes_;
	sc_time p_, half_;
	tlm_utils::tlm_quantumkeeper qk_;
	sc_time base_, last_edge_;
	bool edge_used_ = false;
	/* the group being delivered: its statements, and where the observer stopped */
	const lane *cur_ = nullptr;
	unsigned group_[2], ngroup_ = 0, end_ = 0;
	dbg_result last_{};

	sc_time local_now() { return sc_time_stamp() + qk_.get_local_time(); }

	void run()
	{
		tlm_utils::tlm_quantumkeeper::set_global_quantum(p_ * (double)g.quantum);
		qk_.reset();
		for (lane &l : lanes_) {
			play(l);
			if (l.cu)
				l.cu->stop();
			/* the next file starts on a fresh module, two cycles later */
			sc_time end = g.m == mode::LT ? local_now() : last_edge_;
			base_ = sc_time::from_value((end.value() / p_.value() + 2) * p_.value());
		}
		qk_.sync();
		/* Two more cycles: the last strobe ends and the VCD writer sees that time step end. */
		wait(p_ * 2.0);
		if (g.m == mode::SC_CLOCK)
			sc_stop();
	}

	void observe(unsigned slot, const dbg_result &r)
	{
		const struct trace *t = cur_->t;
		const tr_stmt *s = &t->s[group_[slot]];
		st.statements++;
		last_ = r;
		if (!g.cfg.quiet) {
			trace_print_line(&g.sink, t, s, &cur_->unit->state(), &r);
			if (g.cfg.explain) {
				char buf[512];
				for (unsigned i = 0; i < r.nnotes; i++)
					tr_printf(&g.sink, "    - %s\n", dbg_rule_format(&r.notes[i], buf, sizeof buf));
			}
		}
		if (g.explorer)
			g.obs.step(g.obs.ctx, t, s, &cur_->unit->state(), &r);
		unsigned k = group_[slot] + 1;
		for (; k < t->n && t->s[k].kind == TR_EXPECT; k++)
			expect(&t->s[k]);
		end_ = k;
	}

	void expect(const tr_stmt *s)
	{
		st.expects++;
		if (trace_check_expect(&g.sink, cur_->t, s, &cur_->unit->state(), &last_, g.cfg.quiet))
			st.failed++;
		if (g.explorer)
			g.obs.step(g.obs.ctx, cur_->t, s, &cur_->unit->state(), &last_);
	}

	static bool timed(const tr_stmt &s)
	{
		return s.kind == TR_EXEC || s.kind == TR_IRQ || s.kind == TR_UDE;
	}

	void play(lane &l)
	{
		const struct trace *t = l.t;
		cur_ = &l;
		last_ = dbg_result{};
		l.unit->set_observer([this](unsigned slot, const dbg_result &r) { observe(slot, r); });
		l.unit->set_explain(g.cfg.explain || g.explorer);
		if (g.explorer)
			g.obs.begin(g.obs.ctx, t, &l.unit->state());
		uint64_t next = 1;
		unsigned i = 0;
		while (i < t->n) {
			const tr_stmt &s = t->s[i];
			if (s.kind == TR_CORE || s.kind == TR_OPT) {
				i++;
			} else if (s.kind == TR_EXPECT) {
				expect(&s);
				i++;
			} else if (s.kind == TR_SET) {
				set(l, s);
				i++;
			} else {
				/* A cycle's group: this item, and the next one if it names the same cycle (or an
				 * earlier one, which the model also completes in this cycle). */
				uint64_t cyc = s.has_cycle ? s.cycle : next;
				if (cyc < dbg_cycle(&l.unit->state()))
					cyc = dbg_cycle(&l.unit->state());
				ngroup_ = 0;
				group_[ngroup_++] = i;
				unsigned j = i + 1;
				while (j < t->n && t->s[j].kind == TR_EXPECT)
					j++;
				if (j < t->n && timed(t->s[j]) && t->s[j].has_cycle && t->s[j].cycle <= cyc)
					group_[ngroup_++] = j;
				deliver(l, bundle(t, cyc), cyc);
				next = last_.cycle + 1;
				i = end_;
			}
		}
	}

	bookedbg::retire_bundle bundle(const struct trace *t, uint64_t cyc)
	{
		bookedbg::retire_bundle b;
		b.cycle = cyc;
		b.n = ngroup_;
		for (unsigned k = 0; k < ngroup_; k++) {
			const tr_stmt &s = t->s[group_[k]];
			bookedbg::retire_slot &sl = b.slot[k];
			if (s.kind == TR_EXEC) {
				sl.kind = bookedbg::retire_slot::INSN;
				sl.insn = s.insn;
			} else if (s.kind == TR_IRQ) {
				sl.kind = bookedbg::retire_slot::IRQ;
				sl.irq = s.irq;
			} else {
				sl.kind = bookedbg::retire_slot::UDE;
			}
		}
		return b;
	}

	void deliver(lane &l, const bookedbg::retire_bundle &b, uint64_t cyc)
	{
		sc_time at = base_ + p_ * (double)cyc;
		if (g.m == mode::LT) {
			sc_time now = sc_time_stamp();
			sc_time delay = at > now ? at - now : SC_ZERO_TIME;
			if (delay < qk_.get_local_time())
				delay = qk_.get_local_time();
			qk_.set(delay);
			l.unit->b_retire(b, delay);
			if (qk_.need_sync())
				qk_.sync();
			return;
		}
		/* Clocked: write the bundle half a cycle before its edge, clear it half a cycle after. An
		 * edge already used (a third item in a cycle, a `set` between two items of one cycle)
		 * moves the bundle to the next free edge; it still names its own cycle to the model. */
		if (edge_used_ && at <= last_edge_)
			at = last_edge_ + p_;
		while (at < sc_time_stamp() + half_)
			at += p_;
		if (at - half_ > sc_time_stamp())
			wait(at - half_ - sc_time_stamp());
		l.sig->write(b);
		wait(p_);
		l.sig->write(bookedbg::retire_bundle{});
		last_edge_ = at;
		edge_used_ = true;
	}

	void set(lane &l, const tr_stmt &s)
	{
		qk_.sync();   /* the back door acts at the player's time: catch the kernel up first */
		for (unsigned k = 0; k < s.npairs; k++) {
			const tr_pair &p = s.pairs[k];
			uint64_t addr = bookedbg::ADDR_PC;
			if (p.field != TF_PC)
				addr = p.reg == DBG_REG_MSR ? bookedbg::ADDR_MSR
							    : (uint64_t)dbg_reg_desc[p.reg].spr;
			uint32_t v = (uint32_t)p.value;
			if (l.port->dbg(tlm::TLM_WRITE_COMMAND, addr, v) != 4)
				SC_REPORT_ERROR("/bookedbg/bookedbg-sc", "back-door write refused");
		}
		dbg_result r{};
		uint32_t dbsr = 0;
		l.port->dbg(tlm::TLM_READ_COMMAND, dbg_reg_desc[DBG_REG_DBSR].spr, dbsr);
		r.dbsr = dbsr;
		st.statements++;
		last_ = r;
		if (!g.cfg.quiet)
			trace_print_line(&g.sink, l.t, &s, &l.unit->state(), &r);
		if (g.explorer)
			g.obs.step(g.obs.ctx, l.t, &s, &l.unit->state(), &r);
	}
};

const char *const NAME = "bookedbg-sc run";

void usage(FILE *f)
{
	fprintf(f, "usage: bookedbg-sc run [--lt [--quantum CYCLES] | --clocked | --sc-clock] [--vcd FILE]\n"
		   "                      [--explain] [--quiet] [--opt NAME=VALUE]... FILE...\n"
		   "  replay traces through the SystemC module; output and exit codes as `bookedbg run`\n"
		   "  --html PAGE.html [--html-docs-base URL]: also the explorer page of the run (one FILE),\n"
		   "  the same bytes as `bookedbg run --html`\n");
}

/* Every refusal of the command line: one line on stderr, exit status 2, nothing run. */
int bad(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
int bad(const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	fprintf(stderr, "%s: ", NAME);
	vfprintf(stderr, fmt, ap);
	fputc('\n', stderr);
	va_end(ap);
	return 2;
}

/* One timing mode a run: a second, different one is a mistake, not a preference. */
int set_mode(mode m, const char *flag)
{
	if (g.mode_flag && g.m != m)
		return bad("%s and %s are both timing modes; give one", g.mode_flag, flag);
	g.m = m;
	g.mode_flag = flag;
	return 0;
}

/* NAME=VALUE of --opt: the trace layer checks and records it; the message carries this command's
 * name. */
int set_opt(const char *arg)
{
	char err[256];
	return trace_cfg_opt(&g.cfg, arg, err, sizeof err) ? bad("%s", err) : 0;
}

/* The value of a flag that takes one; NULL (and a message) if there is none. */
const char *value_of(int argc, char **argv, int &i, const char *what)
{
	if (i + 1 >= argc || (argv[i + 1][0] == '-' && argv[i + 1][1])) {
		bad("%s takes %s", argv[i], what);
		return nullptr;
	}
	return argv[++i];
}

int set_quantum(const char *v)
{
	char *end;
	errno = 0;
	g.quantum = strtoull(v, &end, 10);
	if (*end || !*v || !g.quantum || errno || v[0] == '-')
		return bad("--quantum takes a number of cycles > 0, got '%s'", v);
	g.quantum_set = true;
	return 0;
}

/* The VCD file must be writable before anything runs: SystemC's own check comes after the run
 * has started, with a two-line error and exit 1. SystemC appends ".vcd" to the name it is given,
 * so it writes a temporary file beside the one asked for, renamed at the end: the name asked for
 * is exactly the file written, and a failed run leaves no half-written waveform. */
int check_vcd(const std::string &path)
{
	struct stat st;
	if (stat(path.c_str(), &st) == 0 && S_ISDIR(st.st_mode))
		return bad("cannot write %s: Is a directory", path.c_str());
	g.vcd_tmp = path + ".tmp" + std::to_string(getpid());
	const std::string probe = g.vcd_tmp + ".vcd";
	const int fd = open(probe.c_str(), O_WRONLY | O_CREAT | O_EXCL, 0644);
	if (fd < 0)
		return bad("cannot write %s: %s", path.c_str(), strerror(errno));
	close(fd);
	unlink(probe.c_str());
	return 0;
}

int parse_flag(int argc, char **argv, int &i, std::vector<const char *> &files)
{
	const char *a = argv[i], *v;
	if (!strcmp(a, "--explain"))
		g.cfg.explain = true;
	else if (!strcmp(a, "--quiet"))
		g.cfg.quiet = true;
	else if (!strcmp(a, "--lt"))
		return set_mode(mode::LT, a);
	else if (!strcmp(a, "--clocked"))
		return set_mode(mode::CLOCKED, a);
	else if (!strcmp(a, "--sc-clock"))
		return set_mode(mode::SC_CLOCK, a);
	else if (!strcmp(a, "--quantum"))
		return (v = value_of(argc, argv, i, "a number of cycles > 0")) ? set_quantum(v) : 2;
	else if (!strcmp(a, "--vcd")) {
		if (!(v = value_of(argc, argv, i, "a file name")))
			return 2;
		g.vcd = v;
	} else if (!strcmp(a, "--html")) {
		if (!(g.html = value_of(argc, argv, i, "a file name")))
			return 2;
	} else if (!strcmp(a, "--html-docs-base")) {
		if (!(g.docs_base = value_of(argc, argv, i, "a URL or path")))
			return 2;
	} else if (!strcmp(a, "--opt"))
		return (v = value_of(argc, argv, i, "NAME=VALUE")) ? set_opt(v) : 2;
	else if (!strncmp(a, "--opt=", 6))
		return set_opt(a + 6);
	else if (a[0] == '-' && a[1])
		return bad("unknown flag '%s' (bookedbg-sc --help)", a);
	else
		files.push_back(a);
	return 0;
}

/* Command line and trace parsing, before SystemC starts: bad input runs nothing and prints nothing
 * but its one-line error (no SystemC banner either). Returns -1 to go on, else an exit code. */
int parse_args(int argc, char **argv)
{
	if (argc >= 2 && (!strcmp(argv[1], "--help") || !strcmp(argv[1], "help"))) {
		usage(stdout);
		return 0;
	}
	if (argc < 2) {
		fprintf(stderr, "bookedbg-sc: no command (bookedbg-sc run [FLAGS] FILE...; bookedbg-sc --help)\n");
		return 2;
	}
	if (strcmp(argv[1], "run")) {
		fprintf(stderr, "bookedbg-sc: unknown command '%s' (bookedbg-sc --help)\n", argv[1]);
		return 2;
	}
	for (int i = 2; i < argc; i++)
		if (!strcmp(argv[i], "--help") || !strcmp(argv[i], "-h")) {   /* bookedbg-sc run --help */
			usage(stdout);
			return 0;
		}
	std::vector<const char *> files;
	for (int i = 2; i < argc; i++)
		if (parse_flag(argc, argv, i, files))
			return 2;
	if (g.quantum_set && g.m != mode::LT)
		return bad("--quantum is for --lt (the clocked modes sample every cycle)");
	if (files.empty())
		return bad("no trace files given (bookedbg-sc --help)");
	if (!g.vcd.empty() && check_vcd(g.vcd))
		return 2;
	if (g.docs_base && !g.html)
		return bad("--html-docs-base is for --html");
	if (g.html) {
		char err[4400];
		if (files.size() != 1)
			return bad("%s: --html writes the page of one trace, %zu files given", g.html,
				   files.size());
		if (tr_check_out_path(g.html, err, sizeof err))
			return bad("%s", err);
		if (!(g.explorer = tr_explorer_new(g.docs_base)))
			return 2;
		g.obs = tr_explorer_observer(g.explorer);
	}
	g.traces.resize(files.size());
	int rc = -1;
	char err[512];
	for (size_t i = 0; i < files.size(); i++) {
		if (trace_parse_file(files[i], &g.traces[i], err, sizeof err)) {
			fprintf(stderr, "%s\n", err);
			rc = 2;
		}
	}
	if (rc < 0 && g.html && g.traces[0].n > TR_EXPLORER_MAX_STATEMENTS)
		return bad("%s: %s has %u statements; a page to step through takes at most %u", g.html,
			   files[0], g.traces[0].n, TR_EXPLORER_MAX_STATEMENTS);
	return rc;
}

/* VCD scopes are named after the trace files: the file's stem with every character outside
 * [A-Za-z0-9_] made '_' (SystemC names and VCD scopes take those), made unique with _2, _3... The
 * helper objects of a file (NAME_port, NAME_retire) and the player's own names are taken too, so no
 * two SystemC objects collide whatever the files are called. */
class namer {
public:
	namer() { taken_ = { "player", "clk" }; }
	std::string unit_name(const char *path)
	{
		const std::string base = stem(path);
		std::string n = base;
		for (unsigned k = 2; !free_(n); k++)
			n = base + "_" + std::to_string(k);
		taken_.insert({ n, n + "_port", n + "_retire" });
		return n;
	}

private:
	std::set<std::string> taken_;
	bool free_(const std::string &n) const
	{
		return !taken_.count(n) && !taken_.count(n + "_port") && !taken_.count(n + "_retire");
	}
	static std::string stem(const char *path)
	{
		std::string s = path;
		const size_t slash = s.find_last_of('/');
		if (slash != std::string::npos)
			s.erase(0, slash + 1);
		const size_t dot = s.find_last_of('.');
		if (dot != std::string::npos && dot > 0)
			s.erase(dot);
		for (char &c : s)
			if (!std::isalnum((unsigned char)c) && c != '_')
				c = '_';
		return s.empty() ? "trace" : s;
	}
};

} /* namespace */

/* The modules of one run, one lane per file. */
struct bench {
	std::vector<lane> lanes;
	std::vector<std::unique_ptr<bookedbg::debug_unit>> units;
	std::vector<std::unique_ptr<bookedbg::clocked_unit>> cunits;
	std::vector<std::unique_ptr<sc_signal<bookedbg::retire_bundle>>> sigs;
	std::vector<std::unique_ptr<spr_port>> ports;
	std::unique_ptr<sc_clock> clock;

	void build(const sc_time &period)
	{
		namer names;
		if (g.m == mode::SC_CLOCK)
			clock.reset(new sc_clock("clk", period));
		lanes.resize(g.traces.size());
		for (size_t i = 0; i < g.traces.size(); i++)
			add(lanes[i], g.traces[i], names.unit_name(g.traces[i].path), period);
	}

	void add(lane &l, const struct trace &t, const std::string &n, const sc_time &period)
	{
		l.t = &t;
		dbg_opts o;
		trace_options(l.t, &g.cfg, &o);
		if (g.m == mode::LT) {
			l.unit = new bookedbg::debug_unit(n.c_str(), l.t->core, &o, period);
			units.emplace_back(l.unit);
		} else {
			l.cu = new bookedbg::clocked_unit(n.c_str(), l.t->core, &o, period);
			l.sig = new sc_signal<bookedbg::retire_bundle>((n + "_retire").c_str());
			l.cu->retire_in.bind(*l.sig);
			if (clock)
				l.cu->clk.bind(*clock);
			l.unit = &l.cu->unit;
			cunits.emplace_back(l.cu);
			sigs.emplace_back(l.sig);
		}
		l.port = new spr_port((n + "_port").c_str());
		l.port->sock.bind(l.unit->spr);
		ports.emplace_back(l.port);
	}
};

/* The waveform: every module's outputs into the temporary file check_vcd made room for. */
sc_trace_file *open_vcd(std::vector<lane> &lanes)
{
	if (g.vcd.empty())
		return nullptr;
	sc_trace_file *tf = sc_create_vcd_trace_file(g.vcd_tmp.c_str());
	tf->set_time_unit(1, SC_NS);
	for (lane &l : lanes)
		l.unit->trace(tf);
	return tf;
}

int close_vcd(sc_trace_file *tf)
{
	if (!tf)
		return 0;
	sc_close_vcd_trace_file(tf);
	const std::string written = g.vcd_tmp + ".vcd";
	if (std::rename(written.c_str(), g.vcd.c_str())) {
		const int e = errno;
		std::remove(written.c_str());
		return bad("cannot write %s: %s", g.vcd.c_str(), strerror(e));
	}
	return 0;
}

int sc_main(int, char **)
{
	/* stdout carries exactly what bookedbg run prints: SystemC's reports go to stderr, and the
	 * note about the VCD timescale (ours, fixed) and the one sc_stop gives are not printed. */
	bookedbg::reports_to_stderr();
	sc_report_handler::set_actions(SC_ID_TRACING_TIMESCALE_UNIT_, SC_DO_NOTHING);
	sc_report_handler::set_actions("/OSCI/SystemC", SC_INFO, SC_DO_NOTHING);
	const sc_time period(10, SC_NS);
	bench b;
	b.build(period);
	player pl("player", b.lanes, period);
	sc_trace_file *tf = open_vcd(b.lanes);
	sc_start();
	if (close_vcd(tf))
		return 2;
	char err[4400];
	if (g.explorer && tr_explorer_save(g.explorer, g.html, err, sizeof err))
		return bad("%s", err);
	/* The summary line is bookedbg run's, name included: parity compares stdout byte for byte. */
	size_t nf = g.traces.size();
	fprintf(g.out, "bookedbg run: %zu file%s, %u statements, %u expects: %u passed, %u failed\n", nf,
		nf == 1 ? "" : "s", pl.st.statements, pl.st.expects, pl.st.expects - pl.st.failed,
		pl.st.failed);
	fflush(g.out);
	return pl.st.failed ? 1 : 0;
}

int main(int argc, char **argv)
{
	int rc = parse_args(argc, argv);
	if (rc < 0) {
		setenv("SYSTEMC_DISABLE_COPYRIGHT_MESSAGE", "1", 1);
		rc = sc_core::sc_elab_and_sim(argc, argv);
	}
	for (struct trace &t : g.traces)
		trace_free(&t);
	tr_explorer_free(g.explorer);
	return rc;
}
