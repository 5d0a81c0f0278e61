/* Glue for the 6.1 profile, compiled after the extracted code in the same translation unit. It
 * plays the kernel parts that are not under test, as 6.1 does them (kernel-notes.md section 2):
 * generic vcpu_load/vcpu_put, e500mc's MSRP/EPCR load, __switch_to, and the exit path up to
 * kvmppc_handle_debug. */
#define GATE_THREAD_DEBUG(t) (&gate_tasks[t].thread.debug)
#define GATE_VCPU_DEBUG gate_vcpu.arch.dbg_reg
#include "glue_common.c"
static struct mm_struct gate_mm;

/* e500.c / e500mc.c: the ONE_REG ids booke.c leaves to the subarch end in
 * kvmppc_get_one_reg_e500_tlb / kvmppc_set_one_reg_e500_tlb, whose default is -EINVAL (none of
 * them is a debug register) */
static int gate_subarch_one_reg(struct kvm_vcpu *vcpu, u64 id, union kvmppc_one_reg *val)
{
	(void)vcpu; (void)id; (void)val;
	return -EINVAL;
}
static const struct kvmppc_ops gate_ops = { gate_subarch_one_reg, gate_subarch_one_reg };
static struct kvm gate_kvm = { &gate_mm, { &gate_ops } };

const char *glue_profile(void) { return "6.1"; }

static void arch_vcpu_load(struct kvm_vcpu *vcpu)
{
	kvmppc_booke_vcpu_load(vcpu, 0);
#ifdef CONFIG_KVM_BOOKE_HV
	/* e500mc.c kvmppc_core_vcpu_load_e500mc: EPCR and MSRP reach hardware only here */
	mtspr(SPRN_EPCR, vcpu->arch.shadow_epcr);
	mtspr(SPRN_MSRP, vcpu->arch.shadow_msrp);
#endif
}

void vcpu_load(struct kvm_vcpu *vcpu)
{
	gate_loads++;
	arch_vcpu_load(vcpu);
	/* the ioctl body after vcpu_load runs preemptible (the world fires this inside an ioctl) */
	world_preempt_point("ioctl");
}

void vcpu_put(struct kvm_vcpu *vcpu)
{
	gate_loads--;
	kvmppc_booke_vcpu_put(vcpu);
}

void kvmppc_core_queue_program(struct kvm_vcpu *vcpu, ulong esr)
{
	vcpu->arch.queued_esr = (u32)esr;
	kvmppc_booke_queue_irqprio(vcpu, BOOKE_IRQPRIO_PROGRAM);
}

int glue_init(void)
{
	gate_reset_common();
	gate_vcpu.run = &gate_run_area;
	gate_vcpu.kvm = &gate_kvm;
	gate_vcpu.arch.sane = 1;
#ifdef CONFIG_KVM_BOOKE_HV
	/* e500mc.c kvmppc_core_vcpu_setup: DUVD keeps events out of the hypervisor; the guest owns
	 * MSR[DE] (no DEP) until userspace debugs */
	gate_vcpu.arch.shadow_epcr = EPCR_DSIGS | EPCR_DGTMI | EPCR_DUVD;
	gate_vcpu.arch.shadow_msrp = MSRP_UCLEP | MSRP_PMMP;
#endif
	/* booke.c kvmppc_core_vcpu_create order: set_msr(0), then the PR shadow MSR */
	kvmppc_set_msr(&gate_vcpu, 0);
#ifndef CONFIG_KVM_BOOKE_HV
	gate_vcpu.arch.shadow_msr = MSR_USER | MSR_IS | MSR_DS;
	gate_vcpu.arch.shared->msr = 0;
#endif
	kvmppc_subarch_vcpu_init(&gate_vcpu);
	return 0;
}

int glue_set_guest_debug(uint32_t control, const struct gate_bp *bp, int n)
{
	struct kvm_guest_debug dbg;
	gate_pack(control, bp, n, &dbg);
	return kvm_arch_vcpu_ioctl_set_guest_debug(&gate_vcpu, &dbg);
}

