"""irmd's status vocabulary: checks, verdicts, linear programs, comparisons.

==================  =====================================================================
:class:`Status`     how a check or a claim ended (proved, confirmed, refuted, inconclusive)
:class:`Verdict`    the verdict on a candidate, with its exit code
:class:`PointStatus`  one point of a sweep: a verdict, or error
:class:`LPStatus`   how a linear program's solve ended, with its groups
:class:`Order`      whether a bounding program's bounds bracket the analytic value
:class:`EquationVerdict`  a paper's display against irmd's derivation of it
==================  =====================================================================

Every member prints as the word the command line and the JSON show.

A check ends in one of four statuses and they are never blurred:

proved        exact symbolic identity or inequality, with the steps
confirmed     numeric agreement at a stated precision and tolerance (evidence, not proof)
refuted       a witness (point, state or outcome) and the residual
inconclusive  undecided, with the reason (timeout, undecided sign, singular integral)

Linear programs
---------------

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

Every adapter of the LP core (:mod:`irmd.verify.lp`) translates its solver's native
status through a complete ``STATUS_MAP`` with :func:`translate`: a status missing
from the map becomes SOLVER_ERROR, with the native code in the message.  Whatever
the solver says, the adapter then re-checks the point it got and :func:`demote`
turns OPTIMAL into OPTIMAL_INACCURATE when a residual exceeds the tolerance, as
scipy's ``_check_result`` does.

>>> from irmd.status import LPStatus, SOLUTION_PRESENT, demote
>>> str(LPStatus.OPTIMAL_INACCURATE)
'optimal (reduced accuracy)'
>>> status, reason = demote(LPStatus.OPTIMAL, {"primal": 1e-9, "gap": 3e-4}, 1e-6)
>>> str(status), status in SOLUTION_PRESENT, reason
('optimal (reduced accuracy)', True, 'the re-check exceeds the tolerance 1.0e-06: gap residual 3.00e-04')
"""
from __future__ import annotations

from enum import Enum
from typing import Iterable, Mapping


class TextEnum(str, Enum):
    """A string enum that prints as its value (the word the JSON and the CLI show)."""

    def __str__(self) -> str:
        return self.value


class Status(TextEnum):
    PROVED = "proved"
    CONFIRMED = "confirmed"
    REFUTED = "refuted"
    INCONCLUSIVE = "inconclusive"


PASSING = frozenset({Status.PROVED, Status.CONFIRMED})   # nothing against the claim
PROVEN = frozenset({Status.PROVED})                        # what a verified verdict needs
DEFINITIVE = frozenset({Status.PROVED, Status.REFUTED})


def combine(statuses: Iterable[Status]) -> Status:
    """The status of a conjunction: the weakest link decides.

    refuted beats inconclusive beats confirmed beats proved; an empty
    conjunction is proved (nothing was claimed).
    """
    found = set(statuses)
    for status in (Status.REFUTED, Status.INCONCLUSIVE, Status.CONFIRMED):
        if status in found:
            return status
    return Status.PROVED


class Verdict(TextEnum):
    """The verdict on a candidate.

    verified      every claim proved and the bounds proved to bracket the value
    confirmed     nothing refuted or inconclusive, but some claim rests on numeric evidence only
    refuted       some claim refuted with a certified witness
    inconclusive  undecided, with the reason
    """

    VERIFIED = "verified"
    CONFIRMED = "confirmed"
    REFUTED = "refuted"
    INCONCLUSIVE = "inconclusive"

    @property
    def exit_code(self) -> int:
        return EXIT_CODES[self]


class EquationVerdict(TextEnum):
    """How a printed display of a paper compares with irmd's derivation of it.

    reproduced              printed and derived forms agree (symbolically, or numerically at samples)
    differs                 they disagree: a typo or an error in the paper, with the derived form and why
    garbled transcription   they disagree, and the display is garbled in the PDF's transcription
    not checkable           a definition, a conjecture from numerics, or a form the comparison cannot evaluate
    """

    REPRODUCED = "reproduced"
    DIFFERS = "differs"
    GARBLED = "garbled transcription"
    NOT_CHECKABLE = "not checkable"


class PointStatus(TextEnum):
    """The status of one point of a sweep: its certificate's verdict, or ``error`` when it could not be verified."""

    VERIFIED = "verified"
    CONFIRMED = "confirmed"
    REFUTED = "refuted"
    INCONCLUSIVE = "inconclusive"
    ERROR = "error"

    @property
    def exit_code(self) -> int:
        return EXIT_BAD_INPUT if self is PointStatus.ERROR else Verdict(self.value).exit_code


#: Weakest first: the status of a whole sweep is the first of these that any point has.
WEAKEST_FIRST = (PointStatus.ERROR, PointStatus.REFUTED, PointStatus.INCONCLUSIVE, PointStatus.CONFIRMED,
                 PointStatus.VERIFIED)


class Order(TextEnum):
    """Whether a bounding program's bounds bracket the analytic value: lower <= analytic <= upper.

    holds                     both bounds are on the correct side (within the tolerance)
    violated: bug             a bound is on the wrong side although it should hold: a bug
    violated: invalid t_max   the potential bound is below the value because t_max is too small
    not checked               no analytic value, or no bound, to compare
    """

    HOLDS = "holds"
    BUG = "violated: bug"
    INVALID_T_MAX = "violated: invalid t_max"
    UNKNOWN = "not checked"


EXIT_CODES = {Verdict.VERIFIED: 0, Verdict.REFUTED: 1, Verdict.INCONCLUSIVE: 2, Verdict.CONFIRMED: 4}
EXIT_OK = 0
EXIT_BAD_INPUT = 3


# -- linear programs ------------------------------------------------------------------------
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
