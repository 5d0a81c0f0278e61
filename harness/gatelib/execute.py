"""Running scenarios in a harness child process, and what a violation is: its cause (classified
by difference), its signature, and the delta-debugging shrink that keeps that signature."""
import json
import os
import re
import subprocess

from gate_scenarios import is_mtmsr, keep_de  # noqa: E402  (harness/ is on sys.path: build.py)

TIMEOUT = float(os.environ.get("BOOKEDBG_GATE_TIMEOUT", "60"))
# one scenario takes milliseconds: a re-run of one (classify, shrink, match) that takes longer
# than this is a hang, without waiting for the whole batch's limit
ONE_TIMEOUT = 1.0
MAX_CRASHES = 3
STOP_CODES = {"lost-stop", "status0", "dropped", "spurious", "wrong-report", "wrong-step"}
NO_SHRINK = {"hang", "gave-up"}


# kernel lines that only pass control on: never "where" a divergence shows
PASSIVE = re.compile(r"^(return\b.*|\}.*|\{|break;|continue;|goto \w+;|\w+:|default:|else|#.*|)$")


class HarnessError(Exception):
    """The harness refused its input (exit 2 with an "error" line)."""


def parse_output(out):
    results = []
    for line in out.splitlines():
        try:
            results.append(json.loads(line))
        except ValueError:
            continue
    return results


