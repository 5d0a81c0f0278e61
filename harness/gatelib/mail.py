"""Read one patch or a series out of whatever the user has.

    read_series(path) -> Series (a list of recover.Patch, in the order to apply)

FILE may be a plain `git diff` / `diff -u`, one `git format-patch` mail, an
mbox holding a series (several mails, each starting with a "From <sha> Mon Sep
17 00:00:00 2001" line; a "[PATCH 0/N]" cover letter without a diff is
skipped), a mail whose body or attachment is quoted-printable or base64
(decoded with the standard `email` package), or a review reply that quotes
the patch (recover.py undoes the quoting).

Each element is the recover.Patch of one patch with these attributes added:
    subject  the mail's Subject ("[PATCH 2/3] KVM: PPC: ...") or the file name
    src      line in FILE where that mail (or the plain patch) starts
    number   (k, n) from "[PATCH k/n]", or None
    label    'patch 2/3 "KVM: PPC: ..."', as errors name the patch
    input    FILE
    mail     True when the patch came out of a mail
    ops      file operations without hunks, from an unquoted git diff:
             dicts {kind: rename|copy|create-empty|delete|binary, old, new, path, src}
    steps    [("file", recover.FilePatch) | ("op", dict)] in patch order
Every src line of the patch (files, hunks, hunk lines, notes) is a line of
FILE.  For a quoted-printable body the lines are exact; for a base64 body
every line is the line where that body starts.

An unquoted patch (plain diff or format-patch) must be complete: a hunk with
fewer lines than its "@@" header declares, or a diff that ends inside a file
header, is reported as truncated before anything is applied.  (recover.py
recounts hunks on purpose, for damaged review mails; a quoted patch is not
held to its headers.)

Errors: MailError (a recover.RecoverError), str() "FILE:LINE: what is wrong".
"""
import binascii
import email
import email.header
import email.policy
import os
import re
import sys

_HARNESS = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
if _HARNESS not in sys.path:
    sys.path.insert(0, _HARNESS)
import recover  # noqa: E402


class MailError(recover.RecoverError):
    """Bad patch input; str() is the one-line 'FILE:LINE: what' message."""


class Series(list):
    """The patches to apply, in order, plus what was left out and why."""

    def __init__(self, patches=(), skipped=(), notes=()):
        super().__init__(patches)
        self.skipped = list(skipped)   # [(src_line, subject, reason)]
        self.notes = list(notes)       # [(src_line, note)]


_DAYS = "(?:Mon|Tue|Wed|Thu|Fri|Sat|Sun)"
_MONTHS = "(?:Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec)"
# The mbox "From_" line: "From 1a2b... Mon Sep 17 00:00:00 2001" (git), or
# "From user@host Thu Apr 25 10:00:00 2013" (mail clients).
FROM_RE = re.compile(r"^From \S+ +%s +%s +\d{1,2} +\d{1,2}:\d\d(?::\d\d)?\b.*\b\d{4}\b.*$"
                     % (_DAYS, _MONTHS))
HEADER_RE = re.compile(r"^([!-9;-~]+):")
MAIL_HEADERS = {"from", "subject", "date", "message-id", "to", "cc", "mime-version",
                "content-type", "content-transfer-encoding", "return-path", "received",
                "delivered-to", "in-reply-to", "references", "x-mailer", "reply-to"}
TAG_RE = re.compile(r"^\s*(?:(?:re|fwd?|aw)\s*:\s*)*\[([^\]]*)\]", re.I)
REPLY_RE = re.compile(r"^\s*re\s*:", re.I)
EMPTY_BLOBS = re.compile(r"^(0+|e69de29(bb2d1d6434b8b29ae775ad8c2e48c5391)?)$")
GIT_DIFF_RE = re.compile(r"^diff --git (\S+) (\S+)\s*$")
TEXT_CHARSETS = {"utf-8", "utf8", "us-ascii", "ascii"}


