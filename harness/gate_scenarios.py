"""Gate scenarios: the scenario language (its grammar, and check(), which refuses anything else
with PATH:LINE: what is wrong) and the scenario sources: a bounded-exhaustive enumeration of
request shapes x guest behaviour x host context x preemption point, in a fixed order (the same
budget gives the same scenarios), and seeded constrained-random scenarios.

A scenario is text for harness/gate_world.c: one directive a line, run top to bottom, ended by
'end' (the last one may omit it); '#' starts a comment line. DIRECTIVES below is the grammar: the
README's directive table is rendered from it (readme_table()) and check() parses with it.
"""
import os
import re


def _uapi_values():
    """harness/gate_uapi.h, where the world's uapi constants are defined once: name -> value."""
    with open(os.path.join(os.path.dirname(os.path.abspath(__file__)), "gate_uapi.h")) as f:
        return {m[0]: int(m[1], 0) for m in
                re.findall(r"^#define GATE_(\w+) (0x[0-9A-Fa-f]+|\d+)u?$", f.read(), re.M)}


# ---------------------------------------------------------------- the scenario language
MAXG = 64     # guest instructions in one scenario (gate_world.c MAXG)
MAXBP = 16    # bp[] slots of struct kvm_guest_debug_arch (gate_world.c MAXBP)
CTX_KEYS = ("dbcr0", "dbcr1", "dbcr2", "iac1", "iac2", "dac1", "dac2")
PREEMPT_POINTS = ("entry", "exit", "resume", "post-run", "after-run", "ioctl")
G_KINDS = {"nop": False, "load": True, "store": True, "mtmsr": True,   # takes a value?
           "mtspr": True, "mfspr": False, "trap": False}
G_SPR_KINDS = ("mtspr", "mfspr")     # name a debug register first
G_SPRS = ("dbcr0", "dbcr1", "dbcr2", "iac1", "iac2", "dac1", "dac2", "dbsr")
ONE_REGS = ("iac1", "iac2", "iac3", "iac4", "dac1", "dac2", "dbsr")   # gate_glue.h GATE_ONE_REGS


class ScenarioError(ValueError):
    """Text that is not in the scenario language: str() is 'PATH:LINE: what is wrong'."""

    def __init__(self, path, line, message):
        super().__init__(f"{path}:{line}: {message}")
        self.path, self.line, self.message = path, line, message


class _Bad(Exception):
    """What is wrong with one line; check() adds the path and the line number."""


_NUMBER = re.compile(r"0x[0-9A-Fa-f]+|0|[1-9][0-9]*")


def _number(token, what):
    """A 32-bit number: 0x and hex digits, or decimal with no leading 0 (no octal surprise)."""
    if not token:
        raise _Bad(f"{what}: missing number")
    if not _NUMBER.fullmatch(token):
        raise _Bad(f"{what}: '{token}' is not a number (0x hex or decimal)")
    if int(token, 0) > 0xFFFFFFFF:
        raise _Bad(f"{what}: '{token}' does not fit in 32 bits")
    return int(token, 0)


def _junk(name, args, n):
    if len(args) > n:
        raise _Bad(f"{name}: unexpected '{args[n]}' (trailing junk)")


def _no_operands(name, args, st):
    _junk(name, args, 0)


def _value(name, args, st):
    _number(args[0] if args else "", name)
    _junk(name, args, 1)


MAX_OTHERS = 2     # other host threads in a scenario (gate_glue.h GATE_THREADS - 1)


def _context(name, args, st):
    if name == "other":
        st["others"] = st.get("others", 0) + 1
        if st["others"] > MAX_OTHERS:
            raise _Bad(f"{name}: at most {MAX_OTHERS} other threads in a scenario")
    seen = set()
    for t in args:
        key, eq, val = t.partition("=")
        if not eq:
            raise _Bad(f"{name}: '{t}' is not KEY=VALUE")
        if key not in CTX_KEYS:
            raise _Bad(f"{name}: unknown key '{key}' (keys: {' '.join(CTX_KEYS)})")
        if key in seen:
            raise _Bad(f"{name}: '{key}' given twice")
        seen.add(key)
        _number(val, f"{name} {key}")


def _slot(name, t, key, used):
    """The bp[] slot a bp= (the lowest free) or bpN= token fills."""
    if key == "bp":
        free = [k for k in range(MAXBP) if k not in used]
        if not free:
            raise _Bad(f"{name}: '{t}': more than {MAXBP} bp slots")
        return free[0]
    n = key[2:]
    if not n.isdigit() or int(n) >= MAXBP:
        raise _Bad(f"{name}: '{t}': the slot is 0 to {MAXBP - 1} (bpN=TYPE@ADDR)")
    if int(n) in used:
        raise _Bad(f"{name}: '{t}': slot {int(n)} given twice")
    return int(n)


def _ioctl(name, args, st):
    control = nsw = 0
    used = set()
    for t in args:
        key, eq, val = t.partition("=")
        if eq and key == "control":
            if control:
                raise _Bad(f"{name}: 'control' given twice")
            control = 1
            _number(val, f"{name} control")
        elif eq and key.startswith("bp"):
            used.add(_slot(name, t, key, used))
            typ, at, addr = val.partition("@")
            if not at:
                raise _Bad(f"{name}: '{t}' is not bp=TYPE@ADDR")
            _number(typ, f"{name} bp type")
            _number(addr, f"{name} bp address")
        elif eq and key == "sw":
            nsw += 1
            if nsw > MAXBP:
                raise _Bad(f"{name}: '{t}': more than {MAXBP} sw= breakpoints")
            _number(val, f"{name} sw address")
        else:
            raise _Bad(f"{name}: unknown token '{t}' (control=N, bp=TYPE@ADDR, bpN=TYPE@ADDR, "
                       "sw=ADDR)")
    if not control:
        raise _Bad(f"{name}: missing control=N")


