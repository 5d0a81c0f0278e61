#!/usr/bin/env python3
"""Recover a unified diff from a plain patch, a git format-patch mbox, or a
review reply that quotes the patch.

Review replies damage the patch in known ways, and each is undone here:
  * the patch sits at some quote depth ("> > "); other depths are reviewer
    text and are dropped;
  * the mail client wrapped long lines: the tail shows up on the next line
    at a LOWER quote depth and is joined back;
  * quoting ate the leading space of context lines ("> > \\tu32 x;");
  * the reviewer cut parts of the patch, leaving "..." (an elision).
An unquoted patch is exact: there a "-- " line that its hunk still owes as
an old line is the removed line "- ", not the signature separator.
Hunk line counts are always recounted.  The counts in the "@@" header are
used only as evidence: to drop trailing junk that overshoots them, and to
tell whether an elision really cut lines (if the recount still matches the
header, the elision cut nothing and the hunk stays whole).

usage: recover.py [--json] FILE
Bad input: "FILE:LINE: what is wrong" on stderr, exit 2.
"""
import json
import os
import re
import sys

WRAP_WIDTH = 72   # narrowest common mail-client wrap column
SIGNATURE_SEP = ("-- ", "--")   # format-patch signature separator
ELISIONS = {"...", "[...]", "[ ... ]", "[snip]", "<snip>", "\u2026"}

HUNK_RE = re.compile(r"^@@ -(\d+)(?:,(\d+))? \+(\d+)(?:,(\d+))? @@ ?(.*)$")
QUOTE_RE = re.compile(r"^>(?: ?>)*")


class RecoverError(Exception):
    """Bad input; str() is the 'FILE:LINE: what' message."""

    def __init__(self, path, line, msg):
        super().__init__("%s:%d: %s" % (path, line, msg))
        self.path, self.line, self.msg = path, line, msg


class Hunk:
    def __init__(self, old_start, new_start, section, src, declared):
        self.old_start, self.new_start = old_start, new_start
        self.section = section
        self.src = src              # line of the "@@" header in the input
        self.declared = declared    # (old, new) counts the header claimed
        self.lines = []             # [(tag, text, src_line)], tag in " +-\\"
        self.breaks = []            # [(index into lines, src_line)] elisions
        self.exact = True           # False: start is only a lower bound

    @property
    def old_count(self):
        return sum(1 for t, _, _ in self.lines if t in " -")

    @property
    def new_count(self):
        return sum(1 for t, _, _ in self.lines if t in " +")

    def header(self):
        s = "@@ -%d,%d +%d,%d @@" % (self.old_start, self.old_count,
                                     self.new_start, self.new_count)
        return s + (" " + self.section if self.section else "")

    def to_dict(self):
        tags = {" ": "context", "+": "added", "-": "removed", "\\": "marker"}
        return {"old_start": self.old_start, "new_start": self.new_start,
                "old_count": self.old_count, "new_count": self.new_count,
                "section": self.section, "exact": self.exact, "src": self.src,
                "lines": [{"tag": tags[t], "text": x, "src": s}
                          for t, x, s in self.lines]}


class FilePatch:
    def __init__(self, old_path, new_path, src):
        self.old_path, self.new_path, self.src = old_path, new_path, src
        self.hunks = []

    @property
    def path(self):
        """Kernel-relative path of the file after the patch."""
        return self.new_path if self.new_path != "/dev/null" else self.old_path

    def to_dict(self):
        return {"old_path": self.old_path, "new_path": self.new_path,
                "src": self.src, "hunks": [h.to_dict() for h in self.hunks]}