class Unit:
    """One candidate patch: decoded lines and, for each, its line in FILE."""

    def __init__(self, lines, smap, subject, src, is_mail, nodiff=False, at_eof=False):
        self.lines, self.smap = lines, smap
        self.subject, self.src = subject, src
        self.is_mail, self.nodiff = is_mail, nodiff
        self.at_eof = at_eof   # the unit's last line is the input's last line, as read
        self.number = parse_number(subject) if is_mail else None
        self.reply = bool(is_mail and REPLY_RE.match(subject or ""))


def parse_number(subject):
    """(k, n) from a "[PATCH v2 3/7]" subject tag, or None."""
    m = TAG_RE.match(subject or "")
    if not m:
        return None
    k = re.search(r"(?<![\d/])(\d+)/(\d+)(?![\d/])", m.group(1))
    return (int(k.group(1)), int(k.group(2))) if k else None


def title_of(subject):
    """The subject without its leading "[PATCH ...]" tags."""
    return re.sub(r"^\s*(?:\[[^\]]*\]\s*)+", "", subject or "").strip() or subject


# ------------------------------------------------------------ reading

def looks_binary(data):
    """A NUL byte, or more than 1% control characters (not tab, newline,
    carriage return, form feed, vertical tab or escape) in the first 64 KiB."""
    if b"\0" in data:
        return True
    sample = data[:65536]
    ctrl = sum(1 for c in sample if (c < 32 and c not in (9, 10, 11, 12, 13, 27)) or c == 127)
    return ctrl * 100 > len(sample)


def split_lines(text):
    lines = [l.rstrip("\r") for l in text.split("\n")]
    if text.endswith("\n"):
        lines.pop()
    return lines


def has_diff(lines):
    return recover.patch_depth([recover.split_quote(l) for l in lines]) is not None


def is_mail(lines, a, b):
    """Does lines[a:b] start with an RFC 822 header block (or a From_ line)?"""
    if a >= b:
        return False
    if FROM_RE.match(lines[a]):
        return True
    names, i = [], a
    while i < b and lines[i] != "":
        m = HEADER_RE.match(lines[i])
        if m:
            names.append(m.group(1).lower())
        elif not (names and lines[i][:1] in (" ", "\t")):
            return False
        i += 1
    return (i < b and bool(names) and ("from" in names or "subject" in names)
            and sum(1 for n in names if n in MAIL_HEADERS) >= 2)


def header_text(value):
    if value is None:
        return None
    try:
        text = str(email.header.make_header(email.header.decode_header(str(value))))
    except (ValueError, LookupError, UnicodeError):
        text = str(value)
    return " ".join(text.split())


def leaves(msg, lines, a, b, top=True):
    """Yield (leaf part, body_start, body_end) with line indices into lines
    for the entity msg whose text is lines[a:b] (headers first), or None
    indices when the MIME structure cannot be matched to the text."""
    i = a + 1 if top and a < b and FROM_RE.match(lines[a]) else a
    while i < b and lines[i] != "":
        i += 1
    body = min(i + 1, b)
    if not msg.is_multipart():
        yield msg, body, b
        return
    parts = msg.get_payload()
    if msg.get_content_maintype() == "multipart" and msg.get_boundary():
        delim = "--" + msg.get_boundary()
        ranges, start = [], None
        for j in range(body, b):
            s = lines[j].rstrip()
            if s in (delim, delim + "--"):
                if start is not None:
                    ranges.append((start, j))
                start = None if s.endswith("--") and s == delim + "--" else j + 1
                if start is None:
                    break
        if start is not None:
            ranges.append((start, b))
        if len(ranges) == len(parts):
            for part, (s, e) in zip(parts, ranges):
                yield from leaves(part, lines, s, e, top=False)
            return
    elif msg.get_content_type() == "message/rfc822" and len(parts) == 1:
        yield from leaves(parts[0], lines, body, b, top=False)
        return
    for part in msg.walk():
        if not part.is_multipart():
            yield part, None, None


def decode_bytes(data, charset):
    cs = (charset or "utf-8").lower()
    if cs not in TEXT_CHARSETS:
        try:
            return data.decode(cs)
        except (LookupError, UnicodeError):
            pass
    return data.decode("utf-8", "surrogateescape")


