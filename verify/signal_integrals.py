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

from dataclasses import dataclass

import mpmath
import sympy as sp

from irmd.analytic.constants import mpmath_function
from irmd.analytic.environment import TOTAL

from .breakpoints import Undecided, breakpoints
from .integrate import Integral, bulk_splits, quad_1d, slice_integrand, slice_volume, y_reduce
from .plane import integrate_plane, surface_integral_plane
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


def total_roots(run, phis) -> list | None:
    """The exact points (in y) where the surfaces h(y) = 0 cross the signal range, sorted as
    (expression, value) pairs; None when they cannot be established (see :mod:`.breakpoints`)."""
    model = run.model
    lower = model.signal_box.lower[0] if model.kind == "symmetric" else model.agents * model.signal_box.lower[0]
    try:
        points = breakpoints(phis, TOTAL, lower, run.ctx.values, run.ctx.working_dps, run.ctx.budget)
    except Undecided:
        return None
    return [(p.expr, p.value) for p in points]


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


@dataclass(frozen=True)
class Segment:
    """One interval (lower, upper) of the total of the signals and the slice integrand F there."""

    lower: sp.Expr
    upper: sp.Expr            # may be sympy.oo
    integrand: sp.Expr        # F(TOTAL): the piece integrated over the slice {sum x = y}
    method: str


def signal_segments(run, expr: sp.Expr):
    """(segments, reason): ``int expr dx`` as a sum of one-dimensional integrals over exact intervals of
    the total, or (None, why not) when a region boundary is not a function of the total."""
    model = run.model
    box = model.signal_box
    segments, cache = [], {}
    for region in run.regions([expr], box):
        if not region.exact:
            return None, "the regions of the integrand are not established exactly"
        if region.surfaces and not region.total_sides:
            return None, "a region boundary of the integrand is not a function of the total of the signals"
        piece = region.restrict(expr)
        if piece == 0:
            continue
        F, how = _slice(run, piece, cache)
        if F is None:
            return None, how
        segments += [Segment(lower, upper, F, how) for lower, upper in region.intervals]
    return segments, ""


def _slice(run, piece, cache):
    model = run.model
    if piece not in cache:
        if model.kind == "symmetric":
            cache[piece] = (piece * model.measure, "closed-form sum over agents (Erlang slice volume)")
        else:
            box = model.signal_box
            cache[piece] = slice_integrand(piece, box.variables, box.lower[0], run.ctx.budget)
    return cache[piece]


def _sampled_crossings(run, totals) -> list:
    """Where sample points along the total find the surfaces h(y) = 0 (numeric only), sorted."""
    lower = _lower_total(run)
    line = Box((TOTAL,), (sp.Float(lower, run.ctx.working_dps),))
    probe = type("Probe", (), {"box": line, "surfaces": tuple(Surface(h) for h in totals),
                               "scales": run.model.scales})
    return sorted({p.coordinates[0] for p in run.ctx.points(probe) if 0 in p.sides and p.coordinates[0] > lower})


def _sampled_segments(run, expr: sp.Expr):
    """Segments between the crossings that sample points find: the numeric quadrature's last resort
    when the breakpoints are not established exactly (a spent budget); never used for a proof."""
    model = run.model
    regions = run.regions([expr], model.signal_box)
    surfaces = regions[0].surfaces if regions else ()
    totals = [_total_form(run, s.phi) for s in surfaces]
    if any(h is None for h in totals):
        return None, "a region boundary of the integrand is not a function of the total of the signals"
    lower = _lower_total(run)
    edges = [lower] + _sampled_crossings(run, totals) + [mpmath.inf]
    constants = list(run.ctx.values)
    segments, cache = [], {}
    with mpmath.workdps(run.ctx.working_dps):
        numbers = [run.ctx.values[c] for c in constants]
        functions = [mpmath_function(h, [TOTAL] + constants) for h in totals]
        for a, b in zip(edges, edges[1:]):
            inside = (a + b) / 2 if b != mpmath.inf else a + 1 + abs(a)
            sides = tuple(1 if fn(inside, *numbers) > 0 else -1 for fn in functions)
            region = next((r for r in regions if tuple(r.side_map.get(s) for s in surfaces) == sides), None)
            if region is None or region.restrict(expr) == 0:
                continue
            F, how = _slice(run, region.restrict(expr), cache)
            if F is None:
                return None, how
            segments.append(Segment(sp.Float(a, run.ctx.working_dps),
                                    sp.oo if b == mpmath.inf else sp.Float(b, run.ctx.working_dps), F, how))
    return segments, ""


