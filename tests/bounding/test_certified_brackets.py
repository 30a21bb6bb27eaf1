"""Certified brackets: both ends in exact arithmetic, valid whatever the solver returned."""
import json
from dataclasses import replace
from fractions import Fraction

import numpy as np
import pytest
import sympy as sp

from irmd.analytic.library.auction import auction_environment
from irmd.analytic.library.bilateral import trade_environment
from irmd.cli import main
from irmd.numbers import parse_exact
from irmd.status import LPStatus
from irmd.verify.bounding import guarantee_lp, mechanism_program, potential_lp
from irmd.verify.bounding.api import compute_bounds, sweep_bounds
from irmd.verify.bounding.certified import (
    BALLS,
    EXACT,
    certify_guarantee,
    certify_potential,
    directed_decimal,
    directed_float,
)
from irmd.verify.bounding.grid import Grid
from irmd.verify.bounding.reduced import reduce_environment
from irmd.verify.lp import solve

from .helpers import auction_value, bilateral_value

AUCTION = auction_environment(2, parse_exact("1/2"))
TRADE = trade_environment(parse_exact("3/2"), parse_exact("1"), parse_exact("1/2"))
AUCTION_VALUE = auction_value(2, 0.5)
TRADE_VALUE = bilateral_value(1.5, 1.0)
# The analytic values are floats accurate to ~1e-10 (quadrature, root finding); the brackets'
# gaps at these k are of order 1e-2, so comparing with a 1e-8 margin tests the bracket, not the float.
MARGIN = 1e-8


def _contains(bracket, value):
    lower, upper = bracket.lower_value, bracket.upper_value
    return lower is not None and upper is not None and lower <= Fraction(value + MARGIN) \
        and Fraction(value - MARGIN) <= upper


@pytest.mark.parametrize("env, k, value", [(AUCTION, 4, AUCTION_VALUE), (AUCTION, 6, AUCTION_VALUE),
                                            (TRADE, 4, TRADE_VALUE)], ids=["auction-4", "auction-6", "trade-4"])
def test_the_certified_bracket_contains_the_analytic_value(env, k, value):
    result = compute_bounds(env, k, t_max=3.0, analytic=value)
    bracket = result.bracket
    assert bracket.lower.certified and bracket.upper.certified
    assert bracket.arithmetic == EXACT
    assert _contains(bracket, value)
    # Rigorous ends agree with the floating-point recomputation to rounding level.
    assert abs(float(bracket.lower_value) - result.lower) < 1e-8
    assert abs(float(bracket.upper_value) - result.upper) < 1e-7
    # The printed decimals are rounded outwards.
    out = result.to_dict(8)["certified"]
    assert Fraction(out["lower"]) <= bracket.lower_value and Fraction(out["upper"]) >= bracket.upper_value
    assert out["contains_analytic"] is True
    assert "t_max = 3.0" in out["condition"]
    assert result.certified_lower <= bracket.lower_value and result.certified_upper >= bracket.upper_value


@pytest.mark.parametrize("solver", ["highs-pdlp", "highs-hipdlp", "highs-ipm"])
def test_first_order_and_interior_point_routes_give_a_valid_bracket(solver):
    """PDLP and HiGHS's interior point (no crossover) return inexact points; the certified ends are
    recomputed from them, so the bracket still contains the value and is as tight as Clarabel's."""
    result = compute_bounds(AUCTION, 4, t_max=3.0, analytic=AUCTION_VALUE, solver=solver)
    reference = compute_bounds(AUCTION, 4, t_max=3.0, solver="clarabel").bracket
    bracket = result.bracket
    assert bracket.lower.certified and bracket.upper.certified
    assert _contains(bracket, AUCTION_VALUE)
    assert abs(float(bracket.lower_value - reference.lower_value)) < 1e-5
    assert abs(float(bracket.upper_value - reference.upper_value)) < 1e-5


#: Each program in each form it is solved in, and the end of the bracket it gives.
PROGRAMS = [(module, form, side) for module, side in ((guarantee_lp, "lower"), (potential_lp, "upper"))
            for form in ("mechanism", "sigma")]


