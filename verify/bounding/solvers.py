r"""Linear programs in one form, solved by HiGHS (highspy) or Clarabel.

An :class:`LPData` is ``minimize c @ x + offset`` subject to
``row_lower <= A @ x <= row_upper`` and ``col_lower <= x <= col_upper`` (``±inf``
allowed).  Each adapter maps its solver's native status to irmd's
:class:`~irmd.lp_status.LPStatus` through a complete status map
(:data:`HIGHS_STATUS_MAP`, shared with the finite LPs' HiGHS adapter, and
:data:`CLARABEL_STATUS_MAP`); a status missing from the map becomes
:attr:`LPStatus.SOLVER_ERROR` with the native name in the message.  The adapters
then *re-check* what the solver returned (primal residuals, dual feasibility of the
row and column multipliers, duality gap, all relative to the data's scale) and
demote ``optimal`` to ``optimal (reduced accuracy)`` when the re-check fails, as
scipy's ``_check_result`` does.

Dual signs are normalised once, here: ``row_dual`` and ``col_dual`` follow HiGHS,
``c - A.T @ row_dual - col_dual = 0`` with positive multipliers on active lower
bounds of a minimisation.
"""
from __future__ import annotations

import os
import time
from dataclasses import dataclass, field

import clarabel
import highspy
import numpy as np
import scipy.sparse as sps

from irmd.errors import ParameterError
from irmd.lp_status import (  # noqa: F401  (HIGHS_STATUS_MAP: this adapter's map, shared with the finite LPs)
    HIGHS_STATUS_MAP,
    SOLUTION_PRESENT,
    LPStatus,
    demote,
    highs_instance,
    highs_status,
    translate,
)

SOLVERS = ("highs-ipm", "highs-simplex", "highs-pdlp", "clarabel")


@dataclass(frozen=True)
class LPData:
    """``min c @ x + offset`` s.t. ``row_lower <= A x <= row_upper``, ``col_lower <= x <= col_upper``."""

    c: np.ndarray
    A: sps.csr_matrix
    row_lower: np.ndarray
    row_upper: np.ndarray
    col_lower: np.ndarray
    col_upper: np.ndarray
    offset: float = 0.0

    @property
    def shape(self) -> tuple[int, int]:
        return self.A.shape


@dataclass(frozen=True)
class Recheck:
    """What the adapter recomputed from the returned point and multipliers."""

    primal_residual: float
    dual_residual: float
    gap: float
    objective: float
    tolerance: float

    @property
    def residuals(self) -> dict[str, float]:
        return {"primal": self.primal_residual, "dual": self.dual_residual, "gap": self.gap}

    @property
    def passed(self) -> bool:
        return all(value <= self.tolerance for value in self.residuals.values())


@dataclass(frozen=True)
class LPSolution:
    status: LPStatus
    message: str
    solver: str
    x: np.ndarray | None = None
    row_dual: np.ndarray | None = None
    col_dual: np.ndarray | None = None
    objective: float | None = None
    seconds: float = 0.0
    iterations: int = 0
    recheck: Recheck | None = field(default=None)


def _relative(values: np.ndarray, scale: np.ndarray) -> float:
    if values.size == 0:
        return 0.0
    return float(np.max(values / (1.0 + np.abs(scale))))


def recheck(lp: LPData, x: np.ndarray, row_dual: np.ndarray | None, col_dual: np.ndarray | None,
            tolerance: float) -> Recheck:
    """Residuals of a claimed optimum, relative to ``1 + |bound|``.

    The dual residual measures multipliers of the wrong sign on infinite bounds and
    the stationarity ``c - A.T y - d``; the gap compares the primal objective with the
    dual objective built from the same multipliers.
    """
    ax = lp.A @ x
    with np.errstate(invalid="ignore"):
        low = np.where(np.isfinite(lp.row_lower), lp.row_lower - ax, 0.0)
        high = np.where(np.isfinite(lp.row_upper), ax - lp.row_upper, 0.0)
        clow = np.where(np.isfinite(lp.col_lower), lp.col_lower - x, 0.0)
        chigh = np.where(np.isfinite(lp.col_upper), x - lp.col_upper, 0.0)
    finite = lambda v: np.where(np.isfinite(v), v, 0.0)  # noqa: E731
    primal = max(_relative(np.maximum(low, 0), finite(lp.row_lower)),
                 _relative(np.maximum(high, 0), finite(lp.row_upper)),
                 _relative(np.maximum(clow, 0), finite(lp.col_lower)),
                 _relative(np.maximum(chigh, 0), finite(lp.col_upper)))
    objective = float(lp.c @ x + lp.offset)
    if row_dual is None:
        return Recheck(primal, 0.0, 0.0, objective, tolerance)
    if col_dual is None:
        col_dual = lp.c - lp.A.T @ row_dual
    stationarity = lp.c - lp.A.T @ row_dual - col_dual
    scale = 1.0 + float(np.max(np.abs(lp.c))) if lp.c.size else 1.0

    def split(y, lower, upper):
        pos, neg = np.maximum(y, 0.0), np.maximum(-y, 0.0)
        wrong = np.sum(pos[~np.isfinite(lower)]) + np.sum(neg[~np.isfinite(upper)])
        value = (pos[np.isfinite(lower)] @ lower[np.isfinite(lower)]
                 - neg[np.isfinite(upper)] @ upper[np.isfinite(upper)])
        return float(wrong), float(value)

    wrong_rows, dual_rows = split(row_dual, lp.row_lower, lp.row_upper)
    wrong_cols, dual_cols = split(col_dual, lp.col_lower, lp.col_upper)
    dual_residual = (float(np.max(np.abs(stationarity))) if stationarity.size else 0.0) / scale
    dual_residual = max(dual_residual, (wrong_rows + wrong_cols) / scale)
    dual_objective = dual_rows + dual_cols + lp.offset
    gap = abs(objective - dual_objective) / (1.0 + abs(objective))
    return Recheck(primal, dual_residual, gap, objective, tolerance)


