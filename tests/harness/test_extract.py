"""Tests for harness/extract.py (patch mode and kernel mode).

Kernel code is never stored here: patch-mode tests read the seed mail in
kernel-patch/, kernel-mode tests use a made-up tree written by the test, and
the 6.1 checks run only when `make upstream` has unpacked build/linux-6.1
(BOOKEDBG_KERNEL overrides the path).

Run from the repo root: python3 -m unittest discover -s tests/harness
"""
import json
import os
import shutil
import subprocess
import sys
import tempfile
import unittest

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
sys.path.insert(0, os.path.join(ROOT, "harness"))
import extract  # noqa: E402

SEED = os.path.join(ROOT, "kernel-patch", "v3-userspace-debug-stub.mbox")
EXTRACT = os.path.join(ROOT, "harness", "extract.py")
KERNEL = os.environ.get("BOOKEDBG_KERNEL", os.path.join(ROOT, "build", "linux-6.1"))


def run_cli(*args):
    return subprocess.run([sys.executable, EXTRACT] + list(args), capture_output=True, text=True)


class TmpDir(unittest.TestCase):
    def setUp(self):
        self.tmp = tempfile.mkdtemp()
        self.addCleanup(shutil.rmtree, self.tmp)

    def extract(self, *args):
        out = os.path.join(self.tmp, "out")
        r = run_cli(*(list(args) + ["--out", out]))
        self.assertEqual(r.returncode, 0, r.stderr)
        with open(os.path.join(out, "manifest.json")) as fh:
            return out, json.load(fh)

    def text(self, out, item):
        with open(os.path.join(out, item["path"])) as fh:
            return fh.read()

    def error(self, *args):
        out = os.path.join(self.tmp, "err-out")
        r = run_cli(*(list(args) + ["--out", out]))
        self.assertEqual(r.returncode, 2, r.stdout + r.stderr)
        self.assertNotIn("Traceback", r.stderr)
        self.assertFalse(os.path.exists(out), "output left behind after an error")
        self.assertEqual([n for n in os.listdir(self.tmp) if n.startswith(".err-out")], [],
                         "temporary directory left behind")
        return r.stderr


