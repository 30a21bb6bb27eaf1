"""irmd's one LP status vocabulary (:mod:`irmd.status`), and how the finite chain reads a solve.

The adapters themselves are tested once, against reference programs, in tests/lp.
"""
from irmd import status as vocabulary
from irmd.status import LPStatus, Status, demote, translate
from irmd.verify.finite import first_price_auction, guarantee
from irmd.verify.lp import HiGHS

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
    groups = [vocabulary.SOLUTION_PRESENT, vocabulary.INF_OR_UNB, vocabulary.STOPPED, vocabulary.ERROR]
    assert sum(len(g) for g in groups) == len(LPStatus)
    assert set().union(*groups) == set(LPStatus)
    assert vocabulary.SOLUTION_PRESENT == {LPStatus.OPTIMAL, LPStatus.OPTIMAL_INACCURATE}
    assert vocabulary.INACCURATE == {LPStatus.OPTIMAL_INACCURATE, LPStatus.INFEASIBLE_INACCURATE,
                                    LPStatus.UNBOUNDED_INACCURATE}


def test_demote_needs_every_residual_within_the_tolerance():
    assert demote(LPStatus.OPTIMAL, {"primal": 1e-7, "gap": 1e-6}, 1e-6) == (LPStatus.OPTIMAL, "")
    status, why = demote(LPStatus.OPTIMAL, {"primal": 1e-7, "gap": 2e-6}, 1e-6)
    assert status is LPStatus.OPTIMAL_INACCURATE and "gap residual 2.00e-06" in why and "primal" not in why
    assert demote(LPStatus.OPTIMAL, {"dual": float("nan")}, 1e-6)[0] is LPStatus.OPTIMAL_INACCURATE
    assert demote(LPStatus.INFEASIBLE, {"primal": 1.0}, 1e-6) == (LPStatus.INFEASIBLE, "")


def test_an_inaccurate_solve_is_never_a_proof_or_a_confirmation():
    env, mechanism = first_price_auction(10)
    result = guarantee(env, mechanism, solver=HiGHS(tolerance=1e-300))
    assert result.lp_status is LPStatus.OPTIMAL_INACCURATE
    assert "re-check exceeds the tolerance" in result.solution.message
    assert result.status is Status.INCONCLUSIVE


def test_a_stopped_solve_is_inconclusive_without_a_value():
    env, mechanism = first_price_auction(40)
    result = guarantee(env, mechanism, solver=HiGHS(time_limit=1e-6))
    assert result.lp_status is LPStatus.TIME_LIMIT
    assert result.value is None and result.status is Status.INCONCLUSIVE


def test_a_native_status_missing_from_a_map_is_a_solver_error():
    assert translate({"kOptimal": LPStatus.OPTIMAL}, "kOptimal", "status 7: Optimal") == (
        LPStatus.OPTIMAL, "status 7: Optimal")
    assert translate({"kOptimal": LPStatus.OPTIMAL}, "kFuture", "status 999: Future") == (
        LPStatus.SOLVER_ERROR, "unknown status 999: Future")
