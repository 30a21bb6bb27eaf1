r"""Dual reduction of a mechanism: Theorem 1, Proposition 1 and Corollary 1 of 002.

From optimal obedience multipliers :math:`\alpha_i^*(a_i'|a_i)` of :math:`G(M)` build, per
agent, the Markov chain on :math:`A_i` with transition :math:`\alpha_i^*(a_i'|a_i)/C_i`
(the diagonal fills each row up to :math:`C_i`).  Level :math:`x_i = 0` of the reduced
mechanism is the secure action 0, and level :math:`x_i + 1` is level :math:`x_i` followed
by one step of the chain:

.. math:: g_i(\cdot|0) = \delta_0, \qquad g_i(a_i|x_i+1) = \sum_{a_i'} g_i(a_i'|x_i)\,\alpha_i^*(a_i|a_i')/C_i,
          \qquad m^*(\omega|x) = \sum_a \prod_i g_i(a_i|x_i)\, m(\omega|a).

The strategic virtual objective of an ordered mechanism is

.. math:: \lambda(x,\theta,C) = W(x,\theta) + \sum_i C_i\,[U_i(x_i+1,x_{-i},\theta) - U_i(x,\theta)],

and a two-line computation gives :math:`\lambda^*(x,\theta,C) = \sum_a g(a|x)\,\lambda_{\alpha^*}(a,\theta)
\ge v^*(\theta)`, hence Theorem 1: :math:`\underline G(X^*, m^*, C) \ge G(M)`.  The identity
holds with one constant :math:`C_i` per agent, which lets each chain mix at its own speed.

The *k-truncation* relabels every level above k as k (so the deviation term vanishes
at the top); its bound :math:`\underline G_k = \sum_\theta \mu(\theta) \min_{x \le k}\hat\lambda(x,\theta)`
satisfies :math:`\underline G_k \le G(\hat M_k)` (it is a Lagrangian bound for that finite
mechanism) and :math:`\varepsilon_k = G(M) - \underline G_k \to 0` (Proposition 1).

Corollary 1: with coarse multipliers :math:`\alpha_i(a_i')` and :math:`C_i = \sum_{a_i'}\alpha_i(a_i')`
every row of the chain is :math:`\alpha_i/C_i`, so it mixes in one step and the reduction
has two actions; its bound is at least the coarse guarantee.
"""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from irmd.errors import ParameterError
from irmd.status import Status, combine

from ..lp import HiGHS
from .guarantee import GuaranteeResult, PayoffTables, guarantee, solve_guarantee
from .model import FiniteEnvironment, FiniteMechanism
from .output import DEFAULT_DPS, array_text, number_text

#: Tolerance of the numeric theorem checks (float multipliers from HiGHS).
CHECK_TOLERANCE = 1e-6


#: Rules for the constants C: one per agent, one common, or 002's C = 1 + max row sum (common).
C_RULES = ("agent", "common", "paper")


def chain_constants(row_max, rule: str = "agent", margin: float = 0.01) -> np.ndarray:
    r"""Constants :math:`C_i` from each agent's largest off-diagonal row sum.

    ``"agent"``: :math:`C_i = (1 + \text{margin})\max` (or 1 if agent i's multipliers vanish);
    ``"common"``: the largest of those for every agent; ``"paper"``: :math:`1 + \max_i\max`
    for every agent, as written in 002.  Any :math:`C_i` at least the row sums is valid;
    a positive margin keeps a positive diagonal (aperiodic chains), and a small one mixes
    fast.
    """
    row_max = np.asarray(row_max, dtype=float)
    if rule not in C_RULES:
        raise ParameterError(f"--c-rule: expected one of {list(C_RULES)}, got {rule!r}")
    if rule == "paper":
        return np.full(len(row_max), 1.0 + row_max.max(initial=0.0))
    if margin <= 0:
        raise ParameterError(f"--margin: must be > 0, got {margin}")
    C = np.where(row_max > 0, (1.0 + margin) * row_max, 1.0)
    return np.full(len(C), C.max(initial=1.0)) if rule == "common" else C


