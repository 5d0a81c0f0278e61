"""The known ways QEMU 7.2 differs from the Book III-E debug architecture (docs/conformance.md, "Known
QEMU deviations" #1-#11 and what QEMU does not emulate), each as a named classifier: given the first step
where a program's log differs from the model, it returns the evidence it matched, or None. A
divergence is explained when the classifiers that match it explain every differing field of that
step; otherwise it is "new" (docs/conformance.md counts it as unexplained). A classifier returns
(evidence, fields it explains) or None; ALL means every field (the event did not happen at all,
so everything after it differs)."""

DBSR = {"IDE": 0x80000000, "UDE": 0x40000000, "ICMP": 0x08000000, "BRT": 0x04000000,
        "IRPT": 0x02000000, "TRAP": 0x01000000, "IAC1": 0x00800000, "IAC2": 0x00400000,
        "DAC1R": 0x00080000, "DAC1W": 0x00040000, "DAC2R": 0x00020000, "DAC2W": 0x00010000,
        "RET": 0x00008000}
DBCR0_IDM, DBCR0_ICMP, DBCR0_BRT = 0x40000000, 0x08000000, 0x04000000
MSR_DE, MSR_CE = 0x00000200, 0x00020000
CRITICAL_CLASS = ("debug", "critical", "watchdog", "machine-check")
ALL = None


def h(v):
    return int(v, 16)


def bits(mask):
    return ",".join(n for n, b in DBSR.items() if mask & b) or "none"


class Divergence:
    """The first diverging step: the model's and the log's records (expect vocabulary), the fields
    that differ, the step's instructions, the log's record before it and the core."""

    def __init__(self, step, prev_log, core):
        self.model, self.log = step["model"], step["log"] or {}
        self.differ = step["differ"] if step["log"] else ["pc"]
        self.insns = [i.strip() for i in step["insn"].split(";")]
        self.prev_dbsr = h(prev_log["dbsr"]) if prev_log else 0
        self.core = core

    def m(self, f):
        return h(self.model[f])

    def g(self, f):
        return h(self.log[f]) if f in self.log else None

    def ops(self):
        """The instructions as (PC, mnemonic, operands)."""
        out = []
        for text in self.insns:
            tok = text.split()
            if len(tok) >= 3 and tok[0] == "exec":
                rest = tok[2:] if not tok[2].startswith("@") else tok[3:]
                out.append((int(tok[1], 0), rest[0].lower(), rest[1:]))
        return out

    def save0(self):
        return "dsrr0" if self.core == "e500mc" else "csrr0"


def dbsr_write_negates(d):
    """#1: mtspr DBSR,v computes DBSR &= -v (two's complement), not DBSR &= ~v."""
    if "dbsr" not in d.differ or not d.log:
        return None
    for _, op, args in d.ops():
        if op == "mtspr" and args and args[0].upper() in ("DBSR", "304"):
            v = int(args[1], 0)
            want = d.prev_dbsr & (-v & 0xFFFFFFFF)
            if d.g("dbsr") == want:
                return ("mtspr DBSR 0x%08X on DBSR 0x%08X left 0x%08X = DBSR & -v (architecture: 0x%08X)" % (
                    v, d.prev_dbsr, want, d.prev_dbsr & ~v & 0xFFFFFFFF), {"dbsr"})
    return None


def both_save_pairs(d):
    """#5: a debug interrupt writes CSRR0/1 and DSRR0/1 alike, on both cores."""
    if not d.log or d.model["irq"] != "debug" or d.log.get("irq") != "debug" or "dsrr0" not in d.log:
        return None
    pair = {"csrr0", "csrr1"} if d.core == "e500mc" else {"dsrr0", "dsrr1"}
    if set(d.differ) & pair and d.log["csrr0"] == d.log["dsrr0"] and d.log["csrr1"] == d.log["dsrr1"]:
        return ("debug interrupt wrote CSRR0/1 = DSRR0/1 = %s/%s" % (d.log["dsrr0"], d.log["dsrr1"]), pair)
    return None


def brt_after_branch(d):
    """#3: BRT is recorded after the branch (save register = target or fall-through), and for
    not-taken conditional branches too."""
    if not d.log or not d.m("dbcr0") & DBCR0_BRT or d.log.get("irq") != "debug":
        return None
    last = d.ops()[-1] if d.ops() else None
    if not last or last[1] not in ("branch", "branch-nt") or not d.g("dbsr") & DBSR["BRT"]:
        return None
    pc, op, args = last
    after = int(args[0], 0) if op == "branch" else pc + 4
    if d.g(d.save0()) == after:
        return ("%s at 0x%08X: BRT with %s=0x%08X (after the branch; architecture: %s)" % (
            op, pc, d.save0(), after, "0x%08X, before it" % pc if op == "branch" else "no event, not taken"), ALL)
    return None


