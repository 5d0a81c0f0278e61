#!/usr/bin/env python3
"""Generate the register definitions from model/dbg_regs.tab.

    gen_regs.py TABLE --c-header OUT.h --c-source OUT.c --python OUT.py
    gen_regs.py TABLE --check-kernel DEFINES.json    (cross-check masks against reg_booke.h)

The table is checked first: fields must lie in ISA bits 32..63, run forward, and not overlap within a
register; names must be unique. Any problem is reported as TABLE:LINE: message, exit 2.
"""
import json
import os
import re
import sys

CORES = {"v2": 1, "mc": 2, "-": 0}
SECTION = re.compile(r"^[a-z][a-z0-9-]*$")


class TableError(Exception):
    pass


def parse_cores(text, where):
    if text == "-":
        return 0
    bits = 0
    for c in text.split(","):
        if c not in CORES:
            raise TableError(f"{where}: unknown core '{c}' (v2, mc or -)")
        bits |= CORES[c]
    return bits


def parse(path):
    regs = []
    last = None   # the reg or field a doc line belongs to
    with open(path, encoding="utf-8") as f:
        for n, line in enumerate(f, 1):
            where = f"{path}:{n}"
            body = line.split("#", 1)[0].strip()
            if not body:
                continue
            tok = body.split()
            if tok[0] == "reg":
                if len(tok) < 6:
                    raise TableError(f"{where}: reg needs NAME SPR CORES ACCESS LEGAL")
                name, spr, cores, access, legal = tok[1:6]
                if access not in ("rw", "w1c", "wo"):
                    raise TableError(f"{where}: access must be rw, w1c or wo")
                if spr != "-" and not spr.isdigit():
                    raise TableError(f"{where}: SPR must be decimal or '-'")
                if legal not in ("fields", "all"):
                    try:
                        int(legal, 16)
                    except ValueError:
                        raise TableError(f"{where}: LEGAL must be fields, all or a hex mask")
                regs.append({"name": name, "spr": -1 if spr == "-" else int(spr),
                             "cores": parse_cores(cores, where), "access": access,
                             "legal": legal, "source": " ".join(tok[6:]), "fields": [],
                             "line": n})
            elif tok[0] == "field":
                if not regs:
                    raise TableError(f"{where}: field before any reg")
                if len(tok) < 5:
                    raise TableError(f"{where}: field needs NAME MSB[:LSB] CORES FLAGS")
                name, bits, cores, flags = tok[1:5]
                try:
                    msb, _, lsb = bits.partition(":")
                    msb = int(msb)
                    lsb = int(lsb) if lsb else msb
                except ValueError:
                    raise TableError(f"{where}: bad bit range '{bits}'")
                if not (32 <= msb <= 63 and 32 <= lsb <= 63):
                    raise TableError(f"{where}: bits {bits} outside 32..63")
                if msb > lsb:
                    raise TableError(f"{where}: bits {bits} run backwards")
                fl = {"swro": False, "opt": None}
                if flags != "-":
                    for f1 in flags.split(","):
                        if f1 == "swro":
                            fl["swro"] = True
                        elif f1.startswith("opt="):
                            fl["opt"] = f1[4:]
                        else:
                            raise TableError(f"{where}: unknown flag '{f1}'")
                width = lsb - msb + 1
                shift = 63 - lsb
                mask = ((1 << width) - 1) << shift
                reg = regs[-1]
                for other in reg["fields"]:
                    if other["name"] == name:
                        raise TableError(f"{where}: field {name} defined twice in {reg['name']}")
                    if other["mask"] & mask:
                        raise TableError(f"{where}: field {name} overlaps {other['name']} in {reg['name']}")
                reg["fields"].append({"name": name, "mask": mask, "shift": shift,
                                      "cores": parse_cores(cores, where), "swro": fl["swro"],
                                      "opt": fl["opt"], "source": " ".join(tok[5:]), "line": n})
            elif tok[0] == "doc":
                if not regs:
                    raise TableError(f"{where}: doc before any reg")
                if len(tok) < 3:
                    raise TableError(f"{where}: doc needs SECTION MEANING")
                if not SECTION.match(tok[1]):
                    raise TableError(f"{where}: bad section '{tok[1]}' (an anchor of docs/booke-debug.md)")
                target = last
                if target.get("doc"):
                    raise TableError(f"{where}: {target['name']} has a doc already")
                target["doc"] = {"section": tok[1], "meaning": " ".join(tok[2:])}
                continue
            else:
                raise TableError(f"{where}: unknown keyword '{tok[0]}'")
            last = regs[-1] if tok[0] == "reg" else regs[-1]["fields"][-1]
    seen_name, seen_spr = {}, {}
    for r in regs:
        if r["name"] in seen_name:
            raise TableError(f"{path}:{r['line']}: register {r['name']} defined twice")
        seen_name[r["name"]] = r
        if r["spr"] >= 0:
            if r["spr"] in seen_spr:
                raise TableError(f"{path}:{r['line']}: SPR {r['spr']} used by {seen_spr[r['spr']]} too")
            seen_spr[r["spr"]] = r["name"]
        if r["legal"] == "fields" and not r["fields"]:
            raise TableError(f"{path}:{r['line']}: {r['name']} is 'fields' but has none")
    return regs


