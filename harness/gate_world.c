/* The world around the kernel code under test: the e500 hardware (one model instance), the guest
 * (a scripted instruction stream run on the model in guest state), QEMU (packs gdb's requests into
 * bp[] and decodes KVM_EXIT_DEBUG), the host threads, preemption, and the oracle.
 *
 * Input on stdin: scenarios (see harness/README.md), each ending with "end". Output on stdout: one
 * JSON line per scenario with its verdict and violations. */
#define _POSIX_C_SOURCE 200809L
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "dbg_unit.h"
#include "gate_glue.h"

#define MAXG 64
#define MAXBP 8
#define MAXV 16
#define KERNEL_PC 0xC0001000u
#define USER_PROBE_PC 0x00010000u

enum { GK_NOP, GK_LOAD, GK_STORE, GK_MTMSR };
struct ginsn { uint32_t pc, kind, arg; };

/* gdb's request types as QEMU keeps them (target/ppc/kvm.c) */
enum { GDB_BP = 1, GDB_WATCH_WRITE, GDB_WATCH_READ, GDB_WATCH_ACCESS };

struct scenario {
	int hv;
	struct gate_ctx host, other;
	uint32_t guest_msr, poke_dbcr4;
	int has_poke, no_set_regs, invalid_request;
	char preempt[16];
};

static struct dbg_unit hw;
static struct scenario sc;
static struct ginsn prog[MAXG];
static int nprog;
static uint32_t kpc = KERNEL_PC;
static uint64_t cyc;
static int preempt_done;
static char viol[MAXV][320];
static int nviol;
static int gate_kvmppc_debug_breakpoint, gate_watch_write, gate_watch_read;

/* the current gdb request, as QEMU packed it */
static struct { uint32_t type; uint64_t addr; } gdbreq[MAXBP];
static int ngdb, singlestep;

void gate_bug(const char *what, const char *file, int line)
{
	printf("{\"crash\": \"BUG_ON(%s) at %s:%d\"}\n", what, file, line);
	fflush(stdout);
	exit(3);
}

static void violation(const char *code, const char *property, const char *kind, const char *function,
		      const char *fmt, ...)
{
	if (nviol >= MAXV)
		return;
	char d[220];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(d, sizeof d, fmt, ap);
	va_end(ap);
	snprintf(viol[nviol++], sizeof viol[0],
		 "{\"code\": \"%s\", \"property\": \"%s\", \"kind\": \"%s\", \"function\": \"%s\", "
		 "\"detail\": \"%s\"}", code, property, kind, function, d);
}

/* ---- hardware access from kernel code: real instructions on the model, in host state ---- */
static void kexec(struct dbg_insn *in)
{
	struct dbg_result r;
	in->pc = kpc;
	kpc += 4;
	dbg_exec(&hw, ++cyc, in, &r);
	cyc = r.cycle;
}

uint32_t hw_mfspr(int sprn)
{
	int r = dbg_reg_by_spr(sprn);
	if (r < 0 || !dbg_reg_exists(hw.core, (enum dbg_reg_id)r) || r == DBG_REG_DBSRWR)
		return 0;
	return dbg_get(&hw, (enum dbg_reg_id)r);
}

void hw_mtspr(int sprn, uint32_t v)
{
	struct dbg_insn in = { .kind = DBG_I_MTSPR, .reg = dbg_reg_by_spr(sprn), .value = v };
	kexec(&in);
}

uint32_t hw_mfmsr(void) { return dbg_get(&hw, DBG_REG_MSR); }

void hw_set_dbsr(uint32_t v) { dbg_set(&hw, DBG_REG_DBSR, v); }

void hw_mtmsr(uint32_t v)
{
	struct dbg_insn in = { .kind = DBG_I_MTMSR, .reg = -1, .value = v };
	kexec(&in);
}

static void csi(void)
{
	struct dbg_insn in = { .kind = DBG_I_ISYNC, .reg = -1 };
	kexec(&in);
}

/* ---- host threads: probe what the hardware does for a thread's user code ---- */
static void load_ctx(struct dbg_unit *u, const struct gate_ctx *c)
{
	dbg_set(u, DBG_REG_DBCR0, c->dbcr0);
	dbg_set(u, DBG_REG_DBCR1, c->dbcr1);
	dbg_set(u, DBG_REG_DBCR2, c->dbcr2);
	dbg_set(u, DBG_REG_IAC1, c->iac1);
	dbg_set(u, DBG_REG_IAC2, c->iac2);
	dbg_set(u, DBG_REG_DAC1, c->dac1);
	dbg_set(u, DBG_REG_DAC2, c->dac2);
}

