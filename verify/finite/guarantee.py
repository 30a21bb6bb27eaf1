r"""The guarantee :math:`G(M)` and the coarse guarantee :math:`G^C(M)` of a finite mechanism.

:math:`G(M)` is the lowest expected objective over Bayes correlated equilibria
(002, Section 3; survey (5)-(6)).  With payoff tables
:math:`U_i(a,\theta) = \sum_\omega u_i(\omega,\theta)m(\omega|a)` and
:math:`W(a,\theta) = \sum_\omega w(\omega,\theta)m(\omega|a)`::

    min_{sigma >= 0}  sum_{a,t} sigma(a,t) W(a,t)
    s.t.  sum_a sigma(a,t) = mu(t)                                               [v(t), free]
          sum_{a_-i,t} sigma(a,t) [U_i(a,t) - U_i(a_i', a_-i, t)] >= 0  for a_i' != a_i   [alpha_i(a_i'|a_i) >= 0]

Obedience is written with the *joint* weights sigma(a, t) (no conditioning).
The dual is ``max sum_t mu(t) v(t)`` subject to ``v(t) <= lambda(a, t)`` with the
Lagrangian coefficient (the strategic virtual objective of M under alpha)::

    lambda(a, t) = W(a, t) + sum_i sum_{a_i'} alpha_i(a_i'|a_i) [U_i(a_i', a_-i, t) - U_i(a, t)].

The coarse guarantee keeps one obedience row per (i, a_i'): deviating to a_i' whatever
is recommended, with multiplier alpha_i(a_i') (002, before Corollary 1).

A symmetric mechanism (the standard auctions) is solved over symmetric sigma by default
(:mod:`.symmetry`: same value, about half the LP for two agents, and a certificate that maps back),
with the obedience rows of Gc, and of G beyond :data:`DIRECT_NONZEROS`, written through cumulative
sums (:mod:`.compact`: the same value, O(n^2) instead of O(n^3) non-zeros for two bidders).
"""
from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

from ..lp import MAX_EXACT_DIMENSION, HiGHS, LPData, Reduction, RowAssembler
from .chain import ChainResult, solve_chain
from .compact import CompactSymmetricGuarantee2LP, affine_sides
from .model import FiniteEnvironment, FiniteMechanism
from .symmetry import SymmetricGuarantee2LP, symmetric_tables


@dataclass(frozen=True, eq=False)
class PayoffTables:
    """``U`` (N, A_0, ..., A_{N-1}, T), ``W`` (A_0, ..., T), ``mu`` (T); float or object (exact) arrays."""

    U: np.ndarray
    W: np.ndarray
    mu: np.ndarray

    @property
    def action_counts(self) -> tuple[int, ...]:
        return tuple(self.W.shape[:-1])

    @classmethod
    def of(cls, env: FiniteEnvironment, mechanism: FiniteMechanism, exact: bool = False) -> "PayoffTables":
        if exact:
            U, W = mechanism.utilities(env), mechanism.objective(env)
            return cls(U.fractions(), W.fractions(), env.mu.fractions())
        # floats straight from the float views (BLAS); the exact tables are only for certificates
        m = mechanism.m.floats
        U = np.moveaxis(np.tensordot(m, env.u.floats, axes=([-1], [1])), -2, 0)
        W = np.tensordot(m, env.w.floats, axes=([-1], [0]))
        return cls(np.ascontiguousarray(U), W, env.mu.floats)


