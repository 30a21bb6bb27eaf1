"""Statuses of linear programs: one vocabulary for every LP irmd solves.

The finite programs (:mod:`irmd.verify.finite`) and the bounding programs
(:mod:`irmd.verify.bounding`) report how a solve ended as an :class:`LPStatus`.
Its value is the phrase the command line and the JSON print.  Named groups, as in
cvxpy's ``settings.py``, say what a status means to the caller:

SOLUTION_PRESENT  a point came back (the adapter has re-checked it)
INACCURATE        the solver's conclusion holds only at reduced accuracy
INF_OR_UNB        the program is infeasible or unbounded (possibly at reduced accuracy)
STOPPED           the solver stopped before deciding: time, iterations, a user limit, an interrupt
ERROR             the solver did not run, or failed

SOLUTION_PRESENT, INF_OR_UNB, STOPPED and ERROR partition the members.

Every adapter translates its solver's native status through a complete
``STATUS_MAP`` with :func:`translate`: a status missing from the map becomes
SOLVER_ERROR, with the native code in the message.  The two HiGHS adapters (finite
LPs, bounding programs) share :data:`HIGHS_STATUS_MAP` through :func:`highs_status`
and build their solver with :func:`highs_instance`.  Whatever the solver says, each
adapter then re-checks the point it got and :func:`demote` turns OPTIMAL into
OPTIMAL_INACCURATE when a residual exceeds the tolerance, as scipy's
``_check_result`` does.

>>> from irmd.lp_status import LPStatus, SOLUTION_PRESENT, demote
>>> str(LPStatus.OPTIMAL_INACCURATE)
'optimal (reduced accuracy)'
>>> status, reason = demote(LPStatus.OPTIMAL, {"primal": 1e-9, "gap": 3e-4}, 1e-6)
>>> str(status), status in SOLUTION_PRESENT, reason
('optimal (reduced accuracy)', True, 'the re-check exceeds the tolerance 1.0e-06: gap residual 3.00e-04')
"""
from __future__ import annotations

import contextlib
import os
import sys
from typing import Mapping

import highspy

from .status import TextEnum


class LPStatus(TextEnum):
    OPTIMAL = "optimal"
    OPTIMAL_INACCURATE = "optimal (reduced accuracy)"
    INFEASIBLE = "infeasible"
    INFEASIBLE_INACCURATE = "infeasible (reduced accuracy)"
    UNBOUNDED = "unbounded"
    UNBOUNDED_INACCURATE = "unbounded (reduced accuracy)"
    INFEASIBLE_OR_UNBOUNDED = "infeasible or unbounded"
    TIME_LIMIT = "stopped at the time limit"
    ITERATION_LIMIT = "stopped at the iteration limit"
    USER_LIMIT = "stopped at a user limit"
    INTERRUPTED = "interrupted"
    NOT_SOLVED = "not solved"
    SOLVER_ERROR = "solver error"



SOLUTION_PRESENT = frozenset({LPStatus.OPTIMAL, LPStatus.OPTIMAL_INACCURATE})
INACCURATE = frozenset({LPStatus.OPTIMAL_INACCURATE, LPStatus.INFEASIBLE_INACCURATE, LPStatus.UNBOUNDED_INACCURATE})
INF_OR_UNB = frozenset({LPStatus.INFEASIBLE, LPStatus.INFEASIBLE_INACCURATE, LPStatus.UNBOUNDED,
                        LPStatus.UNBOUNDED_INACCURATE, LPStatus.INFEASIBLE_OR_UNBOUNDED})
STOPPED = frozenset({LPStatus.TIME_LIMIT, LPStatus.ITERATION_LIMIT, LPStatus.USER_LIMIT, LPStatus.INTERRUPTED})
ERROR = frozenset({LPStatus.NOT_SOLVED, LPStatus.SOLVER_ERROR})


def translate(status_map: Mapping[str, LPStatus], native: str, label: str) -> tuple[LPStatus, str]:
    """``(status, message)`` for the native status named ``native``.

    ``label`` describes the native status with its code (``"status 7: Optimal"``) and
    becomes the message; a name missing from ``status_map`` is SOLVER_ERROR.
    """
    status = status_map.get(native)
    if status is None:
        return LPStatus.SOLVER_ERROR, f"unknown {label}"
    return status, label


def demote(status: LPStatus, residuals: Mapping[str, float], tolerance: float) -> tuple[LPStatus, str]:
    """OPTIMAL becomes OPTIMAL_INACCURATE when a re-check residual is not within ``tolerance``.

    Returns the status and the reason ("" when nothing was demoted).  A residual that
    is NaN is not within the tolerance.
    """
    failing = [f"{name} residual {value:.2e}" for name, value in residuals.items() if not value <= tolerance]
    if status is LPStatus.OPTIMAL and failing:
        return LPStatus.OPTIMAL_INACCURATE, (f"the re-check exceeds the tolerance {tolerance:.1e}: "
                                             + ", ".join(failing))
    return status, ""


# -- HiGHS, shared by both HiGHS adapters ---------------------------------------------------
#: ``HighsModelStatus`` names (highspy 1.7 to 1.16) to :class:`LPStatus`.  Keyed by name, so
#: that a renumbering across highspy versions cannot map a code to the wrong status.
HIGHS_STATUS_MAP = {
    "kNotset": LPStatus.NOT_SOLVED,                          # 0
    "kLoadError": LPStatus.SOLVER_ERROR,                     # 1
    "kModelError": LPStatus.SOLVER_ERROR,                    # 2
    "kPresolveError": LPStatus.SOLVER_ERROR,                 # 3
    "kSolveError": LPStatus.SOLVER_ERROR,                    # 4
    "kPostsolveError": LPStatus.SOLVER_ERROR,                # 5
    "kModelEmpty": LPStatus.OPTIMAL,                         # 6: no columns; the adapters still need a point
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
    is not in :data:`HIGHS_STATUS_MAP`); adapters prefix it with the solver's name.
    """
    native = highs.getModelStatus()
    code = int(native)
    status, message = translate(HIGHS_STATUS_MAP, native.name,
                                f"status {code}: {highs.modelStatusToString(native)}")
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


def highs_instance(solver: str, time_limit: float | None = None, threads: int | None = None):
    """A silent ``highspy.Highs`` running ``solver`` ('simplex', 'ipm' or 'pdlp')."""
    with _quiet_stdout():
        highs = highspy.Highs()
    highs.setOptionValue("output_flag", False)
    highs.setOptionValue("solver", solver)
    if time_limit is not None:
        highs.setOptionValue("time_limit", float(time_limit))
    if threads is not None:
        highs.setOptionValue("threads", int(threads))
    return highs
