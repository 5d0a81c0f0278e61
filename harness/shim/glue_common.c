/* Glue shared by every profile, included at the top of profile_*.c (after the extracted code).
 * A profile defines GATE_THREAD_DEBUG(t) (where task t keeps its debug registers: fields dbcr0..2,
 * iac1..2, dac1..2) and GATE_VCPU_DEBUG (the vCPU's hardware debug context), then includes this. */
static struct kvm_run gate_run_area;
static struct kvmppc_vcpu_arch_shared gate_shared;
static struct kvm_vcpu gate_vcpu;
static struct task_struct gate_tasks[GATE_THREADS];
static int gate_cur, gate_loads;

struct task_struct *gate_current(void) { return &gate_tasks[gate_cur]; }
int glue_current_thread(void) { return gate_cur; }
int glue_resume_host(void) { return RESUME_HOST; }

/* The kvm_guest_debug QEMU builds: the slots packed densely, the rest zero. */
static void gate_pack(uint32_t control, const struct gate_bp *bp, int n, struct kvm_guest_debug *dbg)
{
	memset(dbg, 0, sizeof *dbg);
	dbg->control = control;
	for (int i = 0; i < n && i < 16; i++) {
		dbg->arch.bp[i].addr = bp[i].addr;
		dbg->arch.bp[i].type = bp[i].type;
	}
}

static void gate_reset_common(void)
{
	memset(&gate_vcpu, 0, sizeof gate_vcpu);
	memset(gate_tasks, 0, sizeof gate_tasks);
	gate_cur = 0;
	gate_loads = 0;
	gate_vcpu.arch.shared = &gate_shared;
}

void glue_exit_info(uint32_t *exit_reason, uint32_t *status, uint64_t *address)
{
	*exit_reason = gate_run_area.exit_reason;
	*status = gate_run_area.debug.arch.status;
	*address = gate_run_area.debug.arch.address;
}

uint32_t glue_guest_hw_msr(void)
{
#ifdef CONFIG_KVM_BOOKE_HV
	return (u32)gate_vcpu.arch.shared->msr | MSR_GS;   /* no shadow MSR: the guest's own, in GS */
#else
	return gate_vcpu.arch.shadow_msr;
#endif
}

void glue_guest_set_msr(uint32_t msr) { kvmppc_set_msr(&gate_vcpu, msr); }
uint32_t glue_guest_msr(void) { return (u32)gate_vcpu.arch.shared->msr; }

void glue_set_thread_ctx(int t, const struct gate_ctx *c)
{
	GATE_THREAD_DEBUG(t)->dbcr0 = c->dbcr0;
	GATE_THREAD_DEBUG(t)->dbcr1 = c->dbcr1;
	GATE_THREAD_DEBUG(t)->dbcr2 = c->dbcr2;
	GATE_THREAD_DEBUG(t)->iac1 = c->iac1;
	GATE_THREAD_DEBUG(t)->iac2 = c->iac2;
	GATE_THREAD_DEBUG(t)->dac1 = c->dac1;
	GATE_THREAD_DEBUG(t)->dac2 = c->dac2;
}

void glue_get_thread_ctx(int t, struct gate_ctx *c)
{
	c->dbcr0 = (u32)GATE_THREAD_DEBUG(t)->dbcr0;
	c->dbcr1 = (u32)GATE_THREAD_DEBUG(t)->dbcr1;
	c->dbcr2 = (u32)GATE_THREAD_DEBUG(t)->dbcr2;
	c->iac1 = (u32)GATE_THREAD_DEBUG(t)->iac1;
	c->iac2 = (u32)GATE_THREAD_DEBUG(t)->iac2;
	c->dac1 = (u32)GATE_THREAD_DEBUG(t)->dac1;
	c->dac2 = (u32)GATE_THREAD_DEBUG(t)->dac2;
}

void glue_switch_to(int t)
{
	/* process.c __switch_to: switch_booke_debug_regs(new's context), then current = new */
	switch_booke_debug_regs(GATE_THREAD_DEBUG(t));
	gate_cur = t;
}

int glue_load_balance(void) { return gate_loads; }

/* The profile's vcpu_load/vcpu_put of the one vCPU (defined after this file). */
static void gate_load(void);
static void gate_put(void);

void glue_sched_out(void) { gate_put(); }   /* preempt notifier: kvm_sched_out */
void glue_sched_in(void) { gate_load(); }   /* preempt notifier: kvm_sched_in */

/* KVM_SET_REGS as QEMU issues it before resuming after any gdb interaction: the MSR it read back
 * goes through kvm_arch_vcpu_ioctl_set_regs -> kvmppc_set_msr. */
void glue_set_regs(void)
{
	gate_load();
	kvmppc_set_msr(&gate_vcpu, (u32)gate_vcpu.arch.shared->msr);
	gate_put();
}

unsigned glue_snapshot(unsigned char *buf, unsigned len)
{
	unsigned n = 0;
#define SNAP(x) do { if (n + sizeof(x) <= len) { memcpy(buf + n, &(x), sizeof(x)); n += sizeof(x); } } while (0)
	SNAP(gate_vcpu.guest_debug);
	SNAP(GATE_VCPU_DEBUG);
	SNAP(gate_vcpu.arch.shadow_msrp);
#undef SNAP
	return n;
}

/* A program interrupt KVM queued for the guest (its own illegal instruction): taken, 1; else 0. */
int glue_take_program(void)
{
	unsigned long bit = 1ul << BOOKE_IRQPRIO_PROGRAM;
	int queued = (gate_vcpu.arch.pending_exceptions & bit) != 0;
	gate_vcpu.arch.pending_exceptions &= ~bit;
	return queued;
}
