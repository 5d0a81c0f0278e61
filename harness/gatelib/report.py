"""The gate's reports: text on stdout, --json, --junit, --sarif. Each reads the verdict that
verdict.py decided; none decides anything. Files are written whole (temp + rename)."""
import json
import os
from xml.sax.saxutils import escape, quoteattr

from .verdict import items

SARIF_SCHEMA = "https://json.schemastore.org/sarif-2.1.0.json"


def write_atomic(path, text):
    tmp = path + ".tmp"
    with open(tmp, "w", encoding="utf-8") as f:
        f.write(text)
    os.replace(tmp, path)


def plural(n, word):
    return f"{n} {word}{'' if n == 1 else 's'}"


# ---------------------------------------------------------------- text
def finding_lines(f):
    if f["property"] == "proof":
        return [f"  {f['id']}  counterexample ({f['kind']}, {f['config']}): {f['obligation']} [{f['where']}]",
                f"      {f['detail']}"]
    at = f" at scenario line {f['stmt']} ({f['stmt_text']})" if f.get("stmt") else ""
    wrote = f"; the register was written at {f['written_at']}" if f.get("written_at") else ""
    return [f"  {f['id']}  {f['property']} ({f['kind']}, {f['config']}) in {f['function']} [{f['where']}{wrote}]",
            f"      {f['detail']}{at}",
            f"      minimal scenario: {f['scenario']} ({plural(f['steps'], 'line')}); replay with: "
            f"bookedbg replay {f['scenario']}"]


def config_lines(rep):
    out = []
    for cfg, st in rep["configs"].items():
        fam = st.get("families")
        parts = f" ({fam['fixed']} fixed, {fam['exhaustive']} bounded-exhaustive" + \
            (f", {fam['random']} random)" if fam["random"] else ")") if fam else ""
        out.append(f"  configuration {cfg}: {st['profile']} profile, {st['scenarios']} scenarios{parts}")
    return out


def coverage_lines(rep):
    out = []
    for cfg, st in rep["configs"].items():
        cv = st["coverage"]
        out.append(f"  coverage {cfg}: request shape x preemption point x guest MSR[DE] x the guest's "
                   f"DE writes x host context: {cv['hit']}/{cv['bins']} bins"
                   + (f" (holes: {', '.join(cv['holes'][:5])}...)" if cv["holes"] else ""))
    return out


def obligation_lines(rep):
    out = ["  proof (every value of each stated domain):"]
    for o in rep["obligations"]:
        res = "proved" if o["result"] == "proved" else \
            f"COUNTEREXAMPLE ({o['kind']}): {o['counterexample']}"
        out.append(f"    {o['config']}: {o['obligation']} [{o['domain']}]: {res}")
    proved = sum(1 for o in rep["obligations"] if o["result"] == "proved")
    out.append(f"  proved: {proved}/{len(rep['obligations'])} obligations")
    return out


def tally(rep, ids=None):
    its = [x for x in items(rep) if ids is None or x["id"] in ids]
    nf = sum(1 for x in its if x["property"] != "proof")
    return f"{plural(nf, 'finding')}, {plural(len(its) - nf, 'counterexample')}"


def verdict_line(rep):
    if rep.get("mode") == "patch-on-base":
        p = rep["patched"]
        why = ""
        if rep["introduced"] and not rep["failing"]:
            why = f"; none fails: --fail-on {rep['fail-on']}" + (" or the baseline" if rep.get("baseline") else "")
        return (f"verdict: {rep['verdict']} ({len(rep['introduced'])} introduced, {len(rep['fixed'])} fixed, "
                f"{len(rep['unchanged'])} unchanged; {tally(p, set(rep['introduced']))} introduced{why})")
    why = rep.get("accepted_why", {})
    extra = []
    if why.get("baseline"):
        extra.append(f"{why['baseline']} in the baseline")
    if why.get("fail_on"):
        extra.append(f"{why['fail_on']} not failing with --fail-on {why['fail-on']}")
    return f"verdict: {rep['verdict']} ({tally(rep)}" + "".join("; " + e for e in extra) + ")"


def text_single(rep, title=True):
    out = [f"bookedbg gate: {rep['input']} ({rep['release']})"] if title else []
    out += config_lines(rep)
    for x in items(rep):
        out += finding_lines(x)
        if x["id"] in rep.get("accepted", []):
            out[-1] += "  [accepted]"
    out += coverage_lines(rep) + obligation_lines(rep)
    return out


def sides(rep):
    return ", ".join(f"{c} {s['scenarios']} scenarios" for c, s in rep["configs"].items()) or "none"


def text_compare(rep):
    b, p = rep["base"], rep["patched"]
    out = [f"bookedbg gate: {rep['patch']} on {b['input']} ({b['release']})"]
    out += [f"  patch: {rep['patch_summary']}"]
    out += [f"  base:    {sides(b)}", f"  patched: {sides(p)}"]
    for c in rep["removed_configs"]:
        out.append(f"  configuration {c}: removed by the patch (not gated on the patched side)")
    by_id = {x["id"]: x for x in items(b) + items(p)}
    for label in ("introduced", "fixed"):
        out.append(f"  {label} ({len(rep[label])}):")
        for i in rep[label]:
            out += finding_lines(by_id[i])
            if label == "introduced" and i not in rep["failing"]:
                out[-1] += "  [accepted]"
    out.append(f"  unchanged ({len(rep['unchanged'])}): {' '.join(rep['unchanged']) or '-'}")
    return out


