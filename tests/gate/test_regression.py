"""The gate as a kernel developer's regression tool: a patch on its base tree, a branch against a
revision, baselines, versions, and a command line that cannot mislead. Every patch here is made
at test time from build/linux-6.1 with git itself; kernel text is located at run time, never kept
in this file (mutation sites are spelled in pieces)."""
import base64
import json
import os
import quopri
import shutil
import subprocess
import tempfile
import time
import unittest

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
BOOKEDBG = os.environ.get("BOOKEDBG", os.path.join(ROOT, "build", "bookedbg"))
BUILD = os.path.dirname(BOOKEDBG)
TREE = os.environ.get("BOOKEDBG_KERNEL", os.path.join(BUILD, "linux-6.1"))
TREE612 = os.path.join(os.path.dirname(TREE), "linux-6.12")
MAIL = os.path.join(ROOT, "kernel-patch", "v3-userspace-debug-stub.mbox")
BOOKE = "arch/powerpc/kvm/booke.c"
# a broken copy of kvmppc_booke_add_breakpoint: IAC1 one instruction off
BP_OLD, BP_NEW = "dbg_reg->iac1 = " "addr;", "dbg_reg->iac1 = " "addr + 4;"
# two independent defects in one function, prime_debug_regs: IAC1 and DAC1 loaded with 0
PROCESS = "arch/powerpc/kernel/process.c"
IAC1_OLD, IAC1_NEW = "mtspr(SPRN_IAC1, " "debug->iac1);", "mtspr(SPRN_IAC1, " "0);"
DAC1_OLD, DAC1_NEW = "mtspr(SPRN_DAC1, " "debug->dac1);", "mtspr(SPRN_DAC1, " "0);"


# These tests are about the gate as a regression tool (inputs, verdicts, reports), not its coverage
# (test_gate.py checks that): a gate run here samples the exhaustive family, and the fixed families
# still all run.
QUICK = ("--budget", "100")


def bookedbg(*args, timeout=300, cwd=None):
    if args[:1] == ("gate",) and "--budget" not in args and "--prove" not in args:
        args = args + QUICK
    return subprocess.run([BOOKEDBG, *args], capture_output=True, text=True, timeout=timeout, cwd=cwd)


def git(repo, *args):
    p = subprocess.run(["git", "-C", repo, "-c", "user.name=Dev", "-c", "user.email=dev@example.org",
                        *args], capture_output=True, text=True)
    if p.returncode:
        raise AssertionError(p.stderr)
    return p.stdout


class KernelRepo:
    """A git checkout holding the gate's files of the 6.1 tree, for format-patch and --base."""

    def __init__(self, d):
        self.dir = os.path.join(d, "linux")
        shutil.copytree(TREE, self.dir)
        git(self.dir, "init", "-q")
        git(self.dir, "add", "-A")
        git(self.dir, "commit", "-qm", "base")

    def edit(self, rel, old, new):
        path = os.path.join(self.dir, rel)
        with open(path, encoding="utf-8") as f:
            text = f.read()
        assert old in text, f"mutation site gone from {rel}"
        with open(path, "w", encoding="utf-8") as f:
            f.write(text.replace(old, new, 1))

    def commit(self, subject):
        git(self.dir, "add", "-A")
        git(self.dir, "commit", "-qm", subject)

    def format_patch(self, n, out):
        git(self.dir, "format-patch", "-q", f"-{n}", "-o", out)
        return sorted(os.path.join(out, f) for f in os.listdir(out) if f.endswith(".patch"))


