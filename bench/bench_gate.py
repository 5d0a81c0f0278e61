#!/usr/bin/env python3
"""Gate speed: scenarios per second through a built harness, against an empty-scenario baseline in
the same run (the process start and model set-up every scenario pays), and a whole gate run."""
import os
import subprocess
import sys
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, os.path.join(ROOT, "harness"))
import gate_scenarios  # noqa: E402

B = os.environ.get("BOOKEDBG", os.path.join(ROOT, "build", "bookedbg"))
MAIL = os.path.join(ROOT, "kernel-patch", "v3-userspace-debug-stub.mbox")


def best(fn, n=3):
    return min(fn() for _ in range(n))


def whole(*inp, out="/tmp/bookedbg-bench-gate"):
    t = time.perf_counter()
    subprocess.run([B, "gate", *(inp or ("--patch", MAIL)), "--out", out], capture_output=True)
    return time.perf_counter() - t


def batch(binary, scen):
    text = "".join(s + "end\n" for s in scen)
    t = time.perf_counter()
    subprocess.run([binary], input=text, capture_output=True, text=True)
    return time.perf_counter() - t


def main():
    tw = best(whole)
    binary = "/tmp/bookedbg-bench-gate/hv/harness"
    scen = gate_scenarios.enumerate_scenarios("hv", 10000) * 20
    empty = ["" for _ in scen]
    te = best(lambda: batch(binary, empty))
    ts = best(lambda: batch(binary, scen))
    print(f"gate speed (v3 mail, hv harness, {len(scen)} scenarios per batch, best of 3)")
    print(f"  baseline: empty scenarios        {len(scen) / te:10.0f} scenarios/s   1.00x")
    print(f"  real scenarios                   {len(scen) / ts:10.0f} scenarios/s   {ts / te:.2f}x the baseline's time")
    print(f"  whole gate run, both configs     {tw:10.2f} s (extract, build, run, shrink, report)")
    for v in ("6.1", "6.12"):
        tree = os.path.join(os.path.dirname(B), f"linux-{v}")
        if os.path.isdir(tree):
            t = best(lambda: whole("--kernel", tree, out="/tmp/bookedbg-bench-gate-tree"))
            print(f"  whole gate run, linux-{v:<5} tree {t:10.2f} s")


if __name__ == "__main__":
    main()
