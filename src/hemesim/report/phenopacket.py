"""GA4GH Phenopackets v2: the predicted person as a Phenopacket, a family as a Family message.

Built with the GA4GH ``phenopackets`` package (protobuf classes) and written as JSON with
``google.protobuf.json_format``, so any Phenopacket reader (phenopacket-tools, Exomiser, LIRICAL)
parses it.

* **HPO terms** come from the HPO release shipped with ``hpo3`` (``pyhpo.Ontology``, offline);
  names are never typed by hand. Which term: from the prediction (see :func:`phenotypic_features`).
* **Measurements** carry LOINC codes, checked on loinc.org's CBC panel page (58410-2: 718-7 Hb,
  787-2 MCV, 785-6 MCH, 786-4 MCHC, 788-0 RDW, 789-8 RBC) and a LOINC mirror
  (healthassure.in: 2898-5 Protoporphyrin [Mass/volume] in Red Blood Cells); units are UCUM.
  :data:`LOINC_SOURCES` names the page of each code. **Zinc protoporphyrin is not written**
  (neither ZnPP/heme in umol/mol nor the ZnPP share of EP): no LOINC code for it could be read
  with its name. Searched (issue 17): loinc.org pages, the healthassure.in LOINC mirror and lab
  test catalogues. Mayo Clinic's PPFE catalogue page maps its "Zinc-Complexed Protoporphyrin"
  result to LOINC 33007-6, but the name, system (blood or red cells) and unit of 33007-6 were not
  read anywhere; 33053-0 "Protoporphyrin [Molar ratio] in Red Blood Cells" is total
  protoporphyrin, not ZnPP/heme; 2892-8 "Protoporphyrin Free [Mass/volume] in Blood" is per
  whole blood, not per red cells as hemesim predicts. None is used.
* **Interpretation**: the ALAS2 variant (HGNC:397, checked in the ALAS2 review notes of
  ai4curation/ai-gene-review) as a VariationDescriptor with its ``c.``/``p.`` HGVS and, when the
  variant report holds GRCh38 coordinates, a VCF record; allelic state GENO:0000134 hemizygous /
  GENO:0000135 heterozygous (checked in the source of several Phenopacket writers).
* **Disease**: OMIM:300751 (XLSA) or OMIM:300752 (XLP), labels from the HPO annotations shipped
  with ``hpo3``.

The inputs are the JSON dicts the CLI prints (``hemesim variant HGVS --sex ... --json``) and a
:class:`~hemesim.genetics.pedigree.Pedigree`.
"""

from __future__ import annotations

import datetime as _dt
import functools
import os
from collections.abc import Mapping
from pathlib import Path
from typing import TYPE_CHECKING, Any

from hemesim.errors import ReportError
from hemesim.safe_io import (
    MAX_PEDIGREE_FILE_BYTES,
    InputFileError,
    os_error_reason,
    read_input_bytes,
    write_text_atomic,
)

if TYPE_CHECKING:
    from phenopackets import Family, OntologyClass, Phenopacket, PhenotypicFeature

    from hemesim.genetics.pedigree import Pedigree

__all__ = [
    "LOINC",
    "LOINC_SOURCES",
    "family_phenopacket",
    "hpo_term",
    "hpo_version",
    "phenopacket_from_report",
    "phenotypic_features",
    "read_phenopacket",
    "write_message",
]

SCHEMA_VERSION = "2.0"
HGNC_ALAS2 = ("HGNC:397", "ALAS2")
DISEASES = {"XLSA": 300751, "XLP": 300752}
GENO = {
    "hemizygous": ("GENO:0000134", "hemizygous"),
    "heterozygous": ("GENO:0000135", "heterozygous"),
}

LOINC: dict[str, tuple[str, str, str]] = {
    # phenotype key -> (LOINC code, LOINC long name, UCUM unit)
    "hb_g_dl": ("LOINC:718-7", "Hemoglobin [Mass/volume] in Blood", "g/dL"),
    "mcv_fl": ("LOINC:787-2", "MCV [Entitic volume] by Automated count", "fL"),
    "mch_pg": ("LOINC:785-6", "MCH [Entitic mass] by Automated count", "pg"),
    "mchc_g_dl": ("LOINC:786-4", "MCHC [Mass/volume] by Automated count", "g/dL"),
    "rdw_cv_percent": (
        "LOINC:788-0",
        "Erythrocyte distribution width [Ratio] by Automated count",
        "%",
    ),
    "ep_total_ug_dl_rbc": (
        "LOINC:2898-5",
        "Protoporphyrin [Mass/volume] in Red Blood Cells",
        "ug/dL",
    ),
}
"""Measurements written, with their LOINC code, name and UCUM unit (sources in
:data:`LOINC_SOURCES`). ZnPP/heme (umol/mol) is not written: no LOINC code for it was read."""

