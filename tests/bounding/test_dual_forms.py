"""Both programs in both forms: the program over mechanisms as written and its dual over σ.

(18) is ``min_sigma sum_x max_c gamma(x, c)``; the package assembles it, by LP duality, as a
program over mechanisms (:mod:`irmd.verify.bounding.potential_lp`) and solves that or its
dual (:mod:`irmd.verify.bounding.dual_form`).  Here (18) is written independently, on the
whole grid, from the Kronecker difference operators and one epigraph variable per factor and
point, and solved by SciPy's HiGHS: both forms' values must agree with it, and the σ the
package reads back must attain the value.  The guarantee's two forms must agree with each
other, and the mechanism read from the dual's multipliers must attain the value.
"""
import math

import numpy as np
import pytest
import scipy.sparse as sps
from scipy.optimize import linprog

from irmd.analytic.library.auction import auction_environment
from irmd.analytic.library.bilateral import trade_environment
from irmd.numbers import parse_exact
from irmd.verify.bounding import guarantee_lp, potential_lp
from irmd.verify.bounding.common import AUTO, solver_for
from irmd.verify.bounding.grid import Grid
from irmd.verify.bounding.mechanism_program import FORMS, MECHANISM, SIGMA, factorisation_for, form_for
from irmd.verify.bounding.operators import gradient
from irmd.verify.bounding.potential_lp import FreeTransferError, build, read_solution, solve_potential
from irmd.verify.bounding.reduced import reduce_environment
from irmd.verify.lp import solve

CASES = [
    ("auction N=1", lambda: auction_environment(1, parse_exact("1/2")), 3),
    ("auction N=2", lambda: auction_environment(2, parse_exact("1/3")), 2),
    ("auction N=3", lambda: auction_environment(3, parse_exact("1/2")), 1),
    ("bilateral trade", lambda: trade_environment(parse_exact("3/2"), parse_exact("1"), parse_exact("1/2")), 2),
]


def sigma_form_value(env, grid):
    r"""min over sigma >= 0 with marginal mu of sum_x [a_0(x) + sum_f max_{c_f} c_f . a_f(x)]."""
    P, S = grid.points, env.states
    D = gradient("adjoint", grid.size, grid.k, grid.agents)
    eye = sps.identity(P, format="csr")

    def operator(w, u):  # sigma (S P) -> sum_s w_s sigma_s - sum_{i,s} u_is adjoint_i sigma_s
        return sps.hstack([w[s] * eye - sum(u[i, s] * D[i] for i in range(env.agents)) for s in range(S)],
                          format="csr")

    a0 = operator(env.W0, env.U0)
    a = [operator(env.W[:, j], env.U[:, :, j]) for j in range(env.dimension)]
    factors = [b for b in env.blocks if not (b.kind == "interval" and math.isinf(b.lower) and math.isinf(b.upper))]
    nz = len(factors) * P
    cost = np.concatenate([np.asarray(a0.sum(axis=0)).ravel(), np.ones(nz)])
    rows, bound = [], []
    for f, b in enumerate(factors):
        z = sps.csr_matrix((np.ones(P), (np.arange(P), S * P + f * P + np.arange(P))), shape=(P, S * P + nz))
        pieces = [1.0 * a[j] for j in b.columns] if b.kind == "simplex" else [b.lower * a[b.columns[0]],
                                                                             b.upper * a[b.columns[0]]]
        if b.kind == "simplex":
            pieces.append(sps.csr_matrix((P, S * P)))  # z >= 0: the null allocation
        for piece in pieces:  # piece(sigma) - z <= 0
            rows.append(sps.hstack([piece, sps.csr_matrix((P, nz))], format="csr") - z)
            bound.append(np.zeros(P))
    marginal = sps.hstack([sps.kron(sps.identity(S), np.ones((1, P))), sps.csr_matrix((S, nz))], format="csr")
    result = linprog(cost, A_ub=sps.vstack(rows, format="csr"), b_ub=np.concatenate(bound), A_eq=marginal,
                     b_eq=env.prior, bounds=[(0, None)] * (S * P) + [(None, None)] * nz, method="highs")
    assert result.status == 0, result.message
    return result.fun


