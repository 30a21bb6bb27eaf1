"""Claims, their evidence and steps, and the context that decides them."""
from __future__ import annotations

from dataclasses import dataclass, field
from enum import Enum
from typing import Callable

import mpmath
import sympy as sp

from irmd.budget import Budget
from irmd.status import Status

from ..balls import constant_balls
from ..sampling import Box, Point, sample
from ..subjects import Subject


class ClaimKind(str, Enum):
    ZERO = "= 0"
    NONNEG = ">= 0"
    BOUNDED = "bounded"


@dataclass(frozen=True)
class Claim:
    """``expr`` (piece-free, constants as symbols) satisfies ``kind`` on a region of ``box``."""

    label: str
    kind: ClaimKind
    expr: sp.Expr
    box: Box
    region: tuple = ()          # ((Surface, side), ...): the region's sides
    surfaces: tuple = ()        # all surfaces used to classify points
    scales: tuple = ()          # characteristic radii for sampling
    region_text: str = ""       # human description of the region
    lower_bounds: tuple = ()    # ((symbol, expr), ...) known lower bounds for sign proofs
    upper_bounds: tuple = ()    # ((symbol, expr), ...) known upper bounds for sign proofs
    intervals: tuple = ()       # ((lower, upper), ...) of a one-variable region, exact
    exact_region: bool = True   # False: the region was found from sample points (never proved)
    slack_allowed: bool = False  # an enclosure proof may allow an absolute slack (carried into the bracket)
    subject: Subject = Subject()  # what the claim is about, as data (the label is for reading)

    @property
    def variables(self):
        return self.box.variables


@dataclass(frozen=True)
class Step:
    """One step of a symbolic derivation: what was done and the expression after it."""

    description: str
    expr: sp.Expr


@dataclass(frozen=True)
class Evidence:
    """How a claim was decided."""

    claim: Claim
    status: Status
    method: str
    residual: object = None           # mpmath number (max violation), None if proved
    witness: dict | None = None        # variable -> mpmath value where the claim fails
    steps: tuple[Step, ...] = ()
    points: int = 0
    dps: int | None = None
    tolerance: object = None
    note: str = ""
    slack: object = None               # a proof by enclosure holds up to this (absolute) slack

    def __post_init__(self):
        if self.status is Status.REFUTED and self.witness is None:
            raise ValueError("a refuted claim needs a witness")
        if self.status is Status.CONFIRMED and self.dps is None:
            raise ValueError("a confirmed claim must state its precision")


@dataclass
class DecisionContext:
    """Precision, constants, budget and sample-point cache shared by the claims of one run."""

    dps: int
    values: dict                                  # constant symbol -> mpf at working precision
    budget: Budget
    symbolic: bool = True
    guard: int = 20
    escalate: Callable[[int], dict] | None = None  # dps -> constant values at that precision
    exact: dict = field(default_factory=dict)      # constants with exact rational values
    constants: tuple = ()                          # the candidate's Constant definitions (for balls)
    _points: dict = field(default_factory=dict)
    _balls: object = None
    #: Results of deterministic symbolic steps within this run (simplifications, solutions of the
    #: constants' equations), keyed on the exact sympy inputs: the same claim expression reaches
    #: them from several provers.  A step that ran out of its budget is not recorded.
    memo: dict = field(default_factory=dict, repr=False)

    @property
    def balls(self):
        """Rigorous balls of the constants (:class:`irmd.verify.balls.Balls`), computed once."""
        if self._balls is None:
            self._balls = constant_balls(self.constants, self.values, self.dps + 10)
        return self._balls

    @property
    def working_dps(self) -> int:
        return self.dps + self.guard

    @property
    def tolerance(self):
        return mpmath.mpf(10) ** (-self.dps)

    def points(self, claim: Claim) -> list[Point]:
        key = (claim.box, claim.surfaces, claim.scales)
        if key not in self._points:
            with mpmath.workdps(self.working_dps):
                self._points[key] = sample(claim.box, claim.surfaces, self.values, self.working_dps, claim.scales)
        return self._points[key]


