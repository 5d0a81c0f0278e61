"""The verdict of a patch on its base tree, decided from two reports (harness/gatelib/verdict.py)."""
import os
import sys
import unittest

sys.path.insert(0, os.path.join(os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__)))),
                                "harness"))
from gatelib import verdict  # noqa: E402


def report(configs, findings=(), cex=()):
    obls = [{"config": c, "obligation": o, "kind": k, "result": "counterexample", "counterexample": t}
            for c, o, k, t in cex]
    return {"input": "x", "configs": {c: {} for c in configs},
            "findings": [{"id": i, "kind": k, "config": c, "property": "stops"} for i, k, c in findings],
            "counterexamples": verdict.counterexamples(obls, lambda fn: "f.c:1")}


class Compare(unittest.TestCase):
    def test_a_changed_counterexample_is_introduced_and_the_old_one_not_fixed(self):
        base = report(["pr"], cex=[("pr", "decode f: all", "bug", "DBSR=1")])
        new = report(["pr"], cex=[("pr", "decode f: all", "bug", "DBSR=2")])
        rep = verdict.compare(base, new)
        self.assertEqual(len(rep["introduced"]), 1)
        self.assertEqual(rep["fixed"], [])
        self.assertEqual(rep["verdict"], "introduced")

    def test_a_counterexample_that_goes_away_is_fixed(self):
        base = report(["pr"], cex=[("pr", "decode f: all", "bug", "DBSR=1")])
        rep = verdict.compare(base, report(["pr"]))
        self.assertEqual(len(rep["fixed"]), 1)
        self.assertEqual(rep["verdict"], "nothing introduced")

    def test_a_removed_configuration_fixes_nothing(self):
        base = report(["pr", "hv"], findings=[("BKD-1", "bug", "pr")])
        rep = verdict.compare(base, report(["hv"]))
        self.assertEqual((rep["removed_configs"], rep["fixed"]), (["pr"], []))

    def test_fail_on_is_a_threshold(self):
        new = report(["pr"], findings=[("BKD-1", "bug", "pr")])
        for fail_on, want in (("bug", 1), ("robustness", 1), ("any", 1)):
            self.assertEqual(verdict.compare(report(["pr"]), new, fail_on)["exit"], want, fail_on)
        rob = report(["pr"], findings=[("BKD-2", "robustness", "pr")])
        rep = verdict.compare(report(["pr"]), rob, "bug")
        self.assertEqual((rep["exit"], rep["verdict"]), (0, "accepted"))

    def test_a_baseline_accepts_what_it_names(self):
        rep = verdict.decide(report(["pr"], findings=[("BKD-1", "bug", "pr")]), "any", {"BKD-1"})
        self.assertEqual((rep["verdict"], rep["exit"], rep["accepted"]), ("accepted", 0, ["BKD-1"]))


if __name__ == "__main__":
    unittest.main()
