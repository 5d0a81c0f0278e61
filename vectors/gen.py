#!/usr/bin/env python3
"""Constrained-random trace generator for the bookedbg model (domain "model").

    gen.py --seed S [--count N] [--first I] [--shard K/N] [--core e500v2|e500mc|both]
           [--episodes E] [--opt NAME=VALUE]... [--out DIR]

Trace i of seed S depends only on (S, i, the arguments), never on the other traces, so any shard
or --first/--count window reproduces exactly the same files as the unsharded run. Without --out
every trace goes to standard output, each headed by `# ==== trace NAME`; with --out DIR each is
written to DIR/NAME.trace (temp + rename).

Expectations come from vectors/ref.py, an independent Python reference of the key rules; where the
reference does not know the answer (dual completion, faults, async inputs, EDM...) no expect is
written and the model is checked only by coverage, illegal bins and the exit status.
"""
import argparse
import os
import random
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from common import run_main, GEN_VERSION, InputError, atomic_write, die, in_shard, parse_shard, render_trace  # noqa
import ref as R  # noqa

M32 = 0xFFFFFFFF
MSR_BITS = (R.MSR_DE, R.MSR_PR, R.MSR_IS, R.MSR_DS)
DBSR_DIRTY = (R.IAC1, R.IAC2, R.DAC1R, R.DAC1W, R.DAC2R, R.DAC2W, R.ICMP, R.BRT, R.TRAP, R.RET,
              R.IRPT, R.UDE, R.IDE, R.MRR & 0x10000000)


