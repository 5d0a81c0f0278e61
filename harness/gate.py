#!/usr/bin/env python3
"""bookedbg gate: compile the kernel's BookE debug logic in user mode and check it against the model.
`bookedbg gate --help` and `bookedbg replay --help` print the usage (harness/gatelib/options.py).

This file orchestrates; each concept lives in harness/gatelib/: options (the command line), build
(extraction and compile), execute (running, classifying, shrinking), findings (ids and .scn
files), verdict (what fails), report (text, JSON, JUnit, SARIF), and the input side for a patch on
its base tree: mail (patch series out of mails), apply (the series on a copy), tree (versions,
git revisions)."""
import os
import re
import shutil
import signal
import sys
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)
sys.path.insert(0, HERE)

import gate_scenarios  # noqa: E402
import recover  # noqa: E402
from gatelib import apply, build, mail, options, report, tree, verdict  # noqa: E402
from gatelib import findings as fnd  # noqa: E402
from gatelib.build import GateError  # noqa: E402
from gatelib.execute import Harness, HarnessError  # noqa: E402


def portable(path):
    """Inputs inside the project are recorded relative to it, so scenarios replay anywhere."""
    a = os.path.abspath(path)
    return os.path.relpath(a, ROOT) if a.startswith(ROOT + os.sep) else a


def version_of(source, manifest):
    """The version as it is: the tree's top Makefile; for a patch alone, the era of its code."""
    if source.get("kernel"):
        v = tree.kernel_version(source["kernel"])
        if v:
            return v
    hint = manifest.get("version_hint")
    return "v3 (2013)" if hint == "v3" else f"{hint} era (no Makefile)" if hint else "unknown"


def configs_of(source, wanted):
    """Configurations the input still has: a tree whose Kconfig no longer offers e500v2 (the
    series that drops 32-bit BookE-PR) has no pr configuration."""
    configs = ["pr", "hv"] if wanted == "both" else [wanted]
    if source.get("kernel"):
        kconfig = os.path.join(source["kernel"], "arch/powerpc/kvm/Kconfig")
        if os.path.exists(kconfig):
            with open(kconfig, encoding="utf-8", errors="replace") as f:
                text = f.read()
            have = {"pr": "config KVM_E500V2" in text, "hv": "config KVM_E500MC" in text}
            configs = [c for c in configs if have[c]]
    return configs


API_RST = ("Documentation/virt/kvm/api.rst", "Documentation/virtual/kvm/api.txt")


def api_one_regs(source):
    """The debug ONE_REG ids the tree's api.rst lists (none without a tree or its api.rst)."""
    for rel in API_RST if source.get("kernel") else ():
        path = os.path.join(source["kernel"], rel)
        if os.path.isfile(path):
            with open(path, encoding="utf-8", errors="replace") as f:
                return gate_scenarios.api_one_regs(f.read())
    return ()


def scenarios_for(config, a, profile, one_regs=()):
    """The scenarios of one configuration and how many each family gave (before sharding)."""
    fams = {"fixed": gate_scenarios.fixed_scenarios(config, profile, one_regs),
            "exhaustive": gate_scenarios.exhaustive_scenarios(config, a["budget"]),
            "random": gate_scenarios.random_scenarios(config, a["seed"], a["random"])
            if a.get("seed") is not None else []}
    scen = [s for f in fams.values() for s in f]
    if a.get("shard"):
        k, n = a["shard"]
        scen = [x for i, x in enumerate(scen) if i % n == k - 1]
    return scen, {k: len(v) for k, v in fams.items()}


def gate_input(source, a, out, shown=None, one_regs=None):
    """Gate one input (a patch alone or a tree); returns its report (before the verdict).
    one_regs: the ONE_REG ids to exercise (default: those the input's api.rst lists)."""
    if one_regs is None:
        one_regs = api_one_regs(source)
    src = source.get("patch") or source.get("kernel")
    os.makedirs(out, exist_ok=True)
    xdir = tempfile.mkdtemp(prefix="gate-x-", dir=out)
    try:
        manifest = build.extract(source, xdir)
        lines = fnd.line_map(manifest, xdir)
        folder = fnd.fresh_folder(os.path.join(out, "findings"))
        release = version_of(source, manifest)
        rep = {"input": shown or src, "version": tree.short_version(release) or release,
               "release": release, "configs": {},
               "findings": [], "obligations": []}
        for config in configs_of(source, a["config"]):
            profile, binary = build.build_harness(manifest, xdir, config, os.path.join(out, config))
            h = Harness(binary, config, profile, lines, fnd.function_ranges(manifest))
            obls = [dict(o, config=config) for o in h.prove()]
            rep["obligations"] += obls
            if a.get("prove"):
                rep["configs"][config] = {"profile": profile, "scenarios": 0}
                continue
            scen, families = scenarios_for(config, a, profile, one_regs)
            results = h.run_batch(scen)
            hit, legal = gate_scenarios.coverage(config, scen)
            rep["configs"][config] = {"scenarios": len(scen), "profile": profile, "families": families,
                                      "coverage": {"hit": len(hit), "bins": len(legal),
                                                   "holes": sorted("/".join(b) for b in legal - hit)[:20]}}
            rep["findings"] += fnd.findings(h, manifest, scen, results, portable(src), folder)
        rep["counterexamples"] = verdict.counterexamples(rep["obligations"],
                                                         lambda fn: fnd.function_line(manifest, fn))
        return rep
    except HarnessError as e:
        raise GateError(f"harness: {e}")
    finally:
        shutil.rmtree(xdir, ignore_errors=True)


