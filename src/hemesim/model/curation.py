"""BioModels-grade SBML: units on every quantity and MIRIAM/SBO annotations from a data table.

The equations stay once, in ``erythroid.ant``; this module only dresses the SBML that
libAntimony makes from it, through libSBML:

* **units** - every parameter gets the unit of ``parameters.csv`` (table parameters) or of
  :data:`~hemesim.model.definition.READOUTS` / ``DERIVED_UNITS`` (rule-defined ones); every species
  its substance unit (amol) and every compartment its volume unit (pL); every literal number in
  the math is dimensionless, and the numerical ``guard`` added to a sum takes the unit of the
  other terms (``mcv_fl + guard`` becomes ``mcv_fl + guard * 1 fL``: the same number, now unit
  consistent). libSBML's consistency check with every category on, units included, then reports
  nothing (tests/model/test_curation.py).
* **annotations** - ``annotations.csv`` beside this module holds, per SBML id, the SBO term and the
  MIRIAM cross-references (``qualifier`` and a compact identifier such as ``CHEBI:17549`` or
  ``uniprot:P22557``, written as an identifiers.org URI), with the place each identifier was
  checked. A new species, reaction, compartment or parameter needs one row there (at least an
  SBO term); :func:`missing_annotations` lists the ids that have none.
* **model history** - creator (vCard), created/modified dates, taxon and citation.
"""

from __future__ import annotations

import csv
import io
import re
from dataclasses import dataclass
from importlib import resources
from typing import Any

from hemesim.errors import ModelError

__all__ = [
    "Annotation",
    "annotation_table",
    "curate_sbml",
    "missing_annotations",
    "unit_issues",
]

ANNOTATION_COLUMNS = ("id", "element", "sbo", "qualifier", "resource", "checked", "note")
ELEMENTS = ("model", "compartment", "species", "reaction", "parameter")
IDENTIFIERS_ORG = "https://identifiers.org/"
CREATED = "2026-11-25T00:00:00Z"
"""Date of the model's first version (the commit that added erythroid.ant, issue 2)."""

# table / readout unit -> (UnitDefinition id, [(kind, exponent, scale, multiplier)]); ids that
# the Antimony text already defines are reused, the others are created.
_UNIT_DEFINITIONS: dict[str, tuple[str, list[tuple[str, float, int, float]]]] = {
    "pL": ("volume", [("litre", 1, -12, 1.0)]),
    "amol": ("substance", [("mole", 1, -18, 1.0)]),
    "amol/cell": ("substance", [("mole", 1, -18, 1.0)]),
    "h": ("time_unit", [("second", 1, 0, 3600.0)]),
    "1": ("dimensionless", []),
    "uM": ("uM", [("mole", 1, -6, 1.0), ("litre", -1, 0, 1.0)]),
    "1/h": ("per_h", [("second", -1, 0, 3600.0)]),
    "uM/h": ("uM_per_h", [("mole", 1, -6, 1.0), ("litre", -1, 0, 1.0), ("second", -1, 0, 3600.0)]),
    "amol/h": ("amol_per_h", [("mole", 1, -18, 1.0), ("second", -1, 0, 3600.0)]),
    "1/(uM*h)": (
        "per_uM_per_h",
        [("litre", 1, 0, 1.0), ("mole", -1, -6, 1.0), ("second", -1, 0, 3600.0)],
    ),
    "g/mol": ("g_per_mol", [("gram", 1, 0, 1.0), ("mole", -1, 0, 1.0)]),
    "pg": ("pg", [("gram", 1, -12, 1.0)]),
    "pg/cell": ("pg", [("gram", 1, -12, 1.0)]),
    "fL": ("fL", [("litre", 1, -15, 1.0)]),
    "fL/cell": ("fL", [("litre", 1, -15, 1.0)]),
    "g/dL": ("g_per_dL", [("gram", 1, 0, 1.0), ("litre", -1, -1, 1.0)]),
    "1/L": ("per_L", [("litre", -1, 0, 1.0)]),
    "umol/L RBC": ("umol_per_L", [("mole", 1, -6, 1.0), ("litre", -1, 0, 1.0)]),
    "ug/dL RBC": ("ug_per_dL", [("gram", 1, -6, 1.0), ("litre", -1, -1, 1.0)]),
    "umol/mol heme": ("umol_per_mol", [("dimensionless", 1, -6, 1.0)]),
}

_GUARD = "guard"
_QUALIFIER = re.compile(r"^(bqbiol|bqmodel):([A-Za-z]+)$")


