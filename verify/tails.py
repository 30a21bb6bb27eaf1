r"""Rigorous enclosures of a one-variable expression over an unbounded tail y >= R.

The branch-and-bound prover covers compact boxes; this module proves what an
expression does on the rest, ``[R, oo)``.

Method.  The expression is rewritten exactly (sympy, under a time budget) as a
quotient ``num/den`` of *exponential polynomials* ``sum_i c_i y^m_i log(y)^j_i e^(a_i y)``:
the powers m_i and log powers j_i are exact rationals, the rates a_i and the
coefficients c_i are constants (exact numbers, or symbols whose values are arb
balls).  Like terms are collected symbolically, so exact cancellations (L - L)
vanish before any ball arithmetic.  Piecewise, Min, Max and Abs are resolved on
the whole tail first (each condition is decided for every y >= R, or nothing is
claimed); Erlang functions of order <= MAX_ERLANG_ORDER become finite sums.

In each exponential polynomial the dominant term ``c* y^D log(y)^J e^(A y)``
(largest rate, proved by arb comparisons, then largest (D, J), exactly) is
factored out: ``P(y) = y^D log(y)^J e^(A y) (c* + r(y))``.  Every term of r is
``c t(y)`` with ``t = y^m log(y)^j e^(-delta y)`` bounded on the tail, so it lies in
``c [0, sup t]`` with a proved sup (:func:`_tail_sup`): the *bracket* ``c* + r``
lies in a proved interval.  The quotient is then the factor ``y^D log(y)^J e^(A y)``
of num over that of den, times the ratio of the brackets.

Limitations (each gives None, never a guess): functions other than exp, log,
powers, Erlang, Piecewise/Min/Max/Abs (e.g. sin y); log of anything but a
single-term expression (log(y + 1)); non-integer powers of multi-term
expressions; symbolic powers of y; exponents not affine in y; Erlang orders above
MAX_ERLANG_ORDER or with an argument not affine, or not >= 0, on the tail;
integer powers above MAX_INTEGER_POWER; rates that arb cannot order; a
divisor not proved non-zero on the whole tail (even where the quotient would
cancel); running out of ``budget_seconds`` or ``max_terms`` (e.g. ErlangCDF(400,
y - c) with a symbolic c expands binomially and is slow).  Each term is bounded
separately, so brackets are loose near R (ErlangCDF(3, y/2) at R = 2 cannot be
separated from 0): a larger R helps.  Terms divided by log(y) are infinite at
y = 1, so expressions with log(y) often need R > 1.  A growth proof may use a
later tail start (R * 2^s, s in _GROWTH_SHIFTS), since growth is asymptotic.
"""
from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Mapping, NamedTuple

import sympy as sp
from flint import arb, ctx, fmpq

from irmd.analytic.special import ErlangCDF, ErlangPDF, ErlangSF
from irmd.budget import time_budget
from irmd.errors import BudgetExceeded, ParameterError

#: Largest Erlang order written out as a finite sum (beyond it: None).
MAX_ERLANG_ORDER = 400
#: Largest |n| for which an integer power of a multi-term expression is expanded.
MAX_INTEGER_POWER = 400
#: Later tail starts R * 2^s tried when only the growth proof is missing (growth is asymptotic).
_GROWTH_SHIFTS = (4, 16, 64, 256)


@dataclass(frozen=True)
class TailEnclosure:
    """What is proved about f on the tail y >= R.

    ``grows=False``: f is defined on the whole tail and f(y) lies in
    ``[lo.lower(), hi.upper()]`` for every y >= R.  ``grows=True`` (lo and hi None):
    f is defined on the whole tail and |f(y)| -> oo as y -> oo, so f is unbounded
    there (callers use it to refute boundedness); it is returned only when the
    dominant coefficients of numerator and denominator are proved non-zero, with
    the rest proved smaller than them on some tail [R', oo), R' >= R.  arb's ``lower()``/``upper()``
    round outward at the *current* precision: call them under ``ctx.workprec``
    (the ``prec`` of the call) to keep all the enclosure's digits.
    """

    lo: arb | None
    hi: arb | None
    grows: bool = False


class _Undecided(Exception):
    """The tail cannot be handled (unsupported construct, undecided sign); the public functions return None."""


