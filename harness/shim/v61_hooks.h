/* 6.1 profile, test hooks: where the extracted code calls into parts the world plays
 * (profile_v61.c, glue_common.c, gate_world.c): the current task, vcpu_load/vcpu_put, queueing the
 * guest's program interrupt, the guest's execution, the exit path's interrupt enable (a
 * preemption point), the instruction word an exit fetches and the one instruction emulate.c is
 * asked about. */
#ifndef BOOKEDBG_V61_HOOKS_H
#define BOOKEDBG_V61_HOOKS_H

struct task_struct *gate_current(void);
#define current (gate_current())

void vcpu_load(struct kvm_vcpu *vcpu);
void vcpu_put(struct kvm_vcpu *vcpu);
void kvmppc_core_queue_program(struct kvm_vcpu *vcpu, ulong esr);
#define __kvmppc_vcpu_run(vcpu) world_guest_run()
void gate_irq_enable(void);
#define local_irq_enable() gate_irq_enable()
#define BUG() gate_bug("BUG()", __FILE__, __LINE__)
/* the exit path's tail before re-entry: it may reschedule (a preemption point); no signal is
 * pending */
#define kvmppc_prepare_to_enter(v) ((void)(v), world_preempt_point("resume"), 1)
int kvmppc_get_last_inst(struct kvm_vcpu *vcpu, enum instruction_fetch_type type, u32 *inst);
/* emulate.c, for the instructions the world routes through emulation_exit: a trap (tw/twi) queues
 * the guest's program interrupt, anything else (a software breakpoint's opcode) is not emulated */
enum emulation_result kvmppc_emulate_instruction(struct kvm_vcpu *vcpu);

#endif