@dataclass(frozen=True)
class Annotation:
    """One row of ``annotations.csv``: an SBO term and/or one MIRIAM cross-reference.

    Attributes
    ----------
    id
        SBML id (``erythroid`` for the model).
    element
        ``model``, ``compartment``, ``species``, ``reaction`` or ``parameter``.
    sbo
        SBO term (``SBO:0000247``) or ``""``.
    qualifier
        ``bqbiol:is``, ``bqbiol:isVersionOf``, ``bqbiol:hasPart``, ``bqmodel:isDerivedFrom`` ...
        or ``""`` when the row carries only an SBO term.
    resource
        Compact identifier (``CHEBI:17549``, ``uniprot:P22557``, ``rhea:12921``) or ``""``.
    checked
        Where the identifier was checked.
    note
        Free text.
    """

    id: str
    element: str
    sbo: str
    qualifier: str
    resource: str
    checked: str
    note: str

    @property
    def uri(self) -> str:
        """identifiers.org URI of :attr:`resource`."""
        return IDENTIFIERS_ORG + self.resource


def annotation_table() -> list[Annotation]:
    """Rows of the packaged ``annotations.csv``, checked for form.

    Raises
    ------
    ModelError
        A row with an unknown element, a malformed SBO term or qualifier, a qualifier without a
        resource (or the reverse), or no check recorded for a resource.
    """
    text = resources.files("hemesim.model").joinpath("annotations.csv").read_text("utf-8")
    reader = csv.DictReader(io.StringIO(text, newline=""))
    if tuple(reader.fieldnames or ()) != ANNOTATION_COLUMNS:
        raise ModelError(
            f"annotations.csv columns are {reader.fieldnames}; expected {ANNOTATION_COLUMNS}"
        )
    rows = []
    for n, raw in enumerate(reader, start=2):
        row = Annotation(**{k: (raw.get(k) or "").strip() for k in ANNOTATION_COLUMNS})
        where = f"annotations.csv line {n} ({row.id!r})"
        if row.element not in ELEMENTS:
            raise ModelError(f"{where}: element {row.element!r}; expected one of {ELEMENTS}")
        if row.sbo and not re.fullmatch(r"SBO:\d{7}", row.sbo):
            raise ModelError(f"{where}: SBO term {row.sbo!r}; expected SBO: and 7 digits")
        if bool(row.qualifier) != bool(row.resource):
            raise ModelError(f"{where}: a qualifier needs a resource and a resource a qualifier")
        if row.qualifier and not _QUALIFIER.match(row.qualifier):
            raise ModelError(
                f"{where}: qualifier {row.qualifier!r}; expected bqbiol:NAME or bqmodel:NAME"
            )
        if row.resource and not row.checked:
            raise ModelError(f"{where}: say in 'checked' where {row.resource} was checked")
        rows.append(row)
    return rows


def _libsbml() -> Any:
    from hemesim.sbml_libs import libsbml

    return libsbml


def _known_unit(model: Any, unit: str) -> bool:
    """True when ``unit`` has an SBML unit definition here or in the Antimony text."""
    from hemesim.model.definition import ANTIMONY_UNITS

    if unit in _UNIT_DEFINITIONS:
        return True
    known = ANTIMONY_UNITS.get(unit, ("", ""))[0]
    return bool(known) and model.getUnitDefinition(known) is not None


def _unit_id(model: Any, unit: str) -> str:
    """UnitDefinition id of a table unit string, creating the definition when it is missing."""
    libsbml = _libsbml()
    if unit not in _UNIT_DEFINITIONS:
        from hemesim.model.definition import ANTIMONY_UNITS

        known = ANTIMONY_UNITS.get(unit, ("", ""))[0]
        if known and model.getUnitDefinition(known) is not None:
            return known  # defined in the Antimony text already (definition.ANTIMONY_UNITS)
        raise ModelError(
            f"unit {unit!r} has no SBML unit definition; add it to "
            "hemesim.model.definition.ANTIMONY_UNITS or hemesim.model.curation._UNIT_DEFINITIONS"
        )
    uid, parts = _UNIT_DEFINITIONS[unit]
    if uid == "dimensionless" or model.getUnitDefinition(uid) is not None:
        return uid
    ud = model.createUnitDefinition()
    ud.setId(uid)
    for kind, exponent, scale, multiplier in parts:
        u = ud.createUnit()
        u.setKind(libsbml.UnitKind_forName(kind))
        u.setExponent(exponent)
        u.setScale(scale)
        u.setMultiplier(multiplier)
    return uid


