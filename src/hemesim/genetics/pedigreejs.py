"""Read and write the pedigreejs / CanRisk web-tool JSON dataset.

Format, as documented by the pedigreejs project (CCGE-BOADICEA/pedigreejs: ``index.html``
"dataset" option and ``es/canrisk_file.js``, which maps the JSON to the CanRisk file): a JSON
array with one object per person::

    [{"famid": "xl", "name": "m21", "display_name": "John", "sex": "M", "top_level": true},
     {"famid": "xl", "name": "ch1", "sex": "F", "mother": "f21", "father": "m21",
      "proband": true, "status": 0, "alas2_gene_test": {"type": "T", "result": "P"}}]

Fields used here: ``name`` (unique id), ``display_name``, ``famid``, ``sex`` (``M``/``F``; ``U``
is refused because X-linked risk needs the sex), ``mother``/``father`` (ids; absent for founders,
who carry ``top_level: true``; ``noparents`` marks a partner drawn without parents), ``status``
(``0`` alive, ``1`` deceased), ``proband``, and gene tests as ``<gene>_gene_test`` objects with
``type`` ``S`` (mutation search) or ``T`` (direct test) and ``result`` ``P``/``N`` (CanRisk
convention). Disease status is a boolean flag named after the disease (pedigreejs ``diseases``
option); hemesim uses ``alas2_disease`` (``true`` affected, ``false`` unaffected, absent unknown).
hemesim-specific observations are kept in ``alas2_test_sensitivity``, ``alas2_test_specificity``
and ``alas2_genotype``; other PED columns in ``hemesim_extra``. pedigreejs' ``age`` (years) is
read into the PED ``age`` column (drawn under the symbol) and written back for whole years.
Unknown keys are ignored on reading. Ids (``name``, ``famid``, ``mother``, ``father``) are at most
:data:`~hemesim.genetics.ped.MAX_FIELD_LENGTH` (100) characters, as in a PED file.

Errors name the person by position in the list and name (``pedigreejs person 3, name 'kid'``);
the file is UTF-8 (a leading byte-order mark is ignored).
"""

from __future__ import annotations

import json
import os
import re
from pathlib import Path
from typing import Any

from hemesim.errors import PedigreeError
from hemesim.genetics._checks import short_repr
from hemesim.genetics.ped import MAX_FIELD_LENGTH, read_text
from hemesim.genetics.pedigree import Individual, Pedigree, structure_problems
from hemesim.safe_io import JSONInputError, load_json, os_error_reason, write_text_atomic

__all__ = ["from_pedigreejs", "read_pedigreejs", "to_pedigreejs", "write_pedigreejs"]

DISEASE_KEY = "alas2_disease"
GENE_TEST_KEY = "alas2_gene_test"
_ID_KEYS = ("name", "famid", "mother", "father")
#: how :func:`hemesim.genetics.pedigree.structure_problems` labels a member and refers to a row
_LINE_LABEL = re.compile(r"\bline (\d+), individual ")
_FIRST_AT_LINE = re.compile(r"\(first at line (\d+)\)")
_PED_PARENT_RULE = "every parent id must have its own line (or be 0)"


def _as_person(problem: str) -> str:
    """Reword a structure problem for a JSON list: the person's position, not a file line."""
    problem = _LINE_LABEL.sub(r"pedigreejs person \1, name ", problem)
    problem = _FIRST_AT_LINE.sub(r"(first at person \1)", problem)
    problem = problem.replace(" (use 0 for both when unknown)", " (leave both out when unknown)")
    return problem.replace(
        _PED_PARENT_RULE, "every parent must be a person in the list (or leave both out)"
    )


