"""Draw a pedigree as SVG text in the standard nomenclature (no plotting library needed).

Symbols follow the NSGC recommendations (Bennett et al., J Genet Couns 2008;17:424, "Standardized
human pedigree nomenclature: update and assessment"): squares for males, circles for females,
filled symbols for affected members, a central dot for a carrier who is not affected (drawn when
P(carrier) >= :data:`CARRIER_DOT_THRESHOLD`, i.e. obligate or known carriers), a diagonal slash for
deceased members, an arrow at the lower left for the proband, a horizontal line joining partners
(double when they share an ancestor), a vertical line from the couple to the sibship line above
their children, and generations aligned in rows labelled with Roman numerals. Below each
symbol, in the order Bennett et al. give: the id, the age when the PED file has an ``age`` column
(``45 y``; ``d. 62 y`` for a deceased member), the test result (``E+``/``E-``: carrier test
positive/negative, Bennett's "E" for an evaluation) and a known genotype (``A``, ``NA`` ...).
A known carrier (genotype ``NA``, or a positive carrier test) gets the carrier dot too. A legend
at the right explains every symbol and mark the drawing uses (as pedigreejs and Progeny add one).
With a :class:`~hemesim.genetics.risk.RiskResult`, each member is labelled with P(carrier).

Layout: each generation is a row (:meth:`Pedigree.generations`); within a row members are ordered
by the mean position of their parents (sibships stay together) and partners who married in are
placed beside their partner.
"""

from __future__ import annotations

import os
from collections.abc import Sequence
from html import escape
from pathlib import Path
from typing import TYPE_CHECKING

from hemesim.errors import PedigreeError
from hemesim.genetics.pedigree import Individual, Pedigree
from hemesim.safe_io import os_error_reason, write_text_atomic

if TYPE_CHECKING:
    from hemesim.genetics.risk import RiskResult

__all__ = ["CARRIER_DOT_THRESHOLD", "draw_svg", "layout", "write_svg"]

CARRIER_DOT_THRESHOLD = 0.999
_SIZE = 30.0  # symbol size (px)
_DX = 90.0  # horizontal spacing (px)
_DY = 120.0  # generation spacing (px)
_MARGIN = 60.0
_LINE = 13.0  # text line under a symbol (px)
_LINE_LEGEND = 20.0  # legend row (px)
_LEGEND_WIDTH = 330.0  # legend column, frame and margin (px)


def _roman(n: int) -> str:
    vals = [(10, "X"), (9, "IX"), (5, "V"), (4, "IV"), (1, "I")]
    out = ""
    for v, s in vals:
        while n >= v:
            out += s
            n -= v
    return out


def layout(pedigree: Pedigree) -> tuple[list[float], list[int]]:
    """Slot positions (x in spacing units) and generation of each member.

    Returns
    -------
    x, gen
        Horizontal slot (0, 1, 2, ...) within the member's row and the row number.
    """
    gen = pedigree.generations()
    fathers, mothers = pedigree.parents_index()
    n = len(pedigree)
    partners: list[list[int]] = [[] for _ in range(n)]
    for i in range(n):
        f, m = fathers[i], mothers[i]
        if f >= 0:
            if m not in partners[f]:
                partners[f].append(m)
            if f not in partners[m]:
                partners[m].append(f)
    x = [0.0] * n
    for level in sorted(set(gen)):
        row = [i for i in range(n) if gen[i] == level]
        anchored = sorted(
            (i for i in row if fathers[i] >= 0),
            key=lambda i: ((x[fathers[i]] + x[mothers[i]]) / 2.0, i),
        )
        ordered: list[int] = list(anchored)
        for i in row:  # founders on this row: next to their first partner already placed
            if fathers[i] >= 0 or i in ordered:
                continue
            placed = [p for p in partners[i] if p in ordered]
            at = ordered.index(placed[0]) + 1 if placed else len(ordered)
            while at < len(ordered) and fathers[ordered[at]] < 0:
                at += 1  # after partners inserted earlier
            ordered.insert(at, i)
            for p in partners[i]:  # top row: bring this founder's founder partners along
                if gen[p] == level and fathers[p] < 0 and p not in ordered:
                    ordered.insert(ordered.index(i) + 1, p)
        for slot, i in enumerate(ordered):
            x[i] = float(slot)
    return x, gen


