"""Draw a pedigree as SVG text in the standard nomenclature (no plotting library needed).

Symbols follow the NSGC recommendations (Bennett et al., J Genet Couns 2008;17:424, "Standardized
human pedigree nomenclature: update and assessment"): squares for males, circles for females,
filled symbols for affected members, a central dot for a carrier who is not affected (drawn when
P(carrier) >= :data:`CARRIER_DOT_THRESHOLD`, i.e. obligate or known carriers), a diagonal slash for
deceased members, an arrow at the lower left for the proband, a horizontal line joining partners
(double when they share an ancestor), a vertical line from the couple to the sibship line above
their children, and generations aligned in rows labelled with Roman numerals. With a
:class:`~hemesim.genetics.risk.RiskResult`, each member is labelled with P(carrier).

Layout: each generation is a row (:meth:`Pedigree.generations`); within a row members are ordered
by the mean position of their parents (sibships stay together) and partners who married in are
placed beside their partner.
"""

from __future__ import annotations

import os
from html import escape
from pathlib import Path
from typing import TYPE_CHECKING

from hemesim.errors import PedigreeError
from hemesim.genetics.pedigree import Pedigree

if TYPE_CHECKING:
    from hemesim.genetics.risk import RiskResult

__all__ = ["CARRIER_DOT_THRESHOLD", "draw_svg", "layout", "write_svg"]

CARRIER_DOT_THRESHOLD = 0.999
_SIZE = 30.0  # symbol size (px)
_DX = 90.0  # horizontal spacing (px)
_DY = 120.0  # generation spacing (px)
_MARGIN = 60.0


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
    cx = [_MARGIN + 40 + s * _DX for s in slots]
    cy = [_MARGIN + (20 if title else 0) + g * _DY for g in gen]
    width = max(cx) + _MARGIN + 40
    height = max(cy) + _MARGIN + 40
    half = _SIZE / 2
    p_carrier = None
    if result is not None:
        if len(result.members) != n:
            raise PedigreeError("draw: the risk result does not belong to this pedigree")
        p_carrier = [m.p_carrier for m in result.members]
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
        sib_y = ky - _DY * 0.45
        xs = sorted(cx[k] for k in kids)
        d = f"M{mid:.1f},{y:.1f} V{sib_y:.1f} "
        d += f"M{min(xs[0], mid):.1f},{sib_y:.1f} H{max(xs[-1], mid):.1f} "
        d += " ".join(f"M{cx[k]:.1f},{sib_y:.1f} V{cy[k] - half:.1f}" for k in kids)
        parts.append(f'<path d="{d}" class="sibship"/>')
    parts.append("</g>")
    # generation labels
    for g in sorted(set(gen)):
        y = _MARGIN + (20 if title else 0) + g * _DY
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
        carrier = p_carrier is not None and p_carrier[i] >= CARRIER_DOT_THRESHOLD
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
            f'<text x="{x:.1f}" y="{y + half + 14:.1f}" text-anchor="middle">'
            f"{escape(ind.id)}</text>"
        )
        if p_carrier is not None:
            parts.append(
                f'<text x="{x:.1f}" y="{y + half + 27:.1f}" text-anchor="middle" fill="#1f4e9a" '
                f'class="p-carrier">P(c)={_fmt_p(p_carrier[i])}</text>'
            )
        parts.append("</g>")
    parts.append("</svg>")
    return "\n".join(parts) + "\n"


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
        path.write_text(draw_svg(pedigree, result, title=title), encoding="utf-8")
    except OSError as exc:
        reason = exc.strerror or str(exc)
        raise PedigreeError(
            f"pedigree drawing {str(path)!r}: cannot be written ({reason})"
        ) from None
    return path