class Patch:
    def __init__(self, source, depth, eaten):
        self.source, self.depth, self.eaten = source, depth, eaten
        self.files = []
        self.notes = []   # [(src_line, message)] things worth a warning

    def to_diff(self):
        out = []
        for f in self.files:
            a = "/dev/null" if f.old_path == "/dev/null" else "a/" + f.old_path
            b = "/dev/null" if f.new_path == "/dev/null" else "b/" + f.new_path
            name = f.new_path if f.new_path != "/dev/null" else f.old_path
            out.append("diff --git a/%s b/%s" % (
                f.old_path if f.old_path != "/dev/null" else name, name))
            out += ["--- " + a, "+++ " + b]
            for h in f.hunks:
                out.append(h.header())
                out += [t + x for t, x, _ in h.lines]
        return "\n".join(out) + "\n"

    def to_dict(self):
        return {"source": self.source, "quote_depth": self.depth,
                "context_space_eaten": self.eaten,
                "files": [f.to_dict() for f in self.files],
                "notes": [{"src": s, "note": n} for s, n in self.notes]}


def read_lines(path):
    """Lines without EOL; bytes that are not UTF-8 survive (surrogateescape)."""
    with open(path, "rb") as fh:
        data = fh.read()
    text = data.decode("utf-8", "surrogateescape")
    return [l.rstrip("\r") for l in text.split("\n")][:-1 if text.endswith("\n") else None]


def split_quote(line):
    """(depth, prefix_length, body) with one separator space after the
    quote marks removed from body."""
    m = QUOTE_RE.match(line)
    if not m:
        return 0, 0, line
    n = m.end()
    depth = m.group(0).count(">")
    if line[n:n + 1] == " ":
        n += 1
    return depth, n, line[n:]


def is_marker(body):
    return (body.startswith(("diff --git ", "--- a/", "+++ b/", "--- /dev/null",
                             "+++ /dev/null")) or HUNK_RE.match(body) is not None)


def patch_depth(parsed):
    """The quote depth at which the patch's own markers appear most often."""
    counts = {}
    for d, _, body in parsed:
        if is_marker(body):
            counts[d] = counts.get(d, 0) + 1
    if not counts:
        return None
    return max(sorted(counts), key=lambda d: counts[d])


def is_elision(depth, pdepth, body):
    s = body.strip()
    if s in ("[...]", "[ ... ]", "[snip]", "<snip>"):
        return True
    return depth < pdepth and s in ELISIONS


def is_continuation(prev_raw, depth, pdepth, body, prefix_len):
    """Is this lower-depth line the tail of a wrapped patch line?  The
    client that wrapped saw the previous line without our outer quote
    prefix; it wrapped because the next word did not fit."""
    if depth >= pdepth or not body.strip() or prev_raw is None:
        return False
    seen = len(prev_raw) - prefix_len
    return seen + 1 + len(body.split()[0]) > WRAP_WIDTH


def logical_lines(raw, pdepth):
    """Patch-depth lines with wrapped tails re-joined, plus elision marks.
    Yields ("line", body, src) and ("elision", None, src)."""
    parsed = [split_quote(l) for l in raw]
    out = []
    prev_patch = None    # raw text of the last patch-depth line, for wraps
    for i, (d, plen, body) in enumerate(parsed):
        src = i + 1
        if d == pdepth:
            if is_elision(d, pdepth, body):
                out.append(["elision", None, src])
                prev_patch = None
                continue
            # "diff --git a/x" whose " b/x" was wrapped onto a line at the
            # same depth (the original sender's client wrapped it).
            if (out and out[-1][0] == "line" and out[-1][1].startswith("diff --git ")
                    and " b/" not in out[-1][1] and body.startswith("b/")):
                out[-1][1] += " " + body
                continue
            out.append(["line", body, src])
            prev_patch = raw[i]
        elif is_elision(d, pdepth, body):
            out.append(["elision", None, src])
            prev_patch = None
        elif out and out[-1][0] == "line" and is_continuation(prev_patch, d, pdepth, body, plen):
            out[-1][1] = out[-1][1].rstrip(" ") + " " + body.strip()
            prev_patch = raw[i]    # a long tail may itself have been wrapped
        else:
            prev_patch = None    # reviewer text: drop it
    return out