def part_text(part, lines, smap, s, e, fallback_src):
    """(decoded lines, their lines in FILE) of one leaf part."""
    cte = str(part.get("Content-Transfer-Encoding") or "7bit").strip().lower()
    charset = part.get_content_charset()
    if s is not None and cte in ("7bit", "8bit", "binary", ""):
        out = lines[s:e]
        if charset and charset.lower() not in TEXT_CHARSETS:
            out = [decode_bytes(l.encode("utf-8", "surrogateescape"), charset) for l in out]
        return out, smap[s:e]
    if s is not None and cte == "quoted-printable":
        out, where, buf, first = [], [], b"", None
        for j in range(s, e):
            raw = lines[j].encode("utf-8", "surrogateescape").rstrip(b" \t")
            if first is None:
                first = j
            if raw.endswith(b"="):      # soft line break: the line goes on
                buf += raw[:-1]
                if j + 1 < e:
                    continue
            else:
                buf += raw
            for piece in binascii.a2b_qp(buf).split(b"\n"):
                out.append(decode_bytes(piece.rstrip(b"\r"), charset))
                where.append(smap[first])
            buf, first = b"", None
        return out, where
    data = part.get_payload(decode=True)
    if data is None:
        data = str(part.get_payload()).encode("utf-8", "surrogateescape")
    out = split_lines(decode_bytes(data, charset))
    src = smap[s] if s is not None and s < len(smap) else fallback_src
    return out, [src] * len(out)


def is_patch_part(part):
    ctype = part.get_content_type()
    name = (part.get_filename() or "").lower()
    if ctype == "text/html":
        return False
    return (ctype.startswith("text/") or ctype in ("application/x-patch", "application/x-diff")
            or name.endswith((".patch", ".diff")))


def split_text(path, lines, smap, default_subject, units, eof_index=None):
    """Append to units the mails / plain patches that lines hold."""
    n = len(lines)
    froms = [i for i, l in enumerate(lines) if FROM_RE.match(l)]
    starts = froms or [0]
    if froms and froms[0] > 0 and has_diff(lines[:froms[0]]):
        starts = [0] + froms
    bounds = list(zip(starts, starts[1:] + [n]))
    for a, b in bounds:
        if is_mail(lines, a, b):
            mail_units(path, lines, smap, a, b, default_subject, units, eof_index)
        else:
            units.append(Unit(lines[a:b], smap[a:b], default_subject, smap[a] if a < n else 1,
                              False, at_eof=(eof_index is not None and b == eof_index)))


def mail_units(path, lines, smap, a, b, default_subject, units, eof_index=None):
    raw = ("\n".join(lines[a:b]) + "\n").encode("utf-8", "surrogateescape")
    msg = email.message_from_bytes(raw, policy=email.policy.compat32)
    subject = header_text(msg.get("Subject")) or default_subject
    src = smap[a]
    found = []
    for part, s, e in leaves(msg, lines, a, b):
        if not is_patch_part(part):
            continue
        text, where = part_text(part, lines, smap, s, e, src)
        if has_diff(text):
            found.append((part, text, where))
    if not found:
        units.append(Unit([], [], subject, src, True, nodiff=True))
        return
    for part, text, where in found:
        if part is msg:     # the mail's own body
            units.append(Unit(text, where, subject, src, True,
                              at_eof=(eof_index is not None and b == eof_index)))
            continue
        # An attachment: it may itself be a format-patch mail, or several.
        name = part.get_filename()
        sub = []
        split_text(path, text, where, subject if len(found) == 1 else (name or subject), sub)
        for u in sub:
            if not u.is_mail:
                u.is_mail, u.src = True, src
                u.number = parse_number(u.subject)
                u.reply = bool(REPLY_RE.match(u.subject or ""))
        units.extend(sub)


# ------------------------------------------------- unquoted patch checks

