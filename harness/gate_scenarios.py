"""Gate scenarios: bounded-exhaustive enumeration of request shapes x guest behaviour x host
context x preemption point, in a fixed order (the same budget gives the same scenarios).

A scenario is text for harness/gate_world.c (see harness/README.md):
    host/other  the QEMU vCPU thread's / another host thread's own debug context
    guest-msr   the guest-visible MSR before userspace attaches
    ioctl       KVM_SET_GUEST_DEBUG as QEMU packs it (bp=TYPE@ADDR, densely)
    preempt     where the kernel gets preempted during the next KVM_RUN
    g           the guest's instructions, then 'run'
"""

ENABLE, SINGLESTEP, USE_HW_BP = 0x1, 0x2, 0x20000
BP, WW, WR = 2, 4, 8           # KVMPPC_DEBUG_BREAKPOINT, WATCH_WRITE, WATCH_READ (uapi values)
BP_ADDR, WATCH, OTHER_DATA = 0x1008, 0x9000, 0x9100
# Linux user-thread defaults: DBCR1/DBCR2 US=11 (user only) [PR]
HOST_WATCH = "host dbcr0=0x40040000 dbcr2=0xC0000000 dac1=0x7000\n"   # IDM|DAC1W on 0x7000
OTHER_BP = "other dbcr0=0x40800000 dbcr1=0xC0000000 iac1=0x1008\n"    # IDM|IAC1 on 0x1008

REQUESTS = [
    ("break", USE_HW_BP, [(BP, BP_ADDR)]),
    ("watch", USE_HW_BP, [(WW, WATCH)]),
    ("rwatch", USE_HW_BP, [(WR, WATCH)]),
    ("awatch", USE_HW_BP, [(WW | WR, WATCH)]),
    ("break+watch", USE_HW_BP, [(BP, BP_ADDR), (WW, WATCH)]),
    ("step", SINGLESTEP, []),
]


def program(clear_de, msr):
    g = []
    pc = 0x1000
    if clear_de:
        g.append(f"g 0x{pc:x} mtmsr 0x{msr & ~0x200:x}")
        pc += 4
    while pc < BP_ADDR:
        g.append(f"g 0x{pc:x} nop")
        pc += 4
    g += [f"g 0x{BP_ADDR:x} nop", f"g 0x{BP_ADDR + 4:x} load 0x{OTHER_DATA:x}",
          f"g 0x{BP_ADDR + 8:x} load 0x{WATCH:x}", f"g 0x{BP_ADDR + 12:x} store 0x{WATCH:x}",
          f"g 0x{BP_ADDR + 16:x} nop"]
    return "\n".join(g) + "\n"


def ioctl(control, bps):
    return "ioctl control=0x%x%s\n" % (ENABLE | control, "".join(f" bp={t}@0x{a:x}" for t, a in bps))


def abi_scenarios():
    out = []
    for bad in (0x1, 0x10, BP | 0x1, 0x20):     # type bits outside READ|WRITE|BREAKPOINT
        out.append(ioctl(USE_HW_BP, [(bad, BP_ADDR)]))
        out.append(ioctl(USE_HW_BP, [(BP, BP_ADDR), (bad, WATCH)]))
    out.append(ioctl(USE_HW_BP, [(BP, 0x1000), (BP, 0x1004), (BP, 0x1008)]))   # 3 > 2 IACs
    out.append(ioctl(USE_HW_BP, [(WW, 0x9000), (WR, 0x9004), (WW, 0x9008)]))   # 3 > 2 DACs
    return out


def robustness_scenarios(config):
    out = []
    # a userspace that enables debug and runs without writing the registers back (QEMU always
    # does, after any gdb stop): does the kernel arm MSR[DE] by itself?
    for msr in (0x1000, 0x1200):
        out.append(f"no-set-regs\nguest-msr 0x{msr:x}\n" + ioctl(USE_HW_BP, [(BP, BP_ADDR)]) +
                   program(False, msr) + "run\n")
    if config == "hv":
        # a vCPU DBCR4 no ioctl of the patch can set (kernel-notes R1)
        out.append(HOST_WATCH + "poke-dbcr4 0x4000\n" + ioctl(USE_HW_BP, [(BP, BP_ADDR)]) +
                   program(False, 0x1200) + "run\n")
    return out


def enumerate_scenarios(config, budget):
    main = []
    for de in (1, 0):
        msr = 0x1000 | (0x200 if de else 0)
        for host in ("", HOST_WATCH):
            for name, control, bps in REQUESTS:
                for clear in (False, True):
                    for preempt in ("", "exit", "post-run", "after-run"):
                        for other in ("", OTHER_BP):
                            if other and not preempt:
                                continue
                            s = host + other + f"guest-msr 0x{msr:x}\n" + ioctl(control, bps)
                            if preempt:
                                s += f"preempt {preempt}\n"
                            main.append(s + program(clear, msr) + "run\n")
    fixed = abi_scenarios() + robustness_scenarios(config)
    room = max(budget - len(fixed), 0)
    if room < len(main):
        step = len(main) / room if room else 0
        main = [main[int(i * step)] for i in range(room)]
    return fixed + main


def shape(scenario):
    """The coverage point of a scenario: request shape, preemption point, guest MSR[DE], host."""
    req = "abi"
    for name, control, bps in REQUESTS:
        if ioctl(control, bps) in scenario:
            req = name
    pre = next((l.split()[1] for l in scenario.splitlines() if l.startswith("preempt ")), "none")
    de = "de1" if "guest-msr 0x1200" in scenario else "de0"
    clears = "guest-clears-de" if " mtmsr " in scenario else "-"
    host = "host-ctx" if scenario.startswith("host ") else "-"
    return (req, pre, de, clears, host)


def coverage(config, scenarios):
    """Bins: request shape x preemption point x guest MSR[DE] x the guest clearing DE x host
    context, per configuration. Returns (hit bins, all legal bins)."""
    legal = {(r[0], p, d, c, h) for r in REQUESTS for p in ("none", "exit", "post-run", "after-run")
             for d in ("de0", "de1") for c in ("-", "guest-clears-de") for h in ("-", "host-ctx")}
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
        pre = rnd.choice(("", "exit", "post-run", "after-run"))
        if pre:
            s += f"preempt {pre}\n"
        out.append(s + "\n".join(prog) + "\nrun\n")
    return out
