"""The programs assembled at the orbit representatives against the full-grid Kronecker construction.

The reference here builds every operator on the whole grid from the one-dimensional
difference matrices (``gradient``) and compresses with the coordinate expansion (rows at the
representatives, columns through ``E``): the construction the programs used before they were
assembled at the representatives.  The two must give the
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


def reference_svo_rows(env, grid, red, kind):
    """SVO rows (with their constants) and simplex rows from full-grid operators, compressed by E.

    ``forward``: lambda = w + sum_i U_i . nabla^+_i c (the guarantee); ``backward``: w + sum_i
    nabla^-_i u_i(c) with the outside option below 0 (the potential's dual).
    """
    P, d = grid.points, env.dimension
    D = gradient(kind, grid.size, grid.k, grid.agents)
    eye = sps.identity(P, format="csr")
    E, keep = red.coordinate_expansion, red.representatives
    blocks, constants = [], []
    for s in range(env.states):
        ops = []
        for j in range(d):
            op = env.W[s, j] * eye
            for i in range(env.agents):
                op = op + env.U[i, s, j] * D[i]
            ops.append(op)
        blocks.append(sps.hstack(ops, format="csr")[keep] @ E)
        constant = np.full(P, env.W0[s])
        if kind == "backward":  # nabla^- of the constant U0 is k U0 at x_i = 0
            for i in range(env.agents):
                constant = constant + env.U0[i, s] * (D[i] @ np.ones(P))
        constants.append(constant[keep])
    for b in env.blocks:
        if b.kind == "simplex" and len(b.columns) > 1:
            select = sps.hstack([eye if j in b.columns else sps.csr_matrix((P, P)) for j in range(d)], format="csr")
            blocks.append(select[keep] @ E)
    return blocks, np.concatenate(constants)


def reference_participation_rows(env, grid, red):
    P, d = grid.points, env.dimension
    eye = sps.identity(P, format="csr")
    E, keep = red.coordinate_expansion, red.representatives
    idx = grid.indices()
    is_rep = np.zeros(P, dtype=bool)
    is_rep[keep] = True
    blocks = []
    for i in range(env.agents):
        at_zero = np.flatnonzero((idx[:, i] == 0) & is_rep)
        for s in range(env.states):
            if not np.any(env.U[i, s]) and env.U0[i, s] >= 0:
                continue
            blocks.append(sps.hstack([env.U[i, s, j] * eye for j in range(d)], format="csr")[at_zero] @ E)
    return blocks


def same(a, b):
    a, b = sps.csr_matrix(a), sps.csr_matrix(b)
    assert a.shape == b.shape
    difference = abs(a - b)
    scale = max(1.0, abs(a).max() if a.nnz else 0.0)
    assert (difference.max() if difference.nnz else 0.0) <= 1e-12 * scale


@pytest.mark.parametrize("module, kind", [(guarantee_lp, "forward"), (potential_lp, "backward")],
                         ids=["guarantee", "potential"])
@pytest.mark.parametrize("name, make, k", CASES, ids=[c[0] for c in CASES])
def test_program_equals_the_full_grid_construction(name, make, k, module, kind):
    env = reduce_environment(make(), 2.5)
    grid = Grid.survey(env.agents, k)
    program = module.build(env, grid) if module is guarantee_lp else module.build(env, grid, form="mechanism")
    red = program.reduction
    n_levels = env.states
    A = program.lp.A
    blocks, constants = reference_svo_rows(env, grid, red, kind)
    if module is guarantee_lp:
        blocks += reference_participation_rows(env, grid, red)
    same(A[:, : red.variables], sps.vstack(blocks, format="csr"))
    assert np.allclose(program.lp.row_lower[: program.svo_rows], -constants, rtol=0, atol=1e-13)
    # The level columns: -1 on each state's SVO rows.
    levels = A[: program.svo_rows, red.variables:].toarray()
    expected = -np.kron(np.eye(n_levels), np.ones((red.count, 1)))
    assert np.array_equal(levels, expected)


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
