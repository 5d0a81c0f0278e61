"""Citations resolve: every section of docs/booke-debug.md that the model, its narration, its options,
the code comments and the documentation point at exists, every source key they use is in that page's
legend, and nothing points at the project's internal working sheets (users never see them)."""
import glob
import os
import re
import subprocess
import unittest

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
BOOKEDBG = os.environ.get("BOOKEDBG", os.path.join(ROOT, "build", "bookedbg"))
REFERENCE = os.path.join(ROOT, "docs", "booke-debug.md")

# Where citations live: the model and its layers, the command, the docs, the vector tools, the tests
# of the rules. (harness/ cites kernel files by path, not this page.)
SCANNED = ["model/**/*.c", "model/**/*.h", "model/**/*.cpp", "model/**/*.py", "model/**/*.tab",
           "model/**/*.md", "cli/*.c", "docs/**/*.md", "docs/**/*.py", "README.md", "vectors/*.py",
           "vectors/*.md", "vectors/c/*.c", "tests/unit/*.cpp", "tests/unit/*.h"]
PREPROCESSOR = {"include", "define", "if", "ifdef", "ifndef", "endif", "else", "elif", "undef",
                "pragma", "line", "error"}
# A section reference: "docs/booke-debug.md#NAME", or "#NAME" after "(", "[", ",", ";" or a space.
FULL_REF = re.compile(r"booke-debug\.md#([a-z0-9-]+)")
SHORT_REF = re.compile(r"(?:^|(?<=[(\[,;\s]))#([a-z][a-z0-9-]*)(?=[),;.:\]\s]|$)")
# A source key in brackets followed by its location, as code comments write them: "[E5] 8.4.1",
# "[440] p222", "[KB] kvmppc_handle_debug".
KEY_REF = re.compile(r"(?<![\w\]])\[([A-Z][A-Z0-9]{1,2}|440|405)\](?=[ ;,)]|$)")
INTERNAL = re.compile(r"facts [0-9]|booke-debug-facts|\.\./shared|/work/shared")


def reference():
    with open(REFERENCE, encoding="utf-8") as f:
        text = f.read()
    anchors = set(re.findall(r'<a id="([a-z0-9-]+)"></a>', text))
    legend = text[text.index('<a id="sources"></a>'):]
    keys = set(re.findall(r"^\| ([A-Z0-9]{2,4}) \|", legend, re.M))
    return anchors, keys


def files():
    seen = set()
    for pattern in SCANNED:
        for p in sorted(glob.glob(os.path.join(ROOT, pattern), recursive=True)):
            if p not in seen:
                seen.add(p)
                yield p


def short_refs(line):
    """#NAME references on a line, minus a preprocessor directive that starts it."""
    m = re.match(r"\s*#\s*([a-z]+)\b", line)
    if m and m.group(1) in PREPROCESSOR:
        line = line[m.end():]
    return [r for r in SHORT_REF.findall(line) if r not in PREPROCESSOR]


def note_citation(line):
    """The bracket at the end of an --explain note: (section, [keys])."""
    m = re.search(r"  \[docs/booke-debug\.md#([a-z0-9-]+)(?:; ([^\]]*))?\]$", line)
    if not m:
        return None
    keys = [item.split()[0] for item in (m.group(2) or "").split(", ") if item.strip()]
    return m.group(1), keys


class TestCitations(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.anchors, cls.keys = reference()

    def test_reference_has_every_rule_section_and_a_legend(self):
        for name in ("registers", "record", "delivery", "priority", "iac", "dac", "options", "sources"):
            self.assertIn(name, self.anchors)
        self.assertTrue({"E5", "ISA", "KB", "A2R", "440"} <= self.keys, self.keys)

    def test_every_explain_note_cites_an_existing_section_and_known_keys(self):
        traces = sorted(glob.glob(os.path.join(ROOT, "docs", "tour", "*.trace")) +
                        glob.glob(os.path.join(ROOT, "tests", "traces", "indep", "*.trace")) +
                        glob.glob(os.path.join(ROOT, "tests", "traces", "model", "*.trace")))
        out = subprocess.run([BOOKEDBG, "run", "--explain"] + traces, capture_output=True, text=True).stdout
        notes = [ln for ln in out.splitlines() if ln.startswith("    - ")]
        self.assertGreater(len(notes), 100)
        seen = set()
        for ln in notes:
            cite = note_citation(ln)
            self.assertIsNotNone(cite, "note without a citation: " + ln)
            section, keys = cite
            self.assertIn(section, self.anchors, ln)
            for k in keys:
                self.assertIn(k, self.keys, ln)
            seen.add(section)
        self.assertGreater(len(seen), 10)

    def test_every_option_reason_cites_an_existing_section(self):
        out = subprocess.run([BOOKEDBG, "options"], capture_output=True, text=True).stdout
        whys = [ln for ln in out.splitlines() if ln.strip().startswith("why:")]
        self.assertGreater(len(whys), 20)
        for ln in whys:
            m = FULL_REF.search(ln)
            self.assertIsNotNone(m, "option reason without a section: " + ln)
            self.assertIn(m.group(1), self.anchors, ln)

    def test_every_section_and_key_cited_in_sources_and_docs_exists(self):
        bad = []
        for p in files():
            rel = os.path.relpath(p, ROOT)
            with open(p, encoding="utf-8") as f:
                for n, line in enumerate(f, 1):
                    refs = FULL_REF.findall(line)
                    if not rel.endswith(".md") or rel == "docs/booke-debug.md":
                        refs += short_refs(line)
                    bad += ["%s:%d: no section #%s" % (rel, n, r) for r in refs if r not in self.anchors]
                    bad += ["%s:%d: no source key [%s]" % (rel, n, k) for k in KEY_REF.findall(line)
                            if k not in self.keys]
        self.assertEqual(bad, [])

    def test_nothing_points_at_the_internal_working_sheets(self):
        bad = []
        for p in files():
            with open(p, encoding="utf-8") as f:
                for n, line in enumerate(f, 1):
                    if INTERNAL.search(line):
                        bad.append("%s:%d: %s" % (os.path.relpath(p, ROOT), n, line.strip()[:100]))
        self.assertEqual(bad, [])


if __name__ == "__main__":
    unittest.main()
