#!/usr/bin/env python3
"""Extract kernel C items for the gate, into DIR/manifest.json plus one
.c file per item.

  extract.py --patch FILE --out DIR
      From a (possibly mail-quoted) patch: functions the patch adds whole,
      fragments of functions it changes (added lines plus a little context),
      added struct fields, #defines and static inline helpers.
  extract.py --kernel DIR --out DIR [--functions a,b,...] [-D NAME[=V]] [-U NAME]
      From a kernel tree (only the files in KERNEL_FILES): the named
      functions with file, line range and enclosing #if conditions, and the
      debug-related #define values, evaluated for a BookE configuration.

Errors: "FILE:LINE: what is wrong" on stderr, exit 2.  The output directory
is built under a temporary name and renamed, so an error leaves no
half-written output.
"""
import argparse
import hashlib
import json
import os
import re
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import recover  # noqa: E402
from gatelib.atomic import building  # noqa: E402

KERNEL_FILES = [
    "arch/powerpc/kvm/booke.c", "arch/powerpc/kvm/booke.h",
    "arch/powerpc/kvm/booke_emulate.c", "arch/powerpc/kvm/e500mc.c",
    "arch/powerpc/kernel/process.c", "arch/powerpc/include/asm/reg_booke.h",
    "arch/powerpc/include/asm/kvm_host.h", "arch/powerpc/include/asm/processor.h",
    "arch/powerpc/include/uapi/asm/kvm.h", "include/uapi/linux/kvm.h",
    "arch/powerpc/include/asm/kvm_ppc.h", "arch/powerpc/include/asm/kvm_asm.h",
]
DEFAULT_FUNCTIONS = [
    "kvmppc_vcpu_sync_debug", "kvmppc_set_msr", "kvmppc_handle_debug",
    "kvmppc_restart_interrupt", "kvmppc_booke_add_breakpoint",
    "kvmppc_booke_add_watchpoint", "kvm_guest_protect_msr",
    "kvm_arch_vcpu_ioctl_set_guest_debug", "kvmppc_booke_vcpu_load",
    "kvmppc_booke_vcpu_put", "kvmppc_vcpu_run", "kvmppc_subarch_vcpu_init",
    "kvmppc_clear_dbsr", "prime_debug_regs", "switch_booke_debug_regs",
    "set_debug_reg_defaults", "kvmppc_core_vcpu_setup",
    "kvmppc_booke_emulate_mtspr", "kvmppc_booke_emulate_mfspr",
    "set_guest_dsrr", "kvmppc_core_queue_debug", "kvmppc_core_dequeue_debug",
    "kvmppc_get_one_reg", "kvmppc_set_one_reg",
    # the exit path: its debug and program cases are compiled, the rest located for findings
    "kvmppc_handle_exit", "emulation_exit", "kvmppc_resume_inst_load",
]
# The debug facility's defines; anything they refer to is resolved too.
DEFINE_RE = re.compile(
    r"^(DBCR[012]_\w+|DBSR_\w+|MSRP_\w+|MSR_(DE|PR|IS|DS|GS|ME|CE)|(SPRN_)?EPCR_DUVD"
    r"|SPRN_(DBCR[0-4]|DBSR|DBSRWR|IAC[1-4]|DAC[12]|DVC[12]|DSRR[01]|CSRR[01]|EPCR|MSRP)"
    r"|KVMPPC_DEBUG_\w+|KVM_GUESTDBG_\w+|KVMPPC_BOOKE_(IAC|DAC)_NUM|KVMPPC_BOOKE_MAX_(IAC|DAC)"
    r"|KVM_REG_PPC_(IAC[1-4]|DAC[12]|DBSR|DEBUG_INST)|KVM_REG_SIZE_(SHIFT|MASK)|KVMPPC_INST_SW_BREAKPOINT"
    r"|BOOKE_INTERRUPT_\w+|BOOKE_IRQPRIO_\w+)$")
# Named explicitly in the gate's needs: reported even when no file has them.
MUST_DEFINE = ["MSR_DE", "MSR_PR", "MSR_IS", "MSR_DS", "MSR_GS", "MSR_ME", "MSR_CE"]
# e500mc-class 32-bit BookE host with KVM BookE-HV: the layout the gate models.
DEFAULT_CONFIG = {
    "__KERNEL__": 1, "CONFIG_BOOKE": 1, "CONFIG_PPC_E500": 1, "CONFIG_PPC_E500MC": 1,
    "CONFIG_PPC32": 1, "CONFIG_KVM": 1, "CONFIG_KVM_BOOKE_HV": 1, "CONFIG_KVM_E500MC": 1,
    "CONFIG_PPC_ADV_DEBUG_REGS": 1, "CONFIG_PPC_ADV_DEBUG_IACS": 2,
    "CONFIG_PPC_ADV_DEBUG_DACS": 2, "CONFIG_PPC_ADV_DEBUG_DVCS": 0,
}
CONTEXT = 3   # context lines kept around a changed fragment
KEYWORDS = {"if", "while", "for", "switch", "return", "sizeof", "do", "else", "case"}


