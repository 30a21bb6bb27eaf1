"""The HiGHS adapter: canonical LP in, checked :class:`LPSolution` out.

HiGHS is the last link of every chain.  Its model status is translated through a
complete :data:`STATUS_MAP`; a code missing from the map becomes
:attr:`LPStatus.SOLVER_ERROR` with the native code in the message.  Whatever HiGHS
says, the primal and dual solutions are re-checked here (primal residuals, dual
feasibility, complementary slackness, duality gap) and "optimal" is demoted to
:attr:`LPStatus.OPTIMAL_INACCURATE` when a check fails, as scipy's
``_check_result`` does.
"""
from __future__ import annotations

import contextlib
import os
import sys
import time
from dataclasses import dataclass, field
from enum import Enum

import numpy as np

from .lp import LPData

#: Default absolute tolerance of the re-check (HiGHS's own feasibility tolerances are 1e-7).
RECHECK_TOLERANCE = 1e-6


class LPStatus(str, Enum):
    OPTIMAL = "optimal"
    OPTIMAL_INACCURATE = "optimal_inaccurate"
    INFEASIBLE = "infeasible"
    UNBOUNDED = "unbounded"
    INFEASIBLE_OR_UNBOUNDED = "infeasible_or_unbounded"
    TIME_LIMIT = "time_limit"
    ITERATION_LIMIT = "iteration_limit"
    USER_LIMIT = "user_limit"
    INTERRUPTED = "interrupted"
    NOT_SOLVED = "not_solved"
    SOLVER_ERROR = "solver_error"

    def __str__(self) -> str:
        return self.value


SOLUTION_PRESENT = frozenset({LPStatus.OPTIMAL, LPStatus.OPTIMAL_INACCURATE})
INF_OR_UNB = frozenset({LPStatus.INFEASIBLE, LPStatus.UNBOUNDED, LPStatus.INFEASIBLE_OR_UNBOUNDED})

#: HiGHS ``HighsModelStatus`` codes (highspy 1.7 to 1.16) to :class:`LPStatus`.
STATUS_MAP = {
    0: LPStatus.NOT_SOLVED,               # kNotset
    1: LPStatus.SOLVER_ERROR,             # kLoadError
    2: LPStatus.SOLVER_ERROR,             # kModelError
    3: LPStatus.SOLVER_ERROR,             # kPresolveError
    4: LPStatus.SOLVER_ERROR,             # kSolveError
    5: LPStatus.SOLVER_ERROR,             # kPostsolveError
    6: LPStatus.OPTIMAL,                  # kModelEmpty: nothing to optimise, re-checked like any other
    7: LPStatus.OPTIMAL,                  # kOptimal
    8: LPStatus.INFEASIBLE,               # kInfeasible
    9: LPStatus.INFEASIBLE_OR_UNBOUNDED,  # kUnboundedOrInfeasible
    10: LPStatus.UNBOUNDED,               # kUnbounded
    11: LPStatus.USER_LIMIT,              # kObjectiveBound
    12: LPStatus.USER_LIMIT,              # kObjectiveTarget
    13: LPStatus.TIME_LIMIT,              # kTimeLimit
    14: LPStatus.ITERATION_LIMIT,         # kIterationLimit
    15: LPStatus.SOLVER_ERROR,            # kUnknown
    16: LPStatus.USER_LIMIT,              # kSolutionLimit
    17: LPStatus.INTERRUPTED,             # kInterrupt
    18: LPStatus.SOLVER_ERROR,            # kMemoryLimit
    19: LPStatus.INTERRUPTED,             # kHighsInterrupt
}

#: HiGHS ``HighsBasisStatus``: the only one the exact certificate needs is BASIC.
BASIS_BASIC = 1


def translate_status(code: int, name: str = "") -> tuple[LPStatus, str]:
    """Map a native HiGHS model status; unknown codes become SOLVER_ERROR, code kept in the message."""
    label = f"(HiGHS status {code}: {name})" if name else f"(HiGHS status {code})"
    status = STATUS_MAP.get(int(code))
    if status is None:
        return LPStatus.SOLVER_ERROR, f"unknown HiGHS model status {label}"
    return status, label


@dataclass(frozen=True, eq=False)
class LPSolution:
    """Solution of a canonical program, with re-check residuals.

    ``objective`` is in the original sense (``lp.sense * c @ x``); ``y`` are the
    canonical duals (free on equalities, >= 0 on inequalities); ``basis`` is
    ``(col_status, row_status)`` as HiGHS integer codes, or None.
    """

    status: LPStatus
    objective: float | None
    x: np.ndarray | None
    y: np.ndarray | None
    reduced_costs: np.ndarray | None
    basis: tuple[np.ndarray, np.ndarray] | None
    message: str
    native_status: int
    iterations: int = 0
    solve_seconds: float = 0.0
    residuals: dict = field(default_factory=dict)
    tolerance: float = RECHECK_TOLERANCE

    @property
    def has_solution(self) -> bool:
        return self.status in SOLUTION_PRESENT


