"""Read a VCD file and draw its debug signals as an SVG timing diagram (Python 3 standard library).

    read_vcd(text) -> {"scope.name": [(time, value), ...]}   value: int, or None for x/z
    svg(signals, period, columns, names) -> str               one picture, one column per cycle

The pictures in docs/waveforms/ come from `bookedbg-sc run --vcd`: signals dbsr, dbcr0, msr_de,
debug_irq, event, events, halted, pc, the debug save registers (csrr0/csrr1 on the e500v2,
dsrr0/dsrr1 on the e500mc) and debug_vector of one module; cycle n is at time n * period.
"""
from html import escape


def read_vcd(text):
    """Every value change of every variable, by hierarchical name (scopes joined by '.')."""
    ids, scope, out = {}, [], {}
    toks = iter(text.split())
    time = 0
    for tok in toks:
        if tok == "$scope":
            next(toks)
            scope.append(next(toks))
        elif tok == "$upscope":
            scope.pop()
        elif tok == "$var":
            _kind, _width, ident, name = next(toks), next(toks), next(toks), next(toks)
            full = ".".join(scope + [name])
            ids.setdefault(ident, []).append(full)
            out[full] = []
        elif tok in ("$date", "$version", "$timescale", "$comment"):
            for t in toks:
                if t == "$end":
                    break
        elif tok.startswith("#"):
            time = int(tok[1:])
        elif tok[0] in "bB":
            value, ident = tok[1:], next(toks)
            for name in ids.get(ident, []):
                out[name].append((time, None if any(c in value for c in "xXzZ") else int(value, 2)))
        elif tok[0] in "01xXzZ" and len(tok) > 1 and tok[1:] in ids:
            for name in ids[tok[1:]]:
                out[name].append((time, int(tok[0]) if tok[0] in "01" else None))
    return out


def value_at(changes, t):
    """The value a signal holds at time t (the last change at or before t)."""
    v = None
    for when, val in changes:
        if when > t:
            break
        v = val
    return v


def _bits(value, names):
    return ",".join(n for n, m in names if value & m) or ""


COL, LEFT, ROW, TOP = 100, 96, 34, 80


def svg(signals, period, columns, names, title):
    """signals: {"dbsr": changes, ...} (short names); columns: [(label lines, notes)] for cycles
    0..n-1; names: [(name, mask)] to decode DBSR and the events."""
    rows = [("debug_irq", "debug_irq", "bit"), ("event", "event", "bit"),
            ("events", "events", "names"), ("MSR[DE]", "msr_de", "bit"),
            ("DBSR", "dbsr", "bus"), ("DBSR bits", "dbsr", "names"),
            ("DBCR0", "dbcr0", "bus"), ("PC", "pc", "bus")]
    # the save registers are the core's: CSRR0/1 (e500v2) or DSRR0/1 (e500mc)
    rows += [(key.upper(), key, "bus") for key in ("csrr0", "csrr1", "dsrr0", "dsrr1")
             if key in signals]
    rows.append(("vector", "debug_vector", "bus"))
    if any(v for _, v in signals.get("halted", [])):
        rows.append(("halted", "halted", "bit"))
    n = len(columns)
    width, height = LEFT + n * COL + 10, TOP + ROW * len(rows) + 12
    o = [f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" '
         f'viewBox="0 0 {width} {height}" font-family="monospace" font-size="11">',
         f'<title>{escape(title)}</title>',
         f'<rect width="{width}" height="{height}" fill="white"/>']
    for c, (lines, notes) in enumerate(columns):
        x = LEFT + c * COL
        fill = "#f4f4f4" if c % 2 else "white"
        o.append(f'<rect x="{x}" y="0" width="{COL}" height="{height}" fill="{fill}"/>')
        o.append(f'<text x="{x + 4}" y="12" fill="#555">cycle {c}</text>')
        for k, line in enumerate(lines[:3]):
            short = line if len(line) <= 15 else line[:14] + "\u2026"
            grey = ' fill="#777"' if line.startswith("set ") else ""
            o.append(f'<text x="{x + 4}" y="{25 + 11 * k}"{grey}><title>{escape(line)}</title>'
                     f'{escape(short)}</text>')
        for k, text in enumerate(notes[:2]):
            o.append(f'<text x="{x + 4}" y="{60 + 11 * k}" fill="#b00000"><title>{escape(text)}'
                     f'</title>{escape(text[:15])}</text>')
    end = n * period
    for r, (label, key, kind) in enumerate(rows):
        y = TOP + r * ROW
        o.append(f'<text x="4" y="{y + 20}" font-weight="bold">{escape(label)}</text>')
        changes = signals.get(key, [])
        segs = []                                  # (start, stop, value) clipped to the picture
        points = [t for t, _ in changes if t < end] + [end]
        for i, t in enumerate(points[:-1]):
            if points[i + 1] > t:
                segs.append((t, points[i + 1], value_at(changes, t)))
        xs = lambda t: LEFT + t * COL / period
        if kind == "bit":
            path = []
            for a, b, v in segs:
                yy = y + (6 if v else 26)
                path += [f"{xs(a):.1f},{yy}", f"{xs(b):.1f},{yy}"]
            color = "#b00000" if key in ("debug_irq", "event") else "#0050a0"
            o.append(f'<polyline fill="none" stroke="{color}" stroke-width="2" '
                     f'points="{" ".join(path)}"/>')
        else:
            for a, b, v in segs:
                if kind == "names" and not v:
                    o.append(f'<line x1="{xs(a):.1f}" y1="{y + 16}" x2="{xs(b):.1f}" y2="{y + 16}" '
                             f'stroke="#888"/>')
                    continue
                x0, x1 = xs(a) + 1, xs(b) - 1
                o.append(f'<polygon fill="#eef3ff" stroke="#0050a0" points="{x0:.1f},{y + 16} '
                         f'{x0 + 4:.1f},{y + 6} {x1 - 4:.1f},{y + 6} {x1:.1f},{y + 16} '
                         f'{x1 - 4:.1f},{y + 26} {x0 + 4:.1f},{y + 26}"/>')
                text = "x" if v is None else (_bits(v, names) if kind == "names"
                                              else f"0x{v:08X}")
                full = text
                room = max(1, int((x1 - x0 - 8) / 6.6))
                shown = text if len(text) <= room else text[:room - 1] + "\u2026"
                o.append(f'<text x="{x0 + 6:.1f}" y="{y + 20}"><title>{escape(full)}</title>'
                         f'{escape(shown)}</text>')
    o.append("</svg>")
    return "\n".join(o) + "\n"
