r"""The guarantee LP of a symmetric mechanism, restricted to symmetric (coarse) BCE.

A mechanism is *symmetric* when all agents have the same actions and relabelling the agents
relabels the payoffs: for every permutation :math:`\pi` of the agents (acting on profiles by
:math:`(\pi a)_{\pi(i)} = a_i`), :math:`W(\pi a,\theta) = W(a,\theta)` and
:math:`U_{\pi(i)}(\pi a,\theta) = U_i(a,\theta)`.  Transpositions of agent 0 with agent i generate
every permutation, so these are what :func:`symmetric_tables` checks (exactly, on the integer
numerators of the exact tables).

Why the restriction loses nothing (G and Gc alike).  The guarantee LP is a linear program whose
feasible set (BCE, or coarse CE) and objective are invariant under :math:`\sigma \mapsto \sigma\circ\pi`
when the mechanism is symmetric; it is convex, so the average of a minimiser over all permutations
is feasible, symmetric and has the same objective.  Hence the LP over symmetric
:math:`\sigma(a,\theta) = x(o(a),\theta)` (one variable per orbit :math:`o` of profiles and state)
has the same optimum, and in it the obedience rows of agent i are those of agent 0 (relabel by the
transposition (0 i)), so only agent 0's rows are kept:

* variables: one per (orbit, state), about :math:`|A|^N/N!` orbits instead of :math:`|A|^N` profiles;
* marginal rows: :math:`\sum_o |o|\,x(o,\theta) = \mu(\theta)`;
* objective: :math:`\sum_{o,\theta} x(o,\theta) \sum_{a\in o} W(a,\theta)`;
* agent 0's obedience rows, with coefficient of :math:`x(o,\theta)` the sum over the members of
  :math:`o` of what the full row has on them.

The certificate carries over.  Let :math:`(v, \alpha)` be dual feasible for the reduced LP:
for every orbit, :math:`\sum_{a\in o}[W(a) + T_0(a;\alpha) - v] \ge 0` with
:math:`T_i(a;\alpha) = \sum_{a'} \alpha(a'|a_i)[U_i(a', a_{-i}) - U_i(a)]` (coarse: :math:`\alpha(a')`).
Give every agent :math:`\alpha_i = \alpha / N`.  Since :math:`T_i(a;\beta) = T_0(\pi_{0i}a;\beta)` and
orbits are closed under :math:`\pi_{0i}`, :math:`\sum_{a\in o}\lambda(a) = \sum_{a\in o}[W(a) + T_0(a;\alpha)]
\ge |o|\,v`; and :math:`\lambda` is constant on orbits (the multipliers are the same for all agents),
so :math:`\lambda(a,\theta) \ge v(\theta)` at every profile: :math:`(v, \alpha/N, \ldots, \alpha/N)` is
dual feasible for the full LP with the same objective :math:`\mu\cdot v`, and the symmetric primal
is feasible for it.  So an exact certificate of the reduced LP, mapped back by :meth:`invert`, is an
exact optimal primal-dual pair of the full LP (tests/finite/test_symmetric_guarantee.py checks both
the values and :math:`\lambda \ge v` exactly against the unreduced LP).
"""
from __future__ import annotations

import itertools
import math
from fractions import Fraction

import numpy as np

from ..lp import LPData, Reduction, RowAssembler

#: Coefficients assembled per chunk of obedience rows (bounded temporary memory), as in ``Guarantee2LP``.
CHUNK_ENTRIES = 1 << 21


def _swap(array: np.ndarray, i: int, j: int) -> np.ndarray:
    """The table with the action axes of agents i and j exchanged."""
    return np.swapaxes(array, i, j)