def _preempt(name, args, st):
    if not args:
        raise _Bad(f"{name}: missing point ({'|'.join(PREEMPT_POINTS)})")
    if args[0] not in PREEMPT_POINTS:
        raise _Bad(f"{name}: unknown point '{args[0]}' ({'|'.join(PREEMPT_POINTS)})")
    _junk(name, args, 1)


def _one_of(what, noun, token, allowed, sep):
    """token must be one of allowed: else 'missing NOUN' or 'unknown NOUN', listing them."""
    names = sep.join(allowed)
    if token is None:
        raise _Bad(f"{what}: missing {noun} ({names})")
    if token not in allowed:
        raise _Bad(f"{what}: unknown {noun} '{token}' ({names})")


def _guest(name, args, st):
    st["guest"] += 1
    if st["guest"] > MAXG:
        raise _Bad(f"{name}: more than {MAXG} guest instructions in one scenario")
    _number(args[0] if args else "", f"{name} PC")
    _one_of(f"{name}", "instruction", args[1] if len(args) > 1 else None, G_KINDS, "|")
    at = 2
    if args[1] in G_SPR_KINDS:
        _one_of(f"{name} {args[1]}", "register", args[2] if len(args) > 2 else None, G_SPRS, " ")
        at = 3
    if G_KINDS[args[1]]:
        _number(args[at] if len(args) > at else "", f"{name} {args[1]}")
        at += 1
    _junk(name, args, at)


def _one_reg(name, args, st):
    _one_of(name, "operation", args[0] if args else None, ("get", "set"), "|")
    _one_of(f"{name} {args[0]}", "register", args[1] if len(args) > 1 else None, ONE_REGS, " ")
    if args[0] == "set":
        _number(args[2] if len(args) > 2 else "", f"{name} set")
    _junk(name, args, 3 if args[0] == "set" else 2)


def _end(name, args, st):
    _junk(name, args, 0)
    st["guest"], st["open"], st["others"] = 0, False, 0
    st["ended"] += 1


# name -> (syntax, argument parser, meaning): the whole grammar. The README table is rendered
# from it (readme_table) and gate_world.c parses the same language.
DIRECTIVES = {
    "host": ("host dbcr0=.. dbcr1=.. dbcr2=.. iac1=.. iac2=.. dac1=.. dac2=..", _context,
             "the QEMU vCPU thread's own (ptrace) debug context, any keys, each at most once, the "
             "rest 0; it is switched in at once"),
    "other": ("other KEY=V ...", _context,
              f"another host thread's context (at most {MAX_OTHERS}: they take turns running "
              "while the vCPU thread is preempted)"),
    "guest-msr": ("guest-msr V", _value,
                  "the guest-visible MSR before userspace attaches (through `kvmppc_set_msr`)"),
    "ioctl": ("ioctl control=C bp=TYPE@ADDR ... bpN=TYPE@ADDR ... sw=ADDR ...", _ioctl,
              "KVM_SET_GUEST_DEBUG: `control=` once; `bp=` fills the lowest free of the "
              f"{MAXBP} `bp[]` slots (QEMU packs densely), `bpN=` slot N; `sw=` are gdb's software "
              "breakpoints, which QEMU writes into guest memory (the instruction "
              "`KVM_REG_PPC_DEBUG_INST` names) before the ioctl"),
    "preempt": ("preempt " + "|".join(PREEMPT_POINTS), _preempt,
                "preempt the vCPU thread once: during the next KVM_RUN before `kvmppc_vcpu_run` "
                "disables interrupts (entry), after the exit path enables them (exit), where the "
                "exit path may reschedule before re-entering the guest (resume), after "
                "`__kvmppc_vcpu_run` returns, after `kvmppc_vcpu_run` returns; or (`ioctl`) inside "
                "the next vCPU ioctl (KVM_SET_GUEST_DEBUG, KVM_GET/SET_ONE_REG), between its "
                "`vcpu_load` and `vcpu_put`"),
    "g": ("g PC nop|load EA|store EA|mtmsr V|mtspr REG V|mfspr REG|trap", _guest,
          f"the guest's instructions (at most {MAXG} in a scenario); REG is a debug register the "
          f"guest's own debugger programs ({' '.join(G_SPRS)}): the access traps and KVM "
          "emulates it; `trap` is `tw 31,0,0` (a TRAP debug event, or the guest's program "
          "interrupt)"),
    "run": ("run", _no_operands, "KVM_SET_REGS as QEMU does before resuming, then KVM_RUN"),
    "no-set-regs": ("no-set-regs", _no_operands,
                    "a userspace that skips KVM_SET_REGS (not QEMU: findings are robustness)"),
    "poke-dbcr4": ("poke-dbcr4 V", _value, "vCPU state no ioctl can produce (robustness)"),
    "one-reg": ("one-reg get REG | one-reg set REG V", _one_reg,
                f"KVM_GET_ONE_REG / KVM_SET_ONE_REG of a debug register ({' '.join(ONE_REGS)}; "
                "an id the input's uapi does not define is skipped)"),
    "end": ("end", _end, "ends the scenario (the last one of a text may omit it)"),
}


def _input(name, args, st):
    if not args:
        raise _Bad(f"{name}: missing path")


def _config(name, args, st):
    if not args or args[0] not in ("pr", "hv"):
        raise _Bad(f"{name}: takes pr or hv, not '{args[0] if args else ''}'")
    _junk(name, args, 1)


# The header lines of a saved .scn file (check(..., headers=True)), before its first directive.
HEADERS = {
    "input": ("input PATH", _input, "header of a saved `.scn` (not for the harness): the patch or "
              "kernel tree the scenario was found on"),
    "config": ("config pr|hv", _config, "header of a saved `.scn` (not for the harness): the "
               "configuration"),
}


