/* The --explain narration: each rule the model applies, in plain words, with its source. */
#include <stdio.h>
#include <string.h>

#include "dbg_explain.h"
#include "dbg_rules.h"

static const char *const mode_names[4] = { "exact", "address-bit-mask", "inclusive range",
	"exclusive range" };

static const char *const slip_names[] = { "", "only two instructions complete per cycle",
	"the older instruction is refetch-serialized or changes MSR[DE]/a debug register, so CQ1 is "
	"invalid in its cycle", "at most one store completes per cycle", "the debug interrupt entry "
	"takes DEBUG_INT_ENTRY_CYCLES" };

/* Where each rule is written down: the section of docs/booke-debug.md and its primary sources
 * (keys in that page's legend). Printed after the rule's text as [docs/booke-debug.md#SECTION; ...]. */
static const char *const rule_cite[R_COUNT] = {
	[R_PENDING_FIRST] = "pending; E5 5.11.1, E5 8.2.3",
	[R_IAC_HIT] = "iac; E5 8.4.1, E5 8.2.4, RB DBCR1, 440 p222-223",
	[R_TRAP_HIT] = "trap; E5 8.4.3",
	[R_RECORD] = "record; E5 p8-7",
	[R_IDE] = "record; E5 p8-7, E5 Table 8-2",
	[R_NOT_DE0] = "record; E5 8.4.4, E5 8.4.5",
	[R_IDM0_DROP] = "record; E5 8.4.3, E5 Table 5-6, A2R xuq_cpl.vhdl, 440 8.2.4",
	[R_MULTI_DROP] = "record; E5 5.11, A2R xuq_cpl.vhdl, TZT gdebug.c",
	[R_DUVD] = "hypervisor; RB EPCR_DUVD, A2R xuq_cpl.vhdl, KM kvmppc_core_vcpu_setup, TZ configure_tlb_mgt",
	[R_SUPPRESS] = "priority; E5 8.2.3, E5 Table 8-2",
	[R_DEBUG_INT] = "delivery; E5 8.2.3, E5 8.4.6, H85 __setup_e500_ivors, H85 __setup_e500mc_ivors, HB DEBUG_DEBUG_EXCEPTION, KB kvmppc_booke_irqprio_deliver, 405 Table 10-24",
	[R_HALT] = "edm; 440 8.2",
	[R_TRAP_PROGRAM] = "trap; E5 8.4.3, KB kvmppc_handle_debug, A2R xuq_cpl.vhdl, 405 p9-190",
	[R_FAULT_FIRST] = "priority; E5 5.11.1",
	[R_DATA_FAULT_WINS] = "priority; E5 5.11, E5 5.11.1",
	[R_DAC_HIT] = "dac; E5 8.4.2, E5 8.4.2.1, ISA p617, 440 p226",
	[R_BRT] = "brt; E5 8.4.4, TR DebugException",
	[R_ICMP] = "icmp; E5 8.4.5",
	[R_ICMP_DEFER] = "icmp; E5 8.4.5, 440 p198",
	[R_RET_TARGET] = "ret; E5 8.4.7 p8-14, E5 Table 8-2",
	[R_RET_SUPPRESS] = "ret; ISA 8.4.7, A2R xuq_cpl.vhdl",
	[R_IRPT] = "irpt; E5 8.4.6",
	[R_CIRPT] = "irpt; RB DBCR0_CIRPT, E5 Table 5-6",
	[R_UDE] = "ude; E5 8.4.8, E5 5.11.1",
	[R_INT_NONCRIT] = "interrupts; E5 Tables 5-18 to 5-20, PR prime_debug_regs, HB DEBUG_CRIT_EXCEPTION, KB kvmppc_booke_irqprio_deliver",
	[R_INT_CRIT] = "interrupts; E5 8.4.6, KB kvmppc_booke_irqprio_deliver",
	[R_INT_MCHK] = "interrupts; A2R xuq_spr_tspr.vhdl",
	[R_LEVEL] = "pending; E5 8.2.3, E5 p8-7, 440 p244, E2",
	[R_WINDOW] = "spr-window; E2 2.12.3, 440 2.10.1, H85 abort",
	[R_CSI] = "spr-window; E2 2.12.3, 440 2.10.1, 440 p238",
	[R_W1C] = "dbsr; E5 Table 8-1, KE",
	[R_DBSRWR] = "dbsr; TZ core-regs.h, A2 A2_core.h, A2R xuq_spr_tspr.vhdl",
	[R_EDM_SW] = "edm; KE, TZ write_gspr, E2 36.11.2",
	[R_DEP] = "hypervisor; RB MSRP_DEP, A2R xuq_spr_tspr.vhdl, KB kvm_guest_protect_msr",
	[R_PRIV] = "priority; E5 5.11.1, RB ESR_PPR",
	[R_HVPRIV] = "hypervisor; TZ write_gspr, KE",
	[R_ILLEGAL] = "registers; E5 8.2.3, H85 __setup_e500_ivors, RB ESR_PIL",
	[R_SLIP] = "dual-completion; E5 4.3.3, E5 4.7.4",
	[R_SQUASH] = "dual-completion; E5 4.3.3, E5 4.7.4",
	[R_RESET] = "reset; H85 abort, RB DBSR_MRR, 440 p476",
	[R_UNIMPL] = "registers; E5 Table 8-1, E5 8.2.4, TZ core-regs.h, KC",
	[R_LEGALIZE] = "registers; RB, TZ core-regs.h, E5 Table 8-1",
	[R_IDLE] = "edm; 440 8.2",
	[R_TOUCH_NOOP] = "dac; E5 8.4.2.1",
	[R_RET_RFCI_DROP] = "ret; E5 8.2.4, E5 8.4.7",
};

