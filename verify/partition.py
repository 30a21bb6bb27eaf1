"""Regions of a piecewise expression, from its surfaces -- never from where samples land.

The surfaces of the expressions split the box into at most 2^k side patterns.

* Surfaces that are functions of the total of the variables (every surface in
  one dimension; thresholds such as ``x_1 + x_2 = ybar`` in several) meet the
  line of the total in exact breakpoints (:mod:`irmd.verify.breakpoints`), so
  their side patterns are exactly the intervals between them.
* The other surfaces contribute every one of their 2^k patterns; a pattern that
  no sample point reaches is still a region (``sampled=False``), on which a
  claim must be proved (symbolically or by enclosure) or stays undecided.
* If the breakpoints cannot be established, the regions come from sample
  points as a last resort and are marked ``exact=False``: no claim on them can
  be proved, only confirmed.

Conditions on constants alone (``ybar > 1``) are decided once, numerically.
"""
from __future__ import annotations

import itertools
from dataclasses import dataclass

import mpmath
import sympy as sp

from irmd.analytic.constants import mpmath_function
from irmd.analytic.environment import TOTAL

from .breakpoints import Interval, Undecided, intervals
from .integrate import y_reduce
from .regions import restrict, surfaces_of
from .sampling import Box, in_closure, in_interior


@dataclass(frozen=True)
class Region:
    sides: tuple            # ((Surface, side), ...) including constant conditions
    surfaces: tuple         # the variable surfaces (for point classification)
    intervals: tuple = ()   # ((lower, upper), ...) of the total of the variables, when exact
    exact: bool = True      # False: found from sample points only (nothing on it can be proved)
    sampled: bool = True    # some sample point lies inside (False: possibly empty)

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


#: Largest number of surfaces that are not functions of the total (2^k patterns each).
MAX_FREE_SURFACES = 6


def partition(exprs, box: Box, ctx, scales=()) -> list[Region]:
    """Regions of ``box`` on which every expression in ``exprs`` is one smooth piece."""
    surfaces, conditions = surfaces_of(exprs, box.variables)
    fixed = tuple(constant_sides(conditions, ctx.values, ctx.working_dps).items())
    surfaces = tuple(surfaces)
    if not surfaces:
        return [Region(fixed, ())]
    points = ctx.points(_Probe(box, surfaces, tuple(scales)))
    try:
        return _exact_regions(surfaces, fixed, box, ctx, points)
    except Undecided as why:
        return _sampled_regions(surfaces, fixed, points, str(why))


def total_form(phi: sp.Expr, variables, budget) -> sp.Expr | None:
    """phi as a function of the total of ``variables`` (in TOTAL), or None."""
    if len(variables) == 1:
        return phi.xreplace({variables[0]: TOTAL})
    return y_reduce(phi, variables, budget)


def _exact_regions(surfaces, fixed, box: Box, ctx, points) -> list[Region]:
    variables = box.variables
    along_total, free = [], []
    for s in surfaces:
        h = total_form(s.phi, variables, ctx.budget)
        (along_total if h is not None else free).append((s, h))
    if len(free) > MAX_FREE_SURFACES:
        raise Undecided(f"{len(free)} region boundaries that are not functions of the total of the signals")
    lower_total = sum((sp.sympify(b) for b in box.lower), sp.S.Zero)
    if along_total:
        pieces = intervals([h for _, h in along_total], TOTAL, lower_total, ctx.values, ctx.working_dps, ctx.budget)
    else:
        pieces = [Interval(lower_total, sp.oo, ())]
    by_pattern: dict = {}
    for piece in pieces:
        sides = tuple((s, side) for (s, _), side in zip(along_total, piece.sides))
        by_pattern.setdefault(sides, []).append((piece.lower, piece.upper))
    regions = []
    for total_sides, spans in by_pattern.items():
        for pattern in itertools.product((-1, 1), repeat=len(free)):
            sides = dict(total_sides)
            sides.update({s: side for (s, _), side in zip(free, pattern)})
            sampled = any(in_interior(p, sides, surfaces) for p in points)
            regions.append(Region(tuple(sides.items()) + fixed, surfaces, tuple(spans), True, sampled))
    return regions


def _sampled_regions(surfaces, fixed, points, why: str) -> list[Region]:
    """Last resort: the patterns that sample points reach (nothing on them can be proved)."""
    regions = []
    for pattern in itertools.product((-1, 1), repeat=len(surfaces)):
        sides = dict(zip(surfaces, pattern))
        if any(in_interior(p, sides, surfaces) for p in points):
            regions.append(Region(tuple(sides.items()) + fixed, surfaces, exact=False))
    # A surface can be degenerate: phi vanishes on a whole open set (a coefficient
    # that is identically zero there).  Points on it lie in no region's interior;
    # they get a region of their own with that condition left undecided, so no
    # part of the box is ever silently skipped.
    for p in points:
        if any(in_closure(p, r.side_map, surfaces) for r in regions):
            continue
        sides = {s: side for s, side in zip(surfaces, p.sides) if side not in (0, None)}
        region = Region(tuple(sides.items()) + fixed, surfaces, exact=False)
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