def readme_table():
    """The directive table of harness/README.md, from the grammar."""
    rows = ["| directive | meaning |", "|---|---|"]
    for syntax, _, meaning in list(DIRECTIVES.values()) + list(HEADERS.values()):
        rows.append(f"| `{syntax.replace('|', chr(92) + '|')}` | {meaning} |")
    return "\n".join(rows) + "\n"


def _decode(text, path):
    """str from text (bytes or str), refusing binary and non-UTF-8 input at its line."""
    if isinstance(text, (bytes, bytearray)):
        data = bytes(text)
        if b"\0" in data:
            at = data.index(b"\0")
            raise ScenarioError(path, data[:at].count(b"\n") + 1,
                                "NUL byte: a binary file, not a scenario")
        try:
            return data.decode("utf-8")
        except UnicodeDecodeError as e:
            raise ScenarioError(path, data[:e.start].count(b"\n") + 1,
                                f"not UTF-8 text (byte 0x{data[e.start]:02X})") from None
    if "\0" in text:
        raise ScenarioError(path, text[:text.index("\0")].count("\n") + 1,
                            "NUL byte: a binary file, not a scenario")
    try:
        text.encode("utf-8")
    except UnicodeEncodeError as e:     # a str decoded with errors="surrogateescape"
        c = ord(text[e.start])
        byte = f" (byte 0x{c - 0xDC00:02X})" if 0xDC80 <= c <= 0xDCFF else ""
        raise ScenarioError(path, text[:e.start].count("\n") + 1, f"not UTF-8 text{byte}") from None
    return text


def _line(line, st, headers):
    body = (line[:-1] if line.endswith("\r") else line).strip(" \t")
    if not body or body.startswith("#"):
        return
    name, *args = re.split(r"[ \t]+", body)
    if name in HEADERS and headers:
        if st["directives"]:
            raise _Bad(f"'{name}': a header line after the first directive")
        if name in st["headers"]:
            raise _Bad(f"'{name}' given twice")
        st["headers"].add(name)
        HEADERS[name][1](name, args, st)
        return
    if name in HEADERS:
        raise _Bad(f"'{name}' is a header of a saved .scn file, not a directive (bookedbg "
                   "replay runs those)")
    if name not in DIRECTIVES:
        raise _Bad(f"unknown directive '{name}' ({', '.join(DIRECTIVES)})")
    st["directives"] += 1
    st["open"] = True
    DIRECTIVES[name][1](name, args, st)


def check(text, path, headers=False):
    """Check a whole scenario text before any work: one or more scenarios, each ended by an 'end'
    line (the last may omit it). text is str, or bytes (then it must be UTF-8). headers=True also
    accepts the 'input PATH' and 'config pr|hv' lines of a saved .scn file, once each, before the
    first directive. Raises ScenarioError at the first line that is wrong; returns the number of
    scenarios."""
    text = _decode(text, path)
    st = {"guest": 0, "directives": 0, "headers": set(), "ended": 0, "open": False}
    for no, line in enumerate(text.split("\n"), 1):
        try:
            _line(line, st, headers)
        except _Bad as e:
            raise ScenarioError(path, no, str(e)) from None
    return st["ended"] + st["open"]


def check_file(path, headers=True):
    """check() on a file's bytes (a saved .scn has its header lines)."""
    with open(path, "rb") as f:
        return check(f.read(), path, headers)


# ---------------------------------------------------------------- the scenario sources
_UAPI = _uapi_values()
ENABLE, SINGLESTEP, USE_SW_BP, USE_HW_BP = (_UAPI["GUESTDBG_" + n] for n in
                                           ("ENABLE", "SINGLESTEP", "USE_SW_BP", "USE_HW_BP"))
BP, WW, WR = 2, 4, 8           # KVMPPC_DEBUG_BREAKPOINT, WATCH_WRITE, WATCH_READ (uapi values)
BP_ADDR, WATCH, OTHER_DATA = 0x1008, 0x9000, 0x9100
# Linux user-thread defaults: DBCR1/DBCR2 US=11 (user only) [PR]
HOST_WATCH = "host dbcr0=0x40040000 dbcr2=0xC0000000 dac1=0x7000\n"   # IDM|DAC1W on 0x7000
OTHER_BP = "other dbcr0=0x40800000 dbcr1=0xC0000000 iac1=0x1008\n"    # IDM|IAC1 on 0x1008

# Host contexts from the rest of the register space (DBCR1/DBCR2 qualifiers and pair modes,
# DBCR0 events beyond compares): (name, KEY=V ...), given to the vCPU thread or to another thread
IAC1_2, ICMP_E, BRT_E = 0x00C00000, 0x08000000, 0x04000000
HOST_CONTEXTS = [
    # a ptrace range breakpoint (IAC1 <= EA < IAC2, user mode: DBCR1 IAC1US=IAC2US=11, IAC12M=10)
    ("iac-range", "dbcr0=0x40C00000 dbcr1=0xCC800000 iac1=0x7000 iac2=0x7100"),
    # a range watchpoint on DAC1/DAC2 (DBCR2 DAC1US=DAC2US=11, DAC12M=10)
    ("dac-range", "dbcr0=0x400F0000 dbcr2=0xCC800000 dac1=0x7000 dac2=0x7100"),
    # compares qualified to supervisor state only: the thread's user code raises nothing
    ("supervisor-only", "dbcr0=0x40840000 dbcr1=0x80000000 dbcr2=0x80000000 iac1=0x1008 "
     "dac1=0x9000"),
    # a thread being single-stepped, and one tracing its branches
    ("step", "dbcr0=0x48000000"),
    ("branch", "dbcr0=0x44000000"),
]

