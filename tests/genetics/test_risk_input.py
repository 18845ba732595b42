"""Malformed arguments to ``risk`` and its model (audit A11, B6): one-line PedigreeErrors.

Booleans are not numbers, text is not converted, and no argument is silently ignored. The
messages keep the form the CLI renames (``mu_female ...: must be a number in [0, 0.1]``).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

import hemesim
from hemesim.errors import PedigreeError
from hemesim.genetics.pedigree import Individual as I
from hemesim.genetics.pedigree import Pedigree
from hemesim.genetics.penetrance import Penetrance, penetrance_for
from hemesim.genetics.priors import FounderPrior, allele_frequency_prior
from hemesim.genetics.risk import build_model, risk
from hemesim.genetics.xlinked import XLinkedModel

EXAMPLES = Path(hemesim.__file__).parent / "genetics" / "examples"
FAMILY = Pedigree(
    [I("dad", "male", affected=False), I("mom", "female"),
     I("boy", "male", "dad", "mom", affected=True), I("girl", "female", "dad", "mom")]
)  # fmt: skip

BOUNDS = {
    "mu_female": "must be a number in [0, 0.1]",
    "mu_male": "must be a number in [0, 0.1]",
    "fitness_male": "must be a number in [0, 1.0)",
    "allele_frequency": "must be a number in [0, 1.0]",
    "penetrance_female": "must be a probability in [0, 1]",
    "penetrance_male": "must be a probability in [0, 1]",
    "phenocopy": "must be a probability in [0, 1]",
}
#: how the message names each argument (the priors module says "allele frequency")
LABEL = {name: name for name in BOUNDS} | {"allele_frequency": "allele frequency"}


def _message(**kwargs: Any) -> str:
    with pytest.raises(PedigreeError) as info:
        risk(FAMILY, **kwargs)
    assert "\n" not in str(info.value)
    return str(info.value)


@pytest.mark.parametrize("name", sorted(BOUNDS))
@pytest.mark.parametrize("value", [True, False, "0.01", "1e-6", None, [0.01], "abc"])
def test_non_numbers_are_refused_naming_the_argument(name: str, value: Any) -> None:
    if value is None and name in ("allele_frequency", "penetrance_female", "penetrance_male",
                                  "phenocopy"):  # fmt: skip
        return  # None means "not given" for these (documented)
    assert _message(**{name: value}) == f"{LABEL[name]} {value!r}: {BOUNDS[name]}"


def test_true_is_not_read_as_one() -> None:
    """The audit's wrong answers: penetrance_female=True ran with 1.0, allele_frequency=True
    with q = 1 (then failed as 'observations impossible')."""
    assert _message(penetrance_female=True) == (
        "penetrance_female True: must be a probability in [0, 1]"
    )
    assert _message(allele_frequency=True) == "allele frequency True: must be a number in [0, 1.0]"


@pytest.mark.parametrize("value", ["abc", 7.0, None, -0.5, True])
def test_fitness_male_is_checked_even_with_an_allele_frequency(value: Any) -> None:
    assert _message(allele_frequency=0.01, fitness_male=value) == (
        f"fitness_male {value!r}: must be a number in [0, 1.0)"
    )
    prior = allele_frequency_prior(0.01)
    assert _message(founder_prior=prior, fitness_male=value).startswith(f"fitness_male {value!r}")


def test_allele_frequency_is_checked_even_with_a_founder_prior() -> None:
    prior = allele_frequency_prior(0.01)
    assert _message(founder_prior=prior, allele_frequency="x") == (
        "allele frequency 'x': must be a number in [0, 1.0]"
    )


def test_mutation_rates_with_an_allele_frequency_keep_the_model_message() -> None:
    """The CLI test expects this wording for --allele-frequency with a bad --mu-female."""
    assert _message(allele_frequency=0.01, mu_female=-1.0) == (
        "mu_female -1.0: must be a mutation rate in [0, 0.1]"
    )
    assert _message(allele_frequency=0.01, mu_male="x") == (
        "mu_male 'x': must be a mutation rate in [0, 0.1]"
    )


@pytest.mark.parametrize("disease", [None, 5, ["xlsa"], "dmd", ""])
def test_disease_must_be_a_preset_name(disease: Any) -> None:
    assert _message(disease=disease) == f"disease {disease!r}: expected one of xlp, xlsa"


def test_disease_is_case_insensitive_and_numpy_numbers_are_numbers() -> None:
    import numpy as np

    a = risk(FAMILY, disease="XLP", penetrance_female=np.float64(0.3), mu_female=np.float32(1e-6))
    b = risk(FAMILY, disease="xlp", penetrance_female=0.3, mu_female=float(np.float32(1e-6)))
    assert a["girl"].p_carrier == b["girl"].p_carrier


@pytest.mark.parametrize("value", ["x", {"male": [0.5, 0.5]}, 0.5, (0.5, 0.5)])
def test_founder_prior_must_be_a_founder_prior(value: Any) -> None:
    assert _message(founder_prior=value).startswith(
        f"founder_prior {value!r}: expected a FounderPrior (hemesim.genetics.priors"
    )


def test_arguments_are_checked_before_the_file_is_read(tmp_path: Path) -> None:
    missing = tmp_path / "missing.ped"
    with pytest.raises(PedigreeError, match=r"^engine 'magic': expected 'peeling' or"):
        risk(missing, engine="magic")
    with pytest.raises(PedigreeError, match=r"^penetrance_female '0.5': must be a probability"):
        risk(missing, penetrance_female="0.5")


@pytest.mark.parametrize("value", [None, 5, b"family.ped", 1.5])
def test_pedigree_must_be_a_pedigree_or_a_path(value: Any) -> None:
    with pytest.raises(PedigreeError) as info:
        risk(value)
    assert str(info.value) == (
        f"pedigree {value!r}: expected a Pedigree or the path (str or os.PathLike) of a .ped or "
        "pedigreejs .json file"
    )


def test_a_list_of_individuals_gets_a_hint() -> None:
    with pytest.raises(
        PedigreeError, match=r"wrap a list of Individual as Pedigree\(\[\.\.\.\]\)$"
    ):
        risk([I("a", "male")])
    path = EXAMPLES / "isolated_case.ped"  # paths still work, as str and as os.PathLike
    assert risk(str(path))["son"].p_affected == risk(path)["son"].p_affected == 1.0


# ------------------------------------------------------------- the model's own classes
@pytest.mark.parametrize(
    ("kwargs", "fragment"),
    [
        ({"male": "x", "female": (1, 0, 0)}, "founder prior male 'x': expected 2 probabilities"),
        ({"male": (1, 0), "female": (1, 0)}, "founder prior female (1, 0): expected 3"),
        ({"male": (True, False), "female": (1, 0, 0)}, "founder prior male (True, False)"),
        ({"male": ("0.5", "0.5"), "female": (1, 0, 0)}, "founder prior male ('0.5', '0.5')"),
        ({"male": (0.5, 0.6), "female": (1, 0, 0)}, "sum to 1"),
        ({"male": (float("nan"), 1), "female": (1, 0, 0)}, "non-negative"),
    ],
)
def test_founder_prior_fields_are_checked(kwargs: dict[str, Any], fragment: str) -> None:
    with pytest.raises(PedigreeError) as info:
        FounderPrior(**kwargs)
    assert fragment in str(info.value)


def test_founder_prior_and_penetrance_store_floats() -> None:
    prior = FounderPrior(male=[1, 0], female=[1, 0, 0])  # type: ignore[arg-type]
    assert prior.male == (1.0, 0.0) and prior.female == (1.0, 0.0, 0.0)
    assert prior.to_dict()["male"] == [1.0, 0.0]
    pen = Penetrance(male=[0, 1], female=[0, 0.5, 1])  # type: ignore[arg-type]
    assert pen.female == (0.0, 0.5, 1.0)
    assert penetrance_for("xlsa", phenocopy=None) == penetrance_for("xlsa")  # None: the preset


@pytest.mark.parametrize(
    ("kwargs", "fragment"),
    [
        ({"male": (0, True), "female": (0, 0.5, 1)}, "penetrance male (0, True): expected 2"),
        ({"male": (0, 1), "female": "abc"}, "penetrance female 'abc': expected 3"),
        ({"male": (0, 1.5), "female": (0, 0.5, 1)}, "every value a number in [0, 1]"),
    ],
)
def test_penetrance_fields_are_checked(kwargs: dict[str, Any], fragment: str) -> None:
    with pytest.raises(PedigreeError) as info:
        Penetrance(**kwargs)
    assert fragment in str(info.value)


def test_xlinked_model_checks_its_parts() -> None:
    pen = penetrance_for("xlsa")
    prior = allele_frequency_prior(0.01)
    with pytest.raises(PedigreeError, match=r"^founder_prior 'x': expected a FounderPrior"):
        XLinkedModel(founder_prior="x", penetrance=pen)  # type: ignore[arg-type]
    with pytest.raises(PedigreeError, match=r"^penetrance None: expected a Penetrance"):
        XLinkedModel(founder_prior=prior, penetrance=None)  # type: ignore[arg-type]
    with pytest.raises(PedigreeError, match=r"^mu_male '1e-6': must be a mutation rate"):
        XLinkedModel(founder_prior=prior, penetrance=pen, mu_male="1e-6")  # type: ignore[arg-type]
    assert build_model(mu_female=0, mu_male=0).mu_female == 0.0
