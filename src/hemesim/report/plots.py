"""Matplotlib figures for reports: time course, phenotype across X-inactivation, treatments,
pedigree.

Every function returns a :class:`matplotlib.figure.Figure` built with the object API (no pyplot
state, safe in a server thread); :func:`png_bytes` and :func:`svg_text` serialise one.
"""

from __future__ import annotations

import io
from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from matplotlib.figure import Figure

    from hemesim.genetics.pedigree import Pedigree

__all__ = [
    "plot_pedigree",
    "plot_phenotype_xi",
    "plot_time_course",
    "plot_treatments",
    "png_bytes",
    "svg_text",
]

NORMAL_COLOUR = "#1f4e79"
VARIANT_COLOUR = "#b3261e"


def _figure(width_in: float, height_in: float) -> Figure:
    from matplotlib.figure import Figure

    return Figure(figsize=(width_in, height_in), layout="constrained")


def _value(entry: Any) -> float | None:
    """A readout value from ``{"value", "unit"}`` or a bare number."""
    if isinstance(entry, Mapping):
        entry = entry.get("value")
    return None if entry is None else float(entry)


def _unit(entry: Any) -> str:
    return str(entry.get("unit", "")) if isinstance(entry, Mapping) else ""


def plot_time_course(
    time_h: Sequence[float],
    normal: Mapping[str, Sequence[float]],
    variant: Mapping[str, Sequence[float]] | None,
    units: Mapping[str, str],
    *,
    variant_label: str = "variant (hemizygous)",
) -> Figure:
    """Readouts over one erythroblast's maturation, normal against variant.

    Parameters
    ----------
    time_h
        Times (h).
    normal, variant
        Readout id -> values at ``time_h`` (one panel per readout of ``normal``).
    units
        Readout id -> unit, for the axis labels.
    variant_label
        Legend text for the variant curve.
    """
    names = list(normal)
    cols = min(3, max(1, len(names)))
    rows = -(-max(1, len(names)) // cols)
    fig = _figure(3.4 * cols, 2.8 * rows)
    axes = fig.subplots(rows, cols, squeeze=False).ravel()
    for ax in axes[len(names) :]:
        ax.set_visible(False)
    for ax, name in zip(axes, names, strict=False):
        ax.plot(time_h, normal[name], color=NORMAL_COLOUR, label="normal")
        if variant is not None and name in variant:
            ax.plot(time_h, variant[name], color=VARIANT_COLOUR, label=variant_label)
        ax.set_xlabel("time (h)")
        ax.set_ylabel(f"{name} ({units.get(name, '')})")
        series = [list(normal[name])] + (
            [list(variant[name])] if variant and name in variant else []
        )
        if _needs_log(series):
            ax.set_yscale("log")  # early per-cell values dwarf the rest of the course
        ax.grid(alpha=0.3)
    axes[0].legend(fontsize=8)
    fig.suptitle("One erythroblast's maturation (per-cell quantities)", fontsize=11)
    return fig


def _needs_log(series: Sequence[Sequence[float]]) -> bool:
    """True when positive values span a range a linear axis cannot show (early transients)."""
    values = [v for s in series for v in s]
    if not values or min(values) <= 0:
        return False
    finals = [abs(s[-1]) for s in series if s]
    return max(values) > 20 * max(finals)


def plot_phenotype_xi(
    xi: Sequence[float],
    female: Sequence[Mapping[str, Any]],
    male: Mapping[str, Any],
    readout: str = "hb_g_dl",
) -> Figure:
    """A readout for heterozygous women across X-inactivation, with the hemizygous man.

    Parameters
    ----------
    xi
        Fraction of erythroid cells expressing the variant allele, one per woman.
    female
        ``phenotype`` dicts (``{readout: {"value", "unit"}}``) of the women at ``xi``.
    male
        ``phenotype`` dict of the hemizygous man.
    readout
        Which readout to plot.
    """
    ys = [v if (v := _value(p.get(readout))) is not None else float("nan") for p in female]
    male_y = _value(male.get(readout))
    unit = _unit(male.get(readout))
    fig = _figure(6.0, 3.6)
    ax = fig.subplots()
    ax.plot(xi, ys, "o-", color=VARIANT_COLOUR, label="woman (heterozygous)")
    if male_y is not None:
        ax.axhline(male_y, color=NORMAL_COLOUR, ls="--", label="man (hemizygous)")
    ax.axvline(0.5, color="#8a94a0", ls=":", lw=1)
    ax.set_xlim(0, 1)
    ax.set_xlabel("fraction of erythroid cells expressing the variant (X-inactivation)")
    ax.set_ylabel(f"{readout} ({unit})")
    ax.grid(alpha=0.3)
    ax.legend(fontsize=8)
    return fig


def plot_treatments(
    treatments: Mapping[str, Mapping[str, Any]], readout: str = "hb_g_dl"
) -> Figure:
    """One readout under each treatment (bars), for the same person.

    Parameters
    ----------
    treatments
        Treatment name -> ``phenotype`` dict.
    readout
        Which readout to plot.
    """
    names = list(treatments)
    ys = [_value(treatments[t].get(readout)) or 0.0 for t in names]
    unit = _unit(next(iter(treatments.values()), {}).get(readout)) if names else ""
    fig = _figure(5.0, 3.0)
    ax = fig.subplots()
    colours = ["#8a94a0" if t == "none" else "#2e7d32" for t in names]
    ax.bar(names, ys, color=colours)
    ax.set_ylabel(f"{readout} ({unit})")
    ax.grid(alpha=0.3, axis="y")
    return fig


def plot_pedigree(
    pedigree: Pedigree, p_carrier: Sequence[float] | None = None, *, title: str = ""
) -> Figure:
    """The pedigree in standard symbols (squares men, circles women, filled affected).

    Uses the layout of :func:`hemesim.genetics.draw.layout` so it matches the SVG drawing.

    Parameters
    ----------
    pedigree
        The family.
    p_carrier
        Optional P(carrier) per member (same order), written under each symbol.
    title
        Optional title.
    """
    from matplotlib.patches import Circle, Rectangle

    from hemesim.genetics.draw import layout

    slots, gen = layout(pedigree)
    fathers, mothers = pedigree.parents_index()
    members = pedigree.individuals
    width = max(slots) + 1
    height = max(gen) + 1
    fig = _figure(max(3.0, 1.1 * width + 1), max(2.2, 1.5 * height + 0.6))
    ax = fig.subplots()
    half = 0.18
    couples: dict[tuple[int, int], list[int]] = {}
    for i in range(len(members)):
        if fathers[i] >= 0:
            couples.setdefault((fathers[i], mothers[i]), []).append(i)
    for (f, m), kids in couples.items():
        y = -gen[f]
        ax.plot([slots[f], slots[m]], [y, y], color="black", lw=1.2)
        mid = (slots[f] + slots[m]) / 2
        sib_y = -min(gen[k] for k in kids) + 0.45
        xs = [slots[k] for k in kids]
        ax.plot([mid, mid], [y, sib_y], color="black", lw=1.2)
        ax.plot([min(xs + [mid]), max(xs + [mid])], [sib_y, sib_y], color="black", lw=1.2)
        for k in kids:
            ax.plot([slots[k], slots[k]], [sib_y, -gen[k] + half], color="black", lw=1.2)
    for i, ind in enumerate(members):
        x, y = slots[i], -gen[i]
        face = "black" if ind.affected else "white"
        if ind.sex == "male":
            patch: Any = Rectangle((x - half, y - half), 2 * half, 2 * half, fc=face, ec="black")
        else:
            patch = Circle((x, y), half, fc=face, ec="black")
        ax.add_patch(patch)
        if ind.affected is None:
            ax.text(x, y, "?", ha="center", va="center", fontsize=8, color="#666")
        if p_carrier is not None and p_carrier[i] >= 0.999 and not ind.affected:
            ax.add_patch(Circle((x, y), half / 4, fc="black", ec="black"))  # known carrier
        if ind.deceased:
            ax.plot([x - half - 0.08, x + half + 0.08], [y - half - 0.08, y + half + 0.08], "k-")
        label = ind.id
        if p_carrier is not None:
            p = p_carrier[i]
            label += f"\nP(c)={p:.3f}" if p == 0 or p >= 1e-3 else f"\nP(c)={p:.1e}"
        ax.text(x, y - half - 0.06, label, ha="center", va="top", fontsize=7)
    for g in range(height):
        ax.text(min(slots) - 0.8, -g, _roman(g + 1), fontweight="bold", va="center")
    ax.set_xlim(min(slots) - 1.0, max(slots) + 0.7)
    ax.set_ylim(-height + 0.2, 0.6)
    ax.set_aspect("equal")
    ax.axis("off")
    if title:
        ax.set_title(title, fontsize=10)
    return fig


def _roman(n: int) -> str:
    out = ""
    for value, sym in ((10, "X"), (9, "IX"), (5, "V"), (4, "IV"), (1, "I")):
        while n >= value:
            out += sym
            n -= value
    return out


def png_bytes(fig: Figure, dpi: int = 150) -> bytes:
    """The figure as PNG bytes."""
    buf = io.BytesIO()
    fig.savefig(buf, format="png", dpi=dpi)
    return buf.getvalue()


def svg_text(fig: Figure) -> str:
    """The figure as SVG text."""
    buf = io.StringIO()
    fig.savefig(buf, format="svg")
    return buf.getvalue()