REQUESTS = [
    ("break", USE_HW_BP, [(BP, BP_ADDR)]),
    ("watch", USE_HW_BP, [(WW, WATCH)]),
    ("rwatch", USE_HW_BP, [(WR, WATCH)]),
    ("awatch", USE_HW_BP, [(WW | WR, WATCH)]),
    ("break+watch", USE_HW_BP, [(BP, BP_ADDR), (WW, WATCH)]),
    # the second comparator of each kind: IAC2 on the instruction a late event lands on (after
    # the guest restores DE), DAC2 on the watched word with DAC1 on a word nobody touches
    ("break+late", USE_HW_BP, [(BP, BP_ADDR), (BP, BP_ADDR + 24)]),
    ("watch-dac2", USE_HW_BP, [(WR, 0x7000), (WW, WATCH)]),
    ("step", SINGLESTEP, []),
]


MSR_DE = 0x200


def is_mtmsr(line):
    return line.startswith("g ") and " mtmsr " in line


def keep_de(scenario):
    """The scenario with each guest mtmsr rewritten to leave MSR[DE] set, as the debugger needs
    it: the same instructions (on PR they still trap and are emulated), none clearing DE."""
    out = []
    for line in scenario.splitlines(True):
        if is_mtmsr(line):
            g, pc, op, val = line.split()[:4]
            line = f"{g} {pc} {op} 0x{int(val, 0) | MSR_DE:x}\n"
        out.append(line)
    return "".join(out)


# What the guest does with its own MSR[DE] while gdb debugs it: nothing, clear it, or clear it and
# set it again later (an event recorded while DE=0 is then delivered late, at a later PC).
GUEST_DE = ("keep", "clear", "clear-restore")


def program(guest_de, msr):
    g = []
    pc = 0x1000
    if guest_de != "keep":
        g.append(f"g 0x{pc:x} mtmsr 0x{msr & ~MSR_DE:x}")
        pc += 4
    while pc < BP_ADDR:
        g.append(f"g 0x{pc:x} nop")
        pc += 4
    g += [f"g 0x{BP_ADDR:x} nop", f"g 0x{BP_ADDR + 4:x} load 0x{OTHER_DATA:x}",
          f"g 0x{BP_ADDR + 8:x} load 0x{WATCH:x}", f"g 0x{BP_ADDR + 12:x} store 0x{WATCH:x}",
          f"g 0x{BP_ADDR + 16:x} nop"]
    if guest_de == "clear-restore":
        g += [f"g 0x{BP_ADDR + 20:x} mtmsr 0x{msr | MSR_DE:x}", f"g 0x{BP_ADDR + 24:x} nop"]
    return "\n".join(g) + "\n"


def ioctl(control, bps, sw=()):
    """KVM_SET_GUEST_DEBUG as QEMU makes it: USE_SW_BP whenever gdb has software breakpoints."""
    control |= ENABLE | (USE_SW_BP if sw else 0)
    return "ioctl control=0x%x%s%s\n" % (control, "".join(f" bp={t}@0x{a:x}" for t, a in bps),
                                         "".join(f" sw=0x{a:x}" for a in sw))


def abi_scenarios():
    out = []
    for bad in (0x1, 0x10, BP | 0x1, 0x20):     # type bits outside READ|WRITE|BREAKPOINT
        out.append(ioctl(USE_HW_BP, [(bad, BP_ADDR)]))
        out.append(ioctl(USE_HW_BP, [(BP, BP_ADDR), (bad, WATCH)]))
    out.append(ioctl(USE_HW_BP, [(BP, 0x1000), (BP, 0x1004), (BP, 0x1008)]))   # 3 > 2 IACs
    out.append(ioctl(USE_HW_BP, [(WW, 0x9000), (WR, 0x9004), (WW, 0x9008)]))   # 3 > 2 DACs
    return out


def slots(pairs):
    """An ioctl's bp[] tokens for explicit slots: [(slot, type, addr)]."""
    return "".join(f" bp{n}={t}@0x{a:x}" for n, t, a in pairs)


# The rest of the uapi's domain (robustness: QEMU packs densely and sends only what it knows):
# a request in any of the 16 slots, with gaps, duplicated, past the slots the hardware has, and
# control bits the uapi does not define, which must change nothing
UAPI_REQUESTS = [
    ("gap", USE_HW_BP, [(1, BP, BP_ADDR), (3, WW, WATCH)]),
    ("last-slot", USE_HW_BP, [(15, BP, BP_ADDR)]),
    ("past-hardware", USE_HW_BP, [(0, BP, 0x1018), (5, WW, WATCH)]),
    ("duplicate", USE_HW_BP, [(0, BP, BP_ADDR), (1, BP, BP_ADDR)]),
    ("duplicate-watch", USE_HW_BP, [(0, WW, WATCH), (2, WW, WATCH)]),
    ("unknown-control", USE_HW_BP | 0x00040000 | 0x4, [(0, BP, BP_ADDR), (1, WW, WATCH)]),
    ("unknown-step", SINGLESTEP | 0x80000000, []),
]


def uapi_scenarios(config):
    out = []
    for _, control, pairs in UAPI_REQUESTS:
        for msr in (0x1200, 0x1000):
            out.append(f"guest-msr 0x{msr:x}\nioctl control=0x{ENABLE | control:x}{slots(pairs)}\n" +
                       program("keep", msr) + "run\n")
    return out


def robustness_scenarios(config):
    out = []
    # a userspace that enables debug and runs without writing the registers back (QEMU always
    # does, after any gdb stop): does the kernel arm MSR[DE] by itself?
    for msr in (0x1000, 0x1200):
        out.append(f"no-set-regs\nguest-msr 0x{msr:x}\n" + ioctl(USE_HW_BP, [(BP, BP_ADDR)]) +
                   program("keep", msr) + "run\n")
    if config == "hv":
        # a vCPU DBCR4 no ioctl of the patch can set (kernel-notes R1)
        out.append(HOST_WATCH + "poke-dbcr4 0x4000\n" + ioctl(USE_HW_BP, [(BP, BP_ADDR)]) +
                   program("keep", 0x1200) + "run\n")
    return out


