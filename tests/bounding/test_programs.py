"""The bounding programs against independently computed analytic values."""
import numpy as np
import pytest

from irmd.analytic.library.auction import auction_environment
from irmd.analytic.library.bilateral import trade_environment
from irmd.errors import InputError
from irmd.numbers import parse_exact
from irmd.verify.bounding.api import Order, check_order, compute_bounds
from irmd.verify.bounding.grid import Grid
from irmd.verify.bounding.guarantee_lp import solve_guarantee
from irmd.verify.bounding.potential_lp import FreeTransferError, solve_potential
from irmd.verify.bounding.reduced import reduce_environment

from .helpers import auction_value, bilateral_value


def auction(n, mu1="1/2"):
    return auction_environment(n, parse_exact(mu1))


def bilateral(h="3/2", g="1", mu="1/2"):
    return trade_environment(parse_exact(h), parse_exact(g), parse_exact(mu))


@pytest.mark.parametrize("n, k", [(1, 6), (2, 4), (3, 2)])
def test_auction_bounds_bracket_the_analytic_value(n, k):
    value = auction_value(n, 0.5)
    result = compute_bounds(auction(n), k, t_max=3.0, analytic=value)
    assert result.guarantee.ok and result.potential.ok
    assert result.lower <= value <= result.upper
    assert result.order.order is Order.HOLDS
    assert result.upper - result.lower < 0.5  # a real bracket, not a vacuous one


def test_bilateral_trade_bounds_bracket_the_analytic_value():
    value = bilateral_value(1.5, 1.0)
    assert abs(value - 0.778361888) < 1e-6
    result = compute_bounds(bilateral(), 4, t_max=3.0, analytic=value)
    assert result.lower <= value <= result.upper
    assert result.order.order is Order.HOLDS


@pytest.mark.parametrize("env, value", [(auction(2), auction_value(2, 0.5)), (bilateral(), bilateral_value(1.5, 1.0))],
                         ids=["auction", "bilateral"])
def test_both_gaps_shrink_as_k_grows(env, value):
    gaps = []
    for k in (3, 6):
        r = compute_bounds(env, k, t_max=3.0)
        gaps.append((value - r.lower, r.upper - value))
    (lo1, up1), (lo2, up2) = gaps
    assert 0 < lo2 < lo1 and 0 < up2 < up1


def test_guarantee_is_independent_of_t_max_once_large_enough():
    env, grid = auction(2), Grid.survey(2, 4)
    values = [solve_guarantee(reduce_environment(env, t), grid, "highs-simplex").value for t in (8.0, 16.0, 64.0)]
    free = solve_guarantee(reduce_environment(env, None), grid, "highs-simplex").value
    assert max(values) - min(values) < 1e-7 and abs(free - values[0]) < 1e-7
    small = solve_guarantee(reduce_environment(env, 0.1), grid, "highs-simplex").value
    assert small < values[0] - 1e-3  # and it does depend on t_max below that


def test_too_small_t_max_is_warned_and_named():
    value = auction_value(2, 0.5)
    result = compute_bounds(auction(2), 4, t_max=0.1, analytic=value, transfer_scale=1.255)
    assert result.guarantee.transfer_shadow_price > 1e-3
    assert any("binds" in w for w in result.guarantee.warnings)
    assert result.upper < value  # the potential bound for tiny transfers is below the true value...
    assert result.order.order is Order.INVALID_T_MAX  # ...and the report blames t_max, not the code
    assert "t_max" in result.order.message


def test_free_transfers_in_the_potential_program_give_a_clear_error():
    with pytest.raises(FreeTransferError, match="pass a finite t_max") as info:
        solve_potential(reduce_environment(auction(2), None), Grid.survey(2, 3))
    assert isinstance(info.value, InputError)


def test_free_transfers_are_fine_when_the_pde_is_solvable():
    """Budget-balanced trade: sigma depending on x1 + x2 satisfies the discrete PDE exactly."""
    grid = Grid.survey(2, 3)
    free = solve_potential(reduce_environment(bilateral(), None), grid)
    capped = solve_potential(reduce_environment(bilateral(), 10.0), grid)
    assert free.ok and free.pde_residual < 1e-5
    assert abs(free.value - capped.value) < 1e-5


@pytest.mark.parametrize("solver", ["highs-ipm", "highs-simplex"])
def test_solvers_agree(solver):
    env, grid = reduce_environment(auction(2), 3.0), Grid.survey(2, 3)
    ref_g = solve_guarantee(env, grid, "clarabel").value
    ref_p = solve_potential(env, grid, "clarabel").value
    assert abs(solve_guarantee(env, grid, solver).value - ref_g) < 1e-5
    assert abs(solve_potential(env, grid, solver).value - ref_p) < 1e-5


