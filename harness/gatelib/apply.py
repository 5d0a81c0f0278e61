"""Apply a patch series to a copy of the gate's file set, in pure Python.

    apply_series(patches, base_dir, dest_dir, files) -> ApplyResult

patches are recover.Patch objects in order (mail.read_series gives them with
label/steps; plain recover.Patch objects work too).  files is the gate's file
set (kernel-relative paths: extract.KERNEL_FILES plus "Makefile").  The files
of the set that exist in base_dir end up in dest_dir, with every patch's
hunks applied in order:

  * a hunk applies where its old lines (context and removed) match the file
    exactly, searched outward from the header's line plus the offset the
    previous hunk of the file needed, never before the end of the previous
    hunk (patch(1) with no fuzz).  An unquoted hunk that starts at line 1
    must match at the top; one without trailing context must match at the
    end (git apply's rules).  A quoted patch (review mail) may also match
    ignoring whitespace, which is noted;
  * "--- /dev/null" creates a file, "+++ /dev/null" deletes it, a diff whose
    old and new names differ renames it (git "copy" keeps the source); from
    an unquoted git diff also pure renames, copies, empty new files and
    deletions without hunks;
  * a plain diff between two trees ("--- linux.orig/arch/...") has its first
    directory dropped when only that makes its paths known (patch -p1);
  * files outside the set are not written to dest_dir.  Their hunks are
    checked against base_dir when the file is there (so a docs patch that no
    longer applies is reported) and recorded in skipped_files either way.

A hunk that does not apply raises ApplyError
    FILE:LINE: patch 2/3 "subject": hunk 3 (@@ -2010,7 +2010,8 @@) does not apply to PATH
(FILE:LINE = the patch input and the hunk header's line in it; hunks are
numbered per file from 1; e.reason says what was found instead).  Everything
is done in memory first and written to a temporary directory beside dest_dir
that is renamed into place, so an error leaves dest_dir as it was.
"""
import collections
import os
import shutil
import sys

_HARNESS = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
if _HARNESS not in sys.path:
    sys.path.insert(0, _HARNESS)
import extract  # noqa: E402
from .atomic import building

SkippedFile = collections.namedtuple("SkippedFile", "path subject label checked")
SkippedFile.__doc__ = ("A file outside the gate's set a patch touches: checked is True when its "
                       "hunks were checked against base_dir (the file was there).")


def gate_files():
    """The gate's file set: the kernel files extract.py reads, plus the top Makefile (the version)
    and the KVM Kconfig (which configurations the tree still offers)."""
    return list(extract.KERNEL_FILES) + ["Makefile", "arch/powerpc/kvm/Kconfig"]


class ApplyError(Exception):
    """A patch that cannot be applied; str() is 'FILE:LINE: what is wrong'."""

    def __init__(self, path, line, msg, reason=None):
        super().__init__("%s:%d: %s" % (path, line, msg))
        self.path, self.line, self.msg, self.reason = path, line, msg, reason


class ApplyResult:
    """What apply_series did.

    dest           the directory written (dest_dir, absolute)
    touched        set of gate-set paths the series changed (created and deleted included)
    created        set of gate-set paths the series created
    deleted        set of gate-set paths the series deleted (not in dest)
    skipped_files  [SkippedFile(path, subject, label, checked)], one per patch and file outside the set
    missing        gate-set paths that base_dir lacks (and the series did not create)
    copied         gate-set paths copied unchanged from base_dir
    notes          ["FILE:LINE: note: ..."]: hunks applied at an offset or ignoring whitespace
    applied        [(label, number of hunks applied)] per patch, in order
    """

    def __init__(self, dest):
        self.dest = dest
        self.touched, self.created, self.deleted = set(), set(), set()
        self.skipped_files, self.missing, self.copied = [], [], []
        self.notes, self.applied = [], []


class Text:
    """A file as lines without EOL, and whether its last line has one."""

    def __init__(self, lines, eol=True):
        self.lines, self.eol = lines, eol

    @classmethod
    def load(cls, path):
        with open(path, "rb") as fh:
            text = fh.read().decode("utf-8", "surrogateescape")
        if text == "":
            return cls([], True)
        lines = text.split("\n")
        if text.endswith("\n"):
            lines.pop()
            return cls(lines, True)
        return cls(lines, False)

    def dump(self):
        text = "\n".join(self.lines) + ("\n" if self.lines and self.eol else "")
        return text.encode("utf-8", "surrogateescape")