# ---- the guest's own debugger (property virtualization): guest kernel programs, as text
IDM, IC, IAC1E, DAC1W_E, DAC2R_E, RET_E, TRAP_E = 0x40000000, 0x08000000, 0x00800000, \
    0x00040000, 0x00020000, 0x00008000, 0x01000000
SUPERVISOR_ONLY, USER_ONLY = 0x80000000, 0xC0000000     # DBCR1 IAC1US / DBCR2 DAC1US


def _gprog(lines, pc=0x1000):
    out = []
    for text in lines:
        out.append(f"g 0x{pc:x} {text}")
        pc += 4
    return "\n".join(out) + "\n"


def _reads(*regs):
    return [f"mfspr {r}" for r in regs]


# name -> the guest kernel's program (what its debugger does), run once from 0x1000
GUEST_PROGRAMS = {
    # a breakpoint the guest sets on its own code, hit, then the state read back
    "iac": ["mtspr iac1 0x1014", f"mtspr dbcr0 0x{IDM | IAC1E:x}", "nop", "nop", "nop",
            "load 0x9000"] + _reads("dbsr", "dbcr0", "iac1"),
    # a write watchpoint on DAC1
    "dac-write": ["mtspr dac1 0x9000", f"mtspr dbcr0 0x{IDM | DAC1W_E:x}", "nop",
                  "store 0x9000"] + _reads("dbsr", "dac1", "dbcr0"),
    # a read watchpoint on DAC2
    "dac2-read": ["mtspr dac2 0x9100", f"mtspr dbcr0 0x{IDM | DAC2R_E:x}", "load 0x9100"] +
                 _reads("dbsr", "dac2"),
    # a single step whose next instruction is one KVM emulates
    "step-emulated": [f"mtspr dbcr0 0x{IDM | IC:x}", "mfspr dbcr1", "nop", "nop"],
    # a single step over ordinary instructions
    "step": [f"mtspr dbcr0 0x{IDM | IC:x}", "nop", "load 0x9000", "nop"] + _reads("dbsr"),
    # a breakpoint the guest qualifies to supervisor state (DBCR1 IAC1US=0b10)
    "iac-supervisor": ["mtspr iac1 0x1010", f"mtspr dbcr1 0x{SUPERVISOR_ONLY:x}",
                       f"mtspr dbcr0 0x{IDM | IAC1E:x}", "nop", "nop", "nop"] +
                      _reads("dbsr", "dbcr1"),
    # the return-debug event, which the guest enables like any other
    "ret-event": [f"mtspr dbcr0 0x{IDM | RET_E:x}"] + _reads("dbcr0"),
    # events recorded while the guest runs with MSR[DE]=0, polled, then delivered late
    "de0-poll": ["mtmsr 0x1000", "mtspr iac1 0x100c", f"mtspr dbcr0 0x{IDM | IAC1E:x}", "nop",
                 "mfspr dbsr", "mtmsr 0x1200", "nop", "nop"] + _reads("dbsr"),
    # the guest's debugger takes trap instructions as its breakpoints (DBCR0[TRAP]) and skips
    # them; with MSR[DE]=0 a trap is the guest's program interrupt
    "trap": [f"mtspr dbcr0 0x{IDM | TRAP_E:x}", "nop", "trap", "nop", "mtmsr 0x1000", "trap",
             "nop", "mtmsr 0x1200", "nop"] + _reads("dbcr0"),
    # an event recorded while the guest runs with MSR[DE]=0 and never taken: it must not follow
    # the host thread out of KVM_RUN
    "de0-latch": ["mtmsr 0x1000", "mtspr iac1 0x100c", f"mtspr dbcr0 0x{IDM | IAC1E:x}", "nop",
                  "nop"],
    # a watchpoint for the guest's user mode (ptrace inside the guest, DBCR2 DAC1US=0b11)
    "user-watch": ["mtspr dac1 0x9000", f"mtspr dbcr2 0x{USER_ONLY:x}",
                   f"mtspr dbcr0 0x{IDM | DAC1W_E:x}", "mfspr dbcr2", "mtmsr 0x5200", "nop",
                   "store 0x9000",
                   "nop"],
    # the breakpoint address written after the enable: the write alone must arm it
    "iac-armed-last": [f"mtspr dbcr0 0x{IDM | IAC1E:x}", "mtspr iac1 0x1010", "nop", "nop", "nop",
                       "mfspr dbsr"],
    # the guest clears one DBSR bit of two (write 1 to clear)
    "dbsr-w1c": ["mtmsr 0x1000", "mtspr iac1 0x1010", "mtspr dac1 0x9000",
                 f"mtspr dbcr0 0x{IDM | IAC1E | DAC1W_E:x}", "nop", "store 0x9000",
                 f"mtspr dbsr 0x{DAC1W_E:x}"] + _reads("dbsr"),
}

# ownership changing hands mid-session: (before the first run, between runs)
HANDOVERS = {
    "none": ("", ""),
    # QEMU attaches after the guest programmed its registers, stops, detaches; the guest runs on
    "attach-detach": (ioctl(USE_HW_BP, [(BP, 0x100c)]), "ioctl control=0x0\n"),
}


