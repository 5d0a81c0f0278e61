#!/usr/bin/env python3
"""bookedbg gate: compile the kernel's BookE debug logic in user mode and check it against the model.

    gate.py (--patch FILE | --kernel DIR) [--config pr|hv|both] [--budget N] [--json]
            [--junit FILE] [--prove] [--shard K/N] [--seed S [--random N]] [--out DIR]

--seed S adds N (default 200) seeded constrained-random scenarios to the bounded-exhaustive ones.
    gate.py --replay SCENARIO [--verbose]

Exit 0: equivalent; 1: divergence found; 2: input or build error.
"""
import hashlib
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)
sys.path.insert(0, HERE)

import gate_kernel  # noqa: E402  (the translation-unit writer)
import gate_scenarios  # noqa: E402  (the scenario enumerator)


class GateError(Exception):
    pass


def build_dir():
    """The build the CLI runs from ($BOOKEDBG is the bookedbg executable that called us)."""
    if os.environ.get("BOOKEDBG"):
        return os.path.dirname(os.path.abspath(os.environ["BOOKEDBG"]))
    return os.path.join(ROOT, "build")


def toolchain():
    """Library, generated headers and model headers: from the build tree, or an installed prefix."""
    bdir = build_dir()
    lib = os.path.join(bdir, "lib", "libbookedbg.a")
    if os.path.exists(lib):
        return lib, os.path.join(bdir, "gen"), os.path.join(ROOT, "model")
    prefix = os.path.dirname(bdir)
    return (os.path.join(prefix, "lib", "libbookedbg.a"),
            os.path.join(prefix, "share", "bookedbg", "gen"),
            os.path.join(prefix, "include", "bookedbg"))


def default_out():
    bdir = build_dir()
    if os.path.exists(os.path.join(bdir, "lib", "libbookedbg.a")):
        return os.path.join(bdir, "gate")
    return os.path.join(os.getcwd(), "bookedbg-gate")


def run(cmd, **kw):
    return subprocess.run(cmd, capture_output=True, text=True, **kw)


def extract(args, out):
    cmd = [sys.executable, os.path.join(HERE, "extract.py")]
    cmd += ["--patch", args["patch"]] if args.get("patch") else ["--kernel", args["kernel"]]
    cmd += ["--out", out]
    p = run(cmd)
    if p.returncode != 0:
        raise GateError(p.stderr.strip() or "extraction failed")
    with open(os.path.join(out, "manifest.json"), encoding="utf-8") as f:
        return json.load(f)


