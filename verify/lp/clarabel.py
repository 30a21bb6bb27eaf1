"""The Clarabel adapter: an :class:`LPData` (optionally with a quadratic term) in, a re-checked solution out.

Clarabel's interior point method serves the bounding programs.  Its status is
translated through the complete :data:`STATUS_MAP`; the returned conic multipliers
are mapped to HiGHS's sign convention (``row_dual``, ``col_dual``) so that one
re-check serves every adapter.
"""
from __future__ import annotations

import os
import time

import clarabel
import numpy as np
import scipy.sparse as sps

from irmd.status import SOLUTION_PRESENT, LPStatus, demote, translate

from .program import LPData
from .solution import RECHECK_TOLERANCE, LPSolution, Recheck, recheck

#: Clarabel ``SolverStatus`` names to :class:`LPStatus` (complete for clarabel 0.11).  Keyed by
#: name: clarabel's enum is not hashable across versions.
STATUS_MAP = {
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


#: Clarabel's sparse LDL factorisations: QDLDL (simplicial) and faer (supernodal).
FACTORISATIONS = ("qdldl", "faer")


class Clarabel:
    """Clarabel's interior point method; ``quadratic`` adds ``x @ P @ x / 2`` to the objective,
    ``equilibrate=False`` turns off its Ruiz equilibration (for programs already scaled by hand), and
    ``factorisation`` is one of :data:`FACTORISATIONS`."""

    name = "clarabel"

    def __init__(self, time_limit: float | None = None, tolerance: float = RECHECK_TOLERANCE,
                 quadratic: sps.spmatrix | None = None, equilibrate: bool = True, factorisation: str = "qdldl"):
        if factorisation not in FACTORISATIONS:
            raise ValueError(f"Clarabel factorisation {factorisation!r} is not one of {', '.join(FACTORISATIONS)}")
        self.time_limit = time_limit
        self.tolerance = tolerance
        self.quadratic = quadratic
        self.equilibrate = equilibrate
        self.factorisation = factorisation

    def _settings(self):
        settings = clarabel.DefaultSettings()
        settings.verbose = bool(os.environ.get("IRMD_SOLVER_VERBOSE"))
        # The factorisation dominates; which one wins depends on the program (the caller chooses,
        # e.g. :func:`irmd.verify.bounding.mechanism_program.factorisation_for`).  faer keeps
        # Clarabel's default of every core: two threads took the N = 5 auction's potential at k = 4
        # from 382 s to 259 s, and made no difference to bilateral trade at k = 16 (83 s).
        settings.direct_solve_method = self.factorisation
        settings.equilibrate_enable = self.equilibrate
        settings.tol_feas = self.tolerance
        settings.tol_gap_abs = settings.tol_gap_rel = self.tolerance / 10
        if self.time_limit is not None:
            settings.time_limit = float(self.time_limit)
        return settings

    def solve(self, lp: LPData) -> LPSolution:
        """Solve a float program and re-check the answer (a QP only in its primal point)."""
        if lp.exact:
            raise TypeError("Clarabel solves float programs; build the program with exact=False")
        start = time.perf_counter()
        m, n = lp.shape
        A = lp.A
        eye = sps.identity(n, format="csr")
        eq = np.isfinite(lp.row_lower) & (lp.row_lower == lp.row_upper)
        up = np.isfinite(lp.row_upper) & ~eq
        lo = np.isfinite(lp.row_lower) & ~eq
        cup = np.isfinite(lp.col_upper)
        clo = np.isfinite(lp.col_lower)
        # Rows in Clarabel's form A x + s = b: equalities (zero cone) first, then s >= 0.
        K = sps.vstack([A[eq], A[up], -A[lo], eye[cup], -eye[clo]], format="csc")
        b = np.concatenate([lp.row_upper[eq], lp.row_upper[up], -lp.row_lower[lo], lp.col_upper[cup],
                            -lp.col_lower[clo]])
        n_eq = int(eq.sum())
        cones = ([clarabel.ZeroConeT(n_eq)] if n_eq else []) + [clarabel.NonnegativeConeT(K.shape[0] - n_eq)]
        P = sps.csc_matrix((n, n)) if self.quadratic is None else sps.triu(self.quadratic, format="csc")
        result = clarabel.DefaultSolver(P, np.asarray(lp.cost, float), K, b, cones, self._settings()).solve()
        seconds = time.perf_counter() - start
        name = str(result.status).split(".")[-1]
        status, label = translate(STATUS_MAP, name, f"status {name}")
        message = f"Clarabel {label}"
        common = dict(solver=self.name, seconds=seconds, iterations=int(result.iterations), tolerance=self.tolerance)
        if status not in SOLUTION_PRESENT:
            return LPSolution(status, message, **common)
        x = np.array(result.x)
        sizes = [int(eq.sum()), int(up.sum()), int(lo.sum()), int(cup.sum()), int(clo.sum())]
        parts = np.split(np.array(result.z), np.cumsum(sizes)[:-1])
        row_dual = np.zeros(m)
        row_dual[eq] = -parts[0]
        row_dual[up] -= parts[1]
        row_dual[lo] += parts[2]
        col_dual = np.zeros(n)
        col_dual[cup] -= parts[3]
        col_dual[clo] += parts[4]
        if self.quadratic is not None:  # a QP: only the primal point is re-checked
            primal = recheck(lp, x, None, None, self.tolerance).primal_residual
            check = Recheck(primal, 0.0, 0.0, 0.0, float(result.obj_val), self.tolerance)
        else:
            check = recheck(lp, x, row_dual, col_dual, self.tolerance)
        status, why = demote(status, check.residuals, check.tolerance)
        return LPSolution(status, message + (f"; {why}" if why else ""), x=x, row_dual=row_dual, col_dual=col_dual,
                          objective=check.objective, recheck=check, **common)
