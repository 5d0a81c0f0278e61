"""Tests for harness/recover.py: getting a clean patch back out of a plain
patch, a format-patch mbox, or a review mail that quotes the patch.

Run from the repo root: python3 -m unittest discover -s tests/harness
"""
import os
import re
import subprocess
import sys
import tempfile
import unittest

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
sys.path.insert(0, os.path.join(ROOT, "harness"))
import recover  # noqa: E402

SEED = os.path.join(ROOT, "kernel-patch", "v3-userspace-debug-stub.mbox")
RECOVER = os.path.join(ROOT, "harness", "recover.py")

# A made-up patch on a made-up file, in git format-patch form.
MBOX = """\
From 0123456789abcdef0123456789abcdef01234567 Mon Sep 17 00:00:00 2001
From: Test Person <test@example.org>
Date: Mon, 1 Jan 2024 00:00:00 +0000
Subject: [PATCH] widget: count frobs

> a quoted line in the commit message must not confuse depth detection

---
 lib/widget.c | 4 +++-
 1 file changed, 3 insertions(+), 1 deletion(-)

diff --git a/lib/widget.c b/lib/widget.c
index 1111111..2222222 100644
--- a/lib/widget.c
+++ b/lib/widget.c
@@ -10,6 +10,8 @@ static int widget_count(struct widget *w)
 {
 	int n = 0;

-	n = w->a;
+	n = w->a + w->b;
+	/* frobs count twice */
+	n += 2 * w->frobs;
 	return n;
 }
-- 
2.39.2

"""


def quote(text, depth):
    """Quote every line the way a mail client does ("> " per level)."""
    return "\n".join(("> " * depth + l).rstrip() if l else ">" * depth
                     for l in text.split("\n"))


def write_tmp(text, suffix=".txt"):
    fd, path = tempfile.mkstemp(suffix=suffix)
    with os.fdopen(fd, "w") as fh:
        fh.write(text)
    return path


def run_cli(*args):
    return subprocess.run([sys.executable, RECOVER] + list(args), capture_output=True, text=True)


class SeedMail(unittest.TestCase):
    """The v3 review mail: patch at quote depth 2, reviewer text between."""

    @classmethod
    def setUpClass(cls):
        cls.patch = recover.recover(SEED)
        cls.files = {f.path: f for f in cls.patch.files}

    def test_patch_found_at_quote_depth_two(self):
        self.assertEqual(self.patch.depth, 2)

    def test_four_files_in_order(self):
        self.assertEqual([f.path for f in self.patch.files], [
            "arch/powerpc/include/asm/kvm_host.h", "arch/powerpc/include/uapi/asm/kvm.h",
            "arch/powerpc/kvm/booke.c", "arch/powerpc/kvm/booke.h"])

    def test_wrapped_diff_git_line_rejoined(self):
        f = self.files["arch/powerpc/include/asm/kvm_host.h"]
        self.assertEqual(f.old_path, "arch/powerpc/include/asm/kvm_host.h")
        self.assertEqual(f.new_path, "arch/powerpc/include/asm/kvm_host.h")

    def test_wrapped_hunk_header_rejoined(self):
        sections = [h.section for h in self.files["arch/powerpc/kvm/booke.c"].hunks]
        self.assertIn("int kvmppc_vcpu_run(struct kvm_run *kvm_run, struct kvm_vcpu *vcpu)", sections)
        self.assertIn("static int emulation_exit(struct kvm_run *run, struct kvm_vcpu *vcpu)", sections)
        h = self.files["arch/powerpc/kvm/booke.h"].hunks[0]
        self.assertEqual(h.section, "static inline void kvmppc_save_guest_fp(struct kvm_vcpu *vcpu)")

    def test_context_lines_inside_kvm_vcpu_arch_recovered(self):
        h = self.files["arch/powerpc/include/asm/kvm_host.h"].hunks[0]
        self.assertEqual(h.section, "struct kvm_vcpu_arch {")
        self.assertEqual(h.lines[:3], [(" ", "\tu32 mmucfg;", h.lines[0][2]),
                                       (" ", "\tu32 epr;", h.lines[1][2]),
                                       (" ", "\tu32 crit_save;", h.lines[2][2])])
        context = [t for tag, t, _ in h.lines if tag == " "]
        self.assertIn("\tstruct kvmppc_booke_debug_reg dbg_reg;", context)
        self.assertIn("#endif", context)

    def test_space_of_comment_context_line_kept(self):
        # " * Helper ..." is a context line whose text itself starts with a
        # space; only the diff marker's space was eaten.
        h = self.files["arch/powerpc/kvm/booke.c"].hunks[0]
        self.assertIn((" ", " * Helper function for \"full\" MSR writes.  No need to call this if only"),
                      [(t, x) for t, x, _ in h.lines])

    def test_recounted_lines_match_mail_diffstat(self):
        # The mail's own diffstat: 8, 22, 242 and 5 changed lines; 255+, 22-.
        adds = {p: sum(1 for h in f.hunks for t, _, _ in h.lines if t == "+") for p, f in self.files.items()}
        dels = {p: sum(1 for h in f.hunks for t, _, _ in h.lines if t == "-") for p, f in self.files.items()}
        self.assertEqual(sum(adds.values()), 255)
        self.assertEqual(sum(dels.values()), 22)
        self.assertEqual(adds["arch/powerpc/kvm/booke.c"] + dels["arch/powerpc/kvm/booke.c"], 242)
        self.assertEqual(adds["arch/powerpc/include/asm/kvm_host.h"], 8)

    def test_recounted_headers_match_mail_headers(self):
        hunks = [h for f in self.patch.files for h in f.hunks]
        self.assertEqual(len(hunks), 14)
        for h in hunks:
            self.assertEqual((h.old_count, h.new_count), h.declared, h.header())

    def test_reviewer_text_dropped(self):
        text = self.patch.to_diff()
        for reviewer in ("You need to make sure DBCR4", "Please tell What", "= true;",
                         "static void switch_booke_debug_regs(struct thread_struct",
                         "To unsubscribe", "1.7.0.4"):
            self.assertNotIn(reviewer, text)

    def test_empty_elision_keeps_hunk_whole(self):
        # "> ..." sits between "static void kvmppc_load_usespace_gebug(void)"
        # and its "{"; the hunk still matches its header, so nothing was cut.
        h = [h for h in self.files["arch/powerpc/kvm/booke.c"].hunks if h.old_start == 646][0]
        self.assertTrue(h.exact)
        texts = [t for _, t, _ in h.lines]
        i = texts.index("static void kvmppc_load_usespace_gebug(void)")
        self.assertEqual(texts[i + 1:i + 4], ["{", "\tswitch_booke_debug_regs(&current->thread);", "}"])
        self.assertTrue(any("elision cut no patch lines" in n for _, n in self.patch.notes))

    def test_cli_prints_recounted_unified_diff(self):
        r = run_cli(SEED)
        self.assertEqual(r.returncode, 0, r.stderr)
        self.assertTrue(r.stdout.startswith("diff --git a/arch/powerpc/include/asm/kvm_host.h "
                                            "b/arch/powerpc/include/asm/kvm_host.h\n"))
        self.assertIn("\n@@ -693,11 +757,25 @@ int kvmppc_vcpu_run(struct kvm_run *kvm_run, "
                      "struct kvm_vcpu *vcpu)\n", r.stdout)
        self.assertEqual(r.stdout.count("\ndiff --git "), 3)
        self.assertEqual(run_cli(SEED).stdout, r.stdout)   # deterministic


