#!/usr/bin/env python3
"""Check the waveform of a tour scenario, as GTKWave's own reader gives it back (vcd2fst then
fst2vcd). Cycle n is at n*10 ns.

  07-delayed-event (e500v2): IAC1 is recorded with IDE in cycle 1 (event strobe for that one cycle,
  DBSR 0x80800000 from then on: sticky), and the delayed debug interrupt is requested in cycle 3,
  when the mtmsr sets DE, for exactly one cycle: CSRR0 = 0x200C (after the mtmsr), CSRR1 = the MSR
  it ran under, the vector and the PC 0xFFFF0F00.
  10-e500mc-delivery (e500mc): the interrupt saves into DSRR0/DSRR1 (no csrr0 signal at all), and
  rfdi returns the PC to 0x2000.

Every output is there, in a scope named after the trace file (its stem, '-' made '_').
usage: check_vcd.py ROUNDTRIPPED.vcd SCENARIO     SCENARIO: 07-delayed-event | 10-e500mc-delivery"""
import os
import sys

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "..", "docs", "waveforms"))
import vcdsvg  # noqa: E402

COMMON = ("dbsr", "dbcr0", "msr_de", "debug_irq", "event", "events", "halted", "pc", "debug_vector")
VECTOR = 0xFFFF0F00

SCENARIOS = {
    "07-delayed-event": {
        "need": COMMON + ("csrr0", "csrr1"),
        "absent": ("dsrr0", "dsrr1"),
        "want": {
            "dbsr": [0, 0x80800000, 0x80800000, 0x80800000, 0x80800000],
            "event": [0, 1, 0, 0, 0],
            "events": [0, 0x00800000, 0, 0, 0],
            "debug_irq": [0, 0, 0, 1, 0],
            "dbcr0": [0x40800000] * 5,
            "pc": [0, 0x2004, 0x2008, VECTOR, VECTOR],
            "csrr0": [0, 0, 0, 0x200C, 0x200C],
            "csrr1": [0, 0, 0, 0x1200, 0x1200],
            "debug_vector": [0, 0, 0, VECTOR, VECTOR],
        },
    },
    "10-e500mc-delivery": {
        "need": COMMON + ("dsrr0", "dsrr1"),
        "absent": ("csrr0", "csrr1"),
        "want": {
            "debug_irq": [0, 1, 0, 0, 0],
            "pc": [0, VECTOR, VECTOR + 4, VECTOR + 8, 0x2000],
            "dsrr0": [0, 0x2000, 0x2000, 0x2000, 0x2000],
            "dsrr1": [0, 0x1200, 0x1200, 0x1200, 0x1200],
            "debug_vector": [0, VECTOR, VECTOR, VECTOR, VECTOR],
            "msr_de": [1, 0, 0, 0, 1],
        },
    },
}


def check(path, name):
    spec = SCENARIOS[name]
    with open(path, encoding="utf-8") as f:
        full = vcdsvg.read_vcd(f.read())
    scope = name.replace("-", "_")
    bad = [f"signal {k} is not in scope {scope}" for k in full if k.split(".")[1:2] != [scope]]
    sig = {k.rsplit(".", 1)[-1]: v for k, v in full.items()}
    bad += [f"signal {n} missing" for n in spec["need"] if n not in sig]
    bad += [f"signal {n} present on this core" for n in spec["absent"] if n in sig]
    if bad:
        return bad
    for sname, values in spec["want"].items():
        got = [vcdsvg.value_at(sig[sname], c * 10) for c in range(len(values))]
        if got != values:
            bad.append(f"{sname} per cycle 0..{len(values) - 1}: want {[hex(v) for v in values]}, "
                       f"got {[hex(v) if v is not None else v for v in got]}")
    return bad


if __name__ == "__main__":
    if len(sys.argv) != 3 or sys.argv[2] not in SCENARIOS:
        sys.exit(__doc__)
    problems = check(sys.argv[1], sys.argv[2])
    for p in problems:
        print(f"FAIL vcd {sys.argv[1]}: {p}")
    sys.exit(1 if problems else 0)