def transition_matrices(alpha, *, coarse: bool = False, rule: str = "agent", margin: float = 0.25):
    r"""Row-stochastic chains :math:`P_i` (:math:`\alpha_i/C_i`, diagonal completed) and the constants C.

    Non-coarse: see :func:`chain_constants`.  Coarse with ``rule="agent"``:
    :math:`C_i = \sum_{a_i'}\alpha_i(a_i')` exactly, so every row of the chain is
    :math:`\alpha_i/C_i` and it forgets its start after one step (Corollary 1).
    """
    alpha = [np.asarray(a, dtype=float) for a in alpha]
    if coarse:
        totals = np.array([a.sum() for a in alpha])
        if rule == "agent":
            C = totals.copy()
        else:
            C = chain_constants(totals, rule, margin)
        matrices = []
        for a, c in zip(alpha, C):
            count = len(a)
            if c <= 0:
                matrices.append(np.eye(count))
                continue
            P = np.broadcast_to(a / c, (count, count)).copy()
            P[np.diag_indices(count)] += 1.0 - a.sum() / c
            matrices.append(P)
        return matrices, C
    off = [a - np.diag(np.diag(a)) for a in alpha]
    rows = [o.sum(axis=1) for o in off]
    C = chain_constants([r.max(initial=0.0) for r in rows], rule, margin)
    matrices = []
    for o, r, c in zip(off, rows, C):
        P = o / c
        P[np.diag_indices(len(r))] = 1.0 - r / c
        matrices.append(P)
    return matrices, C


def level_mixtures(transition: np.ndarray, levels: int, start: int = 0) -> np.ndarray:
    """``g[x, a]``: distribution of the chain after ``x`` steps from ``start``, for x < levels."""
    transition = np.asarray(transition, dtype=float)
    g = np.zeros((levels, transition.shape[0]))
    g[0, start] = 1.0
    for x in range(1, levels):
        g[x] = g[x - 1] @ transition
    return g


def reduced_tables(U: np.ndarray, W: np.ndarray, mixtures) -> tuple[np.ndarray, np.ndarray]:
    """Payoff tables of the mechanism whose level x_i plays the mixture ``mixtures[i][x_i]``."""
    for i, g in enumerate(mixtures):
        U = np.moveaxis(np.tensordot(U, g, axes=([i + 1], [1])), -1, i + 1)
        W = np.moveaxis(np.tensordot(W, g, axes=([i], [1])), -1, i)
    return U, W


def reduced_lotteries(m: np.ndarray, mixtures) -> np.ndarray:
    """Outcome lotteries ``m*(w|x)`` on levels from ``m(w|a)`` (float)."""
    for i, g in enumerate(mixtures):
        m = np.moveaxis(np.tensordot(m, g, axes=([i], [1])), -1, i)
    return m


def strategic_virtual_objective(U_levels: np.ndarray, W_levels: np.ndarray, C) -> np.ndarray:
    r""":math:`\lambda(x,\theta,C)` on a box of levels, the top level deviating to itself.

    ``U_levels`` (N, L_0, ..., T), ``W_levels`` (L_0, ..., T), ``C`` one constant per agent.
    """
    svo = np.array(W_levels, dtype=float, copy=True)
    for i, c in enumerate(np.broadcast_to(np.asarray(C, dtype=float), (U_levels.shape[0],))):
        Ui = U_levels[i]
        up = np.concatenate([np.take(Ui, np.arange(1, Ui.shape[i]), axis=i), np.take(Ui, [-1], axis=i)], axis=i)
        svo += c * (up - Ui)
    return svo


def expected_lowest(svo: np.ndarray, mu: np.ndarray) -> float:
    r""":math:`\sum_\theta \mu(\theta)\min_x \lambda(x,\theta)`."""
    return float(np.asarray(mu, dtype=float) @ svo.reshape(-1, svo.shape[-1]).min(axis=0))