int glue_run(void)
{
	/* kvm_arch_vcpu_ioctl_run: vcpu_load ... kvmppc_vcpu_run ... vcpu_put */
	vcpu_load(&gate_vcpu);
	gate_run_area.exit_reason = 0;
	/* kvmppc_vcpu_run runs preemptible until kvmppc_prepare_to_enter disables interrupts */
	world_preempt_point("entry");
	int r = gate_vcpu_run(&gate_vcpu);
	world_preempt_point("after-run");
	vcpu_put(&gate_vcpu);
	return r;
}


void glue_exit_save(uint32_t guest_pc, uint32_t guest_msr)
{
	/* the exit asm saves the guest PC; HV: the guest MSR is the real one, MSR[GS] included, as
	 * kvmppc_set_msr keeps it (PR keeps the guest's MSR in memory: the hardware one is the
	 * shadow) */
	gate_vcpu.arch.regs.nip = guest_pc;
#ifdef CONFIG_KVM_BOOKE_HV
	gate_vcpu.arch.shared->msr = guest_msr;
#else
	(void)guest_msr;
#endif
}

/* The exit path: the tree's own kvmppc_handle_exit, compiled with its debug and program cases. The
 * first time it enables interrupts the vCPU thread may be preempted ("exit"). */
static int gate_in_exit;
static u32 gate_inst;             /* the instruction word the exit fetches (kvmppc_get_last_inst) */

void gate_irq_enable(void)
{
	if (gate_in_exit) {
		gate_in_exit = 0;
		world_preempt_point("exit");
	}
}

int kvmppc_get_last_inst(struct kvm_vcpu *vcpu, enum instruction_fetch_type type, u32 *inst)
{
	(void)type;
	vcpu->arch.last_inst = gate_inst;
	*inst = gate_inst;
	return EMULATE_DONE;
}

static int gate_exit(unsigned exit_nr, uint32_t guest_pc, uint32_t guest_msr, uint32_t inst)
{
	glue_exit_save(guest_pc, guest_msr);
	gate_inst = inst;
	gate_in_exit = 1;
	int r = kvmppc_handle_exit(&gate_vcpu, exit_nr);
	gate_in_exit = 0;
	return r & RESUME_FLAG_HOST ? RESUME_HOST : RESUME_GUEST;
}

int glue_exit_debug(uint32_t guest_pc, uint32_t guest_msr)
{
	return gate_exit(BOOKE_INTERRUPT_DEBUG, guest_pc, guest_msr, 0);
}

/* tw (primary 31, extended 4) or twi (primary 3) */
static int gate_is_trap(u32 inst)
{
	return (inst >> 26) == 3 || ((inst >> 26) == 31 && ((inst >> 1) & 0x3FF) == 4);
}

enum emulation_result kvmppc_emulate_instruction(struct kvm_vcpu *vcpu)
{
	u32 inst;
	kvmppc_get_last_inst(vcpu, INST_GENERIC, &inst);     /* as emulate.c starts */
	if (!gate_is_trap(inst))
		return EMULATE_FAIL;
	/* emulate.c OP_TRAP / OP_31_XOP_TRAP on a 32-bit host: the guest's trap, nip unchanged */
	kvmppc_core_queue_program(vcpu, ESR_PTR);
	return EMULATE_DONE;
}

int glue_exit_program(uint32_t guest_pc, uint32_t guest_msr, uint32_t inst)
{
	/* the hardware's ESR: a trap, or an illegal instruction */
	gate_vcpu.arch.fault_esr = gate_is_trap(inst) ? ESR_PTR : ESR_PIL;
	return gate_exit(BOOKE_INTERRUPT_PROGRAM, guest_pc, guest_msr, inst);
}







static void gate_put(void) { vcpu_put(&gate_vcpu); }
static void gate_load(void) { vcpu_load(&gate_vcpu); }


void glue_poke_vcpu_dbcr4(uint32_t v) { (void)v; /* 6.1 keeps no DBCR4 for the vCPU */ }

