"""Tests of the vector tools: determinism, sharding, validity, coverage closure, planted bugs, errors."""
import glob
import os
import shutil
import subprocess
import sys
import tempfile
import unittest

sys.path.insert(0, os.path.join(os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__)))), "harness"))
from gatelib.build import make_flags  # noqa: E402



def _read(path):
    with open(path, encoding="utf-8") as f:
        return f.read()


def _write(path, text):
    with open(path, "w", encoding="utf-8") as f:
        f.write(text)

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
BUILD = os.environ.get("BUILD", "build")
BOOKEDBG = os.environ.get("BOOKEDBG") or os.path.join(ROOT, BUILD, "bookedbg")
PY = sys.executable
V = os.path.join(ROOT, "vectors")


def run(*cmd, env=None, **kw):
    e = dict(os.environ, BOOKEDBG=BOOKEDBG)
    e.update(env or {})
    return subprocess.run(list(cmd), stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=e, cwd=ROOT, **kw)


def scratch_model(tmp, path, old, new):
    """Copy model/ to tmp, plant a bug (replace `old` by `new` in model/PATH), build a scratch bookedbg."""
    m = os.path.join(tmp, "model")
    shutil.copytree(os.path.join(ROOT, "model"), m, ignore=shutil.ignore_patterns("systemc"))
    p = os.path.join(m, path)
    src = _read(p)
    assert old in src, "planted-bug anchor not found in model/%s: %r" % (path, old)
    _write(p, src.replace(old, new, 1))
    exe = os.path.join(tmp, "bookedbg")
    # the core and the trace layer (the CLI's libraries) from the copy, so that a bug planted in a
    # header reaches them too (dbg_fast.h is compiled into the trace runner), and every generated
    # source of the build (a new one needs no change here)
    srcs = sorted(glob.glob(os.path.join(m, "*.c")) + glob.glob(os.path.join(m, "trace", "*.c")) +
                  glob.glob(os.path.join(ROOT, "conform", "*.c")) +
                  glob.glob(os.path.join(ROOT, BUILD, "gen", "*.c"))) + [os.path.join(ROOT, "cli", "main.c")]
    fl = make_flags()          # the build's own flags (mk/flags.mk), without -Werror: a planted bug may warn
    r = subprocess.run(["cc"] + fl["C_STD"] + ["-O1"] + fl["C_DEFS"] + ["-I" + m,
                        "-I" + os.path.join(m, "trace"), "-I" + os.path.join(ROOT, "conform"),
                        "-I" + os.path.join(ROOT, BUILD, "gen")] + srcs +
                       ["-o", exe],
                       stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    assert r.returncode == 0, r.stderr
    return exe


class TestGenerator(unittest.TestCase):
    def test_same_seed_gives_identical_bytes(self):
        a = run(PY, "vectors/gen.py", "--seed", "7", "--count", "1000")
        b = run(PY, "vectors/gen.py", "--seed", "7", "--count", "1000")
        self.assertEqual(a.returncode, 0, a.stderr)
        self.assertEqual(a.stdout, b.stdout)
        self.assertIn("# bookedbg generated trace gen-s7-00000: domain model, generator vectors/gen.py version",
                      a.stdout)
        self.assertIn("# model options:", a.stdout)

    def test_different_seeds_differ(self):
        a = run(PY, "vectors/gen.py", "--seed", "7", "--count", "5").stdout
        b = run(PY, "vectors/gen.py", "--seed", "8", "--count", "5").stdout
        self.assertNotEqual(a, b)

    def test_union_of_shards_equals_unsharded_run(self):
        with tempfile.TemporaryDirectory() as d:
            run(PY, "vectors/gen.py", "--seed", "3", "--count", "60", "--out", d + "/all")
            for k in (1, 2, 3):
                run(PY, "vectors/gen.py", "--seed", "3", "--count", "60", "--shard", "%d/3" % k, "--out", d + "/sh")
            names = sorted(os.listdir(d + "/all"))
            self.assertEqual(names, sorted(os.listdir(d + "/sh")))
            for n in names:
                self.assertEqual(_read(d + "/all/" + n), _read(d + "/sh/" + n), n)

    def test_generated_traces_are_valid_and_agree_with_the_reference(self):
        with tempfile.TemporaryDirectory() as d:
            run(PY, "vectors/gen.py", "--seed", "11", "--count", "300", "--out", d)
            r = run(BOOKEDBG, "run", "--quiet", *sorted(glob.glob(d + "/*.trace")))
            self.assertEqual(r.returncode, 0, r.stdout[-2000:] + r.stderr[-2000:])
            self.assertRegex(r.stdout, r"[1-9]\d* expects: [1-9]\d* passed, 0 failed")

    def test_bad_shard_argument_exits_2_without_traceback(self):
        r = run(PY, "vectors/gen.py", "--seed", "1", "--shard", "4/3")
        self.assertEqual(r.returncode, 2)
        self.assertNotIn("Traceback", r.stderr)


class TestCoverage(unittest.TestCase):
    def test_help_is_usage_on_stdout_exit_0(self):
        r = run(BOOKEDBG, "cover", "--help")
        self.assertEqual(r.returncode, 0, r.stderr)
        self.assertTrue(r.stdout.startswith("usage: bookedbg cover "), r.stdout)

    def test_flag_without_value_says_what_it_takes_exit_2(self):
        for flag, what in (("--save", "a file name"), ("--shard", "K/N"), ("--opt", "NAME=VALUE")):
            r = run(BOOKEDBG, "cover", "x.trace", flag)
            self.assertEqual(r.returncode, 2)
            self.assertEqual(r.stderr.strip(), "cover: %s takes %s" % (flag, what))

    def test_bad_csv_reports_file_line_and_exit_2(self):
        with tempfile.TemporaryDirectory() as d:
            p = d + "/x.csv"
            _write(p, "a,b\n1,2\n")
            r = run(PY, "vectors/cover.py", p)
            self.assertEqual(r.returncode, 2)
            self.assertEqual(r.stderr.strip(), p + ":1: not a bookedbg samples CSV (header lacks core,events,file,line,"
                             "recorded,stmt)")

    def test_malformed_trace_reports_file_line_col_exit_2(self):
        with tempfile.TemporaryDirectory() as d:
            p = d + "/bad.trace"
            _write(p, "core e500v2\nexec 0x100000000 nop\n")
            r = run(PY, "vectors/cover.py", p)
            self.assertEqual(r.returncode, 2)
            self.assertTrue(r.stderr.startswith(p + ":2:"), r.stderr)
            self.assertNotIn("Traceback", r.stderr)

    def test_illegal_bin_hit_is_a_failure(self):
        with tempfile.TemporaryDirectory() as d:
            # ICMP recorded with DE=0 under IDM: declared illegal (#icmp)
            hdr = _read(os.path.join(ROOT, "model", "trace", "cover.c"))
            r0 = run(BOOKEDBG, "run", "--samples", d + "/s.csv", "docs/tour/07-delayed-event.trace")
            self.assertEqual(r0.returncode, 0)
            lines = _read(d + "/s.csv").splitlines()
            cols = lines[0].split(",")
            row = lines[1].split(",")
            row[cols.index("de")] = "0"
            row[cols.index("idm")] = "1"
            row[cols.index("edm")] = "0"
            row[cols.index("recorded")] = "0x08000000"
            _write(d + "/bad.csv", lines[0] + "\n" + ",".join(row) + "\n")
            r = run(PY, "vectors/cover.py", d + "/bad.csv")
            self.assertEqual(r.returncode, 1)
            self.assertIn("ILLEGAL BIN HIT: event_x_DE_x_mode_x_core:ICMP/DE=0/IDM", r.stdout)
            self.assertIn("#icmp", r.stdout)
            self.assertTrue(hdr)

    def test_default_campaign_closes_coverage_and_names_illegal_bins(self):
        with tempfile.TemporaryDirectory() as d:
            r = run(PY, "vectors/campaign.py", "--seeds", "1 2", "--count", "1000", "--shards", "2",
                    "--dir", d, "--no-parallel")
            self.assertEqual(r.returncode, 0, r.stdout[-3000:] + r.stderr[-2000:])
            self.assertTrue(r.stdout.rstrip().endswith("(100.0%)"), r.stdout[-500:])
            self.assertIn("bins: ICMP is never recorded with MSR[DE]=0", r.stdout)
            self.assertIn("0 missing", r.stdout)
            self.assertTrue(os.path.exists(d + "/junit.xml"))

    def test_missing_shard_is_rerun_and_merged(self):
        with tempfile.TemporaryDirectory() as d:
            r = run(PY, "vectors/campaign.py", "--seeds", "5", "--count", "40", "--shards", "3", "--dir", d,
                    "--no-parallel")
            os.unlink(d + "/jobs/5-2.json")                 # a shard that died
            r2 = run(PY, "vectors/campaign.py", "--seeds", "5", "--count", "40", "--shards", "3", "--dir", d,
                     "--merge-only")
            self.assertIn("3 shard jobs merged, 0 missing, 40 traces", r2.stdout)
            self.assertEqual(r.stdout.split("\n")[0], r2.stdout.split("\n")[0])


class TestPlantedBugs(unittest.TestCase):
    def check_caught(self, path, old, new):
        with tempfile.TemporaryDirectory() as d:
            exe = scratch_model(d, path, old, new)
            r = run(PY, "vectors/campaign.py", "--seeds", "1 2", "--count", "1000", "--shards", "2",
                    "--dir", d + "/c", "--no-parallel", env={"BOOKEDBG": exe})
            self.assertEqual(r.returncode, 1, "planted bug not caught:\n" + r.stdout[-1500:])
            shrunk = sorted(glob.glob(d + "/c/shrunk/*.trace"))
            self.assertTrue(shrunk, r.stdout[-1500:])
            best = min(shrunk, key=lambda p: sum(1 for ln in _read(p).splitlines() if ln.split()[0:1] in
                                                 (["set"], ["exec"], ["irq"], ["ude"])))
            n = sum(1 for ln in _read(best).splitlines() if ln.split()[0:1] in (["set"], ["exec"], ["irq"], ["ude"]))
            self.assertLessEqual(n, 5, _read(best))
            self.assertEqual(run(exe, "run", "--quiet", best).returncode, 1)   # still fails the bugged model
            self.assertEqual(run(BOOKEDBG, "run", "--quiet", best).returncode, 0)  # and passes the real one

    def test_planted_inclusive_range_upper_bound_inclusive_is_caught_and_shrinks(self):
        self.check_caught("dbg_match.h", "return lo <= a && a < hi;", "return lo <= a && a <= hi;")

    def test_planted_ide_not_set_is_caught_and_shrinks(self):
        self.check_caught("dbg_deliver.c", "u->reg[DBG_REG_DBSR] |= DBSR_IDE;", "(void)0;")


class TestRegressCorpus(unittest.TestCase):
    def test_every_regress_trace_passes_on_the_model(self):
        files = sorted(glob.glob(os.path.join(V, "regress", "*.trace")))
        self.assertTrue(files)
        r = run(BOOKEDBG, "run", "--quiet", *files)
        self.assertEqual(r.returncode, 0, r.stdout[-2000:])


if __name__ == "__main__":
    unittest.main()
