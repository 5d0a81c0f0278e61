/* The uapi values the world and the scenario language use (include/uapi/linux/kvm.h,
 * asm-generic/errno-base.h), defined once: gate_world.c and gate_prove.c include this file,
 * shim/kernel.h falls back on it when the input does not define them, and gate_scenarios.py reads
 * it. The kernel side uses the input's own definitions wherever it has them. */
#ifndef BOOKEDBG_GATE_UAPI_H
#define BOOKEDBG_GATE_UAPI_H

#define GATE_EINVAL 22
#define GATE_GUESTDBG_ENABLE 0x00000001u
#define GATE_GUESTDBG_SINGLESTEP 0x00000002u
#define GATE_GUESTDBG_USE_SW_BP 0x00010000u
#define GATE_GUESTDBG_USE_HW_BP 0x00020000u
#define GATE_EXIT_UNKNOWN 0
#define GATE_EXIT_DEBUG 4

#endif
