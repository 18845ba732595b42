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

import re
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field, replace
from typing import Any, Literal

import numpy as np

from hemesim.errors import PedigreeError
from hemesim.genetics._checks import as_real, short_repr

__all__ = [
    "FEMALE_GENOTYPES",
    "Individual",
    "MALE_GENOTYPES",
    "MAX_FIELD_LENGTH",
    "EXTRA_PREFIX",
    "TEXT_COLUMNS",
    "OBSERVATION_COLUMNS",
    "Pedigree",
    "STANDARD_COLUMNS",
    "structure_problems",
]

Sex = Literal["male", "female"]
MALE_GENOTYPES: tuple[str, ...] = ("N", "A")
FEMALE_GENOTYPES: tuple[str, ...] = ("NN", "NA", "AA")
_CARRIER_TESTS = ("positive", "negative")
_SEXES = ("male", "female")

#: Longest PED field (ids, sex, phenotype, extra columns), in characters. The web form caps ids at
#: 40; 100 leaves room for structured ids such as ``FAM2024-0042_II-3_proband``. The PED reader
#: (:mod:`hemesim.genetics.ped`) and :class:`Pedigree` apply the same cap, so every pedigree
#: that can be built can be written and read back.
MAX_FIELD_LENGTH = 100
#: The six standard PED columns, in file order (``#`` header names, lower case).
STANDARD_COLUMNS: tuple[str, ...] = ("fid", "iid", "pid", "mid", "sex", "phen")
#: PED columns read into :class:`Individual` fields (not kept in ``extra``).
OBSERVATION_COLUMNS: tuple[str, ...] = (
    "carrier_test",
    "sensitivity",
    "specificity",
    "genotype",
    "deceased",
    "proband",
)
#: Prefix every free-text PED column must start with (``x_note``, ``x_hpo``): a column name
#: that is neither standard, nor an observation, nor prefixed is a typo (``carier_test``), which
#: the reader refuses instead of keeping as text while the observation is lost.
EXTRA_PREFIX = "x_"
#: Known PED columns kept as text in ``extra`` (read by the drawing: ``age``), accepted without
#: the free-text prefix.
TEXT_COLUMNS: tuple[str, ...] = ("age",)
#: PED codes for an unknown parent; never the id of an individual or of a parent
_RESERVED_IDS = ("0", ".")
_BOM = "\ufeff"
#: whitespace (exactly what str.split splits on) or a lone surrogate (not encodable as UTF-8)
_BAD_CHARACTER = re.compile("[\\s\ud800-\udfff]")
_ID_FORM = (
    f"a non-empty text of at most {MAX_FIELD_LENGTH} characters without spaces, other than "
    "'0' and '.' (the PED codes for an unknown parent)"
)
_FAMILY_FORM = (
    f"a non-empty text of at most {MAX_FIELD_LENGTH} characters without spaces, not starting "
    "with '#' (a PED comment)"
)
_EXTRA_NAME_FORM = (
    f"a non-empty lower-case text of at most {MAX_FIELD_LENGTH} characters without spaces, "
    f"starting with '{EXTRA_PREFIX}' (e.g. x_note; PED header names are read in lower case)"
)
_EXTRA_VALUE_FORM = (
    f"a non-empty text of at most {MAX_FIELD_LENGTH} characters without spaces ('.' for missing)"
)


def _text_problem(value: Any, *, reserved: tuple[str, ...] = (), first: bool = False) -> str | None:
    """Why ``value`` cannot be one whitespace-separated PED field, or ``None`` if it can.

    The rules are those of the PED reader: a field is a non-empty run of non-space characters
    (spaces, tabs and line breaks separate fields and lines) of at most
    :data:`MAX_FIELD_LENGTH` characters; ``reserved`` values mean something else there; the
    first field of a line may not start with ``#`` (a comment) or a byte-order mark (stripped
    from the start of a file).
    """
    if not isinstance(value, str):
        return "is missing or not text" if value is None else "is not text"
    if not value:
        return "is empty"
    if len(value) > MAX_FIELD_LENGTH:
        return f"is longer than {MAX_FIELD_LENGTH} characters"
    bad = _BAD_CHARACTER.search(value)
    if bad is not None:
        if bad.group().isspace():
            return "contains a space, tab or line break (PED separates fields with them)"
        return "is not valid Unicode (a lone surrogate cannot be saved as UTF-8)"
    if value in reserved:
        return "is reserved for 'unknown parent' in PED"
    if first and value.startswith(("#", _BOM)):
        return "starts with '#' or a byte-order mark (a PED line starting so is not read)"
    return None