def hunk_header(h):
    old, new = h.declared if h.declared != (0, 0) else (h.old_count, h.new_count)
    return "@@ -%d,%d +%d,%d @@" % (h.old_start, old, h.new_start, new)


def norm(line):
    return " ".join(line.split())


def find(lines, old, expected, floor, only=None, loose=False):
    """Index where old matches lines, searching outward from expected
    (forward first, as patch does), never before floor."""
    k, hi = len(old), len(lines) - len(old)
    if hi < floor:
        return None
    if loose:
        hay, old = [norm(l) for l in lines], [norm(l) for l in old]
    else:
        hay = lines
    first = old[0]

    def ok(p):
        return hay[p] == first and hay[p:p + k] == old

    if only is not None:
        return only if floor <= only <= hi and ok(only) else None
    expected = min(max(expected, floor), hi)
    if ok(expected):
        return expected
    for d in range(1, max(expected - floor, hi - expected) + 1):
        if expected + d <= hi and ok(expected + d):
            return expected + d
        if expected - d >= floor and ok(expected - d):
            return expected - d
    return None


class Applier:
    def __init__(self, base_dir, files):
        self.base = base_dir
        self.files = list(files)
        self.fileset = set(files)
        self.state = {}          # path -> Text, or None when absent/deleted
        self.result = None

    def get(self, path):
        if path not in self.state:
            full = os.path.join(self.base, path)
            self.state[path] = Text.load(full) if os.path.isfile(full) else None
        return self.state[path]

    def fail(self, p, line, msg, reason=None):
        raise ApplyError(p.input, line, "%s: %s" % (p.label, msg), reason)

    def skip(self, p, path, checked):
        s = SkippedFile(path, p.subject, p.label, checked)
        if s not in self.result.skipped_files:
            self.result.skipped_files.append(s)

    def mark(self, path, how=None):
        if path in self.fileset:
            self.result.touched.add(path)
            if how == "created":
                self.result.created.add(path)
                self.result.deleted.discard(path)
            elif how == "deleted":
                self.result.deleted.add(path)
                self.result.created.discard(path)

    # ------------------------------------------------------------ hunks

    def apply_hunks(self, p, fp, text, name):
        lines, eol = list(text.lines), text.eol
        # delta: lines the earlier hunks added (so old_start + delta is where
        # the hunk goes in the text as patched so far); offset: how far off
        # the previous hunk was found (later hunks are looked for there first).
        delta, offset, floor = 0, 0, 0
        exact = getattr(p, "depth", 0) == 0
        for n, h in enumerate(fp.hunks, 1):
            old = [x for t, x, _ in h.lines if t in " -"]
            new = [x for t, x, _ in h.lines if t in " +"]
            new_noeol = False
            for i, (t, _, _) in enumerate(h.lines):
                if t == "\\" and i > 0 and h.lines[i - 1][0] in " +":
                    new_noeol = True
            loose = False
            if not old:
                # Pure insertion (diff -U0, or a new file): after line old_start.
                pos = h.old_start + delta + offset
                if not floor <= pos <= len(lines):
                    self.fail(p, h.src, "hunk %d (%s) does not apply to %s" % (n, hunk_header(h), name),
                              "%s has %d lines" % (name, len(lines)))
                shift = pos - (h.old_start + delta)
            else:
                tags = [t for t, _, _ in h.lines if t in " +-"]
                lead = next((i for i, t in enumerate(tags) if t != " "), len(tags))
                trail = next((i for i, t in enumerate(reversed(tags)) if t != " "), len(tags))
                only = None
                if exact and h.exact and lead + trail > 0:
                    if h.old_start <= 1 and lead < trail:
                        only = 0
                    elif trail == 0:
                        only = len(lines) - len(old)
                expected = h.old_start - 1 + delta + offset
                pos = find(lines, old, expected, floor, only)
                if pos is None and not exact:
                    pos = find(lines, old, expected, floor, only, loose=True)
                    loose = pos is not None
                if pos is None:
                    self.fail(p, h.src, "hunk %d (%s) does not apply to %s" % (n, hunk_header(h), name),
                              self.why(lines, old, new, floor, only))
                shift = pos - (h.old_start - 1 + delta)
                if loose:
                    # Keep the file's own text for context lines.
                    k, merged = 0, []
                    for t, x, _ in h.lines:
                        if t == " ":
                            merged.append(lines[pos + k])
                            k += 1
                        elif t == "-":
                            k += 1
                        elif t == "+":
                            merged.append(x)
                    new = merged
            ends = pos + len(old) == len(lines)
            lines[pos:pos + len(old)] = new
            if ends:
                eol = not new_noeol
            if shift or loose:
                self.result.notes.append("%s:%d: note: %s: hunk %d of %s applied%s%s" % (
                    p.input, h.src, p.label, n, name,
                    " at offset %+d line%s" % (shift, "" if abs(shift) == 1 else "s") if shift else "",
                    " ignoring whitespace (quoted mail)" if loose else ""))
            offset = shift
            delta += len(new) - len(old)
            floor = pos + len(new)
        return Text(lines, eol)

    @staticmethod
    def why(lines, old, new, floor, only):
        if new and find(lines, new, 0, 0) is not None:
            return "the patched text is already there (already applied?)"
        if only is not None and find(lines, old, 0, floor) is not None:
            return "the context matches, but not at the %s of the file" % ("top" if only == 0 else "end")
        if find(lines, old, 0, 0) is not None:
            return "the context matches only before an earlier hunk of the same file"
        if find(lines, old, 0, 0, loose=True) is not None:
            return "the context matches only when whitespace is ignored"
        return "the context lines are not in the file"

    # ------------------------------------------------------------ files

    def apply_file(self, p, fp):
        old, new = fp.old_path, fp.new_path
        creating, deleting = old == "/dev/null", new == "/dev/null"
        in_set = old in self.fileset or new in self.fileset
        line = fp.hunks[0].src if fp.hunks else fp.src
        if creating:
            if self.get(new) is not None:
                self.fail(p, fp.src, "creates %s, which already exists" % new)
            text, name = Text([], True), new
        else:
            text, name = self.get(old), old
            if text is None:
                if in_set:
                    self.fail(p, line, "%s: no such file in %s" % (old, self.base))
                self.skip(p, fp.path, False)
                return 0
        out = self.apply_hunks(p, fp, text, name)
        if not in_set:
            self.skip(p, fp.path, True)
        if deleting:
            if out.lines:
                self.fail(p, fp.src, "deletes %s, but %d line(s) of it are not removed by the patch"
                          % (old, len(out.lines)))
            self.state[old] = None
            self.mark(old, "deleted")
        elif creating:
            self.state[new] = out
            self.mark(new, "created")
        elif old != new:
            if self.get(new) is not None:
                self.fail(p, fp.src, "%s %s to %s, which already exists" % (
                    "copies" if getattr(fp, "copy", False) else "renames", old, new))
            if not getattr(fp, "copy", False):
                self.state[old] = None
                self.mark(old, "deleted")
            self.state[new] = out
            self.mark(new, "created")
        else:
            self.state[new] = out
            self.mark(new)
        return len(fp.hunks)

    def apply_op(self, p, op):
        kind, old, new, path = op["kind"], op["old"], op["new"], op["path"]
        in_set = old in self.fileset or new in self.fileset
        if kind == "binary":
            if in_set:
                self.fail(p, op["src"], "binary change to %s cannot be applied" % path)
            self.skip(p, path, False)
            return
        if kind == "create-empty":
            if self.get(new) is not None:
                self.fail(p, op["src"], "creates %s, which already exists" % new)
            self.state[new] = Text([], True)
            self.mark(new, "created")
        else:
            text = self.get(old)
            if text is None:
                if in_set:
                    self.fail(p, op["src"], "%s: no such file in %s" % (old, self.base))
                self.skip(p, path, False)
                return
            if kind == "delete":
                self.state[old] = None
                self.mark(old, "deleted")
            else:
                if self.get(new) is not None:
                    self.fail(p, op["src"], "%s %s to %s, which already exists" % (
                        "renames" if kind == "rename" else "copies", old, new))
                self.state[new] = Text(list(text.lines), text.eol)
                self.mark(new, "created")
                if kind == "rename":
                    self.state[old] = None
                    self.mark(old, "deleted")
        if not in_set:
            self.skip(p, path, True)

    def known(self, path):
        if path == "/dev/null":
            return False
        if path in self.state:
            return self.state[path] is not None
        return path in self.fileset or os.path.isfile(os.path.join(self.base, path))

    def strip_paths(self, p, steps):
        """A plain diff between two trees ("--- linux.orig/arch/..") names
        paths with one more leading directory: when none of the patch's
        paths is known as written and some are without their first
        component, drop it everywhere (patch -p1)."""
        pairs = []
        for kind, obj in steps:
            if kind == "file":
                pairs.append((obj, "old_path", obj.old_path))
                pairs.append((obj, "new_path", obj.new_path))
            else:
                pairs += [(obj, key, obj[key]) for key in ("old", "new", "path")]
        paths = [x for _, _, x in pairs if x != "/dev/null"]
        if not paths or any(self.known(x) for x in paths):
            return

        def strip(x):
            return x if x == "/dev/null" or "/" not in x else x.split("/", 1)[1]
        if not any(self.known(strip(x)) for x in paths):
            return
        for obj, key, x in pairs:
            if isinstance(obj, dict):
                obj[key] = strip(x)
            else:
                setattr(obj, key, strip(x))
        self.result.notes.append("%s:%d: note: %s: paths read without their first directory "
                                 "(like patch -p1): %s -> %s" % (p.input, getattr(p, "src", 1), p.label,
                                                                 paths[0], strip(paths[0])))

    def run(self, patches):
        for i, p in enumerate(patches):
            if not hasattr(p, "label"):
                p.label = 'patch %d/%d "%s"' % (i + 1, len(patches), os.path.basename(p.source))
            if not hasattr(p, "input"):
                p.input = p.source
            if not hasattr(p, "subject"):
                p.subject = os.path.basename(p.source)
            steps = getattr(p, "steps", None) or [("file", f) for f in p.files]
            self.strip_paths(p, steps)
            count = 0
            for kind, obj in steps:
                if kind == "file":
                    count += self.apply_file(p, obj)
                else:
                    self.apply_op(p, obj)
            self.result.applied.append((p.label, count))


