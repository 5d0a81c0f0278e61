/* 6.1 profile, no-op stubs: kernel parts the extracted code calls that do nothing the debug
 * facility can observe here (MMU and FP/SPE/AltiVec state, tracing, accounting, time keeping,
 * logging, timers, host interrupt handlers replayed at exit). */
#ifndef BOOKEDBG_V61_STUBS_H
#define BOOKEDBG_V61_STUBS_H

static inline void kvmppc_mmu_msr_notify(struct kvm_vcpu *v, u32 m) { (void)v; (void)m; }
static inline void kvmppc_vcpu_sync_spe(struct kvm_vcpu *v) { (void)v; }
static inline void kvmppc_vcpu_sync_fpu(struct kvm_vcpu *v) { (void)v; }
static inline void kvmppc_fix_ee_before_entry(void) { }
#define kvmppc_fix_ee_after_exit() do { } while (0)
#define trace_kvm_booke_queue_irqprio(v, p) do { } while (0)
#define kvmppc_fill_pt_regs(r) do { (void)(r); } while (0)
#define do_IRQ(r) do { } while (0)
#define timer_interrupt(r) do { } while (0)
#define performance_monitor_exception(r) do { } while (0)
#define unknown_exception(r) do { } while (0)
#define WatchdogException(r) do { } while (0)
#define spin_lock_init(l) do { } while (0)
#define timer_setup(t, f, fl) do { } while (0)
#define kvmppc_update_timing_stats(v) do { (void)(v); } while (0)
#define kvmppc_account_exit(v, type) do { (void)(v); } while (0)
#define kvmppc_account_exit_stat(v, type) do { (void)(v); } while (0)
#define trace_kvm_exit(nr, v) do { (void)(nr); (void)(v); } while (0)
#define context_tracking_guest_exit() do { } while (0)
#define vtime_accounting_enabled_this_cpu() 0
#define vtime_account_guest_exit() do { } while (0)
#define local_irq_disable() do { } while (0)
#define KERN_EMERG ""
#define KERN_CRIT ""
#define printk(...) do { } while (0)
#define pr_debug(...) do { } while (0)
#define kvmppc_load_guest_fp(v) do { (void)(v); } while (0)
#define kvmppc_load_guest_altivec(v) do { (void)(v); } while (0)

#endif