/* Events a run of user code at the interesting addresses raises on unit u. */
static uint32_t probe_events(struct dbg_unit *u, uint32_t msr, int *ints, const struct gate_ctx *own)
{
	uint32_t addrs[MAXBP * 2 + MAXG + 8];
	int n = 0;
	const uint32_t mine[4] = { own->iac1, own->iac2, own->dac1, own->dac2 };
	for (int i = 0; i < 4; i++) {
		addrs[n++] = mine[i];
		addrs[n++] = mine[i] + 8;      /* a neighbour: catches a widened (DBCR4 XM) compare */
	}
	for (int i = 0; i < ngdb; i++) {
		addrs[n++] = (uint32_t)gdbreq[i].addr;
		addrs[n++] = (uint32_t)gdbreq[i].addr + 8;
	}
	for (int i = 0; i < nprog; i++)
		if (prog[i].kind == GK_LOAD || prog[i].kind == GK_STORE)
			addrs[n++] = prog[i].arg;
	uint32_t ev = 0;
	struct dbg_result r;
	uint64_t cy = u->cycle + 1;
	dbg_set(u, DBG_REG_MSR, msr);
	dbg_set(u, DBG_REG_DBSR, 0);
	*ints = 0;
	for (int i = 0; i < n; i++) {
		struct dbg_insn a = { .kind = DBG_I_NOP, .pc = addrs[i] & ~3u, .reg = -1 };
		struct dbg_insn l = { .kind = DBG_I_LOAD, .pc = USER_PROBE_PC, .ea = addrs[i], .size = 4, .reg = -1 };
		struct dbg_insn s = { .kind = DBG_I_STORE, .pc = USER_PROBE_PC + 4, .ea = addrs[i], .size = 4, .reg = -1 };
		struct dbg_insn *all[3] = { &a, &l, &s };
		for (int k = 0; k < 3; k++) {
			dbg_exec(u, cy++, all[k], &r);
			ev |= r.events;
			for (unsigned j = 0; j < r.nirq; j++)
				*ints += r.irq[j].kind == DBG_IRQ_DEBUG;
			dbg_set(u, DBG_REG_DBSR, 0);
			dbg_set(u, DBG_REG_MSR, msr);
		}
	}
	return ev;
}

/* Property 2: the hardware must do for thread t's user code exactly what t's own debug context
 * asks, no more (no guest or foreign events) and no less (its own events still fire). */
/* Returns 1 if thread t's own events came out wrong; fn is the kernel function that promised them
 * at this point. */
static int check_host(int t, const char *when, const char *fn)
{
	struct gate_ctx c;
	glue_get_thread_ctx(t, &c);
	uint32_t msr = MSR_PR | MSR_EE | MSR_ME | ((c.dbcr0 & DBCR0_IDM) ? MSR_DE : 0);
	struct dbg_unit saved = hw, clean;
	/* the return to user mode is context synchronizing */
	csi();
	int ih, ic;
	uint32_t got = probe_events(&hw, msr, &ih, &c);
	hw = saved;
	dbg_init(&clean, hw.core);
	load_ctx(&clean, &c);
	uint32_t want = probe_events(&clean, msr, &ic, &c);
	int bad = got != want || (ih > 0) != (ic > 0);
	if (bad) {
		char a[96], b[96];
		violation("host-events", "host-state", "bug", fn, "%s: host thread %d user code raises %s (%d interrupts), its own context "
			  "asks for %s (%d)", when, t, dbg_events_str(got, a, sizeof a), ih,
			  dbg_events_str(want, b, sizeof b), ic);
	}
	if (hw.core == DBG_E500MC && dbg_get(&hw, DBG_REG_DBCR4))
		violation("dbcr4-left", "host-state", sc.has_poke ? "robustness" : "bug", "kvmppc_booke_vcpu_load_debug_regs",
			  "%s: DBCR4=0x%08X left for the host", when, dbg_get(&hw, DBG_REG_DBCR4));
	return bad;
}

static int run_host_bad;    /* the host context was already wrong when kvmppc_vcpu_run returned */

