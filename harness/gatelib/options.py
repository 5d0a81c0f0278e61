"""The gate's command line: parsed and checked in full before any work starts, so a typo or an
unwritable output path is one line on stderr and exit 2, never a traceback after a long run."""
import os
import re
import tempfile

GATE_USAGE = """\
usage: bookedbg gate (--patch FILE | --kernel DIR [--patch FILE | --base REV]) [options]

  --patch FILE         a patch, a git format-patch mail, an mbox series, or a review reply
                       quoting a patch; alone, the functions it carries are gated (the 2013 mail)
  --kernel DIR         a kernel tree (build/linux-6.1, or a kernel git checkout)
  --kernel DIR --patch FILE
                       apply FILE to a copy of DIR and gate base and patched side by side: the
                       report says what the patch introduces, fixes and leaves unchanged
  --kernel DIR --base REV
                       in a kernel git checkout: the working tree against revision REV
  --config pr|hv|both  configurations (default both)
  --budget N           at most N bounded-exhaustive scenarios per configuration (default 1500,
                       N >= 1; the fixed families always run on top: ABI, robustness, gdb
                       sessions, host contexts, the uapi's domain, the guest's own debugger)
  --seed S [--random N]  add N (default 200) seeded constrained-random scenarios
  --shard K/N          run every N-th scenario starting at the K-th
  --baseline REPORT    a previous --json report: its findings and counterexamples are accepted
  --fail-on bug|robustness|any   what fails the run: bugs only, robustness or worse, anything
                       (default any)
  --prove              print the proof obligations only
  --json               the report as JSON on stdout (every mode)
  --junit FILE         JUnit XML: a testcase per finding and per obligation
  --sarif FILE         SARIF 2.1.0 for code-scanning dashboards
  --out DIR            work and findings folder (default build/gate)

exit: 0 equivalent, nothing introduced, or everything accepted; 1 divergent (or introduced);
      2 input or build error
"""

REPLAY_USAGE = """\
usage: bookedbg replay [--verbose] FILE.scn

  Rebuilds the harness for the input and configuration the scenario names and runs it.
  --verbose   the step-by-step account: guest entries and exits, the DBSR the kernel read,
              the guest MSR, what QEMU got and what the model expected
exit: 0 equivalent, 1 divergent, 2 input or build error
"""

VALUE_FLAGS = ("--patch", "--kernel", "--base", "--config", "--budget", "--junit", "--sarif", "--out",
               "--shard", "--seed", "--random", "--baseline", "--fail-on")
BOOL_FLAGS = ("--json", "--prove")


class UsageError(Exception):
    """A bad command line; str() is the one-line message."""


class Help(Exception):
    """--help: str() is the usage text to print on stdout."""


def _int(flag, text, low):
    if not re.fullmatch(r"-?\d+", text or ""):
        raise UsageError(f"gate: {flag} takes a whole number, not '{text}'")
    v = int(text)
    if v < low:
        raise UsageError(f"gate: {flag} takes a number >= {low}, not {v}")
    return v


def _writable_file(flag, path):
    """An output file must be creatable where it is named, before the run starts."""
    d = os.path.dirname(os.path.abspath(path)) or "."
    if os.path.isdir(path):
        raise UsageError(f"{path}: {flag} names a directory, not a file")
    if not os.path.isdir(d):
        raise UsageError(f"{path}: {flag}: no such directory {d}")
    # a file a run may write must be creatable now; an old one goes, so a failed run leaves no
    # stale green report behind
    try:
        with open(path, "w", encoding="utf-8"):
            pass
        os.unlink(path)
    except OSError as e:
        raise UsageError(f"{path}: {flag}: {e.strerror or e}")


def _writable_dir(flag, path):
    try:
        os.makedirs(path, exist_ok=True)
        fd, probe = tempfile.mkstemp(prefix=".probe-", dir=path)
        os.close(fd)
        os.unlink(probe)
    except OSError as e:
        raise UsageError(f"{path}: {flag}: {e.strerror or e}")


