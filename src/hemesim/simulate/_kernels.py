"""Integrator and Newton kernels shared by every generated model (numba template).

This file is a template: :func:`hemesim.simulate.sbml_codegen.compile_model` writes its text,
followed by a model's generated ``_rhs``/``_outputs``/``_init`` and ``N_STATE``/``N_OUT``, into
one module per SBML hash. Numba resolves globals when it compiles, so the generated definitions
replace the stubs below. Imported on its own, this module is inert.

Integrator: RODAS (Hairer & Wanner, *Solving Ordinary Differential Equations II*, 2nd ed.,
Springer 1996, section IV.7; coefficients of rodas.f, method 1), a stiffly accurate, L-stable
Rosenbrock method of order 4 with an embedded order-3 estimate, one LU factorisation per step,
per-set step-size control, steps clipped to land exactly on every output time. The Jacobian is
the analytic one generated from the SBML (symbolic differentiation in sbml_codegen), with a
forward finite difference only for entries that are not finite (``_jac_safe``); the
non-autonomous term is a difference in time.

Steady state: damped Newton on the right-hand side in which the equation of one species per
conservation law is replaced by the law itself (so the Jacobian is regular), with a natural
monotonicity test (Deuflhard) and a time-course fallback.
"""

# ruff: noqa: N803, N806, SIM110
from __future__ import annotations

import math

import numba as nb
import numpy as np

N_STATE = 0
N_PARAM = 0
N_OUT = 0
CORE = np.zeros(0, dtype=np.int64)
"""State indices whose columns of the Jacobian feed back (the dense block of the LU)."""
LEAF = np.zeros(0, dtype=np.int64)
"""State indices no rate depends on except through later leaves (solved by substitution)."""


@nb.njit(cache=True)
def _rhs(t, y, p, dy):  # pragma: no cover - replaced by generated code
    return None


@nb.njit(cache=True)
def _jac(t, y, p, J):  # pragma: no cover - replaced by generated code
    return None


@nb.njit(cache=True)
def _dfdt(t, y, p, ft):  # pragma: no cover - replaced by generated code
    return None


@nb.njit(cache=True)
def _outputs(t, y, p, o):  # pragma: no cover - replaced by generated code
    return None


@nb.njit(cache=True)
def _init(p, skip, y0):  # pragma: no cover - replaced by generated code
    return None


POW_NEGATIVE_ZERO = 1e-12
"""A non-integer power of a number in (-POW_NEGATIVE_ZERO, 0) is taken as 0 (round-off of a
vanishing concentration in an intermediate Rosenbrock stage), not NaN."""


@nb.njit(cache=True, inline="always")
def _pow(a, b):
    if a >= 0.0 or b == math.floor(b):
        return a**b
    if a > -POW_NEGATIVE_ZERO:
        return 0.0
    return math.nan


# RODAS coefficients (rodas.f, ROCOE method 1; Hairer & Wanner 1996, IV.7)
_GAMMA = 0.25
_C2, _C3, _C4 = 0.386, 0.21, 0.63
_D1, _D2, _D3, _D4 = 0.25, -0.1043, 0.1035, -0.03620000000000023
_A21 = 1.544
_A31, _A32 = 0.9466785280815826, 0.2557011698983284
_A41, _A42, _A43 = 3.314825187068521, 2.896124015972201, 0.9986419139977817
_A51, _A52, _A53, _A54 = 1.221224509226641, 6.019134481288629, 12.53708332932087, -0.687886036105895
_C21 = -5.6688
_C31, _C32 = -2.430093356833875, -0.2063599157091915
_C41, _C42, _C43 = -0.1073529058151375, -9.594562251023355, -20.47028614809616
_C51, _C52, _C53, _C54 = 7.496443313967647, -10.24680431464352, -33.99990352819905, 11.7089089320616
_C61, _C62, _C63, _C64, _C65 = (
    8.083246795921522,
    -7.981132988064893,
    -31.52159432874371,
    16.31930543123136,
    -6.058818238834054,
)

STATUS_OK = 0
STATUS_MAX_STEPS = 1
STATUS_STEP_UNDERFLOW = 2
STATUS_SINGULAR = 3
STATUS_NOT_FINITE = 4
STATUS_NO_STEADY_STATE = 5


