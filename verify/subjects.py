"""What a claim is about, as data: the derivation renders the subject and never parses a label.

A claim's ``label`` is text for a reader; its :class:`Subject` says which quantity of the
reduced model it constrains -- the SVO gap of a state, a density, a coefficient of the IVO,
a feasibility or participation condition, a transfer -- with the state, outcome coordinate,
agent and secure action it concerns.  The conditions of the reduced model carry the same
subjects (:class:`Condition`), so a claim can be matched to its model quantity by equality.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import NamedTuple

import sympy as sp

#: The quantities a subject may name.
QUANTITIES = ("", "svo-gap", "density", "ivo-coefficient", "feasibility", "participation", "transfer")


@dataclass(frozen=True)
class Subject:
    """``quantity`` (one of :data:`QUANTITIES`; "" for anything else) and what it concerns.

    ``state`` a state label; ``coordinate`` an outcome coordinate; ``agent`` "1", "2", ... or
    "i" for an exchangeable agent; ``action`` the agent's action symbol and ``at`` its value
    (the secure action); ``bound`` the side of a feasibility condition, e.g. ">= 0".
    """

    quantity: str = ""
    state: str | None = None
    coordinate: str | None = None
    agent: str | None = None
    action: sp.Symbol | None = None
    at: sp.Expr | None = None
    bound: str | None = None

    def __post_init__(self):
        if self.quantity not in QUANTITIES:
            raise ValueError(f"unknown claim quantity {self.quantity!r}")


class Condition(NamedTuple):
    """A condition of the reduced model: ``expr`` (>= 0, or bounded for a transfer) on ``box``."""

    label: str
    expr: sp.Expr
    box: object
    subject: Subject = Subject()