# ---------------------------------------------------------------- a patch on its base tree
def gate_compare(a):
    """--kernel BASE with --patch FILE or --base REV: gate both sides, report the difference."""
    files = apply.gate_files()
    work = tempfile.mkdtemp(prefix="trees-", dir=a["out"])
    try:
        # the two trees stay beside their findings: the saved scenarios replay against them
        base_dir = os.path.join(a["out"], "base", "tree")
        new_dir = os.path.join(a["out"], "patched", "tree")
        for d in (base_dir, new_dir):
            os.makedirs(os.path.dirname(d), exist_ok=True)
        if a.get("base"):
            tree.export_rev(a["kernel"], a["base"], base_dir, files)
            tree.working_files(a["kernel"], new_dir, files)
            what = f"the working tree of {a['kernel']} against {a['base']}"
            shown = (f"{a['kernel']}@{a['base']}", f"{a['kernel']} (working tree)")
            summary = what
        else:
            series = mail.read_series(a["patch"])
            res = apply.apply_series(series, a["kernel"], new_dir, files)
            tree.copy_files(a["kernel"], base_dir, files)
            what = a["patch"]
            shown = (a["kernel"], f"{a['kernel']} + {a['patch']}")
            summary = apply.summary(series, res)
        base_src, new_src = {"kernel": base_dir}, {"kernel": new_dir}
        if same_debug_code(base_src, new_src, work) and \
                configs_of(base_src, a["config"]) == configs_of(new_src, a["config"]):
            return {"mode": "untouched", "patch": what, "verdict": "nothing introduced", "exit": 0,
                    "summary": f"{summary}; it does not change the debug code the gate checks, "
                               "nothing to gate"}
        # both sides exercise the ONE_REG ids BASE's api.rst lists (the copies hold only the
        # gate's files, and a documentation change is not a code change)
        regs = api_one_regs({"kernel": a["kernel"]})
        base = gate_input(base_src, a, os.path.join(a["out"], "base"), shown[0], regs)
        new = gate_input(new_src, a, os.path.join(a["out"], "patched"), shown[1], regs)
        rep = verdict.compare(base, new, a["fail-on"], baseline_of(a))
        rep["patch"], rep["patch_summary"] = what, summary
        rep["fail-on"], rep["baseline"] = a["fail-on"], a.get("baseline")
        return rep
    finally:
        shutil.rmtree(work, ignore_errors=True)


def same_debug_code(base_src, new_src, work):
    """True when the items the gate extracts are the same on both sides, comments, blank space
    and line numbers aside."""
    sides = []
    for name, src in (("xb", base_src), ("xn", new_src)):
        out = os.path.join(work, name)
        m = build.extract(src, out)
        items = []
        for it in m.get("items", []):
            with open(os.path.join(out, it["path"]), encoding="utf-8", errors="replace") as f:
                items.append((it["kind"], it["name"], normal_c(f.read())))
        sides.append((sorted(items), sorted(m.get("defines", {}).items())))
    return sides[0] == sides[1]


def normal_c(text):
    text = re.sub(r"/\*.*?\*/", " ", text, flags=re.S)
    text = re.sub(r"//[^\n]*", " ", text)
    return " ".join(text.split())


def baseline_of(a):
    return verdict.load_baseline(a["baseline"]) if a.get("baseline") else None