class ExtractError(Exception):
    def __init__(self, path, line, msg):
        super().__init__("%s:%d: %s" % (path, line, msg))


# ---------------------------------------------------------------- C lexing

def mask_c(lines, in_comment=False):
    """Same-length copies of lines with comments and the insides of string
    and char literals blanked, so braces and names can be found by plain
    search without being fooled by '{' in a string or a comment."""
    out = []
    for line in lines:
        buf, i, n, quote = list(line), 0, len(line), None
        while i < n:
            if in_comment:
                if line.startswith("*/", i):
                    buf[i] = buf[i + 1] = " "
                    in_comment, i = False, i + 2
                else:
                    buf[i], i = " ", i + 1
            elif quote:
                if line[i] == "\\":
                    buf[i:i + 2] = " " * len(buf[i:i + 2])
                    i += 2
                elif line[i] == quote:
                    quote, i = None, i + 1
                else:
                    buf[i], i = " ", i + 1
            elif line.startswith("/*", i):
                buf[i] = buf[i + 1] = " "
                in_comment, i = True, i + 2
            elif line.startswith("//", i):
                buf[i:] = " " * (n - i)
                break
            else:
                if line[i] in "\"'":
                    quote = line[i]
                i += 1
        out.append("".join(buf))
    return out


class CText:
    """A run of C lines: raw, masked, and which lines are preprocessor."""

    def __init__(self, lines, in_comment=False):
        self.lines = lines
        self.masked = mask_c(lines, in_comment)
        n = len(lines)
        self.pp, self.directive = [False] * n, [None] * n
        cont = False
        for i, m in enumerate(self.masked):
            if cont or m.lstrip().startswith("#"):
                self.pp[i] = True
                if not cont:
                    text, j = m, i
                    while lines[j].rstrip().endswith("\\") and j + 1 < n:
                        text = text.rstrip().rstrip("\\") + " " + self.masked[j + 1]
                        j += 1
                    d = re.match(r"\s*#\s*(\w*)\s*(.*)", text)
                    self.directive[i] = (d.group(1), " ".join(d.group(2).split()))
            cont = self.pp[i] and lines[i].rstrip().endswith("\\")


def negate(expr):
    m = re.match(r"^(!?)defined\((\w+)\)$", expr)
    if m:
        return ("defined(%s)" if m.group(1) else "!defined(%s)") % m.group(2)
    return "!(%s)" % expr


class Level:
    """One open #if: the branch expressions seen so far."""

    def __init__(self, kw, arg, depth, guard, config):
        self.depth, self.end_first, self.guard = depth, None, guard
        self.config, self.exprs, self.vals, self.in_else = config, [], [], False
        self.add(kw, arg)

    def add(self, kw, arg):
        if kw == "else":
            self.in_else = True
            return
        e = {"ifdef": "defined(%s)", "ifndef": "!defined(%s)"}.get(kw, "%s") % arg
        self.exprs.append(e)
        self.vals.append(pp_value(e, self.config))

    def text(self):
        done = self.exprs if self.in_else else self.exprs[:-1]
        parts = [negate(e) for e in done]
        if not self.in_else:
            parts.append(self.exprs[-1] if not done else "(%s)" % self.exprs[-1])
        return " && ".join(parts)

    def value(self):
        done = self.vals if self.in_else else self.vals[:-1]
        v = True
        for x in done:
            v = tri_and(v, tri_not(x))
        return v if self.in_else else tri_and(v, self.vals[-1])


def tri_not(v):
    return None if v is None else not v


def tri_and(a, b):
    if a is False or b is False:
        return False
    return None if a is None or b is None else True


def walk(ct, config):
    """Per line: (brace depth at line start, [(condition, value)] of the open
    #if levels).  In an #else/#elif branch counting restarts from the depth
    at the #if and the first branch's result is kept at #endif, so code like
    '#ifdef X / if (a) { / #else / if (b) { / #endif' counts one brace.
    Also returns [(line, keyword)] for #else/#elif/#endif with no #if in
    this text (the #if is before a hunk's start)."""
    depth, stack, states, unmatched = 0, [], [], []
    n = len(ct.lines)
    for i in range(n):
        states.append((depth, [(lv.text(), lv.value()) for lv in stack if not lv.guard]))
        d = ct.directive[i]
        if d is None:
            if not ct.pp[i]:
                depth += ct.masked[i].count("{") - ct.masked[i].count("}")
            continue
        kw, arg = d
        if kw in ("if", "ifdef", "ifndef"):
            stack.append(Level(kw, arg, depth, kw == "ifndef" and is_guard(ct, i, arg), config))
        elif kw in ("elif", "else", "endif"):
            if not stack:
                unmatched.append((i, kw))
                continue
            top = stack[-1]
            if kw == "endif":
                stack.pop()
                if top.end_first is not None:
                    depth = top.end_first
            else:
                if top.end_first is None:
                    top.end_first = depth
                depth = top.depth
                top.add(kw, arg)
    return states, unmatched


