"""Reference LPs with known optimum and multipliers, run against every adapter."""
import numpy as np
import pytest
import scipy.sparse as sps

from irmd.lp_status import SOLUTION_PRESENT, LPStatus
from irmd.verify.bounding.solvers import CLARABEL_STATUS_MAP, HIGHS_STATUS_MAP, LPData, recheck, solve

SOLVERS = ["clarabel", "highs-ipm", "highs-simplex"]


def lp_1():
    """min -4x - 5y s.t. 2x + y <= 3, x + 2y <= 3, x, y >= 0: optimum -9 at (1, 1), duals 1 and 2."""
    A = sps.csr_matrix([[2.0, 1.0], [1.0, 2.0]])
    return LPData(np.array([-4.0, -5.0]), A, np.full(2, -np.inf), np.array([3.0, 3.0]), np.zeros(2),
                  np.full(2, np.inf))


@pytest.mark.parametrize("solver", SOLVERS)
def test_reference_lp_primal_and_duals(solver):
    sol = solve(lp_1(), solver)
    assert sol.status is LPStatus.OPTIMAL, sol.message
    assert np.allclose(sol.x, [1, 1], atol=1e-6)
    assert np.isclose(sol.objective, -9, atol=1e-6)
    # HiGHS sign convention (c - A.T y - d = 0): the <= rows carry y = -1 and -2.
    assert np.allclose(sol.row_dual, [-1, -2], atol=1e-5)
    assert sol.recheck.passed


@pytest.mark.parametrize("solver", SOLVERS)
def test_infeasible_lp_is_reported_as_such(solver):
    A = sps.csr_matrix([[1.0], [1.0]])
    lp = LPData(np.array([1.0]), A, np.array([2.0, -np.inf]), np.array([np.inf, 1.0]), np.zeros(1), np.full(1, np.inf))
    sol = solve(lp, solver)
    assert sol.status in (LPStatus.INFEASIBLE, LPStatus.INFEASIBLE_OR_UNBOUNDED, LPStatus.INFEASIBLE_INACCURATE)
    assert sol.x is None


@pytest.mark.parametrize("solver", SOLVERS)
def test_unbounded_lp_is_reported_as_such(solver):
    A = sps.csr_matrix([[1.0, -1.0]])
    lp = LPData(np.array([-1.0, 0.0]), A, np.array([-np.inf]), np.array([1.0]), np.zeros(2), np.full(2, np.inf))
    sol = solve(lp, solver)
    assert sol.status in (LPStatus.UNBOUNDED, LPStatus.INFEASIBLE_OR_UNBOUNDED, LPStatus.UNBOUNDED_INACCURATE)


def test_status_maps_are_complete():
    import clarabel
    import highspy

    highs = HIGHS_STATUS_MAP
    for name in dir(highspy.HighsModelStatus):
        member = getattr(highspy.HighsModelStatus, name)
        if isinstance(member, highspy.HighsModelStatus):
            assert name in highs, name
    clar = CLARABEL_STATUS_MAP
    for name in dir(clarabel.SolverStatus):
        if not name.startswith("_") and name[0].isupper():
            assert name in clar, name
    assert clar["AlmostSolved"] is LPStatus.OPTIMAL_INACCURATE  # reduced accuracy is not optimal
    assert clar["AlmostPrimalInfeasible"] is LPStatus.INFEASIBLE_INACCURATE
    assert clar["AlmostDualInfeasible"] is LPStatus.UNBOUNDED_INACCURATE
    assert clar["MaxTime"] is LPStatus.TIME_LIMIT and clar["MaxIterations"] is LPStatus.ITERATION_LIMIT
    assert set(highs.values()) | set(clar.values()) <= set(LPStatus)


def test_recheck_catches_a_wrong_point_and_wrong_duals():
    lp = lp_1()
    bad = recheck(lp, np.array([1.5, 1.0]), np.array([-1.0, -2.0]), np.zeros(2), 1e-6)
    assert bad.primal_residual > 0.1 and not bad.passed
    wrong_duals = recheck(lp, np.array([1.0, 1.0]), np.array([1.0, -2.0]), np.zeros(2), 1e-6)
    assert wrong_duals.dual_residual > 0.1 and not wrong_duals.passed
    good = recheck(lp, np.array([1.0, 1.0]), np.array([-1.0, -2.0]), np.zeros(2), 1e-6)
    assert good.passed


def test_unknown_solver_is_an_input_error():
    from irmd.errors import InputError

    with pytest.raises(InputError):
        solve(lp_1(), "gurobi")
    assert LPStatus.OPTIMAL_INACCURATE not in {LPStatus.OPTIMAL} and LPStatus.OPTIMAL_INACCURATE in SOLUTION_PRESENT