def _set_literal_units(node: Any) -> None:
    """Mark every literal number below ``node`` dimensionless (unless it has a unit)."""
    libsbml = _libsbml()
    if node is None:
        return
    if node.isNumber() and not node.hasUnits():
        node.setUnits("dimensionless")
    if node.getType() == libsbml.AST_NAME and node.getName() == _GUARD:
        return
    for i in range(node.getNumChildren()):
        _set_literal_units(node.getChild(i))


def _sum_terms(node: Any) -> list[str]:
    """Names that are terms of a (nested) sum: ``a + b`` -> ``[a, b]``, ``abs(a)`` -> ``[a]``;
    a product gives none."""
    libsbml = _libsbml()
    if node.getType() == libsbml.AST_NAME:
        return [str(node.getName())]
    if node.getType() in (
        libsbml.AST_PLUS,
        libsbml.AST_MINUS,
        libsbml.AST_FUNCTION_ABS,  # keep the unit of their argument
        libsbml.AST_FUNCTION_FLOOR,
        libsbml.AST_FUNCTION_CEILING,
    ):
        return [n for i in range(node.getNumChildren()) for n in _sum_terms(node.getChild(i))]
    return []


def _guard_units(node: Any, units_of: dict[str, str]) -> None:
    """In every sum ``x + ... + guard``, give ``guard`` the unit of the named terms.

    ``guard`` (a dimensionless 1e-12 that avoids 0/0 at t = 0) becomes ``guard * 1 [unit]``;
    the value of the sum is unchanged.
    """
    libsbml = _libsbml()
    if node is None:
        return
    if node.getType() == libsbml.AST_PLUS:
        names = [
            node.getChild(i).getName()
            for i in range(node.getNumChildren())
            if node.getChild(i).getType() == libsbml.AST_NAME
        ]
        if _GUARD in names:
            terms = [n for i in range(node.getNumChildren()) for n in _sum_terms(node.getChild(i))]
            unit = next((units_of[n] for n in terms if n != _GUARD and n in units_of), None)
            if unit is None:
                raise ModelError(
                    "the numerical guard is added to a sum whose unit is unknown; give the "
                    "other terms a unit (DERIVED_UNITS / READOUTS)"
                )
            for i in range(node.getNumChildren()):
                child = node.getChild(i)
                if child.getType() == libsbml.AST_NAME and child.getName() == _GUARD:
                    product = libsbml.ASTNode(libsbml.AST_TIMES)
                    product.addChild(child.deepCopy())
                    one = libsbml.ASTNode(libsbml.AST_REAL)
                    one.setValue(1.0)
                    one.setUnits(unit)
                    product.addChild(one)
                    node.replaceChild(i, product, True)
    for i in range(node.getNumChildren()):
        _guard_units(node.getChild(i), units_of)


def _derive_rule_units(model: Any, params: list[Any], units_of: dict[str, str]) -> None:
    """Units of rule-defined parameters that no table declares, derived from their math.

    A parameter defined by an assignment rule (``SucCoA_ALAS2 := SucCoA * ...``) takes the unit
    libSBML derives from the rule, reusing an identical unit definition of the model when there
    is one; rules that use other such parameters are resolved in later passes. A parameter
    without a rule, or whose rule's unit cannot be derived, is an error naming it.
    """
    libsbml = _libsbml()
    pending = list(params)
    while pending:
        progress = False
        for p in list(pending):
            rule = model.getAssignmentRuleByVariable(p.getId())
            if rule is None or not rule.isSetMath():
                continue
            if any(
                name in {q.getId() for q in pending}
                for name in _names(rule.getMath())
                if name != p.getId()
            ):
                continue  # depends on a parameter still without a unit
            math = rule.getMath().deepCopy()
            _set_literal_units(math)
            rule.setMath(math)
            derived = rule.getDerivedUnitDefinition()
            if derived is None or rule.containsUndeclaredUnits():
                continue
            p.setUnits(_matching_unit(model, derived))
            units_of[p.getId()] = p.getUnits()
            pending.remove(p)
            progress = True
        if not progress:
            names = ", ".join(repr(p.getId()) for p in pending)
            raise ModelError(
                f"SBML parameter(s) {names} have no unit: add them to parameters.csv, READOUTS "
                "or DERIVED_UNITS"
            )
    del libsbml


