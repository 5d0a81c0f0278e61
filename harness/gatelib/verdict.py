"""The verdict, decided once from what a run found: which divergences fail the run (--fail-on,
--baseline), and for a patch on its base tree what it introduces, fixes and leaves unchanged.
Exit status, text, JSON, JUnit and SARIF all read the verdict from here."""
import json

from .findings import item_id

EXIT = {"equivalent": 0, "accepted": 0, "nothing introduced": 0, "divergent": 1, "introduced": 1}


class BaselineError(Exception):
    """A --baseline file that is not a gate report."""


def counterexamples(obligations, where):
    """Failed proof obligations, as items whose id is the configuration, the obligation and the
    counterexample itself (a patch that changes the counterexample changes the defect); where(fn)
    is the file:line of the function the obligation is about ("decode FUNCTION: ...")."""
    out = []
    for o in obligations:
        if o["result"] != "proved":
            fn = o["obligation"].split(":")[0].split()[-1]
            out.append({"id": item_id("obligation", o["config"], o["obligation"], o["counterexample"]),
                        "kind": o["kind"], "config": o["config"], "property": "proof", "function": fn,
                        "where": where(fn), "obligation": o["obligation"], "detail": o["counterexample"]})
    return out


def items(report):
    """Every divergence of one gated input: findings, then counterexamples."""
    if not report:
        return []
    return report.get("findings", []) + report.get("counterexamples", [])


# --fail-on is a threshold: bug fails on bugs only, robustness on robustness or worse (everything
# the gate reports), any on anything.
FAILS = {"bug": {"bug"}, "robustness": {"bug", "robustness"}, "any": {"bug", "robustness"}}


def fails(item, fail_on):
    return item["kind"] in FAILS[fail_on]


def load_baseline(path):
    """The ids a previous --json report accepts (a compare report: those of its patched side)."""
    try:
        with open(path, encoding="utf-8") as f:
            rep = json.load(f)
    except (OSError, UnicodeDecodeError) as e:
        raise BaselineError(f"{path}:1: cannot read the baseline: {getattr(e, 'strerror', None) or e}")
    except ValueError as e:
        raise BaselineError(f"{path}:{getattr(e, 'lineno', 1)}: not a JSON gate report ({e.msg})")
    if not isinstance(rep, dict) or "verdict" not in rep:
        raise BaselineError(f"{path}:1: not a bookedbg gate --json report (no verdict)")
    side = rep.get("patched", rep)
    if not isinstance(side, dict) or "findings" not in side:
        raise BaselineError(f"{path}:1: not a bookedbg gate --json report (no findings)")
    lists = [side.get("findings"), side.get("counterexamples", [])]
    if not all(isinstance(l, list) and all(isinstance(x, dict) and isinstance(x.get("id"), str)
                                           for x in l) for l in lists):
        raise BaselineError(f"{path}:1: not a bookedbg gate --json report (findings without ids)")
    return {x["id"] for l in lists for x in l}


def decide(report, fail_on="any", baseline=None):
    """Adds verdict, failing and accepted to a single-input report."""
    all_items = items(report)
    in_base = [x["id"] for x in all_items if baseline and x["id"] in baseline]
    below = [x["id"] for x in all_items if x["id"] not in in_base and not fails(x, fail_on)]
    report["failing"] = [x["id"] for x in all_items if x["id"] not in in_base + below]
    report["accepted"] = in_base + below
    report["accepted_why"] = {"baseline": len(in_base), "fail_on": len(below), "fail-on": fail_on}
    report["verdict"] = "divergent" if report["failing"] else "accepted" if all_items else "equivalent"
    report["exit"] = EXIT[report["verdict"]]
    return report


def compare(base, patched, fail_on="any", baseline=None):
    """A patch on its base tree: introduced = in patched, not in base (and not accepted)."""
    bids = {x["id"] for x in items(base)}
    pids = {x["id"] for x in items(patched)}
    introduced = [x for x in items(patched) if x["id"] not in bids]
    failing = [x for x in introduced if fails(x, fail_on) and not (baseline and x["id"] in baseline)]
    removed = sorted(set(base["configs"]) - set(patched["configs"]))
    still_failing = {(x["config"], x["obligation"]) for x in patched.get("counterexamples", [])}
    rep = {"mode": "patch-on-base", "input": patched["input"], "base": base, "patched": patched,
           "introduced": [x["id"] for x in introduced],
           # a configuration the patch removes fixes nothing: its divergences are simply gone; an
           # obligation that still fails with another counterexample is changed, not fixed
           "fixed": [x["id"] for x in items(base) if x["id"] not in pids and x["config"] not in removed
                     and (x["config"], x.get("obligation")) not in still_failing],
           "unchanged": [x["id"] for x in items(patched) if x["id"] in bids],
           "removed_configs": removed, "failing": [x["id"] for x in failing]}
    rep["verdict"] = "introduced" if failing else "accepted" if introduced else "nothing introduced"
    rep["exit"] = EXIT[rep["verdict"]]
    return rep
