r"""Integrals over the plane of signals when the reduction to the total fails (N = 2).

:mod:`irmd.verify.signal_integrals` reduces integrals to one dimension along the
total :math:`y = x_1 + x_2`; that needs every region boundary to be a function of
the total.  A conjecture with another boundary (:math:`x_1 = c`,
:math:`x_2 = 2x_1`, ...) is integrated here instead, by nested tanh-sinh
quadrature: for each :math:`x_1` the inner integral over :math:`x_2` is split at
every crossing of a surface (found by sampling and bracketing), and the outer
integral is split where a surface meets the lower edge :math:`x_2 = l`.

Surface terms use :math:`\int \delta(\varphi(x)) F(x)\,dx =
\int \sum_{x_2^*} F(x_1, x_2^*)/|\partial_2\varphi(x_1, x_2^*)|\,dx_1` with the
roles of the axes swapped when :math:`\varphi` does not depend on :math:`x_2`.

Both are numeric (the result is *confirmed* at best) and cost far more than the
reduced integrals; the error estimate reported is the outer quadrature's plus
the largest inner one.
"""
from __future__ import annotations

import mpmath
import sympy as sp

from irmd.analytic.constants import bisect, mpmath_function

from .integrate import Integral
from .regions import Surface, surfaces_of
from .sampling import radii


def _crossings(phi, lower, grid):
    """Roots of phi(t) for t in [lower, oo): sign changes on the grid, refined."""
    roots = []
    previous = None
    for r in grid:
        t = lower + r
        try:
            v = phi(t)
        except (ZeroDivisionError, ValueError):
            previous = None
            continue
        if previous is not None and previous[1] != 0 and v != 0 and mpmath.sign(previous[1]) != mpmath.sign(v):
            lo, hi, exact = bisect(phi, previous[0], t, previous[1], (t - previous[0]) * mpmath.mpf(10) ** -6)
            if exact is not None:
                roots.append(exact)
            else:
                try:
                    root = mpmath.findroot(phi, (lo, hi), solver="anderson")
                    roots.append(root if lo <= root <= hi else (lo + hi) / 2)
                except (ValueError, ZeroDivisionError):
                    roots.append((lo + hi) / 2)
        elif v == 0:
            roots.append(t)
        previous = (t, v)
    return sorted(set(roots))


class _Plane:
    def __init__(self, run, exprs):
        model = run.model
        self.run = run
        self.x1, self.x2 = model.signal_box.variables
        self.constants = list(run.ctx.values)
        self.numbers = [run.ctx.values[c] for c in self.constants]
        self.dps = run.ctx.working_dps
        with mpmath.workdps(self.dps):
            self.lower = mpmath.mpf(mpmath_function(sp.sympify(model.signal_box.lower[0]),
                                                    self.constants)(*self.numbers))
            scales = []
            for s in model.scales:
                try:
                    scales.append(mpmath.mpf(mpmath_function(sp.sympify(s), self.constants)(*self.numbers)))
                except (TypeError, ValueError):
                    pass
            self.grid = radii(scales)
        surfaces, _ = surfaces_of(exprs, (self.x1, self.x2))
        self.phis = [mpmath_function(s.phi, [self.x1, self.x2] + self.constants) for s in surfaces]

    def function(self, expr):
        fn = mpmath_function(expr, [self.x1, self.x2] + self.constants, cse=True)

        def f(a, b):
            try:
                return mpmath.re(fn(a, b, *self.numbers))
            except ZeroDivisionError:
                eta = mpmath.mpf(10) ** (-(self.dps // 3))
                return mpmath.re(fn(a + eta, b + eta, *self.numbers))
        return f

    def inner_breaks(self, a):
        out = []
        for phi in self.phis:
            out += _crossings(lambda b: phi(a, b, *self.numbers), self.lower, self.grid)
        return sorted(set(p for p in out if p > self.lower))

    def outer_breaks(self):
        out = []
        for phi in self.phis:
            out += _crossings(lambda a: phi(a, self.lower, *self.numbers), self.lower, self.grid)
        return sorted(set(p for p in out if p > self.lower))


def integrate_plane(run, expr: sp.Expr) -> Integral:
    """Integral of ``expr`` over [l, oo)^2 by nested quadrature split at surface crossings."""
    plane = _Plane(run, [expr])
    f = plane.function(expr)
    worst_inner = [mpmath.mpf(0)]
    with mpmath.workdps(plane.dps):
        def inner(a):
            points = [plane.lower] + plane.inner_breaks(a) + [mpmath.inf]
            value, error = mpmath.quad(lambda b: f(a, b), points, error=True, maxdegree=8)
            worst_inner[0] = max(worst_inner[0], abs(error))
            return value

        points = [plane.lower] + plane.outer_breaks() + [mpmath.inf]
        try:
            value, error = mpmath.quad(inner, points, error=True, maxdegree=8)
        except (ValueError, ZeroDivisionError) as failure:
            return Integral(None, None, "nested quadrature over the plane", f"quadrature failed: {failure}")
        if not mpmath.isfinite(value):
            return Integral(None, None, "nested quadrature over the plane", "the integral diverges")
        error = abs(error) + worst_inner[0]
    return Integral(value, error, f"nested tanh-sinh quadrature over the plane at {plane.dps} digits, split at "
                                  f"surface crossings")


def surface_integral_plane(run, surface: Surface, F: sp.Expr):
    """(value, crossings, method) of int delta(phi) F dx over [l, oo)^2, or (None, [], reason)."""
    x1, x2 = run.model.signal_box.variables
    vertical = sp.diff(surface.phi, x2) == 0
    # Parametrise by the axis along which phi does not vary identically.
    along, across = (x2, x1) if vertical else (x1, x2)
    plane = _Plane(run, [F])
    phi = mpmath_function(surface.phi, [along, across] + plane.constants)
    dphi = mpmath_function(sp.Abs(sp.diff(surface.phi, across)), [along, across] + plane.constants)
    order = (along, across)
    fn = mpmath_function(F, list(order) + plane.constants, cse=True)
    with mpmath.workdps(plane.dps):
        def density(a):
            total = mpmath.mpf(0)
            for b in _crossings(lambda t: phi(a, t, *plane.numbers), plane.lower, plane.grid):
                total += mpmath.re(fn(a, b, *plane.numbers)) / dphi(a, b, *plane.numbers)
            return total

        ends = _crossings(lambda a: phi(a, plane.lower, *plane.numbers), plane.lower, plane.grid)
        try:
            value = mpmath.quad(density, [plane.lower] + ends + [mpmath.inf], maxdegree=8)
        except (ValueError, ZeroDivisionError) as failure:
            return None, [], f"quadrature along the surface failed: {failure}"
    return value, ends, f"quadrature along {surface.phi} = 0 (parametrised by {along})"