# -- HiGHS ---------------------------------------------------------------------------------
def solve_highs(lp: LPData, method: str = "ipm", time_limit: float | None = None, tolerance: float = 1e-6,
                crossover: bool = False, threads: int | None = None) -> LPSolution:
    """Solve with HiGHS; ``method`` is 'ipm', 'simplex' or 'pdlp'."""
    start = time.perf_counter()
    h = highs_instance(method, time_limit, threads)
    if method == "ipm":
        h.setOptionValue("run_crossover", "on" if crossover else "off")
    for name in ("primal_feasibility_tolerance", "dual_feasibility_tolerance", "ipm_optimality_tolerance"):
        h.setOptionValue(name, min(1e-7, tolerance / 10))
    A = lp.A.tocsc()
    A.sort_indices()
    m, n = A.shape
    model = highspy.HighsLp()
    model.num_col_, model.num_row_ = n, m
    model.col_cost_ = np.ascontiguousarray(lp.c, float)
    model.col_lower_ = np.ascontiguousarray(lp.col_lower, float)
    model.col_upper_ = np.ascontiguousarray(lp.col_upper, float)
    model.row_lower_ = np.ascontiguousarray(lp.row_lower, float)
    model.row_upper_ = np.ascontiguousarray(lp.row_upper, float)
    model.offset_ = float(lp.offset)
    model.a_matrix_.format_ = highspy.MatrixFormat.kColwise
    model.a_matrix_.num_col_, model.a_matrix_.num_row_ = n, m
    model.a_matrix_.start_ = A.indptr.astype(np.int32)
    model.a_matrix_.index_ = A.indices.astype(np.int32)
    model.a_matrix_.value_ = A.data.astype(float)
    h.passModel(model)
    h.run()
    seconds = time.perf_counter() - start
    status, label, _ = highs_status(h)
    info = h.getInfo()
    iterations = int(max(info.simplex_iteration_count, info.ipm_iteration_count, info.pdlp_iteration_count, 0))
    message = f"HiGHS {method} {label}"
    if status not in SOLUTION_PRESENT:
        return LPSolution(status, message, f"highs-{method}", seconds=seconds, iterations=iterations)
    solution = h.getSolution()
    if not solution.value_valid:
        return LPSolution(LPStatus.SOLVER_ERROR, f"{message}, but without a primal point", f"highs-{method}",
                          seconds=seconds, iterations=iterations)
    x = np.array(solution.col_value)
    row_dual = np.array(solution.row_dual) if solution.dual_valid else None
    col_dual = np.array(solution.col_dual) if solution.dual_valid else None
    check = recheck(lp, x, row_dual, col_dual, tolerance)
    status, why = demote(status, check.residuals, check.tolerance)
    return LPSolution(status, message + (f"; {why}" if why else ""), f"highs-{method}", x, row_dual, col_dual,
                      check.objective, seconds, iterations, check)


# -- Clarabel ------------------------------------------------------------------------------
#: Clarabel ``SolverStatus`` names to :class:`LPStatus` (complete for clarabel 0.11).  Keyed by
#: name: clarabel's enum is not hashable across versions.
CLARABEL_STATUS_MAP = {
    "Solved": LPStatus.OPTIMAL,
    "AlmostSolved": LPStatus.OPTIMAL_INACCURATE,
    "PrimalInfeasible": LPStatus.INFEASIBLE,
    "AlmostPrimalInfeasible": LPStatus.INFEASIBLE_INACCURATE,
    "DualInfeasible": LPStatus.UNBOUNDED,
    "AlmostDualInfeasible": LPStatus.UNBOUNDED_INACCURATE,
    "MaxIterations": LPStatus.ITERATION_LIMIT,
    "MaxTime": LPStatus.TIME_LIMIT,
    "CallbackTerminated": LPStatus.INTERRUPTED,
    "NumericalError": LPStatus.SOLVER_ERROR,
    "InsufficientProgress": LPStatus.SOLVER_ERROR,
    "Unsolved": LPStatus.NOT_SOLVED,
}


