/* 6.1 profile, copied kernel layouts: the structures, enums and macros of the kernel headers the
 * extracted code uses, with only the members it touches (asm/processor.h, asm/kvm_host.h,
 * asm/kvm_ppc.h, asm/inst.h); layout only, no behaviour. */
#ifndef BOOKEDBG_V61_LAYOUT_H
#define BOOKEDBG_V61_LAYOUT_H

#define KVMPPC_BOOKE_IAC_NUM 2
#define KVMPPC_BOOKE_DAC_NUM 2

struct debug_reg {                 /* asm/processor.h with IACS=2, DVCS=0 */
	u32 dbcr0, dbcr1, dbcr2;
	unsigned long iac1, iac2, dac1, dac2;
};
struct kvm_vcpu;
struct thread_struct {
	struct debug_reg debug;
	struct kvm_vcpu *kvm_vcpu;
};
struct task_struct {
	struct thread_struct thread;
};
struct mm_struct { void *pgd; };
union kvmppc_one_reg {             /* arch/powerpc/include/asm/kvm_ppc.h */
	u32 wval;
	u64 dval;
};
struct kvmppc_ops {                /* the subarch's ONE_REG fallbacks */
	int (*get_one_reg)(struct kvm_vcpu *vcpu, u64 id, union kvmppc_one_reg *val);
	int (*set_one_reg)(struct kvm_vcpu *vcpu, u64 id, union kvmppc_one_reg *val);
};
struct kvm_arch { const struct kvmppc_ops *kvm_ops; };
struct kvm { struct mm_struct *mm; struct kvm_arch arch; };
struct kvm_vcpu_arch {
	u32 shadow_msr, shadow_msrp, shadow_epcr, shadow_pid;
	struct kvmppc_vcpu_arch_shared *shared;
	struct pt_regs regs;
	u32 dbsr;
	struct debug_reg dbg_reg;
	unsigned long pending_exceptions;
	u32 queued_esr, fault_esr, last_inst;
	ulong gate_dsrr0, gate_dsrr1;   /* the guest's DSRR (e500mc) or CSRR (e500v2) pair */
	void *pgdir;
	int sane;
};
struct kvm_vcpu {
	int cpu, mode;
	u32 guest_debug;
	struct kvm_run *run;
	struct kvm *kvm;
	struct kvm_vcpu_arch arch;
};
#define OUTSIDE_GUEST_MODE 0

/* arch/powerpc/include/asm/kvm_ppc.h */
enum emulation_result { EMULATE_DONE, EMULATE_DO_MMIO, EMULATE_FAIL, EMULATE_AGAIN,
	EMULATE_EXIT_USER };
enum instruction_fetch_type { INST_GENERIC, INST_SC };
#define KVM_INST_FETCH_FAILED ((u32)-1)
/* asm/inst.h (6.12 passes the word as ppc_inst_t; a 32-bit word either way) */
typedef u32 ppc_inst_t;
#define ppc_inst_val(x) (x)
#ifndef ESR_PIL
#define ESR_PIL 0x08000000u
#endif
#ifndef ESR_PTR
#define ESR_PTR 0x02000000u
#endif
/* kvm_ppc.h: a ONE_REG value by the size its id encodes (uapi KVM_REG_SIZE) */
#define gate_one_reg_size(id) (1ul << (((id) & KVM_REG_SIZE_MASK) >> KVM_REG_SIZE_SHIFT))
#define get_reg_val(id, reg) ({ union kvmppc_one_reg __u; __u.dval = 0; \
	if (gate_one_reg_size(id) == 4) __u.wval = (reg); else __u.dval = (reg); __u; })
#define set_reg_val(id, val) (gate_one_reg_size(id) == 4 ? (u64)(val).wval : (val).dval)
/* asm/kvm_booke.h, bitops */
static inline void kvmppc_booke_queue_irqprio(struct kvm_vcpu *v, unsigned p)
{
	v->arch.pending_exceptions |= 1ul << p;
}
#define clear_bit(nr, addr) (*(addr) &= ~(1ul << (nr)))

/* the extracted functions that call each other across the kernel's files */
void kvmppc_set_msr(struct kvm_vcpu *vcpu, u32 new_msr);
int kvmppc_booke_emulate_mtspr(struct kvm_vcpu *vcpu, int sprn, ulong spr_val);
int kvmppc_booke_emulate_mfspr(struct kvm_vcpu *vcpu, int sprn, ulong *spr_val);
int kvmppc_get_one_reg(struct kvm_vcpu *vcpu, u64 id, union kvmppc_one_reg *val);
int kvmppc_set_one_reg(struct kvm_vcpu *vcpu, u64 id, union kvmppc_one_reg *val);

#endif