def is_symmetric(U: np.ndarray, W: np.ndarray) -> bool:
    """Are the payoff tables invariant under every transposition (0 i) of the agents?

    ``U`` (N, A_0, ..., T) and ``W`` (A_0, ..., T) in exact form (integers over a common
    denominator, or Fractions); float tables would compare rounding errors.
    """
    counts = W.shape[:-1]
    if len(set(counts)) > 1:
        return False
    for i in range(1, len(counts)):
        # profile pi a swaps the actions of 0 and i; agent 0 at pi a is agent i at a (and vice versa)
        if not np.array_equal(_swap(W, 0, i), W):
            return False
        if not np.array_equal(_swap(U[0], 0, i), U[i]):
            return False
        for k in range(1, len(counts)):
            if k != i and not np.array_equal(_swap(U[k], 0, i), U[k]):
                return False
    return True


def symmetric_tables(env, mechanism) -> bool:
    """Is the mechanism symmetric in ``env``?  Decided exactly on the exact payoff tables."""
    if mechanism.n_agents < 2:
        return False
    U, W = mechanism.utilities(env), mechanism.objective(env)
    return is_symmetric(U.numerators, W.numerators)


def _orbits(count: int, agents: int):
    """Sorted representatives of the profile orbits (n_orbits, N), their sizes and a code -> orbit lookup."""
    reps = np.array(list(itertools.combinations_with_replacement(range(count), agents)), dtype=np.int64)
    reps = reps.reshape(-1, agents)
    codes = reps @ (count ** np.arange(agents - 1, -1, -1, dtype=np.int64))   # increasing: lexicographic order
    sizes = np.array([_orbit_size(r) for r in reps], dtype=np.int64)
    return reps, sizes, codes


def _orbit_size(sorted_profile) -> int:
    """Number of distinct permutations of a sorted profile (a multinomial coefficient)."""
    _, multiplicities = np.unique(sorted_profile, return_counts=True)
    return math.factorial(len(sorted_profile)) // math.prod(math.factorial(int(k)) for k in multiplicities)


def _orbit_of(profiles: np.ndarray, count: int, codes: np.ndarray) -> np.ndarray:
    """Orbit index of each profile (rows of ``profiles``)."""
    key = np.sort(profiles, axis=1) @ (count ** np.arange(profiles.shape[1] - 1, -1, -1, dtype=np.int64))
    return np.searchsorted(codes, key)


def _orbit_sums(table: np.ndarray, reps: np.ndarray, sizes: np.ndarray) -> np.ndarray:
    """``sum_{a in o} table[a, ...]`` per orbit: the mean over all N! orderings of the representative times |o|.

    ``table`` is indexed by the N actions first; works for float and object (exact) arrays.
    """
    agents = reps.shape[1]
    total = None
    for order in itertools.permutations(range(agents)):
        term = table[tuple(reps[:, k] for k in order)]
        total = term if total is None else total + term
    stabiliser = math.factorial(agents) // sizes     # orderings of the representative that give the same profile
    shape = (-1,) + (1,) * (total.ndim - 1)
    # exact tables hold Fractions, and Fraction / int stays exact
    return total / stabiliser.astype(total.dtype).reshape(shape)


