"""Domain map: sites agree with the UniProt feature table shipped beside it."""

import csv
from importlib import resources

from hemesim.gene import domains


def _features() -> list[dict[str, str]]:
    text = resources.files("hemesim.gene").joinpath("data", "alas2_uniprot_features.tsv")
    rows = [r for r in text.read_text(encoding="utf-8").splitlines() if not r.startswith("#")]
    return list(csv.DictReader(rows, delimiter="\t"))


def test_uniprot_binding_residues_are_active_site() -> None:
    for row in _features():
        if row["feature"].startswith(("binding", "active_site")):
            for pos in range(int(row["start"]), int(row["end"]) + 1):
                assert domains.is_active_site(pos), (row, pos)


def test_presequence_matches_transit_peptide() -> None:
    row = next(r for r in _features() if r["feature"] == "transit_peptide")
    names = [r.name for r in domains.annotate(int(row["end"]))]
    assert "mitochondrial presequence" in names
    assert "mitochondrial presequence" not in [r.name for r in domains.annotate(50)]


def test_annotate_innermost_first() -> None:
    names = [r.name for r in domains.annotate(391)]
    assert names[0].startswith("PLP Schiff-base lysine")
    assert names[-1] == "catalytic core"


def test_c_terminal_helix_and_core_limits() -> None:
    # Bailey 2020: core 143-544, helix a15 568-575
    assert domains.in_catalytic_core(143) and domains.in_catalytic_core(544)
    assert not domains.in_catalytic_core(545)
    assert "autoinhibitory helix a15 (568-575)" in [r.name for r in domains.annotate(569)]
