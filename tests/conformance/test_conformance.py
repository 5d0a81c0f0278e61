"""Conformance programs (docs/conformance.md): the generated assembly per instruction kind, the log
round trip through check-log, bad input, determinism, the deviation classifiers, and one end-to-end
run on QEMU."""
import os
import re
import subprocess
import sys
import tempfile
import unittest

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
sys.path.insert(0, os.path.join(ROOT, "vectors"))
from qemu_deviations import classify  # noqa: E402

BUILD = os.environ.get("BUILD", "build")
BOOKEDBG = os.environ.get("BOOKEDBG") or os.path.join(ROOT, BUILD, "bookedbg")
EVERY = os.path.join(ROOT, "tests", "conformance", "every_kind.trace")
ICMP = os.path.join(ROOT, "tests", "conformance", "icmp_step_through_rfci.trace")


def run(*args):
    return subprocess.run([BOOKEDBG] + list(args), stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                          text=True, cwd=ROOT)


# What each statement of every_kind.trace must become (its chain position 0 uses r4 and r5).
EXPECTED_ASM = {
    "nop": "nop", "load 0x8000 1": "lbz r3,0(r4)", "load 0x8000 2": "lhz r3,0(r4)",
    "load 0x8000": "lwz r3,0(r4)", "store 0x8004 1": "stb r5,0(r4)", "store 0x8004 2": "sth r5,0(r4)",
    "store 0x8004": "stw r5,0(r4)", "lmw 0x8010 4": "lmw r28,0(r4)", "stmw 0x8010 4": "stmw r28,0(r4)",
    "lwarx 0x8020": "lwarx r3,0,r4", "stwcx 0x8020": "stwcx. r5,0,r4",
    "stwcx 0x8020 fail": "stwcx. r5,0,r4", "dcbt 0x8040": "dcbt 0,r4", "dcbtst 0x8040": "dcbtst 0,r4",
    "icbt 0x8040": "icbt 0,0,r4", "icbi 0x8040": "icbi 0,r4", "dcbz 0x8060": "dcbz 0,r4",
    "dcbi 0x8060": "dcbi 0,r4", "dcba 0x8060": "dcba 0,r4", "dcbf 0x8060": "dcbf 0,r4",
    "dcbst 0x8060": "dcbst 0,r4", "branch-nt": "blt .+8", "branch 0x2000": "b .+4008",
    "branch 0x1060": "b .-4000", "isync": "isync", "mtspr IAC1 0x12340": "mtspr 312,r5",
    "mfspr IAC1": "mfspr r3,312", "mtmsr 0x1000": "mtmsr r5", "sc": "sc", "rfi": "rfi",
    "trap": "trap", "rfci": "rfci", "nop fault=program": ".long 0x00000000",
    "rfdi": ".long 0x4C00004E",
}


class GeneratedAssembly(unittest.TestCase):
    """Every exec statement becomes the real instruction at its address."""

    @classmethod
    def setUpClass(cls):
        cls.tmp = tempfile.TemporaryDirectory()
        cls.asm = os.path.join(cls.tmp.name, "every.S")
        cls.elf = os.path.join(cls.tmp.name, "every.elf")
        cls.res = run("compile", EVERY, "--asm", cls.asm, "-o", cls.elf)
        with open(cls.asm) as f:
            cls.text = f.read()

    @classmethod
    def tearDownClass(cls):
        cls.tmp.cleanup()

    def test_every_statement_is_expressible(self):
        self.assertEqual(self.res.returncode, 0, self.res.stderr)
        self.assertNotIn("not run", self.res.stdout)

    def test_instruction_per_kind(self):
        got = {}
        for m in re.finditer(r"^conf_insn_\d+_0:\t(.+?)\s+/\* at 0x[0-9A-F]+: exec \S+ (.+?) \*/$", self.text, re.M):
            got[m.group(2)] = m.group(1)
        for stmt, want in EXPECTED_ASM.items():
            self.assertEqual(got.get(stmt), want, stmt)

    def test_instruction_placed_at_the_trace_pc(self):
        # the step table names each instruction's PC: the supervisor copies it there
        self.assertRegex(self.text, r"\.long 0x00002000, conf_insn_23_0, ")
        self.assertRegex(self.text, r"\.long 0xFFFF0800, conf_insn_29_0, ")

    def test_pages_above_ram_are_mapped(self):
        self.assertIn(".long 0xFFFF0000, 0x0F000000", self.text)

    def test_same_input_same_elf(self):
        other = os.path.join(self.tmp.name, "again.elf")
        self.assertEqual(run("compile", EVERY, "-o", other).returncode, 0)
        with open(self.elf, "rb") as a, open(other, "rb") as b:
            self.assertEqual(a.read(), b.read())

    def test_chain_uses_the_next_registers(self):
        # an rfci that sets DE with ICMP armed has no pad: it runs with the next statement
        res = run("compile", ICMP, "--asm",
                  os.path.join(self.tmp.name, "chain.S"))
        self.assertEqual(res.returncode, 0, res.stderr)
        with open(os.path.join(self.tmp.name, "chain.S")) as f:
            self.assertRegex(f.read(), r"conf_insn_\d+_1:\tlwz r3,0\(r6\)")


