#!/usr/bin/env python3
"""Functional coverage of the bookedbg model from `bookedbg run --samples` CSVs.

    cover.py [--opt NAME=VALUE]... [--shard K/N] [--save JSON] [--quiet] FILE...

FILE: a trace (run through $BOOKEDBG run --samples; default build/bookedbg), a samples CSV, or a
saved coverage JSON (--save; merging shards). Prints the holes, every declared illegal bin with its
reason, and a last line `coverage: H/T bins (P%)`. Exit 0 when every legal bin is hit and no illegal
bin is, 1 otherwise, 2 on bad input.

A coverage domain is a list of covergroups: (name, dimensions, sampler(row) -> iterable of bin tuples,
illegal(bin, opts) -> reason or None). A second domain (the gate scenarios) plugs in by adding its
own list to DOMAINS and its own sampler over its own CSV columns.
"""
import csv
import itertools
import json
import os
import subprocess
import sys
import tempfile

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from common import run_main, InputError, atomic_write, die, in_shard, parse_shard  # noqa

EV = [("IAC1", 0x00800000), ("IAC2", 0x00400000), ("DAC1R", 0x00080000), ("DAC1W", 0x00040000),
      ("DAC2R", 0x00020000), ("DAC2W", 0x00010000), ("ICMP", 0x08000000), ("BRT", 0x04000000),
      ("TRAP", 0x01000000), ("RET", 0x00008000), ("IRPT", 0x02000000), ("UDE", 0x40000000)]
CORES = ("e500v2", "e500mc")
MODES = ("exact", "mask", "inclusive", "exclusive")
DEFAULTS = {"DBSR_RECORD_WHEN_IDM0": "NONE_EXCEPT_TRAP", "DAC_CACHEOP_CLASS": "ISA", "PAIR_MODES": "IMPLEMENTED"}


def bits(v):
    return int(v, 16)


def dbg_mode(r):
    return "EDM" if r["edm"] == "1" else ("IDM" if r["idm"] == "1" else "none")


# ---- samplers --------------------------------------------------------------------------------
def s_event(r):
    rec = bits(r["recorded"])
    for n, b in EV:
        if rec & b and dbg_mode(r) != "EDM":
            yield (n, "DE=" + r["de"], dbg_mode(r), r["core"])


def s_edm(r):
    rec = bits(r["recorded"])
    for n, b in EV:
        if rec & b and dbg_mode(r) == "EDM":
            yield (n, "DE=" + r["de"], r["debug"], r["core"])


def s_iac_cmp(r):
    if r["stmt"] != "exec" or not bits(r["enables"]) & 0x00800000:
        return
    hit = "hit" if bits(r["events"]) & 0x00800000 else "miss"
    yield ("IAC1", MODES[int(r["iac_mode"])], "US=" + r["iac1us"], "ER=" + r["iac1er"], hit)


def s_dac_cmp(r):
    if r["stmt"] != "exec" or r["access"] == "none" or r["fault"] != "0":
        return
    en = bits(r["enables"])
    rw = "write" if r["access"] in ("store", "cacheop") else "read"
    if not en & (0x00040000 if rw == "write" else 0x00080000):
        return
    hit = "hit" if bits(r["events"]) & 0x000C0000 else "miss"
    yield ("DAC1", MODES[int(r["dac_mode"])], "US=" + r["dac1us"], "ER=" + r["dac1er"], hit)


def s_access(r):
    if r["stmt"] != "exec" or r["access"] == "none":
        return
    ev = bits(r["events"])
    kinds = [k for k, m in (("DACnR", 0x000A0000), ("DACnW", 0x00050000)) if ev & m] or ["no DAC"]
    for k in kinds:
        yield (r["access"], k, "DE=" + r["de"])


def s_delivery(r):
    if r["debug"] == "taken":
        yield ("taken", "saved=" + r["saved"], r["core"])
    elif r["debug"] == "halted":
        yield ("halted", "saved=-", r["core"])


