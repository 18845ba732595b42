"""Sparse block-triangular solves of ``mu I - J``: the generated plan and the compiled kernel.

The plan (:func:`hemesim.simulate.sbml_codegen.sparse_plan`) is checked on random patterns by a
plain-Python replay of the kernel's elimination (only the planned entries are touched, so a
missing fill-in entry gives a wrong solution); the compiled kernel of the erythroid model is
checked against numpy.linalg.solve for real and complex shifts, and on its dense fallback.
"""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from hemesim.simulate.sbml_codegen import sparse_plan


def _replay_solve(plan, jac: np.ndarray, mu: complex, b: np.ndarray) -> np.ndarray:
    core, leaf = plan["core"], plan["leaf"]
    nc = len(core)
    e = -jac[np.ix_(core, core)].astype(complex) + mu * np.eye(nc)
    for k in range(nc):
        rows = plan["l_row"][plan["l_ptr"][k] : plan["l_ptr"][k + 1]]
        cols = plan["u_col"][plan["u_ptr"][k] : plan["u_ptr"][k + 1]]
        for i in rows:
            e[i, k] /= e[k, k]
            for j in cols:
                e[i, j] -= e[i, k] * e[k, j]
    x = b.astype(complex)
    bc = x[core].copy()
    for k in range(nc):
        for i in plan["l_row"][plan["l_ptr"][k] : plan["l_ptr"][k + 1]]:
            bc[i] -= e[i, k] * bc[k]
    for k in range(nc - 1, -1, -1):
        s = bc[k]
        for j in plan["u_col"][plan["u_ptr"][k] : plan["u_ptr"][k + 1]]:
            s -= e[k, j] * bc[j]
        bc[k] = s / e[k, k]
    x[core] = bc
    for q in range(len(leaf) - 1, -1, -1):
        i = leaf[q]
        s = x[i]
        for j in plan["leaf_col"][plan["leaf_ptr"][q] : plan["leaf_ptr"][q + 1]]:
            s += jac[i, j] * x[j]
        x[i] = s / mu
    return x


@settings(max_examples=60, deadline=None)
@given(
    n=st.integers(min_value=1, max_value=12),
    density=st.floats(min_value=0.05, max_value=0.6),
    seed=st.integers(min_value=0, max_value=2**31 - 1),
    complex_shift=st.booleans(),
)
def test_plan_solves_random_patterns(
    n: int, density: float, seed: int, complex_shift: bool
) -> None:
    rng = np.random.default_rng(seed)
    pattern = rng.random((n, n)) < density
    jac = np.where(pattern, rng.normal(size=(n, n)), 0.0)
    plan = sparse_plan(pattern)
    assert sorted(plan["core"] + plan["leaf"]) == list(range(n))
    for i in plan["leaf"]:
        assert not pattern[i, i]
    # a shift that dominates makes elimination without row exchanges stable
    mu = (3.0 + np.abs(jac).sum()) * (1.0 + 0.5j if complex_shift else 1.0)
    b = rng.normal(size=n)
    x = _replay_solve(plan, jac, mu, b)
    np.testing.assert_allclose(x, np.linalg.solve(mu * np.eye(n) - jac, b), rtol=1e-10, atol=1e-12)


@pytest.fixture(scope="module")
def erythroid_kernel():
    from hemesim.model import load_definition
    from hemesim.simulate.batched import BatchedEngine

    eng = BatchedEngine(load_definition("erythroid"))
    mod = eng._compiled.module
    y = eng.states_at(None, 24.0)
    mat, _ = eng.parameter_matrix(None)
    n = y.shape[1]
    ja = np.empty((1, n, n))
    mod.jacobians(0.0, np.ascontiguousarray(y), mat, ja, ja.copy(), eng._atol)
    return mod, ja[0]


@pytest.mark.parametrize("mu", [1e4, 3.0, 0.05, 2.0 - 1.5j, 40.0 + 25.0j])
def test_kernel_block_solve_matches_numpy(erythroid_kernel, mu: complex) -> None:
    mod, jac = erythroid_kernel
    n = jac.shape[0]
    nc = mod.CORE.size
    dtype = complex if isinstance(mu, complex) else float
    e = np.empty((nc, nc), dtype=dtype)
    piv = np.empty(nc, dtype=np.int64)
    assert mod._factor(jac, e, piv, mu, mod.PIVOT_TOL)
    b = np.random.default_rng(1).normal(size=n).astype(dtype)
    x = b.copy()
    mod._block_solve(e, piv, jac, mu, x, np.empty(nc, dtype=dtype))
    np.testing.assert_allclose(x, np.linalg.solve(mu * np.eye(n) - jac, b), rtol=1e-9)