def _as_pairs(extra: Any) -> Any:
    """``extra`` as a tuple of ``(name, text)`` tuples when it is a mapping or a sequence of
    pairs; anything else is returned unchanged (and reported by ``observation_problems``)."""
    if isinstance(extra, Mapping):
        return tuple(extra.items())
    if isinstance(extra, (list, tuple)) and all(
        isinstance(p, (list, tuple)) and len(p) == 2 for p in extra
    ):
        return tuple((p[0], p[1]) for p in extra)
    return extra


@dataclass(frozen=True)
class Individual:
    """One member of a pedigree.

    Building an ``Individual`` checks nothing (so :func:`~hemesim.genetics.ped.validate_ped`
    can list every problem of a file); :class:`Pedigree` checks every field with
    :meth:`observation_problems` and refuses anything that could not be written to a PED file
    and read back identically.

    Parameters
    ----------
    id
        Individual id, unique within its family: a non-empty text of at most
        :data:`MAX_FIELD_LENGTH` characters without spaces, other than ``"0"`` and ``"."``
        (the PED codes for an unknown parent).
    sex
        ``"male"`` or ``"female"``.
    father, mother
        Parent ids in the same family (same rules as ``id``), or ``None`` for a founder (both or
        neither).
    family
        Family id (the PED ``FID`` column): a non-empty text of at most
        :data:`MAX_FIELD_LENGTH` characters without spaces, not starting with ``#``.
    affected
        ``True`` affected, ``False`` unaffected, ``None`` unknown; nothing else (numbers are
        refused: the PED phenotype codes ``2``/``1``/``0`` are converted by
        :func:`~hemesim.genetics.ped.read_ped`; numpy booleans are stored as ``bool``).
    carrier_test
        ``"positive"``, ``"negative"`` or ``None`` (not tested).
    sensitivity, specificity
        Of the carrier test (numbers in (0, 1], stored as floats); ``None`` means 1 (a perfect
        test).
    genotype
        Known genotype (``N``/``A`` for males, ``NN``/``NA``/``AA`` for females) or ``None``.
    deceased, proband
        Drawing only (``True``/``False``): slash through the symbol, arrow pointing at it.
    extra
        Other named PED columns, kept as ``(name, text)`` pairs so files round-trip (a mapping
        or a list of pairs is turned into that tuple). Names are lower case and are not PED
        column names or the fields above; texts are single PED fields (``"."`` for missing).
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

    def __post_init__(self) -> None:
        # numbers are stored as floats so that a PED round trip gives back equal values
        for name in ("sensitivity", "specificity"):
            number = as_real(getattr(self, name))
            if number is not None:
                object.__setattr__(self, name, number)
        for name in ("affected", "deceased", "proband"):  # numpy booleans (e.g. from pandas)
            if isinstance(getattr(self, name), np.bool_):
                object.__setattr__(self, name, bool(getattr(self, name)))
        object.__setattr__(self, "extra", _as_pairs(self.extra))

    @property
    def is_founder(self) -> bool:
        """True when neither parent is recorded."""
        return self.father is None and self.mother is None

    @property
    def label(self) -> str:
        """Where this individual came from, for error messages (``line 4, individual 'II-1'``)."""
        where = f"line {self.line}, " if self.line is not None else ""
        # a valid id is shown whole; an over-long one (or an odd object) is cut
        return f"{where}individual {short_repr(self.id, limit=MAX_FIELD_LENGTH + 2)}"

    def observation_problems(self) -> list[str]:
        """Return one-line problems with this individual's own fields (no relatives needed).

        Every field is checked: ids (the PED rules), sex, affected, carrier test and its
        sensitivity and specificity, genotype, deceased, proband and the extra columns.
        """
        out: list[str] = []
        bad = _text_problem(self.id, reserved=_RESERVED_IDS)
        if bad is not None:
            out.append(f"{self.label}: id {short_repr(self.id)} {bad}; expected {_ID_FORM}")
        bad = _text_problem(self.family, first=True)
        if bad is not None:
            out.append(
                f"{self.label}: family {short_repr(self.family)} {bad}; expected {_FAMILY_FORM}"
            )
        for role in ("father", "mother"):
            pid = getattr(self, role)
            bad = None if pid is None else _text_problem(pid, reserved=_RESERVED_IDS)
            if bad is not None:
                out.append(
                    f"{self.label}: {role} {short_repr(pid)} {bad}; expected {_ID_FORM}, "
                    "or None for an unknown parent"
                )
        sex_ok = isinstance(self.sex, str) and self.sex in ("male", "female")
        if not sex_ok:
            out.append(
                f"{self.label}: sex {short_repr(self.sex)} must be 'male' or 'female' (PED 1 or 2)"
            )
        if self.affected is not None and not isinstance(self.affected, bool):
            out.append(
                f"{self.label}: affected {short_repr(self.affected)} must be True (affected), "
                "False (unaffected) or None (unknown); PED phenotype codes (2 affected, "
                "1 unaffected, 0 unknown) are converted by read_ped"
            )
        if sex_ok:
            allowed = MALE_GENOTYPES if self.sex == "male" else FEMALE_GENOTYPES
            if self.genotype is not None and not (
                isinstance(self.genotype, str) and self.genotype in allowed
            ):
                out.append(
                    f"{self.label}: genotype {short_repr(self.genotype)} is not valid for a "
                    f"{self.sex}; expected one of {', '.join(allowed)}"
                )
        if self.carrier_test is not None and not (
            isinstance(self.carrier_test, str) and self.carrier_test in _CARRIER_TESTS
        ):
            out.append(
                f"{self.label}: carrier_test {short_repr(self.carrier_test)} must be positive, "
                "negative or '.'"
            )
        for name in ("sensitivity", "specificity"):
            value = getattr(self, name)
            if value is None:
                continue
            number = as_real(value)
            if number is None or not 0.0 < number <= 1.0:
                out.append(
                    f"{self.label}: {name} {short_repr(value)} must be a probability in (0, 1]"
                )
        for name in ("deceased", "proband"):
            value = getattr(self, name)
            if not isinstance(value, bool):
                out.append(f"{self.label}: {name} {short_repr(value)} must be True or False")
        out.extend(self._extra_problems())
        if (self.father is None) != (self.mother is None):
            given = "father" if self.father is not None else "mother"
            out.append(
                f"{self.label}: only the {given} is given; give both parents or neither "
                "(use 0 for both when unknown)"
            )
        if isinstance(self.id, str) and any(
            isinstance(p, str) and p == self.id for p in (self.father, self.mother)
        ):
            out.append(f"{self.label}: is recorded as their own parent (own ancestor)")
        return out

    def _extra_problems(self) -> list[str]:
        pairs = self.extra
        if not isinstance(pairs, tuple) or not all(
            isinstance(p, tuple) and len(p) == 2 for p in pairs
        ):
            return [
                f"{self.label}: extra {short_repr(pairs)} must be (name, text) pairs, e.g. "
                "(('note', 'x1'),), or a dict"
            ]
        out: list[str] = []
        names: list[Any] = []
        for name, value in pairs:
            bad = _text_problem(name)
            if bad is None and name != name.lower():
                bad = "is not lower case"
            if bad is not None:
                out.append(
                    f"{self.label}: extra column name {short_repr(name)} {bad}; "
                    f"expected {_EXTRA_NAME_FORM}"
                )
                continue
            if name in STANDARD_COLUMNS or name in OBSERVATION_COLUMNS:
                what = "a standard PED column" if name in STANDARD_COLUMNS else "a field"
                out.append(
                    f"{self.label}: extra column name {name!r} is {what} of Individual's PED "
                    "form; set that field instead or choose another name"
                )
                continue
            if not name.startswith(EXTRA_PREFIX) and name not in TEXT_COLUMNS:
                out.append(
                    f"{self.label}: extra column name {name!r} does not start with "
                    f"'{EXTRA_PREFIX}'; free-text columns are named {EXTRA_PREFIX}..., e.g. "
                    f"{EXTRA_PREFIX}{name if name[:1].isalnum() else 'note'}"
                )
                continue
            if name in names:
                out.append(f"{self.label}: extra column {name!r} is given twice")
                continue
            names.append(name)
            bad = _text_problem(value)
            if bad is not None:
                out.append(
                    f"{self.label}: extra column {name!r} value {short_repr(value)} {bad}; "
                    f"expected {_EXTRA_VALUE_FORM}"
                )
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


def _keyed(ind: Individual) -> bool:
    """True when the individual's family and id are texts (usable as look-up keys)."""
    return isinstance(ind.id, str) and isinstance(ind.family, str)


