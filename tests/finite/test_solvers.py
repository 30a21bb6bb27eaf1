"""The HiGHS adapter: complete status map, reference LPs with known duals, re-check and demotion.

Also irmd's one LP status vocabulary (:mod:`irmd.lp_status`), which both LP areas share.
"""
import highspy
import numpy as np
import pytest

from irmd import lp_status
from irmd.lp_status import LPStatus, demote, highs_status, translate
from irmd.verify.finite.lp import RowAssembler
from irmd.verify.finite.solvers import HIGHS, STATUS_MAP, recheck


def canonical(cost, rows, rhs, n_eq, sense=1):
    assembler = RowAssembler(len(cost), exact=False)
    for k, (row, b) in enumerate(zip(rows, rhs)):
        assembler.add(f"r{k}", np.array([row], dtype=float), np.arange(len(cost))[None, :], b)
    return assembler.finish(np.array(cost, dtype=float), n_eq, sense)


# the vocabulary: these strings are what the JSON and the command line print
VALUES = {
    "OPTIMAL": "optimal",
    "OPTIMAL_INACCURATE": "optimal (reduced accuracy)",
    "INFEASIBLE": "infeasible",
    "INFEASIBLE_INACCURATE": "infeasible (reduced accuracy)",
    "UNBOUNDED": "unbounded",
    "UNBOUNDED_INACCURATE": "unbounded (reduced accuracy)",
    "INFEASIBLE_OR_UNBOUNDED": "infeasible or unbounded",
    "TIME_LIMIT": "stopped at the time limit",
    "ITERATION_LIMIT": "stopped at the iteration limit",
    "USER_LIMIT": "stopped at a user limit",
    "INTERRUPTED": "interrupted",
    "NOT_SOLVED": "not solved",
    "SOLVER_ERROR": "solver error",
}


def test_lp_status_members_and_printed_values():
    assert {s.name: s.value for s in LPStatus} == VALUES
    assert all(str(s) == s.value and isinstance(s, str) for s in LPStatus)


def test_groups_partition_the_statuses():
    groups = [lp_status.SOLUTION_PRESENT, lp_status.INF_OR_UNB, lp_status.STOPPED, lp_status.ERROR]
    assert sum(len(g) for g in groups) == len(LPStatus)
    assert set().union(*groups) == set(LPStatus)
    assert lp_status.SOLUTION_PRESENT == {LPStatus.OPTIMAL, LPStatus.OPTIMAL_INACCURATE}
    assert lp_status.INACCURATE == {LPStatus.OPTIMAL_INACCURATE, LPStatus.INFEASIBLE_INACCURATE,
                                    LPStatus.UNBOUNDED_INACCURATE}


def test_both_lp_areas_speak_the_same_vocabulary():
    from irmd.verify import bounding, finite
    from irmd.verify.bounding import solvers as bounding_solvers

    assert finite.LPStatus is bounding.LPStatus is LPStatus
    assert bounding_solvers.HIGHS_STATUS_MAP is STATUS_MAP   # one HiGHS map for both HiGHS adapters


def test_status_map_covers_every_highs_model_status():
    assert set(highspy.HighsModelStatus.__members__) <= set(STATUS_MAP)
    assert set(STATUS_MAP.values()) <= set(LPStatus)
    assert STATUS_MAP["kOptimal"] is LPStatus.OPTIMAL
    assert STATUS_MAP["kTimeLimit"] is LPStatus.TIME_LIMIT
    assert STATUS_MAP["kIterationLimit"] is LPStatus.ITERATION_LIMIT
    assert STATUS_MAP["kUnboundedOrInfeasible"] is LPStatus.INFEASIBLE_OR_UNBOUNDED


class _FutureHighs:
    """A Highs whose model status is a code this irmd has never heard of."""

    class _Status:
        name = "kFuture"

        def __int__(self):
            return 999

    def getModelStatus(self):
        return self._Status()

    def modelStatusToString(self, status):
        return "Future"


def test_unknown_native_code_becomes_solver_error_with_the_code():
    status, message, code = highs_status(_FutureHighs())
    assert status is LPStatus.SOLVER_ERROR
    assert code == 999 and "999" in message and "Future" in message
    assert translate({"kOptimal": LPStatus.OPTIMAL}, "kFuture", "status 999: Future") == (
        LPStatus.SOLVER_ERROR, "unknown status 999: Future")


def test_demote_needs_every_residual_within_the_tolerance():
    assert demote(LPStatus.OPTIMAL, {"primal": 1e-7, "gap": 1e-6}, 1e-6) == (LPStatus.OPTIMAL, "")
    status, why = demote(LPStatus.OPTIMAL, {"primal": 1e-7, "gap": 2e-6}, 1e-6)
    assert status is LPStatus.OPTIMAL_INACCURATE and "gap residual 2.00e-06" in why and "primal" not in why
    assert demote(LPStatus.OPTIMAL, {"dual": float("nan")}, 1e-6)[0] is LPStatus.OPTIMAL_INACCURATE
    assert demote(LPStatus.INFEASIBLE, {"primal": 1.0}, 1e-6) == (LPStatus.INFEASIBLE, "")


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
