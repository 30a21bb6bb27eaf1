"""The programs assembled at the orbit representatives against the full-grid Kronecker construction.

The reference here builds every operator on the whole grid from the one-dimensional
difference matrices (``gradient``), compresses with the coordinate expansion (rows at the
representatives, columns through ``E``) and sums over the grid explicitly: the construction
the programs used before they were assembled at the representatives.  The two must give the
same linear program, entry by entry, for exchangeable and non-exchangeable agents.
"""
import math

import numpy as np
import pytest
import scipy.sparse as sps

from irmd.analytic.library.auction import auction_environment
from irmd.analytic.library.bilateral import trade_environment
from irmd.numbers import parse_exact
from irmd.verify.bounding import guarantee_lp, potential_lp
from irmd.verify.bounding.grid import Grid
from irmd.verify.bounding.operators import (
    adjoint_forward_difference_on_grid,
    forward_difference_on_grid,
    gradient,
)
from irmd.verify.bounding.reduced import reduce_environment
from irmd.verify.bounding.symmetry import reduce

CASES = [
    ("auction N=1", lambda: auction_environment(1, parse_exact("1/2")), 4),
    ("auction N=2", lambda: auction_environment(2, parse_exact("1/3")), 3),
    ("auction N=3", lambda: auction_environment(3, parse_exact("1/2")), 2),
    ("auction N=4", lambda: auction_environment(4, parse_exact("2/3")), 1),
    ("bilateral trade", lambda: trade_environment(parse_exact("3/2"), parse_exact("1"), parse_exact("1/2")), 3),
]


def reference_guarantee_rows(env, grid, red):
    """SVO, simplex and participation rows from full-grid operators, compressed by E."""
    P, d = grid.points, env.dimension
    D = gradient("forward", grid.size, grid.k, grid.agents)
    eye = sps.identity(P, format="csr")
    E, keep = red.coordinate_expansion, red.representatives
    blocks = []
    for s in range(env.states):
        ops = []
        for j in range(d):
            op = env.W[s, j] * eye
            for i in range(env.agents):
                op = op + env.U[i, s, j] * D[i]
            ops.append(op)
        blocks.append(sps.hstack(ops, format="csr")[keep] @ E)
    for b in env.blocks:
        if b.kind == "simplex" and len(b.columns) > 1:
            select = sps.hstack([eye if j in b.columns else sps.csr_matrix((P, P)) for j in range(d)], format="csr")
            blocks.append(select[keep] @ E)
    idx = grid.indices()
    is_rep = np.zeros(P, dtype=bool)
    is_rep[keep] = True
    for i in range(env.agents):
        at_zero = np.flatnonzero((idx[:, i] == 0) & is_rep)
        for s in range(env.states):
            if not np.any(env.U[i, s]) and env.U0[i, s] >= 0:
                continue
            blocks.append(sps.hstack([env.U[i, s, j] * eye for j in range(d)], format="csr")[at_zero] @ E)
    return sps.vstack(blocks, format="csr")


def reference_ivo(env, grid, red):
    """[a_j] at the representatives and the objective's sum of a_0 over the grid, from full-grid operators."""
    G0, G = potential_lp.ivo_operators(env, grid)
    Es = red.point_expansion(env.states)
    keep = red.representatives
    return [g[keep] @ Es for g in G], np.asarray(G0.sum(axis=0)).ravel() @ Es


def same(a, b):
    a, b = sps.csr_matrix(a), sps.csr_matrix(b)
    assert a.shape == b.shape
    difference = abs(a - b)
    scale = max(1.0, abs(a).max() if a.nnz else 0.0)
    assert (difference.max() if difference.nnz else 0.0) <= 1e-12 * scale


@pytest.mark.parametrize("name, make, k", CASES, ids=[c[0] for c in CASES])
def test_guarantee_program_equals_the_full_grid_construction(name, make, k):
    env = reduce_environment(make(), 2.5)
    grid = Grid.survey(env.agents, k)
    program = guarantee_lp.build(env, grid)
    red = program.reduction
    n_levels = env.states
    A = program.lp.A
    reference = reference_guarantee_rows(env, grid, red)
    same(A[:, : red.variables], reference)
    # The level columns: -1 on each state's SVO rows.
    levels = A[: program.svo_rows, red.variables:].toarray()
    expected = -np.kron(np.eye(n_levels), np.ones((red.count, 1)))
    assert np.array_equal(levels, expected)


@pytest.mark.parametrize("name, make, k", CASES, ids=[c[0] for c in CASES])
def test_potential_coefficients_equal_the_full_grid_construction(name, make, k):
    env = reduce_environment(make(), 2.5)
    grid = Grid.survey(env.agents, k)
    red = reduce(grid, env)
    a, total = reference_ivo(env, grid, red)
    for mine, theirs in zip(potential_lp._ivo_rows(env, red), a):
        same(mine, theirs)
    assert np.allclose(potential_lp._ivo_constant_total(env, red), total, rtol=1e-13, atol=1e-13)


@pytest.mark.parametrize("name, make, k", CASES, ids=[c[0] for c in CASES])
def test_orbits_cover_the_grid(name, make, k):
    env = reduce_environment(make(), 2.5)
    grid = Grid.survey(env.agents, k)
    red = reduce(grid, env)
    assert red.orbit_sizes.sum() == grid.points
    assert np.array_equal(np.bincount(red.point_map, minlength=red.count), red.orbit_sizes)
    if red.symmetric:
        assert red.count == math.comb(grid.size + grid.agents - 1, grid.agents)
        # Every point's representative is its sorted tuple.
        idx = grid.indices()
        assert np.array_equal(red.points[red.point_map], np.sort(idx, axis=1))
        for i in range(grid.agents):
            assert np.array_equal(red.zero_counts(i), np.bincount(red.point_map[idx[:, i] == 0],
                                                                  minlength=red.count))


@pytest.mark.parametrize("agents, k", [(1, 3), (2, 2), (3, 1)])
def test_array_differences_equal_the_sparse_operators(agents, k):
    grid = Grid.survey(agents, k)
    rng = np.random.default_rng(agents)
    f = rng.normal(size=grid.points)
    for i, (forward, adjoint) in enumerate(zip(gradient("forward", grid.size, k, agents),
                                                gradient("adjoint", grid.size, k, agents))):
        on = f.reshape(grid.shape)
        assert np.allclose(forward_difference_on_grid(on, i, k).ravel(), forward @ f, rtol=0, atol=1e-12)
        assert np.allclose(adjoint_forward_difference_on_grid(on, i, k).ravel(), adjoint @ f, rtol=0, atol=1e-12)
