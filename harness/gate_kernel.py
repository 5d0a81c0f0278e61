"""Write the kernel-side translation unit of a gate harness from an extraction manifest.

The extracted functions are placed in their kernel file order (so a static helper is defined before
its user, as in the kernel), each under a #line directive that points at the kernel file. Fragments
of functions the patch only changes are completed by small per-version templates (the way
tools/testing/vma wraps mm/vma.c): the templates supply what the hunk does not show.
"""
import importlib.util
import os
import re

import extract   # its C lexing (comments and strings masked, preprocessor lines known)

FILE_RANK = {"arch/powerpc/kvm/booke.h": 0, "arch/powerpc/kernel/process.c": 1,
             "arch/powerpc/kvm/booke.c": 2}

# Functions of the 6.1 tree the harness compiles (kvmppc_vcpu_run is taken as its debug window).
V61_FUNCTIONS = {"kvmppc_clear_dbsr", "prime_debug_regs", "switch_booke_debug_regs",
                 "kvmppc_vcpu_sync_debug", "kvmppc_set_msr", "kvmppc_core_queue_debug",
                 "kvmppc_core_dequeue_debug", "kvmppc_handle_debug", "kvmppc_restart_interrupt",
                 "kvmppc_subarch_vcpu_init", "kvmppc_booke_add_breakpoint",
                 "kvmppc_booke_add_watchpoint", "kvm_guest_protect_msr",
                 "kvm_arch_vcpu_ioctl_set_guest_debug", "kvmppc_booke_vcpu_load",
                 "kvmppc_booke_vcpu_put", "emulation_exit", "kvmppc_resume_inst_load"}

# Functions whose switch serves far more than the debug facility: only these case groups are
# compiled (the others become blank lines, so the kernel's line numbers stay as they are).
DEBUG_CASES = {
    "kvmppc_booke_emulate_mtspr": r"SPRN_(IAC[1-4]|DAC[12]|DBCR[0-2]|DBSR)",
    "kvmppc_booke_emulate_mfspr": r"SPRN_(IAC[1-4]|DAC[12]|DBCR[0-2]|DBSR)",
    "kvmppc_get_one_reg": r"KVM_REG_PPC_(IAC[1-4]|DAC[12]|DBSR|DEBUG_INST)",
    "kvmppc_set_one_reg": r"KVM_REG_PPC_(IAC[1-4]|DAC[12]|DBSR|DEBUG_INST)",
    # the exits that reach the debug code: a debug interrupt, a software breakpoint's program
    # interrupt
    "kvmppc_handle_exit": r"BOOKE_INTERRUPT_(DEBUG|PROGRAM)",
}
V61_FUNCTIONS |= set(DEBUG_CASES)

SHIM = os.path.join(os.path.dirname(os.path.abspath(__file__)), "shim")


def templates(profile):
    """name -> C text with @KERNEL@, from shim/wrap_PROFILE.tmpl ('@@ name' starts a section)."""
    path = os.path.join(SHIM, f"wrap_{'v3' if profile == 'v3' else 'v61'}.tmpl")
    out, name = {}, None
    with open(path, encoding="utf-8") as f:
        for line in f:
            if line.startswith("@@ "):
                name = line[3:].strip()
                out[name] = ""
            elif name:
                out[name] += line
    return {k: v.strip("\n") + "\n" for k, v in out.items()}


def wrap(tmpl, item, lines, first):
    """The template with the kernel's lines (the item's from index first) under #line."""
    return tmpl.replace("@KERNEL@", f'#line {item["line_start"] + first} "{item["file"]}"\n' +
                        "\n".join(lines))


class TUError(Exception):
    pass


def load_regs(gen):
    spec = importlib.util.spec_from_file_location("dbg_regs", os.path.join(gen, "dbg_regs.py"))
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    return mod.REGS


def kernel_names(regs):
    """Our register table under the kernel's names (reg_booke.h and reg.h spellings)."""
    d = {}
    for name, r in regs.items():
        if r["spr"] >= 0:
            d[f"SPRN_{name}"] = r["spr"]
        for f, m in r["fields"].items():
            d[f"{name}_{f}"] = m
    for reg in ("DBCR0", "DBSR"):
        d[f"{reg}_IC"] = d[f"{reg}_ICMP"]
        d[f"{reg}_BT"] = d[f"{reg}_BRT"]
        d[f"{reg}_TIE"] = d[f"{reg}_TRAP"]
    d["MSR_USER"] = d["MSR_ME"] | d["MSR_CE"] | d["MSR_PR"] | d["MSR_EE"]
    return d


def strip_comments(text):
    return re.sub(r"/\*.*?\*/", "", text, flags=re.S)


def debug_window(lines):
    """The preprocessor-free run of lines around the __kvmppc_vcpu_run call."""
    call = next((i for i, l in enumerate(lines) if "__kvmppc_vcpu_run(" in l), None)
    if call is None:
        raise TUError("kvmppc_vcpu_run: no __kvmppc_vcpu_run call in the extracted text")
    a = call
    while a > 0 and not lines[a - 1].lstrip().startswith("#") and not lines[a - 1].startswith("{") \
            and not re.match(r"^\w.*\(", lines[a - 1]):
        a -= 1
    b = call
    while b + 1 < len(lines) and not lines[b + 1].lstrip().startswith("#") and \
            not lines[b + 1].startswith("}") and not re.match(r"^\w+:", lines[b + 1]):
        b += 1
    return a, b