def _value(run, expr):
    constants = list(run.ctx.values)
    with mpmath.workdps(run.ctx.working_dps):
        return mpmath.mpf(mpmath_function(sp.sympify(expr), constants)(*[run.ctx.values[c] for c in constants]))


def integrate_over_signals(run, expr: sp.Expr) -> Integral:
    """Integral of a piecewise ``expr`` over the signal space (see module docstring)."""
    model = run.model
    plane = model.kind == "explicit" and model.agents == 2
    if plane and run.options.plane_integrals:
        return integrate_plane(run, expr)
    segments, reason = signal_segments(run, expr)
    if segments is None and "not established exactly" in reason:
        segments, reason = _sampled_segments(run, expr)
    if segments is None:
        return integrate_plane(run, expr) if plane else Integral(None, None, "", reason + "; with N > 2 its "
                                                                  "integral is not supported")
    splits = _measure_splits(run, _lower_total(run))
    value, error, methods = mpmath.mpf(0), mpmath.mpf(0), set()
    for segment in segments:
        a = _value(run, segment.lower)
        b = mpmath.inf if segment.upper is sp.oo else _value(run, segment.upper)
        part = quad_1d(segment.integrand, a, b, run.ctx.values, run.ctx.working_dps, splits)
        if not part.ok:
            return part
        methods.add(segment.method)
        with mpmath.workdps(run.ctx.working_dps):
            value += part.value
            error += part.error
    return Integral(value, error, "; ".join(sorted(methods)) or "integrand vanishes")


def surface_term_form(run, surface: Surface, F_of_x: sp.Expr, exact: bool = True):
    """(G, roots, reason): the singular term is the sum of G(y*) = F(y*) V(y*) / |h'(y*)| over the exact
    crossing points y* of the surface phi = h(sum x); G is None (with the reason) when that form fails.
    With ``exact=False`` (numeric quadrature only) crossings found by sample points stand in for
    exact ones that cannot be established."""
    model = run.model
    h = _total_form(run, surface.phi)
    F = None if h is None else (F_of_x if model.kind == "symmetric" else
                                y_reduce(F_of_x, model.signal_box.variables, run.ctx.budget))
    if F is None:
        return None, [], (f"the singular term on {surface.phi} = 0 is not a function of the total of the signals; "
                          "with N > 2 it is not supported")
    roots = total_roots(run, [h])
    if roots is None and not exact:
        roots = [(None, r) for r in _sampled_crossings(run, [h])]
    if roots is None:
        return None, [], f"the points where {surface.phi} = 0 crosses the signal range are not established exactly"
    volume = model.measure if model.kind == "symmetric" else slice_volume(model.agents, model.signal_box.lower[0])
    return F * volume / sp.Abs(sp.diff(h, TOTAL)), roots, ""


def surface_integral(run, surface: Surface, F_of_x: sp.Expr):
    r"""(value, roots, method) of int delta(phi(x)) F(x) dx, or (None, [], reason)."""
    model = run.model
    plane = model.kind == "explicit" and model.agents == 2
    if plane and run.options.plane_integrals:
        return surface_integral_plane(run, surface, F_of_x)
    G, roots, reason = surface_term_form(run, surface, F_of_x, exact=False)
    if G is None:
        return surface_integral_plane(run, surface, F_of_x) if plane else (None, [], reason)
    constants = list(run.ctx.values)
    total = mpmath.mpf(0)
    with mpmath.workdps(run.ctx.working_dps):
        numbers = [run.ctx.values[c] for c in constants]
        fn = mpmath_function(G, [TOTAL] + constants)
        for _, r in roots:
            total += mpmath.re(fn(r, *numbers))
    return total, roots, f"sum over {len(roots)} crossing(s) of F(y*) V(y*) / |h'(y*)|"
