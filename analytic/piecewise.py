"""Piecewise forms of the functions that are piecewise in disguise.

``Max``, ``Min``, ``Abs``, ``Heaviside`` and ``sign`` each split their domain along a
surface; written as ``Piecewise`` they expose that surface to the region analysis
(:mod:`irmd.verify.regions`) and to the resolution of defined functions
(:mod:`irmd.analytic.resolve`).
"""
from __future__ import annotations

import sympy as sp

PIECEWISE_LIKE = (sp.Max, sp.Min, sp.Abs, sp.Heaviside, sp.sign)


def to_piecewise(expr: sp.Expr) -> sp.Expr:
    """Rewrite Max/Min/Abs/Heaviside/sign as Piecewise (innermost first)."""
    if not expr.has(*PIECEWISE_LIKE):
        return expr
    return expr.replace(lambda e: isinstance(e, PIECEWISE_LIKE), lambda e: e.rewrite(sp.Piecewise))
