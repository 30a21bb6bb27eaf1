r"""Mechanisms on the action space :math:`[l, \infty)^N` in reduced form.

:class:`Mechanism` (explicit)
    one sympy expression per outcome coordinate of an explicit
    :class:`~irmd.analytic.environment.Environment`, in the actions ``x_1..x_N``;
:class:`SymmetricMechanism`
    for a :class:`~irmd.analytic.environment.SymmetricEnvironment`: one expression
    per coordinate family, giving agent i's coordinate in terms of its own action
    ``s`` (:data:`~irmd.analytic.environment.OWN`) and the total action ``y``
    (:data:`~irmd.analytic.environment.TOTAL`).  It must be affine in ``s`` (the
    proportional auction is: q_i = s / max(y, ybar)); that is what lets irmd sum
    over any number of agents in closed form.

Expressions may be piecewise (``Piecewise``, ``Max``, ``Min``) and may use
constants and :class:`~irmd.analytic.functions.DefinedFunction` s such as ``T(y)``.
"""
from __future__ import annotations

from dataclasses import dataclass, fields
from typing import Mapping

import sympy as sp

from irmd.errors import CandidateError


def _pairs(mapping: Mapping, what: str) -> tuple:
    pairs = []
    for key, expr in mapping.items():
        try:
            expr = sp.sympify(expr)
        except (sp.SympifyError, TypeError, SyntaxError) as error:
            raise CandidateError(f"{what} for {key}: cannot read expression {expr!r} ({error})") from None
        if not isinstance(expr, sp.Expr):
            raise CandidateError(f"{what} for {key}: {expr!r} is not an expression")
        pairs.append((key, expr))
    return tuple(pairs)


class ExpressionTable:
    """Shared behaviour of mechanisms and information structures: a table of
    (key, expression) pairs (the dataclass's first field) and the bottom ``lower``
    of the space, built from a mapping by ``make``."""

    what = "expression"

    @staticmethod
    def _key(key):
        return key

    @classmethod
    def make(cls, entries: Mapping, lower=0):
        return cls(_pairs({cls._key(k): v for k, v in entries.items()}, cls.what), sp.sympify(lower))

    @property
    def mapping(self) -> dict:
        return dict(getattr(self, fields(self)[0].name))


@dataclass(frozen=True)
class Mechanism(ExpressionTable):
    """Outcome coordinates as functions of the action profile (explicit form)."""

    outcome: tuple
    lower: sp.Expr = sp.S.Zero
    what = "mechanism outcome"


@dataclass(frozen=True)
class SymmetricMechanism(ExpressionTable):
    """Agent i's coordinates as functions of its own action ``s`` and the total ``y``."""

    outcome: tuple
    lower: sp.Expr = sp.S.Zero
    what = "mechanism outcome"


def check_outcome_keys(given: Mapping, expected, what: str):
    missing = [c for c in expected if c not in given]
    unknown = [c for c in given if c not in expected]
    if unknown:
        raise CandidateError(f"{what} gives unknown outcome coordinates {sorted(map(str, unknown))}")
    if missing:
        raise CandidateError(f"{what} does not define outcome coordinates {sorted(map(str, missing))}")
