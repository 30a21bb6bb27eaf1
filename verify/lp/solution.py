"""What a solver returned, and the one re-check every adapter applies to it.

Whatever the solver says, the adapter recomputes from the returned point and
multipliers the primal residual (bound and row violations), the dual residual
(stationarity ``cost - A.T @ row_dual - col_dual`` and multipliers of the wrong
sign), the complementarity (largest product of a multiplier and its slack) and the
duality gap, all relative to the data's scale, and :func:`irmd.status.demote`
turns OPTIMAL into OPTIMAL_INACCURATE when one exceeds the tolerance, as scipy's
``_check_result`` does.
"""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from irmd.status import SOLUTION_PRESENT, LPStatus

from .program import LPData

#: Default tolerance of the re-check (the solvers' own feasibility tolerances are 1e-7).
RECHECK_TOLERANCE = 1e-6


@dataclass(frozen=True)
class Recheck:
    """What the adapter recomputed from the returned point and multipliers."""

    primal_residual: float
    dual_residual: float
    complementarity: float
    gap: float
    objective: float
    tolerance: float

    @property
    def residuals(self) -> dict[str, float]:
        return {"primal": self.primal_residual, "dual": self.dual_residual,
                "complementarity": self.complementarity, "gap": self.gap}

    @property
    def passed(self) -> bool:
        return all(value <= self.tolerance for value in self.residuals.values())


@dataclass(frozen=True, eq=False)
class LPSolution:
    """A solve's outcome: status, point, multipliers (HiGHS's signs), re-check, and basis if any.

    ``objective`` is in the program's original sense (``lp.value(x)``); ``basis`` is
    ``(col_status, row_status)`` as HiGHS integer codes (simplex only), which the
    exact certificate needs.
    """

    status: LPStatus
    message: str
    solver: str
    x: np.ndarray | None = None
    row_dual: np.ndarray | None = None
    col_dual: np.ndarray | None = None
    objective: float | None = None
    seconds: float = 0.0
    iterations: int = 0
    recheck: Recheck | None = None
    basis: tuple[np.ndarray, np.ndarray] | None = None
    native_status: int | None = None
    tolerance: float = RECHECK_TOLERANCE

    @property
    def has_solution(self) -> bool:
        return self.status in SOLUTION_PRESENT

    @property
    def residuals(self) -> dict[str, float]:
        return {} if self.recheck is None else self.recheck.residuals


def _relative(values: np.ndarray, scale: np.ndarray) -> float:
    if values.size == 0:
        return 0.0
    return float(np.max(values / (1.0 + np.abs(scale))))


def _finite(values: np.ndarray) -> np.ndarray:
    return np.where(np.isfinite(values), values, 0.0)


def recheck(lp: LPData, x: np.ndarray, row_dual: np.ndarray | None, col_dual: np.ndarray | None,
            tolerance: float = RECHECK_TOLERANCE) -> Recheck:
    """Residuals of a claimed optimum of a float program, relative to ``1 + |bound|``.

    Without ``row_dual`` only the primal point is checked.  Without ``col_dual`` the
    column multipliers are the reduced costs ``cost - A.T @ row_dual``.
    """
    A = lp.A
    ax = A @ x
    with np.errstate(invalid="ignore"):
        low = np.where(np.isfinite(lp.row_lower), lp.row_lower - ax, 0.0)
        high = np.where(np.isfinite(lp.row_upper), ax - lp.row_upper, 0.0)
        clow = np.where(np.isfinite(lp.col_lower), lp.col_lower - x, 0.0)
        chigh = np.where(np.isfinite(lp.col_upper), x - lp.col_upper, 0.0)
    primal = max(_relative(np.maximum(low, 0), _finite(lp.row_lower)),
                 _relative(np.maximum(high, 0), _finite(lp.row_upper)),
                 _relative(np.maximum(clow, 0), _finite(lp.col_lower)),
                 _relative(np.maximum(chigh, 0), _finite(lp.col_upper)))
    objective = float(lp.cost @ x + lp.offset)
    if row_dual is None:
        return Recheck(primal, 0.0, 0.0, 0.0, lp.sense * objective, tolerance)
    if col_dual is None:
        col_dual = lp.cost - A.T @ row_dual
    stationarity = lp.cost - A.T @ row_dual - col_dual
    scale = 1.0 + (float(np.max(np.abs(lp.cost))) if lp.cost.size else 0.0)

    def split(y, lower, upper):
        """Multipliers on infinite bounds (wrong sign), and the dual objective's terms."""
        pos, neg = np.maximum(y, 0.0), np.maximum(-y, 0.0)
        lower_finite, upper_finite = np.isfinite(lower), np.isfinite(upper)
        wrong = np.sum(pos[~lower_finite]) + np.sum(neg[~upper_finite])
        value = pos[lower_finite] @ lower[lower_finite] - neg[upper_finite] @ upper[upper_finite]
        return float(wrong), float(value)

    def products(y, activity, lower, upper):
        """Largest |multiplier x slack| of the bound each multiplier is attached to."""
        with np.errstate(invalid="ignore"):
            at_lower = np.where(np.isfinite(lower), np.maximum(y, 0.0) * np.abs(activity - lower), 0.0)
            at_upper = np.where(np.isfinite(upper), np.maximum(-y, 0.0) * np.abs(upper - activity), 0.0)
        return float(max(np.max(at_lower, initial=0.0), np.max(at_upper, initial=0.0)))

    wrong_rows, dual_rows = split(row_dual, lp.row_lower, lp.row_upper)
    wrong_cols, dual_cols = split(col_dual, lp.col_lower, lp.col_upper)
    dual_residual = (float(np.max(np.abs(stationarity))) if stationarity.size else 0.0) / scale
    dual_residual = max(dual_residual, (wrong_rows + wrong_cols) / scale)
    complementarity = max(products(row_dual, ax, lp.row_lower, lp.row_upper),
                          products(col_dual, x, lp.col_lower, lp.col_upper)) / (1.0 + abs(objective))
    dual_objective = dual_rows + dual_cols + lp.offset
    gap = abs(objective - dual_objective) / (1.0 + abs(objective))
    return Recheck(primal, dual_residual, complementarity, gap, lp.sense * objective, tolerance)
