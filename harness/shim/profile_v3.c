/* Glue for the v3 profile. The kernel around the patch is played as Linux 3.9 did it:
 * prime_debug_regs/switch_booke_debug_regs on a thread_struct (the version Alex quotes in the
 * review), generic vcpu_load/vcpu_put around every ioctl, e500mc's MSRP load in vcpu_load, and
 * kvmppc_handle_exit enabling interrupts before its switch on the exit number. */
#define GATE_THREAD_DEBUG(t) (&gate_tasks[t].thread)
#define GATE_VCPU_DEBUG gate_vcpu.arch.shadow_dbg_reg
#include "glue_common.c"
int gate_tmp_ret;

const char *glue_profile(void) { return "v3"; }

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
	gate_reset_common();
#ifdef CONFIG_KVM_BOOKE_HV
	/* e500mc.c of that era: DEP set for every guest (removed only in 2014) */
	gate_vcpu.arch.shadow_epcr = EPCR_DSIGS | EPCR_DGTMI | EPCR_DUVD;
	gate_vcpu.arch.shadow_msrp = MSRP_UCLEP | MSRP_DEP | MSRP_PMMP;
#endif
	gate_v3_setup(&gate_vcpu);
	return 0;
}

int glue_set_guest_debug(uint32_t control, const struct gate_bp *bp, int n)
{
	struct kvm_guest_debug dbg;
	gate_pack(control, bp, n, &dbg);
	vcpu_load(&gate_vcpu);          /* kvm_vcpu_ioctl of that era */
	world_preempt_point("ioctl");   /* the ioctl body runs preemptible */
	int r = kvm_arch_vcpu_ioctl_set_guest_debug(&gate_vcpu, &dbg);
	vcpu_put(&gate_vcpu);
	return r;
}

int glue_run(void)
{
	vcpu_load(&gate_vcpu);
	gate_run_area.exit_reason = 0;
	world_preempt_point("entry");
	int r = gate_vcpu_run(&gate_run_area, &gate_vcpu);
	world_preempt_point("after-run");
	vcpu_put(&gate_vcpu);
	return r;
}


void glue_exit_save(uint32_t guest_pc, uint32_t guest_msr)
{
	gate_vcpu.arch.pc = guest_pc;            /* the exit asm saves the guest PC */
#ifdef CONFIG_KVM_BOOKE_HV
	gate_vcpu.arch.shared->msr = guest_msr & ~(u32)MSR_GS;
#else
	(void)guest_msr;
#endif
}

int glue_exit_debug(uint32_t guest_pc, uint32_t guest_msr)
{
	glue_exit_save(guest_pc, guest_msr);
	/* kvmppc_handle_exit: local_irq_enable() comes before the switch on the exit number */
	world_preempt_point("exit");
	int r = gate_exit_case(&gate_run_area, &gate_vcpu);
	if (r == RESUME_GUEST)          /* 3.9's exit tail: kvmppc_prepare_to_enter may reschedule */
		world_preempt_point("resume");
	return r;
}

int glue_exit_program(uint32_t guest_pc, uint32_t guest_msr, uint32_t inst)
{
	/* the 2013 mail's exit fragment is its debug case only: the gate gives it no software
	 * breakpoints (gate_scenarios) */
	(void)inst;
	glue_exit_save(guest_pc, guest_msr);
	return RESUME_GUEST;
}







static void gate_put(void) { vcpu_put(&gate_vcpu); }
static void gate_load(void) { vcpu_load(&gate_vcpu); }


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

/* The 2013 mail carries no emulation of the guest's debug SPR accesses: the guest's own debugger
 * is not modelled for it (guest-owned scenarios are not generated for this profile). */
int glue_models_guest_debug(void) { return 0; }
const char *glue_guest_de_keeper(void) { return "kvmppc_vcpu_run"; }
int glue_emulate_mtspr(int sprn, uint32_t v) { (void)sprn; (void)v; return -1; }
int glue_emulate_mfspr(int sprn, uint32_t *v) { (void)sprn; *v = 0; return -1; }
int glue_deliver_debug(uint32_t *srr0, uint32_t *srr1) { (void)srr0; (void)srr1; return 0; }
void glue_guest_return(uint32_t srr0, uint32_t srr1) { (void)srr0; (void)srr1; }
uint32_t glue_vcpu_dbsr(void) { return 0; }
int glue_one_reg(int set, int which, uint64_t *v)
{
	(void)set; (void)which; (void)v;
	return GATE_ONE_REG_UNDEFINED;     /* the mail carries no ONE_REG code */
}

int glue_debug_inst(uint32_t *inst)
{
	(void)inst;
	return GATE_ONE_REG_UNDEFINED;     /* the mail has no ONE_REG code */
}
