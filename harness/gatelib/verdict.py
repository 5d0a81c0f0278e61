"""The verdict, decided once from what a run found: which divergences fail the run (--fail-on,
--baseline), and for a patch on its base tree what it introduces, fixes and leaves unchanged.
Exit status, text, JSON, JUnit and SARIF all read the verdict from here."""
import json

from .findings import item_id

EXIT = {"equivalent": 0, "accepted": 0, "nothing introduced": 0, "divergent": 1, "introduced": 1}


class BaselineError(Exception):
    """A --baseline file that is not a gate report."""


def counterexamples(obligations):
    """Failed proof obligations, as items with a stable id (configuration + obligation)."""
    out = []
    for o in obligations:
        if o["result"] != "proved":
            out.append({"id": item_id("obligation", o["config"], o["obligation"]), "kind": o["kind"],
                        "config": o["config"], "property": "proof", "function": o.get("function", ""),
                        "obligation": o["obligation"], "detail": o["counterexample"]})
    return out


def items(report):
    """Every divergence of one gated input: findings, then counterexamples."""
    return report["findings"] + report["counterexamples"]


def fails(item, fail_on):
    return fail_on == "any" or item["kind"] == fail_on


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
    ids = {x.get("id") for x in side.get("findings", []) + side.get("counterexamples", [])
           if isinstance(x, dict)}
    return ids - {None}


def decide(report, fail_on="any", baseline=None):
    """Adds verdict, failing and accepted to a single-input report."""
    all_items = items(report)
    accepted = [x for x in all_items if (baseline and x["id"] in baseline) or not fails(x, fail_on)]
    failing = [x for x in all_items if x not in accepted]
    report["failing"] = [x["id"] for x in failing]
    report["accepted"] = [x["id"] for x in accepted]
    report["verdict"] = "divergent" if failing else "accepted" if all_items else "equivalent"
    report["exit"] = EXIT[report["verdict"]]
    return report


def compare(base, patched, fail_on="any", baseline=None):
    """A patch on its base tree: introduced = in patched, not in base (and not accepted)."""
    bids = {x["id"] for x in items(base)}
    pids = {x["id"] for x in items(patched)}
    introduced = [x for x in items(patched) if x["id"] not in bids]
    failing = [x for x in introduced if fails(x, fail_on) and not (baseline and x["id"] in baseline)]
    removed = sorted(set(base["configs"]) - set(patched["configs"]))
    rep = {"mode": "patch-on-base", "input": patched["input"], "base": base, "patched": patched,
           "introduced": [x["id"] for x in introduced],
           # a configuration the patch removes fixes nothing: its divergences are simply gone
           "fixed": [x["id"] for x in items(base) if x["id"] not in pids and x["config"] not in removed],
           "unchanged": [x["id"] for x in items(patched) if x["id"] in bids],
           "removed_configs": removed, "failing": [x["id"] for x in failing]}
    rep["verdict"] = "introduced" if failing else "nothing introduced"
    rep["exit"] = EXIT[rep["verdict"]]
    return rep