def guest_owned_scenarios(config):
    """The guest's own debugger in every program x preemption point x host context, and
    ownership handed to QEMU and back."""
    out = []
    for name, lines in GUEST_PROGRAMS.items():
        prog = _gprog(lines)
        for preempt in ("",) + PREEMPT_POINTS[:5]:
            for host in ("", HOST_WATCH + OTHER_BP):
                if host and not preempt:
                    continue
                s = host + "guest-msr 0x1200\n" + (f"preempt {preempt}\n" if preempt else "")
                out.append(s + prog + "run\n")
    # ownership: the guest programs its breakpoint and watchpoint, gdb attaches and stops at
    # 0x100c, detaches, and the guest reads its registers back and runs into its own events
    handover = ["mtspr iac1 0x1018", "mtspr dac1 0x9000",
                f"mtspr dbcr0 0x{IDM | IAC1E | DAC1W_E:x}", "nop"] + \
        _reads("dbcr0", "iac1", "dac1") + ["store 0x9000", "nop"]
    for attach, detach in HANDOVERS.values():
        for preempt in ("", "exit"):
            s = "guest-msr 0x1200\n" + attach + (f"preempt {preempt}\n" if preempt else "")
            s += _gprog(handover) + "run\n" + (detach + "run\n" if detach else "")
            out.append(s)
    # userspace attaches first: the guest's writes meanwhile are ignored (documented), then
    # gdb detaches and the guest programs and uses its facility
    out.append("guest-msr 0x1200\n" + ioctl(SINGLESTEP, []) +
               _gprog([f"mtspr dbcr0 0x{IDM | DAC1W_E:x}", "mtspr dac1 0x9000", "nop",
                       "mfspr dbcr0"] + ["store 0x9000", "nop"]) +
               "run\nioctl control=0x0\nrun\n")
    return out


# ---- whole gdb sessions (property stops, every stop in order; then virtualization after detach)
def session_prog(data=WATCH):
    """The program a session debugs: the watched word at data, the other one 0x100 above."""
    return ["nop", "nop", "nop", f"load 0x{data:x}", "nop", "nop", f"store 0x{data:x}", "nop",
            f"load 0x{data + 0x100:x}", "nop", "nop", "nop"]


# a Linux guest kernel debugged at its own addresses, which are the host kernel's too
KERNEL_TEXT, KERNEL_DATA = 0xC0001000, 0xC0009000


def _step_over(bps, at):
    """gdb resuming from a stop at `at`: the breakpoint there removed, one single step."""
    return ioctl(SINGLESTEP | USE_HW_BP, [b for b in bps if b != (BP, at)])


def gdb_session(pre="", text=0x1000, data=WATCH):
    """break at two places, continue, step over each the way gdb does it (remove, step,
    re-insert), add a watchpoint, step over it, change it to a read watchpoint elsewhere, then
    detach: every stop is checked. pre goes before each KVM_RUN; the program is at text."""
    a, b = text + 8, text + 0x14
    two = [(BP, a), (BP, b)]
    steps = [ioctl(USE_HW_BP, two) + _gprog(session_prog(data), text),   # stops at a
             _step_over(two, a),                                         # a + 4
             ioctl(USE_HW_BP, two),                                      # b
             _step_over(two, b),                                         # b + 4
             ioctl(USE_HW_BP, two + [(WW, data)]),                       # the store at b + 4
             ioctl(SINGLESTEP | USE_HW_BP, two),                         # b + 8
             ioctl(USE_HW_BP, two + [(WR, data + 0x100)]),               # the load at b + 12
             "ioctl control=0x0\n"]                                     # detached: runs to the end
    return "".join(st + pre + "run\n" for st in steps)


def sw_session(pre=""):
    """gdb's software breakpoints (QEMU writes KVM's debug instruction over the guest's) beside a
    hardware watchpoint: stop, step over each (the original instruction put back, one step, the
    breakpoint written again), continue into the watchpoint, detach."""
    sw, hw = (0x1008, 0x1014), [(WW, WATCH)]
    steps = [ioctl(USE_HW_BP, hw, sw) + _gprog(session_prog()),       # stops at 0x1008
             ioctl(SINGLESTEP | USE_HW_BP, hw, sw[1:]),                # 0x100c
             ioctl(USE_HW_BP, hw, sw),                                 # 0x1014
             ioctl(SINGLESTEP | USE_HW_BP, hw, sw[:1]),                # 0x1018
             ioctl(USE_HW_BP, hw, sw),                                 # the store at 0x1018
             "ioctl control=0x0\n"]
    return "".join(st + pre + "run\n" for st in steps)


# every kind of guest instruction gdb can step over (PR traps mtmsr, both cores trap the debug
# SPR accesses: KVM emulates those)
STEP_KINDS = ["nop", "load 0x9000", "store 0x9000", "mtmsr 0x1200", "nop", "mfspr dbcr0", "nop",
              "mtspr dbcr1 0x0", "nop", "nop"]


def step_session(pre=""):
    """gdb single-steps through every instruction of STEP_KINDS, one KVM_RUN a step, then detaches:
    each stop is checked."""
    steps = [ioctl(SINGLESTEP, []) + _gprog(STEP_KINDS)] + [""] * (len(STEP_KINDS) - 2) + \
        ["ioctl control=0x0\n"]
    return "".join(st + pre + "run\n" for st in steps)


def detach_then_guest():
    """gdb attaches first and stops; after the detach the guest programs its own breakpoint,
    reads its status, runs with MSR[DE]=0 into it, then sets DE and takes it late."""
    prog = ["nop", "nop", "nop", "load 0x9000", "mfspr dbsr", "mtspr iac1 0x1024",
            f"mtspr dbcr0 0x{IDM | IAC1E:x}", "mtmsr 0x1000", "nop", "nop", "mtmsr 0x1200", "nop",
            "mfspr dbsr"]
    return ioctl(USE_HW_BP, [(BP, 0x1008)]) + _gprog(prog) + "run\nioctl control=0x0\nrun\n"


