"""Regions of a piecewise expression, found from its surfaces and sample points.

The surfaces of the expressions split the box into at most 2^k side patterns;
a pattern is a region when some sample point lies strictly inside it.
Conditions on constants alone (``ybar > 1``) are decided once, numerically.
"""
from __future__ import annotations

import itertools
from dataclasses import dataclass

import mpmath
import sympy as sp

from irmd.analytic.constants import mpmath_function

from .regions import Surface, restrict, surfaces_of
from .sampling import Box, in_closure, in_interior


@dataclass(frozen=True)
class Region:
    sides: tuple            # ((Surface, side), ...) including constant conditions
    surfaces: tuple         # the variable surfaces (for point classification)

    @property
    def side_map(self) -> dict:
        return dict(self.sides)

    def restrict(self, expr: sp.Expr) -> sp.Expr:
        return restrict(expr, self.side_map)

    @property
    def condition(self):
        """The region as a sympy condition (its variable surfaces' strict sides)."""
        parts = [(s.phi < 0) if side < 0 else (s.phi > 0) for s, side in self.sides if s in self.surfaces]
        return sp.And(*parts) if parts else sp.true

    @property
    def text(self) -> str:
        parts = [f"{s.phi} {'<' if side < 0 else '>'} 0" for s, side in self.sides if s in self.surfaces]
        return " and ".join(parts) if parts else "everywhere"


def constant_sides(conditions, values: dict, dps: int) -> dict:
    constants = list(values)
    numbers = [values[c] for c in constants]
    out = {}
    with mpmath.workdps(dps):
        for surface in conditions:
            v = mpmath.mpf(mpmath_function(surface.phi, constants)(*numbers))
            out[surface] = 0 if v == 0 else (1 if v > 0 else -1)
    return out


def partition(exprs, box: Box, ctx, scales=()) -> list[Region]:
    """Regions of ``box`` on which every expression in ``exprs`` is one smooth piece."""
    surfaces, conditions = surfaces_of(exprs, box.variables)
    fixed = constant_sides(conditions, ctx.values, ctx.working_dps)
    surfaces = tuple(surfaces)
    if not surfaces:
        return [Region(tuple(fixed.items()), ())]
    probe = _Probe(box, surfaces, tuple(scales))
    points = ctx.points(probe)
    regions = []
    for pattern in itertools.product((-1, 1), repeat=len(surfaces)):
        sides = dict(zip(surfaces, pattern))
        if any(in_interior(p, sides, surfaces) for p in points):
            regions.append(Region(tuple(sides.items()) + tuple(fixed.items()), surfaces))
    # A surface can be degenerate: phi vanishes on a whole open set (a coefficient
    # that is identically zero there).  Points on it lie in no region's interior;
    # they get a region of their own with that condition left undecided, so no
    # part of the box is ever silently skipped.
    for p in points:
        if any(in_closure(p, r.side_map, surfaces) for r in regions):
            continue
        sides = {s: side for s, side in zip(surfaces, p.sides) if side not in (0, None)}
        region = Region(tuple(sides.items()) + tuple(fixed.items()), surfaces)
        if region not in regions:
            regions.append(region)
    return regions


@dataclass(frozen=True)
class _Probe:
    """Stands in for a claim when asking the context for sample points."""

    box: Box
    surfaces: tuple
    scales: tuple


def interval_bounds(region: Region, variable: sp.Symbol):
    """Symbolic (lower, upper) bounds on ``variable`` implied by linear surfaces of a
    one-dimensional region, as ((var, bound), ...) tuples for sign proofs."""
    lower, upper = [], []
    for surface, side in region.sides:
        if surface not in region.surfaces:
            continue
        phi = surface.phi
        if sp.degree(phi, variable) != 1 if phi.is_polynomial(variable) else True:
            continue
        alpha = sp.diff(phi, variable)
        root = sp.solve(phi, variable)
        if len(root) != 1 or alpha.is_positive is None and alpha.is_negative is None:
            continue
        increasing = bool(alpha.is_positive)
        if (side > 0) == increasing:
            lower.append((variable, root[0]))
        else:
            upper.append((variable, root[0]))
    return tuple(lower[:1]), tuple(upper[:1])