def s_delayed(r):
    """Set later: the event recorded with IDE, then the interrupt when software sets DE."""
    if r["ide"] == "1":
        rec = bits(r["recorded"])
        for n, b in EV:
            if rec & b:
                yield ("IDE recorded", n, r["core"])
    if r["debug"] == "taken" and r["de"] == "0" and r["stmt"] == "exec":
        yield ("delayed fired", "by " + r["insn"], r["core"])


def s_timing(r):
    if r["stmt"] != "exec":
        return
    yield ("slip=" + r["slip"], r["core"])
    yield ("pair=" + r["pair"], r["core"])
    if r["squashed"] == "1":
        yield ("squashed", r["core"])


def s_hv(r):
    if r["core"] == "e500mc" and r["stmt"] == "exec":
        yield ("DUVD=" + r["duvd"], "DEP=" + r["dep"], "GS=" + r["gs"])


def s_fault(r):
    if r["stmt"] == "exec" and r["fault"] != "0":
        ev = bits(r["events"])
        yield ("fault=" + r["fault"], "with IAC" if ev & 0x00C00000 else "no IAC")


# ---- illegal bins (the reason is printed with every report) -------------------------------------
def i_event(b, o):
    ev, de, mode, core = b
    if ev in ("ICMP", "BRT") and de == "DE=0" and mode == "IDM":
        return "%s is never recorded with MSR[DE]=0 (#icmp, #brt, rule 1)" % ev
    if mode == "none" and ev != "TRAP" and o.get("DBSR_RECORD_WHEN_IDM0") == "NONE_EXCEPT_TRAP":
        return "with IDM=0 and EDM=0 only TRAP records (DBSR_RECORD_WHEN_IDM0=NONE_EXCEPT_TRAP, #debug-modes)"
    return None


def i_cmp(b, o):
    if b[3] == "ER=1" and b[4] == "hit":
        return "ER=01 (real address) never matches: the e500 compares effective addresses only (#iac, rule 7)"
    return None


def i_access(b, o):
    acc, k, _ = b
    if acc in ("load", "touch") and k == "DACnW":
        return "loads and touches are reads (E5 8.4.2.1, #dac)"
    if acc == "store" and k == "DACnR":
        return "stores are writes (#dac)"
    if acc == "cacheop" and k == "DACnR" and o.get("DAC_CACHEOP_CLASS") == "ISA":
        return "dcbz/dcbi/dcba/dcbf/dcbst are writes (DAC_CACHEOP_CLASS=ISA, #dac)"
    return None


def i_delivery(b, o):
    if b[0] == "halted" and b[1] != "saved=-":
        return "a halt for the external debugger is not an interrupt and saves no PC (#debug-modes)"
    if b[0] == "taken" and b[1] in ("saved=-", "saved=other"):
        return "a debug interrupt always saves self/next/target/vector (Table 8-2, rule 4)"
    return None


def i_delayed(b, o):
    if b[0] == "IDE recorded" and b[1] in ("ICMP", "BRT"):
        return "%s can't be recorded while DE=0, so never with IDE (#icmp, #brt)" % b[1]
    return None


def i_none(b, o):
    return None


def i_timing(b, o):
    return None


def i_hv(b, o):
    return None


MODEL = [
    ("event_x_DE_x_mode_x_core", [[n for n, _ in EV], ["DE=0", "DE=1"], ["IDM", "none"], CORES],
     s_event, i_event),
    ("EDM_event_x_DE_halts", [["IAC1", "DAC1W", "ICMP"], ["DE=0", "DE=1"], ["halted"], CORES], s_edm, i_none),
    ("iac1_compare_x_qualifiers", [["IAC1"], MODES, ["US=%d" % i for i in range(4)], ["ER=%d" % i for i in range(4)],
                                   ["hit", "miss"]], s_iac_cmp, i_cmp),
    ("dac1_compare_x_qualifiers", [["DAC1"], MODES, ["US=%d" % i for i in range(4)], ["ER=%d" % i for i in range(4)],
                                   ["hit", "miss"]], s_dac_cmp, i_cmp),
    ("access_type_x_dac_x_DE", [["load", "store", "touch", "cacheop"], ["DACnR", "DACnW", "no DAC"], ["DE=0", "DE=1"]],
     s_access, i_access),
    ("delivery_x_saved_pc_x_core", [["taken", "halted"], ["saved=self", "saved=next", "saved=target", "saved=vector",
                                                          "saved=other", "saved=-"], CORES],
     s_delivery, i_delivery),
    ("set_later_IDE_delayed", None, s_delayed, i_delayed),
    ("completion_timing", [["slip=none", "slip=width", "slip=serialize", "slip=store", "pair=0", "pair=1",
                            "squashed"], CORES], s_timing, i_timing),
    ("e500mc_hypervisor", [["DUVD=0", "DUVD=1"], ["DEP=0", "DEP=1"], ["GS=0", "GS=1"]], s_hv, i_hv),
    ("fault_x_iac", [["fault=%d" % i for i in range(1, 7)], ["with IAC", "no IAC"]], s_fault, i_none),
]


