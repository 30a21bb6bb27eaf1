"""The HiGHS adapter: canonical LP in, checked :class:`LPSolution` out.

HiGHS is the last link of every chain.  Its model status is translated through the
complete :data:`STATUS_MAP` shared with the bounding programs' HiGHS adapter
(:data:`irmd.lp_status.HIGHS_STATUS_MAP`); a status missing from the map becomes
:attr:`LPStatus.SOLVER_ERROR` with the native code in the message.  Whatever HiGHS
says, the primal and dual solutions are re-checked here (primal residuals, dual
feasibility, complementary slackness, duality gap) and "optimal" is demoted to
:attr:`LPStatus.OPTIMAL_INACCURATE` when a check fails, as scipy's
``_check_result`` does.
"""
from __future__ import annotations

import time
from dataclasses import dataclass, field

import highspy
import numpy as np

from irmd.lp_status import HIGHS_STATUS_MAP, SOLUTION_PRESENT, LPStatus, demote, highs_instance, highs_status

from .lp import LPData

#: Default absolute tolerance of the re-check (HiGHS's own feasibility tolerances are 1e-7).
RECHECK_TOLERANCE = 1e-6

#: HiGHS ``HighsModelStatus`` names to :class:`LPStatus` (complete; shared with the bounding programs).
STATUS_MAP = HIGHS_STATUS_MAP

#: HiGHS ``HighsBasisStatus``: the only one the exact certificate needs is BASIC.
BASIS_BASIC = 1


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
        if lp.exact:
            raise TypeError("HiGHS solves float programs; build the program with exact=False")
        highs = highs_instance(self.solver, self.time_limit, self.threads)
        start = time.perf_counter()
        highs.passModel(self._model(lp))
        highs.run()
        seconds = time.perf_counter() - start
        status, label, code = highs_status(highs)
        message = f"(HiGHS {label})"
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
        status, why = demote(status, residuals, self.tolerance)
        if why:
            message = f"HiGHS reported optimal {message}, but {why}"
        objective = lp.sense * float(lp.cost @ x)
        return LPSolution(status, objective, x, y, lp.cost - lp.matrix().T @ y, basis, message, code, iterations,
                          seconds, residuals, self.tolerance)