class SeedPatch(TmpDir):
    def setUp(self):
        super().setUp()
        self.out, self.m = self.extract("--patch", SEED)
        self.by = {}
        for it in self.m["items"]:
            self.by.setdefault((it["kind"], it["name"]), []).append(it)

    def one(self, kind, name):
        self.assertIn((kind, name), self.by)
        self.assertEqual(len(self.by[(kind, name)]), 1)
        return self.by[(kind, name)][0]

    def test_version_hint_is_v3(self):
        self.assertEqual(self.m["version_hint"], "v3")

    def test_functions_added_whole_in_booke_c(self):
        names = {it["name"] for it in self.m["items"]
                 if it["kind"] == "function" and it["file"] == "arch/powerpc/kvm/booke.c"}
        self.assertEqual(names, {"kvmppc_vcpu_sync_debug", "kvmppc_load_usespace_gebug",
                                 "kvmppc_booke_vcpu_load_debug_regs", "kvmppc_handle_debug",
                                 "kvmppc_booke_vcpu_put_debug_regs",
                                 "kvm_arch_vcpu_ioctl_set_guest_debug"})

    def test_added_function_text_is_whole(self):
        it = self.one("function", "kvmppc_handle_debug")
        text = self.text(self.out, it)
        self.assertTrue(text.startswith("static int kvmppc_handle_debug("))
        self.assertTrue(text.endswith("\n}\n"))
        self.assertEqual(text.count("\n"), it["line_end"] - it["line_start"] + 1)
        self.assertEqual(text.count("{"), text.count("}"))

    def test_function_across_empty_elision_is_whole(self):
        it = self.one("function", "kvmppc_load_usespace_gebug")
        self.assertEqual(self.text(self.out, it).splitlines(),
                         ["static void kvmppc_load_usespace_gebug(void)", "{",
                          "\tswitch_booke_debug_regs(&current->thread);", "}"])
        self.assertEqual((it["line_start"], it["line_end"]), (673, 676))

    def test_ifdef_inside_added_function_does_not_end_it(self):
        text = self.text(self.out, self.one("function", "kvm_arch_vcpu_ioctl_set_guest_debug"))
        self.assertIn("#ifdef CONFIG_KVM_BOOKE_HV", text)
        self.assertTrue(text.rstrip().endswith("return 0;\n}"))

    def test_vcpu_run_fragment_around_guest_entry(self):
        it = self.one("fragment", "kvmppc_vcpu_run")
        text = self.text(self.out, it)
        self.assertIn("ret = __kvmppc_vcpu_run(kvm_run, vcpu);", text)
        self.assertIn("current->thread.dbcr0 = 0;", text)
        self.assertIn("kvmppc_load_usespace_gebug();", text)
        self.assertEqual((it["line_start"], it["line_end"]), (757, 780))
        self.assertEqual(len(it["added_lines"]), 14)
        self.assertTrue(all(757 <= n <= 780 for n in it["added_lines"]))

    def test_changed_function_fragments(self):
        self.assertIn("kvmppc_vcpu_sync_debug(vcpu);", self.text(self.out, self.one("fragment", "kvmppc_set_msr")))
        exit_ = self.one("fragment", "kvmppc_handle_exit")
        self.assertIn("case BOOKE_INTERRUPT_DEBUG: {", self.text(self.out, exit_))
        self.assertIn("\t\tvcpu->arch.pc = mfspr(SPRN_CSRR0);", exit_["removed"])
        self.assertIn("kvmppc_booke_vcpu_load_debug_regs(vcpu);",
                      self.text(self.out, self.one("fragment", "kvmppc_booke_vcpu_load")))
        self.assertIn("kvmppc_booke_vcpu_put_debug_regs(vcpu);",
                      self.text(self.out, self.one("fragment", "kvmppc_booke_vcpu_put")))

    def test_fragment_condition_seen_in_hunk(self):
        it = self.one("fragment", "kvm_arch_vcpu_setup")
        self.assertEqual(it["conditions"], ["!defined(CONFIG_KVM_BOOKE_HV)"])

    def test_header_inline_helper(self):
        it = self.one("inline", "kvmppc_clear_dbsr")
        self.assertEqual(it["file"], "arch/powerpc/kvm/booke.h")
        self.assertEqual(it["conditions"], [])   # the include guard's #endif is not a condition

    def test_uapi_defines_and_values(self):
        for name in ("__KVM_HAVE_GUEST_DEBUG", "KVMPPC_DEBUG_NONE", "KVMPPC_DEBUG_BREAKPOINT"):
            self.assertEqual(self.one("define", name)["file"], "arch/powerpc/include/uapi/asm/kvm.h")
        self.assertEqual(self.m["defines"], {"KVMPPC_DEBUG_NONE": 0, "KVMPPC_DEBUG_BREAKPOINT": 2,
                                             "KVMPPC_DEBUG_WATCH_WRITE": 4,
                                             "KVMPPC_DEBUG_WATCH_READ": 8})

    def test_struct_fields(self):
        fields = {it["name"] for it in self.m["items"] if it["kind"] == "field"}
        self.assertEqual(fields, {"kvm_debug_exit_arch.address", "kvm_debug_exit_arch.status",
                                  "kvm_debug_exit_arch.reserved", "kvm_vcpu_arch.debug_active",
                                  "kvm_vcpu_arch.saved_dbcr0", "kvm_vcpu_arch.shadow_dbg_reg"})
        status = self.text(self.out, self.one("field", "kvm_debug_exit_arch.status"))
        self.assertTrue(status.startswith("\t/*") and status.endswith("__u32 status;\n"))

    def test_every_item_has_its_file(self):
        paths = [it["path"] for it in self.m["items"]]
        self.assertEqual(len(paths), len(set(paths)))
        self.assertEqual(sorted(os.listdir(self.out)), sorted(paths + ["manifest.json"]))

    def test_output_is_deterministic(self):
        out2 = os.path.join(self.tmp, "again")
        self.assertEqual(run_cli("--patch", SEED, "--out", out2).returncode, 0)
        for name in os.listdir(self.out):
            with open(os.path.join(self.out, name), "rb") as a, open(os.path.join(out2, name), "rb") as b:
                self.assertEqual(a.read(), b.read(), name)


SYNTH_PATCH = """\
diff --git a/lib/made_up.c b/lib/made_up.c
--- a/lib/made_up.c
+++ b/lib/made_up.c
@@ -1,3 +1,19 @@
 #include "made_up.h"

+static const char *tricky(int v)
+{
+	/* a brace in a comment { */
+	const char *s = "a brace in a string }";
+	char c = '{';
+#ifdef CONFIG_ONE
+	if (v) {
+#else
+	if (!v) {
+#endif
+		return s;
+	}
+	return c == '}' ? "x" : s;
+}
+
+#define MADE_UP_MASK	(MADE_UP_BIT << 2)
 int after;
@@ -10,3 +26,4 @@ int made_up_main(void)
 	int r = 0;
+	r += 1;
 	return r;
 }
"""