def delayed_bins():
    out = [("IDE recorded", n, c) for n, _ in EV for c in CORES]
    out += [("delayed fired", "by " + i, c) for i in ("mtmsr", "rfi") for c in CORES]
    out += [("delayed fired", "by rfci", c) for c in CORES] + [("delayed fired", "by rfdi", "e500mc")]
    return out


DOMAINS = {"model": MODEL}


def all_bins(model):
    for name, dims, _, _ in model:
        bins = delayed_bins() if dims is None else list(itertools.product(*dims))
        for b in bins:
            yield name, b


def key(name, b):
    return name + ":" + "/".join(b)


class Cover:
    def __init__(self, domain="model"):
        self.model = DOMAINS[domain]
        self.hits = {}
        self.illegal_hits = {}   # key -> [reason, count, first "FILE:LINE"]
        self.rows = 0

    def sample(self, row, opts):
        self.rows += 1
        for name, _, sampler, illegal in self.model:
            for b in sampler(row):
                k = key(name, b)
                why = illegal(b, opts)
                if why:
                    e = self.illegal_hits.setdefault(k, [why, 0, "%s:%s" % (row["file"], row["line"])])
                    e[1] += 1
                else:
                    self.hits[k] = self.hits.get(k, 0) + 1

    def merge(self, d):
        self.rows += d["rows"]
        for k, v in d["hits"].items():
            self.hits[k] = self.hits.get(k, 0) + v
        for k, v in d["illegal"].items():
            e = self.illegal_hits.setdefault(k, [v[0], 0, v[2]])
            e[1] += v[1]

    def to_json(self):
        return {"rows": self.rows, "hits": self.hits, "illegal": self.illegal_hits}

    def report(self, opts, out, quiet=False):
        legal, illegal, holes = [], [], []
        for name, b in all_bins(self.model):
            why = self.illegal_of(name, b, opts)
            k = key(name, b)
            if why:
                illegal.append((k, why))
            else:
                legal.append(k)
                if not self.hits.get(k):
                    holes.append(k)
        # Sampled bins outside the declared space are reported too (never silently dropped).
        declared = set(legal) | {k for k, _ in illegal}
        stray = sorted(k for k in self.hits if k not in declared)
        if not quiet:
            out.write("illegal bins (%d declared):\n" % len(illegal))
            reasons = {}
            for k, why in illegal:
                reasons.setdefault(why, []).append(k)
            for why, ks in reasons.items():
                out.write("  %d bins: %s  e.g. %s\n" % (len(ks), why, ks[0]))
        for k, (why, n, where) in sorted(self.illegal_hits.items()):
            out.write("ILLEGAL BIN HIT: %s (%d times, first at %s): %s\n" % (k, n, where, why))
        for k in stray:
            out.write("UNDECLARED BIN HIT: %s\n" % k)
        for k in holes:
            out.write("hole: %s\n" % k)
        h, t = len(legal) - len(holes), len(legal)
        out.write("samples: %d rows; illegal bins hit: %d\n" % (self.rows, len(self.illegal_hits)))
        out.write("coverage: %d/%d bins (%.1f%%)\n" % (h, t, 100.0 * h / t if t else 100.0))
        return 0 if not holes and not self.illegal_hits and not stray else 1

    def illegal_of(self, name, b, opts):
        for n, _, _, illegal in self.model:
            if n == name:
                return illegal(b, opts)


