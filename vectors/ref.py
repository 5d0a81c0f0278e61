"""An independent Python reference of the key Book III-E debug rules (a second implementation).

Written from the architecture sources (docs/booke-debug.md), not from model/*.c. It is deliberately partial: it
models single-issue execution of nop/load/store/branch/trap/mtmsr/mtspr/isync/sc under the default
model options, and knows exactly when it leaves its domain (dual completion, faults, EDM halts, rfi,
asynchronous inputs, e500mc guest state...). Outside its domain it says "unknown" and emits no
expectations until the next full `set` statement resynchronises every register it tracks.

predict(core, stmts) -> list of expectation dicts (or None) per statement.
"""

from common import regs  # noqa: E402  (the constants come from the register table; the rules are ours)

_R = regs()
MSR_GS, MSR_CE, MSR_EE, MSR_PR, MSR_ME, MSR_DE, MSR_IS, MSR_DS = (
    _R.MSR_GS, _R.MSR_CE, _R.MSR_EE, _R.MSR_PR, _R.MSR_ME, _R.MSR_DE, _R.MSR_IS, _R.MSR_DS)
EDM, IDM, ICMP, BRT, IRPT, TRAP = (_R.DBCR0_EDM, _R.DBCR0_IDM, _R.DBCR0_ICMP, _R.DBCR0_BRT,
                                   _R.DBCR0_IRPT, _R.DBCR0_TRAP)
IAC1, IAC2, DAC1R, DAC1W, DAC2R, DAC2W, RET = (_R.DBCR0_IAC1, _R.DBCR0_IAC2, _R.DBCR0_DAC1R,
                                               _R.DBCR0_DAC1W, _R.DBCR0_DAC2R, _R.DBCR0_DAC2W,
                                               _R.DBCR0_RET)
RST = _R.DBCR0_RST
IDE, UDE, MRR = _R.DBSR_IDE, _R.DBSR_UDE, _R.DBSR_MRR
EVENT_BITS = UDE | ICMP | BRT | IRPT | TRAP | IAC1 | IAC2 | DAC1R | DAC1W | DAC2R | DAC2W | RET
EVENT_NAMES = [("IAC1", IAC1), ("IAC2", IAC2), ("DAC1R", DAC1R), ("DAC1W", DAC1W), ("DAC2R", DAC2R),
               ("DAC2W", DAC2W), ("ICMP", ICMP), ("BRT", BRT), ("TRAP", TRAP), ("RET", RET),
               ("IRPT", IRPT), ("UDE", UDE)]
M32 = 0xFFFFFFFF
# Every register a full resync `set` must name (the reference tracks exactly these).
SYNC_REGS = ("MSR", "DBCR0", "DBCR1", "DBCR2", "IAC1", "IAC2", "DAC1", "DAC2", "DBSR", "IVPR",
             "IVOR6", "IVOR8", "IVOR15", "PC")
TRACKED = set(SYNC_REGS) | {"CSRR0", "CSRR1", "DSRR0", "DSRR1", "SRR0", "SRR1", "EPCR", "MSRP", "DBCR4"}
DEBUG_SPRS = ("DBCR0", "DBCR1", "DBCR2", "IAC1", "IAC2", "DAC1", "DAC2")


def event_list(bits):
    names = [n for n, b in EVENT_NAMES if bits & b]
    return ",".join(names) if names else "none"


def us_ok(us, msr):               # #iac: 00 any, 01 reserved (model: any), 10 PR=0, 11 PR=1
    if us == 2:
        return not msr & MSR_PR
    if us == 3:
        return bool(msr & MSR_PR)
    return True


def er_ok(er, xs):                # #iac/7: 01 real address never matches on e500
    return {0: True, 1: False, 2: not xs, 3: xs}[er]


def pair_hit(mode, a, r1, r2):    # #iac, #dac: half-open ranges, mask = bits set in reg2
    if mode == 1:
        return (a & r2) == (r1 & r2)
    if mode == 2:
        return a in range(r1, r2) if r1 < r2 else False
    return not (r1 <= a < r2)


def iac_hits(c, pc, msr):
    en = c["DBCR0"] & (IAC1 | IAC2)
    if not en:
        return 0
    d1 = c["DBCR1"]
    q = [us_ok(d1 >> 30 & 3, msr) and er_ok(d1 >> 28 & 3, bool(msr & MSR_IS)),
         us_ok(d1 >> 26 & 3, msr) and er_ok(d1 >> 24 & 3, bool(msr & MSR_IS))]
    mode = d1 >> 22 & 3
    a, r1, r2 = pc & ~3 & M32, c["IAC1"] & ~3 & M32, c["IAC2"] & ~3 & M32   # IAC_IGNORE_LOW2
    hits = 0
    if mode == 0:
        if en & IAC1 and q[0] and a == r1:
            hits |= IAC1
        if en & IAC2 and q[1] and a == r2:
            hits |= IAC2
        return hits
    if not pair_hit(mode, a, r1, r2):
        return 0
    return (IAC1 if en & IAC1 and q[0] else 0) | (IAC2 if en & IAC2 and q[1] else 0)