class Section:
    def __init__(self, src, old, new, git):
        self.src, self.old, self.new, self.git = src, old, new, git
        self.minus = self.plus = None
        self.hunks = 0
        self.last = src          # last line (0-based) that belongs to the section
        self.headers = 0         # extended header lines seen
        self.binary = self.created = self.deleted = False
        self.rename = [None, None]
        self.copy = [None, None]
        self.index = None

    @property
    def path(self):
        return self.new if self.new != "/dev/null" else self.old

    def complete(self):
        if self.binary or self.hunks:
            return True
        if self.minus is not None or self.plus is not None or not self.git or not self.headers:
            return False
        if self.index and not (self.created or self.deleted):
            ids = self.index.split()[1].split("..") if len(self.index.split()) > 1 else []
            if len(ids) == 2 and ids[0] != ids[1] and not any(EMPTY_BLOBS.match(x) for x in ids):
                return False     # the content changed, yet no hunk follows
        return True


def scan_unquoted(path, lines, smap, at_eof_mid_line):
    """Walk an unquoted patch as git apply does (hunks consumed by their
    header counts) and return its file sections; raise MailError when a hunk
    or a header is cut short."""
    def where(i):
        return smap[i] if 0 <= i < len(smap) else (smap[-1] if smap else 1)

    n = len(lines)
    last_nb = max([i for i, l in enumerate(lines) if l.strip()] or [-1])
    sections, sec, i = [], None, 0
    while i < n:
        l = lines[i]
        if l.startswith("diff --git "):
            m = GIT_DIFF_RE.match(l)
            if not m:
                if i >= last_nb:
                    raise MailError(path, where(i), "patch truncated: diff ends in the middle of "
                                                    "a 'diff --git' line")
                i += 1
                continue
            sec = Section(i, recover.strip_prefix(m.group(1)), recover.strip_prefix(m.group(2)), True)
            sections.append(sec)
            i += 1
            continue
        if sec is None or (sec.plus is None and sec.hunks == 0 and not sec.git):
            if l.startswith("--- ") and i + 1 < n and lines[i + 1].startswith("+++ "):
                sec = Section(i, recover.strip_prefix(l[4:]), recover.strip_prefix(lines[i + 1][4:]), False)
                sec.minus, sec.plus, sec.last = i, i + 1, i + 1
                sections.append(sec)
                i += 2
                continue
            if sec is None:
                i += 1
                continue
        if l.startswith("@@") and (sec.plus is not None or sec.hunks):
            m = recover.HUNK_RE.match(l)
            if not m:
                if i >= last_nb:
                    raise MailError(path, where(i), "patch truncated: diff ends in the middle of "
                                                    "a hunk header of %s" % sec.path)
                sec = None
                i += 1
                continue
            a, b, c, d = m.group(1), m.group(2), m.group(3), m.group(4)
            want_old = 1 if b is None else int(b)
            want_new = 1 if d is None else int(d)
            got_old = got_new = 0
            j = i + 1
            while j < n and (got_old < want_old or got_new < want_new):
                t = lines[j][:1]
                if t in ("", " "):
                    got_old, got_new = got_old + 1, got_new + 1
                elif t == "-":
                    got_old += 1
                elif t == "+":
                    got_new += 1
                elif t != "\\":
                    break
                j += 1
            while j < n and lines[j].startswith("\\"):
                j += 1
            hdr = "@@ -%s,%d +%s,%d @@" % (a, want_old, c, want_new)
            if got_old < want_old or got_new < want_new:
                raise MailError(path, where(i), "patch truncated: hunk %s of %s declares %d old/%d new "
                                "lines, has %d/%d" % (hdr, sec.path, want_old, want_new, got_old, got_new))
            if at_eof_mid_line and j == n and j - 1 > i and not lines[j - 1].startswith("\\"):
                raise MailError(path, where(j - 1), "patch truncated: input ends in the middle of a "
                                "line of hunk %s of %s" % (hdr, sec.path))
            sec.hunks += 1
            sec.last = j - 1
            i = j
            continue
        if sec.hunks == 0 and sec.git:
            handled = True
            if l.startswith(("old mode ", "new mode ", "similarity index ", "dissimilarity index ")):
                pass
            elif l.startswith("deleted file mode "):
                sec.deleted = True
            elif l.startswith("new file mode "):
                sec.created = True
            elif l.startswith("rename from "):
                sec.rename[0] = l[len("rename from "):]
            elif l.startswith("rename to "):
                sec.rename[1] = l[len("rename to "):]
            elif l.startswith("copy from "):
                sec.copy[0] = l[len("copy from "):]
            elif l.startswith("copy to "):
                sec.copy[1] = l[len("copy to "):]
            elif l.startswith("index "):
                sec.index = l
            elif l.startswith("Binary files ") or l.rstrip() == "GIT binary patch":
                sec.binary = True
            elif l.startswith("--- ") and sec.minus is None:
                sec.minus = i
                sec.old = recover.strip_prefix(l[4:])
            elif l.startswith("+++ ") and sec.minus is not None and sec.plus is None:
                sec.plus = i
                sec.new = recover.strip_prefix(l[4:])
            elif sec.binary and (l.startswith(("literal ", "delta ")) or (l and not l.startswith("-- "))):
                pass    # base85 data of a GIT binary patch
            else:
                handled = False
            if handled:
                sec.headers += 1
                sec.last = i
                i += 1
                continue
        # Anything else ends the section (commit text, signature, junk, or
        # the next file's "---"): look at the line again without it.
        sec = None
    for k, s in enumerate(sections):
        if s.complete():
            continue
        tail = all(not lines[x].strip() or lines[x].rstrip() in recover.SIGNATURE_SEP
                   for x in range(s.last + 1, min(n, s.last + 2)))
        if k == len(sections) - 1 and (s.last >= last_nb or tail):
            raise MailError(path, where(s.src), "patch truncated: diff ends in the middle of the "
                                                "header of %s" % s.path)
        raise MailError(path, where(s.src), "malformed patch: the header of %s is not followed by a hunk"
                        % s.path)
    return sections