def detect_eaten(items):
    """True when quoting ate the leading space of context lines: inside
    hunks we then see lines that start with neither a diff marker nor a
    space (tabs, letters, '#', '}') more often than lines with a space."""
    eaten = spaced = 0
    in_hunk = False
    for kind, body, _ in items:
        if kind != "line":
            continue
        if HUNK_RE.match(body):
            in_hunk = True
        elif body.startswith("diff --git ") or body.rstrip() in SIGNATURE_SEP:
            in_hunk = False
        elif in_hunk and body:
            if body[0] == " ":
                spaced += 1
            elif body[0] not in "+-\\@":
                eaten += 1
    return eaten > spaced


def strip_prefix(path):
    path = path.strip().split("\t")[0]
    if path == "/dev/null":
        return path
    return path[2:] if path[:2] in ("a/", "b/") else path


class Parser:
    def __init__(self, name, items, depth, eaten):
        self.name, self.items = name, items
        self.patch = Patch(name, depth, eaten)
        self.file = None
        self.hunk = None

    def fail(self, src, msg):
        raise RecoverError(self.name, src, msg)

    def classify(self, body):
        """(tag, text) for a line inside a hunk, or None if it ends the hunk."""
        if body.rstrip() in SIGNATURE_SEP and not self.owes_removed_line():
            return None
        if body == "":
            return " ", ""
        c = body[0]
        if c in "+-\\":
            return c, body[1:]
        if c == " ":
            return " ", body if self.patch.eaten else body[1:]
        return (" ", body) if self.patch.eaten else None

    def owes_removed_line(self):
        """An unquoted patch is exact: while its hunk still owes old lines
        (by the header's count), "-- " is the removed line "- ", not the
        format-patch signature separator (git apply counts the same way)."""
        h = self.hunk
        return (self.patch.depth == 0 and h is not None and not h.breaks
                and h.old_count < h.declared[0])

    def finish_hunk(self):
        h, self.hunk = self.hunk, None
        if h is None:
            return
        if not any(t in " +-" for t, _, _ in h.lines):
            self.fail(h.src, "hunk has no lines")
        dold, dnew = h.declared
        # Trailing context beyond what the header claims is mail junk
        # (footers, blank lines), not patch text.
        while (h.lines and h.lines[-1][0] == " " and not h.breaks
               and (h.old_count > dold or h.new_count > dnew)):
            h.lines.pop()
        if h.breaks and (h.old_count, h.new_count) == (dold, dnew):
            for _, src in h.breaks:
                self.patch.notes.append((src, "elision cut no patch lines (hunk at line %d still "
                                              "matches its header); hunk kept whole" % h.src))
            h.breaks = []
        if not h.breaks:
            if (h.old_count, h.new_count) != (dold, dnew):
                self.patch.notes.append((h.src, "hunk header says -%d,%d +%d,%d; recounted -%d,%d +%d,%d"
                                         % (h.old_start, dold, h.new_start, dnew, h.old_start,
                                            h.old_count, h.new_start, h.new_count)))
            self.file.hunks.append(h)
            return
        # The elision cut lines: split; later parts have unknown starts, so
        # give the lowest possible one and mark it inexact.
        cuts = [i for i, _ in h.breaks] + [len(h.lines)]
        start, prev = 0, None
        for cut, src in zip(cuts, [h.src] + [s for _, s in h.breaks]):
            part = Hunk(h.old_start, h.new_start, h.section, src, (0, 0))
            part.lines = h.lines[start:cut]
            if prev is not None:
                part.old_start = prev.old_start + prev.old_count
                part.new_start = prev.new_start + prev.new_count
                part.exact = False
                self.patch.notes.append((src, "elision cut patch lines; next hunk starts at or after "
                                              "-%d +%d" % (part.old_start, part.new_start)))
            if part.lines:
                self.file.hunks.append(part)
                prev = part
            start = cut

    def finish_file(self):
        self.finish_hunk()
        if self.file is not None and self.file.hunks:
            self.patch.files.append(self.file)
        self.file = None

    def start_file(self, old, new, src):
        self.finish_file()
        self.file = FilePatch(old, new, src)

    def run(self):
        items = self.items
        i = 0
        while i < len(items):
            kind, body, src = items[i]
            nxt = items[i + 1][1] if i + 1 < len(items) and items[i + 1][0] == "line" else None
            i += 1
            if kind == "elision":
                if self.hunk is not None:
                    self.hunk.breaks.append((len(self.hunk.lines), src))
                continue
            if body.startswith("diff --git "):
                m = re.match(r"diff --git (\S+) (\S+)\s*$", body)
                if not m:
                    self.fail(src, "cannot parse 'diff --git' line")
                self.start_file(strip_prefix(m.group(1)), strip_prefix(m.group(2)), src)
                continue
            if body.startswith("--- ") and nxt is not None and nxt.startswith("+++ "):
                if self.file is None or self.file.hunks or self.hunk is not None:
                    self.start_file(strip_prefix(body[4:]), strip_prefix(nxt[4:]), src)
                else:
                    self.file.old_path, self.file.new_path = strip_prefix(body[4:]), strip_prefix(nxt[4:])
                i += 1
                continue
            if body.startswith("@@"):
                m = HUNK_RE.match(body)
                if not m:
                    self.fail(src, "cannot parse hunk header %r" % body)
                if self.file is None:
                    self.fail(src, "hunk header outside a file section (no 'diff --git' or '---/+++' before it)")
                self.finish_hunk()
                a, b, c, d, sect = m.groups()
                self.hunk = Hunk(int(a), int(c), sect.strip(), src,
                                 (1 if b is None else int(b), 1 if d is None else int(d)))
                continue
            if self.hunk is not None:
                tl = self.classify(body)
                if tl is not None:
                    self.hunk.lines.append((tl[0], tl[1], src))
                    continue
                if body.rstrip() in SIGNATURE_SEP:
                    self.finish_file()
                else:
                    self.finish_hunk()
        self.finish_file()
        if not self.patch.files:
            self.fail(1, "no patch found (no hunks under a 'diff --git' or '---/+++' header)")
        return self.patch


