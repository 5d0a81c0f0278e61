/* The narrow interface between the kernel side of a gate harness (extracted kernel code + shims,
 * one translation unit per kernel version and configuration) and the world around it (the model,
 * the scripted guest, QEMU, the oracle: gate_world.c). Plain C types only, so the kernel side never
 * sees the model's headers and the model never sees kernel names. */
#ifndef BOOKEDBG_GATE_GLUE_H
#define BOOKEDBG_GATE_GLUE_H

#include <stdint.h>

/* Host threads: 0 is the vCPU thread (QEMU's), the others run when it is preempted. */
#define GATE_THREADS 3

/* One debug register context, as a host thread or the vCPU holds it. */
struct gate_ctx {
	uint32_t dbcr0, dbcr1, dbcr2, iac1, iac2, dac1, dac2;
};

struct gate_bp {
	uint64_t addr;
	uint32_t type;
};

/* Implemented by the kernel side (harness/shim/profile_*.c around the extracted code). */
int glue_init(void);                       /* create the vCPU; returns 0 */
int glue_set_guest_debug(uint32_t control, const struct gate_bp *bp, int n);   /* the ioctl */
int glue_run(void);                        /* KVM_RUN up to its return; returns its result */
void glue_exit_info(uint32_t *exit_reason, uint32_t *status, uint64_t *address);
int glue_exit_debug(uint32_t guest_pc, uint32_t guest_msr);   /* exit path: RESUME_HOST/GUEST */
/* exit path of an illegal instruction word inst (a software breakpoint QEMU wrote) */
int glue_exit_program(uint32_t guest_pc, uint32_t guest_msr, uint32_t inst);
int glue_take_program(void);               /* a program interrupt queued for the guest: 1, taken */
int glue_debug_inst(uint32_t *inst);       /* KVM_GET_ONE_REG(KVM_REG_PPC_DEBUG_INST), as QEMU */
void glue_exit_save(uint32_t guest_pc, uint32_t guest_msr);   /* what the exit asm saves */
uint32_t glue_guest_hw_msr(void);          /* the MSR the guest runs with in hardware */
void glue_guest_set_msr(uint32_t msr);     /* KVM emulates a guest MSR write (PR: mtmsr/rfi) */
void glue_set_regs(void);                  /* KVM_SET_REGS with the MSR userspace read back */
uint32_t glue_guest_msr(void);             /* the guest-visible MSR */
void glue_set_thread_ctx(int thread, const struct gate_ctx *c);
void glue_get_thread_ctx(int thread, struct gate_ctx *c);
void glue_switch_to(int thread);           /* __switch_to: the scheduler runs 'thread' */
int glue_current_thread(void);             /* the thread the scheduler runs */
void glue_sched_out(void);                 /* preempt notifier: vcpu_put */
void glue_sched_in(void);                  /* preempt notifier: vcpu_load */
int glue_load_balance(void);               /* vcpu_load minus vcpu_put since init */
unsigned glue_snapshot(unsigned char *buf, unsigned len);   /* vCPU debug state, for "unchanged" */
void glue_poke_vcpu_dbcr4(uint32_t v);     /* robustness: vCPU state no ioctl can produce */
const char *glue_profile(void);            /* "v3" or "6.1" */
/* Proof mode: call kvmppc_handle_debug directly with a DBSR value (hardware and saved copy). */
int glue_decode(uint32_t dbsr, uint32_t guest_debug, uint32_t guest_msr, uint32_t guest_dbcr0,
		uint32_t nip, uint32_t *status, uint64_t *address, int *queued);
void glue_vcpu_ctx(struct gate_ctx *c);    /* the vCPU's hardware debug context */
int glue_resume_host(void);                /* the RESUME_HOST value */
/* The guest's own debugger. Its debug SPR accesses trap and KVM emulates them (0: done, -1: not
 * emulated); KVM delivers a queued debug interrupt before the guest runs (1 and the save pair the
 * guest's handler sees, else 0); the handler returns with rfdi/rfci, which KVM emulates. */
int glue_emulate_mtspr(int sprn, uint32_t v);
int glue_emulate_mfspr(int sprn, uint32_t *v);
int glue_deliver_debug(uint32_t *srr0, uint32_t *srr1);
void glue_guest_return(uint32_t srr0, uint32_t srr1);
uint32_t glue_vcpu_dbsr(void);             /* the DBSR KVM keeps for the guest */
int glue_models_guest_debug(void);
const char *glue_guest_de_keeper(void);    /* the function that keeps the guest's MSR[DE] in hardware */         /* 0: the input has no emulation code to run */
/* KVM_GET_ONE_REG (set 0) / KVM_SET_ONE_REG (set 1) of the debug register GATE_ONE_REGS names at
 * index which; returns the ioctl's result, or GATE_ONE_REG_UNDEFINED when the input's uapi does
 * not define that id */
#define GATE_ONE_REGS "iac1", "iac2", "iac3", "iac4", "dac1", "dac2", "dbsr"
#define GATE_ONE_REG_UNDEFINED 1
int glue_one_reg(int set, int which, uint64_t *v);

/* Implemented by the world (gate_world.c). Writes carry the writer's source location (file, line):
 * for the extracted code that is the kernel file and line its #line directives name, which is how
 * a violation names the kernel statement that last wrote the wrong register. */
uint32_t hw_mfspr(int sprn);
void hw_mtspr(int sprn, uint32_t v, const char *file, int line);
uint32_t hw_mfmsr(void);
void hw_mtmsr(uint32_t v, const char *file, int line);
void hw_set_dbsr(uint32_t v);              /* back door: the hardware recorded these events */
int world_guest_run(void);                 /* __kvmppc_vcpu_run: run the scripted guest */
void world_preempt_point(const char *where);   /* the kernel allows preemption here */

#endif