# ------------------------------------------------------------- parsing

def parse_unit(path, u):
    lines = u.lines

    def where(line):
        if not u.smap:
            return u.src
        return u.smap[min(max(line, 1), len(u.smap)) - 1]

    depth = recover.patch_depth([recover.split_quote(l) for l in lines])
    if depth is None:
        raise MailError(path, u.src, "no patch found in %s" % (
            'mail "%s"' % u.subject if u.is_mail else "the input"))
    sections = scan_unquoted(path, lines, u.smap, u.at_eof) if depth == 0 else []
    if sections and not any(s.hunks for s in sections):
        # Only renames, copies, mode changes, empty files, deletions or
        # binary files: nothing for recover.py, but still a patch.
        patch = recover.Patch(path, 0, False)
    else:
        try:
            patch = recover.recover_lines(lines, path)
        except recover.RecoverError as e:
            raise MailError(path, where(e.line), e.msg) from None
    if patch.depth == 0:
        for f in patch.files:
            for h in f.hunks:
                dold, dnew = h.declared
                if (dold, dnew) != (0, 0) and (h.old_count < dold or h.new_count < dnew):
                    raise MailError(path, where(h.src), "patch truncated: hunk @@ -%d,%d +%d,%d @@ of %s "
                                    "declares %d old/%d new lines, has %d/%d" % (
                                        h.old_start, dold, h.new_start, dnew, f.path, dold, dnew,
                                        h.old_count, h.new_count))
    # Sections without hunks are operations of their own; sections with
    # hunks that are copies must not remove their source.
    by_src = {s.src + 1: s for s in sections}
    steps = []
    for f in patch.files:
        s = by_src.get(f.src)
        f.copy = bool(s and s.copy[0] and s.copy[1])
        steps.append((f.src, ("file", f)))
    ops = []
    for s in sections:
        if s.hunks:
            continue
        op = None
        if s.binary:
            op = {"kind": "binary", "old": s.old, "new": s.new}
        elif s.rename[0] and s.rename[1]:
            op = {"kind": "rename", "old": s.rename[0], "new": s.rename[1]}
        elif s.copy[0] and s.copy[1]:
            op = {"kind": "copy", "old": s.copy[0], "new": s.copy[1]}
        elif s.created:
            op = {"kind": "create-empty", "old": "/dev/null", "new": s.new}
        elif s.deleted:
            op = {"kind": "delete", "old": s.old, "new": "/dev/null"}
        if op:
            op["path"] = op["new"] if op["new"] != "/dev/null" else op["old"]
            op["src"] = s.src + 1
            ops.append(op)
            steps.append((s.src + 1, ("op", op)))
    steps.sort(key=lambda st: st[0])
    # Lines of the unit -> lines of FILE.
    for f in patch.files:
        f.src = where(f.src)
        for h in f.hunks:
            h.src = where(h.src)
            h.lines = [(t, x, where(s)) for t, x, s in h.lines]
            h.breaks = [(k, where(s)) for k, s in h.breaks]
    for op in ops:
        op["src"] = where(op["src"])
    patch.notes = [(where(s), note) for s, note in patch.notes]
    patch.steps = [st for _, st in steps]
    patch.ops = ops
    patch.subject, patch.src, patch.number = u.subject, u.src, u.number
    patch.input, patch.mail = path, u.is_mail
    return patch