void world_preempt_point(const char *where)
{
	/* kvmppc_vcpu_run has switched back to the thread's own debug context here */
	if (!strcmp(where, "after-run"))
		run_host_bad = check_host(0, "after kvmppc_vcpu_run", "kvmppc_vcpu_run");
	if (preempt_done || strcmp(where, sc.preempt))
		return;
	preempt_done = 1;
	/* kvm_sched_out -> vcpu_put; __switch_to(other); the other thread runs; and back */
	glue_sched_out();
	glue_switch_to(1);
	check_host(1, "preempted", "kvmppc_vcpu_run");
	glue_switch_to(0);
	glue_sched_in();
	dbg_set(&hw, DBG_REG_MSR, MSR_ME);
}

/* ---- the guest ---- */
static int find_pc(uint32_t pc)
{
	for (int i = 0; i < nprog; i++)
		if (prog[i].pc == pc)
			return i;
	return -1;
}

static uint32_t guest_pc_next;

/* Enter the guest at pc with an rfi from the host, as the KVM entry code does. */
static void enter_guest(uint32_t pc)
{
	dbg_set(&hw, DBG_REG_SRR0, pc);
	dbg_set(&hw, DBG_REG_SRR1, glue_guest_hw_msr());
	struct dbg_insn in = { .kind = DBG_I_RFI, .reg = -1 };
	kexec(&in);
}

static int debug_taken(const struct dbg_result *r, uint32_t *pc, uint32_t *msr)
{
	for (unsigned j = 0; j < r->nirq; j++) {
		if (r->irq[j].kind == DBG_IRQ_DEBUG) {
			*pc = r->irq[j].saved_pc;
			*msr = r->irq[j].saved_msr;
			return 1;
		}
	}
	return 0;
}

int world_guest_run(void)
{
	uint32_t pc = guest_pc_next;
	for (int entries = 0; entries < 8; entries++) {
		struct dbg_result r;
		uint32_t spc, smsr;
		enter_guest(pc);
		/* the entry rfi itself may deliver a pending (delayed) event at the guest PC */
		int i = find_pc(pc);
		int exited = 0;
		struct dbg_result er;
		memset(&er, 0, sizeof er);
		if (hw.pc != pc) {
			/* took an interrupt at the entry boundary */
			spc = dbg_get(&hw, hw.core == DBG_E500MC ? DBG_REG_DSRR0 : DBG_REG_CSRR0);
			smsr = dbg_get(&hw, hw.core == DBG_E500MC ? DBG_REG_DSRR1 : DBG_REG_CSRR1);
			exited = 1;
		}
		while (!exited && i >= 0 && i < nprog) {
			struct dbg_insn in = { .pc = prog[i].pc, .reg = -1, .size = 4 };
			switch (prog[i].kind) {
			case GK_LOAD: in.kind = DBG_I_LOAD; in.ea = prog[i].arg; break;
			case GK_STORE: in.kind = DBG_I_STORE; in.ea = prog[i].arg; break;
			case GK_MTMSR: in.kind = DBG_I_MTMSR; in.value = prog[i].arg; break;
			default: in.kind = DBG_I_NOP; break;
			}
			dbg_exec(&hw, ++cyc, &in, &r);
			cyc = r.cycle;
			if (debug_taken(&r, &spc, &smsr)) {
				exited = 1;
				break;
			}
			if (r.nirq && r.irq[0].kind == DBG_IRQ_PROGRAM && prog[i].kind == GK_MTMSR) {
				/* PR: the privileged mtmsr traps and KVM emulates it */
				dbg_set(&hw, DBG_REG_MSR, MSR_ME);
				glue_guest_set_msr(prog[i].arg);
				enter_guest(prog[i].pc + 4);
				if (hw.pc != prog[i].pc + 4) {
					spc = dbg_get(&hw, hw.core == DBG_E500MC ? DBG_REG_DSRR0 : DBG_REG_CSRR0);
					smsr = dbg_get(&hw, hw.core == DBG_E500MC ? DBG_REG_DSRR1 : DBG_REG_CSRR1);
					exited = 1;
					break;
				}
			}
			i++;
		}
		if (!exited) {
			dbg_set(&hw, DBG_REG_MSR, MSR_ME);
			return 0;          /* ran to the end: a host interrupt ends the run */
		}
		int rr = glue_exit_debug(spc, smsr);
		dbg_set(&hw, DBG_REG_MSR, MSR_ME);
		if (rr == glue_resume_host()) {
			guest_pc_next = spc;
			return 0;
		}
		pc = spc;
	}
	return 0;
}

