"""Slow validation: Haldane's curves across affected-male fitness, with a comparison plot.

For affected-male fitness f in {0, 0.25, 0.5, 0.75} (equal rates mu = 1e-4, women unaffected,
N = 10^6, 16 replicates x 1500 generations), the simulated affected-male frequency and
new-mutation fraction are drawn on Haldane's leading-order curves 3 mu / (1 - f) and
(1 - f) / 3 (Haldane 1935; Hum Hered 1973;23:19). The simulation is so precise (relative SE
about 0.2 %) that it resolves the O(mu) truncation of those formulas (up to 0.2 % here), so the
t tests compare it with the exact fixed point, and the exact fixed point is checked to lie
within a relative O(x) of Haldane's formulas. Own Bonferroni
family: 8 t tests, family-wise alpha 1e-3. The plot (simulated points with 2 SE bars on the
analytic curves) is written to ``$HEMESIM_VALIDATION_DIR`` if set, else to pytest's tmp_path.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

import numpy as np
import pytest
from scipy import stats

sys.path.insert(0, str(Path(__file__).resolve().parent))  # pytest 9 uses importlib mode
from population_testing import mean_and_se, ratio_and_se  # noqa: E402

from hemesim.genetics.population import run_wright_fisher  # noqa: E402
from hemesim.genetics.population_analytic import deterministic_equilibrium  # noqa: E402
from hemesim.genetics.population_model import PopulationModel  # noqa: E402

MU = 1e-4
FITNESSES = (0.0, 0.25, 0.5, 0.75)
REPLICATES, GENERATIONS = 16, 1500
CRIT = float(stats.t.isf(1e-3 / 8 / 2, REPLICATES - 1))


@pytest.mark.slow
def test_haldane_curves_across_male_fitness(tmp_path) -> None:
    rows = []
    for i, f in enumerate(FITNESSES):
        model = PopulationModel(size=1_000_000, mu_female=MU, mu_male=MU, fitness_male=f)
        tr = run_wright_fisher(model, GENERATIONS, seed=100 + i, replicates=REPLICATES)
        w = slice(GENERATIONS // 2 + 1, GENERATIONS + 1)
        male = mean_and_se(tr.allele_frequency_male[:, w].mean(axis=1))
        new = ratio_and_se(
            tr.males_affected_new_mutation[:, w].sum(axis=1), tr.males_affected[:, w].sum(axis=1)
        )
        haldane_x, haldane_new = 3 * MU / (1 - f), (1 - f) / 3
        exact = deterministic_equilibrium(model)
        assert exact is not None
        # Haldane's formulas are the exact fixed point up to a relative error O(x), x ~ 1e-3
        assert abs(exact.affected_male_frequency / haldane_x - 1) < 5 * haldane_x
        assert abs(exact.new_mutation_fraction / haldane_new - 1) < 5 * haldane_x
        rows.append((f, male, new, exact.affected_male_frequency, exact.new_mutation_fraction))
    _plot(rows, Path(os.environ.get("HEMESIM_VALIDATION_DIR", tmp_path)))
    for f, male, new, exact_x, exact_new in rows:
        assert abs(male[0] - exact_x) / male[1] < CRIT, (f, male, exact_x)
        assert abs(new[0] - exact_new) / new[1] < CRIT, (f, new, exact_new)


def _plot(rows: list, folder: Path) -> None:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    f_grid = np.linspace(0, 0.8, 100)
    fig, (a, b) = plt.subplots(1, 2, figsize=(9, 3.8), constrained_layout=True)
    a.plot(f_grid, 3 * MU / (1 - f_grid), "k-", label="Haldane 3 mu / (1 - f)")
    b.plot(f_grid, (1 - f_grid) / 3, "k-", label="Haldane (1 - f) / 3")
    for f, male, new, _, _ in rows:
        a.errorbar(f, male[0], yerr=2 * male[1], fmt="o", color="tab:blue")
        b.errorbar(f, new[0], yerr=2 * new[1], fmt="o", color="tab:blue")
    a.set(xlabel="affected-male fitness f", ylabel="affected-male frequency")
    b.set(xlabel="affected-male fitness f", ylabel="fraction of affected males: new mutation")
    for ax in (a, b):
        ax.legend(fontsize=8)
    fig.suptitle(f"hemesim population, N = 10^6, mu = {MU:g}, points: simulated +- 2 SE")
    folder.mkdir(parents=True, exist_ok=True)
    fig.savefig(folder / "population_haldane_validation.png", dpi=110)
    plt.close(fig)
