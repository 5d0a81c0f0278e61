#!/usr/bin/env python3
"""Campaigns: generate, run, cover and shrink, sharded over jobs, hosts or cluster array tasks.

    campaign.py --seeds "1 2" --count N --shards S [--jobs J] --dir DIR [--no-parallel] [--coverage-only]
    campaign.py --job SEED K/S --count N --dir DIR        (one shard; what GNU parallel runs)

One job = (seed, shard K/S): gen.py --seed SEED --count N --shard K/S, `bookedbg run`, coverage
saved as JSON, failing traces shrunk. Each job writes DIR/jobs/SEED-K.json atomically, so a job that
dies leaves nothing. The merge step lists every expected job; a missing one is rerun once, and if
it is still missing the report says MISSING and the campaign fails: a merged report never silently
misses a shard. Outputs: DIR/report.txt, DIR/junit.xml, DIR/shrunk/*.trace.

Across hosts: the same GNU parallel command line with `--sshlogin host1,host2` (shared DIR).
On a cluster: job index i of a SLURM `--array=0-(seeds*S-1)` maps one-to-one to (seed, shard),
each task runs `campaign.py --job SEED K/S ...`, then one final `campaign.py ... --merge-only`.
"""
import argparse
import json
import os
import shutil
import subprocess
import sys
import xml.sax.saxutils as sx

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
from common import run_main, InputError, atomic_write, die, parse_shard  # noqa
import cover  # noqa
import gen  # noqa
import shrink  # noqa
from common import parse_trace  # noqa


MAX_SHRINK = 2


def bookedbg():
    return os.environ.get("BOOKEDBG") or os.path.join(HERE, "..", "build", "bookedbg")


