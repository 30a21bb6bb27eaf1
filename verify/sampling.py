r"""Sample points for numeric checks: corners, faces, region boundaries, far field.

A domain is a box :math:`\prod_i [l_i, \infty)` in the check's variables (the
actions of an explicit model, or the total ``y`` of a symmetric one).  Points lie
on rays :math:`x = l + r d` from the lower corner, with directions ``d`` on the
simplex (the axes, the centre, pairs of axes, seeded random directions) and
radii ``r`` on a grid that is dense near the model's characteristic scales (e.g.
:math:`\bar y`, or :math:`N \pm k\sqrt N` for the Erlang measure).  Along every
ray, each surface crossing is located by bisection, and points are placed on the
surface and just off it on both sides, so boundaries between regions are always
sampled.  The lower corner, the faces (directions with zero components) and the
far field (radii up to 10^6 times the largest scale) are included.
"""
from __future__ import annotations

import itertools
import random
from dataclasses import dataclass
from typing import Sequence

import mpmath
import sympy as sp

from irmd.analytic.constants import bisect, mpmath_function

from .regions import Surface


@dataclass(frozen=True)
class Box:
    """``prod_i [lower_i, oo)`` in ``variables`` (lower bounds may use constants)."""

    variables: tuple[sp.Symbol, ...]
    lower: tuple[sp.Expr, ...]

    @property
    def dimension(self) -> int:
        return len(self.variables)


@dataclass(frozen=True)
class Point:
    """A sample point: coordinates, the radius and direction it came from, and
    the sides of every surface (0 = on the surface)."""

    coordinates: tuple
    sides: tuple

    def as_dict(self, variables) -> dict:
        return dict(zip(variables, self.coordinates))


_BASE_RADII = ("0", "1e-12", "1e-6", "1e-3", "0.01", "0.05", "0.1", "0.2", "0.35", "0.5", "0.7", "1",
               "1.3", "1.7", "2", "2.5", "3", "4", "5", "7", "10", "15", "25", "50", "100", "1000",
               "1e4", "1e6")
_SCALE_FACTORS = ("0.5", "0.8", "0.9", "0.99", "1", "1.01", "1.1", "1.25", "1.5", "2", "3", "10", "100", "1e4",
                  "1e6")


def directions(dimension: int, random_count: int = 6, seed: int = 20261124) -> list[tuple]:
    """Directions on the simplex: centre, axes, pairs of axes, skewed and random ones."""
    n = dimension
    if n == 1:
        return [(mpmath.mpf(1),)]
    one = mpmath.mpf(1)
    dirs = [tuple(one / n for _ in range(n))]
    for i in range(n):
        dirs.append(tuple(one if j == i else mpmath.mpf(0) for j in range(n)))
    pairs = list(itertools.combinations(range(n), 2))[:12]
    for i, j in pairs:
        dirs.append(tuple(one / 2 if k in (i, j) else mpmath.mpf(0) for k in range(n)))
    for i in range(min(n, 4)):
        heavy = mpmath.mpf(9) / 10
        dirs.append(tuple(heavy if k == i else (one - heavy) / (n - 1) for k in range(n)))
    rng = random.Random(seed + n)
    for _ in range(random_count):
        weights = [rng.expovariate(1.0) for _ in range(n)]
        total = sum(weights)
        dirs.append(tuple(mpmath.mpf(w) / total for w in weights))
    return dirs


def radii(scales: Sequence) -> list:
    """Radius grid: a fixed grid plus dense neighbourhoods of each scale."""
    out = {mpmath.mpf(r) for r in _BASE_RADII}
    for s in scales:
        s = mpmath.mpf(s) if not isinstance(s, mpmath.mpc) else mpmath.mpf(s.real)
        if mpmath.isfinite(s) and s > 0:
            out |= {s * mpmath.mpf(f) for f in _SCALE_FACTORS}
    return sorted(out)


def sample(
    box: Box,
    surfaces: Sequence[Surface],
    values: dict,
    dps: int,
    scales: Sequence = (),
    extra_directions: Sequence[tuple] = (),
    random_count: int = 6,
) -> list[Point]:
    """Points of ``box`` classified against ``surfaces``, computed at ``dps`` digits.

    ``values`` maps constant symbols to mpmath numbers; ``scales`` are
    characteristic radii (sums of offsets from the lower corner).
    """
    variables = list(box.variables)
    constants = list(values)
    numbers = [values[c] for c in constants]
    lower = [mpmath.mpf(mpmath_function(sp.sympify(b), constants)(*numbers)) for b in box.lower]
    phis = [mpmath_function(s.phi, variables + constants) for s in surfaces]
    eps = mpmath.mpf(10) ** (-(dps * 2) // 3)

    def at(r, d):
        return tuple(l + r * di for l, di in zip(lower, d))

    def phi_values(x):
        out = []
        for f in phis:
            try:
                out.append(mpmath.mpf(f(*x, *numbers)))
            except (ZeroDivisionError, ValueError, TypeError):
                out.append(mpmath.nan)
        return out

    def classify(x, vals=None):
        vals = vals if vals is not None else phi_values(x)
        sides = []
        for v in vals:
            if mpmath.isnan(v):
                sides.append(None)
            elif abs(v) <= eps * (1 + sum(abs(c) for c in x)):
                sides.append(0)
            else:
                sides.append(1 if v > 0 else -1)
        return tuple(sides)

    grid = radii([mpmath_function(sp.sympify(sc), constants)(*numbers) for sc in scales])
    points: dict[tuple, Point] = {}
    for d in list(directions(len(variables), random_count)) + [tuple(map(mpmath.mpf, e)) for e in extra_directions]:
        along = []
        for r in grid:
            x = at(r, d)
            vals = phi_values(x)
            along.append((r, x, vals))
            points.setdefault(x, Point(x, classify(x, vals)))
        # Locate each surface crossing on this ray and sample on and beside it.
        for k in range(len(phis)):
            for (r0, _, v0), (r1, _, v1) in zip(along, along[1:]):
                a, b = v0[k], v1[k]
                if mpmath.isnan(a) or mpmath.isnan(b) or a == 0 or b == 0 or mpmath.sign(a) == mpmath.sign(b):
                    continue
                root = _bisect(lambda r: phis[k](*at(r, d), *numbers), r0, r1, a, dps)
                for r in (root, root * (1 - mpmath.mpf("1e-6")), root * (1 + mpmath.mpf("1e-6")),
                          (root + r0) / 2, (root + r1) / 2):
                    x = at(r, d)
                    points.setdefault(x, Point(x, classify(x)))
    return list(points.values())


def _bisect(f, lo, hi, flo, dps: int):
    lo, hi, exact = bisect(f, lo, hi, flo, mpmath.mpf(10) ** (-dps + 5) * (1 + abs(hi)))
    return exact if exact is not None else (lo + hi) / 2


def in_closure(point: Point, region_sides: dict, surfaces: Sequence[Surface]) -> bool:
    """True if the point lies in the closure of the region given by ``region_sides``."""
    for surface, side in zip(surfaces, point.sides):
        wanted = region_sides.get(surface)
        if wanted is None or side == 0:
            continue
        if side is None or side != wanted:
            return False
    return True


def in_interior(point: Point, region_sides: dict, surfaces: Sequence[Surface]) -> bool:
    for surface, side in zip(surfaces, point.sides):
        wanted = region_sides.get(surface)
        if wanted is None:
            continue
        if side != wanted:
            return False
    return True