def _names(node: Any) -> set[str]:
    libsbml = _libsbml()
    if node is None:
        return set()
    out = {str(node.getName())} if node.getType() == libsbml.AST_NAME else set()
    for i in range(node.getNumChildren()):
        out |= _names(node.getChild(i))
    return out


def _matching_unit(model: Any, derived: Any) -> str:
    """Id of a unit definition identical to ``derived`` (created when the model has none)."""
    libsbml = _libsbml()
    simplified = derived.clone()
    libsbml.UnitDefinition.simplify(simplified)
    if simplified.getNumUnits() == 0 or (
        simplified.getNumUnits() == 1 and simplified.getUnit(0).isDimensionless()
    ):
        return "dimensionless"
    for i in range(model.getNumUnitDefinitions()):
        ud = model.getUnitDefinition(i)
        if libsbml.UnitDefinition.areIdentical(ud, simplified):
            return str(ud.getId())
    uid = f"derived_unit_{model.getNumUnitDefinitions()}"
    ud = model.createUnitDefinition()
    ud.setId(uid)
    for i in range(simplified.getNumUnits()):
        ud.addUnit(simplified.getUnit(i))
    return uid


def _apply_units(model: Any, param_units: dict[str, str]) -> None:
    """Units on every parameter, species and compartment, and on the literals of every math."""
    units_of: dict[str, str] = {}
    undeclared = []
    for i in range(model.getNumParameters()):
        p = model.getParameter(i)
        unit = param_units.get(p.getId())
        has_rule = model.getAssignmentRuleByVariable(p.getId()) is not None
        if unit is None or (has_rule and not _known_unit(model, unit)):
            undeclared.append(p)  # a rule-defined quantity: its unit comes from its rule
            continue
        uid = _unit_id(model, unit)
        p.setUnits(uid)
        units_of[p.getId()] = uid
    model.setSubstanceUnits("substance")
    model.setExtentUnits("substance")
    model.setTimeUnits("time_unit")
    model.setVolumeUnits("volume")
    for i in range(model.getNumSpecies()):
        model.getSpecies(i).setSubstanceUnits("substance")
    for i in range(model.getNumCompartments()):
        model.getCompartment(i).setUnits("volume")
    _derive_rule_units(model, undeclared, units_of)
    maths = [model.getRule(i) for i in range(model.getNumRules())]
    maths += [model.getReaction(i).getKineticLaw() for i in range(model.getNumReactions())]
    maths += [model.getInitialAssignment(i) for i in range(model.getNumInitialAssignments())]
    for holder in maths:
        if holder is None or not holder.isSetMath():
            continue
        math = holder.getMath().deepCopy()
        _guard_units(math, units_of)
        _set_literal_units(math)
        holder.setMath(math)


def _qualifier(term: Any, qualifier: str) -> None:
    libsbml = _libsbml()
    kind, name = qualifier.split(":", 1)
    if kind == "bqmodel":
        term.setQualifierType(libsbml.MODEL_QUALIFIER)
        code = libsbml.ModelQualifierType_fromString(name)
        if code == libsbml.BQM_UNKNOWN:
            raise ModelError(f"annotations.csv: unknown qualifier {qualifier!r}")
        term.setModelQualifierType(code)
    else:
        term.setQualifierType(libsbml.BIOLOGICAL_QUALIFIER)
        code = libsbml.BiolQualifierType_fromString(name)
        if code == libsbml.BQB_UNKNOWN:
            raise ModelError(f"annotations.csv: unknown qualifier {qualifier!r}")
        term.setBiologicalQualifierType(code)


def _element(model: Any, row: Annotation) -> Any:
    if row.element == "model":
        return model if model.getId() == row.id else None
    getter = {
        "compartment": model.getCompartment,
        "species": model.getSpecies,
        "reaction": model.getReaction,
        "parameter": model.getParameter,
    }[row.element]
    return getter(row.id)