class LogRoundTrip(unittest.TestCase):
    """The model's log read back by check-log agrees; a changed field or a missing step differs."""

    def setUp(self):
        self.tmp = tempfile.TemporaryDirectory()
        self.log = os.path.join(self.tmp.name, "model.log")
        self.assertEqual(run("compile", EVERY, "--model-log", self.log).returncode, 0)
        with open(self.log) as f:
            self.lines = f.read().splitlines()

    def tearDown(self):
        self.tmp.cleanup()

    def write(self, lines):
        path = os.path.join(self.tmp.name, "t.log")
        with open(path, "w") as f:
            f.write("\n".join(lines) + "\n")
        return path

    def test_model_log_agrees_with_itself(self):
        res = run("check-log", EVERY, self.log)
        self.assertEqual(res.returncode, 0, res.stdout)
        self.assertIn("check-log: 36 steps, 36 agree, 0 differ", res.stdout)

    def test_record_reads_back_as_expect_vocabulary(self):
        res = run("check-log", EVERY, self.log)
        self.assertRegex(res.stdout, r"every_kind.trace:34: expect pc=0xFFFF0800 irq=syscall debug=none msr=")

    def test_changed_field_is_reported_in_expect_vocabulary(self):
        lines = [re.sub(r"dbsr=0x[0-9A-F]{8}", "dbsr=0x08000000", ln, count=1) if ln.startswith("step line=7 ")
                 else ln for ln in self.lines]
        res = run("check-log", EVERY, self.write(lines))
        self.assertEqual(res.returncode, 1)
        self.assertIn("every_kind.trace:7: expected dbsr=0x00000000 (model), got 0x08000000 (log)", res.stdout)

    def test_missing_step_is_a_difference(self):
        res = run("check-log", EVERY, self.write([ln for ln in self.lines if not ln.startswith("step line=9 ")]))
        self.assertEqual(res.returncode, 1)
        self.assertIn("(log incomplete)", res.stdout)

    def test_json_has_model_and_log(self):
        import json
        res = run("check-log", "--json", EVERY, self.log)
        doc = json.loads(res.stdout)
        self.assertEqual(len(doc["steps"]), 36)
        self.assertEqual(doc["steps"][0]["model"], doc["steps"][0]["log"])


class BadInput(unittest.TestCase):
    """One line FILE:LINE: what is wrong, exit 2, nothing written."""

    def setUp(self):
        self.tmp = tempfile.TemporaryDirectory()

    def tearDown(self):
        self.tmp.cleanup()

    def one_line(self, res):
        self.assertEqual(res.returncode, 2)
        self.assertEqual(len(res.stderr.strip().splitlines()), 1, res.stderr)
        self.assertRegex(res.stderr, r"^[^:\s]+:\d+(:\d+)?: ")
        self.assertNotIn("Traceback", res.stderr)

    def test_unknown_trace(self):
        self.one_line(run("compile", "nope.trace", "-o", os.path.join(self.tmp.name, "x.elf")))

    def test_trace_with_nothing_expressible(self):
        out = os.path.join(self.tmp.name, "x.elf")
        res = run("compile", os.path.join(ROOT, "docs", "tour", "13-dual-completion.trace"), "-o", out)
        self.one_line(res)
        self.assertIn("13-dual-completion.trace:6: no statement a program can express: @CYCLE", res.stderr)
        self.assertFalse(os.path.exists(out))

    def test_visible_instrumentation_is_not_run(self):
        # an exclusive IAC range covers the supervisor: the model says the entry tail would raise IAC
        res = run("compile", os.path.join(ROOT, "tests", "traces", "indep", "iac12_exclusive_range_boundaries.trace"),
                  "--model-log", os.path.join(self.tmp.name, "x.log"))
        self.one_line(res)
        self.assertIn("the entry isync would itself raise IAC1,IAC2", res.stderr)

    def test_unexpressible_statement_ends_the_prefix(self):
        res = run("compile", os.path.join(ROOT, "tests", "traces", "indep", "dac_cacheop_write_class.trace"),
                  "--model-log", os.path.join(self.tmp.name, "x.log"))
        self.assertEqual(res.returncode, 0, res.stderr)
        self.assertIn("6 steps; not run from line 20 (14 statements): a program cannot make dcba a no-op", res.stdout)

    def test_unwritable_output(self):
        self.one_line(run("compile", EVERY, "-o", "/proc/nope/x.elf"))

    def test_malformed_log_line(self):
        bad = os.path.join(self.tmp.name, "bad.log")
        with open(bad, "w") as f:
            f.write("bookedbg-log 1 core=e500mc trace=x steps=1\nstep line=7 at=0x1000 ivor=pad msr=zz\n")
        res = run("check-log", EVERY, bad)
        self.one_line(res)
        self.assertIn("bad.log:2: malformed log line", res.stderr)