def case_block(lines, label):
    start = next((i for i, l in enumerate(lines) if re.search(r"case\s+" + label + r"\s*:", l)), None)
    if start is None:
        raise TUError(f"kvmppc_handle_exit: no 'case {label}' in the extracted text")
    depth, seen_break = 0, False
    for i in range(start, len(lines)):
        depth += lines[i].count("{") - lines[i].count("}")
        seen_break |= "break;" in lines[i]
        if seen_break and depth <= 0:
            return start, i
    return start, len(lines) - 1


_LABEL = re.compile(r"^\s*(?:case\s+(\w+)|default)\s*:")


def keep_cases(lines, keep):
    """The function with the case groups of its top-level switches that name no label matching
    keep blanked out (default: stays). Preprocessor lines stay, so conditional blocks still pair
    up; what lies between two switches stays."""
    ct = extract.CText(lines)
    depth, groups = 0, []
    for i, code in enumerate(ct.masked):
        m = _LABEL.match(code) if depth == 2 and not ct.pp[i] else None
        if m:
            # consecutive labels (fall-through) form one group; a label after code opens another
            if not groups or groups[-1]["body"] or groups[-1]["end"] is not None:
                groups.append({"start": i, "labels": [], "body": False, "end": None})
            groups[-1]["labels"].append(m.group(1) or "default")
            groups[-1]["body"] = bool(code[m.end():].strip(" \t{"))
        elif groups and depth >= 2 and not ct.pp[i] and code.strip():
            groups[-1]["body"] = True
        depth += code.count("{") - code.count("}")
        if groups and depth < 2 and groups[-1]["end"] is None:
            groups[-1]["end"] = i           # the closing brace of the switch it belongs to
    if not groups:
        raise TUError("no switch with case labels in the extracted text")
    out = list(lines)
    for k, g in enumerate(groups):
        end = g["end"] if g["end"] is not None else groups[k + 1]["start"]
        if not any(l == "default" or re.fullmatch(keep, l) for l in g["labels"]):
            for i in range(g["start"], end):
                if not ct.pp[i]:
                    out[i] = ""
    return out


def item_text(xdir, it):
    with open(os.path.join(xdir, it["path"]), encoding="utf-8") as f:
        return f.read()


def write_tu(manifest, xdir, config, work, gen):
    hint = manifest.get("version_hint")
    profile = "v3" if hint == "v3" else "6.1"
    regs = load_regs(gen)
    names = kernel_names(regs)
    kdefs = manifest.get("defines", {})
    defs = dict(names)
    if profile == "6.1":
        # the kernel under test defines its own masks: use them, not ours
        for k, v in kdefs.items():
            if isinstance(v, int) and not k.startswith("KVMPPC_BOOKE_"):
                defs[k] = v
    else:
        for k, v in kdefs.items():
            if isinstance(v, int) and k.startswith(("KVMPPC_DEBUG_", "KVM_GUESTDBG_")):
                defs[k] = v
    for k in ("KVMPPC_DEBUG_BREAKPOINT", "KVMPPC_DEBUG_WATCH_WRITE", "KVMPPC_DEBUG_WATCH_READ"):
        if k not in defs:
            # an ordinary patch changes functions in place: the rest of them is in its base tree
            raise TUError(f"{manifest.get('source')}: {k} is not defined by the input; a patch that "
                          "changes the debug code in place does not carry it whole: gate it on its "
                          f"base tree: bookedbg gate --kernel BASE --patch {manifest.get('source')}")
    out = ["/* Generated by harness/gate_kernel.py: register names for the kernel code. */"]
    for k in sorted(defs):
        out.append(f"#undef {k}\n#define {k} 0x{defs[k]:X}u")
    fields = [strip_comments(item_text(xdir, it)).strip() for it in manifest["items"]
              if it["kind"] == "field" and it["name"].startswith("kvm_vcpu_arch.")]
    out.append("#define GATE_PATCH_ARCH_FIELDS " + " ".join(" ".join(f.split()) for f in fields))
    with open(os.path.join(work, "gate_defs.h"), "w", encoding="utf-8") as f:
        f.write("\n".join(out) + "\n")

    items = sorted((it for it in manifest["items"] if it["kind"] in ("function", "inline", "fragment")),
                   key=lambda it: (FILE_RANK.get(it["file"], 3), it["line_start"]))
    tu = ['#include "kernel.h"', f'#include "profile_{"v3" if profile == "v3" else "v61"}.h"', ""]
    tmpl = templates(profile)
    for it in items:
        name, text = it["name"], item_text(xdir, it)
        lines = text.splitlines()
        line0 = it["line_start"]
        if name == "kvmppc_vcpu_run":
            a, b = debug_window(lines)
            tu.append(wrap(tmpl[name], it, lines[a:b + 1], a))
            continue
        if profile == "6.1" and name not in V61_FUNCTIONS:
            continue
        if profile == "6.1" and name in DEBUG_CASES:
            text = "\n".join(keep_cases(lines, DEBUG_CASES[name]))
        if it["kind"] == "fragment":
            if name == "kvmppc_handle_exit":
                a, b = case_block(lines, "BOOKE_INTERRUPT_DEBUG")
                tu.append(wrap(tmpl[name], it, lines[a:b + 1], a))
            elif name in tmpl:
                tu.append(wrap(tmpl[name], it, lines, 0))
            continue
        tu.append(f'#line {line0} "{it["file"]}"\n{text}\n')
    tu.append(f'#include "profile_{"v3" if profile == "v3" else "v61"}.c"\n')
    with open(os.path.join(work, "gate_kernel.c"), "w", encoding="utf-8") as f:
        f.write("\n".join(tu))
    return profile, {k: defs[k] for k in ("KVMPPC_DEBUG_BREAKPOINT", "KVMPPC_DEBUG_WATCH_WRITE",
                                          "KVMPPC_DEBUG_WATCH_READ")}