def icmp_low_window(d):
    """#4: no ICMP when the next PC is in 0x101..0xF00 (the classic-PPC rule applied to Book E)."""
    if d.model["irq"] != "debug" or not d.m("dbsr") & DBSR["ICMP"] or d.log.get("irq") == "debug":
        return None
    nxt = d.m(d.save0())
    if 0x101 <= nxt <= 0xF00:
        return ("ICMP due with next PC 0x%08X in 0x101..0xF00; none taken" % nxt, ALL)
    return None


def idm_ignored(d):
    """#2: ICMP/BRT debug interrupts are taken with DBCR0[IDM]=0."""
    if d.m("dbcr0") & DBCR0_IDM or d.log.get("irq") != "debug" or d.model["irq"] == "debug":
        return None
    if d.g("dbsr") & (DBSR["ICMP"] | DBSR["BRT"]):
        return ("DBCR0=0x%08X (IDM=0), yet a debug interrupt with DBSR=0x%08X" % (d.m("dbcr0"), d.g("dbsr")), ALL)
    return None


def interrupt_clears_de(d):
    """#6: every interrupt clears MSR[DE] (new MSR = ME only), so a non-critical handler runs with
    DE=0: the ICMP of an sc is not taken at the handler, and sc and rfi give no ICMP."""
    if not d.log:
        return None
    irq = d.log.get("irq")
    ops = d.ops()
    # the model took the same non-critical interrupt, and then (DE kept) a debug interrupt at its
    # vector, or stopped in its handler with DE=1
    same = d.model["irq"] == irq or (d.model["irq"] == "debug" and d.m(d.save0()) == d.g("pc"))
    if same and irq not in CRITICAL_CLASS + ("none", "unknown") and not d.g("msr") & MSR_DE and \
            (d.model["irq"] == "debug" or d.m("msr") & MSR_DE):
        pending = d.model["irq"] == "debug"
        return ("%s interrupt entered with MSR=0x%08X (DE cleared); the model keeps DE=1%s" % (
            irq, d.g("msr"), ", so the pending ICMP is taken at the handler" if pending else ""),
            ALL if pending else {"msr"})
    if ops and ops[-1][1] in ("sc", "rfi") and d.model["irq"] == "debug" and d.m("dbsr") & DBSR["ICMP"] \
            and not d.g("dbsr") & DBSR["ICMP"]:
        return ("%s gave no ICMP" % ops[-1][1], ALL)
    return None


def program_srr1_flags(flag, cause, what):
    """A Program interrupt ORs a classic-PPC SRR1 reason flag into SRR1 (the saved MSR)."""
    def classify(d):
        if not d.log or d.log.get("irq") != "program" or d.model["irq"] != "program":
            return None
        if d.g("srr1") == d.m("srr1") | flag and d.g("srr1") != d.m("srr1"):
            return ("Program interrupt (%s) with SRR1=0x%08X = the saved MSR | 0x%08X" % (cause, d.g("srr1"), flag),
                    {"srr1"})
        return None
    classify.__doc__ = what
    return classify


trap_srr1_ce = program_srr1_flags(
    0x00020000, "trap", "#8: the trap's Program interrupt ORs 0x00020000 (the classic SRR1 trap flag) into SRR1.")
illegal_srr1_flag = program_srr1_flags(
    0x00080000, "illegal instruction",
    "#11 (found by these programs): an illegal instruction's Program interrupt ORs 0x00080000 (the classic "
    "SRR1 illegal-instruction flag) into SRR1; a privileged one ORs 0x00040000.")


def event_not_emulated(name, events, what):
    """The events QEMU does not emulate: the model records them, the log has none of them."""
    def classify(d):
        if not d.log:
            return None
        missing = d.m("dbsr") & ~d.g("dbsr") & events
        if missing:
            return ("the model records %s (DBSR 0x%08X), QEMU does not (DBSR 0x%08X): %s" % (
                bits(missing), d.m("dbsr"), d.g("dbsr"), what), ALL)
        return None
    classify.__name__ = name
    classify.__doc__ = what
    return classify