# ---------------------------------------------------------------- replay
def replay(path, verbose):
    try:
        with open(path, "rb") as f:
            data = f.read()
    except OSError as e:
        raise GateError(f"{path}: {e.strerror}")
    if b"\0" in data:
        raise GateError(f"{path}:1: binary file, not a gate scenario")
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as e:
        line = data[:e.start].count(b"\n") + 1
        raise GateError(f"{path}:{line}: not UTF-8 text, not a gate scenario")
    src = re.search(r"^input (.+)$", text, re.M)
    cfg = re.search(r"^config (\S+)$", text, re.M)
    if not src or not cfg:
        raise GateError(f"{path}:1: not a gate scenario (needs 'input' and 'config' lines)")
    if cfg.group(1) not in ("pr", "hv"):
        line = text[:cfg.start()].count("\n") + 1
        raise GateError(f"{path}:{line}: config takes pr or hv, not '{cfg.group(1)}'")
    # header lines become comments, so the harness counts lines as the file does
    body = "".join(("# " + l) if l.startswith(("input ", "config ")) else l
                   for l in text.splitlines(True))
    try:
        gate_scenarios.check(body, path)
    except gate_scenarios.ScenarioError as e:
        raise GateError(str(e))
    source = src.group(1)
    if not os.path.isabs(source):
        # recorded relative to the project it was found in; else relative to where we are
        source = next((c for c in (os.path.join(ROOT, source), os.path.abspath(source))
                       if os.path.exists(c)), os.path.join(ROOT, source))
    if not os.path.exists(source):
        raise GateError(f"{path}:{text[:src.start()].count(chr(10)) + 1}: input {src.group(1)}: no such file or directory")
    args = {("kernel" if os.path.isdir(source) else "patch"): source}
    out = build.default_out() + "-replay"
    os.makedirs(out, exist_ok=True)
    xdir = tempfile.mkdtemp(prefix="replay-", dir=out)
    try:
        manifest = build.extract(args, xdir)
        lines = fnd.line_map(manifest, xdir)
        profile, binary = build.build_harness(manifest, xdir, cfg.group(1), os.path.join(out, cfg.group(1)))
    finally:
        shutil.rmtree(xdir, ignore_errors=True)
    h = Harness(binary, cfg.group(1), profile, lines, fnd.function_ranges(manifest))
    print(f"replay {path}: {profile} profile, configuration {cfg.group(1)}")
    for k, line in enumerate(text.splitlines(), 1):
        if not line.startswith("#"):
            print(f"  {k:3} | {line}")
    if verbose:
        sys.stdout.write("".join("      " + l for l in h.verbose(body).splitlines(True)))
    vs = h.violations(body)
    for v in vs:
        prop, fn = h.classify(body, v)
        at = f" (line {v['stmt']}: {v.get('stmt_text', '')})" if v.get("stmt") else ""
        kl = f" [{h.kernel_line(v)}]" if h.kernel_line(v) else ""
        print(f"  {prop} ({v['kind']}) in {fn}{kl}: {v['detail']}{at}")
    print("replay: " + ("divergent" if vs else "equivalent"))
    return 1 if vs else 0


# ---------------------------------------------------------------- main
def gate(a):
    if a.get("kernel") and (a.get("patch") or a.get("base")):
        return gate_compare(a)
    source = {"patch": a["patch"]} if a.get("patch") else {"kernel": a["kernel"]}
    if not configs_of(source, a["config"]):
        raise GateError(f"{a['kernel']}/arch/powerpc/kvm/Kconfig: the tree offers no {a['config']} "
                        "configuration (KVM_E500V2 for pr, KVM_E500MC for hv)")
    rep = gate_input(source, a, a["out"])
    rep = verdict.decide(rep, a["fail-on"], baseline_of(a))
    if a.get("prove"):
        rep["mode"] = "prove"
    return rep


def emit(rep, a):
    """Every output tells the one verdict; files first, so a full pipe cannot lose them."""
    if a.get("junit"):
        report.junit(rep, a["junit"])
    if a.get("sarif"):
        report.sarif(rep, a["sarif"], a.get("kernel"))
    sys.stdout.write(report.to_json(rep) if a["json"] else report.text(rep))
    sys.stdout.flush()
    return rep["exit"]


# Every bad input ends here as its one-line "FILE:LINE: what" message and exit 2.
INPUT_ERRORS = (options.UsageError, GateError, verdict.BaselineError, recover.RecoverError,
                apply.ApplyError, tree.TreeError, gate_scenarios.ScenarioError)


def main(argv):
    try:
        a = options.parse(argv, build.default_out())
        if "replay" in a:
            return replay(a["replay"], a.get("verbose"))
        return emit(gate(a), a)
    except options.Help as h:
        sys.stdout.write(str(h))
        return 0
    except INPUT_ERRORS as e:
        print(str(e), file=sys.stderr)
        return 2


def cli(argv, entry=None):
    """Run the gate as a command. SIGPIPE stays ignored while we work, so a harness that dies
    before reading all its scenarios is a crash finding (subprocess absorbs the broken pipe), not
    our own death; only a reader of our stdout that goes away (| head) ends us, quietly."""
    try:
        rc = (entry or main)(argv)
        sys.stdout.flush()
        return rc
    except BrokenPipeError:
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        signal.signal(signal.SIGPIPE, signal.SIG_DFL)
        os.kill(os.getpid(), signal.SIGPIPE)
        return 141
    except KeyboardInterrupt:
        print("bookedbg gate: interrupted", file=sys.stderr)
        return 130


if __name__ == "__main__":
    sys.exit(cli(sys.argv[1:]))