# A term y^m log(y)^j e^(a y) is keyed by (a, m, j); a polynomial maps keys to non-zero coefficients.
_ZERO_KEY = (sp.S.Zero, sp.S.Zero, sp.S.Zero)
_ONE = {_ZERO_KEY: sp.S.One}
_LINEAR_KEY = (sp.S.Zero, sp.S.One, sp.S.Zero)


class _Frac(NamedTuple):
    num: dict
    den: dict


def _collect(pairs) -> dict:
    """Sum coefficients of equal keys; only real sums are expanded (that is where exact cancellations show)."""
    parts: dict = {}
    for key, c in pairs:
        parts.setdefault(key, []).append(c)
    collected = {k: cs[0] if len(cs) == 1 else sp.expand(sp.Add(*cs)) for k, cs in parts.items()}
    return {k: c for k, c in collected.items() if c != 0}


def _key_sum(k1, k2):
    return (sp.expand(k1[0] + k2[0]), k1[1] + k2[1], k1[2] + k2[2])


def _poly_mul(p: dict, q: dict) -> dict:
    return _collect((_key_sum(k1, k2), c1 * c2) for k1, c1 in p.items() for k2, c2 in q.items())


def _arb_rational(q) -> arb:
    q = sp.Rational(q)
    return arb(fmpq(int(q.p), int(q.q)))


def _tail_sup(delta: arb, m, j, r: arb) -> arb:
    """An upper bound of t(y) = y^m log(y)^j e^(-delta y) >= 0 over y >= r >= 1.

    t must be bounded there: delta > 0, or delta = 0 and (m, j) < (0, 0)."""
    m_val, j_val = _arb_rational(m), _arb_rational(j)

    def t(point: arb) -> arb:
        value = point**m_val * (-delta * point).exp()
        return value * point.log() ** j_val if j != 0 else value

    # t decreases on [r, oo) when its log-derivative (m + j/log y - delta y)/y is <= 0
    # there, and j/log y <= max(j, 0)/log r for y >= r.
    slope = m_val - delta * r + (j_val / r.log() if j > 0 else 0)
    if slope <= 0:
        return t(r)
    if delta > 0 and j > 0:  # log(y) <= y for y >= 1
        return _tail_sup(delta, m + j, 0, r)
    if delta > 0 and j < 0:  # log(y)^j <= log(r)^j for y >= r
        return r.log() ** j_val * _tail_sup(delta, m, 0, r)
    # Otherwise the global maximum over y > 1, where it has a closed form.
    if delta > 0:  # y^m e^(-delta y), m > 0: at y = m/delta
        return t(m_val / delta)
    if m < 0 < j:  # y^m log(y)^j: at log y = j/|m|
        return (j_val / (-m_val * arb(1).exp())) ** j_val
    raise _Undecided("cannot bound a tail term")


def _interval_product(x, y):
    """Enclosure (lo, hi) of {a b : a in x, b in y} for intervals given as (lo, hi) balls."""
    corners = [a * b for a in x for b in y]
    lo, hi = corners[0], corners[0]
    for c in corners[1:]:
        lo, hi = lo.min(c), hi.max(c)
    return lo, hi


def _excludes_zero(interval) -> bool:
    lo, hi = interval
    return bool(lo > 0 or hi < 0)


# Constant sympy functions and their arb evaluation (of the list of argument balls).
_ARB_FUNCTIONS = {sp.Add: sum, sp.Mul: math.prod, sp.exp: lambda v: v[0].exp(),
                  sp.log: lambda v: v[0].log(), sp.Abs: lambda v: abs(v[0])}

# For each relational, the signs of lhs - rhs for which it holds.
_HOLDS = {sp.StrictGreaterThan: {1}, sp.GreaterThan: {0, 1}, sp.StrictLessThan: {-1},
          sp.LessThan: {-1, 0}, sp.Equality: {0}, sp.Unequality: {-1, 1}}