def legal_mask(reg, core):
    """Bits that hold values on this core (option-dependent fields excluded)."""
    if not reg["cores"] & core:
        return 0
    if reg["legal"] == "all":
        return 0xFFFFFFFF
    if reg["legal"] != "fields":
        return int(reg["legal"], 16)
    m = 0
    for f in reg["fields"]:
        if f["cores"] & core and not f["opt"]:
            m |= f["mask"]
    return m


def opt_masks(reg):
    out = {}
    for f in reg["fields"]:
        if f["opt"]:
            out[f["opt"]] = out.get(f["opt"], 0) | f["mask"]
    return out


def emit_c_header(regs, out):
    L = ["/* Generated by model/gen_regs.py from model/dbg_regs.tab. Do not edit. */",
         "#ifndef BOOKEDBG_DBG_REGS_H", "#define BOOKEDBG_DBG_REGS_H", "",
         "#include <stdint.h>", "",
         "#define DBG_CORE_BIT_E500V2 1u", "#define DBG_CORE_BIT_E500MC 2u", "",
         "enum dbg_reg_id {"]
    for r in regs:
        L.append(f"\tDBG_REG_{r['name']},")
    L += ["\tDBG_REG_COUNT", "};", ""]
    for r in regs:
        L.append(f"/* {r['name']}: {r['source']} */")
        if r["spr"] >= 0:
            L.append(f"#define DBG_SPR_{r['name']} {r['spr']}")
        L.append(f"#define {r['name']}_LEGAL_E500V2 0x{legal_mask(r, 1):08X}u")
        L.append(f"#define {r['name']}_LEGAL_E500MC 0x{legal_mask(r, 2):08X}u")
        for opt, m in sorted(opt_masks(r).items()):
            L.append(f"#define {r['name']}_OPT_{opt} 0x{m:08X}u")
        swro = 0
        for f in r["fields"]:
            L.append(f"#define {r['name']}_{f['name']} 0x{f['mask']:08X}u")
            L.append(f"#define {r['name']}_{f['name']}_SHIFT {f['shift']}")
            if f["swro"]:
                swro |= f["mask"]
        L.append(f"#define {r['name']}_SWRO 0x{swro:08X}u")
        L.append("")
    L += ["#ifdef __cplusplus", 'extern "C" {', "#endif", "",
          "enum dbg_reg_access { DBG_ACC_RW, DBG_ACC_W1C, DBG_ACC_WO };", "",
          "struct dbg_reg_desc {", "\tconst char *name;", "\tint spr;            /* -1: MSR */",
          "\tunsigned cores;      /* DBG_CORE_BIT_* */", "\tenum dbg_reg_access access;",
          "\tuint32_t legal[2];   /* [0] e500v2, [1] e500mc */", "};", "",
          "struct dbg_field_desc {", "\tconst char *name;", "\tenum dbg_reg_id reg;",
          "\tuint32_t mask;", "\tunsigned shift;", "};", "",
          "/* For readers (the trace explorer): the section of docs/booke-debug.md and a short",
          " * meaning of each register and field; NULL where the table has no doc line. */",
          "struct dbg_doc {", "\tconst char *section;", "\tconst char *meaning;", "};", "",
          "extern const struct dbg_doc dbg_reg_doc[DBG_REG_COUNT];",
          "extern const struct dbg_doc dbg_field_doc[];   /* indexed as dbg_field_desc */",
          "extern const struct dbg_reg_desc dbg_reg_desc[DBG_REG_COUNT];",
          "extern const struct dbg_field_desc dbg_field_desc[];",
          "extern const unsigned dbg_field_count;", "", "#ifdef __cplusplus", "}", "#endif", "",
          "#endif", ""]
    out.write("\n".join(L))