def test_kernel_falls_back_to_pivoting(erythroid_kernel) -> None:
    """A shift that zeroes the first planned pivot must take the dense partial-pivoting path."""
    mod, jac = erythroid_kernel
    n = jac.shape[0]
    c0 = int(mod.CORE[0])
    mu = float(jac[c0, c0])
    nc = mod.CORE.size
    e = np.empty((nc, nc))
    piv = np.empty(nc, dtype=np.int64)
    assert mod._factor(jac, e, piv, mu, mod.PIVOT_TOL)
    assert piv[0] >= 0  # dense factors (the sparse ones are marked -1)
    b = np.arange(1.0, n + 1.0)
    x = b.copy()
    mod._block_solve(e, piv, jac, mu, x, np.empty(nc))
    np.testing.assert_allclose(x, np.linalg.solve(mu * np.eye(n) - jac, b), rtol=1e-8)


def test_newton_threshold_keeps_the_sparse_path_for_small_pivots(erythroid_kernel) -> None:
    """A first pivot 1e-4 of its column's largest entry fails the integrators' threshold
    (PIVOT_TOL 1e-3: dense fallback) but passes the steady-state Newton's (PIVOT_TOL_NEWTON
    1e-5): the sparse factors are used and still solve the system (numpy as reference)."""
    mod, jac = erythroid_kernel
    n = jac.shape[0]
    c0 = int(mod.CORE[0])
    col = [abs(jac[int(mod.CORE[int(i)]), c0]) for i in mod.L_ROW[mod.L_PTR[0] : mod.L_PTR[1]]]
    if not col or max(col) == 0.0:
        pytest.skip("the first pivot has no entries below it in this model's plan")
    mu = float(jac[c0, c0]) + 1e-4 * max(col)  # pivot mu - J[c0, c0] = 1e-4 x column max
    nc = mod.CORE.size
    b = np.arange(1.0, n + 1.0)
    ref = np.linalg.solve(mu * np.eye(n) - jac, b)
    for tol, sparse in ((mod.PIVOT_TOL, False), (mod.PIVOT_TOL_NEWTON, True)):
        e = np.empty((nc, nc))
        piv = np.empty(nc, dtype=np.int64)
        assert mod._factor(jac, e, piv, mu, tol)
        assert (piv[0] == -1) == sparse
        x = b.copy()
        mod._block_solve(e, piv, jac, mu, x, np.empty(nc))
        np.testing.assert_allclose(x, ref, rtol=1e-6)


@pytest.mark.parametrize("seed", range(6))
@pytest.mark.parametrize("mu", [1e4, 3.0, 0.0, 2.0 - 1.5j])
def test_generated_straight_line_lu_equals_the_loop_form(erythroid_kernel, seed, mu) -> None:
    """The generated, unrolled ``_sp_factor``/``_sp_solve`` give the same bits as the loop form
    over the plan's index lists (``_sparse_factor``/``_sparse_solve``), including where a pivot
    fails the threshold test (both report it), on the erythroid Jacobian with its entries
    scaled by random log-normal factors."""
    mod, jac = erythroid_kernel
    rng = np.random.default_rng(seed)
    j = jac * np.exp(rng.normal(0.0, 1.0, jac.shape)) if seed else jac.copy()
    nc = mod.CORE.size
    dtype = complex if isinstance(mu, complex) else float
    tol2 = mod.PIVOT_TOL**2
    e_loop = np.zeros((nc, nc), dtype=dtype)
    e_gen = np.zeros((nc, nc), dtype=dtype)
    ok_loop = mod._sparse_factor(j, e_loop, mu, tol2)
    ok_gen = mod._sp_factor(j, e_gen, mu, tol2)
    assert ok_loop == ok_gen
    np.testing.assert_array_equal(e_gen, e_loop)
    if ok_loop:
        b = rng.normal(size=nc).astype(dtype)
        x_loop, x_gen = b.copy(), b.copy()
        mod._sparse_solve(e_loop, x_loop)
        mod._sp_solve(e_gen, x_gen)
        np.testing.assert_array_equal(x_gen, x_loop)
