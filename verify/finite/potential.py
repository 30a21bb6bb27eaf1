r"""The potential :math:`P(I)` of a finite information structure (survey (1), (3)-(4)).

By the revelation principle, :math:`P(I)` maximises over direct mechanisms
:math:`m(\omega|s)` that are truthful and individually rational::

    max_{m >= 0}  sum_{s,t,w} sigma(s,t) w(w,t) m(w|s)
    s.t.  sum_w m(w|s) = 1                                                     [q(s), free]
          sum_{s_-i,t,w} sigma(s,t) u_i(w,t) [m(w|s) - m(w|s_i', s_-i)] >= 0  for s_i' != s_i  [alpha_i(s_i'|s_i) >= 0]
          sum_{s_-i,t,w} sigma(s,t) u_i(w,t) m(w|s) >= 0                                     [beta_i(s_i) >= 0]

Its dual is ``min sum_s q(s)`` subject to ``q(s) >= gamma(s, w)`` where the
informational Lagrangian coefficient is::

    gamma(s, w) = sum_t [ w(w,t) sigma(s,t) + sum_i beta_i(s_i) u_i(w,t) sigma(s,t)
                          + sum_i sum_{s_i'} ( alpha_i(s_i'|s_i) sigma(s,t)
                                               - alpha_i(s_i|s_i') sigma(s_i',s_-i,t) ) u_i(w,t) ].
"""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from ..lp import MAX_EXACT_DIMENSION, HiGHS, LPData, Reduction, RowAssembler
from .chain import ChainResult, solve_chain
from .model import FiniteEnvironment, FiniteInformation


@dataclass(frozen=True, eq=False)
class InformationTables:
    """``sigma`` (S_0, ..., S_{N-1}, T), ``u`` (N, O, T), ``w`` (O, T); float or object (exact) arrays."""

    sigma: np.ndarray
    u: np.ndarray
    w: np.ndarray

    @classmethod
    def of(cls, env: FiniteEnvironment, information: FiniteInformation, exact: bool = False) -> "InformationTables":
        if exact:
            return cls(information.sigma.fractions(), env.u.fractions(), env.w.fractions())
        return cls(information.sigma.floats, env.u.floats, env.w.floats)


def informational_lagrangian(sigma, u, w, alpha, beta) -> np.ndarray:
    r""":math:`\gamma(s,\omega)` for multipliers ``alpha[i][s, s']`` = :math:`\alpha_i(s'|s)`, ``beta[i][s]``."""
    total = np.tensordot(sigma, w, axes=([-1], [1]))  # (S..., O)
    for i, (a, b) in enumerate(zip(alpha, beta)):
        a, b = np.asarray(a), np.asarray(b)
        # E(s, o) = sum_t sigma(s,t) u_i(o,t), signal of agent i moved to the front
        E = np.moveaxis(np.tensordot(sigma, u[i], axes=([-1], [1])), i, 0)
        shape = E.shape
        E = E.reshape(shape[0], -1)
        term = (b + a.sum(axis=1))[:, None] * E - a.T @ E
        total = total + np.moveaxis(term.reshape(shape), 0, i)
    return total