def recover_lines(raw, name="<input>"):
    parsed = [split_quote(l) for l in raw]
    depth = patch_depth(parsed)
    if depth is None:
        raise RecoverError(name, 1, "no patch found (no 'diff --git', '---/+++' or '@@' lines)")
    items = logical_lines(raw, depth)
    eaten = depth > 0 and detect_eaten(items)
    return Parser(name, items, depth, eaten).run()


def recover(path):
    try:
        raw = read_lines(path)
    except OSError as e:
        raise RecoverError(path, 0, "cannot read: %s" % (e.strerror or e))
    return recover_lines(raw, path)


def write_out(stream, text):
    stream.buffer.write(text.encode("utf-8", "surrogateescape"))
    stream.flush()


def main(argv):
    args = [a for a in argv if a != "--json"]
    if len(args) != 1 or args[0].startswith("-"):
        sys.stderr.write("usage: recover.py [--json] FILE\n")
        return 2
    path = args[0]
    try:
        patch = recover(path)
    except RecoverError as e:
        sys.stderr.write(str(e) + "\n")
        return 2
    except Exception as e:  # a bug must not look like a traceback on bad input
        if os.environ.get("BOOKEDBG_DEBUG"):
            raise
        sys.stderr.write("%s:0: internal error: %s: %s\n" % (path, type(e).__name__, e))
        return 2
    for src, note in patch.notes:
        sys.stderr.write("%s:%d: note: %s\n" % (path, src, note))
    if "--json" in argv:
        write_out(sys.stdout, json.dumps(patch.to_dict(), indent=1, sort_keys=True) + "\n")
    else:
        write_out(sys.stdout, patch.to_diff())
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
