"""Shared helpers for the vector tools: errors as FILE:LINE, atomic writes, sharding, trace I/O."""
import os
import sys
import tempfile

GEN_VERSION = "1"
HERE = os.path.dirname(os.path.abspath(__file__))


def regs():
    """The register constants generated from model/dbg_regs.tab (dbg_regs.py): from the build the
    bookedbg command runs from ($BOOKEDBG), the source tree's build/, or an installed prefix."""
    import importlib.util
    places = []
    if os.environ.get("BOOKEDBG"):
        places.append(os.path.join(os.path.dirname(os.path.abspath(os.environ["BOOKEDBG"])), "gen"))
    places += [os.path.join(HERE, "..", os.environ.get("BUILD", "build"), "gen"), os.path.join(HERE, "..", "gen")]
    for d in places:
        path = os.path.join(d, "dbg_regs.py")
        if os.path.exists(path):
            spec = importlib.util.spec_from_file_location("dbg_regs", path)
            mod = importlib.util.module_from_spec(spec)
            spec.loader.exec_module(mod)
            return mod
    die("build/gen/dbg_regs.py:0: the generated register constants are missing (run make)")


class InputError(Exception):
    """Bad input: reported as `FILE:LINE: what is wrong`, exit 2."""


def run_main(main):
    """Run a command's main(); a reader that goes away (`| head`) ends it quietly, as a pipe should."""
    try:
        code = main()
        sys.stdout.flush()
    except BrokenPipeError:
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        code = 141          # 128 + SIGPIPE, what the shell reports for a command a pipe ended
    sys.exit(code)


def die(msg):
    sys.stderr.write(msg.rstrip("\n") + "\n")
    sys.exit(2)


def atomic_write(path, data):
    """Write temp + rename: a reader never sees a half-written file."""
    d = os.path.dirname(os.path.abspath(path))
    os.makedirs(d, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=d, prefix=".tmp-", suffix=os.path.basename(path))
    try:
        with os.fdopen(fd, "w" if isinstance(data, str) else "wb") as f:
            f.write(data)
        os.replace(tmp, path)
    except BaseException:
        if os.path.exists(tmp):
            os.unlink(tmp)
        raise


def parse_shard(text, where="--shard"):
    """K/N with 1 <= K <= N. Item i (0-based) belongs to shard K when i % N == K-1."""
    try:
        k, n = (int(x) for x in text.split("/"))
    except ValueError:
        raise InputError("%s: shard must be K/N, got %r" % (where, text))
    if n < 1 or not 1 <= k <= n:
        raise InputError("%s: shard K/N needs 1 <= K <= N, got %r" % (where, text))
    return k, n


def in_shard(i, shard):
    return shard is None or i % shard[1] == shard[0] - 1


def num(tok, where):
    try:
        v = int(tok, 0)
    except ValueError:
        raise InputError("%s: bad number %r" % (where, tok))
    if not 0 <= v <= 0xFFFFFFFF:
        raise InputError("%s: number out of 32 bits %r" % (where, tok))
    return v


def parse_trace(path, text=None):
    """Read a trace into (core, opts, header lines, statements). Statements keep their source text;
    `expect` lines are dropped (they are recomputed). Raises InputError on what this subset rejects."""
    if text is None:
        try:
            with open(path) as f:
                text = f.read()
        except OSError as e:
            raise InputError("%s:0: cannot read: %s" % (path, e.strerror))
    core, opts, header, stmts = "e500v2", [], [], []
    for ln, raw in enumerate(text.split("\n"), 1):
        where = "%s:%d" % (path, ln)
        line = raw.split("#", 1)[0].strip()
        if not line:
            if raw.startswith("#") and not stmts:
                header.append(raw)
            continue
        tok = line.split()
        kw = tok[0].lower()
        if kw == "core":
            if len(tok) != 2 or tok[1].lower() not in ("e500v2", "e500mc"):
                raise InputError("%s: core must be e500v2 or e500mc" % where)
            core = tok[1].lower()
        elif kw == "opt":
            if len(tok) != 2 or "=" not in tok[1]:
                raise InputError("%s: opt needs NAME=VALUE" % where)
            opts.append(tok[1])
        elif kw == "expect":
            continue
        elif kw == "set":
            regs = {}
            for t in tok[1:]:
                if "=" not in t:
                    raise InputError("%s: set needs REG=VALUE, got %r" % (where, t))
                k, v = t.split("=", 1)
                regs[k.upper()] = num(v, where)
            if not regs:
                raise InputError("%s: set needs at least one REG=VALUE" % where)
            stmts.append(("set", regs))
        elif kw == "exec":
            if len(tok) < 3:
                raise InputError("%s: exec needs PC and an instruction" % where)
            pc = num(tok[1], where)
            rest, cyc = tok[2:], None
            if rest and rest[0].startswith("@"):
                cyc = num(rest[0][1:], where)
                rest = rest[1:]
            if not rest:
                raise InputError("%s: exec needs an instruction" % where)
            stmts.append(("exec", pc, [t.lower() if not t[0].isdigit() else t for t in rest], cyc))
        elif kw in ("irq", "ude"):
            rest, cyc = tok[1:], None
            if rest and rest[0].startswith("@"):
                cyc = num(rest[0][1:], where)
                rest = rest[1:]
            stmts.append((kw, rest, cyc))
        else:
            raise InputError("%s: unknown statement %r" % (where, tok[0]))
    return core, opts, header, stmts


def render_stmt(s):
    if s[0] == "set":
        return "set " + " ".join("%s=%s" % (k if k != "PC" else "pc", "0x%X" % v)
                                 for k, v in s[1].items())
    if s[0] == "exec":
        cyc = " @%d" % s[3] if s[3] is not None else ""
        return "exec 0x%X%s %s" % (s[1], cyc, " ".join(s[2]))
    cyc = " @%d" % s[2] if s[2] is not None else ""
    return ("%s%s %s" % (s[0], cyc, " ".join(s[1]))).rstrip()


def render_trace(core, opts, header, stmts, expects):
    out = list(header)
    out.append("core " + core)
    out += ["opt " + o for o in opts]
    for s, e in zip(stmts, expects):
        out.append(render_stmt(s))
        if e:
            out.append("expect " + " ".join("%s=%s" % kv for kv in e.items()))
    return "\n".join(out) + "\n"
