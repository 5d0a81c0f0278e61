/* Shim profile for Linux 6.1-era code: struct debug_reg in thread.debug, vcpu->arch.dbg_reg,
 * DBSR saved in kvmppc_restart_interrupt, kvm_guest_protect_msr (kernel-notes.md section 2). */
#ifndef BOOKEDBG_PROFILE_V61_H
#define BOOKEDBG_PROFILE_V61_H

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
struct kvm_vcpu;
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

struct task_struct *gate_current(void);
#define current (gate_current())

/* Calls the extracted code makes into kernel parts that are not under test. */
void vcpu_load(struct kvm_vcpu *vcpu);
void vcpu_put(struct kvm_vcpu *vcpu);
void kvmppc_core_queue_program(struct kvm_vcpu *vcpu, ulong esr);
void kvmppc_set_msr(struct kvm_vcpu *vcpu, u32 new_msr);
static inline void kvmppc_mmu_msr_notify(struct kvm_vcpu *v, u32 m) { (void)v; (void)m; }
static inline void kvmppc_vcpu_sync_spe(struct kvm_vcpu *v) { (void)v; }
static inline void kvmppc_vcpu_sync_fpu(struct kvm_vcpu *v) { (void)v; }
static inline void kvmppc_fix_ee_before_entry(void) { }
static inline void kvmppc_booke_queue_irqprio(struct kvm_vcpu *v, unsigned p)
{
	v->arch.pending_exceptions |= 1ul << p;
}
#define clear_bit(nr, addr) (*(addr) &= ~(1ul << (nr)))
#define trace_kvm_booke_queue_irqprio(v, p) do { } while (0)
#define kvmppc_fill_pt_regs(r) do { (void)(r); } while (0)
#define do_IRQ(r) do { } while (0)
#define timer_interrupt(r) do { } while (0)
#define performance_monitor_exception(r) do { } while (0)
#define unknown_exception(r) do { } while (0)
#define WatchdogException(r) do { } while (0)
#define spin_lock_init(l) do { } while (0)
#define timer_setup(t, f, fl) do { } while (0)
#define __kvmppc_vcpu_run(vcpu) world_guest_run()

/* The exit path around the debug and program cases of kvmppc_handle_exit: accounting, tracing
 * and time keeping do nothing here; interrupts re-enabled on the exit path are where the vCPU
 * thread can be preempted (gate_irq_enable); nothing is pending when it re-enters. */
#define kvmppc_update_timing_stats(v) do { (void)(v); } while (0)
#define kvmppc_account_exit(v, type) do { (void)(v); } while (0)
#define trace_kvm_exit(nr, v) do { (void)(nr); (void)(v); } while (0)
#define context_tracking_guest_exit() do { } while (0)
#define vtime_accounting_enabled_this_cpu() 0
#define vtime_account_guest_exit() do { } while (0)
void gate_irq_enable(void);
#define local_irq_enable() gate_irq_enable()
#define local_irq_disable() do { } while (0)
#define KERN_EMERG ""
#define KERN_CRIT ""
#define printk(...) do { } while (0)
#define pr_debug(...) do { } while (0)
#define kvmppc_account_exit_stat(v, type) do { (void)(v); } while (0)
/* emulate.c, for the instructions the world routes through emulation_exit: a trap (tw/twi) queues
 * the guest's program interrupt, anything else (a software breakpoint's opcode) is not emulated */
enum emulation_result kvmppc_emulate_instruction(struct kvm_vcpu *vcpu);
#ifndef ESR_PIL
#define ESR_PIL 0x08000000u
#endif
#ifndef ESR_PTR
#define ESR_PTR 0x02000000u
#endif
#define BUG() gate_bug("BUG()", __FILE__, __LINE__)
#define kvmppc_prepare_to_enter(v) ((void)(v), 1)
#define kvmppc_load_guest_fp(v) do { (void)(v); } while (0)
#define kvmppc_load_guest_altivec(v) do { (void)(v); } while (0)
#define kvmppc_fix_ee_after_exit() do { } while (0)
#define KVM_INST_FETCH_FAILED ((u32)-1)
/* asm/inst.h (6.12 passes the word as ppc_inst_t; a 32-bit word either way) */
typedef u32 ppc_inst_t;
#define ppc_inst_val(x) (x)
enum instruction_fetch_type { INST_GENERIC, INST_SC };
int kvmppc_get_last_inst(struct kvm_vcpu *vcpu, enum instruction_fetch_type type, u32 *inst);

/* arch/powerpc/include/asm/kvm_ppc.h */
enum emulation_result { EMULATE_DONE, EMULATE_DO_MMIO, EMULATE_FAIL, EMULATE_AGAIN,
	EMULATE_EXIT_USER };
int kvmppc_booke_emulate_mtspr(struct kvm_vcpu *vcpu, int sprn, ulong spr_val);
int kvmppc_booke_emulate_mfspr(struct kvm_vcpu *vcpu, int sprn, ulong *spr_val);
int kvmppc_get_one_reg(struct kvm_vcpu *vcpu, u64 id, union kvmppc_one_reg *val);
int kvmppc_set_one_reg(struct kvm_vcpu *vcpu, u64 id, union kvmppc_one_reg *val);
/* kvm_ppc.h: a ONE_REG value by the size its id encodes (uapi KVM_REG_SIZE) */
#define gate_one_reg_size(id) (1ul << (((id) & KVM_REG_SIZE_MASK) >> KVM_REG_SIZE_SHIFT))
#define get_reg_val(id, reg) ({ union kvmppc_one_reg __u; __u.dval = 0; \
	if (gate_one_reg_size(id) == 4) __u.wval = (reg); else __u.dval = (reg); __u; })
#define set_reg_val(id, val) (gate_one_reg_size(id) == 4 ? (u64)(val).wval : (val).dval)

#endif
