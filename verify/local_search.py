r"""Local maximisation of a claim's residual from the worst sample points.

The fixed sample set is a first pass; a violation narrower than its spacing is
seen, if at all, only as a slightly larger residual at the nearest sample.  From
the few worst points a compass search (each coordinate stepped both ways, the
step halved when no move improves) climbs the residual, staying strictly inside
the claim's region.  What it finds is only ever a candidate counterexample: the
caller re-checks it at higher precision and certifies it in ball arithmetic.
Nothing found here proves or confirms anything.
"""
from __future__ import annotations

from collections.abc import Callable, Sequence

import mpmath
import sympy as sp

from irmd.analytic.constants import mpmath_function

from .sampling import Point

#: Starting points taken from the sample (largest residuals first).
STARTS = 3
#: Evaluations of the claim allowed from each start.
EVALUATIONS = 48
#: Halvings of the step before a start is given up.
HALVINGS = 12


def region_test(variables, lower, region: Sequence, intervals: Sequence, constants, numbers) -> Callable:
    """inside(x): x lies in the box (x >= lower), strictly on the region's side of each of its
    surfaces and, for a one-variable claim with exact intervals, inside one of them.  None for a
    region on a surface (a side 0): no step of a compass search stays on it."""
    if any(side == 0 for _, side in region):
        return None
    tests = []
    for surface, side in region:
        phi = mpmath_function(surface.phi, list(variables) + list(constants))
        tests.append((phi, side))
    spans = [tuple(mpmath.mpf(mpmath_function(sp.sympify(end), constants)(*numbers)) if end is not sp.oo
                   else mpmath.inf for end in span) for span in intervals]

    def inside(x) -> bool:
        if any(c < b for c, b in zip(x, lower)):
            return False
        if spans and len(x) == 1 and not any(lo < x[0] < hi for lo, hi in spans):
            return False
        try:
            return all(mpmath.sign(phi(*x, *numbers)) == side for phi, side in tests)
        except (ZeroDivisionError, ValueError, TypeError, OverflowError):
            return False
    return inside


def climb(objective: Callable, starts: Sequence[Point], inside: Callable) -> list[tuple]:
    """Points reached by compass search that increase ``objective`` (None where it cannot be
    evaluated) from each start; returns (value of the objective, coordinates) at each end point."""
    reached = []
    for start in starts[:STARTS]:
        x = tuple(start.coordinates)
        best = objective(x)
        if best is None:
            continue
        steps = [mpmath.mpf("0.05") * (1 + abs(c)) for c in x]
        used, halvings = 1, 0
        while used < EVALUATIONS and halvings < HALVINGS:
            moved = False
            for k in range(len(x)):
                for direction in (1, -1):
                    trial = tuple(c + direction * steps[k] if j == k else c for j, c in enumerate(x))
                    if not inside(trial):
                        continue
                    used += 1
                    value = objective(trial)
                    if value is not None and value > best:
                        x, best, moved = trial, value, True
                        break
                if used >= EVALUATIONS:
                    break
            if not moved:
                steps = [s / 2 for s in steps]
                halvings += 1
        reached.append((best, x))
    return reached