def build_harness(manifest, xdir, config, work):
    """Write and compile the harness for one configuration; returns the binary path."""
    bdir = build_dir()
    lib, gen, model_inc = toolchain()
    if not os.path.exists(lib) or not os.path.exists(os.path.join(gen, "dbg_regs.py")):
        raise GateError(f"{lib}: the model library is not built (run make)")
    os.makedirs(work, exist_ok=True)
    san = []
    sf = os.path.join(bdir, "san-flags")
    if not os.path.exists(sf):
        sf = os.path.join(gen, "san-flags")     # an installed prefix
    if os.path.exists(sf):
        with open(sf, encoding="utf-8") as f:
            san = f.read().split()
    try:
        profile, defs = gate_kernel.write_tu(manifest, xdir, config, work, gen)
    except gate_kernel.TUError as e:
        raise GateError(str(e))
    hv = config == "hv"
    cfg = ["-DCONFIG_BOOKE", "-DCONFIG_PPC_ADV_DEBUG_REGS", "-DCONFIG_PPC_ADV_DEBUG_IACS=2",
           "-DCONFIG_PPC_ADV_DEBUG_DACS=2", "-DCONFIG_PPC_ADV_DEBUG_DVCS=0", "-DCONFIG_PPC_E500",
           "-DCONFIG_PPC_FSL_BOOK3E"]
    cfg += ["-DCONFIG_KVM_BOOKE_HV", "-DCONFIG_KVM_E500MC"] if hv else ["-DCONFIG_KVM_E500V2"]
    kobj = os.path.join(work, "gate_kernel.o")
    wobj = os.path.join(work, "gate_world.o")
    binary = os.path.join(work, "harness")
    # kernel code is not ours: no -Werror there, but it must compile
    p = run(["gcc", "-std=gnu11", "-g", "-O1", "-w"] + san + ["-I" + work, "-I" + os.path.join(HERE, "shim"),
             "-I" + HERE] + cfg + ["-c", os.path.join(work, "gate_kernel.c"), "-o", kobj])
    if p.returncode != 0:
        raise GateError("the extracted kernel code does not compile in the "
                        f"{profile} profile:\n" + p.stderr.strip()[:3000])
    world_defs = [f"-DGATE_HV={1 if hv else 0}",
                  f"-DGATE_DEBUG_BREAKPOINT={defs['KVMPPC_DEBUG_BREAKPOINT']}",
                  f"-DGATE_DEBUG_WATCH_WRITE={defs['KVMPPC_DEBUG_WATCH_WRITE']}",
                  f"-DGATE_DEBUG_WATCH_READ={defs['KVMPPC_DEBUG_WATCH_READ']}"]
    p = run(["gcc", "-std=c11", "-g", "-O1", "-Wall", "-Wextra", "-Werror"] + san + [
             "-I" + model_inc, "-I" + gen, "-I" + HERE] + world_defs +
            ["-c", os.path.join(HERE, "gate_world.c"), "-o", wobj])
    if p.returncode != 0:
        raise GateError("harness/gate_world.c does not compile:\n" + p.stderr.strip()[:3000])
    p = run(["gcc"] + san + ["-o", binary, kobj, wobj, lib])
    if p.returncode != 0:
        raise GateError("linking the harness failed:\n" + p.stderr.strip()[:3000])
    return profile, binary


TIMEOUT = float(os.environ.get("BOOKEDBG_GATE_TIMEOUT", "60"))
MAX_CRASHES = 3


def run_once(binary, scenarios, timeout):
    text = "".join(s + "end\n" for s in scenarios)
    try:
        p = subprocess.run([binary], input=text, capture_output=True, text=True, timeout=timeout)
        out, rc = p.stdout, p.returncode
    except subprocess.TimeoutExpired as e:
        out, rc = (e.stdout.decode() if isinstance(e.stdout, bytes) else (e.stdout or "")), "timeout"
    results = []
    for line in out.splitlines():
        try:
            results.append(json.loads(line))
        except ValueError:
            continue
    done = [r for r in results if "scenario" in r]
    crash = next((r["crash"] for r in results if "crash" in r), None)
    return done, crash, rc


