/* The world around the kernel code under test: the e500 hardware (one model instance), the guest
 * (a scripted instruction stream run on the model in guest state), QEMU (packs gdb's requests into
 * bp[] and decodes KVM_EXIT_DEBUG), the host threads, preemption, and the oracle.
 *
 * Input on stdin: scenarios (see harness/README.md), each ending with "end". Output on stdout: one
 * JSON line per scenario with its verdict and violations; input that is not in the scenario
 * language is one {"error": "LINE: message"} line and exit 2. "verbose" as the argument also
 * narrates each scenario on stderr; "prove" runs the proof obligations instead.
 *
 * State: struct world is everything one scenario changes (begin() zeroes it), struct harness the
 * process's (narration, the input's request types, the statement being executed). */
#define _POSIX_C_SOURCE 200809L
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/types.h>

#include "dbg_unit.h"
#include "gate_glue.h"
#include "gate_native.h"
#include "gate_trace.h"
#include "gate_uapi.h"

#define MAXG 64        /* guest instructions in a scenario (gate_scenarios.MAXG) */
#define MAXBP 16       /* bp[] slots of struct kvm_guest_debug_arch (gate_scenarios.MAXBP) */
#define HW_SLOTS 4     /* what QEMU ever fills: 2 breakpoints and 2 watchpoints */
#define MAXV 16
#define MAXTOK 24      /* more tokens than any directive takes */
#define STMT_MAX 256
#define KERNEL_PC 0xC0001000u
#define USER_PROBE_PC 0x00010000u

enum { GK_NOP, GK_LOAD, GK_STORE, GK_MTMSR, GK_MTSPR, GK_MFSPR, GK_TRAP, GK_COUNT };
#define TW_TRAP 0x7FE00008u    /* tw 31,0,0: "trap", whose condition always holds */
struct ginsn {
	uint32_t pc, kind, arg;
	int reg;                       /* mtspr/mfspr: enum dbg_reg_id */
	int emulated;                  /* it trapped and KVM emulated it (this KVM_RUN) */
	int nat_done, virt_done;       /* times the native run / the guest under KVM completed it */
};

/* gdb's request types as QEMU keeps them (target/ppc/kvm.c) */
enum { GDB_BP = 1, GDB_WATCH_WRITE, GDB_WATCH_READ, GDB_WATCH_ACCESS };

struct scenario {
	int hv;
	struct gate_ctx host, others[GATE_THREADS - 1];   /* thread 0's, then threads 1.. */
	int nothers, next_other;                          /* given; the next to run at a preemption */
	uint32_t guest_msr, poke_dbcr4;
	int has_poke, no_set_regs, invalid_request;
	char preempt[16];
};

/* A kernel statement: a source location under the kernel's #line directives; file NULL: none. */
struct kloc { const char *file; int line; };

struct violation {
	const char *code, *property, *kind, *function;
	char detail[240];
	int stmt;                      /* the scenario line being executed when it showed */
	char stmt_text[STMT_MAX];
	struct kloc kw;                /* the kernel write behind it (hardware-state violations) */
	uintptr_t trace[GATE_TRACE_KEEP];   /* the kernel blocks of this statement, newest first */
	unsigned ntrace;
};

/* The registers a captured stop needs (struct world's arm). */
enum { AR_DBCR0, AR_IAC1, AR_IAC2, AR_DAC1, AR_DAC2, AR_MSR, AR_MSRP, AR_N };
static const enum dbg_reg_id arm_reg[AR_N] = { DBG_REG_DBCR0, DBG_REG_IAC1, DBG_REG_IAC2,
	DBG_REG_DAC1, DBG_REG_DAC2, DBG_REG_MSR, DBG_REG_MSRP };

/* Everything one scenario changes, in one place: begin() starts each scenario from zero. */
struct world {
	/* the hardware, the guest's program, the scenario's settings */
	struct dbg_unit hw;
	uint64_t cyc;
	uint32_t kpc;                         /* where the host kernel's own instructions run */
	struct scenario sc;
	struct ginsn prog[MAXG];
	int nprog;
	uint32_t guest_pc_next;               /* where the next KVM_RUN resumes the guest */
	/* what the kernel wrote and read */
	struct kloc kwrote[DBG_REG_COUNT];    /* per register: the last write from kernel code */
	uint32_t dbsr_read;                   /* what the kernel's last mfspr(DBSR) returned */
	int dbsr_reads;
	/* QEMU: the current gdb request as it packed it, and gdb's software breakpoints (QEMU wrote
	 * the instruction KVM_REG_PPC_DEBUG_INST names over the guest's at these addresses) */
	struct { uint32_t type; uint64_t addr; int dropped; } gdbreq[MAXBP];
	int ngdb, singlestep;
	uint32_t swbp[MAXBP], sw_inst;
	int nsw;
	int in_ioctl;                         /* inside a vCPU ioctl ("ioctl" preemption point) */
	int preempt_done;
	/* the run under way: what armed gdb's expected stop, or failed to (the hardware when the
	 * guest reached the instruction that should stop, else at the last guest entry, and the
	 * kernel statements that last wrote it) */
	struct {
		int at;                 /* index in prog of the instruction gdb expects to stop on; -1: none */
		int step;               /* a single step: its event needs MSR[DE] after the instruction */
		int frozen;             /* the guest reached it: what it ran with is kept */
		uint32_t val[AR_N], entry_msr;
		struct kloc loc[AR_N];
	} arm;
	int run_host_bad;             /* the host context was already wrong when kvmppc_vcpu_run returned */
	int run_ended_by_debug;       /* this KVM_RUN returned from a debug (or sw breakpoint) exit */
	uint32_t hw_exits[OBS_MAX];   /* where the guest took debug exits, this scenario */
	int nhw_exits;
	int host_kernel_reported;
	/* the guest's own debugger: the native reference, what the guest saw under KVM, the guest
	 * kernel's copy of its DBCR0, whether a difference was already reported, and per guest read
	 * the function it points at, decided then */
	struct native nat;
	struct obs_log vobs;
	uint32_t guest_dbcr0;
	int owned, virt_reported, ioctl_since_write[DBG_REG_COUNT], guest_wrote_dbsr;
	const char *vread_culprit[OBS_MAX];
	/* where the guest's MSR[DE] and the hardware's first disagreed at a guest event (pc, and
	 * which way), while the guest owns the facility */
	struct de_split { int seen; uint32_t pc; int guest_de; } de_split;
	/* the oracle's verdict */
	struct violation viol[MAXV];
	int nviol;
};
static struct world world;

/* The context the scenario gave host thread t. */
static struct gate_ctx *thread_ctx(int t)
{
	return t ? &world.sc.others[t - 1] : &world.sc.host;
}

/* The harness process: how it narrates, the input's request types, the statement being executed
 * (where violations show: its line within the scenario, its text), the scenario count. */
static struct harness {
	int verbose;
	int gate_kvmppc_debug_breakpoint, gate_watch_write, gate_watch_read;
	int lineno, stmt_no;
	char stmt_text[STMT_MAX];
	int scenario_idx, scenario_open;
} harness;

static const char *read_culprit(int reg, uint32_t native_value);

static int in_list(const uint32_t *list, int n, uint32_t v)
{
	for (int k = 0; k < n; k++)
		if (list[k] == v)
			return 1;
	return 0;
}

static int hw_exit_at(uint32_t pc) { return in_list(world.hw_exits, world.nhw_exits, pc); }


static int sw_at(uint32_t pc) { return in_list(world.swbp, world.nsw, pc); }