def is_guard(ct, i, name):
    """'#ifndef X' directly followed by '#define X': an include guard, not a
    condition worth reporting."""
    for j in range(i + 1, len(ct.lines)):
        if ct.directive[j] is not None:
            return ct.directive[j] == ("define", name)
        if ct.masked[j].strip():
            return False
    return False


def match_close(ct, line, col, open_ch="{", close_ch="}"):
    """(line, col) of the bracket closing the one at (line, col), applying
    the same #else rule as walk(); None if the text ends first."""
    depth, stack = 0, []
    for i in range(line, len(ct.lines)):
        d = ct.directive[i]
        if d is not None:
            kw = d[0]
            if kw in ("if", "ifdef", "ifndef"):
                stack.append([depth, None])
            elif kw in ("elif", "else") and stack:
                if stack[-1][1] is None:
                    stack[-1][1] = depth
                depth = stack[-1][0]
            elif kw == "endif" and stack:
                top = stack.pop()
                if top[1] is not None:
                    depth = top[1]
            continue
        if ct.pp[i]:
            continue
        text = ct.masked[i]
        for j in range(col if i == line else 0, len(text)):
            if text[j] == open_ch:
                depth += 1
            elif text[j] == close_ch:
                depth -= 1
                if depth == 0:
                    return i, j
    return None


def func_name(text):
    """Name of the function a declarator text declares, else None."""
    m = re.match(r"^\s*([A-Za-z_][\w\s\*]*?)\b([A-Za-z_]\w*)\s*\(", text)
    if not m or m.group(2) in KEYWORDS or "=" in m.group(0):
        return None
    return m.group(2)


def head_at(ct, k, limit=30):
    """If a top-level construct (function, struct, initialised data) starts at
    line k, return (kind, name, brace_line, brace_col); None for a
    declaration or prototype (a ';' comes before any '{')."""
    if ct.pp[k] or re.match(r"^\w+:\s*$", ct.masked[k]):
        return None
    parts, parens = [], 0
    for i in range(k, min(len(ct.lines), k + limit)):
        if ct.pp[i]:
            continue
        for j, c in enumerate(ct.masked[i]):
            if c == "(":
                parens += 1
            elif c == ")":
                parens -= 1
            elif parens == 0 and c == ";":
                return None
            elif parens == 0 and c == "{":
                text = " ".join(parts + [ct.masked[i][:j]])
                m = re.match(r"^\s*(?:typedef\s+|static\s+|const\s+)*(struct|union|enum)\s*(\w*)\s*$", text)
                if m:
                    return m.group(1), m.group(2) or "<anonymous>", i, j
                if "=" in text:
                    m = re.search(r"(\w+)\s*(\[[^\]]*\]\s*)*=", text)
                    return "data", m.group(1) if m else "<data>", i, j
                name = func_name(text)
                return ("function", name, i, j) if name else None
        parts.append(ct.masked[i])
    return None


def signature_start(ct, states, i):
    """First line of a definition whose name is on line i: earlier lines of
    the same declarator ('static int' above 'foo(...)'), but not the comment
    or statement before it."""
    while i > 0 and not ct.pp[i - 1] and states[i - 1][0] == 0:
        prev = ct.masked[i - 1].rstrip()
        if not prev.strip() or prev.endswith((";", "}", "{", ")")):
            break
        i -= 1
    return i


def kind_of(sig_text):
    return "inline" if re.search(r"\binline\b", sig_text) else "function"


# -------------------------------------------------------- #define values

TOKEN_RE = re.compile(r"\s*(?:(0[xX][0-9a-fA-F]+|\d+)[uUlL]*|([A-Za-z_]\w*)|"
                      r"(<<|>>|<=|>=|==|!=|&&|\|\||[-+*/%&|^~!()<>?:,]))")
TYPE_WORDS = {"unsigned", "signed", "int", "long", "short", "char", "u8", "u16", "u32",
              "u64", "__u8", "__u16", "__u32", "__u64", "s32", "s64", "ulong",
              "uint32_t", "uint64_t"}
BUILTIN_MACROS = {"__MASK": lambda x: 1 << x, "BIT": lambda x: 1 << x,
                  "_BITUL": lambda x: 1 << x, "UL": lambda x: x, "ULL": lambda x: x,
                  "_UL": lambda x: x, "_ULL": lambda x: x, "_AC": lambda x, _t=None: x}


