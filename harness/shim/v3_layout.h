/* v3 profile, copied kernel layouts (Linux 3.9 era): debug registers directly in thread_struct,
 * the vCPU's KVM-private kvmppc_booke_debug_reg with arrays, the guest PC in vcpu->arch.pc. */
#ifndef BOOKEDBG_V3_LAYOUT_H
#define BOOKEDBG_V3_LAYOUT_H

#define KVMPPC_BOOKE_IAC_NUM 2
#define KVMPPC_BOOKE_DAC_NUM 2
#define KVMPPC_BOOKE_MAX_IAC 4
#define KVMPPC_BOOKE_MAX_DAC 2

struct kvm_vcpu;
struct thread_struct {
	struct kvm_vcpu *kvm_vcpu;
	unsigned long dbcr0, dbcr1, dbcr2;
	unsigned long iac1, iac2, iac3, iac4, dac1, dac2, dvc1, dvc2;
};
struct task_struct {
	struct thread_struct thread;
};
struct kvmppc_booke_debug_reg {    /* asm/kvm_host.h of that era */
	u32 dbcr0, dbcr1, dbcr2;
#ifdef CONFIG_KVM_E500MC
	u32 dbcr4;
#endif
	u64 iac[KVMPPC_BOOKE_MAX_IAC];
	u64 dac[KVMPPC_BOOKE_MAX_DAC];
};
struct kvm_vcpu_arch {
	u32 shadow_msr, shadow_msrp, shadow_epcr, shadow_pid;
	struct kvmppc_vcpu_arch_shared *shared;
	ulong pc;
	unsigned long pending_exceptions;
	struct kvmppc_booke_debug_reg dbg_reg;
	GATE_PATCH_ARCH_FIELDS          /* the fields the patch adds, extracted from it */
};
struct kvm_vcpu {
	int cpu;
	u32 guest_debug;
	struct kvm_vcpu_arch arch;
};
#define DEBUG_EXITS 0

void kvmppc_set_msr(struct kvm_vcpu *vcpu, u32 new_msr);
void switch_booke_debug_regs(struct thread_struct *new_thread);

#endif
