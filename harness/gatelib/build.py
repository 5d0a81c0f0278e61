"""From an input to a runnable harness: extraction (extract.py) and the compile of one
configuration (the kernel translation unit from gate_kernel.py + gate_world.c + the model)."""
import json
import os
import re
import subprocess
import sys

HARNESS = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
ROOT = os.path.dirname(HARNESS)
if HARNESS not in sys.path:
    sys.path.insert(0, HARNESS)

import gate_kernel  # noqa: E402  (the translation-unit writer)


# Our side of the harness (the world, the kernel-block trace, the native reference), built with
# -Werror; the kernel side is gate_kernel.c.
WORLD_SOURCES = ["gate_world.c", "gate_trace.c", "gate_native.c"]


class GateError(Exception):
    """An input or build error: str() is the message, exit 2."""


# The kernel configuration each gate configuration compiles with.
COMMON_CONFIG = ["CONFIG_BOOKE", "CONFIG_PPC_ADV_DEBUG_REGS", "CONFIG_PPC_ADV_DEBUG_IACS=2",
                 "CONFIG_PPC_ADV_DEBUG_DACS=2", "CONFIG_PPC_ADV_DEBUG_DVCS=0", "CONFIG_PPC_E500",
                 "CONFIG_PPC_FSL_BOOK3E"]
CONFIG = {"pr": COMMON_CONFIG + ["CONFIG_KVM_E500V2"],
          "hv": COMMON_CONFIG + ["CONFIG_KVM_BOOKE_HV", "CONFIG_KVM_E500MC"]}


def make_flags():
    """The compiler flags of mk/flags.mk (the Makefile's own), by name: NAME := value lines, where a
    value may use $(NAME) of an earlier line. Installed prefixes carry the file in share/bookedbg/mk."""
    for path in (os.path.join(ROOT, "mk", "flags.mk"),
                 os.path.join(os.path.dirname(build_dir()), "share", "bookedbg", "mk", "flags.mk")):
        if os.path.exists(path):
            break
    else:
        raise GateError("mk/flags.mk: not found (the compiler flags of the build)")
    flags = {}
    with open(path, encoding="utf-8") as f:
        for line in f:
            if ":=" not in line or line.lstrip().startswith("#"):
                continue
            name, value = (x.strip() for x in line.split(":=", 1))
            flags[name] = re.sub(r"\$\((\w+)\)", lambda m: flags.get(m.group(1), ""), value).split()
    return flags


def build_dir():
    """The build the CLI runs from ($BOOKEDBG is the bookedbg executable that called us)."""
    if os.environ.get("BOOKEDBG"):
        return os.path.dirname(os.path.abspath(os.environ["BOOKEDBG"]))
    return os.path.join(ROOT, "build")


def toolchain():
    """Library, generated headers and model headers: from the build tree, or an installed prefix."""
    bdir = build_dir()
    lib = os.path.join(bdir, "lib", "libbookedbg.a")
    if os.path.exists(lib):
        return lib, os.path.join(bdir, "gen"), os.path.join(ROOT, "model")
    prefix = os.path.dirname(bdir)
    return (os.path.join(prefix, "lib", "libbookedbg.a"),
            os.path.join(prefix, "share", "bookedbg", "gen"),
            os.path.join(prefix, "include", "bookedbg"))


def default_out():
    bdir = build_dir()
    if os.path.exists(os.path.join(bdir, "lib", "libbookedbg.a")):
        return os.path.join(bdir, "gate")
    return os.path.join(os.getcwd(), "bookedbg-gate")


def run(cmd, **kw):
    return subprocess.run(cmd, capture_output=True, text=True, **kw)


def extract(source, out):
    """source: {"patch": FILE} or {"kernel": DIR}; returns the manifest."""
    cmd = [sys.executable, os.path.join(HARNESS, "extract.py")]
    cmd += ["--patch", source["patch"]] if source.get("patch") else ["--kernel", source["kernel"]]
    cmd += ["--out", out]
    p = run(cmd)
    if p.returncode != 0:
        raise GateError(p.stderr.strip() or "extraction failed")
    with open(os.path.join(out, "manifest.json"), encoding="utf-8") as f:
        return json.load(f)


def sanitizer_flags(gen):
    sf = os.path.join(build_dir(), "san-flags")
    if not os.path.exists(sf):
        sf = os.path.join(gen, "san-flags")     # an installed prefix
    if not os.path.exists(sf):
        return []
    with open(sf, encoding="utf-8") as f:
        return f.read().split()


def build_harness(manifest, xdir, config, work):
    """Write and compile the harness for one configuration; returns (profile, binary path)."""
    lib, gen, model_inc = toolchain()
    if not os.path.exists(lib) or not os.path.exists(os.path.join(gen, "dbg_regs.py")):
        raise GateError(f"{lib}: the model library is not built (run make)")
    os.makedirs(work, exist_ok=True)
    san = sanitizer_flags(gen)
    try:
        profile, defs = gate_kernel.write_tu(manifest, xdir, config, work, gen)
    except gate_kernel.TUError as e:
        raise GateError(str(e))
    cfg = ["-D" + c for c in CONFIG[config]]
    kobj = os.path.join(work, "gate_kernel.o")
    binary = os.path.join(work, "harness")
    # kernel code is not ours: no -Werror there, but it must compile
    # every basic block of the kernel code reports itself (gate_trace.c): which lines ran
    fl = make_flags()
    p = run(["gcc"] + fl["KERNEL_CFLAGS"] + ["-fsanitize-coverage=trace-pc"] + san +
            ["-I" + work, "-I" + os.path.join(HARNESS, "shim"), "-I" + HARNESS] + cfg +
            ["-c", os.path.join(work, "gate_kernel.c"), "-o", kobj])
    if p.returncode != 0:
        raise GateError("the extracted kernel code does not compile in the "
                        f"{profile} profile:\n" + p.stderr.strip()[:3000])
    world_defs = [f"-DGATE_HV={1 if config == 'hv' else 0}",
                  f"-DGATE_DEBUG_BREAKPOINT={defs['KVMPPC_DEBUG_BREAKPOINT']}",
                  f"-DGATE_DEBUG_WATCH_WRITE={defs['KVMPPC_DEBUG_WATCH_WRITE']}",
                  f"-DGATE_DEBUG_WATCH_READ={defs['KVMPPC_DEBUG_WATCH_READ']}"]
    objs = []
    for src in WORLD_SOURCES:
        obj = os.path.join(work, src.replace(".c", ".o"))
        p = run(["gcc"] + fl["C_STD"] + ["-g"] + fl["GATE_OPT"] + fl["C_WARN"] + fl["C_DEFS"] + san + [
                 "-I" + model_inc, "-I" + gen, "-I" + HARNESS] + world_defs +
                ["-c", os.path.join(HARNESS, src), "-o", obj])
        if p.returncode != 0:
            raise GateError(f"harness/{src} does not compile:\n" + p.stderr.strip()[:3000])
        objs.append(obj)
    # fixed addresses, so addr2line maps the trace without knowing where the binary was loaded
    p = run(["gcc", "-no-pie"] + san + ["-o", binary, kobj] + objs + [lib])
    if p.returncode != 0:
        raise GateError("linking the harness failed:\n" + p.stderr.strip()[:3000])
    return profile, binary