static const char *format_text(const struct dbg_note *n, char *buf, unsigned len)
{
	char ev[96];
	if (!buf || !len)
		return "";
	if (!n) {
		snprintf(buf, len, "?");
		return buf;
	}
	const char *sr0 = n->c == DBG_E500MC ? "DSRR0" : "CSRR0";
	const char *sr1 = n->c == DBG_E500MC ? "DSRR1" : "CSRR1";
	switch ((enum dbg_rule)n->rule) {
	case R_PENDING_FIRST:
		snprintf(buf, len, "an event is still set in DBSR (0x%08X) with DBCR0[IDM]=1 and "
			 "MSR[DE]=1: the pending debug interrupt (priority 5) is taken before this "
			 "instruction, which does not execute", n->a);
		break;
	case R_IAC_HIT:
		snprintf(buf, len, "%s: the instruction address 0x%08X matches (%s compare, US/ER "
			 "qualifiers hold)", dbg_events_str(n->a, ev, sizeof ev),
			 n->b, mode_names[n->c & 3]);
		break;
	case R_TRAP_HIT:
		snprintf(buf, len, "TRAP: a trap whose condition holds, with DBCR0[TRAP]=1");
		break;
	case R_RECORD:
		snprintf(buf, len, "DBSR records %s; DBSR is now 0x%08X (sticky until written with 1s)",
			 dbg_events_str(n->a, ev, sizeof ev), n->b);
		break;
	case R_IDE:
		snprintf(buf, len, "MSR[DE]=0: the event is recorded with DBSR[IDE]=1 and no interrupt "
			 "now; it fires when DE becomes 1");
		break;
	case R_NOT_DE0:
		snprintf(buf, len, "%s is not recognized while MSR[DE]=0 (nothing recorded, no IDE)",
			 dbg_events_str(n->a, ev, sizeof ev));
		break;
	case R_IDM0_DROP:
		snprintf(buf, len, "DBCR0[IDM]=0: %s not recorded; only TRAP occurs regardless of IDM "
			 "(option DBSR_RECORD_WHEN_IDM0=NONE_EXCEPT_TRAP)",
			 dbg_events_str(n->a, ev, sizeof ev));
		break;
	case R_MULTI_DROP:
		snprintf(buf, len, "%s of this instruction is not recorded: only the highest-priority "
			 "group is (option DBSR_MULTI_EVENT=HIGHEST_GROUP)",
			 dbg_events_str(n->a, ev, sizeof ev));
		break;
	case R_DUVD:
		snprintf(buf, len, "EPCR[DUVD]=1 in hypervisor state: debug events are disabled "
			 "(option DUVD_SCOPE)");
		break;
	case R_SUPPRESS:
		snprintf(buf, len, "MSR[DE]=1 and DBCR0[IDM]=1: the instruction is suppressed and the "
			 "debug interrupt is taken at once");
		break;
	case R_DEBUG_INT:
		snprintf(buf, len, "debug interrupt: %s=0x%08X, %s=old MSR, MSR keeps only ME, "
			 "continue at IVPR|IVOR15 = 0x%08X", sr0, n->a, sr1, n->b);
		break;
	case R_HALT:
		snprintf(buf, len, "DBCR0[EDM]=1: the event halts the core for the external debugger "
			 "(EDM takes precedence over IDM); it resumes at 0x%08X",
			 n->a);
		break;
	case R_TRAP_PROGRAM:
		snprintf(buf, len, "the trap is not taken as a debug interrupt (MSR[DE]=0, IDM=0 or "
			 "DBCR0[TRAP]=0): Program interrupt with ESR[PTR]");
		break;
	case R_FAULT_FIRST:
		snprintf(buf, len, "the instruction takes a %s exception; IAC and TRAP would have "
			 "outranked it, lower debug events are not recognized",
			 dbg_irq_name((enum dbg_irq_kind)n->a));
		break;
	case R_DATA_FAULT_WINS:
		snprintf(buf, len, "the access takes a %s exception, which outranks DAC (priority 12-14 "
			 "over 18): no DAC is recorded",
			 dbg_irq_name((enum dbg_irq_kind)n->a));
		break;
	case R_DAC_HIT:
		snprintf(buf, len, "%s: the access of %u byte(s) at 0x%08X matches", dbg_events_str(n->a, ev, sizeof ev), n->c, n->b);
		break;
	case R_BRT:
		snprintf(buf, len, "BRT: a taken branch with DBCR0[BRT]=1 and MSR[DE]=1; Book E stops on "
			 "the branch itself, before it executes");
		break;
	case R_ICMP:
		snprintf(buf, len, "ICMP: the instruction completed with DBCR0[ICMP]=1 and MSR[DE]=1; "
			 "the saved PC will be the next instruction");
		break;
	case R_ICMP_DEFER:
		snprintf(buf, len, "ICMP: recorded because MSR[DE] was 1 when the instruction executed; "
			 "it cleared DE, so the interrupt waits (option ICMP_WHEN_INSN_CLEARS_DE)"
			 );
		break;
	case R_RET_TARGET:
		snprintf(buf, len, "RET: the rfi executes (e500: the rule looks at the MSR after the rfi) "
			 "and the saved PC will be its target (option RET_SAVED_PC=RETURN_TARGET)"
			 );
		break;
	case R_RET_SUPPRESS:
		snprintf(buf, len, "RET: the rfi is attempted with DBCR0[RET]=1; ISA behaviour: it is "
			 "suppressed, saved PC = the rfi (option RET_SAVED_PC=RFI_ADDRESS)");
		break;
	case R_IRPT:
		snprintf(buf, len, "IRPT: a non-critical interrupt with DBCR0[IRPT]=1; a debug interrupt "
			 "now saves its vector 0x%08X, no handler instruction runs", n->a);
		break;
	case R_CIRPT:
		snprintf(buf, len, "CIRPT: a critical interrupt with DBCR0[CIRPT]=1 (option "
			 "HAS_CIRPT_CRET)");
		break;
	case R_UDE:
		snprintf(buf, len, "UDE: the unconditional debug event input; no enable bit, saved PC = "
			 "the next instruction");
		break;
	case R_INT_NONCRIT:
		snprintf(buf, len, "%s interrupt (non-critical): SRR0=0x%08X, SRR1=old MSR, MSR keeps "
			 "CE, ME and DE, continue at 0x%08X",
			 dbg_irq_name((enum dbg_irq_kind)n->a), n->b, n->c);
		break;
	case R_INT_CRIT:
		snprintf(buf, len, "%s interrupt (critical class): CSRR0=0x%08X, CSRR1=old MSR, MSR keeps "
			 "ME (DE cleared), continue at 0x%08X",
			 dbg_irq_name((enum dbg_irq_kind)n->a), n->b, n->c);
		break;
	case R_INT_MCHK:
		snprintf(buf, len, "machine-check interrupt: MCSRR0=0x%08X, MSR cleared, continue at "
			 "0x%08X", n->a, n->b);
		break;
	case R_LEVEL:
		snprintf(buf, len, "level-sensitive: DBCR0[IDM]=1, MSR[DE]=1 and DBSR=0x%08X holds an "
			 "event, so the debug interrupt is taken at this boundary; saved PC 0x%08X",
			 n->b, n->a);
		break;
	case R_WINDOW:
		snprintf(buf, len, "the write to %s reaches the comparators at the next context-"
			 "synchronizing event (option DEBUG_SPR_WINDOW=NEW_AT_CSI)", dbg_reg_name((enum dbg_reg_id)n->a));
		break;
	case R_CSI:
		snprintf(buf, len, "context synchronization: the comparators now use the new debug "
			 "register values");
		break;
	case R_W1C:
		snprintf(buf, len, "mtspr DBSR is write-1-to-clear: DBSR 0x%08X -> 0x%08X", n->a, n->b);
		break;
	case R_DBSRWR:
		snprintf(buf, len, "mtspr DBSRWR writes DBSR directly (option DBSRWR_MODE): 0x%08X -> "
			 "0x%08X", n->a, n->b);
		break;
	case R_EDM_SW:
		snprintf(buf, len, "software cannot change DBCR0[EDM]; the bit keeps its value");
		break;
	case R_DEP:
		snprintf(buf, len, "MSRP[DEP]=1 in guest state: the write to MSR[DE] is ignored");
		break;
	case R_PRIV:
		snprintf(buf, len, "privileged instruction with MSR[PR]=1: Program interrupt (ESR[PPR])");
		break;
	case R_HVPRIV:
		snprintf(buf, len, "guest state (MSR[GS]=1) touches a hypervisor resource: the "
			 "hypervisor privilege interrupt is taken");
		break;
	case R_ILLEGAL:
		snprintf(buf, len, "%s does not exist on this core: illegal instruction, Program "
			 "interrupt (ESR[PIL])", dbg_insn_name((enum dbg_insn_kind)n->a));
		break;
	case R_SLIP:
		snprintf(buf, len, "completes in cycle %u instead: %s", n->a,
			 n->b < sizeof slip_names / sizeof slip_names[0] ? slip_names[n->b] : "?");
		break;
	case R_SQUASH:
		snprintf(buf, len, "squashed: the older instruction of its completion pair took an "
			 "interrupt, which flushes everything younger");
		break;
	case R_RESET:
		snprintf(buf, len, "DBCR0[RST]=%u requests a reset; DBSR[MRR] records it (option "
			 "RST_ENCODING)", n->a);
		break;
	case R_UNIMPL:
		snprintf(buf, len, "%s is not implemented on this core: it reads 0 and ignores writes",
			 (int)n->a >= 0 && n->a < DBG_REG_COUNT ?
			 dbg_reg_desc[n->a].name : "this SPR");
		break;
	case R_LEGALIZE:
		snprintf(buf, len, "%s keeps 0x%08X of 0x%08X: the other bits are reserved or "
			 "unimplemented and read 0", dbg_reg_name((enum dbg_reg_id)n->a), n->c, n->b);
		break;
	case R_IDLE:
		snprintf(buf, len, "the core is halted for the external debugger: nothing is attempted "
			 "until a `set` resumes it");
		break;
	case R_RET_RFCI_DROP:
		snprintf(buf, len, "RET is not recorded for rfci (option RET_ON_RFCI)");
		break;
	case R_TOUCH_NOOP:
		snprintf(buf, len, "a touch instruction meets a %s condition: it becomes a no-op instead "
			 "of interrupting, and DAC still compares its address",
			 dbg_irq_name((enum dbg_irq_kind)n->a));
		break;
	default:
		snprintf(buf, len, "?");
		break;
	}
	return buf;
}

const char *dbg_rule_format(const struct dbg_note *n, char *buf, unsigned len)
{
	if (!buf || !len)
		return "";
	format_text(n, buf, len);
	if (!n || n->rule >= R_COUNT)
		return buf;
	size_t used = strlen(buf);
	const char *c = rule_cite[n->rule];
	const char *semi = strchr(c, ';');
	if (semi)
		snprintf(buf + used, len - used, "  [docs/booke-debug.md#%.*s;%s]", (int)(semi - c), c, semi + 1);
	else
		snprintf(buf + used, len - used, "  [docs/booke-debug.md#%s]", c);
	return buf;
}
