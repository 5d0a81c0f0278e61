"""From violations to findings: one per distinct defect (property, function, code, kind and the
kernel line that diverges), each shrunk, re-run on its shrunk scenario so that its message, its
scenario statement and its kernel line are those of what is saved, and written as a .scn file
that `bookedbg replay` runs."""
import hashlib
import os
import shutil

ID_PREFIX = {"finding": "BKD", "obligation": "BKP"}


def item_id(kind, *parts):
    h = hashlib.sha256("|".join(parts).encode()).hexdigest()[:8]
    return f"{ID_PREFIX[kind]}-{h}"


def line_map(manifest, xdir):
    """"file:line" -> text for every extracted kernel line (the locations the harness reports)."""
    out = {}
    for it in manifest.get("items", []):
        if "path" not in it or "file" not in it:
            continue
        try:
            with open(os.path.join(xdir, it["path"]), encoding="utf-8", errors="replace") as f:
                text = f.read().splitlines()
        except OSError:
            continue
        for k, t in enumerate(text):
            out[f"{it['file']}:{it['line_start'] + k}"] = t
    return out


def function_ranges(manifest):
    """function -> [(file, first line, last line)] of what was extracted of it."""
    out = {}
    for it in manifest.get("items", []):
        if it["kind"] in ("function", "inline", "fragment") and "line_end" in it:
            out.setdefault(it["name"], []).append((it["file"], it["line_start"], it["line_end"]))
    return out


def function_line(manifest, name):
    for it in manifest.get("items", []):
        if it["name"] == name:
            return f"{it['file']}:{it['line_start']}"
    return "?"


def shown_path(path):
    """Relative to the working directory when below it, else absolute."""
    a, cwd = os.path.abspath(path), os.getcwd()
    return os.path.relpath(a, cwd) if a.startswith(cwd + os.sep) else a


def fresh_folder(path):
    """Findings of a run never mix with an earlier run's."""
    shutil.rmtree(path, ignore_errors=True)
    os.makedirs(path)
    return path


def collect(h, scenarios, results):
    """{signature: (violation, scenario)}, the first scenario showing each distinct defect."""
    seen = {}
    for r in results:
        sc = scenarios[r["scenario"]] if r["scenario"] < len(scenarios) else ""
        for v in r["violations"]:
            sig = h.signature(sc, v)
            if sig not in seen:
                seen[sig] = (v, sc)
    return seen


def write_scn(path, fid, f, source, config, scenario, stmt=None):
    """The saved scenario: a comment header, the input and configuration, then the statements.
    Returns the line in this file of the scenario's statement number stmt (None without one)."""
    header = [f"# bookedbg gate scenario {fid}: {f['property']} ({f['kind']}) in {f['function']}",
              f"# {f['detail']}"]
    at = None
    if stmt:
        at = stmt + len(header) + 3          # this line, then input and config
        header.append(f"# shows at line {at}: {f.get('stmt_text', '')}")
    tmp = path + ".tmp"
    with open(tmp, "w", encoding="utf-8") as fh:
        fh.write("\n".join(header) + f"\ninput {source}\nconfig {config}\n" + scenario)
    os.replace(tmp, path)
    return at


def findings(h, manifest, scenarios, results, source, folder):
    """The findings of one configuration, with their .scn files written into folder."""
    out = []
    h.map_traces([v for r in results for v in r["violations"]])
    for sig, (v, sc) in sorted(collect(h, scenarios, results).items()):
        small = h.shrink(sc, sig) if sc else sc
        # the message, statement and kernel line are those of the scenario that is saved
        w = (h.matching(small, sig) if small and small != sc else None) or v
        prop, fn, code, kind, kline = sig
        fid = item_id("finding", h.config, prop, fn, code, kind, kline)
        kl = h.kernel_line(w)
        # the finding sits in its function; a register write elsewhere is named beside it
        where = kl if kl and h.in_function(kl, fn) else function_line(manifest, fn)
        f = {"id": fid, "property": prop, "kind": kind, "code": code, "function": fn,
             "where": where, "kernel_line": kline, "config": h.config, "profile": h.profile,
             "detail": w["detail"], "steps": small.count("\n")}
        if w.get("kline") and where != w["kline"]:
            f["written_at"] = w["kline"]      # the register write behind it, outside the function
        stmt = w.get("stmt") if small else None
        if stmt:
            f["stmt_text"] = w.get("stmt_text", "")
        path = os.path.join(folder, fid + ".scn")
        at = write_scn(path, fid, f, source, h.config, small, stmt)
        if at:
            f["stmt"] = at
        f["scenario"] = shown_path(path)
        out.append(f)
    return out