def session_scenarios(config, profile="6.1"):
    """Whole sessions in each guest MSR[DE], preemption point and host context."""
    out = []
    # software breakpoints go through the exit path's program case, which the 2013 mail lacks
    sessions = (gdb_session, step_session) if profile == "v3" else (gdb_session, sw_session,
                                                                   step_session)
    for msr in (0x1200, 0x1000):
        for preempt in ("", "exit", "post-run"):
            for host in ("", HOST_WATCH + OTHER_BP):
                if host and not preempt:
                    continue
                head = host + f"guest-msr 0x{msr:x}\n"
                for session in sessions:
                    out.append(head + session(f"preempt {preempt}\n" if preempt else ""))
    # two other threads with their own contexts, taking turns at each run's preemption
    out.append(OTHER_BP + "other dbcr0=0x400F0000 dbcr2=0xCC800000 dac1=0x9000 dac2=0x9100\n"
               "guest-msr 0x1200\n" + gdb_session("preempt exit\n"))
    # the guest kernel debugged at kernel addresses, with and without a preemption
    for preempt in ("", "exit"):
        out.append("guest-msr 0x1200\n" + gdb_session(f"preempt {preempt}\n" if preempt else "",
                                                      KERNEL_TEXT, KERNEL_DATA))
    out.append("guest-msr 0x1200\n" + detach_then_guest())
    out.append("guest-msr 0x1200\npreempt exit\n" + detach_then_guest())
    return out


def host_space_contexts():
    """Host contexts covering the rest of the qualifier and mode space: each comparator pair with
    every user/supervisor qualifier (DBCR1/DBCR2 xUS: any, PR=0, PR=1), every address-space
    qualifier (xER: any, IS/DS=0, IS/DS=1) and every pair mode (IAC12M exact, range in, range out;
    DAC12M exact, bit mask, range in, range out), the same for both comparators of the pair; and
    each DBCR0 event that is not a compare, alone."""
    out = []
    quals = [(us, er) for us in (0, 2, 3) for er in (0, 2, 3)]
    for us, er in quals:
        q = us << 30 | er << 28 | us << 26 | er << 24
        for m in (0, 2, 3):
            out.append(f"dbcr0=0x{IDM | IAC1E | 0x00400000:x} dbcr1=0x{q | m << 22:x} iac1=0x7000 "
                       "iac2=0x7100")
        for m in (0, 1, 2, 3):
            out.append(f"dbcr0=0x400F0000 dbcr2=0x{q | m << 22:x} dac1=0x7000 dac2=0x7100")
    for event in (IC, 0x04000000, 0x02000000, TRAP_E, RET_E):     # ICMP BRT IRPT TRAP RET
        out.append(f"dbcr0=0x{IDM | event:x}")
    return out


def host_context_scenarios(config):
    """Each host context on the vCPU thread and on another thread, at every preemption point,
    with gdb's breakpoint and watchpoint armed, and with the guest's own debugger."""
    out = []
    req = ioctl(USE_HW_BP, [(BP, BP_ADDR), (WW, WATCH)])
    for _, keys in HOST_CONTEXTS:
        for who in ("host", "other"):
            for preempt in ("",) + PREEMPT_POINTS[:5]:
                if who == "other" and not preempt:
                    continue          # another thread runs only when the vCPU thread is preempted
                head = f"{who} {keys}\nguest-msr 0x1200\n" + (f"preempt {preempt}\n" if preempt else "")
                out.append(head + req + program("keep", 0x1200) + "run\n")
        out.append(f"host {keys}\nguest-msr 0x1200\npreempt exit\n" +
                   _gprog(GUEST_PROGRAMS["iac"]) + "run\n")
    # the rest of the space: on the vCPU thread across an exit, and on the thread that runs while
    # it is preempted
    for keys in host_space_contexts():
        for who, preempt in (("host", "exit"), ("other", "post-run")):
            out.append(f"{who} {keys}\nguest-msr 0x1200\npreempt {preempt}\n" + req +
                       program("keep", 0x1200) + "run\n")
    return out


def api_one_regs(api_text):
    """The debug-register ONE_REG ids a tree's Documentation/virt/kvm/api.rst lists, as our names."""
    listed = {m.lower() for m in re.findall(r"\bKVM_REG_PPC_(IAC[1-4]|DAC[12]|DBSR)\b", api_text)}
    return tuple(r for r in ONE_REGS if r in listed)


def one_reg_scenarios(listed):
    """KVM_GET/SET_ONE_REG of each listed debug register: set, read back by the VMM and by the
    guest; a restored breakpoint the guest then uses; the guest's own write seen by the VMM; and a
    get after gdb attached and detached."""
    out = []
    for r in listed:
        s = f"one-reg set {r} 0x1010\none-reg get {r}\n"
        if r in G_SPRS:
            s += _gprog([f"mfspr {r}"]) + f"run\none-reg get {r}\n"
        out.append(s)
    if "iac1" in listed:
        out.append("guest-msr 0x1200\none-reg set iac1 0x100c\n" +
                   _gprog([f"mtspr dbcr0 0x{IDM | IAC1E:x}", "nop", "nop", "nop", "mfspr dbsr"]) +
                   "run\n")
        out.append(ioctl(USE_HW_BP, [(BP, 0x1008)]) + "one-reg get iac1\nioctl control=0x0\n"
                   "one-reg get iac1\n")
    if "dac1" in listed:
        out.append(_gprog(["mtspr dac1 0x9000", "nop"]) + "run\none-reg get dac1\n")
    # a VMM restoring the guest's breakpoint while its thread is preempted inside the ioctl
    if "iac1" in listed:
        out.append(OTHER_BP + "guest-msr 0x1200\npreempt ioctl\none-reg set iac1 0x100c\n" +
                   _gprog([f"mtspr dbcr0 0x{IDM | IAC1E:x}", "nop", "nop", "nop", "mfspr dbsr"]) +
                   "run\n")
    return out


