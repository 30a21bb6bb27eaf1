"""The HiGHS adapter (highspy): an :class:`LPData` in, a re-checked :class:`LPSolution` out.

HiGHS's model status is translated through the complete :data:`STATUS_MAP`; a
status missing from it becomes :attr:`LPStatus.SOLVER_ERROR` with the native code
in the message.  Dual simplex (the default) returns a basis, which the exact
certificate reconstructs from; the interior point method (optionally without
crossover) and PDLP serve the large bounding programs.
"""
from __future__ import annotations

import contextlib
import os
import sys
import time

import highspy
import numpy as np

from irmd.status import SOLUTION_PRESENT, LPStatus, demote, translate

from .program import LPData
from .solution import RECHECK_TOLERANCE, LPSolution, recheck

#: HiGHS's ``solver`` option values: dual simplex, interior point, and its two first-order
#: PDLP codes, cuPDLP-C ("pdlp") and the native HiPDLP ("hipdlp"; two to three times faster
#: on the bounding programs, README *Speed*).
METHODS = ("simplex", "ipm", "pdlp", "hipdlp")

#: HiGHS ``HighsBasisStatus``: the only one the exact certificate needs is BASIC.
BASIS_BASIC = 1

#: Smallest feasibility tolerance HiGHS accepts.
_SMALLEST_HIGHS_TOLERANCE = 1e-10

#: ``HighsModelStatus`` names (highspy 1.7 to 1.16) to :class:`LPStatus`.  Keyed by name, so
#: that a renumbering across highspy versions cannot map a code to the wrong status.
STATUS_MAP = {
    "kNotset": LPStatus.NOT_SOLVED,                          # 0
    "kLoadError": LPStatus.SOLVER_ERROR,                     # 1
    "kModelError": LPStatus.SOLVER_ERROR,                    # 2
    "kPresolveError": LPStatus.SOLVER_ERROR,                 # 3
    "kSolveError": LPStatus.SOLVER_ERROR,                    # 4
    "kPostsolveError": LPStatus.SOLVER_ERROR,                # 5
    "kModelEmpty": LPStatus.OPTIMAL,                         # 6: no columns; the adapter still needs a point
    "kOptimal": LPStatus.OPTIMAL,                            # 7
    "kInfeasible": LPStatus.INFEASIBLE,                      # 8
    "kUnboundedOrInfeasible": LPStatus.INFEASIBLE_OR_UNBOUNDED,  # 9
    "kUnbounded": LPStatus.UNBOUNDED,                        # 10
    "kObjectiveBound": LPStatus.USER_LIMIT,                  # 11 (irmd never sets one)
    "kObjectiveTarget": LPStatus.USER_LIMIT,                 # 12 (irmd never sets one)
    "kTimeLimit": LPStatus.TIME_LIMIT,                       # 13
    "kIterationLimit": LPStatus.ITERATION_LIMIT,             # 14
    "kUnknown": LPStatus.SOLVER_ERROR,                       # 15
    "kSolutionLimit": LPStatus.USER_LIMIT,                   # 16
    "kInterrupt": LPStatus.INTERRUPTED,                      # 17
    "kMemoryLimit": LPStatus.SOLVER_ERROR,                   # 18
    "kHighsInterrupt": LPStatus.INTERRUPTED,                 # 19
}


def highs_status(highs) -> tuple[LPStatus, str, int]:
    """``(status, message, native code)`` of a ``highspy.Highs`` after ``run()``.

    The message is ``"status 7: Optimal"`` (``"unknown status 20: ..."`` when the name
    is not in :data:`STATUS_MAP`).
    """
    native = highs.getModelStatus()
    code = int(native)
    status, message = translate(STATUS_MAP, native.name, f"status {code}: {highs.modelStatusToString(native)}")
    return status, message, code


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


def _highs_model(lp: LPData) -> highspy.HighsLp:
    model = highspy.HighsLp()
    model.num_col_, model.num_row_ = lp.n_cols, lp.n_rows
    model.col_cost_ = np.ascontiguousarray(lp.cost, dtype=np.float64)
    model.col_lower_ = np.ascontiguousarray(lp.col_lower, dtype=np.float64)
    model.col_upper_ = np.ascontiguousarray(lp.col_upper, dtype=np.float64)
    model.row_lower_ = np.ascontiguousarray(lp.row_lower, dtype=np.float64)
    model.row_upper_ = np.ascontiguousarray(lp.row_upper, dtype=np.float64)
    model.offset_ = float(lp.offset)
    matrix = model.a_matrix_
    matrix.format_ = highspy.MatrixFormat.kRowwise
    matrix.num_col_, matrix.num_row_ = lp.n_cols, lp.n_rows
    matrix.start_ = np.ascontiguousarray(lp.indptr, dtype=np.int32)
    matrix.index_ = np.ascontiguousarray(lp.indices, dtype=np.int32)
    matrix.value_ = np.ascontiguousarray(lp.data, dtype=np.float64)
    return model