def emit_c_source(regs, out):
    acc = {"rw": "DBG_ACC_RW", "w1c": "DBG_ACC_W1C", "wo": "DBG_ACC_WO"}
    L = ["/* Generated by model/gen_regs.py from model/dbg_regs.tab. Do not edit. */",
         "#include <stddef.h>", "", '#include "dbg_regs.h"', "",
         "const struct dbg_reg_desc dbg_reg_desc[DBG_REG_COUNT] = {"]
    for r in regs:
        L.append(f"\t[DBG_REG_{r['name']}] = {{ \"{r['name']}\", {r['spr']}, {r['cores']}u, "
                 f"{acc[r['access']]}, {{ 0x{legal_mask(r, 1):08X}u, 0x{legal_mask(r, 2):08X}u }} }},")
    L += ["};", "", "const struct dbg_field_desc dbg_field_desc[] = {"]
    count = 0
    for r in regs:
        for f in r["fields"]:
            L.append(f"\t{{ \"{f['name']}\", DBG_REG_{r['name']}, 0x{f['mask']:08X}u, {f['shift']} }},")
            count += 1
    L += ["};", f"const unsigned dbg_field_count = {count};", ""]
    L += ["const struct dbg_doc dbg_reg_doc[DBG_REG_COUNT] = {"]
    for r in regs:
        L.append(f"\t[DBG_REG_{r['name']}] = {c_doc(r)},")
    L += ["};", "", "const struct dbg_doc dbg_field_doc[] = {"]
    for r in regs:
        for f in r["fields"]:
            L.append(f"\t{c_doc(f)},   /* {r['name']}[{f['name']}] */")
    L += ["};", ""]
    out.write("\n".join(L))


def c_string(text):
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'


def c_doc(item):
    d = item.get("doc")
    if not d:
        return "{ NULL, NULL }"
    return f"{{ {c_string(d['section'])}, {c_string(d['meaning'])} }}"


def emit_python(regs, out):
    L = ['"""Generated by model/gen_regs.py from model/dbg_regs.tab. Do not edit."""', ""]
    table = {}
    for r in regs:
        if r["spr"] >= 0:
            L.append(f"SPR_{r['name']} = {r['spr']}")
        for f in r["fields"]:
            L.append(f"{r['name']}_{f['name']} = 0x{f['mask']:08X}")
        table[r["name"]] = {"spr": r["spr"], "cores": r["cores"], "access": r["access"],
                            "legal": [legal_mask(r, 1), legal_mask(r, 2)],
                            "fields": {f["name"]: f["mask"] for f in r["fields"]},
                            "doc": r.get("doc"),
                            "field_docs": {f["name"]: f.get("doc") for f in r["fields"]}}
    L.append("")
    L.append("REGS = " + json.dumps(table, sort_keys=True, indent=1))
    L.append("")
    out.write("\n".join(L))