LOINC_SOURCES: dict[str, str] = {
    # LOINC code -> where its code and long name were read
    "LOINC:718-7": "loinc.org CBC panel page 58410-2 (its panel members)",
    "LOINC:787-2": "loinc.org CBC panel page 58410-2 (its panel members)",
    "LOINC:785-6": "loinc.org CBC panel page 58410-2 (its panel members)",
    "LOINC:786-4": "loinc.org CBC panel page 58410-2 (its panel members)",
    "LOINC:788-0": "loinc.org CBC panel page 58410-2 (its panel members)",
    "LOINC:2898-5": "healthassure.in/codes/loinc-2898-5-protoporphyrin-rbc-massvol (LOINC mirror)",
}
"""Where each code of :data:`LOINC` was read (a code is added only with its source)."""

# reference limits used to choose HPO terms (shared/science.md section 3: MCV 80-100 fL,
# MCH 27-33 pg in adults)
MCV_LOW_FL = 80.0
MCH_LOW_PG = 27.0

HPO_ANEMIA = 1903
HPO_MICROCYTIC = 1935
HPO_HYPOCHROMIC = 1931
HPO_HYPOCHROMIC_MICROCYTIC = 4840
HPO_SIDEROBLASTIC = 1924
HPO_RAISED_EP = 12187
HPO_PHOTOSENSITIVITY = 992
HPO_RAISED_FERRITIN = 3281


@functools.cache
def _ontology() -> Any:
    """The HPO shipped with hpo3 (loaded once per process, about 2 s)."""
    from pyhpo import Ontology

    Ontology()
    return Ontology


def hpo_term(number: int) -> OntologyClass:
    """``OntologyClass`` of an HPO term with the name of the shipped ontology (HP:0001935 ...)."""
    from phenopackets import OntologyClass

    term = _ontology().hpo(number)
    return OntologyClass(id=str(term.id), label=str(term.name))


def hpo_version() -> str:
    """Release date of the shipped HPO (``2025-11-24`` ...)."""
    return str(_ontology().version())


def _omim(number: int) -> OntologyClass:
    from phenopackets import OntologyClass

    label = next(
        (d.name for d in _ontology().omim_diseases if int(d.id) == number), f"OMIM {number}"
    )
    return OntologyClass(id=f"OMIM:{number}", label=str(label))


def _value(data: Mapping[str, Any], key: str) -> float | None:
    entry = data.get("phenotype", {}).get(key)
    if isinstance(entry, Mapping):
        entry = entry.get("value")
    return float(entry) if isinstance(entry, int | float) and not isinstance(entry, bool) else None