@pytest.mark.parametrize("name, make, k", CASES, ids=[c[0] for c in CASES])
@pytest.mark.parametrize("symmetry", [True, False], ids=["orbits", "full"])
@pytest.mark.parametrize("form", FORMS)
def test_each_form_has_the_value_of_the_sigma_program(name, make, k, symmetry, form):
    env = reduce_environment(make(), 2.5)
    grid = Grid.survey(env.agents, k)
    reference = sigma_form_value(env, grid)
    program = build(env, grid, symmetry, form)
    result = read_solution(program, solve(program.lp, "highs-simplex"))
    assert result.ok, result.message
    # The σ read from the multipliers attains the optimum of (18), exactly certified.
    assert abs(result.value - reference) <= 1e-7 * (1 + abs(reference))
    assert abs(result.solver_value - reference) <= 1e-7 * (1 + abs(reference))
    assert result.certified.certified and abs(result.certified.float_value - reference) <= 1e-7
    assert np.allclose(result.sigma.reshape(env.states, -1).sum(axis=1), env.prior)


@pytest.mark.parametrize("name, make, k", CASES, ids=[c[0] for c in CASES])
@pytest.mark.parametrize("symmetry", [True, False], ids=["orbits", "full"])
def test_the_guarantee_has_one_value_in_both_forms(name, make, k, symmetry):
    env = reduce_environment(make(), 2.5)
    grid = Grid.survey(env.agents, k)
    results = []
    for form in FORMS:
        program = guarantee_lp.build(env, grid, symmetry, form)
        result = guarantee_lp.read_solution(program, solve(program.lp, "highs-simplex"))
        assert result.ok, result.message
        # The mechanism (the point, or the dual's multipliers) attains the program's value.
        assert abs(result.value - result.solver_value) <= 1e-7 * (1 + abs(result.value))
        assert result.certified.certified and abs(result.certified.float_value - result.value) <= 1e-7
        assert np.allclose(result.sigma.reshape(env.states, -1).sum(axis=1), env.prior, atol=1e-9)
        results.append(result)
    mechanism, sigma = results
    assert abs(mechanism.value - sigma.value) <= 1e-7 * (1 + abs(mechanism.value))
    if env.capped_columns():
        assert mechanism.transfer_shadow_price == pytest.approx(sigma.transfer_shadow_price, abs=1e-6)


def test_the_form_follows_the_program_and_the_solver():
    for solver in ("highs-hipdlp", "highs-pdlp", "highs-simplex", "clarabel", "highs-ipm"):
        assert form_for("guarantee", solver) == MECHANISM
    assert form_for("potential", "clarabel") == form_for("potential", "highs-ipm") == SIGMA
    assert form_for("potential", "highs-hipdlp") == form_for("potential", "highs-simplex") == MECHANISM


def test_free_transfers_are_solved_over_sigma_whatever_the_solver():
    """With free transfers the mechanism program is typically unbounded, which a first-order
    method does not reliably detect; over σ the presolve finds the infeasibility."""
    env = reduce_environment(auction_environment(2, parse_exact("1/2")), None)
    with pytest.raises(FreeTransferError):
        solve_potential(env, Grid.survey(2, 2), "highs-hipdlp")


def test_auto_picks_the_measured_solver_and_the_form_follows():
    assert solver_for(AUTO, "guarantee", 2) == solver_for(AUTO, "potential", 2) == "clarabel"
    assert solver_for(AUTO, "guarantee", 3) == solver_for(AUTO, "guarantee", 5) == "highs-pdlp"
    assert solver_for(AUTO, "potential", 3) == solver_for(AUTO, "potential", 4) == "highs-hipdlp"
    assert solver_for(AUTO, "potential", 5) == "clarabel"
    assert solver_for("highs-ipm", "potential", 3) == "highs-ipm"
    assert form_for("potential", solver_for(AUTO, "potential", 3)) == MECHANISM
    assert form_for("potential", solver_for(AUTO, "potential", 5)) == SIGMA


def test_the_factorisation_follows_the_stencil():
    """QDLDL for at most two agents whose coordinates are each one agent's (the auction's q_i, t_i);
    faer for a coordinate in two agents' utilities (trade's q and t) and from three agents on."""
    factorisations = [factorisation_for(reduce_environment(make(), 2.5)) for _, make, _ in CASES]
    assert factorisations == ["qdldl", "qdldl", "faer", "faer"]


@pytest.mark.parametrize("program", ["guarantee", "potential"])
def test_both_factorisations_reach_the_same_bound(program):
    env = reduce_environment(CASES[3][1](), 2.5)
    grid = Grid.survey(env.agents, 3)
    module = guarantee_lp if program == "guarantee" else potential_lp
    built = module.build(env, grid, True, form_for(program, "clarabel"))
    values = []
    for factorisation in ("qdldl", "faer"):
        solution = solve(built.lp, "clarabel", equilibrate=built.form != MECHANISM, factorisation=factorisation)
        result = module.read_solution(built, solution)
        assert result.ok and result.certified.certified, result.message
        values.append(result.certified.float_value)
    assert values[0] == pytest.approx(values[1], abs=1e-6)
