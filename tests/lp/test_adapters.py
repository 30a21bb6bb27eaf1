"""One set of reference programs, run against every adapter of the LP core.

Each adapter must return the known optimum and multipliers (in HiGHS's signs), name
infeasible and unbounded programs, pass its own re-check, and honour a time limit.
"""
import clarabel
import highspy
import numpy as np
import pytest
import scipy.sparse as sps

from irmd.errors import InputError
from irmd.status import INF_OR_UNB, SOLUTION_PRESENT, STOPPED, LPStatus
from irmd.verify.lp import (
    CLARABEL_STATUS_MAP,
    HIGHS_STATUS_MAP,
    SOLVERS,
    Clarabel,
    HiGHS,
    LPData,
    RowAssembler,
    highs_status,
    recheck,
    solve,
    solver_named,
)

#: PDLP is a first-order method: its answers are accurate to about 1e-4 only.
ACCURATE = [name for name in SOLVERS if not name.endswith("pdlp")]


def general_lp():
    """min -4x - 5y s.t. 2x + y <= 3, x + 2y <= 3, x, y >= 0: optimum -9 at (1, 1), duals -1 and -2."""
    A = sps.csr_matrix([[2.0, 1.0], [1.0, 2.0]])
    return LPData.from_matrix([-4.0, -5.0], A, [-np.inf] * 2, [3.0, 3.0], np.zeros(2), [np.inf] * 2)


def canonical(cost, rows, rhs, n_eq, sense=1):
    assembler = RowAssembler(len(cost), exact=False)
    for k, (row, b) in enumerate(zip(rows, rhs)):
        assembler.add(f"r{k}", np.array([row], dtype=float), np.arange(len(cost))[None, :], b)
    return assembler.finish(np.array(cost, dtype=float), n_eq, sense)


def canonical_lp():
    """The same program in canonical form: -2x - y >= -3, -x - 2y >= -3; duals +1 and +2."""
    return canonical([-4, -5], [[-2, -1], [-1, -2]], [-3, -3], n_eq=0)


@pytest.mark.parametrize("name", ACCURATE)
def test_general_program_optimum_and_multipliers(name):
    solution = solve(general_lp(), name)
    assert solution.status is LPStatus.OPTIMAL, solution.message
    np.testing.assert_allclose(solution.x, [1, 1], atol=1e-6)
    assert solution.objective == pytest.approx(-9, abs=1e-6)
    np.testing.assert_allclose(solution.row_dual, [-1, -2], atol=1e-5)   # c - A.T y - d = 0
    assert solution.recheck.passed and solution.solver == name


def test_clarabel_without_equilibration_keeps_the_optimum_and_multipliers():
    adapter = Clarabel(equilibrate=False)
    assert adapter._settings().equilibrate_enable is False and Clarabel()._settings().equilibrate_enable is True
    solution = solve(general_lp(), "clarabel", equilibrate=False)
    assert solution.status is LPStatus.OPTIMAL, solution.message
    np.testing.assert_allclose(solution.x, [1, 1], atol=1e-6)
    np.testing.assert_allclose(solution.row_dual, [-1, -2], atol=1e-5)


@pytest.mark.parametrize("name", ACCURATE)
def test_canonical_program_duals_are_the_canonical_y(name):
    solution = solve(canonical_lp(), name)
    assert solution.status is LPStatus.OPTIMAL, solution.message
    np.testing.assert_allclose(solution.row_dual, [1, 2], atol=1e-5)      # >= rows: y >= 0
    np.testing.assert_allclose(solution.col_dual, [0, 0], atol=1e-5)      # the reduced costs
    assert max(solution.residuals.values()) < 1e-6


@pytest.mark.parametrize("name", ACCURATE)
def test_maximisation_is_reported_in_its_own_sign(name):
    lp = canonical([-1, -2], [[1, 1]], [1], n_eq=1, sense=-1)      # max x + 2y s.t. x + y = 1
    assert solve(lp, name).objective == pytest.approx(2, abs=1e-6)


@pytest.mark.parametrize("name", SOLVERS)
def test_infeasible_program_is_named(name):
    lp = LPData.from_matrix([1.0], sps.csr_matrix([[1.0], [1.0]]), [2.0, -np.inf], [np.inf, 1.0], [0.0], [np.inf])
    solution = solve(lp, name)
    assert solution.status in INF_OR_UNB, solution.message
    assert solution.x is None and not solution.has_solution


@pytest.mark.parametrize("name", SOLVERS)
def test_unbounded_program_is_named(name):
    lp = LPData.from_matrix([-1.0, 0.0], sps.csr_matrix([[1.0, -1.0]]), [-np.inf], [1.0], np.zeros(2), [np.inf] * 2)
    solution = solve(lp, name)
    assert solution.status in INF_OR_UNB, solution.message
    assert not solution.has_solution


def _large_lp(n=400, seed=0):
    """A dense random LP that no adapter solves in a microsecond."""
    rng = np.random.default_rng(seed)
    A = rng.uniform(0.1, 1.0, (n, n))
    return LPData.from_matrix(-rng.uniform(1, 2, n), sps.csr_matrix(A), [-np.inf] * n, np.ones(n), np.zeros(n),
                              [np.inf] * n)