def phenotypic_features(data: Mapping[str, Any]) -> list[PhenotypicFeature]:
    """HPO phenotypic features of a predicted person, chosen from the prediction.

    * anaemia (``severity.anemia.anemic``, WHO threshold): Hypochromic microcytic anemia when
      MCV < 80 fL and MCH < 27 pg, Microcytic anemia when only MCV is low, Hypochromic anemia
      when only MCH is low, else Anemia; no anaemia: Anemia, excluded;
    * XLSA called: Sideroblastic anemia;
    * total erythrocyte protoporphyrin >= 80 ug/dL (photosensitivity risk low or high):
      Increased erythrocyte protoporphyrin concentration; in the protoporphyria range
      (>= 300 ug/dL, risk high): Cutaneous photosensitivity;
    * serum ferritin predicted above 300 ug/L at some time (``iron.summary.years_to_overload``):
      Increased circulating ferritin concentration (the description says when).
    """
    from phenopackets import PhenotypicFeature

    features = []
    severity = data.get("severity") or {}
    anemia = severity.get("anemia") or {}
    mcv, mch = _value(data, "mcv_fl"), _value(data, "mch_pg")
    if anemia.get("anemic"):
        micro = mcv is not None and mcv < MCV_LOW_FL
        hypo = mch is not None and mch < MCH_LOW_PG
        term = (
            HPO_HYPOCHROMIC_MICROCYTIC
            if micro and hypo
            else HPO_MICROCYTIC
            if micro
            else HPO_HYPOCHROMIC
            if hypo
            else HPO_ANEMIA
        )
        features.append(
            PhenotypicFeature(
                type=hpo_term(term),
                description=f"predicted Hb {anemia.get('hb_g_dl', 0):.1f} g/dL (WHO "
                f"threshold {anemia.get('threshold_g_dl')} g/dL), MCV {mcv or 0:.0f} fL, MCH "
                f"{mch or 0:.1f} pg; grade {anemia.get('grade')}",
            )
        )
    elif anemia:
        features.append(PhenotypicFeature(type=hpo_term(HPO_ANEMIA), excluded=True))
    if data.get("disease") == "XLSA":
        iron_index = _value(data, "mito_iron_index")
        features.append(
            PhenotypicFeature(
                type=hpo_term(HPO_SIDEROBLASTIC),
                description="predicted: mitochondrial iron loading with ineffective "
                f"erythropoiesis (mitochondrial iron index {iron_index or 0:.1f})",
            )
        )
    photo = severity.get("photosensitivity") or {}
    if photo.get("risk") in ("low", "high"):
        features.append(
            PhenotypicFeature(
                type=hpo_term(HPO_RAISED_EP),
                description=f"predicted total erythrocyte protoporphyrin "
                f"{photo.get('ep_total_ug_dl_rbc', 0):.0f} ug/dL (reference < 80)",
            )
        )
    if photo.get("risk") == "high":
        features.append(
            PhenotypicFeature(
                type=hpo_term(HPO_PHOTOSENSITIVITY),
                description="predicted: erythrocyte protoporphyrin in the protoporphyria range "
                "(>= 300 ug/dL)",
            )
        )
    summary = (data.get("iron") or {}).get("summary") or {}
    years = summary.get("years_to_overload")
    if isinstance(years, int | float):
        threshold = float(summary.get("overload_threshold_ug_l", 300.0))
        regimen = (summary.get("therapy") or {}).get("regimen", "untreated")
        features.append(
            PhenotypicFeature(
                type=hpo_term(HPO_RAISED_FERRITIN),
                description=f"predicted: serum ferritin above {threshold:g} ug/L after "
                f"{years:.0f} years ({regimen})",
            )
        )
    return features


def _measurements(data: Mapping[str, Any]) -> list[Any]:
    from phenopackets import Measurement, OntologyClass, Quantity, Value

    out = []
    for key, (code, label, unit) in LOINC.items():
        value = _value(data, key)
        if value is None:
            continue
        out.append(
            Measurement(
                assay=OntologyClass(id=code, label=label),
                value=Value(
                    quantity=Quantity(
                        unit=OntologyClass(id=f"UCUM:{unit}", label=unit), value=value
                    )
                ),
                description="predicted by hemesim (erythroid heme-synthesis model)",
            )
        )
    return out


def _vcf_record(data: Mapping[str, Any]) -> Any | None:
    """GRCh38 VCF record from the variant report, when it holds one.

    The variant report puts genomic coordinates under ``grch38``: ``{"assembly", "vcf":
    {"chrom", "pos", "ref", "alt"}, "hgvs_g", ...}`` (``None`` when the variant cannot be placed,
    e.g. a p. description). A flat ``{"chrom", "pos", "ref", "alt"}`` under ``grch38`` or
    ``vcf`` is read too. Without coordinates there is no VCF record (nothing is guessed).
    """
    from phenopackets import VcfRecord

    block = data.get("grch38")
    candidates = [block.get("vcf") if isinstance(block, Mapping) else None, block, data.get("vcf")]
    for entry in candidates:
        if isinstance(entry, Mapping) and all(k in entry for k in ("chrom", "pos", "ref", "alt")):
            return VcfRecord(
                genome_assembly="GRCh38",
                chrom=str(entry["chrom"]),
                pos=int(entry["pos"]),
                ref=str(entry["ref"]),
                alt=str(entry["alt"]),
            )
    return None


def _hgvs_g(data: Mapping[str, Any]) -> str | None:
    block = data.get("grch38")
    text = block.get("hgvs_g") if isinstance(block, Mapping) else None
    return text if isinstance(text, str) and text else None


_ACMG_CLASSES = {
    "pathogenic": "PATHOGENIC",
    "likely pathogenic": "LIKELY_PATHOGENIC",
    "uncertain significance": "UNCERTAIN_SIGNIFICANCE",
    "likely benign": "LIKELY_BENIGN",
    "benign": "BENIGN",
}


