/* Shim profile for Linux 6.1-era code: struct debug_reg in thread.debug, vcpu->arch.dbg_reg,
 * DBSR saved in kvmppc_restart_interrupt, kvm_guest_protect_msr (kernel-notes.md section 2).
 * Split by role, as tools/testing/vma does: copied kernel layouts, no-op stubs, test hooks. */
#ifndef BOOKEDBG_PROFILE_V61_H
#define BOOKEDBG_PROFILE_V61_H

#include "v61_layout.h"
#include "v61_stubs.h"
#include "v61_hooks.h"

#endif