def strategic_lagrangian(U: np.ndarray, W: np.ndarray, alpha, coarse: bool = False) -> np.ndarray:
    r""":math:`\lambda(a,\theta)` for multipliers ``alpha`` (float or exact arrays).

    ``alpha[i][a, a']`` is :math:`\alpha_i(a'|a)`; with ``coarse=True``, ``alpha[i][a']``
    is :math:`\alpha_i(a')` for every recommendation.
    """
    total = W.copy()
    for i, a in enumerate(alpha):
        a = np.asarray(a)
        V = np.moveaxis(U[i], i, 0)
        shape = V.shape
        V = V.reshape(shape[0], -1)
        if coarse:
            # every recommendation has the same multipliers: one product, not one per recommendation
            term = (a @ V)[None, :] - a.sum() * V
        else:
            term = a @ V - a.sum(axis=1)[:, None] * V
        total = total + np.moveaxis(term.reshape(shape), 0, i)
    return total


#: Coefficients assembled per chunk of obedience rows (bounded temporary memory).
CHUNK_ENTRIES = 1 << 21


class Guarantee2LP(Reduction):
    """Payoff tables -> canonical LP of G(M) (or of the coarse guarantee)."""

    def __init__(self, coarse: bool = False):
        self.coarse = coarse

    def apply(self, tables: PayoffTables, exact: bool = False):
        U, W, mu = tables.U, tables.W, tables.mu
        counts = tables.action_counts
        n_states = len(mu)
        n_vars = W.size
        index = np.arange(n_vars, dtype=np.int32 if n_vars < 2**31 else np.int64).reshape(W.shape)
        rows = RowAssembler(n_vars, exact)
        one = np.ones((n_states, n_vars // n_states), dtype=object if exact else float)
        rows.add("marginal", one, np.moveaxis(index, -1, 0).reshape(n_states, -1), mu)
        pairs = []
        for i, count in enumerate(counts):
            V = np.moveaxis(U[i], i, 0).reshape(count, -1)
            columns = np.moveaxis(index, i, 0).reshape(count, -1)
            if self.coarse:
                # row a' covers every recommendation a: U_i(a, .) - U_i(a', .)
                coefficients = (V[None, :, :] - V[:, None, :]).reshape(count, -1)
                rows.add(f"obedience[{i}]", coefficients, columns.reshape(1, -1), 0, column_rows=np.zeros(count, int))
                pairs.append(None)
            else:
                # row (a, a') for a' != a: U_i(a, .) - U_i(a', .) on the columns of recommendation a,
                # assembled a few recommendations at a time so that temporaries stay small
                step = max(1, CHUNK_ENTRIES // max(1, count * V.shape[1]))
                for first in range(0, count, step):
                    block = np.arange(first, min(count, first + step))
                    coefficients = (V[block, None, :] - V[None, :, :]).reshape(len(block) * count, -1)
                    recommended = np.repeat(block, count)
                    deviation = np.tile(np.arange(count), len(block))
                    rows.add(f"obedience[{i}]", coefficients, columns, 0, column_rows=recommended,
                             keep_rows=recommended != deviation)
                recommended, deviation = np.divmod(np.arange(count * count), count)
                off_diagonal = recommended != deviation
                pairs.append((recommended[off_diagonal], deviation[off_diagonal]))
        lp = rows.finish(W.reshape(-1), n_states, sense=1, col_blocks={"sigma": (0, n_vars)})
        return lp, {"shape": W.shape, "counts": counts, "pairs": pairs, "coarse": self.coarse}

    def invert(self, x, y, inverse: dict, lp: LPData) -> dict:
        """Named quantities from a canonical primal-dual pair (float or exact)."""
        n_states = inverse["shape"][-1]
        sigma = np.asarray(x).reshape(inverse["shape"])
        v = np.asarray(y[:n_states])
        alpha = []
        for i, count in enumerate(inverse["counts"]):
            lo, hi = lp.row_blocks[f"obedience[{i}]"]
            block = np.asarray(y[lo:hi])
            if inverse["coarse"]:
                alpha.append(block.copy())
            else:
                matrix = np.zeros((count, count), dtype=block.dtype)
                recommended, deviation = inverse["pairs"][i]
                matrix[recommended, deviation] = block
                alpha.append(matrix)
        return {"sigma": sigma, "v": v, "alpha": alpha}


@dataclass(frozen=True, eq=False)
class GuaranteeResult(ChainResult):
    r"""Value, primal BCE and multipliers of G(M) or :math:`G^C(M)`.

    Besides the fields of :class:`~.chain.ChainResult` (status, value, solution, exact, ...):

    Attributes
    ----------
    sigma : array (A_0, ..., A_{N-1}, T)
        A minimising BCE (coarse BCE).
    v : array (T,)
        Multipliers of the marginal constraints; ``v(t) = min_a lambda(a, t)`` at the optimum.
    alpha : list of arrays
        ``alpha[i][a, a']`` = :math:`\alpha_i(a'|a)` (coarse: ``alpha[i][a']`` = :math:`\alpha_i(a')`).
    lam : array (A_0, ..., T)
        Lagrangian coefficient :math:`\lambda(a,\theta)` under ``alpha``.
    """

    program: str
    sigma: np.ndarray | None
    v: np.ndarray | None
    alpha: list | None
    lam: np.ndarray | None

    MULTIPLIERS = ("v", "alpha")
    PRIMAL = ("sigma",)

    @property
    def coarse(self) -> bool:
        return self.program == "coarse_guarantee"


def solve_guarantee(tables: PayoffTables, *, coarse: bool = False, exact_tables=None, solver: HiGHS | None = None,
                    max_exact_dimension: int = MAX_EXACT_DIMENSION, symmetric: bool = False,
                    compact=None) -> GuaranteeResult:
    """Solve the guarantee LP of float payoff ``tables``.

    ``exact_tables`` (a callable returning exact :class:`PayoffTables`, or the tables
    themselves) asks for an exact certificate from the optimal basis.  ``symmetric=True``
    solves the LP over symmetric σ (:mod:`.symmetry`); the caller vouches that the
    mechanism is symmetric (:func:`~.symmetry.symmetric_tables` checks it exactly).
    ``compact`` (with ``symmetric``) writes it with cumulative sums (:mod:`.compact`): True for Gc,
    for G the structure :func:`~.compact.affine_sides` found on the exact tables; None or False: not.
    """
    if symmetric and compact:
        reduction = CompactSymmetricGuarantee2LP(coarse, None if coarse else compact)
    else:
        reduction = SymmetricGuarantee2LP(coarse) if symmetric else Guarantee2LP(coarse)
    out = solve_chain(reduction, tables, exact_tables, solver, max_exact_dimension)
    program = "coarse_guarantee" if coarse else "guarantee"
    named, lam = out.named or {}, None
    if out.exact_tables is not None:
        lam = strategic_lagrangian(out.exact_tables.U, out.exact_tables.W, named["alpha"], coarse)
    elif out.named is not None and symmetric:
        # the reduced LP's reduced costs are per orbit; lambda is the full Lagrangian of the mapped-back alpha
        lam = strategic_lagrangian(tables.U, tables.W, named["alpha"], coarse)
    elif out.named is not None:
        lam = out.solution.col_dual.reshape(tables.W.shape) + named["v"]
    return GuaranteeResult(program, named.get("sigma"), named.get("v"), named.get("alpha"), lam,
                           **out.result_fields())


#: G's direct symmetric LP is used up to this many obedience non-zeros (first-price: n <= 214), the compact
#: one beyond (measured at n = 200: direct 35 s, 1.7 GB; compact 40 s, 0.7 GB; the direct LP grows as n^3).
DIRECT_NONZEROS = 20_000_000

#: HiGHS's method for G's compact LP beyond DIRECT_NONZEROS, unless the caller names one: its interior
#: point (first-price, n = 300: 233 s; n = 400: 804 s, 2.3 GB), where dual simplex did not finish n = 300
#: in 20 minutes nor n = 400 in 31 CPU minutes (at n = 200, where the direct LP is used instead, the
#: compact LP took 51 s by interior point against 43 s by simplex).  Without crossover it returns no
#: basis, and none is lost: the compact LP's optimal bases are far above the exact limit from n = 40 on.
LARGE_COMPACT_METHOD = "ipm"


def direct_nonzeros(mechanism: FiniteMechanism, states: int) -> int:
    """Non-zeros of agent 0's direct obedience rows of the symmetric G LP: (b, b') pairs times the
    multisets of the others' actions and the states."""
    count, agents = mechanism.action_counts[0], mechanism.n_agents
    return count * (count - 1) * math.comb(count + agents - 2, agents - 1) * states


def compact_structure(env: FiniteEnvironment, mechanism: FiniteMechanism, coarse: bool):
    """What :class:`~.compact.CompactSymmetricGuarantee2LP` needs, decided exactly, or None where it
    does not apply: Gc of any symmetric mechanism (True); G of two agents whose deviation payoffs are
    affine on each side of the diagonal (the structure of :func:`~.compact.affine_sides`)."""
    if coarse:
        return True
    if mechanism.n_agents != 2:
        return None
    return affine_sides(mechanism.utilities(env).numerators[0])


def guarantee(env: FiniteEnvironment, mechanism: FiniteMechanism, *, coarse: bool = False, exact: bool = False,
              solver: HiGHS | None = None, max_exact_dimension: int = MAX_EXACT_DIMENSION,
              symmetric: bool | None = None, compact: bool | None = None) -> GuaranteeResult:
    """G(M) (or the coarse guarantee) of a validated finite mechanism.

    ``symmetric``: False solves the full LP; None restricts it to symmetric σ when the mechanism
    is symmetric (decided exactly; same value, about half the variables and rows, see
    :mod:`.symmetry`); True insists and raises ValueError for an asymmetric mechanism.

    ``compact`` (symmetric LPs only): True writes the obedience rows with cumulative sums
    (:mod:`.compact`: same value, O(n^2) instead of O(n^3) non-zeros for a two-bidder auction) and
    raises ValueError where that form does not apply; False keeps the direct rows; None (default)
    uses it for Gc, and for G only once the direct rows would exceed :data:`DIRECT_NONZEROS`
    non-zeros (below that the direct LP solves as fast, and its optimal basis is far smaller, so
    that ``exact`` reaches further: first-price n = 40, 69 basic columns against 3010).  That large
    compact G goes to HiGHS's interior point (:data:`LARGE_COMPACT_METHOD`) unless ``solver`` names
    a method.

    Examples
    --------
    >>> from irmd.verify.finite import first_price_auction, guarantee
    >>> env, mechanism = first_price_auction(10)
    >>> str(guarantee(env, mechanism, exact=True).value)  # doctest: +SKIP
    """
    if symmetric is not False:
        found = symmetric_tables(env, mechanism)
        if symmetric and not found:
            raise ValueError("symmetric=True, but the mechanism's payoffs are not symmetric in the agents")
        symmetric = found
    structure = None
    large = not coarse and direct_nonzeros(mechanism, env.n_states) > DIRECT_NONZEROS
    if compact is not False and symmetric:
        structure = compact_structure(env, mechanism, coarse)
        if compact is None and not coarse and not large:
            structure = None
    if structure is not None and large:
        solver = (solver or HiGHS()).for_program(LARGE_COMPACT_METHOD)
    if compact and structure is None:
        raise ValueError("compact=True, but the compact LP applies to symmetric mechanisms only, and for G to two "
                         "agents whose deviation payoffs are affine on each side of the diagonal")
    tables = PayoffTables.of(env, mechanism)
    exact_tables = (lambda: PayoffTables.of(env, mechanism, exact=True)) if exact else None
    return solve_guarantee(tables, coarse=coarse, exact_tables=exact_tables, solver=solver,
                           max_exact_dimension=max_exact_dimension, symmetric=symmetric, compact=structure)
