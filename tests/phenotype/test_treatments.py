"""Treatments as interventions: the pyridoxine dose-response and the treatment names."""

from __future__ import annotations

import pytest

from hemesim.errors import PhenotypeError
from hemesim.phenotype.treatments import (
    PYRIDOXINE_F_MAX,
    TREATMENTS,
    get_treatment,
    pyridoxine_plp_factor,
)


def test_pyridoxine_dose_response_saturates() -> None:
    doses = [0, 10, 25, 50, 100, 200]
    f = [pyridoxine_plp_factor(d) for d in doses]
    assert f[0] == 1.0
    assert all(b > a for a, b in zip(f, f[1:], strict=False))
    assert f[-1] < PYRIDOXINE_F_MAX
    # plateau: 50 -> 100 mg/day adds less than 25 -> 50 (reported plateau above 50 mg/day)
    assert (f[4] - f[3]) < (f[3] - f[2])


def test_treatments_are_interventions() -> None:
    assert get_treatment("none").cell_factors == {}
    assert set(get_treatment("pyridoxine").cell_factors) == {"PLP"}
    assert get_treatment("chelation").iron_therapy.kind == "chelation"
    assert get_treatment("phlebotomy").iron_therapy.kind == "phlebotomy"
    assert set(get_treatment("iron").cell_factors) == {"iron.supply"}
    assert set(TREATMENTS) == {"none", "pyridoxine", "chelation", "phlebotomy", "iron"}


@pytest.mark.parametrize(
    ("variant", "treatment"),
    [("c.1706_1709del", "pyridoxine"), ("c.1706_1709del", "phlebotomy"), ("c.1354C>T", "iron")],
)
def test_treatments_not_offered_for_the_disease_are_refused(variant: str, treatment: str) -> None:
    """XLP is treated with iron, not pyridoxine (which raises ALAS2 activity) nor iron removal;
    XLSA is not given iron (overload). The refusal names the treatment and what is offered."""
    from hemesim.phenotype.predict import predict

    with pytest.raises(PhenotypeError, match=rf"treatment '{treatment}' is not offered .*offered"):
        predict(variant, sex="male", treatment=treatment, n_people=0)


def test_offered_by_disease() -> None:
    from hemesim.phenotype.treatments import offered_for

    assert offered_for("XLSA") == ("pyridoxine", "phlebotomy", "chelation")
    assert offered_for("XLP") == ("iron",)


@pytest.mark.parametrize("bad", ["magic", "", "transfusion"])
def test_unknown_treatment(bad: str) -> None:
    with pytest.raises(PhenotypeError) as exc:
        get_treatment(bad)
    assert "\n" not in str(exc.value) and "treatment" in str(exc.value)


@pytest.mark.parametrize("bad", [-1, 5000, "lots"])
def test_bad_dose(bad: object) -> None:
    with pytest.raises(PhenotypeError):
        pyridoxine_plp_factor(bad)  # type: ignore[arg-type]