def _acmg_class(data: Mapping[str, Any]) -> int | None:
    """The ACMG/AMP class of the variant report (``classification.class``) as the Phenopacket
    enum, or ``None`` when the report has none."""
    import phenopackets

    block = data.get("classification")
    name = block.get("class") if isinstance(block, Mapping) else None
    key = _ACMG_CLASSES.get(str(name).strip().lower()) if name else None
    return None if key is None else int(getattr(phenopackets, key))


def _interpretation(data: Mapping[str, Any], subject: str, sex: str) -> Any:
    from phenopackets import (
        Diagnosis,
        Expression,
        GeneDescriptor,
        GenomicInterpretation,
        Interpretation,
        OntologyClass,
        VariantInterpretation,
        VariationDescriptor,
    )

    expressions = []
    for syntax, key in (("hgvs.c", "hgvs_c"), ("hgvs.p", "hgvs_p")):
        text = data.get(key)
        if isinstance(text, str) and text:
            expressions.append(Expression(syntax=syntax, value=text))
    genomic = _hgvs_g(data)
    if genomic is not None:
        expressions.append(Expression(syntax="hgvs.g", value=genomic))
    state = GENO["hemizygous" if sex == "male" else "heterozygous"]
    descriptor = VariationDescriptor(
        id=f"{subject}-ALAS2-variant",
        label=str(data.get("hgvs_c") or data.get("input") or ""),
        gene_context=GeneDescriptor(value_id=HGNC_ALAS2[0], symbol=HGNC_ALAS2[1]),
        expressions=expressions,
        molecule_context="genomic",
        allelic_state=OntologyClass(id=state[0], label=state[1]),
    )
    vcf = _vcf_record(data)
    if vcf is not None:
        descriptor.vcf_record.CopyFrom(vcf)
    disease = data.get("disease")
    status = (
        GenomicInterpretation.CAUSATIVE
        if disease in DISEASES
        else GenomicInterpretation.UNKNOWN_STATUS
    )
    variant_interpretation = VariantInterpretation(variation_descriptor=descriptor)
    acmg = _acmg_class(data)
    if acmg is not None:
        variant_interpretation.acmg_pathogenicity_classification = acmg
    diagnosis = Diagnosis(
        genomic_interpretations=[
            GenomicInterpretation(
                subject_or_biosample_id=subject,
                interpretation_status=status,
                variant_interpretation=variant_interpretation,
            )
        ]
    )
    if disease in DISEASES:
        diagnosis.disease.CopyFrom(_omim(DISEASES[disease]))
    effect = (data.get("effect") or {}).get("class", "")
    return Interpretation(
        id=f"{subject}-interpretation",
        progress_status=Interpretation.IN_PROGRESS,
        diagnosis=diagnosis,
        summary=f"hemesim prediction: {disease or 'no call'} (variant effect {effect}); a "
        "model prediction, not a clinical diagnosis",
    )


def _meta_data(created: _dt.datetime | None) -> Any:
    from phenopackets import MetaData, Resource

    from hemesim import __version__

    meta = MetaData(
        created_by=f"hemesim {__version__}",
        phenopacket_schema_version=SCHEMA_VERSION,
        resources=[
            Resource(
                id="hp",
                name="human phenotype ontology",
                url="http://purl.obolibrary.org/obo/hp.obo",
                version=hpo_version(),
                namespace_prefix="HP",
                iri_prefix="http://purl.obolibrary.org/obo/HP_",
            ),
            Resource(
                id="geno",
                name="Genotype Ontology",
                url="http://purl.obolibrary.org/obo/geno.owl",
                version="unknown",
                namespace_prefix="GENO",
                iri_prefix="http://purl.obolibrary.org/obo/GENO_",
            ),
            Resource(
                id="omim",
                name="Online Mendelian Inheritance in Man",
                url="https://www.omim.org",
                version=hpo_version(),
                namespace_prefix="OMIM",
                iri_prefix="https://www.omim.org/entry/",
            ),
            Resource(
                id="loinc",
                name="Logical Observation Identifiers Names and Codes",
                url="https://loinc.org",
                version="unknown",
                namespace_prefix="LOINC",
                iri_prefix="https://loinc.org/",
            ),
            Resource(
                id="ucum",
                name="Unified Code for Units of Measure",
                url="https://ucum.org",
                version="unknown",
                namespace_prefix="UCUM",
                iri_prefix="https://ucum.org/",
            ),
            Resource(
                id="ncbitaxon",
                name="NCBI organismal classification",
                url="http://purl.obolibrary.org/obo/ncbitaxon.owl",
                version="unknown",
                namespace_prefix="NCBITaxon",
                iri_prefix="http://purl.obolibrary.org/obo/NCBITaxon_",
            ),
        ],
    )
    when = created or _dt.datetime.now(_dt.UTC)
    meta.created.FromDatetime(when.astimezone(_dt.UTC).replace(tzinfo=None))
    return meta


