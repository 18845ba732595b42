"""Pedigrees as data: frozen :class:`Individual` records and a validated :class:`Pedigree`.

A pedigree is a tuple of individuals, each with a family id, an individual id, optional father and
mother ids, a sex and the observations used by the X-linked risk engine (phenotype, carrier test
with its sensitivity and specificity, known genotype). ``deceased`` and ``proband`` only affect
drawing. Structural rules are checked when a :class:`Pedigree` is built; each broken rule is one
line naming the source line (when known), the individual and the rule.

Genotypes at the single X-linked locus are written with ``N`` for the normal allele and ``A`` for
the disease allele: males ``N`` or ``A`` (hemizygous), females ``NN``, ``NA`` or ``AA``.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from typing import Any, Literal

from hemesim.errors import PedigreeError

__all__ = [
    "FEMALE_GENOTYPES",
    "Individual",
    "MALE_GENOTYPES",
    "Pedigree",
    "structure_problems",
]

Sex = Literal["male", "female"]
MALE_GENOTYPES: tuple[str, ...] = ("N", "A")
FEMALE_GENOTYPES: tuple[str, ...] = ("NN", "NA", "AA")
_CARRIER_TESTS = ("positive", "negative")


@dataclass(frozen=True)
class Individual:
    """One member of a pedigree.

    Parameters
    ----------
    id
        Individual id, unique within its family.
    sex
        ``"male"`` or ``"female"``.
    father, mother
        Parent ids in the same family, or ``None`` for a founder (both or neither).
    family
        Family id (the PED ``FID`` column).
    affected
        ``True`` affected, ``False`` unaffected, ``None`` unknown.
    carrier_test
        ``"positive"``, ``"negative"`` or ``None`` (not tested).
    sensitivity, specificity
        Of the carrier test (probabilities in (0, 1]); ``None`` means 1 (a perfect test).
    genotype
        Known genotype (``N``/``A`` for males, ``NN``/``NA``/``AA`` for females) or ``None``.
    deceased, proband
        Drawing only: slash through the symbol, arrow pointing at it.
    extra
        Other named PED columns, kept as ``(name, text)`` pairs so files round-trip.
    line
        Source line number (for error messages); not part of equality.
    """

    id: str
    sex: Sex
    father: str | None = None
    mother: str | None = None
    family: str = "1"
    affected: bool | None = None
    carrier_test: str | None = None
    sensitivity: float | None = None
    specificity: float | None = None
    genotype: str | None = None
    deceased: bool = False
    proband: bool = False
    extra: tuple[tuple[str, str], ...] = ()
    line: int | None = field(default=None, compare=False, repr=False)

    @property
    def is_founder(self) -> bool:
        """True when neither parent is recorded."""
        return self.father is None and self.mother is None

    @property
    def label(self) -> str:
        """Where this individual came from, for error messages (``line 4, individual 'II-1'``)."""
        where = f"line {self.line}, " if self.line is not None else ""
        return f"{where}individual {self.id!r}"

    def observation_problems(self) -> list[str]:
        """Return one-line problems with this individual's own fields (no relatives needed)."""
        out: list[str] = []
        if self.sex not in ("male", "female"):
            out.append(f"{self.label}: sex {self.sex!r} must be 'male' or 'female' (PED 1 or 2)")
            return out
        allowed = MALE_GENOTYPES if self.sex == "male" else FEMALE_GENOTYPES
        if self.genotype is not None and self.genotype not in allowed:
            out.append(
                f"{self.label}: genotype {self.genotype!r} is not valid for a {self.sex}; "
                f"expected one of {', '.join(allowed)}"
            )
        if self.carrier_test is not None and self.carrier_test not in _CARRIER_TESTS:
            out.append(
                f"{self.label}: carrier_test {self.carrier_test!r} must be positive, negative "
                "or '.'"
            )
        for name in ("sensitivity", "specificity"):
            value = getattr(self, name)
            if value is not None and not (0.0 < value <= 1.0):
                out.append(f"{self.label}: {name} {value!r} must be a probability in (0, 1]")
        if (self.father is None) != (self.mother is None):
            given = "father" if self.father is not None else "mother"
            out.append(
                f"{self.label}: only the {given} is given; give both parents or neither "
                "(use 0 for both when unknown)"
            )
        if self.id in (self.father, self.mother):
            out.append(f"{self.label}: is recorded as their own parent (own ancestor)")
        return out

    def to_dict(self) -> dict[str, Any]:
        """Plain-dict form (JSON-ready)."""
        return {
            "id": self.id,
            "family": self.family,
            "father": self.father,
            "mother": self.mother,
            "sex": self.sex,
            "affected": self.affected,
            "carrier_test": self.carrier_test,
            "sensitivity": self.sensitivity,
            "specificity": self.specificity,
            "genotype": self.genotype,
            "deceased": self.deceased,
            "proband": self.proband,
            "extra": dict(self.extra),
        }