@unittest.skipUnless(os.path.isdir(TREE), "no 6.1 tree (make upstream)")
class PatchOnBase(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.tmp = tempfile.mkdtemp()
        repo = KernelRepo(cls.tmp)
        repo.edit(BOOKE, BP_OLD, BP_NEW)
        repo.commit("KVM: PPC: booke: break the breakpoint address")
        cls.broken = repo.format_patch(1, os.path.join(cls.tmp, "broken"))[0]
        git(repo.dir, "reset", "-q", "--hard", "HEAD~1")
        repo.edit(PROCESS, IAC1_OLD, IAC1_NEW)
        repo.commit("powerpc: do not load IAC1")
        repo.edit(PROCESS, DAC1_OLD, DAC1_NEW)
        repo.commit("powerpc: do not load DAC1")
        cls.series = repo.format_patch(2, os.path.join(cls.tmp, "series"))
        git(repo.dir, "reset", "-q", "--hard", "HEAD~2")
        repo.edit(BOOKE, "Debug resource owned by userspace.", "Debug resources owned by user space.")
        repo.commit("KVM: PPC: booke: comment wording")
        cls.comment = repo.format_patch(1, os.path.join(cls.tmp, "comment"))[0]
        git(repo.dir, "reset", "-q", "--hard", "HEAD~1")
        os.makedirs(os.path.join(repo.dir, "Documentation"), exist_ok=True)
        with open(os.path.join(repo.dir, "Documentation", "debug.rst"), "w") as f:
            f.write("BookE debug notes\n")
        repo.commit("Documentation: a note")
        cls.docs = repo.format_patch(1, os.path.join(cls.tmp, "docs"))[0]
        cls.repo = repo

    @classmethod
    def tearDownClass(cls):
        shutil.rmtree(cls.tmp, ignore_errors=True)

    def gate(self, patch, *more):
        out = tempfile.mkdtemp(dir=self.tmp)
        p = bookedbg("gate", "--kernel", TREE, "--patch", patch, "--json", "--out", out, *more)
        return p.returncode, (json.loads(p.stdout) if p.returncode in (0, 1) else None), p.stderr

    def test_broken_copy_of_a_61_function_is_introduced_and_fails(self):
        rc, rep, err = self.gate(self.broken)
        self.assertEqual(rc, 1, err)
        self.assertEqual(rep["verdict"], "introduced")
        self.assertTrue(rep["introduced"])
        self.assertEqual(rep["fixed"], [])
        # what the base already has is unchanged, not introduced
        self.assertTrue(set(rep["unchanged"]) & {x["id"] for x in rep["base"]["findings"]})
        # an introduced finding replays against the patched tree, step by step
        f = next(x for x in rep["patched"]["findings"] if x["id"] in rep["introduced"])
        p = bookedbg("replay", "--verbose", f["scenario"])
        self.assertEqual(p.returncode, 1, p.stdout + p.stderr)
        self.assertIn("replay: divergent", p.stdout)
        self.assertIn("KVM_EXIT_DEBUG status", p.stdout)
        self.assertIn(f"line {f['stmt']}: {f['stmt_text']}", p.stdout)

    def test_a_series_applies_in_order_and_each_defect_gets_its_own_id(self):
        with open(os.path.join(self.tmp, "series.mbox"), "w") as out:
            for p in self.series:
                with open(p) as f:
                    out.write(f.read())
        rc, rep, err = self.gate(os.path.join(self.tmp, "series.mbox"))
        self.assertEqual(rc, 1, err)
        # both patches applied, in order: each defect shows on its own kernel line, with its own id
        by_id = {x["id"]: x for x in rep["patched"]["findings"]}
        lines = {by_id[i]["kernel_line"] for i in rep["introduced"] if i in by_id}
        self.assertTrue(any("IAC1" in l for l in lines), lines)
        self.assertTrue(any("DAC1" in l for l in lines), lines)
        iac = {i for i in rep["introduced"] if i in by_id and "IAC1" in by_id[i]["kernel_line"]}
        dac = {i for i in rep["introduced"] if i in by_id and "DAC1" in by_id[i]["kernel_line"]}
        self.assertFalse(iac & dac)
        ids = [x["id"] for x in rep["patched"]["findings"]]
        self.assertEqual(len(ids), len(set(ids)))
        for i in iac | dac:
            self.assertTrue(os.path.exists(by_id[i]["scenario"]), by_id[i])
            # the finding sits in its function; the register write in process.c is named beside it
            self.assertTrue(by_id[i]["written_at"].startswith(PROCESS + ":"), by_id[i])

    def test_comment_only_change_is_untouched_and_quick(self):
        t = time.monotonic()
        rc, rep, err = self.gate(self.comment)
        self.assertEqual(rc, 0, err)
        self.assertEqual(rep["mode"], "untouched")
        self.assertLess(time.monotonic() - t, 20)

    def test_untouched_patch_writes_passing_junit_and_sarif(self):
        out = tempfile.mkdtemp(dir=self.tmp)
        junit, sarif = os.path.join(out, "j.xml"), os.path.join(out, "s.sarif")
        p = bookedbg("gate", "--kernel", TREE, "--patch", self.docs, "--junit", junit, "--sarif", sarif,
                     "--out", out)
        self.assertEqual(p.returncode, 0, p.stderr)
        with open(junit) as f:
            self.assertIn('failures="0"', f.read())
        with open(sarif) as f:
            self.assertEqual(json.load(f)["runs"][0]["results"], [])

    def test_fail_on_robustness_still_fails_on_an_introduced_bug(self):
        rc, rep, err = self.gate(self.broken, "--fail-on", "robustness")
        self.assertEqual((rc, rep["verdict"]), (1, "introduced"), err)
        rc, rep, err = self.gate(self.broken, "--fail-on", "bug")
        self.assertEqual((rc, rep["verdict"]), (1, "introduced"), err)

    def test_a_failed_run_leaves_no_stale_report(self):
        out = tempfile.mkdtemp(dir=self.tmp)
        junit = os.path.join(out, "j.xml")
        stale = os.path.join(self.tmp, "stale2.patch")
        with open(self.broken) as f, open(stale, "w") as g:
            g.write(f.read().replace("\tswitch (index) {", "\tswitch (idx) {"))
        for patch in (os.path.join(self.tmp, "nothing.patch"), stale):
            with open(junit, "w") as f:
                f.write('<testsuite failures="0"/>')
            p = bookedbg("gate", "--kernel", TREE, "--patch", patch, "--junit", junit, "--out", out)
            self.assertEqual(p.returncode, 2)
            self.assertFalse(os.path.exists(junit), patch)

    def test_docs_only_patch_says_so_in_one_line_and_exits_0(self):
        out = tempfile.mkdtemp(dir=self.tmp)
        p = bookedbg("gate", "--kernel", TREE, "--patch", self.docs, "--out", out)
        self.assertEqual(p.returncode, 0, p.stderr)
        self.assertEqual(len(p.stdout.splitlines()), 2, p.stdout)    # the line, and the verdict
        self.assertIn("does not change the debug code", p.stdout)

    def test_quoted_printable_and_base64_mails_gate_like_the_plain_patch(self):
        with open(self.broken, "rb") as f:
            raw = f.read()
        head, _, body = raw.partition(b"\n\n")
        plain = set(self.gate(self.broken)[1]["introduced"])
        for enc, data in (("quoted-printable", quopri.encodestring(body)),
                          ("base64", base64.encodebytes(body))):
            path = os.path.join(self.tmp, f"mail-{enc}.eml")
            with open(path, "wb") as f:
                f.write(head + b"\nMIME-Version: 1.0\nContent-Type: text/plain; charset=UTF-8\n"
                        b"Content-Transfer-Encoding: " + enc.encode() + b"\n\n" + data)
            rc, rep, err = self.gate(path)
            self.assertEqual((rc, set(rep["introduced"])), (1, plain), (enc, err))

    def test_truncated_patch_is_an_input_error_before_any_compile(self):
        with open(self.broken) as f:
            lines = f.read().splitlines(True)
        hunk = next(i for i, l in enumerate(lines) if l.startswith("@@"))
        path = os.path.join(self.tmp, "cut.patch")
        with open(path, "w") as f:
            f.writelines(lines[:hunk + 3])
        t = time.monotonic()
        rc, _, err = self.gate(path)
        self.assertEqual(rc, 2)
        self.assertRegex(err.strip(), r"^.*cut\.patch:\d+: .*truncated")
        self.assertEqual(len(err.strip().splitlines()), 1, err)
        self.assertLess(time.monotonic() - t, 10)

    def test_patch_that_does_not_apply_names_file_and_hunk(self):
        with open(self.broken) as f:
            text = f.read()
        path = os.path.join(self.tmp, "stale.patch")
        with open(path, "w") as f:
            f.write(text.replace("\tswitch (index) {", "\tswitch (idx) {"))
        rc, _, err = self.gate(path)
        self.assertEqual(rc, 2, err)
        self.assertIn(BOOKE, err)
        self.assertRegex(err, r"stale\.patch:\d+: .*hunk")
        self.assertNotIn("Traceback", err)

    def test_a_series_that_drops_e500v2_reports_the_configuration_removed(self):
        repo = KernelRepo(tempfile.mkdtemp(dir=self.tmp))
        path = os.path.join(repo.dir, "arch/powerpc/kvm/Kconfig")
        with open(path) as f:
            lines = f.read().splitlines(True)
        start = lines.index("config KVM_E500V2\n")
        end = next(i for i in range(start + 1, len(lines)) if lines[i].startswith("config "))
        with open(path, "w") as f:
            f.writelines(lines[:start] + lines[end:])
        repo.commit("KVM: PPC: drop e500v2")
        patch = repo.format_patch(1, os.path.join(repo.dir, "..", "out"))[0]
        rc, rep, err = self.gate(patch)
        self.assertEqual(rc, 0, err)
        self.assertEqual(rep["removed_configs"], ["pr"])
        self.assertEqual(set(rep["patched"]["configs"]), {"hv"})
        self.assertEqual(rep["fixed"], [])

    def test_branch_against_a_revision_in_a_git_checkout(self):
        repo = self.repo
        repo.edit(BOOKE, BP_OLD, BP_NEW)        # uncommitted work on top of HEAD
        try:
            out = tempfile.mkdtemp(dir=self.tmp)
            p = bookedbg("gate", "--kernel", ".", "--base", "HEAD", "--json", "--out", out, cwd=repo.dir)
            self.assertEqual(p.returncode, 1, p.stderr)
            self.assertTrue(json.loads(p.stdout)["introduced"])
            p = bookedbg("gate", "--kernel", ".", "--base", "no-such-rev", "--out", out, cwd=repo.dir)
            self.assertEqual(p.returncode, 2)
            self.assertIn("no-such-rev", p.stderr)
        finally:
            git(repo.dir, "checkout", "-q", "--", BOOKE)


@unittest.skipUnless(os.path.isdir(TREE), "no 6.1 tree (make upstream)")
class Baselines(unittest.TestCase):
    def test_pristine_trees_with_their_own_report_as_baseline_exit_0(self):
        for tree in (TREE, TREE612):
            if not os.path.isdir(tree):
                continue
            with tempfile.TemporaryDirectory() as d:
                p = bookedbg("gate", "--kernel", tree, "--json", "--out", d)
                self.assertEqual(p.returncode, 1, p.stderr)     # robustness findings of its own
                rep = os.path.join(d, "base.json")
                with open(rep, "w") as f:
                    f.write(p.stdout)
                p = bookedbg("gate", "--kernel", tree, "--baseline", rep, "--out", d)
                self.assertEqual(p.returncode, 0, p.stdout + p.stderr)
                self.assertIn("verdict: accepted", p.stdout)

    def test_a_baseline_that_is_not_a_gate_report_is_an_input_error(self):
        with tempfile.TemporaryDirectory() as d:
            for text in ('{"verdict": "divergent", "findings": "x", "counterexamples": 5}',
                         '{"verdict": "divergent"}', '{"verdict": "x", "findings": [{"id": 5}]}', '[1, 2'):
                path = os.path.join(d, "b.json")
                with open(path, "w") as f:
                    f.write(text)
                p = bookedbg("gate", "--kernel", TREE, "--baseline", path, "--out", d)
                self.assertEqual(p.returncode, 2, (text, p.stdout, p.stderr))
                self.assertIn("b.json:", p.stderr)
                self.assertNotIn("Traceback", p.stderr)

    def test_counterexamples_name_their_function_in_the_kernel(self):
        with tempfile.TemporaryDirectory() as d:
            rep = json.loads(bookedbg("gate", "--kernel", TREE, "--prove", "--json", "--out", d).stdout)
            for x in rep["counterexamples"]:
                self.assertRegex(x["where"], r"^arch/powerpc/kvm/booke\.c:\d+$", x)

    def test_fail_on_bug_passes_when_only_robustness_findings_are_left(self):
        with tempfile.TemporaryDirectory() as d:
            # the bug-kind findings of 6.1 HV accepted by a baseline: the robustness ones that
            # remain do not fail a --fail-on bug run
            first = json.loads(bookedbg("gate", "--kernel", TREE, "--config", "hv", "--json",
                                        "--out", d).stdout)
            bugs = [x for x in first["findings"] + first["counterexamples"] if x["kind"] == "bug"]
            base = os.path.join(d, "bugs.json")
            with open(base, "w", encoding="utf-8") as f:
                json.dump({"verdict": "divergent", "findings": bugs}, f)
            p = bookedbg("gate", "--kernel", TREE, "--config", "hv", "--fail-on", "bug", "--json",
                         "--baseline", base, "--out", d)
            rep = json.loads(p.stdout)
            self.assertTrue([x for x in rep["findings"] if x["kind"] == "robustness"])
            self.assertEqual(p.returncode, 0)
            self.assertEqual(rep["failing"], [])
            # and without the baseline the bug-kind ones fail it
            p = bookedbg("gate", "--kernel", TREE, "--config", "hv", "--fail-on", "bug", "--json",
                         "--out", d)
            self.assertEqual(p.returncode, 1)

    def test_counterexample_only_run_exits_1_and_junit_counts_it(self):
        with tempfile.TemporaryDirectory() as d:
            junit = os.path.join(d, "j.xml")
            p = bookedbg("gate", "--kernel", TREE, "--prove", "--json", "--junit", junit, "--out", d)
            rep = json.loads(p.stdout)
            self.assertEqual(rep["findings"], [])
            self.assertTrue(rep["counterexamples"])
            self.assertEqual(p.returncode, 1)
            with open(junit) as f:
                xml = f.read()
            self.assertIn(f'failures="{len(rep["counterexamples"])}"', xml)
            self.assertEqual(xml.count("<testcase "), len(rep["obligations"]) + 2)


@unittest.skipUnless(os.path.isdir(TREE), "no 6.1 tree (make upstream)")
class Reports(unittest.TestCase):
    def test_version_is_read_from_the_trees_makefile(self):
        for tree, want in ((TREE, "6.1"), (TREE612, "6.12")):
            if not os.path.isdir(tree):
                continue
            with tempfile.TemporaryDirectory() as d:
                p = bookedbg("gate", "--kernel", tree, "--json", "--budget", "20", "--out", d)
                rep = json.loads(p.stdout)
                self.assertEqual(rep["version"], want)
                self.assertTrue(rep["release"].startswith(want + "."), rep["release"])
                p = bookedbg("gate", "--kernel", tree, "--budget", "20", "--out", d)
                self.assertIn(f"({rep['release']})", p.stdout.splitlines()[0])

    def test_two_defects_in_one_function_get_their_own_ids_and_lines(self):
        # kvmppc_handle_debug broken twice: breakpoints reported as read watches, and DAC1 hits
        # reported at DAC2's address
        status = ("run->debug.arch.status |= " "KVMPPC_DEBUG_BREAKPOINT;",
                  "run->debug.arch.status |= " "KVMPPC_DEBUG_WATCH_READ;")
        address = ("run->debug.arch.address = " "dbg_reg->dac1;", "run->debug.arch.address = " "dbg_reg->dac2;")
        with tempfile.TemporaryDirectory() as d:
            tree = os.path.join(d, "linux")
            shutil.copytree(TREE, tree)
            path = os.path.join(tree, BOOKE)
            with open(path) as f:
                text = f.read()
            for old, new in (status, address):
                self.assertIn(old, text)
                text = text.replace(old, new, 1)
            with open(path, "w") as f:
                f.write(text)
            p = bookedbg("gate", "--kernel", tree, "--json", "--out", os.path.join(d, "o"))
            mine = [f for f in json.loads(p.stdout)["findings"] if f["function"] == "kvmppc_handle_debug"]
            lines = {f["kernel_line"]: f["id"] for f in mine}
            self.assertIn(status[1], lines)
            self.assertIn(address[1], lines)
            self.assertNotEqual(lines[status[1]], lines[address[1]])
            for f in mine:
                self.assertEqual(f["where"].split(":")[0], BOOKE)
                self.assertTrue(os.path.exists(f["scenario"]))

    def test_versions_doc_has_a_row_per_version_with_the_gates_verdict(self):
        with open(os.path.join(ROOT, "docs", "versions.md")) as f:
            rows = [l for l in f.read().splitlines() if l.startswith("| ") and not l.startswith("| input")]
        self.assertTrue(any(r.startswith("| v3 mail") for r in rows), rows)
        for tree, v in ((TREE, "6.1."), (TREE612, "6.12.")):
            if not os.path.isdir(tree):
                continue
            row = next((r for r in rows if f"| {v}" in r), None)
            self.assertIsNotNone(row, (v, rows))
            with tempfile.TemporaryDirectory() as d:
                rep = json.loads(bookedbg("gate", "--kernel", tree, "--json", "--out", d).stdout)
            self.assertIn(f"| {rep['verdict']} |", row)

    def test_findings_go_to_a_fresh_folder(self):
        with tempfile.TemporaryDirectory() as d:
            os.makedirs(os.path.join(d, "findings"))
            stale = os.path.join(d, "findings", "BKD-00000000.scn")
            open(stale, "w").close()
            p = bookedbg("gate", "--kernel", TREE, "--json", "--budget", "20", "--out", d)
            self.assertFalse(os.path.exists(stale))
            for f in json.loads(p.stdout)["findings"]:
                self.assertTrue(os.path.exists(f["scenario"]), f)

    def test_sarif_names_the_kernel_file_and_line(self):
        with tempfile.TemporaryDirectory() as d:
            path = os.path.join(d, "g.sarif")
            p = bookedbg("gate", "--kernel", TREE, "--sarif", path, "--out", d)
            with open(path) as f:
                s = json.load(f)
            self.assertEqual(s["version"], "2.1.0")
            res = s["runs"][0]["results"]
            self.assertEqual(p.returncode, 1 if any(r["level"] == "error" for r in res) else 0)
            loc = res[0]["locations"][0]["physicalLocation"]
            self.assertTrue(loc["artifactLocation"]["uri"].startswith("arch/powerpc/"))
            self.assertGreater(loc["region"]["startLine"], 1)


class CommandLine(unittest.TestCase):
    def bad(self, *args, want=None):
        t = time.monotonic()
        p = bookedbg(*args, timeout=60)
        self.assertEqual(p.returncode, 2, (args, p.stdout, p.stderr))
        self.assertNotIn("Traceback", p.stderr)
        self.assertEqual(len(p.stderr.strip().splitlines()), 1, p.stderr)
        if want:
            self.assertIn(want, p.stderr)
        self.assertLess(time.monotonic() - t, 10, "the error must come before the run")

    def test_output_path_errors_come_before_the_run(self):
        self.bad("gate", "--patch", MAIL, "--junit", "/nonexistent/dir/j.xml", want="/nonexistent/dir")
        self.bad("gate", "--patch", MAIL, "--sarif", "/proc/s.sarif", want="/proc/s.sarif")
        self.bad("gate", "--patch", MAIL, "--sarif", "/nonexistent/dir/s.sarif", want="/nonexistent/dir")
        self.bad("gate", "--patch", MAIL, "--out", "/proc/x", want="/proc/x")

    def test_numbers_are_checked(self):
        self.bad("gate", "--patch", MAIL, "--budget", "0", want="--budget")
        self.bad("gate", "--patch", MAIL, "--budget", "-5", want="--budget")
        self.bad("gate", "--patch", MAIL, "--budget", "lots", want="--budget")
        self.bad("gate", "--patch", MAIL, "--random", "5", want="--seed")
        self.bad("gate", "--patch", MAIL, "--fail-on", "bugs", want="--fail-on")
        self.bad("gate", "--patch", MAIL, "--shard", "3/2", want="--shard")

    def test_help_prints_usage(self):
        for args in (("gate", "--help"), ("replay", "--help")):
            p = bookedbg(*args)
            self.assertEqual(p.returncode, 0, p.stderr)
            self.assertIn("usage: bookedbg " + args[0], p.stdout)

    def test_replay_refuses_a_binary_file(self):
        with tempfile.NamedTemporaryFile(suffix=".scn") as f:
            f.write(b"\x7fELF\x00\x01\x02")
            f.flush()
            self.bad("replay", f.name, want=f.name + ":1:")

    def test_replay_refuses_a_scenario_with_a_typo(self):
        for typo in ("g 0x1014 stroe 0x9000", "sleep 5", "preempt whenever"):
            with tempfile.NamedTemporaryFile("w", suffix=".scn") as f:
                f.write(f"input {MAIL}\nconfig pr\nioctl control=0x20001 bp=2@0x1008\n{typo}\nrun\n")
                f.flush()
                self.bad("replay", f.name, want=f.name + ":4:")

    def test_json_covers_prove_mode(self):
        p = bookedbg("gate", "--patch", MAIL, "--prove", "--json", "--config", "pr")
        rep = json.loads(p.stdout)
        self.assertEqual(p.returncode, rep["exit"])
        self.assertTrue(rep["obligations"])

    def test_interrupt_ends_quietly(self):
        p = subprocess.Popen([BOOKEDBG, "gate", "--patch", MAIL, "--seed", "1", "--random", "50000",
                              "--out", tempfile.mkdtemp()], stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                             text=True)
        time.sleep(1.5)
        p.send_signal(2)
        _, err = p.communicate(timeout=60)
        self.assertNotIn("Traceback", err)

    def test_output_piped_into_head_ends_quietly(self):
        p = subprocess.run(f"'{BOOKEDBG}' gate --patch '{MAIL}' --config pr | head -1", shell=True,
                           capture_output=True, text=True, timeout=120)
        self.assertEqual(len(p.stdout.splitlines()), 1)
        self.assertNotIn("Traceback", p.stderr)
        self.assertNotIn("Broken pipe", p.stderr)


if __name__ == "__main__":
    unittest.main()
