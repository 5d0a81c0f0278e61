/* Instruction classes: which instructions access data and how DAC sees them, which synchronize or
 * serialize, which are privileged. */
#include "dbg_core.h"

bool is_store(const struct dbg_insn *in)
{
	return in->kind == DBG_I_STORE || in->kind == DBG_I_STMW ||
	       (in->kind == DBG_I_STWCX && !(in->flags & DBG_INSN_FAIL));
}

/* Context-synchronizing instructions (#spr-window). */
bool is_csi(enum dbg_insn_kind k)
{
	return k == DBG_I_ISYNC || k == DBG_I_SC || k == DBG_I_RFI || k == DBG_I_RFCI ||
	       k == DBG_I_RFDI;
}

/* Instructions after which the second completion slot is invalid in the same cycle:
 * refetch-serialized ones and anything that changes MSR[DE] or a debug control register
 * (#dual-completion). */
bool serializes(enum dbg_insn_kind k)
{
	return is_csi(k) || k == DBG_I_MTMSR || k == DBG_I_MTSPR;
}

bool is_access(enum dbg_insn_kind k)
{
	return k >= DBG_I_LOAD && k <= DBG_I_DCBST;
}

bool is_block_op(enum dbg_insn_kind k)
{
	return k >= DBG_I_DCBT && k <= DBG_I_DCBST;
}

/* Cache touches: hints that never interrupt for a translation or storage condition (#dac). */
bool is_touch(enum dbg_insn_kind k)
{
	return k == DBG_I_DCBT || k == DBG_I_DCBTST || k == DBG_I_ICBT;
}

bool is_privileged(enum dbg_insn_kind k)
{
	return k == DBG_I_MTSPR || k == DBG_I_MFSPR || k == DBG_I_MTMSR || k == DBG_I_RFI ||
	       k == DBG_I_RFCI || k == DBG_I_RFDI;
}

bool is_return(enum dbg_insn_kind k)
{
	return k == DBG_I_RFI || k == DBG_I_RFCI || k == DBG_I_RFDI;
}

/* Guest-state instructions the hypervisor must see: debug SPR access, rfci, rfdi (#hypervisor). */
bool hv_only(enum dbg_insn_kind k)
{
	return k == DBG_I_MTSPR || k == DBG_I_MFSPR || k == DBG_I_RFCI || k == DBG_I_RFDI;
}

/* How DAC sees an instruction (#dac; options DAC_CACHEOP_CLASS, DAC_STWCX_FAILED_MATCHES,
 * DAC_DCBA_NOOP_MATCHES). */
enum dac_access dac_access(const struct dbg_unit *u, const struct dbg_insn *in)
{
	switch (in->kind) {
	case DBG_I_LOAD: case DBG_I_LMW: case DBG_I_LWARX:
	case DBG_I_DCBT: case DBG_I_DCBTST: case DBG_I_ICBT: case DBG_I_ICBI:
		return DAC_READ;
	case DBG_I_STORE: case DBG_I_STMW:
		return DAC_WRITE;
	case DBG_I_STWCX:
		return (in->flags & DBG_INSN_FAIL) && !u->opt.v[DBG_OPT_DAC_STWCX_FAILED_MATCHES] ?
			DAC_NONE : DAC_WRITE;
	case DBG_I_DCBA:
		if (u->opt.v[DBG_OPT_DAC_CACHEOP_CLASS] == DBG_CACHEOP_PPC440)
			return DAC_NONE;
		if ((in->flags & DBG_INSN_NOOP) && !u->opt.v[DBG_OPT_DAC_DCBA_NOOP_MATCHES])
			return DAC_NONE;
		return DAC_WRITE;
	case DBG_I_DCBZ: case DBG_I_DCBI: case DBG_I_DCBF: case DBG_I_DCBST:
		return DAC_WRITE;
	default:
		return DAC_NONE;
	}
}

enum dbg_irq_kind fault_irq(enum dbg_fault f)
{
	switch (f) {
	case DBG_F_ITLB: return DBG_IRQ_ITLB;
	case DBG_F_ISI: return DBG_IRQ_ISI;
	case DBG_F_PROGRAM: return DBG_IRQ_PROGRAM;
	case DBG_F_DTLB: return DBG_IRQ_DTLB;
	case DBG_F_DSI: return DBG_IRQ_DSI;
	case DBG_F_ALIGNMENT: return DBG_IRQ_ALIGNMENT;
	default: return DBG_IRQ_NONE;
	}
}