def apply_series(patches, base_dir, dest_dir, files):
    """Copy the set's files from base_dir, apply the patches, write dest_dir
    (replaced whole, atomically).  Raises ApplyError; dest_dir is then untouched."""
    if not os.path.isdir(base_dir):
        raise ApplyError(base_dir, 0, "not a directory")
    dest = os.path.abspath(dest_dir)
    if os.path.realpath(dest) == os.path.realpath(base_dir):
        raise ApplyError(dest_dir, 0, "is the base tree itself; give another directory")
    ap = Applier(base_dir, files)
    ap.result = res = ApplyResult(dest)
    ap.run(patches)
    if os.path.exists(dest) and not os.path.isdir(dest):
        raise ApplyError(dest_dir, 0, "exists and is not a directory")
    with building(dest) as tmp:
        for rel in ap.files:
            target = os.path.join(tmp, rel)
            if rel in res.touched:
                text = ap.state.get(rel)
                if text is None:
                    continue
                os.makedirs(os.path.dirname(target), exist_ok=True)
                with open(target, "wb") as fh:
                    fh.write(text.dump())
                src = os.path.join(base_dir, rel)
                if os.path.isfile(src):
                    shutil.copymode(src, target)
            else:
                src = os.path.join(base_dir, rel)
                if not os.path.isfile(src):
                    res.missing.append(rel)
                    continue
                os.makedirs(os.path.dirname(target), exist_ok=True)
                shutil.copy2(src, target)
                res.copied.append(rel)
    return res