def _solved(module, form, env, grid):
    program = module.build(env, grid, form=form)
    return program, solve(program.lp, "clarabel")


def _reads_the_point(module, form):
    """Whether the bound is read from the solution's point (else from its row multipliers): the
    guarantee's mechanism is the point as written, the potential's σ is the point of the dual."""
    return (module is guarantee_lp) == (form == "mechanism")


def _point(solution, module, form):
    return solution.x if _reads_the_point(module, form) else solution.row_dual


def _returning(solution, module, form, change):
    """``solution`` with what the bound is read from replaced by ``change(it)``."""
    if _reads_the_point(module, form):
        return replace(solution, x=change(solution.x))
    return replace(solution, row_dual=change(solution.row_dual))


@pytest.mark.parametrize("env, value", [(AUCTION, AUCTION_VALUE), (TRADE, TRADE_VALUE)], ids=["auction", "trade"])
def test_a_perturbed_solution_still_gives_a_valid_bracket(env, value):
    env, grid = reduce_environment(env, 3.0), Grid.survey(2, 4)
    rng = np.random.default_rng(7)
    for module, form, side in PROGRAMS:
        program, solution = _solved(module, form, env, grid)
        for _ in range(3):
            result = module.read_solution(program, _returning(solution, module, form, lambda v: v + rng.uniform(
                -1e-3, 1e-3, size=v.shape)))
            end = result.certified
            assert end.certified, end.message
            if side == "lower":
                assert end.value <= Fraction(value)
            else:
                assert end.value >= Fraction(value)
    # Perturbing the mechanism itself (participation is broken at x_i = 0 and repaired exactly).
    good = guarantee_lp.read_solution(*_solved(guarantee_lp, "mechanism", env, grid))
    c = np.stack([good.outcome[n].reshape(-1) for n in env.coordinate_names])
    shaken = certify_guarantee(env, grid, c + rng.uniform(-1e-3, 1e-3, size=c.shape))
    assert shaken.certified and shaken.repaired > 0 and shaken.value <= Fraction(value)


@pytest.mark.filterwarnings("ignore:invalid value:RuntimeWarning")  # the float recomputation of NaN input
@pytest.mark.parametrize("env, value", [(AUCTION, AUCTION_VALUE), (TRADE, TRADE_VALUE)], ids=["auction", "trade"])
def test_a_wrong_solver_answer_cannot_give_a_wrong_bracket(env, value):
    env, grid = reduce_environment(env, 3.0), Grid.survey(2, 4)
    rng = np.random.default_rng(11)
    for module, form, side in PROGRAMS:
        program, solution = _solved(module, form, env, grid)
        n = len(_point(solution, module, form))
        garbage = rng.normal(0, 5, n)
        garbage[::7] = np.nan
        garbage[3] = np.inf
        for wrong in (2 * _point(solution, module, form), garbage, np.zeros(n), np.full(n, -1e12)):
            # The solver claims optimality and its true objective: the recomputation must not believe it.
            result = module.read_solution(program, _returning(solution, module, form, lambda v, w=wrong: w))
            end = result.certified
            if end.certified:
                assert end.value <= Fraction(value) if side == "lower" else end.value >= Fraction(value)
            else:
                assert end.value is None and "not certified" in end.message
            assert result.status is not LPStatus.OPTIMAL or abs(result.value - result.solver_value) < 1e-5