def solve_clarabel(lp: LPData, time_limit: float | None = None, tolerance: float = 1e-6,
                   P: sps.spmatrix | None = None) -> LPSolution:
    """Solve with Clarabel's interior point method (``P`` adds ``x @ P @ x / 2`` to the objective)."""
    start = time.perf_counter()
    m, n = lp.A.shape
    A = lp.A.tocsr()
    eye = sps.identity(n, format="csr")
    eq = np.isfinite(lp.row_lower) & (lp.row_lower == lp.row_upper)
    up = np.isfinite(lp.row_upper) & ~eq
    lo = np.isfinite(lp.row_lower) & ~eq
    cup = np.isfinite(lp.col_upper)
    clo = np.isfinite(lp.col_lower)
    # Rows in Clarabel's form A x + s = b: equalities (zero cone) first, then s >= 0.
    blocks = [A[eq], A[up], -A[lo], eye[cup], -eye[clo]]
    rhs = [lp.row_upper[eq], lp.row_upper[up], -lp.row_lower[lo], lp.col_upper[cup], -lp.col_lower[clo]]
    K = sps.vstack(blocks, format="csc")
    b = np.concatenate(rhs)
    n_eq = int(eq.sum())
    cones = ([clarabel.ZeroConeT(n_eq)] if n_eq else []) + [clarabel.NonnegativeConeT(K.shape[0] - n_eq)]
    settings = clarabel.DefaultSettings()
    settings.verbose = bool(os.environ.get("IRMD_SOLVER_VERBOSE"))
    # The factorisation dominates: QDLDL beats the 'auto' choice (faer) by about 4x on these
    # grid-stencil KKT systems (measured on the N = 2 auction, k = 12).
    settings.direct_solve_method = "qdldl"
    settings.tol_feas = tolerance
    settings.tol_gap_abs = settings.tol_gap_rel = tolerance / 10
    if time_limit is not None:
        settings.time_limit = float(time_limit)
    Pm = sps.csc_matrix((n, n)) if P is None else sps.triu(P, format="csc")
    solver = clarabel.DefaultSolver(Pm, np.asarray(lp.c, float), K, b, cones, settings)
    result = solver.solve()
    seconds = time.perf_counter() - start
    name = str(result.status).split(".")[-1]
    status, label = translate(CLARABEL_STATUS_MAP, name, f"status {name}")
    message = f"Clarabel {label}"
    if status not in SOLUTION_PRESENT:
        return LPSolution(status, message, "clarabel", seconds=seconds, iterations=int(result.iterations))
    x = np.array(result.x)
    z = np.array(result.z)
    sizes = [int(eq.sum()), int(up.sum()), int(lo.sum()), int(cup.sum()), int(clo.sum())]
    parts = np.split(z, np.cumsum(sizes)[:-1])
    row_dual = np.zeros(m)
    row_dual[eq] = -parts[0]
    row_dual[up] -= parts[1]
    row_dual[lo] += parts[2]
    col_dual = np.zeros(n)
    col_dual[cup] -= parts[3]
    col_dual[clo] += parts[4]
    if P is not None:  # a QP: only the primal point is re-checked
        check = recheck(lp, x, None, None, tolerance)
        check = Recheck(check.primal_residual, 0.0, 0.0, float(result.obj_val), tolerance)
    else:
        check = recheck(lp, x, row_dual, col_dual, tolerance)
    status, why = demote(status, check.residuals, check.tolerance)
    return LPSolution(status, message + (f"; {why}" if why else ""), "clarabel", x, row_dual, col_dual,
                      check.objective, seconds, int(result.iterations), check)


def solve(lp: LPData, solver: str = "highs-ipm", time_limit: float | None = None,
          tolerance: float = 1e-6) -> LPSolution:
    """Dispatch to an adapter by name (one of :data:`SOLVERS`)."""
    if solver == "clarabel":
        return solve_clarabel(lp, time_limit, tolerance)
    if solver in ("highs-ipm", "highs-simplex", "highs-pdlp"):
        return solve_highs(lp, solver.split("-")[1], time_limit, tolerance)
    raise ParameterError(f"unknown solver {solver!r}; choose one of {', '.join(SOLVERS)}")
