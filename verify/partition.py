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
from .regions import Surface, restrict, surfaces_of
from .sampling import Box, in_closure, in_interior


@dataclass(frozen=True)
class Region:
    sides: tuple            # ((Surface, side), ...) including constant conditions
    surfaces: tuple         # the variable surfaces (for point classification)
    intervals: tuple = ()   # ((lower, upper), ...) of the total of the variables, when exact
    exact: bool = True      # False: found from sample points only (nothing on it can be proved)
    sampled: bool = True    # some sample point lies inside (False: possibly empty)
    # When every surface is a function h(total): ((Surface(h), side), ...), the same region on the
    # line of the total (claims that depend on the total only are decided there).
    total_sides: tuple = ()

    @property
    def side_map(self) -> dict:
        return dict(self.sides)

    def side_map_key(self) -> tuple:
        """The variable surfaces' sides as a sortable key."""
        return tuple(sorted((str(s.phi), v) for s, v in self.sides if s in self.surfaces))

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
        lower_total = sum((sp.sympify(b) for b in box.lower), sp.S.Zero)
        return [Region(fixed, (), ((lower_total, sp.oo),))]
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
    pieces = _total_pieces(along_total, box, ctx)
    by_pattern: dict = {}
    for piece in pieces:
        sides = tuple((s, side) for (s, _), side in zip(along_total, piece.sides))
        by_pattern.setdefault(sides, []).append((piece.lower, piece.upper))
    regions = []
    for total_sides, spans in by_pattern.items():
        on_total = () if free else tuple((Surface(h), side) for (_, h), (_, side) in zip(along_total, total_sides))
        for pattern in itertools.product((-1, 1), repeat=len(free)):
            sides = dict(total_sides)
            sides.update({s: side for (s, _), side in zip(free, pattern)})
            sampled = any(in_interior(p, sides, surfaces) for p in points)
            regions.append(Region(tuple(sides.items()) + fixed, surfaces, tuple(spans), True, sampled, on_total))
    return regions


def _total_pieces(along_total, box: Box, ctx) -> list[Interval]:
    lower_total = sum((sp.sympify(b) for b in box.lower), sp.S.Zero)
    if not along_total:
        return [Interval(lower_total, sp.oo, ())]
    phis = [h for _, h in along_total]
    # The same surfaces come back for every claim of a check: their breakpoints are found once
    # per run (keyed on the exact surfaces, the lower end, the constants' values and the
    # precision).  Only an established answer is remembered: Undecided may come from a budget.
    memo = getattr(ctx, "memo", None)
    key = ("total pieces", tuple(phis), lower_total, tuple(ctx.values.items()), ctx.working_dps)
    if memo is not None and key in memo:
        return list(memo[key])
    pieces = intervals(phis, TOTAL, lower_total, ctx.values, ctx.working_dps, ctx.budget)
    if memo is not None:
        memo[key] = tuple(pieces)
    return pieces


def surface_pieces(exprs, box: Box, ctx) -> list | None:
    """(surface, region below it, the other sides) for every surface piece, from the exact
    breakpoints: where consecutive intervals of the total differ in a surface's side, that surface
    bounds the lower interval's region there.  None when some surface is not a function of the total."""
    surfaces, conditions = surfaces_of(exprs, box.variables)
    if not surfaces:
        return []
    fixed = tuple(constant_sides(conditions, ctx.values, ctx.working_dps).items())
    along_total = []
    for s in surfaces:
        h = total_form(s.phi, box.variables, ctx.budget)
        if h is None:
            return None
        along_total.append((s, h))
    try:
        pieces = _total_pieces(along_total, box, ctx)
    except Undecided:
        return None
    regions = {r.side_map_key(): r for r in _exact_regions(tuple(surfaces), fixed, box, ctx, ())}
    out, seen = [], set()
    for below, above in zip(pieces, pieces[1:]):
        sides = {s: side for (s, _), side in zip(along_total, below.sides)}
        region = regions[tuple(sorted(((str(s.phi), v) for s, v in sides.items())))]
        for (surface, _), side_below, side_above in zip(along_total, below.sides, above.sides):
            if side_below == side_above:
                continue
            others = {s: v for s, v in sides.items() if s != surface}
            others.update(dict(fixed))
            key = (surface, tuple(sorted((str(s.phi), v) for s, v in others.items())))
            if key not in seen:
                seen.add(key)
                out.append((surface, region, others))
    return out


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