@dataclass(frozen=True, eq=False)
class MechanismReduction:
    """Dual reduction of a mechanism truncated at level k, with its checks.

    ``bound`` is :math:`\\underline G(\\hat M_k, C)`; ``epsilon`` = reference - bound where the
    reference is G(M) (or the coarse guarantee); ``theorem`` is the status of the
    pointwise inequality :math:`\\lambda^*(x,\\theta) \\ge v^*(\\theta)` on the box of levels
    :math:`\\{0..k\\}^N` (untruncated), which implies Theorem 1 / Corollary 1 there.
    """

    coarse: bool
    k: int
    C: np.ndarray
    reference: GuaranteeResult
    mixtures: list
    svo: np.ndarray
    bound: float
    epsilon: float
    theorem: Status
    theorem_violation: float
    witness: dict | None
    mixing: np.ndarray
    two_action_gap: float | None
    own_guarantee: GuaranteeResult | None
    lotteries: np.ndarray | None
    tolerance: float
    message: str

    @property
    def status(self) -> Status:
        statuses = [self.theorem]
        if self.own_guarantee is not None:
            statuses.append(self.weak_duality)
        return combine(statuses)

    @property
    def weak_duality(self) -> Status:
        """``bound <= G(truncated mechanism)`` (the bound is a Lagrangian lower bound)."""
        own = self.own_guarantee
        if own is None or own.value is None:
            return Status.INCONCLUSIVE
        return Status.CONFIRMED if self.bound <= float(own.value) + self.tolerance else Status.REFUTED

    def to_dict(self, dps: int = DEFAULT_DPS) -> dict:
        name = "Corollary 1" if self.coarse else "Theorem 1"
        own = self.own_guarantee
        return {
            "kind": "mechanism",
            "coarse": self.coarse,
            "k": self.k,
            "status": str(self.status),
            "message": self.message,
            "C": array_text(self.C, dps),
            "reference": {"program": self.reference.program, "status": str(self.reference.status),
                          "value": number_text(self.reference.value, dps)},
            "bound": number_text(self.bound, dps),
            "epsilon": number_text(self.epsilon, dps),
            "own_guarantee": None if own is None else {"status": str(own.status), "value": number_text(own.value, dps)},
            "checks": {
                name: {"status": str(self.theorem), "claim": "lambda*(x, theta) >= v(theta) on levels {0..k}^N",
                       "max_violation": number_text(self.theorem_violation, dps), "witness": self.witness,
                       "tolerance": number_text(self.tolerance, 3)},
                "weak duality": {"status": str(self.weak_duality) if own is not None else None,
                                 "claim": "bound <= guarantee of the truncated mechanism"},
            },
            "mixing": array_text(self.mixing, dps),
            "two_action_gap": number_text(self.two_action_gap, dps),
            "mixtures": [array_text(g[: self.k + 1], dps) for g in self.mixtures],
            "svo_min": array_text(self.svo.reshape(-1, self.svo.shape[-1]).min(axis=0), dps),
            "reduced_mechanism": {"m": array_text(self.lotteries, dps)},
        }


