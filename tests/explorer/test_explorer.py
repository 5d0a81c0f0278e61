"""The trace explorer (bookedbg run --html) in a real browser: headless Chromium driven by Selenium
(Debian's chromium, chromium-driver, python3-selenium; `make deps-explorer` installs them).

One browser session serves every test. The pages are checked against `bookedbg run --explain`, the
model's own text output: the statement the page highlights, the DBSR value and fields it shows, the
bits it marks as changed and the narration it prints must be the run's.

    BOOKEDBG=build/bookedbg [BOOKEDBG_SC=build/bookedbg-sc] python3 -m unittest tests.explorer.test_explorer
    EXPLORER_SCREENSHOT=docs/explorer.png ...   also keep the screenshot there (the README's)
"""
import glob
import importlib.util
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import unittest

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import png  # noqa: E402  (beside this file)

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
BOOKEDBG = os.environ.get("BOOKEDBG", os.path.join(ROOT, "build", "bookedbg"))
BOOKEDBG_SC = os.environ.get("BOOKEDBG_SC", "")
TOUR = sorted(glob.glob(os.path.join("docs", "tour", "[0-9]*.trace"), root_dir=ROOT))
INDEP = sorted(glob.glob(os.path.join("tests", "traces", "indep", "*.trace"), root_dir=ROOT))
SHOT_SIZE = (1280, 860)

try:
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service
    from selenium.webdriver.common.action_chains import ActionChains
    from selenium.webdriver.common.keys import Keys
except ImportError:   # reported by setUpModule
    webdriver = None


def regs_module():
    """The generated register constants of the build bookedbg belongs to."""
    path = os.path.join(os.path.dirname(os.path.abspath(BOOKEDBG)), "gen", "dbg_regs.py")
    spec = importlib.util.spec_from_file_location("dbg_regs", path)
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    return mod


def run_steps(path):
    """`bookedbg run --explain` as steps: [0] the start, then one per output statement, with its
    location, its line, its notes and DBSR afterwards."""
    out = subprocess.run([BOOKEDBG, "run", "--explain", path], capture_output=True, text=True,
                         cwd=ROOT).stdout
    steps = [{"loc": "start", "line": "", "notes": [], "dbsr": 0, "col": "start"}]
    for ln in out.splitlines():
        if ln.startswith(path + ":"):
            m = re.search(r"dbsr=0x([0-9A-F]{8})", ln)
            cyc = re.match(r"\S+\s+(@\d+)\s", ln)
            steps.append({"loc": ln.split()[0].rstrip(":"), "line": ln, "notes": [],
                          "dbsr": int(m.group(1), 16) if m else steps[-1]["dbsr"],
                          # the waveform column: the cycle it completed in, else the last one
                          "col": cyc.group(1) if cyc else steps[-1]["col"]})
        elif ln.startswith("    - "):
            steps[-1]["notes"].append(ln[6:])
    return steps


def norm(text):
    return re.sub(r"\s+", " ", text).strip()


def make_page(path, out, *extra):
    run = subprocess.run([BOOKEDBG, "run", "--quiet", "--html", out, *extra, path],
                         capture_output=True, text=True, cwd=ROOT)
    if run.returncode not in (0, 1) or not os.path.exists(out):
        raise AssertionError(f"{path}: bookedbg run --html exited {run.returncode}: {run.stderr}")
    return out


browser = None
tmp = None


def setUpModule():
    global browser, tmp
    if webdriver is None:
        raise unittest.SkipTest("python3-selenium is not installed (make deps-explorer)")
    if not os.path.exists("/usr/bin/chromedriver"):
        raise unittest.SkipTest("chromium-driver is not installed (make deps-explorer)")
    opts = webdriver.ChromeOptions()
    for a in ("--headless=new", "--no-sandbox", "--disable-gpu", "--hide-scrollbars",
              "--force-device-scale-factor=1", "--window-size=%d,%d" % SHOT_SIZE,
              "--disable-extensions", "--no-first-run", "--disable-background-networking"):
        opts.add_argument(a)
    opts.set_capability("goog:loggingPrefs", {"browser": "ALL", "performance": "ALL"})
    browser = webdriver.Chrome(service=Service("/usr/bin/chromedriver"), options=opts)
    tmp = tempfile.mkdtemp(prefix="explorer-")


