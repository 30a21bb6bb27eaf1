"""How much memory the symbolic expansion of an expression would take, estimated before expanding.

sympy's ``expand`` writes a power of a sum, (x_1 + x_2)^n, as its C(n + m - 1, m - 1)
multinomial terms; a parameter that sets an exponent (bilateral trade's h/g in y^(-h/g)) can
make that exhaust any machine.  The candidate files' check refuses such parameters up front,
and the verifier's simplification skips an expansion that would not fit.
"""
from __future__ import annotations

import math

import sympy as sp

from irmd.memory import largest_fitting

#: Largest memory that expanding one power of a sum, (x_1 + x_2)^n, may need.  The verifier's
#: simplification expands products (sympy's ``expand``), which writes such a power as its
#: C(n + m - 1, m - 1) multinomial terms with coefficients of about n log2(m) bits: for bilateral
#: trade's density y^(-h/g) with h = 10^6 that is 10^6 terms of 60 KB each, far past any machine.
MAX_EXPANSION_BYTES = 2**28
#: Bytes of one term of an expansion besides its coefficient (a sympy Mul of a few powers, and
#: sympy's caches): 1.5 to 4 KB were measured expanding (x_1 + x_2)^(-n) for n = 20000 and 5000.
_TERM_BYTES = 2048


def expansion_bytes(exponent: int, terms_in_base: int) -> int:
    """Memory (bytes, estimated) of the multinomial expansion of a ``terms_in_base``-term sum to ``exponent``."""
    n, m = abs(int(exponent)), int(terms_in_base)
    return math.comb(n + m - 1, m - 1) * (int(n * math.log2(m)) // 8 + _TERM_BYTES)


def largest_exponent(terms_in_base: int, limit: int) -> int:
    """The largest exponent whose expansion of a ``terms_in_base``-term sum fits ``limit`` bytes (at least 1)."""
    return largest_fitting(lambda n: expansion_bytes(n, terms_in_base), limit) or 1


def largest_expansion(expr) -> tuple[int, sp.Expr, sp.Expr] | None:
    """``(bytes, base, exponent)`` of the power of a sum in ``expr`` whose expansion is largest, or None."""
    worst = None
    for power in sp.sympify(expr).atoms(sp.Pow):
        base, exponent = power.as_base_exp()
        # sympy expands the integer part of a rational exponent (a^(7/2) = a^3 a^(1/2)).
        if not isinstance(base, sp.Add) or not exponent.is_Rational or abs(exponent) < 2:
            continue
        size = expansion_bytes(int(abs(exponent)), len(base.args))
        if worst is None or size > worst[0]:
            worst = (size, base, exponent)
    return worst