def structure_problems(individuals: Sequence[Individual]) -> list[str]:
    """Check pedigree structure and per-individual fields; return one line per problem.

    Rules: duplicate ids (within a family); one parent without the other; a parent id not in the
    file; a father recorded as female or a mother recorded as male; an individual who is their own
    ancestor; invalid genotype / carrier test / sensitivity / specificity values.

    Parameters
    ----------
    individuals
        The members, in file order.

    Returns
    -------
    list of str
        Empty when the pedigree is valid.
    """
    problems: list[str] = []
    seen: dict[tuple[str, str], Individual] = {}
    for ind in individuals:
        key = (ind.family, ind.id)
        if key in seen:
            first = seen[key]
            where = f" (first at line {first.line})" if first.line is not None else ""
            problems.append(f"{ind.label}: duplicate id {ind.id!r} in family {ind.family!r}{where}")
            continue
        seen[key] = ind
    for ind in individuals:
        problems.extend(ind.observation_problems())
        for role, pid, want in (("father", ind.father, "male"), ("mother", ind.mother, "female")):
            if pid is None or pid == ind.id:
                continue
            parent = seen.get((ind.family, pid))
            if parent is None:
                problems.append(
                    f"{ind.label}: {role} {pid!r} is not in family {ind.family!r}; "
                    "every parent id must have its own line (or be 0)"
                )
            elif parent.sex != want:
                problems.append(
                    f"{ind.label}: {role} {pid!r} is recorded as {parent.sex}; "
                    f"a {role} must be {want}"
                )
    problems.extend(_cycle_problems(individuals, seen))
    return problems


def _cycle_problems(
    individuals: Sequence[Individual], seen: dict[tuple[str, str], Individual]
) -> list[str]:
    """Find individuals who are their own ancestor (cycles in the parent graph)."""
    state: dict[tuple[str, str], int] = {}  # 1 = on stack, 2 = done
    problems: list[str] = []
    for start in individuals:
        root = (start.family, start.id)
        if state.get(root):
            continue
        stack: list[tuple[tuple[str, str], Iterator[str]]] = []
        state[root] = 1
        stack.append((root, iter(_parent_ids(seen[root]))))
        while stack:
            key, parents = stack[-1]
            nxt = next(parents, None)
            if nxt is None:
                state[key] = 2
                stack.pop()
                continue
            pkey = (key[0], nxt)
            if pkey not in seen or pkey == key:
                continue
            s = state.get(pkey, 0)
            if s == 1:
                ind = seen[pkey]
                problems.append(
                    f"{ind.label}: is their own ancestor (the parent links form a loop)"
                )
            elif s == 0:
                state[pkey] = 1
                stack.append((pkey, iter(_parent_ids(seen[pkey]))))
    return problems


def _parent_ids(ind: Individual) -> list[str]:
    return [p for p in (ind.father, ind.mother) if p is not None]


