r"""Symmetry reduction of the bounding programs for exchangeable agents.

When permuting the agents (together with their per-agent outcome coordinates)
leaves the prior, every utility, the objective and the factors unchanged, both
bounding programs may be restricted to symmetric solutions without changing
their values:

* Guarantee (19): for a feasible mechanism m and a permutation π, the permuted
  mechanism :math:`m^\pi(x) = \pi\, m(\pi^{-1} x)` is feasible (the factor and
  participation constraints are permuted among themselves) and its SVO is
  :math:`\lambda_{m^\pi}(x, \theta) = \lambda_m(\pi^{-1}x, \theta)`, so it has the
  same :math:`\min_x \lambda`.  The SVO is linear in m, hence for the group
  average :math:`\bar m = |G|^{-1} \sum_\pi m^\pi` we get
  :math:`\lambda_{\bar m}(x,\theta) \ge \min_\pi \lambda_{m^\pi}(x,\theta) \ge
  L_\theta(m)`: the symmetric :math:`\bar m` is feasible and does at least as well.
* Potential (18): :math:`\sigma \mapsto \sum_x \max_c \gamma(x, c)` is convex (a sum
  of maxima of linear functions) and invariant under permuting σ, and the
  constraint :math:`\mathrm{marg}_\Theta \sigma = \mu` is linear and invariant; by
  Jensen the average of the permuted copies of an optimal σ is feasible and no
  worse.

So an optimum of the symmetrized LP is an optimum of the full LP.  A symmetric
solution is determined by its values at the orbit representatives
:math:`x_1 \le \dots \le x_N` (about :math:`|X|/N!` points); at a representative
with ties, the tied agents' coordinates share one variable (invariance under
the stabiliser).  Constraints of a symmetric solution coincide along orbits, so
rows are kept at representatives only, and sums over the grid become sums over
representatives weighted by orbit sizes.

The reduction is expressed by an expansion matrix ``E`` (full variables = ``E @``
reduced variables) and a list of representative points, so the programs are
built once on the full grid with Kronecker products and then compressed.
"""
from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
import scipy.sparse as sps

from .grid import Grid
from .reduced import ReducedEnvironment


@dataclass(frozen=True)
class Reduction:
    """Representatives of the grid points and the coordinate expansion."""

    grid: Grid
    representatives: np.ndarray  # flat indices of representative points
    orbit_sizes: np.ndarray  # orbit size per representative
    point_map: np.ndarray  # full point -> position among representatives
    coordinate_expansion: sps.csr_matrix  # (d * P) x reduced, coordinate-major full variables
    symmetric: bool

    @property
    def count(self) -> int:
        return len(self.representatives)

    def point_expansion(self, blocks: int) -> sps.csr_matrix:
        """``(blocks * P) x (blocks * R)``: a per-point quantity (e.g. σ(·, θ)) from its representatives."""
        P, R = self.grid.points, self.count
        rows = np.arange(blocks * P)
        cols = (rows // P) * R + self.point_map[rows % P]
        return sps.csr_matrix((np.ones(blocks * P), (rows, cols)), shape=(blocks * P, blocks * R))

    def rows(self, blocks: int) -> np.ndarray:
        """Indices of the rows at representatives among ``blocks`` stacked per-point row blocks."""
        P = self.grid.points
        return (np.arange(blocks)[:, None] * P + self.representatives[None, :]).ravel()


def agent_permutation_invariant(env: ReducedEnvironment, tol: float = 1e-12) -> bool:
    """True when every permutation of agents (with their family coordinates) preserves the environment."""
    families = env.environment.families
    n, d = env.agents, env.dimension
    if n < 2 or not families:
        return False
    names = env.coordinate_names
    member = {}
    for _, symbols in families:
        if len(symbols) != n:
            return False
        for i, s in enumerate(symbols):
            member[names.index(str(s))] = (tuple(str(t) for t in symbols), i)
    lower, upper = env.column_bounds()
    simplex_of = {j: b.columns for b in env.blocks if b.kind == "simplex" for j in b.columns}
    generators = [tuple([1, 0] + list(range(2, n))), tuple(list(range(1, n)) + [0])]
    for perm in generators:
        cmap = np.arange(d)
        for j, (symbols, i) in member.items():
            cmap[j] = names.index(symbols[perm[i]])
        if not (np.allclose(env.U0[list(perm)], env.U0, atol=tol)
                and np.allclose(env.U[list(perm)][:, :, cmap], env.U, atol=tol)
                and np.allclose(env.W[:, cmap], env.W, atol=tol)
                and np.allclose(lower[cmap], lower) and np.allclose(upper[cmap], upper)):
            return False
        for j, cols in simplex_of.items():
            if set(simplex_of.get(int(cmap[j]), ())) != {int(cmap[c]) for c in cols}:
                return False
    return True


def reduce(grid: Grid, env: ReducedEnvironment, use_symmetry: bool = True) -> Reduction:
    """The symmetry reduction of ``grid`` for ``env`` (the identity when not symmetric)."""
    P, d = grid.points, env.dimension
    if not (use_symmetry and agent_permutation_invariant(env)):
        ident = np.arange(P)
        return Reduction(grid, ident, np.ones(P, dtype=np.int64), ident, sps.identity(d * P, format="csr"), False)
    idx = grid.indices()
    n = grid.agents
    rep_idx = np.sort(idx, axis=1)
    rep_flat = np.ravel_multi_index(rep_idx.T, grid.shape)
    representatives, point_map = np.unique(rep_flat, return_inverse=True)
    # Orbit size N! / prod(multiplicity!) of each representative.
    reps = idx[representatives]
    sizes = np.full(len(representatives), math.factorial(n), dtype=np.int64)
    for value in range(grid.size):
        counts = (reps == value).sum(axis=1)
        sizes //= np.array([math.factorial(int(c)) for c in range(n + 1)])[counts]
    # Tie class of agent i at a point: the number of agents strictly below it, i.e.
    # the first position of its value in the sorted representative.
    tie_class = (idx[:, None, :] < idx[:, :, None]).sum(axis=2)  # (P, N)
    names = env.coordinate_names
    agent_of = np.full(d, -1)
    leader_coordinate = np.tile(np.arange(d), (n, 1))  # [class, j] -> coordinate of that class in j's family
    for _, symbols in env.environment.families:
        cols = [names.index(str(s)) for s in symbols]
        for i, j in enumerate(cols):
            agent_of[j] = i
            leader_coordinate[:, j] = cols
    keys = np.empty((d, P), dtype=np.int64)
    for j in range(d):
        if agent_of[j] < 0:
            keys[j] = point_map * d + j
        else:
            keys[j] = point_map * d + leader_coordinate[tie_class[:, agent_of[j]], j]
    _, reduced = np.unique(keys.ravel(), return_inverse=True)
    E = sps.csr_matrix((np.ones(d * P), (np.arange(d * P), reduced)), shape=(d * P, int(reduced.max()) + 1))
    return Reduction(grid, representatives, sizes, point_map, E, True)