class _Tail:
    """Exact conversion to exponential-polynomial quotients, and the bounds, for one tail [R, oo)."""

    def __init__(self, variable: sp.Symbol, R: sp.Rational, constants: Mapping, max_terms: int):
        self.y, self.R, self.max_terms = variable, R, max_terms
        self.constants = {s: arb(v) for s, v in constants.items()}
        self._values: dict = {}
        self._fractions: dict = {}

    # -- constants -------------------------------------------------------------------------
    def value(self, e: sp.Expr) -> arb:
        """A finite arb ball containing the constant e."""
        if e not in self._values:
            v = self._evaluate(e)
            if not v.is_finite():
                raise _Undecided(f"no finite enclosure of {e}")
            self._values[e] = v
        return self._values[e]

    def _evaluate(self, e: sp.Expr) -> arb:
        if e.is_Rational:
            return _arb_rational(e)
        if e in self.constants:
            return self.constants[e]
        if e is sp.pi:
            return arb.pi()
        if e is sp.E:
            return arb(1).exp()
        if e.is_Pow:
            base, p = self.value(e.base), e.exp
            return base ** int(p) if p.is_Integer else base ** self.value(p)
        if isinstance(e, (ErlangPDF, ErlangCDF, ErlangSF)):
            return self._erlang_value(e)
        if e.func not in _ARB_FUNCTIONS:
            raise _Undecided(f"cannot evaluate {e}")
        return _ARB_FUNCTIONS[e.func]([self.value(a) for a in e.args])

    def _erlang_value(self, e) -> arb:
        n, u = int(e.args[0]), self.value(e.args[1])
        if u < 0:  # the distribution puts no mass below 0
            return arb(0) if isinstance(e, (ErlangPDF, ErlangCDF)) else arb(1)
        if not u > 0:
            raise _Undecided(f"the sign of the argument of {e} is undecided")
        if isinstance(e, ErlangPDF):
            return u ** (n - 1) * (-u).exp() / arb.fac_ui(n - 1)
        survival = u.gamma_upper(n, regularized=1)
        return survival if isinstance(e, ErlangSF) else 1 - survival

    # -- exact conversion ------------------------------------------------------------------
    def _checked(self, f: _Frac) -> _Frac:
        if len(f.num) + len(f.den) > self.max_terms:
            raise _Undecided("too many terms")
        if len(f.den) == 1 and f.den != _ONE:  # fold a one-term denominator into the numerator
            ((a, m, j), c), = f.den.items()
            f = _Frac(_poly_mul(f.num, {(-a, -m, -j): 1 / c}), _ONE)
        return f

    def _sum(self, f: _Frac, g: _Frac) -> _Frac:
        if f.den == g.den:
            return self._checked(_Frac(_collect([*f.num.items(), *g.num.items()]), f.den))
        num = _collect([*_poly_mul(f.num, g.den).items(), *_poly_mul(g.num, f.den).items()])
        return self._checked(_Frac(num, _poly_mul(f.den, g.den)))

    def _product(self, f: _Frac, g: _Frac) -> _Frac:
        return self._checked(_Frac(_poly_mul(f.num, g.num), _poly_mul(f.den, g.den)))

    def _integer_power(self, f: _Frac, n: int) -> _Frac:
        if n < 0:  # a divisor must be proved non-zero on the whole tail (even a removable 0/0 is not defined)
            if 0 in self._frac_signs(f):
                raise _Undecided("divisor not proved non-zero on the tail")
            f, n = _Frac(f.den, f.num), -n
        result = _Frac(_ONE, _ONE)
        while n:  # binary powering
            if n & 1:
                result = self._product(result, f)
            n >>= 1
            if n:
                f = self._product(f, f)
        return result

    def fraction(self, e: sp.Expr) -> _Frac:
        """e as an exact quotient of exponential polynomials, valid on the whole tail."""
        if e not in self._fractions:
            self._fractions[e] = self._convert(e)
        return self._fractions[e]

    def _convert(self, e: sp.Expr) -> _Frac:
        y = self.y
        if not e.has(y):
            return _Frac({_ZERO_KEY: e} if e != 0 else {}, _ONE)
        if e == y:
            return _Frac({_LINEAR_KEY: sp.S.One}, _ONE)
        if e.is_Add or e.is_Mul:
            combine = self._sum if e.is_Add else self._product
            result = self.fraction(e.args[0])
            for a in e.args[1:]:
                result = combine(result, self.fraction(a))
            return result
        if e.is_Pow:
            return self._power(e.base, e.exp)
        if isinstance(e, sp.exp):
            return self._exponential(self.fraction(e.args[0]))
        if isinstance(e, sp.log):
            return self._logarithm(self.fraction(e.args[0]))
        if isinstance(e, (ErlangPDF, ErlangCDF, ErlangSF)):
            return self._erlang(e)
        if isinstance(e, (sp.Piecewise, sp.Min, sp.Max, sp.Abs)):
            return self.fraction(self._resolve(e))
        raise _Undecided(f"unsupported on the tail: {e.func}")

    def _monomial(self, f: _Frac):
        """(key, coefficient) of a one-term f whose coefficient is proved positive, else raise."""
        if f.den != _ONE or len(f.num) != 1:
            raise _Undecided("not a single term")
        (key, c), = f.num.items()
        if not self.value(c) > 0:
            raise _Undecided("coefficient not proved positive")
        return key, c

    def _power(self, base: sp.Expr, p: sp.Expr) -> _Frac:
        if p.has(self.y):  # b^p = e^(p log b) for a constant b > 0
            if base.has(self.y) or not self.value(base) > 0:
                raise _Undecided("power with a variable exponent")
            return self._exponential(self.fraction(p * sp.log(base)))
        if not p.is_Rational:
            raise _Undecided("power with a non-rational exponent")
        f = self.fraction(base)
        if p.is_Integer:
            if abs(int(p)) > MAX_INTEGER_POWER and not (f.den == _ONE and len(f.num) == 1):
                raise _Undecided("integer power too large to expand")
            return self._integer_power(f, int(p))
        (a, m, j), c = self._monomial(f)  # (c y^m log^j e^(ay))^p, all factors >= 0
        return _Frac({(sp.expand(a * p), m * p, j * p): c**p}, _ONE)

    @staticmethod
    def _affine(f: _Frac):
        """(c0, c1) with f = c0 + c1 y, else raise."""
        if f.den != _ONE or not set(f.num) <= {_ZERO_KEY, _LINEAR_KEY}:
            raise _Undecided("exponent not affine in the variable")
        return f.num.get(_ZERO_KEY, sp.S.Zero), f.num.get(_LINEAR_KEY, sp.S.Zero)

    def _exponential(self, g: _Frac) -> _Frac:
        c0, c1 = self._affine(g)  # e^(c0 + c1 y): the constant factor e^c0 joins the coefficient
        return _Frac({(sp.expand(c1), sp.S.Zero, sp.S.Zero): sp.exp(c0)}, _ONE)

    def _logarithm(self, g: _Frac) -> _Frac:
        (a, m, j), c = self._monomial(g)  # log(c y^m e^(a y)) = log c + m log y + a y
        if j != 0:
            raise _Undecided("log of a power of log")
        pairs = [(_ZERO_KEY, sp.log(c)), ((sp.S.Zero, sp.S.Zero, sp.S.One), m), (_LINEAR_KEY, a)]
        return _Frac(_collect(pairs), _ONE)

    def _erlang(self, e) -> _Frac:
        n, u = e.args
        if not (n.is_Integer and 1 <= n <= MAX_ERLANG_ORDER):  # sympy evaluates order 0 itself
            raise _Undecided(f"Erlang order {n} not expanded")
        if not self.signs(u) <= {0, 1}:  # the finite sums are the functions only where u >= 0
            raise _Undecided("Erlang argument not proved >= 0 on the tail")
        n, u_frac = int(n), self.fraction(u)
        c0, c1 = self._affine(u_frac)
        decay_key = (sp.expand(-c1), sp.S.Zero, sp.S.Zero)  # e^(-u) = e^(-c0) e^(-c1 y)
        if isinstance(e, ErlangPDF):  # u^(n-1) e^(-u) / (n-1)!
            power = self._integer_power(u_frac, n - 1).num
            return self._checked(_Frac(_poly_mul(power, {decay_key: sp.exp(-c0) / sp.factorial(n - 1)}), _ONE))
        pairs, power = [], _ONE
        for k in range(n):  # e^(-u) sum_{k<n} u^k / k!
            pairs += [(key, c / sp.factorial(k)) for key, c in power.items()]
            power = _poly_mul(power, u_frac.num)
        survival = self._checked(_Frac(_poly_mul(_collect(pairs), {decay_key: sp.exp(-c0)}), _ONE))
        if isinstance(e, ErlangSF):
            return survival
        return self._sum(_Frac(_ONE, _ONE), _Frac({k: -c for k, c in survival.num.items()}, _ONE))

    # -- signs and tail-wide decisions -----------------------------------------------------
    def signs(self, e: sp.Expr) -> set:
        """A superset of the signs (-1, 0, 1) that e takes on the tail."""
        return self._frac_signs(self.fraction(e))

    def _frac_signs(self, f: _Frac) -> set:
        den = self._poly_signs(f.den)
        if 0 in den:
            raise _Undecided("denominator not proved non-zero on the tail")
        return {s * t for s in self._poly_signs(f.num) for t in den}

    def _poly_signs(self, poly: dict) -> set:
        if not poly:
            return {0}
        lo, hi = self.bracket(poly, self.R)
        # The factor y^D log(y)^J e^(Ay) is > 0, except log(1) = 0 when J > 0 and R = 1.
        factor = {0, 1} if self.dominant(poly)[2] > 0 and self.R == 1 else {1}
        bracket = {s for s, possible in ((-1, not lo >= 0), (0, not _excludes_zero((lo, hi))),
                                         (1, not hi <= 0)) if possible}
        return {s * t for s in bracket for t in factor}

    def holds(self, e: sp.Expr, signs_where_true: set) -> bool | None:
        """Whether sign(e) is in signs_where_true for every y >= R (True), for none (False), or undecided (None)."""
        try:
            possible = self.signs(e)
        except _Undecided:
            return None
        if possible <= signs_where_true:
            return True
        return False if not possible & signs_where_true else None

    def truth(self, cond) -> bool | None:
        """Three-valued truth of a condition over the whole tail."""
        if cond in (sp.true, sp.false):
            return bool(cond)
        if type(cond) in _HOLDS:
            return self.holds(cond.lhs - cond.rhs, _HOLDS[type(cond)])
        if isinstance(cond, sp.Not):
            value = self.truth(cond.args[0])
            return None if value is None else not value
        if isinstance(cond, (sp.And, sp.Or)):
            values = [self.truth(a) for a in cond.args]
            absorbing = isinstance(cond, sp.Or)  # one True decides an Or, one False an And
            if absorbing in values:
                return absorbing
            return None if None in values else not absorbing
        return None

    def _resolve(self, e: sp.Expr) -> sp.Expr:
        """The branch of a Piecewise/Min/Max/Abs that holds on the whole tail."""
        if isinstance(e, sp.Piecewise):
            for piece, cond in e.args:
                decided = self.truth(cond)
                if decided is None:
                    raise _Undecided(f"condition {cond} undecided on the tail")
                if decided:
                    return piece
            raise _Undecided("no branch of a Piecewise holds")
        if isinstance(e, sp.Abs):
            g = e.args[0]
            if self.holds(g, {0, 1}):
                return g
            if self.holds(g, {-1, 0}):
                return -g
            raise _Undecided("sign inside Abs undecided on the tail")
        below = {-1, 0} if isinstance(e, sp.Min) else {0, 1}  # sign of (chosen - other)
        for chosen in e.args:
            if all(self.holds(chosen - other, below) for other in e.args if other != chosen):
                return chosen
        raise _Undecided(f"{e.func} undecided on the tail")

    # -- bounds ----------------------------------------------------------------------------
    def dominant(self, poly: dict) -> tuple:
        """The key (rate, D, J) of the dominant term of a non-empty poly: largest rate (proved), then (D, J)."""
        rates = {key[0]: self.value(key[0]) for key in poly}
        top = max(rates, key=lambda a: rates[a].mid())
        if not all(rates[top] > v for a, v in rates.items() if a != top):
            raise _Undecided("exponential rates not ordered by arb")
        return (top, *max((m, j) for a, m, j in poly if a == top))

    def bracket(self, poly: dict, R: sp.Rational) -> tuple[arb, arb]:
        """(lo, hi) with poly(y) / (dominant term without its coefficient) in [lo.lower(), hi.upper()] for y >= R."""
        top, D, J = lead = self.dominant(poly)
        if J < 0 and R == 1:
            raise _Undecided("1/log(y) at y = 1")
        r, top_rate = _arb_rational(R), self.value(top)
        lo = hi = self.value(poly[lead])
        for (a, m, j), c in poly.items():
            if (a, m, j) != lead:
                delta = arb(0) if a == top else top_rate - self.value(a)
                part = self.value(c) * _tail_sup(delta, m - D, j - J, r)
                lo, hi = lo + part.min(0), hi + part.max(0)
        if not (lo.is_finite() and hi.is_finite()):
            raise _Undecided("non-finite bracket")
        return lo, hi

    def enclosure(self, f: _Frac) -> TailEnclosure:
        if not f.num:
            return TailEnclosure(arb(0), arb(0))  # divisors were proved non-zero when they were formed
        (num_rate, num_D, num_J), (den_rate, den_D, den_J) = self.dominant(f.num), self.dominant(f.den)
        # The quotient's factor y^D log(y)^J e^(A y): constant 1, bounded, or growing.
        if sp.expand(num_rate - den_rate) == 0:
            A, rate_sign = arb(0), 0
        else:
            A = self.value(num_rate) - self.value(den_rate)
            rate_sign = 1 if A > 0 else -1 if A < 0 else None
            if rate_sign is None:
                raise _Undecided("sign of the net exponential rate undecided")
        D, J = num_D - den_D, num_J - den_J
        level = (rate_sign, int(sp.sign(D)), int(sp.sign(J)))
        if level > (0, 0, 0):
            return self._growth(f)
        num, den = self.bracket(f.num, self.R), self.bracket(f.den, self.R)
        if not _excludes_zero(den) or (den_J > 0 and self.R == 1):
            raise _Undecided("denominator not proved non-zero on the tail")
        r = _arb_rational(self.R)
        factor = (arb(1), arb(1)) if level == (0, 0, 0) else (arb(0), _tail_sup(-A, D, J, r))
        reciprocal = (1 / den[1], 1 / den[0])  # den's bracket has one sign
        lo, hi = _interval_product(_interval_product(num, reciprocal), factor)
        if not (lo.is_finite() and hi.is_finite()):
            raise _Undecided("non-finite enclosure")
        return TailEnclosure(lo, hi)

    def _growth(self, f: _Frac) -> TailEnclosure:
        """|f| -> oo once both brackets exclude 0 on some tail [R', oo), R' >= R (growth is asymptotic)."""
        for shift in (0, *_GROWTH_SHIFTS):
            start = self.R * sp.Integer(2) ** shift
            try:
                if _excludes_zero(self.bracket(f.num, start)) and _excludes_zero(self.bracket(f.den, start)):
                    return TailEnclosure(None, None, grows=True)
            except _Undecided:
                continue
        raise _Undecided("growth not proved")


