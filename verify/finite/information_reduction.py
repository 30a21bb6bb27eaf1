r"""Dual reduction of an information structure: Theorem 2 and Proposition 2 of 002.

From optimal multipliers :math:`\alpha_i^*(s_i'|s_i)` (truthtelling) and :math:`\beta_i^*(s_i)`
(participation) of :math:`P(I)`, each agent's signal runs a Markov chain on
:math:`S_i \cup \{\varnothing\}`: from :math:`s_i` it is absorbed with probability
:math:`\beta_i^*(s_i)/C_i` and moves to :math:`s_i'` with probability :math:`\alpha_i^*(s_i'|s_i)/C_i`
(the diagonal fills the row).  The reduced signal :math:`x_i \in \{0,1,\ldots\}\cup\{\infty\}` is
the number of steps before absorption, with kernel :math:`\rho_i(x_i|s_i) = (Q_i^{x_i} b_i)(s_i)`,
:math:`Q_i = \alpha_i^*/C_i`, :math:`b_i = \beta_i^*/C_i`; and
:math:`\sigma^*(x,\theta) = \sum_s \sigma(s,\theta)\prod_i\rho_i(x_i|s_i)`.

The informational virtual objective (:math:`\infty + 1 = \infty`) is

.. math:: \psi(x,\omega,C) = \sum_\theta \Big[w(\omega,\theta)\sigma^*(x,\theta)
          - \sum_i C_i u_i(\omega,\theta)\big(\sigma^*(x_i+1,x_{-i},\theta) - \sigma^*(x,\theta)\big)\Big],

and :math:`\psi(x,\omega) = \sum_s \rho(x|s)\,\gamma(s,\omega)` with :math:`\gamma` the Lagrangian
coefficient of P(I), whence Theorem 2: :math:`\overline P = \sum_x\max_\omega\psi(x,\omega) \le \sum_s q(s) = P(I)`.

**Truncation at K.**  The infinite sum is computed exactly on the *pooled* structure
whose last level is :math:`\{x_i \ge K\}\cup\{\infty\}` (kernel :math:`Q_i^K\mathbf 1`) and whose
"next level" is :math:`\{x_i\ge K+1\}\cup\{\infty\}` from the same chain (:math:`Q_i^{K+1}\mathbf 1`),
so that :math:`\psi` of a pooled cell is the sum of :math:`\psi` over the cell.  Then

.. math:: T_K = \sum_{\text{cells}}\max_\omega\psi \;\le\; \overline P \;\le\; T_K + \tau_K,
          \qquad \tau_K = \sum_\theta F_K(\theta)\Big[\operatorname{osc}_\omega w(\cdot,\theta)
          + 2\sum_i C_i\operatorname{osc}_\omega u_i(\cdot,\theta)\Big],

where :math:`F_K(\theta) = \sum_j\sum_{s_j}\sigma(s_j,\theta)\Pr(K \le x_j < \infty\,|\,s_j)` bounds the
mass of profiles with a finite coordinate at least K.  (Inside a cell, compare every
profile with the outcome that is best at the cell's all-infinite corner.)  The upper
end certifies Theorem 2; :math:`T_K > P(I)` would refute it.  Partial sums over a box
without the pool are *not* monotone in the box and prove nothing.
"""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from irmd.errors import ParameterError
from irmd.status import Status, combine

from ..lp import HiGHS
from .mechanism_reduction import chain_constants
from .model import FiniteEnvironment, FiniteInformation
from .output import DEFAULT_DPS, array_text, number_text
from .potential import InformationTables, PotentialResult, potential

CHECK_TOLERANCE = 1e-6


def signal_chains(alpha, beta, *, rule: str = "agent", margin: float = 0.01):
    r"""Sub-stochastic chains :math:`Q_i`, absorption vectors :math:`b_i` and constants :math:`C_i`.

    The row sums are :math:`\beta_i(s_i) + \sum_{s_i'\ne s_i}\alpha_i(s_i'|s_i)`; the constants follow
    :func:`~irmd.verify.finite.mechanism_reduction.chain_constants` (002 writes ``1 + max``,
    ``rule="paper"``).  Rows satisfy ``Q_i 1 + b_i = 1``.  Only the time to absorption
    matters here (not convergence to an invariant measure), so the default margin is small.
    """
    alpha = [np.asarray(a, dtype=float) for a in alpha]
    beta = [np.asarray(b, dtype=float) for b in beta]
    off = [a - np.diag(np.diag(a)) for a in alpha]
    leave = [b + o.sum(axis=1) for o, b in zip(off, beta)]
    C = chain_constants([r.max(initial=0.0) for r in leave], rule, margin)
    chains, exits = [], []
    for o, b, r, c in zip(off, beta, leave, C):
        Q = o / c
        Q[np.diag_indices(len(r))] = 1.0 - r / c
        chains.append(Q)
        exits.append(b / c)
    return chains, exits, C