def read_csv(path, cov, opts):
    with open(path, newline="") as f:
        rd = csv.DictReader(f)
        need = {"file", "line", "core", "stmt", "events", "recorded"}
        if rd.fieldnames is None or not need <= set(rd.fieldnames):
            raise InputError("%s:1: not a bookedbg samples CSV (header lacks %s)" % (path, ",".join(sorted(need))))
        for n, row in enumerate(rd, 2):
            try:
                cov.sample(row, opts)
            except (KeyError, ValueError, IndexError, TypeError) as e:
                raise InputError("%s:%d: malformed sample row (%s)" % (path, n, e))


def trace_opts(path, base):
    o = dict(base)
    with open(path) as f:
        for ln in f:
            t = ln.split("#", 1)[0].split()
            if len(t) == 2 and t[0].lower() == "opt" and "=" in t[1]:
                k, v = t[1].split("=", 1)
                o[k.upper()] = v.upper()
    return o


def run_traces(paths, cov, base, bookedbg):
    if not paths:
        return
    groups = {}
    for p in paths:
        groups.setdefault(tuple(sorted(trace_opts(p, base).items())), []).append(p)
    for opts, ps in groups.items():
        with tempfile.TemporaryDirectory() as d:
            csvp = os.path.join(d, "s.csv")
            cmd = [bookedbg, "run", "--quiet", "--samples", csvp]
            for k, v in base.items():
                if DEFAULTS.get(k) != v:
                    cmd += ["--opt", "%s=%s" % (k, v)]
            p = subprocess.run(cmd + ps, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
            if p.returncode == 2 or not os.path.exists(csvp):
                raise InputError(p.stderr.strip() or "%s: bookedbg run failed (exit %d)" % (ps[0], p.returncode))
            read_csv(csvp, cov, dict(opts))


USAGE = "usage: bookedbg cover [--opt NAME=VALUE]... [--shard K/N] [--save JSON] [--quiet] FILE..."
VALUE_FLAGS = {"--opt": "NAME=VALUE", "--save": "a file name", "--shard": "K/N"}


def main(argv=None):
    argv = list(sys.argv[1:] if argv is None else argv)
    opts, files, save, shard, quiet = dict(DEFAULTS), [], None, None, False
    try:
        while argv:
            a = argv.pop(0)
            if a == "--opt" and argv:
                k, _, v = argv.pop(0).partition("=")
                if not v:
                    raise InputError("--opt: expected NAME=VALUE")
                opts[k.upper()] = v.upper()
            elif a == "--save" and argv:
                save = argv.pop(0)
            elif a == "--shard" and argv:
                shard = parse_shard(argv.pop(0))
            elif a == "--quiet":
                quiet = True
            elif a in ("--help", "-h"):
                print(USAGE)
                return 0
            elif a in VALUE_FLAGS:
                raise InputError("cover: %s takes %s" % (a, VALUE_FLAGS[a]))
            elif a.startswith("-"):
                raise InputError("cover: unknown argument %r" % a)
            else:
                files.append(a)
        if not files:
            raise InputError(USAGE)
        files = [f for i, f in enumerate(sorted(files)) if in_shard(i, shard)]
        cov = Cover()
        traces = []
        for f in files:
            if not os.path.isfile(f):
                raise InputError("%s:0: no such file" % f)
            if f.endswith(".json"):
                try:
                    with open(f) as fh:
                        cov.merge(json.load(fh))
                except (ValueError, KeyError) as e:
                    raise InputError("%s:1: not a saved coverage file (%s)" % (f, e))
            elif f.endswith(".csv"):
                read_csv(f, cov, opts)
            else:
                traces.append(f)
        bookedbg = os.environ.get("BOOKEDBG") or os.path.join(os.path.dirname(os.path.abspath(__file__)),
                                                                "..", "build", "bookedbg")
        run_traces(traces, cov, opts, bookedbg)
    except InputError as e:
        die(str(e))
    except OSError as e:
        die("%s:0: %s" % (e.filename, e.strerror))
    if save:
        atomic_write(save, json.dumps(cov.to_json(), sort_keys=True))
    return cov.report(opts, sys.stdout, quiet)


if __name__ == "__main__":
    run_main(main)