def structure_problems(individuals: Sequence[Individual]) -> list[str]:
    """Check pedigree structure and per-individual fields; return one line per problem.

    Rules: every member is an :class:`Individual`; duplicate ids (within a family); one parent
    without the other; a parent id not in the file; a father recorded as female or a mother
    recorded as male; an individual who is their own ancestor; every field of each member
    (:meth:`Individual.observation_problems`: ids, sex, affected, carrier test, sensitivity,
    specificity, genotype, drawing flags, extra columns).

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
    members: list[Individual] = []
    for k, ind in enumerate(individuals, start=1):
        if isinstance(ind, Individual):
            members.append(ind)
        else:
            problems.append(
                f"pedigree member {k}: {short_repr(ind)} ({type(ind).__name__}) is not an "
                "Individual; build members with hemesim.genetics.pedigree.Individual"
            )
    seen: dict[tuple[str, str], Individual] = {}
    for ind in members:
        if not _keyed(ind):
            continue
        key = (ind.family, ind.id)
        if key in seen:
            first = seen[key]
            where = f" (first at line {first.line})" if first.line is not None else ""
            problems.append(f"{ind.label}: duplicate id {ind.id!r} in family {ind.family!r}{where}")
            continue
        seen[key] = ind
    for ind in members:
        problems.extend(ind.observation_problems())
        if not _keyed(ind):
            continue
        for role, pid, want in (("father", ind.father, "male"), ("mother", ind.mother, "female")):
            if not isinstance(pid, str) or pid == ind.id or pid in _RESERVED_IDS:
                continue
            parent = seen.get((ind.family, pid))
            if parent is None:
                problems.append(
                    f"{ind.label}: {role} {short_repr(pid)} is not in family {ind.family!r}; "
                    "every parent id must have its own line (or be 0)"
                )
            elif isinstance(parent.sex, str) and parent.sex in _SEXES and parent.sex != want:
                problems.append(
                    f"{ind.label}: {role} {pid!r} is recorded as {parent.sex}; "
                    f"a {role} must be {want}"
                )
    problems.extend(_cycle_problems([m for m in members if _keyed(m)], seen))
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
    return [p for p in (ind.father, ind.mother) if isinstance(p, str)]


def _fill_extra_columns(members: tuple[Individual, ...]) -> tuple[Individual, ...]:
    """Give every member every extra column (first-seen order, ``"."`` where it has none)."""
    columns: list[str] = []
    for ind in members:
        for name, _ in ind.extra:
            if name not in columns:
                columns.append(name)
    if not columns:
        return members
    out = []
    for ind in members:
        if [name for name, _ in ind.extra] != columns:
            values = dict(ind.extra)
            ind = replace(ind, extra=tuple((c, values.get(c, ".")) for c in columns))
        out.append(ind)
    return tuple(out)


@dataclass(frozen=True)
class Pedigree:
    """A validated pedigree: individuals in file order with index look-ups.

    Building a ``Pedigree`` checks every rule in :func:`structure_problems` and raises
    :class:`~hemesim.errors.PedigreeError` with the first problem (one line). What it accepts
    can be written with :func:`~hemesim.genetics.ped.write_ped` and read back identically.

    Extra columns are a table, as in a PED file: every member gets every extra column named by
    any member, in first-seen order, with ``"."`` (missing) where it has none. So
    ``Pedigree([Individual("a", "male", extra={"note": "x"}), Individual("b", "female")])``
    gives ``b`` the extra ``(("note", "."),)``.

    Parameters
    ----------
    individuals
        The members: a list, tuple or other iterable of :class:`Individual` (not a single
        ``Individual``, a text or a mapping).
    """

    individuals: tuple[Individual, ...]
    _index: dict[tuple[str, str], int] = field(
        default_factory=dict, compare=False, repr=False, init=False
    )

    def __init__(self, individuals: Iterable[Individual]) -> None:
        if isinstance(individuals, (str, bytes, Mapping, Individual)) or not isinstance(
            individuals, Iterable
        ):
            hint = (
                "; wrap a single one as Pedigree([individual])"
                if isinstance(individuals, Individual)
                else "; read a file with hemesim.genetics.ped.read_ped"
            )
            raise PedigreeError(
                f"pedigree {short_repr(individuals)}: expected a list of Individual{hint}"
            )
        members = tuple(individuals)
        if not members:
            raise PedigreeError("pedigree: no individuals; expected at least one PED line")
        problems = structure_problems(members)
        if problems:
            extra = f" (and {len(problems) - 1} more problem(s))" if len(problems) > 1 else ""
            raise PedigreeError(problems[0] + extra)
        members = _fill_extra_columns(members)
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
            if len(key) == 2 and all(isinstance(k, str) for k in key) and key in self._index:
                return self._index[key]
            if len(key) != 2:
                raise PedigreeError(f"pedigree: key {short_repr(key)}: expected (family, id)")
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