static void vlog(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
static void vlog(const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
}
/* the verbose account; its arguments are not even computed otherwise */
#define VLOG(...) do { if (harness.verbose) vlog(__VA_ARGS__); } while (0)

/* Length (2..4) of the well-formed UTF-8 sequence at s (RFC 3629: no overlong form, no
 * surrogate), or 0. */
static int utf8_len(const unsigned char *s)
{
	int n = s[0] >= 0xC2 && s[0] <= 0xDF ? 2 : s[0] >= 0xE0 && s[0] <= 0xEF ? 3 :
		s[0] >= 0xF0 && s[0] <= 0xF4 ? 4 : 0;
	unsigned lo = s[0] == 0xE0 ? 0xA0 : s[0] == 0xF0 ? 0x90 : 0x80;
	unsigned hi = s[0] == 0xED ? 0x9F : s[0] == 0xF4 ? 0x8F : 0xBF;
	if (n && (s[1] < lo || s[1] > hi))
		return 0;
	for (int i = 2; i < n; i++)
		if ((s[i] & 0xC0) != 0x80)
			return 0;
	return n;
}

/* A JSON string. Input bytes are not known to be UTF-8: a byte that does not start a well-formed
 * sequence becomes U+FFFD, so the line always parses. */
static void json_str(const char *str)
{
	const unsigned char *s = (const unsigned char *)str;
	putchar('"');
	for (;;) {
		size_t run = 0;     /* plain ASCII goes out in one piece */
		while (s[run] >= 0x20 && s[run] < 0x7f && s[run] != '"' && s[run] != '\\')
			run++;
		fwrite(s, 1, run, stdout);
		s += run;
		if (!*s)
			break;
		int n = *s >= 0x80 ? utf8_len(s) : 1;
		if (*s == '"' || *s == '\\')
			printf("\\%c", *s);
		else if (*s < 0x80)
			printf("\\u%04x", *s);
		else if (n)
			fwrite(s, 1, (size_t)n, stdout);
		else
			printf("\\ufffd");
		s += n ? n : 1;
	}
	putchar('"');
}

/* "FILE:LINE", or "" for no kernel statement */
static const char *kloc_str(struct kloc k, char *b, size_t n)
{
	b[0] = 0;
	if (k.file)
		snprintf(b, n, "%s:%d", k.file, k.line);
	return b;
}

void gate_bug(const char *what, const char *file, int line)
{
	char m[400];
	snprintf(m, sizeof m, "BUG_ON(%s) at %s:%d", what, file, line);
	printf("{\"crash\": ");
	json_str(m);
	printf(", \"stmt\": %d, \"stmt_text\": ", harness.stmt_no);
	json_str(harness.stmt_text);
	printf("}\n");
	fflush(stdout);
	exit(3);
}

/* Input outside the scenario language: one error line, exit 2 (never a guess at what was meant). */
static void input_error(const char *fmt, ...) __attribute__((format(printf, 1, 2), noreturn));
static void input_error(const char *fmt, ...)
{
	char m[300], full[320];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(m, sizeof m, fmt, ap);
	va_end(ap);
	snprintf(full, sizeof full, "%d: %s", harness.lineno, m);
	printf("{\"error\": ");
	json_str(full);
	printf("}\n");
	fflush(stdout);
	exit(2);
}

/* Records a violation at the current statement; returns it (NULL when the list is full) so the
 * caller can name the kernel write behind it. */
static struct violation *violation(const char *code, const char *property, const char *kind,
				   const char *function, const char *fmt, ...)
	__attribute__((format(printf, 5, 6)));
static struct violation *violation(const char *code, const char *property, const char *kind,
				   const char *function, const char *fmt, ...)
{
	if (world.nviol >= MAXV)
		return NULL;
	struct violation *v = &world.viol[world.nviol++];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(v->detail, sizeof v->detail, fmt, ap);
	va_end(ap);
	v->code = code;
	v->property = property;
	v->kind = kind;
	v->function = function;
	v->stmt = harness.stmt_no;
	memcpy(v->stmt_text, harness.stmt_text, sizeof harness.stmt_text);
	v->kw = (struct kloc){ NULL, 0 };
	v->ntrace = gate_trace_recent(v->trace, GATE_TRACE_KEEP);
	return v;
}

/* ---- hardware access from kernel code: real instructions on the model, in host state ---- */
static void host_kernel_event(const char *where, const char *what, uint32_t addr, uint32_t events,
			      enum dbg_reg_id qualifier);

static void load_ctx(struct dbg_unit *u, const struct gate_ctx *c);

/* Events the running thread's own context raises for this kernel instruction: a context whose
 * qualifiers let it fire in supervisor state (ptrace never builds one) is the thread's business. */
static uint32_t own_kernel_events(uint32_t msr, const struct dbg_insn *in)
{
	static struct dbg_unit u;
	struct dbg_result r;
	dbg_init(&u, dbg_core_of(&world.hw));
	load_ctx(&u, thread_ctx(glue_current_thread()));
	dbg_set(&u, DBG_REG_MSR, msr);
	struct dbg_insn i = *in;
	dbg_exec(&u, 1, &i, &r);
	return r.events;
}

/* The host kernel's own instruction, at the next kernel address, in supervisor state. Whatever
 * debug registers are loaded at that moment (the thread's, the guest's, or a context half
 * written), the kernel's own code must raise no event but the running thread's own. The entry
 * rfi is the guest's, not the kernel's. */
static void kexec(struct dbg_insn *in)
{
	struct dbg_result r;
	in->pc = world.kpc;
	world.kpc += 4;
	uint32_t msr = dbg_get(&world.hw, DBG_REG_MSR);     /* the MSR it executes under */
	dbg_exec(&world.hw, ++world.cyc, in, &r);
	world.cyc = r.cycle;
	uint32_t foreign = r.events && in->kind != DBG_I_RFI ? r.events & ~own_kernel_events(msr, in) : 0;
	if (foreign)
		host_kernel_event("while the kernel writes the debug registers", "instruction", in->pc,
				  foreign, DBG_REG_DBCR1);
}

/* Whether a write comes from the kernel under test, not from our shims or the generated TU's own
 * lines. Source file names are string literals: pointer compares in the common case. */
static int from_kernel(const char *file)
{
	static const char *const ours[] = { "shim/kernel.h", "shim/glue_common.c",
		"shim/profile_v3.c", "shim/profile_v3.h", "shim/profile_v61.c", "shim/profile_v61.h",
		"gate_kernel.c", "gate_defs.h" };
	static const char *seen[8];      /* a few writers alternate: kernel files and shims */
	static int kernel[8], next;
	for (int k = 0; k < 8; k++)
		if (seen[k] == file)
			return kernel[k];
	size_t n = strlen(file);
	int is_kernel = 1;
	for (unsigned i = 0; i < sizeof ours / sizeof ours[0]; i++) {
		size_t m = strlen(ours[i]);
		if (n >= m && !strcmp(file + n - m, ours[i]) && (n == m || file[n - m - 1] == '/'))
			is_kernel = 0;
	}
	seen[next] = file;
	kernel[next] = is_kernel;
	next = (next + 1) % 8;
	return is_kernel;
}

uint32_t hw_mfspr(int sprn)
{
	int r = dbg_reg_by_spr(sprn);
	if (r < 0 || !dbg_reg_exists(dbg_core_of(&world.hw), (enum dbg_reg_id)r) || r == DBG_REG_DBSRWR)
		return 0;
	uint32_t v = dbg_get(&world.hw, (enum dbg_reg_id)r);
	if (r == DBG_REG_DBSR) {
		world.dbsr_read = v;
		world.dbsr_reads++;
	}
	return v;
}

void hw_mtspr(int sprn, uint32_t v, const char *file, int line)
{
	struct dbg_insn in = { .kind = DBG_I_MTSPR, .reg = dbg_reg_by_spr(sprn), .value = v };
	kexec(&in);
	if (in.reg >= 0 && from_kernel(file))
		world.kwrote[in.reg] = (struct kloc){ file, line };
}

uint32_t hw_mfmsr(void) { return dbg_get(&world.hw, DBG_REG_MSR); }

void hw_set_dbsr(uint32_t v) { dbg_set(&world.hw, DBG_REG_DBSR, v); }

void hw_mtmsr(uint32_t v, const char *file, int line)
{
	struct dbg_insn in = { .kind = DBG_I_MTMSR, .reg = -1, .value = v };
	kexec(&in);
	if (from_kernel(file))
		world.kwrote[DBG_REG_MSR] = (struct kloc){ file, line };
}

static void csi(void)
{
	struct dbg_insn in = { .kind = DBG_I_ISYNC, .reg = -1 };
	kexec(&in);
}

/* ---- host threads: probe what the hardware does for a thread's user code ---- */
/* The registers a host thread's context puts in the hardware, in the order a culprit for wrong
 * host events is looked for (DBCR4, which the host keeps 0, exists on the e500mc only). */
static const enum dbg_reg_id ctx_reg[] = { DBG_REG_DBCR0, DBG_REG_DBCR1, DBG_REG_DBCR2,
	DBG_REG_IAC1, DBG_REG_IAC2, DBG_REG_DAC1, DBG_REG_DAC2, DBG_REG_DBCR4 };

/* A context's value of register r, one of ctx_reg's first seven (the struct's field order). */
static uint32_t ctx_value(const struct gate_ctx *c, enum dbg_reg_id r)
{
	const uint32_t v[7] = { c->dbcr0, c->dbcr1, c->dbcr2, c->iac1, c->iac2, c->dac1, c->dac2 };
	for (int k = 0; k < 7; k++)
		if (ctx_reg[k] == r)
			return v[k];
	return 0;
}

static void load_ctx(struct dbg_unit *u, const struct gate_ctx *c)
{
	for (int k = 0; k < 7; k++)
		dbg_set(u, ctx_reg[k], ctx_value(c, ctx_reg[k]));
}

/* What a run of user code at the interesting addresses raises: per probe (an instruction fetch,
 * a load, a store at each address) the events and whether a debug interrupt came, so a compare
 * that fires at the wrong address (a lost pair or qualifier mode) shows even when the union of
 * events is the same. */
#define PROBES (3 * (MAXBP * 2 + MAXG + 8))
struct probe {
	uint32_t ev;              /* union of all events */
	int ints;                 /* debug interrupts taken */
	int n;
	uint32_t addr[PROBES], per[PROBES];   /* per probe: events | PROBE_IRQ */
};
#define PROBE_IRQ 1u          /* marks an interrupt: the lowest DBSR bit (IAC34ATS) is never an e500 event */

static int probe_differs(const struct probe *a, const struct probe *b)
{
	return a->ev != b->ev || (a->ints > 0) != (b->ints > 0) || a->n != b->n ||
	       memcmp(a->per, b->per, sizeof a->per[0] * (unsigned)a->n);
}

/* The first probe where a and b differ, as text. */
static void probe_where(const struct probe *a, const struct probe *b, char *buf, size_t n)
{
	static const char *const kind[3] = { "fetch", "load", "store" };
	buf[0] = 0;
	for (int i = 0; i < a->n && i < b->n; i++)
		if (a->per[i] != b->per[i]) {
			snprintf(buf, n, " (first at a user %s of 0x%08X)", kind[i % 3], a->addr[i]);
			return;
		}
}

static void probe_events(struct dbg_unit *u, uint32_t msr, struct probe *p, const struct gate_ctx *own)
{
	uint32_t addrs[MAXBP * 2 + MAXG + 8];
	int n = 0;
	const uint32_t mine[4] = { own->iac1, own->iac2, own->dac1, own->dac2 };
	for (int i = 0; i < 4; i++) {
		addrs[n++] = mine[i];
		addrs[n++] = mine[i] + 8;      /* a neighbour: catches a widened (DBCR4 XM) compare */
	}
	for (int i = 0; i < world.ngdb; i++) {
		addrs[n++] = (uint32_t)world.gdbreq[i].addr;
		addrs[n++] = (uint32_t)world.gdbreq[i].addr + 8;
	}
	for (int i = 0; i < world.nprog; i++)
		if (world.prog[i].kind == GK_LOAD || world.prog[i].kind == GK_STORE)
			addrs[n++] = world.prog[i].arg;
	struct dbg_result r;
	uint64_t cy = dbg_cycle(u) + 1;
	dbg_set(u, DBG_REG_MSR, msr);
	dbg_set(u, DBG_REG_DBSR, 0);
	memset(p, 0, sizeof *p);
	for (int i = 0; i < n; i++) {
		struct dbg_insn a = { .kind = DBG_I_NOP, .pc = addrs[i] & ~3u, .reg = -1 };
		struct dbg_insn l = { .kind = DBG_I_LOAD, .pc = USER_PROBE_PC, .ea = addrs[i], .size = 4, .reg = -1 };
		struct dbg_insn s = { .kind = DBG_I_STORE, .pc = USER_PROBE_PC + 4, .ea = addrs[i], .size = 4, .reg = -1 };
		struct dbg_insn *all[3] = { &a, &l, &s };
		for (int k = 0; k < 3; k++) {
			dbg_exec(u, cy++, all[k], &r);
			p->ev |= r.events;
			p->addr[p->n] = addrs[i];
			p->per[p->n] = r.events;
			if (dbg_result_irq(&r, DBG_IRQ_DEBUG)) {
				p->ints++;
				p->per[p->n] |= PROBE_IRQ;
			}
			p->n++;
			dbg_set(u, DBG_REG_DBSR, 0);
			dbg_set(u, DBG_REG_MSR, msr);
		}
	}
}

/* The context synchronization of the return to user mode, on a copy. */
static void sync_unit(struct dbg_unit *u)
{
	struct dbg_insn in = { .kind = DBG_I_ISYNC, .pc = world.kpc, .reg = -1 };
	struct dbg_result r;
	dbg_exec(u, dbg_cycle(u) + 1, &in, &r);
}

/* Which register explains wrong host events: the first (ctx_reg order) whose value differs from
 * what the thread's own context puts there (clean) and whose own value alone makes the events
 * right; else the first whose own value changes them; else DBCR0. Runs only on a violation. */
static enum dbg_reg_id host_culprit(const struct dbg_unit *before, const struct dbg_unit *clean,
				    const struct gate_ctx *c, uint32_t msr, const struct probe *got,
				    const struct probe *want)
{
	struct dbg_unit synced = *before;
	sync_unit(&synced);
	int nreg = dbg_core_of(&world.hw) == DBG_E500MC ? 8 : 7, partial = -1, ndiff = 0, last = 0;
	for (int k = 0; k < nreg; k++) {
		if (dbg_get(&synced, ctx_reg[k]) != dbg_get(clean, ctx_reg[k])) {
			ndiff++;
			last = k;
		}
	}
	if (ndiff == 1)
		return ctx_reg[last];      /* its own value makes the hardware the clean one */
	for (int k = 0; k < nreg; k++) {
		uint32_t own = dbg_get(clean, ctx_reg[k]);
		if (dbg_get(&synced, ctx_reg[k]) == own)
			continue;
		struct dbg_unit u = synced;
		static struct probe pr;       /* large: not on the stack of a loop */
		dbg_set(&u, ctx_reg[k], own);
		probe_events(&u, msr, &pr, c);
		if (!probe_differs(&pr, want))
			return ctx_reg[k];
		if (probe_differs(&pr, got) && partial < 0)
			partial = k;
	}
	return partial >= 0 ? ctx_reg[partial] : DBG_REG_DBCR0;
}

/* Whether the DBCR4 the scenario poked into the vCPU (state no ioctl produces) alone makes the host
 * thread's events wrong: then the violation is robustness. */
static int poked_dbcr4_explains(const struct dbg_unit *u, uint32_t msr, const struct gate_ctx *c,
				const struct probe *want)
{
	if (!world.sc.has_poke || dbg_core_of(u) != DBG_E500MC || !dbg_get(u, DBG_REG_DBCR4))
		return 0;
	static struct dbg_unit v;
	static struct probe p;
	v = *u;
	dbg_set(&v, DBG_REG_DBCR4, 0);
	sync_unit(&v);
	probe_events(&v, msr, &p, c);
	return !probe_differs(&p, want);
}

static int takes_debug_at_return(const struct dbg_unit *u, uint32_t msr, int clear_dbsr)
{
	static struct dbg_unit c;
	c = *u;
	if (clear_dbsr)
		dbg_set(&c, DBG_REG_DBSR, 0);
	sync_unit(&c);
	dbg_set(&c, DBG_REG_MSR, msr);
	struct dbg_insn nop = { .kind = DBG_I_NOP, .pc = USER_PROBE_PC + 8, .reg = -1 };
	struct dbg_result r;
	dbg_exec(&c, dbg_cycle(&c) + 1, &nop, &r);
	return dbg_result_irq(&r, DBG_IRQ_DEBUG) != NULL;
}

/* A debug interrupt thread t takes as soon as it is back in user mode with its MSR, because of
 * events already in DBSR (with DBSR clear it would not: its own events are the probes' business). */
static int takes_left_events(const struct dbg_unit *u, uint32_t msr)
{
	return takes_debug_at_return(u, msr, 0) && !takes_debug_at_return(u, msr, 1);
}

/* Property 2: the hardware must do for thread t's user code exactly what t's own debug context
 * asks, no more (no guest or foreign events) and no less (its own events still fire). */
/* Returns 1 if thread t's own events came out wrong; fn is the kernel function that promised them
 * at this point. */
static int check_host(int t, const char *when, const char *fn)
{
	/* the context the thread was given (ptrace), not the kernel's own bookkeeping of it: a kernel
	 * that loses the thread's context loses its copy in thread.debug too */
	struct gate_ctx c = *thread_ctx(t), kept;
	glue_get_thread_ctx(t, &kept);
	if (memcmp(&kept, &c, sizeof c))
		violation("thread-ctx", "host-state", "bug", fn, "%s: host thread %d's saved debug context "
			  "(thread.debug) is not the one it was given: its next switch-in loads another",
			  when, t);
	uint32_t msr = MSR_PR | MSR_EE | MSR_ME | ((c.dbcr0 & DBCR0_IDM) ? MSR_DE : 0);
	struct dbg_unit saved = world.hw, clean;
	/* only the return to user mode has to leave DBSR clean (the kernel may still clear it) */
	if (strcmp(when, "after kvmppc_vcpu_run") && takes_left_events(&world.hw, msr)) {
		struct violation *v = violation("dbsr-left", "host-state", "bug", fn, "%s: DBSR=0x%08X left "
						"in hardware: host thread %d takes a debug interrupt for events "
						"it never caused", when, dbg_get(&world.hw, DBG_REG_DBSR), t);
		if (v)
			v->kw = world.kwrote[DBG_REG_DBSR];
	}
	/* the return to user mode is context synchronizing */
	csi();
	static struct probe got, want;
	probe_events(&world.hw, msr, &got, &c);
	world.hw = saved;
	dbg_init(&clean, dbg_core_of(&world.hw));
	load_ctx(&clean, &c);
	probe_events(&clean, msr, &want, &c);
	int bad = probe_differs(&got, &want);
	char a[96], b[96], at[64];
	a[0] = b[0] = at[0] = 0;
	if (bad || harness.verbose) {
		dbg_events_str(got.ev, a, sizeof a);
		dbg_events_str(want.ev, b, sizeof b);
		probe_where(&got, &want, at, sizeof at);
	}
	VLOG("    host check %s: thread %d raises %s (%d interrupts), its context asks %s (%d)%s: %s",
	     when, t, a, got.ints, b, want.ints, at, bad ? "WRONG" : "ok");
	if (bad) {
		struct violation *v = violation("host-events", "host-state", poked_dbcr4_explains(&saved, msr,
						&c, &want) ? "robustness" : "bug", fn, "%s: host thread %d "
						"user code raises %s (%d interrupts), its own context asks for %s "
						"(%d)%s", when, t, a, got.ints, b, want.ints, at);
		if (v)
			v->kw = world.kwrote[host_culprit(&saved, &clean, &c, msr, &got, &want)];
	}
	if (dbg_core_of(&world.hw) == DBG_E500MC && dbg_get(&world.hw, DBG_REG_DBCR4)) {
		struct violation *v = violation("dbcr4-left", "host-state", world.sc.has_poke ? "robustness" : "bug",
						"kvmppc_booke_vcpu_load_debug_regs", "%s: DBCR4=0x%08X left for the host",
						when, dbg_get(&world.hw, DBG_REG_DBCR4));
		if (v)
			v->kw = world.kwrote[DBG_REG_DBCR4];
	}
	return bad;
}


void world_preempt_point(const char *where)
{
	/* kvmppc_vcpu_run has switched back to the thread's own debug context here */
	if (!strcmp(where, "after-run"))
		world.run_host_bad = check_host(0, "after kvmppc_vcpu_run", "kvmppc_vcpu_run");
	int ioctl = !strcmp(where, "ioctl");
	if (world.preempt_done || strcmp(where, world.sc.preempt) || (ioctl && !world.in_ioctl))
		return;
	world.preempt_done = 1;
	/* the other threads take turns, one a preemption */
	int t = 1 + world.sc.next_other;
	if (world.sc.nothers)
		world.sc.next_other = (world.sc.next_other + 1) % world.sc.nothers;
	VLOG("    preempted (%s): vcpu_put, thread %d runs, vcpu_load", where, t);
	/* kvm_sched_out -> vcpu_put; __switch_to(other); the other thread runs; and back */
	glue_sched_out();
	glue_switch_to(t);
	check_host(t, "preempted", ioctl ? "kvmppc_booke_vcpu_put" : "kvmppc_vcpu_run");
	glue_switch_to(0);
	glue_sched_in();
	dbg_set(&world.hw, DBG_REG_MSR, MSR_ME);
}

/* ---- the guest ---- */
/* The PC and MSR the hardware's last debug interrupt saved. */
static void debug_saved(uint32_t *pc, uint32_t *msr)
{
	enum dbg_reg_id s0, s1;
	dbg_save_regs(dbg_core_of(&world.hw), DBG_IRQ_DEBUG, &s0, &s1);
	*pc = dbg_get(&world.hw, s0);
	*msr = dbg_get(&world.hw, s1);
}

static int find_pc(uint32_t pc)
{
	for (int i = 0; i < world.nprog; i++)
		if (world.prog[i].pc == pc)
			return i;
	return -1;
}


/* What armed gdb's expected stop, or failed to: the hardware when the guest reached the
 * instruction that should stop (else at the last guest entry), and the kernel statements that
 * last wrote it. Only the registers a stop needs. */

static void arm_capture(void)
{
	for (int k = 0; k < AR_N; k++) {
		world.arm.val[k] = dbg_get(&world.hw, arm_reg[k]);
		world.arm.loc[k] = world.kwrote[arm_reg[k]];
	}
}

/* Enter the guest at pc with an rfi from the host, as the KVM entry code does. */
static void enter_guest(uint32_t pc)
{
	dbg_set(&world.hw, DBG_REG_SRR0, pc);
	dbg_set(&world.hw, DBG_REG_SRR1, glue_guest_hw_msr());
	struct dbg_insn in = { .kind = DBG_I_RFI, .reg = -1 };
	kexec(&in);
	if (dbg_pc(&world.hw) != pc) {
		VLOG("    guest entry at 0x%08X, MSR=0x%08X: an interrupt at the entry boundary", pc,
		     dbg_get(&world.hw, DBG_REG_SRR1));
		return;
	}
	/* the rfi loaded the guest's MSR from the vCPU state: no kernel statement wrote it (the
	 * kernel's own mtmsr writes are the host's) */
	world.kwrote[DBG_REG_MSR] = (struct kloc){ NULL, 0 };
	if (world.arm.at >= 0 && !world.arm.frozen) {
		arm_capture();
		world.arm.entry_msr = world.arm.val[AR_MSR];
	}
	VLOG("    guest entry at 0x%08X, MSR=0x%08X", pc, dbg_get(&world.hw, DBG_REG_MSR));
}

static int debug_taken(const struct dbg_result *r, uint32_t *pc, uint32_t *msr)
{
	const struct dbg_taken *d = dbg_result_irq(r, DBG_IRQ_DEBUG);
	if (d) {
		*pc = d->saved_pc;
		*msr = d->saved_msr;
	}
	return d != NULL;
}


/* The host kernel's own code runs while the guest's debug registers are loaded: from the switch in
 * kvmppc_vcpu_run to the guest entry, and on the exit path until the switch back. Its text and data
 * are at kernel addresses, where a Linux guest kernel is debugged too: an instruction fetch, a load
 * and a store there, in supervisor state, must raise none of the guest's events (on a copy: pure
 * detection). Reported once a scenario. */
#define KERNEL_BASE 0xC0000000u

static void host_kernel_event(const char *where, const char *what, uint32_t addr, uint32_t events,
			      enum dbg_reg_id qualifier)
{
	if (world.host_kernel_reported)
		return;
	char ev[96];
	world.host_kernel_reported = 1;
	struct violation *v = violation("host-kernel-event", "host-state", "bug", world.owned ?
		"kvm_arch_vcpu_ioctl_set_guest_debug" : "kvmppc_booke_emulate_mtspr", "%s: the host "
		"kernel's own %s at 0x%08X (supervisor, the guest's debug registers loaded) raises %s",
		where, what, addr, dbg_events_str(events, ev, sizeof ev));
	if (v)     /* the qualifiers that should have kept it to the guest */
		v->kw = world.kwrote[qualifier];
}

static void host_kernel_window(const char *where)
{
	static const enum dbg_reg_id cmp[4] = { DBG_REG_IAC1, DBG_REG_IAC2, DBG_REG_DAC1, DBG_REG_DAC2 };
	static const char *const what[3] = { "instruction", "load", "store" };
	if (world.host_kernel_reported)
		return;
	for (int c = 0; c < 4; c++) {
		uint32_t a = dbg_get(&world.hw, cmp[c]);
		if (a < KERNEL_BASE)
			continue;
		struct dbg_insn in[3] = {
			{ .kind = DBG_I_NOP, .pc = a & ~3u, .reg = -1 },
			{ .kind = DBG_I_LOAD, .pc = world.kpc, .ea = a, .size = 4, .reg = -1 },
			{ .kind = DBG_I_STORE, .pc = world.kpc, .ea = a, .size = 4, .reg = -1 } };
		for (int k = 0; k < 3; k++) {
			static struct dbg_unit u;
			struct dbg_result r;
			u = world.hw;
			dbg_set(&u, DBG_REG_MSR, MSR_ME);
			dbg_set(&u, DBG_REG_DBSR, 0);
			dbg_exec(&u, dbg_cycle(&u) + 1, &in[k], &r);
			if (r.events) {
				host_kernel_event(where, what[k], a, r.events,
						  c < 2 ? DBG_REG_DBCR1 : DBG_REG_DBCR2);
				return;
			}
		}
	}
}

/* The exit path for a debug interrupt taken at spc; returns 1 if KVM_RUN returns to userspace. */
static int guest_debug_exit(uint32_t spc, uint32_t smsr)
{
	VLOG("    guest exit at 0x%08X: debug interrupt, guest MSR=0x%08X, DBSR=0x%08X", spc, smsr,
	     dbg_get(&world.hw, DBG_REG_DBSR));
	host_kernel_window("on the exit path");
	world.dbsr_reads = 0;
	if (world.nhw_exits < OBS_MAX)
		world.hw_exits[world.nhw_exits++] = spc;
	int rr = glue_exit_debug(spc, smsr);
	dbg_set(&world.hw, DBG_REG_MSR, MSR_ME);
	int host = rr == glue_resume_host();
	world.run_ended_by_debug = host;
	if (world.dbsr_reads)
		VLOG("    the kernel read DBSR=0x%08X: %s", world.dbsr_read, host ? "RESUME_HOST" : "RESUME_GUEST");
	else
		VLOG("    the kernel never read DBSR: %s", host ? "RESUME_HOST" : "RESUME_GUEST");
	return host;
}

/* The native run executes prog[i] once for each time the guest under KVM completes it, at the
 * guest's first attempt (a breakpoint that stops before it is part of that attempt). */
static void native_attempt(int i, const struct dbg_insn *in)
{
	if (world.prog[i].nat_done > world.prog[i].virt_done)
		return;
	native_exec(&world.nat, in);
	if (!world.nat.owned)
		world.prog[i].nat_done++;
}

/* The guest kernel's debug interrupt handler under KVM (gate_native.h), for each interrupt KVM
 * delivers before the guest runs again: each of its SPR accesses traps and KVM emulates it; *pc
 * becomes where the handler returns. */
static void guest_handlers(uint32_t *pc)
{
	uint32_t srr0, srr1, dbsr;
	for (int k = 0; k < 4 && glue_deliver_debug(&srr0, &srr1); k++) {
		glue_emulate_mfspr(dbg_reg_desc[DBG_REG_DBSR].spr, &dbsr);
		VLOG("    KVM delivers a debug interrupt to the guest at 0x%08X; its handler reads "
		     "DBSR=0x%08X", srr0, dbsr);
		obs_add(&world.vobs, OBS_DEBUG, srr0, -1, dbsr);
		world.guest_dbcr0 = guest_handler_dbcr0(world.guest_dbcr0, dbsr);
		glue_emulate_mtspr(dbg_reg_desc[DBG_REG_DBCR0].spr, world.guest_dbcr0);
		glue_emulate_mtspr(dbg_reg_desc[DBG_REG_DBSR].spr, dbsr);
		*pc = guest_handler_return(srr0, dbsr);
		glue_guest_return(*pc, srr1);
	}
	if (glue_take_program()) {
		/* the guest kernel's program handler skips the instruction (gate_native.c) */
		VLOG("    KVM delivers a program interrupt to the guest at 0x%08X", *pc);
		if (!world.owned)
			obs_add(&world.vobs, OBS_PROGRAM, *pc, -1, 0);
		*pc += 4;
	}
}

/* KVM emulated prog[i] (it trapped): the guest resumes after it. The hardware never completed it,
 * so no event after it was raised: a single step's stop is the next instruction's, with the MSR
 * the emulation leaves. Returns 1 if the re-entry took an interrupt at the boundary. */
static int emulated(int i, uint32_t *spc, uint32_t *smsr)
{
	world.prog[i].emulated = 1;
	world.prog[i].virt_done++;
	if (i == world.arm.at && world.arm.step) {
		world.arm.at++;
		world.arm.frozen = 0;
	}
	dbg_set(&world.hw, DBG_REG_MSR, MSR_ME);
	uint32_t pc = world.prog[i].pc + 4;
	guest_handlers(&pc);
	enter_guest(pc);
	if (dbg_pc(&world.hw) == pc)
		return 0;
	debug_saved(spc, smsr);
	return 1;
}

/* A guest mtspr/mfspr of a debug register: it traps on both cores (PR: privileged; HV: hypervisor
 * privileged) and KVM emulates it (kvmppc_booke_emulate_mtspr/mfspr); in guest user mode the
 * program interrupt goes to the guest kernel, which skips it. */
static void guest_spr(int i)
{
	const struct ginsn *g = &world.prog[i];
	int sprn = dbg_reg_desc[g->reg].spr;
	if (glue_guest_msr() & MSR_PR) {
		VLOG("    guest %s in user mode at 0x%08X: a program interrupt for the guest kernel",
		     g->kind == GK_MTSPR ? "mtspr" : "mfspr", g->pc);
		if (!world.owned)
			obs_add(&world.vobs, OBS_PROGRAM, g->pc, -1, 0);
		return;
	}
	if (g->kind == GK_MTSPR) {
		if (g->reg == DBG_REG_DBCR0)
			world.guest_dbcr0 = g->arg;
		world.ioctl_since_write[g->reg] = 0;
		world.guest_wrote_dbsr |= g->reg == DBG_REG_DBSR;
		int rc = glue_emulate_mtspr(sprn, g->arg);
		VLOG("    guest mtspr %s, 0x%08X at 0x%08X: KVM emulates it (%s)", dbg_reg_desc[g->reg].name,
		     g->arg, g->pc, rc ? "EMULATE_FAIL" : "done");
		return;
	}
	uint32_t v = 0;
	int rc = glue_emulate_mfspr(sprn, &v);
	VLOG("    guest mfspr %s at 0x%08X: KVM emulates it, 0x%08X (%s)", dbg_reg_desc[g->reg].name,
	     g->pc, v, rc ? "EMULATE_FAIL" : "done");
	if (world.owned || world.vobs.n >= OBS_MAX)
		return;
	/* the culprit is decided now, with the vCPU's state at the read: the bare core has run it */
	const struct obs *w = NULL;
	for (int k = world.nat.log.n - 1; k >= 0 && !w; k--)
		if (world.nat.log.o[k].kind == OBS_READ && world.nat.log.o[k].pc == g->pc)
			w = &world.nat.log.o[k];
	world.vread_culprit[world.vobs.n] = read_culprit(g->reg, w ? w->value : ~v);
	obs_add(&world.vobs, OBS_READ, g->pc, g->reg, v);
}

static void guest_insn(int i, struct dbg_insn *in)
{
	*in = (struct dbg_insn){ .pc = world.prog[i].pc, .reg = -1, .size = 4 };
	switch (world.prog[i].kind) {
	case GK_LOAD: in->kind = DBG_I_LOAD; in->ea = world.prog[i].arg; break;
	case GK_STORE: in->kind = DBG_I_STORE; in->ea = world.prog[i].arg; break;
	case GK_MTMSR: in->kind = DBG_I_MTMSR; in->value = world.prog[i].arg; break;
	case GK_MTSPR: in->kind = DBG_I_MTSPR; in->reg = world.prog[i].reg; in->value = world.prog[i].arg; break;
	case GK_MFSPR: in->kind = DBG_I_MFSPR; in->reg = world.prog[i].reg; break;
	case GK_TRAP: in->kind = DBG_I_TRAP; break;
	default: in->kind = DBG_I_NOP; break;
	}
}

static int nat_took_debug(int from)
{
	for (int k = from; k < world.nat.log.n; k++)
		if (world.nat.log.o[k].kind == OBS_DEBUG)
			return 1;
	return 0;
}

/* The guest's MSR[DE] gates its own debug interrupts: the hardware must take one exactly when the
 * bare core does. nat_msr/hw_msr are both MSRs before prog[i]; nat_took: the bare core took one. */
static void note_de_split(int i, uint32_t nat_msr, uint32_t hw_msr, int nat_took,
			  const struct dbg_result *r)
{
	if (world.de_split.seen || world.owned || world.nat.owned)
		return;
	int hw_took = dbg_result_irq(r, DBG_IRQ_DEBUG) != NULL;
	if (hw_took && !nat_took && !(nat_msr & MSR_DE))
		world.de_split = (struct de_split){ 1, world.prog[i].pc, 0 };
	else if (!hw_took && nat_took && r->events && !(hw_msr & MSR_DE))
		world.de_split = (struct de_split){ 1, world.prog[i].pc, 1 };
	if (world.de_split.seen)
		VLOG("    the guest runs with MSR[DE]=%d at 0x%08X, the hardware with MSR[DE]=%d",
		     world.de_split.guest_de, world.de_split.pc, !world.de_split.guest_de);
}

/* A program interrupt at prog[i] (gdb's software breakpoint, sw; or the guest's own trap) goes
 * through KVM's exit path: -1 KVM_RUN returns to userspace (the run ends here); 1 the guest's
 * program interrupt was delivered and the guest goes on after it (*exited if that re-entry took an
 * interrupt); 0 KVM resumes the guest at the same instruction. */
static int program_exit(int i, int sw, const struct dbg_result *r, uint32_t *spc, uint32_t *smsr,
			int *exited)
{
	dbg_set(&world.hw, DBG_REG_MSR, MSR_ME);
	int host = glue_exit_program(r->irq[0].saved_pc, r->irq[0].saved_msr, sw ? world.sw_inst : TW_TRAP) ==
		glue_resume_host();
	VLOG("    guest exit at 0x%08X: program interrupt on %s: %s", world.prog[i].pc,
	     sw ? "gdb's software breakpoint" : "the guest's trap", host ? "RESUME_HOST" : "RESUME_GUEST");
	if (host) {
		world.run_ended_by_debug = sw;
		world.guest_pc_next = world.prog[i].pc;
		return -1;
	}
	if (!glue_take_program())
		return 0;
	VLOG("    KVM gives the guest a program interrupt at 0x%08X", world.prog[i].pc);
	if (!world.owned)
		obs_add(&world.vobs, OBS_PROGRAM, world.prog[i].pc, -1, 0);
	*exited = emulated(i, spc, smsr);
	return 1;
}

int world_guest_run(void)
{
	uint32_t pc = world.guest_pc_next;
	host_kernel_window("before the guest entry");
	for (int entries = 0; entries < 8; entries++) {
		struct dbg_result r;
		uint32_t spc, smsr;
		guest_handlers(&pc);
		enter_guest(pc);
		/* the entry rfi itself may deliver a pending (delayed) event at the guest PC */
		int i = find_pc(pc);
		int exited = 0;
		if (dbg_pc(&world.hw) != pc) {
			/* took an interrupt at the entry boundary */
			debug_saved(&spc, &smsr);
			exited = 1;
		}
		int again = 0;
		while (!exited && !again && i >= 0 && i < world.nprog) {
			struct dbg_insn in;
			guest_insn(i, &in);
			uint32_t nat_msr = dbg_get(&world.nat.u, DBG_REG_MSR), hw_msr = dbg_get(&world.hw, DBG_REG_MSR);
			int nlog = world.nat.log.n;
			native_attempt(i, &in);
			int sw = sw_at(world.prog[i].pc);
			if (sw)     /* under KVM the word is QEMU's: an illegal instruction */
				in = (struct dbg_insn){ .kind = DBG_I_NOP, .pc = world.prog[i].pc, .reg = -1,
							.fault = DBG_F_PROGRAM };
			if (i == world.arm.at && !world.arm.frozen) {
				arm_capture();
				world.arm.frozen = 1;
			}
			dbg_exec(&world.hw, ++world.cyc, &in, &r);
			world.cyc = r.cycle;
			note_de_split(i, nat_msr, hw_msr, nat_took_debug(nlog), &r);
			if (debug_taken(&r, &spc, &smsr)) {
				if (spc != world.prog[i].pc)
					world.prog[i].virt_done++;
				exited = 1;
				break;
			}
			if (i == world.arm.at && world.arm.step && !r.nirq)
				world.arm.val[AR_MSR] = dbg_get(&world.hw, DBG_REG_MSR);
			if (world.prog[i].kind == GK_MTMSR && !r.nirq)
				VLOG("    guest mtmsr 0x%08X at 0x%08X: MSR=0x%08X", world.prog[i].arg, world.prog[i].pc,
				     dbg_get(&world.hw, DBG_REG_MSR));
			int trapped = r.nirq && (r.irq[0].kind == DBG_IRQ_PROGRAM || r.irq[0].kind == DBG_IRQ_HVPRIV);
			if ((sw || world.prog[i].kind == GK_TRAP) && trapped) {
				int s = program_exit(i, sw, &r, &spc, &smsr, &exited);
				if (s < 0)
					return 0;              /* KVM_RUN returns: gdb's stop */
				again = s == 0;
				if (!again && !exited)
					i++;
				continue;
			}
			if (trapped)
				glue_exit_save(r.irq[0].saved_pc, r.irq[0].saved_msr);
			if (trapped && world.prog[i].kind == GK_MTMSR) {
				/* PR: the privileged mtmsr traps and KVM emulates it */
				dbg_set(&world.hw, DBG_REG_MSR, MSR_ME);
				VLOG("    guest mtmsr 0x%08X at 0x%08X traps: KVM emulates it", world.prog[i].arg, world.prog[i].pc);
				glue_guest_set_msr(world.prog[i].arg);
				if ((exited = emulated(i, &spc, &smsr)))
					break;
			} else if (trapped && (world.prog[i].kind == GK_MTSPR || world.prog[i].kind == GK_MFSPR)) {
				dbg_set(&world.hw, DBG_REG_MSR, MSR_ME);
				guest_spr(i);
				if ((exited = emulated(i, &spc, &smsr)))
					break;
			} else {
				world.prog[i].virt_done++;
			}
			i++;
		}
		if (again) {
			pc = world.prog[i].pc;           /* KVM resumes the guest at the breakpoint */
			continue;
		}
		if (!exited && world.singlestep && i == world.nprog && world.nprog) {
			/* a real guest always has a next instruction, and a step fires after it */
			struct dbg_insn in = { .pc = world.prog[world.nprog - 1].pc + 4, .reg = -1, .kind = DBG_I_NOP };
			VLOG("    the program ends: the guest executes the next instruction (0x%08X)", in.pc);
			dbg_exec(&world.hw, ++world.cyc, &in, &r);
			world.cyc = r.cycle;
			exited = debug_taken(&r, &spc, &smsr);
		}
		if (!exited) {
			VLOG("    the guest ran to the end of its program: a host interrupt ends the run");
			dbg_set(&world.hw, DBG_REG_MSR, MSR_ME);
			world.guest_pc_next = world.nprog ? world.prog[world.nprog - 1].pc + 4 : 0;
			return 0;          /* ran to the end: a host interrupt ends the run */
		}
		if (guest_debug_exit(spc, smsr)) {
			world.guest_pc_next = spc;
			return 0;
		}
		pc = spc;
	}
	VLOG("    8 guest entries: the run ends");
	return 0;
}

/* ---- QEMU ---- */
static int qemu_find(uint32_t status, uint64_t address, int *type)
{
	if (status & (uint32_t)harness.gate_kvmppc_debug_breakpoint) {
		for (int i = 0; i < world.ngdb; i++)
			if (world.gdbreq[i].type == GDB_BP && world.gdbreq[i].addr == address)
				return (*type = GDB_BP), 1;
		return 0;
	}
	static const int order[3] = { GDB_WATCH_ACCESS, GDB_WATCH_WRITE, GDB_WATCH_READ };
	for (int k = 0; k < 3; k++)
		for (int i = 0; i < world.ngdb; i++)
			if ((int)world.gdbreq[i].type == order[k] && world.gdbreq[i].addr == address)
				return (*type = order[k]), 1;
	return 0;
}

/* gdb single-stepped prog[idx] and the guest stopped elsewhere. When KVM emulated that instruction,
 * no hardware step event came from it: the emulation path must report the step itself. */
static void late_step(const char *kind, int idx, uint32_t want_at)
{
	if (idx >= 0 && idx < world.nprog && world.prog[idx].emulated)
		violation("late-step", "emulation", kind, "emulation_exit", "gdb single-steps the emulated "
			  "instruction at 0x%08X and expects the stop at 0x%08X; the guest stopped at 0x%08X",
			  world.prog[idx].pc, want_at, world.guest_pc_next);
	else
		violation("wrong-step", "stops", kind, "kvmppc_handle_debug", "gdb single-steps the "
			  "instruction at 0x%08X and expects the stop at 0x%08X; the guest stopped at 0x%08X",
			  idx >= 0 && idx < world.nprog ? world.prog[idx].pc : 0, want_at, world.guest_pc_next);
}

/* What gdb must see: the first instruction from the resume point on that hits a request (after
 * QEMU's lookup); *idx is that instruction's index in prog. */
static int expected_stop(int *type, uint64_t *addr, uint32_t *at, int *idx)
{
	/* a session resumes where the last stop left the guest: the stops before it are history */
	int from = find_pc(world.guest_pc_next);
	for (int i = from < 0 ? world.nprog : from; i < world.nprog; i++) {
		*idx = i;
		/* an IAC hit stops before the instruction runs, so before its step completes (that is
		 * why gdb removes the breakpoint at the resume point before it steps) */
		for (int k = 0; k < world.ngdb; k++)
			if (world.gdbreq[k].type == GDB_BP && !world.gdbreq[k].dropped && world.gdbreq[k].addr == world.prog[i].pc) {
				*type = GDB_BP; *addr = world.prog[i].pc; *at = world.prog[i].pc;
				return 1;
			}
		if (sw_at(world.prog[i].pc)) {         /* the instruction never runs: gdb's stops there */
			*type = GDB_BP; *addr = world.prog[i].pc; *at = world.prog[i].pc;
			return 1;
		}
		if (world.singlestep) {
			*type = 0; *addr = world.prog[i].pc + 4; *at = world.prog[i].pc + 4;
			return 1;
		}
		if (world.prog[i].kind == GK_LOAD || world.prog[i].kind == GK_STORE) {
			for (int k = 0; k < world.ngdb; k++) {
				uint32_t t = world.gdbreq[k].dropped ? 0 : world.gdbreq[k].type;
				int rd = t == GDB_WATCH_READ || t == GDB_WATCH_ACCESS;
				int wr = t == GDB_WATCH_WRITE || t == GDB_WATCH_ACCESS;
				if (world.gdbreq[k].addr == world.prog[i].arg && ((world.prog[i].kind == GK_LOAD && rd) ||
								   (world.prog[i].kind == GK_STORE && wr))) {
					uint32_t st = world.prog[i].kind == GK_LOAD ? harness.gate_watch_read : harness.gate_watch_write;
					*addr = world.prog[i].arg;
					*at = world.prog[i].pc;
					return qemu_find(st, *addr, type);
				}
			}
		}
	}
	return 0;
}

static const char *tname(int t)
{
	static const char *const n[] = { "single-step", "breakpoint", "watch", "rwatch", "awatch" };
	return t >= 0 && t <= 4 ? n[t] : "?";
}

/* Which register failed to arm the stop gdb expected, of the comparator pair first, first + 1
 * (AR_ indices) enabled by en1, en2 in DBCR0: -1 if an enabled one holds addr; DBCR0 if one holds
 * it unenabled; else an enabled one on another address; else DBCR0. */
static int arm_comparator(uint32_t en1, uint32_t en2, int first, uint32_t addr, uint32_t mask)
{
	uint32_t d0 = world.arm.val[AR_DBCR0];
	int hit1 = (world.arm.val[first] & mask) == addr, hit2 = (world.arm.val[first + 1] & mask) == addr;
	if (((d0 & en1) && hit1) || ((d0 & en2) && hit2))
		return -1;
	if (hit1 || hit2)
		return AR_DBCR0;
	return (d0 & en1) ? first : (d0 & en2) ? first + 1 : AR_DBCR0;
}

/* The register (AR_ index) that failed to arm gdb's stop of the given type at prog[arm.at],
 * master switches first so that one more broken comparator does not change the answer: DBCR0
 * without IDM; the MSR without DE (MSRP on the e500mc when the guest cleared DE itself: DEP did not
 * keep it); a comparator or its enable (see arm_comparator); DBCR0 if all look right. */
static int arm_culprit(int type)
{
	const struct ginsn *g = &world.prog[world.arm.at < world.nprog ? world.arm.at : 0];
	if (!(world.arm.val[AR_DBCR0] & DBCR0_IDM))
		return AR_DBCR0;
	if (!(world.arm.val[AR_MSR] & MSR_DE))
		return dbg_core_of(&world.hw) == DBG_E500MC && (world.arm.entry_msr & MSR_DE) && !(world.arm.val[AR_MSRP] & MSRP_DEP) ?
			AR_MSRP : AR_MSR;
	int k = AR_DBCR0;      /* a single step needs only DBCR0[ICMP] */
	if (type == GDB_BP)
		k = arm_comparator(DBCR0_IAC1, DBCR0_IAC2, AR_IAC1, g->pc & ~3u, ~3u);
	else if (type != 0 && g->kind == GK_STORE)
		k = arm_comparator(DBCR0_DAC1W, DBCR0_DAC2W, AR_DAC1, g->arg, ~0u);
	else if (type != 0)
		k = arm_comparator(DBCR0_DAC1R, DBCR0_DAC2R, AR_DAC1, g->arg, ~0u);
	return k >= 0 ? k : AR_DBCR0;
}

/* ---- scenario input: the language of gate_scenarios.DIRECTIVES, refused line by line ---- */
static const char *const ctx_key[7] = { "dbcr0", "dbcr1", "dbcr2", "iac1", "iac2", "dac1", "dac2" };
static const char *const gkind[GK_COUNT] = { "nop", "load", "store", "mtmsr", "mtspr", "mfspr",
	"trap" };  /* GK_ */
/* the debug registers a guest program may name, and their ids */
static const char *const gspr_name[8] = { "dbcr0", "dbcr1", "dbcr2", "iac1", "iac2", "dac1", "dac2",
	"dbsr" };
static const enum dbg_reg_id gspr_id[8] = { DBG_REG_DBCR0, DBG_REG_DBCR1, DBG_REG_DBCR2,
	DBG_REG_IAC1, DBG_REG_IAC2, DBG_REG_DAC1, DBG_REG_DAC2, DBG_REG_DBSR };

static int hexdigit(char c)
{
	return c >= '0' && c <= '9' ? c - '0' : c >= 'a' && c <= 'f' ? c - 'a' + 10 :
		c >= 'A' && c <= 'F' ? c - 'A' + 10 : -1;
}

/* A number as gate_scenarios.number reads it: 0x and hex digits, or decimal without a leading 0
 * (no octal surprise); 32 bits. */
static uint32_t arg_num(const char *s, const char *what)
{
	int hex = s[0] == '0' && s[1] == 'x';
	const char *d = hex ? s + 2 : s;
	uint64_t v = 0;
	if (!*s)
		input_error("%s: missing number", what);
	if (!*d || (!hex && d[0] == '0' && d[1]))
		input_error("%s: '%.40s' is not a number (0x hex or decimal)", what, s);
	for (; *d; d++) {
		int x = hexdigit(*d);
		if (x < 0 || (!hex && x > 9))
			input_error("%s: '%.40s' is not a number (0x hex or decimal)", what, s);
		if (v <= 0xFFFFFFFFu)
			v = v * (hex ? 16 : 10) + (unsigned)x;
	}
	if (v > 0xFFFFFFFFu)
		input_error("%s: '%.40s' does not fit in 32 bits", what, s);
	return (uint32_t)v;
}

static void no_junk(char **tok, int n, int at)
{
	if (n > at)
		input_error("%s: unexpected '%.40s' (trailing junk)", tok[0], tok[at]);
}

static void begin(void)
{
	memset(&world, 0, sizeof world);
	world.kpc = KERNEL_PC;
	dbg_init(&world.hw, GATE_HV ? DBG_E500MC : DBG_E500V2);
	dbg_set(&world.hw, DBG_REG_IVPR, 0xC0000000u);
	dbg_set(&world.hw, DBG_REG_IVOR15, 0xF00);
	dbg_set(&world.hw, DBG_REG_IVOR6, 0x600);
	dbg_set(&world.hw, DBG_REG_MSR, MSR_ME);
	/* a core out of reset reports it in DBSR[MRR]: the host's business, never the guest's (whose
	 * reset is virtual) */
	hw_set_dbsr(DBSR_MRR & (2u << DBSR_MRR_SHIFT));
	native_reset(&world.nat, dbg_core_of(&world.hw), 0);
	glue_init();
	struct gate_ctx z;
	memset(&z, 0, sizeof z);
	for (int t = 0; t < GATE_THREADS; t++)
		glue_set_thread_ctx(t, &z);
}

static uint32_t gdb_type(uint32_t kvm_type)
{
	/* the gdb request QEMU packed (types map back one to one); 0: none QEMU sends */
	if (kvm_type == (uint32_t)harness.gate_kvmppc_debug_breakpoint) return GDB_BP;
	if (kvm_type == (uint32_t)harness.gate_watch_write) return GDB_WATCH_WRITE;
	if (kvm_type == (uint32_t)harness.gate_watch_read) return GDB_WATCH_READ;
	if (kvm_type == (uint32_t)(harness.gate_watch_read | harness.gate_watch_write)) return GDB_WATCH_ACCESS;
	return 0;
}

/* A request QEMU never makes but the uapi allows: a gap before a used slot, a slot past the
 * ones QEMU fills, the same request twice, a control bit the uapi does not define. */
static int unusual_request(uint32_t control, const struct gate_bp *bp, int n)
{
	const uint32_t known = GATE_GUESTDBG_ENABLE | GATE_GUESTDBG_SINGLESTEP | GATE_GUESTDBG_USE_SW_BP |
			       GATE_GUESTDBG_USE_HW_BP;
	int odd = (control & ~known) != 0 || n > HW_SLOTS;
	for (int i = 0; i < n && !odd; i++) {
		odd = bp[i].type == 0;
		for (int k = 0; k < i && !odd; k++)
			odd = bp[k].type == bp[i].type && bp[k].addr == bp[i].addr;
	}
	return odd;
}

/* Whether the vCPU's debug registers hold request type t (GDB_*) at addr. */
static int vcpu_holds(uint32_t t, uint64_t addr)
{
	struct gate_ctx c;
	glue_vcpu_ctx(&c);
	if (t == GDB_BP)
		return ((c.dbcr0 & DBCR0_IAC1) && c.iac1 == addr) || ((c.dbcr0 & DBCR0_IAC2) && c.iac2 == addr);
	uint32_t r1 = t == GDB_WATCH_WRITE ? 0 : DBCR0_DAC1R, w1 = t == GDB_WATCH_READ ? 0 : DBCR0_DAC1W;
	uint32_t r2 = t == GDB_WATCH_WRITE ? 0 : DBCR0_DAC2R, w2 = t == GDB_WATCH_READ ? 0 : DBCR0_DAC2W;
	return (c.dac1 == addr && (c.dbcr0 & (r1 | w1)) == (r1 | w1)) ||
	       (c.dac2 == addr && (c.dbcr0 & (r2 | w2)) == (r2 | w2));
}

/* An accepted request must be armed, whichever bp[] slot carries it. Returns which were not:
 * reported here once, their stops are not expected again. */
static unsigned check_armed(const uint32_t *req, const struct gate_bp *bp, int n)
{
	unsigned dropped = 0;
	for (int i = 0; i < n; i++)
		if (req[i] && !vcpu_holds(req[i], bp[i].addr)) {
			if (!dropped)
				violation("slot-dropped", "abi", "robustness",
					  "kvm_arch_vcpu_ioctl_set_guest_debug", "KVM_SET_GUEST_DEBUG returns 0 "
					  "but the %s at 0x%08llX in bp[%d] is in no debug register",
					  tname((int)req[i]), (unsigned long long)bp[i].addr, i);
			dropped |= 1u << i;
		}
	return dropped;
}

static void do_ioctl(uint32_t control, const struct gate_bp *bp, int n)
{
	uint32_t req[MAXBP];
	unsigned char before[512], after[512];
	/* a valid request: known types, at most 2 breakpoints and 2 watchpoints (the hardware's) */
	int valid = 1, nb = 0, nw = 0;
	for (int i = 0; i < n; i++) {
		req[i] = gdb_type(bp[i].type);
		if (req[i] == 0 && bp[i].type != 0)
			valid = 0;
		nb += req[i] == GDB_BP;
		nw += req[i] >= GDB_WATCH_WRITE;
	}
	if (nb > 2 || nw > 2)
		valid = 0;
	if (valid && unusual_request(control, bp, n)) {
		/* valid, and what follows is not QEMU's: findings are robustness; refusing it is fine */
		world.sc.invalid_request = 1;
		VLOG("    (a valid request QEMU never sends: a gap, a slot past %d, a duplicate or an "
		     "unknown control bit)", HW_SLOTS);
	}
	unsigned nbefore = glue_snapshot(before, sizeof before);
	dbg_set(&world.hw, DBG_REG_MSR, MSR_ME);
	world.in_ioctl = 1;
	int rc = glue_set_guest_debug(control, bp, n);
	world.in_ioctl = 0;
	unsigned nafter = glue_snapshot(after, sizeof after);
	VLOG("    KVM_SET_GUEST_DEBUG returns %d%s", rc, valid ? "" : " (a request QEMU never sends)");
	if (!valid) {
		world.sc.invalid_request = 1;     /* what follows comes from an input QEMU never sends */
		/* property 5: invalid requests fail with -EINVAL and leave the state as it was */
		if (rc != -GATE_EINVAL)
			violation("abi-accepted", "abi", "robustness", "kvm_arch_vcpu_ioctl_set_guest_debug",
				  "an invalid request returned %d, not -EINVAL", rc);
		else if (nbefore != nafter || memcmp(before, after, nafter))
			violation("abi-state", "abi", "robustness", "kvm_arch_vcpu_ioctl_set_guest_debug",
				  "a rejected request changed the vCPU debug state");
	} else if (rc != 0 && !world.sc.invalid_request) {
		violation("abi-valid", "abi", "bug", "kvm_arch_vcpu_ioctl_set_guest_debug",
			  "a valid request failed with %d", rc);
	}
	/* a request QEMU shapes is judged by its stops (which name what failed to arm); one in the
	 * uapi's wider domain is checked slot by slot here, and a slot the kernel never read is not
	 * expected to stop */
	unsigned dropped = 0;
	if (rc == 0 && valid && world.sc.invalid_request && (control & GATE_GUESTDBG_ENABLE) && (control & GATE_GUESTDBG_USE_HW_BP))
		dropped = check_armed(req, bp, n);
	if (rc == 0) {
		world.ngdb = (control & GATE_GUESTDBG_USE_HW_BP) ? n : 0;
		for (int i = 0; i < world.ngdb; i++) {
			world.gdbreq[i].type = req[i];
			world.gdbreq[i].addr = bp[i].addr;
			world.gdbreq[i].dropped = (dropped >> i) & 1u;
		}
		world.singlestep = (control & GATE_GUESTDBG_ENABLE) && (control & GATE_GUESTDBG_SINGLESTEP);
		if (!(control & GATE_GUESTDBG_ENABLE))
			world.ngdb = 0;
		/* who owns the guest's debug facility from here on */
		world.owned = world.nat.owned = (control & GATE_GUESTDBG_ENABLE) != 0;
		for (int r = 0; r < DBG_REG_COUNT; r++)
			world.ioctl_since_write[r] = 1;
	}
	if (glue_load_balance() != 0)
		violation("unbalanced", "abi", "bug", "kvm_arch_vcpu_ioctl_set_guest_debug",
			  "vcpu_load/vcpu_put unbalanced (%d) after the ioctl", glue_load_balance());
	check_host(0, "after KVM_SET_GUEST_DEBUG", "kvmppc_booke_vcpu_put");
}

static void vlog_expected(int want, int type, uint64_t addr, uint32_t at)
{
	if (!want)
		vlog("    gdb expects no stop");
	else if (type == 0)
		vlog("    gdb expects a single-step stop at 0x%08X", at);
	else
		vlog("    gdb expects a %s stop, address 0x%08llX, at 0x%08X", tname(type),
		     (unsigned long long)addr, at);
}

static void vlog_arming(int culprit)
{
	static const char *const name[AR_N] = { "DBCR0", "IAC1", "IAC2", "DAC1", "DAC2", "MSR", "MSRP" };
	char b[200];
	int n = 0;
	for (int k = 0; k < AR_N; k++)
		n += snprintf(b + n, sizeof b - (size_t)n, " %s=0x%08X", name[k], world.arm.val[k]);
	char w[300];
	vlog("    the hardware %s:%s; %s failed to arm the stop (%s%s)", world.arm.frozen ?
	     "at the stop instruction" : "at the last guest entry", b, name[culprit],
	     world.arm.loc[culprit].file ? "last kernel write " : "no kernel write",
	     kloc_str(world.arm.loc[culprit], w, sizeof w));
}

/* Which kernel function a wrong read-back of reg points at: the read itself when the vCPU holds
 * what the native core holds; else the ioctl if one came after the guest's last write; else the
 * DBSR save, or the emulated write. */
static const char *read_culprit(int reg, uint32_t native_value)
{
	struct gate_ctx c;
	glue_vcpu_ctx(&c);
	uint32_t held = reg == DBG_REG_DBSR ? glue_vcpu_dbsr() : ctx_value(&c, (enum dbg_reg_id)reg);
	/* DBSR: bits the guest cleared are still held: its write-1-to-clear failed; bits missing:
	 * the read returns the copy KVM saved at its last debug exit, never what the hardware
	 * recorded since (events while the guest's MSR[DE]=0 cause no exit) */
	uint32_t extra = reg == DBG_REG_DBSR ? held & ~native_value : 0;
	if (extra & DBSR_MRR)
		return "kvmppc_subarch_vcpu_init";     /* the reset status is the host's */
	if (extra && !world.guest_wrote_dbsr)
		return "kvmppc_handle_debug";          /* events of userspace's debugging kept */
	if (extra)
		return "kvmppc_booke_emulate_mtspr";
	if (held == native_value || reg == DBG_REG_DBSR)
		return "kvmppc_booke_emulate_mfspr";
	if (world.ioctl_since_write[reg])
		return "kvm_arch_vcpu_ioctl_set_guest_debug";
	return "kvmppc_booke_emulate_mtspr";
}

/* KVM_GET/SET_ONE_REG of a debug register (property abi): a register the core has is read and
 * written (the kernel's api.rst lists these ids), one it lacks is -EINVAL; a set is the VMM
 * restoring the guest's register, so the guest (and the bare core) has the value from then on;
 * while the guest owns the facility a get returns the guest's register. */
static const char *const one_reg_name[] = { GATE_ONE_REGS };
static const enum dbg_reg_id one_reg_id[] = { DBG_REG_IAC1, DBG_REG_IAC2, DBG_REG_IAC3,
	DBG_REG_IAC4, DBG_REG_DAC1, DBG_REG_DAC2, DBG_REG_DBSR };
#define NONE_REG ((int)(sizeof one_reg_name / sizeof one_reg_name[0]))

static void do_one_reg(int set, int which, uint64_t v)
{
	enum dbg_reg_id reg = one_reg_id[which];
	const char *name = one_reg_name[which], *op = set ? "KVM_SET_ONE_REG" : "KVM_GET_ONE_REG";
	const char *fn = set ? "kvmppc_set_one_reg" : "kvmppc_get_one_reg";
	dbg_set(&world.hw, DBG_REG_MSR, MSR_ME);
	world.in_ioctl = 1;
	int rc = glue_one_reg(set, which, &v);
	world.in_ioctl = 0;
	if (rc == GATE_ONE_REG_UNDEFINED) {
		VLOG("    %s %s: the input's uapi has no such id", op, name);
		return;
	}
	VLOG("    %s %s returns %d, value 0x%llX", op, name, rc, (unsigned long long)v);
	int exists = dbg_reg_exists(dbg_core_of(&world.hw), reg);
	if (exists && rc != 0)
		violation("one-reg-missing", "abi", "robustness", fn, "%s %s: the core has the register "
			  "and api.rst lists the id, but the ioctl returns %d", op, name, rc);
	else if (!exists && rc != -GATE_EINVAL)
		violation("one-reg-phantom", "abi", "robustness", fn, "%s %s: the core has no such "
			  "register, but the ioctl returns %d, not -EINVAL", op, name, rc);
	if (rc != 0 || !exists)
		return;
	if (set) {
		dbg_set(&world.nat.u, reg, (uint32_t)v);
		return;
	}
	uint32_t want = dbg_get(&world.nat.u, reg);
	if (!world.owned && (uint32_t)v != want) {
		/* the vCPU holds the right value and the get reads another, or it holds a wrong one */
		const char *culprit = read_culprit(reg, want);
		violation("one-reg-value", "abi", "bug", strcmp(culprit, "kvmppc_booke_emulate_mfspr") ?
			  culprit : fn, "%s %s returns 0x%08X; the guest's register holds 0x%08X", op,
			  name, (uint32_t)v, want);
	}
}

static void d_one_reg(char **tok, int n)
{
	int set = n > 1 && !strcmp(tok[1], "set"), which = 0;
	if (n < 2)
		input_error("one-reg: missing operation (get|set)");
	if (!set && strcmp(tok[1], "get"))
		input_error("one-reg: unknown operation '%.40s' (get|set)", tok[1]);
	if (n < 3)
		input_error("one-reg %s: missing register (iac1 iac2 iac3 iac4 dac1 dac2 dbsr)", tok[1]);
	while (which < NONE_REG && strcmp(tok[2], one_reg_name[which]))
		which++;
	if (which == NONE_REG)
		input_error("one-reg %s: unknown register '%.40s' (iac1 iac2 iac3 iac4 dac1 dac2 dbsr)",
			    tok[1], tok[2]);
	uint64_t v = set ? arg_num(n > 3 ? tok[3] : "", "one-reg set") : 0;
	no_junk(tok, n, set ? 4 : 3);
	do_one_reg(set, which, v);
}

/* Property "virtualization": what the guest observed under KVM equals its native run. Only the
 * first difference is reported: after it the two runs are out of step. */
static void check_equivalence(void)
{
	if (!world.virt_reported && world.de_split.seen && glue_models_guest_debug()) {
		/* observable even when nothing is logged: a guest stuck re-taking an interrupt it
		 * cannot receive, or one that never comes */
		world.virt_reported = 1;
		violation("guest-de", "virtualization", world.sc.no_set_regs || world.sc.invalid_request ?
			  "robustness" : "bug", glue_guest_de_keeper(), "at 0x%08X the guest runs with "
			  "MSR[DE]=%d, the hardware with MSR[DE]=%d: the guest %s", world.de_split.pc,
			  world.de_split.guest_de, !world.de_split.guest_de, world.de_split.guest_de ?
			  "never gets its own debug interrupt" : "gets a debug interrupt it has disabled");
		return;
	}
	int d = world.virt_reported || !glue_models_guest_debug() ? -1 : obs_first_diff(&world.nat.log, &world.vobs);
	if (d < 0)
		return;
	world.virt_reported = 1;
	char want[160], got[160];
	obs_str(&world.nat.log, d, want, sizeof want);
	obs_str(&world.vobs, d, got, sizeof got);
	const struct obs *w = d < world.nat.log.n ? &world.nat.log.o[d] : NULL;
	const struct obs *g = d < world.vobs.n ? &world.vobs.o[d] : NULL;
	const char *code = "guest-irq", *prop = "virtualization", *fn = "kvmppc_handle_debug";
	int before = w ? find_pc(w->pc - 4) : -1;
	if ((!w || w->kind == OBS_READ) && (!g || g->kind == OBS_READ)) {
		int reg = w ? w->reg : g->reg;
		code = "guest-read";
		fn = g ? world.vread_culprit[d] : read_culprit(reg, w->value);
	} else if (w && w->kind == OBS_DEBUG && (w->value & DBSR_ICMP) && before >= 0 &&
		   world.prog[before].emulated && (!g || g->pc != w->pc)) {
		code = "late-step";
		prop = "emulation";
		fn = "emulation_exit";
	} else if (w && g && w->kind == OBS_DEBUG && g->kind == OBS_DEBUG && w->pc == g->pc) {
		code = "guest-dbsr";
		fn = g->value & ~w->value & DBSR_MRR ? "kvmppc_subarch_vcpu_init" : "kvmppc_restart_interrupt";
	} else if (w && w->kind == OBS_DEBUG && !hw_exit_at(w->pc)) {
		/* the hardware never raised it: the guest's registers did not reach the hardware as
		 * the guest meant them */
		fn = "kvmppc_booke_emulate_mtspr";
	}
	VLOG("    the guest's own debugger: natively %s; under KVM %s", want, got);
	violation(code, prop, world.sc.no_set_regs || world.sc.invalid_request ? "robustness" : "bug", fn,
		  "the guest's own debugger sees %s; on the bare core it sees %s", got, want);
}

static void do_run(void)
{
	dbg_set(&world.hw, DBG_REG_MSR, MSR_ME);
	if (!world.guest_pc_next && world.nprog)
		world.guest_pc_next = world.prog[0].pc;
	int want_type = 0, want_idx = -1;
	uint64_t want_addr = 0;
	uint32_t want_at = 0;
	/* the model's answer depends on the program and the request only: known before the run */
	int want = expected_stop(&want_type, &want_addr, &want_at, &want_idx);
	/* a software breakpoint's stop comes through the exit path's program case, not the debug
	 * registers */
	int sw_stop = want && want_type == GDB_BP && sw_at(want_at);
	for (int i = 0; i < world.nprog; i++)
		world.prog[i].emulated = 0;
	memset(&world.arm, 0, sizeof world.arm);
	world.arm.at = want ? want_idx : -1;
	world.arm.step = want_type == 0;
	if (harness.verbose)
		vlog_expected(want, want_type, want_addr, want_at);
	/* QEMU writes the registers back before resuming after a gdb interaction (vcpu_dirty) */
	if (!world.sc.no_set_regs)
		glue_set_regs();
	VLOG("    %s, KVM_RUN", world.sc.no_set_regs ? "no KVM_SET_REGS" : "KVM_SET_REGS");
	world.run_host_bad = world.run_ended_by_debug = 0;
	int rc = glue_run();
	uint32_t reason, status;
	uint64_t address;
	glue_exit_info(&reason, &status, &address);
	const char *robust = world.sc.no_set_regs || world.sc.invalid_request ? "robustness" : "bug";
	if (reason != GATE_EXIT_DEBUG) {
		VLOG("    KVM_RUN returns %d, exit reason %u: no KVM_EXIT_DEBUG", rc, reason);
		if (want && world.run_ended_by_debug) {
			violation("exit-reason", "stops", robust, "kvmppc_handle_exit", "gdb expects a %s "
				  "stop at 0x%08X; the debug exit returns to userspace with exit reason %u, "
				  "not KVM_EXIT_DEBUG: QEMU never sees the stop", tname(want_type), want_at,
				  reason);
		} else if (want) {
			struct violation *v = violation("lost-stop", "stops", robust, sw_stop ?
				"kvmppc_handle_exit" : "kvm_arch_vcpu_ioctl_set_guest_debug", "gdb expects a %s stop at 0x%08X; the "
				"guest ran on without a debug exit", tname(want_type), want_at);
			int k = arm_culprit(want_type);
			if (v)
				v->kw = world.arm.loc[k];
			if (harness.verbose)
				vlog_arming(k);
		}
	} else {
		int got_type = 0;
		/* QEMU: a step while stepping; a hardware status; else its own software breakpoints */
		int found = world.singlestep ? 1 : status ? qemu_find(status, address, &got_type) :
			sw_at((uint32_t)address) ? (got_type = GDB_BP, 1) : 0;
		VLOG("    KVM_RUN returns %d, KVM_EXIT_DEBUG status 0x%X address 0x%08llX: QEMU %s%s", rc,
		     status, (unsigned long long)address, found ? "reports a " : "finds no request",
		     found ? tname(got_type) : "");
		if (!found && !world.singlestep && !status)
			violation("status0", "stops", robust, "kvmppc_handle_debug", "KVM_EXIT_DEBUG with status 0 "
				  "at 0x%08llX: QEMU finds no breakpoint and injects a program interrupt into the "
				  "guest", (unsigned long long)address);
		else if (!found)
			violation("dropped", "stops", robust, "kvmppc_handle_debug", "KVM_EXIT_DEBUG status 0x%X "
				  "address 0x%08llX matches no gdb request: QEMU drops it", status,
				  (unsigned long long)address);
		else if (!want)
			violation("spurious", "stops", robust, "kvmppc_handle_debug", "a %s stop at 0x%08llX that "
				  "gdb did not ask for", tname(got_type), (unsigned long long)address);
		else if (world.singlestep && world.guest_pc_next != want_at)
			late_step(robust, want_idx, want_at);
		else if (!world.singlestep && (got_type != want_type || address != want_addr ||
					 world.guest_pc_next != want_at))
			violation("wrong-report", "stops", robust, sw_stop ? "kvmppc_handle_exit" :
				  "kvmppc_handle_debug", "gdb expects %s 0x%08llX "
				  "at 0x%08X, gets %s 0x%08llX at 0x%08X", tname(want_type),
				  (unsigned long long)want_addr, want_at, tname(got_type),
				  (unsigned long long)address, world.guest_pc_next);
	}
	if (glue_load_balance() != 0)
		violation("unbalanced", "abi", "bug", "kvmppc_vcpu_run", "vcpu_load/vcpu_put unbalanced (%d) "
			  "after KVM_RUN", glue_load_balance());
	/* what went wrong only after kvmppc_vcpu_run returned is vcpu_put's doing */
	if (!world.run_host_bad)
		check_host(0, "after KVM_RUN", "kvmppc_booke_vcpu_put");
	check_equivalence();
}

/* ---- directives: each checks all its operands before it does anything ---- */
static void d_context(char **tok, int n)
{
	uint32_t v[7] = { 0 };
	unsigned seen = 0;
	for (int i = 1; i < n; i++) {
		char *eq = strchr(tok[i], '='), what[24];
		int k = 0;
		if (!eq)
			input_error("%s: '%.40s' is not KEY=VALUE", tok[0], tok[i]);
		*eq = 0;
		while (k < 7 && strcmp(tok[i], ctx_key[k]))
			k++;
		if (k == 7)
			input_error("%s: unknown key '%.40s' (keys: dbcr0 dbcr1 dbcr2 iac1 iac2 dac1 dac2)",
				    tok[0], tok[i]);
		if (seen & 1u << k)
			input_error("%s: '%s' given twice", tok[0], ctx_key[k]);
		seen |= 1u << k;
		snprintf(what, sizeof what, "%s %s", tok[0], ctx_key[k]);
		v[k] = arg_num(eq + 1, what);
	}
	int host = !strcmp(tok[0], "host");
	if (!host && world.sc.nothers == GATE_THREADS - 1)
		input_error("other: at most %d other threads in a scenario", GATE_THREADS - 1);
	int t = host ? 0 : 1 + world.sc.nothers++;
	struct gate_ctx *c = thread_ctx(t);
	*c = (struct gate_ctx){ v[0], v[1], v[2], v[3], v[4], v[5], v[6] };
	glue_set_thread_ctx(t, c);
	if (host) {
		/* the scheduler switched this thread in: its context is live */
		glue_switch_to(0);
		dbg_set(&world.hw, DBG_REG_MSR, MSR_ME);
	}
}

static void d_guest_msr(char **tok, int n)
{
	world.sc.guest_msr = arg_num(n > 1 ? tok[1] : "", tok[0]);
	no_junk(tok, n, 2);
	glue_guest_set_msr(world.sc.guest_msr);
	native_set_msr(&world.nat, world.sc.guest_msr);
}

static void d_poke_dbcr4(char **tok, int n)
{
	world.sc.poke_dbcr4 = arg_num(n > 1 ? tok[1] : "", tok[0]);
	no_junk(tok, n, 2);
	world.sc.has_poke = 1;
	glue_poke_vcpu_dbcr4(world.sc.poke_dbcr4);
}

static void d_no_set_regs(char **tok, int n)
{
	no_junk(tok, n, 1);
	world.sc.no_set_regs = 1;    /* a userspace that is not QEMU: robustness only */
}

/* where the vCPU thread can be preempted (gate_scenarios.PREEMPT_POINTS) */
static const char *const preempt_point[] = { "entry", "exit", "resume", "post-run", "after-run",
	"ioctl" };
#define PREEMPT_LIST "entry|exit|resume|post-run|after-run|ioctl"

static void d_preempt(char **tok, int n)
{
	if (n < 2)
		input_error("preempt: missing point (" PREEMPT_LIST ")");
	unsigned k = 0;
	while (k < sizeof preempt_point / sizeof preempt_point[0] && strcmp(tok[1], preempt_point[k]))
		k++;
	if (k == sizeof preempt_point / sizeof preempt_point[0])
		input_error("preempt: unknown point '%.40s' (" PREEMPT_LIST ")", tok[1]);
	no_junk(tok, n, 2);
	snprintf(world.sc.preempt, sizeof world.sc.preempt, "%s", tok[1]);
	world.preempt_done = 0;      /* each preempt directive arms one preemption, of the next ioctl or run */
}

/* QEMU inserting gdb's software breakpoints (before its ioctl): it needs the instruction KVM names */
static void set_sw_breakpoints(const uint32_t *addr, int n)
{
	if (n && !world.sw_inst) {
		int rc = glue_debug_inst(&world.sw_inst);
		VLOG("    KVM_GET_ONE_REG(KVM_REG_PPC_DEBUG_INST) returns %d, 0x%08X", rc, world.sw_inst);
		if (rc) {
			world.sw_inst = 0;
			violation("debug-inst", "abi", "bug", "kvmppc_get_one_reg", "KVM_GET_ONE_REG of "
				  "KVM_REG_PPC_DEBUG_INST returns %d: QEMU cannot insert software breakpoints",
				  rc);
			n = 0;
		}
	}
	memcpy(world.swbp, addr, sizeof world.swbp[0] * (unsigned)n);
	world.nsw = n;
}

static void d_ioctl(char **tok, int n)
{
	struct gate_bp bp[MAXBP];
	uint32_t control = 0, sw_new[MAXBP];
	int has_control = 0, nbp = 0, nsw_new = 0, used[MAXBP] = { 0 };
	memset(bp, 0, sizeof bp);
	for (int i = 1; i < n; i++) {
		char *t = tok[i], *at;
		if (!strncmp(t, "control=", 8)) {
			if (has_control)
				input_error("ioctl: 'control' given twice");
			has_control = 1;
			control = arg_num(t + 8, "ioctl control");
		} else if (!strncmp(t, "sw=", 3)) {
			if (nsw_new == MAXBP)
				input_error("ioctl: '%.40s': more than %d sw= breakpoints", t, MAXBP);
			sw_new[nsw_new++] = arg_num(t + 3, "ioctl sw address");
		} else if (!strncmp(t, "bp", 2) && (at = strchr(t, '='))) {
			/* bp= takes the lowest free slot (QEMU packs densely); bpN= is slot N */
			int slot = 0;
			if (at == t + 2) {
				while (slot < MAXBP && used[slot])
					slot++;
			} else {
				char *end;
				long v = strtol(t + 2, &end, 10);
				if (end != at || v < 0 || v >= MAXBP)
					input_error("ioctl: '%.40s': the slot is 0 to %d (bpN=TYPE@ADDR)", t, MAXBP - 1);
				slot = (int)v;
				if (used[slot])
					input_error("ioctl: '%.40s': slot %d given twice", t, slot);
			}
			if (slot == MAXBP)
				input_error("ioctl: '%.40s': more than %d bp slots", t, MAXBP);
			char *eq = at;
			if (!(at = strchr(eq, '@')))
				input_error("ioctl: '%.40s' is not bp=TYPE@ADDR", t);
			*at = 0;
			used[slot] = 1;
			bp[slot].type = arg_num(eq + 1, "ioctl bp type");
			bp[slot].addr = arg_num(at + 1, "ioctl bp address");
			if (slot + 1 > nbp)
				nbp = slot + 1;
		} else {
			input_error("ioctl: unknown token '%.40s' (control=N, bp=TYPE@ADDR, bpN=TYPE@ADDR, "
				    "sw=ADDR)", t);
		}
	}
	if (!has_control)
		input_error("ioctl: missing control=N");
	set_sw_breakpoints(sw_new, nsw_new);
	do_ioctl(control, bp, nbp);
}

static void d_guest(char **tok, int n)
{
	char what[16];
	int k = 0;
	uint32_t arg = 0;
	if (world.nprog == MAXG)
		input_error("g: more than %d guest instructions in one scenario", MAXG);
	uint32_t pc = arg_num(n > 1 ? tok[1] : "", "g PC");
	if (n < 3)
		input_error("g: missing instruction (nop|load|store|mtmsr|mtspr|mfspr|trap)");
	while (k < GK_COUNT && strcmp(tok[2], gkind[k]))
		k++;
	if (k == GK_COUNT)
		input_error("g: unknown instruction '%.40s' (nop|load|store|mtmsr|mtspr|mfspr|trap)", tok[2]);
	int at = 3, reg = -1;
	if (k == GK_MTSPR || k == GK_MFSPR) {
		int r = 0;
		if (n < 4)
			input_error("g %s: missing register (dbcr0 dbcr1 dbcr2 iac1 iac2 dac1 dac2 dbsr)", gkind[k]);
		while (r < 8 && strcmp(tok[3], gspr_name[r]))
			r++;
		if (r == 8)
			input_error("g %s: unknown register '%.40s' (dbcr0 dbcr1 dbcr2 iac1 iac2 dac1 dac2 dbsr)",
				    gkind[k], tok[3]);
		reg = (int)gspr_id[r];
		at = 4;
	}
	if (k != GK_NOP && k != GK_MFSPR && k != GK_TRAP) {
		snprintf(what, sizeof what, "g %s", gkind[k]);
		arg = arg_num(n > at ? tok[at] : "", what);
		at++;
	}
	no_junk(tok, n, at);
	world.prog[world.nprog++] = (struct ginsn){ .pc = pc, .kind = (uint32_t)k, .arg = arg, .reg = reg };
}

static void d_run(char **tok, int n)
{
	no_junk(tok, n, 1);
	do_run();
}


static void print_result(void)
{
	char kl[300];
	printf("{\"scenario\": %d, \"profile\": ", harness.scenario_idx++);
	json_str(glue_profile());
	printf(", \"violations\": [");
	for (int i = 0; i < world.nviol; i++) {
		const struct violation *v = &world.viol[i];
		const char *const f[5][2] = { { "code", v->code }, { "property", v->property },
			{ "kind", v->kind }, { "function", v->function }, { "detail", v->detail } };
		for (int k = 0; k < 5; k++) {
			printf("%s\"%s\": ", k ? ", " : i ? ", {" : "{", f[k][0]);
			json_str(f[k][1]);
		}
		printf(", \"stmt\": %d, \"stmt_text\": ", v->stmt);
		json_str(v->stmt_text);
		printf(", \"kline\": ");
		json_str(kloc_str(v->kw, kl, sizeof kl));
		printf(", \"trace\": [");
		for (unsigned t = 0; t < v->ntrace; t++)
			printf("%s\"0x%lx\"", t ? ", " : "", (unsigned long)v->trace[t]);
		printf("]}");
		VLOG("    VIOLATION %s (%s) at line %d, %s %s: %s", v->code, v->kind, v->stmt,
		     kl[0] ? "kernel line" : "in", kl[0] ? kl : v->function, v->detail);
	}
	printf("]}\n");
	fflush(stdout);
	harness.scenario_open = 0;
	begin();
}

static void d_end(char **tok, int n)
{
	no_junk(tok, n, 1);
	VLOG("    %d violation%s", world.nviol, world.nviol == 1 ? "" : "s");
	print_result();
	harness.lineno = 0;      /* the next scenario counts its lines from 1 */
}

static const struct directive {
	const char *name;
	void (*run)(char **tok, int n);
} directives[] = {
	{ "host", d_context }, { "other", d_context }, { "guest-msr", d_guest_msr }, { "ioctl", d_ioctl },
	{ "preempt", d_preempt }, { "g", d_guest }, { "run", d_run }, { "no-set-regs", d_no_set_regs },
	{ "one-reg", d_one_reg },
	{ "poke-dbcr4", d_poke_dbcr4 }, { "end", d_end },
};

/* One directive line (trimmed, not a comment): it becomes the current statement, then runs. */
static void statement(char *text)
{
	char *tok[MAXTOK], *save = NULL;
	int n = 0;
	size_t len = strlen(text);
	if (len >= sizeof harness.stmt_text)
		len = sizeof harness.stmt_text - 1;
	memcpy(harness.stmt_text, text, len);
	harness.stmt_text[len] = 0;
	harness.stmt_no = harness.lineno;
	gate_trace_reset();
	VLOG("[%d] %s", harness.lineno, harness.stmt_text);
	for (char *t = strtok_r(text, " \t", &save); t; t = strtok_r(NULL, " \t", &save)) {
		if (n == MAXTOK)
			input_error("%s: too many operands", tok[0]);
		tok[n++] = t;
	}
	for (unsigned i = 0; i < sizeof directives / sizeof directives[0]; i++) {
		if (!strcmp(tok[0], directives[i].name)) {
			harness.scenario_open = directives[i].run != d_end;
			directives[i].run(tok, n);
			return;
		}
	}
	if (!strcmp(tok[0], "input") || !strcmp(tok[0], "config"))
		input_error("'%s' is a header of a saved .scn file, not a directive (bookedbg replay runs "
			    "those)", tok[0]);
	input_error("unknown directive '%.40s' (host, other, guest-msr, ioctl, preempt, g, run, "
		    "no-set-regs, poke-dbcr4, one-reg, end)", tok[0]);
}

#include "gate_prove.c"

/* Reads scenarios line by line; each line is trimmed of its newline (and a CR before it) and of
 * blanks at both ends, as gate_scenarios.check reads it. */
static void read_scenarios(void)
{
	char *line = NULL;
	size_t cap = 0;
	ssize_t len;
	while ((len = getline(&line, &cap, stdin)) >= 0) {
		harness.lineno++;
		if (memchr(line, 0, (size_t)len))
			input_error("NUL byte: a binary file, not a scenario");
		if (len && line[len - 1] == '\n')
			line[--len] = 0;
		if (len && line[len - 1] == '\r')
			line[--len] = 0;
		while (len && (line[len - 1] == ' ' || line[len - 1] == '\t'))
			line[--len] = 0;
		char *p = line + strspn(line, " \t");
		if (*p && *p != '#')
			statement(p);
	}
	free(line);
	/* the last scenario may omit its end */
	if (harness.scenario_open)
		print_result();
}

int main(int argc, char **argv)
{
	harness.gate_kvmppc_debug_breakpoint = GATE_DEBUG_BREAKPOINT;
	harness.gate_watch_write = GATE_DEBUG_WATCH_WRITE;
	harness.gate_watch_read = GATE_DEBUG_WATCH_READ;
	if (argc > 2 || (argc == 2 && strcmp(argv[1], "prove") && strcmp(argv[1], "verbose"))) {
		fprintf(stderr, "usage: %s [prove|verbose] < scenarios\n", argv[0]);
		return 2;
	}
	begin();
	if (argc > 1 && !strcmp(argv[1], "prove"))
		return prove();
	harness.verbose = argc > 1;
	read_scenarios();
	return 0;
}
