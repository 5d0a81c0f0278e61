/* The --explain narration: each rule the model applies, in plain words, with its source. */
#include <stdio.h>

#include "dbg_explain.h"
#include "dbg_rules.h"

static const char *const mode_names[4] = { "exact", "address-bit-mask", "inclusive range",
	"exclusive range" };

static const char *const slip_names[] = { "", "only two instructions complete per cycle",
	"the older instruction is refetch-serialized or changes MSR[DE]/a debug register, so CQ1 is "
	"invalid in its cycle", "at most one store completes per cycle", "the debug interrupt entry "
	"takes DEBUG_INT_ENTRY_CYCLES" };

const char *dbg_rule_format(const struct dbg_note *n, char *buf, unsigned len)
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
			 "instruction, which does not execute  [E5 5.11.1, 8.2.3]", n->a);
		break;
	case R_IAC_HIT:
		snprintf(buf, len, "%s: the instruction address 0x%08X matches (%s compare, US/ER "
			 "qualifiers hold)  [E5 8.4.1; facts 1.5]", dbg_events_str(n->a, ev, sizeof ev),
			 n->b, mode_names[n->c & 3]);
		break;
	case R_TRAP_HIT:
		snprintf(buf, len, "TRAP: a trap whose condition holds, with DBCR0[TRAP]=1  [E5 8.4.3]");
		break;
	case R_RECORD:
		snprintf(buf, len, "DBSR records %s; DBSR is now 0x%08X (sticky until written with 1s)  "
			 "[E5 p8-7]", dbg_events_str(n->a, ev, sizeof ev), n->b);
		break;
	case R_IDE:
		snprintf(buf, len, "MSR[DE]=0: the event is recorded with DBSR[IDE]=1 and no interrupt "
			 "now; it fires when DE becomes 1  [E5 p8-7; facts 2.2]");
		break;
	case R_NOT_DE0:
		snprintf(buf, len, "%s is not recognized while MSR[DE]=0 (nothing recorded, no IDE)  "
			 "[E5 8.4.4, 8.4.5]", dbg_events_str(n->a, ev, sizeof ev));
		break;
	case R_IDM0_DROP:
		snprintf(buf, len, "DBCR0[IDM]=0: %s not recorded; only TRAP occurs regardless of IDM "
			 "(option DBSR_RECORD_WHEN_IDM0=NONE_EXCEPT_TRAP)  [E5 8.4.3; facts 2.1]",
			 dbg_events_str(n->a, ev, sizeof ev));
		break;
	case R_MULTI_DROP:
		snprintf(buf, len, "%s of this instruction is not recorded: only the highest-priority "
			 "group is (option DBSR_MULTI_EVENT=HIGHEST_GROUP)  [E5 5.11; facts 2.11]",
			 dbg_events_str(n->a, ev, sizeof ev));
		break;
	case R_DUVD:
		snprintf(buf, len, "EPCR[DUVD]=1 in hypervisor state: debug events are disabled "
			 "(option DUVD_SCOPE)  [A2R; facts 6]");
		break;
	case R_SUPPRESS:
		snprintf(buf, len, "MSR[DE]=1 and DBCR0[IDM]=1: the instruction is suppressed and the "
			 "debug interrupt is taken at once  [E5 8.2.3, Table 8-2]");
		break;
	case R_DEBUG_INT:
		snprintf(buf, len, "debug interrupt: %s=0x%08X, %s=old MSR, MSR keeps only ME, "
			 "continue at IVPR|IVOR15 = 0x%08X  [%s; facts 2.10, 4]", sr0, n->a, sr1, n->b,
			 n->c == DBG_E500MC ? "H85 e500mc DebugDebug, KB" : "E5 8.2.3 critical class");
		break;
	case R_HALT:
		snprintf(buf, len, "DBCR0[EDM]=1: the event halts the core for the external debugger "
			 "(EDM takes precedence over IDM); it resumes at 0x%08X  [440 8.2; facts 2.1]",
			 n->a);
		break;
	case R_TRAP_PROGRAM:
		snprintf(buf, len, "the trap is not taken as a debug interrupt (MSR[DE]=0, IDM=0 or "
			 "DBCR0[TRAP]=0): Program interrupt with ESR[PTR]  [E5 8.4.3; KB; A2R; facts 2.7]");
		break;
	case R_FAULT_FIRST:
		snprintf(buf, len, "the instruction takes a %s exception; IAC and TRAP would have "
			 "outranked it, lower debug events are not recognized  [E5 5.11.1]",
			 dbg_irq_name((enum dbg_irq_kind)n->a));
		break;
	case R_DATA_FAULT_WINS:
		snprintf(buf, len, "the access takes a %s exception, which outranks DAC (priority 12-14 "
			 "over 18): no DAC is recorded  [E5 5.11, 5.11.1]",
			 dbg_irq_name((enum dbg_irq_kind)n->a));
		break;
	case R_DAC_HIT:
		snprintf(buf, len, "%s: the access of %u byte(s) at 0x%08X matches  [E5 8.4.2; facts 1.6, "
			 "2.6]", dbg_events_str(n->a, ev, sizeof ev), n->c, n->b);
		break;
	case R_BRT:
		snprintf(buf, len, "BRT: a taken branch with DBCR0[BRT]=1 and MSR[DE]=1; Book E stops on "
			 "the branch itself, before it executes  [E5 8.4.4; TR]");
		break;
	case R_ICMP:
		snprintf(buf, len, "ICMP: the instruction completed with DBCR0[ICMP]=1 and MSR[DE]=1; "
			 "the saved PC will be the next instruction  [E5 8.4.5]");
		break;
	case R_ICMP_DEFER:
		snprintf(buf, len, "ICMP: recorded because MSR[DE] was 1 when the instruction executed; "
			 "it cleared DE, so the interrupt waits (option ICMP_WHEN_INSN_CLEARS_DE)  "
			 "[440 p198; facts 2.3]");
		break;
	case R_RET_TARGET:
		snprintf(buf, len, "RET: the rfi executes (e500: the rule looks at the MSR after the rfi) "
			 "and the saved PC will be its target (option RET_SAVED_PC=RETURN_TARGET)  "
			 "[E5 8.4.7 p8-14; facts 2.9]");
		break;
	case R_RET_SUPPRESS:
		snprintf(buf, len, "RET: the rfi is attempted with DBCR0[RET]=1; ISA behaviour: it is "
			 "suppressed, saved PC = the rfi (option RET_SAVED_PC=RFI_ADDRESS)  [ISA 8.4.7; "
			 "A2R; facts 2.9]");
		break;
	case R_IRPT:
		snprintf(buf, len, "IRPT: a non-critical interrupt with DBCR0[IRPT]=1; a debug interrupt "
			 "now saves its vector 0x%08X, no handler instruction runs  [E5 8.4.6]", n->a);
		break;
	case R_CIRPT:
		snprintf(buf, len, "CIRPT: a critical interrupt with DBCR0[CIRPT]=1 (option "
			 "HAS_CIRPT_CRET)  [RB E.ED; facts 2.8]");
		break;
	case R_UDE:
		snprintf(buf, len, "UDE: the unconditional debug event input; no enable bit, saved PC = "
			 "the next instruction  [E5 8.4.8]");
		break;
	case R_INT_NONCRIT:
		snprintf(buf, len, "%s interrupt (non-critical): SRR0=0x%08X, SRR1=old MSR, MSR keeps "
			 "CE, ME and DE, continue at 0x%08X  [E5 Tables 5-18..5-20; facts 2.10]",
			 dbg_irq_name((enum dbg_irq_kind)n->a), n->b, n->c);
		break;
	case R_INT_CRIT:
		snprintf(buf, len, "%s interrupt (critical class): CSRR0=0x%08X, CSRR1=old MSR, MSR keeps "
			 "ME (DE cleared), continue at 0x%08X  [E5 8.4.6; facts 2.10]",
			 dbg_irq_name((enum dbg_irq_kind)n->a), n->b, n->c);
		break;
	case R_INT_MCHK:
		snprintf(buf, len, "machine-check interrupt: MCSRR0=0x%08X, MSR cleared, continue at "
			 "0x%08X  [A2R; facts 2.10]", n->a, n->b);
		break;
	case R_LEVEL:
		snprintf(buf, len, "level-sensitive: DBCR0[IDM]=1, MSR[DE]=1 and DBSR=0x%08X holds an "
			 "event, so the debug interrupt is taken at this boundary; saved PC 0x%08X  "
			 "[E5 8.2.3, p8-7; facts 3]", n->b, n->a);
		break;
	case R_WINDOW:
		snprintf(buf, len, "the write to %s reaches the comparators at the next context-"
			 "synchronizing event (option DEBUG_SPR_WINDOW=NEW_AT_CSI)  [E2; 440 2.10.1; "
			 "facts 5]", dbg_reg_name((enum dbg_reg_id)n->a));
		break;
	case R_CSI:
		snprintf(buf, len, "context synchronization: the comparators now use the new debug "
			 "register values  [facts 5]");
		break;
	case R_W1C:
		snprintf(buf, len, "mtspr DBSR is write-1-to-clear: DBSR 0x%08X -> 0x%08X  [E5 Table "
			 "8-1; KE]", n->a, n->b);
		break;
	case R_DBSRWR:
		snprintf(buf, len, "mtspr DBSRWR writes DBSR directly (option DBSRWR_MODE): 0x%08X -> "
			 "0x%08X  [TZ; A2R; facts 3]", n->a, n->b);
		break;
	case R_EDM_SW:
		snprintf(buf, len, "software cannot change DBCR0[EDM]; the bit keeps its value  [KE; TZ; "
			 "E2; facts 2.1]");
		break;
	case R_DEP:
		snprintf(buf, len, "MSRP[DEP]=1 in guest state: the write to MSR[DE] is ignored  [RB; "
			 "A2R; facts 6]");
		break;
	case R_PRIV:
		snprintf(buf, len, "privileged instruction with MSR[PR]=1: Program interrupt (ESR[PPR])");
		break;
	case R_HVPRIV:
		snprintf(buf, len, "guest state (MSR[GS]=1) touches a hypervisor resource: the "
			 "hypervisor privilege interrupt is taken  [TZ write_gspr; KE; facts 6]");
		break;
	case R_ILLEGAL:
		snprintf(buf, len, "%s does not exist on this core: illegal instruction, Program "
			 "interrupt (ESR[PIL])  [facts 4]", dbg_insn_name((enum dbg_insn_kind)n->a));
		break;
	case R_SLIP:
		snprintf(buf, len, "completes in cycle %u instead: %s  [E5 4.7.4; facts 5a]", n->a,
			 n->b < sizeof slip_names / sizeof slip_names[0] ? slip_names[n->b] : "?");
		break;
	case R_SQUASH:
		snprintf(buf, len, "squashed: the older instruction of its completion pair took an "
			 "interrupt, which flushes everything younger  [facts 5a.2]");
		break;
	case R_RESET:
		snprintf(buf, len, "DBCR0[RST]=%u requests a reset; DBSR[MRR] records it (option "
			 "RST_ENCODING)  [H85 abort(); facts 1.4]", n->a);
		break;
	case R_UNIMPL:
		snprintf(buf, len, "%s is not implemented on this core: it reads 0 and ignores writes  "
			 "[E5 Table 8-1; facts 1.1]", (int)n->a >= 0 && n->a < DBG_REG_COUNT ?
			 dbg_reg_desc[n->a].name : "this SPR");
		break;
	case R_LEGALIZE:
		snprintf(buf, len, "%s keeps 0x%08X of 0x%08X: the other bits are reserved or "
			 "unimplemented and read 0  [facts 1]", dbg_reg_name((enum dbg_reg_id)n->a), n->c, n->b);
		break;
	case R_IDLE:
		snprintf(buf, len, "the core is halted for the external debugger: nothing is attempted "
			 "until a `set` resumes it");
		break;
	case R_RET_RFCI_DROP:
		snprintf(buf, len, "RET is not recorded for rfci (option RET_ON_RFCI)  [E5 8.2.4, "
			 "8.4.7; facts 2.9]");
		break;
	default:
		snprintf(buf, len, "?");
		break;
	}
	return buf;
}
