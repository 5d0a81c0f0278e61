/* Glue for the v3 profile. The kernel around the patch is played as Linux 3.9 did it:
 * prime_debug_regs/switch_booke_debug_regs on a thread_struct (the version Alex quotes in the
 * review), generic vcpu_load/vcpu_put around every ioctl, e500mc's MSRP load in vcpu_load, and
 * kvmppc_handle_exit enabling interrupts before its switch on the exit number. */
int gate_tmp_ret;
static struct kvm_run gate_run_area;
static struct kvmppc_vcpu_arch_shared gate_shared;
static struct kvm_vcpu gate_vcpu;
static struct task_struct gate_tasks[2];
static int gate_cur, gate_loads;

struct task_struct *gate_current(void) { return &gate_tasks[gate_cur]; }
const char *glue_profile(void) { return "v3"; }
int glue_resume_host(void) { return RESUME_HOST; }

/* process.c of that era, rewritten from its behaviour: clear MSR[DE] first, then load the
 * thread's comparators and control registers. */
static void gate_prime(struct thread_struct *t)
{
	mtmsr(mfmsr() & ~MSR_DE);
	mtspr(SPRN_IAC1, t->iac1);
	mtspr(SPRN_IAC2, t->iac2);
	mtspr(SPRN_DAC1, t->dac1);
	mtspr(SPRN_DAC2, t->dac2);
	mtspr(SPRN_DBCR0, t->dbcr0);
	mtspr(SPRN_DBCR1, t->dbcr1);
	mtspr(SPRN_DBCR2, t->dbcr2);
}

void switch_booke_debug_regs(struct thread_struct *new_thread)
{
	if ((current->thread.dbcr0 & DBCR0_IDM) || (new_thread->dbcr0 & DBCR0_IDM))
		gate_prime(new_thread);
}

static void vcpu_load(struct kvm_vcpu *vcpu)
{
	gate_loads++;
	kvmppc_booke_vcpu_load(vcpu, 0);
#ifdef CONFIG_KVM_BOOKE_HV
	mtspr(SPRN_EPCR, vcpu->arch.shadow_epcr);
	mtspr(SPRN_MSRP, vcpu->arch.shadow_msrp);
#endif
}

static void vcpu_put(struct kvm_vcpu *vcpu)
{
	gate_loads--;
	kvmppc_booke_vcpu_put(vcpu);
}

int glue_init(void)
{
	memset(&gate_vcpu, 0, sizeof gate_vcpu);
	memset(gate_tasks, 0, sizeof gate_tasks);
	gate_cur = 0;
	gate_vcpu.arch.shared = &gate_shared;
#ifdef CONFIG_KVM_BOOKE_HV
	/* e500mc.c of that era: DEP set for every guest (removed only in 2014) */
	gate_vcpu.arch.shadow_epcr = EPCR_DSIGS | EPCR_DGTMI | EPCR_DUVD;
	gate_vcpu.arch.shadow_msrp = MSRP_UCLEP | MSRP_DEP | MSRP_PMMP;
#endif
	gate_v3_setup(&gate_vcpu);
	gate_loads = 0;
	return 0;
}

int glue_set_guest_debug(uint32_t control, const struct gate_bp *bp, int n)
{
	struct kvm_guest_debug dbg;
	memset(&dbg, 0, sizeof dbg);
	dbg.control = control;
	for (int i = 0; i < n && i < 16; i++) {
		dbg.arch.bp[i].addr = bp[i].addr;
		dbg.arch.bp[i].type = bp[i].type;
	}
	vcpu_load(&gate_vcpu);          /* kvm_vcpu_ioctl of that era */
	int r = kvm_arch_vcpu_ioctl_set_guest_debug(&gate_vcpu, &dbg);
	vcpu_put(&gate_vcpu);
	return r;
}

int glue_run(void)
{
	vcpu_load(&gate_vcpu);
	gate_run_area.exit_reason = 0;
	int r = gate_vcpu_run(&gate_run_area, &gate_vcpu);
	world_preempt_point("after-run");
	vcpu_put(&gate_vcpu);
	return r;
}

void glue_exit_info(uint32_t *exit_reason, uint32_t *status, uint64_t *address)
{
	*exit_reason = gate_run_area.exit_reason;
	*status = gate_run_area.debug.arch.status;
	*address = gate_run_area.debug.arch.address;
}

int glue_exit_debug(uint32_t guest_pc, uint32_t guest_msr)
{
	gate_vcpu.arch.pc = guest_pc;            /* the exit asm saves the guest PC */
#ifdef CONFIG_KVM_BOOKE_HV
	gate_vcpu.arch.shared->msr = guest_msr & ~(u32)MSR_GS;
#else
	(void)guest_msr;
#endif
	/* kvmppc_handle_exit: local_irq_enable() comes before the switch on the exit number */
	world_preempt_point("exit");
	return gate_exit_case(&gate_run_area, &gate_vcpu);
}