def recheck(lp: LPData, x: np.ndarray, y: np.ndarray) -> dict[str, float]:
    """Residuals of a primal-dual pair of a float canonical program.

    Returns ``primal`` (equality/inequality/bound violation), ``dual`` (negative
    reduced costs and negative inequality duals), ``complementarity``
    (largest ``|x_j d_j|`` and ``|y_r s_r|``) and ``gap`` (``|c@x - b@y|``
    relative to ``1 + |c@x|``).
    """
    A = lp.matrix()
    activity = A @ x
    slack = activity - lp.rhs
    neq = lp.n_equalities
    primal = max(np.max(np.abs(slack[:neq]), initial=0.0), np.max(-slack[neq:], initial=0.0),
                 np.max(-x, initial=0.0))
    reduced = lp.cost - A.T @ y
    dual = max(np.max(-reduced, initial=0.0), np.max(-y[neq:], initial=0.0))
    complementarity = max(np.max(np.abs(x * reduced), initial=0.0),
                          np.max(np.abs(y[neq:] * slack[neq:]), initial=0.0))
    primal_value, dual_value = float(lp.cost @ x), float(lp.rhs @ y)
    gap = abs(primal_value - dual_value) / (1.0 + abs(primal_value))
    return {"primal": float(primal), "dual": float(dual), "complementarity": float(complementarity), "gap": float(gap)}


@contextlib.contextmanager
def _quiet_stdout():
    """HiGHS prints a banner on stdout from C++ when first constructed; keep stdout clean for --json."""
    try:
        sys.stdout.flush()
        saved = os.dup(1)
    except (OSError, ValueError):  # no real file descriptor (e.g. some notebook front ends)
        yield
        return
    devnull = os.open(os.devnull, os.O_WRONLY)
    try:
        os.dup2(devnull, 1)
        yield
    finally:
        os.dup2(saved, 1)
        os.close(saved)
        os.close(devnull)


class HIGHS:
    """HiGHS through ``highspy`` (dual simplex by default, so that a basis is available)."""

    name = "highs"

    def __init__(self, time_limit: float | None = None, tolerance: float = RECHECK_TOLERANCE,
                 solver: str = "simplex", threads: int | None = None):
        self.time_limit = time_limit
        self.tolerance = tolerance
        self.solver = solver
        self.threads = threads

    def _model(self, lp: LPData):
        import highspy

        inf = highspy.kHighsInf
        model = highspy.HighsLp()
        model.num_col_ = lp.n_cols
        model.num_row_ = lp.n_rows
        model.col_cost_ = np.ascontiguousarray(lp.cost, dtype=np.float64)
        model.col_lower_ = np.zeros(lp.n_cols)
        model.col_upper_ = np.full(lp.n_cols, inf)
        rhs = np.ascontiguousarray(lp.rhs, dtype=np.float64)
        upper = rhs.copy()
        upper[lp.n_equalities:] = inf
        model.row_lower_ = rhs
        model.row_upper_ = upper
        model.a_matrix_.format_ = highspy.MatrixFormat.kRowwise
        model.a_matrix_.start_ = np.ascontiguousarray(lp.indptr, dtype=np.int32)
        model.a_matrix_.index_ = np.ascontiguousarray(lp.indices, dtype=np.int32)
        model.a_matrix_.value_ = np.ascontiguousarray(lp.data, dtype=np.float64)
        return model

    def solve(self, lp: LPData) -> LPSolution:
        """Solve a float canonical program and re-check the answer."""
        import highspy

        if lp.exact:
            raise TypeError("HiGHS solves float programs; build the program with exact=False")
        with _quiet_stdout():
            highs = highspy.Highs()
        highs.setOptionValue("output_flag", False)
        highs.setOptionValue("solver", self.solver)
        if self.time_limit is not None:
            highs.setOptionValue("time_limit", float(self.time_limit))
        if self.threads is not None:
            highs.setOptionValue("threads", int(self.threads))
        start = time.perf_counter()
        highs.passModel(self._model(lp))
        highs.run()
        seconds = time.perf_counter() - start
        code = int(highs.getModelStatus())
        status, message = translate_status(code, highs.modelStatusToString(highs.getModelStatus()))
        iterations = int(highs.getInfo().simplex_iteration_count)
        if status not in SOLUTION_PRESENT:
            return LPSolution(status, None, None, None, None, None, message, code, iterations, seconds,
                              tolerance=self.tolerance)
        solution = highs.getSolution()
        if not (solution.value_valid and solution.dual_valid):
            return LPSolution(LPStatus.SOLVER_ERROR, None, None, None, None, None,
                              f"HiGHS reported optimal without a primal-dual pair {message}", code, iterations,
                              seconds, tolerance=self.tolerance)
        x = np.asarray(solution.col_value, dtype=np.float64)
        y = np.asarray(solution.row_dual, dtype=np.float64)
        basis = None
        highs_basis = highs.getBasis()
        if highs_basis.valid:
            basis = (np.array([int(s) for s in highs_basis.col_status], dtype=np.int8),
                     np.array([int(s) for s in highs_basis.row_status], dtype=np.int8))
        residuals = recheck(lp, x, y)
        failing = [f"{name} residual {value:.2e}" for name, value in residuals.items() if value > self.tolerance]
        if failing:
            status = LPStatus.OPTIMAL_INACCURATE
            message = (f"HiGHS reported optimal {message}, but the re-check exceeds the tolerance "
                       f"{self.tolerance:.1e}: " + ", ".join(failing))
        objective = lp.sense * float(lp.cost @ x)
        return LPSolution(status, objective, x, y, lp.cost - lp.matrix().T @ y, basis, message, code, iterations,
                          seconds, residuals, self.tolerance)
