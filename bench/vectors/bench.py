#!/usr/bin/env python3
"""Vectors per second: generate a fixed corpus once (cached), then time `bookedbg run` over it."""
import glob
import os
import subprocess
import sys
import time

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
B = os.environ.get("BOOKEDBG") or os.path.join(ROOT, "build", "bookedbg")
D = os.path.join(ROOT, "build", "bench-vectors")
N = int(os.environ.get("BENCH_TRACES", "33000"))        # about 1M statements
if not os.path.isdir(D) or len(os.listdir(D)) != N:
    subprocess.run([sys.executable, os.path.join(ROOT, "vectors", "gen.py"), "--seed", "bench", "--count",
                    str(N), "--out", D], check=True)
files = sorted(glob.glob(D + "/*.trace"))
best = None
for _ in range(3):
    t = time.perf_counter()
    p = subprocess.run([B, "run", "--quiet"] + files, stdout=subprocess.PIPE, text=True)
    dt = time.perf_counter() - t
    best = dt if best is None or dt < best else best
line = p.stdout.strip().splitlines()[-1]
stmts = int(line.split(" statements")[0].split()[-1])
print("vectors bench: %d traces, %d statements, best of 3: %.2f s = %.2f M statements/s (%s)" % (
    len(files), stmts, best, stmts / best / 1e6, "exit %d" % p.returncode))