class Unresolved(Exception):
    pass


class Expr:
    """A small C constant-expression evaluator, for #define bodies and #if.
    lookup(name) gives an identifier's value or raises Unresolved."""

    BINARY = [["||"], ["&&"], ["|"], ["^"], ["&"], ["==", "!="], ["<", ">", "<=", ">="],
              ["<<", ">>"], ["+", "-"], ["*", "/", "%"]]

    def __init__(self, text, lookup, pp=False):
        self.toks, pos, text = [], 0, text.strip()
        while pos < len(text):
            m = TOKEN_RE.match(text, pos)
            if not m or m.end() == pos:
                raise Unresolved("cannot parse %r" % text[pos:])
            pos = m.end()
            if m.group(1):
                self.toks.append(("num", int(m.group(1), 0) if not re.match(r"0\d", m.group(1))
                                  else int(m.group(1), 8)))
            elif m.group(2):
                self.toks.append(("id", m.group(2)))
            elif m.group(3):
                self.toks.append(("op", m.group(3)))
        self.lookup, self.pp, self.i = lookup, pp, 0

    def value(self):
        if not self.toks:
            raise Unresolved("empty")
        v = self.ternary()
        if self.i != len(self.toks):
            raise Unresolved("trailing tokens")
        return v

    def peek(self, k=0):
        return self.toks[self.i + k] if self.i + k < len(self.toks) else (None, None)

    def take(self, op):
        if self.peek() == ("op", op):
            self.i += 1
            return True
        return False

    def need(self, op):
        if not self.take(op):
            raise Unresolved("expected %r" % op)

    def ternary(self):
        c = self.binary(0)
        if self.take("?"):
            a = self.ternary()
            self.need(":")
            b = self.ternary()
            return a if c else b
        return c

    def binary(self, level):
        if level == len(self.BINARY):
            return self.unary()
        v = self.binary(level + 1)
        while self.peek()[0] == "op" and self.peek()[1] in self.BINARY[level]:
            op = self.toks[self.i][1]
            self.i += 1
            w = self.binary(level + 1)
            v = apply_op(op, v, w)
        return v

    def unary(self):
        for op, f in (("-", lambda x: -x), ("+", lambda x: x), ("~", lambda x: ~x),
                      ("!", lambda x: int(not x))):
            if self.take(op):
                return f(self.unary())
        # A cast such as (u32): skip it.
        j = 1
        if self.peek() == ("op", "("):
            while self.peek(j)[0] == "id" and self.peek(j)[1] in TYPE_WORDS:
                j += 1
            if j > 1 and self.peek(j) == ("op", ")"):
                self.i += j + 1
                return self.unary()
        return self.primary()

    def primary(self):
        kind, v = self.peek()
        self.i += 1
        if kind == "num":
            return v
        if (kind, v) == ("op", "("):
            r = self.ternary()
            self.need(")")
            return r
        if kind != "id":
            raise Unresolved("unexpected %r" % (v,))
        if self.pp and v == "defined":
            paren = self.take("(")
            k, name = self.peek()
            self.i += 1
            if paren:
                self.need(")")
            return int(self.lookup(name, defined=True))
        if self.peek() == ("op", "("):
            self.i += 1
            args = [] if self.take(")") else self.args()
            if self.pp and v == "IS_ENABLED" and len(args) == 1:
                return args[0]
            if v in BUILTIN_MACROS:
                return BUILTIN_MACROS[v](*args)
            raise Unresolved("macro %s()" % v)
        return self.lookup(v)

    def args(self):
        out = [self.ternary()]
        while self.take(","):
            out.append(self.ternary())
        self.need(")")
        return out


