r"""Constants of a candidate: numbers, expressions, or roots of stated equations.

A candidate's constants (:math:`\bar y`, :math:`L_\theta`, :math:`A`, ...) are sympy
symbols with one definition each:

``Constant(ybar, equation=ErlangCDF(N + 1, ybar) - mu0, bracket=(0, 50))``
    a root of an equation, solved by irmd at the requested precision;
``Constant(L1, value=N * ErlangCDF(N, ybar) / ybar + 1 - ErlangCDF(N - 1, ybar))``
    an expression of other constants;
``Constant(A, value=Rational(1, 3))``
    a number.

Symbolic checks keep root-defined and numeric constants as symbols (an identity
proved that way holds for every value) and substitute expression-defined ones.
Numeric checks solve everything at the working precision with mpmath; nothing
touches the global precision outside ``mpmath.workdps``.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Mapping, Sequence

import mpmath
import sympy as sp

from irmd.caching import RecentCache, exact_key
from irmd.errors import CandidateError

from .special import MPMATH_IMPLEMENTATIONS


@dataclass(frozen=True)
class Constant:
    """One constant and its definition (exactly one of ``value`` / ``equation``)."""

    symbol: sp.Symbol
    value: sp.Expr | None = None
    equation: sp.Expr | None = None
    bracket: tuple | None = None
    description: str = ""

    def __post_init__(self):
        if not isinstance(self.symbol, sp.Symbol):
            raise CandidateError(f"constant {self.symbol!r} must be a sympy Symbol")
        if (self.value is None) == (self.equation is None):
            raise CandidateError(f"constant {self.symbol}: give exactly one of value= or equation=")
        if self.value is not None:
            object.__setattr__(self, "value", sp.sympify(self.value))
            if self.symbol in self.value.free_symbols:
                raise CandidateError(f"constant {self.symbol} is defined in terms of itself; use equation=")
        if self.equation is not None:
            eq = sp.sympify(self.equation)
            if isinstance(eq, sp.Equality):
                eq = eq.lhs - eq.rhs
            object.__setattr__(self, "equation", eq)
            if self.symbol not in eq.free_symbols:
                raise CandidateError(f"equation for constant {self.symbol} does not contain {self.symbol}")
            if self.bracket is None:
                raise CandidateError(f"constant {self.symbol}: an equation needs bracket=(low, high)")
        if self.bracket is not None:
            if len(self.bracket) != 2:
                raise CandidateError(f"constant {self.symbol}: bracket must be (low, high)")
            object.__setattr__(self, "bracket", tuple(sp.sympify(b) for b in self.bracket))

    @property
    def kind(self) -> str:
        if self.equation is not None:
            return "root"
        return "number" if not self.value.free_symbols else "expression"

    @property
    def dependencies(self) -> set:
        expr = self.equation if self.equation is not None else self.value
        deps = expr.free_symbols - {self.symbol}
        for b in self.bracket or ():
            deps |= b.free_symbols
        return deps


def order_constants(constants: Sequence[Constant]) -> list[Constant]:
    """Constants in an order where each comes after everything it depends on."""
    by_symbol = {c.symbol: c for c in constants}
    if len(by_symbol) != len(constants):
        raise CandidateError("a constant is defined twice")
    ordered, done, visiting = [], set(), set()

    def visit(c: Constant):
        if c.symbol in done:
            return
        if c.symbol in visiting:
            raise CandidateError(f"constants depend on each other in a cycle through {c.symbol}")
        visiting.add(c.symbol)
        for d in c.dependencies:
            if d in by_symbol:
                visit(by_symbol[d])
        visiting.discard(c.symbol)
        done.add(c.symbol)
        ordered.append(c)

    for c in constants:
        visit(c)
    return ordered


def symbolic_substitution(constants: Sequence[Constant]) -> dict:
    """Expression-defined constants in terms of the remaining (root/number) symbols.

    A constant defined by an integral stays a symbol: substituting it would make
    every numeric evaluation redo the quadrature, and no symbolic step can use it.
    """
    out: dict = {}
    for c in order_constants(constants):
        if c.kind == "expression" and not c.value.has(sp.Integral):
            out[c.symbol] = c.value.xreplace(out)
    return out


def mpmath_function(expr: sp.Expr, variables: Sequence[sp.Symbol], cse: bool = False):
    """A python function evaluating ``expr`` with mpmath at the caller's precision.

    ``cse=True`` evaluates common subexpressions once (worth it for the large
    SVO/IVO expressions, where the same Erlang function appears many times).
    """
    variables = list(variables)
    try:
        key = (exact_key(expr), tuple(variables), bool(cse))
        hash(key)
    except (AttributeError, TypeError):   # not a sympy expression (lambdify takes plain numbers too)
        key = None
    if key is not None:
        function = _LAMBDIFIED.get(key)
        if function is not None:
            return function
    function = sp.lambdify(variables, expr, modules=[MPMATH_IMPLEMENTATIONS, "mpmath"], cse=cse)
    if key is not None:
        _LAMBDIFIED.put(key, function)
    return function


#: Functions lambdify wrote, for the same exact expression and variables: the printed code does not
#: depend on the precision (numbers are printed exactly and evaluated at the caller's precision).
_LAMBDIFIED = RecentCache(512)


def solve_constants(constants: Sequence[Constant], dps: int, known: Mapping | None = None) -> dict:
    """Numeric values (mpmath mpf at ``dps`` digits) of all constants.

    Raises :class:`CandidateError` naming the constant when an equation has no sign
    change on its bracket or the root finder fails.
    """
    values = dict(known or {})
    with mpmath.workdps(dps):
        for c in order_constants(constants):
            unknown = c.dependencies - set(values)
            if unknown:
                raise CandidateError(
                    f"constant {c.symbol} depends on undefined symbols {sorted(map(str, unknown))}"
                )
            symbols = list(values)
            numbers = [values[s] for s in symbols]
            if c.equation is None:
                if c.value.has(sp.zoo, sp.nan, sp.oo, -sp.oo):
                    raise CandidateError(f"constant {c.symbol} = {c.value} is not a finite real number")
                values[c.symbol] = _finite_real(mpmath_function(c.value, symbols)(*numbers), f"constant {c.symbol}")
                continue
            fn = mpmath_function(c.equation, [c.symbol] + symbols)
            lo, hi = (_finite_real(mpmath_function(b, symbols)(*numbers), f"the bracket of constant {c.symbol}")
                      for b in c.bracket)
            f = lambda v: _finite_real(fn(v, *numbers), f"the equation of constant {c.symbol}")  # noqa: E731
            _single_sign_change(f, lo, hi, c.symbol)
            flo, fhi = f(lo), f(hi)
            if flo == 0:
                values[c.symbol] = lo
                continue
            if fhi == 0:
                values[c.symbol] = hi
                continue
            if mpmath.sign(flo) == mpmath.sign(fhi):
                raise CandidateError(
                    f"equation for constant {c.symbol} has no sign change on its bracket "
                    f"[{mpmath.nstr(lo, 8)}, {mpmath.nstr(hi, 8)}]"
                )
            values[c.symbol] = _bracketed_root(f, lo, hi, flo, dps)
    return values


def _finite_real(value, what: str):
    """``value`` as an mpf; NaN, an infinity or a complex number is bad input, named."""
    try:
        number = mpmath.mpmathify(value)
    except (TypeError, ValueError):
        raise CandidateError(f"{what} is not a number ({value!r})") from None
    if isinstance(number, mpmath.mpc):
        if number.imag != 0:
            raise CandidateError(f"{what} is complex ({mpmath.nstr(number, 8)}), not a real number")
        number = number.real
    if not mpmath.isfinite(number):
        raise CandidateError(f"{what} is {number}, not a finite real number")
    return number


#: Points at which a bracket is scanned for further sign changes of its equation.
BRACKET_SCAN_POINTS = 200


def _single_sign_change(f, lo, hi, symbol):
    """Reject a bracket on which the equation changes sign more than once: irmd
    would silently pick one of several roots (each root found is named)."""
    if not lo < hi:
        raise CandidateError(f"the bracket of constant {symbol} is empty: [{mpmath.nstr(lo, 8)}, {mpmath.nstr(hi, 8)}]")
    grid = [lo + (hi - lo) * k / BRACKET_SCAN_POINTS for k in range(BRACKET_SCAN_POINTS + 1)]
    signs = [mpmath.sign(f(v)) for v in grid]
    crossings = []
    for (a, sa), (b, sb) in zip(zip(grid, signs), zip(grid[1:], signs[1:])):
        if sa != 0 and sb != 0 and sa != sb:
            crossings.append((a, b))
        elif sb == 0 and b != hi:
            crossings.append((b, b))
    if len(crossings) > 1:
        roots = ", ".join(mpmath.nstr((a + b) / 2, 6) for a, b in crossings[:6])
        raise CandidateError(f"the equation of constant {symbol} has {len(crossings)} roots on its bracket "
                             f"[{mpmath.nstr(lo, 8)}, {mpmath.nstr(hi, 8)}], near {roots}: give a bracket "
                             "around one root")


def bisect(f, lo, hi, flo, tolerance):
    """Shrink a sign-change bracket [lo, hi] of f (f(lo) = flo) to width <= tolerance.

    Returns ``(lo, hi, exact)``: the final bracket, and a point where f is exactly 0
    if one was hit (else None).
    """
    while hi - lo > tolerance:
        mid = (lo + hi) / 2
        fmid = f(mid)
        if fmid == 0:
            return mid, mid, mid
        if mpmath.sign(fmid) == mpmath.sign(flo):
            lo, flo = mid, fmid
        else:
            hi = mid
    return lo, hi, None


def _bracketed_root(f, lo, hi, flo, dps: int):
    """Root of f on [lo, hi] (sign change known): bisection to a small bracket, then Anderson.

    Bisection alone would cost ~3.3 evaluations per digit; a few bisection steps
    make the bracketing secant (Anderson) reliable, and its result is checked to
    stay inside the bracket.
    """
    lo, hi, exact = bisect(f, lo, hi, flo, mpmath.mpf(10) ** (-4) * (1 + abs(lo)))
    if exact is not None:
        return exact
    try:
        root = mpmath.findroot(f, (lo, hi), solver="anderson")
    except (ValueError, ZeroDivisionError):
        root = None
    if root is None or not (lo <= root <= hi):
        # Slow but certain: finish by bisection.
        lo, hi, exact = bisect(f, lo, hi, f(lo), mpmath.mpf(10) ** (-dps) * (1 + abs(lo)))
        root = exact if exact is not None else (lo + hi) / 2
    return mpmath.mpf(root)
