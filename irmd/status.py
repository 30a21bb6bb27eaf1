"""Statuses of checks and verdicts of certificates.

A check ends in one of four statuses and they are never blurred:

proved        exact symbolic identity or inequality, with the steps
confirmed     numeric agreement at a stated precision and tolerance (evidence, not proof)
refuted       a witness (point, state or outcome) and the residual
inconclusive  undecided, with the reason (timeout, undecided sign, singular integral)
"""
from __future__ import annotations

from enum import Enum
from typing import Iterable


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


EXIT_CODES = {Verdict.VERIFIED: 0, Verdict.REFUTED: 1, Verdict.INCONCLUSIVE: 2, Verdict.CONFIRMED: 4}
EXIT_OK = 0
EXIT_BAD_INPUT = 3