@pytest.mark.filterwarnings("ignore:invalid value:RuntimeWarning")
@pytest.mark.parametrize("wrong", ["doubled", "garbage"])
def test_a_lying_solver_inside_compute_bounds_cannot_give_a_wrong_bracket(monkeypatch, wrong):
    """The solver itself is replaced: it returns a wrong point and claims a better objective."""
    rng = np.random.default_rng(5)

    def lying(claim):
        def solver(lp, *args, **kwargs):
            honest = solve(lp, *args, **kwargs)

            def lie(v):
                return 2 * v if wrong == "doubled" else rng.normal(0, 3, len(v))

            # Clarabel gets the guarantee as written (a minimisation of -sum mu L: a lower objective
            # claims a better lower end) and the potential over σ (a minimisation of the bound: a
            # lower objective claims a better upper end).
            return replace(honest, x=lie(honest.x), row_dual=lie(honest.row_dual),
                           objective=honest.objective + claim)
        return solver

    # Both programs are solved through mechanism_program's solve.
    monkeypatch.setattr(mechanism_program, "solve", lying(-0.1))
    sweep = sweep_bounds(AUCTION, [3, 4], t_max=3.0, analytic=AUCTION_VALUE)
    for result in sweep.results:
        lower, upper = result.bracket.lower, result.bracket.upper
        assert lower.value is None or lower.value <= Fraction(AUCTION_VALUE)
        assert upper.value is None or upper.value >= Fraction(AUCTION_VALUE)
        # The claimed objective is not what the returned point achieves: never reported as optimal.
        assert result.guarantee.status is not LPStatus.OPTIMAL and result.potential.status is not LPStatus.OPTIMAL
    assert sweep.to_dict()["points"][0]["certified_lower"] is not None


def test_garbage_mechanisms_and_information_structures_are_repaired_or_refused():
    env, grid = reduce_environment(TRADE, 3.0), Grid.survey(2, 4)
    rng = np.random.default_rng(3)
    for _ in range(5):
        c = rng.normal(0, 3, (env.dimension, grid.points))
        lower = certify_guarantee(env, grid, c)
        assert lower.value is None or lower.value <= Fraction(TRADE_VALUE)
        sigma = rng.normal(0, 1, (env.states, grid.points))
        upper = certify_potential(env, grid, sigma)
        assert upper.certified and upper.value >= Fraction(TRADE_VALUE)


def test_free_transfers_leave_the_upper_end_uncertified_unless_the_pde_holds_exactly():
    """Bilateral trade with free transfers: the float σ solves the PDE only to 1e-9, so no upper end."""
    result = compute_bounds(TRADE, 3, t_max=None)
    assert result.potential.ok and result.bracket.upper is not None
    assert not result.bracket.upper.certified and "PDE" in result.bracket.upper.message
    assert result.bracket.lower.certified
    assert "upper end not certified" in result.bracket.condition()


def test_irrational_data_are_enclosed_in_balls():
    env = auction_environment(2, sp.sqrt(2) / 3)
    result = compute_bounds(env, 3, t_max=3.0)
    bracket = result.bracket
    assert bracket.arithmetic == BALLS
    assert bracket.lower.certified and bracket.upper.certified
    assert abs(float(bracket.lower_value) - result.lower) < 1e-8
    assert abs(float(bracket.upper_value) - result.upper) < 1e-7


def test_directed_rounding():
    third = Fraction(1, 3)
    assert directed_decimal(third, 5, down=True) == "0.33333"
    assert directed_decimal(third, 5, down=False) == "0.33334"
    assert directed_decimal(-third, 5, down=True) == "-0.33334"
    assert Fraction(directed_decimal(Fraction(12345678, 7), 4, down=False)) >= Fraction(12345678, 7)
    assert Fraction(directed_float(third, down=True)) <= third <= Fraction(directed_float(third, down=False))


def test_the_command_prints_the_bracket_per_k_and_its_condition(capsys):
    assert main(["bounds", "common-value-auction", "--k", "3,4", "--param", "N=1"]) == 0
    out = capsys.readouterr().out
    assert "certified lower" in out and "certified upper" in out
    assert "arithmetic: exact rationals" in out and "upper end valid for transfers |t| <= t_max =" in out
    assert main(["bounds", "common-value-auction", "--k", "3", "--param", "N=1", "--json"]) == 0
    data = json.loads(capsys.readouterr().out)
    certified = data["certified"]
    assert Fraction(certified["lower"]) <= Fraction(data["analytic"]) <= Fraction(certified["upper"])
    assert certified["contains_analytic"] is True and certified["arithmetic"] == "exact rationals"
    assert data["guarantee"]["certified"]["rounded"] == "down" and data["potential"]["certified"]["rounded"] == "up"