def read_series(path):
    """The patches of FILE in the order to apply them (see the module doc)."""
    try:
        with open(path, "rb") as fh:
            data = fh.read()
    except OSError as e:
        raise MailError(path, 0, "cannot read: %s" % (e.strerror or e)) from None
    if looks_binary(data):
        raise MailError(path, 1, "binary file, not a patch")
    if not data.strip():
        raise MailError(path, 1, "empty file, not a patch")
    text = data.decode("utf-8", "surrogateescape")
    lines = split_lines(text)
    units = []
    split_text(path, lines, list(range(1, len(lines) + 1)), os.path.basename(path), units,
               eof_index=len(lines) if not text.endswith("\n") else None)
    skipped, notes = [], []
    if len(units) == 1:
        chosen = units
    else:
        chosen = [u for u in units if not u.nodiff and not u.reply]
        if not chosen:
            chosen = [u for u in units if not u.nodiff]
        for u in units:
            if u in chosen:
                continue
            if u.nodiff and u.number and u.number[0] >= 1:
                raise MailError(path, u.src, 'mail "%s" has no diff' % u.subject)
            reason = ("cover letter" if u.nodiff and u.number and u.number[0] == 0
                      else "no diff" if u.nodiff else "a reply, not a patch of the series")
            skipped.append((u.src, u.subject, reason))
        if not chosen:
            raise MailError(path, 1, "no patch found: none of the %d mails holds a diff" % len(units))
    chosen = order(path, chosen, notes)
    patches = Series([parse_unit(path, u) for u in chosen], skipped, notes)
    total = len(patches)
    for i, p in enumerate(patches):
        k, n = p.number if p.number and p.number[0] >= 1 else (i + 1, total)
        p.label = 'patch %d/%d "%s"' % (k, n, title_of(p.subject))
    return patches


def order(path, units, notes):
    """Numbered mails ("[PATCH k/n]") go in the order of k."""
    if len(units) < 2 or any(u.number is None or u.number[0] < 1 for u in units):
        return units
    seen = {}
    for u in units:
        k, n = u.number
        first = units[0].number[1]
        if n != first:
            raise MailError(path, u.src, 'mail "%s" is patch %d/%d, but the mail at line %d is patch %d/%d: '
                            'mails of different series' % (u.subject, k, n, units[0].src,
                                                           units[0].number[0], first))
        if k in seen:
            raise MailError(path, u.src, 'patch %d/%d appears twice (also at line %d): give one version '
                            'of the series' % (k, n, seen[k].src))
        seen[k] = u
    n = units[0].number[1]
    missing = [k for k in range(1, n + 1) if k not in seen]
    if missing:
        notes.append((units[0].src, "the series has %d patches; %s missing" % (
            n, ", ".join("%d/%d" % (k, n) for k in missing))))
    return sorted(units, key=lambda u: u.number[0])
