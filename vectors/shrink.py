#!/usr/bin/env python3
"""Delta-debugging shrinker for failing generated traces.

    shrink.py [--bookedbg PATH] [--out FILE] TRACE

The trace's statements are re-predicted by vectors/ref.py for every candidate, so expectations stay
consistent while statements are dropped (ddmin) and values simplified toward 0 and boundaries. A
candidate "fails the same way" when the model run exits 1 and its first failing expect names the
same field as the original's. The result is written (temp + rename) with a comment saying what it
shows. Exit 0 when shrunk, 1 when the trace does not fail, 2 on bad input.
"""
import os
import re
import subprocess
import sys
import tempfile

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from common import run_main, InputError, atomic_write, die, parse_trace, render_trace  # noqa
import ref as R  # noqa

FAIL_RE = re.compile(r"^(.*?):(\d+): expected ([a-z0-9]+)=(\S+), got (\S+)", re.M)


def run_model(bookedbg, core, opts, stmts, tmpdir):
    text = render_trace(core, opts, [], stmts, R.predict(core, stmts))
    path = os.path.join(tmpdir, "cand.trace")
    with open(path, "w") as f:
        f.write(text)
    p = subprocess.run([bookedbg, "run", "--quiet", path], stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                       text=True)
    if p.returncode != 1:
        return None, text
    m = FAIL_RE.search(p.stdout + p.stderr)
    return (m.group(3), m.group(4), m.group(5)) if m else None, text


def shrink(bookedbg, core, opts, stmts):
    with tempfile.TemporaryDirectory() as d:
        sig, _ = run_model(bookedbg, core, opts, stmts, d)
        if not sig:
            return None, None, None
        field = sig[0]

        def fails(c):
            s, _ = run_model(bookedbg, core, opts, c, d)
            return s is not None and s[0] == field

        # ddmin over statements
        n = 2
        while len(stmts) >= 2:
            chunk = max(1, len(stmts) // n)
            reduced = False
            for i in range(0, len(stmts), chunk):
                cand = stmts[:i] + stmts[i + chunk:]
                if cand and fails(cand):
                    stmts, n, reduced = cand, max(n - 1, 2), True
                    break
            if not reduced:
                if chunk == 1:
                    break
                n = min(len(stmts), n * 2)
        # simplify values: drop set registers, then values toward 0
        for i, s in enumerate(stmts):
            if s[0] != "set":
                continue
            for k in list(s[1]):
                regs = dict(stmts[i][1])
                del regs[k]
                cand = stmts[:i] + [("set", regs)] + stmts[i + 1:]
                if regs and fails(cand):
                    stmts = cand
                    continue
                for v in (0, 0xFFFFFFFF):
                    regs = dict(stmts[i][1])
                    if regs[k] == v:
                        break
                    regs[k] = v
                    cand = stmts[:i] + [("set", regs)] + stmts[i + 1:]
                    if fails(cand):
                        stmts = cand
                        break
        sig, text = run_model(bookedbg, core, opts, stmts, d)
        return stmts, sig, text


def main(argv=None):
    argv = list(sys.argv[1:] if argv is None else argv)
    bookedbg = os.environ.get("BOOKEDBG", "build/bookedbg")
    out = None
    files = []
    while argv:
        a = argv.pop(0)
        if a == "--bookedbg" and argv:
            bookedbg = argv.pop(0)
        elif a == "--out" and argv:
            out = argv.pop(0)
        elif a.startswith("-"):
            die("shrink.py: unknown argument %r" % a)
        else:
            files.append(a)
    if len(files) != 1:
        die("usage: shrink.py [--bookedbg PATH] [--out FILE] TRACE")
    try:
        core, opts, header, stmts = parse_trace(files[0])
    except InputError as e:
        die(str(e))
    small, sig, _ = shrink(bookedbg, core, opts, stmts)
    if small is None:
        print("%s: does not fail on %s" % (files[0], bookedbg))
        return 1
    hdr = ["# Shrunk from %s (%d -> %d statements) by vectors/shrink.py." % (os.path.basename(files[0]),
                                                                          len(stmts), len(small)),
           "# Shows: the model gives %s=%s where the reference (vectors/ref.py) expects %s." % (sig[0], sig[2], sig[1])]
    text = render_trace(core, opts, hdr, small, R.predict(core, small))
    if out:
        atomic_write(out, text)
    else:
        sys.stdout.write(text)
    return 0


if __name__ == "__main__":
    run_main(main)