def mtmsr_de_edges(d):
    """#7: the mtmsr that sets DE gives no ICMP; the one that clears DE does (CSRR1[DE]=0)."""
    ops = d.ops()
    if not ops or ops[-1][1] != "mtmsr" or not d.m("dbcr0") & DBCR0_ICMP:
        return None
    if d.log.get("irq") == "debug" and not h(d.log[d.save0().replace("0", "1")]) & MSR_DE:
        return ("mtmsr clearing DE took an ICMP debug interrupt (save MSR has DE=0)", ALL)
    if d.model["irq"] == "debug" and d.log.get("irq") != "debug":
        return ("mtmsr setting DE gave no ICMP", ALL)
    return None


def edm_writable(d):
    """#10 (found by these programs): mtspr DBCR0 stores every bit, DBCR0[EDM] included, which only
    an external debugger may set."""
    if "dbcr0" not in d.differ or not d.log:
        return None
    for _, op, args in d.ops():
        if op == "mtspr" and args and args[0].upper() in ("DBCR0", "308"):
            v = int(args[1], 0)
            if v & 0x80000000 and d.g("dbcr0") == v and not d.m("dbcr0") & 0x80000000:
                return ("mtspr DBCR0 0x%08X left DBCR0 0x%08X (EDM set by software; architecture: 0x%08X)" % (
                    v, d.g("dbcr0"), d.m("dbcr0")), {"dbcr0"})
    return None


def trap_not_emulated(d):
    """TRAP (not emulated): `tw` always takes a Program interrupt (ESR=PTR), DBSR untouched."""
    if any(o[1] == "trap" for o in d.ops()) and d.log.get("irq") == "program" and \
            d.m("dbsr") & DBSR["TRAP"] and not d.g("dbsr") & DBSR["TRAP"]:
        return ("trap took a Program interrupt (ESR=0x%08X); the model records TRAP" % d.g("esr"), ALL)
    return None


# In order: the most specific first. Each entry: (name, the notes' entry, classifier).
CLASSIFIERS = [
    ("dbsr_write_negates", "#1 DBSR write is DBSR &= -v", dbsr_write_negates),
    ("both_save_pairs", "#5 CSRR0/1 and DSRR0/1 both written", both_save_pairs),
    ("brt_after_branch", "#3 BRT timing", brt_after_branch),
    ("icmp_low_window", "#4 ICMP suppressed for next PC in 0x101..0xF00", icmp_low_window),
    ("idm_ignored", "#2 DBCR0[IDM] ignored", idm_ignored),
    ("trap_not_emulated", "TRAP not emulated", trap_not_emulated),
    ("trap_srr1_ce", "#8 trap Program interrupt sets SRR1[CE]", trap_srr1_ce),
    ("illegal_srr1_flag", "#11 Program interrupt SRR1 reason flags", illegal_srr1_flag),
    ("edm_writable", "#10 DBCR0[EDM] writable by mtspr", edm_writable),
    ("iac_not_emulated", "IAC not emulated", event_not_emulated(
        "iac_not_emulated", DBSR["IAC1"] | DBSR["IAC2"], "IAC1-4 are plain storage")),
    ("dac_not_emulated", "DAC not emulated", event_not_emulated(
        "dac_not_emulated", DBSR["DAC1R"] | DBSR["DAC1W"] | DBSR["DAC2R"] | DBSR["DAC2W"],
        "DAC1/2 are plain storage")),
    ("ret_irpt_not_emulated", "RET, IRPT not emulated", event_not_emulated(
        "ret_irpt_not_emulated", DBSR["RET"] | DBSR["IRPT"], "RET and IRPT are not emulated")),
    ("ide_not_emulated", "IDE / delayed interrupt not emulated", event_not_emulated(
        "ide_not_emulated", DBSR["IDE"], "no event is recorded with DE=0, none delivered later")),
    ("interrupt_clears_de", "#6 every interrupt clears MSR[DE]", interrupt_clears_de),
    ("mtmsr_de_edges", "#7 mtmsr edges", mtmsr_de_edges),
]


def classify(step, prev_log, core):
    """The classifiers that explain the divergence, as [(name, notes entry, evidence)], when
    together they explain every differing field; None when a field is left ("new")."""
    d = Divergence(step, prev_log, core)
    left, found = set(d.differ), []
    for name, entry, fn in CLASSIFIERS:
        hit = fn(d)
        if hit and (hit[1] is ALL or hit[1] & left):
            found.append((name, entry, hit[0]))
            left = set() if hit[1] is ALL else left - hit[1]
        if not left:
            return found
    return None