# reg_booke.h names that differ from ours: kernel name -> (register, field)
KERNEL_ALIASES = {"DBCR0_IC": ("DBCR0", "ICMP"), "DBCR0_BT": ("DBCR0", "BRT"),
                  "DBCR0_TIE": ("DBCR0", "TRAP"), "DBSR_IC": ("DBSR", "ICMP"),
                  "DBSR_BT": ("DBSR", "BRT"), "DBSR_TIE": ("DBSR", "TRAP"),
                  "DBCR0_IRPT": ("DBCR0", "IRPT"), "DBSR_IRPT": ("DBSR", "IRPT")}


# reg_booke.h names that are encodings of a multi-bit field, not the field mask:
# kernel name -> (register, field, encoding) [RB]; #iac, #dac
KERNEL_ENCODINGS = {"DBCR1_IAC12M": ("DBCR1", "IAC12M", 2), "DBCR1_IAC12MX": ("DBCR1", "IAC12M", 3),
                    "DBCR1_IAC34M": ("DBCR1", "IAC34M", 2), "DBCR1_IAC34MX": ("DBCR1", "IAC34M", 3),
                    "DBCR2_DAC12M": ("DBCR2", "DAC12M", 2), "DBCR2_DAC12MM": ("DBCR2", "DAC12M", 1),
                    "DBCR2_DAC12MX": ("DBCR2", "DAC12M", 3)}


def check_kernel(regs, defines):
    """Compare every field whose kernel macro exists; return a list of mismatches."""
    ours = {}
    for r in regs:
        for f in r["fields"]:
            ours[f"{r['name']}_{f['name']}"] = f["mask"]
        if r["spr"] >= 0:
            ours[f"SPRN_{r['name']}"] = r["spr"]
    for k, (reg, fld) in KERNEL_ALIASES.items():
        ours[k] = ours[f"{reg}_{fld}"]
    for k, (reg, fld, enc) in KERNEL_ENCODINGS.items():
        f = next(f for r in regs if r["name"] == reg for f in r["fields"] if f["name"] == fld)
        ours[k] = enc << f["shift"]
    bad, checked = [], 0
    for name, val in sorted(defines.items()):
        if name in ours and isinstance(val, int):
            checked += 1
            if val != ours[name]:
                bad.append(f"{name}: kernel 0x{val:08X}, table 0x{ours[name]:08X}")
    return checked, bad


def write_atomic(path, fn, regs):
    tmp = path + ".tmp"
    with open(tmp, "w", encoding="utf-8") as out:
        fn(regs, out)
    os.replace(tmp, path)


def main(argv):
    if len(argv) < 2:
        print("usage: gen_regs.py TABLE [--c-header F] [--c-source F] [--python F] "
              "[--check-kernel DEFINES.json]", file=sys.stderr)
        return 2
    try:
        regs = parse(argv[1])
    except TableError as e:
        print(e, file=sys.stderr)
        return 2
    except OSError as e:
        print(f"{argv[1]}: {e.strerror}", file=sys.stderr)
        return 2
    args = argv[2:]
    emitters = {"--c-header": emit_c_header, "--c-source": emit_c_source, "--python": emit_python}
    i = 0
    while i < len(args):
        opt = args[i]
        if i + 1 >= len(args):
            print(f"gen_regs.py: {opt} needs a file", file=sys.stderr)
            return 2
        if opt in emitters:
            write_atomic(args[i + 1], emitters[opt], regs)
        elif opt == "--check-kernel":
            with open(args[i + 1], encoding="utf-8") as f:
                data = json.load(f)
            defines = data.get("defines", data)
            checked, bad = check_kernel(regs, defines)
            for b in bad:
                print(f"{argv[1]}: kernel mismatch: {b}", file=sys.stderr)
            print(f"register table: {checked} kernel masks checked, {len(bad)} mismatches")
            if bad:
                return 1
        else:
            print(f"gen_regs.py: unknown option {opt}", file=sys.stderr)
            return 2
        i += 2
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