def summary(series, res):
    """One clause on what the series did, e.g. '2 patches apply (cover letter skipped); they
    change arch/powerpc/kvm/booke.c; outside the gate's files: Documentation/virt/kvm/api.rst'."""
    n = len(series)
    text = "%d patch%s" % (n, "es" if n != 1 else "")
    if 1 <= n <= 3:
        text += " (%s)" % ", ".join('"%s"' % p.label.split('"', 1)[1].rstrip('"')
                                    if '"' in getattr(p, "label", "") else getattr(p, "subject", "?")
                                    for p in series)
    text += " applies" if n == 1 else " apply"
    left = [r for _, _, r in getattr(series, "skipped", [])]
    if left:
        kinds = sorted(set(left))
        text += " (%s skipped)" % ", ".join("%d %s" % (left.count(k), k) if left.count(k) > 1 else k
                                            for k in kinds)
    offsets = sum(1 for note in res.notes if " applied " in note)
    if offsets:
        text += " (%d hunk%s not where the header says)" % (offsets, "s" if offsets != 1 else "")
    they = "it" if n == 1 else "they"
    outside = sorted(set(s.path for s in res.skipped_files))
    if res.touched:
        text += "; %s change%s %s" % (they, "s" if n == 1 else "", ", ".join(sorted(res.touched)))
        if outside:
            text += "; outside the gate's files: %s" % ", ".join(outside)
    else:
        text += "; %s change%s none of the files the gate reads" % (they, "s" if n == 1 else "")
        if outside:
            text += " (only %s)" % ", ".join(outside)
    return text