class Harness:
    """One compiled harness (a configuration of one input) and the kernel lines it was built from,
    so a violation's kernel location can be named by its text as well as its number."""

    def __init__(self, binary, config, profile, lines=None, ranges=None, timeout=None):
        self.binary, self.config, self.profile = binary, config, profile
        self.lines = lines or {}          # "file:line" -> source text
        self.ranges = ranges or {}        # function -> [(file, first line, last line)]
        self.timeout = timeout or TIMEOUT
        self._memo = {}
        self._addr = {}                   # trace address -> "file:line"
        self._epilogue = {}               # (file, first, last) -> first line of the common exit

    # ---- running
    def limit(self, n):
        """The time limit of a run of n scenarios."""
        return min(self.timeout, ONE_TIMEOUT) if n == 1 else self.timeout

    def run_once(self, scenarios, args=()):
        text = "".join(s + "end\n" for s in scenarios)
        try:
            p = subprocess.run([self.binary, *args], input=text, capture_output=True, text=True,
                               timeout=self.limit(len(scenarios)), errors="replace")
            out, rc, err = p.stdout, p.returncode, p.stderr
        except subprocess.TimeoutExpired as e:
            out = e.stdout.decode(errors="replace") if isinstance(e.stdout, bytes) else (e.stdout or "")
            rc, err = "timeout", ""
        results = parse_output(out)
        bad = next((r["error"] for r in results if "error" in r), None)
        if bad and rc == 2:
            raise HarnessError(bad)
        done = [r for r in results if "scenario" in r]
        crash = next((r["crash"] for r in results if "crash" in r), None)
        return done, crash, rc, err

    def run_batch(self, scenarios):
        """A crash or hang of the kernel code is a result (a finding on the scenario that was
        running); the rest go on in a new process, up to MAX_CRASHES."""
        out, base, crashes = [], 0, 0
        while base < len(scenarios):
            done, crash, rc, _ = self.run_once(scenarios[base:])
            for r in done:
                out.append(dict(r, scenario=base + r["scenario"]))
            base += len(done)
            if base >= len(scenarios):
                break
            why = crash or (f"the harness hung (over {self.limit(len(scenarios) - base):g} s)"
                            if rc == "timeout"
                            else f"the harness died (exit {rc})")
            out.append({"scenario": base, "violations": [{
                "code": "hang" if rc == "timeout" else "crash", "property": "crash", "kind": "bug",
                "function": "?", "detail": why}]})
            base += 1
            crashes += 1
            if crashes >= MAX_CRASHES and base < len(scenarios):
                out.append({"scenario": base, "violations": [{
                    "code": "gave-up", "property": "crash", "kind": "bug", "function": "?",
                    "detail": f"{MAX_CRASHES} crashes or hangs: the remaining {len(scenarios) - base} "
                              "scenarios were not run"}]})
                break
        return out

    def violations(self, scenario):
        if scenario not in self._memo:
            self._memo[scenario] = [v for r in self.run_batch([scenario]) for v in r["violations"]]
        return self._memo[scenario]

    def verbose(self, scenario):
        """The step-by-step account of one scenario (stderr of the harness in verbose mode)."""
        _, _, _, err = self.run_once([scenario], ("verbose",))
        return err

    def prove(self):
        """The proof obligations of this harness (gate_prove.c): exhaustive over stated domains."""
        try:
            p = subprocess.run([self.binary, "prove"], capture_output=True, text=True,
                               timeout=self.timeout)
        except subprocess.TimeoutExpired:
            return [{"obligation": "proof mode", "kind": "bug", "domain": 0, "result": "counterexample",
                     "counterexample": "the harness hung in proof mode"}]
        out = [o for o in parse_output(p.stdout) if "obligation" in o]
        if p.returncode != 0:
            out.append({"obligation": "proof mode", "kind": "bug", "domain": 0, "result": "counterexample",
                        "counterexample": f"the harness died (exit {p.returncode})"})
        return out

    # ---- what a violation is
    def classify(self, scenario, v):
        """Which property a wrong stop violates, decided by difference: the same scenario without
        the preemption (no-lost-events), without the guest's own MSR writes (ownership), or
        neither."""
        if v.get("code") not in STOP_CODES:
            return v["property"], v["function"]
        lines = scenario.splitlines(True)

        def gone(keep):
            rest = "".join(l for l in lines if keep(l))
            return v["code"] not in {x.get("code") for x in self.violations(rest)}
        if any(l.startswith("preempt") for l in lines) and gone(lambda l: not l.startswith("preempt")):
            return "no-lost-events", v["function"]
        if any(is_mtmsr(l) for l in lines):
            # what goes away when no guest mtmsr clears DE is what the guest's own DE writes caused
            if v["code"] not in {x.get("code") for x in self.violations(keep_de(scenario))}:
                return "ownership", "kvm_arch_vcpu_ioctl_set_guest_debug"
        return "stops", v["function"]

    # ---- where in the kernel
    def map_traces(self, violations):
        """Resolve the trace addresses of these violations to kernel lines, in one addr2line."""
        new = sorted({a for v in violations for a in v.get("trace", ())} - set(self._addr))
        if not new:
            return
        try:
            # a return address follows its call: the line is that of the byte before
            p = subprocess.run(["addr2line", "-e", self.binary] + ["0x%x" % (int(a, 16) - 1) for a in new],
                               capture_output=True, text=True, timeout=60)
            out = p.stdout.splitlines()
        except (OSError, subprocess.TimeoutExpired):
            out = []
        files = {k.rsplit(":", 1)[0] for k in self.lines}
        for a, loc in zip(new, out + [""] * (len(new) - len(out))):
            path, _, n = loc.split(" (discriminator")[0].strip().rpartition(":")
            # the compiler prefixes its working directory to the #line file name
            f = next((f for f in files if path == f or path.endswith("/" + f)), None)
            self._addr[a] = f"{f}:{n}" if f and f"{f}:{n}" in self.lines else ""

    def kernel_line(self, v):
        """"file:line" where v shows in the kernel: the hardware write the world names, else the
        newest line that ran in v's function and does something (not a return, brace or label)."""
        if v.get("kline"):
            return v["kline"]
        spans = self.ranges.get(v.get("function"), ())
        self.map_traces([v])
        for a in v.get("trace", ()):
            loc = self._addr.get(a, "")
            if not loc:
                continue
            f, n = loc.rsplit(":", 1)
            if any(f == sf and a_ <= int(n) < self.epilogue(sf, a_, b_) for sf, a_, b_ in spans) and \
                    not PASSIVE.match(self.lines[loc].strip()):
                return loc
        return ""

    def in_function(self, loc, fn):
        f, n = loc.rsplit(":", 1)
        return any(f == sf and a <= int(n) <= b for sf, a, b in self.ranges.get(fn, ()))

    def epilogue(self, f, first, last):
        """The first line of a function's common exit (its last label, "out:"), where every path
        ends: what runs there is not where a divergence shows."""
        key = (f, first, last)
        if key not in self._epilogue:
            labels = [n for n in range(first, last + 1)
                      if re.match(r"^(?!default:)\w+:$", self.lines.get(f"{f}:{n}", "").strip())]
            self._epilogue[key] = labels[-1] if labels else last + 1
        return self._epilogue[key]

    def kline_key(self, v):
        """The diverging kernel line by its text (stable when a patch moves lines around)."""
        text = self.lines.get(self.kernel_line(v), "")
        return re.sub(r"\s+", " ", text).strip()

    def signature(self, scenario, v):
        if not scenario or v.get("code") in NO_SHRINK:
            return (v["property"], v["function"], v.get("code", "crash"), "bug", "")
        prop, fn = self.classify(scenario, v)
        return (prop, fn, v.get("code", ""), v["kind"], self.kline_key(v))

    def matching(self, scenario, sig):
        """The violation of scenario with signature sig, or None."""
        for v in self.violations(scenario):
            if v.get("code") == sig[2] and v["kind"] == sig[3] and self.signature(scenario, v) == sig:
                return v
        return None

    def shrink(self, scenario, sig):
        """Delta debugging: drop lines while the same violation (same signature) persists."""
        if sig[2] in NO_SHRINK:
            return scenario
        lines = scenario.splitlines(True)
        changed = True
        while changed:
            changed = False
            for i in range(len(lines)):
                cand = lines[:i] + lines[i + 1:]
                if any(l.startswith(("run", "ioctl")) for l in cand) and \
                        self.matching("".join(cand), sig):
                    lines = cand
                    changed = True
                    break
        return "".join(lines)