class SyntheticPatch(TmpDir):
    def write(self, text):
        p = os.path.join(self.tmp, "p.diff")
        with open(p, "w") as fh:
            fh.write(text)
        return p

    def test_braces_in_strings_comments_and_ifdef_branches(self):
        out, m = self.extract("--patch", self.write(SYNTH_PATCH))
        it = [i for i in m["items"] if i["name"] == "tricky"][0]
        self.assertEqual((it["kind"], it["line_start"], it["line_end"]), ("function", 3, 16))
        frag = [i for i in m["items"] if i["kind"] == "fragment"][0]
        self.assertEqual((frag["name"], frag["added_lines"]), ("made_up_main", [27]))

    def test_define_that_cannot_be_resolved_is_listed(self):
        _, m = self.extract("--patch", self.write(SYNTH_PATCH))
        self.assertEqual(m["defines"], {})
        self.assertIn("MADE_UP_BIT", m["unresolved"]["MADE_UP_MASK"])

    def test_version_hint_unknown_for_unrelated_patch(self):
        _, m = self.extract("--patch", self.write(SYNTH_PATCH))
        self.assertEqual(m["version_hint"], "unknown")

    def test_unbalanced_added_function_is_an_error(self):
        bad = SYNTH_PATCH.replace("+\treturn c == '}' ? \"x\" : s;\n+}\n", "+\treturn s;\n")
        err = self.error("--patch", self.write(bad))
        self.assertRegex(err, r"^.*p\.diff:\d+: unbalanced braces in added function tricky")

    def test_recovery_error_passed_through(self):
        err = self.error("--patch", self.write("no patch at all\n"))
        self.assertRegex(err, r"p\.diff:1: no patch found")

    def test_existing_output_replaced_whole(self):
        out = os.path.join(self.tmp, "out")
        os.makedirs(out)
        with open(os.path.join(out, "stale.c"), "w") as fh:
            fh.write("old\n")
        self.extract("--patch", self.write(SYNTH_PATCH))
        self.assertNotIn("stale.c", os.listdir(out))


# A made-up kernel tree: the ten file names, invented contents.
FAKE_FILES = {
    "arch/powerpc/include/asm/reg_booke.h": """\
#ifndef __FAKE_H__
#define __FAKE_H__
#define MSR_GS_LG 28
#define MSR_GS __MASK(MSR_GS_LG)
#if defined(CONFIG_40x)
#define DBCR0_IDM 0x11
#define DBCR0_ONLY40X 0x1
#elif defined(CONFIG_BOOKE)
#define DBCR0_IDM (1 << 30)
#define DBCR0_BOTH (DBCR0_IDM | (u32)0x2)
#endif
#define DBSR_IAC1 ((MSR_GS >> 5) | 0)
#endif /* __FAKE_H__ */
""",
    "arch/powerpc/kernel/process.c": """\
#ifdef CONFIG_PPC_ADV_DEBUG_REGS
static void fake_fn(struct thing *t)
{
	t->x = "}";
}
#else
static void fake_fn(struct thing *t)
{
}
#endif

static inline int
fake_two(int a,
	 int b)
{
	return a + b;
}
""",
}