class SymmetricGuarantee2LP(Reduction):
    """Payoff tables of a *symmetric* mechanism -> canonical LP of G(M) (or Gc) over symmetric σ.

    The caller must have checked the symmetry exactly (:func:`symmetric_tables`); :meth:`invert`
    returns σ, v and α in the layout of :class:`~.guarantee.Guarantee2LP` (α_i = α_0 / N).
    """

    def __init__(self, coarse: bool = False):
        self.coarse = coarse

    def apply(self, tables, exact: bool = False):
        U, W, mu = tables.U, tables.W, tables.mu
        counts = tables.action_counts
        agents, count, n_states = len(counts), counts[0], len(mu)
        reps, sizes, codes = _orbits(count, agents)
        n_orbits = len(reps)
        n_vars = n_orbits * n_states
        index = np.arange(n_vars, dtype=np.int64).reshape(n_orbits, n_states)
        rows = RowAssembler(n_vars, exact)
        size_values = sizes.astype(object) if exact else sizes.astype(float)
        rows.add("marginal", np.broadcast_to(size_values[None, :], (n_states, n_orbits)), index.T, mu)
        U0 = U[0]
        if self.coarse:
            # row a': sum over the orbit's members a of U_0(a) - U_0(a', a_-0)
            own = _orbit_sums(U0, reps, sizes)                                   # (orbits, T)
            for deviation in range(count):
                deviated = np.take(U0, [deviation], axis=0)                      # U_0(a', a_-0, .), broadcast in a_0
                deviated = np.broadcast_to(deviated, U0.shape)
                coefficients = own - _orbit_sums(deviated, reps, sizes)
                rows.add("obedience[0]", coefficients.reshape(1, -1), index.reshape(1, -1), 0)
        else:
            # rows (b, b'), b' != b: columns are the orbits of (b, M) for the multisets M of the others' actions;
            # U_0(b, .) is symmetric in a_-0, so the members of o with a_0 = b contribute |M| (U_0(b, M) - U_0(b', M))
            others, multiplicity, _ = _orbits(count, agents - 1) if agents > 1 else (None, None, None)
            values = U0[(slice(None),) + tuple(others[:, k] for k in range(agents - 1))]   # (A, multisets, T)
            weight = multiplicity.astype(object) if exact else multiplicity.astype(float)
            values = values * weight[None, :, None]
            width = values.shape[1] * n_states
            columns = np.empty((count, len(others), n_states), dtype=np.int64)
            for b in range(count):
                profiles = np.concatenate([np.full((len(others), 1), b), others], axis=1)
                columns[b] = index[_orbit_of(profiles, count, codes)]
            columns = columns.reshape(count, -1)
            flat = values.reshape(count, -1)
            step = max(1, CHUNK_ENTRIES // max(1, count * width))
            for first in range(0, count, step):
                block = np.arange(first, min(count, first + step))
                coefficients = (flat[block, None, :] - flat[None, :, :]).reshape(len(block) * count, -1)
                recommended = np.repeat(block, count)
                deviation = np.tile(np.arange(count), len(block))
                rows.add("obedience[0]", coefficients, columns, 0, column_rows=recommended,
                         keep_rows=recommended != deviation)
        cost = _orbit_sums(W, reps, sizes).reshape(-1)
        lp = rows.finish(cost, n_states, sense=1, col_blocks={"x": (0, n_vars)})
        profiles = np.indices(counts).reshape(agents, -1).T
        inverse = {"shape": W.shape, "count": count, "agents": agents, "coarse": self.coarse,
                   "orbit_of": _orbit_of(profiles, count, codes)}
        return lp, inverse

    def invert(self, x, y, inverse: dict, lp: LPData) -> dict:
        """σ(a, θ) = x(o(a), θ); v; α_i = α_0 / N for every agent (see the module's proof)."""
        shape, count, agents = inverse["shape"], inverse["count"], inverse["agents"]
        n_states = shape[-1]
        x = np.asarray(x).reshape(-1, n_states)
        sigma = x[inverse["orbit_of"]].reshape(shape)
        v = np.asarray(y[:n_states])
        lo, hi = lp.row_blocks["obedience[0]"]
        block = np.asarray(y[lo:hi])
        if inverse["coarse"]:
            alpha0 = block.copy()
        else:
            recommended, deviation = np.divmod(np.arange(count * count), count)
            off_diagonal = recommended != deviation
            # exact zeros are Fractions: a Python int 0 divided below would become the float 0.0
            alpha0 = np.full((count, count), Fraction(0) if block.dtype == object else 0.0, dtype=block.dtype)
            alpha0[recommended[off_diagonal], deviation[off_diagonal]] = block
        alpha0 = alpha0 / agents
        return {"sigma": sigma, "v": v, "alpha": [alpha0.copy() for _ in range(agents)]}
