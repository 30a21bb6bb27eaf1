"""The HiGHS adapter: complete status map, reference LPs with known duals, re-check and demotion."""
import highspy
import numpy as np
import pytest

from irmd.verify.finite.lp import RowAssembler
from irmd.verify.finite.solvers import HIGHS, STATUS_MAP, LPStatus, recheck, translate_status


def canonical(cost, rows, rhs, n_eq, sense=1):
    assembler = RowAssembler(len(cost), exact=False)
    for k, (row, b) in enumerate(zip(rows, rhs)):
        assembler.add(f"r{k}", np.array([row], dtype=float), np.arange(len(cost))[None, :], b)
    return assembler.finish(np.array(cost, dtype=float), n_eq, sense)


def test_status_map_covers_every_highs_model_status():
    native = {int(s) for s in highspy.HighsModelStatus.__members__.values()}
    assert native <= set(STATUS_MAP)
    assert set(STATUS_MAP.values()) <= set(LPStatus)


def test_unknown_native_code_becomes_solver_error_with_the_code():
    status, message = translate_status(999, "kFuture")
    assert status is LPStatus.SOLVER_ERROR
    assert "999" in message


def test_reference_lp_with_known_duals():
    # min -4x - 5y  s.t.  2x + y <= 3  (-2x - y >= -3),  x + 2y <= 3  (-x - 2y >= -3): optimum -9 at (1, 1)
    lp = canonical([-4, -5], [[-2, -1], [-1, -2]], [-3, -3], n_eq=0)
    solution = HIGHS().solve(lp)
    assert solution.status is LPStatus.OPTIMAL
    assert solution.objective == pytest.approx(-9)
    np.testing.assert_allclose(solution.x, [1, 1], atol=1e-9)
    np.testing.assert_allclose(solution.y, [1, 2], atol=1e-9)   # duals of the >= rows, non-negative
    assert max(solution.residuals.values()) < 1e-9


def test_maximisation_sense_is_reported_in_original_sign():
    lp = canonical([-1, -1], [[1, 1]], [1], n_eq=1, sense=-1)    # max x + y s.t. x + y = 1
    assert HIGHS().solve(lp).objective == pytest.approx(1)


def test_infeasible_and_unbounded_are_named():
    infeasible = canonical([1], [[1], [-1]], [2, -1], n_eq=0)       # x >= 2 and x <= 1
    assert HIGHS().solve(infeasible).status in (LPStatus.INFEASIBLE, LPStatus.INFEASIBLE_OR_UNBOUNDED)
    unbounded = canonical([-1], [[1]], [0], n_eq=0)                  # min -x, x >= 0
    result = HIGHS().solve(unbounded)
    assert result.status in (LPStatus.UNBOUNDED, LPStatus.INFEASIBLE_OR_UNBOUNDED)
    assert result.x is None and not result.has_solution


def test_recheck_sees_a_wrong_pair():
    lp = canonical([-4, -5], [[-2, -1], [-1, -2]], [-3, -3], n_eq=0)
    good = recheck(lp, np.array([1.0, 1.0]), np.array([1.0, 2.0]))
    assert max(good.values()) < 1e-12
    bad_primal = recheck(lp, np.array([1.5, 1.0]), np.array([1.0, 2.0]))
    assert bad_primal["primal"] == pytest.approx(1.0)
    bad_dual = recheck(lp, np.array([1.0, 1.0]), np.array([-1.0, 2.0]))
    assert bad_dual["dual"] > 0.5
    gap = recheck(lp, np.array([0.0, 0.0]), np.array([1.0, 2.0]))
    assert gap["gap"] > 0.5 and gap["complementarity"] > 0.5


def test_tiny_tolerance_demotes_optimal():
    from irmd.verify.finite import first_price_auction, guarantee

    env, mechanism = first_price_auction(10)
    result = guarantee(env, mechanism, solver=HIGHS(tolerance=1e-30))
    if max(result.solution.residuals.values()) > 1e-30:   # HiGHS's answer is not exact to 1e-30
        assert result.lp_status is LPStatus.OPTIMAL_INACCURATE
        assert "re-check exceeds the tolerance" in result.solution.message
        assert str(result.status) == "inconclusive"


def test_time_limit_is_passed_to_highs():
    from irmd.verify.finite import first_price_auction, guarantee

    env, mechanism = first_price_auction(40)
    result = guarantee(env, mechanism, solver=HIGHS(time_limit=1e-4))
    assert result.lp_status in (LPStatus.TIME_LIMIT, LPStatus.OPTIMAL)
    if result.lp_status is LPStatus.TIME_LIMIT:
        assert result.value is None and str(result.status) == "inconclusive"