int glue_decode(uint32_t dbsr, uint32_t guest_debug, uint32_t guest_msr, uint32_t guest_dbcr0,
		uint32_t nip, uint32_t *status, uint64_t *address, int *queued)
{
	gate_vcpu.guest_debug = guest_debug;
	gate_vcpu.arch.shared->msr = guest_msr;
	gate_vcpu.arch.dbg_reg.dbcr0 = guest_dbcr0;
	gate_vcpu.arch.regs.nip = nip;
	gate_vcpu.arch.pending_exceptions = 0;
	gate_run_area.debug.arch.status = 0;
	gate_run_area.debug.arch.address = 0;
	mtspr(SPRN_DBSR, 0xFFFFFFFFu);
	hw_set_dbsr(dbsr);
	kvmppc_restart_interrupt(&gate_vcpu, BOOKE_INTERRUPT_DEBUG);
	int r = kvmppc_handle_debug(&gate_vcpu);
	*status = gate_run_area.debug.arch.status;
	*address = gate_run_area.debug.arch.address;
	*queued = (int)(gate_vcpu.arch.pending_exceptions & ((1ul << BOOKE_IRQPRIO_DEBUG) |
							      (1ul << BOOKE_IRQPRIO_PROGRAM)));
	return r;
}

void glue_vcpu_ctx(struct gate_ctx *c)
{
	const struct debug_reg *d = &gate_vcpu.arch.dbg_reg;
	c->dbcr0 = d->dbcr0; c->dbcr1 = d->dbcr1; c->dbcr2 = d->dbcr2;
	c->iac1 = (u32)d->iac1; c->iac2 = (u32)d->iac2; c->dac1 = (u32)d->dac1; c->dac2 = (u32)d->dac2;
}

/* ---- the guest's own debugger (6.1 does these in parts not under test; as 6.1 does them) ---- */
int glue_models_guest_debug(void) { return 1; }
/* PR: the shadow MSR copies the guest's DE (booke.c kvmppc_vcpu_sync_debug); HV: the guest's own
 * MSR[DE] is the hardware's unless MSRP[DEP] is set (booke.c kvm_guest_protect_msr) */
const char *glue_guest_de_keeper(void)
{
#ifdef CONFIG_KVM_BOOKE_HV
	return "kvm_guest_protect_msr";
#else
	return "kvmppc_vcpu_sync_debug";
#endif
}

/* kvmppc_emulate_instruction -> kvmppc_emulate_mtspr -> kvmppc_core_emulate_mtspr_e500 ->
 * kvmppc_booke_emulate_mtspr: the debug cases are the extracted code. */
int glue_emulate_mtspr(int sprn, uint32_t v)
{
	return kvmppc_booke_emulate_mtspr(&gate_vcpu, sprn, v) == EMULATE_DONE ? 0 : -1;
}

int glue_emulate_mfspr(int sprn, uint32_t *v)
{
	ulong x = 0;
	int r = kvmppc_booke_emulate_mfspr(&gate_vcpu, sprn, &x);
	*v = (uint32_t)x;
	return r == EMULATE_DONE ? 0 : -1;
}

/* kvmppc_core_prepare_to_enter -> kvmppc_core_check_exceptions -> kvmppc_booke_irqprio_deliver,
 * the debug priority: allowed when the guest's MSR[DE] (the guest is never in a critical section
 * here); the save pair is DSRR with CPU_FTR_DEBUG_LVL_EXC (e500mc), else CSRR; MSR &= ME through
 * kvmppc_set_msr; the priority is dequeued (debug is not a keep_irq priority). */
int glue_deliver_debug(uint32_t *srr0, uint32_t *srr1)
{
	struct kvm_vcpu *vcpu = &gate_vcpu;
	if (!(vcpu->arch.pending_exceptions & (1ul << BOOKE_IRQPRIO_DEBUG)) ||
	    !(vcpu->arch.shared->msr & MSR_DE))
		return 0;
	*srr0 = (uint32_t)vcpu->arch.regs.nip;
	*srr1 = (uint32_t)vcpu->arch.shared->msr;
	vcpu->arch.gate_dsrr0 = *srr0;
	vcpu->arch.gate_dsrr1 = *srr1;
	kvmppc_set_msr(vcpu, (u32)vcpu->arch.shared->msr & MSR_ME);
	clear_bit(BOOKE_IRQPRIO_DEBUG, &vcpu->arch.pending_exceptions);
	return 1;
}

