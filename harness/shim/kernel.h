/* A minimal kernel for extracted BookE KVM debug code, compiled in user mode (the way
 * tools/testing/vma shims mm/vma.c). Everything version-specific is in profile_*.h; register masks
 * come from gate_defs.h, which gate.py writes from the kernel under test (or, for a patch without
 * a tree, from our register table under the kernel's names). */
#ifndef BOOKEDBG_SHIM_KERNEL_H
#define BOOKEDBG_SHIM_KERNEL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "gate_glue.h"

typedef uint8_t u8;
typedef uint8_t __u8;
typedef uint16_t u16;
typedef uint32_t u32;
typedef uint64_t u64;
typedef int32_t s32;
typedef unsigned long ulong;
typedef uint64_t __u64;
typedef uint32_t __u32;

#include "gate_uapi.h"

#define EINVAL GATE_EINVAL
#define likely(x) (x)
#define unlikely(x) (x)
#define __init
#define inline inline

void gate_bug(const char *what, const char *file, int line);
#define BUG_ON(x) do { if (x) gate_bug(#x, __FILE__, __LINE__); } while (0)
#define WARN_ON(x) (x)

/* SPR and MSR access go to the model: the kernel code drives the same hardware the guest runs on.
 * A write says where it is: under the #line directives of the generated TU, the kernel's file and
 * line; in a shim, the shim's own file. */
#define mtspr(sprn, v) hw_mtspr((sprn), (u32)(v), __FILE__, __LINE__)
#define mfspr(sprn) hw_mfspr(sprn)
#define mtmsr(v) hw_mtmsr((u32)(v), __FILE__, __LINE__)
#define mfmsr() hw_mfmsr()
#define smp_processor_id() 0

/* uapi (include/uapi/linux/kvm.h, arch/powerpc/include/uapi/asm/kvm.h): layout only. */
struct kvm_debug_exit_arch {
	__u64 address;
	__u32 status;
	__u32 reserved;
};
struct kvm_guest_debug_arch {
	struct {
		__u64 addr;
		__u32 type;
		__u32 reserved;
	} bp[16];
};
struct kvm_guest_debug {
	__u32 control;
	__u32 pad;
	struct kvm_guest_debug_arch arch;
};
struct kvm_run {
	__u32 exit_reason;
	__u8 ready_for_interrupt_injection;
	struct {
		struct kvm_debug_exit_arch arch;
	} debug;
	struct {
		__u64 hardware_exit_reason;
	} hw;
};

#include "gate_defs.h"

#ifndef KVM_EXIT_UNKNOWN
#define KVM_EXIT_UNKNOWN GATE_EXIT_UNKNOWN
#endif
#ifndef KVM_EXIT_DEBUG
#define KVM_EXIT_DEBUG GATE_EXIT_DEBUG
#endif
#ifndef KVM_EXIT_INTERNAL_ERROR
#define KVM_EXIT_INTERNAL_ERROR 17
#endif
#ifndef KVM_GUESTDBG_ENABLE
#define KVM_GUESTDBG_ENABLE GATE_GUESTDBG_ENABLE
#endif
#ifndef KVM_GUESTDBG_SINGLESTEP
#define KVM_GUESTDBG_SINGLESTEP GATE_GUESTDBG_SINGLESTEP
#endif
#ifndef KVM_GUESTDBG_USE_SW_BP
#define KVM_GUESTDBG_USE_SW_BP GATE_GUESTDBG_USE_SW_BP
#endif
#ifndef KVM_GUESTDBG_USE_HW_BP
#define KVM_GUESTDBG_USE_HW_BP GATE_GUESTDBG_USE_HW_BP
#endif
/* arch/powerpc/include/asm/kvm_ppc.h */
#define RESUME_FLAG_NV (1 << 0)
#define RESUME_FLAG_HOST (1 << 1)
#define RESUME_GUEST 0
#define RESUME_GUEST_NV RESUME_FLAG_NV
#define RESUME_HOST RESUME_FLAG_HOST
/* arch/powerpc/include/asm/kvm_asm.h: a tree defines them (gate_defs.h); a patch alone may not */
#ifndef BOOKE_INTERRUPT_CRITICAL
#define BOOKE_INTERRUPT_CRITICAL 0
#endif
#ifndef BOOKE_INTERRUPT_MACHINE_CHECK
#define BOOKE_INTERRUPT_MACHINE_CHECK 1
#endif
#ifndef BOOKE_INTERRUPT_EXTERNAL
#define BOOKE_INTERRUPT_EXTERNAL 4
#endif
#ifndef BOOKE_INTERRUPT_DECREMENTER
#define BOOKE_INTERRUPT_DECREMENTER 10
#endif
#ifndef BOOKE_INTERRUPT_WATCHDOG
#define BOOKE_INTERRUPT_WATCHDOG 12
#endif
#ifndef BOOKE_INTERRUPT_PROGRAM
#define BOOKE_INTERRUPT_PROGRAM 6
#endif
#ifndef BOOKE_INTERRUPT_DEBUG
#define BOOKE_INTERRUPT_DEBUG 15
#endif
#ifndef BOOKE_INTERRUPT_PERFORMANCE_MONITOR
#define BOOKE_INTERRUPT_PERFORMANCE_MONITOR 35
#endif
#ifndef BOOKE_IRQPRIO_PROGRAM
#define BOOKE_IRQPRIO_PROGRAM 6
#endif
#ifndef BOOKE_IRQPRIO_DEBUG
#define BOOKE_IRQPRIO_DEBUG 15
#endif

struct kvmppc_vcpu_arch_shared {
	u64 msr;
};
struct pt_regs {
	ulong nip;
	ulong msr;
};

#endif