def pooled_kernel(Q: np.ndarray, b: np.ndarray, K: int, shift: int = 0) -> np.ndarray:
    r"""Kernel ``[s, level]`` on levels ``0..K-1`` and the pool :math:`\{\ge K\}\cup\{\infty\}`.

    ``shift=0`` gives :math:`\rho_i`; ``shift=+1`` the distribution of the next level
    (:math:`\rho_i(x+1|s)` on singletons, :math:`Q^{K+1}\mathbf 1` on the pool); ``shift=-1``
    the previous level (used only by negative controls).
    """
    count = len(b)
    singles = np.zeros((count, K + 2))
    power = np.eye(count)
    for x in range(K + 2):
        singles[:, x] = power @ b                 # rho(x|s) = (Q^x b)(s)
        power = power @ Q
    tails = {}
    power = np.linalg.matrix_power(Q, max(K - 1, 0))
    for x in range(max(K - 1, 0), K + 2):
        tails[x] = power.sum(axis=1)               # Pr(x_i >= x or infinite) = (Q^x 1)(s)
        power = power @ Q
    kernel = np.zeros((count, K + 1))
    for level in range(K):
        source = level + shift
        kernel[:, level] = singles[:, source] if source >= 0 else 0.0
    kernel[:, K] = tails[K + shift]
    return kernel


def absorption(Q: np.ndarray, b: np.ndarray) -> np.ndarray:
    """Probability of ever reaching the absorbing exit, per signal."""
    count = len(b)
    reach = b > 0
    step = Q > 0
    while True:
        grown = reach | (step[:, reach].any(axis=1) if reach.any() else np.zeros(count, bool))
        if (grown == reach).all():
            break
        reach = grown
    out = np.zeros(count)
    if reach.any():
        idx = np.flatnonzero(reach)
        out[idx] = np.linalg.solve(np.eye(len(idx)) - Q[np.ix_(idx, idx)], b[idx])
    return np.clip(out, 0.0, 1.0)


def pooled_distribution(sigma: np.ndarray, kernels) -> np.ndarray:
    """``sigma_hat(x, t) = sum_s sigma(s, t) prod_i kernels[i][s_i, x_i]``."""
    out = np.asarray(sigma, dtype=float)
    for i, kernel in enumerate(kernels):
        out = np.moveaxis(np.tensordot(out, kernel, axes=([i], [0])), -1, i)
    return out


def informational_virtual_objective(sigma_levels: np.ndarray, shifted, u: np.ndarray, w: np.ndarray, C) -> np.ndarray:
    r""":math:`\psi(x,\omega)`; ``shifted[i]`` is :math:`\sigma^*` with agent i's level moved one step up."""
    psi = np.tensordot(sigma_levels, w, axes=([-1], [1]))
    for i, c in enumerate(np.broadcast_to(np.asarray(C, dtype=float), (len(shifted),))):
        psi -= c * np.tensordot(shifted[i] - sigma_levels, u[i], axes=([-1], [1]))
    return psi


def expected_highest(psi: np.ndarray) -> float:
    r""":math:`\sum_x \max_\omega\psi(x,\omega)` over the cells of ``psi``."""
    return float(psi.reshape(-1, psi.shape[-1]).max(axis=1).sum())


@dataclass(frozen=True, eq=False)
class InformationReduction:
    """Dual reduction of an information structure pooled at K, with its checks (see module doc)."""

    K: int
    C: np.ndarray
    reference: PotentialResult
    sigma_levels: np.ndarray
    psi: np.ndarray
    pooled_value: float
    tail_bound: float
    infinite_mass: list
    theorem: Status
    pointwise_violation: float
    tolerance: float
    message: str

    @property
    def upper(self) -> float:
        return self.pooled_value + self.tail_bound

    @property
    def status(self) -> Status:
        return combine([self.theorem])

    def to_dict(self, dps: int = DEFAULT_DPS) -> dict:
        levels = [str(x) for x in range(self.K)] + [f">={self.K}|inf"]
        return {
            "kind": "information",
            "K": self.K,
            "status": str(self.status),
            "message": self.message,
            "C": array_text(self.C, dps),
            "reference": {"program": "potential", "status": str(self.reference.status),
                          "value": number_text(self.reference.value, dps)},
            "pooled_value": number_text(self.pooled_value, dps),
            "tail_bound": number_text(self.tail_bound, dps),
            "upper": number_text(self.upper, dps),
            "checks": {
                "Theorem 2": {"status": str(self.theorem),
                              "claim": "sum_x max_w psi(x, w) <= pooled_value + tail_bound <= P(I)",
                              "slack": number_text(float(self.reference.value) - self.upper, dps)
                              if self.reference.value is not None else None,
                              "pointwise_violation": number_text(self.pointwise_violation, dps),
                              "tolerance": number_text(self.tolerance, 3)},
            },
            "infinite_mass": [array_text(m, dps) for m in self.infinite_mass],
            "reduced_information": {"levels": levels, "sigma": array_text(self.sigma_levels, dps)},
        }