@nb.njit(cache=True)
def _lu(A, piv):
    """In-place LU with partial pivoting; returns False if singular."""
    n = A.shape[0]
    for k in range(n):
        m = k
        big = abs(A[k, k])
        for i in range(k + 1, n):
            v = abs(A[i, k])
            if v > big:
                big = v
                m = i
        piv[k] = m
        if big == 0.0 or not math.isfinite(big):
            return False
        if m != k:
            for j in range(n):
                tmp = A[k, j]
                A[k, j] = A[m, j]
                A[m, j] = tmp
        inv = 1.0 / A[k, k]
        for i in range(k + 1, n):
            A[i, k] *= inv
            f = A[i, k]
            if f != 0.0:
                for j in range(k + 1, n):
                    A[i, j] -= f * A[k, j]
    return True


@nb.njit(cache=True)
def _lu_solve(A, piv, b):
    """Solve in place with the factors of :func:`_lu`."""
    n = A.shape[0]
    for k in range(n):
        m = piv[k]
        if m != k:
            tmp = b[k]
            b[k] = b[m]
            b[m] = tmp
    for i in range(n):
        s = b[i]
        for j in range(i):
            s -= A[i, j] * b[j]
        b[i] = s
    for i in range(n - 1, -1, -1):
        s = b[i]
        for j in range(i + 1, n):
            s -= A[i, j] * b[j]
        b[i] = s / A[i, i]


@nb.njit(cache=True)
def _block_solve(E, piv, J, fac, b, bc, xs):
    """Solve (fac I - J) x = b in place: the CORE block with the LU factors in ``E``, then the
    LEAF variables by substitution in reverse order (their Jacobian columns are zero outside
    earlier leaves and the diagonal is zero)."""
    n = b.size
    nc = CORE.size
    for a in range(nc):
        bc[a] = b[CORE[a]]
    _lu_solve(E, piv, bc)
    for i in range(n):
        xs[i] = 0.0
    for a in range(nc):
        xs[CORE[a]] = bc[a]
    for q in range(LEAF.size - 1, -1, -1):
        i = LEAF[q]
        s = b[i]
        for j in range(n):
            s += J[i, j] * xs[j]
        xs[i] = s / fac
    for i in range(n):
        b[i] = xs[i]


@nb.njit(cache=True)
def _jacobian_fd(t, y, p, f0, J, ytmp, ftmp, ysc):
    """Forward-difference Jacobian J[i, j] = d f_i / d y_j of the generated right-hand side."""
    n = y.size
    for j in range(n):
        ytmp[j] = y[j]
    for j in range(n):
        yj = y[j]
        h = 1.4901161193847656e-08 * max(abs(yj), ysc[j])
        ytmp[j] = yj + h
        h = ytmp[j] - yj
        _rhs(t, ytmp, p, ftmp)
        for i in range(n):
            J[i, j] = (ftmp[i] - f0[i]) / h
        ytmp[j] = yj


@nb.njit(cache=True)
def _jac_safe(t, y, p, f0, J, ytmp, ftmp, ysc):
    """Analytic Jacobian; where it is not finite (e.g. d/dx x**0.8 at x = 0), a finite
    difference of the (finite) right-hand side instead, as CVODE's own Jacobian would be."""
    _jac(t, y, p, J)
    n = y.size
    for i in range(n):
        for j in range(n):
            if not math.isfinite(J[i, j]):
                _jacobian_fd(t, y, p, f0, J, ytmp, ftmp, ysc)
                return