def _individual(subject: str, sex: str | None) -> Any:
    from phenopackets import (
        FEMALE,
        MALE,
        UNKNOWN_KARYOTYPE,
        UNKNOWN_SEX,
        XX,
        XY,
        Individual,
        OntologyClass,
    )

    return Individual(
        id=subject,
        sex={"male": MALE, "female": FEMALE}.get(sex or "", UNKNOWN_SEX),
        karyotypic_sex={"male": XY, "female": XX}.get(sex or "", UNKNOWN_KARYOTYPE),
        taxonomy=OntologyClass(id="NCBITaxon:9606", label="Homo sapiens"),
    )


def phenopacket_from_report(
    data: Mapping[str, Any],
    *,
    subject: str = "proband",
    created: _dt.datetime | None = None,
) -> Phenopacket:
    """The predicted person of ``hemesim variant HGVS --sex ... --json`` as a Phenopacket v2.

    Parameters
    ----------
    data
        The JSON dict of a variant report with its prediction (keys ``hgvs_c``, ``hgvs_p``,
        ``sex``, ``phenotype``, ``severity``, ``disease``, ``iron`` ...).
    subject
        Id of the individual.
    created
        Creation time of the metadata (default now, UTC).

    Returns
    -------
    phenopackets.Phenopacket
        Subject (sex, karyotypic sex, taxon), HPO features, LOINC measurements, the ALAS2
        interpretation and, when a disease is called, the disease (OMIM).

    Raises
    ------
    ReportError
        ``data`` holds no prediction (no ``sex`` or ``phenotype``).
    """
    from phenopackets import Disease, Phenopacket

    if not isinstance(data, Mapping) or not data.get("sex") or not data.get("phenotype"):
        raise ReportError(
            "a phenopacket needs a predicted person: give the variant a sex (--sex male|female)"
            " and a variant whose effect is quantified"
        )
    sex = str(data["sex"])
    packet = Phenopacket(
        id=f"hemesim-{subject}",
        subject=_individual(subject, sex),
        phenotypic_features=phenotypic_features(data),
        measurements=_measurements(data),
        interpretations=[_interpretation(data, subject, sex)],
        meta_data=_meta_data(created),
    )
    disease = data.get("disease")
    if disease in DISEASES:
        packet.diseases.append(Disease(term=_omim(DISEASES[disease])))
    return packet


def family_phenopacket(
    pedigree: Pedigree,
    *,
    family_id: str | None = None,
    created: _dt.datetime | None = None,
) -> Family:
    """A pedigree as a Phenopackets v2 ``Family``.

    The proband (the PED ``proband`` column, else the first affected member, else the first
    member) and every relative get a phenopacket with their subject (id, sex, karyotypic sex,
    taxon, vital status); the ``Pedigree`` message holds every member with parents, sex and
    affected status (PED semantics).

    Parameters
    ----------
    pedigree
        The family.
    family_id
        Family id (default the PED family id of the first member).
    created
        Creation time of the metadata (default now, UTC).

    Returns
    -------
    phenopackets.Family

    Raises
    ------
    ReportError
        The pedigree is empty.
    """
    from phenopackets import FEMALE, MALE, UNKNOWN_SEX, Family, Phenopacket, VitalStatus
    from phenopackets import Pedigree as PedigreeMessage

    members = list(pedigree)
    if not members:
        raise ReportError("the pedigree is empty; expected at least one individual")
    fam = family_id or members[0].family
    proband = next(
        (m for m in members if m.proband),
        next((m for m in members if m.affected), members[0]),
    )
    meta = _meta_data(created)

    def packet(ind: Any) -> Phenopacket:
        p = Phenopacket(id=f"{fam}-{ind.id}", subject=_individual(ind.id, ind.sex))
        if ind.deceased:
            p.subject.vital_status.status = VitalStatus.DECEASED
        p.meta_data.CopyFrom(meta)
        return p

    message = PedigreeMessage()
    status = {
        True: PedigreeMessage.Person.AFFECTED,
        False: PedigreeMessage.Person.UNAFFECTED,
        None: PedigreeMessage.Person.MISSING,
    }
    for ind in members:
        person = message.persons.add()
        person.family_id = fam
        person.individual_id = ind.id
        person.paternal_id = ind.father or "0"
        person.maternal_id = ind.mother or "0"
        person.sex = {"male": MALE, "female": FEMALE}.get(ind.sex, UNKNOWN_SEX)
        person.affected_status = status[ind.affected]
    return Family(
        id=fam,
        proband=packet(proband),
        relatives=[packet(m) for m in members if m is not proband],
        pedigree=message,
        meta_data=meta,
    )


