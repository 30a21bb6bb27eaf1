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

The orbits are enumerated directly as the sorted tuples (about :math:`|X|/N!` of them),
and the programs are assembled at those representatives: a neighbour :math:`x + e_i/k`
of a representative is looked up by sorting it, and an agent's coordinate there is
the coordinate of the first agent of the sorted tuple with the same action.  Nothing
of the size of the full grid is built for the programs; the full grid appears only
when a solution is read back onto it (``point_map``, ``full_map``).
"""
from __future__ import annotations

import itertools
import math
from dataclasses import dataclass
from functools import cached_property

import numpy as np
import scipy.sparse as sps

from .grid import Grid
from .reduced import ReducedEnvironment


@dataclass(frozen=True)
class Reduction:
    """The representatives of the grid's orbits and where every full variable lives among the reduced ones.

    ``points`` are the representatives as index tuples (sorted tuples for a symmetric
    reduction, every point in C order otherwise), in the order of ``representatives``
    (their flat indices, ascending).  ``variable_table[r, j]`` is the reduced variable of
    coordinate ``j`` at representative ``r`` (tied agents' coordinates share one);
    ``full_map[j * P + p]`` that of coordinate ``j`` at grid point ``p``.
    """

    grid: Grid
    points: np.ndarray  # (R, N) index tuples of the representatives
    representatives: np.ndarray  # flat indices of representative points, ascending
    orbit_sizes: np.ndarray  # orbit size per representative
    variable_table: np.ndarray  # (R, d) reduced variable of each coordinate at each representative
    coordinate_of: np.ndarray  # coordinate of each reduced variable
    symmetric: bool
    families: tuple = ()  # column indices of each family of per-agent coordinates (symmetric only)

    @property
    def count(self) -> int:
        return len(self.representatives)

    @property
    def variables(self) -> int:
        return len(self.coordinate_of)

    def representative_of(self, points: np.ndarray) -> np.ndarray:
        """Positions among the representatives of the orbits of ``points`` (Q x N index tuples)."""
        if not self.symmetric:
            return np.ravel_multi_index(points.T, self.grid.shape)
        codes = np.ravel_multi_index(np.sort(points, axis=1).T, self.grid.shape)
        return np.searchsorted(self.representatives, codes)

    def variables_at(self, points: np.ndarray, coordinate: int, representatives: np.ndarray | None = None):
        """The reduced variable of ``coordinate`` at each of ``points`` (Q x N index tuples), whose
        representatives may be passed when already known."""
        reps = self.representative_of(points) if representatives is None else representatives
        return self.variable_table[reps, self._leader_columns(points, coordinate)]

    def _leader_columns(self, points: np.ndarray, coordinate: int):
        # Agent a's coordinate at a point is, by symmetry, the coordinate of the first agent of
        # the sorted point with the same action: the number of agents strictly below a.
        for cols in self.families:
            if coordinate in cols:
                agent = cols.index(coordinate)
                below = (points < points[:, agent: agent + 1]).sum(axis=1)
                return np.asarray(cols)[below]
        return coordinate

    @cached_property
    def point_map(self) -> np.ndarray:
        """Full grid point -> position of its representative."""
        return self.representative_of(self.grid.indices())

    @cached_property
    def full_map(self) -> np.ndarray:
        """Full variable (coordinate-major, ``j * P + p``) -> reduced variable."""
        d = self.variable_table.shape[1]
        if not self.symmetric:
            return np.arange(d * self.grid.points)
        idx = self.grid.indices()
        return np.concatenate([self.variables_at(idx, j, self.point_map) for j in range(d)])

    @property
    def coordinate_expansion(self) -> sps.csr_matrix:
        """``(d * P) x reduced``: full variables from reduced ones (one entry per row)."""
        rows = len(self.full_map)
        return sps.csr_matrix((np.ones(rows), self.full_map, np.arange(rows + 1)), shape=(rows, self.variables))

    def expand(self, reduced: np.ndarray) -> np.ndarray:
        """Full variables (coordinate-major) from reduced ones."""
        return np.asarray(reduced)[self.full_map]

    def expand_points(self, values: np.ndarray) -> np.ndarray:
        """A per-point quantity (``blocks x R``) on the full grid (``blocks x P``)."""
        return np.asarray(values)[:, self.point_map]

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

    def zero_counts(self, agent: int) -> np.ndarray:
        """Per representative, how many points of its orbit have ``agent``'s action at 0."""
        zeros = (self.points == 0).sum(axis=1) if self.symmetric else (self.points[:, agent] == 0)
        if not self.symmetric:
            return zeros.astype(np.int64)
        # The orbit is every distinct arrangement of the tuple: each agent sits at each position
        # equally often, so a share zeros / N of the orbit has this agent at 0.
        return self.orbit_sizes * zeros // self.grid.agents


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


def _orbit_representatives(size: int, agents: int) -> np.ndarray:
    """Every sorted tuple ``0 <= i_1 <= ... <= i_N < size`` in lexicographic (= flat C) order."""
    tuples = itertools.combinations_with_replacement(range(size), agents)
    count = math.comb(size + agents - 1, agents)
    return np.fromiter(itertools.chain.from_iterable(tuples), dtype=np.int64, count=count * agents).reshape(-1, agents)


def _orbit_sizes(points: np.ndarray) -> np.ndarray:
    """N! / prod(multiplicity!) for sorted tuples: the product of the running lengths of equal runs."""
    agents = points.shape[1]
    sizes = np.full(len(points), math.factorial(agents), dtype=np.int64)
    run = np.ones(len(points), dtype=np.int64)
    for i in range(1, agents):
        run = np.where(points[:, i] == points[:, i - 1], run + 1, 1)
        sizes //= run
    return sizes


def reduce(grid: Grid, env: ReducedEnvironment, use_symmetry: bool = True) -> Reduction:
    """The symmetry reduction of ``grid`` for ``env`` (the identity when not symmetric).

    The orbits are enumerated directly (about P / N! sorted tuples), so building a program
    at the representatives never materialises the full grid.
    """
    d = env.dimension
    if not (use_symmetry and agent_permutation_invariant(env)):
        P = grid.points
        points = grid.indices()
        table = np.arange(d)[None, :] * P + np.arange(P)[:, None]
        return Reduction(grid, points, np.arange(P), np.ones(P, dtype=np.int64), table,
                         np.repeat(np.arange(d), P), False)
    points = _orbit_representatives(grid.size, grid.agents)
    representatives = np.ravel_multi_index(points.T, grid.shape)
    names = env.coordinate_names
    families = tuple(tuple(names.index(str(s)) for s in symbols) for _, symbols in env.environment.families)
    # Coordinate j at a representative lives in the variable of its leader column: the same
    # family's coordinate of the first agent with the same action (itself when untied).
    leader = np.tile(np.arange(d), (len(points), 1))
    first = (points[:, None, :] < points[:, :, None]).sum(axis=2)  # (R, N): agents strictly below
    for cols in families:
        leader[:, list(cols)] = np.asarray(cols)[first]
    canonical = leader == np.arange(d)[None, :]
    # Reduced variables in (representative, column) order, one per canonical pair.
    rank = np.cumsum(canonical.ravel()).reshape(canonical.shape) - 1
    table = np.take_along_axis(rank, leader, axis=1)
    coordinate_of = np.nonzero(canonical.ravel())[0] % d
    return Reduction(grid, points, representatives, _orbit_sizes(points), table, coordinate_of, True, families)