def apply_op(op, a, b):
    if op in ("/", "%") and b == 0:
        raise Unresolved("division by zero")
    return {"||": lambda: int(bool(a or b)), "&&": lambda: int(bool(a and b)),
            "|": lambda: a | b, "^": lambda: a ^ b, "&": lambda: a & b,
            "==": lambda: int(a == b), "!=": lambda: int(a != b), "<": lambda: int(a < b),
            ">": lambda: int(a > b), "<=": lambda: int(a <= b), ">=": lambda: int(a >= b),
            "<<": lambda: a << b, ">>": lambda: a >> b, "+": lambda: a + b,
            "-": lambda: a - b, "*": lambda: a * b,
            "/": lambda: abs(a) // abs(b) * (1 if (a < 0) == (b < 0) else -1),
            "%": lambda: a - b * (abs(a) // abs(b) * (1 if (a < 0) == (b < 0) else -1))}[op]()


def pp_value(expr, config):
    """#if expression under config: True, False, or None if it cannot be
    evaluated (an unknown function-like macro, say)."""
    if config is None:
        return None

    def lookup(name, defined=False):
        if defined:
            return name in config
        v = config.get(name, 0)
        return int(v) if isinstance(v, (int, bool)) else 1
    try:
        return bool(Expr(expr, lookup, pp=True).value())
    except (Unresolved, RecursionError):
        return None


class DefineTable:
    """#defines seen in some files; picks, per name, the definition in an
    active branch (last one wins, as in C), else one whose branch is
    unknown; definitions only in dead branches do not count."""

    def __init__(self):
        self.defs = {}

    def add(self, name, params, body, where, active):
        self.defs.setdefault(name, []).append((active, params, body, where))

    def chosen(self, name):
        c = self.defs.get(name, [])
        live = [d for d in c if d[0] is True]
        if live:
            return live[-1]
        unknown = [d for d in c if d[0] is None]
        return unknown[0] if unknown else None

    def evaluate(self, name, seen=()):
        d = self.chosen(name)
        if d is None:
            raise Unresolved("%s is not defined in the files read" % name)
        if d[1] is not None:
            raise Unresolved("%s is a function-like macro" % name)
        if name in seen:
            raise Unresolved("%s refers to itself" % name)
        if not d[2]:
            raise Unresolved("%s has no value" % name)
        return Expr(d[2], lambda n, defined=False: self.evaluate(n, seen + (name,))).value()

    def resolve(self, names):
        values, unresolved = {}, {}
        for name in sorted(names):
            d = self.chosen(name)
            if d is not None and d[1] is None and not d[2]:
                continue   # a flag such as __KVM_HAVE_GUEST_DEBUG: no value to give
            try:
                values[name] = self.evaluate(name)
            except Unresolved as e:
                d = self.chosen(name)
                unresolved[name] = "%s: %s" % (d[2], e) if d and d[2] else str(e)
            except RecursionError:
                unresolved[name] = "too deeply nested"
        return values, unresolved


def parse_define(arg):
    m = re.match(r"(\w+)(\([^)]*\))?\s*(.*)$", arg)
    if not m:
        return None
    return m.group(1), m.group(2), m.group(3).strip()


# ---------------------------------------------------------- version hint

V3_RE = re.compile(r"\bshadow_dbg_reg\b|\bthread\.dbcr0\b")
V61_RE = re.compile(r"\bstruct debug_reg\b|\bthread\.debug\b|\bkvm_guest_protect_msr\b")


def version_hint(text):
    v3, v61 = len(V3_RE.findall(text)), len(V61_RE.findall(text))
    return "v3" if v3 > v61 else "6.1" if v61 > v3 else "unknown"


# -------------------------------------------------------------- output

def safe_name(s):
    return re.sub(r"[^A-Za-z0-9_.-]", "_", s)


def assign_paths(items):
    """File name per item: kind.name.c, with .2, .3 ... for repeats."""
    used = {}
    for it in items:
        base = "%s.%s" % (it["kind"], safe_name(it["name"]))
        used[base] = used.get(base, 0) + 1
        it["path"] = base + (".%d" % used[base] if used[base] > 1 else "") + ".c"


def write_output(out, manifest, texts):
    """texts: {path: text}.  Build under a temp name, then rename over out."""
    out = os.path.abspath(out)
    if os.path.exists(out) and not os.path.isdir(out):
        raise ExtractError(out, 0, "exists and is not a directory")
    with building(out) as tmp:
        for path, text in sorted(texts.items()):
            with open(os.path.join(tmp, path), "wb") as fh:
                fh.write(text.encode("utf-8", "surrogateescape"))
        with open(os.path.join(tmp, "manifest.json"), "w") as fh:
            fh.write(json.dumps(manifest, indent=2, sort_keys=True, ensure_ascii=True) + "\n")


def sort_items(items):
    items.sort(key=lambda it: (it["file"], it["line_start"], it["kind"], it["name"]))
    assign_paths(items)


# ---------------------------------------------------------- kernel mode

def read_kernel_file(kdir, rel):
    path = os.path.join(kdir, rel)
    if not os.path.isfile(path):
        raise ExtractError(path, 0, "missing from the kernel tree (is it a Linux tree with BookE "
                           "KVM? Debian's: make upstream)")
    try:
        return recover.read_lines(path)
    except OSError as e:
        raise ExtractError(path, 0, "cannot read: %s" % (e.strerror or e))


def extract_kernel(kdir, functions, config):
    files, digests, texts, items = {}, {}, {}, []
    table = DefineTable()
    for rel in KERNEL_FILES:
        lines = read_kernel_file(kdir, rel)
        ct = CText(lines)
        states, _ = walk(ct, config)
        files[rel] = (ct, states)
        with open(os.path.join(kdir, rel), "rb") as fh:
            digests[rel] = hashlib.sha256(fh.read()).hexdigest()
        for i, d in enumerate(ct.directive):
            if d and d[0] == "define":
                p = parse_define(d[1])
                if p:
                    active = True
                    for _, v in states[i][1]:
                        active = tri_and(active, v)
                    table.add(p[0], p[1], p[2], (rel, i + 1), active)
    for name in functions:
        found = []
        for rel in KERNEL_FILES:
            ct, states = files[rel]
            found += [(rel, d) for d in find_definitions(kdir, rel, ct, states, name)]
        if not found:
            raise ExtractError(kdir, 0, "function %s not found in the %d files read"
                               % (name, len(KERNEL_FILES)))
        for rel, (start, end) in found:
            ct, states = files[rel]
            conds = states[start][1]
            active = True
            for _, v in conds:
                active = tri_and(active, v)
            sig = " ".join(ct.masked[start:start + 3])
            item = {"name": name, "kind": kind_of(sig.split("{")[0]), "file": rel,
                    "line_start": start + 1, "line_end": end + 1,
                    "conditions": [c for c, _ in conds], "active": active}
            items.append(item)
            texts[id(item)] = "\n".join(ct.lines[start:end + 1]) + "\n"
    sort_items(items)
    wanted = [n for n in table.defs if DEFINE_RE.match(n)]
    # Names defined only in dead branches (the 40x layout) do not exist in
    # this configuration: leave them out rather than call them unresolved.
    inactive = sorted(n for n in wanted if all(d[0] is False for d in table.defs[n]))
    values, unresolved = table.resolve([n for n in wanted if n not in inactive])
    for n in MUST_DEFINE:
        if n not in values and n not in unresolved:
            unresolved[n] = "%s is not defined in the files read" % n
    all_text = "\n".join("\n".join(files[r][0].lines) for r in KERNEL_FILES)
    manifest = {"source": kdir, "version_hint": version_hint(all_text), "items": items,
                "defines": values, "unresolved": unresolved, "inactive_defines": inactive,
                "config": config,
                "inputs": digests}
    return manifest, {it["path"]: texts[id(it)] for it in items}


def find_definitions(kdir, rel, ct, states, name):
    """[(first_line, last_line)] (0-based) of each top-level definition."""
    pat = re.compile(r"\b%s\s*\(" % re.escape(name))
    out = []
    for i, text in enumerate(ct.masked):
        if ct.pp[i]:
            continue
        for m in pat.finditer(text):
            before = text[:m.start()]
            if states[i][0] + before.count("{") - before.count("}") != 0:
                continue
            close = match_close(ct, i, m.end() - 1, "(", ")")
            if close is None:
                continue
            nxt = next_token(ct, close[0], close[1] + 1)
            if nxt is None or nxt[2] != "{":
                continue
            end = match_close(ct, nxt[0], nxt[1])
            if end is None:
                raise ExtractError(os.path.join(kdir, rel), nxt[0] + 1,
                                   "unbalanced braces: body of %s never closes" % name)
            out.append((signature_start(ct, states, i), end[0]))
    return out


def next_token(ct, line, col):
    """(line, col, char) of the first code character at or after (line, col)
    that is not an attribute-like word (e.g. __releases(x))."""
    i, j = line, col
    while i < len(ct.lines):
        if ct.pp[i]:
            i, j = i + 1, 0
            continue
        text = ct.masked[i]
        while j < len(text) and text[j].isspace():
            j += 1
        if j >= len(text):
            i, j = i + 1, 0
            continue
        m = re.match(r"[A-Za-z_]\w*(\s*\([^)]*\))?", text[j:])
        if m:
            j += m.end()
            continue
        return i, j, text[j]
    return None


# ----------------------------------------------------------- patch mode

def hunk_text(h):
    """New side of a hunk: [(tag, text, new_line, src)] and, per new-side
    index k, the removed lines that come just before it."""
    ns, removed, pending = [], [], []
    n = h.new_start
    for tag, text, src in h.lines:
        if tag == "-":
            pending.append(text)
        elif tag in " +":
            ns.append((tag, text, n, src))
            removed.append(pending)
            pending = []
            n += 1
    removed.append(pending)
    return ns, removed


def starts_in_comment(texts):
    """A hunk may start inside a block comment; then '*/' shows up before
    any '/*'."""
    joined = "\n".join(texts)
    a, b = joined.find("*/"), joined.find("/*")
    return a != -1 and (b == -1 or a < b)


def section_construct(section):
    s = section.strip()
    if not s:
        return ("file", None)
    m = re.match(r"^(?:typedef\s+|static\s+|const\s+)*(struct|union|enum)\s+(\w+)\s*\{?\s*$", s)
    if m:
        return (m.group(1), m.group(2))
    name = func_name(s)
    return ("function", name) if name else ("unknown", None)


def enclosures(ct, section):
    """What each new-side line sits in: (kind, name, first_line_in_hunk).
    Kernel style is relied on: top-level constructs start in column 0 and
    end with a '}' in column 0."""
    enc = section_construct(section) + (0,)
    out, k, n = [], 0, len(ct.lines)
    heads = {}
    while k < n:
        m = ct.masked[k]
        if not ct.pp[k] and m[:1].strip():
            if m.startswith("}"):
                out.append(enc)
                enc = ("file", None, k + 1)
                k += 1
                continue
            h = head_at(ct, k)
            if h:
                enc = (h[0], h[1], k)
                heads[k] = h
                for _ in range(k, h[2] + 1):
                    out.append(enc)
                k = h[2] + 1
                continue
        out.append(enc)
        k += 1
    return out, heads


GUARD_END_RE = re.compile(r"^\s*#\s*endif\s*/\*\s*!?\s*_*[A-Z0-9_]+_H_*\s*\*/\s*$")


def outer_conditions(unmatched, ns, a, b):
    """Conditions opened before the hunk that still enclose lines a..b."""
    out = []
    for i, kw in unmatched:
        if kw == "endif" and GUARD_END_RE.match(ns[i][1]):
            continue   # an include guard's #endif, not a real condition
        if i > b:
            out.append("<opened before the hunk; #%s at line %d>" % (kw, ns[i][2]))
            break
        if i < a and kw in ("else", "elif"):
            out.append("<#%s branch of a conditional opened before the hunk>" % kw)
    return out


def field_name(decl):
    m = re.search(r"\(\s*\*\s*(\w+)\s*\)", decl)
    if m:
        return m.group(1)
    d = re.sub(r"\[[^\]]*\]|:\s*\d+|=.*", "", decl.split(";")[0])
    names = re.findall(r"[A-Za-z_]\w*", d)
    return names[-1] if names else "<field>"


def extract_patch(path):
    patch = recover.recover(path)
    items, texts, table, all_text = [], {}, DefineTable(), []

    def add(item, lines):
        items.append(item)
        texts[id(item)] = "\n".join(lines) + "\n"

    for f in patch.files:
        for hi, h in enumerate(f.hunks):
            all_text += [t for _, t, _ in h.lines]
            ns, removed = hunk_text(h)
            if not ns:
                continue
            lines = [t for _, t, _, _ in ns]
            ct = CText(lines, starts_in_comment(lines))
            states, unmatched = walk(ct, None)
            enc, heads = enclosures(ct, h.section)
            added = [t == "+" for t, _, _, _ in ns]
            used = [False] * len(ns)
            extra = {} if h.exact else {"exact_lines": False}

            def conds(a, b):
                return [c for c, _ in states[a][1]] + outer_conditions(unmatched, ns, a, b)

            def item(name, kind, a, b, **more):
                d = {"name": name, "kind": kind, "file": f.path, "line_start": ns[a][2],
                     "line_end": ns[b][2], "conditions": conds(a, b), "src_line": ns[a][3]}
                d.update(extra)
                d.update(more)
                return d

            # Functions added whole: signature to closing brace all added.
            for k, (kind, name, bl, bc) in sorted(heads.items()):
                if kind != "function" or not added[k]:
                    continue
                end = match_close(ct, bl, bc)
                if end is None:
                    cut = hi + 1 < len(f.hunks) and not f.hunks[hi + 1].exact
                    raise ExtractError(path, ns[k][3], ("added function %s is cut by an elision" if cut
                                       else "unbalanced braces in added function %s") % name)
                if all(added[k:end[0] + 1]):
                    sig = " ".join(ct.masked[k:bl + 1])
                    add(item(name, kind_of(sig.split("{")[0]), k, end[0]), lines[k:end[0] + 1])
                    for j in range(k, end[0] + 1):
                        used[j] = True
            # Added #defines.
            for k, d in enumerate(ct.directive):
                if d and d[0] == "define" and added[k] and not used[k]:
                    e = k
                    while ct.lines[e].rstrip().endswith("\\") and e + 1 < len(ns):
                        e += 1
                    p = parse_define(d[1])
                    if p:
                        table.add(p[0], p[1], p[2], (f.path, ns[k][2]), True)
                        add(item(p[0], "define", k, e), lines[k:e + 1])
                    for j in range(k, e + 1):
                        used[j] = True
            # Added struct fields: a declaration up to its ';', with the added
            # comment lines right above it.
            start = None
            for k in range(len(ns)):
                if not added[k] or used[k] or enc[k][0] not in ("struct", "union") or ct.pp[k]:
                    start = None
                    continue
                if start is None and lines[k].strip():
                    start = k
                if start is not None and ct.masked[k].rstrip().endswith(";"):
                    decl = " ".join(ct.masked[start:k + 1])
                    add(item("%s.%s" % (enc[k][1], field_name(decl.strip())), "field", start, k),
                        lines[start:k + 1])
                    for j in range(start, k + 1):
                        used[j] = True
                    start = None
            # Changed functions (and any other added code): one fragment per
            # construct per hunk, with CONTEXT lines around the added lines.
            groups = {}
            for k in range(len(ns)):
                if added[k] and not used[k] and lines[k].strip():
                    if enc[k][0] == "function" or ct.masked[k].strip():
                        groups.setdefault(enc[k], []).append(k)
            for key, ks in sorted(groups.items(), key=lambda kv: kv[1][0]):
                lo, hi_ = ks[0], ks[-1]
                while lo > 0 and enc[lo - 1] == key and ks[0] - lo < CONTEXT:
                    lo -= 1
                while hi_ + 1 < len(ns) and enc[hi_ + 1] == key and hi_ - ks[-1] < CONTEXT:
                    hi_ += 1
                gone = [t for p in range(lo, hi_ + 2) if p < len(removed)
                        and (lo < p <= hi_ or (p == lo and added[lo]) or (p == hi_ + 1 and added[hi_]))
                        for t in removed[p]]
                name = key[1] or ("<file-scope>" if key[0] == "file" else "<unknown>")
                it = item(name, "fragment", lo, hi_, added_lines=[ns[k][2] for k in range(lo, hi_ + 1)
                                                                   if added[k]], removed=gone)
                it["conditions"] = conds(ks[0], ks[-1])
                add(it, lines[lo:hi_ + 1])
    sort_items_patch(items, patch)
    values, unresolved = table.resolve(list(table.defs))
    with open(path, "rb") as fh:
        digest = hashlib.sha256(fh.read()).hexdigest()
    manifest = {"source": path, "source_sha256": digest, "version_hint": version_hint("\n".join(all_text)),
                "items": items, "defines": values, "unresolved": unresolved,
                "notes": ["line %d: %s" % n for n in patch.notes]}
    return manifest, {it["path"]: texts[id(it)] for it in items}


def sort_items_patch(items, patch):
    """Patch order: files as the patch lists them, then by line."""
    order = {f.path: i for i, f in enumerate(patch.files)}
    items.sort(key=lambda it: (order[it["file"]], it["line_start"], it["kind"], it["name"]))
    assign_paths(items)


# ------------------------------------------------------------------ CLI

def parse_args(argv):
    ap = argparse.ArgumentParser(prog="extract.py", description=__doc__.split("\n\n")[0])
    src = ap.add_mutually_exclusive_group(required=True)
    src.add_argument("--patch", metavar="FILE", help="patch, mbox or quoting review mail")
    src.add_argument("--kernel", metavar="DIR", help="kernel tree (e.g. build/linux-6.1)")
    ap.add_argument("--out", metavar="DIR", required=True, help="output directory (replaced)")
    ap.add_argument("--functions", metavar="A,B,...", action="append",
                    help="functions to extract in --kernel mode (default: the gate's list)")
    ap.add_argument("-D", dest="defs", metavar="NAME[=VAL]", action="append", default=[],
                    help="set a config symbol for #if evaluation")
    ap.add_argument("-U", dest="undefs", metavar="NAME", action="append", default=[],
                    help="unset a config symbol")
    return ap.parse_args(argv)


def main(argv):
    args = parse_args(argv)
    where = args.patch or args.kernel
    try:
        if args.patch:
            manifest, texts = extract_patch(args.patch)
        else:
            config = dict(DEFAULT_CONFIG)
            for d in args.defs:
                name, _, val = d.partition("=")
                config[name] = int(val, 0) if re.match(r"^-?(0[xX][0-9a-fA-F]+|\d+)$", val) else 1
            for u in args.undefs:
                config.pop(u, None)
            funcs = DEFAULT_FUNCTIONS
            if args.functions:
                funcs = [f for arg in args.functions for f in arg.split(",") if f]
            manifest, texts = extract_kernel(args.kernel, funcs, config)
        write_output(args.out, manifest, texts)
    except (ExtractError, recover.RecoverError) as e:
        sys.stderr.write(str(e) + "\n")
        return 2
    except OSError as e:
        sys.stderr.write("%s:0: %s\n" % (e.filename or where, e.strerror or e))
        return 2
    except Exception as e:  # a bug must not look like a traceback on bad input
        if os.environ.get("BOOKEDBG_DEBUG"):
            raise
        sys.stderr.write("%s:0: internal error: %s: %s\n" % (where, type(e).__name__, e))
        return 2
    kinds = {}
    for it in manifest["items"]:
        kinds[it["kind"]] = kinds.get(it["kind"], 0) + 1
    sys.stdout.write("%s: %d items (%s), %d defines -> %s\n" % (
        where, len(manifest["items"]), ", ".join("%d %s" % (v, k) for k, v in sorted(kinds.items())),
        len(manifest["defines"]), args.out))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
