/* v3 profile, no-op stubs: MMU and FP/SPE state, exit accounting. */
#ifndef BOOKEDBG_V3_STUBS_H
#define BOOKEDBG_V3_STUBS_H

static inline void kvmppc_mmu_msr_notify(struct kvm_vcpu *v, u32 m) { (void)v; (void)m; }
static inline void kvmppc_vcpu_sync_spe(struct kvm_vcpu *v) { (void)v; }
static inline void kvmppc_vcpu_sync_fpu(struct kvm_vcpu *v) { (void)v; }
#define kvmppc_account_exit(v, t) do { } while (0)

#endif