@nb.njit(cache=True)
def _integrate(t0, y, p, tout, Y, rtol, atol, h_init, max_steps):
    """Integrate from ``t0`` with RODAS, writing the state at each ``tout`` into ``Y``.

    ``y`` is updated in place to the state at ``tout[-1]``. Returns a status code.
    """
    n = y.size
    nt = tout.size
    if n == 0:
        return STATUS_OK
    f0 = np.empty(n)
    ft = np.empty(n)
    fy = np.empty(n)
    ytmp = np.empty(n)
    ynew = np.empty(n)
    k1 = np.empty(n)
    k2 = np.empty(n)
    k3 = np.empty(n)
    k4 = np.empty(n)
    k5 = np.empty(n)
    k6 = np.empty(n)
    J = np.empty((n, n))
    nc = CORE.size
    E = np.empty((nc, nc))
    piv = np.empty(nc, dtype=np.int64)
    bc = np.empty(nc)
    xs = np.empty(n)
    ysc = np.empty(n)
    for i in range(n):
        ysc[i] = atol[i] / rtol
    t = t0
    span = abs(tout[nt - 1] - t0)
    h = h_init if h_init > 0.0 else 1e-6 * max(span, 1e-300)
    steps = 0
    reject_last = False
    _rhs(t, y, p, f0)
    for it in range(nt):
        tt = tout[it]
        while t < tt:
            if steps >= max_steps:
                return STATUS_MAX_STEPS
            h_free = h
            if t + h >= tt - 1e-13 * abs(tt):
                h = tt - t
            if h <= 1e-14 * max(abs(t), 1.0):
                return STATUS_STEP_UNDERFLOW
            _jac_safe(t, y, p, f0, J, ytmp, fy, ysc)
            _dfdt(t, y, p, ft)
            for i in range(n):
                if not math.isfinite(ft[i]):
                    ft[i] = 0.0
            fac = 1.0 / (h * _GAMMA)
            for a in range(nc):
                for b in range(nc):
                    E[a, b] = -J[CORE[a], CORE[b]]
                E[a, a] += fac
            if not _lu(E, piv):
                return STATUS_SINGULAR
            for i in range(n):
                k1[i] = f0[i] + h * _D1 * ft[i]
            _block_solve(E, piv, J, fac, k1, bc, xs)
            for i in range(n):
                ytmp[i] = y[i] + _A21 * k1[i]
            _rhs(t + _C2 * h, ytmp, p, fy)
            for i in range(n):
                k2[i] = fy[i] + (_C21 * k1[i]) / h + h * _D2 * ft[i]
            _block_solve(E, piv, J, fac, k2, bc, xs)
            for i in range(n):
                ytmp[i] = y[i] + _A31 * k1[i] + _A32 * k2[i]
            _rhs(t + _C3 * h, ytmp, p, fy)
            for i in range(n):
                k3[i] = fy[i] + (_C31 * k1[i] + _C32 * k2[i]) / h + h * _D3 * ft[i]
            _block_solve(E, piv, J, fac, k3, bc, xs)
            for i in range(n):
                ytmp[i] = y[i] + _A41 * k1[i] + _A42 * k2[i] + _A43 * k3[i]
            _rhs(t + _C4 * h, ytmp, p, fy)
            for i in range(n):
                k4[i] = fy[i] + (_C41 * k1[i] + _C42 * k2[i] + _C43 * k3[i]) / h + h * _D4 * ft[i]
            _block_solve(E, piv, J, fac, k4, bc, xs)
            for i in range(n):
                ytmp[i] = y[i] + _A51 * k1[i] + _A52 * k2[i] + _A53 * k3[i] + _A54 * k4[i]
            _rhs(t + h, ytmp, p, fy)
            for i in range(n):
                k5[i] = fy[i] + (_C51 * k1[i] + _C52 * k2[i] + _C53 * k3[i] + _C54 * k4[i]) / h
            _block_solve(E, piv, J, fac, k5, bc, xs)
            for i in range(n):
                ynew[i] = ytmp[i] + k5[i]
            _rhs(t + h, ynew, p, fy)
            for i in range(n):
                k6[i] = (
                    fy[i]
                    + (_C61 * k1[i] + _C62 * k2[i] + _C63 * k3[i] + _C64 * k4[i] + _C65 * k5[i]) / h
                )
            _block_solve(E, piv, J, fac, k6, bc, xs)
            err = 0.0
            for i in range(n):
                ynew[i] += k6[i]
                sk = atol[i] + rtol * max(abs(y[i]), abs(ynew[i]))
                err += (k6[i] / sk) ** 2
            err = math.sqrt(err / n)
            steps += 1
            if not math.isfinite(err):
                h *= 0.1
                reject_last = True
                continue
            fac_h = max(1.0 / 6.0, min(5.0, err**0.25 / 0.9))
            h_new = h / fac_h
            if err <= 1.0:
                # first-same-as-last: f at the new point starts the next step; a step into a
                # region where the right-hand side is not finite is rejected
                _rhs(t + h, ynew, p, fy)
                finite = True
                for i in range(n):
                    if not math.isfinite(fy[i]):
                        finite = False
                if not finite:
                    h *= 0.25
                    reject_last = True
                    continue
                t = t + h if t + h < tt else tt
                for i in range(n):
                    y[i] = ynew[i]
                    f0[i] = fy[i]
                if reject_last:
                    h_new = min(h_new, h)
                reject_last = False
                # keep the unclipped step size when the step was shortened to hit tout
                h = max(h_new, h_free) if h < h_free and h_new >= h else h_new
            else:
                reject_last = True
                h = h_new
        for i in range(n):
            Y[it, i] = y[i]
    return STATUS_OK