def fixed_scenarios(config, profile="6.1", one_regs=()):
    """The families every run has, whatever its budget: the ABI, robustness, whole sessions,
    host contexts, the uapi's domain, the guest's own debugger, ONE_REG."""
    fixed = abi_scenarios() + robustness_scenarios(config) + session_scenarios(config, profile) + \
        host_context_scenarios(config) + uapi_scenarios(config)
    if profile != "v3":         # the 2013 mail carries no emulation of the guest's accesses
        fixed += guest_owned_scenarios(config) + one_reg_scenarios(one_regs)
        # a VMM that runs the vCPU before any other vCPU ioctl: the hardware's reset status is
        # still in DBSR at the first entry
        fixed.append("no-set-regs\nguest-msr 0x1200\n" + _gprog(GUEST_PROGRAMS["iac"]) + "run\n")
    return fixed


def exhaustive_scenarios(config, budget):
    """The bounded-exhaustive family (request shape x guest MSR[DE] x what the guest does with DE x
    preemption point x host contexts), evenly thinned to at most budget scenarios."""
    main = []
    for de in (1, 0):
        msr = 0x1000 | (0x200 if de else 0)
        for host in ("", HOST_WATCH):
            for name, control, bps in REQUESTS:
                for clear in GUEST_DE:
                    for preempt in ("",) + PREEMPT_POINTS:
                        for other in ("", OTHER_BP):
                            if other and not preempt:
                                continue
                            # a preemption names the next ioctl or the next KVM_RUN
                            pre = f"preempt {preempt}\n" if preempt else ""
                            s = host + other + f"guest-msr 0x{msr:x}\n"
                            s += pre + ioctl(control, bps) if preempt == "ioctl" else \
                                ioctl(control, bps) + pre
                            main.append(s + program(clear, msr) + "run\n")
    if budget < len(main):
        step = len(main) / budget if budget else 0
        main = [main[int(i * step)] for i in range(budget)]
    return main


def enumerate_scenarios(config, budget, profile="6.1", one_regs=()):
    """The fixed families, then at most budget bounded-exhaustive scenarios on top."""
    return fixed_scenarios(config, profile, one_regs) + exhaustive_scenarios(config, budget)


def shape(scenario):
    """The coverage point of a scenario: request shape, preemption point, guest MSR[DE], host."""
    req = "abi"
    for name, control, bps in REQUESTS:
        if ioctl(control, bps) in scenario:
            req = name
    pre = next((l.split()[1] for l in scenario.splitlines() if l.startswith("preempt ")), "none")
    de = "de1" if "guest-msr 0x1200" in scenario else "de0"
    writes = scenario.count(" mtmsr ")
    clears = "-" if not writes else "guest-clears-de" if writes == 1 else "guest-clears-restores-de"
    host = "host-ctx" if scenario.startswith("host ") else "-"
    return (req, pre, de, clears, host)


def coverage(config, scenarios):
    """Bins: request shape x preemption point x guest MSR[DE] x the guest clearing DE x host
    context, per configuration. Returns (hit bins, all legal bins)."""
    legal = {(r[0], p, d, c, h) for r in REQUESTS for p in ("none",) + PREEMPT_POINTS
             for d in ("de0", "de1") for c in ("-", "guest-clears-de", "guest-clears-restores-de")
             for h in ("-", "host-ctx")}
    hit = {shape(s) for s in scenarios} & legal
    return hit, legal


def random_scenarios(config, seed, count):
    """Seeded constrained-random scenarios (the same seed gives the same text): random request
    shapes at addresses on and next to what the guest touches, random guest programs that flip
    MSR[DE], random host contexts and preemption points."""
    import random
    rnd = random.Random(f"{config}:{seed}")
    out = []
    for _ in range(count):
        msr = 0x1000 | rnd.choice((0, 0x200))
        pc, prog, data = 0x1000, [], []
        for _ in range(rnd.randint(3, 9)):
            kind = rnd.choice(("nop", "nop", "load", "store", "mtmsr"))
            if kind in ("load", "store"):
                ea = rnd.choice((WATCH, OTHER_DATA, 0x7000)) + rnd.choice((0, 0, 4, 8, -4))
                data.append(ea)
                prog.append(f"g 0x{pc:x} {kind} 0x{ea & 0xFFFFFFFF:x}")
            elif kind == "mtmsr":
                prog.append(f"g 0x{pc:x} mtmsr 0x{0x1000 | rnd.choice((0, 0x200)):x}")
            else:
                prog.append(f"g 0x{pc:x} nop")
            pc += 4
        pcs = [int(l.split()[1], 16) for l in prog]
        bps = []
        for _ in range(rnd.randint(0, 3)):
            if rnd.random() < 0.5:
                bps.append((BP, rnd.choice(pcs) + rnd.choice((0, 0, 4))))
            else:
                addr = rnd.choice(data or [WATCH]) + rnd.choice((0, 0, 4))
                bps.append((rnd.choice((WW, WR, WW | WR)), addr & 0xFFFFFFFF))
        # QEMU refuses duplicates (-EEXIST) and never packs more than 2 breakpoints and 2
        # watchpoints (-ENOBUFS)
        uniq = list(dict.fromkeys(bps))
        bps = [b for b in uniq if b[0] == BP][:2] + [b for b in uniq if b[0] != BP][:2]
        control = USE_HW_BP if bps else rnd.choice((USE_HW_BP, SINGLESTEP))
        s = rnd.choice(("", HOST_WATCH)) + rnd.choice(("", OTHER_BP))
        s += f"guest-msr 0x{msr:x}\n" + ioctl(control, bps)
        pre = rnd.choice(("",) + PREEMPT_POINTS[:5])     # those in KVM_RUN
        if pre:
            s += f"preempt {pre}\n"
        out.append(s + "\n".join(prog) + "\nrun\n")
    return out
