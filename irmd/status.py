"""Statuses of checks and verdicts of certificates.

A check ends in one of four statuses and they are never blurred:

proved        exact symbolic identity or inequality, with the steps
confirmed     numeric agreement at a stated precision and tolerance
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


PASSING = frozenset({Status.PROVED, Status.CONFIRMED})
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
    VERIFIED = "verified"
    REFUTED = "refuted"
    INCONCLUSIVE = "inconclusive"

    @property
    def exit_code(self) -> int:
        return EXIT_CODES[self]


EXIT_CODES = {Verdict.VERIFIED: 0, Verdict.REFUTED: 1, Verdict.INCONCLUSIVE: 2}
EXIT_OK = 0
EXIT_BAD_INPUT = 3
