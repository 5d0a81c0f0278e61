/* v3 profile, test hooks: the current task, and the guest's execution (with the preemption point
 * after it returns), played by the world. */
#ifndef BOOKEDBG_V3_HOOKS_H
#define BOOKEDBG_V3_HOOKS_H

struct task_struct *gate_current(void);
#define current (gate_current())
extern int gate_tmp_ret;
#define __kvmppc_vcpu_run(run, vcpu) \
	(gate_tmp_ret = world_guest_run(), world_preempt_point("post-run"), gate_tmp_ret)

#endif
