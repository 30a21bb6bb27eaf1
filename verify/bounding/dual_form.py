r"""The dual of a mechanism program (:mod:`.mechanism_program`): over information structures.

A mechanism program maximises :math:`\sum_\theta \mu(\theta) L_\theta` subject to
:math:`A_\theta c \ge L_\theta - b_\theta` (the SVO rows, one per representative and state),
extra rows :math:`P c \ge p` (the guarantee's participation) and :math:`c(x)` in the
product of factors at every representative.  With multipliers :math:`y_\theta \ge 0` and
:math:`\beta \ge 0`, stationarity in :math:`L_\theta` is :math:`\sum_x y_\theta(x) =
\mu(\theta)`, and the dual is

.. math::  \min_{y, \beta} \sum_\theta b_\theta \cdot y_\theta - p \cdot \beta
   + \sum_{x, f} \max_{c_f \in F_f(x)} c_f \cdot g_f(x), \qquad
   g = \sum_\theta A_\theta^T y_\theta + P^T \beta,

the maximum over each factor written as an epigraph variable over its extreme points
(a simplex: 0 and each vertex; an interval: its two ends; a half-line: the sign of
:math:`g` fixed and one end; a free coordinate: :math:`g = 0`).  At a representative
where tied agents share a reduced variable of multiplicity m, a simplex's vertex puts
1/m on it.  For the potential's mechanism form this is the σ form of (18) (its
multipliers y are σ); for the guarantee it is the Lagrangian dual with σ and the
participation multipliers.  The multipliers of the epigraph rows are the mechanism.

Variables are scaled so that their values are of order one: :math:`y`, β and the
epigraph variables as densities (a representative's value over its orbit's size times the
cell volume), an interval's epigraph variable also divided by :math:`\max(|l|, |u|)`.
"""
from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
import scipy.sparse as sps

from ..lp import LPData
from .reduced import ReducedEnvironment
from .symmetry import Reduction


@dataclass(frozen=True)
class DualForm:
    """The dual program and how to read a mechanism program's solution back from its solution.

    ``lp``'s variables: y (``svo_rows``, densities), β (``extra_rows``), then the epigraph
    variables.  ``mechanism_rows`` holds, for each epigraph row, the mechanism's value at the
    vertex the row stands for (over the row's scaling), so that the row multipliers w give the
    mechanism back as :math:`c_u = \\sum_{rows} w_{row}\\, vertex_{row}(u)`: stationarity in an
    epigraph variable makes its rows' multipliers the weights of a convex combination of the
    factor's vertices.
    """

    lp: LPData
    svo_rows: int
    extra_rows: int
    density: np.ndarray  # y = density * ỹ per SVO row
    mechanism_rows: sps.csr_matrix  # (reduced variables) x (rows of lp): c = mechanism_rows @ |row multipliers|
    gradient: sps.csr_matrix  # (reduced variables) x (y, β): g, the coefficient of each variable

    def sigma_masses(self, x: np.ndarray) -> np.ndarray:
        """The SVO multipliers (masses per representative, state major) of a solution ``x``."""
        return self.density * np.asarray(x[: self.svo_rows], dtype=float)

    def mechanism(self, row_dual: np.ndarray) -> np.ndarray:
        """The mechanism program's reduced variables from the dual's row multipliers."""
        return self.mechanism_rows @ np.abs(np.asarray(row_dual, dtype=float))

    def coefficients(self, x: np.ndarray) -> np.ndarray:
        """g at a solution ``x``: each reduced variable's coefficient in the Lagrangian, so that
        the value's derivative in a bound the variable sits at is ``|g|``."""
        return self.gradient @ np.asarray(x[: self.gradient.shape[1]], dtype=float)