def reduce_mechanism(env: FiniteEnvironment, mechanism: FiniteMechanism, k: int = 10, *, coarse: bool = False,
                     rule: str = "agent", margin: float = 0.25, reference: GuaranteeResult | None = None,
                     own_guarantee: bool = True, solver: HiGHS | None = None,
                     tolerance: float = CHECK_TOLERANCE) -> MechanismReduction:
    """Dual reduction of ``mechanism`` (Theorem 1 / Proposition 1, or Corollary 1 if ``coarse``).

    Parameters
    ----------
    k : int
        Truncation level (levels 0..k; for ``coarse`` every k >= 1 gives the same mechanism).
    rule, margin
        How the constants C_i are chosen (:func:`chain_constants`): one per agent
        (default), one common, or 002's ``1 + max``.  The default margin 0.25 keeps a
        diagonal of at least 1/5 in every chain: a much smaller one mixes faster on
        most instances but makes nearly periodic chains (alpha swapping two actions)
        converge very slowly.
    reference : GuaranteeResult, optional
        A solved G(M) (or coarse guarantee) to reuse.
    own_guarantee : bool
        Also solve the guarantee LP of the truncated mechanism.
    """
    if isinstance(k, bool) or not isinstance(k, (int, np.integer)) or k < 1:
        raise ParameterError(f"--k: the truncation level must be an integer >= 1, got {k!r}")
    solver = solver or HiGHS()
    if reference is None:
        reference = guarantee(env, mechanism, coarse=coarse, solver=solver)
    elif reference.coarse != coarse:
        raise ParameterError(f"reference is a {reference.program} result, but coarse={coarse} was asked for")
    tables = PayoffTables.of(env, mechanism)
    if reference.alpha is None:
        return _failed(coarse, k, reference, tolerance)
    matrices, C = transition_matrices(reference.alpha, coarse=coarse, rule=rule, margin=margin)
    mixtures = [level_mixtures(P, k + 2) for P in matrices]
    U_all, W_all = reduced_tables(tables.U, tables.W, mixtures)          # levels 0..k+1
    box = tuple(slice(0, k + 1) for _ in mixtures)
    untruncated = strategic_virtual_objective(U_all, W_all, C)[box]      # lambda* on {0..k}^N
    U_k, W_k = U_all[(slice(None),) + box], W_all[box]
    svo = strategic_virtual_objective(U_k, W_k, C)                       # truncated at k
    bound = expected_lowest(svo, tables.mu)
    v = np.asarray(reference.v, dtype=float)
    lowest = untruncated.reshape(-1, untruncated.shape[-1]).min(axis=0)
    violation = float(np.max(v - lowest))
    witness = None
    theorem = Status.CONFIRMED
    if violation > tolerance:
        theorem = Status.REFUTED
        state = int(np.argmax(v - lowest))
        flat = int(np.argmin(untruncated[..., state]))
        witness = {"levels": [int(z) for z in np.unravel_index(flat, untruncated.shape[:-1])], "state": state,
                   "lambda": number_text(untruncated.reshape(-1, untruncated.shape[-1])[flat, state]),
                   "v": number_text(v[state])}
    mixing = np.array([np.abs(g[k + 1] - g[k]).sum() for g in mixtures])
    two_action_gap = None
    if coarse:
        two_action_gap = float(max(np.abs(g[1:] - g[1]).sum(axis=1).max() for g in mixtures))
        if two_action_gap > tolerance and theorem is Status.CONFIRMED:
            theorem = Status.REFUTED
            witness = {"two_action_gap": number_text(two_action_gap)}
    own = None
    if own_guarantee:
        own = solve_guarantee(PayoffTables(U_k, W_k, tables.mu), coarse=False, solver=solver)
    lotteries = reduced_lotteries(mechanism.m.floats, [g[: k + 1] for g in mixtures])
    epsilon = float(reference.value) - bound
    name = "Corollary 1" if coarse else "Theorem 1"
    message = (f"{name} holds on levels 0..{k} within {tolerance:.0e}" if theorem is Status.CONFIRMED
               else f"{name} inequality fails by {violation:.3e}")
    return MechanismReduction(coarse, int(k), C, reference, mixtures, svo, bound, epsilon, theorem, violation, witness,
                              mixing, two_action_gap, own, lotteries, tolerance, message)


def _failed(coarse, k, reference, tolerance) -> MechanismReduction:
    empty = np.zeros((1, 1))
    return MechanismReduction(coarse, int(k), np.zeros(0), reference, [], empty, float("nan"), float("nan"),
                              Status.INCONCLUSIVE, float("nan"), None, np.zeros(0), None, None, None, tolerance,
                              f"no multipliers to reduce with: {reference.message}")