def write_message(message: Any, path: str | os.PathLike[str]) -> Path:
    """Write a Phenopacket or Family as JSON (``json_format``, camelCase field names).

    Raises
    ------
    ReportError
        The path does not end in ``.json``, is a folder, lies in a missing folder, or cannot be
        written.
    """
    from google.protobuf import json_format

    out = Path(path)
    if out.suffix.lower() != ".json":
        raise ReportError(f"phenopacket output {str(out)!r}: expected a file name ending in .json")
    if out.is_dir():
        raise ReportError(f"phenopacket output {str(out)!r} is a directory; expected a file name")
    if not out.parent.exists():
        raise ReportError(f"phenopacket output folder {str(out.parent)!r} does not exist")
    try:
        write_text_atomic(out, json_format.MessageToJson(message) + "\n")
    except OSError as exc:
        raise ReportError(f"cannot write {str(out)!r}: {os_error_reason(exc)}") from None
    return out


def read_phenopacket(path: str | os.PathLike[str]) -> dict[str, Any]:
    """Sex and ALAS2 variant of the subject of a Phenopacket v2 JSON file.

    Returns
    -------
    dict
        ``{"id": subject id, "sex": "male"|"female"|None, "hgvs": "NM_000032.5:c...."}``; the
        variant is the first ``hgvs.c`` (else ``hgvs.p``) expression of an interpretation whose
        gene is ALAS2 (HGNC:397 or symbol ALAS2).

    Raises
    ------
    ReportError
        The file cannot be read, is not a Phenopacket JSON, or holds no ALAS2 HGVS expression.
    """
    from google.protobuf import json_format
    from phenopackets import FEMALE, MALE, Phenopacket

    where = str(path)
    try:  # a regular file of at most 16 MiB (a FIFO or /dev/zero is refused before reading)
        text = read_input_bytes(Path(path), MAX_PEDIGREE_FILE_BYTES, "phenopacket").decode()
    except InputFileError as exc:
        raise ReportError(str(exc)) from None
    except (OSError, UnicodeDecodeError) as exc:
        reason = getattr(exc, "strerror", None) or str(exc)
        raise ReportError(f"cannot read phenopacket {where!r}: {reason}") from None
    packet = Phenopacket()
    try:
        json_format.Parse(text, packet)
    except json_format.ParseError as exc:
        first = " ".join(str(exc).split())[:160]
        raise ReportError(
            f"{where!r} is not a GA4GH Phenopacket v2 JSON ({first}); expected the JSON of a "
            "Phenopacket message"
        ) from None
    sex = {MALE: "male", FEMALE: "female"}.get(packet.subject.sex)
    hgvs = None
    for interp in packet.interpretations:
        for gi in interp.diagnosis.genomic_interpretations:
            desc = gi.variant_interpretation.variation_descriptor
            gene = desc.gene_context
            if gene.value_id != HGNC_ALAS2[0] and gene.symbol != HGNC_ALAS2[1]:
                continue
            by_syntax = {e.syntax: e.value for e in desc.expressions}
            hgvs = by_syntax.get("hgvs.c") or by_syntax.get("hgvs.p") or by_syntax.get("hgvs")
            if hgvs:
                break
        if hgvs:
            break
    if not hgvs:
        raise ReportError(
            f"phenopacket {where!r} holds no ALAS2 variant: expected an interpretation with a "
            "VariationDescriptor on gene HGNC:397 (ALAS2) and an hgvs.c or hgvs.p expression"
        )
    return {"id": packet.subject.id or None, "sex": sex, "hgvs": hgvs}