def _ancestors(i: int, fathers: list[int], mothers: list[int]) -> set[int]:
    out: set[int] = set()
    stack = [i]
    while stack:
        j = stack.pop()
        for p in (fathers[j], mothers[j]):
            if p >= 0 and p not in out:
                out.add(p)
                stack.append(p)
    return out


def draw_svg(pedigree: Pedigree, result: RiskResult | None = None, *, title: str = "") -> str:
    """Return the pedigree as an SVG document (text).

    Parameters
    ----------
    pedigree
        The pedigree to draw.
    result
        Optional risk result; adds ``P(c)=...`` under each member and the carrier dots.
    title
        Optional caption at the top.
    """
    slots, gen = layout(pedigree)
    fathers, mothers = pedigree.parents_index()
    members = pedigree.individuals
    n = len(members)
    p_carrier = None
    if result is not None:
        if len(result.members) != n:
            raise PedigreeError("draw: the risk result does not belong to this pedigree")
        p_carrier = [m.p_carrier for m in result.members]
    notes = [_notes(ind) for ind in members]
    lines = 1 + max(len(x) for x in notes) + (p_carrier is not None)
    half = _SIZE / 2
    # the sibship line of the row below (at 0.55 dy) must clear the text under this row
    dy = max(_DY, (half + 14 + _LINE * (lines - 1) + 10) / 0.55)
    cx = [_MARGIN + 40 + s * _DX for s in slots]
    cy = [_MARGIN + (20 if title else 0) + g * dy for g in gen]
    legend = _legend_items(members, notes, p_carrier)
    legend_x = max(cx) + half + 50
    width = legend_x + _LEGEND_WIDTH
    height = max(
        max(cy) + half + _LINE * lines + _MARGIN, _MARGIN + 24 + _LINE_LEGEND * len(legend)
    )
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{width:.0f}" height="{height:.0f}" '
        f'viewBox="0 0 {width:.0f} {height:.0f}" font-family="sans-serif" font-size="11">',
        '<rect width="100%" height="100%" fill="white"/>',
        '<g stroke="black" stroke-width="1.5" fill="none" class="lines">',
    ]
    if title:
        parts.insert(2, f'<text x="{width / 2:.1f}" y="24" text-anchor="middle" '
                        f'font-size="14">{escape(title)}</text>')  # fmt: skip
    # couples and sibships
    couples: dict[tuple[int, int], list[int]] = {}
    for i in range(n):
        if fathers[i] >= 0:
            couples.setdefault((fathers[i], mothers[i]), []).append(i)
    arcs_in_row: dict[int, int] = {}
    for (f, m), kids in couples.items():
        left, right = (f, m) if cx[f] <= cx[m] else (m, f)
        y = (cy[f] + cy[m]) / 2
        x1, x2 = cx[left] + half, cx[right] - half
        consang = bool(_ancestors(f, fathers, mothers) & _ancestors(m, fathers, mothers))
        between = gen[f] == gen[m] and abs(slots[f] - slots[m]) > 1
        if between:  # members sit between the partners: join them above the row instead
            k = arcs_in_row.get(gen[f], 0)
            arcs_in_row[gen[f]] = k + 1
            top = y - half - 8 - 7 * (k % 3)
            cls = "couple consanguineous" if consang else "couple"
            parts.append(f'<path d="M{cx[left]:.1f},{y - half:.1f} V{top:.1f} H{cx[right]:.1f} '
                         f'V{y - half:.1f}" class="{cls}"/>')  # fmt: skip
            y = top
        elif consang:
            parts.append(f'<path d="M{x1:.1f},{y - 2:.1f} H{x2:.1f} M{x1:.1f},{y + 2:.1f} '
                         f'H{x2:.1f}" class="couple consanguineous"/>')  # fmt: skip
        else:
            parts.append(f'<path d="M{x1:.1f},{y:.1f} H{x2:.1f}" class="couple"/>')
        mid = (cx[left] + cx[right]) / 2
        if between and abs(slots[f] - slots[m]) % 2 == 0:
            mid += _DX / 2  # drop between two symbols, not through one
        ky = min(cy[k] for k in kids)
        sib_y = ky - dy * 0.45
        xs = sorted(cx[k] for k in kids)
        d = f"M{mid:.1f},{y:.1f} V{sib_y:.1f} "
        d += f"M{min(xs[0], mid):.1f},{sib_y:.1f} H{max(xs[-1], mid):.1f} "
        d += " ".join(f"M{cx[k]:.1f},{sib_y:.1f} V{cy[k] - half:.1f}" for k in kids)
        parts.append(f'<path d="{d}" class="sibship"/>')
    parts.append("</g>")
    # generation labels
    for g in sorted(set(gen)):
        y = _MARGIN + (20 if title else 0) + g * dy
        parts.append(f'<text x="12" y="{y + 4:.1f}" font-weight="bold">{_roman(g + 1)}</text>')
    # symbols
    for i, ind in enumerate(members):
        x, y = cx[i], cy[i]
        fill = "black" if ind.affected else "white"
        cls = "member " + ("male" if ind.sex == "male" else "female")
        cls += " affected" if ind.affected else (" unaffected" if ind.affected is False else "")
        parts.append(f'<g class="{cls}" id="ind-{escape(ind.id, quote=True)}">')
        parts.append(f"<title>{escape(ind.id)}</title>")
        if ind.sex == "male":
            parts.append(
                f'<rect x="{x - half:.1f}" y="{y - half:.1f}" width="{_SIZE:.0f}" '
                f'height="{_SIZE:.0f}" fill="{fill}" stroke="black" stroke-width="1.5"/>'
            )
        else:
            parts.append(
                f'<circle cx="{x:.1f}" cy="{y:.1f}" r="{half:.1f}" fill="{fill}" '
                'stroke="black" stroke-width="1.5"/>'
            )
        carrier = _known_carrier(ind) or (
            p_carrier is not None and p_carrier[i] >= CARRIER_DOT_THRESHOLD
        )
        if carrier and not ind.affected:
            parts.append(f'<circle cx="{x:.1f}" cy="{y:.1f}" r="4" fill="black" class="carrier"/>')
        if ind.deceased:
            parts.append(
                f'<line x1="{x - half - 6:.1f}" y1="{y + half + 6:.1f}" x2="{x + half + 6:.1f}" '
                f'y2="{y - half - 6:.1f}" stroke="black" stroke-width="1.5" class="deceased"/>'
            )
        if ind.proband:
            ax, ay = x - half - 4, y + half + 4
            parts.append(
                f'<path d="M{ax - 16:.1f},{ay + 16:.1f} L{ax:.1f},{ay:.1f} '
                f'M{ax - 7:.1f},{ay:.1f} L{ax:.1f},{ay:.1f} L{ax:.1f},{ay + 7:.1f}" '
                'stroke="black" stroke-width="1.5" fill="none" class="proband"/>'
            )
            parts.append(
                f'<text x="{ax - 24:.1f}" y="{ay + 24:.1f}" font-weight="bold" '
                'class="proband-label">P</text>'
            )
        parts.append(
            f'<text x="{x:.1f}" y="{y + half + 14:.1f}" text-anchor="middle" class="id">'
            f"{escape(ind.id)}</text>"
        )
        row = 1
        for cls_name, text in notes[i]:
            parts.append(
                f'<text x="{x:.1f}" y="{y + half + 14 + _LINE * row:.1f}" text-anchor="middle" '
                f'class="{cls_name}">{escape(text)}</text>'
            )
            row += 1
        if p_carrier is not None:
            parts.append(
                f'<text x="{x:.1f}" y="{y + half + 14 + _LINE * row:.1f}" text-anchor="middle" '
                f'fill="#1f4e9a" class="p-carrier">P(c)={_fmt_p(p_carrier[i])}</text>'
            )
        parts.append("</g>")
    parts.extend(_legend(legend, legend_x, _MARGIN + (20 if title else 0) - half))
    parts.append("</svg>")
    return "\n".join(parts) + "\n"