@pytest.mark.parametrize("env, k", [(auction(2), 3), (auction(3), 2)], ids=["N=2", "N=3"])
def test_symmetry_reduction_does_not_change_the_values(env, k):
    env, grid = reduce_environment(env, 3.0), Grid.survey(env.agents, k)
    sym_g, full_g = (solve_guarantee(env, grid, use_symmetry=s) for s in (True, False))
    sym_p, full_p = (solve_potential(env, grid, use_symmetry=s) for s in (True, False))
    assert sym_g.symmetric and not full_g.symmetric
    assert sym_g.size.variables < full_g.size.variables
    # Each interior-point value is within the solver's tolerance (1e-6) of its program's optimum ...
    assert abs(sym_g.value - full_g.value) < 5e-6 and abs(sym_p.value - full_p.value) < 5e-6
    # ... and the optima themselves, from the simplex, are equal.
    for solve in (solve_guarantee, solve_potential):
        sym, full = (solve(env, grid, "highs-simplex", use_symmetry=s) for s in (True, False))
        assert abs(sym.value - full.value) < 1e-9


def test_reported_values_are_the_bounds_of_the_returned_objects():
    """value = sum mu min lambda of the returned mechanism; = sum max gamma of the returned sigma."""
    env, grid = reduce_environment(auction(2), 3.0), Grid.survey(2, 3)
    g = solve_guarantee(env, grid)
    assert np.isclose(g.value, env.prior @ g.svo.reshape(2, -1).min(axis=1))
    assert g.participation_violation <= 1e-9
    q = np.stack([g.outcome["q_1"], g.outcome["q_2"]])
    assert q.min() >= 0 and q.sum(axis=0).max() <= 1 + 1e-12
    p = solve_potential(env, grid)
    assert np.isclose(p.value, p.ivo_max.sum())
    assert np.allclose(p.sigma.reshape(2, -1).sum(axis=1), env.prior) and p.sigma.min() >= 0


def test_a_solver_value_far_from_the_recomputed_bound_is_reduced_accuracy():
    from dataclasses import replace

    from irmd.status import LPStatus
    from irmd.verify.bounding import guarantee_lp, potential_lp
    from irmd.verify.lp import solve

    env, grid = reduce_environment(auction(2), 3.0), Grid.survey(2, 3)
    for module in (guarantee_lp, potential_lp):
        program = module.build(env, grid)
        solution = solve(program.lp, "clarabel")
        good = module.read_solution(program, solution)
        assert good.status is LPStatus.OPTIMAL, good.message
        bad = module.read_solution(program, replace(solution, objective=solution.objective + 1e-3))
        assert bad.status is LPStatus.OPTIMAL_INACCURATE and "recomputed value differs" in bad.message
        assert bad.value == good.value and bad.ok


def test_weak_duality_on_the_grid_via_the_multipliers():
    """The guarantee LP's row multipliers are a sigma with the prior as marginal (up to tolerance)."""
    env, grid = reduce_environment(auction(2), 3.0), Grid.survey(2, 3)
    g = solve_guarantee(env, grid, "highs-simplex")
    assert np.allclose(g.sigma.reshape(2, -1).sum(axis=1), env.prior, atol=1e-6)


def test_check_order_names_the_cause():
    assert check_order(0.3, 0.25, 0.4, 5.0).order is Order.BUG
    assert check_order(0.2, 0.25, 0.24, 0.5, transfer_scale=1.2).order is Order.INVALID_T_MAX
    assert check_order(0.2, 0.25, 0.24, 5.0, transfer_scale=1.2).order is Order.BUG
    assert check_order(0.2, 0.25, 0.3, 5.0).order is Order.HOLDS
    assert check_order(0.2, None, 0.3, 5.0).order is Order.UNKNOWN


@pytest.mark.slow
def test_auction_bounds_at_moderate_k():
    value = auction_value(2, 0.5)
    result = compute_bounds(auction(2), 8, t_max=2.5, analytic=value)
    assert result.order.order is Order.HOLDS
    assert value - result.lower < 0.012 and result.upper - value < 0.015


def test_variant_grid_with_a_chosen_top():
    value = auction_value(2, 0.5)
    result = compute_bounds(auction(2), 4, top=3, t_max=3.0, analytic=value)
    assert result.grid.size == 13 and result.grid.axis()[-1] == 3
    assert result.order.order is Order.HOLDS


def test_asymmetric_agents_are_not_symmetrized():
    import sympy as sp

    from irmd.analytic.environment import Environment
    from irmd.verify.bounding.symmetry import agent_permutation_invariant

    env = auction(2).expand()
    q1, t1 = sp.Symbol("q_1", real=True), sp.Symbol("t_1", real=True)
    theta = env.state_variables[0]
    doubled = Environment(2, env.states, env.prior, env.factors,
                          (2 * theta * q1 - t1, env.utilities[1]), env.objective, env.families)
    assert agent_permutation_invariant(reduce_environment(env, 3.0))
    assert not agent_permutation_invariant(reduce_environment(doubled, 3.0))
    result = solve_guarantee(reduce_environment(doubled, 3.0), Grid.survey(2, 2))
    assert result.ok and not result.symmetric