@pytest.mark.parametrize("name", SOLVERS)
def test_a_time_limit_stops_the_solve(name):
    solution = solver_named(name, time_limit=1e-6).solve(_large_lp())
    assert solution.status in STOPPED, solution.message
    assert solution.x is None


def test_a_method_named_by_the_caller_is_kept():
    default = HiGHS(time_limit=5.0)
    assert default.method == "simplex" and not default.method_chosen
    chosen = default.for_program("ipm")
    assert chosen.method == "ipm" and chosen.time_limit == 5.0 and chosen.solve(canonical_lp()).solver == "highs-ipm"
    named = HiGHS("simplex")
    assert named.for_program("ipm") is named


@pytest.mark.parametrize("factorisation", ["qdldl", "faer"])
def test_both_clarabel_factorisations_solve_the_same_program(factorisation):
    reference = HiGHS("simplex").solve(general_lp())
    solution = Clarabel(factorisation=factorisation).solve(general_lp())
    assert solution.status is LPStatus.OPTIMAL
    assert abs(solution.objective - reference.objective) < 1e-7


def test_an_unknown_clarabel_factorisation_is_refused():
    with pytest.raises(ValueError, match="factorisation"):
        Clarabel(factorisation="cholmod")


def test_only_simplex_returns_a_basis():
    assert HiGHS("simplex").solve(canonical_lp()).basis is not None
    assert HiGHS("ipm").solve(canonical_lp()).basis is None
    assert Clarabel().solve(canonical_lp()).basis is None


def test_a_tolerance_below_the_arithmetic_demotes_optimal():
    lp = canonical([1.0], [[49.0]], [1.0], n_eq=1)        # 49 * fl(1/49) = 1 - 2**-53 in floats
    solution = HiGHS(tolerance=1e-300).solve(lp)
    assert solution.status is LPStatus.OPTIMAL_INACCURATE
    assert "re-check exceeds the tolerance" in solution.message


def test_recheck_sees_a_wrong_point_wrong_duals_and_a_gap():
    for lp, y in ((general_lp(), np.array([-1.0, -2.0])), (canonical_lp(), np.array([1.0, 2.0]))):
        good = recheck(lp, np.array([1.0, 1.0]), y, None)
        assert good.passed and max(good.residuals.values()) < 1e-12
        assert recheck(lp, np.array([1.5, 1.0]), y, None).primal_residual > 0.1
        assert recheck(lp, np.array([1.0, 1.0]), -y, None).dual_residual > 0.1
        gap = recheck(lp, np.array([0.0, 0.0]), y, None)
        assert gap.gap > 0.5 and gap.complementarity > 0.5 and not gap.passed


def test_exact_programs_are_refused_by_float_adapters():
    assembler = RowAssembler(1, exact=True)
    assembler.add("r", np.array([[1]], dtype=object), np.array([[0]]), 1)
    exact = assembler.finish(np.array([1], dtype=object), 1)
    assert exact.exact and exact.is_canonical
    for adapter in (HiGHS(), Clarabel()):
        with pytest.raises(TypeError):
            adapter.solve(exact)


def test_unknown_solver_is_an_input_error():
    with pytest.raises(InputError):
        solve(general_lp(), "gurobi")


# -- status maps -----------------------------------------------------------------------------
def test_status_maps_are_complete():
    assert set(highspy.HighsModelStatus.__members__) <= set(HIGHS_STATUS_MAP)
    names = {name for name in dir(clarabel.SolverStatus) if not name.startswith("_") and name[0].isupper()}
    assert names <= set(CLARABEL_STATUS_MAP)
    assert set(HIGHS_STATUS_MAP.values()) | set(CLARABEL_STATUS_MAP.values()) <= set(LPStatus)
    assert HIGHS_STATUS_MAP["kOptimal"] is LPStatus.OPTIMAL
    assert HIGHS_STATUS_MAP["kTimeLimit"] is LPStatus.TIME_LIMIT
    assert HIGHS_STATUS_MAP["kUnboundedOrInfeasible"] is LPStatus.INFEASIBLE_OR_UNBOUNDED
    assert CLARABEL_STATUS_MAP["AlmostSolved"] is LPStatus.OPTIMAL_INACCURATE   # reduced accuracy is not optimal
    assert CLARABEL_STATUS_MAP["AlmostPrimalInfeasible"] is LPStatus.INFEASIBLE_INACCURATE
    assert CLARABEL_STATUS_MAP["MaxTime"] is LPStatus.TIME_LIMIT
    assert LPStatus.OPTIMAL_INACCURATE in SOLUTION_PRESENT


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


def test_both_program_families_use_the_core():
    from irmd.verify import bounding, finite, lp

    assert finite.LPStatus is bounding.LPStatus is LPStatus
    assert finite.LPData is lp.LPData and finite.HiGHS is lp.HiGHS