def reduce_information(env: FiniteEnvironment, information: FiniteInformation, K: int = 20, *,
                       rule: str = "agent", margin: float = 0.01, reference: PotentialResult | None = None,
                       solver: HiGHS | None = None, tolerance: float = CHECK_TOLERANCE) -> InformationReduction:
    """Dual reduction of ``information`` pooled at level ``K`` (Theorem 2 / Proposition 2)."""
    if isinstance(K, bool) or not isinstance(K, (int, np.integer)) or K < 1:
        raise ParameterError(f"--k: the truncation level must be an integer >= 1, got {K!r}")
    K = int(K)
    if reference is None:
        reference = potential(env, information, solver=solver or HiGHS())
    if reference.alpha is None:
        return InformationReduction(K, np.zeros(0), reference, np.zeros((1, 1)), np.zeros((1, 1)), float("nan"),
                                    float("nan"), [], Status.INCONCLUSIVE, float("nan"), tolerance,
                                    f"no multipliers to reduce with: {reference.message}")
    tables = InformationTables.of(env, information)
    chains, exits, C = signal_chains(reference.alpha, reference.beta, rule=rule, margin=margin)
    kernels = [pooled_kernel(Q, b, K) for Q, b in zip(chains, exits)]
    ups = [pooled_kernel(Q, b, K, shift=+1) for Q, b in zip(chains, exits)]
    sigma_levels = pooled_distribution(tables.sigma, kernels)
    shifted = [pooled_distribution(tables.sigma, kernels[:i] + [ups[i]] + kernels[i + 1:]) for i in range(len(kernels))]
    psi = informational_virtual_objective(sigma_levels, shifted, tables.u, tables.w, C)
    pooled_value = expected_highest(psi)
    # tail: mass of profiles with a finite coordinate >= K
    infinite = [1.0 - absorption(Q, b) for Q, b in zip(chains, exits)]
    finite_tail = [np.clip(kern[:, K] - inf, 0.0, None) for kern, inf in zip(kernels, infinite)]
    n_agents = len(kernels)
    mass = np.zeros(tables.sigma.shape[-1])
    for j in range(n_agents):
        marginal = tables.sigma.sum(axis=tuple(a for a in range(n_agents) if a != j))  # (S_j, T)
        mass += finite_tail[j] @ marginal
    oscillation = np.ptp(tables.w, axis=0) + 2 * sum(c * np.ptp(tables.u[i], axis=0) for i, c in enumerate(C))
    tail_bound = float(mass @ oscillation)
    # proof step, cell by cell: max_w psi(x, w) <= sum_s rho(x|s) q(s)
    q_levels = np.asarray(reference.q, dtype=float)
    for i, kernel in enumerate(kernels):
        q_levels = np.moveaxis(np.tensordot(q_levels, kernel, axes=([i], [0])), -1, i)
    pointwise = float(np.max(psi.max(axis=-1) - q_levels))
    value = float(reference.value)
    if pointwise > tolerance or pooled_value > value + tolerance:
        theorem = Status.REFUTED
        message = (f"Theorem 2 fails: pooled value {pooled_value:.10g} vs P(I) = {value:.10g}, "
                   f"cellwise violation {pointwise:.3e}")
    elif pooled_value + tail_bound <= value + tolerance:
        theorem = Status.CONFIRMED
        message = (f"Theorem 2 holds: {pooled_value:.10g} <= sum_x max_w psi <= {pooled_value + tail_bound:.10g} "
                   f"<= P(I) = {value:.10g} (tolerance {tolerance:.0e})")
    else:
        theorem = Status.INCONCLUSIVE
        message = f"tail bound {tail_bound:.3e} at K = {K} too loose to decide; increase K"
    return InformationReduction(K, C, reference, sigma_levels, psi, pooled_value, tail_bound, infinite, theorem,
                                pointwise, tolerance, message)