class Classifiers(unittest.TestCase):
    """Each divergence is explained only when the matching classifiers cover every differing field."""

    @staticmethod
    def step(model, log, differ, insn):
        return {"model": model, "log": log, "differ": differ, "insn": insn}

    BASE = {"pc": "0x00001004", "irq": "none", "debug": "none", "msr": "0x00001000", "dbsr": "0x00000000",
            "dbcr0": "0x48000000", "csrr0": "0x0", "csrr1": "0x0", "srr0": "0x0", "srr1": "0x0",
            "esr": "0x0", "dsrr0": "0x0", "dsrr1": "0x0"}

    def test_dbsr_write_negates_explains_dbsr(self):
        log = dict(self.BASE, dbsr="0x08000000")
        got = classify(self.step(self.BASE, log, ["dbsr"], "exec 0x1000 mtspr DBSR 0x08000000"),
                       {"dbsr": "0x08000000"}, "e500v2")
        self.assertEqual([c[0] for c in got], ["dbsr_write_negates"])

    def test_unexplained_field_is_new(self):
        log = dict(self.BASE, dbsr="0x08000000", esr="0x00000001")
        self.assertIsNone(classify(self.step(self.BASE, log, ["dbsr", "esr"], "exec 0x1000 mtspr DBSR 0x08000000"),
                                   {"dbsr": "0x08000000"}, "e500v2"))

    def test_brt_after_branch(self):
        model = dict(self.BASE, dbcr0="0x44000000")
        log = dict(model, irq="debug", debug="taken", pc="0xFFFF0100", dbsr="0x04000000", csrr0="0x00001004")
        got = classify(self.step(model, log, ["pc", "irq", "debug", "dbsr", "csrr0"], "exec 0x1000 branch-nt"),
                       None, "e500v2")
        self.assertEqual([c[0] for c in got], ["brt_after_branch"])


class EndToEndQemu(unittest.TestCase):
    """One scenario on QEMU, both cores: single-stepping through an rfci (a chain) agrees on the
    e500v2; the e500mc differs only by deviation #5; the runner's last line."""

    def test_icmp_single_step_on_qemu(self):
        with tempfile.TemporaryDirectory() as tmp:
            res = subprocess.run([sys.executable, os.path.join(ROOT, "vectors", "conformance.py"), "--out", tmp,
                                  "--timeout", "20", ICMP], stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                                 text=True, cwd=ROOT, env=dict(os.environ, BOOKEDBG=BOOKEDBG))
            self.assertEqual(res.returncode, 0, res.stdout + res.stderr)
            self.assertEqual(res.stdout.strip().splitlines()[-1],
                             "conformance: 2 programs (1 scenarios x 2 cores); agree 1, known QEMU deviations 1, "
                             "unexplained 0")
            with open(os.path.join(tmp, "icmp_step_through_rfci-e500v2.log")) as f:
                log = f.read()
            self.assertIn("step line=13 at=0xFFFF0F00 ivor=15 msr=0x00001000 dbsr=0x08000000 dbcr0=0x48000000 "
                          "csrr0=0x00001008 csrr1=0x00001200", log)
            self.assertIn("end steps=3", log)


if __name__ == "__main__":
    unittest.main()