/* booke_emulate.c kvmppc_emul_rfdi / rfci: nip from the save pair, kvmppc_set_msr(the MSR). */
void glue_guest_return(uint32_t srr0, uint32_t srr1)
{
	gate_vcpu.arch.regs.nip = srr0;
	kvmppc_set_msr(&gate_vcpu, srr1);
}

uint32_t glue_vcpu_dbsr(void) { return gate_vcpu.arch.dbsr; }

/* The uapi ids of GATE_ONE_REGS, as the tree under test defines them (0: it does not). */
#ifndef KVM_REG_PPC_IAC1
#define KVM_REG_PPC_IAC1 0
#endif
#ifndef KVM_REG_PPC_IAC2
#define KVM_REG_PPC_IAC2 0
#endif
#ifndef KVM_REG_PPC_IAC3
#define KVM_REG_PPC_IAC3 0
#endif
#ifndef KVM_REG_PPC_IAC4
#define KVM_REG_PPC_IAC4 0
#endif
#ifndef KVM_REG_PPC_DAC1
#define KVM_REG_PPC_DAC1 0
#endif
#ifndef KVM_REG_PPC_DAC2
#define KVM_REG_PPC_DAC2 0
#endif
#ifndef KVM_REG_PPC_DBSR
#define KVM_REG_PPC_DBSR 0
#endif
#ifndef KVM_REG_PPC_DEBUG_INST
#define KVM_REG_PPC_DEBUG_INST 0
#endif

/* QEMU reads the software-breakpoint instruction once per vCPU (KVM_GET_ONE_REG of
 * KVM_REG_PPC_DEBUG_INST) and writes it over the guest instruction gdb breaks on. */
int glue_debug_inst(uint32_t *inst)
{
	union kvmppc_one_reg val;
	if (!KVM_REG_PPC_DEBUG_INST)
		return GATE_ONE_REG_UNDEFINED;
	val.dval = 0;
	vcpu_load(&gate_vcpu);
	int r = kvmppc_get_one_reg(&gate_vcpu, KVM_REG_PPC_DEBUG_INST, &val);
	vcpu_put(&gate_vcpu);
	if (!r)
		*inst = gate_one_reg_size(KVM_REG_PPC_DEBUG_INST) == 4 ? val.wval : (u32)val.dval;
	return r;
}

static const u64 gate_one_reg_id[] = { KVM_REG_PPC_IAC1, KVM_REG_PPC_IAC2, KVM_REG_PPC_IAC3,
	KVM_REG_PPC_IAC4, KVM_REG_PPC_DAC1, KVM_REG_PPC_DAC2, KVM_REG_PPC_DBSR };

/* KVM_GET_ONE_REG / KVM_SET_ONE_REG: kvm_vcpu_ioctl_get/set_one_reg (powerpc.c) checks the size
 * the id encodes, then calls kvmppc_get/set_one_reg under vcpu_load */
int glue_one_reg(int set, int which, uint64_t *v)
{
	union kvmppc_one_reg val;
	u64 id = gate_one_reg_id[which];
	if (!id)
		return GATE_ONE_REG_UNDEFINED;
	val.dval = 0;
	if (gate_one_reg_size(id) > sizeof val)
		return -EINVAL;
	if (set && gate_one_reg_size(id) == 4)
		val.wval = (u32)*v;
	else if (set)
		val.dval = *v;
	vcpu_load(&gate_vcpu);
	int r = set ? kvmppc_set_one_reg(&gate_vcpu, id, &val) : kvmppc_get_one_reg(&gate_vcpu, id, &val);
	vcpu_put(&gate_vcpu);
	if (!set && !r)
		*v = gate_one_reg_size(id) == 4 ? val.wval : val.dval;
	return r;
}
