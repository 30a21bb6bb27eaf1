r"""Integrals of piecewise expressions over the signal space, and surface terms.

``integrate_over_signals(run, expr)`` computes :math:`\int \mathrm{expr}\,dx` over
the signal box.  Regions of the expression are mapped to intervals of the total
:math:`y` (every surface must be a function of the total, :math:`h(y) = 0`, which
covers thresholds such as :math:`\sum_i x_i = \bar y`), each piece is integrated
over its slices (:mod:`irmd.verify.integrate`), and the intervals are summed.

``surface_integral(run, surface, F)`` computes
:math:`\int \delta(\varphi(x)) F(x)\,dx = \sum_{y^*} F(y^*) V(y^*)/|h'(y^*)|` for a
surface :math:`\varphi = h(\sum_i x_i)`, the singular terms of the potential.
"""
from __future__ import annotations

import mpmath
import sympy as sp

from irmd.analytic.constants import mpmath_function
from irmd.analytic.environment import TOTAL

from .plane import integrate_plane, surface_integral_plane
from .integrate import Integral, bulk_splits, quad_1d, slice_integrand, slice_volume, y_reduce
from .regions import Surface
from .sampling import Box


def _total_form(run, phi: sp.Expr):
    model = run.model
    if model.kind == "symmetric":
        return phi
    return y_reduce(phi, model.signal_box.variables, run.ctx.budget)


def _lower_total(run):
    model = run.model
    constants = list(run.ctx.values)
    with mpmath.workdps(run.ctx.working_dps):
        numbers = [run.ctx.values[c] for c in constants]
        bound = sp.sympify(model.signal_box.lower[0])
        value = mpmath.mpf(mpmath_function(bound, constants)(*numbers))
    return value if model.kind == "symmetric" else model.agents * value


def total_roots(run, phis) -> list:
    """Numeric roots (in y) of the surfaces h(y) on the signal range, sorted."""
    model = run.model
    lower = model.signal_box.lower[0] if model.kind == "symmetric" else model.agents * model.signal_box.lower[0]
    box = Box((TOTAL,), (lower,))
    surfaces = tuple(Surface(phi) for phi in phis)
    probe = type("Probe", (), {"box": box, "surfaces": surfaces, "scales": model.scales})
    points = run.ctx.points(probe)
    roots = sorted({p.coordinates[0] for p in points if 0 in p.sides})
    merged = []
    for r in roots:
        if not merged or abs(r - merged[-1]) > mpmath.mpf(10) ** (-run.ctx.dps) * (1 + abs(r)):
            merged.append(r)
    return merged


def _measure_splits(run, lower):
    model = run.model
    constants = list(run.ctx.values)
    splits = bulk_splits(model.agents, lower)
    with mpmath.workdps(run.ctx.working_dps):
        numbers = [run.ctx.values[c] for c in constants]
        for s in model.scales:
            try:
                v = mpmath.mpf(mpmath_function(sp.sympify(s), constants)(*numbers))
            except (TypeError, ValueError):
                continue
            splits.append(v)
    return splits


def integrate_over_signals(run, expr: sp.Expr) -> Integral:
    """Integral of a piecewise ``expr`` over the signal space (see module docstring)."""
    model = run.model
    box = model.signal_box
    plane = model.kind == "explicit" and model.agents == 2
    if plane and run.options.get("plane_integrals"):
        return integrate_plane(run, expr)
    regions = run.regions([expr], box)
    surfaces = regions[0].surfaces if regions else ()
    totals = []
    for s in surfaces:
        h = _total_form(run, s.phi)
        if h is None:
            if plane:
                return integrate_plane(run, expr)
            return Integral(None, None, "", f"the region boundary {s.phi} = 0 is not a function of the total "
                                            f"of the signals; with N > 2 its integral is not supported")
        totals.append(h)
    lower = _lower_total(run)
    roots = [r for r in total_roots(run, totals) if r > lower] if totals else []
    edges = [lower] + roots + [mpmath.inf]
    splits = _measure_splits(run, lower)
    constants = list(run.ctx.values)
    value, error, methods = mpmath.mpf(0), mpmath.mpf(0), set()
    slice_cache = {}
    with mpmath.workdps(run.ctx.working_dps):
        numbers = [run.ctx.values[c] for c in constants]
        h_fns = [mpmath_function(h, [TOTAL] + constants) for h in totals]
    for a, b in zip(edges, edges[1:]):
        with mpmath.workdps(run.ctx.working_dps):
            mid = (a + b) / 2 if b != mpmath.inf else a + 1 + abs(a)
            sides = tuple(1 if fn(mid, *numbers) > 0 else -1 for fn in h_fns)
        # Prefer a region that decides every surface; a fallback region (degenerate
        # surface left undecided) matches on the surfaces it decides.
        region = next((r for r in regions if tuple(r.side_map.get(s) for s in surfaces) == sides), None) or \
            next((r for r in regions if all(r.side_map.get(s, side) == side for s, side in zip(surfaces, sides))),
                 None)
        if region is None:
            continue
        piece = region.restrict(expr)
        if piece == 0:
            continue
        if piece not in slice_cache:
            if model.kind == "symmetric":
                slice_cache[piece] = (piece * model.measure, "closed-form sum over agents (Erlang slice volume)")
            else:
                slice_cache[piece] = slice_integrand(piece, box.variables, box.lower[0], run.ctx.budget)
        F, how = slice_cache[piece]
        if F is None:
            return integrate_plane(run, expr) if plane else Integral(None, None, "", how)
        methods.add(how)
        part = quad_1d(F, a, b, run.ctx.values, run.ctx.working_dps, splits)
        if not part.ok:
            return part
        with mpmath.workdps(run.ctx.working_dps):
            value += part.value
            error += part.error
    return Integral(value, error, "; ".join(sorted(methods)) or "integrand vanishes")


def surface_integral(run, surface: Surface, F_of_x: sp.Expr):
    r"""(value, roots, method) of int delta(phi(x)) F(x) dx, or (None, [], reason)."""
    model = run.model
    plane = model.kind == "explicit" and model.agents == 2
    if plane and run.options.get("plane_integrals"):
        return surface_integral_plane(run, surface, F_of_x)
    h = _total_form(run, surface.phi)
    F = None if h is None else (F_of_x if model.kind == "symmetric" else
                                y_reduce(F_of_x, model.signal_box.variables, run.ctx.budget))
    if F is None:
        if plane:
            return surface_integral_plane(run, surface, F_of_x)
        return None, [], (f"the singular term on {surface.phi} = 0 is not a function of the total of the signals; "
                          "with N > 2 it is not supported")
    lower = _lower_total(run)
    roots = [r for r in total_roots(run, [h]) if r > lower]
    if model.kind == "symmetric":
        volume = model.measure
    else:
        volume = slice_volume(model.agents, model.signal_box.lower[0])
    dh = sp.diff(h, TOTAL)
    constants = list(run.ctx.values)
    total = mpmath.mpf(0)
    with mpmath.workdps(run.ctx.working_dps):
        numbers = [run.ctx.values[c] for c in constants]
        fn = mpmath_function(F * volume / sp.Abs(dh), [TOTAL] + constants)
        for r in roots:
            total += mpmath.re(fn(r, *numbers))
    return total, roots, f"sum over {len(roots)} crossing(s) of F(y*) V(y*) / |h'(y*)|"