@dataclass(frozen=True)
class Pedigree:
    """A validated pedigree: individuals in file order with index look-ups.

    Building a ``Pedigree`` checks every rule in :func:`structure_problems` and raises
    :class:`~hemesim.errors.PedigreeError` with the first problem (one line).

    Parameters
    ----------
    individuals
        The members (any iterable of :class:`Individual`).
    """

    individuals: tuple[Individual, ...]
    _index: dict[tuple[str, str], int] = field(
        default_factory=dict, compare=False, repr=False, init=False
    )

    def __init__(self, individuals: Iterable[Individual]) -> None:
        members = tuple(individuals)
        if not members:
            raise PedigreeError("pedigree: no individuals; expected at least one PED line")
        problems = structure_problems(members)
        if problems:
            extra = f" (and {len(problems) - 1} more problem(s))" if len(problems) > 1 else ""
            raise PedigreeError(problems[0] + extra)
        object.__setattr__(self, "individuals", members)
        object.__setattr__(
            self, "_index", {(ind.family, ind.id): i for i, ind in enumerate(members)}
        )

    def __len__(self) -> int:
        return len(self.individuals)

    def __iter__(self) -> Iterator[Individual]:
        return iter(self.individuals)

    def __getitem__(self, key: str | tuple[str, str]) -> Individual:
        return self.individuals[self.index_of(key)]

    def index_of(self, key: str | tuple[str, str]) -> int:
        """Position of an individual, by ``(family, id)`` or by ``id`` if unique in the file."""
        if isinstance(key, tuple):
            if key in self._index:
                return self._index[key]
            raise PedigreeError(f"pedigree: no individual {key[1]!r} in family {key[0]!r}")
        hits = [i for (fam, iid), i in self._index.items() if iid == key]
        if len(hits) == 1:
            return hits[0]
        if not hits:
            raise PedigreeError(f"pedigree: no individual {key!r}")
        raise PedigreeError(f"pedigree: id {key!r} occurs in several families; use (family, id)")

    def parents_index(self) -> tuple[list[int], list[int]]:
        """Father and mother positions for each member (-1 for founders)."""
        fathers, mothers = [], []
        for ind in self.individuals:
            fathers.append(-1 if ind.father is None else self._index[(ind.family, ind.father)])
            mothers.append(-1 if ind.mother is None else self._index[(ind.family, ind.mother)])
        return fathers, mothers

    def children_index(self) -> list[list[int]]:
        """Children positions of each member, in file order."""
        fathers, mothers = self.parents_index()
        kids: list[list[int]] = [[] for _ in self.individuals]
        for i, (f, m) in enumerate(zip(fathers, mothers, strict=True)):
            if f >= 0:
                kids[f].append(i)
                kids[m].append(i)
        return kids

    def generations(self) -> list[int]:
        """Generation (row) of each member, 0 at the top, for drawing.

        Rules, applied until nothing changes (rows only ever move down, so this ends): a child is
        below both parents; partners share a row (the upper one moves down); a founder sits just
        above their highest child. A mating between generations (e.g. parent and child) cannot
        satisfy all rules; the sweeps stop after ``len(pedigree) + 2`` rounds.
        """
        fathers, mothers = self.parents_index()
        kids = self.children_index()
        order = self.topological_order()
        n = len(self.individuals)
        couples = {(fathers[i], mothers[i]) for i in range(n) if fathers[i] >= 0}
        gen = [0] * n
        for _ in range(n + 2):
            changed = False
            for i in order:
                if fathers[i] >= 0:
                    want = max(gen[fathers[i]], gen[mothers[i]]) + 1
                    if gen[i] < want:
                        gen[i], changed = want, True
            for f, m in couples:
                if gen[f] != gen[m]:
                    low = f if gen[f] < gen[m] else m
                    gen[low], changed = max(gen[f], gen[m]), True
            for i in range(n):
                if fathers[i] < 0 and kids[i]:
                    want = min(gen[c] for c in kids[i]) - 1
                    if gen[i] < want:
                        gen[i], changed = want, True
            if not changed:
                break
        return gen

    def topological_order(self) -> list[int]:
        """Member positions ordered so that parents come before their children."""
        fathers, mothers = self.parents_index()
        kids = self.children_index()
        indeg = [(f >= 0) + (m >= 0) for f, m in zip(fathers, mothers, strict=True)]
        ready = [i for i, d in enumerate(indeg) if d == 0]
        out: list[int] = []
        while ready:
            i = ready.pop()
            out.append(i)
            for c in kids[i]:
                indeg[c] -= 1
                if indeg[c] == 0:
                    ready.append(c)
        return out

    def to_dict(self) -> dict[str, Any]:
        """Plain-dict form: ``{"individuals": [...]}``."""
        return {"individuals": [ind.to_dict() for ind in self.individuals]}
