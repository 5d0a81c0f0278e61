"""Tests for harness/gatelib: reading a patch or a series (mail.py), applying
it to a copy of the gate's file set (apply.py), and kernel trees (tree.py).

Kernel code is never stored here.  The kernel tests build their inputs at run
time: a temporary git repository holds the files of build/linux-6.1 (unpacked
by `make upstream`; BOOKEDBG_KERNEL overrides the path), the test changes it
at places it finds in the text (a line that is just "}", a blank line), and
real `git format-patch` makes the patch.  Without the tree they are skipped.

Run from the repo root: python3 -m unittest tests.harness.test_patchset
"""
import email.charset
import email.mime.multipart
import email.mime.text
import gzip
import os
import re
import shutil
import subprocess
import sys
import tempfile
import unittest

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
sys.path.insert(0, os.path.join(ROOT, "harness"))
import extract  # noqa: E402
import recover  # noqa: E402
from gatelib import apply, mail, tree  # noqa: E402

SEED = os.path.join(ROOT, "kernel-patch", "v3-userspace-debug-stub.mbox")
KERNEL = os.environ.get("BOOKEDBG_KERNEL", os.path.join(ROOT, "build", "linux-6.1"))
KERNEL_612 = os.path.join(os.path.dirname(KERNEL), "linux-6.12")   # unpacked next to 6.1
GATE_FILES = extract.KERNEL_FILES + ["Makefile", "arch/powerpc/kvm/Kconfig"]
API_RST = "Documentation/virt/kvm/api.rst"
BOOKE_C = "arch/powerpc/kvm/booke.c"
HAVE_KERNEL = os.path.isfile(os.path.join(KERNEL, BOOKE_C))
HAVE_GIT = shutil.which("git") is not None
ERROR_RE = r"^%s:(\d+): "


def git_env(home):
    env = dict(os.environ, HOME=home, GIT_CONFIG_NOSYSTEM="1", GIT_AUTHOR_NAME="Gate Test",
               GIT_AUTHOR_EMAIL="gate@example.org", GIT_COMMITTER_NAME="Gate Test",
               GIT_COMMITTER_EMAIL="gate@example.org", GIT_AUTHOR_DATE="2024-01-01T00:00:00Z",
               GIT_COMMITTER_DATE="2024-01-01T00:00:00Z")
    env.pop("GIT_DIR", None)
    env.pop("GIT_WORK_TREE", None)
    return env


class Repo:
    """A temporary git repository holding some files; commits and patches."""

    def __init__(self, top, files=None, source=None):
        self.dir = os.path.join(top, "repo")
        self.env = git_env(top)
        os.makedirs(self.dir)
        self.git("init", "-q")
        for rel in files or []:
            src = os.path.join(source, rel)
            if os.path.isfile(src):
                dst = os.path.join(self.dir, rel)
                os.makedirs(os.path.dirname(dst), exist_ok=True)
                shutil.copyfile(src, dst)

    def git(self, *args):
        p = subprocess.run(["git", "-C", self.dir] + list(args), capture_output=True, env=self.env)
        if p.returncode:
            raise AssertionError("git %s: %s" % (" ".join(args), p.stderr.decode()))
        return p.stdout.decode("utf-8", "surrogateescape")

    def path(self, rel):
        return os.path.join(self.dir, rel)

    def read(self, rel):
        with open(self.path(rel), "rb") as fh:
            return fh.read()

    def lines(self, rel):
        return self.read(rel).decode("utf-8", "surrogateescape").split("\n")

    def write_lines(self, rel, lines):
        os.makedirs(os.path.dirname(self.path(rel)), exist_ok=True)
        with open(self.path(rel), "wb") as fh:
            fh.write("\n".join(lines).encode("utf-8", "surrogateescape"))

    def commit(self, msg):
        self.git("add", "-A")
        self.git("commit", "-q", "-m", msg)

    def format_patch(self, n=1, *more):
        return self.git("format-patch", "--stdout", "-M", *more, "HEAD~%d" % n)


def closing_brace_after(lines, frac):
    """Index of the first line that is just "}" past the given fraction of the file."""
    start = int(len(lines) * frac)
    return next(i for i in range(start, len(lines)) if lines[i] == "}")


def write(path, data):
    with open(path, "wb" if isinstance(data, bytes) else "w") as fh:
        fh.write(data)
    return path