@nb.njit(cache=True)
def _scaled_norm(dx, y, rtol, atol):
    n = dx.size
    s = 0.0
    for i in range(n):
        s = max(s, abs(dx[i]) / (atol[i] + rtol * abs(y[i])))
    return s


@nb.njit(cache=True)
def _newton(t, y, p, laws, pivots, totals, rtol, atol, max_iter):
    """Damped Newton for f(y) = 0 with conservation laws; ``y`` updated in place."""
    n = y.size
    m = pivots.size
    f = np.empty(n)
    dx = np.empty(n)
    dxt = np.empty(n)
    yt = np.empty(n)
    ytmp = np.empty(n)
    ftmp = np.empty(n)
    J = np.empty((n, n))
    piv = np.empty(n, dtype=np.int64)
    ysc = np.empty(n)
    for i in range(n):
        ysc[i] = atol[i] / rtol
    for _ in range(max_iter):
        _rhs(t, y, p, f)
        _jac_safe(t, y, p, f, J, ytmp, ftmp, ysc)
        for k in range(m):
            r = pivots[k]
            s = -totals[k]
            for j in range(n):
                J[r, j] = laws[k, j]
                s += laws[k, j] * y[j]
            f[r] = s
        for i in range(n):
            dx[i] = -f[i]
        if not _lu(J, piv):
            return False
        _lu_solve(J, piv, dx)
        nrm = _scaled_norm(dx, y, rtol, atol)
        if not math.isfinite(nrm):
            return False
        if nrm <= 1.0:
            for i in range(n):
                y[i] += dx[i]
            return True
        lam = 1.0
        accepted = False
        while lam >= 1e-4:
            for i in range(n):
                yt[i] = y[i] + lam * dx[i]
            _rhs(t, yt, p, ftmp)
            for k in range(m):
                r = pivots[k]
                s = -totals[k]
                for j in range(n):
                    s += laws[k, j] * yt[j]
                ftmp[r] = s
            for i in range(n):
                dxt[i] = -ftmp[i]
            _lu_solve(J, piv, dxt)
            nt = _scaled_norm(dxt, yt, rtol, atol)
            if math.isfinite(nt) and nt < nrm:
                accepted = True
                break
            lam *= 0.5
        if not accepted:
            return False
        for i in range(n):
            y[i] = yt[i]
    return False


@nb.njit(cache=True)
def _plausible(y, atol):
    for i in range(y.size):
        if not math.isfinite(y[i]) or y[i] < -atol[i] * 1e3:
            return False
    return True


@nb.njit(cache=True, parallel=True)
def batch_timecourse(P, skip, tout, rtol, atol, out_idx, OUT, STATUS, h_init, max_steps):
    """Time courses of every row of ``P``; outputs ``out_idx`` at ``tout`` into ``OUT``."""
    nsets = P.shape[0]
    nt = tout.size
    for k in nb.prange(nsets):
        p = P[k].copy()
        y = np.empty(N_STATE)
        _init(p, skip, y)
        Y = np.empty((nt, N_STATE))
        st = _integrate(0.0, y, p, tout, Y, rtol, atol, h_init, max_steps)
        o = np.empty(N_OUT)
        for i in range(nt):
            if st == STATUS_OK:
                _outputs(tout[i], Y[i], p, o)
            else:
                o[:] = np.nan
            for j in range(out_idx.size):
                OUT[k, i, j] = o[out_idx[j]]
        STATUS[k] = st