def _known_carrier(ind: Individual) -> bool:
    """A woman known to carry the allele: genotype ``NA`` or a positive carrier test."""
    return ind.sex == "female" and (ind.genotype == "NA" or ind.carrier_test == "positive")


def _age_text(ind: Individual) -> str | None:
    """``45 y`` / ``d. 62 y`` from the PED ``age`` column (a number means years)."""
    raw = dict(ind.extra).get("age")
    if raw is None or raw in (".", ""):
        return None
    try:
        float(raw)
        text = f"{raw} y"
    except ValueError:
        text = raw
    return f"d. {text}" if ind.deceased else text


def _notes(ind: Individual) -> list[tuple[str, str]]:
    """Text lines under a symbol after the id: age, test result, genotype (Bennett 2008)."""
    out = []
    age = _age_text(ind)
    if age is not None:
        out.append(("age", age))
    if ind.carrier_test is not None:
        out.append(("test", "E+" if ind.carrier_test == "positive" else "E\u2212"))
    if ind.genotype is not None:
        out.append(("genotype", ind.genotype))
    return out


def _legend_items(
    members: Sequence[Individual],
    notes: list[list[tuple[str, str]]],
    p_carrier: list[float] | None,
) -> list[tuple[str, str]]:
    """(kind, label) of every symbol and mark the drawing uses, in a fixed order."""
    kinds = {"male", "female", "affected", "unaffected"}
    if any(ind.affected is None for ind in members):
        kinds.add("unknown")
    if any(_known_carrier(i) for i in members) or (
        p_carrier is not None and any(p >= CARRIER_DOT_THRESHOLD for p in p_carrier)
    ):
        kinds.add("carrier")
    if any(ind.deceased for ind in members):
        kinds.add("deceased")
    if any(ind.proband for ind in members):
        kinds.add("proband")
    used = {cls for rows in notes for cls, _ in rows}
    kinds |= used
    if p_carrier is not None:
        kinds.add("p-carrier")
    labels = [
        ("male", "male"),
        ("female", "female"),
        ("affected", "affected"),
        ("unaffected", "unaffected"),
        ("unknown", "status unknown (open symbol)"),
        ("carrier", "carrier, not affected"),
        ("deceased", "deceased"),
        ("proband", "proband"),
        ("age", "age (y; d. = age at death)"),
        ("test", "E+ / E\u2212 carrier test positive / negative"),
        ("genotype", "genotype: A = ALAS2 variant, N = normal"),
        ("p-carrier", "P(c) = probability of carrying"),
    ]
    return [(k, label) for k, label in labels if k in kinds]


