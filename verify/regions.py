r"""Piecewise structure: surfaces, sides and regions.

Piecewise definitions (``Piecewise``, ``Max``, ``Min``, ``Abs``, ``Heaviside``)
split the domain along *surfaces* :math:`\{\varphi(x) = 0\}`.  Every relational in
a condition is brought to the canonical form "phi <= 0" or "phi < 0" (with
:math:`\varphi` normalised up to sign), so that ``x_1 + x_2 <= ybar`` and
``x_1 + x_2 > ybar`` name the same surface.  A *region* is a choice of side
(-1 for :math:`\varphi < 0`, +1 for :math:`\varphi > 0`) for every surface; on a
region every piecewise expression collapses to one smooth piece
(:func:`restrict`), which is what symbolic checks work on.  The two one-sided
restrictions across one surface (:func:`side_limit`) give the jump terms.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Iterable, Sequence

import sympy as sp

from irmd.errors import CandidateError


@dataclass(frozen=True)
class Surface:
    """The surface phi = 0 (phi normalised so its leading coefficient is positive)."""

    phi: sp.Expr

    def __str__(self) -> str:
        return f"{self.phi} = 0"


def _canonical(rel: sp.Basic):
    """(Surface, sign, strict) with ``rel`` equivalent to ``sign * phi (< or <=) 0``."""
    if isinstance(rel, (sp.LessThan, sp.StrictLessThan)):
        phi = rel.lhs - rel.rhs
    elif isinstance(rel, (sp.GreaterThan, sp.StrictGreaterThan)):
        phi = rel.rhs - rel.lhs
    else:
        return None
    strict = isinstance(rel, (sp.StrictLessThan, sp.StrictGreaterThan))
    phi = sp.expand(phi)
    sign = 1
    # Normalise up to sign so both orientations of one surface compare equal.
    if phi.could_extract_minus_sign():
        phi, sign = -phi, -1
    return Surface(phi), sign, strict


def relationals(expr: sp.Expr) -> set:
    """All relationals inside Piecewise conditions of ``expr``."""
    found = set()
    for pw in expr.atoms(sp.Piecewise):
        for _, cond in pw.args:
            if isinstance(cond, sp.Basic):
                found |= {r for r in cond.atoms(sp.Rel) if not isinstance(r, (sp.Eq, sp.Ne))}
    return found


def equalities(expr: sp.Expr) -> set:
    found = set()
    for pw in expr.atoms(sp.Piecewise):
        for _, cond in pw.args:
            if isinstance(cond, sp.Basic):
                found |= {r for r in cond.atoms(sp.Eq, sp.Ne)}
    return found


def surfaces_of(exprs: Iterable[sp.Expr], variables: Sequence[sp.Symbol]) -> tuple[list[Surface], list[Surface]]:
    """Surfaces in the domain variables, and conditions on constants only.

    Returns ``(surfaces, constant_conditions)``: the second list holds surfaces
    whose phi involves no domain variable (e.g. ``ybar > 1``); their truth is a
    number, decided once with the constants' values.
    """
    variables = set(variables)
    surfaces: list[Surface] = []
    constant: list[Surface] = []
    for expr in exprs:
        if equalities(expr):
            raise CandidateError("piecewise conditions with == or != are not supported (a region must have "
                                 "interior); use <, <=, > or >=")
        for rel in relationals(expr):
            canon = _canonical(rel)
            if canon is None:
                continue
            surface = canon[0]
            target = surfaces if surface.phi.free_symbols & variables else constant
            if surface not in target:
                target.append(surface)
    return surfaces, constant


def _truth(rel: sp.Basic, sides: dict) -> bool | None:
    canon = _canonical(rel)
    if canon is None:
        return None
    surface, sign, strict = canon
    side = sides.get(surface)
    if side is None:
        return None
    if side == 0:
        return not strict
    return sign * side < 0


def restrict(expr: sp.Expr, sides: dict) -> sp.Expr:
    """``expr`` with every condition decided by ``sides`` (Surface -> -1, 0 or +1).

    Side 0 means "on the surface" (non-strict inequalities hold there).  Surfaces
    missing from ``sides`` are left undecided, so the result may stay piecewise.
    """
    rels = relationals(expr)
    if not rels:
        return expr
    replacement = {}
    for rel in rels:
        value = _truth(rel, sides)
        if value is not None:
            replacement[rel] = sp.true if value else sp.false
    return expr.xreplace(replacement) if replacement else expr


def side_limit(expr: sp.Expr, surface: Surface, side: int, sides: dict | None = None) -> sp.Expr:
    """The piece of ``expr`` on one side of ``surface`` (other surfaces from ``sides``)."""
    decided = dict(sides or {})
    decided[surface] = side
    return restrict(expr, decided)