class TmpDir(unittest.TestCase):
    def setUp(self):
        self.tmp = tempfile.mkdtemp()
        self.addCleanup(shutil.rmtree, self.tmp)

    def file(self, name, data):
        return write(os.path.join(self.tmp, name), data)

    def assertOneLineError(self, err, path):
        msg = str(err)
        self.assertNotIn("\n", msg)
        m = re.match(ERROR_RE % re.escape(path), msg)
        self.assertIsNotNone(m, msg)
        return int(m.group(1)), msg

    def apply(self, patches, base=None, files=None, dest=None):
        dest = dest or os.path.join(self.tmp, "dest")
        return apply.apply_series(patches, base or KERNEL, dest, files or GATE_FILES)


@unittest.skipUnless(HAVE_KERNEL and HAVE_GIT, "needs build/linux-6.1 (make upstream) and git")
class KernelPatches(TmpDir):
    """Patches made with git from the 6.1 files, applied back to build/linux-6.1."""

    def setUp(self):
        super().setUp()
        self.repo = Repo(self.tmp, GATE_FILES + [API_RST], KERNEL)
        self.repo.commit("base")

    def insert_after_brace(self, rel, frac, new_lines, msg):
        lines = self.repo.lines(rel)
        i = closing_brace_after(lines, frac)
        lines[i + 1:i + 1] = new_lines
        self.repo.write_lines(rel, lines)
        self.repo.commit(msg)
        return i

    def one_line_change(self):
        self.insert_after_brace(BOOKE_C, 0.5, ["/* bookedbg gate test: one line */"],
                                "KVM: PPC: gate test one line")
        return self.file("one.patch", self.repo.format_patch(1))

    def assertTreeIsRepo(self, dest, files=GATE_FILES):
        for rel in files:
            if os.path.exists(self.repo.path(rel)):
                with open(os.path.join(dest, rel), "rb") as fh:
                    self.assertEqual(fh.read(), self.repo.read(rel), rel)
            else:
                self.assertFalse(os.path.exists(os.path.join(dest, rel)), rel)

    # -- reading

    def test_format_patch_is_one_patch_with_its_subject(self):
        series = mail.read_series(self.one_line_change())
        self.assertEqual(len(series), 1)
        p = series[0]
        self.assertEqual(p.subject, "[PATCH] KVM: PPC: gate test one line")
        self.assertEqual(p.label, 'patch 1/1 "KVM: PPC: gate test one line"')
        self.assertEqual(p.src, 1)
        self.assertEqual(p.depth, 0)
        self.assertEqual([f.path for f in p.files], [BOOKE_C])

    def test_format_patch_one_line_change_applies(self):
        res = self.apply(mail.read_series(self.one_line_change()))
        self.assertEqual(res.touched, {BOOKE_C})
        self.assertEqual(res.skipped_files, [])
        self.assertEqual(res.notes, [])
        self.assertEqual(sorted(res.copied), sorted(set(GATE_FILES) - {BOOKE_C}))
        self.assertTreeIsRepo(res.dest)

    def test_summary_names_patches_and_changed_files(self):
        series = mail.read_series(self.one_line_change())
        res = self.apply(series)
        self.assertEqual(apply.summary(series, res),
                         '1 patch ("KVM: PPC: gate test one line") applies; it changes ' + BOOKE_C)
        self.assertEqual(apply.gate_files(), GATE_FILES)

    def test_plain_git_diff_is_read_and_named_after_the_file(self):
        self.one_line_change()
        path = self.file("plain.diff", self.repo.git("diff", "HEAD~1"))
        series = mail.read_series(path)
        self.assertEqual(series[0].subject, "plain.diff")
        self.assertFalse(series[0].mail)
        self.assertTreeIsRepo(self.apply(series).dest)

    def test_hunk_lines_are_lines_of_the_input(self):
        path = self.one_line_change()
        with open(path) as fh:
            text = fh.read().split("\n")
        h = mail.read_series(path)[0].files[0].hunks[0]
        self.assertTrue(text[h.src - 1].startswith("@@ "))
        for tag, body, src in h.lines:
            self.assertEqual(text[src - 1], tag + body)

    # -- series

    def make_series(self):
        """Two patches; the second changes the line the first adds."""
        self.insert_after_brace(BOOKE_C, 0.5, ["/* bookedbg gate test: first */"], "KVM: PPC: gate test first")
        lines = self.repo.lines(BOOKE_C)
        i = lines.index("/* bookedbg gate test: first */")
        lines[i] = "/* bookedbg gate test: second */"
        self.repo.write_lines(BOOKE_C, lines)
        self.repo.commit("KVM: PPC: gate test second")
        return self.repo.format_patch(2, "--cover-letter")

    def test_mbox_series_applies_in_order_and_cover_letter_is_skipped(self):
        series = mail.read_series(self.file("series.mbox", self.make_series()))
        self.assertEqual([p.label for p in series], ['patch 1/2 "KVM: PPC: gate test first"',
                                                     'patch 2/2 "KVM: PPC: gate test second"'])
        self.assertEqual([s[2] for s in series.skipped], ["cover letter"])
        res = self.apply(series)
        self.assertEqual(res.touched, {BOOKE_C})
        self.assertEqual([n for _, n in res.applied], [1, 1])
        self.assertTreeIsRepo(res.dest)

    def test_series_mails_are_applied_by_their_number(self):
        text = self.make_series()
        starts = [m.start() for m in re.finditer(r"(?m)^From [0-9a-f]{40} ", text)]
        mails = [text[a:b] for a, b in zip(starts, starts[1:] + [len(text)])]
        path = self.file("reversed.mbox", "".join(reversed(mails)))
        series = mail.read_series(path)
        self.assertEqual([p.number for p in series], [(1, 2), (2, 2)])
        self.assertTreeIsRepo(self.apply(series).dest)

    def test_second_patch_alone_does_not_apply(self):
        text = self.make_series()
        second = text[text.rindex("From ", 0, text.index("Subject: [PATCH 2/2]")):]
        path = self.file("second.mbox", second)
        with self.assertRaises(apply.ApplyError) as cm:
            self.apply(mail.read_series(path))
        line, msg = self.assertOneLineError(cm.exception, path)
        self.assertRegex(msg, r': patch 2/2 "KVM: PPC: gate test second": hunk 1 \(@@ -\d+,7 \+\d+,7 @@\) '
                              r'does not apply to arch/powerpc/kvm/booke\.c$')
        self.assertTrue(second.split("\n")[line - 1].startswith("@@ "))
        self.assertFalse(os.path.exists(os.path.join(self.tmp, "dest")))

    def test_duplicate_patch_number_is_an_error(self):
        text = self.make_series()
        first = text.index("From ", text.index("Subject: [PATCH 0/2]"))
        path = self.file("dup.mbox", text + text[first:])
        with self.assertRaises(mail.MailError) as cm:
            mail.read_series(path)
        _, msg = self.assertOneLineError(cm.exception, path)
        self.assertIn("patch 1/2 appears twice", msg)

    # -- encoded mails

    def mail_parts(self, n=1):
        """(subject, commit message, patch text after the '---') of the last commit's format-patch."""
        text = self.repo.format_patch(n)
        head, _, body = text.partition("\n\n")
        subject = re.search(r"(?m)^Subject: (.*)$", head).group(1)
        return subject, body

    def long_line_change(self):
        # "=" and a non-ASCII letter force escapes, the length soft line breaks.
        self.insert_after_brace(BOOKE_C, 0.5, ["/* bookedbg gate test: a = b, caf\u00e9, "
                                               + "long line " * 12 + "*/"], "KVM: PPC: gate test encoded")

    def test_quoted_printable_mail_is_decoded(self):
        self.long_line_change()
        subject, body = self.mail_parts()
        cs = email.charset.Charset("utf-8")
        cs.body_encoding = email.charset.QP
        msg = email.mime.text.MIMEText(body, "plain", cs)
        msg["From"] = "Gate Test <gate@example.org>"
        msg["Subject"] = subject
        raw = msg.as_string()
        self.assertIn("Content-Transfer-Encoding: quoted-printable", raw)
        self.assertIn("=3D", raw)
        self.assertRegex(raw, r"=\n")
        path = self.file("qp.eml", raw)
        series = mail.read_series(path)
        self.assertEqual(series[0].subject, subject)
        self.assertTreeIsRepo(self.apply(series).dest)
        # Quoted-printable lines map back to the lines of the mail.
        h = series[0].files[0].hunks[0]
        self.assertTrue(raw.split("\n")[h.src - 1].startswith("@@ "))

    def test_base64_attachment_is_decoded(self):
        self.long_line_change()
        subject, body = self.mail_parts()
        commit_msg, _, patch = ("\n" + body).partition("\n---\n")
        outer = email.mime.multipart.MIMEMultipart("mixed")
        outer["From"] = "Gate Test <gate@example.org>"
        outer["Subject"] = subject
        outer.attach(email.mime.text.MIMEText(commit_msg + "\n", "plain", "us-ascii"))
        att = email.mime.text.MIMEText(patch, "x-patch", "utf-8")
        att.add_header("Content-Disposition", "attachment", filename="0001-gate-test.patch")
        outer.attach(att)
        outer.set_unixfrom("From gate@example.org Mon Jan  1 00:00:00 2024")
        raw = outer.as_string(unixfrom=True)
        self.assertIn("Content-Transfer-Encoding: base64", raw)
        path = self.file("b64.eml", raw)
        series = mail.read_series(path)
        self.assertEqual(len(series), 1)
        self.assertEqual(series[0].subject, subject)
        self.assertTreeIsRepo(self.apply(series).dest)

    # -- patches that must be refused

    def two_hunk_patch(self):
        self.insert_after_brace(BOOKE_C, 0.2, ["/* bookedbg gate test: early */"], "x")
        self.repo.git("reset", "-q", "--soft", "HEAD~1")
        self.insert_after_brace(BOOKE_C, 0.6, ["/* bookedbg gate test: late */"],
                                "KVM: PPC: gate test two hunks")
        return self.repo.format_patch(1).split("\n")

    def test_hunk_that_does_not_apply_names_patch_hunk_file_and_line(self):
        lines = self.two_hunk_patch()
        at = [i for i, l in enumerate(lines) if l.startswith("@@ ")]
        self.assertEqual(len(at), 2)
        ctx = next(i for i in range(at[1] + 1, len(lines)) if lines[i].startswith(" ") and lines[i].strip())
        lines[ctx] = " bookedbg_gate_test_not_in_the_file();"
        path = self.file("broken.patch", "\n".join(lines))
        with self.assertRaises(apply.ApplyError) as cm:
            self.apply(mail.read_series(path))
        line, msg = self.assertOneLineError(cm.exception, path)
        self.assertEqual(line, at[1] + 1)
        header = re.match(r"(@@ -\d+,\d+ \+\d+,\d+ @@)", lines[at[1]]).group(1)
        self.assertEqual(msg, '%s:%d: patch 1/1 "KVM: PPC: gate test two hunks": hunk 2 (%s) '
                              'does not apply to %s' % (path, line, header, BOOKE_C))
        self.assertEqual(cm.exception.reason, "the context lines are not in the file")

    def test_failed_apply_leaves_dest_as_it_was(self):
        lines = self.two_hunk_patch()
        at = [i for i, l in enumerate(lines) if l.startswith("@@ ")][1]
        lines[at + 1] = " bookedbg_gate_test_not_in_the_file();"
        path = self.file("broken.patch", "\n".join(lines))
        dest = os.path.join(self.tmp, "out", "patched")
        os.makedirs(dest)
        write(os.path.join(dest, "marker"), "old\n")
        with self.assertRaises(apply.ApplyError):
            self.apply(mail.read_series(path), dest=dest)
        self.assertEqual(os.listdir(dest), ["marker"])
        self.assertEqual(os.listdir(os.path.join(self.tmp, "out")), ["patched"])

    def test_applied_patch_again_says_already_applied(self):
        path = self.one_line_change()
        series = mail.read_series(path)
        with self.assertRaises(apply.ApplyError) as cm:
            self.apply(list(series) + list(mail.read_series(path)))
        self.assertIn("already applied", cm.exception.reason)

    def test_hunk_found_at_an_offset_is_noted(self):
        lines = self.one_line_change_lines()
        at = next(i for i, l in enumerate(lines) if l.startswith("@@ "))
        m = re.match(r"@@ -(\d+),(\d+) \+(\d+),(\d+) @@(.*)", lines[at])
        a, b, c, d, rest = m.groups()
        lines[at] = "@@ -%d,%s +%d,%s @@%s" % (int(a) + 40, b, int(c) + 40, d, rest)
        path = self.file("offset.patch", "\n".join(lines))
        res = self.apply(mail.read_series(path))
        self.assertTreeIsRepo(res.dest)
        self.assertEqual(len(res.notes), 1)
        self.assertIn("hunk 1 of %s applied at offset -40 lines" % BOOKE_C, res.notes[0])

    def one_line_change_lines(self):
        with open(self.one_line_change()) as fh:
            return fh.read().split("\n")

    def test_truncated_hunk_is_refused_before_anything_is_applied(self):
        self.insert_after_brace(BOOKE_C, 0.5, ["/* bookedbg gate test: %d */" % k for k in range(3)],
                                "KVM: PPC: gate test truncated")
        lines = self.repo.format_patch(1).split("\n")
        at = next(i for i, l in enumerate(lines) if l.startswith("@@ "))
        m = re.match(r"@@ -(\d+),(\d+) \+(\d+),(\d+) @@", lines[at])
        path = self.file("cut.patch", "\n".join(lines[:at + 3]) + "\n")    # header + 2 context lines
        with self.assertRaises(mail.MailError) as cm:
            mail.read_series(path)
        line, msg = self.assertOneLineError(cm.exception, path)
        self.assertEqual(line, at + 1)
        self.assertEqual(msg, "%s:%d: patch truncated: hunk %s of %s declares %s old/%s new lines, has 2/2"
                         % (path, at + 1, m.group(0), BOOKE_C, m.group(2), m.group(4)))

    def test_truncated_header_is_refused(self):
        lines = self.one_line_change_lines()
        at = next(i for i, l in enumerate(lines) if l.startswith("--- a/"))
        path = self.file("cut.patch", "\n".join(lines[:at + 1]) + "\n")
        with self.assertRaises(mail.MailError) as cm:
            mail.read_series(path)
        _, msg = self.assertOneLineError(cm.exception, path)
        self.assertIn("patch truncated: diff ends in the middle of the header of %s" % BOOKE_C, msg)

    def test_diff_cut_in_the_middle_of_its_last_line_is_refused(self):
        self.one_line_change()
        text = self.repo.git("diff", "-U0", "HEAD~1")
        path = self.file("cut.diff", text.rstrip("\n")[:-5])
        with self.assertRaises(mail.MailError) as cm:
            mail.read_series(path)
        _, msg = self.assertOneLineError(cm.exception, path)
        self.assertIn("patch truncated: input ends in the middle of a line", msg)

    # -- files outside the gate's set

    def commit_doc_paragraph(self):
        """A commit that adds a paragraph to api.rst, a file the gate does not read."""
        lines = self.repo.lines(API_RST)
        i = next(k for k in range(len(lines) // 2, len(lines)) if lines[k] == "")
        lines[i:i] = ["", "Gate test paragraph."]
        self.repo.write_lines(API_RST, lines)
        self.repo.commit("KVM: doc: gate test")

    @unittest.skipUnless(os.path.isfile(os.path.join(KERNEL, API_RST)), "needs upstream.sh's api.rst")
    def test_documentation_only_patch_applies_and_touches_nothing(self):
        self.commit_doc_paragraph()
        path = self.file("doc.patch", self.repo.format_patch(1))
        res = self.apply(mail.read_series(path))
        self.assertEqual(res.touched, set())
        self.assertEqual(res.skipped_files, [apply.SkippedFile(API_RST, "[PATCH] KVM: doc: gate test",
                                                               'patch 1/1 "KVM: doc: gate test"', True)])
        self.assertFalse(os.path.exists(os.path.join(res.dest, API_RST)))
        self.assertEqual(sorted(res.copied), sorted(GATE_FILES))
        self.assertEqual(apply.summary(mail.read_series(path), res),
                         '1 patch ("KVM: doc: gate test") applies; it changes none of the files '
                         'the gate reads (only %s)' % API_RST)

    @unittest.skipUnless(os.path.isfile(os.path.join(KERNEL, API_RST)), "needs upstream.sh's api.rst")
    def test_documentation_hunk_that_does_not_apply_is_reported(self):
        self.commit_doc_paragraph()
        plines = self.repo.format_patch(1).split("\n")
        at = next(k for k, l in enumerate(plines) if l.startswith("@@ "))
        plines[at + 1] = " Gate test: this context is not in the file."
        path = self.file("doc.patch", "\n".join(plines))
        with self.assertRaises(apply.ApplyError) as cm:
            self.apply(mail.read_series(path))
        _, msg = self.assertOneLineError(cm.exception, path)
        self.assertTrue(msg.endswith("does not apply to " + API_RST), msg)

    def test_file_outside_set_and_tree_is_recorded_unchecked(self):
        self.repo.write_lines("Documentation/gate-test.rst", ["Gate test.", ""])
        self.repo.commit("doc: new gate test file")
        self.repo.write_lines("Documentation/gate-test.rst", ["Gate test, changed.", ""])
        self.repo.commit("doc: change gate test file")
        path = self.file("doc.mbox", self.repo.format_patch(2))
        res = self.apply(mail.read_series(path))
        self.assertEqual([(s.path, s.checked) for s in res.skipped_files],
                         [("Documentation/gate-test.rst", True), ("Documentation/gate-test.rst", True)])
        self.assertEqual(res.touched, set())

    # -- creating, deleting, renaming

    def test_new_deleted_and_renamed_files(self):
        new_c = "arch/powerpc/kvm/gate_test_new.c"
        moved = "arch/powerpc/kvm/e500mc_gate_test.c"
        moved_pure = "arch/powerpc/kvm/booke_gate_test.h"
        self.repo.write_lines(new_c, ["/* bookedbg gate test: new file */", "", "int x;", ""])
        os.remove(self.repo.path("arch/powerpc/kvm/booke_emulate.c"))
        self.repo.git("mv", "arch/powerpc/kvm/e500mc.c", moved)
        self.repo.git("mv", "arch/powerpc/kvm/booke.h", moved_pure)
        lines = self.repo.lines(moved)
        i = closing_brace_after(lines, 0.5)
        lines[i + 1:i + 1] = ["/* bookedbg gate test: renamed */"]
        self.repo.write_lines(moved, lines)
        self.repo.commit("KVM: PPC: gate test files")
        files = GATE_FILES + [new_c, moved, moved_pure]
        path = self.file("files.patch", self.repo.format_patch(1))
        p = mail.read_series(path)[0]
        self.assertEqual([op["kind"] for op in p.ops], ["rename"])
        res = self.apply([p], files=files)
        self.assertEqual(res.created, {new_c, moved, moved_pure})
        self.assertEqual(res.deleted, {"arch/powerpc/kvm/booke_emulate.c", "arch/powerpc/kvm/e500mc.c",
                                       "arch/powerpc/kvm/booke.h"})
        self.assertEqual(res.touched, res.created | res.deleted)
        self.assertTreeIsRepo(res.dest, files)

    @unittest.skipUnless(os.path.isfile(os.path.join(KERNEL_612, BOOKE_C)), "needs build/linux-6.12")
    def test_diff_from_6_1_to_6_12_turns_the_6_1_files_into_6_12(self):
        # Hundreds of hunks with offsets between them: the applier must put
        # every one where git did.
        for rel in GATE_FILES + [API_RST]:
            shutil.copyfile(os.path.join(KERNEL_612, rel), self.repo.path(rel))
        self.repo.commit("6.12")
        path = self.file("to-6.12.patch", self.repo.format_patch(1))
        res = self.apply(mail.read_series(path))
        self.assertEqual(res.notes, [])
        self.assertEqual([(s.path, s.checked) for s in res.skipped_files], [(API_RST, True)])
        self.assertTreeIsRepo(res.dest)

    def test_kernel_version_from_top_makefile(self):
        if not os.path.isfile(os.path.join(KERNEL, "Makefile")):
            self.skipTest("build/linux-6.1 has no Makefile (run make upstream)")
        v = tree.kernel_version(KERNEL)
        self.assertRegex(v, r"^6\.1\.\d+$")
        self.assertEqual(tree.short_version(v), "6.1")
        if os.path.isfile(os.path.join(KERNEL_612, "Makefile")):
            self.assertRegex(tree.kernel_version(KERNEL_612), r"^6\.12\.\d+$")


class Input(TmpDir):
    """Inputs that are not patches, and the 2013 review mail."""

    def test_binary_file_is_not_a_patch(self):
        path = self.file("blob.bin", b"diff --git a/x b/x\n\0\1\2binary")
        with self.assertRaises(mail.MailError) as cm:
            mail.read_series(path)
        self.assertEqual(str(cm.exception), "%s:1: binary file, not a patch" % path)

    def test_compressed_patch_is_not_a_patch(self):
        path = self.file("p.patch.gz", gzip.compress(b"--- a/x\n+++ b/x\n@@ -1 +1 @@\n-a\n+b\n" * 20))
        with self.assertRaises(mail.MailError) as cm:
            mail.read_series(path)
        self.assertEqual(str(cm.exception), "%s:1: binary file, not a patch" % path)

    def test_input_without_diff_is_an_error(self):
        path = self.file("note.txt", "Just some text.\nNo patch here.\n")
        with self.assertRaises(recover.RecoverError) as cm:
            mail.read_series(path)
        self.assertOneLineError(cm.exception, path)
        self.assertIn("no patch found", str(cm.exception))

    def test_mail_without_diff_is_an_error(self):
        path = self.file("m.eml", "From: a@example.org\nSubject: [PATCH] nothing\n\nNo diff.\n")
        with self.assertRaises(mail.MailError) as cm:
            mail.read_series(path)
        self.assertEqual(str(cm.exception), '%s:1: no patch found in mail "[PATCH] nothing"' % path)

    def test_missing_input_is_an_error(self):
        path = os.path.join(self.tmp, "nope.patch")
        with self.assertRaises(mail.MailError) as cm:
            mail.read_series(path)
        self.assertOneLineError(cm.exception, path)

    def test_2013_review_mail_is_one_recovered_patch(self):
        series = mail.read_series(SEED)
        self.assertEqual(len(series), 1)
        p = series[0]
        self.assertEqual(p.depth, 2)
        self.assertEqual(p.src, 1)
        self.assertEqual(p.to_diff(), recover.recover(SEED).to_diff())
        self.assertEqual(p.label, 'patch 1/1 "v3-userspace-debug-stub.mbox"')

    def test_2013_review_mail_does_not_apply_to_6_1(self):
        if not HAVE_KERNEL:
            self.skipTest("needs build/linux-6.1")
        with self.assertRaises(apply.ApplyError) as cm:
            self.apply(mail.read_series(SEED))
        self.assertOneLineError(cm.exception, SEED)
        self.assertFalse(os.path.exists(os.path.join(self.tmp, "dest")))


class SyntheticApply(TmpDir):
    """Applying rules on made-up files (no kernel text needed)."""

    def base(self, files):
        base = os.path.join(self.tmp, "base")
        for rel, text in files.items():
            os.makedirs(os.path.dirname(os.path.join(base, rel)), exist_ok=True)
            write(os.path.join(base, rel), text)
        return base

    def test_removed_dash_space_line_is_not_a_signature(self):
        # Removing the line "- " gives the hunk line "-- ": it is inside the
        # hunk's counts, so it is patch text, not the format-patch signature.
        base = self.base({"doc/list.txt": "a\nb\n- \nc\nd\n"})
        path = self.file("p.patch", "diff --git a/doc/list.txt b/doc/list.txt\n--- a/doc/list.txt\n"
                                    "+++ b/doc/list.txt\n@@ -1,5 +1,4 @@\n a\n b\n-- \n c\n d\n-- \n2.39.2\n")
        series = mail.read_series(path)
        res = self.apply(series, base=base, files=["doc/list.txt"])
        with open(os.path.join(res.dest, "doc/list.txt")) as fh:
            self.assertEqual(fh.read(), "a\nb\nc\nd\n")

    def test_no_newline_at_end_of_file(self):
        base = self.base({"f.txt": "one\ntwo\n"})
        path = self.file("p.patch", "--- a/f.txt\n+++ b/f.txt\n@@ -1,2 +1,2 @@\n one\n-two\n+three\n"
                                    "\\ No newline at end of file\n")
        res = self.apply(mail.read_series(path), base=base, files=["f.txt"])
        with open(os.path.join(res.dest, "f.txt")) as fh:
            self.assertEqual(fh.read(), "one\nthree")

    def test_hunk_at_top_must_match_at_the_top(self):
        base = self.base({"f.txt": "x\na\nb\nc\nd\n"})
        path = self.file("p.patch", "--- a/f.txt\n+++ b/f.txt\n@@ -1,3 +1,4 @@\n+new\n a\n b\n c\n")
        with self.assertRaises(apply.ApplyError) as cm:
            self.apply(mail.read_series(path), base=base, files=["f.txt"])
        self.assertEqual(cm.exception.reason, "the context matches, but not at the top of the file")

    def test_quoted_patch_may_match_ignoring_whitespace(self):
        base = self.base({"f.c": "int a;\nint  b;\nint c;\n"})
        path = self.file("reply.txt", "On Monday someone wrote:\n> --- a/f.c\n> +++ b/f.c\n"
                                      "> @@ -1,3 +1,4 @@\n>  int a;\n>  int b;\n> +int bb;\n>  int c;\n\nLooks fine.\n")
        res = self.apply(mail.read_series(path), base=base, files=["f.c"])
        with open(os.path.join(res.dest, "f.c")) as fh:
            self.assertEqual(fh.read(), "int a;\nint  b;\nint bb;\nint c;\n")
        self.assertIn("ignoring whitespace", res.notes[0])

    def test_patch_on_file_missing_from_the_set_tree_is_an_error(self):
        base = self.base({"g.txt": "g\n"})
        path = self.file("p.patch", "--- a/f.txt\n+++ b/f.txt\n@@ -1 +1 @@\n-a\n+b\n")
        with self.assertRaises(apply.ApplyError) as cm:
            self.apply(mail.read_series(path), base=base, files=["f.txt", "g.txt"])
        self.assertIn("f.txt: no such file in", str(cm.exception))

    def test_diff_between_two_trees_drops_the_first_directory(self):
        base = self.base({"arch/f.c": "a\n"})
        path = self.file("p.diff", "diff -ur linux.orig/arch/f.c linux/arch/f.c\n--- linux.orig/arch/f.c\n"
                                   "+++ linux/arch/f.c\n@@ -1 +1 @@\n-a\n+b\n")
        res = self.apply(mail.read_series(path), base=base, files=["arch/f.c"])
        self.assertEqual(res.touched, {"arch/f.c"})
        self.assertIn("like patch -p1", res.notes[0])

    def test_patch_of_only_a_pure_rename_and_an_empty_file(self):
        base = self.base({"g.txt": "g\n"})
        path = self.file("p.patch", "diff --git a/g.txt b/h.txt\nsimilarity index 100%\nrename from g.txt\n"
                                    "rename to h.txt\ndiff --git a/e.txt b/e.txt\nnew file mode 100644\n"
                                    "index 0000000..e69de29\n")
        res = self.apply(mail.read_series(path), base=base, files=["g.txt", "h.txt", "e.txt"])
        self.assertEqual(sorted(os.listdir(res.dest)), ["e.txt", "h.txt"])
        self.assertEqual(res.touched, {"g.txt", "h.txt", "e.txt"})

    def test_binary_change_to_a_file_of_the_set_is_an_error(self):
        base = self.base({"f.txt": "a\n"})
        path = self.file("p.patch", "diff --git a/f.txt b/f.txt\nindex 1234567..89abcde 100644\n"
                                    "Binary files a/f.txt and b/f.txt differ\n")
        with self.assertRaises(apply.ApplyError) as cm:
            self.apply(mail.read_series(path), base=base, files=["f.txt"])
        self.assertEqual(str(cm.exception), '%s:1: patch 1/1 "p.patch": binary change to f.txt '
                                            'cannot be applied' % path)

    def test_mbox_reply_in_a_series_is_skipped(self):
        base = self.base({"f.txt": "a\n"})
        patch = "--- a/f.txt\n+++ b/f.txt\n@@ -1 +1 @@\n-a\n+b\n"
        text = ("From x@example.org Mon Jan  1 00:00:00 2024\nFrom: x@example.org\n"
                "Subject: [PATCH] f: b\n\n" + patch + "\n"
                "From y@example.org Mon Jan  1 01:00:00 2024\nFrom: y@example.org\n"
                "Subject: Re: [PATCH] f: b\n\n> " + patch.replace("\n", "\n> ").rstrip("> ") + "\nOK.\n")
        series = mail.read_series(self.file("thread.mbox", text))
        self.assertEqual(len(series), 1)
        self.assertEqual(series.skipped[0][2], "a reply, not a patch of the series")
        self.apply(series, base=base, files=["f.txt"])


class Trees(TmpDir):
    def repo(self):
        if not HAVE_GIT:
            self.skipTest("needs git")
        r = Repo(self.tmp)
        r.write_lines("Makefile", ["VERSION = 6", "PATCHLEVEL = 12", "SUBLEVEL = 57",
                                   "EXTRAVERSION = -rc3", ""])
        r.write_lines("a/one.c", ["one", ""])
        r.commit("first")
        r.write_lines("a/one.c", ["one, changed", ""])
        r.write_lines("a/two.c", ["two", ""])
        r.commit("second")
        r.write_lines("a/one.c", ["one, in the working tree", ""])
        return r

    def test_kernel_version_and_short_version(self):
        r = self.repo()
        self.assertEqual(tree.kernel_version(r.dir), "6.12.57-rc3")
        self.assertEqual(tree.short_version("6.12.57"), "6.12")
        self.assertEqual(tree.short_version("6.13.0-rc3"), "6.13")
        self.assertIsNone(tree.kernel_version(os.path.join(self.tmp, "nowhere")))

    def test_export_rev_writes_the_files_at_that_revision(self):
        r = self.repo()
        dest = os.path.join(self.tmp, "out")
        written = tree.export_rev(r.dir, "HEAD~1", dest, ["a/one.c", "a/two.c", "Makefile"])
        self.assertEqual(written, ["a/one.c", "Makefile"])
        with open(os.path.join(dest, "a/one.c")) as fh:
            self.assertEqual(fh.read(), "one\n")
        tree.export_rev(r.dir, "HEAD", dest, ["a/one.c", "a/two.c"])
        self.assertEqual(sorted(os.listdir(os.path.join(dest, "a"))), ["one.c", "two.c"])

    def test_working_files_copies_the_working_tree(self):
        r = self.repo()
        dest = os.path.join(self.tmp, "work")
        self.assertEqual(tree.working_files(r.dir, dest, ["a/one.c", "nope.c"]), ["a/one.c"])
        with open(os.path.join(dest, "a/one.c")) as fh:
            self.assertEqual(fh.read(), "one, in the working tree\n")
        self.assertEqual(tree.copy_files(dest, os.path.join(self.tmp, "copy"), ["a/one.c", "nope.c"]),
                         ["a/one.c"])

    def test_bad_revision_and_non_checkout_are_one_line_errors(self):
        r = self.repo()
        with self.assertRaises(tree.TreeError) as cm:
            tree.export_rev(r.dir, "no-such-rev", os.path.join(self.tmp, "x"), ["a/one.c"])
        self.assertEqual(str(cm.exception), "%s: 'no-such-rev' is not a revision of this git checkout" % r.dir)
        plain = os.path.join(self.tmp, "plain")
        os.makedirs(plain)
        with self.assertRaises(tree.TreeError) as cm:
            tree.export_rev(plain, "HEAD", os.path.join(self.tmp, "x"), ["a/one.c"])
        self.assertEqual(str(cm.exception), "%s: not a git checkout" % plain)
        self.assertFalse(os.path.exists(os.path.join(self.tmp, "x")))


if __name__ == "__main__":
    unittest.main()