def _legend(items: list[tuple[str, str]], x0: float, y0: float) -> list[str]:
    """SVG of the legend: a framed list of the symbols and marks used."""
    h = _LINE_LEGEND
    out = [
        f'<g class="legend" transform="translate({x0:.1f},{y0:.1f})">',
        f'<rect x="0" y="0" width="{_LEGEND_WIDTH - 20:.0f}" height="{24 + h * len(items):.0f}" '
        'fill="white" stroke="#888" stroke-width="1"/>',
        '<text x="8" y="15" font-weight="bold">Legend</text>',
    ]
    s = 12.0
    for k, (kind, label) in enumerate(items):
        y = 24 + h * k + h / 2
        sx = 18.0
        sym = {
            "male": f'<rect x="{sx - s / 2}" y="{y - s / 2:.1f}" width="{s}" height="{s}" '
            'fill="white" stroke="black"/>',
            "female": f'<circle cx="{sx}" cy="{y:.1f}" r="{s / 2}" fill="white" stroke="black"/>',
            "affected": f'<rect x="{sx - s / 2}" y="{y - s / 2:.1f}" width="{s}" height="{s}" '
            f'fill="black" stroke="black"/><circle cx="{sx + 16}" cy="{y:.1f}" r="{s / 2}" '
            'fill="black" stroke="black"/>',
            "unaffected": f'<rect x="{sx - s / 2}" y="{y - s / 2:.1f}" width="{s}" height="{s}" '
            f'fill="white" stroke="black"/><circle cx="{sx + 16}" cy="{y:.1f}" r="{s / 2}" '
            'fill="white" stroke="black"/>',
            "unknown": f'<circle cx="{sx}" cy="{y:.1f}" r="{s / 2}" fill="white" stroke="black"/>',
            "carrier": f'<circle cx="{sx}" cy="{y:.1f}" r="{s / 2}" fill="white" stroke="black"/>'
            f'<circle cx="{sx}" cy="{y:.1f}" r="2.5" fill="black"/>',
            "deceased": f'<rect x="{sx - s / 2}" y="{y - s / 2:.1f}" width="{s}" height="{s}" '
            f'fill="white" stroke="black"/><line x1="{sx - s / 2 - 3}" y1="{y + s / 2 + 3:.1f}" '
            f'x2="{sx + s / 2 + 3}" y2="{y - s / 2 - 3:.1f}" stroke="black"/>',
            "proband": f'<path d="M{sx - 8},{y + 6:.1f} L{sx + 4},{y - 6:.1f} M{sx - 1},'
            f'{y - 6:.1f} L{sx + 4},{y - 6:.1f} L{sx + 4},{y - 1:.1f}" stroke="black" '
            f'fill="none"/><text x="{sx - 18}" y="{y + 9:.1f}" font-weight="bold">P</text>',
            "age": f'<text x="{sx}" y="{y + 4:.1f}" text-anchor="middle">45 y</text>',
            "test": f'<text x="{sx}" y="{y + 4:.1f}" text-anchor="middle">E+</text>',
            "genotype": f'<text x="{sx}" y="{y + 4:.1f}" text-anchor="middle">NA</text>',
            "p-carrier": f'<text x="{sx}" y="{y + 4:.1f}" text-anchor="middle" '
            'fill="#1f4e9a">P(c)</text>',
        }[kind]
        out.append(f'<g class="legend-item {kind}">{sym}')
        out.append(f'<text x="46" y="{y + 4:.1f}">{escape(label)}</text></g>')
    out.append("</g>")
    return out


def _fmt_p(p: float) -> str:
    if p == 0.0 or p >= 1e-3:
        return f"{p:.3f}"
    return f"{p:.1e}"


def write_svg(
    pedigree: Pedigree,
    dest: str | os.PathLike[str],
    result: RiskResult | None = None,
    *,
    title: str = "",
) -> Path:
    """Draw the pedigree with :func:`draw_svg` and write it to ``dest``; return the path.

    Raises
    ------
    PedigreeError
        ``dest`` cannot be written (one line with the operating system's reason).
    """
    path = Path(dest)
    try:
        write_text_atomic(path, draw_svg(pedigree, result, title=title))
    except OSError as exc:
        reason = os_error_reason(exc)
        raise PedigreeError(
            f"pedigree drawing {str(path)!r}: cannot be written ({reason})"
        ) from None
    return path