def dual_form(env: ReducedEnvironment, red: Reduction, primal: LPData, svo_rows: int,
              extra_representatives: np.ndarray | None = None) -> DualForm:
    """The dual of ``primal``, a mechanism program of :func:`.mechanism_program.assemble` whose
    first ``svo_rows`` rows are Λ ≥ L and whose rows after the simplex rows are extra rows, each at
    the representative ``extra_representatives`` names (for the scaling)."""
    S, R, nc = env.states, red.count, red.variables
    A = primal.A.tocsr()
    simplex_blocks = [b for b in env.blocks if b.kind == "simplex" and len(b.columns) > 1]
    first_extra = svo_rows + R * len(simplex_blocks)
    extra = A[first_extra:, :nc]
    n_extra = extra.shape[0]
    # Masses per unit of density at each representative: the orbit's size times the cell volume.
    rho = (red.orbit_sizes * red.grid.cell).astype(float)
    density = np.tile(rho, S)
    extra_density = rho[extra_representatives] if extra_representatives is not None else np.ones(n_extra)
    # g = A_svo^T y + P^T beta, over the scaled (y, beta).
    G = sps.hstack([A[:svo_rows, :nc].T @ sps.diags(density), extra.T @ sps.diags(extra_density)], format="csr")
    n_yb = svo_rows + n_extra

    # Each factor at each representative where it has variables of its own: the reduced variables
    # and the mechanism's value there at each vertex of the factor.  Tied agents' interval
    # coordinates share one variable, whose maximum is counted once (at the leader's factor).
    pieces = []  # (factor, representatives, reduced variables, [vertex values])
    for b in env.blocks:
        cols = list(b.columns)
        table = red.variable_table[:, cols]  # R x |block|
        if b.kind == "simplex":
            for position in range(len(cols)):
                variable = table[:, position]
                first = np.all(table[:, :position] != variable[:, None], axis=1) if position else np.ones(R, bool)
                multiplicity = (table == variable[:, None]).sum(axis=1)
                at = np.flatnonzero(first)
                pieces.append((b, at, variable[at], [1.0 / multiplicity[at]]))
            continue
        at = np.flatnonzero(red.coordinate_of[table[:, 0]] == cols[0])
        pieces.append((b, at, table[at, 0], [np.full(len(at), end) for end in (b.lower, b.upper)]))
    # Epigraph variables: one per (bounded factor, representative where it has variables), in
    # densities and, for an interval, divided by max(|l|, |u|).
    bounded = [b for b in env.blocks if not (b.kind == "interval" and math.isinf(b.lower) and math.isinf(b.upper))]
    reps_of = {id(b): np.unique(np.concatenate([p[1] for p in pieces if p[0] is b])) for b in bounded}
    start, offset = {}, n_yb
    for b in bounded:
        start[id(b)], offset = offset, offset + len(reps_of[id(b)])
    n = offset

    def scale_of(b):
        if b.kind == "simplex":
            return 1.0
        return max(abs(e) for e in (b.lower, b.upper) if not math.isinf(e)) or 1.0

    rows, lower, upper, vertex = [], [], [], []

    def add(matrix, lo, hi, variables=None, values=None):
        rows.append(matrix)
        lower.append(np.broadcast_to(lo, matrix.shape[0]).astype(float))
        upper.append(np.broadcast_to(hi, matrix.shape[0]).astype(float))
        m = matrix.shape[0]
        if variables is None:
            vertex.append(sps.csr_matrix((nc, m)))
        else:
            vertex.append(sps.csr_matrix((values, (variables, np.arange(m))), shape=(nc, m)))

    def g_rows(variables, weights):
        return sps.hstack([sps.diags(weights) @ G[variables], sps.csr_matrix((len(variables), n - n_yb))],
                          format="csr")

    for b, at, variables, ends in pieces:
        if b not in bounded:  # a free coordinate: g = 0 (the PDE of (27) in the potential)
            add(g_rows(variables, 1.0 / rho[at]), 0.0, 0.0)
            continue
        per = 1.0 / (scale_of(b) * rho[at])
        z = sps.csr_matrix((np.ones(len(at)), (np.arange(len(at)), start[id(b)] + np.searchsorted(reps_of[id(b)], at))),
                           shape=(len(at), n))
        for end in ends:
            if np.isinf(end[0]):  # a half-line: g must have the sign that keeps the maximum finite
                add(g_rows(variables, 1.0 / rho[at]), *((-np.inf, 0.0) if end[0] > 0 else (0.0, np.inf)))
            else:  # z >= vertex * g, scaled: z~ - vertex g / (scale rho) >= 0
                add(z - g_rows(variables, end * per), 0.0, np.inf, variables, end * per)
    # Marginals: sum_x y_theta = mu_theta.
    add(sps.hstack([sps.kron(sps.identity(S), rho[None, :]), sps.csr_matrix((S, n - svo_rows))], format="csr"),
        env.prior, env.prior)
    z_lower = np.concatenate([np.full(len(reps_of[id(b)]), 0.0 if b.kind == "simplex" else -np.inf)
                              for b in bounded] or [np.zeros(0)])
    z_cost = np.concatenate([scale_of(b) * rho[reps_of[id(b)]] for b in bounded] or [np.zeros(0)])
    cost = np.concatenate([density * -primal.row_lower[:svo_rows], extra_density * -primal.row_lower[first_extra:],
                           z_cost])
    lp = LPData.from_matrix(cost, sps.vstack(rows, format="csr"), np.concatenate(lower), np.concatenate(upper),
                            np.concatenate([np.zeros(n_yb), z_lower]), np.full(n, np.inf))
    return DualForm(lp, svo_rows, n_extra, density, sps.hstack(vertex, format="csr"), G)