class Gen:
    def __init__(self, rnd, core):
        self.rnd, self.core = rnd, core
        self.stmts = []
        self.cycle = 0
        self.slack = False
        self.ref = R.Ref(core)

    # -- value choices biased toward boundaries -------------------------------------------------
    def boundary(self, lo, hi, step=1):
        r = self.rnd.random()
        if r < 0.8:
            return self.rnd.choice([lo - step, lo, lo + step, hi - step, hi, hi + step, 0, M32 & ~(step - 1),
                                    (lo + hi) // 2]) & M32
        return self.rnd.randrange(0, 1 << 32) & ~(step - 1)

    def addr(self):
        r = self.rnd.random()
        if r < 0.15:
            return self.rnd.choice([0, 4, M32 - 3, 0x80000000, 0x7FFFFFFC])
        return self.rnd.choice([0x1000, 0x2000, 0x10000, 0xC0000000]) + 4 * self.rnd.randrange(0, 64)

    def msr(self, de=None):
        m = R.MSR_ME if self.rnd.random() < 0.7 else 0
        for b in MSR_BITS:
            if self.rnd.random() < 0.4:
                m |= b
        if self.rnd.random() < 0.3:
            m |= R.MSR_CE | R.MSR_EE
        if de is not None:
            m = (m & ~R.MSR_DE) | (R.MSR_DE if de else 0)
        return m

    def fit_msr(self, us, er, xs_bit):
        """Half the time make MSR satisfy the qualifiers, so qualified hits are reached."""
        m = self.msr()
        if self.rnd.random() < 0.5:
            if us in (2, 3):
                m = (m & ~R.MSR_PR) | (R.MSR_PR if us == 3 else 0)
            if er in (2, 3):
                m = (m & ~xs_bit) | (xs_bit if er == 3 else 0)
        return m

    def qual(self):
        us = self.rnd.choice([0, 0, 2, 3, 1])
        er = self.rnd.choice([0, 0, 2, 3, 1])
        return us, er

    # -- statement emission ---------------------------------------------------------------------
    def emit(self, s):
        self.stmts.append(s)
        R.step(self.ref, s)
        if s[0] != "set":
            self.ref.last_cycle = s[-1]

    def tick(self, same=False):
        if same:
            self.slack = True
            return self.cycle
        # After a pair, or anything the reference does not follow, leave room for the model's slips.
        self.cycle += 16 if self.slack or not self.ref.known else self.rnd.choice([1, 1, 1, 2, 3])
        self.slack = False
        return self.cycle

    def pc(self):
        return self.ref.r.get("PC", 0x1000) if self.ref.known else 0x1000

    def ex(self, insn, pc=None, same=False):
        self.emit(("exec", (self.pc() if pc is None else pc) & M32 & ~3, insn.split(), self.tick(same)))

    def sync(self, **kw):
        """A full resync `set`: every register the reference tracks."""
        regs = {"MSR": self.msr(), "DBCR0": 0, "DBCR1": 0, "DBCR2": 0, "IAC1": 0, "IAC2": 0,
                "DAC1": 0, "DAC2": 0, "DBSR": 0, "IVPR": 0xFFFF0000, "IVOR6": 0x700, "IVOR8": 0xC00,
                "IVOR15": self.rnd.choice([0x100, 0xF00, 0x1F0]), "PC": self.addr()}
        if self.rnd.random() < 0.15:       # DBSR left dirty by a previous handler
            regs["DBSR"] = self.rnd.choice(DBSR_DIRTY) | (R.IDE if self.rnd.random() < 0.3 else 0)
        regs.update({k.upper(): v for k, v in kw.items()})
        self.emit(("set", regs))

    def dbcr0(self, bits):
        return R.IDM | bits if self.rnd.random() < 0.9 else bits

    # -- episodes -------------------------------------------------------------------------------
    def ep_iac(self):
        mode = self.rnd.choice([0, 0, 1, 2, 3])
        lo, hi = self.addr(), self.addr()
        if mode in (2, 3) and lo > hi and self.rnd.random() < 0.8:
            lo, hi = hi, lo
        if mode == 1:
            hi = self.rnd.choice([0xFFFFFF00, 0xFFFFF000, 0xFFFF0000, 0, M32, 0xF0F0F0F0])
        (u1, e1), (u2, e2) = self.qual(), self.qual()
        if mode and self.rnd.random() < 0.7:
            u2, e2 = u1, e1
        en = self.rnd.choice([R.IAC1, R.IAC2, R.IAC1 | R.IAC2])
        if self.rnd.random() < 0.15:
            lo |= self.rnd.choice([1, 2, 3])          # low bits of IAC are ignored
        extra = self.rnd.choice([0, 0, R.ICMP, R.TRAP, R.BRT])
        self.sync(MSR=self.fit_msr(u1, e1, R.MSR_IS), DBCR0=self.dbcr0(en | extra), DBCR1=u1 << 30 | e1 << 28 | u2 << 26 | e2 << 24 | mode << 22,
                  IAC1=lo, IAC2=hi)
        for _ in range(self.rnd.randrange(1, 4)):
            if not self.ref.known:
                return
            pc = self.boundary(lo & ~3, hi & ~3, 4) if mode else self.rnd.choice([lo & ~3, hi & ~3, lo & ~3 ^ 4])
            self.emit(("set", {"PC": pc}))
            self.ex(self.rnd.choice(["nop", "nop", "load 0x100", "trap", "branch 0x4000", "mtmsr 0x%X" % self.msr()]))
            self.handler()

    def ep_dac(self):
        mode = self.rnd.choice([0, 0, 1, 2, 3])
        lo, hi = self.rnd.randrange(0, 1 << 32), self.rnd.randrange(0, 1 << 32)
        if self.rnd.random() < 0.6:
            lo = self.rnd.choice([0, 0x100, 0x1000, M32, 0x80000000, 0xFFFFFF00])
            hi = (lo + self.rnd.choice([1, 4, 8, 0x100])) & M32
        if mode in (2, 3) and lo > hi and self.rnd.random() < 0.8:
            lo, hi = hi, lo
        if mode == 1:
            hi = self.rnd.choice([0xFFFFFF00, 0xFFFFFFF8, 0, M32, 0x0F0F0F0F])
        (u1, e1), (u2, e2) = self.qual(), self.qual()
        if mode and self.rnd.random() < 0.7:
            u2, e2 = u1, e1
        en = self.rnd.choice([R.DAC1R, R.DAC1W, R.DAC2R, R.DAC2W, R.DAC1R | R.DAC1W,
                              R.DAC1R | R.DAC1W | R.DAC2R | R.DAC2W])
        extra = self.rnd.choice([0, 0, R.ICMP])
        self.sync(MSR=self.fit_msr(u1, e1, R.MSR_DS), DBCR0=self.dbcr0(en | extra), DBCR2=u1 << 30 | e1 << 28 | u2 << 26 | e2 << 24 | mode << 22,
                  DAC1=lo, DAC2=hi)
        for _ in range(self.rnd.randrange(1, 4)):
            if not self.ref.known:
                return
            ea = self.boundary(lo, hi)
            op = self.rnd.choice(["load", "store", "load", "store", "lwarx", "stwcx", "dcbt", "dcbz",
                                  "dcbf", "icbi", "lmw", "stmw"])
            if op in ("load", "store"):
                size = self.rnd.choice([1, 2, 4, 4, 8])
                self.ex("%s 0x%X %d" % (op, ea, size))
            elif op in ("lmw", "stmw"):
                self.ex("%s 0x%X %d" % (op, ea & ~3, self.rnd.randrange(1, 4)))
            else:
                self.ex("%s 0x%X" % (op, ea))
            self.handler()

    def handler(self):
        """After a debug interrupt: sometimes clear DBSR (W1C, maybe partially) and return with DE."""
        if not self.ref.known or self.ref.r["PC"] != self.ref.vector("IVOR15"):
            return
        if self.rnd.random() < 0.6:
            self.ex("mtspr DBSR 0x%X" % self.rnd.choice([M32, M32, self.ref.r["DBSR"] & ~R.IDE, R.IDE]))
        if self.rnd.random() < 0.5:
            self.ex("mtmsr 0x%X" % self.msr(de=True))

    def ep_delayed(self):
        """Arm with DE=0, hit, flip MSR (PR/IS/DS/DE) between arming and firing, then set DE."""
        kind = self.rnd.choice(["iac", "dac", "trap"])
        a = self.addr()
        if kind == "iac":
            self.sync(MSR=self.msr(de=False), DBCR0=R.IDM | R.IAC1 | self.rnd.choice([0, R.ICMP]), IAC1=a, PC=a)
            self.ex(self.rnd.choice(["nop", "mtmsr 0x%X" % self.msr(), "load 0x40"]))
        elif kind == "dac":
            self.sync(MSR=self.msr(de=False), DBCR0=R.IDM | R.DAC1W | R.DAC2R, DAC1=a, DAC2=a)
            self.ex(self.rnd.choice(["store 0x%X" % a, "load 0x%X" % a]))
        else:
            self.sync(MSR=self.msr(de=False), DBCR0=self.rnd.choice([R.IDM | R.TRAP, R.TRAP]))
            self.ex("trap")
        for _ in range(self.rnd.randrange(0, 3)):
            if not self.ref.known:
                return
            self.ex(self.rnd.choice(["nop", "mtmsr 0x%X" % self.msr(de=False),
                                     "mtspr DBSR 0x%X" % self.rnd.choice([R.IDE, R.IAC1, 0]), "branch 0x8000"]))
        if self.ref.known:
            self.ex(self.rnd.choice(["mtmsr 0x%X" % self.msr(de=True), "mtmsr 0x%X" % self.msr(de=True),
                                     "sc"]))
        self.handler()

    def ep_step(self):
        """ICMP/BRT/TRAP stepping with DE=1: back-to-back events, sc, branches, handlers."""
        self.sync(MSR=self.msr(de=True), DBCR0=self.dbcr0(self.rnd.choice(
            [R.ICMP, R.BRT, R.ICMP | R.BRT, R.TRAP | R.ICMP, R.TRAP])))
        for _ in range(self.rnd.randrange(1, 5)):
            if not self.ref.known:
                return
            self.ex(self.rnd.choice(["nop", "branch 0x%X" % self.addr(), "branch-nt", "trap", "sc",
                                     "mtmsr 0x%X" % self.msr(), "load 0x10", "isync"]))
            self.handler()

    def ep_window(self):
        """mtspr ... isync: a debug SPR write is seen by the comparators only after the CSI."""
        a = self.addr()
        self.sync(MSR=self.msr(de=self.rnd.random() < 0.7), DBCR0=R.IDM, PC=0x9000)
        reg = self.rnd.choice(["IAC1", "DBCR0", "DAC1", "DBCR1"])
        if reg == "IAC1":
            self.ex("mtspr DBCR0 0x%X" % (R.IDM | R.IAC1))
            self.ex("isync")
            self.ex("mtspr IAC1 0x%X" % a)
        elif reg == "DBCR0":
            self.emit(("set", {"IAC1": a}))
            self.ex("mtspr DBCR0 0x%X" % (R.IDM | R.IAC1 | self.rnd.choice([0, R.ICMP])))
        elif reg == "DAC1":
            self.emit(("set", {"DBCR0": R.IDM | R.DAC1R | R.DAC1W}))
            self.ex("mtspr DAC1 0x%X" % a)
            self.ex("store 0x%X" % a)
        else:
            self.emit(("set", {"DBCR0": R.IDM | R.IAC1, "IAC1": a, "DBCR1": 0}))
            self.ex("mtspr DBCR1 0x%X" % (self.rnd.choice([2, 3]) << 30))
        if not self.ref.known:
            return
        if self.rnd.random() < 0.7:
            self.ex("isync")
        self.emit(("set", {"PC": a}))
        self.ex("nop")
        self.handler()

    def ep_dual(self):
        """Dual completion: two exec in one cycle (reference: older only)."""
        self.sync(MSR=self.msr(), DBCR0=self.dbcr0(self.rnd.choice(
            [R.ICMP, R.DAC1W | R.DAC2W, R.IAC1, R.BRT, 0])), DAC1=0x100, DAC2=0x104, IAC1=0x1004)
        pc = self.pc()
        for _ in range(self.rnd.randrange(1, 3)):
            i1 = self.rnd.choice(["store 0x100", "load 0x104", "nop", "branch-nt", "mtmsr 0x%X" % self.msr(),
                                  "load 0x20 fault=dsi", "isync", "trap"])
            i2 = self.rnd.choice(["store 0x104", "nop", "load 0x100", "branch 0x3000", "nop"])
            self.ex(i1, pc=pc)
            self.ex(i2, pc=pc + 4, same=True)
            if self.rnd.random() < 0.3:
                self.ex("nop", pc=pc + 8, same=True)   # a third one in the same cycle
            pc += 12

    def ep_async(self):
        """irq / ude / faults / EDM / e500mc guest: outside the reference, checked by coverage."""
        de = self.rnd.random() < 0.5
        k = self.rnd.choice(["ude", "irq", "fault", "edm", "guest", "rfi", "idm0"])
        if k == "ude":
            self.sync(MSR=self.msr(de=de), DBCR0=self.dbcr0(0))
            self.emit(("ude", [], self.tick()))
            self.ex("nop")
        elif k == "irq":
            self.sync(MSR=self.msr(de=de), DBCR0=self.dbcr0(self.rnd.choice([R.IRPT, R.ICMP, 0])))
            self.emit(("irq", [self.rnd.choice(["external", "decrementer", "critical", "watchdog",
                                                "machine-check", "fit"])], self.tick()))
            self.ex("nop")
        elif k == "fault":
            self.sync(MSR=self.msr(de=de), DBCR0=self.dbcr0(R.IAC1 | R.DAC1R | R.DAC1W | R.ICMP), IAC1=0x1000,
                      DAC1=0x200, PC=self.rnd.choice([0x1000, 0x1004]))
            f = self.rnd.choice(["dsi", "dtlb", "alignment"])
            self.ex(self.rnd.choice(["load 0x200 fault=%s" % f, "store 0x200 fault=%s" % f,
                                     "nop fault=%s" % self.rnd.choice(["itlb", "isi", "program"])]))
        elif k == "edm":
            self.sync(MSR=self.msr(de=de), DBCR0=R.EDM | self.rnd.choice([R.IDM, 0]) |
                      self.rnd.choice([R.IAC1, R.ICMP, R.DAC1W, R.IAC1 | R.ICMP | R.DAC1W]),
                      IAC1=0x1000, DAC1=0x200, PC=self.rnd.choice([0x1000, 0x2000]))
            self.ex(self.rnd.choice(["nop", "store 0x200", "store 0x200", "mtspr DBCR0 0"]))
        elif k == "guest":
            if self.core == "e500mc":
                self.sync(MSR=self.msr(de=de) | self.rnd.choice([0, R.MSR_GS]), DBCR0=self.dbcr0(R.ICMP | R.TRAP),
                          EPCR=self.rnd.choice([0, 0x04000000]), MSRP=self.rnd.choice([0, 0x200]))
            else:
                self.sync(MSR=self.msr(de=de), DBCR0=self.dbcr0(R.ICMP))
            self.ex(self.rnd.choice(["mtmsr 0x%X" % self.msr(), "nop", "trap"]))
        elif k == "rfi":
            self.sync(MSR=self.msr(de=de), DBCR0=self.dbcr0(R.RET | self.rnd.choice([0, R.ICMP])),
                      SRR0=0x5000, SRR1=self.msr(de=True), CSRR0=0x6000, CSRR1=self.msr(de=True),
                      DSRR0=0x7000, DSRR1=self.msr(de=True), DBSR=self.rnd.choice([0, R.IAC1 | R.IDE]))
            self.ex(self.rnd.choice(["rfi", "rfci", "rfdi"]))
        else:
            self.sync(MSR=self.msr(de=de), DBCR0=self.rnd.choice([R.TRAP | R.IAC1 | R.ICMP, R.BRT]), IAC1=0x1000,
                      PC=0x1000)
            self.ex(self.rnd.choice(["trap", "nop", "branch 0x2000"]))
        self.ex("nop") if self.rnd.random() < 0.3 else None

    EPISODES = (("iac", 5), ("dac", 5), ("delayed", 4), ("step", 3), ("window", 2), ("dual", 2), ("async", 4))


def gen_trace(seed, index, core_arg, episodes, opts, argline):
    rnd = random.Random("bookedbg-gen:%s:%d:%s:%d:%s" % (seed, index, core_arg, episodes, ",".join(opts)))
    core = core_arg if core_arg != "both" else rnd.choice(["e500v2", "e500mc"])
    g = Gen(rnd, core)
    names = [n for n, w in Gen.EPISODES for _ in range(w)]
    used = []
    for _ in range(episodes):
        n = rnd.choice(names)
        used.append(n)
        getattr(g, "ep_" + n)()
    name = "gen-s%s-%05d" % (seed, index)
    exp = R.predict(core, g.stmts)
    header = ["# bookedbg generated trace %s: domain model, generator vectors/gen.py version %s" % (name, GEN_VERSION),
              "# seed %s index %d core %s; episodes: %s" % (seed, index, core, " ".join(used)),
              "# model options: %s" % (" ".join(opts) if opts else "defaults (bookedbg options --core %s)" % core),
              "# expectations: vectors/ref.py (independent reference); arguments: %s" % argline]
    return name, render_trace(core, opts, header, g.stmts, exp)


def main(argv=None):
    ap = argparse.ArgumentParser(prog="gen.py", description=__doc__.split("\n")[0])
    ap.add_argument("--seed", required=True)
    ap.add_argument("--count", type=int, default=100)
    ap.add_argument("--first", type=int, default=0)
    ap.add_argument("--shard")
    ap.add_argument("--core", default="both", choices=["e500v2", "e500mc", "both"])
    ap.add_argument("--episodes", type=int, default=8)
    ap.add_argument("--opt", action="append", default=[])
    ap.add_argument("--out")
    a = ap.parse_args(argv)
    try:
        shard = parse_shard(a.shard) if a.shard else None
        if a.count < 0 or a.first < 0 or a.episodes < 1:
            raise InputError("gen.py: --count/--first must be >= 0 and --episodes >= 1")
        for o in a.opt:
            if "=" not in o:
                raise InputError("--opt: expected NAME=VALUE, got %r" % o)
    except InputError as e:
        die(str(e))
    argline = "--core %s --episodes %d%s" % (a.core, a.episodes, "".join(" --opt " + o for o in a.opt))
    chunks = []
    for i in range(a.first, a.first + a.count):
        if not in_shard(i, shard):
            continue
        name, text = gen_trace(a.seed, i, a.core, a.episodes, a.opt, argline)
        if a.out:
            atomic_write(os.path.join(a.out, name + ".trace"), text)
        else:
            chunks.append("# ==== trace %s\n%s" % (name, text))
    if not a.out:
        sys.stdout.write("".join(chunks))
    return 0


if __name__ == "__main__":
    run_main(main)