@nb.njit(cache=True, parallel=True)
def batch_steady_state(
    P, skip, y_guess, laws, pivots, t_ss, rtol, atol, warm_times, out_idx, OUT, YSS, STATUS, p_nom
):
    """Steady states of every row of ``P``: Newton from ``y_guess`` (if given), else from the
    initial state; on failure integrate the set from ``y_guess`` (when it carries the set's
    conserved totals) and then from its initial state to each of ``warm_times`` in turn,
    retrying Newton from each point."""
    nsets = P.shape[0]
    n = N_STATE
    m = pivots.size
    for k in nb.prange(nsets):
        p = P[k].copy()
        y0 = np.empty(n)
        _init(p, skip, y0)
        totals = np.zeros(m)
        for r in range(m):
            s = 0.0
            for j in range(n):
                s += laws[r, j] * y0[j]
            totals[r] = s
        y = np.empty(n)
        ok = False
        if y_guess.size == n:
            for i in range(n):
                y[i] = y_guess[i]
            ok = _newton(t_ss, y, p, laws, pivots, totals, rtol, atol, 50) and _plausible(y, atol)
            if not ok and p_nom.size == P.shape[1]:
                # parameter continuation from the nominal set: p(l) = p_nom^(1-l) p^l
                for i in range(n):
                    y[i] = y_guess[i]
                pl = np.empty(P.shape[1])
                yl = np.empty(n)
                tl = np.zeros(m)
                for step in range(1, 9):
                    lam = step / 8.0
                    for c in range(P.shape[1]):
                        a = p_nom[c]
                        b = P[k, c]
                        if a > 0.0 and b > 0.0:
                            pl[c] = a * (b / a) ** lam
                        else:
                            pl[c] = a + lam * (b - a)
                    _init(pl, skip, yl)
                    for r in range(m):
                        s = 0.0
                        for j in range(n):
                            s += laws[r, j] * yl[j]
                        tl[r] = s
                    ok = _newton(t_ss, y, pl, laws, pivots, tl, rtol, atol, 50)
                    ok = ok and _plausible(y, atol)
                    if not ok:
                        break
        # the guess may start the fallback time course only if it carries this set's
        # conserved totals (otherwise the set's own initial state does)
        start = y0
        if y_guess.size == n:
            same = True
            for r in range(m):
                s = 0.0
                for j in range(n):
                    s += laws[r, j] * y_guess[j]
                if abs(s - totals[r]) > 1e3 * atol[0] + rtol * abs(totals[r]):
                    same = False
            if same:
                start = y_guess
        if not ok and y_guess.size != n:
            for i in range(n):
                y[i] = y0[i]
            ok = _newton(t_ss, y, p, laws, pivots, totals, rtol, atol, 50) and _plausible(y, atol)
        if not ok:
            # pseudo-transient continuation: integrate this set from the start state for
            # growing times and retry Newton from each
            yw = start.copy()
            Yw = np.empty((1, n))
            tw = np.empty(1)
            t_prev = 0.0
            for w in range(warm_times.size):
                tw[0] = warm_times[w]
                st = _integrate(t_prev, yw, p, tw, Yw, rtol, atol, 0.0, 100000)
                if st != STATUS_OK:
                    break
                t_prev = warm_times[w]
                for i in range(n):
                    y[i] = yw[i]
                ok = _newton(t_ss, y, p, laws, pivots, totals, rtol, atol, 50)
                ok = ok and _plausible(y, atol)
                if ok:
                    break
            if not ok and start is not y0:
                yw = y0.copy()
                t_prev = 0.0
                for w in range(warm_times.size):
                    tw[0] = warm_times[w]
                    st = _integrate(t_prev, yw, p, tw, Yw, rtol, atol, 0.0, 100000)
                    if st != STATUS_OK:
                        break
                    t_prev = warm_times[w]
                    for i in range(n):
                        y[i] = yw[i]
                    ok = _newton(t_ss, y, p, laws, pivots, totals, rtol, atol, 50)
                    ok = ok and _plausible(y, atol)
                    if ok:
                        break
        o = np.empty(N_OUT)
        if ok:
            _outputs(t_ss, y, p, o)
            STATUS[k] = STATUS_OK
        else:
            o[:] = np.nan
            y[:] = np.nan
            STATUS[k] = STATUS_NO_STEADY_STATE
        for j in range(out_idx.size):
            OUT[k, j] = o[out_idx[j]]
        for i in range(n):
            YSS[k, i] = y[i]


@nb.njit(cache=True)
def initial_states(P, skip, Y0, PEFF):
    """Initial state and effective parameters (after initial assignments) of each row of P."""
    for k in range(P.shape[0]):
        p = P[k].copy()
        y = np.empty(N_STATE)
        _init(p, skip, y)
        Y0[k, :] = y
        PEFF[k, :] = p


@nb.njit(cache=True, parallel=True)
def batch_rhs(t, Y, P, DY):
    """Right-hand side of each row (used to compare the numba and numpy dialects)."""
    for k in nb.prange(Y.shape[0]):
        _rhs(t, Y[k], P[k], DY[k])


@nb.njit(cache=True)
def jacobians(t, Y, P, JA, JF, ysc):
    """Analytic and finite-difference Jacobians of each row (a test of the generated code)."""
    n = Y.shape[1]
    f0 = np.empty(n)
    ytmp = np.empty(n)
    ftmp = np.empty(n)
    for k in range(Y.shape[0]):
        _jac(t, Y[k], P[k], JA[k])
        _rhs(t, Y[k], P[k], f0)
        _jacobian_fd(t, Y[k], P[k], f0, JF[k], ytmp, ftmp, ysc)