class KernelMode(TmpDir):
    def make_tree(self, skip=None, extra=None):
        kdir = os.path.join(self.tmp, "kernel")
        files = dict(FAKE_FILES, **(extra or {}))
        for rel in extract.KERNEL_FILES:
            if rel == skip:
                continue
            path = os.path.join(kdir, rel)
            os.makedirs(os.path.dirname(path), exist_ok=True)
            with open(path, "w") as fh:
                fh.write(files.get(rel, "/* empty */\n"))
        return kdir

    def test_definitions_with_conditions(self):
        out, m = self.extract("--kernel", self.make_tree(), "--functions", "fake_fn,fake_two")
        fns = [(i["name"], i["line_start"], i["line_end"], i["conditions"], i["active"]) for i in m["items"]]
        self.assertEqual(fns, [
            ("fake_fn", 2, 5, ["defined(CONFIG_PPC_ADV_DEBUG_REGS)"], True),
            ("fake_fn", 7, 9, ["!defined(CONFIG_PPC_ADV_DEBUG_REGS)"], False),
            ("fake_two", 12, 17, [], True)])
        self.assertEqual(m["items"][2]["kind"], "inline")
        self.assertTrue(self.text(out, m["items"][2]).startswith("static inline int\nfake_two("))

    def test_booke_branch_of_defines(self):
        _, m = self.extract("--kernel", self.make_tree(), "--functions", "fake_two")
        self.assertEqual(m["defines"]["DBCR0_IDM"], 0x40000000)
        self.assertEqual(m["defines"]["DBCR0_BOTH"], 0x40000002)
        self.assertEqual(m["defines"]["MSR_GS"], 1 << 28)
        self.assertEqual(m["defines"]["DBSR_IAC1"], 1 << 23)
        self.assertNotIn("DBCR0_ONLY40X", m["defines"])
        self.assertIn("MSR_DE", m["unresolved"])

    def test_config_switch_picks_40x_branch(self):
        _, m = self.extract("--kernel", self.make_tree(), "--functions", "fake_two",
                            "-D", "CONFIG_40x", "-U", "CONFIG_BOOKE")
        self.assertEqual(m["defines"]["DBCR0_IDM"], 0x11)

    def test_missing_function_is_an_error(self):
        err = self.error("--kernel", self.make_tree(), "--functions", "no_such_function")
        self.assertRegex(err, r"kernel:0: function no_such_function not found")

    def test_missing_file_is_an_error(self):
        err = self.error("--kernel", self.make_tree(skip="arch/powerpc/kvm/e500mc.c"),
                         "--functions", "fake_two")
        self.assertRegex(err, r"arch/powerpc/kvm/e500mc\.c:0: missing from the kernel tree")

    def test_unbalanced_braces_is_an_error(self):
        broken = {"arch/powerpc/kvm/booke.c": "int fake_three(void)\n{\n\tif (x) {\n\treturn 0;\n}\n"}
        err = self.error("--kernel", self.make_tree(extra=broken), "--functions", "fake_three")
        self.assertRegex(err, r"arch/powerpc/kvm/booke\.c:2: unbalanced braces")


@unittest.skipUnless(os.path.isfile(os.path.join(KERNEL, "arch/powerpc/kvm/booke.c")),
                     "no 6.1 tree at %s: run 'make upstream' to enable these tests" % KERNEL)
class Linux61(TmpDir):
    def setUp(self):
        super().setUp()
        self.out, self.m = self.extract("--kernel", KERNEL)

    def named(self, name):
        return [i for i in self.m["items"] if i["name"] == name]

    def test_version_hint_is_6_1(self):
        self.assertEqual(self.m["version_hint"], "6.1")

    def test_every_default_function_found(self):
        self.assertEqual({i["name"] for i in self.m["items"]}, set(extract.DEFAULT_FUNCTIONS))

    def test_handle_debug_found_in_booke_c(self):
        [it] = self.named("kvmppc_handle_debug")
        self.assertEqual(it["file"], "arch/powerpc/kvm/booke.c")
        self.assertTrue(700 < it["line_start"] < it["line_end"] < 1100, it)
        self.assertTrue(15 < it["line_end"] - it["line_start"] < 120, it)
        text = self.text(self.out, it)
        self.assertRegex(text, r"^static int kvmppc_handle_debug\(")
        self.assertIn("vcpu->arch.dbsr", text)
        self.assertTrue(text.endswith("\n}\n"))

    def test_debug_regs_functions_under_adv_debug_regs(self):
        [prime] = self.named("prime_debug_regs")
        self.assertEqual(prime["conditions"], ["defined(CONFIG_PPC_ADV_DEBUG_REGS)"])
        defaults = self.named("set_debug_reg_defaults")
        self.assertEqual([d["active"] for d in defaults], [True, False])

    def test_booke_dbcr0_and_dbsr_values(self):
        d = self.m["defines"]
        self.assertEqual(d["DBCR0_IDM"], 0x40000000)
        self.assertEqual(d["DBSR_IAC1"], 0x00800000)     # 40x would give 0x04000000
        self.assertEqual(d["DBSR_DAC1W"], 0x00040000)
        self.assertEqual(d["MSRP_DEP"], 0x00000200)
        self.assertEqual(d["KVMPPC_BOOKE_IAC_NUM"], 2)
        self.assertEqual(d["KVM_GUESTDBG_USE_HW_BP"], 0x00020000)


if __name__ == "__main__":
    unittest.main()