def run_batch(binary, scenarios, timeout=None):
    """Run scenarios in child processes; a crash or hang of the kernel code is a result (a finding
    on the scenario that was running), and the rest go on in a new process, up to MAX_CRASHES."""
    timeout = timeout or TIMEOUT
    out, base, crashes = [], 0, 0
    while base < len(scenarios):
        done, crash, rc = run_once(binary, scenarios[base:], timeout)
        for r in done:
            out.append(dict(r, scenario=base + r["scenario"]))
        base += len(done)
        if base >= len(scenarios):
            break
        why = crash or (f"the harness hung (over {timeout:g} s)" if rc == "timeout"
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


STOP_CODES = {"lost-stop", "status0", "dropped", "spurious", "wrong-report"}


def codes(binary, scenario):
    return {v["code"] for r in run_batch(binary, [scenario]) for v in r["violations"]}


def classify(binary, scenario, v):
    """Which property a wrong stop violates, decided by difference: the same scenario without the
    preemption (no-lost-events), without the guest's own MSR writes (ownership), or neither."""
    if v.get("code") not in STOP_CODES:
        return v["property"], v["function"]
    lines = scenario.splitlines(True)
    if any(l.startswith("preempt") for l in lines):
        if v["code"] not in codes(binary, "".join(l for l in lines if not l.startswith("preempt"))):
            return "no-lost-events", v["function"]
    if any(" mtmsr " in l for l in lines if l.startswith("g ")):
        if v["code"] not in codes(binary, "".join(l for l in lines if " mtmsr " not in l)):
            return "ownership", "kvm_arch_vcpu_ioctl_set_guest_debug"
    return "stops", v["function"]


def signature(binary, scenario, v):
    prop, fn = classify(binary, scenario, v)
    return (prop, fn, v.get("code", ""), v["kind"])


def violates(binary, scenario, sig):
    res = run_batch(binary, [scenario])
    return any(v.get("code") == sig[2] and v["kind"] == sig[3] and signature(binary, scenario, v) == sig
               for r in res for v in r["violations"])


def shrink(binary, scenario, sig):
    """Delta debugging: drop lines while the same violation (same code, same property) persists."""
    lines = scenario.splitlines(True)
    changed = True
    while changed:
        changed = False
        for i in range(len(lines)):
            cand = lines[:i] + lines[i + 1:]
            if any(l.startswith(("run", "ioctl")) for l in cand) and \
                    violates(binary, "".join(cand), sig):
                lines = cand
                changed = True
                break
    return "".join(lines)


def portable(path):
    """Inputs inside the project are recorded relative to it, so scenarios replay anywhere."""
    a = os.path.abspath(path)
    return os.path.relpath(a, ROOT) if a.startswith(ROOT + os.sep) else a


def finding_id(profile, config, sig):
    h = hashlib.sha256("|".join((profile, config) + sig).encode()).hexdigest()[:8]
    return f"BKD-{h}"


def function_line(manifest, name):
    for it in manifest.get("items", []):
        if it["name"] == name:
            return f"{it['file']}:{it['line_start']}"
    return "?"


def gate(args):
    src = args.get("patch") or args.get("kernel")
    configs = ["pr", "hv"] if args["config"] == "both" else [args["config"]]
    out = args["out"]
    os.makedirs(out, exist_ok=True)
    xdir = tempfile.mkdtemp(prefix="gate-x-", dir=out)
    try:
        manifest = extract(args, xdir)
        findings, stats = [], {}
        for config in configs:
            work = os.path.join(out, config)
            profile, binary = build_harness(manifest, xdir, config, work)
            scen = gate_scenarios.enumerate_scenarios(config, args["budget"])
            if args.get("seed") is not None:
                scen += gate_scenarios.random_scenarios(config, args["seed"], args["random"])
            if args.get("shard"):
                k, n = args["shard"]
                scen = [x for i, x in enumerate(scen) if i % n == k - 1]
            results = run_batch(binary, scen)
            hit, legal = gate_scenarios.coverage(config, scen)
            stats[config] = {"scenarios": len(scen), "profile": profile,
                             "obligations": prove(binary),
                             "coverage": {"hit": len(hit), "bins": len(legal),
                                          "holes": sorted("/".join(b) for b in legal - hit)[:20]}}
            seen = {}
            for r in results:
                sc = scen[r["scenario"]] if r["scenario"] < len(scen) else ""
                for v in r["violations"]:
                    sig = signature(binary, sc, v) if sc and v.get("code") not in ("hang", "gave-up") \
                        else (v["property"], v["function"], v.get("code", "crash"), "bug")
                    if sig not in seen:
                        seen[sig] = (dict(v, property=sig[0], function=sig[1]), sc)
            for sig, (v, sc) in sorted(seen.items()):
                small = shrink(binary, sc, sig) if sc and sig[2] not in ("hang", "gave-up") else sc
                fid = finding_id(profile, config, sig)
                path = os.path.join(out, "findings", fid + ".scn")
                os.makedirs(os.path.dirname(path), exist_ok=True)
                header = (f"# bookedbg gate scenario {fid}: {v['property']} ({v['kind']}) in "
                          f"{v['function']}\n# {v['detail']}\n"
                          f"input {portable(src)}\nconfig {config}\n")
                tmp = path + ".tmp"
                with open(tmp, "w", encoding="utf-8") as f:
                    f.write(header + small)
                os.replace(tmp, path)
                findings.append({"id": fid, "property": v["property"], "kind": v["kind"],
                                 "function": v["function"],
                                 "where": function_line(manifest, v["function"]),
                                 "config": config, "profile": profile, "detail": v["detail"],
                                 "scenario": os.path.relpath(path, os.getcwd()),
                                 "steps": small.count("\n")})
        return manifest, findings, stats
    finally:
        shutil.rmtree(xdir, ignore_errors=True)


def prove(binary):
    """The proof obligations of this harness (gate_prove.c): exhaustive over stated domains."""
    try:
        p = subprocess.run([binary, "prove"], capture_output=True, text=True, timeout=max(TIMEOUT, 10))
    except subprocess.TimeoutExpired:
        return [{"obligation": "proof mode", "kind": "bug", "domain": 0, "result": "counterexample",
                 "counterexample": "the harness hung in proof mode"}]
    out = []
    for line in p.stdout.splitlines():
        try:
            out.append(json.loads(line))
        except ValueError:
            pass
    if p.returncode != 0:
        out.append({"obligation": "proof mode", "kind": "bug", "domain": 0,
                    "result": "counterexample", "counterexample": f"the harness died (exit {p.returncode})"})
    return out


def junit(findings, stats, path):
    from xml.sax.saxutils import escape, quoteattr
    cases = []
    for cfg, st in stats.items():
        mine = [f for f in findings if f["config"] == cfg]
        body = "".join(f"<failure message={quoteattr(f['id'] + ': ' + f['property'])}>"
                       f"{escape(f['detail'])} (replay: {escape(f['scenario'])})</failure>"
                       for f in mine)
        cases.append(f'  <testcase classname="gate.{cfg}" name="equivalence ({st["profile"]}, '
                     f'{st["scenarios"]} scenarios)">{body}</testcase>\n')
    xml = (f'<?xml version="1.0" encoding="UTF-8"?>\n<testsuite name="bookedbg-gate" '
           f'tests="{len(stats)}" failures="{sum(1 for c in stats if any(f["config"] == c for f in findings))}">\n'
           + "".join(cases) + "</testsuite>\n")
    tmp = path + ".tmp"
    with open(tmp, "w", encoding="utf-8") as f:
        f.write(xml)
    os.replace(tmp, path)


def replay(path, verbose):
    try:
        with open(path, encoding="utf-8") as f:
            text = f.read()
    except OSError as e:
        raise GateError(f"{path}: {e.strerror}")
    src = re.search(r"^input (.+)$", text, re.M)
    if src and not os.path.isabs(src.group(1)):
        src = re.match(r"(.*)", os.path.join(ROOT, src.group(1)))
    cfg = re.search(r"^config (pr|hv)$", text, re.M)
    if not src or not cfg:
        raise GateError(f"{path}:1: not a gate scenario (needs 'input' and 'config' lines)")
    body = "".join(l for l in text.splitlines(True)
                   if not l.startswith(("#", "input ", "config ")))
    args = {"config": cfg.group(1)}
    args["kernel" if os.path.isdir(src.group(1)) else "patch"] = src.group(1)
    out = default_out() + "-replay"
    os.makedirs(out, exist_ok=True)
    xdir = tempfile.mkdtemp(prefix="replay-", dir=out)
    try:
        manifest = extract(args, xdir)
        profile, binary = build_harness(manifest, xdir, args["config"], os.path.join(out, args["config"]))
    finally:
        shutil.rmtree(xdir, ignore_errors=True)
    print(f"replay {path}: {profile} profile, configuration {args['config']}")
    for line in body.splitlines():
        print(f"  | {line}")
    res = run_batch(binary, [body])
    vs = res[0]["violations"] if res else []
    for v in vs:
        prop, fn = classify(binary, body, v)
        print(f"  {prop} ({v['kind']}) in {fn}: {v['detail']}")
    print("replay: " + ("divergent" if vs else "equivalent"))
    return 1 if vs else 0


def parse_args(argv):
    a = {"config": "both", "budget": 400, "json": False, "junit": None, "out": default_out()}
    i = 0
    while i < len(argv):
        k = argv[i]
        if k in ("--patch", "--kernel", "--config", "--budget", "--junit", "--out", "--replay", "--shard",
                 "--seed", "--random") \
                and i + 1 < len(argv):
            a[k[2:]] = argv[i + 1]
            i += 2
        elif k in ("--json", "--verbose", "--prove"):
            a[k[2:]] = True
            i += 1
        else:
            raise GateError(f"gate: unknown argument '{k}'\n{__doc__}")
    if a.get("shard"):
        m = re.fullmatch(r"(\d+)/(\d+)", a["shard"])
        if not m or not 1 <= int(m.group(1)) <= int(m.group(2)):
            raise GateError("gate: --shard takes K/N with 1 <= K <= N")
        a["shard"] = (int(m.group(1)), int(m.group(2)))
    if a["config"] not in ("pr", "hv", "both"):
        raise GateError("gate: --config takes pr, hv or both")
    try:
        a["budget"] = int(a["budget"])
        a["random"] = int(a.get("random", 200))
        if a.get("seed") is not None:
            a["seed"] = int(a["seed"])
    except ValueError:
        raise GateError("gate: --budget, --seed and --random take numbers")
    if not a.get("replay"):
        if bool(a.get("patch")) == bool(a.get("kernel")):
            raise GateError("gate: give exactly one of --patch FILE or --kernel DIR")
        src = a.get("patch") or a.get("kernel")
        if not os.path.exists(src):
            raise GateError(f"{src}: no such file or directory")
    return a


def main(argv):
    try:
        a = parse_args(argv)
        if a.get("replay"):
            return replay(a["replay"], a.get("verbose"))
        manifest, findings, stats = gate(a)
    except GateError as e:
        print(str(e), file=sys.stderr)
        return 2
    obls = [dict(o, config=c) for c, st in stats.items() for o in st["obligations"]]
    failed = [o for o in obls if o["result"] != "proved"]
    verdict = "divergent" if findings or failed else "equivalent"
    src = a.get("patch") or a.get("kernel")
    if a.get("prove"):
        for o in obls:
            print(f"{o['config']}: {o['obligation']}: domain {o['domain']}: "
                  + ("proved" if o["result"] == "proved" else
                     f"counterexample ({o['kind']}): {o['counterexample']}"))
        print(f"proved: {len(obls) - len(failed)}/{len(obls)} obligations")
        return 1 if failed else 0
    if a.get("junit"):
        junit(findings, stats, a["junit"])
    if a["json"]:
        print(json.dumps({"verdict": verdict, "input": src, "version": manifest.get("version_hint"),
                          "configs": stats, "findings": findings, "obligations": obls},
                         indent=1, sort_keys=True))
    else:
        print(f"bookedbg gate: {src} ({manifest.get('version_hint')})")
        for cfg, st in stats.items():
            print(f"  configuration {cfg}: {st['profile']} profile, {st['scenarios']} scenarios")
        for f in findings:
            print(f"  {f['id']}  {f['property']} ({f['kind']}, {f['config']}) in {f['function']} "
                  f"[{f['where']}]\n      {f['detail']}\n      minimal scenario: {f['scenario']} "
                  f"({f['steps']} lines); replay with: bookedbg replay {f['scenario']}")
        for cfg, st in stats.items():
            cv = st["coverage"]
            print(f"  coverage {cfg}: request shape x preemption point x guest MSR[DE] x guest "
                  f"clears DE x host context: {cv['hit']}/{cv['bins']} bins"
                  + (f" (holes: {', '.join(cv['holes'][:5])}...)" if cv["holes"] else ""))
        print("  proof (every value of each stated domain):")
        for o in obls:
            res = "proved" if o["result"] == "proved" else \
                f"COUNTEREXAMPLE ({o['kind']}): {o['counterexample']}"
            print(f"    {o['config']}: {o['obligation']} [{o['domain']}]: {res}")
        print(f"  proved: {len(obls) - len(failed)}/{len(obls)} obligations")
        print(f"verdict: {verdict} ({len(findings)} finding{'s' if len(findings) != 1 else ''}, "
              f"{len(failed)} counterexample{'s' if len(failed) != 1 else ''})")
    return 1 if findings else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