def run_job(seed, k, s, count, d, do_shrink=True):
    tdir = os.path.join(d, "traces", "%s-%d" % (seed, k))
    shutil.rmtree(tdir, ignore_errors=True)
    gen.main(["--seed", str(seed), "--count", str(count), "--shard", "%d/%d" % (k, s), "--out", tdir])
    traces = sorted(os.path.join(tdir, f) for f in os.listdir(tdir)) if os.path.isdir(tdir) else []
    cov = cover.Cover()
    failures = []
    if traces:
        csvp = os.path.join(tdir, "samples.csv")
        p = subprocess.run([bookedbg(), "run", "--quiet", "--samples", csvp] + traces,
                           stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        if p.returncode not in (0, 1):
            raise InputError("%s: bookedbg run exit %d: %s" % (tdir, p.returncode, p.stderr.strip()[:500]))
        cover.read_csv(csvp, cov, dict(cover.DEFAULTS))
        os.unlink(csvp)
        bad = sorted({m.group(1) for m in shrink.FAIL_RE.finditer(p.stdout + p.stderr)})
        for n, t in enumerate(bad):
            f = {"trace": os.path.relpath(t, d), "first": next(
                m.group(0) for m in shrink.FAIL_RE.finditer(p.stdout) if m.group(1) == t)}
            if do_shrink and n < MAX_SHRINK:            # the rest are listed, not shrunk
                core, opts, _, stmts = parse_trace(t)
                small, sig, _ = shrink.shrink(bookedbg(), core, opts, stmts)
                if small:
                    out = os.path.join(d, "shrunk", os.path.basename(t))
                    import ref as R
                    hdr = ["# Shrunk from %s (%d -> %d statements) by vectors/shrink.py." % (
                        os.path.basename(t), len(stmts), len(small)),
                        "# Shows: the model gives %s=%s where the reference (vectors/ref.py) expects %s." % (
                            sig[0], sig[2], sig[1])]
                    atomic_write(out, shrink.render_trace(core, opts, hdr, small, R.predict(core, small)))
                    f.update(shrunk=os.path.relpath(out, d), statements=len(small))
            failures.append(f)
    res = {"seed": str(seed), "shard": "%d/%d" % (k, s), "traces": len(traces), "failures": failures,
           "coverage": cov.to_json()}
    atomic_write(os.path.join(d, "jobs", "%s-%d.json" % (seed, k)), json.dumps(res, sort_keys=True))
    return res


def merge(seeds, s, d, count, rerun=True):
    cov = cover.Cover()
    results, missing = [], []
    for seed in seeds:
        for k in range(1, s + 1):
            p = os.path.join(d, "jobs", "%s-%d.json" % (seed, k))
            if not os.path.exists(p) and rerun:
                try:
                    run_job(seed, k, s, count, d)         # a shard that died is rerun
                except Exception as e:  # noqa: the report names it
                    sys.stderr.write("campaign: rerun of %s %d/%d failed: %s\n" % (seed, k, s, e))
            if not os.path.exists(p):
                missing.append("%s %d/%d" % (seed, k, s))
                continue
            with open(p) as f:
                r = json.load(f)
            cov.merge(r["coverage"])
            results.append(r)
    return cov, results, missing


def report(cov, results, missing, d, out):
    lines = []
    ntr = sum(r["traces"] for r in results)
    fails = [f for r in results for f in r["failures"]]
    lines.append("campaign: %d shard jobs merged, %d missing, %d traces, %d failing" % (
        len(results), len(missing), ntr, len(fails)))
    for m in missing:
        lines.append("MISSING shard %s (died twice; coverage and results are incomplete)" % m)
    for f in fails:
        lines.append("FAIL %s: %s%s" % (f["trace"], f["first"],
                                        " -> shrunk to %s (%d statements)" % (f["shrunk"], f["statements"])
                                        if "shrunk" in f else ""))

    class W:
        buf = []

        def write(self, t):
            self.buf.append(t)
    w = W()
    crc = cov.report(dict(cover.DEFAULTS), w)
    text = "\n".join(lines) + "\n" + "".join(w.buf)
    atomic_write(os.path.join(d, "report.txt"), text)
    out.write(text)
    # JUnit: one testcase per shard job, one per failing trace, one for coverage closure
    cases = []
    for r in results:
        cases.append(('shard %s seed %s' % (r["shard"], r["seed"]), None))
    for m in missing:
        cases.append(("shard %s" % m, "shard missing"))
    for f in fails:
        cases.append(("trace %s" % f["trace"], f["first"]))
    last = w.buf[-1].strip() if w.buf else "coverage: ?"
    cases.append(("coverage closure (%s)" % last, None if crc == 0 else "coverage not closed or illegal bin hit"))
    x = ['<?xml version="1.0" encoding="UTF-8"?>',
         '<testsuite name="bookedbg-campaign" tests="%d" failures="%d">' % (
             len(cases), sum(1 for _, e in cases if e))]
    for name, err in cases:
        x.append('  <testcase classname="campaign" name=%s>' % sx.quoteattr(name))
        if err:
            x.append('    <failure message=%s/>' % sx.quoteattr(err))
        x.append('  </testcase>')
    x.append('</testsuite>')
    atomic_write(os.path.join(d, "junit.xml"), "\n".join(x) + "\n")
    return 0 if not missing and not fails and crc == 0 else 1


def main(argv=None):
    ap = argparse.ArgumentParser(prog="campaign.py")
    ap.add_argument("--seeds", default="1 2")
    ap.add_argument("--count", type=int, default=1000)
    ap.add_argument("--shards", type=int, default=4)
    ap.add_argument("--jobs", type=int, default=2)
    ap.add_argument("--dir", default="build/campaign")
    ap.add_argument("--job", nargs=2, metavar=("SEED", "K/S"))
    ap.add_argument("--no-parallel", action="store_true")
    ap.add_argument("--coverage-only", action="store_true", help="no shrinking, report coverage")
    ap.add_argument("--merge-only", action="store_true")
    a = ap.parse_args(argv)
    try:
        if a.job:
            k, s = parse_shard(a.job[1])
            run_job(a.job[0], k, s, a.count, a.dir, not a.coverage_only)
            return 0
        seeds = a.seeds.split()
        if not seeds or a.shards < 1 or a.count < 0:
            raise InputError("campaign: need --seeds, --shards >= 1, --count >= 0")
        if not a.merge_only:
            shutil.rmtree(os.path.join(a.dir, "jobs"), ignore_errors=True)
            shutil.rmtree(os.path.join(a.dir, "shrunk"), ignore_errors=True)
            if a.no_parallel or not shutil.which("parallel"):
                for seed in seeds:
                    for k in range(1, a.shards + 1):
                        run_job(seed, k, a.shards, a.count, a.dir, not a.coverage_only)
            else:
                cmd = ["parallel", "--will-cite", "--jobs", str(a.jobs), "--retries", "2", "--halt", "never",
                       "--joblog", os.path.join(a.dir, "joblog"), sys.executable, os.path.abspath(__file__),
                       "--job", "{1}", "{2}/%d" % a.shards, "--count", str(a.count), "--dir", a.dir,
                       ":::"] + seeds + [":::"] + [str(k) for k in range(1, a.shards + 1)]
                os.makedirs(a.dir, exist_ok=True)
                subprocess.run(cmd)
        cov, results, missing = merge(seeds, a.shards, a.dir, a.count)
        return report(cov, results, missing, a.dir, sys.stdout)
    except InputError as e:
        die(str(e))


if __name__ == "__main__":
    run_main(main)