def split(argv):
    a = {}
    i = 0
    while i < len(argv):
        k = argv[i]
        if k in ("-h", "--help"):
            raise Help(GATE_USAGE)
        if k in VALUE_FLAGS:
            if i + 1 >= len(argv) or argv[i + 1] in ("-h", "--help"):
                if i + 1 < len(argv):
                    raise Help(GATE_USAGE)
                raise UsageError(f"gate: {k} needs a value")
            if k[2:] in a:
                raise UsageError(f"gate: {k} given twice")
            a[k[2:]] = argv[i + 1]
            i += 2
        elif k in BOOL_FLAGS:
            a[k[2:]] = True
            i += 1
        else:
            raise UsageError(f"gate: unknown argument '{k}' (bookedbg gate --help)")
    return a


def parse_replay(argv):
    """--replay [--verbose] FILE, flags in any order (bookedbg replay passes its words after it)."""
    a, files = {"replay": None}, []
    for k in argv[1:]:
        if k in ("-h", "--help"):
            raise Help(REPLAY_USAGE)
        if k == "--verbose":
            a["verbose"] = True
        elif k.startswith("-") and k != "-":
            raise UsageError(f"replay: unknown argument '{k}' (bookedbg replay --help)")
        else:
            files.append(k)
    if len(files) != 1:
        raise UsageError("replay: give one scenario file (bookedbg replay --help)")
    a["replay"] = files[0]
    return a


def parse(argv, default_out):
    """The checked arguments as a dict; raises UsageError or Help."""
    if argv[:1] == ["--replay"]:
        return parse_replay(argv)
    a = split(argv)
    a.setdefault("config", "both")
    a.setdefault("fail-on", "any")
    a["json"] = bool(a.get("json"))
    if a["config"] not in ("pr", "hv", "both"):
        raise UsageError(f"gate: --config takes pr, hv or both, not '{a['config']}'")
    if a["fail-on"] not in ("bug", "robustness", "any"):
        raise UsageError(f"gate: --fail-on takes bug, robustness or any, not '{a['fail-on']}'")
    a["budget"] = _int("--budget", a.get("budget", "1500"), 1)
    if "random" in a and "seed" not in a:
        raise UsageError("gate: --random N needs --seed S (the scenarios are drawn from the seed)")
    a["random"] = _int("--random", a.get("random", "200"), 1)
    if "seed" in a:
        a["seed"] = _int("--seed", a["seed"], 0)
    if a.get("shard"):
        m = re.fullmatch(r"(\d+)/(\d+)", a["shard"])
        if not m or not 1 <= int(m.group(1)) <= int(m.group(2)):
            raise UsageError(f"gate: --shard takes K/N with 1 <= K <= N, not '{a['shard']}'")
        a["shard"] = (int(m.group(1)), int(m.group(2)))
    # outputs first: whatever fails after this, no stale report of an earlier run remains
    for flag in ("junit", "sarif"):
        if a.get(flag):
            _writable_file("--" + flag, a[flag])
    _check_inputs(a)
    a["out"] = a.get("out") or default_out
    _writable_dir("--out", a["out"])
    if a.get("baseline") and not os.path.isfile(a["baseline"]):
        raise UsageError(f"{a['baseline']}: --baseline: " +
                         ("a directory, not a report" if os.path.isdir(a["baseline"]) else "no such file"))
    return a


def _check_inputs(a):
    patch, kernel, base = a.get("patch"), a.get("kernel"), a.get("base")
    if not patch and not kernel:
        raise UsageError("gate: give --patch FILE or --kernel DIR (bookedbg gate --help)")
    if base and not kernel:
        raise UsageError("gate: --base REV goes with --kernel DIR (a kernel git checkout)")
    if base and patch:
        raise UsageError("gate: give --patch FILE or --base REV with --kernel, not both")
    if patch:
        if os.path.isdir(patch):
            raise UsageError(f"{patch}: --patch names a directory (use --kernel for a tree)")
        if not os.path.exists(patch):
            raise UsageError(f"{patch}: no such file")
    if kernel and not os.path.isdir(kernel):
        raise UsageError(f"{kernel}: no such directory" if not os.path.exists(kernel)
                         else f"{kernel}: --kernel names a file, not a kernel tree")