def _tail_start(R) -> sp.Rational:
    R = sp.sympify(R)
    if not (R.is_Rational and R >= 1):
        raise ParameterError(f"the tail must start at an exact number R >= 1, got {R}")
    return R


def tail_enclosure(expr, variable, R, constants, *, prec=256, max_terms=20000, budget_seconds=5.0):
    """A rigorous enclosure of {expr(y) : y >= R}, or None when it cannot be proved.

    ``expr``: a sympy expression in ``variable`` and constant symbols; ``constants``
    maps those symbols to arb balls; ``R``: an exact number >= 1.  Returns a
    :class:`TailEnclosure` (bounds ``lo.lower()``, ``hi.upper()``, or ``grows=True``
    when |expr| -> oo is proved).  Arithmetic runs at ``prec`` bits (set locally),
    symbolic work within ``budget_seconds`` and at most ``max_terms`` terms.
    """
    start = _tail_start(R)
    expr = sp.sympify(expr)
    expr = expr.xreplace({x: sp.Rational(x) for x in expr.atoms(sp.Float)})  # exact binary values
    with ctx.workprec(prec):
        try:
            with time_budget(budget_seconds, "tail enclosure"):
                tail = _Tail(variable, start, constants, max_terms)
                return tail.enclosure(tail.fraction(expr))
        except (_Undecided, BudgetExceeded):
            return None


def tail_radius_for(expr, variable, constants, target, *, prec=256, budget_seconds=5.0):
    """The smallest R = 2^k (k = 1..20) with expr proved within [-target, target] on [R, oo), or None.

    ``target``: a float, int or arb; each R is one :func:`tail_enclosure` call with ``budget_seconds``."""
    for k in range(1, 21):
        result = tail_enclosure(expr, variable, 2**k, constants, prec=prec, budget_seconds=budget_seconds)
        if result is not None and not result.grows:
            with ctx.workprec(prec):
                bound = arb(target)
                if result.lo.lower() >= -bound and result.hi.upper() <= bound:
                    return 2**k
    return None
