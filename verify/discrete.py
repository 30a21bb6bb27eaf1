r"""The discrete IVO (23) of a candidate's density on a grid, as an independent check.

The continuum potential bound treats a density jump across a surface as a
singular term (:mod:`irmd.verify.jumps`).  The survey justifies it by going back
to the grid: with :math:`\sigma_k = B_k\bar\sigma/k^2` on
:math:`X(k^2) \cap [l, \infty)^2` and the forward difference
:math:`\tilde\nabla^+_i f = k(f(x + e_i/k) - f(x))`, the discrete IVO

.. math:: \gamma_k(x, c) = \sum_\theta w(c,\theta)\sigma_k(x,\theta)
          - \sum_i\sum_\theta u_i(c,\theta)\tilde\nabla^+_i\sigma_k(x,\theta)

summed over the grid, :math:`\sum_x \max_c \gamma_k(x, c)`, must approach the
continuum bound (interior integral plus surface terms) as k grows.

Only bounded outcome factors enter the maximum here: the free transfers'
discrete coefficients are :math:`O(1/k)` perturbations of the PDE and would make
the discrete maximum infinite.  Explicit candidates with N = 2 (float64, numpy).
"""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import sympy as sp

from irmd.analytic.candidate import Candidate
from irmd.analytic.constants import solve_constants
from irmd.analytic.outcomes import Interval, Simplex
from irmd.errors import CandidateError


@dataclass(frozen=True)
class DiscreteIVO:
    k: int
    total: float          # sum over the grid of max over bounded factors of gamma_k
    points: int           # grid points with positive density


def discrete_ivo_sum(candidate: Candidate, k: int, top=None) -> DiscreteIVO:
    """Sum over X(k^2) of the maximised discrete IVO (bounded factors only)."""
    if candidate.symmetric or candidate.agents != 2:
        raise CandidateError("the discrete IVO sum is implemented for explicit candidates with N = 2")
    env = candidate.environment
    values = solve_constants(candidate.constants, 30)
    numbers = {s: float(v) for s, v in values.items()}
    lower = float(sp.sympify(candidate.information.lower).xreplace(numbers))
    x1, x2 = env.actions
    top = float(top) if top is not None else float(k)
    start = int(np.ceil(lower * k - 1e-9))
    grid = np.arange(start, int(round(top * k)) + 1) / k
    X1, X2 = np.meshgrid(grid, grid, indexing="ij")
    sigma = {}
    for label, expr in candidate.information.density:
        f = sp.lambdify((x1, x2), expr.xreplace(numbers), modules="numpy")
        with np.errstate(divide="ignore", invalid="ignore"):
            s = np.asarray(f(X1, X2), dtype=float) * np.ones_like(X1)
        sigma[label] = np.nan_to_num(s, nan=0.0, posinf=0.0) / k**2
    mass = sum(s.sum() for s in sigma.values())
    sigma = {label: s / mass for label, s in sigma.items()}  # B_k

    def forward(s, axis):
        # k (f(x + e_i/k) - f(x)), and -k f at the top of the grid.
        shifted = np.zeros_like(s)
        if axis == 0:
            shifted[:-1, :] = s[1:, :]
        else:
            shifted[:, :-1] = s[:, 1:]
        return k * (shifted - s)

    U0, U, W0, W = env.coefficient_arrays()
    coords = env.coordinates
    labels = [state.label for state in env.states]
    coefficient = {c: np.zeros_like(X1) for c in coords}
    constant = np.zeros_like(X1)
    for s_index, label in enumerate(labels):
        grads = (forward(sigma[label], 0), forward(sigma[label], 1))
        constant += W0[s_index] * sigma[label] - sum(U0[i, s_index] * grads[i] for i in range(2))
        for j, c in enumerate(coords):
            coefficient[c] += W[s_index, j] * sigma[label]
            for i in range(2):
                coefficient[c] -= U[i, s_index, j] * grads[i]
    best = constant.copy()
    for factor in env.factors:
        if isinstance(factor, Simplex):
            stacked = np.stack([coefficient[c] for c in factor.coordinates] + [np.zeros_like(X1)])
            best += stacked.max(axis=0)
        elif isinstance(factor, Interval) and factor.bounded:
            a = coefficient[factor.coordinate]
            best += np.maximum(a * float(factor.lower), a * float(factor.upper))
    support = sum(sigma.values()) > 0
    return DiscreteIVO(k, float(best.sum()), int(support.sum()))
