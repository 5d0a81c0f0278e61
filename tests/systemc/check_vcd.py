#!/usr/bin/env python3
"""Check the waveform of docs/tour/07-delayed-event.trace, as GTKWave's own reader gives it back
(vcd2fst then fst2vcd): every output is there, IAC1 is recorded with IDE in cycle 1 (event strobe
for that one cycle, DBSR 0x80800000 from then on: sticky), and the delayed debug interrupt is
requested in cycle 3, when the mtmsr sets DE, for exactly one cycle. Cycle n is at n*10 ns.
usage: check_vcd.py ROUNDTRIPPED.vcd"""
import os
import sys

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "..", "docs", "waveforms"))
import vcdsvg  # noqa: E402

NEED = ("dbsr", "dbcr0", "msr_de", "debug_irq", "event", "events", "halted")


def main(path):
    with open(path, encoding="utf-8") as f:
        sig = {k.rsplit(".", 1)[-1]: v for k, v in vcdsvg.read_vcd(f.read()).items()}
    bad = [f"signal {n} missing" for n in NEED if n not in sig]
    if bad:
        return bad
    at = lambda name, cycle: vcdsvg.value_at(sig[name], cycle * 10)
    want = {
        "dbsr": [0, 0x80800000, 0x80800000, 0x80800000, 0x80800000],
        "event": [0, 1, 0, 0, 0],
        "events": [0, 0x00800000, 0, 0, 0],
        "debug_irq": [0, 0, 0, 1, 0],
        "dbcr0": [0x40800000] * 5,
    }
    for name, values in want.items():
        got = [at(name, c) for c in range(5)]
        if got != values:
            bad.append(f"{name} per cycle 0..4: want {[hex(v) for v in values]}, "
                       f"got {[hex(v) if v is not None else v for v in got]}")
    return bad


if __name__ == "__main__":
    problems = main(sys.argv[1])
    for p in problems:
        print(f"FAIL vcd {sys.argv[1]}: {p}")
    sys.exit(1 if problems else 0)