class HiGHS:
    """HiGHS through ``highspy``: ``method`` is 'simplex' (dual simplex, with a basis), 'ipm', 'pdlp' or
    'hipdlp' (:data:`METHODS`).

    ``method=None`` (the default) is dual simplex, unless the program being solved has a measured
    better method, which its builder then picks with :meth:`for_program`; ``method_chosen`` says
    whether the caller named one.
    """

    def __init__(self, method: str | None = None, time_limit: float | None = None,
                 tolerance: float = RECHECK_TOLERANCE, crossover: bool = False, threads: int | None = None):
        if method is not None and method not in METHODS:
            raise ValueError(f"HiGHS method {method!r} is not one of {', '.join(METHODS)}")
        self.method = method or "simplex"
        self.method_chosen = method is not None
        self.time_limit = time_limit
        self.tolerance = tolerance
        self.crossover = crossover
        self.threads = threads

    def for_program(self, method: str) -> HiGHS:
        """This adapter, or when the caller named no method, a copy with the program's ``method``."""
        if self.method_chosen or method == self.method:
            return self
        return HiGHS(method, self.time_limit, self.tolerance, self.crossover, self.threads)

    @property
    def name(self) -> str:
        return f"highs-{self.method}"

    def _instance(self):
        with _quiet_stdout():
            highs = highspy.Highs()
        highs.setOptionValue("output_flag", False)
        highs.setOptionValue("solver", self.method)
        if self.time_limit is not None:
            highs.setOptionValue("time_limit", float(self.time_limit))
        if self.threads is not None:
            highs.setOptionValue("threads", int(self.threads))
        if self.method == "ipm":
            highs.setOptionValue("run_crossover", "on" if self.crossover else "off")
        # HiGHS's own tolerances sit a decade below the re-check's, so that its answer can pass it.
        inner = max(_SMALLEST_HIGHS_TOLERANCE, min(1e-7, self.tolerance / 10))
        for option in ("primal_feasibility_tolerance", "dual_feasibility_tolerance", "ipm_optimality_tolerance"):
            highs.setOptionValue(option, inner)
        return highs

    def solve(self, lp: LPData) -> LPSolution:
        """Solve a float program and re-check the answer."""
        if lp.exact:
            raise TypeError("HiGHS solves float programs; build the program with exact=False")
        start = time.perf_counter()
        highs = self._instance()
        highs.passModel(_highs_model(lp))
        highs.run()
        seconds = time.perf_counter() - start
        status, label, code = highs_status(highs)
        info = highs.getInfo()
        iterations = int(max(info.simplex_iteration_count, info.ipm_iteration_count, info.pdlp_iteration_count, 0))
        message = f"HiGHS {self.method} {label}"
        common = dict(solver=self.name, seconds=seconds, iterations=iterations, native_status=code,
                      tolerance=self.tolerance)
        if status not in SOLUTION_PRESENT:
            return LPSolution(status, message, **common)
        solution = highs.getSolution()
        if not solution.value_valid:
            return LPSolution(LPStatus.SOLVER_ERROR, f"{message}, but without a primal point", **common)
        x = np.asarray(solution.col_value, dtype=np.float64)
        row_dual = np.asarray(solution.row_dual, dtype=np.float64) if solution.dual_valid else None
        col_dual = np.asarray(solution.col_dual, dtype=np.float64) if solution.dual_valid else None
        basis = None
        if self.method == "simplex":
            highs_basis = highs.getBasis()
            if highs_basis.valid:
                basis = (np.array([int(s) for s in highs_basis.col_status], dtype=np.int8),
                         np.array([int(s) for s in highs_basis.row_status], dtype=np.int8))
        check = recheck(lp, x, row_dual, col_dual, self.tolerance)
        status, why = demote(status, check.residuals, check.tolerance)
        if why:
            message = f"{message}; {why}"
        return LPSolution(status, message, x=x, row_dual=row_dual, col_dual=col_dual, objective=check.objective,
                          recheck=check, basis=basis, **common)