def _apply_annotations(model: Any, rows: list[Annotation], modified: str) -> None:
    """SBO terms and CV terms from the table (one CVTerm per id and qualifier), model history."""
    libsbml = _libsbml()
    grouped: dict[tuple[str, str, str], list[str]] = {}
    for row in rows:
        element = _element(model, row)
        if element is None:
            continue  # an id of another model version: nothing to annotate
        if not element.isSetMetaId():
            element.setMetaId(f"meta_{row.id}")
        if row.sbo:
            element.setSBOTerm(row.sbo)
        if row.qualifier:
            grouped.setdefault((row.element, row.id, row.qualifier), []).append(row.uri)
    history = libsbml.ModelHistory()
    creator = libsbml.ModelCreator()
    creator.setFamilyName("hemesim")
    creator.setGivenName("developers")
    creator.setOrganisation("hemesim project")
    history.addCreator(creator)
    history.setCreatedDate(libsbml.Date(CREATED))
    history.addModifiedDate(libsbml.Date(modified))
    if not model.isSetMetaId():
        model.setMetaId(f"meta_{model.getId()}")
    if model.setModelHistory(history) != libsbml.LIBSBML_OPERATION_SUCCESS:
        raise ModelError("libSBML refused the model history (creator and dates)")
    for (kind, sid, qualifier), uris in grouped.items():
        element = _element(model, Annotation(sid, kind, "", "", "", "", ""))
        term = libsbml.CVTerm()
        _qualifier(term, qualifier)
        for uri in uris:
            term.addResource(uri)
        if element.addCVTerm(term) != libsbml.LIBSBML_OPERATION_SUCCESS:
            raise ModelError(f"libSBML refused the annotation {qualifier} of {sid!r}")


def curate_sbml(sbml: str, param_units: dict[str, str], *, modified: str | None = None) -> str:
    """Return ``sbml`` with units, SBO terms, MIRIAM annotations and a model history.

    Parameters
    ----------
    sbml
        SBML L3 text (from libAntimony).
    param_units
        Unit string (``parameters.csv`` form: ``uM``, ``1/h``, ``amol/cell`` ...) of every SBML
        parameter, by id (:attr:`ModelDefinition.units`).
    modified
        W3CDTF date of the last change (default: :data:`CREATED`, so the text is reproducible).

    Returns
    -------
    str
        The curated SBML text (the same equations and values).
    """
    libsbml = _libsbml()
    doc = libsbml.readSBMLFromString(sbml)
    model = doc.getModel()
    if model is None:
        raise ModelError("SBML has no model")
    _apply_units(model, param_units)
    _apply_annotations(model, annotation_table(), modified or CREATED)
    return str(libsbml.writeSBMLToString(doc))


def unit_issues(sbml: str) -> list[str]:
    """Every message of libSBML's consistency check with all categories on, units included.

    Returns
    -------
    list of str
        ``"<category> <severity> <id>: <message>"``, one per issue (errors, warnings and
        modelling-practice advice alike).
    """
    libsbml = _libsbml()
    doc = libsbml.readSBMLFromString(sbml)
    for category in (
        libsbml.LIBSBML_CAT_GENERAL_CONSISTENCY,
        libsbml.LIBSBML_CAT_IDENTIFIER_CONSISTENCY,
        libsbml.LIBSBML_CAT_UNITS_CONSISTENCY,
        libsbml.LIBSBML_CAT_MATHML_CONSISTENCY,
        libsbml.LIBSBML_CAT_SBO_CONSISTENCY,
        libsbml.LIBSBML_CAT_OVERDETERMINED_MODEL,
        libsbml.LIBSBML_CAT_MODELING_PRACTICE,
    ):
        doc.setConsistencyChecks(category, True)
    doc.checkConsistency()
    out = []
    for i in range(doc.getNumErrors()):
        err = doc.getError(i)
        out.append(
            f"{err.getCategoryAsString()} {err.getSeverityAsString()} {err.getErrorId()}: "
            + " ".join(err.getMessage().split())
        )
    return out


def missing_annotations(sbml: str) -> dict[str, list[str]]:
    """Ids of the SBML that lack what BioModels asks for.

    Species and compartments need an SBO term and a MIRIAM cross-reference; reactions and
    parameters an SBO term.

    Returns
    -------
    dict
        ``{"species": [...], "compartment": [...], "reaction": [...], "parameter": [...]}``
        (empty lists when everything is annotated).
    """
    libsbml = _libsbml()
    model = libsbml.readSBMLFromString(sbml).getModel()
    out: dict[str, list[str]] = {}
    groups = {
        "species": (model.getListOfSpecies(), True),
        "compartment": (model.getListOfCompartments(), True),
        "reaction": (model.getListOfReactions(), False),
        "parameter": (model.getListOfParameters(), False),
    }
    for kind, (items, needs_cv) in groups.items():
        out[kind] = [
            el.getId()
            for el in items
            if not el.isSetSBOTerm() or (needs_cv and el.getNumCVTerms() == 0)
        ]
    return out
