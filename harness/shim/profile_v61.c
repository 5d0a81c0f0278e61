/* Glue for the 6.1 profile, compiled after the extracted code in the same translation unit. It
 * plays the kernel parts that are not under test, as 6.1 does them (kernel-notes.md section 2):
 * generic vcpu_load/vcpu_put, e500mc's MSRP/EPCR load, __switch_to, and the exit path up to
 * kvmppc_handle_debug. */
#define GATE_THREAD_DEBUG(t) (&gate_tasks[t].thread.debug)
#define GATE_VCPU_DEBUG gate_vcpu.arch.dbg_reg
#include "glue_common.c"
static struct mm_struct gate_mm;
static struct kvm gate_kvm = { &gate_mm };

const char *glue_profile(void) { return "6.1"; }

static void arch_vcpu_load(struct kvm_vcpu *vcpu)
{
	kvmppc_booke_vcpu_load(vcpu, 0);
#ifdef CONFIG_KVM_BOOKE_HV
	/* e500mc.c kvmppc_core_vcpu_load_e500mc: EPCR and MSRP reach hardware only here */
	mtspr(SPRN_EPCR, vcpu->arch.shadow_epcr);
	mtspr(SPRN_MSRP, vcpu->arch.shadow_msrp);
#endif
}

void vcpu_load(struct kvm_vcpu *vcpu)
{
	gate_loads++;
	arch_vcpu_load(vcpu);
}

void vcpu_put(struct kvm_vcpu *vcpu)
{
	gate_loads--;
	kvmppc_booke_vcpu_put(vcpu);
}

void kvmppc_core_queue_program(struct kvm_vcpu *vcpu, ulong esr)
{
	vcpu->arch.queued_esr = (u32)esr;
	kvmppc_booke_queue_irqprio(vcpu, BOOKE_IRQPRIO_PROGRAM);
}

int glue_init(void)
{
	gate_reset_common();
	gate_vcpu.run = &gate_run_area;
	gate_vcpu.kvm = &gate_kvm;
	gate_vcpu.arch.sane = 1;
#ifdef CONFIG_KVM_BOOKE_HV
	/* e500mc.c kvmppc_core_vcpu_setup: DUVD keeps events out of the hypervisor; the guest owns
	 * MSR[DE] (no DEP) until userspace debugs */
	gate_vcpu.arch.shadow_epcr = EPCR_DSIGS | EPCR_DGTMI | EPCR_DUVD;
	gate_vcpu.arch.shadow_msrp = MSRP_UCLEP | MSRP_PMMP;
#endif
	/* booke.c kvmppc_core_vcpu_create order: set_msr(0), then the PR shadow MSR */
	kvmppc_set_msr(&gate_vcpu, 0);
#ifndef CONFIG_KVM_BOOKE_HV
	gate_vcpu.arch.shadow_msr = MSR_USER | MSR_IS | MSR_DS;
	gate_vcpu.arch.shared->msr = 0;
#endif
	kvmppc_subarch_vcpu_init(&gate_vcpu);
	return 0;
}

int glue_set_guest_debug(uint32_t control, const struct gate_bp *bp, int n)
{
	struct kvm_guest_debug dbg;
	gate_pack(control, bp, n, &dbg);
	return kvm_arch_vcpu_ioctl_set_guest_debug(&gate_vcpu, &dbg);
}

int glue_run(void)
{
	/* kvm_arch_vcpu_ioctl_run: vcpu_load ... kvmppc_vcpu_run ... vcpu_put */
	vcpu_load(&gate_vcpu);
	gate_run_area.exit_reason = 0;
	int r = gate_vcpu_run(&gate_vcpu);
	world_preempt_point("after-run");
	vcpu_put(&gate_vcpu);
	return r;
}


int glue_exit_debug(uint32_t guest_pc, uint32_t guest_msr)
{
	/* the exit asm saves the guest PC; HV: the guest MSR is the real one */
	gate_vcpu.arch.regs.nip = guest_pc;
#ifdef CONFIG_KVM_BOOKE_HV
	gate_vcpu.arch.shared->msr = guest_msr & ~(u32)MSR_GS;
#else
	(void)guest_msr;
#endif
	/* kvmppc_handle_exit: restart the host interrupt with IRQs off, then enable them */
	kvmppc_restart_interrupt(&gate_vcpu, BOOKE_INTERRUPT_DEBUG);
	world_preempt_point("exit");
	int r = kvmppc_handle_debug(&gate_vcpu);
	if (r == RESUME_HOST)
		gate_run_area.exit_reason = KVM_EXIT_DEBUG;
	return r;
}







static void gate_put(void) { vcpu_put(&gate_vcpu); }
static void gate_load(void) { vcpu_load(&gate_vcpu); }


void glue_poke_vcpu_dbcr4(uint32_t v) { (void)v; /* 6.1 keeps no DBCR4 for the vCPU */ }

int glue_decode(uint32_t dbsr, uint32_t guest_debug, uint32_t guest_msr, uint32_t guest_dbcr0,
		uint32_t nip, uint32_t *status, uint64_t *address, int *queued)
{
	gate_vcpu.guest_debug = guest_debug;
	gate_vcpu.arch.shared->msr = guest_msr;
	gate_vcpu.arch.dbg_reg.dbcr0 = guest_dbcr0;
	gate_vcpu.arch.regs.nip = nip;
	gate_vcpu.arch.pending_exceptions = 0;
	gate_run_area.debug.arch.status = 0;
	gate_run_area.debug.arch.address = 0;
	mtspr(SPRN_DBSR, 0xFFFFFFFFu);
	hw_set_dbsr(dbsr);
	kvmppc_restart_interrupt(&gate_vcpu, BOOKE_INTERRUPT_DEBUG);
	int r = kvmppc_handle_debug(&gate_vcpu);
	*status = gate_run_area.debug.arch.status;
	*address = gate_run_area.debug.arch.address;
	*queued = (int)(gate_vcpu.arch.pending_exceptions & ((1ul << BOOKE_IRQPRIO_DEBUG) |
							      (1ul << BOOKE_IRQPRIO_PROGRAM)));
	return r;
}

void glue_vcpu_ctx(struct gate_ctx *c)
{
	const struct debug_reg *d = &gate_vcpu.arch.dbg_reg;
	c->dbcr0 = d->dbcr0; c->dbcr1 = d->dbcr1; c->dbcr2 = d->dbcr2;
	c->iac1 = (u32)d->iac1; c->iac2 = (u32)d->iac2; c->dac1 = (u32)d->dac1; c->dac2 = (u32)d->dac2;
}