class PlainMbox(unittest.TestCase):
    def setUp(self):
        self.path = write_tmp(MBOX, ".mbox")
        self.addCleanup(os.unlink, self.path)

    def test_plain_mbox_recovered(self):
        p = recover.recover(self.path)
        self.assertEqual(p.depth, 0)
        self.assertEqual([f.path for f in p.files], ["lib/widget.c"])
        h = p.files[0].hunks[0]
        self.assertEqual((h.old_start, h.old_count, h.new_start, h.new_count), (10, 6, 10, 8))
        self.assertEqual([t for t, _, _ in h.lines], list("   -+++  "))

    def test_signature_separator_is_not_a_removed_line(self):
        h = recover.recover(self.path).files[0].hunks[0]
        self.assertEqual(h.lines[-1][:2], (" ", "}"))

    def test_blank_context_line_kept(self):
        h = recover.recover(self.path).files[0].hunks[0]
        self.assertEqual(h.lines[2][:2], (" ", ""))

    def test_quoted_plain_mbox_gives_same_diff(self):
        plain = recover.recover(self.path).to_diff()
        q = write_tmp("On Monday someone wrote:\n" + quote(MBOX, 1) + "\nLooks fine.\n")
        self.addCleanup(os.unlink, q)
        self.assertEqual(recover.recover(q).to_diff(), plain)


