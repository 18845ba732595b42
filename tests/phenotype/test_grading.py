"""WHO 2011 anaemia grades and photosensitivity risk (the disease call: test_diagnosis.py).

Thresholds: WHO, Haemoglobin concentrations for the diagnosis of anaemia and assessment of
severity (VMNIS, WHO/NMH/NHD/MNM/11.1, 2011): men >= 13.0 none, 11.0-12.9 mild, 8.0-10.9
moderate, < 8.0 severe; non-pregnant women >= 12.0 none, 11.0-11.9 mild, same lower bands.
EP ranges: Gou et al., Clin Chem 2015 (reference < 80 ug/dL; protoporphyria 300-5000 ug/dL).
"""

from __future__ import annotations

import pytest

from hemesim.errors import PhenotypeError
from hemesim.phenotype.grading import grade_anemia, photosensitivity_risk


@pytest.mark.parametrize(
    ("hb", "sex", "grade"),
    [
        (13.0, "male", "none"),
        (12.9, "male", "mild"),
        (11.0, "male", "mild"),
        (10.9, "male", "moderate"),
        (8.0, "male", "moderate"),
        (7.9, "male", "severe"),
        (12.0, "female", "none"),
        (11.9, "female", "mild"),
        (11.0, "female", "mild"),
        (10.9, "female", "moderate"),
        (7.99, "female", "severe"),
    ],
)
def test_who_2011_bands(hb: float, sex: str, grade: str) -> None:
    g = grade_anemia(hb, sex)
    assert g.grade == grade
    assert g.anemic == (grade != "none")
    assert "WHO" in g.to_dict()["source"]


@pytest.mark.parametrize("bad", ["x", "", None, 1])
def test_bad_sex(bad: object) -> None:
    with pytest.raises(PhenotypeError) as exc:
        grade_anemia(12.0, bad)  # type: ignore[arg-type]
    assert "\n" not in str(exc.value) and "sex" in str(exc.value)


@pytest.mark.parametrize(("ep", "risk"), [(50, "none"), (80, "low"), (299, "low"), (300, "high")])
def test_photosensitivity(ep: float, risk: str) -> None:
    assert photosensitivity_risk(ep)["risk"] == risk