def text(rep):
    if rep.get("mode") == "untouched":
        return f"bookedbg gate: {rep['patch']}: {rep['summary']}\nverdict: {rep['verdict']}\n"
    if rep.get("mode") == "prove":
        lines = [f"{o['config']}: {o['obligation']}: domain {o['domain']}: "
                 + ("proved" if o["result"] == "proved" else
                    f"counterexample ({o['kind']}): {o['counterexample']}") for o in rep["obligations"]]
        proved = sum(1 for o in rep["obligations"] if o["result"] == "proved")
        lines.append(f"proved: {proved}/{len(rep['obligations'])} obligations")
        return "\n".join(lines + [verdict_line(rep)]) + "\n"
    lines = text_compare(rep) if rep.get("mode") == "patch-on-base" else text_single(rep)
    return "\n".join(lines + [verdict_line(rep)]) + "\n"


def to_json(rep):
    return json.dumps(rep, indent=1, sort_keys=True) + "\n"


def gated_side(rep):
    """The report whose divergences a dashboard shows: the patched side of a comparison, none for
    a patch that does not touch the debug code."""
    if rep.get("mode") == "untouched":
        return None
    return rep["patched"] if rep.get("mode") == "patch-on-base" else rep


# ---------------------------------------------------------------- JUnit
def junit(rep, path):
    """A testcase per finding and per obligation; failing divergences are failures, accepted
    ones skipped, so `failures` is what the exit status says."""
    side = gated_side(rep)
    failing = set(rep.get("failing", []))
    cases = []
    if side is not None:
        for x in items(side):
            name = x.get("obligation") or f"{x['property']} in {x['function']}"
            body = f"{x['detail']}" + (f" (replay: {x['scenario']})" if x.get("scenario") else "")
            if x["id"] in failing:
                inner = f"<failure message={quoteattr(x['id'] + ': ' + x['property'] + ' (' + x['kind'] + ')')}>" \
                        f"{escape(body)}</failure>"
            else:
                why = "present in the base tree" if rep.get("mode") == "patch-on-base" else "accepted"
                inner = f"<skipped message={quoteattr(why)}/>"
            cases.append((f"gate.{x['config']}", f"{x['id']} {name}", inner))
        for o in side.get("obligations", []):
            if o["result"] == "proved":
                cases.append((f"gate.{o['config']}", f"proof: {o['obligation']}", ""))
        for cfg, st in side.get("configs", {}).items():
            cases.append((f"gate.{cfg}", f"scenarios ({st['profile']} profile, {st['scenarios']})", ""))
    else:
        cases.append(("gate", "the patch does not change the debug code the gate checks", ""))
    nfail = sum(1 for c in cases if c[2].startswith("<failure"))
    nskip = sum(1 for c in cases if c[2].startswith("<skipped"))
    body = "".join(f"  <testcase classname={quoteattr(c)} name={quoteattr(n)}>{i}</testcase>\n"
                   for c, n, i in cases)
    write_atomic(path, f'<?xml version="1.0" encoding="UTF-8"?>\n<testsuite name="bookedbg-gate" '
                       f'tests="{len(cases)}" failures="{nfail}" errors="0" skipped="{nskip}">\n'
                       f'{body}</testsuite>\n')


# ---------------------------------------------------------------- SARIF
def sarif(rep, path, tree=None):
    side = gated_side(rep)
    failing = set(rep.get("failing", []))
    rules, results = {}, []
    for x in items(side) if side else []:
        rule = x["property"] if x["property"] != "proof" else "proof"
        rules.setdefault(rule, {"id": rule, "shortDescription": {"text": f"BookE debug: {rule}"}})
        res = {"ruleId": rule, "level": "error" if x["id"] in failing else "note",
               "message": {"text": f"{x['id']}: {x['detail']}"},
               "partialFingerprints": {"bookedbgId": x["id"]},
               "properties": {"kind": x["kind"], "config": x["config"]}}
        where = x.get("where", "")
        if ":" in where and where.rsplit(":", 1)[1].isdigit():
            f, line = where.rsplit(":", 1)
            loc = {"artifactLocation": {"uri": f}, "region": {"startLine": int(line)}}
            if tree:
                loc["artifactLocation"]["uriBaseId"] = "KERNEL"
            res["locations"] = [{"physicalLocation": loc}]
        if x.get("written_at"):
            f, line = x["written_at"].rsplit(":", 1)
            res["relatedLocations"] = [{"id": 1, "message": {"text": "the register was last written here"},
                                        "physicalLocation": {"artifactLocation": {"uri": f},
                                                             "region": {"startLine": int(line)}}}]
        if x.get("scenario"):
            res["properties"]["scenario"] = x["scenario"]
        results.append(res)
    run = {"tool": {"driver": {"name": "bookedbg-gate", "rules": list(rules.values())}},
           "results": results}
    if tree:
        run["originalUriBaseIds"] = {"KERNEL": {"uri": "file://" + os.path.abspath(tree).rstrip("/") + "/"}}
    write_atomic(path, json.dumps({"$schema": SARIF_SCHEMA, "version": "2.1.0", "runs": [run]}, indent=1) + "\n")