def tearDownModule():
    if browser:
        browser.quit()
    if tmp:
        shutil.rmtree(tmp, ignore_errors=True)


def page_name(path):
    return os.path.join(tmp, os.path.basename(path)[:-len(".trace")] + ".html")


def open_page(path, fragment=""):
    """Load a page and wait until its script has run; returns the browser console entries."""
    browser.get_log("browser")
    browser.get("file://" + path + fragment)
    ready = browser.execute_async_script(
        "var done = arguments[0], t0 = Date.now(); (function wait() { if (document.body && "
        "document.body.getAttribute('data-ready')) done(true); else if (Date.now() - t0 > 3000) "
        "done(false); else setTimeout(wait, 5); })();")
    log = browser.get_log("browser")
    if not ready:
        raise AssertionError(f"{path}: the page's script did not finish: {log}")
    return log


STATE = """
var cur = document.querySelector('#steps > li.current');
var fields = {}, changed = [];
document.querySelectorAll('[data-field^="DBSR."]').forEach(function (b) {
    var n = b.getAttribute('data-field').slice(5);
    fields[n] = b.querySelector('.fval').textContent;
    if (b.classList.contains('changed')) changed.push(n);
});
var cursor = document.getElementById('wave-cursor');
var left = +document.querySelector('#wave-svg g.col[data-col="0"] line').getAttribute('x1');
var col = Math.round((+cursor.getAttribute('x') - left) / +cursor.getAttribute('width'));
var head = document.querySelector('#wave-svg g.col[data-col="' + col + '"] .cycle');
return {step: cur ? +cur.getAttribute('data-step') : -1,
        col: head ? head.textContent : '',
        checks: Array.prototype.map.call(document.querySelectorAll('#now-checks li'),
                                         function (li) { return li.textContent; }),
        loc: cur ? cur.querySelector('.loc').textContent : '',
        pos: document.getElementById('pos').textContent,
        dbsr: document.querySelector('[data-reg="DBSR"] .hex').textContent,
        fields: fields, changed: changed,
        notes: Array.prototype.map.call(document.querySelectorAll('#now-notes li:not(.none)'),
                                        function (li) { return li.textContent; }),
        hash: location.hash};
"""