class Potential2LP(Reduction):
    """Information tables -> canonical LP of P(I) (a maximisation stored as ``min -c``)."""

    def apply(self, tables: InformationTables, exact: bool = False):
        sigma, u, w = tables.sigma, tables.u, tables.w
        counts = tuple(sigma.shape[:-1])
        n_outcomes = w.shape[0]
        shape = counts + (n_outcomes,)
        n_vars = int(np.prod(shape))
        index = np.arange(n_vars, dtype=np.int64).reshape(shape)
        rows = RowAssembler(n_vars, exact)
        n_profiles = n_vars // n_outcomes
        ones = np.ones((n_profiles, n_outcomes), dtype=object if exact else float)
        rows.add("simplex", ones, index.reshape(n_profiles, n_outcomes), 1)
        pairs = []
        for i, count in enumerate(counts):
            E = np.moveaxis(np.tensordot(sigma, u[i], axes=([-1], [1])), i, 0).reshape(count, -1)
            columns = np.moveaxis(index, i, 0).reshape(count, -1)
            truthful, report = np.nonzero(~np.eye(count, dtype=bool))
            coefficients = np.concatenate([E[truthful], -E[truthful]], axis=1)
            where = np.concatenate([columns[truthful], columns[report]], axis=1)
            rows.add(f"truthtelling[{i}]", coefficients, where, 0)
            pairs.append((truthful, report))
        for i, count in enumerate(counts):
            E = np.moveaxis(np.tensordot(sigma, u[i], axes=([-1], [1])), i, 0).reshape(count, -1)
            rows.add(f"participation[{i}]", E, np.moveaxis(index, i, 0).reshape(count, -1), 0)
        objective = np.tensordot(sigma, w, axes=([-1], [1]))  # (S..., O)
        lp = rows.finish(-objective.reshape(-1), n_profiles, sense=-1, col_blocks={"m": (0, n_vars)})
        return lp, {"shape": shape, "counts": counts, "pairs": pairs}

    def invert(self, x, y, inverse: dict, lp: LPData) -> dict:
        """Named quantities; duals of ``min -c`` turn into q = -y on the simplex rows."""
        counts = inverse["counts"]
        m = np.asarray(x).reshape(inverse["shape"])
        lo, hi = lp.row_blocks["simplex"]
        q = -np.asarray(y[lo:hi]).reshape(counts)
        alpha, beta = [], []
        for i, count in enumerate(counts):
            lo, hi = lp.row_blocks[f"truthtelling[{i}]"]
            block = np.asarray(y[lo:hi])
            matrix = np.zeros((count, count), dtype=block.dtype)
            truthful, report = inverse["pairs"][i]
            matrix[truthful, report] = block
            alpha.append(matrix)
            lo, hi = lp.row_blocks[f"participation[{i}]"]
            beta.append(np.asarray(y[lo:hi]).copy())
        return {"m": m, "q": q, "alpha": alpha, "beta": beta}


@dataclass(frozen=True, eq=False)
class PotentialResult(ChainResult):
    r"""Value, optimal direct mechanism and multipliers of P(I).

    ``m`` (S..., O) is an optimal truthful, participating direct mechanism; ``q`` (S...)
    the multipliers of ``sum_w m(w|s) = 1`` (``q(s) = max_w gamma(s, w)`` at the optimum);
    ``alpha[i][s, s']`` = :math:`\alpha_i(s'|s)`; ``beta[i][s]`` = :math:`\beta_i(s)`;
    ``gamma`` (S..., O) the informational Lagrangian coefficient.
    """

    m: np.ndarray | None
    q: np.ndarray | None
    alpha: list | None
    beta: list | None
    gamma: np.ndarray | None

    program = "potential"
    MULTIPLIERS = ("q", "alpha", "beta", "gamma")
    PRIMAL = ("m",)


def solve_potential(tables: InformationTables, *, exact_tables=None, solver: HiGHS | None = None,
                    max_exact_dimension: int = MAX_EXACT_DIMENSION) -> PotentialResult:
    """Solve the potential LP of float ``tables`` (optionally certify it exactly)."""
    out = solve_chain(Potential2LP(), tables, exact_tables, solver, max_exact_dimension)
    if out.named is None:
        return PotentialResult(None, None, None, None, None, **out.result_fields())
    named, source = out.named, out.exact_tables or tables
    gamma = informational_lagrangian(source.sigma, source.u, source.w, named["alpha"], named["beta"])
    return PotentialResult(named["m"], named["q"], named["alpha"], named["beta"], gamma, **out.result_fields())


def potential(env: FiniteEnvironment, information: FiniteInformation, *, exact: bool = False,
              solver: HiGHS | None = None, max_exact_dimension: int = MAX_EXACT_DIMENSION) -> PotentialResult:
    """P(I) of a validated finite information structure."""
    tables = InformationTables.of(env, information)
    exact_tables = (lambda: InformationTables.of(env, information, exact=True)) if exact else None
    return solve_potential(tables, exact_tables=exact_tables, solver=solver, max_exact_dimension=max_exact_dimension)