def from_pedigreejs(data: Any) -> Pedigree:
    """Build a :class:`Pedigree` from a decoded pedigreejs dataset (a list of dicts)."""
    if not isinstance(data, list):
        raise PedigreeError("pedigreejs JSON: expected a list of person objects at the top level")
    people = []
    for k, obj in enumerate(data, start=1):
        where = f"pedigreejs person {k}"
        if not isinstance(obj, dict) or "name" not in obj:
            raise PedigreeError(f"{where}: expected an object with a 'name'")
        for key in _ID_KEYS:
            value = obj.get(key)
            if value is None and key != "name":  # absent: founder, or the default family
                continue
            if isinstance(value, bool) or not isinstance(value, (str, int)):
                raise PedigreeError(
                    f"{where}: {key} {short_repr(value)} must be a text (or a whole number)"
                )
            if len(str(value)) > MAX_FIELD_LENGTH:
                raise PedigreeError(
                    f"{where}: {key} is longer than {MAX_FIELD_LENGTH} characters; shorten the ids"
                )
        name = str(obj["name"])
        where = f"{where}, name {name!r}"
        sex = {"M": "male", "F": "female"}.get(str(obj.get("sex", "U")).upper())
        if sex is None:
            raise PedigreeError(f"{where}: sex {obj.get('sex')!r} must be 'M' or 'F'")
        affected = obj.get(DISEASE_KEY)
        if affected is not None and not isinstance(affected, bool):
            raise PedigreeError(f"{where}: {DISEASE_KEY} {affected!r} must be true or false")
        test = obj.get(GENE_TEST_KEY)
        carrier_test = None
        if test is not None:
            result = str(test.get("result", "-")).upper() if isinstance(test, dict) else "?"
            if result == "P":
                carrier_test = "positive"
            elif result == "N":
                carrier_test = "negative"
            elif result not in ("-", "0"):
                raise PedigreeError(
                    f"{where}: {GENE_TEST_KEY} result {result!r} must be 'P', 'N' or '-'"
                )
        father = None if obj.get("noparents") else obj.get("father")
        mother = None if obj.get("noparents") else obj.get("mother")
        extra = obj.get("hemesim_extra") or {}
        if not isinstance(extra, dict):
            raise PedigreeError(
                f"{where}: hemesim_extra {extra!r} must be an object of column name: text"
            )
        age = obj.get("age")  # pedigreejs' age in years (shown by its 'age' label)
        if age is not None and "age" not in extra and not isinstance(age, bool | dict | list):
            extra = {**extra, "age": str(age).strip() or "."}
        proband = obj.get("proband", False)
        if not isinstance(proband, bool):
            raise PedigreeError(f"{where}: proband {proband!r} must be true or false")
        try:
            people.append(
                Individual(
                    id=name,
                    sex=sex,  # type: ignore[arg-type]
                    father=None if father is None else str(father),
                    mother=None if mother is None else str(mother),
                    family=str(obj.get("famid", "1")),
                    affected=affected,
                    carrier_test=carrier_test,
                    sensitivity=_opt_float(
                        obj.get("alas2_test_sensitivity"), where, "alas2_test_sensitivity"
                    ),
                    specificity=_opt_float(
                        obj.get("alas2_test_specificity"), where, "alas2_test_specificity"
                    ),
                    genotype=obj.get("alas2_genotype"),
                    deceased=str(obj.get("status", 0)) == "1",
                    proband=proband,
                    extra=tuple((str(a), str(b)) for a, b in extra.items()),
                    line=k,
                )
            )
        except (TypeError, ValueError) as exc:
            raise PedigreeError(f"{where}: {exc}") from None
    if not people:
        raise PedigreeError("pedigreejs JSON: the list is empty; expected one object per person")
    problems = structure_problems(people)
    if problems:
        extra = f" (and {len(problems) - 1} more problem(s))" if len(problems) > 1 else ""
        raise PedigreeError(_as_person(problems[0]) + extra)
    return Pedigree(people)


def _opt_float(value: Any, where: str, key: str) -> float | None:
    """A JSON number (or numeric text) as a float; ``true``/``false`` are not numbers."""
    if value is None:
        return None
    try:
        if isinstance(value, bool):
            raise TypeError
        return float(value)
    except (TypeError, ValueError, OverflowError):
        raise PedigreeError(
            f"{where}: {key} {value!r} is not a number; expected a probability in (0, 1]"
        ) from None


def read_pedigreejs(source: str | os.PathLike[str]) -> Pedigree:
    """Read a pedigreejs JSON file.

    Parameters
    ----------
    source
        Path of the ``.json`` file.

    Raises
    ------
    PedigreeError
        For a file that cannot be read, is not UTF-8 or not JSON, a missing field, or a
        pedigree rule broken (one line).
    """
    path = Path(source)
    text = read_text(path)  # one line for a missing, unreadable or non-UTF-8 file
    try:
        data = load_json(text)
    except JSONInputError as exc:  # invalid, too deep, an over-long integer
        raise PedigreeError(f"pedigree file {str(path)!r}: {exc}") from None
    return from_pedigreejs(data)


def to_pedigreejs(pedigree: Pedigree) -> list[dict[str, Any]]:
    """The pedigree as a pedigreejs dataset (list of dicts)."""
    out = []
    for ind in pedigree:
        obj: dict[str, Any] = {
            "famid": ind.family,
            "name": ind.id,
            "display_name": ind.id,
            "sex": "M" if ind.sex == "male" else "F",
            "status": 1 if ind.deceased else 0,
        }
        if ind.is_founder:
            obj["top_level"] = True
        else:
            obj["mother"] = ind.mother
            obj["father"] = ind.father
        if ind.proband:
            obj["proband"] = True
        if ind.affected is not None:
            obj[DISEASE_KEY] = ind.affected
        if ind.carrier_test is not None:
            obj[GENE_TEST_KEY] = {
                "type": "T",
                "result": "P" if ind.carrier_test == "positive" else "N",
            }
        if ind.sensitivity is not None:
            obj["alas2_test_sensitivity"] = ind.sensitivity
        if ind.specificity is not None:
            obj["alas2_test_specificity"] = ind.specificity
        if ind.genotype is not None:
            obj["alas2_genotype"] = ind.genotype
        if ind.extra:
            obj["hemesim_extra"] = dict(ind.extra)
            age = dict(ind.extra).get("age", ".")
            if age.isdigit():  # pedigreejs shows a whole number of years under the symbol
                obj["age"] = int(age)
        out.append(obj)
    return out


def write_pedigreejs(pedigree: Pedigree, dest: str | os.PathLike[str] | None = None) -> str:
    """Write the pedigree as pedigreejs JSON text (and to ``dest`` when given)."""
    text = json.dumps(to_pedigreejs(pedigree), indent=1) + "\n"
    if dest is not None:
        try:
            write_text_atomic(Path(dest), text)
        except OSError as exc:
            reason = os_error_reason(exc)
            raise PedigreeError(
                f"pedigree file {str(dest)!r}: cannot be written ({reason})"
            ) from None
    return text
