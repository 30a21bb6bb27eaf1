r"""Rigorous enclosures of sympy expressions with arb balls (python-flint), and what they prove.

* :func:`arb_function` compiles a sympy expression once into a function of arb balls whose result
  contains every value of the expression over the balls (a non-finite ball where the expression may
  be undefined on part of them).
* :class:`Enclosure` tightens that natural enclosure with the centred (mean-value) form.
* :func:`prove_on_box` proves ``f >= -slack``, ``|f| <= slack`` or boundedness on a box intersected
  with a region by branch and bound, or refutes the claim with a certified point; unbounded
  coordinates are compactified with ``x = R/u`` or left to a caller's tail bound.
* :func:`isolate_root` and :func:`count_sign_changes` prove roots by sign changes of enclosures.

Functions of balls use the ambient precision (``ctx.prec``); the public entry points that take a
``prec`` set it locally with ``ctx.workprec``.  arb comparisons are False both ways when uncertain,
so every three-way decision below tests both sides.

Limits.  arb balls are midpoint-radius: a hull is exact at an end only when that end is 0 or the
arithmetic happens to be exact, so a claim that touches its bound (f >= 0 with min f = 0) is proved
with slack 0 only where the touching point is a box corner reached exactly (e.g. f(0) = 0 with
f' >= 0); elsewhere it needs a positive slack.  A tail u = R/x is proved by enclosure only when the
compactified expression is finite at u = 0 (rational functions); otherwise the 1-D tail beyond
R 2^(prec/4) goes to the caller's tail bound.
"""
from __future__ import annotations

from .arithmetic import SYMBOLIC_SECONDS, UnsupportedExpression
from .boxes import BoxOutcome, prove_on_box
from .centred import Enclosure
from .compiler import ArbFunction, arb_function
from .roots import IsolatedRoot, SignChanges, count_sign_changes, isolate_root

__all__ = ["SYMBOLIC_SECONDS", "UnsupportedExpression", "ArbFunction", "arb_function", "Enclosure", "BoxOutcome",
           "prove_on_box", "IsolatedRoot", "SignChanges", "count_sign_changes", "isolate_root"]