/* ---- QEMU ---- */
static int qemu_find(uint32_t status, uint64_t address, int *type)
{
	if (status & (uint32_t)gate_kvmppc_debug_breakpoint) {
		for (int i = 0; i < ngdb; i++)
			if (gdbreq[i].type == GDB_BP && gdbreq[i].addr == address)
				return (*type = GDB_BP), 1;
		return 0;
	}
	static const int order[3] = { GDB_WATCH_ACCESS, GDB_WATCH_WRITE, GDB_WATCH_READ };
	for (int k = 0; k < 3; k++)
		for (int i = 0; i < ngdb; i++)
			if ((int)gdbreq[i].type == order[k] && gdbreq[i].addr == address)
				return (*type = order[k]), 1;
	return 0;
}

/* What gdb must see: the first instruction that hits a request (after QEMU's lookup). */
static int expected_stop(int *type, uint64_t *addr, uint32_t *at)
{
	for (int i = 0; i < nprog; i++) {
		if (singlestep) {
			*type = 0; *addr = prog[i].pc + 4; *at = prog[i].pc + 4;
			return 1;
		}
		for (int k = 0; k < ngdb; k++)
			if (gdbreq[k].type == GDB_BP && gdbreq[k].addr == prog[i].pc) {
				*type = GDB_BP; *addr = prog[i].pc; *at = prog[i].pc;
				return 1;
			}
		if (prog[i].kind == GK_LOAD || prog[i].kind == GK_STORE) {
			for (int k = 0; k < ngdb; k++) {
				uint32_t t = gdbreq[k].type;
				int rd = t == GDB_WATCH_READ || t == GDB_WATCH_ACCESS;
				int wr = t == GDB_WATCH_WRITE || t == GDB_WATCH_ACCESS;
				if (gdbreq[k].addr == prog[i].arg && ((prog[i].kind == GK_LOAD && rd) ||
								   (prog[i].kind == GK_STORE && wr))) {
					uint32_t st = prog[i].kind == GK_LOAD ? gate_watch_read : gate_watch_write;
					*addr = prog[i].arg;
					*at = prog[i].pc;
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

/* ---- scenario input ---- */
static uint32_t num(const char *s) { return (uint32_t)strtoul(s, NULL, 0); }

static void parse_ctx(char *args, struct gate_ctx *c)
{
	memset(c, 0, sizeof *c);
	for (char *t = strtok(args, " \t\n"); t; t = strtok(NULL, " \t\n")) {
		char *e = strchr(t, '=');
		if (!e)
			continue;
		*e++ = 0;
		uint32_t v = num(e);
		if (!strcmp(t, "dbcr0")) c->dbcr0 = v;
		else if (!strcmp(t, "dbcr1")) c->dbcr1 = v;
		else if (!strcmp(t, "dbcr2")) c->dbcr2 = v;
		else if (!strcmp(t, "iac1")) c->iac1 = v;
		else if (!strcmp(t, "iac2")) c->iac2 = v;
		else if (!strcmp(t, "dac1")) c->dac1 = v;
		else if (!strcmp(t, "dac2")) c->dac2 = v;
	}
}

static void begin(void)
{
	memset(&sc, 0, sizeof sc);
	nprog = ngdb = singlestep = nviol = 0;
	preempt_done = 0;
	guest_pc_next = 0;
	dbg_init(&hw, GATE_HV ? DBG_E500MC : DBG_E500V2);
	cyc = 0;
	dbg_set(&hw, DBG_REG_IVPR, 0xC0000000u);
	dbg_set(&hw, DBG_REG_IVOR15, 0xF00);
	dbg_set(&hw, DBG_REG_IVOR6, 0x600);
	dbg_set(&hw, DBG_REG_MSR, MSR_ME);
	glue_init();
	struct gate_ctx z;
	memset(&z, 0, sizeof z);
	glue_set_thread_ctx(0, &z);
	glue_set_thread_ctx(1, &z);
}

static void do_ioctl(char *args)
{
	uint32_t control = 0;
	struct gate_bp bp[16];
	int n = 0, req_n = 0;
	struct { uint32_t type; uint64_t addr; } req[MAXBP];
	unsigned char before[512], after[512];
	for (char *t = strtok(args, " \t\n"); t; t = strtok(NULL, " \t\n")) {
		if (!strncmp(t, "control=", 8))
			control = num(t + 8);
		else if (!strncmp(t, "bp=", 3) && n < 16) {
			char *at = strchr(t, '@');
			bp[n].type = num(t + 3);
			bp[n].addr = at ? num(at + 1) : 0;
			/* remember the gdb request QEMU packed (types map back one to one) */
			if (req_n < MAXBP) {
				uint32_t ty = bp[n].type, g = 0;
				if (ty == (uint32_t)gate_kvmppc_debug_breakpoint) g = GDB_BP;
				else if (ty == (uint32_t)gate_watch_write) g = GDB_WATCH_WRITE;
				else if (ty == (uint32_t)gate_watch_read) g = GDB_WATCH_READ;
				else if (ty == (uint32_t)(gate_watch_read | gate_watch_write)) g = GDB_WATCH_ACCESS;
				req[req_n].type = g;
				req[req_n++].addr = bp[n].addr;
			}
			n++;
		}
	}
	/* a request QEMU can produce: known types, at most 2 breakpoints and 2 watchpoints */
	int valid = 1, nb = 0, nw = 0;
	for (int i = 0; i < req_n; i++) {
		if (req[i].type == 0 && bp[i].type != 0)
			valid = 0;
		nb += req[i].type == GDB_BP;
		nw += req[i].type >= GDB_WATCH_WRITE;
	}
	if (nb > 2 || nw > 2)
		valid = 0;
	unsigned nbefore = glue_snapshot(before, sizeof before);
	dbg_set(&hw, DBG_REG_MSR, MSR_ME);
	int rc = glue_set_guest_debug(control, bp, n);
	unsigned nafter = glue_snapshot(after, sizeof after);
	if (!valid) {
		sc.invalid_request = 1;     /* what follows comes from an input QEMU never sends */
		/* property 5: invalid requests fail with -EINVAL and leave the state as it was */
		if (rc != -22)
			violation("abi-accepted", "abi", "robustness", "kvm_arch_vcpu_ioctl_set_guest_debug",
				  "an invalid request returned %d, not -EINVAL", rc);
		else if (nbefore != nafter || memcmp(before, after, nafter))
			violation("abi-state", "abi", "robustness", "kvm_arch_vcpu_ioctl_set_guest_debug",
				  "a rejected request changed the vCPU debug state");
	} else if (rc != 0) {
		violation("abi-valid", "abi", "bug", "kvm_arch_vcpu_ioctl_set_guest_debug",
			  "a valid request failed with %d", rc);
	}
	if (rc == 0) {
		ngdb = (control & 0x00020000u) ? req_n : 0;
		for (int i = 0; i < ngdb; i++) {
			gdbreq[i].type = req[i].type;
			gdbreq[i].addr = req[i].addr;
		}
		singlestep = (control & 1u) && (control & 2u);
		if (!(control & 1u))
			ngdb = 0;
	}
	if (glue_load_balance() != 0)
		violation("unbalanced", "abi", "bug", "kvm_arch_vcpu_ioctl_set_guest_debug",
			  "vcpu_load/vcpu_put unbalanced (%d) after the ioctl", glue_load_balance());
	check_host(0, "after KVM_SET_GUEST_DEBUG", "kvmppc_booke_vcpu_put");
}

static void do_run(void)
{
	dbg_set(&hw, DBG_REG_MSR, MSR_ME);
	if (!guest_pc_next && nprog)
		guest_pc_next = prog[0].pc;
	/* QEMU writes the registers back before resuming after a gdb interaction (vcpu_dirty) */
	if (!sc.no_set_regs)
		glue_set_regs();
	run_host_bad = 0;
	glue_run();
	uint32_t reason, status;
	uint64_t address;
	glue_exit_info(&reason, &status, &address);
	int want_type = 0;
	uint64_t want_addr = 0;
	uint32_t want_at = 0;
	int want = expected_stop(&want_type, &want_addr, &want_at);
	if (reason != 4) {
		if (want)
			violation("lost-stop", "stops", sc.no_set_regs || sc.invalid_request ? "robustness" : "bug", "kvm_arch_vcpu_ioctl_set_guest_debug", "gdb expects a %s stop at 0x%08X; the guest ran on without "
				  "a debug exit", tname(want_type), want_at);
	} else {
		int got_type = 0;
		int found = singlestep ? 1 : status ? qemu_find(status, address, &got_type) : 0;
		if (!found && !singlestep && !status)
			violation("status0", "stops", sc.no_set_regs || sc.invalid_request ? "robustness" : "bug", "kvmppc_handle_debug", "KVM_EXIT_DEBUG with status 0 at 0x%08llX: "
				  "QEMU finds no breakpoint and injects a program interrupt into the guest",
				  (unsigned long long)address);
		else if (!found)
			violation("dropped", "stops", sc.no_set_regs || sc.invalid_request ? "robustness" : "bug", "kvmppc_handle_debug", "KVM_EXIT_DEBUG status 0x%X address "
				  "0x%08llX matches no gdb request: QEMU drops it", status,
				  (unsigned long long)address);
		else if (!want)
			violation("spurious", "stops", sc.no_set_regs || sc.invalid_request ? "robustness" : "bug", "kvmppc_handle_debug", "a %s stop at 0x%08llX that gdb did "
				  "not ask for", tname(got_type), (unsigned long long)address);
		else if (!singlestep && (got_type != want_type || address != want_addr ||
					 guest_pc_next != want_at))
			violation("wrong-report", "stops", sc.no_set_regs || sc.invalid_request ? "robustness" : "bug", "kvmppc_handle_debug", "gdb expects %s 0x%08llX at 0x%08X, "
				  "gets %s 0x%08llX at 0x%08X", tname(want_type),
				  (unsigned long long)want_addr, want_at, tname(got_type),
				  (unsigned long long)address, guest_pc_next);
	}
	if (glue_load_balance() != 0)
		violation("unbalanced", "abi", "bug", "kvmppc_vcpu_run", "vcpu_load/vcpu_put unbalanced (%d) after KVM_RUN",
			  glue_load_balance());
	/* what went wrong only after kvmppc_vcpu_run returned is vcpu_put's doing */
	if (!run_host_bad)
		check_host(0, "after KVM_RUN", "kvmppc_booke_vcpu_put");
}

#include "gate_prove.c"

int main(int argc, char **argv)
{
	char line[1024];
	int idx = 0;
	gate_kvmppc_debug_breakpoint = GATE_DEBUG_BREAKPOINT;
	gate_watch_write = GATE_DEBUG_WATCH_WRITE;
	gate_watch_read = GATE_DEBUG_WATCH_READ;
	begin();
	if (argc > 1 && !strcmp(argv[1], "prove"))
		return prove();
	while (fgets(line, sizeof line, stdin)) {
		char *p = line;
		while (*p == ' ' || *p == '\t')
			p++;
		if (!*p || *p == '#' || *p == '\n')
			continue;
		char kw[32] = "";
		sscanf(p, "%31s", kw);
		char *rest = p + strlen(kw);
		if (!strcmp(kw, "host") || !strcmp(kw, "other")) {
			struct gate_ctx *c = kw[0] == 'h' ? &sc.host : &sc.other;
			parse_ctx(rest, c);
			glue_set_thread_ctx(kw[0] == 'h' ? 0 : 1, c);
			if (kw[0] == 'h') {
				/* the scheduler switched this thread in: its context is live */
				glue_switch_to(0);
				dbg_set(&hw, DBG_REG_MSR, MSR_ME);
			}
		} else if (!strcmp(kw, "guest-msr")) {
			sc.guest_msr = num(rest);
			glue_guest_set_msr(sc.guest_msr);
		} else if (!strcmp(kw, "poke-dbcr4")) {
			sc.has_poke = 1;
			sc.poke_dbcr4 = num(rest);
			glue_poke_vcpu_dbcr4(sc.poke_dbcr4);
		} else if (!strcmp(kw, "no-set-regs")) {
			sc.no_set_regs = 1;    /* a userspace that is not QEMU: robustness only */
		} else if (!strcmp(kw, "preempt")) {
			sscanf(rest, "%15s", sc.preempt);
		} else if (!strcmp(kw, "ioctl")) {
			do_ioctl(rest);
		} else if (!strcmp(kw, "g") && nprog < MAXG) {
			char k[16] = "";
			unsigned pc = 0, arg = 0;
			sscanf(rest, "%x %15s %x", &pc, k, &arg);
			prog[nprog].pc = pc;
			prog[nprog].arg = arg;
			prog[nprog].kind = !strcmp(k, "load") ? GK_LOAD : !strcmp(k, "store") ? GK_STORE :
				!strcmp(k, "mtmsr") ? GK_MTMSR : GK_NOP;
			nprog++;
		} else if (!strcmp(kw, "run")) {
			do_run();
		} else if (!strcmp(kw, "end")) {
			printf("{\"scenario\": %d, \"profile\": \"%s\", \"violations\": [", idx++, glue_profile());
			for (int i = 0; i < nviol; i++)
				printf("%s%s", i ? ", " : "", viol[i]);
			printf("]}\n");
			fflush(stdout);
			begin();
		}
	}
	return 0;
}