uint32_t glue_guest_hw_msr(void)
{
#ifdef CONFIG_KVM_BOOKE_HV
	return (u32)gate_vcpu.arch.shared->msr | MSR_GS;
#else
	return gate_vcpu.arch.shadow_msr;
#endif
}

void glue_guest_set_msr(uint32_t msr) { kvmppc_set_msr(&gate_vcpu, msr); }

/* KVM_SET_REGS as QEMU issues it before resuming after any gdb interaction: the MSR it read back
 * goes through kvm_arch_vcpu_ioctl_set_regs -> kvmppc_set_msr. */
void glue_set_regs(void)
{
	vcpu_load(&gate_vcpu);
	kvmppc_set_msr(&gate_vcpu, (u32)gate_vcpu.arch.shared->msr);
	vcpu_put(&gate_vcpu);
}
uint32_t glue_guest_msr(void) { return (u32)gate_vcpu.arch.shared->msr; }

void glue_set_thread_ctx(int t, const struct gate_ctx *c)
{
	struct thread_struct *d = &gate_tasks[t].thread;
	d->dbcr0 = c->dbcr0; d->dbcr1 = c->dbcr1; d->dbcr2 = c->dbcr2;
	d->iac1 = c->iac1; d->iac2 = c->iac2; d->dac1 = c->dac1; d->dac2 = c->dac2;
}

void glue_get_thread_ctx(int t, struct gate_ctx *c)
{
	const struct thread_struct *d = &gate_tasks[t].thread;
	c->dbcr0 = (u32)d->dbcr0; c->dbcr1 = (u32)d->dbcr1; c->dbcr2 = (u32)d->dbcr2;
	c->iac1 = (u32)d->iac1; c->iac2 = (u32)d->iac2; c->dac1 = (u32)d->dac1; c->dac2 = (u32)d->dac2;
}

void glue_switch_to(int t)
{
	switch_booke_debug_regs(&gate_tasks[t].thread);
	gate_cur = t;
}

void glue_sched_out(void) { vcpu_put(&gate_vcpu); }
void glue_sched_in(void) { vcpu_load(&gate_vcpu); }
int glue_load_balance(void) { return gate_loads; }

unsigned glue_snapshot(unsigned char *buf, unsigned len)
{
	unsigned n = 0;
#define SNAP(x) do { if (n + sizeof(x) <= len) { memcpy(buf + n, &(x), sizeof(x)); n += sizeof(x); } } while (0)
	SNAP(gate_vcpu.guest_debug);
	SNAP(gate_vcpu.arch.shadow_dbg_reg);
	SNAP(gate_vcpu.arch.shadow_msrp);
#undef SNAP
	return n;
}

void glue_poke_vcpu_dbcr4(uint32_t v)
{
#ifdef CONFIG_KVM_E500MC
	gate_vcpu.arch.shadow_dbg_reg.dbcr4 = v;
	gate_vcpu.arch.dbg_reg.dbcr4 = v;
#else
	(void)v;
#endif
}

int glue_decode(uint32_t dbsr, uint32_t guest_debug, uint32_t guest_msr, uint32_t guest_dbcr0,
		uint32_t nip, uint32_t *status, uint64_t *address, int *queued)
{
	gate_vcpu.guest_debug = guest_debug;
	gate_vcpu.arch.shared->msr = guest_msr;
	gate_vcpu.arch.dbg_reg.dbcr0 = guest_dbcr0;
	gate_vcpu.arch.pc = nip;
	gate_vcpu.arch.pending_exceptions = 0;
	gate_run_area.debug.arch.status = 0;
	gate_run_area.debug.arch.address = 0;
	hw_set_dbsr(dbsr);
	int r = gate_exit_case(&gate_run_area, &gate_vcpu);
	*status = gate_run_area.debug.arch.status;
	*address = gate_run_area.debug.arch.address;
	*queued = (int)gate_vcpu.arch.pending_exceptions;
	return r;
}

void glue_vcpu_ctx(struct gate_ctx *c)
{
	const struct kvmppc_booke_debug_reg *d = &gate_vcpu.arch.shadow_dbg_reg;
	c->dbcr0 = d->dbcr0; c->dbcr1 = d->dbcr1; c->dbcr2 = d->dbcr2;
	c->iac1 = (u32)d->iac[0]; c->iac2 = (u32)d->iac[1]; c->dac1 = (u32)d->dac[0]; c->dac2 = (u32)d->dac[1];
}
