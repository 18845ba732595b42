"""Body iron: balance in health, loading with an expanded ineffective marrow, removal by therapy.

Numbers tested here are consequences of the documented relations (module docstring of
hemesim.phenotype.iron_overload): normal stores 0.8 g men (Gordeuk et al., Am J Hematol 2008),
1 ug/L ferritin per 8 mg storage iron (Walters et al. 1973), 3.46 mg Fe per g Hb (4 x 55.845 /
64,500).
"""

from __future__ import annotations

import numpy as np
import pytest

from hemesim.errors import PhenotypeError
from hemesim.phenotype.iron_overload import (
    HB_IRON_MG_PER_G,
    IronTherapy,
    erythroid_expansion,
    iron_trajectory,
)


def test_normal_marrow_is_in_balance() -> None:
    t = iron_trajectory(ineffective_fraction=0.1, normal_ineffective_fraction=0.1, years=40)
    assert np.allclose(t.storage_iron_mg, 800.0)
    assert t.ferritin_at(40) == pytest.approx(100.0)
    assert t.years_to_overload() is None


def test_ineffective_marrow_loads_iron_monotonically() -> None:
    ferritins = [
        iron_trajectory(ineffective_fraction=ie, normal_ineffective_fraction=0.1).ferritin_at(20)
        for ie in (0.1, 0.3, 0.5, 0.7)
    ]
    assert all(b > a for a, b in zip(ferritins, ferritins[1:], strict=False))
    t = iron_trajectory(ineffective_fraction=0.6, normal_ineffective_fraction=0.1)
    assert np.all(np.diff(t.storage_iron_mg) >= 0)
    assert t.hepcidin_relative[0] < 1.0


@pytest.mark.parametrize("kind", ["phlebotomy", "chelation"])
def test_therapy_lowers_ferritin(kind: str) -> None:
    base = iron_trajectory(ineffective_fraction=0.6, normal_ineffective_fraction=0.1)
    treated = iron_trajectory(
        ineffective_fraction=0.6, normal_ineffective_fraction=0.1, therapy=IronTherapy(kind)
    )  # type: ignore[arg-type]
    assert treated.ferritin_at(20) < base.ferritin_at(20)


def test_phlebotomy_unit_iron() -> None:
    # 500 mL at Hb 14 g/dL holds 14 * 5 * 3.46 = ~242 mg iron
    assert pytest.approx(242.4, abs=0.5) == 14 * 5 * HB_IRON_MG_PER_G


def test_expansion_definition() -> None:
    assert erythroid_expansion(0.1, 0.1) == 1.0
    assert erythroid_expansion(0.55, 0.1) == pytest.approx(2.0)


@pytest.mark.parametrize(
    "bad", [{"years": 0}, {"years": 500}, {"sex": "x"}, {"ineffective_fraction": 1.2}]
)
def test_bad_inputs(bad: dict[str, object]) -> None:
    kwargs: dict[str, object] = {"ineffective_fraction": 0.2, "normal_ineffective_fraction": 0.1}
    kwargs.update(bad)
    with pytest.raises(PhenotypeError):
        iron_trajectory(**kwargs)  # type: ignore[arg-type]


def test_phlebotomy_maintains_target_without_overshoot() -> None:
    t = iron_trajectory(
        ineffective_fraction=0.6, normal_ineffective_fraction=0.1, therapy=IronTherapy("phlebotomy")
    )
    assert t.ferritin_ug_l.min() >= 50.0 - 1e-9
    assert t.ferritin_at(40) == pytest.approx(50.0, abs=0.5)