class Browser(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.regs = regs_module()
        cls.dbsr_fields = cls.regs.REGS["DBSR"]["fields"]

    def state(self):
        return browser.execute_script(STATE)

    def press(self, key, times=1):
        for _ in range(times):
            ActionChains(browser).send_keys(key).perform()

    def field_text(self, name, dbsr):
        mask = self.dbsr_fields[name]
        shift = (mask & -mask).bit_length() - 1
        width = (mask >> shift).bit_length()
        v = (dbsr & mask) >> shift
        return str(v) if width == 1 else format(v, "0%db" % width)

    def assert_matches_run(self, st, want, prev, where):
        self.assertEqual(st["loc"], want["loc"], where)
        self.assertEqual(st["dbsr"], "0x%08X" % want["dbsr"], where)
        for name, shown in st["fields"].items():
            self.assertEqual(shown, self.field_text(name, want["dbsr"]), f"{where}: DBSR[{name}]")
        flipped = want["dbsr"] ^ prev["dbsr"]
        marked = sorted(n for n, m in self.dbsr_fields.items() if m & flipped and n in st["fields"])
        self.assertEqual(sorted(st["changed"]), marked, f"{where}: changed DBSR fields")
        self.assertEqual([norm(n) for n in st["notes"]], [norm(n) for n in want["notes"]], where)
        self.assertEqual(st["col"], want["col"], f"{where}: the waveform cursor's column")

    def test_every_tour_and_indep_page_loads_without_console_errors(self):
        problems = []
        for path in TOUR + INDEP:
            page = make_page(path, page_name(path))
            try:
                log = open_page(page)
            except AssertionError as e:
                problems.append(str(e))
                continue
            errors = [e["message"] for e in log if e["level"] in ("SEVERE", "ERROR", "WARNING")]
            if errors:
                problems.append(f"{path}: {errors}")
            n = browser.execute_script("return document.querySelectorAll('#steps > li').length")
            if n != len(run_steps(path)):
                problems.append(f"{path}: {n} steps on the page, {len(run_steps(path))} in the run")
        self.assertEqual(problems, [])

    def test_keyboard_steps_forward_and_back_as_the_run_explains(self):
        for path in ("docs/tour/01-single-step.trace", "docs/tour/13-dual-completion.trace",
                     "docs/tour/14-isync-window.trace", "docs/tour/10-e500mc-delivery.trace"):
            want = run_steps(path)
            open_page(make_page(path, page_name(path)))
            st = self.state()
            self.assertEqual(st["step"], 0, path)
            for i in range(1, len(want)):
                self.press(Keys.ARROW_RIGHT if i % 2 else "j")
                st = self.state()
                self.assertEqual(st["step"], i, path)
                self.assert_matches_run(st, want[i], want[i - 1], f"{path} step {i} forward")
                self.assertEqual(st["hash"], f"#step-{i}")
                # the expects that follow a statement are listed as its checks, with their result
                k, checks = i + 1, []
                while "expect" not in want[i]["line"] and k < len(want) and " expect " in want[k]["line"]:
                    checks.append((want[k]["loc"].rsplit(":", 1)[1], want[k]["line"].endswith(": ok")))
                    k += 1
                self.assertEqual([(re.search(r"line (\d+)", c).group(1), c.endswith("ok")) for c in st["checks"]],
                                 checks, f"{path} step {i}: checked by")
            self.press(Keys.ARROW_RIGHT)   # stays at the last step
            self.assertEqual(self.state()["step"], len(want) - 1)
            for i in range(len(want) - 2, 0, -1):
                self.press(Keys.ARROW_LEFT if i % 2 else "k")
                st = self.state()
                self.assertEqual(st["step"], i, path)
                self.assert_matches_run(st, want[i], want[i - 1], f"{path} step {i} back")
            self.press(Keys.END)
            self.assertEqual(self.state()["step"], len(want) - 1)
            self.press(Keys.HOME)
            self.assertEqual(self.state()["step"], 0)

    def test_step_fragment_opens_at_that_step(self):
        path = "docs/tour/08-level-reentry.trace"
        want = run_steps(path)
        page = make_page(path, page_name(path))
        for n in (7, len(want) - 1, 2):
            open_page(page, f"#step-{n}")
            st = self.state()
            self.assertEqual(st["step"], n)
            self.assertEqual(st["pos"], f"step {n} of {len(want) - 1}")
            self.assert_matches_run(st, want[n], want[n - 1], f"#step-{n}")
            self.assertEqual(browser.execute_script("return window.scrollY"), 0)
        browser.execute_script("location.hash = '#step-4'")
        browser.execute_async_script("setTimeout(arguments[0], 50)")
        self.assertEqual(self.state()["step"], 4)

    def test_no_request_leaves_the_page(self):
        path = "docs/tour/15-guest-debug-e500mc.trace"
        page = make_page(path, page_name(path), "--html-docs-base", "https://example.org/booke-debug.md")
        browser.get_log("performance")
        open_page(page)
        self.press(Keys.ARROW_RIGHT, 3)
        browser.find_element("css selector", '[data-field="MSR.DE"]').click()
        urls = []
        for entry in browser.get_log("performance"):
            msg = json.loads(entry["message"])["message"]
            if msg["method"] == "Network.requestWillBeSent":
                urls.append(msg["params"]["request"]["url"])
        self.assertEqual([u for u in urls if u.split("#")[0] != "file://" + page], [])
        self.assertIn("file://" + page, [u.split("#")[0] for u in urls])   # the log did record
        self.assertEqual(browser.execute_script(
            "return document.querySelectorAll('[src], link, iframe, object, embed').length"), 0)
        self.assertEqual(browser.execute_script(
            "return performance.getEntriesByType('resource').length"), 0)

    def test_field_meaning_and_section_from_the_keyboard(self):
        path = "docs/tour/07-delayed-event.trace"
        open_page(make_page(path, page_name(path)))
        # Tab reaches the step control; Enter on "next" steps
        for _ in range(40):
            if browser.execute_script("return document.activeElement.id") == "next":
                break
            self.press(Keys.TAB)
        self.assertEqual(browser.execute_script("return document.activeElement.id"), "next")
        self.press(Keys.ENTER)
        self.assertEqual(self.state()["step"], 1)
        de = browser.find_element("css selector", '[data-field="DBSR.IDE"]')
        browser.execute_script("arguments[0].focus()", de)
        self.press(Keys.ENTER)
        info = browser.find_element("id", "field-info")
        self.assertIn("DBSR[IDE], bit 32", info.text)
        self.assertIn(self.regs.REGS["DBSR"]["field_docs"]["IDE"]["meaning"], info.text)
        link = info.find_element("css selector", "a")
        self.assertEqual(link.get_attribute("href").split("#")[1], "ref-record")
        self.assertTrue(browser.execute_script("return !!document.getElementById('ref-record')"))

    def test_page_is_readable_without_javascript(self):
        path = "docs/tour/09-trap-with-de0.trace"
        want = run_steps(path)
        page = make_page(path, page_name(path))
        browser.execute_cdp_cmd("Emulation.setScriptExecutionDisabled", {"value": True})
        try:
            browser.get("file://" + page)
            items = browser.find_elements("css selector", "#steps > li")
            self.assertEqual(len(items), len(want))
            for i, li in enumerate(items):
                notes = [norm(n.text) for n in li.find_elements("css selector", ".notes > li")]
                self.assertEqual(notes, [norm(n) for n in want[i]["notes"]], f"step {i}")
                if i:
                    run = li.find_element("css selector", "pre.run")
                    self.assertTrue(run.is_displayed(), f"step {i}")
                    self.assertEqual(run.text.splitlines()[0].rstrip(), want[i]["line"].rstrip())
            self.assertFalse(browser.find_element("id", "controls").is_displayed())
        finally:
            browser.execute_cdp_cmd("Emulation.setScriptExecutionDisabled", {"value": False})

    def test_screenshot_at_a_fixed_size_is_not_blank(self):
        path = "docs/tour/07-delayed-event.trace"
        page = make_page(path, page_name(path))
        width, height = SHOT_SIZE
        browser.execute_cdp_cmd("Emulation.setDeviceMetricsOverride",
                                {"width": width, "height": height, "deviceScaleFactor": 1, "mobile": False})
        try:
            open_page(page, "#step-6")
            shot = os.path.join(tmp, "explorer.png")
            self.assertTrue(browser.save_screenshot(shot))
        finally:
            browser.execute_cdp_cmd("Emulation.clearDeviceMetricsOverride", {})
        with open(shot, "rb") as f:
            w, h, bpp, rows = png.decode(f.read())
        self.assertEqual((w, h), SHOT_SIZE)
        background = bytes(rows[0][:3])
        colors, off = set(), 0
        for y in range(0, h, 4):
            row = rows[y]
            for x in range(0, w * bpp, 4 * bpp):
                px = bytes(row[x:x + 3])
                colors.add(px)
                off += px != background
        samples = (h // 4) * (w // 4)
        self.assertGreater(off / samples, 0.10, "the screenshot is (almost) one colour")
        self.assertGreater(len(colors), 50, "the screenshot has too few colours to show a page")
        keep = os.environ.get("EXPLORER_SCREENSHOT")
        if keep:
            shutil.copyfile(shot, os.path.join(ROOT, keep))


class CommandLine(unittest.TestCase):
    """--html's bad input is refused before any work, and the page is a function of the run."""

    def run_cli(self, *args, cwd=None):
        return subprocess.run([BOOKEDBG, "run", *args], capture_output=True, text=True, cwd=cwd or ROOT)

    def test_html_without_a_value_is_refused(self):
        for args in (["--html"], ["--html", "--explain", TOUR[0]]):
            r = self.run_cli(*args)
            self.assertEqual(r.returncode, 2)
            self.assertEqual(r.stderr, "bookedbg: --html takes a file name\n")
            self.assertEqual(r.stdout, "")

    def test_unwritable_paths_are_refused_before_anything_runs(self):
        with tempfile.TemporaryDirectory() as d:
            cases = {os.path.join(d, "no", "such", "p.html"): "directory",
                     d: "is a directory"}
            for path, why in cases.items():
                r = self.run_cli("--html", path, TOUR[0])
                self.assertEqual(r.returncode, 2)
                self.assertEqual(r.stdout, "")
                self.assertRegex(r.stderr, r"^bookedbg: %s: .*%s.*\n$" % (re.escape(path), why))
            self.assertEqual(os.listdir(d), [])

    def test_several_files_are_refused(self):
        with tempfile.TemporaryDirectory() as d:
            out = os.path.join(d, "p.html")
            r = self.run_cli("--html", out, TOUR[0], TOUR[1])
            self.assertEqual(r.returncode, 2)
            self.assertEqual(r.stderr, f"bookedbg: {out}: --html writes the page of one trace, 2 files given\n")
            self.assertEqual(os.listdir(d), [])

    def test_malformed_trace_writes_no_page(self):
        with tempfile.TemporaryDirectory() as d:
            out = os.path.join(d, "p.html")
            bad = sorted(glob.glob(os.path.join(ROOT, "tests", "traces", "bad", "*.trace")))[0]
            r = self.run_cli("--html", out, bad)
            self.assertEqual(r.returncode, 2)
            self.assertEqual(os.listdir(d), [])

    def test_a_trace_too_long_to_step_through_is_refused(self):
        with tempfile.TemporaryDirectory() as d:
            trace, out = os.path.join(d, "long.trace"), os.path.join(d, "p.html")
            with open(trace, "w") as f:
                f.write("".join("exec 0x%X nop\n" % (0x1000 + 4 * k) for k in range(5001)))
            r = self.run_cli("--html", out, trace)
            self.assertEqual(r.returncode, 2)
            self.assertEqual(r.stdout, "")
            self.assertEqual(r.stderr, f"bookedbg: {out}: {trace} has 5001 statements; a page to step "
                             "through takes at most 5000\n")
            self.assertEqual(os.listdir(d), ["long.trace"])

    def test_same_input_same_bytes_and_text_output_unchanged(self):
        with tempfile.TemporaryDirectory() as d:
            a, b = os.path.join(d, "a.html"), os.path.join(d, "b.html")
            plain = self.run_cli("--explain", TOUR[12])
            ra = self.run_cli("--explain", "--html", a, TOUR[12])
            self.run_cli("--html", b, TOUR[12])
            self.assertEqual(ra.stdout, plain.stdout)
            with open(a, "rb") as fa, open(b, "rb") as fb:
                self.assertEqual(fa.read(), fb.read())
            self.assertEqual(sorted(os.listdir(d)), ["a.html", "b.html"])

    @unittest.skipUnless(BOOKEDBG_SC and os.path.exists(BOOKEDBG_SC), "BOOKEDBG_SC not given")
    def test_bookedbg_sc_writes_the_same_page_in_every_timing_mode(self):
        env = dict(os.environ, SYSTEMC_DISABLE_COPYRIGHT_MESSAGE="1")
        with tempfile.TemporaryDirectory() as d:
            for path in TOUR + INDEP[::6]:
                want = make_page(path, os.path.join(d, "c.html"))
                with open(want, "rb") as f:
                    c_page = f.read()
                modes = [["--lt"]] + ([["--clocked"], ["--sc-clock"]] if "13-" in path or "14-" in path else [])
                for mode in modes:
                    got = os.path.join(d, "sc.html")
                    subprocess.run([BOOKEDBG_SC, "run", "--quiet", *mode, "--html", got, path],
                                   capture_output=True, cwd=ROOT, env=env)
                    with open(got, "rb") as f:
                        self.assertEqual(f.read(), c_page, f"{path} {mode}")


if __name__ == "__main__":
    unittest.main()