class MailDamage(unittest.TestCase):
    """Synthetic review mails with wrapped lines, eaten spaces, elisions."""

    BODY = [
        "> > diff --git a/drivers/gizmo/gizmo_core_with_a_long_name.c",
        "> b/drivers/gizmo/gizmo_core_with_a_long_name.c",
        "> > --- a/drivers/gizmo/gizmo_core_with_a_long_name.c",
        "> > +++ b/drivers/gizmo/gizmo_core_with_a_long_name.c",
        "> > @@ -20,9 +20,10 @@ static int gizmo_configure_everything(struct gizmo *g, int",
        "> mode)",
        "> > {",
        "> > \tint a = 1;",
        "> > \tint b = 2;",
        "> > +\tint c = 3;",
        ">",
        "> Why c?",
        ">",
        "> > \tint d = 4;",
        "> ...",
        "> > \tint h = 8;",
        "> > \treturn a + b;",
        "> > }",
    ]

    def mail(self, lines):
        p = write_tmp("\n".join(lines) + "\n")
        self.addCleanup(os.unlink, p)
        return p

    def test_wrapped_header_and_path_rejoined(self):
        p = recover.recover(self.mail(self.BODY))
        self.assertEqual(p.files[0].path, "drivers/gizmo/gizmo_core_with_a_long_name.c")
        self.assertEqual(p.files[0].hunks[0].section,
                         "static int gizmo_configure_everything(struct gizmo *g, int mode)")

    def test_short_reviewer_line_after_patch_line_is_not_a_wrap(self):
        lines = self.BODY[:10] + ["> Why c?"] + self.BODY[13:]
        p = recover.recover(self.mail(lines))
        self.assertNotIn("Why", p.to_diff())
        self.assertIn("\n+\tint c = 3;\n", p.to_diff())

    def test_eaten_context_space_restored(self):
        h = recover.recover(self.mail(self.BODY)).files[0].hunks[0]
        self.assertEqual(h.lines[1][:2], (" ", "\tint a = 1;"))

    def test_elision_that_cut_lines_splits_hunk(self):
        p = recover.recover(self.mail(self.BODY))
        hunks = p.files[0].hunks
        self.assertEqual(len(hunks), 2)
        first, second = hunks
        self.assertTrue(first.exact)
        self.assertEqual((first.old_start, first.old_count, first.new_start, first.new_count), (20, 4, 20, 5))
        self.assertFalse(second.exact)
        # Lowest possible start: right after the first part.
        self.assertEqual((second.old_start, second.new_start), (24, 25))
        self.assertEqual([t for _, t, _ in second.lines], ["\tint h = 8;", "\treturn a + b;", "}"])
        self.assertTrue(any("elision cut patch lines" in n for _, n in p.notes))

    def test_elision_reported_on_stderr_with_line(self):
        r = run_cli(self.mail(self.BODY))
        self.assertEqual(r.returncode, 0)
        self.assertRegex(r.stderr, r":15: note: elision cut patch lines")


    def test_trailing_mail_text_at_patch_depth_trimmed(self):
        # No "-- " signature: the sender's sign-off follows the last hunk at
        # the patch's own depth and must not become context lines.
        lines = ["> > diff --git a/x.c b/x.c", "> > --- a/x.c", "> > +++ b/x.c",
                 "> > @@ -1,2 +1,3 @@", "> > \tint a;", "> > +\tint b;", "> > }",
                 "> >", "> > Thanks,", "> > Someone"]
        h = recover.recover(self.mail(lines)).files[0].hunks[0]
        self.assertEqual([x for _, x, _ in h.lines], ["\tint a;", "\tint b;", "}"])


class BadInput(unittest.TestCase):
    def check_error(self, text, line, what):
        p = write_tmp(text)
        self.addCleanup(os.unlink, p)
        r = run_cli(p)
        self.assertEqual(r.returncode, 2, r.stderr)
        self.assertNotIn("Traceback", r.stderr)
        self.assertEqual(r.stdout, "")
        self.assertRegex(r.stderr, r"^%s:%d: .*%s" % (re.escape(p), line, what))

    def test_no_patch_found(self):
        self.check_error("Hello,\nthis mail has no patch.\n", 1, "no patch found")

    def test_unparsable_hunk_header(self):
        self.check_error("diff --git a/x.c b/x.c\n--- a/x.c\n+++ b/x.c\n@@ -1,2 +1,2 oops\n a\n", 4,
                         "cannot parse hunk header")

    def test_hunk_outside_file(self):
        self.check_error("some text\n@@ -1,2 +1,3 @@\n a\n+b\n", 2, "outside a file section")

    def test_empty_hunk(self):
        self.check_error("diff --git a/x.c b/x.c\n--- a/x.c\n+++ b/x.c\n@@ -1,2 +1,2 @@\nplain prose\n",
                         4, "hunk has no lines")

    def test_missing_file(self):
        r = run_cli("/nonexistent/patch.mbox")
        self.assertEqual(r.returncode, 2)
        self.assertRegex(r.stderr, r"^/nonexistent/patch.mbox:0: cannot read")
        self.assertNotIn("Traceback", r.stderr)

    def test_binary_garbage_is_an_error_not_a_crash(self):
        fd, p = tempfile.mkstemp()
        with os.fdopen(fd, "wb") as fh:
            fh.write(bytes(range(256)) * 4)
        self.addCleanup(os.unlink, p)
        r = run_cli(p)
        self.assertEqual(r.returncode, 2)
        self.assertNotIn("Traceback", r.stderr)


if __name__ == "__main__":
    unittest.main()