def dac_hits(c, ea, write, msr):
    b1, b2 = (DAC1W, DAC2W) if write else (DAC1R, DAC2R)
    en = c["DBCR0"] & (b1 | b2)
    if not en:
        return 0
    d2 = c["DBCR2"]
    ds = bool(msr & MSR_DS)
    q = [us_ok(d2 >> 30 & 3, msr) and er_ok(d2 >> 28 & 3, ds),
         us_ok(d2 >> 26 & 3, msr) and er_ok(d2 >> 24 & 3, ds)]
    mode = d2 >> 22 & 3
    if mode == 0:
        return ((b1 if en & b1 and q[0] and ea == c["DAC1"] else 0) |
                (b2 if en & b2 and q[1] and ea == c["DAC2"] else 0))
    if not pair_hit(mode, ea, c["DAC1"], c["DAC2"]):
        return 0
    return (b1 if en & b1 and q[0] else 0) | (b2 if en & b2 and q[1] else 0)


class Unknown(Exception):
    """The statement leaves the reference's domain."""


class Ref:
    def __init__(self, core):
        self.core = core
        self.known = False
        self.r = {}
        self.cmp = {}
        self.last_cycle = None

    def vector(self, ivor):
        return (self.r["IVPR"] & 0xFFFF0000) | (self.r[ivor] & 0x0000FFF0)

    def take_debug(self, saved):
        sr0, sr1 = ("CSRR0", "CSRR1") if self.core == "e500v2" else ("DSRR0", "DSRR1")
        self.r[sr0], self.r[sr1] = saved, self.r["MSR"]
        self.r["MSR"] &= MSR_ME                      # #interrupts: only ME survives
        self.r["PC"] = self.vector("IVOR15")
        self.cmp = {k: self.r[k] for k in DEBUG_SPRS}  # an interrupt is a CSI
        return sr0

    def take_noncrit(self, ivor, saved):
        self.r["SRR0"], self.r["SRR1"] = saved, self.r["MSR"]
        self.r["MSR"] &= MSR_CE | MSR_ME | MSR_DE     # #interrupts: CE, ME, DE preserved
        self.r["PC"] = self.vector(ivor)
        self.cmp = {k: self.r[k] for k in DEBUG_SPRS}

    def pending(self):
        d0 = self.r["DBCR0"]
        return (d0 & IDM and not d0 & EDM and self.r["MSR"] & MSR_DE and self.r["DBSR"] & EVENT_BITS)

    def do_set(self, regs):
        if set(regs) - TRACKED:
            self.known = False
        if all(k in regs for k in SYNC_REGS):
            self.known = True
            self.cmp = {}
            for k in ("CSRR0", "CSRR1", "DSRR0", "DSRR1", "SRR0", "SRR1"):
                self.r.setdefault(k, 0)
        if not self.known:
            return
        self.r.update(regs)
        for k in regs:
            if k in DEBUG_SPRS:
                self.cmp[k] = regs[k]                # set is effective at once for what it names
        if self.core == "e500v2":
            for k in ("DSRR0", "DSRR1"):
                self.r[k] = 0
        if (self.r["MSR"] & MSR_GS or self.r.get("EPCR", 0) or self.r.get("MSRP", 0)
                or self.r.get("DBCR4", 0) or self.r["DBCR0"] & (EDM | RET | IRPT | RST)):
            self.known = False                       # guest state, DUVD/DEP, RST, RET/IRPT: not modelled

    def do_exec(self, pc, insn):
        r = self.r
        if pc != r["PC"]:
            raise Unknown("pc jump")
        op = insn[0]
        if op not in ("nop", "load", "store", "branch", "branch-nt", "trap", "mtmsr", "mtspr",
                      "isync", "sc") or "fault" in " ".join(insn):
            raise Unknown(op)
        msr = r["MSR"]
        if msr & MSR_PR and op in ("mtmsr", "mtspr"):
            raise Unknown("privileged")
        res = {"events": 0, "taken": None}
        if op == "isync":                            # the CSI itself uses the new values (#spr-window)
            self.cmp = {k: r[k] for k in DEBUG_SPRS}
        # A pending (delayed) debug interrupt outranks everything at this boundary (#priority, #dbsr).
        if self.pending():
            res["taken"] = self.take_debug(pc)
            return res
        d0 = self.cmp["DBCR0"]                       # event enables follow the comparator copy
        if (r["DBCR0"] ^ d0) & IDM:
            raise Unknown("IDM inside the mtspr window")
        de, idm = bool(msr & MSR_DE), bool(d0 & IDM)
        c = self.cmp
        nxt = (pc + 4) & M32
        # Group 1: IAC (beats everything on this instruction).
        iac = iac_hits(c, pc, msr) if idm else 0
        access = None
        if op in ("load", "store"):
            ea, size = int(insn[1], 0), int(insn[2], 0) if len(insn) > 2 else 4
            if ea // 8 != (ea + size - 1) // 8:
                raise Unknown("split access")
            access = (ea, op == "store")
        if iac and op == "trap" and d0 & TRAP:
            raise Unknown("E5 ranks TRAP with IAC (one level), A2 ranks IAC above TRAP")
        if iac:
            if de:
                r["DBSR"] |= iac
                res["events"] = iac
                res["taken"] = self.take_debug(pc)
                return res
            other = ((access and idm and dac_hits(c, access[0], access[1], msr)) or op == "trap")
            if other:
                raise Unknown("two event groups with DE=0")
            r["DBSR"] |= iac | IDE
            res["events"] = iac
        if op == "trap":
            if d0 & TRAP and idm and de:
                r["DBSR"] |= TRAP
                res["events"] |= TRAP
                res["taken"] = self.take_debug(pc)
                return res
            if d0 & TRAP:                            # #trap: recorded (+IDE if DE=0) and Program
                r["DBSR"] |= TRAP | (0 if de else IDE)
                res["events"] |= TRAP
            self.take_noncrit("IVOR6", pc)
            res["program"] = True
            return res
        if access and idm and not iac:
            dac = dac_hits(c, access[0], access[1], msr)
            if dac:
                res["events"] = dac
                if de:
                    r["DBSR"] |= dac
                    res["taken"] = self.take_debug(pc)
                    return res
                r["DBSR"] |= dac | IDE
        if op == "branch" and idm and de and d0 & BRT and not iac:
            r["DBSR"] |= BRT
            res["events"] |= BRT
            res["taken"] = self.take_debug(pc)
            return res
        # The instruction completes.
        target = nxt
        if op == "branch":
            target = int(insn[1], 0)
        elif op == "mtmsr":
            r["MSR"] = int(insn[1], 0)
            if r["MSR"] & MSR_GS:
                raise Unknown("guest state")
        elif op == "mtspr":
            reg, val = insn[1].upper(), int(insn[2], 0)
            if reg == "DBSR":
                r["DBSR"] &= ~val & M32              # #dbsr: write-1-to-clear
            elif reg in DEBUG_SPRS:
                if reg == "DBCR0":
                    if val & (EDM | RET | IRPT | RST | _R.DBCR0_IAC3 | _R.DBCR0_IAC4 | 0xFF):
                        raise Unknown("DBCR0 field outside the reference")
                    val = (val & ~EDM) | (r["DBCR0"] & EDM)
                if reg in ("DBCR1", "DBCR2") and val & 0x003FFFFF:
                    raise Unknown("reserved DBCR1/2 bits")
                r[reg] = val                         # comparators follow at the next CSI (#spr-window)
            else:
                raise Unknown("mtspr " + reg)
        if de and idm and d0 & ICMP and not iac:     # #icmp: ICMP needs DE=1 when it executes
            r["DBSR"] |= ICMP
            res["events"] |= ICMP
        r["PC"] = target
        if op == "sc":
            if d0 & IRPT:
                raise Unknown("IRPT")
            self.take_noncrit("IVOR8", nxt)
            self.cmp = {k: r[k] for k in DEBUG_SPRS}
        if op == "mtspr" and insn[1].upper() == "DBCR0" and (r["DBCR0"] ^ self.cmp["DBCR0"]) & IDM:
            raise Unknown("IDM changed inside the mtspr window")
        if self.pending():                           # level-sensitive: #dbsr, rule 2
            res["taken"] = self.take_debug(r["PC"])
        return res

    def expects(self, res):
        r = self.r
        e = {}
        if r["DBCR0"] & IDM or res["events"]:
            e["events"] = event_list(res["events"])
        e["dbsr"] = "0x%08X" % r["DBSR"]
        e["debug"] = "taken" if res["taken"] else "none"
        if res["taken"]:
            e[res["taken"].lower()] = "0x%08X" % r[res["taken"]]
        if res.get("program"):
            e["srr0"] = "0x%08X" % r["SRR0"]
        e["pc"] = "0x%08X" % r["PC"]
        e["msr"] = "0x%08X" % r["MSR"]
        return e


def step(ref, s):
    """Advance the reference by one statement; return its expect fields or None."""
    if s[0] == "set":
        ref.do_set({k.upper(): v for k, v in s[1].items()})
        return None
    if s[0] != "exec" or not ref.known or (len(s) > 3 and s[3] is not None and s[3] == ref.last_cycle):
        ref.known = False                            # async inputs, dual completion: out of domain
        return None
    try:
        res = ref.do_exec(s[1], s[2])
    except Unknown:
        ref.known = False
        return None
    return ref.expects(res)


def predict(core, stmts):
    """stmts: list of ('set', {REG: val}) | ('exec', pc, [insn tokens], cycle) | (kind, ...).
    Returns one dict of expect fields (or None) per statement."""
    ref = Ref(core)
    out = []
    for s in stmts:
        out.append(step(ref, s))
        if s[0] != "set":
            ref.last_cycle = s[-1]
    return out
