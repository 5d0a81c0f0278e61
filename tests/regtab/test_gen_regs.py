"""The register table generator refuses broken tables and produces consistent outputs."""
import importlib.util
import json
import os
import re
import subprocess
import sys
import tempfile
import unittest

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
GEN = os.path.join(ROOT, "model", "gen_regs.py")
TABLE = os.path.join(ROOT, "model", "dbg_regs.tab")


def run_gen(text, *args):
    with tempfile.TemporaryDirectory() as d:
        tab = os.path.join(d, "t.tab")
        with open(tab, "w") as f:
            f.write(text)
        p = subprocess.run([sys.executable, GEN, tab, *args], capture_output=True, text=True, cwd=d)
        return p.returncode, p.stderr.replace(tab, "t.tab")


class GeneratorRejects(unittest.TestCase):
    def test_overlapping_fields_are_rejected(self):
        rc, err = run_gen("reg A 300 v2 rw fields x\nfield F 32:35 v2 - s\nfield G 35 v2 - s\n")
        self.assertEqual(rc, 2)
        self.assertEqual(err.strip(), "t.tab:3: field G overlaps F in A")

    def test_backwards_range_is_rejected(self):
        rc, err = run_gen("reg A 300 v2 rw fields x\nfield F 40:33 v2 - s\n")
        self.assertEqual(rc, 2)
        self.assertIn("t.tab:2: bits 40:33 run backwards", err)

    def test_bits_outside_32_bit_register_are_rejected(self):
        rc, err = run_gen("reg A 300 v2 rw fields x\nfield F 31 v2 - s\n")
        self.assertEqual(rc, 2)
        self.assertIn("outside 32..63", err)

    def test_duplicate_spr_is_rejected(self):
        rc, err = run_gen("reg A 300 v2 rw all x\nreg B 300 v2 rw all x\n")
        self.assertEqual(rc, 2)
        self.assertIn("SPR 300 used by A too", err)

    def test_unknown_core_is_rejected(self):
        rc, err = run_gen("reg A 300 e600 rw all x\n")
        self.assertEqual(rc, 2)
        self.assertIn("t.tab:1: unknown core 'e600'", err)


class GeneratedConstants(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.tmp = tempfile.TemporaryDirectory()
        py = os.path.join(cls.tmp.name, "regs.py")
        subprocess.run([sys.executable, GEN, TABLE, "--python", py], check=True)
        spec = importlib.util.spec_from_file_location("regs", py)
        cls.regs = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(cls.regs)

    @classmethod
    def tearDownClass(cls):
        cls.tmp.cleanup()

    def test_isa_bit_numbers_become_linux_masks(self):
        # mask = 1 << (63 - n): DBCR0[IDM] is ISA bit 33
        self.assertEqual(self.regs.DBCR0_IDM, 0x40000000)
        self.assertEqual(self.regs.DBCR1_IAC12M, 0x00C00000)
        self.assertEqual(self.regs.DBSR_MRR, 0x30000000)
        self.assertEqual(self.regs.SPR_DBCR4, 563)

    def test_reserved_fields_are_not_legal(self):
        legal_v2 = self.regs.REGS["DBCR0"]["legal"][0]
        self.assertEqual(legal_v2 & self.regs.DBCR0_IAC3, 0)
        self.assertEqual(legal_v2 & self.regs.DBCR0_CIRPT, 0)   # option-dependent
        self.assertEqual(self.regs.REGS["DBCR4"]["legal"][0], 0)  # e500mc only

    def test_kernel_cross_check_flags_a_mismatch(self):
        with tempfile.TemporaryDirectory() as d:
            good = os.path.join(d, "good.json")
            bad = os.path.join(d, "bad.json")
            with open(good, "w") as f:
                json.dump({"defines": {"DBCR0_IDM": 0x40000000, "DBSR_IC": 0x08000000,
                                       "SPRN_DBCR0": 0x134}}, f)
            with open(bad, "w") as f:
                json.dump({"defines": {"DBCR0_IDM": 0x20000000}}, f)
            ok = subprocess.run([sys.executable, GEN, TABLE, "--check-kernel", good],
                                capture_output=True, text=True)
            self.assertEqual(ok.returncode, 0, ok.stderr)
            self.assertIn("3 kernel masks checked, 0 mismatches", ok.stdout)
            ko = subprocess.run([sys.executable, GEN, TABLE, "--check-kernel", bad],
                                capture_output=True, text=True)
            self.assertEqual(ko.returncode, 1)
            self.assertIn("DBCR0_IDM: kernel 0x20000000, table 0x40000000", ko.stderr)

    def test_every_register_and_field_a_core_has_cites_an_existing_section(self):
        # the explorer (bookedbg run --html) shows these meanings and links these sections
        with open(os.path.join(ROOT, "docs", "booke-debug.md"), encoding="utf-8") as f:
            anchors = set(re.findall(r'<a id="([a-z0-9-]+)"></a>', f.read()))
        missing, bad = [], []
        for name, reg in self.regs.REGS.items():
            if not reg["cores"]:
                continue
            items = [(name, reg["doc"])] + [(f"{name}[{k}]", d) for k, d in reg["field_docs"].items()]
            for what, doc in items:
                if not doc or not doc["meaning"]:
                    missing.append(what)
                elif doc["section"] not in anchors:
                    bad.append(f"{what}: #{doc['section']}")
        self.assertEqual(missing, [])
        self.assertEqual(bad, [])


class GeneratorRejectsDocs(unittest.TestCase):
    def test_doc_with_a_bad_section_is_rejected(self):
        rc, err = run_gen("reg A 300 v2 rw all x\ndoc Not_A_Section meaning\n")
        self.assertEqual(rc, 2)
        self.assertIn("t.tab:2: bad section 'Not_A_Section'", err)

    def test_second_doc_of_one_field_is_rejected(self):
        rc, err = run_gen("reg A 300 v2 rw fields x\nfield F 32 v2 - s\ndoc iac one\ndoc iac two\n")
        self.assertEqual(rc, 2)
        self.assertIn("t.tab:4: F has a doc already", err)


if __name__ == "__main__":
    unittest.main()
