/* Shim profile for the 2013 v3 patch (Linux 3.9 era): debug registers live directly in
 * thread_struct (thread.dbcr0, thread.iac1, ...), switch_booke_debug_regs takes a thread_struct,
 * the vCPU keeps a KVM-private kvmppc_booke_debug_reg with arrays, the guest PC is vcpu->arch.pc,
 * kvmppc_handle_debug takes (run, vcpu), and the generic ioctl code wraps every vCPU ioctl in
 * vcpu_load/vcpu_put (kernel-notes.md sections 1.1, 1.2, 3). Split by role, as tools/testing/vma
 * does: copied kernel layouts, no-op stubs, test hooks. */
#ifndef BOOKEDBG_PROFILE_V3_H
#define BOOKEDBG_PROFILE_V3_H

#include "v3_layout.h"
#include "v3_stubs.h"
#include "v3_hooks.h"

#endif
